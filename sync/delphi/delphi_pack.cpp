// delphi_pack.cpp - the feedback pack: group statistics and sealed own answers (see delphi.h).
//
// Index
//   limits             what a pack may hold (every bound the reader checks)
//   own answers        seal_own_answers, open_own_answers, find_own_answers
//   writing            write_feedback_pack (canonical JSON)
//   reading            read_feedback_pack: parse, then check every field before trusting it
#include "delphi.h"

#include <cmath>
#include <cstring>
#include <set>

#include <nlohmann/json.hpp>
#include <sodium.h>

#include "json_positions.h"

namespace tk::delphi {

using json = nlohmann::json;

// --- limits ---------------------------------------------------------------------------------
// Far above any study (the report's had 20 experts and some 40 repeated items), far below what
// could exhaust a kiosk's memory. The file itself is limited to kFeedbackPackMax.
static const char kFormat[] = "teilhabe-delphi-feedback/1";
static const size_t kMaxItems = 5000;
static const size_t kMaxEntries = 100000;
static const size_t kMaxCategories = 100;
static const size_t kMaxText = 1000;          // an id, key, code or detail line
static const size_t kMaxEntryText = 64 * 1024; // one sealed entry, as base64
static const size_t kPadBlock = 256;          // own answers are padded to a multiple of this
static const int kMaxCount = 10000000;

const ItemStats* FeedbackPack::find(const std::string& key) const {
    for (const ItemStats& s : items)
        if (s.key == key) return &s;
    return nullptr;
}

// --- own answers ------------------------------------------------------------------------------
// Entry = base64( nonce || crypto_secretbox(padded JSON object) ). The padding (ISO/IEC 7816-4,
// libsodium's sodium_pad) hides how many answers a participant gave.
std::string seal_own_answers(const ParticipantKeys& k, const OwnAnswers& answers) {
    json j = json::object();
    for (const auto& [key, value] : answers) j[key] = value;
    std::string plain = j.dump();
    std::vector<uint8_t> padded(plain.begin(), plain.end());
    padded.resize(plain.size() + kPadBlock);
    size_t padded_len = 0;
    sodium_pad(&padded_len, padded.data(), plain.size(), kPadBlock, padded.size());
    padded.resize(padded_len);

    std::vector<uint8_t> box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + padded.size());
    randombytes_buf(box.data(), crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(box.data() + crypto_secretbox_NONCEBYTES, padded.data(), padded.size(), box.data(), k.key);
    sodium_memzero(padded.data(), padded.size());
    sodium_memzero(plain.data(), plain.size());

    std::string b64(sodium_base64_ENCODED_LEN(box.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(b64.data(), b64.size(), box.data(), box.size(), sodium_base64_VARIANT_ORIGINAL);
    b64.resize(std::strlen(b64.c_str()));
    return b64;
}

bool open_own_answers(const ParticipantKeys& k, const std::string& entry, OwnAnswers& out) {
    out.clear();
    if (entry.empty() || entry.size() > kMaxEntryText) return false;
    std::vector<uint8_t> box(entry.size());
    size_t len = 0;
    if (sodium_base642bin(box.data(), box.size(), entry.data(), entry.size(), nullptr, &len, nullptr,
                          sodium_base64_VARIANT_ORIGINAL) != 0)
        return false;
    if (len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + kPadBlock) return false;
    std::vector<uint8_t> plain(len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES);
    if (crypto_secretbox_open_easy(plain.data(), box.data() + crypto_secretbox_NONCEBYTES,
                                   len - crypto_secretbox_NONCEBYTES, box.data(), k.key) != 0)
        return false;
    size_t plain_len = 0;
    bool ok = sodium_unpad(&plain_len, plain.data(), plain.size(), kPadBlock) == 0;
    // Sealed by the research side, but read as carefully as anything else: a pack's key may leak.
    if (ok) {
        json j = json::parse(plain.begin(), plain.begin() + (long)plain_len, nullptr, false);
        ok = j.is_object() && j.size() <= kMaxItems;
        if (ok)
            for (auto it = j.begin(); it != j.end() && ok; ++it) {
                std::string code, row;
                ok = it.value().is_string() && it.key().size() <= kMaxText &&
                     it.value().get_ref<const std::string&>().size() <= kMaxText && split_delphi_key(it.key(), code, row);
                if (ok) out[it.key()] = it.value().get<std::string>();
            }
    }
    sodium_memzero(plain.data(), plain.size());
    if (!ok) out.clear();
    return ok;
}

bool find_own_answers(const FeedbackPack& pack, const ParticipantKeys& k, OwnAnswers& out) {
    out.clear();
    auto it = pack.entries.find(k.lookup);
    return it != pack.entries.end() && open_own_answers(k, it->second, out);
}

// --- writing ----------------------------------------------------------------------------------
static json stats_to_json(const ItemStats& s) {
    json dist = json::array();
    for (const auto& [code, count] : s.distribution) dist.push_back(json::array({code, count}));
    json j = {{"key", s.key},       {"source_key", s.source_key}, {"n", s.n},
              {"distribution", dist}, {"ordinal", s.ordinal},     {"consensus", s.consensus},
              {"consensus_detail", s.consensus_detail}};
    if (s.multiple) j["multiple"] = true; // written only when set: packs without it read as before
    if (s.ordinal) {
        j["median"] = s.median;
        j["q1"] = s.q1;
        j["q3"] = s.q3;
        j["iqr"] = s.iqr;
        j["mean"] = s.mean;
        j["sd"] = s.sd;
    }
    return j;
}

std::string write_feedback_pack(const FeedbackPack& pack) {
    json items = json::array();
    for (const ItemStats& s : pack.items) items.push_back(stats_to_json(s));
    json entries = json::object();
    for (const auto& [lookup, entry] : pack.entries) entries[lookup] = entry;
    json j = {{"format", kFormat},         {"study", pack.study},         {"from_round", pack.from_round},
              {"for_survey", pack.for_survey}, {"for_version", pack.for_version}, {"created", pack.created},
              {"items", items},            {"entries", entries}};
    return j.dump(1) + "\n";
}

// --- reading ------------------------------------------------------------------------------------
namespace {
struct Reader {
    std::string* error;
    bool fail(const std::string& where, const std::string& what) {
        if (error) *error = "feedback pack: " + where + ": " + what;
        return false;
    }
    bool text(const json& j, const char* name, const std::string& where, std::string& out, bool may_be_empty = true) {
        auto it = j.find(name);
        if (it == j.end() || !it->is_string()) return fail(where + name, "missing or not a text");
        const std::string& s = it->get_ref<const std::string&>();
        if (s.size() > kMaxText) return fail(where + name, "longer than " + std::to_string(kMaxText) + " bytes");
        if (!may_be_empty && s.empty()) return fail(where + name, "empty");
        out = s;
        return true;
    }
    bool integer(const json& j, const char* name, const std::string& where, int lo, int hi, int& out) {
        auto it = j.find(name);
        if (it == j.end() || !it->is_number_integer()) return fail(where + name, "missing or not a whole number");
        int64_t v = it->get<int64_t>();
        if (v < lo || v > hi) return fail(where + name, "out of range (" + std::to_string(v) + ")");
        out = (int)v;
        return true;
    }
    bool number(const json& j, const char* name, const std::string& where, double& out) {
        auto it = j.find(name);
        if (it == j.end() || !it->is_number()) return fail(where + name, "missing or not a number");
        out = it->get<double>();
        if (!std::isfinite(out)) return fail(where + name, "not a finite number");
        return true;
    }
    bool boolean(const json& j, const char* name, const std::string& where, bool& out) {
        auto it = j.find(name);
        if (it == j.end() || !it->is_boolean()) return fail(where + name, "missing or not true/false");
        out = it->get<bool>();
        return true;
    }

    bool item(const json& j, const std::string& where, ItemStats& s) {
        if (!j.is_object()) return fail(where, "not an object");
        std::string code, row;
        if (!text(j, "key", where, s.key, false) || !text(j, "source_key", where, s.source_key, false)) return false;
        if (!split_delphi_key(s.key, code, row)) return fail(where + "key", "'" + s.key + "' is no item key");
        if (!split_delphi_key(s.source_key, code, row)) return fail(where + "source_key", "'" + s.source_key + "' is no item key");
        if (!integer(j, "n", where, 0, kMaxCount, s.n)) return false;
        auto d = j.find("distribution");
        if (d == j.end() || !d->is_array()) return fail(where + "distribution", "missing or not a list");
        if (d->size() > kMaxCategories) return fail(where + "distribution", "more than " + std::to_string(kMaxCategories) + " categories");
        int64_t sum = 0;
        std::set<std::string> seen;
        for (size_t i = 0; i < d->size(); i++) {
            const json& p = (*d)[i];
            std::string w = where + "distribution/" + std::to_string(i);
            if (!p.is_array() || p.size() != 2 || !p[0].is_string() || !p[1].is_number_integer())
                return fail(w, "not a [code, count] pair");
            const std::string& c = p[0].get_ref<const std::string&>();
            int64_t n = p[1].get<int64_t>();
            if (c.empty() || c.size() > kMaxText) return fail(w, "empty or overlong option code");
            if (!seen.insert(c).second) return fail(w, "option '" + c + "' listed twice");
            if (n < 0 || n > kMaxCount) return fail(w, "count out of range");
            sum += n;
            s.distribution.emplace_back(c, (int)n);
        }
        auto m = j.find("multiple");
        if (m != j.end() && !(m->is_boolean() && m->get<bool>())) return fail(where + "multiple", "only true is written");
        s.multiple = m != j.end();
        if (!boolean(j, "ordinal", where, s.ordinal) || !boolean(j, "consensus", where, s.consensus)) return false;
        if (s.multiple) {
            // Each option's count is of the n who answered; together they may exceed n.
            for (const auto& [c, n] : s.distribution)
                if (n > s.n) return fail(where + "distribution", "option '" + c + "' ticked by more than the " + std::to_string(s.n) + " who answered");
            if (s.ordinal || s.consensus) return fail(where + "multiple", "a multiple choice is neither ordinal nor in consensus");
        } else if (sum != s.n)
            return fail(where + "n", "is " + std::to_string(s.n) + " but the counts add up to " + std::to_string(sum));
        if (!text(j, "consensus_detail", where, s.consensus_detail)) return false;
        if (s.ordinal) {
            // The statistics must lie on the scale: a kiosk draws the median line from them.
            double lo = 0, hi = 0;
            for (size_t i = 0; i < s.distribution.size(); i++) {
                const std::string& c = s.distribution[i].first;
                char* end = nullptr;
                double v = std::strtod(c.c_str(), &end);
                if (end == c.c_str() || *end || !std::isfinite(v)) return fail(where + "ordinal", "option '" + c + "' is no number");
                if (i == 0 || v < lo) lo = v;
                if (i == 0 || v > hi) hi = v;
            }
            for (const char* name : {"median", "q1", "q3", "mean"}) {
                double v = 0;
                if (!number(j, name, where, v)) return false;
                if (s.n > 0 && (v < lo || v > hi)) return fail(where + name, "outside the scale");
                if (std::string(name) == "median") s.median = v;
                else if (std::string(name) == "q1") s.q1 = v;
                else if (std::string(name) == "q3") s.q3 = v;
                else s.mean = v;
            }
            if (!number(j, "iqr", where, s.iqr) || !number(j, "sd", where, s.sd)) return false;
            if (s.q1 > s.median || s.median > s.q3) return fail(where + "median", "not between q1 and q3");
            if (std::fabs(s.iqr - (s.q3 - s.q1)) > 1e-9 || s.sd < 0 || s.sd > hi - lo)
                return fail(where + "iqr", "iqr or sd does not fit the quartiles and scale");
        }
        return true;
    }
};
} // namespace

bool read_feedback_pack(const std::string& bytes, FeedbackPack& out, std::string* error) {
    out = FeedbackPack{};
    Reader r{error};
    if (bytes.size() > kFeedbackPackMax)
        return r.fail("file", "larger than " + std::to_string(kFeedbackPackMax >> 20) + " MiB");
    // Checked before parsing: a deeply nested file would otherwise exhaust the stack.
    if (loader::nesting_depth(bytes, 8) > 6) return r.fail("file", "nested deeper than a pack is");
    json j = json::parse(bytes, nullptr, false);
    if (j.is_discarded()) return r.fail("file", "not JSON text");
    if (!j.is_object()) return r.fail("file", "not a JSON object");
    std::string format;
    if (!r.text(j, "format", "", format)) return false;
    if (format != kFormat) return r.fail("format", "'" + format + "' is not " + kFormat);
    FeedbackPack p;
    if (!r.text(j, "study", "", p.study, false) || !r.integer(j, "from_round", "", 1, 1000, p.from_round) ||
        !r.text(j, "for_survey", "", p.for_survey, false) || !r.text(j, "for_version", "", p.for_version) ||
        !r.text(j, "created", "", p.created))
        return false;
    auto items = j.find("items");
    if (items == j.end() || !items->is_array()) return r.fail("items", "missing or not a list");
    if (items->size() > kMaxItems) return r.fail("items", "more than " + std::to_string(kMaxItems));
    std::set<std::string> keys;
    for (size_t i = 0; i < items->size(); i++) {
        ItemStats s;
        std::string where = "items/" + std::to_string(i) + "/";
        if (!r.item((*items)[i], where, s)) return false;
        if (!keys.insert(s.key).second) return r.fail(where + "key", "'" + s.key + "' listed twice");
        p.items.push_back(std::move(s));
    }
    auto entries = j.find("entries");
    if (entries == j.end() || !entries->is_object()) return r.fail("entries", "missing or not an object");
    if (entries->size() > kMaxEntries) return r.fail("entries", "more than " + std::to_string(kMaxEntries));
    for (auto it = entries->begin(); it != entries->end(); ++it) {
        const std::string& lookup = it.key();
        bool hex = lookup.size() == 32;
        for (char c : lookup) hex = hex && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
        if (!hex) return r.fail("entries", "'" + lookup.substr(0, 40) + "' is not a lookup id (32 hex digits)");
        if (!it.value().is_string() || it.value().get_ref<const std::string&>().empty() ||
            it.value().get_ref<const std::string&>().size() > kMaxEntryText)
            return r.fail("entries/" + lookup, "not a sealed entry");
        p.entries[lookup] = it.value().get<std::string>();
    }
    out = std::move(p);
    return true;
}

} // namespace tk::delphi
