// surveys_validate_test.cpp - one test per kind of validation error the loader reports; each
// checks the message, the place and, where it matters, the line.
#include <doctest/doctest.h>

#include "surveys_loader_util.h"
#include "text_direction.h"

using namespace tk;
using namespace tk::test::loader;

// ---------------------------------------------------------------------------------------
// One test per kind of error

TEST_CASE("loader: JSON syntax error gives line and column") {
    std::string text = "{\n  \"format\": \"teilhabe-survey/1\",\n  \"id\": \"x\" \"version\": \"1\"\n}\n";
    LoadResult r = parse_survey(text, "surveys/x.json");
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].line == 3);
    CHECK(r.errors[0].column == 13); // the '"' of "version"
    std::string msg = r.errors[0].to_string();
    CHECK(msg.rfind("surveys/x.json:3:13: JSON syntax error: ", 0) == 0);
    CHECK_FALSE(contains(msg, "json.exception")); // nlohmann's internal prefix is dropped

    LoadResult empty = parse_survey("", "e.json");
    REQUIRE(empty.errors.size() == 1);
    CHECK(contains(empty.errors[0].to_string(), "e.json:1:1: JSON syntax error"));

    // Columns count characters, not bytes: "ä" is two bytes.
    LoadResult umlaut = parse_survey("{\"ä\": x}", "u.json");
    REQUIRE(umlaut.errors.size() == 1);
    CHECK(umlaut.errors[0].line == 1);
    CHECK(umlaut.errors[0].column == 7);
}

TEST_CASE("loader: wrong format") {
    json j = base();
    j["format"] = "limesurvey";
    std::string e = expect_error(j, "t.json:2: /format: unsupported \"format\" \"limesurvey\"; expected \"teilhabe-survey/1\"");
    CHECK(std::count(e.begin(), e.end(), '\n') == 1); // nothing else: it is not our format

    json k = base();
    k.erase("format");
    expect_error(k, "t.json:1: missing required key \"format\"");

    expect_error(json::array({1, 2}), "a survey file must contain a JSON object {...}, not a list");
}

TEST_CASE("loader: missing required field") {
    json j = base();
    j["groups"][0]["questions"][1].erase("text");
    expect_error(j, "Q2 /groups/0/questions/1: missing required key \"text\"");
    json k = base();
    k.erase("id");
    expect_error(k, "t.json:1: missing required key \"id\"");
    json l = base();
    l["groups"][1]["questions"][0].erase("type");
    expect_error(l, "Q4 /groups/1/questions/0: missing required key \"type\"");
}

TEST_CASE("loader: ill-typed field") {
    json j = base();
    j["groups"][0]["questions"][0]["mandatory"] = "yes";
    std::string e = expect_error(j, "Q1 /groups/0/questions/0/mandatory: \"mandatory\" must be true or false, not a string");
    j["groups"][0]["questions"][1]["text"] = 42;
    e = expect_error(j, "Q2 /groups/0/questions/1/text: \"text\" must be a text: a string or an object like");
    CHECK(contains(e, "not a number"));
    j["version"] = 1;
    e = expect_error(j, "/version: \"version\" must be a string, not a number");
    j["groups"][1]["questions"][3]["max_answers"] = 2.5;
    e = expect_error(j, "Q7 /groups/1/questions/3/max_answers: \"max_answers\" must be a whole number, not 2.5");
    j["groups"][1]["questions"][0]["min"] = "0";
    e = expect_error(j, "Q4 /groups/1/questions/0/min: \"min\" must be a number, not a string");
    j["groups"][0]["questions"][0]["options"][0]["text"]["en"] = true;
    e = expect_error(j, "Q1 /groups/0/questions/0/options/0/text/en: text must be a string, not true/false");
    j["groups"][1]["questions"] = json::object();
    e = expect_error(j, "group B /groups/1/questions: \"questions\" must be a list, not an object");
    // All of them at once: the loader collects every error.
    CHECK(std::count(e.begin(), e.end(), '\n') >= 6);
}

TEST_CASE("loader: unknown key, with a suggestion; underscore keys are comments") {
    json j = base();
    j["groups"][0]["questions"][0]["optoins"] = j["groups"][0]["questions"][0]["options"];
    j["groups"][0]["questions"][0]["_comment"] = "fine";
    j["_comment"] = "fine";
    j["groups"][0]["_todo"] = "fine";
    std::string e = expect_error(j, "Q1 /groups/0/questions/0/optoins: unknown key \"optoins\" (did you mean \"options\"?)");
    CHECK(std::count(e.begin(), e.end(), '\n') == 1);
    json k = base();
    k["titel"] = "x";
    expect_error(k, "/titel: unknown key \"titel\" (did you mean \"title\"?)");
    json l = base();
    l["settings"] = {{"show_progres", true}};
    expect_error(l, "/settings/show_progres: unknown key \"show_progres\" (did you mean \"show_progress\"?)");
    json m = base();
    m["groups"][0]["questions"][0]["options"][1]["colour"] = "red";
    expect_error(m, "Q1 /groups/0/questions/0/options/1/colour: unknown key \"colour\"");
}

