// style.cpp - themes, contrast maths, font atlas and metrics.
#include "style.h"

#include "bidi_text.h"

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>

#include <imgui.h>

namespace tk {

// Standard: dark text on white, blue for choices and actions. High contrast: white/yellow
// on black, as low-vision users know it from screen magnifiers. Every pair is checked by
// tests/ui/style_contrast.cpp (≥ 4.5:1 standard, ≥ 7:1 high contrast for text).
static const Theme kStandard = {
    "standard",
    0xFFFFFF, 0x1B1B1B, 0x454545,
    0xEEF2F7, 0xDCE5F0, 0x56657A, 0x0B4F9C, 0xFFFFFF,
    0x0B4F9C, 0x083C78, 0xFFFFFF,
    0xE1E6ED, 0xCDD5E0, 0x1B1B1B,
    0xFFFFFF, 0x1B1B1B, 0x56657A,
    0xB33C00, 0xA40000, 0x0B4F9C, 0xC9D2DE,
    0xFFF1C2, 0x1B1B1B, 0x8A1C00, 0xFFFFFF,
};
static const Theme kHighContrast = {
    "high_contrast",
    0x000000, 0xFFFFFF, 0xE6E6E6,
    0x000000, 0x2A2A2A, 0xFFFFFF, 0xFFFF00, 0x000000,
    0xFFFF00, 0xFFFF80, 0x000000,
    0x1E1E1E, 0x383838, 0xFFFFFF,
    0x000000, 0xFFFFFF, 0xFFFFFF,
    0x00FFFF, 0xFF9090, 0xFFFF00, 0x505050,
    0x1E1E1E, 0xFFFF00, 0xFFFF00, 0x000000,
};

const Theme& theme(ThemeId id) { return id == ThemeId::HighContrast ? kHighContrast : kStandard; }

std::vector<ColorPair> theme_pairs(const Theme& t) {
    return {
        {"text on page", t.text, t.bg, true},
        {"help text on page", t.text_muted, t.bg, true},
        {"error on page", t.error, t.bg, true},
        {"option text", t.text, t.option_bg, true},
        {"option text, hovered", t.text, t.option_hover_bg, true},
        {"error on option", t.error, t.option_bg, true},
        {"selected option text", t.option_sel_text, t.option_sel_bg, true},
        {"primary button text", t.primary_text, t.primary_bg, true},
        {"primary button text, hovered", t.primary_text, t.primary_hover_bg, true},
        {"secondary button text", t.secondary_text, t.secondary_bg, true},
        {"secondary button text, hovered", t.secondary_text, t.secondary_hover_bg, true},
        {"field text", t.field_text, t.field_bg, true},
        {"warning text", t.warn_text, t.warn_bg, true},
        {"DEMO label", t.demo_text, t.demo_bg, true},
        {"option border on page", t.option_border, t.bg, false},
        {"field border on page", t.field_border, t.bg, false},
        {"focus ring on page", t.focus, t.bg, false},
        {"focus ring on option", t.focus, t.option_bg, false},
        {"selected option on page", t.option_sel_bg, t.bg, false},
        {"progress bar on its track", t.progress_fill, t.progress_track, false},
        {"progress bar on page", t.progress_fill, t.bg, false},
    };
}

static double channel(uint32_t c8) {
    double c = c8 / 255.0;
    return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

static double luminance(uint32_t rgb) {
    return 0.2126 * channel((rgb >> 16) & 0xFF) + 0.7152 * channel((rgb >> 8) & 0xFF) +
           0.0722 * channel(rgb & 0xFF);
}

double contrast_ratio(uint32_t a, uint32_t b) {
    double la = luminance(a), lb = luminance(b);
    if (la < lb) std::swap(la, lb);
    return (la + 0.05) / (lb + 0.05);
}

uint32_t to_imgui_color(uint32_t rgb, int alpha) {
    uint32_t r = (rgb >> 16) & 0xFF, g = (rgb >> 8) & 0xFF, b = rgb & 0xFF;
    return (uint32_t(alpha) << 24) | (b << 16) | (g << 8) | r;
}

Metrics compute_metrics(int text_scale, float dpi) {
    Metrics m;
    m.dpi = dpi > 0.5f ? dpi : 1.0f;
    m.scale = text_scale;
    const float k = text_scale / 100.0f;
    m.body = std::round(24.0f * k * m.dpi);
    m.heading = std::round(m.body * 1.25f);
    m.toolbar = std::round(24.0f * std::min(k, 2.0f) * m.dpi);
    m.pad = std::round(m.body * 0.35f);
    m.gap = std::round(m.body * 0.4f);
    // 48 px at 100 %, growing with the text: a row is at least one line plus padding.
    m.target = std::max(std::round(48.0f * m.dpi), m.body + 2 * m.pad);
    m.focus_width = std::max(3.0f, std::round(m.body / 6.0f));
    return m;
}

std::string find_font(const std::string& file_name) {
    namespace fs = std::filesystem;
    static const char* dirs[] = {"/usr/share/fonts/truetype/noto", "/usr/share/fonts/truetype/andika",
                                 "/usr/share/fonts/truetype", "/usr/share/fonts", "/usr/local/share/fonts"};
    std::error_code ec;
    for (const char* d : dirs) {
        fs::path p = fs::path(d) / file_name;
        if (fs::exists(p, ec)) return p.string();
    }
    for (const char* d : {"/usr/share/fonts", "/usr/local/share/fonts"}) {
        for (fs::recursive_directory_iterator it(d, ec), end; !ec && it != end; it.increment(ec))
            if (it->path().filename() == file_name) return it->path().string();
    }
    return {};
}

const unsigned short* kiosk_glyph_ranges() {
    static const unsigned short ranges[] = {
        0x0020, 0x017F, // Basic Latin, Latin-1, Latin Extended-A (de, en, tr, pl)
        0x0400, 0x045F, // Cyrillic (ru, uk)
        0x0490, 0x0491, // Ґ ґ (uk)
        0x2010, 0x2026, // dashes, quotes „ “ ‚ ‘, bullet, ellipsis
        0x20AC, 0x20AC, // €
        0,
    };
    return ranges;
}

// The height ImGui sizes a font by - hhea ascender minus descender - in ems, read from the
// TrueType file (0 when it cannot be read). ImGui's size is that height in pixels, so a font
// with tall line metrics comes out with small letters: Noto Sans Arabic's is 2.11 em against
// Noto Sans' 1.36, and merged at the same size its letters were two thirds as high.
static double line_height_em(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    auto u16 = [&f](std::streamoff at) {
        unsigned char b[2] = {0, 0};
        f.seekg(at);
        f.read(reinterpret_cast<char*>(b), 2);
        return f ? uint16_t(b[0] << 8 | b[1]) : uint16_t(0);
    };
    auto u32 = [&](std::streamoff at) { return uint32_t(u16(at)) << 16 | u16(at + 2); };
    uint16_t tables = u16(4);
    uint32_t head = 0, hhea = 0;
    for (uint16_t i = 0; i < tables && i < 256 && f; ++i) {
        uint32_t tag = u32(12 + 16 * i), offset = u32(12 + 16 * i + 8);
        if (tag == 0x68656164) head = offset; // 'head'
        if (tag == 0x68686561) hhea = offset; // 'hhea'
    }
    if (!head || !hhea) return 0;
    double upem = u16(head + 18);
    double ascent = int16_t(u16(hhea + 4)), descent = int16_t(u16(hhea + 6));
    if (!f || upem <= 0 || ascent - descent <= 0) return 0;
    return (ascent - descent) / upem;
}

static std::vector<std::pair<const ImFont*, ArabicFace>> g_arabic_faces;

const ArabicFace* arabic_face(const ImFont* f) {
    for (const auto& [font, face] : g_arabic_faces)
        if (font == f) return &face;
    return nullptr;
}

bool fonts_outdated(const Fonts& f, const ReadingSettings& r, float dpi, bool rtl_script) {
    return f.built_scale != r.text_scale || f.built_easy != r.easy_font || f.built_dpi != dpi || f.built_rtl != rtl_script;
}

void build_fonts(Fonts& f, const ReadingSettings& r, float dpi, bool rtl_script) {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    g_arabic_faces.clear();
    Metrics m = compute_metrics(r.text_scale, dpi);
    std::string regular = find_font(r.easy_font ? "Andika-Regular.ttf" : "NotoSans-Regular.ttf");
    std::string bold = find_font(r.easy_font ? "Andika-Bold.ttf" : "NotoSans-Bold.ttf");
    if (regular.empty() && r.easy_font) regular = find_font("NotoSans-Regular.ttf");
    if (bold.empty()) bold = regular;
    ImFontConfig cfg;
    cfg.OversampleH = 1; // the atlas is built at the exact size: no sub-pixel copies needed
    cfg.OversampleV = 1;
    cfg.PixelSnapH = true;
    // No baked line textures: lines are drawn as geometry (apply_style), so every texel of the
    // atlas lands on exactly one pixel and the renderer can sample it nearest (render_gl.h).
    io.Fonts->Flags |= ImFontAtlasFlags_NoBakedLines;
    f.error.clear();
    if (regular.empty()) {
        f.error = "Noto Sans not found (package fonts-noto-core): using the built-in font";
        cfg.SizePixels = m.body;
        f.body = io.Fonts->AddFontDefault(&cfg);
        cfg.SizePixels = m.heading;
        f.heading = io.Fonts->AddFontDefault(&cfg);
        cfg.SizePixels = m.toolbar;
        f.toolbar = io.Fonts->AddFontDefault(&cfg);
    } else {
        const ImWchar* g = kiosk_glyph_ranges();
        // Arabic script from Noto Sans Arabic, merged into each font: ImGui takes a code point
        // from the first font of a merged set that has it, so Latin stays Noto Sans (or Andika).
        std::string ar_regular, ar_bold;
        if (rtl_script) {
            ar_regular = find_font("NotoSansArabic-Regular.ttf");
            if (ar_regular.empty()) ar_regular = find_font("NotoNaskhArabic-Regular.ttf");
            ar_bold = find_font("NotoSansArabic-Bold.ttf");
            if (ar_bold.empty()) ar_bold = ar_regular;
            if (ar_regular.empty())
                f.error = "Noto Sans Arabic not found (package fonts-noto-core): Arabic and Persian show as boxes";
        }
        auto add = [&](const std::string& file, const std::string& arabic, float size) {
            ImFont* font = io.Fonts->AddFontFromFileTTF(file.c_str(), size, &cfg, g);
            if (!arabic.empty()) {
                ImFontConfig merge = cfg;
                merge.MergeMode = true;
                // The same em as the Latin font: scaled by the ratio of their line heights.
                double latin = line_height_em(file), ar = line_height_em(arabic);
                float ar_size = latin > 0 && ar > 0 ? std::round(size * float(ar / latin)) : size;
                io.Fonts->AddFontFromFileTTF(arabic.c_str(), ar_size, &merge, bidi_glyph_ranges());
                // stb_truetype sizes by the line height, so an em is ar_size / that height.
                auto marks = ar > 0 ? open_mark_font(arabic) : nullptr;
                if (marks) g_arabic_faces.push_back({font, {marks, ar_size / float(ar)}});
            }
            return font;
        };
        f.body = add(regular, ar_regular, m.body);
        f.heading = add(bold, ar_bold, m.heading);
        f.toolbar = m.toolbar == m.body ? f.body : add(regular, ar_regular, m.toolbar);
    }
    io.Fonts->Build();
    io.FontDefault = f.body;
    f.built_scale = r.text_scale;
    f.built_easy = r.easy_font;
    f.built_dpi = dpi;
    f.built_rtl = rtl_script;
}

void apply_style(const Theme& t, const Metrics& m) {
    ImGuiStyle& s = ImGui::GetStyle();
    s = ImGuiStyle();
    auto C = [](uint32_t rgb, float a = 1.0f) {
        return ImGui::ColorConvertU32ToFloat4(to_imgui_color(rgb, int(a * 255)));
    };
    ImVec4* c = s.Colors;
    c[ImGuiCol_Text] = C(t.text);
    c[ImGuiCol_TextDisabled] = C(t.text_muted);
    c[ImGuiCol_WindowBg] = C(t.bg);
    c[ImGuiCol_ChildBg] = C(t.bg);
    c[ImGuiCol_PopupBg] = C(t.bg);
    c[ImGuiCol_Border] = C(t.option_border);
    c[ImGuiCol_FrameBg] = C(t.field_bg);
    c[ImGuiCol_FrameBgHovered] = C(t.field_bg);
    c[ImGuiCol_FrameBgActive] = C(t.field_bg);
    c[ImGuiCol_ScrollbarBg] = C(t.progress_track);
    c[ImGuiCol_ScrollbarGrab] = C(t.option_border);
    c[ImGuiCol_ScrollbarGrabHovered] = C(t.primary_bg);
    c[ImGuiCol_ScrollbarGrabActive] = C(t.primary_bg);
    c[ImGuiCol_Button] = C(t.secondary_bg);
    c[ImGuiCol_ButtonHovered] = C(t.secondary_hover_bg);
    c[ImGuiCol_ButtonActive] = C(t.secondary_hover_bg);
    c[ImGuiCol_PlotHistogram] = C(t.progress_fill);
    c[ImGuiCol_TextSelectedBg] = C(t.focus, 0.35f);
    c[ImGuiCol_NavHighlight] = C(t.focus);
    c[ImGuiCol_ModalWindowDimBg] = C(0x000000, 0.6f);
    s.WindowPadding = ImVec2(m.pad * 1.5f, m.pad);
    s.FramePadding = ImVec2(m.pad, m.pad);
    s.ItemSpacing = ImVec2(m.gap, m.gap);
    s.ItemInnerSpacing = ImVec2(m.gap * 0.5f, m.gap * 0.5f);
    s.ScrollbarSize = std::max(24.0f * m.dpi, m.body * 0.9f); // touchable scroll bar
    s.GrabMinSize = s.ScrollbarSize;
    s.FrameBorderSize = std::max(2.0f, m.body / 12.0f);
    s.WindowBorderSize = 0;
    s.AntiAliasedLinesUseTex = false; // see build_fonts: the atlas is sampled nearest
    s.ChildBorderSize = 0;
    s.FrameRounding = m.pad * 0.5f;
    s.WindowRounding = 0;
    s.ScrollbarRounding = 0;
}

} // namespace tk
