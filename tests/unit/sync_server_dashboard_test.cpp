// Tests for the coordinator's dashboard: its accounts, sessions, lock-out and audit log in the
// store (server_accounts.cpp), and the pages and forms (dashboard.h) with hostile input.
#include <cstring>
#include <ctime>
#include <map>
#include <regex>
#include <set>

#include "dashboard.h"
#include "device_status.h"
#include "sync_server_fixture.h"
#include "text.h"

using namespace tk;
using namespace tk::servertest;

namespace {

const char* kPw = "richtig-langes-passwort";

} // namespace

TEST_CASE("accounts: add, list, remove; only an Argon2id hash is kept") {
    ServerFixture s;
    std::string err;
    CHECK_FALSE(s.store->add_account("", kPw, &err));
    CHECK_FALSE(s.store->add_account("a b", kPw, &err));
    CHECK(err.find("not an account name") != std::string::npos);
    CHECK_FALSE(s.store->add_account("x'; DROP TABLE accounts; --", kPw, &err));
    CHECK_FALSE(s.store->add_account("anna", "kurz", &err));
    CHECK(err.find("10 to 1024") != std::string::npos);
    REQUIRE_MESSAGE(s.store->add_account("anna", kPw, &err), err);
    CHECK_FALSE(s.store->add_account("anna", "anderes-passwort", &err));
    CHECK(err.find("exists already") != std::string::npos);
    REQUIRE(s.store->add_account("bert@rathaus", kPw, &err));
    auto list = s.store->accounts();
    REQUIRE(list.size() == 2);
    CHECK(list[0].name == "anna");
    CHECK(list[1].name == "bert@rathaus");
    CHECK(list[0].last_login == 0);

    // The file holds the hash, never the password.
    std::string db = s.stored_bytes();
    CHECK(db.find(kPw) == std::string::npos);
    CHECK(db.find("$argon2id$") != std::string::npos);

    int64_t now = (int64_t)std::time(nullptr);
    LoginResult r = s.store->login("bert@rathaus", kPw, "10.0.0.1", now);
    REQUIRE(r.ok);
    SessionInfo si;
    REQUIRE(s.store->session(r.session, now, si));
    REQUIRE(s.store->remove_account("bert@rathaus", &err));
    CHECK_FALSE(s.store->session(r.session, now, si)); // its sessions ended with it
    CHECK_FALSE(s.store->remove_account("bert@rathaus", &err));
    CHECK(err.find("no account") != std::string::npos);
    CHECK(s.store->accounts().size() == 1);
}

TEST_CASE("accounts: login ok and wrong; sessions by hashed id, with expiry") {
    ServerFixture s;
    std::string err;
    REQUIRE(s.store->add_account("anna", kPw, &err));
    int64_t now = 1800000000;
    LoginResult bad = s.store->login("anna", "falsches-passwort", "10.0.0.1", now);
    CHECK_FALSE(bad.ok);
    CHECK(bad.reason == "wrong password");
    CHECK(bad.session.empty());
    LoginResult nobody = s.store->login("niemand", kPw, "10.0.0.1", now);
    CHECK_FALSE(nobody.ok);
    CHECK(nobody.reason == "unknown account");

    LoginPolicy p;
    p.session_s = 3600;
    LoginResult ok = s.store->login("anna", kPw, "10.0.0.1", now, p);
    REQUIRE(ok.ok);
    CHECK(ok.session.size() == 64);
    CHECK(ok.csrf.size() == 64);
    CHECK(ok.session != ok.csrf);
    CHECK(ok.expires == now + 3600);
    // The cookie's id is not in the store, only its hash.
    std::string db = s.stored_bytes();
    CHECK(db.find(ok.session) == std::string::npos);

    SessionInfo si;
    REQUIRE(s.store->session(ok.session, now + 10, si));
    CHECK(si.account == "anna");
    CHECK(si.csrf == ok.csrf);
    CHECK(si.address == "10.0.0.1");
    CHECK_FALSE(s.store->session(ok.csrf, now + 10, si));
    CHECK_FALSE(s.store->session(ok.session.substr(0, 63), now + 10, si));
    // Expired: refused and gone (also for a later look at an earlier time).
    CHECK_FALSE(s.store->session(ok.session, now + 3600, si));
    CHECK_FALSE(s.store->session(ok.session, now + 10, si));

    // A second login is a new session; logging out ends only that one.
    LoginResult a = s.store->login("anna", kPw, "10.0.0.1", now, p), b = s.store->login("anna", kPw, "10.0.0.2", now, p);
    REQUIRE(a.ok);
    REQUIRE(b.ok);
    CHECK(a.session != b.session);
    s.store->end_session(a.session);
    CHECK_FALSE(s.store->session(a.session, now, si));
    CHECK(s.store->session(b.session, now, si));
    CHECK(s.store->accounts()[0].last_login == now);
}

