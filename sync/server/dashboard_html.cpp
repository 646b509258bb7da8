// dashboard_html.cpp - the dashboard's pages (see dashboard_html.h).
//
//   html_escape, url_part        escaping for HTML text/attributes and for query values
//   kDashTexts, tr               the texts, German and English
//   render_page                  the frame: skip link, navigation, language switch, logout
//   render_devices, render_counts, render_events, render_codes, render_audit, render_login
//   dashboard_css                the style sheet
#include "dashboard_html.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>

#include "dates.h"
#include "device_status.h"
#include "keys.h"
#include "text.h"

namespace tk {

std::string html_escape(std::string_view s, size_t max) {
    std::string out;
    out.reserve(std::min(s.size(), max) + 16);
    size_t i = 0;
    while (i < s.size() && i < max) {
        uint32_t cp = 0;
        size_t n = next_codepoint(s, i, &cp);
        if (n == 0) { // not UTF-8: one replacement character per bad byte
            out += "\xEF\xBF\xBD";
            i++;
            continue;
        }
        if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || (cp >= 0x7f && cp <= 0x9f) || cp == 0x2028 ||
            cp == 0x2029) {
            out += "\xEF\xBF\xBD";
        } else {
            switch (cp) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out.append(s.data() + i, n);
            }
        }
        i += n;
    }
    if (i < s.size()) out += "\xE2\x80\xA6"; // …
    return out;
}

