// delphi_feedback.cpp - from round k's decrypted responses to round k+1's feedback pack.
//
// Index
//   item_value           one response's answer to one item key
//   multiple_item_stats  a multiple choice: per option, how many ticked it
//   make_feedback_pack   the surveys checked as consecutive rounds, one response per
//                        pseudonym, the statistics and the sealed entries
#include "delphi.h"

#include <algorithm>

namespace tk::delphi {

std::string item_value(const Response& r, const std::string& key) {
    std::string code, row;
    if (!split_delphi_key(key, code, row)) return "";
    auto it = r.answers.find(code);
    if (it == r.answers.end()) return "";
    const Answer& a = it->second;
    if (a.no_answer) return kNoAnswerCode;
    if (!row.empty()) {
        auto c = a.cells.find(row);
        return c == a.cells.end() ? "" : c->second;
    }
    if (!a.values.empty()) {
        std::string joined;
        for (const std::string& v : a.values) joined += (joined.empty() ? "" : " ") + v;
        return joined;
    }
    return a.value;
}

ItemStats multiple_item_stats(const std::string& key, const std::string& source_key,
                       const std::vector<std::vector<std::string>>& chosen, const std::vector<Option>& scale) {
    ItemStats s;
    s.key = key;
    s.source_key = source_key;
    s.multiple = true;
    for (const Option& o : scale) s.distribution.push_back({o.code, 0});
    for (const std::vector<std::string>& ticked : chosen) {
        bool counted = false;
        for (auto& [code, count] : s.distribution)
            if (std::find(ticked.begin(), ticked.end(), code) != ticked.end()) {
                count++;
                counted = true;
            }
        s.n += counted; // ticked only "andere" or unknown codes: no category, as item_stats
    }
    s.consensus_detail = "multiple choice: the share of the " + std::to_string(s.n) + " who answered, per option";
    return s;
}

static std::vector<std::string> split_spaces(const std::string& v) {
    std::vector<std::string> out;
    size_t i = 0;
    while (i < v.size()) {
        size_t j = v.find(' ', i);
        if (j == std::string::npos) j = v.size();
        if (j > i) out.push_back(v.substr(i, j - i));
        i = j + 1;
    }
    return out;
}

static bool same_codes(const std::vector<Option>& a, const std::vector<Option>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); i++)
        if (a[i].code != b[i].code) return false;
    return true;
}

bool make_feedback_pack(const Survey& round, const Survey& next, const std::vector<Response>& responses,
                        const std::string& created, FeedbackPack& out, FeedbackSummary* summary, std::string* error) {
    auto fail = [&](const std::string& m) {
        if (error) *error = m;
        return false;
    };
    out = FeedbackPack{};
    if (round.delphi.round < 1) return fail(round.id + " is no Delphi round (its survey has no \"delphi\" block)");
    if (next.delphi.round != round.delphi.round + 1)
        return fail(next.id + " is round " + std::to_string(next.delphi.round) + ", not the round after " + round.id +
                    " (round " + std::to_string(round.delphi.round) + ")");
    if (next.delphi.study != round.delphi.study)
        return fail(next.id + " belongs to study '" + next.delphi.study + "', " + round.id + " to '" + round.delphi.study + "'");

    // Which items, on which scales: a repeated item must ask the same options as its source.
    struct Item {
        const DelphiItem* it;
        const std::vector<Option>* scale;
        bool multiple;
    };
    std::vector<Item> items;
    for (const DelphiItem& it : next.delphi.items) {
        if (it.repeats.empty()) continue;
        const std::vector<Option>* here = delphi_item_scale(next, it.key);
        const std::vector<Option>* there = delphi_item_scale(round, it.repeats);
        if (!here || !there) return fail(it.key + " repeats " + it.repeats + ", which " + round.id + " does not ask as a closed item");
        if (!same_codes(*here, *there))
            return fail(it.key + " (" + next.id + ") and " + it.repeats + " (" + round.id + ") have different options");
        std::string code, row;
        split_delphi_key(it.repeats, code, row);
        const Question* q = round.find_question(code);
        items.push_back({&it, there, q && q->type == QuestionType::MultipleChoice});
    }

    // One response per participant: their latest; those without a pseudonym all count.
    FeedbackSummary sum;
    std::map<std::string, const Response*> latest;
    std::vector<const Response*> counted;
    for (const Response& r : responses) {
        if (r.survey_id != round.id) continue;
        sum.responses++;
        if (r.pseudonym.empty()) {
            sum.anonymous++;
            counted.push_back(&r);
            continue;
        }
        const Response*& have = latest[r.pseudonym];
        if (have) sum.duplicates++;
        if (!have || r.finished > have->finished) have = &r;
    }
    for (const auto& [p, r] : latest) counted.push_back(r);
    sum.participants = (int)latest.size();

    out.study = next.delphi.study;
    out.from_round = round.delphi.round;
    out.for_survey = next.id;
    out.for_version = next.version;
    out.created = created;
    for (const Item& item : items) {
        if (item.multiple) {
            std::vector<std::vector<std::string>> chosen;
            for (const Response* r : counted) chosen.push_back(split_spaces(item_value(*r, item.it->repeats)));
            out.items.push_back(multiple_item_stats(item.it->key, item.it->repeats, chosen, *item.scale));
        } else {
            std::vector<std::string> values;
            for (const Response* r : counted) values.push_back(item_value(*r, item.it->repeats));
            out.items.push_back(item_stats(item.it->key, item.it->repeats, values, *item.scale, round.delphi.consensus));
        }
    }
    for (const auto& [pseudonym, r] : latest) {
        OwnAnswers own;
        for (const Item& item : items) {
            std::string v = item_value(*r, item.it->repeats);
            if (!v.empty()) own[item.it->key] = v;
        }
        ParticipantKeys k;
        keys_from_pseudonym(pseudonym, k);
        out.entries[k.lookup] = seal_own_answers(k, own);
    }
    if (summary) *summary = sum;
    return true;
}

} // namespace tk::delphi
