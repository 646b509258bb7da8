// little_endian.h - the byte order of every binary format in sync/ (records, bundles,
// receipts): integers are written least significant byte first, whatever the CPU does, so a
// bundle written on one kiosk reads the same on any server.
#pragma once
#include <cstdint>
#include <vector>

namespace tk {

inline void put_le(std::vector<uint8_t>& b, uint64_t v, int bytes) {
    for (int i = 0; i < bytes; i++) b.push_back((uint8_t)(v >> (8 * i)));
}

// The caller has checked that `bytes` bytes are there.
inline uint64_t get_le(const uint8_t* p, int bytes) {
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++) v |= (uint64_t)p[i] << (8 * i);
    return v;
}

} // namespace tk
