// Tests of the Delphi analysis (sync/delphi/delphi_analysis.h): Wilcoxon's signed-rank test
// against a count of every sign assignment done here (not the library's recursion) and a
// hand-worked normal case, attrition and the expertise rule on small hand-checked data, and the
// study's published Delphi shares (questionnaires.md Part 2, with the report's lines) reproduced
// from two rounds built to match the counts the report states, on the shipped surveys.
#include <doctest/doctest.h>
#include <cmath>
#include <cstdio>
#include <map>
#include <random>

#include "delphi_analysis.h"
#include "test_survey.h"

using namespace tk;
using namespace tk::delphi;

static std::shared_ptr<const Survey> shipped(const char* name) {
    LoadResult r = load_survey(std::string(TK_SOURCE_DIR) + "/surveys/" + name);
    for (const LoadError& e : r.errors) MESSAGE(e.to_string());
    REQUIRE(r.ok());
    return r.survey;
}

// --- Wilcoxon --------------------------------------------------------------------------------
// The two-sided exact p by brute force: mid-ranks by counting (rank = #smaller + (#equal + 1) / 2),
// then all 2^n sign assignments, counting those with |W+ - T/2| >= the observed one.
static double brute_force_p(const std::vector<double>& d) {
    size_t n = d.size();
    std::vector<double> rank(n);
    for (size_t i = 0; i < n; i++) {
        double smaller = 0, equal = 0;
        for (size_t j = 0; j < n; j++) {
            smaller += std::fabs(d[j]) < std::fabs(d[i]);
            equal += std::fabs(d[j]) == std::fabs(d[i]);
        }
        rank[i] = smaller + (equal + 1) / 2;
    }
    double total = 0, obs = 0;
    for (size_t i = 0; i < n; i++) {
        total += rank[i];
        if (d[i] > 0) obs += rank[i];
    }
    double far = std::fabs(obs - total / 2), hit = 0, all = 0;
    for (unsigned long mask = 0; mask < (1ul << n); mask++) {
        double w = 0;
        for (size_t i = 0; i < n; i++)
            if (mask & (1ul << i)) w += rank[i];
        all++;
        hit += std::fabs(w - total / 2) >= far - 1e-9;
    }
    return hit / all;
}

TEST_CASE("delphi wilcoxon: exact p, hand cases") {
    // Six differences, all positive, no ties: W+ = 21, and only "all +" and "all -" are that far
    // from the mean 10.5: p = 2 / 64.
    WilcoxonResult w = wilcoxon_signed_rank({1, 1, 1, 1, 1, 1}, {2, 3, 4, 5, 6, 7});
    CHECK(w.exact);
    CHECK(w.nonzero == 6);
    CHECK(w.w_plus == 21);
    CHECK(w.w_minus == 0);
    CHECK(w.p == doctest::Approx(2.0 / 64));
    // Zeros are dropped: the same six and two pairs without change.
    WilcoxonResult z = wilcoxon_signed_rank({1, 1, 1, 1, 1, 1, 3, 4}, {2, 3, 4, 5, 6, 7, 3, 4});
    CHECK(z.pairs == 8);
    CHECK(z.nonzero == 6);
    CHECK(z.p == doctest::Approx(2.0 / 64));
    // Differences +1, -1, +2 (no ties): ranks 1.5, 1.5 (tie of |1|), 3. W+ = 1.5 + 3 = 4.5 of
    // T = 6, mean 3: |4.5 - 3| = 1.5. The 8 assignments give W+ = 0, 1.5, 1.5, 3, 3, 4.5, 4.5, 6;
    // all but the two with W+ = 3 lie 1.5 or more from 3: p = 6 / 8.
    WilcoxonResult t = wilcoxon_signed_rank({0, 1, 0}, {1, 0, 2});
    CHECK(t.w_plus == 4.5);
    CHECK(t.p == doctest::Approx(0.75));
    // No pair differs: nothing to test, p = 1.
    WilcoxonResult none = wilcoxon_signed_rank({3, 4}, {3, 4});
    CHECK(none.nonzero == 0);
    CHECK(none.p == 1);
}

