// paper_desk.h - the staff screens for paper sheets and event tallies, as plain data.
//
// Built for typing speed: one input line is always focused, Enter takes what was typed and
// moves on, Escape goes one field back. The flow of a sheet: enterer id (once per sitting),
// sheet id, then one field after the other in print order (box numbers, "?" unreadable,
// "!" several crossed, free text as written), then a summary where Enter submits. When the
// second entry differs, a third person gives their id (the two enterers may not resolve),
// then the differences come one by one, side by side, and the value on the paper is typed
// for each. No function here touches ImGui (paper_desk_screen.cpp draws), so the
// whole flow is tested without a window.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "paper_entry.h"
#include "paper_registry.h"
#include "survey.h"
#include "tally.h"
#include "texts.h"
#include "vault.h"

namespace tk {

enum class PaperStep {
    Enterer,    // who types (kept for the next sheets)
    Sheet,      // sheet id
    Field,      // one field of the form
    Summary,    // Enter submits the entry
    Resolver,   // who checks the differences against the paper (neither of the enterers)
    Resolve,    // one differing field: type what the paper shows
    Done,       // outcome of the last sheet; Enter starts the next one
};

struct PaperDesk {
    std::shared_ptr<const Survey> survey;
    PaperRegistry* registry = nullptr; // owned by the caller (opened on the data dir)
    Vault* vault = nullptr;
    std::string site, event;
    // Staff words (assets/ui-texts.json, staff_paper_* keys) in `lang`; set by the staff menu.
    // Without texts the keys themselves are shown.
    const UiTexts* texts = nullptr;
    std::string lang = "de";

    PaperStep step = PaperStep::Enterer;
    std::string enterer;
    PaperEntry entry;                  // the sheet being typed
    std::vector<PaperField> fields;    // every field of the survey, print order
    size_t field = 0;                  // index into fields (Field step)
    std::string input;                 // the input line
    std::string message;               // last message for staff ("" = none), in `lang`
    std::string message_key;           // its UI text key (tests check what was said by key)
    bool message_is_error = false;
    std::string resolver;              // Resolver: the third person's id
    std::vector<PaperDiff> diffs;      // Resolve: what differs
    size_t diff = 0;                   // index into diffs
    std::map<std::string, std::string> resolution; // field key -> value as typed
    PaperOutcome outcome;              // of the last submit/resolve
    int generation = 0;                // +1 when the input line must be refocused/cleared
};

// Starts a desk for `survey`; the enterer is asked first.
void paper_desk_begin(PaperDesk& st, std::shared_ptr<const Survey> survey, PaperRegistry* registry, Vault* vault,
                      const std::string& site, const std::string& event);
// Enter in the input line: takes st.input for the current step and moves on.
// `now` = unix seconds (the sealed response's time). Returns false when refused (message set).
bool paper_enter(PaperDesk& st, int64_t now);
// Escape: one field back (Field, Summary, Resolve); from Sheet back to the enterer.
void paper_back(PaperDesk& st);
// Number of answerable fields, and the question of the current field.
const Question* paper_current_question(const PaperDesk& st);
// Where the desk is, for the screen's title line and the layout dump.
std::string paper_step_name(const PaperDesk& st);
// UI text key of the typing hint for a field ("staff_paper_hint_one", ...; {boxes}, {n}).
const char* paper_kind_hint_key(const PaperField& f);
// A staff word of the desks: ui_text(texts, lang, key) with {name} filled; the key without texts.
std::string desk_text(const UiTexts* texts, const std::string& lang, const std::string& key,
                      const std::vector<std::pair<std::string, std::string>>& vars = {});

// --- event tally form ---
enum class TallyStep { Event, Place, Date, Question, Count, Done };
struct TallyDesk {
    std::shared_ptr<const Survey> survey;
    Vault* vault = nullptr;
    const UiTexts* texts = nullptr;    // as in PaperDesk
    std::string lang = "de";
    std::string enterer;
    TallyStep step = TallyStep::Event;
    Tally tally;
    std::vector<PaperChoice> choices;  // Count: the boxes of the question
    size_t choice = 0;
    std::string input;
    std::string message;
    std::string message_key;
    bool message_is_error = false;
    int generation = 0;
};
void tally_desk_begin(TallyDesk& st, std::shared_ptr<const Survey> survey, Vault* vault,
                      const std::string& enterer, const std::string& event, const std::string& place,
                      const std::string& date);
// Enter: takes st.input for the current step. On the Count step an empty line skips the
// option; after the last option the tally is checked and sealed (channel tally).
bool tally_enter(TallyDesk& st);
void tally_back(TallyDesk& st);

} // namespace tk
