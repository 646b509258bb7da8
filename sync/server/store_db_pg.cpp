// store_db_pg.cpp - the store's PostgreSQL backend through libpq (see store_db.h).
//
//   to_dollar      the store's `?` / `?N` placeholders as PostgreSQL's $N
//   PgStmt         binds kept as typed parameters (TEXT, BYTEA, INT8); run as a named
//                  prepared statement of the connection, results in binary form
//   PgDb           the connection; the schema marks live in a schema_version table
//
// One connection per ServerStore (the store serialises its use). Several server processes on
// one database are the point of this backend: a device's uploads are serialised by a row lock
// on its devices row (for_update), records are unique by (device, seq), and a server starting
// while another creates the schema waits on an advisory lock.
#include <cstdlib>
#include <cstring>
#include <libpq-fe.h>
#include <map>
#include <vector>

#include "store_db.h"

namespace tk {

namespace {

// Type oids of pg_type (fixed since PostgreSQL 7): the parameters are sent with their types,
// so that `? = ''` or `length(?)` need no guessing.
constexpr Oid kInt8 = 20, kInt2 = 21, kInt4 = 23, kText = 25, kBytea = 17, kBool = 16, kVarchar = 1043;

// `?N` keeps its number, a bare `?` takes one more than the highest so far (SQLite's rule).
// Quoted text is copied as it is.
std::string to_dollar(const std::string& sql, int* nparams) {
    std::string out;
    int high = 0;
    bool quoted = false;
    for (size_t i = 0; i < sql.size(); i++) {
        char c = sql[i];
        if (c == '\'') quoted = !quoted;
        if (quoted || c != '?') {
            out += c;
            continue;
        }
        size_t j = i + 1;
        while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9') j++;
        int n = j > i + 1 ? std::atoi(sql.substr(i + 1, j - i - 1).c_str()) : high + 1;
        if (n > high) high = n;
        out += "$" + std::to_string(n);
        i = j - 1;
    }
    *nparams = high;
    return out;
}

uint64_t be(const char* p, int n) {
    uint64_t v = 0;
    for (int i = 0; i < n; i++) v = v << 8 | (uint8_t)p[i];
    return v;
}

class PgDb;

class PgStmt : public StoreStmt {
public:
    PgStmt(PgDb& db, const std::string& sql);
    ~PgStmt() override { PQclear(res_); }
    bool ok() const override { return true; } // the server says at step() whether it takes it
    void text(int i, const std::string& v) override { set(i, kText, v); }
    void blob(int i, const void* p, size_t n) override { set(i, kBytea, std::string((const char*)p, n)); }
    void i64(int i, int64_t v) override { set(i, kInt8, std::to_string(v)); }
    int step() override;
    void reset() override { // the binds go too, as SQLite's Stmt::reset clears them
        PQclear(res_);
        res_ = nullptr;
        row_ = -1;
        types_.assign(types_.size(), 0);
        given_.assign(given_.size(), false);
    }
    bool null(int i) override { return !here(i) || PQgetisnull(res_, row_, i); }
    DbType col_type(int i) override {
        if (null(i)) return DbType::Null;
        Oid t = PQftype(res_, i);
        return t == kBytea ? DbType::Blob : t == kInt8 || t == kInt4 || t == kInt2 || t == kBool ? DbType::Int : DbType::Text;
    }
    int64_t col_i64(int i) override {
        if (null(i)) return 0;
        const char* p = PQgetvalue(res_, row_, i);
        int n = PQgetlength(res_, row_, i);
        switch (PQftype(res_, i)) {
        case kInt8: return n == 8 ? (int64_t)be(p, 8) : 0;
        case kInt4: return n == 4 ? (int64_t)(int32_t)be(p, 4) : 0;
        case kInt2: return n == 2 ? (int64_t)(int16_t)be(p, 2) : 0;
        case kBool: return n == 1 && p[0] != 0;
        case kText: case kVarchar: return std::strtoll(std::string(p, (size_t)n).c_str(), nullptr, 10);
        default: return 0;
        }
    }
    std::string col_text(int i) override {
        if (null(i)) return "";
        Oid t = PQftype(res_, i);
        if (t == kInt8 || t == kInt4 || t == kInt2) return std::to_string(col_i64(i));
        return std::string(PQgetvalue(res_, row_, i), (size_t)PQgetlength(res_, row_, i));
    }
    std::string col_bytes(int i) override { return null(i) ? "" : std::string(PQgetvalue(res_, row_, i), (size_t)PQgetlength(res_, row_, i)); }
    int columns() override { return res_ ? PQnfields(res_) : 0; }
    int64_t changes() override { return res_ ? std::atoll(PQcmdTuples(res_)) : 0; }

private:
    bool here(int i) const { return res_ && row_ >= 0 && row_ < PQntuples(res_) && i >= 0 && i < PQnfields(res_); }
    void set(int i, Oid type, std::string v) {
        if (i < 1 || i > (int)vals_.size()) return;
        types_[i - 1] = type;
        vals_[i - 1] = std::move(v);
        given_[i - 1] = true;
    }
    PgDb& db_;
    std::string sql_;
    std::vector<Oid> types_;
    std::vector<std::string> vals_;
    std::vector<bool> given_;
    PGresult* res_ = nullptr;
    int row_ = -1;
};

class PgDb : public StoreDb {
public:
    ~PgDb() override {
        if (conn_) PQfinish(conn_);
    }
    PGconn* conn_ = nullptr;
    std::string where_, error_;
    bool unique_ = false;
    std::map<std::string, std::string> prepared_; // SQL and types -> statement name

