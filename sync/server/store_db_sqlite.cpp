// store_db_sqlite.cpp - the store's SQLite backend (see store_db.h): one file, WAL,
// synchronous=FULL, a busy timeout for the other processes on the same folder. Also
// open_store_db, which picks the backend, and Query::col_blob.
#include <cstring>
#include <sqlite3.h>

#include "sqlite_stmt.h"
#include "store_db.h"

namespace tk {

bool is_postgres_url(const std::string& store) {
    return store.rfind("postgresql://", 0) == 0 || store.rfind("postgres://", 0) == 0;
}

std::unique_ptr<StoreDb> open_store_db(const std::string& dir, const std::string& store, bool create, std::string* error) {
    if (store.empty()) return open_sqlite_db(dir + "/server.sqlite", create, error);
    if (is_postgres_url(store)) return open_pg_db(store, error);
    if (error) *error = "--store '" + store.substr(0, 200) + "': expected a postgresql://USER@HOST:PORT/DATABASE URL "
                        "(or no --store: SQLite in the data directory)";
    return nullptr;
}

bool Query::col_blob(int i, uint8_t* out, size_t n) {
    std::string b = col_bytes(i);
    if (b.size() != n) return false;
    if (n) std::memcpy(out, b.data(), n);
    return true;
}

namespace {

class SqliteStmt : public StoreStmt {
public:
    SqliteStmt(sqlite3* db, const std::string& sql) : db_(db), st_(db, sql.c_str()) {}
    bool ok() const override { return (bool)st_; }
    void text(int i, const std::string& v) override { st_.text(i, v); }
    void blob(int i, const void* p, size_t n) override { st_.blob(i, p, n); }
    void i64(int i, int64_t v) override { st_.i64(i, v); }
    int step() override {
        int rc = st_.step();
        return rc == SQLITE_ROW ? kDbRow : rc == SQLITE_DONE ? kDbDone : kDbError;
    }
    void reset() override { st_.reset(); }
    bool null(int i) override { return !st_ || sqlite3_column_type(st_.s, i) == SQLITE_NULL; }
    DbType col_type(int i) override {
        switch (st_ ? sqlite3_column_type(st_.s, i) : SQLITE_NULL) {
        case SQLITE_INTEGER: return DbType::Int;
        case SQLITE_TEXT: return DbType::Text;
        case SQLITE_BLOB: return DbType::Blob;
        default: return DbType::Null;
        }
    }
    int64_t col_i64(int i) override { return st_ ? sqlite3_column_int64(st_.s, i) : 0; }
    std::string col_text(int i) override { return st_.col_text(i); }
    std::string col_bytes(int i) override { return st_.col_bytes(i); }
    int columns() override { return st_ ? sqlite3_column_count(st_.s) : 0; }
    int64_t changes() override { return sqlite3_changes(db_); }

private:
    sqlite3* db_;
    Stmt st_;
};

class SqliteDb : public StoreDb {
public:
    ~SqliteDb() override {
        if (db_) sqlite3_close_v2(db_);
    }
    sqlite3* db_ = nullptr;
    std::string path_;

    bool postgres() const override { return false; }
    std::unique_ptr<StoreStmt> prepare(const std::string& sql) override { return std::make_unique<SqliteStmt>(db_, sql); }
    bool exec(const std::string& sql) override { return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK; }
    bool begin() override { return exec("BEGIN IMMEDIATE"); }
    bool commit() override {
        if (exec("COMMIT")) return true;
        rollback();
        return false;
    }
    void rollback() override {
        if (in_transaction()) exec("ROLLBACK");
    }
    bool in_transaction() override { return !sqlite3_get_autocommit(db_); }
    std::string error() override { return db_ ? sqlite3_errmsg(db_) : "no database"; }
    bool unique_violation() override {
        int e = sqlite3_extended_errcode(db_);
        return e == SQLITE_CONSTRAINT_UNIQUE || e == SQLITE_CONSTRAINT_PRIMARYKEY;
    }
    std::string where() const override { return path_; }

    std::string ddl(const std::string& sql) const override { return sql; }
    std::string hex(const std::string& expr) const override { return "lower(hex(" + expr + "))"; }
    const char* for_update() const override { return ""; }
    // WAL and synchronous=FULL only once the file is known to be ours or new: a foreign file is
    // left exactly as it was.
    bool begin_schema() override {
        Stmt a(db_, "PRAGMA application_id");
        int id = a.step() == SQLITE_ROW ? sqlite3_column_int(a.s, 0) : -1;
        if (id == 0 || id == 0x544B5356) {
            exec("PRAGMA journal_mode=WAL");
            exec("PRAGMA synchronous=FULL");
        }
        return begin();
    }
    bool read_marks(int* app_id, int* version, bool* foreign) override {
        Stmt a(db_, "PRAGMA application_id");
        if (a.step() != SQLITE_ROW) return false;
        *app_id = sqlite3_column_int(a.s, 0);
        Stmt u(db_, "PRAGMA user_version");
        *version = u.step() == SQLITE_ROW ? sqlite3_column_int(u.s, 0) : 0;
        *foreign = !(*app_id == 0 && *version == 0) && *app_id != 0x544B5356;
        return true;
    }
    std::string marks_sql(int app_id, int version) const override {
        return "PRAGMA application_id=" + std::to_string(app_id) + ";PRAGMA user_version=" + std::to_string(version) + ";";
    }
    bool ids_copied(const std::string&) override { return true; } // the row id continues by itself
};

} // namespace

std::unique_ptr<StoreDb> open_sqlite_db(const std::string& path, bool create, std::string* error) {
    auto db = std::make_unique<SqliteDb>();
    db->path_ = path;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path.c_str(), &db->db_, flags, nullptr) != SQLITE_OK) {
        if (error) *error = path + ": cannot open: " + db->error();
        return nullptr;
    }
    sqlite3_busy_timeout(db->db_, 10000);
    {
        Stmt a(db->db_, "PRAGMA application_id");
        if (a.step() != SQLITE_ROW) {
            if (error) *error = path + ": not an SQLite database, or damaged: " + db->error();
            return nullptr;
        }
    }
    return db;
}

} // namespace tk
