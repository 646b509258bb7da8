// screens.cpp - every kiosk screen, drawn with Dear ImGui 1.86.
//
// Layout of a respondent page, the same on every page so that hands and eyes learn it once:
//   top:    tool bar (text size, contrast, read aloud) - the top-right corner stays empty:
//           it is the staff gesture area
//   then:   progress ("Frage 3 von 15" and a bar)
//   middle: the page, scrolling vertically only (text wraps, options stack)
//   bottom: "Zurück" at the left, "Weiter" at the right, always in the same place
// Keys (when no text field is active): 1-9 choose, 0 = "keine Antwort", Enter = next,
// Backspace = back, keypad the same plus "-" = back and "+" = read aloud. Tab/arrows move
// the focus ring; Space (or Enter on a focused control) presses it.
#include "screens.h"
#include "paper_desk_screen.h"
#include "field_desk_screen.h"
#include "sync_desk_screen.h"
#include "render_gl.h"
#include "staff_widgets.h"

#include <GLFW/glfw3.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>

namespace tk {

namespace {

// What every drawing function of one frame shares: the state, the view, the theme and sizes,
// and the frame's keyboard bookkeeping (which field is active, whether Enter was used).
struct ScreenDraw {
    KioskApp& app;
    UiState& ui;
    const Theme& th;
    const Metrics& m;
    double now;
    bool enter_used = false; // Enter activated a focused control: it is not "next"
    bool want_focus = false; // the next text field takes the keyboard (text pages)
    std::vector<std::string> fields; // text fields in drawing order (Tab moves along them)
    int active_field = -1;           // index of the field being typed in
    bool ring = false;               // focus_ring drew the ring on the item just drawn
};

ImU32 col(uint32_t rgb, int a = 255) { return to_imgui_color(rgb, a); }

// Scrolls the window being drawn the least distance that shows y0..y1 (from next frame on).
// Taller than the page: its top goes to the top, where the reading starts.
void reveal_rows(float y0, float y1, float margin) {
    ImGuiWindow* w = GImGui->CurrentWindow;
    const ImRect& clip = w->ClipRect;
    float d = 0;
    if (y0 < clip.Min.y || y1 - y0 > clip.GetHeight()) d = y0 - margin - clip.Min.y;
    else if (y1 > clip.Max.y) d = std::min(y1 + margin - clip.Max.y, y0 - margin - clip.Min.y);
    if (d != 0) ImGui::SetScrollY(w, std::max(0.0f, w->Scroll.y + d));
}

// Notes in ui.rects where the control just drawn is visible this frame (the part inside the
// scrolled page), under `name`: the layout dump and the tests click by these names.
// At large text a control moved to by keyboard may lie below the page's edge: it is
// scrolled into view (only then: a person scrolling with finger or wheel keeps their place).
void note_control_rect(ScreenDraw& c, const std::string& name) {
    ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    const ImRect& clip = GImGui->CurrentWindow->ClipRect;
    const bool ring = c.ring;
    c.ring = false;
    if ((ring && c.ui.reveal_focus > 0) || (!c.ui.reveal.empty() && c.ui.reveal == name)) {
        reveal_rows(a.y, b.y, c.m.focus_width * 2);
        if (c.ui.reveal == name) c.ui.reveal.clear();
    }
    if (ring) {
        c.ui.focused = name;
        c.ui.focused_visible = a.y >= clip.Min.y - 0.5f && b.y <= clip.Max.y + 0.5f;
    }
    float y0 = std::max(a.y, clip.Min.y), y1 = std::min(b.y, clip.Max.y);
    if (y1 - y0 >= std::min(b.y - a.y, 24.0f)) c.ui.rects[name] = {a.x, y0, b.x, y1};
}

// Keyboard focus is shown as a thick ring in the theme's focus colour (WCAG 2.4.7), and
// Enter on a focused control presses it (not on text fields: there Enter means "next").
// ImGui may put focus on a page's first control by itself; until the person moves it with
// Tab or the arrows, Enter keeps meaning "next" (keypad users never see a ring they did not ask for).
bool focus_ring(ScreenDraw& c, bool enter_presses = true) {
    c.ring = false;
    if (!c.ui.focus_moved || !ImGui::IsItemFocused() || GImGui->NavDisableHighlight) return false;
    float w = c.m.focus_width;
    ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    ImGui::GetWindowDrawList()->AddRect(ImVec2(a.x - w * 0.5f, a.y - w * 0.5f), ImVec2(b.x + w * 0.5f, b.y + w * 0.5f),
                                        col(c.th.focus), c.m.pad * 0.5f, 0, w);
    c.ring = true;
    if (enter_presses && !ImGui::GetIO().WantTextInput &&
        (ImGui::IsKeyPressed(GLFW_KEY_ENTER, false) || ImGui::IsKeyPressed(GLFW_KEY_KP_ENTER, false))) {
        c.enter_used = true;
        return true;
    }
    return false;
}

enum class Kind { Primary, Secondary };

bool big_button(ScreenDraw& c, const std::string& name, const std::string& label, Kind kind, float width,
                ImFont* font = nullptr) {
    if (font) ImGui::PushFont(font);
    ImFont* f = ImGui::GetFont();
    float fs = ImGui::GetFontSize();
    float pad = std::round(fs * 0.35f);
    float wrap = std::max(10.0f, width - 2 * pad);
    ImVec2 ts = ImGui::CalcTextSize(label.c_str(), nullptr, false, wrap);
    // At least 48 px (at 96 dpi), else one line of this button's font plus padding.
    float h = std::max(std::max(48.0f * c.m.dpi, fs + 2 * pad), ts.y + 2 * pad);
    ImVec2 pos = ImGui::GetCursorScreenPos();
    ImGui::PushID(name.c_str());
    bool pressed = ImGui::InvisibleButton("##b", ImVec2(width, h));
    bool hovered = ImGui::IsItemHovered();
    uint32_t bg, fg;
    if (kind == Kind::Primary) {
        bg = hovered ? c.th.primary_hover_bg : c.th.primary_bg;
        fg = c.th.primary_text;
    } else {
        bg = hovered ? c.th.secondary_hover_bg : c.th.secondary_bg;
        fg = c.th.secondary_text;
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 end(pos.x + width, pos.y + h);
    fill_opaque(dl, pos, end, col(bg), c.m.pad * 0.5f);
    dl->AddRect(pos, end, col(kind == Kind::Primary ? c.th.primary_bg : c.th.option_border), c.m.pad * 0.5f, 0,
                std::max(2.0f, fs / 12.0f));
    float tx = ts.x < wrap ? pos.x + (width - ts.x) * 0.5f : pos.x + pad;
    dl->AddText(f, fs, ImVec2(tx, pos.y + (h - ts.y) * 0.5f), col(fg), label.c_str(), nullptr, wrap);
    if (focus_ring(c)) pressed = true;
    note_control_rect(c, name);
    ImGui::PopID();
    if (font) ImGui::PopFont();
    return pressed;
}

enum class Marker { Radio, Check, None };

// A whole clickable row: marker, number, wrapped text. Selected rows invert their colours
// and show a filled marker, so the choice is visible without relying on colour alone.
bool option_row(ScreenDraw& c, const std::string& name, int number, const std::string& label, bool selected, Marker mk,
                float width, const std::string& badge = "") {
    float fs = ImGui::GetFontSize();
    ImFont* f = ImGui::GetFont();
    float pad = c.m.pad;
    float marker = std::round(fs * 0.8f);
    std::string num = number > 0 ? std::to_string(number) : "";
    float num_w = ImGui::CalcTextSize("9").x * 1.6f;
    float text_x = pad + (mk != Marker::None ? marker + pad : 0) + (num.empty() ? 0 : num_w);
    float wrap = std::max(10.0f, width - text_x - pad);
    ImVec2 ts = ImGui::CalcTextSize(label.c_str(), nullptr, false, wrap);
    float h = std::max(c.m.target, ts.y + 2 * pad);
    ImVec2 pos = ImGui::GetCursorScreenPos();
    ImGui::PushID(name.c_str());
    bool pressed = ImGui::InvisibleButton("##o", ImVec2(width, h));
    bool hovered = ImGui::IsItemHovered();
    uint32_t bg = selected ? c.th.option_sel_bg : hovered ? c.th.option_hover_bg : c.th.option_bg;
    uint32_t fg = selected ? c.th.option_sel_text : c.th.text;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 end(pos.x + width, pos.y + h);
    float bw = std::max(2.0f, fs / 12.0f);
    fill_opaque(dl, pos, end, col(bg), pad * 0.5f);
    dl->AddRect(pos, end, col(selected ? c.th.option_sel_bg : c.th.option_border), pad * 0.5f, 0, bw);
    float ty = ts.y + 2 * pad > h ? pos.y + pad : pos.y + (h - ts.y) * 0.5f;
    float x = pos.x + pad;
    if (mk != Marker::None) {
        // The marker sits on the row's colours: drawn in the text colour of the row.
        float r = marker * 0.5f;
        ImVec2 mc(x + r, ty + fs * 0.5f); // centred on the first line
        if (mk == Marker::Radio) {
            dl->AddCircle(mc, r, col(fg), 24, bw);
            if (selected) dl->AddCircleFilled(mc, r * 0.55f, col(fg), 24);
        } else {
            dl->AddRect(ImVec2(mc.x - r, mc.y - r), ImVec2(mc.x + r, mc.y + r), col(fg), 0, 0, bw);
            if (selected) {
                if (!badge.empty()) {
                    ImVec2 bs = ImGui::CalcTextSize(badge.c_str());
                    dl->AddText(ImVec2(mc.x - bs.x * 0.5f, mc.y - bs.y * 0.5f), col(fg), badge.c_str());
                } else {
                    dl->AddLine(ImVec2(mc.x - r * 0.6f, mc.y), ImVec2(mc.x - r * 0.15f, mc.y + r * 0.5f), col(fg), bw * 1.5f);
                    dl->AddLine(ImVec2(mc.x - r * 0.15f, mc.y + r * 0.5f), ImVec2(mc.x + r * 0.65f, mc.y - r * 0.55f),
                                col(fg), bw * 1.5f);
                }
            }
        }
        x += marker + pad;
    }
    if (!num.empty()) {
        dl->AddText(f, fs, ImVec2(x, ty), col(fg), num.c_str());
        x += num_w;
    }
    dl->AddText(f, fs, ImVec2(x, ty), col(fg), label.c_str(), nullptr, wrap);
    if (focus_ring(c)) pressed = true;
    note_control_rect(c, name);
    ImGui::PopID();
    return pressed;
}

void wrapped(const std::string& s, uint32_t color) {
    if (s.empty()) return;
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(col(color)));
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(s.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
}

void heading(ScreenDraw& c, const std::string& s) {
    ImGui::PushFont(c.ui.fonts.heading);
    wrapped(s, c.th.text);
    ImGui::PopFont();
}

int resize_cb(ImGuiInputTextCallbackData* d) {
    if (d->EventFlag == ImGuiInputTextFlags_CallbackResize) {
        auto* s = static_cast<std::string*>(d->UserData);
        s->resize(static_cast<size_t>(d->BufTextLen));
        d->Buf = s->data();
    }
    return 0;
}

// A text field bound to a field id (see edit_field). Physical keyboard types into it; the
// "Tastatur" button opens the on-screen keyboard for touch-only kiosks.
void text_field(ScreenDraw& c, const std::string& field, const std::string& label, bool multiline, bool numeric,
                float width) {
    if (!label.empty()) wrapped(label, c.th.text);
    std::string text = field_text(c.app, field);
    std::string kb = kiosk_text(c.app, "keyboard");
    float kb_w = ImGui::CalcTextSize(kb.c_str()).x + 3 * c.m.pad;
    bool side = width - kb_w - c.m.gap > c.m.body * 8;
    float fw = side ? width - kb_w - c.m.gap : width;
    ImGui::PushID(field.c_str());
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(col(c.th.field_text)));
    ImGui::PushStyleColor(ImGuiCol_Border, ImGui::ColorConvertU32ToFloat4(col(c.th.field_border)));
    ImGuiInputTextFlags fl = ImGuiInputTextFlags_CallbackResize;
    if (numeric) fl |= ImGuiInputTextFlags_CharsDecimal;
    // Enter leaves a multi-line field too (then Enter again = next): a keypad user must
    // never be trapped. A new line is Ctrl+Enter.
    if (multiline) fl |= ImGuiInputTextFlags_CtrlEnterForNewLine;
    text.reserve(text.size() + 16);
    if (c.want_focus || c.ui.focus_field == field) {
        // Tab moved here: the ring shows where typing goes, even after a mouse was used.
        if (c.ui.focus_field == field) GImGui->NavDisableHighlight = false;
        ImGui::SetKeyboardFocusHere();
        c.want_focus = false;
        c.ui.focus_field.clear();
    }
    // Tab between fields is ours (see question_page): ImGui 1.86 does not tab out of a
    // child window's field reliably.
    ImGui::PushItemFlag(ImGuiItemFlags_NoTabStop, true);
    bool edited;
    if (multiline)
        edited = ImGui::InputTextMultiline("##t", text.data(), text.capacity() + 1, ImVec2(fw, c.m.body * 4.5f + 2 * c.m.pad),
                                           fl, resize_cb, &text);
    else {
        ImGui::SetNextItemWidth(fw);
        edited = ImGui::InputText("##t", text.data(), text.capacity() + 1, fl,
                                  resize_cb, &text);
    }
    ImGui::PopItemFlag();
    if (ImGui::IsItemActive()) c.active_field = int(c.fields.size());
    c.fields.push_back(field);
    ImGui::PopStyleColor(2);
    // Typing shows what is typed: a field below the page's edge (the page opened at its
    // question) comes into view with the first character.
    if (edited) c.ui.reveal = "field/" + field;
    focus_ring(c, false);
    note_control_rect(c, "field/" + field);
    if (edited) edit_field(c.app, field, std::string(text.c_str()));
    if (side) ImGui::SameLine(0, c.m.gap);
    // Tab skips the on-screen keyboard button: whoever uses Tab has a real keyboard.
    ImGui::PushItemFlag(ImGuiItemFlags_NoTabStop, true);
    if (big_button(c, "keyboard/" + field, kb, Kind::Secondary, kb_w)) {
        c.app.page.osk_field = field;
        c.app.page.osk_shift = false;
        ImGui::ClearActiveID();
    }
    ImGui::PopItemFlag();
    ImGui::PopID();
}

} // namespace

std::string problem_text(const KioskApp& app, const AnswerProblem& p) {
    // {x} is the limit the person needs ("höchstens 100"): `bound`, never the diagnostic
    // `detail` (which names the cell, "W_1: 100", or holds what was typed).
    static const char* keys[] = {"",          "p_required", "p_not_a_number", "p_too_small", "p_too_large",
                                 "p_integer", "p_too_few",  "p_too_many",     "p_bad_date",  "p_unknown",
                                 "p_too_long", "p_other_missing"};
    if (p.ok() || p.kind < 0 || p.kind > AnswerProblem::OtherTextMissing) return {};
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

// --- per-type widgets ---------------------------------------------------------------------

void choices_widget(ScreenDraw& c, const Question& q, float width) {
    auto choices = page_choices(c.app, q);
    Marker mk = (q.type == QuestionType::MultipleChoice || q.type == QuestionType::Ranking) ? Marker::Check : Marker::Radio;
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
        std::string label = ch.label;
        if (ch.code == kNoAnswerCode) label = "0  " + label;
        if (option_row(c, "option/" + std::to_string(i + 1), number <= 9 ? number : 0, label, sel,
                       ch.code == kNoAnswerCode ? Marker::Radio : mk, width, badge))
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
            if (big_button(c, "rank_up/" + n, kiosk_text(c.app, "move_up"), Kind::Secondary, bw)) rank_move(c.app, q, int(i), -1);
            ImGui::SameLine(0, c.m.gap);
            if (big_button(c, "rank_down/" + n, kiosk_text(c.app, "move_down"), Kind::Secondary, bw)) rank_move(c.app, q, int(i), 1);
            ImGui::SameLine(0, c.m.gap);
            if (big_button(c, "rank_remove/" + n, kiosk_text(c.app, "remove"), Kind::Secondary, bw)) choose(c.app, a->values[i]);
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
                    if (option_row(c, "cell/" + key + "/" + std::to_string(i + 1), i < 9 ? int(i) + 1 : 0,
                                   survey_text(c.app, opts[i].text), cur == opts[i].code, Marker::Radio, width - indent))
                        choose_cell(c.app, q, key, opts[i].code);
                    if (i == 0) first_bottom = ImGui::GetItemRectMax().y;
                }
                ImGui::Unindent(indent);
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
        if (q.type == QuestionType::MultipleChoice) {
            std::string hint = q.max_answers > 0 ? fill(kiosk_text(c.app, "choose_up_to"), {{"x", std::to_string(q.max_answers)}})
                                                 : kiosk_text(c.app, "choose_several");
            wrapped(hint, c.th.text_muted);
        }
        if (q.type == QuestionType::Ranking) {
            int lim = q.max_answers > 0 ? q.max_answers : int(q.options.size());
            wrapped(fill(kiosk_text(c.app, "ranking_hint"), {{"x", std::to_string(lim)}}), c.th.text_muted);
        }
        choices_widget(c, q, width);
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
        wrapped(kiosk_text(c.app, "ranked_list_hint"), c.th.text_muted);
        for (int i = 0; i < n; ++i) {
            std::string f = q.code + "|rank|" + std::to_string(i);
            text_field(c, f, std::to_string(i + 1) + ".", false, false, width);
            if (i > 0) {
                if (big_button(c, "rank_up/" + std::to_string(i + 1), kiosk_text(c.app, "move_up"), Kind::Secondary, width * 0.5f))
                    rank_move(c.app, q, i, -1);
            }
        }
        break;
    }
    case QuestionType::Info: break;
    }
    if (q.comment && q.is_closed()) {
        ImGui::Dummy(ImVec2(0, c.m.gap));
        text_field(c, q.code + "|comment", q.comment_label.empty() ? kiosk_text(c.app, "comment") : survey_text(c.app, q.comment_label),
                   true, false, width);
    }
}

