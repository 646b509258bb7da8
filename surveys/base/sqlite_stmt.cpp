// sqlite_stmt.cpp - see sqlite_stmt.h.
#include "sqlite_stmt.h"

#include <cstring>

namespace tk {

Stmt::Stmt(sqlite3* db, const char* sql) { sqlite3_prepare_v2(db, sql, -1, &s, nullptr); }

Stmt::~Stmt() { sqlite3_finalize(s); } // finalizing null is a no-op

// Binds, reset and column reads do nothing on a statement that did not prepare: SQLite's
// own calls are undefined on a null handle (no API armour in Debian's build), and step()
// already reports the failure.

Stmt& Stmt::text(int i, const std::string& v) {
    if (s) sqlite3_bind_text(s, i, v.data(), (int)v.size(), SQLITE_TRANSIENT);
    return *this;
}

Stmt& Stmt::blob(int i, const void* p, size_t n) {
    if (s) sqlite3_bind_blob(s, i, p, (int)n, SQLITE_TRANSIENT);
    return *this;
}

Stmt& Stmt::i64(int i, int64_t v) {
    if (s) sqlite3_bind_int64(s, i, v);
    return *this;
}

int Stmt::step() { return s ? sqlite3_step(s) : SQLITE_ERROR; }

void Stmt::reset() {
    if (!s) return;
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
}

std::string Stmt::col_text(int i) {
    // sqlite3_column_text first, then the byte count: the count is of the text form.
    const unsigned char* t = s ? sqlite3_column_text(s, i) : nullptr;
    return t ? std::string((const char*)t, (size_t)sqlite3_column_bytes(s, i)) : std::string();
}

std::string Stmt::col_bytes(int i) {
    const void* p = s ? sqlite3_column_blob(s, i) : nullptr;
    return p ? std::string((const char*)p, (size_t)sqlite3_column_bytes(s, i)) : std::string();
}

bool Stmt::col_blob(int i, uint8_t* out, size_t n) {
    if (!s || sqlite3_column_bytes(s, i) != (int)n) return false;
    if (n) std::memcpy(out, sqlite3_column_blob(s, i), n);
    return true;
}

} // namespace tk
