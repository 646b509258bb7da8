// Tests for the LimeSurvey import (surveys/lss_import.h) and response files
// (surveys/lss_responses.h), run against every LimeSurvey file in the shared folder.
//
// The counts are taken straight from the XML with XPath queries, a different route from
// the importer's row-by-row reading, so a merge or ordering mistake in the importer shows.
#include <doctest/doctest.h>

#include <pugixml.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "expression.h"
#include "lss_import.h"
#include "lss_responses.h"
#include "session.h"
#include "survey.h"
#include "test_survey.h"

using namespace tk;
namespace fs = std::filesystem;

namespace {

std::string shared_lss_dir() {
    const char* env = std::getenv("TK_SHARED_DIR");
    std::string base = env && *env ? env : std::string(TK_SOURCE_DIR) + "/../shared";
    return base + "/lss";
}

std::vector<std::string> files_with_ext(const std::string& ext) {
    std::vector<std::string> out;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(shared_lss_dir(), ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec))
        if (it->is_regular_file() && it->path().extension() == ext) out.push_back(it->path().string());
    std::sort(out.begin(), out.end());
    return out;
}

std::string read_all(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

bool has_warning(const LssImport& im, const std::string& a, const std::string& b = "", const std::string& c = "") {
    for (const std::string& w : im.warnings)
        if (w.find(a) != std::string::npos && w.find(b) != std::string::npos && w.find(c) != std::string::npos)
            return true;
    return false;
}

std::string text_of(pugi::xpath_node n, const char* child) {
    return n.node().child(child).text().get();
}

// The survey as the kiosk runs it (conditions parsed by the loader).
std::shared_ptr<const Survey> loaded(const LssImport& im) {
    REQUIRE(im.ok());
    LoadResult r = parse_survey(survey_to_json(*im.survey), "import");
    for (const LoadError& e : r.errors) MESSAGE(e.to_string());
    REQUIRE(r.ok());
    return r.survey;
}

std::shared_ptr<const Survey> load_shared(const std::string& name, LssImport* out = nullptr) {
    LssImport im = import_lss_file(shared_lss_dir() + "/" + name);
    INFO(im.error);
    auto s = loaded(im);
    if (out) *out = im;
    return s;
}

using test::cells;
using test::value;
using test::values;

bool visible(const Session& s, const std::string& code) {
    const Question* q = s.survey().find_question(code);
    REQUIRE_MESSAGE(q, code);
    return s.is_visible(*q);
}

bool row_visible(const Session& s, const std::string& code, const std::string& row) {
    const Question* q = s.survey().find_question(code);
    REQUIRE_MESSAGE(q, code);
    const Row* r = q->find_row(row);
    REQUIRE_MESSAGE(r, code << "_" << row);
    return s.is_row_visible(*q, *r);
}

void set(Session& s, const std::string& code, const Answer& a) {
    AnswerProblem p = s.set_answer(code, a);
    REQUIRE_MESSAGE(p.ok(), code << ": " << p.detail);
}

} // namespace

TEST_CASE("lss: the shared folder has LimeSurvey files to test with") {
    CHECK(files_with_ext(".lss").size() >= 15);
    CHECK(files_with_ext(".lsr").size() >= 2);
}

TEST_CASE("lss: every shared .lss imports and loads as a survey") {
    for (const std::string& path : files_with_ext(".lss")) {
        CAPTURE(path);
        LssImport im = import_lss_file(path);
        REQUIRE_MESSAGE(im.ok(), im.error);
        LoadResult r = parse_survey(survey_to_json(*im.survey), path);
        for (const LoadError& e : r.errors) MESSAGE(e.to_string());
        CHECK(r.ok());
        // load_lss is the same thing in one call (what the staff menu uses).
        LoadResult l = load_lss(path);
        CHECK(l.ok());
        CHECK(l.warnings.size() >= im.warnings.size());
    }
}

