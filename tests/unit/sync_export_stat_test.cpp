// SPSS / Stata / DDI export: variable names, the numeric coding, the declared missing cases,
// ReadStat's limits, and the files read back with ReadStat's own parser.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <readstat.h>

#include "export_ddi.h"
#include "export_stat.h"
#include "sync_testutil.h"
#include "test_survey.h"

using namespace tk;
using tk::test::TempDir;

namespace {

std::string lower_copy(std::string s) {
    for (char& c : s) c = char(std::tolower((unsigned char)c));
    return s;
}

const char* kStatSurvey = R"({
 "format": "teilhabe-survey/1", "id": "stat-test", "version": "3", "languages": ["de", "en"],
 "title": {"de": "Test <&> \"Statistik\"", "en": "Test"},
 "settings": {"no_answer_option": true},
 "groups": [{"code": "G", "title": {"de": "Gruppe", "en": "Group"}, "questions": [
  {"code": "S1", "type": "single", "text": {"de": "Wo?", "en": "Where?"}, "other": true,
   "options": [{"code": "A1", "text": {"de": "hier", "en": "here"}}, {"code": "A2", "text": {"de": "dort", "en": "there"}}]},
  {"code": "S2", "type": "single", "text": {"de": "Wie oft?", "en": "How often?"},
   "options": [{"code": "10", "text": {"de": "selten", "en": "rarely"}}, {"code": "20", "text": {"de": "oft", "en": "often"}}]},
  {"code": "BY", "type": "yesno", "text": {"de": "Online?", "en": "Online?"}},
  {"code": "M1", "type": "multiple", "text": {"de": "Was?", "en": "What?"},
   "options": [{"code": "a", "text": {"de": "Bus", "en": "bus"}}, {"code": "b", "text": {"de": "Bahn", "en": "train"}}]},
  {"code": "N1", "type": "numeric", "text": {"de": "Saldo?", "en": "Balance?"}},
  {"code": "N2", "type": "numeric", "min": 0, "text": {"de": "Alter?", "en": "Age?"}},
  {"code": "L1", "type": "longtext", "text": {"de": "Warum?", "en": "Why?"}}
 ]}]})";

std::shared_ptr<const Survey> stat_survey() { return test::parsed_survey(kStatSurvey, "stat-test.json"); }

DecryptedResponse response(const Survey& s, int i) {
    DecryptedResponse d;
    d.record_id = "00aa-00000" + std::to_string(i);
    d.response = test::response_to(s, "Bibliothek", 1764082980 + i);
    return d;
}

// Three responses that between them hold every coding and every missing case.
std::vector<DecryptedResponse> stat_responses(const Survey& s) {
    std::vector<DecryptedResponse> rs = {response(s, 1), response(s, 2), response(s, 3)};
    Response& a = rs[0].response;
    a.answers["S1"].value = "A2";
    a.answers["S2"].value = "20";
    a.answers["BY"].value = "Y";
    a.answers["M1"].values = {"b"};
    a.answers["N1"].value = "-3";
    a.answers["N2"].value = "41";
    a.answers["L1"].value = std::string(3000, 'x') + "ä";
    Response& b = rs[1].response;
    b.answers["S1"].value = "-oth-";
    b.answers["S1"].other = "im Park";
    b.answers["S2"].value = "-ill-";      // paper: unreadable
    b.answers["BY"].no_answer = true;
    b.answers["M1"].values = {"-mult-"};  // paper: several boxes where one was meant
    b.skipped = {"N1", "L1"};
    b.not_shown = {"N2"};
    Response& c = rs[2].response;
    c.complete = false;
    c.answers["S1"].value = "A9";         // a code the survey does not have
    c.answers["S2"].value = "-mult-";
    c.skipped = {"BY"};
    return rs;
}

const StatVariable& var(const StatTable& t, const std::string& name) {
    for (const StatVariable& v : t.vars)
        if (v.name == name) return v;
    FAIL("no variable " << name);
    return t.vars.front();
}

