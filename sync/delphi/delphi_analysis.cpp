// delphi_analysis.cpp - the numbers of a two-round Delphi study (see delphi_analysis.h and
// DELPHI.md "Analysis"); the page and the CSV are in delphi_report.cpp.
//
// Index
//   shares           share_percent, share_text
//   choice items     choice_stats
//   Wilcoxon         mid-ranks, the exact count over sign assignments, the normal approximation
//   rank sum         the exact count over the ways to pick one group's ranks, the normal approximation
//   answers          one participant's value or chosen options for an item, one response per pseudonym
//   one round        analyse_round (ItemStats or ChoiceStats, the expertise rule)
//   two rounds       the repeated items (stability, the study's update rule), attrition, analyse_delphi
#include "delphi_analysis.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>

namespace tk::delphi {

// --- shares ----------------------------------------------------------------------------------
double share_percent(long long count, long long n) { return n > 0 ? 100.0 * double(count) / double(n) : 0; }

std::string share_text(long long count, long long n, int decimals) {
    if (n <= 0) n = 1, count = 0;
    long long scale = 1;
    for (int i = 0; i < decimals; i++) scale *= 10;
    // round(count * 100 * scale / n) half up, in integers
    long long num = count * 100 * scale, t = (2 * num + n) / (2 * n);
    std::string s = std::to_string(t / scale);
    if (decimals > 0) {
        std::string frac = std::to_string(t % scale);
        while (int(frac.size()) < decimals) frac = "0" + frac;
        s += "." + frac;
    }
    return s;
}

// --- choice items ----------------------------------------------------------------------------
int ChoiceStats::count(const std::string& code) const {
    for (const auto& [c, k] : counts)
        if (c == code) return k;
    return 0;
}

ChoiceStats choice_stats(const std::string& key, const std::vector<std::vector<std::string>>& chosen,
                         const std::vector<bool>& other_text, const std::vector<Option>& options) {
    ChoiceStats s;
    s.key = key;
    for (const Option& o : options) s.counts.push_back({o.code, 0});
    for (size_t i = 0; i < chosen.size(); i++) {
        bool any = false;
        std::set<std::string> once(chosen[i].begin(), chosen[i].end()); // a code twice counts once
        for (auto& [code, k] : s.counts)
            if (once.count(code)) k++, any = true;
        bool other = i < other_text.size() && other_text[i];
        s.other += other;
        s.n += any || other;
    }
    return s;
}

// --- Wilcoxon ----------------------------------------------------------------------------------
// Twice the mid-ranks of |d| (whole numbers: a tie of the ranks a..b gets a + b), so the exact
// distribution can be counted in integers. `ties`: the size of each group of equal |d|.
static std::vector<long> doubled_ranks(const std::vector<double>& absd, std::vector<long>& ties) {
    std::vector<size_t> order(absd.size());
    for (size_t i = 0; i < order.size(); i++) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return absd[a] < absd[b]; });
    std::vector<long> r2(absd.size());
    for (size_t i = 0; i < order.size();) {
        size_t j = i;
        while (j + 1 < order.size() && absd[order[j + 1]] == absd[order[i]]) j++;
        for (size_t k = i; k <= j; k++) r2[order[k]] = long(i + 1) + long(j + 1);
        ties.push_back(long(j - i + 1));
        i = j + 1;
    }
    return r2;
}