namespace {

// A value inside a link's query: everything but unreserved characters as %XX.
std::string url_part(const std::string& s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s.substr(0, 500)) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += (char)c;
        else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string num(int64_t n) { return std::to_string(n); }

std::string when(int64_t t) {
    if (t <= 0) return "–";
    std::string s = format_utc(t); // 2026-12-02T10:00:00Z
    // The date never breaks at its hyphens (a narrow column at 200 % would show "2026-12-" over
    // "02"); the line may break before the time.
    return s.size() >= 16 ? "<span class=\"d\">" + s.substr(0, 10) + "</span> " + s.substr(11, 5) + " UTC" : s;
}

std::string day_text(int64_t day) { return format_utc(day * 86400).substr(0, 10); }

// A warning that does not rely on colour: a sign, a word and a border (.flag in the CSS).
std::string flag(const std::string& text) { return "<strong class=\"flag\">\xE2\x9A\xA0 " + text + "</strong>"; }

std::string subst(std::string s, const std::string& what, const std::string& by) {
    size_t at = s.find(what);
    if (at != std::string::npos) s.replace(at, what.size(), by);
    return s;
}

const std::vector<DashText> kDashTexts = {
    {"brand", "Teilhabe Kiosk – Koordination", "Teilhabe Kiosk – coordination"},
    {"skip", "Zum Inhalt springen", "Skip to content"},
    {"nav", "Bereiche", "Sections"},
    {"devices", "Geräte", "Devices"},
    {"counts", "Zählungen", "Counts"},
    {"events", "Ereignisse", "Events"},
    {"codes", "Kopplungscodes", "Pairing codes"},
    {"audit", "Protokoll der Aktionen", "Audit log"},
    {"language", "Sprache", "Language"},
    {"signed_in_as", "Angemeldet als", "Signed in as"},
    {"logout", "Abmelden", "Sign out"},
    {"login", "Anmelden", "Sign in"},
    {"login_title", "Anmeldung", "Sign in"},
    {"account", "Konto", "Account"},
    {"password", "Passwort", "Password"},
    {"login_intro", "Für Koordinatorinnen und Koordinatoren. Konten legt die Server-Verwaltung an (teilhabe-server user add).",
     "For coordinators. Accounts are made by the server's administrators (teilhabe-server user add)."},
    {"login_failed", "Anmeldung fehlgeschlagen: Konto oder Passwort stimmt nicht.", "Sign-in failed: wrong account or password."},
    {"login_locked", "Zu viele Fehlversuche. Anmelden ist erst in {N} Sekunden wieder möglich.",
     "Too many failed attempts. Signing in is possible again in {N} seconds."},
    {"form_expired", "Das Formular ist abgelaufen oder nicht von dieser Seite. Bitte die Seite neu laden und noch einmal senden.",
     "The form has expired or is not from this page. Reload the page and send it again."},
    {"not_found", "Diese Seite gibt es nicht.", "There is no such page."},
    {"summary_devices", "{N} Geräte", "{N} devices"},
    {"summary_stale", "{N} seit {D} Tagen oder länger nicht gesehen", "{N} not seen for {D} days or more"},
    {"summary_gap", "{N} mit Lücke in der Kette", "{N} with a chain gap"},
    {"summary_revoked", "{N} gesperrt", "{N} revoked"},
    {"no_devices", "Noch kein Gerät gekoppelt.", "No device enrolled yet."},
    {"device", "Gerät", "Device"},
    {"site", "Standort", "Site"},
    {"last_seen", "Zuletzt gesehen", "Last seen"},
    {"never", "nie", "never"},
    {"last_result", "Letzte Übertragung", "Last upload"},
    {"program", "Programm", "Program"},
    {"survey", "Fragebogen", "Survey"},
    {"unsynced", "Nicht übertragen", "Unsynced"},
    {"in_memory", "nur im Speicher", "in memory only"},
    {"alarms", "Alarme", "Alarms"},
    {"chain", "Kette", "Chain"},
    {"state", "Zustand", "State"},
    {"server_head", "Server", "server"},
    {"device_head", "Gerät", "device"},
    {"stale_for", "nicht gesehen seit {N} Tagen", "not seen for {N} days"},
    {"chain_gap", "Kettenlücke: {N} fehlen", "chain gap: {N} missing"},
    {"active", "aktiv", "active"},
    {"revoked", "gesperrt", "revoked"},
    {"revoked_since", "seit", "since"},
    {"records", "Datensätze", "Records"},
    {"none", "keine", "none"},
    {"unknown", "unbekannt", "unknown"},
    {"revoke_title", "Gerät sperren", "Revoke a device"},
    {"revoke_intro", "Ein gesperrtes Gerät kann nichts mehr hochladen und sich nicht neu koppeln. Seine Daten bleiben.",
     "A revoked device can no longer upload or enrol again. Its records stay."},
    {"reason", "Grund", "Reason"},
    {"revoke", "Sperren", "Revoke"},
    {"done_revoked", "Das Gerät ist gesperrt.", "The device is revoked."},
    {"done_target", "Das Ziel ist gespeichert.", "The target is stored."},
    {"per_site", "Nach Standort und Kanal", "By site and channel"},
    {"total", "Summe", "Total"},
    {"expected", "Erwartet", "Expected"},
    {"collected", "Erreicht", "Collected"},
    {"no_target", "kein Ziel", "no target"},
    {"no_records", "Noch keine Datensätze.", "No records yet."},
    {"per_day", "Nach Tag", "By day"},
    {"day", "Tag", "Day"},
    {"all_sites", "alle Standorte", "all sites"},
    {"show", "Anzeigen", "Show"},
    {"chart_label", "Datensätze je Tag (die letzten {N} Tage mit Daten)", "Records per day (the last {N} days with records)"},
    {"per_survey", "Nach Fragebogen-Version", "By survey version"},
    {"survey_hash", "Fassung (Prüfsumme)", "Version (content hash)"},
    {"target_title", "Ziel je Standort setzen", "Set a target per site"},
    {"target_intro", "Wie viele Antworten ein Standort sammeln soll; 0 entfernt das Ziel.",
     "How many responses a site is expected to collect; 0 removes the target."},
    {"save", "Speichern", "Save"},
    {"filter", "Filter", "Filter"},
    {"kind", "Art", "Kind"},
    {"all_kinds", "alle", "all"},
    {"kind_reject-", "Ablehnungen (alle)", "Refusals (all)"},
    {"kind_reject-gap", "Lücken", "Gaps"},
    {"kind_enrol", "Kopplungen", "Enrolments"},
    {"kind_revoke", "Sperrungen", "Revocations"},
    {"device_id", "Geräte-Kennung (16 Hex-Ziffern)", "Device id (16 hex digits)"},
    {"time", "Zeit", "Time"},
    {"detail", "Einzelheiten", "Detail"},
    {"no_events", "Keine Ereignisse für diesen Filter.", "No events for this filter."},
    {"newer", "Neuere", "Newer"},
    {"older", "Ältere", "Older"},
    {"page_n", "Seite {N}", "Page {N}"},
    {"pages", "Seiten", "Pages"},
    {"code_title", "Neuen Kopplungscode erstellen", "Make a pairing code"},
    {"code_intro", "Ein Code koppelt genau ein Gerät; er wird nur einmal angezeigt (gespeichert ist nur seine Prüfsumme).",
     "A code enrols exactly one device; it is shown only once (only its hash is stored)."},
    {"valid_hours", "Gültig (Stunden, 1 bis 720)", "Valid (hours, 1 to 720)"},
    {"make_code", "Code erstellen", "Make code"},
    {"new_code", "Neuer Kopplungscode", "New pairing code"},
    {"new_code_for", "für Standort „{S}“, gültig {N} Stunden. Am Kiosk unter „Übertragung“ eingeben.",
     "for site “{S}”, valid {N} hours. Enter it at the kiosk under “Übertragung”."},
    {"code_id", "Kennung", "Id"},
    {"created", "Erstellt", "Made"},
    {"expires", "Läuft ab", "Expires"},
    {"used_by", "Benutzt von", "Used by"},
    {"state_open", "offen", "open"},
    {"state_used", "benutzt", "used"},
    {"state_expired", "abgelaufen", "expired"},
    {"no_codes", "Noch keine Kopplungscodes.", "No pairing codes yet."},
    {"who", "Wer", "Who"},
    {"from", "Von (Adresse)", "From (address)"},
    {"action", "Aktion", "Action"},
    {"no_audit", "Noch keine Aktionen.", "No actions yet."},
    {"bad_site", "Der Standort ist zu lang (höchstens 200 Bytes) oder enthält Steuerzeichen.",
     "The site is too long (at most 200 bytes) or contains control characters."},
    {"bad_reason", "Bitte einen Grund angeben (höchstens 500 Bytes, ohne Steuerzeichen).",
     "Please give a reason (at most 500 bytes, no control characters)."},
    {"bad_number", "Bitte eine ganze Zahl im erlaubten Bereich angeben.", "Please give a whole number in the allowed range."},
    {"bad_form", "Das Formular ist unvollständig oder zu groß.", "The form is incomplete or too large."},
};

std::string t(Lang l, const char* key) { return tr(l, key); }
std::string tn(Lang l, const char* key, int64_t n) { return subst(tr(l, key), "{N}", num(n)); }

std::string hidden_csrf(const std::string& csrf) {
    return "<input type=\"hidden\" name=\"csrf\" value=\"" + html_escape(csrf, 100) + "\">";
}

// The table's box scrolls on its own when the table is wider than the window (200 % zoom).
std::string table_open(const std::string& caption) {
    return "<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-label=\"" + caption + "\"><table><caption>" + caption +
           "</caption>";
}
const char* kTableClose = "</table></div>";

std::string th_cols(std::initializer_list<std::string> cols) {
    std::string h = "<thead><tr>";
    for (const std::string& c : cols) h += "<th scope=\"col\">" + c + "</th>";
    return h + "</tr></thead>";
}

std::string pager(Lang l, const std::string& base, size_t page, bool more) {
    if (page == 0 && !more) return "";
    std::string h = "<nav class=\"pager\" aria-label=\"" + t(l, "pages") + "\"><ul>";
    if (page > 0) h += "<li><a href=\"" + base + "page=" + num((int64_t)page - 1) + "\">" + t(l, "newer") + "</a></li>";
    h += "<li aria-current=\"page\">" + tn(l, "page_n", (int64_t)page + 1) + "</li>";
    if (more) h += "<li><a href=\"" + base + "page=" + num((int64_t)page + 1) + "\">" + t(l, "older") + "</a></li>";
    return h + "</ul></nav>";
}

} // namespace

