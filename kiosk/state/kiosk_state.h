// kiosk_state.h - everything the kiosk knows, as plain data, and the actions that change it.
//
// Screens (kiosk/ui) only draw this state and call the functions below; the functions
// never touch ImGui, so the whole respondent path, the idle reset and the staff PIN can be
// tested without a window. Time is always passed in (`now`, monotonic seconds) for the same
// reason. The vault is reached through `submit_fn` / `staff_info_fn`, which main.cpp wires to
// the real tk::Vault; the kiosk library itself knows nothing of SQL or files of records.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "delphi_participant.h"
#include "field_desk.h"
#include "paper_desk.h"
#include "response.h"
#include "session.h"
#include "survey.h"
#include "sync_desk.h"
#include "texts.h"
#include "vault.h"

namespace tk {

// DelphiCode: the participant code of a Delphi round, after the notice (delphi_participant.h).
enum class Screen { Welcome, Language, Privacy, Question, Review, ThankYou, SaveFailed, StaffPin, StaffMenu, DelphiCode };
enum class ThemeId { Standard, HighContrast };
// Where in the staff menu staff are: the menu itself, or one of its desks.
enum class StaffDesk { Menu, Paper, Tally, Site, Assisted, Print, Sync };

inline constexpr int kTextScales[] = {100, 150, 200, 300};

// What one respondent may change for themselves; reset to the staff defaults after each person.
struct ReadingSettings {
    int text_scale = 100;          // percent: 100, 150, 200, 300
    ThemeId theme = ThemeId::Standard;
    bool easy_font = false;        // Andika instead of Noto Sans
    bool read_aloud_auto = false;  // read every page when it appears
    std::string language = "de";   // survey and UI language
    bool operator==(const ReadingSettings&) const = default;
};

// What staff set; stored in DIR/kiosk-settings.json.
struct KioskConfig {
    ReadingSettings defaults;
    int idle_seconds = 90;         // inactivity before the warning
    int warn_seconds = 30;         // countdown of the warning (never below 30)
    std::string site;              // written into every response
    std::string enrolled_site;     // the enrolment's site last taken over (adopt_enrolled_site)
    std::string event;             // written into every response ("" = none)
    std::vector<std::string> recent_sites, recent_events; // newest first, picked with one tap
};

struct IdleState {
    double last_activity = 0;
    bool warning = false;
    double warning_until = 0;      // when the session ends unless extended
    int extensions = 0;            // "Ich brauche mehr Zeit" presses for this respondent
};

struct PinState {
    std::string path;              // DIR/staff-pin (Argon2id hash); absent = default PIN
    std::string attempts_path;     // DIR/staff-pin-attempts: the wrong-PIN counter survives a restart
    std::string entry;             // digits typed so far (never spoken, wiped on leave)
    int failures = 0;              // wrong PINs in a row
    double locked_until = 0;       // no attempt is checked before this time
    std::string message_key;       // UI text key of the last message ("" = none)
    bool must_change = false;      // logged in with the default PIN: change it first
    std::string new_pin, new_pin2; // PIN change form
    bool change_open = false;      // "PIN ändern" pressed: the form shows in the staff menu
    bool change_repeat = false;    // the first entry was taken: the form asks for it again
    std::vector<double> corner_taps; // times of recent taps into the hidden corner
    Screen return_to = Screen::Welcome;
};

struct SubmitResult {
    bool durable = false;          // the vault committed the record
    std::string error;
};

struct StaffInfo {
    int64_t records = 0, unsynced = 0, pending_in_memory = 0;
    std::string last_sync;
    std::vector<std::string> alarms;
    bool demo_key = false;
    std::string research_key;      // fingerprint the vault seals to, shown for comparison
    std::string error;             // vault could not be opened
};

// Scratch state of the page on screen. Wiped whenever the page changes and on every reset,
// so nothing typed by one person can reappear for the next.
// One survey file of the staff menu's list (list_survey_files).
struct SurveyFile {
    std::string path;
    std::string id, version, hash; // empty when the file does not load
    LocalText title;
    std::string error;             // why it does not load ("" = it does)
};

struct PageUi {
    std::map<std::string, std::string> drafts;   // field id -> text as typed
    std::map<std::string, AnswerProblem> draft_problems; // field id -> why it was not taken
    AnswerProblem problem;                        // shown under the question
    int matrix_row = 0;                           // row that number keys fill
    std::string osk_field;                        // field open in the on-screen keyboard
    bool osk_shift = false;
    bool focus_first = true;                      // the view puts focus on the first control
    bool spoken = false;                          // auto read-aloud done for this page
};

struct KioskApp {
    Screen screen = Screen::Welcome;
    std::shared_ptr<const Survey> survey;
    std::unique_ptr<Session> session;
    KioskConfig config;
    ReadingSettings reading;
    UiTexts texts;
    IdleState idle;
    PinState pin;
    PageUi page;
    std::string data_dir;

