// Tests of sync/delphi: participant codes, the pseudonym and keys, the group's statistics and
// consensus. Expected values are worked out by hand in the comments, or computed here by a
// different method than the library's (the code's value as one 128-bit number, libsodium
// called directly with the documented parameters).
#include <doctest/doctest.h>
#include <chrono>
#include <cmath>
#include <cstring>
#include <random>
#include <set>
#include <sodium.h>

#include "delphi.h"
#include "hex.h"

using namespace tk;
using namespace tk::delphi;

static const std::string kAlpha = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

// The 20 data symbols as one number (100 bits fit into 128), then mod 37: not the library's
// symbol-by-symbol remainder.
static int check_by_int128(const std::string& code) {
    unsigned __int128 v = 0;
    for (size_t i = 0; i < 20; i++) v = v * 32 + (unsigned)kAlpha.find(code[i]);
    return int(v % 37);
}

static std::vector<Option> scale_of(std::initializer_list<const char*> codes) {
    std::vector<Option> out;
    for (const char* c : codes) out.push_back(Option{c, {}, false});
    return out;
}

static ConsensusRule rule(const char* kind, double threshold, int top = 2) {
    ConsensusRule r;
    r.kind = kind;
    r.threshold = threshold;
    r.top = top;
    return r;
}

TEST_CASE("delphi codes: 21 symbols of the alphabet, unique, check symbol = value mod 37") {
    std::vector<std::string> codes = make_codes(300);
    REQUIRE(codes.size() == 300);
    std::set<std::string> seen(codes.begin(), codes.end());
    CHECK(seen.size() == 300);
    std::set<char> firsts;
    for (const std::string& c : codes) {
        REQUIRE(c.size() == 21);
        for (char ch : c) CHECK(kAlpha.find(ch) != std::string::npos); // also no *~$=U as check
        int check = check_by_int128(c);
        CHECK(check < 32);
        CHECK(c[20] == kAlpha[size_t(check)]);
        CHECK(code_ok(c));
        firsts.insert(c[0]);
    }
    // 300 draws over 32 first symbols: missing more than a few would mean the draw is not uniform.
    CHECK(firsts.size() >= 28);
}

TEST_CASE("delphi codes: hand-worked check symbols, including Crockford's extra ones") {
    // value 1 -> check 1; value 31 -> Z; value 32 -> 32 = '*'; 37 -> 0; 36 -> 'U'.
    CHECK(code_ok("000000000000000000011"));
    CHECK(code_ok("0000000000000000000ZZ"));
    CHECK(code_ok("00000000000000000010*"));
    CHECK(code_ok("000000000000000000150")); // 1*32 + 5 = 37
    CHECK(code_ok("00000000000000000014U")); // 36
    CHECK_FALSE(code_ok("000000000000000000012"));
    // 32^19 mod 37: 32 = -5 (mod 37), (-5)^19 = -(5^19); 5^2 = 25, 5^4 = 625 = 33, 5^8 = 33^2 =
    // 1089 = 16, 5^16 = 256 = 34; 5^19 = 34 * 25 * 5 = 4250 = 32 (mod 37); -32 = 5 -> check '5'.
    CHECK(code_ok("100000000000000000005"));
    CHECK(check_by_int128("10000000000000000000") == 5);
}

TEST_CASE("delphi codes: every single wrong symbol and every swap of neighbours is caught") {
    for (const std::string& c : make_codes(40)) {
        for (size_t i = 0; i < 21; i++)
            for (char s : kAlpha) {
                if (s == c[i]) continue;
                std::string bad = c;
                bad[i] = s;
                CHECK_FALSE(code_ok(bad));
            }
        for (size_t i = 0; i + 1 < 21; i++) {
            if (c[i] == c[i + 1]) continue;
            std::string bad = c;
            std::swap(bad[i], bad[i + 1]);
            CHECK_FALSE(code_ok(bad));
        }
    }
}

TEST_CASE("delphi codes: typed and scanned forms normalise; format groups by four") {
    std::string c = make_codes(1)[0];
    std::string f = format_code(c);
    CHECK(f.size() == 26);
    for (size_t i : {4, 9, 14, 19, 24}) CHECK(f[i] == '-');
    CHECK(normalize_code(f) == c);
    std::string lower = f;
    for (char& ch : lower) ch = char(std::tolower((unsigned char)ch));
    CHECK(normalize_code(" " + lower + "\n") == c);
    // O read as 0, I and L as 1, spaces instead of hyphens.
    CHECK(normalize_code("OOOO OOOO OOOO OOOO OOOi l") == "000000000000000000011");
    CHECK(normalize_code("0000-0000-0000-0000-0001") == "");    // 20 symbols: too short
    CHECK(normalize_code("0000-0000-0000-0000-0001-11") == ""); // 22: too long
    CHECK(normalize_code("U0000000000000000000000").empty());
    CHECK(normalize_code("U00000000000000000001") == "");       // U only as a check symbol
    CHECK(normalize_code("000000000000000000\xc3\xa4" "1") == "");   // a non-ASCII letter
    CHECK(normalize_code("") == "");
    CHECK_FALSE(code_ok(""));
    CHECK_FALSE(code_ok(f)); // code_ok wants the normalised form
}