TEST_CASE("delphi wilcoxon: exact p equals counting every sign assignment, with ties") {
    std::mt19937 rng(19);
    for (int trial = 0; trial < 300; trial++) {
        size_t n = 1 + rng() % 14;
        std::vector<double> before, after, d;
        for (size_t i = 0; i < n; i++) {
            double b = double(1 + rng() % 5), a = double(1 + rng() % 5); // 5-point answers: many ties and zeros
            before.push_back(b);
            after.push_back(a);
            if (a != b) d.push_back(a - b);
        }
        WilcoxonResult w = wilcoxon_signed_rank(before, after);
        REQUIRE(w.nonzero == int(d.size()));
        if (d.empty()) continue;
        CHECK(w.exact);
        CHECK(w.p == doctest::Approx(brute_force_p(d)).epsilon(1e-12));
    }
}

TEST_CASE("delphi wilcoxon: normal approximation with the ties correction above the exact limit") {
    // 31 differences of size 1 (one tie group of 31, mid-rank 16), 20 up and 11 down. W+ = 20 * 16
    // = 320, mean 31 * 32 / 4 = 248. With every |d| tied the test is the sign test scaled by 16:
    // var = 16^2 * 31 / 4 = 1984 (what the ties-corrected formula must give), so
    // z = (320 - 248 - 0.5) / sqrt(1984).
    std::vector<double> before(31, 3), after;
    for (int i = 0; i < 31; i++) after.push_back(i < 20 ? 4 : 2);
    WilcoxonResult w = wilcoxon_signed_rank(before, after);
    CHECK_FALSE(w.exact);
    CHECK(w.nonzero == 31);
    CHECK(w.w_plus == 320);
    double z = (320 - 248 - 0.5) / std::sqrt(16.0 * 16.0 * 31 / 4);
    CHECK(w.z == doctest::Approx(z));
    CHECK(w.p == doctest::Approx(std::erfc(z / std::sqrt(2.0))));
    CHECK(w.p > 0.1);
    CHECK(w.p < 0.12);
}

TEST_CASE("delphi shares: rounded half up in integers") {
    CHECK(share_text(13, 20) == "65");
    CHECK(share_text(1, 8, 1) == "12.5");
    CHECK(share_text(1, 3) == "33");
    CHECK(share_text(2, 3) == "67");
    CHECK(share_text(1, 40) == "3"); // 2.5 rounds up
    CHECK(share_text(0, 0) == "0");
}

// --- two rounds on the shipped surveys -----------------------------------------------------------
struct Participant {
    std::string pseudonym;
    Response r1, r2;
    bool returns = false;
};

static void put(Response& r, const std::string& code, const std::string& v) { r.answers[code].value = v; }
static void put_cell(Response& r, const std::string& code, const std::string& row, const std::string& v) {
    r.answers[code].cells[row] = v;
}
static void put_choices(Response& r, const std::string& code, std::vector<std::string> v) { r.answers[code].values = v; }

struct Study {
    std::shared_ptr<const Survey> s1 = shipped("delphi-stufe-1.json"), s2 = shipped("delphi-stufe-2.json");
    std::vector<Participant> people;
    Participant& add(bool returns) {
        Participant p;
        char buf[40];
        std::snprintf(buf, sizeof buf, "%032zx", people.size() + 1);
        p.pseudonym = buf;
        p.returns = returns;
        p.r1.survey_id = s1->id;
        p.r2.survey_id = s2->id;
        p.r1.pseudonym = p.r2.pseudonym = p.pseudonym;
        p.r1.finished = 1000;
        p.r2.finished = 2000;
        people.push_back(p);
        return people.back();
    }
    DelphiAnalysis run() {
        std::vector<Response> a, b;
        for (const Participant& p : people) {
            a.push_back(p.r1);
            if (p.returns) b.push_back(p.r2);
        }
        DelphiAnalysis out;
        std::string err;
        REQUIRE_MESSAGE(analyse_delphi(*s1, a, *s2, b, out, &err), err);
        return out;
    }
};

static const ItemChange& change(const DelphiAnalysis& a, const std::string& key2) {
    for (const ItemChange& c : a.changes)
        if (c.key2 == key2) return c;
    FAIL("no change for " << key2);
    return a.changes.front();
}

