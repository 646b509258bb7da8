// fuzz_provision.cpp - the provisioning file reader (sync/transport/provision.h) and the TLS
// pin parser (tls_trust.h) on arbitrary bytes. The file reader takes a path, so each input
// goes through one temporary file of this process. A refused file must say why; an accepted
// one names a server and a code. A pin the parser accepts must read back the same from its
// canonical spelling "sha256/BASE64".
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include <sodium.h>

#include "fuzz_input_file.h"
#include "provision.h"
#include "tls_trust.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (sodium_init() < 0) abort();
    std::string text(reinterpret_cast<const char*>(data), size);

    std::array<uint8_t, 32> pin{};
    if (tk::parse_pin(text, pin)) {
        char b64[64];
        sodium_bin2base64(b64, sizeof b64, pin.data(), pin.size(), sodium_base64_VARIANT_ORIGINAL);
        std::array<uint8_t, 32> again{};
        if (!tk::parse_pin(std::string("sha256/") + b64, again) || again != pin) abort();
    }

    const std::string& path = fuzz_input_file("provision", data, size);
    tk::Provision p;
    std::string err;
    if (!tk::read_provision(path, p, &err)) {
        if (err.empty()) abort();
        return 0;
    }
    if (p.server.empty() || p.code.empty()) abort();
    return 0;
}
