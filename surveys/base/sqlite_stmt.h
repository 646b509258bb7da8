// sqlite_stmt.h - one prepared SQLite statement that finalizes itself.
//
// The vault, the server store and the paper sheet registry all talk to SQLite through this
// one wrapper, so every statement is finalized on every path (early returns included) and a
// column is read alike everywhere (a NULL column reads as "").
//
//   Stmt st(db, "SELECT ... WHERE a = ? AND b = ?");
//   if (!st) ...                          // prepare failed: sqlite3_errmsg(db) says why
//   st.text(1, a).i64(2, b);              // binds copy their value (SQLITE_TRANSIENT)
//   while (st.step() == SQLITE_ROW) st.col_text(0) ...
//
// `s` stays public for the few calls the wrapper does not cover (sqlite3_bind_* with
// SQLITE_STATIC on values that outlive the statement, sqlite3_column_int64).
#pragma once
#include <cstddef>
#include <cstdint>
#include <sqlite3.h>
#include <string>

namespace tk {

struct Stmt {
    sqlite3_stmt* s = nullptr; // null when preparing failed

    Stmt(sqlite3* db, const char* sql);
    ~Stmt();
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;

    explicit operator bool() const { return s != nullptr; }

    // Binding, 1-based like sqlite3_bind_*; each returns *this so binds chain.
    Stmt& text(int i, const std::string& v);
    Stmt& blob(int i, const void* p, size_t n);
    Stmt& blob(int i, const std::string& v) { return blob(i, v.data(), v.size()); }
    Stmt& i64(int i, int64_t v);

    // sqlite3_step, or SQLITE_ERROR when preparing failed (so loops end and errors show);
    // binds, reset and reads are then harmless no-ops.
    int step();
    // Ready to run again with new binds.
    void reset();

    // Reading the current row, 0-based like sqlite3_column_*.
    std::string col_text(int i);  // the column as text, all of its bytes (NUL included)
    std::string col_bytes(int i); // the column as a blob, in a string
    // Exactly n bytes into `out`; false (and `out` untouched) when the column has another size.
    bool col_blob(int i, uint8_t* out, size_t n);
};

} // namespace tk
