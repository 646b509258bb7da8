// Tests of the research key files, the device identity and fingerprints.
#include <doctest/doctest.h>
#include <cstring>
#include <sodium.h>
#include <sys/stat.h>

#include "keys.h"
#include "record.h"
#include "sync_testutil.h"
#include "hex.h"
#include "research_key.h"

using namespace tk;
using tk::test::TempDir;

static unsigned file_mode(const std::string& p) {
    struct stat st{};
    stat(p.c_str(), &st);
    return st.st_mode & 0777;
}

static bool fingerprint_shape_ok(const std::string& fp) {
    if (fp.size() != 19) return false;
    for (size_t i = 0; i < fp.size(); i++) {
        if (i % 5 == 4) {
            if (fp[i] != '-') return false;
        } else if (std::string("0123456789ABCDEFGHJKMNPQRSTVWXYZ").find(fp[i]) == std::string::npos) {
            return false;
        }
    }
    return true;
}

TEST_CASE("keys: keygen writes a plain public file and a passphrase-encrypted secret file") {
    TempDir d;
    ResearchPublicKey pub;
    std::string err;
    REQUIRE_MESSAGE(generate_research_keys(d.path, "correct horse battery", &pub, &err), err);
    CHECK(file_mode(d / "research.key") == 0600);
    std::string pub_text = tk::test::slurp(d / "research.pub");
    std::string sec_text = tk::test::slurp(d / "research.key");
    std::string fp = research_fingerprint(pub);
    CHECK(fingerprint_shape_ok(fp));
    CHECK(pub_text.find(fp) != std::string::npos);
    CHECK(pub_text.find(to_hex(pub.box_pk, 32)) != std::string::npos);

    ResearchPublicKey loaded;
    REQUIRE_MESSAGE(load_research_public(d / "research.pub", loaded, &err), err);
    CHECK(std::memcmp(loaded.box_pk, pub.box_pk, 32) == 0);
    CHECK(std::memcmp(loaded.sign_pk, pub.sign_pk, 32) == 0);

    ResearchSecretKey sk;
    REQUIRE_MESSAGE(load_research_secret(d / "research.key", "correct horse battery", sk, &err), err);
    // The secret really is the pair of the public key: a sealed box opens, a signature verifies.
    const uint8_t msg[] = "Bedarf an Computerkursen";
    uint8_t sealed[sizeof msg + crypto_box_SEALBYTES], opened[sizeof msg];
    crypto_box_seal(sealed, msg, sizeof msg, pub.box_pk);
    CHECK(crypto_box_seal_open(opened, sealed, sizeof sealed, sk.pub.box_pk, sk.box_sk) == 0);
    uint8_t sig[64];
    crypto_sign_detached(sig, nullptr, msg, sizeof msg, sk.sign_sk);
    CHECK(crypto_sign_verify_detached(sig, msg, sizeof msg, pub.sign_pk) == 0);
    // No secret byte appears in the file in the clear.
    CHECK(sec_text.find(to_hex(sk.box_sk, 32)) == std::string::npos);
    CHECK(sec_text.find(to_hex(sk.sign_sk, 32)) == std::string::npos);
    sk.wipe();
    uint8_t zero[64] = {};
    CHECK(std::memcmp(sk.sign_sk, zero, 64) == 0);
}

TEST_CASE("keys: keygen refuses short passphrases and never overwrites") {
    TempDir d;
    std::string err;
    CHECK_FALSE(generate_research_keys(d.path, "short", nullptr, &err));
    CHECK(err.find("8 characters") != std::string::npos);
    REQUIRE(write_research_key_files(d / "research.key", d / "research.pub", "first passphrase", KdfStrength::Minimum,
                                     nullptr, &err));
    std::string before = tk::test::slurp(d / "research.key");
    CHECK_FALSE(write_research_key_files(d / "research.key", d / "research.pub", "second passphrase",
                                         KdfStrength::Minimum, nullptr, &err));
    CHECK(err.find("not overwritten") != std::string::npos);
    CHECK(tk::test::slurp(d / "research.key") == before);
}

