// surveys_loader_test.cpp - the survey loader: one test per kind of validation error (each
// checks the message, the place and, where it matters, the line), a valid survey with every
// question type, the content hash, survey_to_json round trips, language fallback, and
// broken copies of the shipped surveys.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "survey.h"

using namespace tk;
using json = nlohmann::json;
using ojson = nlohmann::ordered_json;

namespace {

// A small valid survey; each error test breaks one thing in it.
const char* kBase = R"({
  "format": "teilhabe-survey/1", "id": "basis", "version": "1", "languages": ["de", "en"],
  "title": {"de": "Titel", "en": "Title"},
  "groups": [
    {"code": "A", "title": {"de": "Teil A", "en": "Part A"}, "questions": [
      {"code": "Q1", "type": "single", "text": {"de": "Frage 1", "en": "Question 1"},
       "options": [{"code": "1", "text": {"de": "ja", "en": "yes"}},
                   {"code": "2", "text": {"de": "nein", "en": "no"}}]},
      {"code": "Q2", "type": "text", "text": {"de": "Frage 2", "en": "Question 2"}},
      {"code": "Q3", "type": "matrix", "text": {"de": "Frage 3", "en": "Question 3"},
       "options": [{"code": "1", "text": {"de": "gut", "en": "good"}},
                   {"code": "2", "text": {"de": "schlecht", "en": "bad"}}],
       "rows": [{"code": "R1", "text": {"de": "Zeile 1", "en": "Row 1"}},
                {"code": "R2", "text": {"de": "Zeile 2", "en": "Row 2"}}]}
    ]},
    {"code": "B", "title": {"de": "Teil B", "en": "Part B"}, "questions": [
      {"code": "Q4", "type": "numeric", "text": {"de": "Frage 4", "en": "Question 4"}},
      {"code": "Q5", "type": "rating", "text": {"de": "Frage 5", "en": "Question 5"}},
      {"code": "Q6", "type": "date", "text": {"de": "Frage 6", "en": "Question 6"}},
      {"code": "Q7", "type": "multiple", "text": {"de": "Frage 7", "en": "Question 7"},
       "options": [{"code": "a", "text": {"de": "A", "en": "A"}},
                   {"code": "b", "text": {"de": "B", "en": "B"}}]}
    ]}
  ]
})";

