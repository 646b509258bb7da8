// style.h - fonts, colours and sizes of the kiosk, in one place.
//
// Text size is a real font size: the atlas is rebuilt for every text scale so that letters
// stay crisp at 300 % (pixel-scaling a 100 % atlas blurs them). Every size on screen derives
// from the body font size, so targets grow with the text. The display's content scale (DPI)
// enters here and nowhere else.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bidi_text.h"
#include "kiosk_state.h"

struct ImFont;

namespace tk {

// Colours as 0xRRGGBB.
struct Theme {
    const char* name;
    uint32_t bg, text, text_muted;
    uint32_t option_bg, option_hover_bg, option_border, option_sel_bg, option_sel_text;
    uint32_t primary_bg, primary_hover_bg, primary_text;
    uint32_t secondary_bg, secondary_hover_bg, secondary_text;
    uint32_t field_bg, field_text, field_border;
    uint32_t focus, error, progress_fill, progress_track;
    uint32_t warn_bg, warn_text, demo_bg, demo_text;
};

struct ColorPair {
    const char* what;  // e.g. "option text on selected option"
    uint32_t fg, bg;
    bool text;         // text needs 4.5:1 (7:1 high contrast); other marks 3:1
};

const Theme& theme(ThemeId id);
// Every foreground/background pair the theme draws; the test checks each ratio.
std::vector<ColorPair> theme_pairs(const Theme& t);
// WCAG 2.x contrast ratio (relative luminance of sRGB colours), 1..21.
double contrast_ratio(uint32_t a, uint32_t b);
uint32_t to_imgui_color(uint32_t rgb, int alpha = 255); // ImU32 (ABGR)

// Sizes in pixels for the current scale. Computed by compute_metrics(); the only place
// where DPI and text scale turn into pixels.
struct Metrics {
    float dpi = 1.0f;          // display content scale
    int scale = 100;           // text scale in percent
    float body = 24;           // body font size
    float heading = 31;        // question text
    float toolbar = 24;        // top bar (capped at 200 % so it stays on one line)
    float pad = 8;             // inner padding
    float gap = 8;             // space between controls
    float target = 48;         // minimum height/width of anything touchable
    float focus_width = 4;     // focus ring thickness
};
Metrics compute_metrics(int text_scale, float dpi);

// Finds a font file by name under the usual Debian font folders ("" when absent).
std::string find_font(const std::string& file_name);

struct Fonts {
    ImFont* body = nullptr;
    ImFont* heading = nullptr;
    ImFont* toolbar = nullptr;
    int built_scale = 0;       // scale the atlas holds (0 = none yet)
    bool built_easy = false;
    float built_dpi = 0;
    bool built_rtl = false;    // Noto Sans Arabic merged in (a survey with a right-to-left language)
    std::string error;         // fonts missing: ImGui's default font is used
};

// Latin, Latin Extended-A and Cyrillic (de, en, tr, pl, uk, ru) plus typographic marks.
const unsigned short* kiosk_glyph_ranges();
// True when the atlas must be rebuilt for these settings.
bool fonts_outdated(const Fonts& f, const ReadingSettings& r, float dpi, bool rtl_script = false);
// Clears and rebuilds ImGui's font atlas (call between frames; the renderer's texture must
// be recreated afterwards). Uses Andika when easy_font is set, Noto Sans otherwise. With
// rtl_script, Noto Sans Arabic is merged into every font with bidi_glyph_ranges() (Arabic,
// Persian and their joining forms); only then, because it makes the atlas a third larger.
void build_fonts(Fonts& f, const ReadingSettings& r, float dpi, bool rtl_script = false);
// The Arabic font merged into `f` by the last build_fonts: its mark anchors (bidi_lines places
// marks with them) and its em in pixels at f->FontSize. Null for a font without Arabic.
struct ArabicFace {
    std::shared_ptr<const MarkFont> marks;
    float em_px = 0;
};
const ArabicFace* arabic_face(const ImFont* f);
// Applies colours and spacing to ImGui::GetStyle().
void apply_style(const Theme& t, const Metrics& m);

} // namespace tk
