// server_store.h - the research server's store: enrolled devices, their sealed records, the
// chain head per device, pairing codes and an event log of everything rejected.
//
// The server never holds the research secret key: records stay sealed exactly as the kiosk
// wrote them (the wire form is kept byte for byte), next to the plain metadata the server may
// count by. Files in the data directory:
//   server.sqlite (+ -wal, -shm)   the store (schema in sync/transport/BUNDLE.md), WAL, synchronous=FULL
//   server.key                     the server's own Ed25519 identity (signs receipts), 0600
//   surveys/                       signed survey updates handed out to kiosks
// or, opened with a postgresql:// URL, the same tables in that PostgreSQL database (store_db.h
// is the one SQL seam; server.key and surveys/ stay in the data directory).
//
// One ServerStore may be used from many threads (the HTTP worker pool): signature checks run
// in parallel, the chain check and insert are serialised. Several processes may open the same
// directory (`teilhabe-server enrol` while the server runs): SQLite's locks and a busy timeout
// keep that safe. On PostgreSQL several servers serve one database: a device's row lock orders
// its uploads, the key (device, seq) keeps every record once.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "bundle.h"
#include "receipt.h"
#include "sqlite_backup.h"

namespace tk {

class StoreDb;

// The outcome of one upload or import. `status` is the HTTP status the API answers with;
// `code` is a stable machine word, `reason` a sentence for the log and the coordinator.
struct IngestResult {
    int status = 200;
    std::string code = "ok";  // ok, malformed, too-large, bad-signature, chain-broken, unknown-device,
                              // gap, conflict, storage, revoked
    std::string reason;
    std::string device;       // device id hex ("" when the bundle could not be read)
    uint64_t server_seq = 0;  // the device's chain head on the server after this call
    uint32_t stored = 0, duplicates = 0;
    std::vector<uint8_t> receipt; // signed receipt: status 200, and a `gap` (it names the server's head)
};

struct DeviceInfo {
    std::array<uint8_t, 32> pk{};
    std::string site;
    int64_t enrolled = 0, last_seen = 0;
    uint64_t last_seq = 0;        // the server's chain head of this device
    uint64_t head_seq = 0;        // the newest record the device said (signed) it holds
    int64_t records = 0;          // records stored from it
    std::string last_result;      // "ok", or the code of the latest refusal of one of its uploads ("" = none yet)
    int64_t last_result_time = 0;
    bool revoked = false;         // revoke(): its uploads and enrolments are refused
    int64_t revoked_at = 0;
    std::string revoked_reason;
    std::string status;           // the latest status it sent (device_status.h JSON, "" = none yet)
    int64_t status_time = 0;
    // Records the device holds that the server does not (not yet synced, or lost in between).
    uint64_t missing() const { return head_seq > last_seq ? head_seq - last_seq : 0; }
};

// One pairing code as the store knows it: never the code itself, only the start of its hash.
struct PairingCodeInfo {
    std::string id;               // first 8 hex digits of the code's hash: names it in lists
    std::string site;
    int64_t created = 0, expires = 0, used_at = 0;
    std::string used_by;          // device id hex, "" while unused
    const char* state(int64_t now) const { return !used_by.empty() ? "used" : expires < now ? "expired" : "open"; }
};

// Records stored per site, channel and UTC day of their hour (records.hour / 24).
struct CountRow {
    std::string site, channel;
    int64_t day = 0;              // days since 1970-01-01
    int64_t n = 0;
};

// A coordinator account of the dashboard (server_accounts.cpp). The password is kept only as
// its Argon2id hash (libsodium's crypto_pwhash_str).
struct AccountInfo {
    std::string name;
    int64_t created = 0, last_login = 0;
    int failures = 0;             // failed logins in a row (forgotten a day after the last)
    int64_t locked_until = 0;     // logins refused until then (lock-out), 0 = not locked
};

// A dashboard session as the store knows it: found by the hash of the cookie's id, never the id.
struct SessionInfo {
    std::string account;
    std::string csrf;             // the session's form token (64 hex digits)
    int64_t created = 0, expires = 0;
    std::string address;          // where it logged in from
};

// The answer to a login: a new session (its id goes into the cookie and is kept nowhere), or
// why not. retry_after > 0: locked out (account or address) for that many more seconds.
struct LoginResult {
    bool ok = false;
    std::string session, csrf;    // 64 hex digits each
    int64_t expires = 0;
    int64_t retry_after = 0;
    std::string reason;           // for the audit log: "wrong password", "locked", ...
};

// One line of the audit log: who did what, when, from where.
struct AuditEntry {
    int64_t id = 0, time = 0;
    std::string account, address, action, detail;
};

// Records stored per survey version (id and content hash, from the records' plain metadata).
struct SurveyCount {
    std::string survey_id, survey_hash;
    int64_t n = 0, devices = 0;
};

// The lock-out after failed logins: after `free` failures in a row a subject waits `first_s`
// seconds, each further failure doubles the wait, up to `max_s`. An account allows fewer than
// an address (several coordinators may share a town hall's address).
struct LoginPolicy {
    int account_free = 5, address_free = 20;
    int64_t first_s = 30, max_s = 3600;
    int64_t session_s = 8 * 3600;  // a session's life from its login
};

struct StoredRecord {
    std::string record_id;
    std::vector<uint8_t> wire;   // the record's wire form as the kiosk signed it
    int64_t received = 0;        // unix seconds
};

class ServerStore {
public:
    // The file's marks (PRAGMA application_id, user_version); migrations in server_store.cpp.
    static constexpr int kApplicationId = 0x544B5356;
    static constexpr int kSchemaVersion = 4;
    static constexpr StoreFile kFile{"server store", "server.sqlite", kApplicationId, kSchemaVersion};
    // Opens or creates DIR/server.sqlite and DIR/server.key. create=false: both must exist.
    // `store` a postgresql:// URL: the records are in that PostgreSQL database instead (which
    // must exist; the schema is made there), DIR still holds server.key and surveys/ (every
    // process serving the same database signs with the same key).
    static std::unique_ptr<ServerStore> open(const std::string& dir, bool create, std::string* error,
                                             const std::string& store = "");
    ~ServerStore();
    ServerStore(const ServerStore&) = delete;
    ServerStore& operator=(const ServerStore&) = delete;

