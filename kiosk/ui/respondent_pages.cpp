// respondent_pages.cpp - the pages a respondent sees, around the question widgets.
//
// Layout of a respondent page, the same on every page so that hands and eyes learn it once:
//   top:    tool bar (text size, contrast, read aloud) - the top-right corner stays empty:
//           it is the staff gesture area
//   then:   progress ("Frage 3 von 15" and a bar)
//   middle: the page, scrolling vertically only (text wraps, options stack)
//   bottom: "Zurück" at the left, "Weiter" at the right, always in the same place
//   right-to-left languages (ar, fa): all of it mirrored - text aligned right, option markers
//           right of the text, "Weiter" left of "Zurück", progress filling from the right
// Keys (when no text field is active): 1-9 choose, 0 = "keine Antwort", Enter = next,
// Backspace = back, keypad the same plus "-" = back and "+" = read aloud. Tab/arrows move
// the focus ring; Space (or Enter on a focused control) presses it.
//
//   toolbar, progress, nav_bar         the frame of every respondent page
//   language_page                      the reading aids (the welcome page: welcome_page.cpp)
//   question_page, review_page         one question (and its keys), all answers with "ändern"
//   idle_warning, message_screen       "Sind Sie noch da?", thank-you and save-failed pages
#include "screen_draw.h"

#include <GLFW/glfw3.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cmath>

namespace tk {

void toolbar(ScreenDraw& c, float width) {
    ImGui::PushFont(c.ui.fonts.toolbar);
    float right_free = c.m.target * 1.5f; // staff corner
    float x0 = ImGui::GetCursorPosX();
    float avail = width - right_free;
    float used = 0;
    // Left to right from the left edge; on a right-to-left page mirrored, from the right edge
    // leftwards (the first tool rightmost). The staff corner stays top right either way: staff
    // find it in every language, and no tool lies under it.
    const bool rtl = page_rtl();
    auto item = [&](const std::string& name, const std::string& label, ButtonKind k) {
        // As drawn: an Arabic label's joined forms are narrower than its letters alone.
        float w = layout_text(ImGui::GetFont(), ImGui::GetFontSize(), label, 0).size.x + 3 * c.m.pad;
        bool wrap = used > 0 && used + c.m.gap + w > avail; // a new line
        if (wrap) used = 0;
        float at = used > 0 ? used + c.m.gap : 0; // from the line's start edge
        if (rtl) {
            if (used > 0) ImGui::SameLine(x0 + avail - at - w);
            else ImGui::SetCursorPosX(x0 + avail - w);
        } else if (used > 0) {
            ImGui::SameLine(x0 + at);
        }
        used = at + w;
        return big_button(c, name, label, k, w);
    };
    std::string size_label = fill(kiosk_text(c.app, "text_size_button"), {{"x", std::to_string(c.app.reading.text_scale)}});
    if (item("tool/text_size", size_label, ButtonKind::Secondary)) {
        int next = 100;
        for (size_t i = 0; i < std::size(kTextScales); ++i)
            if (kTextScales[i] == c.app.reading.text_scale) next = kTextScales[(i + 1) % std::size(kTextScales)];
        set_text_scale(c.app, next);
    }
    if (item("tool/contrast", kiosk_text(c.app, "contrast_button"), ButtonKind::Secondary))
        c.app.reading.theme = c.app.reading.theme == ThemeId::Standard ? ThemeId::HighContrast : ThemeId::Standard;
    if (item("tool/read", c.ui.speaking ? kiosk_text(c.app, "stop_reading") : kiosk_text(c.app, "read_aloud"), ButtonKind::Secondary)) {
        if (c.ui.speaking) c.app.speak_stop = true;
        else request_speech(c.app);
    }
    ImGui::PopFont();
}

void progress(ScreenDraw& c, float width) {
    if (!c.app.session || !c.app.survey->settings.show_progress) return;
    std::string label;
    if (c.app.screen == Screen::Question && c.app.session->current()) {
        auto vis = c.app.session->visible_questions();
        int pos = 1;
        for (size_t i = 0; i < vis.size(); ++i)
            if (vis[i] == c.app.session->current()) pos = int(i) + 1;
        label = fill(kiosk_text(c.app, "question_of"), {{"n", std::to_string(pos)}, {"m", std::to_string(vis.size())}});
    } else if (c.app.screen == Screen::Review) {
        label = kiosk_text(c.app, "review_title");
    }
    ImGui::PushFont(c.ui.fonts.toolbar);
    if (!label.empty()) wrapped(label, c.th.text_muted);
    ImGui::PopFont();
    float pct = c.app.screen == Screen::Review ? 100.0f : float(c.app.session->progress_percent());
    if (c.app.screen == Screen::Language || c.app.screen == Screen::Privacy) pct = 0;
    ImVec2 p = ImGui::GetCursorScreenPos();
    float h = std::max(8.0f, c.m.toolbar * 0.3f);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p, ImVec2(p.x + width, p.y + h), col(c.th.progress_track), h * 0.5f);
    // The bar fills in the reading direction: from the right on a right-to-left page.
    if (page_rtl()) dl->AddRectFilled(ImVec2(p.x + width * (1 - pct / 100.0f), p.y), ImVec2(p.x + width, p.y + h), col(c.th.progress_fill), h * 0.5f);
    else dl->AddRectFilled(p, ImVec2(p.x + width * pct / 100.0f, p.y + h), col(c.th.progress_fill), h * 0.5f);
    c.ui.parts["progress/fill"] = page_rtl() ? Rect{p.x + width * (1 - pct / 100.0f), p.y, p.x + width, p.y + h}
                                             : Rect{p.x, p.y, p.x + width * pct / 100.0f, p.y + h};
    ImGui::Dummy(ImVec2(width, h));
}

