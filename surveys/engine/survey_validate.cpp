// survey_validate.cpp - the loader's rules: what a code, a language tag and a date bound
// look like, which keys each question type takes, which translations a text needs, and what
// a condition may refer to (see survey_loader_internal.h).
#include <algorithm>
#include <cstring>
#include <set>

#include "response.h"
#include "spelling.h"
#include "json_positions.h"
#include "survey_loader_internal.h"

namespace tk::loader {

bool all_of_chars(const std::string& s, const char* extra, bool upper) {
    for (char c : s) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  (upper && c >= 'A' && c <= 'Z') || (c != 0 && std::strchr(extra, c));
        if (!ok) return false;
    }
    return true;
}

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Question codes are variable names in conditions: [A-Za-z][A-Za-z0-9_]*.
bool valid_question_code(const std::string& s) {
    return !s.empty() && s.size() <= 64 && is_alpha(s[0]) && all_of_chars(s, "_", true);
}
// Option and row codes appear in variable names too (Q_CODE): [A-Za-z0-9_]+.
bool valid_answer_code(const std::string& s) {
    return !s.empty() && s.size() <= 64 && all_of_chars(s, "_", true);
}
bool valid_group_code(const std::string& s) {
    return !s.empty() && s.size() <= 64 && all_of_chars(s, "_-", true);
}
bool valid_survey_id(const std::string& s) {
    return !s.empty() && s.size() <= 64 && all_of_chars(s, "-", false);
}
// "de", "en", "de-x-ls", "de-AT": 2-3 lowercase letters, then "-" separated subtags.
bool valid_language(const std::string& s) {
    size_t n = 0;
    while (n < s.size() && s[n] >= 'a' && s[n] <= 'z') n++;
    if (n < 2 || n > 3 || s.size() > 35) return false;
    size_t sub = 0;
    for (size_t i = n; i < s.size(); i++) {
        if (s[i] == '-') {
            if (i + 1 == s.size() || (i > n && sub == 0)) return false;
            sub = 0;
            continue;
        }
        if (!is_alpha(s[i]) && !(s[i] >= '0' && s[i] <= '9')) return false;
        if (++sub > 8) return false;
    }
    return s.size() == n || s[n] == '-';
}

// A date bound: a real day written YYYY-MM-DD, on the calendar of the response times.
bool valid_date(const std::string& s) { return parse_iso_date(s, nullptr); }

// Which question keys each type takes. Keys common to all types are listed separately.

const std::vector<std::string> kSurveyKeys = {"format", "id", "version", "languages", "title",
                                              "description", "end_text", "about", "privacy", "source", "meta",
                                              "settings", "groups", "delphi"};
const std::vector<std::string> kPrivacyKeys = {"controller", "purpose", "stored", "protection", "contact",
                                               "consent_required"};
const std::vector<std::string> kSettingsKeys = {"no_answer_option", "partial_responses",
                                                "show_progress"};
const std::vector<std::string> kMetaKeys = {"source_language", "translated_by", "reviewed"};
const std::vector<std::string> kGroupKeys = {"code", "title", "description", "condition",
                                             "questions"};
const std::vector<std::string> kCommonQuestionKeys = {"code", "type", "text", "help",
                                                      "mandatory", "condition", "source"};
// (validation and default are typed: info and equation take neither)
const std::vector<std::string> kTypedQuestionKeys = {
    "options", "display", "other", "other_label", "comment", "comment_label", "min", "max",
    "integer", "scale", "rows", "options2", "scale_headers", "cell", "min_answers",
    "max_answers", "max_length", "min_date", "max_date", "random_group", "option_order", "equation", "show_text",
    "default", "validation", "validation_tip", "row_validation", "row_validation_tip"};
const std::vector<std::string> kOptionKeys = {"code", "text", "exclusive", "source_code"};
const std::vector<std::string> kRowKeys = {"code", "text", "condition", "source_code"};
const std::vector<std::string> kScaleKeys = {"min", "max", "min_label", "max_label"};

