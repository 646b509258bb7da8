// text.h - a text that exists in several languages.
//
// Every text a respondent sees (question, option, help, UI) can be given in several
// languages. Lookup falls back per text: a Leichte-Sprache variant "de-x-ls" falls back to
// "de", any "xx-yy" to "xx", and finally to the survey's first (original) language. That way
// an author can add Leichte Sprache for the hard questions only.
//
// Also the one tokenizer for short typed or stored lists ("1, 3", "de en", "Q1;Q2").
#pragma once
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace tk {

struct LocalText {
    std::map<std::string, std::string> by_lang; // language tag -> text, exactly as written

    bool empty() const { return by_lang.empty(); }
    bool has(const std::string& lang) const { return by_lang.count(lang) != 0; }
    // Text in `lang`, falling back as described above; `fallback` is the survey's original
    // language. Returns "" only when no text exists at all.
    const std::string& get(const std::string& lang, const std::string& fallback) const;
};

// The chain of tags tried for `lang`: "de-x-ls" -> {"de-x-ls", "de"}; "en" -> {"en"}.
std::vector<std::string> language_fallbacks(const std::string& lang);

// The pieces of `s` between the characters in `separators`, empty pieces dropped: a run of
// separators, or one at either end, never yields an "" token (people type "1,  3" and
// "1, 3,"; LimeSurvey writes "Q1; Q2"). split_tokens("1, 3;", " ,;") -> {"1", "3"}.
// Give ASCII separators only: no byte of a multi-byte UTF-8 character is ASCII, so none is cut.
std::vector<std::string> split_tokens(std::string_view s, std::string_view separators);

} // namespace tk
