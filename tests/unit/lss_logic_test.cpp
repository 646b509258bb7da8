// Tests for the LimeSurvey import's logic (surveys/limesurvey/lss_import.cpp): old-style
// conditions on multiple-choice questions, "+" fields, @SGQA@ comparisons, {TOKEN:...},
// array filters onto a subquestion coded "other", and the guarantee that every import passes
// the kiosk's survey check.
//
// The expected visibility is derived by hand from LimeSurvey's own conversion of conditions
// into relevance (LimeExpressionManager::ConvertConditionsToRelevance: a multiple-choice field
// plus the value names the option column, compared with "Y"; a "+" field is the option column
// itself; "@SGQA@" is the other answer; "==" and order comparisons need an answered field) and
// of array filters (LimeExpressionManager, array_filter: a row is shown when the filter
// question's column of the same code is not empty; for "other" that is the other text).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "expression.h"
#include "lss_expression.h"
#include "lss_import.h"
#include "lss_responses.h"
#include "session.h"
#include "survey.h"
#include "test_survey.h"

using namespace tk;
namespace fs = std::filesystem;

namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

std::string section(const std::string& name, const std::vector<Fields>& rows) {
    std::string s = "<" + name + "><rows>";
    for (const Fields& r : rows) {
        s += "<row>";
        for (const auto& [k, v] : r) s += "<" + k + "><![CDATA[" + v + "]]></" + k + ">";
        s += "</row>";
    }
    return s + "</rows></" + name + ">";
}

// An old-layout (DBVersion 366) survey 12345, one group 10, English.
std::string doc(const std::string& body) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<document><LimeSurveyDocType>Survey</LimeSurveyDocType>"
           "<DBVersion>366</DBVersion><languages><language>en</language></languages>" +
           section("groups", {{{"gid", "10"}, {"sid", "12345"}, {"group_name", "G"}, {"group_order", "0"}, {"language", "en"}}}) +
           body + section("surveys", {{{"sid", "12345"}, {"language", "en"}, {"shownoanswer", "N"}}}) + "</document>";
}

Fields q(const std::string& qid, const std::string& type, const std::string& title, const std::string& rel = "1",
         const std::string& parent = "0", const std::string& other = "N") {
    return {{"qid", qid},       {"parent_qid", parent}, {"sid", "12345"},     {"gid", "10"},
            {"type", type},     {"title", title},       {"question", title + "?"}, {"other", other},
            {"mandatory", "N"}, {"question_order", qid}, {"language", "en"},  {"scale_id", "0"},
            {"relevance", rel}};
}

Fields cond(const std::string& cid, const std::string& qid, const std::string& cqid, const std::string& field,
            const std::string& method, const std::string& value, const std::string& scenario = "1") {
    return {{"cid", cid}, {"qid", qid}, {"cqid", cqid}, {"cfieldname", field}, {"method", method}, {"value", value},
            {"scenario", scenario}};
}

bool has_warning(const LssImport& im, const std::string& a, const std::string& b = "") {
    for (const std::string& w : im.warnings)
        if (w.find(a) != std::string::npos && w.find(b) != std::string::npos) return true;
    return false;
}

std::shared_ptr<const Survey> loaded(const LssImport& im) {
    REQUIRE_MESSAGE(im.ok(), im.error);
    LoadResult r = parse_survey(survey_to_json(*im.survey), "import");
    for (const LoadError& e : r.errors) MESSAGE(e.to_string());
    REQUIRE(r.ok());
    return r.survey;
}

bool visible(const Session& s, const std::string& code) {
    const Question* qq = s.survey().find_question(code);
    REQUIRE_MESSAGE(qq, code);
    return s.is_visible(*qq);
}

bool row_visible(const Session& s, const std::string& code, const std::string& row) {
    const Question* qq = s.survey().find_question(code);
    REQUIRE_MESSAGE(qq, code);
    const Row* r = qq->find_row(row);
    REQUIRE_MESSAGE(r, code << "_" << row);
    return s.is_row_visible(*qq, *r);
}

void set(Session& s, const std::string& code, const Answer& a) {
    AnswerProblem p = s.set_answer(code, a);
    REQUIRE_MESSAGE(p.ok(), code << ": " << p.detail);
}

