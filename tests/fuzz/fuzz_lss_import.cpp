// fuzz_lss_import.cpp - the LimeSurvey importer and response readers on arbitrary bytes.
// Whatever the input: no crash, an error names the file, and a successful import holds only
// conditions and validation expressions the engine can parse (the importer must never pass on
// what it could not translate), and the imported survey passes the loader's check, as
// import-lss promises.
#include <cstddef>
#include <cstdint>
#include <string>

#include "expression.h"
#include "lss_import.h"
#include "lss_responses.h"
#include "survey.h"

static void must_parse(const std::string& src) {
    if (src.empty()) return;
    if (!tk::parse_expression(src).expr) __builtin_trap();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);

    tk::LssImport im = tk::import_lss(text, "fuzz.lss");
    if (!im.ok()) {
        if (im.error.rfind("fuzz.lss: ", 0) != 0) __builtin_trap();
    } else {
        const tk::Survey& s = *im.survey;
        if (s.languages.empty() || s.groups.empty()) __builtin_trap();
        for (const tk::Group& g : s.groups) {
            must_parse(g.condition_src);
            for (const tk::Question& q : g.questions) {
                must_parse(q.condition_src);
                must_parse(q.validation_src);
                must_parse(q.row_validation_src);
                for (const tk::Row& r : q.rows) must_parse(r.condition_src);
            }
        }
        // What the importer returns always passes the survey check (import-lss writes it).
        tk::LoadResult r = tk::parse_survey(tk::survey_to_json(s), "fuzz.json");
        if (!r.ok()) __builtin_trap();
    }

    tk::LsResponsesRead lsr = tk::parse_lsr(text, "fuzz.lsr");
    if (lsr.ok()) {
        // What we export, we read back to the same values.
        std::string vv = tk::export_vv(lsr.data);
        tk::LsResponsesRead back = tk::parse_vv(vv, "fuzz.vv");
        if (!back.ok() || back.data.rows.size() != lsr.data.rows.size()) __builtin_trap();
    }
    tk::parse_vv(text, "fuzz.vv");
    tk::lss_html_to_text(text);
    return 0;
}
