// A damaged record and a truncated chain, from the vault to the server and to decrypt:
//   - one flipped byte in record 7 of 20 is quarantined; the other 19 are read, exported,
//     synced and decrypted, and the server logs record 7 as "damaged on the device";
//   - a vault of schema 1 is migrated (prev_hash filled, head signed) and keeps working;
//   - rows removed at the end with the head rewritten fail `verify` (signed head); the server
//     flags a head that goes backwards.
#include <doctest/doctest.h>
#include <httplib.h>
#include <sodium.h>
#include <sqlite3.h>
#include <thread>

#include "bundle.h"
#include "enrolment.h"
#include "keys.h"
#include "research.h"
#include "sample_response.h"
#include "server_api.h"
#include "server_store.h"
#include "sync_client.h"
#include "sync_testutil.h"
#include "vault.h"

using namespace tk;
using tk::test::TempDir;
using tk::test::sql;

namespace {

// One byte of a record's sealed body flipped behind the vault's back (as tests/e2e/vault_cli.sh does).
void flip_body_byte(const std::string& dir, uint64_t seq) {
    sql(dir + "/vault.sqlite", "UPDATE records SET body = substr(body, 1, 100) || CASE WHEN substr(body, 101, 1) = X'00' "
                               "THEN X'01' ELSE X'00' END || substr(body, 102) WHERE seq = " + std::to_string(seq));
}

Response answer(int i) {
    Response r = tk::test::finished_response(1764000000 + i * 600, 300, "buerger-digital", "sha256:feed", "1");
    r.answers["A1"].value = "Antwort " + std::to_string(i + 1);
    return r;
}

void fill(const std::string& dir, int n) {
    std::string err;
    auto v = Vault::open(dir, true, &err);
    REQUIRE_MESSAGE(v, err);
    for (int i = 0; i < n; i++) REQUIRE(v->append_response(answer(i)).durable);
}

std::unique_ptr<Vault> open_ro(const std::string& dir) {
    VaultOpenOptions o;
    o.create = false;
    std::string err;
    auto v = Vault::open(dir, o, &err);
    REQUIRE_MESSAGE(v, err);
    return v;
}

bool any_has(const std::vector<std::string>& lines, const std::string& a, const std::string& b = "") {
    for (auto& l : lines)
        if (l.find(a) != std::string::npos && l.find(b) != std::string::npos) return true;
    return false;
}

std::array<uint8_t, 32> device_of(const std::string& dir) {
    DeviceIdentity id;
    bool created = false;
    std::string err;
    REQUIRE_MESSAGE(load_or_create_device(dir + "/device.key", false, id, &created, &err), err);
    std::array<uint8_t, 32> pk{};
    std::copy(id.pk, id.pk + 32, pk.begin());
    return pk;
}

// The research server on 127.0.0.1, in this process.
struct Server {
    TempDir dir;
    std::unique_ptr<ServerStore> store;
    std::unique_ptr<ServerApi> api;
    httplib::Server srv;
    std::thread th;
    int port = 0;
    Server() {
        std::string err;
        store = ServerStore::open(dir.path, true, &err);
        REQUIRE_MESSAGE(store, err);
        ServerConfig cfg;
        cfg.log = [](const std::string&) {};
        api = std::make_unique<ServerApi>(*store, cfg);
        api->mount(srv);
        port = srv.bind_to_any_port("127.0.0.1");
        REQUIRE(port > 0);
        th = std::thread([this] { srv.listen_after_bind(); });
        for (int i = 0; i < 200 && !srv.is_running(); i++) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ~Server() {
        srv.stop();
        if (th.joinable()) th.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
    void enrol(const std::string& kiosk_dir) {
        std::string err;
        VaultOpenOptions o;
        o.create = false; // a second handle beside the test's, as the kiosk's sync worker has
        auto v = Vault::open(kiosk_dir, o, &err);
        REQUIRE_MESSAGE(v, err);
        REQUIRE_MESSAGE(enrol_device(*v, url(), store->new_pairing_code("", 1, nullptr), SyncOptions{}, nullptr, &err), err);
    }
};

} // namespace

TEST_CASE("vault: one damaged record of 20 is quarantined; the 19 others are read, exported and decrypted") {
    TempDir d;
    fill(d.path, 20);
    flip_body_byte(d.path, 7);

    auto v = open_ro(d.path);
    std::vector<DamagedRecord> bad = v->damaged_records();
    REQUIRE(bad.size() == 1);
    CHECK(bad[0].seq == 7);
    CHECK(bad[0].record_id.size() == 23);
    CHECK(bad[0].record_id.substr(17) == "000007");
    CHECK(bad[0].reason.find("signature") != std::string::npos);
    VaultStatus s = v->status();
    CHECK(s.quarantined == 1);
    CHECK(s.unsynced == 19);
    CHECK(any_has(s.alarms, "beschädigt", bad[0].record_id));
    CHECK(any_has(v->alarms(), "Quarantäne"));

    std::vector<Record> recs;
    std::vector<uint64_t> damaged;
    std::string err;
    REQUIRE_MESSAGE(v->read_records(0, 100, recs, &err, &damaged), err);
    CHECK(recs.size() == 19);
    CHECK(damaged == std::vector<uint64_t>{7});
    for (const Record& r : recs) CHECK(verify_record(r, nullptr, nullptr));
    // In batches, each names only the damaged record it steps over.
    REQUIRE(v->read_records(0, 6, recs, &err, &damaged));
    CHECK(recs.back().seq == 6);
    CHECK(damaged.empty());
    REQUIRE(v->read_records(6, 3, recs, &err, &damaged));
    CHECK(recs.front().seq == 8);
    CHECK(damaged == std::vector<uint64_t>{7});

    // The USB stick: 19 records and the named gap, accepted by the bundle reader.
    int64_t n = 0;
    REQUIRE_MESSAGE(export_bundle(*v, d / "stick.tkb", &n, &err), err);
    CHECK(n == 19);
    std::string bytes = test::slurp(d / "stick.tkb");
    Bundle b;
    BundleProblem p = BundleProblem::None;
    REQUIRE_MESSAGE(read_bundle((const uint8_t*)bytes.data(), bytes.size(), BundleLimits{}, b, &p, &err), err);
    CHECK(b.records.size() == 19);
    CHECK(b.damaged == std::vector<uint64_t>{7});
    CHECK(b.head.seq == 20);

    // decrypt --vault opens every intact record and names the damaged one.
    ResearchSecretKey key;
    REQUIRE_MESSAGE(load_research_key(d / "demo-research.key", kDemoPassphrase, key, &err), err);
    DecryptResult r = decrypt_source(RecordSourceKind::Vault, d.path, key);
    REQUIRE_MESSAGE(r.ok(), r.error);
    CHECK(r.responses.size() == 19);
    CHECK(r.records_seen == 20);
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].record_id == bad[0].record_id);
    CHECK(r.problems[0].message.find("damaged on the device") != std::string::npos);
    CHECK_FALSE(any_has(r.warnings, "missing"));
    // The same from the stick.
    r = decrypt_source(RecordSourceKind::Bundle, d / "stick.tkb", key);
    CHECK(r.responses.size() == 19);
    CHECK(r.problems.size() == 1);
    v.reset();

