// render_gl.cpp - see render_gl.h.
#include "render_gl.h"

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_opengl2.h>
#include <backends/imgui_impl_opengl3.h>

#include <cstdint>

namespace tk {

namespace {

ImDrawCallback g_blend_off = nullptr;
ImDrawCallback g_blend_on = nullptr;

} // namespace

void blend_off_callback(const ImDrawList*, const ImDrawCmd*) { glDisable(GL_BLEND); }
void blend_on_callback(const ImDrawList*, const ImDrawCmd*) { glEnable(GL_BLEND); }

void request_colour_only_framebuffer() {
    glfwWindowHint(GLFW_DEPTH_BITS, 0);
    glfwWindowHint(GLFW_STENCIL_BITS, 0);
    glfwWindowHint(GLFW_ALPHA_BITS, 0);
}

void upload_font_texture(bool gl3) {
    if (gl3) {
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        ImGui_ImplOpenGL3_CreateFontsTexture();
    } else {
        ImGui_ImplOpenGL2_DestroyFontsTexture();
        ImGui_ImplOpenGL2_CreateFontsTexture();
    }
    ImGuiIO& io = ImGui::GetIO();
    GLint last = 0;
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &last);
    glBindTexture(GL_TEXTURE_2D, GLuint(reinterpret_cast<intptr_t>(io.Fonts->TexID)));
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glBindTexture(GL_TEXTURE_2D, GLuint(last));
    io.Fonts->ClearTexData(); // the GPU has the pixels; free the CPU copy
}

void use_opaque_fills(bool on) {
    g_blend_off = on ? blend_off_callback : nullptr;
    g_blend_on = on ? blend_on_callback : nullptr;
}

void fill_opaque(ImDrawList* dl, const ImVec2& a, const ImVec2& b, ImU32 col, float rounding) {
    const bool opaque = ((col >> IM_COL32_A_SHIFT) & 0xFF) == 0xFF;
    if (!g_blend_off || !opaque) {
        dl->AddRectFilled(a, b, col, rounding);
        return;
    }
    // Both backends set their GL state once per frame and then change only scissor and
    // texture per command (a callback runs even when its command is clipped away), so the
    // glDisable holds until the matching glEnable; at the end they restore the caller's state.
    dl->AddCallback(g_blend_off, nullptr);
    const ImDrawListFlags flags = dl->Flags;
    dl->Flags &= ~ImDrawListFlags_AntiAliasedFill; // a fringe needs blending; the border covers the edge
    dl->AddRectFilled(a, b, col, rounding);
    dl->Flags = flags;
    dl->AddCallback(g_blend_on, nullptr);
}

} // namespace tk
