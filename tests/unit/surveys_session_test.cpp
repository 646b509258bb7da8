// surveys_session_test.cpp - walking a respondent through a survey: navigation, conditions,
// dropping hidden answers, checks, variables and the response built at the end.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "response.h"
#include "session.h"
#include "survey.h"

using namespace tk;

static std::shared_ptr<const Survey> load(const std::string& json) {
    LoadResult r = parse_survey(json, "test.json");
    if (!r.ok())
        for (const LoadError& e : r.errors) MESSAGE(e.to_string());
    REQUIRE(r.ok());
    return r.survey;
}

// Survey JSON around a list of groups (German only, plain strings).
static std::string survey_json(const std::string& groups, bool no_answer = false) {
    return std::string(R"({"format":"teilhabe-survey/1","id":"t","version":"1","languages":["de"],)") +
           R"("title":"Test","settings":{"no_answer_option":)" + (no_answer ? "true" : "false") +
           R"(},"groups":[)" + groups + "]}";
}

static Answer value(const std::string& v) { Answer a; a.value = v; return a; }
static Answer values(std::vector<std::string> v) { Answer a; a.values = std::move(v); return a; }
static Answer cells(std::map<std::string, std::string> c) { Answer a; a.cells = std::move(c); return a; }

static std::string code_of(const Question* q) { return q ? q->code : std::string("<review>"); }

// One question of every type, with the features each type has.
static const char* kAllTypes = R"(
 {"code":"G1","title":"Alles","questions":[
  {"code":"SC","type":"single","text":"Einzel","other":true,"comment":true,
   "options":[{"code":"1","text":"eins"},{"code":"2","text":"zwei"},{"code":"3","text":"drei"}]},
  {"code":"MC","type":"multiple","text":"Mehrfach","other":true,"max_answers":3,
   "options":[{"code":"a","text":"A"},{"code":"b","text":"B"},{"code":"c","text":"C"},{"code":"d","text":"D"},
              {"code":"n","text":"nichts davon","exclusive":true}]},
  {"code":"TX","type":"text","text":"Kurz","max_length":5},
  {"code":"LT","type":"longtext","text":"Lang"},
  {"code":"NU","type":"numeric","text":"Zahl","min":10,"max":100,"integer":true},
  {"code":"YN","type":"yesno","text":"Ja oder nein"},
  {"code":"RA","type":"rating","text":"Bewertung","scale":{"min":1,"max":5}},
  {"code":"MA","type":"matrix","text":"Matrix","options":[{"code":"1","text":"gut"},{"code":"2","text":"schlecht"}],
   "rows":[{"code":"R1","text":"Zeile 1"},{"code":"R2","text":"Zeile 2","condition":"YN == 'Y'"}]},
  {"code":"MD","type":"matrix","text":"Doppelt","options":[{"code":"1","text":"eins"},{"code":"2","text":"zwei"}],
   "options2":[{"code":"x","text":"ix"},{"code":"y","text":"ypsilon"}],
   "rows":[{"code":"R1","text":"Zeile"}]},
  {"code":"MN","type":"matrix","text":"Zahlen","cell":"number","min":0,"max":9,
   "options":[{"code":"c1","text":"Spalte 1"},{"code":"c2","text":"Spalte 2"}],"rows":[{"code":"r1","text":"Zeile"}]},
  {"code":"RK","type":"ranking","text":"Rang","max_answers":2,
   "options":[{"code":"a","text":"A"},{"code":"b","text":"B"},{"code":"c","text":"C"}]},
  {"code":"RL","type":"ranked_list","text":"Liste","max_answers":3},
  {"code":"MT","type":"multi_text","text":"Texte","rows":[{"code":"r1","text":"eins"},{"code":"r2","text":"zwei"}]},
  {"code":"MM","type":"multi_numeric","text":"Zahlen","min":0,"max":10,
   "rows":[{"code":"r1","text":"eins"},{"code":"r2","text":"zwei"}]},
  {"code":"DT","type":"date","text":"Datum","min_date":"2020-01-01","max_date":"2030-12-31"},
  {"code":"IN","type":"info","text":"Danke"}
 ]})";

