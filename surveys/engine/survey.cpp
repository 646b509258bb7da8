// survey.cpp - small lookups on the survey model (the loader lives in survey_loader.cpp).
#include "survey.h"

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