bool key_applies(const std::string& k, QuestionType t) {
    using T = QuestionType;
    auto in = [t](std::initializer_list<T> l) { return std::find(l.begin(), l.end(), t) != l.end(); };
    if (k == "options") return in({T::SingleChoice, T::MultipleChoice, T::Ranking, T::Matrix, T::YesNo});
    if (k == "display") return t == T::SingleChoice;
    if (k == "other" || k == "other_label") return in({T::SingleChoice, T::MultipleChoice});
    if (k == "comment" || k == "comment_label")
        return in({T::SingleChoice, T::MultipleChoice, T::YesNo, T::Rating, T::Ranking, T::Matrix});
    if (k == "min" || k == "max" || k == "integer") return in({T::Numeric, T::MultiNumeric, T::Matrix});
    if (k == "scale") return t == T::Rating;
    if (k == "rows") return in({T::Matrix, T::MultiText, T::MultiNumeric});
    if (k == "options2" || k == "scale_headers" || k == "cell") return t == T::Matrix;
    if (k == "min_answers") return t == T::MultipleChoice;
    if (k == "max_answers") return in({T::MultipleChoice, T::Ranking, T::RankedList});
    if (k == "max_length") return in({T::ShortText, T::LongText});
    if (k == "min_date" || k == "max_date") return t == T::Date;
    if (k == "random_group") return t != T::Info;
    if (k == "option_order") return needs_options(t) || in({T::MultiText, T::MultiNumeric});
    if (k == "equation" || k == "show_text") return t == T::Equation;
    if (k == "default" || k == "validation" || k == "validation_tip") return t != T::Info && t != T::Equation;
    if (k == "row_validation" || k == "row_validation_tip") return in({T::Matrix, T::MultiText, T::MultiNumeric});
    return true; // common keys
}

bool needs_options(QuestionType t) {
    return t == QuestionType::SingleChoice || t == QuestionType::MultipleChoice ||
           t == QuestionType::Ranking || t == QuestionType::Matrix;
}

void Loader::check_keys(const json& obj, const std::string& path, const std::string& code,
                const std::vector<std::string>& allowed) {
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        const std::string& k = it.key();
        if (is_comment_key(k)) continue;
        if (std::find(allowed.begin(), allowed.end(), k) != allowed.end()) continue;
        error(path + "/" + pointer_escape(k), code,
              "unknown key " + in_quotes(k) + suggest(k, allowed));
    }
}

// Required texts must exist in every listed language unless that language falls back to
// another listed language that has it ("de-x-ls" -> "de"). Optional texts only warn.
void Loader::check_translations(const LocalText& t, const std::string& p, const std::string& code,
                        bool required) {
    bool any = false;
    for (const auto& [lang, s] : t.by_lang) any |= !s.empty();
    if (!any) {
        if (required) error(p, code, "text is empty");
        return;
    }
    for (const std::string& lang : langs) {
        auto it = t.by_lang.find(lang);
        if (it != t.by_lang.end() && !it->second.empty()) continue;
        bool covered = false;
        std::vector<std::string> chain = language_fallbacks(lang);
        for (size_t k = 1; k < chain.size() && !covered; k++) {
            auto f = t.by_lang.find(chain[k]);
            covered = f != t.by_lang.end() && !f->second.empty() &&
                      std::find(langs.begin(), langs.end(), chain[k]) != langs.end();
        }
        if (covered) continue;
        if (required) error(p, code, "missing translation for language " + in_quotes(lang));
        else warn(p, code, "no text for language " + in_quotes(lang) + " (shows the " +
                               in_quotes(orig) + " text instead)");
    }
}

// The code of an option or a row (`what`) at `at`: valid, not reserved, and not used
// before in the same list (`seen`: code -> index of the item that has it).
void Loader::check_item_code(const std::string& at, const std::string& qcode, const char* what, const std::string& c,
                     size_t index, std::map<std::string, size_t>& seen) {
    const std::string w = what;
    if (!valid_answer_code(c))
        error(at + "/code", qcode, "invalid " + w + " code " + in_quotes(c) + ": use letters, digits and \"_\" only");
    else if (c == "other" || c == "comment")
        error(at + "/code", qcode, w + " code " + in_quotes(c) + " is reserved (it names the other/comment field)");
    else if (seen.count(c))
        error(at + "/code", qcode, "duplicate " + w + " code " + in_quotes(c) + " (also " + w + " " +
                                       std::to_string(seen[c] + 1) + ")");
    else
        seen[c] = index;
}

// What `rest` in "Q_rest" may name for question q; "" when fine, else the problem.
bool Loader::part_exists(const Question& q, const std::string& rest) {
    using T = QuestionType;
    if (rest == "other") return (q.type == T::SingleChoice || q.type == T::MultipleChoice) && q.other;
    if (rest == "comment") return q.comment;
    switch (q.type) {
    case T::MultipleChoice:
        return q.find_option(rest) != nullptr;
    case T::MultiText:
    case T::MultiNumeric:
        return q.find_row(rest) != nullptr;
    case T::Matrix:
        if (q.cell == MatrixCell::Choice) {
            if (q.find_row(rest)) return true;
            return rest.size() > 2 && rest.compare(rest.size() - 2, 2, "#1") == 0 &&
                   !q.options2.empty() && q.find_row(rest.substr(0, rest.size() - 2));
        }
        for (const Row& r : q.rows)
            if (rest.size() > r.code.size() + 1 && rest.compare(0, r.code.size(), r.code) == 0 &&
                rest[r.code.size()] == '_' && q.find_option(rest.substr(r.code.size() + 1)))
                return true;
        return false;
    case T::Ranking:
    case T::RankedList: {
        if (rest.empty() || rest.size() > 4 || !all_of_chars(rest, "", false) || rest[0] == '0') return false;
        for (char c : rest)
            if (c < '0' || c > '9') return false;
        int n = std::stoi(rest);
        int limit = q.type == T::Ranking ? (int)q.options.size() : 0;
        if (q.max_answers > 0 && (limit == 0 || q.max_answers < limit)) limit = q.max_answers;
        return limit == 0 || n <= limit;
    }
    default:
        return false;
    }
}

