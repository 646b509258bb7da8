// receipt.h - the server's signed statement "I hold this device's chain up to seq N, and the
// record at N hashes to H". A kiosk marks records synced only on a receipt whose signature
// verifies against the server key it pinned at enrolment and whose hash matches its own record
// N: then the server provably holds exactly the kiosk's chain up to N (each record links to
// the one before it). Network uploads get a receipt in the answer; `teilhabe-server import`
// writes one next to the USB bundle for the coordinator to bring back (sync/transport/BUNDLE.md),
// also for a bundle refused as a gap: then it names the server's head, the records after it
// are what the server misses, and the kiosk sends them again ("Resending" there).
//
// Wire form (little-endian):
//   "TKQ1"        magic
//   version       u16, 1
//   flags         u16, 0
//   server_pk     32 bytes, Ed25519 key of the server (server.key in its data directory)
//   device_pk     32 bytes
//   acked_seq     u64, the server's chain head for this device (0 = nothing yet)
//   acked_hash    32 bytes, record_hash of record acked_seq (zeros when acked_seq = 0)
//   time          u64, unix seconds
//   stored        u32, records newly stored by this upload/import
//   duplicates    u32, records of it the server already had
//   bundle_id     16 bytes, the bundle this answers (zeros for a plain state query)
//   signature     64 bytes, Ed25519 by server_pk over everything above
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "record.h"

namespace tk {

struct Receipt {
    std::array<uint8_t, 32> server_pk{};
    std::array<uint8_t, 32> device_pk{};
    uint64_t acked_seq = 0;
    Hash32 acked_hash{};
    uint64_t time = 0;
    uint32_t stored = 0, duplicates = 0;
    std::array<uint8_t, 16> bundle_id{};
    std::array<uint8_t, 64> signature{};
};

inline constexpr size_t kReceiptSize = 4 + 2 + 2 + 32 + 32 + 8 + 32 + 8 + 4 + 4 + 16 + 64;

// Fills r.server_pk from server_sk and signs.
std::vector<uint8_t> make_receipt(Receipt r, const uint8_t server_sk[64]);
// Parses and checks the signature against the receipt's own server_pk; the caller compares
// server_pk with the pinned key.
bool read_receipt(const uint8_t* data, size_t len, Receipt& out, std::string* error);

} // namespace tk