const std::vector<DashText>& dash_texts() { return kDashTexts; }

const char* tr(Lang lang, const char* key) {
    for (const DashText& d : kDashTexts)
        if (std::strcmp(d.key, key) == 0) return lang == Lang::en ? d.en : d.de;
    return key;
}

const char* lang_code(Lang lang) { return lang == Lang::en ? "en" : "de"; }

std::string render_page(const DashFrame& f, const std::string& main_html) {
    Lang l = f.lang;
    std::string title = t(l, f.title_key.c_str());
    std::string h = "<!DOCTYPE html>\n<html lang=\"" + std::string(lang_code(l)) + "\"><head><meta charset=\"utf-8\">"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                    "<title>" + title + " – " + t(l, "brand") + "</title>"
                    "<link rel=\"stylesheet\" href=\"/dashboard/style.css\"></head><body>"
                    "<a class=\"skip\" href=\"#main\">" + t(l, "skip") + "</a><header><p class=\"brand\">" + t(l, "brand") + "</p>";
    if (!f.account.empty()) {
        static const char* items[] = {"devices", "counts", "events", "codes", "audit"};
        h += "<nav aria-label=\"" + t(l, "nav") + "\"><ul>";
        for (const char* it : items)
            h += std::string("<li><a href=\"/dashboard/") + it + "\"" + (f.nav == it ? " aria-current=\"page\"" : "") + ">" +
                 t(l, it) + "</a></li>";
        h += "</ul></nav>";
    }
    h += "<div class=\"tools\"><p class=\"langs\">" + t(l, "language") + ": "
         "<a href=\"?lang=de\" lang=\"de\" hreflang=\"de\"" + (l == Lang::de ? " aria-current=\"true\"" : "") + ">Deutsch</a> "
         "<a href=\"?lang=en\" lang=\"en\" hreflang=\"en\"" + (l == Lang::en ? " aria-current=\"true\"" : "") + ">English</a></p>";
    if (!f.account.empty())
        h += "<form method=\"post\" action=\"/dashboard/logout\" class=\"logout\">" + hidden_csrf(f.csrf) + "<span>" +
             t(l, "signed_in_as") + " <strong>" + html_escape(f.account, 100) + "</strong></span> <button type=\"submit\">" +
             t(l, "logout") + "</button></form>";
    h += "</div></header><main id=\"main\" tabindex=\"-1\"><h1>" + title + "</h1>";
    if (!f.notice.empty()) h += "<p class=\"notice\" role=\"status\">" + t(l, f.notice.c_str()) + "</p>";
    if (!f.error.empty()) h += "<p class=\"error\" role=\"alert\">" + html_escape(f.error, 2000) + "</p>";
    return h + main_html + "</main></body></html>\n";
}

