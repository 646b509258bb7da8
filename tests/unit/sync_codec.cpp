// Tests of the codec inside the seal (sync/record/compress.h): lz_compress and lz_decompress.
#include <doctest/doctest.h>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "compress.h"

using namespace tk;

namespace {
// A sealed answer as the kiosk writes it: the codec's everyday input.
const std::string kAnswer =
    R"({"answers":{"A1":{"value":"A2"},"A2":{"value":"Ich brauche Hilfe beim Online-Banking"},)"
    R"("A3":{"values":["A1","A3"]},"A4":{"value":"A1"},"A5":{"value":"A3"}},"channel":"kiosk"})";
} // namespace

TEST_CASE("codec: lz_compress round-trips text and random bytes and rejects malformed streams") {
    std::mt19937 rng(42);
    std::vector<std::string> inputs = {"", "a", "abcd", std::string(1000, 'x'), kAnswer + kAnswer + kAnswer};
    for (int n : {5, 100, 5000, 70000}) {
        std::string s(n, '\0');
        for (auto& c : s) c = (char)(rng() % 7 == 0 ? rng() : 'a' + rng() % 3);
        inputs.push_back(s);
    }
    for (auto& in : inputs) {
        std::string packed = lz_compress(in), out;
        REQUIRE(lz_decompress((const uint8_t*)packed.data(), packed.size(), in.size(), out));
        CHECK(out == in);
    }
    std::string packed = lz_compress(kAnswer + kAnswer);
    CHECK(packed.size() < kAnswer.size() * 2 * 3 / 4); // repeated JSON compresses
    std::string out;
    CHECK_FALSE(lz_decompress((const uint8_t*)packed.data(), packed.size(), 10, out)); // over max
    const uint8_t back_ref_before_start[] = {0x80, 0x05, 0x00};
    CHECK_FALSE(lz_decompress(back_ref_before_start, 3, 100, out));
    const uint8_t literal_cut[] = {0x05, 'a', 'b'};
    CHECK_FALSE(lz_decompress(literal_cut, 3, 100, out));
    const uint8_t match_cut[] = {0x00, 'a', 0x80, 0x01};
    CHECK_FALSE(lz_decompress(match_cut, 4, 100, out));
}
