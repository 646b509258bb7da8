// cmd_delphi_report.cpp - `teilhabe delphi report`: the analysis of a two-round Delphi study
// (sync/delphi/delphi_analysis.h) from the responses.jsonl that `teilhabe decrypt` wrote for each
// round, as one HTML page and, with --csv DIR, the per-item table as DIR/delphi-items.csv.
// Both hold answers' figures of a few people, so they are written readable by the owner only.
#include <cerrno>
#include <cstdio>
#include <sys/stat.h>

#include "command.h"
#include "delphi_analysis.h"
#include "files.h"
#include "research.h"
#include "survey.h"

using namespace tk;
using namespace tk::cli;

static const char* const kUsage =
    "--round1 R1.jsonl --survey1 S1.json --round2 R2.jsonl --survey2 S2.json --out report.html [--csv DIR] "
    "[--title T] [--force]";

// The responses of `path` to survey `s`; the others are left out and counted on stderr.
static bool load_round(const char* verb, const std::string& path, const Survey& s, std::vector<Response>& out, int* rc) {
    JsonlRead jr;
    std::string err;
    if (!read_responses_jsonl(path, jr, &err)) {
        *rc = usage_error(verb, err);
        return false;
    }
    for (const std::string& e : jr.errors) std::fprintf(stderr, "teilhabe %s: %s\n", verb, e.c_str());
    if (!jr.errors.empty()) *rc = 1;
    size_t other = 0;
    for (DecryptedResponse& d : jr.responses) {
        if (d.response.survey_id != s.id) other++;
        else out.push_back(std::move(d.response));
    }
    if (other)
        std::fprintf(stderr, "teilhabe %s: %s: %zu responses belong to another survey than '%s' and are left out\n", verb,
                     path.c_str(), other, s.id.c_str());
    return true;
}

static int run_delphi_report(const Args& in) {
    Args a = in;
    const char* verb = "delphi report";
    std::string p1 = take_option(a, "--round1"), s1p = take_option(a, "--survey1"), p2 = take_option(a, "--round2"),
                s2p = take_option(a, "--survey2"), out = take_option(a, "--out"), csv = take_option(a, "--csv"),
                title = take_option(a, "--title");
    bool force = take_flag(a, "--force");
    if (p1.empty() || s1p.empty() || p2.empty() || s2p.empty() || out.empty() || !a.empty())
        return usage_error(verb, std::string("usage: ") + kUsage);
    int rc = 0, rc1 = 0, rc2 = 0;
    auto s1 = load_survey_or_report(verb, s1p, &rc);
    if (!s1) return rc;
    auto s2 = load_survey_or_report(verb, s2p, &rc);
    if (!s2) return rc;
    std::vector<Response> r1, r2;
    if (!load_round(verb, p1, *s1, r1, &rc1)) return rc1;
    if (!load_round(verb, p2, *s2, r2, &rc2)) return rc2;
    if (r1.empty())
        return usage_error(verb, p1 + ": no response to '" + s1->id + "'; is it round 1's responses.jsonl of this survey?");
    delphi::DelphiAnalysis an;
    std::string err;
    if (!delphi::analyse_delphi(*s1, r1, *s2, r2, an, &err)) return usage_error(verb, err);
    for (const std::string& n : an.notes) std::fprintf(stderr, "teilhabe %s: note: %s\n", verb, n.c_str());
    if (title.empty()) title = "Delphi-Auswertung: " + s1->delphi.study;
    std::string html = delphi::render_delphi_report(an, title);
    if (!write_file_atomic(out, html, 0600, force, &err))
        return usage_error(verb, err + (force ? "" : " (use --force to replace an existing file)"));
    std::string csv_path;
    if (!csv.empty()) {
        if (::mkdir(csv.c_str(), 0700) != 0 && errno != EEXIST)
            return usage_error(verb, csv + ": cannot make the folder for --csv");
        csv_path = csv + "/delphi-items.csv";
        if (!write_file_atomic(csv_path, delphi::delphi_items_csv(an), 0600, force, &err))
            return usage_error(verb, err + (force ? "" : " (use --force to replace an existing file)"));
    }
    int flagged = 0;
    for (const auto& c : an.changes) flagged += c.flagged;
    std::printf("round 1: n = %d, round 2: n = %d, %d of %d came back; %zu repeated items (%d changed by more than 5 "
                "points); written to %s%s\n",
                an.round1.n, an.round2.n, an.returned, an.returned + an.left, an.changes.size(), flagged, out.c_str(),
                csv_path.empty() ? "" : (" and " + csv_path).c_str());
    return rc1 ? rc1 : rc2;
}

static Command delphi_report_cmd("delphi report", kUsage,
                                 "a two-round Delphi study's analysis as one HTML page (n, consensus per item, "
                                 "stability with Wilcoxon's signed-rank test, attrition, the study's expertise and "
                                 "repeated-items rules); --csv DIR: the per-item table as DIR/delphi-items.csv",
                                 run_delphi_report);
