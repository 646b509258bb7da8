// session.cpp - walking one respondent through a survey (see session.h).
//
// Visibility is never stored: it is recomputed from the answers whenever someone asks, in
// one forward pass over the survey (see VisScope). Answers of hidden questions and matrix
// rows are dropped as soon as they become hidden, so the stored answers and what the
// respondent can see never disagree.
#include "session.h"
#include "response.h"
#include "text.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace tk {

namespace {

// Visibility of every question in survey order. Conditions only read strictly earlier
// questions (the loader guarantees it), so one forward pass decides every question before
// anything later asks about it, and each condition is evaluated once: chained conditions
// cost linear time instead of re-evaluating the chain for every variable. While a pass is
// installed, Session::lookup reads it instead of starting another one. A question that is
// not decided yet reads as hidden: that only happens in a hand-built survey whose
// conditions look forward, and it keeps such a survey from recursing forever.
struct VisTable {
    const Session* session = nullptr;
    std::vector<signed char> shown; // per question in survey order: -1 undecided, 0 hidden, 1 shown
};
thread_local VisTable* t_vis = nullptr;

// Installs a fresh pass for `s` unless one is already installed. Must not live across a
// change of the answers (the table would be stale): mutating code opens a new scope after
// each change.
struct VisScope {
    VisTable table;
    VisTable* saved = nullptr;
    bool own = false;

    explicit VisScope(const Session& s) {
        if (t_vis && t_vis->session == &s) return;
        own = true;
        saved = t_vis;
        table.session = &s;
        size_t n = 0;
        for (const Group& g : s.survey().groups) n += g.questions.size();
        table.shown.assign(n, -1);
        t_vis = &table;
        VarLookup look = [&s](const std::string& name, const std::string& suffix) {
            return s.lookup(name, suffix);
        };
        size_t i = 0;
        for (const Group& g : s.survey().groups) {
            bool group_shown = !g.condition || evaluate_condition(*g.condition, look);
            for (const Question& q : g.questions) {
                bool v = group_shown && (!q.condition || evaluate_condition(*q.condition, look));
                table.shown[i++] = v ? 1 : 0;
            }
        }
    }
    ~VisScope() {
        if (own) t_vis = saved;
    }
    VisScope(const VisScope&) = delete;
    VisScope& operator=(const VisScope&) = delete;

    bool shown(size_t i) const {
        const VisTable& t = own ? table : *t_vis;
        return i < t.shown.size() && t.shown[i] == 1;
    }
};

} // namespace

// --- small helpers ---

static std::string trim(const std::string& s) {
    size_t b = 0, e = s.size();
    while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r' || s[b] == '\n')) b++;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' || s[e - 1] == '\n')) e--;
    return s.substr(b, e - b);
}

// Strict decimal number: [+-]digits[.digits] or [+-].digits. No exponents, no "inf", no
// locale: what a respondent types into a number field and what the response stores.
static bool parse_number(const std::string& s, double* out) {
    size_t i = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) i++;
    size_t digits = 0;
    bool dot = false;
    for (; i < s.size(); i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') digits++;
        else if (c == '.' && !dot) dot = true;
        else return false;
    }
    if (digits == 0 || s[s.size() - 1] == '.') return false;
    const char* first = s.data() + (s[0] == '+' ? 1 : 0);
    double d = 0;
    auto r = std::from_chars(first, s.data() + s.size(), d);
    if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return false;
    *out = d;
    return true;
}

// Numbers as people type them: "3,5" is 3.5 in German. Stored with "." (see response.h).
static std::string normalise_number(const std::string& s) {
    std::string t = trim(s);
    if (std::count(t.begin(), t.end(), ',') == 1 && t.find('.') == std::string::npos)
        std::replace(t.begin(), t.end(), ',', '.');
    return t;
}

static std::string render_bound(double d) {
    char buf[64];
    if (std::floor(d) == d && std::fabs(d) < 1e15) std::snprintf(buf, sizeof buf, "%.0f", d);
    else std::snprintf(buf, sizeof buf, "%.15g", d);
    return buf;
}

static bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

// The row a cell key belongs to: "SQ001", "SQ001#1" (dual scale 2), "SQ001_COL" (number and
// text cells). Longest row code wins, so rows "A" and "A_1" do not shadow each other.
static const Row* row_of_cell(const Question& q, const std::string& key) {
    const Row* best = nullptr;
    for (const Row& r : q.rows) {
        const std::string& c = r.code;
        bool match = key == c || (key.size() > c.size() && key.compare(0, c.size(), c) == 0 &&
                                  (key[c.size()] == '#' || key[c.size()] == '_'));
        if (match && (!best || c.size() > best->code.size())) best = &r;
    }
    return best;
}

