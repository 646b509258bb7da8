// enrolment.h - one-time pairing codes, and the server key a kiosk pins when it enrols.
//
// `teilhabe-server enrol` prints a code such as "K7QX-3MPA-9RTC" (60 random bits from an
// alphabet without look-alikes, valid for a limited time, usable once). The coordinator types
// it into the kiosk's staff menu or `teilhabe enrol`; the kiosk sends it with its device key,
// the server registers the key and answers with its own public key and the site named with
// the code, which the kiosk writes to DIR/server.pub (the kiosk takes the site as its default). From then on the server accepts that device's bundles, and the kiosk
// accepts only receipts signed by that server key.
//
// The code is stored on the server only as a hash, so a copy of the store does not reveal
// unused codes. Reading is forgiving: case, spaces, dashes, and O/I/L for 0/1/1 are accepted.
#pragma once
#include <array>
#include <cstdint>
#include <string>

#include "record.h"

namespace tk {

inline constexpr size_t kPairingCodeChars = 12;

std::string make_pairing_code();   // "XXXX-XXXX-XXXX"
// Canonical form (12 characters, no dashes) or false when it cannot be a code.
bool normalize_pairing_code(const std::string& in, std::string& out);
Hash32 pairing_code_hash(const std::string& normalized);

// DIR/server.pub on the kiosk: the server the device is enrolled with.
struct ServerPin {
    std::array<uint8_t, 32> server_pk{};
    std::string url;   // where it enrolled (the default for `teilhabe sync`)
    std::string site;  // the site the pairing code was made for ("" = none); one line of text
};
bool write_server_pin(const std::string& dir, const ServerPin& pin, std::string* error);
bool read_server_pin(const std::string& dir, ServerPin& pin, std::string* error);

} // namespace tk