// --- frame pieces -------------------------------------------------------------------------

void toolbar(ScreenDraw& c, float width) {
    ImGui::PushFont(c.ui.fonts.toolbar);
    float right_free = c.m.target * 1.5f; // staff corner
    float x0 = ImGui::GetCursorPosX();
    float avail = width - right_free;
    float used = 0;
    auto item = [&](const std::string& name, const std::string& label, Kind k) {
        float w = ImGui::CalcTextSize(label.c_str()).x + 3 * c.m.pad;
        if (used > 0 && used + c.m.gap + w > avail) used = 0; // wrap to a new line
        else if (used > 0) ImGui::SameLine(x0 + used + c.m.gap);
        if (used > 0) used += c.m.gap;
        used += w;
        return big_button(c, name, label, k, w);
    };
    std::string size_label = fill(kiosk_text(c.app, "text_size_button"), {{"x", std::to_string(c.app.reading.text_scale)}});
    if (item("tool/text_size", size_label, Kind::Secondary)) {
        int next = 100;
        for (size_t i = 0; i < std::size(kTextScales); ++i)
            if (kTextScales[i] == c.app.reading.text_scale) next = kTextScales[(i + 1) % std::size(kTextScales)];
        set_text_scale(c.app, next);
    }
    if (item("tool/contrast", kiosk_text(c.app, "contrast_button"), Kind::Secondary))
        c.app.reading.theme = c.app.reading.theme == ThemeId::Standard ? ThemeId::HighContrast : ThemeId::Standard;
    if (item("tool/read", c.ui.speaking ? kiosk_text(c.app, "stop_reading") : kiosk_text(c.app, "read_aloud"), Kind::Secondary)) {
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
    if (c.app.screen == Screen::Language) pct = 0;
    ImVec2 p = ImGui::GetCursorScreenPos();
    float h = std::max(8.0f, c.m.toolbar * 0.3f);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p, ImVec2(p.x + width, p.y + h), col(c.th.progress_track), h * 0.5f);
    dl->AddRectFilled(p, ImVec2(p.x + width * pct / 100.0f, p.y + h), col(c.th.progress_fill), h * 0.5f);
    ImGui::Dummy(ImVec2(width, h));
}

