// survey_delphi.cpp - the survey's "delphi" block: which round of a Delphi study a survey is,
// the consensus rule, and the items whose answers are fed back and judged (surveys/FORMAT.md,
// section "delphi"). Read after the groups, because every item names a question.
//
//   split_delphi_key, delphi_item_scale, consensus_rule_text   public helpers (survey.h)
//   Loader::parse_delphi                                        the block and its rules
#include <algorithm>
#include <cmath>
#include <set>

#include "json_positions.h"
#include "spelling.h"
#include "survey_loader_internal.h"

namespace tk {

bool split_delphi_key(const std::string& key, std::string& code, std::string& row) {
    code.clear();
    row.clear();
    size_t open = key.find('[');
    if (open == std::string::npos) {
        code = key;
        return loader::valid_question_code(key);
    }
    if (key.size() < open + 3 || key.back() != ']') return false;
    code = key.substr(0, open);
    row = key.substr(open + 1, key.size() - open - 2);
    return loader::valid_question_code(code) && loader::valid_answer_code(row);
}

namespace {

// A whole number written plainly ("1", "12", "-3"): the codes of an ordinal scale.
bool int_code(const std::string& c, long& out) {
    if (c.empty() || c.size() > 9) return false;
    size_t i = c[0] == '-' ? 1 : 0;
    if (i == c.size()) return false;
    for (size_t k = i; k < c.size(); k++)
        if (c[k] < '0' || c[k] > '9') return false;
    out = std::stol(c);
    return true;
}

} // namespace

const std::vector<Option>* delphi_item_scale(const Survey& s, const std::string& key, bool* ordinal) {
    if (ordinal) *ordinal = false;
    std::string code, row;
    if (!split_delphi_key(key, code, row)) return nullptr;
    const Question* q = s.find_question(code);
    if (!q) return nullptr;
    using T = QuestionType;
    bool with_row = q->type == T::Matrix;
    if (with_row != !row.empty()) return nullptr;
    if (with_row && (q->cell != MatrixCell::Choice || !q->options2.empty() || !q->find_row(row))) return nullptr;
    if (q->type != T::SingleChoice && q->type != T::MultipleChoice && q->type != T::YesNo &&
        q->type != T::Rating && q->type != T::Matrix)
        return nullptr;
    if (ordinal && q->type != T::MultipleChoice && q->type != T::YesNo && q->options.size() >= 2) {
        // Ordinal: whole-number codes rising along the scale, so that median and mean mean
        // something ("stimme nicht zu" = 1 ... "stimme zu" = 5).
        bool rising = true;
        long prev = 0;
        for (size_t i = 0; i < q->options.size() && rising; i++) {
            long v;
            if (!int_code(q->options[i].code, v) || (i > 0 && v <= prev)) rising = false;
            prev = v;
        }
        *ordinal = rising;
    }
    return &q->options;
}

std::string consensus_rule_text(const ConsensusRule& r) {
    auto num = [](double d) { return loader::num_text(d); };
    if (r.kind == "top_share")
        return "at least " + num(r.threshold) + " % of the answers in the " + std::to_string(std::abs(r.top)) +
               (r.top < 0 ? " lowest" : " highest") + (std::abs(r.top) == 1 ? " category" : " categories");
    if (r.kind == "iqr") return "interquartile range at most " + num(r.threshold);
    if (r.kind == "rand_ucla")
        return "RAND/UCLA: median in 1-3 or 7-9 and disagreement index (IPR/IPRAS) below " + num(r.threshold);
    if (r.kind == "cv") return "coefficient of variation (sd / mean) at most " + num(r.threshold);
    return r.kind;
}

namespace loader {

namespace {

const std::vector<std::string> kDelphiKeys = {"study", "round", "consensus", "drop_on_consensus", "expert_levels",
                                              "items"};
const std::vector<std::string> kConsensusKeys = {"kind", "threshold", "top"};
const std::vector<std::string> kDelphiItemKeys = {"key", "repeats", "feedback", "expertise"};
const std::vector<std::string> kRuleKinds = {"top_share", "iqr", "rand_ucla", "cv"};
const std::vector<std::string> kFeedbackKinds = {"distribution", "median", "iqr", "mean"};

} // namespace

void Loader::parse_delphi(const json& j, Survey& s) {
    const json* d = member(j, "delphi");
    if (!d) return;
    const std::string P = "/delphi";
    if (!d->is_object()) {
        error(P, "", "\"delphi\" must be an object like {\"study\": \"...\", \"round\": 1, \"consensus\": {...}, "
                     "\"items\": [...]}, not " + std::string(json_kind(*d)));
        return;
    }
    check_keys(*d, P, "", kDelphiKeys);
    DelphiRound r;
    size_t errors_before = errors.size();
    if (get_string(*d, "study", P, "", r.study, true) && !valid_survey_id(r.study))
        error(P + "/study", "", "invalid study id " + in_quotes(r.study) +
                                    ": use lowercase letters, digits and \"-\" only (at most 64); every round of "
                                    "the study names the same id");
    if (!member(*d, "round")) error(P, "", "missing required key \"round\" (1 for the first round)");
    get_int(*d, "round", P, "", r.round, 1, 99);
    get_bool(*d, "drop_on_consensus", P, "", r.drop_on_consensus);

    // The consensus rule: fixed before round 1 and the same in every round, so it is part of
    // each round's file (and of its hash) rather than chosen when the results are in.
    const json* c = member(*d, "consensus");
    bool rule_ok = false;
    if (!c) {
        error(P, "", "missing required key \"consensus\": the consensus rule must be fixed before round 1, e.g. "
                     "{\"kind\": \"top_share\", \"threshold\": 75, \"top\": 2}");
    } else if (!c->is_object()) {
        error(P + "/consensus", "", "\"consensus\" must be an object like {\"kind\": \"top_share\", \"threshold\": "
                                    "75, \"top\": 2}, not " + std::string(json_kind(*c)));
    } else {
        const std::string cp = P + "/consensus";
        check_keys(*c, cp, "", kConsensusKeys);
        ConsensusRule& cr = r.consensus;
        if (get_string(*c, "kind", cp, "", cr.kind, true)) {
            if (std::find(kRuleKinds.begin(), kRuleKinds.end(), cr.kind) == kRuleKinds.end()) {
                error(cp + "/kind", "", "unknown consensus rule " + in_quotes(cr.kind) +
                                            " (known: top_share, iqr, rand_ucla, cv)" + suggest(cr.kind, kRuleKinds));
            } else {
                rule_ok = true;
                std::optional<double> t;
                get_number(*c, "threshold", cp, "", t);
                // The sensible range of each rule's threshold, and its default where the
                // method has a standard one (RAND/UCLA: disagreement index below 1).
                double lo = 0, hi = 0;
                bool lo_open = true;
                const char* unit = "";
                if (cr.kind == "top_share") { hi = 100; unit = " (a percentage, e.g. 75)"; }
                else if (cr.kind == "iqr") { lo_open = false; hi = 10; unit = " (scale points, e.g. 1)"; }
                else if (cr.kind == "rand_ucla") { hi = 10; if (!t) t = 1.0; unit = " (the disagreement index, usually 1)"; }
                else { hi = 10; unit = " (sd / mean, e.g. 0.5)"; }
                if (!t) {
                    if (!member(*c, "threshold"))
                        error(cp, "", "missing required key \"threshold\" for the rule " + in_quotes(cr.kind) + unit);
                    rule_ok = false;
                } else if ((lo_open ? *t <= lo : *t < lo) || *t > hi) {
                    error(cp + "/threshold", "", "\"threshold\" of the rule " + in_quotes(cr.kind) + " must be " +
                                                     (lo_open ? "above " : "at least ") + num_text(lo) +
                                                     " and at most " + num_text(hi) + unit + " (got " +
                                                     num_text(*t) + ")");
                    rule_ok = false;
                } else {
                    cr.threshold = *t;
                }
                if (member(*c, "top")) {
                    if (cr.kind != "top_share") {
                        error(cp + "/top", "", "\"top\" belongs to the rule \"top_share\" only");
                    } else if (get_int(*c, "top", cp, "", cr.top, -20, 20) && cr.top == 0) {
                        error(cp + "/top", "", "\"top\" must not be 0: the number of highest categories counted "
                                               "(a negative number counts the lowest)");
                        rule_ok = false;
                    }
                }
            }
        }
    }

    if (const json* el = member(*d, "expert_levels")) {
        if (!el->is_array()) {
            error(P + "/expert_levels", "", "\"expert_levels\" must be a list of option codes, like [\"4\", \"5\"], "
                                            "not " + std::string(json_kind(*el)));
        } else {
            for (size_t i = 0; i < el->size(); i++) {
                const json& v = (*el)[i];
                std::string p = P + "/expert_levels/" + std::to_string(i);
                if (!v.is_string() || !valid_answer_code(v.get<std::string>())) {
                    error(p, "", "an expert level must be an option code such as \"4\", not " +
                                     (v.is_string() ? in_quotes(v.get<std::string>()) : std::string(json_kind(v))));
                } else if (std::find(r.expert_levels.begin(), r.expert_levels.end(), v.get<std::string>()) !=
                           r.expert_levels.end()) {
                    error(p, "", "duplicate expert level " + in_quotes(v.get<std::string>()));
                } else {
                    r.expert_levels.push_back(v.get<std::string>());
                }
            }
        }
    }

    const json* items = member(*d, "items");
    bool any_expertise = false;
    if (!items) {
        error(P, "", "missing required key \"items\": the questions (or \"CODE[ROW]\" rows) whose answers are "
                     "fed back and judged for consensus");
    } else if (!items->is_array()) {
        error(P + "/items", "", "\"items\" must be a list, not " + std::string(json_kind(*items)));
    } else if (items->empty()) {
        error(P + "/items", "", "\"items\" is empty: name at least one question whose consensus is judged");
    } else {
        std::map<std::string, size_t> seen;
        for (size_t i = 0; i < items->size(); i++) {
            const json& ji = (*items)[i];
            std::string ip = P + "/items/" + std::to_string(i);
            if (!ji.is_object()) {
                error(ip, "", "an item must be an object like {\"key\": \"F5[L1]\", \"repeats\": \"F11[L1]\"}, not " +
                                  std::string(json_kind(ji)));
                continue;
            }
            check_keys(ji, ip, "", kDelphiItemKeys);
            DelphiItem it;
            if (!get_string(ji, "key", ip, "", it.key, true)) continue;
            const std::string& k = it.key;
            std::string code, row;
            bool ordinal = false;
            const std::vector<Option>* scale = nullptr;
            if (!split_delphi_key(k, code, row)) {
                error(ip + "/key", "", "invalid item key " + in_quotes(k) +
                                           ": a question code (\"F5\") or a matrix row (\"F5[L1]\")");
            } else if (const Question* q = s.find_question(code); !q) {
                std::vector<std::string> codes;
                for (const auto& qr : s.all_questions()) codes.push_back(qr.q->code);
                error(ip + "/key", k, "item names the question " + in_quotes(code) + ", which is not in this survey" +
                                          suggest(code, codes));
            } else if (q->type == QuestionType::Matrix && row.empty()) {
                error(ip + "/key", k, "item " + in_quotes(k) + " is a matrix: name one row, e.g. \"" + code + "[" +
                                          (q->rows.empty() ? "ROW" : q->rows[0].code) + "]\"");
            } else if (q->type != QuestionType::Matrix && !row.empty()) {
                error(ip + "/key", k, "item " + in_quotes(k) + " names a row, but " + code + " is " +
                                          type_name(q->type) + ", not a matrix");
            } else if (!row.empty() && !q->find_row(row)) {
                std::vector<std::string> rows;
                for (const Row& rw : q->rows) rows.push_back(rw.code);
                error(ip + "/key", k, "matrix " + code + " has no row " + in_quotes(row) + suggest(row, rows));
            } else if (!(scale = delphi_item_scale(s, k, &ordinal))) {
                error(ip + "/key", k, "item " + in_quotes(k) + " is not a closed question with one scale (single, "
                                      "multiple, yesno, rating or a matrix row with one choice per row): a group's "
                                      "result needs categories to count");
            }
            if (!k.empty()) {
                auto [at, fresh] = seen.insert({k, i});
                if (!fresh)
                    error(ip + "/key", k, "duplicate item " + in_quotes(k) + " (first at " + P + "/items/" +
                                              std::to_string(at->second) + ")");
            }
            if (get_string(ji, "repeats", ip, k, it.repeats, false)) {
                std::string rc, rr;
                if (!split_delphi_key(it.repeats, rc, rr))
                    error(ip + "/repeats", k, "invalid \"repeats\" " + in_quotes(it.repeats) +
                                                  ": the item of the round before, \"F11\" or \"F11[L1]\"");
                else if (r.round == 1)
                    error(ip + "/repeats", k, "round 1 has no round before it to repeat");
            }
            if (const json* fb = member(ji, "feedback")) {
                if (!fb->is_array()) {
                    error(ip + "/feedback", k, "\"feedback\" must be a list such as [\"distribution\", \"median\"], "
                                               "not " + std::string(json_kind(*fb)));
                } else {
                    for (size_t f = 0; f < fb->size(); f++) {
                        std::string fp = ip + "/feedback/" + std::to_string(f);
                        const json& v = (*fb)[f];
                        std::string name = v.is_string() ? v.get<std::string>() : "";
                        if (std::find(kFeedbackKinds.begin(), kFeedbackKinds.end(), name) == kFeedbackKinds.end()) {
                            error(fp, k, "unknown feedback " + (v.is_string() ? in_quotes(name) : json_kind(v)) +
                                             " (known: distribution, median, iqr, mean)" + suggest(name, kFeedbackKinds));
                        } else if (std::find(it.feedback.begin(), it.feedback.end(), name) != it.feedback.end()) {
                            error(fp, k, "feedback " + in_quotes(name) + " is listed twice");
                        } else if (name != "distribution" && scale && !ordinal) {
                            error(fp, k, "feedback " + in_quotes(name) + " needs an ordinal scale (whole-number "
                                         "option codes rising along the scale, e.g. 1 to 5); " + k +
                                         " has categories without an order: show the \"distribution\"");
                        } else {
                            it.feedback.push_back(name);
                        }
                    }
                }
                if (it.repeats.empty() && !it.feedback.empty())
                    error(ip + "/feedback", k, "feedback is shown with a repeated item: add \"repeats\" (the item of "
                                               "the round before whose result is shown)");
            } else if (!it.repeats.empty()) {
                it.feedback = {"distribution"}; // the least a repeated question shows
            }
            if (get_string(ji, "expertise", ip, k, it.expertise, false)) {
                any_expertise = true;
                bool eord = false;
                const std::vector<Option>* es = delphi_item_scale(s, it.expertise, &eord);
                std::string ec, er;
                split_delphi_key(it.expertise, ec, er);
                if (!es || s.find_question(ec)->type == QuestionType::MultipleChoice) {
                    error(ip + "/expertise", k, "\"expertise\" " + in_quotes(it.expertise) +
                                                    " must name a single-choice question, rating or matrix row of "
                                                    "this survey (the self-rated expertise for this item's topic)");
                } else if (s.question_position(ec) > s.question_position(code)) {
                    // Not a rule of the method, but a self-rating after the answer would be
                    // coloured by it; the study asked for it before each topic.
                    warn(ip + "/expertise", k, "the expertise question " + ec + " comes after the item " + code);
                }
                if (es) {
                    for (const std::string& lv : r.expert_levels)
                        if (!std::any_of(es->begin(), es->end(), [&](const Option& o) { return o.code == lv; }))
                            error(ip + "/expertise", k, "expert level " + in_quotes(lv) + " is not an option of " +
                                                            it.expertise);
                }
            }
            // RAND/UCLA's regions (1-3, 4-6, 7-9) are defined on a nine-point scale only.
            if (rule_ok && r.consensus.kind == "rand_ucla" && scale && (!ordinal || scale->size() != 9))
                error(ip + "/key", k, "the consensus rule \"rand_ucla\" needs a 9-point scale with codes rising "
                                      "(e.g. 1 to 9); " + k + " has " + std::to_string(scale->size()) +
                                      (ordinal ? " points" : " categories without an order"));
            if (rule_ok && r.consensus.kind == "top_share" && scale && (int)scale->size() <= std::abs(r.consensus.top))
                error(ip + "/key", k, "the consensus rule counts the " + std::to_string(std::abs(r.consensus.top)) +
                                          " top categories, but " + k + " has only " +
                                          std::to_string(scale->size()) + ": every answer would count");
            r.items.push_back(std::move(it));
        }
    }
    if (any_expertise && r.expert_levels.empty())
        error(P, "", "items name an \"expertise\" question, but \"expert_levels\" is missing: list the option codes "
                     "that count as expert (the study: the two highest levels)");
    if (!any_expertise && !r.expert_levels.empty())
        warn(P + "/expert_levels", "", "\"expert_levels\" has no effect: no item names an \"expertise\" question");
    if (errors.size() == errors_before) s.delphi = std::move(r);
}

} // namespace loader
} // namespace tk
