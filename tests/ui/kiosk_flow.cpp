// kiosk_flow.cpp - the respondent path through the real screens, headless.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "kiosk_harness.h"

using tkt::Harness;

TEST_CASE("keypad alone: welcome, language page, questions, conditions, back, review, submit") {
    Harness h;
    CHECK(h.app.screen == tk::Screen::Welcome);
    h.key(GLFW_KEY_KP_ENTER);
    CHECK(h.app.screen == tk::Screen::Language);
    h.key(GLFW_KEY_KP_ENTER);
    CHECK(h.app.screen == tk::Screen::Privacy); // the citizen survey informs, asks no consent
    h.key(GLFW_KEY_KP_ENTER);
    REQUIRE(h.app.screen == tk::Screen::Question);
    h.enter_until("ONLINE");

    // "3 = seltener" makes WARUM visible (condition ONLINE == '3' or '4').
    h.key(GLFW_KEY_KP_3);
    REQUIRE(h.app.session->answer("ONLINE"));
    CHECK(h.app.session->answer("ONLINE")->value == "3");
    h.key(GLFW_KEY_KP_ENTER);
    CHECK(h.current_code() == "WARUM");
    // Backspace goes back and keeps the answer.
    h.key(GLFW_KEY_BACKSPACE);
    CHECK(h.current_code() == "ONLINE");
    CHECK(h.app.session->answer("ONLINE")->value == "3");
    // "1 = jeden Tag" hides WARUM again: Enter skips it.
    h.key(GLFW_KEY_1);
    h.key(GLFW_KEY_ENTER);
    CHECK(h.current_code() == "BARR");

    // Multiple choice: digits toggle.
    h.key(GLFW_KEY_2);
    h.key(GLFW_KEY_4);
    h.key(GLFW_KEY_2);
    REQUIRE(h.app.session->answer("BARR"));
    CHECK(h.app.session->answer("BARR")->values.size() == 1);

    // Matrix: each digit fills the marked row and moves to the next one.
    h.enter_until("DIENST");
    const tk::Question* dienst = h.current();
    int rows = 0;
    for (const auto& r : dienst->rows) rows += h.app.session->is_row_visible(*dienst, r) ? 1 : 0;
    for (int i = 0; i < rows; ++i) h.key(GLFW_KEY_2);
    REQUIRE(h.app.session->answer("DIENST"));
    CHECK(int(h.app.session->answer("DIENST")->cells.size()) == rows);
    for (const auto& [row, v] : h.app.session->answer("DIENST")->cells) CHECK(v == dienst->options[1].code);

    // Free text: the field has the keyboard when the page opens; Enter leaves it, Enter goes on.
    h.enter_until("WUNSCH");
    h.type("Mehr Hilfe vor Ort, bitte");
    REQUIRE(h.app.session->answer("WUNSCH"));
    CHECK(h.app.session->answer("WUNSCH")->value == "Mehr Hilfe vor Ort, bitte");
    h.key(GLFW_KEY_ENTER);
    CHECK(h.current_code() == "WUNSCH");
    h.key(GLFW_KEY_ENTER);
    CHECK(h.current_code() != "WUNSCH");

    h.enter_until("");
    CHECK(h.app.screen == tk::Screen::Review);
    CHECK(h.has("change/ONLINE"));
    CHECK(h.vault->status().records == 0);
    h.key(GLFW_KEY_ENTER);
    CHECK(h.app.screen == tk::Screen::ThankYou);
    CHECK(h.vault->status().records == 1);
    CHECK(h.app.session == nullptr);
}

