// Crash test: a child process writes records and is killed with SIGKILL at a random moment;
// every record it was told is durable must be there, intact and in an unbroken chain.
#include <doctest/doctest.h>
#include <chrono>
#include <csignal>
#include <cstring>
#include <random>
#include <set>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sync_testutil.h"
#include "vault.h"

using namespace tk;

// The child: opens the vault (creating it on the first run), appends up to `count` records
// and writes each acknowledged record's sequence number to `fd` right after append returned
// durable. It never returns.
[[noreturn]] static void crash_child(const std::string& dir, int fd, int count, uint32_t seed) {
    std::string err;
    auto v = Vault::open(dir, true, &err);
    if (!v) _exit(3);
    std::mt19937 rng(seed);
    for (int i = 0; i < count; i++) {
        RecordMeta m;
        m.survey_id = i % 3 ? "buerger-digital" : "bedarfe-akteure";
        m.survey_hash = "sha256:feed";
        m.channel = i % 5 ? "kiosk" : "assisted";
        m.site = "Stadtbibliothek";
        m.time = 1764086583 + i;
        std::string plain = "{\"answers\":{\"A1\":{\"value\":\"" + std::string(50 + rng() % 2000, 'a' + i % 26) + "\"}}}";
        AppendResult r = v->append_plain(plain, m);
        if (!r.durable) _exit(4);
        uint64_t seq = std::stoull(r.record_id.substr(r.record_id.find('-') + 1));
        if (write(fd, &seq, sizeof seq) != (ssize_t)sizeof seq) _exit(5);
    }
    _exit(0);
}

TEST_CASE("vault: SIGKILL at random moments never loses an acknowledged record") {
    tk::test::TempDir d;
    std::mt19937 rng(20261125);
    std::set<uint64_t> acked;
    const int runs = 24;
    int killed = 0;
    auto t0 = std::chrono::steady_clock::now();
    for (int run = 0; run < runs; run++) {
        int fds[2];
        REQUIRE(pipe(fds) == 0);
        pid_t pid = fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            close(fds[0]);
            crash_child(d.path, fds[1], 1000, (uint32_t)run);
        }
        close(fds[1]);
        // Kill anywhere from "still opening" to "deep in the writes".
        useconds_t delay = (useconds_t)(rng() % 400000);
        usleep(delay);
        if (kill(pid, SIGKILL) == 0) killed++;
        int status = 0;
        waitpid(pid, &status, 0);
        uint64_t seq;
        ssize_t n;
        while ((n = read(fds[0], &seq, sizeof seq)) == (ssize_t)sizeof seq) acked.insert(seq);
        close(fds[0]);
        REQUIRE_MESSAGE((WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 0)),
                        "child failed on its own, exit " << WEXITSTATUS(status));

        if (run == 0 && acked.empty()) continue; // killed before the vault existed at all
        std::string err;
        VaultOpenOptions ro;
        ro.create = false;
        auto v = Vault::open(d.path, ro, &err);
        REQUIRE_MESSAGE(v, err);
        VerifyReport rep = v->verify(); // integrity_check, sequence, chain, signatures, head
        REQUIRE_MESSAGE(rep.ok, "run " << run << ": " << (rep.problems.empty() ? "" : rep.problems[0]));
        std::vector<Record> recs;
        REQUIRE(v->read_records(0, SIZE_MAX, recs, &err));
        std::set<uint64_t> present;
        for (auto& r : recs) present.insert(r.seq);
        for (uint64_t s : acked) REQUIRE_MESSAGE(present.count(s), "run " << run << ": acknowledged record " << s << " lost");
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    MESSAGE(runs << " runs, " << killed << " killed, " << acked.size() << " acknowledged records, " << secs << " s");
    CHECK(killed >= runs / 2); // the test must actually crash the writer most of the time
    CHECK(acked.size() > 50);
    // The writer can carry on after all those crashes.
    std::string err;
    auto v = Vault::open(d.path, true, &err);
    REQUIRE_MESSAGE(v, err);
    CHECK(v->append_plain("{}", RecordMeta{"buerger-digital", "sha256:feed", "kiosk", "Stadtbibliothek", 1764086583}).durable);
    CHECK(v->verify().ok);
}