TEST_CASE("accounts: lock-out per account and per address, with a growing delay") {
    ServerFixture s;
    std::string err;
    REQUIRE(s.store->add_account("anna", kPw, &err));
    REQUIRE(s.store->add_account("bert", kPw, &err));
    LoginPolicy p;
    p.account_free = 3;
    p.address_free = 6;
    p.first_s = 30;
    p.max_s = 200;
    int64_t now = 1800000000;
    // Two failures are free; the third locks the account for 30 s.
    CHECK(s.store->login("anna", "falsch-falsch-1", "10.0.0.1", now, p).retry_after == 0);
    CHECK(s.store->login("anna", "falsch-falsch-2", "10.0.0.2", now, p).retry_after == 0);
    LoginResult third = s.store->login("anna", "falsch-falsch-3", "10.0.0.3", now, p);
    CHECK(third.retry_after == 30);
    // Locked: even the right password is refused, from any address, without being checked.
    LoginResult locked = s.store->login("anna", kPw, "10.0.0.9", now + 29, p);
    CHECK_FALSE(locked.ok);
    CHECK(locked.reason == "locked");
    CHECK(locked.retry_after == 1);
    CHECK(s.store->accounts()[0].locked_until == now + 30);
    // After the wait one more failure doubles it: 60, then 120, then the cap.
    CHECK(s.store->login("anna", "falsch-falsch-4", "10.0.0.4", now + 30, p).retry_after == 60);
    CHECK(s.store->login("anna", "falsch-falsch-5", "10.0.0.5", now + 90, p).retry_after == 120);
    CHECK(s.store->login("anna", "falsch-falsch-6", "10.0.0.6", now + 210, p).retry_after == 200);
    // Another account is not touched.
    CHECK(s.store->login("bert", kPw, "10.0.0.7", now + 210, p).ok);
    // Once the wait is over the right password gets in, and the count starts again.
    CHECK(s.store->login("anna", kPw, "10.0.0.8", now + 410, p).ok);
    CHECK(s.store->login("anna", "falsch-falsch-7", "10.0.0.8", now + 411, p).retry_after == 0);

    // Per address: guessing many names (known or not) from one address locks that address.
    int64_t t = now + 1000;
    for (int i = 0; i < 5; i++)
        CHECK(s.store->login("name" + std::to_string(i), kPw, "192.0.2.1", t, p).retry_after == 0);
    CHECK(s.store->login("name5", kPw, "192.0.2.1", t, p).retry_after == 30);
    CHECK(s.store->login("bert", kPw, "192.0.2.1", t + 1, p).reason == "locked");
    CHECK(s.store->login("bert", kPw, "192.0.2.2", t + 1, p).ok);
    // A day later the failures are forgotten.
    CHECK(s.store->login("bert", kPw, "192.0.2.1", t + 86401, p).ok);
}

TEST_CASE("accounts: the audit log keeps who, when, what and from where, newest first") {
    ServerFixture s;
    s.store->audit("anna", "10.0.0.1", "revoke", "device 0123456789abcdef: gestohlen");
    s.store->audit("bert", "10.0.0.2", "target", "site 'Bücherei': 40");
    auto page = s.store->audit_page(10, 0);
    REQUIRE(page.size() == 2);
    CHECK(page[0].account == "bert");
    CHECK(page[0].action == "target");
    CHECK(page[0].address == "10.0.0.2");
    CHECK(page[0].time > 0);
    CHECK(page[1].detail == "device 0123456789abcdef: gestohlen");
    CHECK(s.store->audit_page(10, 1).size() == 1);
    CHECK(s.store->audit_page(1, 0)[0].account == "bert");
}

TEST_CASE("store: records per survey version") {
    ServerFixture s;
    Device d;
    s.enrol(d);
    std::string b = d.bundle(d.chain(4));
    IngestResult r = s.store->ingest((const uint8_t*)b.data(), b.size(), BundleLimits{}, "t");
    REQUIRE(r.status == 200);
    auto sc = s.store->survey_counts();
    REQUIRE(sc.size() == 1);
    CHECK(sc[0].survey_id == "drill");
    CHECK(sc[0].survey_hash == "sha256:abc");
    CHECK(sc[0].n == 4);
    CHECK(sc[0].devices == 1);
}

// --- The pages and forms (dashboard.h) ---

namespace {

// A browser of one person: keeps the cookies the dashboard sets, sends them back.
struct Browser {
    Dashboard& dash;
    std::map<std::string, std::string> jar;
    std::string peer = "10.1.1.1", accept_language;
    DashReply last;
    explicit Browser(Dashboard& d) : dash(d) {}