    // The result of a command; false with error_ set when it failed.
    bool check(PGresult* r) {
        ExecStatusType s = PQresultStatus(r);
        bool good = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
        if (!good) {
            const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
            unique_ = state && std::strcmp(state, "23505") == 0;
            error_ = r ? PQresultErrorMessage(r) : PQerrorMessage(conn_);
            while (!error_.empty() && (error_.back() == '\n' || error_.back() == ' ')) error_.pop_back();
            if (PQstatus(conn_) == CONNECTION_BAD) error_ += " (the connection to PostgreSQL was lost)";
        }
        return good;
    }
    // A connection that broke (the database restarted) is opened again between transactions;
    // its prepared statements went with it.
    void revive() {
        if (PQstatus(conn_) != CONNECTION_BAD) return;
        PQreset(conn_);
        prepared_.clear();
    }

    bool postgres() const override { return true; }
    std::unique_ptr<StoreStmt> prepare(const std::string& sql) override { return std::make_unique<PgStmt>(*this, sql); }
    bool exec(const std::string& sql) override {
        if (!in_transaction()) revive();
        PGresult* r = PQexec(conn_, sql.c_str());
        bool good = check(r);
        PQclear(r);
        return good;
    }
    // A connection found broken by BEGIN itself (the database restarted since the last
    // statement) is opened again and BEGIN tried once more: nothing had happened in it yet.
    bool begin() override {
        if (exec("BEGIN")) return true;
        if (PQstatus(conn_) != CONNECTION_BAD) return false;
        revive();
        return exec("BEGIN");
    }
    bool commit() override {
        // COMMIT of a transaction in which a statement failed answers "ROLLBACK", not an error.
        if (PQtransactionStatus(conn_) != PQTRANS_INTRANS) {
            if (error_.empty()) error_ = "the transaction failed";
            rollback();
            return false;
        }
        return exec("COMMIT");
    }
    void rollback() override {
        if (in_transaction()) PQclear(PQexec(conn_, "ROLLBACK"));
    }
    bool in_transaction() override {
        PGTransactionStatusType t = PQtransactionStatus(conn_);
        return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
    }
    std::string error() override { return error_; }
    bool unique_violation() override { return unique_; }
    std::string where() const override { return where_; }

