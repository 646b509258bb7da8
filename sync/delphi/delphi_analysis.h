// delphi_analysis.h - the analysis of a two-round Delphi study from decrypted responses (no key
// is needed here: the research side decrypts first, `teilhabe decrypt`). What it computes and
// why each choice: DELPHI.md "Analysis".
//
// Index
//   shares         share_percent, share_text (exact half-up rounding)
//   choice items   ChoiceStats, choice_stats (multiple choice: each option's share of n)
//   Wilcoxon       WilcoxonResult, wilcoxon_signed_rank (exact for small n, else normal with ties)
//   rank sum       RankSumResult, rank_sum_test (Wilcoxon-Mann-Whitney: leavers against stayers)
//   one round      RoundItem, RoundAnalysis (n, ItemStats or ChoiceStats per item, expertise rule)
//   two rounds     ItemChange (stability, the repeated-items rule), AttritionItem, DelphiAnalysis,
//                  analyse_delphi
//   output         render_delphi_report (one HTML page), delphi_items_csv (the per-item table)
//
// The pseudonym links a participant's two rounds. A round's responses without one (a paper form
// filled in without a code) count in that round's n and its statistics but cannot be paired; a
// pseudonym met twice in one round keeps the later response, and both facts are listed in
// DelphiAnalysis::notes, so nothing is dropped without a word.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "delphi.h"