    std::string cookies() const {
        std::string c;
        for (const auto& kv : jar) c += (c.empty() ? "" : "; ") + kv.first + "=" + kv.second;
        return c;
    }
    DashReply go(const std::string& method, const std::string& path, const std::string& query = "",
                 const std::string& body = "") {
        DashRequest r;
        r.method = method;
        r.path = path;
        r.query = query;
        r.body = body;
        r.cookie = cookies();
        r.accept_language = accept_language;
        r.peer = peer;
        last = dash.handle(r);
        for (const auto& h : last.headers) {
            if (h.first != "Set-Cookie") continue;
            std::string nv = h.second.substr(0, h.second.find(';'));
            std::string name = nv.substr(0, nv.find('=')), value = nv.substr(nv.find('=') + 1);
            if (value.empty() || h.second.find("Max-Age=0") != std::string::npos) jar.erase(name);
            else jar[name] = value;
        }
        return last;
    }
    DashReply get(const std::string& path, const std::string& query = "") { return go("GET", path, query); }
    DashReply post(const std::string& path, const std::string& body) { return go("POST", path, "", body); }
    // The form token on the last page.
    std::string csrf() const {
        std::smatch m;
        static const std::regex re("name=\"csrf\" value=\"([0-9a-f]{64})\"");
        return std::regex_search(last.body, m, re) ? m[1].str() : std::string();
    }
    DashReply login(const std::string& name, const std::string& pw) {
        get("/dashboard/login");
        return post("/dashboard/login", "csrf=" + csrf() + "&name=" + name + "&password=" + pw);
    }
};

std::string enc(const std::string& s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c)) out += (char)c;
        else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

// What no page may ever hold: an element or attribute that came from outside.
void check_clean(const DashReply& r, const std::string& what) {
    INFO(what);
    CHECK(r.body.find("<script") == std::string::npos);
    CHECK(r.body.find("<img") == std::string::npos);
    CHECK(r.body.find("onerror=alert(1)>") == std::string::npos);
    CHECK(r.body.find("'><") == std::string::npos);
    CHECK(r.body.find('\0') == std::string::npos);
    CHECK(valid_utf8(r.body));
    CHECK(r.body.size() < 400000); // a 1 MB field is never echoed whole
}

struct DashFixture : ServerFixture {
    int64_t clock = 1800000000;
    DashboardConfig cfg;
    std::unique_ptr<Dashboard> dash;
    DashFixture() {
        cfg.clock = [this] { return clock; };
        cfg.page_size = 3;
        std::string err;
        REQUIRE(store->add_account("anna", kPw, &err));
        dash = std::make_unique<Dashboard>(*store, cfg);
    }
};

} // namespace

TEST_CASE("dashboard: login ok, wrong and locked out; cookies HttpOnly, Secure, SameSite=Strict") {
    DashFixture s;
    Browser b(*s.dash);
    DashReply r = b.get("/dashboard/devices");
    CHECK(r.status == 303);
    CHECK(r.header("Location") == "/dashboard/login");
    r = b.get("/dashboard/login");
    CHECK(r.status == 200);
    CHECK(r.header("Content-Security-Policy").find("default-src 'none'") != std::string::npos);
    CHECK(r.header("Cache-Control") == "no-store");
    REQUIRE(b.jar.count("tk_login"));
    CHECK(b.csrf() == b.jar["tk_login"]);
    CHECK(r.body.find("<label for=\"password\">") != std::string::npos);

    // Without the login form's token, or with another one: 403, and nobody is logged in.
    CHECK(b.post("/dashboard/login", "name=anna&password=" + std::string(kPw)).status == 403);
    b.get("/dashboard/login");
    CHECK(b.post("/dashboard/login", "csrf=" + std::string(64, 'a') + "&name=anna&password=" + kPw).status == 403);
    CHECK_FALSE(b.jar.count("tk_session"));

    r = b.login("anna", "falsches-passwort");
    CHECK(r.status == 401);
    CHECK(r.body.find("Anmeldung fehlgeschlagen") != std::string::npos);
    CHECK_FALSE(b.jar.count("tk_session"));

    r = b.login("anna", kPw);
    REQUIRE(r.status == 303);
    CHECK(r.header("Location") == "/dashboard/devices");
    std::string set;
    for (const auto& h : r.headers)
        if (h.first == "Set-Cookie" && h.second.rfind("tk_session=", 0) == 0) set = h.second;
    CHECK(set.find("HttpOnly") != std::string::npos);
    CHECK(set.find("Secure") != std::string::npos);
    CHECK(set.find("SameSite=Strict") != std::string::npos);
    CHECK(set.find("Max-Age=28800") != std::string::npos);
    REQUIRE(b.jar.count("tk_session"));
    CHECK(b.jar["tk_session"].size() == 64);
    r = b.get("/dashboard/devices");
    CHECK(r.status == 200);
    CHECK(r.body.find("Angemeldet als <strong>anna</strong>") != std::string::npos);
    CHECK(b.get("/dashboard/login").status == 303); // logged in already

    // Five wrong passwords lock the account: then even the right one is refused (429).
    Browser m(*s.dash);
    m.peer = "10.9.9.9";
    for (int i = 0; i < 4; i++) CHECK(m.login("anna", "falsch-" + std::to_string(i) + "-xxxxx").status == 401);
    CHECK(m.login("anna", "falsch-4-xxxxx").status == 401);
    r = m.login("anna", kPw);
    CHECK(r.status == 429);
    CHECK(r.header("Retry-After") == "30");
    CHECK(r.body.find("Zu viele Fehlversuche") != std::string::npos);
    CHECK_FALSE(m.jar.count("tk_session"));
    s.clock += 31;
    CHECK(m.login("anna", kPw).status == 303);

    // Each is in the audit log with its address.
    int failed = 0, locked = 0, ok = 0;
    for (const AuditEntry& e : s.store->audit_page(100, 0)) {
        failed += e.action == "login-failed";
        locked += e.action == "login-locked";
        ok += e.action == "login" && e.account == "anna";
        if (e.action == "login-locked") CHECK(e.address == "10.9.9.9");
    }
    CHECK(failed == 6);
    CHECK(locked == 1);
    CHECK(ok == 2);

    // Logging out ends the session in the store.
    r = b.get("/dashboard/devices");
    std::string sid = b.jar["tk_session"];
    r = b.post("/dashboard/logout", "csrf=" + b.csrf());
    CHECK(r.status == 303);
    CHECK_FALSE(b.jar.count("tk_session"));
    SessionInfo si;
    CHECK_FALSE(s.store->session(sid, s.clock, si));
}