WilcoxonResult wilcoxon_signed_rank(const std::vector<double>& before, const std::vector<double>& after) {
    WilcoxonResult w;
    size_t n = std::min(before.size(), after.size());
    w.pairs = int(n);
    std::vector<double> d;
    for (size_t i = 0; i < n; i++)
        if (after[i] != before[i]) d.push_back(after[i] - before[i]);
    w.nonzero = int(d.size());
    if (d.empty()) return w;
    std::vector<double> absd;
    for (double x : d) absd.push_back(std::fabs(x));
    std::vector<long> ties;
    std::vector<long> r2 = doubled_ranks(absd, ties);
    long total2 = 0, plus2 = 0;
    for (size_t i = 0; i < d.size(); i++) {
        total2 += r2[i];
        if (d[i] > 0) plus2 += r2[i];
    }
    w.w_plus = double(plus2) / 2;
    w.w_minus = double(total2 - plus2) / 2;
    if (w.nonzero <= kWilcoxonExactMax) {
        // ways[s]: sign assignments whose doubled W+ is s; each of the 2^n is equally likely.
        std::vector<double> ways(size_t(total2) + 1, 0);
        ways[0] = 1;
        long reach = 0;
        for (long r : r2) {
            for (long s = reach; s >= 0; s--)
                if (ways[size_t(s)] != 0) ways[size_t(s + r)] += ways[size_t(s)];
            reach += r;
        }
        long far = std::labs(2 * plus2 - total2);
        double hit = 0, all = 0;
        for (long s = 0; s <= total2; s++) {
            all += ways[size_t(s)];
            if (std::labs(2 * s - total2) >= far) hit += ways[size_t(s)];
        }
        w.exact = true;
        w.p = std::min(1.0, hit / all);
        return w;
    }
    double m = double(w.nonzero);
    double mean = m * (m + 1) / 4;
    double var = m * (m + 1) * (2 * m + 1) / 24;
    for (long t : ties) var -= double(t * t * t - t) / 48;
    double diff = w.w_plus - mean;
    double corr = diff > 0 ? 0.5 : (diff < 0 ? -0.5 : 0);
    w.z = var > 0 ? (diff - corr) / std::sqrt(var) : 0;
    w.p = std::min(1.0, std::erfc(std::fabs(w.z) / std::sqrt(2.0)));
    return w;
}

// --- rank sum -------------------------------------------------------------------------------------
RankSumResult rank_sum_test(const std::vector<double>& a, const std::vector<double>& b) {
    RankSumResult t;
    t.m = int(a.size());
    t.n = int(b.size());
    if (a.empty() || b.empty()) return t;
    std::vector<double> all(a);
    all.insert(all.end(), b.begin(), b.end());
    std::vector<long> ties;
    std::vector<long> r2 = doubled_ranks(all, ties);
    long N = long(all.size()), m = t.m, w2 = 0, total2 = 0;
    for (long i = 0; i < N; i++) {
        total2 += r2[size_t(i)];
        if (i < m) w2 += r2[size_t(i)];
    }
    t.w = double(w2) / 2;
    t.u = t.w - double(m * (m + 1)) / 2;
    if (long(ties.size()) == 1) return t; // every value equal: nothing can differ
    // Doubled, the mean of a's rank sum is m (N + 1); compare distances in whole numbers.
    long mean2 = m * (N + 1), far = std::labs(w2 - mean2);
    if (N <= kRankSumExactMax) {
        // ways[k][s]: ways to pick k of the values seen so far with doubled rank sum s.
        std::vector<std::vector<double>> ways(size_t(m) + 1, std::vector<double>(size_t(total2) + 1, 0));
        ways[0][0] = 1;
        long reach = 0;
        for (long r : r2) {
            for (long k = m; k >= 1; k--)
                for (long s = reach; s >= 0; s--)
                    if (ways[size_t(k - 1)][size_t(s)] != 0) ways[size_t(k)][size_t(s + r)] += ways[size_t(k - 1)][size_t(s)];
            reach += r;
        }
        double hit = 0, sum = 0;
        for (long s = 0; s <= total2; s++) {
            sum += ways[size_t(m)][size_t(s)];
            if (std::labs(s - mean2) >= far) hit += ways[size_t(m)][size_t(s)];
        }
        t.exact = true;
        t.p = std::min(1.0, hit / sum);
        return t;
    }
    double dm = double(m), dn = double(t.n), dN = double(N), tie = 0;
    for (long k : ties) tie += double(k * k * k - k);
    double var = dm * dn / 12 * ((dN + 1) - tie / (dN * (dN - 1)));
    double diff = t.u - dm * dn / 2, corr = diff > 0 ? 0.5 : (diff < 0 ? -0.5 : 0);
    t.z = var > 0 ? (diff - corr) / std::sqrt(var) : 0;
    t.p = std::min(1.0, std::erfc(std::fabs(t.z) / std::sqrt(2.0)));
    return t;
}

