// Bundles, receipts and pairing codes: the formats the transport relies on.
#include <doctest/doctest.h>
#include <algorithm>
#include <sodium.h>

#include "bundle.h"
#include "enrolment.h"
#include "receipt.h"
#include "record.h"

using namespace tk;

namespace {
struct Keys {
    uint8_t box_pk[32], box_sk[32];
    uint8_t dev_pk[32], dev_sk[64];
    Keys() {
        REQUIRE(sodium_init() >= 0);
        crypto_box_keypair(box_pk, box_sk);
        crypto_sign_keypair(dev_pk, dev_sk);
    }
};

// n chained records of one device, starting after (seq0, prev).
std::vector<Record> chain(const Keys& k, size_t n, uint64_t seq0 = 0, Hash32 prev = {}, const std::string& salt = "") {
    std::vector<Record> out;
    for (size_t i = 0; i < n; i++) {
        RecordMeta m;
        m.survey_id = "drill";
        m.survey_hash = "sha256:abc";
        m.channel = "kiosk";
        m.site = "Bibliothek";
        m.time = 1764000000 + (int64_t)i * 3600;
        Record r;
        std::string err;
        REQUIRE(seal_record("{\"answer\":" + std::to_string(seq0 + i + 1) + salt + "}", m, k.box_pk, k.dev_sk, seq0 + i + 1, prev, r, &err));
        prev = record_hash(r);
        out.push_back(r);
    }
    return out;
}

// read_bundle's whole answer: whether it read, what, and if not, which problem and why.
struct ReadBack {
    bool ok = false;
    Bundle bundle;
    BundleProblem problem = BundleProblem::None;
    std::string err;
};

ReadBack read_back(const uint8_t* data, size_t len, const BundleLimits& limits = {}) {
    ReadBack r;
    r.ok = read_bundle(data, len, limits, r.bundle, &r.problem, &r.err);
    return r;
}

ReadBack read_back(const std::vector<uint8_t>& b, const BundleLimits& limits = {}) {
    return read_back(b.data(), b.size(), limits);
}
} // namespace

TEST_CASE("bundle: round trip keeps every record byte for byte") {
    Keys k;
    auto recs = chain(k, 5);
    auto b = make_bundle(recs, k.dev_sk, 1764000123);
    Bundle out;
    BundleProblem p = BundleProblem::Malformed; // a success must say None, not leave this
    std::string err;
    REQUIRE_MESSAGE(read_bundle(b.data(), b.size(), BundleLimits{}, out, &p, &err), err);
    CHECK(p == BundleProblem::None);
    CHECK(out.created == 1764000123);
    CHECK(std::equal(out.device_pk.begin(), out.device_pk.end(), k.dev_pk));
    REQUIRE(out.records.size() == 5);
    for (size_t i = 0; i < 5; i++) CHECK(serialize_record(out.records[i]) == serialize_record(recs[i]));
    // Bundles of the same records differ in their id (names them in receipts).
    ReadBack again = read_back(make_bundle(recs, k.dev_sk, 1764000123));
    REQUIRE(again.ok);
    CHECK(again.bundle.id != out.id);
}

TEST_CASE("bundle: an empty bundle is valid (a signed state query)") {
    Keys k;
    ReadBack r = read_back(make_bundle({}, k.dev_sk, 1));
    CHECK(r.ok);
    CHECK(r.bundle.records.empty());
}

TEST_CASE("bundle: every single flipped byte is refused") {
    Keys k;
    auto b = make_bundle(chain(k, 2), k.dev_sk, 7);
    for (size_t i = 0; i < b.size(); i++) {
        auto c = b;
        c[i] ^= 0x01;
        ReadBack r = read_back(c);
        CHECK_MESSAGE(!r.ok, "byte " << i);
        CHECK(r.problem != BundleProblem::None);
        CHECK(!r.err.empty());
    }
}