// Every question type with the features it has, three languages, conditions on a group,
// questions and a row, and every kind of variable a condition can read.
const char* kAllTypes = R"({
  "format": "teilhabe-survey/1", "id": "alle-typen", "version": "2.1",
  "languages": ["de", "en", "de-x-ls"],
  "_comment": "keys with a leading underscore are ignored",
  "title": {"de": "Alle Typen", "en": "All types", "de-x-ls": "Alle Arten von Fragen"},
  "description": {"de": "Beschreibung", "en": "Description"},
  "end_text": {"de": "Danke", "en": "Thank you"},
  "source": "test fixture",
  "settings": {"no_answer_option": true, "partial_responses": false, "show_progress": false},
  "groups": [
    {"code": "A", "title": {"de": "Teil A", "en": "Part A"}, "description": "Nur auf Deutsch",
     "questions": [
      {"code": "INFO1", "type": "info", "text": {"de": "Willkommen", "en": "Welcome", "de-x-ls": "Hallo"}},
      {"code": "S1", "type": "single", "text": {"de": "Wo wohnen Sie?", "en": "Where do you live?"},
       "help": {"de": "Eine Antwort", "en": "One answer"}, "mandatory": true, "display": "dropdown",
       "other": true, "other_label": {"de": "Anderer Ort", "en": "Other place"},
       "comment": true, "comment_label": {"de": "Anmerkung", "en": "Remark"}, "source": "verbatim",
       "options": [{"code": "1", "text": {"de": "Stadt", "en": "City"}, "_note": "x"},
                   {"code": "2", "text": {"de": "Land", "en": "Countryside"}}]},
      {"code": "M1", "type": "multiple", "text": {"de": "Was nutzen Sie?", "en": "What do you use?"},
       "min_answers": 1, "max_answers": 2, "other": true,
       "options": [{"code": "A", "text": {"de": "Handy", "en": "Phone"}},
                   {"code": "B", "text": {"de": "Computer", "en": "Computer"}},
                   {"code": "N", "text": {"de": "Nichts", "en": "Nothing"}, "exclusive": true}]},
      {"code": "T1", "type": "text", "text": {"de": "Welche Stadt?", "en": "Which city?"},
       "max_length": 50, "condition": "S1 == '1'"},
      {"code": "L1", "type": "longtext", "text": {"de": "Erzählen Sie", "en": "Tell us"},
       "condition": "M1_A == 'Y' or M1 > 1 or S1_other != '' or S1_comment != ''"},
      {"code": "N1", "type": "numeric", "text": {"de": "Alter", "en": "Age"},
       "min": 0, "max": 120.5, "integer": true},
      {"code": "Y1", "type": "yesno", "text": {"de": "Online?", "en": "Online?"}},
      {"code": "R1", "type": "rating", "text": {"de": "Zufrieden?", "en": "Satisfied?"},
       "scale": {"min": 0, "max": 10, "min_label": {"de": "gar nicht", "en": "not at all"},
                 "max_label": {"de": "sehr", "en": "very"}},
       "comment": true}
    ]},
    {"code": "B", "title": {"de": "Teil B", "en": "Part B"}, "condition": "Y1 == 'Y' && R1 >= 5",
     "questions": [
      {"code": "MX", "type": "matrix", "text": {"de": "Bewerten Sie", "en": "Rate"},
       "options": [{"code": "1", "text": {"de": "gut", "en": "good"}},
                   {"code": "2", "text": {"de": "schlecht", "en": "bad"}}],
       "options2": [{"code": "x", "text": {"de": "wichtig", "en": "important"}},
                    {"code": "y", "text": {"de": "egal", "en": "unimportant"}}],
       "scale_headers": [{"de": "Heute", "en": "Today"}, {"de": "Wichtigkeit", "en": "Importance"}],
       "rows": [{"code": "SQ001", "text": {"de": "Amt", "en": "Office"}},
                {"code": "SQ002", "text": {"de": "Schule", "en": "School"}, "condition": "N1 >= 18"}]},
      {"code": "MN", "type": "matrix", "cell": "number", "text": {"de": "Stunden", "en": "Hours"},
       "min": 0, "max": 24,
       "options": [{"code": "C1", "text": {"de": "Werktag", "en": "Weekday"}},
                   {"code": "C2", "text": {"de": "Wochenende", "en": "Weekend"}}],
       "rows": [{"code": "R1", "text": {"de": "Internet", "en": "Internet"}}]},
      {"code": "RK", "type": "ranking", "text": {"de": "Ordnen Sie", "en": "Rank"}, "max_answers": 2,
       "condition": "MX_SQ001 == '1' and MX_SQ001#1 == 'x' and MN_R1_C1 > 3",
       "options": [{"code": "a", "text": {"de": "Zeit", "en": "Time"}},
                   {"code": "b", "text": {"de": "Geld", "en": "Money"}},
                   {"code": "c", "text": {"de": "Hilfe", "en": "Help"}}]},
      {"code": "RL", "type": "ranked_list", "text": {"de": "Ihre Wünsche", "en": "Your wishes"},
       "max_answers": 3, "condition": "RK_1 == 'a' || RK_2 == 'b'"},
      {"code": "MT", "type": "multi_text", "text": {"de": "Kontakt", "en": "Contact"},
       "rows": [{"code": "a", "text": {"de": "Name", "en": "Name"}},
                {"code": "b", "text": {"de": "Ort", "en": "Place"}}]},
      {"code": "MNU", "type": "multi_numeric", "text": {"de": "Anzahl", "en": "Number"},
       "integer": true, "max": 100,
       "rows": [{"code": "k", "text": {"de": "Kinder", "en": "Children"}}]},
      {"code": "D1", "type": "date", "text": {"de": "Datum", "en": "Date"},
       "min_date": "1900-01-01", "max_date": "2030-12-31",
       "condition": "not is_empty(RL_1) and MT_a != '' and MNU_k.NAOK > 0"}
    ]}
  ]
})";

std::string all_errors(const LoadResult& r) {
    std::string s;
    for (const LoadError& e : r.errors) s += e.to_string() + "\n";
    return s;
}

bool contains(const std::string& hay, const std::string& needle) {
    return hay.find(needle) != std::string::npos;
}

// 1-based line of the first occurrence of `needle` in `text` (0 when absent).
int line_of(const std::string& text, const std::string& needle) {
    size_t at = text.find(needle);
    if (at == std::string::npos) return 0;
    return 1 + (int)std::count(text.begin(), text.begin() + (long)at, '\n');
}

json base() { return json::parse(kBase); }

