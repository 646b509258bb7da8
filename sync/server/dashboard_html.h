// dashboard_html.h - the coordinator's dashboard as HTML (routes and forms: dashboard.h).
//
//   html_escape         THE escaping of every text that is not ours: & < > " ' as entities,
//                       control characters and invalid UTF-8 as U+FFFD, cut at a length
//   Lang, tr            the page texts in German and English, from one table (kDashTexts)
//   DashFrame           what every page shares: language, title, account, CSRF token, navigation
//   render_*            one function per page; each takes the store's data and returns HTML
//   dashboard_css       the one style sheet (served as a file: the pages carry no inline style,
//                       so the Content-Security-Policy can forbid all inline code)
//
// Device ids, site names, the devices' status JSON, event details, reasons and account names
// are all hostile input: a kiosk, a stolen key or a typing coordinator may put HTML into them.
// Nothing reaches a page without html_escape; numbers are formatted here. The pages work without
// JavaScript (there is none), at 200 % zoom (no fixed widths; wide tables scroll in their own
// box) and with the keyboard (visible focus, labels on every field, <th scope> in every table).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server_store.h"

namespace tk {

// `s` made safe as HTML text and as a quoted attribute value; at most `max` bytes of `s` are
// shown (then "…").
std::string html_escape(std::string_view s, size_t max = 4000);

enum class Lang { de, en };
struct DashText {
    const char* key;
    const char* de;
    const char* en;
};
// Every text of the pages, both languages side by side.
const std::vector<DashText>& dash_texts();
// The text for `key` in `lang` (the key itself when the table lacks it: tests check none does).
const char* tr(Lang lang, const char* key);
const char* lang_code(Lang lang);

struct DashFrame {
    Lang lang = Lang::de;
    std::string title_key;        // a text key: the page's <title> and <h1>
    std::string account;          // "" = not logged in (no navigation, no logout)
    std::string csrf;             // the session's token for the logout form
    std::string nav;              // which navigation entry is the current page
    std::string notice;           // a text key shown as a status message ("" = none)
    std::string error;            // a sentence shown as an error (escaped here)
};

// A whole page around `main_html` (already HTML).
std::string render_page(const DashFrame& f, const std::string& main_html);

std::string render_login(Lang lang, const std::string& login_token, const std::string& name);

struct DeviceView {
    int stale_days = 7;
    int64_t now = 0;
};
std::string render_devices(Lang lang, const std::vector<DeviceInfo>& devices, const DeviceView& v, const std::string& csrf);

struct CountsView {
    std::vector<CountRow> counts;                       // all sites
    std::vector<std::pair<std::string, int64_t>> targets;
    std::vector<SurveyCount> surveys;
    std::string site;                                   // the day chart and table for this site ("" = all)
    int days = 30;                                      // the day chart's last days that hold records
};
std::string render_counts(Lang lang, const CountsView& v, const std::string& csrf);

struct EventsView {
    std::vector<ServerStore::Event> events;             // this page
    std::vector<std::pair<std::string, int64_t>> kinds; // every kind in the log, with its count
    std::string kind, device;                           // the filter as given
    size_t page = 0;
    bool more = false;                                  // a further page exists
};
std::string render_events(Lang lang, const EventsView& v);

struct CodesView {
    std::vector<PairingCodeInfo> codes;
    int64_t now = 0;
    std::string new_code, new_site;                     // the code just made (shown once), "" = none
    int new_hours = 0;
};
std::string render_codes(Lang lang, const CodesView& v, const std::string& csrf);

struct AuditView {
    std::vector<AuditEntry> entries;
    size_t page = 0;
    bool more = false;
};
std::string render_audit(Lang lang, const AuditView& v);

std::string render_not_found(Lang lang);

const std::string& dashboard_css();

} // namespace tk