std::string render_login(Lang l, const std::string& login_token, const std::string& name) {
    return "<p>" + t(l, "login_intro") + "</p><form method=\"post\" action=\"/dashboard/login\" class=\"stack\">" +
           hidden_csrf(login_token) + "<label for=\"name\">" + t(l, "account") +
           "</label><input id=\"name\" name=\"name\" autocomplete=\"username\" required maxlength=\"64\" value=\"" +
           html_escape(name, 64) + "\"><label for=\"password\">" + t(l, "password") +
           "</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>"
           "<button type=\"submit\">" + t(l, "login") + "</button></form>";
}

std::string render_devices(Lang l, const std::vector<DeviceInfo>& devices, const DeviceView& v, const std::string& csrf) {
    int stale = 0, gaps = 0, revoked = 0;
    std::string rows;
    for (const DeviceInfo& d : devices) {
        int64_t seen = d.last_seen ? d.last_seen : d.enrolled;
        int64_t days = (v.now - seen) / 86400;
        bool is_stale = !d.revoked && v.now - seen > (int64_t)v.stale_days * 86400;
        bool gap = d.missing() > 0;
        stale += is_stale;
        gaps += gap;
        revoked += d.revoked;
        DeviceStatus ds;
        bool has = !d.status.empty() && parse_device_status(d.status, ds, nullptr);
        std::string cls = d.revoked ? "revoked" : is_stale ? "stale" : gap ? "gap" : "";
        std::string r = "<tr" + (cls.empty() ? std::string() : " class=\"" + cls + "\"") + ">";
        r += "<th scope=\"row\"><code>" + html_escape(device_id_hex(d.pk)) + "</code></th>";
        r += "<td>" + html_escape(d.site, 200) + "</td>";
        r += "<td>" + (d.last_seen ? when(d.last_seen) : t(l, "never")) +
             (is_stale ? "<br>" + flag(tn(l, "stale_for", days)) : "") + "</td>";
        r += "<td>" + (d.last_result.empty() ? "–" : d.last_result == "ok" ? "ok" : flag(html_escape(d.last_result, 40))) +
             (d.last_result_time ? "<br><small>" + when(d.last_result_time) + "</small>" : "") + "</td>";
        r += "<td>" + (has ? html_escape(ds.program, 200) : t(l, "unknown")) + "</td>";
        r += "<td>" + (has && !ds.survey_id.empty() ? html_escape(ds.survey_id, 200) + " " + html_escape(ds.survey_version, 40)
                                                    : t(l, "unknown")) + "</td>";
        r += "<td>" + (has && ds.unsynced >= 0 ? num(ds.unsynced) : "?") +
             (has && ds.in_memory > 0 ? "<br>" + flag(num(ds.in_memory) + " " + t(l, "in_memory")) : "") + "</td>";
        std::string al;
        if (has)
            for (const std::string& a : ds.alarms) al += (al.empty() ? "" : "<br>") + flag(html_escape(a, 200));
        r += "<td>" + (al.empty() ? (has ? t(l, "none") : "–") : al) + "</td>";
        r += "<td>" + t(l, "server_head") + " " + num((int64_t)d.last_seq) + " · " + t(l, "device_head") + " " +
             num((int64_t)d.head_seq) + (gap ? "<br>" + flag(tn(l, "chain_gap", (int64_t)d.missing())) : "") + "</td>";
        r += "<td>" + num(d.records) + "</td>";
        r += "<td>" + (d.revoked ? "<strong class=\"flag\">\xE2\x8A\x98 " + t(l, "revoked") + "</strong> " + t(l, "revoked_since") +
                                       " " + when(d.revoked_at) + ": " + html_escape(d.revoked_reason, 500)
                                 : t(l, "active")) + "</td>";
        rows += r + "</tr>";
    }
    std::string h = "<p class=\"summary\">" + tn(l, "summary_devices", (int64_t)devices.size()) + " · " +
                    subst(tn(l, "summary_stale", stale), "{D}", num(v.stale_days)) + " · " + tn(l, "summary_gap", gaps) +
                    " · " + tn(l, "summary_revoked", revoked) + "</p>";
    if (devices.empty()) h += "<p>" + t(l, "no_devices") + "</p>";
    else
        h += table_open(t(l, "devices")) +
             th_cols({t(l, "device"), t(l, "site"), t(l, "last_seen"), t(l, "last_result"), t(l, "program"), t(l, "survey"),
                      t(l, "unsynced"), t(l, "alarms"), t(l, "chain"), t(l, "records"), t(l, "state")}) +
             "<tbody>" + rows + "</tbody>" + kTableClose;
    std::string options;
    for (const DeviceInfo& d : devices)
        if (!d.revoked)
            options += "<option value=\"" + html_escape(device_id_hex(d.pk)) + "\">" + html_escape(device_id_hex(d.pk)) +
                       (d.site.empty() ? "" : " – " + html_escape(d.site, 80)) + "</option>";
    if (!options.empty())
        h += "<section aria-labelledby=\"revoke-h\"><h2 id=\"revoke-h\">" + t(l, "revoke_title") + "</h2><p>" +
             t(l, "revoke_intro") + "</p><form method=\"post\" action=\"/dashboard/revoke\" class=\"stack\">" + hidden_csrf(csrf) +
             "<label for=\"device\">" + t(l, "device") + "</label><select id=\"device\" name=\"device\" required>" + options +
             "</select><label for=\"reason\">" + t(l, "reason") +
             "</label><input id=\"reason\" name=\"reason\" required maxlength=\"500\"><button type=\"submit\">" +
             t(l, "revoke") + "</button></form></section>";
    return h;
}