std::string shared_lss_dir() {
    const char* env = std::getenv("TK_SHARED_DIR");
    std::string base = env && *env ? env : std::string(TK_SOURCE_DIR) + "/../shared";
    return base + "/lss";
}

} // namespace

TEST_CASE("lss logic: old-style conditions on multiple choice, '+' fields, @SGQA@ and TOKEN") {
    // QCS1 (M, options SH101..SH103), QN and Q4 (numbers) come first; the others depend on them.
    std::string xml = doc(
        section("questions", {q("1", "M", "QCS1"), q("21", "M", "SH101", "1", "1"), q("22", "M", "SH102", "1", "1"),
                              q("23", "M", "SH103", "1", "1"), q("3", "N", "QN"), q("4", "N", "Q4"),
                              q("5", "S", "Q2"), q("6", "S", "Q3"), q("7", "S", "Q5"), q("8", "S", "Q6"),
                              q("9", "S", "Q7", "TOKEN:ATTRIBUTE_1 == \"\" and QN > 0")}) +
        section("conditions", {// field names the question, value the option: SH101 or SH102 chosen
                               cond("1", "5", "1", "12345X10X1", "==", "SH101"),
                               cond("2", "5", "1", "12345X10X1", "==", "SH102"),
                               // "+" field: the option's column itself, compared with Y
                               cond("3", "6", "1", "+12345X10X1SH103", "==", "Y"),
                               // Q4 > QN: another answer
                               cond("4", "7", "4", "12345X10X4", ">", "@12345X10X3@"),
                               // participant data: empty on a kiosk, so never "x"
                               cond("5", "8", "0", "{TOKEN:ATTRIBUTE_1}", "==", "x")}));
    LssImport im = import_lss(xml, "mc.lss");
    auto s = loaded(im);
    // The bug this replaces: "+" fields and question fields became QCS1_SH101_Y.
    for (const Survey::QRef& r : s->all_questions()) CHECK(r.q->condition_src.find("_Y") == std::string::npos);
    CHECK(has_warning(im, "Q6:", "{TOKEN:ATTRIBUTE_1}"));
    CHECK(has_warning(im, "Q7:", "{TOKEN:ATTRIBUTE_1}"));
    CHECK_FALSE(has_warning(im, "always shown"));

    Session ss(s, "en", 0);
    CHECK_FALSE(visible(ss, "Q2"));
    CHECK_FALSE(visible(ss, "Q3"));
    CHECK_FALSE(visible(ss, "Q5")); // nothing answered: "Q4 > QN" needs an answered Q4
    CHECK_FALSE(visible(ss, "Q6"));
    CHECK_FALSE(visible(ss, "Q7")); // QN > 0 does not hold yet
    set(ss, "QCS1", test::values({"SH102"}));
    CHECK(visible(ss, "Q2"));
    CHECK_FALSE(visible(ss, "Q3"));
    set(ss, "QCS1", test::values({"SH103"}));
    CHECK_FALSE(visible(ss, "Q2"));
    CHECK(visible(ss, "Q3"));
    set(ss, "QCS1", test::values({"SH101", "SH103"}));
    CHECK(visible(ss, "Q2"));
    CHECK(visible(ss, "Q3"));
    set(ss, "QN", test::value("3"));
    CHECK(visible(ss, "Q7")); // the TOKEN part is "" == "", true
    set(ss, "Q4", test::value("5"));
    CHECK(visible(ss, "Q5")); // 5 > 3
    set(ss, "Q4", test::value("2"));
    CHECK_FALSE(visible(ss, "Q5"));
    set(ss, "Q4", test::value("12"));
    CHECK(visible(ss, "Q5")); // numbers, not strings: "12" > "3"
    CHECK_FALSE(visible(ss, "Q6")); // never: the attribute is empty
}

TEST_CASE("lss logic: a condition on an option that does not exist is refused with the reason") {
    std::string xml = doc(section("questions", {q("1", "M", "QCS1"), q("21", "M", "SH101", "1", "1"), q("5", "S", "Q2")}) +
                          section("conditions", {cond("1", "5", "1", "12345X10X1", "==", "SH999")}));
    LssImport im = import_lss(xml, "mc.lss");
    auto s = loaded(im);
    CHECK(has_warning(im, "Q2:", "SH999"));
    CHECK(s->find_question("Q2")->condition_src.empty());
}

