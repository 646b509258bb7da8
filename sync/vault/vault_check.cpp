// vault_check.cpp - walking, checking and quarantining the vault's records (see vault.h and
// sync/vault/VAULT.md, "Damaged records" and "Signed head").
//   walk_rows          every row as its wire-form Record (prev_hash as the row stored it)
//   fill_prev_hashes   migration 1 -> 2: prev_hash for rows written without it
//   write_head_meta, read_head_meta   the signed head statement in meta
//   Vault::check_records   at every open: which records are damaged or missing (quarantine)
//   Vault::quarantine_alarm, signed_head, damaged_records, read_records, verify
#include "vault.h"
#include "vault_sql.h"

#include <cstring>
#include <sodium.h>

#include "hex.h"

namespace tk {

using namespace vault_sql;

static const size_t kSigBytes = 64;
// At most this many damaged or missing records are listed (a row claiming seq 10^12 must not
// make us list a trillion gaps); beyond it the alarm says there is more.
static const size_t kMaxDamaged = 100000;

namespace {
struct Row {
    Record r;
    bool body_ok = false;   // body long enough to hold a signature
    bool stream_ok = false; // its metadata row exists
    bool prev_ok = false;   // prev_hash column holds 32 bytes
};
} // namespace

// Walks the rows with seq > after_seq in order; fn(Row&) returns false to stop. Returns false
// with *error when the table cannot be read.
template <class Fn>
static bool walk_rows(sqlite3* db, const uint8_t device_pk[32], uint64_t after_seq, Fn fn, std::string* error) {
    Stmt st(db, "SELECT r.seq, r.hour, r.size, r.body, s.survey_id, s.survey_hash, s.channel, s.site, r.prev_hash "
                "FROM records r LEFT JOIN streams s ON s.id = r.stream WHERE r.seq > ? ORDER BY r.seq");
    if (!st) {
        if (error) *error = "cannot read records: " + errmsg(db);
        return false;
    }
    sqlite3_bind_int64(st.s, 1, (int64_t)after_seq);
    int rc;
    while ((rc = st.step()) == SQLITE_ROW) {
        Row w;
        Record& r = w.r;
        std::memcpy(r.device_pk.data(), device_pk, 32);
        r.seq = (uint64_t)sqlite3_column_int64(st.s, 0);
        r.meta.time = sqlite3_column_int64(st.s, 1) * 3600;
        r.size = (uint32_t)sqlite3_column_int64(st.s, 2);
        const uint8_t* body = (const uint8_t*)sqlite3_column_blob(st.s, 3);
        size_t n = (size_t)sqlite3_column_bytes(st.s, 3);
        w.stream_ok = sqlite3_column_type(st.s, 4) != SQLITE_NULL;
        r.meta.survey_id = st.col_text(4);
        r.meta.survey_hash = st.col_text(5);
        r.meta.channel = st.col_text(6);
        r.meta.site = st.col_text(7);
        w.body_ok = body && n >= kSigBytes;
        if (w.body_ok) {
            r.sealed.assign(body, body + n - kSigBytes);
            std::memcpy(r.signature.data(), body + n - kSigBytes, kSigBytes);
        }
        const void* prev = sqlite3_column_blob(st.s, 8);
        w.prev_ok = prev && sqlite3_column_bytes(st.s, 8) == 32;
        if (w.prev_ok) std::memcpy(r.prev_hash.data(), prev, 32);
        if (!fn(w)) return true;
    }
    if (rc != SQLITE_DONE) {
        if (error) *error = "cannot read records: " + errmsg(db);
        return false;
    }
    return true;
}

bool vault_sql::fill_prev_hashes(sqlite3* db) {
    std::string dev_hex;
    uint8_t dpk[32] = {};
    if (!get_meta(db, "device_pk", dev_hex) || !from_hex(dev_hex, dpk, 32)) return true; // no record can exist yet
    // Schema 1 kept no prev_hash: it is the hash of the row before, as the walk rebuilds it.
    // Collected first, written after: a table is not changed under its own SELECT.
    std::vector<std::pair<uint64_t, Hash32>> links;
    Hash32 prev{};
    bool ok = walk_rows(db, dpk, 0, [&](Row& w) {
        w.r.prev_hash = prev;
        links.emplace_back(w.r.seq, prev);
        prev = record_hash(w.r);
        return true;
    }, nullptr);
    if (!ok) return false;
    Stmt up(db, "UPDATE records SET prev_hash = ? WHERE seq = ?");
    if (!up) return false;
    for (auto& [seq, h] : links) {
        sqlite3_reset(up.s);
        sqlite3_bind_blob(up.s, 1, h.data(), 32, SQLITE_STATIC);
        sqlite3_bind_int64(up.s, 2, (int64_t)seq);
        if (up.step() != SQLITE_DONE) return false;
    }
    return true;
}

bool vault_sql::write_head_meta(sqlite3* db, const SignedHead& h) {
    return set_meta(db, "head_seq", std::to_string(h.seq)) == SQLITE_OK &&
           set_meta(db, "head_hash", to_hex(h.hash.data(), 32)) == SQLITE_OK &&
           set_meta(db, "head_time", std::to_string(h.time)) == SQLITE_OK &&
           set_meta(db, "head_sig", to_hex(h.signature.data(), 64)) == SQLITE_OK;
}

bool vault_sql::read_head_meta(sqlite3* db, SignedHead& h) {
    std::string seq, hash, time, sig;
    if (!get_meta(db, "head_seq", seq) || !get_meta(db, "head_hash", hash) || !get_meta(db, "head_time", time) ||
        !get_meta(db, "head_sig", sig))
        return false;
    char* end = nullptr;
    h.seq = std::strtoull(seq.c_str(), &end, 10);
    if (seq.empty() || *end) return false;
    h.time = std::strtoull(time.c_str(), &end, 10);
    if (time.empty() || *end) return false;
    return from_hex(hash, h.hash.data(), 32) && from_hex(sig, h.signature.data(), 64);
}

// Which records are damaged: a row is judged by the row after it, which signed its hash, and
// only when that link fails (or there is none) by its own signature. One pass, one signature
// check per damaged record (and per record next to one); the last row is vouched for by the
// head in meta. Rows missing from the table are listed too. The writer keeps the result in the
// quarantine table (when each was first found); readers only hold it.
bool Vault::check_records(const VaultOpenOptions& opt, std::string* error) {
    std::map<uint64_t, std::string> first_found;
    {
        Stmt q(db_, "SELECT seq, found FROM quarantine");
        while (q && q.step() == SQLITE_ROW) first_found[(uint64_t)sqlite3_column_int64(q.s, 0)] = q.col_text(1);
    }
    std::array<uint8_t, 32> dpk;
    std::memcpy(dpk.data(), device_pk_, 32);
    damaged_.clear();
    damage_truncated_ = false;
    auto add = [&](uint64_t seq, const std::string& why) {
        if (damaged_.size() >= kMaxDamaged) {
            damage_truncated_ = true;
            return;
        }
        auto f = first_found.find(seq);
        damaged_[seq] = DamagedRecord{seq, record_id(dpk, seq), why, f != first_found.end() ? f->second : utc_now()};
    };
    // `held` waits for the row after it to be judged.
    Row held;
    Hash32 held_hash{};
    bool have_held = false;
    uint64_t expect = 1;
    auto judge = [&](const Row* next) {
        if (!held.body_ok || !held.stream_ok || !held.prev_ok) {
            add(held.r.seq, !held.body_ok ? "sealed body too short" : !held.stream_ok ? "its metadata row (stream) is missing"
                                                                                   : "its previous-record hash is missing");
            return;
        }
        bool vouched = next ? next->prev_ok && next->r.seq == held.r.seq + 1 && next->r.prev_hash == held_hash
                            : held.r.seq == durable_seq_ && held_hash == head_hash_;
        std::string why;
        if (!vouched && !verify_record(held.r, nullptr, &why)) add(held.r.seq, why);
    };
    exec(db_, "BEGIN");
    bool ok = walk_rows(db_, device_pk_, 0, [&](Row& w) {
        for (uint64_t s = expect; s < w.r.seq && !damage_truncated_; s++) add(s, "row missing from the table");
        expect = w.r.seq + 1;
        if (have_held) judge(&w);
        held = std::move(w);
        held_hash = record_hash(held.r);
        have_held = true;
        return true;
    }, error);
    if (ok && have_held) judge(nullptr);
    exec(db_, "COMMIT");
    if (!ok) {
        *error = db_path() + ": " + *error;
        return false;
    }
    // The writer keeps the table in step with what was found (best effort: a read-only medium
    // still has the list in memory, and the next start finds the same).
    bool changed = first_found.size() != damaged_.size();
    for (auto& [seq, d] : damaged_) changed = changed || !first_found.count(seq);
    if (opt.create && changed && exec(db_, "BEGIN IMMEDIATE") == SQLITE_OK) {
        bool w = exec(db_, "DELETE FROM quarantine") == SQLITE_OK;
        Stmt ins(db_, "INSERT INTO quarantine(seq, found, reason) VALUES(?,?,?)");
        for (auto& [seq, d] : damaged_) {
            if (!w || !ins) break;
            sqlite3_reset(ins.s);
            sqlite3_bind_int64(ins.s, 1, (int64_t)seq);
            sqlite3_bind_text(ins.s, 2, d.found.data(), (int)d.found.size(), SQLITE_STATIC);
            sqlite3_bind_text(ins.s, 3, d.reason.data(), (int)d.reason.size(), SQLITE_STATIC);
            w = ins.step() == SQLITE_DONE;
        }
        exec(db_, w ? "COMMIT" : "ROLLBACK");
    }
    return true;
}

std::string Vault::quarantine_alarm() const {
    if (damaged_.empty()) return "";
    size_t n = damaged_.size();
    std::string ids;
    size_t listed = 0;
    for (auto& [seq, d] : damaged_) {
        if (listed++ == 5) {
            ids += ", …";
            break;
        }
        ids += (ids.empty() ? "" : ", ") + d.record_id;
    }
    std::string head = n == 1 ? "1 Antwort im Speicher ist beschädigt (" + ids + ": " + damaged_.begin()->second.reason + ")"
                              : std::to_string(n) + (damage_truncated_ ? " oder mehr" : "") +
                                    " Antworten im Speicher sind beschädigt (" + ids + ")";
    return head + (n == 1 ? ". Sie ist in Quarantäne und wird" : ". Sie sind in Quarantäne und werden") +
           " nicht übertragen; der Server erfährt davon. Alle anderen Antworten werden normal übertragen. "
           "Bitte die Betreuung informieren (teilhabe vault verify).";
}

SignedHead Vault::signed_head() const {
    SignedHead h;
    if (!read_head_meta(db_, h) || !verify_head(h, device_pk_)) return SignedHead{};
    return h;
}

std::vector<DamagedRecord> Vault::damaged_records() const {
    std::vector<DamagedRecord> out;
    for (auto& [seq, d] : damaged_) out.push_back(d);
    return out;
}

bool Vault::read_records(uint64_t after_seq, size_t max_count, std::vector<Record>& out, std::string* error,
                         std::vector<uint64_t>* damaged) const {
    out.clear();
    if (damaged) damaged->clear();
    bool full = false;
    exec(db_, "BEGIN");
    bool ok = walk_rows(db_, device_pk_, after_seq, [&](Row& w) {
        if (damaged_.count(w.r.seq)) return true;
        if (out.size() >= max_count) {
            full = true;
            return false;
        }
        out.push_back(std::move(w.r));
        return true;
    }, error);
    exec(db_, "COMMIT");
    if (ok && damaged) {
        // The quarantined records this batch steps over: up to its last record when it stopped
        // early, else all of them to the end.
        uint64_t limit = full ? (out.empty() ? after_seq : out.back().seq) : UINT64_MAX;
        for (auto it = damaged_.upper_bound(after_seq); it != damaged_.end() && it->first <= limit; ++it)
            damaged->push_back(it->first);
    }
    return ok;
}

VerifyReport Vault::verify() const {
    VerifyReport rep;
    exec(db_, "BEGIN");
    {
        Stmt ic(db_, "PRAGMA integrity_check");
        int rc;
        int lines = 0;
        while ((rc = ic.step()) == SQLITE_ROW) {
            std::string line = ic.col_text(0);
            if (line != "ok" && lines++ < 20) rep.problems.push_back("integrity_check: " + line);
        }
        if (rc != SQLITE_DONE) rep.problems.push_back("integrity_check could not run: " + errmsg(db_));
    }
    {
        Stmt a(db_, "PRAGMA application_id");
        if (a.step() != SQLITE_ROW || sqlite3_column_int64(a.s, 0) != kVaultApplicationId)
            rep.problems.push_back("application_id is not a Teilhabe vault's");
        Stmt sv(db_, "SELECT version FROM schema_version");
        if (sv.step() != SQLITE_ROW || sqlite3_column_int(sv.s, 0) != kSchemaVersion)
            rep.problems.push_back("schema version missing or unexpected");
    }
    // Every row on its own (its signature covers the previous-record hash it stored), then its
    // link to the row before it. A damaged row is named once; the rows after it still check.
    uint64_t expect = 1;
    Hash32 prev{};
    bool prev_good = false;
    std::string err;
    std::array<uint8_t, 32> dpk;
    std::memcpy(dpk.data(), device_pk_, 32);
    bool walked = walk_rows(db_, device_pk_, 0, [&](Row& w) {
        const Record& r = w.r;
        std::string where = "record " + record_id(dpk, r.seq) + ": ";
        bool follows = r.seq == expect && prev_good;
        if (r.seq > expect)
            rep.problems.push_back("records " + std::to_string(expect) + ".." + std::to_string(r.seq - 1) +
                                   " are missing from the chain");
        expect = r.seq + 1;
        rep.records_checked++;
        Hash32 h = record_hash(r);
        std::string why;
        if (!w.body_ok || !w.stream_ok || !w.prev_ok) {
            rep.problems.push_back(where + (!w.body_ok ? "sealed body too short" : !w.stream_ok ? "its metadata row (stream) is missing"
                                                                                             : "its previous-record hash is missing"));
            prev_good = false;
        } else if (!verify_record(r, nullptr, &why)) {
            rep.problems.push_back(where + why);
            prev_good = false;
        } else {
            if (follows && r.prev_hash != prev)
                rep.problems.push_back(where + "does not link to the record before it (that record was replaced)");
            prev_good = true;
        }
        prev = h;
        return true;
    }, &err);
    if (!walked) rep.problems.push_back(err);
    std::string hs, hh, pending;
    get_meta(db_, "head_seq", hs);
    get_meta(db_, "head_hash", hh);
    SignedHead head;
    bool have_head = read_head_meta(db_, head);
    bool sig_pending = get_meta(db_, "head_sig_pending", pending);
    exec(db_, "COMMIT");
    if (walked && expect > 1) {
        if (hs != std::to_string(expect - 1))
            rep.problems.push_back("chain head in the metadata is record " + hs + " but the last record is " +
                                   std::to_string(expect - 1) + " (records removed at the end?)");
        else if (hh != to_hex(prev.data(), 32))
            rep.problems.push_back("chain head hash in the metadata does not match the last record");
        if (sig_pending)
            rep.problems.push_back("the chain head is not signed yet (vault migrated from schema 1; the kiosk signs it "
                                   "when it next starts)");
        else if (!have_head || !verify_head(head, device_pk_))
            rep.problems.push_back("the chain head (record " + hs + ") is not what the device signed: records were "
                                   "removed at the end and the head rewritten, or the metadata was edited");
        else if (head.seq != expect - 1 || head.hash != prev)
            rep.problems.push_back("the signed chain head names record " + std::to_string(head.seq) +
                                   ", not the last record " + std::to_string(expect - 1));
    } else if (walked && !hs.empty() && hs != "0") {
        rep.problems.push_back("metadata says " + hs + " records were written, but the table is empty");
    }
    rep.ok = rep.problems.empty();
    return rep;
}

} // namespace tk
