// request_log.h - making untrusted text safe for the server's log (one event, one line).
//
//   log_safe     control characters, backslashes, C1 controls and invalid UTF-8 as \xNN; capped
//
// A request's path, headers and body are the client's words. Written to the log as they are, a
// %0a in a URL forges a second log line, and an escape sequence (ESC [ ...) reaches the terminal
// of the operator who reads the log and can recolour, move or hide text there.
#pragma once
#include <cstddef>
#include <string>

namespace tk {

// `text` with every byte below 0x20, 0x7f, '\' and every byte that is not part of valid
// printable UTF-8 written as \xNN; longer than `max` bytes of output: cut, with "...(N bytes)".
std::string log_safe(const std::string& text, size_t max = 1024);

} // namespace tk