TEST_CASE("loader: key that does not apply to the question type") {
    json j = base();
    j["groups"][0]["questions"][1]["max_answers"] = 3;
    expect_error(j, "Q2 /groups/0/questions/1/max_answers: \"max_answers\" does not apply to type \"text\"");
    json k = base();
    k["groups"][0]["questions"][2]["min"] = 1; // matrix with choice cells
    expect_error(k, "Q3 /groups/0/questions/2/min: \"min\" applies to a matrix only with \"cell\": \"number\"");
    json l = base();
    l["groups"][1]["questions"][0]["mandatory"] = true;
    l["groups"][1]["questions"][0]["type"] = "info";
    expect_error(l, "Q4 /groups/1/questions/0/mandatory: an info question has no answer, so it cannot be mandatory");
}

TEST_CASE("loader: invalid id") {
    json j = base();
    j["id"] = "Bedarfe_2026";
    expect_error(j, "/id: invalid survey id \"Bedarfe_2026\": use lowercase letters, digits and \"-\" only");
    json k = base();
    k["groups"][0]["questions"][1]["code"] = "2b";
    expect_error(k, "/groups/0/questions/1/code: invalid question code \"2b\": must start with a letter");
    json l = base();
    l["groups"][0]["questions"][0]["options"][0]["code"] = "a b";
    expect_error(l, "Q1 /groups/0/questions/0/options/0/code: invalid option code \"a b\"");
    json m = base();
    m["groups"][0]["code"] = "Teil A";
    expect_error(m, "/groups/0/code: invalid group code \"Teil A\"");
    json n = base();
    n["groups"][1]["questions"][3]["options"][0]["code"] = "other";
    expect_error(n, "Q7 /groups/1/questions/3/options/0/code: option code \"other\" is reserved");
}

TEST_CASE("loader: empty languages") {
    json j = base();
    j["languages"] = json::array();
    expect_error(j, "/languages: \"languages\" is empty: list at least one language");
    json k = base();
    k["languages"] = {"de", "EN!"};
    expect_error(k, "/languages/1: invalid language tag \"EN!\"");
}

TEST_CASE("loader: duplicate language") {
    json j = base();
    j["languages"] = {"de", "en", "de"};
    expect_error(j, "/languages/2: duplicate language \"de\"");
}

// The base survey with its English texts under another language tag.
static std::string base_relabelled(const std::string& lang) {
    std::string text = kBase;
    for (size_t p = text.find("\"en\""); p != std::string::npos; p = text.find("\"en\"", p + 1))
        text.replace(p, 4, "\"" + lang + "\"");
    return text;
}

TEST_CASE("loader: a language in a script the kiosk has no font for") {
    LoadResult he = parse_survey(base_relabelled("he"), "t.json");
    std::string all = all_errors(he);
    INFO(all);
    CHECK_FALSE(he.ok());
    CHECK(contains(all, "t.json:2: /languages/1: language \"he\" is written in the script Hebr, "
                        "which the kiosk has no font for; languages in Latin, Cyrillic or Arabic script can be shown"));
    // One message for the tag, none for each of its texts.
    CHECK(he.errors.size() == 1);
    for (const char* lang : {"zh-Hant", "el", "hi", "ka"}) {
        LoadResult r = parse_survey(base_relabelled(lang), "t.json");
        INFO(lang << ": " << all_errors(r));
        CHECK(r.errors.size() == 1);
        CHECK(contains(all_errors(r), "language \"" + std::string(lang) + "\" is written in the script " +
                                          language_script(lang)));
    }
    // Latin, Cyrillic and Arabic are drawn, and a script subtag can say which one a language uses.
    for (const char* lang : {"uk", "ar", "fa", "tr", "sr-Latn", "az-Arab"}) {
        LoadResult r = parse_survey(base_relabelled(lang), "t.json");
        INFO(lang << ": " << all_errors(r));
        CHECK(r.ok());
    }
}

TEST_CASE("loader: meta of a translation") {
    json j = base();
    j["meta"] = {{"en", {{"source_language", "de"}, {"translated_by", "Team A"}, {"reviewed", false}}}};
    LoadResult r = parse_survey(j.dump(2), "t.json");
    INFO(all_errors(r));
    REQUIRE(r.ok());
    REQUIRE(r.survey->language_meta.count("en") == 1);
    const LanguageMeta& m = r.survey->language_meta.at("en");
    CHECK(m.source_language == "de");
    CHECK(m.translated_by == "Team A");
    CHECK_FALSE(m.reviewed);
    CHECK(r.warnings.empty());
    REQUIRE(r.notes.size() == 1);
    CHECK(r.notes[0] == "t.json: language \"en\" is a translation from \"de\" by Team A, not yet reviewed by a native speaker");

    j["meta"]["en"]["reviewed"] = true;
    LoadResult reviewed = parse_survey(j.dump(2), "t.json");
    REQUIRE(reviewed.ok());
    CHECK(reviewed.notes.empty());
    CHECK(reviewed.survey->language_meta.at("en").reviewed);
}

