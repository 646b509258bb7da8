// survey.h - the survey model: groups, questions, options, conditions.
//
// A Survey is loaded once from a native JSON file (see surveys/FORMAT.md), validated
// completely, and then never changes. Everything downstream (sessions, paper forms, the
// LimeSurvey importer's output, exports) reads this model. Question, option and
// subquestion ("row") codes are kept exactly as the author wrote them, because exports must
// map back to LimeSurvey column names (G1, G1[SQ001], G1[other], G1[comment]).
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "expression.h"
#include "piping.h"
#include "response.h"
#include "text.h"

namespace tk {

enum class QuestionType {
    SingleChoice,   // "single": one option (display "list" or "dropdown"); may have "other"
    MultipleChoice, // "multiple": any number of options; may have "other"
    ShortText,      // "text"
    LongText,       // "longtext"
    Numeric,        // "numeric": number with optional min/max/integer
    YesNo,          // "yesno": answer codes "Y" / "N"
    Rating,         // "rating": scale min..max (e.g. 1..5) with optional end labels
    Matrix,         // "matrix": rows x one or two scales (dual scale), or number/text cells
    Ranking,        // "ranking": order up to max_answers of the options
    RankedList,     // "ranked_list": up to max_answers free-text entries, most important first
    MultiText,      // "multi_text": one short text per row (LimeSurvey "multiple short text")
    MultiNumeric,   // "multi_numeric": one number per row (LimeSurvey "multiple numerical")
    Date,           // "date": YYYY-MM-DD, optional min/max
    Equation,       // "equation": a value computed from earlier answers, never asked
    Info,           // "info": text only, no answer
};

const char* type_name(QuestionType t);                         // "single", ...
std::optional<QuestionType> type_from_name(const std::string& name);

struct Option {
    std::string code;     // answer code as stored, e.g. "A1", "1", "Y"
    LocalText text;
    bool exclusive = false; // multiple choice: choosing it clears the others ("none of these")
    std::string source_code = {}; // the code in the imported source when it had to be renamed
};

struct Row {              // matrix / multi_text / multi_numeric subquestion
    std::string code;     // e.g. "SQ001"
    LocalText text;
    std::string condition_src;      // display condition of the row ("" = always)
    std::shared_ptr<const Expr> condition;
    std::string source_code = {}; // the code in the imported source when it had to be renamed
};

enum class MatrixCell { Choice, Number, Text };

struct Question {
    std::string code;                // unique in the survey, e.g. "C1"
    QuestionType type = QuestionType::Info;
    LocalText text;                  // the question itself (required)
    LocalText help;                  // optional hint under the question
    bool mandatory = false;
    std::string condition_src;       // display condition ("" = always shown)
    std::shared_ptr<const Expr> condition;

    std::vector<Option> options;     // single, multiple, ranking, matrix scale 1, rating (generated)
    std::vector<Option> options2;    // matrix: second scale (dual scale); empty otherwise
    LocalText scale_header1, scale_header2; // dual-scale headings (optional)
    std::vector<Row> rows;           // matrix, multi_text, multi_numeric
    MatrixCell cell = MatrixCell::Choice; // matrix with number/text cells uses `options` as columns

    std::string display = "list";    // single: "list" or "dropdown"
    bool other = false;              // single/multiple: "andere, und zwar ..." with a text
    LocalText other_label;           // label of the other option (default from the UI texts)
    bool comment = false;            // optional comment field on a closed question
    LocalText comment_label;

    // numeric / multi_numeric / matrix number cells
    std::optional<double> min_value, max_value;
    bool integer_only = false;
    // rating: scale_min..scale_max, labels at the ends
    int scale_min = 1, scale_max = 5;
    LocalText min_label, max_label;
    // ranking / ranked_list: how many may be ranked or entered; multiple: min/max choices
    int max_answers = 0;             // 0 = no limit (ranking: all options)
    int min_answers = 0;
    // text: maximum length in characters (0 = no limit)
    int max_length = 0;
    // date: bounds as YYYY-MM-DD ("" = none)
    std::string min_date, max_date;

    // equation: the piped text whose rendering is the stored value ("{W / (H * H)}");
    // show_text: its `text` is shown as an information page (LimeSurvey: not hidden)
    std::string equation;
    bool show_text = false;

