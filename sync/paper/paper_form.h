// paper_form.h - the printed questionnaire: an A4 PDF drawn with cairo.
//
// Every question in survey order with its number, its code (small, for the people who
// type the sheet in later) and boxes numbered like paper_choices(): the number next to a
// box is what the enterer types. Conditions become instructions in words ("Nur
// beantworten, wenn Sie bei Frage 4 „ja“ angekreuzt haben.", "» weiter mit Frage 7").
// Each sheet gets its own sheet id, printed as text and as a QR code on every page.
// Large print sets every text at 16 pt or more. Fonts: Noto Sans through fontconfig.
// A sheet with an odd page count gets a last page "Diese Seite bleibt leer." (unless
// simplex), so that double-sided printing never puts two sheets on one paper.
// Notes (PrintOptions::notes) are printed under a question's text, before its boxes: the
// Delphi rounds' feedback (delphi_paper.h) without a second copy of the question drawing.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "survey.h"

namespace tk {

// One line of a note under a question. With share >= 0 a bar of that share of the bar column
// follows the text, then `value` ("3"): a distribution drawn to scale.
struct NoteLine {
    std::string text;
    bool bold = false;     // marked: the participant's own earlier answer
    double share = -1;     // 0..1: the bar's length; < 0: a line of text only
    std::string value;     // after the bar
    bool indent = false;   // a line under the line before (a bar of the item above it)
};
using QuestionNotes = std::map<std::string, std::vector<NoteLine>>; // question code -> its note

struct PrintOptions {
    std::string lang;                  // "" = the survey's original language
    bool large = false;                // large print: no text below 16 pt
    int sheets = 1;                    // how many sheets (each with its own id)
    std::vector<std::string> sheet_ids; // given ids (tests, reprints); new ones are made for the rest
    bool simplex = false;              // false: each sheet padded to an even page count for duplex
    std::string intro;                 // a line in bold under the title ("" = none)
    QuestionNotes notes;               // printed under the named questions' text, framed
};

struct PrintResult {
    std::vector<std::string> sheet_ids; // in print order
    int pages_per_sheet = 0;           // blank padding page included
    int blank_pages = 0;               // per sheet: 1 when padded for double-sided printing
    std::string error;
};

bool print_paper_form(const Survey& s, const PrintOptions& opt, const std::string& pdf_path, PrintResult& out);

// The words of the form in `lang` (with the survey-text fallback chain, then German).
const std::string& form_text(const std::string& lang, const std::string& key);

// Printed question numbers: answerable questions 1..n in survey order (info texts have none).
std::map<std::string, int> paper_question_numbers(const Survey& s);
// "Nur beantworten, wenn …" for a condition (of a question or a group); "" without one.
std::string condition_instruction(const Survey& s, const std::string& condition_src,
                                  const std::shared_ptr<const Expr>& cond, const std::string& lang, bool group);
// "» weiter mit Frage 7" when choosing `code` of `q` makes the form skip the next questions;
// "" when the next question applies.
std::string skip_instruction(const Survey& s, const Question& q, const std::string& code, const std::string& lang);

} // namespace tk
