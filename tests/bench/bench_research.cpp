// bench_research.cpp - the researchers' side at the scale of a whole season:
// decrypt (signature check, open, parse) + CSV export of 100,000 needs-survey responses.
// Target (issue 5): <= 10 s. Sealing the records first is set-up and not timed.
// bench_main.cpp must call bench_research().
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <sodium.h>
#include <string>
#include <sys/resource.h>
#include <thread>
#include <vector>

#include "bench_needs.h"
#include "export_csv.h"
#include "keys.h"
#include "record.h"
#include "research.h"
#include "survey.h"

namespace {

using Clock = std::chrono::steady_clock;

using tk::bench::seconds_since;

// CPU seconds of the whole process (all threads): on a shared, loaded machine the wall clock
// says little, so both are printed.
double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// A plausible response to the needs survey: closed answers, a few texts, some skipped.
tk::Response needs_response(const tk::Survey& s, std::mt19937& rng, int i) {
    tk::Response r = tk::bench::needs_response_head(s, rng, i);
    for (const tk::Survey::QRef& ref : s.all_questions()) {
        const tk::Question& q = *ref.q;
        if (!q.has_answer()) continue;
        if (rng() % 5 == 0) {
            r.skipped.push_back(q.code);
            continue;
        }
        tk::Answer a;
        switch (q.type) {
        case tk::QuestionType::SingleChoice: a.value = q.options[rng() % q.options.size()].code; break;
        case tk::QuestionType::MultipleChoice:
            for (const tk::Option& o : q.options)
                if (rng() % 2) a.values.push_back(o.code);
            if (a.values.empty()) a.values.push_back(q.options[0].code);
            break;
        default: tk::bench::fill_other_answer(q, rng, a); break;
        }
        if (rng() % 10 == 0 && q.is_closed()) a.comment = "Kommentar, mit \"Anführungszeichen\"";
        r.answers[q.code] = a;
    }
    return r;
}

} // namespace

void bench_research() {
    const int N = 100000;
    std::printf("\n== research: decrypt + CSV export of %d responses (target <= 10 s) ==\n", N);
    if (sodium_init() < 0) return;
    tk::LoadResult lr = tk::load_survey(std::string(TK_SOURCE_DIR) + "/surveys/bedarfe-akteure.json");
    if (!lr.ok()) {
        std::printf("cannot load the needs survey\n");
        return;
    }
    const tk::Survey& s = *lr.survey;

    // Set-up: one research key pair, one device, N sealed chained records.
    tk::ResearchSecretKey key;
    crypto_box_keypair(key.pub.box_pk, key.box_sk);
    crypto_sign_keypair(key.pub.sign_pk, key.sign_sk);
    uint8_t dev_pk[32], dev_sk[64];
    crypto_sign_keypair(dev_pk, dev_sk);
    std::mt19937 rng(5);
    std::vector<tk::Record> records;
    records.reserve(N);
    auto t0 = Clock::now();
    size_t plain_bytes = 0;
    {
        // One seal session (ephemeral key) per record, as the kiosk's append_response does:
        // every record then costs the research side its own X25519 agreement.
        tk::Hash32 prev{};
        for (int i = 0; i < N; i++) {
            tk::SealSession session;
            tk::begin_seal_session(key.pub.box_pk, session);
            tk::Response r = needs_response(s, rng, i);
            std::string plain = tk::serialize_response(r);
            plain_bytes += plain.size();
            tk::RecordMeta m{r.survey_id, r.survey_hash, r.channel, r.site, r.finished};
            tk::Record rec;
            std::string err;
            if (!tk::seal_record(plain, m, session, dev_sk, uint64_t(i + 1), prev, rec, &err)) {
                std::printf("seal failed: %s\n", err.c_str());
                return;
            }
            prev = tk::record_hash(rec);
            records.push_back(std::move(rec));
        }
    }
    std::printf("set-up: %d records sealed in %.2f s (%.0f bytes of response each)\n", N, seconds_since(t0),
                double(plain_bytes) / N);

    // The same records are decrypted and exported kRuns times; the median is the figure (a
    // shared machine's load comes and goes).
    const int kRuns = 3;
    std::vector<double> wall, cpu;
    for (int run = 0; run < kRuns; run++) {
        t0 = Clock::now();
        double c0 = cpu_seconds();
        tk::DecryptResult dr = tk::decrypt_records(records, key, "bench");
        double t_dec = seconds_since(t0), c_dec = cpu_seconds() - c0;
        auto t1 = Clock::now();
        c0 = cpu_seconds();
        std::string csv = tk::export_csv(s, dr.responses, tk::CsvOptions{});
        double t_csv = seconds_since(t1), c_csv = cpu_seconds() - c0;
        std::printf("run %d: decrypt: %.2f s wall, %.2f s CPU (%zu responses, %zu problems) | CSV: %.2f s wall, %.2f s CPU (%.1f MB)\n",
                    run + 1, t_dec, c_dec, dr.responses.size(), dr.problems.size(), t_csv, c_csv, double(csv.size()) / 1e6);
        wall.push_back(t_dec + t_csv);
        cpu.push_back(c_dec + c_csv);
    }
    std::sort(wall.begin(), wall.end());
    std::sort(cpu.begin(), cpu.end());
    double total = wall[kRuns / 2];
    std::printf("decrypt + CSV of %d responses: median %.2f s wall %s, median %.2f s CPU on %u cores\n", N, total,
                total <= 10.0 ? "(target met)" : "(TARGET MISSED)", cpu[kRuns / 2], std::thread::hardware_concurrency());
}
