// server_conf.cpp - reading server.conf (see server_conf.h).
#include "server_conf.h"

#include <algorithm>

#include "files.h"

namespace tk {

const std::vector<ConfKey>& server_conf_keys() {
    static const std::vector<ConfKey> keys = {
        {"DATA", "--data", false},          {"LISTEN", "--listen", false},
        {"CERT", "--cert", false},          {"KEY", "--key", false},
        {"MAX_BODY", "--max-body", false},  {"RATE", "--rate", false},
        {"THREADS", "--threads", false},    {"PER_ADDRESS", "--per-address", false},
        {"RESEARCH_PUB", "--research-pub", false},
        {"ALLOW_PLAIN_HTTP", "--allow-plain-http", true},
        {"STORE", "--store", false},
    };
    return keys;
}

static std::string trim(const std::string& s) {
    size_t a = s.find_first_not_of(" \t\r"), b = s.find_last_not_of(" \t\r");
    return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

static bool given(const std::vector<std::string>& args, const std::string& option) {
    for (const std::string& a : args)
        if (a == option || a.rfind(option + "=", 0) == 0) return true;
    return false;
}

bool read_server_conf(const std::string& path, std::vector<std::string>& args, std::string* error) {
    std::string text;
    if (!read_file_at_most(path, kKeyFileMax, text, error)) return false;
    std::vector<std::string> added;
    size_t pos = 0;
    for (int line_no = 1; pos < text.size(); line_no++) {
        size_t end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        std::string line = trim(text.substr(pos, end - pos));
        pos = end + 1;
        if (line.empty() || line[0] == '#') continue;
        std::string where = path + ":" + std::to_string(line_no) + ": ";
        size_t eq = line.find('=');
        if (eq == std::string::npos) {
            *error = where + "expected KEY = value, got '" + line + "'";
            return false;
        }
        std::string key = trim(line.substr(0, eq)), value = trim(line.substr(eq + 1));
        // EnvironmentFile allowed quotes around a value; they are not part of it.
        if (value.size() >= 2 && (value[0] == '"' || value[0] == '\'') && value.back() == value[0])
            value = value.substr(1, value.size() - 2);
        const auto& keys = server_conf_keys();
        auto k = std::find_if(keys.begin(), keys.end(), [&](const ConfKey& c) { return key == c.key; });
        if (k == keys.end()) {
            std::string known;
            for (const ConfKey& c : keys) known += std::string(known.empty() ? "" : ", ") + c.key;
            *error = where + "unknown key '" + key + "' (known: " + known + ")";
            return false;
        }
        if (given(args, k->option)) continue; // the command line wins
        if (k->flag) {
            if (value != "yes" && value != "no") {
                *error = where + key + " wants yes or no, got '" + value + "'";
                return false;
            }
            if (value == "yes") added.push_back(k->option);
        } else {
            added.push_back(k->option);
            added.push_back(value);
        }
    }
    args.insert(args.end(), added.begin(), added.end());
    return true;
}

} // namespace tk