// --- answers -------------------------------------------------------------------------------------
// item_value (delphi.h) gives the option code of a one-value item; a multiple choice's ticked
// codes come from item_choices, with whether "andere" was ticked.
static std::vector<std::string> item_choices(const Response& r, const std::string& key, bool* other) {
    *other = false;
    auto it = r.answers.find(key);
    if (it == r.answers.end() || it->second.no_answer) return {};
    *other = !it->second.other.empty();
    return it->second.values;
}

static bool in_scale(const std::vector<Option>& scale, const std::string& v) {
    for (const Option& o : scale)
        if (o.code == v) return true;
    return false;
}

// One response per participant: a pseudonym met again keeps the later one (by `finished`, then
// input order); responses without a pseudonym are all kept. Says what it merged in `notes`.
static std::vector<const Response*> one_per_pseudonym(const std::vector<Response>& rs, int round,
                                                      std::vector<std::string>& notes) {
    std::map<std::string, size_t> at;
    std::vector<const Response*> out;
    int merged = 0, anonymous = 0;
    for (const Response& r : rs) {
        if (r.pseudonym.empty()) {
            anonymous++;
            out.push_back(&r);
            continue;
        }
        auto it = at.find(r.pseudonym);
        if (it == at.end()) {
            at[r.pseudonym] = out.size();
            out.push_back(&r);
            continue;
        }
        merged++;
        if (r.finished >= out[it->second]->finished) out[it->second] = &r;
    }
    if (merged)
        notes.push_back("round " + std::to_string(round) + ": " + std::to_string(merged) +
                        " response(s) came from a participant who had already answered this round; the later "
                        "response of each is counted, the earlier left out");
    if (anonymous)
        notes.push_back("round " + std::to_string(round) + ": " + std::to_string(anonymous) +
                        " response(s) without a participant code count in this round's figures but cannot be "
                        "linked to the other round");
    return out;
}

static std::string item_label(const Survey& s, const std::string& key) {
    std::string code, row;
    if (!split_delphi_key(key, code, row)) return key;
    const Question* q = s.find_question(code);
    if (!q) return key;
    const std::string& lang = s.original_language();
    std::string t = q->text.get(lang, lang);
    if (!row.empty())
        if (const Row* rw = q->find_row(row)) t += " – " + rw->text.get(lang, lang);
    return t;
}

// --- one round ----------------------------------------------------------------------------------------
static void expertise_check(const Survey& s, const std::vector<const Response*>& rs, const DelphiItem& di,
                            RoundItem& it, const std::vector<Option>& scale) {
    ExpertiseCheck& e = it.expertise;
    e.expertise = di.expertise;
    if (di.expertise.empty() || s.delphi.expert_levels.empty()) return;
    std::set<std::string> levels(s.delphi.expert_levels.begin(), s.delphi.expert_levels.end());
    auto is_expert = [&](const Response* r) { return levels.count(item_value(*r, di.expertise)) > 0; };
    if (it.choice) {
        std::vector<std::vector<std::string>> chosen;
        std::vector<bool> other;
        for (const Response* r : rs) {
            if (!is_expert(r)) continue;
            bool o;
            chosen.push_back(item_choices(*r, di.key, &o));
            other.push_back(o);
        }
        e.experts = choice_stats(di.key, chosen, other, scale);
        e.n_all = it.choices.n;
        e.n_expert = e.experts.n;
        e.applies = e.n_all > 0;
        if (!e.applies || e.n_expert == 0) return;
        for (const auto& [code, k] : it.choices.counts) {
            double d = std::fabs(share_percent(e.experts.count(code), e.n_expert) - share_percent(k, e.n_all));
            if (d > e.deviation) e.deviation = d, e.deviation_where = code;
        }
    } else {
        if (!it.stats.ordinal) return;
        e.n_all = it.stats.n;
        e.mean_all = it.stats.mean;
        e.applies = e.n_all > 0;
        double sum = 0;
        for (const Response* r : rs) {
            double x;
            std::string v = item_value(*r, di.key);
            if (is_expert(r) && in_scale(scale, v) && code_number(v, x)) sum += x, e.n_expert++;
        }
        if (!e.applies || e.n_expert == 0) return;
        e.mean_expert = sum / e.n_expert;
        e.deviation = e.mean_all != 0 ? 100.0 * std::fabs(e.mean_expert - e.mean_all) / std::fabs(e.mean_all) : 0;
    }
    e.flagged = e.deviation > kStudyTolerance + 1e-9;
}

