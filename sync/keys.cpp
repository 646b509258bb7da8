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

#include "record.h" // to_hex / from_hex

namespace tk {

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

// --- files ---

bool read_small_file(const std::string& path, std::string& out, std::string* error) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (error) *error = path + ": cannot open: " + std::strerror(errno);
        return false;
    }
    out.clear();
    char buf[4096];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (error) *error = path + ": cannot read: " + std::strerror(errno);
            ::close(fd);
            return false;
        }
        if (n == 0) break;
        out.append(buf, (size_t)n);
        if (out.size() > (1u << 20)) { // key files are a few hundred bytes
            if (error) *error = path + ": too large for a key file";
            ::close(fd);
            return false;
        }
    }
    ::close(fd);
    return true;
}

static std::string dir_of(const std::string& path) {
    size_t s = path.rfind('/');
    if (s == std::string::npos) return ".";
    if (s == 0) return "/";
    return path.substr(0, s);
}

bool write_file_atomic(const std::string& path, const std::string& data, unsigned mode,
                       bool overwrite, std::string* error) {
    sodium_ready();
    uint8_t rnd[6];
    randombytes_buf(rnd, sizeof rnd);
    std::string tmp = path + ".tmp-" + to_hex(rnd, sizeof rnd);
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) {
        if (error) *error = tmp + ": cannot create: " + std::strerror(errno);
        return false;
    }
    ::fchmod(fd, mode); // umask must not widen or narrow what we asked for
    size_t off = 0;
    bool ok = true;
    while (off < data.size()) {
        ssize_t n = ::write(fd, data.data() + off, data.size() - off);
        if (n < 0) {
            if (errno == EINTR) continue;
            ok = false;
            break;
        }
        off += (size_t)n;
    }
    if (ok && ::fsync(fd) != 0) ok = false;
    int saved = errno;
    ::close(fd);
    if (!ok) {
        ::unlink(tmp.c_str());
        if (error) *error = path + ": cannot write: " + std::strerror(saved);
        return false;
    }
    // link() fails when the target exists, so "never overwrite" holds even in a race.
    int rc = overwrite ? ::rename(tmp.c_str(), path.c_str()) : ::link(tmp.c_str(), path.c_str());
    saved = errno;
    if (!overwrite) ::unlink(tmp.c_str());
    if (rc != 0) {
        if (overwrite) ::unlink(tmp.c_str());
        if (error)
            *error = saved == EEXIST ? path + ": exists already, not overwritten"
                                     : path + ": cannot create: " + std::strerror(saved);
        return false;
    }
    int dfd = ::open(dir_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd); // the new name itself must survive a power cut
        ::close(dfd);
    }
    return true;
}

static bool file_exists(const std::string& path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0;
}

// "key: value" lines after a header line. Errors name the file and line.
struct KeyFile {
    std::map<std::string, std::string> fields;
    std::map<std::string, int> line_of;
};

static bool parse_key_file(const std::string& path, const std::string& text, const char* header,
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

static bool hex_field(const std::string& path, const KeyFile& kf, const char* name, uint8_t* out,
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

static bool u64_field(const std::string& path, const KeyFile& kf, const char* name, uint64_t lo,
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
static bool ed25519_secret_matches(const uint8_t sk[64], const uint8_t pk[32]) {
    uint8_t pk2[32], sk2[64];
    crypto_sign_seed_keypair(pk2, sk2, sk);
    bool ok = sodium_memcmp(pk2, pk, 32) == 0 && sodium_memcmp(sk2 + 32, sk + 32, 32) == 0;
    sodium_memzero(sk2, sizeof sk2);
    return ok;
}

static const char kPubHeader[] = "teilhabe-research-public/1";
static const char kSecHeader[] = "teilhabe-research-secret/1";
static const char kDevHeader[] = "teilhabe-device/1";

// Bounds for the KDF parameters read from a file: a damaged file must not make us allocate
// gigabytes or spin for minutes.
static const uint64_t kMaxOps = 16;
static const uint64_t kMaxMem = 1ull << 30;

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

static bool public_from_fields(const std::string& path, const KeyFile& kf, ResearchPublicKey& out,
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

bool load_research_public(const std::string& path, ResearchPublicKey& out, std::string* error) {
    sodium_ready();
    std::string text;
    if (!read_small_file(path, text, error)) return false;
    KeyFile kf;
    const char* header = text.rfind(kSecHeader, 0) == 0 ? kSecHeader : kPubHeader;
    if (!parse_key_file(path, text, header, kf, error)) return false;
    return public_from_fields(path, kf, out, error);
}

bool load_research_secret(const std::string& path, const std::string& passphrase,
                          ResearchSecretKey& out, std::string* error) {
    if (!sodium_ready()) {
        if (error) *error = "libsodium failed to initialise";
        return false;
    }
    std::string text;
    if (!read_small_file(path, text, error)) return false;
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
    if (!read_small_file(path, text, error)) return false;
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
