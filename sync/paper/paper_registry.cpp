// paper_registry.cpp - sheet registry and double entry (see paper_registry.h, PAPER.md).
#include "files.h"
#include "paper_registry.h"

#include <cstring>
#include <ctime>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <sodium.h>
#include <sqlite3.h>

#include "keys.h"
#include "sheet_id.h"
#include "sqlite_stmt.h"

namespace tk {

const char* sheet_state_name(SheetState s) {
    switch (s) {
    case SheetState::Unknown: return "new";
    case SheetState::FirstEntered: return "first";
    case SheetState::Differs: return "differs";
    case SheetState::Sealing: return "sealing";
    case SheetState::Sealed: return "sealed";
    }
    return "?";
}

static SheetState state_from(const std::string& s) {
    if (s == "first") return SheetState::FirstEntered;
    if (s == "differs") return SheetState::Differs;
    if (s == "sealing") return SheetState::Sealing;
    if (s == "sealed") return SheetState::Sealed;
    return SheetState::Unknown;
}


std::unique_ptr<PaperRegistry> PaperRegistry::open(const std::string& dir, std::string* error) {
    if (sodium_init() < 0) {
        if (error) *error = "libsodium could not be initialised";
        return nullptr;
    }
    std::unique_ptr<PaperRegistry> r(new PaperRegistry());
    std::string key_path = dir + "/paper-entry.key", raw;
    std::string e;
    if (read_file_at_most(key_path, kKeyFileMax, raw, &e)) {
        if (raw.size() != sizeof r->key_) {
            if (error) *error = key_path + ": not a paper-entry key (" + std::to_string(raw.size()) + " bytes, expected 32)";
            return nullptr;
        }
    } else {
        // Only create the key when there is none; a file we cannot read is never replaced.
        if (::access(key_path.c_str(), F_OK) == 0) {
            if (error) *error = key_path + ": " + e;
            return nullptr;
        }
        raw.assign(sizeof r->key_, '\0');
        randombytes_buf(raw.data(), raw.size());
        if (!write_file_atomic(key_path, raw, 0600, false, &e)) {
            if (error) *error = key_path + ": " + e;
            return nullptr;
        }
    }
    std::memcpy(r->key_, raw.data(), sizeof r->key_);
    sodium_memzero(raw.data(), raw.size());

    std::string db_path = dir + "/paper-entry.sqlite";
    if (sqlite3_open_v2(db_path.c_str(), &r->db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
        if (error) *error = db_path + ": " + (r->db_ ? sqlite3_errmsg(r->db_) : "cannot open");
        return nullptr;
    }
    sqlite3_busy_timeout(r->db_, 5000);
    // secure_delete: freed pages (a deleted pending entry) are overwritten with zeros.
    // A rollback journal rather than WAL, so no old page copies outlive the transaction.
    const char* schema =
        "PRAGMA secure_delete=ON;"
        "PRAGMA journal_mode=DELETE;"
        "PRAGMA synchronous=FULL;"
        "CREATE TABLE IF NOT EXISTS sheets("
        " sheet TEXT PRIMARY KEY,"
        " survey_id TEXT NOT NULL,"
        " state TEXT NOT NULL,"
        " first_box BLOB,"
        " second_box BLOB,"
        " record_id TEXT,"
        " updated INTEGER NOT NULL DEFAULT 0);";
    char* msg = nullptr;
    if (sqlite3_exec(r->db_, schema, nullptr, nullptr, &msg) != SQLITE_OK) {
        if (error) *error = db_path + ": " + (msg ? msg : "cannot create the table");
        sqlite3_free(msg);
        return nullptr;
    }
    return r;
}

PaperRegistry::~PaperRegistry() {
    sodium_memzero(key_, sizeof key_);
    if (db_) sqlite3_close(db_);
}

SheetState PaperRegistry::state(const std::string& sheet_id) const {
    Stmt q(db_, "SELECT state FROM sheets WHERE sheet=?");
    q.text(1, sheet_id);
    if (q.step() != SQLITE_ROW) return SheetState::Unknown;
    return state_from(q.col_bytes(0));
}

std::vector<std::string> PaperRegistry::sheets_in(SheetState st) const {
    std::vector<std::string> ids;
    Stmt q(db_, "SELECT sheet FROM sheets WHERE state=? ORDER BY updated, sheet");
    q.text(1, sheet_state_name(st));
    while (q.step() == SQLITE_ROW) ids.push_back(q.col_text(0));
    return ids;
}

std::map<std::string, int64_t> PaperRegistry::counts() const {
    std::map<std::string, int64_t> m;
    Stmt q(db_, "SELECT state, count(*) FROM sheets GROUP BY state");
    while (q.step() == SQLITE_ROW) m[q.col_bytes(0)] = sqlite3_column_int64(q.s, 1);
    return m;
}

// The stored entry also remembers where it was entered: a sheet that waits for resolution is
// often resolved at another desk (or by `paper resolve` without --site), and the response must
// still carry the site and event of the paper itself.
// Staff ids are typed by hand at different desks ("Anna", "anna "): the same person must not
// pass for two, so ids are compared without case (ASCII) and surrounding blanks.
static std::string person_key(const std::string& id) {
    size_t a = id.find_first_not_of(" \t"), b = id.find_last_not_of(" \t");
    std::string k = a == std::string::npos ? std::string() : id.substr(a, b - a + 1);
    for (char& c : k)
        if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    return k;
}

static std::string entry_json(const PaperEntry& e, const PaperPlace& place) {
    nlohmann::json j;
    j["sheet"] = e.sheet_id;
    j["enterer"] = e.enterer;
    j["lang"] = e.language;
    j["values"] = e.values;
    if (!e.delphi_code.empty()) j["code"] = e.delphi_code; // sealed like the rest of the entry
    j["site"] = place.site;
    j["event"] = place.event;
    return j.dump();
}

// Where a sheet was filled in: the first entry's site and event, else the second's (entries
// stored before they were remembered have none), else the desk that seals it now.
static PaperPlace sheet_place(const PaperPlace& first, const PaperPlace& second, const PaperPlace& now) {
    PaperPlace p = now;
    if (!first.site.empty() || !first.event.empty()) p.site = first.site, p.event = first.event;
    else if (!second.site.empty() || !second.event.empty()) p.site = second.site, p.event = second.event;
    return p;
}

bool PaperRegistry::store_entry(const std::string& sheet_id, const std::string& survey_id, int which,
                                const PaperEntry& e, const PaperPlace& place, SheetState st, std::string* error) {
    std::string plain = entry_json(e, place);
    std::string box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plain.size(), '\0');
    auto* b = reinterpret_cast<unsigned char*>(box.data());
    randombytes_buf(b, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(b + crypto_secretbox_NONCEBYTES, reinterpret_cast<const unsigned char*>(plain.data()),
                          plain.size(), b, key_);
    sodium_memzero(plain.data(), plain.size());
    const char* sql = which == 1
        ? "INSERT INTO sheets(sheet, survey_id, state, first_box, updated) VALUES(?1, ?2, ?3, ?4, ?5)"
        : "UPDATE sheets SET state=?3, second_box=?4, updated=?5 WHERE sheet=?1 AND survey_id=?2";
    Stmt q(db_, sql);
    q.text(1, sheet_id).text(2, survey_id).text(3, sheet_state_name(st)).blob(4, box).i64(5, (int64_t)time(nullptr));
    if (q.step() != SQLITE_DONE) {
        if (error) *error = std::string("cannot store the entry: ") + sqlite3_errmsg(db_);
        return false;
    }
    return true;
}

bool PaperRegistry::load_entry(const std::string& sheet_id, int which, PaperEntry& out, std::string* error,
                               PaperPlace* place) const {
    Stmt q(db_, which == 1 ? "SELECT first_box FROM sheets WHERE sheet=?" : "SELECT second_box FROM sheets WHERE sheet=?");
    q.text(1, sheet_id);
    if (q.step() != SQLITE_ROW) {
        if (error) *error = "sheet " + sheet_id + " has no stored entry";
        return false;
    }
    std::string box = q.col_bytes(0);
    if (box.size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
        if (error) *error = "sheet " + sheet_id + ": stored entry " + std::to_string(which) + " is missing";
        return false;
    }
    const auto* b = reinterpret_cast<const unsigned char*>(box.data());
    std::string plain(box.size() - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
    if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()), b + crypto_secretbox_NONCEBYTES,
                                   box.size() - crypto_secretbox_NONCEBYTES, b, key_) != 0) {
        if (error) *error = "sheet " + sheet_id + ": stored entry " + std::to_string(which) +
                            " does not open with paper-entry.key (damaged or another device's key)";
        return false;
    }
    auto j = nlohmann::json::parse(plain, nullptr, false);
    sodium_memzero(plain.data(), plain.size());
    if (j.is_discarded() || !j.is_object()) {
        if (error) *error = "sheet " + sheet_id + ": stored entry is not readable";
        return false;
    }
    try {
        out.sheet_id = j.at("sheet").get<std::string>();
        out.enterer = j.at("enterer").get<std::string>();
        out.language = j.at("lang").get<std::string>();
        out.values = j.at("values").get<std::map<std::string, std::string>>();
        out.delphi_code = j.value("code", std::string());
        if (place) {
            place->site = j.value("site", std::string());
            place->event = j.value("event", std::string());
        }
    } catch (const std::exception& ex) {
        if (error) *error = "sheet " + sheet_id + ": stored entry: " + ex.what();
        return false;
    }
    return true;
}