TEST_CASE("delphi keys: Argon2id over the code with the study as salt, as documented") {
    REQUIRE(sodium_init() >= 0);
    std::string code = make_codes(1)[0];
    ParticipantKeys a;
    std::string err;
    auto t0 = std::chrono::steady_clock::now();
    REQUIRE_MESSAGE(derive_participant_keys(code, "digitale-kommune-2021", a, &err), err);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    MESSAGE("one derivation: " << secs << " s");
    CHECK(secs < 2.0); // well under a second on a quiet machine; the test machine is shared

    // The same value computed here from DELPHI.md's description.
    uint8_t salt[16];
    std::string salt_in = std::string("teilhabe-delphi-salt/1") + '\0' + "digitale-kommune-2021";
    crypto_generichash(salt, 16, (const uint8_t*)salt_in.data(), salt_in.size(), nullptr, 0);
    uint8_t p[16];
    REQUIRE(crypto_pwhash(p, 16, code.data(), code.size(), salt, 2, size_t(19) << 20, crypto_pwhash_ALG_ARGON2ID13) == 0);
    CHECK(a.pseudonym == to_hex(p, 16));
    uint8_t km[32], lookup[16], key[32];
    crypto_generichash(km, 32, (const uint8_t*)a.pseudonym.data(), a.pseudonym.size(), nullptr, 0);
    crypto_generichash(lookup, 16, (const uint8_t*)"teilhabe-delphi-lookup/1", 24, km, 32);
    crypto_generichash(key, 32, (const uint8_t*)"teilhabe-delphi-key/1", 21, km, 32);
    CHECK(a.lookup == to_hex(lookup, 16));
    CHECK(std::memcmp(a.key, key, 32) == 0);

    // The research side, from the pseudonym alone, gets the same lookup id and key.
    ParticipantKeys r;
    keys_from_pseudonym(a.pseudonym, r);
    CHECK(r.lookup == a.lookup);
    CHECK(std::memcmp(r.key, a.key, 32) == 0);

    // Another study, another code: unrelated values.
    ParticipantKeys b, c;
    REQUIRE(derive_participant_keys(code, "andere-studie", b, &err));
    REQUIRE(derive_participant_keys(make_codes(1)[0], "digitale-kommune-2021", c, &err));
    CHECK(b.pseudonym != a.pseudonym);
    CHECK(c.pseudonym != a.pseudonym);
    CHECK(c.lookup != a.lookup);
    CHECK(a.lookup != a.pseudonym);

    ParticipantKeys bad;
    std::string wrong = code;
    wrong[3] = wrong[3] == 'A' ? 'B' : 'A';
    CHECK_FALSE(derive_participant_keys(wrong, "digitale-kommune-2021", bad, &err));
    CHECK(err.find("code") != std::string::npos);
    CHECK(bad.pseudonym.empty());
}

