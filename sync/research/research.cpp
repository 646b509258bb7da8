// research.cpp - opening records on the research side (see research.h and sync/research/RESEARCH.md).
#include "research.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <map>
#include <set>
#include <nlohmann/json.hpp>
#include <sodium.h>
#include <sys/stat.h>

#include "bundle.h"
#include "little_endian.h"
#include "files.h"
#include "parallel_for.h"
#include "server_store.h"
#include "vault.h"
#include "research_key.h"
#include "open_record.h"

namespace tk {

using nlohmann::json;

// ---------------------------------------------------------------------------------------
// Reading the sources

// A source file whole, with its path in the message (the shared reader leaves the path to us).
static bool read_source_file(const std::string& path, std::string& out, std::string* error) {
    std::string err;
    if (read_whole_file(path, out, &err)) return true;
    *error = path + ": " + err;
    return false;
}

bool salvage_bundle_records(const uint8_t* data, size_t len, std::vector<Record>& out,
                            std::vector<std::string>* warnings, std::string* error) {
    // The layout up to the records is the bundle reader's; the 64-byte signature closes it.
    size_t pos = 0;
    if (!bundle_records_start(data, len, &pos, error)) return false;
    uint32_t count = (uint32_t)get_le(data + 64, 4);
    size_t end = len - 64;
    uint32_t i = 0;
    for (; i < count && pos + 4 <= end; i++) {
        uint32_t n = (uint32_t)get_le(data + pos, 4);
        pos += 4;
        if (n > end - pos) {
            if (warnings)
                warnings->push_back("record " + std::to_string(i + 1) + " of " + std::to_string(count) +
                                    ": its length runs past the end of the bundle; the rest cannot be read");
            break;
        }
        Record r;
        std::string err;
        if (parse_record(data + pos, n, r, &err)) out.push_back(std::move(r));
        else if (warnings)
            warnings->push_back("record " + std::to_string(i + 1) + " of " + std::to_string(count) +
                                " does not parse: " + err);
        pos += n;
    }
    if (i < count && warnings && pos + 4 > end)
        warnings->push_back("bundle ends after " + std::to_string(i) + " of " + std::to_string(count) + " records");
    return true;
}

static bool read_bundle_file(const std::string& path, std::vector<Record>& out, std::vector<std::string>* warnings,
                             std::string* error, std::vector<RecordProblem>* damaged) {
    std::string bytes;
    if (!read_source_file(path, bytes, error)) return false;
    const uint8_t* p = reinterpret_cast<const uint8_t*>(bytes.data());
    Bundle b;
    BundleProblem problem = BundleProblem::None;
    std::string err;
    BundleLimits limits; // USB limits; a researcher's machine can afford them
    if (read_bundle(p, bytes.size(), limits, b, &problem, &err)) {
        if (damaged)
            for (uint64_t seq : b.damaged)
                damaged->push_back({record_id(b.device_pk, seq), "damaged on the device (quarantined there, not in the bundle)"});
        out = std::move(b.records);
        return true;
    }
    if (problem == BundleProblem::TooLarge) {
        *error = path + ": " + err;
        return false;
    }
    // The bundle as a whole is refused; read what can be read, record by record: every record
    // carries its own device signature, which decrypt_records checks.
    if (warnings) warnings->push_back(path + ": bundle refused (" + std::string(bundle_problem_name(problem)) + ": " +
                                      err + "); reading its records one by one");
    if (!salvage_bundle_records(p, bytes.size(), out, warnings, &err)) {
        *error = path + ": " + err;
        return false;
    }
    return true;
}

static bool read_store(const std::string& dir, std::vector<Record>& out, std::vector<std::string>* warnings,
                       std::string* error) {
    struct stat st{};
    if (stat((dir + "/server.sqlite").c_str(), &st) != 0) {
        *error = dir + ": no server store here (server.sqlite missing)";
        return false;
    }
    std::string err;
    auto store = ServerStore::open(dir, false, &err);
    if (!store) {
        *error = dir + ": " + err;
        return false;
    }
    bool ok = store->for_each_record([&](const StoredRecord& s) {
        Record r;
        std::string e;
        if (parse_record(s.wire.data(), s.wire.size(), r, &e)) out.push_back(std::move(r));
        else if (warnings) warnings->push_back("record " + s.record_id + " in the store does not parse: " + e);
        return true;
    }, &err);
    if (!ok) {
        *error = dir + ": " + err;
        return false;
    }
    return true;
}

static bool read_vault(const std::string& dir, std::vector<Record>& out, std::string* error,
                       std::vector<RecordProblem>* damaged) {
    struct stat st{};
    if (stat((dir + "/vault.sqlite").c_str(), &st) != 0) {
        *error = dir + ": no vault here (vault.sqlite missing)";
        return false;
    }
    VaultOpenOptions o;
    o.create = false;
    std::string err;
    auto v = Vault::open(dir, o, &err);
    if (!v) {
        *error = dir + ": " + err;
        return false;
    }
    if (damaged)
        for (const DamagedRecord& d : v->damaged_records())
            damaged->push_back({d.record_id, "damaged on the device (quarantined: " + d.reason + ")"});
    for (uint64_t after = 0;;) {
        std::vector<Record> chunk;
        if (!v->read_records(after, 5000, chunk, &err)) {
            *error = dir + ": " + err;
            return false;
        }
        if (chunk.empty()) break;
        after = chunk.back().seq;
        for (Record& r : chunk) out.push_back(std::move(r));
    }
    return true;
}

bool read_source_records(RecordSourceKind kind, const std::string& path, std::vector<Record>& out,
                         std::vector<std::string>* warnings, std::string* error,
                         std::vector<RecordProblem>* damaged) {
    switch (kind) {
    case RecordSourceKind::Store: return read_store(path, out, warnings, error);
    case RecordSourceKind::Bundle: return read_bundle_file(path, out, warnings, error, damaged);
    case RecordSourceKind::Vault: return read_vault(path, out, error, damaged);
    }
    return false;
}

// ---------------------------------------------------------------------------------------
// Checking and opening

bool load_research_key(const std::string& path, const std::string& passphrase, ResearchSecretKey& out,
                       std::string* error) {
    // load_research_secret already tells a wrong passphrase from a damaged file and a public
    // file from a secret one; its messages name the file.
    return load_research_secret(path, passphrase, out, error);
}

namespace {
struct Slot {               // the outcome for one record, filled by a worker
    bool ok = false;
    bool is_tally = false;  // the record holds an event tally (t), not a response (d)
    std::string message;
    DecryptedResponse d;
    DecryptedTally t;
};
} // namespace

// `vouched`: the record's bytes are already covered by a verified signature (its run's last
// record, see decrypt_records), so its own signature need not be checked again.
static void open_one(const Record& r, const ResearchSecretKey& key, bool vouched, OpenCache& cache, Slot& s) {
    std::string err;
    s.d.record_id = record_id(r.device_pk, r.seq);
    if (!vouched && !verify_record(r, nullptr, &err)) {
        s.message = err;
        return;
    }
    std::string plain;
    if (!open_record(r, key.pub.box_pk, key.box_sk, plain, &err, &cache)) {
        s.message = err;
        return;
    }
    // A tally is told by its channel; a response is tried otherwise, and a record whose
    // metadata says another channel but that holds a "teilhabe-tally/1" object is still a tally.
    bool channel_tally = r.meta.channel == kChannelTally;
    std::string tally_err;
    if (channel_tally && parse_tally(plain, s.t.tally, &tally_err)) s.is_tally = true;
    else if (parse_response(plain, s.d.response, &err)) s.is_tally = false;
    else if (!channel_tally && parse_tally(plain, s.t.tally, nullptr)) s.is_tally = true;
    else {
        s.message = channel_tally ? "opened, but the tally inside does not read: " + tally_err
                                  : "opened, but the response inside does not read: " + err;
        sodium_memzero(plain.data(), plain.size());
        return;
    }
    sodium_memzero(plain.data(), plain.size());
    s.d.device = s.d.record_id.substr(0, s.d.record_id.find('-'));
    s.d.seq = r.seq;
    s.d.meta = r.meta;
    if (s.is_tally) {
        s.t.record_id = s.d.record_id;
        s.t.device = s.d.device;
        s.t.seq = s.d.seq;
        s.t.meta = s.d.meta;
    }
    s.ok = true;
}

DecryptResult decrypt_records(const std::vector<Record>& records, const ResearchSecretKey& key,
                              const std::string& source, const std::vector<RecordProblem>* damaged) {
    DecryptResult res;
    if (sodium_init() < 0) {
        res.error = "libsodium failed to initialise";
        return res;
    }
    // Records damaged on the device are named as problems; the gap they leave is theirs.
    std::set<std::string> known_damaged;
    if (damaged)
        for (const RecordProblem& p : *damaged) {
            res.records_seen++;
            res.problems.push_back(p);
            known_damaged.insert(p.record_id);
        }
    auto all_known = [&](const std::array<uint8_t, 32>& pk, uint64_t first, uint64_t last) {
        if (last < first || last - first >= known_damaged.size()) return false;
        for (uint64_t s = first; s <= last; s++)
            if (!known_damaged.count(record_id(pk, s))) return false;
        return true;
    };
    // Chain check (cheap, sequential): per device, each record should follow the one before.
    // A gap or a re-link is reported, not hidden, but the signed records on both sides of it
    // are still opened.
    std::map<std::string, std::pair<uint64_t, Hash32>> last; // device hex -> (seq, hash)
    std::vector<Hash32> hashes(records.size());
    for (size_t i = 0; i < records.size(); i++) {
        const Record& r = records[i];
        std::string dev = device_id_hex(r.device_pk);
        auto it = last.find(dev);
        Hash32 h = record_hash(r);
        hashes[i] = h;
        if (it == last.end()) {
            if (r.seq > 1 && !all_known(r.device_pk, 1, r.seq - 1))
                res.warnings.push_back(source + ": device " + dev + ": records 1.." + std::to_string(r.seq - 1) +
                                       " are not in this source");
        } else if (r.seq == it->second.first) {
            res.warnings.push_back(source + ": record " + record_id(r.device_pk, r.seq) + " appears twice");
        } else if (r.seq != it->second.first + 1 && !all_known(r.device_pk, it->second.first + 1, r.seq - 1)) {
            res.warnings.push_back(source + ": device " + dev + ": records " + std::to_string(it->second.first + 1) +
                                   ".." + std::to_string(r.seq - 1) + " are missing (gap in the chain)");
        } else if (r.seq == it->second.first + 1 && r.prev_hash != it->second.second) {
            res.warnings.push_back(source + ": record " + record_id(r.device_pk, r.seq) +
                                   " does not link to the record before it (chain broken)");
        }
        last[dev] = {r.seq, h};
    }
    // Runs of linked records: record i continues the run of i-1 when it is the same device's
    // next record and carries the hash of i-1. The signature of a run's last record then
    // covers every record of the run (it signs the hash of the record before it, whose bytes
    // hold the hash of the one before that, and so on), so that one signature is checked and
    // the others only when it fails (sync/research/RESEARCH.md, "Checking a chain with one signature").
    std::vector<size_t> run_end(records.size());
    for (size_t i = records.size(); i-- > 0;) {
        bool next_links = i + 1 < records.size() && records[i + 1].device_pk == records[i].device_pk &&
                          records[i + 1].seq == records[i].seq + 1 && records[i + 1].prev_hash == hashes[i];
        run_end[i] = next_links ? run_end[i + 1] : i;
    }

    // Signature check, opening and parsing: independent per record, so spread over the cores.
    unsigned workers = parallel_workers(records.size(), 256);
    // fn(index, the worker's OpenCache): consecutive records (one batch) mostly meet the same worker.
    auto parallel = [workers](size_t n, const std::function<void(size_t, OpenCache&)>& fn) {
        std::vector<OpenCache> caches(workers);
        parallel_for(n, workers, 64, [&](size_t begin, size_t end, unsigned w) {
            for (size_t k = begin; k < end; k++) fn(k, caches[w]);
        });
    };
    std::vector<char> anchor_ok(records.size(), 0); // for run ends: their signature verified
    parallel(records.size(), [&](size_t i, OpenCache&) {
        if (run_end[i] == i) anchor_ok[i] = verify_record(records[i], nullptr, nullptr);
    });
    std::vector<Slot> slots(records.size());
    parallel(records.size(), [&](size_t i, OpenCache& cache) {
        open_one(records[i], key, anchor_ok[run_end[i]] != 0, cache, slots[i]);
    });

    std::map<std::string, int> seen_ids;
    // The same sealed bytes under two devices: a device key re-signed another device's record
    // (the seal's nonce depends on the sequence number only, so it still opens). It is one
    // answer; it is kept under the record met first and the other is named, not counted.
    std::map<Hash32, size_t> sealed_first; // BLAKE2b-256 of the sealed bytes -> first record
    for (size_t i = 0; i < slots.size(); i++) {
        Slot& s = slots[i];
        res.records_seen++;
        if (!s.ok) {
            res.problems.push_back({s.d.record_id, s.message});
            continue;
        }
        if (seen_ids[s.d.record_id]++) continue; // reported above as appearing twice
        Hash32 sh;
        crypto_generichash(sh.data(), sh.size(), records[i].sealed.data(), records[i].sealed.size(), nullptr, 0);
        auto [first, fresh] = sealed_first.emplace(sh, i);
        if (!fresh) {
            const Record& a = records[first->second];
            res.duplicates_across_devices++;
            res.warnings.push_back(source + ": record " + s.d.record_id + " holds the same sealed answer as record " +
                                   record_id(a.device_pk, a.seq) + (a.device_pk != records[i].device_pk
                                   ? " of another device (a device key re-signed it)" : "") +
                                   "; counted once, as " + record_id(a.device_pk, a.seq));
            continue;
        }
        const std::string& inside = s.is_tally ? s.t.tally.survey_id : s.d.response.survey_id;
        if (inside != s.d.meta.survey_id)
            res.warnings.push_back(source + ": record " + s.d.record_id + ": survey id '" + inside +
                                   "' inside differs from the record's '" + s.d.meta.survey_id + "'");
        if (s.is_tally) res.tallies.push_back(std::move(s.t));
        else res.responses.push_back(std::move(s.d));
    }
    if (!records.empty() && res.responses.empty() && res.tallies.empty()) {
        bool all_seal = std::all_of(res.problems.begin(), res.problems.end(), [](const RecordProblem& p) {
            return p.message.rfind("cannot open the seal", 0) == 0;
        });
        if (all_seal)
            res.warnings.push_back(source + ": none of the " + std::to_string(records.size()) +
                                   " records opens with this key: the records were sealed to another research key "
                                   "(fingerprint of this key: " + research_fingerprint(key.pub) + ")");
    }
    return res;
}

// Records that did not even parse are lost to the count otherwise: they were seen.
static void count_unparsed(const std::vector<std::string>& warnings, DecryptResult& r) {
    for (const std::string& w : warnings)
        if (w.find("does not parse") != std::string::npos) {
            r.records_seen++;
            r.problems.push_back({"", w});
        }
}

DecryptResult decrypt_source(RecordSourceKind kind, const std::string& path, const ResearchSecretKey& key) {
    std::vector<Record> records;
    std::vector<std::string> warnings;
    std::vector<RecordProblem> damaged;
    std::string err;
    if (!read_source_records(kind, path, records, &warnings, &err, &damaged)) {
        DecryptResult r;
        r.error = err;
        r.warnings = warnings;
        return r;
    }
    DecryptResult r = decrypt_records(records, key, path, &damaged);
    r.warnings.insert(r.warnings.begin(), warnings.begin(), warnings.end());
    count_unparsed(warnings, r);
    return r;
}

// Every source's records, a record held by several (same id, same bytes) once.
static bool read_sources(const std::vector<RecordSource>& sources, std::vector<Record>& records,
                         std::vector<std::string>& warnings, std::vector<RecordProblem>& damaged, int64_t& twice,
                         std::string& error) {
    std::map<std::string, Hash32> held; // record id -> hash of the record read first
    std::set<std::string> damaged_ids;
    for (const RecordSource& src : sources) {
        std::vector<Record> rs;
        std::vector<RecordProblem> dm;
        if (!read_source_records(src.kind, src.path, rs, &warnings, &error, &dm)) return false;
        for (Record& r : rs) {
            auto [it, fresh] = held.emplace(record_id(r.device_pk, r.seq), record_hash(r));
            // Another record under a taken id is kept: the chain check names it ("appears twice").
            if (!fresh && it->second == record_hash(r)) {
                twice++;
                continue;
            }
            records.push_back(std::move(r));
        }
        for (RecordProblem& p : dm)
            if (damaged_ids.insert(p.record_id).second) damaged.push_back(std::move(p));
    }
    // Damaged on the device, but an earlier bundle carried it intact: it is read from there.
    damaged.erase(std::remove_if(damaged.begin(), damaged.end(), [&](const RecordProblem& p) { return held.count(p.record_id) > 0; }),
                  damaged.end());
    std::stable_sort(records.begin(), records.end(), [](const Record& a, const Record& b) {
        return a.device_pk != b.device_pk ? a.device_pk < b.device_pk : a.seq < b.seq;
    });
    return true;
}

DecryptResult decrypt_sources(const std::vector<RecordSource>& sources, const ResearchSecretKey& key) {
    if (sources.size() == 1) return decrypt_source(sources[0].kind, sources[0].path, key);
    std::vector<Record> records;
    std::vector<std::string> warnings;
    std::vector<RecordProblem> damaged;
    int64_t twice = 0;
    std::string err, names;
    for (const RecordSource& src : sources) names += (names.empty() ? "" : " + ") + src.path;
    if (!read_sources(sources, records, warnings, damaged, twice, err)) {
        DecryptResult r;
        r.error = err;
        r.warnings = warnings;
        return r;
    }
    DecryptResult r = decrypt_records(records, key, names, &damaged);
    r.duplicates_across_sources = twice;
    r.warnings.insert(r.warnings.begin(), warnings.begin(), warnings.end());
    count_unparsed(warnings, r);
    return r;
}

// ---------------------------------------------------------------------------------------
// responses.jsonl

// The line's head without its closing brace: record id, device, seq and plain metadata.
static std::string jsonl_head(const std::string& record, const std::string& device, uint64_t seq, const RecordMeta& m) {
    json meta = {{"survey_id", m.survey_id},
                 {"survey_hash", m.survey_hash},
                 {"channel", m.channel},
                 {"site", m.site},
                 {"hour", format_utc(m.time)}};
    json head = {{"record", record}, {"device", device}, {"seq", seq}, {"record_meta", meta}};
    std::string s = head.dump(-1, ' ', false, json::error_handler_t::replace);
    s.pop_back();
    return s;
}

std::string responses_jsonl_line(const DecryptedResponse& d) {
    // The response goes in as its canonical bytes, untouched, as the last member.
    return jsonl_head(d.record_id, d.device, d.seq, d.meta) + ",\"response\":" + serialize_response(d.response) + "}";
}

std::string tallies_jsonl_line(const DecryptedTally& d) {
    return jsonl_head(d.record_id, d.device, d.seq, d.meta) + ",\"tally\":" + serialize_tally(d.tally) + "}";
}

// record, device, seq and record_meta of a line (responses.jsonl and tallies.jsonl alike).
static bool parse_jsonl_head(const json& j, std::string& record, std::string& device, uint64_t& seq_out, RecordMeta& m,
                             std::string& err) {
    auto str = [&](const json& o, const char* key, std::string& dst, const std::string& path) {
        auto it = o.find(key);
        if (it == o.end() || !it->is_string()) {
            err = path + "/" + key + ": expected a string";
            return false;
        }
        dst = it->get<std::string>();
        return true;
    };
    if (!str(j, "record", record, "") || !str(j, "device", device, "")) return false;
    auto seq = j.find("seq");
    if (seq == j.end() || !seq->is_number_unsigned()) {
        err = "/seq: expected a whole number";
        return false;
    }
    auto meta = j.find("record_meta");
    if (meta == j.end() || !meta->is_object()) {
        err = "/record_meta: expected an object";
        return false;
    }
    std::string hour;
    if (!str(*meta, "survey_id", m.survey_id, "/record_meta") || !str(*meta, "survey_hash", m.survey_hash, "/record_meta") ||
        !str(*meta, "channel", m.channel, "/record_meta") || !str(*meta, "site", m.site, "/record_meta") ||
        !str(*meta, "hour", hour, "/record_meta"))
        return false;
    if (!parse_utc(hour, &m.time)) {
        err = "/record_meta/hour: expected a time like 2026-11-25T16:00:00Z";
        return false;
    }
    seq_out = seq->get<uint64_t>();
    return true;
}

// Walks a JSON-lines text (optional BOM, CRLF, blank lines skipped) and calls
// fn(line_no, line, object, where) for every line that is a JSON object; other lines become
// errors. `where` is "SOURCE: line N: " for the caller's own messages.
template <class Fn>
static void for_each_jsonl_object(const std::string& text, const std::string& source_name,
                                  std::vector<std::string>& errors, Fn fn) {
    size_t pos = 0;
    int line_no = 0;
    if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) pos = 3;
    while (pos < text.size()) {
        size_t nl = text.find('\n', pos);
        if (nl == std::string::npos) nl = text.size();
        std::string line = text.substr(pos, nl - pos);
        pos = nl + 1;
        line_no++;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        std::string where = source_name + ": line " + std::to_string(line_no) + ": ";
        json j = json::parse(line, nullptr, false);
        if (j.is_discarded() || !j.is_object()) {
            errors.push_back(where + "not a JSON object");
            continue;
        }
        fn(line_no, line, j, where);
    }
}

