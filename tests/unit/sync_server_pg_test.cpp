// Tests of what only the PostgreSQL backend of the server store has: several stores (each one
// connection, as several server processes have) on one database taking the same uploads at
// once, sessions across them, and `migrate` from SQLite. Run by ctest's test_sync_pg (TK_PG_URL
// names a database of the throwaway cluster, tests/common/pg_cluster.sh); without it they say
// so and pass nothing.
#include <atomic>
#include <set>
#include <thread>

#include "sync_server_fixture.h"

using namespace tk;
using namespace tk::servertest;

namespace {

bool need_postgres() {
    if (on_postgres()) return true;
    MESSAGE("skipped: TK_PG_URL is not set (ctest -R test_sync_pg runs these on a throwaway cluster)");
    return false;
}

// A receipt that verifies, is signed by `server_pk`, names the device and acknowledges at
// least `seq` (the server's head, which another upload may have moved on already).
bool receipt_ok(const std::vector<uint8_t>& bytes, const std::array<uint8_t, 32>& server_pk, const Device& d, uint64_t seq) {
    Receipt rc;
    std::string err;
    if (!read_receipt(bytes.data(), bytes.size(), rc, &err)) return false;
    return rc.server_pk == server_pk && rc.device_pk == d.pka && rc.acked_seq >= seq;
}

} // namespace

TEST_CASE("postgres: two stores on one database take the same uploads at once; every record once") {
    if (!need_postgres()) return;
    ServerFixture s;
    std::string err;
    // A second connection on the same database and key: another server process.
    auto other = ServerStore::open(s.dir.path, false, &err, s.store_url);
    REQUIRE_MESSAGE(other, err);
    CHECK(other->server_pk() == s.store->server_pk());

    constexpr int kDevices = 6, kRecords = 30;
    std::vector<Device> devs(kDevices);
    std::vector<std::vector<Record>> chains;
    for (Device& d : devs) {
        s.enrol(d);
        chains.push_back(d.chain(kRecords));
    }
    // Each device sends its chain in three bundles, each of them twice, to both stores at once
    // (a kiosk retrying after a lost answer, reaching another process).
    std::atomic<int> bad{0}, bad_receipts{0};
    std::vector<std::thread> th;
    for (int t = 0; t < 4; t++)
        th.emplace_back([&, t] {
            ServerStore& st = t % 2 == 0 ? *s.store : *other;
            for (int k = 0; k < kDevices; k++) {
                const Device& d = devs[(size_t)k];
                for (int part = 0; part < 3; part++) {
                    std::vector<Record> recs(chains[(size_t)k].begin(), chains[(size_t)k].begin() + (part + 1) * 10);
                    std::string b = d.bundle(recs);
                    IngestResult r;
                    for (int attempt = 0; attempt < 5; attempt++) { // a gap: the other process is ahead or behind
                        r = st.ingest((const uint8_t*)b.data(), b.size(), BundleLimits{}, "thread " + std::to_string(t));
                        if (r.status == 200) break;
                    }
                    if (r.status != 200) bad++;
                    else if (!receipt_ok(r.receipt, s.store->server_pk(), d, (uint64_t)(part + 1) * 10)) bad_receipts++;
                }
            }
        });
    for (auto& x : th) x.join();
    CHECK(bad == 0);
    CHECK(bad_receipts == 0);
    CHECK(s.store->record_count() == kDevices * kRecords);
    CHECK(other->record_count() == kDevices * kRecords);
    // Stored exactly once: the ids are distinct and each is the very record the device sealed.
    std::set<std::string> ids;
    int64_t rows = 0;
    REQUIRE(other->for_each_record([&](const StoredRecord& r) { ids.insert(r.record_id); rows++; return true; }, &err));
    CHECK(rows == kDevices * kRecords);
    CHECK(ids.size() == (size_t)rows);
    for (const DeviceInfo& d : s.store->devices()) CHECK(d.last_seq == (uint64_t)kRecords);

    // Other bytes under an id the store holds: a conflict, from either store, and nothing stored.
    std::vector<Record> forked = devs[0].chain(3, 0, {}, ",\"x\":1");
    std::string fb = devs[0].bundle(forked);
    for (ServerStore* st : {s.store.get(), other.get()}) {
        IngestResult r = st->ingest((const uint8_t*)fb.data(), fb.size(), BundleLimits{}, "fork");
        CHECK(r.status == 409);
        CHECK(r.code == "conflict");
    }
    CHECK(s.store->record_count() == kDevices * kRecords);
}

TEST_CASE("postgres: a dashboard session made by one process holds in another, and ends in both") {
    if (!need_postgres()) return;
    ServerFixture s;
    std::string err;
    auto other = ServerStore::open(s.dir.path, false, &err, s.store_url);
    REQUIRE_MESSAGE(other, err);
    REQUIRE_MESSAGE(s.store->add_account("anna", "ein-langes-passwort", &err), err);
    int64_t now = (int64_t)std::time(nullptr);
    LoginResult r = s.store->login("anna", "ein-langes-passwort", "10.0.0.1", now);
    REQUIRE(r.ok);
    SessionInfo si;
    REQUIRE(other->session(r.session, now + 5, si));
    CHECK(si.account == "anna");
    CHECK(si.csrf == r.csrf);
    other->end_session(r.session);
    CHECK_FALSE(s.store->session(r.session, now + 6, si));
    // A lock-out counted by one process is seen by the other.
    LoginPolicy p;
    p.account_free = 2;
    CHECK_FALSE(s.store->login("anna", "falsch-falsch-falsch", "10.0.0.2", now, p).ok);
    LoginResult locked = other->login("anna", "falsch-falsch-falsch", "10.0.0.3", now, p);
    CHECK(locked.retry_after > 0);
    LoginResult right = s.store->login("anna", "ein-langes-passwort", "10.0.0.4", now + 1, p);
    CHECK_FALSE(right.ok);
    CHECK(right.reason == "locked");
}