TEST_CASE("delphi stats: a hand-worked 5-point item") {
    // Eight answers 1,2,2,3,4,4,4,5 plus a "keine Antwort" and an empty one (not counted).
    // Type 7: median h = 3.5 -> (3 + 4) / 2 = 3.5; q1 h = 1.75 -> 2; q3 h = 5.25 -> 4.
    // mean 25 / 8 = 3.125; squares of the deviations sum to 12.875, / 7, root = 1.356203.
    std::vector<std::string> v = {"4", "1", "2", "", "4", "3", "-na-", "2", "4", "5"};
    auto scale = scale_of({"1", "2", "3", "4", "5"});
    ItemStats s = item_stats("F10[b]", "F18", v, scale, rule("top_share", 50));
    CHECK(s.key == "F10[b]");
    CHECK(s.source_key == "F18");
    CHECK(s.n == 8);
    REQUIRE(s.distribution.size() == 5);
    std::vector<std::pair<std::string, int>> want = {{"1", 1}, {"2", 2}, {"3", 1}, {"4", 3}, {"5", 1}};
    CHECK(s.distribution == want);
    CHECK(s.ordinal);
    CHECK(s.median == doctest::Approx(3.5));
    CHECK(s.q1 == doctest::Approx(2));
    CHECK(s.q3 == doctest::Approx(4));
    CHECK(s.iqr == doctest::Approx(2));
    CHECK(s.mean == doctest::Approx(3.125));
    CHECK(s.sd == doctest::Approx(1.356203).epsilon(1e-6));
    // top 2 = codes 4 and 5: 4 of 8 = 50 %, just enough.
    CHECK(s.consensus);
    CHECK(s.consensus_detail == "50 % in the top 2 categories (rule: at least 50 %)");
    CHECK_FALSE(item_stats("F", "F", v, scale, rule("top_share", 51)).consensus);
    // The two lowest (1, 2): 3 of 8 = 37.5 %.
    ItemStats low = item_stats("F", "F", v, scale, rule("top_share", 37.5, -2));
    CHECK(low.consensus);
    CHECK(low.consensus_detail == "37.5 % in the bottom 2 categories (rule: at least 37.5 %)");
    CHECK_FALSE(item_stats("F", "F", v, scale, rule("iqr", 1)).consensus);
    CHECK(item_stats("F", "F", v, scale, rule("iqr", 2)).consensus);
    // cv = 1.356203 / 3.125 = 0.434
    CHECK(item_stats("F", "F", v, scale, rule("cv", 0.44)).consensus);
    CHECK_FALSE(item_stats("F", "F", v, scale, rule("cv", 0.43)).consensus);
}

TEST_CASE("delphi stats: quartiles of 1,2,3,4 and a single answer") {
    ItemStats s = item_stats("F", "F", {"1", "2", "3", "4"}, scale_of({"1", "2", "3", "4"}), rule("iqr", 1.5));
    CHECK(s.median == doctest::Approx(2.5));
    CHECK(s.q1 == doctest::Approx(1.75));
    CHECK(s.q3 == doctest::Approx(3.25));
    CHECK(s.consensus); // IQR 1.5
    ItemStats one = item_stats("F", "F", {"3"}, scale_of({"1", "2", "3"}), rule("iqr", 0));
    CHECK(one.n == 1);
    CHECK(one.median == 3);
    CHECK(one.q1 == 3);
    CHECK(one.q3 == 3);
    CHECK(one.sd == 0);
    CHECK(one.consensus);
}

TEST_CASE("delphi stats: statement c as the study reports it (80 % agree, then 65 %)") {
    // Stage 1: 16 of 20 chose 4 or 5; after the repetition 13 of 20. Rule: at least 75 % in
    // the top two categories.
    std::vector<std::string> r1(20, "3");
    for (int i = 0; i < 16; i++) r1[size_t(i)] = i < 9 ? "4" : "5";
    std::vector<std::string> r2(20, "2");
    for (int i = 0; i < 13; i++) r2[size_t(i)] = i < 8 ? "4" : "5";
    auto scale = scale_of({"1", "2", "3", "4", "5"});
    ItemStats a = item_stats("F19", "", r1, scale, rule("top_share", 75));
    ItemStats b = item_stats("F10[c]", "F19", r2, scale, rule("top_share", 75));
    CHECK(a.consensus);
    CHECK(a.consensus_detail.rfind("80 %", 0) == 0);
    CHECK_FALSE(b.consensus);
    CHECK(b.consensus_detail.rfind("65 %", 0) == 0);
}

TEST_CASE("delphi stats: RAND/UCLA agreement, disagreement and the uncertain middle") {
    auto nine = scale_of({"1", "2", "3", "4", "5", "6", "7", "8", "9"});
    // 7,7,8,8,8,9,9,9,9: median 8; P30 (h 2.4) = 8, P70 (h 5.6) = 9; IPR 1, IPRAS 2.35 + 1.5 *
    // 3.5 = 7.6; index 0.13.
    ItemStats agree = item_stats("F", "F", {"7", "7", "8", "8", "8", "9", "9", "9", "9"}, nine, rule("rand_ucla", 0));
    CHECK(agree.median == 8);
    CHECK(agree.consensus);
    CHECK(agree.consensus_detail == "median 8, disagreement index 0.13 (rule: median in 1-3 or 7-9 and index below 1)");
    // 1,1,1,1,9,9,9,9,9: median 9, P30 1, P70 9: IPR 8, IPRAS 2.35, index 3.4: disagreement.
    ItemStats split = item_stats("F", "F", {"1", "1", "1", "1", "9", "9", "9", "9", "9"}, nine, rule("rand_ucla", 0));
    CHECK(split.median == 9);
    CHECK_FALSE(split.consensus);
    CHECK(split.consensus_detail.find("index 3.4 ") != std::string::npos);
    // Median 5: tight, but uncertain.
    CHECK_FALSE(item_stats("F", "F", {"4", "5", "5", "5", "5", "5", "6"}, nine, rule("rand_ucla", 0)).consensus);
    // 1,2,2,2,3: median 2, P30 2, P70 2: IPR 0.
    CHECK(item_stats("F", "F", {"1", "2", "2", "2", "3"}, nine, rule("rand_ucla", 0)).consensus);
}

