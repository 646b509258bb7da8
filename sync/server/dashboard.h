// dashboard.h - the coordinator's dashboard at /dashboard: routes, login, sessions, forms.
//
//   GET  /dashboard/login            the login form            POST /dashboard/login   name, password
//   POST /dashboard/logout
//   GET  /dashboard/devices          devices and their health; the revoke form
//   POST /dashboard/revoke           device, reason
//   GET  /dashboard/counts[?site=]   per site, channel, day and survey version; targets
//   POST /dashboard/target           site, expected
//   GET  /dashboard/events[?kind=&device=&page=]    the event log, filtered and paged
//   GET  /dashboard/codes            pairing codes; POST /dashboard/codes  site, hours (shown once)
//   GET  /dashboard/audit[?page=]    who did what
//   GET  /dashboard/style.css        every page: ?lang=de|en switches the language (kept in a cookie)
//
// Security, in the order a request meets it: a POST body is at most kDashboardMaxBody (the
// front refuses more while reading); every page but login and the style sheet needs a session
// (cookie tk_session: 256 random bits, HttpOnly, Secure, SameSite=Strict; the store keeps only
// its SHA-256 and an expiry); every POST carries the form token `csrf` (the session's; for the
// login form a token of its own, double-submitted in the cookie tk_login), compared in constant
// time, or it is refused 403 before anything is read from it; logins are locked out per account
// and per address with a growing delay (LoginPolicy); every action and every failed login is
// written to the audit log with the account and the address. Answers carry a strict
// Content-Security-Policy (no script, no inline style, forms only to this server), no-store,
// nosniff, no referrer and frame-ancestors 'none'.
//
// Dashboard::handle is a plain function of the request's parts (DashRequest), so that tests and
// the fuzzer reach everything without sockets; mount() wires it to a server.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "dashboard_html.h"
#include "server_store.h"

namespace httplib {
class Server;
}

namespace tk {

constexpr size_t kDashboardMaxBody = 16384;   // bytes of one form
constexpr size_t kDashboardMaxFields = 16;    // fields of one form or query

struct DashRequest {
    std::string method = "GET";
    std::string path;               // "/dashboard/devices"
    std::string query;              // after '?', still encoded
    std::string body;               // application/x-www-form-urlencoded
    std::string cookie;             // the Cookie header
    std::string accept_language;
    std::string peer;               // the client's address
};

struct DashReply {
    int status = 200;
    std::string body;
    std::string content_type = "text/html; charset=utf-8";
    std::vector<std::pair<std::string, std::string>> headers;
    std::string header(const std::string& name) const; // first of that name, "" = none
};

struct DashboardConfig {
    int stale_days = 7;
    LoginPolicy policy;
    size_t page_size = 50;          // rows of the events and audit pages
    std::function<int64_t()> clock; // unix seconds; empty = the system clock
};

// application/x-www-form-urlencoded (also a query string): '+' is a space, %XX a byte; the first
// value of a name wins. False when it has more than kDashboardMaxFields fields or a field name
// that is not [A-Za-z0-9_-]{1,32} (what our forms send); values are bytes, checked by the caller.
bool parse_form(const std::string& text, std::map<std::string, std::string>& out);
// The value of cookie `name` in a Cookie header ("" = none).
std::string cookie_value(const std::string& header, const std::string& name);
// ?lang= first, then the cookie tk_lang, then Accept-Language (the first of de/en by q), else de.
Lang pick_language(const std::string& query_lang, const std::string& cookie_lang, const std::string& accept_language);
// Equal strings, compared in time that does not depend on where they differ.
bool same_token(const std::string& a, const std::string& b);

class Dashboard {
public:
    Dashboard(ServerStore& store, DashboardConfig cfg);
    DashReply handle(const DashRequest& req);
    // GET and POST /dashboard... on `srv` (`this` must outlive it); the POST bodies need the
    // limit from ServerApi::body_limit (kDashboardMaxBody), which the front enforces.
    void mount(httplib::Server& srv);

private:
    int64_t now() const;
    DashReply page(const DashFrame& f, const std::string& main_html, int status = 200);
    DashReply redirect(const std::string& to);
    DashReply login_form(Lang l, const DashRequest& req, const std::string& name, const std::string& error, int status);
    DashReply post_login(Lang l, const DashRequest& req, const std::map<std::string, std::string>& form);
    ServerStore& store_;
    DashboardConfig cfg_;
};

} // namespace tk
