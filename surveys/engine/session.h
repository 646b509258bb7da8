// session.h - walks one respondent through a survey.
//
// One page shows one question (the kiosk's pace; paper forms print whole groups). The
// session keeps answers by question code, evaluates display conditions after every change,
// and drops the answers of questions that became hidden, so a response never holds an
// answer to a question the respondent could not see. No question is mandatory unless the
// survey says so: "next" on an empty page is a skip.
//
// Texts are shown through text(): answers piped into them ("{A2.shown}") are evaluated
// then. Equation questions are no page of their own (unless they show their text): their
// value is computed and stored when the respondent passes them, and again by finish().
// A question's default answer is filled in the first time its page is reached.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "expression.h"
#include "response.h"
#include "survey.h"

namespace tk {

// Why an answer is not acceptable. The UI turns the kind into a localised message.
struct AnswerProblem {
    enum Kind { None, Required, NotANumber, TooSmall, TooLarge, NotInteger, TooFew, TooMany,
                BadDate, UnknownOption, TooLong, OtherTextMissing,
                Invalid /* the survey's validation expression is false: `tip` says why */ };
    Kind kind = None;
    std::string detail;   // for diagnostics: e.g. "W_1: 100", the option code, the typed value
    // What a person is told, kept apart from `detail` so no UI has to parse a diagnostic.
    // bound: the limit that was crossed, for TooSmall/TooLarge (number as "100" or "2.5",
    // date as YYYY-MM-DD), TooFew/TooMany (a count) and TooLong (characters); empty for
    // the kinds without a limit. cell: the matrix / multi_* cell or row key the problem is
    // in ("W_1", "P2"), empty when it is about the whole question.
    std::string bound;
    std::string cell;
    // Invalid: the survey's validation_tip (or row_validation_tip) in the session's language,
    // piped; empty when the survey gives none (the UI then says something general).
    std::string tip;
    bool ok() const { return kind == None; }
};

class Session {
public:
    // prefill=false: default answers are never filled in (paper entry: what is on the sheet only).
    Session(std::shared_ptr<const Survey> survey, std::string language, int64_t started_unix,
            bool prefill = true);

    const Survey& survey() const { return *survey_; }
    const std::string& language() const { return language_; }
    void set_language(const std::string& lang) { language_ = lang; }

    // --- navigation over visible questions ---
    // The question on the current page, or nullptr when past the last one (review page).
    const Question* current() const;
    bool at_review() const { return current() == nullptr; }
    bool can_go_back() const;
    // Moves to the next visible question (or to the review page). Returns the problem when
    // the current answer is not acceptable (mandatory, range); then it does not move.
    AnswerProblem next();
    // Moves to the previous visible question. Returns false at the first page.
    bool back();
    // Jumps to a visible question (the review page's "ändern"). Returns false if hidden/unknown.
    bool go_to(const std::string& code);
    // 0..100: share of the answerable pages visible now that were left with next() (100 on review).
    int progress_percent() const;

    // --- answers ---
    const Answer* answer(const std::string& code) const; // nullptr when unanswered
    // Stores (or clears, when `a.empty()`) the answer and re-evaluates conditions.
    // Values are checked against the question (options exist, numbers in range, ...).
    AnswerProblem set_answer(const std::string& code, const Answer& a);
    void clear_answer(const std::string& code);
    // Whether the respondent did anything: answered, cleared, or left a page with next().
    // Answers alone do not say it: defaults are answers the respondent may never have seen
    // (a kiosk left on the language page must not store a response made of defaults).
    bool respondent_acted() const { return acted_; }
    AnswerProblem check(const Question& q) const; // checks the stored answer (incl. mandatory)
    // The survey's validation and row_validation of the stored answer (next() calls it after
    // check()). An unanswered question or field is not validated, as in LimeSurvey.
    AnswerProblem validate(const Question& q) const;

    // --- texts ---
    // A survey text in the session's language with its piped expressions evaluated now.
    // `self` is the question the text belongs to (what `this` / `self` name in it).
    std::string text(const LocalText& t, const Question* self = nullptr) const;
    std::string piped(const std::string& s, const Question* self = nullptr) const;
    // The value an equation question has with the answers of now ("" when hidden).
    std::string equation_value(const Question& q) const;

    // --- visibility ---
    bool is_visible(const Question& q) const;
    bool is_row_visible(const Question& q, const Row& r) const;
    std::vector<const Question*> visible_questions() const; // answerable and info, survey order

    // The value of a variable as conditions read it (see FORMAT.md, "Variables").
    ExprValue lookup(const std::string& name, const std::string& suffix) const;

    // Builds the response. complete=false for partial (timed out) responses.
    Response finish(bool complete, int64_t finished_unix, const std::string& channel,
                    const std::string& site, const std::string& event = "") const;

private:
    void drop_hidden_answers(); // prune(), then settle()
    void prune();               // drops the answers of questions and rows hidden now
    // pos_ moves forward from where it is to the next page: equations passed on the way are
    // computed, and the page reached gets its default answer.
    void settle();
    void apply_default(const Question& q);
    VarLookup lookup_for(const Question* self, const std::string* cell) const;
    std::shared_ptr<const Survey> survey_;
    std::string language_;
    int64_t started_;
    std::vector<const Question*> order_;      // all questions, survey order
    std::map<std::string, Answer> answers_;
    std::map<std::string, bool> passed_;      // question code -> page was left via next
    std::map<std::string, bool> defaulted_;   // question code -> default answer was offered
    bool prefill_ = true;
    bool acted_ = false;
    bool defaulting_ = false;                 // set_answer is filling in a default
    int pos_ = 0;                             // index into order_; order_.size() = review
};

} // namespace tk
