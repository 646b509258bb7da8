// field_desk_screen.cpp - site and event, assisted interview start, printing (see
// field_desk_screen.h). Staff words come from assets/ui-texts.json (staff_* keys).
#include "field_desk_screen.h"
#include "staff_widgets.h"

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>

namespace tk {

namespace {

std::string msg(const KioskApp& app, const std::string& key, const std::string& x) {
    return fill(kiosk_text(app, key), {{"x", x}});
}

void message(const KioskApp& app, const Theme& th) {
    const FieldDesk& f = app.field;
    if (f.message_key.empty()) return;
    staff_text(msg(app, f.message_key, f.message_x), to_imgui_color(f.message_is_error ? th.error : th.text));
}

// A row of buttons that wraps to the next line when the next one does not fit.
struct Flow {
    float x0 = 0, right = 0;
    bool first = true;
    Flow() {
        x0 = ImGui::GetCursorScreenPos().x;
        right = x0 + ImGui::GetContentRegionAvail().x;
    }
    void next(UiState& ui, const std::string& label) {
        float w = ImGui::CalcTextSize(label.c_str()).x + 2 * ui.m.pad;
        if (!first) {
            ImGui::SameLine(0, ui.m.gap);
            if (ImGui::GetCursorScreenPos().x + w > right) ImGui::NewLine();
        }
        first = false;
    }
};

// One text line with a "Tastatur" button beside it. Returns true on Enter.
bool text_line(KioskApp& app, UiState& ui, const char* id, std::string& text, const std::string& name,
               const std::string& osk_name, bool take_focus) {
    std::string kb = kiosk_text(app, "keyboard");
    float kb_w = ImGui::CalcTextSize(kb.c_str()).x + 2 * ui.m.pad;
    if (take_focus && !ImGui::IsAnyItemActive()) ImGui::SetKeyboardFocusHere();
    ImGui::SetNextItemWidth(std::max(ui.m.body * 6, ImGui::GetContentRegionAvail().x - kb_w - ui.m.gap));
    bool enter = staff_input_text(id, text, ImGuiInputTextFlags_EnterReturnsTrue);
    staff_remember(ui, name);
    ImGui::SameLine(0, ui.m.gap);
    if (staff_button(ui, name + "/keyboard", kb, kb_w)) {
        app.field.osk = osk_name;
        app.field.osk_shift = false;
        ImGui::ClearActiveID();
    }
    return enter;
}

// The staff on-screen keyboard for touch-only kiosks (German QWERTZ, like the respondents').
void staff_keyboard(KioskApp& app, UiState& ui, std::string& text) {
    FieldDesk& f = app.field;
    take_typed_chars(text); // physical keys keep working while it is open
    if (ImGui::IsKeyPressed(GLFW_KEY_BACKSPACE)) pop_utf8_char(text);
    bool close = ImGui::IsKeyPressed(GLFW_KEY_ESCAPE, false) || ImGui::IsKeyPressed(GLFW_KEY_ENTER, false) ||
                 ImGui::IsKeyPressed(GLFW_KEY_KP_ENTER, false);
    staff_text(kiosk_text(app, "keyboard_typing"));
    staff_text(text + "|"); // the bar is the insertion point (left of Arabic: typed right to left)
    ImGui::Dummy(ImVec2(0, ui.m.gap));
    float width = ImGui::GetContentRegionAvail().x;
    float key_w = (width - 10 * ui.m.gap) / 11;
    std::string key = staff_key_rows(ui, f.osk_shift ? kKeysGermanUpper : kKeysGermanLower, 4, "osk/", key_w, ui.m.gap);
    if (!key.empty()) {
        text += key;
        f.osk_shift = false;
    }
    float w4 = (width - 3 * ui.m.gap) / 4;
    if (staff_button(ui, "osk/shift", kiosk_text(app, "shift"), w4)) f.osk_shift = !f.osk_shift;
    ImGui::SameLine(0, ui.m.gap);
    if (staff_button(ui, "osk/space", kiosk_text(app, "space"), w4)) text += " ";
    ImGui::SameLine(0, ui.m.gap);
    if (staff_button(ui, "osk/delete", kiosk_text(app, "delete"), w4)) pop_utf8_char(text);
    ImGui::SameLine(0, ui.m.gap);
    if (staff_button(ui, "osk/done", kiosk_text(app, "keyboard_done"), w4)) close = true;
    if (close) {
        f.osk.clear();
        ++f.generation;
    }
}

void recent_row(KioskApp& app, UiState& ui, const std::vector<std::string>& recent, std::string& target,
                const std::string& name, const std::string& none_label) {
    if (recent.empty() && none_label.empty()) return;
    staff_hint(kiosk_text(app, "staff_field_recent"));
    Flow flow;
    for (size_t i = 0; i < recent.size(); ++i) {
        flow.next(ui, recent[i]);
        if (staff_button(ui, name + "/" + std::to_string(i + 1), recent[i])) {
            target = recent[i];
            ImGui::ClearActiveID();
        }
    }
    if (!none_label.empty()) {
        flow.next(ui, none_label);
        if (staff_button(ui, name + "/none", none_label)) {
            target.clear();
            ImGui::ClearActiveID();
        }
    }
}

bool site_desk(KioskApp& app, UiState& ui, const Theme& th) {
    FieldDesk& f = app.field;
    ui.page_name = "FieldSite";
    staff_text(kiosk_text(app, "staff_field_site_title"));
    staff_hint(kiosk_text(app, "staff_field_site_hint"));
    ImGui::Separator();
    staff_text(kiosk_text(app, "staff_field_site"));
    bool save = text_line(app, ui, "##site", f.site, "site/site", "site", true);
    recent_row(app, ui, app.config.recent_sites, f.site, "site/recent_site", "");
    ImGui::Dummy(ImVec2(0, ui.m.gap));
    staff_text(kiosk_text(app, "staff_field_event"));
    save = text_line(app, ui, "##event", f.event, "site/event", "event", false) || save;
    recent_row(app, ui, app.config.recent_events, f.event, "site/recent_event", kiosk_text(app, "staff_field_no_event"));
    ImGui::Dummy(ImVec2(0, ui.m.gap));
    message(app, th);
    if (staff_button(ui, "site/save", kiosk_text(app, "staff_field_save"))) save = true;
    ImGui::SameLine(0, ui.m.gap);
    bool leave = staff_button(ui, "site/back", kiosk_text(app, "staff_field_back")) || ImGui::IsKeyPressed(GLFW_KEY_ESCAPE, false);
    if (save && field_site_save(app)) leave = true;
    return leave;
}

bool assisted_desk(KioskApp& app, UiState& ui, const Theme& th, double now) {
    FieldDesk& f = app.field;
    ui.page_name = "FieldAssisted";
    staff_text(kiosk_text(app, "staff_assisted_title"));
    staff_hint(kiosk_text(app, "staff_assisted_hint"));
    ImGui::Separator();
    staff_text(kiosk_text(app, "staff_assisted_id"));
    bool go = text_line(app, ui, "##interviewer", f.interviewer, "assisted/id", "interviewer", true);
    ImGui::Dummy(ImVec2(0, ui.m.gap));
    message(app, th);
    if (staff_button(ui, "assisted/start", kiosk_text(app, "staff_assisted_start"))) go = true;
    ImGui::SameLine(0, ui.m.gap);
    bool leave = staff_button(ui, "assisted/back", kiosk_text(app, "staff_field_back")) || ImGui::IsKeyPressed(GLFW_KEY_ESCAPE, false);
    if (go) start_assisted(app, now); // leaves the staff area itself when it starts
    return leave;
}

bool print_desk(KioskApp& app, UiState& ui, const Theme& th) {
    FieldDesk& f = app.field;
    bool running = field_print_running(app);
    ui.page_name = running ? "FieldPrint running" : "FieldPrint";
    const Survey* s = app.survey.get();
    if (!s) return true;
    staff_text(msg(app, "staff_print_title", survey_text(app, s->title)));
    ImGui::Separator();
    ImGui::BeginDisabled(running);
    staff_text(kiosk_text(app, "staff_print_language"));
    {
        Flow flow;
        for (const auto& lang : s->languages) {
            auto it = app.texts.names.find(lang);
            std::string label = (f.print_lang == lang ? "(x) " : "( ) ") + (it != app.texts.names.end() ? it->second : lang);
            flow.next(ui, label);
            if (staff_button(ui, "print/lang/" + lang, label)) f.print_lang = lang;
        }
    }
    std::string large = (f.print_large ? "[x] " : "[ ] ") + kiosk_text(app, "staff_print_large");
    if (staff_button(ui, "print/large", large)) f.print_large = !f.print_large;
    staff_text(msg(app, "staff_print_sheets", std::to_string(f.print_sheets)));
    {
        Flow flow;
        for (int d : {-10, -1, 1, 10}) {
            std::string label = (d > 0 ? "+" : "") + std::to_string(d);
            flow.next(ui, label);
            if (staff_button(ui, "print/sheets" + label, label, ImGui::CalcTextSize("+10").x + 4 * ui.m.pad))
                f.print_sheets = std::clamp(f.print_sheets + d, 1, kMaxPrintSheets);
        }
    }
    staff_text(kiosk_text(app, "staff_print_folder"));
    for (size_t i = 0; i < f.print_folders.size(); ++i) {
        std::string label = (f.print_folder == i ? "(x) " : "( ) ") +
                            (i == 0 ? msg(app, "staff_print_folder_data", f.print_folders[i])
                                    : msg(app, "staff_print_folder_usb", f.print_folders[i]));
        if (staff_button(ui, "print/folder/" + std::to_string(i + 1), label)) f.print_folder = i;
    }
    if (f.lp) {
        std::string send = (f.print_send ? "[x] " : "[ ] ") + kiosk_text(app, "staff_print_send");
        if (staff_button(ui, "print/send", send)) f.print_send = !f.print_send;
    } else {
        staff_hint(kiosk_text(app, "staff_print_no_lp"));
    }
    ImGui::EndDisabled();
    ImGui::Dummy(ImVec2(0, ui.m.gap));
    message(app, th);
    f.print_unseen = false; // drawn: from now on the message goes when staff leave, as on every desk
    if (!running && f.last.ok) {
        staff_text(msg(app, "staff_print_ids", f.last.ids_file));
        std::string ids;
        for (size_t i = 0; i < f.last.sheet_ids.size() && i < 12; ++i) ids += (i ? "  " : "") + f.last.sheet_ids[i];
        if (f.last.sheet_ids.size() > 12) ids += "  …";
        staff_hint(ids);
    }
    ImGui::BeginDisabled(running);
    if (staff_button(ui, "print/go", kiosk_text(app, "staff_print_go"))) field_print_start(app);
    ImGui::EndDisabled();
    ImGui::SameLine(0, ui.m.gap);
    // Leaving while a job runs is fine: the job finishes and its message waits here.
    return staff_button(ui, "print/back", kiosk_text(app, "staff_field_back")) || ImGui::IsKeyPressed(GLFW_KEY_ESCAPE, false);
}

} // namespace

bool is_field_desk(StaffDesk desk) { return desk == StaffDesk::Site || desk == StaffDesk::Assisted || desk == StaffDesk::Print; }

// The desk's name in f.shown (with " keyboard" while its on-screen keyboard is open).
static const char* field_desk_name(StaffDesk desk) {
    return desk == StaffDesk::Site ? "site" : desk == StaffDesk::Assisted ? "assisted" : "print";
}

bool draw_field_desk(KioskApp& app, UiState& ui, double now) {
    const Theme& th = theme(app.reading.theme);
    FieldDesk& f = app.field;
    ImGui::PushID("field_desk");
    // The staff menu may have been scrolled down to reach the button: a desk starts at the top.
    const std::string name = field_desk_name(app.staff_desk);
    std::string shown = name + (f.osk.empty() ? "" : " keyboard");
    int frame = ImGui::GetFrameCount();
    if (f.shown != shown || f.shown_frame != frame - 1) {
        ImGui::SetScrollY(0);
        // A message belongs to the desk that said it (a running print job keeps its own).
        if (!f.osk.empty() || f.shown_frame != frame - 1 || f.shown.rfind(name, 0) != 0)
            if (!(app.staff_desk == StaffDesk::Print && (field_print_running(app) || f.print_unseen))) f.message_key.clear();
    }
    f.shown = shown;
    f.shown_frame = frame;
    bool leave = false;
    if (!f.osk.empty()) {
        std::string& target = f.osk == "site" ? f.site : f.osk == "event" ? f.event : f.interviewer;
        staff_keyboard(app, ui, target);
        ui.page_name = std::string(app.staff_desk == StaffDesk::Site ? "FieldSite" : "FieldAssisted") + " keyboard";
    } else if (app.staff_desk == StaffDesk::Site) {
        leave = site_desk(app, ui, th);
    } else if (app.staff_desk == StaffDesk::Assisted) {
        leave = assisted_desk(app, ui, th, now);
    } else if (app.staff_desk == StaffDesk::Print) {
        leave = print_desk(app, ui, th);
    } else {
        leave = true;
    }
    ImGui::PopID();
    return leave;
}

std::string field_status_text(const KioskApp& app) {
    std::string s = fill(kiosk_text(app, "staff_field_status"),
                         {{"site", app.config.site.empty() ? "-" : app.config.site},
                          {"event", app.config.event.empty() ? "-" : app.config.event}});
    if (!app.interviewer.empty()) s += "\n" + fill(kiosk_text(app, "staff_assisted_running"), {{"x", app.interviewer}});
    return s;
}

void draw_assisted_marker(const KioskApp& app, UiState& ui, const Theme& th, float width) {
    if (app.interviewer.empty()) return;
    std::string text = fill(kiosk_text(app, "assisted_marker"), {{"x", app.interviewer}});
    ImVec2 p = ImGui::GetCursorScreenPos();
    float pad = ui.m.pad * 0.5f;
    ImVec2 ts = ImGui::CalcTextSize(text.c_str(), nullptr, false, width - 2 * pad);
    ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + width, p.y + ts.y + 2 * pad), to_imgui_color(th.demo_bg));
    ImGui::GetWindowDrawList()->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(p.x + pad, p.y + pad),
                                        to_imgui_color(th.demo_text), text.c_str(), nullptr, width - 2 * pad);
    ImGui::Dummy(ImVec2(width, ts.y + 2 * pad));
    staff_remember(ui, "assisted/marker");
}

} // namespace tk