void on_screen_keyboard(ScreenDraw& c, float width, float height) {
    KioskApp& app = c.app;
    const std::string field = app.page.osk_field;
    std::string text = field_text(app, field);
    bool changed = false;
    // Physical keys keep working while the on-screen keyboard is open.
    if (take_typed_chars(text)) changed = true;
    if (ImGui::IsKeyPressed(GLFW_KEY_BACKSPACE)) {
        pop_utf8_char(text);
        changed = true;
    }
    bool close = ImGui::IsKeyPressed(GLFW_KEY_ESCAPE, false) || ImGui::IsKeyPressed(GLFW_KEY_ENTER, false) ||
                 ImGui::IsKeyPressed(GLFW_KEY_KP_ENTER, false);

    ImGui::PushFont(c.ui.fonts.toolbar);
    float fs = ImGui::GetFontSize();
    float key_h = std::max(48.0f * c.m.dpi, fs + 2 * std::round(fs * 0.35f));
    float rows_h = 5 * (key_h + c.m.gap);
    ImGui::PopFont();
    // The text being typed, large, above the keys.
    ImGui::BeginChild("osk_text", ImVec2(width, std::max(c.m.target, height - rows_h - c.m.gap)), false);
    wrapped(kiosk_text(app, "keyboard_typing"), c.th.text_muted);
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(col(c.th.field_text)));
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted((text + "|").c_str()); // the bar is the insertion point
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
    ImGui::SetScrollHereY(1.0f);
    ImGui::EndChild();

    ImGui::PushFont(c.ui.fonts.toolbar);
    const char* const* rows = app.page.osk_shift ? kKeysGermanUpper : kKeysGermanLower;
    float key_w = (width - 10 * c.m.gap) / 11;
    for (int r = 0; r < 4; ++r) {
        std::vector<std::string> keys = utf8_chars(rows[r]);
        for (size_t k = 0; k < keys.size(); ++k) {
            if (k > 0) ImGui::SameLine(0, c.m.gap);
            if (big_button(c, "osk/" + keys[k], keys[k], Kind::Secondary, key_w)) {
                text += keys[k];
                changed = true;
                if (app.page.osk_shift) app.page.osk_shift = false;
            }
        }
    }
    float w4 = (width - 3 * c.m.gap) / 4;
    if (big_button(c, "osk/shift", kiosk_text(app, "shift"), app.page.osk_shift ? Kind::Primary : Kind::Secondary, w4))
        app.page.osk_shift = !app.page.osk_shift;
    ImGui::SameLine(0, c.m.gap);
    if (big_button(c, "osk/space", kiosk_text(app, "space"), Kind::Secondary, w4)) {
        text += " ";
        changed = true;
    }
    ImGui::SameLine(0, c.m.gap);
    if (big_button(c, "osk/delete", kiosk_text(app, "delete"), Kind::Secondary, w4)) {
        pop_utf8_char(text);
        changed = true;
    }
    ImGui::SameLine(0, c.m.gap);
    if (big_button(c, "osk/done", kiosk_text(app, "keyboard_done"), Kind::Primary, w4)) close = true;
    ImGui::PopFont();
    if (changed) edit_field(app, field, text);
    if (close) {
        app.page.osk_field.clear();
        c.enter_used = true;
    }
}

