// surveys_loader_util.h - what the loader, validator, writer and shipped-survey tests share:
//   kBase, kAllTypes      a small valid survey to break, and one with every question type
//   delphi_base           kBase as round 2 of a Delphi study
//   load_ok, expect_error load a text and expect success, or an error naming `needle`
//   all_errors, contains, line_of
//   reversed              a JSON value with every object's keys in reverse order
//   check_same_survey     field-by-field equality of two surveys (writer round trips)
//   shipped_surveys, read_file, temp_path, write_file
#pragma once
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "survey.h"

namespace tk::test::loader {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;


// A small valid survey; each error test breaks one thing in it.
inline constexpr const char* kBase = R"({
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
inline constexpr const char* kAllTypes = R"({
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

// kBase as round 2 of a Delphi study: Q3's rows repeat round 1's F11 rows, Q5 (a rating 1-5)
// repeats F18, the expertise of both is rated in Q1 ("2" counts as expert). Each Delphi error
// test breaks one thing in it.
inline json delphi_base() {
    json j = json::parse(kBase);
    j["delphi"] = json::parse(R"({
      "study": "digital-kommunal", "round": 2,
      "consensus": {"kind": "top_share", "threshold": 75, "top": 1},
      "drop_on_consensus": true, "expert_levels": ["2"],
      "items": [
        {"key": "Q3[R1]", "repeats": "F11[L1]", "feedback": ["distribution", "median", "iqr"], "expertise": "Q1"},
        {"key": "Q3[R2]", "repeats": "F11[L2]"},
        {"key": "Q5", "repeats": "F18", "feedback": ["distribution", "mean"], "expertise": "Q1"},
        {"key": "Q7"}
      ]})");
    return j;
}

inline std::string all_errors(const LoadResult& r) {
    std::string s;
    for (const LoadError& e : r.errors) s += e.to_string() + "\n";
    return s;
}

inline bool contains(const std::string& hay, const std::string& needle) {
    return hay.find(needle) != std::string::npos;
}

// 1-based line of the first occurrence of `needle` in `text` (0 when absent).
inline int line_of(const std::string& text, const std::string& needle) {
    size_t at = text.find(needle);
    if (at == std::string::npos) return 0;
    return 1 + (int)std::count(text.begin(), text.begin() + (long)at, '\n');
}

inline json base() { return json::parse(kBase); }

// Loads `j` (pretty-printed) and expects it to fail with an error containing `needle`.
// Returns every error, one per line, for further checks.
inline std::string expect_error(const json& j, const std::string& needle) {
    LoadResult r = parse_survey(j.dump(2), "t.json");
    std::string all = all_errors(r);
    INFO("errors:\n" << all);
    CHECK_FALSE(r.ok());
    CHECK(r.survey == nullptr);
    CHECK(contains(all, needle));
    return all;
}

inline std::shared_ptr<const Survey> load_ok(const std::string& text) {
    LoadResult r = parse_survey(text, "t.json");
    INFO("errors:\n" << all_errors(r));
    REQUIRE(r.ok());
    return r.survey;
}

// The same JSON value with every object's keys in reverse order (for the hash test).
inline ojson reversed(const json& j) {
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

inline void check_same_options(const std::vector<Option>& a, const std::vector<Option>& b) {
    REQUIRE(a.size() == b.size());
    for (size_t i = 0; i < a.size(); i++) {
        CHECK(a[i].code == b[i].code);
        CHECK(a[i].text.by_lang == b[i].text.by_lang);
        CHECK(a[i].exclusive == b[i].exclusive);
        CHECK(a[i].source_code == b[i].source_code);
    }
}

// Field-by-field equality of two surveys (everything but hash and source path).
inline void check_same_survey(const Survey& a, const Survey& b) {
    CHECK(a.id == b.id);
    CHECK(a.version == b.version);
    CHECK(a.languages == b.languages);
    CHECK(a.title.by_lang == b.title.by_lang);
    CHECK(a.description.by_lang == b.description.by_lang);
    CHECK(a.end_text.by_lang == b.end_text.by_lang);
    CHECK(a.source_note == b.source_note);
    REQUIRE(a.language_meta.size() == b.language_meta.size());
    for (const auto& [lang, m] : a.language_meta) {
        INFO("meta of " << lang);
        REQUIRE(b.language_meta.count(lang) == 1);
        CHECK(m.source_language == b.language_meta.at(lang).source_language);
        CHECK(m.translated_by == b.language_meta.at(lang).translated_by);
        CHECK(m.reviewed == b.language_meta.at(lang).reviewed);
    }
    CHECK(a.delphi.study == b.delphi.study);
    CHECK(a.delphi.round == b.delphi.round);
    CHECK(a.delphi.consensus.kind == b.delphi.consensus.kind);
    CHECK(a.delphi.consensus.threshold == b.delphi.consensus.threshold);
    CHECK(a.delphi.consensus.top == b.delphi.consensus.top);
    CHECK(a.delphi.drop_on_consensus == b.delphi.drop_on_consensus);
    CHECK(a.delphi.expert_levels == b.delphi.expert_levels);
    REQUIRE(a.delphi.items.size() == b.delphi.items.size());
    for (size_t i = 0; i < a.delphi.items.size(); i++) {
        CHECK(a.delphi.items[i].key == b.delphi.items[i].key);
        CHECK(a.delphi.items[i].repeats == b.delphi.items[i].repeats);
        CHECK(a.delphi.items[i].feedback == b.delphi.items[i].feedback);
        CHECK(a.delphi.items[i].expertise == b.delphi.items[i].expertise);
    }
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
            CHECK(x.random_group == y.random_group);
            CHECK(x.option_order == y.option_order);
            for (size_t r = 0; r < x.rows.size() && r < y.rows.size(); r++)
                CHECK(x.rows[r].source_code == y.rows[r].source_code);
        }
    }
}

inline std::vector<std::string> shipped_surveys() {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(std::string(TK_SOURCE_DIR) + "/surveys", ec))
        if (e.path().extension() == ".json") out.push_back(e.path().string());
    std::sort(out.begin(), out.end());
    return out;
}

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline std::string temp_path(const std::string& name) {
    auto dir = std::filesystem::temp_directory_path() / ("tk-loader-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    return (dir / name).string();
}

inline void write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}


} // namespace tk::test::loader
