// answers.cpp - what the respondent chooses and types: the numbered choices of a page,
// choosing (limits, exclusive options, "andere"), matrix cells, ranking, text fields as typed
// (drafts) and the answers built from them, the type's instruction ("Sie können mehrere
// Antworten wählen.") said once, and the review page's short summaries.
#include "kiosk_state.h"
#include "state_helpers.h"

#include <algorithm>
#include <cstdlib>

namespace tk {

bool offers_no_answer(const KioskApp& app, const Question& q) {
    if (!app.survey || !app.survey->settings.no_answer_option || q.mandatory) return false;
    switch (q.type) {
    case QuestionType::SingleChoice:
    case QuestionType::MultipleChoice:
    case QuestionType::YesNo:
    case QuestionType::Rating: return true;
    default: return false;
    }
}

bool offers_row_no_answer(const KioskApp& app, const Question& q) {
    return app.survey && app.survey->settings.no_answer_option && !q.mandatory &&
           q.type == QuestionType::Matrix && q.cell == MatrixCell::Choice;
}

std::vector<Choice> page_choices(const KioskApp& app, const Question& q) {
    std::vector<Choice> out;
    switch (q.type) {
    case QuestionType::SingleChoice:
    case QuestionType::MultipleChoice:
    case QuestionType::Ranking:
        for (const auto& o : q.options) out.push_back({o.code, survey_text(app, o.text)});
        if (q.other && q.type != QuestionType::Ranking)
            out.push_back({kOtherCode, q.other_label.empty() ? kiosk_text(app, "other") : survey_text(app, q.other_label)});
        break;
    case QuestionType::YesNo:
        out.push_back({"Y", kiosk_text(app, "yes")});
        out.push_back({"N", kiosk_text(app, "no")});
        break;
    case QuestionType::Rating: {
        // The loader may generate the options; fall back to the scale bounds if not.
        std::vector<std::string> codes;
        if (!q.options.empty())
            for (const auto& o : q.options) codes.push_back(o.code);
        else
            for (int v = q.scale_min; v <= q.scale_max; ++v) codes.push_back(std::to_string(v));
        for (size_t i = 0; i < codes.size(); ++i) {
            std::string label = codes[i];
            if (i == 0 && !q.min_label.empty()) label += " – " + survey_text(app, q.min_label);
            if (i + 1 == codes.size() && !q.max_label.empty()) label += " – " + survey_text(app, q.max_label);
            out.push_back({codes[i], label});
        }
        break;
    }
    default: break;
    }
    if (offers_no_answer(app, q)) out.push_back({kNoAnswerCode, kiosk_text(app, "no_answer")});
    return out;
}

// --- choosing and typing -------------------------------------------------------------------

static Answer current_answer(const KioskApp& app, const std::string& code) {
    const Answer* a = app.session ? app.session->answer(code) : nullptr;
    return a ? *a : Answer{};
}

static bool contains_str(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

bool is_chosen(const KioskApp& app, const Question& q, const std::string& code) {
    const Answer* a = app.session ? app.session->answer(q.code) : nullptr;
    if (code == kOtherCode && q.type == QuestionType::MultipleChoice) {
        auto it = app.page.drafts.find(q.code + "|other_open");
        if (it != app.page.drafts.end()) return it->second == "1";
        return a && !a->other.empty();
    }
    if (!a) return false;
    if (code == kNoAnswerCode) return a->no_answer;
    switch (q.type) {
    case QuestionType::MultipleChoice:
    case QuestionType::Ranking: return contains_str(a->values, code);
    default: return a->value == code;
    }
}

// The kiosk refuses one choice too many itself, before the session sees it; the person is
// told the limit through `bound`, as for the session's own problems.
static AnswerProblem too_many(int limit) {
    AnswerProblem p;
    p.kind = AnswerProblem::TooMany;
    p.detail = p.bound = std::to_string(limit);
    return p;
}

void choose(KioskApp& app, const std::string& code) {
    if (!app.session || !app.session->current()) return;
    const Question& q = *app.session->current();
    Answer a = current_answer(app, q.code);
    app.page.problem = {};
    if (code == kNoAnswerCode) {
        Answer na;
        na.no_answer = !a.no_answer;
        app.page.drafts.erase(q.code + "|other_open");
        answer(app, q.code, na);
        return;
    }
    a.no_answer = false;
    switch (q.type) {
    case QuestionType::SingleChoice:
        a.value = code;
        a.other = code == kOtherCode ? field_text(app, q.code + "|other") : "";
        break;
    case QuestionType::YesNo:
    case QuestionType::Rating:
        a.value = code;
        break;
    case QuestionType::MultipleChoice: {
        int count = static_cast<int>(a.values.size()) + (a.other.empty() ? 0 : 1);
        if (code == kOtherCode) {
            bool open = !is_chosen(app, q, kOtherCode);
            if (open && q.max_answers > 0 && count >= q.max_answers) {
                app.page.problem = too_many(q.max_answers);
                return;
            }
            app.page.drafts[q.code + "|other_open"] = open ? "1" : "0";
            a.other = open ? field_text(app, q.code + "|other") : "";
        } else if (contains_str(a.values, code)) {
            a.values.erase(std::find(a.values.begin(), a.values.end(), code));
        } else {
            const Option* o = q.find_option(code);
            if (!o) return;
            // An exclusive choice replaces the others, so it never exceeds the limit.
            if (!o->exclusive && q.max_answers > 0 && count >= q.max_answers) {
                app.page.problem = too_many(q.max_answers);
                return;
            }
            a.values.push_back(code);
            if (o->exclusive) app.page.drafts[q.code + "|other_open"] = "0";
        }
        break;
    }
    case QuestionType::Ranking:
        if (contains_str(a.values, code)) {
            a.values.erase(std::find(a.values.begin(), a.values.end(), code));
        } else {
            int limit = q.max_answers > 0 ? q.max_answers : static_cast<int>(q.options.size());
            if (static_cast<int>(a.values.size()) >= limit) {
                app.page.problem = too_many(limit);
                return;
            }
            a.values.push_back(code);
        }
        break;
    default: return;
    }
    answer(app, q.code, a);
    // An exclusive option may have cleared "other": keep the open flag in step with the answer.
    if (q.type == QuestionType::MultipleChoice && code != kOtherCode) {
        const Answer* now = app.session->answer(q.code);
        if (!now || now->other.empty()) {
            auto it = app.page.drafts.find(q.code + "|other_open");
            if (it != app.page.drafts.end() && it->second == "1" && now && !now->values.empty() &&
                q.find_option(now->values.front()) && q.find_option(now->values.front())->exclusive)
                it->second = "0";
        }
    }
}

std::vector<std::string> matrix_slots(const KioskApp& app, const Question& q) {
    std::vector<std::string> out;
    if (q.type != QuestionType::Matrix || q.cell != MatrixCell::Choice || !app.session) return out;
    for (const Row& r : q.rows) {
        if (!app.session->is_row_visible(q, r)) continue;
        out.push_back(r.code);
        if (!q.options2.empty()) out.push_back(r.code + "#1");
    }
    return out;
}

void choose_cell(KioskApp& app, const Question& q, const std::string& key, const std::string& option, bool toggle) {
    Answer a = current_answer(app, q.code);
    a.no_answer = false;
    auto it = a.cells.find(key);
    if (toggle && it != a.cells.end() && it->second == option) a.cells.erase(it);
    else a.cells[key] = option;
    // A row's "keine Antwort" answers both scales of the row.
    bool second = key.size() > 2 && key.compare(key.size() - 2, 2, "#1") == 0;
    std::string row = second ? key.substr(0, key.size() - 2) : key;
    bool row_na = !second && option == kNoAnswerCode && a.cells.count(key);
    if (row_na) a.cells.erase(row + "#1");
    if (second) {
        auto na = a.cells.find(row);
        if (na != a.cells.end() && na->second == kNoAnswerCode) a.cells.erase(na);
    }
    answer(app, q.code, a);
    // Number keys continue with the next row (past the second scale the row's "keine Antwort"
    // answered).
    auto slots = matrix_slots(app, q);
    for (size_t i = 0; i < slots.size(); ++i) {
        if (slots[i] != key) continue;
        size_t next = i + 1;
        if (row_na && next < slots.size() && slots[next] == row + "#1") next++;
        app.page.matrix_row = static_cast<int>(std::min(next, slots.size() - 1));
    }
}

void rank_move(KioskApp& app, const Question& q, int index, int delta) {
    Answer a = current_answer(app, q.code);
    int j = index + delta;
    if (index < 0 || j < 0 || index >= static_cast<int>(a.values.size()) || j >= static_cast<int>(a.values.size()))
        return;
    std::swap(a.values[index], a.values[j]);
    if (q.type == QuestionType::RankedList) {
        // The typed drafts follow their entries.
        auto& d = app.page.drafts;
        std::string ki = q.code + "|rank|" + std::to_string(index), kj = q.code + "|rank|" + std::to_string(j);
        std::string vi = d.count(ki) ? d[ki] : a.values[j], vj = d.count(kj) ? d[kj] : a.values[index];
        d[ki] = vj;
        d[kj] = vi;
    }
    answer(app, q.code, a);
}

static std::vector<std::string> split_field(const std::string& field) {
    std::vector<std::string> parts;
    size_t start = 0;
    for (;;) {
        size_t bar = field.find('|', start);
        parts.push_back(field.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
        if (bar == std::string::npos) break;
        start = bar + 1;
    }
    return parts;
}

std::string field_text(const KioskApp& app, const std::string& field) {
    if (field.rfind("~delphi|", 0) == 0) return delphi_field_text(app, field);
    auto d = app.page.drafts.find(field);
    if (d != app.page.drafts.end()) return d->second;
    auto parts = split_field(field);
    if (parts.size() < 2 || !app.session) return {};
    const Answer* a = app.session->answer(parts[0]);
    if (!a) return {};
    const std::string& what = parts[1];
    if (what == "value") return a->value;
    if (what == "other") return a->other;
    if (what == "comment") return a->comment;
    if (what == "cell" && parts.size() >= 3) {
        auto it = a->cells.find(parts[2]);
        return it == a->cells.end() ? "" : it->second;
    }
    if (what == "rank" && parts.size() >= 3) {
        size_t i = static_cast<size_t>(std::atoi(parts[2].c_str()));
        return i < a->values.size() ? a->values[i] : "";
    }
    if (what == "date" && parts.size() >= 3 && a->value.size() == 10) {
        if (parts[2] == "y") return a->value.substr(0, 4);
        if (parts[2] == "m") return a->value.substr(5, 2);
        if (parts[2] == "d") return a->value.substr(8, 2);
    }
    return {};
}

void edit_field(KioskApp& app, const std::string& field, const std::string& text) {
    if (field.rfind("~delphi|", 0) == 0) return delphi_edit_field(app, field, text);
    auto parts = split_field(field);
    if (parts.size() < 2 || !app.session) return;
    const Question* q = app.survey->find_question(parts[0]);
    if (!q) return;
    // Read the other fields' texts before the new draft changes what they fall back to.
    Answer a = current_answer(app, q->code);
    a.no_answer = false;
    const std::string& what = parts[1];
    if (what == "date") {
        std::string y = field_text(app, q->code + "|date|y"), m = field_text(app, q->code + "|date|m"),
                    d = field_text(app, q->code + "|date|d");
        if (parts.size() >= 3) {
            if (parts[2] == "y") y = text;
            if (parts[2] == "m") m = text;
            if (parts[2] == "d") d = text;
        }
        app.page.drafts[q->code + "|date|y"] = y;
        app.page.drafts[q->code + "|date|m"] = m;
        app.page.drafts[q->code + "|date|d"] = d;
        auto pad2 = [](std::string s) { return s.size() == 1 ? "0" + s : s; };
        if (y.empty() && m.empty() && d.empty()) a.value.clear();
        else a.value = y + "-" + pad2(m) + "-" + pad2(d); // incomplete dates fail the check on "Weiter"
        answer(app, q->code, a);
        return;
    }
    if (what == "rank" && parts.size() >= 3) {
        int n = std::max(q->max_answers, 1);
        std::vector<std::string> texts;
        for (int i = 0; i < n; ++i) {
            std::string key = q->code + "|rank|" + std::to_string(i);
            texts.push_back(key == field ? text : field_text(app, key));
        }
        for (int i = 0; i < n; ++i) app.page.drafts[q->code + "|rank|" + std::to_string(i)] = texts[i];
        a.values = texts; // the session closes gaps
        answer(app, q->code, a);
        return;
    }
    app.page.drafts[field] = text;
    if (what == "value") a.value = text;
    else if (what == "comment") a.comment = text;
    else if (what == "other") {
        if (q->type == QuestionType::SingleChoice) {
            a.value = kOtherCode; // typing the other text chooses "other"
            a.other = text;
        } else {
            app.page.drafts[q->code + "|other_open"] = "1";
            a.other = text;
        }
    } else if (what == "cell" && parts.size() >= 3) {
        if (text.empty()) a.cells.erase(parts[2]);
        else a.cells[parts[2]] = text;
    }
    answer(app, q->code, a);
}

std::string type_instruction(const KioskApp& app, const Question& q) {
    std::string text;
    if (q.type == QuestionType::MultipleChoice)
        text = q.max_answers > 0 ? fill(kiosk_text(app, "choose_up_to"), {{"x", std::to_string(q.max_answers)}})
                                 : kiosk_text(app, "choose_several");
    else if (q.type == QuestionType::Ranking)
        text = fill(kiosk_text(app, "ranking_hint"),
                    {{"x", std::to_string(q.max_answers > 0 ? q.max_answers : int(q.options.size()))}});
    else if (q.type == QuestionType::RankedList)
        text = kiosk_text(app, "ranked_list_hint");
    if (text.empty() || q.help.empty()) return text;
    // A help text that already says it (a survey written for another tool, or imported from
    // LimeSurvey) keeps its words; the kiosk's own line would stand twice. Compared: the
    // instruction's words up to its first number, without the closing full stop.
    const std::string& help = survey_text(app, q.help);
    std::string stem = text.substr(0, text.find_first_of("0123456789"));
    while (!stem.empty() && (stem.back() == ' ' || stem.back() == '.')) stem.pop_back();
    if (stem.size() >= 8 && help.find(stem) != std::string::npos) return {};
    return text;
}

std::string answer_summary(const KioskApp& app, const Question& q) {
    const Answer* a = app.session ? app.session->answer(q.code) : nullptr;
    if (!a) return {};
    if (a->no_answer) return kiosk_text(app, "no_answer");
    auto label = [&](const std::string& code) -> std::string {
        if (code == kOtherCode) return (q.other_label.empty() ? kiosk_text(app, "other") : survey_text(app, q.other_label)) + " " + a->other;
        for (const auto& c : page_choices(app, q))
            if (c.code == code) return c.label;
        return code;
    };
    std::string s;
    auto add = [&s](const std::string& t, const char* sep) {
        if (t.empty()) return;
        if (!s.empty()) s += sep;
        s += t;
    };
    switch (q.type) {
    case QuestionType::SingleChoice:
    case QuestionType::YesNo:
    case QuestionType::Rating: add(label(a->value), ""); break;
    case QuestionType::MultipleChoice:
        for (const auto& v : a->values) add(label(v), "; ");
        if (!a->other.empty()) add(label(kOtherCode), "; ");
        break;
    case QuestionType::Ranking: {
        int n = 1;
        for (const auto& v : a->values) add(std::to_string(n++) + ". " + label(v), "; ");
        break;
    }
    case QuestionType::RankedList: {
        int n = 1;
        for (const auto& v : a->values) add(std::to_string(n++) + ". " + v, "; ");
        break;
    }
    case QuestionType::Matrix:
    case QuestionType::MultiText:
    case QuestionType::MultiNumeric:
        for (const Row& r : q.rows) {
            for (const auto& [key, v] : a->cells) {
                if (key != r.code && key != r.code + "#1" && key.rfind(r.code + "_", 0) != 0) continue;
                std::string val = v;
                if (q.type == QuestionType::Matrix && q.cell == MatrixCell::Choice) {
                    const Option* o = key == r.code ? q.find_option(v) : q.find_option2(v);
                    if (o) val = survey_text(app, o->text);
                    else if (v == kNoAnswerCode) val = kiosk_text(app, "no_answer");
                }
                add(survey_text(app, r.text) + ": " + val, "; ");
            }
        }
        break;
    default: add(a->value, ""); break;
    }
    if (!a->comment.empty()) add("(" + a->comment + ")", " ");
    return s;
}

} // namespace tk