void welcome_screen(ScreenDraw& c, ImVec2 size) {
    ImGui::PushFont(c.ui.fonts.heading);
    std::string title = c.app.survey ? survey_text(c.app, c.app.survey->title) : "";
    std::string label = title + "\n\n" + kiosk_text(c.app, "welcome_tap");
    float w = size.x - 2 * c.m.target;
    ImGui::SetCursorPos(ImVec2(c.m.target, c.m.target * 1.5f));
    ImGuiIO& io = ImGui::GetIO();
    bool go = big_button(c, "welcome", label, Kind::Primary, w);
    ImGui::PopFont();
    ImGui::Dummy(ImVec2(0, c.m.gap));
    ImGui::SetCursorPosX(c.m.target);
    ImGui::PushTextWrapPos(c.m.target + w);
    wrapped(kiosk_text(c.app, "welcome_langs"), c.th.text);
    ImGui::PopTextWrapPos();
    bool key = !io.KeyCtrl && !io.KeyAlt &&
               (ImGui::IsKeyPressed(GLFW_KEY_ENTER, false) || ImGui::IsKeyPressed(GLFW_KEY_KP_ENTER, false) ||
                ImGui::IsKeyPressed(GLFW_KEY_SPACE, false));
    for (int k = 0; k <= 9 && !key; ++k)
        key = ImGui::IsKeyPressed(GLFW_KEY_0 + k, false) || ImGui::IsKeyPressed(GLFW_KEY_KP_0 + k, false);
    if (go || key) {
        c.enter_used = true;
        start_survey(c.app, c.now);
    }
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
        if (option_row(c, "lang/" + lang, n, name, sel, Marker::Radio, width)) choose_language(app, lang);
        if (!ImGui::GetIO().WantTextInput && n <= 9 &&
            (ImGui::IsKeyPressed(GLFW_KEY_0 + n, false) || ImGui::IsKeyPressed(GLFW_KEY_KP_0 + n, false)))
            choose_language(app, lang);
        ++n;
    }
    ImGui::Dummy(ImVec2(0, c.m.gap));
    wrapped(kiosk_text(app, "text_size"), c.th.text);
    for (int s : kTextScales)
        if (option_row(c, "size/" + std::to_string(s), 0, std::to_string(s) + " %", app.reading.text_scale == s,
                       Marker::Radio, width))
            set_text_scale(app, s);
    ImGui::Dummy(ImVec2(0, c.m.gap));
    wrapped(kiosk_text(app, "contrast"), c.th.text);
    if (option_row(c, "theme/standard", 0, kiosk_text(app, "contrast_standard"), app.reading.theme == ThemeId::Standard,
                   Marker::Radio, width))
        app.reading.theme = ThemeId::Standard;
    if (option_row(c, "theme/high", 0, kiosk_text(app, "contrast_high"), app.reading.theme == ThemeId::HighContrast,
                   Marker::Radio, width))
        app.reading.theme = ThemeId::HighContrast;
    ImGui::Dummy(ImVec2(0, c.m.gap));
    wrapped(kiosk_text(app, "reading_aids"), c.th.text);
    if (option_row(c, "easy_font", 0, kiosk_text(app, "easy_font"), app.reading.easy_font, Marker::Check, width))
        app.reading.easy_font = !app.reading.easy_font;
    if (option_row(c, "read_auto", 0, kiosk_text(app, "read_auto"), app.reading.read_aloud_auto, Marker::Check, width)) {
        app.reading.read_aloud_auto = !app.reading.read_aloud_auto;
        if (app.reading.read_aloud_auto) request_speech(app);
        else app.speak_stop = true;
    }
}

