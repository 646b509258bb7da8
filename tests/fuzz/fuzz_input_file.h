// fuzz_input_file.h - for fuzz targets whose parser takes a path, not bytes: one temporary
// file per process that each input is written to before the parser reads it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>

// Writes the input to this process's file for `tag` (made on first use) and returns its path.
inline const std::string& fuzz_input_file(const char* tag, const uint8_t* data, size_t size) {
    static std::string path = [tag] {
        std::string tmpl = std::string("/tmp/tk-fuzz-") + tag + "-XXXXXX";
        int fd = mkstemp(tmpl.data());
        if (fd < 0) abort();
        close(fd);
        return tmpl;
    }();
    FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) abort();
    if (size && std::fwrite(data, 1, size, f) != size) abort();
    std::fclose(f);
    return path;
}