TEST_CASE("lss: groups, questions, subquestions, answers and languages match the file") {
    // Engine type per LimeSurvey letter, written out independently of the importer.
    const std::map<std::string, std::string> type_of = {
        {"5", "rating"}, {"L", "single"}, {"!", "single"}, {"O", "single"}, {"G", "single"},
        {"M", "multiple"}, {"P", "multiple"}, {"S", "text"}, {"T", "longtext"}, {"U", "longtext"},
        {"Q", "multi_text"}, {"K", "multi_numeric"}, {"N", "numeric"}, {"Y", "yesno"}, {"D", "date"},
        {"F", "matrix"}, {"H", "matrix"}, {"A", "matrix"}, {"B", "matrix"}, {"C", "matrix"},
        {"E", "matrix"}, {"1", "matrix"}, {":", "matrix"}, {";", "matrix"}, {"R", "ranking"},
        {"X", "info"}, {"*", "equation"}};
    size_t files = 0, total_q = 0, total_sub = 0, total_ans = 0;
    for (const std::string& path : files_with_ext(".lss")) {
        CAPTURE(path);
        pugi::xml_document doc;
        REQUIRE(doc.load_file(path.c_str()));
        LssImport im = import_lss_file(path);
        REQUIRE_MESSAGE(im.ok(), im.error);
        const Survey& s = *im.survey;
        files++;

        // Languages: the <languages> list (the importer reads the <surveys> row first).
        std::set<std::string> langs;
        for (pugi::xpath_node n : doc.select_nodes("/document/languages/language")) langs.insert(n.node().text().get());
        CHECK(langs == std::set<std::string>(s.languages.begin(), s.languages.end()));

        // Groups: every distinct gid is imported as G<gid>, or a warning says why not.
        std::set<std::string> gids;
        for (pugi::xpath_node n : doc.select_nodes("/document/groups/rows/row/gid")) gids.insert(n.node().text().get());
        size_t imported_groups = 0;
        for (const std::string& gid : gids) {
            bool found = std::any_of(s.groups.begin(), s.groups.end(), [&](const Group& g) { return g.code == "G" + gid; });
            if (found) imported_groups++;
            else CHECK_MESSAGE(has_warning(im, "group " + gid + ":", "left out"), "group " << gid);
        }
        CHECK(imported_groups == s.groups.size());

        // Questions: parent rows; per qid the type and code (old files repeat rows per language).
        std::map<std::string, std::pair<std::string, std::string>> parents; // qid -> (type, title)
        std::map<std::string, std::set<std::pair<int, std::string>>> subs;  // parent qid -> (scale, code)
        for (const char* xp : {"/document/questions/rows/row", "/document/subquestions/rows/row"})
            for (pugi::xpath_node n : doc.select_nodes(xp)) {
                std::string parent = text_of(n, "parent_qid");
                if (parent.empty() || parent == "0") parents[text_of(n, "qid")] = {text_of(n, "type"), text_of(n, "title")};
                else subs[parent].insert({atoi(text_of(n, "scale_id").c_str()), text_of(n, "title")});
            }
        std::map<std::string, std::set<std::pair<int, std::string>>> answers; // qid -> (scale, code)
        for (pugi::xpath_node n : doc.select_nodes("/document/answers/rows/row"))
            answers[text_of(n, "qid")].insert({atoi(text_of(n, "scale_id").c_str()), text_of(n, "code")});

        size_t imported_q = 0;
        for (const auto& [qid, tt] : parents) {
            const std::string type = tt.first, code = tt.second; // plain names: doctest's lambdas capture them
            CAPTURE(code);
            const Question* q = s.find_question(code);
            if (!q) {
                // Not imported: there must be a warning naming the code (never silently dropped).
                CHECK_MESSAGE(has_warning(im, ": " + code + ":", "left out"), "question " << code << " type " << type);
                continue;
            }
            imported_q++;
            total_q++;
            auto t = type_of.find(type);
            REQUIRE_MESSAGE(t != type_of.end(), "type " << type);
            CHECK(std::string(type_name(q->type)) == t->second);

            // Subquestions: rows, or options (multiple choice), or rows + columns (arrays of numbers/texts).
            std::set<std::pair<int, std::string>> got;
            if (type == "M" || type == "P")
                for (const Option& o : q->options) got.insert({0, o.code});
            else
                for (const Row& r : q->rows) got.insert({0, r.code});
            if (type == ":" || type == ";")
                for (const Option& o : q->options) got.insert({1, o.code});
            CHECK(got == subs[qid]);
            total_sub += got.size();

            // Answer options with the file's codes, both scales.
            std::set<std::pair<int, std::string>> got_ans;
            bool uses_answers = type == "L" || type == "!" || type == "O" || type == "F" || type == "H" ||
                                type == "R" || type == "1";
            if (uses_answers) {
                for (const Option& o : q->options) got_ans.insert({0, o.code});
                for (const Option& o : q->options2) got_ans.insert({1, o.code});
            }
            CHECK(got_ans == answers[qid]);
            total_ans += got_ans.size();
        }
        CHECK(imported_q == s.all_questions().size());
    }
    CHECK(files >= 15);
    MESSAGE("checked " << files << " files: " << total_q << " questions, " << total_sub << " subquestions, "
                       << total_ans << " answer options");
    CHECK(total_q > 150);
    CHECK(total_sub > 150);
    CHECK(total_ans > 100);
}

TEST_CASE("lss: kiosk-incompatible types are warned about with their codes") {
    LssImport im = import_lss_file(shared_lss_dir() + "/ls205_EM_question_attributes.lss");
    REQUIRE(im.ok());
    CHECK(has_warning(im, "qFileUpload", "'|'", "left out"));
    CHECK(has_warning(im, "qLanguage", "'I'", "left out"));
    CHECK(im.survey->find_question("qFileUpload") == nullptr);
    LssImport eq = import_lss_file(shared_lss_dir() + "/limesurvey_survey_351443.lss");
    REQUIRE(eq.ok());
}

TEST_CASE("lss: mandatory, other, comment, dropdown, no-answer and translations") {
    LssImport im;
    auto s = load_shared("ls205_EM_question_attributes.lss", &im);
    CHECK(s->settings.no_answer_option); // shownoanswer = Y
    const Question* dd = s->find_question("qListDropdown");
    REQUIRE(dd);
    CHECK(dd->display == "dropdown");
    CHECK(dd->other);
    const Question* lwc = s->find_question("qListWithComment");
    REQUIRE(lwc);
    CHECK(lwc->comment);
    const Question* ds = s->find_question("qArrayDualScale");
    REQUIRE(ds);
    CHECK(!ds->options2.empty());

    auto logic = load_shared("limesurvey_survey_SurveyLogicWarnings.lss");
    CHECK_FALSE(logic->settings.no_answer_option); // shownoanswer = N

    // Old layout, two languages: each text in both, base language (surveys.language) first.
    auto rnd = load_shared("ls205_randomization_group_test.lss");
    REQUIRE(rnd->languages.size() == 2);
    CHECK(rnd->languages[0] == "en");
    const Question* q4 = rnd->find_question("Q4");
    REQUIRE(q4);
    CHECK(q4->text.by_lang.at("en") == "Q4 List 1");
    CHECK(q4->text.by_lang.at("fr") == "Liste Q4 1");

    // New layout, three languages.
    auto three = load_shared("limesurvey_survey_expressionAnswerOptionsTest.lss");
    CHECK(three->languages.size() == 3);

    // Mandatory flags as in the file.
    pugi::xml_document doc;
    REQUIRE(doc.load_file((shared_lss_dir() + "/limesurvey_survey_767665_ListRadioOtherPositionTest.lss").c_str()));
    auto other = load_shared("limesurvey_survey_767665_ListRadioOtherPositionTest.lss");
    int checked = 0;
    for (pugi::xpath_node n : doc.select_nodes("/document/questions/rows/row")) {
        const Question* q = other->find_question(text_of(n, "title"));
        REQUIRE(q);
        CHECK(q->mandatory == (text_of(n, "mandatory") == "Y"));
        CHECK(q->other == (text_of(n, "other") == "Y"));
        checked++;
    }
    CHECK(checked == 4);
}

