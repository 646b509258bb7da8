// respondent_keyboard.cpp - the on-screen keyboard a respondent types a text field with
// ("Tastatur"): in the script of the page's language - Arabic (the Arabic 101 layout) or
// Persian (ISIRI 9147), German QWERTZ with umlauts and ß from staff_widgets.h otherwise -
// with its second layer ("Umschalt"), space, delete, "Fertig". Physical keys keep working
// while it is open.
//
//   keyboard_rows        the key rows for a language
//   on_screen_keyboard   the keyboard page
#include "screen_draw.h"
#include "staff_widgets.h"
#include "text_direction.h"

#include <GLFW/glfw3.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace tk {

// The letters sit where a physical keyboard of the script has them (ض top left, as on the
// keycaps people know); the first row keeps the digits 0-9, so numbers type the same in every
// language (what the number fields check). The second layer holds the hamza forms,
// Arabic-Indic or Persian digits and punctuation. At most 11 keys a row (the key width).
static const char* const kKeysArabic[4] = {"1234567890ذ", "ضصثقفغعهخحج", "شسيبلاتنمكط", "ئءؤرىةوزظد"};
static const char* const kKeysArabicShift[4] = {"١٢٣٤٥٦٧٨٩٠؟", "أإآـ،؛«»()!", "ًٌٍَُِّْ:.-", "\"'/+=_%,?"};
static const char* const kKeysPersian[4] = {"1234567890چ", "ضصثقفغعهخحج", "شسیبلاتنمکگ", "ظطزرذدپو،."};
static const char* const kKeysPersianShift[4] = {"۱۲۳۴۵۶۷۸۹۰؟", "آأإئؤءةژ«»؛", "ًٌٍَُِّْ:!-", "\"'/()+=_%,"};

static const char* const* keyboard_rows(const std::string& lang, bool shift) {
    std::string primary = lang.substr(0, lang.find_first_of("-_"));
    if (primary == "fa" || primary == "prs") return shift ? kKeysPersianShift : kKeysPersian;
    if (is_rtl(lang)) return shift ? kKeysArabicShift : kKeysArabic; // ar and the other Arabic-script languages
    return shift ? kKeysGermanUpper : kKeysGermanLower;
}

void on_screen_keyboard(ScreenDraw& c, float width, float height) {
    KioskApp& app = c.app;
    const std::string field = app.page.osk_field;
    std::string text = field_text(app, field);
    bool changed = false;
    // Physical keys keep working while the on-screen keyboard is open.
    if (take_typed_chars(text)) changed = true;
    if (ImGui::IsKeyPressed(GLFW_KEY_BACKSPACE)) {
        pop_utf8_char(text);
        changed = true;
    }
    bool close = ImGui::IsKeyPressed(GLFW_KEY_ESCAPE, false) || ImGui::IsKeyPressed(GLFW_KEY_ENTER, false) ||
                 ImGui::IsKeyPressed(GLFW_KEY_KP_ENTER, false);

    ImGui::PushFont(c.ui.fonts.toolbar);
    float fs = ImGui::GetFontSize();
    float key_h = std::max(48.0f * c.m.dpi, fs + 2 * std::round(fs * 0.35f));
    float rows_h = 5 * (key_h + c.m.gap);
    ImGui::PopFont();
    // The text being typed, large, above the keys.
    ImGui::BeginChild("osk_text", ImVec2(width, std::max(c.m.target, height - rows_h - c.m.gap)), false);
    wrapped(kiosk_text(app, "keyboard_typing"), c.th.text_muted);
    wrapped(text + "|", c.th.field_text); // the bar is the insertion point (shaped: Arabic joins as typed)
    ImGui::SetScrollHereY(1.0f);
    ImGui::EndChild();

    ImGui::PushFont(c.ui.fonts.toolbar);
    // A participant code is Latin letters and digits on every page.
    const char* const* rows = keyboard_rows(field == kDelphiCodeField ? "de" : app.reading.language, app.page.osk_shift);
    float key_w = (width - 10 * c.m.gap) / 11;
    for (int r = 0; r < 4; ++r) {
        std::vector<std::string> keys = utf8_chars(rows[r]);
        for (size_t k = 0; k < keys.size(); ++k) {
            if (k > 0) ImGui::SameLine(0, c.m.gap);
            if (big_button(c, "osk/" + keys[k], keys[k], ButtonKind::Secondary, key_w)) {
                text += keys[k];
                changed = true;
                if (app.page.osk_shift) app.page.osk_shift = false;
            }
        }
    }
    float w4 = (width - 3 * c.m.gap) / 4;
    if (big_button(c, "osk/shift", kiosk_text(app, "shift"), app.page.osk_shift ? ButtonKind::Primary : ButtonKind::Secondary, w4))
        app.page.osk_shift = !app.page.osk_shift;
    ImGui::SameLine(0, c.m.gap);
    if (big_button(c, "osk/space", kiosk_text(app, "space"), ButtonKind::Secondary, w4)) {
        text += " ";
        changed = true;
    }
    ImGui::SameLine(0, c.m.gap);
    if (big_button(c, "osk/delete", kiosk_text(app, "delete"), ButtonKind::Secondary, w4)) {
        pop_utf8_char(text);
        changed = true;
    }
    ImGui::SameLine(0, c.m.gap);
    if (big_button(c, "osk/done", kiosk_text(app, "keyboard_done"), ButtonKind::Primary, w4)) close = true;
    ImGui::PopFont();
    if (changed) edit_field(app, field, text);
    if (close) {
        app.page.osk_field.clear();
        c.enter_used = true;
    }
}

} // namespace tk
