// Decrypt checks one signature per linked run of records (sync/research/RESEARCH.md, "Checking a chain
// with one signature"). These are the two ways round that a forger or a damaged disk could
// try: a record replaced in the middle with every later record re-linked to it, and a middle
// record whose signature alone is damaged. Both must be found and named by record id.
#include <doctest/doctest.h>
#include <sodium.h>

#include <algorithm>

#include "keys.h"
#include "record.h"
#include "research.h"
#include "sample_response.h"
#include "sync_testutil.h"

using namespace tk;
using tk::test::TempDir;

namespace {

struct ChainKeys {
    TempDir dir;
    ResearchSecretKey key;
    ChainKeys() {
        REQUIRE(sodium_init() >= 0);
        std::string err;
        REQUIRE_MESSAGE(write_research_key_files(dir / "research.key", "", "pass", KdfStrength::Minimum, nullptr, &err),
                        err);
        REQUIRE_MESSAGE(load_research_key(dir / "research.key", "pass", key, &err), err);
    }
};

struct SignKeys {
    uint8_t pk[32], sk[64];
    SignKeys() { crypto_sign_keypair(pk, sk); }
};

Response answer(int i, const std::string& text) {
    Response r = tk::test::finished_response(1764000000 + i * 600, 300, "bedarfe-akteure", "sha256:test");
    r.answers["A2"].value = text;
    return r;
}

// Seals records seq first..first+n-1 continuing after `prev`, signed with `signer`, and
// claiming to come from `device_pk` (a forger's records claim the real device).
void seal_run(const ChainKeys& k, const SignKeys& signer, const uint8_t device_pk[32], uint64_t first, int n,
              const std::string& text, Hash32& prev, std::vector<Record>& out) {
    for (int i = 0; i < n; i++) {
        Response r = answer(int(first) + i, text + " " + std::to_string(first + uint64_t(i)));
        RecordMeta m{r.survey_id, r.survey_hash, r.channel, r.site, r.finished};
        Record rec;
        std::string err;
        REQUIRE_MESSAGE(seal_record(serialize_response(r), m, k.key.pub.box_pk, signer.sk, first + uint64_t(i), prev, rec,
                                    &err), err);
        std::copy(device_pk, device_pk + 32, rec.device_pk.begin());
        prev = record_hash(rec);
        out.push_back(rec);
    }
}

bool has_problem(const DecryptResult& r, const std::string& id) {
    return std::any_of(r.problems.begin(), r.problems.end(), [&](const RecordProblem& p) { return p.record_id == id; });
}

bool has_text(const DecryptResult& r, const std::string& text) {
    return std::any_of(r.responses.begin(), r.responses.end(), [&](const DecryptedResponse& d) {
        auto it = d.response.answers.find("A2");
        return it != d.response.answers.end() && it->second.value.find(text) != std::string::npos;
    });
}

} // namespace

TEST_CASE("decrypt: a middle record forged with every later record re-linked to it is found and named") {
    ChainKeys k;
    SignKeys device, forger;
    std::vector<Record> recs;
    Hash32 prev{};
    seal_run(k, device, device.pk, 1, 2, "echt", prev, recs);
    // Records 3..6 by someone without the device key: a perfectly linked chain, wrong signer.
    seal_run(k, forger, device.pk, 3, 4, "gefälscht", prev, recs);
    for (size_t i = 1; i < recs.size(); i++) REQUIRE(recs[i].prev_hash == record_hash(recs[i - 1]));

    DecryptResult r = decrypt_records(recs, k.key, "test");
    CHECK(r.records_seen == 6);
    CHECK(has_problem(r, record_id(recs[2].device_pk, 3)));
    for (uint64_t seq = 3; seq <= 6; seq++) CHECK(has_problem(r, record_id(recs[0].device_pk, seq)));
    CHECK(r.problems.size() == 4);
    for (const RecordProblem& p : r.problems) CHECK(p.message.find("signature") != std::string::npos);
    // Nothing the forger wrote comes out; the device's own records do.
    CHECK_FALSE(has_text(r, "gefälscht"));
    CHECK(r.responses.size() == 2);
    CHECK(has_text(r, "echt 1"));
    CHECK(has_text(r, "echt 2"));
}

TEST_CASE("decrypt: a middle record with only its signature damaged is named; the rest opens") {
    ChainKeys k;
    SignKeys device;
    std::vector<Record> recs;
    Hash32 prev{};
    seal_run(k, device, device.pk, 1, 6, "echt", prev, recs);
    recs[2].signature[10] ^= 0x01; // the sealed bytes, links and the last signature stay intact

    DecryptResult r = decrypt_records(recs, k.key, "test");
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].record_id == record_id(recs[0].device_pk, 3));
    CHECK(r.problems[0].message.find("signature") != std::string::npos);
    CHECK(r.responses.size() == 5);
    CHECK_FALSE(has_text(r, "echt 3"));
    CHECK(has_text(r, "echt 6"));
}

TEST_CASE("decrypt: a response re-signed by another device's key is written once and both record ids are named") {
    ChainKeys k;
    SignKeys a, b;
    std::vector<Record> recs;
    Hash32 prev_a{}, prev_b{};
    seal_run(k, a, a.pk, 1, 3, "von A", prev_a, recs);
    seal_run(k, b, b.pk, 1, 1, "von B", prev_b, recs);
    // Device B's key takes A's sealed record 2 as its own record 2 (same seq: the seal's nonce
    // depends on it, so the copy still opens) and signs it into B's chain.
    Record copy = recs[1];
    std::copy(b.pk, b.pk + 32, copy.device_pk.begin());
    copy.prev_hash = prev_b;
    std::vector<uint8_t> msg = record_signed_bytes(copy);
    crypto_sign_detached(copy.signature.data(), nullptr, msg.data(), msg.size(), b.sk);
    REQUIRE(verify_record(copy, &prev_b, nullptr));
    recs.push_back(copy);

    DecryptResult r = decrypt_records(recs, k.key, "test");
    CHECK(r.problems.empty());
    CHECK(r.records_seen == 5);
    CHECK(r.duplicates_across_devices == 1);
    REQUIRE(r.responses.size() == 4); // A1, A2, A3, B1: A2 once
    int a2 = 0;
    for (const DecryptedResponse& d : r.responses)
        if (d.response.answers.at("A2").value == "von A 2") a2++;
    CHECK(a2 == 1);
    const std::string ida = record_id(recs[1].device_pk, 2), idb = record_id(copy.device_pk, 2);
    bool named = std::any_of(r.warnings.begin(), r.warnings.end(), [&](const std::string& w) {
        return w.find(ida) != std::string::npos && w.find(idb) != std::string::npos;
    });
    CHECK_MESSAGE(named, "no warning names both " << ida << " and " << idb);
}
