// sync_research_csv.cpp - the CSV export: headings and values for every question type, RFC 4180.
#include <doctest/doctest.h>
#include <sodium.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>

#include "files.h"
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
        "id,channel,site,event,language,started,finished,complete,"
        "S1,S1[other],S1[comment],M1[a],M1[b],M1[other],T1,L1,N1,Y1,R1,"
        "X1[SQ001],X1[SQ002],X2[SQ001][1],X2[SQ001][2],X3[r1_w],X3[r2_w],RK[1],RK[2],RL[1],RL[2],"
        "MT[tel],MT[ort],MN[k],MN[e],DT,H1\r\n"
        "3f9a1c0d2b7e4a55-000042,paper,\"Bibliothek, Erdgeschoss\",\"Fest \"\"2026\"\"\",de,2025-11-25T15:03:00Z,"
        "2025-11-25T15:08:00Z,Y,"
        "-oth-,im Park,\"Zeile 1\nZeile 2\",N,Y,Rad,\" Anna \",,42.5,Y,KA,"
        ",1,2,g,3,0,h,z,Busse,,,Köln,2,1,,NA\r\n"
        "3f9a1c0d2b7e4a55-000043,kiosk,Bibliothek,,en,2025-11-25T15:03:00Z,,N,"
        ",,,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA\r\n";
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

TEST_CASE("csv: RFC 4180 fields") {
    CHECK(csv_field("plain", ',') == "plain");
    CHECK(csv_field("a,b", ',') == "\"a,b\"");
    CHECK(csv_field("a,b", ';') == "a,b");
    CHECK(csv_field("say \"hi\"", ',') == "\"say \"\"hi\"\"\"");
    CHECK(csv_field("two\r\nlines", ',') == "\"two\r\nlines\"");
    CHECK(csv_field("", ',') == "");
}