void question_page(ScreenDraw& c, float width) {
    KioskApp& app = c.app;
    const Question* q = app.session->current();
    if (!q) return;
    heading(c, survey_text(app, q->text));
    if (!q->help.empty()) wrapped(survey_text(app, q->help), c.th.text_muted);
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
        if (slots.empty() || digit == 0) return;
        int active = std::clamp(app.page.matrix_row, 0, int(slots.size()) - 1);
        bool second = slots[active].size() > 2 && slots[active].compare(slots[active].size() - 2, 2, "#1") == 0;
        const auto& opts = second ? q->options2 : q->options;
        if (digit <= int(opts.size())) {
            choose_cell(app, *q, slots[active], opts[digit - 1].code, false);
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
        if (big_button(c, "change/" + q->code, change_label, Kind::Secondary, std::min(width, bw))) {
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
    if (can_back) {
        if (big_button(c, "back", kiosk_text(app, "back"), Kind::Secondary, bw)) back(app);
    } else {
        ImGui::Dummy(ImVec2(bw, 1));
    }
    ImGui::SameLine(width - bw + ImGui::GetStyle().WindowPadding.x);
    bool at_review = app.screen == Screen::Review;
    std::string label = at_review ? kiosk_text(app, "submit") : kiosk_text(app, "next");
    if (big_button(c, at_review ? "submit" : "next", label, Kind::Primary, bw)) {
        if (at_review) submit(app, c.now);
        else next(app);
    }
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
    if (big_button(c, "more_time", kiosk_text(app, "more_time"), Kind::Primary, w)) more_time(app, c.now);
    ImGui::PopFont();
    ImGui::Dummy(ImVec2(0, c.m.gap * 2));
    if (big_button(c, "end_now", kiosk_text(app, "end_now"), Kind::Secondary, w * 0.5f)) end_session_timeout(app, c.now);
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
    bool done = big_button(c, "done", button, Kind::Primary, w * 0.6f);
    ImGui::Unindent(c.m.target);
    if (done || ImGui::IsKeyPressed(GLFW_KEY_ENTER, false) || ImGui::IsKeyPressed(GLFW_KEY_KP_ENTER, false)) {
        reset_to_welcome(c.app);
        c.enter_used = true;
    }
}

// Digits for PIN entry: on-screen keypad plus physical digits; masked, never spoken.
void pin_pad(ScreenDraw& c, std::string& target, float width, bool* ok_pressed) {
    float kw = (width - 2 * c.m.gap) / 3;
    const char* labels[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "<", "0", "OK"};
    for (int i = 0; i < 12; ++i) {
        if (i % 3) ImGui::SameLine(0, c.m.gap);
        std::string l = labels[i];
        std::string shown = l == "<" ? kiosk_text(c.app, "delete") : l;
        if (big_button(c, "pin/" + l, shown, l == "OK" ? Kind::Primary : Kind::Secondary, kw)) {
            if (l == "<") {
                if (!target.empty()) target.pop_back();
            } else if (l == "OK") {
                *ok_pressed = true;
            } else if (target.size() < 32) {
                target += l;
            }
        }
    }
    for (int k = 0; k <= 9; ++k)
        if ((ImGui::IsKeyPressed(GLFW_KEY_0 + k, false) || ImGui::IsKeyPressed(GLFW_KEY_KP_0 + k, false)) &&
            target.size() < 32)
            target += char('0' + k);
    if (ImGui::IsKeyPressed(GLFW_KEY_BACKSPACE) && !target.empty()) target.pop_back();
    if (ImGui::IsKeyPressed(GLFW_KEY_ENTER, false) || ImGui::IsKeyPressed(GLFW_KEY_KP_ENTER, false)) *ok_pressed = true;
    ImGui::GetIO().InputQueueCharacters.resize(0);
}

void staff_pin_screen(ScreenDraw& c, ImVec2 size) {
    KioskApp& app = c.app;
    float w = std::min(size.x - 2 * c.m.target, c.m.body * 24);
    ImGui::SetCursorPos(ImVec2(c.m.target, c.m.target));
    ImGui::BeginGroup();
    ImGui::PushTextWrapPos(c.m.target + w);
    heading(c, kiosk_text(app, "staff_pin_title"));
    std::string dots(app.pin.entry.size() * 2, ' ');
    for (size_t i = 0; i < app.pin.entry.size(); ++i) dots[i * 2] = '*';
    wrapped(dots.empty() ? " " : dots, c.th.text);
    // A lock carried over from before a restart shows its countdown at once.
    if (!app.pin.message_key.empty() || app.pin.locked_until > c.now) {
        std::string msg = fill(kiosk_text(app, app.pin.message_key), {{"x", app.pin.path}});
        if (app.pin.locked_until > c.now)
            msg = fill(kiosk_text(app, "pin_locked"), {{"x", std::to_string(int(std::ceil(app.pin.locked_until - c.now)))}});
        else if (app.pin.message_key == "pin_locked")
            msg = kiosk_text(app, "pin_wrong");
        wrapped(msg, c.th.error);
    }
    ImGui::PopTextWrapPos();
    bool ok = false;
    pin_pad(c, app.pin.entry, w, &ok);
    if (ok) staff_pin_attempt(app, c.now);
    ImGui::Dummy(ImVec2(0, c.m.gap));
    if (big_button(c, "pin/cancel", kiosk_text(app, "cancel"), Kind::Secondary, w) || ImGui::IsKeyPressed(GLFW_KEY_ESCAPE, false))
        leave_staff(app);
    ImGui::EndGroup();
}

void staff_menu(ScreenDraw& c, ImVec2 size) {
    KioskApp& app = c.app;
    float w = size.x - 2 * c.m.target;
    ImGui::SetCursorPos(ImVec2(c.m.target * 0.5f, c.m.pad));
    ImGui::BeginChild("staff", ImVec2(size.x - c.m.target, size.y - 2 * c.m.pad), false);
    w = ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ScrollbarSize;
    if (app.staff_desk == StaffDesk::Paper) {
        if (draw_paper_desk(app.paper, c.ui, app.wall_clock ? app.wall_clock() : 0)) app.staff_desk = StaffDesk::Menu;
        ImGui::EndChild();
        return;
    }
    if (app.staff_desk == StaffDesk::Tally) {
        if (draw_tally_desk(app.tally, c.ui)) app.staff_desk = StaffDesk::Menu;
        ImGui::EndChild();
        return;
    }
    if (is_field_desk(app.staff_desk)) {
        if (draw_field_desk(app, c.ui, c.now) && app.screen == Screen::StaffMenu) app.staff_desk = StaffDesk::Menu;
        ImGui::EndChild();
        return;
    }
    if (app.staff_desk == StaffDesk::Sync) {
        if (draw_sync_desk(app, c.ui, c.now)) app.staff_desk = StaffDesk::Menu;
        ImGui::EndChild();
        return;
    }
    heading(c, kiosk_text(app, "staff_menu"));
    StaffInfo info = app.staff_info_fn ? app.staff_info_fn() : StaffInfo{};
    if (info.demo_key) {
        ImVec2 p = ImGui::GetCursorScreenPos();
        std::string demo = kiosk_text(app, "demo_notice");
        ImVec2 ts = ImGui::CalcTextSize(demo.c_str(), nullptr, false, w - 2 * c.m.pad);
        ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + w, p.y + ts.y + 2 * c.m.pad), col(c.th.demo_bg));
        ImGui::SetCursorScreenPos(ImVec2(p.x + c.m.pad, p.y + c.m.pad));
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + w - 2 * c.m.pad);
        wrapped(demo, c.th.demo_text);
        ImGui::PopTextWrapPos();
        ImGui::Dummy(ImVec2(0, c.m.pad));
    }
    if (!app.pin.message_key.empty()) wrapped(kiosk_text(app, app.pin.message_key), app.pin.message_key == "pin_changed" ? c.th.text : c.th.error);

    auto change_pin_form = [&]() {
        wrapped(kiosk_text(app, "pin_change"), c.th.text);
        bool second = app.pin.new_pin.size() >= 6 && app.pin.change_repeat;
        wrapped(second ? kiosk_text(app, "pin_repeat") : kiosk_text(app, "pin_new"), c.th.text_muted);
        std::string& target = second ? app.pin.new_pin2 : app.pin.new_pin;
        wrapped(std::string(target.size(), '*') + " ", c.th.text);
        bool ok = false;
        pin_pad(c, target, std::min(w, c.m.body * 24), &ok);
        if (ok) {
            if (!second) app.pin.change_repeat = true;
            else {
                staff_change_pin(app);
                app.pin.change_repeat = false;
            }
        }
    };
    if (app.pin.must_change) {
        // Logged in with the default PIN: nothing but the PIN change (or leaving) until it is
        // done - not even "Kiosk beenden", so whoever knows the printed default cannot stop
        // the kiosk or reach a desk.
        change_pin_form();
        ImGui::Dummy(ImVec2(0, c.m.gap));
        if (big_button(c, "pin/cancel", kiosk_text(app, "cancel"), Kind::Secondary, std::min(w, c.m.body * 24))) leave_staff(app);
    } else {
        if (!info.error.empty()) wrapped(info.error, c.th.error);
        wrapped(fill(kiosk_text(app, "staff_status"), {{"records", std::to_string(info.records)},
                                               {"unsynced", std::to_string(info.unsynced)},
                                               {"pending", std::to_string(info.pending_in_memory)},
                                               {"sync", info.last_sync.empty() ? "-" : info.last_sync}}),
                c.th.text);
        wrapped(fill(kiosk_text(app, "staff_run"), {{"done", std::to_string(app.submitted)}, {"partial", std::to_string(app.partials)}}),
                c.th.text);
        wrapped(field_status_text(app), c.th.text);
        for (const auto& a : info.alarms) wrapped("! " + a, c.th.error);
        if (!app.save_error.empty()) wrapped("! " + app.save_error, c.th.error);
        if (app.survey) wrapped(kiosk_text(app, "staff_survey") + " " + survey_text(app, app.survey->title) + " (" + app.survey->id + " " +
                                    app.survey->version + ")", c.th.text_muted);
        for (const auto& f : app.survey_files) {
            std::string name = f.substr(f.find_last_of('/') + 1);
            if (option_row(c, "staff/survey/" + name, 0, name, f == app.survey_path, Marker::Radio, w) && f != app.survey_path)
                staff_switch_survey(app, f);
        }
        if (!app.survey_message.empty())
            wrapped(app.survey_message, app.survey_message.rfind("ok:", 0) == 0 ? c.th.text_muted : c.th.error);
        ImGui::Dummy(ImVec2(0, c.m.gap));
        bool dirty = false;
        wrapped(fill(kiosk_text(app, "staff_idle"), {{"x", std::to_string(app.config.idle_seconds)}}), c.th.text);
        float bw = std::min(w / 2 - c.m.gap, c.m.body * 8);
        if (big_button(c, "staff/idle_minus", "- 30 s", Kind::Secondary, bw) && app.config.idle_seconds > 30) {
            app.config.idle_seconds -= 30;
            dirty = true;
        }
        ImGui::SameLine(0, c.m.gap);
        if (big_button(c, "staff/idle_plus", "+ 30 s", Kind::Secondary, bw) && app.config.idle_seconds < 1800) {
            app.config.idle_seconds += 30;
            dirty = true;
        }
        wrapped(kiosk_text(app, "staff_defaults"), c.th.text);
        auto& d = app.config.defaults;
        for (int s : kTextScales)
            if (option_row(c, "staff/size/" + std::to_string(s), 0, std::to_string(s) + " %", d.text_scale == s,
                           Marker::Radio, w)) {
                d.text_scale = s;
                dirty = true;
            }
        if (option_row(c, "staff/high_contrast", 0, kiosk_text(app, "contrast_high"), d.theme == ThemeId::HighContrast, Marker::Check, w)) {
            d.theme = d.theme == ThemeId::HighContrast ? ThemeId::Standard : ThemeId::HighContrast;
            dirty = true;
        }
        if (option_row(c, "staff/read_auto", 0, kiosk_text(app, "read_auto"), d.read_aloud_auto, Marker::Check, w)) {
            d.read_aloud_auto = !d.read_aloud_auto;
            dirty = true;
        }
        if (app.survey)
            for (const auto& lang : app.survey->languages) {
                auto it = app.texts.names.find(lang);
                if (option_row(c, "staff/lang/" + lang, 0, kiosk_text(app, "staff_language") + " " + (it != app.texts.names.end() ? it->second : lang),
                               d.language == lang, Marker::Radio, w)) {
                    d.language = lang;
                    dirty = true;
                }
            }
        if (dirty) {
            std::string err;
            if (!save_config(app, &err)) app.save_error = err;
        }
        ImGui::Dummy(ImVec2(0, c.m.gap));
        if (app.survey && app.vault && app.paper_registry &&
            big_button(c, "staff/paper", kiosk_text(app, "staff_paper"), Kind::Secondary, w * 0.6f)) {
            paper_desk_begin(app.paper, app.survey, app.paper_registry, app.vault, app.config.site, app.config.event);
            app.paper.texts = &app.texts;
            app.paper.lang = app.reading.language;
            app.staff_desk = StaffDesk::Paper;
        }
        if (app.survey && app.vault && big_button(c, "staff/tally", kiosk_text(app, "staff_tally"), Kind::Secondary, w * 0.6f)) {
            tally_desk_begin(app.tally, app.survey, app.vault, "", app.config.event, app.config.site,
                             format_utc(app.wall_clock ? app.wall_clock() : 0).substr(0, 10));
            app.tally.texts = &app.texts;
            app.tally.lang = app.reading.language;
            app.staff_desk = StaffDesk::Tally;
        }
        // Analogue sites: where the kiosk stands, assisted interviews, paper forms.
        if (big_button(c, "staff/site", kiosk_text(app, "staff_site"), Kind::Secondary, w * 0.6f)) {
            field_site_begin(app);
            app.staff_desk = StaffDesk::Site;
        }
        if (app.survey && big_button(c, "staff/assisted", kiosk_text(app, "staff_assisted"), Kind::Secondary, w * 0.6f))
            app.staff_desk = StaffDesk::Assisted;
        if (app.survey && big_button(c, "staff/print", kiosk_text(app, "staff_print"), Kind::Secondary, w * 0.6f)) {
            field_print_begin(app);
            app.staff_desk = StaffDesk::Print;
        }
        if (big_button(c, "staff/sync", kiosk_text(app, "staff_sync"), Kind::Secondary, w * 0.6f)) {
            sync_desk_begin(app.sync, app.data_dir);
            app.staff_desk = StaffDesk::Sync;
        }
        ImGui::Dummy(ImVec2(0, c.m.gap));
        if (app.pin.change_open) change_pin_form();
        else if (big_button(c, "staff/change_pin", kiosk_text(app, "pin_change"), Kind::Secondary, w * 0.6f)) {
            app.pin.change_open = true;
            app.pin.message_key.clear();
        }
        ImGui::Dummy(ImVec2(0, c.m.gap));
        if (big_button(c, "staff/back", kiosk_text(app, "staff_back"), Kind::Primary, w * 0.6f)) {
            leave_staff(app);
        }
        ImGui::Dummy(ImVec2(0, c.m.gap));
        if (big_button(c, "staff/quit", kiosk_text(app, "staff_quit"), Kind::Secondary, w * 0.6f)) app.quit = true;
    }
    ImGui::EndChild();
}

} // namespace

