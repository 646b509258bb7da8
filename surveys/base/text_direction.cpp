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

// The subtags of a language tag, lower-cased ("az-Arab_IR" -> az, arab, ir).
std::vector<std::string> tag_parts(const std::string& language_tag) {
    std::vector<std::string> parts(1);
    for (char c : lower(language_tag)) {
        if (c == '-' || c == '_') parts.emplace_back();
        else parts.back() += c;
    }
    return parts;
}

} // namespace

TextDirection text_direction(const std::string& language_tag) {
    std::vector<std::string> parts = tag_parts(language_tag);
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

std::string language_script(const std::string& language_tag) {
    std::vector<std::string> parts = tag_parts(language_tag);
    for (size_t i = 1; i < parts.size(); ++i) {
        if (parts[i] == "x") break;
        if (parts[i].size() != 4) continue;
        std::string script = parts[i];
        script[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(script[0])));
        return script;
    }
    const std::string& p = parts[0];
    if (text_direction(p) == TextDirection::RightToLeft) {
        if (one_of(p, {"he", "iw", "yi"})) return "Hebr";
        if (p == "dv") return "Thaa";
        if (p == "syr") return "Syrc";
        return "Arab";
    }
    if (one_of(p, {"ru", "uk", "be", "bg", "mk", "sr", "kk", "ky", "tg", "mn", "tt", "ba", "cv", "ce",
                   "os", "sah", "rue", "ab", "av", "kv", "udm", "mhr"}))
        return "Cyrl";
    if (one_of(p, {"el", "grc"})) return "Grek";
    if (one_of(p, {"zh", "yue", "wuu"})) return "Hani";
    if (p == "ja") return "Jpan";
    if (p == "ko") return "Kore";
    if (one_of(p, {"hi", "mr", "ne", "sa", "kok", "mai", "bho"})) return "Deva";
    if (one_of(p, {"bn", "as"})) return "Beng";
    if (p == "pa") return "Guru";
    if (p == "gu") return "Gujr";
    if (p == "ta") return "Taml";
    if (p == "te") return "Telu";
    if (p == "kn") return "Knda";
    if (p == "ml") return "Mlym";
    if (p == "si") return "Sinh";
    if (p == "th") return "Thai";
    if (p == "lo") return "Laoo";
    if (p == "km") return "Khmr";
    if (p == "my") return "Mymr";
    if (p == "ka") return "Geor";
    if (p == "hy") return "Armn";
    if (one_of(p, {"am", "ti"})) return "Ethi";
    if (p == "bo") return "Tibt";
    return "Latn";
}

bool kiosk_renders_script(const std::string& script) {
    return script == "Latn" || script == "Cyrl" || script == "Arab";
}

} // namespace tk