TEST_CASE("lss: relevance behaves as in LimeSurvey (hand-picked cases)") {
    SUBCASE("old-style condition row: Q00 == F (gender)") {
        auto s = load_shared("limesurvey_survey_allinoneCondition.lss");
        Session ss(s, "en", 0);
        CHECK_FALSE(visible(ss, "G02Q02")); // no answer: the condition does not hold
        set(ss, "Q00", value("M"));
        CHECK_FALSE(visible(ss, "G02Q02"));
        set(ss, "Q00", value("F"));
        CHECK(visible(ss, "G02Q02"));
    }
    SUBCASE("old-style conditions with '<' and '!=' (conditions win over relevance)") {
        auto s = load_shared("limesurvey_survey_351443.lss");
        Session ss(s, "en", 0);
        CHECK_FALSE(visible(ss, "MinimumDataOnly")); // empty CenterID never passes '<'
        set(ss, "CenterID", value("100"));
        CHECK(visible(ss, "MinimumDataOnly"));
        CHECK(visible(ss, "weight")); // MinimumDataOnly != Y holds while unanswered
        set(ss, "MinimumDataOnly", value("Y"));
        CHECK_FALSE(visible(ss, "weight"));
        set(ss, "MinimumDataOnly", value("N"));
        CHECK(visible(ss, "weight"));
        set(ss, "CenterID", value("9500")); // numeric comparison, not string
        CHECK_FALSE(visible(ss, "MinimumDataOnly"));
        CHECK(visible(ss, "weight")); // its controller is hidden now and reads empty
    }
    SUBCASE("group relevance and count() over .NAOK") {
        auto s = load_shared("ls205_group_relevance.lss");
        Session ss(s, "en", 0);
        CHECK_FALSE(visible(ss, "p1sex"));
        set(ss, "name", value("Ann"));
        set(ss, "gender", value("F"));
        set(ss, "age", value("40"));
        set(ss, "cohabs", value("0"));
        CHECK_FALSE(visible(ss, "p1sex")); // group "cohabs > 0"
        CHECK(visible(ss, "syou"));        // group "!is_empty(cohabs)"
        set(ss, "cohabs", value("1"));
        CHECK(visible(ss, "p1sex"));
        CHECK_FALSE(visible(ss, "p2sex")); // group "cohabs > 1 && p1rel != ''"
        CHECK_FALSE(visible(ss, "comment")); // count(p1rel..p4rel) == cohabs: 0 != 1
        set(ss, "p1sex", value("M"));
        set(ss, "p1name", value("Bob"));
        set(ss, "p1rel", value("2"));
        CHECK(visible(ss, "comment"));      // 1 == 1
        CHECK_FALSE(visible(ss, "p2sex"));
    }
    SUBCASE("multiple choice options in relevance (Q00_SQ009)") {
        auto s = load_shared("colors.lss");
        Session ss(s, "en", 0);
        CHECK_FALSE(visible(ss, "G01Q02"));
        set(ss, "Q00", values({"SQ009"}));
        CHECK_FALSE(visible(ss, "G01Q02"));
        set(ss, "Q00", values({"SQ009", "SQ011"}));
        CHECK(visible(ss, "G01Q02"));
        CHECK_FALSE(visible(ss, "G01Q03"));
    }
    SUBCASE("subquestion relevance and array filter together") {
        auto s = load_shared("ls206_em_subquestion_relevance.lss");
        Session ss(s, "en", 0);
        CHECK_FALSE(visible(ss, "eaten1")); // controller1_fruit == 1
        set(ss, "controller1", cells({{"fruit", "1"}}));
        REQUIRE(visible(ss, "eaten1"));
        CHECK_FALSE(row_visible(ss, "eaten1", "02")); // array_filter multiplechoice1: 02 not chosen
        CHECK(row_visible(ss, "plantoeat", "02"));    // array_filter_exclude: shown when not chosen
        set(ss, "multiplechoice1", values({"02"}));
        CHECK(row_visible(ss, "eaten1", "02"));
        CHECK_FALSE(row_visible(ss, "plantoeat", "02"));
        CHECK_FALSE(row_visible(ss, "eaten1", "01")); // relevance controller1_apples == 1 and filter
        set(ss, "multiplechoice1", values({"01", "02"}));
        CHECK_FALSE(row_visible(ss, "eaten1", "01"));
        set(ss, "controller1", cells({{"fruit", "1"}, {"apples", "1"}}));
        CHECK(row_visible(ss, "eaten1", "01"));
    }
    SUBCASE("intval, numeric string comparison, subquestion relevance") {
        LssImport im;
        auto s = load_shared("limesurvey_survey_SurveyLogicWarnings.lss", &im);
        Session ss(s, "en", 0);
        CHECK_FALSE(visible(ss, "CheckNoIssue")); // intval(Q00.NAOK) ge 1
        set(ss, "Q00", value("2"));
        CHECK(visible(ss, "CheckNoIssue"));
        CHECK(row_visible(ss, "CheckSubQRelevance", "SQ001"));       // Q00 > "1"
        CHECK_FALSE(row_visible(ss, "CheckSubQRelevance", "SQ002")); // Q00 > "2"
        CHECK_FALSE(row_visible(ss, "CheckSubQRelevance", "SQ003")); // intval(Q00) > 3
        set(ss, "Q00", value("4"));
        CHECK(row_visible(ss, "CheckSubQRelevance", "SQ003"));
        // "Q00 = 4" is an assignment: warned about, dropped, question always shown.
        CHECK(has_warning(im, "CheckAssigment", "'='", "always shown"));
        CHECK(visible(ss, "CheckAssigment"));
    }
    SUBCASE("group relevance kept although only one language row has it (NULL vs empty)") {
        auto s = load_shared("limesurvey_survey_OldCodes.lss");
        REQUIRE(s->groups.size() == 2);
        CHECK(s->groups[1].condition_src == "OLD_CODE1.shown > 2");
        Session ss(s, "en", 0);
        CHECK_FALSE(visible(ss, "OLD_CODE3"));
        set(ss, "OLD_CODE1", value("3"));
        CHECK(visible(ss, "OLD_CODE3"));
        set(ss, "OLD_CODE1", value("1"));
        CHECK_FALSE(visible(ss, "OLD_CODE3"));
    }
    SUBCASE("unsupported functions are named in the warning") {
        LssImport im = import_lss_file(shared_lss_dir() + "/lsa_extracted/survey_archive_statCountFunctionsTest/survey_942944.lss");
        REQUIRE(im.ok());
        CHECK(has_warning(im, "statCount", "dropped", "always shown"));
    }
}