static int index_of(const std::vector<const Question*>& order, const std::string& code) {
    for (size_t i = 0; i < order.size(); i++)
        if (order[i]->code == code) return (int)i;
    return -1;
}

// yes/no texts when the survey gives none (the loader may generate Y/N options instead).
static std::string yesno_text(const std::string& code, const std::string& lang) {
    bool de = lang.rfind("de", 0) == 0;
    if (code == "Y") return de ? "Ja" : "Yes";
    if (code == "N") return de ? "Nein" : "No";
    return code;
}

static AnswerProblem problem(AnswerProblem::Kind k, std::string detail = "") {
    AnswerProblem p;
    p.kind = k;
    p.detail = std::move(detail);
    return p;
}

// A crossed limit: `bound` is what the person is told ("100", "3", "2020-01-01").
static AnswerProblem bounded(AnswerProblem::Kind k, const std::string& bound) {
    AnswerProblem p = problem(k, bound);
    p.bound = bound;
    return p;
}

// The problem is in one cell of a matrix / multi_* question: `cell` says which, and the
// diagnostic `detail` reads "CELL: ..." as the CLI and logs have always shown it.
static AnswerProblem in_cell(AnswerProblem p, const std::string& where) {
    if (p.ok() || where.empty()) return p;
    p.cell = where;
    p.detail = where + ": " + p.detail;
    return p;
}

// Range check of one number field (numeric, multi_numeric cells, matrix number cells).
static AnswerProblem check_number(const Question& q, const std::string& v, const std::string& where) {
    double d = 0;
    if (!parse_number(v, &d)) return in_cell(problem(AnswerProblem::NotANumber, v), where);
    if (q.integer_only && std::floor(d) != d) return in_cell(problem(AnswerProblem::NotInteger, v), where);
    if (q.min_value && d < *q.min_value) return in_cell(bounded(AnswerProblem::TooSmall, render_bound(*q.min_value)), where);
    if (q.max_value && d > *q.max_value) return in_cell(bounded(AnswerProblem::TooLarge, render_bound(*q.max_value)), where);
    return {};
}

static AnswerProblem check_length(const Question& q, const std::string& v, const std::string& where) {
    if (q.max_length > 0 && utf8_length(v) > (size_t)q.max_length)
        return in_cell(bounded(AnswerProblem::TooLong, std::to_string(q.max_length)), where);
    return {};
}

// --- Session ---

Session::Session(std::shared_ptr<const Survey> survey, std::string language, int64_t started_unix, bool prefill)
    : survey_(std::move(survey)), language_(std::move(language)), started_(started_unix), prefill_(prefill) {
    for (const Group& g : survey_->groups)
        for (const Question& q : g.questions) order_.push_back(&q);
    settle();
}

void Session::settle() {
    int n = (int)order_.size();
    while (pos_ < n) {
        const Question& q = *order_[pos_];
        bool shown = VisScope(*this).shown(pos_);
        if (shown && q.type == QuestionType::Equation) {
            std::string v = equation_value(q);
            auto it = answers_.find(q.code);
            if (v.empty() != (it == answers_.end()) || (it != answers_.end() && it->second.value != v)) {
                if (v.empty()) answers_.erase(q.code);
                else answers_[q.code] = Answer{v, {}, {}, "", "", false};
                prune(); // the new value may hide later questions that were answered before
            }
        }
        if (shown && q.is_page()) {
            apply_default(q);
            return;
        }
        pos_++;
    }
}

void Session::apply_default(const Question& q) {
    if (!prefill_ || defaulted_[q.code] || !q.has_default()) return;
    defaulted_[q.code] = true; // offered once: a default the respondent cleared stays cleared
    if (answer(q.code)) return;
    Answer a = q.default_answer;
    if (q.default_expr) {
        std::string v;
        try {
            v = evaluate(*q.default_expr, lookup_for(&q, nullptr)).text;
        } catch (...) {
            return;
        }
        if (v.empty()) return;
        if (q.type == QuestionType::MultipleChoice || q.type == QuestionType::Ranking ||
            q.type == QuestionType::RankedList)
            a.values = split_tokens(v, " ,;");
        else if (q.type == QuestionType::Matrix || q.type == QuestionType::MultiText ||
                 q.type == QuestionType::MultiNumeric)
            return; // an expression gives one value; these need one per field
        else
            a.value = v;
    }
    defaulting_ = true;
    set_answer(q.code, a); // checked like typed input: a default naming no option is dropped
    defaulting_ = false;
}

