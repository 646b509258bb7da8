// Tests for parallel_for.h, behind opening records (research.cpp) and the CSV export:
// every index exactly once, blocks in the stated sizes, worker numbers in range, exceptions
// reach the caller, small jobs stay on one thread.
#include <doctest/doctest.h>

#include <atomic>
#include <cstddef>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "parallel_for.h"

using namespace tk;

TEST_CASE("parallel_for: every index exactly once, for many shapes of job") {
    for (size_t n : {size_t(0), size_t(1), size_t(63), size_t(64), size_t(65), size_t(1000), size_t(4099)}) {
        for (unsigned workers : {0u, 1u, 2u, 3u, 8u, 33u}) {
            for (size_t block : {size_t(0), size_t(1), size_t(7), size_t(64), size_t(5000)}) {
                CAPTURE(n);
                CAPTURE(workers);
                CAPTURE(block);
                std::vector<std::atomic<int>> hits(n);
                std::atomic<int> bad_block{0}, bad_worker{0};
                size_t want_block = block == 0 ? 1 : block;
                unsigned want_workers = workers == 0 ? 1 : workers;
                parallel_for(n, workers, block, [&](size_t b, size_t e, unsigned w) {
                    // Blocks start on a multiple of the block size and are full but for the last.
                    if (b >= e || e > n || b % want_block != 0 || (e - b != want_block && e != n)) bad_block++;
                    if (w >= want_workers) bad_worker++;
                    for (size_t i = b; i < e && i < n; i++) hits[i]++; // never past the end, even when e is wrong
                });
                int wrong = 0;
                for (auto& h : hits) wrong += h.load() != 1;
                CHECK(wrong == 0);
                CHECK(bad_block == 0);
                CHECK(bad_worker == 0);
            }
        }
    }
}

TEST_CASE("parallel_for: per-worker state needs no lock, and the results add up") {
    const size_t n = 100000;
    const unsigned workers = 4;
    std::vector<unsigned long long> sums(workers, 0); // one per worker: no two threads share one
    parallel_for(n, workers, 64, [&](size_t b, size_t e, unsigned w) {
        for (size_t i = b; i < e; i++) sums[w] += i;
    });
    unsigned long long total = 0;
    for (unsigned long long s : sums) total += s;
    CHECK(total == (unsigned long long)n * (n - 1) / 2);
}

TEST_CASE("parallel_for: blocks keyed by begin / block give an ordered result") {
    // The CSV export's use: one string per block, joined in block order.
    const size_t n = 10007, per = 2502;
    std::vector<std::string> parts((n + per - 1) / per);
    parallel_for(n, 4, per, [&](size_t b, size_t e, unsigned) {
        std::string s;
        for (size_t i = b; i < e; i++) s += std::to_string(i) + ",";
        parts[b / per] = s;
    });
    std::string joined, want;
    for (const std::string& p : parts) joined += p;
    for (size_t i = 0; i < n; i++) want += std::to_string(i) + ",";
    CHECK(joined == want);
}

TEST_CASE("parallel_for: an exception reaches the caller after every thread has stopped") {
    std::atomic<int> after{0};
    std::atomic<int> running{0};
    bool caught = false;
    try {
        parallel_for(100000, 4, 10, [&](size_t b, size_t, unsigned) {
            running++;
            if (b == 500) throw std::runtime_error("block 500 failed");
            if (b > 50000) after++;
            running--;
        });
    } catch (const std::runtime_error& e) {
        caught = std::string(e.what()) == "block 500 failed";
    }
    CHECK(caught);
    // Joined: nobody is inside fn any more (the one that threw never decremented).
    CHECK(running == 1);
    // Handing out stopped: most of the far blocks were never started.
    CHECK(after < 5000);
}

TEST_CASE("parallel_for: the calling thread takes part; a single worker is the caller alone") {
    std::mutex mu;
    std::vector<std::thread::id> ids;
    parallel_for(50, 1, 5, [&](size_t, size_t, unsigned w) {
        std::lock_guard<std::mutex> lock(mu);
        CHECK(w == 0);
        ids.push_back(std::this_thread::get_id());
    });
    REQUIRE(ids.size() == 10);
    for (const std::thread::id& id : ids) CHECK(id == std::this_thread::get_id());
}

TEST_CASE("parallel_workers: one thread for small jobs, at most the cap") {
    CHECK(parallel_workers(0, 256) == 1);
    CHECK(parallel_workers(255, 256) == 1);
    unsigned cores = std::thread::hardware_concurrency();
    unsigned want = cores == 0 ? 1 : (cores < 8 ? cores : 8);
    CHECK(parallel_workers(256, 256) == want);
    CHECK(parallel_workers(1000000, 2000) == want);
    CHECK(parallel_workers(1000000, 2000, 1) == 1);
    CHECK(parallel_workers(1000000, 0, 2) == (cores >= 2 ? 2u : 1u));
}