bool PaperRegistry::set_state(const std::string& sheet_id, SheetState st, std::string* error) {
    Stmt q(db_, "UPDATE sheets SET state=?2, updated=?3 WHERE sheet=?1");
    q.text(1, sheet_id).text(2, sheet_state_name(st)).i64(3, (int64_t)time(nullptr));
    if (q.step() != SQLITE_DONE) {
        if (error) *error = sqlite3_errmsg(db_);
        return false;
    }
    return true;
}

PaperOutcome PaperRegistry::seal(const std::shared_ptr<const Survey>& s, const PaperEntry& resolved,
                                 const PaperSealInfo& info, Vault& vault, SheetState previous) {
    PaperOutcome o;
    Response r;
    std::string e;
    if (!paper_entry_to_response(s, resolved, info, r, &e)) {
        o.message = e;
        o.code = "bad_value";
        return o;
    }
    // "sealing" first: should the process die between the vault commit and the registry
    // update, the sheet stays blocked (and says so) instead of being accepted again.
    if (!set_state(resolved.sheet_id, SheetState::Sealing, &e)) {
        o.message = "registry: " + e;
        o.code = "storage";
        return o;
    }
    AppendResult ar = vault.append_response(r);
    if (ar.record_id.empty()) {
        set_state(resolved.sheet_id, previous, nullptr);
        o.message = "the vault did not take the sheet: " + ar.error;
        o.code = "vault";
        return o;
    }
    Stmt q(db_, "UPDATE sheets SET state='sealed', first_box=NULL, second_box=NULL, record_id=?2, updated=?3 "
                "WHERE sheet=?1");
    q.text(1, resolved.sheet_id).text(2, ar.record_id).i64(3, info.time);
    if (q.step() != SQLITE_DONE) {
        o.message = std::string("sealed as ") + ar.record_id + ", but the registry could not be updated: " +
                    sqlite3_errmsg(db_);
        // Still sealed: the record exists; the sheet stays in "sealing" and is refused.
    }
    o.kind = PaperOutcome::Sealed;
    o.record_id = ar.record_id;
    o.durable = ar.durable;
    if (o.message.empty())
        o.message = "sheet " + resolved.sheet_id + " sealed as record " + ar.record_id +
                    (ar.durable ? "" : " (not yet on disk: " + ar.error + ")");
    return o;
}

