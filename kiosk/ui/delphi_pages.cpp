// delphi_pages.cpp - a Delphi round's pieces of the respondent pages (state and actions:
// kiosk/state/delphi_participant.h).
//
//   delphi_code_screen   the code page: the code field (typed, on-screen keyboard, a scanner's
//                        keys and Enter), its message, "Ich habe keinen Code"
//   delphi_item_panel    above a repeated question or matrix row: the own earlier answer, the
//                        group's result as a bar chart with the median line, the statistics,
//                        "Antwort beibehalten", and the reason field when the answer crosses
//   delphi_option_label  an option's text with the mark of the participant's earlier answer
#include "screen_draw.h"

#include <GLFW/glfw3.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace tk {

void delphi_code_screen(ScreenDraw& c, float width) {
    KioskApp& app = c.app;
    DelphiParticipant& d = app.delphi;
    heading(c, kiosk_text(app, "delphi_code_title"));
    wrapped(kiosk_text(app, "delphi_code_hint"), c.th.text_muted);
    ImGui::Dummy(ImVec2(0, c.m.gap));
    // A scanner types into whatever has the keyboard: the field takes it when the page opens.
    c.want_focus = app.page.focus_first && !d.working;
    app.page.focus_first = false;
    const bool typing = ImGui::GetIO().WantTextInput;
    text_field(c, kDelphiCodeField, kiosk_text(app, "delphi_code_label"), false, false, width);
    // Enter in the field (the last key a scanner sends) checks the code; outside the field the
    // frame's Enter is "Weiter", which does the same (next()).
    if (typing && (ImGui::IsKeyPressed(GLFW_KEY_ENTER, false) || ImGui::IsKeyPressed(GLFW_KEY_KP_ENTER, false))) {
        delphi_submit_code(app, c.now);
        c.enter_used = true;
    }
    std::string msg = d.message_key;
    if (msg.empty() && d.passed && d.keys_ok) msg = "delphi_code_taken";
    if (!msg.empty()) {
        ImGui::Dummy(ImVec2(0, c.m.gap * 0.5f));
        const bool bad = msg == "delphi_code_wrong" || msg == "delphi_code_locked" || msg == "delphi_code_missing" ||
                         msg == "delphi_code_error";
        std::string text = kiosk_text(app, msg);
        if (msg == "delphi_code_locked")
            text = fill(text, {{"x", std::to_string(std::max(1, int(std::ceil(delphi_lock_seconds_left(app, c.now)))))}});
        ImGui::PushFont(c.ui.fonts.heading);
        wrapped((bad ? "! " : "") + text, bad ? c.th.error : c.th.text);
        ImGui::PopFont();
    }
    ImGui::Dummy(ImVec2(0, c.m.gap));
    if (!d.working && big_button(c, "delphi/no_code", kiosk_text(app, "delphi_no_code"), ButtonKind::Secondary, width))
        delphi_without_code(app);
}

