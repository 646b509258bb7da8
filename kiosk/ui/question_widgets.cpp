// question_widgets.cpp - the middle of a question page: one widget per question type.
//
//   problem_text      why an answer is not taken, in the page's language
//   choices_widget    single, multiple, yes/no, rating, ranking (rows, "andere", order)
//   matrix_widget     choice rows (number keys fill the marked row) and text/number cells
//   question_widget   picks the widget; text, number, date, multi and ranked-list fields
#include "screen_draw.h"

#include <GLFW/glfw3.h>
#include <imgui_internal.h>

#include <algorithm>

namespace tk {

std::string problem_text(const KioskApp& app, const AnswerProblem& p) {
    // {x} is the limit the person needs ("höchstens 100"): `bound`, never the diagnostic
    // `detail` (which names the cell, "W_1: 100", or holds what was typed).
    static const char* keys[] = {"",          "p_required", "p_not_a_number", "p_too_small", "p_too_large",
                                 "p_integer", "p_too_few",  "p_too_many",     "p_bad_date",  "p_unknown",
                                 "p_too_long", "p_other_missing", "p_invalid"};
    if (p.ok() || p.kind < 0 || p.kind > AnswerProblem::Invalid) return {};
    // The survey's own validation tip, already in the respondent's language and piped.
    if (p.kind == AnswerProblem::Invalid && !p.tip.empty()) return p.tip;
    // A date's limit is a day, not a number: its own words, written day.month.year like
    // the page's fields (the session gives it as YYYY-MM-DD).
    const Question* q = app.session ? app.session->current() : nullptr;
    if (q && q->type == QuestionType::Date && (p.kind == AnswerProblem::TooSmall || p.kind == AnswerProblem::TooLarge)) {
        const std::string& b = p.bound;
        std::string day = b.size() == 10 ? b.substr(8, 2) + "." + b.substr(5, 2) + "." + b.substr(0, 4) : b;
        return fill(kiosk_text(app, p.kind == AnswerProblem::TooSmall ? "p_date_too_early" : "p_date_too_late"), {{"x", day}});
    }
    return fill(kiosk_text(app, keys[p.kind]), {{"x", p.bound}});
}

namespace {

void choices_widget(ScreenDraw& c, const Question& q, float width) {
    auto choices = page_choices(c.app, q);
    RowMarker mk = (q.type == QuestionType::MultipleChoice || q.type == QuestionType::Ranking) ? RowMarker::Check : RowMarker::Radio;
    const Answer* a = c.app.session->answer(q.code);
    for (size_t i = 0; i < choices.size(); ++i) {
        const Choice& ch = choices[i];
        bool sel = is_chosen(c.app, q, ch.code);
        std::string badge;
        if (q.type == QuestionType::Ranking && sel && a) {
            auto it = std::find(a->values.begin(), a->values.end(), ch.code);
            badge = std::to_string(it - a->values.begin() + 1);
        }
        int number = ch.code == kNoAnswerCode ? 0 : static_cast<int>(i) + 1;
        std::string label = delphi_option_label(c.app, q.code, ch.code, ch.label);
        if (ch.code == kNoAnswerCode) label = "0  " + label;
        if (option_row(c, "option/" + std::to_string(i + 1), number <= 9 ? number : 0, label, sel,
                       ch.code == kNoAnswerCode ? RowMarker::Radio : mk, width, badge))
            choose(c.app, ch.code);
        if (ch.code == kOtherCode && is_chosen(c.app, q, kOtherCode)) {
            ImGui::Indent(c.m.body);
            text_field(c, q.code + "|other", kiosk_text(c.app, "other_text"), false, false, width - c.m.body);
            ImGui::Unindent(c.m.body);
        }
    }
    if (q.type == QuestionType::Ranking && a && !a->values.empty()) {
        ImGui::Dummy(ImVec2(0, c.m.gap));
        wrapped(kiosk_text(c.app, "ranking_order"), c.th.text);
        for (size_t i = 0; i < a->values.size(); ++i) {
            const Option* o = q.find_option(a->values[i]);
            wrapped(std::to_string(i + 1) + ". " + (o ? survey_text(c.app, o->text) : a->values[i]), c.th.text);
            float bw = (width - 2 * c.m.gap) / 3;
            std::string n = std::to_string(i + 1);
            if (big_button(c, "rank_up/" + n, kiosk_text(c.app, "move_up"), ButtonKind::Secondary, bw)) rank_move(c.app, q, int(i), -1);
            ImGui::SameLine(0, c.m.gap);
            if (big_button(c, "rank_down/" + n, kiosk_text(c.app, "move_down"), ButtonKind::Secondary, bw)) rank_move(c.app, q, int(i), 1);
            ImGui::SameLine(0, c.m.gap);
            if (big_button(c, "rank_remove/" + n, kiosk_text(c.app, "remove"), ButtonKind::Secondary, bw)) choose(c.app, a->values[i]);
            a = c.app.session->answer(q.code);
            if (!a) break;
        }
    }
}

void matrix_widget(ScreenDraw& c, const Question& q, float width) {
    const Answer* a = c.app.session->answer(q.code);
    if (q.cell == MatrixCell::Choice) {
        auto slots = matrix_slots(c.app, q);
        int active = std::clamp(c.app.page.matrix_row, 0, std::max(0, int(slots.size()) - 1));
        int ri = 0;
        for (const Row& r : q.rows) {
            if (!c.app.session->is_row_visible(q, r)) continue;
            ++ri;
            ImGui::Dummy(ImVec2(0, c.m.gap));
            const float row_top = ImGui::GetCursorScreenPos().y;
            heading(c, survey_text(c.app, r.text));
            const std::string item = q.code + "[" + r.code + "]"; // a Delphi item's key
            delphi_item_panel(c, item, width);
            for (int scale = 0; scale < (q.options2.empty() ? 1 : 2); ++scale) {
                std::string key = scale == 0 ? r.code : r.code + "#1";
                const auto& opts = scale == 0 ? q.options : q.options2;
                const LocalText& hdr = scale == 0 ? q.scale_header1 : q.scale_header2;
                if (!hdr.empty()) wrapped(survey_text(c.app, hdr), c.th.text_muted);
                bool is_active = !slots.empty() && slots[active] == key;
                ImVec2 top = ImGui::GetCursorScreenPos();
                std::string cur;
                if (a) {
                    auto it = a->cells.find(key);
                    if (it != a->cells.end()) cur = it->second;
                }
                float indent = c.m.focus_width * 3;
                float first_bottom = top.y;
                ImGui::Indent(indent);
                for (size_t i = 0; i < opts.size(); ++i) {
                    std::string label = survey_text(c.app, opts[i].text);
                    if (scale == 0) label = delphi_option_label(c.app, item, opts[i].code, label);
                    if (option_row(c, "cell/" + key + "/" + std::to_string(i + 1), i < 9 ? int(i) + 1 : 0, label,
                                   cur == opts[i].code, RowMarker::Radio, width - indent))
                        choose_cell(c.app, q, key, opts[i].code);
                    if (i == 0) first_bottom = ImGui::GetItemRectMax().y;
                }
                if (scale == 0 && offers_row_no_answer(c.app, q) &&
                    option_row(c, "cell/" + key + "/0", 0, "0  " + kiosk_text(c.app, "no_answer"), cur == kNoAnswerCode,
                               RowMarker::Radio, width - indent))
                    choose_cell(c.app, q, key, kNoAnswerCode);
                ImGui::Unindent(indent);
                if (scale == 0) delphi_reason_field(c, item, width);
                if (is_active) {
                    // A bar at the left marks the row the number keys fill.
                    ImVec2 bottom = ImGui::GetCursorScreenPos();
                    // The row number keys moved to comes into view: its heading and its first
                    // option; when both do not fit, the option and the heading's last lines.
                    if (c.ui.reveal == "matrix/" + key) {
                        float margin = c.m.focus_width * 2;
                        float view = GImGui->CurrentWindow->ClipRect.GetHeight() - 2 * margin;
                        reveal_rows(std::max(scale == 0 ? row_top : top.y, first_bottom - view), first_bottom, margin);
                        c.ui.reveal.clear();
                    }
                    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(top.x, top.y), ImVec2(top.x + c.m.focus_width * 1.5f, bottom.y),
                                                              col(c.th.focus));
                }
            }
        }
        return;
    }
    for (const Row& r : q.rows) {
        if (!c.app.session->is_row_visible(q, r)) continue;
        ImGui::Dummy(ImVec2(0, c.m.gap));
        heading(c, survey_text(c.app, r.text));
        for (const Option& o : q.options)
            text_field(c, q.code + "|cell|" + r.code + "_" + o.code, survey_text(c.app, o.text), false,
                       q.cell == MatrixCell::Number, width);
    }
}

} // namespace

