// request_log.cpp - log_safe (see request_log.h).
#include "request_log.h"

namespace tk {

// Length of the valid UTF-8 sequence at s[i] that is not a C1 control (U+0080..U+009F), or 0.
static size_t printable_utf8(const std::string& s, size_t i) {
    unsigned char c = (unsigned char)s[i];
    size_t n = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
    if (n == 0 || i + n > s.size()) return 0;
    for (size_t k = 1; k < n; k++)
        if (((unsigned char)s[i + k] & 0xc0) != 0x80) return 0;
    unsigned char c1 = (unsigned char)s[i + 1];
    if (n == 2 && c == 0xc2 && c1 < 0xa0) return 0;               // C1 controls
    if (n == 3 && c == 0xe0 && c1 < 0xa0) return 0;               // overlong
    if (n == 3 && c == 0xed && c1 >= 0xa0) return 0;              // surrogates
    if (n == 4 && ((c == 0xf0 && c1 < 0x90) || (c == 0xf4 && c1 >= 0x90))) return 0;
    return n;
}

std::string log_safe(const std::string& text, size_t max) {
    static const char* hex = "0123456789abcdef";
    std::string out;
    out.reserve(text.size() < max ? text.size() : max);
    size_t i = 0;
    while (i < text.size()) {
        unsigned char c = (unsigned char)text[i];
        size_t n = c >= 0x80 ? printable_utf8(text, i) : (c >= 0x20 && c != 0x7f && c != '\\') ? 1 : 0;
        std::string piece = n ? text.substr(i, n) : std::string{'\\', 'x', hex[c >> 4], hex[c & 15]};
        if (out.size() + piece.size() > max) break;
        out += piece;
        i += n ? n : 1;
    }
    if (i < text.size()) out += "...(" + std::to_string(text.size()) + " bytes)";
    return out;
}

} // namespace tk
