// text_direction.cpp - see text_direction.h.
#include "text_direction.h"

#include <cctype>
#include <vector>

namespace tk {

namespace {

std::string lower(const std::string& s) {
    std::string out = s;
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool one_of(const std::string& s, std::initializer_list<const char*> list) {
    for (const char* x : list)
        if (s == x) return true;
    return false;
}

} // namespace

TextDirection text_direction(const std::string& language_tag) {
    std::vector<std::string> parts;
    std::string cur;
    for (char c : lower(language_tag)) {
        if (c == '-' || c == '_') {
            parts.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    parts.push_back(cur);
    // A script subtag (four letters, right after the language) overrides the language's default,
    // e.g. "az-arab" is written right-to-left, "ku-latn" left-to-right. Private-use parts ("x-ls")
    // end the search.
    for (size_t i = 1; i < parts.size(); ++i) {
        if (parts[i] == "x") break;
        if (parts[i].size() != 4) continue;
        if (one_of(parts[i], {"arab", "hebr", "syrc", "thaa", "nkoo", "adlm", "rohg", "mand", "samr"}))
            return TextDirection::RightToLeft;
        return TextDirection::LeftToRight;
    }
    if (one_of(parts[0], {"ar", "fa", "he", "iw", "ur", "ps", "sd", "ug", "yi", "dv", "ckb", "prs",
                          "pnb", "arz", "ary", "apc", "acm", "azb", "lrc", "mzn", "glk", "syr"}))
        return TextDirection::RightToLeft;
    return TextDirection::LeftToRight;
}

} // namespace tk
