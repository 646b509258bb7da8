// sync_research_util.cpp - the research tests' shared helpers (see sync_research_util.h).
#include "sync_research_util.h"

#include "sample_response.h"
#include "survey.h"
#include "test_survey.h"

namespace tk::test {

Response sample_response(int i) {
    Response r = finished_response(1764000000 + i * 600, 300, "bedarfe-akteure", "sha256:test");
    r.language = i % 2 ? "en" : "de";
    r.answers["C1"].value = std::to_string(1 + i % 4);
    r.answers["A2"].value = "Antwort Nummer " + std::to_string(i);
    r.skipped = {"B1"};
    return r;
}

// n chained records of one device holding sample responses 0..n-1.
std::vector<Record> sealed_chain(const ResearchSecretKey& k, const Device& d, int n) {
    std::vector<Record> out;
    Hash32 prev{};
    for (int i = 0; i < n; i++) {
        Response r = sample_response(i);
        RecordMeta m{r.survey_id, r.survey_hash, r.channel, r.site, r.finished};
        Record rec;
        std::string err;
        REQUIRE_MESSAGE(seal_record(serialize_response(r), m, k.pub.box_pk, d.sk, uint64_t(i + 1), prev, rec, &err), err);
        prev = record_hash(rec);
        out.push_back(rec);
    }
    return out;
}

std::string source_dir() { return TK_SOURCE_DIR; }

std::shared_ptr<const Survey> load_or_fail(const std::string& path) {
    LoadResult lr = load_survey(path);
    for (const LoadError& e : lr.errors) FAIL_CHECK(e.to_string());
    REQUIRE(lr.ok());
    return lr.survey;
}

// Every question type once, with conditions so that "not shown" happens.
const char* const kAllTypes = R"({
 "format": "teilhabe-survey/1", "id": "alle-typen", "version": "2", "languages": ["de", "en"],
 "title": {"de": "Alle Typen", "en": "All types"},
 "settings": {"no_answer_option": true},
 "groups": [{"code": "G", "title": {"de": "Gruppe", "en": "Group"}, "questions": [
  {"code": "S1", "type": "single", "text": {"de": "Wo?", "en": "Where?"}, "other": true, "comment": true,
   "options": [{"code": "A1", "text": {"de": "hier", "en": "here"}}, {"code": "A2", "text": {"de": "dort", "en": "there"}}]},
  {"code": "M1", "type": "multiple", "text": {"de": "Was?", "en": "What?"}, "other": true,
   "options": [{"code": "a", "text": {"de": "Bus", "en": "bus"}}, {"code": "b", "text": {"de": "Bahn", "en": "train"}}]},
  {"code": "T1", "type": "text", "text": {"de": "Name?", "en": "Name?"}},
  {"code": "L1", "type": "longtext", "text": {"de": "Warum?", "en": "Why?"}},
  {"code": "N1", "type": "numeric", "text": {"de": "Alter?", "en": "Age?"}},
  {"code": "Y1", "type": "yesno", "text": {"de": "Online?", "en": "Online?"}},
  {"code": "R1", "type": "rating", "text": {"de": "Zufrieden?", "en": "Happy?"}, "scale": {"min": 1, "max": 5, "min_label": {"de": "gar nicht", "en": "not at all"}, "max_label": {"de": "sehr", "en": "very"}}},
  {"code": "X1", "type": "matrix", "text": {"de": "Wie gut?", "en": "How good?"},
   "options": [{"code": "1", "text": {"de": "gut", "en": "good"}}, {"code": "2", "text": {"de": "schlecht", "en": "bad"}}],
   "rows": [{"code": "SQ001", "text": {"de": "Termin", "en": "Appointment"}}, {"code": "SQ002", "text": {"de": "Formular", "en": "Form"}}]},
  {"code": "X2", "type": "matrix", "text": {"de": "Wichtig und gut?", "en": "Important and good?"},
   "options": [{"code": "1", "text": {"de": "wichtig", "en": "important"}}, {"code": "2", "text": {"de": "unwichtig", "en": "unimportant"}}],
   "options2": [{"code": "g", "text": {"de": "gut", "en": "good"}}, {"code": "s", "text": {"de": "schlecht", "en": "bad"}}],
   "scale_headers": [{"de": "Wichtigkeit", "en": "Importance"}, {"de": "Zufriedenheit", "en": "Satisfaction"}],
   "rows": [{"code": "SQ001", "text": {"de": "WLAN", "en": "Wifi"}}]},
  {"code": "X3", "type": "matrix", "cell": "number", "text": {"de": "Wie viele?", "en": "How many?"},
   "options": [{"code": "w", "text": {"de": "Woche", "en": "week"}}],
   "rows": [{"code": "r1", "text": {"de": "Bücher", "en": "Books"}}, {"code": "r2", "text": {"de": "Filme", "en": "Films"}}]},
  {"code": "RK", "type": "ranking", "text": {"de": "Reihenfolge?", "en": "Order?"}, "max_answers": 2,
   "options": [{"code": "z", "text": {"de": "Zeit", "en": "time"}}, {"code": "g", "text": {"de": "Geld", "en": "money"}}, {"code": "h", "text": {"de": "Hilfe", "en": "help"}}]},
  {"code": "RL", "type": "ranked_list", "text": {"de": "Themen?", "en": "Topics?"}, "max_answers": 2},
  {"code": "MT", "type": "multi_text", "text": {"de": "Kontakt?", "en": "Contact?"},
   "rows": [{"code": "tel", "text": {"de": "Telefon", "en": "Phone"}}, {"code": "ort", "text": {"de": "Ort", "en": "Town"}}]},
  {"code": "MN", "type": "multi_numeric", "text": {"de": "Personen?", "en": "People?"},
   "rows": [{"code": "k", "text": {"de": "Kinder", "en": "Children"}}, {"code": "e", "text": {"de": "Erwachsene", "en": "Adults"}}]},
  {"code": "DT", "type": "date", "text": {"de": "Seit wann?", "en": "Since when?"}},
  {"code": "IN", "type": "info", "text": {"de": "Danke.", "en": "Thanks."}},
  {"code": "H1", "type": "text", "condition": "Y1 == 'N'", "text": {"de": "Warum nicht?", "en": "Why not?"}}
 ]}]})";

