// screen_draw.h - what the kiosk's screen files share (inside tk_kiosk_ui only): the drawing
// context of one frame and the functions each file offers the others.
//
//   widgets.cpp              focus ring, buttons, option rows, text, text fields
//   question_widgets.cpp     one widget per question type
//   respondent_pages.cpp     tool bar, progress, language, question, review, nav bar,
//                            idle warning, message pages
//   welcome_page.cpp         the welcome page (attract screen) and the data-protection notice
//   respondent_keyboard.cpp  the respondent's on-screen keyboard
//   delphi_pages.cpp         a Delphi round's code page and its repeated questions' feedback
//   staff_pin_screen.cpp     PIN pad and PIN prompt
//   staff_menu.cpp           the staff menu, its settings and the PIN change form
//   screens.cpp              draw_kiosk (the frame), forget_widget_state
#pragma once
#include <string>
#include <vector>

#include <imgui.h>

#include "bidi_text.h"
#include "field_desk_screen.h"
#include "kiosk_state.h"
#include "paper_desk_screen.h"
#include "screens.h"
#include "style.h"
#include "sync_desk_screen.h"

namespace tk {

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

inline ImU32 col(uint32_t rgb, int a = 255) { return to_imgui_color(rgb, a); }

// --- widgets.cpp ---
// The direction of the respondent's language this frame (draw_kiosk sets it for the
// respondent pages; staff screens are German): text aligns right, option markers go right of
// the text, buttons and the nav bar mirror.
void set_page_rtl(bool rtl);
bool page_rtl();
// Where wrapped text ends at the right (screen x; 0 = the window's edge): the page column's
// edge, so right-aligned text lines up with the option rows, not with the scroll bar.
void set_text_right_edge(float x);
// Text shaped and wrapped for drawing (bidi_text.h), or ImGui's own path (`plain`) when neither
// the page nor the text is right-to-left: German, English, ... keep their pixels.
struct TextBlock {
    bool plain = true;
    std::vector<BidiLine> lines; // when !plain
    ImVec2 size;
};
TextBlock layout_text(ImFont* f, float fs, const std::string& s, float wrap_width);
// Draws a block inside [x0, x0 + box_width]: lines aligned right on a right-to-left page.
void draw_text_block(ImDrawList* dl, ImFont* f, float fs, ImVec2 pos, float box_width, const TextBlock& b,
                     const std::string& s, float wrap_width, ImU32 color);
// Draws the text of the text field just drawn (ImGui drew it in a transparent colour): shaped
// and reordered, lines aligned for the page; when `active`, the cursor where ImGui's cursor
// stands in the logical text (bidi_caret). A line longer than the field shifts so that the
// cursor stays in view. Respondent fields and the staff desks' fields.
void draw_field_text(const std::string& text, bool active, ImU32 color);
// Scrolls the window being drawn the least distance that shows y0..y1 (from next frame on).
void reveal_rows(float y0, float y1, float margin);
void note_control_rect(ScreenDraw& c, const std::string& name);
// Draws the ring when the item just drawn has the keyboard focus; true when Enter pressed it.
bool focus_ring(ScreenDraw& c, bool enter_presses = true);
// A touch target's background (opaque) and its border, as thick as its font size asks.
void fill_framed(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 bg, ImU32 border, float rounding, float fs);
// A label centred in [x0, x0 + box_width] with its top at y; one wider than `wrap` starts at
// x0 + pad (its lines aligned for the page's direction). Buttons, tiles, the start target.
void draw_label_centred(ImDrawList* dl, ImFont* f, float fs, float x0, float box_width, float pad, float y,
                        const TextBlock& tb, const std::string& s, float wrap, ImU32 color);
enum class ButtonKind { Primary, Secondary };
bool big_button(ScreenDraw& c, const std::string& name, const std::string& label, ButtonKind kind, float width,
                ImFont* font = nullptr);
enum class RowMarker { Radio, Check, None };
bool option_row(ScreenDraw& c, const std::string& name, int number, const std::string& label, bool selected, RowMarker mk,
                float width, const std::string& badge = "");
void wrapped(const std::string& s, uint32_t color);
void heading(ScreenDraw& c, const std::string& s);
void text_field(ScreenDraw& c, const std::string& field, const std::string& label, bool multiline, bool numeric,
                float width);

// --- question_widgets.cpp ---
void question_widget(ScreenDraw& c, const Question& q, float width);

// --- respondent_pages.cpp ---
void toolbar(ScreenDraw& c, float width);
void progress(ScreenDraw& c, float width);
void language_page(ScreenDraw& c, float width);
void question_page(ScreenDraw& c, float width);
void review_page(ScreenDraw& c, float width);
void nav_bar(ScreenDraw& c, float width);
void idle_warning(ScreenDraw& c, ImVec2 size);
void message_screen(ScreenDraw& c, ImVec2 size, const std::string& title, const std::string& body,
                    const std::string& button);

// --- welcome_page.cpp ---
void welcome_screen(ScreenDraw& c, ImVec2 size);
void privacy_page(ScreenDraw& c, float width);

// --- respondent_keyboard.cpp ---
void on_screen_keyboard(ScreenDraw& c, float width, float height);

// --- delphi_pages.cpp ---
void delphi_code_screen(ScreenDraw& c, float width);
// The own earlier answer, the group's chart and "Antwort beibehalten" of item `key` (a whole
// question or a matrix row); nothing for an item without either.
void delphi_item_panel(ScreenDraw& c, const std::string& key, float width);
// The short reason's field, only while the item's answer crosses the consensus.
void delphi_reason_field(ScreenDraw& c, const std::string& key, float width);
// `label` of option `code` of item `key`, with the mark when it was the participant's answer.
std::string delphi_option_label(const KioskApp& app, const std::string& key, const std::string& code,
                                const std::string& label);

// --- staff_pin_screen.cpp, staff_menu.cpp ---
// Digits into `target` (at most 32); *ok_pressed on OK or Enter.
void pin_pad(ScreenDraw& c, std::string& target, float width, bool* ok_pressed);
void staff_pin_screen(ScreenDraw& c, ImVec2 size);
void staff_menu(ScreenDraw& c, ImVec2 size);

} // namespace tk