VarLookup Session::lookup_for(const Question* self, const std::string* cell) const {
    return [this, self, cell](const std::string& name, const std::string& suffix) {
        if (self && (name == "this" || name == "self"))
            return lookup(cell ? self->code + "_" + *cell : self->code, suffix);
        return lookup(name, suffix);
    };
}

std::string Session::piped(const std::string& s, const Question* self) const {
    if (!may_pipe(s)) return s;
    return render_piped(survey_->piped_text(s), lookup_for(self, nullptr));
}

std::string Session::text(const LocalText& t, const Question* self) const {
    return piped(t.get(language_, survey_->original_language()), self);
}

std::string Session::equation_value(const Question& q) const {
    if (q.type != QuestionType::Equation || !is_visible(q)) return "";
    return trim(render_piped(survey_->piped_text(q.equation), lookup_for(nullptr, nullptr)));
}

const Question* Session::current() const {
    if (pos_ >= (int)order_.size()) return nullptr;
    VisScope vis(*this);
    return vis.shown(pos_) && order_[pos_]->is_page() ? order_[pos_] : nullptr;
}

bool Session::can_go_back() const {
    VisScope vis(*this);
    for (int i = std::min(pos_, (int)order_.size()) - 1; i >= 0; i--)
        if (vis.shown(i) && order_[i]->is_page()) return true;
    return false;
}

AnswerProblem Session::next() {
    int n = (int)order_.size();
    if (pos_ >= n) return {};
    bool shown = VisScope(*this).shown(pos_);
    if (shown) {
        const Question& q = *order_[pos_];
        AnswerProblem p = check(q);
        if (p.ok()) p = validate(q);
        if (!p.ok()) return p;
        passed_[q.code] = true;
        acted_ = true;
    }
    pos_++;
    settle();
    return {};
}

bool Session::back() {
    VisScope vis(*this);
    for (int i = std::min(pos_, (int)order_.size()) - 1; i >= 0; i--) {
        if (vis.shown(i) && order_[i]->is_page()) {
            pos_ = i;
            return true;
        }
    }
    return false;
}

bool Session::go_to(const std::string& code) {
    int i = index_of(order_, code);
    if (i < 0) return false;
    {
        VisScope vis(*this);
        if (!vis.shown(i) || !order_[i]->is_page()) return false;
    }
    pos_ = i;
    apply_default(*order_[i]);
    return true;
}

int Session::progress_percent() const {
    if (at_review()) return 100;
    VisScope vis(*this);
    int total = 0, passed = 0;
    for (size_t i = 0; i < order_.size(); i++) {
        if (!vis.shown(i) || !order_[i]->has_answer() || order_[i]->type == QuestionType::Equation) continue;
        total++;
        if (passed_.count(order_[i]->code)) passed++;
    }
    return total == 0 ? 0 : passed * 100 / total;
}

const Answer* Session::answer(const std::string& code) const {
    auto it = answers_.find(code);
    return it == answers_.end() ? nullptr : &it->second;
}

bool Session::is_visible(const Question& q) const {
    int i = index_of(order_, q.code);
    if (i < 0) return false;
    VisScope vis(*this);
    return vis.shown(i);
}

bool Session::is_row_visible(const Question& q, const Row& r) const {
    VisScope vis(*this);
    if (!is_visible(q)) return false;
    if (!r.condition) return true;
    return evaluate_condition(*r.condition, [this](const std::string& name, const std::string& suffix) {
        return lookup(name, suffix);
    });
}

std::vector<const Question*> Session::visible_questions() const {
    VisScope vis(*this);
    std::vector<const Question*> out;
    for (size_t i = 0; i < order_.size(); i++)
        if (vis.shown(i) && order_[i]->is_page()) out.push_back(order_[i]);
    return out;
}

