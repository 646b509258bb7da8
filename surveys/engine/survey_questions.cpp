// survey_questions.cpp - the loader's questions: options, rows, the question object with
// its type-specific keys, rating scales (see survey_loader_internal.h).
#include <algorithm>

#include "json_positions.h"
#include "spelling.h"
#include "survey_loader_internal.h"

namespace tk::loader {

// "source_code": the item's code in the instrument it was imported from (a LimeSurvey code
// the kiosk reserves, such as "other"), written back by exports to that source.
void Loader::get_source_code(const json& jo, const std::string& at, const std::string& code, std::string& out) {
    if (!get_string(jo, "source_code", at, code, out, false)) return;
    if (out.empty() || out.size() > 64 || !valid_answer_code(out))
        error(at + "/source_code", code, "invalid source_code " + in_quotes(out) + ": use letters, digits and \"_\" only (at most 64)");
}

void Loader::parse_options(const json& obj, const char* key, const std::string& path,
                   const std::string& code, std::vector<Option>& out, bool allow_exclusive) {
    const json* v = member(obj, key);
    if (!v) return;
    std::string p = path + "/" + key;
    if (!v->is_array()) {
        error(p, code, std::string("\"") + key + "\" must be a list of options, not " + json_kind(*v));
        return;
    }
    std::map<std::string, size_t> seen;
    for (size_t i = 0; i < v->size(); i++) {
        const json& jo = (*v)[i];
        std::string op = p + "/" + std::to_string(i);
        if (!jo.is_object()) {
            error(op, code, "an option must be an object {\"code\": ..., \"text\": ...}, not " +
                                std::string(json_kind(jo)));
            continue;
        }
        check_keys(jo, op, code, kOptionKeys);
        Option o;
        if (get_string(jo, "code", op, code, o.code, true)) check_item_code(op, code, "option", o.code, i, seen);
        get_text(jo, "text", op, code, o.text, true);
        if (jo.contains("source_code")) get_source_code(jo, op, code, o.source_code);
        if (jo.contains("exclusive")) {
            if (allow_exclusive) get_bool(jo, "exclusive", op, code, o.exclusive);
            else error(op + "/exclusive", code,
                       "\"exclusive\" applies only to options of multiple-choice questions");
        }
        out.push_back(std::move(o));
    }
}

void Loader::parse_rows(const json& obj, const std::string& path, const std::string& code, int position,
                std::vector<Row>& out) {
    const json* v = member(obj, "rows");
    if (!v) return;
    std::string p = path + "/rows";
    if (!v->is_array()) {
        error(p, code, "\"rows\" must be a list of rows, not " + std::string(json_kind(*v)));
        return;
    }
    std::map<std::string, size_t> seen;
    for (size_t i = 0; i < v->size(); i++) {
        const json& jr = (*v)[i];
        std::string rp = p + "/" + std::to_string(i);
        if (!jr.is_object()) {
            error(rp, code, "a row must be an object {\"code\": ..., \"text\": ...}, not " +
                                std::string(json_kind(jr)));
            continue;
        }
        check_keys(jr, rp, code, kRowKeys);
        Row r;
        if (get_string(jr, "code", rp, code, r.code, true)) check_item_code(rp, code, "row", r.code, i, seen);
        get_text(jr, "text", rp, code, r.text, true);
        if (jr.contains("source_code")) get_source_code(jr, rp, code, r.source_code);
        PendingCondition pc;
        pc.owner = "row " + r.code + " of " + code;
        pc.limit = position;
        r.condition = parse_condition(jr, rp, code, r.condition_src, pc);
        out.push_back(std::move(r));
    }
}

void Loader::parse_question(const json& jq, const std::string& path, Question& q) {
    int position = question_count++; // counted even when broken, like the survey order
    if (!jq.is_object()) {
        error(path, "", "a question must be an object, not " + std::string(json_kind(jq)));
        return;
    }
    std::string code;
    if (get_string(jq, "code", path, "", q.code, true)) {
        if (!valid_question_code(q.code)) {
            error(path + "/code", "", "invalid question code " + in_quotes(q.code) +
                                          ": must start with a letter and use only letters, "
                                          "digits and \"_\" (it is a variable name in conditions)");
        } else {
            code = q.code;
            auto [it, fresh] = question_codes.insert({q.code, path});
            if (!fresh) {
                int l = line_of(it->second + "/code");
                error(path + "/code", code, "duplicate question code " + in_quotes(q.code) +
                                                " (first used at " + it->second +
                                                (l ? ", line " + std::to_string(l) : "") + ")");
            }
        }
    }
    std::string tname;
    std::optional<QuestionType> type;
    if (get_string(jq, "type", path, code, tname, true)) {
        type = type_from_name(tname);
        if (!type) {
            std::vector<std::string> names;
            for (int t = 0; t <= (int)QuestionType::Info; t++) names.push_back(type_name((QuestionType)t));
            std::string list;
            for (auto& n : names) list += (list.empty() ? "" : ", ") + n;
            error(path + "/type", code, "unknown type " + in_quotes(tname) + suggest(tname, names) +
                                            "; known types: " + list);
        }
    }
    if (type) q.type = *type;

    // Keys: common ones, type-specific ones where they apply, comments; all else is a typo.
    std::vector<std::string> all = kCommonQuestionKeys;
    all.insert(all.end(), kTypedQuestionKeys.begin(), kTypedQuestionKeys.end());
    for (auto it = jq.begin(); it != jq.end(); ++it) {
        const std::string& k = it.key();
        if (is_comment_key(k)) continue;
        std::string kp = path + "/" + pointer_escape(k);
        if (std::find(all.begin(), all.end(), k) == all.end()) {
            error(kp, code, "unknown key " + in_quotes(k) + suggest(k, all));
        } else if (type && !key_applies(k, *type)) {
            if (k == "options" && *type == QuestionType::Rating)
                error(kp, code, "type \"rating\" takes no \"options\": its answers come from \"scale\"");
            else if (k == "options")
                error(kp, code, "type " + in_quotes(tname) + " has no options; remove \"options\"");
            else
                error(kp, code, in_quotes(k) + " does not apply to type " + in_quotes(tname));
        }
    }

    // An equation is never asked, so it needs a text only when it shows one (show_text).
    get_text(jq, "text", path, code, q.text, !(type && *type == QuestionType::Equation));
    get_text(jq, "help", path, code, q.help, false);
    get_string(jq, "source", path, code, q.source_note, false);
    PendingCondition pc;
    pc.owner = "question " + code;
    pc.limit = position;
    q.condition = parse_condition(jq, path, code, q.condition_src, pc);
    if (!type) return;
    parse_answer_keys(jq, path, code, tname, *type, position, q);
    parse_bounds(jq, path, code, *type, q);
    parse_order_keys(jq, path, code, q);
    parse_computed(jq, path, code, *type, position, q);
    // Known to `that.<code>` in later expressions; a duplicate code keeps the first.
    if (!code.empty()) answer_vars.insert({code, answer_variables(q)});
}

// random_group and option_order (FORMAT.md, "Order settings"): recorded, not yet acted on.
void Loader::parse_order_keys(const json& jq, const std::string& path, const std::string& code, Question& q) {
    if (get_string(jq, "random_group", path, code, q.random_group, false)) {
        if (q.random_group.empty() || q.random_group.size() > 64 || !valid_answer_code(q.random_group))
            error(path + "/random_group", code, "invalid random_group " + in_quotes(q.random_group) +
                                                    ": use letters, digits and \"_\" only (at most 64)");
        else
            warn(path + "/random_group", code, "random_group " + in_quotes(q.random_group) +
                                                   " is kept, but the kiosk asks the questions in file order");
    }
    if (get_string(jq, "option_order", path, code, q.option_order, false)) {
        if (q.option_order != "random" && q.option_order != "alphabetical")
            error(path + "/option_order", code, "option_order must be \"random\" or \"alphabetical\", not " +
                                                    in_quotes(q.option_order));
        else
            warn(path + "/option_order", code, "option_order " + in_quotes(q.option_order) +
                                                   " is kept, but the kiosk shows options and rows in file order");
    }
}

// The keys that say what an answer is: mandatory, matrix cells, options, rows, display,
// other and comment. `tname` is the type as written, for messages.
void Loader::parse_answer_keys(const json& jq, const std::string& path, const std::string& code,
                               const std::string& tname, QuestionType t, int position, Question& q) {
    get_bool(jq, "mandatory", path, code, q.mandatory);
    if (t == QuestionType::Info && q.mandatory) {
        error(path + "/mandatory", code, "an info question has no answer, so it cannot be mandatory");
        q.mandatory = false;
    }

    // Matrix cell kind first: it decides which other keys make sense.
    if (t == QuestionType::Matrix) {
        std::string cell;
        if (get_string(jq, "cell", path, code, cell, false)) {
            if (cell == "choice") q.cell = MatrixCell::Choice;
            else if (cell == "number") q.cell = MatrixCell::Number;
            else if (cell == "text") q.cell = MatrixCell::Text;
            else error(path + "/cell", code, "invalid \"cell\" " + in_quotes(cell) +
                                                 ": use \"choice\", \"number\" or \"text\"");
        }
        auto only = [&](const char* k, MatrixCell c, const char* cname) {
            if (jq.contains(k) && q.cell != c)
                error(path + "/" + k, code, std::string("\"") + k + "\" applies to a matrix only with "
                                                "\"cell\": \"" + cname + "\"");
        };
        for (const char* k : {"min", "max", "integer"}) only(k, MatrixCell::Number, "number");
        for (const char* k : {"options2", "scale_headers", "comment", "comment_label"})
            only(k, MatrixCell::Choice, "choice");
    }

    if (key_applies("options", t))
        parse_options(jq, "options", path, code, q.options, t == QuestionType::MultipleChoice);
    if (needs_options(t)) {
        const json* o = member(jq, "options");
        if (!o)
            error(path, code, "type " + in_quotes(tname) + " needs \"options\"" +
                                  (t == QuestionType::Matrix ? " (the answer columns)" : ""));
        else if (o->is_array() && o->empty())
            error(path + "/options", code, "empty option list: type " + in_quotes(tname) +
                                               " needs at least one option");
    }
    if (t == QuestionType::YesNo) {
        if (!jq.contains("options")) {
            q.options = default_yesno_options();
        } else if (q.options.size() != 2 || !q.find_option("Y") || !q.find_option("N")) {
            error(path + "/options", code, "yesno options must be exactly the codes \"Y\" and \"N\"");
        }
    }
    if (t == QuestionType::Matrix) {
        parse_options(jq, "options2", path, code, q.options2, false);
        if (const json* o2 = member(jq, "options2"); o2 && o2->is_array() && o2->empty())
            error(path + "/options2", code, "empty option list: \"options2\" (second scale) needs "
                                                "at least one option, or leave it out");
        if (const json* sh = member(jq, "scale_headers")) {
            std::string sp = path + "/scale_headers";
            if (!sh->is_array() || sh->size() != 2)
                error(sp, code, "\"scale_headers\" must be a list of two texts");
            else {
                parse_text((*sh)[0], sp + "/0", code, "scale_headers", q.scale_header1, false);
                parse_text((*sh)[1], sp + "/1", code, "scale_headers", q.scale_header2, false);
                if (!jq.contains("options2"))
                    error(sp, code, "\"scale_headers\" needs a second scale in \"options2\"");
            }
        }
    }

    if (key_applies("rows", t)) {
        parse_rows(jq, path, code, position, q.rows);
        const json* r = member(jq, "rows");
        if (!r || (r->is_array() && r->empty()))
            error(r ? path + "/rows" : path, code, (t == QuestionType::Matrix ? "matrix without rows: " : "") +
                      std::string("type ") + in_quotes(tname) + " needs at least one row in \"rows\"");
    }

    if (t == QuestionType::SingleChoice) {
        if (get_string(jq, "display", path, code, q.display, false) && q.display != "list" &&
            q.display != "dropdown")
            error(path + "/display", code, "invalid \"display\" " + in_quotes(q.display) +
                                               ": use \"list\" or \"dropdown\"");
    }
    if (key_applies("other", t)) {
        get_bool(jq, "other", path, code, q.other);
        get_text(jq, "other_label", path, code, q.other_label, false);
        if (!q.other && !q.other_label.empty())
            warn(path + "/other_label", code, "\"other_label\" is unused without \"other\": true");
    }
    if (key_applies("comment", t) && q.is_closed()) {
        get_bool(jq, "comment", path, code, q.comment);
        get_text(jq, "comment_label", path, code, q.comment_label, false);
        if (!q.comment && !q.comment_label.empty())
            warn(path + "/comment_label", code, "\"comment_label\" is unused without \"comment\": true");
    }
}

// The keys that bound an answer: number range, rating scale, how many answers, text length,
// date range.
void Loader::parse_bounds(const json& jq, const std::string& path, const std::string& code, QuestionType t,
                          Question& q) {
    if (key_applies("min", t) && (t != QuestionType::Matrix || q.cell == MatrixCell::Number)) {
        get_number(jq, "min", path, code, q.min_value);
        get_number(jq, "max", path, code, q.max_value);
        get_bool(jq, "integer", path, code, q.integer_only);
        if (q.min_value && q.max_value && *q.min_value > *q.max_value)
            error(path + "/min", code, "\"min\" (" + num_text(*q.min_value) + ") is greater than \"max\" (" +
                                           num_text(*q.max_value) + ")");
    }
    if (t == QuestionType::Rating) parse_scale(jq, path, code, q);
    if (key_applies("min_answers", t)) get_int(jq, "min_answers", path, code, q.min_answers, 0, 1000000);
    if (key_applies("max_answers", t)) get_int(jq, "max_answers", path, code, q.max_answers, 0, 1000000);
    if (t == QuestionType::MultipleChoice) {
        if (q.max_answers > 0 && q.min_answers > q.max_answers)
            error(path + "/min_answers", code, "\"min_answers\" (" + std::to_string(q.min_answers) +
                                                   ") is greater than \"max_answers\" (" +
                                                   std::to_string(q.max_answers) + ")");
        else if (!q.options.empty() && q.min_answers > (int)q.options.size() + (q.other ? 1 : 0))
            error(path + "/min_answers", code, "\"min_answers\" (" + std::to_string(q.min_answers) +
                                                   ") is more than the " + std::to_string(q.options.size()) +
                                                   " options");
    }
    if ((t == QuestionType::MultipleChoice || t == QuestionType::Ranking) && !q.options.empty() &&
        q.max_answers > (int)q.options.size() + (q.other ? 1 : 0))
        warn(path + "/max_answers", code, "\"max_answers\" (" + std::to_string(q.max_answers) +
                                              ") is more than the " + std::to_string(q.options.size()) +
                                              " options, so it has no effect");
    if (key_applies("max_length", t)) get_int(jq, "max_length", path, code, q.max_length, 0, 1000000);
    if (t == QuestionType::Date) {
        bool lo = get_string(jq, "min_date", path, code, q.min_date, false);
        bool hi = get_string(jq, "max_date", path, code, q.max_date, false);
        if (lo && !valid_date(q.min_date))
            error(path + "/min_date", code, "\"min_date\" must be a date written YYYY-MM-DD, not " + in_quotes(q.min_date));
        if (hi && !valid_date(q.max_date))
            error(path + "/max_date", code, "\"max_date\" must be a date written YYYY-MM-DD, not " + in_quotes(q.max_date));
        if (lo && hi && valid_date(q.min_date) && valid_date(q.max_date) && q.min_date > q.max_date)
            error(path + "/min_date", code, "\"min_date\" (" + q.min_date + ") is after \"max_date\" (" +
                                                q.max_date + ")");
        if (!valid_date(q.min_date)) q.min_date.clear();
        if (!valid_date(q.max_date)) q.max_date.clear();
    }
}

void Loader::parse_scale(const json& jq, const std::string& path, const std::string& code, Question& q) {
    if (const json* s = member(jq, "scale")) {
        std::string sp = path + "/scale";
        if (!s->is_object()) {
            error(sp, code, "\"scale\" must be an object like {\"min\": 1, \"max\": 5}, not " +
                                std::string(json_kind(*s)));
        } else {
            check_keys(*s, sp, code, kScaleKeys);
            get_int(*s, "min", sp, code, q.scale_min, 0, 100);
            get_int(*s, "max", sp, code, q.scale_max, 0, 100);
            get_text(*s, "min_label", sp, code, q.min_label, false);
            get_text(*s, "max_label", sp, code, q.max_label, false);
            if (q.scale_min >= q.scale_max)
                error(sp, code, "rating scale bounds: \"min\" (" + std::to_string(q.scale_min) +
                                    ") must be below \"max\" (" + std::to_string(q.scale_max) + ")");
            else if (q.scale_max - q.scale_min > 10)
                error(sp, code, "rating scale bounds: " + std::to_string(q.scale_min) + ".." +
                                    std::to_string(q.scale_max) + " has " +
                                    std::to_string(q.scale_max - q.scale_min + 1) +
                                    " points; at most 11 are allowed");
        }
    }
    // The rest of the engine sees a rating as a closed question with options "1".."5".
    q.options.clear();
    if (q.scale_min < q.scale_max && q.scale_max - q.scale_min <= 10) {
        for (int v = q.scale_min; v <= q.scale_max; v++) {
            Option o;
            o.code = std::to_string(v);
            for (const std::string& l : langs) o.text.by_lang[l] = o.code;
            q.options.push_back(std::move(o));
        }
    }
}

} // namespace tk::loader
