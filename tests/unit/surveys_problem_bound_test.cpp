// surveys_problem_bound_test.cpp - an AnswerProblem carries the limit a person is told
// ("höchstens 100") in its own field, and the cell it is about in another, for a plain
// question and for a matrix / multi_* cell alike. The kiosk shows `bound` as it is: it
// must never have to cut it out of the diagnostic `detail`.
#include <doctest/doctest.h>

#include "session.h"
#include "survey.h"

using namespace tk;

static std::shared_ptr<const Survey> load_bounds() {
    const char* json = R"({"format":"teilhabe-survey/1","id":"b","version":"1","languages":["de"],
     "title":"Grenzen","groups":[{"code":"G","title":"G","questions":[
      {"code":"NU","type":"numeric","text":"Zahl","min":10,"max":100,"integer":true},
      {"code":"ND","type":"numeric","text":"Kommazahl","min":0.5,"max":2.5},
      {"code":"TX","type":"text","text":"Kurz","max_length":5},
      {"code":"MC","type":"multiple","text":"Mehrfach","min_answers":2,"max_answers":3,
       "options":[{"code":"a","text":"A"},{"code":"b","text":"B"},{"code":"c","text":"C"},{"code":"d","text":"D"}]},
      {"code":"RK","type":"ranking","text":"Rang","max_answers":2,
       "options":[{"code":"a","text":"A"},{"code":"b","text":"B"},{"code":"c","text":"C"}]},
      {"code":"RL","type":"ranked_list","text":"Liste","max_answers":2},
      {"code":"DT","type":"date","text":"Datum","min_date":"2020-01-01","max_date":"2030-12-31"},
      {"code":"MX","type":"matrix","text":"Stunden","cell":"number","min":0,"max":100,
       "options":[{"code":"1","text":"Internet"},{"code":"2","text":"Bibliothek"}],
       "rows":[{"code":"W","text":"werktags"},{"code":"E","text":"am Wochenende"}]},
      {"code":"MM","type":"multi_numeric","text":"Alter","min":0,"max":120,
       "rows":[{"code":"P1","text":"Person 1"},{"code":"P2","text":"Person 2"}]},
      {"code":"MT","type":"multi_text","text":"Ideen","mandatory":true,
       "rows":[{"code":"A","text":"für Kinder"},{"code":"B","text":"für Ältere"}]}
     ]}]})";
    LoadResult r = parse_survey(json, "bounds.json");
    if (!r.ok())
        for (const LoadError& e : r.errors) MESSAGE(e.to_string());
    REQUIRE(r.ok());
    // The file format allows "max_length" on text and longtext only, but the engine checks
    // it on list entries and text cells too (a Survey built in code may set it).
    auto s = std::make_shared<Survey>(*r.survey);
    for (Question& q : s->groups[0].questions)
        if (q.code == "RL" || q.code == "MT") q.max_length = 4;
    return s;
}

static Answer value(const std::string& v) { Answer a; a.value = v; return a; }
static Answer values(std::vector<std::string> v) { Answer a; a.values = std::move(v); return a; }
static Answer cells(std::map<std::string, std::string> c) { Answer a; a.cells = std::move(c); return a; }

// Stores the answer (set_answer keeps out-of-range values so nothing typed is lost) and
// returns what check() says about it.
static AnswerProblem problem_of(Session& ses, const std::string& code, const Answer& a) {
    AnswerProblem set = ses.set_answer(code, a);
    REQUIRE_MESSAGE(set.ok(), code << ": set_answer refused the shape: " << set.detail);
    return ses.check(*ses.survey().find_question(code));
}

