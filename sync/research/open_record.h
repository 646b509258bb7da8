// open_record.h - opening a sealed record (research side only; see seal_format.h).
#pragma once
#include <cstdint>
#include <string>

#include "record.h"

namespace tk {

// Opens the seal with the research box key pair and undoes the codec. Research side only.
bool open_record(const Record& r, const uint8_t research_box_pk[32],
                 const uint8_t research_box_sk[32], std::string& plain, std::string* error);

// The shared key of the last seal opened: records sealed in one batch (one SealSession) then
// cost the research side one X25519 agreement instead of one each. Kiosk responses, each with
// its own ephemeral key, gain nothing and lose nothing. Wiped when it goes out of scope.
struct OpenCache {
    uint8_t epk[32] = {};
    uint8_t shared[32] = {};
    bool valid = false;
    ~OpenCache();
};
bool open_record(const Record& r, const uint8_t research_box_pk[32], const uint8_t research_box_sk[32],
                 std::string& plain, std::string* error, OpenCache* cache);

} // namespace tk
