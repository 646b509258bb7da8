// sync_client.cpp - enrol, upload in batches, export bundles, apply receipts (see sync_client.h).
#include "files.h"
#include "sync_client.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <ctime>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <sys/statvfs.h>
#include <thread>

#include "bundle.h"
#include "dates.h"
#include "enrolment.h"
#include "keys.h"
#include "hex.h"

namespace tk {

using json = nlohmann::json;

uint64_t synced_seq(const Vault& vault) {
    int64_t v = vault.status().synced_seq;
    return v > 0 ? (uint64_t)v : 0;
}

// The status from a VaultStatus already at hand (vault.status() counts every record).
static DeviceStatus status_from(const VaultStatus& st, const std::string& dir, const DeviceStatus& known) {
    DeviceStatus s = known;
    s.research_key = st.research_key_fingerprint;
    s.unsynced = st.unsynced;
    s.in_memory = st.pending_in_memory;
    s.alarms = st.alarms;
    if (st.demo_key) s.alarms.insert(s.alarms.begin(), "demo-key");
    if (s.alarms.size() > kMaxAlarms) s.alarms.resize(kMaxAlarms);
    int64_t t = 0;
    s.last_sync = parse_utc(st.last_sync, &t) ? t : 0;
    struct statvfs fs{};
    s.free_disk_mb = statvfs(dir.c_str(), &fs) == 0 ? (int64_t)((uint64_t)fs.f_bavail * fs.f_frsize >> 20) : -1;
    s.clock = (int64_t)std::time(nullptr);
    return s;
}

DeviceStatus current_device_status(const Vault& vault, const DeviceStatus& known) {
    return status_from(vault.status(), vault.dir(), known);
}

// The device's signed head and the quarantined records among `damaged` that lie after `after`
// and before the bundle's last record (the gaps it steps over; sync/transport/BUNDLE.md), and
// the device's status.
static BundleExtras extras_for(const Vault& vault, uint64_t after, const std::vector<Record>& recs,
                               const std::vector<uint64_t>& damaged, const std::string& status_json) {
    BundleExtras x;
    x.head = vault.signed_head();
    x.research_key = vault.research_key_fingerprint();
    x.status = status_json;
    uint64_t last = recs.empty() ? after : recs.back().seq;
    for (uint64_t seq : damaged)
        if (seq > after && seq < last) x.damaged.push_back(seq);
    return x;
}

// "the server says: reason" from an error reply, or the raw status; *refusal gets its words.
static std::string reply_reason(const httplib::Result& res, ServerRefusal* refusal = nullptr) {
    json j = json::parse(res->body, nullptr, false);
    if (refusal && j.is_object()) {
        refusal->code = j.value("error", std::string());
        if (j.contains("expected") && j["expected"].is_array())
            for (const auto& e : j["expected"])
                if (e.is_string()) refusal->expected_key += (refusal->expected_key.empty() ? "" : ", ") + e.get<std::string>();
    }
    if (j.is_object() && j.contains("reason") && j["reason"].is_string())
        return "server answered " + std::to_string(res->status) + " (" + j.value("error", std::string("?")) + "): " +
               j["reason"].get<std::string>();
    return "server answered HTTP " + std::to_string(res->status);
}

// The server's answer to an enrolment: pins its key and site, keeps the TLS settings that reached it.
static bool enrolled(const std::string& dir, const std::string& url, const SyncOptions& opt, const httplib::Result& res,
                     EnrolResult* out, std::string* error) {
    if (res->status != 200) {
        if (error) *error = reply_reason(res, out ? &out->refusal : nullptr);
        return false;
    }
    json j = json::parse(res->body, nullptr, false);
    ServerPin pin;
    if (!j.is_object() || !j.contains("server_pk") || !j["server_pk"].is_string() ||
        !from_hex(j["server_pk"].get<std::string>(), pin.server_pk.data(), 32)) {
        if (error) *error = "the server's enrolment answer has no valid server_pk";
        return false;
    }
    pin.url = url;
    // The site goes into every record's metadata: one that could not be stored there is left out.
    RecordMeta site_check;
    site_check.survey_id = site_check.channel = "-";
    if (j.contains("site") && j["site"].is_string()) site_check.site = j["site"].get<std::string>();
    if (check_meta(site_check, nullptr)) pin.site = site_check.site;
    if (!write_server_pin(dir, pin, error)) return false;
    // Enrolled over this channel: later syncs trust the same certificate or key.
    if (!save_trust(dir, opt.tls, error)) return false;
    if (out) {
        out->server_fingerprint = fingerprint(pin.server_pk.data(), 32);
        out->site = pin.site;
    }
    return true;
}

bool enrol_device(Vault& vault, const std::string& url, const std::string& code, const SyncOptions& opt,
                  EnrolResult* out, std::string* error) {
    const std::string& dir = vault.dir();
    DeviceIdentity id;
    bool created = false;
    if (!load_or_create_device(dir + "/device.key", false, id, &created, error)) return false;
    NetError ne;
    HttpClient c = make_http_client(url, opt.tls, opt.timeout_s, &ne);
    if (c.cli) {
        std::string body =
            json{{"code", code}, {"device_pk", to_hex(id.pk, 32)}, {"research_key", vault.research_key_fingerprint()}}.dump();
        auto res = c.cli->Post("/v1/enrol", body, "application/json");
        if (res) return enrolled(dir, url, opt, res, out, error);
        ne = net_error_of(c, url, res.error());
    }
    if (error) *error = net_error_text(ne, opt.tls);
    if (out) out->net = ne;
    return false;
}

// The checks of apply_receipt. `known` may hold records the caller already has in memory (the
// batch just sent): the vault then need not walk its chain to find the acknowledged one.
// `synced` is the vault's current sync point.
static ReceiptOutcome check_and_apply(Vault& vault, const uint8_t* data, size_t len, const std::vector<Record>* known,
                                      uint64_t synced, const ServerPin& pin, const uint8_t device_pk[32]) {
    ReceiptOutcome out;
    out.before = synced;
    auto refuse = [&](const std::string& why) {
        out.effect = ReceiptEffect::Refused;
        out.error = why;
        return out;
    };
    Receipt r;
    if (!read_receipt(data, len, r, &out.error)) return out;
    out.acked = r.acked_seq;
    out.time = r.time;
    if (std::memcmp(r.device_pk.data(), device_pk, 32) != 0) {
        out.effect = ReceiptEffect::OtherDevice;
        out.error = "receipt is for device " + device_id_hex(r.device_pk) + ", not this one (" + to_hex(device_pk, 8) + ")";
        return out;
    }
    if (r.server_pk != pin.server_pk)
        return refuse("receipt signed by server " + fingerprint(r.server_pk.data(), 32) + ", but this device is enrolled with " +
                      fingerprint(pin.server_pk.data(), 32));
    if (r.acked_seq > 0) {
        const Record* rec = nullptr;
        if (known)
            for (const Record& k : *known)
                if (k.seq == r.acked_seq) rec = &k;
        std::vector<Record> found;
        if (!rec) {
            std::string err;
            if (!vault.read_records(r.acked_seq - 1, 1, found, &err)) return refuse(err);
            if (!found.empty() && found[0].seq == r.acked_seq) rec = &found[0];
        }
        if (!rec) return refuse("receipt acknowledges record " + std::to_string(r.acked_seq) + ", which this device does not have");
        if (record_hash(*rec) != r.acked_hash)
            return refuse("receipt's hash of record " + std::to_string(r.acked_seq) +
                          " differs from this device's record (the server holds a different chain)");
    }
    // Receipts are the server's word at their time, so the newest one says where the server
    // stands: one that says less than the receipts before it means the server lost records.
    // An older receipt changes nothing (it would undo that); one of the same second (a sync's
    // batches, one import run) only moves forward.
    uint64_t newest = vault.receipt_time();
    out.effect = ReceiptEffect::NoNews;
    if (r.time < newest) return out;
    if (r.acked_seq > synced) out.effect = ReceiptEffect::Advanced;
    else if (r.acked_seq < synced && r.time > newest) out.effect = ReceiptEffect::Resend;
    if (out.effect == ReceiptEffect::NoNews && r.time == newest) return out;
    if (!vault.mark_synced(out.effect == ReceiptEffect::NoNews ? synced : r.acked_seq, &out.error, r.time))
        out.effect = ReceiptEffect::Refused;
    return out;
}

// The pinned server and this device's key, for checking receipts.
static bool receipt_context(const Vault& vault, ServerPin& pin, DeviceIdentity& id, std::string* error) {
    std::string err;
    if (!read_server_pin(vault.dir(), pin, &err)) {
        if (error) *error = "this device is not enrolled (" + err + "); a receipt can only be checked against the enrolled server";
        return false;
    }
    bool created = false;
    return load_or_create_device(vault.dir() + "/device.key", false, id, &created, error);
}

ReceiptOutcome apply_receipt(Vault& vault, const uint8_t* data, size_t len) {
    ServerPin pin;
    DeviceIdentity id;
    ReceiptOutcome out;
    if (!receipt_context(vault, pin, id, &out.error)) return out;
    return check_and_apply(vault, data, len, nullptr, synced_seq(vault), pin, id.pk);
}

bool apply_receipt(Vault& vault, const uint8_t* data, size_t len, uint64_t* acked, std::string* error) {
    ReceiptOutcome o = apply_receipt(vault, data, len);
    if (acked) *acked = o.acked;
    bool ok = o.effect != ReceiptEffect::Refused && o.effect != ReceiptEffect::OtherDevice;
    if (!ok && error) *error = o.error;
    return ok;
}

SyncResult sync_once(Vault& vault, const std::string& url, const SyncProgress& progress, const SyncOptions& opt) {
    SyncResult out;
    ServerPin pin;
    std::string err;
    if (!read_server_pin(vault.dir(), pin, &err)) {
        out.error = "not enrolled with a server (" + err + "): run `teilhabe enrol` with a pairing code first";
        return out;
    }
    DeviceIdentity id;
    bool created = false;
    if (!load_or_create_device(vault.dir() + "/device.key", false, id, &created, &out.error)) return out;
    HttpClient c = make_http_client(url, opt.tls, opt.timeout_s, &out.net);
    if (!c.cli) {
        out.error = net_error_text(out.net, opt.tls);
        return out;
    }

    VaultStatus st = vault.status(); // counts every record: called once, not per batch
    const std::string status_json = device_status_json(status_from(st, vault.dir(), opt.status));
    uint64_t start = (uint64_t)std::max<int64_t>(0, st.synced_seq), after = start, synced = start;
    int64_t total = st.unsynced;
    std::vector<uint64_t> damaged;
    for (const DamagedRecord& d : vault.damaged_records()) damaged.push_back(d.seq);
    if (progress) progress(0, total);
    size_t batch = std::max<size_t>(1, std::min<size_t>(opt.batch, kNetworkBundleLimits.max_records));
    int rewinds = 0;
    std::vector<Record> ahead;
    size_t ahead_pos = 0;
    // Bounded: every round either advances `after`, rewinds (at most 3 times) or fails.
    for (size_t round = 0; round < (size_t)total / batch + 16; round++) {
        if (opt.cancel && opt.cancel->load()) {
            out.error = "sync cancelled (nothing is lost: run sync again)";
            break;
        }
        // Records are read ahead in chunks of several batches and sent from memory; the chunk
        // goes on where the last batch ended (also when a quarantined record comes next).
        bool continues = ahead_pos < ahead.size() && (ahead[ahead_pos].seq == after + 1 ||
                                                      (ahead_pos > 0 && ahead[ahead_pos - 1].seq == after));
        if (!continues) {
            ahead_pos = 0;
            if (!vault.read_records(after, std::max<size_t>(batch, 5000), ahead, &out.error)) return out;
        }
        size_t take = std::min(batch, ahead.size() - ahead_pos);
        std::vector<Record> recs(ahead.begin() + (long)ahead_pos, ahead.begin() + (long)(ahead_pos + take));
        ahead_pos += take;
        if (recs.empty()) break;
        BundleExtras extras = extras_for(vault, after, recs, damaged, status_json);
        std::vector<uint8_t> bundle = make_bundle(recs, id.sk, (uint64_t)std::time(nullptr), &extras);
        httplib::Result res{nullptr, httplib::Error::Unknown};
        for (int attempt = 0; attempt <= opt.retries; attempt++) {
            res = c.cli->Post("/v1/bundles", (const char*)bundle.data(), bundle.size(), "application/octet-stream");
            // A refused certificate or key stays refused: no retry.
            bool retry = res ? res->status == 429 || res->status == 503 : retry_can_help(net_error_of(c, url, res.error()).kind);
            if (!retry || attempt == opt.retries || (opt.cancel && opt.cancel->load())) break;
            int wait_ms = 250 << attempt;
            if (res && res->has_header("Retry-After")) wait_ms = std::max(wait_ms, 1000 * std::atoi(res->get_header_value("Retry-After").c_str()));
            std::this_thread::sleep_for(std::chrono::milliseconds(std::min(wait_ms, 5000)));
        }
        if (!res) {
            out.net = net_error_of(c, url, res.error());
            out.error = net_error_text(out.net, opt.tls);
            break;
        }
        out.http_status = res->status;
        json j = json::parse(res->body, nullptr, false);
        if (res->status == 409 && j.is_object() && j.value("error", std::string()) == "gap" && j.contains("server_seq") &&
            j["server_seq"].is_number_unsigned() && j["server_seq"].get<uint64_t>() < after && rewinds < 3) {
            // The server holds less than this device believes (restored from a backup, or a
            // USB bundle never imported): send again from the server's head.
            after = j["server_seq"].get<uint64_t>();
            rewinds++;
            continue;
        }
        if (res->status != 200) {
            out.error = reply_reason(res, &out.refusal);
            break;
        }
        std::vector<uint8_t> rc(kReceiptSize);
        if (!j.is_object() || !j.contains("receipt") || !j["receipt"].is_string() ||
            !from_hex(j["receipt"].get<std::string>(), rc.data(), rc.size())) {
            out.error = "the server's answer carries no valid receipt; records stay unsynced";
            break;
        }
        ReceiptOutcome ro = check_and_apply(vault, rc.data(), rc.size(), &recs, synced, pin, id.pk);
        if (ro.effect == ReceiptEffect::Refused || ro.effect == ReceiptEffect::OtherDevice) {
            out.error = "receipt refused: " + ro.error;
            break;
        }
        uint64_t acked = ro.acked;
        if (ro.effect != ReceiptEffect::NoNews) synced = acked;
        Receipt r;
        read_receipt(rc.data(), rc.size(), r, nullptr);
        out.sent += (int64_t)recs.size();
        out.stored += r.stored;
        out.duplicates += r.duplicates;
        if (acked < recs.back().seq) {
            out.error = "the server acknowledged only up to record " + std::to_string(acked);
            break;
        }
        after = acked;
        if (progress) progress(std::min<int64_t>(out.sent, total), total);
    }
    VaultStatus end = vault.status();
    out.acked_seq = (uint64_t)std::max<int64_t>(0, end.records - end.unsynced);
    out.remaining = end.unsynced;
    out.ok = out.error.empty() && out.remaining == 0;
    if (out.error.empty() && out.remaining != 0) out.error = std::to_string(out.remaining) + " records still unsynced";
    return out;
}

bool export_bundle(Vault& vault, const std::string& path, int64_t* count, std::string* error, const DeviceStatus* status) {
    DeviceIdentity id;
    bool created = false;
    if (!load_or_create_device(vault.dir() + "/device.key", false, id, &created, error)) return false;
    std::vector<Record> recs;
    std::vector<uint64_t> damaged;
    uint64_t after = synced_seq(vault);
    if (!vault.read_records(after, BundleLimits{}.max_records, recs, error, &damaged)) return false;
    BundleExtras extras =
        extras_for(vault, after, recs, damaged, device_status_json(current_device_status(vault, status ? *status : DeviceStatus{})));
    std::vector<uint8_t> b = make_bundle(recs, id.sk, (uint64_t)std::time(nullptr), &extras);
    if (count) *count = (int64_t)recs.size();
    return write_file_atomic(path, std::string(b.begin(), b.end()), 0600, false, error);
}

} // namespace tk