TEST_CASE("delphi analysis: attrition counts and the leavers' round-1 answers beside the stayers'") {
    Study st;
    // Statement c (F19): stayers answer 5 and 3 in round 1, leavers 2, 2 and 1.
    const char* r1[] = {"5", "3", "2", "2", "1"};
    for (int i = 0; i < 5; i++) {
        Participant& p = st.add(i < 2);
        put(p.r1, "F19", r1[i]);
        put_cell(p.r2, "F10", "C", "4");
    }
    // One round-2 response without a code: counted in round 2, linked to nobody.
    Response anon;
    anon.survey_id = st.s2->id;
    put_cell(anon, "F10", "C", "1");
    std::vector<Response> a, b;
    for (const Participant& p : st.people) {
        a.push_back(p.r1);
        if (p.returns) b.push_back(p.r2);
    }
    b.push_back(anon);
    DelphiAnalysis an;
    std::string err;
    REQUIRE(analyse_delphi(*st.s1, a, *st.s2, b, an, &err));
    CHECK(an.round1.n == 5);
    CHECK(an.round2.n == 3);
    CHECK(an.round2.with_pseudonym == 2);
    CHECK(an.returned == 2);
    CHECK(an.left == 3);
    CHECK(an.new_in_round2 == 0);
    CHECK_FALSE(an.notes.empty()); // the response without a code is named
    const AttritionItem* t = nullptr;
    for (const AttritionItem& x : an.attrition)
        if (x.key == "F19") t = &x;
    REQUIRE(t);
    CHECK(t->n_stayed == 2);
    CHECK(t->n_left == 3);
    CHECK(t->mean_stayed == doctest::Approx(4.0));  // (5 + 3) / 2
    CHECK(t->median_stayed == doctest::Approx(4.0));
    CHECK(t->mean_left == doctest::Approx(5.0 / 3)); // (2 + 2 + 1) / 3
    CHECK(t->median_left == doctest::Approx(2.0));
    // Round 2's own n counts the response without a code; the update rule does not.
    const RoundItem* c2 = an.round2.find("F10[C]");
    REQUIRE(c2);
    CHECK(c2->stats.n == 3);
    const ItemChange& c = change(an, "F10[C]");
    CHECK(c.paired == 2);
    CHECK(c.changed == 2);
    CHECK(c.updated.n == 5);
    // 5 -> 4 and 3 -> 4: updated 4, 4, 2, 2, 1.
    CHECK(c.updated.distribution[3].second == 2);
    CHECK(c.updated.distribution[4].second == 0);
}

TEST_CASE("delphi analysis: a participant who answered a round twice is counted once, the later answer") {
    Study st;
    Participant& p = st.add(false);
    put(p.r1, "F19", "2");
    Response again = p.r1;
    again.finished = 5000;
    put(again, "F19", "5");
    std::vector<Response> a = {again, p.r1}, b;
    DelphiAnalysis an;
    std::string err;
    REQUIRE(analyse_delphi(*st.s1, a, *st.s2, b, an, &err));
    CHECK(an.round1.n == 1);
    const RoundItem* it = an.round1.find("F19");
    REQUIRE(it);
    CHECK(it->stats.distribution[4].second == 1);
    CHECK(it->stats.distribution[1].second == 0);
    CHECK(an.notes.size() == 1);
}

TEST_CASE("delphi analysis: the rounds must be rounds 1 and 2 of one study") {
    Study st;
    DelphiAnalysis an;
    std::string err;
    CHECK_FALSE(analyse_delphi(*st.s2, {}, *st.s1, {}, an, &err));
    CHECK(err.find("round 1") != std::string::npos);
}

