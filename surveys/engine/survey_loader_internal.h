// survey_loader_internal.h - what the files of the survey loader share. Internal to
// surveys/engine: survey.h has the public functions (parse_survey, load_survey,
// survey_to_json). The loader's files:
//   survey_loader.cpp     the Loader's typed getters, texts, conditions, groups and the survey
//                         object; parse_survey and load_survey
//   survey_questions.cpp  questions, options, rows, rating scales
//   survey_validate.cpp   the rules: codes, language tags, which keys each type takes,
//                         translations, what a condition may refer to
//   survey_computed.cpp   equations, defaults, validation expressions, and the piped
//                         expressions of every text
//   survey_delphi.cpp     the "delphi" block (round, consensus rule, items)
//   survey_writer.cpp     survey_to_json
//   json_positions.cpp    line numbers by JSON pointer; spelling.cpp "did you mean"
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "survey.h"

namespace tk::loader {

using json = nlohmann::json;

constexpr const char* kFormat = "teilhabe-survey/1";

// --- messages and small helpers (survey_loader.cpp) ---

std::string in_quotes(const std::string& s);

std::string num_text(double d);

const char* json_kind(const json& j);

bool is_comment_key(const std::string& k);

const std::vector<Option>& default_yesno_options();

// --- rules (survey_validate.cpp) ---

bool all_of_chars(const std::string& s, const char* extra, bool upper);

bool is_alpha(char c);

// Question codes are variable names in conditions: [A-Za-z][A-Za-z0-9_]*.
bool valid_question_code(const std::string& s);
// Option and row codes appear in variable names too (Q_CODE): [A-Za-z0-9_]+.
bool valid_answer_code(const std::string& s);
bool valid_group_code(const std::string& s);
bool valid_survey_id(const std::string& s);
// "de", "en", "de-x-ls", "de-AT": 2-3 lowercase letters, then "-" separated subtags.
bool valid_language(const std::string& s);

// A date bound: a real day written YYYY-MM-DD, on the calendar of the response times.
bool valid_date(const std::string& s);

// Which question keys each type takes. Keys common to all types are listed separately.
extern const std::vector<std::string> kSurveyKeys;
extern const std::vector<std::string> kSettingsKeys;
extern const std::vector<std::string> kPrivacyKeys;
extern const std::vector<std::string> kMetaKeys;
extern const std::vector<std::string> kGroupKeys;
extern const std::vector<std::string> kCommonQuestionKeys;
extern const std::vector<std::string> kTypedQuestionKeys;
extern const std::vector<std::string> kOptionKeys;
extern const std::vector<std::string> kRowKeys;
extern const std::vector<std::string> kScaleKeys;

bool key_applies(const std::string& k, QuestionType t);

bool needs_options(QuestionType t);

// --- the loader ---

// Any expression whose variables are checked after all questions are known: conditions,
// and (survey_computed.cpp) piped texts, equations, defaults and validations.
struct PendingCondition {
    std::string path;   // JSON path of the "condition" key
    std::string code;   // owner question code for messages ("" for groups)
    std::string owner;  // "group A", "question C2", "row SQ1 of C2"
    int limit = 0;      // referenced questions must have a position < limit
    bool is_group = false;
    std::shared_ptr<const Expr> expr;
    std::string what = "condition"; // the word in messages: "condition", "text", "validation", ...
    std::string place = "this group"; // is_group: what the question must come before
    std::string self;   // question that `this` and `self` name ("" = they are unknown names)
};

struct Loader {
    std::string file;
    const std::string& text;
    std::map<std::string, int> lines;
    std::vector<LoadError> errors;
    std::vector<std::string> warnings;
    std::vector<std::string> notes;
    std::vector<std::string> langs;
    std::string orig; // original language
    std::vector<PendingCondition> conditions;
    std::map<std::string, std::string> group_codes, question_codes; // code -> first path
    int question_count = 0;
    // Answer variables of every question parsed so far (code -> names), for `that.Q1`.
    std::map<std::string, std::vector<std::string>> answer_vars;

    Loader(std::string f, const std::string& t) : file(std::move(f)), text(t) {}

