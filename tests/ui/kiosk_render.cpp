// kiosk_render.cpp - the renderer's assumptions (kiosk/render_gl.h), checked without a window:
// the font atlas maps texels 1:1 to pixels, so sampling it nearest draws the same text as
// sampling it bilinear; and fill_opaque brackets its fill with blend-off/blend-on callbacks
// only where that gives the same pixels.
#include <doctest/doctest.h>

#include <imgui_internal.h>

#include <cmath>

#include "kiosk_harness.h"
#include "render_gl.h"

using tkt::Harness;

namespace {

bool whole(float v) { return std::fabs(v - std::round(v)) < 1e-3f; }

struct FillCounts {
    int callbacks = 0;
    int vertices = 0;
    bool fill_between_callbacks = false;
};

FillCounts draw_one_fill(ImU32 col) {
    ImDrawList dl(ImGui::GetDrawListSharedData());
    dl._ResetForNewFrame();
    dl.Flags = ImDrawListFlags_AntiAliasedLines | ImDrawListFlags_AntiAliasedFill;
    dl.PushClipRectFullScreen();
    dl.PushTextureID(ImGui::GetIO().Fonts->TexID);
    tk::fill_opaque(&dl, ImVec2(10, 10), ImVec2(400, 90), col, 8.0f);
    CHECK((dl.Flags & ImDrawListFlags_AntiAliasedFill) != 0); // restored for what follows
    FillCounts n;
    n.vertices = dl.VtxBuffer.Size;
    int seen = 0;
    for (const ImDrawCmd& c : dl.CmdBuffer) {
        if (c.UserCallback) ++seen;
        else if (c.ElemCount > 0 && seen == 1) n.fill_between_callbacks = true;
    }
    n.callbacks = seen;
    return n;
}

} // namespace

TEST_CASE("renderer: the font atlas maps texels 1:1 to pixels, so nearest sampling changes no pixel") {
    Harness h;
    for (int scale : {100, 300}) {
        CAPTURE(scale);
        tk::set_text_scale(h.app, scale);
        h.frames(2);
        const ImFontAtlas* atlas = ImGui::GetIO().Fonts;
        // Lines come from geometry, not from baked line textures sampled between texels.
        CHECK((atlas->Flags & ImFontAtlasFlags_NoBakedLines) != 0);
        CHECK_FALSE(ImGui::GetStyle().AntiAliasedLinesUseTex);
        for (const ImFontConfig& cfg : atlas->ConfigData) {
            CHECK(cfg.OversampleH == 1);
            CHECK(cfg.OversampleV == 1);
            CHECK(cfg.PixelSnapH);
        }
        // Every glyph sits on whole pixels and starts on a texel edge.
        for (ImFont* font : {h.ui.fonts.body, h.ui.fonts.heading}) {
            REQUIRE(font != nullptr);
            CHECK(whole(font->FontSize));
            int checked = 0;
            unsigned first_bad = 0;
            for (const ImFontGlyph& g : font->Glyphs) {
                if (!g.Visible) continue;
                ++checked;
                if (!first_bad && !(whole(g.X0) && whole(g.Y0) && whole(g.X1) && whole(g.Y1) && whole(g.AdvanceX) &&
                                    whole(g.U0 * float(atlas->TexWidth)) && whole(g.V0 * float(atlas->TexHeight))))
                    first_bad = g.Codepoint;
            }
            CAPTURE(first_bad); // the first glyph off whole pixels or texels, as a code point
            CHECK(first_bad == 0u);
            CHECK(checked > 300); // Latin, Cyrillic and the rest, not an empty font
        }
    }
}

TEST_CASE("fill_opaque: blending off only around an opaque fill, and only with the GL renderer") {
    Harness h;
    const ImU32 opaque = IM_COL32(0xEE, 0xF2, 0xF7, 0xFF);

    tk::use_opaque_fills(false); // the headless default: a plain anti-aliased fill
    FillCounts plain = draw_one_fill(opaque);
    CHECK(plain.callbacks == 0);

    tk::use_opaque_fills(true);
    FillCounts fast = draw_one_fill(opaque);
    CHECK(fast.callbacks == 2);
    CHECK(fast.fill_between_callbacks);
    // No anti-aliased fringe: a fringe is drawn with alpha 0 at its outer edge, which would
    // show as a hard edge without blending. The caller's border covers the edge instead.
    CHECK(fast.vertices < plain.vertices);

    // A translucent colour needs the pixels below: blended, with its fringe.
    FillCounts translucent = draw_one_fill(IM_COL32(0xEE, 0xF2, 0xF7, 0x80));
    CHECK(translucent.callbacks == 0);
    CHECK(translucent.vertices == plain.vertices);
    tk::use_opaque_fills(false);
}