// Loads `j` (pretty-printed) and expects it to fail with an error containing `needle`.
// Returns every error, one per line, for further checks.
std::string expect_error(const json& j, const std::string& needle) {
    LoadResult r = parse_survey(j.dump(2), "t.json");
    std::string all = all_errors(r);
    INFO("errors:\n" << all);
    CHECK_FALSE(r.ok());
    CHECK(r.survey == nullptr);
    CHECK(contains(all, needle));
    return all;
}

std::shared_ptr<const Survey> load_ok(const std::string& text) {
    LoadResult r = parse_survey(text, "t.json");
    INFO("errors:\n" << all_errors(r));
    REQUIRE(r.ok());
    return r.survey;
}

// The same JSON value with every object's keys in reverse order (for the hash test).
ojson reversed(const json& j) {
    if (j.is_object()) {
        ojson o = ojson::object();
        std::vector<std::string> keys;
        for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
        std::reverse(keys.begin(), keys.end());
        for (const auto& k : keys) o[k] = reversed(j[k]);
        return o;
    }
    if (j.is_array()) {
        ojson a = ojson::array();
        for (const auto& v : j) a.push_back(reversed(v));
        return a;
    }
    return ojson::parse(j.dump());
}

void check_same_options(const std::vector<Option>& a, const std::vector<Option>& b) {
    REQUIRE(a.size() == b.size());
    for (size_t i = 0; i < a.size(); i++) {
        CHECK(a[i].code == b[i].code);
        CHECK(a[i].text.by_lang == b[i].text.by_lang);
        CHECK(a[i].exclusive == b[i].exclusive);
    }
}

// Field-by-field equality of two surveys (everything but hash and source path).
void check_same_survey(const Survey& a, const Survey& b) {
    CHECK(a.id == b.id);
    CHECK(a.version == b.version);
    CHECK(a.languages == b.languages);
    CHECK(a.title.by_lang == b.title.by_lang);
    CHECK(a.description.by_lang == b.description.by_lang);
    CHECK(a.end_text.by_lang == b.end_text.by_lang);
    CHECK(a.source_note == b.source_note);
    CHECK(a.settings.no_answer_option == b.settings.no_answer_option);
    CHECK(a.settings.partial_responses == b.settings.partial_responses);
    CHECK(a.settings.show_progress == b.settings.show_progress);
    REQUIRE(a.groups.size() == b.groups.size());
    for (size_t g = 0; g < a.groups.size(); g++) {
        const Group& ga = a.groups[g];
        const Group& gb = b.groups[g];
        CHECK(ga.code == gb.code);
        CHECK(ga.title.by_lang == gb.title.by_lang);
        CHECK(ga.description.by_lang == gb.description.by_lang);
        CHECK(ga.condition_src == gb.condition_src);
        CHECK((ga.condition == nullptr) == (gb.condition == nullptr));
        REQUIRE(ga.questions.size() == gb.questions.size());
        for (size_t i = 0; i < ga.questions.size(); i++) {
            const Question& x = ga.questions[i];
            const Question& y = gb.questions[i];
            INFO("question " << x.code);
            CHECK(x.code == y.code);
            CHECK(x.type == y.type);
            CHECK(x.text.by_lang == y.text.by_lang);
            CHECK(x.help.by_lang == y.help.by_lang);
            CHECK(x.mandatory == y.mandatory);
            CHECK(x.condition_src == y.condition_src);
            CHECK((x.condition == nullptr) == (y.condition == nullptr));
            check_same_options(x.options, y.options);
            check_same_options(x.options2, y.options2);
            CHECK(x.scale_header1.by_lang == y.scale_header1.by_lang);
            CHECK(x.scale_header2.by_lang == y.scale_header2.by_lang);
            REQUIRE(x.rows.size() == y.rows.size());
            for (size_t r = 0; r < x.rows.size(); r++) {
                CHECK(x.rows[r].code == y.rows[r].code);
                CHECK(x.rows[r].text.by_lang == y.rows[r].text.by_lang);
                CHECK(x.rows[r].condition_src == y.rows[r].condition_src);
                CHECK((x.rows[r].condition == nullptr) == (y.rows[r].condition == nullptr));
            }
            CHECK(x.cell == y.cell);
            CHECK(x.display == y.display);
            CHECK(x.other == y.other);
            CHECK(x.other_label.by_lang == y.other_label.by_lang);
            CHECK(x.comment == y.comment);
            CHECK(x.comment_label.by_lang == y.comment_label.by_lang);
            CHECK(x.min_value == y.min_value);
            CHECK(x.max_value == y.max_value);
            CHECK(x.integer_only == y.integer_only);
            CHECK(x.scale_min == y.scale_min);
            CHECK(x.scale_max == y.scale_max);
            CHECK(x.min_label.by_lang == y.min_label.by_lang);
            CHECK(x.max_label.by_lang == y.max_label.by_lang);
            CHECK(x.min_answers == y.min_answers);
            CHECK(x.max_answers == y.max_answers);
            CHECK(x.max_length == y.max_length);
            CHECK(x.min_date == y.min_date);
            CHECK(x.max_date == y.max_date);
            CHECK(x.source_note == y.source_note);
        }
    }
}

