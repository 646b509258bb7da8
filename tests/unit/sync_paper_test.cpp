// Tests of paper questionnaires: sheet ids, typed values, double entry, sealing, tallies, a
// matrix row's "keine Antwort" from the printed grid to the response.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "files.h"
#include "delphi.h"
#include "keys.h"
#include "paper_entry.h"
#include "paper_form.h"
#include "paper_registry.h"
#include "sheet_id.h"
#include "sync_testutil.h"
#include "tally.h"
#include "test_survey.h"
#include "vault.h"
#include "open_record.h"
#include "report.h"
#include "research_key.h"
#include "sample_response.h"

using namespace tk;
using tk::test::TempDir;

namespace {

std::shared_ptr<const Survey> citizen_survey() {
    LoadResult lr = load_survey(std::string(TK_SOURCE_DIR) + "/surveys/buerger-digital.json");
    REQUIRE_MESSAGE(lr.ok(), (lr.errors.empty() ? "" : lr.errors.front().to_string()));
    return lr.survey;
}

std::unique_ptr<Vault> open_vault(const std::string& dir) {
    std::string err;
    auto v = Vault::open(dir, true, &err);
    REQUIRE_MESSAGE(v, err);
    return v;
}

std::unique_ptr<PaperRegistry> open_registry(const std::string& dir) {
    std::string err;
    auto r = PaperRegistry::open(dir, &err);
    REQUIRE_MESSAGE(r, err);
    return r;
}

// Every record of the vault, opened with the demo research key.
std::vector<std::pair<RecordMeta, std::string>> open_all(const std::string& dir, Vault& v) {
    ResearchSecretKey sk;
    std::string err;
    REQUIRE(load_research_secret(dir + "/demo-research.key", kDemoPassphrase, sk, &err));
    std::vector<Record> recs;
    REQUIRE(v.read_records(0, 1000, recs, &err));
    std::vector<std::pair<RecordMeta, std::string>> out;
    for (const auto& r : recs) {
        std::string plain;
        REQUIRE_MESSAGE(open_record(r, sk.pub.box_pk, sk.box_sk, plain, &err), err);
        out.push_back({r.meta, plain});
    }
    return out;
}

PaperEntry entry(const Survey& s, const std::string& sheet, const std::string& who,
                 const std::vector<std::pair<std::string, std::string>>& values) {
    PaperEntry e;
    e.sheet_id = sheet;
    e.enterer = who;
    for (const auto& [k, v] : values) {
        std::string err;
        REQUIRE_MESSAGE(set_paper_value(s, e, k, v, &err), err);
    }
    return e;
}

const std::vector<std::pair<std::string, std::string>> kSheetValues = {
    {"ONLINE", "3"}, {"WARUM", "2"}, {"BARR", "5 1"}, {"TRUST", "4"}, {"SEKTOR", "1 2 6"},
    {"TOP3", "2 - - - - 1 - -"}, {"DIENST.AMT", "1"}, {"DIENST.BUS", "?"}, {"ANALOG", "1"},
    {"WUNSCH", "Mehr Bänke am Zebrastreifen"}, {"ALTER", "!"}};

// A paper desk: the citizen survey, a vault and a registry in a fresh folder, and a new sheet
// id. The test body names the members as plain locals (doctest derives the test from it).
struct Desk {
    std::shared_ptr<const Survey> s = citizen_survey();
    TempDir d;
    std::unique_ptr<Vault> v = open_vault(d.path);
    std::unique_ptr<PaperRegistry> reg = open_registry(d.path);
    std::string id = new_sheet_id(s->id);
};

bool file_contains(const std::string& path, const std::string& needle) {
    std::string data = tk::test::slurp(path);
    return data.find(needle) != std::string::npos;
}

bool dir_contains(const std::string& dir, const std::string& needle) {
    for (const auto& f : std::filesystem::directory_iterator(dir))
        if (f.is_regular_file() && file_contains(f.path().string(), needle)) return true;
    return false;
}

} // namespace

TEST_CASE("paper: check character catches every single typo and neighbour swaps except 2<->Z") {
    for (int n = 0; n < 200; ++n) {
        std::string id = new_sheet_id("buerger-digital"), norm, err;
        REQUIRE(id.size() == 12);
        CHECK(id.substr(0, 3) == "BD-");
        REQUIRE_MESSAGE(parse_sheet_id(id, norm, &err), err);
        CHECK(norm == id);
        for (size_t i = 0; i < id.size(); ++i) {
            if (id[i] == '-') continue;
            for (const char* a = kSheetAlphabet; *a; ++a) {
                if (*a == id[i]) continue;
                std::string typo = id;
                typo[i] = *a;
                CHECK_FALSE_MESSAGE(parse_sheet_id(typo, norm, &err), typo);
            }
        }
        std::string plain;
        for (char c : id)
            if (c != '-') plain += c;
        for (size_t i = 0; i + 1 < plain.size(); ++i) {
            if (plain[i] == plain[i + 1]) continue;
            std::string sw = plain;
            std::swap(sw[i], sw[i + 1]);
            bool caught = !parse_sheet_id(sw, norm, &err);
            bool blind_pair = (plain[i] == '2' && plain[i + 1] == 'Z') || (plain[i] == 'Z' && plain[i + 1] == '2');
            CHECK_MESSAGE(caught != blind_pair, sw);
        }
    }
}

