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
// A table of the sample (responses per channel, site, language, event, status) opens the page.
// Cross-tables of two questions (counts, row and column %, Pearson's chi² with df and p where
// the cells allow it) come first when asked for, then the breakdowns of every closed question
// by site, channel, event or language (ReportOptions::by). Every percentage has its Wilson 95 % interval
// beside it. Beside each question's n stand three
// counts outside it: skipped (shown, left unanswered), not shown (hidden by a condition) and
// not reached (a partial response ended before it).
//
// The page needs nothing from outside: styles and a small script are inline (report_page.cpp).
// The script lets the reader narrow the figures by channel, site, language, event and
// complete/partial (the same filters the command line offers; those are applied before
// anything is counted). See sync/research/RESEARCH.md.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "report_stats.h"
#include "research.h"
#include "survey.h"

namespace tk {

struct ReportOptions {
    std::string channel, site, language, event; // only responses with these values ("" = all)
    std::string status;                         // "complete", "partial" or "" (both)
    std::string title;                          // page title ("" = the survey's title)
    // Cross-tables: (rows, columns), each a closed question with one answer per response or
    // one row of a matrix ("C1", "F4[SQ001]"); see report_crosstab_problem.
    std::vector<std::pair<std::string, std::string>> crosstabs;
    // Breakdowns: "site", "channel", "event", "language" or "status" (repeatable). Each one is
    // a cross-table of every closed question with one answer per response (and every matrix row)
    // by that side: counts, column % with Wilson intervals, chi², after the crosstabs asked for.
    // Multiple choice cannot be one side of a cross-table and is left out.
    std::vector<std::string> by;
};

// "" when `id` can be one side of a cross-table, else why not (English, for the command line).
std::string report_crosstab_problem(const Survey& s, const std::string& id);

// Whether a response passes the options' filters (the command line counts the matches first:
// a filter that matches nothing is a mistake to report, not an empty page).
bool report_keeps(const Response& r, const ReportOptions& opt);
// Whether any filter is set.
bool report_filtered(const ReportOptions& opt);

// Tallies of another survey should be left out by the caller, as responses are. The filters:
// --site keeps the tallies whose place is that site, --event those of that event; --channel
// other than "tally", --lang and --status leave the tallies out (a show of hands has no
// language and is neither complete nor partial).
std::string render_report(const Survey& s, const std::vector<DecryptedResponse>& responses,
                          const std::vector<DecryptedTally>& tallies, const ReportOptions& opt);
// Without tallies.
std::string render_report(const Survey& s, const std::vector<DecryptedResponse>& responses, const ReportOptions& opt);

} // namespace tk
