// bundle.h - a signed batch of one device's sealed records, the unit that travels from a
// kiosk to the research server, over the network or on a USB stick (same bytes both ways).
//
// Wire form (all integers little-endian; documented with the protocol in sync/transport/BUNDLE.md):
//   "TKB1"           magic, 4 bytes
//   version          u16, 4 (versions 1 to 3 are still read: 1 has no head and no damaged
//                    list, 1 and 2 name no research key, 1 to 3 carry no device status)
//   flags            u16, 0 (reserved; a reader rejects anything else)
//   device_pk        32 bytes, Ed25519 key of the device that wrote every record
//   created          u64, unix seconds when the bundle was made
//   bundle_id        16 random bytes (names the bundle in logs and receipts)
//   count            u32, number of records
//   version 2 only:  head: seq u64, hash 32, time u64, signature 64 (record.h SignedHead;
//                    seq 0 = none); damaged_count u32 + that many u64 sequence numbers of
//                    records the device quarantined (strictly increasing)
//   version 3 only:  u16 length + ASCII fingerprint of the research key the device seals to
//                    (keys.h research_fingerprint; at most 64 bytes, "" = not stated)
//   version 4 on:    u16 length + the device's status, a JSON object (device_status.h; at most
//                    4096 bytes, "" = none); signed with the rest, read by the server
//   count times:     u32 length + the record's wire form (record.h)
//   signature        64 bytes, Ed25519 by device_pk over everything above
//
// A reader checks, in this order: structure and limits (never reads past the end, never
// allocates more than the input's size), the bundle signature, the head statement's signature,
// that every record belongs to device_pk, that the records are consecutive except where the
// skipped numbers are all listed as damaged, that each links to the one before it by hash
// (not across a damaged record, whose hash nobody has), and that the last record of each such
// run carries a valid record signature. That one signature covers every record of its run: it
// signs the hash of the record before it, whose bytes hold the hash of the one before that,
// and so on (see sync/transport/BUNDLE.md, "Checking a chain with one signature"). When it
// fails, every record's signature is checked to name the first bad one. What the server adds
// (the link to its own chain head, replays, heads going backwards) is in server_store.h.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "record.h"

namespace tk {

inline constexpr uint16_t kBundleVersion = 4;
inline constexpr size_t kMaxResearchKeyField = 64;
inline constexpr size_t kMaxStatusField = 4096;

struct Bundle {
    std::array<uint8_t, 32> device_pk{};
    uint64_t created = 0;
    std::array<uint8_t, 16> id{};
    std::vector<Record> records;   // consecutive sequence numbers, in chain order
    std::array<uint8_t, 64> signature{};
    // record_hash of each record, filled by read_bundle from the bytes it checked. ServerStore
    // stores and links by these without hashing again, so they are trusted only as read_bundle
    // computed them: code that builds or edits a Bundle otherwise must clear them (the store
    // then hashes the records itself when the count differs) - never fill in other values.
    std::vector<Hash32> hashes;
    uint16_t version = kBundleVersion; // as read
    SignedHead head;                   // the device's signed chain head (seq 0: none, version 1)
    std::vector<uint64_t> damaged;     // records the device quarantined; never in `records`
    std::string research_key;          // fingerprint the device seals to ("" = not stated, versions 1-2)
    std::string status;                // the device's status JSON as signed ("" = none, versions 1-3)
};

// What a bundle carries besides the records.
struct BundleExtras {
    SignedHead head;                   // Vault::signed_head()
    std::vector<uint64_t> damaged;     // strictly increasing; the gaps between records it covers
    std::string research_key;          // fingerprint of the research key the records are sealed to;
                                       // a server refuses a key it does not accept, storing nothing
    std::string status;                // device_status.h JSON; longer than kMaxStatusField: left out
};

// Limits a reader enforces before doing any work. The network uses the small ones (one
// request must stay cheap); a USB bundle may hold a whole season of one kiosk.
struct BundleLimits {
    size_t max_bytes = 256u << 20;
    size_t max_records = 200000;
};
inline constexpr BundleLimits kNetworkBundleLimits = {8u << 20, 2000};

// What went wrong, so the server can answer with the right status.
enum class BundleProblem {
    None,
    Malformed,     // not a bundle, truncated, trailing bytes, a record that does not parse
    TooLarge,      // over BundleLimits
    BadSignature,  // bundle or record signature fails, or a record from another device
    ChainBroken,   // sequence numbers not consecutive, or a record not linking to the one before
};
const char* bundle_problem_name(BundleProblem p); // "malformed", "too-large", ...

// Builds and signs a bundle of `records` (which must be one device's, consecutive, in order)
// with the device's 64-byte Ed25519 secret key.
// `extras` may be null (no head statement, nothing damaged).
std::vector<uint8_t> make_bundle(const std::vector<Record>& records, const uint8_t device_sk[64],
                                 uint64_t created, const BundleExtras* extras = nullptr);

// Parses and checks everything listed at the top. On failure *problem and *error say what and
// where ("record 3 (3f9a1c0d2b7e4a55-000042): signature does not match ..."). Never crashes,
// whatever the bytes.
bool read_bundle(const uint8_t* data, size_t len, const BundleLimits& limits, Bundle& out,
                 BundleProblem* problem, std::string* error);

// Where the records begin in a bundle's bytes by its version's layout, checking nothing else
// (the research tools salvage the records of a bundle that fails its checks). False with
// *error when the bytes are not a bundle or end before the records.
bool bundle_records_start(const uint8_t* data, size_t len, size_t* pos, std::string* error);

// "3f9a1c0d2b7e4a55" - the device part of record ids, used in logs and messages.
std::string device_id_hex(const std::array<uint8_t, 32>& device_pk);

} // namespace tk
