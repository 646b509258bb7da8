// surveys_writer_test.cpp - the content hash and survey_to_json: the hash ignores formatting
// and key order, round trips keep everything, a survey built in code is written out.
#include <doctest/doctest.h>

#include "surveys_loader_util.h"

using namespace tk;
using namespace tk::test::loader;

// ---------------------------------------------------------------------------------------
// Hash, round trip, languages

TEST_CASE("loader: hash ignores formatting and key order, changes with content") {
    auto a = load_ok(kBase);
    json j = base();
    auto compact = load_ok(j.dump());
    auto wide = load_ok(reversed(j).dump(8));
    CHECK(a->hash == compact->hash);
    CHECK(a->hash == wide->hash);
    // The hash is SHA-256 of the canonical (sorted, compact) dump: check independently of
    // the loader's formatting by comparing two different canonical inputs.
    json changed = base();
    changed["groups"][0]["questions"][0]["options"][1]["text"]["de"] = "Nein";
    auto c = load_ok(changed.dump(2));
    CHECK(c->hash != a->hash);
    json version = base();
    version["version"] = "2";
    CHECK(load_ok(version.dump())->hash != a->hash);
    json reordered = base();
    std::swap(reordered["groups"][0]["questions"][0], reordered["groups"][0]["questions"][1]);
    CHECK(load_ok(reordered.dump())->hash != a->hash);
    // Hex digits only.
    std::string hex = a->hash.substr(7);
    CHECK(hex.size() == 64);
    CHECK(hex.find_first_not_of("0123456789abcdef") == std::string::npos);
}

TEST_CASE("loader: survey_to_json round trip keeps everything and the hash") {
    for (const char* text : {kBase, kAllTypes}) {
        auto s1 = load_ok(text);
        std::string out1 = survey_to_json(*s1);
        REQUIRE_FALSE(out1.empty());
        auto s2 = load_ok(out1);
        check_same_survey(*s1, *s2);
        std::string out2 = survey_to_json(*s2);
        CHECK(out1 == out2);
        auto s3 = load_ok(out2);
        CHECK(s2->hash == s3->hash);
        // Generated options (rating, yesno) are not written out; the loader makes them again.
        CHECK_FALSE(contains(out1, "\"Ja\""));
    }
}

TEST_CASE("loader: survey_to_json keeps the meta of each translation") {
    json j = base();
    j["languages"] = {"de", "en", "de-x-ls"};
    j["meta"] = {{"de-x-ls", {{"source_language", "de"}, {"translated_by", "Büro für Leichte Sprache"}, {"reviewed", true}}},
                 {"en", {{"source_language", "de"}, {"translated_by", "Team A"}, {"reviewed", false}}}};
    auto s1 = load_ok(j.dump(2));
    REQUIRE(s1->language_meta.size() == 2);
    std::string out = survey_to_json(*s1);
    auto s2 = load_ok(out);
    check_same_survey(*s1, *s2);
    CHECK(survey_to_json(*s2) == out); // written the same way again
    // Written in the order of "languages", so the file reads like its language list.
    CHECK(out.find("\"en\": {\n      \"source_language\"") < out.find("\"de-x-ls\": {\n      \"source_language\""));
}

TEST_CASE("loader: survey_to_json writes a survey built in code (importer use)") {
    Survey s;
    s.id = "import";
    s.version = "1";
    s.languages = {"de"};
    s.title.by_lang["de"] = "Import";
    Group g;
    g.code = "G1";
    g.title.by_lang["de"] = "Gruppe";
    Question q;
    q.code = "Y1";
    q.type = QuestionType::YesNo;
    q.text.by_lang["de"] = "Einverstanden?";
    q.options = {Option{"Y", {{{"de", "Ja, gerne"}}}, false}, Option{"N", {{{"de", "Nein"}}}, false}};
    g.questions.push_back(q);
    Question n;
    n.code = "N1";
    n.type = QuestionType::Numeric;
    n.text.by_lang["de"] = "Zahl";
    n.display = "dropdown"; // meaningless for numeric: must not be written
    n.min_value = -2.5;
    g.questions.push_back(n);
    s.groups.push_back(g);
    std::string out = survey_to_json(s);
    auto back = load_ok(out);
    CHECK(back->find_question("Y1")->options[0].text.get("de", "de") == "Ja, gerne");
    CHECK(back->find_question("N1")->min_value == -2.5);
    CHECK_FALSE(contains(out, "dropdown"));
}

TEST_CASE("loader: source_code, random_group and option_order load, round-trip and are checked") {
    json j = base();
    json& q1 = j["groups"][0]["questions"][0];
    q1["options"][0]["source_code"] = "other";
    q1["random_group"] = "G1";
    q1["option_order"] = "random";
    json& q3 = j["groups"][0]["questions"][2];
    q3["rows"][1]["source_code"] = "comment";
    q3["option_order"] = "alphabetical";
    LoadResult r = parse_survey(j.dump(), "t.json");
    INFO(all_errors(r));
    REQUIRE(r.ok());
    const Survey& s = *r.survey;
    CHECK(s.find_question("Q1")->options[0].source_code == "other");
    CHECK(s.find_question("Q1")->random_group == "G1");
    CHECK(s.find_question("Q1")->option_order == "random");
    CHECK(s.find_question("Q3")->rows[1].source_code == "comment");
    // The kiosk does not shuffle yet: each setting is a warning, never silent.
    size_t order_warnings = 0;
    for (const std::string& w : r.warnings)
        if (contains(w, "is kept, but the kiosk")) order_warnings++;
    CHECK(order_warnings == 3);
    std::string out1 = survey_to_json(s);
    LoadResult back = parse_survey(out1, "t2.json");
    REQUIRE(back.ok());
    check_same_survey(s, *back.survey);
    CHECK(survey_to_json(*back.survey) == out1); // written the same way again
    CHECK(contains(out1, "\"source_code\""));

    json bad = base();
    bad["groups"][0]["questions"][0]["options"][0]["source_code"] = "a b";
    expect_error(bad, "invalid source_code \"a b\"");
    bad = base();
    bad["groups"][0]["questions"][0]["option_order"] = "shuffled";
    expect_error(bad, "option_order must be \"random\" or \"alphabetical\"");
    bad = base();
    bad["groups"][0]["questions"][1]["option_order"] = "random"; // a text question has none
    expect_error(bad, "\"option_order\" does not apply to type \"text\"");
    bad = base();
    bad["groups"][0]["questions"][1]["random_group"] = "";
    expect_error(bad, "invalid random_group");
}
