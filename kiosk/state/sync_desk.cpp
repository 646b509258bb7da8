// sync_desk.cpp - the staff menu's transport jobs on a worker thread (see sync_desk.h).
#include "files.h"
#include "sync_desk.h"

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <sodium.h>
#include <unistd.h>

#include "dates.h"
#include "enrolment.h"
#include "keys.h"
#include "provision.h"
#include "vault.h"

namespace tk {

namespace {

std::string trim(const std::string& s) {
    size_t a = s.find_first_not_of(" \t\r\n"), b = s.find_last_not_of(" \t\r\n");
    return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

// The worker's own handle on the vault (see sync_desk.h for why not the kiosk's).
std::unique_ptr<Vault> open_worker_vault(const std::string& dir, std::string* error) {
    VaultOpenOptions o;
    o.create = false;
    auto v = Vault::open(dir, o, error);
    if (!v && error) *error = dir + ": " + *error;
    return v;
}

void wipe_string(std::string& s) {
    if (!s.empty()) sodium_memzero(s.data(), s.size());
    s.clear();
}

// A copy of the pairing code that is wiped wherever it dies.
struct WipedString {
    std::string s;
    explicit WipedString(const std::string& v) : s(v) {}
    WipedString(const WipedString& o) : s(o.s) {}
    WipedString& operator=(const WipedString&) = delete;
    ~WipedString() { wipe_string(s); }
};

void tick(SyncJob& job) {
    job.ticks++;
    if (job.wake) job.wake();
}

// One job at a time; said before any complaint about the inputs.
bool refuse_if_busy(SyncDesk& st) {
    if (!sync_desk_busy(st)) return false;
    st.refused = "staff_sync_busy";
    return true;
}

// The server address as typed, trimmed; refused (and false) when there is none.
bool typed_server_url(SyncDesk& st, std::string& url) {
    url = trim(st.server_url);
    if (!url.empty()) return true;
    st.refused = "staff_sync_no_url";
    return false;
}

// The USB stick chosen in the list; refused (and false) when none is.
bool chosen_volume(SyncDesk& st, std::string& volume) {
    if (st.volume < 0 || st.volume >= (int)st.volumes.size()) {
        st.refused = "staff_sync_no_volume";
        return false;
    }
    volume = st.volumes[size_t(st.volume)];
    return true;
}

// Runs `work` on the worker. The outcome is filled in a local copy and handed over at the end,
// so the UI thread never sees a half-written one.
template <class Work>
bool start(SyncDesk& st, SyncJobKind kind, Work work) {
    if (refuse_if_busy(st)) return false;
    if (st.worker.joinable()) st.worker.join(); // a finished job not yet collected
    st.refused.clear();
    st.kind = kind;
    st.job = std::make_shared<SyncJob>();
    st.job->wake = st.wake;
    st.job->running = true;
    std::shared_ptr<SyncJob> job = st.job;
    std::string dir = st.data_dir;
    st.worker = std::thread([job, dir, kind, work]() {
        SyncOutcome out;
        out.kind = kind;
        std::unique_ptr<Vault> v = open_worker_vault(dir, &out.error);
        if (v) {
            work(*job, *v, out);
            out.unsynced_after = v->status().unsynced;
        }
        {
            std::lock_guard<std::mutex> g(job->mu);
            job->outcome = std::move(out);
        }
        job->running = false;
        tick(*job);
    });
    return true;
}

std::string decode_mount_path(const std::string& s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '3' &&
            s[i + 2] >= '0' && s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
            out += char((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
            i += 3;
        } else {
            out += s[i];
        }
    }
    return out;
}

bool writable_dir(const std::string& d) {
    std::error_code ec;
    return std::filesystem::is_directory(d, ec) && ::access(d.c_str(), W_OK) == 0;
}

// Applies every receipt on the stick. The order does not matter: a receipt older than one
// taken changes nothing (sync_client.h), so the newest receipt always has the last word.
void apply_stick_receipts(const std::vector<std::string>& files, SyncJob& job, Vault& v, SyncOutcome& out) {
    out.ok = true;
    for (const auto& f : files) {
        ReceiptApplied r;
        r.path = f;
        std::string bytes;
        ReceiptOutcome o;
        if (read_file_at_most(f, kKeyFileMax, bytes, &o.error)) o = apply_receipt(v, (const uint8_t*)bytes.data(), bytes.size());
        job.done++;
        tick(job);
        if (o.effect == ReceiptEffect::OtherDevice) { // no error: one stick serves many kiosks
            out.other_device_receipts++;
            continue;
        }
        r.effect = o.effect;
        r.ok = o.effect != ReceiptEffect::Refused;
        r.acked = o.acked;
        r.error = o.error;
        if (o.effect == ReceiptEffect::Resend) r.resend = (int64_t)(o.before - o.acked);
        out.ok = out.ok && r.ok;
        out.receipts.push_back(r);
    }
}

// The research signing key: research.pub, or on a demo kiosk the demo key's public part.
bool update_key(const Vault& v, ResearchPublicKey& pub, std::string* error) {
    std::string pub_path = v.dir() + "/research.pub";
    std::error_code ec;
    if (!std::filesystem::exists(pub_path, ec)) pub_path = v.dir() + "/demo-research.key";
    if (!load_research_public(pub_path, pub, error)) return false;
    std::filesystem::create_directories(v.dir() + "/surveys", ec); // the staff menu lists it
    return true;
}

} // namespace

SyncDesk::~SyncDesk() {
    if (worker.joinable()) worker.join();
}

void sync_desk_read_pin(SyncDesk& st) {
    ServerPin pin;
    std::string err;
    if (read_server_pin(st.data_dir, pin, &err)) {
        st.enrolled_url = pin.url;
        st.enrolled_fingerprint = fingerprint(pin.server_pk.data(), 32);
    } else {
        st.enrolled_url.clear();
        st.enrolled_fingerprint.clear();
    }
}

void sync_desk_begin(SyncDesk& st, const std::string& data_dir) {
    sync_desk_poll(st);
    st.data_dir = data_dir;
    st.refused.clear();
    st.scroll_top = true;
    sync_desk_read_pin(st);
    if (st.server_url.empty()) st.server_url = st.enrolled_url;
    std::string chosen = st.volume >= 0 && st.volume < (int)st.volumes.size() ? st.volumes[size_t(st.volume)] : "";
    st.volumes = list_usb_volumes();
    auto it = std::find(st.volumes.begin(), st.volumes.end(), chosen);
    // One stick plugged in: it is the one.
    int index = it != st.volumes.end() ? int(it - st.volumes.begin()) : st.volumes.size() == 1 ? 0 : -1;
    sync_desk_set_volume(st, index);
}

void sync_desk_leave(SyncDesk& st) {
    std::fill(st.pairing_code.begin(), st.pairing_code.end(), '\0');
    st.pairing_code.clear();
    st.pin.clear();
    st.refused.clear();
}

bool sync_desk_busy(const SyncDesk& st) { return st.job && st.job->running; }

// Joins the ended worker and takes its outcome: once per job (the worker is joinable once).
static void collect(SyncDesk& st) {
    st.worker.join();
    {
        std::lock_guard<std::mutex> g(st.job->mu);
        st.last = std::move(st.job->outcome);
    }
    st.has_last = true;
    st.collected++;
    if (st.last.kind == SyncJobKind::Enrol && st.last.ok) sync_desk_leave(st); // the code is used up
    if (st.last.kind == SyncJobKind::Enrol || st.last.kind == SyncJobKind::Sync || st.last.kind == SyncJobKind::Provision)
        sync_desk_read_pin(st);
    if (st.last.kind == SyncJobKind::Export || st.last.kind == SyncJobKind::Receipts || st.last.kind == SyncJobKind::StickUpdate)
        sync_desk_set_volume(st, st.volume);
}

bool sync_desk_poll(SyncDesk& st) {
    if (!st.job) return false;
    bool changed = st.job->ticks != st.seen_ticks;
    st.seen_ticks = st.job->ticks;
    if (!st.job->running && st.worker.joinable()) {
        collect(st);
        changed = true;
    }
    return changed;
}

int64_t sync_desk_done(const SyncDesk& st) { return st.job ? st.job->done.load() : 0; }
int64_t sync_desk_total(const SyncDesk& st) { return st.job ? st.job->total.load() : 0; }

void sync_desk_wait(SyncDesk& st) {
    // Joined here, the job would never be collected by sync_desk_poll (it looks for a
    // joinable worker): collect it now, so st.last is this job's outcome.
    if (st.worker.joinable()) collect(st);
    sync_desk_poll(st);
}

void sync_desk_cancel(SyncDesk& st) {
    if (st.job) st.job->cancel = true;
}

bool sync_desk_start_sync(SyncDesk& st) {
    if (refuse_if_busy(st)) return false;
    std::string url;
    if (!typed_server_url(st, url)) return false;
    st.server_url = url;
    SyncOptions opt = st.options;
    return start(st, SyncJobKind::Sync, [url, opt](SyncJob& job, Vault& v, SyncOutcome& out) {
        SyncOptions o = opt;
        o.cancel = &job.cancel;
        o.tls = out.tls = load_saved_trust(v.dir());
        out.sync = sync_once(v, url, [&job](int64_t done, int64_t total) {
            job.total = total;
            job.done = done;
            tick(job);
        }, o);
        out.ok = out.sync.ok;
        out.error = out.sync.error;
        out.net = out.sync.net;
        out.refusal = out.sync.refusal;
        out.research_key = v.research_key_fingerprint();
        // The server moved (same key, new address): the next sync and `teilhabe sync` use it.
        // Only when a receipt signed by the pinned key came from there - a sync with nothing
        // to send never asks the server, so a mistyped address must not be saved.
        ServerPin pin;
        if (out.ok && out.sync.sent > 0 && read_server_pin(v.dir(), pin, nullptr) && pin.url != url) {
            pin.url = url;
            write_server_pin(v.dir(), pin, nullptr);
        }
    });
}

bool sync_desk_start_enrol(SyncDesk& st) {
    if (refuse_if_busy(st)) return false;
    std::string url;
    if (!typed_server_url(st, url)) return false;
    std::string pin = trim(st.pin);
    std::array<uint8_t, 32> pin_bytes{};
    if (!pin.empty() && !parse_pin(pin, pin_bytes)) {
        st.refused = "staff_sync_bad_pin";
        return false;
    }
    std::string code = trim(st.pairing_code), normal;
    bool good = normalize_pairing_code(code, normal);
    wipe_string(code);
    if (!good) {
        wipe_string(normal);
        st.refused = "staff_sync_bad_code";
        return false;
    }
    st.server_url = url;
    SyncOptions opt = st.options;
    // The job is copied on its way to the thread: every copy of the code wipes itself.
    WipedString secret{normal};
    wipe_string(normal);
    return start(st, SyncJobKind::Enrol, [url, secret, opt, pin](SyncJob&, Vault& v, SyncOutcome& out) {
        SyncOptions o = opt;
        // A typed pin is what this enrolment trusts (and saves); else the saved settings.
        o.tls = out.tls = pin.empty() ? load_saved_trust(v.dir()) : TlsTrust{"", pin};
        EnrolResult r;
        out.ok = enrol_device(v, url, secret.s, o, &r, &out.error);
        out.server_fingerprint = r.server_fingerprint;
        out.site = r.site;
        out.refusal = r.refusal;
        out.net = r.net;
        out.research_key = v.research_key_fingerprint();
    });
}

bool sync_desk_start_export(SyncDesk& st, int64_t now_unix) {
    if (refuse_if_busy(st)) return false;
    std::string volume;
    if (!chosen_volume(st, volume)) return false;
    DeviceStatus known = st.options.status;
    return start(st, SyncJobKind::Export, [volume, now_unix, known](SyncJob& job, Vault& v, SyncOutcome& out) {
        VaultStatus s = v.status();
        job.total = s.unsynced;
        if (s.unsynced == 0) { // nothing to carry: no empty file on the stick
            out.ok = true;
            return;
        }
        std::string path = volume + "/" + bundle_file_name(s.device_id, now_unix);
        out.ok = export_bundle(v, path, &out.count, &out.error, &known);
        if (out.ok) out.path = path;
        job.done = out.count;
    });
}

bool sync_desk_start_receipts(SyncDesk& st) {
    if (refuse_if_busy(st)) return false;
    std::string volume;
    if (!chosen_volume(st, volume)) return false;
    std::vector<std::string> files = list_receipt_files(volume);
    if (files.empty()) {
        st.refused = "staff_sync_no_receipts";
        return false;
    }
    return start(st, SyncJobKind::Receipts, [files](SyncJob& job, Vault& v, SyncOutcome& out) {
        job.total = (int64_t)files.size();
        apply_stick_receipts(files, job, v, out);
    });
}

bool sync_desk_start_survey_update(SyncDesk& st) {
    if (refuse_if_busy(st)) return false;
    std::string url;
    if (!typed_server_url(st, url)) return false;
    SyncOptions opt = st.options;
    return start(st, SyncJobKind::SurveyUpdate, [url, opt](SyncJob&, Vault& v, SyncOutcome& out) {
        SyncOptions o = opt;
        o.tls = out.tls = load_saved_trust(v.dir());
        ResearchPublicKey pub;
        if (!update_key(v, pub, &out.error)) return;
        out.update = fetch_survey_update(url, v.dir() + "/surveys", pub, o);
        out.ok = out.update.ok;
        out.error = out.update.error;
        out.net = out.update.net;
    });
}

bool sync_desk_start_stick_update(SyncDesk& st) {
    if (refuse_if_busy(st)) return false;
    std::string volume;
    if (!chosen_volume(st, volume)) return false;
    if (list_signed_surveys(volume + "/" + kStickSurveyFolder).empty()) {
        st.refused = "staff_sync_no_stick_updates";
        return false;
    }
    return start(st, SyncJobKind::StickUpdate, [volume](SyncJob&, Vault& v, SyncOutcome& out) {
        ResearchPublicKey pub;
        if (!update_key(v, pub, &out.error)) return;
        out.update = install_survey_updates_from_stick(volume, v.dir() + "/surveys", pub);
        out.ok = out.update.ok;
        out.error = out.update.error;
    });
}

bool sync_desk_start_provision_file(SyncDesk& st, const std::string& file) {
    if (refuse_if_busy(st)) return false;
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) {
        st.refused = "staff_sync_no_provision";
        return false;
    }
    SyncOptions opt = st.options;
    return start(st, SyncJobKind::Provision, [file, opt](SyncJob&, Vault& v, SyncOutcome& out) {
        out.path = file;
        Provision p;
        if (!read_provision(file, p, &out.error)) return;
        ProvisionResult r = apply_provision(v.dir(), p, opt);
        out.ok = r.ok;
        out.error = r.error;
        out.already_enrolled = r.already_enrolled;
        out.server_fingerprint = r.enrol.server_fingerprint;
        out.site = r.enrol.site;
        out.refusal = r.enrol.refusal;
        out.net = r.enrol.net;
        out.research_key = r.research_key;
    });
}

bool sync_desk_start_provision(SyncDesk& st) {
    if (refuse_if_busy(st)) return false;
    std::string volume;
    if (!chosen_volume(st, volume)) return false;
    return sync_desk_start_provision_file(st, volume + "/" + kProvisionFileName);
}

bool sync_desk_provision_at_start(SyncDesk& st, const std::string& data_dir, const std::string& file) {
    std::error_code ec;
    if (file.empty() || !std::filesystem::exists(file, ec)) return false;
    sync_desk_begin(st, data_dir);
    if (!st.enrolled_fingerprint.empty()) return false; // enrolled already: the file has done its work
    return sync_desk_start_provision_file(st, file);
}

const char* net_failure_text_key(NetFailure kind) {
    switch (kind) {
    case NetFailure::none: return nullptr;
    case NetFailure::bad_address: return "staff_net_bad_address";
    case NetFailure::bad_pin: return "staff_net_bad_pin";
    case NetFailure::unreachable: return "staff_net_unreachable";
    case NetFailure::broken: return "staff_net_broken";
    case NetFailure::no_tls: return "staff_net_no_tls";
    case NetFailure::ca_unreadable: return "staff_net_ca_unreadable";
    case NetFailure::cert_unknown: return "staff_net_cert_unknown";
    case NetFailure::cert_expired: return "staff_net_cert_expired";
    case NetFailure::cert_name: return "staff_net_cert_name";
    case NetFailure::pin_mismatch: return "staff_net_pin_mismatch";
    case NetFailure::other: break;
    }
    return "staff_net_other";
}

std::string sync_error_text(const SyncOutcome& o, const UiTexts& texts, const std::string& lang) {
    const char* key = net_failure_text_key(o.net.kind);
    if (!key) return o.error;
    return fill(ui_text(texts, lang, key), {{"url", o.net.url}, {"detail", o.net.detail}, {"pin", o.tls.pin}, {"ca", o.tls.ca_file}});
}

std::vector<std::string> usb_mount_points(const std::string& mounts_text) {
    std::vector<std::string> out;
    size_t pos = 0;
    while (pos < mounts_text.size()) {
        size_t end = mounts_text.find('\n', pos);
        if (end == std::string::npos) end = mounts_text.size();
        std::string line = mounts_text.substr(pos, end - pos);
        pos = end + 1;
        size_t a = line.find(' ');
        if (a == std::string::npos) continue;
        size_t b = line.find(' ', a + 1);
        std::string mp = decode_mount_path(line.substr(a + 1, b == std::string::npos ? std::string::npos : b - a - 1));
        bool usb = mp.rfind("/media/", 0) == 0 || mp.rfind("/run/media/", 0) == 0 || mp.rfind("/mnt/", 0) == 0 || mp == "/mnt";
        if (usb && std::find(out.begin(), out.end(), mp) == out.end()) out.push_back(mp);
    }
    return out;
}

std::vector<std::string> list_usb_volumes() {
    std::vector<std::string> candidates;
    if (const char* roots = std::getenv("TK_USB_ROOTS")) {
        std::string s = roots;
        size_t pos = 0;
        while (pos <= s.size()) {
            size_t c = s.find(':', pos);
            if (c == std::string::npos) c = s.size();
            if (c > pos) candidates.push_back(s.substr(pos, c - pos));
            pos = c + 1;
        }
    } else {
        std::string text;
        if (read_file_at_most("/proc/self/mounts", kKeyFileMax, text, nullptr)) candidates = usb_mount_points(text);
    }
    std::vector<std::string> out;
    for (const auto& c : candidates)
        if (writable_dir(c)) out.push_back(c);
    return out;
}

void sync_desk_set_volume(SyncDesk& st, int index) {
    st.volume = index >= 0 && index < (int)st.volumes.size() ? index : -1;
    std::string v = st.volume >= 0 ? st.volumes[size_t(st.volume)] : "";
    st.receipt_files = v.empty() ? std::vector<std::string>{} : list_receipt_files(v);
    st.stick_updates = v.empty() ? std::vector<std::string>{} : list_signed_surveys(v + "/" + kStickSurveyFolder);
}

std::vector<std::string> list_receipt_files(const std::string& dir) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
        std::string name = e.path().filename().string();
        if (name.size() > 8 && name.compare(name.size() - 8, 8, ".receipt") == 0 && e.is_regular_file(ec))
            out.push_back(e.path().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string bundle_file_name(const std::string& device_id, int64_t now_unix) {
    return "teilhabe-" + (device_id.empty() ? std::string("kiosk") : device_id) + "-" + utc_file_stamp(now_unix) + ".tkb";
}

} // namespace tk
