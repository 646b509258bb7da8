// staff_widgets.h - the drawing helpers the staff desks share (paper and tally, field,
// transport), and the German key rows and UTF-8 steps both on-screen keyboards use.
//
// Every control that scripts click is recorded in UiState::rects under its name; the names
// are the contract with tests/ui and tests/e2e, so callers choose them, not these helpers.
#pragma once

#include "screens.h"
#include "text.h" // utf8_chars, pop_utf8_char

#include <cstdint>
#include <string>
#include <vector>

namespace tk {

// German QWERTZ, plain and shifted, with umlauts and ß: the one place for the layout
// (respondent keyboard in respondent_keyboard.cpp, staff keyboard in field_desk_screen.cpp).
extern const char* const kKeysGermanLower[4];
extern const char* const kKeysGermanUpper[4];

// A key row is split into its keys by utf8_chars, Backspace is pop_utf8_char (text.h).
bool take_typed_chars(std::string& text);            // ImGui's queued typed characters (physical keys) appended; true if any

// Records the last item's rectangle under `name`. The _visible form keeps only the part inside
// the window's clip rectangle and nothing when too little shows (scrolled staff areas: scripts
// scroll until a control is there).
void staff_remember(UiState& ui, const std::string& name);
void staff_remember_visible(UiState& ui, const std::string& name);

// InputText on a std::string (grows as typed). The caller sets the width first.
bool staff_input_text(const char* id, std::string& text, int flags = 0);

// A button `ui.m.target` high; w <= 0 fits the label.
bool staff_button(UiState& ui, const std::string& name, const std::string& label, float w = 0,
                  bool visible_only = false);

// Wrapped, coloured (the style's text colour without one); nothing when empty. Text holding
// Arabic or Persian (survey titles and questions, site and event names) is shaped and ordered
// by bidi_lines (bidi_text.h), like the respondent pages; staff_button labels by shape_line.
void staff_text(const std::string& text, uint32_t imgui_color);
void staff_text(const std::string& text);
void staff_hint(const std::string& text);                      // muted and wrapped (TextDisabled does not wrap)

// Rows of key buttons named prefix + character, key_w wide, gap apart (gap < 0: ImGui's item
// spacing). Returns the character of the key pressed this frame, or "".
std::string staff_key_rows(UiState& ui, const char* const* rows, int n_rows, const std::string& prefix, float key_w,
                           float gap, bool visible_only = false);

} // namespace tk
