// sync_desk_screen.cpp - the transport desk (see sync_desk_screen.h).
//
// One column, top to bottom in the order a coordinator needs it: where the kiosk is enrolled
// and how much is waiting, the server address, "Jetzt synchronisieren" with its progress,
// enrolment, the USB stick (bundles, receipts, survey updates). While a job runs every button
// is disabled (one job at a time), and the result of the last job stays on screen until the next one.
#include "sync_desk_screen.h"
#include "staff_widgets.h"

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cstdio>

#include "lss_import.h"

namespace tk {

namespace {

// Only what is visible in the scrolled staff area counts (scripts scroll until it is).
bool button(UiState& ui, const std::string& name, const std::string& label, float w) {
    return staff_button(ui, name, label, w, true);
}

void field(UiState& ui, const char* id, std::string& text, const std::string& name, float w) {
    ImGui::SetNextItemWidth(w);
    staff_input_text(id, text);
    staff_remember_visible(ui, name);
}

void say(const std::string& text, uint32_t rgb) { staff_text(text, to_imgui_color(rgb)); }

std::string base_name(const std::string& path) { return path.substr(path.find_last_of('/') + 1); }

const char* job_name(SyncJobKind k) {
    switch (k) {
    case SyncJobKind::None: return "none";
    case SyncJobKind::Sync: return "sync";
    case SyncJobKind::Enrol: return "enrol";
    case SyncJobKind::Export: return "export";
    case SyncJobKind::Receipts: return "receipts";
    case SyncJobKind::SurveyUpdate: return "update";
    case SyncJobKind::StickUpdate: return "stick-update";
    case SyncJobKind::Provision: return "provision";
    }
    return "?";
}

// A small keyboard for touch-only kiosks: what server addresses and pairing codes are made
// of (codes are read case-insensitively, so lower case serves both).
void address_keyboard(KioskApp& app, UiState& ui, std::string& target, float w) {
    static const char* const rows[] = {"1234567890", "qwertzuiop", "asdfghjkl", "yxcvbnm", ":/.-_"};
    float key_w = std::min(ui.m.target * 1.3f, (w - 10 * ImGui::GetStyle().ItemSpacing.x) / 10);
    std::string key = staff_key_rows(ui, rows, 5, "sync/osk/", key_w, -1, true);
    if (!key.empty() && target.size() < 200) target += key;
    if (button(ui, "sync/osk/delete", kiosk_text(app, "staff_sync_delete"), key_w * 3)) pop_utf8_char(target);
    ImGui::SameLine();
    if (button(ui, "sync/osk/done", kiosk_text(app, "staff_sync_keyboard_done"), key_w * 3)) app.page.drafts["sync|osk"].clear();
}

// A label, its field ("sync/<what>") and a "Tastatur" button ("sync/osk_<what>") that opens
// and closes the small keyboard under it; one keyboard is open at a time.
void address_line(KioskApp& app, UiState& ui, const char* label_key, const std::string& what, std::string& text,
                  float w, float bw) {
    std::string& osk = app.page.drafts["sync|osk"];
    staff_text(kiosk_text(app, label_key));
    field(ui, ("##" + what).c_str(), text, "sync/" + what, w - bw * 0.5f - ImGui::GetStyle().ItemSpacing.x);
    ImGui::SameLine();
    if (button(ui, "sync/osk_" + what, kiosk_text(app, "staff_sync_keyboard"), bw * 0.5f)) osk = osk == what ? "" : what;
    if (osk == what) address_keyboard(app, ui, text, w);
}

std::string job_error(const KioskApp& app, const SyncOutcome& o) { return sync_error_text(o, app.texts, app.reading.language); }

void outcome_view(KioskApp& app, const SyncDesk& st, const Theme& th) {
    const SyncOutcome& o = st.last;
    std::string left = o.unsynced_after >= 0 ? std::to_string(o.unsynced_after) : "?";
    // The one refusal staff can fix on the spot; the server's English reason stays in the log.
    if (!o.ok && o.refusal.code == "wrong-research-key") {
        say(fill(kiosk_text(app, "staff_sync_wrong_key"), {{"key", o.research_key}, {"expected", o.refusal.expected_key}}), th.error);
        return;
    }
    switch (o.kind) {
    case SyncJobKind::None: break;
    case SyncJobKind::Sync: {
        const SyncResult& r = o.sync;
        std::vector<std::pair<std::string, std::string>> v = {
            {"sent", std::to_string(r.sent)},       {"stored", std::to_string(r.stored)},
            {"dup", std::to_string(r.duplicates)},  {"left", left},
            {"status", r.http_status ? "HTTP " + std::to_string(r.http_status) : kiosk_text(app, "staff_sync_no_answer")},
            {"error", job_error(app, o)}};
        if (o.ok) say(fill(kiosk_text(app, "staff_sync_ok"), v), th.text);
        else say(fill(kiosk_text(app, "staff_sync_failed"), v), th.error);
        break;
    }
    case SyncJobKind::Enrol:
        if (o.ok) say(fill(kiosk_text(app, "staff_sync_enrol_ok"), {{"fp", o.server_fingerprint}}), th.text);
        else say(fill(kiosk_text(app, "staff_sync_enrol_failed"), {{"error", job_error(app, o)}}), th.error);
        break;
    case SyncJobKind::Export:
        if (o.ok && o.path.empty()) say(kiosk_text(app, "staff_sync_export_none"), th.text);
        else if (o.ok) say(fill(kiosk_text(app, "staff_sync_export_ok"), {{"n", std::to_string(o.count)}, {"path", o.path}}), th.text);
        else say(fill(kiosk_text(app, "staff_sync_export_failed"), {{"error", o.error}}), th.error);
        break;
    case SyncJobKind::Receipts:
        if (!o.error.empty() && o.receipts.empty()) say(fill(kiosk_text(app, "staff_sync_export_failed"), {{"error", o.error}}), th.error);
        for (const auto& r : o.receipts) {
            std::vector<std::pair<std::string, std::string>> v = {
                {"file", base_name(r.path)}, {"seq", std::to_string(r.acked)}, {"n", std::to_string(r.resend)}, {"error", r.error}};
            if (r.effect == ReceiptEffect::Resend) say(fill(kiosk_text(app, "staff_sync_receipt_resend"), v), th.text);
            else if (r.effect == ReceiptEffect::NoNews) say(fill(kiosk_text(app, "staff_sync_receipt_old"), v), th.text_muted);
            else if (r.ok) say(fill(kiosk_text(app, "staff_sync_receipt_ok"), v), th.text);
            else say(fill(kiosk_text(app, "staff_sync_receipt_failed"), v), th.error);
        }
        if (o.other_device_receipts > 0)
            say(fill(kiosk_text(app, "staff_sync_receipts_other"), {{"n", std::to_string(o.other_device_receipts)}}), th.text_muted);
        say(fill(kiosk_text(app, "staff_sync_left"), {{"left", left}}), th.text);
        break;
    case SyncJobKind::Provision:
        if (!o.ok) say(fill(kiosk_text(app, "staff_sync_provision_failed"), {{"file", o.path}, {"error", o.error}}), th.error);
        else if (o.already_enrolled) say(fill(kiosk_text(app, "staff_sync_provision_before"), {{"file", o.path}}), th.text);
        else say(fill(kiosk_text(app, "staff_sync_provision_ok"), {{"fp", o.server_fingerprint}, {"site", o.site.empty() ? "-" : o.site}}), th.text);
        break;
    case SyncJobKind::SurveyUpdate:
    case SyncJobKind::StickUpdate: {
        const SurveyUpdateResult& u = o.update;
        if (!o.ok) {
            say(fill(kiosk_text(app, "staff_sync_update_failed"), {{"error", job_error(app, o)}}), th.error);
            break;
        }
        say(fill(kiosk_text(app, "staff_sync_update_ok"), {{"applied", std::to_string(u.applied.size())},
                                            {"unchanged", std::to_string(u.unchanged.size())},
                                            {"refused", std::to_string(u.refused.size())}}),
            th.text);
        for (const auto& a : u.applied) say("+ " + a, th.text);
        for (const auto& r : u.refused) say(fill(kiosk_text(app, "staff_sync_update_refused"), {{"text", r}}), th.error);
        break;
    }
    }
}

} // namespace

std::string sync_desk_take_survey_update(KioskApp& app) {
    const SyncOutcome& o = app.sync.last;
    if ((o.kind != SyncJobKind::SurveyUpdate && o.kind != SyncJobKind::StickUpdate) || !o.ok) return "";
    std::string dir = app.data_dir + "/surveys";
    if (std::find(app.survey_dirs.begin(), app.survey_dirs.end(), dir) == app.survey_dirs.end())
        app.survey_dirs.push_back(dir);
    app.survey_files = list_survey_files(app.survey_dirs);
    if (!app.survey) return "";
    for (const auto& name : o.update.applied) {
        std::string path = dir + "/" + name;
        bool lss = path.size() > 4 && path.compare(path.size() - 4, 4, ".lss") == 0;
        if (!lss && (path.size() < 5 || path.compare(path.size() - 5, 5, ".json") != 0)) continue;
        LoadResult lr = lss ? load_lss(path) : load_survey(path);
        // A new version of the survey on screen replaces it; other surveys wait in the list.
        if (lr.ok() && lr.survey->id == app.survey->id && staff_switch_survey(app, path)) return path;
    }
    return "";
}

bool draw_sync_desk(KioskApp& app, UiState& ui, double now) {
    SyncDesk& st = app.sync;
    const Theme& th = theme(app.reading.theme);
    sync_desk_poll(st);
    bool busy = sync_desk_busy(st);
    if (busy) note_activity(app, now);
    if (st.handled != st.collected) {
        st.handled = st.collected;
        if (st.last.ok) adopt_enrolled_site(app); // after an enrolment or provisioning: the site named
        std::string switched = sync_desk_take_survey_update(app);
        if (!switched.empty()) app.survey_message = fill(kiosk_text(app, "staff_sync_update_switched"), {{"file", base_name(switched)}});
    }
    ui.page_name = std::string("SyncDesk ") +
                   (busy ? std::string("running ") + job_name(st.kind)
                         : st.has_last ? std::string("done ") + job_name(st.last.kind) + (st.last.ok ? " ok" : " failed") : "idle");
    if (st.scroll_top) { // the staff menu may have been scrolled down to reach the desk's button
        ImGui::SetScrollY(0);
        st.scroll_top = false;
    }
    float w = ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ScrollbarSize;
    float bw = std::min(w, ui.m.body * 18);
    bool leave = false;
    ImGui::PushID("staff_sync_desk");
    ImGui::PushFont(ui.fonts.heading ? ui.fonts.heading : ImGui::GetFont());
    staff_text(kiosk_text(app, "staff_sync_title"));
    ImGui::PopFont();

    // Where the kiosk stands.
    if (st.enrolled_fingerprint.empty()) say(kiosk_text(app, "staff_sync_not_enrolled"), th.error);
    else say(fill(kiosk_text(app, "staff_sync_enrolled"), {{"url", st.enrolled_url}, {"fp", st.enrolled_fingerprint}}), th.text_muted);
    StaffInfo info = app.staff_info_fn ? app.staff_info_fn() : StaffInfo{};
    say(fill(kiosk_text(app, "staff_sync_waiting"), {{"n", std::to_string(info.unsynced)}, {"sync", info.last_sync.empty() ? "-" : info.last_sync}}),
        th.text);
    ImGui::Separator();

    // The running job, or the result of the last one.
    if (busy || st.has_last) {
        int64_t done = sync_desk_done(st), total = sync_desk_total(st);
        if (busy || st.last.kind == SyncJobKind::Sync) {
            char overlay[64];
            std::snprintf(overlay, sizeof overlay, "%lld / %lld", (long long)done, (long long)total);
            float f = total > 0 ? float(double(done) / double(total)) : (busy ? 0.0f : 1.0f);
            ImGui::ProgressBar(f, ImVec2(w, ui.m.target), overlay);
            staff_remember_visible(ui, "sync/progress");
        }
        if (busy) say(fill(kiosk_text(app, "staff_sync_running"), {{"done", std::to_string(done)}, {"total", std::to_string(total)}}), th.text);
        else outcome_view(app, st, th);
    }
    if (!st.refused.empty()) say(kiosk_text(app, st.refused), th.error);
    ImGui::Separator();

    ImGui::BeginDisabled(busy);
    // Server address and "now".
    address_line(app, ui, "staff_sync_url", "url", st.server_url, w, bw);
    if (button(ui, "sync/run", kiosk_text(app, "staff_sync_run"), bw)) {
        st.options.status = kiosk_device_status(app);
        sync_desk_start_sync(st);
    }
    ImGui::SameLine();
    if (button(ui, "sync/update", kiosk_text(app, "staff_sync_update"), bw)) sync_desk_start_survey_update(st);

    // Enrolment.
    ImGui::Dummy(ImVec2(0, ui.m.gap));
    address_line(app, ui, "staff_sync_code", "code", st.pairing_code, w, bw);
    // The key pin matters only for https (a server with its own certificate).
    if (st.server_url.rfind("https://", 0) == 0) address_line(app, ui, "staff_sync_pin", "pin", st.pin, w, bw);
    if (button(ui, "sync/enrol", kiosk_text(app, "staff_sync_enrol"), bw)) sync_desk_start_enrol(st);

    // USB stick.
    ImGui::Dummy(ImVec2(0, ui.m.gap));
    staff_text(kiosk_text(app, "staff_sync_usb"));
    if (st.volumes.empty()) say(kiosk_text(app, "staff_sync_no_sticks"), th.text_muted);
    for (size_t i = 0; i < st.volumes.size(); ++i) {
        bool chosen = int(i) == st.volume;
        std::string label = (chosen ? "(x) " : "( ) ") + st.volumes[i];
        if (ImGui::Selectable((label + "##usb" + std::to_string(i)).c_str(), chosen, 0, ImVec2(w, ui.m.target)))
            sync_desk_set_volume(st, int(i));
        staff_remember_visible(ui, "sync/usb/" + std::to_string(i));
    }
    if (button(ui, "sync/usb_refresh", kiosk_text(app, "staff_sync_usb_refresh"), bw * 0.5f)) sync_desk_begin(st, app.data_dir);
    // Beside it, not below: the desk stays one screen high at 1366x768 (three buttons as wide
    // as the two of the row below).
    ImGui::SameLine();
    if (button(ui, "sync/stick_update", kiosk_text(app, "staff_sync_stick_update"), bw * 0.75f)) sync_desk_start_stick_update(st);
    ImGui::SameLine();
    if (button(ui, "sync/provision", kiosk_text(app, "staff_sync_provision"), bw * 0.75f)) sync_desk_start_provision(st);
    if (st.volume >= 0)
        say(fill(kiosk_text(app, "staff_sync_receipts_found"),
                 {{"n", std::to_string(st.receipt_files.size())}, {"updates", std::to_string(st.stick_updates.size())}}),
            th.text_muted);
    if (button(ui, "sync/export", kiosk_text(app, "staff_sync_export"), bw)) {
        st.options.status = kiosk_device_status(app);
        sync_desk_start_export(st, app.wall_clock ? app.wall_clock() : 0);
    }
    ImGui::SameLine();
    if (button(ui, "sync/receipt", kiosk_text(app, "staff_sync_receipt"), bw)) sync_desk_start_receipts(st);
    ImGui::EndDisabled();

    ImGui::Dummy(ImVec2(0, ui.m.gap));
    if (button(ui, "sync/leave", kiosk_text(app, "staff_sync_leave"), bw * 0.5f)) {
        leave = true;
        app.page.drafts["sync|osk"].clear();
        sync_desk_leave(st);
    }
    ImGui::PopID();
    return leave;
}

} // namespace tk