TEST_CASE("paper: sheet ids are read as people type them") {
    std::string id = new_sheet_id("bedarfe-akteure"), norm, err;
    CHECK(id.substr(0, 2) == "BA");
    std::string lower;
    for (char c : id)
        if (c != '-') lower += char(std::tolower((unsigned char)c));
    REQUIRE(parse_sheet_id(lower, norm, &err));
    CHECK(norm == id);
    CHECK_FALSE(parse_sheet_id("BD-0K3F-Q9MC", norm, &err));
    CHECK(err.find("never use 0, O, 1 or I") != std::string::npos);
    CHECK_FALSE(parse_sheet_id("BD-7K3F", norm, &err));
    CHECK(err.find("has 6 characters") != std::string::npos);
    CHECK(sheet_prefix("survey") == "SU");
    CHECK(sheet_prefix("ida-ort") == "XX"); // I and O are not in the alphabet
}

TEST_CASE("paper: typed values are checked and normalised per field") {
    auto s = citizen_survey();
    auto fields = paper_fields(*s);
    auto norm = [&](const std::string& key, const std::string& typed, std::string* err = nullptr) {
        const PaperField* f = find_paper_field(fields, key);
        REQUIRE_MESSAGE(f, key);
        std::string out, e;
        bool ok = normalise_paper_value(*f, typed, out, &e);
        if (err) *err = e;
        return ok ? out : std::string("ERR");
    };
    CHECK(norm("BARR", "5, 1 3") == "1 3 5");
    CHECK(norm("BARR", "?") == kIllegible);
    CHECK(norm("ONLINE", "!") == kMultipleMarked);
    std::string err;
    CHECK(norm("ONLINE", "1 2", &err) == "ERR");
    CHECK(err.find("-mult-") != std::string::npos);
    CHECK(norm("ONLINE", "9", &err) == "ERR");
    CHECK(err.find("no box numbered '9'") != std::string::npos);
    CHECK(norm("TOP3", "2 - - - - 1 - -") == "2 - - - - 1 - -");
    CHECK(norm("TOP3", "1 1 - - - - - -", &err) == "ERR");
    CHECK(norm("TOP3", "1 2", &err) == "ERR");
    CHECK(norm("WARUM.other", "  Kein Strom  ") == "Kein Strom");
    CHECK(norm("DIENST.NEWS", "4") == "4");
    // ONLINE has four options and "keine Antwort" (the survey offers it) as box 5.
    auto choices = paper_choices(*s, *s->find_question("ONLINE"));
    REQUIRE(choices.size() == 5);
    CHECK(choices[4].code == kNoAnswerCode);
    // Every question that takes an answer has at least one field.
    for (const auto& ref : s->all_questions())
        if (ref.q->has_answer()) CHECK_MESSAGE(!paper_fields(*s, *ref.q).empty(), ref.q->code);
}

TEST_CASE_FIXTURE(Desk, "paper: matching entries seal one record with channel paper and both enterers") {
    PaperPlace place{"Stadtteilbüro Nord", "Stadtteilfest 2026", 1780000000};

    PaperOutcome o1 = reg->submit(s, entry(*s, id, "anna", kSheetValues), *v, place);
    CHECK(o1.kind == PaperOutcome::FirstStored);
    CHECK(v->status().records == 0);
    CHECK(reg->state(id) == SheetState::FirstEntered);

    PaperOutcome o2 = reg->submit(s, entry(*s, id, "ben", kSheetValues), *v, place);
    REQUIRE_MESSAGE(o2.kind == PaperOutcome::Sealed, o2.message);
    CHECK(o2.durable);
    CHECK(reg->state(id) == SheetState::Sealed);
    VaultStatus st = v->status();
    CHECK(st.records == 1);
    CHECK(st.by_channel["paper"] == 1);

    auto recs = open_all(d.path, *v);
    REQUIRE(recs.size() == 1);
    CHECK(recs[0].first.channel == "paper");
    Response r;
    std::string err;
    REQUIRE_MESSAGE(parse_response(recs[0].second, r, &err), err);
    CHECK(r.channel == "paper");
    CHECK(r.site == "Stadtteilbüro Nord");
    CHECK(r.event == "Stadtteilfest 2026");
    CHECK(r.meta["sheet"] == id);
    CHECK(r.meta["enterer1"] == "anna");
    CHECK(r.meta["enterer2"] == "ben");
    CHECK(r.meta.count("resolver") == 0);
    // Box numbers became option codes; the explicit codes stay as they are.
    CHECK(r.answers["ONLINE"].value == "3");
    CHECK(r.answers["WARUM"].value == "WISS");
    CHECK(r.answers["BARR"].values == std::vector<std::string>{"ZUG", "SEHEN"});
    CHECK(r.answers["TRUST"].value == "4");
    CHECK(r.answers["TOP3"].values == std::vector<std::string>{"INF", "MOB"});
    CHECK(r.answers["DIENST"].cells["AMT"] == "1");
    CHECK(r.answers["DIENST"].cells["BUS"] == kIllegible);
    CHECK(r.answers["ANALOG"].value == "Y");
    CHECK(r.answers["WUNSCH"].value == "Mehr Bänke am Zebrastreifen");
    CHECK(r.answers["ALTER"].value == kMultipleMarked);
    CHECK(std::find(r.skipped.begin(), r.skipped.end(), "WEG") != r.skipped.end());
    CHECK(r.not_shown.empty());
}

