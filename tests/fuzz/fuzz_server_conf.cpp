// fuzz_server_conf.cpp - the server.conf reader (sync/server/server_conf.h) on arbitrary bytes.
// The reader takes a path, so each input goes through one temporary file of this process.
// A refused file must say why and leave the arguments as they were; an accepted one must add
// only options `serve` knows, each flag alone and each other option with its value.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "fuzz_input_file.h"
#include "server_conf.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string& path = fuzz_input_file("server-conf", data, size);
    const std::vector<std::string> given = {"--listen", "127.0.0.1:1"};
    std::vector<std::string> args = given;
    std::string err;
    if (!tk::read_server_conf(path, args, &err)) {
        if (err.empty() || args != given) abort();
        return 0;
    }
    for (size_t i = given.size(); i < args.size(); i++) {
        const tk::ConfKey* key = nullptr;
        for (const tk::ConfKey& k : tk::server_conf_keys())
            if (args[i] == k.option) key = &k;
        if (!key) abort();               // an option serve does not know
        if (args[i] == "--listen") abort(); // the command line's --listen wins over the file
        if (!key->flag) i++;             // its value
        if (i >= args.size()) abort();
    }
    return 0;
}
