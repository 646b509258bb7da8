// bench_sync.cpp - how fast the transport is, over loopback with a real server (in process).
//   1. sync of 10,000 responses from a kiosk vault (target <= 3 s, issue 5)
//   2. server ingest with 20 devices uploading at once (target >= 2,000 responses/s)
//   3. the process's resident memory under that load (server and clients share the process,
//      so this is an upper bound for the server)
//   4. a real client's p99 latency (GET /v1/health, new connection each) with 100 slow-loris
//      connections open (one header line a second, from 10 loopback addresses), and without
//   5. ingest from 40 devices into real `teilhabe-server` processes, side by side: SQLite with
//      one process, PostgreSQL (TK_PG_URL; e.g. tests/common/pg_cluster.sh run STATE bench sync)
//      with one and with three processes on the same database (responses/s, p99 upload latency;
//      goal >= 10,000/s with three, and more processes must not be slower)
// Each figure is the median of kRuns runs (a shared machine's load comes and goes); every run
// uses fresh devices, so nothing is a replay.
#include <algorithm>
#include <arpa/inet.h>
#include <cstring>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <httplib.h>
#include <random>
#include <signal.h>
#include <sodium.h>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <vector>

#include "bundle.h"
#include "http_front.h"
#include "response.h"
#include "sample_response.h"
#include "server_api.h"
#include "server_store.h"
#include "sync_client.h"
#include "vault.h"