TEST_CASE("loader: errors in meta") {
    auto with_meta = [](json meta) {
        json j = base();
        j["meta"] = std::move(meta);
        return j;
    };
    expect_error(with_meta(json::array()), "/meta: \"meta\" must be an object");
    expect_error(with_meta({{"fr", {{"source_language", "de"}, {"translated_by", "X"}, {"reviewed", false}}}}),
                 "/meta/fr: meta for language \"fr\", which is not in \"languages\"");
    expect_error(with_meta({{"en", "de"}}), "/meta/en: the meta of a language must be an object, not a string");
    expect_error(with_meta({{"en", {{"translated_by", "X"}, {"reviewed", false}}}}),
                 "/meta/en: missing required key \"source_language\"");
    expect_error(with_meta({{"en", {{"source_language", "en"}, {"translated_by", "X"}, {"reviewed", false}}}}),
                 "/meta/en/source_language: language \"en\" cannot be translated from itself");
    expect_error(with_meta({{"en", {{"source_language", "fr"}, {"translated_by", "X"}, {"reviewed", false}}}}),
                 "/meta/en/source_language: \"source_language\" \"fr\" is not in \"languages\"");
    expect_error(with_meta({{"en", {{"source_language", "de"}, {"translated_by", ""}, {"reviewed", false}}}}),
                 "/meta/en/translated_by: \"translated_by\" must not be empty");
    expect_error(with_meta({{"en", {{"source_language", "de"}, {"translated_by", "X"}}}}),
                 "/meta/en: missing required key \"reviewed\"");
    expect_error(with_meta({{"en", {{"source_language", "de"}, {"translated_by", "X"}, {"reviewed", "no"}}}}),
                 "/meta/en/reviewed: \"reviewed\" must be true or false, not a string");
    expect_error(with_meta({{"en", {{"source_language", "de"}, {"translated_by", "X"}, {"reviewed", false},
                                    {"reviewd", true}}}}),
                 "/meta/en/reviewd: unknown key \"reviewd\" (did you mean \"reviewed\"?)");
}

TEST_CASE("loader: text in a language that is not listed") {
    json j = base();
    j["groups"][0]["questions"][1]["text"]["fr"] = "Question 2";
    expect_error(j, "Q2 /groups/0/questions/1/text/fr: text in language \"fr\", which is not in \"languages\"");
}

TEST_CASE("loader: duplicate group code") {
    json j = base();
    j["groups"][1]["code"] = "A";
    std::string text = j.dump(2);
    int first = line_of(text, "\"code\": \"A\"");
    std::string e = expect_error(j, "group A /groups/1/code: duplicate group code \"A\" (first used at /groups/0, line " +
                                        std::to_string(first) + ")");
}

TEST_CASE("loader: duplicate question code") {
    json j = base();
    j["groups"][1]["questions"][2]["code"] = "Q2";
    std::string text = j.dump(2);
    size_t q6 = text.find("\"Frage 6\"");
    int line = 1 + (int)std::count(text.begin(), text.begin() + (long)text.rfind("\"code\": \"Q2\"", q6), '\n');
    expect_error(j, "t.json:" + std::to_string(line) +
                        ": Q2 /groups/1/questions/2/code: duplicate question code \"Q2\" (first used at /groups/0/questions/1, line " +
                        std::to_string(line_of(text, "\"code\": \"Q2\"")) + ")");
}

TEST_CASE("loader: duplicate option code") {
    json j = base();
    j["groups"][0]["questions"][0]["options"][1]["code"] = "1";
    expect_error(j, "Q1 /groups/0/questions/0/options/1/code: duplicate option code \"1\" (also option 1)");
    json k = base();
    k["groups"][0]["questions"][2]["options2"] = json::parse(
        R"([{"code":"x","text":{"de":"x","en":"x"}},{"code":"x","text":{"de":"y","en":"y"}}])");
    expect_error(k, "Q3 /groups/0/questions/2/options2/1/code: duplicate option code \"x\"");
}

TEST_CASE("loader: duplicate row code") {
    json j = base();
    j["groups"][0]["questions"][2]["rows"][1]["code"] = "R1";
    expect_error(j, "Q3 /groups/0/questions/2/rows/1/code: duplicate row code \"R1\" (also row 1)");
}