TEST_CASE("mouse: whole option rows are clickable, at least 48 px high, and review 'ändern' jumps back") {
    Harness h;
    h.click("welcome");
    REQUIRE(h.app.screen == tk::Screen::Language);
    h.click("next");
    h.enter_until("ONLINE");
    REQUIRE(h.has("option/2"));
    tk::Rect r = h.ui.rects["option/2"];
    CHECK(r.h() >= 48.0f);
    CHECK(r.w() > 1000.0f); // the whole row, not a small radio circle
    // Click near the right end of the row, far from the marker and the text.
    h.click_at(r.x1 - 20, r.cy());
    REQUIRE(h.app.session->answer("ONLINE"));
    CHECK(h.app.session->answer("ONLINE")->value == "2");
    for (const auto& [name, rect] : h.ui.rects) {
        CAPTURE(name);
        CHECK(rect.h() >= 48.0f); // every touch target at 100 %
    }
    h.click("next");
    h.enter_until("");
    h.click("change/ONLINE");
    CHECK(h.app.screen == tk::Screen::Question);
    CHECK(h.current_code() == "ONLINE");
    CHECK(h.app.session->answer("ONLINE")->value == "2");
}

TEST_CASE("text size switches between 100 and 300 % without losing answers; nothing wider than the screen") {
    Harness h;
    h.key(GLFW_KEY_ENTER);
    h.key(GLFW_KEY_ENTER);
    h.enter_until("ONLINE");
    h.key(GLFW_KEY_2);
    float h100 = h.ui.rects["option/1"].h();
    int font100 = h.ui.fonts.built_scale;
    CHECK(font100 == 100);
    for (int i = 0; i < 3; ++i) h.click("tool/text_size");
    CHECK(h.app.reading.text_scale == 300);
    CHECK(h.ui.fonts.built_scale == 300); // atlas rebuilt, not pixel-scaled
    CHECK(h.app.session->answer("ONLINE")->value == "2");
    CHECK(h.current_code() == "ONLINE");
    REQUIRE(h.reveal("option/1"));
    CHECK(h.ui.rects["option/1"].h() >= 2.5f * h100);
    // Walk the whole survey at 300 %: nothing may stick out to the right.
    for (int page = 0; page < 40 && h.app.screen == tk::Screen::Question; ++page) {
        for (const auto& [name, rect] : h.ui.rects) {
            CAPTURE(h.current_code());
            CAPTURE(name);
            CHECK(rect.x1 <= 1366.0f);
            CHECK(rect.x0 >= 0.0f);
        }
        h.key(GLFW_KEY_1);
        h.key(GLFW_KEY_ENTER);
    }
    CHECK(h.app.screen == tk::Screen::Review);
    h.click("tool/text_size"); // 300 -> 100
    CHECK(h.app.reading.text_scale == 100);
    CHECK(h.app.session->answer("ONLINE"));
}

TEST_CASE("inactivity: warning with countdown, more time, then partial response and a clean slate") {
    Harness h;
    h.key(GLFW_KEY_ENTER);
    h.key(GLFW_KEY_ENTER);
    h.enter_until("WUNSCH");
    h.type("geheimer Text");
    REQUIRE(h.app.session->answer("WUNSCH"));
    REQUIRE(GImGui->InputTextState.CurLenA > 0);

    h.wait(h.app.config.idle_seconds + 1);
    CHECK(h.app.idle.warning);
    CHECK(h.has("more_time"));
    CHECK(h.app.idle.warning_until - h.now >= 28.0); // 30 s countdown, minus the frames drawn since
    h.click("more_time");
    CHECK_FALSE(h.app.idle.warning);
    CHECK(h.app.screen == tk::Screen::Question);
    CHECK(h.app.session->answer("WUNSCH")->value == "geheimer Text");

    h.wait(h.app.config.idle_seconds + 10);
    CHECK(h.app.idle.warning);
    CHECK(h.app.screen == tk::Screen::Question);
    h.wait(25); // 35 s of countdown in all: it has run out
    CHECK(h.app.screen == tk::Screen::Welcome);
    CHECK(h.app.session == nullptr);
    CHECK(h.app.page.drafts.empty());
    CHECK(h.vault->status().records == 1); // the partial response
    CHECK(h.app.partials == 1);
    // Nothing of the last person in ImGui either: no active field, no edit buffer, no focus.
    h.frames(2);
    CHECK(GImGui->ActiveId == 0);
    CHECK(GImGui->InputTextState.CurLenA == 0);
    CHECK(GImGui->InputTextState.TextW.Size == 0);
    CHECK(GImGui->InputTextState.Stb.undostate.undo_point == 0);
    // The next person starts at the first page with no answers and the default reading settings.
    h.key(GLFW_KEY_ENTER);
    CHECK(h.app.screen == tk::Screen::Language);
    CHECK(h.app.session->answer("WUNSCH") == nullptr);
    CHECK_FALSE(h.app.session->can_go_back());
}

