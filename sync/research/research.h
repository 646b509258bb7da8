// research.h - the research team's side of the records: open sealed records with the research
// secret key and hand back the responses (and, apart from them, the event tallies) inside,
// with the record's id and plain metadata.
//
// Records come from the research server's store, from a bundle (USB stick) or straight from a
// kiosk's vault directory. Every record is checked before it is opened: it must parse, its
// device signature must verify, and the chain of each device is followed so that missing or
// re-linked records are reported. One bad record never stops the rest: it is counted and listed
// with its id and the reason, and everything else is still opened. See sync/research/RESEARCH.md.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "keys.h"
#include "record.h"
#include "response.h"
#include "tally.h"

namespace tk {

struct DecryptedResponse {
    std::string record_id;   // "3f9a1c0d2b7e4a55-000042"
    std::string device;      // "3f9a1c0d2b7e4a55"
    uint64_t seq = 0;
    RecordMeta meta;         // the record's plain metadata (time rounded to the hour)
    Response response;       // what was sealed
};

// An event tally (channel "tally", format "teilhabe-tally/1"): aggregate counts, not a
// respondent. Kept apart from the responses all the way to the report.
struct DecryptedTally {
    std::string record_id;
    std::string device;
    uint64_t seq = 0;
    RecordMeta meta;
    Tally tally;
};

struct RecordProblem {
    std::string record_id;   // "" when the record did not even parse
    std::string message;     // "signature does not match the device key", ...
};

struct DecryptResult {
    std::vector<DecryptedResponse> responses; // in source order (device, then sequence)
    std::vector<DecryptedTally> tallies;      // tally records, in source order
    std::vector<RecordProblem> problems;      // records that could not be opened: counted, listed
    std::vector<std::string> warnings;        // gaps in a device's chain, bundle-level damage, ...
    int64_t records_seen = 0;                 // responses + tallies + problems + duplicates_across_devices
    int64_t duplicates_across_devices = 0;    // records whose sealed bytes another record (of
                                              // another device) already carried: output once, warned
    int64_t duplicates_across_sources = 0;    // decrypt_sources: the same record (same bytes) in
                                              // more than one source, read once (not in records_seen)
    std::string error;                        // the source itself could not be read ("" = read)
    bool ok() const { return error.empty(); }
};

// Where the records are read from.
enum class RecordSourceKind { Store, Bundle, Vault };

// Reads every record of the source. Store: a `teilhabe-server --data` directory; Bundle: a
// `.tkb` file (a bundle whose signature fails is still read record by record, with a warning);
// Vault: a kiosk's data directory (opened read-only; nothing is created or changed).
// *damaged (when given) gets the records the source names as damaged on the device: the
// vault's quarantine, a bundle's damaged list. They are not in `out`.
bool read_source_records(RecordSourceKind kind, const std::string& path, std::vector<Record>& out,
                         std::vector<std::string>* warnings, std::string* error,
                         std::vector<RecordProblem>* damaged = nullptr);

// Checks and opens `records` (several devices may be mixed; each device's records must be in
// sequence order for the chain check). `source` names the input in messages. Uses all cores.
// `damaged`: records the source says are damaged on the device (read_source_records); each
// is counted and listed as a problem by its id, and the chain check does not call the gap
// they leave a missing record.
DecryptResult decrypt_records(const std::vector<Record>& records, const ResearchSecretKey& key,
                              const std::string& source, const std::vector<RecordProblem>* damaged = nullptr);

// read_source_records + decrypt_records.
DecryptResult decrypt_source(RecordSourceKind kind, const std::string& path, const ResearchSecretKey& key);

// Several sources read as one (two USB bundles of a kiosk, the store and a bundle): a record
// that more than one holds with the same bytes is read once and counted in
// duplicates_across_sources; the records are then checked in device and sequence order across
// all of them, so one device's chain may continue from one bundle into the next. A record a
// source lists as damaged is no problem when another source holds it intact. The first source
// that cannot be read is the error.
struct RecordSource {
    RecordSourceKind kind;
    std::string path;
};
DecryptResult decrypt_sources(const std::vector<RecordSource>& sources, const ResearchSecretKey& key);

// Loads research.key with `passphrase`, with messages a researcher can act on: a public key
// file given instead of the secret one, a wrong passphrase, a damaged file.
bool load_research_key(const std::string& path, const std::string& passphrase, ResearchSecretKey& out,
                       std::string* error);

// Reads the bundle structure without trusting its signature and returns every record whose
// own length prefix is intact (used when read_bundle refuses the bundle as a whole, so that
// one flipped byte does not cost the other records). Never reads past `len`.
bool salvage_bundle_records(const uint8_t* data, size_t len, std::vector<Record>& out,
                            std::vector<std::string>* warnings, std::string* error);

// --- responses.jsonl: what `teilhabe decrypt` writes and the exports read ------------------
// One JSON object per line:
//   {"record":"<id>","device":"<hex>","seq":N,"record_meta":{"survey_id":…,"survey_hash":…,
//    "channel":…,"site":…,"hour":"<ISO>"},"response":{<teilhabe-response/1>}}
// A line that is a bare response object (as `teilhabe survey walk` prints) is read too; its
// record id is then "line-N".
std::string responses_jsonl_line(const DecryptedResponse& d);   // without the newline

struct JsonlRead {
    std::vector<DecryptedResponse> responses;
    std::vector<std::string> errors;          // "file: line 3: /response/answers/C1: ..."
    size_t duplicates = 0;                    // read_responses_jsonl_files: records left out as
                                              // already read (from an earlier line or file)
};
JsonlRead parse_responses_jsonl(const std::string& text, const std::string& source_name);
bool read_responses_jsonl(const std::string& path, JsonlRead& out, std::string* error);
// Several responses.jsonl (the store and a USB bundle decrypted apart) as one: a record id met
// again is left out and counted in `duplicates`; when its response differs from the first one,
// that is named in `errors` (the first is kept). "line-N" ids of bare response lines are per
// file and never merged. Returns false (with *error) at the first file that cannot be read.
bool read_responses_jsonl_files(const std::vector<std::string>& paths, JsonlRead& out, std::string* error);

// --- tallies.jsonl: the tally records `teilhabe decrypt` opened, one JSON object per line -----
//   {"record":"<id>","device":"<hex>","seq":N,"record_meta":{…as above…},"tally":{<teilhabe-tally/1>}}
// A bare tally object is read too (record id "line-N"). Kept out of responses.jsonl so the
// exports, which read responses only, never see them.
std::string tallies_jsonl_line(const DecryptedTally& d);        // without the newline

struct TallyJsonlRead {
    std::vector<DecryptedTally> tallies;
    std::vector<std::string> errors;          // "file: line 2: /tally: tally: /counts/0/count: ..."
};
TallyJsonlRead parse_tallies_jsonl(const std::string& text, const std::string& source_name);
bool read_tallies_jsonl(const std::string& path, TallyJsonlRead& out, std::string* error);

} // namespace tk