namespace {

using Clock = std::chrono::steady_clock;

std::string temp_dir(const char* tag) {
    std::string t = (std::filesystem::temp_directory_path() / (std::string("tk-bench-") + tag + "-XXXXXX")).string();
    std::vector<char> b(t.begin(), t.end());
    b.push_back('\0');
    return mkdtemp(b.data()) ? b.data() : "";
}

// A plausible kiosk response: 30 answers, some free text.
std::string response_bytes(std::mt19937& rng, int i) {
    tk::Response r = tk::test::finished_response(1764086000 + i * 60, 300 + (int64_t)(rng() % 600), "buerger-digital",
                                                 tk::test::kBenchHash);
    for (int q = 1; q <= 30; q++) {
        tk::Answer a;
        if (q % 7 == 0) a.value = "Freitext " + std::to_string(rng() % 100000) + " Online-Banking und Termine beim Amt";
        else a.value = "A" + std::to_string(1 + rng() % 5);
        r.answers["Q" + std::to_string(q)] = a;
    }
    return tk::serialize_response(r);
}

struct Server {
    std::string dir = temp_dir("server");
    std::unique_ptr<tk::ServerStore> store;
    std::unique_ptr<tk::ServerApi> api;
    std::unique_ptr<tk::HttpFront> srv;
    std::thread th;
    int port = 0;
    bool start() {
        std::string err;
        store = tk::ServerStore::open(dir, true, &err);
        if (!store) {
            std::printf("  server store: %s\n", err.c_str());
            return false;
        }
        tk::ServerConfig cfg;
        cfg.log = [](const std::string&) {};
        cfg.rate_per_s = 1000;
        cfg.rate_burst = 1000;
        cfg.threads = 24;
        api = std::make_unique<tk::ServerApi>(*store, cfg);
        srv = std::make_unique<tk::HttpFront>(api->front_config());
        api->mount(*srv);
        port = srv->bind_to_any_port("127.0.0.1");
        th = std::thread([this] { srv->listen_after_bind(); });
        for (int i = 0; i < 400 && !srv->is_running(); i++) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        return port > 0;
    }
    ~Server() {
        if (srv) srv->stop();
        if (th.joinable()) th.join();
        store.reset();
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
};

const int kRuns = 3;

// "VmRSS" (resident now) or "VmHWM" (the peak) of this process, in KiB.
long status_kib(const char* field) {
    std::ifstream f("/proc/self/status");
    std::string line, key = std::string(field) + ":";
    while (std::getline(f, line))
        if (line.rfind(key, 0) == 0) return std::atol(line.c_str() + key.size());
    return -1;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

std::string list(const std::vector<double>& v, const char* fmt) {
    std::string s;
    char buf[32];
    for (double x : v) {
        std::snprintf(buf, sizeof buf, fmt, x);
        if (!s.empty()) s += ' ';
        s += buf;
    }
    return s;
}

// Seconds for one sync of n fresh responses, or -1.
double bench_vault_sync(Server& s) {
    const int n = 10000;
    std::string kdir = temp_dir("kiosk"), err;
    tk::VaultOpenOptions o;
    o.allow_demo_key = true;
    auto v = tk::Vault::open(kdir, o, &err);
    if (!v) {
        std::printf("  vault: %s\n", err.c_str());
        return -1;
    }
    std::mt19937 rng(5);
    std::vector<tk::PlainRecord> items;
    for (int i = 0; i < n; i++) {
        tk::PlainRecord p;
        p.canonical_bytes = response_bytes(rng, i);
        p.meta = {"buerger-digital", "sha256:4f2a", "kiosk", "Stadtbibliothek", 1764086000 + i * 60};
        items.push_back(std::move(p));
    }
    v->append_batch(items);
    std::string code = s.store->new_pairing_code("", 1, nullptr);
    if (!tk::enrol_device(*v, s.url(), code, tk::SyncOptions{}, nullptr, &err)) {
        std::printf("  enrol: %s\n", err.c_str());
        return -1;
    }
    auto t0 = Clock::now();
    tk::SyncResult r = tk::sync_once(*v, s.url(), nullptr);
    double secs = std::chrono::duration<double>(Clock::now() - t0).count();
    if (!r.ok || r.stored != n)
        std::printf("  sync of %d responses: %s (stored %lld)\n", n, r.ok ? "incomplete" : r.error.c_str(), (long long)r.stored);
    v.reset();
    std::error_code ec;
    std::filesystem::remove_all(kdir, ec);
    return r.ok && r.stored == n ? secs : -1;
}

// Responses stored per second with 20 devices uploading at once, or -1.
double bench_concurrent_ingest(Server& s, long* rss_before_kib) {
    const int devices = 20, per_device = 1000, batch = 250;
    uint8_t box_pk[32], box_sk[32];
    crypto_box_keypair(box_pk, box_sk);
    // Every device's bundles are sealed and signed beforehand: this measures the server.
    std::vector<std::vector<std::string>> bundles(devices);
    std::mt19937 rng(7);
    for (int d = 0; d < devices; d++) {
        uint8_t pk[32], sk[64];
        crypto_sign_keypair(pk, sk);
        std::array<uint8_t, 32> a;
        std::copy(pk, pk + 32, a.begin());
        int status = 0;
        std::string err;
        s.store->enrol(s.store->new_pairing_code("", 1, nullptr), a, &status, &err);
        tk::Hash32 prev{};
        std::vector<tk::Record> recs;
        for (int i = 0; i < per_device; i++) {
            tk::Record r;
            tk::RecordMeta m{"buerger-digital", "sha256:4f2a", "kiosk", "Stadtbibliothek", 1764086000};
            tk::seal_record(response_bytes(rng, i), m, box_pk, sk, (uint64_t)i + 1, prev, r, nullptr);
            prev = tk::record_hash(r);
            recs.push_back(std::move(r));
            if (recs.size() == (size_t)batch) {
                auto b = tk::make_bundle(recs, sk, 1764086000);
                bundles[d].emplace_back(b.begin(), b.end());
                recs.clear();
            }
        }
    }
    int64_t before = s.store->record_count();
    *rss_before_kib = status_kib("VmRSS");
    std::mutex fail_mu;
    std::map<std::string, int> failures; // what went wrong, so a failed run says why
    auto t0 = Clock::now();
    std::vector<std::thread> th;
    for (int d = 0; d < devices; d++)
        th.emplace_back([&, d] {
            httplib::Client c(s.url());
            c.set_read_timeout(60, 0);
            c.set_keep_alive(true); // as the sync client does
            for (const std::string& b : bundles[d]) {
                // Like the sync client: a dropped connection is retried (a bundle the server
                // did store is then acknowledged as duplicates), so one drop does not turn every
                // later bundle of the device into a gap. Retries are counted and printed.
                httplib::Result r{nullptr, httplib::Error::Unknown};
                for (int attempt = 0; attempt <= 3; attempt++) {
                    r = c.Post("/v1/bundles", b, "application/octet-stream");
                    if (r) break;
                    std::lock_guard<std::mutex> g(fail_mu);
                    failures["retried after " + httplib::to_string(r.error())]++;
                }
                if (r && r->status == 200) continue;
                std::lock_guard<std::mutex> g(fail_mu);
                failures["failed: " + (r ? "HTTP " + std::to_string(r->status) + " " + r->body.substr(0, 80) : httplib::to_string(r.error()))]++;
            }
        });
    for (auto& t : th) t.join();
    double secs = std::chrono::duration<double>(Clock::now() - t0).count();
    int64_t stored = s.store->record_count() - before;
    for (auto& f : failures) std::printf("  ingest: %d uploads %s\n", f.second, f.first.c_str());
    if (stored != (int64_t)devices * per_device) return -1;
    return (double)stored / secs;
}

// A connection from loopback address `from`, or -1.
int connect_from(const std::string& from, int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in src{}, dst{};
    src.sin_family = dst.sin_family = AF_INET;
    inet_pton(AF_INET, from.c_str(), &src.sin_addr);
    dst.sin_port = htons((uint16_t)port);
    dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || ::bind(fd, (sockaddr*)&src, sizeof src) != 0 || ::connect(fd, (sockaddr*)&dst, sizeof dst) != 0) {
        if (fd >= 0) ::close(fd);
        return -1;
    }
    return fd;
}

// p99 in milliseconds of 200 GET /v1/health, each on a new connection, while `slow` slow-loris
// connections trickle one header line a second; -1 when a request failed.
double bench_slow_clients(Server& s, int slow) {
    std::vector<int> fds;
    for (int i = 0; i < slow; i++) {
        int fd = connect_from("127.0.0." + std::to_string(2 + i / 10), s.port);
        if (fd < 0) continue;
        const char* head = "GET /v1/health HTTP/1.1\r\nHost: x\r\n";
        (void)!::send(fd, head, std::strlen(head), MSG_NOSIGNAL);
        fds.push_back(fd);
    }
    std::atomic<bool> done{false};
    std::thread trickle([&] {
        for (int t = 0; t < 1200 && !done; t++) { // at most 2 minutes
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            if (t % 10 == 0)
                for (int fd : fds) (void)!::send(fd, "X-Slow: 1\r\n", 11, MSG_NOSIGNAL | MSG_DONTWAIT);
        }
    });
    std::vector<double> ms;
    bool failed = false;
    for (int i = 0; i < 200; i++) {
        httplib::Client c(s.url());
        c.set_connection_timeout(60, 0);
        c.set_read_timeout(60, 0);
        auto t0 = Clock::now();
        auto r = c.Get("/v1/health");
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        failed = failed || !r || r->status != 200;
    }
    done = true;
    trickle.join();
    for (int fd : fds) ::close(fd);
    std::sort(ms.begin(), ms.end());
    return failed ? -1 : ms[ms.size() * 99 / 100];
}

// One `teilhabe-server serve` process of this build on `store` ("" = SQLite in dir); its port
// from the line it prints. Stopped (SIGTERM) when destroyed.
struct ServerProcess {
    pid_t pid = -1;
    int port = 0;
    bool start(const std::string& dir, const std::string& store) {
        int out[2];
        if (::pipe(out) != 0) return false;
        pid = ::fork();
        if (pid == 0) {
            ::dup2(out[1], 1);
            ::close(out[0]);
            if (FILE* devnull = std::fopen("/dev/null", "w")) ::dup2(fileno(devnull), 2); // one log line per request
            std::string bin = std::string(TK_BUILD_DIR) + "/sync/teilhabe-server";
            std::vector<std::string> args = {bin, "serve", "--data", dir, "--listen", "127.0.0.1:0", "--rate", "1000",
                                             "--threads", "16", "--per-address", "200"};
            if (!store.empty()) args.insert(args.end(), {"--store", store});
            std::vector<char*> argv;
            for (auto& a : args) argv.push_back(a.data());
            argv.push_back(nullptr);
            ::execv(bin.c_str(), argv.data());
            ::_exit(127);
        }
        ::close(out[1]);
        std::string text;
        char buf[512];
        ssize_t n;
        while (text.find('\n') == std::string::npos && (n = ::read(out[0], buf, sizeof buf)) > 0) text.append(buf, (size_t)n);
        ::close(out[0]);
        size_t at = text.find("127.0.0.1:");
        if (at != std::string::npos) port = std::atoi(text.c_str() + at + 10);
        return port > 0;
    }
    ~ServerProcess() {
        if (pid > 0) {
            ::kill(pid, SIGTERM);
            ::waitpid(pid, nullptr, 0);
        }
    }
};

struct IngestFigures {
    double rate = -1, p99_ms = -1;
};

// 40 devices (enrolled through `store`) each upload 500 responses in bundles of 125 to the
// servers at `ports`, device d to ports[d % n]; responses stored per second and the p99 of
// the uploads' times.
IngestFigures bench_ingest_processes(tk::ServerStore& store, const std::vector<int>& ports) {
    const int devices = 40, per_device = 500, batch = 125;
    uint8_t box_pk[32], box_sk[32];
    crypto_box_keypair(box_pk, box_sk);
    std::vector<std::vector<std::string>> bundles(devices);
    std::mt19937 rng(11);
    for (int d = 0; d < devices; d++) {
        uint8_t pk[32], sk[64];
        crypto_sign_keypair(pk, sk);
        std::array<uint8_t, 32> a;
        std::copy(pk, pk + 32, a.begin());
        int status = 0;
        std::string err;
        store.enrol(store.new_pairing_code("", 1, nullptr), a, &status, &err);
        tk::Hash32 prev{};
        std::vector<tk::Record> recs;
        for (int i = 0; i < per_device; i++) {
            tk::Record r;
            tk::RecordMeta m{"buerger-digital", "sha256:4f2a", "kiosk", "Stadtbibliothek", 1764086000};
            tk::seal_record(response_bytes(rng, i), m, box_pk, sk, (uint64_t)i + 1, prev, r, nullptr);
            prev = tk::record_hash(r);
            recs.push_back(std::move(r));
            if (recs.size() == (size_t)batch) {
                auto b = tk::make_bundle(recs, sk, 1764086000);
                bundles[d].emplace_back(b.begin(), b.end());
                recs.clear();
            }
        }
    }
    int64_t before = store.record_count();
    std::mutex mu;
    std::vector<double> ms;
    std::map<std::string, int> failures;
    auto t0 = Clock::now();
    std::vector<std::thread> th;
    for (int d = 0; d < devices; d++)
        th.emplace_back([&, d] {
            httplib::Client c("127.0.0.1", ports[(size_t)d % ports.size()]);
            c.set_read_timeout(60, 0);
            c.set_keep_alive(true);
            for (const std::string& b : bundles[d]) {
                auto t1 = Clock::now();
                httplib::Result r{nullptr, httplib::Error::Unknown};
                for (int attempt = 0; attempt <= 3 && !r; attempt++) r = c.Post("/v1/bundles", b, "application/octet-stream");
                double took = std::chrono::duration<double, std::milli>(Clock::now() - t1).count();
                std::lock_guard<std::mutex> g(mu);
                ms.push_back(took);
                if (!r || r->status != 200)
                    failures[r ? "HTTP " + std::to_string(r->status) + " " + r->body.substr(0, 80) : httplib::to_string(r.error())]++;
            }
        });
    for (auto& t : th) t.join();
    double secs = std::chrono::duration<double>(Clock::now() - t0).count();
    int64_t stored = store.record_count() - before;
    for (auto& f : failures) std::printf("  ingest: %d uploads failed: %s\n", f.second, f.first.c_str());
    IngestFigures f;
    std::sort(ms.begin(), ms.end());
    if (stored == (int64_t)devices * per_device) {
        f.rate = (double)stored / secs;
        f.p99_ms = ms[ms.size() * 99 / 100];
    }
    return f;
}

// Item 5: the same load on SQLite (one process) and PostgreSQL (one, three processes).
void bench_backends() {
    struct Setup { const char* name; bool pg; int processes; };
    const char* pg_url = std::getenv("TK_PG_URL");
    std::vector<Setup> setups = {{"SQLite, 1 process", false, 1}};
    if (pg_url && *pg_url) setups.insert(setups.end(), {{"PostgreSQL, 1 process", true, 1}, {"PostgreSQL, 3 processes", true, 3}});
    for (const Setup& su : setups) {
        std::string dir = temp_dir("backend"), err, store_url = su.pg ? pg_url : "";
        auto store = tk::ServerStore::open(dir, true, &err, store_url); // makes server.key and the schema
        std::vector<IngestFigures> runs;
        {
            std::vector<std::unique_ptr<ServerProcess>> procs;
            std::vector<int> ports;
            for (int i = 0; store && i < su.processes; i++) {
                procs.push_back(std::make_unique<ServerProcess>());
                if (!procs.back()->start(dir, store_url)) break;
                ports.push_back(procs.back()->port);
            }
            if (!store || (int)ports.size() != su.processes) {
                std::printf("  %s: cannot start (%s)\n", su.name, store ? "a server process did not start" : err.c_str());
                continue;
            }
            for (int i = 0; i < kRuns; i++) runs.push_back(bench_ingest_processes(*store, ports));
        }
        std::vector<double> rate, p99;
        for (const IngestFigures& f : runs) {
            rate.push_back(f.rate);
            p99.push_back(f.p99_ms);
        }
        std::printf("  ingest, 40 devices, 500 responses each in bundles of 125, %s: median %.0f responses/s (runs: %s),"
                    " p99 upload %.0f ms (runs: %s)%s\n", su.name, median(rate), list(rate, "%.0f").c_str(), median(p99),
                    list(p99, "%.0f").c_str(), su.processes == 3 ? "   goal >= 10,000/s" : "");
        store.reset();
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
    if (!pg_url || !*pg_url)
        std::printf("  PostgreSQL: not measured (TK_PG_URL unset; tests/common/pg_cluster.sh start STATE, then run STATE bench sync)\n");
}

} // namespace

void bench_sync() {
    std::printf("sync (loopback, in-process server, synchronous=FULL on both sides; median of %d runs)\n", kRuns);
    if (sodium_init() < 0) return;
    Server s;
    if (!s.start()) {
        std::printf("  cannot start the server\n");
        return;
    }
    std::vector<double> sync_s, ingest_rate;
    for (int i = 0; i < kRuns; i++) sync_s.push_back(bench_vault_sync(s));
    std::printf("  sync of 10,000 responses over loopback: median %.2f s (runs: %s)   target <= 3 s\n", median(sync_s),
                list(sync_s, "%.2f").c_str());
    long rss_before = 0;
    for (int i = 0; i < kRuns; i++) ingest_rate.push_back(bench_concurrent_ingest(s, &rss_before));
    std::printf("  ingest, 20 devices at once, 1,000 responses each in bundles of 250: median %.0f responses/s (runs: %s)"
                "   target >= 2,000/s\n", median(ingest_rate), list(ingest_rate, "%.0f").c_str());
    std::printf("  resident memory (server and clients in one process): %.1f MiB before the last ingest run (the 20 devices'"
                " bundles made), %.1f MiB after it, peak %.1f MiB\n",
                rss_before / 1024.0, status_kib("VmRSS") / 1024.0, status_kib("VmHWM") / 1024.0);
    std::vector<double> quiet, under_attack;
    for (int i = 0; i < kRuns; i++) quiet.push_back(bench_slow_clients(s, 0));
    for (int i = 0; i < kRuns; i++) under_attack.push_back(bench_slow_clients(s, 100));
    std::printf("  real client, GET /v1/health on a new connection, p99 of 200: %.1f ms alone (runs: %s), %.1f ms with 100"
                " slow-loris connections open (runs: %s)\n", median(quiet), list(quiet, "%.1f").c_str(), median(under_attack),
                list(under_attack, "%.1f").c_str());
    bench_backends();
}
