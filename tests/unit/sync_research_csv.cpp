// sync_research_csv.cpp - the CSV export: headings and values for every question type, RFC 4180.
#include <doctest/doctest.h>
#include <sodium.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>

#include "files.h"
#include "text.h"
#include "bundle.h"
#include "export_csv.h"
#include "keys.h"
#include "lss_responses.h"
#include "record.h"
#include "report.h"
#include "research.h"
#include "server_store.h"
#include "sync_testutil.h"
#include "sync_research_util.h"

using namespace tk;
using namespace tk::test;

TEST_CASE("csv: CSV headings and values for every question type") {
    auto s = all_types_survey();
    std::vector<DecryptedResponse> rs = {all_types_response(*s)};
    // A partial response that stopped after S1 (skipped): everything later was never reached.
    DecryptedResponse p;
    p.record_id = "3f9a1c0d2b7e4a55-000043";
    p.response.survey_id = s->id;
    p.response.language = "en";
    p.response.site = "Bibliothek";
    p.response.started = 1764082980;
    p.response.complete = false;
    p.response.skipped = {"S1"};
    rs.push_back(p);

    std::string csv = export_csv(*s, rs, CsvOptions{});
    std::string expected =
        "id,channel,site,event,language,started,finished,complete,sheet,interviewer,enterer1,enterer2,resolver,"
        "S1,S1[other],S1[comment],M1[a],M1[b],M1[other],T1,L1,N1,Y1,R1,"
        "X1[SQ001],X1[SQ002],X2[SQ001][1],X2[SQ001][2],X3[r1_w],X3[r2_w],RK[1],RK[2],RL[1],RL[2],"
        "MT[tel],MT[ort],MN[k],MN[e],DT,H1\r\n"
        "3f9a1c0d2b7e4a55-000042,paper,\"Bibliothek, Erdgeschoss\",\"Fest \"\"2026\"\"\",de,2025-11-25T15:03:00Z,"
        "2025-11-25T15:08:00Z,Y,,,,,,"
        "-oth-,im Park,\"Zeile 1\nZeile 2\",N,Y,Rad,\" Anna \",,42.5,Y,KA,"
        ",1,2,g,3,0,h,z,Busse,,,Köln,2,1,,NA\r\n"
        "3f9a1c0d2b7e4a55-000043,kiosk,Bibliothek,,en,2025-11-25T15:03:00Z,,N,,,,,,"
        // A partial response: S1 skipped, the rest not reached (NR), not "not shown" (NA).
        ",,,NR,NR,NR,NR,NR,NR,NR,NR,NR,NR,NR,NR,NR,NR,NR,NR,NR,NR,NR,NR,NR,NR,NR,NR\r\n";
    CHECK(csv == expected);

    SUBCASE("options: BOM, semicolon, own codes") {
        CsvOptions o;
        o.bom = true;
        o.separator = ';';
        o.skipped = "-77";
        o.not_shown = "-99";
        o.no_answer = "-66";
        std::string c = export_csv(*s, {rs[0]}, o);
        CHECK(c.rfind("\xEF\xBB\xBFid;channel;site;", 0) == 0);
        CHECK(c.find(";Bibliothek, Erdgeschoss;") != std::string::npos); // a comma needs no quotes now
        CHECK(c.find(";\" Anna \";-77;42.5;Y;-66;-77;1;") != std::string::npos);
        CHECK(c.find(";-99\r\n") != std::string::npos);
    }
    SUBCASE("a ranked list without a limit gets as many columns as the longest answer") {
        std::string text = kAllTypes;
        text.replace(text.find("\"max_answers\": 2},"), 18, "\"max_answers\": 0},");
        LoadResult lr = parse_survey(text, "x.json");
        REQUIRE(lr.ok());
        DecryptedResponse d = all_types_response(*lr.survey);
        d.response.answers["RL"].values = {"a", "b", "c", "d"};
        std::string c = export_csv(*lr.survey, {d}, CsvOptions{});
        CHECK(c.find("RL[1],RL[2],RL[3],RL[4],MT[tel]") != std::string::npos);
        CHECK(c.find(",a,b,c,d,") != std::string::npos);
    }
}

// all_types_response without the fields that need quotes (a line break, a comma, quotes), so
// that the rows below can be split on the separator.
static DecryptedResponse plain_response(const Survey& s) {
    DecryptedResponse d = all_types_response(s);
    d.response.site = "Bibliothek";
    d.response.event = "";
    d.response.answers["S1"].comment = "";
    return d;
}

// The cells of `csv` (no quoted separators in these tests) by heading, for row `row` (1 = first).
static std::map<std::string, std::string> row_cells(const std::string& csv, size_t row, char sep = ',') {
    std::vector<std::vector<std::string>> rows;
    for (const std::string& line : split_tokens(csv, "\r\n")) {
        std::vector<std::string> cells(1);
        for (char ch : line) {
            if (ch == sep) cells.emplace_back();
            else cells.back() += ch;
        }
        rows.push_back(cells);
    }
    std::map<std::string, std::string> out;
    REQUIRE(rows.size() > row);
    REQUIRE(rows[0].size() == rows[row].size());
    for (size_t i = 0; i < rows[0].size(); i++) out[rows[0][i]] = rows[row][i];
    return out;
}

