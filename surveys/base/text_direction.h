// text_direction.h - which way a language's script runs, from its BCP 47 tag.
//
// The kiosk mirrors its pages, the paper forms align right and the loader checks fonts by this one
// answer, so every layer asks here instead of keeping its own list of right-to-left languages.
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

} // namespace tk