PaperOutcome PaperRegistry::submit(const std::shared_ptr<const Survey>& s, const PaperEntry& e, Vault& vault,
                                   const PaperPlace& place) {
    PaperOutcome o;
    std::string id, err;
    if (!parse_sheet_id(e.sheet_id, id, &err)) {
        o.message = err;
        o.code = "bad_id";
        return o;
    }
    if (id.substr(0, 2) != sheet_prefix(s->id)) {
        o.message = "sheet " + id + " was not printed for survey " + s->id + " (its sheets start with " +
                    sheet_prefix(s->id) + "-)";
        o.code = "wrong_survey";
        return o;
    }
    if (e.enterer.empty()) {
        o.message = "sheet " + id + ": who is entering it? (enterer id missing)";
        o.code = "no_enterer";
        return o;
    }
    PaperEntry entry = e;
    entry.sheet_id = id;
    Stmt q(db_, "SELECT state, survey_id, record_id, updated FROM sheets WHERE sheet=?");
    q.text(1, id);
    SheetState st = SheetState::Unknown;
    std::string survey_of, record_of;
    if (q.step() == SQLITE_ROW) {
        st = state_from(q.col_bytes(0));
        survey_of = q.col_bytes(1);
        record_of = q.col_bytes(2);
    }
    switch (st) {
    case SheetState::Sealed:
        o.message = "sheet " + id + " was already entered twice and sealed (record " + record_of +
                    "); a sheet is entered only once";
        o.code = "sealed";
        return o;
    case SheetState::Sealing:
        o.message = "sheet " + id + " was being sealed when the program stopped; it is not entered again - "
                    "check the vault (teilhabe vault status) and tell the research team";
        o.code = "sealing";
        return o;
    case SheetState::Differs:
        o.message = "sheet " + id + " has two entries that differ; resolve them against the paper instead of "
                    "entering it a third time";
        o.code = "differs";
        return o;
    case SheetState::Unknown:
        if (!store_entry(id, s->id, 1, entry, place, SheetState::FirstEntered, &err)) {
            o.message = err;
            o.code = "storage";
            return o;
        }
        o.kind = PaperOutcome::FirstStored;
        o.message = "sheet " + id + ": first entry stored; a second person enters it again";
        return o;
    case SheetState::FirstEntered:
        break;
    }
    if (survey_of != s->id) {
        o.message = "sheet " + id + " was first entered for survey " + survey_of + ", not " + s->id;
        o.code = "other_survey";
        o.detail = survey_of;
        return o;
    }
    PaperEntry first;
    PaperPlace first_place;
    if (!load_entry(id, 1, first, &err, &first_place)) {
        o.message = err;
        o.code = "storage";
        return o;
    }
    if (person_key(first.enterer) == person_key(entry.enterer)) {
        o.message = "sheet " + id + " was first entered by " + first.enterer +
                    "; the second entry must be done by another person";
        o.code = "same_enterer";
        o.detail = first.enterer;
        return o;
    }
    if (first.language != entry.language) {
        // The form's language is part of what was read off the paper.
        if (first.language.empty()) first.language = entry.language;
    }
    o.diffs = compare_paper_entries(*s, first, entry);
    if (o.diffs.empty()) {
        PaperPlace where = sheet_place(first_place, place, place);
        PaperSealInfo info{where.site, where.event, first.enterer, entry.enterer, "", place.now};
        return seal(s, first, info, vault, SheetState::FirstEntered);
    }
    if (!store_entry(id, s->id, 2, entry, place, SheetState::Differs, &err)) {
        o.message = err;
        o.code = "storage";
        o.diffs.clear();
        return o;
    }
    o.kind = PaperOutcome::Differs;
    o.message = "sheet " + id + ": the two entries differ in " + std::to_string(o.diffs.size()) +
                " field(s); check them against the paper";
    return o;
}

