// record.h - one sealed, signed record of the device's hash chain.
//
// A record is the canonical bytes of a response (or a paper sheet, a tally, ...) sealed to the
// research X25519 public key (an anonymous sealed box like crypto_box_seal, see SealSession), plus a little plain-text metadata the
// server needs to route and count records without opening them, plus the hash of the
// device's previous record, all signed with the device's Ed25519 key. The kiosk can write
// records but never read them back: only the research secret key opens the seal.
//
// Wire form (what is signed, hashed, transmitted; all integers little-endian):
//   "TKR1"                       magic, 4 bytes
//   device_pk                    32 bytes, Ed25519 public key of the writing device
//   seq                          u64, 1 for the device's first record, no gaps
//   prev_hash                    32 bytes, record_hash of seq-1 (all zero for seq 1)
//   survey_id, survey_hash,      each u16 length + UTF-8 bytes (at most 255 bytes)
//   channel, site
//   hour                         u32, unix time / 3600 (time to the hour only)
//   size                         u32, length of the plain text before sealing
//   sealed                       u32 length + sealed box of the plain envelope (see seal_record)
//   signature                    64 bytes, Ed25519 over everything above
// record_hash = BLAKE2b-256 of the whole wire form (signature included).
//
// The plain envelope inside the seal is one codec byte (0 = raw, 1 = tk-lz, see
// compress.h) followed by the (compressed) canonical bytes.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace tk {

using Hash32 = std::array<uint8_t, 32>;

// The plain-text metadata of a record, and nothing more (documented in sync/vault/VAULT.md).
struct RecordMeta {
    std::string survey_id;    // "bedarfe-akteure"
    std::string survey_hash;  // "sha256:..." of the survey file the answers belong to
    std::string channel;      // kChannelKiosk, kChannelPaper, kChannelAssisted, kChannelTally
    std::string site;         // "Stadtbibliothek, Interneterfahrungsort"
    int64_t time = 0;         // unix seconds; stored rounded DOWN to the hour
};

struct Record {
    std::array<uint8_t, 32> device_pk{};
    uint64_t seq = 0;
    Hash32 prev_hash{};
    RecordMeta meta;          // meta.time is a multiple of 3600
    uint32_t size = 0;        // plain-text size
    std::vector<uint8_t> sealed;
    std::array<uint8_t, 64> signature{};
};

inline constexpr size_t kMaxMetaField = 255;
inline constexpr size_t kMaxSealed = 16u << 20; // 16 MiB: far above any survey response

// "3f9a1c0d2b7e4a55-000042": first 8 bytes of the device key in hex, then the sequence
// number. Unique across devices, derived (never stored), sortable per device.
std::string record_id(const std::array<uint8_t, 32>& device_pk, uint64_t seq);

// The bytes the signature covers (wire form without the signature).
std::vector<uint8_t> record_signed_bytes(const Record& r);
// The complete wire form.
std::vector<uint8_t> serialize_record(const Record& r);
// Parses the wire form. Rejects truncation, trailing bytes, oversized fields. Does NOT check
// the signature (see verify_record).
bool parse_record(const uint8_t* data, size_t len, Record& out, std::string* error);
Hash32 record_hash(const Record& r);

// Checks the meta fields are storable (length, no control characters).
bool check_meta(const RecordMeta& m, std::string* error);

// An ephemeral X25519 key pair and its shared key with the research key. Sealing many
// records of one batch with one session costs one key agreement instead of one per record
// (the X25519 step is most of the cost). The ephemeral secret is never stored and is wiped
// when the session ends, so the device cannot open what it sealed - exactly as with
// crypto_box_seal, whose construction this follows.
struct SealSession {
    uint8_t research_pk[32] = {};
    uint8_t epk[32] = {};
    uint8_t shared[32] = {};   // crypto_box_beforenm(research_pk, esk)
    bool ready = false;
    ~SealSession();
};
bool begin_seal_session(const uint8_t research_box_pk[32], SealSession& s);

// Seals `plain` to research_box_pk and signs with device_sk (64-byte Ed25519 secret).
// meta.time is rounded down to the hour. Returns false (with *error) on bad meta.
// sealed = epk (32) || crypto_box_easy_afternm(envelope) with
//          nonce = BLAKE2b-192(epk || research_pk || seq as u64 LE) - unique per record.
bool seal_record(const std::string& plain, const RecordMeta& meta,
                 const uint8_t research_box_pk[32], const uint8_t device_sk[64],
                 uint64_t seq, const Hash32& prev_hash, Record& out, std::string* error);
bool seal_record(const std::string& plain, const RecordMeta& meta, SealSession& session,
                 const uint8_t device_sk[64], uint64_t seq, const Hash32& prev_hash, Record& out,
                 std::string* error);

// Checks the signature against r.device_pk and, when expected_prev is given, that
// r.prev_hash equals it. *error says which check failed.
bool verify_record(const Record& r, const Hash32* expected_prev, std::string* error);

// The device's signed statement of its chain head: "my newest record is `seq`, it hashes to
// `hash`, as of `time`". The vault signs one at every commit, so rows removed at the end with
// the head rewritten are caught without any secret (`vault verify`), and a bundle carries it
// to the server, which flags a head that goes backwards (sync/transport/BUNDLE.md).
// Signed bytes: "TKH1" | device_pk (32) | seq u64 | hash (32) | time u64 (little-endian).
struct SignedHead {
    uint64_t seq = 0;         // 0 = no statement
    Hash32 hash{};
    uint64_t time = 0;        // unix seconds of the commit
    std::array<uint8_t, 64> signature{};
};
void sign_head(SignedHead& h, const uint8_t device_pk[32], const uint8_t device_sk[64]);
bool verify_head(const SignedHead& h, const uint8_t device_pk[32]);


} // namespace tk