TEST_CASE("loader: duplicate JSON key") {
    std::string text = kBase;
    std::string needle = "\"code\": \"Q2\",";
    size_t at = text.find(needle);
    REQUIRE(at != std::string::npos);
    text.insert(at + needle.size(), " \"code\": \"Q9\",");
    LoadResult r = parse_survey(text, "d.json");
    CHECK_FALSE(r.ok());
    CHECK(contains(all_errors(r), "d.json:" + std::to_string(line_of(text, needle)) +
                                      ": /groups/0/questions/1/code: duplicate key \"code\" in the same object"));
}

TEST_CASE("loader: unknown type") {
    json j = base();
    j["groups"][0]["questions"][0]["type"] = "singel";
    std::string e = expect_error(j, "Q1 /groups/0/questions/0/type: unknown type \"singel\" (did you mean \"single\"?); known types: single, multiple,");
    CHECK(contains(e, "ranked_list"));
}

TEST_CASE("loader: empty option list for a closed type") {
    json j = base();
    j["groups"][0]["questions"][0]["options"] = json::array();
    expect_error(j, "Q1 /groups/0/questions/0/options: empty option list: type \"single\" needs at least one option");
    json k = base();
    k["groups"][1]["questions"][3].erase("options");
    expect_error(k, "Q7 /groups/1/questions/3: type \"multiple\" needs \"options\"");
    json l = base();
    l["groups"][1]["questions"][0]["type"] = "yesno";
    l["groups"][1]["questions"][0]["options"] = json::parse(R"([{"code":"J","text":"Ja"}])");
    expect_error(l, "Q4 /groups/1/questions/0/options: yesno options must be exactly the codes \"Y\" and \"N\"");
}

TEST_CASE("loader: options on a type that has none") {
    json j = base();
    j["groups"][0]["questions"][1]["options"] = j["groups"][0]["questions"][0]["options"];
    expect_error(j, "Q2 /groups/0/questions/1/options: type \"text\" has no options; remove \"options\"");
    json k = base();
    k["groups"][1]["questions"][1]["options"] = j["groups"][0]["questions"][0]["options"];
    expect_error(k, "Q5 /groups/1/questions/1/options: type \"rating\" takes no \"options\": its answers come from \"scale\"");
    json l = base();
    l["groups"][0]["questions"][0]["options"][0]["exclusive"] = true;
    expect_error(l, "Q1 /groups/0/questions/0/options/0/exclusive: \"exclusive\" applies only to options of multiple-choice questions");
}

TEST_CASE("loader: matrix without rows") {
    json j = base();
    j["groups"][0]["questions"][2].erase("rows");
    expect_error(j, "Q3 /groups/0/questions/2: matrix without rows: type \"matrix\" needs at least one row in \"rows\"");
    json k = base();
    k["groups"][0]["questions"][2]["rows"] = json::array();
    expect_error(k, "Q3 /groups/0/questions/2/rows: matrix without rows");
    json l = base();
    l["groups"][0]["questions"][1]["type"] = "multi_text";
    expect_error(l, "Q2 /groups/0/questions/1: type \"multi_text\" needs at least one row in \"rows\"");
}

TEST_CASE("loader: bad display value") {
    json j = base();
    j["groups"][0]["questions"][0]["display"] = "radio";
    expect_error(j, "Q1 /groups/0/questions/0/display: invalid \"display\" \"radio\": use \"list\" or \"dropdown\"");
    json k = base();
    k["groups"][0]["questions"][2]["cell"] = "slider";
    expect_error(k, "Q3 /groups/0/questions/2/cell: invalid \"cell\" \"slider\": use \"choice\", \"number\" or \"text\"");
}

TEST_CASE("loader: min greater than max") {
    json j = base();
    j["groups"][1]["questions"][0]["min"] = 10;
    j["groups"][1]["questions"][0]["max"] = 2.5;
    expect_error(j, "Q4 /groups/1/questions/0/min: \"min\" (10) is greater than \"max\" (2.5)");
    json k = base();
    k["groups"][1]["questions"][3]["min_answers"] = 2;
    k["groups"][1]["questions"][3]["max_answers"] = 1;
    expect_error(k, "Q7 /groups/1/questions/3/min_answers: \"min_answers\" (2) is greater than \"max_answers\" (1)");
    json l = base();
    l["groups"][1]["questions"][3]["min_answers"] = 3;
    expect_error(l, "Q7 /groups/1/questions/3/min_answers: \"min_answers\" (3) is more than the 2 options");
    json m = base();
    m["groups"][1]["questions"][2]["min_date"] = "2030-01-01";
    m["groups"][1]["questions"][2]["max_date"] = "2020-01-01";
    expect_error(m, "Q6 /groups/1/questions/2/min_date: \"min_date\" (2030-01-01) is after \"max_date\" (2020-01-01)");
}

