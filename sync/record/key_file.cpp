// key_file.cpp - see key_file.h.
#include "key_file.h"

#include <sodium.h>

#include "hex.h"

namespace tk::keyfile {

bool parse_key_file(const std::string& path, const std::string& text, const char* header,
                           KeyFile& kf, std::string* error) {
    size_t pos = 0;
    int line_no = 0;
    bool first = true;
    while (pos < text.size()) {
        size_t nl = text.find('\n', pos);
        std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
        pos = nl == std::string::npos ? text.size() : nl + 1;
        line_no++;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (first) {
            if (line != header) {
                if (error)
                    *error = path + ":1: not a " + std::string(header) +
                             " file (first line is '" + line.substr(0, 40) + "')";
                return false;
            }
            first = false;
            continue;
        }
        if (line.empty() || line[0] == '#') continue;
        size_t colon = line.find(": ");
        if (colon == std::string::npos) {
            if (error) *error = path + ":" + std::to_string(line_no) + ": expected 'name: value'";
            return false;
        }
        std::string k = line.substr(0, colon);
        if (kf.fields.count(k)) {
            if (error) *error = path + ":" + std::to_string(line_no) + ": '" + k + "' given twice";
            return false;
        }
        kf.fields[k] = line.substr(colon + 2);
        kf.line_of[k] = line_no;
    }
    if (first) {
        if (error) *error = path + ": empty file, expected a " + std::string(header) + " file";
        return false;
    }
    return true;
}

bool hex_field(const std::string& path, const KeyFile& kf, const char* name, uint8_t* out,
                      size_t n, std::string* error) {
    auto it = kf.fields.find(name);
    if (it == kf.fields.end()) {
        if (error) *error = path + ": '" + name + "' is missing";
        return false;
    }
    if (!from_hex(it->second, out, n)) {
        if (error)
            *error = path + ":" + std::to_string(kf.line_of.at(name)) + ": '" + name + "' must be " +
                     std::to_string(n * 2) + " hex digits";
        return false;
    }
    return true;
}

bool u64_field(const std::string& path, const KeyFile& kf, const char* name, uint64_t lo,
                      uint64_t hi, uint64_t& out, std::string* error) {
    auto it = kf.fields.find(name);
    if (it == kf.fields.end()) {
        if (error) *error = path + ": '" + name + "' is missing";
        return false;
    }
    const std::string& s = it->second;
    uint64_t v = 0;
    bool ok = !s.empty() && s.size() <= 19;
    for (char c : s) {
        if (c < '0' || c > '9') { ok = false; break; }
        v = v * 10 + (uint64_t)(c - '0');
    }
    if (!ok || v < lo || v > hi) {
        if (error)
            *error = path + ":" + std::to_string(kf.line_of.at(name)) + ": '" + name +
                     "' must be a number from " + std::to_string(lo) + " to " + std::to_string(hi);
        return false;
    }
    out = v;
    return true;
}

// An Ed25519 secret key is seed || public key; the public half must be re-derived from the
// seed, not just copied, or a damaged seed would go unnoticed.
bool ed25519_secret_matches(const uint8_t sk[64], const uint8_t pk[32]) {
    uint8_t pk2[32], sk2[64];
    crypto_sign_seed_keypair(pk2, sk2, sk);
    bool ok = sodium_memcmp(pk2, pk, 32) == 0 && sodium_memcmp(sk2 + 32, sk + 32, 32) == 0;
    sodium_memzero(sk2, sizeof sk2);
    return ok;
}

extern const char kPubHeader[] = "teilhabe-research-public/1";
extern const char kSecHeader[] = "teilhabe-research-secret/1";
extern const char kDevHeader[] = "teilhabe-device/1";

// Bounds for the KDF parameters read from a file: a damaged file must not make us allocate
// gigabytes or spin for minutes.
extern const uint64_t kMaxOps = 16;
extern const uint64_t kMaxMem = 1ull << 30;

bool public_from_fields(const std::string& path, const KeyFile& kf, ResearchPublicKey& out,
                               std::string* error) {
    if (!hex_field(path, kf, "box", out.box_pk, 32, error)) return false;
    if (!hex_field(path, kf, "sign", out.sign_pk, 32, error)) return false;
    auto it = kf.fields.find("fingerprint");
    if (it != kf.fields.end() && it->second != research_fingerprint(out)) {
        if (error)
            *error = path + ":" + std::to_string(kf.line_of.at("fingerprint")) +
                     ": fingerprint does not match the keys (file damaged or edited)";
        return false;
    }
    return true;
}

} // namespace tk::keyfile
