// main.cpp - `teilhabe-server`, the research server that receives sealed bundles.
//
//   serve   [--config FILE] --data DIR [--store URL] --listen HOST:PORT [--research-pub FILE]...   the HTTP API
//           (also without the verb: --data ...); tells systemd READY, WATCHDOG and STOPPING (sd_notify.h)
//   enrol   --data DIR [--site NAME] [--valid-hours H]   prints a pairing code
//   import  --data DIR [--receipt OUT] [--research-pub FILE]... FILE_OR_FOLDER...   ingests USB bundles,
//           a receipt beside each
//   export-surveys --data DIR --out STICK                 signed survey updates onto a stick
//   status  --data DIR [--json] [--stale-days N] [--events N]   the fleet: devices, health, counts, events
//   revoke  --data DIR --device ID --reason TEXT          refuses a stolen or retired kiosk from now on
//   codes   --data DIR [--all]                            pairing codes (open; --all: used, expired)
//   target  --data DIR --site NAME --expected N           responses a site is expected to collect
//   user add|list|remove --data DIR [NAME]                coordinator accounts of the dashboard
//   backup  --data DIR --out FILE                         a consistent copy, while serving
//   restore --data DIR FILE                               puts a backup back (server stopped)
//   migrate --from sqlite:DIR --to postgresql://...       the SQLite store into PostgreSQL
//   pin     --data DIR | --cert CERT.pem                  the TLS key's pin for kiosks
//   make-cert --cert CERT.pem --key KEY.pem               a self-signed pair (no CA at hand)
//
// The verbs register with the same Command registry as `teilhabe`'s (command.h), so --help
// lists each with its options. They live here, not in tk_server: a static library's objects
// that nothing references would be left out of the program, registrations and all.
// The server never holds the research secret key; see sync/transport/BUNDLE.md.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include <httplib.h>

#include "bundle.h"
#include "command.h"
#include "dashboard.h"
#include "dates.h"
#include "fleet.h"
#include "keys.h"
#include "files.h"
#include "hex.h"
#include "http_front.h"
#include "request_log.h"
#include "sd_notify.h"
#include "server_api.h"
#include "server_conf.h"
#include "server_import.h"
#include "server_store.h"
#include "server_tls.h"
#include "store_db.h"
#include "tls_trust.h"
#include "survey_update.h"
#include "version.h"

using namespace tk;

using cli::take_flag;
static std::string take(cli::Args& a, const std::string& flag, const std::string& def = "") { return cli::take_option(a, flag, def); }

// Every `--research-pub FILE` of `a` (repeatable), as fingerprints. An empty value names none,
// so that an empty RESEARCH_PUB in server.conf is no error. False with *error for a file that
// cannot be read or is not a research.pub.
static bool take_research_keys(cli::Args& a, std::vector<std::string>& fps, std::string* error) {
    static const std::string kAbsent = std::string(1, '\0');
    for (std::string path; (path = take(a, "--research-pub", kAbsent)) != kAbsent;) {
        if (path.empty()) continue;
        ResearchPublicKey k;
        if (!load_research_public(path, k, error)) return false;
        std::string fp = research_fingerprint(k);
        if (std::find(fps.begin(), fps.end(), fp) == fps.end()) fps.push_back(fp);
    }
    return true;
}