void language_page(ScreenDraw& c, float width) {
    KioskApp& app = c.app;
    heading(c, kiosk_text(app, "language_title"));
    wrapped(kiosk_text(app, "language_hint"), c.th.text_muted);
    ImGui::Dummy(ImVec2(0, c.m.gap));
    wrapped(kiosk_text(app, "language"), c.th.text);
    int n = 1;
    for (const auto& lang : app.survey->languages) {
        auto it = app.texts.names.find(lang);
        std::string name = it != app.texts.names.end() ? it->second : lang;
        bool sel = app.reading.language == lang;
        if (option_row(c, "lang/" + lang, n, name, sel, RowMarker::Radio, width)) choose_language(app, lang);
        if (!ImGui::GetIO().WantTextInput && n <= 9 &&
            (ImGui::IsKeyPressed(GLFW_KEY_0 + n, false) || ImGui::IsKeyPressed(GLFW_KEY_KP_0 + n, false)))
            choose_language(app, lang);
        ++n;
    }
    ImGui::Dummy(ImVec2(0, c.m.gap));
    wrapped(kiosk_text(app, "text_size"), c.th.text);
    for (int s : kTextScales)
        if (option_row(c, "size/" + std::to_string(s), 0, std::to_string(s) + " %", app.reading.text_scale == s,
                       RowMarker::Radio, width))
            set_text_scale(app, s);
    ImGui::Dummy(ImVec2(0, c.m.gap));
    wrapped(kiosk_text(app, "contrast"), c.th.text);
    if (option_row(c, "theme/standard", 0, kiosk_text(app, "contrast_standard"), app.reading.theme == ThemeId::Standard,
                   RowMarker::Radio, width))
        app.reading.theme = ThemeId::Standard;
    if (option_row(c, "theme/high", 0, kiosk_text(app, "contrast_high"), app.reading.theme == ThemeId::HighContrast,
                   RowMarker::Radio, width))
        app.reading.theme = ThemeId::HighContrast;
    ImGui::Dummy(ImVec2(0, c.m.gap));
    wrapped(kiosk_text(app, "reading_aids"), c.th.text);
    if (option_row(c, "easy_font", 0, kiosk_text(app, "easy_font"), app.reading.easy_font, RowMarker::Check, width))
        app.reading.easy_font = !app.reading.easy_font;
    if (option_row(c, "read_auto", 0, kiosk_text(app, "read_auto"), app.reading.read_aloud_auto, RowMarker::Check, width)) {
        app.reading.read_aloud_auto = !app.reading.read_aloud_auto;
        if (app.reading.read_aloud_auto) request_speech(app);
        else app.speak_stop = true;
    }
}

