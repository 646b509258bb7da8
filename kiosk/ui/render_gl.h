// render_gl.h - the choices the kiosk makes around Dear ImGui's OpenGL backends, in one place.
//
// A library kiosk has no graphics card worth the name: Mesa's llvmpipe draws every pixel on
// the CPU, and at 300 % text on a 1920x1080 screen the pixels are the whole cost of a frame.
// Three choices make each pixel cheaper and leave the picture as it was (text to the pixel;
// see fill_opaque for a few corner pixels):
//   - the window has colour only: no depth, stencil or alpha buffer (nothing uses them, and
//     llvmpipe drops a screen tile's earlier work when an opaque fill covers it only when
//     there is no depth buffer; 8-9 MB less memory, too);
//   - the font atlas is sampled nearest, not bilinear: one texel read a pixel instead of four.
//     The atlas maps texels 1:1 to pixels (style.cpp builds it at the exact size, without
//     oversampling, glyphs snapped to whole pixels, and lines drawn as geometry instead of
//     from baked line textures), so the two filters give the same picture;
//   - big opaque fills (option rows, buttons) are drawn without blending: see fill_opaque.
// tests/bench (`bench kiosk`) measures the frames; kiosk/KIOSK.md has the figures.
#pragma once

#include <imgui.h>

namespace tk {

// Window hints for glfwCreateWindow: a colour-only framebuffer.
void request_colour_only_framebuffer();

// (Re)creates the font atlas texture after build_fonts, samples it nearest, and frees the
// CPU copy of the pixels. gl3: the OpenGL 3 backend is in use, else the OpenGL 2 one.
void upload_font_texture(bool gl3);

// Lets fill_opaque switch blending off and on in the middle of ImGui's draw lists (on), or
// makes it a plain blended fill (off, the default: the headless tests draw without GL).
void use_opaque_fills(bool on);

// A filled rectangle the renderer draws without blending when its colour is opaque: the
// rasteriser then skips reading the pixels under it. Its edge is not anti-aliased, so the
// caller strokes a border of at least 2 px over the edge (every caller does: the row or
// button outline). With borders of 3 px and more (150 % text and up) the pixels are those of
// a blended, anti-aliased fill; thinner borders (100 % text) differ in a few anti-aliased
// pixels at each rounded corner, by at most 28 of 255 in one colour channel.
void fill_opaque(ImDrawList* dl, const ImVec2& a, const ImVec2& b, ImU32 col, float rounding);

// The two draw-list callbacks fill_opaque puts around its fill, in this order (named so the
// tests can check the order: swapped, everything after a fill would be drawn unblended).
void blend_off_callback(const ImDrawList*, const ImDrawCmd*);
void blend_on_callback(const ImDrawList*, const ImDrawCmd*);

} // namespace tk