JsonlRead parse_responses_jsonl(const std::string& text, const std::string& source_name) {
    JsonlRead out;
    for_each_jsonl_object(text, source_name, out.errors,
                          [&](int line_no, const std::string& line, const json& j, const std::string& where) {
        DecryptedResponse d;
        std::string err;
        if (j.contains("format")) { // a bare response
            if (!parse_response(line, d.response, &err)) {
                out.errors.push_back(where + err);
                return;
            }
            d.record_id = "line-" + std::to_string(line_no);
            d.meta.survey_id = d.response.survey_id;
            d.meta.survey_hash = d.response.survey_hash;
            d.meta.channel = d.response.channel;
            d.meta.site = d.response.site;
            d.meta.time = (d.response.finished ? d.response.finished : d.response.started) / 3600 * 3600;
            out.responses.push_back(std::move(d));
            return;
        }
        auto resp = j.find("response");
        bool ok = parse_jsonl_head(j, d.record_id, d.device, d.seq, d.meta, err);
        if (ok && (resp == j.end() || !resp->is_object())) {
            err = "/response: expected an object";
            ok = false;
        }
        if (ok) {
            if (!parse_response(resp->dump(), d.response, &err)) {
                err = "/response" + (err.empty() || err[0] == '/' ? err : ": " + err);
                ok = false;
            }
        }
        if (!ok) {
            out.errors.push_back(where + (err.empty() ? std::string("unreadable") : err));
            return;
        }
        out.responses.push_back(std::move(d));
    });
    return out;
}

