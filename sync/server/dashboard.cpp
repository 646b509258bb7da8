// dashboard.cpp - routes, login and forms of the dashboard (see dashboard.h).
//
//   parse_form, cookie_value, pick_language, same_token   reading what the browser sent
//   Dashboard::handle                                     session, CSRF, the route, the headers
//   Dashboard::post_login                                 the login form
//   Dashboard::mount                                      the routes on a server
#include "dashboard.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <httplib.h>
#include <sodium.h>

#include "hex.h"
#include "text.h"

namespace tk {

namespace {

int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string form_decode(const std::string& s) {
    std::string out;
    for (size_t i = 0; i < s.size(); i++) {
        if (s[i] == '+') out += ' ';
        else if (s[i] == '%' && i + 2 < s.size() && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            out += (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        } else out += s[i];
    }
    return out;
}

bool field_name_ok(const std::string& n) {
    if (n.empty() || n.size() > 32) return false;
    for (unsigned char c : n)
        if (!std::isalnum(c) && c != '_' && c != '-') return false;
    return true;
}

// A text a coordinator typed for the store (site, reason): valid UTF-8, no control characters.
bool text_ok(const std::string& s, size_t max) {
    if (s.size() > max || !valid_utf8(s)) return false;
    for (unsigned char c : s)
        if (c < 0x20 || c == 0x7f) return false;
    return true;
}

// A whole number 0..max, or -1.
long long whole(const std::string& v, long long max) {
    if (v.empty() || v.size() > 12 || v.find_first_not_of("0123456789") != std::string::npos) return -1;
    long long n = std::stoll(v);
    return n <= max ? n : -1;
}

std::string get(const std::map<std::string, std::string>& m, const char* k) {
    auto it = m.find(k);
    return it == m.end() ? std::string() : it->second;
}

std::string cookie(const std::string& name, const std::string& value, int64_t max_age) {
    return name + "=" + value + "; Path=/dashboard; Max-Age=" + std::to_string(max_age) + "; HttpOnly; Secure; SameSite=Strict";
}

bool is_token(const std::string& s) {
    return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

std::string new_token() {
    uint8_t b[32];
    randombytes_buf(b, sizeof b);
    return to_hex(b, sizeof b);
}

} // namespace

bool parse_form(const std::string& text, std::map<std::string, std::string>& out) {
    out.clear();
    size_t fields = 0, i = 0;
    while (i <= text.size()) {
        size_t amp = text.find('&', i);
        if (amp == std::string::npos) amp = text.size();
        std::string part = text.substr(i, amp - i);
        i = amp + 1;
        if (part.empty()) {
            if (amp >= text.size()) break;
            continue;
        }
        if (++fields > kDashboardMaxFields) return false;
        size_t eq = part.find('=');
        std::string name = form_decode(part.substr(0, eq)), value = eq == std::string::npos ? "" : form_decode(part.substr(eq + 1));
        if (!field_name_ok(name)) return false;
        out.emplace(name, value); // the first of a name stays
        if (amp >= text.size()) break;
    }
    return true;
}

std::string cookie_value(const std::string& header, const std::string& name) {
    size_t i = 0;
    while (i < header.size()) {
        size_t semi = header.find(';', i);
        if (semi == std::string::npos) semi = header.size();
        std::string part = header.substr(i, semi - i);
        i = semi + 1;
        size_t a = part.find_first_not_of(' ');
        if (a == std::string::npos) continue;
        part = part.substr(a);
        size_t eq = part.find('=');
        if (eq != std::string::npos && part.compare(0, eq, name) == 0 && eq == name.size()) {
            std::string v = part.substr(eq + 1);
            while (!v.empty() && v.back() == ' ') v.pop_back();
            return v;
        }
    }
    return "";
}

Lang pick_language(const std::string& query_lang, const std::string& cookie_lang, const std::string& accept_language) {
    if (query_lang == "en" || query_lang == "de") return query_lang == "en" ? Lang::en : Lang::de;
    if (cookie_lang == "en" || cookie_lang == "de") return cookie_lang == "en" ? Lang::en : Lang::de;
    double best_q = 0;
    Lang best = Lang::de;
    for (const std::string& item : split_tokens(accept_language.substr(0, 1000), ",")) {
        std::string tag = item.substr(0, item.find(';'));
        tag.erase(std::remove(tag.begin(), tag.end(), ' '), tag.end());
        std::string primary = tag.substr(0, tag.find('-'));
        for (char& c : primary) c = (char)std::tolower((unsigned char)c);
        if (primary != "de" && primary != "en") continue;
        double q = 1;
        size_t qp = item.find("q=");
        if (qp != std::string::npos) {
            std::string qs = item.substr(qp + 2, 5);
            char* end = nullptr;
            q = std::strtod(qs.c_str(), &end);
            if (end == qs.c_str() || !(q >= 0 && q <= 1)) q = 0;
        }
        if (q > best_q) {
            best_q = q;
            best = primary == "en" ? Lang::en : Lang::de;
        }
    }
    return best;
}

bool same_token(const std::string& a, const std::string& b) {
    if (a.size() != b.size() || a.empty()) return false;
    return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string DashReply::header(const std::string& name) const {
    for (const auto& h : headers)
        if (h.first == name) return h.second;
    return "";
}

Dashboard::Dashboard(ServerStore& store, DashboardConfig cfg) : store_(store), cfg_(std::move(cfg)) {}

int64_t Dashboard::now() const { return cfg_.clock ? cfg_.clock() : (int64_t)std::time(nullptr); }

DashReply Dashboard::page(const DashFrame& f, const std::string& main_html, int status) {
    DashReply r;
    r.status = status;
    r.body = render_page(f, main_html);
    return r;
}

DashReply Dashboard::redirect(const std::string& to) {
    DashReply r;
    r.status = 303;
    r.headers.push_back({"Location", to});
    r.body = "<!DOCTYPE html><title>303</title><a href=\"" + html_escape(to) + "\">" + html_escape(to) + "</a>";
    return r;
}

DashReply Dashboard::login_form(Lang l, const DashRequest& req, const std::string& name, const std::string& error, int status) {
    // The login form's own token, double-submitted: the cookie and the hidden field must match.
    std::string token = cookie_value(req.cookie, "tk_login");
    if (!is_token(token)) token = new_token();
    DashFrame f;
    f.lang = l;
    f.title_key = "login_title";
    f.error = error;
    DashReply r = page(f, render_login(l, token, name), status);
    r.headers.push_back({"Set-Cookie", cookie("tk_login", token, 3600)});
    return r;
}

DashReply Dashboard::post_login(Lang l, const DashRequest& req, const std::map<std::string, std::string>& form) {
    std::string token = cookie_value(req.cookie, "tk_login");
    std::string name = get(form, "name"), password = get(form, "password");
    if (!is_token(token) || !same_token(get(form, "csrf"), token)) {
        store_.audit(name, req.peer, "refused-form", "POST /dashboard/login without its form token");
        DashRequest fresh = req;
        fresh.cookie.clear(); // a new token
        return login_form(l, fresh, "", tr(l, "form_expired"), 403);
    }
    LoginResult res = store_.login(name, password, req.peer, now(), cfg_.policy);
    if (res.ok) {
        store_.audit(name, req.peer, "login", "");
        DashReply r = redirect("/dashboard/devices");
        r.headers.push_back({"Set-Cookie", cookie("tk_session", res.session, cfg_.policy.session_s)});
        r.headers.push_back({"Set-Cookie", cookie("tk_login", "", 0)});
        return r;
    }
    if (res.retry_after > 0 && res.reason == "locked") {
        store_.audit(name, req.peer, "login-locked", "refused without a check, " + std::to_string(res.retry_after) + " s left");
        std::string msg = tr(l, "login_locked");
        msg.replace(msg.find("{N}"), 3, std::to_string(res.retry_after));
        DashReply r = login_form(l, req, name, msg, 429);
        r.headers.push_back({"Retry-After", std::to_string(res.retry_after)});
        return r;
    }
    store_.audit(name, req.peer, "login-failed",
                 res.reason + (res.retry_after > 0 ? ", now locked for " + std::to_string(res.retry_after) + " s" : ""));
    return login_form(l, req, name, tr(l, "login_failed"), 401);
}

DashReply Dashboard::handle(const DashRequest& req) {
    std::map<std::string, std::string> q;
    bool query_ok = parse_form(req.query, q);
    std::string qlang = get(q, "lang");
    if (qlang != "de" && qlang != "en") qlang.clear();
    Lang l = pick_language(qlang, cookie_value(req.cookie, "tk_lang"), req.accept_language);
    DashFrame f;
    f.lang = l;

    DashReply r;
    SessionInfo s;
    bool in = false;
    const std::string& path = req.path;
    bool post = req.method == "POST";
    if (path == "/dashboard/style.css" && !post) {
        r.body = dashboard_css();
        r.content_type = "text/css; charset=utf-8";
    } else if (!query_ok) {
        f.title_key = "not_found";
        f.error = tr(l, "bad_form");
        r = page(f, "", 400);
    } else if (path == "/dashboard/login") {
        if (post) {
            std::map<std::string, std::string> form;
            if (!parse_form(req.body, form)) {
                r = login_form(l, req, "", tr(l, "bad_form"), 400);
            } else {
                r = post_login(l, req, form);
            }
        } else if (store_.session(cookie_value(req.cookie, "tk_session"), now(), s)) {
            r = redirect("/dashboard/devices");
        } else {
            r = login_form(l, req, "", "", 200);
        }
    } else if (!(in = store_.session(cookie_value(req.cookie, "tk_session"), now(), s))) {
        // No session: pages lead to the login; a form is refused (it cannot be from us).
        if (post) {
            f.title_key = "login_title";
            f.error = tr(l, "form_expired");
            r = page(f, "<p><a href=\"/dashboard/login\">" + std::string(tr(l, "login")) + "</a></p>", 403);
        } else {
            r = redirect("/dashboard/login");
        }
    } else {
        f.account = s.account;
        f.csrf = s.csrf;
        std::map<std::string, std::string> form;
        bool form_ok = !post || parse_form(req.body, form);
        if (post && (!form_ok || !same_token(get(form, "csrf"), s.csrf))) {
            store_.audit(s.account, req.peer, "refused-form", "POST " + path + (form_ok ? " without the session's form token" : ": unreadable form"));
            f.title_key = "login_title";
            f.nav = "";
            f.error = tr(l, form_ok ? "form_expired" : "bad_form");
            r = page(f, "", form_ok ? 403 : 400);
        } else if (post && path == "/dashboard/logout") {
            store_.end_session(cookie_value(req.cookie, "tk_session"));
            store_.audit(s.account, req.peer, "logout", "");
            r = redirect("/dashboard/login");
            r.headers.push_back({"Set-Cookie", cookie("tk_session", "", 0)});
        } else if (post && path == "/dashboard/revoke") {
            std::string device = get(form, "device"), reason = get(form, "reason"), err;
            f.title_key = f.nav = "devices";
            DeviceView v{cfg_.stale_days, now()};
            if (reason.empty() || !text_ok(reason, 500)) {
                f.error = tr(l, "bad_reason");
                r = page(f, render_devices(l, store_.devices(), v, s.csrf), 400);
            } else if (!store_.revoke(device.substr(0, 100), reason, &err)) {
                f.error = err;
                r = page(f, render_devices(l, store_.devices(), v, s.csrf), 400);
            } else {
                store_.audit(s.account, req.peer, "revoke", "device " + device + ": " + reason);
                r = redirect("/dashboard/devices?notice=done_revoked");
            }
        } else if (post && path == "/dashboard/target") {
            std::string site = get(form, "site"), err;
            long long n = whole(get(form, "expected"), 100000000);
            f.title_key = f.nav = "counts";
            CountsView v{store_.counts(), store_.targets(), store_.survey_counts(), "", 30};
            if (site.empty() || !text_ok(site, 200)) {
                f.error = tr(l, "bad_site");
                r = page(f, render_counts(l, v, s.csrf), 400);
            } else if (n < 0) {
                f.error = tr(l, "bad_number");
                r = page(f, render_counts(l, v, s.csrf), 400);
            } else if (!store_.set_target(site, n, &err)) {
                f.error = err;
                r = page(f, render_counts(l, v, s.csrf), 500);
            } else {
                store_.audit(s.account, req.peer, "target", "site '" + site + "': " + std::to_string(n) + (n ? " expected" : " (removed)"));
                r = redirect("/dashboard/counts?notice=done_target");
            }
        } else if (path == "/dashboard/codes" && (post || req.method == "GET")) {
            f.title_key = f.nav = "codes";
            CodesView v;
            v.now = now();
            if (post) {
                std::string site = get(form, "site"), err;
                long long hours = whole(get(form, "hours"), 720);
                if (!text_ok(site, 200)) f.error = tr(l, "bad_site");
                else if (hours < 1) f.error = tr(l, "bad_number");
                else if ((v.new_code = store_.new_pairing_code(site, (int)hours, &err)).empty()) f.error = err;
                else {
                    v.new_site = site;
                    v.new_hours = (int)hours;
                    store_.audit(s.account, req.peer, "pairing-code", "site '" + site + "', valid " + std::to_string(hours) + " hours");
                }
            }
            v.codes = store_.pairing_codes();
            r = page(f, render_codes(l, v, s.csrf), f.error.empty() ? 200 : 400);
        } else if (post) {
            f.title_key = "not_found";
            r = page(f, render_not_found(l), 404);
        } else if (path == "/dashboard" || path == "/dashboard/") {
            r = redirect("/dashboard/devices");
        } else if (path == "/dashboard/devices") {
            f.title_key = f.nav = "devices";
            if (get(q, "notice") == "done_revoked") f.notice = "done_revoked";
            r = page(f, render_devices(l, store_.devices(), DeviceView{cfg_.stale_days, now()}, s.csrf));
        } else if (path == "/dashboard/counts") {
            f.title_key = f.nav = "counts";
            if (get(q, "notice") == "done_target") f.notice = "done_target";
            CountsView v{store_.counts(), store_.targets(), store_.survey_counts(), get(q, "site").substr(0, 200), 30};
            r = page(f, render_counts(l, v, s.csrf));
        } else if (path == "/dashboard/events") {
            f.title_key = f.nav = "events";
            EventsView v;
            v.kind = get(q, "kind").substr(0, 60);
            v.device = get(q, "device").substr(0, 64);
            long long p = whole(get(q, "page"), 1000000);
            v.page = p > 0 ? (size_t)p : 0;
            v.events = store_.event_page(cfg_.page_size + 1, v.page * cfg_.page_size, v.kind, v.device);
            v.more = v.events.size() > cfg_.page_size;
            if (v.more) v.events.pop_back();
            v.kinds = store_.event_counts();
            r = page(f, render_events(l, v));
        } else if (path == "/dashboard/audit") {
            f.title_key = f.nav = "audit";
            AuditView v;
            long long p = whole(get(q, "page"), 1000000);
            v.page = p > 0 ? (size_t)p : 0;
            v.entries = store_.audit_page(cfg_.page_size + 1, v.page * cfg_.page_size);
            v.more = v.entries.size() > cfg_.page_size;
            if (v.more) v.entries.pop_back();
            r = page(f, render_audit(l, v));
        } else {
            f.title_key = "not_found";
            r = page(f, render_not_found(l), 404);
        }
    }
    if (!qlang.empty()) r.headers.push_back({"Set-Cookie", "tk_lang=" + qlang + "; Path=/dashboard; Max-Age=31536000; Secure; SameSite=Strict"});
    r.headers.push_back({"Content-Security-Policy",
                         "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; "
                         "base-uri 'none'"});
    r.headers.push_back({"Cache-Control", "no-store"});
    r.headers.push_back({"X-Content-Type-Options", "nosniff"});
    r.headers.push_back({"Referrer-Policy", "no-referrer"});
    r.headers.push_back({"X-Frame-Options", "DENY"});
    r.headers.push_back({"Content-Language", lang_code(l)});
    return r;
}

void Dashboard::mount(httplib::Server& srv) {
    auto run = [this](const httplib::Request& req, httplib::Response& res) {
        DashRequest d;
        d.method = req.method;
        d.path = req.path;
        size_t qm = req.target.find('?');
        if (qm != std::string::npos) d.query = req.target.substr(qm + 1);
        d.body = req.body;
        d.cookie = req.get_header_value("Cookie");
        d.accept_language = req.get_header_value("Accept-Language");
        d.peer = req.remote_addr;
        DashReply r = handle(d);
        res.status = r.status;
        for (const auto& h : r.headers) res.set_header(h.first.c_str(), h.second);
        res.set_content(r.body, r.content_type.c_str());
    };
    srv.Get(R"(/dashboard(/[A-Za-z0-9._/-]*)?)", run);
    srv.Post(R"(/dashboard(/[A-Za-z0-9._/-]*)?)", run);
}

} // namespace tk