TEST_CASE("bundle: every truncation and appended byte is refused as malformed") {
    Keys k;
    auto b = make_bundle(chain(k, 2), k.dev_sk, 7);
    // Without problem and error pointers, so every refusal is also tried with nowhere to report to.
    for (size_t n = 0; n < b.size(); n++) {
        Bundle out;
        CHECK_MESSAGE(!read_bundle(b.data(), n, BundleLimits{}, out, nullptr, nullptr), "length " << n);
    }
    auto c = b;
    c.push_back(0);
    CHECK(!read_back(c).ok);
}

TEST_CASE("bundle: a record removed from the chain is reported by id, even when the bundle is re-signed") {
    Keys k;
    auto recs = chain(k, 6);
    recs.erase(recs.begin() + 3); // record 4 gone
    ReadBack r = read_back(make_bundle(recs, k.dev_sk, 7));
    CHECK(!r.ok);
    CHECK(r.problem == BundleProblem::ChainBroken);
    CHECK(r.err.find("record 4 (") == 0);
    CHECK(r.err.find("-000005") != std::string::npos);
    CHECK(r.err.find("missing") != std::string::npos);
}

TEST_CASE("bundle: a replaced record (right seq, other content) breaks the link") {
    Keys k;
    auto recs = chain(k, 4);
    auto other = chain(k, 4, 0, {}, ",\"x\":1");
    recs[2] = other[2]; // validly signed, but links to other[1]
    ReadBack r = read_back(make_bundle(recs, k.dev_sk, 7));
    CHECK(!r.ok);
    CHECK(r.problem == BundleProblem::ChainBroken);
    CHECK(r.err.find("does not link") != std::string::npos);
}

TEST_CASE("bundle: the last record's signature covers the chain; when it fails, the bad record is named") {
    Keys k;
    auto recs = chain(k, 4);
    {
        ReadBack r = read_back(make_bundle(recs, k.dev_sk, 7));
        REQUIRE(r.ok);
        REQUIRE(r.bundle.hashes.size() == 4);
        for (size_t i = 0; i < 4; i++) CHECK(r.bundle.hashes[i] == record_hash(recs[i]));
    }
    // A bad record signature at the end of the chain, re-bundled by someone with the device
    // key: the one signature checked fails, and every record is then checked on its own.
    recs[3].signature[5] ^= 0x01;
    ReadBack r = read_back(make_bundle(recs, k.dev_sk, 7));
    CHECK(!r.ok);
    CHECK(r.problem == BundleProblem::BadSignature);
    CHECK(r.err.find("record 4 (") == 0);
    CHECK(r.err.find("-000004): signature does not match") != std::string::npos);
    // The same in the middle: the next record's link (covered by the last signature) breaks.
    recs = chain(k, 4);
    recs[1].signature[5] ^= 0x01;
    r = read_back(make_bundle(recs, k.dev_sk, 7));
    CHECK(!r.ok);
    CHECK(r.problem == BundleProblem::ChainBroken);
    CHECK(r.err.find("record 3 (") == 0);
}

TEST_CASE("bundle: signed by another key, or holding another device's record") {
    Keys k, other;
    auto recs = chain(k, 2);
    // Bundle signed with another device's key: its device_pk is that key, the records are not.
    ReadBack r = read_back(make_bundle(recs, other.dev_sk, 7));
    CHECK(!r.ok);
    CHECK(r.problem == BundleProblem::BadSignature);
    CHECK(r.err.find("another device") != std::string::npos);
    // Bundle header claims device k but is signed by other: the bundle signature fails.
    auto d = make_bundle(recs, other.dev_sk, 7);
    std::copy(k.dev_pk, k.dev_pk + 32, d.begin() + 8);
    r = read_back(d);
    CHECK(!r.ok);
    CHECK(r.problem == BundleProblem::BadSignature);
    CHECK(r.err.find("bundle signature") != std::string::npos);
}

