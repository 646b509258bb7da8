// Tests of the Delphi feedback pack (sync/delphi/delphi_pack.cpp, delphi_feedback.cpp): a
// participant's own answers open with their code and with nothing else, the pack reads back
// what was written, a hostile or damaged pack is refused with a message naming the field, and
// the pack made from the shipped stage 1 holds what the test counts itself.
#include <doctest/doctest.h>
#include <algorithm>
#include <cstring>
#include <random>
#include <set>
#include <sodium.h>

#include <nlohmann/json.hpp>

#include "delphi.h"
#include "survey.h"

using namespace tk;
using namespace tk::delphi;
using nlohmann::json;

static const char kStudy[] = "test-study";

static std::vector<Option> scale_1_to_5() {
    std::vector<Option> out;
    for (const char* c : {"1", "2", "3", "4", "5"}) out.push_back(Option{c, {}, false});
    return out;
}

// A pack as `delphi feedback` makes one: stats of one repeated item, one entry per participant.
static FeedbackPack sample_pack(const std::vector<std::string>& codes, std::vector<OwnAnswers>& own) {
    FeedbackPack p;
    p.study = kStudy;
    p.from_round = 1;
    p.for_survey = "round-2";
    p.for_version = "1.0";
    p.created = "2026-12-02T10:00:00Z";
    ConsensusRule rule{"iqr", 1, 2};
    std::vector<std::string> values;
    for (size_t i = 0; i < codes.size(); i++) {
        ParticipantKeys k;
        std::string err;
        REQUIRE(derive_participant_keys(codes[i], kStudy, k, &err));
        OwnAnswers a{{"F5[L1]", std::to_string(1 + i % 5)}, {"F7", "2"}};
        values.push_back(a["F5[L1]"]);
        own.push_back(a);
        p.entries[k.lookup] = seal_own_answers(k, a);
    }
    p.items.push_back(item_stats("F5[L1]", "F11[L1]", values, scale_1_to_5(), rule));
    return p;
}

TEST_CASE("delphi pack: a participant's answers open with their code, not with another or none") {
    REQUIRE(sodium_init() >= 0);
    std::vector<std::string> codes = make_codes(3);
    std::vector<OwnAnswers> own;
    FeedbackPack pack = sample_pack(codes, own);

    for (size_t i = 0; i < codes.size(); i++) {
        ParticipantKeys k;
        REQUIRE(derive_participant_keys(codes[i], kStudy, k, nullptr));
        OwnAnswers got;
        REQUIRE(find_own_answers(pack, k, got));
        CHECK(got == own[i]);
        // Every other participant's entry stays shut to this code.
        for (const auto& [lookup, entry] : pack.entries) {
            if (lookup == k.lookup) continue;
            OwnAnswers other;
            CHECK_FALSE(open_own_answers(k, entry, other));
            CHECK(other.empty());
        }
    }
    // A code that was not in round 1 finds nothing; the same code in another study neither.
    ParticipantKeys stranger, elsewhere;
    REQUIRE(derive_participant_keys(make_codes(1)[0], kStudy, stranger, nullptr));
    REQUIRE(derive_participant_keys(codes[0], "another-study", elsewhere, nullptr));
    OwnAnswers got;
    CHECK_FALSE(find_own_answers(pack, stranger, got));
    CHECK_FALSE(find_own_answers(pack, elsewhere, got));
    // Without a code: an all-zero key opens nothing.
    ParticipantKeys none;
    for (const auto& [lookup, entry] : pack.entries) CHECK_FALSE(open_own_answers(none, entry, got));
}

TEST_CASE("delphi pack: the research side's keys from the pseudonym open what the code opens") {
    std::string code = make_codes(1)[0];
    ParticipantKeys from_code, from_pseudonym;
    REQUIRE(derive_participant_keys(code, kStudy, from_code, nullptr));
    keys_from_pseudonym(from_code.pseudonym, from_pseudonym);
    OwnAnswers a{{"F19", "A3"}};
    std::string entry = seal_own_answers(from_pseudonym, a);
    OwnAnswers got;
    REQUIRE(open_own_answers(from_code, entry, got));
    CHECK(got == a);
}

