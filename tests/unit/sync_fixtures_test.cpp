// sync_fixtures_test.cpp - upgrades: the data files of an earlier release still open, and are
// migrated, with this release's code. tests/fixtures/RELEASE/ holds them as SQL text, written by
// that release's own programs (tests/fixtures/make.sh, see tests/fixtures/README.md). Each set is
// loaded into a fresh folder and opened the way the programs open it: the store by
// `teilhabe-server`, the vault by the kiosk; then new records must follow the old ones.
#include <doctest/doctest.h>

#include <filesystem>
#include <sys/stat.h>

#include "sync_server_fixture.h"

using namespace tk;
using namespace tk::servertest;
using tk::test::TempDir;

namespace {

std::string fixtures_dir() { return std::string(TK_SOURCE_DIR) + "/tests/fixtures"; }

int64_t user_version(const std::string& db) {
    sqlite3* h = nullptr;
    REQUIRE(sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(h, "PRAGMA user_version", -1, &st, nullptr);
    int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    sqlite3_close(h);
    return v;
}

} // namespace

TEST_CASE("fixtures: a server store of every earlier release opens and keeps its records") {
    int sets = 0;
    for (const auto& e : std::filesystem::directory_iterator(fixtures_dir())) {
        std::string sqlfile = e.path().string() + "/server-store.sql";
        if (!std::filesystem::exists(sqlfile)) continue;
        CAPTURE(sqlfile);
        sets++;
        TempDir dir;
        tk::test::sql(dir / "server.sqlite", tk::test::slurp(sqlfile));
        std::string err;
        auto store = ServerStore::open(dir.path, true, &err);
        REQUIRE_MESSAGE(store, err);
        CHECK(store->record_count() == 3);
        auto devices = store->devices();
        REQUIRE(devices.size() == 1);
        CHECK(devices[0].last_seq == 3);
        CHECK(devices[0].site == "Bibliothek");
        int wires = 0;
        REQUIRE(store->for_each_record([&](const StoredRecord& r) { return ++wires, !r.wire.empty(); }, &err));
        CHECK(wires == 3);
        // Migrated to this release's schema, and it takes new uploads.
        CHECK(user_version(dir / "server.sqlite") == ServerStore::kSchemaVersion);
        Device other;
        std::string code = store->new_pairing_code("Rathaus", 1, &err);
        int status = 0;
        REQUIRE_MESSAGE(store->enrol(code, other.pka, &status, &err), err);
        std::string b = other.bundle(other.chain(2));
        CHECK(store->ingest((const uint8_t*)b.data(), b.size(), BundleLimits{}, "test").status == 200);
        CHECK(store->record_count() == 5);
    }
    CHECK(sets >= 1);
}

TEST_CASE("fixtures: a vault of every earlier release opens on the kiosk, is migrated and goes on") {
    int sets = 0;
    for (const auto& e : std::filesystem::directory_iterator(fixtures_dir())) {
        std::string from = e.path().string() + "/vault";
        if (!std::filesystem::exists(from + "/vault.sql")) continue;
        CAPTURE(from);
        sets++;
        TempDir dir;
        tk::test::sql(dir / "vault.sqlite", tk::test::slurp(from + "/vault.sql"));
        tk::test::spit(dir / "device.key", tk::test::slurp(from + "/device.key"));
        ::chmod((dir / "device.key").c_str(), 0600);
        tk::test::spit(dir / "research.pub", tk::test::slurp(from + "/research.pub"));
        std::string err;
        auto v = Vault::open(dir.path, false, &err);
        REQUIRE_MESSAGE(v, err);
        VaultStatus st = v->status();
        CHECK(st.records == 3);
        CHECK(st.schema_version == Vault::kSchemaVersion);
        CHECK(v->verify().ok);
        // The chain goes on from the old records.
        append_drill(*v, 1, "kiosk", "Bibliothek", "m");
        CHECK(v->status().records == 4);
        CHECK(v->verify().ok);
        v.reset();
        CHECK(user_version(dir / "vault.sqlite") == Vault::kSchemaVersion);
    }
    CHECK(sets >= 1);
}

TEST_CASE("fixtures: files of a newer release are refused and left as they are") {
    TempDir store_dir, vault_dir;
    std::string err;
    REQUIRE(ServerStore::open(store_dir.path, true, &err));
    const int newer = ServerStore::kSchemaVersion + 1;
    tk::test::sql(store_dir / "server.sqlite", "PRAGMA user_version=" + std::to_string(newer));
    CHECK_FALSE(ServerStore::open(store_dir.path, true, &err));
    CHECK(err.find("schema version " + std::to_string(newer) + " is newer") != std::string::npos);
    CHECK(user_version(store_dir / "server.sqlite") == newer);

    REQUIRE(Vault::open(vault_dir.path, true, &err));
    tk::test::sql(vault_dir / "vault.sqlite", "PRAGMA user_version=3");
    CHECK_FALSE(Vault::open(vault_dir.path, true, &err));
    CHECK(err.find("schema version 3 is newer") != std::string::npos);
    CHECK(user_version(vault_dir / "vault.sqlite") == 3);
}
