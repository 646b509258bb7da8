// bidi_text.cpp - see bidi_text.h. FriBidi does the Unicode work (bidi types, brackets,
// embedding levels, Arabic joining, shaping to presentation forms, mirroring, reordering);
// HarfBuzz places the marks on their letters; this file decodes, wraps and encodes around them.
#include "bidi_text.h"

#include "text.h" // next_codepoint, append_utf8

#include <fribidi.h>
#include <hb-ot.h>
#include <hb.h>

#include <algorithm>
#include <map>

namespace tk {

struct MarkFont {
    hb_blob_t* blob = nullptr;
    hb_face_t* face = nullptr;
    hb_font_t* font = nullptr;
    float upem = 1000;
    std::map<hb_codepoint_t, char32_t> mark_cp; // a mark glyph -> the code point that draws it
    ~MarkFont() {
        hb_font_destroy(font);
        hb_face_destroy(face);
        hb_blob_destroy(blob);
    }
};

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

// The Arabic block's combining marks (harakat, tanween, shadda, sukun, superscript alef, the
// Quranic marks), and the presentation forms of shadda with a vowel that HarfBuzz composes.
bool arabic_mark(uint32_t c) {
    return (c >= 0x0610 && c <= 0x061A) || (c >= 0x064B && c <= 0x065F) || c == 0x0670 || (c >= 0x06D6 && c <= 0x06DC) ||
           (c >= 0x06DF && c <= 0x06E4) || c == 0x06E7 || c == 0x06E8 || (c >= 0x06EA && c <= 0x06ED);
}
bool arabic_letter(uint32_t c) { return c >= 0x0620 && c <= 0x06FF && !arabic_mark(c); }

// Places the marks chars[first+1 .. first+count) on the letter chars[first], shaped by
// HarfBuzz with the whole paragraph as context (so the letter takes its joining form, on which
// the anchors depend). False when a glyph has no code point to draw it: the marks then stay
// unplaced.
bool place_marks(const MarkFont& mf, const std::vector<FriBidiChar>& chars, size_t first, size_t count,
                 size_t base_byte, std::vector<PlacedMark>& out) {
    hb_buffer_t* b = hb_buffer_create();
    hb_buffer_add_utf32(b, chars.data(), int(chars.size()), unsigned(first), int(count));
    hb_buffer_set_direction(b, HB_DIRECTION_RTL);
    hb_buffer_set_script(b, HB_SCRIPT_ARABIC);
    hb_shape(mf.font, b, nullptr, 0);
    unsigned n = 0;
    const hb_glyph_info_t* info = hb_buffer_get_glyph_infos(b, &n);
    const hb_glyph_position_t* pos = hb_buffer_get_glyph_positions(b, &n);
    // Left to right as drawn: the pen moves by each advance; the letter is the glyph that is
    // not a mark, the marks are placed from the letter's pen position.
    std::vector<PlacedMark> placed;
    bool have_base = false, ok = n > 1;
    hb_position_t pen = 0, base_pen = 0;
    for (unsigned i = 0; i < n && ok; ++i) {
        if (hb_ot_layout_get_glyph_class(mf.face, info[i].codepoint) != HB_OT_LAYOUT_GLYPH_CLASS_MARK) {
            ok = !have_base; // two letters: not a letter with its marks
            have_base = true;
            base_pen = pen;
        } else {
            auto it = mf.mark_cp.find(info[i].codepoint);
            if (it == mf.mark_cp.end()) ok = false;
            else placed.push_back({base_byte, it->second, float(pen + pos[i].x_offset), float(pos[i].y_offset)});
        }
        pen += pos[i].x_advance;
    }
    hb_buffer_destroy(b);
    if (!ok || !have_base) return false;
    for (PlacedMark& m : placed) {
        m.dx = (m.dx - float(base_pen)) / mf.upem;
        m.dy /= mf.upem;
        out.push_back(m);
    }
    return true;
}

// A caret asked for: the byte it stands before, and where it was found.
struct CaretQuery {
    size_t at = 0;
    BidiCaret found;
};

void paragraph_lines(const std::string& src, size_t begin, size_t end, bool rtl, float wrap, const AdvanceFn& advance,
                     const MarkFont* marks, CaretQuery* caret, std::vector<BidiLine>& out) {
    Paragraph p = decode(src, begin, end);
    const FriBidiStrIndex n = FriBidiStrIndex(p.chars.size());
    if (n == 0) {
        if (caret && caret->at >= begin) caret->found = {out.size(), 0};
        out.push_back({"", begin, end, 0, {}});
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
        out.push_back({plain, begin, end, 0, {}});
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

    // A mark is placed when it follows a right-to-left Arabic letter (marks in between allowed).
    std::vector<FriBidiStrIndex> base_of(count, -1);
    if (marks)
        for (size_t i = 1; i < count; ++i)
            if (arabic_mark(p.chars[i])) {
                size_t b = base_of[i - 1] >= 0 ? size_t(base_of[i - 1]) : i - 1;
                if (arabic_letter(p.chars[b]) && (levels[b] & 1)) base_of[i] = FriBidiStrIndex(b);
            }

    auto emit = [&](FriBidiStrIndex a, FriBidiStrIndex b) {
        BidiLine line;
        line.begin = p.offset[size_t(a)];
        line.end = p.offset[size_t(b)];
        if (b > a) {
            std::vector<FriBidiChar> vis = shaped;
            std::vector<FriBidiStrIndex> map(count); // visual index -> logical index
            for (size_t i = 0; i < count; ++i) map[i] = FriBidiStrIndex(i);
            // 0 only when FriBidi runs out of memory: the line then shows in logical order.
            if (fribidi_reorder_line(FRIBIDI_FLAGS_DEFAULT | FRIBIDI_FLAGS_ARABIC, types.data(), b - a, a, base,
                                     levels.data(), vis.data(), map.data()) == 0) {
                vis = shaped;
                for (size_t i = 0; i < count; ++i) map[i] = FriBidiStrIndex(i);
            }
            std::vector<size_t> byte_at(count, std::string::npos); // logical index -> byte in visual
            std::vector<float> left(count, 0), width(count, 0);   // logical index -> box drawn
            for (FriBidiStrIndex i = a; i < b; ++i) {
                const size_t l = size_t(map[size_t(i)]);
                // A mark whose letter is on this line waits for it (placed below).
                if (base_of[l] >= a) continue;
                FriBidiChar c = vis[size_t(i)];
                if (invisible(c)) continue;
                byte_at[l] = line.visual.size();
                append_utf8(line.visual, c);
                left[l] = line.width;
                width[l] = advance(char32_t(c));
                line.width += width[l];
            }
            if (caret && caret->at >= line.begin) {
                // Before a character: on its right edge when it runs right to left, else on its
                // left edge. Before a character that draws nothing of its own (a mark, a
                // joiner) or at the end: after the character before it.
                FriBidiStrIndex l = a;
                while (l < b && p.offset[size_t(l)] < caret->at) ++l;
                float x = FRIBIDI_IS_RTL(base) ? line.width : 0;
                if (l < b && byte_at[size_t(l)] != std::string::npos)
                    x = (levels[size_t(l)] & 1) ? left[size_t(l)] + width[size_t(l)] : left[size_t(l)];
                else
                    for (FriBidiStrIndex k = l - 1; k >= a; --k)
                        if (byte_at[size_t(k)] != std::string::npos) {
                            x = (levels[size_t(k)] & 1) ? left[size_t(k)] : left[size_t(k)] + width[size_t(k)];
                            break;
                        }
                caret->found = {out.size(), x};
            }
            // Each letter with marks: HarfBuzz places them, or they are drawn unplaced after it.
            for (FriBidiStrIndex l = a; l < b; ++l) {
                if (base_of[size_t(l)] >= a || l + 1 >= b || base_of[size_t(l) + 1] != l) continue;
                FriBidiStrIndex k = l + 1;
                while (k < b && base_of[size_t(k)] == l) ++k;
                // The alef of a lam-alef ligature draws nothing of its own: its marks go on the
                // ligature, which the lam before it draws.
                FriBidiStrIndex drawn = l;
                while (drawn > a && byte_at[size_t(drawn)] == std::string::npos) --drawn;
                const size_t base_byte = byte_at[size_t(drawn)];
                if (base_byte != std::string::npos &&
                    place_marks(*marks, p.chars, size_t(l), size_t(k - l), base_byte, line.marks))
                    continue;
                std::string unplaced;
                for (FriBidiStrIndex m = l + 1; m < k; ++m) append_utf8(unplaced, shaped[size_t(m)]);
                size_t at = base_byte == std::string::npos ? line.visual.size() : base_byte;
                uint32_t cp = 0;
                at += std::max<size_t>(1, next_codepoint(line.visual, at, &cp)); // after the letter
                line.visual.insert(std::min(at, line.visual.size()), unplaced);
                for (PlacedMark& pm : line.marks)
                    if (pm.base >= at) pm.base += unplaced.size();
                for (size_t& y : byte_at)
                    if (y != std::string::npos && y >= at) y += unplaced.size();
            }
        } else if (caret && caret->at >= line.begin) {
            caret->found = {out.size(), 0}; // a line of spaces only: nothing drawn
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

std::shared_ptr<const MarkFont> open_mark_font(const std::string& path) {
    auto mf = std::make_shared<MarkFont>();
    mf->blob = hb_blob_create_from_file(path.c_str());
    mf->face = hb_face_create(mf->blob, 0);
    mf->font = hb_font_create(mf->face); // scaled in font units
    unsigned upem = hb_face_get_upem(mf->face);
    if (hb_face_get_glyph_count(mf->face) == 0 || upem == 0) return nullptr;
    mf->upem = float(upem);
    auto add = [&](char32_t cp) {
        hb_codepoint_t g = 0;
        if (hb_font_get_nominal_glyph(mf->font, cp, &g)) mf->mark_cp.emplace(g, cp);
    };
    for (char32_t cp = 0x0610; cp <= 0x06ED; ++cp)
        if (arabic_mark(cp)) add(cp);
    for (char32_t cp = 0xFC5E; cp <= 0xFC63; ++cp) add(cp);
    return mf;
}

namespace {

std::vector<BidiLine> all_lines(const std::string& logical, bool rtl, float wrap_width, const AdvanceFn& advance,
                                const MarkFont* marks, CaretQuery* caret) {
    std::vector<BidiLine> out;
    size_t begin = 0;
    for (;;) {
        size_t nl = logical.find('\n', begin);
        size_t end = nl == std::string::npos ? logical.size() : nl;
        paragraph_lines(logical, begin, end, rtl, wrap_width, advance, marks, caret, out);
        if (nl == std::string::npos) break;
        begin = nl + 1;
    }
    return out;
}

} // namespace

std::vector<BidiLine> bidi_lines(const std::string& logical, bool rtl, float wrap_width, const AdvanceFn& advance,
                                 const MarkFont* marks) {
    return all_lines(logical, rtl, wrap_width, advance, marks, nullptr);
}

BidiCaret bidi_caret(const std::string& logical, bool rtl, float wrap_width, const AdvanceFn& advance, size_t at) {
    CaretQuery q;
    q.at = std::min(at, logical.size());
    all_lines(logical, rtl, wrap_width, advance, nullptr, &q);
    return q.found;
}

std::string shape_line(const std::string& logical, bool rtl) {
    // German, English, ...: nothing to do (bad UTF-8 goes the long way, which replaces it)
    if (!rtl && !has_rtl_chars(logical) && valid_utf8(logical)) return logical;
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
        0xFC5E, 0xFC63, // shadda with a vowel, as HarfBuzz composes them (bidi_lines' marks)
        0xFDFC, 0xFDFC, // ﷼ rial sign
        0xFE70, 0xFEFC, // presentation forms B: joining forms and the lam-alef ligatures
        0,
    };
    return ranges;
}

} // namespace tk