// What ReadStat's parser finds in a written file.
struct ReadBack {
    std::string file_label;
    std::vector<std::string> names, labels, label_sets;
    std::vector<std::vector<std::string>> cells; // numbers as text, ".a" for tagged, "." system missing
    std::map<std::string, std::map<std::string, std::string>> value_labels; // set -> value -> label
    std::vector<std::string> missing_ranges;   // per variable "lo..hi" (SPSS)
    std::vector<size_t> widths;
};

int on_meta(readstat_metadata_t* m, void* ctx) {
    const char* l = readstat_get_file_label(m);
    static_cast<ReadBack*>(ctx)->file_label = l ? l : "";
    return READSTAT_HANDLER_OK;
}

int on_var(int, readstat_variable_t* v, const char* val_labels, void* ctx) {
    ReadBack* r = static_cast<ReadBack*>(ctx);
    r->names.push_back(readstat_variable_get_name(v));
    const char* l = readstat_variable_get_label(v);
    r->labels.push_back(l ? l : "");
    r->label_sets.push_back(val_labels ? val_labels : "");
    r->widths.push_back(readstat_variable_get_storage_width(v));
    std::string mr;
    if (readstat_variable_get_missing_ranges_count(v) > 0)
        mr = stat_number_text(readstat_double_value(readstat_variable_get_missing_range_lo(v, 0))) + ".." +
             stat_number_text(readstat_double_value(readstat_variable_get_missing_range_hi(v, 0)));
    r->missing_ranges.push_back(mr);
    return READSTAT_HANDLER_OK;
}

int on_value(int obs, readstat_variable_t* v, readstat_value_t value, void* ctx) {
    ReadBack* r = static_cast<ReadBack*>(ctx);
    if (size_t(obs) >= r->cells.size()) r->cells.resize(size_t(obs) + 1);
    std::string cell;
    if (readstat_value_type(value) == READSTAT_TYPE_STRING) {
        const char* s = readstat_string_value(value);
        cell = s ? s : "";
    } else if (readstat_value_is_tagged_missing(value)) {
        cell = std::string(".") + readstat_value_tag(value);
    } else if (readstat_value_is_system_missing(value)) {
        cell = ".";
    } else {
        cell = stat_number_text(readstat_double_value(value));
    }
    (void)v;
    r->cells[size_t(obs)].push_back(cell);
    return READSTAT_HANDLER_OK;
}

int on_label(const char* set, readstat_value_t value, const char* label, void* ctx) {
    std::string key = readstat_value_is_tagged_missing(value) ? std::string(".") + readstat_value_tag(value)
                                                               : stat_number_text(readstat_double_value(value));
    static_cast<ReadBack*>(ctx)->value_labels[set][key] = label;
    return READSTAT_HANDLER_OK;
}

ReadBack read_back(const std::string& path, StatFormat f) {
    ReadBack r;
    readstat_parser_t* p = readstat_parser_init();
    readstat_set_metadata_handler(p, on_meta);
    readstat_set_variable_handler(p, on_var);
    readstat_set_value_handler(p, on_value);
    readstat_set_value_label_handler(p, on_label);
    readstat_error_t e = f == StatFormat::Sav ? readstat_parse_sav(p, path.c_str(), &r) : readstat_parse_dta(p, path.c_str(), &r);
    readstat_parser_free(p);
    REQUIRE_MESSAGE(e == READSTAT_OK, readstat_error_message(e));
    return r;
}

size_t col(const ReadBack& r, const std::string& name) {
    for (size_t i = 0; i < r.names.size(); i++)
        if (r.names[i] == name) return i;
    FAIL("no column " << name);
    return 0;
}

} // namespace