    // Checks a bundle (bundle.h), links it to the device's chain on the server, stores the new
    // records in one transaction, and signs a receipt. Records the server already holds are
    // acknowledged as duplicates; a record that differs from the stored one with the same id is a
    // conflict. A bundle that does not continue the server's chain (gap) is refused as a whole
    // and the gap is logged. Rejections are logged in the events table. `source` names the
    // channel for the log ("http 127.0.0.1", "import FILE").
    IngestResult ingest(const uint8_t* data, size_t len, const BundleLimits& limits, const std::string& source);
    // The two halves of ingest(), for a caller that acts between them (the HTTP API charges an
    // upload to its device's rate limit only once the bundle's signatures verified).
    // check_bundle: parse and verify, no lock; on failure *fail holds the answer, already logged.
    bool check_bundle(const uint8_t* data, size_t len, const BundleLimits& limits, const std::string& source,
                      Bundle& out, IngestResult* fail);
    // store_bundle: link a checked bundle to the device's chain on the server and store it.
    IngestResult store_bundle(const Bundle& b, const std::string& source);

    // Pairing codes (enrolment.h). new_pairing_code stores the code's hash, never the code.
    std::string new_pairing_code(const std::string& site, int valid_hours, std::string* error);
    // Registers device_pk when `code` is valid, unexpired and unused (or already used by this
    // same device: a repeated enrolment is answered the same way). *status: 200, 403, 500.
    // *site (may be null): the site the code was made for, which the kiosk takes as its default.
    bool enrol(const std::string& code, const std::array<uint8_t, 32>& device_pk, int* status, std::string* error,
               std::string* site = nullptr);