std::shared_ptr<const Survey> all_types_survey() { return test::parsed_survey(kAllTypes, "alle-typen.json"); }

DecryptedResponse all_types_response(const Survey& s) {
    DecryptedResponse d;
    d.record_id = "3f9a1c0d2b7e4a55-000042";
    Response& r = d.response;
    r.survey_id = s.id;
    r.survey_version = s.version;
    r.survey_hash = s.hash;
    r.language = "de";
    r.channel = "paper";
    r.site = "Bibliothek, Erdgeschoss";
    r.event = "Fest \"2026\"";
    r.started = 1764082980;   // 2025-11-25T15:03:00Z
    r.finished = 1764083280;  // 2025-11-25T15:08:00Z
    r.complete = true;
    r.answers["S1"].value = "-oth-";
    r.answers["S1"].other = "im Park";
    r.answers["S1"].comment = "Zeile 1\nZeile 2";
    r.answers["M1"].values = {"b"};
    r.answers["M1"].other = "Rad";
    r.answers["T1"].value = " Anna ";
    r.answers["N1"].value = "42.5";
    r.answers["Y1"].value = "Y";
    r.answers["R1"].no_answer = true;
    r.answers["X1"].cells = {{"SQ002", "1"}};
    r.answers["X2"].cells = {{"SQ001", "2"}, {"SQ001#1", "g"}};
    r.answers["X3"].cells = {{"r1_w", "3"}, {"r2_w", "0"}};
    r.answers["RK"].values = {"h", "z"};
    r.answers["RL"].values = {"Busse"};
    r.answers["MT"].cells = {{"ort", "Köln"}};
    r.answers["MN"].cells = {{"k", "2"}, {"e", "1"}};
    r.skipped = {"L1", "DT"};
    r.not_shown = {"H1"};
    return d;
}

// The cells of the row for `key` in the table of `block`: {count, percent}.
std::pair<std::string, std::string> html_row(const std::string& html, const std::string& block, const std::string& key) {
    std::string start = "<tr data-b=\"" + block + "\" data-k=\"" + key + "\">";
    size_t p = html.find(start);
    INFO("row " << block << " / " << key);
    REQUIRE(p != std::string::npos);
    size_t c = html.find("<td class=\"cnt\">", p), e = html.find("</td>", c);
    size_t q = html.find("<td class=\"pct\">", p), f = html.find("</td>", q);
    REQUIRE(c != std::string::npos);
    REQUIRE(q != std::string::npos);
    return {html.substr(c + 16, e - c - 16), html.substr(q + 16, f - q - 16)};
}

bool has_n(const std::string& html, const std::string& block, int n) {
    return html.find("<span class=\"n\" data-b=\"" + block + "\">n = " + std::to_string(n) + "</span>") != std::string::npos;
}

} // namespace tk::test