TEST_CASE("session: every question type answered, checked and serialised") {
    auto s = load(survey_json(kAllTypes));
    Session ses(s, "de", 1000);

    Answer sc = value("2");
    sc.comment = "Anmerkung";
    CHECK(ses.set_answer("SC", sc).ok());
    Answer mc = values({"c", "a"});
    mc.other = "Eigenes";
    CHECK(ses.set_answer("MC", mc).ok());
    CHECK(ses.set_answer("TX", value("kurz")).ok());
    CHECK(ses.set_answer("LT", value("ein langer\nText")).ok());
    CHECK(ses.set_answer("NU", value("42")).ok());
    CHECK(ses.set_answer("YN", value("Y")).ok());
    CHECK(ses.set_answer("RA", value("4")).ok());
    CHECK(ses.set_answer("MA", cells({{"R1", "1"}, {"R2", "2"}})).ok());
    CHECK(ses.set_answer("MD", cells({{"R1", "2"}, {"R1#1", "y"}})).ok());
    CHECK(ses.set_answer("MN", cells({{"r1_c1", "3"}, {"r1_c2", "7"}})).ok());
    CHECK(ses.set_answer("RK", values({"c", "a"})).ok());
    CHECK(ses.set_answer("RL", values({"erstens", "", "zweitens"})).ok());
    CHECK(ses.set_answer("MT", cells({{"r1", "x"}, {"r2", "y"}})).ok());
    CHECK(ses.set_answer("MM", cells({{"r1", "3,5"}, {"r2", "10"}})).ok());
    CHECK(ses.set_answer("DT", value("2024-02-29")).ok());
    CHECK(ses.set_answer("IN", value("egal")).ok()); // info pages hold nothing
    CHECK(ses.answer("IN") == nullptr);

    // Stored forms: option order for multiple, empty list entries closed up, "," -> ".".
    CHECK(ses.answer("MC")->values == std::vector<std::string>{"a", "c"});
    CHECK(ses.answer("RL")->values == std::vector<std::string>{"erstens", "zweitens"});
    CHECK(ses.answer("MM")->cells.at("r1") == "3.5");
    for (const Question* q : ses.visible_questions()) CHECK_MESSAGE(ses.check(*q).ok(), q->code);

    // Walk every page with next().
    int pages = 0;
    while (!ses.at_review()) {
        REQUIRE(ses.next().ok());
        pages++;
    }
    CHECK(pages == 16);
    CHECK(ses.progress_percent() == 100);

    Response r = ses.finish(true, 2000, kChannelKiosk, "Bibliothek", "Fest");
    CHECK(r.survey_id == "t");
    CHECK(r.survey_version == "1");
    CHECK(r.survey_hash == s->hash);
    CHECK(r.survey_hash.rfind("sha256:", 0) == 0);
    CHECK(r.language == "de");
    CHECK(r.site == "Bibliothek");
    CHECK(r.event == "Fest");
    CHECK(r.started == 1000);
    CHECK(r.finished == 2000);
    CHECK(r.complete);
    CHECK(r.answers.size() == 15);
    CHECK(r.skipped.empty());
    CHECK(r.not_shown.empty());
    CHECK(r.answers.count("IN") == 0);
    CHECK(r.answers.at("SC").comment == "Anmerkung");
    CHECK(r.answers.at("MC").other == "Eigenes");
    CHECK(r.answers.at("MD").cells.at("R1#1") == "y");

    std::string bytes = serialize_response(r);
    auto j = nlohmann::json::parse(bytes);
    CHECK(j["answers"]["SC"]["value"] == "2");
    CHECK(j["answers"]["RK"]["values"] == nlohmann::json::array({"c", "a"}));
    CHECK(j["answers"]["MN"]["cells"]["r1_c2"] == "7");
    CHECK(j["answers"]["LT"]["value"] == "ein langer\nText");
    Response back;
    std::string err;
    REQUIRE(parse_response(bytes, back, &err));
    CHECK(back == r);
}

TEST_CASE("session: shape of answers - unknown codes rejected, foreign fields dropped") {
    auto s = load(survey_json(kAllTypes));
    Session ses(s, "de", 0);
    CHECK(ses.set_answer("SC", value("1")).ok());
    AnswerProblem p = ses.set_answer("SC", value("7"));
    CHECK(p.kind == AnswerProblem::UnknownOption);
    CHECK(p.detail == "7");
    CHECK(ses.answer("SC")->value == "1"); // rejected answers do not replace the stored one
    CHECK(ses.set_answer("MC", values({"a", "zz"})).kind == AnswerProblem::UnknownOption);
    CHECK(ses.set_answer("YN", value("J")).kind == AnswerProblem::UnknownOption);
    CHECK(ses.set_answer("RA", value("6")).kind == AnswerProblem::UnknownOption);
    CHECK(ses.set_answer("MA", cells({{"R9", "1"}})).kind == AnswerProblem::UnknownOption);
    CHECK(ses.set_answer("MA", cells({{"R1", "3"}})).kind == AnswerProblem::UnknownOption);
    CHECK(ses.set_answer("MN", cells({{"r1_c9", "3"}})).kind == AnswerProblem::UnknownOption);
    CHECK(ses.set_answer("RK", values({"a", "q"})).kind == AnswerProblem::UnknownOption);
    CHECK(ses.set_answer("NOPE", value("1")).kind == AnswerProblem::UnknownOption);
    CHECK(ses.answer("MC") == nullptr);

    // Fields the type does not use are dropped.
    Answer t = value("abc");
    t.values = {"x"};
    t.cells = {{"r", "v"}};
    t.other = "o";
    t.comment = "c"; // TX has no comment field
    CHECK(ses.set_answer("TX", t).ok());
    Answer expect = value("abc");
    CHECK(*ses.answer("TX") == expect);
    // Single: a regular code drops the other text; other text alone means "-oth-".
    Answer sc = value("1");
    sc.other = "x";
    CHECK(ses.set_answer("SC", sc).ok());
    CHECK(ses.answer("SC")->other.empty());
    Answer oth;
    oth.other = "Bücherei";
    CHECK(ses.set_answer("SC", oth).ok());
    CHECK(ses.answer("SC")->value == "-oth-");
    // Ranking: duplicates collapse, order kept.
    CHECK(ses.set_answer("RK", values({"b", "a", "b"})).ok());
    CHECK(ses.answer("RK")->values == std::vector<std::string>{"b", "a"});
    // An empty answer clears.
    CHECK(ses.set_answer("RK", Answer{}).ok());
    CHECK(ses.answer("RK") == nullptr);
}

