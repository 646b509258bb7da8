// cmd_delphi_print.cpp - `teilhabe delphi print`: personalised paper questionnaires of a Delphi
// round, one PDF per participant code, and one without personal data (delphi_paper.h).
//
// The codes come from `delphi invite`'s codes.txt (or any file of one code a line; '#' lines
// and blank lines are skipped). Each code costs one Argon2id derivation, so a line of progress
// is printed as the forms are made.
#include <cstdio>
#include <filesystem>
#include <unistd.h>

#include "command.h"
#include "delphi.h"
#include "delphi_paper.h"
#include "files.h"
#include "survey.h"

namespace tk::cli {

// codes.txt: every line a code, checked; false with the first bad line named.
static bool read_codes(const std::string& path, std::vector<std::string>& codes, std::string* error) {
    std::string text;
    if (!read_file_at_most(path, 4 << 20, text, error)) return false;
    size_t at = 0, line = 0;
    while (at < text.size()) {
        size_t nl = text.find('\n', at);
        if (nl == std::string::npos) nl = text.size();
        std::string l = text.substr(at, nl - at);
        at = nl + 1;
        ++line;
        size_t a = l.find_first_not_of(" \t\r");
        if (a == std::string::npos || l[a] == '#') continue;
        std::string c = delphi::normalize_code(l);
        if (c.empty() || !delphi::code_ok(c)) {
            *error = path + ":" + std::to_string(line) + ": not a participant code (" +
                     (c.empty() ? "not 21 letters and digits" : "its check symbol does not match") +
                     "); fix or remove the line";
            return false;
        }
        codes.push_back(c);
    }
    if (codes.empty()) {
        *error = path + ": no codes in the file";
        return false;
    }
    return true;
}

static int run_delphi_print(const Args& in) {
    Args a = in;
    const char* verb = "delphi print";
    std::string survey = take_option(a, "--survey"), pack_path = take_option(a, "--pack");
    std::string codes_path = take_option(a, "--codes"), dir = take_option(a, "--out"), lang = take_option(a, "--lang");
    bool large = take_flag(a, "--large"), simplex = take_flag(a, "--simplex"), force = take_flag(a, "--force");
    if (!a.empty() || survey.empty() || pack_path.empty() || codes_path.empty() || dir.empty())
        return usage_error(verb, "usage: --survey ROUND2.json --pack FEEDBACK.delphi --codes codes.txt --out DIR "
                                 "[--lang L] [--large] [--simplex] [--force]");
    // The forms of an earlier run may be printed and handed out already: do not replace them unnoticed.
    if (!force && ::access((dir + "/ohne-code.pdf").c_str(), F_OK) == 0)
        return usage_error(verb, dir + " holds forms already (ohne-code.pdf); choose another --out, or add --force "
                                 "to replace them");
    int rc = 0;
    auto s = load_survey_or_report(verb, survey, &rc);
    if (!s) return rc;
    std::string bytes, err;
    if (!read_file_at_most(pack_path, delphi::kFeedbackPackMax, bytes, &err)) return usage_error(verb, err);
    delphi::FeedbackPack pack;
    if (!delphi::read_feedback_pack(bytes, pack, &err)) return usage_error(verb, pack_path + ": " + err);
    std::vector<std::string> codes;
    if (!read_codes(codes_path, codes, &err)) return usage_error(verb, err);
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return usage_error(verb, dir + ": cannot make the folder: " + ec.message());
    DelphiPrintOptions opt;
    opt.lang = lang;
    opt.large = large;
    opt.simplex = simplex;
    // One line every tenth of the way (and at the end): a log stays short, a terminal shows progress.
    opt.progress = [](size_t done, size_t total) {
        if (done == total || (total >= 10 && done % (total / 10) == 0))
            std::fprintf(stderr, "%zu of %zu forms\n", done, total);
    };
    DelphiPrintResult r;
    if (!print_delphi_forms(*s, pack, codes, dir, opt, r)) return usage_error(verb, r.error);
    for (const auto& f : r.files) std::printf("%s\n", f.c_str());
    std::fprintf(stderr, "%s: %zu personal form(s) (%zu with own answers of stage %d, the others had no entry), "
                         "and %s for anyone without a code\n",
                 dir.c_str(), r.files.size(), r.personal, pack.from_round, r.without_code.c_str());
    return 0;
}

static Command delphi_print_cmd("delphi print",
                                "--survey ROUND2.json --pack FEEDBACK.delphi --codes codes.txt --out DIR [--lang L] "
                                "[--large] [--simplex] [--force]",
                                "personalised paper forms of a Delphi round: per code DIR/<first 4 symbols>.pdf with "
                                "the own earlier answer and the group's result beside each repeated question, and "
                                "DIR/ohne-code.pdf with the group's result only",
                                run_delphi_print);

} // namespace tk::cli
