// Tests of sealed, signed records (the codec inside the seal: sync_codec.cpp).
#include <doctest/doctest.h>
#include <cstring>
#include <random>
#include <sodium.h>

#include "compress.h"
#include "keys.h"
#include "record.h"
#include "open_record.h"

using namespace tk;

namespace {
struct Keys {
    uint8_t box_pk[32], box_sk[32], dev_pk[32], dev_sk[64];
    Keys() {
        REQUIRE(sodium_init() >= 0);
        crypto_box_keypair(box_pk, box_sk);
        crypto_sign_keypair(dev_pk, dev_sk);
    }
};

RecordMeta sample_meta() {
    RecordMeta m;
    m.survey_id = "buerger-digital";
    m.survey_hash = "sha256:0123abcd";
    m.channel = "kiosk";
    m.site = "Stadtbibliothek, Interneterfahrungsort";
    m.time = 1764086583; // 2025-11-25 16:03:03 UTC
    return m;
}

const std::string kAnswer =
    R"({"answers":{"A1":{"value":"A2"},"A2":{"value":"Ich brauche Hilfe beim Online-Banking"},)"
    R"("A3":{"values":["A1","A3"]},"A4":{"value":"A1"},"A5":{"value":"A3"}},"channel":"kiosk"})";
} // namespace

TEST_CASE("record: a record round-trips through the wire form and opens only with the research key") {
    Keys k;
    Record r;
    std::string err;
    Hash32 prev{};
    prev[0] = 7;
    REQUIRE_MESSAGE(seal_record(kAnswer, sample_meta(), k.box_pk, k.dev_sk, 5, prev, r, &err), err);
    CHECK(r.meta.time % 3600 == 0);              // time only to the hour
    CHECK(r.meta.time == 1764086583 - 1764086583 % 3600);
    CHECK(r.size == kAnswer.size());
    CHECK(std::memcmp(r.device_pk.data(), k.dev_pk, 32) == 0);
    CHECK(record_id(r.device_pk, 5).size() == 16 + 1 + 6);

    std::vector<uint8_t> wire = serialize_record(r);
    std::string wire_s(wire.begin(), wire.end());
    CHECK(wire_s.find("Online-Banking") == std::string::npos); // sealed, not readable
    Record back;
    REQUIRE_MESSAGE(parse_record(wire.data(), wire.size(), back, &err), err);
    CHECK(serialize_record(back) == wire);
    CHECK(record_hash(back) == record_hash(r));
    CHECK(verify_record(back, &prev, &err));

    std::string plain;
    REQUIRE_MESSAGE(open_record(back, k.box_pk, k.box_sk, plain, &err), err);
    CHECK(plain == kAnswer);

    Keys other;
    CHECK_FALSE(open_record(back, other.box_pk, other.box_sk, plain, &err));
    CHECK(err.find("cannot open the seal") != std::string::npos);
}

TEST_CASE("record: every altered byte of a record is detected") {
    Keys k;
    Record r;
    std::string err;
    REQUIRE(seal_record(kAnswer, sample_meta(), k.box_pk, k.dev_sk, 1, Hash32{}, r, &err));
    std::vector<uint8_t> wire = serialize_record(r);
    int detected = 0;
    for (size_t i = 0; i < wire.size(); i++) {
        std::vector<uint8_t> w = wire;
        w[i] ^= 0x01;
        Record t;
        Hash32 zero{};
        if (!parse_record(w.data(), w.size(), t, &err) || !verify_record(t, &zero, &err)) detected++;
    }
    CHECK(detected == (int)wire.size());
}

TEST_CASE("record: wrong previous hash, truncation and trailing bytes are reported") {
    Keys k;
    Record r;
    std::string err;
    REQUIRE(seal_record(kAnswer, sample_meta(), k.box_pk, k.dev_sk, 2, Hash32{}, r, &err));
    Hash32 other{};
    other[31] = 1;
    CHECK_FALSE(verify_record(r, &other, &err));
    CHECK(err.find("previous-record hash") != std::string::npos);

    std::vector<uint8_t> wire = serialize_record(r);
    Record t;
    for (size_t cut : {size_t(0), size_t(3), size_t(40), size_t(90), wire.size() - 1}) {
        CHECK_FALSE(parse_record(wire.data(), cut, t, &err));
        CHECK((err.find("truncated") != std::string::npos || err.find("magic") != std::string::npos));
    }
    wire.push_back(0);
    CHECK_FALSE(parse_record(wire.data(), wire.size(), t, &err));
    CHECK(err.find("trailing") != std::string::npos);
}

