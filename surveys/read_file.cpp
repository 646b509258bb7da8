// read_file.cpp - read_whole_file.
//
// stdio rather than a stream: a stream read that fails (a directory, an I/O error) looks
// like the end of the file, and a half-read survey must never be parsed as if it were whole.
#include "read_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace tk {

bool read_whole_file(const std::string& path, std::string& out, std::string* error) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) {
        if (error) *error = std::string("cannot open file: ") + std::strerror(errno);
        return false;
    }
    out.clear();
    char buf[1 << 16];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
    int err = std::ferror(f) ? errno : 0;
    std::fclose(f);
    if (err) {
        out.clear();
        if (error) *error = std::string("cannot read file: ") + std::strerror(err);
        return false;
    }
    return true;
}

} // namespace tk