TEST_CASE("delphi pack: entries are padded, sealed anew each time, and tampering shows") {
    ParticipantKeys k;
    keys_from_pseudonym("00112233445566778899aabbccddeeff", k);
    OwnAnswers one{{"F1", "1"}}, many;
    for (int i = 0; i < 10; i++) many["F" + std::to_string(i)] = "3";
    std::string e1 = seal_own_answers(k, one), e10 = seal_own_answers(k, many);
    // One answer and ten answers both fit into one 256-byte block: the same length.
    CHECK(e1.size() == e10.size());
    CHECK(seal_own_answers(k, one) != e1); // a fresh nonce each time

    // Flip each byte of the sealed bytes in turn: none opens.
    std::vector<uint8_t> box(e1.size());
    size_t len = 0;
    REQUIRE(sodium_base642bin(box.data(), box.size(), e1.data(), e1.size(), nullptr, &len, nullptr,
                              sodium_base64_VARIANT_ORIGINAL) == 0);
    box.resize(len);
    for (size_t i = 0; i < len; i += 7) {
        std::vector<uint8_t> bad = box;
        bad[i] ^= 0x40;
        std::string b64(sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL), '\0');
        sodium_bin2base64(b64.data(), b64.size(), bad.data(), len, sodium_base64_VARIANT_ORIGINAL);
        b64.resize(std::strlen(b64.c_str()));
        OwnAnswers got;
        CHECK_FALSE(open_own_answers(k, b64, got));
    }
    OwnAnswers got;
    CHECK_FALSE(open_own_answers(k, "", got));
    CHECK_FALSE(open_own_answers(k, "not base64!", got));
    CHECK_FALSE(open_own_answers(k, e1.substr(0, 40), got));
}

TEST_CASE("delphi pack: written and read back, field for field") {
    std::vector<OwnAnswers> own;
    FeedbackPack pack = sample_pack(make_codes(5), own);
    std::string text = write_feedback_pack(pack);
    FeedbackPack back;
    std::string err;
    REQUIRE_MESSAGE(read_feedback_pack(text, back, &err), err);
    CHECK(back.study == pack.study);
    CHECK(back.from_round == 1);
    CHECK(back.for_survey == "round-2");
    CHECK(back.entries == pack.entries);
    REQUIRE(back.items.size() == 1);
    const ItemStats* s = back.find("F5[L1]");
    REQUIRE(s);
    const ItemStats& w = pack.items[0];
    CHECK(s->source_key == "F11[L1]");
    CHECK(s->n == 5);
    CHECK(s->distribution == w.distribution);
    CHECK(s->median == w.median);
    CHECK(s->q1 == w.q1);
    CHECK(s->q3 == w.q3);
    CHECK(s->mean == w.mean);
    CHECK(s->consensus == w.consensus);
    CHECK(s->consensus_detail == w.consensus_detail);
    CHECK(back.find("F6") == nullptr);
    // Canonical: writing what was read gives the same bytes (what is signed stays signed).
    CHECK(write_feedback_pack(back) == text);
}

TEST_CASE("delphi pack: a damaged or hostile pack is refused, naming the field") {
    std::vector<OwnAnswers> own;
    std::string good = write_feedback_pack(sample_pack(make_codes(2), own));
    json base = json::parse(good);
    auto refused = [](const json& j, const char* needle) {
        FeedbackPack p;
        std::string err;
        bool ok = read_feedback_pack(j.dump(), p, &err);
        CHECK_MESSAGE(!ok, j.dump().substr(0, 200));
        CHECK_MESSAGE(err.find(needle) != std::string::npos, err);
        CHECK(p.items.empty());
        CHECK(p.entries.empty());
    };
    {
        json j = base;
        j["format"] = "teilhabe-delphi-feedback/9";
        refused(j, "format");
    }
    {
        json j = base;
        j.erase("study");
        refused(j, "study");
    }
    {
        json j = base;
        j["from_round"] = -1;
        refused(j, "from_round");
    }
    {
        json j = base;
        j["items"][0]["n"] = 6; // counts add up to 5
        refused(j, "add up");
    }
    {
        json j = base;
        j["items"][0]["distribution"][0][1] = -1;
        refused(j, "count");
    }
    {
        json j = base;
        j["items"][0]["median"] = 9; // the scale is 1..5
        refused(j, "median");
    }
    {
        json j = base;
        j["items"][0]["q1"] = 4.5;
        j["items"][0]["q3"] = 5;
        j["items"][0]["median"] = 3;
        refused(j, "between q1 and q3");
    }
    {
        json j = base;
        j["items"][0]["key"] = "F5[";
        refused(j, "item key");
    }
    {
        json j = base;
        j["items"].push_back(j["items"][0]);
        refused(j, "twice");
    }
    {
        json j = base;
        j["entries"]["../../etc/passwd"] = "x";
        refused(j, "lookup id");
    }
    {
        json j = base;
        j["entries"][j["entries"].begin().key()] = 5;
        refused(j, "sealed entry");
    }
    {
        json j = base;
        j["study"] = std::string(5000, 'x');
        refused(j, "longer than");
    }
    FeedbackPack p;
    std::string err;
    CHECK_FALSE(read_feedback_pack(std::string(100000, '['), p, &err));
    CHECK(err.find("nested") != std::string::npos);
    CHECK_FALSE(read_feedback_pack(good.substr(0, good.size() / 2), p, &err));
    CHECK(err.find("not JSON") != std::string::npos);
    CHECK_FALSE(read_feedback_pack(std::string(kFeedbackPackMax + 1, ' '), p, &err));
    CHECK(err.find("larger than") != std::string::npos);
    CHECK_FALSE(read_feedback_pack("[]", p, &err));
}

