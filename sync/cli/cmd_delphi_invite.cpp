// cmd_delphi_invite.cpp - `teilhabe delphi invite` (codes and invitation letters) and
// `teilhabe delphi check-code` (is a typed code one?).
//
// invite writes DIR/codes.txt, one formatted code a line, and DIR/letters.pdf, one letter a
// code in the same order. It never replaces a codes.txt: codes that may have been handed out
// already would be lost, and with them the participants' way to their earlier answers.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <unistd.h>

#include "command.h"
#include "delphi.h"
#include "delphi_letters.h"
#include "files.h"
#include "survey.h"

namespace tk::cli {

static int run_invite(const Args& in) {
    Args a = in;
    const char* verb = "delphi invite";
    std::string count = take_option(a, "--count"), dir = take_option(a, "--out");
    std::string survey = take_option(a, "--survey"), letter = take_option(a, "--letter");
    if (!a.empty() || count.empty() || dir.empty())
        return usage_error(verb, "usage: --count N --out DIR [--survey ROUND1.json] [--letter TEXT.md]");
    char* end = nullptr;
    long n = std::strtol(count.c_str(), &end, 10);
    if (!end || *end || n < 1 || n > 10000) return usage_error(verb, "--count must be a whole number from 1 to 10000");
    const std::string codes_path = dir + "/codes.txt", pdf_path = dir + "/letters.pdf";
    if (::access(codes_path.c_str(), F_OK) == 0)
        return usage_error(verb, codes_path + " exists already: its codes may have been handed out, and nothing "
                                 "could give them back. Choose another --out, or move the folder's codes.txt and "
                                 "letters.pdf away first if they were never used");
    LetterOptions opt;
    if (!survey.empty()) {
        int rc = 0;
        auto s = load_survey_or_report(verb, survey, &rc);
        if (!s) return rc;
        if (s->delphi.round == 0)
            return usage_error(verb, survey + " is not a round of a Delphi study (it has no \"delphi\" block); give "
                                     "the survey of round 1, or leave --survey out");
        opt.title = s->title.get(s->original_language(), s->original_language());
    }
    std::string err;
    if (!letter.empty() && !read_file_at_most(letter, 64 << 10, opt.text, &err)) return usage_error(verb, err);
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return usage_error(verb, dir + ": cannot make the folder: " + ec.message());
    std::vector<std::string> codes = delphi::make_codes(size_t(n));
    // The letters first: should the PDF fail, no codes.txt is left that blocks the next try.
    if (!print_delphi_letters(codes, opt, pdf_path, &err)) return usage_error(verb, err);
    std::string text;
    for (const auto& c : codes) text += delphi::format_code(c) + "\n";
    if (!write_file_atomic(codes_path, text, 0600, false, &err)) {
        std::remove(pdf_path.c_str()); // letters without their list cannot be matched to anything
        return usage_error(verb, err);
    }
    std::fprintf(stderr, "%s: %ld codes, one a line\n%s: %ld letters, one a page, in the same order\n"
                         "Hand the letters out; keep any list of who got which code outside these files.\n",
                 codes_path.c_str(), n, pdf_path.c_str(), n);
    return 0;
}

// Each argument a typed or scanned code: "ok K7QM-…" when its check symbol matches.
static int run_check_code(const Args& a) {
    if (a.empty()) return usage_error("delphi check-code", "usage: CODE...");
    int bad = 0;
    for (const auto& typed : a) {
        std::string c = delphi::normalize_code(typed);
        if (c.empty()) {
            std::printf("NOT A CODE  %s  (a code has 21 letters and digits)\n", typed.c_str());
            ++bad;
        } else if (!delphi::code_ok(c)) {
            std::printf("WRONG       %s  (the check symbol does not match: a symbol mistyped or two swapped)\n",
                        typed.c_str());
            ++bad;
        } else {
            std::printf("ok          %s\n", delphi::format_code(c).c_str());
        }
    }
    return bad ? 1 : 0;
}

static Command invite_cmd("delphi invite", "--count N --out DIR [--survey ROUND1.json] [--letter TEXT.md]",
                          "participant codes for a Delphi study: DIR/codes.txt (one a line) and DIR/letters.pdf "
                          "(one invitation a page, the code as text and QR code); never replaces a codes.txt",
                          run_invite);
static Command check_code_cmd("delphi check-code", "CODE...",
                              "whether each typed participant code is one (its check symbol matches)", run_check_code);

} // namespace tk::cli