std::vector<std::string> shipped_surveys() {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(std::string(TK_SOURCE_DIR) + "/surveys", ec))
        if (e.path().extension() == ".json") out.push_back(e.path().string());
    std::sort(out.begin(), out.end());
    return out;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string temp_path(const std::string& name) {
    auto dir = std::filesystem::temp_directory_path() / ("tk-loader-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    return (dir / name).string();
}

void write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

} // namespace

// ---------------------------------------------------------------------------------------
// Valid surveys

TEST_CASE("loader: the base fixture is valid") {
    auto s = load_ok(kBase);
    CHECK(s->id == "basis");
    CHECK(s->all_questions().size() == 7);
}

TEST_CASE("loader: a valid survey with every question type") {
    LoadResult r = parse_survey(kAllTypes, "alle.json");
    INFO(all_errors(r));
    REQUIRE(r.ok());
    const Survey& s = *r.survey;
    CHECK(s.id == "alle-typen");
    CHECK(s.version == "2.1");
    CHECK(s.languages == std::vector<std::string>{"de", "en", "de-x-ls"});
    CHECK(s.original_language() == "de");
    CHECK(s.source_path == "alle.json");
    CHECK(s.source_note == "test fixture");
    CHECK(s.settings.no_answer_option);
    CHECK_FALSE(s.settings.partial_responses);
    CHECK_FALSE(s.settings.show_progress);
    CHECK(s.end_text.get("en", "de") == "Thank you");
    // The group description exists only in German: a warning, not an error.
    REQUIRE(r.warnings.size() == 1);
    CHECK(contains(r.warnings[0], "alle.json:"));
    CHECK(contains(r.warnings[0], "group A /groups/0/description: no text for language \"en\""));

    // Every type appears once or more, in file order.
    std::vector<std::string> types;
    for (const auto& ref : s.all_questions()) types.push_back(type_name(ref.q->type));
    CHECK(types == std::vector<std::string>{"info", "single", "multiple", "text", "longtext", "numeric",
                                            "yesno", "rating", "matrix", "matrix", "ranking",
                                            "ranked_list", "multi_text", "multi_numeric", "date"});
    CHECK(s.question_position("S1") == 1);
    CHECK(s.question_position("D1") == 14);
    CHECK(s.question_position("nope") == -1);
    CHECK(s.find_question("nope") == nullptr);

    const Question* info = s.find_question("INFO1");
    REQUIRE(info);
    CHECK_FALSE(info->has_answer());
    CHECK_FALSE(info->is_closed());

    const Question* s1 = s.find_question("S1");
    REQUIRE(s1);
    CHECK(s1->mandatory);
    CHECK(s1->display == "dropdown");
    CHECK(s1->other);
    CHECK(s1->other_label.get("en", "de") == "Other place");
    CHECK(s1->comment);
    CHECK(s1->comment_label.get("de", "de") == "Anmerkung");
    CHECK(s1->help.get("en", "de") == "One answer");
    CHECK(s1->source_note == "verbatim");
    REQUIRE(s1->options.size() == 2);
    CHECK(s1->find_option("2")->text.get("en", "de") == "Countryside");
    CHECK(s1->is_closed());

    const Question* m1 = s.find_question("M1");
    REQUIRE(m1);
    CHECK(m1->min_answers == 1);
    CHECK(m1->max_answers == 2);
    CHECK(m1->find_option("N")->exclusive);
    CHECK_FALSE(m1->find_option("A")->exclusive);

    const Question* t1 = s.find_question("T1");
    CHECK(t1->max_length == 50);
    CHECK(t1->condition_src == "S1 == '1'");
    CHECK(t1->condition != nullptr);
    CHECK(s.find_question("L1")->condition != nullptr);

    const Question* n1 = s.find_question("N1");
    CHECK(n1->min_value == 0.0);
    CHECK(n1->max_value == 120.5);
    CHECK(n1->integer_only);

    // yesno without options gets Y/N with German and English texts.
    const Question* y1 = s.find_question("Y1");
    REQUIRE(y1->options.size() == 2);
    CHECK(y1->options[0].code == "Y");
    CHECK(y1->options[0].text.get("de", "de") == "Ja");
    CHECK(y1->options[0].text.get("en", "de") == "Yes");
    CHECK(y1->options[1].code == "N");
    CHECK(y1->options[1].text.get("de-x-ls", "de") == "Nein");
    CHECK(y1->options[1].text.get("en", "de") == "No");
    CHECK(y1->is_closed());

    // A rating gets one option per scale point.
    const Question* r1 = s.find_question("R1");
    CHECK(r1->scale_min == 0);
    CHECK(r1->scale_max == 10);
    REQUIRE(r1->options.size() == 11);
    CHECK(r1->options.front().code == "0");
    CHECK(r1->options.back().code == "10");
    CHECK(r1->find_option("5") != nullptr);
    CHECK(r1->min_label.get("en", "de") == "not at all");
    CHECK(r1->max_label.get("de", "de") == "sehr");
    CHECK(r1->comment);

    CHECK(s.groups[1].condition_src == "Y1 == 'Y' && R1 >= 5");
    CHECK(s.groups[1].condition != nullptr);
    CHECK(s.groups[0].condition == nullptr);

    const Question* mx = s.find_question("MX");
    CHECK(mx->cell == MatrixCell::Choice);
    CHECK(mx->options.size() == 2);
    REQUIRE(mx->options2.size() == 2);
    CHECK(mx->find_option2("y")->text.get("en", "de") == "unimportant");
    CHECK(mx->find_option2("1") == nullptr);
    CHECK(mx->scale_header1.get("en", "de") == "Today");
    CHECK(mx->scale_header2.get("de", "de") == "Wichtigkeit");
    REQUIRE(mx->rows.size() == 2);
    CHECK(mx->find_row("SQ001")->condition == nullptr);
    CHECK(mx->find_row("SQ002")->condition_src == "N1 >= 18");
    CHECK(mx->find_row("SQ002")->condition != nullptr);
    CHECK(mx->is_closed());

    const Question* mn = s.find_question("MN");
    CHECK(mn->cell == MatrixCell::Number);
    CHECK(mn->max_value == 24.0);
    CHECK_FALSE(mn->is_closed());

    CHECK(s.find_question("RK")->max_answers == 2);
    CHECK(s.find_question("RK")->options.size() == 3);
    CHECK(s.find_question("RL")->max_answers == 3);
    CHECK(s.find_question("MT")->rows.size() == 2);
    CHECK(s.find_question("MNU")->integer_only);
    CHECK(s.find_question("D1")->min_date == "1900-01-01");
    CHECK(s.find_question("D1")->max_date == "2030-12-31");

    CHECK(s.hash.rfind("sha256:", 0) == 0);
    CHECK(s.hash.size() == 7 + 64);
}

