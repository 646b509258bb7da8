// store_db.h - the one SQL seam of the server store: a connection, its statements, its
// transactions and the few places where SQLite and PostgreSQL speak differently.
//
//   StoreDb        one connection (store_db_sqlite.cpp, store_db_pg.cpp)
//   StoreStmt      one prepared statement of it: bind, step, read columns
//   Query          the value the store's code holds: `Query q(db, "SELECT ... WHERE a = ?")`
//   open_store_db  "" -> DIR/server.sqlite; postgresql://... or postgres://... -> PostgreSQL
//
// The store's SQL is written once, in SQLite's words, and kept to what both understand
// (every value bound, ON CONFLICT upserts, integers for times). What differs is named here
// and nowhere else:
//   placeholders   `?` and `?N` in the store's SQL; PostgreSQL's backend turns them into $N
//   BLOB / BYTEA   ddl(): BLOB -> BYTEA, INTEGER -> BIGINT, `id INTEGER PRIMARY KEY` -> an
//                  identity column (SQLite's row id)
//   hex(expr)      lower-case hex of a blob: lower(hex(x)) / encode(x, 'hex')
//   for_update()   the row lock that serialises one device's uploads across processes
//                  (SQLite needs none: BEGIN IMMEDIATE takes the whole file)
//   begin()        a write transaction: BEGIN IMMEDIATE / BEGIN
//   schema marks   PRAGMA application_id + user_version / a schema_version table
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace tk {

// What step() answers.
enum : int { kDbRow = 1, kDbDone = 2, kDbError = 3 };
// What col_type() answers (for copying rows between backends).
enum class DbType { Null, Int, Text, Blob };

class StoreStmt {
public:
    virtual ~StoreStmt() = default;
    virtual bool ok() const = 0; // prepared (or, for PostgreSQL, well-formed)
    // Binding, 1-based like the placeholders; binds copy their value.
    virtual void text(int i, const std::string& v) = 0;
    virtual void blob(int i, const void* p, size_t n) = 0;
    virtual void i64(int i, int64_t v) = 0;
    // kDbRow (a row is there to read), kDbDone, kDbError (the connection's error() says why).
    virtual int step() = 0;
    virtual void reset() = 0; // ready to run again with new binds
    // Reading the current row, 0-based. A NULL reads as 0 or "".
    virtual bool null(int i) = 0;
    virtual DbType col_type(int i) = 0;
    virtual int64_t col_i64(int i) = 0;
    virtual std::string col_text(int i) = 0;
    virtual std::string col_bytes(int i) = 0;
    virtual int columns() = 0;
    // Rows the last INSERT, UPDATE or DELETE changed.
    virtual int64_t changes() = 0;
};

class StoreDb {
public:
    virtual ~StoreDb() = default;
    virtual bool postgres() const = 0;
    virtual std::unique_ptr<StoreStmt> prepare(const std::string& sql) = 0;
    // Statements without binds, several separated by ';'.
    virtual bool exec(const std::string& sql) = 0;
    virtual bool begin() = 0;
    virtual bool commit() = 0; // false, and rolled back, when the transaction failed
    virtual void rollback() = 0;
    virtual bool in_transaction() = 0;
    virtual std::string error() = 0;
    // The last failed statement broke a UNIQUE or PRIMARY KEY constraint.
    virtual bool unique_violation() = 0;
    // Where the store is, for messages ("DIR/server.sqlite", "PostgreSQL db@host:port").
    virtual std::string where() const = 0;

    // --- dialect ---
    virtual std::string ddl(const std::string& sqlite_ddl) const = 0;
    virtual std::string hex(const std::string& expr) const = 0;
    virtual const char* for_update() const = 0;
    // The store's marks. Inside a transaction begun for the schema (PostgreSQL: begin_schema
    // also takes an advisory lock, so that servers starting at once do not both create it).
    // foreign: the database holds tables but no marks of ours.
    virtual bool begin_schema() = 0;
    virtual bool read_marks(int* app_id, int* version, bool* foreign) = 0;
    virtual std::string marks_sql(int app_id, int version) const = 0;
    // After rows with explicit ids were copied into TABLE: identity columns continue after them.
    virtual bool ids_copied(const std::string& table) = 0;
};

// Opens the store's database. `store` "" is SQLite at DIR/server.sqlite (created when
// `create`); a postgresql:// or postgres:// URL (libpq's connection URI) is that database,
// which must exist (the schema in it is made by the server).
std::unique_ptr<StoreDb> open_store_db(const std::string& dir, const std::string& store, bool create, std::string* error);
bool is_postgres_url(const std::string& store);
std::unique_ptr<StoreDb> open_sqlite_db(const std::string& path, bool create, std::string* error);
std::unique_ptr<StoreDb> open_pg_db(const std::string& url, std::string* error);

// A statement as the store's code holds it: binds chain, a failed prepare makes every call a
// harmless no-op and step() kDbError.
class Query {
public:
    Query(StoreDb* db, const std::string& sql) : s_(db->prepare(sql)) {}
    Query(const std::unique_ptr<StoreDb>& db, const std::string& sql) : Query(db.get(), sql) {}
    explicit operator bool() const { return s_ && s_->ok(); }
    Query& text(int i, const std::string& v) { if (s_) s_->text(i, v); return *this; }
    Query& blob(int i, const void* p, size_t n) { if (s_) s_->blob(i, p, n); return *this; }
    Query& i64(int i, int64_t v) { if (s_) s_->i64(i, v); return *this; }
    int step() { return s_ ? s_->step() : kDbError; }
    void reset() { if (s_) s_->reset(); }
    bool null(int i) { return !s_ || s_->null(i); }
    DbType col_type(int i) { return s_ ? s_->col_type(i) : DbType::Null; }
    int64_t col_i64(int i) { return s_ ? s_->col_i64(i) : 0; }
    std::string col_text(int i) { return s_ ? s_->col_text(i) : std::string(); }
    std::string col_bytes(int i) { return s_ ? s_->col_bytes(i) : std::string(); }
    int columns() { return s_ ? s_->columns() : 0; }
    int64_t changes() { return s_ ? s_->changes() : 0; }
    // Exactly n bytes into `out`; false (and `out` untouched) when the column has another size.
    bool col_blob(int i, uint8_t* out, size_t n);

private:
    std::unique_ptr<StoreStmt> s_;
};

} // namespace tk