namespace tk::delphi {

// --- shares ------------------------------------------------------------------------------------
// count / n in percent (0 when n is 0).
double share_percent(long long count, long long n);
// count / n in percent with `decimals` places, rounded half up in integer arithmetic, so that
// 13 of 20 is "65" and 1 of 8 with one place is "12.5" exactly (never 12.4 from a double).
std::string share_text(long long count, long long n, int decimals = 0);

// --- choice items ---------------------------------------------------------------------------
// A multiple-choice item: each participant may choose several options, so item_stats (one
// value per participant) does not apply. n: participants who chose at least one option (an
// "andere" text counts as a choice, in `other`); "keine Antwort", skipped and not shown are not
// in n. counts: per option, how many of the n chose it; the shares add up to more than 100 %.
struct ChoiceStats {
    std::string key;
    int n = 0;
    int other = 0;                                    // chose "andere, und zwar"
    std::vector<std::pair<std::string, int>> counts;  // option code -> participants, in the survey's order
    int count(const std::string& code) const;         // 0 for an unknown code
};
// chosen: per participant the option codes chosen (empty = not in n); `other_text`: per
// participant whether an "andere" text was given (may be empty: none). Unknown codes are ignored.
ChoiceStats choice_stats(const std::string& key, const std::vector<std::vector<std::string>>& chosen,
                         const std::vector<bool>& other_text, const std::vector<Option>& options);

// --- Wilcoxon ---------------------------------------------------------------------------------
// Wilcoxon's signed-rank test of paired values (before[i], after[i]): pairs with no difference
// are dropped (Wilcoxon 1945), the absolute differences ranked with mid-ranks for ties. With at
// most kWilcoxonExactMax differences the two-sided p is exact: the share of the 2^n equally
// likely sign assignments whose W+ lies as far from its mean as the observed one or farther, by
// counting them (mid-ranks kept, so it is exact with ties too). Above that the normal
// approximation with the ties correction of the variance and a continuity correction of 1/2
// (Hollander, Wolfe & Chicken, Nonparametric Statistical Methods, 3rd ed. 2014, sec. 3.1).
inline constexpr int kWilcoxonExactMax = 30;
struct WilcoxonResult {
    int pairs = 0;          // pairs given
    int nonzero = 0;        // pairs with a difference: the test's n
    double w_plus = 0;      // sum of the ranks of the positive differences (after > before)
    double w_minus = 0;
    bool exact = false;     // p by counting; else z and the normal approximation
    double z = 0;
    double p = 1;           // two-sided; 1 when no pair differs
};
WilcoxonResult wilcoxon_signed_rank(const std::vector<double>& before, const std::vector<double>& after);

// --- rank sum ----------------------------------------------------------------------------------
// The Wilcoxon-Mann-Whitney rank-sum test of two independent groups a and b: all values ranked
// together with mid-ranks, W = the sum of a's ranks, U = W - m(m+1)/2 (m = a's size). With at
// most kRankSumExactMax values in all, the two-sided p is the share of the C(N, m) equally likely
// ways to pick a's ranks whose sum lies as far from m(N+1)/2 as W or farther (counted, mid-ranks
// kept); above that the normal approximation with the ties correction
// var(U) = m n / 12 ((N + 1) - sum(t^3 - t) / (N (N - 1))) and a continuity correction of 1/2
// (Hollander, Wolfe & Chicken 2014, sec. 4.1).
inline constexpr int kRankSumExactMax = 60;
struct RankSumResult {
    int m = 0, n = 0;       // sizes of a and b
    double w = 0;           // sum of a's ranks
    double u = 0;           // W - m(m+1)/2
    bool exact = false;
    double z = 0;
    double p = 1;           // two-sided; 1 when a group is empty or every value is equal
};
RankSumResult rank_sum_test(const std::vector<double>& a, const std::vector<double>& b);

// --- one round ------------------------------------------------------------------------------------
// The study's expertise rule (questionnaires Part 2 §2.1): the mean of all answers against the
// mean of those whose expertise self-rating is one of DelphiRound::expert_levels, flagged when
// they differ by more than 5 % of the mean of all. Multiple choice: each option's share among
// the experts against its share among all, flagged when one differs by more than 5 points.
inline constexpr double kStudyTolerance = 5.0;
struct ExpertiseCheck {
    bool applies = false;     // the item names an expertise question and has answers
    std::string expertise;    // that question (or matrix row)
    int n_all = 0, n_expert = 0;
    double mean_all = 0, mean_expert = 0;
    double deviation = 0;     // ordinal: |mean_expert - mean_all| / mean_all in %; choice: the
                              // largest |share_expert - share_all| in percentage points
    std::string deviation_where; // choice items: the option with that largest difference
    ChoiceStats experts;      // choice items: the experts' own counts
    bool flagged = false;     // deviation > kStudyTolerance (and at least one expert answered)
};

struct RoundItem {
    std::string key;          // the item in this round ("F10[C]")
    std::string repeats;      // the item of the round before it repeats ("" = none)
    std::string label;        // the question's text, and the row's for a matrix row
    bool choice = false;      // multiple choice: `choices` holds the result, `stats` is unused
    ItemStats stats;
    ChoiceStats choices;
    std::vector<std::pair<std::string, std::string>> scale; // option code -> text, in order
    ExpertiseCheck expertise;
    std::string problem;      // why the item could not be analysed ("" = fine)
};

struct RoundAnalysis {
    std::string survey_id, survey_version;
    int round = 0;
    int n = 0;                // responses of the round, after one per pseudonym
    int with_pseudonym = 0;   // of them, those that name a participant
    std::string rule_text;    // the consensus rule in words
    std::vector<RoundItem> items;
    const RoundItem* find(const std::string& key) const;
};

// --- two rounds -----------------------------------------------------------------------------------
// One item of round 2 that repeats one of round 1.
struct ItemChange {
    std::string key1, key2;   // round 1's item, round 2's item
    std::string label;
    bool choice = false;
    // Stability, among the participants who answered both rounds (by pseudonym).
    int paired = 0;           // a category (choice: at least one option) in both rounds
    int changed = 0;          // of those, gave another answer (choice: another set of options)
    double shift = 0;         // distribution shift: half the sum over the categories of
                              // |share in round 2 - share in round 1| among the paired, in points
                              // (choice: the largest change of an option's share)
    WilcoxonResult wilcoxon;  // ordinal items only (round 2 - round 1)
    // The study's rule for repeated items (§2.1): round 1's participants, each with their
    // round-2 answer where they gave one that is a category of round 1's scale (else their
    // round-1 answer stays). Participants not in round 1 are not added. Shares are of its n.
    int n1 = 0;               // round 1's n for the item (choice: participants who chose)
    ItemStats updated;        // ordinal and single-choice items
    ChoiceStats updated_choices;
    // Share changes from round 1 to the updated result, in percentage points: per category
    // (option), and for the categories above and below the middle of an ordinal scale
    // (agreement and disagreement on 1-5, the chance and danger side on 1-7).
    std::vector<std::pair<std::string, double>> category_change;
    double upper1 = 0, upper_updated = 0, lower1 = 0, lower_updated = 0; // shares in %
    int upper1_count = 0, upper_updated_count = 0, lower1_count = 0, lower_updated_count = 0;
    double largest_change = 0; // the largest absolute of all those changes
    std::string largest_where; // which category or side it is
    bool flagged = false;      // largest_change > kStudyTolerance points
    std::string problem;
};

// Attrition per item of round 1: did those who did not come back answer differently?
struct AttritionItem {
    std::string key, label;
    int n_stayed = 0, n_left = 0;
    double median_stayed = 0, median_left = 0, mean_stayed = 0, mean_left = 0;
    RankSumResult test;       // a = those who left, b = those who stayed
};

struct DelphiAnalysis {
    RoundAnalysis round1, round2;
    int returned = 0;          // participants of round 1 (by pseudonym) who answered round 2
    int left = 0;              // participants of round 1 with a pseudonym who did not
    int new_in_round2 = 0;     // round-2 pseudonyms not met in round 1
    std::vector<ItemChange> changes;     // one per repeated item of round 2, in its order
    std::vector<AttritionItem> attrition; // ordinal items of round 1
    std::vector<std::string> notes;      // what was left out or merged, in words
};

// False with *error when the two surveys are not rounds 1 and 2 of one study. Responses of
// another survey must be left out by the caller (the CLI says how many).
bool analyse_delphi(const Survey& s1, const std::vector<Response>& r1, const Survey& s2,
                    const std::vector<Response>& r2, DelphiAnalysis& out, std::string* error);

// --- output ------------------------------------------------------------------------------------
// One self-contained HTML page (German numbers, every text escaped, no script).
std::string render_delphi_report(const DelphiAnalysis& a, const std::string& title);
// The per-item table as CSV (comma, RFC 4180 quoting, "." decimals): one line per item and round.
std::string delphi_items_csv(const DelphiAnalysis& a);

} // namespace tk::delphi
