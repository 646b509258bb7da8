// keys.h - the research team's key pairs and the kiosk's device identity.
//
// Research keys (`teilhabe keygen --out DIR`):
//   research.pub  plain text: X25519 public key (answers are sealed to it) and Ed25519
//                 public key (surveys and configuration are signed with it), plus fingerprint.
//   research.key  the two secret keys, encrypted with a key derived from a passphrase
//                 (Argon2id, crypto_pwhash) and crypto_secretbox; the public keys stay
//                 readable in the same file so a wrong passphrase is told apart from a
//                 damaged file.
// Device identity (device.key, mode 0600): an Ed25519 pair the kiosk creates at first start
// and signs its records with. It is not passphrase-protected (a kiosk starts unattended);
// it can sign but cannot open any record.
//
// Fingerprints are 16 characters from an alphabet without look-alikes, in groups of four
// ("K7QX-3MPA-9RTC-WE4H"), so two people can compare them aloud.
#pragma once
#include <cstdint>
#include <string>

namespace tk {

struct ResearchPublicKey {
    uint8_t box_pk[32] = {};   // X25519
    uint8_t sign_pk[32] = {};  // Ed25519
};

struct ResearchSecretKey {
    ResearchPublicKey pub;
    uint8_t box_sk[32] = {};
    uint8_t sign_sk[64] = {};
    ~ResearchSecretKey();      // sodium_memzero of the secrets
    void wipe();
};

struct DeviceIdentity {
    uint8_t pk[32] = {};
    uint8_t sk[64] = {};
    ~DeviceIdentity();
    void wipe();
};

// Passphrase of the demo key made on a kiosk without research.pub. Public on purpose: the
// demo key protects nothing and is only for trying the kiosk out.
inline constexpr const char* kDemoPassphrase = "demo";

std::string fingerprint(const uint8_t* data, size_t len);   // "XXXX-XXXX-XXXX-XXXX"
std::string research_fingerprint(const ResearchPublicKey& k); // over both public keys
std::string device_fingerprint(const uint8_t pk[32]);

// Makes a new research key pair and writes DIR/research.pub and DIR/research.key.
// Refuses (returns false) when either file exists. Uses Argon2id's MODERATE limits
// (256 MiB, about a second): keygen runs once, an attacker with the file runs it billions.
bool generate_research_keys(const std::string& dir, const std::string& passphrase,
                            ResearchPublicKey* out_pub, std::string* error);

// Writes a new key pair's files: the secret file at `secret_path`, and (when not empty) the
// public file at `public_path`. Both must not exist. Files appear atomically.
enum class KdfStrength { Minimum, Interactive, Moderate };
bool write_research_key_files(const std::string& secret_path, const std::string& public_path,
                              const std::string& passphrase, KdfStrength strength,
                              ResearchPublicKey* out_pub, std::string* error);

// Reads a public file (research.pub), or the public part of a secret file.
bool load_research_public(const std::string& path, ResearchPublicKey& out, std::string* error);
// Loads DIR-style device.key at `path`, or creates it (0600) when absent and `create`.
// *created tells which happened. A present but unreadable/damaged file is an error and is
// never replaced.
bool load_or_create_device(const std::string& path, bool create, DeviceIdentity& out,
                           bool* created, std::string* error);

} // namespace tk
