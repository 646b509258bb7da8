// surveys_piping_test.cpp - answers piped into texts (piping.h), equation questions, default
// answers and validation expressions (session.h), and what the loader says about them.
#include <doctest/doctest.h>

#include "piping.h"
#include "session.h"
#include "test_survey.h"

using namespace tk;
using tk::test::parsed_survey;
using tk::test::value;

namespace {

std::string rendered(const std::string& text, const std::map<std::string, std::string>& vars) {
    return render_piped(parse_piped(text), [&](const std::string& name, const std::string& suffix) {
        auto it = vars.find(suffix.empty() ? name : name + "." + suffix);
        return ExprValue::of_string(it == vars.end() ? "" : it->second);
    });
}

const char* kSurvey = R"({
  "format": "teilhabe-survey/1", "id": "pipe", "version": "1", "languages": ["de", "de-x-ls"],
  "title": "Piping", "end_text": {"de": "Danke, {NAME}!", "de-x-ls": "Vielen Dank, {NAME}!"},
  "groups": [{"code": "G", "title": "G", "questions": [
    {"code": "NAME", "type": "text", "text": {"de": "Wie heißen Sie?", "de-x-ls": "Wie ist Ihr Name?"}},
    {"code": "ORT", "type": "single", "text": "Wo?", "default": "2",
     "options": [{"code": "1", "text": {"de": "Stadt", "de-x-ls": "in der Stadt"}}, {"code": "2", "text": {"de": "Land", "de-x-ls": "auf dem Land"}}]},
    {"code": "W", "type": "numeric", "text": "Gewicht?"},
    {"code": "H", "type": "numeric", "text": "Größe in cm?", "default": "{W + 100}",
     "validation": "this >= 100", "validation_tip": {"de": "Mindestens 100 cm, {NAME}.", "de-x-ls": "Es müssen 100 cm oder mehr sein."}},
    {"code": "BMI", "type": "equation", "equation": "{W + H}"},
    {"code": "K", "type": "multi_numeric", "text": "Hallo {NAME}, Sie wohnen in: {ORT.shown} (\\{Code\\} {ORT}). BMI {BMI}",
     "rows": [{"code": "w", "text": "werktags"}, {"code": "s", "text": "Wochenende"}],
     "validation": "sum(K_w, K_s) <= 24", "validation_tip": "Zusammen höchstens 24.",
     "row_validation": "this <= 16", "row_validation_tip": "Höchstens 16 je Feld."}
  ]}]})";

} // namespace

TEST_CASE("piping: literal parts, expressions, INSERTANS and the escapes") {
    std::map<std::string, std::string> v = {{"A1", "2"}, {"A1.shown", "Land"}, {"B", "x"}};
    CHECK(rendered("Sie sagten {A1.shown}.", v) == "Sie sagten Land.");
    CHECK(rendered("{INSERTANS:A1}/{A1}", v) == "Land/2");
    CHECK(rendered("{if(A1 == 2, 'zwei', 'nicht')}", v) == "zwei");
    CHECK(rendered("\\{A1\\} bleibt", v) == "{A1} bleibt");
    // LimeSurvey's rule: a brace followed by white space, or an expression ending in it, is text.
    CHECK(rendered("{ A1 } und {A1 }", v) == "{ A1 } und {A1 }");
    CHECK(rendered("{} leer", v) == "{} leer");
    // A brace inside a quoted string does not close the expression.
    CHECK(rendered("{if(B == '}', 'a', 'b')}", v) == "b");
    CHECK(rendered("{unbekannt}x", v) == "x");
    PipedText unclosed = parse_piped("Preis {A1 ohne Ende");
    REQUIRE(unclosed.problems.size() == 1);
    CHECK_FALSE(unclosed.problems[0].error);
    CHECK(rendered("Preis {A1 ohne Ende", v) == "Preis {A1 ohne Ende");
    PipedText bad = parse_piped("a {A1 ==} b");
    REQUIRE(bad.problems.size() == 1);
    CHECK(bad.problems[0].error);
    CHECK(bad.problems[0].offset == 2);
    CHECK(rendered("a {A1 ==} b", v) == "a  b"); // never shown raw
    CHECK_FALSE(parse_piped("kein Ausdruck").has_expressions());
    CHECK_FALSE(may_pipe("kein Ausdruck"));
}