TEST_CASE("delphi analysis: the expertise rule, mean of all against the two highest levels, 5 % of the mean") {
    Study st;
    // F19 (expertise EE, experts: levels 4 and 5). All: 5 4 4 4 4 3 -> mean 4.0; experts (the
    // first five) 5 4 4 4 4 -> 4.2: 5 % exactly, not more, so not flagged.
    const char* v[] = {"5", "4", "4", "4", "4", "3"};
    const char* lv[] = {"5", "4", "5", "4", "4", "2"};
    // F18 (also EE): 5 5 2 2 1 1 -> mean 16/6; experts 5 5 2 2 1 -> 3.0: (3 - 8/3) / (8/3) = 12.5 %.
    const char* b[] = {"5", "5", "2", "2", "1", "1"};
    for (int i = 0; i < 6; i++) {
        Participant& p = st.add(false);
        put(p.r1, "F19", v[i]);
        put(p.r1, "F18", b[i]);
        put(p.r1, "EE", lv[i]);
    }
    // F51 (multiple choice, expertise EG): option 6 chosen by 2 of 4 (50 %), by both experts (100 %).
    put_choices(st.people[0].r1, "F51", {"6"});
    put_choices(st.people[1].r1, "F51", {"6", "7"});
    put_choices(st.people[2].r1, "F51", {"7"});
    put_choices(st.people[3].r1, "F51", {"2"});
    put(st.people[0].r1, "EG", "5");
    put(st.people[1].r1, "EG", "4");
    put(st.people[2].r1, "EG", "3");
    DelphiAnalysis an = st.run();
    const RoundItem* c = an.round1.find("F19");
    REQUIRE(c);
    CHECK(c->expertise.applies);
    CHECK(c->expertise.n_all == 6);
    CHECK(c->expertise.n_expert == 5);
    CHECK(c->expertise.mean_all == doctest::Approx(4.0));
    CHECK(c->expertise.mean_expert == doctest::Approx(4.2));
    CHECK(c->expertise.deviation == doctest::Approx(5.0));
    CHECK_FALSE(c->expertise.flagged);
    const RoundItem* bb = an.round1.find("F18");
    REQUIRE(bb);
    CHECK(bb->expertise.deviation == doctest::Approx(12.5));
    CHECK(bb->expertise.flagged);
    const RoundItem* m = an.round1.find("F51");
    REQUIRE(m);
    CHECK(m->choice);
    CHECK(m->choices.n == 4);
    CHECK(m->choices.count("6") == 2);
    CHECK(m->expertise.n_expert == 2);
    CHECK(m->expertise.experts.count("6") == 2);
    CHECK(m->expertise.deviation == doctest::Approx(50.0)); // option 6: 100 % against 50 %
    CHECK(m->expertise.deviation_where == "6");
    CHECK(m->expertise.flagged);
    // An item without expertise answers from anyone: no experts, nothing flagged.
    const RoundItem* f2 = an.round1.find("F2[S1]");
    REQUIRE(f2);
    CHECK_FALSE(f2->expertise.flagged);
}

