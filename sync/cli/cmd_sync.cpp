// cmd_sync.cpp - the coordinator's transport verbs: enrol, sync, export-bundle, receipt apply.
#include <cstdio>
#include <ctime>
#include <memory>

#include "files.h"
#include "bundle.h"
#include "enrolment.h"
#include "keys.h"
#include "provision.h"
#include "sync_client.h"
#include "version.h"
#include "tls_options.h"
#include "vault.h"
#include "command.h"

using namespace tk;
using namespace tk::cli;

// A pin replaces the chain check, so it is one or the other (tls_options.h).
bool take_tls_options(const char* verb, Args& a, const std::string& dir, TlsTrust& out, int* rc) {
    std::string ca = take_option(a, "--ca"), pin = take_option(a, "--pin");
    if (!ca.empty() && !pin.empty()) {
        *rc = usage_error(verb, "--ca and --pin exclude each other: --ca for a certificate from a CA, --pin for the "
                                "server's own certificate (see `teilhabe-server pin`)");
        return false;
    }
    out = trust_for(dir, ca, pin);
    return true;
}

// The vault must exist: a typo in --data must not create an empty vault and "sync" nothing.
static std::unique_ptr<Vault> open_existing(const char* verb, const std::string& dir, int* rc) {
    VaultOpenOptions o;
    o.create = false;
    std::string err;
    auto v = Vault::open(dir, o, &err);
    if (!v) *rc = usage_error(verb, dir + ": " + err);
    return v;
}

static void print_enrolled(const std::string& url, const EnrolResult& r, const std::string& research_key) {
    std::printf("Enrolled with %s. Server fingerprint %s (compare it with `teilhabe-server status`).\n", url.c_str(),
                r.server_fingerprint.c_str());
    std::printf("Research key %s%s\n", research_key.c_str(),
                r.site.empty() ? "" : (", site '" + r.site + "' (the kiosk's default site)").c_str());
}

static int run_enrol(const Args& in) {
    Args a = in;
    std::string dir = take_option(a, "--data"), url = take_option(a, "--server"), code = take_option(a, "--code");
    std::string research_pub = take_option(a, "--research-pub");
    SyncOptions opt;
    int rc = 0;
    if (!take_tls_options("enrol", a, dir, opt.tls, &rc)) return rc;
    if (dir.empty() || url.empty() || code.empty() || !a.empty())
        return usage_error("enrol", "usage: --data DIR --server URL --code CODE [--ca CERT.pem | --pin sha256/KEY] "
                                    "[--research-pub FILE]");
    // A folder the kiosk never opened is set up as the kiosk sets it up (provision.h).
    std::string err;
    auto v = open_kiosk_folder(dir, research_pub, &err);
    if (!v) return usage_error("enrol", err);
    EnrolResult r;
    if (!enrol_device(*v, url, code, opt, &r, &err)) {
        std::fprintf(stderr, "teilhabe enrol: %s\n", err.c_str());
        return 1;
    }
    print_enrolled(url, r, v->research_key_fingerprint());
    return 0;
}

static int run_sync(const Args& in) {
    Args a = in;
    std::string dir = take_option(a, "--data"), url = take_option(a, "--server"), batch = take_option(a, "--batch");
    SyncOptions opt;
    int rc = 0;
    if (!take_tls_options("sync", a, dir, opt.tls, &rc)) return rc;
    bool quiet = take_flag(a, "--quiet");
    if (!batch.empty()) opt.batch = (size_t)std::strtoul(batch.c_str(), nullptr, 10);
    if (dir.empty() || !a.empty() || opt.batch == 0)
        return usage_error("sync", "usage: --data DIR [--server URL] [--batch N] [--ca CERT.pem | --pin sha256/KEY] [--quiet]");
    auto v = open_existing("sync", dir, &rc);
    if (!v) return rc;
    if (url.empty()) {
        ServerPin pin;
        std::string err;
        if (!read_server_pin(dir, pin, &err) || pin.url.empty())
            return usage_error("sync", "no --server given and the device is not enrolled (" + err + ")");
        url = pin.url;
    }
    opt.status.program = std::string("teilhabe ") + TK_VERSION;
    SyncResult r = sync_once(*v, url, [quiet](int64_t done, int64_t total) {
        if (quiet) return;
        int width = 30, fill = total > 0 ? (int)(width * done / total) : width;
        std::fprintf(stderr, "\r[%.*s%*s] %lld / %lld", fill, "##############################", width - fill, "",
                     (long long)done, (long long)total);
        std::fflush(stderr);
    }, opt);
    if (!quiet) std::fprintf(stderr, "\n");
    std::printf("sent %lld, stored %lld, already held %lld, synced up to record %llu, %lld unsynced\n",
                (long long)r.sent, (long long)r.stored, (long long)r.duplicates, (unsigned long long)r.acked_seq,
                (long long)r.remaining);
    if (!r.ok) {
        std::fprintf(stderr, "teilhabe sync: %s\n", r.error.c_str());
        return 1;
    }
    return 0;
}

