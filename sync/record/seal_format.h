// seal_format.h - the layout of a record's sealed part, shared by the sealing code (here) and
// the opening code (sync/research/open_record.cpp). Not for other callers.
//
//   sealed = ephemeral X25519 public key (32) || crypto_box_easy_afternm(envelope)
//   envelope = codec byte || plain text (raw) or its LZ-compressed form
//   nonce = BLAKE2b-192(epk || research box pk || seq, little endian)
#pragma once
#include <cstdint>
#include <cstring>
#include <sodium.h>

namespace tk {

enum : uint8_t { kCodecRaw = 0, kCodecLz = 1 };
inline constexpr size_t kSealOverhead = 32 + crypto_box_MACBYTES;

inline void seal_nonce(uint8_t nonce[crypto_box_NONCEBYTES], const uint8_t epk[32], const uint8_t rpk[32], uint64_t seq) {
    uint8_t in[72];
    std::memcpy(in, epk, 32);
    std::memcpy(in + 32, rpk, 32);
    for (int i = 0; i < 8; i++) in[64 + i] = (uint8_t)(seq >> (8 * i));
    crypto_generichash(nonce, crypto_box_NONCEBYTES, in, sizeof in, nullptr, 0);
}

} // namespace tk