TEST_CASE_FIXTURE(Desk, "paper: differing entries block until resolved against the paper") {
    PaperPlace place{"Seniorentreff", "Seniorennachmittag", 1780000000};
    auto second = kSheetValues;
    second[0] = {"ONLINE", "4"};                            // misread box
    second[9] = {"WUNSCH", "Mehr Bänke am Zebrastreifen!"}; // typed differently
    REQUIRE(reg->submit(s, entry(*s, id, "anna", kSheetValues), *v, place).kind == PaperOutcome::FirstStored);
    PaperOutcome o = reg->submit(s, entry(*s, id, "ben", second), *v, place);
    REQUIRE(o.kind == PaperOutcome::Differs);
    REQUIRE(o.diffs.size() == 2);
    CHECK(o.diffs[0].key == "ONLINE");
    CHECK(o.diffs[0].first == "3");
    CHECK(o.diffs[0].second == "4");
    CHECK(o.diffs[1].key == "WUNSCH");
    CHECK(v->status().records == 0);
    CHECK(reg->state(id) == SheetState::Differs);

    // A third entry does not get around the resolution.
    CHECK(reg->submit(s, entry(*s, id, "cem", kSheetValues), *v, place).kind == PaperOutcome::Refused);
    // Nothing is sealed while a difference is open.
    PaperOutcome half = reg->resolve(s, id, {{"ONLINE", "3"}}, "cem", *v, place);
    CHECK(half.kind == PaperOutcome::Refused);
    CHECK(half.message.find("still unresolved: WUNSCH") != std::string::npos);
    CHECK(reg->resolve(s, id, {{"ONLINE", "3"}, {"WUNSCH", "x"}, {"BARR", "1"}}, "cem", *v, place).kind ==
          PaperOutcome::Refused);
    CHECK(v->status().records == 0);

    // Differences survive closing and reopening the registry.
    reg.reset();
    reg = open_registry(d.path);
    std::vector<PaperDiff> again;
    std::string err;
    REQUIRE(reg->differences(*s, id, again, &err));
    CHECK(again.size() == 2);

    // Resolved where no site is chosen (as `paper resolve` without --site): the sheet keeps the
    // site and event it was entered with.
    PaperPlace resolver_desk{"", "", 1780003600};
    PaperOutcome done = reg->resolve(s, id, {{"ONLINE", "4"}, {"WUNSCH", "Mehr Bänke am Zebrastreifen"}}, "cem", *v,
                                     resolver_desk);
    REQUIRE_MESSAGE(done.kind == PaperOutcome::Sealed, done.message);
    CHECK(v->status().records == 1);
    auto recs = open_all(d.path, *v);
    Response r;
    REQUIRE(parse_response(recs.at(0).second, r, &err));
    CHECK(r.site == "Seniorentreff");
    CHECK(r.event == "Seniorennachmittag");
    CHECK(recs.at(0).first.site == "Seniorentreff");
    CHECK(r.answers["ONLINE"].value == "4");
    CHECK(r.answers["WUNSCH"].value == "Mehr Bänke am Zebrastreifen");
    CHECK(r.meta["resolver"] == "cem");
    CHECK(r.meta["enterer1"] == "anna");
    CHECK(r.meta["enterer2"] == "ben");
}

