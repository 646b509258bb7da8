// app.cpp - the frame glue between state, fonts and speech.
#include "app.h"

#include <imgui.h>

namespace tk {

bool kiosk_prepare_frame(KioskApp& app, UiState& ui) {
    if (!fonts_outdated(ui.fonts, app.reading, ui.dpi)) return false;
    build_fonts(ui.fonts, app.reading, ui.dpi);
    return true;
}

void kiosk_after_frame(KioskApp& app, UiState& ui, Speech& speech) {
    if (app.speak_stop) {
        speech_stop(speech);
        app.speak_stop = false;
    }
    if (!app.speak_request.empty()) {
        // Masked entry is never spoken, whatever asked for it.
        if (app.screen != Screen::StaffPin && app.screen != Screen::StaffMenu)
            speech_say(speech, app.reading.language, app.speak_request);
        app.speak_request.clear();
    }
    speech_poll(speech);
    ui.speaking = speech_active(speech);
}

} // namespace tk
