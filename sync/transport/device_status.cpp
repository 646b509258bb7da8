// device_status.cpp - see device_status.h.
#include "device_status.h"

#include <nlohmann/json.hpp>

namespace tk {

using json = nlohmann::json;

std::string device_status_json(const DeviceStatus& s) {
    json j;
    auto text = [](const std::string& v) { return v.substr(0, kMaxStatusText); };
    j["program"] = text(s.program);
    j["survey_id"] = text(s.survey_id);
    j["survey_version"] = text(s.survey_version);
    j["survey_hash"] = text(s.survey_hash);
    j["research_key"] = text(s.research_key);
    j["unsynced"] = s.unsynced;
    j["in_memory"] = s.in_memory;
    json a = json::array();
    for (size_t i = 0; i < s.alarms.size() && i < kMaxAlarms; i++) a.push_back(text(s.alarms[i]));
    j["alarms"] = a;
    j["free_disk_mb"] = s.free_disk_mb;
    j["last_sync"] = s.last_sync;
    j["clock"] = s.clock;
    // Invalid UTF-8 in a field is replaced, never a throw: the status must not stop a sync.
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

bool parse_device_status(const std::string& text, DeviceStatus& out, std::string* error) {
    auto fail = [&](const std::string& m) {
        if (error) *error = "device status: " + m;
        return false;
    };
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return fail("not a JSON object");
    DeviceStatus s;
    for (auto it = j.begin(); it != j.end(); ++it) {
        const std::string& k = it.key();
        const json& v = it.value();
        auto str = [&](std::string& dst) {
            if (!v.is_string()) return fail(k + " is not a string");
            dst = v.get<std::string>();
            if (dst.size() > kMaxStatusText) return fail(k + " is longer than " + std::to_string(kMaxStatusText) + " bytes");
            return true;
        };
        auto num = [&](int64_t& dst, int64_t lo) {
            if (!v.is_number_integer()) return fail(k + " is not a whole number");
            dst = v.get<int64_t>();
            if (dst < lo) return fail(k + " is below " + std::to_string(lo));
            return true;
        };
        bool ok = true;
        if (k == "program") ok = str(s.program);
        else if (k == "survey_id") ok = str(s.survey_id);
        else if (k == "survey_version") ok = str(s.survey_version);
        else if (k == "survey_hash") ok = str(s.survey_hash);
        else if (k == "research_key") ok = str(s.research_key);
        else if (k == "unsynced") ok = num(s.unsynced, -1);
        else if (k == "in_memory") ok = num(s.in_memory, -1);
        else if (k == "free_disk_mb") ok = num(s.free_disk_mb, -1);
        else if (k == "last_sync") ok = num(s.last_sync, 0);
        else if (k == "clock") ok = num(s.clock, 0);
        else if (k == "alarms") {
            if (!v.is_array() || v.size() > kMaxAlarms)
                return fail("alarms is not a list of at most " + std::to_string(kMaxAlarms));
            for (const json& a : v) {
                if (!a.is_string() || a.get<std::string>().size() > kMaxStatusText) return fail("an alarm is not a short text");
                s.alarms.push_back(a.get<std::string>());
            }
        }
        // Fields of a newer kiosk are skipped: a server must not refuse a status it half knows.
        if (!ok) return false;
    }
    out = std::move(s);
    return true;
}

std::vector<std::string> status_changes(const DeviceStatus& a, const DeviceStatus& b) {
    std::vector<std::string> out;
    if (a.program != b.program) out.push_back("program");
    if (a.survey_id != b.survey_id || a.survey_version != b.survey_version || a.survey_hash != b.survey_hash)
        out.push_back("survey");
    if (a.research_key != b.research_key) out.push_back("research_key");
    if (a.alarms != b.alarms) out.push_back("alarms");
    return out;
}

} // namespace tk
