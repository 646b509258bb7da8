// cmd_vault.cpp - `teilhabe vault status|verify|backup|restore`: look into a kiosk's vault,
// copy it and put a copy back. None needs any secret: the vault holds only sealed records, so a
// backup is as safe to carry as a bundle. device.key is not in the backup (it is a secret).
#include <cstdio>

#include "command.h"
#include "vault.h"

namespace tk::cli {

static std::unique_ptr<Vault> open_existing(const char* verb, Args& args, int* rc) {
    std::string dir = take_option(args, "--data");
    if (dir.empty()) {
        *rc = usage_error(verb, "missing --data DIR");
        return nullptr;
    }
    if (!args.empty()) {
        *rc = usage_error(verb, "unexpected argument '" + args[0] + "'");
        return nullptr;
    }
    VaultOpenOptions opt;
    opt.create = false;
    std::string error;
    auto v = Vault::open(dir, opt, &error);
    if (!v) *rc = usage_error(verb, "cannot open the vault: " + error);
    return v;
}

static void print_counts(const char* title, const std::map<std::string, int64_t>& m) {
    std::printf("%s:\n", title);
    if (m.empty()) std::printf("  (none)\n");
    for (auto& [k, n] : m) std::printf("  %-48s %lld\n", k.empty() ? "(none)" : k.c_str(), (long long)n);
}

static int run_status(const Args& args_in) {
    Args args = args_in;
    int rc = 0;
    auto v = open_existing("vault status", args, &rc);
    if (!v) return rc;
    VaultStatus s = v->status();
    std::printf("vault          %s/vault.sqlite (schema %d)\n", v->dir().c_str(), s.schema_version);
    std::printf("device         %s (id %s)\n", s.device_fingerprint.c_str(), s.device_id.c_str());
    std::printf("research key   %s%s\n", s.research_key_fingerprint.empty() ? "(none pinned)" : s.research_key_fingerprint.c_str(),
                s.demo_key ? "  DEMO KEY - not for real answers" : "");
    std::printf("records        %lld\n", (long long)s.records);
    std::printf("unsynced       %lld\n", (long long)s.unsynced);
    std::printf("quarantined    %lld%s\n", (long long)s.quarantined, s.quarantined ? "  (damaged, never sent; see alarms)" : "");
    std::printf("last sync      %s\n", s.last_sync.empty() ? "never" : s.last_sync.c_str());
    std::printf("chain head     %s\n", s.chain_head.empty() ? "(empty)" : (std::to_string(s.head_seq) + " " + s.chain_head).c_str());
    print_counts("by survey", s.by_survey);
    print_counts("by channel", s.by_channel);
    print_counts("by site", s.by_site);
    // Pending records and their alarms live in the kiosk's memory; this process sees only
    // the file, so it reports what the file shows.
    std::printf("alarms         %s\n", s.alarms.empty() ? "none" : "");
    for (auto& a : s.alarms) std::printf("  %s\n", a.c_str());
    return 0;
}

static int run_verify(const Args& args_in) {
    Args args = args_in;
    int rc = 0;
    auto v = open_existing("vault verify", args, &rc);
    if (!v) return rc;
    VerifyReport r = v->verify();
    for (auto& p : r.problems) std::printf("PROBLEM: %s\n", p.c_str());
    std::printf("%s: %lld records checked, %zu problem(s)\n", r.ok ? "ok" : "NOT OK", (long long)r.records_checked,
                r.problems.size());
    return r.ok ? 0 : 1;
}

static int run_backup(const Args& args_in) {
    Args args = args_in;
    std::string out = take_option(args, "--out");
    if (out.empty()) return usage_error("vault backup", "missing --out FILE");
    int rc = 0;
    // Opened (and so checked) first; the copy is taken while the kiosk may go on writing.
    auto v = open_existing("vault backup", args, &rc);
    if (!v) return rc;
    std::string err;
    if (!sqlite_backup(v->dir() + "/" + Vault::kFile.db_name, out, &err)) {
        std::fprintf(stderr, "teilhabe vault backup: %s\n", err.c_str());
        return 1;
    }
    std::printf("%s: backup of %s (%lld records). device.key is not in it: keep it with the kiosk.\n", out.c_str(),
                v->dir().c_str(), (long long)v->status().records);
    return 0;
}

static int run_restore(const Args& args_in) {
    Args args = args_in;
    std::string dir = take_option(args, "--data");
    if (dir.empty() || args.size() != 1) return usage_error("vault restore", "usage: --data DIR FILE");
    std::string err, kept;
    if (!restore_store(dir, Vault::kFile, args[0], &kept, &err)) {
        std::fprintf(stderr, "teilhabe vault restore: %s\n", err.c_str());
        return 1;
    }
    std::printf("%s: restored from %s%s%s. The kiosk checks and migrates it at its next start.\n", dir.c_str(),
                args[0].c_str(), kept.empty() ? "" : "; the replaced vault is kept as ", kept.c_str());
    return 0;
}

static Command status_cmd("vault status", "--data DIR", "counts, unsynced records, chain head and alarms of a vault",
                          run_status);
static Command verify_cmd("vault verify", "--data DIR",
                          "check integrity, record chain and signatures (exit 0 ok, 1 problems, 2 cannot open)",
                          run_verify);
static Command backup_cmd("vault backup", "--data DIR --out FILE",
                          "consistent copy of the vault (new file, mode 0600), also while the kiosk runs; integrity-checked",
                          run_backup);
static Command restore_cmd("vault restore", "--data DIR FILE",
                           "put a backup back after checking it (refused while the kiosk runs); the replaced vault is kept",
                           run_restore);

} // namespace tk::cli
