// Tests for the canonical response form (surveys/response.h, surveys/RESPONSE.md).
#include <doctest/doctest.h>

#include <string>

#include "response.h"
#include "sample_response.h"

using namespace tk;

namespace {

Response sample() {
    // Started 2026-11-25T16:03:00Z, finished two minutes later.
    Response r = test::finished_response(1795622580, 120, "bedarfe-akteure", "sha256:00ff");
    Answer a1;
    a1.value = "2";
    r.answers["A1"] = a1;
    Answer c1;
    c1.values = {"1", "3"};
    c1.other = "Bücherei";
    r.answers["C1"] = c1;
    r.skipped = {"B1"};
    r.not_shown = {"C2"};
    return r;
}

// Everything a response can hold, to check the round trip field by field.
Response full() {
    Response r = sample();
    r.channel = kChannelAssisted;
    r.event = "Stadtteilfest 2026";
    r.meta = {{"interviewer", "M. K."}, {"sheet", "17"}};
    r.complete = false;
    Answer m;
    m.cells = {{"SQ001", "A2"}, {"SQ001#1", "B1"}, {"SQ002_C1", "12"}};
    m.comment = "schwer zu sagen";
    r.answers["G1"] = m;
    Answer na;
    na.no_answer = true;
    r.answers["H1"] = na;
    Answer rank;
    rank.values = {"Bus", "WLAN \"überall\"", "Zeile\nzwei"};
    r.answers["D4"] = rank;
    Answer single_other;
    single_other.value = "-oth-";
    single_other.other = "etwas anderes";
    r.answers["E1"] = single_other;
    return r;
}

std::string parse_error(const std::string& json) {
    Response r;
    std::string err;
    CHECK_MESSAGE(!parse_response(json, r, &err), json);
    return err;
}

// The canonical text of sample() with one piece replaced, for the error cases.
std::string sample_with(const std::string& from, const std::string& to) {
    std::string s = serialize_response(sample());
    auto at = s.find(from);
    REQUIRE_MESSAGE(at != std::string::npos, from);
    return s.replace(at, from.size(), to);
}

} // namespace

TEST_CASE("response: canonical bytes of a small response") {
    const std::string want =
        "{\"answers\":{\"A1\":{\"value\":\"2\"},\"C1\":{\"other\":\"Bücherei\",\"values\":[\"1\",\"3\"]}},"
        "\"channel\":\"kiosk\",\"complete\":true,\"event\":\"\",\"finished\":\"2026-11-25T16:05:00Z\","
        "\"format\":\"teilhabe-response/1\",\"language\":\"de\",\"meta\":{},\"not_shown\":[\"C2\"],"
        "\"site\":\"Stadtbibliothek\",\"skipped\":[\"B1\"],\"started\":\"2026-11-25T16:03:00Z\","
        "\"survey_hash\":\"sha256:00ff\",\"survey_id\":\"bedarfe-akteure\",\"survey_version\":\"1.0\"}";
    CHECK(serialize_response(sample()) == want);
}

TEST_CASE("response: round trip keeps every field") {
    Response r = full();
    std::string bytes = serialize_response(r);
    Response back;
    std::string err;
    REQUIRE_MESSAGE(parse_response(bytes, back, &err), err);
    CHECK(back == r);
    CHECK(back.answers.at("H1").no_answer);
    CHECK(back.answers.at("G1").cells.at("SQ001#1") == "B1");
    CHECK(back.answers.at("D4").values[2] == "Zeile\nzwei");
    CHECK(back.meta.at("interviewer") == "M. K.");
    CHECK(back.event == "Stadtteilfest 2026");
    CHECK(back.channel == "assisted");
    CHECK_FALSE(back.complete);
    CHECK(serialize_response(back) == bytes);

    // Only the fields an answer uses are written.
    CHECK(bytes.find("\"H1\":{\"no_answer\":true}") != std::string::npos);
    CHECK(bytes.find("\"E1\":{\"other\":\"etwas anderes\",\"value\":\"-oth-\"}") != std::string::npos);

    // operator== sees every field.
    Response changed = r;
    changed.not_shown.push_back("Z9");
    CHECK_FALSE(changed == r);
    changed = r;
    changed.meta["sheet"] = "18";
    CHECK_FALSE(changed == r);
    changed = r;
    changed.finished++;
    CHECK_FALSE(changed == r);
}