TEST_CASE("bundle: limits are enforced before work, hostile counts allocate nothing") {
    Keys k;
    auto b = make_bundle(chain(k, 3), k.dev_sk, 7);
    ReadBack r = read_back(b, BundleLimits{b.size() - 1, 100});
    CHECK(!r.ok);
    CHECK(r.problem == BundleProblem::TooLarge);
    r = read_back(b, BundleLimits{1u << 20, 2});
    CHECK(!r.ok);
    CHECK(r.problem == BundleProblem::TooLarge);
    CHECK(read_back(b, BundleLimits{b.size(), 3}).ok);

    // A signed bundle claiming 4 billion records: refused as malformed, not as out-of-memory.
    std::vector<uint8_t> h(b.begin(), b.begin() + 68);
    h[64] = h[65] = h[66] = h[67] = 0xFF;
    uint8_t sig[64];
    crypto_sign_detached(sig, nullptr, h.data(), h.size(), k.dev_sk);
    h.insert(h.end(), sig, sig + 64);
    r = read_back(h, BundleLimits{1u << 30, 0xFFFFFFFFu});
    CHECK(!r.ok);
    CHECK(r.problem == BundleProblem::Malformed);
    CHECK(r.err.find("too short") != std::string::npos);
}

TEST_CASE("bundle: unknown versions and flags are refused with the reason") {
    Keys k;
    auto b = make_bundle(chain(k, 1), k.dev_sk, 7);
    auto v = b;
    v[4] = (uint8_t)(kBundleVersion + 1);
    ReadBack r = read_back(v);
    CHECK(!r.ok);
    CHECK(r.err.find("version " + std::to_string(kBundleVersion + 1)) != std::string::npos);
    std::string junk = "not a bundle at all";
    r = read_back((const uint8_t*)junk.data(), junk.size());
    CHECK(!r.ok);
    CHECK(r.err.find("bad magic") != std::string::npos);
}

TEST_CASE("bundle: receipts verify, and any flipped byte is refused") {
    REQUIRE(sodium_init() >= 0);
    uint8_t spk[32], ssk[64];
    crypto_sign_keypair(spk, ssk);
    Receipt r;
    r.device_pk[0] = 9;
    r.acked_seq = 42;
    r.acked_hash[5] = 7;
    r.time = 1764000000;
    r.stored = 40;
    r.duplicates = 2;
    auto bytes = make_receipt(r, ssk);
    REQUIRE(bytes.size() == kReceiptSize);
    Receipt back;
    std::string err;
    REQUIRE(read_receipt(bytes.data(), bytes.size(), back, &err));
    CHECK(std::equal(back.server_pk.begin(), back.server_pk.end(), spk));
    CHECK(back.acked_seq == 42);
    CHECK(back.acked_hash == r.acked_hash);
    CHECK(back.stored == 40);
    CHECK(back.duplicates == 2);
    for (size_t i = 0; i < bytes.size(); i++) {
        auto c = bytes;
        c[i] ^= 0x80;
        CHECK_MESSAGE(!read_receipt(c.data(), c.size(), back, &err), "byte " << i);
    }
    CHECK(!read_receipt(bytes.data(), bytes.size() - 1, back, &err));
}

TEST_CASE("bundle: pairing codes are random, forgiving to type, and hashed") {
    std::string a = make_pairing_code(), b = make_pairing_code(), n;
    CHECK(a.size() == 14);
    CHECK(a != b);
    REQUIRE(normalize_pairing_code(a, n));
    CHECK(n.size() == 12);
    std::string lower;
    for (char c : a) lower += (char)std::tolower((unsigned char)c);
    std::string n2;
    REQUIRE(normalize_pairing_code(" " + lower + " ", n2));
    CHECK(n == n2);
    CHECK(normalize_pairing_code("O1IL-0000-0000", n2));
    CHECK(n2 == "011100000000");
    CHECK(!normalize_pairing_code("ABCD-EFGH-JKM", n2));   // 11 characters
    CHECK(!normalize_pairing_code("ABCD-EFGH-JKMU", n2));  // U is not in the alphabet
    CHECK(pairing_code_hash(n) != pairing_code_hash(n2));
}