TEST_CASE("record: record metadata is checked before sealing") {
    Keys k;
    Record r;
    std::string err;
    RecordMeta m = sample_meta();
    m.site = std::string(300, 'x');
    CHECK_FALSE(seal_record(kAnswer, m, k.box_pk, k.dev_sk, 1, Hash32{}, r, &err));
    CHECK(err.find("site") != std::string::npos);
    m = sample_meta();
    m.channel = "kiosk\n";
    CHECK_FALSE(seal_record(kAnswer, m, k.box_pk, k.dev_sk, 1, Hash32{}, r, &err));
    CHECK(err.find("control character") != std::string::npos);
    m = sample_meta();
    m.survey_id = "";
    CHECK_FALSE(seal_record(kAnswer, m, k.box_pk, k.dev_sk, 1, Hash32{}, r, &err));
}

TEST_CASE("record: records sealed in one session share the ephemeral key yet each opens on its own") {
    Keys k;
    SealSession s;
    REQUIRE(begin_seal_session(k.box_pk, s));
    std::vector<Record> recs(3);
    std::string err;
    Hash32 prev{};
    for (int i = 0; i < 3; i++) {
        REQUIRE(seal_record(kAnswer + std::to_string(i), sample_meta(), s, k.dev_sk, (uint64_t)i + 1, prev, recs[i], &err));
        prev = record_hash(recs[i]);
    }
    CHECK(std::memcmp(recs[0].sealed.data(), recs[2].sealed.data(), 32) == 0);  // same ephemeral key
    CHECK(std::memcmp(recs[0].sealed.data() + 32, recs[1].sealed.data() + 32, 16) != 0);
    for (int i = 2; i >= 0; i--) { // any order: each record is self-contained
        std::string plain;
        REQUIRE_MESSAGE(open_record(recs[i], k.box_pk, k.box_sk, plain, &err), err);
        CHECK(plain == kAnswer + std::to_string(i));
    }
    // The sequence number is bound into the nonce: a record renumbered does not open.
    Record moved = recs[1];
    moved.seq = 7;
    std::string plain;
    CHECK_FALSE(open_record(moved, k.box_pk, k.box_sk, plain, &err));
}

TEST_CASE("record: opening with a cache of the last shared key gives the same results as without") {
    Keys k, other;
    SealSession s;
    REQUIRE(begin_seal_session(k.box_pk, s));
    std::vector<Record> recs(5);
    std::string err;
    // Two records of a batch (one ephemeral key), one on its own, one sealed to another key,
    // and one more of the batch after them.
    REQUIRE(seal_record(kAnswer + "0", sample_meta(), s, k.dev_sk, 1, Hash32{}, recs[0], &err));
    REQUIRE(seal_record(kAnswer + "1", sample_meta(), s, k.dev_sk, 2, Hash32{}, recs[1], &err));
    REQUIRE(seal_record(kAnswer + "2", sample_meta(), k.box_pk, k.dev_sk, 3, Hash32{}, recs[2], &err));
    REQUIRE(seal_record(kAnswer + "3", sample_meta(), other.box_pk, k.dev_sk, 4, Hash32{}, recs[3], &err));
    REQUIRE(seal_record(kAnswer + "4", sample_meta(), s, k.dev_sk, 5, Hash32{}, recs[4], &err));
    OpenCache cache;
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < 5; i++) {
            std::string with, without;
            bool a = open_record(recs[i], k.box_pk, k.box_sk, with, &err, &cache);
            bool b = open_record(recs[i], k.box_pk, k.box_sk, without, &err);
            CHECK(a == (i != 3));
            CHECK(a == b);
            if (a) {
                CHECK(with == kAnswer + std::to_string(i));
            }
            CHECK(with == without);
        }
    // A damaged record of the batch fails with the cache warm, as without it.
    Record bad = recs[1];
    bad.sealed[40] ^= 1;
    std::string plain;
    REQUIRE(open_record(recs[0], k.box_pk, k.box_sk, plain, &err, &cache));
    CHECK_FALSE(open_record(bad, k.box_pk, k.box_sk, plain, &err, &cache));
    CHECK(err.find("cannot open the seal") != std::string::npos);
}
