// survey_switch.cpp - the staff menu's survey list (.json and LimeSurvey .lss files) and
// switching the running survey (the paused respondent ends as at a timeout).
#include "kiosk_state.h"
#include "lss_import.h"

#include <algorithm>
#include <filesystem>

namespace tk {

bool staff_switch_survey(KioskApp& app, const std::string& path) {
    bool lss = path.size() > 4 && path.compare(path.size() - 4, 4, ".lss") == 0;
    LoadResult lr = lss ? load_lss(path) : load_survey(path);
    if (!lr.ok()) {
        app.survey_message = lr.errors.empty() ? path + ": cannot be loaded" : lr.errors.front().to_string();
        return false;
    }
    // A respondent the staff menu paused ends as a timeout ends (partial response to the vault
    // where the survey allows it), on the old survey, before it goes; staff stay in the menu.
    if (app.session) {
        Screen keep = app.screen;
        end_session_timeout(app, app.idle.last_activity);
        app.screen = keep;
    }
    app.survey = lr.survey;
    app.survey_path = path;
    app.session.reset();
    app.interviewer.clear();
    // Keep the staff's language default only where the new survey has that language.
    auto& langs = app.survey->languages;
    if (std::find(langs.begin(), langs.end(), app.config.defaults.language) == langs.end())
        app.config.defaults.language = app.survey->original_language();
    app.reading = app.config.defaults;
    app.survey_message = "ok: " + app.survey->id + " " + app.survey->version +
                         (lr.warnings.empty() ? "" : " (" + std::to_string(lr.warnings.size()) + " Warnungen)");
    return true;
}

std::vector<std::string> list_survey_files(const std::vector<std::string>& dirs) {
    std::vector<std::string> out;
    for (const auto& d : dirs) {
        std::error_code ec;
        for (const auto& e : std::filesystem::directory_iterator(d, ec)) {
            std::string ext = e.path().extension().string();
            if (e.is_regular_file(ec) && (ext == ".json" || ext == ".lss")) out.push_back(e.path().string());
        }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

} // namespace tk
