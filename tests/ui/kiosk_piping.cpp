// kiosk_piping.cpp - answers piped into the page's texts, a default answer already chosen when
// the page comes, and the survey's own validation tip refusing "Weiter", headless.
#include <doctest/doctest.h>

#include <fstream>

#include "kiosk_harness.h"

using tkt::Harness;

namespace {

const char* kSurvey = R"({
  "format": "teilhabe-survey/1", "id": "pipe-ui", "version": "1", "languages": ["de"],
  "title": "Piping", "end_text": "Danke, {NAME}!",
  "groups": [{"code": "G", "title": "Über Sie", "questions": [
    {"code": "NAME", "type": "text", "text": "Wie heißen Sie?"},
    {"code": "ORT", "type": "single", "text": "Wo wohnen Sie, {NAME}?", "default": "2",
     "options": [{"code": "1", "text": "in der Stadt"}, {"code": "2", "text": "auf dem Land"}]},
    {"code": "ALTER", "type": "numeric", "text": "Wie alt sind Sie?",
     "validation": "this >= 14", "validation_tip": "Die Umfrage ist ab 14 Jahren, {NAME}."},
    {"code": "DOPPELT", "type": "equation", "equation": "{ALTER + ALTER}"},
    {"code": "ENDE", "type": "info", "text": "Sie wohnen {ORT.shown}; doppelt so alt: {DOPPELT}."}
  ]}]})";

struct PipeHarness {
    std::string path;
    explicit PipeHarness() {
        path = tkt::temp_dir("pipe") + "/pipe.json";
        std::ofstream(path) << kSurvey;
    }
};

} // namespace

TEST_CASE("piped texts, a prefilled default and the validation tip on the kiosk") {
    PipeHarness file;
    Harness h(file.path);
    h.key(GLFW_KEY_ENTER);
    REQUIRE(h.app.screen == tk::Screen::Language);
    h.key(GLFW_KEY_ENTER);
    REQUIRE(h.current_code() == "NAME");
    h.click("field/NAME|value");
    h.type("Ada");
    h.key(GLFW_KEY_ENTER); // leaves the field
    h.key(GLFW_KEY_ENTER); // Weiter
    REQUIRE(h.current_code() == "ORT");

    // The question text carries the name typed a page before, on screen and in speech.
    std::string screen = h.frame_text();
    CHECK(screen.find("Wo wohnen Sie, Ada?") != std::string::npos);
    CHECK(screen.find("{NAME}") == std::string::npos);
    CHECK(tk::page_speech_text(h.app).find("Wo wohnen Sie, Ada?") != std::string::npos);
    // The default is chosen already: Weiter without touching keeps it.
    REQUIRE(h.app.session->answer("ORT"));
    CHECK(h.app.session->answer("ORT")->value == "2");
    h.key(GLFW_KEY_ENTER);
    REQUIRE(h.current_code() == "ALTER");

    // 12 is refused with the survey's tip (piped), which the page shows and speech reads.
    h.click("field/ALTER|value");
    h.type("12");
    h.key(GLFW_KEY_ENTER);
    h.key(GLFW_KEY_ENTER);
    REQUIRE(h.current_code() == "ALTER");
    REQUIRE(h.app.page.problem.kind == tk::AnswerProblem::Invalid);
    screen = h.frame_text();
    CHECK(screen.find("Die Umfrage ist ab 14 Jahren, Ada.") != std::string::npos);
    CHECK(tk::page_speech_text(h.app).find("Die Umfrage ist ab 14 Jahren, Ada.") != std::string::npos);

    h.click("field/ALTER|value");
    h.key(GLFW_KEY_BACKSPACE);
    h.key(GLFW_KEY_BACKSPACE);
    h.type("40");
    h.key(GLFW_KEY_ENTER);
    h.key(GLFW_KEY_ENTER);
    // The equation is no page: the info page follows, with its value piped in.
    REQUIRE(h.current_code() == "ENDE");
    screen = h.frame_text();
    CHECK(screen.find("Sie wohnen auf dem Land; doppelt so alt: 80.") != std::string::npos);

    h.key(GLFW_KEY_ENTER);
    REQUIRE(h.app.screen == tk::Screen::Review);
    tk::submit(h.app, h.now);
    REQUIRE(h.app.screen == tk::Screen::ThankYou);
    CHECK(h.frame_text().find("Danke, Ada!") != std::string::npos);
}

TEST_CASE("a default on the first page alone is not stored when the kiosk is left") {
    std::string path = tkt::temp_dir("pipe-default") + "/d.json";
    std::ofstream(path) << R"({"format": "teilhabe-survey/1", "id": "d", "version": "1", "languages": ["de"],
      "title": "t", "groups": [{"code": "G", "title": "G", "questions": [
        {"code": "Y", "type": "yesno", "text": "Ja?", "default": "Y"},
        {"code": "Z", "type": "text", "text": "Und?"}]}]})";
    Harness h(path);
    h.key(GLFW_KEY_ENTER);
    h.key(GLFW_KEY_ENTER);
    REQUIRE(h.current_code() == "Y");
    REQUIRE(h.app.session->answer("Y")); // prefilled
    h.wait(h.app.config.idle_seconds + 40);
    CHECK(h.app.screen == tk::Screen::Welcome);
    CHECK(h.vault->status().records == 0);

    // Kept with Weiter, it is the respondent's answer: the partial response holds it.
    h.key(GLFW_KEY_ENTER);
    h.key(GLFW_KEY_ENTER);
    REQUIRE(h.current_code() == "Y");
    h.key(GLFW_KEY_ENTER);
    REQUIRE(h.current_code() == "Z");
    h.wait(h.app.config.idle_seconds + 40);
    CHECK(h.vault->status().records == 1);
}
