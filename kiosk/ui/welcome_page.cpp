// welcome_page.cpp - the first minute of a respondent: the attract screen and the
// data-protection notice.
//
// The welcome page is for people who decide in seconds whether to touch the kiosk, many
// with little screen practice or little German. It fills the screen: the reading aids as
// large icon tiles at the top (text size, contrast, speech; the top-right corner stays empty
// for the staff gesture), the survey's title, who asks and why, how long it takes and
// "anonym", one big start target, and the survey's languages as large buttons, each in its
// own name and script. A tap anywhere that is not a control starts too (in the language
// shown); so do Enter, Space and the number keys.
//
//   icon_tile                 a square-ish button with a drawn icon and a label
//   welcome_screen            the attract screen
//   privacy_page              the GDPR Art. 13 notice, with "Ich bin einverstanden" if required
#include "screen_draw.h"
#include "render_gl.h"

#include <GLFW/glfw3.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cmath>

namespace tk {

namespace {

enum class Icon { TextSize, Contrast, Speech };

// The icons are drawn, not glyphs: no font on a kiosk is sure to have them, and a drawn
// icon stays sharp at every size.
void draw_icon(ScreenDraw& c, Icon icon, ImVec2 centre, float size, uint32_t fg) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float r = size * 0.5f;
    const float line = std::max(2.0f, size / 14.0f);
    switch (icon) {
    case Icon::TextSize: {
        // A small and a large "A".
        ImFont* small = c.ui.fonts.body;
        ImFont* large = c.ui.fonts.heading;
        float fs_small = size * 0.45f, fs_large = size * 0.85f;
        ImVec2 ss = small->CalcTextSizeA(fs_small, 1e9f, 0, "A");
        ImVec2 ls = large->CalcTextSizeA(fs_large, 1e9f, 0, "A");
        float total = ss.x + ls.x + size * 0.08f;
        float x = centre.x - total * 0.5f, base = centre.y + r * 0.85f;
        dl->AddText(small, fs_small, ImVec2(x, base - ss.y), col(fg), "A");
        dl->AddText(large, fs_large, ImVec2(x + ss.x + size * 0.08f, base - ls.y), col(fg), "A");
        break;
    }
    case Icon::Contrast: {
        // A circle, its left half filled: light and dark.
        dl->AddCircle(centre, r * 0.85f, col(fg), 32, line);
        dl->PathArcTo(centre, r * 0.85f, IM_PI * 0.5f, IM_PI * 1.5f, 24);
        dl->PathFillConvex(col(fg));
        break;
    }
    case Icon::Speech: {
        // A loudspeaker and two sound waves.
        float x0 = centre.x - r * 0.85f;
        ImVec2 box0(x0, centre.y - r * 0.25f), box1(x0 + r * 0.35f, centre.y + r * 0.25f);
        dl->AddRectFilled(box0, box1, col(fg));
        ImVec2 cone[4] = {ImVec2(box1.x, box0.y), ImVec2(box1.x + r * 0.45f, centre.y - r * 0.6f),
                          ImVec2(box1.x + r * 0.45f, centre.y + r * 0.6f), ImVec2(box1.x, box1.y)};
        dl->AddConvexPolyFilled(cone, 4, col(fg));
        ImVec2 wc(box1.x + r * 0.45f, centre.y);
        for (float wr : {r * 0.4f, r * 0.75f}) {
            dl->PathArcTo(wc, wr, -IM_PI * 0.3f, IM_PI * 0.3f, 12);
            dl->PathStroke(col(fg), 0, line * 1.2f);
        }
        break;
    }
    }
}

// A tile: the icon above, the label below; `on` inverts the colours (contrast high, speech
// on), so the state is visible without relying on colour alone.
bool icon_tile(ScreenDraw& c, const std::string& name, Icon icon, const std::string& label, bool on, float w, float h) {
    ImGui::PushID(name.c_str());
    ImVec2 pos = ImGui::GetCursorScreenPos();
    bool pressed = ImGui::InvisibleButton("##t", ImVec2(w, h));
    bool hovered = ImGui::IsItemHovered();
    uint32_t bg = on ? c.th.option_sel_bg : hovered ? c.th.secondary_hover_bg : c.th.secondary_bg;
    uint32_t fg = on ? c.th.option_sel_text : c.th.secondary_text;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 end(pos.x + w, pos.y + h);
    float fs = ImGui::GetFontSize();
    fill_framed(dl, pos, end, col(bg), col(on ? c.th.option_sel_bg : c.th.option_border), c.m.pad * 0.5f, fs);
    float wrap = w - 2 * c.m.pad;
    TextBlock tb = layout_text(ImGui::GetFont(), fs, label, wrap);
    float icon_h = std::max(16.0f, h - tb.size.y - 3 * c.m.pad);
    draw_icon(c, icon, ImVec2(pos.x + w * 0.5f, pos.y + c.m.pad + icon_h * 0.5f), std::min(icon_h, w * 0.6f), fg);
    draw_label_centred(dl, ImGui::GetFont(), fs, pos.x, w, c.m.pad, end.y - c.m.pad - tb.size.y, tb, label, wrap, col(fg));
    if (focus_ring(c)) pressed = true;
    note_control_rect(c, name);
    ImGui::PopID();
    return pressed;
}

// A primary button of a given height, its two lines centred: the welcome page's start target.
bool start_target(ScreenDraw& c, const std::string& title, const std::string& hint, float w, float h) {
    ImGui::PushID("welcome");
    ImVec2 pos = ImGui::GetCursorScreenPos();
    bool pressed = ImGui::InvisibleButton("##start", ImVec2(w, h));
    bool hovered = ImGui::IsItemHovered();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 end(pos.x + w, pos.y + h);
    fill_opaque(dl, pos, end, col(hovered ? c.th.primary_hover_bg : c.th.primary_bg), c.m.pad);
    float wrap = w - 4 * c.m.pad;
    ImFont* hf = c.ui.fonts.heading;
    ImFont* bf = c.ui.fonts.body;
    // Through layout_text: a title in Arabic or Persian is shaped and ordered like the pages.
    TextBlock b1 = layout_text(hf, hf->FontSize, title, wrap);
    TextBlock b2 = layout_text(bf, bf->FontSize, hint, wrap);
    ImVec2 t1 = b1.size, t2 = b2.size;
    float y = pos.y + (h - t1.y - c.m.gap - t2.y) * 0.5f;
    draw_label_centred(dl, hf, hf->FontSize, pos.x, w, 2 * c.m.pad, y, b1, title, wrap, col(c.th.primary_text));
    draw_label_centred(dl, bf, bf->FontSize, pos.x, w, 2 * c.m.pad, y + t1.y + c.m.gap, b2, hint, wrap,
                       col(c.th.primary_text));
    if (focus_ring(c)) pressed = true;
    // The layout dump names it "welcome" (the e2e scripts click it by that name).
    ImGui::PopID();
    note_control_rect(c, "welcome");
    return pressed;
}

std::string language_name(const KioskApp& app, const std::string& lang) {
    auto it = app.texts.names.find(lang);
    return it != app.texts.names.end() ? it->second : lang;
}

} // namespace

