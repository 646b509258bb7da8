// fuzz_dashboard.cpp - the dashboard's readers and pages on arbitrary bytes (dashboard.h).
// First byte selects:
//   0  the form/query reader, the cookie reader and the language choice on the rest
//   1  a whole request to Dashboard::handle: method, path, query, body, cookie, Accept-Language
//      are the rest split at '\n'; bit 0x10 of the first byte sends the fuzz session's cookie
//      and bit 0x20 appends its form token to the body, so that the forms' own checks are reached
//   2  every page rendered with device-supplied texts from the rest (site, the status JSON's
//      fields, revocation reason, event kind/device/detail, account names, counts' channels)
// Whatever the bytes: no crash, every page valid UTF-8, and no element or attribute from the
// input ("<script", "<img", an unescaped quote closing an attribute) ever on a page.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <map>
#include <sodium.h>
#include <string>
#include <unistd.h>
#include <vector>

#include "dashboard.h"
#include "dashboard_html.h"
#include "device_status.h"
#include "server_store.h"
#include "text.h"

namespace {
struct Fixture {
    std::string dir;
    std::unique_ptr<tk::ServerStore> store;
    std::unique_ptr<tk::Dashboard> dash;
    std::string session, csrf;
    Fixture() {
        if (sodium_init() < 0) abort();
        char tmpl[] = "/tmp/tk-fuzz-dashboard-XXXXXX";
        if (!mkdtemp(tmpl)) abort();
        dir = tmpl;
        std::string err;
        store = tk::ServerStore::open(dir, true, &err);
        if (!store || !store->add_account("fuzz", "fuzz-password-1", &err)) abort();
        store->set_event_rate_limit(1000000);
        tk::DashboardConfig cfg;
        cfg.policy.account_free = cfg.policy.address_free = 1000000; // the fuzz session may always log in again
        dash = std::make_unique<tk::Dashboard>(*store, cfg);
        relogin();
    }
    void relogin() {
        tk::LoginResult r = store->login("fuzz", "fuzz-password-1", "fuzz", (int64_t)time(nullptr));
        if (!r.ok) abort();
        session = r.session;
        csrf = r.csrf;
    }
    ~Fixture() {
        dash.reset();
        store.reset();
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
};

std::vector<std::string> pieces(const std::string& s, size_t n) {
    std::vector<std::string> out;
    size_t i = 0;
    while (out.size() + 1 < n) {
        size_t nl = s.find('\n', i);
        if (nl == std::string::npos) break;
        out.push_back(s.substr(i, nl - i));
        i = nl + 1;
    }
    out.push_back(i <= s.size() ? s.substr(i) : "");
    while (out.size() < n) out.push_back("");
    return out;
}

void check_page(const std::string& html) {
    if (!tk::valid_utf8(html)) abort();
    if (html.find("<script") != std::string::npos || html.find("<img") != std::string::npos) abort();
    if (html.find('\0') != std::string::npos) abort();
    // Every attribute value we write is one of ours or escaped: a quote from the input never
    // ends one, so no attribute named like an event handler can follow.
    // A quote right after '=' opens a value, so " on..." there is the value's own (escaped)
    // text; any other quote closes one, and " on" after it would start a new attribute.
    for (const char* q : {"\" on", "' on"})
        for (size_t k = html.find(q); k != std::string::npos; k = html.find(q, k + 1))
            if (k == 0 || html[k - 1] != '=') abort();
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static Fixture fx;
    if (size < 1) return 0;
    std::string rest((const char*)data + 1, size - 1);
    uint8_t sel = data[0];
    switch (sel % 3) {
    case 0: {
        std::map<std::string, std::string> form;
        if (tk::parse_form(rest, form)) {
            if (form.size() > tk::kDashboardMaxFields) abort();
            for (const auto& kv : form)
                if (kv.first.empty() || kv.first.size() > 32) abort();
        }
        std::string v = tk::cookie_value(rest, "tk_session");
        if (v.size() > rest.size()) abort();
        tk::pick_language("", "", rest);
        std::string e = tk::html_escape(rest);
        check_page(e);
        if (e.find_first_of("<>\"'") != std::string::npos) abort();
        break;
    }
    case 1: {
        std::vector<std::string> p = pieces(rest, 6);
        tk::DashRequest r;
        r.method = p[0].size() % 2 ? "POST" : "GET";
        r.path = "/dashboard/" + p[1];
        r.query = p[2];
        r.body = p[3] + ((sel & 0x20) ? "&csrf=" + fx.csrf : "");
        r.cookie = p[4] + ((sel & 0x10) ? "; tk_session=" + fx.session : "");
        r.accept_language = p[5];
        r.peer = "fuzz";
        tk::DashReply out = fx.dash->handle(r);
        check_page(out.body);
        static const int ok[] = {200, 303, 400, 401, 403, 404, 429};
        if (std::find(std::begin(ok), std::end(ok), out.status) == std::end(ok)) abort();
        tk::SessionInfo si;
        if (!fx.store->session(fx.session, (int64_t)time(nullptr), si)) fx.relogin(); // the input logged out
        break;
    }
    default: {
        std::vector<std::string> p = pieces(rest, 10);
        tk::Lang l = sel & 0x10 ? tk::Lang::en : tk::Lang::de;
        tk::DeviceInfo d;
        d.site = p[0];
        tk::DeviceStatus ds;
        ds.program = p[1];
        ds.survey_id = p[2];
        ds.survey_version = p[3];
        ds.alarms = {p[4]};
        ds.unsynced = (int64_t)p[5].size();
        d.status = tk::device_status_json(ds);
        d.revoked = sel & 0x20;
        d.revoked_at = 1;
        d.revoked_reason = p[6];
        d.head_seq = p[7].size();
        d.last_result = p[8];
        tk::DeviceInfo raw = d;
        raw.status = p[9]; // a status that may not even parse
        check_page(tk::render_devices(l, {d, raw}, tk::DeviceView{7, 1800000000}, "0123"));
        tk::EventsView ev;
        ev.events = {{1, 1, p[0], p[1], p[2]}};
        ev.kinds = {{p[3], 2}};
        ev.kind = p[4];
        ev.device = p[5];
        ev.more = true;
        check_page(tk::render_events(l, ev));
        tk::CountsView cv;
        cv.counts = {{p[0], p[1], 20000, 3}, {p[2], p[3], 20001, 4}};
        cv.targets = {{p[0], 9}, {p[6], 0}};
        cv.surveys = {{p[4], p[5], 3, 1}};
        cv.site = p[7];
        check_page(tk::render_counts(l, cv, "0123"));
        tk::CodesView co;
        co.codes = {{p[0].substr(0, 8), p[1], 1, 2, 0, p[2]}};
        co.new_code = p[3];
        co.new_site = p[4];
        check_page(tk::render_codes(l, co, "0123"));
        tk::AuditView av;
        av.entries = {{1, 1, p[5], p[6], p[7], p[8]}};
        check_page(tk::render_audit(l, av));
        tk::DashFrame f;
        f.lang = l;
        f.title_key = "devices";
        f.account = p[9];
        f.error = p[0];
        check_page(tk::render_page(f, ""));
        check_page(tk::render_login(l, p[1], p[2]));
    }
    }
    return 0;
}
