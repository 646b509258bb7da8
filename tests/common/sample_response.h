// sample_response.h - the finished kiosk response that unit tests and benchmarks start from.
//
// Many tests need "a complete response of survey X": the head of it (survey, version, hash,
// site, times) is the same everywhere and only the answers differ. Building it here lets each
// test say only what is particular to it.
#pragma once
#include <cstdint>
#include <string>

#include "response.h"

namespace tk::test {

// A survey hash of the real length ("sha256:" and 64 hex digits), for benchmarks whose record
// sizes should match the field's.
inline constexpr const char* kBenchHash = "sha256:4f2a9c0e5b7d1e3f8a6c4b2d0e9f7a5c3b1d8e6f4a2c0b9d7e5f3a1c8b6d4e2f";

// A complete German kiosk response started at `started` (Unix seconds) and finished `seconds`
// later, with no answers yet. The defaults are the citizen survey at the library kiosk.
inline Response finished_response(int64_t started, int64_t seconds, const std::string& survey_id = "buerger-digital",
                                  const std::string& hash = "sha256:feed", const std::string& version = "1.0",
                                  const std::string& site = "Stadtbibliothek") {
    Response r;
    r.survey_id = survey_id;
    r.survey_version = version;
    r.survey_hash = hash;
    r.language = "de";
    r.site = site;
    r.started = started;
    r.finished = started + seconds;
    r.complete = true;
    return r;
}

} // namespace tk::test
