// server_tls.cpp - making the server's self-signed certificate (see server_tls.h).
#include "files.h"
#include "server_tls.h"

#include <filesystem>
#include <memory>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace tk {

void self_signed_paths(const std::string& data_dir, std::string& cert, std::string& key) {
    cert = data_dir + "/tls/server.crt";
    key = data_dir + "/tls/server.key";
}

static std::string bio_text(BIO* bio) {
    char* p = nullptr;
    long n = BIO_get_mem_data(bio, &p);
    return n > 0 ? std::string(p, (size_t)n) : std::string();
}

// PEM texts of a new P-256 key and a certificate for it signed by itself.
static bool make_pair(std::string& cert_pem, std::string& key_pem) {
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pkey(EVP_EC_gen("P-256"), EVP_PKEY_free);
    std::unique_ptr<X509, decltype(&X509_free)> x(X509_new(), X509_free);
    if (!pkey || !x) return false;
    unsigned char serial[16];
    if (RAND_bytes(serial, sizeof serial) != 1) return false;
    serial[0] &= 0x7f; // a positive number
    BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
    bool ok = bn && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x.get())) != nullptr;
    BN_free(bn);
    X509_NAME* name = X509_get_subject_name(x.get());
    ok = ok && X509_set_version(x.get(), 2) == 1 &&
         X509_gmtime_adj(X509_getm_notBefore(x.get()), -3600) != nullptr && // clocks a little behind
         X509_time_adj_ex(X509_getm_notAfter(x.get()), 20 * 365, 0, nullptr) != nullptr &&
         X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char*)"teilhabe-server", -1, -1, 0) == 1 &&
         X509_set_issuer_name(x.get(), name) == 1 && X509_set_pubkey(x.get(), pkey.get()) == 1;
    X509V3_CTX v3;
    X509V3_set_ctx_nodb(&v3);
    X509V3_set_ctx(&v3, x.get(), x.get(), nullptr, nullptr, 0);
    for (const char* ext : {"basicConstraints=critical,CA:FALSE", "keyUsage=critical,digitalSignature",
                            "extendedKeyUsage=serverAuth"}) {
        std::string e = ext, key = e.substr(0, e.find('=')), val = e.substr(e.find('=') + 1);
        X509_EXTENSION* xe = ok ? X509V3_EXT_conf(nullptr, &v3, key.c_str(), val.c_str()) : nullptr;
        ok = xe && X509_add_ext(x.get(), xe, -1) == 1;
        X509_EXTENSION_free(xe);
    }
    ok = ok && X509_sign(x.get(), pkey.get(), EVP_sha256()) > 0;
    if (!ok) return false;
    std::unique_ptr<BIO, decltype(&BIO_free)> kb(BIO_new(BIO_s_mem()), BIO_free), cb(BIO_new(BIO_s_mem()), BIO_free);
    if (!kb || !cb || PEM_write_bio_PrivateKey(kb.get(), pkey.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1 ||
        PEM_write_bio_X509(cb.get(), x.get()) != 1)
        return false;
    key_pem = bio_text(kb.get());
    cert_pem = bio_text(cb.get());
    return !key_pem.empty() && !cert_pem.empty();
}

bool ensure_self_signed(const std::string& cert, const std::string& key, bool* created, std::string* error) {
    std::error_code ec;
    bool have_cert = std::filesystem::exists(cert, ec), have_key = std::filesystem::exists(key, ec);
    if (created) *created = false;
    if (have_cert && have_key) return true;
    if (have_cert != have_key) {
        if (error) *error = (have_key ? cert : key) + " is missing while " + (have_key ? key : cert) +
                            " is there: restore it from the backup, or remove both to make a new pair (every kiosk "
                            "must then be enrolled again with the new pin)";
        return false;
    }
    std::filesystem::path key_dir = std::filesystem::path(key).parent_path();
    if (!key_dir.empty() && !std::filesystem::exists(key_dir, ec)) {
        std::filesystem::create_directories(key_dir, ec);
        std::filesystem::permissions(key_dir, std::filesystem::perms(0700), ec);
    }
    std::string cert_pem, key_pem;
    if (!make_pair(cert_pem, key_pem)) {
        if (error) *error = "cannot make a TLS key and certificate (OpenSSL)";
        return false;
    }
    // The key first: a certificate without its key would be the "only one" case above.
    if (!write_file_atomic(key, key_pem, 0600, false, error) || !write_file_atomic(cert, cert_pem, 0644, false, error))
        return false;
    if (created) *created = true;
    return true;
}

} // namespace tk
