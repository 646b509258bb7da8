// tls_trust.cpp - pins, saved trust settings, the https client, network errors (see tls_trust.h).
#include "files.h"
#include "tls_trust.h"

#include <filesystem>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sodium.h>

#include "hex.h"

namespace tk {

static const char kCaFile[] = "/server-ca.pem";
static const char kPinFile[] = "/server-pin";

std::string spki_pin(X509* cert) {
    unsigned char* der = nullptr;
    int n = cert ? i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &der) : 0;
    if (n <= 0) return "";
    unsigned char h[SHA256_DIGEST_LENGTH];
    SHA256(der, (size_t)n, h);
    OPENSSL_free(der);
    unsigned char b64[48];
    int len = EVP_EncodeBlock(b64, h, sizeof h);
    return "sha256/" + std::string((const char*)b64, (size_t)len);
}

bool parse_pin(const std::string& text, std::array<uint8_t, 32>& out) {
    if (text.size() == 64) return from_hex(text, out.data(), out.size());
    std::string b;
    // "sha256/" then 44 base64 characters; curl's spelling has "sha256//". The length tells
    // them apart: base64 may itself begin with '/', so the prefix alone does not.
    if (text.size() == 7 + 44 && text.rfind("sha256/", 0) == 0) b = text.substr(7);
    else if (text.size() == 8 + 44 && text.rfind("sha256//", 0) == 0) b = text.substr(8); // curl's spelling
    else return false;
    // 32 bytes are 44 base64 characters, the last one padding.
    if (b.size() != 44 || b[43] != '=' || b[42] == '=') return false;
    unsigned char buf[36];
    if (EVP_DecodeBlock(buf, (const unsigned char*)b.data(), (int)b.size()) != 33) return false;
    std::copy(buf, buf + 32, out.begin());
    return true;
}

bool cert_file_pin(const std::string& pem_path, std::string& pin, std::string* error) {
    std::string text;
    if (!read_file_at_most(pem_path, kKeyFileMax, text, error)) return false;
    BIO* bio = BIO_new_mem_buf(text.data(), (int)text.size());
    X509* cert = bio ? PEM_read_bio_X509(bio, nullptr, nullptr, nullptr) : nullptr;
    BIO_free(bio);
    pin = spki_pin(cert);
    X509_free(cert);
    if (pin.empty() && error) *error = pem_path + ": no PEM certificate in it";
    return !pin.empty();
}

static std::string first_line(const std::string& s) {
    size_t a = s.find_first_not_of(" \t\r\n");
    if (a == std::string::npos) return "";
    size_t b = s.find_first_of(" \t\r\n", a);
    return s.substr(a, b == std::string::npos ? std::string::npos : b - a);
}

TlsTrust load_saved_trust(const std::string& dir) {
    TlsTrust t;
    std::error_code ec;
    if (std::filesystem::exists(dir + kCaFile, ec)) t.ca_file = dir + kCaFile;
    std::string text;
    if (read_file_at_most(dir + kPinFile, kKeyFileMax, text, nullptr)) t.pin = first_line(text);
    return t;
}

bool save_trust(const std::string& dir, const TlsTrust& trust, std::string* error) {
    std::string ca = dir + kCaFile, pin = dir + kPinFile;
    std::error_code ec;
    if (!trust.pin.empty()) {
        if (!write_file_atomic(pin, trust.pin + "\n", 0644, true, error)) return false;
        std::filesystem::remove(ca, ec);
        return true;
    }
    std::filesystem::remove(pin, ec);
    if (trust.ca_file.empty()) {
        std::filesystem::remove(ca, ec);
        return true;
    }
    if (std::filesystem::equivalent(trust.ca_file, ca, ec)) return true;
    std::string bytes;
    return read_file_at_most(trust.ca_file, kKeyFileMax, bytes, error) && write_file_atomic(ca, bytes, 0644, true, error);
}

TlsTrust trust_for(const std::string& dir, const std::string& ca_option, const std::string& pin_option) {
    if (!ca_option.empty() || !pin_option.empty()) return TlsTrust{ca_option, pin_option};
    return load_saved_trust(dir);
}

// Replaces OpenSSL's chain check: the leaf's key must be the pinned one. The handshake stops
// here on a mismatch, so nothing of the request is sent.
static int check_pin(X509_STORE_CTX* ctx, void* arg) {
    PinCheck* p = (PinCheck*)arg;
    std::string pin = spki_pin(X509_STORE_CTX_get0_cert(ctx));
    std::array<uint8_t, 32> got{};
    if (parse_pin(pin, got) && sodium_memcmp(got.data(), p->want.data(), got.size()) == 0) {
        X509_STORE_CTX_set_error(ctx, X509_V_OK);
        return 1;
    }
    p->failed = true;
    p->seen = pin;
    X509_STORE_CTX_set_error(ctx, X509_V_ERR_APPLICATION_VERIFICATION);
    return 0;
}

