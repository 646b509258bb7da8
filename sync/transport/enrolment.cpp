// enrolment.cpp - pairing codes and the kiosk's pinned server key.
#include "files.h"
#include "enrolment.h"

#include <sodium.h>

#include "keys.h"
#include "hex.h"

namespace tk {

// Crockford's base32 (as in fingerprints): nothing to mishear or misread.
static const char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

std::string make_pairing_code() {
    if (sodium_init() < 0) return "";
    std::string s;
    for (size_t i = 0; i < kPairingCodeChars; i++) {
        if (i > 0 && i % 4 == 0) s += '-';
        s += kAlphabet[randombytes_uniform(32)];
    }
    return s;
}

bool normalize_pairing_code(const std::string& in, std::string& out) {
    out.clear();
    if (in.size() > 64) return false;
    for (char c : in) {
        if (c == '-' || c == ' ') continue;
        if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
        if (c == 'O') c = '0';
        if (c == 'I' || c == 'L') c = '1';
        bool ok = false;
        for (const char* a = kAlphabet; *a; a++) ok = ok || *a == c;
        if (!ok) return false;
        out += c;
    }
    return out.size() == kPairingCodeChars;
}

Hash32 pairing_code_hash(const std::string& normalized) {
    Hash32 h{};
    static const char kContext[] = "teilhabe-pairing/1";
    crypto_generichash(h.data(), h.size(), (const uint8_t*)normalized.data(), normalized.size(),
                       (const uint8_t*)kContext, sizeof kContext - 1);
    return h;
}

// One line of the file: a value with a line break (or any control character) would make a
// line of its own, so such a value is refused.
static bool one_line(const std::string& v) {
    for (unsigned char c : v)
        if (c < 0x20 || c == 0x7F) return false;
    return v.size() <= 1024;
}

// server.pub: a few lines of text, so staff can read which server a kiosk trusts.
bool write_server_pin(const std::string& dir, const ServerPin& pin, std::string* error) {
    if (!one_line(pin.url) || !one_line(pin.site)) {
        if (error) *error = "server address or site has a line break or control character, or is too long";
        return false;
    }
    std::string text = "teilhabe-server-pin/1\nserver_pk: " + to_hex(pin.server_pk.data(), 32) +
                       "\nfingerprint: " + fingerprint(pin.server_pk.data(), 32) + "\nurl: " + pin.url + "\n";
    if (!pin.site.empty()) text += "site: " + pin.site + "\n";
    return write_file_atomic(dir + "/server.pub", text, 0644, true, error);
}

bool read_server_pin(const std::string& dir, ServerPin& pin, std::string* error) {
    std::string path = dir + "/server.pub", text;
    if (!read_file_at_most(path, kKeyFileMax, text, error)) return false;
    bool have_pk = false;
    size_t line_no = 0, pos = 0;
    while (pos < text.size()) {
        size_t nl = text.find('\n', pos);
        std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
        pos = nl == std::string::npos ? text.size() : nl + 1;
        line_no++;
        if (line_no == 1) {
            if (line != "teilhabe-server-pin/1") {
                if (error) *error = path + ": line 1: not a Teilhabe server pin file";
                return false;
            }
        } else if (line.rfind("server_pk: ", 0) == 0) {
            if (!from_hex(line.substr(11), pin.server_pk.data(), 32)) {
                if (error) *error = path + ": line " + std::to_string(line_no) + ": server_pk is not 64 hex digits";
                return false;
            }
            have_pk = true;
        } else if (line.rfind("url: ", 0) == 0) {
            pin.url = line.substr(5);
        } else if (line.rfind("site: ", 0) == 0) {
            pin.site = line.substr(6);
        }
    }
    if (!have_pk) {
        if (error) *error = path + ": no server_pk line";
        return false;
    }
    return true;
}

} // namespace tk
