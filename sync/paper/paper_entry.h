// paper_entry.h - typing paper questionnaires in: fields, entries, comparison, the response.
//
// A printed sheet is entered field by field. The fields come from the survey alone, in the
// order the form prints them, so the entry screen, the terminal entry file and the printed
// form always agree: question BARR's boxes are numbered 1..n on paper, and "1 3" entered for
// field BARR means boxes 1 and 3. Every sheet is entered twice by two different people
// (double entry); compare_entries() lists where they differ, and only a resolved sheet
// becomes a Response (channel "paper"). See sync/paper/PAPER.md.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "response.h"
#include "survey.h"

namespace tk {

// What the paper shows when it cannot be read as an answer (kIllegible, kMultipleMarked), the
// "andere, und zwar" box (kOtherCode) and the "keine Antwort" box (kNoAnswerCode): response.h.

enum class PaperFieldKind {
    One,   // one box number: "3"; "-mult-" when several boxes are crossed
    Many,  // any box numbers: "1 3 5"
    Ranks, // the number written into each box, in print order, "-" for empty: "2 - 1 -"
    Text,  // typed as written (numbers with "," or "."; dates DD.MM.YYYY or YYYY-MM-DD)
};

struct PaperChoice {
    std::string number;          // printed next to the box: "1", "2", ... (rating: the value)
    std::string code;            // option code, kOtherCode or kNoAnswerCode
    const LocalText* label = nullptr; // option text; null for other / no answer
};

struct PaperField {
    std::string key;             // "BARR", "BARR.other", "DIENST.AMT", "DIENST.AMT#1", "D4.2", "Q.comment"
    std::string question;        // question code
    std::string part;            // "" (the question itself), "other", "comment", row code, "ROW_COL", rank "1".."k"
    PaperFieldKind kind = PaperFieldKind::Text;
    bool numeric = false;        // Text that must be a number
    bool date = false;           // Text that must be a date
    std::vector<PaperChoice> choices; // One, Many, Ranks
};

// The numbered boxes of a closed question (scale 2 = second scale of a dual matrix): the
// options, then "andere" and "keine Antwort" where the survey offers them.
std::vector<PaperChoice> paper_choices(const Survey& s, const Question& q, int scale = 1);
// Whether the form offers "keine Antwort" for this question.
bool paper_offers_no_answer(const Survey& s, const Question& q);
// Ranked-list lines printed when the question sets no maximum.
inline constexpr int kPaperRankedLines = 5;
std::vector<PaperField> paper_fields(const Survey& s, const Question& q);
std::vector<PaperField> paper_fields(const Survey& s); // every question, survey order
const PaperField* find_paper_field(const std::vector<PaperField>& fields, const std::string& key);
// The question a condition variable belongs to: the longest code C with name C or C_...
const Question* paper_variable_question(const Survey& s, const std::string& name);

// Checks one typed value and gives its normal form ("3 1" -> "1 3", "?" -> "-ill-",
// "3,5" -> "3.5", "05.03.2026" -> "2026-03-05", "" -> ""). *error names the problem.
bool normalise_paper_value(const PaperField& f, const std::string& typed, std::string& out, std::string* error);

struct PaperEntry {
    std::string sheet_id;        // normalised ("BD-7K3F-Q9MC")
    std::string enterer;         // staff id of the person typing
    std::string language;        // language of the printed form ("" = survey's original)
    std::map<std::string, std::string> values; // field key -> normal form; absent = empty
    // A Delphi round's personalised form carries the participant's code; typed as the line
    // "code K7QM-4TZP-..." it is compared like a field, and the sealed response gets the
    // pseudonym it gives (sync/delphi/delphi.h). Normalised; "" = none (an anonymous form).
    std::string delphi_code;
};
// The entry file's key of the participant code, on the sheets of a Delphi round.
inline constexpr const char* kPaperCodeKey = "code";

// The entry file (`teilhabe paper enter`): UTF-8 text, one "KEY VALUE" per line.
//   sheet BD-7K3F-Q9MC          starts an entry
//   enterer anna                who types it (required)
//   lang de                     language of the form (optional)
//   code K7QM-4TZP-XW2R-9HNA-CD3F-2   a Delphi round: the participant code printed on the form
//   ONLINE 2                    a field: key, blank, value as typed
//   BARR 1 3
//   WUNSCH Mehr Bänke am Markt
//   # comment                   blank lines and '#' lines are ignored
// Several entries may follow each other. Every problem is reported with source:line.
bool parse_paper_entries(const Survey& s, const std::string& text, const std::string& source,
                         std::vector<PaperEntry>& out, std::vector<std::string>* errors);
std::string paper_entry_to_text(const Survey& s, const PaperEntry& e);
// The same for one field line typed anywhere (the kiosk screen): sets e.values[key].
bool set_paper_value(const Survey& s, PaperEntry& e, const std::string& key, const std::string& typed,
                     std::string* error);

struct PaperDiff {
    std::string key;             // field key
    std::string first, second;   // normal forms ("" = empty)
};
// Every field where the two entries differ, in form order (empty when they match).
std::vector<PaperDiff> compare_paper_entries(const Survey& s, const PaperEntry& a, const PaperEntry& b);

struct PaperSealInfo {
    std::string site, event;
    std::string first_enterer, second_enterer, resolver; // resolver "" when the entries matched
    int64_t time = 0;            // unix seconds: when the sheet was sealed
};

// Builds the response of a resolved sheet: channel paper, meta sheet/enterers. Questions the
// form's instructions excluded are not_shown and their answers dropped (as on the kiosk),
// unless the answer deciding it is unreadable; meta "dropped" lists dropped answers.
bool paper_entry_to_response(const std::shared_ptr<const Survey>& s, const PaperEntry& e,
                             const PaperSealInfo& info, Response& out, std::string* error);

} // namespace tk