// --drill-drop SEQ leaves one record out of an otherwise properly signed bundle, so staff and
// tests can rehearse what the server does with a broken chain. Not for normal use.
static bool export_dropping(Vault& v, const std::string& out, uint64_t drop, int64_t* n, std::string* err) {
    DeviceIdentity id;
    bool created = false;
    if (!load_or_create_device(v.dir() + "/device.key", false, id, &created, err)) return false;
    std::vector<Record> recs;
    if (!v.read_records(synced_seq(v), BundleLimits{}.max_records, recs, err)) return false;
    std::erase_if(recs, [drop](const Record& r) { return r.seq == drop; });
    std::vector<uint8_t> b = make_bundle(recs, id.sk, (uint64_t)std::time(nullptr));
    *n = (int64_t)recs.size();
    return write_file_atomic(out, std::string(b.begin(), b.end()), 0600, false, err);
}

static int run_export(const Args& in) {
    Args a = in;
    std::string dir = take_option(a, "--data"), out = take_option(a, "--out"), drop = take_option(a, "--drill-drop");
    if (dir.empty() || out.empty() || !a.empty()) return usage_error("export-bundle", "usage: --data DIR --out FILE");
    int rc = 0;
    auto v = open_existing("export-bundle", dir, &rc);
    if (!v) return rc;
    int64_t n = 0;
    std::string err;
    DeviceStatus known;
    known.program = std::string("teilhabe ") + TK_VERSION;
    bool ok = drop.empty() ? export_bundle(*v, out, &n, &err, &known)
                           : export_dropping(*v, out, std::strtoull(drop.c_str(), nullptr, 10), &n, &err);
    if (!ok) {
        std::fprintf(stderr, "teilhabe export-bundle: %s\n", err.c_str());
        return 1;
    }
    std::printf("%s: %lld unsynced records. They stay unsynced until the server's receipt is applied "
                "(teilhabe receipt apply) or a network sync confirms them.\n", out.c_str(), (long long)n);
    return 0;
}

static int run_receipt(const Args& in) {
    Args a = in;
    std::string dir = take_option(a, "--data");
    if (dir.empty() || a.size() != 1) return usage_error("receipt apply", "usage: --data DIR FILE");
    int rc = 0;
    auto v = open_existing("receipt apply", dir, &rc);
    if (!v) return rc;
    std::string bytes, err;
    if (!read_file_at_most(a[0], kKeyFileMax, bytes, &err)) return usage_error("receipt apply", err);
    ReceiptOutcome o = apply_receipt(*v, (const uint8_t*)bytes.data(), bytes.size());
    if (o.effect == ReceiptEffect::Refused || o.effect == ReceiptEffect::OtherDevice) {
        std::fprintf(stderr, "teilhabe receipt apply: %s: %s\n", a[0].c_str(), o.error.c_str());
        return 1;
    }
    VaultStatus s = v->status();
    std::printf("%s: server holds this device up to record %llu; %lld records unsynced\n", a[0].c_str(),
                (unsigned long long)o.acked, (long long)s.unsynced);
    if (o.effect == ReceiptEffect::Resend)
        std::printf("The server had lost records %llu..%llu (restored from an older backup?): they are unsynced again; "
                    "export or sync again (the server counts none twice).\n",
                    (unsigned long long)o.acked + 1, (unsigned long long)o.before);
    return 0;
}

static int run_provision(const Args& in) {
    Args a = in;
    std::string dir = take_option(a, "--data");
    SyncOptions opt;
    int rc = 0;
    if (!take_tls_options("provision", a, dir, opt.tls, &rc)) return rc;
    if (dir.empty() || a.size() != 1)
        return usage_error("provision", "usage: --data DIR [--ca CERT.pem | --pin sha256/KEY] FILE (teilhabe-provision.json)");
    Provision p;
    std::string err;
    if (!read_provision(a[0], p, &err)) return usage_error("provision", err);
    ProvisionResult r = apply_provision(dir, p, opt);
    if (!r.ok) {
        std::fprintf(stderr, "teilhabe provision: %s\n", r.error.c_str());
        return 1;
    }
    if (r.already_enrolled) std::printf("%s is enrolled already; research key %s. Nothing was sent.\n", dir.c_str(), r.research_key.c_str());
    else print_enrolled(p.server, r.enrol, r.research_key);
    return 0;
}

static Command enrol_cmd("enrol", "--data DIR --server URL --code CODE [--ca CERT.pem | --pin sha256/KEY] [--research-pub FILE]",
                         "pair this kiosk with the research server (one-time code); sets up a new kiosk data folder "
                         "with --research-pub. https: --ca trusts the CA that issued the server's certificate, --pin the "
                         "server's own key (`teilhabe-server pin`); saved in DIR (server-ca.pem, server-pin) for later syncs",
                         run_enrol);
static Command provision_cmd("provision", "--data DIR [--ca CERT.pem | --pin sha256/KEY] FILE",
                             "set up and enrol a kiosk data folder from a teilhabe-provision.json (packaging/DEPLOY.md); "
                             "a CA named in the file wins over --ca/--pin",
                             run_provision);
static Command sync_cmd("sync", "--data DIR [--server URL] [--batch N] [--ca CERT.pem | --pin sha256/KEY] [--quiet]",
                        "upload unsynced records; marks them synced on the server's receipt. Without --ca/--pin the "
                        "settings saved at enrolment are used",
                        run_sync);
static Command export_cmd("export-bundle", "--data DIR --out FILE", "write unsynced records to a signed bundle (USB stick)", run_export);
static Command receipt_cmd("receipt apply", "--data DIR FILE", "mark records synced by a receipt from `teilhabe-server import`", run_receipt);