// The group's distribution as horizontal bars, one per category in the scale's order (the text
// above each bar wraps and mirrors like every text; bars grow from the reading start), and the
// median as a line across the bars at its place on the scale.
static void bar_chart(ScreenDraw& c, const DelphiItemView& v, float width) {
    const delphi::ItemStats& s = *v.stats;
    int most = 1;
    for (const auto& [code, count] : s.distribution) most = std::max(most, count);
    const bool rtl = page_rtl();
    const float bar_h = std::max(c.m.body * 0.6f, 12.0f);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    std::vector<std::pair<double, float>> centres; // code value -> bar centre y
    float top = 0, bottom = 0;
    for (size_t i = 0; i < s.distribution.size(); ++i) {
        const auto& [code, count] = s.distribution[i];
        const bool own = std::find(v.own.begin(), v.own.end(), code) != v.own.end();
        std::string line = delphi_category_line(c.app, v, i);
        if (own) line += "  " + delphi_own_mark(c.app);
        wrapped(line, c.th.text);
        ImVec2 p = ImGui::GetCursorScreenPos();
        if (i == 0) top = p.y;
        ImGui::Dummy(ImVec2(width, bar_h));
        const float len = width * float(count) / float(most);
        const float x0 = rtl ? p.x + width - len : p.x;
        dl->AddRectFilled(ImVec2(p.x, p.y), ImVec2(p.x + width, p.y + bar_h), col(c.th.progress_track), 2.0f);
        if (count > 0) dl->AddRectFilled(ImVec2(x0, p.y), ImVec2(x0 + len, p.y + bar_h), col(c.th.progress_fill), 2.0f);
        // Where the bar was drawn, for tests (the fill starts at the reading start).
        c.ui.parts["delphi_bar/" + v.key + "/" + code] = {x0, p.y, x0 + len, p.y + bar_h};
        if (own) // the participant's own category: framed, so it is found without reading
            dl->AddRect(ImVec2(p.x, p.y), ImVec2(p.x + width, p.y + bar_h), col(c.th.focus), 2.0f, 0, c.m.focus_width * 0.75f);
        bottom = p.y + bar_h;
        char* end = nullptr;
        double value = std::strtod(code.c_str(), &end);
        if (end && *end == '\0' && !code.empty()) centres.push_back({value, p.y + bar_h * 0.5f});
    }
    if (!s.ordinal || !delphi_shows(v, "median") || s.n == 0 || centres.size() < 2) return;
    // The median between two categories lies between their bars, in proportion.
    std::sort(centres.begin(), centres.end());
    float y = centres.front().second;
    for (size_t i = 0; i + 1 < centres.size(); ++i) {
        const auto& [a, ya] = centres[i];
        const auto& [b, yb] = centres[i + 1];
        if (s.median >= a && s.median <= b && b > a) y = ya + float((s.median - a) / (b - a)) * (yb - ya);
    }
    if (s.median >= centres.back().first) y = centres.back().second;
    y = std::clamp(y, top, bottom);
    const ImVec2 p = ImGui::GetItemRectMin();
    // In the background colour first, a little wider: the line stands out on a filled bar and on
    // the track. Both stay thin beside the bar's height, so a median that falls on a category
    // leaves that bar's fill visible above and below the line.
    const float w = std::max(2.0f, bar_h * 0.15f);
    dl->AddLine(ImVec2(p.x, y), ImVec2(p.x + width, y), col(c.th.bg), w + 2.0f);
    dl->AddLine(ImVec2(p.x, y), ImVec2(p.x + width, y), col(c.th.text), w);
}

void delphi_item_panel(ScreenDraw& c, const std::string& key, float width) {
    DelphiItemView v;
    if (!delphi_item_view(c.app, key, v) || (v.own.empty() && !v.stats)) return;
    ImGui::PushID(key.c_str());
    ImGui::Dummy(ImVec2(0, c.m.gap * 0.5f));
    const std::string own = delphi_own_line(c.app, v);
    if (!own.empty()) {
        ImGui::PushFont(c.ui.fonts.heading);
        wrapped(own, c.th.text);
        ImGui::PopFont();
    }
    if (v.stats) {
        wrapped(delphi_group_line(c.app, v), c.th.text_muted);
        if (delphi_shows(v, "distribution")) bar_chart(c, v, width);
        wrapped(delphi_stats_line(c.app, v), c.th.text);
    }
    if (!v.own.empty()) {
        ImGui::Dummy(ImVec2(0, c.m.gap * 0.5f));
        if (big_button(c, "delphi_keep/" + key, kiosk_text(c.app, "delphi_keep"), ButtonKind::Secondary,
                       std::min(width, std::max(width * 0.5f, ImGui::CalcTextSize(kiosk_text(c.app, "delphi_keep").c_str()).x + 4 * c.m.pad))))
            delphi_keep(c.app, key);
    }
    ImGui::Dummy(ImVec2(0, c.m.gap * 0.5f));
    ImGui::PopID();
}

void delphi_reason_field(ScreenDraw& c, const std::string& key, float width) {
    DelphiItemView v;
    if (!delphi_item_view(c.app, key, v) || !v.crossing) return;
    ImGui::Dummy(ImVec2(0, c.m.gap * 0.5f));
    wrapped(kiosk_text(c.app, "delphi_reason"), c.th.text);
    text_field(c, kDelphiReasonField + key, kiosk_text(c.app, "delphi_reason_label"), true, false, width);
}

std::string delphi_option_label(const KioskApp& app, const std::string& key, const std::string& code, const std::string& label) {
    DelphiItemView v;
    if (!delphi_item_view(app, key, v) || std::find(v.own.begin(), v.own.end(), code) == v.own.end()) return label;
    return label + "  " + delphi_own_mark(app);
}

} // namespace tk