bool read_responses_jsonl(const std::string& path, JsonlRead& out, std::string* error) {
    std::string text;
    if (!read_source_file(path, text, error)) return false;
    out = parse_responses_jsonl(text, path);
    return true;
}

bool read_responses_jsonl_files(const std::vector<std::string>& paths, JsonlRead& out, std::string* error) {
    out = JsonlRead{};
    std::map<std::string, std::pair<size_t, size_t>> first; // record id -> (index in out, file)
    for (size_t f = 0; f < paths.size(); f++) {
        JsonlRead one;
        if (!read_responses_jsonl(paths[f], one, error)) return false;
        out.errors.insert(out.errors.end(), one.errors.begin(), one.errors.end());
        for (DecryptedResponse& d : one.responses) {
            if (d.record_id.rfind("line-", 0) != 0) { // "line-N" names a line, not a record
                auto [it, fresh] = first.emplace(d.record_id, std::make_pair(out.responses.size(), f));
                if (!fresh) {
                    out.duplicates++;
                    if (!(out.responses[it->second.first].response == d.response))
                        out.errors.push_back(paths[f] + ": record " + d.record_id + " differs from the one of the same id read from " +
                                             paths[it->second.second] + "; that one is kept, check both files");
                    continue;
                }
            }
            out.responses.push_back(std::move(d));
        }
    }
    return true;
}

