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
