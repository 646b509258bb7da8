// kiosk_harness.h - drives the kiosk headlessly: a real ImGui context and font atlas (no GL),
// the shipped citizen survey, a real vault in a temporary directory, and injected mouse
// and key state (Dear ImGui 1.86: io.MousePos / io.MouseDown / io.KeysDown with GLFW key
// codes, as the GLFW backend fills them).
#pragma once
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "app.h"
#include "kiosk_state.h"
#include "screens.h"
#include "speech.h"
#include "style.h"
#include "texts.h"
#include "vault.h"

namespace tkt {

inline std::string temp_dir(const std::string& tag) {
    std::string tmpl = (std::filesystem::temp_directory_path() / ("tk-kiosk-" + tag + "-XXXXXX")).string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    return tmpl;
}

struct Harness {
    tk::KioskApp app;
    tk::UiState ui;
    tk::Speech speech;
    std::unique_ptr<tk::Vault> vault;
    std::string dir;
    double now = 1000.0;
    ImGuiContext* ctx = nullptr;

    explicit Harness(const std::string& survey_file = std::string(TK_SOURCE_DIR) + "/surveys/buerger-digital.json") {
        ctx = ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.DisplaySize = ImVec2(1366, 768);
        io.DeltaTime = 1.0f / 60.0f;
        io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
        const int map[][2] = {{ImGuiKey_Tab, GLFW_KEY_TAB},        {ImGuiKey_LeftArrow, GLFW_KEY_LEFT},
                              {ImGuiKey_RightArrow, GLFW_KEY_RIGHT}, {ImGuiKey_UpArrow, GLFW_KEY_UP},
                              {ImGuiKey_DownArrow, GLFW_KEY_DOWN},  {ImGuiKey_Backspace, GLFW_KEY_BACKSPACE},
                              {ImGuiKey_Enter, GLFW_KEY_ENTER},     {ImGuiKey_Escape, GLFW_KEY_ESCAPE},
                              {ImGuiKey_Space, GLFW_KEY_SPACE},     {ImGuiKey_KeyPadEnter, GLFW_KEY_KP_ENTER},
                              {ImGuiKey_Delete, GLFW_KEY_DELETE}};
        for (const auto& m : map) io.KeyMap[m[0]] = m[1];
        dir = temp_dir("ui");
        std::string err;
        vault = tk::Vault::open(dir, true, &err);
        if (!vault) throw std::runtime_error("vault: " + err);
        tk::LoadResult lr = tk::load_survey(survey_file);
        if (!lr.ok()) throw std::runtime_error("survey: " + lr.errors.front().to_string());
        tk::UiTexts texts;
        if (!tk::load_ui_texts(std::string(TK_SOURCE_DIR) + "/assets/ui-texts.json", texts, &err))
            throw std::runtime_error(err);
        tk::kiosk_init(app, lr.survey, texts, dir, now);
        app.submit_fn = [this](const tk::Response& r) {
            tk::AppendResult ar = vault->append_response(r);
            return tk::SubmitResult{ar.durable, ar.error};
        };
        speech.enabled = false; // no audio in tests; utterances are still counted
        frame();
    }
    ~Harness() {
        ImGui::DestroyContext(ctx);
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }

    void frame(double dt = 1.0 / 60.0) {
        ImGuiIO& io = ImGui::GetIO();
        kiosk_prepare_frame_fonts();
        io.DeltaTime = float(dt);
        ImGui::NewFrame();
        tk::draw_kiosk(app, ui, now);
        ImGui::Render();
        tk::kiosk_after_frame(app, ui, speech);
        tk::idle_tick(app, now);
        now += dt;
    }
    void frames(int n) {
        for (int i = 0; i < n; ++i) frame();
    }
    // One frame, returning the text it drew (ImGui's log of every text item): what a person
    // would read on the screen. The log goes to ImGui's own clipboard, because ending the
    // kiosk's window ends the log and empties ImGui's log buffer.
    std::string frame_text() {
        ImGuiIO& io = ImGui::GetIO();
        kiosk_prepare_frame_fonts();
        io.DeltaTime = 1.0f / 60.0f;
        ImGui::NewFrame();
        ImGui::SetClipboardText("");
        ImGui::LogToClipboard();
        tk::draw_kiosk(app, ui, now);
        if (GImGui->LogEnabled) ImGui::LogFinish();
        std::string text = ImGui::GetClipboardText() ? ImGui::GetClipboardText() : "";
        ImGui::Render();
        tk::kiosk_after_frame(app, ui, speech);
        now += 1.0 / 60.0;
        return text;
    }
    void kiosk_prepare_frame_fonts() {
        if (tk::kiosk_prepare_frame(app, ui)) {
            unsigned char* px = nullptr;
            int w = 0, h = 0;
            ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&px, &w, &h); // what the GL backend would upload
        }
    }
    void key(int k, bool ctrl = false, bool alt = false) {
        ImGuiIO& io = ImGui::GetIO();
        io.KeyCtrl = ctrl;
        io.KeyAlt = alt;
        io.KeysDown[k] = true;
        frame();
        io.KeysDown[k] = false;
        io.KeyCtrl = io.KeyAlt = false;
        frames(2);
    }
    void type(const std::string& s) {
        ImGui::GetIO().AddInputCharactersUTF8(s.c_str());
        frames(2);
    }
    bool has(const std::string& name) const { return ui.rects.count(name) != 0; }
    // Scrolls the page with the mouse wheel until `name` is visible; false if never.
    bool reveal(const std::string& name) {
        ImGuiIO& io = ImGui::GetIO();
        for (int i = 0; i < 30 && !has(name); ++i) {
            io.MousePos = ImVec2(683, 420);
            io.MouseWheel = -1.0f;
            frame();
            io.MouseWheel = 0.0f;
            frame();
        }
        return has(name);
    }
    void click(const std::string& name) {
        reveal(name);
        auto it = ui.rects.find(name);
        if (it == ui.rects.end()) throw std::runtime_error("no control '" + name + "' on screen");
        click_at(it->second.cx(), it->second.cy());
    }
    void click_at(float x, float y) {
        ImGuiIO& io = ImGui::GetIO();
        io.MousePos = ImVec2(x, y);
        frame();
        io.MouseDown[0] = true;
        frame();
        io.MouseDown[0] = false;
        frames(2);
    }
    // Advances the clock without input, one frame per second (as the real loop's timers do).
    void wait(double seconds) {
        double end = now + seconds;
        while (now < end) frame(std::min(1.0, end - now));
        frames(2); // draw what the timers changed
    }
    const tk::Question* current() const { return app.session ? app.session->current() : nullptr; }
    std::string current_code() const { return current() ? current()->code : ""; }
    // Enter until the page shows question `code` (or the review page when code is "").
    void enter_until(const std::string& code, int limit = 40) {
        for (int i = 0; i < limit && current_code() != code; ++i) key(GLFW_KEY_ENTER);
        if (current_code() != code) throw std::runtime_error("did not reach " + code + ", at " + current_code());
    }
};

} // namespace tkt