HttpClient make_http_client(const std::string& url, const TlsTrust& trust, int timeout_s, NetError* error) {
    auto fail = [&](NetFailure k, const std::string& detail) {
        if (error) *error = NetError{k, url, detail};
        return HttpClient{};
    };
    bool https = url.rfind("https://", 0) == 0;
    if (!https && url.rfind("http://", 0) != 0) return fail(NetFailure::bad_address, "");
    std::array<uint8_t, 32> want{};
    if (https && !trust.pin.empty() && !parse_pin(trust.pin, want)) return fail(NetFailure::bad_pin, trust.pin);
    HttpClient c;
    c.cli = std::make_unique<httplib::Client>(url);
    if (!c.cli->is_valid()) return fail(NetFailure::bad_address, "");
    c.cli->set_connection_timeout(5, 0);
    c.cli->set_read_timeout(timeout_s, 0);
    c.cli->set_write_timeout(timeout_s, 0);
    c.cli->set_keep_alive(true);
    if (!https) return c;
    if (!trust.pin.empty()) {
        // httplib's own check would also want the host name in the certificate, which a
        // server's self-made certificate cannot know; the pin is the whole check.
        c.pin = std::make_unique<PinCheck>();
        c.pin->want = want;
        c.cli->enable_server_certificate_verification(false);
        SSL_CTX* ctx = c.cli->ssl_context();
        if (!ctx) return fail(NetFailure::other, "");
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
        SSL_CTX_set_cert_verify_callback(ctx, check_pin, c.pin.get());
        return c;
    }
    if (!trust.ca_file.empty()) c.cli->set_ca_cert_path(trust.ca_file.c_str());
    c.cli->enable_server_certificate_verification(true);
    return c;
}

NetError net_error_of(const HttpClient& c, const std::string& url, httplib::Error e) {
    NetError n;
    n.url = url;
    if (c.pin && c.pin->failed) {
        n.kind = NetFailure::pin_mismatch;
        n.detail = c.pin->seen;
        return n;
    }
    switch (e) {
    case httplib::Error::Connection:
    case httplib::Error::ConnectionTimeout: n.kind = NetFailure::unreachable; break;
    case httplib::Error::Read:
    case httplib::Error::Write: n.kind = NetFailure::broken; break;
    case httplib::Error::SSLConnection: n.kind = NetFailure::no_tls; break;
    case httplib::Error::SSLLoadingCerts: n.kind = NetFailure::ca_unreadable; break;
    case httplib::Error::SSLServerVerification: {
        long v = c.cli ? c.cli->get_openssl_verify_result() : X509_V_OK;
        // A chain that verifies but still fails: the host name is not in the certificate.
        n.kind = v == X509_V_OK                                                      ? NetFailure::cert_name
                 : v == X509_V_ERR_CERT_HAS_EXPIRED || v == X509_V_ERR_CERT_NOT_YET_VALID ? NetFailure::cert_expired
                                                                                    : NetFailure::cert_unknown;
        if (v != X509_V_OK) n.detail = X509_verify_cert_error_string(v);
        break;
    }
    default: n.kind = NetFailure::other; break;
    }
    return n;
}

bool retry_can_help(NetFailure k) {
    return k == NetFailure::unreachable || k == NetFailure::broken || k == NetFailure::other;
}

std::string net_error_text(const NetError& e, const TlsTrust& trust) {
    const std::string& u = e.url;
    std::string why = e.detail.empty() ? "" : " (" + e.detail + ")";
    switch (e.kind) {
    case NetFailure::none: return "";
    case NetFailure::bad_address:
        return "server address must start with http:// or https:// and name a host, got '" + u + "'";
    case NetFailure::bad_pin:
        return "'" + e.detail + "' is not a server pin: it is sha256/ and 44 base64 characters, as "
               "`teilhabe-server pin` prints it (or 64 hex digits)";
    case NetFailure::unreachable:
        return "cannot reach " + u + ": nothing answers there. Check the address, the network and that the server "
               "runs; nothing is lost, try again once it is reachable";
    case NetFailure::broken:
        return "the connection to " + u + " broke off or the server did not answer in time; nothing is lost: try again" +
               (u.rfind("http://", 0) == 0 ? " (if the server speaks TLS, its address starts with https://)" : "");
    case NetFailure::no_tls:
        return "no TLS connection with " + u + ": the server may speak plain HTTP there (then the address starts "
               "with http://) or only an outdated TLS version; check the address and port";
    case NetFailure::ca_unreadable:
        return "the CA file '" + trust.ca_file + "' cannot be used: give the CA certificate in PEM form (--ca FILE)";
    case NetFailure::cert_unknown:
        if (!trust.ca_file.empty())
            return "the server's certificate is unknown: it is not issued by the CA in '" + trust.ca_file + "'" + why +
                   ". Ask the server's administrator for the CA that issued it and enrol again with --ca FILE; "
                   "trying again as it is will not help";
        return "the server's certificate is unknown: no CA this computer trusts issued it" + why +
               ". Give the CA certificate with --ca FILE, or pin the server's key with --pin (from "
               "`teilhabe-server pin`); trying again as it is will not help";
    case NetFailure::cert_expired:
        return "the server's certificate is not valid now" + why +
               ": check this computer's date and time; if they are right, the server's administrator must renew it";
    case NetFailure::cert_name:
        return "the server's certificate is not made out for the host in " + u +
               ": use the host name the certificate names (ask the server's administrator) or pin the server's key "
               "with --pin";
    case NetFailure::pin_mismatch:
        return "the server at " + u + " shows the key " + e.detail + ", but this device trusts only " + trust.pin +
               ". Nothing was sent. It is another server, or its certificate was made anew: compare with "
               "`teilhabe-server pin` on the server, then enrol again with the right --pin";
    case NetFailure::other: break;
    }
    return "the request to " + u + " failed (network error); nothing is lost: try again";
}

} // namespace tk
