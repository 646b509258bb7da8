// text_direction.h - which way a language's script runs, and which script it is, from its BCP 47 tag.
//
// The kiosk mirrors its pages, the paper forms align right and the loader checks fonts by this one
// answer, so every layer asks here instead of keeping its own list of right-to-left languages.
// Holds: text_direction / is_rtl, language_script, kiosk_renders_script.
#pragma once
#include <string>

namespace tk {

enum class TextDirection { LeftToRight, RightToLeft };

// Direction of a language tag such as "ar", "fa-IR", "de-x-ls" or "az-Arab". An explicit script
// subtag decides (Arab, Hebr, Syrc, Thaa, Nkoo, Adlm, Rohg are right-to-left, Latn/Cyrl left-to-right);
// otherwise the primary language does (ar, fa, he, ur, ps, sd, ug, yi, dv, ckb, ...).
// Case-insensitive; unknown or empty tags are left-to-right.
TextDirection text_direction(const std::string& language_tag);
inline bool is_rtl(const std::string& language_tag) {
    return text_direction(language_tag) == TextDirection::RightToLeft;
}

// ISO 15924 script of a language tag, title-cased: "Latn", "Cyrl", "Arab", "Hebr", "Grek", "Hani",
// "Deva", ... An explicit script subtag decides ("az-Arab" -> "Arab", "sr-Latn" -> "Latn");
// otherwise the primary language's usual script ("uk" -> "Cyrl", "fa" -> "Arab", "ja" -> "Jpan").
// Languages not listed as written in another script are taken as Latin ("de", "tr", "de-x-ls").
std::string language_script(const std::string& language_tag);

// Whether the kiosk has a font for `script` (ISO 15924, as language_script returns it): Latin and
// Cyrillic from Noto Sans and Arabic from Noto Sans Arabic, all of fonts-noto-core, which is what
// kiosk/ui/style.cpp loads. Survey languages in any other script are refused by the loader, since
// the kiosk would show empty boxes instead of the questions.
bool kiosk_renders_script(const std::string& script);

} // namespace tk