TEST_CASE("dashboard: a session expires; a removed account's session ends") {
    DashFixture s;
    Browser b(*s.dash);
    REQUIRE(b.login("anna", kPw).status == 303);
    CHECK(b.get("/dashboard/counts").status == 200);
    s.clock += s.cfg.policy.session_s - 1;
    CHECK(b.get("/dashboard/counts").status == 200);
    s.clock += 1;
    DashReply r = b.get("/dashboard/counts");
    CHECK(r.status == 303);
    CHECK(r.header("Location") == "/dashboard/login");
    REQUIRE(b.login("anna", kPw).status == 303);
    CHECK(b.get("/dashboard/events").status == 200);
    std::string err;
    REQUIRE(s.store->remove_account("anna", &err));
    CHECK(b.get("/dashboard/events").status == 303);
}

TEST_CASE("dashboard: every form without the session's token is refused 403, and changes nothing") {
    DashFixture s;
    Device d;
    s.enrol(d);
    Browser b(*s.dash);
    REQUIRE(b.login("anna", kPw).status == 303);
    b.get("/dashboard/devices");
    std::string good = b.csrf();
    REQUIRE(good.size() == 64);
    std::string id = device_id_hex(d.pka);
    size_t codes = s.store->pairing_codes().size();
    struct Form { const char* path; std::string fields; };
    std::vector<Form> forms = {{"/dashboard/revoke", "device=" + id + "&reason=gestohlen"},
                               {"/dashboard/target", "site=Bibliothek&expected=40"},
                               {"/dashboard/codes", "site=Rathaus&hours=24"},
                               {"/dashboard/logout", ""}};
    std::string wrong = good;
    wrong[10] = wrong[10] == 'a' ? 'b' : 'a';
    for (const Form& f : forms) {
        for (const std::string& token : {std::string(), std::string("&csrf="), "&csrf=" + wrong, "&csrf=" + good.substr(0, 63),
                                         "&csrf=" + good + "0"}) {
            INFO(f.path << " " << token);
            DashReply r = b.post(f.path, f.fields + token);
            CHECK(r.status == 403);
            check_clean(r, f.path);
        }
        // Without a session at all, even with the right token.
        Browser stranger(*s.dash);
        CHECK(stranger.post(f.path, f.fields + "&csrf=" + good).status == 403);
    }
    CHECK_FALSE(s.store->devices()[0].revoked);
    CHECK(s.store->targets().empty());
    CHECK(s.store->pairing_codes().size() == codes);
    CHECK(b.get("/dashboard/devices").status == 200); // the logout was refused too
    int refused = 0;
    for (const AuditEntry& e : s.store->audit_page(100, 0)) refused += e.action == "refused-form";
    CHECK(refused == 4 * 5); // the stranger's have no session to name

    // With the token, each works and is audited.
    CHECK(b.post("/dashboard/codes", "site=Rathaus&hours=24&csrf=" + good).status == 200);
    CHECK(std::regex_search(b.last.body, std::regex("<code>[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}</code>")));
    CHECK(s.store->pairing_codes().size() == codes + 1);
    DashReply r = b.post("/dashboard/target", "site=Bibliothek&expected=40&csrf=" + good);
    CHECK(r.status == 303);
    CHECK(r.header("Location") == "/dashboard/counts?notice=done_target");
    CHECK(s.store->targets().size() == 1);
    r = b.post("/dashboard/revoke", "device=" + id + "&reason=gestohlen&csrf=" + good);
    CHECK(r.status == 303);
    CHECK(s.store->devices()[0].revoked);
    CHECK(s.store->devices()[0].revoked_reason == "gestohlen");
    r = b.get("/dashboard/devices", "notice=done_revoked");
    CHECK(r.body.find("Das Gerät ist gesperrt.") != std::string::npos);
    CHECK(r.body.find("gesperrt</strong>") != std::string::npos);
    auto audit = s.store->audit_page(3, 0);
    REQUIRE(audit.size() == 3);
    CHECK(audit[0].action == "revoke");
    CHECK(audit[0].account == "anna");
    CHECK(audit[0].address == "10.1.1.1");
    CHECK(audit[0].detail == "device " + id + ": gestohlen");
    CHECK(audit[1].action == "target");
    CHECK(audit[2].action == "pairing-code");
    r = b.get("/dashboard/audit");
    CHECK(r.body.find("<td>revoke</td>") != std::string::npos);
}