void welcome_screen(ScreenDraw& c, ImVec2 size) {
    KioskApp& app = c.app;
    ImGuiIO& io = ImGui::GetIO();
    // A press that began on a control (held last frame) is that control's, not "anywhere".
    const bool control_was_held = ImGui::GetActiveID() != 0;
    const float margin = c.m.target;
    const float w = size.x - 2 * margin;
    ImGui::SetCursorPos(ImVec2(margin, margin * 0.5f));
    ImGui::BeginChild("welcome_page", ImVec2(size.x - margin, size.y - margin * 0.5f), false, ImGuiWindowFlags_NoBackground);
    ImGui::PushTextWrapPos(w);

    // Reading aids: three tiles at the top left; the top-right corner belongs to staff.
    ImGui::PushFont(c.ui.fonts.toolbar);
    {
        // Wide enough for "Textgröße 300 %" on one line, tall enough for an icon of about
        // two text lines above it.
        float tile_w = std::min((w - 2 * c.m.gap - c.m.target * 1.5f) / 3, std::max(c.m.target * 3.5f, ImGui::GetFontSize() * 9));
        float tile_h = std::max(c.m.target * 2.2f, ImGui::GetFontSize() * 4.2f);
        std::string size_label = fill(kiosk_text(app, "text_size_button"), {{"x", std::to_string(app.reading.text_scale)}});
        if (icon_tile(c, "welcome/text_size", Icon::TextSize, size_label, app.reading.text_scale > 100, tile_w, tile_h)) {
            int next = 100;
            for (size_t i = 0; i < std::size(kTextScales); ++i)
                if (kTextScales[i] == app.reading.text_scale) next = kTextScales[(i + 1) % std::size(kTextScales)];
            set_text_scale(app, next);
        }
        ImGui::SameLine(0, c.m.gap);
        bool high = app.reading.theme == ThemeId::HighContrast;
        if (icon_tile(c, "welcome/contrast", Icon::Contrast, kiosk_text(app, "contrast_button"), high, tile_w, tile_h))
            app.reading.theme = high ? ThemeId::Standard : ThemeId::HighContrast;
        ImGui::SameLine(0, c.m.gap);
        bool reading = app.reading.read_aloud_auto;
        if (icon_tile(c, "welcome/read", Icon::Speech, kiosk_text(app, reading ? "welcome_speech_off" : "welcome_speech_on"),
                      reading, tile_w, tile_h)) {
            if (reading) {
                app.reading.read_aloud_auto = false;
                app.speak_stop = true;
            } else {
                start_reading_aloud(app);
            }
        }
    }
    ImGui::PopFont();

    // What this is, who asks and why, how long, anonymous.
    ImGui::Dummy(ImVec2(0, c.m.gap));
    if (app.survey) {
        heading(c, survey_text(app, app.survey->title));
        if (!app.survey->about.empty()) wrapped(survey_text(app, app.survey->about), c.th.text);
        ImGui::Dummy(ImVec2(0, c.m.gap * 0.5f));
        ImGui::PushFont(c.ui.fonts.heading);
        wrapped(duration_text(app) + "  ·  " + kiosk_text(app, "welcome_anonymous"), c.th.text);
        ImGui::PopFont();
    }
    ImGui::Dummy(ImVec2(0, c.m.gap));

    // The languages, measured first: the start target takes the height that is left.
    ImGui::PushFont(c.ui.fonts.toolbar);
    const std::vector<std::string> langs = app.survey ? app.survey->languages : std::vector<std::string>{};
    float fs = ImGui::GetFontSize();
    float lang_h = std::max(std::max(48.0f * c.m.dpi, fs + 2 * std::round(fs * 0.35f)), c.m.target * 1.2f);
    std::vector<float> widths;
    int rows = langs.empty() ? 0 : 1;
    float used = 0;
    for (const auto& l : langs) {
        float bw = std::min(w, std::max(c.m.target * 3.0f, ImGui::CalcTextSize(language_name(app, l).c_str()).x + 4 * c.m.pad));
        if (used > 0 && used + c.m.gap + bw > w) {
            ++rows;
            used = 0;
        }
        used += (used > 0 ? c.m.gap : 0) + bw;
        widths.push_back(bw);
    }
    ImGui::PopFont();
    float langs_h = rows * lang_h + std::max(0, rows - 1) * c.m.gap + (rows ? c.m.gap * 2 : 0);
    float left = ImGui::GetContentRegionAvail().y - langs_h - c.m.gap;
    // The target takes the rest of the screen (on a 1920x1080 screen too), but leaves a
    // little of it free at the bottom so the language row does not sit on the edge.
    float start_h = std::clamp(left - c.m.gap * 2, c.m.target * 2.5f, std::max(c.m.target * 2.5f, size.y * 0.6f));
    bool go = start_target(c, kiosk_text(app, "welcome_start"), kiosk_text(app, "welcome_start_hint"), w, start_h);

    // One tap on a language starts in it.
    std::string start_lang;
    if (!langs.empty()) {
        ImGui::Dummy(ImVec2(0, c.m.gap));
        ImGui::PushFont(c.ui.fonts.toolbar);
        used = 0;
        for (size_t i = 0; i < langs.size(); ++i) {
            if (used > 0 && used + c.m.gap + widths[i] <= w) ImGui::SameLine(0, c.m.gap);
            else used = 0;
            used += (used > 0 ? c.m.gap : 0) + widths[i];
            ButtonKind k = langs[i] == app.reading.language ? ButtonKind::Primary : ButtonKind::Secondary;
            if (big_button(c, "welcome/lang/" + langs[i], language_name(app, langs[i]), k, widths[i])) start_lang = langs[i];
        }
        ImGui::PopFont();
    }
    ImGui::PopTextWrapPos();
    // At large text the page is taller than the screen: dragging scrolls it on touch screens
    // (and a drag is never taken for a tap, below).
    if (ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem) && ImGui::IsMouseDragging(0, c.m.body * 0.5f))
        ImGui::SetScrollY(ImGui::GetScrollY() - io.MouseDelta.y);
    ImGui::EndChild();

    // A tap anywhere else starts as well: released where it was pressed (a drag scrolls),
    // not on a control and not in the staff corner.
    bool in_corner = io.MouseClickedPos[0].x >= size.x - c.m.target && io.MouseClickedPos[0].y <= c.m.target;
    bool anywhere = ImGui::IsMouseReleased(0) && !control_was_held && !ImGui::IsAnyItemHovered() && !in_corner &&
                    io.MouseDragMaxDistanceSqr[0] < c.m.body * c.m.body;
    bool key = !io.KeyCtrl && !io.KeyAlt && !c.enter_used &&
               (ImGui::IsKeyPressed(GLFW_KEY_ENTER, false) || ImGui::IsKeyPressed(GLFW_KEY_KP_ENTER, false) ||
                ImGui::IsKeyPressed(GLFW_KEY_SPACE, false));
    for (int k = 0; k <= 9 && !key && !io.KeyCtrl && !io.KeyAlt; ++k)
        key = ImGui::IsKeyPressed(GLFW_KEY_0 + k, false) || ImGui::IsKeyPressed(GLFW_KEY_KP_0 + k, false);
    if (!start_lang.empty()) {
        c.enter_used = true;
        start_in_language(app, start_lang, c.now);
    } else if (go || key || anywhere) {
        c.enter_used = true;
        start_survey(app, c.now);
    }
}

