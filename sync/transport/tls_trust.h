// tls_trust.h - whom `teilhabe` and the kiosk trust over https, and words for what went wrong.
//
//   TlsTrust               a CA file (chain and host name checked) or a pin (SHA-256 of the
//                          server's public key, SPKI); with a pin only the key counts, not
//                          the chain, the host name or the dates
//   spki_pin, parse_pin    the pin text "sha256/BASE64" (also "sha256//BASE64" or 64 hex digits)
//   cert_file_pin          the pin of a PEM certificate file (`teilhabe-server pin`)
//   load_saved_trust, save_trust
//                          DIR/server-ca.pem and DIR/server-pin, written at enrolment
//   HttpClient, make_http_client
//                          an httplib client set up for the address and the trust
//   NetFailure, NetError, net_error_of, net_error_text
//                          what failed on the way to the server, and the English sentence
//                          saying what to do (the kiosk has its own in assets/ui-texts.json)
//
// Two ways a municipality sets up TLS (packaging/DEPLOY.md): a certificate from its own CA,
// which kiosks trust through server-ca.pem, or a certificate the server makes itself at first
// start (`teilhabe-server serve --tls-self-signed`), whose key kiosks pin. A pin is checked in
// the handshake, before a byte of the request (the pairing code!) is sent.
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include <httplib.h>

typedef struct x509_st X509;

namespace tk {

struct TlsTrust {
    std::string ca_file;   // PEM: the CA (or the server's own certificate) to trust; "" = system CAs
    std::string pin;       // "sha256/BASE64": the server key to trust instead of any chain
};

// The pin of a certificate's public key: "sha256/" + base64 of SHA-256 over its DER SPKI
// (the same value as curl's --pinnedpubkey and HPKP).
std::string spki_pin(X509* cert);
// The 32 bytes of a pin text; false when it is none.
bool parse_pin(const std::string& text, std::array<uint8_t, 32>& out);
// The pin of the first certificate in a PEM file.
bool cert_file_pin(const std::string& pem_path, std::string& pin, std::string* error);

// DIR/server-ca.pem and DIR/server-pin, as saved at enrolment (missing files = not set).
// Read again before every connection, so a CA put there later counts at once.
TlsTrust load_saved_trust(const std::string& dir);
// After a successful enrolment: keeps exactly what was used. A CA file is copied to
// DIR/server-ca.pem, a pin written to DIR/server-pin; the other one is removed.
bool save_trust(const std::string& dir, const TlsTrust& trust, std::string* error);
// Options of `teilhabe` over the saved settings: a given --ca or --pin replaces both saved ones.
TlsTrust trust_for(const std::string& dir, const std::string& ca_option, const std::string& pin_option);

enum class NetFailure {
    none,
    bad_address,        // not http:// or https://, or not usable
    bad_pin,            // the pin setting is not a pin
    unreachable,        // no connection (nothing listens, wrong host, firewall)
    broken,             // the connection broke off, or no answer in time
    no_tls,             // TLS handshake failed (plain HTTP server, old TLS, ...)
    ca_unreadable,      // the CA file cannot be loaded
    cert_unknown,       // certificate not issued by a trusted CA
    cert_expired,       // expired or not yet valid
    cert_name,          // certificate is for another host name
    pin_mismatch,       // the server's key is not the pinned one
    other,
};

struct NetError {
    NetFailure kind = NetFailure::none;
    std::string url;
    std::string detail;    // pin_mismatch: the pin the server showed; cert_*: OpenSSL's reason
};

// One client and the pin check its handshakes report to (it must outlive the client).
struct PinCheck {
    std::array<uint8_t, 32> want{};
    bool failed = false;
    std::string seen;      // the pin of the last refused certificate
};
struct HttpClient {
    std::unique_ptr<PinCheck> pin;
    std::unique_ptr<httplib::Client> cli;
};

// A client for `url` trusting `trust`, with the time-outs given; nullptr and *error when
// the address or the pin cannot be used.
HttpClient make_http_client(const std::string& url, const TlsTrust& trust, int timeout_s, NetError* error);
// What a failed request's httplib error means, with the client's TLS details.
NetError net_error_of(const HttpClient& c, const std::string& url, httplib::Error e);
// False for the failures that stay as they are until someone changes a setting (certificate,
// pin, address): retrying those, or telling staff to, cannot help.
bool retry_can_help(NetFailure k);
// English: what happened, and what to do about it.
std::string net_error_text(const NetError& e, const TlsTrust& trust);

} // namespace tk
