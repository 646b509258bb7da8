// report_stats.h - the arithmetic behind the report's figures, apart from any HTML:
//   percent_text      count / n in percent, exact half-up rounding
//   wilson_interval   95 % confidence interval of a share (Wilson score)
//   chi_square        Pearson's test of a cross-table: chi², df, p, and whether the cells allow it
//   gamma_q           the regularized upper incomplete gamma function behind p
//   fixed_text        a double with d decimals, rounded half up
//   german_number     "1234.5" as a German reader writes it: "1.234,5"
// The page's script (report_page.cpp) repeats percent_text, wilson_interval, gamma_q,
// chi_square and fixed_text operation for operation, so that a filtered page shows the same
// digits as a report made with the filter.
#pragma once
#include <string>
#include <vector>

namespace tk {

// "28.8": count / n in percent, one decimal, rounded half up in exact integer arithmetic
// (so 1/8 = 12.5 exactly, never 12.4 from binary floating point). "0.0" when n is 0.
std::string percent_text(long long count, long long n);

// The Wilson score interval for count of n at 95 % (z = 1.959963984540054), as shares in
// [0, 1]. Unlike p ± 1.96·se it stays inside [0, 1] and is honest for 0 of 12 or 12 of 12,
// which small sites give all the time. n = 0 gives {0, 0}.
struct Interval {
    double low = 0, high = 0;
};
Interval wilson_interval(long long count, long long n);

// Q(a, x) = Γ(a, x) / Γ(a) for a = 1/2, 1, 3/2, ... (a chi² needs no other), x >= 0: the
// series for x < a + 1, else the continued fraction (both to about 1e-15). ln Γ(a) is a sum
// of logarithms for such a, which the page's script can repeat exactly (JavaScript has no
// lgamma). The upper tail of chi² with df degrees is Q(df / 2, x / 2).
double gamma_q(double a, double x);

// "5.77" for (5.7696, 2): floor(v * 10^d + 0.5) in doubles, then digits. printf would round
// ties to even and JavaScript's toFixed away from zero; this rounds the same in both.
std::string fixed_text(double v, int decimals);

// "1234.5" -> "1.234,5", "-0.5" -> "-0,5", "12" -> "12": the page is German, so are its
// numbers. Anything that is not such a plain number comes back as it is.
std::string german_number(const std::string& plain);
// german_number of an integer.
std::string german_count(long long v);

// Pearson's chi² of a table of counts (rows x columns). Rows and columns that are all zero are
// left out first (an option nobody chose says nothing about independence). `valid` is false
// when what is left is smaller than 2 x 2, or when more than 20 % of the expected counts are
// below 5 or any is below 1 (Cochran's rule); `why` then says which, in German, for the page.
struct ChiSquare {
    double chi2 = 0, p = 1;
    int df = 0;
    bool valid = false;
    std::string why;
};
ChiSquare chi_square(const std::vector<std::vector<long long>>& table);

} // namespace tk