    std::string ddl(const std::string& sql) const override {
        std::string s = sql;
        auto swap = [&](const std::string& from, const std::string& to) {
            for (size_t p = 0; (p = s.find(from, p)) != std::string::npos; p += to.size()) s.replace(p, from.size(), to);
        };
        swap("INTEGER PRIMARY KEY", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
        swap("INTEGER", "BIGINT");
        swap("BLOB", "BYTEA");
        return s;
    }
    std::string hex(const std::string& expr) const override { return "encode(" + expr + ", 'hex')"; }
    const char* for_update() const override { return " FOR UPDATE"; }
    bool begin_schema() override {
        // 0x544B5356 ('TKSV'): one lock for everything that touches the store's schema.
        return begin() && exec("SELECT pg_advisory_xact_lock(1414222678)");
    }
    bool read_marks(int* app_id, int* version, bool* foreign) override {
        *app_id = *version = 0;
        *foreign = false;
        PGresult* r = PQexec(conn_, "SELECT to_regclass('schema_version') IS NOT NULL,"
                                    " (SELECT count(*) FROM pg_tables WHERE schemaname = current_schema())");
        bool good = check(r) && PQntuples(r) == 1;
        bool marked = good && std::strcmp(PQgetvalue(r, 0, 0), "t") == 0;
        long long tables = good ? std::atoll(PQgetvalue(r, 0, 1)) : 0;
        PQclear(r);
        if (!good) return false;
        if (!marked) {
            *foreign = tables > 0;
            return true;
        }
        r = PQexec(conn_, "SELECT application_id, version FROM schema_version");
        good = check(r);
        if (good && PQntuples(r) == 1) {
            *app_id = std::atoi(PQgetvalue(r, 0, 0));
            *version = std::atoi(PQgetvalue(r, 0, 1));
        }
        if (good && *app_id != 0x544B5356) *foreign = true;
        PQclear(r);
        return good;
    }
    std::string marks_sql(int app_id, int version) const override {
        return "CREATE TABLE IF NOT EXISTS schema_version(application_id BIGINT NOT NULL, version BIGINT NOT NULL);"
               "DELETE FROM schema_version;INSERT INTO schema_version VALUES(" +
               std::to_string(app_id) + "," + std::to_string(version) + ");";
    }
    bool ids_copied(const std::string& table) override {
        return exec("SELECT setval(pg_get_serial_sequence('" + table + "', 'id'), (SELECT coalesce(max(id), 0) + 1 FROM " +
                    table + "), false)");
    }
};

PgStmt::PgStmt(PgDb& db, const std::string& sql) : db_(db) {
    int n = 0;
    sql_ = to_dollar(sql, &n);
    types_.assign((size_t)n, 0); // unbound: NULL, its type the server's guess
    vals_.assign((size_t)n, std::string());
    given_.assign((size_t)n, false);
}

int PgStmt::step() {
    if (!res_) {
        if (!db_.in_transaction()) db_.revive();
        std::string key = sql_;
        for (Oid t : types_) key += "," + std::to_string(t);
        auto it = db_.prepared_.find(key);
        if (it == db_.prepared_.end()) {
            std::string name = "tk" + std::to_string(db_.prepared_.size());
            PGresult* p = PQprepare(db_.conn_, name.c_str(), sql_.c_str(), (int)types_.size(), types_.data());
            bool good = db_.check(p);
            PQclear(p);
            if (!good) return kDbError;
            it = db_.prepared_.emplace(key, name).first;
        }
        std::vector<const char*> v(vals_.size());
        std::vector<int> len(vals_.size()), fmt(vals_.size());
        for (size_t i = 0; i < vals_.size(); i++) {
            v[i] = given_[i] ? vals_[i].data() : nullptr; // an unbound parameter is NULL
            len[i] = (int)vals_[i].size();
            fmt[i] = types_[i] == kBytea ? 1 : 0;        // bytes as they are; numbers and text as text
        }
        res_ = PQexecPrepared(db_.conn_, it->second.c_str(), (int)v.size(), v.data(), len.data(), fmt.data(), 1);
        if (!db_.check(res_)) {
            PQclear(res_);
            res_ = nullptr;
            // A statement that failed leaves a cached plan behind only when it prepared; a
            // dropped connection takes all of them.
            return kDbError;
        }
        row_ = -1;
    }
    if (PQresultStatus(res_) != PGRES_TUPLES_OK) return kDbDone;
    return ++row_ < PQntuples(res_) ? kDbRow : kDbDone;
}

} // namespace

std::unique_ptr<StoreDb> open_pg_db(const std::string& url, std::string* error) {
    auto db = std::make_unique<PgDb>();
    db->conn_ = PQconnectdb(url.c_str());
    if (!db->conn_ || PQstatus(db->conn_) != CONNECTION_OK) {
        std::string why = db->conn_ ? PQerrorMessage(db->conn_) : "out of memory";
        while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
        // The URL may hold a password: the message names only what the connection says.
        if (error) *error = "cannot connect to PostgreSQL: " + why + " (is the server running and the database created?)";
        return nullptr;
    }
    db->where_ = std::string("PostgreSQL database ") + PQdb(db->conn_) + " on " + PQhost(db->conn_) + ":" + PQport(db->conn_);
    // Quiet notices ("relation already exists, skipping") would go to stderr otherwise.
    PQsetNoticeProcessor(db->conn_, [](void*, const char*) {}, nullptr);
    PGresult* r = PQexec(db->conn_, "SET client_min_messages = warning");
    PQclear(r);
    return db;
}

} // namespace tk