TEST_CASE("export stat: names from LimeSurvey-style headings are valid, stable and unique") {
    std::vector<std::string> h = {"A1[other]", "M[R1][2]", "Größe[Straße]", "1abc", "BY", "with", "by", "a1[other]",
                                  "Q[r1_w]", "str12", "x y-z", "€", std::string(80, 'L') + "1", std::string(80, 'L') + "2"};
    std::vector<std::string> sav = stat_names(h, StatFormat::Sav), dta = stat_names(h, StatFormat::Dta);
    CHECK(sav[0] == "A1_other");
    CHECK(sav[1] == "M_R1_2");
    CHECK(sav[2] == "Groesse_Strasse");
    CHECK(sav[3] == "v1abc");
    CHECK(sav[4] == "BY_");        // SPSS reserved word
    CHECK(sav[5] == "with_");
    CHECK(sav[6] == "by__2");      // "by_" is taken case-insensitively by "BY_"
    CHECK(sav[7] == "a1_other_2"); // differs from A1_other only in case
    CHECK(sav[8] == "Q_r1_w");
    CHECK(sav[9] == "str12_");     // Stata type name
    CHECK(sav[10] == "x_y_z");
    CHECK(sav[11] == "v");
    CHECK(sav[12] == std::string(64, 'L'));
    CHECK(sav[13] == std::string(62, 'L') + "_2");
    CHECK(dta[12] == std::string(32, 'L'));
    CHECK(dta[13] == std::string(30, 'L') + "_2");
    for (const auto* names : {&sav, &dta})
        for (size_t i = 0; i < names->size(); i++) {
            const std::string& n = (*names)[i];
            CHECK(n.size() <= (names == &sav ? 64u : 32u));
            CHECK(std::isalpha((unsigned char)n[0]));
            CHECK(n.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == std::string::npos);
            for (size_t j = 0; j < i; j++) CHECK(lower_copy(n) != lower_copy((*names)[j]));
        }
    // Stable: the same headings give the same names every time.
    CHECK(stat_names(h, StatFormat::Sav) == sav);
}

TEST_CASE("export stat: numeric-like option codes") {
    CHECK(is_numeric_code("3"));
    CHECK(is_numeric_code("-1"));
    CHECK(is_numeric_code("2.5"));
    CHECK_FALSE(is_numeric_code("A1"));
    CHECK_FALSE(is_numeric_code("1e3"));
    CHECK_FALSE(is_numeric_code(" 1"));
    CHECK_FALSE(is_numeric_code("1."));
    CHECK_FALSE(is_numeric_code("-"));
    CHECK_FALSE(is_numeric_code(""));
}

