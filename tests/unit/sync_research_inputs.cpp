// sync_research_inputs.cpp - several inputs read as one: decrypt from several bundles (and a
// bundle with a vault), the exports from several responses.jsonl; a record in more than one
// input is read once and counted.
#include <doctest/doctest.h>

#include "bundle.h"
#include "research.h"
#include "sync_research_util.h"
#include "sync_testutil.h"

using namespace tk;
using namespace tk::test;

static std::string bundle_of(const TempDir& t, const std::string& name, const std::vector<Record>& recs, const Device& d) {
    std::vector<uint8_t> b = make_bundle(recs, d.sk, 1764000000);
    tk::test::spit(t / name, std::string(b.begin(), b.end()));
    return t / name;
}

TEST_CASE("decrypt: two bundles of one kiosk that overlap give every record once, the chain across both") {
    ResearchKeys k;
    Device d, e;
    std::vector<Record> chain = sealed_chain(k.key, d, 6), other = sealed_chain(k.key, e, 2);
    TempDir t;
    // Two USB exports of one kiosk: records 1..4, then 3..6 (the stick was not emptied), and
    // another kiosk's bundle given first.
    std::string a = bundle_of(t, "a.tkb", {chain.begin(), chain.begin() + 4}, d);
    std::string b = bundle_of(t, "b.tkb", {chain.begin() + 2, chain.end()}, d);
    std::string c = bundle_of(t, "c.tkb", other, e);

    DecryptResult alone = decrypt_source(RecordSourceKind::Bundle, b, k.key);
    REQUIRE(alone.ok());
    CHECK(alone.warnings.size() == 1); // records 1..2 are not in this source

    DecryptResult r = decrypt_sources({{RecordSourceKind::Bundle, c}, {RecordSourceKind::Bundle, b},
                                       {RecordSourceKind::Bundle, a}}, k.key);
    REQUIRE(r.ok());
    CHECK(r.problems.empty());
    CHECK_MESSAGE(r.warnings.empty(), (r.warnings.empty() ? "" : r.warnings[0]));
    CHECK(r.duplicates_across_sources == 2);
    CHECK(r.records_seen == 8);
    REQUIRE(r.responses.size() == 8);
    // Device, then sequence: each kiosk's records in order, whichever bundle held them.
    std::string first_dev = std::min(device_id_hex(chain[0].device_pk), device_id_hex(other[0].device_pk));
    CHECK(r.responses.front().device == first_dev);
    for (size_t i = 1; i < r.responses.size(); i++) {
        const DecryptedResponse& x = r.responses[i];
        if (r.responses[i - 1].device == x.device) CHECK(x.seq == r.responses[i - 1].seq + 1);
        else CHECK(x.seq == 1);
    }
    for (const DecryptedResponse& x : r.responses)
        CHECK(x.response == sample_response(int(x.seq) - 1));
}

TEST_CASE("decrypt: a record damaged in one source but intact in another is read, not listed as a problem") {
    ResearchKeys k;
    Device d;
    std::vector<Record> chain = sealed_chain(k.key, d, 3);
    TempDir t;
    std::string good = bundle_of(t, "good.tkb", chain, d);
    // The same kiosk later: record 2 quarantined there, so its bundle lists 2 as damaged.
    BundleExtras x;
    x.damaged = {2};
    std::vector<uint8_t> bytes = make_bundle({chain[0], chain[2]}, d.sk, 1764003600, &x);
    tk::test::spit(t / "later.tkb", std::string(bytes.begin(), bytes.end()));

    DecryptResult alone = decrypt_source(RecordSourceKind::Bundle, t / "later.tkb", k.key);
    REQUIRE(alone.ok());
    CHECK(alone.problems.size() == 1);

    DecryptResult r = decrypt_sources({{RecordSourceKind::Bundle, t / "later.tkb"}, {RecordSourceKind::Bundle, good}}, k.key);
    REQUIRE(r.ok());
    CHECK(r.problems.empty());
    CHECK(r.responses.size() == 3);
    CHECK(r.duplicates_across_sources == 2);

    SUBCASE("a source that cannot be read is the error, naming it") {
        DecryptResult x = decrypt_sources({{RecordSourceKind::Bundle, good}, {RecordSourceKind::Bundle, t / "missing.tkb"}}, k.key);
        CHECK_FALSE(x.ok());
        CHECK(x.error.find("missing.tkb") != std::string::npos);
    }
}

TEST_CASE("jsonl: several responses.jsonl files are read as one, a record id once") {
    TempDir t;
    auto line = [](const std::string& id, int i) {
        DecryptedResponse d;
        d.record_id = id;
        d.device = id.substr(0, id.find('-'));
        d.seq = uint64_t(i + 1);
        d.response = sample_response(i);
        return responses_jsonl_line(d) + "\n";
    };
    tk::test::spit(t / "store.jsonl", line("aa-000001", 0) + line("aa-000002", 1));
    // The USB copy holds record 2 again, a record of its own, and a bare line (never merged).
    std::string bare = serialize_response(sample_response(5)) + "\n";
    tk::test::spit(t / "usb.jsonl", line("aa-000002", 1) + line("bb-000001", 2) + bare);
    tk::test::spit(t / "walk.jsonl", bare);

    JsonlRead jr;
    std::string err;
    REQUIRE(read_responses_jsonl_files({t / "store.jsonl", t / "usb.jsonl", t / "walk.jsonl"}, jr, &err));
    CHECK(jr.errors.empty());
    CHECK(jr.duplicates == 1);
    REQUIRE(jr.responses.size() == 5);
    CHECK(jr.responses[0].record_id == "aa-000001");
    CHECK(jr.responses[1].record_id == "aa-000002");
    CHECK(jr.responses[2].record_id == "bb-000001");
    CHECK(jr.responses[3].record_id == "line-3");
    CHECK(jr.responses[4].record_id == "line-1");

    SUBCASE("the same id with another response is named; the first is kept") {
        tk::test::spit(t / "changed.jsonl", line("aa-000001", 7));
        JsonlRead j2;
        REQUIRE(read_responses_jsonl_files({t / "store.jsonl", t / "changed.jsonl"}, j2, &err));
        CHECK(j2.duplicates == 1);
        REQUIRE(j2.errors.size() == 1);
        CHECK(j2.errors[0].find("record aa-000001 differs") != std::string::npos);
        CHECK(j2.errors[0].find("store.jsonl") != std::string::npos);
        REQUIRE(j2.responses.size() == 2);
        CHECK(j2.responses[0].response == sample_response(0));
    }
    SUBCASE("a file that cannot be read stops, naming it") {
        JsonlRead j3;
        CHECK_FALSE(read_responses_jsonl_files({t / "store.jsonl", t / "nope.jsonl"}, j3, &err));
        CHECK(err.find("nope.jsonl") != std::string::npos);
    }
}
