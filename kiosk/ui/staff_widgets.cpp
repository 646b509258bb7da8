// staff_widgets.cpp - see staff_widgets.h.
#include "staff_widgets.h"

#include "bidi_text.h"
#include "screen_draw.h" // layout_text, draw_text_block

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>

namespace tk {

const char* const kKeysGermanLower[4] = {"1234567890ß", "qwertzuiopü", "asdfghjklöä", "yxcvbnm,.-"};
const char* const kKeysGermanUpper[4] = {"1234567890?", "QWERTZUIOPÜ", "ASDFGHJKLÖÄ", "YXCVBNM;:_"};

bool take_typed_chars(std::string& text) {
    ImGuiIO& io = ImGui::GetIO();
    bool any = false;
    for (int i = 0; i < io.InputQueueCharacters.Size; ++i) {
        unsigned cp = io.InputQueueCharacters[i];
        if (cp < 32) continue; // control characters arrive as keys (Enter, Backspace)
        char buf[5] = {};
        ImTextCharToUtf8(buf, cp);
        text += buf;
        any = true;
    }
    io.InputQueueCharacters.resize(0);
    return any;
}

void staff_remember(UiState& ui, const std::string& name) {
    ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    ui.rects[name] = {a.x, a.y, b.x, b.y};
}

void staff_remember_visible(UiState& ui, const std::string& name) {
    ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    const ImRect& clip = GImGui->CurrentWindow->ClipRect;
    float y0 = std::max(a.y, clip.Min.y), y1 = std::min(b.y, clip.Max.y);
    if (y1 - y0 >= std::min(b.y - a.y, 24.0f)) ui.rects[name] = {a.x, y0, b.x, y1};
}

static int grow(ImGuiInputTextCallbackData* d) {
    if (d->EventFlag == ImGuiInputTextFlags_CallbackResize) {
        auto* s = static_cast<std::string*>(d->UserData);
        s->resize(size_t(d->BufTextLen));
        d->Buf = s->data();
    }
    return 0;
}

bool staff_input_text(const char* id, std::string& text, int flags) {
    if (text.capacity() < 64) text.reserve(64);
    // A site name in Arabic or Persian: ImGui edits it, draw_field_text shows it shaped.
    const bool shaped = has_rtl_chars(text);
    const ImU32 color = ImGui::GetColorU32(ImGuiCol_Text);
    if (shaped) {
        ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(0, 0, 0, 0));
        ImGui::PushStyleColor(ImGuiCol_TextSelectedBg, IM_COL32(0, 0, 0, 0));
    }
    bool edited = ImGui::InputText(id, text.data(), text.capacity() + 1, flags | ImGuiInputTextFlags_CallbackResize,
                                   grow, &text);
    if (shaped) {
        ImGui::PopStyleColor(2);
        draw_field_text(text.c_str(), ImGui::IsItemActive(), color);
    }
    return edited;
}

bool staff_button(UiState& ui, const std::string& name, const std::string& label, float w, bool visible_only) {
    ImGui::PushID(name.c_str());
    if (w <= 0) w = layout_text(ImGui::GetFont(), ImGui::GetFontSize(), label, 0).size.x + 2 * ui.m.pad;
    // A label from the survey or the staff (a site name) in Arabic or Persian is shaped first.
    bool pressed = ImGui::Button((shape_line(label, false) + "###b").c_str(), ImVec2(w, ui.m.target));
    if (visible_only) staff_remember_visible(ui, name);
    else staff_remember(ui, name);
    ImGui::PopID();
    return pressed;
}

void staff_text(const std::string& text, uint32_t imgui_color) {
    if (text.empty()) return;
    if (has_rtl_chars(text)) {
        // Survey titles, questions, site names in Arabic or Persian: shaped and ordered,
        // wrapped at the window's width (staff pages run left to right).
        ImFont* f = ImGui::GetFont();
        float fs = ImGui::GetFontSize();
        ImVec2 pos = ImGui::GetCursorScreenPos();
        float wrap = std::max(1.0f, ImGui::GetContentRegionAvail().x);
        TextBlock b = layout_text(f, fs, text, wrap);
        draw_text_block(ImGui::GetWindowDrawList(), f, fs, pos, wrap, b, text, wrap, imgui_color);
        ImGui::Dummy(b.size);
        if (GImGui->LogEnabled) ImGui::LogText("%s\n", text.c_str()); // the logical text, for the tests
        return;
    }
    ImGui::PushStyleColor(ImGuiCol_Text, imgui_color);
    ImGui::TextWrapped("%s", text.c_str());
    ImGui::PopStyleColor();
}

void staff_text(const std::string& text) { staff_text(text, ImGui::GetColorU32(ImGuiCol_Text)); }

void staff_hint(const std::string& text) { staff_text(text, ImGui::GetColorU32(ImGuiCol_TextDisabled)); }

std::string staff_key_rows(UiState& ui, const char* const* rows, int n_rows, const std::string& prefix, float key_w,
                           float gap, bool visible_only) {
    std::string pressed;
    for (int r = 0; r < n_rows; ++r) {
        std::vector<std::string> keys = utf8_chars(rows[r]);
        for (size_t k = 0; k < keys.size(); ++k) {
            if (k > 0) ImGui::SameLine(0, gap);
            if (staff_button(ui, prefix + keys[k], keys[k], key_w, visible_only)) pressed = keys[k];
        }
    }
    return pressed;
}

} // namespace tk