// A bundle without damaged records, research key and device status, rewritten in an older
// version's form and signed again: version 3 lacks the status's (empty) length, version 2 also
// the research key's, version 1 also the head and the damaged list.
static std::vector<uint8_t> as_version(std::vector<uint8_t> b, const uint8_t dev_sk[64], int version) {
    size_t from = 68 + (version == 1 ? 0 : version == 2 ? 112 + 4 : 112 + 4 + 2);
    b.erase(b.begin() + (long)from, b.begin() + 68 + 112 + 4 + 2 + 2);
    b[4] = (uint8_t)version;
    b[5] = 0;
    crypto_sign_detached(b.data() + b.size() - 64, nullptr, b.data(), b.size() - 64, dev_sk);
    return b;
}

TEST_CASE("bundle: version 1 bundles are still read") {
    Keys k;
    auto recs = chain(k, 3);
    ReadBack r = read_back(as_version(make_bundle(recs, k.dev_sk, 7), k.dev_sk, 1));
    REQUIRE_MESSAGE(r.ok, r.err);
    CHECK(r.bundle.version == 1);
    REQUIRE(r.bundle.records.size() == 3);
    CHECK(serialize_record(r.bundle.records[2]) == serialize_record(recs[2]));
    CHECK(r.bundle.head.seq == 0);
    CHECK(r.bundle.damaged.empty());
}

TEST_CASE("bundle: version 3 names the research key the records are sealed to; version 2 names none") {
    Keys k;
    auto recs = chain(k, 2);
    BundleExtras x;
    x.research_key = "K7QX-3MPA-9RTC-WE4H";
    ReadBack r = read_back(make_bundle(recs, k.dev_sk, 7, &x));
    REQUIRE_MESSAGE(r.ok, r.err);
    CHECK(r.bundle.version == kBundleVersion);
    CHECK(r.bundle.research_key == "K7QX-3MPA-9RTC-WE4H");
    r = read_back(as_version(make_bundle(recs, k.dev_sk, 7), k.dev_sk, 3));
    REQUIRE_MESSAGE(r.ok, r.err);
    CHECK(r.bundle.version == 3);
    CHECK(r.bundle.status.empty());
    r = read_back(as_version(make_bundle(recs, k.dev_sk, 7), k.dev_sk, 2));
    REQUIRE_MESSAGE(r.ok, r.err);
    CHECK(r.bundle.version == 2);
    CHECK(r.bundle.research_key.empty());
    // A field with a control character (it would reach logs and the kiosk's screen) is refused.
    x.research_key = "K7QX\n3MPA";
    r = read_back(make_bundle(recs, k.dev_sk, 7, &x));
    CHECK(r.problem == BundleProblem::Malformed);
    CHECK(r.err.find("research key") != std::string::npos);
}

TEST_CASE("bundle: version 4 carries the device's status, signed; an oversized one is left out") {
    Keys k;
    auto recs = chain(k, 2);
    BundleExtras x;
    x.status = "{\"program\":\"teilhabe-kiosk 0.1.0\",\"unsynced\":2}";
    std::vector<uint8_t> b = make_bundle(recs, k.dev_sk, 7, &x);
    ReadBack r = read_back(b);
    REQUIRE_MESSAGE(r.ok, r.err);
    CHECK(r.bundle.version == 4);
    CHECK(r.bundle.status == x.status);
    // Changing one byte of the status breaks the bundle's signature.
    std::string needle = "unsynced";
    auto at = std::search(b.begin(), b.end(), needle.begin(), needle.end());
    REQUIRE(at != b.end());
    *at = 'U';
    CHECK(read_back(b).problem == BundleProblem::BadSignature);
    // A length that runs past the end is malformed, not read.
    std::vector<uint8_t> c = make_bundle(recs, k.dev_sk, 7, &x);
    size_t len_at = 68 + 112 + 4 + 2;
    c[len_at] = 0xff;
    c[len_at + 1] = 0x0f;
    crypto_sign_detached(c.data() + c.size() - 64, nullptr, c.data(), c.size() - 64, k.dev_sk);
    r = read_back(c);
    CHECK(r.problem == BundleProblem::Malformed);
    CHECK(r.err.find("device status") != std::string::npos);
    // The writer leaves out a status over the limit rather than make a bundle nobody reads.
    x.status = std::string(kMaxStatusField + 1, 'x');
    r = read_back(make_bundle(recs, k.dev_sk, 7, &x));
    REQUIRE_MESSAGE(r.ok, r.err);
    CHECK(r.bundle.status.empty());
}

