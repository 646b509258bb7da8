// sheet_id.cpp - sheet ids with a Luhn mod 32 check character (see sheet_id.h).
#include "sheet_id.h"

#include <cstring>

#include <sodium.h>

namespace tk {

static int alpha_index(char c) {
    const char* p = std::strchr(kSheetAlphabet, c);
    return (p && c) ? int(p - kSheetAlphabet) : -1;
}

static char upper(char c) { return (c >= 'a' && c <= 'z') ? char(c - 'a' + 'A') : c; }

std::string sheet_prefix(const std::string& survey_id) {
    std::string p;
    bool start = true;
    for (char c : survey_id) {
        if (c == '-') {
            start = true;
            continue;
        }
        if (start && p.size() < 2) p += upper(c);
        start = false;
    }
    // A one-word id gives its first two letters.
    if (p.size() < 2)
        for (size_t i = 1; i < survey_id.size() && p.size() < 2; ++i) p += upper(survey_id[i]);
    while (p.size() < 2) p += 'X';
    for (char& c : p)
        if (alpha_index(c) < 0) c = 'X';
    return p;
}

char sheet_check_char(const std::string& body) {
    // Luhn mod N: double every second value from the right, fold the overflow back in.
    const int n = 32;
    int factor = 2, sum = 0;
    for (size_t i = body.size(); i-- > 0;) {
        if (body[i] == '-') continue;
        int v = alpha_index(body[i]);
        if (v < 0) return '\0';
        int addend = factor * v;
        factor = factor == 2 ? 1 : 2;
        sum += addend / n + addend % n;
    }
    return kSheetAlphabet[(n - sum % n) % n];
}

std::string new_sheet_id(const std::string& survey_id) {
    if (sodium_init() < 0) return "";
    std::string id = sheet_prefix(survey_id) + "-";
    for (int i = 0; i < 7; ++i) {
        if (i == 4) id += '-';
        id += kSheetAlphabet[randombytes_uniform(32)];
    }
    id += sheet_check_char(id);
    return id;
}

bool parse_sheet_id(const std::string& typed, std::string& normalised, std::string* error) {
    std::string s;
    for (char c : typed) {
        if (c == '-' || c == ' ' || c == '\t') continue;
        c = upper(c);
        if (alpha_index(c) < 0) {
            if (error) {
                if (c == '0' || c == 'O' || c == '1' || c == 'I')
                    *error = std::string("sheet id '") + typed + "' contains '" + c +
                             "': sheet ids never use 0, O, 1 or I (look again at the paper)";
                else
                    *error = "sheet id '" + typed + "' contains a character that sheet ids never use";
            }
            return false;
        }
        s += c;
    }
    if (s.size() != 10) {
        if (error)
            *error = "sheet id '" + typed + "' has " + std::to_string(s.size()) +
                     " characters; a sheet id has 10 (like BD-7K3F-Q9MC)";
        return false;
    }
    if (sheet_check_char(s.substr(0, 9)) != s[9]) {
        if (error)
            *error = "sheet id '" + typed + "': the check character does not match - a character is mistyped";
        return false;
    }
    normalised = s.substr(0, 2) + "-" + s.substr(2, 4) + "-" + s.substr(6, 4);
    return true;
}

} // namespace tk
