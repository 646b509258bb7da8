// kiosk_welcome.cpp - the citizen's first minute, headless: the welcome page (tap anywhere,
// the survey's languages as buttons, reading aids), the data-protection notice and consent
// (a refusal stores nothing), and that the kiosk's own words follow the chosen language.
#include <doctest/doctest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "kiosk_harness.h"

using tkt::Harness;

namespace {

const std::string kActors = std::string(TK_SOURCE_DIR) + "/surveys/bedarfe-akteure.json";

// True when (x, y) lies in no named control of the frame.
bool on_no_control(const Harness& h, float x, float y) {
    for (const auto& [name, r] : h.ui.rects)
        if (x >= r.x0 && x <= r.x1 && y >= r.y0 && y <= r.y1) return false;
    return true;
}

std::set<std::string> language_buttons(const Harness& h) {
    std::set<std::string> out;
    const std::string prefix = "welcome/lang/";
    for (const auto& [name, r] : h.ui.rects)
        if (name.rfind(prefix, 0) == 0) out.insert(name.substr(prefix.size()));
    return out;
}

size_t count_of(const std::string& hay, const std::string& needle) {
    size_t n = 0;
    for (size_t p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + needle.size())) ++n;
    return n;
}

} // namespace

TEST_CASE("welcome: a tap anywhere that is no control starts; the staff corner and the tiles do not") {
    Harness h;
    REQUIRE(h.app.screen == tk::Screen::Welcome);
    // The page fills the screen: the start target is large and reaches far down.
    REQUIRE(h.has("welcome"));
    CHECK(h.ui.rects["welcome"].h() >= 2.5f * 48);
    CHECK(h.ui.rects["welcome"].w() >= 1366 - 2 * 48 - 1);

    // The staff corner is not "anywhere".
    h.click_at(1366 - 10, 10);
    CHECK(h.app.screen == tk::Screen::Welcome);

    // A tile changes the setting and does not start.
    h.click("welcome/text_size");
    CHECK(h.app.screen == tk::Screen::Welcome);
    CHECK(h.app.reading.text_scale == 150);
    h.click("welcome/contrast");
    CHECK(h.app.reading.theme == tk::ThemeId::HighContrast);
    CHECK(h.app.screen == tk::Screen::Welcome);

    // The left margin half-way down is no control; a tap there starts, and what was set on
    // the welcome page stays for this person.
    h.frame();
    REQUIRE(on_no_control(h, 10, 500));
    h.click_at(10, 500);
    CHECK(h.app.screen == tk::Screen::Language);
    REQUIRE(h.app.session);
    CHECK(h.app.reading.text_scale == 150);
    CHECK(h.app.reading.theme == tk::ThemeId::HighContrast);
}

TEST_CASE("welcome: the middle of the screen starts, and keys start as before") {
    {
        Harness h;
        h.click_at(683, 384);
        CHECK(h.app.screen == tk::Screen::Language);
    }
    for (int key : {GLFW_KEY_ENTER, GLFW_KEY_SPACE, GLFW_KEY_5, GLFW_KEY_KP_1}) {
        Harness h;
        CAPTURE(key);
        h.key(key);
        CHECK(h.app.screen == tk::Screen::Language);
    }
}

TEST_CASE("welcome: a drag is not a tap, and settings left on the welcome page go back after the idle time") {
    Harness h;
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(10, 300);
    h.frame();
    io.MouseDown[0] = true;
    h.frame();
    io.MousePos = ImVec2(10, 500);
    h.frames(2);
    io.MouseDown[0] = false;
    h.frames(2);
    CHECK(h.app.screen == tk::Screen::Welcome);

    h.click("welcome/text_size");
    REQUIRE(h.app.reading.text_scale == 150);
    h.wait(h.app.config.idle_seconds + 1);
    CHECK(h.app.screen == tk::Screen::Welcome);
    CHECK(h.app.reading.text_scale == h.app.config.defaults.text_scale);
}

