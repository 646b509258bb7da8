// lss_import_internal.h - what the files of the LimeSurvey importer share. Internal to
// surveys/limesurvey: lss_import.h has the public functions. The work happens in three passes:
//   1. lss_tables.cpp      read the tables into plain structs (LsQuestion, LsAnswer, LsGroup),
//                          merging the old layout's one-row-per-language into per-language texts;
//   2. lss_types.cpp       each LimeSurvey question type as an engine question; lss_import.cpp
//                          the name map from every LimeSurvey variable name (question codes,
//                          Q_SQ, SGQA column names) to the engine's, and the response columns;
//   3. lss_import.cpp      texts and conditions translated with that map (lss_expression.cpp),
//                          warning about everything left out; import_lss, load_lss.
#pragma once
#include <pugixml.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lss_expression.h"
#include "lss_import.h"

namespace tk::lss {

// ---------------------------------------------------------------------------------------
// Reading tables (lss_tables.cpp)

using LsRow = std::map<std::string, std::string>; // present columns only: absent = NULL

struct LsTable {
    bool present = false;
    std::vector<std::string> fields; // <fields><fieldname> as listed (for layout detection)
    std::vector<LsRow> rows;
};

// All character data of an element (LimeSurvey splits CDATA containing "]]>").
std::string node_text(pugi::xml_node n);
LsTable read_table(pugi::xml_node doc, const char* name);
const std::string* col(const LsRow& r, const char* name); // null = NULL
std::string val(const LsRow& r, const char* name);
std::string trim(const std::string& s);
int to_int(const std::string& s, int fallback = 0);
std::optional<double> to_number(const std::string& s);
// "YYYY-MM-DD" that exists in the calendar (LimeSurvey also allows "now" and expressions).
bool iso_date(const std::string& v);
// Sets the text of `lang` from a present column, unless that language has one already.
void merge_text(LocalText& t, const std::string& lang, const std::string* v);

// ---------------------------------------------------------------------------------------
// Pass 1: LimeSurvey's model

struct LsAnswer {
    std::string code;
    int scale = 0;
    int order = 0;
    int seq = 0;                 // file order, tie breaker
    LocalText text;              // raw HTML per language
};

// One row of <defaultvalues>: the default of a question (sqid "0") or of a subquestion.
struct LsDefault {
    int scale = 0;
    std::string sqid = "0";
    std::string special;   // "other", "comment", ... ("" = the answer itself)
    LocalText value;       // language -> value ("{expr}" for an expression)
};

struct LsQuestion {
    std::string qid, parent, gid, type, code;
    std::string other, mandatory;
    std::optional<std::string> relevance; // nullopt = NULL in every row
    int scale = 0;
    int order = 0;
    int seq = 0;
    LocalText text, help;        // raw HTML per language
    std::vector<LsQuestion*> subs;
    std::vector<LsAnswer> answers;
    std::map<std::string, LocalText> attrs; // attribute -> language ("" = any) -> value
    std::vector<LsDefault> defaults;
};

struct LsGroup {
    std::string gid;
    int order = 0;
    int seq = 0;
    LocalText name, description;
    std::optional<std::string> relevance;
    std::vector<LsQuestion*> questions;
};

struct Ctx {
    std::string file;
    std::vector<std::string>* warnings = nullptr;
    std::vector<std::string> langs;
    std::string base;
    std::string sid;

    // Attributes left out: name -> (why, question codes), one warning each at the end.
    std::map<std::string, std::pair<std::string, std::vector<std::string>>> ignored_attributes;

    void warn(const std::string& where, const std::string& msg) {
        warnings->push_back(file + ": " + (where.empty() ? "" : where + ": ") + msg);
    }
};

// The attribute value for `lang`, else the language-neutral one, else "".
std::string attr(const LsQuestion& q, const char* name, const std::string& lang = "");

// ---------------------------------------------------------------------------------------
// Pass 2: one engine question per LimeSurvey question (lss_types.cpp)

struct Built {
    LsQuestion* ls;
    Question q;
    std::vector<std::string> row_relevance;  // raw LimeSurvey relevance per row
    std::vector<std::string> option_relevance; // multiple choice options
    int position = 0;
};

// By question_order, then file order.
bool sort_q(const LsQuestion* a, const LsQuestion* b);

// The LimeSurvey type of `lq` as an engine question in b.q: options, rows, bounds, other.
// False when the question cannot be asked on a kiosk; a warning says why.
bool map_question_type(Ctx& ctx, LsQuestion& lq, Built& b);

// ---------------------------------------------------------------------------------------
// The importer: read in lss_tables.cpp, the rest in lss_import.cpp

struct Importer {
    Ctx ctx;
    LssImport result;
    std::map<std::string, LsQuestion> questions; // by qid
    std::map<std::string, LsGroup> groups;       // by gid
    std::map<std::string, std::vector<LsRow>> conditions; // by qid

    // Passes 2 and 3
    std::vector<LsGroup*> gorder;           // groups in survey order
    std::vector<std::vector<Built>> built;  // per group of gorder: the questions kept
    NameMap names;
    int position = 0;                       // survey position of the next question kept
    std::map<std::string, int> missing_by_lang;
    // Removed text expressions, one warning per place: report pages can hold hundreds.
    std::map<std::string, std::vector<std::string>> removed;
    std::vector<std::string> removed_order;

    bool fail(const std::string& msg) {
        result.error = ctx.file + ": " + msg;
        return false;
    }

    // Pass 1
    bool read(const std::string& xml);
    std::string lang_of(const LsRow& r) const; // the row's language, else the base language
    void read_groups(const LsTable& groups_t, const LsTable& group_l10n, bool new_layout);
    void read_questions(const LsTable& questions_t, const LsTable& subq_t, const LsTable& question_l10n,
                        bool new_layout);
    void read_answers(const LsTable& answers_t, const LsTable& answer_l10n);
    void read_survey_texts(const LsTable& surveys, const LsTable& langset);
    void read_defaults(const LsTable& defaults_t, const LsTable& default_l10n);

    // Passes 2 and 3
    void build();
    void order_tree();
    void build_questions();
    void add_names(LsQuestion& lq, Built& b);
    void finish_text(LocalText& t, const std::string& where, int host, bool required,
                     const std::string& fallback);
    void finish_optional(LocalText& t, const std::string& where, int host);
    // The {...} of a plain text as engine piping; pieces that cannot be translated become "…"
    // and are collected under `where` (false when there was one).
    bool pipe_text(const std::string& plain, std::string& res, const std::string& where, int host);
    bool finish_computed(Built& b);       // equation, default, validation; false: left out
    void finish_default(Built& b);
    std::string cond(const std::string& src, const std::string& where, int host, const std::string& what);
    void old_conditions(const std::vector<LsRow>& rows, Built& b);
    void row_conditions(Built& b);
    void finish_groups();
    void report_removed();
};

} // namespace tk::lss
