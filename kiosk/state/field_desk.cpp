// field_desk.cpp - site and event, assisted interviews, printing (see field_desk.h).
#include "field_desk.h"
#include "kiosk_state.h"
#include "enrolment.h"
#include "sync_desk.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>

extern char** environ;

namespace tk {

static void say(FieldDesk& f, const std::string& key, const std::string& x, bool error) {
    f.message_key = key;
    f.message_x = x;
    f.message_is_error = error;
}

static std::string trim(const std::string& s) {
    size_t a = s.find_first_not_of(" \t"), b = s.find_last_not_of(" \t");
    return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

// --- site and event -----------------------------------------------------------------------

std::string check_place_text(const std::string& v, size_t max_bytes) {
    if (v.size() > max_bytes) return "staff_field_too_long";
    for (unsigned char c : v)
        if (c < 0x20 || c == 0x7F) return "staff_field_control_char";
    return "";
}

void remember_recent(std::vector<std::string>& list, const std::string& v) {
    if (v.empty()) return;
    list.erase(std::remove(list.begin(), list.end(), v), list.end());
    list.insert(list.begin(), v);
    if (list.size() > kRecentPlaces) list.resize(kRecentPlaces);
}

void field_site_begin(KioskApp& app) {
    FieldDesk& f = app.field;
    f.site = app.config.site;
    f.event = app.config.event;
    f.osk.clear();
    say(f, "", "", false);
    ++f.generation;
}

bool field_site_save(KioskApp& app) {
    FieldDesk& f = app.field;
    std::string site = trim(f.site), event = trim(f.event);
    if (site.empty()) {
        say(f, "staff_field_site_missing", "", true);
        return false;
    }
    for (const std::string* v : {&site, &event}) {
        std::string k = check_place_text(*v, kMaxPlaceBytes);
        if (!k.empty()) {
            say(f, k, std::to_string(kMaxPlaceBytes), true);
            return false;
        }
    }
    app.config.site = site;
    app.config.event = event;
    remember_recent(app.config.recent_sites, site);
    remember_recent(app.config.recent_events, event);
    f.site = site;
    f.event = event;
    std::string err;
    if (!save_config(app, &err)) {
        // Still in effect for this run; staff must know it will not survive a restart.
        say(f, "staff_field_save_failed", err, true);
        return false;
    }
    say(f, "staff_field_site_saved", "", false);
    return true;
}

bool adopt_enrolled_site(KioskApp& app) {
    ServerPin pin;
    if (!read_server_pin(app.data_dir, pin, nullptr)) return false;
    std::string site = trim(pin.site);
    if (site.empty() || site == app.config.enrolled_site || !check_place_text(site, kMaxPlaceBytes).empty()) return false;
    app.config.site = site;
    app.config.enrolled_site = site;
    remember_recent(app.config.recent_sites, site);
    std::string err;
    if (!save_config(app, &err)) app.save_error = err; // in effect for this run all the same
    return true;
}

// --- assisted interviews ------------------------------------------------------------------

bool start_assisted(KioskApp& app, double now) {
    FieldDesk& f = app.field;
    std::string id = trim(f.interviewer);
    std::string k = id.empty() ? "staff_field_interviewer_missing" : check_place_text(id, kMaxInterviewerBytes);
    if (!k.empty()) {
        say(f, k, std::to_string(kMaxInterviewerBytes), true);
        return false;
    }
    if (!app.survey) return false;
    f.interviewer = id;
    f.osk.clear();
    say(f, "", "", false);
    // Someone's session paused by the staff menu ends as at a timeout (partial kept if allowed).
    if (app.session) end_session_timeout(app, now);
    leave_staff(app);
    start_survey(app, now);
    app.interviewer = id; // after start_survey: its reset clears the previous interviewer
    return true;
}

Response finish_session(const KioskApp& app, bool complete) {
    bool assisted = !app.interviewer.empty();
    Response r = app.session->finish(complete, app.wall_clock(), assisted ? kChannelAssisted : kChannelKiosk,
                                     app.config.site, app.config.event);
    if (assisted) r.meta["interviewer"] = app.interviewer;
    if (app.consent_given && needs_consent(app)) r.meta["consent"] = "given";
    delphi_finish(app, r); // the pseudonym and the reasons, sealed with the rest
    return r;
}

// --- printing -----------------------------------------------------------------------------

std::vector<std::string> list_print_folders(const std::string& data_dir) {
    std::vector<std::string> out = {data_dir + "/prints"};
    for (const auto& v : list_usb_volumes()) // the sync desk's list: same sticks, same TK_USB_ROOTS
        if (v != out.front()) out.push_back(v);
    return out;
}

bool lp_available() {
    const char* path = std::getenv("PATH");
    std::string p = path ? path : "/usr/bin:/bin";
    size_t start = 0;
    for (;;) {
        size_t colon = p.find(':', start);
        std::string dir = p.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
        if (!dir.empty() && ::access((dir + "/lp").c_str(), X_OK) == 0) return true;
        if (colon == std::string::npos) return false;
        start = colon + 1;
    }
}

// Runs `lp FILE` (no shell: the path may hold blanks) and waits for it; lp only queues the job.
static bool send_to_printer(const std::string& pdf, std::string* error) {
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    std::string prog = "lp";
    char* argv[] = {prog.data(), const_cast<char*>(pdf.c_str()), nullptr};
    pid_t pid = 0;
    int rc = posix_spawnp(&pid, "lp", &fa, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        *error = "lp: cannot start";
        return false;
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        *error = "lp: exit status " + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        return false;
    }
    return true;
}

PrintOutcome print_form_to_folder(const Survey& s, const PrintOptions& opt, const std::string& folder, int64_t now,
                                  bool send) {
    PrintOutcome o;
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    if (!std::filesystem::is_directory(folder, ec)) {
        o.error = folder + ": not a folder that can be written";
        return o;
    }
    std::time_t t = std::time_t(now);
    std::tm tm{};
    localtime_r(&t, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    std::string lang = opt.lang.empty() ? s.original_language() : opt.lang;
    std::string base = folder + "/" + s.id + "-" + lang + (opt.large ? "-gross" : "") + "-" + stamp;
    // Two jobs in one second must not overwrite each other's sheets.
    std::string stem = base;
    for (int i = 2; std::filesystem::exists(stem + ".pdf", ec); ++i) stem = base + "-" + std::to_string(i);
    o.pdf = stem + ".pdf";
    o.ids_file = stem + ".txt";
    PrintResult r;
    if (!print_paper_form(s, opt, o.pdf, r)) {
        o.error = r.error.empty() ? o.pdf + ": printing failed" : r.error;
        return o;
    }
    o.sheet_ids = r.sheet_ids;
    o.pages_per_sheet = r.pages_per_sheet;
    std::string ids;
    for (const auto& id : r.sheet_ids) ids += id + "\n";
    // Written beside and renamed: whoever reads the ids file (staff, a script) never sees half of it.
    std::string tmp = o.ids_file + ".tmp";
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f << ids;
    f.close();
    if (!f || std::rename(tmp.c_str(), o.ids_file.c_str()) != 0) {
        std::filesystem::remove(tmp, ec);
        o.error = o.ids_file + ": cannot write the sheet ids";
        return o;
    }
    o.ok = true;
    if (send) o.sent = send_to_printer(o.pdf, &o.error);
    return o;
}

static void say_print_result(FieldDesk& f) {
    if (!f.last.ok) say(f, "staff_print_failed", f.last.error, true);
    else if (!f.last.error.empty()) say(f, "staff_print_lp_failed", f.last.error, true); // PDF written, printer not
    else say(f, f.last.sent ? "staff_print_done_sent" : "staff_print_done", f.last.pdf, false);
}

void field_print_begin(KioskApp& app) {
    FieldDesk& f = app.field;
    if (app.survey && (f.print_lang.empty() ||
                       std::find(app.survey->languages.begin(), app.survey->languages.end(), f.print_lang) ==
                           app.survey->languages.end()))
        f.print_lang = app.survey->original_language();
    std::string chosen = f.print_folder < f.print_folders.size() ? f.print_folders[f.print_folder] : "";
    f.print_folders = list_print_folders(app.data_dir);
    auto it = std::find(f.print_folders.begin(), f.print_folders.end(), chosen);
    f.print_folder = it == f.print_folders.end() ? 0 : size_t(it - f.print_folders.begin());
    f.lp = lp_available();
    if (!f.lp) f.print_send = false;
    // A job that ended while staff were elsewhere (another desk said something meanwhile)
    // shows its result or failure on this visit.
    if (f.print_unseen) say_print_result(f);
    else if (!field_print_running(app)) say(f, "", "", false);
}

bool field_print_running(const KioskApp& app) { return app.field.job.valid(); }

bool field_print_start(KioskApp& app) {
    FieldDesk& f = app.field;
    if (field_print_running(app) || !app.survey) return false;
    if (f.print_sheets < 1 || f.print_sheets > kMaxPrintSheets) {
        say(f, "staff_print_bad_sheets", std::to_string(kMaxPrintSheets), true);
        return false;
    }
    if (f.print_folder >= f.print_folders.size()) {
        say(f, "staff_print_no_folder", "", true);
        return false;
    }
    PrintOptions opt;
    opt.lang = f.print_lang;
    opt.large = f.print_large;
    opt.sheets = f.print_sheets;
    std::shared_ptr<const Survey> s = app.survey;
    std::string folder = f.print_folders[f.print_folder];
    int64_t now = app.wall_clock ? app.wall_clock() : int64_t(std::time(nullptr));
    bool send = f.print_send && f.lp;
    f.job = std::async(std::launch::async, [s, opt, folder, now, send] { return print_form_to_folder(*s, opt, folder, now, send); });
    f.last = PrintOutcome{};
    say(f, "staff_print_running", std::to_string(opt.sheets), false);
    ++f.generation;
    return true;
}

bool field_print_poll(KioskApp& app) {
    FieldDesk& f = app.field;
    if (!f.job.valid() || f.job.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return false;
    f.last = f.job.get();
    say_print_result(f);
    f.print_unseen = true;
    ++f.generation;
    return true;
}

} // namespace tk