    std::function<SubmitResult(const Response&)> submit_fn;
    std::function<StaffInfo()> staff_info_fn;
    std::function<int64_t()> wall_clock;          // unix seconds (responses' times)

    std::string speak_request;                    // text for the speech module; "" = nothing new
    bool speak_stop = false;                      // stop any speech now
    bool quit = false;                            // staff chose "Kiosk beenden" and confirmed it
    bool quit_asked = false;                      // "Kiosk beenden" pressed: asking to confirm
    double thanks_until = 0;                      // thank-you page returns to welcome then
    std::string thanks_text;                      // the survey's end_text as the respondent saw it, piped
                                                  // before the session ended; wiped with the page
    std::string save_error;                       // last vault error (SaveFailed screen)
    int generation = 0;                           // +1 on every reset; views drop widget state
    int64_t submitted = 0, partials = 0;          // counts for this run (staff menu)

    // Staff desks for paper sheets and event tallies (paper_desk.h). main.cpp sets the
    // pointers.
    StaffDesk staff_desk = StaffDesk::Menu;
    PaperDesk paper;
    TallyDesk tally;
    PaperRegistry* paper_registry = nullptr;
    Vault* vault = nullptr;

    // Surveys staff may switch to (native .json or LimeSurvey .lss), from the folders in
    // survey_dirs: main.cpp lists them at start, a survey update lists them again.
    std::vector<std::string> survey_dirs;
    std::vector<SurveyFile> survey_files;
    std::string survey_path;                      // the file app.survey came from
    std::string survey_message;                   // result of the last switch ("" = none)
    std::string given_survey_hash;                // hash of the --survey file at start (start_survey.h)

    // Transport desk (StaffDesk::Sync): network sync, enrolment, USB stick, survey updates.
    // Its worker thread outlives the staff menu; main.cpp polls it (sync_desk.h).
    SyncDesk sync;

    // Site/event form, assisted interview start and printing (field_desk.h).
    FieldDesk field;
    std::string interviewer;                      // non-empty: this session is an assisted interview
    bool consent_given = false;                   // "Ich bin einverstanden" pressed in this session