// ---------------------------------------------------------------------------------------
// Small hand-written files: both layouts, conditions, texts

namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

std::string section(const std::string& name, const std::vector<Fields>& rows) {
    std::string s = "<" + name + "><fields>";
    if (!rows.empty())
        for (const auto& [k, v] : rows[0]) s += "<fieldname>" + k + "</fieldname>";
    s += "</fields><rows>";
    for (const Fields& r : rows) {
        s += "<row>";
        for (const auto& [k, v] : r) s += "<" + k + "><![CDATA[" + v + "]]></" + k + ">";
        s += "</row>";
    }
    return s + "</rows></" + name + ">";
}

std::string doc(const std::string& body, const std::string& langs = "en") {
    std::string s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<document><LimeSurveyDocType>Survey</LimeSurveyDocType>"
                    "<DBVersion>366</DBVersion><languages>";
    std::istringstream ls(langs);
    std::string l, base, more;
    while (ls >> l) {
        s += "<language>" + l + "</language>";
        if (base.empty()) base = l;
        else more += (more.empty() ? "" : " ") + l;
    }
    s += "</languages>" + body;
    s += section("surveys", {{{"sid", "12345"}, {"language", base}, {"additional_languages", more}, {"shownoanswer", "N"}}});
    return s + "</document>";
}

Fields q_old(const std::string& qid, const std::string& type, const std::string& title, const std::string& text,
             const std::string& rel = "1", const std::string& lang = "en", const std::string& parent = "0") {
    return {{"qid", qid},     {"parent_qid", parent}, {"sid", "12345"}, {"gid", "10"},
            {"type", type},   {"title", title},       {"question", text}, {"help", ""},
            {"other", "N"},   {"mandatory", "N"},     {"question_order", qid}, {"language", lang},
            {"scale_id", "0"}, {"relevance", rel}};
}

Fields a_old(const std::string& qid, const std::string& code, const std::string& text, const std::string& lang = "en") {
    return {{"qid", qid}, {"code", code}, {"answer", text}, {"sortorder", code.substr(1)}, {"language", lang}, {"scale_id", "0"}};
}

std::string group_old(const std::string& lang = "en") {
    return section("groups", {{{"gid", "10"}, {"sid", "12345"}, {"group_name", "Gruppe"}, {"group_order", "0"},
                               {"description", ""}, {"language", lang}}});
}

LssImport import_text(const std::string& xml) { return import_lss(xml, "test.lss"); }

} // namespace

TEST_CASE("lss: HTML texts become readable plain text") {
    CHECK(lss_html_to_text("<p>Hallo&nbsp;<b>Welt</b></p><ul><li>eins</li><li>zwei</li></ul>") ==
          "Hallo Welt\n\n• eins\n• zwei");
    CHECK(lss_html_to_text("Erste Zeile<br />zweite&amp;dritte &auml;&#246;&#xFC; &euro;") ==
          "Erste Zeile\nzweite&dritte äöü €");
    CHECK(lss_html_to_text("<ol><li>A</li><li>B</li></ol>") == "1. A\n2. B");
    CHECK(lss_html_to_text("<script>alert(1)</script><style>p{}</style>  sichtbar  ") == "sichtbar");
    CHECK(lss_html_to_text("a < b &unknown; c") == "a < b &unknown; c");
    CHECK(lss_html_to_text("<div>x</div><div>y</div>") == "x\ny");
    CHECK(lss_html_to_text("<img alt=\"Logo\" src=\"x.png\">") == "Logo");
}

TEST_CASE("lss: texts with {expressions} never show them raw") {
    std::string xml = doc(group_old() +
                          section("questions", {q_old("1", "S", "Q1", "Name?"),
                                                q_old("2", "S", "Q2", "<p>Hallo {Q1}, wie {if(Q1,'a','b')} geht's?</p>")}));
    LssImport im = import_text(xml);
    REQUIRE(im.ok());
    const Question* q2 = im.survey->find_question("Q2");
    REQUIRE(q2);
    std::string t = q2->text.by_lang.at("en");
    // Kept as engine piping (translated: single quotes become the engine's double quotes) ...
    CHECK(t == "Hallo {Q1}, wie {if(Q1, \"a\", \"b\")} geht's?");
    CHECK_FALSE(has_warning(im, "Q2", "{Q1}"));
    // ... and what cannot be translated is replaced, with a warning naming question and reason.
    std::string xml2 = doc(group_old() +
                           section("questions", {q_old("1", "S", "Q1", "Name?"),
                                                 q_old("2", "S", "Q2", "<p>Hallo {Q1.jsName}, {Q3} und {TOKEN:FIRSTNAME}</p>"),
                                                 q_old("3", "S", "Q3", "Wie?")}));
    LssImport im2 = import_text(xml2);
    REQUIRE(im2.ok());
    CHECK(im2.survey->find_question("Q2")->text.by_lang.at("en") == "Hallo …, … und …");
    CHECK(has_warning(im2, "Q2:", "{Q1.jsName}", ".jsName"));
    CHECK(has_warning(im2, "Q2:", "{Q3}", "does not come before"));
    CHECK(has_warning(im2, "Q2:", "{TOKEN:FIRSTNAME}", "participant data"));
}