// The value of the whole question, `Q` (see FORMAT.md, "Variables").
static ExprValue whole_value(const Question& q, const Answer& a, bool shown, const std::string& lang,
                             const std::string& original) {
    auto str = [](const std::string& s) { return ExprValue::of_string(s); };
    auto num_or_str = [](const std::string& s) {
        double d = 0;
        return parse_number(s, &d) ? ExprValue::of_number(d) : ExprValue::of_string(s);
    };
    auto count = [](size_t n) { return n == 0 ? ExprValue::of_string("") : ExprValue::of_number((double)n); };
    switch (q.type) {
    case QuestionType::SingleChoice:
        if (shown) {
            if (a.value == kOtherCode) return str(a.other);
            if (const Option* o = q.find_option(a.value)) return str(o->text.get(lang, original));
        }
        return str(a.value);
    case QuestionType::YesNo:
        if (shown && !a.value.empty()) {
            if (const Option* o = q.find_option(a.value)) return str(o->text.get(lang, original));
            return str(yesno_text(a.value, lang));
        }
        return str(a.value);
    case QuestionType::Rating:
        if (shown && !a.value.empty())
            if (const Option* o = q.find_option(a.value)) return str(o->text.get(lang, original));
        return num_or_str(a.value);
    case QuestionType::Numeric:
    case QuestionType::Equation:
        return num_or_str(a.value);
    case QuestionType::ShortText:
    case QuestionType::LongText:
    case QuestionType::Date:
        return str(a.value);
    case QuestionType::MultipleChoice:
        return count(a.values.size() + (a.other.empty() ? 0 : 1));
    case QuestionType::Ranking:
    case QuestionType::RankedList:
        return count(a.values.size());
    default:
        return str("");
    }
}

// LimeSurvey's one-letter type code of the question as LimeSurvey would hold it: the type
// of this survey's question, not of a file it was imported from (an imported 5-point array
// "A" is a matrix here and reads "F"). A ranked list has no LimeSurvey type; it is nearest
// to multiple short text.
static const char* limesurvey_type(const Question& q) {
    switch (q.type) {
    case QuestionType::SingleChoice: return q.display == "dropdown" ? "!" : q.comment ? "O" : "L";
    case QuestionType::MultipleChoice: return "M";
    case QuestionType::Equation: return "*";
    case QuestionType::ShortText: return "S";
    case QuestionType::LongText: return "T";
    case QuestionType::Numeric: return "N";
    case QuestionType::YesNo: return "Y";
    case QuestionType::Rating: return "5";
    case QuestionType::Matrix:
        if (q.cell == MatrixCell::Number) return ":";
        if (q.cell == MatrixCell::Text) return ";";
        return q.options2.empty() ? "F" : "1";
    case QuestionType::Ranking: return "R";
    case QuestionType::RankedList: return "Q";
    case QuestionType::MultiText: return "Q";
    case QuestionType::MultiNumeric: return "K";
    case QuestionType::Date: return "D";
    case QuestionType::Info: return "X";
    }
    return "";
}

// `Q.relevanceStatus` (1 shown, 0 not), `Q.question` (its text), `Q.gid` / `Q.qid` (1-based
// positions of its group and of the question: there are no database ids offline),
// `Q.gseq` / `Q.qseq` (0-based), `Q.sgqa` (the code), `Q.mandatory` ("Y"/"N"), `Q.type`
// (see limesurvey_type), `Q.relevance` (the condition as written; "1" without one, as
// LimeSurvey stores an always-shown question).
// Everything else (NAOK, value, valueNAOK, code, shown) reads the answer.
static bool question_property(const Survey& survey, const std::string& lang, const Question& q, int index,
                              const std::string& suffix, bool shown, ExprValue* out) {
    if (suffix == "relevanceStatus") *out = ExprValue::of_number(shown ? 1 : 0);
    else if (suffix == "question") *out = ExprValue::of_string(q.text.get(lang, survey.original_language()));
    else if (suffix == "qid") *out = ExprValue::of_number(index + 1);
    else if (suffix == "qseq") *out = ExprValue::of_number(index);
    else if (suffix == "sgqa") *out = ExprValue::of_string(q.code);
    else if (suffix == "mandatory") *out = ExprValue::of_string(q.mandatory ? "Y" : "N");
    else if (suffix == "type") *out = ExprValue::of_string(limesurvey_type(q));
    else if (suffix == "relevance") *out = ExprValue::of_string(q.condition_src.empty() ? "1" : q.condition_src);
    else if (suffix == "gid" || suffix == "gseq") {
        int g = 0, seen = 0;
        for (const Group& grp : survey.groups) {
            seen += (int)grp.questions.size();
            if (index < seen) break;
            g++;
        }
        *out = ExprValue::of_number(suffix == "gid" ? g + 1 : g);
    } else return false;
    return true;
}

