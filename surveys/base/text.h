// text.h - a text that exists in several languages.
//
// Every text a respondent sees (question, option, help, UI) can be given in several
// languages. Lookup falls back per text: a Leichte-Sprache variant "de-x-ls" falls back to
// "de", any "xx-yy" to "xx", and finally to the survey's first (original) language. That way
// an author can add Leichte Sprache for the hard questions only.
//
// Also the one tokenizer for short typed or stored lists ("1, 3", "de en", "Q1;Q2"), the one
// HTML escaper of the reports (html_entities), and the
// one UTF-8 walker (lengths, columns, decoding, encoding, taking characters off and apart):
//   is_utf8_continuation, utf8_length, utf8_char_end, next_codepoint, valid_utf8,
//   append_utf8, pop_utf8_char, utf8_chars
#pragma once
#include <cstddef>
#include <cstdint>
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

// Text for HTML element content and quoted attribute values: & < > " ' as entities, every other
// byte as it is. The research report and the Delphi report use it; the dashboard has its own,
// stricter one (it also cuts and replaces control characters in what devices send).
std::string html_entities(std::string_view s);

// --- UTF-8 ---
// Counting needs no decoding: every byte that is not a continuation byte (10xxxxxx) starts a
// character. Text from files or typing may still be broken, so the counters never assume more.

inline bool is_utf8_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }
inline bool is_utf8_continuation(char c) { return is_utf8_continuation((unsigned char)c); }

// Characters (code points) in `s`: what a length limit or a column number counts, so
// "Straße" is 6, not 7. Broken bytes count as one character each at most.
size_t utf8_length(std::string_view s);

// One past the character that starts at s[i]: a lead byte takes the continuation bytes that
// follow (at most three); any other byte is a character of its own. For showing a whole
// character in a message, never half of one. i < s.size().
size_t utf8_char_end(std::string_view s, size_t i);

// Decodes the character at s[i] strictly: shortest form only, no surrogates (U+D800-DFFF),
// nothing above U+10FFFF, no cut-off sequence. Returns its length in bytes (1-4) and sets *cp,
// or 0 (and *cp untouched) when the bytes at i are not UTF-8 or i is at the end.
size_t next_codepoint(std::string_view s, size_t i, uint32_t* cp);

// Every character of `s` decodes (NUL is a character).
bool valid_utf8(std::string_view s);

// Appends the UTF-8 bytes of `cp`; NUL, surrogates and values above U+10FFFF become U+FFFD,
// so what is appended is always valid and never ends a C string early.
void append_utf8(std::string& out, uint32_t cp);

// Removes the last character (all of its bytes), not the last byte; nothing when `s` is empty.
void pop_utf8_char(std::string& s);

// `s` split into its characters, each a string of its bytes; a byte that does not decode is
// a piece of its own, so every byte is kept and the pieces join back to `s`.
std::vector<std::string> utf8_chars(std::string_view s);

} // namespace tk
