// sync_tls_test.cpp - TLS a municipality can set up: the server's self-made certificate, pins
// (computation, spellings, comparison), the saved trust settings, and what a client is told
// when the certificate or key is not the trusted one - over real TLS on 127.0.0.1.
#include <doctest/doctest.h>
#include <filesystem>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sodium.h>
#include <sys/stat.h>

#include "hex.h"
#include "server_tls.h"
#include "sync_server_fixture.h"
#include "tls_trust.h"

using namespace tk;
using namespace tk::servertest;

namespace {

X509* read_cert(const std::string& path) {
    std::string pem = test::slurp(path);
    BIO* bio = BIO_new_mem_buf(pem.data(), (int)pem.size());
    X509* x = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    return x;
}

// The pin the long way round, as `openssl pkey -pubin -outform der | sha256 | base64` does it:
// the public key as an EVP_PKEY written out again, hashed and encoded by libsodium.
std::string pin_by_hand(X509* x) {
    EVP_PKEY* k = X509_get_pubkey(x);
    unsigned char* der = nullptr;
    int n = i2d_PUBKEY(k, &der);
    EVP_PKEY_free(k);
    REQUIRE(n > 0);
    unsigned char h[32];
    crypto_hash_sha256(h, der, (unsigned long long)n);
    OPENSSL_free(der);
    char b64[64];
    sodium_bin2base64(b64, sizeof b64, h, 32, sodium_base64_VARIANT_ORIGINAL);
    return std::string("sha256/") + b64;
}

// The certificate signed again, for the same key, valid until an hour ago.
void expire(const std::string& cert, const std::string& key) {
    X509* x = read_cert(cert);
    std::string pem = test::slurp(key);
    BIO* bio = BIO_new_mem_buf(pem.data(), (int)pem.size());
    EVP_PKEY* k = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    REQUIRE((x && k));
    REQUIRE(X509_gmtime_adj(X509_getm_notBefore(x), -7200));
    REQUIRE(X509_gmtime_adj(X509_getm_notAfter(x), -3600));
    REQUIRE(X509_sign(x, k, EVP_sha256()) > 0);
    BIO* out = BIO_new(BIO_s_mem());
    REQUIRE(PEM_write_bio_X509(out, x) == 1);
    char* p = nullptr;
    long n = BIO_get_mem_data(out, &p);
    test::spit(cert, std::string(p, (size_t)n));
    BIO_free(out);
    EVP_PKEY_free(k);
    X509_free(x);
}

// A certificate made by ensure_self_signed (or that one expired), and its pin.
struct TlsFiles {
    test::TempDir tls_dir;
    std::string cert, key, pin;
    explicit TlsFiles(bool expired = false) {
        bool made = false;
        std::string err;
        self_signed_paths(tls_dir.path, cert, key);
        REQUIRE_MESSAGE(ensure_self_signed(cert, key, &made, &err), err);
        if (expired) expire(cert, key);
        REQUIRE_MESSAGE(cert_file_pin(cert, pin, &err), err);
    }
    SSL_CTX* context() const {
        std::string err;
        SSL_CTX* ctx = make_tls_context(cert, key, &err);
        REQUIRE_MESSAGE(ctx, err);
        return ctx;
    }
};

// LiveServer (sync_server_fixture.h) over TLS with that certificate.
struct TlsServer : TlsFiles, LiveServer {
    explicit TlsServer(bool expired = false) : TlsFiles(expired), LiveServer({}, context()) {}
};

// A pin of the same form for another key.
std::string other_pin() {
    uint8_t h[32];
    randombytes_buf(h, sizeof h);
    char b64[64];
    sodium_bin2base64(b64, sizeof b64, h, 32, sodium_base64_VARIANT_ORIGINAL);
    return std::string("sha256/") + b64;
}

} // namespace

