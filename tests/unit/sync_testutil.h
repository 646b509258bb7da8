// sync_testutil.h - temporary directories, file and SQL helpers for the vault tests.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <sqlite3.h>

namespace tk::test {

// A fresh directory under the system temp dir, removed (with everything in it) at scope end.
struct TempDir {
    std::string path;
    TempDir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "tk-vault-XXXXXX").string();
        std::vector<char> buf(tmpl.begin(), tmpl.end());
        buf.push_back('\0');
        path = mkdtemp(buf.data()) ? buf.data() : "";
    }
    ~TempDir() {
        std::error_code ec;
        if (!path.empty()) std::filesystem::remove_all(path, ec);
    }
    std::string operator/(const std::string& name) const { return path + "/" + name; }
};

inline std::string slurp(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

inline void spit(const std::string& path, const std::string& data) {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f << data;
}

// Runs SQL on a vault or store file with a separate connection (what an attacker or a bad
// tool does behind the program's back).
inline void sql(const std::string& db_path, const std::string& statement) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(db_path.c_str(), &db) == SQLITE_OK);
    char* msg = nullptr;
    int rc = sqlite3_exec(db, statement.c_str(), nullptr, nullptr, &msg);
    CHECK_MESSAGE(rc == SQLITE_OK, (msg ? msg : ""));
    sqlite3_free(msg);
    sqlite3_close(db);
}

} // namespace tk::test
