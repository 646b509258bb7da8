// sync_research_decrypt.cpp - decrypting records from every source: bundles, a server store,
// a vault directory; records sealed to another key, a wrong passphrase, damaged records.
#include <doctest/doctest.h>
#include <sodium.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>

#include "files.h"
#include "bundle.h"
#include "export_csv.h"
#include "keys.h"
#include "lss_responses.h"
#include "record.h"
#include "report.h"
#include "research.h"
#include "server_store.h"
#include "sync_testutil.h"
#include "sync_research_util.h"

using namespace tk;
using namespace tk::test;

TEST_CASE("decrypt: good records from a bundle open with their record ids, metadata and responses") {
    ResearchKeys k;
    Device d;
    std::vector<Record> recs = sealed_chain(k.key, d, 5);
    TempDir t;
    std::vector<uint8_t> b = make_bundle(recs, d.sk, 1764000000);
    tk::test::spit(t / "k.tkb", std::string(b.begin(), b.end()));
    DecryptResult r = decrypt_source(RecordSourceKind::Bundle, t / "k.tkb", k.key);
    REQUIRE(r.ok());
    CHECK(r.problems.empty());
    CHECK(r.warnings.empty());
    CHECK(r.records_seen == 5);
    REQUIRE(r.responses.size() == 5);
    for (int i = 0; i < 5; i++) {
        const DecryptedResponse& x = r.responses[size_t(i)];
        CHECK(x.response == sample_response(i));
        CHECK(x.seq == uint64_t(i + 1));
        CHECK(x.record_id == record_id(recs[size_t(i)].device_pk, uint64_t(i + 1)));
        CHECK(x.device == device_id_hex(recs[0].device_pk));
        CHECK(x.meta.site == "Stadtbibliothek");
        CHECK(x.meta.time == sample_response(i).finished / 3600 * 3600);
    }
}

TEST_CASE("decrypt: records sealed to another research key are listed, and the key is named as the likely cause") {
    ResearchKeys right, wrong;
    Device d;
    std::vector<Record> recs = sealed_chain(right.key, d, 3);
    DecryptResult r = decrypt_records(recs, wrong.key, "test");
    CHECK(r.responses.empty());
    REQUIRE(r.problems.size() == 3);
    CHECK(r.problems[1].record_id == record_id(recs[1].device_pk, 2));
    CHECK(r.problems[1].message.find("another research key") != std::string::npos);
    bool named = std::any_of(r.warnings.begin(), r.warnings.end(), [](const std::string& w) {
        return w.find("none of the 3 records opens with this key") != std::string::npos;
    });
    CHECK(named);
}

TEST_CASE("decrypt: a wrong passphrase and a public file given as the key are told apart") {
    ResearchKeys k("richtig-geheim");
    ResearchSecretKey out;
    std::string err;
    CHECK_FALSE(load_research_key(k.dir / "research.key", "falsch-geheim", out, &err));
    CHECK(err.find("wrong passphrase") != std::string::npos);
    CHECK(err.find("research.key") != std::string::npos);
    err.clear();
    CHECK_FALSE(load_research_key(k.dir / "research.pub", "richtig-geheim", out, &err));
    CHECK(err.find("PUBLIC") != std::string::npos);
    err.clear();
    CHECK_FALSE(load_research_key(k.dir / "missing.key", "richtig-geheim", out, &err));
    CHECK(err.find("missing.key") != std::string::npos);
}