static RoundAnalysis analyse_round(const Survey& s, const std::vector<const Response*>& rs) {
    RoundAnalysis ra;
    ra.survey_id = s.id;
    ra.survey_version = s.version;
    ra.round = s.delphi.round;
    ra.n = int(rs.size());
    for (const Response* r : rs) ra.with_pseudonym += !r->pseudonym.empty();
    ra.rule_text = consensus_rule_text(s.delphi.consensus);
    for (const DelphiItem& di : s.delphi.items) {
        RoundItem it;
        it.key = di.key;
        it.repeats = di.repeats;
        it.label = item_label(s, di.key);
        const std::vector<Option>* scale = delphi_item_scale(s, di.key);
        std::string code, row;
        split_delphi_key(di.key, code, row);
        const Question* q = s.find_question(code);
        if (!scale || !q) {
            it.problem = "not a closed question with one scale";
            ra.items.push_back(std::move(it));
            continue;
        }
        const std::string& lang = s.original_language();
        for (const Option& o : *scale) it.scale.push_back({o.code, o.text.get(lang, lang)});
        if (q->type == QuestionType::MultipleChoice) {
            it.choice = true;
            std::vector<std::vector<std::string>> chosen;
            std::vector<bool> other;
            for (const Response* r : rs) {
                bool o;
                chosen.push_back(item_choices(*r, di.key, &o));
                other.push_back(o);
            }
            it.choices = choice_stats(di.key, chosen, other, *scale);
        } else {
            std::vector<std::string> values;
            for (const Response* r : rs) values.push_back(item_value(*r, di.key));
            it.stats = item_stats(di.key, di.repeats, values, *scale, s.delphi.consensus);
        }
        expertise_check(s, rs, di, it, *scale);
        ra.items.push_back(std::move(it));
    }
    return ra;
}

const RoundItem* RoundAnalysis::find(const std::string& key) const {
    for (const RoundItem& it : items)
        if (it.key == key) return &it;
    return nullptr;
}

// --- two rounds ---------------------------------------------------------------------------------------
// Shares of the categories below and above the scale's middle (the lower and the upper half;
// the middle category of an odd scale in neither).
static void sides(const ItemStats& s, int& lower, int& upper) {
    lower = upper = 0;
    size_t k = s.distribution.size(), half = k / 2;
    for (size_t i = 0; i < k; i++) {
        if (i < half) lower += s.distribution[i].second;
        if (i >= k - half) upper += s.distribution[i].second;
    }
}

static void note_change(ItemChange& c, double change, const std::string& where) {
    if (std::fabs(change) > std::fabs(c.largest_change) + 1e-12) c.largest_change = change, c.largest_where = where;
}

