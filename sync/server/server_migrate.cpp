// server_migrate.cpp - moving a store to another backend (see server_store.h):
//
//   copy_into   every row of every table, in one transaction of the destination, then the
//               rows counted on both sides; `teilhabe-server migrate --from sqlite:DIR --to URL`
//
// The rows are copied as they are (sealed records byte for byte, ids kept), so that event and
// audit ids, sessions and lock-outs carry over; identity columns continue after the copied ids.
#include <mutex>

#include "server_store.h"
#include "store_db.h"

namespace tk {

namespace {

struct TableColumns {
    const char* table;
    const char* columns;
};

// Every table of schema 4 and all of its columns.
const TableColumns kTables[] = {
    {"devices", "pk, site, enrolled, last_seq, last_hash, last_seen, head_seq, revoked, revoked_reason, last_result,"
                " last_result_time, status, status_time"},
    {"targets", "site, expected"},
    {"status_history", "id, device, time, changed, status"},
    {"records", "device, seq, hash, survey_id, survey_hash, channel, site, hour, wire, received, source"},
    {"pairing", "code_hash, site, created, expires, used_by, used_at"},
    {"events", "id, time, kind, device, detail"},
    {"accounts", "name, pwhash, created, last_login"},
    {"sessions", "id_hash, account, csrf, created, expires, address"},
    {"login_failures", "subject, failures, last_failure, locked_until"},
    {"audit", "id, time, account, address, action, detail"},
};
static_assert(ServerStore::kSchemaVersion == 4, "copy_into names schema 4's tables");

int64_t count_rows(StoreDb& db, const std::string& table) {
    Query q(&db, "SELECT count(*) FROM " + table);
    return q.step() == kDbRow ? q.col_i64(0) : -1;
}

} // namespace

bool ServerStore::copy_into(ServerStore& to, std::string* report, std::string* error) {
    std::lock_guard<std::mutex> lock(mu_), lock_to(to.mu_);
    StoreDb& src = *db_;
    StoreDb& dst = *to.db_;
    auto fail = [&](const std::string& msg) {
        dst.rollback();
        src.rollback();
        if (error) *error = msg;
        return false;
    };
    // Read in one transaction, so that the copy is of one moment even while kiosks upload.
    if (!src.begin()) return fail(src.where() + ": cannot start reading: " + src.error());
    if (!dst.begin()) return fail(dst.where() + ": cannot start writing: " + dst.error());
    for (const char* t : {"devices", "records", "events", "accounts"})
        if (count_rows(dst, t) != 0)
            return fail(dst.where() + " already holds a store (table " + t + " is not empty); migrate only into a new, "
                        "empty database");
    std::string counts;
    for (const TableColumns& tc : kTables) {
        std::string cols = tc.columns, marks;
        for (char c : cols)
            if (c == ',') marks += "?,";
        marks += "?";
        Query in(&src, std::string("SELECT ") + cols + " FROM " + tc.table);
        Query out(&dst, std::string("INSERT INTO ") + tc.table + "(" + cols + ") VALUES(" + marks + ")");
        int64_t n = 0;
        int rc;
        while ((rc = in.step()) == kDbRow) {
            out.reset();
            for (int i = 0; i < in.columns(); i++) {
                switch (in.col_type(i)) {
                case DbType::Null: break; // unbound is NULL
                case DbType::Int: out.i64(i + 1, in.col_i64(i)); break;
                case DbType::Text: out.text(i + 1, in.col_text(i)); break;
                case DbType::Blob: {
                    std::string b = in.col_bytes(i);
                    out.blob(i + 1, b.data(), b.size());
                    break;
                }
                }
            }
            if (out.step() != kDbDone)
                return fail(dst.where() + ": cannot copy a row of " + tc.table + ": " + dst.error() + "; nothing was copied");
            n++;
        }
        if (rc != kDbDone) return fail(src.where() + ": reading " + tc.table + " failed: " + src.error());
        if (std::string(tc.columns).rfind("id,", 0) == 0 && !dst.ids_copied(tc.table))
            return fail(dst.where() + ": cannot continue the ids of " + tc.table + ": " + dst.error());
        int64_t have = count_rows(dst, tc.table);
        if (have != n)
            return fail(dst.where() + ": " + tc.table + " holds " + std::to_string(have) + " rows after copying " +
                        std::to_string(n) + "; nothing was copied");
        counts += std::string(counts.empty() ? "" : ", ") + tc.table + " " + std::to_string(n);
    }
    if (!dst.commit()) return fail(dst.where() + ": commit failed: " + dst.error() + "; nothing was copied");
    src.rollback();
    if (report) *report = counts;
    return true;
}

} // namespace tk
