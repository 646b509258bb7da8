// read_file.h - the whole of a file as bytes, with the reason when that fails.
//
// Survey files, LimeSurvey .lss and .lsr files are all read whole before they are parsed;
// this is the one place that does it, so every reader reports an unreadable file alike.
#pragma once
#include <string>

namespace tk {

// Reads the file at `path` into `out`. Returns false with *error "cannot open file: <reason>"
// or "cannot read file: <reason>" (a directory, an I/O error), and `out` empty. The message
// does not repeat the path: each caller puts the path where its own messages have it.
bool read_whole_file(const std::string& path, std::string& out, std::string* error);

} // namespace tk
