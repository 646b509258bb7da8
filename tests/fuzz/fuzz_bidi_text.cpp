// fuzz_bidi_text.cpp - the kiosk's bidi and Arabic shaping (kiosk/ui/bidi_text.h) on arbitrary
// bytes: survey texts and typed answers reach it unchecked. Whatever the input, every line must
// be valid UTF-8, fit the wrap width unless it is a single character, and the lines must walk
// the source forward without overlapping.
#include <cstddef>
#include <cstdint>
#include <string>

#include "bidi_text.h"
#include "text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    const bool rtl = data[0] & 1;
    const float wrap = float(data[0] >> 1) * 4.0f; // 0 (no wrapping) .. 508
    std::string src(reinterpret_cast<const char*>(data + 1), size - 1);
    auto advance = [](char32_t c) { return float(4 + c % 13); };
    size_t at = 0;
    for (const tk::BidiLine& l : tk::bidi_lines(src, rtl, wrap, advance)) {
        if (!tk::valid_utf8(l.visual)) __builtin_trap();
        if (l.begin < at || l.end < l.begin || l.end > src.size()) __builtin_trap();
        if (wrap > 0 && l.width > wrap && tk::utf8_length(l.visual) > 1) __builtin_trap();
        at = l.end;
    }
    tk::has_rtl_chars(src);
    if (!tk::valid_utf8(tk::shape_line(src, rtl))) __builtin_trap();
    return 0;
}
