// fleet.cpp - see fleet.h.
#include "fleet.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <map>

#include <nlohmann/json.hpp>

#include "dates.h"
#include "device_status.h"
#include "keys.h"
#include "request_log.h"

namespace tk {

namespace {

int64_t now_or(const FleetOptions& opt) { return opt.now ? opt.now : (int64_t)std::time(nullptr); }

std::string day_text(int64_t day) { return format_utc(day * 86400).substr(0, 10); }

// A Prometheus label value: backslash, double quote and newline escaped (text format 0.0.4).
std::string prom_label(const std::string& v) {
    std::string out;
    for (char c : v) {
        if (c == '\\') out += "\\\\";
        else if (c == '"') out += "\\\"";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

// Event details quote what clients sent; as JSON strings they must also be valid UTF-8.
std::string json_safe(const std::string& s) { return log_safe(s, 2000); }

} // namespace

bool device_stale(const DeviceInfo& d, const FleetOptions& opt, int64_t now) {
    int64_t seen = d.last_seen ? d.last_seen : d.enrolled;
    return now - seen > (int64_t)opt.stale_days * 86400;
}

void LatencyHistogram::add(double seconds) {
    size_t i = 0;
    while (i < kBounds.size() && seconds > kBounds[i]) i++;
    buckets[i]++;
    count++;
    sum_us += (uint64_t)std::max(0.0, seconds * 1e6);
}

std::string fleet_status_json(ServerStore& store, const FleetOptions& opt) {
    int64_t now = now_or(opt);
    nlohmann::json j;
    j["server_fingerprint"] = store.server_fingerprint();
    j["time"] = format_utc(now);
    j["records"] = store.record_count();
    j["stale_days"] = opt.stale_days;
    nlohmann::json devs = nlohmann::json::array();
    int stale = 0, revoked = 0, gaps = 0, alarms = 0;
    for (const DeviceInfo& d : store.devices()) {
        bool is_stale = !d.revoked && device_stale(d, opt, now);
        stale += is_stale;
        revoked += d.revoked;
        gaps += d.missing() > 0;
        nlohmann::json o;
        o["id"] = device_id_hex(d.pk);
        o["fingerprint"] = fingerprint(d.pk.data(), 32);
        o["site"] = json_safe(d.site);
        o["enrolled"] = format_utc(d.enrolled);
        o["last_seen"] = d.last_seen ? nlohmann::json(format_utc(d.last_seen)) : nlohmann::json(nullptr);
        o["days_unseen"] = (now - (d.last_seen ? d.last_seen : d.enrolled)) / 86400;
        o["stale"] = is_stale;
        o["records"] = d.records;
        o["chain_head"] = d.last_seq;
        o["device_head"] = d.head_seq;
        o["missing"] = d.missing();
        o["last_result"] = d.last_result;
        o["last_result_time"] = d.last_result_time ? nlohmann::json(format_utc(d.last_result_time)) : nlohmann::json(nullptr);
        o["revoked"] = d.revoked;
        DeviceStatus ds;
        if (!d.status.empty() && parse_device_status(d.status, ds, nullptr)) {
            nlohmann::json sj = nlohmann::json::parse(device_status_json(ds), nullptr, false);
            sj["received"] = format_utc(d.status_time);
            o["status"] = sj;
            alarms += !ds.alarms.empty();
        } else {
            o["status"] = nullptr;
        }
        if (d.revoked) {
            o["revoked_at"] = format_utc(d.revoked_at);
            o["revoked_reason"] = json_safe(d.revoked_reason);
        }
        devs.push_back(o);
    }
    j["devices"] = devs;
    j["devices_stale"] = stale;
    j["devices_revoked"] = revoked;
    j["devices_with_missing_records"] = gaps;
    j["devices_with_alarms"] = alarms;
    nlohmann::json hist = nlohmann::json::array();
    for (const ServerStore::StatusChange& c : store.status_history("", opt.events))
        hist.push_back({{"device", c.device}, {"time", format_utc(c.time)}, {"changed", c.changed},
                        {"status", nlohmann::json::parse(c.status, nullptr, false)}});
    j["status_changes"] = hist;
    nlohmann::json counts = nlohmann::json::array();
    std::map<std::string, int64_t> per_site;
    for (const CountRow& c : store.counts()) {
        counts.push_back({{"site", json_safe(c.site)}, {"channel", json_safe(c.channel)}, {"day", day_text(c.day)}, {"n", c.n}});
        per_site[c.site] += c.n;
    }
    j["counts"] = counts;
    nlohmann::json targets = nlohmann::json::array();
    for (const auto& t : store.targets())
        targets.push_back({{"site", json_safe(t.first)}, {"expected", t.second}, {"collected", per_site[t.first]}});
    j["targets"] = targets;
    nlohmann::json codes = nlohmann::json::array();
    for (const PairingCodeInfo& c : store.pairing_codes())
        codes.push_back({{"id", c.id}, {"site", json_safe(c.site)}, {"created", format_utc(c.created)},
                         {"expires", format_utc(c.expires)}, {"state", c.state(now)},
                         {"used_by", c.used_by.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.used_by)}});
    j["pairing_codes"] = codes;
    nlohmann::json ev = nlohmann::json::array();
    for (const ServerStore::Event& e : store.event_page(opt.events, 0, "", ""))
        ev.push_back({{"time", format_utc(e.time)}, {"kind", json_safe(e.kind)}, {"device", json_safe(e.device)},
                      {"detail", json_safe(e.detail)}});
    j["events"] = ev;
    return j.dump(1) + "\n";
}

std::string fleet_status_text(ServerStore& store, const FleetOptions& opt) {
    int64_t now = now_or(opt);
    std::string out;
    char line[512];
    std::snprintf(line, sizeof line, "server fingerprint %s\nrecords %lld\n", store.server_fingerprint().c_str(),
                  (long long)store.record_count());
    out += line;
    for (const DeviceInfo& d : store.devices()) {
        std::string flags;
        if (d.revoked) flags += "  REVOKED (" + log_safe(d.revoked_reason, 120) + ")";
        else if (device_stale(d, opt, now))
            flags += "  STALE: not seen for " + std::to_string((now - (d.last_seen ? d.last_seen : d.enrolled)) / 86400) + " days";
        if (d.missing() > 0) flags += "  MISSING " + std::to_string(d.missing()) + " records the device holds";
        if (!d.last_result.empty() && d.last_result != "ok") flags += "  last upload refused: " + d.last_result;
        DeviceStatus ds;
        if (!d.status.empty() && parse_device_status(d.status, ds, nullptr)) {
            flags += "\n    runs " + log_safe(ds.program, 60) + ", survey " + log_safe(ds.survey_id, 60) + " " +
                     log_safe(ds.survey_version, 20) + ", " + std::to_string(ds.unsynced) + " unsynced, " +
                     (ds.free_disk_mb >= 0 ? std::to_string(ds.free_disk_mb) + " MB free" : std::string("disk ?"));
            for (const std::string& a : ds.alarms) flags += "\n    ALARM " + log_safe(a, 120);
        }
        std::snprintf(line, sizeof line, "device %s  %s  up to record %llu  records %lld  last seen %s  site '%s'",
                      device_id_hex(d.pk).c_str(), fingerprint(d.pk.data(), 32).c_str(), (unsigned long long)d.last_seq,
                      (long long)d.records, d.last_seen ? format_utc(d.last_seen).c_str() : "never",
                      log_safe(d.site, 80).c_str());
        out += line + flags + "\n";
    }
    std::map<std::string, int64_t> per_site;
    for (const CountRow& c : store.counts()) per_site[c.site] += c.n;
    for (const auto& t : store.targets()) {
        std::snprintf(line, sizeof line, "target site '%s'  %lld of %lld expected\n", log_safe(t.first, 80).c_str(),
                      (long long)per_site[t.first], (long long)t.second);
        out += line;
    }
    for (const PairingCodeInfo& c : store.pairing_codes()) {
        if (std::string(c.state(now)) != "open") continue;
        std::snprintf(line, sizeof line, "code %s  open until %s  site '%s'\n", c.id.c_str(), format_utc(c.expires).c_str(),
                      log_safe(c.site, 80).c_str());
        out += line;
    }
    // Event details quote what clients sent: escaped before they reach the terminal.
    for (const std::string& e : store.events(opt.events)) out += "event " + log_safe(e) + "\n";
    return out;
}

std::string fleet_metrics(ServerStore& store, const FleetOptions& opt, const LatencyHistogram* latency) {
    int64_t now = now_or(opt);
    std::vector<DeviceInfo> devs = store.devices();
    int stale = 0, revoked = 0, alarms = 0;
    uint64_t missing = 0;
    int64_t unsynced = 0;
    for (const DeviceInfo& d : devs) {
        DeviceStatus ds;
        if (!d.status.empty() && parse_device_status(d.status, ds, nullptr)) {
            alarms += !ds.alarms.empty();
            unsynced += std::max<int64_t>(0, ds.unsynced);
        }
        if (d.revoked) revoked++;
        else if (device_stale(d, opt, now)) stale++;
        missing += d.missing();
    }
    std::string o;
    auto gauge = [&](const char* name, const char* help, double v) {
        char b[64];
        std::snprintf(b, sizeof b, "%.17g", v);
        o += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " gauge\n" + name + " " + b + "\n";
    };
    gauge("teilhabe_records", "Sealed records held by the server.", (double)store.record_count());
    gauge("teilhabe_devices", "Enrolled devices, revoked ones included.", (double)devs.size());
    gauge("teilhabe_devices_stale", "Devices not seen for the stale period (not revoked).", stale);
    gauge("teilhabe_devices_revoked", "Revoked devices.", revoked);
    gauge("teilhabe_records_missing", "Records devices said they hold that the server does not.", (double)missing);
    gauge("teilhabe_devices_alarm", "Devices whose latest status reports an alarm (disk full, read-only, demo key ...).", alarms);
    gauge("teilhabe_device_unsynced_records", "Unsynced records the devices reported in their latest status.", (double)unsynced);
    o += "# HELP teilhabe_records_by_site Sealed records held, by site and channel.\n"
         "# TYPE teilhabe_records_by_site gauge\n";
    std::map<std::pair<std::string, std::string>, int64_t> by_site;
    for (const CountRow& c : store.counts()) by_site[{c.site, c.channel}] += c.n;
    for (const auto& kv : by_site)
        o += "teilhabe_records_by_site{site=\"" + prom_label(kv.first.first) + "\",channel=\"" +
             prom_label(kv.first.second) + "\"} " + std::to_string(kv.second) + "\n";
    o += "# HELP teilhabe_refusals_total Refused uploads, enrolments and imports, by reason (from the event log).\n"
         "# TYPE teilhabe_refusals_total counter\n";
    for (const auto& kv : store.event_counts())
        if (kv.first.rfind("reject-", 0) == 0)
            o += "teilhabe_refusals_total{reason=\"" + prom_label(kv.first.substr(7)) + "\"} " + std::to_string(kv.second) + "\n";
    if (latency) {
        o += "# HELP teilhabe_request_duration_seconds Time from a request's head to its answer.\n"
             "# TYPE teilhabe_request_duration_seconds histogram\n";
        uint64_t cum = 0;
        for (size_t i = 0; i < LatencyHistogram::kBounds.size(); i++) {
            cum += latency->buckets[i].load();
            char b[128];
            std::snprintf(b, sizeof b, "teilhabe_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
                          LatencyHistogram::kBounds[i], (unsigned long long)cum);
            o += b;
        }
        cum += latency->buckets[LatencyHistogram::kBounds.size()].load();
        char b[256];
        std::snprintf(b, sizeof b,
                      "teilhabe_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n"
                      "teilhabe_request_duration_seconds_sum %.6f\nteilhabe_request_duration_seconds_count %llu\n",
                      (unsigned long long)cum, (double)latency->sum_us.load() / 1e6, (unsigned long long)latency->count.load());
        o += b;
    }
    return o;
}

} // namespace tk