ExprValue Session::lookup(const std::string& name, const std::string& suffix) const {
    const ExprValue empty = ExprValue::of_string("");
    // The question is the longest code C with name == C or name starting with C + "_".
    int best = -1;
    for (size_t i = 0; i < order_.size(); i++) {
        const std::string& c = order_[i]->code;
        bool match = name == c || (name.size() > c.size() && name.compare(0, c.size(), c) == 0 &&
                                   name[c.size()] == '_');
        if (match && (best < 0 || c.size() > order_[best]->code.size())) best = (int)i;
    }
    if (best < 0) return empty;
    VisScope vis(*this);
    const Question& q = *order_[best];
    // Properties of the question itself, whether it is shown or not (LimeSurvey's static
    // attributes and relevanceStatus; see FORMAT.md, "Variable properties").
    if (!suffix.empty() && name.size() == q.code.size()) {
        ExprValue p;
        if (question_property(*survey_, language_, q, best, suffix, vis.shown(best), &p)) return p;
    }
    if (!vis.shown(best)) return ExprValue::null_value(); // not shown: NULL, reads as empty
    const Answer* a = answer(q.code);
    if (!a || a->no_answer) return empty;
    // `.shown` is the option text for single, yesno and rating; everything else reads plain.
    if (name.size() == q.code.size())
        return whole_value(q, *a, suffix == "shown", language_, survey_->original_language());

    std::string rest = name.substr(q.code.size() + 1);
    if (rest == "other") return ExprValue::of_string(a->other);
    if (rest == "comment") return ExprValue::of_string(a->comment);
    switch (q.type) {
    case QuestionType::MultipleChoice:
        return ExprValue::of_string(contains(a->values, rest) ? "Y" : "");
    case QuestionType::Matrix:
    case QuestionType::MultiText:
    case QuestionType::MultiNumeric: {
        const Row* r = row_of_cell(q, rest);
        if (!r || !is_row_visible(q, *r)) return empty;
        auto it = a->cells.find(rest);
        // A row's "keine Antwort" reads as empty, as the whole question's does.
        if (it == a->cells.end() || it->second == kNoAnswerCode) return empty;
        return ExprValue::of_string(it->second);
    }
    case QuestionType::Ranking:
    case QuestionType::RankedList: {
        if (rest.empty() || rest.size() > 4 || rest.find_first_not_of("0123456789") != std::string::npos)
            return empty;
        size_t n = (size_t)std::stoi(rest);
        if (n < 1 || n > a->values.size()) return empty;
        return ExprValue::of_string(a->values[n - 1]);
    }
    default:
        return empty;
    }
}

