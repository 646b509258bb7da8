// server_conf.h - /etc/teilhabe-server/server.conf: the settings of `teilhabe-server serve`.
//
//   read_server_conf   the file's KEY = value lines as the command-line options they stand for
//
// The file keeps the shape it had as systemd's EnvironmentFile (LISTEN=0.0.0.0:8443, one per
// line, # comments), so an edited file from an earlier release still reads. Each key is one
// option of `serve` (LISTEN is --listen, MAX_BODY is --max-body, ALLOW_PLAIN_HTTP=yes is
// --allow-plain-http); an option given on the command line wins over the file.
#pragma once
#include <string>
#include <vector>

namespace tk {

// Appends to `args` the options of the file at `path` that `args` does not already hold.
// An unknown key, a line without '=' or a bad yes/no is refused with *error naming the file
// and line, and `args` is left as it was.
bool read_server_conf(const std::string& path, std::vector<std::string>& args, std::string* error);

// The keys and the options they stand for (the unknown-key message lists them).
struct ConfKey {
    const char* key;
    const char* option;
    bool flag; // yes/no: the option takes no value
};
const std::vector<ConfKey>& server_conf_keys();

} // namespace tk
