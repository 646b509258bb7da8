// sync_desk.h - the coordinator's transport desk in the staff menu, as plain data: network
// sync, enrolment, USB stick export and receipts, signed survey updates.
//
// Every job runs on one background thread so the kiosk keeps drawing (a sync of thousands of
// records takes seconds, a dead server up to the client's time-outs). The worker never
// touches the kiosk's own Vault: a tk::Vault is one SQLite connection and not for two threads.
// It opens its own handle on the data directory without `create` (like `teilhabe sync`), so
// it neither makes keys nor resets the kiosk's alarm file; SQLite (WAL, busy time-out) keeps
// the two connections apart. One job at a time; the UI thread collects the outcome with
// sync_desk_poll(). No function here touches ImGui (sync_desk_screen.cpp draws).
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "survey_update.h"
#include "sync_client.h"
#include "texts.h"

namespace tk {

// SurveyUpdate fetches from the server, StickUpdate reads the stick's teilhabe-surveys/,
// Provision sets up and enrols from a teilhabe-provision.json.
enum class SyncJobKind { None, Sync, Enrol, Export, Receipts, SurveyUpdate, StickUpdate, Provision };

// One receipt file for this device found on the stick and what applying it did.
struct ReceiptApplied {
    std::string path;
    bool ok = false;
    ReceiptEffect effect = ReceiptEffect::Refused;
    uint64_t acked = 0;        // the server holds this device up to this record
    int64_t resend = 0;        // Resend: records the vault now sends again
    std::string error;
};

// What a finished job did. Plain data; sync_desk_screen.cpp turns it into words.
struct SyncOutcome {
    SyncJobKind kind = SyncJobKind::None;
    bool ok = false;
    std::string error;                     // why it failed (file, server reason, ...), English
    NetError net;                          // Sync, Enrol, SurveyUpdate: why no answer came
    TlsTrust tls;                          // ... and the TLS settings the job used
    SyncResult sync;                       // Sync
    std::string server_fingerprint;        // Enrol, Provision
    std::string site;                      // Enrol, Provision: the site the server named ("" = none)
    std::string research_key;              // Sync, Enrol, Provision: the research key this kiosk seals to
    ServerRefusal refusal;                 // Sync, Enrol, Provision: the server's words when it refused
    bool already_enrolled = false;         // Provision: nothing was sent
    std::string path;                      // Export: the bundle written; Provision: the file read
    int64_t count = 0;                     // Export: records in it
    std::vector<ReceiptApplied> receipts;  // Receipts: those for this device
    int64_t other_device_receipts = 0;     // Receipts: skipped quietly (one stick, many kiosks)
    SurveyUpdateResult update;             // SurveyUpdate, StickUpdate
    int64_t unsynced_after = -1;           // the vault's unsynced count when the job ended
};

// Shared between the UI thread and the worker. Progress is atomic; the outcome is handed
// over under the mutex when the worker ends.
struct SyncJob {
    std::atomic<bool> running{false};
    std::atomic<int64_t> done{0}, total{0};
    std::atomic<int> ticks{0};             // +1 on every progress step and at the end
    std::atomic<bool> cancel{false};       // set by the UI thread: a sync stops before its next batch
    std::mutex mu;
    SyncOutcome outcome;
    std::function<void()> wake;            // called from the worker after each tick
};

struct SyncDesk {
    std::string data_dir;
    std::string server_url;                // prefilled from DIR/server.pub; staff may change it
    std::string pairing_code;              // typed; wiped after enrolling and on leaving
    std::string pin;                       // typed server key pin for enrolment ("" = saved settings)
    std::string enrolled_fingerprint;      // pinned server ("" = not enrolled)
    std::string enrolled_url;
    SyncOptions options;                   // batch size, time-outs (TLS: read per job, see below)

    std::vector<std::string> volumes;      // writable USB sticks (see list_usb_volumes)
    int volume = -1;                       // index into volumes
    std::vector<std::string> receipt_files; // *.receipt on the chosen volume
    std::vector<std::string> stick_updates; // signed survey updates in its teilhabe-surveys/

    SyncJobKind kind = SyncJobKind::None;  // of the running or last job
    SyncOutcome last;                      // of the last finished job
    bool has_last = false;
    int collected = 0;                     // jobs finished and collected so far
    int handled = 0;                       // of those, acted on by the screen (survey switch)
    std::string refused;                   // a job not started: UI text key of why ("" = none)
    int seen_ticks = 0;
    bool scroll_top = false;               // the screen starts at the top (set on opening)

