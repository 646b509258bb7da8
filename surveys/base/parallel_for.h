// parallel_for.h - spreading independent work over the cores, the one way the tree does it.
//
//   parallel_workers  how many threads a job of n items is worth (1 for small jobs, at most 8)
//   parallel_for      fn(begin, end, worker) over [0, n) in blocks, on that many threads
//
// Opening a season of records and formatting 100,000 CSV rows are the two users. Blocks are
// handed out in order from one counter as threads come free, so a slow block never holds up
// the others; `worker` (0 = the calling thread) lets a caller keep one scratch state per
// thread (a key cache, an output buffer) without locks. The function returns only when every
// block is done and every thread joined; an exception thrown by fn stops the handing out and
// is rethrown to the caller, where the single-threaded code would have thrown it.
#pragma once
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace tk {

// 1 when n < min_items (starting threads costs more than the work), else the cores the
// machine reports, at most `most` (beyond that the jobs here wait on memory, not on cores).
inline unsigned parallel_workers(size_t n, size_t min_items, unsigned most = 8) {
    if (n < min_items) return 1;
    unsigned cores = std::thread::hardware_concurrency(); // 0 when unknown
    return std::max(1u, std::min(most, cores));
}

// Calls fn(begin, end, worker) for consecutive blocks [begin, end) of at most `block` items
// that together cover [0, n) exactly once, with worker < workers. The calling thread is
// worker 0 and works too; if the system refuses more threads, fewer do all the work.
template <class Fn>
void parallel_for(size_t n, unsigned workers, size_t block, Fn&& fn) {
    if (block == 0) block = 1;
    if (workers == 0) workers = 1;
    std::atomic<size_t> next{0};
    std::atomic<bool> stop{false};
    std::exception_ptr failure;
    std::mutex failure_mu;
    auto work = [&](unsigned worker) {
        try {
            while (!stop.load(std::memory_order_relaxed)) {
                size_t begin = next.fetch_add(block);
                if (begin >= n) break;
                fn(begin, n - begin < block ? n : begin + block, worker);
            }
        } catch (...) {
            std::lock_guard<std::mutex> lock(failure_mu);
            if (!failure) failure = std::current_exception();
            stop = true;
        }
    };
    std::vector<std::thread> pool;
    for (unsigned w = 1; w < workers; w++) {
        try {
            pool.emplace_back(work, w);
        } catch (const std::system_error&) {
            break; // no more threads to be had: the ones running share the blocks
        }
    }
    work(0);
    for (std::thread& t : pool) t.join();
    if (failure) std::rethrow_exception(failure);
}

} // namespace tk
