// sheet_id.h - the id printed on every paper questionnaire sheet.
//
// A sheet id looks like "BD-7K3F-Q9MC": two letters for the survey (initials of its id,
// "buerger-digital" -> "BD"), seven random characters and one check character, written
// from an alphabet without look-alikes (no 0/O, 1/I). The check character is Luhn mod 32
// over everything before it, so every single mistyped character and nearly every swap of
// two neighbours (all but '2' <-> 'Z', as in any Luhn scheme) is caught when the sheet is
// entered. Seven random characters (35 bits) make
// two equal ids among the sheets of one survey practically impossible even when several
// offices print independently.
#pragma once
#include <string>

namespace tk {

inline constexpr const char* kSheetAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

// "BD" for "buerger-digital", "BA" for "bedarfe-akteure"; letters outside the alphabet
// become 'X'.
std::string sheet_prefix(const std::string& survey_id);
// A new random id for the survey ("BD-7K3F-Q9MC").
std::string new_sheet_id(const std::string& survey_id);
// Luhn mod 32 check character over the characters (dashes ignored); '\0' for a character
// outside the alphabet.
char sheet_check_char(const std::string& body);

// Reads an id as a person types it: case and dashes/spaces do not matter. On success
// `normalised` is the printed form. On failure *error says what is wrong in words staff
// understand ("the check character does not match: a character is mistyped").
bool parse_sheet_id(const std::string& typed, std::string& normalised, std::string* error);

} // namespace tk