    // --- survey_loader.cpp: messages, keys and typed getters, texts, groups, the survey ---
    int line_of(std::string path) const;
    LoadError make(const std::string& path, const std::string& code, const std::string& msg) const;
    void error(const std::string& path, const std::string& code, const std::string& msg);
    void warn(const std::string& path, const std::string& code, const std::string& msg);
    const json* member(const json& obj, const char* key);
    bool get_string(const json& obj, const char* key, const std::string& path,
                    const std::string& code, std::string& out, bool required);
    void get_bool(const json& obj, const char* key, const std::string& path,
                  const std::string& code, bool& out);
    // Whole number in [lo, hi]. Returns false when absent or bad.
    bool get_int(const json& obj, const char* key, const std::string& path,
                 const std::string& code, int& out, long long lo, long long hi);
    void get_number(const json& obj, const char* key, const std::string& path,
                    const std::string& code, std::optional<double>& out);
    // A text: a plain string (the original language) or {"lang": "text", ...}.
    bool get_text(const json& obj, const char* key, const std::string& path,
                  const std::string& code, LocalText& out, bool required);
    bool parse_text(const json& v, const std::string& p, const std::string& code,
                    const std::string& name, LocalText& out, bool required);
    // `code` is the question the condition belongs to ("" for a group's or the survey's).
    std::shared_ptr<const Expr> parse_condition(const json& obj, const std::string& path,
                                                const std::string& code, std::string& src,
                                                PendingCondition pc);
    // self / that for an expression of question `self` (null: none): `that` reaches the
    // questions parsed so far, `self` the question itself once its parts are known.
    ExprContext expr_context(const Question* self) const;
    // The one path of every expression in the file: `src` parsed with `ctx`; a syntax error is
    // reported at `p` as "bad <pc.what> <shown>: <message> at column N", a good expression is
    // queued in `conditions` (pc with path and code) for the reference check.
    std::shared_ptr<const Expr> parse_queued(const std::string& src, const std::string& shown, const ExprContext& ctx,
                                             const std::string& p, const std::string& code, PendingCondition pc);
    void parse_group(const json& jg, const std::string& path, Group& g);
    void parse_languages(const json& j, Survey& s);
    void parse_meta(const json& j, Survey& s);
    void parse_survey_object(const json& j, Survey& s);

    // --- survey_questions.cpp ---
    void parse_order_keys(const json& jq, const std::string& path, const std::string& code, Question& q);
    void get_source_code(const json& jo, const std::string& at, const std::string& code, std::string& out);
    void parse_options(const json& obj, const char* key, const std::string& path,
                       const std::string& code, std::vector<Option>& out, bool allow_exclusive);
    void parse_rows(const json& obj, const std::string& path, const std::string& code, int position,
                    std::vector<Row>& out);
    void parse_question(const json& jq, const std::string& path, Question& q);
    void parse_answer_keys(const json& jq, const std::string& path, const std::string& code,
                           const std::string& tname, QuestionType t, int position, Question& q);
    void parse_bounds(const json& jq, const std::string& path, const std::string& code, QuestionType t,
                      Question& q);
    void parse_scale(const json& jq, const std::string& path, const std::string& code, Question& q);

    // --- survey_computed.cpp ---
    // equation, show_text, default, validation(_tip), row_validation(_tip)
    void parse_computed(const json& jq, const std::string& path, const std::string& code, QuestionType t,
                        int position, Question& q);
    // An expression-valued key: parsed, queued for the reference check. Null when absent or bad.
    std::shared_ptr<const Expr> parse_expression_key(const json& jq, const char* key, const std::string& path,
                                                     const std::string& code, std::string& src,
                                                     PendingCondition pc);
    void parse_default(const json& jq, const std::string& path, const std::string& code, QuestionType t,
                       int position, Question& q);
    // Splits every text of the survey (piping.h), reports bad and unclosed expressions, queues
    // their variables for check_condition_references, and stores the split texts in s.piped.
    void check_piping(Survey& s);

    // --- survey_validate.cpp ---
    void check_keys(const json& obj, const std::string& path, const std::string& code,
                    const std::vector<std::string>& allowed);
    // Required texts must exist in every listed language unless that language falls back to
    // another listed language that has it ("de-x-ls" -> "de"). Optional texts only warn.
    void check_translations(const LocalText& t, const std::string& p, const std::string& code,
                            bool required);
    // The code of an option or a row (`what`) at `at`: valid, not reserved, and not used
    // before in the same list (`seen`: code -> index of the item that has it).
    void check_item_code(const std::string& at, const std::string& qcode, const char* what, const std::string& c,
                         size_t index, std::map<std::string, size_t>& seen);
    // What `rest` in "Q_rest" may name for question q; "" when fine, else the problem.
    static bool part_exists(const Question& q, const std::string& rest);
    // Every variable of q's answer in order: "Q" or its parts ("Q_A", "Q_R1_C1", "Q_1", ...),
    // then "Q_other" and "Q_comment"; what `self` stands for. Empty for info.
    static std::vector<std::string> answer_variables(const Question& q);
    // A condition may only read questions strictly before the thing it belongs to, so that
    // showing or hiding never depends on answers given later (the session walks forward).
    void check_condition_references(const Survey& s);

    // --- survey_delphi.cpp ---
    // "delphi": read after the groups (its items name questions); s.delphi stays round 0 on errors.
    void parse_delphi(const json& j, Survey& s);
};

} // namespace tk::loader