TEST_CASE("problem bound: every bounded kind of a plain question carries its limit, and no cell") {
    auto s = load_bounds();
    Session ses(s, "de", 0);
    struct Case { const char* code; Answer a; AnswerProblem::Kind kind; const char* bound; };
    const Case cases[] = {
        {"NU", value("9"), AnswerProblem::TooSmall, "10"},
        {"NU", value("101"), AnswerProblem::TooLarge, "100"},
        {"ND", value("0.25"), AnswerProblem::TooSmall, "0.5"},
        {"ND", value("2,75"), AnswerProblem::TooLarge, "2.5"},
        {"TX", value("sechs!"), AnswerProblem::TooLong, "5"},
        {"MC", values({"a"}), AnswerProblem::TooFew, "2"},
        {"MC", values({"a", "b", "c", "d"}), AnswerProblem::TooMany, "3"},
        {"RK", values({"a", "b", "c"}), AnswerProblem::TooMany, "2"},
        {"RL", values({"eins", "zwei", "drei"}), AnswerProblem::TooMany, "2"},
        {"RL", values({"fünf!"}), AnswerProblem::TooLong, "4"},
        {"DT", value("2019-12-31"), AnswerProblem::TooSmall, "2020-01-01"},
        {"DT", value("2031-01-01"), AnswerProblem::TooLarge, "2030-12-31"},
    };
    for (const Case& c : cases) {
        AnswerProblem p = problem_of(ses, c.code, c.a);
        CAPTURE(c.code);
        CAPTURE(p.detail);
        CHECK(p.kind == c.kind);
        CHECK(p.bound == c.bound);
        CHECK(p.cell.empty());
    }
}

TEST_CASE("problem bound: a cell's problem carries the bound and the cell apart, detail unchanged") {
    auto s = load_bounds();
    Session ses(s, "de", 0);

    AnswerProblem p = problem_of(ses, "MX", cells({{"W_1", "12"}, {"E_2", "101"}}));
    CHECK(p.kind == AnswerProblem::TooLarge);
    CHECK(p.bound == "100");
    CHECK(p.cell == "E_2");
    CHECK(p.detail == "E_2: 100"); // the diagnostic stays as it was

    p = problem_of(ses, "MX", cells({{"W_2", "-1"}}));
    CHECK(p.kind == AnswerProblem::TooSmall);
    CHECK(p.bound == "0");
    CHECK(p.cell == "W_2");

    p = problem_of(ses, "MM", cells({{"P1", "30"}, {"P2", "121"}}));
    CHECK(p.kind == AnswerProblem::TooLarge);
    CHECK(p.bound == "120");
    CHECK(p.cell == "P2");

    p = problem_of(ses, "MT", cells({{"A", "fünf!"}, {"B", "ok"}}));
    CHECK(p.kind == AnswerProblem::TooLong);
    CHECK(p.bound == "4");
    CHECK(p.cell == "A");
}

TEST_CASE("problem bound: kinds without a limit leave bound empty; a missing row names its cell") {
    auto s = load_bounds();
    Session ses(s, "de", 0);

    AnswerProblem p = problem_of(ses, "NU", value("zwölf"));
    CHECK(p.kind == AnswerProblem::NotANumber);
    CHECK(p.bound.empty());
    CHECK(p.detail == "zwölf"); // what was typed is a diagnostic, not a limit

    p = problem_of(ses, "NU", value("15.5"));
    CHECK(p.kind == AnswerProblem::NotInteger);
    CHECK(p.bound.empty());

    p = problem_of(ses, "DT", value("2023-02-29"));
    CHECK(p.kind == AnswerProblem::BadDate);
    CHECK(p.bound.empty());

    p = problem_of(ses, "MX", cells({{"E_1", "x"}}));
    CHECK(p.kind == AnswerProblem::NotANumber);
    CHECK(p.bound.empty());
    CHECK(p.cell == "E_1");

    p = ses.set_answer("MC", values({"a", "zz"}));
    CHECK(p.kind == AnswerProblem::UnknownOption);
    CHECK(p.bound.empty());

    // Mandatory multi_text with one row empty: the row that needs an answer.
    p = problem_of(ses, "MT", cells({{"A", "gut"}}));
    CHECK(p.kind == AnswerProblem::Required);
    CHECK(p.bound.empty());
    CHECK(p.cell == "B");
}
