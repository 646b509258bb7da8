// screens.cpp - one kiosk frame: draw_kiosk() picks the screen, notes input as activity,
// opens the staff entrance, and frames the respondent pages; forget_widget_state() wipes what
// ImGui remembers of the last person.
//
// The pieces live beside it (screen_draw.h lists them): widgets.cpp, question_widgets.cpp,
// respondent_pages.cpp, welcome_page.cpp, respondent_keyboard.cpp, staff_pin_screen.cpp, staff_menu.cpp,
// layout_dump.cpp.
#include "screens.h"
#include "screen_draw.h"
#include "text_direction.h"

#include <GLFW/glfw3.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cstring>

namespace tk {

void forget_widget_state() {
    ImGuiContext& g = *GImGui;
    ImGui::ClearActiveID();
    ImGui::FocusWindow(nullptr);
    g.NavId = 0;
    g.NavDisableHighlight = true;
    ImGuiInputTextState& st = g.InputTextState;
    if (st.TextW.Data) std::memset(st.TextW.Data, 0, size_t(st.TextW.Capacity) * sizeof(ImWchar));
    if (st.TextA.Data) std::memset(st.TextA.Data, 0, size_t(st.TextA.Capacity));
    if (st.InitialTextA.Data) std::memset(st.InitialTextA.Data, 0, size_t(st.InitialTextA.Capacity));
    st.ClearFreeMemory();
    std::memset(&st.Stb, 0, sizeof(st.Stb)); // the undo buffer holds typed characters
    st.ID = 0;
    st.CurLenA = st.CurLenW = 0;
    ImGui::GetIO().InputQueueCharacters.resize(0);
}

// A respondent page (language, privacy notice, question, review): tool bar, progress, the scrolling page,
// Zurück/Weiter and their keys; or the on-screen keyboard of the field being typed.
static void respondent_frame(ScreenDraw& c, Screen shown, double now) {
    KioskApp& app = c.app;
    UiState& ui = c.ui;
    const Theme& th = c.th;
    ImGuiIO& io = ImGui::GetIO();
    if (!app.session) {
        reset_to_welcome(app);
        return;
    }
    float width = ImGui::GetContentRegionAvail().x;
    if (!app.page.osk_field.empty()) {
        on_screen_keyboard(c, width, ImGui::GetContentRegionAvail().y);
        return;
    }
    toolbar(c, width);
    draw_assisted_marker(app, ui, th, width);
    progress(c, width);
    // The nav bar height is known before drawing it: one target plus padding.
    float nav_h = std::max(48.0f * ui.m.dpi, ui.m.toolbar * 1.7f) + ImGui::GetStyle().ItemSpacing.y + ui.m.pad;
    float content_h = ImGui::GetContentRegionAvail().y - nav_h;
    std::string key = std::to_string(int(app.screen)) + "/" +
                      (app.session->current() ? app.session->current()->code : "") + "/" + std::to_string(app.generation);
    ImGui::BeginChild("content", ImVec2(width, std::max(content_h, ui.m.target)), false, ImGuiWindowFlags_NoBackground);
    if (key != ui.page_key) {
        ImGui::SetScrollY(0);
        ui.page_key = key;
    }
    ui.scroll_y = ImGui::GetScrollY();
    float inner = ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ScrollbarSize - ui.m.focus_width * 2;
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + ui.m.focus_width);
    ImGui::BeginGroup();
    set_text_right_edge(ImGui::GetCursorScreenPos().x + inner);
    if (app.screen == Screen::Language) language_page(c, inner);
    else if (app.screen == Screen::Privacy) privacy_page(c, inner);
    else if (app.screen == Screen::DelphiCode) delphi_code_screen(c, inner);
    else if (app.screen == Screen::Question) question_page(c, inner);
    else review_page(c, inner);
    set_text_right_edge(0);
    ImGui::EndGroup();
    // Touch screens: dragging the page scrolls it (and the row under the finger is
    // not pressed when the finger lifts).
    if (ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem) &&
        ImGui::IsMouseDragging(0, ui.m.body * 0.5f) && !io.WantTextInput) {
        ImGui::SetScrollY(ImGui::GetScrollY() - io.MouseDelta.y);
        if (ImGui::GetActiveID() != 0 && ImGui::GetActiveID() != ImGui::GetWindowScrollbarID(GImGui->CurrentWindow, ImGuiAxis_Y))
            ImGui::ClearActiveID();
    }
    ImGui::EndChild();
    if (app.screen == shown && app.session) nav_bar(c, width);
    // Enter = next, Backspace = back, keypad "-" = back, "+" = read aloud.
    if (app.screen == shown && app.session && !io.WantTextInput && !c.enter_used && !io.KeyCtrl && !io.KeyAlt) {
        if (ImGui::IsKeyPressed(GLFW_KEY_ENTER, false) || ImGui::IsKeyPressed(GLFW_KEY_KP_ENTER, false)) {
            if (app.screen == Screen::Review) submit(app, now);
            else next(app);
        } else if (ImGui::IsKeyPressed(GLFW_KEY_BACKSPACE, false) || ImGui::IsKeyPressed(GLFW_KEY_KP_SUBTRACT, false)) {
            back(app);
        } else if (ImGui::IsKeyPressed(GLFW_KEY_KP_ADD, false)) {
            request_speech(app);
        }
    }
}

