// idle.cpp - inactivity: the warning with its countdown, "Ich brauche mehr Zeit", the next
// timer for the sleeping event loop, and the end of a session (partial response, then every
// trace wiped).
#include "kiosk_state.h"
#include "state_helpers.h"

#include <algorithm>

namespace tk {

void more_time(KioskApp& app, double now) {
    app.idle.warning = false;
    app.idle.warning_until = 0;
    app.idle.last_activity = now;
    ++app.idle.extensions;
}

double seconds_to_next_timer(const KioskApp& app, double now) {
    if (field_print_running(app)) return 0.2; // idle_tick collects the finished print job
    if (app.delphi.working) return 0.05;      // idle_tick collects the participant's keys
    if (app.screen == Screen::Welcome) {
        // Settings chosen on the welcome page by someone who then walked away go back to
        // the staff defaults after the idle time; otherwise the welcome page waits.
        if (app.reading == app.config.defaults) return 1e9;
        return std::max(0.0, app.idle.last_activity + app.config.idle_seconds - now);
    }
    if (app.idle.warning) return std::max(0.0, std::min(1.0, app.idle.warning_until - now));
    if (app.screen == Screen::ThankYou) return std::max(0.0, app.thanks_until - now);
    if (app.screen == Screen::StaffPin && app.pin.locked_until > now)
        return std::min(1.0, app.pin.locked_until - now);
    if (app.screen == Screen::DelphiCode && app.delphi_lock.locked_until > now)
        return std::max(0.0, std::min({1.0, app.delphi_lock.locked_until - now,
                                        app.idle.last_activity + app.config.idle_seconds - now}));
    return std::max(0.0, app.idle.last_activity + app.config.idle_seconds - now);
}

void idle_tick(KioskApp& app, double now) {
    field_print_poll(app);
    delphi_poll(app);
    if (app.screen == Screen::Welcome) {
        if (!(app.reading == app.config.defaults) && now - app.idle.last_activity >= app.config.idle_seconds)
            reset_to_welcome(app);
        return;
    }
    if (app.screen == Screen::ThankYou || app.screen == Screen::SaveFailed) {
        if (app.screen == Screen::ThankYou && now >= app.thanks_until) reset_to_welcome(app);
        if (app.screen == Screen::SaveFailed && now - app.idle.last_activity >= app.config.idle_seconds)
            reset_to_welcome(app);
        return;
    }
    if (app.screen == Screen::StaffPin || app.screen == Screen::StaffMenu) {
        // Staff who walk away must not leave the menu open for the next citizen.
        if (now - app.idle.last_activity >= app.config.idle_seconds) {
            leave_staff(app);
            end_session_timeout(app, now);
        }
        return;
    }
    if (!on_respondent_screen(app.screen)) return;
    if (!app.idle.warning) {
        if (now - app.idle.last_activity >= app.config.idle_seconds) {
            app.idle.warning = true;
            app.idle.warning_until = now + std::max(30, app.config.warn_seconds);
            app.speak_stop = true;
            if (app.reading.read_aloud_auto) app.speak_request = kiosk_text(app, "idle_title") + "\n" + kiosk_text(app, "more_time");
        }
        return;
    }
    if (now >= app.idle.warning_until) end_session_timeout(app, now);
}

void end_session_timeout(KioskApp& app, double now) {
    if (app.session && app.survey && app.survey->settings.partial_responses) {
        Response r = finish_session(app, false);
        // Defaults alone are no response: the respondent may never have seen them.
        if (!r.answers.empty() && app.session->respondent_acted()) {
            SubmitResult res = app.submit_fn ? app.submit_fn(r) : SubmitResult{false, "no vault"};
            if (res.durable) ++app.partials;
            else app.save_error = res.error; // the vault keeps it pending and raises an alarm
        }
    }
    reset_to_welcome(app);
    app.idle.last_activity = now;
}

void reset_to_welcome(KioskApp& app) {
    app.session.reset();
    app.interviewer.clear(); // an assisted interview is one session
    app.consent_given = false;
    delphi_wipe(app.delphi); // code, keys, the opened answers, reasons
    wipe(app.thanks_text);
    wipe_page(app);
    wipe(app.pin.entry);
    wipe(app.pin.new_pin);
    wipe(app.pin.new_pin2);
    app.pin.change_open = app.pin.change_repeat = false;
    app.pin.message_key.clear();
    app.reading = app.config.defaults;
    app.idle.warning = false;
    app.idle.warning_until = 0;
    app.idle.extensions = 0;
    app.speak_request.clear();
    app.speak_stop = true;
    app.screen = Screen::Welcome;
    ++app.generation;
}

} // namespace tk
