// kiosk_state.cpp - setting the kiosk up: the staff settings (DIR/kiosk-settings.json) read
// and written, and the two text look-ups every screen uses. No ImGui in here (see
// kiosk_state.h). The other actions live beside it:
//   answers.cpp        choices, choosing, typing into fields, the review summary
//   respondent_path.cpp welcome -> language -> questions -> review -> thank-you; speech text
//   idle.cpp           the inactivity warning, timers, the end of a session
//   staff_pin.cpp      the staff entrance: corner taps, PIN check and back-off, PIN change
//   survey_switch.cpp  the staff menu's survey list and switching
#include "kiosk_state.h"
#include "version.h"
#include "state_helpers.h"

#include <sodium.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace tk {

namespace {

std::string read_file(const std::string& path, bool* ok) {
    std::ifstream in(path, std::ios::binary);
    *ok = static_cast<bool>(in);
    if (!in) return {};
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

} // namespace

const std::string& kiosk_text(const KioskApp& app, const std::string& key) {
    return ui_text(app.texts, app.reading.language, key);
}

DeviceStatus kiosk_device_status(const KioskApp& app) {
    DeviceStatus s;
    s.program = std::string("teilhabe-kiosk ") + TK_VERSION;
    if (app.survey) {
        s.survey_id = app.survey->id;
        s.survey_version = app.survey->version;
        s.survey_hash = app.survey->hash;
    }
    return s;
}

std::string survey_text(const KioskApp& app, const LocalText& t, const Question* self) {
    const std::string& orig = app.survey ? app.survey->original_language() : app.reading.language;
    const std::string& raw = t.get(app.reading.language, orig);
    if (!may_pipe(raw)) return raw;
    if (app.session) return app.session->piped(raw, self);
    if (app.survey) return render_piped(app.survey->piped_text(raw), [](const std::string&, const std::string&) {
        return ExprValue::of_string("");
    });
    return raw;
}

void kiosk_init(KioskApp& app, std::shared_ptr<const Survey> survey, UiTexts texts,
                const std::string& data_dir, double now) {
    if (sodium_init() < 0) std::fprintf(stderr, "teilhabe-kiosk: libsodium failed to initialise\n");
    app.survey = std::move(survey);
    app.texts = std::move(texts);
    app.data_dir = data_dir;
    app.pin.path = data_dir + "/staff-pin";
    app.pin.attempts_path = data_dir + "/staff-pin-attempts";
    if (!app.wall_clock) app.wall_clock = [] { return static_cast<int64_t>(std::time(nullptr)); };

    bool ok = false;
    std::string cfg = read_file(data_dir + "/kiosk-settings.json", &ok);
    if (ok) {
        try {
            auto j = nlohmann::json::parse(cfg);
            auto& d = app.config.defaults;
            d.text_scale = j.value("text_scale", 100);
            if (!valid_scale(d.text_scale)) d.text_scale = 100;
            d.theme = j.value("theme", std::string("standard")) == "high_contrast" ? ThemeId::HighContrast
                                                                                   : ThemeId::Standard;
            d.easy_font = j.value("easy_font", false);
            d.read_aloud_auto = j.value("read_aloud_auto", false);
            d.language = j.value("language", std::string("de"));
            app.config.idle_seconds = std::clamp(j.value("idle_seconds", 90), 30, 1800);
            app.config.warn_seconds = std::clamp(j.value("warn_seconds", 30), 30, 300);
            app.config.site = j.value("site", std::string());
            app.config.event = j.value("event", std::string());
            app.config.enrolled_site = j.value("enrolled_site", std::string());
            app.config.recent_sites = j.value("recent_sites", std::vector<std::string>());
            app.config.recent_events = j.value("recent_events", std::vector<std::string>());
        } catch (const std::exception& e) {
            // A damaged settings file must not stop the kiosk: defaults apply, staff see why.
            std::fprintf(stderr, "teilhabe-kiosk: %s/kiosk-settings.json: %s (using defaults)\n",
                         data_dir.c_str(), e.what());
        }
    }
    if (app.survey) {
        const auto& langs = app.survey->languages;
        if (std::find(langs.begin(), langs.end(), app.config.defaults.language) == langs.end())
            app.config.defaults.language = app.survey->original_language();
    }
    app.reading = app.config.defaults;
    adopt_enrolled_site(app);
    app.idle.last_activity = now;
    load_pin_attempts(app, now);
}

StaffInfo staff_info_of(const VaultStatus& s) {
    StaffInfo i;
    i.records = s.records;
    i.unsynced = s.unsynced;
    i.pending_in_memory = s.pending_in_memory;
    i.last_sync = s.last_sync;
    i.alarms = s.alarms;
    i.demo_key = s.demo_key;
    i.research_key = s.research_key_fingerprint;
    return i;
}

bool save_config(const KioskApp& app, std::string* error) {
    const auto& d = app.config.defaults;
    nlohmann::json j = {
        {"text_scale", d.text_scale},
        {"theme", d.theme == ThemeId::HighContrast ? "high_contrast" : "standard"},
        {"easy_font", d.easy_font},
        {"read_aloud_auto", d.read_aloud_auto},
        {"language", d.language},
        {"idle_seconds", app.config.idle_seconds},
        {"warn_seconds", app.config.warn_seconds},
        {"site", app.config.site},
        {"event", app.config.event},
        {"enrolled_site", app.config.enrolled_site},
        {"recent_sites", app.config.recent_sites},
        {"recent_events", app.config.recent_events},
    };
    return write_private(app.data_dir + "/kiosk-settings.json", j.dump(2) + "\n", error);
}

} // namespace tk