static ItemChange compare_item(const Survey& s1, const Survey& s2, const std::vector<const Response*>& r1,
                               const std::map<std::string, const Response*>& r2_by_pseudonym, const DelphiItem& di2) {
    ItemChange c;
    c.key1 = di2.repeats;
    c.key2 = di2.key;
    c.label = item_label(s2, di2.key);
    std::string code1, row1, code2, row2;
    split_delphi_key(c.key1, code1, row1);
    split_delphi_key(c.key2, code2, row2);
    const std::vector<Option>* sc1 = delphi_item_scale(s1, c.key1);
    const std::vector<Option>* sc2 = delphi_item_scale(s2, c.key2);
    const Question* q1 = s1.find_question(code1);
    const Question* q2 = s2.find_question(code2);
    if (!sc1 || !sc2 || !q1 || !q2) {
        c.problem = "round 1 has no closed item " + c.key1 + " with one scale";
        return c;
    }
    c.choice = q1->type == QuestionType::MultipleChoice;
    if (c.choice != (q2->type == QuestionType::MultipleChoice)) {
        c.problem = c.key1 + " and " + c.key2 + " are not the same kind of question (multiple choice and one answer)";
        return c;
    }
    if (c.choice) {
        std::vector<std::vector<std::string>> before, after, updated;
        std::vector<bool> ob, oa, ou;
        for (const Response* r : r1) {
            bool o1 = false, o2 = false;
            std::vector<std::string> v1 = item_choices(*r, c.key1, &o1), v2;
            auto it = r->pseudonym.empty() ? r2_by_pseudonym.end() : r2_by_pseudonym.find(r->pseudonym);
            if (it != r2_by_pseudonym.end()) v2 = item_choices(*it->second, c.key2, &o2);
            // only codes of round 1's scale count as a revised answer
            std::vector<std::string> v2in;
            for (const std::string& v : v2)
                if (in_scale(*sc1, v)) v2in.push_back(v);
            bool revised = !v2in.empty();
            updated.push_back(revised ? v2in : v1);
            ou.push_back(revised ? false : o1);
            if (!v1.empty() && revised) {
                c.paired++;
                std::set<std::string> a(v1.begin(), v1.end()), b(v2in.begin(), v2in.end());
                c.changed += a != b;
                before.push_back(v1);
                after.push_back(v2in);
                ob.push_back(false);
                oa.push_back(false);
            }
        }
        ChoiceStats cb = choice_stats(c.key1, before, ob, *sc1), ca = choice_stats(c.key1, after, oa, *sc1);
        for (const auto& [code, k] : cb.counts)
            c.shift = std::max(c.shift, std::fabs(share_percent(ca.count(code), ca.n) - share_percent(k, cb.n)));
        c.updated_choices = choice_stats(c.key1, updated, ou, *sc1);
        std::vector<std::vector<std::string>> first;
        std::vector<bool> of;
        for (const Response* r : r1) {
            bool o;
            first.push_back(item_choices(*r, c.key1, &o));
            of.push_back(o);
        }
        ChoiceStats c1 = choice_stats(c.key1, first, of, *sc1);
        c.n1 = c1.n;
        for (const auto& [code, k] : c1.counts) {
            double d = share_percent(c.updated_choices.count(code), c.updated_choices.n) - share_percent(k, c1.n);
            c.category_change.push_back({code, d});
            note_change(c, d, code);
        }
    } else {
        std::vector<std::string> first, updated, pb, pa;
        std::vector<double> nb, na;
        for (const Response* r : r1) {
            std::string v1 = item_value(*r, c.key1), v2;
            auto it = r->pseudonym.empty() ? r2_by_pseudonym.end() : r2_by_pseudonym.find(r->pseudonym);
            if (it != r2_by_pseudonym.end()) v2 = item_value(*it->second, c.key2);
            bool revised = in_scale(*sc1, v2);
            first.push_back(v1);
            updated.push_back(revised ? v2 : v1);
            if (in_scale(*sc1, v1) && revised) {
                c.paired++;
                c.changed += v1 != v2;
                pb.push_back(v1);
                pa.push_back(v2);
                double x, y;
                if (code_number(v1, x) && code_number(v2, y)) nb.push_back(x), na.push_back(y);
            }
        }
        ConsensusRule rule = s1.delphi.consensus;
        ItemStats s_first = item_stats(c.key1, "", first, *sc1, rule);
        c.updated = item_stats(c.key1, "", updated, *sc1, rule);
        c.n1 = s_first.n;
        ItemStats sb = item_stats(c.key1, "", pb, *sc1, rule), sa = item_stats(c.key1, "", pa, *sc1, rule);
        double tv = 0;
        for (size_t i = 0; i < sb.distribution.size(); i++)
            tv += std::fabs(share_percent(sa.distribution[i].second, sa.n) - share_percent(sb.distribution[i].second, sb.n));
        c.shift = tv / 2;
        if (s_first.ordinal && nb.size() == pb.size()) c.wilcoxon = wilcoxon_signed_rank(nb, na);
        for (size_t i = 0; i < s_first.distribution.size(); i++) {
            const std::string& code = s_first.distribution[i].first;
            double d = share_percent(c.updated.distribution[i].second, c.updated.n) -
                       share_percent(s_first.distribution[i].second, s_first.n);
            c.category_change.push_back({code, d});
            note_change(c, d, code);
        }
        if (s_first.ordinal) {
            sides(s_first, c.lower1_count, c.upper1_count);
            sides(c.updated, c.lower_updated_count, c.upper_updated_count);
            c.upper1 = share_percent(c.upper1_count, s_first.n);
            c.lower1 = share_percent(c.lower1_count, s_first.n);
            c.upper_updated = share_percent(c.upper_updated_count, c.updated.n);
            c.lower_updated = share_percent(c.lower_updated_count, c.updated.n);
            note_change(c, c.upper_updated - c.upper1, "upper");
            note_change(c, c.lower_updated - c.lower1, "lower");
        }
    }
    c.flagged = std::fabs(c.largest_change) > kStudyTolerance + 1e-9;
    return c;
}