TEST_CASE_FIXTURE(Desk, "paper: enterers and resolver are three people, ids compared without case") {
    PaperPlace place{"Bibliothek", "", 1780000000};
    REQUIRE(reg->submit(s, entry(*s, id, "anna", kSheetValues), *v, place).kind == PaperOutcome::FirstStored);
    PaperOutcome same = reg->submit(s, entry(*s, id, " Anna", kSheetValues), *v, place);
    CHECK(same.kind == PaperOutcome::Refused);
    CHECK(same.code == "same_enterer");
    auto second = kSheetValues;
    second[0] = {"ONLINE", "4"};
    REQUIRE(reg->submit(s, entry(*s, id, "ben", second), *v, place).kind == PaperOutcome::Differs);
    CHECK(reg->sheets_in(SheetState::Differs) == std::vector<std::string>{id});
    for (const char* who : {"anna", "BEN", "Ben "}) {
        PaperOutcome o = reg->resolve(s, id, {{"ONLINE", "3"}}, who, *v, place);
        CHECK(o.kind == PaperOutcome::Refused);
        CHECK(o.code == "resolver_entered");
    }
    CHECK(v->status().records == 0);
    PaperOutcome done = reg->resolve(s, id, {{"ONLINE", "3"}}, "cem", *v, place);
    REQUIRE_MESSAGE(done.kind == PaperOutcome::Sealed, done.message);
    CHECK(reg->sheets_in(SheetState::Differs).empty());
    CHECK(reg->sheets_in(SheetState::Sealed) == std::vector<std::string>{id});
}

TEST_CASE_FIXTURE(Desk, "paper: a sheet id entered twice is refused") {
    PaperPlace place{"Bibliothek", "", 1780000000};
    REQUIRE(reg->submit(s, entry(*s, id, "anna", kSheetValues), *v, place).kind == PaperOutcome::FirstStored);
    // The same person twice is no double entry.
    PaperOutcome same = reg->submit(s, entry(*s, id, "anna", kSheetValues), *v, place);
    CHECK(same.kind == PaperOutcome::Refused);
    CHECK(same.message.find("another person") != std::string::npos);
    REQUIRE(reg->submit(s, entry(*s, id, "ben", kSheetValues), *v, place).kind == PaperOutcome::Sealed);
    // After sealing, the sheet is refused - also after reopening, and by anybody.
    reg.reset();
    reg = open_registry(d.path);
    PaperOutcome again = reg->submit(s, entry(*s, id, "cem", kSheetValues), *v, place);
    CHECK(again.kind == PaperOutcome::Refused);
    CHECK(again.message.find("already entered") != std::string::npos);
    CHECK(v->status().records == 1);
    // A sheet of another survey is refused at once.
    PaperOutcome foreign = reg->submit(s, entry(*s, new_sheet_id("bedarfe-akteure"), "anna", kSheetValues), *v, place);
    CHECK(foreign.kind == PaperOutcome::Refused);
    CHECK(foreign.message.find("not printed for survey buerger-digital") != std::string::npos);
}

TEST_CASE_FIXTURE(Desk, "paper: pending entries are sealed on disk and gone after sealing") {
    PaperPlace place{"Bibliothek", "", 1780000000};
    REQUIRE(reg->submit(s, entry(*s, id, "anna", kSheetValues), *v, place).kind == PaperOutcome::FirstStored);
    CHECK_FALSE(dir_contains(d.path, "Zebrastreifen"));
    CHECK_FALSE(dir_contains(d.path, "anna"));
    std::string key;
    std::string err;
    REQUIRE(read_file_at_most(d / "paper-entry.key", kKeyFileMax, key, &err));
    CHECK(key.size() == 32);
    CHECK((std::filesystem::status(d / "paper-entry.key").permissions() & std::filesystem::perms::group_read) ==
          std::filesystem::perms::none);
    REQUIRE(reg->submit(s, entry(*s, id, "ben", kSheetValues), *v, place).kind == PaperOutcome::Sealed);
    CHECK_FALSE(dir_contains(d.path, "Zebrastreifen"));
    CHECK(reg->counts()["sealed"] == 1);
    // A damaged key file is reported, never replaced.
    reg.reset();
    tk::test::spit(d / "paper-entry.key", "short");
    CHECK_FALSE(PaperRegistry::open(d.path, &err));
    CHECK(err.find("not a paper-entry key") != std::string::npos);
}

TEST_CASE("paper: answers the form's instructions excluded are dropped unless the deciding answer is unreadable") {
    auto s = citizen_survey();
    PaperSealInfo info{"Bibliothek", "", "anna", "ben", "", 1780000000};
    Response r;
    std::string err;
    // ONLINE "täglich": WARUM does not apply, yet the paper has an answer there.
    PaperEntry e = entry(*s, "BD-2222-2222", "anna", {{"ONLINE", "1"}, {"WARUM", "3"}});
    REQUIRE(paper_entry_to_response(s, e, info, r, &err));
    CHECK(r.answers.count("WARUM") == 0);
    CHECK(std::count(r.not_shown.begin(), r.not_shown.end(), "WARUM") == 1);
    CHECK(r.meta["dropped"] == "WARUM");
    // ONLINE unreadable: whether WARUM applies is unknown, so its answer is kept.
    e = entry(*s, "BD-2222-2222", "anna", {{"ONLINE", "?"}, {"WARUM", "3"}});
    REQUIRE(paper_entry_to_response(s, e, info, r, &err));
    CHECK(r.answers["ONLINE"].value == kIllegible);
    CHECK(r.answers["WARUM"].value == "KOST");
    CHECK(std::count(r.not_shown.begin(), r.not_shown.end(), "WARUM") == 0);
    CHECK(r.meta.count("dropped") == 0);
    // "keine Antwort" alone, and "andere" with its text.
    e = entry(*s, "BD-2222-2222", "anna", {{"ONLINE", "5"}, {"BARR", "8"}, {"BARR.other", "Zeit"}});
    REQUIRE(paper_entry_to_response(s, e, info, r, &err));
    CHECK(r.answers["ONLINE"].no_answer);
    CHECK(r.answers["BARR"].other == "Zeit");
    // Serialised and read back unchanged (the response format accepts the codes).
    Response back;
    REQUIRE_MESSAGE(parse_response(serialize_response(r), back, &err), err);
    CHECK(back == r);
}