TEST_CASE("decrypt: one damaged record among good ones is listed; the others are still opened") {
    ResearchKeys k;
    Device d;
    std::vector<Record> recs = sealed_chain(k.key, d, 6);
    SUBCASE("in memory: a flipped byte in the sealed part fails the signature") {
        recs[2].sealed[40] ^= 0x01;
        DecryptResult r = decrypt_records(recs, k.key, "test");
        REQUIRE(r.problems.size() == 1);
        CHECK(r.problems[0].record_id == record_id(recs[2].device_pk, 3));
        CHECK(r.problems[0].message.find("signature") != std::string::npos);
        REQUIRE(r.responses.size() == 5);
        CHECK(r.responses[2].response == sample_response(3));
        CHECK(r.records_seen == 6);
    }
    SUBCASE("in a bundle file: the bundle is refused as a whole, but read record by record") {
        std::vector<uint8_t> b = make_bundle(recs, d.sk, 1764000000);
        // Find record 4's sealed bytes inside the bundle and flip one.
        std::vector<uint8_t> wire = serialize_record(recs[3]);
        auto at = std::search(b.begin(), b.end(), wire.begin(), wire.end());
        REQUIRE(at != b.end());
        *(at + std::ptrdiff_t(wire.size()) - 80) ^= 0x10;
        TempDir t;
        tk::test::spit(t / "k.tkb", std::string(b.begin(), b.end()));
        DecryptResult r = decrypt_source(RecordSourceKind::Bundle, t / "k.tkb", k.key);
        REQUIRE(r.ok());
        REQUIRE(r.problems.size() == 1);
        CHECK(r.problems[0].record_id == record_id(recs[3].device_pk, 4));
        CHECK(r.responses.size() == 5);
        bool refused = std::any_of(r.warnings.begin(), r.warnings.end(), [](const std::string& w) {
            return w.find("bundle refused") != std::string::npos && w.find("one by one") != std::string::npos;
        });
        CHECK(refused);
    }
    SUBCASE("in memory: the last record of the chain damaged (its signature covers the others)") {
        recs[5].sealed[40] ^= 0x01;
        DecryptResult r = decrypt_records(recs, k.key, "test");
        REQUIRE(r.problems.size() == 1);
        CHECK(r.problems[0].record_id == record_id(recs[5].device_pk, 6));
        CHECK(r.problems[0].message.find("signature") != std::string::npos);
        REQUIRE(r.responses.size() == 5);
        CHECK(r.responses[4].response == sample_response(4));
        CHECK(r.warnings.empty());
    }
    SUBCASE("in memory: every record's signature damaged: each one is named") {
        for (Record& rec : recs) rec.signature[0] ^= 0x01;
        DecryptResult r = decrypt_records(recs, k.key, "test");
        CHECK(r.problems.size() == 6);
        CHECK(r.responses.empty());
    }
    SUBCASE("a record missing from the chain is reported as a gap; the rest opens") {
        recs.erase(recs.begin() + 2);
        DecryptResult r = decrypt_records(recs, k.key, "test");
        CHECK(r.problems.empty());
        CHECK(r.responses.size() == 5);
        REQUIRE(r.warnings.size() == 1);
        CHECK(r.warnings[0].find("records 3..3 are missing") != std::string::npos);
    }
    SUBCASE("a truncated bundle file gives the records before the cut") {
        std::vector<uint8_t> b = make_bundle(recs, d.sk, 1764000000);
        std::vector<uint8_t> wire = serialize_record(recs[4]);
        auto at = std::search(b.begin(), b.end(), wire.begin(), wire.end());
        REQUIRE(at != b.end());
        b.resize(size_t(at - b.begin()) + 100);
        TempDir t;
        tk::test::spit(t / "cut.tkb", std::string(b.begin(), b.end()));
        DecryptResult r = decrypt_source(RecordSourceKind::Bundle, t / "cut.tkb", k.key);
        REQUIRE(r.ok());
        CHECK(r.responses.size() == 4);
        CHECK_FALSE(r.warnings.empty());
    }
    SUBCASE("not a bundle at all is an error naming the file") {
        TempDir t;
        tk::test::spit(t / "x.tkb", "hello");
        DecryptResult r = decrypt_source(RecordSourceKind::Bundle, t / "x.tkb", k.key);
        CHECK_FALSE(r.ok());
        CHECK(r.error.find("x.tkb") != std::string::npos);
    }
}

TEST_CASE("decrypt: records are read from a server store and from a vault directory") {
    ResearchKeys k;
    SUBCASE("server store") {
        Device d;
        std::vector<Record> recs = sealed_chain(k.key, d, 4);
        TempDir srv;
        std::string err;
        {
            auto store = ServerStore::open(srv.path, true, &err);
            REQUIRE_MESSAGE(store, err);
            std::string code = store->new_pairing_code("Stadtbibliothek", 24, &err);
            REQUIRE_MESSAGE(!code.empty(), err);
            std::array<uint8_t, 32> pk;
            std::copy(d.pk, d.pk + 32, pk.begin());
            int status = 0;
            REQUIRE_MESSAGE(store->enrol(code, pk, &status, &err), err);
            std::vector<uint8_t> b = make_bundle(recs, d.sk, 1764000000);
            IngestResult ir = store->ingest(b.data(), b.size(), BundleLimits{}, "test");
            REQUIRE_MESSAGE(ir.status == 200, ir.reason);
        }
        DecryptResult r = decrypt_source(RecordSourceKind::Store, srv.path, k.key);
        REQUIRE_MESSAGE(r.ok(), r.error);
        CHECK(r.problems.empty());
        REQUIRE(r.responses.size() == 4);
        CHECK(r.responses[3].response == sample_response(3));
        DecryptResult none = decrypt_source(RecordSourceKind::Store, srv / "nothing", k.key);
        CHECK(none.error.find("server.sqlite missing") != std::string::npos);
    }
    SUBCASE("vault") {
        TempDir v;
        std::string pub;
        REQUIRE(read_file_at_most(k.dir / "research.pub", kKeyFileMax, pub, nullptr));
        tk::test::spit(v / "research.pub", pub);
        std::string err;
        {
            auto vault = Vault::open(v.path, false, &err);
            REQUIRE_MESSAGE(vault, err);
            for (int i = 0; i < 3; i++) REQUIRE(vault->append_response(sample_response(i)).durable);
        }
        DecryptResult r = decrypt_source(RecordSourceKind::Vault, v.path, k.key);
        REQUIRE_MESSAGE(r.ok(), r.error);
        REQUIRE(r.responses.size() == 3);
        CHECK(r.responses[1].response == sample_response(1));
    }
}
