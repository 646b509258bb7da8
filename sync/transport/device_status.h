// device_status.h - what a kiosk says about itself with every bundle (network and USB stick).
//
//   DeviceStatus          program and survey in use, research key, unsynced and unsaved
//                         answers, alarms, free disk, last successful sync, the device's clock
//   device_status_json    the JSON the bundle carries (signed with it, bundle.h version 4)
//   parse_device_status   the server's strict reader: an object of known fields, each of its
//                         type and length; anything else is refused with a reason
//   status_changes        which fields worth a history row differ between two statuses
//
// It holds no answer and nothing about a respondent: counts, versions and the machine's state,
// which the coordinator's fleet view needs and the server may keep in plain.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace tk {

inline constexpr size_t kMaxAlarms = 16;
inline constexpr size_t kMaxStatusText = 200; // bytes of each text field

struct DeviceStatus {
    std::string program;                  // "teilhabe-kiosk 0.1.0"
    std::string survey_id, survey_version, survey_hash; // the survey the kiosk runs ("" = none)
    std::string research_key;             // fingerprint the vault seals to
    int64_t unsynced = -1;                // records without a receipt (-1 = not known)
    int64_t in_memory = -1;               // answers held in memory only (the vault could not take them)
    std::vector<std::string> alarms;      // "disk-full", "read-only", "demo-key", ... (at most kMaxAlarms)
    int64_t free_disk_mb = -1;            // on the vault's file system
    int64_t last_sync = 0;                // unix seconds of the last receipt taken (0 = never)
    int64_t clock = 0;                    // the device's clock when the bundle was made
};

std::string device_status_json(const DeviceStatus& s);
bool parse_device_status(const std::string& json, DeviceStatus& out, std::string* error);
// Names of the fields that differ among program, survey, research key and alarms (counts and
// clocks change with every sync and make no history).
std::vector<std::string> status_changes(const DeviceStatus& before, const DeviceStatus& after);

} // namespace tk