    bool device_known(const std::array<uint8_t, 32>& pk);
    std::vector<DeviceInfo> devices();
    // Revokes the device named by its id (16 hex digits, as in status) or its full key in hex:
    // from now on its uploads are refused (403 revoked, with the reason) and it cannot enrol
    // again. Its stored records stay. Logged as an event. False: no such device, or storage.
    bool revoke(const std::string& device, const std::string& reason, std::string* error);
    std::vector<PairingCodeInfo> pairing_codes();
    std::vector<CountRow> counts();
    // Expected responses per site (coordinators' targets); expected <= 0 removes the target.
    bool set_target(const std::string& site, int64_t expected, std::string* error);
    std::vector<std::pair<std::string, int64_t>> targets();
    // How often each kind of event was logged ("reject-gap" -> 3, ...), over the whole log.
    std::vector<std::pair<std::string, int64_t>> event_counts();
    // What changed in devices' statuses (program, survey, research key, alarms), newest first;
    // device_id "" = all devices.
    struct StatusChange { std::string device; int64_t time = 0; std::string changed, status; };
    std::vector<StatusChange> status_history(const std::string& device_id, size_t limit);
    int64_t record_count();
    // Every stored record in (device, seq) order; fn returns false to stop.
    bool for_each_record(const std::function<bool(const StoredRecord&)>& fn, std::string* error);
    // Event log lines "time kind device detail", newest last, at most `limit`. At most
    // 50 rows (set_event_rate_limit) are written per second (each is a synced commit, and a flood of
    // junk must not turn into a flood of disk syncs); the rest are counted in one summary row.
    std::vector<std::string> events(size_t limit);
    // Events for a page of a list: newest first, `offset` rows skipped, only kinds starting with
    // `kind_prefix` ("" = all) and, when `device` is not empty, only that device's.
    struct Event { int64_t id = 0, time = 0; std::string kind, device, detail; };
    std::vector<Event> event_page(size_t limit, size_t offset, const std::string& kind_prefix, const std::string& device);
    void log_event(const std::string& kind, const std::string& device, const std::string& detail);
    void set_event_rate_limit(int rows_per_second) { max_events_per_second_ = rows_per_second; }

    // --- The dashboard's accounts, sessions, lock-out and audit log (server_accounts.cpp) ---
    // Schema 4's tables (plain SQL, also the 3 -> 4 migration).
    static const char* accounts_schema_sql();
    // Names: 1..64 of A-Z a-z 0-9 . _ - @. Passwords: 10..1024 bytes. False: taken, or bad.
    bool add_account(const std::string& name, const std::string& password, std::string* error);
    bool remove_account(const std::string& name, std::string* error); // its sessions end too
    std::vector<AccountInfo> accounts();
    // Checks the password (never while the account or the address is locked out), records a
    // failure against both or clears them, and on success starts a session. One check at a time
    // in this process: each costs 64 MiB and ~0.1 s of Argon2id.
    LoginResult login(const std::string& name, const std::string& password, const std::string& address, int64_t now,
                      const LoginPolicy& policy = {});
    // The live session whose cookie id is `id` (expired ones are deleted on the way).
    bool session(const std::string& id, int64_t now, SessionInfo& out);
    void end_session(const std::string& id);
    void audit(const std::string& account, const std::string& address, const std::string& action, const std::string& detail);
    // Newest first, `offset` skipped.
    std::vector<AuditEntry> audit_page(size_t limit, size_t offset);
    std::vector<SurveyCount> survey_counts();

    // Copies every row of this store into `to`, which must be new and empty (server_migrate.cpp):
    // all in one transaction of `to`, rows counted on both sides. *report: "devices 3, records
    // 120, ..." of what was copied.
    bool copy_into(ServerStore& to, std::string* report, std::string* error);

    const std::array<uint8_t, 32>& server_pk() const { return server_pk_; }
    std::string server_fingerprint() const;
    const std::string& dir() const { return dir_; }

private:
    ServerStore() = default;
    std::vector<uint8_t> receipt_for(const Bundle& b, uint64_t head, const Hash32& head_hash, uint32_t stored,
                                     uint32_t duplicates) const;
    void log_device_news(const Bundle& b, uint64_t old_head, uint64_t seen_head, const std::string& source);
    void note_result(const std::array<uint8_t, 32>& pk, const std::string& code);
    void keep_status(const Bundle& b, int64_t now, const std::string& source);

    std::string dir_;
    DirLock dir_lock_; // shared while open: restore_store refuses meanwhile
    std::unique_ptr<StoreDb> db_; // store_db.h: SQLite or PostgreSQL
    std::mutex mu_;
    std::array<uint8_t, 32> server_pk_{};
    uint8_t server_sk_[64] = {}; // wiped in the destructor
    int max_events_per_second_ = 50;
    int64_t event_second_ = 0;
    int events_this_second_ = 0, events_dropped_ = 0;
};

} // namespace tk
