// main.cpp - `teilhabe-server`, the research server that receives sealed bundles.
//
//   serve   --data DIR --listen HOST:PORT [--research-pub FILE]...   the HTTP API (also without the verb)
//   enrol   --data DIR [--site NAME] [--valid-hours H]   prints a pairing code
//   import  --data DIR [--receipt OUT] [--research-pub FILE]... FILE   ingests a USB bundle
//   status  --data DIR                                    devices, counts, events
//
// The verbs register with the same Command registry as `teilhabe`'s (command.h), so --help
// lists each with its options. They live here, not in tk_server: a static library's objects
// that nothing references would be left out of the program, registrations and all.
// The server never holds the research secret key; see sync/transport/BUNDLE.md.
#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <httplib.h>

#include "bundle.h"
#include "command.h"
#include "keys.h"
#include "files.h"
#include "http_front.h"
#include "request_log.h"
#include "server_api.h"
#include "server_store.h"

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
    int hours = std::atoi(take(a, "--valid-hours", "24").c_str());
    if (data.empty() || !a.empty() || hours <= 0 || hours > 24 * 30) {
        std::fprintf(stderr, "teilhabe-server enrol: usage: --data DIR [--site NAME] [--valid-hours 1..720]\n");
        return 2;
    }
    std::string err;
    auto store = ServerStore::open(data, true, &err);
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
    std::vector<std::string> research_keys;
    if (!take_research_keys(a, research_keys, &key_err)) {
        std::fprintf(stderr, "teilhabe-server import: --research-pub: %s\n", key_err.c_str());
        return 2;
    }
    if (data.empty() || a.size() != 1) {
        std::fprintf(stderr, "teilhabe-server import: usage: --data DIR [--receipt OUT] [--research-pub FILE]... FILE\n");
        return 2;
    }
    std::string file = a[0], err, bytes;
    if (receipt.empty()) receipt = file + ".receipt";
    auto store = ServerStore::open(data, false, &err);
    if (!store) { std::fprintf(stderr, "teilhabe-server import: %s\n", err.c_str()); return 2; }
    // USB bundles may be large, but a file over the limit is refused before it is read whole.
    BundleLimits limits;
    FILE* f = std::fopen(file.c_str(), "rb");
    if (!f) { std::fprintf(stderr, "teilhabe-server import: %s: cannot open\n", file.c_str()); return 2; }
    std::fseek(f, 0, SEEK_END);
    long size = std::ftell(f);
    std::fclose(f);
    if (size < 0 || (size_t)size > limits.max_bytes) {
        std::fprintf(stderr, "teilhabe-server import: %s: %ld bytes is over the limit of %zu\n", file.c_str(), size, limits.max_bytes);
        store->log_event("reject-too-large", "", file + ": " + std::to_string(size) + " bytes [import]");
        return 1;
    }
    // Not read_small_file: that one is for key files and stops at 1 MiB, while a stick's bundle
    // is up to limits.max_bytes (checked above).
    if (!read_whole_file(file, bytes, &err)) {
        std::fprintf(stderr, "teilhabe-server import: %s: %s\n", file.c_str(), err.c_str());
        return 2;
    }
    // The same two steps as an upload, with the research key checked between them.
    Bundle b;
    IngestResult r;
    if (store->check_bundle((const uint8_t*)bytes.data(), bytes.size(), limits, "import " + file, b, &r)) {
        if (!research_key_accepted(research_keys, b.research_key)) {
            store->log_event("reject-research-key", device_id_hex(b.device_pk), file + ": sealed to " + b.research_key + " [import]");
            std::fprintf(stderr, "teilhabe-server import: %s: refused (wrong-research-key): the kiosk seals answers to research key "
                                 "%s, not the study's; copy the project's research.pub to the kiosk; nothing was stored\n",
                         file.c_str(), b.research_key.c_str());
            return 1;
        }
        r = store->store_bundle(b, "import " + file);
    }
    if (r.status != 200) {
        std::fprintf(stderr, "teilhabe-server import: %s: refused (%s): %s\n", file.c_str(), r.code.c_str(), r.reason.c_str());
        return 1;
    }
    if (!write_file_atomic(receipt, std::string(r.receipt.begin(), r.receipt.end()), 0644, true, &err)) {
        std::fprintf(stderr, "teilhabe-server import: records stored, but the receipt could not be written: %s\n", err.c_str());
        return 1;
    }
    std::printf("%s: device %s, %u records stored, %u already held; server holds the device up to record %llu\n"
                "Receipt: %s (take it back to the kiosk: teilhabe receipt apply)\n",
                file.c_str(), r.device.c_str(), r.stored, r.duplicates, (unsigned long long)r.server_seq, receipt.c_str());
    return 0;
}