TEST_CASE("lss: old-style conditions: scenarios, same field or, fields and; they win over relevance") {
    auto cond = [](const std::string& cid, const std::string& field, const std::string& method, const std::string& v,
                   const std::string& scenario) {
        return Fields{{"cid", cid}, {"qid", "3"}, {"cqid", "x"}, {"cfieldname", field},
                      {"method", method}, {"value", v}, {"scenario", scenario}};
    };
    std::string xml = doc(group_old() +
                          section("questions", {q_old("1", "L", "Q1", "Farbe?"), q_old("2", "N", "Q2", "Alter?"),
                                                q_old("3", "S", "Q3", "Warum?", "Q1 == \"A4\"")}) +
                          section("answers", {a_old("1", "A1", "rot"), a_old("1", "A2", "grün"), a_old("1", "A3", "blau"), a_old("1", "A4", "gelb")}) +
                          section("conditions", {cond("1", "12345X10X1", "==", "A1", "1"),
                                                 cond("2", "12345X10X1", "==", "A2", "1"),
                                                 cond("3", "12345X10X2", ">=", "18", "1"),
                                                 cond("4", "12345X10X1", "==", "A3", "2")}));
    LssImport im = import_text(xml);
    REQUIRE_MESSAGE(im.ok(), im.error);
    auto s = loaded(im);
    Session ss(s, "en", 0);
    // (Q1 == A1 or Q1 == A2) and Q2 >= 18   or   Q1 == A3
    CHECK_FALSE(visible(ss, "Q3"));
    set(ss, "Q1", value("A1"));
    CHECK_FALSE(visible(ss, "Q3"));
    set(ss, "Q2", value("20"));
    CHECK(visible(ss, "Q3"));
    set(ss, "Q1", value("A2"));
    CHECK(visible(ss, "Q3"));
    set(ss, "Q2", value("9"));
    CHECK_FALSE(visible(ss, "Q3"));
    set(ss, "Q1", value("A3"));
    CHECK(visible(ss, "Q3"));
    set(ss, "Q1", value("A4")); // the relevance would say yes, the conditions say no
    CHECK_FALSE(visible(ss, "Q3"));
}

TEST_CASE("lss: relevance translation: SGQA names, that., keywords; unsupported parts are warned about") {
    std::string xml = doc(group_old() +
                          section("questions", {q_old("1", "N", "Q1", "Zahl?"),
                                                q_old("2", "S", "Q2", "a", "12345X10X1.NAOK gt 3 and not is_empty(that.Q1)"),
                                                q_old("3", "S", "Q3", "b", "floor(Q1) > 2"),
                                                q_old("4", "S", "Q4", "c", "Q1 * 2 > 3"),
                                                q_old("5", "S", "Q5", "d", "Q6 == 1"),
                                                q_old("6", "S", "Q6", "e", "{Q1 == 5}")}));
    LssImport im = import_text(xml);
    REQUIRE_MESSAGE(im.ok(), im.error);
    // floor() is one of the engine's functions now: translated as written.
    CHECK(im.survey->find_question("Q3")->condition_src == "floor(Q1) > 2");
    // '*' follows the engine: refused while the engine lacks it, translated once it has it.
    if (parse_expression("2 * 1").expr) CHECK(im.survey->find_question("Q4")->condition_src == "Q1 * 2 > 3");
    else CHECK(has_warning(im, "Q4:", "'*'", "always shown"));
    CHECK(has_warning(im, "Q5:", "Q6", "does not come before"));
    auto s = loaded(im);
    Session ss(s, "en", 0);
    CHECK_FALSE(visible(ss, "Q2"));
    CHECK_FALSE(visible(ss, "Q6"));
    CHECK_FALSE(visible(ss, "Q3")); // floor("") is 0
    set(ss, "Q1", value("5"));
    CHECK(visible(ss, "Q2"));
    CHECK(visible(ss, "Q3"));
    CHECK(visible(ss, "Q6"));
    set(ss, "Q1", value("3"));
    CHECK_FALSE(visible(ss, "Q2"));
}

TEST_CASE("lss: new layout with l10n sections and translations") {
    std::string body =
        section("answers", {{{"aid", "7"}, {"qid", "1"}, {"code", "A1"}, {"sortorder", "2"}, {"scale_id", "0"}},
                            {{"aid", "8"}, {"qid", "1"}, {"code", "B2"}, {"sortorder", "1"}, {"scale_id", "0"}}}) +
        section("answer_l10ns", {{{"id", "1"}, {"aid", "7"}, {"answer", "ja"}, {"language", "de"}},
                                 {{"id", "2"}, {"aid", "7"}, {"answer", "yes"}, {"language", "en"}},
                                 {{"id", "3"}, {"aid", "8"}, {"answer", "<b>nein</b>"}, {"language", "de"}}}) +
        section("groups", {{{"gid", "10"}, {"sid", "12345"}, {"group_order", "1"}, {"grelevance", ""}}}) +
        section("group_l10ns", {{{"id", "1"}, {"gid", "10"}, {"group_name", "Teil A"}, {"language", "de"}},
                                {{"id", "2"}, {"gid", "10"}, {"group_name", "Part A"}, {"language", "en"}}}) +
        section("questions", {{{"qid", "1"}, {"parent_qid", "0"}, {"sid", "12345"}, {"gid", "10"}, {"type", "L"},
                               {"title", "F1"}, {"other", "Y"}, {"mandatory", "Y"}, {"question_order", "1"},
                               {"scale_id", "0"}, {"relevance", "1"}}}) +
        section("question_l10ns", {{{"id", "1"}, {"qid", "1"}, {"question", "Frage?"}, {"help", ""}, {"language", "de"}},
                                   {{"id", "2"}, {"qid", "1"}, {"question", "Question?"}, {"help", ""}, {"language", "en"}}}) +
        section("question_attributes", {{{"qid", "1"}, {"attribute", "other_replace_text"}, {"value", "Sonstiges"}, {"language", "de"}}});
    LssImport im = import_text(doc(body, "de en"));
    REQUIRE_MESSAGE(im.ok(), im.error);
    auto s = loaded(im);
    const Question* q = s->find_question("F1");
    REQUIRE(q);
    CHECK(q->mandatory);
    CHECK(q->other);
    CHECK(q->other_label.by_lang.at("de") == "Sonstiges");
    REQUIRE(q->options.size() == 2);
    CHECK(q->options[0].code == "B2"); // sortorder, not file order
    CHECK(q->options[0].text.by_lang.at("de") == "nein");
    CHECK(q->options[0].text.by_lang.at("en") == "nein"); // untranslated: base language text
    CHECK(q->options[1].text.by_lang.at("en") == "yes");
    CHECK(s->groups[0].title.by_lang.at("en") == "Part A");
    CHECK(has_warning(im, "language 'en'", "not translated"));
}