AnswerProblem Session::check(const Question& q) const {
    if (!q.has_answer()) return {};
    const Answer* a = answer(q.code);
    if (!a || a->empty() || a->no_answer)
        return q.mandatory ? problem(AnswerProblem::Required, q.code) : AnswerProblem{};

    switch (q.type) {
    case QuestionType::SingleChoice:
        if (a->value.empty()) return q.mandatory ? problem(AnswerProblem::Required, q.code) : AnswerProblem{};
        if (a->value == kOtherCode) {
            if (!q.other) return problem(AnswerProblem::UnknownOption, a->value);
            if (trim(a->other).empty()) return problem(AnswerProblem::OtherTextMissing, q.code);
        } else if (!q.find_option(a->value)) {
            return problem(AnswerProblem::UnknownOption, a->value);
        }
        return {};
    case QuestionType::MultipleChoice: {
        for (const std::string& v : a->values)
            if (!q.find_option(v)) return problem(AnswerProblem::UnknownOption, v);
        int n = (int)a->values.size() + (a->other.empty() ? 0 : 1);
        if (n == 0) return q.mandatory ? problem(AnswerProblem::Required, q.code) : AnswerProblem{};
        if (q.min_answers > 0 && n < q.min_answers)
            return bounded(AnswerProblem::TooFew, std::to_string(q.min_answers));
        if (q.max_answers > 0 && n > q.max_answers)
            return bounded(AnswerProblem::TooMany, std::to_string(q.max_answers));
        return {};
    }
    case QuestionType::ShortText:
    case QuestionType::LongText:
        if (a->value.empty()) return q.mandatory ? problem(AnswerProblem::Required, q.code) : AnswerProblem{};
        return check_length(q, a->value, "");
    case QuestionType::Numeric:
        if (a->value.empty()) return q.mandatory ? problem(AnswerProblem::Required, q.code) : AnswerProblem{};
        return check_number(q, a->value, "");
    case QuestionType::YesNo:
    case QuestionType::Rating:
        if (a->value.empty()) return q.mandatory ? problem(AnswerProblem::Required, q.code) : AnswerProblem{};
        return {}; // set_answer admits only existing codes
    case QuestionType::Date:
        if (a->value.empty()) return q.mandatory ? problem(AnswerProblem::Required, q.code) : AnswerProblem{};
        if (!parse_iso_date(a->value, nullptr)) return problem(AnswerProblem::BadDate, a->value);
        if (!q.min_date.empty() && a->value < q.min_date) return bounded(AnswerProblem::TooSmall, q.min_date);
        if (!q.max_date.empty() && a->value > q.max_date) return bounded(AnswerProblem::TooLarge, q.max_date);
        return {};
    case QuestionType::Ranking:
    case QuestionType::RankedList: {
        if (a->values.empty()) return q.mandatory ? problem(AnswerProblem::Required, q.code) : AnswerProblem{};
        if (q.max_answers > 0 && (int)a->values.size() > q.max_answers)
            return bounded(AnswerProblem::TooMany, std::to_string(q.max_answers));
        for (const std::string& v : a->values) {
            if (q.type == QuestionType::Ranking && !q.find_option(v))
                return problem(AnswerProblem::UnknownOption, v);
            if (q.type == QuestionType::RankedList) {
                AnswerProblem p = check_length(q, v, "");
                if (!p.ok()) return p;
            }
        }
        return {};
    }
    case QuestionType::Matrix:
    case QuestionType::MultiText:
    case QuestionType::MultiNumeric: {
        bool number_cells = q.type == QuestionType::MultiNumeric ||
                            (q.type == QuestionType::Matrix && q.cell == MatrixCell::Number);
        bool text_cells = q.type == QuestionType::MultiText ||
                          (q.type == QuestionType::Matrix && q.cell == MatrixCell::Text);
        for (const auto& [key, v] : a->cells) {
            AnswerProblem p = number_cells ? check_number(q, v, key) : text_cells ? check_length(q, v, key) : AnswerProblem{};
            if (!p.ok()) return p;
        }
        // Mandatory: every row the respondent sees needs an answer (as LimeSurvey does).
        if (q.mandatory) {
            for (const Row& r : q.rows) {
                if (!is_row_visible(q, r)) continue;
                bool any = false;
                for (const auto& [key, v] : a->cells)
                    if (row_of_cell(q, key) == &r) any = true;
                if (!any) {
                    AnswerProblem p = problem(AnswerProblem::Required, r.code); // detail: the row, as before
                    p.cell = r.code;
                    return p;
                }
            }
        }
        return {};
    }
    case QuestionType::Equation: // computed, never typed
    case QuestionType::Info:
        return {};
    }
    return {};
}

AnswerProblem Session::validate(const Question& q) const {
    if (!q.has_answer() || (!q.validation && !q.row_validation)) return {};
    const Answer* a = answer(q.code);
    if (!a || a->empty() || a->no_answer) return {};
    auto refused = [&](const LocalText& tip, const std::string& src) {
        AnswerProblem p = problem(AnswerProblem::Invalid, src);
        p.tip = text(tip, &q);
        return p;
    };
    if (q.validation && !evaluate_condition(*q.validation, lookup_for(&q, nullptr)))
        return refused(q.validation_tip, q.validation_src);
    if (q.row_validation) {
        for (const auto& [key, v] : a->cells) {
            const Row* r = row_of_cell(q, key);
            if (!r || !is_row_visible(q, *r)) continue;
            if (!evaluate_condition(*q.row_validation, lookup_for(&q, &key)))
                return in_cell(refused(q.row_validation_tip, q.row_validation_src), key);
        }
    }
    return {};
}

