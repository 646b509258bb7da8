// kiosk_render.cpp - the renderer's assumptions (kiosk/render_gl.h), checked on real frames
// without a window: glyphs are drawn texel for pixel, so sampling the atlas nearest draws the
// same text as sampling it bilinear; and fill_opaque brackets its fill with blend-off/blend-on
// callbacks, in that order, only for opaque colours and only with the GL renderer.
#include <doctest/doctest.h>

#include <imgui_internal.h>

#include <cmath>
#include <vector>

#include "kiosk_harness.h"
#include "render_gl.h"

using tkt::Harness;

namespace {

bool whole(float v) { return std::fabs(v - std::round(v)) < 1e-3f; }

struct FillCounts {
    int callbacks = 0;
    int vertices = 0;
    bool fill_between_callbacks = false;
    bool off_then_on = false; // blending off before the fill, back on after it
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
    std::vector<ImDrawCallback> order;
    for (const ImDrawCmd& c : dl.CmdBuffer) {
        if (c.UserCallback) {
            ++seen;
            order.push_back(c.UserCallback);
        } else if (c.ElemCount > 0 && seen == 1) {
            n.fill_between_callbacks = true;
        }
    }
    n.callbacks = seen;
    n.off_then_on = order.size() == 2 && order[0] == tk::blend_off_callback && order[1] == tk::blend_on_callback;
    return n;
}

} // namespace

TEST_CASE("renderer: glyphs are drawn texel for pixel, so nearest sampling changes no pixel") {
    Harness h;
    tk::start_survey(h.app, h.now);
    tk::begin_questions(h.app); // a question page: heading, body and toolbar fonts, many glyphs
    struct Case {
        int scale;
        bool easy;
        float dpi;
    };
    for (Case k : {Case{100, false, 1.0f}, Case{300, false, 1.0f}, Case{150, true, 1.0f}, Case{200, false, 1.25f},
                   Case{300, true, 1.25f}}) {
        CAPTURE(k.scale);
        CAPTURE(k.easy);
        CAPTURE(k.dpi);
        h.ui.dpi = k.dpi;
        h.app.reading.easy_font = k.easy;
        tk::set_text_scale(h.app, k.scale);
        h.frames(2);
        REQUIRE(h.app.screen == tk::Screen::Question);
        const ImFontAtlas* atlas = ImGui::GetIO().Fonts;
        // Lines come from geometry, not from baked line textures sampled between texels.
        CHECK((atlas->Flags & ImFontAtlasFlags_NoBakedLines) != 0);
        CHECK_FALSE(ImGui::GetStyle().AntiAliasedLinesUseTex);
        for (const ImFontConfig& cfg : atlas->ConfigData) {
            CHECK(cfg.OversampleH == 1);
            CHECK(cfg.OversampleV == 1);
            CHECK(cfg.PixelSnapH);
        }
        // What is drawn: every textured vertex (a glyph corner, or where a clip edge cut a
        // glyph) sits on a whole pixel and on a texel edge, and every glyph quad is as many
        // pixels wide and high as it spans texels: one texel a pixel, nothing between texels.
        const ImDrawData* dd = ImGui::GetDrawData();
        REQUIRE(dd != nullptr);
        const ImVec2 white = atlas->TexUvWhitePixel;
        const float tw = float(atlas->TexWidth), th = float(atlas->TexHeight);
        int glyph_vertices = 0, off_grid = 0, stretched = 0;
        for (int l = 0; l < dd->CmdListsCount; ++l) {
            const ImDrawList* dl = dd->CmdLists[l];
            for (const ImDrawCmd& cmd : dl->CmdBuffer) {
                if (cmd.UserCallback) continue;
                for (unsigned e = 0; e + 2 < cmd.ElemCount; e += 3) {
                    const ImDrawVert* v[3];
                    for (int i = 0; i < 3; ++i) v[i] = &dl->VtxBuffer[cmd.VtxOffset + dl->IdxBuffer[cmd.IdxOffset + e + i]];
                    if (v[0]->uv.x == white.x && v[0]->uv.y == white.y) continue; // a solid fill
                    for (const ImDrawVert* p : v) {
                        ++glyph_vertices;
                        if (!(whole(p->pos.x) && whole(p->pos.y) && whole(p->uv.x * tw) && whole(p->uv.y * th))) ++off_grid;
                    }
                    // Position and texel distances agree along both edges of the triangle.
                    for (int i = 1; i < 3; ++i) {
                        float dx = v[i]->pos.x - v[0]->pos.x, du = (v[i]->uv.x - v[0]->uv.x) * tw;
                        float dy = v[i]->pos.y - v[0]->pos.y, dv = (v[i]->uv.y - v[0]->uv.y) * th;
                        if (std::fabs(dx - du) > 1e-2f || std::fabs(dy - dv) > 1e-2f) ++stretched;
                    }
                }
            }
        }
        CHECK(glyph_vertices > 600); // a page of text was drawn, not an empty frame
        CHECK(off_grid == 0);
        CHECK(stretched == 0);
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
    CHECK(fast.off_then_on); // swapped, every glyph after a row would be drawn unblended
    // No anti-aliased fringe: a fringe is drawn with alpha 0 at its outer edge, which would
    // show as a hard edge without blending. The caller's border covers the edge instead.
    CHECK(fast.vertices < plain.vertices);

    // A translucent colour needs the pixels below: blended, with its fringe.
    FillCounts translucent = draw_one_fill(IM_COL32(0xEE, 0xF2, 0xF7, 0x80));
    CHECK(translucent.callbacks == 0);
    CHECK(translucent.vertices == plain.vertices);
    tk::use_opaque_fills(false);
}