TEST_CASE("csv: the paper sheet id, interviewer and enterers have columns, empty for kiosk records") {
    auto s = all_types_survey();
    DecryptedResponse paper = plain_response(*s), assisted = paper, kiosk = paper;
    paper.response.meta = {{"sheet", "AT-7K3F-Q9MC"}, {"enterer1", "mk"}, {"enterer2", "jb"}, {"resolver", "lw"},
                           {"dropped", "H1"}};
    assisted.response.channel = "assisted";
    assisted.response.meta = {{"interviewer", "iv-12"}};
    kiosk.response.channel = "kiosk";
    std::string csv = export_csv(*s, {paper, assisted, kiosk}, CsvOptions{});
    auto p = row_cells(csv, 1), a = row_cells(csv, 2), k = row_cells(csv, 3);
    CHECK(p["sheet"] == "AT-7K3F-Q9MC");
    CHECK(p["enterer1"] == "mk");
    CHECK(p["enterer2"] == "jb");
    CHECK(p["resolver"] == "lw");
    CHECK(p["interviewer"] == "");
    CHECK(a["interviewer"] == "iv-12");
    CHECK(a["sheet"] == "");
    for (const char* c : {"sheet", "interviewer", "enterer1", "enterer2", "resolver"}) CHECK(k[c] == "");
    CHECK(k.count("dropped") == 0);
    CHECK(p["S1"] == "-oth-"); // the answer columns still line up after the new ones
}

TEST_CASE("csv: paper codes -ill- and -mult- are written in every column of the field, as set") {
    auto s = all_types_survey();
    DecryptedResponse d = plain_response(*s);
    Response& r = d.response;
    r.answers["S1"] = Answer{};
    r.answers["S1"].value = kIllegible;
    r.answers["M1"] = Answer{};
    r.answers["M1"].values = {kMultipleMarked, "a"}; // "keine Antwort" crossed beside a box
    r.answers["RK"].values = {kIllegible};
    r.answers["X1"].cells = {{"SQ001", kMultipleMarked}, {"SQ002", "1"}};
    r.answers["N1"].value = kIllegible;

    // Column -> which code it holds: every option column of M1 and every rank of RK carry the
    // field's code, not "Y"/"N" or "skipped", which would claim an answer nobody could read.
    const std::pair<const char*, const char*> expect[] = {{"S1", kIllegible},  {"M1[a]", kMultipleMarked},
                                                          {"M1[b]", kMultipleMarked}, {"RK[1]", kIllegible},
                                                          {"RK[2]", kIllegible}, {"X1[SQ001]", kMultipleMarked},
                                                          {"N1", kIllegible}};
    CsvOptions own;
    own.illegible = "-4";
    own.multiple = "-5";
    auto c = row_cells(export_csv(*s, {d}, CsvOptions{}), 1), o = row_cells(export_csv(*s, {d}, own), 1);
    for (const auto& [col, code] : expect) {
        INFO(col);
        CHECK(c[col] == code);
        CHECK(o[col] == (code == std::string(kIllegible) ? "-4" : "-5"));
    }
    CHECK(c["X1[SQ002]"] == "1");
    CHECK(o["X1[SQ002]"] == "1");
}

TEST_CASE("csv: --excel-de writes ';', a BOM and numeric answers with a decimal comma") {
    auto s = all_types_survey();
    DecryptedResponse d = plain_response(*s);
    d.response.site = "Bibliothek, Erdgeschoss"; // needs no quotes with ';'
    d.response.answers["T1"].value = "Version 2.5";
    d.response.answers["MN"].cells = {{"k", "2.25"}, {"e", "1"}};
    d.response.answers["X3"].cells = {{"r1_w", "3.5"}};
    CsvOptions o;
    set_excel_de(o);
    std::string csv = export_csv(*s, {d}, o);
    REQUIRE(csv.rfind("\xEF\xBB\xBF", 0) == 0);
    auto c = row_cells(csv.substr(3), 1, ';');
    CHECK(c["N1"] == "42,5");
    CHECK(c["MN[k]"] == "2,25");
    CHECK(c["X3[r1_w]"] == "3,5");
    CHECK(c["X3[r2_w]"] == "");        // an empty cell stays the skipped code
    CHECK(c["T1"] == "Version 2.5");   // a text is not a number
    CHECK(c["site"] == "Bibliothek, Erdgeschoss");
    CHECK(c["started"] == "2025-11-25T15:03:00Z");
    // Without the preset, the same numbers keep the point.
    d.response.site = "Bibliothek";
    CHECK(row_cells(export_csv(*s, {d}, CsvOptions{}), 1)["N1"] == "42.5");
}

TEST_CASE("csv: RFC 4180 fields") {
    CHECK(csv_field("plain", ',') == "plain");
    CHECK(csv_field("a,b", ',') == "\"a,b\"");
    CHECK(csv_field("a,b", ';') == "a,b");
    CHECK(csv_field("say \"hi\"", ',') == "\"say \"\"hi\"\"\"");
    CHECK(csv_field("two\r\nlines", ',') == "\"two\r\nlines\"");
    CHECK(csv_field("", ',') == "");
}
