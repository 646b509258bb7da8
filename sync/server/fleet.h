// fleet.h - what a coordinator running many kiosks needs to see, from the store's plain metadata.
//
//   FleetOptions        when a device counts as stale (not seen for N days)
//   fleet_status_json   `teilhabe-server status --json`: devices with health flags, counts per
//                       site/channel/day, targets against collected, pairing codes, events
//   fleet_status_text   the same for a terminal (what `status` prints)
//   LatencyHistogram    request times in Prometheus buckets, filled by the API's request log
//   fleet_metrics       the Prometheus text exposition of /metrics
//
// Nothing here reads a sealed record: devices, sequence numbers, site, channel and hour are the
// metadata the server may count by (sync/transport/BUNDLE.md). Device-supplied text (site names,
// event details) is escaped by each output's own rules (JSON, Prometheus label values, log_safe).
#pragma once
#include <array>
#include <atomic>
#include <cstdint>
#include <string>

#include "server_store.h"

namespace tk {

struct FleetOptions {
    int stale_days = 7;     // not seen for this many days: "stale" (also never seen since enrolment)
    size_t events = 20;     // latest events listed
    int64_t now = 0;        // unix seconds; 0 = the clock
};

std::string fleet_status_json(ServerStore& store, const FleetOptions& opt);
std::string fleet_status_text(ServerStore& store, const FleetOptions& opt);

// Whether a device has not been heard of for opt.stale_days (enrolled and never synced counts
// from its enrolment).
bool device_stale(const DeviceInfo& d, const FleetOptions& opt, int64_t now);

struct LatencyHistogram {
    static constexpr std::array<double, 8> kBounds{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5}; // seconds
    std::array<std::atomic<uint64_t>, kBounds.size() + 1> buckets{}; // the last: above every bound
    std::atomic<uint64_t> count{0};
    std::atomic<uint64_t> sum_us{0};
    void add(double seconds);
};

// Prometheus text format 0.0.4. `latency` may be null (no request timing at hand).
std::string fleet_metrics(ServerStore& store, const FleetOptions& opt, const LatencyHistogram* latency);

} // namespace tk
