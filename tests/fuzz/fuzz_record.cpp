// fuzz_record.cpp - the record wire-form parser and verifier, and the codec's decoder, on
// hostile bytes (the server parses records it receives; the research side decodes what it
// opens). Must never crash, hang or over-allocate.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "compress.h"
#include "record.h"
#include "open_record.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    tk::Record r;
    std::string err;
    if (tk::parse_record(data, size, r, &err)) {
        // What parses re-serialises to exactly the same bytes (one canonical form).
        std::vector<uint8_t> again = tk::serialize_record(r);
        if (again.size() != size || !std::equal(again.begin(), again.end(), data)) abort();
        tk::Hash32 zero{};
        tk::verify_record(r, &zero, &err);
        tk::record_hash(r);
        tk::record_id(r.device_pk, r.seq);
        uint8_t pk[32] = {9}, sk[32] = {1};
        std::string plain;
        tk::open_record(r, pk, sk, plain, &err);
    } else if (err.empty()) {
        abort(); // a rejection must say why
    }
    std::string out;
    if (tk::lz_decompress(data, size, 1 << 20, out) && out.size() > (1u << 20)) abort();
    return 0;
}
