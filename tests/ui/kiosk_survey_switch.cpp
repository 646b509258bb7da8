// Staff switch the kiosk's survey in the staff menu: native JSON or a LimeSurvey .lss loaded
// directly; a broken file leaves the running survey in place and says why.
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>

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
    h.app.survey_dirs = {std::string(TK_SOURCE_DIR) + "/surveys", h.dir + "/surveys"};
    h.app.survey_files = tk::list_survey_files(h.app.survey_dirs);
    // bedarfe-akteure.json, buerger-digital.json, delphi-stufe-1.json, delphi-stufe-2.json, ls.lss
    REQUIRE(h.app.survey_files.size() == 5);
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

// A survey staff chose (or a signed update installed, which switches the same way) comes
// back after a restart; a new --survey file from the administrator wins over the memory.
TEST_CASE("staff menu: the chosen survey survives a restart unless --survey changed") {
    Harness h;
    const std::string given = h.dir + "/given.json", other = std::string(TK_SOURCE_DIR) + "/surveys/bedarfe-akteure.json";
    std::filesystem::copy_file(std::string(TK_SOURCE_DIR) + "/surveys/buerger-digital.json", given);
    // The kiosk as main.cpp starts it: nothing remembered yet, so the given file.
    tk::StartSurvey first = tk::choose_start_survey(h.dir, given);
    REQUIRE(first.survey.ok());
    CHECK(first.path == given);
    CHECK(first.note.empty());
    h.app.survey_path = first.path;
    h.app.given_survey_hash = first.given_hash;

    REQUIRE(tk::staff_switch_survey(h.app, other));
    CHECK(h.app.survey->id == "bedarfe-akteure");
    CHECK(std::filesystem::exists(h.dir + "/active-survey.json"));
    CHECK(std::filesystem::status(h.dir + "/active-survey.json").permissions() ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));

    // Restart with the same command line: the chosen survey again, and it says so.
    tk::StartSurvey again = tk::choose_start_survey(h.dir, given);
    REQUIRE(again.survey.ok());
    CHECK(again.survey.survey->id == "bedarfe-akteure");
    CHECK(again.given_hash == first.given_hash);
    CHECK(again.note.find("chosen last") != std::string::npos);

    // Switching back to the given survey is remembered too.
    REQUIRE(tk::staff_switch_survey(h.app, given));
    CHECK(tk::choose_start_survey(h.dir, given).path == given);
    REQUIRE(tk::staff_switch_survey(h.app, other));

    // The remembered file changed or went away: the given survey, with the reason.
    const std::string copy = h.dir + "/chosen.json";
    std::filesystem::copy_file(other, copy);
    REQUIRE(tk::staff_switch_survey(h.app, copy));
    CHECK(tk::choose_start_survey(h.dir, given).path == copy);
    std::filesystem::remove(copy);
    tk::StartSurvey gone = tk::choose_start_survey(h.dir, given);
    CHECK(gone.path == given);
    CHECK(gone.note.find("gone or changed") != std::string::npos);

    // The administrator deploys a new --survey file: it wins, and the memory does not.
    REQUIRE(tk::staff_switch_survey(h.app, other));
    {
        std::ifstream in(given);
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        size_t at = text.find("\"version\": \"1.2\"");
        REQUIRE(at != std::string::npos);
        text.replace(at, 16, "\"version\": \"1.3\"");
        std::ofstream(given, std::ios::trunc) << text;
    }
    tk::StartSurvey deployed = tk::choose_start_survey(h.dir, given);
    REQUIRE(deployed.survey.ok());
    CHECK(deployed.path == given);
    CHECK(deployed.survey.survey->version == "1.3");
    CHECK(deployed.note.find("changed") != std::string::npos);

    // A damaged memory file never stops the kiosk.
    std::ofstream(h.dir + "/active-survey.json", std::ios::trunc) << "{\"path\": 3";
    tk::StartSurvey damaged = tk::choose_start_survey(h.dir, given);
    CHECK(damaged.survey.ok());
    CHECK(damaged.path == given);
    CHECK(damaged.note.find("not readable") != std::string::npos);
}

// The list shows each survey by id and version, once: a copy of a shipped survey in the data
// folder (an update that is also shipped, a file under a second name) is not a second row;
// two different surveys with the same id and version are told apart by their hash.
TEST_CASE("staff menu: surveys listed by id and version, each once") {
    Harness h;
    const std::string shipped = std::string(TK_SOURCE_DIR) + "/surveys";
    std::filesystem::create_directories(h.dir + "/surveys");
    std::filesystem::copy_file(shipped + "/buerger-digital.json", h.dir + "/surveys/buerger-digital-kopie.json");
    // Same id and version, other content.
    std::string text;
    {
        std::ifstream in(shipped + "/bedarfe-akteure.json");
        text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    auto at = text.find("\"de\": \"");
    REQUIRE(at != std::string::npos);
    text.insert(at + 7, "Lokal: ");
    std::ofstream(h.dir + "/surveys/bedarfe-lokal.json") << text;
    std::ofstream(h.dir + "/surveys/kaputt.json") << "{";

    h.app.survey_dirs = {shipped, h.dir + "/surveys"};
    h.app.survey_files = tk::list_survey_files(h.app.survey_dirs);
    std::vector<std::string> labels, paths;
    for (const tk::SurveyFile& f : h.app.survey_files) {
        labels.push_back(tk::survey_file_label(h.app.survey_files, f));
        paths.push_back(f.path);
    }
    INFO(labels.size());
    // buerger-digital once (the shipped file, found first), bedarfe-akteure twice with hashes,
    // the two Delphi rounds, the broken file last with its name.
    REQUIRE(h.app.survey_files.size() == 6);
    CHECK(std::count(paths.begin(), paths.end(), shipped + "/buerger-digital.json") == 1);
    CHECK(std::count(paths.begin(), paths.end(), h.dir + "/surveys/buerger-digital-kopie.json") == 0);
    CHECK(labels[0].rfind("bedarfe-akteure ", 0) == 0);
    CHECK(labels[1].rfind("bedarfe-akteure ", 0) == 0);
    CHECK(labels[0] != labels[1]); // the hash tells them apart
    CHECK(labels[0].find(" (") != std::string::npos);
    const std::string& bd = h.app.survey->version;
    CHECK(labels[2] == "buerger-digital " + bd);
    CHECK(labels[3].rfind("delphi-stufe-1 ", 0) == 0);
    CHECK(labels[4].rfind("delphi-stufe-2 ", 0) == 0);
    CHECK(labels[5] == "kaputt.json");
    CHECK_FALSE(h.app.survey_files[5].error.empty());

    // The staff menu draws them as such.
    h.app.screen = tk::Screen::StaffMenu;
    h.app.pin.must_change = false;
    h.frames(2);
    REQUIRE(h.reveal("staff/survey/buerger-digital.json"));
    CHECK_FALSE(h.reveal("staff/survey/buerger-digital-kopie.json"));
}