TEST_CASE("postgres: the schema is made once; a database with other tables is left alone") {
    if (!need_postgres()) return;
    ServerFixture s;
    std::string err;
    // Opened again: the marks are read, nothing is created twice.
    auto again = ServerStore::open(s.dir.path, false, &err, s.store_url);
    REQUIRE_MESSAGE(again, err);
    CHECK(again->record_count() == 0);
    // Someone else's tables in a schema of their own: refused, and left as they were.
    std::string url = fresh_test_store();
    pg_sql(url, "CREATE TABLE invoices(id BIGINT); INSERT INTO invoices VALUES(7)");
    auto foreign = ServerStore::open(s.dir.path, false, &err, url);
    CHECK_FALSE(foreign);
    CHECK(err.find("foreign database") != std::string::npos);
    CHECK(err.find("PostgreSQL database") != std::string::npos);
    pg_sql(url, "DO $$ BEGIN IF to_regclass('devices') IS NOT NULL THEN RAISE 'devices made'; END IF; END $$");
    // A URL that is not one: refused, with what is expected.
    CHECK_FALSE(ServerStore::open(s.dir.path, true, &err, "mysql://x"));
    CHECK(err.find("postgresql://") != std::string::npos);
    // A server that is not there: refused, the message says so.
    CHECK_FALSE(ServerStore::open(s.dir.path, true, &err, "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2"));
    CHECK(err.find("cannot connect to PostgreSQL") != std::string::npos);
}

TEST_CASE("migrate: a SQLite store into PostgreSQL, every row, ids continuing; refused into a used one") {
    if (!need_postgres()) return;
    test::TempDir dir;
    std::string err;
    auto lite = ServerStore::open(dir.path, true, &err);
    REQUIRE_MESSAGE(lite, err);
    Device a, b;
    std::vector<Record> chain_a = a.chain(15);
    for (Device* d : {&a, &b}) {
        int status = 0;
        REQUIRE(lite->enrol(lite->new_pairing_code("Rathaus", 1, nullptr), d->pka, &status, &err));
        std::string bundle = d->bundle(d == &a ? std::vector<Record>(chain_a.begin(), chain_a.begin() + 12) : d->chain(5));
        REQUIRE(lite->ingest((const uint8_t*)bundle.data(), bundle.size(), BundleLimits{}, "t").status == 200);
    }
    REQUIRE(lite->revoke(device_id_hex(b.pka), "verloren", &err));
    REQUIRE(lite->set_target("Rathaus", 40, &err));
    REQUIRE(lite->add_account("bert", "noch-ein-passwort", &err));
    lite->audit("bert", "10.0.0.9", "login", "");
    lite->new_pairing_code("Schule", 2, nullptr);
    std::vector<StoredRecord> before;
    REQUIRE(lite->for_each_record([&](const StoredRecord& r) { before.push_back(r); return true; }, &err));
    auto events_before = lite->event_page(1000, 0, "", "");
    REQUIRE(!events_before.empty());

    // The destination: a new, empty schema; the server makes its tables.
    auto dst = ServerStore::open(dir.path, false, &err, fresh_test_store());
    REQUIRE_MESSAGE(dst, err);
    std::string report;
    REQUIRE_MESSAGE(lite->copy_into(*dst, &report, &err), err);
    CHECK(report.find("devices 2") != std::string::npos);
    CHECK(report.find("records 17") != std::string::npos);
    CHECK(report.find("accounts 1") != std::string::npos);

    std::vector<StoredRecord> after;
    REQUIRE(dst->for_each_record([&](const StoredRecord& r) { after.push_back(r); return true; }, &err));
    REQUIRE(after.size() == before.size());
    for (size_t i = 0; i < after.size(); i++) {
        CHECK(after[i].record_id == before[i].record_id);
        CHECK(after[i].wire == before[i].wire); // byte for byte
        CHECK(after[i].received == before[i].received);
    }
    auto devs = dst->devices();
    REQUIRE(devs.size() == 2);
    CHECK(devs[0].site == "Rathaus");
    int revoked = 0;
    for (const DeviceInfo& d : devs) revoked += d.revoked;
    CHECK(revoked == 1);
    CHECK(dst->targets().size() == 1);
    CHECK(dst->pairing_codes().size() == 3);
    CHECK(dst->audit_page(10, 0).size() == 1);
    // The password hash came along: the account logs in on the new store.
    CHECK(dst->login("bert", "noch-ein-passwort", "10.0.0.9", (int64_t)std::time(nullptr)).ok);
    // Events keep their ids, and new ones continue after them.
    auto events_after = dst->event_page(1000, 0, "", "");
    REQUIRE(events_after.size() == events_before.size());
    CHECK(events_after[0].id == events_before[0].id);
    dst->log_event("test", "", "after the move");
    CHECK(dst->event_page(1, 0, "", "")[0].id > events_before[0].id);
    // The chain continues on the new store: the next records of device a link to the copied head.
    std::string next = a.bundle(std::vector<Record>(chain_a.begin() + 12, chain_a.end()));
    IngestResult r = dst->ingest((const uint8_t*)next.data(), next.size(), BundleLimits{}, "t");
    CHECK(r.status == 200);
    CHECK(r.stored == 3);

    // Into a database that holds a store already: refused, nothing added.
    int64_t held = dst->record_count();
    CHECK_FALSE(lite->copy_into(*dst, &report, &err));
    CHECK(err.find("not empty") != std::string::npos);
    CHECK(dst->record_count() == held);
}