TEST_CASE("paper: entry files are parsed with line numbers for every problem") {
    auto s = citizen_survey();
    std::string id = new_sheet_id(s->id);
    std::string text = "# Stadtteilfest\nsheet " + id + "\nenterer anna\nONLINE 3\nBARR 1 3\nWUNSCH Mehr Bänke\n\n" +
                       "sheet " + id + "\nenterer ben\nONLINE 3\n";
    std::vector<PaperEntry> out;
    std::vector<std::string> errors;
    REQUIRE(parse_paper_entries(*s, text, "f.txt", out, &errors));
    REQUIRE(out.size() == 2);
    CHECK(out[0].values["BARR"] == "1 3");
    CHECK(out[1].enterer == "ben");
    // Round trip through the text form.
    std::vector<PaperEntry> again;
    REQUIRE(parse_paper_entries(*s, paper_entry_to_text(*s, out[0]), "rt", again, &errors));
    CHECK(again.at(0).values == out[0].values);

    out.clear();
    std::string bad = "ONLINE 3\nsheet " + id + "\nONLINE 7\nNOPE 1\nDIENST.XYZ 1\nsheet BD-2222-2223\n";
    CHECK_FALSE(parse_paper_entries(*s, bad, "bad.txt", out, &errors));
    std::string all;
    for (const auto& e : errors) all += e + "\n";
    CHECK(all.find("bad.txt:1: 'ONLINE' before the first 'sheet ID' line") != std::string::npos);
    CHECK(all.find("bad.txt:3: ONLINE: no box numbered '7'") != std::string::npos);
    CHECK(all.find("bad.txt:4: unknown field 'NOPE'") != std::string::npos);
    CHECK(all.find("bad.txt:5: unknown field 'DIENST.XYZ'") != std::string::npos);
    CHECK(all.find("bad.txt:6: sheet id 'BD-2222-2223': the check character does not match") != std::string::npos);
    CHECK(all.find("bad.txt:2: sheet " + id + ": no 'enterer NAME' line") != std::string::npos);

    // A one-box field given only separators is an error, not a read past the end.
    out.clear();
    errors.clear();
    CHECK_FALSE(parse_paper_entries(*s, "sheet " + id + "\nenterer anna\nONLINE ;\n", "sep.txt", out, &errors));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].rfind("sep.txt:3: ", 0) == 0);
    CHECK(errors[0].find("is not a box number") != std::string::npos);

    // Free text saved in Latin-1 ("Bänke" as one byte 0xE4) is refused, not mangled into the record.
    out.clear();
    errors.clear();
    std::string latin1 = "sheet " + id + "\nenterer anna\nWUNSCH Mehr B\xE4nke\n";
    CHECK_FALSE(parse_paper_entries(*s, latin1, "latin1.txt", out, &errors));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0] == "latin1.txt:3: not valid UTF-8 (save the entry file as UTF-8)");
}