TEST_CASE("loader: rating scale bounds") {
    json j = base();
    j["groups"][1]["questions"][1]["scale"] = {{"min", 5}, {"max", 1}};
    expect_error(j, "Q5 /groups/1/questions/1/scale: rating scale bounds: \"min\" (5) must be below \"max\" (1)");
    j["groups"][1]["questions"][1]["scale"] = {{"min", 1}, {"max", 20}};
    expect_error(j, "Q5 /groups/1/questions/1/scale: rating scale bounds: 1..20 has 20 points; at most 11 are allowed");
    j["groups"][1]["questions"][1]["scale"] = {{"min", -1}, {"max", 3}};
    expect_error(j, "Q5 /groups/1/questions/1/scale/min: \"min\" must not be negative (got -1)");
    j["groups"][1]["questions"][1]["scale"] = {{"min", 1}, {"max", 5}, {"steps", 5}};
    expect_error(j, "Q5 /groups/1/questions/1/scale/steps: unknown key \"steps\"");
}

TEST_CASE("loader: bad condition syntax shows the parser's message and column") {
    json j = base();
    j["groups"][0]["questions"][1]["condition"] = "Q1 == 'Y' and (";
    ExprParse p = parse_expression("Q1 == 'Y' and (");
    REQUIRE_FALSE(p.expr);
    std::string e = expect_error(j, "Q2 /groups/0/questions/1/condition: bad condition \"Q1 == 'Y' and (\": " + p.error);
    CHECK(contains(e, "column " + std::to_string(p.column)));
    json k = base();
    k["groups"][0]["questions"][2]["rows"][1]["condition"] = "Q1 = 1";
    expect_error(k, "Q3 /groups/0/questions/2/rows/1/condition: bad condition \"Q1 = 1\"");
    json l = base();
    l["groups"][1]["condition"] = 5;
    expect_error(l, "group B /groups/1/condition: \"condition\" must be a string, not a number");
}

TEST_CASE("loader: condition referring to an unknown question") {
    json j = base();
    j["groups"][1]["questions"][0]["condition"] = "Q11 == '1'";
    expect_error(j, "Q4 /groups/1/questions/0/condition: condition refers to unknown question \"Q11\" (did you mean \"Q1\"?)");
    // A known question with a part it does not have.
    json k = base();
    k["groups"][1]["questions"][0]["condition"] = "Q3_R9 == '1' or Q1_comment != ''";
    std::string e = expect_error(k, "Q4 /groups/1/questions/0/condition: condition refers to \"Q3_R9\", but question Q3 (matrix) has no option, row or part \"R9\"");
    CHECK(contains(e, "refers to \"Q1_comment\", but question Q1 (single) has no option, row or part \"comment\""));
    // The parts that do exist are fine.
    json l = base();
    l["groups"][1]["questions"][0]["condition"] = "Q3_R1 == '1' and Q1 == '2' and Q2.NAOK != ''";
    l["groups"][1]["questions"][3]["condition"] = "Q4 > 3";
    l["groups"][1]["questions"][1]["condition"] = "not is_empty(Q4)";
    load_ok(l.dump());
}

TEST_CASE("loader: condition referring to the same or a later question") {
    json j = base();
    j["groups"][0]["questions"][1]["condition"] = "Q5 > 3";
    std::string text = j.dump(2);
    int line = line_of(text, "\"condition\": \"Q5 > 3\"");
    expect_error(j, "t.json:" + std::to_string(line) +
                        ": Q2 /groups/0/questions/1/condition: condition refers to later question Q5; a condition can only use earlier questions");
    json k = base();
    k["groups"][0]["questions"][1]["condition"] = "Q2 == 'x'";
    expect_error(k, "Q2 /groups/0/questions/1/condition: condition refers to the same question Q2");
    json l = base();
    l["groups"][1]["condition"] = "Q4 > 1";
    expect_error(l, "group B /groups/1/condition: condition refers to question Q4, which is not before this group");
    json m = base();
    m["groups"][0]["questions"][2]["rows"][0]["condition"] = "Q3_R2 == '1'";
    expect_error(m, "Q3 /groups/0/questions/2/rows/0/condition: condition refers to the same question Q3");
    // A group may read the questions of earlier groups.
    json n = base();
    n["groups"][1]["condition"] = "Q1 == '1'";
    load_ok(n.dump());
}

TEST_CASE("loader: missing translation of a required text names the language") {
    json j = base();
    j["groups"][0]["questions"][0]["options"][1]["text"].erase("en");
    expect_error(j, "Q1 /groups/0/questions/0/options/1/text: missing translation for language \"en\"");
    json k = base();
    k["title"] = {{"de", "Titel"}, {"en", ""}};
    expect_error(k, "/title: missing translation for language \"en\"");
    json l = base();
    l["groups"][0]["questions"][1]["text"] = {{"de", ""}, {"en", ""}};
    expect_error(l, "Q2 /groups/0/questions/1/text: text is empty");
    // A Leichte-Sprache variant may leave texts out (they fall back to "de") ...
    json ok = base();
    ok["languages"] = {"de", "en", "de-x-ls"};
    load_ok(ok.dump());
    // ... but not when "de" itself is not one of the survey's languages.
    json ls = base();
    ls["languages"] = {"en", "de-x-ls"};
    expect_error(ls, "/title: missing translation for language \"de-x-ls\"");
}