void forget_widget_state() {
    ImGuiContext& g = *GImGui;
    ImGui::ClearActiveID();
    ImGui::FocusWindow(nullptr);
    g.NavId = 0;
    g.NavDisableHighlight = true;
    ImGuiInputTextState& st = g.InputTextState;
    if (st.TextW.Data) std::memset(st.TextW.Data, 0, size_t(st.TextW.Capacity) * sizeof(ImWchar));
    if (st.TextA.Data) std::memset(st.TextA.Data, 0, size_t(st.TextA.Capacity));
    if (st.InitialTextA.Data) std::memset(st.InitialTextA.Data, 0, size_t(st.InitialTextA.Capacity));
    st.ClearFreeMemory();
    std::memset(&st.Stb, 0, sizeof(st.Stb)); // the undo buffer holds typed characters
    st.ID = 0;
    st.CurLenA = st.CurLenW = 0;
    ImGui::GetIO().InputQueueCharacters.resize(0);
}

bool write_layout(const UiState& ui, const std::string& path) {
    std::string tmp = path + ".tmp";
    FILE* f = std::fopen(tmp.c_str(), "w");
    if (!f) return false;
    std::fprintf(f, "@page %s\n", ui.page_name.c_str());
    if (!ui.focused.empty()) std::fprintf(f, "@focus %s %s\n", ui.focused.c_str(), ui.focused_visible ? "visible" : "hidden");
    for (const auto& [name, r] : ui.rects) std::fprintf(f, "%s %d %d %d %d\n", name.c_str(), int(r.x0), int(r.y0), int(r.x1), int(r.y1));
    std::fclose(f);
    return std::rename(tmp.c_str(), path.c_str()) == 0;
}

