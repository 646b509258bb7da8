// report_stats.cpp - percentages, Wilson intervals, chi² and its p (see report_stats.h).
#include "report_stats.h"

#include <algorithm>
#include <cmath>

namespace tk {

std::string percent_text(long long count, long long n) {
    if (n <= 0) return "0.0";
    long long t = (count * 2000 + n) / (2 * n); // tenths of a percent, half up
    return std::to_string(t / 10) + "." + std::to_string(t % 10);
}

std::string fixed_text(double v, int decimals) {
    double scale = 1;
    for (int i = 0; i < decimals; i++) scale *= 10;
    bool neg = v < 0;
    long long t = (long long)std::floor(std::fabs(v) * scale + 0.5);
    std::string digits = std::to_string(t);
    if (decimals > 0) {
        if (digits.size() <= size_t(decimals)) digits.insert(0, size_t(decimals) + 1 - digits.size(), '0');
        digits.insert(digits.size() - size_t(decimals), ".");
    }
    return (neg && t != 0 ? "-" : "") + digits;
}

std::string german_number(const std::string& t) {
    size_t start = !t.empty() && t[0] == '-' ? 1 : 0, dot = t.find('.');
    std::string ip = t.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (ip.empty() || ip.find_first_not_of("0123456789") != std::string::npos) return t;
    std::string out = t.substr(0, start);
    for (size_t i = 0; i < ip.size(); i++) {
        if (i > 0 && (ip.size() - i) % 3 == 0) out += '.';
        out += ip[i];
    }
    return dot == std::string::npos ? out : out + "," + t.substr(dot + 1);
}

std::string german_count(long long v) {
    return german_number(std::to_string(v));
}

Interval wilson_interval(long long count, long long n) {
    if (n <= 0) return {};
    // Written as the page's script writes it (kScript, wilson()): the same operations in the
    // same order give the same doubles, so both print the same digits.
    const double z = 1.959963984540054, z2 = z * z;
    double nn = double(n), p = double(count) / nn;
    double den = 1 + z2 / nn, mid = p + z2 / (2 * nn);
    double half = z * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
    Interval iv{(mid - half) / den, (mid + half) / den};
    // 0 of n and n of n end exactly at 0 and 1; rounding would leave 2e-17 or print "-0.0".
    if (count <= 0 || iv.low < 0) iv.low = 0;
    if (count >= n || iv.high > 1) iv.high = 1;
    return iv;
}

// ln Γ(a) for a = k / 2: Γ(1) = 1, Γ(1/2) = √π, Γ(a + 1) = a Γ(a).
static double log_gamma_half(double a) {
    double lg = 0, b = a;
    while (b > 1.25) {
        b -= 1;
        lg += std::log(b);
    }
    if (b < 0.75) lg += 0.5723649429247001; // ln √π
    return lg;
}

double gamma_q(double a, double x) {
    if (x <= 0) return 1;
    double lg = log_gamma_half(a), front = std::exp(-x + a * std::log(x) - lg);
    if (x < a + 1) { // series for P(a, x), then Q = 1 - P
        double ap = a, sum = 1 / a, del = sum;
        for (int k = 0; k < 1000 && std::fabs(del) > std::fabs(sum) * 1e-15; k++) {
            ap += 1;
            del *= x / ap;
            sum += del;
        }
        return 1 - sum * front;
    }
    // Continued fraction for Q (modified Lentz).
    const double tiny = 1e-300;
    double b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
    for (int i = 1; i < 1000; i++) {
        double an = -i * (i - a);
        b += 2;
        d = an * d + b;
        if (std::fabs(d) < tiny) d = tiny;
        c = b + an / c;
        if (std::fabs(c) < tiny) c = tiny;
        d = 1 / d;
        double del = d * c;
        h *= del;
        if (std::fabs(del - 1) < 1e-15) break;
    }
    return h * front;
}

ChiSquare chi_square(const std::vector<std::vector<long long>>& table) {
    ChiSquare r;
    size_t cols = 0;
    for (const auto& row : table) cols = std::max(cols, row.size());
    std::vector<double> rsum, csum(cols, 0);
    std::vector<std::vector<long long>> t;
    for (const auto& row : table) {
        long long s = 0;
        for (long long v : row) s += v;
        if (s == 0) continue;
        t.push_back(row);
        t.back().resize(cols, 0);
        rsum.push_back(double(s));
        for (size_t j = 0; j < cols; j++) csum[j] += double(t.back()[j]);
    }
    std::vector<size_t> keep;
    for (size_t j = 0; j < cols; j++)
        if (csum[j] > 0) keep.push_back(j);
    if (t.size() < 2 || keep.size() < 2) {
        r.why = "zu wenige besetzte Zeilen oder Spalten";
        return r;
    }
    double total = 0;
    for (double s : rsum) total += s;
    int cells = 0, below5 = 0;
    bool below1 = false;
    for (size_t i = 0; i < t.size(); i++)
        for (size_t j : keep) {
            double e = rsum[i] * csum[j] / total, o = double(t[i][j]);
            r.chi2 += (o - e) * (o - e) / e;
            cells++;
            below5 += e < 5;
            below1 = below1 || e < 1;
        }
    r.df = int((t.size() - 1) * (keep.size() - 1));
    r.p = gamma_q(r.df / 2.0, r.chi2 / 2);
    r.valid = !below1 && below5 * 5 <= cells;
    if (!r.valid)
        r.why = below1 ? "eine erwartete Häufigkeit unter 1" : "mehr als 20 % der erwarteten Häufigkeiten unter 5";
    return r;
}

} // namespace tk
