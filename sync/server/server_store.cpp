// server_store.cpp - the server's SQLite store (see server_store.h, schema in sync/transport/BUNDLE.md).
#include "server_store.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <ctime>
#include <sodium.h>
#include <sys/stat.h>

#include "dates.h"
#include "device_status.h"
#include "enrolment.h"
#include "keys.h"
#include "hex.h"
#include "store_db.h"

namespace tk {

// 'TKSV': marks the file as ours, so the server never writes into someone else's database.

static int64_t now_s() { return (int64_t)std::time(nullptr); }

std::unique_ptr<ServerStore> ServerStore::open(const std::string& dir, bool create, std::string* error,
                                               const std::string& store) {
    std::unique_ptr<ServerStore> st(new ServerStore());
    st->dir_ = dir;
    struct stat sb;
    if (::stat(dir.c_str(), &sb) != 0) {
        if (!create || ::mkdir(dir.c_str(), 0700) != 0) {
            if (error) *error = dir + ": data directory does not exist";
            return nullptr;
        }
    }
    std::string lock_err;
    if (!lock_dir(dir, false, st->dir_lock_, &lock_err)) {
        if (error) *error = lock_err;
        return nullptr;
    }
    DeviceIdentity id;
    bool created = false;
    if (!load_or_create_device(dir + "/server.key", create, id, &created, error)) return nullptr;
    std::memcpy(st->server_pk_.data(), id.pk, 32);
    std::memcpy(st->server_sk_, id.sk, 64);

    st->db_ = open_store_db(dir, store, create, error);
    if (!st->db_) return nullptr;
    StoreDb& db = *st->db_;
    const std::string path = db.where();
    int app_id = 0, user_version = 0;
    bool foreign = false;
    // The schema is read and made in one transaction (PostgreSQL: under an advisory lock), so
    // that servers starting at once on one database do not both create or migrate it.
    if (!db.begin_schema() || !db.read_marks(&app_id, &user_version, &foreign)) {
        if (error) *error = path + ": cannot read the schema version: " + db.error();
        db.rollback();
        return nullptr;
    }
    bool fresh = app_id == 0 && user_version == 0 && !foreign;
    if (foreign) {
        db.rollback();
        if (error) *error = path + ": is not a Teilhabe server store (foreign database); left untouched";
        return nullptr;
    }
    if (!fresh && user_version > kSchemaVersion) {
        db.rollback();
        if (error) *error = path + ": schema version " + std::to_string(user_version) + " is newer than this server (" +
                            std::to_string(kSchemaVersion) + ")";
        return nullptr;
    }
    if (fresh) {
        const char* schema =
            "CREATE TABLE IF NOT EXISTS devices(pk BLOB PRIMARY KEY, site TEXT NOT NULL DEFAULT '',"
            " enrolled INTEGER NOT NULL, last_seq INTEGER NOT NULL DEFAULT 0, last_hash BLOB,"
            " last_seen INTEGER NOT NULL DEFAULT 0, head_seq INTEGER NOT NULL DEFAULT 0,"
            " revoked INTEGER NOT NULL DEFAULT 0, revoked_reason TEXT NOT NULL DEFAULT '',"
            " last_result TEXT NOT NULL DEFAULT '', last_result_time INTEGER NOT NULL DEFAULT 0,"
            " status TEXT NOT NULL DEFAULT '', status_time INTEGER NOT NULL DEFAULT 0);"
            "CREATE TABLE IF NOT EXISTS targets(site TEXT PRIMARY KEY, expected INTEGER NOT NULL);"
            "CREATE TABLE IF NOT EXISTS status_history(id INTEGER PRIMARY KEY, device BLOB NOT NULL, time INTEGER NOT NULL,"
            " changed TEXT NOT NULL, status TEXT NOT NULL);"
            // (device, seq) is the record's id: the key that makes ingest idempotent, also
            // between processes (an identical resend is acknowledged, other bytes are a conflict).
            "CREATE TABLE IF NOT EXISTS records(device BLOB NOT NULL, seq INTEGER NOT NULL, hash BLOB NOT NULL,"
            " survey_id TEXT NOT NULL, survey_hash TEXT NOT NULL, channel TEXT NOT NULL, site TEXT NOT NULL,"
            " hour INTEGER NOT NULL, wire BLOB NOT NULL, received INTEGER NOT NULL, source TEXT NOT NULL,"
            " PRIMARY KEY(device, seq));"
            "CREATE TABLE IF NOT EXISTS pairing(code_hash BLOB PRIMARY KEY, site TEXT NOT NULL DEFAULT '',"
            " created INTEGER NOT NULL, expires INTEGER NOT NULL, used_by BLOB, used_at INTEGER);"
            "CREATE TABLE IF NOT EXISTS events(id INTEGER PRIMARY KEY, time INTEGER NOT NULL, kind TEXT NOT NULL,"
            " device TEXT NOT NULL, detail TEXT NOT NULL);";
        static_assert(kSchemaVersion == 4, "the fresh schema is the newest");
        std::string all = db.ddl(std::string(schema) + accounts_schema_sql()) + db.marks_sql(kApplicationId, kSchemaVersion);
        if (!db.exec(all) || !db.commit()) {
            if (error) *error = path + ": cannot create the schema: " + db.error();
            db.rollback();
            return nullptr;
        }
    } else {
        // Step by step, each in its own transaction, so that a store of any earlier version ends
        // at the newest and an interrupted migration leaves a valid earlier version.
        struct Step { int to; const char* sql; };
        const Step steps[] = {
            // 1 -> 2: the newest record each device said it has (its signed head), so that a head
            // going backwards is noticed.
            {2, "ALTER TABLE devices ADD COLUMN head_seq INTEGER NOT NULL DEFAULT 0;"},
            // 2 -> 3: fleet operations: revoked devices, each device's latest upload result and
            // status (and the history of what changed in it), the coordinators' targets per site.
            {3, "ALTER TABLE devices ADD COLUMN revoked INTEGER NOT NULL DEFAULT 0;"
                "ALTER TABLE devices ADD COLUMN revoked_reason TEXT NOT NULL DEFAULT '';"
                "ALTER TABLE devices ADD COLUMN last_result TEXT NOT NULL DEFAULT '';"
                "ALTER TABLE devices ADD COLUMN last_result_time INTEGER NOT NULL DEFAULT 0;"
                "ALTER TABLE devices ADD COLUMN status TEXT NOT NULL DEFAULT '';"
                "ALTER TABLE devices ADD COLUMN status_time INTEGER NOT NULL DEFAULT 0;"
                "CREATE TABLE IF NOT EXISTS targets(site TEXT PRIMARY KEY, expected INTEGER NOT NULL);"
                "CREATE TABLE IF NOT EXISTS status_history(id INTEGER PRIMARY KEY, device BLOB NOT NULL, time INTEGER NOT NULL,"
                " changed TEXT NOT NULL, status TEXT NOT NULL);"},
            // 3 -> 4: the dashboard's coordinator accounts, sessions, lock-out and audit log.
            {4, accounts_schema_sql()},
        };
        for (const Step& m : steps) {
            if (user_version >= m.to) continue;
            if ((!db.in_transaction() && !db.begin_schema()) || !db.exec(db.ddl(m.sql) + db.marks_sql(kApplicationId, m.to)) ||
                !db.commit()) {
                if (error) *error = path + ": cannot migrate the schema to version " + std::to_string(m.to) + ": " + db.error();
                db.rollback();
                return nullptr;
            }
            user_version = m.to;
        }
        db.rollback(); // nothing to migrate: the reading transaction ends
    }
    return st;
}

ServerStore::~ServerStore() {
    sodium_memzero(server_sk_, sizeof server_sk_);
}

std::string ServerStore::server_fingerprint() const { return fingerprint(server_pk_.data(), 32); }

void ServerStore::log_event(const std::string& kind, const std::string& device, const std::string& detail) {
    int64_t now = now_s();
    if (now != event_second_) {
        if (events_dropped_ > 0) {
            Query st(db_, "INSERT INTO events(time, kind, device, detail) VALUES(?,?,?,?)");
            st.i64(1, event_second_).text(2, "flood").text(3, "")
                .text(4, std::to_string(events_dropped_) + " further events in one second not recorded");
            st.step();
        }
        event_second_ = now;
        events_this_second_ = events_dropped_ = 0;
    }
    if (events_this_second_ >= max_events_per_second_) {
        events_dropped_++;
        return;
    }
    events_this_second_++;
    Query st(db_, "INSERT INTO events(time, kind, device, detail) VALUES(?,?,?,?)");
    st.i64(1, now).text(2, kind).text(3, device).text(4, detail.substr(0, 2000));
    st.step();
}

std::vector<std::string> ServerStore::events(size_t limit) {
    std::vector<std::string> out;
    Query st(db_, "SELECT time, kind, device, detail FROM (SELECT * FROM events ORDER BY id DESC LIMIT ?) AS e ORDER BY id");
    st.i64(1, (int64_t)limit);
    while (st.step() == kDbRow)
        out.push_back(format_utc(st.col_i64(0)) + " " + st.col_text(1) + " " +
                      (st.col_text(2).empty() ? "-" : st.col_text(2)) + " " + st.col_text(3));
    return out;
}

static int status_for(BundleProblem p) {
    switch (p) {
    case BundleProblem::TooLarge: return 413;
    case BundleProblem::BadSignature: return 422;
    case BundleProblem::ChainBroken: return 409;
    default: return 400;
    }
}

bool ServerStore::check_bundle(const uint8_t* data, size_t len, const BundleLimits& limits, const std::string& source,
                               Bundle& b, IngestResult* fail) {
    BundleProblem problem = BundleProblem::None;
    std::string err;
    // Parsing and signature checks need no lock: many uploads are checked at once.
    if (read_bundle(data, len, limits, b, &problem, &err)) return true;
    IngestResult r;
    r.status = status_for(problem);
    r.code = bundle_problem_name(problem);
    r.reason = err;
    // The claimed device (unverified) helps staff find the kiosk behind a bad upload.
    if (len >= 40 && std::memcmp(data, "TKB1", 4) == 0) r.device = to_hex(data + 8, 8);
    {
        std::lock_guard<std::mutex> lock(mu_);
        log_event("reject-" + r.code, r.device, r.reason + " [" + source + "]");
    }
    if (fail) *fail = r;
    return false;
}

IngestResult ServerStore::ingest(const uint8_t* data, size_t len, const BundleLimits& limits, const std::string& source) {
    Bundle b;
    IngestResult fail;
    if (!check_bundle(data, len, limits, source, b, &fail)) return fail;
    return store_bundle(b, source);
}

IngestResult ServerStore::store_bundle(const Bundle& b, const std::string& source) {
    IngestResult r;
    r.device = device_id_hex(b.device_pk);
    // Hashes need no lock either (read_bundle has them already).
    std::vector<Hash32> hashes = b.hashes;
    if (hashes.size() != b.records.size()) {
        hashes.resize(b.records.size());
        for (size_t i = 0; i < b.records.size(); i++) hashes[i] = record_hash(b.records[i]);
    }

    std::lock_guard<std::mutex> lock(mu_);
    bool known = false; // enrolled: its latest result is kept for the fleet view
    auto reject = [&](int status, const char* code, const std::string& reason) {
        db_->rollback();
        r.status = status;
        r.code = code;
        r.reason = reason;
        r.stored = r.duplicates = 0;
        log_event(std::string("reject-") + code, r.device, reason + " [" + source + "]");
        if (known) note_result(b.device_pk, code);
        return r;
    };
    if (!db_->begin()) return reject(503, "storage", "store is busy or unwritable: " + db_->error());
    uint64_t head = 0, said_head = 0;
    Hash32 head_hash{};
    {
        // The row lock (PostgreSQL) makes the uploads of one device wait for each other, also
        // from other server processes; SQLite's BEGIN IMMEDIATE has the whole file already.
        Query d(db_, std::string("SELECT last_seq, last_hash, head_seq, revoked, revoked_reason FROM devices WHERE pk = ?") +
                         db_->for_update());
        d.blob(1, b.device_pk.data(), 32);
        if (d.step() != kDbRow)
            return reject(403, "unknown-device", "device " + r.device + " (" + fingerprint(b.device_pk.data(), 32) +
                          ") is not enrolled on this server");
        known = true;
        if (d.col_i64(3) != 0)
            return reject(403, "revoked", "device " + r.device + " was revoked on " +
                          format_utc(d.col_i64(3)) + " (" + d.col_text(4) +
                          "); its uploads are no longer taken. Ask the study's coordinator.");
        head = (uint64_t)d.col_i64(0);
        if (head > 0) d.col_blob(1, head_hash.data(), 32);
        said_head = (uint64_t)d.col_i64(2);
    }
    r.server_seq = head;
    const uint64_t old_head = head;
    // Records the device quarantined between the server's head and the first new record are a
    // named gap: the bundle continues after them (read_bundle checked the gaps inside it).
    auto skipped_damaged = [&](uint64_t first, uint64_t last) {
        auto lo = std::lower_bound(b.damaged.begin(), b.damaged.end(), first);
        auto hi = std::upper_bound(b.damaged.begin(), b.damaged.end(), last);
        return last >= first && (uint64_t)(hi - lo) == last - first + 1;
    };
    if (!b.records.empty() && b.records.front().seq > head + 1 && !skipped_damaged(head + 1, b.records.front().seq - 1)) {
        std::string reason = "gap: the server holds device " + r.device + " up to record " + std::to_string(head) +
                             ", the bundle starts at " + std::to_string(b.records.front().seq) + "; records " +
                             std::to_string(head + 1) + ".." + std::to_string(b.records.front().seq - 1) + " are missing";
        // Signed all the same: it says which records the server misses, so that a kiosk whose
        // records the server lost (restored from an older backup) sends them again.
        IngestResult g = reject(409, "gap", reason);
        g.receipt = receipt_for(b, head, head_hash, 0, 0);
        return g;
    }
    Query old(db_, "SELECT hash FROM records WHERE device = ? AND seq = ?");
    Query ins(db_, "INSERT INTO records(device, seq, hash, survey_id, survey_hash, channel, site, hour, wire, received, source)"
                  " VALUES(?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(device, seq) DO NOTHING");
    if (!old || !ins) return reject(503, "storage", "cannot prepare statements: " + db_->error());
    int64_t now = now_s();
    for (size_t i = 0; i < b.records.size(); i++) {
        const Record& rec = b.records[i];
        if (rec.seq <= head) {
            // A replay: acknowledged when it is the very record the server holds.
            old.reset();
            old.blob(1, b.device_pk.data(), 32).i64(2, (int64_t)rec.seq);
            Hash32 have{};
            if (old.step() != kDbRow || !old.col_blob(0, have.data(), 32))
                return reject(500, "storage", "record " + record_id(rec.device_pk, rec.seq) + " is below the chain head but not in the store");
            if (have != hashes[i])
                return reject(409, "conflict", "record " + record_id(rec.device_pk, rec.seq) +
                              " differs from the record the server already holds under that id (altered or forked chain)");
            r.duplicates++;
            continue;
        }
        // rec.seq == head + 1, or the numbers in between are damaged on the device (checked
        // above and by read_bundle): nobody has their hash, so the link is not checked there.
        if (rec.seq == head + 1 && rec.prev_hash != head_hash)
            return reject(409, "chain-broken", "record " + record_id(rec.device_pk, rec.seq) +
                          " does not link to the server's record " + std::to_string(head) + " of this device");
        std::vector<uint8_t> wire = serialize_record(rec);
        ins.reset();
        ins.blob(1, b.device_pk.data(), 32).i64(2, (int64_t)rec.seq).blob(3, hashes[i].data(), 32)
            .text(4, rec.meta.survey_id).text(5, rec.meta.survey_hash).text(6, rec.meta.channel).text(7, rec.meta.site)
            .i64(8, rec.meta.time / 3600).blob(9, wire.data(), wire.size()).i64(10, now).text(11, source);
        if (ins.step() != kDbDone) return reject(503, "storage", "cannot store record: " + db_->error());
        if (ins.changes() == 0) {
            // The key (device, seq) was taken although the chain head is below it: the one
            // answer is the stored record's hash, never a second row.
            old.reset();
            old.blob(1, b.device_pk.data(), 32).i64(2, (int64_t)rec.seq);
            Hash32 have{};
            if (old.step() != kDbRow || !old.col_blob(0, have.data(), 32) || have != hashes[i])
                return reject(409, "conflict", "record " + record_id(rec.device_pk, rec.seq) +
                              " differs from the record the server already holds under that id (altered or forked chain)");
            r.duplicates++;
            head = rec.seq;
            head_hash = hashes[i];
            continue;
        }
        head = rec.seq;
        head_hash = hashes[i];
        r.stored++;
    }
    {
        Query u(db_, "UPDATE devices SET last_seq = ?, last_hash = ?, last_seen = ?, head_seq = ?, last_result = 'ok',"
                    " last_result_time = ?3 WHERE pk = ?5");
        u.i64(1, (int64_t)head).blob(2, head_hash.data(), 32).i64(3, now)
            .i64(4, (int64_t)std::max(said_head, b.head.seq)).blob(5, b.device_pk.data(), 32);
        if (u.step() != kDbDone) return reject(503, "storage", "cannot update the chain head: " + db_->error());
    }
    if (!b.status.empty()) keep_status(b, now, source);
    if (!db_->commit()) return reject(503, "storage", "commit failed: " + db_->error());
    r.server_seq = head;
    r.receipt = receipt_for(b, head, head_hash, r.stored, r.duplicates);
    if (r.duplicates > 0)
        log_event("replay", r.device, std::to_string(r.duplicates) + " records already held, acknowledged again [" + source + "]");
    log_device_news(b, old_head, std::max(said_head, old_head), source);
    return r;
}

std::vector<uint8_t> ServerStore::receipt_for(const Bundle& b, uint64_t head, const Hash32& head_hash, uint32_t stored,
                                              uint32_t duplicates) const {
    Receipt rc;
    rc.device_pk = b.device_pk;
    rc.acked_seq = head;
    rc.acked_hash = head_hash;
    rc.time = (uint64_t)now_s();
    rc.stored = stored;
    rc.duplicates = duplicates;
    rc.bundle_id = b.id;
    return make_receipt(rc, server_sk_);
}

// What a stored bundle says about the device itself: records it quarantined that the server
// does not hold (a named gap, "damaged on the device"), and a signed head lower than one seen
// before (records removed on the device, or an old copy of its vault restored).
void ServerStore::log_device_news(const Bundle& b, uint64_t old_head, uint64_t seen_head, const std::string& source) {
    std::string dev = device_id_hex(b.device_pk), ids;
    size_t n = 0;
    for (uint64_t seq : b.damaged) {
        if (seq <= old_head) continue; // the server holds a good copy
        if (n++ < 20) ids += (ids.empty() ? "" : ", ") + record_id(b.device_pk, seq);
    }
    if (n > 0)
        log_event("damaged-on-device", dev, std::to_string(n) + (n == 1 ? " record" : " records") +
                  " damaged on the device, never received: " + ids + (n > 20 ? ", ..." : "") + " [" + source + "]");
    if (b.head.seq != 0 && b.head.seq < seen_head)
        log_event("head-backwards", dev, "the device signed record " + std::to_string(b.head.seq) + " as its newest (at " +
                  format_utc((int64_t)b.head.time) + "), but the server has seen record " + std::to_string(seen_head) +
                  ": records removed on the device, or an old copy of its vault restored [" + source + "]");
}

std::string ServerStore::new_pairing_code(const std::string& site, int valid_hours, std::string* error) {
    std::string code = make_pairing_code(), norm;
    if (code.empty() || !normalize_pairing_code(code, norm)) {
        if (error) *error = "cannot make a random code";
        return "";
    }
    Hash32 h = pairing_code_hash(norm);
    std::lock_guard<std::mutex> lock(mu_);
    Query st(db_, "INSERT INTO pairing(code_hash, site, created, expires) VALUES(?,?,?,?)");
    int64_t now = now_s();
    st.blob(1, h.data(), 32).text(2, site).i64(3, now).i64(4, now + (int64_t)valid_hours * 3600);
    if (st.step() != kDbDone) {
        if (error) *error = "cannot store the pairing code: " + db_->error();
        return "";
    }
    return code;
}

bool ServerStore::enrol(const std::string& code, const std::array<uint8_t, 32>& device_pk, int* status, std::string* error,
                        std::string* site_out) {
    auto fail = [&](int s, const std::string& msg) {
        db_->rollback();
        if (status) *status = s;
        if (error) *error = msg;
        log_event("reject-enrol", device_id_hex(device_pk), msg);
        return false;
    };
    std::string norm;
    std::lock_guard<std::mutex> lock(mu_);
    if (!normalize_pairing_code(code, norm)) return fail(400, "the pairing code has the wrong form (12 characters, e.g. K7QX-3MPA-9RTC)");
    Hash32 h = pairing_code_hash(norm);
    if (!db_->begin()) return fail(503, "store is busy: " + db_->error());
    std::string site;
    {
        Query st(db_, "SELECT site, expires, used_by FROM pairing WHERE code_hash = ?");
        st.blob(1, h.data(), 32);
        if (st.step() != kDbRow) return fail(403, "unknown pairing code");
        site = st.col_text(0);
        if (!st.null(2)) {
            std::array<uint8_t, 32> used{};
            st.col_blob(2, used.data(), 32);
            if (used != device_pk) return fail(403, "the pairing code was already used by another device");
            db_->commit();
            if (status) *status = 200;
            if (site_out) *site_out = site;
            return true;   // the same device asking again: same answer
        }
        if (st.col_i64(1) < now_s()) return fail(403, "the pairing code has expired; make a new one");
    }
    {
        Query rv(db_, "SELECT revoked FROM devices WHERE pk = ?");
        rv.blob(1, device_pk.data(), 32);
        if (rv.step() == kDbRow && rv.col_i64(0) != 0)
            return fail(403, "this device was revoked; a revoked device cannot enrol again (a new kiosk installation has "
                             "a new device key)");
    }
    int64_t now = now_s();
    Query u(db_, "UPDATE pairing SET used_by = ?, used_at = ? WHERE code_hash = ?");
    u.blob(1, device_pk.data(), 32).i64(2, now).blob(3, h.data(), 32);
    Query d(db_, "INSERT INTO devices(pk, site, enrolled) VALUES(?,?,?) ON CONFLICT(pk) DO UPDATE SET site = excluded.site");
    d.blob(1, device_pk.data(), 32).text(2, site).i64(3, now);
    if (u.step() != kDbDone || d.step() != kDbDone || !db_->commit())
        return fail(503, "cannot register the device: " + db_->error());
    log_event("enrol", device_id_hex(device_pk), "enrolled, fingerprint " + fingerprint(device_pk.data(), 32) +
              (site.empty() ? "" : ", site " + site));
    if (status) *status = 200;
    if (site_out) *site_out = site;
    return true;
}

bool ServerStore::device_known(const std::array<uint8_t, 32>& pk) {
    std::lock_guard<std::mutex> lock(mu_);
    Query st(db_, "SELECT 1 FROM devices WHERE pk = ?");
    st.blob(1, pk.data(), 32);
    return st.step() == kDbRow;
}

std::vector<DeviceInfo> ServerStore::devices() {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<DeviceInfo> out;
    Query st(db_, "SELECT pk, site, enrolled, last_seen, last_seq, head_seq, revoked, revoked_reason, last_result,"
                 " last_result_time, (SELECT count(*) FROM records r WHERE r.device = d.pk), status, status_time"
                 " FROM devices d ORDER BY enrolled, pk");
    while (st.step() == kDbRow) {
        DeviceInfo d;
        st.col_blob(0, d.pk.data(), 32);
        d.site = st.col_text(1);
        d.enrolled = st.col_i64(2);
        d.last_seen = st.col_i64(3);
        d.last_seq = (uint64_t)st.col_i64(4);
        d.head_seq = (uint64_t)st.col_i64(5);
        d.revoked_at = st.col_i64(6);
        d.revoked = d.revoked_at != 0;
        d.revoked_reason = st.col_text(7);
        d.last_result = st.col_text(8);
        d.last_result_time = st.col_i64(9);
        d.records = st.col_i64(10);
        d.status = st.col_text(11);
        d.status_time = st.col_i64(12);
        out.push_back(d);
    }
    return out;
}

// The status a stored bundle carried becomes the device's latest; a change of program, survey,
// research key or alarms also a history row. Inside the bundle's transaction. A status that
// does not parse is logged and costs the bundle nothing.
void ServerStore::keep_status(const Bundle& b, int64_t now, const std::string& source) {
    DeviceStatus st, before;
    std::string err;
    if (!parse_device_status(b.status, st, &err)) {
        log_event("bad-status", device_id_hex(b.device_pk), err + " [" + source + "]");
        return;
    }
    std::string old;
    {
        Query q(db_, "SELECT status FROM devices WHERE pk = ?");
        q.blob(1, b.device_pk.data(), 32);
        if (q.step() == kDbRow) old = q.col_text(0);
    }
    bool had = !old.empty() && parse_device_status(old, before, nullptr);
    std::vector<std::string> changed = had ? status_changes(before, st) : std::vector<std::string>{"first"};
    std::string canonical = device_status_json(st); // only known fields, as this server reads them
    Query u(db_, "UPDATE devices SET status = ?, status_time = ? WHERE pk = ?");
    u.text(1, canonical).i64(2, now).blob(3, b.device_pk.data(), 32);
    u.step();
    if (changed.empty()) return;
    std::string names;
    for (const std::string& c : changed) names += (names.empty() ? "" : ",") + c;
    Query h(db_, "INSERT INTO status_history(device, time, changed, status) VALUES(?,?,?,?)");
    h.blob(1, b.device_pk.data(), 32).i64(2, now).text(3, names).text(4, canonical);
    h.step();
}

std::vector<ServerStore::StatusChange> ServerStore::status_history(const std::string& device_id, size_t limit) {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<StatusChange> out;
    const std::string dev = db_->hex("substr(device, 1, 8)");
    Query st(db_, "SELECT " + dev + ", time, changed, status FROM status_history"
                 " WHERE ?1 = '' OR " + dev + " = lower(?1) ORDER BY id DESC LIMIT ?2");
    st.text(1, device_id).i64(2, (int64_t)limit);
    while (st.step() == kDbRow) out.push_back({st.col_text(0), st.col_i64(1), st.col_text(2), st.col_text(3)});
    return out;
}

// The latest upload result of a known device, outside any transaction (the upload's own was
// rolled back). Kept to the code: the reason is in the event log.
void ServerStore::note_result(const std::array<uint8_t, 32>& pk, const std::string& code) {
    Query u(db_, "UPDATE devices SET last_result = ?, last_result_time = ? WHERE pk = ?");
    u.text(1, code).i64(2, now_s()).blob(3, pk.data(), 32);
    u.step();
}

bool ServerStore::revoke(const std::string& device, const std::string& reason, std::string* error) {
    std::string id;
    for (char c : device) id += (char)std::tolower((unsigned char)c);
    bool hexok = !id.empty() && id.find_first_not_of("0123456789abcdef") == std::string::npos;
    if (!hexok || (id.size() != 16 && id.size() != 64)) {
        if (error) *error = "'" + device + "' is not a device id (16 hex digits, as `status` lists them) or key (64)";
        return false;
    }
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<std::array<uint8_t, 32>> match;
    {
        Query st(db_, "SELECT pk FROM devices WHERE substr(" + db_->hex("pk") + ", 1, " + std::to_string(id.size()) + ") = ?");
        st.text(1, id);
        while (st.step() == kDbRow) {
            std::array<uint8_t, 32> pk{};
            st.col_blob(0, pk.data(), 32);
            match.push_back(pk);
        }
    }
    if (match.size() != 1) {
        if (error) *error = match.empty() ? "no device " + device + " is enrolled here (see `teilhabe-server status`)"
                                          : "the id " + device + " names " + std::to_string(match.size()) +
                                                " devices; give the full key (64 hex digits)";
        return false;
    }
    std::string why = reason.empty() ? "no reason given" : reason.substr(0, 500);
    Query u(db_, "UPDATE devices SET revoked = ?, revoked_reason = ? WHERE pk = ? AND revoked = 0");
    u.i64(1, now_s()).text(2, why).blob(3, match[0].data(), 32);
    if (u.step() != kDbDone) {
        if (error) *error = "cannot store the revocation: " + db_->error();
        return false;
    }
    if (u.changes() == 0) {
        if (error) *error = "device " + device + " was revoked already";
        return false;
    }
    log_event("revoke", device_id_hex(match[0]), "revoked: " + why);
    return true;
}

std::vector<PairingCodeInfo> ServerStore::pairing_codes() {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<PairingCodeInfo> out;
    Query st(db_, "SELECT " + db_->hex("substr(code_hash, 1, 4)") + ", site, created, expires, used_by, coalesce(used_at, 0)"
                 " FROM pairing ORDER BY created, code_hash");
    while (st.step() == kDbRow) {
        PairingCodeInfo c;
        c.id = st.col_text(0);
        c.site = st.col_text(1);
        c.created = st.col_i64(2);
        c.expires = st.col_i64(3);
        if (!st.null(4)) {
            std::array<uint8_t, 32> pk{};
            st.col_blob(4, pk.data(), 32);
            c.used_by = device_id_hex(pk);
        }
        c.used_at = st.col_i64(5);
        out.push_back(c);
    }
    return out;
}

std::vector<CountRow> ServerStore::counts() {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<CountRow> out;
    Query st(db_, "SELECT site, channel, hour / 24, count(*) FROM records GROUP BY 1, 2, 3 ORDER BY 3, 1, 2");
    while (st.step() == kDbRow)
        out.push_back({st.col_text(0), st.col_text(1), st.col_i64(2), st.col_i64(3)});
    return out;
}

bool ServerStore::set_target(const std::string& site, int64_t expected, std::string* error) {
    std::lock_guard<std::mutex> lock(mu_);
    Query st(db_, expected > 0 ? "INSERT INTO targets(site, expected) VALUES(?, ?) ON CONFLICT(site) DO UPDATE SET expected = excluded.expected"
                              : "DELETE FROM targets WHERE site = ?");
    st.text(1, site);
    if (expected > 0) st.i64(2, expected);
    if (st.step() != kDbDone) {
        if (error) *error = "cannot store the target: " + db_->error();
        return false;
    }
    log_event("target", "", expected > 0 ? "site '" + site + "': " + std::to_string(expected) + " responses expected"
                                         : "site '" + site + "': target removed");
    return true;
}

std::vector<std::pair<std::string, int64_t>> ServerStore::targets() {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<std::pair<std::string, int64_t>> out;
    Query st(db_, "SELECT site, expected FROM targets ORDER BY site");
    while (st.step() == kDbRow) out.emplace_back(st.col_text(0), st.col_i64(1));
    return out;
}

std::vector<std::pair<std::string, int64_t>> ServerStore::event_counts() {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<std::pair<std::string, int64_t>> out;
    Query st(db_, "SELECT kind, count(*) FROM events GROUP BY kind ORDER BY kind");
    while (st.step() == kDbRow) out.emplace_back(st.col_text(0), st.col_i64(1));
    return out;
}

std::vector<ServerStore::Event> ServerStore::event_page(size_t limit, size_t offset, const std::string& kind_prefix,
                                                        const std::string& device) {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<Event> out;
    // The prefix is matched with substr, not LIKE: a '%' or '_' in it is no wildcard.
    Query st(db_, "SELECT id, time, kind, device, detail FROM events WHERE substr(kind, 1, length(?1)) = ?1"
                 " AND (?2 = '' OR device = ?2) ORDER BY id DESC LIMIT ?3 OFFSET ?4");
    st.text(1, kind_prefix).text(2, device).i64(3, (int64_t)limit).i64(4, (int64_t)offset);
    while (st.step() == kDbRow)
        out.push_back({st.col_i64(0), st.col_i64(1), st.col_text(2), st.col_text(3),
                       st.col_text(4)});
    return out;
}

int64_t ServerStore::record_count() {
    std::lock_guard<std::mutex> lock(mu_);
    Query st(db_, "SELECT count(*) FROM records");
    return st.step() == kDbRow ? st.col_i64(0) : -1;
}

bool ServerStore::for_each_record(const std::function<bool(const StoredRecord&)>& fn, std::string* error) {
    std::lock_guard<std::mutex> lock(mu_);
    Query st(db_, "SELECT device, seq, wire, received FROM records ORDER BY device, seq");
    if (!st) {
        if (error) *error = "cannot read records: " + db_->error();
        return false;
    }
    int rc;
    while ((rc = st.step()) == kDbRow) {
        StoredRecord r;
        std::array<uint8_t, 32> pk{};
        st.col_blob(0, pk.data(), 32);
        r.record_id = record_id(pk, (uint64_t)st.col_i64(1));
        std::string wire = st.col_bytes(2);
        r.wire.assign(wire.begin(), wire.end());
        r.received = st.col_i64(3);
        if (!fn(r)) break;
    }
    if (rc != kDbRow && rc != kDbDone) {
        if (error) *error = "reading records failed: " + db_->error();
        return false;
    }
    return true;
}

} // namespace tk
