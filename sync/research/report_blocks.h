// report_blocks.h - inside the report (not for other libraries): the blocks every figure is
// counted in, and the functions the report's files share.
//   Block, Section        one table of one question; one question with its blocks and the
//                         responses outside its n (report.cpp builds them)
//   build_section         the blocks of one question over some responses (report.cpp)
//   esc, channel_name     HTML text and the channels' German names (report_html.cpp)
//   render_composition    the sample by channel, site, language, event, status (report_html.cpp)
//   render_sections, render_tallies   the questions' and the event tallies' HTML (report_html.cpp)
//   render_voided_tallies             the tallies a void record took back (report_html.cpp)
//   chi_square_text, render_crosstabs  the cross-tables asked for (report_crosstab.cpp)
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "report.h"

namespace tk::report_parts {

enum class Kind { Count, Number, Text };

struct BlockRow {
    std::string key, code, label;
};

struct Block {
    std::string id;          // "C1", "F4[SQ001]", "G1[other]", "D4[2]"
    std::string title;       // sub-heading ("" = the question's own table)
    Kind kind = Kind::Count;
    bool multi = false;      // multiple choice: one response may count in several rows
    bool grouped = false;    // rows are the distinct texts ("andere" texts, ranked lists)
    bool listed = false;     // grouped, and the texts are listed too (with record ids, for coding)
    std::string base;        // block whose n is the denominator ("" = own n)
    std::vector<BlockRow> rows;
    std::vector<int> counted;                          // responses in this block's n
    std::vector<std::pair<int, std::string>> entries;  // (response, key / value / text), one per thing counted
    std::vector<int> ka;                               // text blocks: responses with "keine Antwort" (in n, no text)
    int grid = 0;            // a row of a choice matrix: 1 = first scale, 2 = second; drawn as one grid
    std::string row_label;   // that row's text
};

struct Section {
    const Question* q = nullptr;
    std::vector<Block> blocks;
    std::vector<int> skipped, hidden, unreached; // not in n: shown and left, hidden by a condition, never got there
    int answered = 0;
};

bool contains(const std::vector<std::string>& v, const std::string& x);
std::vector<BlockRow> option_rows(const std::vector<Option>& opts, const std::string& L);
// The blocks of one question over the responses `idx` (indices into `rs`).
Section build_section(const Survey& s, const Question& q, const std::vector<const DecryptedResponse*>& rs,
                      const std::vector<int>& idx);

std::string esc(const std::string& t);
std::string channel_name(const std::string& c);
// "20.1–39.4": the Wilson interval in percent; "–" without an n.
std::string wilson_text(long long count, long long n);
void render_sections(std::string& h, const Survey& s, const std::vector<Section>& secs,
                     const std::vector<const DecryptedResponse*>& rs);
void render_tallies(std::string& h, const Survey& s, const std::vector<const DecryptedTally*>& ts);
// The tallies a void record took back: each with its counts, and who voided it, when and why.
void render_voided_tallies(std::string& h, const Survey& s,
                           const std::vector<std::pair<const DecryptedTally*, const DecryptedTally*>>& voided);
// The sample's composition: responses per channel, site, language, event and status, each
// with % of all and interval. `rows` holds those five values per response (the page data's "r").
void render_composition(std::string& h, const std::vector<std::vector<std::string>>& rows);
std::string status_name(const std::string& v);

// "χ² = 5.77 · df = 1 · p = 0.016", or why it is not given.
std::string chi_square_text(const ChiSquare& x);
// The cross-tables of opt.crosstabs, from the sections' blocks; data["x"] gets what the page's
// script needs to count them again.
// A side may also be one of kSampleSides: the responses' channel, site, ... (`sample`, as for
// render_composition), which gives the breakdown of a question per site and so on.
extern const char* const kSampleSides[5];
void render_crosstabs(std::string& h, const Survey& s, const std::vector<Section>& secs,
                      const std::vector<std::vector<std::string>>& sample, const ReportOptions& opt,
                      nlohmann::json& data);

} // namespace tk::report_parts