// Builds the stored form of `in` for question `q`: fields the type does not use are dropped,
// codes are checked. Returns a problem (and leaves *out unspecified) when a code is unknown.
static AnswerProblem normalise(const Question& q, const Survey& s, const Answer& in, const Answer* old,
                               Answer* out) {
    Answer a;
    if (in.no_answer && s.settings.no_answer_option && !q.mandatory) {
        a.no_answer = true; // "keine Antwort" excludes every other field
        *out = a;
        return {};
    }
    if (q.comment) a.comment = in.comment;
    switch (q.type) {
    case QuestionType::SingleChoice:
        a.value = trim(in.value);
        if (q.other && !in.other.empty() && (a.value.empty() || a.value == kOtherCode)) {
            a.value = kOtherCode;
            a.other = in.other;
        }
        if (a.value == kOtherCode && !q.other) return problem(AnswerProblem::UnknownOption, a.value);
        if (!a.value.empty() && a.value != kOtherCode && !q.find_option(a.value))
            return problem(AnswerProblem::UnknownOption, a.value);
        break;
    case QuestionType::MultipleChoice: {
        for (const std::string& v : in.values)
            if (!q.find_option(v)) return problem(AnswerProblem::UnknownOption, v);
        if (q.other && !trim(in.other).empty()) a.other = in.other;
        // Exclusive options ("none of these"): what was chosen just now wins. Newly choosing
        // an exclusive option clears everything else; newly choosing anything else clears the
        // exclusive ones.
        std::string new_exclusive;
        bool plain = !a.other.empty();
        for (const std::string& v : in.values) {
            const Option* o = q.find_option(v);
            if (o->exclusive && !(old && contains(old->values, v)) && new_exclusive.empty()) new_exclusive = v;
            if (!o->exclusive) plain = true;
        }
        if (!new_exclusive.empty()) {
            a.values = {new_exclusive};
            a.other.clear();
        } else {
            bool kept_exclusive = false;
            for (const Option& o : q.options) { // option order, duplicates collapse
                if (!contains(in.values, o.code)) continue;
                if (o.exclusive && (plain || kept_exclusive)) continue;
                if (o.exclusive) kept_exclusive = true;
                a.values.push_back(o.code);
            }
        }
        break;
    }
    case QuestionType::ShortText:
    case QuestionType::LongText:
        // Kept as typed, but blanks alone are no answer (a mandatory text needs a real one).
        if (!trim(in.value).empty()) a.value = in.value;
        break;
    case QuestionType::Numeric:
        a.value = normalise_number(in.value);
        break;
    case QuestionType::Date:
        a.value = trim(in.value);
        break;
    case QuestionType::YesNo:
        a.value = trim(in.value);
        if (!a.value.empty() && a.value != "Y" && a.value != "N")
            return problem(AnswerProblem::UnknownOption, a.value);
        break;
    case QuestionType::Rating: {
        a.value = trim(in.value);
        if (a.value.empty()) break;
        bool known = false;
        if (!q.options.empty()) {
            known = q.find_option(a.value) != nullptr;
        } else {
            double d = 0;
            known = parse_number(a.value, &d) && std::floor(d) == d && d >= q.scale_min && d <= q.scale_max;
        }
        if (!known) return problem(AnswerProblem::UnknownOption, a.value);
        break;
    }
    case QuestionType::Ranking:
        for (const std::string& v : in.values) {
            if (!q.find_option(v)) return problem(AnswerProblem::UnknownOption, v);
            if (!contains(a.values, v)) a.values.push_back(v);
        }
        break;
    case QuestionType::RankedList:
        for (const std::string& v : in.values) // empty entries close up: rank order stays dense
            if (!trim(v).empty()) a.values.push_back(v);
        break;
    case QuestionType::Matrix:
    case QuestionType::MultiText:
    case QuestionType::MultiNumeric:
        for (const auto& [key, raw] : in.cells) {
            const Row* r = row_of_cell(q, key);
            if (!r) return problem(AnswerProblem::UnknownOption, key);
            std::string v = raw;
            if (q.type == QuestionType::Matrix && q.cell == MatrixCell::Choice) {
                v = trim(v);
                if (key == r->code) {
                    // "keine Antwort" for this row, where the survey offers it (RESPONSE.md).
                    bool row_na = v == kNoAnswerCode && s.settings.no_answer_option && !q.mandatory;
                    if (!v.empty() && !row_na && !q.find_option(v))
                        return problem(AnswerProblem::UnknownOption, key + "=" + v);
                } else if (key == r->code + "#1" && !q.options2.empty()) {
                    if (!v.empty() && !q.find_option2(v)) return problem(AnswerProblem::UnknownOption, key + "=" + v);
                } else {
                    return problem(AnswerProblem::UnknownOption, key);
                }
            } else if (q.type == QuestionType::Matrix) { // number/text cells: ROW_COL
                std::string col = key.size() > r->code.size() + 1 ? key.substr(r->code.size() + 1) : "";
                if (key.compare(0, r->code.size() + 1, r->code + "_") != 0 || !q.find_option(col))
                    return problem(AnswerProblem::UnknownOption, key);
                if (q.cell == MatrixCell::Number) v = normalise_number(v);
            } else {
                if (key != r->code) return problem(AnswerProblem::UnknownOption, key);
                if (q.type == QuestionType::MultiNumeric) v = normalise_number(v);
            }
            if (!trim(v).empty()) a.cells[key] = v;
        }
        // A row's "keine Antwort" answers the whole row: its second scale is dropped.
        for (const Row& r : q.rows) {
            auto na = a.cells.find(r.code);
            if (na != a.cells.end() && na->second == kNoAnswerCode) a.cells.erase(r.code + "#1");
        }
        break;
    case QuestionType::Equation: // stored as given (paper entry, tests); the session computes its own
        a.value = trim(in.value);
        break;
    case QuestionType::Info:
        break;
    }
    *out = a;
    return {};
}

