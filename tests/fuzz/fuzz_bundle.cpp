// fuzz_bundle.cpp - the bundle and receipt readers on arbitrary bytes.
// First byte: 0 = read the rest as it is (almost always stopped by the bundle signature);
// 1 = first put the fuzz device's key into the header and sign the rest with it, so the
// mutations reach the record parser and the chain checks behind the signature.
// Whatever read_bundle accepts must be consistent: limits held, every record of the bundle's
// device, consecutive (or stepping only over records listed as damaged), linked where
// consecutive, never a listed record; its records serialise back to the bytes they came from.
// Seeds: version 1 (`*0`, `*1`, still read) and version 2 (`v2-*`, with head and damaged list).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <sodium.h>
#include <string>
#include <vector>

#include "bundle.h"
#include "device_status.h"
#include "receipt.h"

static void fuzz_key(uint8_t pk[32], uint8_t sk[64]) {
    uint8_t seed[32];
    std::memset(seed, 0x42, sizeof seed); // the corpus is made with the same key
    crypto_sign_seed_keypair(pk, sk, seed);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1 || sodium_init() < 0) return 0;
    std::vector<uint8_t> b(data + 1, data + size);
    if (data[0] == 1 && b.size() >= 40 + 64) {
        uint8_t pk[32], sk[64];
        fuzz_key(pk, sk);
        std::memcpy(b.data() + 8, pk, 32);
        crypto_sign_detached(b.data() + b.size() - 64, nullptr, b.data(), b.size() - 64, sk);
    }
    tk::BundleLimits limits{1u << 20, 64};
    tk::Bundle out;
    tk::BundleProblem p = tk::BundleProblem::None;
    std::string err;
    if (tk::read_bundle(b.data(), b.size(), limits, out, &p, &err)) {
        if (p != tk::BundleProblem::None || out.records.size() > limits.max_records) abort();
        size_t pos = 68 + (out.version >= 2 ? 112 + 4 + 8 * out.damaged.size() : 0) + (out.version >= 3 ? 2 + out.research_key.size() : 0) +
                     (out.version >= 4 ? 2 + out.status.size() : 0);
        if (out.status.size() > tk::kMaxStatusField) abort();
        // The server's reader of the status must take whatever the bundle carried.
        tk::DeviceStatus ds;
        std::string serr;
        if (tk::parse_device_status(out.status, ds, &serr) && ds.alarms.size() > tk::kMaxAlarms) abort();
        for (char c : out.research_key)
            if (c < 0x21 || c > 0x7e) abort(); // the reader lets only printable ASCII through
        auto listed = [&](uint64_t seq) { return std::binary_search(out.damaged.begin(), out.damaged.end(), seq); };
        for (size_t i = 1; i < out.damaged.size(); i++)
            if (out.damaged[i] <= out.damaged[i - 1]) abort();
        for (size_t i = 0; i < out.records.size(); i++) {
            const tk::Record& r = out.records[i];
            if (r.device_pk != out.device_pk || listed(r.seq)) abort();
            if (i > 0) {
                const tk::Record& p = out.records[i - 1];
                if (r.seq <= p.seq) abort();
                for (uint64_t s = p.seq + 1; s < r.seq && s < p.seq + 70000; s++)
                    if (!listed(s)) abort();
                if (r.seq == p.seq + 1 && r.prev_hash != tk::record_hash(p)) abort();
            }
            std::vector<uint8_t> w = tk::serialize_record(r);
            if (pos + 4 + w.size() > b.size() || std::memcmp(b.data() + pos + 4, w.data(), w.size()) != 0) abort();
            pos += 4 + w.size();
        }
    } else if (err.empty() || p == tk::BundleProblem::None) {
        abort();
    }
    tk::Receipt rc;
    if (!tk::read_receipt(b.data(), b.size(), rc, &err) && err.empty()) abort();
    return 0;
}
