// staff_menu.cpp - the staff menu: status, survey, settings, the desks, the PIN change.
//
//   staff_desk_drawn   draws the open desk (paper, tally, site, assisted, print, sync)
//   staff_status       DEMO notice and the status lines (vault, this run, site, alarms)
//   survey_choice      the survey files staff may switch to
//   staff_settings     idle time and the defaults for each new person (saved at once)
//   desk_buttons       the buttons that open the desks
//   change_pin_form    new PIN twice on the PIN pad
//   staff_menu         the page; with the default PIN it shows only the PIN change
#include "screen_draw.h"

#include <algorithm>

namespace tk {

namespace {

// True when a desk is open and was drawn instead of the menu.
bool staff_desk_drawn(ScreenDraw& c) {
    KioskApp& app = c.app;
    switch (app.staff_desk) {
    case StaffDesk::Menu: return false;
    case StaffDesk::Paper:
        if (draw_paper_desk(app.paper, c.ui, app.wall_clock ? app.wall_clock() : 0)) app.staff_desk = StaffDesk::Menu;
        return true;
    case StaffDesk::Tally:
        if (draw_tally_desk(app.tally, c.ui)) app.staff_desk = StaffDesk::Menu;
        return true;
    case StaffDesk::Site:
    case StaffDesk::Assisted:
    case StaffDesk::Print:
        if (draw_field_desk(app, c.ui, c.now) && app.screen == Screen::StaffMenu) app.staff_desk = StaffDesk::Menu;
        return true;
    case StaffDesk::Sync:
        if (draw_sync_desk(app, c.ui, c.now)) app.staff_desk = StaffDesk::Menu;
        return true;
    }
    return false;
}

void demo_notice(ScreenDraw& c, float w) {
    ImVec2 p = ImGui::GetCursorScreenPos();
    std::string demo = kiosk_text(c.app, "demo_notice");
    ImVec2 ts = ImGui::CalcTextSize(demo.c_str(), nullptr, false, w - 2 * c.m.pad);
    ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + w, p.y + ts.y + 2 * c.m.pad), col(c.th.demo_bg));
    ImGui::SetCursorScreenPos(ImVec2(p.x + c.m.pad, p.y + c.m.pad));
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + w - 2 * c.m.pad);
    wrapped(demo, c.th.demo_text);
    ImGui::PopTextWrapPos();
    ImGui::Dummy(ImVec2(0, c.m.pad));
}

void staff_status(ScreenDraw& c, const StaffInfo& info) {
    KioskApp& app = c.app;
    if (!info.error.empty()) wrapped(info.error, c.th.error);
    wrapped(fill(kiosk_text(app, "staff_status"), {{"records", std::to_string(info.records)},
                                                   {"unsynced", std::to_string(info.unsynced)},
                                                   {"pending", std::to_string(info.pending_in_memory)},
                                                   {"sync", info.last_sync.empty() ? "-" : info.last_sync}}),
            c.th.text);
    wrapped(fill(kiosk_text(app, "staff_run"), {{"done", std::to_string(app.submitted)}, {"partial", std::to_string(app.partials)}}),
            c.th.text);
    wrapped(field_status_text(app), c.th.text);
    // Staff compare it with the research team's (and the server's refusal names it).
    if (!info.research_key.empty()) wrapped(fill(kiosk_text(app, "staff_research_key"), {{"fp", info.research_key}}), c.th.text_muted);
    for (const auto& a : info.alarms) wrapped("! " + a, c.th.error);
    if (!app.save_error.empty()) wrapped("! " + app.save_error, c.th.error);
}

void survey_choice(ScreenDraw& c, float w) {
    KioskApp& app = c.app;
    if (app.survey)
        wrapped(kiosk_text(app, "staff_survey") + " " + survey_text(app, app.survey->title) + " (" + app.survey->id + " " +
                    app.survey->version + ")",
                c.th.text_muted);
    // One row a survey, "id version: title"; the layout name keeps the file name, which is
    // what tests and staff instructions refer to.
    for (const SurveyFile& f : app.survey_files) {
        std::string name = f.path.substr(f.path.find_last_of('/') + 1);
        std::string label = survey_file_label(app.survey_files, f);
        label += f.error.empty() ? ": " + survey_text(app, f.title) : " - " + f.error;
        if (option_row(c, "staff/survey/" + name, 0, label, f.path == app.survey_path, RowMarker::Radio, w) &&
            f.path != app.survey_path)
            staff_switch_survey(app, f.path);
    }
    if (!app.survey_message.empty())
        wrapped(app.survey_message, app.survey_message.rfind("ok:", 0) == 0 ? c.th.text_muted : c.th.error);
}