TEST_CASE("response: canonical bytes do not depend on order or formatting") {
    // Built in a different order ...
    Response a = sample();
    Response b;
    b.not_shown = {"C2"};
    b.skipped = {"B1"};
    Answer c1;
    c1.other = "Bücherei";
    c1.values = {"1", "3"};
    b.answers["C1"] = c1;
    Answer a1;
    a1.value = "2";
    b.answers["A1"] = a1;
    b.complete = true;
    b.finished = a.finished;
    b.started = a.started;
    b.site = a.site;
    b.language = a.language;
    b.survey_hash = a.survey_hash;
    b.survey_version = a.survey_version;
    b.survey_id = a.survey_id;
    CHECK(serialize_response(b) == serialize_response(a));

    // ... or read from equivalent JSON with other key order and whitespace.
    const std::string loose = R"({
        "survey_version": "1.0", "survey_id": "bedarfe-akteure", "format": "teilhabe-response/1",
        "started": "2026-11-25T16:03:00Z", "finished": "2026-11-25T16:05:00Z",
        "skipped": ["B1"], "not_shown": ["C2"], "site": "Stadtbibliothek",
        "answers": { "C1": {"values": ["1", "3"], "other": "B\u00fccherei"},
                     "A1": {"value": "2", "comment": ""} },
        "language": "de", "complete": true, "channel": "kiosk", "survey_hash": "sha256:00ff",
        "meta": {}, "event": ""
    })";
    Response c;
    std::string err;
    REQUIRE_MESSAGE(parse_response(loose, c, &err), err);
    CHECK(c == a);
    CHECK(serialize_response(c) == serialize_response(a));
}

TEST_CASE("response: event and meta may be left out") {
    std::string s = serialize_response(sample());
    std::string without = sample_with(",\"event\":\"\"", "");
    without.replace(without.find(",\"meta\":{}"), 10, "");
    Response r;
    std::string err;
    REQUIRE_MESSAGE(parse_response(without, r, &err), err);
    CHECK(serialize_response(r) == s);
}