TEST_CASE("welcome: the language buttons are the survey's languages, in their own names; one tap starts in it") {
    Harness h;
    std::set<std::string> want(h.app.survey->languages.begin(), h.app.survey->languages.end());
    CHECK(language_buttons(h) == want);
    // Each button says its language's own name (ui-texts "_name"), never the bare tag.
    for (const std::string& lang : h.app.survey->languages) CHECK(h.app.texts.names.count(lang) == 1);
    CHECK(h.app.texts.names.at("en") == "English");
    CHECK(h.app.texts.names.at("de-x-ls") == "Leichte Sprache");
    std::string text = h.frame_text();
    // The old advert promised languages the survey does not have.
    CHECK(text.find("Türkçe") == std::string::npos);
    CHECK(text.find("Українська") == std::string::npos);

    h.click("welcome/lang/en");
    CHECK(h.app.screen == tk::Screen::Language);
    REQUIRE(h.app.session);
    CHECK(h.app.session->language() == "en");
    CHECK(h.app.reading.language == "en");

    // Another survey, other buttons: the actors' survey is German and English only.
    Harness a(kActors);
    CHECK(language_buttons(a) == std::set<std::string>{"de", "en"});
}

TEST_CASE("welcome: title, who asks and why, duration and 'anonym' are on the page, in the language shown") {
    Harness h;
    std::string text = h.frame_text();
    CHECK(text.find(h.app.survey->title.get("de", "de")) != std::string::npos);
    CHECK(text.find(h.app.survey->about.get("de", "de")) != std::string::npos);
    int minutes = tk::estimated_minutes(*h.app.survey);
    CHECK(text.find("etwa " + std::to_string(minutes) + " Minuten") != std::string::npos);
    CHECK(text.find("anonym") != std::string::npos);
    CHECK(text.find("Deutsch · Leichte Sprache") == std::string::npos);

    // The staff's default language decides what the welcome page says first.
    h.app.config.defaults.language = "en";
    tk::reset_to_welcome(h.app);
    text = h.frame_text();
    CHECK(text.find(h.app.survey->about.get("en", "de")) != std::string::npos);
    CHECK(text.find("About " + std::to_string(minutes) + " minutes") != std::string::npos);
    CHECK(text.find("anonymous") != std::string::npos);
}

TEST_CASE("welcome: the speech control reads the welcome page and keeps reading the pages after it") {
    Harness h;
    h.speech.log_path = h.dir + "/speech.log";
    auto log = [&h] {
        std::ifstream f(h.speech.log_path);
        std::stringstream ss;
        ss << f.rdbuf();
        return ss.str();
    };
    h.click("welcome/read");
    CHECK(h.app.screen == tk::Screen::Welcome);
    CHECK(h.app.reading.read_aloud_auto);
    CHECK(h.speech.utterances >= 1);
    CHECK(log().find(h.app.survey->title.get("de", "de")) != std::string::npos);
    int before = h.speech.utterances;
    h.click("welcome");
    CHECK(h.app.screen == tk::Screen::Language);
    CHECK(h.app.reading.read_aloud_auto);
    CHECK(h.speech.utterances > before);
    CHECK(log().find(tk::ui_text(h.app.texts, "de", "language_title")) != std::string::npos);
}

TEST_CASE("privacy: the notice comes between the reading aids and the first question, and back returns to it") {
    Harness h;
    h.key(GLFW_KEY_ENTER);
    REQUIRE(h.app.screen == tk::Screen::Language);
    h.key(GLFW_KEY_ENTER);
    REQUIRE(h.app.screen == tk::Screen::Privacy);
    std::string text = h.frame_text();
    const tk::PrivacyNotice& n = h.app.survey->privacy;
    for (const tk::LocalText* t : {&n.controller, &n.purpose, &n.stored, &n.protection, &n.contact})
        CHECK(text.find(t->get("de", "de")) != std::string::npos);
    // The citizen survey only informs: "Weiter" goes on, no consent buttons.
    CHECK_FALSE(h.has("privacy/agree"));
    CHECK(h.has("next"));
    h.key(GLFW_KEY_ENTER);
    CHECK(h.current_code() == "INFO");
    h.key(GLFW_KEY_BACKSPACE);
    CHECK(h.app.screen == tk::Screen::Privacy);
    h.key(GLFW_KEY_BACKSPACE);
    CHECK(h.app.screen == tk::Screen::Language);
}

