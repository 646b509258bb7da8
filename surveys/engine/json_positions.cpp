// json_positions.cpp - positions in a survey file's JSON text (see json_positions.h).
#include "json_positions.h"

#include "text.h"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

namespace tk::loader {

using json = nlohmann::json;

// Deepest bracket nesting outside strings. Stops counting once past `limit`.
int nesting_depth(const std::string& s, int limit) {
    int depth = 0, deepest = 0;
    bool in_str = false;
    for (size_t i = 0; i < s.size(); i++) {
        char c = s[i];
        if (in_str) {
            if (c == '\\') i++;
            else if (c == '"') in_str = false;
            continue;
        }
        if (c == '"') in_str = true;
        else if (c == '{' || c == '[') {
            depth++;
            deepest = std::max(deepest, depth);
            if (deepest > limit) return deepest;
        } else if (c == '}' || c == ']') depth--;
    }
    return deepest;
}

// 1-based line and column of byte index `pos` (0-based).
void line_col(const std::string& s, size_t pos, int& line, int& col) {
    line = 1;
    col = 1;
    pos = std::min(pos, s.size());
    for (size_t i = 0; i < pos; i++) {
        if (s[i] == '\n') { line++; col = 1; }
        else if (!is_utf8_continuation(s[i])) col++; // count UTF-8 characters
    }
}

// nlohmann reports the position after a whole unexpected token ("version" in
// `"id": "x" "version"`); authors expect the column where that token starts.
size_t token_start(const std::string& s, size_t at) {
    if (at >= s.size()) return at;
    auto word = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '-' || c == '+';
    };
    if (s[at] == '"') {
        for (size_t i = at; i-- > 0;) {
            if (s[i] == '\n') return at; // strings never span lines: not a string token
            if (s[i] == '"') {
                size_t bs = 0;
                while (i > bs && s[i - 1 - bs] == '\\') bs++;
                if (bs % 2 == 0) return i;
            }
        }
        return at;
    }
    if (!word(s[at])) return at;
    while (at > 0 && word(s[at - 1])) at--;
    return at;
}

std::string pointer_escape(const std::string& key) {
    std::string out;
    for (char c : key) {
        if (c == '~') out += "~0";
        else if (c == '/') out += "~1";
        else out += c;
    }
    return out;
}

void LineScan::ws() {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) {
        if (s[i] == '\n') line++;
        i++;
    }
}

std::string LineScan::str() { // at the opening quote; returns the decoded string
    size_t start = ++i;
    bool escaped = false;
    while (i < s.size() && s[i] != '"') {
        if (s[i] == '\\') { escaped = true; i++; }
        i++;
    }
    std::string raw = s.substr(start, std::min(i, s.size()) - start);
    i++;
    if (!escaped) return raw;
    json j = json::parse("\"" + raw + "\"", nullptr, false);
    return j.is_string() ? j.get<std::string>() : raw;
}

void LineScan::value(const std::string& path, int depth) {
    ws();
    if (path.empty()) lines[""] = line;
    if (i >= s.size() || depth > kMaxDepth) return;
    if (s[i] == '{') {
        i++;
        std::set<std::string> seen;
        for (;;) {
            ws();
            if (i >= s.size() || s[i] == '}') { i++; return; }
            if (s[i] == ',') { i++; continue; }
            if (s[i] != '"') return; // cannot happen on valid JSON
            int key_line = line;
            std::string key = str();
            std::string child = path + "/" + pointer_escape(key);
            if (!seen.insert(key).second) duplicates.push_back({child, key_line});
            else lines[child] = key_line;
            ws();
            if (i < s.size() && s[i] == ':') i++;
            value(child, depth + 1);
        }
    }
    if (s[i] == '[') {
        i++;
        size_t n = 0;
        for (;;) {
            ws();
            if (i >= s.size() || s[i] == ']') { i++; return; }
            if (s[i] == ',') { i++; continue; }
            std::string child = path + "/" + std::to_string(n++);
            lines[child] = line;
            size_t before = i;
            value(child, depth + 1);
            if (i == before) return; // no progress: give up rather than loop
        }
    }
    if (s[i] == '"') { str(); return; }
    while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']' && s[i] != ' ' &&
           s[i] != '\n' && s[i] != '\r' && s[i] != '\t')
        i++; // number, true, false, null
}

} // namespace tk::loader