TEST_CASE("loader: date bounds must be YYYY-MM-DD") {
    json j = base();
    j["groups"][1]["questions"][2]["min_date"] = "01.01.2020";
    j["groups"][1]["questions"][2]["max_date"] = "2023-02-29"; // not a leap year
    std::string e = expect_error(j, "Q6 /groups/1/questions/2/min_date: \"min_date\" must be a date written YYYY-MM-DD, not \"01.01.2020\"");
    CHECK(contains(e, "Q6 /groups/1/questions/2/max_date: \"max_date\" must be a date written YYYY-MM-DD, not \"2023-02-29\""));
    json k = base();
    k["groups"][1]["questions"][2]["max_date"] = "2024-02-29";
    CHECK(load_ok(k.dump())->find_question("Q6")->max_date == "2024-02-29");
}

TEST_CASE("loader: max_answers must not be negative") {
    json j = base();
    j["groups"][1]["questions"][3]["max_answers"] = -1;
    expect_error(j, "Q7 /groups/1/questions/3/max_answers: \"max_answers\" must not be negative (got -1)");
    json k = base();
    k["groups"][0]["questions"][1]["max_length"] = 99999999999LL;
    expect_error(k, "Q2 /groups/0/questions/1/max_length: \"max_length\" must be between 0 and 1000000 (got 99999999999)");
}

TEST_CASE("loader: survey without questions") {
    json j = base();
    j["groups"] = json::array();
    expect_error(j, "/groups: the survey has no questions");
}

TEST_CASE("loader: hostile nesting is rejected without recursion") {
    std::string deep(100000, '[');
    LoadResult r = parse_survey(deep, "deep.json");
    REQUIRE(r.errors.size() == 1);
    CHECK(contains(r.errors[0].to_string(), "deep.json: JSON nested deeper than 64 levels"));
}

TEST_CASE("loader: warnings do not reject a survey") {
    json j = base();
    j["groups"][0]["questions"][1]["help"] = "Nur deutsch";
    j["groups"][0]["questions"][0]["other_label"] = {{"de", "Sonst"}, {"en", "Else"}};
    j["groups"][1]["questions"][3]["max_answers"] = 5;
    LoadResult r = parse_survey(j.dump(2), "w.json");
    INFO(all_errors(r));
    REQUIRE(r.ok());
    std::string w;
    for (const auto& s : r.warnings) w += s + "\n";
    INFO(w);
    CHECK(r.warnings.size() == 3);
    CHECK(contains(w, "Q2 /groups/0/questions/1/help: no text for language \"en\" (shows the \"de\" text instead)"));
    CHECK(contains(w, "Q1 /groups/0/questions/0/other_label: \"other_label\" is unused without \"other\": true"));
    CHECK(contains(w, "Q7 /groups/1/questions/3/max_answers: \"max_answers\" (5) is more than the 2 options"));

    json m = base();
    m["groups"][1]["questions"][0]["condition"] = "Q3 == '1'";
    LoadResult rm = parse_survey(m.dump(2), "m.json");
    REQUIRE(rm.ok());
    REQUIRE(rm.warnings.size() == 1);
    CHECK(contains(rm.warnings[0], "Q4 /groups/1/questions/0/condition: condition reads Q3, which is always empty "
                                   "for type \"matrix\"; use Q3_<row code>"));
}

TEST_CASE("loader: every error of a file is reported, each with its line") {
    json j = base();
    j["groups"][0]["questions"][0]["type"] = "singel";
    j["groups"][0]["questions"][2]["rows"][1]["code"] = "R1";
    j["groups"][1]["questions"][1]["condition"] = "Q9 == 1";
    j["groups"][1]["questions"][2]["max_date"] = "morgen";
    std::string text = j.dump(2);
    LoadResult r = parse_survey(text, "surveys/x.json");
    INFO(all_errors(r));
    REQUIRE(r.errors.size() == 4);
    auto line_for = [&](const std::string& msg_part) {
        for (const LoadError& e : r.errors)
            if (contains(e.message, msg_part)) return e.line;
        return -1;
    };
    size_t first_r1 = text.find("\"code\": \"R1\"");
    size_t second_r1 = text.find("\"code\": \"R1\"", first_r1 + 1);
    REQUIRE(second_r1 != std::string::npos);
    CHECK(line_for("unknown type") == line_of(text, "\"singel\""));
    CHECK(line_for("duplicate row code") == 1 + (int)std::count(text.begin(), text.begin() + (long)second_r1, '\n'));
    CHECK(line_for("unknown question") == line_of(text, "\"Q9 == 1\""));
    CHECK(line_for("max_date") == line_of(text, "\"morgen\""));
    for (const LoadError& e : r.errors) {
        CHECK(e.file == "surveys/x.json");
        CHECK(e.line > 0);
        CHECK(e.to_string().rfind("surveys/x.json:" + std::to_string(e.line) + ": ", 0) == 0);
    }
}