// The study: 20 experts in stage 1, 7 of them in stage 2 (L1806-1808, L1848). The report's
// respondent ids of stage 2 are 8, 12, 17, 47, 50, 54 and one never named; the stage-2 ratings
// its comments give (questionnaires.md S2-F10) are used as they are: statement b ID17 = 4,
// ID47 = 4, ID54 = 5; statement c ID8 = 3, ID17 = 3, ID47 = 3, ID50 = 2, ID54 = 1.
TEST_CASE("delphi analysis: the study's published shares are reproduced (statements b and c, F11/F5, F51/F19, F2)") {
    Study st;
    enum { ID8, ID12, ID17, ID47, ID50, ID54, IDX };
    for (int i = 0; i < 20; i++) st.add(i < 7);
    auto P = [&](int i) -> Participant& { return st.people[size_t(i)]; };

    // Statement c (S1-F19 -> S2-F10[C]), L3219-3221: agreement (4 + 5) 80 % -> 65 %, and
    // disagreement (1 + 2) up by the same 15 points. Stage 1: 16 of 20 agree; the seven who come
    // back answered 4, 3, 5, 3, 4, 3, 2 (3 agree, 3 neutral, 1 disagree) and in stage 2
    // 3, 2, 3, 3, 2, 1, 1 (the two unnamed ratings are ID12 = 2 and the seventh = 1).
    const char* c1[] = {"4", "3", "5", "3", "4", "3", "2"};
    const char* c2[] = {"3", "2", "3", "3", "2", "1", "1"};
    // Statement b (S1-F18 -> S2-F10[B]), L3214-3217: "80 %" agree after the repetition, up within
    // the 5 % tolerance: 15 of 20 in stage 1, ID17 moves from 3 to 4.
    const char* b1[] = {"4", "4", "3", "4", "2", "5", "2"};
    const char* b2[] = {"4", "4", "4", "4", "2", "5", "2"};
    for (int i = 0; i < 7; i++) {
        put(P(i).r1, "F19", c1[i]);
        put_cell(P(i).r2, "F10", "C", c2[i]);
        put(P(i).r1, "F18", b1[i]);
        put_cell(P(i).r2, "F10", "B", b2[i]);
    }
    for (int i = 7; i < 20; i++) {
        put(P(i).r1, "F19", i % 2 ? "4" : "5");                      // 13 leavers, all agree
        put(P(i).r1, "F18", i == 7 ? "3" : i == 8 ? "1" : "4");     // 11 of 13 agree
    }

    // F11 -> F5 (danger / opportunity, 1 = sehr große Gefahr ... 4 = sowohl als auch ... 7 = sehr
    // große Chance), L2945-2957: the final shares after the stage-2 update, "innerhalb des
    // Toleranzrahmens von 5 %" of stage 1. Final (of 20):
    //   L1 chance 30 % (3 x 6, 3 x 7), both 65 %, danger 5 % (1 x 2)
    //   L2 chance 30 % (6 x 5), both 50 %, danger 20 % (2 x 2, 2 x 3)
    //   L3 chance 45 % (2 x 6 = the 10 % "große Chance", 7 x 5), both 50 %, danger 5 % (1 x 3)
    //   L4 chance 70 % (4 x 6 + 3 x 7 = half of it "große bis sehr große", 7 x 5), both 25 %, danger 5 % (1 x 2)
    std::map<std::string, std::vector<std::string>> final_f11 = {
        {"L1", {"6", "6", "6", "7", "7", "7", "2", "4", "4", "4", "4", "4", "4", "4", "4", "4", "4", "4", "4", "4"}},
        {"L2", {"5", "5", "5", "5", "5", "5", "2", "2", "3", "3", "4", "4", "4", "4", "4", "4", "4", "4", "4", "4"}},
        {"L3", {"6", "6", "5", "5", "5", "5", "5", "5", "5", "3", "4", "4", "4", "4", "4", "4", "4", "4", "4", "4"}},
        {"L4", {"6", "6", "6", "6", "7", "7", "7", "5", "5", "5", "5", "5", "5", "5", "2", "4", "4", "4", "4", "4"}},
    };
    for (const auto& [row, vals] : final_f11)
        for (int i = 0; i < 20; i++) {
            put_cell(P(i).r1, "F11", row, vals[size_t(i)]);
            if (i < 7) put_cell(P(i).r2, "F5", row, vals[size_t(i)]);
        }
    // In stage 1 one returning expert per level answered one step apart (one person = 5 points).
    put_cell(P(ID8).r1, "F11", "L1", "4");  // 4 -> 6 in stage 2
    put_cell(P(ID12).r1, "F11", "L2", "4"); // 4 -> 5
    put_cell(P(ID17).r1, "F11", "L3", "4"); // 4 -> 5
    put_cell(P(ID47).r1, "F11", "L4", "4"); // 4 -> 6

    // F51 -> F19 (multiple choice), L3453-3459: 15 x "transformationsbedürftig" (7), 15 x
    // "technisch überfordert" (6), 14 x "verunsichert" (5), 7 x "unvorbereitet" (4), 3 x
    // "ausreichend" (2), 2 x "technisch geschult" (3), 0 x "sehr gut" (1). Read here as stage 1
    // updated by stage 2 (the §2.1 rule; questionnaires.md Part 5 no. 13 leaves it open), n = 20.
    for (int i = 0; i < 20; i++) {
        std::vector<std::string> v;
        if (i < 7) v.push_back("4");
        if (i < 14) v.push_back("5");
        if (i < 15) v.push_back("6"), v.push_back("7");
        if (i >= 15 && i < 18) v.push_back("2");
        if (i >= 18) v.push_back("3");
        put_choices(P(i).r1, "F51", v);
        if (i < 7) put_choices(P(i).r2, "F19", v);
    }
    put_choices(P(ID54).r1, "F51", {"6", "7"}); // in stage 1 without 4 and 5, added them in stage 2

    // S1-F2 (stage 1 only), L2778-2782: % "stark + sehr stark" (4 + 5) of 20.
    std::map<std::string, int> f2 = {{"Handel und Wirtschaft", 15}, {"Infrastruktur", 15}, {"Mobilität", 13},
                                     {"Gesundheit", 12},            {"Bildung", 11},       {"Sicherheit", 9},
                                     {"Stadtentwicklung", 8},       {"Kultur", 4}};
    const Question* qf2 = st.s1->find_question("F2");
    REQUIRE(qf2);
    for (const Row& row : qf2->rows) {
        int strong = f2.at(row.text.get("de", "de"));
        for (int i = 0; i < 20; i++) put_cell(P(i).r1, "F2", row.code, i < strong ? (i % 2 ? "4" : "5") : (i % 3 ? "3" : "2"));
    }

    DelphiAnalysis an = st.run();
    CHECK(an.round1.n == 20);
    CHECK(an.round2.n == 7);
    CHECK(an.returned == 7);
    CHECK(an.left == 13);

    // Statement c: 80 % -> 65 %, disagreement +15 points, flagged (more than 5 points).
    const ItemChange& c = change(an, "F10[C]");
    CHECK(c.key1 == "F19");
    CHECK(c.n1 == 20);
    CHECK(c.updated.n == 20);
    CHECK(share_text(c.upper1_count, c.n1) == "80");
    CHECK(share_text(c.upper_updated_count, c.updated.n) == "65");
    CHECK(std::lround(c.lower_updated - c.lower1) == 15);
    CHECK(c.flagged);
    CHECK(c.paired == 7);
    CHECK(c.changed == 6);
    // Every one of the six changes went down: W+ = 0, and only that assignment and its mirror
    // image are as extreme: p = 2 / 2^6.
    CHECK(c.wilcoxon.nonzero == 6);
    CHECK(c.wilcoxon.w_plus == 0);
    CHECK(c.wilcoxon.exact);
    CHECK(c.wilcoxon.p == doctest::Approx(2.0 / 64));

    // Statement b: 75 % -> 80 %, within the tolerance (5 points is not more than 5).
    const ItemChange& b = change(an, "F10[B]");
    CHECK(share_text(b.upper1_count, b.n1) == "75");
    CHECK(share_text(b.upper_updated_count, b.updated.n) == "80");
    CHECK_FALSE(b.flagged);

    // F11 -> F5: the published final shares, each within the 5 % tolerance of stage 1.
    struct Shares { const char* row; const char* chance; const char* both; const char* danger; };
    for (Shares s : {Shares{"L1", "30", "65", "5"}, Shares{"L2", "30", "50", "20"}, Shares{"L3", "45", "50", "5"},
                     Shares{"L4", "70", "25", "5"}}) {
        CAPTURE(s.row);
        const ItemChange& f = change(an, std::string("F5[") + s.row + "]");
        CHECK(f.key1 == std::string("F11[") + s.row + "]");
        CHECK(share_text(f.upper_updated_count, f.updated.n) == s.chance);
        CHECK(share_text(f.updated.distribution[3].second, f.updated.n) == s.both);
        CHECK(share_text(f.lower_updated_count, f.updated.n) == s.danger);
        CHECK_FALSE(f.flagged);
        CHECK(f.changed == 1);
    }
    // The finer figures of the same lines: 10 % "große Chance" for L3, 35 % "große bis sehr große" for L4.
    CHECK(share_text(change(an, "F5[L3]").updated.distribution[5].second, 20) == "10");
    const ItemStats& l4 = change(an, "F5[L4]").updated;
    CHECK(share_text(l4.distribution[5].second + l4.distribution[6].second, 20) == "35");

    // F51 -> F19: the published counts, and the critical three nine times the positive three (L526).
    const ItemChange& m = change(an, "F19");
    CHECK(m.choice);
    CHECK(m.updated_choices.n == 20);
    std::map<std::string, int> published = {{"1", 0}, {"2", 3}, {"3", 2}, {"4", 7}, {"5", 14}, {"6", 15}, {"7", 15}};
    for (const auto& [code, k] : published) CHECK(m.updated_choices.count(code) == k);
    CHECK(m.paired == 7);
    CHECK(m.changed == 1);
    // ID54 added options 4 and 5: each moves by one person of 20.
    CHECK(std::fabs(m.largest_change) == doctest::Approx(5.0));
    CHECK_FALSE(m.flagged);

    // S1-F2: stage 1's own shares, n = 20.
    for (const Row& row : qf2->rows) {
        const RoundItem* it = an.round1.find("F2[" + row.code + "]");
        REQUIRE(it);
        CHECK(it->stats.n == 20);
        int strong = it->stats.distribution[3].second + it->stats.distribution[4].second;
        CHECK(share_text(strong, it->stats.n) == std::to_string(f2.at(row.text.get("de", "de")) * 5));
    }
}

