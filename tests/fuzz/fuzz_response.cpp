// fuzz_response.cpp - the response reader on arbitrary bytes.
// Anything parse_response accepts must serialise to canonical bytes that read back to the
// same response and serialise to the same bytes again.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "response.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    tk::Response r;
    std::string err;
    if (!tk::parse_response(text, r, &err)) {
        if (err.empty()) abort();
        return 0;
    }
    std::string once = tk::serialize_response(r);
    tk::Response again;
    if (!tk::parse_response(once, again, &err)) abort();
    if (!(again == r)) abort();
    if (tk::serialize_response(again) != once) abort();
    return 0;
}
