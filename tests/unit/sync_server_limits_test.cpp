// The server under abuse, over loopback behind its real front: many slow or idle connections,
// connections per address, body bombs on every POST endpoint (huge chunked, gzip bomb, huge
// Content-Length), no request smuggled behind a refused body, junk from a kiosk's own address
// during its sync, exception texts kept from clients, and log lines that cannot be forged.
// Slow connections come from other loopback addresses (127.0.0.2 and up), as from many hosts.
#include "request_log.h"
#include "sync_server_fixture.h"

using namespace tk;
using namespace tk::servertest;

namespace {

// A TCP connection to 127.0.0.1:port from the loopback address `from`; -1 when refused.
int connect_from(const char* from, int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in src{};
    src.sin_family = AF_INET;
    inet_pton(AF_INET, from, &src.sin_addr);
    REQUIRE(::bind(fd, (sockaddr*)&src, sizeof src) == 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, (sockaddr*)&a, sizeof a) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

bool send_all(int fd, const std::string& s) {
    size_t done = 0;
    while (done < s.size()) {
        ssize_t n = ::send(fd, s.data() + done, s.size() - done, MSG_NOSIGNAL);
        if (n <= 0) return false;
        done += (size_t)n;
    }
    return true;
}

// Everything the server sends until it closes, waiting at most `secs` in all.
std::string read_until_closed(int fd, double secs) {
    std::string got;
    auto t0 = std::chrono::steady_clock::now();
    char buf[4096];
    for (int i = 0; i < 100000; i++) {
        double left = secs - std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (left <= 0) break;
        timeval tv{(time_t)left, (suseconds_t)((left - (double)(time_t)left) * 1e6)};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        got.append(buf, (size_t)n);
    }
    return got;
}

size_t count_of(const std::string& hay, const std::string& needle) {
    size_t n = 0;
    for (size_t p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1)) n++;
    return n;
}

// Sends `head` and then `body_piece` over and over (at most `max_bytes`) while watching for the
// answer. Returns the answer; *sent is what the server took before it answered or closed.
std::string bomb(int port, const std::string& head, const std::string& body_piece, size_t max_bytes, size_t* sent) {
    int fd = connect_raw(port);
    std::string got;
    *sent = 0;
    bool ok = send_all(fd, head);
    char buf[4096];
    size_t off = 0; // within body_piece
    for (int i = 0; ok && *sent < max_bytes && i < 1000000; i++) {
        ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n > 0) got.append(buf, (size_t)n);
        if (n == 0 || !got.empty()) break;
        size_t len = std::min(body_piece.size() - off, max_bytes - *sent);
        ssize_t k = ::send(fd, body_piece.data() + off, len, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (k > 0) {
            *sent += (size_t)k;
            off = (off + (size_t)k) % body_piece.size();
        }
        else if (errno == EAGAIN) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        else break;
    }
    got += read_until_closed(fd, 5);
    ::close(fd);
    return got;
}

std::string gzip(const std::string& plain) {
    std::string out;
    httplib::detail::gzip_compressor z;
    REQUIRE(z.compress(plain.data(), plain.size(), true, [&](const char* d, size_t n) { out.append(d, n); return true; }));
    return out;
}

} // namespace

TEST_CASE("server limits: 60 slow connections do not keep a genuine client waiting") {
    ServerConfig cfg;
    cfg.threads = 16; // the old default, which 16 slow clients used to fill
    LiveServer s(cfg);
    // 60 connections from 6 addresses, each sending one header line a second (well within the
    // per-receive time-out), as a slow-loris attack does.
    std::vector<int> slow;
    for (int i = 0; i < 60; i++) {
        std::string from = "127.0.0." + std::to_string(2 + i / 10);
        int fd = connect_from(from.c_str(), s.port);
        REQUIRE(fd >= 0);
        REQUIRE(send_all(fd, "GET /v1/health HTTP/1.1\r\nHost: x\r\n"));
        slow.push_back(fd);
    }
    std::atomic<bool> done{false};
    std::thread trickle([&] {
        for (int t = 0; t < 80 && !done; t++) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            if (t % 10 == 0)
                for (int fd : slow) (void)send_all(fd, "X-Slow: 1\r\n");
        }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(1500)); // all of them under way
    auto t0 = std::chrono::steady_clock::now();
    httplib::Client c(s.url());
    c.set_connection_timeout(8, 0);
    c.set_read_timeout(8, 0);
    auto h = c.Get("/v1/health");
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    done = true;
    trickle.join();
    REQUIRE(h);
    CHECK(h->status == 200);
    CHECK(secs <= 5);
    MESSAGE("genuine request answered in " << secs << " s with 60 slow connections open");
    CHECK(s.srv.open_connections() >= 60);
    for (int fd : slow) ::close(fd);
}