void staff_settings(ScreenDraw& c, float w) {
    KioskApp& app = c.app;
    bool dirty = false;
    wrapped(fill(kiosk_text(app, "staff_idle"), {{"x", std::to_string(app.config.idle_seconds)}}), c.th.text);
    float bw = std::min(w / 2 - c.m.gap, c.m.body * 8);
    if (big_button(c, "staff/idle_minus", "- 30 s", ButtonKind::Secondary, bw) && app.config.idle_seconds > 30) {
        app.config.idle_seconds -= 30;
        dirty = true;
    }
    ImGui::SameLine(0, c.m.gap);
    if (big_button(c, "staff/idle_plus", "+ 30 s", ButtonKind::Secondary, bw) && app.config.idle_seconds < 1800) {
        app.config.idle_seconds += 30;
        dirty = true;
    }
    wrapped(kiosk_text(app, "staff_defaults"), c.th.text);
    auto& d = app.config.defaults;
    for (int s : kTextScales)
        if (option_row(c, "staff/size/" + std::to_string(s), 0, std::to_string(s) + " %", d.text_scale == s,
                       RowMarker::Radio, w)) {
            d.text_scale = s;
            dirty = true;
        }
    if (option_row(c, "staff/high_contrast", 0, kiosk_text(app, "contrast_high"), d.theme == ThemeId::HighContrast,
                   RowMarker::Check, w)) {
        d.theme = d.theme == ThemeId::HighContrast ? ThemeId::Standard : ThemeId::HighContrast;
        dirty = true;
    }
    if (option_row(c, "staff/read_auto", 0, kiosk_text(app, "read_auto"), d.read_aloud_auto, RowMarker::Check, w)) {
        d.read_aloud_auto = !d.read_aloud_auto;
        dirty = true;
    }
    if (app.survey)
        for (const auto& lang : app.survey->languages) {
            auto it = app.texts.names.find(lang);
            if (option_row(c, "staff/lang/" + lang, 0,
                           kiosk_text(app, "staff_language") + " " + (it != app.texts.names.end() ? it->second : lang),
                           d.language == lang, RowMarker::Radio, w)) {
                d.language = lang;
                dirty = true;
            }
        }
    if (dirty) {
        std::string err;
        if (!save_config(app, &err)) app.save_error = err;
    }
}

void desk_buttons(ScreenDraw& c, float w) {
    KioskApp& app = c.app;
    if (app.survey && app.vault && app.paper_registry &&
        big_button(c, "staff/paper", kiosk_text(app, "staff_paper"), ButtonKind::Secondary, w * 0.6f)) {
        paper_desk_begin(app.paper, app.survey, app.paper_registry, app.vault, app.config.site, app.config.event);
        app.paper.texts = &app.texts;
        app.paper.lang = app.reading.language;
        app.staff_desk = StaffDesk::Paper;
    }
    if (app.survey && app.vault && big_button(c, "staff/tally", kiosk_text(app, "staff_tally"), ButtonKind::Secondary, w * 0.6f)) {
        tally_desk_begin(app.tally, app.survey, app.vault, "", app.config.event, app.config.site,
                         format_utc(app.wall_clock ? app.wall_clock() : 0).substr(0, 10));
        app.tally.texts = &app.texts;
        app.tally.lang = app.reading.language;
        app.staff_desk = StaffDesk::Tally;
    }
    // Analogue sites: where the kiosk stands, assisted interviews, paper forms.
    if (big_button(c, "staff/site", kiosk_text(app, "staff_site"), ButtonKind::Secondary, w * 0.6f)) {
        field_site_begin(app);
        app.staff_desk = StaffDesk::Site;
    }
    if (app.survey && big_button(c, "staff/assisted", kiosk_text(app, "staff_assisted"), ButtonKind::Secondary, w * 0.6f))
        app.staff_desk = StaffDesk::Assisted;
    if (app.survey && big_button(c, "staff/print", kiosk_text(app, "staff_print"), ButtonKind::Secondary, w * 0.6f)) {
        field_print_begin(app);
        app.staff_desk = StaffDesk::Print;
    }
    if (big_button(c, "staff/sync", kiosk_text(app, "staff_sync"), ButtonKind::Secondary, w * 0.6f)) {
        sync_desk_begin(app.sync, app.data_dir);
        app.staff_desk = StaffDesk::Sync;
    }
}

