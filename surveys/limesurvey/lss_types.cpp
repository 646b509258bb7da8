// lss_types.cpp - pass 2 of the LimeSurvey import: each LimeSurvey question type as an engine
// question (surveys/LSS_IMPORT.md has the table). What a kiosk cannot ask (file upload,
// hidden questions, arrays without subquestions) is left out with a warning; an equation is
// kept (its value is translated in pass 3, Importer::finish_computed).
//   fixed answer scales   Yes/Uncertain/No, Increase/Same/Decrease, Yes/No, gender
//   answers_of, subs_of   a question's answer options and subquestions in LimeSurvey's order
//   TypeMap               the mapping of one question, type letter by type letter
//   map_question_type     the entry point: drop, map, then check that the result can be asked
#include <algorithm>

#include "lss_import_internal.h"
#include "text.h"

namespace tk::lss {

namespace {

// ---------------------------------------------------------------------------------------
// Generated answer scales (types A B C E G): texts in the languages we know, else English.

struct ScaleText { const char* lang; const char* text; };
struct FixedOption { const char* code; ScaleText texts[6]; };

const FixedOption kYesUncertainNo[] = {
    {"Y", {{"en", "Yes"}, {"de", "Ja"}, {"fr", "Oui"}, {"es", "Sí"}, {"nl", "Ja"}, {"pt", "Sim"}}},
    {"U", {{"en", "Uncertain"}, {"de", "Unsicher"}, {"fr", "Incertain"}, {"es", "Dudoso"}, {"nl", "Onzeker"}, {"pt", "Incerto"}}},
    {"N", {{"en", "No"}, {"de", "Nein"}, {"fr", "Non"}, {"es", "No"}, {"nl", "Nee"}, {"pt", "Não"}}},
};
const FixedOption kIncreaseSameDecrease[] = {
    {"I", {{"en", "Increase"}, {"de", "Zunahme"}, {"fr", "Augmenter"}, {"es", "Aumentar"}, {"nl", "Toename"}, {"pt", "Aumentar"}}},
    {"S", {{"en", "Same"}, {"de", "Gleich"}, {"fr", "Sans changement"}, {"es", "Igual"}, {"nl", "Gelijk"}, {"pt", "Igual"}}},
    {"D", {{"en", "Decrease"}, {"de", "Abnahme"}, {"fr", "Diminuer"}, {"es", "Disminuir"}, {"nl", "Afname"}, {"pt", "Diminuir"}}},
};
const FixedOption kYesNo[] = {
    {"Y", {{"en", "Yes"}, {"de", "Ja"}, {"fr", "Oui"}, {"es", "Sí"}, {"nl", "Ja"}, {"pt", "Sim"}}},
    {"N", {{"en", "No"}, {"de", "Nein"}, {"fr", "Non"}, {"es", "No"}, {"nl", "Nee"}, {"pt", "Não"}}},
};
const FixedOption kGender[] = {
    {"F", {{"en", "Female"}, {"de", "Weiblich"}, {"fr", "Féminin"}, {"es", "Femenino"}, {"nl", "Vrouwelijk"}, {"pt", "Feminino"}}},
    {"M", {{"en", "Male"}, {"de", "Männlich"}, {"fr", "Masculin"}, {"es", "Masculino"}, {"nl", "Mannelijk"}, {"pt", "Masculino"}}},
};

LocalText fixed_text(const FixedOption& f, const std::vector<std::string>& langs) {
    LocalText t;
    for (const std::string& l : langs) {
        std::string primary = l.substr(0, l.find('-'));
        const char* txt = f.texts[0].text;
        for (const ScaleText& st : f.texts)
            if (primary == st.lang) txt = st.text;
        t.by_lang[l] = txt;
    }
    return t;
}

LocalText plain_text(const std::string& s, const std::vector<std::string>& langs) {
    LocalText t;
    for (const std::string& l : langs) t.by_lang[l] = s;
    return t;
}

} // namespace

bool sort_q(const LsQuestion* a, const LsQuestion* b) {
    if (a->order != b->order) return a->order < b->order;
    return a->seq < b->seq;
}

std::vector<const LsAnswer*> answers_of(const LsQuestion& q, int scale) {
    std::vector<const LsAnswer*> v;
    for (const LsAnswer& a : q.answers)
        if (a.scale == scale) v.push_back(&a);
    std::stable_sort(v.begin(), v.end(), [](const LsAnswer* a, const LsAnswer* b) {
        if (a->order != b->order) return a->order < b->order;
        return a->seq < b->seq;
    });
    return v;
}

std::vector<LsQuestion*> subs_of(const LsQuestion& q, int scale) {
    std::vector<LsQuestion*> v;
    for (LsQuestion* s : q.subs)
        if (s->scale == scale) v.push_back(s);
    return v;
}

namespace {

// One question's mapping: the helpers that were one lambda each, over the same question.
struct TypeMap {
    Ctx& ctx;
    LsQuestion& lq;
    Built& b;
    Question& q;
    const std::string& t;     // LimeSurvey type letter
    const std::string& code;
    std::vector<LsQuestion*> subs0, subs1; // subquestions of scale 0 (rows) and 1 (columns)