std::string render_counts(Lang l, const CountsView& v, const std::string& csrf) {
    std::set<std::string> channels;
    std::map<std::string, std::map<std::string, int64_t>> per_site; // site -> channel -> n
    std::map<std::string, int64_t> site_total;
    for (const CountRow& c : v.counts) {
        channels.insert(c.channel);
        per_site[c.site][c.channel] += c.n;
        site_total[c.site] += c.n;
    }
    std::map<std::string, int64_t> targets(v.targets.begin(), v.targets.end());
    for (const auto& tg : targets) per_site[tg.first]; // a site with a target and no records yet
    std::string h = "<section aria-labelledby=\"site-h\"><h2 id=\"site-h\">" + t(l, "per_site") + "</h2>";
    if (per_site.empty()) h += "<p>" + t(l, "no_records") + "</p>";
    else {
        h += table_open(t(l, "per_site")) + "<thead><tr><th scope=\"col\">" + t(l, "site") + "</th>";
        for (const std::string& ch : channels) h += "<th scope=\"col\">" + html_escape(ch, 80) + "</th>";
        h += "<th scope=\"col\">" + t(l, "total") + "</th><th scope=\"col\">" + t(l, "expected") + "</th><th scope=\"col\">" +
             t(l, "collected") + "</th></tr></thead><tbody>";
        for (const auto& s : per_site) {
            h += "<tr><th scope=\"row\">" + (s.first.empty() ? "–" : html_escape(s.first, 200)) + "</th>";
            for (const std::string& ch : channels) {
                auto it = s.second.find(ch);
                h += "<td>" + num(it == s.second.end() ? 0 : it->second) + "</td>";
            }
            auto st = site_total.find(s.first);
            int64_t total = st == site_total.end() ? 0 : st->second;
            h += "<td>" + num(total) + "</td>";
            auto tg = targets.find(s.first);
            if (tg == targets.end()) h += "<td>" + t(l, "no_target") + "</td><td>–</td>";
            else {
                int64_t pct = tg->second > 0 ? total * 100 / tg->second : 0;
                h += "<td>" + num(tg->second) + "</td><td><meter min=\"0\" max=\"" + num(tg->second) + "\" value=\"" +
                     num(std::min(total, tg->second)) + "\">" + num(pct) + " %</meter> " + num(pct) + " %" +
                     (total < tg->second ? "" : " \xE2\x9C\x93") + "</td>";
            }
            h += "</tr>";
        }
        h += "</tbody>" + std::string(kTableClose);
    }
    h += "</section>";

    // Per day, for one site or all: a chart and, for screen readers and exact figures, its table.
    std::map<int64_t, std::map<std::string, int64_t>> per_day;
    for (const CountRow& c : v.counts)
        if (v.site.empty() || c.site == v.site) per_day[c.day][c.channel] += c.n;
    while ((int)per_day.size() > std::max(1, v.days)) per_day.erase(per_day.begin());
    h += "<section aria-labelledby=\"day-h\"><h2 id=\"day-h\">" + t(l, "per_day") + "</h2>"
         "<form method=\"get\" action=\"/dashboard/counts\" class=\"inline\"><label for=\"site-f\">" + t(l, "site") +
         "</label><select id=\"site-f\" name=\"site\"><option value=\"\">" + t(l, "all_sites") + "</option>";
    for (const auto& s : site_total)
        h += "<option value=\"" + html_escape(s.first, 200) + "\"" + (s.first == v.site ? " selected" : "") + ">" +
             (s.first.empty() ? "–" : html_escape(s.first, 200)) + "</option>";
    h += "</select><button type=\"submit\">" + t(l, "show") + "</button></form>";
    if (per_day.empty()) h += "<p>" + t(l, "no_records") + "</p>";
    else {
        int64_t most = 1;
        for (const auto& d : per_day) {
            int64_t sum = 0;
            for (const auto& c : d.second) sum += c.second;
            most = std::max(most, sum);
        }
        std::string label = tn(l, "chart_label", (int64_t)per_day.size());
        int w = 24 * (int)per_day.size();
        h += "<figure><svg class=\"chart\" viewBox=\"0 0 " + num(w) + " 120\" role=\"img\" aria-label=\"" + label +
             "\" preserveAspectRatio=\"xMinYMid meet\">";
        int i = 0;
        for (const auto& d : per_day) {
            int64_t sum = 0;
            for (const auto& c : d.second) sum += c.second;
            int bar = (int)(sum * 100 / most);
            h += "<g><title>" + day_text(d.first) + ": " + num(sum) + "</title><rect x=\"" + num(i * 24 + 3) + "\" y=\"" +
                 num(105 - bar) + "\" width=\"18\" height=\"" + num(std::max(bar, 1)) +
                 "\" fill=\"#1f5fa8\"></rect><text x=\"" + num(i * 24 + 12) +
                 "\" y=\"117\" text-anchor=\"middle\" font-size=\"8\">" + day_text(d.first).substr(8, 2) + "</text></g>";
            i++;
        }
        h += "</svg><figcaption>" + label + "</figcaption></figure>";
        h += table_open(t(l, "per_day")) + "<thead><tr><th scope=\"col\">" + t(l, "day") + "</th>";
        for (const std::string& ch : channels) h += "<th scope=\"col\">" + html_escape(ch, 80) + "</th>";
        h += "<th scope=\"col\">" + t(l, "total") + "</th></tr></thead><tbody>";
        for (auto it = per_day.rbegin(); it != per_day.rend(); ++it) {
            int64_t sum = 0;
            h += "<tr><th scope=\"row\">" + day_text(it->first) + "</th>";
            for (const std::string& ch : channels) {
                auto c = it->second.find(ch);
                int64_t n = c == it->second.end() ? 0 : c->second;
                sum += n;
                h += "<td>" + num(n) + "</td>";
            }
            h += "<td>" + num(sum) + "</td></tr>";
        }
        h += "</tbody>" + std::string(kTableClose);
    }
    h += "</section><section aria-labelledby=\"sv-h\"><h2 id=\"sv-h\">" + t(l, "per_survey") + "</h2>";
    if (v.surveys.empty()) h += "<p>" + t(l, "no_records") + "</p>";
    else {
        h += table_open(t(l, "per_survey")) + th_cols({t(l, "survey"), t(l, "survey_hash"), t(l, "records"), t(l, "devices")}) +
             "<tbody>";
        for (const SurveyCount& s : v.surveys)
            h += "<tr><th scope=\"row\">" + html_escape(s.survey_id, 200) + "</th><td><code>" + html_escape(s.survey_hash, 80) +
                 "</code></td><td>" + num(s.n) + "</td><td>" + num(s.devices) + "</td></tr>";
        h += "</tbody>" + std::string(kTableClose);
    }
    h += "</section><section aria-labelledby=\"tg-h\"><h2 id=\"tg-h\">" + t(l, "target_title") + "</h2><p>" +
         t(l, "target_intro") + "</p><form method=\"post\" action=\"/dashboard/target\" class=\"stack\">" + hidden_csrf(csrf) +
         "<label for=\"site\">" + t(l, "site") + "</label><input id=\"site\" name=\"site\" required maxlength=\"200\" list=\"sites\">"
         "<datalist id=\"sites\">";
    for (const auto& s : per_site) h += "<option value=\"" + html_escape(s.first, 200) + "\"></option>";
    h += "</datalist><label for=\"expected\">" + t(l, "expected") +
         "</label><input id=\"expected\" name=\"expected\" type=\"number\" min=\"0\" max=\"100000000\" required>"
         "<button type=\"submit\">" + t(l, "save") + "</button></form></section>";
    return h;
}

