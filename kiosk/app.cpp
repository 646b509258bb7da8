// app.cpp - the frame glue between state, fonts and speech.
#include "app.h"

#include "text_direction.h"

#include <imgui.h>

namespace tk {

// Arabic glyphs go into the atlas only for a survey that offers a right-to-left language.
static bool survey_needs_rtl_script(const KioskApp& app) {
    if (!app.survey) return false;
    for (const std::string& lang : app.survey->languages)
        if (is_rtl(lang)) return true;
    return false;
}

bool kiosk_prepare_frame(KioskApp& app, UiState& ui) {
    bool rtl = survey_needs_rtl_script(app);
    if (!fonts_outdated(ui.fonts, app.reading, ui.dpi, rtl)) return false;
    build_fonts(ui.fonts, app.reading, ui.dpi, rtl);
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
