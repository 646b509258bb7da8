// sync_research_util.h - what the research tests (sync_research_*.cpp) share: keys, a device,
// sealed sample responses, the every-type survey and its response, and readers of the report's
// HTML. Definitions in sync_research_util.cpp.
#pragma once
#include <doctest/doctest.h>
#include <sodium.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "keys.h"
#include "record.h"
#include "research.h"
#include "sync_testutil.h"

namespace tk::test {

// A research key pair written with the cheapest KDF (tests only) and loaded back.
struct ResearchKeys {
    TempDir dir;
    ResearchSecretKey key;
    explicit ResearchKeys(const std::string& pass = "richtig-geheim") {
        REQUIRE(sodium_init() >= 0);
        ResearchPublicKey pub;
        std::string err;
        REQUIRE_MESSAGE(write_research_key_files(dir / "research.key", dir / "research.pub", pass, KdfStrength::Minimum,
                                                 &pub, &err), err);
        REQUIRE_MESSAGE(load_research_key(dir / "research.key", pass, key, &err), err);
    }
};

struct Device {
    uint8_t pk[32], sk[64];
    Device() { crypto_sign_keypair(pk, sk); }
};

Response sample_response(int i);

// n chained records of one device holding sample responses 0..n-1.
std::vector<Record> sealed_chain(const ResearchSecretKey& k, const Device& d, int n);

std::string source_dir();
std::shared_ptr<const Survey> load_or_fail(const std::string& path);

// Every question type once, with conditions so that "not shown" happens.
extern const char* const kAllTypes;
std::shared_ptr<const Survey> all_types_survey();
DecryptedResponse all_types_response(const Survey& s);

// The cells of the row for `key` in the table of `block`: {count, percent}, as plain numbers
// ("28.8"; the page shows "28,8").
std::pair<std::string, std::string> html_row(const std::string& html, const std::string& block, const std::string& key);
// Whether the report shows "n = N" for `block`.
bool has_n(const std::string& html, const std::string& block, int n);

} // namespace tk::test
