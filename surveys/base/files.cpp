// files.cpp - reading whole files, reading small files with a limit, atomic writes.
//
// read_whole_file uses stdio rather than a stream: a stream read that fails (a directory, an I/O error) looks
// like the end of the file, and a half-read survey must never be parsed as if it were whole.
#include "files.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hex.h"

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

bool read_file_at_most(const std::string& path, size_t max_bytes, std::string& out, std::string* error) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (error) *error = path + ": cannot open: " + std::strerror(errno);
        return false;
    }
    out.clear();
    char buf[4096];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (error) *error = path + ": cannot read: " + std::strerror(errno);
            ::close(fd);
            return false;
        }
        if (n == 0) break;
        out.append(buf, (size_t)n);
        if (out.size() > max_bytes) {
            if (error) *error = path + ": larger than " + std::to_string(max_bytes) + " bytes, not read";
            ::close(fd);
            return false;
        }
    }
    ::close(fd);
    return true;
}

static std::string dir_of(const std::string& path) {
    size_t s = path.rfind('/');
    if (s == std::string::npos) return ".";
    if (s == 0) return "/";
    return path.substr(0, s);
}

bool write_file_atomic(const std::string& path, const std::string& data, unsigned mode,
                       bool overwrite, std::string* error) {
    if (sodium_init() < 0) {
        if (error) *error = "libsodium failed to initialise";
        return false;
    }
    uint8_t rnd[6];
    randombytes_buf(rnd, sizeof rnd);
    std::string tmp = path + ".tmp-" + to_hex(rnd, sizeof rnd);
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) {
        if (error) *error = tmp + ": cannot create: " + std::strerror(errno);
        return false;
    }
    ::fchmod(fd, mode); // umask must not widen or narrow what we asked for
    size_t off = 0;
    bool ok = true;
    while (off < data.size()) {
        ssize_t n = ::write(fd, data.data() + off, data.size() - off);
        if (n < 0) {
            if (errno == EINTR) continue;
            ok = false;
            break;
        }
        off += (size_t)n;
    }
    if (ok && ::fsync(fd) != 0) ok = false;
    int saved = errno;
    ::close(fd);
    if (!ok) {
        ::unlink(tmp.c_str());
        if (error) *error = path + ": cannot write: " + std::strerror(saved);
        return false;
    }
    // link() fails when the target exists, so "never overwrite" holds even in a race.
    int rc = overwrite ? ::rename(tmp.c_str(), path.c_str()) : ::link(tmp.c_str(), path.c_str());
    saved = errno;
    if (!overwrite) ::unlink(tmp.c_str());
    if (rc != 0) {
        if (overwrite) ::unlink(tmp.c_str());
        if (error)
            *error = saved == EEXIST ? path + ": exists already, not overwritten"
                                     : path + ": cannot create: " + std::strerror(saved);
        return false;
    }
    int dfd = ::open(dir_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd); // the new name itself must survive a power cut
        ::close(dfd);
    }
    return true;
}

} // namespace tk
