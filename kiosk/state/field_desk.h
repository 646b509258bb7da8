// field_desk.h - staff tools for analogue sites: where the kiosk stands (site and event),
// assisted interviews, and printing the paper form. Plain data and actions, no ImGui
// (field_desk_screen.cpp draws), so every step is tested without a window.
//
// Site and event go into every record sealed from the moment they are saved: respondents'
// responses (kiosk and assisted), the paper desk and the tally desk (place = site).
// An assisted interview is ONE respondent session with channel "assisted" and meta
// "interviewer": after submit or timeout the next session is a normal kiosk session again.
// Staff start the next interview from the staff menu, where the last interviewer id is
// offered again - a citizen who walks up after the interviewer left is never counted as
// interviewed.
#pragma once
#include <cstdint>
#include <future>
#include <string>
#include <vector>

#include "paper_form.h"
#include "response.h"

namespace tk {

struct KioskApp;

inline constexpr size_t kRecentPlaces = 5;        // recent sites and events offered for one tap
inline constexpr size_t kMaxPlaceBytes = 255;     // as the record's site field (sync/record.h)
inline constexpr size_t kMaxInterviewerBytes = 64;
inline constexpr int kMaxPrintSheets = 500;

struct PrintOutcome {
    bool ok = false;
    std::string pdf;                     // the written PDF
    std::string ids_file;                // the sheet ids beside it, one a line
    std::vector<std::string> sheet_ids;
    int pages_per_sheet = 0;
    bool sent = false;                   // handed to the default printer (lp)
    std::string error;                   // what failed (file, lp exit status)
};

struct FieldDesk {
    // Site and event form; the on-screen keyboard edits `osk` ("site", "event", "interviewer").
    std::string site, event, interviewer;
    std::string osk;
    bool osk_shift = false;
    std::string shown;                        // desk drawn last (a desk new on screen starts at the top)
    int shown_frame = -1;                     // ImGui frame it was drawn in
    // The last message for staff: a UI text key and the value for its {x}.
    std::string message_key, message_x;
    bool message_is_error = false;
    // Printing: language, large print, sheets, target folder, printer.
    std::string print_lang;
    bool print_large = false;
    int print_sheets = 1;
    std::vector<std::string> print_folders;   // DIR/prints first, then mounted USB volumes
    size_t print_folder = 0;
    bool print_send = false;                  // also to the default printer (only when lp exists)
    bool lp = false;                          // lp was found on PATH
    std::future<PrintOutcome> job;            // running print job (cairo can take seconds)
    PrintOutcome last;                        // outcome of the last job
    bool print_unseen = false;                // its message waits until the print desk drew it once
    int generation = 0;                       // +1 when input lines must be refilled
};

// --- site and event ---
// Opens the form with the saved values.
void field_site_begin(KioskApp& app);
// Checks (at most 255 bytes, no control characters, site not empty) and saves site and event
// into kiosk-settings.json; both move to the front of their recent lists. False + message.
bool field_site_save(KioskApp& app);
// The site named at enrolment (`teilhabe-server enrol --site`, kept in DIR/server.pub) becomes
// the kiosk's site and is saved, once per enrolment: a site staff chose later stays. True when
// it changed the site. Called at start (enrolled by `teilhabe enrol` or provisioning) and when
// the transport desk's enrolment ends.
bool adopt_enrolled_site(KioskApp& app);
// Puts `v` first in `list` (no duplicates, at most kRecentPlaces).
void remember_recent(std::vector<std::string>& list, const std::string& v);
// "" when `v` may be a site/event/interviewer id, else the UI text key of the problem.
std::string check_place_text(const std::string& v, size_t max_bytes);

// --- assisted interviews ---
// Starts a respondent session as an assisted interview by `interviewer` (trimmed). A session
// that was interrupted by the staff menu ends first, as at a timeout. False + message.
bool start_assisted(KioskApp& app, double now);
// The response of the session on screen, with channel (kiosk or assisted), site, event and
// meta "interviewer". Every response the kiosk seals is made here.
Response finish_session(const KioskApp& app, bool complete);

// --- printing ---
// Folders to print into: DIR/prints (created when printing), then the writable USB sticks
// list_usb_volumes() (sync_desk.h) finds, so both desks offer the same sticks.
std::vector<std::string> list_print_folders(const std::string& data_dir);
// Whether `lp` (CUPS) is on PATH.
bool lp_available();
// Prints the form with print_paper_form() - the function `teilhabe print` uses, so sheet ids
// are made the same way - into FOLDER/<survey>-<lang>[-gross]-<YYYYMMDD-HHMMSS>.pdf, writes
// the sheet ids beside it (.txt: the kiosk has no terminal to print them to) and, when
// `send`, hands the PDF to `lp`.
PrintOutcome print_form_to_folder(const Survey& s, const PrintOptions& opt, const std::string& folder, int64_t now,
                                  bool send);
// Staff menu: opens the print form (defaults: original language, 1 sheet, DIR/prints).
void field_print_begin(KioskApp& app);
// Starts a print job in a worker thread; false (and a message) when one runs or a value is bad.
bool field_print_start(KioskApp& app);
bool field_print_running(const KioskApp& app);
// Collects a finished job (field.last and the message); true when one finished now.
bool field_print_poll(KioskApp& app);

} // namespace tk
