// field_desk_screen.h - the staff screens of field_desk.h, drawn with ImGui: site and
// event (StaffDesk::Site), starting an assisted interview (Assisted), printing the form (Print),
// plus the marker every respondent page shows during an assisted interview.
//
// Like paper_desk_screen.h they draw into the staff area's window and record their controls in
// ui.rects ("site/site", "site/save", "assisted/id", "assisted/start", "print/go", ...).
// Text lines take the physical keyboard; "Tastatur" opens a staff on-screen keyboard.
#pragma once
#include <string>

#include "kiosk_state.h"
#include "screens.h"

namespace tk {

// True for the desks drawn here (Site, Assisted, Print).
bool is_field_desk(StaffDesk desk);
// Draws app.staff_desk; returns true when staff leave it (back to the staff menu).
bool draw_field_desk(KioskApp& app, UiState& ui, double now);
// "Standort: … · Veranstaltung: …" for the staff menu's status lines.
std::string field_status_text(const KioskApp& app);
// The band "Begleitete Befragung – Interviewer: X" on respondent pages ("assisted/marker").
void draw_assisted_marker(const KioskApp& app, UiState& ui, const Theme& th, float width);

} // namespace tk