    // The worker and what it shares. The function is set by main.cpp to glfwPostEmptyEvent
    // so that the sleeping event loop wakes for every progress step.
    std::shared_ptr<SyncJob> job;
    std::thread worker;
    std::function<void()> wake;

    SyncDesk() = default;
    SyncDesk(const SyncDesk&) = delete;
    SyncDesk& operator=(const SyncDesk&) = delete;
    ~SyncDesk();                      // waits for a running job (it owns no UI state)
};

// Opens the desk: reads the pinned server (url, fingerprint) and lists the USB volumes.
// A running job is left alone. The TLS settings (DIR/server-ca.pem, DIR/server-pin, as
// `teilhabe enrol` saves them) are read by each job when it starts, so a CA file put there
// while the desk is open counts at the next attempt.
void sync_desk_begin(SyncDesk& st, const std::string& data_dir);
// Staff leave the staff menu: the typed pairing code and pin are wiped; a running job goes on.
void sync_desk_leave(SyncDesk& st);
// Re-reads DIR/server.pub into enrolled_url / enrolled_fingerprint.
void sync_desk_read_pin(SyncDesk& st);

bool sync_desk_busy(const SyncDesk& st);
// UI thread, every frame or loop turn: collects a finished job (joins the worker, moves the
// outcome into st.last). Returns true when something changed that should be drawn.
bool sync_desk_poll(SyncDesk& st);
// Progress of the running (or last) job, (done, total).
int64_t sync_desk_done(const SyncDesk& st);
int64_t sync_desk_total(const SyncDesk& st);

// Start a job. Each returns false (reason in st.refused) when another job runs or an input is
// missing. The work happens on the worker thread.
bool sync_desk_start_sync(SyncDesk& st);            // to st.server_url
bool sync_desk_start_enrol(SyncDesk& st);           // st.server_url + st.pairing_code (+ st.pin)
bool sync_desk_start_export(SyncDesk& st, int64_t now_unix); // bundle onto the chosen volume
// Applies every receipt on the volume: receipts of other devices are counted, not refused; a
// newer one that says the server holds less than the vault believed makes the records after
// it unsynced again (they go with the next export).
bool sync_desk_start_receipts(SyncDesk& st);
bool sync_desk_start_survey_update(SyncDesk& st);   // from the server into DIR/surveys
bool sync_desk_start_stick_update(SyncDesk& st);    // from the volume's teilhabe-surveys/, same check
// Sets up and enrols this kiosk from a provisioning file (provision.h): the chosen USB stick's
// teilhabe-provision.json, or `file` for the one in /etc/teilhabe-kiosk/.
bool sync_desk_start_provision(SyncDesk& st);
bool sync_desk_start_provision_file(SyncDesk& st, const std::string& file);
// At start: provisions from `file` when it exists and the kiosk is not enrolled yet (opens the
// desk's state for `data_dir`; the result waits on the transport desk). True when started.
bool sync_desk_provision_at_start(SyncDesk& st, const std::string& data_dir, const std::string& file);
// Waits for the running job to end and collects it (tests, shutdown).
void sync_desk_wait(SyncDesk& st);
// Asks a running sync to stop before its next batch (quitting). Acknowledged batches stay
// synced; the rest is sent next time. Other jobs are short and just finish.
void sync_desk_cancel(SyncDesk& st);

// The UI text key ("staff_net_...") for why no answer came; its text takes {url}, {detail},
// {pin} and {ca}. nullptr for NetFailure::none.
const char* net_failure_text_key(NetFailure kind);
// Why a job failed, for the screen: when no answer came, the text of net_failure_text_key in
// `lang` (what happened and what to do); else the job's own error.
std::string sync_error_text(const SyncOutcome& o, const UiTexts& texts, const std::string& lang);

// --- USB sticks ---
// Mount points under /media, /run/media and /mnt in a /proc/self/mounts text (octal escapes
// such as \040 decoded), in file order, without duplicates.
std::vector<std::string> usb_mount_points(const std::string& mounts_text);
// The writable USB volumes: $TK_USB_ROOTS (colon-separated directories; tests and kiosks
// with a fixed mount point) when set, else usb_mount_points(/proc/self/mounts).
std::vector<std::string> list_usb_volumes();
void sync_desk_set_volume(SyncDesk& st, int index); // also lists its receipts and survey updates
// Receipt files (name ends in ".receipt") directly on `dir`, sorted.
std::vector<std::string> list_receipt_files(const std::string& dir);
// "teilhabe-<device id>-<YYYYMMDD-HHMMSS>.tkb": says what and whose, sorts by time.
std::string bundle_file_name(const std::string& device_id, int64_t now_unix);

} // namespace tk
