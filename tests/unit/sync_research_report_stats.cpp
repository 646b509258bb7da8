// sync_research_report_stats.cpp - the report's arithmetic against published values: Wilson
// intervals (Newcombe 1998, table I, method 3), chi² upper tails (closed forms and the printed
// critical values of the chi² table), Pearson's chi² of small tables worked out by hand.
#include <doctest/doctest.h>

#include <cmath>

#include "report_stats.h"

using namespace tk;

TEST_CASE("report stats: Wilson 95 % intervals as Newcombe (1998) prints them") {
    struct Case {
        long long c, n;
        double low, high; // four decimals as printed
    };
    for (const Case& k : {Case{81, 263, 0.2553, 0.3662}, Case{15, 148, 0.0624, 0.1605}, Case{0, 20, 0.0, 0.1611},
                          Case{1, 29, 0.0061, 0.1718}}) {
        Interval iv = wilson_interval(k.c, k.n);
        INFO(k.c << " of " << k.n);
        CHECK(std::fabs(iv.low - k.low) < 0.00005);
        CHECK(std::fabs(iv.high - k.high) < 0.00005);
    }
    // All of n: the upper end is exactly 1, the lower end n / (n + z²); never outside [0, 1].
    Interval all = wilson_interval(12, 12);
    CHECK(all.high == 1.0);
    CHECK(std::fabs(all.low - 12 / (12 + 1.959963984540054 * 1.959963984540054)) < 1e-12);
    CHECK(wilson_interval(0, 12).low == 0.0);
    Interval none = wilson_interval(0, 0);
    CHECK((none.low == 0.0 && none.high == 0.0));
}

TEST_CASE("report stats: the chi² upper tail through gamma_q") {
    // df = 2: Q(1, x/2) = exp(-x/2); df = 1: erfc(sqrt(x/2)); df = 4: exp(-x/2)(1 + x/2).
    for (double x : {0.01, 0.5, 1.0, 3.84, 7.0, 15.0, 40.0}) {
        INFO("x = " << x);
        CHECK(std::fabs(gamma_q(1.0, x / 2) - std::exp(-x / 2)) < 1e-12);
        CHECK(std::fabs(gamma_q(0.5, x / 2) - std::erfc(std::sqrt(x / 2))) < 1e-12);
        CHECK(std::fabs(gamma_q(2.0, x / 2) - std::exp(-x / 2) * (1 + x / 2)) < 1e-12);
    }
    // Critical values of the chi² table: p = 0.05 and 0.01.
    struct Crit {
        int df;
        double x, p;
    };
    for (const Crit& c : {Crit{1, 3.841458820694124, 0.05}, Crit{1, 6.634896601021214, 0.01}, Crit{5, 11.070497693516351, 0.05},
                          Crit{10, 18.307038053275146, 0.05}, Crit{10, 23.209251158954356, 0.01}, Crit{20, 31.410432844230918, 0.05}}) {
        INFO("df = " << c.df);
        CHECK(std::fabs(gamma_q(c.df / 2.0, c.x / 2) - c.p) < 1e-7);
    }
    CHECK(gamma_q(3.0, 0.0) == 1.0);
}

TEST_CASE("report stats: Pearson's chi² of a table, with df and p; cells that do not allow it say so") {
    // 2 x 2: chi² = n (ad - bc)² / (r1 r2 c1 c2) = 39 * 145² / (17 * 22 * 19 * 20).
    ChiSquare t = chi_square({{12, 5}, {7, 15}});
    CHECK(t.df == 1);
    CHECK(std::fabs(t.chi2 - 39.0 * 145 * 145 / (17.0 * 22 * 19 * 20)) < 1e-12);
    CHECK(std::fabs(t.p - std::erfc(std::sqrt(t.chi2 / 2))) < 1e-12);
    CHECK(t.valid);
    // Independence exactly: chi² = 0, p = 1.
    ChiSquare ind = chi_square({{10, 20, 30}, {20, 40, 60}});
    CHECK(ind.df == 2);
    CHECK(std::fabs(ind.chi2) < 1e-12);
    CHECK(std::fabs(ind.p - 1) < 1e-12);
    // An empty row and column are left out before df is counted.
    ChiSquare gaps = chi_square({{12, 0, 5}, {0, 0, 0}, {7, 0, 15}});
    CHECK(gaps.df == 1);
    CHECK(std::fabs(gaps.chi2 - t.chi2) < 1e-12);
    // Expected counts below 5 in more than 20 % of the cells: computed, but not valid.
    ChiSquare small = chi_square({{3, 1}, {1, 3}});
    CHECK(small.df == 1);
    CHECK_FALSE(small.valid);
    CHECK(small.why.find("unter 5") != std::string::npos);
    ChiSquare one = chi_square({{5, 5}});
    CHECK_FALSE(one.valid);
    CHECK(one.df == 0);
}

TEST_CASE("report stats: fixed_text rounds half up with the digits the page's script prints") {
    CHECK(fixed_text(5.7696, 2) == "5.77");
    CHECK(fixed_text(0.125, 2) == "0.13"); // printf("%.2f") gives 0.12 (ties to even)
    CHECK(fixed_text(0.0004, 3) == "0.000");
    CHECK(fixed_text(0.05, 3) == "0.050");
    CHECK(fixed_text(1234.5, 1) == "1234.5");
    CHECK(fixed_text(-2.25, 1) == "-2.3");
    CHECK(fixed_text(-0.0001, 2) == "0.00");
    CHECK(fixed_text(7, 0) == "7");
}

TEST_CASE("report stats: numbers as a German reader writes them") {
    CHECK(german_number("1234.5") == "1.234,5");
    CHECK(german_number("28.8") == "28,8");
    CHECK(german_number("-0.5") == "-0,5");
    CHECK(german_number("100.0") == "100,0");
    CHECK(german_number("1234567") == "1.234.567");
    CHECK(german_number("999") == "999");
    CHECK(german_number("–") == "–");
    CHECK(german_number("") == "");
    CHECK(german_count(12345) == "12.345");
    CHECK(german_count(0) == "0");
}
