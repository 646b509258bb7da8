// bidi_text.cpp - see bidi_text.h. FriBidi does the Unicode work (bidi types, brackets,
// embedding levels, Arabic joining, shaping to presentation forms, mirroring, reordering);
// this file decodes, wraps and encodes around it.
#include "bidi_text.h"

#include "text.h" // next_codepoint, append_utf8

#include <fribidi.h>

namespace tk {

namespace {

bool rtl_codepoint(uint32_t c) {
    return (c >= 0x0590 && c <= 0x08FF) ||   // Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan, Mandaic, Arabic Ext.
           (c >= 0xFB1D && c <= 0xFDFF) ||   // Hebrew and Arabic presentation forms A
           (c >= 0xFE70 && c <= 0xFEFC) ||   // Arabic presentation forms B
           (c >= 0x10800 && c <= 0x10FFF) || // historic right-to-left scripts
           (c >= 0x1E800 && c <= 0x1EFFF) || // Mende Kikakui, Adlam, Arabic mathematical
           c == 0x200F || c == 0x202B || c == 0x202E || c == 0x2067; // RLM, RLE, RLO, RLI
}

// Characters that steer joining or direction but draw nothing: a code-point renderer would
// show them as a missing-glyph box. FRIBIDI_CHAR_FILL is what shaping leaves where the alef of
// a lam-alef ligature was.
bool invisible(uint32_t c) {
    return c == 0x200B || c == 0x200C || c == 0x200D || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
           c == 0x2060 || (c >= 0x2066 && c <= 0x2069) || c == FRIBIDI_CHAR_FILL;
}

// One paragraph (no '\n'), decoded, with the byte offset of every code point in the source.
struct Paragraph {
    std::vector<FriBidiChar> chars;
    std::vector<size_t> offset; // offset[i] = byte of chars[i]; offset[size] = end
};

Paragraph decode(const std::string& s, size_t begin, size_t end) {
    Paragraph p;
    size_t i = begin;
    while (i < end) {
        uint32_t cp = 0;
        size_t n = next_codepoint(std::string_view(s.data(), end), i, &cp);
        if (n == 0) {
            cp = 0xFFFD; // broken byte: one replacement character, go on
            n = 1;
        }
        p.chars.push_back(cp);
        p.offset.push_back(i);
        i += n;
    }
    p.offset.push_back(end);
    return p;
}

bool is_break_space(FriBidiChar c) { return c == ' ' || c == '\t' || c == 0x3000; }

void paragraph_lines(const std::string& src, size_t begin, size_t end, bool rtl, float wrap, const AdvanceFn& advance,
                     std::vector<BidiLine>& out) {
    Paragraph p = decode(src, begin, end);
    const FriBidiStrIndex n = FriBidiStrIndex(p.chars.size());
    if (n == 0) {
        out.push_back({"", begin, end, 0});
        return;
    }
    const size_t count = p.chars.size();
    std::vector<FriBidiCharType> types(count);
    std::vector<FriBidiBracketType> brackets(count);
    std::vector<FriBidiLevel> levels(count);
    std::vector<FriBidiArabicProp> joining(count);
    fribidi_get_bidi_types(p.chars.data(), n, types.data());
    fribidi_get_bracket_types(p.chars.data(), n, types.data(), brackets.data());
    FriBidiParType base = rtl ? FRIBIDI_PAR_RTL : FRIBIDI_PAR_LTR;
    if (fribidi_get_par_embedding_levels_ex(types.data(), brackets.data(), n, &base, levels.data()) == 0) {
        // Only on memory exhaustion inside FriBidi: show the text unshaped rather than nothing.
        std::string plain;
        for (FriBidiChar c : p.chars) append_utf8(plain, c);
        out.push_back({plain, begin, end, 0});
        return;
    }
    // Joining and shaping work in logical order, before the lines are cut: a word's letters
    // join the same wherever the line ends.
    std::vector<FriBidiChar> shaped = p.chars;
    fribidi_get_joining_types(p.chars.data(), n, joining.data());
    fribidi_join_arabic(types.data(), n, levels.data(), joining.data());
    fribidi_shape(FRIBIDI_FLAGS_DEFAULT | FRIBIDI_FLAGS_ARABIC, levels.data(), n, joining.data(), shaped.data());

    std::vector<float> adv(count);
    for (FriBidiStrIndex i = 0; i < n; ++i) adv[size_t(i)] = invisible(shaped[size_t(i)]) ? 0.0f : advance(char32_t(shaped[size_t(i)]));

    auto emit = [&](FriBidiStrIndex a, FriBidiStrIndex b) {
        BidiLine line;
        line.begin = p.offset[size_t(a)];
        line.end = p.offset[size_t(b)];
        if (b > a) {
            std::vector<FriBidiChar> vis = shaped;
            // 0 only when FriBidi runs out of memory: the line then shows in logical order.
            if (fribidi_reorder_line(FRIBIDI_FLAGS_DEFAULT | FRIBIDI_FLAGS_ARABIC, types.data(), b - a, a, base,
                                     levels.data(), vis.data(), nullptr) == 0)
                vis = shaped;
            for (FriBidiStrIndex i = a; i < b; ++i) {
                FriBidiChar c = vis[size_t(i)];
                if (invisible(c)) continue;
                append_utf8(line.visual, c);
                line.width += advance(char32_t(c));
            }
        }
        out.push_back(std::move(line));
    };

    FriBidiStrIndex pos = 0;
    while (pos < n) {
        const FriBidiStrIndex line_begin = pos;
        float w = 0;
        FriBidiStrIndex brk = -1; // last space the line may end at
        FriBidiStrIndex j = pos;
        for (; j < n; ++j) {
            bool space = is_break_space(shaped[size_t(j)]);
            if (wrap > 0 && !space && j > line_begin && w + adv[size_t(j)] > wrap) break;
            if (space) brk = j;
            w += adv[size_t(j)];
        }
        FriBidiStrIndex line_end = j, next = j;
        if (j < n && brk > line_begin) {
            line_end = brk;
            next = brk;
            while (next < n && is_break_space(shaped[size_t(next)])) ++next;
        }
        // Spaces where the line breaks are not drawn (nor counted for alignment).
        while (line_end > line_begin && is_break_space(shaped[size_t(line_end - 1)])) --line_end;
        emit(line_begin, line_end);
        pos = next;
    }
}

} // namespace

bool has_rtl_chars(const std::string& utf8) {
    for (size_t i = 0; i < utf8.size();) {
        if (static_cast<unsigned char>(utf8[i]) < 0xD6) { // below U+0590 or ASCII: skip fast
            ++i;
            continue;
        }
        uint32_t cp = 0;
        size_t n = next_codepoint(utf8, i, &cp);
        if (n == 0) {
            ++i;
            continue;
        }
        if (rtl_codepoint(cp)) return true;
        i += n;
    }
    return false;
}

std::vector<BidiLine> bidi_lines(const std::string& logical, bool rtl, float wrap_width, const AdvanceFn& advance) {
    std::vector<BidiLine> out;
    size_t begin = 0;
    for (;;) {
        size_t nl = logical.find('\n', begin);
        size_t end = nl == std::string::npos ? logical.size() : nl;
        paragraph_lines(logical, begin, end, rtl, wrap_width, advance, out);
        if (nl == std::string::npos) break;
        begin = nl + 1;
    }
    return out;
}

std::string shape_line(const std::string& logical, bool rtl) {
    std::string out;
    for (const BidiLine& l : bidi_lines(logical, rtl, 0, [](char32_t) { return 0.0f; })) {
        if (!out.empty()) out += '\n';
        out += l.visual;
    }
    return out;
}

const unsigned short* bidi_glyph_ranges() {
    static const unsigned short ranges[] = {
        0x0600, 0x06FF, // Arabic: letters (Persian ones too), digits, ، ؛ ؟
        0xFB50, 0xFBFF, // presentation forms A: the joining forms of پ چ ژ گ ک ی
        0xFDFC, 0xFDFC, // ﷼ rial sign
        0xFE70, 0xFEFC, // presentation forms B: joining forms and the lam-alef ligatures
        0,
    };
    return ranges;
}

} // namespace tk
