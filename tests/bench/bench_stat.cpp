// bench_stat.cpp - `export sav` and `export dta` of 100,000 needs-survey responses (the table
// built from the CSV export, then written by ReadStat to a temporary file). Target: <= 5 s
// each. The responses are made in memory (no sealing: decrypt is bench_research's figure).
// bench_main.cpp must call bench_stat().
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include "bench_needs.h"
#include "export_stat.h"
#include "research.h"
#include "survey.h"

namespace {

using Clock = std::chrono::steady_clock;


// Closed answers with every missing case now and then, and a few texts.
tk::DecryptedResponse stat_response(const tk::Survey& s, std::mt19937& rng, int i) {
    tk::DecryptedResponse d;
    d.record_id = "b3e1c0d2b7e4a550-" + std::to_string(1000000 + i);
    tk::Response& r = d.response;
    r = tk::bench::needs_response_head(s, rng, i);
    r.complete = i % 20 != 0;
    for (const tk::Survey::QRef& ref : s.all_questions()) {
        const tk::Question& q = *ref.q;
        if (!q.has_answer()) continue;
        unsigned k = rng() % 20;
        if (k < 3) {
            r.skipped.push_back(q.code);
            continue;
        }
        tk::Answer a;
        if (k == 3) a.no_answer = true;
        else switch (q.type) {
        case tk::QuestionType::SingleChoice:
            a.value = k == 4 && r.channel == tk::kChannelPaper ? "-ill-" : q.options[rng() % q.options.size()].code;
            break;
        case tk::QuestionType::MultipleChoice:
            for (const tk::Option& o : q.options)
                if (rng() % 2) a.values.push_back(o.code);
            break;
        default: tk::bench::fill_other_answer(q, rng, a); break;
        }
        r.answers[q.code] = a;
    }
    return d;
}

} // namespace

void bench_stat() {
    const int N = 100000;
    std::printf("\n== export sav / dta of %d responses (target <= 5 s each) ==\n", N);
    tk::LoadResult lr = tk::load_survey(std::string(TK_SOURCE_DIR) + "/surveys/bedarfe-akteure.json");
    if (!lr.ok()) {
        std::printf("cannot load the needs survey\n");
        return;
    }
    const tk::Survey& s = *lr.survey;
    std::mt19937 rng(7);
    std::vector<tk::DecryptedResponse> rs;
    rs.reserve(N);
    for (int i = 0; i < N; i++) rs.push_back(stat_response(s, rng, i));
    char dir[] = "/tmp/tk-bench-stat-XXXXXX";
    if (!mkdtemp(dir)) return;
    for (tk::StatFormat f : {tk::StatFormat::Sav, tk::StatFormat::Dta}) {
        const char* name = f == tk::StatFormat::Sav ? "sav" : "dta";
        std::string path = std::string(dir) + "/x." + name;
        std::vector<double> wall;
        for (int run = 0; run < 3; run++) {
            auto t0 = Clock::now();
            tk::StatTable t = tk::stat_table(s, rs, f);
            double t_table = tk::bench::seconds_since(t0);
            std::string err;
            bool ok = tk::write_stat_file(s, t, f, path, true, &err);
            double total = tk::bench::seconds_since(t0);
            struct stat st{};
            ::stat(path.c_str(), &st);
            std::printf("export %s run %d: %.2f s (table %.2f s, file %.2f s, %.1f MB, %zu variables)%s%s\n", name, run + 1, total,
                        t_table, total - t_table, double(st.st_size) / 1e6, t.vars.size(), ok ? "" : " FAILED: ", err.c_str());
            wall.push_back(total);
        }
        std::sort(wall.begin(), wall.end());
        std::printf("export %s of %d responses: median %.2f s %s\n", name, N, wall[1], wall[1] <= 5.0 ? "(target met)" : "(TARGET MISSED)");
        ::unlink(path.c_str());
    }
    ::rmdir(dir);
}
