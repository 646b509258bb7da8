// json_positions.h - where things are in a survey file's JSON text (for the loader's messages).
//   kMaxDepth       deepest nesting the loader accepts
//   nesting_depth   bracket depth outside strings, checked before nlohmann parses
//   line_col        1-based line and column of a byte offset
//   token_start     start of the token nlohmann complained about
//   pointer_escape  a key as a JSON pointer segment
//   LineScan        line of every key and array element by JSON pointer; duplicate keys
// Internal to surveys/engine.
#pragma once
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace tk::loader {

// Deeper nesting than any survey needs; the limit keeps recursive code (dump, our scanner)
// safe from stack exhaustion on hostile input.
constexpr int kMaxDepth = 64;

// Deepest bracket nesting outside strings. Stops counting once past `limit`.
int nesting_depth(const std::string& s, int limit);

// 1-based line and column of byte index `pos` (0-based).
void line_col(const std::string& s, size_t pos, int& line, int& col);

// nlohmann reports the position after a whole unexpected token ("version" in
// `"id": "x" "version"`); authors expect the column where that token starts.
size_t token_start(const std::string& s, size_t at);

std::string pointer_escape(const std::string& key);

// Walks text that nlohmann already accepted and records the line of every key and array
// element by JSON pointer. nlohmann keeps no positions, and authors want "line 57", not
// "/groups/2/questions/1". Also finds duplicate keys, which nlohmann silently collapses.
struct LineScan {
    const std::string& s;
    std::map<std::string, int>& lines;
    std::vector<std::pair<std::string, int>> duplicates; // pointer, line
    size_t i = 0;
    int line = 1;

    LineScan(const std::string& text, std::map<std::string, int>& out) : s(text), lines(out) {}

    void ws();
    std::string str(); // at the opening quote; returns the decoded string
    void value(const std::string& path, int depth);
};

} // namespace tk::loader