TEST_CASE("keys: a wrong passphrase, a damaged file and a missing file give different clear errors") {
    TempDir d;
    std::string err;
    REQUIRE(write_research_key_files(d / "research.key", d / "research.pub", "the right one", KdfStrength::Minimum,
                                     nullptr, &err));
    ResearchSecretKey sk;
    CHECK_FALSE(load_research_secret(d / "research.key", "the wrong one", sk, &err));
    CHECK(err.find("wrong passphrase") != std::string::npos);

    CHECK_FALSE(load_research_secret(d / "nope.key", "x", sk, &err));
    CHECK(err.find("nope.key") != std::string::npos);
    CHECK(err.find("cannot open") != std::string::npos);

    CHECK_FALSE(load_research_secret(d / "research.pub", "the right one", sk, &err));
    CHECK(err.find("PUBLIC") != std::string::npos);

    std::string text = tk::test::slurp(d / "research.key");
    // A damaged salt line is named with its line number.
    std::string damaged = text;
    size_t salt = damaged.find("salt: ");
    damaged[salt + 7] = 'z';
    tk::test::spit(d / "damaged.key", damaged);
    CHECK_FALSE(load_research_secret(d / "damaged.key", "the right one", sk, &err));
    CHECK(err.find("damaged.key:") != std::string::npos);
    CHECK(err.find("salt") != std::string::npos);
    // A KDF limit out of bounds must not make us allocate gigabytes.
    std::string greedy = text;
    size_t mem = greedy.find("memlimit: ");
    greedy.replace(mem, greedy.find('\n', mem) - mem, "memlimit: 99999999999999");
    tk::test::spit(d / "greedy.key", greedy);
    CHECK_FALSE(load_research_secret(d / "greedy.key", "the right one", sk, &err));
    CHECK(err.find("memlimit") != std::string::npos);
    // Truncated, empty and foreign files.
    tk::test::spit(d / "trunc.key", text.substr(0, text.size() / 2));
    CHECK_FALSE(load_research_secret(d / "trunc.key", "the right one", sk, &err));
    CHECK(err.find("trunc.key") != std::string::npos);
    tk::test::spit(d / "empty.key", "");
    CHECK_FALSE(load_research_secret(d / "empty.key", "the right one", sk, &err));
    CHECK(err.find("empty") != std::string::npos);
    tk::test::spit(d / "foreign.key", "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n");
    CHECK_FALSE(load_research_secret(d / "foreign.key", "the right one", sk, &err));
    CHECK(err.find("not a teilhabe-research-secret/1 file") != std::string::npos);
    // An edited public key no longer matches its fingerprint.
    std::string pub = tk::test::slurp(d / "research.pub");
    size_t box = pub.find("box: ") + 5;
    pub[box] = pub[box] == 'a' ? 'b' : 'a';
    tk::test::spit(d / "edited.pub", pub);
    ResearchPublicKey rp;
    CHECK_FALSE(load_research_public(d / "edited.pub", rp, &err));
    CHECK(err.find("fingerprint does not match") != std::string::npos);
    // And the right passphrase still works on the untouched file.
    CHECK(load_research_secret(d / "research.key", "the right one", sk, &err));
}

TEST_CASE("keys: device identity is created once with mode 0600 and a damaged one is never replaced") {
    TempDir d;
    DeviceIdentity a, b;
    bool created = false;
    std::string err;
    REQUIRE_MESSAGE(load_or_create_device(d / "device.key", true, a, &created, &err), err);
    CHECK(created);
    CHECK(file_mode(d / "device.key") == 0600);
    REQUIRE(load_or_create_device(d / "device.key", true, b, &created, &err));
    CHECK_FALSE(created);
    CHECK(std::memcmp(a.pk, b.pk, 32) == 0);
    CHECK(std::memcmp(a.sk, b.sk, 64) == 0);
    CHECK(fingerprint_shape_ok(device_fingerprint(a.pk)));

    std::string text = tk::test::slurp(d / "device.key");
    std::string bad = text;
    size_t sec = bad.find("secret: ") + 8;
    bad[sec] = bad[sec] == '0' ? '1' : '0';
    tk::test::spit(d / "device.key", bad);
    DeviceIdentity c;
    CHECK_FALSE(load_or_create_device(d / "device.key", true, c, &created, &err));
    CHECK(err.find("device.key") != std::string::npos);
    CHECK(tk::test::slurp(d / "device.key") == bad); // left as it was, for a human to look at

    CHECK_FALSE(load_or_create_device(d / "missing.key", false, c, &created, &err));
    CHECK(err.find("missing") != std::string::npos);
}

TEST_CASE("keys: fingerprints differ for different keys and are stable") {
    uint8_t k1[32] = {1}, k2[32] = {2};
    CHECK(device_fingerprint(k1) == device_fingerprint(k1));
    CHECK(device_fingerprint(k1) != device_fingerprint(k2));
    CHECK(fingerprint_shape_ok(device_fingerprint(k2)));
}
