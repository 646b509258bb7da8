// paper_desk_screen.h - drawing the staff desks for paper sheets and event tallies with ImGui.
//
// Both draw into the current ImGui window (the caller owns Begin/End, so the staff area can
// embed them) and record their controls in ui.rects ("paper/input", "paper/ok",
// "paper/back", "tally/input", ...) for tests and e2e scripts. One input line always has
// the keyboard: Enter = paper_enter()/tally_enter(), Escape = one step back.
#pragma once
#include <cstdint>

#include "paper_desk.h"
#include "screens.h"

namespace tk {

// `now` = unix seconds for the sealed response. Returns true when staff pressed "Fertig"
// (leave the desk).
bool draw_paper_desk(PaperDesk& st, UiState& ui, int64_t now);
bool draw_tally_desk(TallyDesk& st, UiState& ui);

} // namespace tk
