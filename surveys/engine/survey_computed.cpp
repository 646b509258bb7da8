// survey_computed.cpp - the loader's keys that hold expressions besides conditions: the
// equation of an equation question, default answers, validation expressions, and the piped
// expressions of every text (see surveys/FORMAT.md, "Piping", "Default answers",
// "Validation"; survey_loader_internal.h lists the loader's other files).
//
// Every expression found here goes into Loader::conditions with the word its messages use
// ("text", "equation", "default", "validation") and the position its variables must come
// before, so check_condition_references checks all of them with one set of rules.
#include <cmath>

#include "json_positions.h"
#include "survey_loader_internal.h"

namespace tk::loader {

std::shared_ptr<const Expr> Loader::parse_expression_key(const json& jq, const char* key, const std::string& path,
                                                         const std::string& code, std::string& src,
                                                         PendingCondition pc) {
    if (!get_string(jq, key, path, code, src, false)) return nullptr;
    std::string p = path + "/" + key;
    if (src.find_first_not_of(" \t\r\n") == std::string::npos) {
        error(p, code, in_quotes(key) + " is empty: write an expression or leave the key out");
        return nullptr;
    }
    return parse_queued(src, src, self_variable_context(), p, code, pc);
}

void Loader::parse_computed(const json& jq, const std::string& path, const std::string& code, QuestionType t,
                            int position, Question& q) {
    using T = QuestionType;
    if (t == T::Equation) {
        if (get_string(jq, "equation", path, code, q.equation, true) &&
            q.equation.find_first_not_of(" \t\r\n") == std::string::npos)
            error(path + "/equation", code, "\"equation\" is empty: write the value, e.g. \"{A1 + A2}\"");
        get_bool(jq, "show_text", path, code, q.show_text);
        if (q.show_text && q.text.empty())
            error(path, code, "\"show_text\": true needs a \"text\" to show");
    }
    if (key_applies("default", t)) parse_default(jq, path, code, t, position, q);
    if (key_applies("validation", t)) {
        PendingCondition pc;
        pc.owner = "question " + code;
        pc.what = "validation";
        pc.limit = position + 1; // the question itself may be read (it is answered by now)
        pc.self = code;
        q.validation = parse_expression_key(jq, "validation", path, code, q.validation_src, pc);
        get_text(jq, "validation_tip", path, code, q.validation_tip, false);
        if (!q.validation_tip.empty() && q.validation_src.empty())
            warn(path + "/validation_tip", code, "\"validation_tip\" is unused without \"validation\"");
    }
    if (key_applies("row_validation", t)) {
        if (jq.contains("row_validation") && t == T::Matrix && q.cell == MatrixCell::Choice)
            error(path + "/row_validation", code,
                  "\"row_validation\" applies to a matrix only with \"cell\": \"number\" or \"text\"");
        PendingCondition pc;
        pc.owner = "question " + code;
        pc.what = "validation";
        pc.limit = position + 1;
        pc.self = code;
        q.row_validation = parse_expression_key(jq, "row_validation", path, code, q.row_validation_src, pc);
        get_text(jq, "row_validation_tip", path, code, q.row_validation_tip, false);
        if (!q.row_validation_tip.empty() && q.row_validation_src.empty())
            warn(path + "/row_validation_tip", code, "\"row_validation_tip\" is unused without \"row_validation\"");
    }
}

// A number as the session stores it: [+-]digits[.digits].
static bool plain_number(const std::string& s) {
    size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
    size_t digits = 0, dots = 0;
    for (; i < s.size(); i++) {
        if (s[i] >= '0' && s[i] <= '9') digits++;
        else if (s[i] == '.' && dots++ == 0) continue;
        else return false;
    }
    return digits > 0 && s.back() != '.';
}

void Loader::parse_default(const json& jq, const std::string& path, const std::string& code, QuestionType t,
                           int position, Question& q) {
    using T = QuestionType;
    const json* v = member(jq, "default");
    if (!v) return;
    std::string p = path + "/default";
    // "{expression}": evaluated when the page is shown, like LimeSurvey's expression defaults.
    if (v->is_string()) {
        std::string s = v->get<std::string>();
        if (s.size() >= 2 && s.front() == '{' && s.back() == '}') {
            PendingCondition pc;
            pc.owner = "question " + code;
            pc.what = "default";
            pc.limit = position;
            q.default_expr = parse_queued(s.substr(1, s.size() - 2), s, self_variable_context(), p, code, pc);
            if (q.default_expr) q.default_src = s;
            return;
        }
    }
    Answer& a = q.default_answer;
    auto bad = [&](const std::string& why) { error(p, code, "bad default: " + why); a = Answer{}; };
    bool list_type = t == T::MultipleChoice || t == T::Ranking || t == T::RankedList;
    bool cell_type = t == T::Matrix || t == T::MultiText || t == T::MultiNumeric;
    if (list_type) {
        if (!v->is_array()) return bad("type " + in_quotes(type_name(t)) + " takes a list, e.g. [\"A\", \"C\"]");
        for (const json& e : *v) {
            if (!e.is_string()) return bad("every entry must be a string");
            std::string c = e.get<std::string>();
            if (t != T::RankedList && !q.find_option(c)) return bad("no option " + in_quotes(c));
            a.values.push_back(c);
        }
        return;
    }
    if (cell_type) {
        if (!v->is_object()) return bad("type " + in_quotes(type_name(t)) + " takes an object of row -> value");
        for (auto it = v->begin(); it != v->end(); ++it) {
            if (!it.value().is_string()) return bad("the value of " + in_quotes(it.key()) + " must be a string");
            const std::string& key = it.key();
            std::string val = it.value().get<std::string>();
            bool known = q.find_row(key) != nullptr;
            if (t == T::Matrix && q.cell == MatrixCell::Choice) {
                std::string row = key;
                bool second = key.size() > 2 && key.compare(key.size() - 2, 2, "#1") == 0;
                if (second) row = key.substr(0, key.size() - 2);
                known = q.find_row(row) && (second ? q.find_option2(val) != nullptr : q.find_option(val) != nullptr);
            } else if (t == T::Matrix) {
                known = part_exists(q, key);
            }
            if (!known) return bad(in_quotes(key + ": " + val) + " names no row, column or option of " + code);
            bool number = t == T::MultiNumeric || (t == T::Matrix && q.cell == MatrixCell::Number);
            if (number && !plain_number(val)) return bad(in_quotes(val) + " is not a number");
            a.cells[key] = val;
        }
        return;
    }
    if (!v->is_string()) return bad("write the answer as a string, e.g. \"1\", or an expression \"{...}\"");
    a.value = v->get<std::string>();
    switch (t) {
    case T::SingleChoice:
    case T::Rating:
        if (!q.find_option(a.value)) return bad("no option " + in_quotes(a.value));
        break;
    case T::YesNo:
        if (a.value != "Y" && a.value != "N") return bad("a yesno answer is \"Y\" or \"N\"");
        break;
    case T::Numeric:
        if (!plain_number(a.value)) return bad(in_quotes(a.value) + " is not a number (write \"2.5\")");
        break;
    case T::Date:
        if (!valid_date(a.value)) return bad(in_quotes(a.value) + " is not a date written YYYY-MM-DD");
        break;
    default:
        break;
    }
}

// --- piping ---

void Loader::check_piping(Survey& s) {
    auto piped = std::make_shared<PipedTexts>();
    // One text at JSON path `p`: split it, report what does not parse, queue its variables.
    auto text = [&](const LocalText& t, const std::string& p, const std::string& code, PendingCondition pc) {
        for (const auto& [lang, str] : t.by_lang) {
            if (!may_pipe(str)) continue;
            auto it = piped->find(str);
            if (it == piped->end()) it = piped->emplace(str, parse_piped(str)).first;
            std::string lp = p + "/" + pointer_escape(lang);
            for (const PipeProblem& pr : it->second.problems) {
                if (pr.error) error(lp, code, pr.message);
                else warn(lp, code, pr.message);
            }
            for (const PipePart& part : it->second.parts) {
                if (!part.expr) continue;
                PendingCondition c = pc;
                c.path = lp;
                c.code = code;
                c.expr = part.expr;
                conditions.push_back(c);
            }
        }
    };
    auto plain = [&](const std::string& str) { // a text in no language: the equation
        LocalText t;
        t.by_lang[""] = str;
        return t;
    };

    PendingCondition start;
    start.what = "text";
    start.is_group = true;
    start.place = "the start page";
    start.limit = 0;
    text(s.title, "/title", "", start);
    text(s.description, "/description", "", start);
    PendingCondition end;
    end.what = "text";
    end.limit = question_count; // the thank-you page comes after every question
    text(s.end_text, "/end_text", "", end);

    int position = 0;
    for (size_t gi = 0; gi < s.groups.size(); gi++) {
        Group& g = s.groups[gi];
        std::string gp = "/groups/" + std::to_string(gi);
        std::string gc = g.code.empty() ? "" : "group " + g.code;
        PendingCondition gpc;
        gpc.what = "text";
        gpc.is_group = true;
        gpc.limit = position;
        text(g.title, gp + "/title", gc, gpc);
        text(g.description, gp + "/description", gc, gpc);
        for (size_t qi = 0; qi < g.questions.size(); qi++, position++) {
            const Question& q = g.questions[qi];
            std::string qp = gp + "/questions/" + std::to_string(qi);
            PendingCondition pc;
            pc.what = "text";
            pc.limit = position;
            pc.owner = "question " + q.code;
            if (q.type == QuestionType::Equation) pc.self = q.code; // "Ihr BMI ist {self}"
            text(q.text, qp + "/text", q.code, pc);
            text(q.help, qp + "/help", q.code, pc);
            text(q.other_label, qp + "/other_label", q.code, pc);
            text(q.comment_label, qp + "/comment_label", q.code, pc);
            text(q.scale_header1, qp + "/scale_headers/0", q.code, pc);
            text(q.scale_header2, qp + "/scale_headers/1", q.code, pc);
            text(q.min_label, qp + "/scale/min_label", q.code, pc);
            text(q.max_label, qp + "/scale/max_label", q.code, pc);
            if (q.type != QuestionType::Rating) // rating options are generated numbers
                for (size_t k = 0; k < q.options.size(); k++)
                    text(q.options[k].text, qp + "/options/" + std::to_string(k) + "/text", q.code, pc);
            for (size_t k = 0; k < q.options2.size(); k++)
                text(q.options2[k].text, qp + "/options2/" + std::to_string(k) + "/text", q.code, pc);
            for (size_t k = 0; k < q.rows.size(); k++)
                text(q.rows[k].text, qp + "/rows/" + std::to_string(k) + "/text", q.code, pc);
            PendingCondition tip = pc;
            tip.limit = position + 1; // the tip may quote the answer it refuses
            tip.self = q.code;
            text(q.validation_tip, qp + "/validation_tip", q.code, tip);
            text(q.row_validation_tip, qp + "/row_validation_tip", q.code, tip);
            if (q.type == QuestionType::Equation && !q.equation.empty()) {
                PendingCondition eq = pc;
                eq.what = "equation";
                eq.self.clear(); // an equation cannot read its own value
                LocalText t = plain(q.equation);
                for (const auto& [lang, str] : t.by_lang) {
                    auto it = piped->find(str);
                    if (it == piped->end()) it = piped->emplace(str, parse_piped(str)).first;
                    for (const PipeProblem& pr : it->second.problems) {
                        if (pr.error) error(qp + "/equation", q.code, pr.message);
                        else warn(qp + "/equation", q.code, pr.message);
                    }
                    for (const PipePart& part : it->second.parts) {
                        if (!part.expr) continue;
                        PendingCondition c = eq;
                        c.path = qp + "/equation";
                        c.code = q.code;
                        c.expr = part.expr;
                        conditions.push_back(c);
                    }
                }
            }
        }
    }
    s.piped = std::move(piped);
}

} // namespace tk::loader
