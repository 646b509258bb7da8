// text.cpp - language fallback for LocalText; split_tokens; the UTF-8 walker.
#include "text.h"

namespace tk {

std::vector<std::string> language_fallbacks(const std::string& lang) {
    // "de-x-ls" -> de-x-ls, de ; "de-AT" -> de-AT, de. Private-use and region subtags are
    // dropped one at a time from the right, so the chain ends at the primary language.
    std::vector<std::string> chain;
    std::string cur = lang;
    while (!cur.empty()) {
        chain.push_back(cur);
        auto dash = cur.rfind('-');
        if (dash == std::string::npos) break;
        cur = cur.substr(0, dash);
        // "de-x" is not a language: skip a dangling singleton such as the private-use "x".
        auto d2 = cur.rfind('-');
        if (d2 != std::string::npos && cur.size() - d2 == 2) cur = cur.substr(0, d2);
    }
    return chain;
}

const std::string& LocalText::get(const std::string& lang, const std::string& fallback) const {
    static const std::string empty;
    for (const auto& tag : language_fallbacks(lang)) {
        auto it = by_lang.find(tag);
        if (it != by_lang.end()) return it->second;
    }
    auto it = by_lang.find(fallback);
    if (it != by_lang.end()) return it->second;
    return by_lang.empty() ? empty : by_lang.begin()->second;
}

std::vector<std::string> split_tokens(std::string_view s, std::string_view separators) {
    std::vector<std::string> out;
    size_t start = 0;
    for (size_t i = 0; i <= s.size(); i++) {
        if (i < s.size() && separators.find(s[i]) == std::string_view::npos) continue;
        if (i > start) out.emplace_back(s.substr(start, i - start));
        start = i + 1;
    }
    return out;
}

size_t utf8_length(std::string_view s) {
    size_t n = 0;
    for (char c : s)
        if (!is_utf8_continuation(c)) n++;
    return n;
}

size_t utf8_char_end(std::string_view s, size_t i) {
    size_t j = i + 1;
    if ((unsigned char)s[i] >= 0xC0)
        while (j < s.size() && is_utf8_continuation(s[j]) && j - i < 4) j++;
    return j;
}

size_t next_codepoint(std::string_view s, size_t i, uint32_t* cp) {
    if (i >= s.size()) return 0;
    unsigned char c = (unsigned char)s[i];
    // n: continuation bytes that follow the lead byte.
    int n = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xE ? 2 : (c >> 3) == 0x1E ? 3 : -1;
    if (n < 0 || (n == 1 && c < 0xC2) || i + n >= s.size()) return 0; // C0, C1: overlong by themselves
    uint32_t v = n == 0 ? c : c & (0x3F >> n);
    for (int k = 1; k <= n; k++) {
        unsigned char d = (unsigned char)s[i + k];
        if (!is_utf8_continuation(d)) return 0;
        v = (v << 6) | (d & 0x3F);
    }
    // Overlong three- and four-byte forms, surrogates, and F4 90.. / F5.. above U+10FFFF.
    if ((n == 2 && (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF))) || (n == 3 && (v < 0x10000 || v > 0x10FFFF)))
        return 0;
    *cp = v;
    return (size_t)n + 1;
}

bool valid_utf8(std::string_view s) {
    uint32_t cp = 0;
    for (size_t i = 0, n; i < s.size(); i += n)
        if ((n = next_codepoint(s, i, &cp)) == 0) return false;
    return true;
}

void append_utf8(std::string& out, uint32_t cp) {
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xC0 | (cp >> 6));
        out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += char(0xE0 | (cp >> 12));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    } else {
        out += char(0xF0 | (cp >> 18));
        out += char(0x80 | ((cp >> 12) & 0x3F));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    }
}

void pop_utf8_char(std::string& s) {
    while (!s.empty() && is_utf8_continuation(s.back())) s.pop_back();
    if (!s.empty()) s.pop_back();
}

std::vector<std::string> utf8_chars(std::string_view s) {
    std::vector<std::string> out;
    size_t i = 0;
    uint32_t cp = 0;
    while (i < s.size()) {
        size_t n = next_codepoint(s, i, &cp);
        if (n == 0) n = 1; // a broken byte stays, alone; the walk always moves on
        out.emplace_back(s.substr(i, n));
        i += n;
    }
    return out;
}

std::string html_entities(std::string_view s) {
    std::string o;
    o.reserve(s.size());
    for (char c : s) switch (c) {
        case '&': o += "&amp;"; break;
        case '<': o += "&lt;"; break;
        case '>': o += "&gt;"; break;
        case '"': o += "&quot;"; break;
        case '\'': o += "&#39;"; break;
        default: o += c;
        }
    return o;
}

} // namespace tk
