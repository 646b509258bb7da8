// fuzz_bidi_text.cpp - the kiosk's bidi and Arabic shaping (kiosk/ui/bidi_text.h) on arbitrary
// bytes: survey texts and typed answers reach it unchecked. Whatever the input, every line must
// be valid UTF-8, fit the wrap width unless it is a single character, and the lines must walk
// the source forward without overlapping. With Noto Sans Arabic (fonts-noto-core) the marks
// are placed too: each on a letter of its line. The text cursor stays on a line, inside it.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "bidi_text.h"
#include "text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    const bool rtl = data[0] & 1;
    const float wrap = float(data[0] >> 1) * 4.0f; // 0 (no wrapping) .. 508
    std::string src(reinterpret_cast<const char*>(data + 1), size - 1);
    auto advance = [](char32_t c) { return float(4 + c % 13); };
    static const std::shared_ptr<const tk::MarkFont> marks =
        tk::open_mark_font("/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf");
    size_t at = 0;
    const std::vector<tk::BidiLine> lines = tk::bidi_lines(src, rtl, wrap, advance, marks.get());
    for (const tk::BidiLine& l : lines) {
        if (!tk::valid_utf8(l.visual)) __builtin_trap();
        if (l.begin < at || l.end < l.begin || l.end > src.size()) __builtin_trap();
        if (wrap > 0 && l.width > wrap && tk::utf8_length(l.visual) > 1) __builtin_trap();
        for (const tk::PlacedMark& m : l.marks) {
            uint32_t cp = 0;
            if (m.base >= l.visual.size() || tk::next_codepoint(l.visual, m.base, &cp) == 0) __builtin_trap();
        }
        at = l.end;
    }
    // The cursor at a byte the first input byte picks: on a line, between its ends.
    const size_t cursor = src.empty() ? 0 : data[0] % (src.size() + 1);
    const tk::BidiCaret c = tk::bidi_caret(src, rtl, wrap, advance, cursor);
    const std::vector<tk::BidiLine> plain = tk::bidi_lines(src, rtl, wrap, advance);
    if (c.line >= plain.size() || c.x < 0 || c.x > plain[c.line].width + 0.01f) __builtin_trap();
    tk::has_rtl_chars(src);
    if (!tk::valid_utf8(tk::shape_line(src, rtl))) __builtin_trap();
    return 0;
}
