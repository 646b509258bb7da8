// kiosk_state.cpp - the kiosk's actions. No ImGui in here (see kiosk_state.h).
#include "kiosk_state.h"
#include "files.h"
#include "lss_import.h"

#include <sodium.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <filesystem>
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

// Settings, the PIN hash and the wrong-PIN counter: temp file, fsync, rename, fsync of the
// folder (write_file_atomic), so a power cut leaves the old file or the new one, never an
// empty or half-written one.
bool write_private(const std::string& path, const std::string& data, std::string* error) {
    return write_file_atomic(path, data, 0600, true, error);
}

bool valid_scale(int s) {
    for (int v : kTextScales)
        if (v == s) return true;
    return false;
}

void clear_page(KioskApp& app) {
    app.page = PageUi{};
}

bool on_respondent_screen(Screen s) {
    return s == Screen::Language || s == Screen::Question || s == Screen::Review;
}

// Wipes a string's bytes before releasing it (PIN digits, typed texts).
void wipe(std::string& s) {
    if (!s.empty()) sodium_memzero(s.data(), s.size());
    s.clear();
    s.shrink_to_fit();
}

void wipe_page(KioskApp& app) {
    for (auto& [k, v] : app.page.drafts) wipe(v);
    clear_page(app);
}

} // namespace

const std::string& kiosk_text(const KioskApp& app, const std::string& key) {
    return ui_text(app.texts, app.reading.language, key);
}

const std::string& survey_text(const KioskApp& app, const LocalText& t) {
    const std::string& orig = app.survey ? app.survey->original_language() : app.reading.language;
    return t.get(app.reading.language, orig);
}

// --- set-up -------------------------------------------------------------------------------

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
    app.idle.last_activity = now;
    load_pin_attempts(app, now);
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
        {"recent_sites", app.config.recent_sites},
        {"recent_events", app.config.recent_events},
    };
    return write_private(app.data_dir + "/kiosk-settings.json", j.dump(2) + "\n", error);
}

// --- choices ------------------------------------------------------------------------------

bool offers_no_answer(const KioskApp& app, const Question& q) {
    if (!app.survey || !app.survey->settings.no_answer_option || q.mandatory) return false;
    switch (q.type) {
    case QuestionType::SingleChoice:
    case QuestionType::MultipleChoice:
    case QuestionType::YesNo:
    case QuestionType::Rating: return true;
    default: return false;
    }
}

std::vector<Choice> page_choices(const KioskApp& app, const Question& q) {
    std::vector<Choice> out;
    switch (q.type) {
    case QuestionType::SingleChoice:
    case QuestionType::MultipleChoice:
    case QuestionType::Ranking:
        for (const auto& o : q.options) out.push_back({o.code, survey_text(app, o.text)});
        if (q.other && q.type != QuestionType::Ranking)
            out.push_back({kOtherCode, q.other_label.empty() ? kiosk_text(app, "other") : survey_text(app, q.other_label)});
        break;
    case QuestionType::YesNo:
        out.push_back({"Y", kiosk_text(app, "yes")});
        out.push_back({"N", kiosk_text(app, "no")});
        break;
    case QuestionType::Rating: {
        // The loader may generate the options; fall back to the scale bounds if not.
        std::vector<std::string> codes;
        if (!q.options.empty())
            for (const auto& o : q.options) codes.push_back(o.code);
        else
            for (int v = q.scale_min; v <= q.scale_max; ++v) codes.push_back(std::to_string(v));
        for (size_t i = 0; i < codes.size(); ++i) {
            std::string label = codes[i];
            if (i == 0 && !q.min_label.empty()) label += " – " + survey_text(app, q.min_label);
            if (i + 1 == codes.size() && !q.max_label.empty()) label += " – " + survey_text(app, q.max_label);
            out.push_back({codes[i], label});
        }
        break;
    }
    default: break;
    }
    if (offers_no_answer(app, q)) out.push_back({kNoAnswerCode, kiosk_text(app, "no_answer")});
    return out;
}

// --- choosing and typing -------------------------------------------------------------------

static Answer current_answer(const KioskApp& app, const std::string& code) {
    const Answer* a = app.session ? app.session->answer(code) : nullptr;
    return a ? *a : Answer{};
}