    void add_options_from_answers(std::vector<Option>& out, int scale);
    void add_rows(const std::vector<LsQuestion*>& from);
    void fixed(const FixedOption* f, size_t n);
    void numbered(int from, int to);
    void num_attrs(const char* min_name, const char* max_name, const char* int_name);
    void date();          // D
    void choice_array();  // F H A B C E 1: rows x answer options (1: two scales)
    void cell_array();    // : ; rows x columns of numbers or texts
    bool map();           // false: an unknown type letter (warned)
};

void TypeMap::add_options_from_answers(std::vector<Option>& out, int scale) {
    for (const LsAnswer* a : answers_of(lq, scale)) out.push_back({a->code, a->text, false});
}

void TypeMap::add_rows(const std::vector<LsQuestion*>& from) {
    for (LsQuestion* sq : from) {
        q.rows.push_back({sq->code, sq->text, "", nullptr});
        b.row_relevance.push_back(sq->relevance ? *sq->relevance : "");
    }
}

void TypeMap::fixed(const FixedOption* f, size_t n) {
    for (size_t i = 0; i < n; i++) q.options.push_back({f[i].code, fixed_text(f[i], ctx.langs), false});
}

void TypeMap::numbered(int from, int to) {
    for (int i = from; i <= to; i++)
        q.options.push_back({std::to_string(i), plain_text(std::to_string(i), ctx.langs), false});
}

void TypeMap::num_attrs(const char* min_name, const char* max_name, const char* int_name) {
    for (int k = 0; k < 2; k++) {
        const char* nm = k == 0 ? min_name : max_name;
        std::string v = trim(attr(lq, nm));
        if (v.empty()) continue;
        std::optional<double> d = to_number(v);
        if (!d) { ctx.warn(code, std::string("attribute ") + nm + " '" + v + "' is an expression; no bound imported"); continue; }
        (k == 0 ? q.min_value : q.max_value) = d;
    }
    if (int_name && trim(attr(lq, int_name)) == "1") q.integer_only = true;
}

void TypeMap::date() {
    q.type = QuestionType::Date;
    for (int k = 0; k < 2; k++) {
        std::string v = trim(attr(lq, k == 0 ? "date_min" : "date_max"));
        if (v.empty()) continue;
        if (v.size() == 4 && to_number(v)) v += k == 0 ? "-01-01" : "-12-31";
        bool ok = iso_date(v.substr(0, 10));
        if (ok) (k == 0 ? q.min_date : q.max_date) = v.substr(0, 10);
        else ctx.warn(code, std::string(k == 0 ? "date_min" : "date_max") + " '" + v + "' is not a date; no bound imported");
    }
    std::string fmt = attr(lq, "date_format");
    if (!fmt.empty() && fmt.find_first_of("YyDd") == std::string::npos)
        ctx.warn(code, "date question with the time-only format '" + fmt + "': the kiosk asks for a date");
}

void TypeMap::choice_array() {
    q.type = QuestionType::Matrix;
    q.cell = MatrixCell::Choice;
    add_rows(subs0);
    if (t == "F" || t == "H") add_options_from_answers(q.options, 0);
    if (t == "A") numbered(1, 5);
    if (t == "B") numbered(1, 10);
    if (t == "C") fixed(kYesUncertainNo, 3);
    if (t == "E") fixed(kIncreaseSameDecrease, 3);
    if (t == "1") {
        add_options_from_answers(q.options, 0);
        add_options_from_answers(q.options2, 1);
        for (const std::string& l : ctx.langs) {
            std::string a = attr(lq, "dualscale_headerA", l), bh = attr(lq, "dualscale_headerB", l);
            if (!a.empty()) q.scale_header1.by_lang[l] = a;
            if (!bh.empty()) q.scale_header2.by_lang[l] = bh;
        }
    }
}

void TypeMap::cell_array() {
    q.type = QuestionType::Matrix;
    q.cell = t == ":" ? MatrixCell::Number : MatrixCell::Text;
    add_rows(subs0);
    for (LsQuestion* sq : subs1) q.options.push_back({sq->code, sq->text, false});
    if (t == ":") {
        num_attrs("multiflexible_min", "multiflexible_max", nullptr);
        if (trim(attr(lq, "multiflexible_checkbox")) == "1") {
            q.min_value = 0;
            q.max_value = 1;
            q.integer_only = true;
            ctx.warn(code, "array of checkboxes (multiflexible_checkbox): each cell is asked as a number 0 or 1");
        } else if (!q.min_value && !q.max_value && trim(attr(lq, "input_boxes")) != "1") {
            // LimeSurvey's default dropdown runs 1..10 (step 1).
            q.min_value = 1;
            q.max_value = 10;
        }
        if (trim(attr(lq, "input_boxes")) != "1") q.integer_only = true;
    }
}

bool TypeMap::map() {
    if (t == "5") {
        q.type = QuestionType::Rating;
        q.scale_min = 1;
        q.scale_max = 5;
    } else if (t == "L" || t == "!" || t == "O") {
        q.type = QuestionType::SingleChoice;
        if (t == "!") q.display = "dropdown";
        add_options_from_answers(q.options, 0);
        if (t == "O") q.comment = true;
    } else if (t == "M" || t == "P") {
        q.type = QuestionType::MultipleChoice;
        for (LsQuestion* sq : subs0) {
            q.options.push_back({sq->code, sq->text, false});
            b.option_relevance.push_back(sq->relevance ? trim(*sq->relevance) : "");
        }
        if (t == "P") {
            q.comment = true;
            ctx.warn(code, "multiple choice with a comment per option ('P'): the kiosk asks one comment for the question, which has no LimeSurvey column to go back to");
        }
        for (const std::string& ex : split_tokens(attr(lq, "exclude_all_others"), "; ,"))
            for (Option& o : q.options)
                if (o.code == ex) o.exclusive = true;
        int mn = to_int(attr(lq, "min_answers")), mx = to_int(attr(lq, "max_answers"));
        if (mn > 0) q.min_answers = mn;
        if (mx > 0) q.max_answers = mx;
    } else if (t == "S") {
        q.type = QuestionType::ShortText;
        int ml = to_int(attr(lq, "maximum_chars"));
        if (ml > 0) q.max_length = ml;
    } else if (t == "T" || t == "U") {
        q.type = QuestionType::LongText;
        int ml = to_int(attr(lq, "maximum_chars"));
        if (ml > 0) q.max_length = ml;
    } else if (t == "Q") {
        q.type = QuestionType::MultiText;
        add_rows(subs0);
    } else if (t == "K") {
        q.type = QuestionType::MultiNumeric;
        add_rows(subs0);
        num_attrs("min_num_value_n", "max_num_value_n", "num_value_int_only");
    } else if (t == "N") {
        q.type = QuestionType::Numeric;
        num_attrs("min_num_value_n", "max_num_value_n", "num_value_int_only");
    } else if (t == "Y") {
        q.type = QuestionType::YesNo;
        fixed(kYesNo, 2); // in the survey's languages, not only the kiosk's defaults
    } else if (t == "G") {
        q.type = QuestionType::SingleChoice;
        fixed(kGender, 2);
    } else if (t == "D") {
        date();
    } else if (t == "F" || t == "H" || t == "A" || t == "B" || t == "C" || t == "E" || t == "1") {
        choice_array();
    } else if (t == ":" || t == ";") {
        cell_array();
    } else if (t == "R") {
        q.type = QuestionType::Ranking;
        add_options_from_answers(q.options, 0);
        int mx = to_int(attr(lq, "max_answers"));
        if (mx > 0) q.max_answers = mx;
    } else if (t == "X") {
        q.type = QuestionType::Info;
    } else {
        ctx.warn(code, "unknown question type '" + t + "' left out");
        return false;
    }
    return true;
}

} // namespace

// ---------------------------------------------------------------------------------------
// Question attributes: each is mapped, or ignored with a warning (one per attribute, naming
// the questions). LSS_IMPORT.md has the same table for people.

namespace {

// Attributes the importer reads (lss_types.cpp, lss_import.cpp).
const char* const kMappedAttributes[] = {
    "hidden", "array_filter", "array_filter_exclude", "exclude_all_others", "min_answers", "max_answers",
    "maximum_chars", "min_num_value_n", "max_num_value_n", "num_value_int_only", "date_min", "date_max",
    "date_format", "dualscale_headerA", "dualscale_headerB", "multiflexible_min", "multiflexible_max",
    "multiflexible_checkbox", "input_boxes", "other_replace_text", "random_group", "random_order", "alphasort",
    "answer_order", "relevance", "equation", "em_validation_q", "em_validation_q_tip", "em_validation_sq",
    "em_validation_sq_tip"};

struct IgnoredAttribute {
    const char* name;   // exact name, or a prefix ending in '*'
    const char* why;
};

// What the kiosk leaves out, and why. An attribute at its default value changes nothing and is
// not reported.
const IgnoredAttribute kIgnoredAttributes[] = {
    // how LimeSurvey draws the question: the kiosk has its own accessible layout
    {"cssclass", "page layout"}, {"display_columns", "page layout"}, {"display_rows", "page layout"},
    {"text_input_width", "page layout"}, {"answer_width", "page layout"}, {"answer_width_bycolumn", "page layout"},
    {"hide_tip", "page layout"}, {"question_template", "page layout"}, {"use_dropdown", "page layout"},
    {"dropdown_size", "page layout"}, {"dropdown_prefix", "page layout"}, {"dropdown_separators", "page layout"},
    {"dropdown_prepostfix", "page layout"}, {"placeholder", "page layout"}, {"repeat_headings", "page layout"},
    {"horizontal_scroll", "page layout"}, {"page_break", "page layout (paper forms break by group)"},
    {"other_position", "page layout (the kiosk shows 'other' last)"}, {"other_position_code", "page layout (the kiosk shows 'other' last)"},
    {"input_size", "page layout"}, {"show_title", "page layout"}, {"show_comment", "page layout"},
    {"display_type", "page layout"}, {"dropdown_dates", "page layout"}, {"category_separator", "page layout"},
    {"reverse", "page layout"}, {"slider_*", "page layout (the kiosk asks a number)"},
    {"array_filter_style", "page layout (the kiosk hides filtered rows)"}, {"printable_help", "paper layout"},
    {"fix_width", "page layout"}, {"fix_height", "page layout"}, {"keep_aspect", "page layout"},
    {"crop_or_resize", "page layout"},
    {"prefix", "text before the field is not shown"}, {"suffix", "text after the field is not shown"},
    // LimeSurvey's statistics and exports
    {"public_statistics", "LimeSurvey statistics"}, {"statistics_*", "LimeSurvey statistics"},
    {"scale_export", "LimeSurvey export setting"}, {"powerbiDataType", "LimeSurvey export setting"},
    {"assessment_value", "assessments are not run on the kiosk"},
    // behaviour the kiosk does not have
    {"save_as_default", "answers are not kept as defaults for later respondents"},
    {"clear_default", "answers are not kept as defaults for later respondents"},
    {"time_limit", "timers are not run on the kiosk"}, {"time_limit_*", "timers are not run on the kiosk"},
    {"other_comment_mandatory", "the other text is not required"}, {"other_numbers_only", "the other text is not checked for numbers"},
    {"numbers_only", "the text is not checked for numbers"}, {"exclude_all_others_auto", "not applied automatically"},
    {"equals_num_value", "the total is not checked"}, {"min_num_value", "the total is not checked"},
    {"max_num_value", "the total is not checked"}, {"num_value_equals_sgqa", "the total is not checked"},
    {"min_num_value_sgqa", "the total is not checked"}, {"max_num_value_sgqa", "the total is not checked"},
    {"show_totals", "totals are not shown"}, {"show_grand_total", "totals are not shown"},
    {"multiflexible_step", "steps are not checked"},
    {"location_*", "no map on the kiosk"}, {"scriptActivate", "scripts do not run on the kiosk"},
    {"javascript", "scripts do not run on the kiosk"},
    {"min_num_of_files", "file upload"}, {"max_num_of_files", "file upload"}, {"max_filesize", "file upload"},
    {"allowed_filetypes", "file upload"}, {"show_comment", "file upload"},
};

bool is_default_value(const std::string& name, const std::string& v) {
    std::string t = trim(v);
    if (t.empty() || t == "0" || t == "N") return true;
    if (name == "other_position" || name == "array_filter_style" || name == "answer_order" || name == "display_type")
        return t == "default" || t == "end" || t == "normal";
    if (name == "statistics_graphtype") return t == "0" || t == "-1";
    if (name == "statistics_showgraph") return t == "1";
    // Settings of a feature that is off: only time_limit and location_mapservice switch
    // timers and maps on (their other attributes carry LimeSurvey's defaults, e.g. 300).
    if (name.rfind("time_limit_", 0) == 0) return true;
    if (name.rfind("location_", 0) == 0 && name != "location_mapservice") return true;
    return false;
}

} // namespace

static void note_attributes(Ctx& ctx, const LsQuestion& lq) {
    for (const auto& entry : lq.attrs) {
        const std::string& name = entry.first; // a plain name: lambdas cannot capture bindings
        const LocalText& texts = entry.second;
        if (std::find_if(std::begin(kMappedAttributes), std::end(kMappedAttributes),
                         [&](const char* m) { return name == m; }) != std::end(kMappedAttributes))
            continue;
        bool set = false;
        for (const auto& [lang, v] : texts.by_lang)
            if (!is_default_value(name, v)) set = true;
        if (!set) continue;
        const char* why = "not known to the importer";
        for (const IgnoredAttribute& ia : kIgnoredAttributes) {
            std::string n = ia.name;
            bool match = n.back() == '*' ? name.rfind(n.substr(0, n.size() - 1), 0) == 0 : name == n;
            if (match) { why = ia.why; break; }
        }
        auto& list = ctx.ignored_attributes[name];
        if (list.first.empty()) list.first = why;
        if (std::find(list.second.begin(), list.second.end(), lq.code) == list.second.end()) list.second.push_back(lq.code);
    }
}

// random_group, random_order / alphasort / answer_order as the survey format's order keys.
static void order_settings(const LsQuestion& lq, Question& q) {
    std::string rg = trim(attr(lq, "random_group"));
    std::string safe;
    for (char c : rg) safe += is_alnum(c) ? c : '_';
    if (safe.size() > 64) safe.resize(64);
    if (!safe.empty() && q.type != QuestionType::Info) q.random_group = safe;
    bool takes_order = !q.options.empty() || !q.rows.empty();
    std::string ao = trim(attr(lq, "answer_order"));
    if (trim(attr(lq, "random_order")) == "1" || ao == "random") q.option_order = "random";
    else if (trim(attr(lq, "alphasort")) == "1" || ao == "alphabetical") q.option_order = "alphabetical";
    // Generated scales (rating, yes/no) have nothing to reorder.
    if (!takes_order || q.type == QuestionType::Rating || q.type == QuestionType::YesNo) q.option_order.clear();
}

// The kiosk reserves the codes "other" and "comment" (they name a question's other and comment
// fields); LimeSurvey allows them, e.g. a subquestion "other" mirroring an array filter's other
// option. Such an item gets a kiosk code ("ls_other") and keeps LimeSurvey's as source_code,
// which the VV export and the name map use: nothing is lost.
template <class Item> static void rename_items(Ctx& ctx, const std::string& qcode, std::vector<Item>& items, const char* what) {
    for (Item& it : items) {
        if (it.code != "other" && it.code != "comment") continue;
        std::string code = "ls_" + it.code;
        for (int n = 2; std::any_of(items.begin(), items.end(), [&](const Item& o) { return o.code == code; }); n++)
            code = "ls_" + it.code + std::to_string(n);
        ctx.warn(qcode, std::string(what) + " code '" + it.code + "' is reserved on the kiosk: renamed to '" + code +
                            "'; exports write '" + it.code + "' back");
        it.source_code = it.code;
        it.code = code;
    }
}

static void rename_reserved(Ctx& ctx, Question& q) {
    rename_items(ctx, q.code, q.options, "option");
    rename_items(ctx, q.code, q.options2, "option");
    rename_items(ctx, q.code, q.rows, "row");
}

bool map_question_type(Ctx& ctx, LsQuestion& lq, Built& b) {
    const std::string& t = lq.type;
    const std::string& code = lq.code;
    auto drop = [&](const std::string& why) { ctx.warn(code, "type '" + t + "' (" + why + ") left out"); };
    if (t == "|") { drop("file upload: a kiosk cannot take files"); return false; }
    if (t == "*") {
        // LimeSurvey computes the `equation` attribute, or the text when it is empty, and
        // shows the text unless the question is hidden. The equation is translated with
        // the texts (Importer::finish_computed).
        b.ls = &lq;
        b.q.code = code;
        b.q.type = QuestionType::Equation;
        b.q.text = lq.text;
        b.q.show_text = trim(attr(lq, "hidden")) != "1";
        note_attributes(ctx, lq);
        return true;
    }
    if (t == "I") { drop("language switch: the kiosk has its own language choice"); return false; }
    if (trim(attr(lq, "hidden")) == "1") {
        ctx.warn(code, "hidden question (attribute hidden=1, type '" + t + "') left out: a kiosk asks only what it shows");
        return false;
    }
    b.ls = &lq;
    Question& q = b.q;
    q.code = code;
    q.text = lq.text;
    q.help = lq.help;
    q.mandatory = lq.mandatory == "Y";
    if (lq.mandatory == "S")
        ctx.warn(code, "soft mandatory ('S') imported as optional: the kiosk never insists twice");
    TypeMap m{ctx, lq, b, q, t, code, subs_of(lq, 0), subs_of(lq, 1)};
    if (!m.map()) return false;
    rename_reserved(ctx, q);
    order_settings(lq, q);
    note_attributes(ctx, lq);
    bool has_other = lq.other == "Y";
    if (has_other) {
        if (q.type == QuestionType::SingleChoice || q.type == QuestionType::MultipleChoice) {
            q.other = true;
            for (const std::string& l : ctx.langs) {
                std::string lab = attr(lq, "other_replace_text", l);
                if (!trim(lab).empty()) q.other_label.by_lang[l] = lab;
            }
        } else {
            ctx.warn(code, "'other' is set on type '" + t + "', which has no other option; ignored");
        }
    }
    // Questions that would be empty on screen cannot be asked.
    bool needs_rows = q.type == QuestionType::Matrix || q.type == QuestionType::MultiText ||
                      q.type == QuestionType::MultiNumeric;
    bool needs_options = q.type == QuestionType::SingleChoice || q.type == QuestionType::MultipleChoice ||
                         q.type == QuestionType::Ranking || q.type == QuestionType::Matrix;
    if ((needs_rows && q.rows.empty()) || (needs_options && q.options.empty() && !q.other)) {
        ctx.warn(code, std::string("type '") + t + "' without " + (needs_rows && q.rows.empty() ? "subquestions" : "answer options") + " left out");
        return false;
    }
    if (t == "1" && q.options2.empty()) {
        ctx.warn(code, "dual-scale array without a second scale: imported as a one-scale array");
    }
    return true;
}

} // namespace tk::lss
