// delphi_stats.cpp - the group's result for one item, and consensus (see delphi.h, DELPHI.md).
//
// Index
//   numbers          option codes read as numbers (an ordinal scale)
//   quantile         the one quantile definition (Hyndman & Fan type 7)
//   top categories   which codes a top_share rule counts
//   item_stats       distribution, n, median, quartiles, mean, sd, consensus
//   crosses_consensus
#include "delphi.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>

namespace tk::delphi {

// --- numbers -------------------------------------------------------------------------------
bool code_number(const std::string& code, double& out) {
    if (code.empty() || code.size() > 32) return false;
    for (char c : code)
        if (!((c >= '0' && c <= '9') || c == '-' || c == '.')) return false;
    char* end = nullptr;
    out = std::strtod(code.c_str(), &end);
    return end == code.c_str() + code.size() && std::isfinite(out);
}

static std::string num_text(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    std::string s = buf;
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    if (s == "-0") s = "0";
    return s;
}

// --- quantile ------------------------------------------------------------------------------
// Hyndman & Fan's type 7, the default of R, numpy and spreadsheets' QUARTILE.INC: with the
// n sorted values x[0..n-1], h = (n - 1) p, and the quantile lies between x[floor h] and the
// next value, linearly. So the median of 1,2,3,4 is 2.5 and its quartiles are 1.75 and 3.25.
static double quantile(const std::vector<double>& sorted, double p) {
    if (sorted.empty()) return 0;
    double h = (double(sorted.size()) - 1) * p;
    size_t lo = size_t(std::floor(h));
    if (lo + 1 >= sorted.size()) return sorted.back();
    return sorted[lo] + (h - double(lo)) * (sorted[lo + 1] - sorted[lo]);
}

// --- top categories --------------------------------------------------------------------------
// The |top| highest (top > 0) or lowest (top < 0) categories: by value on a numeric scale, by
// the survey's order of the options otherwise (the last ones are the "highest").
static std::set<std::string> top_codes(const ItemStats& s, int top) {
    std::vector<std::pair<double, std::string>> order;
    for (size_t i = 0; i < s.distribution.size(); i++) {
        double v = double(i);
        if (s.ordinal) code_number(s.distribution[i].first, v);
        order.push_back({v, s.distribution[i].first});
    }
    std::stable_sort(order.begin(), order.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::set<std::string> out;
    size_t k = size_t(std::abs(top));
    for (size_t i = 0; i < k && i < order.size(); i++)
        out.insert(top > 0 ? order[order.size() - 1 - i].second : order[i].second);
    return out;
}

static void judge(ItemStats& s, const std::vector<double>& sorted, const ConsensusRule& rule) {
    s.consensus = false;
    auto need_scale = [&]() {
        if (s.ordinal) return true;
        s.consensus_detail = "no consensus: the rule \"" + rule.kind + "\" needs a numeric scale";
        return false;
    };
    if (s.n == 0) {
        s.consensus_detail = "no consensus: no answers";
        return;
    }
    if (rule.kind == "top_share") {
        if (rule.top == 0) {
            s.consensus_detail = "no consensus: the rule counts no categories (top 0)";
            return;
        }
        std::set<std::string> top = top_codes(s, rule.top);
        int in = 0;
        for (const auto& [code, count] : s.distribution)
            if (top.count(code)) in += count;
        double share = 100.0 * in / s.n;
        s.consensus = share >= rule.threshold;
        s.consensus_detail = num_text(share) + " % in the " + (rule.top > 0 ? "top " : "bottom ") +
                             std::to_string(std::abs(rule.top)) + " categories (rule: at least " +
                             num_text(rule.threshold) + " %)";
    } else if (rule.kind == "iqr") {
        if (!need_scale()) return;
        s.consensus = s.iqr <= rule.threshold;
        s.consensus_detail = "IQR " + num_text(s.iqr) + " (rule: at most " + num_text(rule.threshold) + ")";
    } else if (rule.kind == "rand_ucla") {
        if (!need_scale()) return;
        // The RAND/UCLA Appropriateness Method User's Manual (Fitch et al. 2001), ch. 8:
        // IPR = P70 - P30, IPRAS = 2.35 + 1.5 |5 - (P30 + P70) / 2|, disagreement when
        // IPR > IPRAS. A median in 1-3 or 7-9 without disagreement is a clear verdict; 3.5
        // and 6.5 count as the uncertain middle.
        double p30 = quantile(sorted, 0.30), p70 = quantile(sorted, 0.70);
        double ipr = p70 - p30, ipras = 2.35 + 1.5 * std::fabs(5 - (p30 + p70) / 2);
        double di = ipr / ipras, limit = rule.threshold > 0 ? rule.threshold : 1;
        bool clear = s.median <= 3 || s.median >= 7;
        s.consensus = clear && di < limit;
        s.consensus_detail = "median " + num_text(s.median) + ", disagreement index " + num_text(di) +
                             " (rule: median in 1-3 or 7-9 and index below " + num_text(limit) + ")";
    } else if (rule.kind == "cv") {
        if (!need_scale()) return;
        if (s.mean <= 0) {
            s.consensus_detail = "no consensus: the coefficient of variation needs a mean above 0";
            return;
        }
        double cv = s.sd / s.mean;
        s.consensus = cv <= rule.threshold;
        s.consensus_detail = "coefficient of variation " + num_text(cv) + " (rule: at most " +
                             num_text(rule.threshold) + ")";
    } else {
        s.consensus_detail = rule.kind.empty() ? "no consensus rule" : "no consensus: unknown rule \"" + rule.kind + "\"";
    }
}

// --- item_stats ----------------------------------------------------------------------------
ItemStats item_stats(const std::string& key, const std::string& source_key, const std::vector<std::string>& values,
                     const std::vector<Option>& scale, const ConsensusRule& rule) {
    ItemStats s;
    s.key = key;
    s.source_key = source_key;
    s.ordinal = !scale.empty();
    for (const Option& o : scale) {
        s.distribution.push_back({o.code, 0});
        double v;
        if (!code_number(o.code, v)) s.ordinal = false;
    }
    std::vector<double> nums;
    for (const std::string& v : values)
        for (auto& [code, count] : s.distribution)
            if (code == v) {
                count++;
                s.n++;
                double x;
                if (s.ordinal && code_number(code, x)) nums.push_back(x);
                break;
            }
    if (s.ordinal && !nums.empty()) {
        std::sort(nums.begin(), nums.end());
        s.median = quantile(nums, 0.5);
        s.q1 = quantile(nums, 0.25);
        s.q3 = quantile(nums, 0.75);
        s.iqr = s.q3 - s.q1;
        double sum = 0;
        for (double x : nums) sum += x;
        s.mean = sum / double(nums.size());
        double ss = 0;
        for (double x : nums) ss += (x - s.mean) * (x - s.mean);
        s.sd = nums.size() > 1 ? std::sqrt(ss / double(nums.size() - 1)) : 0;
    }
    judge(s, nums, rule);
    return s;
}

// --- crosses_consensus ---------------------------------------------------------------------------
// The region: the counted top categories (top_share), or the values between the quartiles (the
// other rules, which all measure the spread around the middle). An answer that was or is no
// category (no answer, not asked) crosses nothing.
static int in_region(const ItemStats& s, const ConsensusRule& rule, const std::string& code) {
    bool known = false;
    for (const auto& d : s.distribution) known = known || d.first == code;
    if (!known) return -1;
    if (rule.kind == "top_share") return top_codes(s, rule.top).count(code) ? 1 : 0;
    double v;
    if (!s.ordinal || !code_number(code, v)) return -1;
    return v >= s.q1 && v <= s.q3 ? 1 : 0;
}

bool crosses_consensus(const ItemStats& s, const ConsensusRule& rule, const std::string& from, const std::string& to) {
    int a = in_region(s, rule, from), b = in_region(s, rule, to);
    return a >= 0 && b >= 0 && a != b;
}

} // namespace tk::delphi