TEST_CASE("export stat: one variable per CSV column; codes, numeric coding and missing cases") {
    auto s = stat_survey();
    std::vector<DecryptedResponse> rs = stat_responses(*s);
    StatTable t = stat_table(*s, rs, StatFormat::Sav);
    std::vector<std::string> names;
    for (const StatVariable& v : t.vars) names.push_back(v.name);
    CHECK(names == std::vector<std::string>{"id", "channel", "site", "event", "language", "started", "finished", "complete",
                                            "sheet", "interviewer", "enterer1", "enterer2", "resolver", "S1", "S1_other", "S2",
                                            "BY_", "M1_a", "M1_b", "N1", "N2", "L1"});
    REQUIRE(t.rows.size() == 3);

    const StatVariable& s1 = var(t, "S1");   // codes A1, A2: 1..k in option order, "andere" next
    CHECK_FALSE(s1.codes_are_numbers);
    REQUIRE(s1.codes.size() == 4);
    CHECK((s1.codes[0].code == "A1" && s1.codes[0].value == 1 && s1.codes[0].label == "hier"));
    CHECK((s1.codes[1].code == "A2" && s1.codes[1].value == 2));
    CHECK((s1.codes[2].code == "-oth-" && s1.codes[2].value == 3));
    CHECK((s1.codes[3].code == "A9" && s1.codes[3].value == 4 && !s1.codes[3].in_survey)); // found in the data
    CHECK(std::find_if(t.warnings.begin(), t.warnings.end(), [](const std::string& w) { return w.find("'A9'") != std::string::npos; }) !=
          t.warnings.end());
    CHECK(s1.label == "Wo?");
    const StatVariable& s2 = var(t, "S2");   // numeric codes keep their values
    CHECK(s2.codes_are_numbers);
    CHECK((s2.codes[0].value == 10 && s2.codes[1].value == 20));
    CHECK(var(t, "M1_b").label == "Was? [Bahn]");

    auto value = [&](size_t row, const std::string& name) {
        for (size_t c = 0; c < t.vars.size(); c++)
            if (t.vars[c].name == name) return stat_value(t.vars[c], t.rows[row][c]);
        FAIL("no variable " << name);
        return StatValue{};
    };
    CHECK(value(0, "S1").number == 2);
    CHECK(value(0, "S2").number == 20);
    CHECK(value(0, "BY_").number == 1);
    CHECK(value(0, "M1_a").number == 0);
    CHECK(value(0, "M1_b").number == 1);
    CHECK(value(0, "N1").number == -3);        // a real answer of -3 ...
    CHECK(var(t, "N1").missing_base == -99991); // ... so N1's missing codes are -99991..-99996
    CHECK(var(t, "N2").missing_base == -1);     // min 0: -1..-6 cannot be answers
    CHECK(value(1, "S1").number == 3);
    CHECK(value(1, "S2").missing == StatMissing::Illegible);
    CHECK(value(1, "BY_").missing == StatMissing::NoAnswer);
    CHECK(value(1, "M1_a").missing == StatMissing::Multiple); // every option column of the field
    CHECK(value(1, "M1_b").missing == StatMissing::Multiple);
    CHECK(value(1, "N1").missing == StatMissing::Skipped);
    CHECK(stat_missing_value(var(t, "N1"), StatMissing::Skipped) == -99991);
    CHECK(value(1, "N2").missing == StatMissing::NotShown);
    CHECK(stat_missing_value(var(t, "N2"), StatMissing::NotShown) == -2);
    CHECK(value(1, "L1").text.empty());        // a skipped text stays empty
    CHECK(value(2, "S2").missing == StatMissing::Multiple);
    CHECK(value(2, "BY_").missing == StatMissing::Skipped);
    CHECK(value(2, "complete").number == 0);
    CHECK(value(2, "N2").missing == StatMissing::NotReached); // a partial response never got there ...
    CHECK(stat_missing_value(var(t, "N2"), StatMissing::NotReached) == -6); // ... after the older five codes
    CHECK(value(1, "N2").missing == StatMissing::NotShown);   // a condition hid it: not the same case
    CHECK(var(t, "L1").width == 3002);
}

TEST_CASE("export stat: long texts - SPSS keeps 3000 bytes, Stata cuts at 2045 with a warning") {
    auto s = stat_survey();
    std::vector<DecryptedResponse> rs = stat_responses(*s);
    StatTable sav = stat_table(*s, rs, StatFormat::Sav);
    CHECK(var(sav, "L1").cut == 0);
    StatTable dta = stat_table(*s, rs, StatFormat::Dta);
    CHECK(var(dta, "L1").cut == 1);
    CHECK(var(dta, "L1").width == 2045);
    CHECK(std::find_if(dta.warnings.begin(), dta.warnings.end(),
                       [](const std::string& w) { return w.find("L1: 1 texts longer than 2045") != std::string::npos; }) != dta.warnings.end());
    // Beyond SPSS's own limit the text is cut on a character boundary.
    rs[0].response.answers["L1"].value = std::string(32766, 'y') + "ää";
    StatTable big = stat_table(*s, rs, StatFormat::Sav);
    CHECK(var(big, "L1").cut == 1);
    CHECK(var(big, "L1").width == 32766); // "ä" is two bytes: the first would end at 32768
}