TEST_CASE("piping: the variable a part pipes, for paper placeholders") {
    PipedText p = parse_piped("{A1.shown} {INSERTANS:B_2} {A1 + 1} {C}");
    std::vector<std::string> vars;
    for (const PipePart& part : p.parts)
        if (part.is_expr) vars.push_back(piped_variable(part));
    CHECK(vars == std::vector<std::string>{"A1", "B_2", "", "C"});
}

TEST_CASE("session: texts show the answers of now, in the session's language") {
    auto s = parsed_survey(kSurvey, "pipe.json");
    Session se(s, "de", 0);
    const Question& k = *s->find_question("K");
    CHECK(se.text(k.text) == "Hallo , Sie wohnen in:  ({Code} ). BMI ");
    se.set_answer("NAME", value("Ada"));
    se.set_answer("ORT", value("1"));
    CHECK(se.text(k.text) == "Hallo Ada, Sie wohnen in: Stadt ({Code} 1). BMI ");
    se.set_language("de-x-ls");
    CHECK(se.text(k.text) == "Hallo Ada, Sie wohnen in: in der Stadt ({Code} 1). BMI ");
    CHECK(se.text(s->end_text) == "Vielen Dank, Ada!");
}

TEST_CASE("session: defaults prefill once, literal and expression") {
    auto s = parsed_survey(kSurvey, "pipe.json");
    Session se(s, "de", 0);
    CHECK(se.current()->code == "NAME");
    CHECK(se.answer("ORT") == nullptr); // not reached yet
    CHECK_FALSE(se.respondent_acted());
    CHECK(se.next().ok());
    CHECK(se.respondent_acted());
    REQUIRE(se.answer("ORT"));
    CHECK(se.answer("ORT")->value == "2");
    se.clear_answer("ORT"); // the respondent takes the default away: it stays away
    CHECK(se.next().ok());
    CHECK(se.answer("ORT") == nullptr);
    CHECK(se.back());
    CHECK(se.answer("ORT") == nullptr);
    CHECK(se.next().ok());
    se.set_answer("W", value("70"));
    CHECK(se.next().ok());
    CHECK(se.current()->code == "H");
    REQUIRE(se.answer("H"));
    CHECK(se.answer("H")->value == "170"); // {W + 100}
}

TEST_CASE("session: a default on the first page is no sign of a respondent") {
    auto s = parsed_survey(R"({"format": "teilhabe-survey/1", "id": "d", "version": "1", "languages": ["de"],
      "title": "t", "groups": [{"code": "G", "title": "G", "questions": [
        {"code": "Y", "type": "yesno", "text": "Ja?", "default": "Y"}]}]})", "d.json");
    Session se(s, "de", 0);
    REQUIRE(se.answer("Y"));
    CHECK(se.answer("Y")->value == "Y");
    CHECK_FALSE(se.respondent_acted());
    Session paper(s, "de", 0, false); // paper entry: only what is on the sheet
    CHECK(paper.answer("Y") == nullptr);
}

