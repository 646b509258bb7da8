// fuzz_paper_entry.cpp - the paper entry file reader, sheet ids and the tally reader on
// arbitrary bytes. The first byte picks the reader:
//   'T'  tally JSON: anything parse_tally accepts serialises to bytes that read back the same;
//   'S'  sheet id: an accepted id is normalised, and its normal form is accepted unchanged;
//   else entry file against a survey with every question type: every accepted entry turns
//        into a response that the response reader takes back unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "paper_entry.h"
#include "sheet_id.h"
#include "tally.h"

static const char* kSurvey = R"({"format":"teilhabe-survey/1","id":"fuzz-paper","version":"1",
"languages":["de","de-x-ls"],"title":"F","settings":{"no_answer_option":true},"groups":[
{"code":"A","title":"A","questions":[
 {"code":"S","type":"single","text":"s","other":true,"comment":true,"options":[{"code":"1","text":"a"},{"code":"2","text":"b"}]},
 {"code":"M","type":"multiple","text":"m","other":true,"options":[{"code":"X","text":"x"},{"code":"Y","text":"y","exclusive":true}]},
 {"code":"T","type":"text","text":"t","condition":"S == '1'"},
 {"code":"L","type":"longtext","text":"l"},
 {"code":"N","type":"numeric","text":"n","min":0,"max":10},
 {"code":"Y","type":"yesno","text":"y"},
 {"code":"R","type":"rating","text":"r","scale":{"min":0,"max":10}},
 {"code":"X","type":"matrix","text":"x","options":[{"code":"1","text":"a"},{"code":"2","text":"b"}],
  "options2":[{"code":"A","text":"a"}],"rows":[{"code":"R1","text":"r1"},{"code":"R2","text":"r2","condition":"Y == 'Y'"}]},
 {"code":"C","type":"matrix","text":"c","cell":"number","options":[{"code":"a","text":"a"}],"rows":[{"code":"r","text":"r"}]},
 {"code":"K","type":"ranking","text":"k","max_answers":2,"options":[{"code":"p","text":"p"},{"code":"q","text":"q"},{"code":"r","text":"r"}]},
 {"code":"D","type":"ranked_list","text":"d","max_answers":2},
 {"code":"U","type":"multi_text","text":"u","rows":[{"code":"a","text":"a"}]},
 {"code":"V","type":"multi_numeric","text":"v","rows":[{"code":"a","text":"a"}]},
 {"code":"E","type":"date","text":"e"}]},
{"code":"B","title":"B","condition":"M >= 1","questions":[{"code":"Z","type":"text","text":"z"}]}]})";

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static std::shared_ptr<const tk::Survey> survey = [] {
        tk::LoadResult lr = tk::parse_survey(kSurvey, "fuzz");
        if (!lr.ok()) abort();
        return lr.survey;
    }();
    std::string text(reinterpret_cast<const char*>(data), size);
    std::string err;
    if (!text.empty() && text[0] == 'T') {
        tk::Tally t;
        if (!tk::parse_tally(text.substr(1), t, &err)) {
            if (err.empty()) abort();
            return 0;
        }
        std::string once = tk::serialize_tally(t);
        tk::Tally again;
        if (!tk::parse_tally(once, again, &err)) abort();
        if (tk::serialize_tally(again) != once) abort();
        return 0;
    }
    if (!text.empty() && text[0] == 'S') {
        std::string norm, again;
        if (!tk::parse_sheet_id(text.substr(1), norm, &err)) {
            if (err.empty()) abort();
            return 0;
        }
        if (!tk::parse_sheet_id(norm, again, &err) || again != norm || norm.size() != 12) abort();
        return 0;
    }
    std::vector<tk::PaperEntry> entries;
    std::vector<std::string> errors;
    if (!tk::parse_paper_entries(*survey, text, "fuzz", entries, &errors)) {
        if (errors.empty()) abort();
        return 0;
    }
    for (const auto& e : entries) {
        // The text form reads back to the same values.
        std::vector<tk::PaperEntry> back;
        if (!tk::parse_paper_entries(*survey, tk::paper_entry_to_text(*survey, e), "rt", back, &errors)) abort();
        if (back.size() != 1 || back[0].values != e.values) abort();
        tk::PaperSealInfo info{"site", "event", "a", "b", "", 1780000000};
        tk::Response r;
        if (!tk::paper_entry_to_response(survey, e, info, r, &err)) abort();
        tk::Response parsed;
        if (!tk::parse_response(tk::serialize_response(r), parsed, &err)) abort();
        if (!(parsed == r)) abort();
        if (!tk::compare_paper_entries(*survey, e, back[0]).empty()) abort();
    }
    return 0;
}