TEST_CASE("loader: type names map both ways") {
    for (int t = 0; t <= (int)QuestionType::Info; t++) {
        auto back = type_from_name(type_name((QuestionType)t));
        REQUIRE(back.has_value());
        CHECK((int)*back == t);
    }
    CHECK_FALSE(type_from_name("Single").has_value());
    CHECK(std::string(type_name(QuestionType::RankedList)) == "ranked_list");
}

TEST_CASE("loader: plain strings are texts in the original language") {
    auto s = load_ok(R"({"format":"teilhabe-survey/1","id":"x","version":"1","languages":["de"],
        "title":"Titel","groups":[{"code":"G","title":"Gruppe","questions":[
        {"code":"Q","type":"yesno","text":"Frage?"}]}]})");
    CHECK(s->title.by_lang == std::map<std::string, std::string>{{"de", "Titel"}});
    CHECK(s->find_question("Q")->text.get("en", "de") == "Frage?");
}

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

TEST_CASE("loader: missing file and directory are load errors") {
    LoadResult r = load_survey("/nonexistent/dir/survey.json");
    REQUIRE(r.errors.size() == 1);
    CHECK_FALSE(r.ok());
    CHECK(contains(r.errors[0].to_string(), "/nonexistent/dir/survey.json: cannot open file"));
    LoadResult d = load_survey(std::string(TK_SOURCE_DIR) + "/surveys");
    REQUIRE(d.errors.size() == 1);
    CHECK(contains(d.errors[0].message, "is a directory"));
}

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