// ---------------------------------------------------------------------------------------
// The "delphi" block: each rule once, with its place

TEST_CASE("loader: delphi block shape and required keys") {
    json j = delphi_base();
    j["delphi"] = "round 2";
    expect_error(j, "/delphi: \"delphi\" must be an object");
    j = delphi_base();
    j["delphi"].erase("consensus");
    expect_error(j, "/delphi: missing required key \"consensus\": the consensus rule must be fixed before round 1");
    j = delphi_base();
    j["delphi"].erase("round");
    expect_error(j, "missing required key \"round\"");
    j = delphi_base();
    j["delphi"]["round"] = 0;
    expect_error(j, "/delphi/round: \"round\" must be between 1 and 99 (got 0)");
    j = delphi_base();
    j["delphi"]["study"] = "Digital Kommunal";
    expect_error(j, "/delphi/study: invalid study id \"Digital Kommunal\"");
    j = delphi_base();
    j["delphi"]["itmes"] = json::array();
    expect_error(j, "unknown key \"itmes\" (did you mean \"items\"?)");
    j = delphi_base();
    j["delphi"]["items"] = json::array();
    expect_error(j, "/delphi/items: \"items\" is empty");
    j = delphi_base();
    j["delphi"]["drop_on_consensus"] = "yes";
    expect_error(j, "\"drop_on_consensus\" must be true or false");
}

TEST_CASE("loader: delphi consensus rule kinds and ranges") {
    json j = delphi_base();
    j["delphi"]["consensus"]["kind"] = "top-share";
    expect_error(j, "/delphi/consensus/kind: unknown consensus rule \"top-share\" (known: top_share, iqr, rand_ucla, "
                    "cv) (did you mean \"top_share\"?)");
    j = delphi_base();
    j["delphi"]["consensus"]["threshold"] = 175;
    expect_error(j, "\"threshold\" of the rule \"top_share\" must be above 0 and at most 100 (a percentage, e.g. 75) "
                    "(got 175)");
    j = delphi_base();
    j["delphi"]["consensus"].erase("threshold");
    expect_error(j, "missing required key \"threshold\" for the rule \"top_share\"");
    j = delphi_base();
    j["delphi"]["consensus"]["top"] = 0;
    expect_error(j, "/delphi/consensus/top: \"top\" must not be 0");
    j = delphi_base();
    j["delphi"]["consensus"]["top"] = 2; // Q3's rows have 2 categories: everything would count
    expect_error(j, "Q3[R1] /delphi/items/0/key: the consensus rule counts the 2 top categories, but Q3[R1] has only 2");
    j = delphi_base();
    j["delphi"]["consensus"] = {{"kind", "iqr"}, {"threshold", 1}, {"top", 2}};
    expect_error(j, "/delphi/consensus/top: \"top\" belongs to the rule \"top_share\" only");
    j = delphi_base();
    j["delphi"]["consensus"] = {{"kind", "iqr"}, {"threshold", -1}};
    expect_error(j, "must be at least 0 and at most 10");
    j = delphi_base();
    j["delphi"]["consensus"] = {{"kind", "cv"}, {"threshold", 0}};
    expect_error(j, "\"threshold\" of the rule \"cv\" must be above 0");
    j = delphi_base();
    j["delphi"]["consensus"] = {{"kind", "iqr"}, {"threshold", 1}};
    CHECK(load_ok(j.dump())->delphi.consensus.kind == "iqr");

    // RAND/UCLA is defined on nine points: the 5-point rating and the 2-point rows fail, and
    // the threshold defaults to the method's disagreement index of 1.
    j = delphi_base();
    j["delphi"]["consensus"] = {{"kind", "rand_ucla"}};
    std::string e = expect_error(j, "Q5 /delphi/items/2/key: the consensus rule \"rand_ucla\" needs a 9-point scale "
                                    "with codes rising (e.g. 1 to 9); Q5 has 5 points");
    CHECK(contains(e, "Q7 has 2 categories without an order"));
    j["groups"][1]["questions"][1]["scale"] = {{"min", 1}, {"max", 9}};
    j["delphi"]["items"] = json::parse(R"([{"key": "Q5", "repeats": "F18", "feedback": ["median"]}])");
    j["delphi"].erase("expert_levels");
    auto s = load_ok(j.dump());
    CHECK(s->delphi.consensus.threshold == 1);
}

