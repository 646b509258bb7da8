// vault.h - the on-device store of sealed records (SQLite, WAL, full fsync).
//
// The kiosk hands every finished or partial response to append_response() and shows "Danke"
// only when the result says `durable`: that is the moment the SQLite commit (with fsync)
// returned. When the commit fails (disk full, read-only medium, I/O error) the sealed record
// stays in memory, an alarm is raised for staff, and retry_pending() writes it later.
// Nothing of the answers is ever written in plain text: records are sealed before they
// reach SQLite (see record.h and sync/vault/VAULT.md).
//
// Files in the data directory:
//   vault.sqlite (+ -wal, -shm)   the records
//   device.key                    the device's Ed25519 identity, mode 0600
//   research.pub                  the research team's public keys (from `teilhabe keygen`)
//   demo-research.key             demo/testing only: a research key pair made on the device
//   vault.alarm                   the kiosk's current alarm, for `teilhabe vault status`
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "record.h"
#include "response.h"
#include "sqlite_backup.h"

struct sqlite3;

namespace tk {

struct VaultStatus {
    int64_t records = 0, unsynced = 0, pending_in_memory = 0; // unsynced: without quarantined records
    int64_t synced_seq = 0;        // the server's receipt covers records 1..synced_seq
    int64_t quarantined = 0;       // records found damaged (damaged_records()); never sent
    std::map<std::string, int64_t> by_survey, by_channel, by_site;   // counts (durable records)
    std::string chain_head;        // hex hash of the last record ("" when empty)
    int64_t head_seq = 0;          // sequence number of the last record (durable or pending)
    std::string last_sync;         // ISO time or ""
    std::vector<std::string> alarms; // human-readable (German, for staff)
    bool demo_key = false;         // research key is the local demo key
    std::string research_key_fingerprint, device_fingerprint;
    std::string device_id;         // hex prefix used in record ids
    int schema_version = 0;
};

struct AppendResult {
    bool durable = false;   // true only after the SQLite commit returned (show "Danke" only then)
    std::string record_id;  // on success, and also for a pending record
    std::string error;      // when not durable: what went wrong (disk full, read-only, ...)
};

struct PlainRecord {       // one item of a batch
    std::string canonical_bytes;
    RecordMeta meta;
};

// A record the vault found damaged (signature or chain check) or missing from its table. It
// is kept as it is (nothing is deleted), never sent, and named to the server as a gap
// "damaged on the device"; the records around it sync as usual (sync/vault/VAULT.md).
struct DamagedRecord {
    uint64_t seq = 0;
    std::string record_id;     // "3f9a1c0d2b7e4a55-000007"
    std::string reason;        // "signature does not match ...", "row missing from the table"
    std::string found;         // ISO time it was first found
};

struct VerifyReport {
    bool ok = false;
    int64_t records_checked = 0;
    std::vector<std::string> problems; // one line each, naming the record and the check
};

struct VaultOpenOptions {
    bool allow_demo_key = false; // create/use DIR/demo-research.key when research.pub is absent
    bool create = true;          // false: the vault must exist; no key file is created (status, verify)
    bool accept_new_research_key = false; // research.pub differs from the pinned key: re-pin
};

class Vault {
public:
    // Opens or creates DIR/vault.sqlite, DIR/device.key (0600), and loads the research public key
    // from DIR/research.pub; if absent and allow_demo_key, creates a demo key pair (demo secret
    // in DIR/demo-research.key, clearly named, for demo/testing only) and reports demo_key=true.
    // Returns null with *error for a foreign or corrupt database, a missing or bad key file;
    // it never overwrites an existing file it cannot read.
    static std::unique_ptr<Vault> open(const std::string& dir, bool allow_demo_key, std::string* error);
    static std::unique_ptr<Vault> open(const std::string& dir, const VaultOpenOptions& opt, std::string* error);
    ~Vault();
    Vault(const Vault&) = delete;
    Vault& operator=(const Vault&) = delete;

    // Seals the canonical bytes of the response and commits. When the commit fails the sealed
    // record stays in memory (pending) and an alarm is raised; retry_pending() writes it later.
    // Meta: survey id/hash, channel, site from the response, time = finished (or started).
    AppendResult append_response(const Response& r);
    AppendResult append_plain(const std::string& canonical_bytes, const RecordMeta& meta); // paper, tally…
    // Bulk (imports): all items in one transaction. Durable all together or pending all together.
    std::vector<AppendResult> append_batch(const std::vector<PlainRecord>& items);
    int retry_pending();          // returns how many pending records are now durable
    VaultStatus status() const;
    VerifyReport verify() const;  // integrity_check, schema, sequence, chain, signatures, signed head
    // For the staff menu: the alarms of status() without its counts (cheap to call per frame),
    // and the quarantined records themselves.
    std::vector<std::string> alarms() const;
    std::vector<DamagedRecord> damaged_records() const;

