// export_csv.h - responses as a CSV table for analysis, plus its codebook.
//
// One row per response. Fixed columns first (kCsvFixedColumns: id, channel, site, event,
// language, started, finished, complete, then who handled it - the paper sheet id, the
// interviewer of an assisted interview, the paper's two enterers and resolver, empty where the
// channel has none), then the survey's answer columns in survey order with LimeSurvey-style
// headings, so the table lines up with what the study's LimeSurvey export looked like:
//   single, yesno, rating, text, numeric, date   Q
//   "andere, und zwar" text / comment             Q[other] / Q[comment]
//   multiple choice                               Q[OPT] per option ("Y" chosen, "N" not)
//   matrix (one scale) / multi_text / numeric     Q[ROW]
//   matrix dual scale                             Q[ROW][1], Q[ROW][2]
//   matrix with number or text cells              Q[ROW_COL]
//   ranking / ranked list                         Q[1], Q[2], ... (rank 1 = most important)
// How a question that was skipped, not shown, not reached (a partial response ended before
// it), answered "keine Antwort", or on paper illegible or marked twice is written is set in
// CsvOptions and explained in the codebook, which also
// names the survey (id, version, hash). The file is RFC 4180 (CRLF, quotes doubled).
#pragma once
#include <string>
#include <vector>

#include "research.h"
#include "response.h"
#include "survey.h"

namespace tk {

struct CsvOptions {
    bool bom = false;               // start with a UTF-8 byte order mark (for spreadsheet programs)
    char separator = ',';           // ';' for spreadsheets set to German
    bool decimal_comma = false;     // numeric answers as "42,5" (spreadsheets set to German)
    std::string skipped = "";       // shown, left unanswered
    std::string not_shown = "NA";   // hidden by a condition (or not in the response's survey version)
    std::string not_reached = "NR"; // a partial response ended before the question
    std::string no_answer = "KA";   // "keine Antwort" chosen explicitly
    std::string illegible = kIllegible;       // paper: "unleserlich"
    std::string multiple = kMultipleMarked;   // paper: "mehrfach angekreuzt"
};

// `--excel-de`: what a spreadsheet program set to German opens without an import dialog:
// ';' between fields, a BOM (else it guesses the encoding wrong), decimal comma.
void set_excel_de(CsvOptions& opt);

// The fixed columns, in order; the answer columns follow. The last five come from the
// response's meta (surveys/RESPONSE.md): "sheet", "interviewer", "enterer1", "enterer2", "resolver".
inline constexpr const char* kCsvFixedColumns[] = {"id",       "channel",     "site",     "event",    "language",
                                                   "started",  "finished",    "complete", "sheet",    "interviewer",
                                                   "enterer1", "enterer2",    "resolver"};
inline constexpr size_t kCsvFixedCount = sizeof(kCsvFixedColumns) / sizeof(kCsvFixedColumns[0]);

struct CsvColumn {
    std::string heading;    // "G1[other]"
    std::string question;   // "G1" ("" for the fixed columns)
    std::string part;       // "" | option / row code | "ROW#1" | "ROW_COL" | "other" | "comment" | rank "1"
};

// The answer columns of a survey (without the fixed columns).
std::vector<CsvColumn> csv_columns(const Survey& s);

// The whole CSV text.
std::string export_csv(const Survey& s, const std::vector<DecryptedResponse>& responses, const CsvOptions& opt);

// One RFC 4180 field: quoted when it holds the separator, a quote, CR or LF (or starts or ends
// with a space, which spreadsheet programs would otherwise trim).
std::string csv_field(const std::string& v, char separator);

// The codebook: the survey's id, version and hash; every code a cell can hold beside the
// survey's own (skipped, not shown, not reached, "keine Antwort", -oth-, -ill-, -mult-) with its meaning
// and how `opt` writes it; then every column with its question code, the question text in the
// survey's original language, the type, and option codes with their labels. `markdown` = a
// Markdown document, else CSV (with the data's separator and BOM).
std::string export_codebook(const Survey& s, const CsvOptions& opt, bool markdown);

} // namespace tk
