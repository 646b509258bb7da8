// server_accounts.cpp - the dashboard's storage in the server store (see server_store.h):
//
//   accounts_schema_sql   schema 4: accounts, sessions, login_failures, audit
//   add_account, remove_account, accounts
//                         coordinator accounts; passwords as Argon2id hashes (crypto_pwhash_str)
//   login                 lock-out per account and per address, then the password, then a session
//   session, end_session  sessions found by the SHA-256 of the cookie's id (the id is kept nowhere)
//   audit, audit_page     who did what, when, from where
//   survey_counts         records per survey version, for the dashboard's counts
//
// The SQL here is kept plain on purpose (no SQLite-only functions, every value bound, upserts
// with ON CONFLICT, times as integers, ids and hashes as hex text) so that both backends of the
// store (store_db.h) run the same statements; `audit.id INTEGER PRIMARY KEY`, SQLite's row id,
// becomes an identity column on PostgreSQL (StoreDb::ddl).
#include <algorithm>
#include <cctype>
#include <cstring>
#include <ctime>
#include <mutex>
#include <sodium.h>

#include "hex.h"
#include "server_store.h"
#include "store_db.h"

namespace tk {

const char* ServerStore::accounts_schema_sql() {
    return "CREATE TABLE IF NOT EXISTS accounts(name TEXT PRIMARY KEY, pwhash TEXT NOT NULL, created INTEGER NOT NULL,"
           " last_login INTEGER NOT NULL DEFAULT 0);"
           "CREATE TABLE IF NOT EXISTS sessions(id_hash TEXT PRIMARY KEY, account TEXT NOT NULL, csrf TEXT NOT NULL,"
           " created INTEGER NOT NULL, expires INTEGER NOT NULL, address TEXT NOT NULL);"
           // subject: "account NAME" or "address ADDR"; failures in a row, forgotten a day after the last.
           "CREATE TABLE IF NOT EXISTS login_failures(subject TEXT PRIMARY KEY, failures INTEGER NOT NULL,"
           " last_failure INTEGER NOT NULL, locked_until INTEGER NOT NULL);"
           "CREATE TABLE IF NOT EXISTS audit(id INTEGER PRIMARY KEY, time INTEGER NOT NULL, account TEXT NOT NULL,"
           " address TEXT NOT NULL, action TEXT NOT NULL, detail TEXT NOT NULL);";
}

namespace {

constexpr int64_t kFailureMemory = 86400; // a day without failures and the count starts again

bool account_name_ok(const std::string& n) {
    if (n.empty() || n.size() > 64) return false;
    for (unsigned char c : n)
        if (!std::isalnum(c) && c != '.' && c != '_' && c != '-' && c != '@') return false;
    return true;
}

std::string random_hex32() {
    uint8_t b[32];
    randombytes_buf(b, sizeof b);
    std::string h = to_hex(b, sizeof b);
    sodium_memzero(b, sizeof b);
    return h;
}

std::string sha256_hex(const std::string& s) {
    uint8_t h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const uint8_t*)s.data(), s.size());
    return to_hex(h, sizeof h);
}

// One password check at a time in the process: Argon2id takes 64 MiB each, and a burst of
// logins must not take the server's memory.
std::mutex g_pwhash_mu;