    // default answer: a literal (default_answer, checked at load) or an expression in
    // braces (default_expr, evaluated when the page is first reached); default_src as written
    std::string default_src;
    std::shared_ptr<const Expr> default_expr;
    Answer default_answer;
    bool has_default() const { return default_expr || !default_answer.empty(); }

    // validation (LimeSurvey em_validation_q / em_validation_sq): `this` is the question's
    // value, or for row_validation the value of the field being checked
    std::string validation_src, row_validation_src;
    std::shared_ptr<const Expr> validation, row_validation;
    LocalText validation_tip, row_validation_tip;

    // Provenance for reconstructed instruments: "verbatim", "paraphrase", "reconstructed", ...
    std::string source_note;
    // Order settings of an imported instrument (LimeSurvey random_group, random_order,
    // alphasort/answer_order), kept so that they are not lost. The kiosk shows file order
    // for now; the loader warns when a survey sets them.
    std::string random_group;        // questions with the same name swap places at random
    std::string option_order;        // "" (file order), "random" or "alphabetical"

    const Option* find_option(const std::string& code) const;
    const Option* find_option2(const std::string& code) const;
    const Row* find_row(const std::string& code) const;
    bool has_answer() const { return type != QuestionType::Info; }
    // A page of its own on the kiosk: everything but an equation that keeps its text hidden.
    bool is_page() const { return type != QuestionType::Equation || show_text; }
    bool is_closed() const; // has predefined options (single, multiple, yesno, rating, ranking, matrix choice)
};

struct Group {
    std::string code;                // e.g. "A"
    LocalText title;
    LocalText description;
    std::string condition_src;
    std::shared_ptr<const Expr> condition;
    std::vector<Question> questions;
};

struct SurveySettings {
    bool no_answer_option = false;   // show "keine Antwort" on every optional closed question
    bool partial_responses = true;   // on timeout, keep what was answered as a partial response
    bool show_progress = true;
};

// The data-protection notice of GDPR Art. 13, shown before the first question. Every text is
// the survey author's (the research team is the controller, not the kiosk); the kiosk only
// adds the headings. consent_required: the person must press "Ich bin einverstanden" before
// the first question; a refusal ends the session and stores nothing.
struct PrivacyNotice {
    LocalText controller;            // who is responsible (name, address)
    LocalText purpose;               // what the answers are for, and the legal basis
    LocalText stored;                // what is stored, for how long, who receives it
    LocalText protection;            // sealed on the device, anonymous, no name or address
    LocalText contact;               // whom to ask; the data-protection officer
    bool consent_required = false;
    bool empty() const { return controller.empty(); }
};

// Where the texts of one language come from (the survey's "meta"): a translation names the
// language it was made from and who made it, and stays "reviewed": false until a native speaker
// has checked it. survey check notes every unreviewed translation.
struct LanguageMeta {
    std::string source_language;     // a listed language the texts were translated from
    std::string translated_by;       // a person, team or service
    bool reviewed = false;           // checked by a native speaker
};

// A Delphi study's round (the survey's "delphi" block, surveys/FORMAT.md): which questions
// repeat which of the round before, what feedback a repeated question shows, and the
// consensus rule fixed before round 1. round == 0: not a Delphi survey. Items are question
// codes, or "CODE[ROW]" for one row of a matrix (the export's column names).
struct ConsensusRule {
    // "top_share": share of answers in the `top` highest (or, top < 0, lowest) categories >= threshold %
    // "iqr":       interquartile range <= threshold (e.g. 1)
    // "rand_ucla": RAND/UCLA appropriateness (9-point scale): median in 1-3 or 7-9 and
    //              disagreement index (IPR / IPRAS) < 1
    // "cv":        coefficient of variation (sd / mean) <= threshold (e.g. 0.5)
    std::string kind;
    double threshold = 0;
    int top = 2;
};

struct DelphiItem {
    std::string key;                   // item in this round: "F2" or "F2[S3]"
    std::string repeats;               // the item of the round before it repeats ("" = new)
    std::vector<std::string> feedback; // what is shown with it: "distribution", "median", "iqr", "mean"
    std::string expertise;             // the item holding the participant's self-rated expertise for
                                       // this item's topic ("" = none); see Delphi analysis
};

struct DelphiRound {
    std::string study;                 // the study's id, the same in all its rounds (Argon2id salt)
    int round = 0;                     // 1, 2, ...; 0 = not a Delphi survey
    ConsensusRule consensus;
    bool drop_on_consensus = false;    // items that reached consensus are not asked again
    std::vector<DelphiItem> items;     // the items feedback and consensus are computed for
    std::vector<std::string> expert_levels; // option codes of the expertise scale counted as
                                            // "expert" (the study: the two highest levels)
    const DelphiItem* find_item(const std::string& key) const;
};


struct Survey {
    std::string id;                  // stable id, e.g. "bedarfe-akteure"
    std::string version;             // author's version string, e.g. "1.0"
    std::string hash;                // "sha256:" + hex of the canonical JSON of the file
    std::vector<std::string> languages; // languages[0] is the original language
    LocalText title;
    LocalText description;
    LocalText end_text;              // shown on the thank-you page (optional)
    LocalText about;                 // one sentence on who asks and why (the welcome page)
    PrivacyNotice privacy;           // empty = no notice page
    SurveySettings settings;
    std::vector<Group> groups;
    std::string source_path;         // where it was loaded from (for messages)
    std::string source_note;         // optional provenance note of the whole survey ("source")
    // Every text holding "{...}" or "\\", split once by the loader (see piping.h).
    std::shared_ptr<const PipedTexts> piped;
    // The parsed form of a text: from `piped`, or parsed now when the loader did not see it.
    PipedText piped_text(const std::string& text) const;
    std::map<std::string, LanguageMeta> language_meta; // "meta": language tag -> its provenance
    DelphiRound delphi;              // "delphi": round of a Delphi study (round 0 = none)