TEST_CASE("paper: tallies are sealed with channel tally and read back") {
    auto s = citizen_survey();
    TempDir d;
    auto v = open_vault(d.path);
    // survey id and hash (filled by check_tally), event, place, date, question, method, by,
    // counts by box number as on the poster; not a void record (no voids, no reason)
    Tally t{"", "", "Stadtteilfest 2026", "Marktplatz", "2026-06-13", "ONLINE", "dots", "anna", {{"2", 23}, {"4", 5}}, "", ""};
    std::string err;
    REQUIRE_MESSAGE(check_tally(*s, t, &err), err);
    CHECK(t.counts[0].option == "2");
    CHECK(t.survey_hash == s->hash);
    AppendResult ar = seal_tally(*v, t);
    REQUIRE(ar.durable);
    CHECK(v->status().by_channel["tally"] == 1);
    auto recs = open_all(d.path, *v);
    REQUIRE(recs.size() == 1);
    CHECK(recs[0].first.channel == "tally");
    CHECK(recs[0].first.site == "Marktplatz");
    CHECK(recs[0].first.time == 1781352000 / 3600 * 3600); // 2026-06-13 12:00 UTC
    Tally back;
    REQUIRE_MESSAGE(parse_tally(recs[0].second, back, &err), err);
    CHECK(back.counts.size() == 2);
    CHECK(back.counts[1].option == "4");
    CHECK(back.counts[1].count == 5);
    CHECK(serialize_tally(back) == recs[0].second);
    CHECK(recs[0].second.find("\"format\":\"teilhabe-tally/1\"") != std::string::npos);
    // A tally is not a response: the response reader refuses it instead of counting it.
    Response r;
    CHECK_FALSE(parse_response(recs[0].second, r, &err));

    // Multiple choice options by code; open questions take written-in themes.
    Tally m = t;
    m.question = "BARR";
    m.counts = {{"KOST", 7}, {"8", 2}};
    REQUIRE_MESSAGE(check_tally(*s, m, &err), err);
    CHECK(m.counts[1].option == "-oth-");
    Tally w = t;
    w.question = "WUNSCH";
    w.counts = {{"Mehr Bänke", 12}};
    CHECK(check_tally(*s, w, &err));

    Tally bad = t;
    bad.counts = {{"9", 1}};
    CHECK_FALSE(check_tally(*s, bad, &err));
    CHECK(err.find("no option '9'") != std::string::npos);
    bad.counts = {{"1", -3}};
    CHECK_FALSE(check_tally(*s, bad, &err));
    bad = t;
    bad.date = "13.06.2026";
    CHECK_FALSE(check_tally(*s, bad, &err));
    bad.date = "2026-+6-13"; // what the old sscanf reader let through
    CHECK_FALSE(check_tally(*s, bad, &err));
    bad.date = "1969-12-31";
    CHECK_FALSE(check_tally(*s, bad, &err));
    bad = t;
    bad.question = "INFO";
    CHECK_FALSE(check_tally(*s, bad, &err));
    bad = t;
    bad.counts = {{"1", 1}, {"1", 2}};
    CHECK_FALSE(check_tally(*s, bad, &err));
    CHECK(err.find("counted twice") != std::string::npos);
    CHECK_FALSE(parse_tally("{\"format\":\"teilhabe-tally/1\",\"x\":1}", back, &err));
    CHECK(v->status().records == 1);
}

TEST_CASE("paper: a matrix prints, reads and seals 'keine Antwort' per row") {
    auto s = citizen_survey();
    const Question* q = s->find_question("DIENST");
    REQUIRE(q);
    REQUIRE(q->options.size() == 4);
    // The survey offers it and DIENST is optional: box 5 of every row.
    std::vector<PaperChoice> boxes = paper_choices(*s, *q, 1);
    REQUIRE(boxes.size() == 5);
    CHECK(boxes.back().number == "5");
    CHECK(boxes.back().code == kNoAnswerCode);

    // The printed grid has it as a column head between DIENST and the next question.
    TempDir d;
    PrintOptions opt;
    PrintResult pr;
    REQUIRE_MESSAGE(print_paper_form(*s, opt, d.path + "/form.pdf", pr), pr.error);
    REQUIRE(std::system(("pdftotext -raw '" + d.path + "/form.pdf' '" + d.path + "/form.txt'").c_str()) == 0);
    std::string text = tk::test::slurp(d.path + "/form.txt");
    for (char& ch : text)
        if (ch == '\n') ch = ' ';
    size_t at = text.find("DIENST"), end = text.find("BEDARF", at);
    REQUIRE(at != std::string::npos);
    REQUIRE(end != std::string::npos);
    std::string grid = text.substr(at, end - at);
    CHECK_MESSAGE(grid.find("5 keine Antwort") != std::string::npos, grid);

    // Entered per row: box 5 is the row's cell "-na-", the other rows keep their options.
    PaperSealInfo info{"Bibliothek", "", "anna", "ben", "", 1780000000};
    Response r;
    std::string err;
    PaperEntry e = entry(*s, "BD-2222-2222", "anna", {{"DIENST.AMT", "5"}, {"DIENST.FORM", "2"}});
    REQUIRE(paper_entry_to_response(s, e, info, r, &err));
    REQUIRE(r.answers.count("DIENST"));
    CHECK_FALSE(r.answers["DIENST"].no_answer);
    CHECK(r.answers["DIENST"].cells.at("AMT") == kNoAnswerCode);
    CHECK(r.answers["DIENST"].cells.at("FORM") == q->options[1].code);
    Response back;
    REQUIRE_MESSAGE(parse_response(serialize_response(r), back, &err), err);
    CHECK(back == r);
    // Box 6 does not exist.
    PaperEntry bad;
    CHECK_FALSE(set_paper_value(*s, bad, "DIENST.AMT", "6", &err));

    // Without the survey setting there is no box 5.
    Survey plain = *s;
    plain.settings.no_answer_option = false;
    CHECK(paper_choices(plain, *plain.find_question("DIENST"), 1).size() == 4);
}