TEST_CASE("session: range and format problems are stored and reported by check and next") {
    auto s = load(survey_json(kAllTypes));
    Session ses(s, "de", 0);
    auto kind_of = [&](const char* code) { return ses.check(*s->find_question(code)).kind; };

    // The respondent types "1" on the way to "15": stored, reported, not lost.
    CHECK(ses.set_answer("NU", value("1")).ok());
    CHECK(ses.answer("NU")->value == "1");
    AnswerProblem p = ses.check(*s->find_question("NU"));
    CHECK(p.kind == AnswerProblem::TooSmall);
    CHECK(p.detail == "10");
    ses.set_answer("NU", value("101"));
    CHECK(kind_of("NU") == AnswerProblem::TooLarge);
    ses.set_answer("NU", value("15.5"));
    CHECK(kind_of("NU") == AnswerProblem::NotInteger);
    ses.set_answer("NU", value("zwölf"));
    CHECK(kind_of("NU") == AnswerProblem::NotANumber);
    ses.set_answer("NU", value("1e3"));
    CHECK(kind_of("NU") == AnswerProblem::NotANumber);
    ses.set_answer("NU", value(" 15 "));
    CHECK(kind_of("NU") == AnswerProblem::None);

    ses.set_answer("TX", value("sechs!"));
    CHECK(kind_of("TX") == AnswerProblem::TooLong);
    ses.set_answer("TX", value("fünf!")); // five characters, six bytes
    CHECK(kind_of("TX") == AnswerProblem::None);

    ses.set_answer("MC", values({"a", "b", "c", "d"}));
    CHECK(kind_of("MC") == AnswerProblem::TooMany);
    ses.set_answer("RK", values({"a", "b", "c"}));
    CHECK(kind_of("RK") == AnswerProblem::TooMany);
    ses.set_answer("RL", values({"1", "2", "3", "4"}));
    CHECK(kind_of("RL") == AnswerProblem::TooMany);

    ses.set_answer("DT", value("2023-02-29"));
    CHECK(kind_of("DT") == AnswerProblem::BadDate);
    ses.set_answer("DT", value("1.2.2023"));
    CHECK(kind_of("DT") == AnswerProblem::BadDate);
    ses.set_answer("DT", value("2019-12-31"));
    CHECK(kind_of("DT") == AnswerProblem::TooSmall);
    ses.set_answer("DT", value("2031-01-01"));
    CHECK(kind_of("DT") == AnswerProblem::TooLarge);

    ses.set_answer("MM", cells({{"r1", "11"}}));
    p = ses.check(*s->find_question("MM"));
    CHECK(p.kind == AnswerProblem::TooLarge);
    CHECK(p.detail.find("r1") != std::string::npos);
    ses.set_answer("MN", cells({{"r1_c1", "x"}}));
    CHECK(kind_of("MN") == AnswerProblem::NotANumber);

    ses.set_answer("SC", value("-oth-"));
    CHECK(kind_of("SC") == AnswerProblem::OtherTextMissing);

    // next() stops on the problem and stays on the page.
    REQUIRE(code_of(ses.current()) == "SC");
    p = ses.next();
    CHECK(p.kind == AnswerProblem::OtherTextMissing);
    CHECK(code_of(ses.current()) == "SC");

    // Answers that are still bad when the response is built count as skipped, not as data.
    Response r = ses.finish(false, 1, kChannelKiosk, "");
    CHECK(r.answers.count("SC") == 0);
    CHECK(r.answers.count("DT") == 0);
    CHECK(r.answers.count("TX") == 1);
    CHECK(std::find(r.skipped.begin(), r.skipped.end(), "SC") != r.skipped.end());
    CHECK(!r.complete);
}

