// record.cpp - sealing, signing, the wire form and its parser.
#include "record.h"

#include <cstring>
#include <sodium.h>

#include "compress.h"
#include "little_endian.h"
#include "seal_format.h"
#include "hex.h"

namespace tk {

static const char kMagic[4] = {'T', 'K', 'R', '1'};

std::string record_id(const std::array<uint8_t, 32>& device_pk, uint64_t seq) {
    std::string s = std::to_string(seq);
    if (s.size() < 6) s.insert(0, 6 - s.size(), '0');
    return to_hex(device_pk.data(), 8) + "-" + s;
}

// --- wire form ---

static void put_u16(std::vector<uint8_t>& b, uint32_t v) { put_le(b, v, 2); }
static void put_u32(std::vector<uint8_t>& b, uint32_t v) { put_le(b, v, 4); }
static void put_u64(std::vector<uint8_t>& b, uint64_t v) { put_le(b, v, 8); }
static void put_str(std::vector<uint8_t>& b, const std::string& s) {
    put_u16(b, (uint32_t)s.size());
    b.insert(b.end(), s.begin(), s.end());
}

std::vector<uint8_t> record_signed_bytes(const Record& r) {
    std::vector<uint8_t> b;
    b.reserve(4 + 32 + 8 + 32 + 8 + r.meta.survey_id.size() + r.meta.survey_hash.size() +
              r.meta.channel.size() + r.meta.site.size() + 12 + r.sealed.size() + 64);
    b.insert(b.end(), kMagic, kMagic + 4);
    b.insert(b.end(), r.device_pk.begin(), r.device_pk.end());
    put_u64(b, r.seq);
    b.insert(b.end(), r.prev_hash.begin(), r.prev_hash.end());
    put_str(b, r.meta.survey_id);
    put_str(b, r.meta.survey_hash);
    put_str(b, r.meta.channel);
    put_str(b, r.meta.site);
    put_u32(b, (uint32_t)(r.meta.time / 3600));
    put_u32(b, r.size);
    put_u32(b, (uint32_t)r.sealed.size());
    b.insert(b.end(), r.sealed.begin(), r.sealed.end());
    return b;
}

std::vector<uint8_t> serialize_record(const Record& r) {
    std::vector<uint8_t> b = record_signed_bytes(r);
    b.insert(b.end(), r.signature.begin(), r.signature.end());
    return b;
}

Hash32 record_hash(const Record& r) {
    std::vector<uint8_t> b = serialize_record(r);
    Hash32 h;
    crypto_generichash(h.data(), h.size(), b.data(), b.size(), nullptr, 0);
    return h;
}

struct Reader {
    const uint8_t* p;
    size_t n, pos = 0;
    const char* what = nullptr; // first failure
    bool take(void* out, size_t k, const char* field) {
        if (what) return false;
        if (n - pos < k) {
            what = field;
            return false;
        }
        std::memcpy(out, p + pos, k);
        pos += k;
        return true;
    }
    uint64_t uint(size_t k, const char* field) {
        uint8_t b[8] = {};
        if (!take(b, k, field)) return 0;
        return get_le(b, (int)k);
    }
    bool str(std::string& s, const char* field) {
        size_t len = (size_t)uint(2, field);
        if (what) return false;
        if (len > kMaxMetaField || n - pos < len) {
            what = field;
            return false;
        }
        s.assign((const char*)p + pos, len);
        pos += len;
        return true;
    }
};

bool parse_record(const uint8_t* data, size_t len, Record& out, std::string* error) {
    Reader rd{data, len};
    char magic[4] = {};
    rd.take(magic, 4, "magic");
    if (!rd.what && std::memcmp(magic, kMagic, 4) != 0) {
        if (error) *error = "not a Teilhabe record (bad magic)";
        return false;
    }
    rd.take(out.device_pk.data(), 32, "device key");
    out.seq = rd.uint(8, "sequence number");
    rd.take(out.prev_hash.data(), 32, "previous hash");
    rd.str(out.meta.survey_id, "survey id");
    rd.str(out.meta.survey_hash, "survey hash");
    rd.str(out.meta.channel, "channel");
    rd.str(out.meta.site, "site");
    out.meta.time = (int64_t)rd.uint(4, "hour") * 3600;
    out.size = (uint32_t)rd.uint(4, "size");
    size_t sealed_len = (size_t)rd.uint(4, "sealed length");
    if (!rd.what && (sealed_len > kMaxSealed || sealed_len > len - rd.pos)) rd.what = "sealed data";
    if (!rd.what) {
        out.sealed.assign(data + rd.pos, data + rd.pos + sealed_len);
        rd.pos += sealed_len;
    }
    rd.take(out.signature.data(), 64, "signature");
    if (rd.what) {
        if (error) *error = std::string("record truncated or damaged at ") + rd.what;
        return false;
    }
    if (rd.pos != len) {
        if (error) *error = std::to_string(len - rd.pos) + " trailing bytes after the signature";
        return false;
    }
    if (out.seq == 0) {
        if (error) *error = "sequence number 0 (sequences start at 1)";
        return false;
    }
    return check_meta(out.meta, error);
}

bool check_meta(const RecordMeta& m, std::string* error) {
    const std::pair<const char*, const std::string*> fields[] = {
        {"survey id", &m.survey_id}, {"survey hash", &m.survey_hash},
        {"channel", &m.channel}, {"site", &m.site}};
    for (auto& f : fields) {
        if (f.second->size() > kMaxMetaField) {
            if (error) *error = std::string(f.first) + " longer than 255 bytes";
            return false;
        }
        for (unsigned char c : *f.second)
            if (c < 0x20 || c == 0x7F) {
                if (error) *error = std::string(f.first) + " contains a control character";
                return false;
            }
    }
    if (m.survey_id.empty() || m.channel.empty()) {
        if (error) *error = m.survey_id.empty() ? "survey id is empty" : "channel is empty";
        return false;
    }
    if (m.time < 0 || m.time / 3600 > 0xFFFFFFFFll) {
        if (error) *error = "time out of range";
        return false;
    }
    return true;
}

SealSession::~SealSession() { sodium_memzero(shared, sizeof shared); }

bool begin_seal_session(const uint8_t research_box_pk[32], SealSession& s) {
    if (sodium_init() < 0) return false;
    uint8_t esk[32];
    crypto_box_keypair(s.epk, esk);
    std::memcpy(s.research_pk, research_box_pk, 32);
    int rc = crypto_box_beforenm(s.shared, research_box_pk, esk);
    sodium_memzero(esk, sizeof esk); // from here on, only the research key opens these records
    s.ready = rc == 0;
    return s.ready;
}

bool seal_record(const std::string& plain, const RecordMeta& meta, const uint8_t research_box_pk[32],
                 const uint8_t device_sk[64], uint64_t seq, const Hash32& prev_hash, Record& out,
                 std::string* error) {
    SealSession s;
    if (!begin_seal_session(research_box_pk, s)) {
        if (error) *error = "sealing failed (bad research public key)";
        return false;
    }
    return seal_record(plain, meta, s, device_sk, seq, prev_hash, out, error);
}

bool seal_record(const std::string& plain, const RecordMeta& meta, SealSession& session,
                 const uint8_t device_sk[64], uint64_t seq, const Hash32& prev_hash, Record& out,
                 std::string* error) {
    if (!session.ready) {
        if (error) *error = "sealing failed (no seal session)";
        return false;
    }
    if (!check_meta(meta, error)) return false;
    if (plain.size() > kMaxSealed - 1024) {
        if (error) *error = "record larger than 16 MiB";
        return false;
    }
    if (sodium_init() < 0) {
        if (error) *error = "libsodium failed to initialise";
        return false;
    }
    // Envelope: codec byte + data. Compressed only when that is actually smaller.
    std::string packed = lz_compress(plain);
    std::string env;
    if (packed.size() < plain.size()) {
        env.reserve(packed.size() + 1);
        env += (char)kCodecLz;
        env += packed;
    } else {
        env.reserve(plain.size() + 1);
        env += (char)kCodecRaw;
        env += plain;
    }
    sodium_memzero(packed.data(), packed.size());
    out = Record{};
    crypto_sign_ed25519_sk_to_pk(out.device_pk.data(), device_sk);
    out.seq = seq;
    out.prev_hash = prev_hash;
    out.meta = meta;
    out.meta.time = meta.time - meta.time % 3600;
    out.size = (uint32_t)plain.size();
    out.sealed.resize(kSealOverhead + env.size());
    std::memcpy(out.sealed.data(), session.epk, 32);
    uint8_t nonce[crypto_box_NONCEBYTES];
    seal_nonce(nonce, session.epk, session.research_pk, seq);
    int rc = crypto_box_easy_afternm(out.sealed.data() + 32, (const uint8_t*)env.data(), env.size(), nonce,
                                     session.shared);
    sodium_memzero(env.data(), env.size());
    if (rc != 0) {
        if (error) *error = "sealing failed (bad research public key)";
        return false;
    }
    std::vector<uint8_t> msg = record_signed_bytes(out);
    crypto_sign_detached(out.signature.data(), nullptr, msg.data(), msg.size(), device_sk);
    return true;
}

bool verify_record(const Record& r, const Hash32* expected_prev, std::string* error) {
    if (sodium_init() < 0) {
        if (error) *error = "libsodium failed to initialise";
        return false;
    }
    std::vector<uint8_t> msg = record_signed_bytes(r);
    if (crypto_sign_verify_detached(r.signature.data(), msg.data(), msg.size(), r.device_pk.data()) != 0) {
        if (error) *error = "signature does not match (record altered, or signed by another device)";
        return false;
    }
    if (expected_prev && sodium_memcmp(expected_prev->data(), r.prev_hash.data(), 32) != 0) {
        if (error) *error = "previous-record hash does not match (a record before it is missing or altered)";
        return false;
    }
    return true;
}

static std::vector<uint8_t> head_signed_bytes(const SignedHead& h, const uint8_t device_pk[32]) {
    std::vector<uint8_t> b = {'T', 'K', 'H', '1'};
    b.insert(b.end(), device_pk, device_pk + 32);
    put_u64(b, h.seq);
    b.insert(b.end(), h.hash.begin(), h.hash.end());
    put_u64(b, h.time);
    return b;
}

void sign_head(SignedHead& h, const uint8_t device_pk[32], const uint8_t device_sk[64]) {
    std::vector<uint8_t> msg = head_signed_bytes(h, device_pk);
    crypto_sign_detached(h.signature.data(), nullptr, msg.data(), msg.size(), device_sk);
}

bool verify_head(const SignedHead& h, const uint8_t device_pk[32]) {
    if (sodium_init() < 0) return false;
    std::vector<uint8_t> msg = head_signed_bytes(h, device_pk);
    return crypto_sign_verify_detached(h.signature.data(), msg.data(), msg.size(), device_pk) == 0;
}

} // namespace tk
