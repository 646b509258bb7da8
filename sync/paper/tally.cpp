// tally.cpp - event tallies: check, canonical JSON, sealing (see tally.h).
#include "tally.h"

#include <set>

#include <nlohmann/json.hpp>

#include "paper_entry.h"
#include "response.h"

namespace tk {

// The tally's date as days since 1970-01-01: a real date written YYYY-MM-DD, the calendar of
// every other time in a record, and from 1970 on (what tallies have always accepted).
static bool days_from_date(const std::string& d, int64_t* days) {
    int64_t n = 0;
    if (!parse_iso_date(d, &n) || n < 0) return false;
    if (days) *days = n;
    return true;
}

bool check_tally(const Survey& s, Tally& t, std::string* error) {
    auto fail = [&](const std::string& m) {
        if (error) *error = m;
        return false;
    };
    t.survey_id = s.id;
    t.survey_hash = s.hash;
    if (t.event.empty()) return fail("tally: the event is missing (e.g. \"Stadtteilfest 2026\")");
    if (t.place.empty()) return fail("tally: the place is missing (e.g. \"Marktplatz\")");
    if (t.place.size() > kMaxMetaField) return fail("tally: the place is longer than 255 bytes");
    for (const std::string* f : {&t.event, &t.place, &t.method, &t.entered_by})
        for (unsigned char c : *f)
            if (c < 0x20 || c == 0x7F) return fail("tally: a text contains a control character");
    if (!days_from_date(t.date, nullptr)) return fail("tally: date '" + t.date + "' is not a date written YYYY-MM-DD");
    const Question* q = s.find_question(t.question);
    if (!q) return fail("tally: survey " + s.id + " has no question '" + t.question + "'");
    if (!q->has_answer()) return fail("tally: question " + q->code + " is an information text and takes no answers");
    if (t.counts.empty()) return fail("tally " + q->code + ": no counts");
    std::set<std::string> seen;
    std::vector<PaperChoice> boxes = paper_choices(s, *q);
    for (TallyCount& c : t.counts) {
        if (c.count < 0 || c.count > kMaxTallyCount)
            return fail("tally " + q->code + " option " + c.option + ": count " + std::to_string(c.count) +
                        " is outside 0.." + std::to_string(kMaxTallyCount));
        if (q->is_closed() && q->type != QuestionType::Matrix) {
            std::string code;
            for (const auto& b : boxes)
                if (b.code == c.option || b.number == c.option) code = b.code;
            if (code.empty() || code == kNoAnswerCode) {
                std::string known;
                for (const auto& o : q->options) known += (known.empty() ? "" : ", ") + o.code;
                return fail("tally " + q->code + ": no option '" + c.option + "' (options: " + known + ")");
            }
            c.option = code;
        } else if (q->type == QuestionType::Matrix) {
            return fail("tally " + q->code + ": a matrix cannot be tallied as a whole; tally one poster per row");
        } else if (c.option.empty()) {
            return fail("tally " + q->code + ": an open question's tally needs the written-in theme as option");
        }
        if (!seen.insert(c.option).second) return fail("tally " + q->code + ": option " + c.option + " counted twice");
    }
    return true;
}

std::string serialize_tally(const Tally& t) {
    nlohmann::json j; // std::map underneath: keys come out sorted, so the bytes are canonical
    j["format"] = "teilhabe-tally/1";
    j["survey_id"] = t.survey_id;
    j["survey_hash"] = t.survey_hash;
    j["event"] = t.event;
    j["place"] = t.place;
    j["date"] = t.date;
    j["question"] = t.question;
    j["method"] = t.method;
    j["entered_by"] = t.entered_by;
    j["counts"] = nlohmann::json::array();
    for (const auto& c : t.counts) j["counts"].push_back({{"option", c.option}, {"count", c.count}});
    if (t.is_void()) { // only in a void record: a tally's bytes stay as they always were
        j["voids"] = t.voids;
        j["reason"] = t.reason;
    }
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool parse_tally(const std::string& text, Tally& out, std::string* error) {
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        if (error) *error = "tally: not a JSON object";
        return false;
    }
    static const std::set<std::string> keys = {"format", "survey_id", "survey_hash", "event", "place", "date",
                                               "question", "method", "entered_by", "counts", "voids", "reason"};
    for (auto it = j.begin(); it != j.end(); ++it)
        if (!keys.count(it.key())) {
            if (error) *error = "tally: /" + it.key() + ": unknown field";
            return false;
        }
    if (!j.contains("format") || j["format"] != "teilhabe-tally/1") {
        if (error) *error = "tally: /format: expected \"teilhabe-tally/1\"";
        return false;
    }
    Tally t;
    std::string* strs[] = {&t.survey_id, &t.survey_hash, &t.event, &t.place, &t.date, &t.question, &t.method, &t.entered_by};
    const char* names[] = {"survey_id", "survey_hash", "event", "place", "date", "question", "method", "entered_by"};
    for (size_t i = 0; i < 8; ++i) {
        if (!j.contains(names[i]) || !j[names[i]].is_string()) {
            if (error) *error = std::string("tally: /") + names[i] + ": expected a string";
            return false;
        }
        *strs[i] = j[names[i]].get<std::string>();
    }
    if (!j.contains("counts") || !j["counts"].is_array()) {
        if (error) *error = "tally: /counts: expected a list";
        return false;
    }
    for (size_t i = 0; i < j["counts"].size(); ++i) {
        const auto& c = j["counts"][i];
        std::string at = "tally: /counts/" + std::to_string(i);
        if (!c.is_object() || c.size() != 2 || !c.contains("option") || !c["option"].is_string() ||
            !c.contains("count") || !c["count"].is_number_integer()) {
            if (error) *error = at + ": expected {\"count\": whole number, \"option\": string}";
            return false;
        }
        TallyCount tc{c["option"].get<std::string>(), c["count"].get<int64_t>()};
        if (tc.count < 0 || tc.count > kMaxTallyCount) {
            if (error) *error = at + "/count: outside 0.." + std::to_string(kMaxTallyCount);
            return false;
        }
        t.counts.push_back(tc);
    }
    // A void record: both keys, a record id and a reason, and no counts of its own.
    if (j.contains("voids") || j.contains("reason")) {
        if (!j.contains("voids") || !j["voids"].is_string() || j["voids"].get<std::string>().empty()) {
            if (error) *error = "tally: /voids: expected the record id of the voided tally";
            return false;
        }
        if (!j.contains("reason") || !j["reason"].is_string() || j["reason"].get<std::string>().empty()) {
            if (error) *error = "tally: /reason: a void record needs its reason";
            return false;
        }
        t.voids = j["voids"].get<std::string>();
        t.reason = j["reason"].get<std::string>();
        if (!t.counts.empty()) {
            if (error) *error = "tally: /counts: a void record has no counts";
            return false;
        }
    }
    out = std::move(t);
    return true;
}

AppendResult seal_tally(Vault& vault, const Tally& t) {
    RecordMeta m;
    m.survey_id = t.survey_id;
    m.survey_hash = t.survey_hash;
    m.channel = kChannelTally;
    m.site = t.place;
    int64_t days = 0;
    days_from_date(t.date, &days);
    m.time = days * 86400 + 12 * 3600;
    return vault.append_plain(serialize_tally(t), m);
}

bool make_tally_void(const Vault& vault, const Survey& s, const std::string& record_id, const std::string& reason,
                     const std::string& by, const std::string& date, Tally& out, std::string* error) {
    auto fail = [&](const std::string& m) {
        if (error) *error = m;
        return false;
    };
    if (reason.empty()) return fail("tally void: say why (--reason \"Poster doppelt gezählt\")");
    for (const std::string* f : {&reason, &by})
        for (unsigned char c : *f)
            if (c < 0x20 || c == 0x7F) return fail("tally void: a text contains a control character");
    if (!days_from_date(date, nullptr)) return fail("tally void: date '" + date + "' is not a date written YYYY-MM-DD");
    // Walk the chain in batches: the record's plain metadata is all a vault can show.
    std::vector<Record> batch;
    uint64_t after = 0;
    bool found = false;
    RecordMeta meta;
    for (;;) {
        std::string err;
        if (!vault.read_records(after, 1000, batch, &err)) return fail("tally void: cannot read the vault: " + err);
        if (batch.empty()) break;
        for (const Record& r : batch)
            if (!found && tk::record_id(r.device_pk, r.seq) == record_id) {
                found = true;
                meta = r.meta;
            }
        if (found) break;
        after = batch.back().seq;
    }
    if (!found)
        return fail("tally void: this vault has no record '" + record_id +
                    "' (the id `tally add` printed, e.g. 3f9a1c0d2b7e4a55-000007)");
    if (meta.channel != kChannelTally)
        return fail("tally void: record " + record_id + " is a " + meta.channel + " response, not a tally");
    if (meta.survey_id != s.id)
        return fail("tally void: record " + record_id + " belongs to survey " + meta.survey_id + ", not " + s.id);
    Tally t;
    t.survey_id = s.id;
    t.survey_hash = meta.survey_hash;
    t.place = meta.site;
    t.date = date;
    t.entered_by = by;
    t.voids = record_id;
    t.reason = reason;
    out = std::move(t);
    return true;
}

} // namespace tk
