// widgets.cpp - the respondent screens' controls, drawn with Dear ImGui 1.86.
//
//   set_page_rtl, layout_text,       the page's direction; text shaped, wrapped and aligned
//   draw_text_block                  for it (Arabic, Persian) or ImGui's own path
//   reveal_rows, note_control_rect   scrolling into view, the named rectangles of controls
//   focus_ring                       the keyboard focus ring (and Enter on it)
//   fill_framed, draw_label_centred  a target's filled frame and its centred label
//   big_button, option_row           buttons and whole-row choices (touch targets >= 48 px)
//   wrapped, heading                 wrapped text in a theme colour, a page heading
//   text_field, draw_field_text      a text field bound to a field id, with "Tastatur"; the
//                                    shaped text over ImGui's invisible one
#include "screen_draw.h"
#include "render_gl.h"
#include "text.h" // next_codepoint

#include <GLFW/glfw3.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cfloat>
#include <cmath>

namespace tk {

static bool g_page_rtl = false;
static float g_text_right = 0;
void set_page_rtl(bool rtl) { g_page_rtl = rtl; }
bool page_rtl() { return g_page_rtl; }
void set_text_right_edge(float x) { g_text_right = x; }

TextBlock layout_text(ImFont* f, float fs, const std::string& s, float wrap_width) {
    TextBlock b;
    if (!g_page_rtl && !has_rtl_chars(s)) {
        b.size = f->CalcTextSizeA(fs, FLT_MAX, wrap_width, s.c_str());
        return b;
    }
    b.plain = false;
    const float k = fs / f->FontSize;
    const ArabicFace* face = arabic_face(f);
    b.lines = bidi_lines(
        s, g_page_rtl, wrap_width,
        [f, k](char32_t ch) { return (ch <= 0xFFFF ? f->GetCharAdvance(ImWchar(ch)) : f->FallbackAdvanceX) * k; },
        face ? face->marks.get() : nullptr);
    for (const BidiLine& l : b.lines) b.size.x = std::max(b.size.x, l.width);
    b.size.y = fs * float(b.lines.size());
    return b;
}

void draw_text_block(ImDrawList* dl, ImFont* f, float fs, ImVec2 pos, float box_width, const TextBlock& b,
                     const std::string& s, float wrap_width, ImU32 color) {
    if (b.plain) {
        dl->AddText(f, fs, pos, color, s.c_str(), nullptr, wrap_width);
        return;
    }
    float y = pos.y;
    const float k = fs / f->FontSize;
    const ArabicFace* face = arabic_face(f);
    for (const BidiLine& l : b.lines) {
        float x = std::round(g_page_rtl ? pos.x + box_width - l.width : pos.x);
        if (!l.visual.empty()) dl->AddText(f, fs, ImVec2(x, y), color, l.visual.c_str());
        if (l.marks.empty() || !face || y > dl->GetClipRectMax().y || y + 2 * fs < dl->GetClipRectMin().y) {
            y += fs; // no marks, or a line out of view (AddText drew nothing of it either)
            continue;
        }
        // Each mark on its letter: the letter's pen position as AddText advanced to it, then
        // the offset from the font's anchors (in ems, y up).
        const float em = face->em_px * k;
        float pen = x;
        size_t at = 0;
        dl->PushTextureID(f->ContainerAtlas->TexID);
        for (const PlacedMark& m : l.marks) {
            while (at < m.base && at < l.visual.size()) {
                uint32_t cp = 0;
                size_t n = next_codepoint(l.visual, at, &cp);
                if (n == 0) break; // bidi_lines writes valid UTF-8; never loop on a bad byte
                pen += (cp <= 0xFFFF ? f->GetCharAdvance(ImWchar(cp)) : f->FallbackAdvanceX) * k;
                at += n;
            }
            if (m.cp <= 0xFFFF) f->RenderChar(dl, fs, ImVec2(pen + m.dx * em, y - m.dy * em), color, ImWchar(m.cp));
        }
        dl->PopTextureID();
        y += fs;
    }
}

// Scrolls the window being drawn the least distance that shows y0..y1 (from next frame on).
// Taller than the page: its top goes to the top, where the reading starts.
void reveal_rows(float y0, float y1, float margin) {
    ImGuiWindow* w = GImGui->CurrentWindow;
    const ImRect& clip = w->ClipRect;
    float d = 0;
    if (y0 < clip.Min.y || y1 - y0 > clip.GetHeight()) d = y0 - margin - clip.Min.y;
    else if (y1 > clip.Max.y) d = std::min(y1 + margin - clip.Max.y, y0 - margin - clip.Min.y);
    if (d != 0) ImGui::SetScrollY(w, std::max(0.0f, w->Scroll.y + d));
}

// Notes in ui.rects where the control just drawn is visible this frame (the part inside the
// scrolled page), under `name`: the layout dump and the tests click by these names.
// At large text a control moved to by keyboard may lie below the page's edge: it is
// scrolled into view (only then: a person scrolling with finger or wheel keeps their place).
void note_control_rect(ScreenDraw& c, const std::string& name) {
    ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    const ImRect& clip = GImGui->CurrentWindow->ClipRect;
    const bool ring = c.ring;
    c.ring = false;
    if ((ring && c.ui.reveal_focus > 0) || (!c.ui.reveal.empty() && c.ui.reveal == name)) {
        reveal_rows(a.y, b.y, c.m.focus_width * 2);
        if (c.ui.reveal == name) c.ui.reveal.clear();
    }
    if (ring) {
        c.ui.focused = name;
        c.ui.focused_visible = a.y >= clip.Min.y - 0.5f && b.y <= clip.Max.y + 0.5f;
    }
    float y0 = std::max(a.y, clip.Min.y), y1 = std::min(b.y, clip.Max.y);
    if (y1 - y0 >= std::min(b.y - a.y, 24.0f)) c.ui.rects[name] = {a.x, y0, b.x, y1};
}

// Keyboard focus is shown as a thick ring in the theme's focus colour (WCAG 2.4.7), and
// Enter on a focused control presses it (not on text fields: there Enter means "next").
// ImGui may put focus on a page's first control by itself; until the person moves it with
// Tab or the arrows, Enter keeps meaning "next" (keypad users never see a ring they did not ask for).
bool focus_ring(ScreenDraw& c, bool enter_presses) {
    c.ring = false;
    if (!c.ui.focus_moved || !ImGui::IsItemFocused() || GImGui->NavDisableHighlight) return false;
    float w = c.m.focus_width;
    ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    ImGui::GetWindowDrawList()->AddRect(ImVec2(a.x - w * 0.5f, a.y - w * 0.5f), ImVec2(b.x + w * 0.5f, b.y + w * 0.5f),
                                        col(c.th.focus), c.m.pad * 0.5f, 0, w);
    c.ring = true;
    if (enter_presses && !ImGui::GetIO().WantTextInput &&
        (ImGui::IsKeyPressed(GLFW_KEY_ENTER, false) || ImGui::IsKeyPressed(GLFW_KEY_KP_ENTER, false))) {
        c.enter_used = true;
        return true;
    }
    return false;
}

void fill_framed(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 bg, ImU32 border, float rounding, float fs) {
    fill_opaque(dl, a, b, bg, rounding);
    dl->AddRect(a, b, border, rounding, 0, std::max(2.0f, fs / 12.0f));
}

void draw_label_centred(ImDrawList* dl, ImFont* f, float fs, float x0, float box_width, float pad, float y,
                        const TextBlock& tb, const std::string& s, float wrap, ImU32 color) {
    float tx = tb.size.x < wrap ? x0 + (box_width - tb.size.x) * 0.5f : x0 + pad;
    draw_text_block(dl, f, fs, ImVec2(tx, y), std::min(tb.size.x, wrap), tb, s, wrap, color);
}

bool big_button(ScreenDraw& c, const std::string& name, const std::string& label, ButtonKind kind, float width,
                ImFont* font) {
    if (font) ImGui::PushFont(font);
    ImFont* f = ImGui::GetFont();
    float fs = ImGui::GetFontSize();
    float pad = std::round(fs * 0.35f);
    float wrap = std::max(10.0f, width - 2 * pad);
    TextBlock tb = layout_text(f, fs, label, wrap);
    ImVec2 ts = tb.size;
    // At least 48 px (at 96 dpi), else one line of this button's font plus padding.
    float h = std::max(std::max(48.0f * c.m.dpi, fs + 2 * pad), ts.y + 2 * pad);
    ImVec2 pos = ImGui::GetCursorScreenPos();
    ImGui::PushID(name.c_str());
    bool pressed = ImGui::InvisibleButton("##b", ImVec2(width, h));
    bool hovered = ImGui::IsItemHovered();
    uint32_t bg, fg;
    if (kind == ButtonKind::Primary) {
        bg = hovered ? c.th.primary_hover_bg : c.th.primary_bg;
        fg = c.th.primary_text;
    } else {
        bg = hovered ? c.th.secondary_hover_bg : c.th.secondary_bg;
        fg = c.th.secondary_text;
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 end(pos.x + width, pos.y + h);
    fill_framed(dl, pos, end, col(bg), col(kind == ButtonKind::Primary ? c.th.primary_bg : c.th.option_border),
                c.m.pad * 0.5f, fs);
    draw_label_centred(dl, f, fs, pos.x, width, pad, pos.y + (h - ts.y) * 0.5f, tb, label, wrap, col(fg));
    if (focus_ring(c)) pressed = true;
    note_control_rect(c, name);
    ImGui::PopID();
    if (font) ImGui::PopFont();
    return pressed;
}

// A whole clickable row: marker, number, wrapped text. Selected rows invert their colours
// and show a filled marker, so the choice is visible without relying on colour alone.
bool option_row(ScreenDraw& c, const std::string& name, int number, const std::string& label, bool selected, RowMarker mk,
                float width, const std::string& badge) {
    float fs = ImGui::GetFontSize();
    ImFont* f = ImGui::GetFont();
    float pad = c.m.pad;
    float marker = std::round(fs * 0.8f);
    std::string num = number > 0 ? std::to_string(number) : "";
    float num_w = ImGui::CalcTextSize("9").x * 1.6f;
    float text_x = pad + (mk != RowMarker::None ? marker + pad : 0) + (num.empty() ? 0 : num_w);
    float wrap = std::max(10.0f, width - text_x - pad);
    TextBlock tb = layout_text(f, fs, label, wrap);
    ImVec2 ts = tb.size;
    float h = std::max(c.m.target, ts.y + 2 * pad);
    ImVec2 pos = ImGui::GetCursorScreenPos();
    ImGui::PushID(name.c_str());
    bool pressed = ImGui::InvisibleButton("##o", ImVec2(width, h));
    bool hovered = ImGui::IsItemHovered();
    uint32_t bg = selected ? c.th.option_sel_bg : hovered ? c.th.option_hover_bg : c.th.option_bg;
    uint32_t fg = selected ? c.th.option_sel_text : c.th.text;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 end(pos.x + width, pos.y + h);
    float bw = std::max(2.0f, fs / 12.0f);
    fill_framed(dl, pos, end, col(bg), col(selected ? c.th.option_sel_bg : c.th.option_border), pad * 0.5f, fs);
    float ty = ts.y + 2 * pad > h ? pos.y + pad : pos.y + (h - ts.y) * 0.5f;
    // Left to right: marker, number, text. Right to left the row mirrors: the marker at the
    // right edge, the number left of it, the text aligned right before the number.
    const bool rtl = g_page_rtl;
    float x = pos.x + pad;
    float xr = end.x - pad; // right to left: where the next piece ends
    if (mk != RowMarker::None) {
        // The marker sits on the row's colours: drawn in the text colour of the row.
        float r = marker * 0.5f;
        ImVec2 mc(rtl ? xr - r : x + r, ty + fs * 0.5f); // centred on the first line
        c.ui.parts[name + "/marker"] = {mc.x - r, mc.y - r, mc.x + r, mc.y + r};
        if (mk == RowMarker::Radio) {
            dl->AddCircle(mc, r, col(fg), 24, bw);
            if (selected) dl->AddCircleFilled(mc, r * 0.55f, col(fg), 24);
        } else {
            dl->AddRect(ImVec2(mc.x - r, mc.y - r), ImVec2(mc.x + r, mc.y + r), col(fg), 0, 0, bw);
            if (selected) {
                if (!badge.empty()) {
                    ImVec2 bs = ImGui::CalcTextSize(badge.c_str());
                    dl->AddText(ImVec2(mc.x - bs.x * 0.5f, mc.y - bs.y * 0.5f), col(fg), badge.c_str());
                } else {
                    dl->AddLine(ImVec2(mc.x - r * 0.6f, mc.y), ImVec2(mc.x - r * 0.15f, mc.y + r * 0.5f), col(fg), bw * 1.5f);
                    dl->AddLine(ImVec2(mc.x - r * 0.15f, mc.y + r * 0.5f), ImVec2(mc.x + r * 0.65f, mc.y - r * 0.55f),
                                col(fg), bw * 1.5f);
                }
            }
        }
        x += marker + pad;
        xr -= marker + pad;
    }
    if (!num.empty()) {
        if (rtl) dl->AddText(f, fs, ImVec2(xr - ImGui::CalcTextSize(num.c_str()).x, ty), col(fg), num.c_str());
        else dl->AddText(f, fs, ImVec2(x, ty), col(fg), num.c_str());
        x += num_w;
        xr -= num_w;
    }
    if (rtl) x = xr - wrap;
    draw_text_block(dl, f, fs, ImVec2(x, ty), wrap, tb, label, wrap, col(fg));
    c.ui.parts[name + "/text"] = {rtl ? xr - ts.x : x, ty, rtl ? xr : x + ts.x, ty + ts.y};
    if (focus_ring(c)) pressed = true;
    note_control_rect(c, name);
    ImGui::PopID();
    return pressed;
}

void wrapped(const std::string& s, uint32_t color) {
    if (s.empty()) return;
    if (g_page_rtl || has_rtl_chars(s)) {
        // Shaped and reordered per line; the block is as wide as the wrap width, so its lines
        // end at the right edge where a right-to-left reader starts.
        ImGuiWindow* w = GImGui->CurrentWindow;
        ImVec2 pos = ImGui::GetCursorScreenPos();
        float wrap_w = ImGui::CalcWrapWidthForPos(pos, w->DC.TextWrapPos > 0 ? w->DC.TextWrapPos : 0.0f);
        if (g_text_right > pos.x) wrap_w = std::min(wrap_w, g_text_right - pos.x);
        ImFont* f = ImGui::GetFont();
        float fs = ImGui::GetFontSize();
        TextBlock b = layout_text(f, fs, s, wrap_w);
        draw_text_block(ImGui::GetWindowDrawList(), f, fs, pos, wrap_w, b, s, wrap_w, col(color));
        ImGui::Dummy(ImVec2(g_page_rtl ? wrap_w : b.size.x, b.size.y));
        if (GImGui->LogEnabled) ImGui::LogText("%s\n", s.c_str()); // the logical text, for the tests' frame_text
        return;
    }
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(col(color)));
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(s.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
}

void heading(ScreenDraw& c, const std::string& s) {
    ImGui::PushFont(c.ui.fonts.heading);
    wrapped(s, c.th.text);
    ImGui::PopFont();
}

static int resize_cb(ImGuiInputTextCallbackData* d) {
    if (d->EventFlag == ImGuiInputTextFlags_CallbackResize) {
        auto* s = static_cast<std::string*>(d->UserData);
        s->resize(static_cast<size_t>(d->BufTextLen));
        d->Buf = s->data();
    }
    return 0;
}

void draw_field_text(const std::string& text, bool active, ImU32 color) {
    ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    ImVec2 pad = ImGui::GetStyle().FramePadding;
    ImFont* f = ImGui::GetFont();
    const float fs = ImGui::GetFontSize(), k = fs / f->FontSize;
    const float box_x = a.x + pad.x, box_w = std::max(1.0f, b.x - a.x - 2 * pad.x);
    auto advance = [f, k](char32_t ch) {
        return (ch <= 0xFFFF ? f->GetCharAdvance(ImWchar(ch)) : f->FallbackAdvanceX) * k;
    };
    TextBlock tb = layout_text(f, fs, text, 0);
    float shift = 0, caret_x = -1, caret_y = 0;
    ImGuiInputTextState* st = active ? ImGui::GetInputTextState(GImGui->ActiveId) : nullptr;
    if (st && !tb.plain) {
        int cur = std::clamp(st->Stb.cursor, 0, st->CurLenW);
        size_t at = size_t(ImTextCountUtf8BytesFromStr(st->TextW.Data, st->TextW.Data + cur));
        BidiCaret cr = bidi_caret(text, g_page_rtl, 0, advance, at);
        if (cr.line < tb.lines.size()) {
            const BidiLine& l = tb.lines[cr.line];
            caret_x = (g_page_rtl ? box_x + box_w - l.width : box_x) + cr.x;
            caret_y = a.y + pad.y + fs * float(cr.line);
            if (caret_x < box_x) shift = box_x - caret_x;
            else if (caret_x > box_x + box_w) shift = box_x + box_w - caret_x;
        }
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->PushClipRect(a, b, true);
    draw_text_block(dl, f, fs, ImVec2(box_x + shift, a.y + pad.y), box_w, tb, text, 0, color);
    if (caret_x >= 0) {
        float x = std::round(caret_x + shift);
        dl->AddLine(ImVec2(x, caret_y), ImVec2(x, caret_y + fs), color, std::max(1.0f, fs / 16.0f));
    }
    dl->PopClipRect();
}

// A text field bound to a field id (see edit_field). Physical keyboard types into it; the
// "Tastatur" button opens the on-screen keyboard for touch-only kiosks.
void text_field(ScreenDraw& c, const std::string& field, const std::string& label, bool multiline, bool numeric,
                float width) {
    if (!label.empty()) wrapped(label, c.th.text);
    std::string text = field_text(c.app, field);
    std::string kb = kiosk_text(c.app, "keyboard");
    float kb_w = ImGui::CalcTextSize(kb.c_str()).x + 3 * c.m.pad;
    bool side = width - kb_w - c.m.gap > c.m.body * 8;
    float fw = side ? width - kb_w - c.m.gap : width;
    ImGui::PushID(field.c_str());
    // Arabic or Persian in the field, or a right-to-left page: ImGui edits the text (keys,
    // cursor, selection) but draws it invisibly, and the text is drawn over it shaped, in
    // visual order and with its own cursor (draw_field_text).
    const bool shaped = g_page_rtl || has_rtl_chars(text);
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(col(c.th.field_text, shaped ? 0 : 255)));
    if (shaped) ImGui::PushStyleColor(ImGuiCol_TextSelectedBg, ImVec4(0, 0, 0, 0));
    ImGui::PushStyleColor(ImGuiCol_Border, ImGui::ColorConvertU32ToFloat4(col(c.th.field_border)));
    ImGuiInputTextFlags fl = ImGuiInputTextFlags_CallbackResize;
    if (numeric) fl |= ImGuiInputTextFlags_CharsDecimal;
    // Enter leaves a multi-line field too (then Enter again = next): a keypad user must
    // never be trapped. A new line is Ctrl+Enter.
    if (multiline) fl |= ImGuiInputTextFlags_CtrlEnterForNewLine;
    text.reserve(text.size() + 16);
    if (c.want_focus || c.ui.focus_field == field) {
        // Tab moved here: the ring shows where typing goes, even after a mouse was used.
        if (c.ui.focus_field == field) GImGui->NavDisableHighlight = false;
        ImGui::SetKeyboardFocusHere();
        c.want_focus = false;
        c.ui.focus_field.clear();
    }
    // Tab between fields is ours (see question_page): ImGui 1.86 does not tab out of a
    // child window's field reliably.
    ImGui::PushItemFlag(ImGuiItemFlags_NoTabStop, true);
    bool edited;
    if (multiline)
        edited = ImGui::InputTextMultiline("##t", text.data(), text.capacity() + 1, ImVec2(fw, c.m.body * 4.5f + 2 * c.m.pad),
                                           fl, resize_cb, &text);
    else {
        ImGui::SetNextItemWidth(fw);
        edited = ImGui::InputText("##t", text.data(), text.capacity() + 1, fl,
                                  resize_cb, &text);
    }
    ImGui::PopItemFlag();
    if (ImGui::IsItemActive()) c.active_field = int(c.fields.size());
    c.fields.push_back(field);
    ImGui::PopStyleColor(shaped ? 3 : 2);
    if (shaped) draw_field_text(text.c_str(), ImGui::IsItemActive(), col(c.th.field_text));
    // Typing shows what is typed: a field below the page's edge (the page opened at its
    // question) comes into view with the first character.
    if (edited) c.ui.reveal = "field/" + field;
    focus_ring(c, false);
    note_control_rect(c, "field/" + field);
    if (edited) edit_field(c.app, field, std::string(text.c_str()));
    if (side) ImGui::SameLine(0, c.m.gap);
    // Tab skips the on-screen keyboard button: whoever uses Tab has a real keyboard.
    ImGui::PushItemFlag(ImGuiItemFlags_NoTabStop, true);
    if (big_button(c, "keyboard/" + field, kb, ButtonKind::Secondary, kb_w)) {
        c.app.page.osk_field = field;
        c.app.page.osk_shift = false;
        ImGui::ClearActiveID();
    }
    ImGui::PopItemFlag();
    ImGui::PopID();
}

} // namespace tk
