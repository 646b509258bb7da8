// main.cpp - `teilhabe-server`, the research server that receives sealed bundles.
//
//   serve   --data DIR --listen HOST:PORT ...   the HTTP API (also without the verb: --data ...)
//   enrol   --data DIR [--site NAME] [--valid-hours H]   prints a pairing code
//   import  --data DIR [--receipt OUT] FILE               ingests a USB bundle
//   status  --data DIR                                    devices, counts, events
//   pin     --data DIR | --cert CERT.pem                  the TLS key's pin for kiosks
//   make-cert --cert CERT.pem --key KEY.pem               a self-signed pair (no CA at hand)
//
// The verbs register with the same Command registry as `teilhabe`'s (command.h), so --help
// lists each with its options. They live here, not in tk_server: a static library's objects
// that nothing references would be left out of the program, registrations and all.
// The server never holds the research secret key; see sync/transport/BUNDLE.md.
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <httplib.h>

#include "bundle.h"
#include "command.h"
#include "keys.h"
#include "files.h"
#include "hex.h"
#include "http_front.h"
#include "request_log.h"
#include "server_api.h"
#include "server_store.h"
#include "server_tls.h"
#include "tls_trust.h"

using namespace tk;

using cli::take_flag;
static std::string take(cli::Args& a, const std::string& flag, const std::string& def = "") { return cli::take_option(a, flag, def); }

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
    std::string data = take(a, "--data"), receipt = take(a, "--receipt");
    if (data.empty() || a.size() != 1) {
        std::fprintf(stderr, "teilhabe-server import: usage: --data DIR [--receipt OUT] FILE\n");
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
    IngestResult r = store->ingest((const uint8_t*)bytes.data(), bytes.size(), limits, "import " + file);
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
    bool allow_plain = take_flag(a, "--allow-plain-http"), self_signed = take_flag(a, "--tls-self-signed");
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
    ServerApi api(*store, cfg);

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
    std::string pin;
    if (tls && cert_file_pin(cert, pin, nullptr)) std::printf("TLS certificate pin (teilhabe enrol --pin): %s\n", pin.c_str());
    std::fflush(stdout);
    bool ok = srv->listen_after_bind();
    g_server = nullptr;
    return ok ? 0 : 1;
}

static const cli::Command serve_verb(
    "serve",
    "--data DIR --listen HOST:PORT [--cert CERT.pem --key KEY.pem | --tls-self-signed] [--allow-plain-http] "
    "[--max-body BYTES] [--rate PER_SECOND] [--threads N] [--per-address N]",
    "Serves the API (the default verb). --cert/--key: a certificate from a CA (kiosks: --ca). --tls-self-signed: "
    "DIR/tls/server.crt and server.key, made at first start (kiosks pin its key: --pin, see `pin`). Without TLS, plain "
    "HTTP only on loopback addresses, unless --allow-plain-http (answers are sealed, but metadata and codes would "
    "travel openly). Limits: sync/transport/BUNDLE.md.",
    cmd_serve);
static const cli::Command enrol_verb("enrol", "--data DIR [--site NAME] [--valid-hours H]",
                                     "Prints a one-time pairing code for one kiosk (default valid 24 hours).", cmd_enrol);
static const cli::Command import_verb(
    "import", "--data DIR [--receipt OUT] FILE",
    "Ingests a bundle brought on a USB stick, with the same checks as an upload, and writes a signed receipt "
    "(default FILE.receipt) for the coordinator to take back to the kiosk.",
    cmd_import);
static const cli::Command status_verb("status", "--data DIR", "Devices, their chain heads, record count and the latest logged events.",
                                      cmd_status);

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