void privacy_page(ScreenDraw& c, float width) {
    KioskApp& app = c.app;
    if (!app.survey) return;
    const PrivacyNotice& n = app.survey->privacy;
    heading(c, kiosk_text(app, "privacy_title"));
    const std::pair<const char*, const LocalText*> parts[] = {{"privacy_controller", &n.controller},
                                                              {"privacy_purpose", &n.purpose},
                                                              {"privacy_stored", &n.stored},
                                                              {"privacy_protection", &n.protection},
                                                              {"privacy_contact", &n.contact}};
    for (const auto& [key, text] : parts) {
        ImGui::Dummy(ImVec2(0, c.m.gap * 0.5f));
        ImGui::PushFont(c.ui.fonts.heading);
        wrapped(kiosk_text(app, key), c.th.text);
        ImGui::PopFont();
        wrapped(survey_text(app, *text), c.th.text);
    }
    if (!needs_consent(app)) return;
    ImGui::Dummy(ImVec2(0, c.m.gap));
    ImGui::PushFont(c.ui.fonts.heading);
    wrapped(kiosk_text(app, "consent_question"), c.th.text);
    ImGui::PopFont();
    ImGui::Dummy(ImVec2(0, c.m.gap * 0.5f));
    bool agree = option_row(c, "privacy/agree", 1, kiosk_text(app, "consent_agree"), app.consent_given, RowMarker::Radio, width);
    bool decline = option_row(c, "privacy/decline", 2, kiosk_text(app, "consent_decline"), false, RowMarker::Radio, width);
    ImGuiIO& io = ImGui::GetIO();
    if (!io.WantTextInput && !io.KeyCtrl && !io.KeyAlt) {
        agree = agree || ImGui::IsKeyPressed(GLFW_KEY_1, false) || ImGui::IsKeyPressed(GLFW_KEY_KP_1, false);
        decline = decline || ImGui::IsKeyPressed(GLFW_KEY_2, false) || ImGui::IsKeyPressed(GLFW_KEY_KP_2, false);
    }
    if (decline) refuse_consent(app, c.now);
    else if (agree) give_consent(app);
}

} // namespace tk