std::string render_events(Lang l, const EventsView& v) {
    std::string h = "<form method=\"get\" action=\"/dashboard/events\" class=\"inline\" role=\"search\" aria-label=\"" +
                    t(l, "filter") + "\"><label for=\"kind\">" + t(l, "kind") + "</label><select id=\"kind\" name=\"kind\">";
    std::vector<std::pair<std::string, std::string>> kinds = {{"", t(l, "all_kinds")},
                                                              {"reject-", t(l, "kind_reject-")},
                                                              {"reject-gap", t(l, "kind_reject-gap")},
                                                              {"enrol", t(l, "kind_enrol")},
                                                              {"revoke", t(l, "kind_revoke")}};
    for (const auto& k : v.kinds)
        if (std::none_of(kinds.begin(), kinds.end(), [&](const auto& p) { return p.first == k.first; }))
            kinds.push_back({k.first, html_escape(k.first, 60) + " (" + num(k.second) + ")"});
    for (const auto& k : kinds)
        h += "<option value=\"" + html_escape(k.first, 60) + "\"" + (k.first == v.kind ? " selected" : "") + ">" + k.second +
             "</option>";
    h += "</select><label for=\"dev\">" + t(l, "device_id") + "</label><input id=\"dev\" name=\"device\" maxlength=\"16\" value=\"" +
         html_escape(v.device, 64) + "\"><button type=\"submit\">" + t(l, "show") + "</button></form>";
    if (v.events.empty()) h += "<p>" + t(l, "no_events") + "</p>";
    else {
        h += table_open(t(l, "events")) + th_cols({t(l, "time"), t(l, "kind"), t(l, "device"), t(l, "detail")}) + "<tbody>";
        for (const ServerStore::Event& e : v.events) {
            bool bad = e.kind.rfind("reject-", 0) == 0 || e.kind == "head-backwards" || e.kind == "damaged-on-device";
            h += "<tr><th scope=\"row\">" + when(e.time) + "</th><td>" + (bad ? flag(html_escape(e.kind, 60)) : html_escape(e.kind, 60)) +
                 "</td><td>" + (e.device.empty() ? "–" : "<code>" + html_escape(e.device, 64) + "</code>") + "</td><td>" +
                 html_escape(e.detail, 2000) + "</td></tr>";
        }
        h += "</tbody>" + std::string(kTableClose);
    }
    return h + pager(l, "/dashboard/events?kind=" + url_part(v.kind) + "&amp;device=" + url_part(v.device) + "&amp;", v.page, v.more);
}

