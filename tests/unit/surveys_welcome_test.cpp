// surveys_welcome_test.cpp - what the kiosk's welcome page and data-protection notice take from
// a survey file: "about", "privacy" (loaded, refused when incomplete, written back), and the
// duration estimate computed from the questions.
#include <doctest/doctest.h>

#include <string>

#include "survey.h"
#include "test_survey.h"

using tk::test::parsed_survey;

namespace {

// A survey in de and en with `extra` top-level keys and `questions` in one group.
std::string survey_text(const std::string& extra, const std::string& questions) {
    return R"({"format":"teilhabe-survey/1","id":"w","version":"1","languages":["de","en"],
      "title":{"de":"Titel","en":"Title"},)" +
           extra + R"("groups":[{"code":"G","title":{"de":"G","en":"G"},"questions":[)" + questions + "]}]}";
}

const char* kPrivacy = R"("privacy":{"controller":{"de":"Stadt X","en":"Town X"},
      "purpose":{"de":"Planung","en":"Planning"},"stored":{"de":"Antworten","en":"Answers"},
      "protection":{"de":"verschlüsselt","en":"encrypted"},"contact":{"de":"dsb@x","en":"dpo@x"},
      "consent_required":true},)";

std::string q(const std::string& code, const std::string& type, const std::string& rest = "") {
    return R"({"code":")" + code + R"(","type":")" + type + R"(","text":{"de":"F","en":"Q"})" + rest + "}";
}

std::string opts(int n) {
    std::string s = R"(,"options":[)";
    for (int i = 1; i <= n; ++i)
        s += (i > 1 ? "," : "") + std::string(R"({"code":"A)") + std::to_string(i) + R"(","text":{"de":"a","en":"a"}})";
    return s + "]";
}

std::string rows(int n) {
    std::string s = R"(,"rows":[)";
    for (int i = 1; i <= n; ++i)
        s += (i > 1 ? "," : "") + std::string(R"({"code":"R)") + std::to_string(i) + R"(","text":{"de":"r","en":"r"}})";
    return s + "]";
}

bool has_error(const tk::LoadResult& r, const std::string& where, const std::string& words) {
    for (const tk::LoadError& e : r.errors)
        if (e.where.find(where) != std::string::npos && e.message.find(words) != std::string::npos) return true;
    return false;
}

} // namespace

TEST_CASE("welcome: about and the privacy notice load, and survey_to_json writes them back") {
    auto s = parsed_survey(survey_text(R"("about":{"de":"Die Stadt fragt.","en":"The town asks."},)" + std::string(kPrivacy),
                                       q("Q1", "yesno")),
                           "w.json");
    CHECK(s->about.get("en", "de") == "The town asks.");
    CHECK_FALSE(s->privacy.empty());
    CHECK(s->privacy.controller.get("de", "de") == "Stadt X");
    CHECK(s->privacy.contact.get("en", "de") == "dpo@x");
    CHECK(s->privacy.consent_required);

    auto again = parsed_survey(tk::survey_to_json(*s), "again.json");
    CHECK(again->about.get("de", "de") == "Die Stadt fragt.");
    CHECK(again->privacy.protection.get("en", "de") == "encrypted");
    CHECK(again->privacy.consent_required);
    CHECK(tk::survey_to_json(*again) == tk::survey_to_json(*s));

    // Without the keys: no notice, no sentence, nothing written.
    auto plain = parsed_survey(survey_text("", q("Q1", "yesno")), "plain.json");
    CHECK(plain->privacy.empty());
    CHECK(plain->about.empty());
    CHECK(tk::survey_to_json(*plain).find("privacy") == std::string::npos);
}

TEST_CASE("welcome: an incomplete or misspelt privacy notice is refused with its place") {
    std::string missing = kPrivacy;
    missing.replace(missing.find(R"("contact")"), std::string(R"("contact":{"de":"dsb@x","en":"dpo@x"},)").size(), "");
    tk::LoadResult r = tk::parse_survey(survey_text(missing, q("Q1", "yesno")), "m.json");
    CHECK_FALSE(r.ok());
    CHECK(has_error(r, "/privacy", "missing required key \"contact\""));

    std::string typo = kPrivacy;
    typo.replace(typo.find("consent_required"), std::string("consent_required").size(), "consent_requird");
    r = tk::parse_survey(survey_text(typo, q("Q1", "yesno")), "t.json");
    CHECK_FALSE(r.ok());
    bool named = false;
    for (const tk::LoadError& e : r.errors) named = named || e.message.find("consent_requird") != std::string::npos;
    CHECK(named);

    r = tk::parse_survey(survey_text(R"("privacy":"Stadt X",)", q("Q1", "yesno")), "s.json");
    CHECK_FALSE(r.ok());
    CHECK(has_error(r, "/privacy", "must be an object"));

    std::string flag = kPrivacy;
    flag.replace(flag.find("true"), 4, "\"ja\"");
    r = tk::parse_survey(survey_text(flag, q("Q1", "yesno")), "f.json");
    CHECK_FALSE(r.ok());
    CHECK(has_error(r, "/privacy/consent_required", "true or false"));

    // A text in a language the survey does not list is an error here as everywhere.
    r = tk::parse_survey(survey_text(R"("about":{"de":"a","fr":"b"},)", q("Q1", "yesno")), "l.json");
    CHECK_FALSE(r.ok());
    CHECK(has_error(r, "/about/fr", "not in \"languages\""));
}

TEST_CASE("welcome: the duration follows the questions and their types") {
    // info 15 + single of 3 (8 + 6) + multiple of 4 with "andere" (10 + 12 + 10) + text 30
    // + matrix of 3 rows (5 + 18) = 114 s -> 2 minutes.
    std::string qs = q("I", "info") + "," + q("S", "single", opts(3)) + "," + q("M", "multiple", opts(4) + R"(,"other":true)") +
                     "," + q("T", "text") + "," + q("X", "matrix", opts(4) + rows(3));
    auto s = parsed_survey(survey_text("", qs), "d.json");
    CHECK(tk::estimated_seconds(*s) == 114);
    CHECK(tk::estimated_minutes(*s) == 2);

    // One yes/no question still takes a minute, not zero.
    auto tiny = parsed_survey(survey_text("", q("Y", "yesno")), "y.json");
    CHECK(tk::estimated_seconds(*tiny) == 8);
    CHECK(tk::estimated_minutes(*tiny) == 1);

    // Seven long texts are exactly 7 minutes; a yes/no more rounds up to 8.
    std::string seven;
    for (int i = 1; i <= 7; ++i) seven += (i > 1 ? "," : "") + q("L" + std::to_string(i), "longtext");
    CHECK(tk::estimated_minutes(*parsed_survey(survey_text("", seven), "l.json")) == 7);
    CHECK(tk::estimated_minutes(*parsed_survey(survey_text("", seven + "," + q("Y", "yesno")), "l8.json")) == 8);

    // Each matrix row counts: 10 rows take longer than 3.
    auto big = parsed_survey(survey_text("", q("X", "matrix", opts(4) + rows(10))), "b.json");
    auto small = parsed_survey(survey_text("", q("X", "matrix", opts(4) + rows(3))), "s.json");
    CHECK(tk::estimated_seconds(*big) - tk::estimated_seconds(*small) == 7 * 6);

    // A declared ranked list of a million entries neither overflows nor claims years.
    auto huge = parsed_survey(survey_text("", q("R", "ranked_list", R"(,"max_answers":1000000)")), "h.json");
    CHECK(tk::estimated_seconds(*huge) == 3600);
}
