// delphi_participant.h - a participant of a Delphi round (round 2 and later) on the kiosk: the
// code page after the data-protection notice, the feedback pack beside the survey, and what a
// repeated question shows (own earlier answer, the group's result, "Antwort beibehalten", the
// short reason for a change across the consensus).
//
// Index
//   state           DelphiLock (kiosk-wide back-off), DelphiItemView, DelphiParticipant
//   the code page   delphi_code_page, delphi_enter_code_page, delphi_submit_code, delphi_without_code,
//                   delphi_poll (the key derivation's worker), delphi_lock_seconds_left
//   the pack        find_feedback_pack (signed *.delphi beside the survey or in DIR/surveys)
//   questions       delphi_item_keys, delphi_item_view, delphi_keep, delphi_option_text
//   the response    delphi_finish (pseudonym, reasons), delphi_wipe
//   text fields     kDelphiCodeField, kDelphiReasonField + delphi_field_text / delphi_edit_field
//
// Nothing of the participant leaves this struct but the pseudonym and the reasons, which go
// into the sealed response; the typed code, the keys and the opened answers are wiped
// (sodium_memzero) by the idle reset, on "Danke" and whenever the session ends. No function
// here writes to stderr what a participant typed or what their entry holds.
#pragma once
#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "delphi.h"
#include "response.h"
#include "survey.h"