TEST_CASE("lss logic: array filter onto a subquestion coded 'other' keeps LimeSurvey's code") {
    // Q1: multiple choice A, B with "other"; Q2: array rows A, B, other, filtered by Q1 — the
    // row "other" mirrors Q1's other field (shown when its text is not empty).
    std::string xml = doc(
        section("questions", {q("1", "M", "Q1", "1", "0", "Y"), q("21", "M", "A", "1", "1"), q("22", "M", "B", "1", "1"),
                              q("2", "F", "Q2"), q("31", "T", "A", "1", "2"), q("32", "T", "B", "1", "2"),
                              q("33", "T", "other", "1", "2")}) +
        section("answers", {{{"qid", "2"}, {"code", "1"}, {"answer", "gut"}, {"sortorder", "1"}, {"language", "en"}, {"scale_id", "0"}},
                            {{"qid", "2"}, {"code", "2"}, {"answer", "schlecht"}, {"sortorder", "2"}, {"language", "en"}, {"scale_id", "0"}}}) +
        section("question_attributes", {{{"qid", "2"}, {"attribute", "array_filter"}, {"value", "Q1"}}}));
    LssImport im = import_lss(xml, "af.lss");
    auto s = loaded(im);
    const Question* q2 = s->find_question("Q2");
    REQUIRE(q2);
    REQUIRE(q2->rows.size() == 3);
    CHECK(q2->rows[2].code == "ls_other");
    CHECK(q2->rows[2].source_code == "other");
    CHECK(has_warning(im, "Q2:", "'other' is reserved"));
    CHECK(survey_to_json(*s).find("\"source_code\"") != std::string::npos); // s went through the JSON

    Session ss(s, "en", 1764086400);
    CHECK_FALSE(row_visible(ss, "Q2", "A"));
    CHECK_FALSE(row_visible(ss, "Q2", "ls_other"));
    set(ss, "Q1", [] {
        Answer a = test::values({"A"});
        a.other = "Fahrrad";
        return a;
    }());
    CHECK(row_visible(ss, "Q2", "A"));
    CHECK_FALSE(row_visible(ss, "Q2", "B"));
    CHECK(row_visible(ss, "Q2", "ls_other"));
    set(ss, "Q2", test::cells({{"A", "1"}, {"ls_other", "2"}}));

    // The importer's LimeSurvey columns and the export's names agree, with "other" back.
    std::set<std::string> from_import, from_survey;
    for (const LssColumn& c : im.columns) from_import.insert(c.qcode);
    for (const VvColumn& c : vv_columns(*s)) from_survey.insert(c.code);
    CHECK(from_import == from_survey);
    CHECK(from_survey.count("Q2_other") == 1);
    CHECK(from_import.count("Q2_ls_other") == 0);

    std::vector<Response> rs = {ss.finish(true, 1764086460, kChannelKiosk, "Bibliothek")};
    LsResponsesRead back = parse_vv(export_vv(responses_to_vv(*s, rs)), "kiosk.vv");
    REQUIRE_MESSAGE(back.ok(), back.error);
    std::map<std::string, LsValue> row;
    for (size_t i = 0; i < back.data.fields.size(); i++) row[back.data.fields[i]] = back.data.rows.at(0)[i];
    CHECK(row.at("Q1_A") == LsValue("Y"));
    CHECK(row.at("Q1_other") == LsValue("Fahrrad"));
    CHECK(row.at("Q2_A") == LsValue("1"));
    CHECK(row.at("Q2_other") == LsValue("2"));
}

TEST_CASE("lss logic: every shared file imports into a survey that passes the survey check") {
    // .lss files and the ones extracted from .lsa archives. The importer's last guard leaves
    // out whatever the check refuses; on these files it must have nothing to do.
    size_t files = 0;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(shared_lss_dir(), ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        if (!it->is_regular_file() || it->path().extension() != ".lss") continue;
        std::string path = it->path().string();
        CAPTURE(path);
        files++;
        LssImport im = import_lss_file(path);
        REQUIRE_MESSAGE(im.ok(), im.error);
        LoadResult r = parse_survey(survey_to_json(*im.survey), path);
        for (const LoadError& e : r.errors) MESSAGE(e.to_string());
        CHECK(r.ok());
        CHECK_FALSE(has_warning(im, "refused by the survey check"));
        // Every warning names the file and a place or the survey.
        for (const std::string& w : im.warnings) CHECK(w.rfind(path + ": ", 0) == 0);
    }
    CHECK(files >= 17);
}