bool PaperRegistry::differences(const Survey& s, const std::string& sheet_id, std::vector<PaperDiff>& out,
                                std::string* error) const {
    PaperEntry a, b;
    if (state(sheet_id) != SheetState::Differs) {
        if (error) *error = "sheet " + sheet_id + " is not waiting for resolution (" + sheet_state_name(state(sheet_id)) + ")";
        return false;
    }
    if (!load_entry(sheet_id, 1, a, error) || !load_entry(sheet_id, 2, b, error)) return false;
    out = compare_paper_entries(s, a, b);
    return true;
}

PaperOutcome PaperRegistry::resolve(const std::shared_ptr<const Survey>& s, const std::string& sheet_id_typed,
                                    const std::map<std::string, std::string>& values, const std::string& resolver,
                                    Vault& vault, const PaperPlace& place) {
    PaperOutcome o;
    std::string id, err;
    if (!parse_sheet_id(sheet_id_typed, id, &err)) {
        o.message = err;
        o.code = "bad_id";
        return o;
    }
    if (resolver.empty()) {
        o.message = "sheet " + id + ": who resolves it? (resolver id missing)";
        o.code = "no_resolver";
        return o;
    }
    std::vector<PaperDiff> diffs;
    if (!differences(*s, id, diffs, &err)) {
        o.message = err;
        o.code = "not_waiting";
        return o;
    }
    PaperEntry a, b;
    PaperPlace a_place, b_place;
    if (!load_entry(id, 1, a, &err, &a_place) || !load_entry(id, 2, b, &err, &b_place)) {
        o.message = err;
        o.code = "storage";
        return o;
    }
    // A third pair of eyes: whoever typed one of the two entries would resolve towards it.
    if (person_key(resolver) == person_key(a.enterer) || person_key(resolver) == person_key(b.enterer)) {
        o.message = "sheet " + id + " was entered by " + a.enterer + " and " + b.enterer +
                    "; the differences must be resolved by a third person";
        o.code = "resolver_entered";
        o.detail = resolver;
        o.diffs = diffs;
        return o;
    }
    PaperEntry resolved = a;
    std::string missing;
    for (const auto& d : diffs) {
        auto it = values.find(d.key);
        if (it == values.end()) {
            missing += (missing.empty() ? "" : ", ") + d.key;
            continue;
        }
        if (!set_paper_value(*s, resolved, d.key, it->second, &err)) {
            o.message = "sheet " + id + ": " + err;
            o.code = "bad_value";
            o.diffs = diffs;
            return o;
        }
    }
    for (const auto& [k, v] : values) {
        bool is_diff = false;
        for (const auto& d : diffs) is_diff = is_diff || d.key == k;
        if (!is_diff) {
            o.message = "sheet " + id + ": field " + k + " is not one where the entries differ; only those are resolved";
            o.code = "not_a_diff";
            o.diffs = diffs;
            return o;
        }
    }
    if (!missing.empty()) {
        o.message = "sheet " + id + ": still unresolved: " + missing;
        o.code = "unresolved";
        o.detail = missing;
        o.diffs = diffs;
        return o;
    }
    if (b.language != a.language && a.language.empty()) resolved.language = b.language;
    PaperPlace where = sheet_place(a_place, b_place, place);
    PaperSealInfo info{where.site, where.event, a.enterer, b.enterer, resolver, place.now};
    return seal(s, resolved, info, vault, SheetState::Differs);
}

} // namespace tk
