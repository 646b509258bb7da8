// cmd_survey_update.cpp - `teilhabe survey sign` (research team) and `teilhabe survey fetch`
// (kiosk/coordinator): survey updates that only install when the research signature verifies.
#include <cstdio>
#include <cstdlib>
#include <termios.h>
#include <unistd.h>

#include "files.h"
#include "keys.h"
#include "survey_update.h"
#include "tls_options.h"
#include "command.h"
#include "research_key.h"

using namespace tk;
using namespace tk::cli;

static std::string base_name(const std::string& p) {
    size_t s = p.find_last_of('/');
    return s == std::string::npos ? p : p.substr(s + 1);
}

static int run_sign(const Args& in) {
    Args a = in;
    std::string key = take_option(a, "--key");
    if (key.empty() || a.size() != 1) return usage_error("survey sign", "usage: --key research.key FILE");
    std::string bytes, err, pass;
    if (!read_file_at_most(a[0], kKeyFileMax, bytes, &err)) return usage_error("survey sign", err);
    std::string perr;
    if (!research_passphrase(pass, &perr)) return usage_error("survey sign", perr);
    ResearchSecretKey sk;
    if (!load_research_secret(key, pass, sk, &err)) {
        std::fprintf(stderr, "teilhabe survey sign: %s\n", err.c_str());
        return 1;
    }
    std::string sig = sign_survey_file(base_name(a[0]), bytes, sk.sign_sk);
    if (!write_file_atomic(a[0] + ".sig", sig, 0644, true, &err)) {
        std::fprintf(stderr, "teilhabe survey sign: %s\n", err.c_str());
        return 2;
    }
    std::printf("%s.sig written (research key %s). Copy both files into the server's DATA/surveys/.\n", a[0].c_str(),
                research_fingerprint(sk.pub).c_str());
    return 0;
}

static int run_fetch(const Args& in) {
    Args a = in;
    std::string dir = take_option(a, "--data"), url = take_option(a, "--server"), out = take_option(a, "--out");
    SyncOptions opt;
    int rc = 0;
    if (!take_tls_options("survey fetch", a, dir, opt.tls, &rc)) return rc;
    if (dir.empty() || url.empty() || out.empty() || !a.empty())
        return usage_error("survey fetch", "usage: --data DIR --server URL --out SURVEY_DIR [--ca CERT.pem | --pin sha256/KEY]");
    ResearchPublicKey pub;
    std::string err;
    if (!load_research_public(dir + "/research.pub", pub, &err)) return usage_error("survey fetch", err);
    SurveyUpdateResult r = fetch_survey_update(url, out, pub, opt);
    if (!r.ok) {
        std::fprintf(stderr, "teilhabe survey fetch: %s\n", r.error.c_str());
        return 1;
    }
    for (auto& n : r.applied) std::printf("installed  %s\n", n.c_str());
    for (auto& n : r.unchanged) std::printf("unchanged  %s\n", n.c_str());
    for (auto& n : r.refused) std::printf("REFUSED    %s\n", n.c_str());
    return r.refused.empty() ? 0 : 1;
}

static Command sign_cmd("survey sign", "--key research.key FILE", "sign a survey file for distribution (writes FILE.sig)", run_sign);
static Command fetch_cmd("survey fetch", "--data DIR --server URL --out DIR [--ca CERT.pem | --pin sha256/KEY]",
                         "install survey updates whose research signature verifies (TLS settings as for sync)", run_fetch);