TEST_CASE("response: parse errors name the JSON path") {
    CHECK(parse_error("").find("not valid JSON: ") == 0);
    CHECK(parse_error("{\"answers\":").find("not valid JSON: ") == 0);
    CHECK(parse_error("[]") == "/: expected a response object");
    CHECK(parse_error(sample_with("teilhabe-response/1", "teilhabe-response/2")) ==
          "/format: unknown format \"teilhabe-response/2\" (expected \"teilhabe-response/1\")");
    CHECK(parse_error(sample_with("\"format\":\"teilhabe-response/1\",", "")) == "/format: missing");
    CHECK(parse_error(sample_with("\"skipped\":[\"B1\"],", "")) == "/skipped: missing");
    CHECK(parse_error(sample_with("\"complete\":true", "\"complete\":1")) == "/complete: expected true or false");
    CHECK(parse_error(sample_with("\"language\":\"de\"", "\"language\":null")) == "/language: expected a string");
    CHECK(parse_error(sample_with("\"channel\":\"kiosk\"", "\"channel\":\"email\"")) ==
          "/channel: unknown channel \"email\"");
    CHECK(parse_error(sample_with("\"meta\":{}", "\"meta\":{\"a/b\":1}")) == "/meta/a~1b: expected a string");
    CHECK(parse_error(sample_with("\"meta\":{}", "\"meta\":[]")) == "/meta: expected an object of strings");
    CHECK(parse_error(sample_with("\"site\"", "\"place\"")) == "/site: missing");
    CHECK(parse_error(sample_with("\"event\":\"\"", "\"event\":\"\",\"extra\":1")) == "/extra: unknown field");
    CHECK(parse_error(sample_with("\"value\":\"2\"", "\"value\":2")) == "/answers/A1/value: expected a string");
    CHECK(parse_error(sample_with("\"values\":[\"1\",\"3\"]", "\"values\":[\"1\",3]")) ==
          "/answers/C1/values/1: expected a string");
    CHECK(parse_error(sample_with("\"values\":[\"1\",\"3\"]", "\"values\":\"1\"")) ==
          "/answers/C1/values: expected an array of strings");
    CHECK(parse_error(sample_with("\"value\":\"2\"", "\"cells\":{\"SQ001\":true}")) ==
          "/answers/A1/cells/SQ001: expected a string");
    CHECK(parse_error(sample_with("\"value\":\"2\"", "\"value\":\"2\",\"no_answer\":\"yes\"")) ==
          "/answers/A1/no_answer: expected true or false");
    CHECK(parse_error(sample_with("\"value\":\"2\"", "\"value\":\"2\",\"no_answer\":true")) ==
          "/answers/A1: \"no_answer\" excludes every other field");
    CHECK(parse_error(sample_with("\"value\":\"2\"", "\"valeu\":\"2\"")) == "/answers/A1/valeu: unknown answer field");
    CHECK(parse_error(sample_with("{\"value\":\"2\"}", "\"2\"")) == "/answers/A1: expected an answer object");
    CHECK(parse_error(sample_with("\"answers\":{", "\"answers\":{\"\":{},")) == "/answers: empty question code");
    CHECK(parse_error(sample_with("\"started\":\"2026-11-25T16:03:00Z\"", "\"started\":1795622580")) ==
          "/started: expected a string");
    CHECK(parse_error(sample_with("2026-11-25T16:03:00Z", "2026-02-29T16:03:00Z")) ==
          "/started: expected a UTC time like \"2026-11-25T16:03:00Z\", got \"2026-02-29T16:03:00Z\"");
    CHECK(parse_error(sample_with("2026-11-25T16:05:00Z", "2026-11-25 16:05:00")).find("/finished: expected a UTC time") == 0);
    CHECK(parse_error(sample_with("2026-11-25T16:05:00Z", "2026-11-25T24:00:00Z")).find("/finished: expected a UTC time") == 0);
    CHECK(parse_error(sample_with("\"skipped\":[\"B1\"]", "\"skipped\":[\"A1\"]")) ==
          "/skipped/0: question \"A1\" is also listed in /answers");
    CHECK(parse_error(sample_with("\"not_shown\":[\"C2\"]", "\"not_shown\":[\"B1\"]")) ==
          "/not_shown/0: question \"B1\" is also listed in /skipped");

    // A failed parse leaves the output untouched.
    Response keep = sample();
    std::string err;
    CHECK_FALSE(parse_response("{}", keep, &err));
    CHECK(keep == sample());
    CHECK_FALSE(parse_response("{}", keep, nullptr)); // no error sink is fine
}

TEST_CASE("response: leap days and year bounds read back exactly") {
    for (int64_t t : {int64_t(0), int64_t(-1), int64_t(951782400) /* 2000-02-29 */, int64_t(1709208000),
                      int64_t(253402300799LL), int64_t(-62167219200LL)}) {
        Response r = sample();
        r.started = t;
        r.finished = t;
        Response back;
        std::string err;
        CAPTURE(t);
        REQUIRE_MESSAGE(parse_response(serialize_response(r), back, &err), err);
        CHECK(back.started == t);
        CHECK(back.finished == t);
    }
    CHECK(parse_error(sample_with("2026-11-25T16:03:00Z", "1900-02-29T00:00:00Z")).find("/started:") == 0);
}

TEST_CASE("response: invalid UTF-8 in memory still serialises") {
    Response r = sample();
    r.site = std::string("Bibliothek \xff");
    std::string bytes = serialize_response(r);
    Response back;
    std::string err;
    REQUIRE_MESSAGE(parse_response(bytes, back, &err), err);
    CHECK(back.site == "Bibliothek \xEF\xBF\xBD"); // U+FFFD
}