    // A Delphi round's participant (code, keys, own earlier answers; wiped with the session)
    // and the wrong-code back-off, which outlives sessions (delphi_participant.h).
    DelphiParticipant delphi;
    DelphiLock delphi_lock;
};

// --- set-up ---
// Loads settings and the PIN state from data_dir; `texts` must be loaded. Calls sodium_init.
void kiosk_init(KioskApp& app, std::shared_ptr<const Survey> survey, UiTexts texts,
                const std::string& data_dir, double now);
bool save_config(const KioskApp& app, std::string* error);
// The staff menu's view of the vault's status (main.cpp's staff_info_fn; tests use it too).
StaffInfo staff_info_of(const VaultStatus& s);
// The UI text in the respondent's language.
const std::string& kiosk_text(const KioskApp& app, const std::string& key);
// What this kiosk tells the server about itself with every bundle (program, survey in use; the
// sync client adds the vault's counts and alarms): device_status.h.
DeviceStatus kiosk_device_status(const KioskApp& app);

// --- respondent path ---
void note_activity(KioskApp& app, double now);        // any touch, click or key
// Welcome -> language & reading aids. The reading settings chosen on the welcome page (text
// size, contrast, speech, language) are this person's and carry into the session.
void start_survey(KioskApp& app, double now);
// A language button of the welcome page: one tap starts in that language.
void start_in_language(KioskApp& app, const std::string& lang, double now);
void choose_language(KioskApp& app, const std::string& lang);
// The welcome page's speech control: reads the welcome page now and every page after it.
void start_reading_aloud(KioskApp& app);
// The welcome page's facts: "etwa 5 Minuten" in the respondent's language ("" without survey).
std::string duration_text(const KioskApp& app);
// The data-protection notice page (Screen::Privacy, when the survey has `privacy`). Without
// required consent "Weiter" goes on. With it, next() refuses until consent; agreeing records
// meta.consent and goes to the first question; refusing ends the session at once and hands
// nothing to the vault (the welcome page shows again).
bool needs_consent(const KioskApp& app);
void give_consent(KioskApp& app);
void refuse_consent(KioskApp& app, double now);
void set_text_scale(KioskApp& app, int percent);
void begin_questions(KioskApp& app);                  // language/privacy page -> first question
// Stores the answer of the question on screen (or any visible one) and remembers a problem.
AnswerProblem answer(KioskApp& app, const std::string& code, const Answer& a);
// Text typed into field `field` of question `code`; `apply` turns it into the answer.
void set_draft(KioskApp& app, const std::string& field, const std::string& text);
bool next(KioskApp& app);                             // false when the page refused
bool back(KioskApp& app);
bool change(KioskApp& app, const std::string& code);  // review page "ändern"
void submit(KioskApp& app, double now);               // review -> thank-you (only if durable)
std::string page_speech_text(const KioskApp& app);    // what "Vorlesen" says on this page
void request_speech(KioskApp& app);

// The numbered choices of a closed question as the page shows and speaks them: options
// (yes/no and rating generated), then "andere" (code kOtherCode), then "keine Antwort"
// (code kNoAnswerCode) where the survey offers it (both codes: response.h). Number key n
// picks choices[n-1].
struct Choice {
    std::string code;
    std::string label;
};
std::vector<Choice> page_choices(const KioskApp& app, const Question& q);
bool offers_no_answer(const KioskApp& app, const Question& q);
// A choice matrix offers "keine Antwort" per row instead (after the row's first-scale options,
// number key 0; stored as the row's cell kNoAnswerCode, surveys/RESPONSE.md).
bool offers_row_no_answer(const KioskApp& app, const Question& q);
// Chooses (or, where the type toggles, un-chooses) choice `code` of the current question:
// single/yesno/rating select, multiple and ranking toggle, kNoAnswerCode clears the rest.
void choose(KioskApp& app, const std::string& code);
bool is_chosen(const KioskApp& app, const Question& q, const std::string& code);
// Matrix choice cell: `key` = row code (scale 1) or "ROW#1" (scale 2). With `toggle`, the
// same option again clears the cell (a tap); number keys set without toggling. Option
// kNoAnswerCode on a row code is the row's "keine Antwort": it clears the row's second scale,
// and choosing on the second scale clears it again.
void choose_cell(KioskApp& app, const Question& q, const std::string& key, const std::string& option,
                 bool toggle = true);
// Matrix "slots" number keys walk through: one per visible row and scale.
std::vector<std::string> matrix_slots(const KioskApp& app, const Question& q);
// Ranking: moves entry `index` by `delta` places.
void rank_move(KioskApp& app, const Question& q, int index, int delta);

// Text fields. A field id names where the text goes:
//   "Q|value", "Q|other", "Q|comment", "Q|cell|KEY", "Q|rank|N" (0-based), "Q|date|d|m|y"
// edit_field() keeps the text as typed (draft) and stores the answer built from it;
// field_text() gives the draft, or the stored answer's text when there is none.
void edit_field(KioskApp& app, const std::string& field, const std::string& text);
std::string field_text(const KioskApp& app, const std::string& field);
// The kiosk's instruction for the question's type, in the respondent's language ("Sie können
// mehrere Antworten wählen.", the ranking and ranked-list hints; "" for other types), or ""
// when the question's help already says it: no hint is shown or spoken twice.
std::string type_instruction(const KioskApp& app, const Question& q);
// Short text for the review page ("" when unanswered).
std::string answer_summary(const KioskApp& app, const Question& q);

// Survey text in the respondent's language.
// A survey text in the respondent's language, with piped answers ("{A2.shown}") evaluated
// against the session of now (none: expressions show as nothing). `self` is the question
// the text belongs to, for "{self}" in an equation's text.
std::string survey_text(const KioskApp& app, const LocalText& t, const Question* self = nullptr);

// --- inactivity ---
void idle_tick(KioskApp& app, double now);
void more_time(KioskApp& app, double now);
// Seconds until the next timer event (for glfwWaitEventsTimeout); large when nothing runs.
double seconds_to_next_timer(const KioskApp& app, double now);
// Ends the respondent's session: partial response to the vault when allowed, then wipes
// every trace (session, drafts, focus request, reading settings) and shows the welcome page.
void end_session_timeout(KioskApp& app, double now);
void reset_to_welcome(KioskApp& app);

// --- staff ---
inline constexpr const char* kDefaultStaffPin = "246810";
inline constexpr double kCornerTapWindow = 3.0;       // seconds for the 5 taps
inline constexpr int kCornerTaps = 5;
// A tap into the hidden top-right corner; the fifth within 3 s opens the PIN prompt.
bool staff_corner_tap(KioskApp& app, double now);
void open_staff_pin(KioskApp& app);
// Checks pin.entry. Returns true and opens the staff menu when right; otherwise counts the
// failure and locks further attempts: 3rd wrong PIN 5 s, then doubling, at most 15 min.
// The count and the time of the last failure are kept in DIR/staff-pin-attempts (written
// with fsync), so a restart neither resets the count nor ends a lock early.
bool staff_pin_attempt(KioskApp& app, double now);
inline constexpr int kFreePinFailures = 2;
// DIR/staff-pin as found: Absent = the default PIN, which must be changed at once (first start,
// or the administrator deleted the file to reset a forgotten or damaged PIN); Hash = the
// Argon2id hash in `hash`; Damaged = empty, unreadable or not a hash: no PIN opens the staff
// menu (never the default), and *why says what is wrong.
enum class PinFile { Absent, Hash, Damaged };
PinFile read_staff_pin(const std::string& path, std::string& hash, std::string* why);
// Reads DIR/staff-pin-attempts into app.pin (kiosk_init calls it).
void load_pin_attempts(KioskApp& app, double now);
double staff_lock_seconds(int failures);
// Sets a new PIN (at least 6 digits, both entries equal); writes the Argon2id hash.
bool staff_change_pin(KioskApp& app);
void leave_staff(KioskApp& app);
// "Kiosk beenden" only asks; quitting takes a second, deliberate press (a slip of the finger
// on a touch screen must not end the kiosk for the rest of the day). confirm=false cancels.
void staff_ask_quit(KioskApp& app);
void staff_answer_quit(KioskApp& app, bool confirm);
// Staff menu: switch to the survey in `path` (.json, or .lss imported on the fly). Any
// respondent session is dropped. A file that does not load leaves the current survey in place
// and the reason in survey_message. Returns true when switched.
bool staff_switch_survey(KioskApp& app, const std::string& path);
// The surveys in the .json and .lss files of `dirs`, for the staff menu's list: each loaded
// once to show its id and version; the same survey (same content hash) found in two folders
// or under two names is listed once (the first found). Sorted by id, then version. A file
// that does not load is listed with its error, so staff see why it cannot be chosen.
std::vector<SurveyFile> list_survey_files(const std::vector<std::string>& dirs);
// "buerger-digital 1.1": what the staff menu shows of an entry; where two different surveys
// share id and version, the start of their hash tells them apart.
std::string survey_file_label(const std::vector<SurveyFile>& all, const SurveyFile& f);

// --- the survey a restart comes back to ---------------------------------------------------
// A survey that staff chose, or that a signed update installed, is persistent state: it is
// remembered in DIR/active-survey.json (path and content hash, and the hash of the --survey
// file the kiosk was started with then), written atomically with fsync. At the next start the
// remembered survey is shown again as long as the kiosk is started with the same --survey
// file; a changed --survey file is a new deployment by the administrator and wins.
struct StartSurvey {
    LoadResult survey;           // what the kiosk starts with
    std::string path;            // its file
    std::string given_hash;      // hash of the --survey file (kept in KioskApp::given_survey_hash)
    std::string note;            // why the remembered survey was or was not used ("" = none)
};
// Loads `given_path`, then the remembered survey where it applies. survey.ok() false: the
// --survey file itself does not load (its errors are in survey.errors).
StartSurvey choose_start_survey(const std::string& data_dir, const std::string& given_path);
// Writes DIR/active-survey.json for app.survey / app.survey_path. false with *error on failure.
bool remember_active_survey(const KioskApp& app, std::string* error);

// Argon2id (libsodium crypto_pwhash_str) helpers, exposed for tests.
std::string hash_pin(const std::string& pin);
bool verify_pin(const std::string& hash, const std::string& pin);

} // namespace tk