TEST_CASE("loader: language fallback in LocalText") {
    auto s = load_ok(kAllTypes);
    // The title has a Leichte-Sprache text; the question texts mostly do not.
    CHECK(s->title.get("de-x-ls", "de") == "Alle Arten von Fragen");
    CHECK(s->find_question("INFO1")->text.get("de-x-ls", "de") == "Hallo");
    CHECK(s->find_question("S1")->text.get("de-x-ls", "de") == "Wo wohnen Sie?");
    CHECK(s->find_question("S1")->text.get("en", "de") == "Where do you live?");
    CHECK(s->find_question("S1")->text.get("fr", "de") == "Wo wohnen Sie?");
    CHECK(s->find_question("S1")->text.get("en-GB", "de") == "Where do you live?");
    CHECK(language_fallbacks("de-x-ls") == std::vector<std::string>{"de-x-ls", "de"});
    LocalText empty;
    CHECK(empty.get("de", "de").empty());
}

// ---------------------------------------------------------------------------------------
// Shipped surveys: each loads, round-trips, and a broken copy fails with a clear message.

TEST_CASE("loader: shipped surveys, and broken copies of them") {
    std::vector<std::string> files = shipped_surveys();
    // An empty list must not pass as "every shipped survey is fine": the surveys folder moved
    // or lost its files, and this test would then check nothing.
    REQUIRE_MESSAGE(!files.empty(), "no survey (*.json) found under " << TK_SOURCE_DIR << "/surveys");
    for (const char* shipped : {"bedarfe-akteure.json", "buerger-digital.json"})
        CHECK_MESSAGE(std::find(files.begin(), files.end(), std::string(TK_SOURCE_DIR) + "/surveys/" + shipped) != files.end(),
                      shipped << " is missing from " << TK_SOURCE_DIR << "/surveys");
    for (const std::string& path : files) {
        INFO(path);
        LoadResult r = load_survey(path);
        INFO(all_errors(r));
        REQUIRE(r.ok());
        CHECK(r.survey->source_path == path);
        std::string original = read_file(path);
        std::string name = std::filesystem::path(path).filename().string();

        // Round trip.
        auto again = load_ok(survey_to_json(*r.survey));
        check_same_survey(*r.survey, *again);

        // Same content, other formatting: same hash.
        std::string compact_path = temp_path("compact-" + name);
        write_file(compact_path, json::parse(original).dump());
        LoadResult compact = load_survey(compact_path);
        REQUIRE(compact.ok());
        CHECK(compact.survey->hash == r.survey->hash);

        // Break the first question's type in the original text, formatting untouched.
        std::string broken = original;
        size_t at = broken.find("\"type\"");
        REQUIRE(at != std::string::npos);
        broken.replace(at, 6, "\"typ\"");
        std::string broken_path = temp_path("broken-" + name);
        write_file(broken_path, broken);
        LoadResult b = load_survey(broken_path);
        CHECK_FALSE(b.ok());
        std::string errs = all_errors(b);
        INFO(errs);
        std::string first_code = r.survey->groups[0].questions[0].code;
        int line = 1 + (int)std::count(broken.begin(), broken.begin() + (long)at, '\n');
        CHECK(contains(errs, broken_path + ":" + std::to_string(line) + ": " + first_code +
                                 " /groups/0/questions/0/typ: unknown key \"typ\" (did you mean \"type\"?)"));
        CHECK(contains(errs, first_code + " /groups/0/questions/0: missing required key \"type\""));

        // Give the last question the first one's code.
        json j = json::parse(original);
        json& groups = j["groups"];
        json& last_q = groups[groups.size() - 1]["questions"].back();
        last_q["code"] = first_code;
        std::string gi = std::to_string(groups.size() - 1);
        std::string qi = std::to_string(groups[groups.size() - 1]["questions"].size() - 1);
        LoadResult d = parse_survey(j.dump(2), name);
        CHECK_FALSE(d.ok());
        CHECK(contains(all_errors(d), first_code + " /groups/" + gi + "/questions/" + qi +
                                          "/code: duplicate question code \"" + first_code + "\""));
        std::filesystem::remove(compact_path);
        std::filesystem::remove(broken_path);
    }
}