// The hash an unknown name is checked against, so that a wrong name costs the same time as a
// wrong password and the answer's delay tells nothing about which names exist.
const std::string& dummy_hash() {
    static const std::string h = [] {
        char out[crypto_pwhash_STRBYTES] = {};
        std::string pw = random_hex32();
        if (crypto_pwhash_str(out, pw.c_str(), pw.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
            return std::string();
        return std::string(out);
    }();
    return h;
}

} // namespace

bool ServerStore::add_account(const std::string& name, const std::string& password, std::string* error) {
    if (!account_name_ok(name)) {
        if (error) *error = "'" + name.substr(0, 80) + "' is not an account name (1 to 64 of A-Z a-z 0-9 . _ - @)";
        return false;
    }
    if (password.size() < 10 || password.size() > 1024) {
        if (error) *error = "the password must have 10 to 1024 bytes";
        return false;
    }
    char hash[crypto_pwhash_STRBYTES] = {};
    {
        std::lock_guard<std::mutex> pw(g_pwhash_mu);
        if (crypto_pwhash_str(hash, password.c_str(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
            if (error) *error = "cannot hash the password (out of memory)";
            return false;
        }
    }
    std::lock_guard<std::mutex> lock(mu_);
    {
        Query q(db_, "SELECT 1 FROM accounts WHERE name = ?");
        q.text(1, name);
        if (q.step() == kDbRow) {
            if (error) *error = "account '" + name + "' exists already (remove it first to set a new password)";
            return false;
        }
    }
    Query st(db_, "INSERT INTO accounts(name, pwhash, created) VALUES(?, ?, ?)");
    st.text(1, name).text(2, hash).i64(3, (int64_t)std::time(nullptr));
    if (st.step() != kDbDone) {
        if (error) *error = "cannot store the account: " + db_->error();
        return false;
    }
    return true;
}

bool ServerStore::remove_account(const std::string& name, std::string* error) {
    std::lock_guard<std::mutex> lock(mu_);
    Query st(db_, "DELETE FROM accounts WHERE name = ?");
    st.text(1, name);
    if (st.step() != kDbDone) {
        if (error) *error = "cannot remove the account: " + db_->error();
        return false;
    }
    if (st.changes() == 0) {
        if (error) *error = "no account '" + name.substr(0, 80) + "'";
        return false;
    }
    Query s(db_, "DELETE FROM sessions WHERE account = ?");
    s.text(1, name);
    s.step();
    Query f(db_, "DELETE FROM login_failures WHERE subject = ?");
    f.text(1, "account " + name);
    f.step();
    return true;
}

std::vector<AccountInfo> ServerStore::accounts() {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<AccountInfo> out;
    Query st(db_, "SELECT a.name, a.created, a.last_login, f.failures, f.locked_until, f.last_failure FROM accounts a"
                 " LEFT JOIN login_failures f ON f.subject = 'account ' || a.name ORDER BY a.name");
    int64_t now = (int64_t)std::time(nullptr);
    while (st.step() == kDbRow) {
        AccountInfo a;
        a.name = st.col_text(0);
        a.created = st.col_i64(1);
        a.last_login = st.col_i64(2);
        if (now - st.col_i64(5) <= kFailureMemory) {
            a.failures = (int)st.col_i64(3);
            a.locked_until = st.col_i64(4);
        }
        out.push_back(a);
    }
    return out;
}

LoginResult ServerStore::login(const std::string& name, const std::string& password, const std::string& address, int64_t now,
                               const LoginPolicy& policy) {
    LoginResult r;
    // Checks of one process are serialised, so that parallel guesses cannot all slip in before
    // the first failure is written (other processes: the lock-out is as good as their number).
    std::lock_guard<std::mutex> pw(g_pwhash_mu);
    const std::string acc_subject = "account " + name, addr_subject = "address " + address;
    std::string hash;
    bool known = false;
    int64_t locked = 0;
    {
        std::lock_guard<std::mutex> lock(mu_);
        Query q(db_, "SELECT pwhash FROM accounts WHERE name = ?");
        q.text(1, name);
        if (q.step() == kDbRow) {
            hash = q.col_text(0);
            known = true;
        }
        Query f(db_, "SELECT locked_until FROM login_failures WHERE (subject = ? OR subject = ?) AND last_failure >= ?");
        f.text(1, acc_subject).text(2, addr_subject).i64(3, now - kFailureMemory);
        while (f.step() == kDbRow) locked = std::max<int64_t>(locked, f.col_i64(0));
    }
    if (locked > now) {
        r.retry_after = locked - now;
        r.reason = "locked";
        return r;
    }
    // Unknown names cost the same Argon2id check as wrong passwords.
    const std::string& against = known ? hash : dummy_hash();
    bool good = !against.empty() && password.size() <= 1024 &&
                crypto_pwhash_str_verify(against.c_str(), password.c_str(), password.size()) == 0 && known;
    std::lock_guard<std::mutex> lock(mu_);
    if (!good) {
        r.reason = known ? "wrong password" : "unknown account";
        // Unknown names get no row of their own (they would let anyone fill the table); their
        // address does.
        for (int k = 0; k < 2; k++) {
            if (k == 0 && !known) continue;
            const std::string& subject = k == 0 ? acc_subject : addr_subject;
            int free = k == 0 ? policy.account_free : policy.address_free;
            int64_t failures = 0;
            {
                Query q(db_, "SELECT failures FROM login_failures WHERE subject = ? AND last_failure >= ?");
                q.text(1, subject).i64(2, now - kFailureMemory);
                if (q.step() == kDbRow) failures = q.col_i64(0);
            }
            failures++;
            int64_t wait = 0;
            if (failures >= free) {
                wait = policy.first_s;
                for (int64_t i = free; i < failures && wait < policy.max_s; i++) wait *= 2;
                wait = std::min(wait, policy.max_s);
            }
            Query u(db_, "INSERT INTO login_failures(subject, failures, last_failure, locked_until) VALUES(?, ?, ?, ?)"
                        " ON CONFLICT(subject) DO UPDATE SET failures = excluded.failures,"
                        " last_failure = excluded.last_failure, locked_until = excluded.locked_until");
            u.text(1, subject).i64(2, failures).i64(3, now).i64(4, wait ? now + wait : 0);
            u.step();
            if (wait) r.retry_after = std::max(r.retry_after, wait);
        }
        Query old(db_, "DELETE FROM login_failures WHERE last_failure < ?");
        old.i64(1, now - kFailureMemory);
        old.step();
        return r;
    }
    Query clear(db_, "DELETE FROM login_failures WHERE subject = ? OR subject = ?");
    clear.text(1, acc_subject).text(2, addr_subject);
    clear.step();
    Query gone(db_, "DELETE FROM sessions WHERE expires < ?");
    gone.i64(1, now);
    gone.step();
    r.session = random_hex32();
    r.csrf = random_hex32();
    r.expires = now + policy.session_s;
    Query s(db_, "INSERT INTO sessions(id_hash, account, csrf, created, expires, address) VALUES(?, ?, ?, ?, ?, ?)");
    s.text(1, sha256_hex(r.session)).text(2, name).text(3, r.csrf).i64(4, now).i64(5, r.expires).text(6, address);
    Query u(db_, "UPDATE accounts SET last_login = ? WHERE name = ?");
    u.i64(1, now).text(2, name);
    if (s.step() != kDbDone || u.step() != kDbDone) {
        r = LoginResult{};
        r.reason = "cannot store the session: " + db_->error();
        return r;
    }
    r.ok = true;
    r.reason = "ok";
    return r;
}

bool ServerStore::session(const std::string& id, int64_t now, SessionInfo& out) {
    if (id.size() != 64) return false; // not one of ours: no look-up at all
    std::string h = sha256_hex(id);
    std::lock_guard<std::mutex> lock(mu_);
    Query st(db_, "SELECT s.account, s.csrf, s.created, s.expires, s.address FROM sessions s"
                 " JOIN accounts a ON a.name = s.account WHERE s.id_hash = ?");
    st.text(1, h);
    if (st.step() != kDbRow) return false;
    int64_t expires = st.col_i64(3);
    if (expires <= now) {
        Query d(db_, "DELETE FROM sessions WHERE id_hash = ?");
        d.text(1, h);
        d.step();
        return false;
    }
    out.account = st.col_text(0);
    out.csrf = st.col_text(1);
    out.created = st.col_i64(2);
    out.expires = expires;
    out.address = st.col_text(4);
    return true;
}

void ServerStore::end_session(const std::string& id) {
    std::lock_guard<std::mutex> lock(mu_);
    Query d(db_, "DELETE FROM sessions WHERE id_hash = ?");
    d.text(1, sha256_hex(id));
    d.step();
}

void ServerStore::audit(const std::string& account, const std::string& address, const std::string& action,
                        const std::string& detail) {
    std::lock_guard<std::mutex> lock(mu_);
    Query st(db_, "INSERT INTO audit(time, account, address, action, detail) VALUES(?, ?, ?, ?, ?)");
    st.i64(1, (int64_t)std::time(nullptr)).text(2, account.substr(0, 200)).text(3, address.substr(0, 200))
        .text(4, action.substr(0, 100)).text(5, detail.substr(0, 2000));
    st.step();
}

std::vector<AuditEntry> ServerStore::audit_page(size_t limit, size_t offset) {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<AuditEntry> out;
    Query st(db_, "SELECT id, time, account, address, action, detail FROM audit ORDER BY id DESC LIMIT ? OFFSET ?");
    st.i64(1, (int64_t)limit).i64(2, (int64_t)offset);
    while (st.step() == kDbRow)
        out.push_back({st.col_i64(0), st.col_i64(1), st.col_text(2), st.col_text(3),
                       st.col_text(4), st.col_text(5)});
    return out;
}

std::vector<SurveyCount> ServerStore::survey_counts() {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<SurveyCount> out;
    Query st(db_, "SELECT survey_id, survey_hash, count(*), count(DISTINCT device) FROM records"
                 " GROUP BY survey_id, survey_hash ORDER BY survey_id, survey_hash");
    while (st.step() == kDbRow)
        out.push_back({st.col_text(0), st.col_text(1), st.col_i64(2), st.col_i64(3)});
    return out;
}

} // namespace tk
