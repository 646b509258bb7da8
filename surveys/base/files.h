// files.h - reading and writing whole files, with the reason when that fails.
//
// Survey files, LimeSurvey .lss and .lsr files are all read whole before they are parsed;
// this is the one place that does it, so every reader reports an unreadable file alike.
#pragma once
#include <cstddef>
#include <string>

namespace tk {

// Reads the file at `path` into `out`. Returns false with *error "cannot open file: <reason>"
// or "cannot read file: <reason>" (a directory, an I/O error), and `out` empty. The message
// does not repeat the path: each caller puts the path where its own messages have it.
bool read_whole_file(const std::string& path, std::string& out, std::string* error);

// Reads at most `max_bytes` (key files, PINs, configuration): a larger file is refused with
// "PATH: larger than N bytes, not read", never cut short. Errors name the path.
bool read_file_at_most(const std::string& path, size_t max_bytes, std::string& out, std::string* error);
inline constexpr size_t kKeyFileMax = 1u << 20; // key and settings files are a few hundred bytes

// Writes `data` to `path` atomically (temp file, fsync, rename, fsync of the directory)
// with the given mode. Fails if `path` exists and !overwrite.
bool write_file_atomic(const std::string& path, const std::string& data, unsigned mode,
                       bool overwrite, std::string* error);

} // namespace tk