bool analyse_delphi(const Survey& s1, const std::vector<Response>& r1, const Survey& s2,
                    const std::vector<Response>& r2, DelphiAnalysis& out, std::string* error) {
    out = DelphiAnalysis{};
    auto fail = [&](const std::string& m) {
        if (error) *error = m;
        return false;
    };
    if (s1.delphi.round != 1) return fail(s1.id + " is not round 1 of a Delphi study (its \"delphi\" block says round " +
                                          std::to_string(s1.delphi.round) + ")");
    if (s2.delphi.round != 2) return fail(s2.id + " is not round 2 of a Delphi study (its \"delphi\" block says round " +
                                          std::to_string(s2.delphi.round) + ")");
    if (s1.delphi.study != s2.delphi.study)
        return fail("the rounds belong to different studies: '" + s1.delphi.study + "' and '" + s2.delphi.study + "'");
    std::vector<const Response*> a1 = one_per_pseudonym(r1, 1, out.notes), a2 = one_per_pseudonym(r2, 2, out.notes);
    out.round1 = analyse_round(s1, a1);
    out.round2 = analyse_round(s2, a2);

    std::map<std::string, const Response*> by2;
    for (const Response* r : a2)
        if (!r->pseudonym.empty()) by2[r->pseudonym] = r;
    std::set<std::string> in1;
    for (const Response* r : a1)
        if (!r->pseudonym.empty()) {
            in1.insert(r->pseudonym);
            if (by2.count(r->pseudonym)) out.returned++;
            else out.left++;
        }
    for (const auto& [p, r] : by2) out.new_in_round2 += !in1.count(p);
    if (out.new_in_round2)
        out.notes.push_back("round 2: " + std::to_string(out.new_in_round2) +
                            " participant(s) did not answer round 1; they are in round 2's figures, not in the "
                            "updated results of the repeated items");

    for (const DelphiItem& di : s2.delphi.items)
        if (!di.repeats.empty()) out.changes.push_back(compare_item(s1, s2, a1, by2, di));

    for (const RoundItem& it : out.round1.items) {
        if (it.choice || !it.stats.ordinal) continue;
        const std::vector<Option>* scale = delphi_item_scale(s1, it.key);
        if (!scale) continue;
        std::vector<std::string> stayed, left;
        std::vector<double> xs, xl;
        for (const Response* r : a1) {
            if (r->pseudonym.empty()) continue;
            std::string v = item_value(*r, it.key);
            bool stays = by2.count(r->pseudonym) > 0;
            (stays ? stayed : left).push_back(v);
            double x;
            if (in_scale(*scale, v) && code_number(v, x)) (stays ? xs : xl).push_back(x);
        }
        ItemStats a = item_stats(it.key, "", stayed, *scale, s1.delphi.consensus);
        ItemStats b = item_stats(it.key, "", left, *scale, s1.delphi.consensus);
        AttritionItem t;
        t.key = it.key;
        t.label = it.label;
        t.n_stayed = a.n;
        t.n_left = b.n;
        t.median_stayed = a.median;
        t.mean_stayed = a.mean;
        t.median_left = b.median;
        t.mean_left = b.mean;
        t.test = rank_sum_test(xl, xs);
        out.attrition.push_back(t);
    }
    return true;
}

} // namespace tk::delphi
