// respondent_path.cpp - one person's way through the survey: welcome, language and reading
// aids, the data-protection notice (and consent), a Delphi round's code page
// (delphi_participant.h), one question per page (next, back, "ändern"), submit to the vault,
// and what "Vorlesen" says on each page.
#include "kiosk_state.h"
#include "state_helpers.h"

#include <algorithm>
#include <cmath>

namespace tk {

void note_activity(KioskApp& app, double now) {
    app.idle.last_activity = now;
    if (app.idle.warning) more_time(app, now);
}

void start_survey(KioskApp& app, double now) {
    if (!app.survey) return;
    // What the person set on the welcome page is theirs; the reset only drops the last
    // person's traces (the welcome page itself starts from the staff defaults).
    const ReadingSettings chosen = app.reading;
    reset_to_welcome(app);
    app.reading = chosen;
    app.session = std::make_unique<Session>(app.survey, app.reading.language, app.wall_clock());
    app.screen = Screen::Language;
    app.idle.last_activity = now;
    app.speak_stop = true;
}

void start_in_language(KioskApp& app, const std::string& lang, double now) {
    if (!app.survey) return;
    const auto& langs = app.survey->languages;
    if (std::find(langs.begin(), langs.end(), lang) == langs.end()) return;
    app.reading.language = lang;
    start_survey(app, now);
}

void start_reading_aloud(KioskApp& app) {
    app.reading.read_aloud_auto = true;
    request_speech(app);
}

std::string duration_text(const KioskApp& app) {
    if (!app.survey) return {};
    int m = estimated_minutes(*app.survey);
    return fill(kiosk_text(app, m == 1 ? "welcome_minute" : "welcome_minutes"), {{"x", std::to_string(m)}});
}

bool needs_consent(const KioskApp& app) {
    return app.survey && !app.survey->privacy.empty() && app.survey->privacy.consent_required;
}

// After the notice: a Delphi round's code page, else the first question.
static void after_notice(KioskApp& app) {
    if (delphi_code_page(app)) delphi_enter_code_page(app);
    else begin_questions(app);
}

void give_consent(KioskApp& app) {
    if (!app.session || app.screen != Screen::Privacy) return;
    app.consent_given = true;
    after_notice(app);
}

void refuse_consent(KioskApp& app, double now) {
    if (app.screen != Screen::Privacy) return;
    // Nothing was answered yet, and nothing goes to the vault: the session is dropped.
    reset_to_welcome(app);
    app.idle.last_activity = now;
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
        if (app.survey && !app.survey->privacy.empty()) {
            clear_page(app);
            app.screen = Screen::Privacy;
            app.speak_stop = true;
        } else {
            after_notice(app);
        }
        return true;
    }
    if (app.screen == Screen::Privacy) {
        if (needs_consent(app) && !app.consent_given) return false;
        after_notice(app);
        return true;
    }
    if (app.screen == Screen::DelphiCode) {
        // A typed code is checked (the press is the last input: its time is the attempt's);
        // the questions follow once the derivation is done (delphi_poll).
        if (app.delphi.working) return false;
        if (!app.delphi.code.empty()) {
            delphi_submit_code(app, app.idle.last_activity);
            return false;
        }
        if (!app.delphi.passed) {
            app.delphi.message_key = "delphi_code_missing";
            return false;
        }
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

// The page before the first question: the notice where the survey has one.
static Screen before_questions(const KioskApp& app) {
    if (delphi_code_page(app)) return Screen::DelphiCode;
    return app.survey && !app.survey->privacy.empty() ? Screen::Privacy : Screen::Language;
}

bool back(KioskApp& app) {
    if (!app.session) return false;
    switch (app.screen) {
    case Screen::Language:
        return false; // the welcome page is not a step back: leaving means ending
    case Screen::Privacy:
        clear_page(app);
        app.speak_stop = true;
        app.screen = Screen::Language;
        return true;
    case Screen::DelphiCode:
        if (app.delphi.working) return false;
        clear_page(app);
        app.speak_stop = true;
        app.screen = app.survey && !app.survey->privacy.empty() ? Screen::Privacy : Screen::Language;
        return true;
    case Screen::Question:
        wipe_page(app);
        app.speak_stop = true;
        if (!app.session->back()) app.screen = before_questions(app);
        return true;
    case Screen::Review:
        wipe_page(app);
        app.speak_stop = true;
        if (app.session->back()) app.screen = Screen::Question;
        else app.screen = before_questions(app);
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
    // The end text may pipe answers: render it while the session (and its language) exists.
    std::string end = app.survey && !app.survey->end_text.empty() ? survey_text(app, app.survey->end_text) : "";
    SubmitResult res = app.submit_fn ? app.submit_fn(r) : SubmitResult{false, "no vault"};
    reset_to_welcome(app);
    if (res.durable) {
        ++app.submitted;
        app.thanks_text = std::move(end);
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
    case Screen::Welcome:
        if (app.survey) {
            add(survey_text(app, app.survey->title));
            add(survey_text(app, app.survey->about));
            add(duration_text(app) + ". " + kiosk_text(app, "welcome_anonymous"));
        }
        add(kiosk_text(app, "welcome_start_hint"));
        break;
    case Screen::Language: add(kiosk_text(app, "language_title")); add(kiosk_text(app, "language_hint")); break;
    case Screen::Privacy: {
        if (!app.survey) break;
        const PrivacyNotice& n = app.survey->privacy;
        add(kiosk_text(app, "privacy_title"));
        add(kiosk_text(app, "privacy_controller") + ": " + survey_text(app, n.controller));
        add(kiosk_text(app, "privacy_purpose") + ": " + survey_text(app, n.purpose));
        add(kiosk_text(app, "privacy_stored") + ": " + survey_text(app, n.stored));
        add(kiosk_text(app, "privacy_protection") + ": " + survey_text(app, n.protection));
        add(kiosk_text(app, "privacy_contact") + ": " + survey_text(app, n.contact));
        if (needs_consent(app)) {
            add(kiosk_text(app, "consent_question"));
            add(fill(kiosk_text(app, "speak_option"), {{"n", "1"}, {"text", kiosk_text(app, "consent_agree")}}));
            add(fill(kiosk_text(app, "speak_option"), {{"n", "2"}, {"text", kiosk_text(app, "consent_decline")}}));
        }
        break;
    }
    case Screen::Question: {
        const Question* q = app.session ? app.session->current() : nullptr;
        if (!q) break;
        auto vis = app.session->visible_questions();
        int pos = 1;
        for (size_t i = 0; i < vis.size(); ++i)
            if (vis[i] == q) pos = static_cast<int>(i) + 1;
        add(fill(kiosk_text(app, "question_of"), {{"n", std::to_string(pos)}, {"m", std::to_string(vis.size())}}));
        add(survey_text(app, q->text, q));
        add(survey_text(app, q->help, q));
        add(type_instruction(app, *q));
        int n = 1;
        for (const auto& c : page_choices(app, *q))
            add(fill(kiosk_text(app, "speak_option"), {{"n", std::to_string(n++)}, {"text", c.label}}));
        if (q->type == QuestionType::Matrix)
            for (const auto& r : q->rows)
                if (app.session->is_row_visible(*q, r)) add(survey_text(app, r.text));
        for (const std::string& key : delphi_item_keys(app, *q)) {
            DelphiItemView v;
            if (!delphi_item_view(app, key, v)) continue;
            for (const std::string& line : delphi_item_lines(app, v)) add(line);
        }
        if (!app.page.problem.ok()) add(kiosk_text(app, "problem_spoken"));
        if (app.page.problem.kind == AnswerProblem::Invalid) add(app.page.problem.tip); // the survey's own words
        break;
    }
    case Screen::DelphiCode:
        // The code itself is never spoken (it is what opens the participant's answers).
        add(kiosk_text(app, "delphi_code_title"));
        add(kiosk_text(app, "delphi_code_hint"));
        if (!app.delphi.message_key.empty()) {
            // The lock's seconds as at the last input (the page counts them down on screen).
            int left = std::max(1, int(std::ceil(delphi_lock_seconds_left(app, app.idle.last_activity))));
            add(fill(kiosk_text(app, app.delphi.message_key), {{"x", std::to_string(left)}}));
        }
        break;
    case Screen::Review: add(kiosk_text(app, "review_title")); add(kiosk_text(app, "review_hint")); break;
    case Screen::ThankYou: add(kiosk_text(app, "thanks_title")); add(app.thanks_text); add(kiosk_text(app, "thanks_body")); break;
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

} // namespace tk
