// hex.cpp - see hex.h.
#include "hex.h"

#include <sodium.h>

namespace tk {

std::string to_hex(const uint8_t* p, size_t n) {
    std::string s(n * 2 + 1, '\0');
    sodium_bin2hex(s.data(), s.size(), p, n);
    s.pop_back();
    return s;
}

bool from_hex(const std::string& hex, uint8_t* out, size_t n) {
    if (hex.size() != n * 2) return false;
    size_t got = 0;
    const char* end = nullptr;
    if (sodium_hex2bin(out, n, hex.data(), hex.size(), nullptr, &got, &end) != 0) return false;
    return got == n && end == hex.data() + hex.size();
}

} // namespace tk
