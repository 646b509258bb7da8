// fuzz_csv_report.cpp - the research side's readers on arbitrary bytes: the responses.jsonl
// reader (whatever it accepts then goes through the CSV export, the codebook and the report,
// none of which may crash), and the record-by-record bundle salvage used when a bundle's
// signature fails (never reads past the end; every record it returns parses again).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "export_csv.h"
#include "report.h"
#include "research.h"

namespace {

// Every question type, so each export path runs.
const char* kSurvey = R"({"format": "teilhabe-survey/1", "id": "fuzz", "version": "1", "languages": ["de"],
 "title": "Fuzz", "settings": {"no_answer_option": true}, "groups": [{"code": "G", "title": "G", "questions": [
  {"code": "S1", "type": "single", "text": "S", "other": true, "comment": true,
   "options": [{"code": "1", "text": "a"}, {"code": "2", "text": "b"}]},
  {"code": "M1", "type": "multiple", "text": "M", "other": true, "options": [{"code": "a", "text": "a"}, {"code": "b", "text": "b"}]},
  {"code": "T1", "type": "text", "text": "T"}, {"code": "N1", "type": "numeric", "text": "N"},
  {"code": "Y1", "type": "yesno", "text": "Y"}, {"code": "R1", "type": "rating", "text": "R", "scale": {"min": 1, "max": 5}},
  {"code": "X1", "type": "matrix", "text": "X", "options": [{"code": "1", "text": "a"}], "options2": [{"code": "g", "text": "g"}],
   "rows": [{"code": "SQ001", "text": "r"}]},
  {"code": "X3", "type": "matrix", "cell": "number", "text": "X", "options": [{"code": "w", "text": "w"}], "rows": [{"code": "r1", "text": "r"}]},
  {"code": "RK", "type": "ranking", "text": "K", "options": [{"code": "z", "text": "z"}, {"code": "g", "text": "g"}]},
  {"code": "RL", "type": "ranked_list", "text": "L"},
  {"code": "MT", "type": "multi_text", "text": "MT", "rows": [{"code": "t", "text": "t"}]},
  {"code": "MN", "type": "multi_numeric", "text": "MN", "rows": [{"code": "k", "text": "k"}]},
  {"code": "DT", "type": "date", "text": "D"}]}]})";

const tk::Survey& survey() {
    static tk::LoadResult lr = tk::parse_survey(kSurvey, "fuzz.json");
    if (!lr.ok()) abort();
    return *lr.survey;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    tk::JsonlRead jr = tk::parse_responses_jsonl(text, "fuzz.jsonl");
    for (const std::string& e : jr.errors)
        if (e.rfind("fuzz.jsonl: line ", 0) != 0) abort(); // every error names its line
    // What was accepted writes out and reads back the same.
    std::string again;
    for (const tk::DecryptedResponse& d : jr.responses) again += tk::responses_jsonl_line(d) + "\n";
    tk::JsonlRead jr2 = tk::parse_responses_jsonl(again, "again.jsonl");
    if (!jr2.errors.empty() || jr2.responses.size() != jr.responses.size()) abort();
    for (size_t i = 0; i < jr.responses.size(); i++)
        if (!(jr2.responses[i].response == jr.responses[i].response) || jr2.responses[i].record_id != jr.responses[i].record_id)
            abort();
    std::string csv = tk::export_csv(survey(), jr.responses, tk::CsvOptions{});
    if (csv.empty()) abort();
    std::string html = tk::render_report(survey(), jr.responses, tk::ReportOptions{});
    if (html.find("</html>") == std::string::npos) abort();

    std::vector<tk::Record> recs;
    std::string err;
    tk::salvage_bundle_records(data, size, recs, nullptr, &err);
    for (const tk::Record& r : recs) {
        std::vector<uint8_t> w = tk::serialize_record(r);
        tk::Record back;
        if (!tk::parse_record(w.data(), w.size(), back, &err)) abort();
    }
    return 0;
}
