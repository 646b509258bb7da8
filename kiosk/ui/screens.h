// screens.h - drawing the kiosk with Dear ImGui and turning input into actions.
//
// draw_kiosk() is called once per frame between ImGui::NewFrame() and ImGui::Render(). It
// reads KioskApp, draws the screen, and calls the actions of kiosk_state.h. The headless
// tests call it exactly as main.cpp does, with injected mouse and key state.
#pragma once
#include <map>
#include <string>

#include <imgui.h>

#include "kiosk_state.h"
#include "style.h"

namespace tk {

struct Rect {
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    float w() const { return x1 - x0; }
    float h() const { return y1 - y0; }
    float cx() const { return (x0 + x1) * 0.5f; }
    float cy() const { return (y0 + y1) * 0.5f; }
};

// View-side state that is not part of the kiosk's data: fonts, pixel sizes, and where the
// named controls were drawn this frame (tests and the e2e scripts click by these names).
struct UiState {
    Fonts fonts;
    Metrics m;
    float dpi = 1.0f;
    std::map<std::string, Rect> rects;   // "next", "option/2", "lang/en", ... (fully visible ones)
    // Parts of controls, not touch targets: where an option row drew its marker and its text
    // ("option/2/marker", "option/2/text"), so tests see the row mirror on a right-to-left page.
    std::map<std::string, Rect> parts;
    int seen_generation = -1;
    std::string page_key;                // changes when another page is shown (scroll to top)
    std::string page_name;               // "Question ONLINE single 0", "Review", ... (layout dump)
    bool speaking = false;               // set by main from the speech module
    bool any_input = false;              // input arrived this frame
    std::string focus_field;             // text field to take the keyboard next frame (Tab)
    bool focus_moved = false;            // Tab/arrows used on this page: the focus ring counts
    // Keyboard users must see where they are: after Tab/arrows (reveal_focus frames) the
    // focused control, and the control named in `reveal` (an option a number key chose, the
    // next matrix row), are scrolled into view when drawn.
    int reveal_focus = 0;
    std::string reveal;
    std::string focused;                 // control with the focus ring this frame ("" = none)
    bool focused_visible = false;        // ... and wholly inside the visible page
    float scroll_y = 0;                  // the page's scroll position this frame
};

// Key indices are GLFW key codes (what the 1.86 GLFW backend writes into io.KeysDown).
void draw_kiosk(KioskApp& app, UiState& ui, double now);
// Drops ImGui's memory of the last person: active field, its text and undo buffer, focus.
void forget_widget_state();
// Writes ui.rects, then ui.parts, as "name x0 y0 x1 y1" lines (e2e scripts read it).
bool write_layout(const UiState& ui, const std::string& path);
// The line under the question that tells a person why an answer is not taken, in the
// page's language, with the limit from AnswerProblem::bound ("... höchstens 100 sein.").
std::string problem_text(const KioskApp& app, const AnswerProblem& p);

} // namespace tk