TEST_CASE("export stat: the .sav reads back with labels, value labels and user-missing values") {
    auto s = stat_survey();
    std::vector<DecryptedResponse> rs = stat_responses(*s);
    StatTable t = stat_table(*s, rs, StatFormat::Sav);
    TempDir dir;
    std::string err;
    REQUIRE_MESSAGE(write_stat_file(*s, t, StatFormat::Sav, dir / "x.sav", false, &err), err);
    CHECK_FALSE(write_stat_file(*s, t, StatFormat::Sav, dir / "x.sav", false, &err)); // no silent overwrite
    CHECK(err.find("exists already") != std::string::npos);
    ReadBack r = read_back(dir / "x.sav", StatFormat::Sav);
    CHECK(r.file_label == "stat-test 3 " + s->hash.substr(7, 12));
    CHECK(r.names.size() == t.vars.size());
    size_t s1 = col(r, "S1"), n1 = col(r, "N1"), l1 = col(r, "L1"), s2 = col(r, "S2");
    CHECK(r.labels[s1] == "Wo?");
    CHECK(r.missing_ranges[s1] == "-6..-1");
    CHECK(r.missing_ranges[n1] == "-99996..-99991");
    REQUIRE(r.cells.size() == 3);
    CHECK(r.cells[0][s1] == "2");
    CHECK(r.cells[1][s1] == "3");
    CHECK(r.cells[1][s2] == "-4");
    CHECK(r.cells[2][s2] == "-5");
    CHECK(r.cells[1][n1] == "-99991");
    CHECK(r.cells[0][l1] == std::string(3000, 'x') + "ä"); // a very long string, whole
    const auto& labels = r.value_labels[r.label_sets[s1]];
    CHECK(labels.at("1") == "A1 hier");        // the original code stays in the label
    CHECK(labels.at("3") == "-oth- andere");
    CHECK(labels.at("-4") == "unleserlich (Papier)");
    CHECK(r.value_labels[r.label_sets[s2]].at("20") == "oft");
}

TEST_CASE("export stat: the .dta reads back with tagged missing values .a .. .f and value labels") {
    auto s = stat_survey();
    std::vector<DecryptedResponse> rs = stat_responses(*s);
    StatTable t = stat_table(*s, rs, StatFormat::Dta);
    TempDir dir;
    std::string err;
    REQUIRE_MESSAGE(write_stat_file(*s, t, StatFormat::Dta, dir / "x.dta", false, &err), err);
    ReadBack r = read_back(dir / "x.dta", StatFormat::Dta);
    CHECK(r.file_label == "stat-test 3 " + s->hash.substr(7, 12));
    size_t s1 = col(r, "S1"), s2 = col(r, "S2"), by = col(r, "BY_"), n2 = col(r, "N2"), m1 = col(r, "M1_a"), l1 = col(r, "L1");
    REQUIRE(r.cells.size() == 3);
    CHECK(r.cells[0][s1] == "2");
    CHECK(r.cells[1][s2] == ".d");
    CHECK(r.cells[2][s2] == ".e");
    CHECK(r.cells[1][by] == ".c");
    CHECK(r.cells[2][by] == ".a");
    CHECK(r.cells[1][n2] == ".b");
    CHECK(r.cells[2][n2] == ".f"); // not reached
    CHECK(r.cells[1][m1] == ".e");
    CHECK(r.cells[0][l1].size() == 2045);
    const auto& labels = r.value_labels[r.label_sets[s1]];
    CHECK(labels.at("2") == "A2 dort");
    CHECK(labels.at(".c") == "keine Antwort");
    CHECK(labels.at(".f") == "nicht erreicht (abgebrochen)");
}

