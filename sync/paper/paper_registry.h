// paper_registry.h - which paper sheets were entered, and the double-entry workflow.
//
// DIR/paper-entry.sqlite keeps one row per sheet id: its state, and while the sheet waits
// for its second entry or for resolution, the pending entries - each sealed with
// crypto_secretbox under DIR/paper-entry.key (mode 0600), never in plain text. When the
// sheet is sealed into the vault the pending entries are deleted (secure_delete zeroes the
// freed pages) and only "sheet id, survey, sealed, record id, time" remains, which is what
// refuses a second entry of the same paper. See sync/paper/PAPER.md for why a device key
// and not the research key seals pending entries.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "paper_entry.h"
#include "vault.h"

struct sqlite3;

namespace tk {

enum class SheetState { Unknown, FirstEntered, Differs, Sealing, Sealed };
const char* sheet_state_name(SheetState s); // "new", "first", "differs", "sealing", "sealed"

struct PaperOutcome {
    enum Kind { Refused, FirstStored, Differs, Sealed };
    Kind kind = Refused;
    std::string message;               // for the CLI: what happened or why not (English)
    // Why it was refused, for screens that say it in their own words: "bad_id", "wrong_survey",
    // "no_enterer", "sealed", "sealing", "differs", "same_enterer", "other_survey", "storage",
    // "vault", "no_resolver", "resolver_entered", "not_waiting", "bad_value", "not_a_diff", "unresolved" ("" = not refused).
    std::string code;
    std::string detail;                // same_enterer: who entered first; other_survey: that survey
    std::vector<PaperDiff> diffs;      // Differs: what to check against the paper
    std::string record_id;             // Sealed
    bool durable = false;              // Sealed: the vault committed (else pending in memory)
};

struct PaperPlace {
    std::string site, event;           // written into the response
    int64_t now = 0;                   // unix seconds
};

class PaperRegistry {
public:
    // Opens or creates DIR/paper-entry.sqlite and DIR/paper-entry.key.
    static std::unique_ptr<PaperRegistry> open(const std::string& dir, std::string* error);
    ~PaperRegistry();
    PaperRegistry(const PaperRegistry&) = delete;
    PaperRegistry& operator=(const PaperRegistry&) = delete;

    SheetState state(const std::string& sheet_id) const;
    // The ids of the sheets in one state, oldest change first (e.g. those waiting for resolution).
    std::vector<std::string> sheets_in(SheetState st) const;

    // One entry of a sheet. First entry: stored (sealed) and FirstStored. Second entry by
    // another person: equal -> Sealed into the vault; different -> Differs (both kept).
    // Refused: sheet already sealed or waiting for resolution, same person twice, wrong survey.
    PaperOutcome submit(const std::shared_ptr<const Survey>& s, const PaperEntry& e, Vault& vault,
                        const PaperPlace& place);
    // The differences of a sheet in state Differs (to show them side by side later).
    bool differences(const Survey& s, const std::string& sheet_id, std::vector<PaperDiff>& out,
                     std::string* error) const;
    // Resolution against the paper: `values` gives the value for EVERY differing field key
    // (as typed; "" = empty). Then the sheet is sealed with the resolver's id in meta, and with
    // the site and event where the sheet was entered (the resolver's `place` only when the
    // entries have none), so a disagreement never costs a sheet its site.
    PaperOutcome resolve(const std::shared_ptr<const Survey>& s, const std::string& sheet_id,
                         const std::map<std::string, std::string>& values, const std::string& resolver,
                         Vault& vault, const PaperPlace& place);
    // Counts by state, for the staff screen.
    std::map<std::string, int64_t> counts() const;

private:
    PaperRegistry() = default;
    bool load_entry(const std::string& sheet_id, int which, PaperEntry& out, std::string* error,
                    PaperPlace* place = nullptr) const;
    bool store_entry(const std::string& sheet_id, const std::string& survey_id, int which, const PaperEntry& e,
                     const PaperPlace& place, SheetState st, std::string* error);
    PaperOutcome seal(const std::shared_ptr<const Survey>& s, const PaperEntry& resolved, const PaperSealInfo& info,
                      Vault& vault, SheetState previous);
    bool set_state(const std::string& sheet_id, SheetState st, std::string* error);

    sqlite3* db_ = nullptr;
    unsigned char key_[32] = {};       // wiped in the destructor
};

} // namespace tk
