// open_record.cpp - opening a record's seal with the research secret key. Research side
// only: this file is in tk_research, which teilhabe-kiosk does not link.
#include "open_record.h"

#include <cstring>
#include <sodium.h>

#include "compress.h"
#include "seal_format.h"

namespace tk {

OpenCache::~OpenCache() { sodium_memzero(shared, sizeof shared); }

bool open_record(const Record& r, const uint8_t research_box_pk[32], const uint8_t research_box_sk[32],
                 std::string& plain, std::string* error) {
    return open_record(r, research_box_pk, research_box_sk, plain, error, nullptr);
}

bool open_record(const Record& r, const uint8_t research_box_pk[32], const uint8_t research_box_sk[32],
                 std::string& plain, std::string* error, OpenCache* cache) {
    if (r.sealed.size() < kSealOverhead + 1) {
        if (error) *error = "sealed data too short";
        return false;
    }
    std::string env(r.sealed.size() - kSealOverhead, '\0');
    uint8_t nonce[crypto_box_NONCEBYTES];
    seal_nonce(nonce, r.sealed.data(), research_box_pk, r.seq);
    // crypto_box_open_easy is crypto_box_beforenm + crypto_box_open_easy_afternm; the first
    // half depends only on the ephemeral key, so it is kept for the next record.
    OpenCache local;
    OpenCache& c = cache ? *cache : local;
    if (!c.valid || std::memcmp(c.epk, r.sealed.data(), 32) != 0) {
        c.valid = crypto_box_beforenm(c.shared, r.sealed.data(), research_box_sk) == 0;
        std::memcpy(c.epk, r.sealed.data(), 32);
    }
    if (!c.valid || crypto_box_open_easy_afternm((uint8_t*)env.data(), r.sealed.data() + 32, r.sealed.size() - 32, nonce,
                                                 c.shared) != 0) {
        if (error) *error = "cannot open the seal (sealed to another research key, or damaged)";
        return false;
    }
    bool ok = true;
    uint8_t codec = (uint8_t)env[0];
    if (codec == kCodecRaw) {
        plain.assign(env, 1, std::string::npos);
    } else if (codec == kCodecLz) {
        ok = lz_decompress((const uint8_t*)env.data() + 1, env.size() - 1, r.size, plain);
        if (!ok && error) *error = "compressed plain text is damaged";
    } else {
        ok = false;
        if (error) *error = "unknown codec " + std::to_string(codec);
    }
    sodium_memzero(env.data(), env.size());
    if (ok && plain.size() != r.size) {
        ok = false;
        if (error) *error = "plain-text size differs from the record's size field";
    }
    if (!ok) sodium_memzero(plain.data(), plain.size());
    return ok;
}

} // namespace tk