std::string render_codes(Lang l, const CodesView& v, const std::string& csrf) {
    std::string h;
    if (!v.new_code.empty())
        h += "<section class=\"newcode\" aria-labelledby=\"nc-h\" role=\"status\"><h2 id=\"nc-h\">" + t(l, "new_code") +
             "</h2><p class=\"code\"><code>" + html_escape(v.new_code, 40) + "</code></p><p>" +
             subst(tn(l, "new_code_for", v.new_hours), "{S}", html_escape(v.new_site, 200)) + "</p></section>";
    h += "<section aria-labelledby=\"mk-h\"><h2 id=\"mk-h\">" + t(l, "code_title") + "</h2><p>" + t(l, "code_intro") +
         "</p><form method=\"post\" action=\"/dashboard/codes\" class=\"stack\">" + hidden_csrf(csrf) + "<label for=\"site\">" +
         t(l, "site") + "</label><input id=\"site\" name=\"site\" maxlength=\"200\"><label for=\"hours\">" + t(l, "valid_hours") +
         "</label><input id=\"hours\" name=\"hours\" type=\"number\" min=\"1\" max=\"720\" value=\"24\" required>"
         "<button type=\"submit\">" + t(l, "make_code") + "</button></form></section>";
    h += "<section aria-labelledby=\"cl-h\"><h2 id=\"cl-h\">" + t(l, "codes") + "</h2>";
    if (v.codes.empty()) h += "<p>" + t(l, "no_codes") + "</p>";
    else {
        h += table_open(t(l, "codes")) +
             th_cols({t(l, "code_id"), t(l, "site"), t(l, "state"), t(l, "created"), t(l, "expires"), t(l, "used_by")}) + "<tbody>";
        for (auto it = v.codes.rbegin(); it != v.codes.rend(); ++it) {
            std::string state = it->state(v.now);
            h += "<tr><th scope=\"row\"><code>" + html_escape(it->id, 16) + "</code></th><td>" + html_escape(it->site, 200) +
                 "</td><td>" + t(l, ("state_" + state).c_str()) + "</td><td>" + when(it->created) + "</td><td>" + when(it->expires) +
                 "</td><td>" + (it->used_by.empty() ? "–" : "<code>" + html_escape(it->used_by, 64) + "</code> " + when(it->used_at)) +
                 "</td></tr>";
        }
        h += "</tbody>" + std::string(kTableClose);
    }
    return h + "</section>";
}

