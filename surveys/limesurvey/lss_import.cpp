// lss_import.cpp - LimeSurvey .lss structure file -> tk::Survey.
//
// The .lss file is a dump of LimeSurvey's tables: every section (<groups>, <questions>,
// <answers>, ...) holds <rows><row> with one child element per column. We read columns by
// element name (never by position: files from LimeSurvey 6 do not keep the <fields>
// order), and an absent element is NULL, which is not the same as an empty one.
//
// The work happens in three passes:
//   1. read the tables into plain structs (LsQuestion, LsAnswer, LsGroup), merging the old
//      layout's one-row-per-language into per-language texts;
//   2. build the engine's questions and a name map from every LimeSurvey variable name
//      (question codes, Q_SQ, SGQA column names) to the engine's variable names;
//   3. translate texts and conditions with that map, warning about everything left out.
//
// lss_import_internal.h says which file holds which pass. This file: the order of groups and
// questions, the name map and response columns (pass 2), texts and conditions (pass 3), and the
// public functions import_lss, import_lss_file, load_lss.
#include "lss_import.h"

#include <algorithm>
#include <cstdlib>
#include <set>

#include "expression.h"
#include "files.h"
#include "lss_import_internal.h"
#include "text.h"

namespace tk {
namespace lss {

void Importer::build() {
    Survey& s = *result.survey;
    s.languages = ctx.langs;
    std::string idpart;
    for (char c : ctx.sid)
        if (is_alnum(c) && c != '_') idpart += char(std::tolower((unsigned char)c));
    s.id = "limesurvey-" + (idpart.empty() ? std::string("import") : idpart);
    s.version = "1";
    s.source_note = "imported from LimeSurvey file " + ctx.file + (ctx.sid.empty() ? "" : " (survey " + ctx.sid + ")");

    order_tree();
    build_questions();

    // Pass 3: texts, conditions
    finish_text(s.title, "survey title", 0, true, "LimeSurvey " + ctx.sid);
    finish_optional(s.description, "survey description", 0);
    finish_optional(s.end_text, "end text", 1 << 30);
    finish_groups();
    report_removed();
    for (const auto& [name, entry] : ctx.ignored_attributes) {
        std::string qs;
        for (size_t i = 0; i < entry.second.size() && i < 5; i++) qs += (i ? ", " : "") + entry.second[i];
        if (entry.second.size() > 5) qs += " and " + std::to_string(entry.second.size() - 5) + " more";
        ctx.warn("", "attribute " + name + " ignored (" + entry.first + ") on " + qs);
    }
    if (s.groups.empty()) ctx.warn("", "the survey has no question the kiosk can ask");
}

// Groups -> questions -> subquestions, each level in LimeSurvey's order.
void Importer::order_tree() {
    for (auto& [qid, q] : questions) {
        if (q.parent != "0") {
            auto p = questions.find(q.parent);
            if (p != questions.end()) p->second.subs.push_back(&q);
            else ctx.warn(q.code, "subquestion of a question that is not in the file (qid " + q.parent + "); left out");
        } else {
            auto g = groups.find(q.gid);
            if (g != groups.end()) g->second.questions.push_back(&q);
            else ctx.warn(q.code, "question of a group that is not in the file (gid " + q.gid + "); left out");
        }
    }
    gorder.clear();
    for (auto& [gid, g] : groups) {
        std::stable_sort(g.questions.begin(), g.questions.end(), sort_q);
        for (LsQuestion* q : g.questions) std::stable_sort(q->subs.begin(), q->subs.end(), sort_q);
        gorder.push_back(&g);
    }
    std::stable_sort(gorder.begin(), gorder.end(), [](const LsGroup* a, const LsGroup* b) {
        if (a->order != b->order) return a->order < b->order;
        return a->seq < b->seq;
    });
}

// Pass 2: the engine's questions and the name map.
void Importer::build_questions() {
    built.assign(gorder.size(), {});
    for (size_t gi = 0; gi < gorder.size(); gi++) {
        for (LsQuestion* lq : gorder[gi]->questions) {
            Built b;
            if (!map_question_type(ctx, *lq, b)) continue;
            b.position = position++;
            add_names(*lq, b);
            built[gi].push_back(std::move(b));
        }
    }
}

// The names LimeSurvey expressions and response columns use for this question.
void Importer::add_names(LsQuestion& lq, Built& b) {
    const Question& q = b.q;
    const std::string& t = lq.type;
    const std::string& sid = ctx.sid;
    bool needs_rows = q.type == QuestionType::Matrix || q.type == QuestionType::MultiText ||
                      q.type == QuestionType::MultiNumeric;
    auto column = [&](const std::string& suffix, const std::string& qcode, const std::string& part) {
        std::string sgqa = sid + "X" + lq.gid + "X" + lq.qid + suffix;
        result.columns.push_back({sgqa, qcode, q.code, part});
    };
    names.question_type[q.code] = t;
    const std::string& qc = q.code;
    auto both = [&](const std::string& ls_suffix_q, const std::string& ls_suffix_sgqa,
                    const std::string& engine, const std::string& part, bool is_column) {
        names.add(qc + ls_suffix_q, engine, b.position, qc);
        std::string sgqa = sid + "X" + lq.gid + "X" + lq.qid + ls_suffix_sgqa;
        names.add(sgqa, engine, b.position, qc);
        if (is_column) column(ls_suffix_sgqa, qc + ls_suffix_q, part);
    };
    // LimeSurvey's response table has a column of its own for every question that is
    // not split into subquestion/rank columns (text displays too: always NULL).
    bool own_column = !(needs_rows || q.type == QuestionType::MultipleChoice ||
                        q.type == QuestionType::Ranking);
    both("", "", qc, "", own_column);
    // LimeSurvey's names use its own codes (source_code where the kiosk renamed one).
    auto ls = [](const auto& item) -> const std::string& { return item.source_code.empty() ? item.code : item.source_code; };
    // Renamed answer codes, per variable that holds one (single choice, matrix choice rows).
    auto renamed = [&](const std::string& var, const std::vector<Option>& opts) {
        for (const Option& o : opts)
            if (!o.source_code.empty()) names.renamed_values[var][o.source_code] = o.code;
    };
    if (q.type == QuestionType::SingleChoice || q.type == QuestionType::Ranking) renamed(qc, q.options);
    if (q.type == QuestionType::Matrix && q.cell == MatrixCell::Choice)
        for (const Row& r : q.rows) {
            renamed(qc + "_" + r.code, q.options);
            renamed(qc + "_" + r.code + "#1", q.options2);
        }
    if (q.type == QuestionType::MultipleChoice)
        for (const Option& o : q.options) both("_" + ls(o), ls(o), qc + "_" + o.code, o.code, true);
    if (q.type == QuestionType::Ranking)
        for (size_t i = 1; i <= q.options.size(); i++)
            // LimeSurvey keeps one rank column per answer option (max_answers only
            // limits how many a respondent may rank).
            both("_" + std::to_string(i), std::to_string(i), qc + "_" + std::to_string(i), std::to_string(i), true);
    if (needs_rows) {
        for (const Row& r : q.rows) {
            const std::string& rc = ls(r);
            if (q.type == QuestionType::Matrix && q.cell != MatrixCell::Choice) {
                for (const Option& o : q.options)
                    both("_" + rc + "_" + ls(o), rc + "_" + ls(o), qc + "_" + r.code + "_" + o.code,
                         r.code + "_" + o.code, true);
            } else if (t == "1") {
                both("_" + rc + "_0", rc + "#0", qc + "_" + r.code, r.code, true);
                both("_" + rc + "_1", rc + "#1", qc + "_" + r.code + "#1", r.code + "#1", true);
                names.add(qc + "_" + rc, qc + "_" + r.code, b.position, qc);
            } else {
                both("_" + rc, rc, qc + "_" + r.code, r.code, true);
            }
        }
    }
    if (q.other) both("_other", "other", qc + "_other", "other", true);
    // 'P' has one comment column per option in LimeSurvey, none for the question: the
    // kiosk's single comment has no column to go back to (the warning above says so).
    if (q.comment) both("_comment", "comment", qc + "_comment", "comment", t != "P");
}

// The {...} of a plain text as engine piping (surveys/engine/piping.h): each expression is
// translated to engine names ({INSERTANS:SGQA} becomes {CODE.shown}); one that cannot be is
// replaced by "…" and collected for one warning per place, so that a citizen never sees raw
// expression syntax. False when something was replaced.
bool Importer::pipe_text(const std::string& plain, std::string& res, const std::string& where, int host) {
    bool all = true;
    size_t i = 0;
    while (i < plain.size()) {
        char c = plain[i];
        if (c == '{' && i + 1 < plain.size() && plain[i + 1] != ' ' && plain[i + 1] != '\n' && plain[i + 1] != '\t') {
            int depth = 0;
            size_t j = i;
            for (; j < plain.size(); j++) {
                if (plain[j] == '{') depth++;
                else if (plain[j] == '}' && --depth == 0) break;
            }
            if (j >= plain.size()) { res += plain.substr(i); break; }
            std::string inner = plain.substr(i + 1, j - i - 1);
            // "{}" and "{a }" are text in LimeSurvey and in the engine: kept as written.
            if (inner.empty() || std::isspace((unsigned char)inner.back())) {
                res += plain.substr(i, j - i + 1);
                i = j + 1;
                continue;
            }
            std::string src = inner;
            if (src.rfind("INSERTANS:", 0) == 0) src = src.substr(10) + ".shown";
            std::string kept, why;
            ExprOut e = translate_expression(src, names, host);
            if (!e.problem.empty()) why = e.problem;
            else if (!e.token_refs.empty()) why = "participant data, which a kiosk does not have";
            else if (!kEngineRendersTextReferences) why = "the kiosk does not insert answers into texts";
            // translate_expression gives "" for "1" (a condition that always holds)
            else kept = "{" + (e.text.empty() ? trim(src) : e.text) + "}";
            // A removed piece leaves "…", so the sentence still shows that something
            // was meant to be there ("What is … name?" rather than "What is  name?").
            if (!kept.empty()) res += kept;
            else {
                all = false;
                res += "…";
                auto& list = removed[where];
                if (list.empty()) removed_order.push_back(where);
                std::string item = "{" + inner + "} (" + why + ")";
                if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(item);
            }
            i = j + 1;
            continue;
        }
        // "\{" is a literal brace in LimeSurvey and in the engine alike: kept as written.
        if (c == '\\' && i + 1 < plain.size() && (plain[i + 1] == '{' || plain[i + 1] == '}')) {
            res += plain.substr(i, 2);
            i += 2;
            continue;
        }
        res += c;
        i++;
    }
    return all;
}

// A text as the kiosk shows it: HTML as plain text, {...} as engine piping (pipe_text); a
// required text falls back to the base language, then to `fallback`.
void Importer::finish_text(LocalText& t, const std::string& where, int host, bool required,
                           const std::string& fallback) {
    LocalText out;
    for (auto& [lang, raw] : t.by_lang) {
        if (std::find(ctx.langs.begin(), ctx.langs.end(), lang) == ctx.langs.end()) continue;
        std::string res;
        pipe_text(lss_html_to_text(raw), res, where, host);
        res = trim(res);
        if (!res.empty() || !required) out.by_lang[lang] = res;
    }
    if (required) {
        std::string base_text = out.has(ctx.base) ? out.by_lang[ctx.base] : "";
        if (base_text.empty()) {
            for (const std::string& l : ctx.langs)
                if (out.has(l)) { base_text = out.by_lang[l]; break; }
        }
        if (base_text.empty()) {
            base_text = fallback;
            ctx.warn(where, "has no text; '" + fallback + "' is shown instead");
        }
        for (const std::string& l : ctx.langs)
            if (!out.has(l)) {
                out.by_lang[l] = base_text;
                if (l != ctx.base) missing_by_lang[l]++;
            }
    }
    t = out;
}

void Importer::finish_optional(LocalText& t, const std::string& where, int host) {
    finish_text(t, where, host, false, "");
    for (auto it = t.by_lang.begin(); it != t.by_lang.end();)
        it = it->second.empty() ? t.by_lang.erase(it) : std::next(it);
}

std::string Importer::cond(const std::string& src, const std::string& where, int host, const std::string& what) {
    ExprOut e = translate_expression(src, names, host);
    if (!e.problem.empty()) {
        ctx.warn(where, "condition `" + trim(src) + "` " + e.problem + "; dropped, so " + what + " is always shown");
        return std::string();
    }
    for (const std::string& tf : e.token_refs)
        ctx.warn(where, "condition uses " + tf + " (participant data, which a kiosk does not have): read as empty");
    return e.text;
}

void Importer::finish_groups() {
    Survey& s = *result.survey;
    for (size_t gi = 0; gi < gorder.size(); gi++) {
        LsGroup& lg = *gorder[gi];
        if (built[gi].empty()) {
            ctx.warn("group " + lg.gid, "has no question the kiosk can ask; left out");
            continue;
        }
        Group g;
        g.code = "G" + lg.gid;
        g.title = lg.name;
        g.description = lg.description;
        int first = built[gi].front().position;
        std::string gname = "group " + lg.gid;
        finish_text(g.title, gname, first, true, gname);
        finish_optional(g.description, gname, first);
        if (lg.relevance) g.condition_src = cond(*lg.relevance, gname, first, "the group");
        for (Built& b : built[gi]) {
            Question& q = b.q;
            LsQuestion& lq = *b.ls;
            // An equation without a text shows nothing in LimeSurvey: none is made up.
            bool no_text = q.type == QuestionType::Equation &&
                           std::all_of(q.text.by_lang.begin(), q.text.by_lang.end(),
                                       [](const auto& kv) { return trim(lss_html_to_text(kv.second)).empty(); });
            if (no_text) {
                finish_optional(q.text, q.code, b.position);
                q.show_text = false;
            } else {
                finish_text(q.text, q.code, b.position, true, q.code);
            }
            finish_optional(q.help, q.code, b.position);
            finish_optional(q.other_label, q.code, b.position);
            finish_optional(q.scale_header1, q.code, b.position);
            finish_optional(q.scale_header2, q.code, b.position);
            for (Option& o : q.options) finish_text(o.text, q.code + " option " + o.code, b.position, true, o.code);
            for (Option& o : q.options2) finish_text(o.text, q.code + " option " + o.code, b.position, true, o.code);
            for (Row& r : q.rows) finish_text(r.text, q.code + "_" + r.code, b.position, true, r.code);

            // Old-style conditions win over relevance, as in LimeSurvey.
            auto ci = conditions.find(lq.qid);
            if (ci != conditions.end()) old_conditions(ci->second, b);
            else if (lq.relevance) q.condition_src = cond(*lq.relevance, q.code, b.position, "the question");
            row_conditions(b);
            if (!finish_computed(b)) continue;
            g.questions.push_back(std::move(q));
        }
        if (g.questions.empty()) {
            ctx.warn(gname, "has no question the kiosk can ask; left out");
            continue;
        }
        s.groups.push_back(std::move(g));
    }
}

// Which of the format's computed keys a type takes (FORMAT.md; the loader checks the same).
static bool takes_key(const std::string& key, QuestionType t) {
    using T = QuestionType;
    if (t == T::Info || t == T::Equation) return false;
    if (key == "row_validation") return t == T::Matrix || t == T::MultiText || t == T::MultiNumeric;
    return true;
}

// An equation's value, default answers and validation (FORMAT.md "equation", "Default
// answers", "Validation"). False: the question is left out (an equation that cannot be
// computed would store a wrong value).
bool Importer::finish_computed(Built& b) {
    Question& q = b.q;
    LsQuestion& lq = *b.ls;
    if (q.type == QuestionType::Equation) {
        // As LimeSurvey: the attribute, else the question text.
        std::string raw = attr(lq, "equation");
        if (trim(raw).empty()) raw = lq.text.has(ctx.base) ? lq.text.by_lang.at(ctx.base) : "";
        if (trim(raw).empty() && !lq.text.by_lang.empty()) raw = lq.text.by_lang.begin()->second;
        std::string where = q.code + " equation";
        std::string eq;
        bool ok = pipe_text(lss_html_to_text(raw), eq, where, b.position);
        eq = trim(eq);
        if (!ok || eq.empty()) {
            std::string why = eq.empty() ? "it is empty" : "";
            for (const std::string& item : removed[where]) why += (why.empty() ? "" : "; ") + item;
            removed.erase(where);
            removed_order.erase(std::remove(removed_order.begin(), removed_order.end(), where), removed_order.end());
            ctx.warn(q.code, "equation `" + trim(raw) + "` cannot be computed on the kiosk (" + why + "); left out");
            return false;
        }
        q.equation = eq;
        return true;
    }
    finish_default(b);
    auto tip = [&](const char* name) {
        LocalText t = lq.attrs.count(name) ? lq.attrs.at(name) : LocalText{};
        auto any = t.by_lang.find("");
        if (any != t.by_lang.end()) {
            for (const std::string& l : ctx.langs) t.by_lang.emplace(l, any->second);
            t.by_lang.erase(any);
        }
        finish_optional(t, q.code, b.position + 1); // a tip may show the answer itself
        return t;
    };
    auto validation = [&](const char* key, const char* attr_name, const char* tip_name, std::string& src,
                          LocalText& tip_out) {
        std::string v = trim(attr(lq, attr_name));
        if (v.empty()) return;
        if (!takes_key(key, q.type)) {
            ctx.warn(q.code, std::string(attr_name) + " `" + v + "` ignored: type " + type_name(q.type) +
                                 " takes no " + key);
            return;
        }
        ExprOut e = translate_expression(v, names, b.position + 1, true);
        if (e.problem.empty() && !e.token_refs.empty()) e.problem = "uses participant data, which a kiosk does not have";
        if (!e.problem.empty()) {
            ctx.warn(q.code, std::string(attr_name) + " `" + v + "` " + e.problem + "; not enforced");
            return;
        }
        if (e.text.empty()) return; // "1": always valid
        src = e.text;
        tip_out = tip(tip_name);
    };
    validation("validation", "em_validation_q", "em_validation_q_tip", q.validation_src, q.validation_tip);
    bool cells = q.type != QuestionType::Matrix || q.cell != MatrixCell::Choice;
    if (cells) validation("row_validation", "em_validation_sq", "em_validation_sq_tip", q.row_validation_src, q.row_validation_tip);
    else if (!trim(attr(lq, "em_validation_sq")).empty())
        ctx.warn(q.code, "em_validation_sq ignored: a matrix of choices has no fields to check");
    return true;
}

// <defaultvalues> as `default`: a literal value, an option list (multiple choice), or
// "{expression}". What has no place in the format is left out with a warning.
void Importer::finish_default(Built& b) {
    Question& q = b.q;
    LsQuestion& lq = *b.ls;
    using T = QuestionType;
    auto value_of = [&](const LsDefault& d) {
        std::string v = d.value.has(ctx.base) ? d.value.by_lang.at(ctx.base)
                                              : (d.value.by_lang.empty() ? "" : d.value.by_lang.begin()->second);
        for (const auto& [l, other] : d.value.by_lang)
            if (other != v && std::find(ctx.langs.begin(), ctx.langs.end(), l) != ctx.langs.end()) {
                ctx.warn(q.code, "default answer differs by language; the " + ctx.base + " one (" + v + ") is used");
                break;
            }
        return v;
    };
    // LimeSurvey's code of an option, the engine's (renamed reserved codes).
    auto option_code = [&](const std::string& ls_code) {
        for (const Option& o : q.options)
            if ((o.source_code.empty() ? o.code : o.source_code) == ls_code) return o.code;
        return ls_code;
    };
    for (const LsDefault& d : lq.defaults) {
        std::string v = value_of(d);
        if (trim(v).empty()) continue;
        if (!takes_key("default", q.type)) {
            ctx.warn(q.code, "default answer `" + v + "` ignored: type " + type_name(q.type) + " takes none");
            continue;
        }
        if (!d.special.empty() || d.scale != 0) {
            ctx.warn(q.code, "default answer `" + v + "` of " + (d.special.empty() ? "the second scale" : d.special) +
                                 " left out: the format has defaults for the answer itself");
            continue;
        }
        std::string t = trim(v);
        if (t.size() >= 2 && t.front() == '{' && t.back() == '}') {
            ExprOut e = translate_expression(t, names, b.position);
            if (e.problem.empty() && !e.token_refs.empty()) e.problem = "uses participant data, which a kiosk does not have";
            if (e.problem.empty() && e.text.empty()) e.text = "1";
            if (!e.problem.empty()) {
                ctx.warn(q.code, "default answer `" + t + "` " + e.problem + "; left out");
                continue;
            }
            if (d.sqid != "0") {
                ctx.warn(q.code, "default answer `" + t + "` of a subquestion left out: the format has expression defaults for whole questions");
                continue;
            }
            q.default_src = "{" + e.text + "}";
            continue;
        }
        if (d.sqid == "0") {
            if (q.type == T::MultipleChoice || q.type == T::Ranking || q.type == T::RankedList ||
                q.type == T::Matrix || q.type == T::MultiText || q.type == T::MultiNumeric) {
                ctx.warn(q.code, "default answer `" + t + "` left out: type " + type_name(q.type) + " takes one per option or field");
                continue;
            }
            q.default_answer.value = q.type == T::SingleChoice ? option_code(t) : t;
            continue;
        }
        // A subquestion's default: the options of a multiple choice ("Y"), else not mapped.
        const LsQuestion* sub = nullptr;
        for (const LsQuestion* s : lq.subs)
            if (s->qid == d.sqid) sub = s;
        if (q.type == T::MultipleChoice && sub) {
            if (t == "Y") q.default_answer.values.push_back(option_code(sub->code));
            continue;
        }
        const Row* row = nullptr;
        if (sub)
            for (const Row& r : q.rows)
                if ((r.source_code.empty() ? r.code : r.source_code) == sub->code) row = &r;
        if ((q.type == T::MultiText || q.type == T::MultiNumeric) && row) {
            q.default_answer.cells[row->code] = t;
            continue;
        }
        ctx.warn(q.code, "default answer `" + t + "` of subquestion " + (sub ? sub->code : d.sqid) +
                             " left out: the importer maps subquestion defaults of multiple choice and of "
                             "multiple texts and numbers only");
    }
}

// Old-style conditions (the <conditions> rows of one question) as one engine condition,
// the way LimeSurvey's own conversion (LimeExpressionManager::ConvertConditionsToRelevance)
// builds relevance from them:
//   - field names: on a multiple-choice question (M, P) the field names the question and the
//     value the option ("123X4X5" + "SH101" -> Q_SH101 == "Y"); a field with a leading "+"
//     is already the option's column ("+123X4X5SH101", value "Y"); `{TOKEN:ATTR}` is
//     participant data, which a kiosk has none of: read as empty, with a warning;
//   - values: `@SGQA@` is another answer, `{...}` an expression, " " or "" means unanswered;
//   - conditions on the same field (same question, or the same option list) any (or),
//     different fields all (and), a "+" field always its own (and), scenarios any (or);
//   - "==", "<", "<=", ">", ">=" never hold and "!=" always holds for an unanswered field.
void Importer::old_conditions(const std::vector<LsRow>& rows, Built& b) {
    Question& q = b.q;
    std::string problem;
    std::map<int, std::vector<std::pair<std::string, std::vector<std::string>>>> scen;
    std::vector<std::string> token_fields;
    int forced = 0; // "+" fields: a key of their own each
    for (const LsRow& r : rows) {
        std::string field = trim(val(r, "cfieldname"));
        std::string method = trim(val(r, "method"));
        std::string value = val(r, "value");
        int sc = to_int(val(r, "scenario"), 1);
        std::string key = field;
        std::string lhs; // the field as an engine operand
        bool plus = !field.empty() && field[0] == '+';
        if (plus) field = field.substr(1);
        if (field.size() >= 2 && field.front() == '{' && field.back() == '}') {
            // {TOKEN:ATTRIBUTE_1}: no participant table on a kiosk, so always empty.
            if (std::find(token_fields.begin(), token_fields.end(), field) == token_fields.end()) token_fields.push_back(field);
            lhs = "\"\"";
        } else {
            auto nm = names.names.find(field);
            if (nm == names.names.end()) { problem = "refers to column " + field + ", which is not a question of the imported survey"; break; }
            const std::string& type = names.question_type[nm->second.question];
            bool checkbox = type == "M" || type == "P";
            if (checkbox && !plus && nm->second.engine == nm->second.question) {
                // The field names the question, the value its option.
                auto opt = names.names.find(field + trim(value));
                if (opt == names.names.end()) {
                    problem = "tests option '" + trim(value) + "' of " + nm->second.question + ", which has no such option";
                    break;
                }
                nm = opt;
                value = "Y";
            }
            if (plus) key = "+" + std::to_string(forced++);
            if (nm->second.position >= b.position) { problem = "refers to " + nm->second.question + ", which does not come before it"; break; }
            lhs = nm->second.engine + ".NAOK";
            auto rv = names.renamed_values.find(nm->second.engine);
            if (rv != names.renamed_values.end() && rv->second.count(trim(value))) value = rv->second.at(trim(value));
        }
        std::string rhs;
        bool empty_value = trim(value).empty(); // LimeSurvey's " " = "not answered"
        if (value.size() >= 2 && value.front() == '@' && value.back() == '@') {
            std::string other_name = value.substr(1, value.size() - 2);
            auto other = names.names.find(other_name);
            if (other == names.names.end()) {
                problem = "compares with " + value + ", which is not a question of the imported survey";
                break;
            }
            if (other->second.position >= b.position) {
                problem = "compares with " + value + " (" + other->second.question + "), which does not come before it";
                break;
            }
            rhs = other->second.engine + ".NAOK";
            empty_value = false;
        } else if (value.size() >= 2 && value.front() == '{' && value.back() == '}') {
            std::string inner = value.substr(1, value.size() - 2);
            if (inner.rfind("INSERTANS:", 0) == 0) inner = inner.substr(10) + ".shown";
            ExprOut e = translate_expression(inner, names, b.position);
            if (!e.problem.empty()) { problem = "compares with " + value + ", which " + e.problem; break; }
            for (const std::string& tf : e.token_refs)
                if (std::find(token_fields.begin(), token_fields.end(), tf) == token_fields.end()) token_fields.push_back(tf);
            rhs = "(" + (e.text.empty() ? std::string("1") : e.text) + ")";
            empty_value = false;
        } else if (method == "RX") {
            rhs = quote_string(value);
        } else if (to_number(trim(value))) {
            rhs = trim(value);
        } else {
            rhs = quote_string(value);
        }
        std::string cmp;
        if (method == "RX") cmp = "regexMatch(" + rhs + ", " + lhs + ")";
        else if (empty_value && method == "==") cmp = "is_empty(" + lhs + ")";
        else if (empty_value && method == "!=") cmp = "not is_empty(" + lhs + ")";
        else if (method == "!=") cmp = "(is_empty(" + lhs + ") or " + lhs + " != " + rhs + ")";
        else if (method == "==" || method == "<" || method == "<=" || method == ">" || method == ">=")
            // An unanswered field never passes (else "" < 9000 would hold as strings).
            cmp = "(not is_empty(" + lhs + ") and " + lhs + " " + method + " " + rhs + ")";
        else { problem = "uses the comparison '" + method + "'"; break; }
        auto& fields = scen[sc];
        auto f = std::find_if(fields.begin(), fields.end(), [&](auto& p) { return p.first == key; });
        if (f == fields.end()) fields.push_back({key, {cmp}});
        else f->second.push_back(cmp);
    }
    if (!problem.empty()) {
        ctx.warn(q.code, "old-style condition " + problem + "; dropped, so the question is always shown");
        return;
    }
    for (const std::string& tf : token_fields)
        ctx.warn(q.code, "old-style condition uses " + tf + " (participant data, which a kiosk does not have): read as empty");
    // Same field: any may hold (or); different fields: all (and); scenarios: any.
    std::string all;
    for (auto& [sc, fields] : scen) {
        std::string conj;
        for (auto& [field, alts] : fields) {
            std::string disj;
            for (const std::string& a : alts) disj += (disj.empty() ? "" : " or ") + a;
            if (alts.size() > 1) disj = "(" + disj + ")";
            conj += (conj.empty() ? "" : " and ") + disj;
        }
        all += (all.empty() ? "" : " or ") + (scen.size() > 1 ? "(" + conj + ")" : conj);
    }
    ExprParse p = parse_expression(all);
    if (p.expr) q.condition_src = all;
    else ctx.warn(q.code, "old-style conditions could not be converted (" + p.error + "); the question is always shown");
}

// Row conditions: subquestion relevance and array filters.
void Importer::row_conditions(Built& b) {
    Question& q = b.q;
    const LsQuestion& lq = *b.ls;
    std::string filter = trim(attr(lq, "array_filter"));
    std::string filter_ex = trim(attr(lq, "array_filter_exclude"));
    if (q.rows.empty()) {
        if (!filter.empty() || !filter_ex.empty())
            ctx.warn(q.code, "array filter on answer options is not supported; all options are shown");
        for (size_t i = 0; i < b.option_relevance.size() && i < q.options.size(); i++)
            if (!b.option_relevance[i].empty() && b.option_relevance[i] != "1")
                ctx.warn(q.code + "_" + q.options[i].code, "option condition `" + b.option_relevance[i] + "` is not supported; the option is always shown");
    }
    for (size_t i = 0; i < q.rows.size(); i++) {
        Row& r = q.rows[i];
        std::string where = q.code + "_" + r.code;
        std::vector<std::string> parts;
        std::string rel = i < b.row_relevance.size() ? b.row_relevance[i] : "";
        std::string c = cond(rel, where, b.position, "the row");
        if (!c.empty()) parts.push_back("(" + c + ")");
        for (int ex = 0; ex < 2; ex++) {
            for (const std::string& fq : split_tokens(ex == 0 ? filter : filter_ex, "; ")) {
                auto nm = names.names.find(fq);
                if (nm == names.names.end() || nm->second.position >= b.position || nm->second.engine != fq) {
                    ctx.warn(where, std::string(ex ? "array_filter_exclude" : "array_filter") + " on " + fq +
                                        ", which is not an earlier question; not applied, the row is always shown");
                    continue;
                }
                // By LimeSurvey's codes: a row coded "other" (renamed for the kiosk) follows
                // the source's other field.
                const std::string& lsrow = r.source_code.empty() ? r.code : r.source_code;
                auto sv = names.names.find(fq + "_" + lsrow);
                if (sv == names.names.end()) {
                    ctx.warn(where, std::string(ex ? "array_filter_exclude" : "array_filter") + ": " + fq +
                                        " has no subquestion " + lsrow + "; not applied to this row");
                    continue;
                }
                std::string var = sv->second.engine;
                // LimeSurvey tests a checkbox for "Y" (the same as not empty); the other
                // field holds the text typed.
                bool checkbox = (names.question_type[fq] == "M" || names.question_type[fq] == "P") &&
                                lsrow != "other";
                if (ex == 0) parts.push_back(checkbox ? var + ".NAOK == \"Y\"" : "not is_empty(" + var + ".NAOK)");
                else parts.push_back(checkbox ? var + ".NAOK != \"Y\"" : "is_empty(" + var + ".NAOK)");
            }
        }
        std::string all;
        for (const std::string& p : parts) all += (all.empty() ? "" : " and ") + p;
        if (parts.size() == 1 && all.front() == '(' && all.back() == ')') all = all.substr(1, all.size() - 2);
        r.condition_src = all;
    }
}

void Importer::report_removed() {
    for (const std::string& where : removed_order) {
        const std::vector<std::string>& list = removed[where];
        std::string msg = list.size() == 1 ? "text expression " : std::to_string(list.size()) + " text expressions ";
        msg += "replaced by '…': ";
        for (size_t i = 0; i < list.size() && i < 3; i++) msg += (i ? "; " : "") + list[i];
        if (list.size() > 3) msg += "; and " + std::to_string(list.size() - 3) + " more";
        ctx.warn(where, msg);
    }
    for (auto& [lang, n] : missing_by_lang)
        ctx.warn("", "language '" + lang + "': " + std::to_string(n) + " texts are not translated; the " + ctx.base + " text is used");
}

} // namespace lss

using lss::Importer;

namespace {

// The last guard before a file is written: the imported survey goes through the kiosk's own
// loader, and whatever it refuses is taken out with a warning naming the question and the
// loader's reason — a condition (then the question, group or row is always shown), else the
// question itself. A file import_lss returns therefore always passes `survey check`. This only
// acts on constructs the translation above let through by mistake; the tests run every sample
// file and expect it to find nothing.
void refuse_what_does_not_load(LssImport& r) {
    Survey& s = *r.survey;
    for (int round = 0;; round++) {
        LoadResult check = parse_survey(survey_to_json(s), r.survey->source_path);
        if (check.ok()) return;
        bool changed = false;
        std::set<std::pair<size_t, size_t>> drop; // (group, question), erased after the pass
        for (const LoadError& e : check.errors) {
            // where: "CODE /groups/G/questions/Q/..." or "/groups/G/..."
            size_t gpos = e.where.find("/groups/");
            if (gpos == std::string::npos) continue;
            size_t gi = size_t(std::atoi(e.where.c_str() + gpos + 8));
            if (gi >= s.groups.size()) continue;
            Group& g = s.groups[gi];
            std::string rest = e.where.substr(gpos + 8);
            size_t qpos = rest.find("/questions/");
            if (qpos == std::string::npos) {
                if (rest.find("/condition") != std::string::npos && !g.condition_src.empty()) {
                    r.warnings.push_back(s.source_path + ": group " + g.code + ": condition `" + g.condition_src +
                                         "` refused by the survey check (" + e.message + "); the group is always shown");
                    g.condition_src.clear();
                    changed = true;
                }
                continue;
            }
            size_t qi = size_t(std::atoi(rest.c_str() + qpos + 11));
            if (qi >= g.questions.size()) continue;
            Question& q = g.questions[qi];
            std::string qrest = rest.substr(qpos + 11);
            size_t rpos = qrest.find("/rows/");
            if (rpos != std::string::npos && qrest.find("/condition") != std::string::npos) {
                size_t ri = size_t(std::atoi(qrest.c_str() + rpos + 6));
                if (ri < q.rows.size() && !q.rows[ri].condition_src.empty()) {
                    r.warnings.push_back(s.source_path + ": " + q.code + "_" + q.rows[ri].code + ": condition `" +
                                         q.rows[ri].condition_src + "` refused by the survey check (" + e.message +
                                         "); the row is always shown");
                    q.rows[ri].condition_src.clear();
                    changed = true;
                }
                continue;
            }
            if (qrest.find("/condition") != std::string::npos && !q.condition_src.empty()) {
                r.warnings.push_back(s.source_path + ": " + q.code + ": condition `" + q.condition_src +
                                     "` refused by the survey check (" + e.message + "); the question is always shown");
                q.condition_src.clear();
                changed = true;
                continue;
            }
            // A default or validation the check refuses goes; the question stays.
            bool is_default = qrest.find("/default") != std::string::npos;
            bool is_row_val = qrest.find("/row_validation") != std::string::npos;
            bool is_val = qrest.find("/validation") != std::string::npos;
            if ((is_default && (!q.default_src.empty() || !q.default_answer.empty())) ||
                (is_row_val && !q.row_validation_src.empty()) || (is_val && !q.validation_src.empty())) {
                const char* key = is_default ? "default" : is_row_val ? "row_validation" : "validation";
                r.warnings.push_back(s.source_path + ": " + q.code + ": " + key + " refused by the survey check (" +
                                     e.message + "); left out");
                if (is_default) { q.default_src.clear(); q.default_answer = Answer{}; }
                else if (is_row_val) { q.row_validation_src.clear(); q.row_validation_tip = LocalText{}; }
                else { q.validation_src.clear(); q.validation_tip = LocalText{}; }
                changed = true;
                continue;
            }
            if (drop.insert({gi, qi}).second)
                r.warnings.push_back(s.source_path + ": " + q.code + ": refused by the survey check (" + e.message +
                                     "); left out");
            changed = true;
        }
        for (auto it = drop.rbegin(); it != drop.rend(); ++it) { // back to front: indexes stay valid
            std::vector<Question>& qs = s.groups[it->first].questions;
            std::string code = qs[it->second].code;
            qs.erase(qs.begin() + long(it->second));
            // Another question may keep the same (duplicate) code: its columns stay.
            bool still = false;
            for (const Group& g2 : s.groups)
                for (const Question& q2 : g2.questions) still = still || q2.code == code;
            if (!still)
                r.columns.erase(std::remove_if(r.columns.begin(), r.columns.end(),
                                               [&](const LssColumn& c) { return c.question == code; }),
                                r.columns.end());
        }
        s.groups.erase(std::remove_if(s.groups.begin(), s.groups.end(), [](const Group& g) { return g.questions.empty(); }),
                       s.groups.end());
        // Each round takes something out, so this ends; a file with nothing left fails below.
        if (!changed || round > 10000) {
            std::string why;
            for (size_t i = 0; i < check.errors.size() && i < 3; i++)
                why += (i ? "; " : "") + check.errors[i].where + ": " + check.errors[i].message;
            r.error = s.source_path + ": the imported survey does not pass the survey check (" + why + ")";
            r.survey.reset();
            return;
        }
    }
}

} // namespace

LssImport import_lss(const std::string& xml_text, const std::string& source_name) {
    Importer im;
    im.ctx.file = source_name;
    im.result.survey = std::make_shared<Survey>();
    im.result.survey->source_path = source_name;
    if (!im.read(xml_text)) {
        im.result.survey.reset();
        im.result.columns.clear();
        return im.result;
    }
    im.build();
    im.result.sid = im.ctx.sid;
    if (!im.result.survey->groups.empty()) refuse_what_does_not_load(im.result);
    if (!im.result.ok()) {
        im.result.columns.clear();
        return im.result;
    }
    // The same problem in every language of a text is one warning.
    std::vector<std::string> uniq;
    std::set<std::string> seen;
    for (std::string& w : im.result.warnings)
        if (seen.insert(w).second) uniq.push_back(std::move(w));
    im.result.warnings = std::move(uniq);
    if (im.result.survey->groups.empty()) {
        im.result.error = source_name + ": no question the kiosk can ask (see the warnings)";
        im.result.survey.reset();
    }
    return im.result;
}

LssImport import_lss_file(const std::string& path) {
    std::string text, err;
    if (!read_whole_file(path, text, &err)) {
        LssImport r;
        r.error = path + ": " + err;
        return r;
    }
    return import_lss(text, path);
}

LoadResult load_lss(const std::string& path) {
    LoadResult out;
    LssImport im = import_lss_file(path);
    if (!im.ok()) {
        LoadError e;
        e.file = path;
        e.message = im.error;
        out.errors.push_back(e);
        out.warnings = im.warnings;
        return out;
    }
    out = parse_survey(survey_to_json(*im.survey), path);
    out.warnings.insert(out.warnings.begin(), im.warnings.begin(), im.warnings.end());
    return out;
}

} // namespace tk
