// vault_sql.h - small SQLite helpers shared by the vault's two source files (vault.cpp:
// opening and appending; vault_check.cpp: walking, checking and quarantining the records).
// Internal to tk_vault: nothing outside sync/vault/ includes it.
//   exec, errmsg  sqlite3_exec without callbacks; the connection's last message
//   get_meta, set_meta, del_meta   the meta table (key -> text)
//   write_head_meta, read_head_meta, fill_prev_hashes   (defined in vault_check.cpp)
#pragma once
#include <cstdint>
#include <sqlite3.h>
#include <string>

#include "dates.h"
#include "record.h"
#include "sqlite_stmt.h"

namespace tk::vault_sql {

// 'TKV1': marks the file as ours, so a foreign SQLite file is recognised and left alone.
inline constexpr int32_t kVaultApplicationId = 0x544B5631;

inline int exec(sqlite3* db, const char* sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr); }

inline std::string errmsg(sqlite3* db) { return db ? sqlite3_errmsg(db) : "out of memory"; }

inline bool get_meta(sqlite3* db, const char* key, std::string& out) {
    Stmt st(db, "SELECT value FROM meta WHERE key = ?");
    if (!st) return false;
    sqlite3_bind_text(st.s, 1, key, -1, SQLITE_STATIC);
    if (st.step() != SQLITE_ROW) return false;
    out = st.col_text(0);
    return true;
}

inline int set_meta(sqlite3* db, const char* key, const std::string& value) {
    Stmt st(db, "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    if (!st) return sqlite3_errcode(db);
    sqlite3_bind_text(st.s, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st.s, 2, value.data(), (int)value.size(), SQLITE_STATIC);
    int rc = st.step();
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

inline int del_meta(sqlite3* db, const char* key) {
    Stmt st(db, "DELETE FROM meta WHERE key = ?");
    if (!st) return sqlite3_errcode(db);
    sqlite3_bind_text(st.s, 1, key, -1, SQLITE_STATIC);
    int rc = st.step();
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

// vault_check.cpp: the head statement in meta (head_seq, head_hash, head_time, head_sig).
bool write_head_meta(sqlite3* db, const SignedHead& h);
bool read_head_meta(sqlite3* db, SignedHead& h);
// Migration 1 -> 2: sets every row's prev_hash from the walk (the hash of the row before it).
bool fill_prev_hashes(sqlite3* db);

} // namespace tk::vault_sql
