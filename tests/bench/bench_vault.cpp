// bench_vault.cpp - how fast and how compact the vault is.
//   1. submit -> durable: one response per commit, full fsync (what the kiosk does)
//   2. sustained records/s with append_batch (imports of paper sheets)
//   3. bytes on disk per record against the plain-text size
// Targets (issue 3): p99 <= 20 ms, >= 5,000 records/s batched, overhead <= 120 bytes/record.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <sys/stat.h>
#include <vector>

#include "response.h"
#include "sample_response.h"
#include "vault.h"

namespace {

using Clock = std::chrono::steady_clock;

// A response shaped like the citizen kiosk survey: ~30 questions, mostly closed, a few texts.
tk::Response sample_response(std::mt19937& rng) {
    tk::Response r = tk::test::finished_response(1764086000, 300 + (int64_t)(rng() % 600), "buerger-digital",
                                                 tk::test::kBenchHash, "1.0", "Stadtbibliothek, Interneterfahrungsort");
    static const char* words[] = {"Online-Banking", "Termine beim Amt", "Videotelefonie mit Enkeln", "Fahrkarten",
                                  "Hilfe", "Kurse", "Passwörter", "keine Zeit", "zu teuer", "Angst vor Betrug"};
    for (int q = 1; q <= 30; q++) {
        std::string code = std::string(1, (char)('A' + q / 10)) + std::to_string(q % 10 + 1);
        tk::Answer a;
        switch (q % 6) {
        case 0: a.value = words[rng() % 10]; a.value += " und "; a.value += words[rng() % 10]; break;
        case 1: a.values = {"A1", "A" + std::to_string(2 + rng() % 5)}; break;
        case 2: a.cells = {{"SQ001", "A" + std::to_string(1 + rng() % 5)}, {"SQ002", "A" + std::to_string(1 + rng() % 5)},
                           {"SQ003", "A" + std::to_string(1 + rng() % 5)}}; break;
        case 3: a.value = std::to_string(1 + rng() % 5); break;
        case 4: a.value = rng() % 2 ? "Y" : "N"; break;
        default: a.value = "A" + std::to_string(1 + rng() % 6); break;
        }
        if (rng() % 7 == 0) a = tk::Answer{}, a.no_answer = true;
        r.answers[code] = a;
    }
    r.skipped = {"B3"};
    r.not_shown = {"C4", "C5"};
    return r;
}

double pct(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    size_t i = (size_t)(p * (double)(v.size() - 1) + 0.5);
    return v[i];
}

long long dir_bytes(const std::string& dir) {
    long long n = 0;
    for (auto& e : std::filesystem::directory_iterator(dir))
        if (e.path().filename().string().rfind("vault.sqlite", 0) == 0) n += (long long)e.file_size();
    return n;
}

std::string temp_dir() {
    std::string t = (std::filesystem::temp_directory_path() / "tk-bench-XXXXXX").string();
    return mkdtemp(t.data()) ? t : std::string();
}

} // namespace

void bench_vault() {
    std::mt19937 rng(1);
    std::string err;

    // 1. submit -> durable, one commit with fsync per response.
    std::string d1 = temp_dir();
    {
        auto v = tk::Vault::open(d1, true, &err);
        if (!v) { std::fprintf(stderr, "bench_vault: %s\n", err.c_str()); return; }
        std::vector<double> ms;
        size_t plain_total = 0;
        const int n = 400;
        for (int i = 0; i < n; i++) {
            tk::Response r = sample_response(rng);
            plain_total += tk::serialize_response(r).size();
            auto t = Clock::now();
            tk::AppendResult res = v->append_response(r); // seal + sign + commit(fsync)
            ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
            if (!res.durable) { std::fprintf(stderr, "bench_vault: %s\n", res.error.c_str()); return; }
        }
        std::printf("vault: submit->durable (full fsync, %d responses, %zu B plain each): median %.2f ms, p99 %.2f ms, max %.2f ms  [target p99 <= 20 ms]\n",
                    n, plain_total / n, pct(ms, 0.5), pct(ms, 0.99), pct(ms, 1.0));
    }

    // 2. batched bulk writes, and 3. bytes on disk.
    std::string d2 = temp_dir();
    {
        std::vector<tk::PlainRecord> all;
        const int n = 20000, batch = 500;
        size_t plain_total = 0;
        for (int i = 0; i < n; i++) {
            tk::Response r = sample_response(rng);
            r.channel = tk::kChannelPaper;
            tk::PlainRecord p;
            p.canonical_bytes = tk::serialize_response(r);
            p.meta = {r.survey_id, r.survey_hash, r.channel, r.site, r.finished};
            plain_total += p.canonical_bytes.size();
            all.push_back(std::move(p));
        }
        {
            auto v = tk::Vault::open(d2, true, &err);
            if (!v) { std::fprintf(stderr, "bench_vault: %s\n", err.c_str()); return; }
            auto t = Clock::now();
            for (int i = 0; i < n; i += batch) {
                std::vector<tk::PlainRecord> part(all.begin() + i, all.begin() + i + batch);
                for (auto& res : v->append_batch(part))
                    if (!res.durable) { std::fprintf(stderr, "bench_vault: %s\n", res.error.c_str()); return; }
            }
            double s = std::chrono::duration<double>(Clock::now() - t).count();
            std::printf("vault: batched (%d records, %d per commit): %.0f records/s  [target >= 5000]\n", n, batch, n / s);
        } // closing checkpoints the WAL into vault.sqlite
        long long bytes = dir_bytes(d2);
        double per = (double)bytes / n, plain = (double)plain_total / n;
        std::printf("vault: on disk %.1f B/record vs %.1f B plain text: overhead %+.1f B/record  [target <= 120]\n",
                    per, plain, per - plain);
    }
    // The same for text that does not compress (long free-text answers): the fixed cost of
    // the seal (48 B), the signature (64 B) and the row, without the codec's help.
    std::string d3 = temp_dir();
    {
        const int n = 3000;
        std::vector<tk::PlainRecord> all(n);
        size_t plain_total = 0;
        for (auto& p : all) {
            p.canonical_bytes.resize(1328);
            for (auto& c : p.canonical_bytes) c = (char)('!' + rng() % 90);
            p.meta = {"buerger-digital", "sha256:4f2a", "paper", "Stadtbibliothek", 1764086000};
            plain_total += p.canonical_bytes.size();
        }
        {
            auto v = tk::Vault::open(d3, true, &err);
            if (!v) { std::fprintf(stderr, "bench_vault: %s\n", err.c_str()); return; }
            for (int i = 0; i < n; i += 500) {
                std::vector<tk::PlainRecord> part(all.begin() + i, all.begin() + i + 500);
                v->append_batch(part);
            }
        }
        double per = (double)dir_bytes(d3) / n, plain = (double)plain_total / n;
        std::printf("vault: incompressible text: on disk %.1f B/record vs %.1f B plain: overhead %+.1f B/record\n",
                    per, plain, per - plain);
    }
    std::error_code ec;
    std::filesystem::remove_all(d3, ec);
    std::filesystem::remove_all(d1, ec);
    std::filesystem::remove_all(d2, ec);
}