TEST_CASE("tls: the server's own certificate is made once, with a private key, and pinned by its SPKI") {
    REQUIRE(sodium_init() >= 0);
    test::TempDir d;
    bool made = false;
    std::string err, cert, key;
    self_signed_paths(d.path, cert, key);
    REQUIRE_MESSAGE(ensure_self_signed(cert, key, &made, &err), err);
    CHECK(made);
    struct stat dst {};
    REQUIRE(::stat((d.path + "/tls").c_str(), &dst) == 0);
    CHECK((dst.st_mode & 0777) == 0700);
    struct stat st {};
    REQUIRE(::stat(key.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);

    X509* x = read_cert(cert);
    REQUIRE(x);
    std::string pin = spki_pin(x);
    CHECK(pin == pin_by_hand(x));
    CHECK(pin.size() == 7 + 44);
    EVP_PKEY* k = X509_get0_pubkey(x);
    CHECK(EVP_PKEY_is_a(k, "EC"));
    X509_free(x);
    std::string from_file;
    REQUIRE(cert_file_pin(cert, from_file, &err));
    CHECK(from_file == pin);

    // A second start keeps the pair: enrolled kiosks keep working.
    REQUIRE(ensure_self_signed(cert, key, &made, &err));
    CHECK(!made);
    REQUIRE(cert_file_pin(cert, from_file, &err));
    CHECK(from_file == pin);

    // A key without its certificate is never replaced silently.
    std::filesystem::remove(cert);
    CHECK(!ensure_self_signed(cert, key, &made, &err));
    CHECK(err.find("server.crt is missing") != std::string::npos);
    CHECK(std::filesystem::exists(key));

    test::spit(d / "junk.pem", "not a certificate");
    CHECK(!cert_file_pin(d / "junk.pem", from_file, &err));
    CHECK(err.find("no PEM certificate") != std::string::npos);
}

TEST_CASE("tls: pins in each spelling mean the same key; anything else is no pin") {
    REQUIRE(sodium_init() >= 0);
    uint8_t h[32];
    randombytes_buf(h, sizeof h);
    char b64[64];
    sodium_bin2base64(b64, sizeof b64, h, 32, sodium_base64_VARIANT_ORIGINAL);
    std::array<uint8_t, 32> a{}, b{}, c{};
    REQUIRE(parse_pin(std::string("sha256/") + b64, a));
    REQUIRE(parse_pin(std::string("sha256//") + b64, b)); // curl's --pinnedpubkey
    REQUIRE(parse_pin(to_hex(h, 32), c));
    CHECK(std::memcmp(a.data(), h, 32) == 0);
    CHECK(a == b);
    CHECK(a == c);
    std::string good = std::string("sha256/") + b64;
    for (const std::string& bad : {std::string(b64), good.substr(0, good.size() - 1), good + "A", "sha1/" + std::string(b64),
                                   "sha256/" + std::string(43, '!') + "=", to_hex(h, 31), std::string()})
        CHECK_MESSAGE(!parse_pin(bad, a), bad);
}

TEST_CASE("tls: a pin whose base64 begins with '/' is a pin, in both spellings") {
    // One key in 64 has a SHA-256 whose first six bits are all ones; its base64 begins with
    // '/', so "sha256//..." is the plain spelling of that key, not curl's of another.
    uint8_t h[32] = {0xFC, 0x01, 0x02};
    char b64[64];
    sodium_bin2base64(b64, sizeof b64, h, 32, sodium_base64_VARIANT_ORIGINAL);
    REQUIRE(b64[0] == '/');
    std::array<uint8_t, 32> a{}, b{};
    REQUIRE(parse_pin(std::string("sha256/") + b64, a));
    REQUIRE(parse_pin(std::string("sha256//") + b64, b));
    CHECK(std::memcmp(a.data(), h, 32) == 0);
    CHECK(a == b);
    CHECK(!parse_pin(std::string("sha256///") + b64, a));
}

TEST_CASE("tls: enrolment saves what it trusted; later connections read it again") {
    test::TempDir d;
    test::spit(d / "ca.pem", "-----BEGIN CERTIFICATE-----\n");
    std::string err;
    CHECK(load_saved_trust(d.path).ca_file.empty());
    REQUIRE(save_trust(d.path, TlsTrust{d / "ca.pem", ""}, &err));
    TlsTrust t = load_saved_trust(d.path);
    CHECK(t.ca_file == d / "server-ca.pem");
    CHECK(test::slurp(t.ca_file) == test::slurp(d / "ca.pem"));
    CHECK(t.pin.empty());
    // Saving the saved file again is no copy onto itself.
    REQUIRE(save_trust(d.path, t, &err));
    CHECK(test::slurp(d / "server-ca.pem") == test::slurp(d / "ca.pem"));
    // A pin replaces the CA, and the other way round.
    std::string pin = other_pin();
    REQUIRE(save_trust(d.path, TlsTrust{"", pin}, &err));
    t = load_saved_trust(d.path);
    CHECK(t.pin == pin);
    CHECK(t.ca_file.empty());
    CHECK(!std::filesystem::exists(d / "server-ca.pem"));
    // Options given on the command line replace both saved settings for that run.
    t = trust_for(d.path, d / "ca.pem", "");
    CHECK(t.ca_file == d / "ca.pem");
    CHECK(t.pin.empty());
    CHECK(trust_for(d.path, "", "").pin == pin);
    REQUIRE(save_trust(d.path, TlsTrust{}, &err));
    CHECK(!std::filesystem::exists(d / "server-pin"));
}

TEST_CASE("tls: a pinned self-made certificate enrols and syncs; a wrong pin or no trust is refused with what to do") {
    REQUIRE(sodium_init() >= 0);
    TlsServer s;
    test::TempDir k;
    auto v = drill_vault(k.path, 30, "kiosk", "Bibliothek");
    SyncOptions opt;
    opt.retries = 0;
    std::string err;
    EnrolResult er;
    const NetError& net = er.net;

    // No CA, no pin: the system's CAs do not know the certificate.
    CHECK(!enrol_device(*v, s.url(), s.store->new_pairing_code("", 1, nullptr), opt, &er, &err));
    CHECK(net.kind == NetFailure::cert_unknown);
    CHECK(err.find("certificate is unknown") != std::string::npos);
    CHECK(err.find("--pin") != std::string::npos);
    CHECK(err.find("will not help") != std::string::npos);
    CHECK(err.find("SSL") == std::string::npos); // no names of httplib's error enum

    // The certificate itself as the CA: the chain is fine, but it names no host.
    opt.tls = TlsTrust{s.cert, ""};
    CHECK(!enrol_device(*v, s.url(), s.store->new_pairing_code("", 1, nullptr), opt, &er, &err));
    CHECK(net.kind == NetFailure::cert_name);
    CHECK(err.find("not made out for the host") != std::string::npos);

    // A wrong pin: refused in the handshake, so the pairing code never reaches that server.
    std::string wrong = other_pin();
    opt.tls = TlsTrust{"", wrong};
    std::string code = s.store->new_pairing_code("", 1, nullptr);
    CHECK(!enrol_device(*v, s.url(), code, opt, &er, &err));
    CHECK(net.kind == NetFailure::pin_mismatch);
    CHECK(net.detail == s.pin);
    CHECK(err.find("shows the key " + s.pin) != std::string::npos);
    CHECK(err.find("trusts only " + wrong) != std::string::npos);
    CHECK(err.find("Nothing was sent") != std::string::npos);
    CHECK(err.find("try again") == std::string::npos);
    CHECK(!std::filesystem::exists(k / "server.pub"));

    // The right pin: the same code still works (it was not spent), and the pin is saved.
    opt.tls = TlsTrust{"", s.pin};
    REQUIRE_MESSAGE(enrol_device(*v, s.url(), code, opt, &er, &err), err);
    CHECK(load_saved_trust(k.path).pin == s.pin);
    SyncOptions later;
    later.tls = load_saved_trust(k.path);
    SyncResult r = sync_once(*v, s.url(), nullptr, later);
    REQUIRE_MESSAGE(r.ok, r.error);
    CHECK(s.store->record_count() == 30);

    // The server's certificate made anew (or another server): the sync is refused, nothing marked.
    append_drill(*v, 5, "kiosk", "Bibliothek", "late");
    later.tls.pin = wrong;
    later.retries = 2;
    r = sync_once(*v, s.url(), nullptr, later);
    CHECK(!r.ok);
    CHECK(r.net.kind == NetFailure::pin_mismatch);
    CHECK(r.error.find("run sync again") == std::string::npos);
    CHECK(v->status().unsynced == 5);
    CHECK(!retry_can_help(r.net.kind));

    // Pin text that is no pin: said before any connection.
    later.tls.pin = "sha256/short";
    r = sync_once(*v, s.url(), nullptr, later);
    CHECK(r.net.kind == NetFailure::bad_pin);
    CHECK(r.error.find("is not a server pin") != std::string::npos);
}

TEST_CASE("tls: a server that does not answer, and plain HTTP spoken to by https") {
    REQUIRE(sodium_init() >= 0);
    LiveServer plain;
    test::TempDir k;
    auto v = drill_vault(k.path, 3, "kiosk", "Bibliothek");
    plain.enrol_kiosk(k.path);
    SyncOptions opt;
    opt.retries = 0;
    std::string https = "https://127.0.0.1:" + std::to_string(plain.port);
    SyncResult r = sync_once(*v, https, nullptr, opt);
    CHECK(r.net.kind == NetFailure::no_tls);
    CHECK(r.error.find("plain HTTP") != std::string::npos);
    r = sync_once(*v, "http://127.0.0.1:1", nullptr, opt);
    CHECK(r.net.kind == NetFailure::unreachable);
    CHECK(r.error.find("cannot reach") != std::string::npos);
    CHECK(retry_can_help(r.net.kind));
    r = sync_once(*v, "ftp://127.0.0.1", nullptr, opt);
    CHECK(r.net.kind == NetFailure::bad_address);
    CHECK(v->status().unsynced == 3);
}

TEST_CASE("tls: an expired certificate is said to be one, with the clock to check") {
    REQUIRE(sodium_init() >= 0);
    TlsServer s(true);
    test::TempDir k;
    auto v = drill_vault(k.path, 1, "kiosk", "Bibliothek");
    SyncOptions opt;
    opt.tls = TlsTrust{s.cert, ""};
    std::string err;
    EnrolResult er;
    const NetError& net = er.net;
    CHECK(!enrol_device(*v, s.url(), s.store->new_pairing_code("", 1, nullptr), opt, &er, &err));
    CHECK(net.kind == NetFailure::cert_expired);
    CHECK(err.find("date and time") != std::string::npos);
    CHECK(!retry_can_help(net.kind));
    // A pin trusts the key, not the dates: the same certificate is accepted pinned.
    opt.tls = TlsTrust{"", s.pin};
    CHECK_MESSAGE(enrol_device(*v, s.url(), s.store->new_pairing_code("", 1, nullptr), opt, &er, &err), err);
}