TEST_CASE("session: validation blocks next with the survey's tip") {
    auto s = parsed_survey(kSurvey, "pipe.json");
    Session se(s, "de", 0);
    se.set_answer("NAME", value("Ada"));
    REQUIRE(se.go_to("H"));
    se.set_answer("H", value("90"));
    AnswerProblem p = se.next();
    CHECK(p.kind == AnswerProblem::Invalid);
    CHECK(p.tip == "Mindestens 100 cm, Ada.");
    CHECK(se.current()->code == "H");
    se.set_language("de-x-ls");
    CHECK(se.next().tip == "Es müssen 100 cm oder mehr sein.");
    se.set_answer("H", value("180"));
    CHECK(se.next().ok());
    // the equation is no page: the next page is K
    REQUIRE(se.current());
    CHECK(se.current()->code == "K");
    Answer k;
    k.cells = {{"w", "17"}, {"s", "2"}};
    se.set_answer("K", k);
    p = se.next();
    CHECK(p.kind == AnswerProblem::Invalid);
    CHECK(p.cell == "w");
    CHECK(p.tip == "Höchstens 16 je Feld.");
    k.cells = {{"w", "16"}, {"s", "9"}};
    se.set_answer("K", k);
    p = se.next();
    CHECK(p.kind == AnswerProblem::Invalid);
    CHECK(p.cell.empty());
    CHECK(p.tip == "Zusammen höchstens 24.");
    k.cells = {{"w", "16"}, {"s", "8"}};
    se.set_answer("K", k);
    CHECK(se.next().ok());
    CHECK(se.at_review());
}

TEST_CASE("session: an unanswered question is not validated") {
    auto s = parsed_survey(kSurvey, "pipe.json");
    Session se(s, "de", 0);
    REQUIRE(se.go_to("H"));
    se.clear_answer("H");
    CHECK(se.next().ok());
}

TEST_CASE("session: the equation is computed when passed and stored in the response") {
    auto s = parsed_survey(kSurvey, "pipe.json");
    Session se(s, "de", 0);
    se.set_answer("W", value("81"));
    REQUIRE(se.go_to("H"));
    se.set_answer("H", value("180"));
    CHECK(se.answer("BMI") == nullptr);
    CHECK(se.next().ok());
    REQUIRE(se.answer("BMI"));
    CHECK(se.answer("BMI")->value == "261");
    const Question& k = *s->find_question("K");
    CHECK(se.text(k.text).find("BMI 261") != std::string::npos);
    for (const Question* q : se.visible_questions()) CHECK(q->code != "BMI"); // never a page
    // Changed later through the API: finish computes it once more.
    se.set_answer("W", value("64.8"));
    Response r = se.finish(true, 10, kChannelKiosk, "");
    REQUIRE(r.answers.count("BMI"));
    CHECK(r.answers["BMI"].value == "244.8");
}

TEST_CASE("session: an equation hidden by its condition is not shown, an empty one skipped") {
    auto s = parsed_survey(R"({"format": "teilhabe-survey/1", "id": "eq", "version": "1", "languages": ["de"],
      "title": "t", "groups": [{"code": "G", "title": "G", "questions": [
        {"code": "A", "type": "numeric", "text": "A?"},
        {"code": "E1", "type": "equation", "equation": "{A + A}", "condition": "A > 1"},
        {"code": "E2", "type": "equation", "equation": "{A}"},
        {"code": "S", "type": "equation", "equation": "{A + A + A}", "show_text": true, "text": "Ergebnis: {self}"}]}]})",
                           "eq.json");
    Session se(s, "de", 0);
    Response r = se.finish(true, 1, kChannelKiosk, "");
    CHECK(r.not_shown == std::vector<std::string>{"E1"});
    CHECK(r.skipped == std::vector<std::string>{"A", "E2", "S"});
    se.set_answer("A", value("4"));
    CHECK(se.next().ok());
    REQUIRE(se.current());
    CHECK(se.current()->code == "S"); // show_text: a page of its own
    CHECK(se.text(se.current()->text, se.current()) == "Ergebnis: 12");
    r = se.finish(true, 1, kChannelKiosk, "");
    CHECK(r.answers["E1"].value == "8");
    CHECK(r.answers["E2"].value == "4");
    CHECK(r.answers["S"].value == "12");
}