TEST_CASE("dashboard: hostile values in every field and query parameter are shown escaped; the store stays intact") {
    DashFixture s;
    // Device-supplied text: a site from the pairing code, a status with markup, event details.
    Device d;
    std::string code = s.store->new_pairing_code("<script>alert('site')</script>", 1, nullptr);
    int status = 0;
    std::string err;
    REQUIRE(s.store->enrol(code, d.pka, &status, &err));
    DeviceStatus ds;
    ds.program = "\"><img src=x onerror=alert(1)>";
    ds.survey_id = "<script>alert(2)</script>";
    ds.survey_version = "'; DROP TABLE records; --";
    ds.alarms = {"<img src=x onerror=alert(3)>", "bad \xff\xfe utf-8"};
    ds.unsynced = 3;
    BundleExtras ex;
    ex.status = device_status_json(ds);
    auto recs = d.chain(3);
    auto bytes = make_bundle(recs, d.sk, 1764000000, &ex);
    REQUIRE(s.store->ingest(bytes.data(), bytes.size(), BundleLimits{}, "t").status == 200);
    s.store->log_event("reject-<script>", "<img src=x>", "<script>alert(4)</script>\xff\xc0\x80");
    s.store->log_event("enrol", "\"><img onerror=x>", std::string("nul \0 byte <script>", 19));

    Browser b(*s.dash);
    REQUIRE(b.login("anna", kPw).status == 303);
    for (const char* p : {"/dashboard/devices", "/dashboard/counts", "/dashboard/events", "/dashboard/codes", "/dashboard/audit"}) {
        DashReply r = b.get(p);
        CHECK(r.status == 200);
        check_clean(r, p);
    }
    CHECK(b.get("/dashboard/devices").body.find("&lt;script&gt;alert(&#39;site&#39;)&lt;/script&gt;") != std::string::npos);
    CHECK(b.last.body.find("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;") != std::string::npos);
    CHECK(b.last.body.find("bad \xEF\xBF\xBD") != std::string::npos);
    std::string csrf = b.csrf();

    const std::vector<std::string> hostile = {
        "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "'><img src=x onerror=alert(1)>",
        "'; DROP TABLE devices; --", "x' OR '1'='1", std::string(1 << 20, 'A') + "<script>", std::string("a\0<img>", 7),
        "\xff\xfe<script>", "\xc0\xbc" "script\xc0\xbe", "%3Cscript%3E", "javascript:alert(1)", "\xe2\x80\xae<img>"};
    struct Field { const char* path; const char* name; std::string rest; };
    std::string id = device_id_hex(d.pka);
    const std::vector<Field> fields = {
        {"/dashboard/revoke", "device", "reason=x"},       {"/dashboard/revoke", "reason", "device=0000000000000000"},
        {"/dashboard/target", "site", "expected=5"},       {"/dashboard/target", "expected", "site=Bibliothek"},
        {"/dashboard/codes", "site", "hours=2"},           {"/dashboard/codes", "hours", "site=Rathaus"},
        {"/dashboard/logout", "x", ""}};
    for (const Field& f : fields)
        for (const std::string& v : hostile) {
            DashReply r = b.post(f.path, std::string(f.name) + "=" + enc(v) + "&" + f.rest + "&csrf=" + csrf);
            check_clean(r, std::string(f.path) + " " + f.name);
            CHECK(r.status != 500);
            if (std::string(f.path) == "/dashboard/logout") {
                REQUIRE(b.login("anna", kPw).status == 303);
                b.get("/dashboard/devices");
                csrf = b.csrf();
            }
        }
    // Query parameters of every page, and the login form's fields. The front takes no request
    // head over 16 KB, so the overlong query value is as long as can arrive.
    std::vector<std::string> in_query = hostile;
    in_query[5] = std::string(16000, 'A') + "<script>";
    for (const char* p : {"/dashboard/devices", "/dashboard/counts", "/dashboard/events", "/dashboard/codes", "/dashboard/audit"})
        for (const char* q : {"site", "kind", "device", "page", "lang", "notice"})
            for (const std::string& v : in_query) {
                DashReply r = b.get(p, std::string(q) + "=" + enc(v));
                check_clean(r, std::string(p) + "?" + q);
                CHECK(r.status == 200);
            }
    for (const std::string& v : hostile) {
        Browser x(*s.dash);
        x.peer = "10.7.7." + std::to_string(&v - hostile.data());
        x.get("/dashboard/login");
        check_clean(x.post("/dashboard/login", "csrf=" + x.csrf() + "&name=" + enc(v) + "&password=x"), "login name");
        x.get("/dashboard/login");
        check_clean(x.post("/dashboard/login", "csrf=" + x.csrf() + "&name=anna&password=" + enc(v)), "login password");
        check_clean(x.go("GET", "/dashboard/login", "", ""), "login page");
    }
    // Raw junk as the body, the query, the cookie and the language header.
    for (const std::string& v : hostile) {
        DashRequest r;
        r.method = "POST";
        r.path = "/dashboard/target";
        r.body = v;
        r.cookie = v;
        r.accept_language = v;
        r.query = v;
        check_clean(s.dash->handle(r), "raw");
        r.method = "GET";
        r.path = "/dashboard/" + v.substr(0, 100);
        check_clean(s.dash->handle(r), "raw path");
    }
    // The hostile audit entries (account names typed at the login) are shown escaped too.
    check_clean(b.get("/dashboard/audit"), "audit");

    // The store is intact: every table still there and the data as before.
    CHECK(s.store->devices().size() == 1);
    CHECK_FALSE(s.store->devices()[0].revoked);
    CHECK(s.store->record_count() == 3);
    CHECK(s.store->accounts().size() == 1);
    // The SQL metacharacters were stored as text where a text was allowed.
    bool sql_site = false;
    for (const auto& t : s.store->targets()) sql_site |= t.first == "'; DROP TABLE devices; --";
    CHECK(sql_site);
    CHECK(b.get("/dashboard/counts").body.find("&#39;; DROP TABLE devices; --") != std::string::npos);
}

