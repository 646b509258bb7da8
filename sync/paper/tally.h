// tally.h - aggregate counts from analogue events (dot-voting posters, a show of hands).
//
// A tally is not a respondent: it says "at the Stadtteilfest on 2026-06-13 on the Marktplatz,
// 23 dots went to option 2 of question ONLINE". It is sealed like any record (channel
// "tally") so it travels the same way, and reports keep it apart from individual responses:
// it never enters a question's n. Canonical JSON, keys sorted (format "teilhabe-tally/1"):
//   {"counts":[{"count":23,"option":"2"},{"count":5,"option":"3"}],"date":"2026-06-13",
//    "entered_by":"anna","event":"Stadtteilfest","format":"teilhabe-tally/1",
//    "method":"dots","place":"Marktplatz","question":"ONLINE",
//    "survey_hash":"sha256:...","survey_id":"buerger-digital"}
// See sync/paper/PAPER.md.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "survey.h"
#include "vault.h"

namespace tk {

struct TallyCount {
    std::string option;          // option code (closed question) or the written-in theme
    int64_t count = 0;
};

struct Tally {
    std::string survey_id, survey_hash;
    std::string event;           // "Stadtteilfest 2026" (required)
    std::string place;           // "Marktplatz" (required; also the record's site)
    std::string date;            // "YYYY-MM-DD"
    std::string question;        // question code of the survey
    std::string method;          // "dots", "hands", ... ("" = not said)
    std::string entered_by;      // staff id
    std::vector<TallyCount> counts;
};

inline constexpr int64_t kMaxTallyCount = 1000000;

// Checks against the survey and fills survey_id/hash: the question exists and takes answers;
// for a closed question every option is an option code or its printed box number (turned
// into the code); counts are 0..1000000; no option twice; date is a real date.
bool check_tally(const Survey& s, Tally& t, std::string* error);
std::string serialize_tally(const Tally& t);
bool parse_tally(const std::string& json_text, Tally& out, std::string* error);
// Seals the tally into the vault: channel "tally", site = place, time = the date at noon UTC.
AppendResult seal_tally(Vault& vault, const Tally& t);

} // namespace tk
