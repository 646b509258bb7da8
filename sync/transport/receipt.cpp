// receipt.cpp - the server's signed acknowledgement (format in receipt.h).
#include "receipt.h"

#include <cstring>
#include <sodium.h>

#include "little_endian.h"

namespace tk {

static const char kMagic[4] = {'T', 'K', 'Q', '1'};

static std::vector<uint8_t> signed_part(const Receipt& r) {
    std::vector<uint8_t> b;
    b.reserve(kReceiptSize);
    b.insert(b.end(), kMagic, kMagic + 4);
    put_le(b, 1, 2);
    put_le(b, 0, 2);
    b.insert(b.end(), r.server_pk.begin(), r.server_pk.end());
    b.insert(b.end(), r.device_pk.begin(), r.device_pk.end());
    put_le(b, r.acked_seq, 8);
    b.insert(b.end(), r.acked_hash.begin(), r.acked_hash.end());
    put_le(b, r.time, 8);
    put_le(b, r.stored, 4);
    put_le(b, r.duplicates, 4);
    b.insert(b.end(), r.bundle_id.begin(), r.bundle_id.end());
    return b;
}

std::vector<uint8_t> make_receipt(Receipt r, const uint8_t server_sk[64]) {
    if (sodium_init() < 0) return {};
    crypto_sign_ed25519_sk_to_pk(r.server_pk.data(), server_sk);
    std::vector<uint8_t> b = signed_part(r);
    uint8_t sig[64];
    crypto_sign_detached(sig, nullptr, b.data(), b.size(), server_sk);
    b.insert(b.end(), sig, sig + 64);
    return b;
}

bool read_receipt(const uint8_t* data, size_t len, Receipt& out, std::string* error) {
    out = Receipt{};
    if (len < 4 || std::memcmp(data, kMagic, 4) != 0) {
        if (error) *error = "not a Teilhabe receipt (bad magic)";
        return false;
    }
    if (len != kReceiptSize) {
        if (error) *error = "receipt has " + std::to_string(len) + " bytes, expected " + std::to_string(kReceiptSize);
        return false;
    }
    if (get_le(data + 4, 2) != 1 || get_le(data + 6, 2) != 0) {
        if (error) *error = "receipt version or flags not supported";
        return false;
    }
    size_t p = 8;
    std::memcpy(out.server_pk.data(), data + p, 32), p += 32;
    std::memcpy(out.device_pk.data(), data + p, 32), p += 32;
    out.acked_seq = get_le(data + p, 8), p += 8;
    std::memcpy(out.acked_hash.data(), data + p, 32), p += 32;
    out.time = get_le(data + p, 8), p += 8;
    out.stored = (uint32_t)get_le(data + p, 4), p += 4;
    out.duplicates = (uint32_t)get_le(data + p, 4), p += 4;
    std::memcpy(out.bundle_id.data(), data + p, 16), p += 16;
    std::memcpy(out.signature.data(), data + p, 64);
    if (sodium_init() < 0 || crypto_sign_verify_detached(out.signature.data(), data, p, out.server_pk.data()) != 0) {
        if (error) *error = "receipt signature does not verify (receipt altered or not from a Teilhabe server)";
        return false;
    }
    return true;
}

} // namespace tk
