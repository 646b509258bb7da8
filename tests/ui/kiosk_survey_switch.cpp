// Staff switch the kiosk's survey in the staff menu: native JSON or a LimeSurvey .lss loaded
// directly; a broken file leaves the running survey in place and says why.
#include <doctest/doctest.h>

#include <fstream>

#include "kiosk_harness.h"

using tkt::Harness;

static std::string shared_dir() {
    const char* env = std::getenv("TK_SHARED_DIR");
    return env && *env ? env : std::string(TK_SOURCE_DIR) + "/../shared";
}

TEST_CASE("staff menu: switch surveys, including a LimeSurvey .lss, and refuse a broken file") {
    Harness h;
    const std::string lss = shared_dir() + "/lss/limesurvey_survey_454287.lss";
    REQUIRE(std::filesystem::exists(lss));
    const std::string broken = h.dir + "/broken.json";
    std::ofstream(broken) << "{\"format\": \"teilhabe-survey/1\", \"id\": ";

    // The list comes from the folders main.cpp passes: the shipped surveys and one more.
    std::filesystem::create_directories(h.dir + "/surveys");
    std::filesystem::copy_file(lss, h.dir + "/surveys/ls.lss");
    h.app.survey_files = tk::list_survey_files({std::string(TK_SOURCE_DIR) + "/surveys", h.dir + "/surveys"});
    REQUIRE(h.app.survey_files.size() == 3); // bedarfe-akteure.json, buerger-digital.json, ls.lss
    h.app.survey_path = std::string(TK_SOURCE_DIR) + "/surveys/buerger-digital.json";

    // A respondent is half-way through when staff step in.
    h.click("welcome");
    REQUIRE(h.app.session);
    h.app.screen = tk::Screen::StaffMenu;
    h.app.pin.must_change = false;
    h.frames(2);

    const std::string before = h.app.survey->id;
    CHECK(before == "buerger-digital");
    REQUIRE(h.reveal("staff/survey/ls.lss"));
    h.click("staff/survey/ls.lss");
    CHECK(h.app.survey->id != before);
    CHECK(h.app.survey_path == h.dir + "/surveys/ls.lss");
    CHECK(h.app.survey_message.rfind("ok:", 0) == 0);
    CHECK_FALSE(h.app.session); // the interrupted respondent's session is gone with the old survey
    CHECK(std::find(h.app.survey->languages.begin(), h.app.survey->languages.end(),
                    h.app.config.defaults.language) != h.app.survey->languages.end());

    // A broken file: the running survey stays, the message names the file.
    auto running = h.app.survey;
    CHECK_FALSE(tk::staff_switch_survey(h.app, broken));
    CHECK(h.app.survey == running);
    CHECK(h.app.survey_message.find("broken.json") != std::string::npos);

    // Back to a shipped survey; a new respondent starts on it.
    CHECK(tk::staff_switch_survey(h.app, std::string(TK_SOURCE_DIR) + "/surveys/bedarfe-akteure.json"));
    h.click("staff/back");
    CHECK(h.app.screen == tk::Screen::Welcome);
    h.click("welcome");
    REQUIRE(h.app.session);
    CHECK(h.app.session->survey().id == "bedarfe-akteure");
}