// --- make_feedback_pack on the shipped stages ---------------------------------------------------
static std::shared_ptr<const Survey> shipped(const char* name) {
    LoadResult r = load_survey(std::string(TK_SOURCE_DIR) + "/surveys/" + name);
    REQUIRE(r.ok());
    return r.survey;
}

TEST_CASE("delphi feedback: stage 1's answers become stage 2's pack, recounted here by hand") {
    auto s1 = shipped("delphi-stufe-1.json");
    auto s2 = shipped("delphi-stufe-2.json");
    std::mt19937 rng(7);
    std::vector<std::string> codes = make_codes(6);
    std::vector<Response> rs;
    std::vector<std::string> pseudonyms;
    for (size_t i = 0; i < codes.size(); i++) {
        ParticipantKeys k;
        REQUIRE(derive_participant_keys(codes[i], s1->delphi.study, k, nullptr));
        pseudonyms.push_back(k.pseudonym);
        Response r;
        r.survey_id = s1->id;
        r.pseudonym = k.pseudonym;
        r.finished = 1000 + (int64_t)i;
        r.answers["F11"].cells = {{"L1", std::to_string(1 + rng() % 5)}, {"L2", i == 0 ? kNoAnswerCode : "3"}};
        r.answers["F18"].value = s1->find_question("F18")->options[i % 2].code;
        r.answers["F51"].values = {s1->find_question("F51")->options[0].code, s1->find_question("F51")->options[i % 3 + 1].code};
        rs.push_back(r);
    }
    // Participant 0 answered twice: only the later one counts. One anonymous paper response.
    Response again = rs[0];
    again.finished = 5000;
    again.answers["F11"].cells["L1"] = "5";
    rs.push_back(again);
    Response anon;
    anon.survey_id = s1->id;
    anon.answers["F11"].cells = {{"L1", "1"}};
    rs.push_back(anon);
    Response other_survey = rs[1];
    other_survey.survey_id = "something-else";
    rs.push_back(other_survey);

    FeedbackPack pack;
    FeedbackSummary sum;
    std::string err;
    REQUIRE_MESSAGE(make_feedback_pack(*s1, *s2, rs, "2026-12-02T10:00:00Z", pack, &sum, &err), err);
    CHECK(sum.responses == 8);
    CHECK(sum.participants == 6);
    CHECK(sum.duplicates == 1);
    CHECK(sum.anonymous == 1);
    CHECK(pack.entries.size() == 6);
    CHECK(pack.for_survey == s2->id);
    CHECK(pack.from_round == 1);

    // F5[L1] repeats F11[L1]: count the values the way a person would, from the inputs.
    std::map<std::string, int> want;
    want["5"]++; // participant 0's later answer
    for (size_t i = 1; i < codes.size(); i++) want[rs[i].answers["F11"].cells["L1"]]++;
    want["1"]++; // the anonymous one
    const ItemStats* l1 = pack.find("F5[L1]");
    REQUIRE(l1);
    CHECK(l1->source_key == "F11[L1]");
    CHECK(l1->n == 7);
    for (const auto& [code, count] : l1->distribution) CHECK_MESSAGE(count == want[code], code);
    const ItemStats* l2 = pack.find("F5[L2]");
    REQUIRE(l2);
    CHECK(l2->n == 5); // participant 0: "keine Antwort"; the anonymous one did not answer L2
    CHECK(l2->consensus); // all five said 3: IQR 0
    // F19 repeats the multiple choice F51: per option, how many of the 6 with an answer ticked it.
    const ItemStats* mc = pack.find("F19");
    REQUIRE(mc);
    CHECK(mc->multiple);
    CHECK(mc->n == 6);
    CHECK(mc->distribution[0].second == 6);
    CHECK_FALSE(mc->consensus);

    // Each code opens its own answers, under stage 2's keys.
    for (size_t i = 0; i < codes.size(); i++) {
        ParticipantKeys k;
        REQUIRE(derive_participant_keys(codes[i], s2->delphi.study, k, nullptr));
        OwnAnswers own;
        REQUIRE(find_own_answers(pack, k, own));
        CHECK(own["F5[L1]"] == (i == 0 ? "5" : rs[i].answers["F11"].cells["L1"]));
        CHECK(own["F10[B]"] == rs[i].answers["F18"].value);
        CHECK(own["F19"] == rs[i].answers["F51"].values[0] + " " + rs[i].answers["F51"].values[1]);
    }
    // The pack survives its text form, and nothing in it names a pseudonym.
    std::string text = write_feedback_pack(pack);
    for (const std::string& p : pseudonyms) CHECK(text.find(p) == std::string::npos);
    FeedbackPack back;
    REQUIRE_MESSAGE(read_feedback_pack(text, back, &err), err);
    CHECK(back.find("F19")->multiple);

    // Rounds out of order or of another study are refused with words.
    CHECK_FALSE(make_feedback_pack(*s2, *s1, rs, "", pack, nullptr, &err));
    CHECK(err.find("not the round after") != std::string::npos);
}