void change_pin_form(ScreenDraw& c, float w) {
    KioskApp& app = c.app;
    wrapped(kiosk_text(app, "pin_change"), c.th.text);
    bool second = app.pin.new_pin.size() >= 6 && app.pin.change_repeat;
    wrapped(second ? kiosk_text(app, "pin_repeat") : kiosk_text(app, "pin_new"), c.th.text_muted);
    std::string& target = second ? app.pin.new_pin2 : app.pin.new_pin;
    wrapped(std::string(target.size(), '*') + " ", c.th.text);
    bool ok = false;
    pin_pad(c, target, std::min(w, c.m.body * 24), &ok);
    if (ok) {
        if (!second) app.pin.change_repeat = true;
        else {
            staff_change_pin(app);
            app.pin.change_repeat = false;
        }
    }
}

// "Kiosk beenden", and once pressed the question in its place: confirm or keep the kiosk running.
void quit_buttons(ScreenDraw& c, float w) {
    KioskApp& app = c.app;
    if (!app.quit_asked) {
        if (big_button(c, "staff/quit", kiosk_text(app, "staff_quit"), ButtonKind::Secondary, w * 0.6f)) staff_ask_quit(app);
        return;
    }
    wrapped(kiosk_text(app, "staff_quit_question"), c.th.text);
    if (big_button(c, "staff/quit_confirm", kiosk_text(app, "staff_quit_confirm"), ButtonKind::Secondary, w * 0.6f))
        staff_answer_quit(app, true);
    if (big_button(c, "staff/quit_cancel", kiosk_text(app, "staff_quit_cancel"), ButtonKind::Primary, w * 0.6f))
        staff_answer_quit(app, false);
}

} // namespace

void staff_menu(ScreenDraw& c, ImVec2 size) {
    KioskApp& app = c.app;
    ImGui::SetCursorPos(ImVec2(c.m.target * 0.5f, c.m.pad));
    ImGui::BeginChild("staff", ImVec2(size.x - c.m.target, size.y - 2 * c.m.pad), false);
    const float w = ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ScrollbarSize;
    if (staff_desk_drawn(c)) {
        ImGui::EndChild();
        return;
    }
    heading(c, kiosk_text(app, "staff_menu"));
    StaffInfo info = app.staff_info_fn ? app.staff_info_fn() : StaffInfo{};
    if (info.demo_key) demo_notice(c, w);
    if (!app.pin.message_key.empty())
        wrapped(kiosk_text(app, app.pin.message_key), app.pin.message_key == "pin_changed" ? c.th.text : c.th.error);
    if (app.pin.must_change) {
        // Logged in with the default PIN: nothing but the PIN change (or leaving) until it is
        // done - not even "Kiosk beenden", so whoever knows the printed default cannot stop
        // the kiosk or reach a desk.
        change_pin_form(c, w);
        ImGui::Dummy(ImVec2(0, c.m.gap));
        if (big_button(c, "pin/cancel", kiosk_text(app, "cancel"), ButtonKind::Secondary, std::min(w, c.m.body * 24)))
            leave_staff(app);
        ImGui::EndChild();
        return;
    }
    staff_status(c, info);
    survey_choice(c, w);
    ImGui::Dummy(ImVec2(0, c.m.gap));
    staff_settings(c, w);
    ImGui::Dummy(ImVec2(0, c.m.gap));
    desk_buttons(c, w);
    ImGui::Dummy(ImVec2(0, c.m.gap));
    if (app.pin.change_open) change_pin_form(c, w);
    else if (big_button(c, "staff/change_pin", kiosk_text(app, "pin_change"), ButtonKind::Secondary, w * 0.6f)) {
        app.pin.change_open = true;
        app.pin.message_key.clear();
    }
    ImGui::Dummy(ImVec2(0, c.m.gap));
    if (big_button(c, "staff/back", kiosk_text(app, "staff_back"), ButtonKind::Primary, w * 0.6f)) leave_staff(app);
    ImGui::Dummy(ImVec2(0, c.m.gap));
    quit_buttons(c, w);
    ImGui::EndChild();
}

} // namespace tk