namespace tk {

struct KioskApp;

// The text fields of the Delphi pages, through the same text_field / on-screen keyboard as the
// question fields (field_text and edit_field hand them to delphi_field_text / delphi_edit_field).
// No question code starts with '~', so these never name a question.
inline constexpr const char* kDelphiCodeField = "~delphi|code";
inline constexpr const char* kDelphiReasonField = "~delphi|reason|"; // + item key ("F5[L1]")
// The response's meta key of a reason: "delphi_reason:F5[L1]" (surveys/RESPONSE.md).
inline constexpr const char* kDelphiReasonMeta = "delphi_reason:";

// Wrong codes in a row and the lock they earned: the staff PIN's back-off (staff_lock_seconds),
// kept for the whole run of the kiosk, not per session: walking away or "Ich habe keinen Code"
// must not buy fresh guesses.
struct DelphiLock {
    int failures = 0;
    double locked_until = 0;
};

// The key derivation (Argon2id, 0.05-0.3 s) on a thread of its own, so the page can say that
// it is working. The worker touches only this job; delphi_poll takes the result.
struct DelphiDeriveJob {
    std::string code, study;        // the normalized code (wiped by the worker when done)
    delphi::ParticipantKeys keys;   // wiped by its destructor
    bool ok = false;
    std::string error;
    std::atomic<bool> done{false};
};

// One participant's Delphi state; wiped with the session (delphi_wipe).
struct DelphiParticipant {
    std::string code;               // as typed so far
    std::string message_key;        // UI text of the code page's last message ("" = none)
    bool passed = false;            // the code page is behind: a code was taken, or none wanted
    bool without_code = false;      // "Ich habe keinen Code"
    std::shared_ptr<DelphiDeriveJob> job; // running or finished derivation
    std::thread worker;
    bool working = false;           // the derivation runs
    bool keys_ok = false;           // job->keys hold this participant's keys
    bool pack_checked = false;      // find_feedback_pack ran for this session
    std::shared_ptr<const delphi::FeedbackPack> pack; // the group's results; null = none found
    delphi::OwnAnswers own;         // the participant's opened answers of the round before
    bool has_own = false;           // the pack had an entry for the code and it opened
    std::map<std::string, std::string> reasons; // item key -> reason as typed
    DelphiParticipant() = default;
    DelphiParticipant(const DelphiParticipant&) = delete;
    DelphiParticipant& operator=(const DelphiParticipant&) = delete;
    ~DelphiParticipant();
};

// --- the code page --------------------------------------------------------------------------
// The running survey is round 2 or later of a Delphi study: the code page follows the notice.
bool delphi_code_page(const KioskApp& app);
// Shows the code page (Screen::DelphiCode) and looks for the survey's feedback pack.
void delphi_enter_code_page(KioskApp& app);
// "Weiter" on the code page with the code typed (Enter, a scanner's Enter): a code that is no
// code (normalize_code, code_ok) counts as a wrong attempt and may lock further ones (the staff
// PIN's back-off); a good one starts the derivation (message "delphi_checking"). False when
// nothing started.
bool delphi_submit_code(KioskApp& app, double now);
// "Ich habe keinen Code": the questions without feedback of one's own and without pseudonym.
void delphi_without_code(KioskApp& app);
// Collects a finished derivation (idle_tick calls it every frame): opens the participant's
// entry of the pack and goes on to the first question; where the pack holds no entry for the
// code, the page says so and "Weiter" goes on.
void delphi_poll(KioskApp& app);
// Seconds until another code is checked (0 = now).
double delphi_lock_seconds_left(const KioskApp& app, double now);

// --- the pack -----------------------------------------------------------------------------------
// The feedback pack for survey `survey_id`: among the NAME.delphi files with a NAME.delphi.sig in
// `dirs`, those whose signature verifies against `signer` (verify_survey_signature, as survey
// updates) and that read (read_feedback_pack) with for_survey == survey_id; of several, the newest
// `created`. Null when none; *notes says which files were refused and why (for staff, stderr).
std::shared_ptr<const delphi::FeedbackPack> find_feedback_pack(const std::vector<std::string>& dirs,
                                                               const std::string& survey_id,
                                                               const uint8_t signer[32],
                                                               std::vector<std::string>* notes);

// --- repeated questions --------------------------------------------------------------------
// What a repeated item of the page shows. Group results show with or without a code; the own
// answer only when this participant's entry opened.
struct DelphiItemView {
    std::string key;                         // "F5[L1]" or "F19"
    const DelphiItem* item = nullptr;        // the survey's item
    const delphi::ItemStats* stats = nullptr; // the pack's group result (null: no pack / no item)
    std::vector<std::string> own;            // own earlier option codes (empty: none to show)
    std::string current;                     // the item's answer on the page now ("" = none)
    bool crossing = false;                   // current differs from own across the consensus
};
// The repeated items of question q on the page (its own key, or one key per visible matrix row).
std::vector<std::string> delphi_item_keys(const KioskApp& app, const Question& q);
// The view of one item; false when `key` is not a repeated item of the running survey.
bool delphi_item_view(const KioskApp& app, const std::string& key, DelphiItemView& out);
// "Antwort beibehalten": gives the item the earlier answer again and goes on: to the next page
// for a whole question, for a matrix row to the next row without an answer (the next page when
// every row has one).
void delphi_keep(KioskApp& app, const std::string& key);
// The option text of `code` on the item's scale, in the respondent's language.
std::string delphi_option_text(const KioskApp& app, const std::string& key, const std::string& code);
// The item's feedback in words, as the page shows it and "Vorlesen" says it: the own answer
// ("Ihre Antwort in Stufe 1: eher positiv"; only with the participant's entry), the group's
// result with n, one line per category (count and share), and the median, IQR and mean where
// the survey's `feedback` names them. A matrix row's lines start with the row's text.
std::vector<std::string> delphi_item_lines(const KioskApp& app, const DelphiItemView& v);
// The parts of delphi_item_lines the page draws apart: the own answer, the group heading, a
// category's line, the statistics line ("" when there is nothing to say).
std::string delphi_own_line(const KioskApp& app, const DelphiItemView& v);
std::string delphi_group_line(const KioskApp& app, const DelphiItemView& v);
std::string delphi_category_line(const KioskApp& app, const DelphiItemView& v, size_t i);
std::string delphi_stats_line(const KioskApp& app, const DelphiItemView& v);
// "(Ihre Antwort in Stufe 1)": the mark beside the option the participant chose then.
std::string delphi_own_mark(const KioskApp& app);
// The survey's `feedback` for the item names `what` ("distribution", "median", "iqr", "mean").
bool delphi_shows(const DelphiItemView& v, const char* what);

// --- the response ----------------------------------------------------------------------------
// Into the response (finish_session): the pseudonym when a code was taken, and each reason
// typed for an item whose answer still crosses the consensus.
void delphi_finish(const KioskApp& app, Response& r);
// Wipes the participant: typed code, keys, opened answers, reasons (the lock stays).
void delphi_wipe(DelphiParticipant& d);

std::string delphi_field_text(const KioskApp& app, const std::string& field);
void delphi_edit_field(KioskApp& app, const std::string& field, const std::string& text);

} // namespace tk