TEST_CASE("lss: malformed, truncated and unknown-layout inputs give clear errors") {
    std::string good = read_all(shared_lss_dir() + "/limesurvey_survey_OldCodes.lss");
    REQUIRE(good.size() > 1000);
    LssImport cut = import_lss(good.substr(0, good.size() / 2), "cut.lss");
    CHECK_FALSE(cut.ok());
    CHECK(cut.error.find("cut.lss: line ") == 0);
    CHECK(cut.error.find("truncated") != std::string::npos);

    LssImport junk = import_lss("this is not xml", "junk.lss");
    CHECK_FALSE(junk.ok());
    CHECK(junk.error.find("junk.lss") == 0);
    CHECK(junk.error.find("not XML") != std::string::npos);

    LssImport empty = import_lss("", "empty.lss");
    CHECK_FALSE(empty.ok());
    CHECK(empty.error.find("empty") != std::string::npos);

    LssImport other_root = import_lss("<survey><x/></survey>", "o.lss");
    CHECK_FALSE(other_root.ok());
    CHECK(other_root.error.find("unknown layout") != std::string::npos);

    LssImport resp = import_lss_file(shared_lss_dir() + "/lsa_extracted/survey_archive_statCountFunctionsTest/survey_942944_responses.lsr");
    CHECK_FALSE(resp.ok());
    CHECK(resp.error.find("'Responses'") != std::string::npos);

    LssImport no_groups = import_lss("<document><LimeSurveyDocType>Survey</LimeSurveyDocType></document>", "n.lss");
    CHECK_FALSE(no_groups.ok());
    CHECK(no_groups.error.find("unknown layout") != std::string::npos);

    // Groups and questions without texts and without l10n sections: neither layout.
    std::string odd = "<document><LimeSurveyDocType>Survey</LimeSurveyDocType><languages><language>en</language></languages>" +
                      section("groups", {{{"gid", "1"}}}) + section("questions", {{{"qid", "1"}, {"gid", "1"}}}) + "</document>";
    LssImport none = import_lss(odd, "odd.lss");
    CHECK_FALSE(none.ok());
    CHECK(none.error.find("unknown layout") != std::string::npos);

    LssImport missing = import_lss_file("/nonexistent/file.lss");
    CHECK_FALSE(missing.ok());
    CHECK(missing.error.find("cannot open") != std::string::npos);

    LoadResult lr = load_lss("/nonexistent/file.lss");
    CHECK_FALSE(lr.ok());
    CHECK_FALSE(lr.errors.empty());
}

// ---------------------------------------------------------------------------------------
// Responses

TEST_CASE("lss: .lsr responses read and export back as VV rows with the same values") {
    const std::set<std::string> meta = {"id", "token", "submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp",
                                        "ipaddr", "refurl"};
    size_t files = 0, rows = 0, values = 0, nulls = 0;
    for (const std::string& path : files_with_ext(".lsr")) {
        CAPTURE(path);
        LsResponsesRead r = read_lsr_file(path);
        REQUIRE_MESSAGE(r.ok(), r.error);
        files++;

        // Independent count of rows and present values with XPath.
        pugi::xml_document doc;
        REQUIRE(doc.load_file(path.c_str()));
        size_t xml_rows = doc.select_nodes("/document/responses/rows/row").size();
        size_t xml_values = doc.select_nodes("/document/responses/rows/row/*").size();
        CHECK(r.data.rows.size() == xml_rows);
        size_t present = 0;
        for (const auto& row : r.data.rows)
            for (const LsValue& v : row) present += v.has_value();
        CHECK(present == xml_values);

        // The structure file next to it names every answer column the same way.
        std::string dir = fs::path(path).parent_path().string();
        std::string lss;
        for (const auto& e : fs::directory_iterator(dir))
            if (e.path().extension() == ".lss") lss = e.path().string();
        REQUIRE(!lss.empty());
        LssImport im = import_lss_file(lss);
        REQUIRE(im.ok());
        std::set<std::string> cols;
        for (const LssColumn& c : im.columns) cols.insert(c.sgqa);
        for (const std::string& f : r.data.fields)
            if (!meta.count(f)) CHECK_MESSAGE(cols.count(f), f);

        r.data.labels = vv_labels(r.data.fields, im);
        std::string vv = export_vv(r.data);
        LsResponsesRead back = parse_vv(vv, "back.vv");
        REQUIRE_MESSAGE(back.ok(), back.error);
        CHECK(back.data.fields == r.data.fields);
        CHECK(back.data.labels == r.data.labels);
        REQUIRE(back.data.rows.size() == r.data.rows.size());
        for (size_t i = 0; i < r.data.rows.size(); i++)
            for (size_t k = 0; k < r.data.fields.size(); k++) {
                CAPTURE(r.data.fields[k]);
                const LsValue& a = r.data.rows[i][k];
                const LsValue& b = back.data.rows[i][k];
                if (r.data.fields[k] == "submitdate" && a && a->empty()) { CHECK_FALSE(b); continue; }
                CHECK(a.has_value() == b.has_value());
                if (a && b) CHECK(*a == *b);
                rows += k == 0;
                values += a.has_value();
                nulls += !a.has_value();
            }
        // Line 1 names the question for an answer column.
        for (size_t k = 0; k < r.data.fields.size(); k++)
            if (!meta.count(r.data.fields[k])) CHECK(r.data.labels[k] != r.data.fields[k]);
    }
    CHECK(files == 2);
    MESSAGE("VV round trip: " << rows << " responses, " << values << " values, " << nulls << " NULLs");
    CHECK(nulls > 0);
}