TEST_CASE("paper: a dual-scale row with 'keine Antwort' and a second-scale box crossed says both") {
    auto s = tk::test::parsed_survey(R"({"format":"teilhabe-survey/1","id":"dual","version":"1","languages":["de"],
      "title":"D","settings":{"no_answer_option":true},"groups":[{"code":"G","title":"G","questions":[
      {"code":"D","type":"matrix","text":"d","options":[{"code":"1","text":"a"},{"code":"2","text":"b"}],
       "options2":[{"code":"x","text":"x"},{"code":"y","text":"y"}],
       "rows":[{"code":"R1","text":"r1"},{"code":"R2","text":"r2"}]}]}]})", "dual.json");
    // "keine Antwort" stands in the first scale's grid only.
    CHECK(paper_choices(*s, *s->find_question("D"), 1).back().code == kNoAnswerCode);
    CHECK(paper_choices(*s, *s->find_question("D"), 2).size() == 2);
    PaperSealInfo info{"Bibliothek", "", "anna", "ben", "", 1780000000};
    Response r;
    std::string err;
    PaperEntry e = entry(*s, "DU-2222-2222", "anna", {{"D.R1", "3"}, {"D.R1#1", "2"}, {"D.R2", "3"}});
    REQUIRE_MESSAGE(paper_entry_to_response(s, e, info, r, &err), err);
    const Answer& a = r.answers.at("D");
    CHECK(a.cells.at("R1") == kMultipleMarked);
    CHECK(a.cells.at("R1#1") == kMultipleMarked);
    CHECK(a.cells.at("R2") == kNoAnswerCode);
    CHECK(a.cells.count("R2#1") == 0);
}

TEST_CASE("paper: a tally voided by a sealed void record is listed as void and counted nowhere") {
    auto s = citizen_survey();
    TempDir d;
    auto v = open_vault(d.path);
    std::string err;
    Tally t{"", "", "Stadtteilfest 2026", "Marktplatz", "2026-06-13", "ONLINE", "dots", "anna", {{"2", 23}, {"4", 5}}, "", ""};
    REQUIRE_MESSAGE(check_tally(*s, t, &err), err);
    AppendResult first = seal_tally(*v, t);
    Tally u = t;
    u.counts = {{"2", 7}};
    AppendResult second = seal_tally(*v, u);
    REQUIRE(first.durable);
    REQUIRE(second.durable);

    // What the vault can check from the plain metadata, each with its message.
    Tally vd;
    CHECK_FALSE(make_tally_void(*v, *s, first.record_id, "", "ben", "2026-06-14", vd, &err));
    CHECK(err.find("say why") != std::string::npos);
    CHECK_FALSE(make_tally_void(*v, *s, "0000000000000000-000009", "x", "ben", "2026-06-14", vd, &err));
    CHECK(err.find("no record '0000000000000000-000009'") != std::string::npos);
    CHECK_FALSE(make_tally_void(*v, *s, first.record_id, "x", "ben", "14.06.2026", vd, &err));
    Response resp = tk::test::finished_response(1780000000, 300);
    resp.survey_hash = s->hash;
    AppendResult kiosk = v->append_response(resp);
    REQUIRE(kiosk.durable);
    CHECK_FALSE(make_tally_void(*v, *s, kiosk.record_id, "x", "ben", "2026-06-14", vd, &err));
    CHECK(err.find("not a tally") != std::string::npos);

    REQUIRE_MESSAGE(make_tally_void(*v, *s, first.record_id, "Poster doppelt gezählt", "ben", "2026-06-14", vd, &err), err);
    CHECK(vd.is_void());
    CHECK(vd.place == "Marktplatz");
    AppendResult voiding = seal_tally(*v, vd);
    REQUIRE(voiding.durable);

    // Sealed and read back: the void names the tally and the reason; plain tallies' bytes
    // have neither key.
    std::vector<DecryptedTally> ts;
    for (const auto& [meta, plain] : open_all(d.path, *v)) {
        if (meta.channel != kChannelTally) continue;
        DecryptedTally dt;
        REQUIRE_MESSAGE(parse_tally(plain, dt.tally, &err), err);
        CHECK(serialize_tally(dt.tally) == plain);
        CHECK((plain.find("\"voids\"") != std::string::npos) == dt.tally.is_void());
        dt.record_id = ts.empty() ? first.record_id : ts.size() == 1 ? second.record_id : voiding.record_id;
        ts.push_back(dt);
    }
    REQUIRE(ts.size() == 3);
    CHECK(ts[2].tally.voids == first.record_id);
    CHECK(ts[2].tally.reason == "Poster doppelt gezählt");
    CHECK(ts[2].tally.counts.empty());
    // A void record without its reason, or with counts, does not read.
    Tally broken = ts[2].tally;
    broken.counts = {{"2", 1}};
    CHECK_FALSE(parse_tally(serialize_tally(broken), broken, &err));
    CHECK(err.find("no counts") != std::string::npos);

    // The report: only the second tally's 7 dots count; the first is listed as voided, with
    // the void's date, who and why - also under an --event filter the void record lacks.
    for (const std::string& event : {std::string(), std::string("Stadtteilfest 2026")}) {
        CAPTURE(event);
        ReportOptions opt;
        opt.event = event;
        std::string html = render_report(*s, {}, ts, opt);
        size_t sum = html.find("<tr data-t=\"ONLINE\" data-k=\"2\">");
        REQUIRE(sum != std::string::npos);
        CHECK(html.substr(sum, html.find("</tr>", sum) - sum).find("<td class=\"cnt\">7</td>") != std::string::npos);
        CHECK(html.find("Strichlisten von Veranstaltungen (getrennt, nicht in n): 1") != std::string::npos);
        size_t row = html.find("<tr data-void=\"" + first.record_id + "\">");
        REQUIRE(row != std::string::npos);
        std::string line = html.substr(row, html.find("</tr>", row) - row);
        CHECK(line.find("Poster doppelt gezählt") != std::string::npos);
        CHECK(line.find("2026-06-14") != std::string::npos);
        CHECK(line.find(">ben<") != std::string::npos);
        CHECK(html.find("data-void=\"" + second.record_id + "\"") == std::string::npos);
    }
}

