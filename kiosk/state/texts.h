// texts.h - the kiosk's own words (buttons, hints, messages) in several languages.
//
// Survey content comes from the survey file; everything the kiosk itself says comes from
// assets/ui-texts.json so that translators never touch code. Lookup follows the same
// fallback chain as survey texts ("de-x-ls" -> "de") and ends in German, the language every
// key must exist in.
#pragma once
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace tk {

struct UiTexts {
    // language tag -> key -> text
    std::map<std::string, std::map<std::string, std::string>> by_lang;
    // language tag -> its own name ("Türkçe"), from the "_name" entry of each language
    std::map<std::string, std::string> names;
};

// Loads the JSON file. On failure returns false and sets *error ("file: /path: problem").
bool load_ui_texts(const std::string& path, UiTexts& out, std::string* error);
// Checks that every language has every key German has; returns one message per gap.
std::vector<std::string> missing_ui_texts(const UiTexts& t);

// The text for `key` in `lang` (with fallbacks). A missing key returns the key itself so
// that a gap shows up on screen instead of an empty button.
const std::string& ui_text(const UiTexts& t, const std::string& lang, const std::string& key);
// Replaces "{name}" placeholders.
std::string fill(std::string text, const std::vector<std::pair<std::string, std::string>>& vars);

// Where assets live: $TK_ASSETS_DIR, else <exe dir>/../share/teilhabe-kiosk/assets when it
// exists, else the source tree's assets/ (compiled in, for development and tests).
std::string find_assets_dir();

} // namespace tk