    const std::string& original_language() const { return languages.front(); }
    // Every answerable and info question in survey order, with its group index.
    struct QRef { size_t group; size_t index; const Question* q; };
    std::vector<QRef> all_questions() const;
    const Question* find_question(const std::string& code) const;
    // Position in survey order, or -1.
    int question_position(const std::string& code) const;
};

// How long the survey takes a kiosk respondent, in whole minutes (at least 1): seconds per
// question by type (reading plus answering; a matrix by its rows, a choice by its options),
// summed over every question (conditions are not evaluated: the estimate is for the longest
// path) and rounded up. The welcome page shows it ("etwa 5 Minuten").
int estimated_seconds(const Survey& s);
int estimated_minutes(const Survey& s);

// A Delphi item key split: "F5[L1]" -> "F5", "L1"; "F5" -> "F5", "". False when malformed.
bool split_delphi_key(const std::string& key, std::string& code, std::string& row);
// The scale of a Delphi item of `s` (a matrix row's columns, a rating's points, a choice's
// options), or null when the key names no closed one-scale question. *ordinal: the codes are
// whole numbers rising along the scale, so median, quartiles and mean apply.
const std::vector<Option>* delphi_item_scale(const Survey& s, const std::string& key, bool* ordinal = nullptr);
// The rule in words for check output and reports: "at least 75 % of the answers in the 2 highest categories".
std::string consensus_rule_text(const ConsensusRule& r);

// One problem found while loading. `where` names the place: a question code ("C2"), a
// JSON path ("/groups/2/questions/0/options") or both ("C2 /condition").
struct LoadError {
    std::string file;
    std::string where;
    std::string message;
    int line = 0;                  // 1-based line in the file, 0 = unknown
    int column = 0;                // 1-based column (JSON syntax errors), 0 = unknown
    std::string to_string() const; // "file: where: message", or "file:line: where: message"
};

struct LoadResult {
    std::shared_ptr<const Survey> survey; // null when errors is not empty
    std::vector<LoadError> errors;
    std::vector<std::string> warnings;
    std::vector<std::string> notes;       // facts worth knowing, not problems (unreviewed translations)
    bool ok() const { return survey != nullptr; }
};

// Parses and validates a survey from JSON text. `source_name` is used in messages.
LoadResult parse_survey(const std::string& json_text, const std::string& source_name);
// Reads the file and calls parse_survey. A missing/unreadable file is a LoadError.
LoadResult load_survey(const std::string& path);
// Serialises a survey back to the native JSON format (used by the LimeSurvey importer).
std::string survey_to_json(const Survey& s);

} // namespace tk