TEST_CASE("paper: a Delphi sheet's code is entered twice, compared first, and sealed as the pseudonym only") {
    LoadResult lr = load_survey(std::string(TK_SOURCE_DIR) + "/surveys/delphi-stufe-2.json");
    REQUIRE(lr.ok());
    std::shared_ptr<const Survey> s = lr.survey;
    TempDir d;
    std::unique_ptr<Vault> v = open_vault(d.path);
    std::unique_ptr<PaperRegistry> reg = open_registry(d.path);
    std::string id = new_sheet_id(s->id), err;
    std::vector<std::string> codes = delphi::make_codes(2);
    std::string typed = delphi::format_code(codes[0]);
    // As a clerk types it: lower case, spaces instead of hyphens.
    std::string sloppy;
    for (char c : typed) sloppy += c == '-' ? ' ' : char(std::tolower((unsigned char)c));
    PaperPlace place{"Delphi", "", 1780000000};

    // A bad code (one symbol changed) is refused with words, and so is a code on a survey
    // that is no Delphi round.
    std::string bad = codes[0];
    bad[3] = bad[3] == 'A' ? 'B' : 'A';
    PaperEntry e;
    CHECK_FALSE(set_paper_value(*s, e, kPaperCodeKey, bad, &err));
    CHECK(err.find("is not a participant code") != std::string::npos);
    auto citizen = citizen_survey();
    CHECK_FALSE(set_paper_value(*citizen, e, kPaperCodeKey, typed, &err));
    CHECK(err.find("no Delphi round") != std::string::npos);

    // The two entries disagree on the code: it is the first difference, and nothing is sealed.
    REQUIRE(reg->submit(s, entry(*s, id, "anna", {{"code", sloppy}, {"F5.L1", "4"}}), *v, place).kind ==
            PaperOutcome::FirstStored);
    PaperOutcome o = reg->submit(s, entry(*s, id, "ben", {{"code", delphi::format_code(codes[1])}, {"F5.L1", "4"}}), *v, place);
    REQUIRE(o.kind == PaperOutcome::Differs);
    REQUIRE(o.diffs.size() == 1);
    CHECK(o.diffs[0].key == "code");
    CHECK(o.diffs[0].first == typed);
    CHECK(v->status().records == 0);
    // The pending entries hold the code sealed, not in plain.
    CHECK_FALSE(dir_contains(d.path, codes[0]));
    CHECK_FALSE(dir_contains(d.path, typed));

    PaperOutcome done = reg->resolve(s, id, {{"code", typed}}, "cem", *v, place);
    REQUIRE_MESSAGE(done.kind == PaperOutcome::Sealed, done.message);
    auto recs = open_all(d.path, *v);
    Response r;
    REQUIRE(parse_response(recs.at(0).second, r, &err));
    delphi::ParticipantKeys k;
    REQUIRE(delphi::derive_participant_keys(codes[0], s->delphi.study, k, nullptr));
    CHECK(r.pseudonym == k.pseudonym);
    CHECK(r.answers["F5"].cells["L1"] == "4");
    CHECK(recs.at(0).second.find(codes[0]) == std::string::npos); // the code is never stored
    CHECK_FALSE(dir_contains(d.path, k.pseudonym));                // sealed: not in the vault in plain

    // The entry file form carries the code, and reads back the same.
    PaperEntry with = entry(*s, new_sheet_id(s->id), "anna", {{"code", typed}, {"F5.L2", "2"}});
    std::vector<PaperEntry> back;
    std::vector<std::string> errors;
    REQUIRE(parse_paper_entries(*s, paper_entry_to_text(*s, with), "t", back, &errors));
    REQUIRE(back.size() == 1);
    CHECK(back[0].delphi_code == codes[0]);
}