TEST_CASE("session: multiple choice minimum") {
    auto s = load(survey_json(R"({"code":"G","title":"G","questions":[
      {"code":"M","type":"multiple","text":"m","min_answers":2,"max_answers":3,
       "options":[{"code":"1","text":"a"},{"code":"2","text":"b"},{"code":"3","text":"c"}]}]})"));
    Session ses(s, "de", 0);
    CHECK(ses.next().ok()); // skipping is allowed even with a minimum
    CHECK(ses.back());
    ses.set_answer("M", values({"1"}));
    AnswerProblem p = ses.next();
    CHECK(p.kind == AnswerProblem::TooFew);
    CHECK(p.detail == "2");
    ses.set_answer("M", values({"1", "3"}));
    CHECK(ses.next().ok());
    CHECK(ses.at_review());
}

static const char* kChain = R"J(
 {"code":"A","title":"A","questions":[
   {"code":"Q1","type":"single","text":"eins","options":[{"code":"1","text":"ja"},{"code":"2","text":"nein"}]},
   {"code":"Q2","type":"yesno","text":"zwei","condition":"Q1 == 1"},
   {"code":"Q3","type":"text","text":"drei","condition":"Q2 == 'Y'"},
   {"code":"Q4","type":"matrix","text":"vier","options":[{"code":"1","text":"x"},{"code":"2","text":"y"}],
    "rows":[{"code":"R1","text":"immer"},{"code":"R2","text":"nur wenn Q3","condition":"not is_empty(Q3)"}]}]},
 {"code":"B","title":"B","condition":"Q1 == '2'","questions":[
   {"code":"B1","type":"text","text":"b eins"},
   {"code":"B2","type":"info","text":"b info"}]},
 {"code":"C","title":"C","questions":[
   {"code":"C1","type":"text","text":"c eins","mandatory":true},
   {"code":"C2","type":"info","text":"Ende"}]})J";

TEST_CASE("session: conditions on questions, groups and matrix rows") {
    auto s = load(survey_json(kChain));
    Session ses(s, "de", 0);
    auto codes = [&]() {
        std::string out;
        for (const Question* q : ses.visible_questions()) out += q->code + " ";
        return out;
    };
    CHECK(codes() == "Q1 Q4 C1 C2 ");
    const Question& q4 = *s->find_question("Q4");
    CHECK(ses.is_row_visible(q4, q4.rows[0]));
    CHECK(!ses.is_row_visible(q4, q4.rows[1]));

    ses.set_answer("Q1", value("1"));
    CHECK(codes() == "Q1 Q2 Q4 C1 C2 ");
    ses.set_answer("Q2", value("Y"));
    CHECK(codes() == "Q1 Q2 Q3 Q4 C1 C2 ");
    CHECK(!ses.is_row_visible(q4, q4.rows[1])); // Q3 still empty
    ses.set_answer("Q3", value("etwas"));
    CHECK(ses.is_row_visible(q4, q4.rows[1]));

    ses.set_answer("Q1", value("2")); // group B appears, the Q chain disappears
    CHECK(codes() == "Q1 Q4 B1 B2 C1 C2 ");
    CHECK(ses.is_visible(*s->find_question("B1")));
    CHECK(!ses.is_visible(*s->find_question("Q3")));
}

TEST_CASE("session: answers of questions and rows that become hidden are dropped, in chains") {
    auto s = load(survey_json(kChain));
    Session ses(s, "de", 0);
    ses.set_answer("Q1", value("1"));
    ses.set_answer("Q2", value("Y"));
    ses.set_answer("Q3", value("etwas"));
    ses.set_answer("Q4", cells({{"R1", "1"}, {"R2", "2"}}));
    CHECK(ses.answer("Q4")->cells.size() == 2);

    // Hiding a row drops only that row's cell.
    ses.set_answer("Q3", Answer{});
    CHECK(ses.answer("Q4")->cells == std::map<std::string, std::string>{{"R1", "1"}});
    ses.set_answer("Q3", value("wieder"));
    ses.set_answer("Q4", cells({{"R1", "1"}, {"R2", "2"}}));

    // Q1 = 2 hides Q2; Q2 reading empty hides Q3; Q3 reading empty hides row R2.
    ses.set_answer("Q1", value("2"));
    CHECK(ses.answer("Q2") == nullptr);
    CHECK(ses.answer("Q3") == nullptr);
    CHECK(ses.answer("Q4")->cells == std::map<std::string, std::string>{{"R1", "1"}});
    // Going back to "1" does not bring old answers back.
    ses.set_answer("Q1", value("1"));
    CHECK(ses.answer("Q2") == nullptr);
    // Answering a hidden question stores nothing.
    ses.set_answer("B1", value("versteckt"));
    CHECK(ses.answer("B1") == nullptr);

    // clear_answer hides the same way.
    ses.set_answer("Q2", value("Y"));
    ses.set_answer("Q3", value("x"));
    ses.clear_answer("Q1");
    CHECK(ses.answer("Q2") == nullptr);
    CHECK(ses.answer("Q3") == nullptr);
}