TEST_CASE("lss: VV cells use LimeSurvey's escapes") {
    CHECK(vv_escape(std::nullopt) == "{question_not_shown}");
    CHECK(vv_escape(std::string("")) == "");
    CHECK(vv_escape(std::string("a{b}\tc\nd\re")) == "a{lbrace}b}{tab}c{newline}d{cr}e");
    CHECK(vv_escape(std::string("\"zitiert\"")) == "{quote}zitiert\"");
    CHECK(vv_escape(std::string("  x  ")) == "x"); // LimeSurvey trims
    for (std::string v : {"", "{lbrace}", "\"a\" b", "x\ty\nz{", "{quote}", "{question_not_shown} "}) {
        CAPTURE(v);
        LsValue back = vv_unescape(vv_escape(v));
        REQUIRE(back);
        std::string t = v;
        while (!t.empty() && t.back() == ' ') t.pop_back();
        CHECK(*back == t);
    }
    LsResponses d;
    d.fields = {"id", "1X2X3"};
    d.rows = {{std::string("1"), std::string("zwei Wörter \"hier\"")}, {std::string("2"), std::nullopt}};
    std::string vv = export_vv(d);
    CHECK(vv == "id\t1X2X3\nid\t1X2X3\n1\t\"zwei Wörter \"\"hier\"\"\"\n2\t{question_not_shown}\n");
    LsResponsesRead back = parse_vv(vv, "x.vv");
    REQUIRE(back.ok());
    CHECK(back.data.rows == d.rows);
    CHECK_FALSE(parse_vv("only one line\n", "y.vv").ok());
    CHECK_FALSE(parse_vv("a\tb\na\tb\n1\n", "z.vv").ok()); // wrong number of cells
    CHECK_FALSE(parse_lsr("<document><LimeSurveyDocType>Survey</LimeSurveyDocType></document>", "s.lsr").ok());
    CHECK_FALSE(parse_lsr("<document><LimeSurveyDocType>Resp", "t.lsr").ok());
}

TEST_CASE("lss: kiosk responses export as VV rows under the LimeSurvey survey's column names") {
    // The engine-side names (from the survey JSON alone) are the LimeSurvey names the
    // importer derived from the .lss: the codes survive the round trip through the kiosk.
    for (const std::string& path : files_with_ext(".lss")) {
        CAPTURE(path);
        LssImport im = import_lss_file(path);
        REQUIRE(im.ok());
        auto s = loaded(im);
        std::set<std::string> from_import, from_survey;
        for (const LssColumn& c : im.columns) from_import.insert(c.qcode);
        for (const VvColumn& c : vv_columns(*s)) from_survey.insert(c.code);
        CHECK(from_import == from_survey);
    }

    auto s = load_shared("colors.lss");
    Session ss(s, "en", 1764086400); // 2025-11-25 16:00:00 UTC
    set(ss, "Q00", values({"SQ009", "SQ011"}));
    set(ss, "G01Q02", value("dunkel\tund {warm}"));
    std::vector<Response> rs = {ss.finish(true, 1764086460, kChannelKiosk, "Bibliothek")};
    LsResponses d = responses_to_vv(*s, rs);
    LsResponsesRead back = parse_vv(export_vv(d), "kiosk.vv");
    REQUIRE_MESSAGE(back.ok(), back.error);
    REQUIRE(back.data.rows.size() == 1);
    std::map<std::string, LsValue> row;
    for (size_t i = 0; i < back.data.fields.size(); i++) row[back.data.fields[i]] = back.data.rows[0][i];
    CHECK(row.at("Q00_SQ009") == LsValue("Y"));
    CHECK(row.at("Q00_SQ011") == LsValue("Y"));
    CHECK(row.at("Q00_SQ001") == LsValue(""));
    CHECK(row.at("G01Q02") == LsValue("dunkel\tund {warm}"));
    CHECK_FALSE(row.at("G01Q03").has_value()); // hidden by its condition: NULL
    CHECK(row.at("submitdate") == LsValue("2025-11-25 16:01:00"));
    CHECK(row.at("startlanguage") == LsValue("en"));
    CHECK(back.data.labels[0] == "id");

    // A partial response has no submitdate.
    std::vector<Response> partial = {ss.finish(false, 1764086460, kChannelKiosk, "Bibliothek")};
    LsResponses p = responses_to_vv(*s, partial);
    CHECK_FALSE(p.rows.at(0).at(1).has_value());
}

