// vault.cpp - the on-device record store (see vault.h and sync/vault/VAULT.md): opening
// (load and its steps), appending and committing, status, sync marks. Walking, checking and
// quarantining the records is in vault_check.cpp.
#include "files.h"
#include "vault.h"
#include "vault_sql.h"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <sodium.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include "keys.h"
#include "hex.h"

namespace tk {

using namespace vault_sql;

static const int32_t kApplicationId = kVaultApplicationId;
static_assert(Vault::kFile.application_id == kVaultApplicationId, "one application_id");

// Migrations: kMigrations[i] takes the schema from version i to i + 1. Append, never edit.
static const char* const kMigrations[] = {
    // 1: the first schema.
    "CREATE TABLE schema_version(version INTEGER NOT NULL);"
    "INSERT INTO schema_version VALUES(0);"
    // Plain-text facts about the vault itself (device key, pinned research key, chain head).
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
    // The plain-text metadata of records, stored once per distinct combination.
    "CREATE TABLE streams(id INTEGER PRIMARY KEY, survey_id TEXT NOT NULL, survey_hash TEXT NOT NULL,"
    " channel TEXT NOT NULL, site TEXT NOT NULL, UNIQUE(survey_id, survey_hash, channel, site));"
    // One row per record. body = sealed bytes followed by the 64-byte device signature.
    // prev_hash is not stored: it is the hash of record seq-1, recomputed when walking.
    "CREATE TABLE records(seq INTEGER PRIMARY KEY, stream INTEGER NOT NULL REFERENCES streams(id),"
    " hour INTEGER NOT NULL, size INTEGER NOT NULL, body BLOB NOT NULL);",
    // 2: every row keeps the previous-record hash it signed, so that a damaged row costs only
    // itself (without it, every later record is rebuilt from the damaged bytes and fails); and
    // the quarantine of records found damaged. Existing rows get their prev_hash from the walk
    // (fill_prev_hashes), and the head, unsigned so far, is signed at the next start.
    "ALTER TABLE records ADD COLUMN prev_hash BLOB;"
    "CREATE TABLE quarantine(seq INTEGER PRIMARY KEY, found TEXT NOT NULL, reason TEXT NOT NULL);"
    "INSERT INTO meta(key, value) SELECT 'head_sig_pending', '1' WHERE EXISTS (SELECT 1 FROM records);",
};
static const int kMigrationCount = (int)(sizeof kMigrations / sizeof kMigrations[0]);
static_assert(kMigrationCount == Vault::kSchemaVersion, "one migration per schema version");

static bool exists(const std::string& path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0;
}

static void fsync_dir(const std::string& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

// --- open ---

std::unique_ptr<Vault> Vault::open(const std::string& dir, bool allow_demo_key, std::string* error) {
    VaultOpenOptions opt;
    opt.allow_demo_key = allow_demo_key;
    return open(dir, opt, error);
}

std::unique_ptr<Vault> Vault::open(const std::string& dir, const VaultOpenOptions& opt, std::string* error) {
    std::unique_ptr<Vault> v(new Vault());
    std::string err;
    if (!v->load(dir, opt, &err)) {
        if (error) *error = err;
        return nullptr;
    }
    return v;
}

static const size_t kAlarmFileSize = 4096;

static std::string read_alarm_file(const std::string& path) {
    std::string text, err;
    if (!read_file_at_most(path, kKeyFileMax, text, &err)) return "";
    while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\0')) text.pop_back();
    return text;
}

void Vault::write_alarm_file(const std::string& text) {
    if (alarm_fd_ < 0 || text == alarm_written_) return;
    std::string buf = text.substr(0, kAlarmFileSize - 1);
    buf.resize(kAlarmFileSize, ' ');
    buf.back() = '\n';
    // In place over blocks that already exist: works on a full disk.
    if (::pwrite(alarm_fd_, buf.data(), buf.size(), 0) == (ssize_t)buf.size()) {
        ::fdatasync(alarm_fd_);
        alarm_written_ = text;
    }
}

Vault::~Vault() {
    sodium_memzero(device_sk_, sizeof device_sk_);
    if (alarm_fd_ >= 0) ::close(alarm_fd_);
    if (db_) sqlite3_close_v2(db_);
}

// Opening runs these steps in order; each returns false with *error and leaves the files as
// they were (only the migration and the first start write anything).
bool Vault::load(const std::string& dir, const VaultOpenOptions& opt, std::string* error) {
    if (sodium_init() < 0) {
        *error = "libsodium failed to initialise";
        return false;
    }
    dir_ = dir;
    bool fresh = false;
    if (!prepare_directory(opt, error) || !open_database(opt, &fresh, error) || !migrate_schema(opt, fresh, error) ||
        !load_device_identity(opt, error) || !pin_research_key(opt, error))
        return false;
    open_alarm_file(opt);
    return load_chain_head(opt, error) && check_records(opt, error);
}

std::string Vault::db_path() const { return dir_ + "/vault.sqlite"; }

// The data directory exists (or is made, mode 0700, when creating), and so does the database
// unless creating.
bool Vault::prepare_directory(const VaultOpenOptions& opt, std::string* error) {
    const std::string& dir = dir_;
    struct stat st;
    if (::stat(dir.c_str(), &st) != 0) {
        if (!opt.create) {
            *error = dir + ": no such directory";
            return false;
        }
        if (::mkdir(dir.c_str(), 0700) != 0) {
            *error = dir + ": cannot create directory: " + std::strerror(errno);
            return false;
        }
    } else if (!S_ISDIR(st.st_mode)) {
        *error = dir + ": not a directory";
        return false;
    }
    if (!exists(db_path()) && !opt.create) {
        *error = db_path() + ": no vault here (the kiosk creates it at first start)";
        return false;
    }
    return lock_dir(dir, false, dir_lock_, error);
}

// 1. Open the database and make sure it is ours BEFORE changing anything in it
//    (journal mode, schema): a foreign or damaged file is left exactly as it was.
bool Vault::open_database(const VaultOpenOptions& opt, bool* fresh_out, std::string* error) {
    const std::string db_path = this->db_path();
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (opt.create ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(db_path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        *error = db_path + ": cannot open: " + errmsg(db_);
        return false;
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, 5000);
    int64_t app_id = 0, tables = 0;
    {
        Stmt a(db_, "PRAGMA application_id");
        rc = a.step();
        if (rc != SQLITE_ROW) {
            *error = db_path + ": not a readable SQLite database (" + errmsg(db_) +
                     "); the file is damaged or not a vault. It was left untouched.";
            return false;
        }
        app_id = sqlite3_column_int64(a.s, 0);
        Stmt t(db_, "SELECT count(*) FROM sqlite_master");
        if (t.step() != SQLITE_ROW) {
            *error = db_path + ": cannot read the schema (" + errmsg(db_) + "); left untouched.";
            return false;
        }
        tables = sqlite3_column_int64(t.s, 0);
    }
    bool fresh = app_id == 0 && tables == 0;
    *fresh_out = fresh;
    if (!fresh && app_id != kApplicationId) {
        *error = db_path + ": a SQLite database of another program (application_id " +
                 std::to_string(app_id) + "), not a Teilhabe vault. It was left untouched.";
        return false;
    }
    if (fresh && !opt.create) {
        *error = db_path + ": empty file, no vault yet";
        return false;
    }

    // 16 KiB pages: a record (about 1 KB) wastes on average half a record per page, which at
    // the default 4 KiB was a third of the disk; set before WAL, only a fresh file takes it.
    if (fresh && exec(db_, "PRAGMA page_size=16384") != SQLITE_OK) {
        *error = db_path + ": cannot set the page size: " + errmsg(db_);
        return false;
    }
    // Durability: WAL with a full fsync at every commit. Temp data stays in memory so that
    // nothing is ever written outside the data directory's three database files.
    if (exec(db_, "PRAGMA journal_mode=WAL") != SQLITE_OK || exec(db_, "PRAGMA synchronous=FULL") != SQLITE_OK ||
        exec(db_, "PRAGMA temp_store=MEMORY") != SQLITE_OK) {
        *error = db_path + ": cannot set journal mode: " + errmsg(db_);
        return false;
    }
    Stmt jm(db_, "PRAGMA journal_mode");
    if (jm.step() != SQLITE_ROW || jm.col_text(0) != "wal") {
        *error = db_path + ": cannot switch to WAL mode (read-only medium?)";
        return false;
    }
    return true;
}

// 2. Schema version and migrations.
bool Vault::migrate_schema(const VaultOpenOptions& opt, bool fresh, std::string* error) {
    const std::string db_path = this->db_path();
    int version = 0;
    int64_t user_version = 0;
    {
        Stmt uv(db_, "PRAGMA user_version");
        if (uv.step() == SQLITE_ROW) user_version = sqlite3_column_int64(uv.s, 0);
    }
    if (user_version > kSchemaVersion) {
        *error = db_path + ": schema version " + std::to_string(user_version) + " is newer than this program understands (" +
                 std::to_string(kSchemaVersion) + "); update the software. The file was left untouched.";
        return false;
    }
    if (!fresh) {
        Stmt sv(db_, "SELECT version FROM schema_version");
        if (!sv || sv.step() != SQLITE_ROW) {
            *error = db_path + ": vault without a schema version (damaged): " + errmsg(db_);
            return false;
        }
        version = sqlite3_column_int(sv.s, 0);
    }
    if (version > kSchemaVersion) {
        *error = db_path + ": schema version " + std::to_string(version) +
                 " is newer than this program understands (" + std::to_string(kSchemaVersion) +
                 "); update the software. The file was left untouched.";
        return false;
    }
    if (version < kSchemaVersion) {
        if (!opt.create) {
            *error = db_path + ": schema version " + std::to_string(version) + " needs migrating; start the kiosk once";
            return false;
        }
        if (exec(db_, "BEGIN IMMEDIATE") != SQLITE_OK) {
            *error = db_path + ": cannot write: " + errmsg(db_);
            return false;
        }
        bool ok = true;
        if (fresh) ok = exec(db_, "PRAGMA application_id=1414223409") == SQLITE_OK; // kApplicationId
        for (int i = version; ok && i < kSchemaVersion; i++) {
            ok = exec(db_, kMigrations[i]) == SQLITE_OK;
            if (ok && i == 1) ok = fill_prev_hashes(db_); // 1 -> 2: rows written without prev_hash
            std::string up = "UPDATE schema_version SET version = " + std::to_string(i + 1) +
                             "; PRAGMA user_version = " + std::to_string(i + 1);
            ok = ok && exec(db_, up.c_str()) == SQLITE_OK;
        }
        if (fresh && ok) ok = set_meta(db_, "created", utc_now()) == SQLITE_OK;
        if (!ok || exec(db_, "COMMIT") != SQLITE_OK) {
            *error = db_path + ": cannot create or migrate the schema: " + errmsg(db_);
            exec(db_, "ROLLBACK");
            return false;
        }
        if (fresh) fsync_dir(dir_);
    }
    // Vaults of release 0.1.0 carry their version only in the table: marked on the first open.
    if (opt.create && version == kSchemaVersion && user_version != kSchemaVersion) {
        std::string mark = "PRAGMA user_version = " + std::to_string(kSchemaVersion);
        if (exec(db_, mark.c_str()) != SQLITE_OK) {
            *error = db_path + ": cannot write: " + errmsg(db_);
            return false;
        }
    }
    static_assert(kApplicationId == 1414223409, "keep the PRAGMA literal above in step");
    Stmt sv(db_, "SELECT version FROM schema_version");
    schema_version_ = sv.step() == SQLITE_ROW ? sqlite3_column_int(sv.s, 0) : 0;
    return true;
}

// 3. Device identity: pinned in meta at first start; device.key must match it.
bool Vault::load_device_identity(const VaultOpenOptions& opt, std::string* error) {
    const std::string db_path = this->db_path();
    std::string pinned_device;
    bool have_pinned_device = get_meta(db_, "device_pk", pinned_device);
    if (opt.create) {
        const std::string key_path = dir_ + "/device.key";
        if (have_pinned_device && !exists(key_path)) {
            *error = key_path + ": missing, but this vault was written by device " + pinned_device.substr(0, 16) +
                     ". Restore device.key from the backup; a new identity would break the record chain.";
            return false;
        }
        DeviceIdentity dev;
        bool created = false;
        if (!load_or_create_device(key_path, true, dev, &created, error)) return false;
        std::string dev_hex = to_hex(dev.pk, 32);
        if (have_pinned_device && dev_hex != pinned_device) {
            *error = key_path + ": belongs to device " + dev_hex.substr(0, 16) + ", but this vault was written by device " +
                     pinned_device.substr(0, 16) + ". Nothing was changed.";
            return false;
        }
        if (!have_pinned_device && set_meta(db_, "device_pk", dev_hex) != SQLITE_OK) {
            *error = db_path + ": cannot write: " + errmsg(db_);
            return false;
        }
        std::memcpy(device_pk_, dev.pk, 32);
        std::memcpy(device_sk_, dev.sk, 64);
        writable_ = true;
    } else if (!have_pinned_device || !from_hex(pinned_device, device_pk_, 32)) {
        // A vault with no record yet may legitimately lack it only if creation was cut short.
        Stmt c(db_, "SELECT count(*) FROM records");
        if (c.step() == SQLITE_ROW && sqlite3_column_int64(c.s, 0) > 0) {
            *error = db_path + ": device key missing from the vault metadata (damaged)";
            return false;
        }
    }
    return true;
}

// 4. Research public key: research.pub, or the demo key; pinned in meta.
bool Vault::pin_research_key(const VaultOpenOptions& opt, std::string* error) {
    const std::string db_path = this->db_path();
    std::string pinned_box, pinned_demo;
    bool have_pinned_box = get_meta(db_, "research_box_pk", pinned_box);
    get_meta(db_, "research_demo", pinned_demo);
    get_meta(db_, "research_fp", research_fp_);
    demo_key_ = pinned_demo == "1";
    if (!opt.create) return true;
    ResearchPublicKey rk;
    const std::string pub_path = dir_ + "/research.pub", demo_path = dir_ + "/demo-research.key";
    bool demo = false;
    if (exists(pub_path)) {
        if (!load_research_public(pub_path, rk, error)) return false;
    } else if (opt.allow_demo_key) {
        demo = true;
        if (exists(demo_path)) {
            if (!load_research_public(demo_path, rk, error)) return false;
        } else if (!write_research_key_files(demo_path, "", kDemoPassphrase, KdfStrength::Minimum, &rk, error)) {
            return false;
        }
    } else {
        *error = pub_path + ": missing. Copy the research team's research.pub (from `teilhabe keygen`) into " + dir_ +
                 ", or start in demo mode.";
        return false;
    }
    std::string box_hex = to_hex(rk.box_pk, 32);
    std::string fp = research_fingerprint(rk);
    if (have_pinned_box && box_hex != pinned_box) {
        // Re-pinning is allowed away from the demo key (it protects nothing) or when the
        // operator says so; otherwise a swapped research.pub must not go unnoticed.
        if (!demo_key_ && !opt.accept_new_research_key) {
            *error = (demo ? demo_path : pub_path) + ": research key " + fp + " is not the key this vault is pinned to (" +
                     research_fp_ + "). If the research team really changed keys, confirm the new fingerprint and re-pin.";
            return false;
        }
    }
    if (!have_pinned_box || box_hex != pinned_box || demo_key_ != demo) {
        if (exec(db_, "BEGIN IMMEDIATE") != SQLITE_OK || set_meta(db_, "research_box_pk", box_hex) != SQLITE_OK ||
            set_meta(db_, "research_fp", fp) != SQLITE_OK ||
            set_meta(db_, "research_demo", demo ? "1" : "0") != SQLITE_OK || exec(db_, "COMMIT") != SQLITE_OK) {
            *error = db_path + ": cannot write: " + errmsg(db_);
            exec(db_, "ROLLBACK");
            return false;
        }
    }
    std::memcpy(research_box_pk_, rk.box_pk, 32);
    research_fp_ = fp;
    demo_key_ = demo;
    return true;
}

// 5. The alarm file: read what the previous run left, then start clean.
void Vault::open_alarm_file(const VaultOpenOptions& opt) {
    const std::string alarm_path = dir_ + "/vault.alarm";
    previous_alarm_ = read_alarm_file(alarm_path);
    if (!opt.create) return;
    if (!exists(alarm_path)) write_file_atomic(alarm_path, std::string(kAlarmFileSize - 1, ' ') + "\n", 0600, false, nullptr);
    alarm_fd_ = ::open(alarm_path.c_str(), O_WRONLY | O_CLOEXEC);
    alarm_written_ = previous_alarm_;
    write_alarm_file("");
}

// 6. Chain head: the last record in the table is the truth; meta keeps its hash so
//    opening does not have to rehash the whole chain.
bool Vault::load_chain_head(const VaultOpenOptions& opt, std::string* error) {
    const std::string db_path = this->db_path();
    {
        Stmt mx(db_, "SELECT max(seq) FROM records");
        if (mx.step() != SQLITE_ROW) {
            *error = db_path + ": cannot read records: " + errmsg(db_);
            return false;
        }
        durable_seq_ = (uint64_t)sqlite3_column_int64(mx.s, 0);
    }
    head_seq_ = durable_seq_;
    head_hash_ = Hash32{};
    if (durable_seq_ > 0) {
        std::string hs, hh;
        bool head_ok = get_meta(db_, "head_seq", hs) && get_meta(db_, "head_hash", hh) &&
                       hs == std::to_string(durable_seq_) && from_hex(hh, head_hash_.data(), 32);
        // Only the writer refuses; status and verify open anyway so that verify can say what is wrong.
        if (!head_ok && opt.create) {
            *error = db_path + ": chain head in the metadata does not match the records (damaged; run `teilhabe vault verify`)";
            return false;
        }
    }
    // The signed head statement. A vault migrated from schema 1 has none yet: the writer signs
    // the head it finds (once; the flag is set by that migration only).
    std::string pending;
    bool sign_now = get_meta(db_, "head_sig_pending", pending) && opt.create && durable_seq_ > 0;
    SignedHead head;
    if (sign_now) {
        head.seq = durable_seq_;
        head.hash = head_hash_;
        head.time = (uint64_t)time(nullptr);
        sign_head(head, device_pk_, device_sk_);
        if (exec(db_, "BEGIN IMMEDIATE") != SQLITE_OK || !write_head_meta(db_, head) ||
            del_meta(db_, "head_sig_pending") != SQLITE_OK || exec(db_, "COMMIT") != SQLITE_OK) {
            *error = db_path + ": cannot sign the chain head: " + errmsg(db_);
            if (!sqlite3_get_autocommit(db_)) exec(db_, "ROLLBACK");
            return false;
        }
        return true;
    }
    bool signed_ok = read_head_meta(db_, head) && head.seq == durable_seq_ && head.hash == head_hash_ &&
                     verify_head(head, device_pk_);
    if (durable_seq_ > 0 && !signed_ok && opt.create) {
        *error = db_path + ": the signed chain head does not match the records: records were removed at the end or the "
                 "metadata was edited. The kiosk does not write on; run `teilhabe vault verify` and call support.";
        return false;
    }
    return true;
}

// --- appending ---

static std::string alarm_text(int code, size_t pending, const std::string& detail) {
    std::string n = std::to_string(pending) + (pending == 1 ? " Antwort" : " Antworten") + " nur im Arbeitsspeicher";
    std::string what;
    switch (code & 0xFF) {
    case SQLITE_FULL: what = "Speicher voll: " + n + ". Gerät NICHT ausschalten, Speicherplatz schaffen."; break;
    case SQLITE_READONLY: what = "Datenträger schreibgeschützt: " + n + ". Gerät NICHT ausschalten."; break;
    case SQLITE_CORRUPT: case SQLITE_NOTADB: what = "Datenbank beschädigt: " + n + ". Gerät NICHT ausschalten, Betreuung rufen."; break;
    default: what = "Schreibfehler: " + n + ". Gerät NICHT ausschalten, Betreuung rufen."; break;
    }
    return what + " (" + detail + ")";
}

void Vault::raise_alarm(int code, const std::string& message) {
    last_error_code_ = code;
    last_error_ = message;
    write_alarm_file(alarm_text(code, pending_.size(), message) + " [" + utc_now() + "]");
}

// Writes all pending records in one transaction. Records the database already holds
// (a commit whose fsync reported an error may still have landed) are skipped, not duplicated.
bool Vault::commit_pending(std::string* error) {
    if (pending_.empty()) return true;
    auto fail = [&](const char* step) {
        int code = sqlite3_extended_errcode(db_);
        if (code == SQLITE_OK) code = SQLITE_ERROR;
        std::string msg = std::string(step) + ": " + errmsg(db_);
        if (!sqlite3_get_autocommit(db_)) exec(db_, "ROLLBACK");
        raise_alarm(code, msg);
        if (error) *error = alarm_text(code, pending_.size(), msg);
        return false;
    };
    if (exec(db_, "BEGIN IMMEDIATE") != SQLITE_OK) return fail("begin");
    uint64_t db_head = 0;
    {
        Stmt mx(db_, "SELECT max(seq) FROM records");
        if (mx.step() != SQLITE_ROW) return fail("read head");
        db_head = (uint64_t)sqlite3_column_int64(mx.s, 0);
    }
    std::map<std::string, int64_t> streams; // local: a rolled-back transaction must not leave stale ids
    Stmt find(db_, "SELECT id FROM streams WHERE survey_id=? AND survey_hash=? AND channel=? AND site=?");
    Stmt add_stream(db_, "INSERT INTO streams(survey_id, survey_hash, channel, site) VALUES(?,?,?,?)");
    Stmt ins(db_, "INSERT INTO records(seq, stream, hour, size, body, prev_hash) VALUES(?,?,?,?,?,?)");
    if (!find || !add_stream || !ins) return fail("prepare");
    std::vector<uint8_t> body;
    for (const Record& r : pending_) {
        if (r.seq <= db_head) continue;
        std::string key = r.meta.survey_id + '\x1f' + r.meta.survey_hash + '\x1f' + r.meta.channel + '\x1f' + r.meta.site;
        auto it = streams.find(key);
        int64_t sid = 0;
        if (it != streams.end()) {
            sid = it->second;
        } else {
            const std::string* f[] = {&r.meta.survey_id, &r.meta.survey_hash, &r.meta.channel, &r.meta.site};
            sqlite3_reset(find.s);
            for (int i = 0; i < 4; i++) sqlite3_bind_text(find.s, i + 1, f[i]->data(), (int)f[i]->size(), SQLITE_STATIC);
            int rc = find.step();
            if (rc == SQLITE_ROW) {
                sid = sqlite3_column_int64(find.s, 0);
            } else if (rc == SQLITE_DONE) {
                sqlite3_reset(add_stream.s);
                for (int i = 0; i < 4; i++)
                    sqlite3_bind_text(add_stream.s, i + 1, f[i]->data(), (int)f[i]->size(), SQLITE_STATIC);
                if (add_stream.step() != SQLITE_DONE) return fail("insert stream");
                sid = sqlite3_last_insert_rowid(db_);
            } else {
                return fail("find stream");
            }
            streams[key] = sid;
        }
        body.assign(r.sealed.begin(), r.sealed.end());
        body.insert(body.end(), r.signature.begin(), r.signature.end());
        sqlite3_reset(ins.s);
        sqlite3_bind_int64(ins.s, 1, (int64_t)r.seq);
        sqlite3_bind_int64(ins.s, 2, sid);
        sqlite3_bind_int64(ins.s, 3, r.meta.time / 3600);
        sqlite3_bind_int64(ins.s, 4, r.size);
        sqlite3_bind_blob(ins.s, 5, body.data(), (int)body.size(), SQLITE_STATIC);
        sqlite3_bind_blob(ins.s, 6, r.prev_hash.data(), 32, SQLITE_STATIC);
        if (ins.step() != SQLITE_DONE) return fail("insert record");
    }
    // The head statement is signed in the same transaction: rows removed at the end and the
    // head rewritten to match would need the device key to pass `vault verify`.
    SignedHead head;
    head.seq = pending_.back().seq;
    head.hash = head_hash_;
    head.time = (uint64_t)time(nullptr);
    sign_head(head, device_pk_, device_sk_);
    if (!write_head_meta(db_, head)) return fail("update head");
    // The moment of truth: COMMIT returns only after the WAL is fsynced.
    if (exec(db_, "COMMIT") != SQLITE_OK) return fail("commit");
    durable_seq_ = pending_.back().seq;
    pending_.clear();
    last_error_code_ = 0;
    last_error_.clear();
    write_alarm_file("");
    return true;
}

AppendResult Vault::enqueue(const std::string& plain, const RecordMeta& meta) {
    AppendResult res;
    if (!writable_) {
        res.error = "vault opened for reading only";
        return res;
    }
    Record rec;
    if (!seal_record(plain, meta, research_box_pk_, device_sk_, head_seq_ + 1, head_hash_, rec, &res.error))
        return res;
    head_seq_ = rec.seq;
    head_hash_ = record_hash(rec);
    res.record_id = record_id(rec.device_pk, rec.seq);
    pending_.push_back(std::move(rec));
    res.durable = commit_pending(&res.error);
    return res;
}

AppendResult Vault::append_plain(const std::string& canonical_bytes, const RecordMeta& meta) {
    return enqueue(canonical_bytes, meta);
}

AppendResult Vault::append_response(const Response& r) {
    RecordMeta m;
    m.survey_id = r.survey_id;
    m.survey_hash = r.survey_hash;
    m.channel = r.channel;
    m.site = r.site;
    m.time = r.finished ? r.finished : r.started;
    std::string plain = serialize_response(r);
    AppendResult res = enqueue(plain, m);
    sodium_memzero(plain.data(), plain.size()); // the answers leave memory as soon as they are sealed
    return res;
}

std::vector<AppendResult> Vault::append_batch(const std::vector<PlainRecord>& items) {
    std::vector<AppendResult> out(items.size());
    if (!writable_) {
        for (auto& r : out) r.error = "vault opened for reading only";
        return out;
    }
    // Seal everything first; an item with bad metadata is reported and left out of the chain.
    // One seal session (one X25519 agreement) for the whole batch.
    SealSession session;
    if (!begin_seal_session(research_box_pk_, session)) {
        for (auto& r : out) r.error = "sealing failed (bad research public key)";
        return out;
    }
    for (size_t i = 0; i < items.size(); i++) {
        Record rec;
        if (!seal_record(items[i].canonical_bytes, items[i].meta, session, device_sk_, head_seq_ + 1, head_hash_, rec,
                         &out[i].error))
            continue;
        head_seq_ = rec.seq;
        head_hash_ = record_hash(rec);
        out[i].record_id = record_id(rec.device_pk, rec.seq);
        pending_.push_back(std::move(rec));
    }
    if (pending_.empty()) return out;
    std::string err;
    bool ok = commit_pending(&err);
    for (auto& r : out) {
        if (r.record_id.empty()) continue;
        r.durable = ok;
        if (!ok) r.error = err;
    }
    return out;
}

int Vault::retry_pending() {
    size_t n = pending_.size();
    if (n == 0) return 0;
    return commit_pending(nullptr) ? (int)n : 0;
}

// --- reading ---

VaultStatus Vault::status() const {
    VaultStatus s;
    s.pending_in_memory = (int64_t)pending_.size();
    s.demo_key = demo_key_;
    s.research_key_fingerprint = research_fp_;
    s.device_fingerprint = device_fingerprint(device_pk_);
    s.device_id = to_hex(device_pk_, 8);
    s.schema_version = schema_version_;
    s.head_seq = (int64_t)head_seq_;
    if (head_seq_ > 0) s.chain_head = to_hex(head_hash_.data(), 32);
    // One read transaction, so the counts agree with each other.
    exec(db_, "BEGIN");
    {
        Stmt c(db_, "SELECT s.survey_id, s.channel, s.site, count(*) FROM records r JOIN streams s ON s.id = r.stream "
                    "GROUP BY r.stream");
        int rc;
        while ((rc = c.step()) == SQLITE_ROW) {
            int64_t n = sqlite3_column_int64(c.s, 3);
            s.records += n;
            s.by_survey[c.col_text(0)] += n;
            s.by_channel[c.col_text(1)] += n;
            s.by_site[c.col_text(2)] += n;
        }
        if (rc != SQLITE_DONE) s.alarms.push_back("Datenbank nicht lesbar: " + errmsg(db_));
    }
    uint64_t synced_up_to = 0;
    std::string synced, last_sync;
    get_meta(db_, "synced_seq", synced);
    get_meta(db_, "last_sync", last_sync);
    exec(db_, "COMMIT");
    synced_up_to = synced.empty() ? 0 : std::strtoull(synced.c_str(), nullptr, 10);
    s.synced_seq = (int64_t)synced_up_to;
    s.quarantined = (int64_t)damaged_.size();
    // Quarantined records are never sent, so they are not waiting to be.
    int64_t damaged_unsynced = 0;
    for (auto it = damaged_.upper_bound(synced_up_to); it != damaged_.end() && it->first <= durable_seq_; ++it)
        damaged_unsynced++;
    s.unsynced = (int64_t)durable_seq_ - (int64_t)synced_up_to - damaged_unsynced;
    if (s.unsynced < 0) s.unsynced = 0;
    s.last_sync = last_sync;
    std::vector<std::string> more = alarms();
    s.alarms.insert(s.alarms.end(), more.begin(), more.end());
    return s;
}

std::vector<std::string> Vault::alarms() const {
    std::vector<std::string> out;
    if (!pending_.empty()) out.push_back(alarm_text(last_error_code_, pending_.size(), last_error_));
    if (!writable_) {
        // status/verify in another process: the kiosk's current alarm comes from the alarm file.
        std::string kiosk = read_alarm_file(dir_ + "/vault.alarm");
        if (!kiosk.empty()) out.push_back("Kiosk meldet: " + kiosk);
    } else if (!previous_alarm_.empty()) {
        out.push_back("Beim letzten Lauf (diese Antworten sind verloren): " + previous_alarm_);
    }
    std::string q = quarantine_alarm();
    if (!q.empty()) out.push_back(q);
    return out;
}

bool Vault::mark_synced(uint64_t up_to_seq, std::string* error, uint64_t receipt_time) {
    if (up_to_seq > durable_seq_) up_to_seq = durable_seq_;
    if (exec(db_, "BEGIN IMMEDIATE") != SQLITE_OK || set_meta(db_, "synced_seq", std::to_string(up_to_seq)) != SQLITE_OK ||
        set_meta(db_, "last_sync", utc_now()) != SQLITE_OK ||
        (receipt_time > 0 && set_meta(db_, "receipt_time", std::to_string(receipt_time)) != SQLITE_OK) ||
        exec(db_, "COMMIT") != SQLITE_OK) {
        if (error) *error = "cannot record the sync: " + errmsg(db_);
        if (!sqlite3_get_autocommit(db_)) exec(db_, "ROLLBACK");
        return false;
    }
    return true;
}

uint64_t Vault::receipt_time() const {
    std::string t;
    return get_meta(db_, "receipt_time", t) ? std::strtoull(t.c_str(), nullptr, 10) : 0;
}

void Vault::set_max_page_count(int64_t pages) {
    std::string sql = "PRAGMA max_page_count=" + std::to_string(pages > 0 ? pages : 4294967294ll);
    exec(db_, sql.c_str());
}

void Vault::set_simulated_read_only(bool on) { exec(db_, on ? "PRAGMA query_only=1" : "PRAGMA query_only=0"); }

} // namespace tk
