// surveys_loader_test.cpp - the survey loader on valid input: a survey with every question
// type, type names, plain-string texts, missing files, and the language fallback of texts.
// Validation errors: surveys_validate_test.cpp; hash and writer: surveys_writer_test.cpp.
#include <doctest/doctest.h>

#include "surveys_loader_util.h"

using namespace tk;
using namespace tk::test::loader;

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

TEST_CASE("loader: missing file and directory are load errors") {
    LoadResult r = load_survey("/nonexistent/dir/survey.json");
    REQUIRE(r.errors.size() == 1);
    CHECK_FALSE(r.ok());
    CHECK(contains(r.errors[0].to_string(), "/nonexistent/dir/survey.json: cannot open file"));
    LoadResult d = load_survey(std::string(TK_SOURCE_DIR) + "/surveys");
    REQUIRE(d.errors.size() == 1);
    CHECK(contains(d.errors[0].message, "is a directory"));
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
// The "delphi" block

TEST_CASE("loader: a Delphi round loads with its rule and items, and round-trips") {
    json j = delphi_base();
    auto s = load_ok(j.dump(2));
    const DelphiRound& d = s->delphi;
    CHECK(d.study == "digital-kommunal");
    CHECK(d.round == 2);
    CHECK(d.consensus.kind == "top_share");
    CHECK(d.consensus.threshold == 75);
    CHECK(d.consensus.top == 1);
    CHECK(d.drop_on_consensus);
    CHECK(d.expert_levels == std::vector<std::string>{"2"});
    REQUIRE(d.items.size() == 4);
    CHECK(d.items[0].key == "Q3[R1]");
    CHECK(d.items[0].repeats == "F11[L1]");
    CHECK(d.items[0].feedback == std::vector<std::string>{"distribution", "median", "iqr"});
    CHECK(d.items[0].expertise == "Q1");
    // A repeated item without "feedback" shows the distribution; a new one shows nothing.
    CHECK(d.items[1].feedback == std::vector<std::string>{"distribution"});
    CHECK(d.items[3].repeats.empty());
    CHECK(d.items[3].feedback.empty());
    REQUIRE(d.find_item("Q5") != nullptr);
    CHECK(d.find_item("Q5")->repeats == "F18");
    CHECK(d.find_item("Q9") == nullptr);

    std::string out = survey_to_json(*s);
    auto back = load_ok(out);
    check_same_survey(*s, *back);
    CHECK(survey_to_json(*back) == out);
    // The default feedback is written out, so the second file says what the kiosk shows.
    CHECK(contains(out, R"("key": "Q3[R2]",
        "repeats": "F11[L2]",
        "feedback": [
          "distribution"
        ])"));
    // A survey without the block writes none.
    auto plain = load_ok(kBase);
    CHECK(plain->delphi.round == 0);
    CHECK_FALSE(contains(survey_to_json(*plain), "delphi"));
}

TEST_CASE("loader: Delphi item scales and the rule in words") {
    auto s = load_ok(delphi_base().dump());
    bool ord = false;
    const std::vector<Option>* sc = delphi_item_scale(*s, "Q5", &ord);
    REQUIRE(sc != nullptr);
    CHECK(sc->size() == 5); // a rating's generated points
    CHECK(ord);
    sc = delphi_item_scale(*s, "Q3[R2]", &ord);
    REQUIRE(sc != nullptr);
    CHECK(ord);
    sc = delphi_item_scale(*s, "Q7", &ord); // multiple choice: categories, no order
    REQUIRE(sc != nullptr);
    CHECK_FALSE(ord);
    CHECK(delphi_item_scale(*s, "Q3", &ord) == nullptr);     // a matrix needs its row
    CHECK(delphi_item_scale(*s, "Q3[R9]", &ord) == nullptr); // no such row
    CHECK(delphi_item_scale(*s, "Q2", &ord) == nullptr);     // free text
    CHECK(delphi_item_scale(*s, "Q1[R1]", &ord) == nullptr); // a row of a single choice

    std::string code, row;
    CHECK(split_delphi_key("F5[L1]", code, row));
    CHECK(code == "F5");
    CHECK(row == "L1");
    CHECK(split_delphi_key("F5", code, row));
    CHECK(row.empty());
    CHECK_FALSE(split_delphi_key("F5[]", code, row));
    CHECK_FALSE(split_delphi_key("F5[L1", code, row));
    CHECK_FALSE(split_delphi_key("5F", code, row));

    ConsensusRule r{"top_share", 75, 2};
    CHECK(consensus_rule_text(r) == "at least 75 % of the answers in the 2 highest categories");
    r.top = -1;
    CHECK(consensus_rule_text(r) == "at least 75 % of the answers in the 1 lowest category");
    CHECK(consensus_rule_text({"iqr", 1, 2}) == "interquartile range at most 1");
    CHECK(consensus_rule_text({"cv", 0.5, 2}) == "coefficient of variation (sd / mean) at most 0.5");
    CHECK(contains(consensus_rule_text({"rand_ucla", 1, 2}), "RAND/UCLA"));
}
