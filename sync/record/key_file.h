// key_file.h - the "name: value" text form of research and device key files, shared by the
// public-key code (keys.cpp) and the research side's secret-key reader
// (sync/research/research_key.cpp). Errors name the file and line.
#pragma once
#include <cstdint>
#include <map>
#include <string>

#include "keys.h"

namespace tk::keyfile {

struct KeyFile {
    std::map<std::string, std::string> fields;
    std::map<std::string, int> line_of;
};

extern const char kPubHeader[];  // "teilhabe-research-public/1"
extern const char kSecHeader[];  // "teilhabe-research-secret/1"
extern const char kDevHeader[];  // "teilhabe-device/1"
// Bounds for the KDF parameters read from a file: a damaged file must not make us allocate
// gigabytes or spin for minutes.
extern const uint64_t kMaxOps;
extern const uint64_t kMaxMem;

bool parse_key_file(const std::string& path, const std::string& text, const char* header,
                    KeyFile& kf, std::string* error);
bool hex_field(const std::string& path, const KeyFile& kf, const char* name, uint8_t* out,
               size_t n, std::string* error);
bool u64_field(const std::string& path, const KeyFile& kf, const char* name, uint64_t lo,
               uint64_t hi, uint64_t& out, std::string* error);
// An Ed25519 secret key is seed || public key; the public half must be re-derived from the
// seed, not just copied, or a damaged seed would go unnoticed.
bool ed25519_secret_matches(const uint8_t sk[64], const uint8_t pk[32]);
// box, sign and (when present) fingerprint of a research key file.
bool public_from_fields(const std::string& path, const KeyFile& kf, ResearchPublicKey& out,
                        std::string* error);

} // namespace tk::keyfile