std::vector<std::string> Loader::answer_variables(const Question& q) {
    using T = QuestionType;
    std::vector<std::string> v;
    auto part = [&](const std::string& rest) { v.push_back(q.code + "_" + rest); };
    switch (q.type) {
    case T::Info:
        return v;
    case T::MultipleChoice:
        for (const Option& o : q.options) part(o.code);
        break;
    case T::MultiText:
    case T::MultiNumeric:
        for (const Row& r : q.rows) part(r.code);
        break;
    case T::Matrix:
        for (const Row& r : q.rows) {
            if (q.cell == MatrixCell::Choice) {
                part(r.code);
                if (!q.options2.empty()) part(r.code + "#1");
            } else {
                for (const Option& o : q.options) part(r.code + "_" + o.code);
            }
        }
        break;
    case T::Ranking:
    case T::RankedList: {
        // The ranks part_exists accepts: up to max_answers, for ranking at most the options.
        int limit = q.type == T::Ranking ? (int)q.options.size() : 0;
        if (q.max_answers > 0 && (limit == 0 || q.max_answers < limit)) limit = q.max_answers;
        for (int i = 1; i <= limit; i++) part(std::to_string(i));
        if (limit == 0) v.push_back(q.code); // a list without a limit: the whole answer
        break;
    }
    default:
        v.push_back(q.code);
    }
    if (q.other && (q.type == T::SingleChoice || q.type == T::MultipleChoice)) part("other");
    if (q.comment) part("comment");
    return v;
}

// A condition may only read questions strictly before the thing it belongs to, so that
// showing or hiding never depends on answers given later (the session walks forward).
void Loader::check_condition_references(const Survey& s) {
    std::map<std::string, int> pos;
    std::map<std::string, const Question*> by_code;
    int n = 0;
    for (const Group& g : s.groups)
        for (const Question& q : g.questions) {
            if (valid_question_code(q.code) && !pos.count(q.code)) {
                pos[q.code] = n;
                by_code[q.code] = &q;
            }
            n++;
        }
    for (const PendingCondition& pc : conditions) {
        std::set<std::string> reported;
        for (const std::string& name : referenced_variables(*pc.expr)) {
            if (!reported.insert(name).second) continue;
            if (!pc.self.empty() && (name == "this" || name == "self")) continue; // the owner itself
            // The question is the longest code C with name == C or name starting "C_":
            // try the whole name, then every prefix that ends before a '_'.
            std::string best;
            if (pos.count(name)) best = name;
            for (size_t k = name.size(); best.empty() && k-- > 1;)
                if (name[k] == '_' && pos.count(name.substr(0, k))) best = name.substr(0, k);
            if (best.empty()) {
                std::vector<std::string> codes;
                for (const auto& [c, p] : pos) codes.push_back(c);
                error(pc.path, pc.code, pc.what + " refers to unknown question " + in_quotes(name) +
                                            suggest(name, codes));
                continue;
            }
            int p = pos[best];
            if (p >= pc.limit) {
                if (pc.is_group)
                    error(pc.path, pc.code, pc.what + " refers to question " + best + ", which is not "
                                                "before " + pc.place + "; a " + pc.what + " can only use earlier questions");
                else if (best == pc.code) // the limit of a validation is past its own question
                    error(pc.path, pc.code, pc.what + " refers to the same question " + best +
                                                "; a " + pc.what + " can only use earlier questions");
                else
                    error(pc.path, pc.code, pc.what + " refers to later question " + best +
                                                "; a " + pc.what + " can only use earlier questions");
                continue;
            }
            const Question& target = *by_code[best];
            using T = QuestionType;
            if (name == best && (target.type == T::Matrix || target.type == T::MultiText ||
                                 target.type == T::MultiNumeric || target.type == T::Info))
                warn(pc.path, pc.code, pc.what + " reads " + best + ", which is always empty for type " +
                                           in_quotes(type_name(target.type)) +
                                           (target.type == T::Info ? "" : "; use " + best + "_<row code>"));
            if (name != best) {
                std::string rest = name.substr(best.size() + 1);
                const Question& q = target;
                if (!part_exists(q, rest))
                    error(pc.path, pc.code, pc.what + " refers to " + in_quotes(name) + ", but question " + best +
                                                " (" + type_name(q.type) + ") has no option, row or part " +
                                                in_quotes(rest));
            }
        }
    }
}

} // namespace tk::loader
