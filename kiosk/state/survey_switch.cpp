// survey_switch.cpp - the staff menu's survey list (.json and LimeSurvey .lss files, by id and
// version, each survey once) and switching the running survey (the paused respondent ends as
// at a timeout); the survey a restart comes back to.
#include "kiosk_state.h"
#include "lss_import.h"

#include <algorithm>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "files.h"

namespace tk {

static bool is_lss(const std::string& path) {
    return path.size() > 4 && path.compare(path.size() - 4, 4, ".lss") == 0;
}

static LoadResult load_any(const std::string& path) { return is_lss(path) ? load_lss(path) : load_survey(path); }

bool staff_switch_survey(KioskApp& app, const std::string& path) {
    LoadResult lr = load_any(path);
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
    std::string err;
    if (!app.data_dir.empty() && !remember_active_survey(app, &err))
        app.survey_message += " - nach einem Neustart wieder die alte Umfrage: " + err;
    return true;
}

std::vector<SurveyFile> list_survey_files(const std::vector<std::string>& dirs) {
    std::vector<std::string> paths;
    for (const auto& d : dirs) {
        std::error_code ec;
        std::vector<std::string> here;
        for (const auto& e : std::filesystem::directory_iterator(d, ec)) {
            std::string ext = e.path().extension().string();
            if (e.is_regular_file(ec) && (ext == ".json" || ext == ".lss")) here.push_back(e.path().string());
        }
        std::sort(here.begin(), here.end()); // first found = first folder, then by name
        paths.insert(paths.end(), here.begin(), here.end());
    }
    std::vector<SurveyFile> out;
    for (const std::string& path : paths) {
        if (std::any_of(out.begin(), out.end(), [&](const SurveyFile& f) { return f.path == path; })) continue;
        SurveyFile f;
        f.path = path;
        LoadResult lr = load_any(path);
        if (!lr.ok()) {
            f.error = lr.errors.empty() ? "cannot be loaded" : lr.errors.front().message;
        } else {
            f.id = lr.survey->id;
            f.version = lr.survey->version;
            f.hash = lr.survey->hash;
            f.title = lr.survey->title;
            // A copy of a survey already listed (an update also kept in the shipped folder,
            // a file under two names) would be a second row that does the same.
            if (std::any_of(out.begin(), out.end(), [&](const SurveyFile& o) { return o.hash == f.hash; })) continue;
        }
        out.push_back(std::move(f));
    }
    std::stable_sort(out.begin(), out.end(), [](const SurveyFile& a, const SurveyFile& b) {
        if (a.error.empty() != b.error.empty()) return a.error.empty(); // loadable ones first
        if (a.id != b.id) return a.id < b.id;
        return a.version < b.version;
    });
    return out;
}

std::string survey_file_label(const std::vector<SurveyFile>& all, const SurveyFile& f) {
    std::string name = f.path.substr(f.path.find_last_of('/') + 1);
    if (!f.error.empty()) return name;
    std::string label = f.id + " " + f.version;
    int same = 0;
    for (const SurveyFile& o : all) same += o.id == f.id && o.version == f.version;
    if (same > 1) {
        size_t colon = f.hash.find(':');
        label += " (" + f.hash.substr(colon == std::string::npos ? 0 : colon + 1, 8) + ")";
    }
    return label;
}

bool remember_active_survey(const KioskApp& app, std::string* error) {
    if (!app.survey) return false;
    std::error_code ec;
    std::string path = std::filesystem::absolute(app.survey_path, ec).lexically_normal().string();
    if (ec) path = app.survey_path;
    nlohmann::json j = {{"path", path}, {"hash", app.survey->hash}, {"given_hash", app.given_survey_hash}};
    return write_file_atomic(app.data_dir + "/active-survey.json", j.dump() + "\n", 0600, true, error);
}

StartSurvey choose_start_survey(const std::string& data_dir, const std::string& given_path) {
    StartSurvey st;
    st.survey = load_any(given_path);
    st.path = given_path;
    if (!st.survey.ok()) return st;
    st.given_hash = st.survey.survey->hash;
    std::string text, err;
    const std::string memo = data_dir + "/active-survey.json";
    if (!read_file_at_most(memo, kKeyFileMax, text, &err)) return st; // nothing remembered
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.value("path", nlohmann::json()).is_string() ||
        !j.value("hash", nlohmann::json()).is_string() || !j.value("given_hash", nlohmann::json()).is_string()) {
        st.note = memo + ": not readable, starting with " + given_path;
        return st;
    }
    std::string path = j["path"], hash = j["hash"], given = j["given_hash"];
    if (given != st.given_hash) {
        st.note = given_path + " changed since the survey was last switched: starting with it";
        return st;
    }
    if (hash == st.given_hash) return st; // the remembered survey is the given one
    LoadResult remembered = load_any(path);
    if (!remembered.ok() || remembered.survey->hash != hash) {
        st.note = path + ": the survey chosen last is gone or changed, starting with " + given_path;
        return st;
    }
    st.survey = std::move(remembered);
    st.path = path;
    st.note = "the survey chosen last: " + st.survey.survey->id + " " + st.survey.survey->version + " (" + path + ")";
    return st;
}

} // namespace tk
