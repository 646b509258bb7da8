// respondent_keyboard.cpp - the on-screen keyboard a respondent types a text field with
// ("Tastatur"): German QWERTZ with umlauts and ß from staff_widgets.h, capitals, space,
// delete, "Fertig". Physical keys keep working while it is open.
#include "screen_draw.h"
#include "staff_widgets.h"

#include <GLFW/glfw3.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace tk {

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
            if (big_button(c, "osk/" + keys[k], keys[k], ButtonKind::Secondary, key_w)) {
                text += keys[k];
                changed = true;
                if (app.page.osk_shift) app.page.osk_shift = false;
            }
        }
    }
    float w4 = (width - 3 * c.m.gap) / 4;
    if (big_button(c, "osk/shift", kiosk_text(app, "shift"), app.page.osk_shift ? ButtonKind::Primary : ButtonKind::Secondary, w4))
        app.page.osk_shift = !app.page.osk_shift;
    ImGui::SameLine(0, c.m.gap);
    if (big_button(c, "osk/space", kiosk_text(app, "space"), ButtonKind::Secondary, w4)) {
        text += " ";
        changed = true;
    }
    ImGui::SameLine(0, c.m.gap);
    if (big_button(c, "osk/delete", kiosk_text(app, "delete"), ButtonKind::Secondary, w4)) {
        pop_utf8_char(text);
        changed = true;
    }
    ImGui::SameLine(0, c.m.gap);
    if (big_button(c, "osk/done", kiosk_text(app, "keyboard_done"), ButtonKind::Primary, w4)) close = true;
    ImGui::PopFont();
    if (changed) edit_field(app, field, text);
    if (close) {
        app.page.osk_field.clear();
        c.enter_used = true;
    }
}

} // namespace tk
