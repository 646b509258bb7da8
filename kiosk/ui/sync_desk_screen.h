// sync_desk_screen.h - drawing the transport desk of the staff menu (sync_desk.h) with ImGui.
//
// Draws into the current ImGui window (the staff menu's child) and records its controls in
// ui.rects for tests and e2e scripts: "sync/url", "sync/code", "sync/run", "sync/enrol",
// "sync/progress", "sync/usb/<n>", "sync/export", "sync/receipt", "sync/update",
// "sync/osk/<key>", "sync/leave". The page name tells scripts where the desk is:
// "SyncDesk idle", "SyncDesk running <job>", "SyncDesk done <job> ok|failed".
#pragma once
#include "kiosk_state.h"
#include "screens.h"

namespace tk {

// `now` = monotonic seconds (a running job counts as staff activity, so the menu does not
// time out while staff watch the progress). Returns true when staff pressed "Fertig".
bool draw_sync_desk(KioskApp& app, UiState& ui, double now);
// After a survey update: lists DIR/surveys in app.survey_files and switches to an installed
// file that carries the running survey's id (a new version of it). Returns the file switched
// to, or "".
std::string sync_desk_take_survey_update(KioskApp& app);

} // namespace tk
