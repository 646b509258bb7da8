// sync_research_vv.cpp - the VV export (LimeSurvey's import format) of decrypted responses.
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

TEST_CASE("vv: VV export of decrypted responses reads back through parse_vv") {
    auto s = all_types_survey();
    DecryptedResponse d = all_types_response(*s);
    std::vector<Response> plain = {d.response};
    LsResponses vv = responses_to_vv(*s, plain);
    std::string text = export_vv(vv);
    LsResponsesRead back = parse_vv(text, "x.vv");
    REQUIRE_MESSAGE(back.ok(), back.error);
    CHECK(back.data.fields == vv.fields);
    REQUIRE(back.data.rows.size() == 1);
    // LimeSurvey's writer trims every cell; apart from that the rows come back as written.
    std::vector<LsValue> trimmed = vv.rows[0];
    for (LsValue& v : trimmed)
        if (v) {
            size_t a = v->find_first_not_of(' '), b = v->find_last_not_of(' ');
            *v = a == std::string::npos ? std::string() : v->substr(a, b - a + 1);
        }
    CHECK(back.data.rows[0] == trimmed);
    auto col = [&](const std::string& name) -> LsValue {
        auto it = std::find(back.data.fields.begin(), back.data.fields.end(), name);
        REQUIRE(it != back.data.fields.end());
        return back.data.rows[0][size_t(it - back.data.fields.begin())];
    };
    CHECK(col("S1") == LsValue("-oth-"));
    CHECK(col("S1_comment") == LsValue("Zeile 1\nZeile 2")); // {newline} escape undone
    CHECK(col("M1_b") == LsValue("Y"));
    CHECK(col("X2_SQ001_1") == LsValue("g"));
    CHECK(col("H1") == std::nullopt);                        // not shown: NULL
    CHECK(col("L1") == LsValue(""));                         // skipped: empty
    CHECK(col("T1") == LsValue("Anna"));
}
