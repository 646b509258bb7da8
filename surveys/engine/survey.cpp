// survey.cpp - small lookups on the survey model (the loader lives in survey_loader.cpp).
#include "survey.h"

#include <algorithm>

namespace tk {

// Names as written in survey files; the order follows QuestionType.
static const char* const kTypeNames[] = {
    "single", "multiple", "text", "longtext", "numeric", "yesno", "rating",
    "matrix", "ranking", "ranked_list", "multi_text", "multi_numeric", "date", "equation", "info",
};

const char* type_name(QuestionType t) {
    size_t i = (size_t)t;
    return i < sizeof(kTypeNames) / sizeof(kTypeNames[0]) ? kTypeNames[i] : "?";
}

std::optional<QuestionType> type_from_name(const std::string& name) {
    for (size_t i = 0; i < sizeof(kTypeNames) / sizeof(kTypeNames[0]); i++)
        if (name == kTypeNames[i]) return (QuestionType)i;
    return std::nullopt;
}

static const Option* find_in(const std::vector<Option>& v, const std::string& code) {
    for (const Option& o : v)
        if (o.code == code) return &o;
    return nullptr;
}

const Option* Question::find_option(const std::string& c) const { return find_in(options, c); }
const Option* Question::find_option2(const std::string& c) const { return find_in(options2, c); }

const Row* Question::find_row(const std::string& c) const {
    for (const Row& r : rows)
        if (r.code == c) return &r;
    return nullptr;
}

bool Question::is_closed() const {
    switch (type) {
    case QuestionType::SingleChoice:
    case QuestionType::MultipleChoice:
    case QuestionType::YesNo:
    case QuestionType::Rating:
    case QuestionType::Ranking:
        return true;
    case QuestionType::Matrix:
        return cell == MatrixCell::Choice;
    default:
        return false;
    }
}

std::vector<Survey::QRef> Survey::all_questions() const {
    std::vector<QRef> out;
    for (size_t g = 0; g < groups.size(); g++)
        for (size_t i = 0; i < groups[g].questions.size(); i++)
            out.push_back({g, i, &groups[g].questions[i]});
    return out;
}

const DelphiItem* DelphiRound::find_item(const std::string& key) const {
    for (const auto& it : items)
        if (it.key == key) return &it;
    return nullptr;
}

const Question* Survey::find_question(const std::string& code) const {
    for (const Group& g : groups)
        for (const Question& q : g.questions)
            if (q.code == code) return &q;
    return nullptr;
}

int Survey::question_position(const std::string& code) const {
    int pos = 0;
    for (const Group& g : groups)
        for (const Question& q : g.questions) {
            if (q.code == code) return pos;
            pos++;
        }
    return -1;
}

// Seconds a kiosk respondent needs for one question: reading it, then answering. Rough
// figures for people reading at their own pace (text size up, maybe speech on), not for
// practised clickers; each choice is read once, each matrix row is a small question.
// Counts are capped (a survey file may declare a rating of a million points or a ranked
// list of a billion entries): no question counts for more than an hour.
static long long question_seconds(const Question& q) {
    auto capped = [](long long n) { return std::min<long long>(std::max<long long>(n, 0), 1000); };
    const long long opts = capped((long long)q.options.size() + (long long)q.options2.size());
    const long long rows = capped((long long)q.rows.size());
    long long s = 15;
    switch (q.type) {
    case QuestionType::Info: s = 15; break;
    case QuestionType::Equation: s = q.show_text ? 15 : 0; break; // computed, shown at most as a note
    case QuestionType::SingleChoice: s = 8 + 2 * opts + (q.other ? 10 : 0); break;
    case QuestionType::YesNo: s = 8; break;
    case QuestionType::Rating: s = 8 + capped((long long)q.scale_max - q.scale_min + 1); break;
    case QuestionType::MultipleChoice: s = 10 + 3 * opts + (q.other ? 10 : 0); break;
    case QuestionType::Ranking: s = 15 + 3 * opts; break;
    case QuestionType::ShortText: s = 30; break;
    case QuestionType::LongText: s = 60; break;
    case QuestionType::Numeric: s = 10; break;
    case QuestionType::Date: s = 15; break;
    case QuestionType::Matrix:
        s = 5 + rows * (q.cell == MatrixCell::Choice ? (q.options2.empty() ? 6 : 10) : 12);
        break;
    case QuestionType::MultiText: s = 5 + 15 * rows; break;
    case QuestionType::MultiNumeric: s = 5 + 8 * rows; break;
    case QuestionType::RankedList: s = 20 * (q.max_answers > 0 ? capped(q.max_answers) : 3); break;
    }
    if (q.comment) s += 20;
    return std::min<long long>(s, 3600);
}

int estimated_seconds(const Survey& s) {
    long long total = 0;
    for (const Group& g : s.groups)
        for (const Question& q : g.questions) total += question_seconds(q);
    return (int)std::min<long long>(total, 100LL * 24 * 3600); // more than 100 days says enough
}

int estimated_minutes(const Survey& s) {
    int sec = estimated_seconds(s);
    return sec <= 60 ? 1 : (sec + 59) / 60;
}

std::string LoadError::to_string() const {
    std::string s = file;
    if (line > 0) {
        s += ":" + std::to_string(line);
        if (column > 0) s += ":" + std::to_string(column);
    }
    s += ": ";
    if (!where.empty()) s += where + ": ";
    return s + message;
}

PipedText Survey::piped_text(const std::string& text) const {
    if (piped) {
        auto it = piped->find(text);
        if (it != piped->end()) return it->second;
    }
    return parse_piped(text);
}

} // namespace tk