    // --- sync support (the transport marks what the server acknowledged) ---
    // Wire-form records with seq > after_seq, in order, at most max_count; quarantined records
    // are left out, and their sequence numbers up to the last record returned (or to the end)
    // go to *damaged when given.
    bool read_records(uint64_t after_seq, size_t max_count, std::vector<Record>& out, std::string* error,
                      std::vector<uint64_t>* damaged = nullptr) const;
    // The signed statement of the durable chain head, read from the file now (another handle,
    // such as the kiosk's sync worker beside its UI, may have committed since this one opened),
    // so it is never older than records read before. seq 0 when empty or not validly signed.
    SignedHead signed_head() const;
    // Sets the sync point: records 1..up_to_seq are on the server. It may go down: a newer
    // receipt saying the server holds less (restored from an older backup) makes the records
    // after it unsynced again, and they are sent again (nothing is deleted after a receipt).
    // `receipt_time` (the server's clock, unix seconds; 0 = leave it) is kept as the newest
    // receipt's time, so that an older receipt found later never moves the point back.
    bool mark_synced(uint64_t up_to_seq, std::string* error, uint64_t receipt_time = 0);
    uint64_t receipt_time() const; // of the newest receipt taken; 0 = none recorded

    // --- failure simulation for tests and drills ---
    // SQLite's page limit (PRAGMA max_page_count): a small value behaves like a full disk.
    // 0 = back to unlimited.
    void set_max_page_count(int64_t pages);
    // PRAGMA query_only: every write fails as on a read-only medium.
    void set_simulated_read_only(bool on);

    const std::string& dir() const { return dir_; }
    // The schema's version is kept in the schema_version table and, since the release after
    // 0.1.0, also as PRAGMA user_version (what restore_store checks in a backup).
    // Fingerprint of the research key the vault seals to (as pinned; also when opened without
    // `create`). Bundles and enrolment carry it, so the server refuses another study's key.
    const std::string& research_key_fingerprint() const { return research_fp_; }
    static constexpr int kSchemaVersion = 2;
    static constexpr StoreFile kFile{"vault", "vault.sqlite", 0x544B5631, kSchemaVersion};

private:
    Vault() = default;
    bool load(const std::string& dir, const VaultOpenOptions& opt, std::string* error);
    // The steps of load(), in order (vault.cpp says what each checks).
    bool prepare_directory(const VaultOpenOptions& opt, std::string* error);
    bool open_database(const VaultOpenOptions& opt, bool* fresh, std::string* error);
    bool migrate_schema(const VaultOpenOptions& opt, bool fresh, std::string* error);
    bool load_device_identity(const VaultOpenOptions& opt, std::string* error);
    bool pin_research_key(const VaultOpenOptions& opt, std::string* error);
    void open_alarm_file(const VaultOpenOptions& opt);
    bool load_chain_head(const VaultOpenOptions& opt, std::string* error);
    bool check_records(const VaultOpenOptions& opt, std::string* error); // vault_check.cpp
    std::string quarantine_alarm() const;                                 // "" when none
    std::string db_path() const;
    bool commit_pending(std::string* error);
    AppendResult enqueue(const std::string& plain, const RecordMeta& meta);
    void raise_alarm(int sqlite_code, const std::string& message);

    std::string dir_;
    DirLock dir_lock_; // shared while open: restore_store refuses meanwhile
    sqlite3* db_ = nullptr;
    bool writable_ = false;
    bool demo_key_ = false;
    int schema_version_ = 0;       // as read from (or migrated in) the file
    uint8_t research_box_pk_[32] = {};
    uint8_t device_pk_[32] = {};
    uint8_t device_sk_[64] = {}; // wiped in the destructor
    std::string research_fp_;
    // Chain head including pending records.
    uint64_t head_seq_ = 0;
    Hash32 head_hash_{};
    uint64_t durable_seq_ = 0;
    std::map<uint64_t, DamagedRecord> damaged_; // quarantine: the table's rows and what check_records found
    bool damage_truncated_ = false; // more damage than damaged_ holds (kMaxDamaged)
    std::vector<Record> pending_;  // sealed, signed, not yet committed (in chain order)
    int last_error_code_ = 0;      // SQLite primary result code of the last failed commit, 0 = fine
    std::string last_error_;
    // DIR/vault.alarm: a preallocated 4 KiB file the current alarm is written into in place,
    // so that it can be written on a full disk and `vault status` (another process) sees it.
    int alarm_fd_ = -1;
    std::string alarm_written_;    // what the file holds now
    std::string previous_alarm_;   // alarm left by the previous run (its pending records are lost)
    void write_alarm_file(const std::string& text);
};

} // namespace tk
