// sync_server_ops_test.cpp - running the server for real: server.conf, one log line per request
// and per refusal, backups taken while it serves and restored (server store and vault).
#include <doctest/doctest.h>

#include <atomic>
#include <sys/stat.h>

#include "server_conf.h"
#include "sqlite_backup.h"
#include "sync_server_fixture.h"

using namespace tk;
using namespace tk::servertest;
using tk::test::TempDir;

namespace {

std::vector<std::string> conf_args(const std::string& text, std::vector<std::string> args, std::string* err) {
    TempDir d;
    tk::test::spit(d / "server.conf", text);
    std::string e;
    bool ok = read_server_conf(d / "server.conf", args, &e);
    if (err) *err = ok ? "" : e;
    return args;
}

int64_t device_records(const std::string& db, int64_t* heads_sum) {
    sqlite3* h = nullptr;
    REQUIRE(sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(h, "SELECT (SELECT count(*) FROM records), (SELECT coalesce(sum(last_seq), 0) FROM devices)", -1, &st,
                       nullptr);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    *heads_sum = sqlite3_column_int64(st, 1);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return n;
}

} // namespace

TEST_CASE("server.conf: KEY = value lines become serve's options; the command line wins") {
    std::string err;
    auto a = conf_args("# comment\n\nLISTEN=0.0.0.0:8443\nMAX_BODY = 67108864\nRATE='20'\nTHREADS=16\n"
                       "ALLOW_PLAIN_HTTP = no\n",
                       {"--threads", "4"}, &err);
    CHECK(err.empty());
    CHECK(a == std::vector<std::string>{"--threads", "4", "--listen", "0.0.0.0:8443", "--max-body", "67108864", "--rate", "20"});
    a = conf_args("ALLOW_PLAIN_HTTP=yes\nDATA=/srv/x\n", {"--data=/other"}, &err);
    CHECK(a == std::vector<std::string>{"--data=/other", "--allow-plain-http"});
    // STORE: the PostgreSQL database (store_db.h), a URL with '=' in its options kept whole.
    a = conf_args("STORE = postgresql://tk@db.example:5432/teilhabe?sslmode=require\n", {}, &err);
    CHECK(a == std::vector<std::string>{"--store", "postgresql://tk@db.example:5432/teilhabe?sslmode=require"});

    // Mistakes name the file and line, and add nothing.
    a = conf_args("LISTEN=1.2.3.4:1\nLISTN=0.0.0.0:1\n", {}, &err);
    CHECK(a.empty());
    CHECK(err.find("server.conf:2: unknown key 'LISTN'") != std::string::npos);
    conf_args("RATE\n", {}, &err);
    CHECK(err.find("server.conf:1: expected KEY = value") != std::string::npos);
    conf_args("ALLOW_PLAIN_HTTP=maybe\n", {}, &err);
    CHECK(err.find("wants yes or no") != std::string::npos);
    std::vector<std::string> none;
    CHECK_FALSE(read_server_conf("/nonexistent/server.conf", none, &err));
}

TEST_CASE("server log: one line per request with status, bytes, time, peer and device") {
    LiveServer s;
    Device d;
    s.enrol(d);
    std::string bundle = d.bundle(d.chain(2));
    auto r = s.upload(bundle);
    REQUIRE(r);
    REQUIRE(r->status == 200);
    httplib::Client c(s.url());
    REQUIRE(c.Get("/v1/nothing-here"));
    REQUIRE(c.Get("/v1/health"));
    // The logger runs after the answer went out: wait until the workers are done.
    s.srv.stop();
    s.th.join();
    std::lock_guard<std::mutex> g(s.log_mu);
    std::string upload, missing, health;
    for (const std::string& l : s.log) {
        if (l.find(" POST /v1/bundles ") != std::string::npos) upload = l;
        if (l.find(" GET /v1/nothing-here ") != std::string::npos) missing = l;
        if (l.find(" GET /v1/health ") != std::string::npos) health = l;
    }
    CAPTURE(upload);
    std::string id = device_id_hex(d.pka).substr(0, 16);
    CHECK(upload.find("POST /v1/bundles 200 in=" + std::to_string(bundle.size()) + " out=" + std::to_string(r->body.size()) +
                      " ms=") != std::string::npos);
    CHECK(upload.find(" peer=127.0.0.1 device=" + id + " -- upload 127.0.0.1 device") != std::string::npos);
    CHECK(missing.find("GET /v1/nothing-here 404 in=0 out=") != std::string::npos);
    CHECK(missing.find("device=- -- GET /v1/nothing-here 127.0.0.1 404 not-found") != std::string::npos);
    CHECK(health.find("GET /v1/health 200 ") != std::string::npos);
    // Each request is one line, nothing else about it.
    int upload_lines = 0;
    for (const std::string& l : s.log) upload_lines += l.find("upload 127.0.0.1") != std::string::npos;
    CHECK(upload_lines == 1);
}

TEST_CASE("server log: the front's refusals are lines too, with the peer") {
    ServerConfig cfg;
    cfg.per_address = 1;
    LiveServer s(cfg);
    int first = connect_raw(s.port);
    for (int i = 0; i < 200 && s.srv.open_connections() < 1; i++) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    int second = connect_raw(s.port);
    char buf[256];
    ssize_t n = ::recv(second, buf, sizeof buf, 0);
    CHECK(n > 0);
    CHECK(std::string(buf, n > 0 ? (size_t)n : 0).rfind("HTTP/1.1 503", 0) == 0);
    ::close(second);
    ::close(first);
    CHECK(s.logged("front 127.0.0.1 connection (address at its limit) 503 busy"));
}

TEST_CASE("server backup: consistent while uploads go on; restore refused while in use, then a round trip") {
    // The file backup is SQLite's; a PostgreSQL store is backed up with pg_dump (DEPLOY.md).
    if (on_postgres()) return;
    TempDir out;
    std::string backup = out / "store.backup";
    int64_t backed_up = 0;
    {
        LiveServer s;
        std::vector<Device> devices(3);
        for (auto& d : devices) s.enrol(d);
        // Three kiosks upload 40 bundles of 5 records each while the backup is taken.
        std::atomic<bool> go{true};
        std::thread uploader([&] {
            std::vector<std::vector<Record>> chains;
            for (auto& d : devices) chains.push_back(d.chain(200));
            for (size_t k = 0; k < 40 && go; k++)
                for (size_t i = 0; i < devices.size(); i++)
                    s.upload(devices[i].bundle({chains[i].begin() + (long)(5 * k), chains[i].begin() + (long)(5 * k + 5)}));
        });
        for (int i = 0; i < 5000 && s.store->record_count() < 30; i++) std::this_thread::sleep_for(std::chrono::milliseconds(2));
        std::string err;
        REQUIRE_MESSAGE(sqlite_backup(s.dir / "server.sqlite", backup, &err), err);
        go = false;
        uploader.join();
        // One committed state: every record of the copy is counted in its device's chain head.
        int64_t heads = 0;
        backed_up = device_records(backup, &heads);
        CHECK(backed_up >= 30);
        CHECK(backed_up == heads);
        CHECK(backed_up % 5 == 0);
        struct stat st;
        REQUIRE(::stat(backup.c_str(), &st) == 0);
        CHECK((st.st_mode & 0777) == 0600);
        CHECK_FALSE(std::filesystem::exists(backup + "-wal"));
        // Never over an existing file; never while the store is open.
        CHECK_FALSE(sqlite_backup(s.dir / "server.sqlite", backup, &err));
        CHECK(err.find("exists already") != std::string::npos);
        std::string kept;
        CHECK_FALSE(restore_store(s.dir.path, ServerStore::kFile, backup, &kept, &err));
        CHECK(err.find("in use") != std::string::npos);
        CHECK(s.store->record_count() > 0); // untouched

        // The round trip: the server stopped, the store is put back as it was at the backup.
        int64_t before = s.store->record_count();
        s.srv.stop();
        s.api.reset();
        s.store.reset();
        REQUIRE_MESSAGE(restore_store(s.dir.path, ServerStore::kFile, backup, &kept, &err), err);
        CHECK(kept.find("server.sqlite.before-restore-") != std::string::npos);
        auto store = ServerStore::open(s.dir.path, false, &err);
        REQUIRE_MESSAGE(store, err);
        CHECK(store->record_count() == backed_up);
        int64_t heads_after = 0;
        CHECK(device_records(s.dir / "server.sqlite", &heads_after) == heads_after);
        store.reset();
        // Nothing was lost: the replaced database is kept, whole.
        int64_t kept_heads = 0;
        CHECK(device_records(kept, &kept_heads) == before);
    }
}

TEST_CASE("restore refuses damaged, foreign and newer files, and changes nothing") {
    // The file backup is SQLite's; a PostgreSQL store is backed up with pg_dump (DEPLOY.md).
    if (on_postgres()) return;
    TempDir d, other;
    ServerFixture s;
    Device dev;
    s.enrol(dev);
    std::string b = dev.bundle(dev.chain(2));
    REQUIRE(s.store->ingest((const uint8_t*)b.data(), b.size(), BundleLimits{}, "test").status == 200);
    std::string backup = d / "good.backup", err, kept;
    REQUIRE(sqlite_backup(s.dir / "server.sqlite", backup, &err));
    s.api.reset();
    s.store.reset();

    tk::test::spit(d / "junk.backup", std::string(4096, 'x'));
    CHECK_FALSE(restore_store(s.dir.path, ServerStore::kFile, d / "junk.backup", &kept, &err));
    CHECK(err.find("junk.backup") != std::string::npos);

    // A vault is no server store.
    auto v = Vault::open(other.path, true, &err);
    REQUIRE(v);
    v.reset();
    REQUIRE(sqlite_backup(other / "vault.sqlite", d / "vault.backup", &err));
    CHECK_FALSE(restore_store(s.dir.path, ServerStore::kFile, d / "vault.backup", &kept, &err));
    CHECK(err.find("not a backup of a server store") != std::string::npos);

    // A store from a newer release.
    REQUIRE(std::filesystem::copy_file(backup, d / "newer.backup"));
    tk::test::sql(d / "newer.backup", "PRAGMA user_version=99");
    CHECK_FALSE(restore_store(s.dir.path, ServerStore::kFile, d / "newer.backup", &kept, &err));
    CHECK(err.find("schema version 99 is newer") != std::string::npos);

    // A page damaged inside the file.
    REQUIRE(std::filesystem::copy_file(backup, d / "damaged.backup"));
    {
        std::string bytes = tk::test::slurp(d / "damaged.backup");
        REQUIRE(bytes.size() > 8192);
        for (size_t i = 4096; i < bytes.size(); i++) bytes[i] = '\x5a'; // every page after the first
        tk::test::spit(d / "damaged.backup", bytes);
    }
    CHECK_FALSE(restore_store(s.dir.path, ServerStore::kFile, d / "damaged.backup", &kept, &err));
    CHECK(err.find("damaged") != std::string::npos);

    // After all refusals the store is as it was.
    auto store = ServerStore::open(s.dir.path, false, &err);
    REQUIRE(store);
    CHECK(store->record_count() == 2);
    int n = 0;
    for (const auto& e : std::filesystem::directory_iterator(s.dir.path))
        n += e.path().filename().string().find("before-restore") != std::string::npos;
    CHECK(n == 0);
}

TEST_CASE("vault backup and restore: a round trip, refused while the kiosk has it open") {
    TempDir dir, out;
    std::string err, kept, backup = out / "vault.backup";
    auto v = Vault::open(dir.path, true, &err);
    REQUIRE(v);
    append_drill(*v, 5, "kiosk", "Bibliothek");
    REQUIRE(sqlite_backup(dir / "vault.sqlite", backup, &err));
    append_drill(*v, 3, "kiosk", "Bibliothek", "m"); // after the backup
    CHECK_FALSE(restore_store(dir.path, Vault::kFile, backup, &kept, &err));
    CHECK(err.find("in use") != std::string::npos);
    CHECK(v->status().records == 8);
    v.reset();
    REQUIRE_MESSAGE(restore_store(dir.path, Vault::kFile, backup, &kept, &err), err);
    v = Vault::open(dir.path, true, &err);
    REQUIRE_MESSAGE(v, err);
    CHECK(v->status().records == 5);
    CHECK(v->verify().ok);
    // A restore in progress keeps the kiosk out (and the other way round, above).
    DirLock lock;
    v.reset();
    REQUIRE(lock_dir(dir.path, true, lock, &err));
    CHECK_FALSE(Vault::open(dir.path, true, &err));
    CHECK(err.find("being restored") != std::string::npos);
}
