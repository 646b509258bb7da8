// delphi_paper.h - personalised paper questionnaires of a Delphi round (`teilhabe delphi print`).
//
//   delphi_notes                 the notes of one form: per repeated item the group's result of
//                                the round before and, given own answers, the participant's marked
//   DelphiPrintOptions, DelphiPrintResult, print_delphi_forms
//                                one PDF per participant code, and ohne-code.pdf without personal data
//
// The study's own mode: 7 of its 20 experts answered the second stage on personalised paper.
// The form is the survey's printed form (paper_form.h) with a note under each repeated question
// (PrintOptions::notes), so paper and kiosk ask exactly the same. A code opens its own entry of
// the feedback pack through Argon2id (delphi.h), about a tenth of a second per code; a code with
// no entry (the participant did not answer the round before) gets the form without own answers.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "delphi.h"
#include "paper_form.h"
#include "survey.h"

namespace tk {

// own: the participant's answers (find_own_answers), or null for the form without personal data.
QuestionNotes delphi_notes(const Survey& s, const delphi::FeedbackPack& pack, const delphi::OwnAnswers* own,
                           const std::string& lang);

struct DelphiPrintOptions {
    std::string lang;     // "" = the survey's original language
    bool large = false;
    bool simplex = false;
    std::function<void(size_t done, size_t total)> progress; // after each code (may be empty)
};

struct DelphiPrintResult {
    std::vector<std::string> files; // one per code, in the codes' order: file names in the folder
    std::string without_code;       // "ohne-code.pdf"
    size_t personal = 0;            // forms that carry own answers (the others found no entry)
    std::string error;
};

// Writes dir/ohne-code.pdf and one dir/<first 4 symbols of the code>.pdf per code ("-2", "-3"
// when two codes begin alike: the name tells no more than the letter does). A personal form
// prints the whole code under the title, for entering the returned sheet. codes: normalized
// and valid (code_ok). False with out.error when the pack is not for `s`, a code is not valid
// or a PDF cannot be written.
bool print_delphi_forms(const Survey& s, const delphi::FeedbackPack& pack, const std::vector<std::string>& codes,
                        const std::string& dir, const DelphiPrintOptions& opt, DelphiPrintResult& out);

} // namespace tk
