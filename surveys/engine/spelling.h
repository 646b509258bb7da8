// spelling.h - "did you mean" for the loader's messages about unknown keys, languages,
// types and question codes. Internal to surveys/engine.
//   edit_distance  Levenshtein distance of two byte strings
//   suggest        " (did you mean \"options\"?)" for the nearest known word, or ""
#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace tk::loader {

size_t edit_distance(const std::string& a, const std::string& b);

// " (did you mean "options"?)" or "".
std::string suggest(const std::string& word, const std::vector<std::string>& known);

} // namespace tk::loader
