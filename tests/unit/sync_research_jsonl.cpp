// sync_research_jsonl.cpp - responses.jsonl, the decrypted responses file: round trip, bare
// responses, errors with line and JSON path.
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

TEST_CASE("jsonl: responses.jsonl round trip, bare responses, and errors with line and JSON path") {
    ResearchKeys k;
    Device d;
    DecryptResult r = decrypt_records(sealed_chain(k.key, d, 3), k.key, "test");
    REQUIRE(r.responses.size() == 3);
    std::string text;
    for (const DecryptedResponse& x : r.responses) text += responses_jsonl_line(x) + "\n";
    text += serialize_response(sample_response(7)) + "\r\n";                     // line 4: a bare response
    text += "\n";                                                                // line 5: blank
    text += "{\"record\":\"x\"}\n";                                              // line 6
    text += "not json\n";                                                        // line 7
    std::string bad = responses_jsonl_line(r.responses[0]);
    bad.replace(bad.find("\"value\":\"1\""), 11, "\"value\":1");                 // line 8
    text += bad + "\n";
    JsonlRead jr = parse_responses_jsonl(text, "in.jsonl");
    REQUIRE(jr.responses.size() == 4);
    for (size_t i = 0; i < 3; i++) {
        CHECK(jr.responses[i].response == r.responses[i].response);
        CHECK(jr.responses[i].record_id == r.responses[i].record_id);
        CHECK(jr.responses[i].seq == r.responses[i].seq);
        CHECK(jr.responses[i].meta.time == r.responses[i].meta.time);
        CHECK(jr.responses[i].meta.site == r.responses[i].meta.site);
    }
    CHECK(jr.responses[3].record_id == "line-4");
    CHECK(jr.responses[3].response == sample_response(7));
    REQUIRE(jr.errors.size() == 3);
    CHECK(jr.errors[0].rfind("in.jsonl: line 6: ", 0) == 0);
    CHECK(jr.errors[1] == "in.jsonl: line 7: not a JSON object");
    CHECK(jr.errors[2].rfind("in.jsonl: line 8: /response/answers/C1/value", 0) == 0);
}