// ---------------------------------------------------------------------------------------
// Relevance walks of the shared files not walked in lss_import_test.cpp. Each expectation is
// read off the file's relevance by hand, with LimeSurvey's rules: a group whose grelevance is
// false hides all its questions; a question that is hidden reads as empty (.NAOK); "==" on
// an unanswered question is false.

namespace {

std::shared_ptr<const Survey> load_shared(const std::string& name, LssImport* out = nullptr) {
    LssImport im = import_lss_file(shared_lss_dir() + "/" + name);
    auto s = loaded(im);
    if (out) *out = im;
    return s;
}

std::set<std::string> shown(const Session& ss) {
    std::set<std::string> out;
    for (const Question* q : ss.visible_questions()) out.insert(q->code);
    return out;
}

} // namespace

TEST_CASE("lss logic: relevance walk of previewGroupQuestion (group and question relevance)") {
    // Group 2: grelevance Q01.NAOK == "Y". G2Q02: Q01 == Y; G2Q03: Q02 == "Y" (a long text);
    // G2Q04: G2Q01 == "Y". Group 3: every question Q01 == Y.
    auto s = load_shared("limesurvey_survey_previewGroupQuestion.lss");
    Session ss(s, "en", 0);
    CHECK(shown(ss) == std::set<std::string>{"Q01", "Q02", "Q03", "Q04"});
    set(ss, "Q01", test::value("Y"));
    CHECK(shown(ss) == std::set<std::string>{"Q01", "Q02", "Q03", "Q04", "G2Q01", "G2Q02", "G3Q01", "G3Q02", "G3Q03"});
    set(ss, "Q02", test::value("Y"));
    CHECK(visible(ss, "G2Q03"));
    set(ss, "G2Q01", test::value("Y"));
    CHECK(visible(ss, "G2Q04"));
    set(ss, "Q01", test::value("N")); // group 2 and group 3 go away, whatever was answered there
    CHECK(shown(ss) == std::set<std::string>{"Q01", "Q02", "Q03", "Q04"});
}

TEST_CASE("lss logic: relevance walk of ls205_EM_question_attributes (one checkbox per question)") {
    // Every question of group 30 is relevant when its checkbox in OnPageRelevance is ticked,
    // e.g. qListDropdown: OnPageRelevance_qLD == "Y". The report pages have no relevance.
    auto s = load_shared("ls205_EM_question_attributes.lss");
    Session ss(s, "en", 0);
    std::set<std::string> always = {"OnPageRelevance", "report00", "report0", "note", "report1", "report4", "report2", "report3"};
    // The file's default answer ticks every box of OnPageRelevance (<defaultvalues>), so at first,
    // as in LimeSurvey, every question is shown; cleared, only those without relevance.
    const Question* opr = s->find_question("OnPageRelevance");
    REQUIRE(opr);
    CHECK(opr->default_answer.values.size() == opr->options.size());
    CHECK(shown(ss).count("qListDropdown"));
    CHECK(shown(ss).count("qTextDisplay"));
    set(ss, "OnPageRelevance", test::values({}));
    CHECK(shown(ss) == always);
    set(ss, "OnPageRelevance", test::values({"qLD", "qN", "qMC"}));
    std::set<std::string> want = always;
    want.insert({"qListDropdown", "qNumerical", "qMultipleChoice"});
    CHECK(shown(ss) == want);
    set(ss, "OnPageRelevance", test::values({"qTD"}));
    want = always;
    want.insert("qTextDisplay");
    CHECK(shown(ss) == want);
}

