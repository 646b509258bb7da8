// research_key.cpp - reading and decrypting research.key. Research side only: this file is in
// tk_research, which teilhabe-kiosk does not link.
#include "research_key.h"

#include <cstring>
#include <sodium.h>

#include "files.h"
#include "key_file.h"

namespace tk {

using namespace keyfile;

bool load_research_secret(const std::string& path, const std::string& passphrase,
                          ResearchSecretKey& out, std::string* error) {
    if (sodium_init() < 0) {
        if (error) *error = "libsodium failed to initialise";
        return false;
    }
    std::string text;
    if (!read_file_at_most(path, kKeyFileMax, text, error)) return false;
    KeyFile kf;
    if (text.rfind(kPubHeader, 0) == 0) {
        if (error) *error = path + ": this is the PUBLIC key file; the secret one is research.key";
        return false;
    }
    if (!parse_key_file(path, text, kSecHeader, kf, error)) return false;
    if (!public_from_fields(path, kf, out.pub, error)) return false;
    if (kf.fields["kdf"] != "argon2id13") {
        if (error) *error = path + ": unknown kdf '" + kf.fields["kdf"] + "' (expected argon2id13)";
        return false;
    }
    uint64_t ops = 0, mem = 0;
    uint8_t salt[crypto_pwhash_SALTBYTES], nonce[crypto_secretbox_NONCEBYTES];
    uint8_t cipher[96 + crypto_secretbox_MACBYTES];
    if (!u64_field(path, kf, "opslimit", crypto_pwhash_OPSLIMIT_MIN, kMaxOps, ops, error) ||
        !u64_field(path, kf, "memlimit", crypto_pwhash_MEMLIMIT_MIN, kMaxMem, mem, error) ||
        !hex_field(path, kf, "salt", salt, sizeof salt, error) ||
        !hex_field(path, kf, "nonce", nonce, sizeof nonce, error) ||
        !hex_field(path, kf, "secret", cipher, sizeof cipher, error))
        return false;
    uint8_t key[crypto_secretbox_KEYBYTES];
    if (crypto_pwhash(key, sizeof key, passphrase.data(), passphrase.size(), salt, ops, (size_t)mem,
                      crypto_pwhash_ALG_ARGON2ID13) != 0) {
        if (error) *error = path + ": key derivation ran out of memory";
        return false;
    }
    uint8_t plain[96];
    int rc = crypto_secretbox_open_easy(plain, cipher, sizeof cipher, nonce, key);
    sodium_memzero(key, sizeof key);
    if (rc != 0) {
        sodium_memzero(plain, sizeof plain);
        if (error) *error = path + ": wrong passphrase (or the encrypted part is damaged)";
        return false;
    }
    std::memcpy(out.box_sk, plain, 32);
    std::memcpy(out.sign_sk, plain + 32, 64);
    sodium_memzero(plain, sizeof plain);
    // The decrypted secrets must belong to the public keys in the file.
    uint8_t pk[32];
    crypto_scalarmult_base(pk, out.box_sk);
    bool match = sodium_memcmp(pk, out.pub.box_pk, 32) == 0;
    match = match && ed25519_secret_matches(out.sign_sk, out.pub.sign_pk);
    if (!match) {
        out.wipe();
        if (error) *error = path + ": the secret keys do not belong to the public keys in the file";
        return false;
    }
    return true;
}

} // namespace tk