void draw_kiosk(KioskApp& app, UiState& ui, double now) {
    ImGuiIO& io = ImGui::GetIO();
    if (ui.seen_generation != app.generation) {
        forget_widget_state();
        ui.seen_generation = app.generation;
    }
    ui.m = compute_metrics(ui.fonts.built_scale ? ui.fonts.built_scale : app.reading.text_scale, ui.dpi);
    const Theme& th = theme(app.reading.theme);
    apply_style(th, ui.m);
    ui.rects.clear();
    ScreenDraw c{app, ui, th, ui.m, now, false, false, {}, -1};
    // The name of the page these rects belong to (the layout dump pairs them).
    const std::string previous_page = ui.page_name;
    static const char* screen_names[] = {"Welcome", "Language", "Question", "Review", "ThankYou", "SaveFailed", "StaffPin", "StaffMenu"};
    ui.page_name = app.idle.warning ? "Warning" : screen_names[int(app.screen)];
    if (app.screen == Screen::Question && app.session && app.session->current()) {
        const Question* q = app.session->current();
        int rows = 0;
        for (const Row& r : q->rows) rows += app.session->is_row_visible(*q, r) ? 1 : 0;
        ui.page_name += " " + q->code + " " + type_name(q->type) + " " + std::to_string(rows);
    }
    if (!app.page.osk_field.empty()) ui.page_name += " keyboard";
    if (ui.page_name != previous_page) {
        ui.focus_moved = false;
        ui.reveal_focus = 0;
        ui.reveal.clear();
    }
    if (ui.reveal_focus > 0) --ui.reveal_focus;
    ui.focused.clear();
    ui.focused_visible = false;
    for (int k : {GLFW_KEY_TAB, GLFW_KEY_UP, GLFW_KEY_DOWN, GLFW_KEY_LEFT, GLFW_KEY_RIGHT})
        if (ImGui::IsKeyPressed(k)) {
            ui.focus_moved = true;
            // ImGui moves the focus in the frames after the key: follow it for a few.
            ui.reveal_focus = 4;
        }


    // Any input counts as activity (the idle timer) - measured here so tests see it too.
    bool input = io.MouseClicked[0] || io.MouseWheel != 0 || io.InputQueueCharacters.Size > 0;
    for (int k = 0; k < 512 && !input; ++k)
        if (io.KeysDown[k] && io.KeysDownDuration[k] == 0.0f) input = true;
    ui.any_input = input;
    if (input) {
        note_activity(app, now);
        app.speak_stop = app.speak_stop || (io.MouseClicked[0] && !app.idle.warning);
    }

    // Staff entrance: 5 taps into the top-right corner within 3 s, or Ctrl+Alt+S.
    ImVec2 size = io.DisplaySize;
    float corner = ui.m.target;
    if (io.MouseClicked[0] && io.MousePos.x >= size.x - corner && io.MousePos.y <= corner) staff_corner_tap(app, now);
    if (io.KeyCtrl && io.KeyAlt && ImGui::IsKeyPressed(GLFW_KEY_S, false)) open_staff_pin(app);

    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(size);
    // No window background: the renderer clears to the theme's background colour. Under a
    // software renderer (llvmpipe) each full-screen fill is a textured, blended pass that
    // costs milliseconds per frame at 1920x1080.
    ImGuiWindowFlags wf = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                          ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse |
                          ImGuiWindowFlags_NoBackground;
    ImGui::Begin("kiosk", nullptr, wf);
    const Screen shown = app.screen;
    if (app.idle.warning) {
        idle_warning(c, size);
    } else {
        switch (app.screen) {
        case Screen::Welcome: welcome_screen(c, size); break;
        case Screen::ThankYou: {
            std::string body = app.survey && !app.survey->end_text.empty() ? survey_text(app, app.survey->end_text) + "\n\n" : "";
            message_screen(c, size, kiosk_text(app, "thanks_title"), body + kiosk_text(app, "thanks_body"), kiosk_text(app, "thanks_done"));
            break;
        }
        case Screen::SaveFailed: message_screen(c, size, kiosk_text(app, "save_failed_title"), kiosk_text(app, "save_failed"), kiosk_text(app, "thanks_done")); break;
        case Screen::StaffPin: staff_pin_screen(c, size); break;
        case Screen::StaffMenu: staff_menu(c, size); break;
        case Screen::Language:
        case Screen::Question:
        case Screen::Review: {
            if (!app.session) {
                reset_to_welcome(app);
                break;
            }
            float width = ImGui::GetContentRegionAvail().x;
            if (!app.page.osk_field.empty()) {
                on_screen_keyboard(c, width, ImGui::GetContentRegionAvail().y);
                break;
            }
            toolbar(c, width);
            draw_assisted_marker(app, ui, th, width);
            progress(c, width);
            // The nav bar height is known before drawing it: one target plus padding.
            float nav_h = std::max(48.0f * ui.m.dpi, ui.m.toolbar * 1.7f) + ImGui::GetStyle().ItemSpacing.y + ui.m.pad;
            float content_h = ImGui::GetContentRegionAvail().y - nav_h;
            std::string key = std::to_string(int(app.screen)) + "/" +
                              (app.session->current() ? app.session->current()->code : "") + "/" + std::to_string(app.generation);
            ImGui::BeginChild("content", ImVec2(width, std::max(content_h, ui.m.target)), false, ImGuiWindowFlags_NoBackground);
            if (key != ui.page_key) {
                ImGui::SetScrollY(0);
                ui.page_key = key;
            }
            ui.scroll_y = ImGui::GetScrollY();
            float inner = ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ScrollbarSize - ui.m.focus_width * 2;
            ImGui::SetCursorPosX(ImGui::GetCursorPosX() + ui.m.focus_width);
            ImGui::BeginGroup();
            if (app.screen == Screen::Language) language_page(c, inner);
            else if (app.screen == Screen::Question) question_page(c, inner);
            else review_page(c, inner);
            ImGui::EndGroup();
            // Touch screens: dragging the page scrolls it (and the row under the finger is
            // not pressed when the finger lifts).
            if (ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem) &&
                ImGui::IsMouseDragging(0, ui.m.body * 0.5f) && !io.WantTextInput) {
                ImGui::SetScrollY(ImGui::GetScrollY() - io.MouseDelta.y);
                if (ImGui::GetActiveID() != 0 && ImGui::GetActiveID() != ImGui::GetWindowScrollbarID(GImGui->CurrentWindow, ImGuiAxis_Y))
                    ImGui::ClearActiveID();
            }
            ImGui::EndChild();
            if (app.screen == shown && app.session) nav_bar(c, width);
            // Enter = next, Backspace = back, keypad "-" = back, "+" = read aloud.
            if (app.screen == shown && app.session && !io.WantTextInput && !c.enter_used && !io.KeyCtrl && !io.KeyAlt) {
                if (ImGui::IsKeyPressed(GLFW_KEY_ENTER, false) || ImGui::IsKeyPressed(GLFW_KEY_KP_ENTER, false)) {
                    if (app.screen == Screen::Review) submit(app, now);
                    else next(app);
                } else if (ImGui::IsKeyPressed(GLFW_KEY_BACKSPACE, false) || ImGui::IsKeyPressed(GLFW_KEY_KP_SUBTRACT, false)) {
                    back(app);
                } else if (ImGui::IsKeyPressed(GLFW_KEY_KP_ADD, false)) {
                    request_speech(app);
                }
            }
            break;
        }
        }
    }
    ImGui::End();


    // Leaving a page drops ImGui's edit buffer, so the next page starts clean.
    if (app.screen != shown) ImGui::ClearActiveID();
    if (app.reading.read_aloud_auto && !app.page.spoken &&
        (app.screen == Screen::Language || app.screen == Screen::Question || app.screen == Screen::Review ||
         app.screen == Screen::ThankYou)) {
        request_speech(app);
        app.page.spoken = true;
    }
}

} // namespace tk
