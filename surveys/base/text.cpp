// text.cpp - language fallback for LocalText; split_tokens.
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

} // namespace tk
