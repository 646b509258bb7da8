// hex.h - lower-case hexadecimal for keys, hashes and record ids (libsodium's constant-time
// codec, so secrets may pass through it).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace tk {

std::string to_hex(const uint8_t* p, size_t n);
// Exactly n bytes from exactly 2n hex digits (either case); anything else is refused.
bool from_hex(const std::string& hex, uint8_t* out, size_t n);

} // namespace tk