TEST_CASE("session: next, back, go_to, skip and mandatory") {
    auto s = load(survey_json(kChain));
    Session ses(s, "de", 0);
    CHECK(code_of(ses.current()) == "Q1");
    CHECK(!ses.can_go_back());
    CHECK(!ses.back());
    CHECK(ses.next().ok()); // empty page: a skip
    CHECK(code_of(ses.current()) == "Q4"); // Q2, Q3 hidden, group B hidden
    CHECK(ses.can_go_back());
    CHECK(ses.back());
    CHECK(code_of(ses.current()) == "Q1");
    ses.set_answer("Q1", value("1"));
    CHECK(ses.next().ok());
    CHECK(code_of(ses.current()) == "Q2");
    CHECK(ses.next().ok());
    CHECK(code_of(ses.current()) == "Q4");
    CHECK(ses.next().ok());
    CHECK(code_of(ses.current()) == "C1");
    AnswerProblem p = ses.next(); // mandatory
    CHECK(p.kind == AnswerProblem::Required);
    CHECK(code_of(ses.current()) == "C1");
    ses.set_answer("C1", value("  \t")); // blanks are no answer
    CHECK(ses.answer("C1") == nullptr);
    CHECK(ses.next().kind == AnswerProblem::Required);
    ses.set_answer("C1", value("x"));
    ses.set_answer("C1", value("")); // cleared again
    CHECK(ses.answer("C1") == nullptr);
    CHECK(ses.next().kind == AnswerProblem::Required);
    ses.set_answer("C1", value("da"));
    CHECK(ses.next().ok());
    CHECK(code_of(ses.current()) == "C2"); // info page
    CHECK(ses.next().ok());
    CHECK(ses.at_review());
    CHECK(ses.next().ok()); // nothing after review
    CHECK(ses.at_review());
    CHECK(ses.back());
    CHECK(code_of(ses.current()) == "C2");

    // go_to: visible only.
    CHECK(ses.go_to("Q2"));
    CHECK(code_of(ses.current()) == "Q2");
    CHECK(!ses.go_to("Q3"));
    CHECK(!ses.go_to("B1"));
    CHECK(!ses.go_to("nope"));
    CHECK(code_of(ses.current()) == "Q2");

    // Changing an earlier answer hides the page we are on: the session moves on.
    ses.set_answer("Q1", value("2"));
    CHECK(code_of(ses.current()) == "Q4");
}

TEST_CASE("session: progress counts passed answerable pages among those visible now") {
    auto s = load(survey_json(kChain));
    Session ses(s, "de", 0);
    CHECK(ses.progress_percent() == 0); // visible answerable: Q1 Q4 C1
    ses.next();
    CHECK(ses.progress_percent() == 33);
    ses.set_answer("Q1", value("1")); // now Q1 Q2 Q4 C1 visible, Q1 passed
    CHECK(ses.progress_percent() == 25);
    ses.next(); // Q4 passed
    CHECK(ses.progress_percent() == 50);
    ses.set_answer("C1", value("x"));
    ses.next(); // C1 passed; C2 is info and does not count
    CHECK(code_of(ses.current()) == "C2");
    CHECK(ses.progress_percent() == 75); // Q2 was never passed
    ses.next();
    CHECK(ses.at_review());
    CHECK(ses.progress_percent() == 100);
}

TEST_CASE("session: skipped and not_shown are kept apart, info pages in neither") {
    auto s = load(survey_json(kChain));
    Session ses(s, "de", 0);
    ses.set_answer("Q1", value("1"));
    ses.set_answer("Q2", value("N"));
    ses.set_answer("C1", value("x"));
    Response r = ses.finish(true, 5, kChannelPaper, "Stadtteilbüro");
    CHECK(r.channel == "paper");
    CHECK(r.answers.size() == 3);
    CHECK(r.skipped == std::vector<std::string>{"Q4"});
    CHECK(r.not_shown == std::vector<std::string>{"Q3", "B1"});

    auto j = nlohmann::json::parse(serialize_response(r));
    CHECK(j["skipped"] == nlohmann::json::array({"Q4"}));
    CHECK(j["not_shown"] == nlohmann::json::array({"Q3", "B1"}));
    CHECK(j["answers"].contains("Q2"));
    CHECK(!j["answers"].contains("B2"));
}