void draw_kiosk(KioskApp& app, UiState& ui, double now) {
    ImGuiIO& io = ImGui::GetIO();
    if (ui.seen_generation != app.generation) {
        forget_widget_state();
        ui.seen_generation = app.generation;
    }
    ui.m = compute_metrics(ui.fonts.built_scale ? ui.fonts.built_scale : app.reading.text_scale, ui.dpi);
    const Theme& th = theme(app.reading.theme);
    apply_style(th, ui.m);
    ui.rects.clear();
    ui.parts.clear();
    // Respondent screens follow the language's direction; the staff screens are German.
    const bool staff = app.screen == Screen::StaffPin || app.screen == Screen::StaffMenu;
    set_page_rtl(!staff && is_rtl(app.reading.language));
    ScreenDraw c{app, ui, th, ui.m, now, false, false, {}, -1};
    // The name of the page these rects belong to (the layout dump pairs them).
    const std::string previous_page = ui.page_name;
    static const char* screen_names[] = {"Welcome", "Language", "Privacy", "Question", "Review", "ThankYou", "SaveFailed", "StaffPin", "StaffMenu", "DelphiCode"};
    ui.page_name = app.idle.warning ? "Warning" : screen_names[int(app.screen)];
    if (app.screen == Screen::Question && app.session && app.session->current()) {
        const Question* q = app.session->current();
        int rows = 0;
        for (const Row& r : q->rows) rows += app.session->is_row_visible(*q, r) ? 1 : 0;
        ui.page_name += " " + q->code + " " + type_name(q->type) + " " + std::to_string(rows);
    }
    if (!app.page.osk_field.empty()) ui.page_name += " keyboard";
    if (ui.page_name != previous_page) {
        // The keyboard focus starts afresh on every page. ImGui would keep the focused item of
        // the page before (its id and its place, say a button at the bottom of a long, scrolled
        // language page), and the first arrow key would move from that place: from the bottom,
        // Down finds nothing and the focus never appears.
        ImGuiContext& g = *GImGui;
        g.NavId = 0;
        g.NavDisableHighlight = true;
        if (g.NavWindow) g.NavWindow->NavLastIds[0] = 0;
        ui.focus_moved = false;
        ui.reveal_focus = 0;
        ui.reveal.clear();
    }
    if (ui.reveal_focus > 0) --ui.reveal_focus;
    ui.focused.clear();
    ui.focused_visible = false;
    for (int k : {GLFW_KEY_TAB, GLFW_KEY_UP, GLFW_KEY_DOWN, GLFW_KEY_LEFT, GLFW_KEY_RIGHT})
        if (ImGui::IsKeyPressed(k)) {
            ui.focus_moved = true;
            // ImGui moves the focus in the frames after the key: follow it for a few.
            ui.reveal_focus = 4;
        }


    // Any input counts as activity (the idle timer) - measured here so tests see it too.
    bool input = io.MouseClicked[0] || io.MouseWheel != 0 || io.InputQueueCharacters.Size > 0;
    for (int k = 0; k < 512 && !input; ++k)
        if (io.KeysDown[k] && io.KeysDownDuration[k] == 0.0f) input = true;
    ui.any_input = input;
    if (input) {
        note_activity(app, now);
        app.speak_stop = app.speak_stop || (io.MouseClicked[0] && !app.idle.warning);
    }

    // Staff entrance: 5 taps into the top-right corner within 3 s, or Ctrl+Alt+S.
    ImVec2 size = io.DisplaySize;
    float corner = ui.m.target;
    if (io.MouseClicked[0] && io.MousePos.x >= size.x - corner && io.MousePos.y <= corner) staff_corner_tap(app, now);
    if (io.KeyCtrl && io.KeyAlt && ImGui::IsKeyPressed(GLFW_KEY_S, false)) open_staff_pin(app);

    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(size);
    // No window background: the renderer clears to the theme's background colour. Under a
    // software renderer (llvmpipe) each full-screen fill is a textured, blended pass that
    // costs milliseconds per frame at 1920x1080.
    ImGuiWindowFlags wf = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                          ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse |
                          ImGuiWindowFlags_NoBackground;
    ImGui::Begin("kiosk", nullptr, wf);
    const Screen shown = app.screen;
    if (app.idle.warning) {
        idle_warning(c, size);
    } else {
        switch (app.screen) {
        case Screen::Welcome: welcome_screen(c, size); break;
        case Screen::ThankYou: {
            std::string body = app.thanks_text.empty() ? "" : app.thanks_text + "\n\n";
            message_screen(c, size, kiosk_text(app, "thanks_title"), body + kiosk_text(app, "thanks_body"), kiosk_text(app, "thanks_done"));
            break;
        }
        case Screen::SaveFailed: message_screen(c, size, kiosk_text(app, "save_failed_title"), kiosk_text(app, "save_failed"), kiosk_text(app, "thanks_done")); break;
        case Screen::StaffPin: staff_pin_screen(c, size); break;
        case Screen::StaffMenu: staff_menu(c, size); break;
        case Screen::Language:
        case Screen::Privacy:
        case Screen::DelphiCode:
        case Screen::Question:
        case Screen::Review: respondent_frame(c, shown, now); break;
        }
    }
    ImGui::End();


    // Leaving a page drops ImGui's edit buffer, so the next page starts clean.
    if (app.screen != shown) ImGui::ClearActiveID();
    if (app.reading.read_aloud_auto && !app.page.spoken &&
        (app.screen == Screen::Language || app.screen == Screen::Privacy || app.screen == Screen::DelphiCode ||
         app.screen == Screen::Question || app.screen == Screen::Review ||
         app.screen == Screen::ThankYou)) {
        request_speech(app);
        app.page.spoken = true;
    }
}

} // namespace tk
