// cmd_sync.cpp - the coordinator's transport verbs: enrol, sync, export-bundle, receipt apply.
#include <cstdio>
#include <memory>

#include "../bundle.h"
#include "../enrolment.h"
#include "../keys.h"
#include "../sync_client.h"
#include "../vault.h"
#include "command.h"

using namespace tk;
using namespace tk::cli;

// The vault must exist: a typo in --data must not create an empty vault and "sync" nothing.
static std::unique_ptr<Vault> open_existing(const char* verb, const std::string& dir, int* rc) {
    VaultOpenOptions o;
    o.create = false;
    std::string err;
    auto v = Vault::open(dir, o, &err);
    if (!v) *rc = usage_error(verb, dir + ": " + err);
    return v;
}

static int run_enrol(const Args& in) {
    Args a = in;
    std::string dir = take_option(a, "--data"), url = take_option(a, "--server"), code = take_option(a, "--code");
    SyncOptions opt;
    opt.ca_file = take_option(a, "--ca");
    if (dir.empty() || url.empty() || code.empty() || !a.empty())
        return usage_error("enrol", "usage: --data DIR --server URL --code CODE [--ca CERT.pem]");
    int rc = 0;
    if (!open_existing("enrol", dir, &rc)) return rc; // makes sure device.key exists
    std::string fp, err;
    if (!enrol_device(dir, url, code, opt, &fp, &err)) {
        std::fprintf(stderr, "teilhabe enrol: %s\n", err.c_str());
        return 1;
    }
    std::printf("Enrolled with %s. Server fingerprint %s (compare it with `teilhabe-server status`).\n", url.c_str(), fp.c_str());
    return 0;
}

static int run_sync(const Args& in) {
    Args a = in;
    std::string dir = take_option(a, "--data"), url = take_option(a, "--server"), batch = take_option(a, "--batch");
    SyncOptions opt;
    opt.ca_file = take_option(a, "--ca");
    bool quiet = take_flag(a, "--quiet");
    if (!batch.empty()) opt.batch = (size_t)std::strtoul(batch.c_str(), nullptr, 10);
    if (dir.empty() || !a.empty() || opt.batch == 0)
        return usage_error("sync", "usage: --data DIR [--server URL] [--batch N] [--ca CERT.pem] [--quiet]");
    int rc = 0;
    auto v = open_existing("sync", dir, &rc);
    if (!v) return rc;
    if (url.empty()) {
        ServerPin pin;
        std::string err;
        if (!read_server_pin(dir, pin, &err) || pin.url.empty())
            return usage_error("sync", "no --server given and the device is not enrolled (" + err + ")");
        url = pin.url;
    }
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

static int run_export(const Args& in) {
    Args a = in;
    std::string dir = take_option(a, "--data"), out = take_option(a, "--out");
    if (dir.empty() || out.empty() || !a.empty()) return usage_error("export-bundle", "usage: --data DIR --out FILE");
    int rc = 0;
    auto v = open_existing("export-bundle", dir, &rc);
    if (!v) return rc;
    int64_t n = 0;
    std::string err;
    if (!export_bundle(*v, out, &n, &err)) {
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
    if (!read_small_file(a[0], bytes, &err)) return usage_error("receipt apply", err);
    uint64_t acked = 0;
    if (!apply_receipt(*v, (const uint8_t*)bytes.data(), bytes.size(), &acked, &err)) {
        std::fprintf(stderr, "teilhabe receipt apply: %s: %s\n", a[0].c_str(), err.c_str());
        return 1;
    }
    VaultStatus s = v->status();
    std::printf("%s: server holds this device up to record %llu; %lld records unsynced\n", a[0].c_str(),
                (unsigned long long)acked, (long long)s.unsynced);
    return 0;
}

static Command enrol_cmd("enrol", "--data DIR --server URL --code CODE", "pair this kiosk with the research server (one-time code)", run_enrol);
static Command sync_cmd("sync", "--data DIR [--server URL]", "upload unsynced records; marks them synced on the server's receipt", run_sync);
static Command export_cmd("export-bundle", "--data DIR --out FILE", "write unsynced records to a signed bundle (USB stick)", run_export);
static Command receipt_cmd("receipt apply", "--data DIR FILE", "mark records synced by a receipt from `teilhabe-server import`", run_receipt);