TEST_CASE("loader: delphi items name closed questions of the survey") {
    json j = delphi_base();
    j["delphi"]["items"][0]["key"] = "Q33[R1]";
    expect_error(j, "Q33[R1] /delphi/items/0/key: item names the question \"Q33\", which is not in this survey "
                    "(did you mean \"Q3\"?)");
    j = delphi_base();
    j["delphi"]["items"][0]["key"] = "Q3";
    expect_error(j, "item \"Q3\" is a matrix: name one row, e.g. \"Q3[R1]\"");
    j = delphi_base();
    j["delphi"]["items"][0]["key"] = "Q3[R3]";
    expect_error(j, "matrix Q3 has no row \"R3\" (did you mean \"R1\"?)");
    j = delphi_base();
    j["delphi"]["items"][0]["key"] = "Q5[R1]";
    expect_error(j, "item \"Q5[R1]\" names a row, but Q5 is rating, not a matrix");
    j = delphi_base();
    j["delphi"]["items"][0]["key"] = "Q2";
    expect_error(j, "item \"Q2\" is not a closed question with one scale");
    j = delphi_base();
    j["delphi"]["items"][0]["key"] = "Q3 [R1]";
    expect_error(j, "invalid item key \"Q3 [R1]\"");
    j = delphi_base();
    j["delphi"]["items"][1]["key"] = "Q3[R1]";
    expect_error(j, "/delphi/items/1/key: duplicate item \"Q3[R1]\" (first at /delphi/items/0)");
    j = delphi_base();
    j["delphi"]["items"][2]["repeats"] = "F-18";
    expect_error(j, "Q5 /delphi/items/2/repeats: invalid \"repeats\" \"F-18\"");
    j = delphi_base();
    j["delphi"]["round"] = 1;
    expect_error(j, "/delphi/items/0/repeats: round 1 has no round before it to repeat");
}

TEST_CASE("loader: delphi feedback and expertise") {
    json j = delphi_base();
    j["delphi"]["items"][0]["feedback"] = {"distribution", "modus"};
    expect_error(j, "/delphi/items/0/feedback/1: unknown feedback \"modus\" (known: distribution, median, iqr, mean)");
    j = delphi_base();
    j["delphi"]["items"][0]["feedback"] = {"median", "median"};
    expect_error(j, "feedback \"median\" is listed twice");
    j = delphi_base();
    j["delphi"]["items"][3] = {{"key", "Q7"}, {"repeats", "F51"}, {"feedback", {"distribution", "mean"}}};
    expect_error(j, "Q7 /delphi/items/3/feedback/1: feedback \"mean\" needs an ordinal scale");
    j = delphi_base();
    j["delphi"]["items"][3]["feedback"] = {"distribution"};
    expect_error(j, "feedback is shown with a repeated item: add \"repeats\"");
    // Letters as codes are categories without an order, even on a single choice.
    j = delphi_base();
    j["groups"][0]["questions"][2]["options"][0]["code"] = "a";
    expect_error(j, "Q3[R1] /delphi/items/0/feedback/1: feedback \"median\" needs an ordinal scale");

    j = delphi_base();
    j["delphi"]["items"][0]["expertise"] = "Q2";
    expect_error(j, "\"expertise\" \"Q2\" must name a single-choice question, rating or matrix row");
    j = delphi_base();
    j["delphi"]["expert_levels"] = {"2", "3"};
    expect_error(j, "Q3[R1] /delphi/items/0/expertise: expert level \"3\" is not an option of Q1");
    j = delphi_base();
    j["delphi"].erase("expert_levels");
    expect_error(j, "items name an \"expertise\" question, but \"expert_levels\" is missing");
    j = delphi_base();
    j["delphi"]["expert_levels"] = {"2", "2"};
    expect_error(j, "/delphi/expert_levels/1: duplicate expert level \"2\"");
    // An expertise question after its item only warns.
    j = delphi_base();
    j["delphi"]["items"][0]["expertise"] = "Q5";
    j["delphi"]["items"][2].erase("expertise");
    j["delphi"]["expert_levels"] = {"4", "5"};
    LoadResult r = parse_survey(j.dump(2), "t.json");
    INFO(all_errors(r));
    REQUIRE(r.ok());
    REQUIRE(r.warnings.size() == 1);
    CHECK(contains(r.warnings[0], "the expertise question Q5 comes after the item Q3"));
}

TEST_CASE("loader: delphi errors carry the line of the item") {
    json j = delphi_base();
    j["delphi"]["items"][2]["key"] = "Q99";
    std::string text = j.dump(2);
    LoadResult r = parse_survey(text, "t.json");
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].line == line_of(text, "\"Q99\""));
    CHECK(r.errors[0].where == "Q99 /delphi/items/2/key");
}