static bool is_loopback(const std::string& host) {
    return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

static int cmd_enrol(const cli::Args& args) {
    cli::Args a = args;
    std::string data = take(a, "--data"), site = take(a, "--site");
    std::string store_url = take(a, "--store"); // "" = SQLite in DATA (store_db.h)
    int hours = std::atoi(take(a, "--valid-hours", "24").c_str());
    if (data.empty() || !a.empty() || hours <= 0 || hours > 24 * 30) {
        std::fprintf(stderr, "teilhabe-server enrol: usage: --data DIR [--site NAME] [--valid-hours 1..720]\n");
        return 2;
    }
    std::string err;
    auto store = ServerStore::open(data, true, &err, store_url);
    if (!store) { std::fprintf(stderr, "teilhabe-server enrol: %s\n", err.c_str()); return 2; }
    std::string code = store->new_pairing_code(site, hours, &err);
    if (code.empty()) { std::fprintf(stderr, "teilhabe-server enrol: %s\n", err.c_str()); return 1; }
    std::printf("%s\n", code.c_str());
    std::fprintf(stderr, "Pairing code for one kiosk, valid %d hours. Server fingerprint: %s\n", hours,
                 store->server_fingerprint().c_str());
    return 0;
}

static int cmd_import(const cli::Args& args) {
    cli::Args a = args;
    std::string data = take(a, "--data"), receipt = take(a, "--receipt"), key_err;
    std::string store_url = take(a, "--store"); // "" = SQLite in DATA (store_db.h)
    std::vector<std::string> research_keys;
    if (!take_research_keys(a, research_keys, &key_err)) {
        std::fprintf(stderr, "teilhabe-server import: --research-pub: %s\n", key_err.c_str());
        return 2;
    }
    if (data.empty() || a.empty() || (!receipt.empty() && a.size() != 1)) {
        std::fprintf(stderr, "teilhabe-server import: usage: --data DIR [--receipt OUT] [--research-pub FILE]... "
                             "FILE_OR_FOLDER... (--receipt only with one file)\n");
        return 2;
    }
    std::vector<std::string> problems, files = import_paths(a, &problems);
    for (const std::string& p : problems) std::fprintf(stderr, "teilhabe-server import: %s\n", p.c_str());
    if (files.empty()) {
        std::fprintf(stderr, "teilhabe-server import: no bundle files (*.tkb) found\n");
        return problems.empty() ? 1 : 2;
    }
    std::string err;
    auto store = ServerStore::open(data, false, &err, store_url);
    if (!store) { std::fprintf(stderr, "teilhabe-server import: %s\n", err.c_str()); return 2; }
    size_t failed = problems.size(), imported = 0;
    uint64_t stored = 0, held = 0;
    for (size_t i = 0; i < files.size(); i++) {
        ImportFile f = import_bundle_file(*store, files[i], receipt, research_keys);
        // "[3/40]" is the progress: one line per file as soon as it is done.
        std::fprintf(f.ok() ? stdout : stderr, "[%zu/%zu] %s\n", i + 1, files.size(), import_report_line(f).c_str());
        std::fflush(f.ok() ? stdout : stderr);
        if (!f.ok()) failed++;
        else imported++;
        stored += f.ingest.stored;
        held += f.ingest.duplicates;
    }
    if (files.size() > 1 || failed > 0)
        std::printf("%zu of %zu files imported (%llu records stored, %llu already held), %zu refused or failed%s\n", imported,
                    files.size(), (unsigned long long)stored, (unsigned long long)held, failed,
                    failed ? " (see above; the others are in)" : "");
    if (imported > 0) std::printf("Take the receipts back to the kiosks: \"Quittung vom USB-Stick einlesen\" or teilhabe receipt apply\n");
    return failed ? 1 : 0;
}

static int cmd_export_surveys(const cli::Args& args) {
    cli::Args a = args;
    std::string data = take(a, "--data"), out = take(a, "--out");
    if (data.empty() || out.empty() || !a.empty()) {
        std::fprintf(stderr, "teilhabe-server export-surveys: usage: --data DIR --out STICK\n");
        return 2;
    }
    std::vector<std::string> copied;
    std::string err;
    if (!write_survey_updates_to_stick(data + "/surveys", out, &copied, &err)) {
        std::fprintf(stderr, "teilhabe-server export-surveys: %s\n", err.c_str());
        return 1;
    }
    for (const std::string& n : copied) std::printf("copied  %s/%s/%s (+ .sig)\n", out.c_str(), kStickSurveyFolder, n.c_str());
    if (copied.empty()) {
        std::fprintf(stderr, "teilhabe-server export-surveys: %s/surveys holds no signed survey file (sign with "
                             "teilhabe survey sign)\n", data.c_str());
        return 1;
    }
    std::printf("%zu survey updates on the stick. At the kiosk: \"Fragebogen-Updates vom USB-Stick\" (installs only what the "
                "research key signed)\n", copied.size());
    return 0;
}

// A whole number from an option, or -1 when it is not one.
static long long whole_number(const std::string& v, long long max) {
    if (v.empty() || v.size() > 12 || v.find_first_not_of("0123456789") != std::string::npos) return -1;
    long long n = std::stoll(v);
    return n <= max ? n : -1;
}

static int cmd_status(const cli::Args& args) {
    cli::Args a = args;
    std::string data = take(a, "--data"), stale = take(a, "--stale-days", "7"), events = take(a, "--events", "20");
    std::string store_url = take(a, "--store"); // "" = SQLite in DATA (store_db.h)
    bool json = cli::take_flag(a, "--json");
    FleetOptions opt;
    long long sd = whole_number(stale, 3650), ev = whole_number(events, 100000);
    if (data.empty() || !a.empty() || sd < 0 || ev < 0)
        return cli::usage_error("status", "usage: --data DIR [--json] [--stale-days N] [--events N]");
    opt.stale_days = (int)sd;
    opt.events = (size_t)ev;
    std::string err;
    auto store = ServerStore::open(data, false, &err, store_url);
    if (!store) { std::fprintf(stderr, "teilhabe-server status: %s\n", err.c_str()); return 2; }
    std::fputs((json ? fleet_status_json(*store, opt) : fleet_status_text(*store, opt)).c_str(), stdout);
    return 0;
}

static int cmd_revoke(const cli::Args& args) {
    cli::Args a = args;
    std::string data = take(a, "--data"), device = take(a, "--device"), reason = take(a, "--reason");
    std::string store_url = take(a, "--store"); // "" = SQLite in DATA (store_db.h)
    if (data.empty() || device.empty() || reason.empty() || !a.empty())
        return cli::usage_error("revoke", "usage: --data DIR --device ID --reason TEXT");
    std::string err;
    auto store = ServerStore::open(data, false, &err, store_url);
    if (!store || !store->revoke(device, reason, &err)) {
        std::fprintf(stderr, "teilhabe-server revoke: %s\n", err.c_str());
        return 1;
    }
    std::printf("device %s revoked: its uploads are refused from now on (running servers too); its %s stay.\n",
                device.c_str(), "stored records");
    return 0;
}

static int cmd_codes(const cli::Args& args) {
    cli::Args a = args;
    std::string data = take(a, "--data");
    std::string store_url = take(a, "--store"); // "" = SQLite in DATA (store_db.h)
    bool all = cli::take_flag(a, "--all");
    if (data.empty() || !a.empty()) return cli::usage_error("codes", "usage: --data DIR [--all]");
    std::string err;
    auto store = ServerStore::open(data, false, &err, store_url);
    if (!store) { std::fprintf(stderr, "teilhabe-server codes: %s\n", err.c_str()); return 2; }
    int64_t now = (int64_t)std::time(nullptr);
    size_t shown = 0;
    for (const PairingCodeInfo& c : store->pairing_codes()) {
        std::string state = c.state(now);
        if (!all && state != "open") continue;
        shown++;
        std::printf("%s  %-7s  made %s  %s %s  site '%s'%s\n", c.id.c_str(), state.c_str(), format_utc(c.created).c_str(),
                    state == "used" ? "used" : "expires", format_utc(state == "used" ? c.used_at : c.expires).c_str(),
                    log_safe(c.site, 80).c_str(), c.used_by.empty() ? "" : ("  by device " + c.used_by).c_str());
    }
    if (shown == 0) std::printf(all ? "no pairing codes made yet\n" : "no open pairing codes (--all lists used and expired ones)\n");
    return 0;
}

static int cmd_target(const cli::Args& args) {
    cli::Args a = args;
    std::string data = take(a, "--data"), site = take(a, "--site"), expected = take(a, "--expected");
    std::string store_url = take(a, "--store"); // "" = SQLite in DATA (store_db.h)
    long long n = whole_number(expected, 100000000);
    if (data.empty() || site.empty() || n < 0 || !a.empty())
        return cli::usage_error("target", "usage: --data DIR --site NAME --expected N (0 removes the target)");
    std::string err;
    auto store = ServerStore::open(data, false, &err, store_url);
    if (!store || !store->set_target(site, n, &err)) {
        std::fprintf(stderr, "teilhabe-server target: %s\n", err.c_str());
        return 1;
    }
    std::printf(n > 0 ? "site '%s': %lld responses expected\n" : "site '%s': target removed\n", site.c_str(), n);
    return 0;
}

static int cmd_backup(const cli::Args& args) {
    cli::Args a = args;
    std::string data = take(a, "--data"), out = take(a, "--out");
    if (!take(a, "--store").empty()) {
        std::fprintf(stderr, "teilhabe-server backup: a PostgreSQL store is backed up with pg_dump (see DEPLOY.md); "
                             "backup copies the SQLite store of --data DIR\n");
        return 2;
    }
    if (data.empty() || out.empty() || !a.empty()) return cli::usage_error("backup", "usage: --data DIR --out FILE");
    std::string err;
    // Opened first so that a folder that is no store is refused with the store's own reason.
    auto store = ServerStore::open(data, false, &err);
    if (!store || !sqlite_backup(data + "/" + ServerStore::kFile.db_name, out, &err)) {
        std::fprintf(stderr, "teilhabe-server backup: %s\n", err.c_str());
        return 2;
    }
    std::printf("%s: backup of %s (%lld records). server.key is not in it: keep a copy of it once, apart.\n",
                out.c_str(), data.c_str(), (long long)store->record_count());
    return 0;
}

static int cmd_restore(const cli::Args& args) {
    cli::Args a = args;
    std::string data = take(a, "--data");
    if (data.empty() || a.size() != 1) return cli::usage_error("restore", "usage: --data DIR FILE");
    std::string err, kept;
    if (!restore_store(data, ServerStore::kFile, a[0], &kept, &err)) {
        std::fprintf(stderr, "teilhabe-server restore: %s\n", err.c_str());
        return 1;
    }
    // Opening migrates an older schema and proves the result is a store this server takes.
    auto store = ServerStore::open(data, false, &err);
    if (!store) {
        std::fprintf(stderr, "teilhabe-server restore: restored, but the store does not open: %s\n", err.c_str());
        return 1;
    }
    std::printf("%s: restored from %s (%lld records)%s%s\n", data.c_str(), a[0].c_str(), (long long)store->record_count(),
                kept.empty() ? "" : "; the replaced database is kept as ", kept.c_str());
    return 0;
}

// migrate: the SQLite store of DIR into a new PostgreSQL database. The server key stays in DIR:
// the servers on the database are started with --data DIR --store URL.
static int cmd_migrate(const cli::Args& args) {
    cli::Args a = args;
    std::string from = take(a, "--from"), to = take(a, "--to");
    if (from.rfind("sqlite:", 0) != 0 || from.size() <= 7 || !is_postgres_url(to) || !a.empty())
        return cli::usage_error("migrate", "usage: --from sqlite:DIR --to postgresql://USER@HOST:PORT/DATABASE");
    std::string dir = from.substr(7), err, report;
    auto src = ServerStore::open(dir, false, &err);
    if (!src) { std::fprintf(stderr, "teilhabe-server migrate: %s\n", err.c_str()); return 2; }
    auto dst = ServerStore::open(dir, false, &err, to);
    if (!dst) { std::fprintf(stderr, "teilhabe-server migrate: %s\n", err.c_str()); return 2; }
    if (!src->copy_into(*dst, &report, &err)) {
        std::fprintf(stderr, "teilhabe-server migrate: %s\n", err.c_str());
        return 1;
    }
    dst->log_event("migrate", "", "store moved here from " + dir + "/server.sqlite: " + report);
    std::printf("migrated %s/server.sqlite: %s. Serve it with --data %s --store URL; server.sqlite is left as it was.\n",
                dir.c_str(), report.c_str(), dir.c_str());
    return 0;
}

static HttpFront* g_server = nullptr;
static NotifyTarget g_notify;
static void on_signal(int) {
    notify_send(g_notify, "STOPPING=1"); // signal-safe (sd_notify.h)
    if (g_server) g_server->stop();
}

static int cmd_serve(const cli::Args& args) {
    cli::Args a = args;
    g_notify = notify_target_from_env(); // before any signal handler may read it
    std::string config = take(a, "--config"), conf_err;
    if (!config.empty() && !read_server_conf(config, a, &conf_err)) {
        std::fprintf(stderr, "teilhabe-server: %s\n", conf_err.c_str());
        return 2;
    }
    std::string data = take(a, "--data"), listen = take(a, "--listen"), cert = take(a, "--cert"), key = take(a, "--key");
    std::string store_url = take(a, "--store"); // "" = SQLite in DATA (store_db.h)
    std::string max_body = take(a, "--max-body"), rate = take(a, "--rate"), threads = take(a, "--threads");
    std::string per_address = take(a, "--per-address");
    bool allow_plain = take_flag(a, "--allow-plain-http"), self_signed = take_flag(a, "--tls-self-signed");
    std::vector<std::string> research_keys;
    std::string key_err;
    if (!take_research_keys(a, research_keys, &key_err)) {
        std::fprintf(stderr, "teilhabe-server: --research-pub: %s\n", key_err.c_str());
        return 2;
    }
    if (!a.empty()) { std::fprintf(stderr, "teilhabe-server: unknown argument '%s' (see --help)\n", a[0].c_str()); return 2; }
    if (data.empty() || listen.empty()) return cli::usage_error("serve", "--data DIR and --listen HOST:PORT are required (see --help)");
    auto colon = listen.rfind(':');
    if (colon == std::string::npos) {
        std::fprintf(stderr, "teilhabe-server: --listen wants HOST:PORT, got '%s'\n", listen.c_str());
        return 2;
    }
    std::string host = listen.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    int port = std::atoi(listen.substr(colon + 1).c_str());
    if (port < 0 || port > 65535 || listen.substr(colon + 1).empty()) { std::fprintf(stderr, "teilhabe-server: bad port in '%s'\n", listen.c_str()); return 2; }
    if (cert.empty() != key.empty()) { std::fprintf(stderr, "teilhabe-server: --cert and --key go together\n"); return 2; }
    if (self_signed && !cert.empty()) { std::fprintf(stderr, "teilhabe-server: --tls-self-signed or --cert/--key, not both\n"); return 2; }
    if (self_signed) self_signed_paths(data, cert, key);
    bool tls = !cert.empty();
    if (!tls && !is_loopback(host) && !allow_plain) {
        std::fprintf(stderr, "teilhabe-server: plain HTTP only on loopback; '%s' is not loopback "
                             "(give --cert and --key, or --allow-plain-http)\n", host.c_str());
        return 2;
    }

    std::string err;
    auto store = ServerStore::open(data, true, &err, store_url);
    if (!store) { std::fprintf(stderr, "teilhabe-server: %s\n", err.c_str()); return 2; }
    ServerConfig cfg;
    cfg.surveys_dir = data + "/surveys";
    if (!max_body.empty()) cfg.max_body = (size_t)std::strtoull(max_body.c_str(), nullptr, 10);
    if (!rate.empty()) cfg.rate_per_s = std::atof(rate.c_str());
    if (!threads.empty()) cfg.threads = std::atoi(threads.c_str());
    if (!per_address.empty()) cfg.per_address = std::atoi(per_address.c_str());
    if (cfg.max_body < 1024 || cfg.rate_per_s <= 0 || cfg.threads <= 0 || cfg.threads > 1024 || cfg.per_address < 1) {
        std::fprintf(stderr, "teilhabe-server: --max-body >= 1024, --rate > 0, --threads 1..1024, --per-address >= 1\n");
        return 2;
    }
    cfg.limits.max_bytes = cfg.max_body;
    cfg.research_keys = research_keys;
    ServerApi api(*store, cfg);
    if (research_keys.empty())
        api.log("warning: no research key configured (--research-pub, RESEARCH_PUB in server.conf): kiosks sealing to "
                "another study's key or a demo key are accepted, and their answers cannot be opened");
    for (const std::string& fp : research_keys) api.log("accepting answers sealed to research key " + fp);

    SSL_CTX* tls_ctx = nullptr;
    bool made = false;
    if (self_signed && !ensure_self_signed(cert, key, &made, &err)) {
        std::fprintf(stderr, "teilhabe-server: %s\n", err.c_str());
        return 2;
    }
    if (made) std::fprintf(stderr, "teilhabe-server: made a TLS key and certificate: %s\n", cert.c_str());
    if (tls && !(tls_ctx = make_tls_context(cert, key, &err))) {
        std::fprintf(stderr, "teilhabe-server: %s\n", err.c_str());
        return 2;
    }
    // systemd's watchdog is pinged from the front's poll loop (FrontConfig::tick).
    FrontConfig front = api.front_config();
    auto watchdog = std::make_shared<Watchdog>(watchdog_from_env());
    if (watchdog->interval_s > 0)
        front.tick = [watchdog] {
            auto t = std::chrono::steady_clock::now().time_since_epoch();
            watchdog_tick(*watchdog, std::chrono::duration<double>(t).count());
        };
    auto srv = std::make_unique<HttpFront>(front, tls_ctx);
    api.mount(*srv);
    DashboardConfig dash_cfg;
    dash_cfg.stale_days = cfg.stale_days;
    Dashboard dashboard(*store, dash_cfg);
    dashboard.mount(*srv);
    g_server = srv.get();
    std::signal(SIGTERM, on_signal);
    std::signal(SIGINT, on_signal);
    std::signal(SIGPIPE, SIG_IGN);
    // Port 0 takes any free port (tests); the line below says which.
    if (port == 0) port = srv->bind_to_any_port(host.c_str());
    else if (!srv->bind_to_port(host.c_str(), port)) port = -1;
    if (port <= 0) {
        std::fprintf(stderr, "teilhabe-server: cannot listen on %s\n", listen.c_str());
        return 1;
    }
    std::printf("teilhabe-server listening on %s://%s:%d, data in %s, server fingerprint %s\n", tls ? "https" : "http",
                host.c_str(), port, data.c_str(), store->server_fingerprint().c_str());
    std::string pin;
    if (tls && cert_file_pin(cert, pin, nullptr)) std::printf("TLS certificate pin (teilhabe enrol --pin): %s\n", pin.c_str());
    std::fflush(stdout);
    notify_send(g_notify, "READY=1\nSTATUS=listening");
    bool ok = srv->listen_after_bind();
    g_server = nullptr;
    return ok ? 0 : 1;
}

static const cli::Command serve_verb(
    "serve",
    "[--config FILE] --data DIR [--store URL] --listen HOST:PORT [--cert CERT.pem --key KEY.pem | --tls-self-signed] [--allow-plain-http] "
    "[--max-body BYTES] [--rate PER_SECOND] [--threads N] [--per-address N] [--research-pub FILE]...",
    "Serves the API (the default verb). --cert/--key: a certificate from a CA (kiosks: --ca). --tls-self-signed: "
    "DIR/tls/server.crt and server.key, made at first start (kiosks pin its key: --pin, see `pin`). Without TLS, plain "
    "HTTP only on loopback addresses, unless --allow-plain-http (answers are sealed, but metadata and codes would "
    "travel openly). --research-pub (repeatable) "
    "names the study's research.pub: kiosks sealing to any other key are refused at enrolment and upload; without it "
    "nothing is checked and a warning is logged. Limits: sync/transport/BUNDLE.md. "
    "--store postgresql://USER@HOST:PORT/DATABASE keeps the store in PostgreSQL instead of DIR/server.sqlite (the "
    "database must exist; the server makes the schema; several servers may share it, each with the same "
    "DIR/server.key); every verb that opens the store takes --store. "
    "--config reads KEY = value lines (DATA, STORE, LISTEN, CERT, KEY, MAX_BODY, RATE, THREADS, PER_ADDRESS, RESEARCH_PUB, "
    "ALLOW_PLAIN_HTTP = yes|no; /etc/teilhabe-server/server.conf); options given here win. "
    "Logs one line per request on stderr; under systemd tells it READY, WATCHDOG and STOPPING.",
    cmd_serve);
static const cli::Command enrol_verb("enrol", "--data DIR [--store URL] [--site NAME] [--valid-hours H]",
                                     "Prints a one-time pairing code for one kiosk (default valid 24 hours).", cmd_enrol);
static const cli::Command import_verb(
    "import", "--data DIR [--store URL] [--receipt OUT] [--research-pub FILE]... FILE_OR_FOLDER...",
    "Ingests bundles brought on USB sticks (files, or every *.tkb in a folder), with the same checks as an upload "
    "(with --research-pub: also the research key), and writes a signed receipt beside each (FILE.receipt; --receipt OUT "
    "with one file) for the coordinator to take back to the kiosks. One line per file; exit 1 when any file was refused "
    "(the others are stored).",
    cmd_import);
static const cli::Command backup_verb(
    "backup", "--data DIR --out FILE",
    "Writes a consistent copy of the store to FILE (new, mode 0600) while the server keeps serving; "
    "integrity-checked. server.key is not in it.",
    cmd_backup);
static const cli::Command restore_verb(
    "restore", "--data DIR FILE",
    "Puts the backup FILE back as the store of DIR after checking its integrity and schema version; refused while "
    "the server runs. The replaced database is kept beside it (server.sqlite.before-restore-TIME).",
    cmd_restore);
static const cli::Command migrate_verb(
    "migrate", "--from sqlite:DIR --to postgresql://USER@HOST:PORT/DATABASE",
    "Copies the SQLite store of DIR (stop the server first) into a new, empty PostgreSQL database: every device, "
    "record, pairing code, event, account and session, in one transaction, rows counted on both sides. DIR keeps "
    "server.key and server.sqlite; serve the database with --data DIR --store URL.",
    cmd_migrate);
static const cli::Command export_surveys_verb(
    "export-surveys", "--data DIR --out STICK",
    "Copies the signed survey updates in DIR/surveys to STICK/teilhabe-surveys/, for kiosks that sync by USB stick.",
    cmd_export_surveys);
static const cli::Command status_verb(
    "status", "--data DIR [--store URL] [--json] [--stale-days N] [--events N]",
    "Devices with their site, chain head, records, last seen and last upload result, flagged STALE (not seen for N "
    "days, default 7), REVOKED or MISSING (records the device holds that the server does not); targets against "
    "collected responses; open pairing codes; the latest N events (default 20). --json: the same and the counts per "
    "site, channel and day, for scripts and monitoring.",
    cmd_status);
static const cli::Command revoke_verb(
    "revoke", "--data DIR [--store URL] --device ID --reason TEXT",
    "Revokes a device (a stolen or retired kiosk), named by its id as `status` lists it: its further uploads and "
    "imports are refused (403 revoked, with the reason), it cannot enrol again, its stored records stay. Logged.",
    cmd_revoke);
static const cli::Command codes_verb("codes", "--data DIR [--store URL] [--all]",
                                     "Lists open pairing codes (by the start of their hash: the codes themselves are "
                                     "never stored) with site and expiry; --all also used and expired ones.",
                                     cmd_codes);
static const cli::Command target_verb("target", "--data DIR [--store URL] --site NAME --expected N",
                                      "Sets how many responses a site is expected to collect (0 removes it); `status` "
                                      "shows collected against expected.",
                                      cmd_target);

// Dashboard accounts. The password is read twice (without echo on a terminal; from stdin as
// two lines for scripts) and kept only as its Argon2id hash.
static int cmd_user_add(const cli::Args& args) {
    cli::Args a = args;
    std::string data = take(a, "--data");
    std::string store_url = take(a, "--store"); // "" = SQLite in DATA (store_db.h)
    if (data.empty() || a.size() != 1) return cli::usage_error("user add", "usage: --data DIR NAME (password on stdin, twice)");
    std::string pw1, pw2, err;
    if (!cli::read_secret_line("Password (10 characters or more): ", pw1) || !cli::read_secret_line("Again: ", pw2)) {
        std::fprintf(stderr, "teilhabe-server user add: no password given (two lines on stdin)\n");
        return 2;
    }
    if (pw1 != pw2) {
        std::fprintf(stderr, "teilhabe-server user add: the two passwords differ; nothing stored\n");
        return 1;
    }
    auto store = ServerStore::open(data, false, &err, store_url);
    if (!store) { std::fprintf(stderr, "teilhabe-server user add: %s\n", err.c_str()); return 2; }
    if (!store->add_account(a[0], pw1, &err)) {
        std::fprintf(stderr, "teilhabe-server user add: %s\n", err.c_str());
        return 1;
    }
    store->audit("-", "command line", "user-add", a[0]);
    std::printf("account %s added: it may log in at https://SERVER/dashboard\n", a[0].c_str());
    return 0;
}

static int cmd_user_list(const cli::Args& args) {
    cli::Args a = args;
    std::string data = take(a, "--data"), err;
    std::string store_url = take(a, "--store"); // "" = SQLite in DATA (store_db.h)
    if (data.empty() || !a.empty()) return cli::usage_error("user list", "usage: --data DIR");
    auto store = ServerStore::open(data, false, &err, store_url);
    if (!store) { std::fprintf(stderr, "teilhabe-server user list: %s\n", err.c_str()); return 2; }
    int64_t now = (int64_t)std::time(nullptr);
    auto list = store->accounts();
    for (const AccountInfo& u : list)
        std::printf("%s  made %s  last login %s%s\n", u.name.c_str(), format_utc(u.created).c_str(),
                    u.last_login ? format_utc(u.last_login).c_str() : "never",
                    u.locked_until > now ? ("  LOCKED until " + format_utc(u.locked_until)).c_str()
                    : u.failures ? ("  " + std::to_string(u.failures) + " failed logins").c_str() : "");
    if (list.empty()) std::printf("no accounts (teilhabe-server user add --data DIR NAME)\n");
    return 0;
}

static int cmd_user_remove(const cli::Args& args) {
    cli::Args a = args;
    std::string data = take(a, "--data"), err;
    std::string store_url = take(a, "--store"); // "" = SQLite in DATA (store_db.h)
    if (data.empty() || a.size() != 1) return cli::usage_error("user remove", "usage: --data DIR NAME");
    auto store = ServerStore::open(data, false, &err, store_url);
    if (!store || !store->remove_account(a[0], &err)) {
        std::fprintf(stderr, "teilhabe-server user remove: %s\n", err.c_str());
        return 1;
    }
    store->audit("-", "command line", "user-remove", a[0]);
    std::printf("account %s removed; its sessions ended\n", a[0].c_str());
    return 0;
}

static const cli::Command user_add_verb(
    "user add", "--data DIR [--store URL] NAME",
    "Adds a coordinator account for the dashboard (/dashboard). The password (10 characters or more) is asked twice "
    "without echo, or read as two lines from stdin; only its Argon2id hash is stored.",
    cmd_user_add);
static const cli::Command user_list_verb("user list", "--data DIR [--store URL]",
                                         "Lists the dashboard accounts with their last login and any lock-out.", cmd_user_list);
static const cli::Command user_remove_verb("user remove", "--data DIR [--store URL] NAME",
                                           "Removes a dashboard account; its open sessions end at once.", cmd_user_remove);

// The pin of the certificate kiosks enrol with: DATA/tls/server.crt, or the file given.
static int cmd_pin(const cli::Args& args) {
    cli::Args a = args;
    std::string data = take(a, "--data"), cert = take(a, "--cert"), key, pin, err;
    if (data.empty() == cert.empty() || !a.empty()) return cli::usage_error("pin", "usage: --data DIR | --cert CERT.pem");
    if (cert.empty()) self_signed_paths(data, cert, key);
    if (!cert_file_pin(cert, pin, &err)) {
        std::fprintf(stderr, "teilhabe-server pin: %s\n", err.c_str());
        return 1;
    }
    std::printf("%s\n", pin.c_str());
    std::array<uint8_t, 32> bytes{};
    if (parse_pin(pin, bytes)) // the kiosk's touch keyboard has no capitals: the same pin in hex
        std::fprintf(stderr, "The same pin as 64 hex digits: %s\n", to_hex(bytes.data(), bytes.size()).c_str());
    return 0;
}

static const cli::Command pin_verb("pin", "--data DIR | --cert CERT.pem",
                                   "Prints the pin (sha256/...) of the server's TLS key for `teilhabe enrol --pin`: of "
                                   "DIR/tls/server.crt (--tls-self-signed) or of the certificate given.",
                                   cmd_pin);

// A self-signed pair at the paths given, for the packaged service (which reads its
// certificate from /etc as a systemd credential); refuses to replace existing files.
static int cmd_make_cert(const cli::Args& args) {
    cli::Args a = args;
    std::string cert = take(a, "--cert"), key = take(a, "--key"), err, pin;
    if (cert.empty() || key.empty() || !a.empty()) return cli::usage_error("make-cert", "usage: --cert CERT.pem --key KEY.pem");
    std::error_code ec;
    if (std::filesystem::exists(cert, ec) || std::filesystem::exists(key, ec)) {
        std::fprintf(stderr, "teilhabe-server make-cert: %s or %s exists already; a new key would lock out every "
                             "enrolled kiosk. Remove both first if that is what you want.\n", cert.c_str(), key.c_str());
        return 1;
    }
    bool made = false;
    if (!ensure_self_signed(cert, key, &made, &err) || !cert_file_pin(cert, pin, &err)) {
        std::fprintf(stderr, "teilhabe-server make-cert: %s\n", err.c_str());
        return 1;
    }
    std::printf("%s\n", pin.c_str());
    std::fprintf(stderr, "Made %s and %s (key mode 0600). Kiosks enrol with --pin %s\n", cert.c_str(), key.c_str(), pin.c_str());
    return 0;
}

static const cli::Command make_cert_verb("make-cert", "--cert CERT.pem --key KEY.pem",
                                         "Makes a self-signed TLS certificate and key (P-256) at the paths given and prints "
                                         "the pin kiosks enrol with (`teilhabe enrol --pin`). Never replaces existing files.",
                                         cmd_make_cert);

int main(int argc, char** argv) {
    cli::Program p{"teilhabe-server", "teilhabe-server - receives sealed answers from kiosks", TK_VERSION, "serve"};
    return cli::run_program(p, argc, argv);
}