std::string render_audit(Lang l, const AuditView& v) {
    std::string h;
    if (v.entries.empty()) h += "<p>" + t(l, "no_audit") + "</p>";
    else {
        h += table_open(t(l, "audit")) + th_cols({t(l, "time"), t(l, "who"), t(l, "from"), t(l, "action"), t(l, "detail")}) +
             "<tbody>";
        for (const AuditEntry& e : v.entries)
            h += "<tr><th scope=\"row\">" + when(e.time) + "</th><td>" + html_escape(e.account, 200) + "</td><td>" +
                 html_escape(e.address, 200) + "</td><td>" + html_escape(e.action, 100) + "</td><td>" +
                 html_escape(e.detail, 2000) + "</td></tr>";
        h += "</tbody>" + std::string(kTableClose);
    }
    return h + pager(l, "/dashboard/audit?", v.page, v.more);
}

std::string render_not_found(Lang l) { return "<p>" + t(l, "not_found") + " <a href=\"/dashboard/devices\">" + t(l, "devices") + "</a></p>"; }

const std::string& dashboard_css() {
    static const std::string css = R"(/* Teilhabe Kiosk dashboard: no fixed widths; rem-based sizes follow the zoom. */
*{box-sizing:border-box}
html{font-family:system-ui,"DejaVu Sans",sans-serif;font-size:100%;line-height:1.5;color:#111;background:#fff}
body{margin:0;padding:0 1rem 2rem}
.skip{position:absolute;left:-100vw}
.skip:focus{position:static;display:inline-block;padding:.5rem;background:#ffd}
header{display:flex;flex-wrap:wrap;gap:.5rem 2rem;align-items:center;border-bottom:2px solid #333;padding:.5rem 0}
.brand{font-weight:bold;margin:0}
nav ul,.pager ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
nav a[aria-current],.langs a[aria-current]{font-weight:bold;text-decoration-thickness:3px}
.tools{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center;margin-left:auto}
.tools p,.logout{margin:0}
a{color:#0b4a8b}
a:focus,button:focus,input:focus,select:focus,[tabindex]:focus{outline:3px solid #e07000;outline-offset:2px}
main{max-width:100%}
h1{font-size:1.6rem}
h2{font-size:1.25rem;margin-top:2rem}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;margin:.5rem 0}
caption{text-align:left;font-weight:bold;padding:.25rem 0}
th,td{border:1px solid #999;padding:.3rem .5rem;text-align:left;vertical-align:top}
thead th{background:#eee}
td{overflow-wrap:break-word;max-width:40rem}
.d{white-space:nowrap}
tr.stale,tr.gap{background:#fff4d6}
tr.revoked{background:#f1f1f1;color:#444}
.flag{display:inline-block;border:2px solid #a33;padding:0 .25rem;margin:.1rem 0;color:#7a0000}
.notice{border-left:6px solid #2a7a2a;padding:.5rem;background:#eef8ee}
.error{border-left:6px solid #a33;padding:.5rem;background:#fdeeee}
form.stack{display:grid;gap:.35rem;max-width:30rem}
form.inline{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
input,select,button{font:inherit;padding:.3rem .5rem;max-width:100%}
button{cursor:pointer;border:2px solid #0b4a8b;background:#0b4a8b;color:#fff;border-radius:.2rem}
.chart{width:100%;max-width:48rem;height:auto;border-bottom:1px solid #333}
.newcode{border:3px solid #0b4a8b;padding:0 1rem;margin:1rem 0}
.code{font-size:2rem;letter-spacing:.1em}
meter{width:6rem;max-width:100%}
@media (max-width:40rem){header{display:block}.tools{margin:0}}
)";
    return css;
}

} // namespace tk
