// delphi.h - Delphi rounds without names: participant codes, the pseudonym that travels inside
// the seal only, the group's statistics and consensus, and the signed feedback pack that carries
// each participant's own earlier answers sealed to their code.
//
// Index
//   codes            make_codes, normalize_code, code_ok, format_code
//   pseudonym, keys  ParticipantKeys, derive_participant_keys (Argon2id over the code), keys_from_pseudonym
//   statistics       ItemStats, item_stats, multiple_item_stats, crosses_consensus
//   a round's answers item_value, make_feedback_pack
//   the pack         FeedbackPack, seal_own_answers, open_own_answers, find_own_answers,
//                    write_feedback_pack, read_feedback_pack
//
// Who holds what. The research team makes the codes (`teilhabe delphi invite`) and hands them
// out; the list of who got which code never enters the product's files. A participant's code
// gives, through Argon2id, a pseudonym; the kiosk puts it into Response::pseudonym, which is
// sealed with the research key like every answer, so the server and the bundles never see it.
// From the pseudonym (which the research side reads back after decrypting) follow a lookup id
// and a key: the feedback pack names each participant's entry by the lookup id and seals it
// with the key. A kiosk without the code can open nothing; the code opens one entry.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "response.h"
#include "survey.h"

namespace tk::delphi {

// --- codes ---------------------------------------------------------------------------------
// A participant code: 20 symbols of Crockford's base32 (100 random bits) and one check symbol
// (the value mod 37, Crockford's check alphabet), printed in groups: "K7QM-4TZP-XW2R-9HNA-CD3F-2".
// make_codes draws only codes whose check symbol is a letter or digit (DELPHI.md).
std::vector<std::string> make_codes(size_t n);
// What a person typed or a scanner read, made canonical: upper case, spaces and hyphens dropped,
// O read as 0, I and L as 1. "" when the result is not 21 symbols of the alphabet.
std::string normalize_code(const std::string& typed);
// A normalized code whose check symbol matches (one wrong symbol or two swapped ones fail).
bool code_ok(const std::string& normalized);
// Groups of four with hyphens, for letters and screens.
std::string format_code(const std::string& normalized);

// --- pseudonym and keys ---------------------------------------------------------------------
struct ParticipantKeys {
    std::string pseudonym;   // 32 hex digits: Response::pseudonym, inside the seal only
    std::string lookup;      // 32 hex digits: names the participant's entry in a feedback pack
    uint8_t key[32] = {};    // opens that entry (crypto_secretbox); wiped by the destructor
    ParticipantKeys() = default;
    ParticipantKeys(const ParticipantKeys&) = delete;
    ParticipantKeys& operator=(const ParticipantKeys&) = delete;
    ~ParticipantKeys();
};
// Argon2id (libsodium's crypto_pwhash) over the normalized code, salted with the study id,
// then keys_from_pseudonym. False (with *error) when the code is not valid or memory is short.
bool derive_participant_keys(const std::string& normalized_code, const std::string& study, ParticipantKeys& out,
                             std::string* error);
// The research side holds pseudonyms (from decrypted responses), not codes: lookup id and key
// follow from the pseudonym alone (keyed BLAKE2b, one context each).
void keys_from_pseudonym(const std::string& pseudonym, ParticipantKeys& out);

// --- statistics ---------------------------------------------------------------------------------
// The group's answers to one item of a round.
struct ItemStats {
    std::string key;         // the item as asked in the round the feedback is for ("F5[S2]")
    std::string source_key;  // the item of the round before whose answers these are ("F2[S2]")
    int n = 0;               // answers with a category ("keine Antwort" and skipped do not count)
    std::vector<std::pair<std::string, int>> distribution; // option code -> count, in scale order
    bool ordinal = false;    // the codes are numbers on one scale: median, quartiles and mean apply
    bool multiple = false;   // a multiple choice (multiple_item_stats): a count per option of the n who
                             // answered, so the counts need not add up to n; never ordinal
    double median = 0, q1 = 0, q3 = 0, iqr = 0, mean = 0, sd = 0;
    bool consensus = false;  // under the survey's rule (FORMAT.md "delphi")
    std::string consensus_detail; // e.g. "80 % in the top 2 categories (rule: at least 75 %)"
};
// A code that is a plain decimal number ("1", "7", "-2", "2.5") and nothing else: the values of
// an ordinal scale, for statistics and for the analysis.
bool code_number(const std::string& code, double& out);
// values: each participant's option code for the item (one per participant). scale: the
// item's options in order (a matrix's columns, a rating's generated options).
ItemStats item_stats(const std::string& key, const std::string& source_key, const std::vector<std::string>& values,
                     const std::vector<Option>& scale, const ConsensusRule& rule);
// A multiple-choice item: chosen[i] = the option codes participant i ticked (empty: did not
// answer, not counted). distribution = how many of the n ticked each option; no consensus
// (a share per option is shown, there is no one answer to agree on).
ItemStats multiple_item_stats(const std::string& key, const std::string& source_key,
                       const std::vector<std::vector<std::string>>& chosen, const std::vector<Option>& scale);
// True when changing the answer from `from` to `to` moves it across the group's consensus
// region (top_share: the counted top categories; the other rules: between the quartiles):
// the kiosk then asks for a short reason.
bool crosses_consensus(const ItemStats& s, const ConsensusRule& rule, const std::string& from, const std::string& to);

// --- answers of a round -------------------------------------------------------------------------
// What response `r` holds for item `key` of its survey: the option code of a single choice,
// rating or yes/no, a matrix row's cell ("F5[L1]"), kNoAnswerCode for "keine Antwort", or for a
// multiple choice the ticked codes joined by single spaces. "" when not answered.
std::string item_value(const Response& r, const std::string& key);

// The feedback for `next` (round k+1) from the decrypted responses of `round` (round k): the
// group's statistics of every repeated item under round k's consensus rule, and one sealed
// entry per pseudonym with that participant's own answers under round k+1's keys. A
// participant who answered more than once counts once, with their latest response; responses
// without a pseudonym (the paper form for those without a code) count for the group only.
// False with *error when the two surveys are not consecutive rounds of one study, or a
// repeated item does not name a closed item of round k with the same options.
struct FeedbackPack;
struct FeedbackSummary {
    int responses = 0;        // responses of round k read (of its survey id)
    int participants = 0;     // distinct pseudonyms: entries in the pack
    int anonymous = 0;        // responses without a pseudonym, counted for the group only
    int duplicates = 0;       // earlier responses of a pseudonym left out
};
bool make_feedback_pack(const Survey& round, const Survey& next, const std::vector<Response>& responses,
                        const std::string& created, FeedbackPack& out, FeedbackSummary* summary, std::string* error);

// --- the feedback pack ------------------------------------------------------------------------
// What the research side sends for round k+1 (`teilhabe delphi feedback`): the group's ItemStats
// per repeated item, and per participant of round k their own answers, sealed with their
// ParticipantKeys::key and named by their lookup id. It is a JSON file NAME.delphi with a
// signature NAME.delphi.sig by the research signing key, exactly as a survey update
// (survey_update.h), and travels the same ways (network, USB stick); kiosks install it beside
// the survey it is for. Layout and limits: DELPHI.md "The feedback pack".
inline constexpr const char* kFeedbackPackExt = ".delphi";
inline constexpr size_t kFeedbackPackMax = 16u << 20;     // bytes of a pack file, read or written

// One participant's answers of round k, under the item keys of round k+1 ("F5[S2]" -> "4"):
// the option code given to the item that the round k+1 item repeats. Only closed items.
using OwnAnswers = std::map<std::string, std::string>;

struct FeedbackPack {
    std::string study;                 // delphi.study of both rounds
    int from_round = 0;                // k: whose answers the statistics and entries hold
    std::string for_survey;            // id of round k+1's survey: the kiosk shows the pack with it
    std::string for_version;           // its version (informative; the id decides)
    std::string created;               // UTC, "2026-12-02T10:00:00Z"
    std::vector<ItemStats> items;      // one per repeated item, ItemStats::key = round k+1's key
    std::map<std::string, std::string> entries; // lookup id -> sealed own answers (seal_own_answers)
    const ItemStats* find(const std::string& key) const;  // by round k+1's key, or null
};

// crypto_secretbox with a random nonce, as base64 text; the answers are padded to a multiple of
// 256 bytes so an entry's size does not tell how many items a participant answered.
std::string seal_own_answers(const ParticipantKeys& k, const OwnAnswers& answers);
// False when the entry does not open with k (another code, tampered) or is malformed.
bool open_own_answers(const ParticipantKeys& k, const std::string& entry, OwnAnswers& out);
// The participant's entry of `pack` (by k.lookup), opened. False: no entry for this code (the
// participant did not answer round k) or it does not open.
bool find_own_answers(const FeedbackPack& pack, const ParticipantKeys& k, OwnAnswers& out);

// The pack as canonical JSON text (sorted keys; what `delphi feedback` writes and signs).
std::string write_feedback_pack(const FeedbackPack& pack);
// Reads and checks a pack: at most kFeedbackPackMax bytes, every field of the right type and
// within bounds (counts >= 0 and summing to n, quantiles in the scale, lookup ids 32 hex
// digits). Never trusts the input; false with *error in words naming the field.
bool read_feedback_pack(const std::string& bytes, FeedbackPack& out, std::string* error);

} // namespace tk::delphi