TEST_CASE("inactivity on the language page hands nothing to the vault (nothing was answered)") {
    Harness h;
    h.key(GLFW_KEY_ENTER);
    h.wait(h.app.config.idle_seconds + 40);
    CHECK(h.app.screen == tk::Screen::Welcome);
    CHECK(h.vault->status().records == 0);
}

TEST_CASE("reading settings of one person do not carry over to the next") {
    Harness h;
    h.click("welcome");
    h.click("size/200");
    h.click("theme/high");
    CHECK(h.app.reading.text_scale == 200);
    CHECK(h.app.reading.theme == tk::ThemeId::HighContrast);
    h.wait(h.app.config.idle_seconds + 40);
    CHECK(h.app.screen == tk::Screen::Welcome);
    CHECK(h.app.reading.text_scale == 100);
    CHECK(h.app.reading.theme == tk::ThemeId::Standard);
}

TEST_CASE("'Danke' only when the vault made the record durable") {
    Harness h;
    h.vault->set_simulated_read_only(true);
    h.key(GLFW_KEY_ENTER);
    h.key(GLFW_KEY_ENTER);
    h.enter_until("ONLINE");
    h.key(GLFW_KEY_1);
    h.enter_until("");
    h.key(GLFW_KEY_ENTER);
    CHECK(h.app.screen == tk::Screen::SaveFailed);
    CHECK_FALSE(h.app.save_error.empty());
    CHECK(h.vault->status().pending_in_memory == 1); // kept by the vault, not lost
}

TEST_CASE("on-screen keyboard types umlauts and ß into the field") {
    Harness h;
    h.key(GLFW_KEY_ENTER);
    h.key(GLFW_KEY_ENTER);
    h.enter_until("WUNSCH");
    h.click("keyboard/WUNSCH|value");
    REQUIRE(h.app.page.osk_field == "WUNSCH|value");
    for (const char* k : {"osk/g", "osk/r", "osk/ü", "osk/ß", "osk/e"}) h.click(k);
    h.click("osk/shift");
    h.click("osk/Ö");
    h.click("osk/delete");
    h.click("osk/space");
    h.click("osk/ä");
    h.click("osk/done");
    CHECK(h.app.page.osk_field.empty());
    CHECK(h.app.session->answer("WUNSCH")->value == "grüße ä");
}

TEST_CASE("read aloud: question and numbered options, never on the PIN screen") {
    Harness h;
    h.key(GLFW_KEY_ENTER);
    h.key(GLFW_KEY_ENTER);
    h.enter_until("ONLINE");
    std::string s = tk::page_speech_text(h.app);
    CHECK(s.find(tk::survey_text(h.app, h.current()->text)) != std::string::npos);
    CHECK(s.find("Antwort 1: ") != std::string::npos);
    CHECK(s.find("Antwort 4: ") != std::string::npos);
    int before = h.speech.utterances;
    h.click("tool/read");
    CHECK(h.speech.utterances == before + 1);
    // Automatic reading speaks each new page once.
    h.app.reading.read_aloud_auto = true;
    h.frames(2);
    int auto_count = h.speech.utterances;
    CHECK(auto_count == before + 2);
    h.key(GLFW_KEY_ENTER);
    CHECK(h.speech.utterances == auto_count + 1);
    h.key(GLFW_KEY_S, true, true);
    REQUIRE(h.app.screen == tk::Screen::StaffPin);
    CHECK(tk::page_speech_text(h.app).empty());
    h.app.speak_request = "1 2 3 4"; // even if something asks
    int n = h.speech.utterances;
    h.frames(2);
    CHECK(h.speech.utterances == n);
}