AnswerProblem Session::set_answer(const std::string& code, const Answer& in) {
    const Question* q = survey_->find_question(code);
    if (!q) return problem(AnswerProblem::UnknownOption, code);
    if (!q->has_answer()) return {}; // info pages hold no answer
    if (!defaulting_) acted_ = true;
    Answer a;
    AnswerProblem p = normalise(*q, *survey_, in, answer(code), &a);
    if (!p.ok()) return p; // nothing stored: the previous answer stays
    // Range problems (too small, too long, ...) are stored and reported by check()/next():
    // the respondent types "1" on the way to "15".
    if (a.empty()) answers_.erase(code);
    else answers_[code] = a;
    drop_hidden_answers();
    return {};
}

void Session::clear_answer(const std::string& code) {
    acted_ = true;
    answers_.erase(code);
    drop_hidden_answers();
}

void Session::drop_hidden_answers() {
    prune();
    // The page we are on may have been hidden by the change (an earlier answer was edited
    // through the API): rest on the next visible page instead.
    settle();
}

void Session::prune() {
    // A dropped answer reads as empty, which may hide further questions: repeat until
    // nothing changes. Each round removes something, so this ends.
    for (;;) {
        std::vector<std::string> drop_questions;
        std::vector<std::pair<std::string, std::string>> drop_cells;
        {
            VisScope vis(*this);
            for (const auto& [code, a] : answers_) {
                int i = index_of(order_, code);
                if (i < 0 || !vis.shown(i)) {
                    drop_questions.push_back(code);
                    continue;
                }
                const Question& q = *order_[i];
                for (const auto& [key, v] : a.cells) {
                    const Row* r = row_of_cell(q, key);
                    if (!r || !is_row_visible(q, *r)) drop_cells.push_back({code, key});
                }
            }
        }
        if (drop_questions.empty() && drop_cells.empty()) break;
        for (const std::string& c : drop_questions) answers_.erase(c);
        for (const auto& [c, key] : drop_cells) {
            auto it = answers_.find(c);
            if (it == answers_.end()) continue;
            it->second.cells.erase(key);
            if (it->second.empty()) answers_.erase(it);
        }
    }
}

Response Session::finish(bool complete, int64_t finished_unix, const std::string& channel,
                         const std::string& site, const std::string& event) const {
    Response r;
    r.survey_id = survey_->id;
    r.survey_version = survey_->version;
    r.survey_hash = survey_->hash;
    r.language = language_;
    r.channel = channel;
    r.site = site;
    r.event = event;
    r.started = started_;
    r.finished = finished_unix;
    r.complete = complete;
    VisScope vis(*this);
    for (size_t i = 0; i < order_.size(); i++) {
        const Question& q = *order_[i];
        if (!q.has_answer()) continue; // info pages are neither answered nor skipped
        if (!vis.shown(i)) {
            r.not_shown.push_back(q.code);
            continue;
        }
        if (q.type == QuestionType::Equation) { // computed once more, with every answer given
            std::string v = equation_value(q);
            if (v.empty()) r.skipped.push_back(q.code);
            else r.answers[q.code].value = v;
            continue;
        }
        const Answer* a = answer(q.code);
        // An answer that is still out of range or names a missing "other" text (the page was
        // left by a timeout while typing) is not data: it counts as skipped. Too few choices
        // or an unfilled mandatory row are still real answers.
        bool usable = a && !a->empty();
        if (usable) {
            AnswerProblem p = check(q);
            usable = p.ok() || p.kind == AnswerProblem::Required || p.kind == AnswerProblem::TooFew;
        }
        if (usable) r.answers[q.code] = *a;
        else r.skipped.push_back(q.code);
    }
    return r;
}

} // namespace tk