static int cmd_status(const cli::Args& args) {
    cli::Args a = args;
    std::string data = take(a, "--data");
    if (data.empty() || !a.empty()) { std::fprintf(stderr, "teilhabe-server status: usage: --data DIR\n"); return 2; }
    std::string err;
    auto store = ServerStore::open(data, false, &err);
    if (!store) { std::fprintf(stderr, "teilhabe-server status: %s\n", err.c_str()); return 2; }
    std::printf("server fingerprint %s\nrecords %lld\n", store->server_fingerprint().c_str(), (long long)store->record_count());
    for (const DeviceInfo& d : store->devices())
        std::printf("device %s  %s  up to record %llu  site '%s'\n", device_id_hex(d.pk).c_str(),
                    fingerprint(d.pk.data(), 32).c_str(), (unsigned long long)d.last_seq, d.site.c_str());
    // Event details quote what clients sent: escaped before they reach the terminal.
    for (const std::string& e : store->events(20)) std::printf("event %s\n", log_safe(e).c_str());
    return 0;
}

static HttpFront* g_server = nullptr;
static void on_signal(int) {
    if (g_server) g_server->stop();
}

static int cmd_serve(const cli::Args& args) {
    cli::Args a = args;
    std::string data = take(a, "--data"), listen = take(a, "--listen"), cert = take(a, "--cert"), key = take(a, "--key");
    std::string max_body = take(a, "--max-body"), rate = take(a, "--rate"), threads = take(a, "--threads");
    std::string per_address = take(a, "--per-address");
    bool allow_plain = take_flag(a, "--allow-plain-http");
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
    bool tls = !cert.empty();
    if (!tls && !is_loopback(host) && !allow_plain) {
        std::fprintf(stderr, "teilhabe-server: plain HTTP only on loopback; '%s' is not loopback "
                             "(give --cert and --key, or --allow-plain-http)\n", host.c_str());
        return 2;
    }

    std::string err;
    auto store = ServerStore::open(data, true, &err);
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
    if (tls && !(tls_ctx = make_tls_context(cert, key, &err))) {
        std::fprintf(stderr, "teilhabe-server: %s\n", err.c_str());
        return 2;
    }
    auto srv = std::make_unique<HttpFront>(api.front_config(), tls_ctx);
    api.mount(*srv);
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
    std::fflush(stdout);
    bool ok = srv->listen_after_bind();
    g_server = nullptr;
    return ok ? 0 : 1;
}

static const cli::Command serve_verb(
    "serve",
    "--data DIR --listen HOST:PORT [--cert CERT.pem --key KEY.pem] [--allow-plain-http] [--max-body BYTES] "
    "[--rate PER_SECOND] [--threads N] [--per-address N] [--research-pub FILE]...",
    "Serves the API (the default verb). Without --cert/--key, plain HTTP only on loopback addresses, unless "
    "--allow-plain-http (answers are sealed, but metadata and codes would travel openly). --research-pub (repeatable) "
    "names the study's research.pub: kiosks sealing to any other key are refused at enrolment and upload; without it "
    "nothing is checked and a warning is logged. Limits: sync/transport/BUNDLE.md.",
    cmd_serve);
static const cli::Command enrol_verb("enrol", "--data DIR [--site NAME] [--valid-hours H]",
                                     "Prints a one-time pairing code for one kiosk (default valid 24 hours).", cmd_enrol);
static const cli::Command import_verb(
    "import", "--data DIR [--receipt OUT] [--research-pub FILE]... FILE",
    "Ingests a bundle brought on a USB stick, with the same checks as an upload (with --research-pub: also the "
    "research key), and writes a signed receipt (default FILE.receipt) for the coordinator to take back to the kiosk.",
    cmd_import);
static const cli::Command status_verb("status", "--data DIR", "Devices, their chain heads, record count and the latest logged events.",
                                      cmd_status);

int main(int argc, char** argv) {
    cli::Program p{"teilhabe-server", "teilhabe-server - receives sealed answers from kiosks", TK_VERSION, "serve"};
    return cli::run_program(p, argc, argv);
}