TEST_CASE("session: variables as conditions read them") {
    auto s = load(survey_json(kAllTypes));
    Session ses(s, "de", 0);
    auto v = [&](const char* name, const char* suffix = "") { return ses.lookup(name, suffix).text; };
    CHECK(v("SC") == "");
    Answer sc;
    sc.other = "Selbst";
    sc.comment = "Kommentar";
    ses.set_answer("SC", sc);
    CHECK(v("SC") == "-oth-");
    CHECK(v("SC_other") == "Selbst");
    CHECK(v("SC_comment") == "Kommentar");
    CHECK(v("SC", "shown") == "Selbst");
    ses.set_answer("SC", value("3"));
    CHECK(v("SC", "shown") == "drei");
    CHECK(v("SC", "NAOK") == "3");
    CHECK(v("SC", "code") == "3");

    ses.set_answer("MC", values({"a", "c"}));
    CHECK(ses.lookup("MC", "").number == 2);
    CHECK(v("MC_a") == "Y");
    CHECK(v("MC_b") == "");
    ses.set_answer("NU", value("42"));
    CHECK(ses.lookup("NU", "").is_number);
    CHECK(ses.lookup("NU", "").number == 42);
    ses.set_answer("YN", value("Y"));
    CHECK(v("YN") == "Y");
    CHECK(v("YN", "shown") == "Ja");
    ses.set_answer("RA", value("4"));
    CHECK(v("RA") == "4");
    CHECK(v("RA", "shown") == "4"); // generated scale options are labelled with their number
    ses.set_answer("MA", cells({{"R1", "2"}, {"R2", "1"}}));
    CHECK(v("MA") == "");
    CHECK(v("MA_R1") == "2");
    CHECK(v("MA_R1", "shown") == "2"); // .shown is plain outside single/yesno/rating
    ses.set_answer("MD", cells({{"R1", "1"}, {"R1#1", "x"}}));
    CHECK(v("MD_R1#1") == "x");
    CHECK(v("MD_R1#1", "shown") == "x");
    ses.set_answer("MN", cells({{"r1_c2", "5"}}));
    CHECK(v("MN_r1_c2") == "5");
    CHECK(v("MN_r1_c1") == "");
    ses.set_answer("RK", values({"c", "a"}));
    CHECK(ses.lookup("RK", "").number == 2);
    CHECK(v("RK_1") == "c");
    CHECK(v("RK_2") == "a");
    CHECK(v("RK_3") == "");
    CHECK(v("RK_1", "shown") == "c");
    ses.set_answer("RL", values({"erstens", "zweitens"}));
    CHECK(v("RL_2") == "zweitens");
    ses.set_answer("MT", cells({{"r2", "zwei"}}));
    CHECK(v("MT_r2") == "zwei");
    ses.set_answer("DT", value("2025-01-31"));
    CHECK(v("DT") == "2025-01-31");
    CHECK(v("UNBEKANNT") == "");
    CHECK(v("IN") == "");

    // A hidden row reads empty.
    ses.set_answer("YN", value("N"));
    CHECK(v("MA_R2") == "");
    CHECK(v("MA_R1") == "2");
}

TEST_CASE("session: a hidden question reads as empty, even with a stored answer elsewhere") {
    auto s = load(survey_json(kChain));
    Session ses(s, "de", 0);
    ses.set_answer("Q1", value("1"));
    ses.set_answer("Q2", value("Y"));
    CHECK(ses.lookup("Q2", "").text == "Y");
    ses.set_answer("Q1", value("2"));
    CHECK(ses.lookup("Q2", "").text == "");
    CHECK(ses.lookup("Q2", "NAOK").text == "");
}

TEST_CASE("session: .shown in the session language with Leichte Sprache falling back to German") {
    auto s = load(R"({"format":"teilhabe-survey/1","id":"l","version":"1","languages":["de","en","de-x-ls"],
      "title":{"de":"Titel","en":"Title"},
      "groups":[{"code":"G","title":{"de":"G","en":"G"},"questions":[
        {"code":"Q","type":"single","text":{"de":"Frage","en":"Question","de-x-ls":"Leichte Frage"},
         "options":[{"code":"1","text":{"de":"häufig","en":"often","de-x-ls":"oft"}},
                    {"code":"2","text":{"de":"selten","en":"rarely"}}]},
        {"code":"P","type":"text","text":{"de":"Warum oft?","en":"Why often?"},"condition":"Q.shown == 'oft'"}]}]})");
    Session ses(s, "de-x-ls", 0);
    ses.set_answer("Q", value("1"));
    CHECK(ses.lookup("Q", "shown").text == "oft");
    CHECK(ses.is_visible(*s->find_question("P")));
    ses.set_answer("Q", value("2"));
    CHECK(ses.lookup("Q", "shown").text == "selten"); // no de-x-ls text: German
    ses.set_language("en");
    CHECK(ses.lookup("Q", "shown").text == "rarely");
    ses.set_language("fr"); // not a survey language: the original one
    CHECK(ses.lookup("Q", "shown").text == "selten");
    ses.set_language("en");
    ses.set_answer("Q", value("1"));
    CHECK(ses.lookup("Q", "shown").text == "often");
    CHECK(!ses.is_visible(*s->find_question("P"))); // the condition compares the shown text
    Response r = ses.finish(true, 1, kChannelKiosk, "");
    CHECK(r.language == "en");
}