static bool contains_str(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

bool is_chosen(const KioskApp& app, const Question& q, const std::string& code) {
    const Answer* a = app.session ? app.session->answer(q.code) : nullptr;
    if (code == kOtherCode && q.type == QuestionType::MultipleChoice) {
        auto it = app.page.drafts.find(q.code + "|other_open");
        if (it != app.page.drafts.end()) return it->second == "1";
        return a && !a->other.empty();
    }
    if (!a) return false;
    if (code == kNoAnswerCode) return a->no_answer;
    switch (q.type) {
    case QuestionType::MultipleChoice:
    case QuestionType::Ranking: return contains_str(a->values, code);
    default: return a->value == code;
    }
}

// The kiosk refuses one choice too many itself, before the session sees it; the person is
// told the limit through `bound`, as for the session's own problems.
static AnswerProblem too_many(int limit) {
    AnswerProblem p;
    p.kind = AnswerProblem::TooMany;
    p.detail = p.bound = std::to_string(limit);
    return p;
}

void choose(KioskApp& app, const std::string& code) {
    if (!app.session || !app.session->current()) return;
    const Question& q = *app.session->current();
    Answer a = current_answer(app, q.code);
    app.page.problem = {};
    if (code == kNoAnswerCode) {
        Answer na;
        na.no_answer = !a.no_answer;
        app.page.drafts.erase(q.code + "|other_open");
        answer(app, q.code, na);
        return;
    }
    a.no_answer = false;
    switch (q.type) {
    case QuestionType::SingleChoice:
        a.value = code;
        a.other = code == kOtherCode ? field_text(app, q.code + "|other") : "";
        break;
    case QuestionType::YesNo:
    case QuestionType::Rating:
        a.value = code;
        break;
    case QuestionType::MultipleChoice: {
        int count = static_cast<int>(a.values.size()) + (a.other.empty() ? 0 : 1);
        if (code == kOtherCode) {
            bool open = !is_chosen(app, q, kOtherCode);
            if (open && q.max_answers > 0 && count >= q.max_answers) {
                app.page.problem = too_many(q.max_answers);
                return;
            }
            app.page.drafts[q.code + "|other_open"] = open ? "1" : "0";
            a.other = open ? field_text(app, q.code + "|other") : "";
        } else if (contains_str(a.values, code)) {
            a.values.erase(std::find(a.values.begin(), a.values.end(), code));
        } else {
            const Option* o = q.find_option(code);
            if (!o) return;
            // An exclusive choice replaces the others, so it never exceeds the limit.
            if (!o->exclusive && q.max_answers > 0 && count >= q.max_answers) {
                app.page.problem = too_many(q.max_answers);
                return;
            }
            a.values.push_back(code);
            if (o->exclusive) app.page.drafts[q.code + "|other_open"] = "0";
        }
        break;
    }
    case QuestionType::Ranking:
        if (contains_str(a.values, code)) {
            a.values.erase(std::find(a.values.begin(), a.values.end(), code));
        } else {
            int limit = q.max_answers > 0 ? q.max_answers : static_cast<int>(q.options.size());
            if (static_cast<int>(a.values.size()) >= limit) {
                app.page.problem = too_many(limit);
                return;
            }
            a.values.push_back(code);
        }
        break;
    default: return;
    }
    answer(app, q.code, a);
    // An exclusive option may have cleared "other": keep the open flag in step with the answer.
    if (q.type == QuestionType::MultipleChoice && code != kOtherCode) {
        const Answer* now = app.session->answer(q.code);
        if (!now || now->other.empty()) {
            auto it = app.page.drafts.find(q.code + "|other_open");
            if (it != app.page.drafts.end() && it->second == "1" && now && !now->values.empty() &&
                q.find_option(now->values.front()) && q.find_option(now->values.front())->exclusive)
                it->second = "0";
        }
    }
}

std::vector<std::string> matrix_slots(const KioskApp& app, const Question& q) {
    std::vector<std::string> out;
    if (q.type != QuestionType::Matrix || q.cell != MatrixCell::Choice || !app.session) return out;
    for (const Row& r : q.rows) {
        if (!app.session->is_row_visible(q, r)) continue;
        out.push_back(r.code);
        if (!q.options2.empty()) out.push_back(r.code + "#1");
    }
    return out;
}

void choose_cell(KioskApp& app, const Question& q, const std::string& key, const std::string& option, bool toggle) {
    Answer a = current_answer(app, q.code);
    a.no_answer = false;
    auto it = a.cells.find(key);
    if (toggle && it != a.cells.end() && it->second == option) a.cells.erase(it);
    else a.cells[key] = option;
    answer(app, q.code, a);
    // Number keys continue with the next row.
    auto slots = matrix_slots(app, q);
    for (size_t i = 0; i < slots.size(); ++i)
        if (slots[i] == key) app.page.matrix_row = static_cast<int>(std::min(i + 1, slots.size() - 1));
}

void rank_move(KioskApp& app, const Question& q, int index, int delta) {
    Answer a = current_answer(app, q.code);
    int j = index + delta;
    if (index < 0 || j < 0 || index >= static_cast<int>(a.values.size()) || j >= static_cast<int>(a.values.size()))
        return;
    std::swap(a.values[index], a.values[j]);
    if (q.type == QuestionType::RankedList) {
        // The typed drafts follow their entries.
        auto& d = app.page.drafts;
        std::string ki = q.code + "|rank|" + std::to_string(index), kj = q.code + "|rank|" + std::to_string(j);
        std::string vi = d.count(ki) ? d[ki] : a.values[j], vj = d.count(kj) ? d[kj] : a.values[index];
        d[ki] = vj;
        d[kj] = vi;
    }
    answer(app, q.code, a);
}

static std::vector<std::string> split_field(const std::string& field) {
    std::vector<std::string> parts;
    size_t start = 0;
    for (;;) {
        size_t bar = field.find('|', start);
        parts.push_back(field.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
        if (bar == std::string::npos) break;
        start = bar + 1;
    }
    return parts;
}

std::string field_text(const KioskApp& app, const std::string& field) {
    auto d = app.page.drafts.find(field);
    if (d != app.page.drafts.end()) return d->second;
    auto parts = split_field(field);
    if (parts.size() < 2 || !app.session) return {};
    const Answer* a = app.session->answer(parts[0]);
    if (!a) return {};
    const std::string& what = parts[1];
    if (what == "value") return a->value;
    if (what == "other") return a->other;
    if (what == "comment") return a->comment;
    if (what == "cell" && parts.size() >= 3) {
        auto it = a->cells.find(parts[2]);
        return it == a->cells.end() ? "" : it->second;
    }
    if (what == "rank" && parts.size() >= 3) {
        size_t i = static_cast<size_t>(std::atoi(parts[2].c_str()));
        return i < a->values.size() ? a->values[i] : "";
    }
    if (what == "date" && parts.size() >= 3 && a->value.size() == 10) {
        if (parts[2] == "y") return a->value.substr(0, 4);
        if (parts[2] == "m") return a->value.substr(5, 2);
        if (parts[2] == "d") return a->value.substr(8, 2);
    }
    return {};
}

void edit_field(KioskApp& app, const std::string& field, const std::string& text) {
    auto parts = split_field(field);
    if (parts.size() < 2 || !app.session) return;
    const Question* q = app.survey->find_question(parts[0]);
    if (!q) return;
    // Read the other fields' texts before the new draft changes what they fall back to.
    Answer a = current_answer(app, q->code);
    a.no_answer = false;
    const std::string& what = parts[1];
    if (what == "date") {
        std::string y = field_text(app, q->code + "|date|y"), m = field_text(app, q->code + "|date|m"),
                    d = field_text(app, q->code + "|date|d");
        if (parts.size() >= 3) {
            if (parts[2] == "y") y = text;
            if (parts[2] == "m") m = text;
            if (parts[2] == "d") d = text;
        }
        app.page.drafts[q->code + "|date|y"] = y;
        app.page.drafts[q->code + "|date|m"] = m;
        app.page.drafts[q->code + "|date|d"] = d;
        auto pad2 = [](std::string s) { return s.size() == 1 ? "0" + s : s; };
        if (y.empty() && m.empty() && d.empty()) a.value.clear();
        else a.value = y + "-" + pad2(m) + "-" + pad2(d); // incomplete dates fail the check on "Weiter"
        answer(app, q->code, a);
        return;
    }
    if (what == "rank" && parts.size() >= 3) {
        int n = std::max(q->max_answers, 1);
        std::vector<std::string> texts;
        for (int i = 0; i < n; ++i) {
            std::string key = q->code + "|rank|" + std::to_string(i);
            texts.push_back(key == field ? text : field_text(app, key));
        }
        for (int i = 0; i < n; ++i) app.page.drafts[q->code + "|rank|" + std::to_string(i)] = texts[i];
        a.values = texts; // the session closes gaps
        answer(app, q->code, a);
        return;
    }
    app.page.drafts[field] = text;
    if (what == "value") a.value = text;
    else if (what == "comment") a.comment = text;
    else if (what == "other") {
        if (q->type == QuestionType::SingleChoice) {
            a.value = kOtherCode; // typing the other text chooses "other"
            a.other = text;
        } else {
            app.page.drafts[q->code + "|other_open"] = "1";
            a.other = text;
        }
    } else if (what == "cell" && parts.size() >= 3) {
        if (text.empty()) a.cells.erase(parts[2]);
        else a.cells[parts[2]] = text;
    }
    answer(app, q->code, a);
}

std::string answer_summary(const KioskApp& app, const Question& q) {
    const Answer* a = app.session ? app.session->answer(q.code) : nullptr;
    if (!a) return {};
    if (a->no_answer) return kiosk_text(app, "no_answer");
    auto label = [&](const std::string& code) -> std::string {
        if (code == kOtherCode) return (q.other_label.empty() ? kiosk_text(app, "other") : survey_text(app, q.other_label)) + " " + a->other;
        for (const auto& c : page_choices(app, q))
            if (c.code == code) return c.label;
        return code;
    };
    std::string s;
    auto add = [&s](const std::string& t, const char* sep) {
        if (t.empty()) return;
        if (!s.empty()) s += sep;
        s += t;
    };
    switch (q.type) {
    case QuestionType::SingleChoice:
    case QuestionType::YesNo:
    case QuestionType::Rating: add(label(a->value), ""); break;
    case QuestionType::MultipleChoice:
        for (const auto& v : a->values) add(label(v), "; ");
        if (!a->other.empty()) add(label(kOtherCode), "; ");
        break;
    case QuestionType::Ranking: {
        int n = 1;
        for (const auto& v : a->values) add(std::to_string(n++) + ". " + label(v), "; ");
        break;
    }
    case QuestionType::RankedList: {
        int n = 1;
        for (const auto& v : a->values) add(std::to_string(n++) + ". " + v, "; ");
        break;
    }
    case QuestionType::Matrix:
    case QuestionType::MultiText:
    case QuestionType::MultiNumeric:
        for (const Row& r : q.rows) {
            for (const auto& [key, v] : a->cells) {
                if (key != r.code && key != r.code + "#1" && key.rfind(r.code + "_", 0) != 0) continue;
                std::string val = v;
                if (q.type == QuestionType::Matrix && q.cell == MatrixCell::Choice) {
                    const Option* o = key == r.code ? q.find_option(v) : q.find_option2(v);
                    if (o) val = survey_text(app, o->text);
                }
                add(survey_text(app, r.text) + ": " + val, "; ");
            }
        }
        break;
    default: add(a->value, ""); break;
    }
    if (!a->comment.empty()) add("(" + a->comment + ")", " ");
    return s;
}

// --- respondent path ----------------------------------------------------------------------

void note_activity(KioskApp& app, double now) {
    app.idle.last_activity = now;
    if (app.idle.warning) more_time(app, now);
}

void start_survey(KioskApp& app, double now) {
    if (!app.survey) return;
    reset_to_welcome(app);
    app.session = std::make_unique<Session>(app.survey, app.reading.language, app.wall_clock());
    app.screen = Screen::Language;
    app.idle.last_activity = now;
    app.speak_stop = true;
}

void choose_language(KioskApp& app, const std::string& lang) {
    app.reading.language = lang;
    if (app.session) app.session->set_language(lang);
}

void set_text_scale(KioskApp& app, int percent) {
    if (valid_scale(percent)) app.reading.text_scale = percent;
}

void begin_questions(KioskApp& app) {
    if (!app.session) return;
    clear_page(app);
    app.screen = app.session->at_review() ? Screen::Review : Screen::Question;
    app.speak_stop = true;
}

AnswerProblem answer(KioskApp& app, const std::string& code, const Answer& a) {
    if (!app.session) return {};
    AnswerProblem p = app.session->set_answer(code, a);
    app.page.problem = p;
    return p;
}

void set_draft(KioskApp& app, const std::string& field, const std::string& text) {
    app.page.drafts[field] = text;
}

bool next(KioskApp& app) {
    if (!app.session) return false;
    if (app.screen == Screen::Language) {
        begin_questions(app);
        return true;
    }
    if (app.screen != Screen::Question) return false;
    // A field whose text was not accepted (e.g. "zwölf" in a number field) must not be
    // skipped silently: the person sees why and decides (fix it or empty it).
    for (const auto& [field, prob] : app.page.draft_problems) {
        if (!prob.ok()) {
            app.page.problem = prob;
            return false;
        }
    }
    AnswerProblem p = app.session->next();
    if (!p.ok()) {
        app.page.problem = p;
        return false;
    }
    wipe_page(app);
    app.speak_stop = true;
    if (app.session->at_review()) app.screen = Screen::Review;
    return true;
}

bool back(KioskApp& app) {
    if (!app.session) return false;
    switch (app.screen) {
    case Screen::Language:
        return false; // the welcome page is not a step back: leaving means ending
    case Screen::Question:
        wipe_page(app);
        app.speak_stop = true;
        if (!app.session->back()) {
            app.screen = Screen::Language;
        }
        return true;
    case Screen::Review:
        wipe_page(app);
        app.speak_stop = true;
        if (app.session->back()) app.screen = Screen::Question;
        else app.screen = Screen::Language;
        return true;
    default: return false;
    }
}

bool change(KioskApp& app, const std::string& code) {
    if (!app.session || !app.session->go_to(code)) return false;
    wipe_page(app);
    app.screen = Screen::Question;
    app.speak_stop = true;
    return true;
}

void submit(KioskApp& app, double now) {
    if (!app.session || app.screen != Screen::Review) return;
    Response r = finish_session(app, true);
    SubmitResult res = app.submit_fn ? app.submit_fn(r) : SubmitResult{false, "no vault"};
    reset_to_welcome(app);
    if (res.durable) {
        ++app.submitted;
        app.screen = Screen::ThankYou;
        app.thanks_until = now + 20;
    } else {
        app.save_error = res.error;
        app.screen = Screen::SaveFailed;
    }
    app.idle.last_activity = now;
}

std::string page_speech_text(const KioskApp& app) {
    std::string s;
    auto add = [&s](const std::string& t) {
        if (t.empty()) return;
        if (!s.empty()) s += "\n";
        s += t;
    };
    switch (app.screen) {
    case Screen::Welcome: add(kiosk_text(app, "welcome_tap")); break;
    case Screen::Language: add(kiosk_text(app, "language_title")); add(kiosk_text(app, "language_hint")); break;
    case Screen::Question: {
        const Question* q = app.session ? app.session->current() : nullptr;
        if (!q) break;
        auto vis = app.session->visible_questions();
        int pos = 1;
        for (size_t i = 0; i < vis.size(); ++i)
            if (vis[i] == q) pos = static_cast<int>(i) + 1;
        add(fill(kiosk_text(app, "question_of"), {{"n", std::to_string(pos)}, {"m", std::to_string(vis.size())}}));
        add(survey_text(app, q->text));
        add(survey_text(app, q->help));
        int n = 1;
        for (const auto& c : page_choices(app, *q))
            add(fill(kiosk_text(app, "speak_option"), {{"n", std::to_string(n++)}, {"text", c.label}}));
        if (q->type == QuestionType::Matrix)
            for (const auto& r : q->rows)
                if (app.session->is_row_visible(*q, r)) add(survey_text(app, r.text));
        if (!app.page.problem.ok()) add(kiosk_text(app, "problem_spoken"));
        break;
    }
    case Screen::Review: add(kiosk_text(app, "review_title")); add(kiosk_text(app, "review_hint")); break;
    case Screen::ThankYou: add(kiosk_text(app, "thanks_title")); add(kiosk_text(app, "thanks_body")); break;
    case Screen::SaveFailed: add(kiosk_text(app, "save_failed")); break;
    case Screen::StaffPin:   // masked entry is never spoken (EN 301 549 5.1.3.8)
    case Screen::StaffMenu: break;
    }
    if (app.idle.warning) add(kiosk_text(app, "idle_title"));
    return s;
}

void request_speech(KioskApp& app) {
    app.speak_stop = true;
    app.speak_request = page_speech_text(app);
}

// --- inactivity ---------------------------------------------------------------------------

void more_time(KioskApp& app, double now) {
    app.idle.warning = false;
    app.idle.warning_until = 0;
    app.idle.last_activity = now;
    ++app.idle.extensions;
}

double seconds_to_next_timer(const KioskApp& app, double now) {
    if (field_print_running(app)) return 0.2; // idle_tick collects the finished print job
    if (app.screen == Screen::Welcome) return 1e9;
    if (app.idle.warning) return std::max(0.0, std::min(1.0, app.idle.warning_until - now));
    if (app.screen == Screen::ThankYou) return std::max(0.0, app.thanks_until - now);
    if (app.screen == Screen::StaffPin && app.pin.locked_until > now)
        return std::min(1.0, app.pin.locked_until - now);
    return std::max(0.0, app.idle.last_activity + app.config.idle_seconds - now);
}

void idle_tick(KioskApp& app, double now) {
    field_print_poll(app);
    if (app.screen == Screen::Welcome) return;
    if (app.screen == Screen::ThankYou || app.screen == Screen::SaveFailed) {
        if (app.screen == Screen::ThankYou && now >= app.thanks_until) reset_to_welcome(app);
        if (app.screen == Screen::SaveFailed && now - app.idle.last_activity >= app.config.idle_seconds)
            reset_to_welcome(app);
        return;
    }
    if (app.screen == Screen::StaffPin || app.screen == Screen::StaffMenu) {
        // Staff who walk away must not leave the menu open for the next citizen.
        if (now - app.idle.last_activity >= app.config.idle_seconds) {
            leave_staff(app);
            end_session_timeout(app, now);
        }
        return;
    }
    if (!on_respondent_screen(app.screen)) return;
    if (!app.idle.warning) {
        if (now - app.idle.last_activity >= app.config.idle_seconds) {
            app.idle.warning = true;
            app.idle.warning_until = now + std::max(30, app.config.warn_seconds);
            app.speak_stop = true;
            if (app.reading.read_aloud_auto) app.speak_request = kiosk_text(app, "idle_title") + "\n" + kiosk_text(app, "more_time");
        }
        return;
    }
    if (now >= app.idle.warning_until) end_session_timeout(app, now);
}

void end_session_timeout(KioskApp& app, double now) {
    if (app.session && app.survey && app.survey->settings.partial_responses) {
        Response r = finish_session(app, false);
        if (!r.answers.empty()) {
            SubmitResult res = app.submit_fn ? app.submit_fn(r) : SubmitResult{false, "no vault"};
            if (res.durable) ++app.partials;
            else app.save_error = res.error; // the vault keeps it pending and raises an alarm
        }
    }
    reset_to_welcome(app);
    app.idle.last_activity = now;
}

void reset_to_welcome(KioskApp& app) {
    app.session.reset();
    app.interviewer.clear(); // an assisted interview is one session
    wipe_page(app);
    wipe(app.pin.entry);
    wipe(app.pin.new_pin);
    wipe(app.pin.new_pin2);
    app.pin.change_open = app.pin.change_repeat = false;
    app.pin.message_key.clear();
    app.reading = app.config.defaults;
    app.idle.warning = false;
    app.idle.warning_until = 0;
    app.idle.extensions = 0;
    app.speak_request.clear();
    app.speak_stop = true;
    app.screen = Screen::Welcome;
    ++app.generation;
}

// --- staff --------------------------------------------------------------------------------

std::string hash_pin(const std::string& pin) {
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, pin.data(), pin.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return {};
    return out;
}

bool verify_pin(const std::string& hash, const std::string& pin) {
    if (hash.empty()) return false;
    return crypto_pwhash_str_verify(hash.c_str(), pin.data(), pin.size()) == 0;
}

double staff_lock_seconds(int failures) {
    if (failures <= kFreePinFailures) return 0; // two typos are free
    double s = 5.0 * std::pow(2.0, std::min(failures, 60) - kFreePinFailures - 1);
    return std::min(s, 900.0);
}

bool staff_corner_tap(KioskApp& app, double now) {
    auto& taps = app.pin.corner_taps;
    taps.push_back(now);
    taps.erase(std::remove_if(taps.begin(), taps.end(),
                              [now](double t) { return now - t > kCornerTapWindow; }),
               taps.end());
    if (static_cast<int>(taps.size()) >= kCornerTaps) {
        taps.clear();
        open_staff_pin(app);
        return true;
    }
    return false;
}

void open_staff_pin(KioskApp& app) {
    if (app.screen == Screen::StaffPin || app.screen == Screen::StaffMenu) return;
    app.pin.return_to = app.screen;
    wipe(app.pin.entry);
    app.pin.message_key.clear();
    std::string hash;
    if (read_staff_pin(app.pin.path, hash, nullptr) == PinFile::Damaged) app.pin.message_key = "pin_file_damaged";
    wipe(hash);
    app.screen = Screen::StaffPin;
    app.speak_stop = true;
    app.speak_request.clear();
}

PinFile read_staff_pin(const std::string& path, std::string& hash, std::string* why) {
    hash.clear();
    struct stat st;
    if (::stat(path.c_str(), &st) != 0 && errno == ENOENT) return PinFile::Absent;
    std::string err;
    if (!read_file_at_most(path, 4096, hash, &err)) {
        hash.clear();
        if (why) *why = err;
        return PinFile::Damaged;
    }
    while (!hash.empty() && (hash.back() == '\n' || hash.back() == '\r')) hash.pop_back();
    // Only what hash_pin writes counts: anything else (empty after a power cut on an older
    // version, truncated, overwritten) could never verify, and must not mean the default PIN.
    const bool looks_right = hash.rfind("$argon2id$", 0) == 0 && hash.size() < crypto_pwhash_STRBYTES &&
                             hash.find_first_of(std::string("\0\n\r", 3)) == std::string::npos;
    if (!looks_right) {
        if (why) *why = path + (hash.empty() ? ": empty" : ": not an Argon2id PIN hash");
        wipe(hash);
        return PinFile::Damaged;
    }
    return PinFile::Hash;
}

// DIR/staff-pin-attempts: {"failures": N, "last_failure": unix seconds}. Read at start so that
// switching the kiosk off and on does not give an attacker two more free guesses, nor end a
// back-off early.
void load_pin_attempts(KioskApp& app, double now) {
    std::string text, err;
    struct stat st;
    if (::stat(app.pin.attempts_path.c_str(), &st) != 0 && errno == ENOENT) return;
    int failures = 0;
    int64_t last = 0;
    bool ok = read_file_at_most(app.pin.attempts_path, 4096, text, &err);
    if (ok) {
        try {
            auto j = nlohmann::json::parse(text);
            failures = j.at("failures").get<int>();
            last = j.at("last_failure").get<int64_t>();
            ok = failures >= 0;
        } catch (const std::exception& e) {
            err = app.pin.attempts_path + ": " + e.what();
            ok = false;
        }
    }
    if (!ok) {
        // A damaged counter is not a fresh start: the next wrong PIN locks.
        std::fprintf(stderr, "teilhabe-kiosk: %s (counting as %d wrong PINs)\n", err.c_str(), kFreePinFailures);
        app.pin.failures = kFreePinFailures;
        return;
    }
    app.pin.failures = std::min(failures, 1000);
    const double lock = staff_lock_seconds(app.pin.failures);
    const int64_t wall = app.wall_clock ? app.wall_clock() : 0;
    // A clock set back must not lengthen the lock beyond its own length.
    const double left = std::clamp(double(last) + lock - double(wall), 0.0, lock);
    if (left > 0) app.pin.locked_until = now + left;
}

static void save_pin_attempts(const KioskApp& app) {
    nlohmann::json j = {{"failures", app.pin.failures}, {"last_failure", app.wall_clock ? app.wall_clock() : 0}};
    std::string err;
    if (!write_private(app.pin.attempts_path, j.dump() + "\n", &err))
        std::fprintf(stderr, "teilhabe-kiosk: wrong-PIN counter not saved: %s\n", err.c_str());
}

bool staff_pin_attempt(KioskApp& app, double now) {
    if (now < app.pin.locked_until) {
        app.pin.message_key = "pin_locked";
        wipe(app.pin.entry);
        return false;
    }
    std::string hash, why;
    const PinFile file = read_staff_pin(app.pin.path, hash, &why);
    if (file == PinFile::Damaged) {
        // No PIN opens the menu, and no guess is counted: there is nothing to guess against.
        wipe(app.pin.entry);
        app.pin.must_change = false;
        app.pin.message_key = "pin_file_damaged";
        std::fprintf(stderr, "teilhabe-kiosk: %s: staff menu locked until the file is deleted (see KIOSK.md)\n",
                     why.c_str());
        return false;
    }
    const bool right = file == PinFile::Hash ? verify_pin(hash, app.pin.entry) : app.pin.entry == kDefaultStaffPin;
    app.pin.must_change = right && file == PinFile::Absent;
    wipe(hash);
    wipe(app.pin.entry);
    if (!right) {
        ++app.pin.failures;
        app.pin.locked_until = now + staff_lock_seconds(app.pin.failures);
        app.pin.message_key = app.pin.locked_until > now ? "pin_locked" : "pin_wrong";
        save_pin_attempts(app);
        return false;
    }
    if (app.pin.failures != 0) {
        app.pin.failures = 0;
        save_pin_attempts(app);
    }
    app.pin.locked_until = 0;
    app.pin.message_key = app.pin.must_change ? "pin_must_change" : "";
    app.screen = Screen::StaffMenu;
    return true;
}

bool staff_change_pin(KioskApp& app) {
    auto& p = app.pin;
    bool digits = !p.new_pin.empty() &&
                  std::all_of(p.new_pin.begin(), p.new_pin.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits || p.new_pin.size() < 6) {
        p.message_key = "pin_too_short";
    } else if (p.new_pin != p.new_pin2) {
        p.message_key = "pin_mismatch";
    } else if (p.new_pin == kDefaultStaffPin) {
        p.message_key = "pin_is_default";
    } else {
        std::string h = hash_pin(p.new_pin);
        std::string err;
        if (h.empty() || !write_private(p.path, h + "\n", &err)) {
            p.message_key = "pin_save_failed";
        } else {
            p.message_key = "pin_changed";
            p.must_change = false;
        }
    }
    wipe(p.new_pin);
    wipe(p.new_pin2);
    return p.message_key == "pin_changed";
}

void leave_staff(KioskApp& app) {
    // Nothing typed at a desk stays on screen for the next person.
    app.staff_desk = StaffDesk::Menu;
    app.paper = PaperDesk{};
    app.tally = TallyDesk{};
    sync_desk_leave(app.sync);
    wipe(app.pin.entry);
    wipe(app.pin.new_pin);
    wipe(app.pin.new_pin2);
    app.pin.change_open = app.pin.change_repeat = false;
    app.pin.message_key.clear();
    ++app.generation; // the next frame forgets ImGui's copies of what was typed (code, site, id)
    Screen back_to = app.pin.return_to;
    if (back_to == Screen::StaffPin || back_to == Screen::StaffMenu) back_to = Screen::Welcome;
    if (!app.session && back_to != Screen::ThankYou) back_to = Screen::Welcome;
    app.screen = back_to == Screen::ThankYou ? Screen::Welcome : back_to;
}

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