TEST_CASE("lss logic: files without logic show every question, as LimeSurvey does") {
    // No relevance, conditions or filters in these files (SOURCES.md: rel = cond = 0): with no
    // answers at all every imported question is shown.
    for (const char* name : {"limesurvey_survey_188432_answerSetsForEmTest.lss", "limesurvey_survey_454287.lss",
                             "limesurvey_survey_767665_ListRadioOtherPositionTest.lss",
                             "limesurvey_survey_expressionAnswerOptionsTest.lss", "survey-dual-scale-question-api-test.lss",
                             "ls205_randomization_group_test.lss",
                             "lsa_extracted/survey_archive_setVariableExpressionEndPluginTest/survey_415875.lss"}) {
        CAPTURE(name);
        auto s = load_shared(name);
        Session ss(s, "en", 0);
        CHECK(ss.visible_questions().size() == s->all_questions().size());
    }
}

TEST_CASE("lss logic: randomisation groups and option order are carried over") {
    // ls205_randomization_group_test: Q1, Q4, Q7 in Group1, Q2, Q5, Q8 in Group2, Q3, Q6, Q9 in Group3.
    auto s = load_shared("ls205_randomization_group_test.lss");
    std::map<std::string, std::string> want = {{"Q1", "Group1"}, {"Q4", "Group1"}, {"Q7", "Group1"},
                                               {"Q2", "Group2"}, {"Q5", "Group2"}, {"Q8", "Group2"},
                                               {"Q3", "Group3"}, {"Q6", "Group3"}, {"Q9", "Group3"}};
    for (const auto& entry : want) {
        const std::string code = entry.first, group = entry.second; // doctest's macros capture them
        CAPTURE(code);
        const Question* qq = s->find_question(code);
        REQUIRE(qq);
        CHECK(qq->random_group == group);
    }
    // random_order / alphasort / answer_order on a hand-written file.
    std::string xml = doc(
        section("questions", {q("1", "L", "L1"), q("2", "L", "L2"), q("3", "L", "L3")}) +
        section("answers", {{{"qid", "1"}, {"code", "A"}, {"answer", "a"}, {"sortorder", "1"}, {"language", "en"}},
                            {{"qid", "2"}, {"code", "A"}, {"answer", "a"}, {"sortorder", "1"}, {"language", "en"}},
                            {{"qid", "3"}, {"code", "A"}, {"answer", "a"}, {"sortorder", "1"}, {"language", "en"}}}) +
        section("question_attributes", {{{"qid", "1"}, {"attribute", "random_order"}, {"value", "1"}},
                                        {{"qid", "2"}, {"attribute", "alphasort"}, {"value", "1"}},
                                        {{"qid", "3"}, {"attribute", "answer_order"}, {"value", "normal"}},
                                        {{"qid", "3"}, {"attribute", "cssclass"}, {"value", "big"}}}));
    LssImport im = import_lss(xml, "order.lss");
    auto o = loaded(im);
    CHECK(o->find_question("L1")->option_order == "random");
    CHECK(o->find_question("L2")->option_order == "alphabetical");
    CHECK(o->find_question("L3")->option_order.empty());
    CHECK(has_warning(im, "attribute cssclass ignored", "L3"));
    CHECK_FALSE(has_warning(im, "attribute answer_order"));
}

TEST_CASE("lss logic: what the survey check refuses is left out with the question code and reason") {
    // LimeSurvey files can hold codes the kiosk refuses: a question code starting with a digit
    // (very old files) or the same code twice. The import leaves such a question out, names
    // it and the check's reason, and whatever referred to it loses that condition.
    std::string xml = doc(section("questions", {q("1", "S", "Q1"), q("2", "S", "2bad"), q("3", "S", "Q1"),
                                                q("4", "S", "Q4", "Q1 == \"x\"")}));
    LssImport im = import_lss(xml, "bad.lss");
    auto s = loaded(im); // passes the check
    CHECK(s->find_question("Q4"));
    CHECK(has_warning(im, "2bad", "refused by the survey check"));
    CHECK(has_warning(im, "Q1", "refused by the survey check"));
    for (const LssColumn& c : im.columns) CHECK(s->find_question(c.question));

    // Nothing left to ask: an error, no survey.
    LssImport none = import_lss(doc(section("questions", {q("2", "S", "2bad")})), "none.lss");
    CHECK_FALSE(none.ok());
    CHECK(none.error.rfind("none.lss: ", 0) == 0);
}