TEST_CASE("loader: piped expressions, equations, defaults and validations are checked") {
    auto errors_of = [](const std::string& questions) {
        std::string j = R"({"format": "teilhabe-survey/1", "id": "x", "version": "1", "languages": ["de"],
          "title": "t {A}", "groups": [{"code": "G", "title": "G", "questions": [)" + questions + "]}]}";
        LoadResult lr = parse_survey(j, "x.json");
        std::string all;
        for (const LoadError& e : lr.errors) all += e.to_string() + "\n";
        return all;
    };
    std::string e = errors_of(R"({"code": "A", "type": "text", "text": "Hallo {B} {A2} {A ==}"},
        {"code": "B", "type": "numeric", "text": "B", "default": "abc", "validation": "this >",
         "validation_tip": "tip {C}"},
        {"code": "C", "type": "equation", "equation": "{C + 1}"},
        {"code": "D", "type": "single", "text": "D", "default": "9", "options": [{"code": "1", "text": "x"}]},
        {"code": "R", "type": "matrix", "text": "R", "row_validation": "this > 1",
         "options": [{"code": "1", "text": "x"}], "rows": [{"code": "r", "text": "r"}]})");
    CHECK(e.find("x.json:2: /title/de: text refers to question A, which is not before the start page") != std::string::npos);
    CHECK(e.find("A /groups/0/questions/0/text/de: text refers to later question B") != std::string::npos);
    CHECK(e.find("text refers to unknown question \"A2\"") != std::string::npos);
    CHECK(e.find("bad expression \"{A ==}\"") != std::string::npos);
    CHECK(e.find("B /groups/0/questions/1/default: bad default: \"abc\" is not a number") != std::string::npos);
    CHECK(e.find("B /groups/0/questions/1/validation: bad validation \"this >\"") != std::string::npos);
    CHECK(e.find("validation_tip/de: text refers to later question C") != std::string::npos);
    CHECK(e.find("C /groups/0/questions/2/equation: equation refers to the same question C") != std::string::npos);
    CHECK(e.find("D /groups/0/questions/3/default: bad default: no option \"9\"") != std::string::npos);
    CHECK(e.find("\"row_validation\" applies to a matrix only with \"cell\": \"number\" or \"text\"") != std::string::npos);
    CHECK(errors_of(R"({"code": "E", "type": "equation"})").find("missing required key \"equation\"") != std::string::npos);
    CHECK(errors_of(R"({"code": "I", "type": "info", "text": "i", "default": "1"})")
              .find("\"default\" does not apply to type \"info\"") != std::string::npos);
}

TEST_CASE("loader: an unclosed brace warns, and the writer keeps every new key") {
    auto s = parsed_survey(kSurvey, "pipe.json");
    std::string again = survey_to_json(*s);
    LoadResult lr = parse_survey(again, "again.json");
    REQUIRE(lr.ok());
    const Question* h = lr.survey->find_question("H");
    CHECK(h->default_src == "{W + 100}");
    CHECK(h->validation_src == "this >= 100");
    CHECK(h->validation_tip.by_lang.at("de-x-ls") == "Es müssen 100 cm oder mehr sein.");
    CHECK(lr.survey->find_question("ORT")->default_answer.value == "2");
    CHECK(lr.survey->find_question("BMI")->equation == s->find_question("BMI")->equation);
    CHECK(lr.survey->find_question("K")->row_validation_src == "this <= 16");
    LoadResult w = parse_survey(R"({"format": "teilhabe-survey/1", "id": "w", "version": "1", "languages": ["de"],
      "title": "Preis {ohne Ende", "groups": [{"code": "G", "title": "G", "questions": [
      {"code": "A", "type": "text", "text": "a"}]}]})", "w.json");
    REQUIRE(w.ok());
    REQUIRE(w.warnings.size() == 1);
    CHECK(w.warnings[0].find("has no closing \"}\"") != std::string::npos);
}
