// delphi_letters.h - invitation letters of a Delphi study: one A4 page per participant code.
//
//   LetterOptions, print_delphi_letters   the PDF (`teilhabe delphi invite`)
//   letter_text                           the default letter's words, by key
//
// Each page has the study's title, the invitation (the default German text or the team's
// own), the code as large text and as a QR code (holding the normalized code, which is what a
// scanner types into the kiosk), how to take part on the kiosk and on paper, and that the
// research team does not store who got which code. The letters carry no name and no number:
// they are handed out like lottery tickets, and the list of who got which stays off the
// product's files (sync/delphi/DELPHI.md "Invitations").
#pragma once
#include <string>
#include <vector>

namespace tk {

struct LetterOptions {
    std::string title; // the study's title (round 1's survey); "" = letter_text("title")
    // The invitation in the team's own words: paragraphs separated by blank lines, a line that
    // starts with '#' is printed in bold (without the '#'). "" = letter_text("invitation").
    std::string text;
};

// codes: normalized participant codes (delphi.h), each of which must pass code_ok. False
// with *error when a code is not valid, a text is not UTF-8 or the PDF cannot be written.
bool print_delphi_letters(const std::vector<std::string>& codes, const LetterOptions& opt, const std::string& pdf_path,
                          std::string* error);

// "title", "invitation", "code", "qr", "how", "kiosk", "paper", "privacy", "keep".
const std::string& letter_text(const std::string& key);

} // namespace tk