TEST_CASE("privacy: refusing consent ends the session and nothing reaches the vault") {
    Harness h(kActors);
    REQUIRE(h.app.survey->privacy.consent_required);
    int submitted = 0;
    h.app.submit_fn = [&](const tk::Response&) {
        ++submitted;
        return tk::SubmitResult{true, ""};
    };
    h.key(GLFW_KEY_ENTER);
    h.key(GLFW_KEY_ENTER);
    REQUIRE(h.app.screen == tk::Screen::Privacy);
    // Without consent there is no way on: no "Weiter", and Enter stays.
    CHECK_FALSE(h.has("next"));
    CHECK(h.reveal("privacy/agree")); // below the notice: scrolled to
    CHECK(h.reveal("privacy/decline"));
    CHECK_FALSE(h.has("next"));
    h.key(GLFW_KEY_ENTER);
    CHECK(h.app.screen == tk::Screen::Privacy);
    CHECK_FALSE(tk::next(h.app));

    h.click("privacy/decline");
    CHECK(h.app.screen == tk::Screen::Welcome);
    CHECK(h.app.session == nullptr);
    h.wait(h.app.config.idle_seconds + h.app.config.warn_seconds + 5);
    CHECK(submitted == 0);
    CHECK(h.vault->status().records == 0);

    // Key 2 refuses as well.
    h.key(GLFW_KEY_ENTER);
    h.key(GLFW_KEY_ENTER);
    REQUIRE(h.app.screen == tk::Screen::Privacy);
    h.key(GLFW_KEY_2);
    CHECK(h.app.screen == tk::Screen::Welcome);
    CHECK(h.vault->status().records == 0);
}

TEST_CASE("privacy: consent is recorded in the response; without required consent nothing is added") {
    Harness h(kActors);
    std::vector<tk::Response> got;
    h.app.submit_fn = [&](const tk::Response& r) {
        got.push_back(r);
        tk::AppendResult ar = h.vault->append_response(r);
        return tk::SubmitResult{ar.durable, ar.error};
    };
    h.key(GLFW_KEY_ENTER);
    h.key(GLFW_KEY_ENTER);
    REQUIRE(h.app.screen == tk::Screen::Privacy);
    h.key(GLFW_KEY_1);
    REQUIRE(h.app.screen == tk::Screen::Question);
    // Answer the first closed question and let the session time out: the partial response
    // carries the consent.
    for (int i = 0; i < 10 && !h.current()->is_closed(); ++i) h.key(GLFW_KEY_ENTER);
    REQUIRE(h.current()->is_closed());
    h.key(GLFW_KEY_1);
    REQUIRE(h.app.session->answer(h.current_code()));
    h.wait(h.app.config.idle_seconds + h.app.config.warn_seconds + 2);
    REQUIRE(got.size() == 1);
    CHECK(got[0].meta.at("consent") == "given");
    CHECK(h.vault->status().records == 1);

    // The citizen survey asks for none and records none.
    Harness c;
    std::vector<tk::Response> cgot;
    c.app.submit_fn = [&](const tk::Response& r) {
        cgot.push_back(r);
        return tk::SubmitResult{true, ""};
    };
    c.key(GLFW_KEY_ENTER);
    c.enter_until("");
    c.key(GLFW_KEY_ENTER);
    REQUIRE(cgot.size() == 1);
    CHECK(cgot[0].meta.count("consent") == 0);
}