TEST_CASE("bundle: records the device quarantined are a named gap; any other gap is refused") {
    Keys k;
    auto recs = chain(k, 6);
    recs.erase(recs.begin() + 2); // record 3 damaged on the device, not sent
    BundleExtras x;
    x.damaged = {3};
    ReadBack r = read_back(make_bundle(recs, k.dev_sk, 7, &x));
    REQUIRE_MESSAGE(r.ok, r.err);
    CHECK(r.bundle.records.size() == 5);
    CHECK(r.bundle.damaged == std::vector<uint64_t>{3});
    // Without naming it, the gap is a broken chain as before.
    r = read_back(make_bundle(recs, k.dev_sk, 7));
    CHECK(r.problem == BundleProblem::ChainBroken);
    // Naming only part of a gap, or a record that is in the bundle, is refused.
    auto two = recs;
    two.erase(two.begin() + 2); // records 3 and 4 missing
    r = read_back(make_bundle(two, k.dev_sk, 7, &x));
    CHECK(r.problem == BundleProblem::ChainBroken);
    x.damaged = {3, 5};
    r = read_back(make_bundle(recs, k.dev_sk, 7, &x));
    CHECK(r.problem == BundleProblem::Malformed);
    CHECK(r.err.find("listed as damaged") != std::string::npos);
    x.damaged = {4, 3};
    r = read_back(make_bundle(recs, k.dev_sk, 7, &x));
    CHECK(r.problem == BundleProblem::Malformed);
    // A record after the gap whose own signature is bad is still found (its run is checked).
    x.damaged = {3};
    recs.back().signature[0] ^= 1;
    r = read_back(make_bundle(recs, k.dev_sk, 7, &x));
    CHECK(r.problem == BundleProblem::BadSignature);
    CHECK(r.err.find("-000006") != std::string::npos);
}

TEST_CASE("bundle: the signed head travels with the bundle; a forged or inconsistent one is refused") {
    Keys k, other;
    auto recs = chain(k, 4);
    BundleExtras x;
    x.head.seq = 4;
    x.head.hash = record_hash(recs.back());
    x.head.time = 1764000000;
    sign_head(x.head, k.dev_pk, k.dev_sk);
    ReadBack r = read_back(make_bundle(recs, k.dev_sk, 7, &x));
    REQUIRE_MESSAGE(r.ok, r.err);
    CHECK(r.bundle.head.seq == 4);
    CHECK(r.bundle.head.hash == x.head.hash);
    CHECK(r.bundle.head.time == 1764000000);
    BundleExtras forged = x;
    sign_head(forged.head, k.dev_pk, other.dev_sk);
    r = read_back(make_bundle(recs, k.dev_sk, 7, &forged));
    CHECK(r.problem == BundleProblem::BadSignature);
    CHECK(r.err.find("head statement") != std::string::npos);
    BundleExtras older = x;
    older.head.seq = 3;
    sign_head(older.head, k.dev_pk, k.dev_sk);
    r = read_back(make_bundle(recs, k.dev_sk, 7, &older));
    CHECK(r.problem == BundleProblem::ChainBroken);
}
