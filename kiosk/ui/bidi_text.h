// bidi_text.h - right-to-left and mixed text for a renderer that draws code points left to
// right from a font atlas (Dear ImGui 1.86): Arabic joining, the Unicode bidi algorithm and line
// wrapping, all through FriBidi; the marks over and under letters placed by HarfBuzz. No ImGui
// here, so the tests check it without a window.
//
//   has_rtl_chars    does a text need this at all (the fast path for German, English, ...)
//   open_mark_font   a font file's mark anchors, for placing marks (HarfBuzz)
//   shape_line       one line: shaped and in visual order
//   bidi_caret       where a text cursor goes in shaped text (fields being typed in)
//   bidi_lines       a paragraph wrapped to a width: shaped, broken in logical order, then
//                    each line reordered (UAX #9 wants it in this order: reordering first would
//                    break a sentence in the middle of what is read first)
//   bidi_glyph_ranges  the code points the atlas needs for Arabic and Persian
//
// Shaping maps Arabic letters to their presentation forms (U+FB50-FDFF, U+FE70-FEFF: initial,
// medial, final, isolated, and the lam-alef ligatures), which Noto Sans Arabic holds as glyphs
// of their own, so a code-point renderer shows joined script. Marks that draw nothing (ZWNJ,
// ZWJ, the bidi controls, FriBidi's ligature filler) are taken out of the visual text.
//
// Marks that do draw (fatha, kasra, damma, shadda, sukun, tanween, superscript alef) have no
// advance: drawn in the line's order they would land beside their letter, not on it. With a
// mark font, bidi_lines takes them out of `visual` and lists them in `marks`, each at the place
// HarfBuzz gives it from the font's anchors (mark to base, mark to mark), relative to its
// letter's origin; shadda with a vowel may come back as one glyph of the presentation forms
// (U+FC5E-FC63), as HarfBuzz composes it.
#pragma once
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace tk {

// True when `utf8` holds a character of a right-to-left script (Arabic, Hebrew, Syriac, Thaana,
// N'Ko, their presentation forms) - only then does a left-to-right page need the bidi pass.
bool has_rtl_chars(const std::string& utf8);

// Width of one code point as drawn (the atlas's advance); for wrapping.
using AdvanceFn = std::function<float(char32_t)>;

// A mark drawn on its letter: `base` is the byte of the letter in BidiLine::visual, (dx, dy)
// the mark's origin from the letter's origin in ems (y up, as in the font).
struct PlacedMark {
    size_t base = 0;
    char32_t cp = 0;
    float dx = 0, dy = 0;
};

struct BidiLine {
    std::string visual;      // UTF-8, left to right as drawn
    size_t begin = 0, end = 0; // the logical bytes of the source text this line shows
    float width = 0;         // sum of the advances of `visual`
    std::vector<PlacedMark> marks; // only with a mark font; their code points are not in `visual`
};

// A font file opened for HarfBuzz: its mark anchors and which code points draw its mark glyphs.
// Null when the file cannot be read as a font. One per font the Arabic glyphs come from
// (regular and bold place marks differently).
struct MarkFont;
std::shared_ptr<const MarkFont> open_mark_font(const std::string& path);

// One line, no wrapping: `logical` shaped and reordered. `rtl` is the paragraph direction
// (the page's language), which decides where neutral characters at the ends go.
std::string shape_line(const std::string& logical, bool rtl);

// Splits `logical` at '\n' into paragraphs and each into lines at most `wrap_width` wide
// (<= 0: no limit), breaking after spaces, a word wider than the line between characters.
// The spaces a line is broken at are not drawn. Broken UTF-8 shows as U+FFFD, never crashes.
// With `marks`, Arabic marks on right-to-left letters are placed (see PlacedMark); a mark the
// font has no place or no code point for stays in `visual`, drawn as before.
std::vector<BidiLine> bidi_lines(const std::string& logical, bool rtl, float wrap_width, const AdvanceFn& advance,
                                 const MarkFont* marks = nullptr);

// Where a text cursor standing before byte `at` of `logical` is drawn: the line (an index into
// bidi_lines with the same arguments) and the x from that line's left end. Before a right-to-left
// character it stands at the character's right edge, before a left-to-right one at its left
// edge; at the end of a line after its last character. `at` past the end means the end.
struct BidiCaret {
    size_t line = 0;
    float x = 0;
};
BidiCaret bidi_caret(const std::string& logical, bool rtl, float wrap_width, const AdvanceFn& advance, size_t at);

// Glyph ranges (ImGui's zero-terminated pairs) of Arabic and Persian as bidi_lines draws them:
// the Arabic block and the presentation forms (the shadda ligatures among them).
const unsigned short* bidi_glyph_ranges();

} // namespace tk