TEST_CASE("lss logic: {TOKEN:...} in a text is participant data, never shown raw") {
    Fields q1 = q("1", "S", "Q1");
    for (auto& [k, v] : q1)
        if (k == "question") v = "Hallo {TOKEN:FIRSTNAME}, wie geht's?";
    LssImport im = import_lss(doc(section("questions", {q1})), "t.lss");
    auto s = loaded(im);
    CHECK(s->find_question("Q1")->text.by_lang.at("en") == "Hallo …, wie geht's?");
    CHECK(has_warning(im, "Q1:", "{TOKEN:FIRSTNAME} (participant data"));
}

TEST_CASE("lss logic: an answer option coded 'other' is renamed and conditions still find it") {
    // L question with LimeSurvey answer codes A1 and "other" (reserved on the kiosk); Q2 by
    // relevance and Q3 by an old-style condition are shown when it is chosen.
    std::string xml = doc(
        section("questions", {q("1", "L", "Q1"), q("2", "S", "Q2", "Q1 == \"other\""), q("3", "S", "Q3")}) +
        section("answers", {{{"qid", "1"}, {"code", "A1"}, {"answer", "rot"}, {"sortorder", "1"}, {"language", "en"}},
                            {{"qid", "1"}, {"code", "other"}, {"answer", "anders"}, {"sortorder", "2"}, {"language", "en"}}}) +
        section("conditions", {cond("1", "3", "1", "12345X10X1", "==", "other")}));
    LssImport im = import_lss(xml, "opt.lss");
    auto s = loaded(im);
    CHECK(s->find_question("Q1")->options[1].code == "ls_other");
    Session ss(s, "en", 1764086400);
    CHECK_FALSE(visible(ss, "Q2"));
    CHECK_FALSE(visible(ss, "Q3"));
    set(ss, "Q1", test::value("ls_other"));
    CHECK(visible(ss, "Q2"));
    CHECK(visible(ss, "Q3"));
    std::vector<Response> rs = {ss.finish(true, 1764086460, kChannelKiosk, "Bibliothek")};
    LsResponsesRead back = parse_vv(export_vv(responses_to_vv(*s, rs)), "kiosk.vv");
    REQUIRE_MESSAGE(back.ok(), back.error);
    std::map<std::string, LsValue> row;
    for (size_t i = 0; i < back.data.fields.size(); i++) row[back.data.fields[i]] = back.data.rows.at(0)[i];
    CHECK(row.at("Q1") == LsValue("other")); // LimeSurvey's code back
}

TEST_CASE("lss logic: a group's randomization_group is warned about, never dropped silently") {
    std::string xml = doc(section("questions", {q("1", "S", "Q1")}));
    const std::string from = "<group_order><![CDATA[0]]></group_order>";
    size_t at = xml.find(from);
    REQUIRE(at != std::string::npos);
    xml.insert(at + from.size(), "<randomization_group><![CDATA[R1]]></randomization_group>");
    LssImport im = import_lss(xml, "rg.lss");
    loaded(im);
    CHECK(has_warning(im, "group 10:", "randomization_group 'R1' ignored"));
}

TEST_CASE("lss logic: the variable properties the engine knows pass through; database ids are refused") {
    lss::NameMap names;
    names.add("Q1", "Q1", 0, "Q1");
    // Host after Q1: a reference to Q1 is allowed.
    for (const char* p : {"NAOK", "shown", "value", "valueNAOK", "code", "relevanceStatus", "question", "mandatory", "qseq",
                          "gseq"}) {
        lss::ExprOut o = lss::translate_expression(std::string("Q1.") + p + " == 'x'", names, 5);
        CHECK_MESSAGE(o.problem.empty(), p, ": ", o.problem);
        CHECK_MESSAGE(o.text.find(std::string("Q1.") + p) != std::string::npos, o.text);
        // What comes out is an expression the engine reads.
        CHECK_MESSAGE(parse_expression(o.text).expr, o.text);
    }
    for (const char* p : {"gid", "qid", "sgqa"}) {
        lss::ExprOut o = lss::translate_expression(std::string("Q1.") + p + " == 3", names, 5);
        CHECK_MESSAGE(o.problem.find("database ids") != std::string::npos, p, ": ", o.problem);
    }
    CHECK(lss::translate_expression("Q1.jsName == 'x'", names, 5).problem.find(".jsName") != std::string::npos);
}