TallyJsonlRead parse_tallies_jsonl(const std::string& text, const std::string& source_name) {
    TallyJsonlRead out;
    for_each_jsonl_object(text, source_name, out.errors,
                          [&](int line_no, const std::string& line, const json& j, const std::string& where) {
        DecryptedTally d;
        std::string err;
        if (j.contains("format")) { // a bare tally
            if (!parse_tally(line, d.tally, &err)) {
                out.errors.push_back(where + err);
                return;
            }
            d.record_id = "line-" + std::to_string(line_no);
            d.meta.survey_id = d.tally.survey_id;
            d.meta.survey_hash = d.tally.survey_hash;
            d.meta.channel = kChannelTally;
            d.meta.site = d.tally.place;
            out.tallies.push_back(std::move(d));
            return;
        }
        auto t = j.find("tally");
        bool ok = parse_jsonl_head(j, d.record_id, d.device, d.seq, d.meta, err);
        if (ok && (t == j.end() || !t->is_object())) {
            err = j.contains("response") ? "/tally: missing; this line holds a response (responses.jsonl given?)"
                                         : "/tally: expected an object";
            ok = false;
        }
        if (ok && !parse_tally(t->dump(), d.tally, &err)) {
            err = "/tally: " + err;
            ok = false;
        }
        if (!ok) {
            out.errors.push_back(where + (err.empty() ? std::string("unreadable") : err));
            return;
        }
        out.tallies.push_back(std::move(d));
    });
    return out;
}

bool read_tallies_jsonl(const std::string& path, TallyJsonlRead& out, std::string* error) {
    std::string text;
    if (!read_source_file(path, text, error)) return false;
    out = parse_tallies_jsonl(text, path);
    return true;
}

} // namespace tk
