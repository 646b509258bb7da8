// lss_types.cpp - pass 2 of the LimeSurvey import: each LimeSurvey question type as an engine
// question (surveys/LSS_IMPORT.md has the table). What a kiosk cannot ask (file upload,
// equations, hidden questions, arrays without subquestions) is left out with a warning.
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

bool map_question_type(Ctx& ctx, LsQuestion& lq, Built& b) {
    const std::string& t = lq.type;
    const std::string& code = lq.code;
    auto drop = [&](const std::string& why) { ctx.warn(code, "type '" + t + "' (" + why + ") left out"); };
    if (t == "|") { drop("file upload: a kiosk cannot take files"); return false; }
    if (t == "*") { drop("equation: computed, not asked; the kiosk does not compute it"); return false; }
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