TEST_CASE("lss: piping, equations, defaults and validation are mapped") {
    auto at = [](const std::string& qid, const std::string& name, const std::string& v, const std::string& lang = "") {
        return Fields{{"qid", qid}, {"attribute", name}, {"value", v}, {"language", lang}};
    };
    auto dv = [](const std::string& qid, const std::string& sqid, const std::string& v, const std::string& special = "") {
        return Fields{{"qid", qid}, {"scale_id", "0"}, {"sqid", sqid}, {"language", "en"}, {"specialtype", special},
                      {"defaultvalue", v}};
    };
    std::string xml = doc(
        group_old() +
        section("questions",
                {q_old("1", "N", "W", "Gewicht?"), q_old("2", "S", "Hi", "Sie wiegen {INSERTANS:12345X10X1}, doppelt {W * 2}."),
                 q_old("3", "*", "EQ", "Doppelt: {W * 2}"), q_old("4", "*", "EQH", "x"), q_old("5", "*", "EQBAD", "{W.jsName}"),
                 q_old("6", "N", "MORE", "Mehr?"), q_old("7", "K", "HRS", "Stunden?"),
                 q_old("71", "T", "a", "Arbeit", "1", "en", "7"), q_old("72", "T", "b", "Schlaf", "1", "en", "7"),
                 q_old("8", "L", "COL", "Farbe?"), q_old("9", "N", "BADV", "Zahl?"), q_old("10", "*", "EQE", "")}) +
        section("answers", {a_old("8", "A1", "rot"), a_old("8", "A2", "blau")}) +
        section("question_attributes",
                {at("4", "equation", "{W + 1}"), at("4", "hidden", "1"), at("10", "equation", "{W}"),
                 at("6", "em_validation_q", "MORE > W"), at("6", "em_validation_q_tip", "Mehr als {W}!", "en"),
                 at("7", "em_validation_q", "sum(HRS_a, HRS_b) <= 24"),
                 at("7", "em_validation_q_tip", "Zusammen höchstens 24.", "en"),
                 at("7", "em_validation_sq", "this <= 16"), at("7", "em_validation_sq_tip", "Höchstens 16.", "en"),
                 at("9", "em_validation_q", "BADV.jsName > 1")}) +
        section("defaultvalues", {dv("6", "0", "{W + 10}"), dv("7", "71", "8"), dv("8", "0", "A2"),
                                  dv("8", "0", "Grün", "other")}));
    LssImport im = import_text(xml);
    REQUIRE_MESSAGE(im.ok(), im.error);
    const Survey& sv = *im.survey;
    // 1. piping: {INSERTANS:SGQA} -> {CODE.shown}, any translatable {expr} kept
    CHECK(sv.find_question("Hi")->text.by_lang.at("en") == "Sie wiegen {W.shown}, doppelt {W * 2}.");
    // 2. equations: the text when the attribute is empty (shown), the attribute otherwise (hidden=1)
    const Question* eq = sv.find_question("EQ");
    REQUIRE(eq);
    CHECK(eq->type == QuestionType::Equation);
    CHECK(eq->equation == "Doppelt: {W * 2}");
    CHECK(eq->show_text);
    const Question* eqh = sv.find_question("EQH");
    REQUIRE(eqh);
    CHECK(eqh->equation == "{W + 1}");
    CHECK_FALSE(eqh->show_text);
    // no text: nothing to show, and none made up
    const Question* eqe = sv.find_question("EQE");
    REQUIRE(eqe);
    CHECK(eqe->equation == "{W}");
    CHECK_FALSE(eqe->show_text);
    CHECK_FALSE(has_warning(im, "EQE:", "has no text"));
    CHECK(sv.find_question("EQBAD") == nullptr);
    CHECK(has_warning(im, "EQBAD:", "cannot be computed", ".jsName"));
    // 3. defaults: expression, subquestion cell, option code; "other" text left out with a warning
    CHECK(sv.find_question("MORE")->default_src == "{W + 10}");
    CHECK(sv.find_question("HRS")->default_answer.cells == std::map<std::string, std::string>{{"a", "8"}});
    CHECK(sv.find_question("COL")->default_answer.value == "A2");
    CHECK(has_warning(im, "COL:", "Grün", "left out"));
    // 4. validation and its tips
    const Question* more = sv.find_question("MORE");
    CHECK(more->validation_src == "MORE > W");
    CHECK(more->validation_tip.by_lang.at("en") == "Mehr als {W}!");
    const Question* hrs = sv.find_question("HRS");
    CHECK(hrs->validation_src == "sum(HRS_a, HRS_b) <= 24");
    CHECK(hrs->row_validation_src == "this <= 16");
    CHECK(hrs->row_validation_tip.by_lang.at("en") == "Höchstens 16.");
    CHECK(sv.find_question("BADV")->validation_src.empty());
    CHECK(has_warning(im, "BADV:", "em_validation_q", "not enforced"));
    for (const std::string& w : im.warnings) CHECK_MESSAGE(w.find("refused by the survey check") == std::string::npos, w);

    // The imported survey loads, and the session computes, prefills and validates with it.
    auto s = loaded(im);
    REQUIRE(s);
    Session ss(s, "en", 0);
    set(ss, "W", value("70"));
    CHECK(ss.text(s->find_question("Hi")->text) == "Sie wiegen 70, doppelt 140.");
    CHECK(ss.equation_value(*s->find_question("EQ")) == "Doppelt: 140");
    CHECK(ss.equation_value(*s->find_question("EQH")) == "71");
    set(ss, "MORE", value("60"));
    AnswerProblem p = ss.validate(*s->find_question("MORE"));
    CHECK(p.kind == AnswerProblem::Invalid);
    CHECK(p.tip == "Mehr als 70!");
    set(ss, "MORE", value("80"));
    CHECK(ss.validate(*s->find_question("MORE")).kind == AnswerProblem::None);
    set(ss, "HRS", cells({{"a", "17"}, {"b", "2"}}));
    p = ss.validate(*s->find_question("HRS"));
    CHECK(p.kind == AnswerProblem::Invalid);
    CHECK(p.tip == "Höchstens 16.");
    set(ss, "HRS", cells({{"a", "16"}, {"b", "10"}}));
    p = ss.validate(*s->find_question("HRS"));
    CHECK(p.kind == AnswerProblem::Invalid);
    CHECK(p.tip == "Zusammen höchstens 24.");
}