TEST_CASE("session: exclusive options clear the others and are cleared by them") {
    auto s = load(survey_json(kAllTypes));
    Session ses(s, "de", 0);
    Answer a = values({"a", "b"});
    a.other = "eigenes";
    ses.set_answer("MC", a);
    // Choosing "nichts davon" clears the others and the other text.
    ses.set_answer("MC", values({"a", "b", "n"}));
    CHECK(ses.answer("MC")->values == std::vector<std::string>{"n"});
    CHECK(ses.answer("MC")->other.empty());
    // Choosing another option clears "nichts davon".
    ses.set_answer("MC", values({"n", "c"}));
    CHECK(ses.answer("MC")->values == std::vector<std::string>{"c"});
    ses.set_answer("MC", values({"n"}));
    Answer o;
    o.values = {"n"};
    o.other = "doch etwas";
    ses.set_answer("MC", o); // typing an other text counts as choosing
    CHECK(ses.answer("MC")->values.empty());
    CHECK(ses.answer("MC")->other == "doch etwas");
    // A fresh answer with both: the exclusive one was chosen last.
    Session fresh(s, "de", 0);
    fresh.set_answer("MC", values({"b", "n"}));
    CHECK(fresh.answer("MC")->values == std::vector<std::string>{"n"});
}

TEST_CASE("session: explicit no answer") {
    const char* groups = R"({"code":"G","title":"G","questions":[
      {"code":"A","type":"single","text":"a","comment":true,"options":[{"code":"1","text":"x"},{"code":"2","text":"y"}]},
      {"code":"B","type":"text","text":"b","condition":"A == 1"},
      {"code":"M","type":"text","text":"m","mandatory":true}]})";
    auto s = load(survey_json(groups, true));
    Session ses(s, "de", 0);
    Answer a = value("1");
    a.comment = "k";
    ses.set_answer("A", a);
    ses.set_answer("B", value("b"));
    Answer na = value("1");
    na.comment = "k";
    na.no_answer = true;
    CHECK(ses.set_answer("A", na).ok());
    Answer expect;
    expect.no_answer = true;
    CHECK(*ses.answer("A") == expect); // no_answer clears every other field
    CHECK(ses.lookup("A", "").text == "");
    CHECK(ses.answer("B") == nullptr); // reads empty, so B is hidden and dropped
    CHECK(ses.next().ok());

    // Mandatory questions do not offer "keine Antwort".
    Answer mna;
    mna.no_answer = true;
    ses.set_answer("M", mna);
    CHECK(ses.answer("M") == nullptr);

    Response r = ses.finish(true, 1, kChannelKiosk, "");
    CHECK(r.answers.at("A").no_answer);
    CHECK(r.not_shown == std::vector<std::string>{"B"});
    CHECK(r.skipped == std::vector<std::string>{"M"});
    auto j = nlohmann::json::parse(serialize_response(r));
    CHECK(j["answers"]["A"]["no_answer"] == true);

    // Without the survey setting the flag is ignored.
    auto s2 = load(survey_json(groups, false));
    Session ses2(s2, "de", 0);
    ses2.set_answer("A", na);
    CHECK(ses2.answer("A")->value == "1");
    CHECK(!ses2.answer("A")->no_answer);
}

