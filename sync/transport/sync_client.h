// sync_client.h - the kiosk/coordinator side of the transport: enrol, upload, export to a
// USB stick, apply the server's receipts (protocol in sync/transport/BUNDLE.md).
//
// The one rule: a record is marked synced only when a receipt signed by the pinned server key
// says the server holds this device's chain up to it, and the receipt's hash matches the
// device's own record there. So an interrupted upload (either side killed, network gone) is
// simply uploaded again next time; the server acknowledges what it already has without
// storing it twice.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "device_status.h"
#include "receipt.h"
#include "tls_trust.h"
#include "vault.h"

namespace tk {

struct SyncOptions {
    size_t batch = 500;        // records per upload (the server accepts at most 2000)
    TlsTrust tls;              // https: the CA file or the server key pin to trust (tls_trust.h)
    int timeout_s = 30;        // per request
    int retries = 3;           // per batch, on connection errors, 429 and 503
    const std::atomic<bool>* cancel = nullptr; // when it reads true, sync_once stops before the next batch
    // What the caller knows of the device for the status every bundle carries (program, survey
    // in use); the vault's counts, alarms, research key, free disk and clock are filled in.
    DeviceStatus status;
};

// What the server's JSON refusal said, for callers that act on it (the kiosk's German texts).
struct ServerRefusal {
    std::string code;          // its "error" word: "wrong-research-key", "bad-code", ... ("" = none)
    std::string expected_key;  // wrong-research-key: the research key fingerprint(s) the server accepts
};

struct SyncResult {
    bool ok = false;
    int64_t sent = 0;          // records uploaded in this run
    int64_t stored = 0, duplicates = 0; // as the server counted them
    uint64_t acked_seq = 0;    // the device is marked synced up to here
    int64_t remaining = 0;     // unsynced records left (0 after a full success)
    int http_status = 0;       // of the failing request (0 = no answer / local error)
    NetError net;              // why no answer came (kind none: there was one, or a local error)
    std::string error;         // English, says what to do
    ServerRefusal refusal;     // of the failing request
};

// (done, total) records; called after every acknowledged batch.
using SyncProgress = std::function<void(int64_t done, int64_t total)>;

// Uploads the vault's unsynced records to `url` ("http://127.0.0.1:8443", "https://..."),
// in batches, marking each batch synced when its receipt verifies. Needs DIR/server.pub
// (enrol first). Resumes where the last acknowledged batch ended; when the server reports a
// gap (it holds fewer records than the device thinks), resends from the server's head.
SyncResult sync_once(Vault& vault, const std::string& url, const SyncProgress& progress, const SyncOptions& opt = {});

struct EnrolResult {
    std::string server_fingerprint;
    std::string site;          // the site named at `teilhabe-server enrol --site` ("" = none)
    ServerRefusal refusal;     // when the server refused
    NetError net;              // when no answer came
};

// Sends the pairing code with the device key and the research key fingerprint the vault seals
// to (a server refuses a key of another study), and pins the server key and the site the
// server names in DIR/server.pub; saves opt.tls as the device's TLS settings (save_trust).
// `out` may be null.
bool enrol_device(Vault& vault, const std::string& url, const std::string& code, const SyncOptions& opt,
                  EnrolResult* out, std::string* error);

// Writes all unsynced records as one signed bundle to `path` (must not exist; written
// atomically). Records stay unsynced until a receipt comes back. *count = records written.
// `status`: as SyncOptions::status (may be null).
bool export_bundle(Vault& vault, const std::string& path, int64_t* count, std::string* error,
                   const DeviceStatus* status = nullptr);

// The status a bundle of this vault carries now: `known` (program, survey) completed from the
// vault's state (unsynced, unsaved answers, alarms, research key, last sync), the free disk of its
// folder and the clock.
DeviceStatus current_device_status(const Vault& vault, const DeviceStatus& known);

// What a receipt did to the vault (sync/transport/BUNDLE.md, "USB stick" and "Resending").
enum class ReceiptEffect {
    Refused,      // not a receipt, another server, a different chain: `error` says why
    OtherDevice,  // for another kiosk: one stick serves many, so this is no error
    Advanced,     // records up to `acked` are now marked synced
    NoNews,       // the vault was synced that far already, or the receipt is older than one taken
    Resend,       // newer than any taken, and the server holds less than the vault believed
                  // (restored from an older backup): records after `acked` are unsynced again
};
struct ReceiptOutcome {
    ReceiptEffect effect = ReceiptEffect::Refused;
    uint64_t acked = 0;        // the server holds this device up to here
    uint64_t before = 0;       // the vault's sync point before
    uint64_t time = 0;         // the receipt's time (server clock)
    std::string error;
};

// Checks a receipt (signature, this device, pinned server key, hash of the device's own
// record) and moves the vault's sync point: forward, or back when the receipt is newer than
// every receipt taken before and the server says it holds less.
ReceiptOutcome apply_receipt(Vault& vault, const uint8_t* data, size_t len);
// The same for one receipt that must be for this device (`teilhabe receipt apply FILE`):
// false, with *error, when it is refused or another device's. *acked = its sequence number.
bool apply_receipt(Vault& vault, const uint8_t* data, size_t len, uint64_t* acked, std::string* error);

// Sequence number up to which the vault is marked synced.
uint64_t synced_seq(const Vault& vault);

} // namespace tk