// --- rank sum ----------------------------------------------------------------------------------
// The two-sided exact p by brute force: mid-ranks by counting, then every way to pick a's
// positions among all N values (bit masks with m bits set).
static double brute_force_rank_sum_p(const std::vector<double>& a, const std::vector<double>& b) {
    std::vector<double> all(a);
    all.insert(all.end(), b.begin(), b.end());
    size_t n = all.size(), m = a.size();
    std::vector<double> rank(n);
    for (size_t i = 0; i < n; i++) {
        double smaller = 0, equal = 0;
        for (double y : all) smaller += y < all[i], equal += y == all[i];
        rank[i] = smaller + (equal + 1) / 2;
    }
    double obs = 0;
    for (size_t i = 0; i < m; i++) obs += rank[i];
    double mean = double(m) * double(n + 1) / 2, hit = 0, ways = 0;
    for (unsigned long mask = 0; mask < (1ul << n); mask++) {
        if (size_t(__builtin_popcountl(mask)) != m) continue;
        double w = 0;
        for (size_t i = 0; i < n; i++)
            if (mask & (1ul << i)) w += rank[i];
        ways++;
        hit += std::fabs(w - mean) >= std::fabs(obs - mean) - 1e-9;
    }
    return hit / ways;
}

TEST_CASE("delphi rank sum: exact p, a hand case and a count of every split") {
    // a = {1, 2}, b = {3, 4, 5}: W = 3, the smallest of the C(5,2) = 10 sums; the mean is 6, and
    // only {1,2} (3) and {4,5} (9) lie 3 away: p = 2 / 10. U = 3 - 3 = 0.
    RankSumResult t = rank_sum_test({1, 2}, {3, 4, 5});
    CHECK(t.exact);
    CHECK(t.w == 3);
    CHECK(t.u == 0);
    CHECK(t.p == doctest::Approx(0.2));
    CHECK(rank_sum_test({}, {1, 2}).p == 1);
    CHECK(rank_sum_test({3, 3}, {3, 3, 3}).p == 1);
    std::mt19937 rng(1947);
    for (int trial = 0; trial < 200; trial++) {
        size_t m = 1 + rng() % 6, n = 1 + rng() % 8;
        std::vector<double> a, b;
        for (size_t i = 0; i < m; i++) a.push_back(double(1 + rng() % 5));
        for (size_t i = 0; i < n; i++) b.push_back(double(1 + rng() % 5));
        RankSumResult r = rank_sum_test(a, b);
        bool all_equal = true;
        for (double x : a) for (double y : b) all_equal = all_equal && x == y;
        for (double x : a) all_equal = all_equal && x == a[0];
        if (all_equal) continue;
        CHECK(r.exact);
        CHECK(r.p == doctest::Approx(brute_force_rank_sum_p(a, b)).epsilon(1e-12));
    }
}

