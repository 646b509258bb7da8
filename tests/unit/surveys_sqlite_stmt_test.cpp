// Tests for sqlite_stmt.h, the one statement wrapper of the vault, the server store and the
// paper sheet registry: binds copy, NULL reads as "", sizes are checked, a statement that did
// not prepare fails every step instead of crashing, reset runs it again.
#include <doctest/doctest.h>

#include <cstdint>
#include <sqlite3.h>
#include <string>

#include "sqlite_stmt.h"

using namespace tk;

namespace {

struct MemoryDb {
    sqlite3* db = nullptr;
    MemoryDb() {
        REQUIRE(sqlite3_open(":memory:", &db) == SQLITE_OK);
        REQUIRE(sqlite3_exec(db, "CREATE TABLE t(a TEXT, b BLOB, c INTEGER)", nullptr, nullptr, nullptr) == SQLITE_OK);
    }
    ~MemoryDb() { sqlite3_close(db); }
};

} // namespace

TEST_CASE("sqlite_stmt: binds chain, copy their values, and read back byte for byte") {
    MemoryDb m;
    {
        Stmt ins(m.db, "INSERT INTO t(a, b, c) VALUES(?, ?, ?)");
        REQUIRE(ins);
        std::string text("Stra\xc3\x9f" "e\0x", 8); // UTF-8 and an embedded NUL
        std::string bytes("\x00\xff\x01", 3);
        ins.text(1, text).blob(2, bytes).i64(3, -5);
        text.assign("overwritten"); // the bind copied: changing the source changes nothing
        bytes.assign("overwritten");
        CHECK(ins.step() == SQLITE_DONE);
    }
    Stmt q(m.db, "SELECT a, b, c FROM t");
    REQUIRE(q);
    REQUIRE(q.step() == SQLITE_ROW);
    CHECK(q.col_text(0) == std::string("Stra\xc3\x9f" "e\0x", 8));
    CHECK(q.col_bytes(1) == std::string("\x00\xff\x01", 3));
    CHECK(sqlite3_column_int64(q.s, 2) == -5);
    uint8_t three[3] = {9, 9, 9};
    REQUIRE(q.col_blob(1, three, 3));
    CHECK((three[0] == 0x00 && three[1] == 0xff && three[2] == 0x01));
    CHECK(q.step() == SQLITE_DONE);
}

TEST_CASE("sqlite_stmt: NULL columns read as empty, a blob of the wrong size is refused") {
    MemoryDb m;
    {
        Stmt ins(m.db, "INSERT INTO t(a, b, c) VALUES(NULL, ?, NULL)");
        const uint8_t four[4] = {1, 2, 3, 4};
        ins.blob(1, four, sizeof four);
        REQUIRE(ins.step() == SQLITE_DONE);
    }
    Stmt q(m.db, "SELECT a, b FROM t");
    REQUIRE(q.step() == SQLITE_ROW);
    CHECK(q.col_text(0).empty());
    CHECK(q.col_bytes(0).empty());
    uint8_t out[8] = {7, 7, 7, 7, 7, 7, 7, 7};
    CHECK_FALSE(q.col_blob(1, out, 8)); // 4 bytes stored, 8 wanted
    CHECK_FALSE(q.col_blob(1, out, 3));
    CHECK(out[0] == 7); // untouched
    CHECK(q.col_blob(1, out, 4));
    CHECK(out[3] == 4);
    uint8_t none = 0;
    CHECK(q.col_blob(0, &none, 0)); // NULL has zero bytes: a zero-size read succeeds, copies nothing
}

TEST_CASE("sqlite_stmt: a statement that does not prepare fails each step, no crash") {
    MemoryDb m;
    Stmt bad(m.db, "SELEC nothing FROM nowhere");
    CHECK_FALSE(bad);
    CHECK(bad.s == nullptr);
    bad.text(1, "x").i64(2, 3).blob(3, std::string("y")); // binds on null are harmless
    CHECK(bad.col_text(0).empty());
    CHECK(bad.col_bytes(0).empty());
    uint8_t b = 0;
    CHECK_FALSE(bad.col_blob(0, &b, 1));
    CHECK(bad.step() == SQLITE_ERROR);
    CHECK(bad.step() == SQLITE_ERROR);
    bad.reset();
    CHECK(std::string(sqlite3_errmsg(m.db)).find("syntax error") != std::string::npos);
}

TEST_CASE("sqlite_stmt: reset clears the binds and runs the statement again") {
    MemoryDb m;
    Stmt ins(m.db, "INSERT INTO t(a, c) VALUES(?, ?)");
    for (int i = 0; i < 3; i++) {
        ins.text(1, "row" + std::to_string(i)).i64(2, i);
        REQUIRE(ins.step() == SQLITE_DONE);
        ins.reset();
    }
    CHECK(ins.step() == SQLITE_DONE); // after reset nothing is bound: NULL, NULL
    Stmt q(m.db, "SELECT a, c FROM t ORDER BY rowid");
    for (int i = 0; i < 3; i++) {
        REQUIRE(q.step() == SQLITE_ROW);
        CHECK(q.col_text(0) == "row" + std::to_string(i));
        CHECK(sqlite3_column_int64(q.s, 1) == i);
    }
    REQUIRE(q.step() == SQLITE_ROW);
    CHECK(sqlite3_column_type(q.s, 0) == SQLITE_NULL);
    CHECK(sqlite3_column_type(q.s, 1) == SQLITE_NULL);
    CHECK(q.step() == SQLITE_DONE);
}