TEST_CASE("session: a matrix row's 'keine Antwort' is its cell -na-, where the survey offers it") {
    const char* groups = R"J({"code":"G","title":"G","questions":[
      {"code":"D","type":"matrix","text":"d","options":[{"code":"1","text":"a"},{"code":"2","text":"b"}],
       "options2":[{"code":"x","text":"x"}],"rows":[{"code":"R1","text":"r1"},{"code":"R2","text":"r2"}]},
      {"code":"C","type":"text","text":"c","condition":"!is_empty(D_R1)"},
      {"code":"M","type":"matrix","text":"m","mandatory":true,"options":[{"code":"1","text":"a"}],
       "rows":[{"code":"R1","text":"r1"}]}]})J";
    auto s = load(survey_json(groups, true));
    Session ses(s, "de", 0);
    // The row's "keine Antwort" answers both of its scales: the second one is dropped.
    CHECK(ses.set_answer("D", cells({{"R1", kNoAnswerCode}, {"R1#1", "x"}, {"R2", "2"}})).ok());
    REQUIRE(ses.answer("D"));
    CHECK(ses.answer("D")->cells == std::map<std::string, std::string>{{"R1", kNoAnswerCode}, {"R2", "2"}});
    CHECK_FALSE(ses.answer("D")->no_answer);
    CHECK(ses.check(*s->find_question("D")).ok());
    // Conditions read it as empty, as the whole question's "keine Antwort".
    CHECK(ses.lookup("D_R1", "").text == "");
    CHECK(ses.lookup("D_R2", "").text == "2");
    CHECK_FALSE(ses.is_visible(*s->find_question("C")));
    // Not on the second scale alone, and not in a mandatory matrix.
    CHECK(ses.set_answer("D", cells({{"R1#1", kNoAnswerCode}})).kind == AnswerProblem::UnknownOption);
    CHECK(ses.set_answer("M", cells({{"R1", kNoAnswerCode}})).kind == AnswerProblem::UnknownOption);
    // Without the survey setting it is an unknown code.
    auto s2 = load(survey_json(groups, false));
    Session ses2(s2, "de", 0);
    CHECK(ses2.set_answer("D", cells({{"R1", kNoAnswerCode}})).kind == AnswerProblem::UnknownOption);
    // It survives the canonical bytes as a plain cell.
    Response r = ses.finish(true, 1, kChannelKiosk, "");
    Response back;
    std::string err;
    REQUIRE_MESSAGE(parse_response(serialize_response(r), back, &err), err);
    CHECK(back.answers.at("D").cells.at("R1") == kNoAnswerCode);
}

TEST_CASE("session: mandatory matrix needs every visible row") {
    auto s = load(survey_json(R"({"code":"G","title":"G","questions":[
      {"code":"Y","type":"yesno","text":"y"},
      {"code":"M","type":"matrix","text":"m","mandatory":true,"options":[{"code":"1","text":"a"},{"code":"2","text":"b"}],
       "rows":[{"code":"R1","text":"r1"},{"code":"R2","text":"r2","condition":"Y == 'Y'"}]}]})"));
    Session ses(s, "de", 0);
    ses.next();
    ses.set_answer("M", cells({{"R1", "1"}}));
    CHECK(ses.next().ok()); // R2 hidden
    CHECK(ses.back());
    ses.go_to("Y");
    ses.set_answer("Y", value("Y"));
    ses.go_to("M");
    AnswerProblem p = ses.next();
    CHECK(p.kind == AnswerProblem::Required);
    CHECK(p.detail == "R2");
    ses.set_answer("M", cells({{"R1", "1"}, {"R2", "2"}}));
    CHECK(ses.next().ok());
}

TEST_CASE("session: a survey with only hidden questions starts on the review page") {
    auto s = load(survey_json(R"({"code":"G","title":"G","questions":[
      {"code":"A","type":"text","text":"a","condition":"1 == 2"}]})"));
    Session ses(s, "de", 0);
    CHECK(ses.at_review());
    CHECK(!ses.can_go_back());
    CHECK(ses.progress_percent() == 100);
    Response r = ses.finish(true, 1, kChannelKiosk, "");
    CHECK(r.not_shown == std::vector<std::string>{"A"});
}

TEST_CASE("session: long condition chains stay fast") {
    // Each question depends on the two before it: evaluated naively this is exponential.
    std::string qs;
    for (int i = 0; i < 60; i++) {
        qs += std::string(i ? "," : "") + R"({"code":"Q)" + std::to_string(i) + R"(","type":"yesno","text":"q")";
        if (i >= 2)
            qs += ",\"condition\":\"is_empty(Q" + std::to_string(i - 1) + ") or is_empty(Q" + std::to_string(i - 2) + ")\"";
        qs += "}";
    }
    auto s = load(survey_json(R"({"code":"G","title":"G","questions":[)" + qs + "]}"));
    Session ses(s, "de", 0);
    CHECK(ses.visible_questions().size() == 60);
    ses.set_answer("Q0", value("Y"));
    ses.set_answer("Q1", value("Y")); // hides Q2, which makes Q3, Q4 visible, ...
    CHECK(!ses.is_visible(*s->find_question("Q2")));
    CHECK(ses.is_visible(*s->find_question("Q3")));
    int n = 0;
    while (!ses.at_review() && n < 100) { ses.next(); n++; }
    CHECK(ses.at_review());
}
