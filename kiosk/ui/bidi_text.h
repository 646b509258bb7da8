// bidi_text.h - right-to-left and mixed text for a renderer that draws code points left to
// right from a font atlas (Dear ImGui 1.86): Arabic joining, the Unicode bidi algorithm and line
// wrapping, all through FriBidi. No ImGui here, so the tests check it without a window.
//
//   has_rtl_chars    does a text need this at all (the fast path for German, English, ...)
//   shape_line       one line: shaped and in visual order
//   bidi_lines       a paragraph wrapped to a width: shaped, broken in logical order, then
//                    each line reordered (UAX #9 wants it in this order: reordering first would
//                    break a sentence in the middle of what is read first)
//   bidi_glyph_ranges  the code points the atlas needs for Arabic and Persian
//
// Shaping maps Arabic letters to their presentation forms (U+FB50-FDFF, U+FE70-FEFF: initial,
// medial, final, isolated, and the lam-alef ligatures), which Noto Sans Arabic holds as glyphs
// of their own, so a code-point renderer shows joined script. Marks that draw nothing (ZWNJ,
// ZWJ, the bidi controls, FriBidi's ligature filler) are taken out of the visual text.
#pragma once
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace tk {

// True when `utf8` holds a character of a right-to-left script (Arabic, Hebrew, Syriac, Thaana,
// N'Ko, their presentation forms) - only then does a left-to-right page need the bidi pass.
bool has_rtl_chars(const std::string& utf8);

// Width of one code point as drawn (the atlas's advance); for wrapping.
using AdvanceFn = std::function<float(char32_t)>;

struct BidiLine {
    std::string visual;      // UTF-8, left to right as drawn
    size_t begin = 0, end = 0; // the logical bytes of the source text this line shows
    float width = 0;         // sum of the advances of `visual`
};

// One line, no wrapping: `logical` shaped and reordered. `rtl` is the paragraph direction
// (the page's language), which decides where neutral characters at the ends go.
std::string shape_line(const std::string& logical, bool rtl);

// Splits `logical` at '\n' into paragraphs and each into lines at most `wrap_width` wide
// (<= 0: no limit), breaking after spaces, a word wider than the line between characters.
// The spaces a line is broken at are not drawn. Broken UTF-8 shows as U+FFFD, never crashes.
std::vector<BidiLine> bidi_lines(const std::string& logical, bool rtl, float wrap_width, const AdvanceFn& advance);

// Glyph ranges (ImGui's zero-terminated pairs) of Arabic and Persian as bidi_lines draws them:
// the Arabic block and the presentation forms.
const unsigned short* bidi_glyph_ranges();

} // namespace tk
