// keys.cpp - research key files, device identity, fingerprints.
#include "keys.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include "files.h"
#include "hex.h"
#include "key_file.h"

namespace tk {

using namespace keyfile;

static bool sodium_ready() {
    static int rc = sodium_init();
    return rc >= 0;
}

void ResearchSecretKey::wipe() {
    sodium_memzero(box_sk, sizeof box_sk);
    sodium_memzero(sign_sk, sizeof sign_sk);
}
ResearchSecretKey::~ResearchSecretKey() { wipe(); }
void DeviceIdentity::wipe() { sodium_memzero(sk, sizeof sk); }
DeviceIdentity::~DeviceIdentity() { wipe(); }

// Crockford's base32 alphabet: no I, L, O, U, so nothing is misheard or misread.
static const char kFpAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

std::string fingerprint(const uint8_t* data, size_t len) {
    sodium_ready();
    uint8_t h[10]; // 80 bits = 16 base32 characters
    crypto_generichash(h, sizeof h, data, len, nullptr, 0);
    std::string out;
    uint32_t acc = 0;
    int bits = 0;
    for (uint8_t b : h) {
        acc = (acc << 8) | b;
        bits += 8;
        while (bits >= 5) {
            if (!out.empty() && (out.size() + 1) % 5 == 0) out += '-';
            out += kFpAlphabet[(acc >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    return out;
}

std::string research_fingerprint(const ResearchPublicKey& k) {
    uint8_t buf[64];
    std::memcpy(buf, k.box_pk, 32);
    std::memcpy(buf + 32, k.sign_pk, 32);
    return fingerprint(buf, sizeof buf);
}

std::string device_fingerprint(const uint8_t pk[32]) { return fingerprint(pk, 32); }

static bool file_exists(const std::string& path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0;
}

bool write_research_key_files(const std::string& secret_path, const std::string& public_path,
                              const std::string& passphrase, KdfStrength strength,
                              ResearchPublicKey* out_pub, std::string* error) {
    if (!sodium_ready()) {
        if (error) *error = "libsodium failed to initialise";
        return false;
    }
    if (file_exists(secret_path) || (!public_path.empty() && file_exists(public_path))) {
        if (error)
            *error = (file_exists(secret_path) ? secret_path : public_path) +
                     ": exists already, not overwritten";
        return false;
    }
    ResearchSecretKey k;
    crypto_box_keypair(k.pub.box_pk, k.box_sk);
    crypto_sign_keypair(k.pub.sign_pk, k.sign_sk);

    uint64_t ops = crypto_pwhash_OPSLIMIT_MIN, mem = crypto_pwhash_MEMLIMIT_MIN;
    if (strength == KdfStrength::Interactive) {
        ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
        mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
    } else if (strength == KdfStrength::Moderate) {
        ops = crypto_pwhash_OPSLIMIT_MODERATE;
        mem = crypto_pwhash_MEMLIMIT_MODERATE;
    }
    uint8_t salt[crypto_pwhash_SALTBYTES], nonce[crypto_secretbox_NONCEBYTES];
    randombytes_buf(salt, sizeof salt);
    randombytes_buf(nonce, sizeof nonce);
    uint8_t key[crypto_secretbox_KEYBYTES];
    if (crypto_pwhash(key, sizeof key, passphrase.data(), passphrase.size(), salt, ops, (size_t)mem,
                      crypto_pwhash_ALG_ARGON2ID13) != 0) {
        if (error) *error = "key derivation ran out of memory";
        return false;
    }
    uint8_t plain[96], cipher[96 + crypto_secretbox_MACBYTES];
    std::memcpy(plain, k.box_sk, 32);
    std::memcpy(plain + 32, k.sign_sk, 64);
    crypto_secretbox_easy(cipher, plain, sizeof plain, nonce, key);
    sodium_memzero(plain, sizeof plain);
    sodium_memzero(key, sizeof key);

    std::string fp = research_fingerprint(k.pub);
    std::string pub_text = std::string(kPubHeader) + "\n" +
                           "# Teilhabe Kiosk research public keys. Give this file to the kiosks.\n"
                           "fingerprint: " + fp + "\n" +
                           "box: " + to_hex(k.pub.box_pk, 32) + "\n" +
                           "sign: " + to_hex(k.pub.sign_pk, 32) + "\n";
    std::string sec_text = std::string(kSecHeader) + "\n" +
                           "# SECRET. Encrypted with a passphrase (Argon2id + XSalsa20-Poly1305).\n"
                           "fingerprint: " + fp + "\n" +
                           "box: " + to_hex(k.pub.box_pk, 32) + "\n" +
                           "sign: " + to_hex(k.pub.sign_pk, 32) + "\n" +
                           "kdf: argon2id13\n" +
                           "opslimit: " + std::to_string(ops) + "\n" +
                           "memlimit: " + std::to_string(mem) + "\n" +
                           "salt: " + to_hex(salt, sizeof salt) + "\n" +
                           "nonce: " + to_hex(nonce, sizeof nonce) + "\n" +
                           "secret: " + to_hex(cipher, sizeof cipher) + "\n";
    // The secret first: a crash in between leaves a usable secret and no public file, never
    // a public file whose secret is lost.
    if (!write_file_atomic(secret_path, sec_text, 0600, false, error)) return false;
    if (!public_path.empty() && !write_file_atomic(public_path, pub_text, 0644, false, error))
        return false;
    if (out_pub) *out_pub = k.pub;
    return true;
}

bool generate_research_keys(const std::string& dir, const std::string& passphrase,
                            ResearchPublicKey* out_pub, std::string* error) {
    if (passphrase.size() < 8) {
        if (error) *error = "the passphrase must have at least 8 characters";
        return false;
    }
    return write_research_key_files(dir + "/research.key", dir + "/research.pub", passphrase,
                                    KdfStrength::Moderate, out_pub, error);
}

bool load_research_public(const std::string& path, ResearchPublicKey& out, std::string* error) {
    sodium_ready();
    std::string text;
    if (!read_file_at_most(path, kKeyFileMax, text, error)) return false;
    KeyFile kf;
    const char* header = text.rfind(kSecHeader, 0) == 0 ? kSecHeader : kPubHeader;
    if (!parse_key_file(path, text, header, kf, error)) return false;
    return public_from_fields(path, kf, out, error);
}

bool load_or_create_device(const std::string& path, bool create, DeviceIdentity& out,
                           bool* created, std::string* error) {
    if (!sodium_ready()) {
        if (error) *error = "libsodium failed to initialise";
        return false;
    }
    if (created) *created = false;
    if (!file_exists(path)) {
        if (!create) {
            if (error) *error = path + ": device identity is missing";
            return false;
        }
        crypto_sign_keypair(out.pk, out.sk);
        std::string text = std::string(kDevHeader) + "\n" +
                           "# Teilhabe Kiosk device identity. SECRET signing key; keep mode 0600.\n"
                           "fingerprint: " + device_fingerprint(out.pk) + "\n" +
                           "public: " + to_hex(out.pk, 32) + "\n" +
                           "secret: " + to_hex(out.sk, 64) + "\n";
        bool ok = write_file_atomic(path, text, 0600, false, error);
        sodium_memzero(text.data(), text.size());
        if (!ok) {
            out.wipe();
            return false;
        }
        if (created) *created = true;
        return true;
    }
    std::string text;
    if (!read_file_at_most(path, kKeyFileMax, text, error)) return false;
    KeyFile kf;
    bool ok = parse_key_file(path, text, kDevHeader, kf, error) &&
              hex_field(path, kf, "public", out.pk, 32, error) &&
              hex_field(path, kf, "secret", out.sk, 64, error);
    sodium_memzero(text.data(), text.size());
    for (auto& f : kf.fields) sodium_memzero(f.second.data(), f.second.size());
    if (!ok) {
        out.wipe();
        return false;
    }
    if (!ed25519_secret_matches(out.sk, out.pk)) {
        out.wipe();
        if (error) *error = path + ": secret and public key do not belong together (file damaged)";
        return false;
    }
    return true;
}

} // namespace tk
