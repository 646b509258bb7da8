// delphi_codes.cpp - participant codes and what follows from them (see delphi.h).
//
// Index
//   alphabet           Crockford's base32 and its check symbols
//   make_codes         random codes whose check symbol is a plain letter or digit
//   normalize_code     typed or scanned text -> canonical symbols
//   code_ok            the check symbol (value mod 37)
//   format_code        groups of four
//   derivation         Argon2id parameters (fixed: a study's pseudonyms must never change),
//                      derive_participant_keys, keys_from_pseudonym
#include "delphi.h"

#include <set>

#include <sodium.h>

#include "hex.h"

namespace tk::delphi {

// --- alphabet ------------------------------------------------------------------------------
// Crockford's base32: no I, L, O, U (read as 1, 1, 0; U is left out so no word forms by chance).
static const char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
// The check symbol is the value mod 37; 32..36 are Crockford's extra symbols.
static const char kCheckAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U";
static const size_t kDataSymbols = 20;

static int symbol_value(char c, bool check_position) {
    const char* alpha = check_position ? kCheckAlphabet : kAlphabet;
    for (int i = 0; alpha[i]; i++)
        if (alpha[i] == c) return i;
    return -1;
}

// The 100-bit number of the 20 data symbols, mod 37, one symbol at a time.
static int check_value(const std::string& normalized) {
    int r = 0;
    for (size_t i = 0; i < kDataSymbols; i++) r = (r * 32 + symbol_value(normalized[i], false)) % 37;
    return r;
}

// --- make_codes ----------------------------------------------------------------------------
// Codes whose check value is 32..36 are drawn again: their check symbol would be one of
// "*~$=U", hard to find on a kiosk's keyboard and easy to misread on a letter. This costs
// log2(37/32) = 0.2 of the 100 random bits; every error the check catches is still caught,
// because code_ok compares the full value mod 37.
std::vector<std::string> make_codes(size_t n) {
    std::vector<std::string> out;
    if (sodium_init() < 0) return out;
    std::set<std::string> seen;
    out.reserve(n);
    while (out.size() < n) {
        std::string c;
        for (size_t i = 0; i < kDataSymbols; i++) c += kAlphabet[randombytes_uniform(32)];
        int check = check_value(c);
        if (check >= 32) continue;
        c += kCheckAlphabet[check];
        if (seen.insert(c).second) out.push_back(c);
    }
    return out;
}

// --- normalize_code ---------------------------------------------------------------------------
std::string normalize_code(const std::string& typed) {
    std::string c;
    for (char ch : typed) {
        if (ch == ' ' || ch == '-' || ch == '\t' || ch == '\n' || ch == '\r') continue;
        if (ch >= 'a' && ch <= 'z') ch = char(ch - 'a' + 'A');
        if (ch == 'O') ch = '0';
        if (ch == 'I' || ch == 'L') ch = '1';
        c += ch;
        if (c.size() > kDataSymbols + 1) return "";
    }
    if (c.size() != kDataSymbols + 1) return "";
    for (size_t i = 0; i < c.size(); i++)
        if (symbol_value(c[i], i == kDataSymbols) < 0) return "";
    return c;
}

// --- code_ok ---------------------------------------------------------------------------------
// 37 is prime and larger than 32, so changing one symbol (a difference of d * 32^k with
// 0 < |d| < 32) or swapping two neighbours (31 * d * 32^k) always changes the value mod 37.
bool code_ok(const std::string& normalized) {
    if (normalize_code(normalized) != normalized || normalized.empty()) return false;
    return symbol_value(normalized[kDataSymbols], true) == check_value(normalized);
}

// --- format_code -----------------------------------------------------------------------------
std::string format_code(const std::string& normalized) {
    std::string out;
    for (size_t i = 0; i < normalized.size(); i++) {
        if (i && i % 4 == 0) out += '-';
        out += normalized[i];
    }
    return out;
}

// --- derivation -------------------------------------------------------------------------------
// Argon2id with 2 passes over 19 MiB (OWASP's lowest recommended setting): about 0.1-0.3 s on a
// low-end laptop's CPU, once per participant at the kiosk and once per letter when printing.
// The cost does not have to make guessing hard: a code has 100 random bits, out of reach of any
// number of guesses. It only adds margin should codes ever be shortened or leak in part. The
// values are written out rather than libsodium's *_INTERACTIVE constants, which a later
// libsodium may change: a study's pseudonyms must be the same in every round and on every device.
static const unsigned long long kOpsLimit = 2;
static const size_t kMemLimit = size_t(19) << 20;

ParticipantKeys::~ParticipantKeys() { sodium_memzero(key, sizeof key); }

void keys_from_pseudonym(const std::string& pseudonym, ParticipantKeys& out) {
    out.pseudonym = pseudonym;
    // Any text works (the pseudonym comes from decrypted data): it is first hashed to 32 bytes,
    // which then key BLAKE2b once per purpose, so a lookup id reveals neither key nor pseudonym.
    uint8_t km[32], lookup[16];
    crypto_generichash(km, sizeof km, (const uint8_t*)pseudonym.data(), pseudonym.size(), nullptr, 0);
    static const char kLookup[] = "teilhabe-delphi-lookup/1";
    static const char kKey[] = "teilhabe-delphi-key/1";
    crypto_generichash(lookup, sizeof lookup, (const uint8_t*)kLookup, sizeof kLookup - 1, km, sizeof km);
    crypto_generichash(out.key, sizeof out.key, (const uint8_t*)kKey, sizeof kKey - 1, km, sizeof km);
    out.lookup = to_hex(lookup, sizeof lookup);
    sodium_memzero(km, sizeof km);
}

bool derive_participant_keys(const std::string& normalized_code, const std::string& study, ParticipantKeys& out,
                             std::string* error) {
    auto fail = [&](const std::string& m) {
        if (error) *error = m;
        return false;
    };
    if (sodium_init() < 0) return fail("libsodium failed to initialise");
    if (!code_ok(normalized_code)) return fail("not a valid participant code");
    // The salt binds the pseudonym to the study: the same code in two studies gives two
    // unrelated pseudonyms.
    static const char kSalt[] = "teilhabe-delphi-salt/1";
    uint8_t salt[crypto_pwhash_SALTBYTES];
    crypto_generichash_state st;
    crypto_generichash_init(&st, nullptr, 0, sizeof salt);
    crypto_generichash_update(&st, (const uint8_t*)kSalt, sizeof kSalt); // with its 0 byte
    crypto_generichash_update(&st, (const uint8_t*)study.data(), study.size());
    crypto_generichash_final(&st, salt, sizeof salt);
    uint8_t p[16];
    if (crypto_pwhash(p, sizeof p, normalized_code.data(), normalized_code.size(), salt, kOpsLimit, kMemLimit,
                      crypto_pwhash_ALG_ARGON2ID13) != 0)
        return fail("not enough memory for the code's key derivation (Argon2id needs 19 MiB)");
    keys_from_pseudonym(to_hex(p, sizeof p), out);
    sodium_memzero(p, sizeof p);
    return true;
}

} // namespace tk::delphi
