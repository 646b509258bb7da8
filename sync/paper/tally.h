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
// A tally entered wrongly is never deleted (the vault only appends): a **void record** takes it
// back. It is a tally record too, with "voids" (the record id of the tally it takes back) and
// "reason", and no counts; event and question are empty, place and survey are the voided
// record's. The two keys are written only in a void record, so a tally's bytes are unchanged:
//   {"counts":[],"date":"2026-06-14","entered_by":"ben","event":"","format":"teilhabe-tally/1",
//    "method":"","place":"Marktplatz","question":"","reason":"Poster doppelt gezählt",
//    "survey_hash":"sha256:...","survey_id":"buerger-digital","voids":"3f9a1c0d2b7e4a55-000007"}
// The research side drops a voided tally from every count and lists it as voided.
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
    std::string voids;           // a void record: record id of the tally it takes back ("" = a tally)
    std::string reason;          // a void record: why (required there)
    bool is_void() const { return !voids.empty(); }
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

// The void record of the tally sealed in `vault` as record `record_id` (a vault holds only
// sealed answers, so what it can check is the plain metadata: the record exists, has channel
// tally and belongs to survey `s`). `date` is the day of voiding (YYYY-MM-DD), `by` who voids.
// False with *error naming what is wrong (no such record, not a tally, another survey, no reason).
bool make_tally_void(const Vault& vault, const Survey& s, const std::string& record_id, const std::string& reason,
                     const std::string& by, const std::string& date, Tally& out, std::string* error);

} // namespace tk
