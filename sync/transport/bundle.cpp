// bundle.cpp - writing and checking bundles (format in bundle.h and sync/transport/BUNDLE.md).
#include "bundle.h"

#include <algorithm>
#include <cstring>
#include <sodium.h>

#include "little_endian.h"
#include "hex.h"

namespace tk {

static const char kMagic[4] = {'T', 'K', 'B', '1'};
// Fixed part: magic, version, flags, device key, created, id, count.
static constexpr size_t kHeaderSize = 4 + 2 + 2 + 32 + 8 + 16 + 4;
// Version 2 after it: the head statement, then damaged_count (the list follows).
static constexpr size_t kHeadSize = 8 + 32 + 8 + 64;
// The smallest record wire form: fixed fields only (record.h), used to bound `count` by the
// input size before anything is allocated.
static constexpr size_t kMinRecordSize = 4 + 32 + 8 + 32 + 4 * 2 + 4 + 4 + 4 + 64;

const char* bundle_problem_name(BundleProblem p) {
    switch (p) {
    case BundleProblem::None: return "ok";
    case BundleProblem::Malformed: return "malformed";
    case BundleProblem::TooLarge: return "too-large";
    case BundleProblem::BadSignature: return "bad-signature";
    case BundleProblem::ChainBroken: return "chain-broken";
    }
    return "unknown";
}

std::string device_id_hex(const std::array<uint8_t, 32>& device_pk) { return to_hex(device_pk.data(), 8); }

std::vector<uint8_t> make_bundle(const std::vector<Record>& records, const uint8_t device_sk[64], uint64_t created,
                                 const BundleExtras* extras) {
    if (sodium_init() < 0) return {};
    std::vector<uint8_t> b;
    size_t total = kHeaderSize + kHeadSize + 4 + (extras ? 8 * extras->damaged.size() : 0) + 2 + kMaxResearchKeyField + 2 + kMaxStatusField + 64;
    for (const Record& r : records) total += 4 + kMinRecordSize + r.sealed.size() + 4 * kMaxMetaField;
    b.reserve(total);
    b.insert(b.end(), kMagic, kMagic + 4);
    put_le(b, kBundleVersion, 2);
    put_le(b, 0, 2);
    uint8_t pk[32];
    crypto_sign_ed25519_sk_to_pk(pk, device_sk);
    b.insert(b.end(), pk, pk + 32);
    put_le(b, created, 8);
    uint8_t id[16];
    randombytes_buf(id, sizeof id);
    b.insert(b.end(), id, id + 16);
    put_le(b, records.size(), 4);
    SignedHead none;
    const SignedHead& head = extras ? extras->head : none;
    put_le(b, head.seq, 8);
    b.insert(b.end(), head.hash.begin(), head.hash.end());
    put_le(b, head.time, 8);
    b.insert(b.end(), head.signature.begin(), head.signature.end());
    put_le(b, extras ? extras->damaged.size() : 0, 4);
    if (extras)
        for (uint64_t seq : extras->damaged) put_le(b, seq, 8);
    std::string rk = extras ? extras->research_key.substr(0, kMaxResearchKeyField) : std::string();
    put_le(b, rk.size(), 2);
    b.insert(b.end(), rk.begin(), rk.end());
    std::string st = extras && extras->status.size() <= kMaxStatusField ? extras->status : std::string();
    put_le(b, st.size(), 2);
    b.insert(b.end(), st.begin(), st.end());
    for (const Record& r : records) {
        std::vector<uint8_t> w = serialize_record(r);
        put_le(b, w.size(), 4);
        b.insert(b.end(), w.begin(), w.end());
    }
    uint8_t sig[64];
    crypto_sign_detached(sig, nullptr, b.data(), b.size(), device_sk);
    b.insert(b.end(), sig, sig + 64);
    return b;
}

static bool fail(BundleProblem p, const std::string& msg, BundleProblem* problem, std::string* error) {
    if (problem) *problem = p;
    if (error) *error = msg;
    return false;
}

// Version 2's head statement and damaged list (and version 3's research key), from `pos` (after the fixed header). Advances
// pos; the signature over the whole bundle was already checked.
static bool read_extras(const uint8_t* data, size_t body_end, size_t& pos, const BundleLimits& limits, Bundle& out,
                        BundleProblem* problem, std::string* error) {
    if (body_end - pos < kHeadSize + 4) return fail(BundleProblem::Malformed, "bundle truncated in its head statement", problem, error);
    out.head.seq = get_le(data + pos, 8);
    std::memcpy(out.head.hash.data(), data + pos + 8, 32);
    out.head.time = get_le(data + pos + 40, 8);
    std::memcpy(out.head.signature.data(), data + pos + 48, 64);
    pos += kHeadSize;
    if (out.head.seq != 0 && !verify_head(out.head, out.device_pk.data()))
        return fail(BundleProblem::BadSignature, "the head statement is not signed by device " + device_id_hex(out.device_pk),
                    problem, error);
    uint64_t n = get_le(data + pos, 4);
    pos += 4;
    if (n > limits.max_records || n > (body_end - pos) / 8)
        return fail(BundleProblem::Malformed, "bundle lists " + std::to_string(n) + " damaged records, more than it can hold",
                    problem, error);
    out.damaged.reserve((size_t)n);
    for (uint64_t i = 0; i < n; i++, pos += 8) {
        uint64_t seq = get_le(data + pos, 8);
        if (seq == 0 || (!out.damaged.empty() && seq <= out.damaged.back()))
            return fail(BundleProblem::Malformed, "the list of damaged records is not in increasing order", problem, error);
        out.damaged.push_back(seq);
    }
    if (out.version < 3) return true;
    // Version 3: the research key's fingerprint, printable ASCII (it goes into logs and messages).
    if (body_end - pos < 2) return fail(BundleProblem::Malformed, "bundle truncated before its research key", problem, error);
    size_t klen = (size_t)get_le(data + pos, 2);
    pos += 2;
    if (klen > kMaxResearchKeyField || klen > body_end - pos)
        return fail(BundleProblem::Malformed, "the research key field is longer than " + std::to_string(kMaxResearchKeyField) +
                    " bytes or runs past the end", problem, error);
    for (size_t i = 0; i < klen; i++)
        if (data[pos + i] < 0x21 || data[pos + i] > 0x7e)
            return fail(BundleProblem::Malformed, "the research key field holds a byte that is not printable ASCII", problem, error);
    out.research_key.assign((const char*)data + pos, klen);
    pos += klen;
    if (out.version < 4) return true;
    // Version 4: the device's status. Only its length is checked here; the server parses it
    // (device_status.h) and a status it cannot read costs the bundle nothing.
    if (body_end - pos < 2) return fail(BundleProblem::Malformed, "bundle truncated before its device status", problem, error);
    size_t slen = (size_t)get_le(data + pos, 2);
    pos += 2;
    if (slen > kMaxStatusField || slen > body_end - pos)
        return fail(BundleProblem::Malformed, "the device status is longer than " + std::to_string(kMaxStatusField) +
                    " bytes or runs past the end", problem, error);
    out.status.assign((const char*)data + pos, slen);
    pos += slen;
    return true;
}

bool bundle_records_start(const uint8_t* data, size_t len, size_t* pos, std::string* error) {
    if (len < kHeaderSize + 64 || std::memcmp(data, kMagic, 4) != 0) return fail(BundleProblem::Malformed, "not a bundle (no TKB1 header)", nullptr, error);
    size_t end = len - 64, at = kHeaderSize;
    uint64_t version = get_le(data + 4, 2);
    if (version >= 2) {
        if (end - at < kHeadSize + 4) return fail(BundleProblem::Malformed, "bundle truncated in its head statement", nullptr, error);
        uint64_t n = get_le(data + at + kHeadSize, 4);
        at += kHeadSize + 4;
        if (n > (end - at) / 8) return fail(BundleProblem::Malformed, "bundle's list of damaged records runs past its end", nullptr, error);
        at += 8 * (size_t)n;
    }
    if (version >= 3) {
        if (end - at < 2 || get_le(data + at, 2) > end - at - 2)
            return fail(BundleProblem::Malformed, "bundle truncated in its research key", nullptr, error);
        at += 2 + (size_t)get_le(data + at, 2);
    }
    if (version >= 4) {
        if (end - at < 2 || get_le(data + at, 2) > end - at - 2)
            return fail(BundleProblem::Malformed, "bundle truncated in its device status", nullptr, error);
        at += 2 + (size_t)get_le(data + at, 2);
    }
    *pos = at;
    return true;
}

// Are all of first..last (inclusive) in the sorted list `damaged`?
static bool all_damaged(const std::vector<uint64_t>& damaged, uint64_t first, uint64_t last) {
    auto lo = std::lower_bound(damaged.begin(), damaged.end(), first);
    auto hi = std::upper_bound(damaged.begin(), damaged.end(), last);
    return last >= first && (uint64_t)(hi - lo) == last - first + 1;
}

bool read_bundle(const uint8_t* data, size_t len, const BundleLimits& limits, Bundle& out,
                 BundleProblem* problem, std::string* error) {
    if (problem) *problem = BundleProblem::None;
    out = Bundle{};
    if (len > limits.max_bytes)
        return fail(BundleProblem::TooLarge, "bundle of " + std::to_string(len) + " bytes is over the limit of " +
                    std::to_string(limits.max_bytes), problem, error);
    if (len < 4 || std::memcmp(data, kMagic, 4) != 0)
        return fail(BundleProblem::Malformed, "not a Teilhabe bundle (bad magic)", problem, error);
    if (len < kHeaderSize + 64)
        return fail(BundleProblem::Malformed, "bundle truncated in its header", problem, error);
    uint16_t version = (uint16_t)get_le(data + 4, 2), flags = (uint16_t)get_le(data + 6, 2);
    if (version < 1 || version > kBundleVersion)
        return fail(BundleProblem::Malformed, "bundle version " + std::to_string(version) + " is not supported (this program reads versions 1 to " +
                    std::to_string(kBundleVersion) + ")", problem, error);
    if (flags != 0) return fail(BundleProblem::Malformed, "unknown bundle flags " + std::to_string(flags), problem, error);
    out.version = version;
    std::memcpy(out.device_pk.data(), data + 8, 32);
    out.created = get_le(data + 40, 8);
    std::memcpy(out.id.data(), data + 48, 16);
    uint64_t count = get_le(data + 64, 4);
    size_t body_end = len - 64; // the signature is the last 64 bytes
    if (count > limits.max_records)
        return fail(BundleProblem::TooLarge, "bundle holds " + std::to_string(count) + " records, over the limit of " +
                    std::to_string(limits.max_records), problem, error);
    // Every record needs at least 4 + kMinRecordSize bytes: a count the input cannot hold is
    // rejected before reserving memory for it.
    if (count > (body_end - kHeaderSize) / (4 + kMinRecordSize))
        return fail(BundleProblem::Malformed, "bundle claims " + std::to_string(count) + " records but is too short for them",
                    problem, error);

    // Signature first: nothing the device did not sign is looked at any further.
    if (sodium_init() < 0) return fail(BundleProblem::Malformed, "libsodium failed to initialise", problem, error);
    std::memcpy(out.signature.data(), data + body_end, 64);
    if (crypto_sign_verify_detached(out.signature.data(), data, body_end, out.device_pk.data()) != 0)
        return fail(BundleProblem::BadSignature,
                    "bundle signature does not verify (bundle altered, or not signed by device " + device_id_hex(out.device_pk) + ")",
                    problem, error);
    size_t pos = kHeaderSize;
    if (version >= 2 && !read_extras(data, body_end, pos, limits, out, problem, error)) return false;

    out.records.reserve((size_t)count);
    out.hashes.reserve((size_t)count);
    std::vector<size_t> run_ends; // last record of each run of linked records
    for (uint64_t i = 0; i < count; i++) {
        std::string where = "record " + std::to_string(i + 1);
        if (body_end - pos < 4) return fail(BundleProblem::Malformed, where + ": truncated length", problem, error);
        size_t rlen = (size_t)get_le(data + pos, 4);
        pos += 4;
        if (rlen > body_end - pos) return fail(BundleProblem::Malformed, where + ": length runs past the end", problem, error);
        Record r;
        std::string err;
        if (!parse_record(data + pos, rlen, r, &err)) return fail(BundleProblem::Malformed, where + ": " + err, problem, error);
        Hash32 h;
        // The record's wire form is exactly these bytes (parse_record accepts nothing else), so
        // its hash is taken here without serialising it again.
        crypto_generichash(h.data(), h.size(), data + pos, rlen, nullptr, 0);
        pos += rlen;
        where += " (" + record_id(r.device_pk, r.seq) + ")";
        if (r.device_pk != out.device_pk)
            return fail(BundleProblem::BadSignature, where + ": written by another device than the bundle's", problem, error);
        if (std::binary_search(out.damaged.begin(), out.damaged.end(), r.seq))
            return fail(BundleProblem::Malformed, where + ": listed as damaged, yet in the bundle", problem, error);
        if (!out.records.empty()) {
            const Record& prev = out.records.back();
            // Numbers skipped over must all be records the device quarantined; the link across
            // them cannot be checked (nobody has their hash), so a new run starts.
            bool over_damaged = r.seq > prev.seq + 1 && all_damaged(out.damaged, prev.seq + 1, r.seq - 1);
            if (r.seq != prev.seq + 1 && !over_damaged)
                return fail(BundleProblem::ChainBroken, where + ": follows sequence number " + std::to_string(prev.seq) +
                            (r.seq > prev.seq + 1 ? " (records missing in between)" : " (out of order)"), problem, error);
            if (over_damaged) run_ends.push_back(out.records.size() - 1);
            else if (r.prev_hash != out.hashes.back())
                return fail(BundleProblem::ChainBroken, where + ": does not link to the record before it (that record was altered or replaced)",
                            problem, error);
        }
        out.records.push_back(std::move(r));
        out.hashes.push_back(h);
    }
    if (!out.records.empty()) run_ends.push_back(out.records.size() - 1);
    if (out.head.seq != 0 && !out.records.empty() && out.head.seq < out.records.back().seq)
        return fail(BundleProblem::ChainBroken, "the head statement names record " + std::to_string(out.head.seq) +
                    " as the newest, but the bundle holds record " + std::to_string(out.records.back().seq), problem, error);
    // Record signatures: the last one of each run vouches for the run (every record is linked
    // by hash to the next). Only when one fails is each one checked, to name the first bad record.
    bool runs_ok = true;
    for (size_t e : run_ends) runs_ok = runs_ok && verify_record(out.records[e], nullptr, nullptr);
    if (!runs_ok) {
        for (size_t i = 0; i < out.records.size(); i++) {
            std::string err;
            if (!verify_record(out.records[i], nullptr, &err))
                return fail(BundleProblem::BadSignature, "record " + std::to_string(i + 1) + " (" +
                            record_id(out.records[i].device_pk, out.records[i].seq) + "): " + err, problem, error);
        }
    }
    if (pos != body_end)
        return fail(BundleProblem::Malformed, std::to_string(body_end - pos) + " unexpected bytes after the last record", problem, error);
    return true;
}

} // namespace tk