TEST_CASE("server limits: a request head has a deadline; an address has a connection limit") {
    ServerConfig cfg;
    cfg.head_deadline_s = 2;
    cfg.per_address = 4;
    LiveServer s(cfg);
    // One header line a second: each receive is quick, the whole head is not.
    int fd = connect_from("127.0.0.2", s.port);
    REQUIRE(fd >= 0);
    auto t0 = std::chrono::steady_clock::now();
    std::string got;
    for (int i = 0; i < 10 && got.empty(); i++) {
        if (!send_all(fd, i == 0 ? "GET /v1/health HTTP/1.1\r\n" : "X-Slow: 1\r\n")) break;
        got = read_until_closed(fd, 1);
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    CHECK(got.rfind("HTTP/1.1 408", 0) == 0);
    CHECK(secs < 4);
    ::close(fd);
    CHECK(s.logged("408 too-slow"));
    // Four idle connections from one address are held; the fifth is refused at once, while
    // another address is served.
    std::vector<int> idle;
    for (int i = 0; i < 4; i++) idle.push_back(connect_from("127.0.0.3", s.port));
    for (int i = 0; i < 200 && s.srv.open_connections() < 4; i++) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    int fifth = connect_from("127.0.0.3", s.port);
    REQUIRE(fifth >= 0);
    std::string refused = read_until_closed(fifth, 3);
    CHECK(refused.rfind("HTTP/1.1 503", 0) == 0);
    CHECK(refused.find("too many connections from this address") != std::string::npos);
    ::close(fifth);
    int other = connect_from("127.0.0.4", s.port);
    REQUIRE(send_all(other, "GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    CHECK(read_until_closed(other, 3).rfind("HTTP/1.1 200", 0) == 0);
    ::close(other);
    for (int f : idle) ::close(f);
}

TEST_CASE("server limits: body bombs on every POST endpoint are refused while they arrive") {
    ServerConfig cfg;
    cfg.max_body = 256 * 1024;
    LiveServer s(cfg);
    // Each with a gzip body under its limit on the wire that inflates far over it.
    struct Route { const char* path; size_t inflated; };
    const Route routes[] = {{"/v1/enrol", 2u << 20}, {"/v1/bundles", 64u << 20}, {"/v1/health", 1u << 20}, {"/v1/nothing", 1u << 20}};
    const size_t kMax = 256u << 20; // what the test would send at most
    std::string chunk(64 * 1024, 'A');
    char size_line[32];
    std::snprintf(size_line, sizeof size_line, "%zx\r\n", chunk.size());
    std::string framed = size_line + chunk + "\r\n";
    for (const Route& r : routes) {
        CAPTURE(r.path);
        // Chunked without end: the server must stop reading near the limit, not at the end.
        size_t sent = 0;
        std::string got = bomb(s.port, std::string("POST ") + r.path + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
                               framed, kMax, &sent);
        CHECK(got.rfind("HTTP/1.1 413", 0) == 0);
        CHECK(count_of(got, "HTTP/1.1 ") == 1);
        CHECK(sent < (32u << 20)); // what the sockets' buffers can hold, far below kMax
        // A Content-Length over the limit: refused before a byte of the body is read.
        got = bomb(s.port, std::string("POST ") + r.path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000000\r\n\r\n",
                   chunk, kMax, &sent);
        CHECK(got.rfind("HTTP/1.1 413", 0) == 0);
        CHECK(sent < (32u << 20));
        // The gzip bomb: within the limit as sent, refused as it inflates.
        std::string zipped = gzip(std::string(r.inflated, '\0'));
        got = bomb(s.port, std::string("POST ") + r.path + " HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: " +
                   std::to_string(zipped.size()) + "\r\n\r\n", zipped, zipped.size(), &sent);
        CHECK(got.rfind("HTTP/1.1 413", 0) == 0);
        CHECK(got.find("Connection: close") != std::string::npos);
    }
    // A POST without any length is not read until the client closes.
    int fd = connect_raw(s.port);
    REQUIRE(send_all(fd, "POST /v1/enrol HTTP/1.1\r\nHost: x\r\n\r\n{}"));
    CHECK(read_until_closed(fd, 3).rfind("HTTP/1.1 411", 0) == 0);
    ::close(fd);
    CHECK(s.store->devices().empty());
}

TEST_CASE("server limits: nothing after a refused body is taken for another request") {
    ServerConfig cfg;
    cfg.max_body = 64 * 1024;
    LiveServer s(cfg);
    // The body is refused while it arrives; what the client sends after the refusal (the rest
    // of the body, here with a request in it) must not be read as a request of its own.
    std::string smuggled = "GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n";
    struct Case { std::string name, first, rest; };
    std::string data(70 * 1024, 'x');
    char size_line[32];
    std::snprintf(size_line, sizeof size_line, "%zx\r\n", data.size() + 2 + smuggled.size());
    std::string zipped = gzip(std::string(8u << 20, '\0'));
    const Case cases[] = {
        {"chunked upload", std::string("POST /v1/bundles HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n") + size_line + data,
         "\r\n" + smuggled},
        {"gzip upload", "POST /v1/bundles HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: " +
                            std::to_string(zipped.size() + smuggled.size()) + "\r\n\r\n" + zipped, smuggled},
        {"chunked enrolment", "POST /v1/enrol HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1001\r\n" + std::string(4097, 'y') + "\r\n",
         "0\r\n\r\n" + smuggled},
        {"enrolment over its length", "POST /v1/enrol HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n", smuggled + std::string(5000 - smuggled.size(), ' ')},
    };
    for (const Case& c : cases) {
        CAPTURE(c.name);
        int fd = connect_raw(s.port);
        REQUIRE(send_all(fd, c.first));
        std::string got;
        char buf[4096];
        timeval tv{5, 0};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n > 0) got.append(buf, (size_t)n);
        CHECK(got.rfind("HTTP/1.1 413", 0) == 0);
        CHECK(got.find("Connection: close") != std::string::npos);
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        (void)send_all(fd, c.rest); // may fail: the server closed
        got += read_until_closed(fd, 3);
        ::close(fd);
        CHECK(count_of(got, "HTTP/1.1 ") == 1);
    }
}

TEST_CASE("server limits: junk from a kiosk's own address does not stop its sync") {
    ServerConfig cfg;
    cfg.peer_fail_rate_per_s = 0.001; // refusals from 127.0.0.1 are spent after 3 and stay spent
    cfg.peer_fail_burst = 3;
    LiveServer s(cfg);
    test::TempDir kd;
    auto v = drill_vault(kd.path, 120, "kiosk", "Bibliothek");
    s.enrol_kiosk(kd.path);
    Device d;
    std::string forged = d.bundle(d.chain(1));
    forged[forged.size() - 1] ^= 1;
    // A neighbour behind the same router sends junk twice a second, and a forged bundle too.
    std::atomic<bool> stop{false};
    std::atomic<int> limited{0};
    std::thread junk([&] {
        for (int i = 0; i < 200 && !stop; i++) {
            auto r = s.upload(i % 2 ? forged : "junk " + std::to_string(i));
            if (r && r->status == 429) limited++;
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
        }
    });
    for (int i = 0; i < 400 && limited == 0; i++) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    CHECK(limited > 0); // the address's budget for refusals is spent
    SyncOptions opt;
    opt.batch = 30;
    opt.retries = 0;
    SyncResult r = sync_once(*v, s.url(), nullptr, opt);
    stop = true;
    junk.join();
    CHECK_MESSAGE(r.ok, r.error);
    CHECK(v->status().unsynced == 0);
    CHECK(s.store->record_count() == 120);
}

TEST_CASE("server limits: log lines escape what the client wrote; exceptions stay in the log") {
    LiveServer s;
    int fd = connect_raw(s.port);
    REQUIRE(send_all(fd, "GET /v1/x%0a2026-01-01T00:00:00Z%20upload%20FORGED%1b[31m HTTP/1.1\r\nHost: x\r\n\r\n"));
    CHECK(read_until_closed(fd, 3).rfind("HTTP/1.1 404", 0) == 0);
    ::close(fd);
    int lines = 0;
    {
        std::lock_guard<std::mutex> g(s.log_mu);
        for (const std::string& l : s.log) {
            CHECK(l.find('\n') == std::string::npos);
            CHECK(l.find('\x1b') == std::string::npos);
            if (l.find("FORGED") != std::string::npos) {
                lines++;
                CHECK(l.find("/v1/x\\x0a2026-01-01T00:00:00Z upload FORGED\\x1b[31m") != std::string::npos);
            }
        }
    }
    CHECK(lines == 1);
    CHECK(log_safe("a\\b\x7f\xc2\x9b\xff ü") == "a\\x5cb\\x7f\\xc2\\x9b\\xff ü");
    CHECK(log_safe(std::string(5000, 'y'), 100).size() < 130);
}

TEST_CASE("server limits: a body past the grace time is taken while it keeps the minimum rate") {
    ServerConfig cfg;
    cfg.body_deadline_s = 1;
    cfg.body_min_rate = 16384;
    LiveServer s(cfg);
    // 96 KiB at about 48 KiB/s: 2 s in all, past the grace second, but above the minimum rate.
    int fd = connect_raw(s.port);
    REQUIRE(send_all(fd, "POST /v1/bundles HTTP/1.1\r\nHost: x\r\nContent-Length: 98304\r\n\r\n"));
    std::string piece(4096, 'j');
    for (int i = 0; i < 24; i++) {
        REQUIRE(send_all(fd, piece));
        std::this_thread::sleep_for(std::chrono::milliseconds(85));
    }
    std::string got = read_until_closed(fd, 5);
    ::close(fd);
    CHECK(got.rfind("HTTP/1.1 400", 0) == 0); // read whole, then refused as junk: not 408
    CHECK(got.find("\"malformed\"") != std::string::npos);
}