TEST_CASE("delphi stats: a scale of letters counts, but has no median; odd cases say why") {
    auto abc = scale_of({"A1", "A2", "A3"});
    ItemStats s = item_stats("F", "F", {"A1", "A3", "A3", "-oth-", "A9"}, abc, rule("top_share", 60, 1));
    CHECK_FALSE(s.ordinal);
    CHECK(s.n == 3);
    CHECK(s.median == 0);
    CHECK(s.consensus); // the last option A3: 2 of 3 = 66.7 %
    CHECK(s.consensus_detail == "66.67 % in the top 1 categories (rule: at least 60 %)");
    ItemStats i = item_stats("F", "F", {"A1"}, abc, rule("iqr", 1));
    CHECK_FALSE(i.consensus);
    CHECK(i.consensus_detail.find("numeric scale") != std::string::npos);
    ItemStats none = item_stats("F", "F", {}, scale_of({"1", "2"}), rule("top_share", 50));
    CHECK(none.n == 0);
    CHECK_FALSE(none.consensus);
    CHECK(none.consensus_detail == "no consensus: no answers");
    CHECK(item_stats("F", "F", {"1"}, scale_of({"1", "2"}), rule("bogus", 1)).consensus_detail.find("unknown") !=
          std::string::npos);
    // The top categories of a numeric scale are the highest values, whatever the listed order.
    ItemStats desc = item_stats("F", "F", {"5", "5", "1"}, scale_of({"5", "4", "3", "2", "1"}), rule("top_share", 60, 1));
    CHECK(desc.consensus);
}

TEST_CASE("delphi stats: quartiles of 4k+1 answers are answers themselves (random property)") {
    std::mt19937 rng(19);
    auto scale = scale_of({"1", "2", "3", "4", "5", "6", "7"});
    for (int round = 0; round < 200; round++) {
        size_t k = 1 + rng() % 6, n = 4 * k + 1;
        std::vector<std::string> v;
        std::vector<int> nums;
        for (size_t i = 0; i < n; i++) {
            int x = 1 + int(rng() % 7);
            nums.push_back(x);
            v.push_back(std::to_string(x));
        }
        std::sort(nums.begin(), nums.end());
        ItemStats s = item_stats("F", "F", v, scale, rule("iqr", 1));
        CHECK(s.n == int(n));
        CHECK(s.q1 == nums[k]);
        CHECK(s.median == nums[2 * k]);
        CHECK(s.q3 == nums[3 * k]);
        int sum = 0;
        for (const auto& d : s.distribution) sum += d.second;
        CHECK(sum == int(n));
        CHECK(s.consensus == (nums[3 * k] - nums[k] <= 1));
    }
}

TEST_CASE("delphi stats: crossing the consensus region asks for a reason") {
    auto scale = scale_of({"1", "2", "3", "4", "5"});
    std::vector<std::string> v = {"1", "2", "2", "3", "4", "4", "4", "5"}; // q1 2, q3 4
    ConsensusRule top = rule("top_share", 50);
    ItemStats s = item_stats("F", "F", v, scale, top);
    CHECK(crosses_consensus(s, top, "3", "4"));
    CHECK(crosses_consensus(s, top, "5", "1"));
    CHECK_FALSE(crosses_consensus(s, top, "4", "5"));
    CHECK_FALSE(crosses_consensus(s, top, "1", "3"));
    CHECK_FALSE(crosses_consensus(s, top, "", "4"));      // no earlier answer
    CHECK_FALSE(crosses_consensus(s, top, "4", "-na-"));  // now no answer
    ConsensusRule iqr = rule("iqr", 1);
    ItemStats q = item_stats("F", "F", v, scale, iqr);
    CHECK(crosses_consensus(q, iqr, "3", "5"));
    CHECK(crosses_consensus(q, iqr, "1", "2"));
    CHECK_FALSE(crosses_consensus(q, iqr, "2", "4"));
    CHECK_FALSE(crosses_consensus(q, iqr, "1", "5"));
}