void question_widget(ScreenDraw& c, const Question& q, float width) {
    // On pages that are only text fields, the first field is ready for typing at once.
    bool closed = q.is_closed() || q.type == QuestionType::Info;
    c.want_focus = c.app.page.focus_first && !closed;
    c.app.page.focus_first = false;
    switch (q.type) {
    case QuestionType::SingleChoice:
    case QuestionType::MultipleChoice:
    case QuestionType::YesNo:
    case QuestionType::Rating:
    case QuestionType::Ranking:
        delphi_item_panel(c, q.code, width); // a repeated Delphi question: own answer, the group's
        wrapped(type_instruction(c.app, q), c.th.text_muted); // "" for single, yes/no, rating
        choices_widget(c, q, width);
        delphi_reason_field(c, q.code, width);
        break;
    case QuestionType::ShortText: text_field(c, q.code + "|value", "", false, false, width); break;
    case QuestionType::LongText: text_field(c, q.code + "|value", "", true, false, width); break;
    case QuestionType::Numeric: text_field(c, q.code + "|value", kiosk_text(c.app, "enter_number"), false, true, width); break;
    case QuestionType::Date: {
        text_field(c, q.code + "|date|d", kiosk_text(c.app, "day"), false, true, width);
        text_field(c, q.code + "|date|m", kiosk_text(c.app, "month"), false, true, width);
        text_field(c, q.code + "|date|y", kiosk_text(c.app, "year"), false, true, width);
        break;
    }
    case QuestionType::Matrix: matrix_widget(c, q, width); break;
    case QuestionType::MultiText:
    case QuestionType::MultiNumeric:
        for (const Row& r : q.rows) {
            if (!c.app.session->is_row_visible(q, r)) continue;
            text_field(c, q.code + "|cell|" + r.code, survey_text(c.app, r.text), false, q.type == QuestionType::MultiNumeric, width);
        }
        break;
    case QuestionType::RankedList: {
        int n = std::max(1, q.max_answers > 0 ? q.max_answers : 3);
        wrapped(type_instruction(c.app, q), c.th.text_muted);
        for (int i = 0; i < n; ++i) {
            std::string f = q.code + "|rank|" + std::to_string(i);
            text_field(c, f, std::to_string(i + 1) + ".", false, false, width);
            if (i > 0) {
                if (big_button(c, "rank_up/" + std::to_string(i + 1), kiosk_text(c.app, "move_up"), ButtonKind::Secondary, width * 0.5f))
                    rank_move(c.app, q, i, -1);
            }
        }
        break;
    }
    case QuestionType::Equation: // only its text is shown (show_text), like info
    case QuestionType::Info: break;
    }
    if (q.comment && q.is_closed()) {
        ImGui::Dummy(ImVec2(0, c.m.gap));
        text_field(c, q.code + "|comment", q.comment_label.empty() ? kiosk_text(c.app, "comment") : survey_text(c.app, q.comment_label),
                   true, false, width);
    }
}

} // namespace tk