TEST_CASE("dashboard: devices flagged stale, with a chain gap, revoked; not by colour alone") {
    DashFixture s;
    Device fresh, old, gap, gone;
    for (Device* d : {&fresh, &old, &gap, &gone}) s.enrol(*d);
    s.clock = (int64_t)std::time(nullptr) + 10 * 86400; // ten days after they enrolled
    for (Device* d : {&fresh, &gap, &gone}) {
        std::string b = d->bundle(d->chain(2));
        REQUIRE(s.store->ingest((const uint8_t*)b.data(), b.size(), BundleLimits{}, "t").status == 200);
    }
    s.sql("UPDATE devices SET last_seen = " + std::to_string(s.clock - 3600));
    s.sql("UPDATE devices SET last_seen = 0 WHERE last_seq = 0");
    s.sql("UPDATE devices SET head_seq = 9 WHERE pk = " + s.blob_sql(gap.pka.data(), 32));
    std::string err;
    REQUIRE(s.store->revoke(device_id_hex(gone.pka), "verloren", &err));
    Browser b(*s.dash);
    REQUIRE(b.login("anna", kPw).status == 303);
    DashReply r = b.get("/dashboard/devices");
    CHECK(r.body.find("4 Geräte · 1 seit 7 Tagen oder länger nicht gesehen · 1 mit Lücke in der Kette · 1 gesperrt") !=
          std::string::npos);
    CHECK(r.body.find("\xE2\x9A\xA0 nicht gesehen seit 10 Tagen") != std::string::npos);
    CHECK(r.body.find("\xE2\x9A\xA0 Kettenlücke: 7 fehlen") != std::string::npos);
    CHECK(r.body.find("gesperrt</strong> seit") != std::string::npos);
    CHECK(r.body.find("verloren") != std::string::npos);
    CHECK(r.body.find("<th scope=\"col\">") != std::string::npos);
    CHECK(r.body.find("<th scope=\"row\"><code>" + device_id_hex(old.pka)) != std::string::npos);
    // The revoke form offers only the devices not revoked yet.
    CHECK(r.body.find("<option value=\"" + device_id_hex(gone.pka)) == std::string::npos);
    CHECK(r.body.find("<option value=\"" + device_id_hex(fresh.pka)) != std::string::npos);
    b.accept_language = "en-GB,en;q=0.9,de;q=0.5";
    r = b.get("/dashboard/devices");
    CHECK(r.body.find("<html lang=\"en\">") != std::string::npos);
    CHECK(r.body.find("not seen for 10 days") != std::string::npos);
    CHECK(r.body.find("chain gap: 7 missing") != std::string::npos);
}