    // The kiosk keeps the quarantine in its table and writes on; the new record is read too.
    {
        auto w = Vault::open(d.path, true, &err);
        REQUIRE_MESSAGE(w, err);
        CHECK(w->damaged_records().size() == 1);
        REQUIRE(w->append_response(answer(20)).durable);
        REQUIRE(w->read_records(0, 100, recs, &err, &damaged));
        CHECK(recs.size() == 20);
        CHECK(recs.back().seq == 21);
        CHECK(w->verify().ok == false); // the damage stays visible to verify
    }
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open((d / "vault.sqlite").c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "SELECT seq, reason FROM quarantine", -1, &st, nullptr);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    CHECK(sqlite3_column_int64(st, 0) == 7);
    CHECK(sqlite3_step(st) == SQLITE_DONE);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

TEST_CASE("vault: the damaged record does not stop the sync; the server logs it as damaged on the device") {
    TempDir d;
    fill(d.path, 20);
    flip_body_byte(d.path, 7);
    Server s;
    s.enrol(d.path);
    std::string err;
    auto v = Vault::open(d.path, true, &err);
    REQUIRE_MESSAGE(v, err);
    SyncOptions opt;
    opt.batch = 4; // batches 1-4, 5-6+8-9 (over the gap), ...
    SyncResult r = sync_once(*v, s.url(), nullptr, opt);
    REQUIRE_MESSAGE(r.ok, r.error);
    CHECK(r.stored == 19);
    CHECK(r.acked_seq == 20);
    CHECK(v->status().unsynced == 0);
    CHECK(s.store->record_count() == 19);
    std::vector<std::string> ev = s.store->events(50);
    std::string id7 = v->damaged_records().at(0).record_id;
    CHECK(any_has(ev, "damaged-on-device", id7));
    CHECK_FALSE(any_has(ev, "reject"));
    // A second run sends nothing and is fine.
    r = sync_once(*v, s.url(), nullptr, opt);
    CHECK_MESSAGE(r.ok, r.error);
    CHECK(r.sent == 0);
}

TEST_CASE("vault: a schema 1 vault is migrated: prev_hash filled, head signed, records intact") {
    TempDir d;
    fill(d.path, 5);
    // Back to what schema 1 looked like: no prev_hash column, no quarantine, no signed head.
    sql(d / "vault.sqlite", "ALTER TABLE records DROP COLUMN prev_hash; DROP TABLE quarantine;"
                            "DELETE FROM meta WHERE key IN ('head_sig', 'head_time'); UPDATE schema_version SET version = 1;");
    std::string err;
    VaultOpenOptions ro;
    ro.create = false;
    CHECK_FALSE(Vault::open(d.path, ro, &err)); // readers do not migrate
    CHECK(err.find("needs migrating") != std::string::npos);
    {
        auto w = Vault::open(d.path, true, &err);
        REQUIRE_MESSAGE(w, err);
        CHECK(w->status().schema_version == 2);
        CHECK(w->damaged_records().empty());
        CHECK(w->signed_head().seq == 5);
        REQUIRE(w->append_response(answer(5)).durable);
    }
    auto v = open_ro(d.path);
    VerifyReport rep = v->verify();
    CHECK_MESSAGE(rep.ok, (rep.problems.empty() ? "" : rep.problems[0]));
    CHECK(rep.records_checked == 6);
}

TEST_CASE("vault: rows removed at the end with the head rewritten fail verify; the server flags the head going backwards") {
    TempDir d;
    fill(d.path, 20);
    Server s;
    s.enrol(d.path);
    std::string err;
    {
        auto v = Vault::open(d.path, true, &err);
        REQUIRE_MESSAGE(v, err);
        REQUIRE(sync_once(*v, s.url(), nullptr, SyncOptions{}).ok);
        CHECK(open_ro(d.path)->verify().ok);
    }
    // Delete the newest five and rewrite the head to the new last record: no secret needed.
    std::vector<Record> recs;
    REQUIRE(open_ro(d.path)->read_records(14, 1, recs, &err));
    std::string h15;
    for (uint8_t c : record_hash(recs.at(0))) {
        char x[3];
        snprintf(x, sizeof x, "%02x", c);
        h15 += x;
    }
    sql(d / "vault.sqlite", "DELETE FROM records WHERE seq > 15; UPDATE meta SET value = '15' WHERE key = 'head_seq';"
                            "UPDATE meta SET value = '" + h15 + "' WHERE key = 'head_hash'; UPDATE meta SET value = '0' WHERE key = 'synced_seq';");
    VerifyReport rep = open_ro(d.path)->verify();
    CHECK_FALSE(rep.ok);
    CHECK(rep.records_checked == 15);
    CHECK(any_has(rep.problems, "not what the device signed", "removed at the end"));
    // The kiosk does not write on such a chain.
    CHECK_FALSE(Vault::open(d.path, true, &err));
    CHECK(err.find("signed chain head") != std::string::npos);

    // An old copy of the vault (its own valid head of 10) syncing again: the server holds 20
    // and flags the head that went backwards.
    TempDir old;
    fill(old.path, 20);
    auto ov = open_ro(old.path);
    SignedHead h10;
    REQUIRE(ov->read_records(9, 1, recs, &err));
    DeviceIdentity id;
    bool created = false;
    REQUIRE(load_or_create_device(old / "device.key", false, id, &created, &err));
    h10.seq = 10;
    h10.hash = record_hash(recs.at(0));
    h10.time = 1764000000;
    sign_head(h10, id.pk, id.sk);
    std::array<uint8_t, 32> pk = device_of(old.path);
    {
        std::string code = s.store->new_pairing_code("", 1, nullptr);
        int status = 0;
        REQUIRE(s.store->enrol(code, pk, &status, &err));
    }
    REQUIRE(ov->read_records(0, 20, recs, &err));
    auto bundle = make_bundle(recs, id.sk, 1764000000);
    REQUIRE(s.store->ingest(bundle.data(), bundle.size(), BundleLimits{}, "test").status == 200);
    CHECK_FALSE(any_has(s.store->events(50), "head-backwards"));
    recs.resize(10);
    BundleExtras x;
    x.head = h10;
    bundle = make_bundle(recs, id.sk, 1764000000, &x);
    IngestResult ir = s.store->ingest(bundle.data(), bundle.size(), BundleLimits{}, "test");
    CHECK(ir.status == 200); // the records themselves are the ones it holds
    CHECK(ir.duplicates == 10);
    CHECK(any_has(s.store->events(50), "head-backwards", "record 10"));
}

TEST_CASE("vault: a bundle made by a second handle carries a head no older than its records") {
    // The kiosk's sync worker opens its own handle; the UI's handle commits after that.
    TempDir d;
    fill(d.path, 3);
    std::string err;
    auto worker = Vault::open(d.path, true, &err);
    REQUIRE_MESSAGE(worker, err);
    {
        auto ui = Vault::open(d.path, true, &err);
        REQUIRE_MESSAGE(ui, err);
        for (int i = 3; i < 6; i++) REQUIRE(ui->append_response(answer(i)).durable);
    }
    int64_t n = 0;
    REQUIRE_MESSAGE(export_bundle(*worker, d / "stick.tkb", &n, &err), err);
    CHECK(n == 6);
    std::string bytes = test::slurp(d / "stick.tkb");
    Bundle b;
    BundleProblem p = BundleProblem::None;
    CHECK_MESSAGE(read_bundle((const uint8_t*)bytes.data(), bytes.size(), BundleLimits{}, b, &p, &err), err);
    CHECK(b.head.seq == 6);
}

TEST_CASE("vault: two damaged records and a deleted row are all quarantined and named in one alarm") {
    TempDir d;
    fill(d.path, 12);
    flip_body_byte(d.path, 3);
    flip_body_byte(d.path, 12); // the newest: vouched for by the head, which no longer matches
    sql(d / "vault.sqlite", "DELETE FROM records WHERE seq = 8");
    auto v = open_ro(d.path);
    std::vector<DamagedRecord> bad = v->damaged_records();
    REQUIRE(bad.size() == 3);
    CHECK(bad[0].seq == 3);
    CHECK(bad[1].seq == 8);
    CHECK(bad[1].reason.find("missing") != std::string::npos);
    CHECK(bad[2].seq == 12);
    CHECK(any_has(v->alarms(), "3 Antworten im Speicher sind beschädigt", bad[1].record_id));
    CHECK(any_has(v->alarms(), "werden nicht übertragen"));
    CHECK(v->status().unsynced == 9);
    std::vector<Record> recs;
    std::vector<uint64_t> damaged;
    std::string err;
    REQUIRE(v->read_records(0, 100, recs, &err, &damaged));
    CHECK(recs.size() == 9);
    CHECK(damaged == std::vector<uint64_t>{3, 8, 12});
}