void question_page(ScreenDraw& c, float width) {
    KioskApp& app = c.app;
    const Question* q = app.session->current();
    if (!q) return;
    heading(c, survey_text(app, q->text, q));
    if (!q->help.empty()) wrapped(survey_text(app, q->help, q), c.th.text_muted);
    if (!app.page.problem.ok()) {
        ImGui::Dummy(ImVec2(0, c.m.gap * 0.5f));
        ImGui::PushFont(c.ui.fonts.heading);
        wrapped("! " + problem_text(app, app.page.problem), c.th.error);
        ImGui::PopFont();
    }
    ImGui::Dummy(ImVec2(0, c.m.gap));
    question_widget(c, *q, width);
    if (!c.fields.empty() && ImGui::IsKeyPressed(GLFW_KEY_TAB)) {
        int n = int(c.fields.size());
        int i = c.active_field < 0 ? (ImGui::GetIO().KeyShift ? n - 1 : 0)
                                   : (c.active_field + (ImGui::GetIO().KeyShift ? n - 1 : 1)) % n;
        c.ui.focus_field = c.fields[i];
    }

    // Number keys pick choices; in a matrix they fill the marked row and move on.
    if (ImGui::GetIO().WantTextInput || ImGui::GetIO().KeyCtrl || ImGui::GetIO().KeyAlt) return;
    int digit = -1;
    for (int k = 0; k <= 9; ++k)
        if (ImGui::IsKeyPressed(GLFW_KEY_0 + k, false) || ImGui::IsKeyPressed(GLFW_KEY_KP_0 + k, false)) digit = k;
    if (digit < 0) return;
    if (q->type == QuestionType::Matrix && q->cell == MatrixCell::Choice) {
        auto slots = matrix_slots(app, *q);
        if (slots.empty()) return;
        int active = std::clamp(app.page.matrix_row, 0, int(slots.size()) - 1);
        bool second = slots[active].size() > 2 && slots[active].compare(slots[active].size() - 2, 2, "#1") == 0;
        const auto& opts = second ? q->options2 : q->options;
        // 0 is the row's "keine Antwort" (on its first scale), as on the other pages.
        bool row_na = digit == 0 && !second && offers_row_no_answer(app, *q);
        if (row_na || (digit > 0 && digit <= int(opts.size()))) {
            choose_cell(app, *q, slots[active], row_na ? std::string(kNoAnswerCode) : opts[digit - 1].code, false);
            auto now_slots = matrix_slots(app, *q);
            int next_row = std::clamp(app.page.matrix_row, 0, std::max(0, int(now_slots.size()) - 1));
            if (!now_slots.empty()) c.ui.reveal = "matrix/" + now_slots[next_row];
        }
        return;
    }
    auto choices = page_choices(app, *q);
    // The chosen row comes into view (at 300 % option 7 may be below the page's edge).
    if (digit == 0) {
        if (!offers_no_answer(app, *q)) return;
        choose(app, kNoAnswerCode);
        for (size_t i = 0; i < choices.size(); ++i)
            if (choices[i].code == kNoAnswerCode) c.ui.reveal = "option/" + std::to_string(i + 1);
        return;
    }
    if (digit <= int(choices.size()) && choices[digit - 1].code != kNoAnswerCode) {
        choose(app, choices[digit - 1].code);
        c.ui.reveal = "option/" + std::to_string(digit);
    }
}

void review_page(ScreenDraw& c, float width) {
    KioskApp& app = c.app;
    heading(c, kiosk_text(app, "review_title"));
    wrapped(kiosk_text(app, "review_hint"), c.th.text_muted);
    std::string change_label = kiosk_text(app, "change");
    for (const Question* q : app.session->visible_questions()) {
        if (!q->has_answer()) continue;
        ImGui::Dummy(ImVec2(0, c.m.gap));
        ImVec2 p0 = ImGui::GetCursorScreenPos();
        ImGui::GetWindowDrawList()->AddLine(p0, ImVec2(p0.x + width, p0.y), col(c.th.option_border), 2.0f);
        ImGui::Dummy(ImVec2(0, c.m.gap * 0.5f));
        ImGui::PushFont(c.ui.fonts.heading);
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
        wrapped(survey_text(app, q->text), c.th.text);
        ImGui::PopTextWrapPos();
        ImGui::PopFont();
        std::string s = answer_summary(app, *q);
        wrapped(s.empty() ? kiosk_text(app, "not_answered") : s, s.empty() ? c.th.text_muted : c.th.text);
        float bw = ImGui::CalcTextSize(change_label.c_str()).x + 4 * c.m.pad;
        if (page_rtl()) ImGui::SetCursorPosX(ImGui::GetCursorPosX() + std::max(0.0f, width - bw));
        if (big_button(c, "change/" + q->code, change_label, ButtonKind::Secondary, std::min(width, bw))) {
            change(app, q->code);
            return;
        }
    }
}