TEST_CASE("dashboard: counts per site, channel, day and survey version; targets against collected") {
    DashFixture s;
    Device a, c;
    s.enrol(a);
    s.enrol(c);
    std::string b1 = a.bundle(a.chain(5)), b2 = c.bundle(c.chain(2));
    REQUIRE(s.store->ingest((const uint8_t*)b1.data(), b1.size(), BundleLimits{}, "t").status == 200);
    REQUIRE(s.store->ingest((const uint8_t*)b2.data(), b2.size(), BundleLimits{}, "t").status == 200);
    std::string err;
    REQUIRE(s.store->set_target("Bibliothek", 10, &err));
    REQUIRE(s.store->set_target("Rathaus", 4, &err));
    Browser b(*s.dash);
    REQUIRE(b.login("anna", kPw).status == 303);
    DashReply r = b.get("/dashboard/counts");
    CHECK(r.status == 200);
    // Bibliothek: 7 by kiosk of 10 expected; Rathaus: none yet of 4.
    CHECK(r.body.find("<tr><th scope=\"row\">Bibliothek</th><td>7</td><td>7</td><td>10</td><td><meter min=\"0\" max=\"10\" "
                      "value=\"7\">70 %</meter> 70 %</td></tr>") != std::string::npos);
    CHECK(r.body.find("<tr><th scope=\"row\">Rathaus</th><td>0</td><td>0</td><td>4</td>") != std::string::npos);
    CHECK(r.body.find("<svg class=\"chart\"") != std::string::npos);
    CHECK(r.body.find("<title>2025-11-24: 7</title>") != std::string::npos);
    CHECK(r.body.find("<tr><th scope=\"row\">2025-11-24</th><td>7</td><td>7</td></tr>") != std::string::npos);
    CHECK(r.body.find("<tr><th scope=\"row\">drill</th><td><code>sha256:abc</code></td><td>7</td><td>2</td></tr>") !=
          std::string::npos);
    // A site filter that matches nothing shows no days.
    r = b.get("/dashboard/counts", "site=Rathaus");
    CHECK(r.body.find("<svg") == std::string::npos);
    CHECK(r.body.find(">Rathaus</option>") == std::string::npos); // only sites with records are offered
}

TEST_CASE("dashboard: events filtered by kind and device, paged") {
    DashFixture s;
    for (int i = 0; i < 5; i++) s.store->log_event("reject-gap", "00000000000000a" + std::to_string(i), "gap " + std::to_string(i));
    s.store->log_event("enrol", "00000000000000b0", "enrolled");
    s.store->log_event("revoke", "00000000000000a1", "revoked: gestohlen");
    Browser b(*s.dash);
    REQUIRE(b.login("anna", kPw).status == 303);
    DashReply r = b.get("/dashboard/events");
    CHECK(r.body.find("revoked: gestohlen") != std::string::npos);
    CHECK(r.body.find("gap 4") != std::string::npos);
    CHECK(r.body.find("gap 3") == std::string::npos); // page size 3
    CHECK(r.body.find("href=\"/dashboard/events?kind=&amp;device=&amp;page=1\"") != std::string::npos);
    r = b.get("/dashboard/events", "kind=reject-&page=1");
    CHECK(r.body.find("gap 1") != std::string::npos);
    CHECK(r.body.find("gap 0") != std::string::npos);
    CHECK(r.body.find("gap 2") == std::string::npos);
    CHECK(r.body.find("enrolled") == std::string::npos);
    CHECK(r.body.find("page=0\">Neuere") != std::string::npos);
    CHECK(r.body.find(">Ältere<") == std::string::npos);
    r = b.get("/dashboard/events", "device=00000000000000a1");
    CHECK(r.body.find("gap 1") != std::string::npos);
    CHECK(r.body.find("revoked: gestohlen") != std::string::npos);
    CHECK(r.body.find("gap 2") == std::string::npos);
    r = b.get("/dashboard/events", "kind=enrol");
    CHECK(r.body.find("enrolled") != std::string::npos);
    CHECK(r.body.find("gap 1") == std::string::npos);
    CHECK(r.body.find("<option value=\"enrol\" selected>") != std::string::npos);
}

TEST_CASE("dashboard: German and English from one table; the language switch") {
    std::set<std::string> keys;
    for (const DashText& t : dash_texts()) {
        INFO(t.key);
        CHECK(keys.insert(t.key).second);
        CHECK(std::strlen(t.de) > 0);
        CHECK(std::strlen(t.en) > 0);
        CHECK(valid_utf8(t.de));
        CHECK(valid_utf8(t.en));
    }
    // Every key the pages ask for is in the table (tr returns the key itself otherwise).
    std::string src = test::slurp(std::string(TK_SOURCE_DIR) + "/sync/server/dashboard_html.cpp") +
                      test::slurp(std::string(TK_SOURCE_DIR) + "/sync/server/dashboard.cpp");
    std::regex use(R"(\b(?:t|tn|tr)\(l, \"([a-z_-]+)\")");
    size_t used = 0;
    for (auto it = std::sregex_iterator(src.begin(), src.end(), use); it != std::sregex_iterator(); ++it, ++used)
        CHECK_MESSAGE(keys.count((*it)[1].str()), (*it)[1].str());
    CHECK(used > 50);

    CHECK(pick_language("", "", "") == Lang::de);
    CHECK(pick_language("", "", "en-US,en;q=0.9") == Lang::en);
    CHECK(pick_language("", "", "fr, en;q=0.4, de;q=0.6") == Lang::de);
    CHECK(pick_language("", "", "tr, en;q=0.1") == Lang::en);
    CHECK(pick_language("", "en", "de") == Lang::en);
    CHECK(pick_language("de", "en", "en") == Lang::de);
    CHECK(pick_language("", "", "en;q=abc, de;q=0.2") == Lang::de);

    DashFixture s;
    Browser b(*s.dash);
    b.accept_language = "en";
    CHECK(b.get("/dashboard/login").body.find("<h1>Sign in</h1>") != std::string::npos);
    CHECK(b.get("/dashboard/login", "lang=de").body.find("<h1>Anmeldung</h1>") != std::string::npos);
    CHECK(b.jar["tk_lang"] == "de"); // kept: the next page is German too
    CHECK(b.get("/dashboard/login").body.find("<html lang=\"de\">") != std::string::npos);
    CHECK(b.last.body.find("href=\"?lang=en\" lang=\"en\" hreflang=\"en\">English</a>") != std::string::npos);
}