TEST_CASE("export ddi: escaping and the structure of the codebook") {
    CHECK(xml_escape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&apos;");
    CHECK(xml_escape("ä\x01z") == "ä\xEF\xBF\xBDz");       // a control character XML cannot hold
    CHECK(xml_escape("\xC3") == "\xEF\xBF\xBD");             // cut UTF-8
    CHECK(xml_escape("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); // a surrogate
    auto s = stat_survey();
    StatTable t = stat_table(*s, stat_responses(*s), StatFormat::Sav);
    std::string x = export_ddi(*s, t, StatFormat::Sav, "x.sav");
    CHECK(x.find("<titl>Test &lt;&amp;&gt; &quot;Statistik&quot;</titl>") != std::string::npos);
    CHECK(x.find("<IDNo agency=\"teilhabe\">stat-test/3/" + s->hash + "</IDNo>") != std::string::npos);
    CHECK(x.find("<caseQnty>3</caseQnty><varQnty>22</varQnty>") != std::string::npos);
    CHECK(x.find("name=\"S1\"") != std::string::npos);
    CHECK(x.find("<catValu>3</catValu>\n        <labl>andere</labl>\n        <txt>code -oth-</txt>") != std::string::npos);
    CHECK(x.find("<catgry missing=\"Y\">\n        <catValu>-99991</catValu>") != std::string::npos);
    CHECK(x.find("<invalrng><range min=\"-6\" max=\"-1\"/></invalrng>") != std::string::npos);
    CHECK(x.find("<catValu>-6</catValu>\n        <labl>nicht erreicht (abgebrochen)</labl>") != std::string::npos);
    std::string d = export_ddi(*s, stat_table(*s, stat_responses(*s), StatFormat::Dta), StatFormat::Dta, "");
    CHECK(d.find("<catValu>.e</catValu>") != std::string::npos);
    CHECK(d.find("<catValu>.f</catValu>") != std::string::npos);
}

TEST_CASE("export stat: a text column holding only missing cases is wide enough for their codes") {
    // One partial response: every text is "not reached", written as "-6" - wider than any answer.
    auto s = stat_survey();
    DecryptedResponse d = response(*s, 1);
    d.response.complete = false;
    StatTable t = stat_table(*s, {d}, StatFormat::Dta);
    CHECK(var(t, "L1").width >= 2);
    TempDir dir;
    std::string err;
    for (StatFormat f : {StatFormat::Dta, StatFormat::Sav}) {
        std::string path = dir / (f == StatFormat::Dta ? "x.dta" : "x.sav");
        REQUIRE_MESSAGE(write_stat_file(*s, stat_table(*s, {d}, f), f, path, false, &err), err);
        ReadBack r = read_back(path, f);
        REQUIRE(r.cells.size() == 1);
        CHECK(r.cells[0][col(r, "L1")] == "-6");
        CHECK(r.cells[0][col(r, "N2")] == (f == StatFormat::Dta ? ".f" : "-6"));
    }
}

TEST_CASE("export stat: codes Stata cannot label, and unknown codes never land on a missing or taken value") {
    auto s = stat_survey();
    DecryptedResponse d = response(*s, 1);
    d.response.answers["S2"].value = "-3"; // not an option; as a number it would read as "keine Antwort"
    StatTable t = stat_table(*s, {d}, StatFormat::Dta);
    const StatVariable& s2 = var(t, "S2");
    REQUIRE(s2.codes.size() == 3);
    CHECK((s2.codes[2].code == "-3" && s2.codes[2].value == 21 && !s2.codes[2].in_survey));
    // A code too large for a Stata value label (32 bits) is coded 1..k.
    std::string text = kStatSurvey;
    text.replace(text.find("\"code\": \"10\""), 12, "\"code\": \"1234567890\"");
    LoadResult lr = parse_survey(text, "x.json");
    for (const LoadError& e : lr.errors) FAIL_CHECK(e.to_string());
    REQUIRE(lr.ok());
    StatTable t2 = stat_table(*lr.survey, {}, StatFormat::Sav);
    const StatVariable& v = var(t2, "S2");
    CHECK_FALSE(v.codes_are_numbers);
    CHECK((v.codes[0].code == "1234567890" && v.codes[0].value == 1 && v.codes[1].value == 2));
}