TEST_CASE("delphi rank sum: normal approximation with the ties correction above the exact limit") {
    // a = 20 x 1 and 11 x 2, b = 10 x 1 and 20 x 2 (N = 61, above the exact limit). Two tie
    // groups: 30 ones (mid-rank 15.5) and 31 twos (mid-rank 46). W = 20 * 15.5 + 11 * 46 = 816, U = 816 - 31 * 32 / 2 = 320, mean of U =
    // 31 * 30 / 2 = 465. With only two distinct values the test is the 2 x 2 table's, and
    // var(U) = m n / 12 (N + 1 - (30^3 - 30 + 31^3 - 31) / (N (N - 1))), worked out here.
    std::vector<double> a, b;
    for (int i = 0; i < 20; i++) a.push_back(1);
    for (int i = 0; i < 11; i++) a.push_back(2);
    for (int i = 0; i < 10; i++) b.push_back(1);
    for (int i = 0; i < 20; i++) b.push_back(2);
    RankSumResult t = rank_sum_test(a, b);
    CHECK_FALSE(t.exact);
    CHECK(t.w == 816);
    CHECK(t.u == 320);
    double var = 31.0 * 30 / 12 * (62 - (30.0 * 30 * 30 - 30 + 31.0 * 31 * 31 - 31) / (61.0 * 60));
    // The same variance as the 2 x 2 table's hypergeometric one, scaled by the gap between the
    // two mid-ranks (46 - 15.5 = 30.5): var(ones in a) = m n K (N - K) / (N^2 (N - 1)), K = 30.
    CHECK(var == doctest::Approx(30.5 * 30.5 * 31 * 30 * 30.0 * 31 / (61.0 * 61 * 60)));
    double z = (320 - 465 + 0.5) / std::sqrt(var);
    CHECK(t.z == doctest::Approx(z));
    CHECK(t.p == doctest::Approx(std::erfc(std::fabs(z) / std::sqrt(2.0))));
}
