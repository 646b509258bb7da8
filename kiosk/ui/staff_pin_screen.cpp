// staff_pin_screen.cpp - the PIN pad (on-screen digits plus the keys; masked, never spoken)
// and the PIN prompt that guards the staff menu.
#include "screen_draw.h"

#include <GLFW/glfw3.h>

#include <algorithm>
#include <cmath>

namespace tk {

// Digits for PIN entry: on-screen keypad plus physical digits; masked, never spoken.
void pin_pad(ScreenDraw& c, std::string& target, float width, bool* ok_pressed) {
    float kw = (width - 2 * c.m.gap) / 3;
    const char* labels[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "<", "0", "OK"};
    for (int i = 0; i < 12; ++i) {
        if (i % 3) ImGui::SameLine(0, c.m.gap);
        std::string l = labels[i];
        std::string shown = l == "<" ? kiosk_text(c.app, "delete") : l;
        if (big_button(c, "pin/" + l, shown, l == "OK" ? ButtonKind::Primary : ButtonKind::Secondary, kw)) {
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
    if (big_button(c, "pin/cancel", kiosk_text(app, "cancel"), ButtonKind::Secondary, w) || ImGui::IsKeyPressed(GLFW_KEY_ESCAPE, false))
        leave_staff(app);
    ImGui::EndGroup();
}

} // namespace tk
