// lss_responses.h - LimeSurvey response data: .lsr files in, VV files out (and back in).
//
// A .lsr file (inside a .lsa archive) is a dump of LimeSurvey's response table: one <row>
// per response, one element per column. A VV ("vertical verification") file is what
// LimeSurvey's "Import a VV survey file" reads: tab separated, line 1 human-readable
// column labels, line 2 the column names, then one line per response. We keep NULL (the
// question was not shown / never reached) apart from "" (shown, left empty), exactly as
// LimeSurvey does: NULL is written `{question_not_shown}`.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "lss_import.h"
#include "response.h"
#include "survey.h"

namespace tk {

using LsValue = std::optional<std::string>; // nullopt = NULL

struct LsResponses {
    std::vector<std::string> fields;           // column names (e.g. "id", "942944X213X3527")
    std::vector<std::string> labels;           // VV line 1; empty when read from .lsr
    std::vector<std::vector<LsValue>> rows;    // one per response, fields.size() values each
    std::vector<std::string> languages;        // .lsr <languages>
};

struct LsResponsesRead {
    LsResponses data;
    std::string error;                         // "file: line 3: ..." ("" = ok)
    bool ok() const { return error.empty(); }
};

// Reads a .lsr file's text. `source_name` names it in messages.
LsResponsesRead parse_lsr(const std::string& xml_text, const std::string& source_name);
LsResponsesRead read_lsr_file(const std::string& path);

// The element name a response column has in a .lsr file: a leading "_" when it starts
// with a digit (SGQA), "#" written as "-" (dual scale).
std::string lsr_element_name(const std::string& field);

// One VV cell as LimeSurvey writes it: NULL -> {question_not_shown}; otherwise trimmed, then
// "{" -> {lbrace}, newline -> {newline}, CR -> {cr}, tab -> {tab}, a leading '"' -> {quote}.
std::string vv_escape(const LsValue& v);
LsValue vv_unescape(const std::string& cell);

// VV labels for `fields`: the question text (plain, base language) for the survey's
// columns, "(row text)" appended for subquestion columns; other columns keep their name.
std::vector<std::string> vv_labels(const std::vector<std::string>& fields, const LssImport& survey);

// The whole VV file. Labels default to the field names when `d.labels` is empty. Cells are
// tab separated and quoted like PHP's fputcsv (LimeSurvey's writer): a cell containing a
// space, quote or backslash is wrapped in quotes with quotes doubled.
std::string export_vv(const LsResponses& d);
// Reads a VV file back (labels, fields, rows). Lines may end in "\r\n".
LsResponsesRead parse_vv(const std::string& text, const std::string& source_name);

// --- kiosk responses back to LimeSurvey ------------------------------------------------

// One answer column of a survey as LimeSurvey's VV export (version 2) names it: the
// question code, "_" and the subquestion / answer part, as LimeSurvey's expression names
// are built ("Q1", "Q1_SQ001", "Q1_other", "Q1_comment", dual scale "Q1_SQ001_0" and
// "_1", arrays of numbers/texts "Q1_ROW_COL", ranking "Q1_1"). Because the importer keeps
// every code, these are the names of the LimeSurvey survey the kiosk survey came from.
struct VvColumn {
    std::string code;     // the VV column name
    std::string question; // engine question code
    std::string part;     // "" | row or option code | "ROW#1" | "ROW_COL" | "other" | "comment" | rank "1"
};
std::vector<VvColumn> vv_columns(const Survey& s);

// Kiosk responses as VV rows for LimeSurvey's "Import a VV survey file": columns id,
// submitdate, startlanguage, startdate, datestamp, then vv_columns(s). A question that was not
// shown is NULL; shown but unanswered (or "keine Antwort") is "", as LimeSurvey stores them.
// Partial responses have a NULL submitdate. Times are written "YYYY-MM-DD HH:MM:SS" (UTC).
LsResponses responses_to_vv(const Survey& s, const std::vector<Response>& responses);

} // namespace tk
