// report.h - `teilhabe report`: one self-contained HTML file with the results per question.
//
// Counted the way the study counted (questionnaires.md 1.0.1): a question's n is the number of
// responses that answered it - skipped and not shown are left out of n (and shown beside it),
// an explicit "keine Antwort" is an answer and stays in. Per option: count, % of n and an
// inline SVG bar. Numbers get n, mean, median, min and max. Free texts (text questions, the
// "andere" texts, comments, ranked lists) are listed with their record id for coding; the
// "andere" texts are also grouped by identical wording with counts. Event tallies (tally
// records, "teilhabe-tally/1") are summed per question and option in a section of their own,
// with the events listed; they never enter any n.
//
// The page needs nothing from outside: styles and a small script are inline. The script lets
// the reader narrow the figures by channel, site and language (the same filters the command
// line offers; those are applied before anything is counted). See sync/research/RESEARCH.md.
#pragma once
#include <string>
#include <vector>

#include "research.h"
#include "survey.h"

namespace tk {

struct ReportOptions {
    std::string channel, site, language; // only responses with these values ("" = all)
    std::string title;                   // page title ("" = the survey's title)
};

// Tallies of another survey should be left out by the caller, as responses are. The filters:
// --site keeps the tallies whose place is that site; --channel other than "tally" and --lang
// leave the tallies out (a show of hands has no language).
std::string render_report(const Survey& s, const std::vector<DecryptedResponse>& responses,
                          const std::vector<DecryptedTally>& tallies, const ReportOptions& opt);
// Without tallies.
std::string render_report(const Survey& s, const std::vector<DecryptedResponse>& responses, const ReportOptions& opt);

// "28.8": count / n in percent, one decimal, rounded half up in exact integer arithmetic
// (so 1/8 = 12.5 exactly, never 12.4 from binary floating point). "0.0" when n is 0.
std::string percent_text(long long count, long long n);

} // namespace tk