TEST_CASE("language choice switches survey and UI texts") {
    Harness h;
    h.key(GLFW_KEY_ENTER);
    h.click("lang/en");
    CHECK(h.app.reading.language == "en");
    CHECK(h.app.session->language() == "en");
    CHECK(tk::kiosk_text(h.app, "next") == "Next");
    h.click("next");
    h.enter_until("ONLINE");
    CHECK(tk::survey_text(h.app, h.current()->text) == h.current()->text.get("en", "de"));
}

// The voice follows the language shown: each of the citizen survey's languages, chosen on the
// language page, is read in its own espeak-ng voice (Leichte Sprache in the German one), with
// the survey's and the kiosk's texts of that language. The utterance log is what the kiosk
// hands to espeak-ng.
TEST_CASE("read aloud: the voice is the language shown, in every language of the citizen survey") {
    const std::map<std::string, std::string> voice = {{"de", "de"}, {"de-x-ls", "de"}, {"en", "en"},
                                                      {"tr", "tr"}, {"uk", "uk"},      {"ru", "ru"},
                                                      {"ar", "ar"}, {"fa", "fa"}};
    // One Harness at a time: each owns the current ImGui context.
    tk::LoadResult lr = tk::load_survey(std::string(TK_SOURCE_DIR) + "/surveys/buerger-digital.json");
    REQUIRE(lr.ok());
    REQUIRE(lr.survey->languages.size() == voice.size());
    for (const std::string& lang : lr.survey->languages) {
        CAPTURE(lang);
        REQUIRE(voice.count(lang) == 1);
        CHECK(tk::espeak_voice(lang) == voice.at(lang));
        Harness h;
        h.speech.log_path = h.dir + "/speech.log";
        h.key(GLFW_KEY_ENTER);
        h.click("lang/" + lang);
        REQUIRE(h.app.reading.language == lang);
        h.click("next");
        h.enter_until("ONLINE");
        h.click("tool/read");
        std::ifstream f(h.speech.log_path);
        std::stringstream ss;
        ss << f.rdbuf();
        std::string log = ss.str();
        const tk::Question& q = *h.current();
        // The only utterance is the one asked for; the page's text follows its progress line.
        CHECK(log.rfind("[" + lang + " voice=" + voice.at(lang) + "] ", 0) == 0);
        CHECK(std::count(log.begin(), log.end(), '[') == 1);
        CHECK(log.find(q.text.get(lang, h.app.survey->original_language())) != std::string::npos);
        std::string answer1 = tk::fill(tk::ui_text(h.app.texts, lang, "speak_option"),
                                       {{"n", "1"}, {"text", q.options[0].text.get(lang, "de")}});
        CHECK(log.find(answer1) != std::string::npos);
        CHECK(log.find("voice=-") == std::string::npos);
    }
    // A language espeak-ng has no voice for is logged, never spoken with another language's rules.
    CHECK(tk::espeak_voice("fa-IR") == "fa");
    CHECK(tk::espeak_voice("AR") == "ar");
    CHECK(tk::espeak_voice("xx").empty());
    tk::Speech s;
    s.enabled = false;
    std::string dir = tkt::temp_dir("speech");
    s.log_path = dir + "/other.log";
    tk::speech_say(s, "xx", "Hallo");
    std::ifstream f(s.log_path);
    std::string line;
    std::getline(f, line);
    CHECK(line == "[xx voice=-] Hallo");
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
}