TEST_CASE("multiple choice: the instruction 'Sie können mehrere Antworten wählen.' shows once") {
    const std::string several = "Sie können mehrere Antworten wählen.";
    {
        Harness h;
        REQUIRE(tk::ui_text(h.app.texts, "de", "choose_several") == several);
        h.key(GLFW_KEY_ENTER);
        h.enter_until("BARR");
        CHECK(count_of(h.frame_text(), several) == 1);
        CHECK(count_of(tk::page_speech_text(h.app), several) == 1);
    }
    // A survey whose help text says it already (written for another tool, or imported from
    // LimeSurvey): the kiosk does not add its own line, on screen or in speech.
    std::string file = tkt::temp_dir("help") + "/help.json";
    {
        std::ofstream f(file);
        f << R"({"format":"teilhabe-survey/1","id":"h","version":"1","languages":["de"],"title":"T",
          "groups":[{"code":"G","title":"G","questions":[
            {"code":"M","type":"multiple","text":"Was nutzen Sie?","help":"Sie können mehrere Antworten wählen.",
             "options":[{"code":"A","text":"Bus"},{"code":"B","text":"Bahn"}]},
            {"code":"N","type":"multiple","text":"Und sonst?","max_answers":2,
             "help":"Sie können bis zu 2 Antworten wählen.",
             "options":[{"code":"A","text":"Rad"},{"code":"B","text":"Auto"},{"code":"C","text":"Fuß"}]},
            {"code":"O","type":"multiple","text":"Noch etwas?","help":"Zum Beispiel am Wochenende.",
             "options":[{"code":"A","text":"ja"},{"code":"B","text":"nein"}]}]}]})";
    }
    Harness h(file);
    h.key(GLFW_KEY_ENTER);
    h.key(GLFW_KEY_ENTER);
    REQUIRE(h.current_code() == "M");
    CHECK(count_of(h.frame_text(), several) == 1);
    CHECK(count_of(tk::page_speech_text(h.app), several) == 1);
    h.key(GLFW_KEY_ENTER);
    REQUIRE(h.current_code() == "N");
    CHECK(count_of(h.frame_text(), "Sie können bis zu 2 Antworten wählen.") == 1);
    h.key(GLFW_KEY_ENTER);
    REQUIRE(h.current_code() == "O");
    // A help text about something else keeps the instruction beside it.
    std::string text = h.frame_text();
    CHECK(count_of(text, several) == 1);
    CHECK(count_of(text, "Zum Beispiel am Wochenende.") == 1);
    std::filesystem::remove_all(std::filesystem::path(file).parent_path());
}

TEST_CASE("language: every kiosk text a respondent sees in English is English") {
    tk::UiTexts t;
    std::string err;
    REQUIRE(tk::load_ui_texts(std::string(TK_SOURCE_DIR) + "/assets/ui-texts.json", t, &err));
    // German words of the kiosk that English never uses (long enough not to be part of an
    // English word, and different from the English text of the same key).
    std::vector<std::string> german;
    for (const auto& [key, text] : t.by_lang.at("de")) {
        if (key.rfind("staff_", 0) == 0 || key.rfind("pin_", 0) == 0 || text.size() < 8) continue;
        if (t.by_lang.at("en").count(key) && t.by_lang.at("en").at(key) == text) continue;
        std::string head = text.substr(0, text.find('{'));
        if (head.size() >= 8) german.push_back(head);
    }
    REQUIRE(german.size() > 20);

    Harness h;
    h.click("welcome/lang/en");
    REQUIRE(h.app.screen == tk::Screen::Language);
    int pages = 0;
    for (int i = 0; i < 40 && h.app.screen != tk::Screen::ThankYou; ++i) {
        std::string text = h.frame_text() + "\n" + tk::page_speech_text(h.app);
        for (const std::string& g : german) {
            CAPTURE(h.ui.page_name);
            CAPTURE(g);
            CHECK(text.find(g) == std::string::npos);
        }
        ++pages;
        if (h.current() && h.current()->is_closed()) h.key(GLFW_KEY_1);
        h.key(GLFW_KEY_ENTER);
    }
    CHECK(h.app.screen == tk::Screen::ThankYou);
    CHECK(pages > 10);
}

TEST_CASE("welcome: at 300 % the page scrolls by dragging, and the drag starts nothing") {
    Harness h;
    h.app.reading.text_scale = 300;
    h.frames(3);
    REQUIRE_FALSE(h.has("welcome")); // below the screen's edge at 300 % on 1366x768
    ImGuiIO& io = ImGui::GetIO();
    for (int pass = 0; pass < 3 && !h.has("welcome"); ++pass) {
        io.MousePos = ImVec2(683, 650);
        h.frame();
        io.MouseDown[0] = true;
        h.frame();
        for (int y = 650; y >= 150; y -= 50) {
            io.MousePos = ImVec2(683, float(y));
            h.frame();
        }
        io.MouseDown[0] = false;
        h.frames(2);
        CHECK(h.app.screen == tk::Screen::Welcome);
    }
    CHECK(h.has("welcome"));
    h.click("welcome");
    CHECK(h.app.screen == tk::Screen::Language);
    CHECK(h.app.reading.text_scale == 300);
}
