// bench_needs.h - what the research-side benchmarks (bench_research, bench_stat) share:
//   needs_response_head()   the head of a plausible needs-survey response number i
//   fill_other_answer()     an answer to a matrix, ranking or open question
//   seconds_since()         wall seconds since a steady-clock time point
#pragma once
#include <chrono>
#include <cstdint>
#include <random>

#include "response.h"
#include "survey.h"

namespace tk::bench {

inline double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Response i of a season at two libraries: every fifth in English, every seventh from paper,
// about 4 to 14 minutes long, complete, no answers yet. Draws one number from `rng`.
inline Response needs_response_head(const Survey& s, std::mt19937& rng, int i) {
    Response r;
    r.survey_id = s.id;
    r.survey_version = s.version;
    r.survey_hash = s.hash;
    r.language = i % 5 ? "de" : "en";
    r.channel = i % 7 ? kChannelKiosk : kChannelPaper;
    r.site = i % 2 ? "Stadtbibliothek, Interneterfahrungsort" : "Stadtteilbibliothek Nord";
    r.started = 1764086000 + int64_t(i) * 37;
    r.finished = r.started + 240 + int64_t(rng() % 600);
    r.complete = true;
    return r;
}

// A matrix gets a random option per row (one draw each), a ranking two fixed entries, any
// other question type the same sentence of free text.
inline void fill_other_answer(const Question& q, std::mt19937& rng, Answer& a) {
    switch (q.type) {
    case QuestionType::Matrix:
        for (const Row& row : q.rows) a.cells[row.code] = q.options[rng() % q.options.size()].code;
        break;
    case QuestionType::RankedList: a.values = {"Beratung vor Ort", "Schulungen"}; break;
    default: a.value = "Wir haben mit der Umstellung der Ausleihe begonnen, es fehlt an Zeit und Personal."; break;
    }
}

} // namespace tk::bench