TEST_CASE("dashboard: form, cookie and escaping helpers") {
    std::map<std::string, std::string> f;
    REQUIRE(parse_form("a=1&b=x+y%21&a=2&c&&d=%zz%4", f));
    CHECK(f["a"] == "1");
    CHECK(f["b"] == "x y!");
    CHECK(f["c"] == "");
    CHECK(f["d"] == "%zz%4");
    REQUIRE(parse_form("", f));
    CHECK(f.empty());
    CHECK(parse_form("n=%00%ff", f));
    CHECK(f["n"] == std::string("\0\xff", 2));
    CHECK_FALSE(parse_form("a%5Bb%5D=1", f)); // a[b]
    CHECK_FALSE(parse_form("<script>=1", f));
    std::string many;
    for (size_t i = 0; i <= kDashboardMaxFields; i++) many += "f" + std::to_string(i) + "=1&";
    CHECK_FALSE(parse_form(many, f));
    CHECK(cookie_value("a=1; tk_session=abc; tk_sessionx=2", "tk_session") == "abc");
    CHECK(cookie_value("tk_sessionx=2", "tk_session") == "");
    CHECK(cookie_value(";;  =; tk_lang=en ", "tk_lang") == "en");
    CHECK(same_token("abc", "abc"));
    CHECK_FALSE(same_token("abc", "abd"));
    CHECK_FALSE(same_token("abc", "abcd"));
    CHECK_FALSE(same_token("", ""));
    CHECK(html_escape("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    CHECK(html_escape(std::string("a\0b\x1b[31m\xff", 9)) == "a\xEF\xBF\xBD" "b\xEF\xBF\xBD[31m\xEF\xBF\xBD");
    CHECK(html_escape("Straße") == "Straße");
    CHECK(html_escape(std::string(10, 'x'), 4) == "xxxx\xE2\x80\xA6");
    CHECK(html_escape("\xc0\xbc") == "\xEF\xBF\xBD\xEF\xBF\xBD"); // overlong '<'
}

TEST_CASE("dashboard: served by the front; a form body over the limit is refused while read") {
    ServerFixture s;
    std::string err;
    REQUIRE(s.store->add_account("anna", kPw, &err));
    HttpFront srv(s.api->front_config());
    s.api->mount(srv);
    Dashboard dash(*s.store, DashboardConfig{});
    dash.mount(srv);
    int port = srv.bind_to_any_port("127.0.0.1");
    REQUIRE(port > 0);
    std::thread th([&] { srv.listen_after_bind(); });
    for (int i = 0; i < 200 && !srv.is_running(); i++) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    httplib::Client c("127.0.0.1", port);
    auto r = c.Get("/dashboard/login");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->get_header_value("Content-Type") == "text/html; charset=utf-8");
    CHECK(r->get_header_value("X-Frame-Options") == "DENY");
    auto css = c.Get("/dashboard/style.css");
    REQUIRE(css);
    CHECK(css->get_header_value("Content-Type") == "text/css; charset=utf-8");
    // A head announcing a 1 MB form: refused before a byte of it is read.
    int fd = connect_raw(port);
    std::string head = "POST /dashboard/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                       "Content-Length: 1048576\r\n\r\nname=";
    REQUIRE(::send(fd, head.data(), head.size(), MSG_NOSIGNAL) == (ssize_t)head.size());
    char buf[512] = {};
    ssize_t n = ::recv(fd, buf, sizeof buf - 1, 0);
    ::close(fd);
    REQUIRE(n > 12);
    CHECK(std::string(buf, 12) == "HTTP/1.1 413");
    auto none = c.Get("/dashboard/devices");
    REQUIRE(none);
    CHECK(none->status == 303);
    // The API is still there beside it.
    CHECK(c.Get("/v1/health")->status == 200);
    srv.stop();
    th.join();
}
