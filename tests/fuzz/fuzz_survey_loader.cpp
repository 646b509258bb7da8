// fuzz_survey_loader.cpp - the survey loader on arbitrary bytes.
//
// parse_survey must never crash or throw, must reject with at least one error or accept
// with none, and every survey it accepts must survive survey_to_json -> parse_survey
// unchanged (the LimeSurvey importer and the round-trip promise rely on that), with the same
// notes (the meta of each translation is written back). The welcome page's duration estimate of
// an accepted survey is at least a minute and never overflows.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "survey.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    tk::LoadResult r = tk::parse_survey(text, "fuzz.json");
    if (r.ok() == !r.errors.empty()) abort(); // exactly one of: survey, errors
    for (const tk::LoadError& e : r.errors)
        if (e.to_string().empty()) abort();
    if (!r.ok()) return 0;
    if (tk::estimated_minutes(*r.survey) < 1 || tk::estimated_seconds(*r.survey) < 0) abort();

    std::string out = tk::survey_to_json(*r.survey);
    tk::LoadResult again = tk::parse_survey(out, "roundtrip.json");
    if (!again.ok()) {
        for (const tk::LoadError& e : again.errors) std::fprintf(stderr, "%s\n", e.to_string().c_str());
        std::fprintf(stderr, "survey_to_json output does not load:\n%s\n", out.c_str());
        abort();
    }
    if (again.notes.size() != r.notes.size()) {
        std::fprintf(stderr, "round trip changed the notes (%zu -> %zu):\n%s\n", r.notes.size(),
                     again.notes.size(), out.c_str());
        abort();
    }
    if (tk::survey_to_json(*again.survey) != out) {
        std::fprintf(stderr, "round trip changed the survey:\n%s\n", out.c_str());
        abort();
    }
    return 0;
}
