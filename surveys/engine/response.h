// response.h - one respondent's answers, and their canonical serialised form.
//
// The canonical form is compact JSON with sorted keys and no insignificant whitespace, so
// the same response always gives the same bytes (the vault seals exactly these bytes).
// "skipped" (shown but not answered) and "not_shown" (hidden by a condition) are kept apart
// because the study computed each question's n without skipped answers.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "dates.h" // format_utc, parse_iso_date: the times and dates of every response

namespace tk {

// The codes that stand beside a survey's own option codes, one spelling each for the kiosk,
// the paper forms, the exports and the report. Option codes never contain '-' (the loader
// refuses them), so none of these collides with a real code. See RESPONSE.md, "Codes".
inline constexpr const char* kOtherCode = "-oth-"; // "andere, und zwar ...": a single choice's value
                                                   // (the text in `other`); paper: `other` when no text
// "keine Antwort" as a choice: the kiosk's button and the paper's box. For a whole question a
// response never holds this code (the choice is stored as `no_answer: true`; the report's row of
// it has this key); a choice matrix stores it per row, as the row's cell value.
inline constexpr const char* kNoAnswerCode = "-na-";
inline constexpr const char* kIllegible = "-ill-";       // paper: "unleserlich" (typed "?" too)
inline constexpr const char* kMultipleMarked = "-mult-"; // paper: "mehrfach angekreuzt" (typed "!" too)

// The answer to one question. Which fields are used depends on the question type:
//   single            value = option code, or kOtherCode "-oth-" with `other` = the text
//   multiple          values = chosen option codes in option order; `other` non-empty = other chosen
//   text, longtext    value
//   numeric, rating   value (decimal text, "." as separator)
//   yesno             value = "Y" or "N"
//   date              value = "YYYY-MM-DD"
//   matrix            cells: row code -> option code (scale 1) or kNoAnswerCode (the row's
//                     "keine Antwort", which excludes "ROW#1"), "ROW#1" -> option code (scale 2);
//                     number/text cells: "ROW_COL" -> value
//   multi_text/_numeric cells: row code -> value
//   ranking           values = option codes, most important first
//   ranked_list       values = texts, most important first
// `comment` is the optional comment of a closed question. `no_answer` is the explicit
// "keine Antwort" choice and excludes every other field.
struct Answer {
    std::string value;
    std::vector<std::string> values;
    std::map<std::string, std::string> cells;
    std::string other;
    std::string comment;
    bool no_answer = false;

    bool empty() const {
        return value.empty() && values.empty() && cells.empty() && other.empty() &&
               comment.empty() && !no_answer;
    }
    bool operator==(const Answer& o) const {
        return value == o.value && values == o.values && cells == o.cells && other == o.other &&
               comment == o.comment && no_answer == o.no_answer;
    }
};

// Channels a response can come from.
inline constexpr const char* kChannelKiosk = "kiosk";
inline constexpr const char* kChannelPaper = "paper";
inline constexpr const char* kChannelAssisted = "assisted";
inline constexpr const char* kChannelTally = "tally";

struct Response {
    std::string survey_id, survey_version, survey_hash;
    std::string language;
    std::string channel = kChannelKiosk;
    std::string site;                          // e.g. "Stadtbibliothek, Interneterfahrungsort"
    std::string event;                         // e.g. "Stadtteilfest 2026" ("" = none)
    std::map<std::string, std::string> meta;   // interviewer, enterers, sheet id, ...
    int64_t started = 0, finished = 0;         // unix seconds, UTC
    bool complete = false;                     // false = partial (timeout, abandoned)
    std::map<std::string, Answer> answers;     // question code -> answer (answered only)
    std::vector<std::string> skipped;          // shown, left unanswered (survey order)
    std::vector<std::string> not_shown;        // hidden by conditions (survey order)
    // Delphi rounds only (sync/delphi/delphi.h): the participant's pseudonym, derived from their
    // code. It lives inside the seal alone; no plain metadata of a record ever carries it.
    std::string pseudonym;                     // "" = not a Delphi response

    bool operator==(const Response& o) const;
};

// Canonical bytes: {"answers":{...},"channel":...,"format":"teilhabe-response/1",...}
std::string serialize_response(const Response& r);
// Parses canonical (or any equivalent) JSON. On failure returns false and sets *error.
bool parse_response(const std::string& json_text, Response& out, std::string* error);

} // namespace tk