// Zurück/Weiter use the tool bar's font (at most 200 %): at 300 % on a 768 px screen the
// page itself needs the height, and the two buttons are large and always in the same place.
void nav_bar(ScreenDraw& c, float width) {
    KioskApp& app = c.app;
    ImGui::PushFont(c.ui.fonts.toolbar);
    float bw = (width - c.m.gap) * 0.45f;
    bool can_back = app.screen != Screen::Language;
    bool at_review = app.screen == Screen::Review;
    auto back_button = [&] {
        if (can_back) {
            if (big_button(c, "back", kiosk_text(app, "back"), ButtonKind::Secondary, bw)) back(app);
        } else {
            ImGui::Dummy(ImVec2(bw, 1));
        }
    };
    // A notice that needs consent has no "Weiter": its own two choices decide.
    const bool no_next = app.screen == Screen::Privacy && needs_consent(app) && !app.consent_given;
    auto next_button = [&] {
        if (no_next) {
            ImGui::Dummy(ImVec2(bw, 1));
            return;
        }
        std::string label = at_review ? kiosk_text(app, "submit") : kiosk_text(app, "next");
        if (big_button(c, at_review ? "submit" : "next", label, ButtonKind::Primary, bw)) {
            if (at_review) submit(app, c.now);
            else next(app);
        }
    };
    // Reading right to left, forward is to the left: "Weiter" left, "Zurück" right.
    const bool rtl = page_rtl();
    if (rtl) next_button();
    else back_button();
    ImGui::SameLine(width - bw + ImGui::GetStyle().WindowPadding.x);
    if (rtl) back_button();
    else next_button();
    ImGui::PopFont();
}

void idle_warning(ScreenDraw& c, ImVec2 size) {
    KioskApp& app = c.app;
    int left = std::max(0, int(std::ceil(app.idle.warning_until - c.now)));
    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(0, 0), size, col(c.th.warn_bg));
    float w = size.x - 2 * c.m.target;
    ImGui::SetCursorPosY(c.m.target);
    ImGui::Indent(c.m.target);
    ImGui::PushTextWrapPos(c.m.target + w);
    heading(c, kiosk_text(app, "idle_title"));
    wrapped(fill(kiosk_text(app, "idle_body"), {{"x", std::to_string(left)}}), c.th.warn_text);
    ImGui::PopTextWrapPos();
    ImGui::Dummy(ImVec2(0, c.m.gap * 2));
    ImGui::PushFont(c.ui.fonts.heading);
    if (big_button(c, "more_time", kiosk_text(app, "more_time"), ButtonKind::Primary, w)) more_time(app, c.now);
    ImGui::PopFont();
    ImGui::Dummy(ImVec2(0, c.m.gap * 2));
    if (page_rtl()) ImGui::SetCursorPosX(ImGui::GetCursorPosX() + w * 0.5f);
    if (big_button(c, "end_now", kiosk_text(app, "end_now"), ButtonKind::Secondary, w * 0.5f)) end_session_timeout(app, c.now);
    ImGui::Unindent(c.m.target);
    if (ImGui::IsKeyPressed(GLFW_KEY_ENTER, false) || ImGui::IsKeyPressed(GLFW_KEY_KP_ENTER, false) ||
        ImGui::IsKeyPressed(GLFW_KEY_SPACE, false))
        more_time(app, c.now);
}

void message_screen(ScreenDraw& c, ImVec2 size, const std::string& title, const std::string& body, const std::string& button) {
    float w = size.x - 2 * c.m.target;
    ImGui::SetCursorPosY(c.m.target * 1.5f);
    ImGui::Indent(c.m.target);
    ImGui::PushTextWrapPos(c.m.target + w);
    heading(c, title);
    ImGui::Dummy(ImVec2(0, c.m.gap));
    wrapped(body, c.th.text);
    ImGui::PopTextWrapPos();
    ImGui::Dummy(ImVec2(0, c.m.gap * 2));
    if (page_rtl()) ImGui::SetCursorPosX(ImGui::GetCursorPosX() + w * 0.4f);
    bool done = big_button(c, "done", button, ButtonKind::Primary, w * 0.6f);
    ImGui::Unindent(c.m.target);
    if (done || ImGui::IsKeyPressed(GLFW_KEY_ENTER, false) || ImGui::IsKeyPressed(GLFW_KEY_KP_ENTER, false)) {
        reset_to_welcome(c.app);
        c.enter_used = true;
    }
}

} // namespace tk
