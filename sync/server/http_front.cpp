// http_front.cpp - the connection front (see http_front.h).
//
//   Conn, address_key        one client connection; the key its address is counted under
//   check_head               what the front refuses on the head alone (size, framing, length)
//   ConnStream               the httplib::Stream a worker reads and writes a connection through;
//                            it enforces the body's minimum rate and raw size, and the write deadline
//   HttpFront::Impl          the poll thread (heads, TLS handshakes, idle keep-alive) and workers
//   make_tls_context
#include "http_front.h"

#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <map>
#include <mutex>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace tk {

using Clock = std::chrono::steady_clock;

namespace {

struct Conn {
    int fd = -1;
    SSL* ssl = nullptr;
    bool handshaken = false;    // TLS handshake done (always true without TLS)
    bool want_write = false;    // the TLS handshake waits for the socket to take bytes
    std::string ip, key;        // address as text; the key it is counted under
    int port = 0;
    std::string in;             // bytes received and not yet consumed by a request
    Clock::time_point ready;    // since when it waits for (the rest of) a request head
    bool started = false;       // a first byte of the head arrived
    Clock::time_point first_byte;
    int requests = 0;
    bool close_after = false;   // set by a handler for the request being served
    BodyTrouble trouble = BodyTrouble::none;
};

thread_local Conn* t_conn = nullptr;

// Counted per address; IPv6 clients usually hold a whole /64, so they are counted per /64.
std::string address_key(const std::string& ip) {
    if (ip.rfind("::ffff:", 0) == 0 && ip.find('.') != std::string::npos) return ip.substr(7);
    if (ip.find(':') == std::string::npos) return ip;
    in6_addr a{};
    if (inet_pton(AF_INET6, ip.c_str(), &a) != 1) return ip;
    std::memset(a.s6_addr + 8, 0, 8);
    char buf[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, &a, buf, sizeof buf);
    return std::string(buf) + "/64";
}

void peer_of(int fd, std::string& ip, int& port) {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    ip = "?";
    port = 0;
    if (getpeername(fd, (sockaddr*)&ss, &len) != 0) return;
    char host[NI_MAXHOST], serv[NI_MAXSERV];
    if (getnameinfo((sockaddr*)&ss, len, host, sizeof host, serv, sizeof serv, NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
        ip = host;
        port = std::atoi(serv);
    }
}

std::string lower_trim(std::string s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
    size_t i = 0;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) i++;
    s.erase(0, i);
    for (char& c : s) c = (char)std::tolower((unsigned char)c);
    return s;
}

// A refusal of the front, written before any handler ran; the connection closes after it.
struct Refusal {
    int status = 0;
    const char* code = "";
    std::string reason;
};

std::string refusal_bytes(const Refusal& r) {
    const char* text = r.status == 408 ? "Request Timeout" : r.status == 411 ? "Length Required" : r.status == 413 ? "Payload Too Large"
                     : r.status == 431 ? "Request Header Fields Too Large" : r.status == 503 ? "Service Unavailable" : "Bad Request";
    std::string body = std::string("{\"error\":\"") + r.code + "\",\"reason\":\"" + r.reason + "\"}";
    std::string out = "HTTP/1.1 " + std::to_string(r.status) + " " + text + "\r\nContent-Type: application/json\r\nContent-Length: " +
                      std::to_string(body.size()) + "\r\nConnection: close\r\n";
    if (r.status == 503) out += "Retry-After: 5\r\n";
    return out + "\r\n" + body;
}

// The head in conn.in[0, head_len) is complete. What httplib would read unbounded or wrongly is
// refused here: bodies on routes that take none, lengths over the route's limit, ambiguous framing
// (two lengths, a length and chunks: the way requests are smuggled past a proxy), and POST bodies
// without any framing (httplib would read them until the client closes).
bool check_head(const std::string& head, const FrontConfig& cfg, Refusal& r, std::string& what) {
    size_t eol = head.find("\r\n");
    std::string line = head.substr(0, eol);
    size_t sp1 = line.find(' '), sp2 = line.rfind(' ');
    std::string method = line.substr(0, sp1), target = sp1 == std::string::npos || sp2 <= sp1 ? "" : line.substr(sp1 + 1, sp2 - sp1 - 1);
    std::string path = target.substr(0, target.find('?'));
    what = method + " " + path;
    int lengths = 0;
    bool chunked = false, other_coding = false;
    unsigned long long length = 0;
    for (size_t pos = eol + 2; pos < head.size();) {
        size_t e = head.find("\r\n", pos);
        if (e == std::string::npos || e == pos) break;
        std::string h = head.substr(pos, e - pos);
        pos = e + 2;
        size_t colon = h.find(':');
        if (colon == std::string::npos) continue;
        std::string name = lower_trim(h.substr(0, colon)), value = lower_trim(h.substr(colon + 1));
        if (name == "content-length") {
            lengths++;
            char* end = nullptr;
            errno = 0;
            length = std::strtoull(value.c_str(), &end, 10);
            if (value.empty() || *end || errno || value[0] == '-') { r = {400, "bad-request", "Content-Length is not a number"}; return false; }
        } else if (name == "transfer-encoding") {
            if (value == "chunked") chunked = true;
            else other_coding = true;
        }
    }
    size_t limit = cfg.body_limit ? cfg.body_limit(method, path) : 0;
    if (other_coding || lengths > 1 || (lengths && chunked)) {
        r = {400, "bad-request", "the body's framing is ambiguous or unsupported (one Content-Length, or chunked alone)"};
        return false;
    }
    bool has_body = chunked || length > 0;
    if (has_body && limit == 0) { r = {413, "too-large", "this request takes no body"}; return false; }
    if (length > limit) {
        r = {413, "too-large", "a body of " + std::to_string(length) + " bytes is over the limit of " + std::to_string(limit) + " bytes"};
        return false;
    }
    if (method == "POST" && !lengths && !chunked) { r = {411, "length-required", "a POST needs a Content-Length"}; return false; }
    return true;
}

// Bytes a worker reads and writes; the head is already in `c.in`. Every wait is bounded: a body
// must keep its minimum rate after the grace time and may not exceed twice its limit on the wire
// (chunk framing included), and an answer must be taken within the write deadline.
struct ConnStream final : httplib::Stream {
    Conn& c;
    const FrontConfig& cfg;
    size_t head_len, pos = 0, limit_raw;
    size_t dropped = 0; // bytes of this request already consumed and cut from the front of c.in
    Clock::time_point body_start, write_start{};
    bool wrote = false;
    ConnStream(Conn& conn, const FrontConfig& config, size_t head, size_t route_limit)
        : c(conn), cfg(config), head_len(head), limit_raw(2 * route_limit + 65536), body_start(Clock::now()) {}

    size_t body_seen() const { return dropped + pos > head_len ? dropped + pos - head_len : 0; }
    bool is_readable() const override { return pos < c.in.size() || (c.ssl && SSL_pending(c.ssl) > 0); }
    bool is_writable() const override {
        pollfd p{c.fd, POLLOUT, 0};
        return ::poll(&p, 1, cfg.io_timeout_s * 1000) > 0 && (p.revents & POLLOUT);
    }
    // Milliseconds the body may still take before it is under its minimum rate (<= 0: too slow).
    long long body_ms_left() const {
        double allowed = cfg.body_grace_s + (double)body_seen() / (double)std::max<size_t>(1, cfg.body_min_rate);
        return (long long)(allowed * 1000) - std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - body_start).count();
    }
    bool fill() {
        if (dropped + pos >= head_len && body_seen() >= limit_raw) {
            c.trouble = BodyTrouble::too_large;
            return false;
        }
        char buf[16384];
        for (int spins = 0; spins < 100000; spins++) {
            long long left = body_ms_left();
            if (left <= 0) {
                c.trouble = BodyTrouble::too_slow;
                return false;
            }
            ssize_t n;
            if (c.ssl) {
                ERR_clear_error();
                int k = SSL_read(c.ssl, buf, sizeof buf);
                if (k > 0) n = k;
                else {
                    int e = SSL_get_error(c.ssl, k);
                    if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) return false;
                    n = -1;
                    errno = EAGAIN;
                }
            } else {
                n = ::recv(c.fd, buf, sizeof buf, MSG_DONTWAIT);
            }
            if (n > 0) {
                c.in.append(buf, (size_t)n);
                return true;
            }
            if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) return false;
            pollfd p{c.fd, POLLIN, 0};
            int r = ::poll(&p, 1, (int)std::min<long long>(left, cfg.io_timeout_s * 1000LL));
            if (r == 0 && body_ms_left() > 0) return false; // silent for a whole io time-out: gone
        }
        return false;
    }
    ssize_t read(char* ptr, size_t size) override {
        if (pos >= c.in.size()) {
            // All of it consumed: drop it, so a large body is not held twice (here and in the
            // handler's copy).
            dropped += c.in.size();
            c.in.clear();
            pos = 0;
            if (!fill()) return -1;
        }
        size_t n = std::min(size, c.in.size() - pos);
        std::memcpy(ptr, c.in.data() + pos, n);
        pos += n;
        return (ssize_t)n;
    }
    ssize_t write(const char* ptr, size_t size) override {
        if (!wrote) write_start = Clock::now(), wrote = true;
        size_t done = 0;
        while (done < size) {
            long long left = cfg.write_deadline_s * 1000LL -
                             std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - write_start).count();
            if (left <= 0) return -1;
            short wait_for = POLLOUT;
            if (c.ssl) {
                ERR_clear_error();
                int k = SSL_write(c.ssl, ptr + done, (int)std::min<size_t>(size - done, 1 << 20));
                if (k > 0) { done += (size_t)k; continue; }
                int e = SSL_get_error(c.ssl, k);
                if (e == SSL_ERROR_WANT_READ) wait_for = POLLIN;
                else if (e != SSL_ERROR_WANT_WRITE) return -1;
            } else {
                ssize_t k = ::send(c.fd, ptr + done, size - done, MSG_NOSIGNAL | MSG_DONTWAIT);
                if (k > 0) { done += (size_t)k; continue; }
                if (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return -1;
            }
            pollfd p{c.fd, wait_for, 0};
            if (::poll(&p, 1, (int)std::min<long long>(left, cfg.io_timeout_s * 1000LL)) == 0) return -1;
        }
        return (ssize_t)size;
    }
    void get_remote_ip_and_port(std::string& ip, int& port) const override { ip = c.ip; port = c.port; }
    void get_local_ip_and_port(std::string& ip, int& port) const override {
        sockaddr_storage ss{};
        socklen_t len = sizeof ss;
        ip.clear();
        port = 0;
        if (getsockname(c.fd, (sockaddr*)&ss, &len) != 0) return;
        char host[NI_MAXHOST], serv[NI_MAXSERV];
        if (getnameinfo((sockaddr*)&ss, len, host, sizeof host, serv, sizeof serv, NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
            ip = host;
            port = std::atoi(serv);
        }
    }
    socket_t socket() const override { return c.fd; }
};

// listen_internal hands every accepted socket to the task queue; this one runs the hand-over
// at once on the accepting thread (it only registers the socket with the poll thread).
struct InlineQueue final : httplib::TaskQueue {
    std::function<void()> on_shutdown;
    void enqueue(std::function<void()> fn) override { fn(); }
    void shutdown() override { on_shutdown(); }
};

} // namespace

struct HttpFront::Impl {
    HttpFront* owner;
    FrontConfig cfg;
    SSL_CTX* tls;
    std::mutex mu;                       // guards everything below
    std::condition_variable work_cv;
    std::vector<Conn*> waiting;          // owned by the poll thread's list (handed over under mu)
    std::deque<Conn*> ready;             // heads complete, for the workers
    std::vector<Conn*> busy;             // being served (stop() cuts their sockets short)
    std::map<std::string, int> per_key;  // open connections per address key
    int open = 0;
    bool running = false, stopping = false;
    int wake_fd = -1;
    std::thread poller;
    std::vector<std::thread> workers;
    // The front's own log lines, at most 20 a second (a flood is summarised).
    Clock::time_point log_second{};
    int log_count = 0, log_dropped = 0;

    void log(const std::string& line) {
        {
            std::lock_guard<std::mutex> g(mu);
            auto now = Clock::now();
            if (now - log_second > std::chrono::seconds(1)) {
                if (log_dropped) {
                    std::string l = "front: " + std::to_string(log_dropped) + " more refusals not logged";
                    log_dropped = 0;
                    if (cfg.log) cfg.log(l); else std::fprintf(stderr, "%s\n", l.c_str());
                }
                log_second = now;
                log_count = 0;
            }
            if (++log_count > 20) { log_dropped++; return; }
        }
        if (cfg.log) cfg.log(line);
        else std::fprintf(stderr, "%s\n", line.c_str());
    }

    void wake() {
        uint64_t one = 1;
        if (wake_fd >= 0) (void)!::write(wake_fd, &one, sizeof one);
    }

    void unbusy(Conn* c) { // with mu held
        auto it = std::find(busy.begin(), busy.end(), c);
        if (it != busy.end()) busy.erase(it);
    }

    void close_conn(Conn* c) {
        {
            std::lock_guard<std::mutex> g(mu);
            unbusy(c);
        }
        if (c->ssl) {
            if (c->handshaken) SSL_shutdown(c->ssl);
            SSL_free(c->ssl);
        }
        ::shutdown(c->fd, SHUT_RDWR);
        ::close(c->fd);
        {
            std::lock_guard<std::mutex> g(mu);
            if (--per_key[c->key] <= 0) per_key.erase(c->key);
            open--;
        }
        delete c;
    }

    // Best effort: the refusal is small and the socket's buffer takes it at once.
    void refuse(Conn* c, const Refusal& r, const std::string& what) {
        log("front " + c->ip + " " + what + " " + std::to_string(r.status) + " " + r.code + ": " + r.reason);
        std::string bytes = refusal_bytes(r);
        if (c->ssl) {
            if (c->handshaken) SSL_write(c->ssl, bytes.data(), (int)bytes.size());
        } else {
            (void)!::send(c->fd, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        }
        close_conn(c);
    }

    void accept_socket(int fd) {
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, 1 /* TCP_NODELAY */, &one, sizeof one);
        auto* c = new Conn;
        c->fd = fd;
        peer_of(fd, c->ip, c->port);
        c->key = address_key(c->ip);
        c->ready = Clock::now();
        c->handshaken = tls == nullptr;
        bool over_address = false, over_all = false;
        {
            std::lock_guard<std::mutex> g(mu);
            over_all = open >= cfg.max_connections;
            over_address = per_key[c->key] >= cfg.per_address;
            per_key[c->key]++;
            open++;
        }
        if (over_all || over_address) {
            // Without TLS the refusal can be read; over TLS (no handshake yet) it just closes.
            Refusal r{503, "busy", over_address ? "too many connections from this address; retry later" : "too many connections; retry later"};
            std::string what = over_address ? "connection (address at its limit)" : "connection (server at its limit)";
            if (tls) {
                log("front " + c->ip + " " + what + " closed");
                close_conn(c);
            } else {
                refuse(c, r, what);
            }
            return;
        }
        if (tls) {
            c->ssl = SSL_new(tls);
            if (!c->ssl) { close_conn(c); return; }
            SSL_set_fd(c->ssl, fd);
            SSL_set_accept_state(c->ssl);
        }
        {
            std::lock_guard<std::mutex> g(mu);
            if (!stopping) { waiting.push_back(c); c = nullptr; }
        }
        if (c) close_conn(c);
        else wake();
    }

    // Reads what is there. Returns false when the connection is to be dropped (closed or failed).
    bool poll_read(Conn* c) {
        if (!c->handshaken) {
            ERR_clear_error();
            int k = SSL_accept(c->ssl);
            if (k != 1) {
                int e = SSL_get_error(c->ssl, k);
                c->want_write = e == SSL_ERROR_WANT_WRITE;
                return e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE;
            }
            c->handshaken = true;
            c->want_write = false;
        }
        char buf[4096];
        for (int i = 0; i < 8; i++) {
            ssize_t n;
            if (c->ssl) {
                ERR_clear_error();
                int k = SSL_read(c->ssl, buf, sizeof buf);
                if (k <= 0) {
                    int e = SSL_get_error(c->ssl, k);
                    return e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE;
                }
                n = k;
            } else {
                n = ::recv(c->fd, buf, sizeof buf, MSG_DONTWAIT);
                if (n == 0) return false;
                if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
            }
            if (!c->started) { c->started = true; c->first_byte = Clock::now(); }
            c->in.append(buf, (size_t)n);
            if (c->in.size() > cfg.max_head || c->in.find("\r\n\r\n") != std::string::npos) return true;
        }
        return true;
    }

    // What a waiting connection is now: 0 waits on, 1 has its head, -1 is dropped (done here).
    int settle(Conn* c, Clock::time_point now) {
        size_t end = c->in.find("\r\n\r\n");
        if (end != std::string::npos && end + 4 <= cfg.max_head) return 1;
        if (c->in.size() > cfg.max_head) {
            refuse(c, {431, "head-too-large", "the request head is over " + std::to_string(cfg.max_head) + " bytes"}, "request");
            return -1;
        }
        if (!c->started) {
            if (now - c->ready > std::chrono::seconds(cfg.idle_timeout_s)) { close_conn(c); return -1; }
        } else if (now - c->first_byte > std::chrono::seconds(cfg.head_deadline_s)) {
            refuse(c, {408, "too-slow", "the request head did not arrive within " + std::to_string(cfg.head_deadline_s) + " s"}, "request");
            return -1;
        }
        return 0;
    }

    void poll_loop() {
        std::vector<Conn*> mine;
        std::vector<pollfd> fds;
        for (;;) {
            {
                std::lock_guard<std::mutex> g(mu);
                if (stopping) break;
                mine.insert(mine.end(), waiting.begin(), waiting.end());
                waiting.clear();
            }
            fds.assign(1, pollfd{wake_fd, POLLIN, 0});
            for (Conn* c : mine) fds.push_back(pollfd{c->fd, (short)(c->want_write ? POLLOUT : POLLIN), 0});
            ::poll(fds.data(), fds.size(), 200);
            if (cfg.tick) cfg.tick();
            if (fds[0].revents) { uint64_t v; (void)!::read(wake_fd, &v, sizeof v); }
            auto now = Clock::now();
            std::vector<Conn*> keep;
            for (size_t i = 0; i < mine.size(); i++) {
                Conn* c = mine[i];
                bool ok = true;
                if (fds[i + 1].revents || (c->ssl && c->handshaken && SSL_pending(c->ssl) > 0)) ok = poll_read(c);
                if (!ok) { close_conn(c); continue; }
                int s = settle(c, now);
                if (s == 0) keep.push_back(c);
                else if (s == 1) {
                    std::lock_guard<std::mutex> g(mu);
                    ready.push_back(c);
                    work_cv.notify_one();
                }
            }
            mine.swap(keep);
        }
        for (Conn* c : mine) close_conn(c);
    }

    void work_loop() {
        for (;;) {
            Conn* c = nullptr;
            {
                std::unique_lock<std::mutex> lock(mu);
                work_cv.wait(lock, [&] { return stopping || !ready.empty(); });
                if (stopping) return; // stop() closes what is still queued
                c = ready.front();
                ready.pop_front();
                busy.push_back(c);
            }
            serve(c); // leaves `busy` by close_conn or by going back to the poll thread
        }
    }

    // Requests on `c` as long as complete heads are at hand; then back to the poll thread or closed.
    void serve(Conn* c) {
        for (;;) {
            size_t end = c->in.find("\r\n\r\n");
            if (end == std::string::npos) break;
            size_t head_len = end + 4;
            Refusal r;
            std::string what;
            if (!check_head(c->in.substr(0, head_len), cfg, r, what)) { refuse(c, r, what); return; }
            size_t sp = what.find(' ');
            size_t limit = cfg.body_limit ? cfg.body_limit(what.substr(0, sp), what.substr(sp + 1)) : 0;
            ConnStream strm(*c, cfg, head_len, limit);
            c->requests++;
            c->close_after = false;
            c->trouble = BodyTrouble::none;
            bool last = c->requests >= cfg.max_requests, closed = false;
            t_conn = c;
            bool ok = owner->serve_one(strm, last, closed);
            t_conn = nullptr;
            c->in.erase(0, std::min(strm.pos, c->in.size()));
            if (!ok || closed || last || c->close_after || c->trouble != BodyTrouble::none) { close_conn(c); return; }
            c->started = !c->in.empty();
            c->ready = c->first_byte = Clock::now();
        }
        {
            std::lock_guard<std::mutex> g(mu);
            if (!stopping) {
                unbusy(c);
                waiting.push_back(c);
                c = nullptr;
            }
        }
        if (c) close_conn(c);
        else wake();
    }

    void start() {
        std::lock_guard<std::mutex> g(mu);
        if (running) return;
        running = true;
        stopping = false;
        wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        poller = std::thread([this] { poll_loop(); });
        for (int i = 0; i < std::max(1, cfg.workers); i++) workers.emplace_back([this] { work_loop(); });
    }

    void stop() {
        {
            std::lock_guard<std::mutex> g(mu);
            if (!running) return;
            stopping = true;
            for (Conn* c : busy) ::shutdown(c->fd, SHUT_RDWR); // a worker waiting on it returns
        }
        wake();
        work_cv.notify_all();
        if (poller.joinable()) poller.join();
        for (auto& t : workers) t.join();
        workers.clear();
        std::vector<Conn*> rest;
        {
            std::lock_guard<std::mutex> g(mu);
            rest.assign(ready.begin(), ready.end());
            rest.insert(rest.end(), waiting.begin(), waiting.end());
            ready.clear();
            waiting.clear();
            running = false;
        }
        for (Conn* c : rest) close_conn(c);
        ::close(wake_fd);
        wake_fd = -1;
    }
};

HttpFront::HttpFront(FrontConfig cfg, SSL_CTX* tls) : impl_(std::make_unique<Impl>()) {
    impl_->owner = this;
    impl_->tls = tls;
    // Open files: every connection is one; keep some for the store and the log.
    rlimit rl{};
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
        cfg.max_connections = (int)std::min<rlim_t>((rlim_t)cfg.max_connections, rl.rlim_cur > 128 ? rl.rlim_cur - 64 : 64);
    impl_->cfg = std::move(cfg);
    new_task_queue = [this] {
        auto* q = new InlineQueue;
        impl_->start();
        q->on_shutdown = [this] { impl_->stop(); };
        return q;
    };
}

HttpFront::~HttpFront() {
    impl_->stop();
    if (impl_->tls) SSL_CTX_free(impl_->tls);
}

bool HttpFront::is_valid() const { return true; }

int HttpFront::open_connections() const {
    std::lock_guard<std::mutex> g(impl_->mu);
    return impl_->open;
}

bool HttpFront::listen_after_bind() {
    // The listening socket was made with cpp-httplib's backlog of 5: too few when many connect
    // at once. listen() again only raises it.
    ::listen(svr_sock_, 1024);
    return httplib::Server::listen_after_bind();
}

bool HttpFront::process_and_close_socket(socket_t sock) {
    impl_->accept_socket(sock);
    return true;
}

bool HttpFront::serve_one(httplib::Stream& strm, bool last, bool& closed) {
    return process_request(strm, last, closed, nullptr);
}

SSL_CTX* make_tls_context(const std::string& cert_pem, const std::string& key_pem, std::string* error) {
    SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
    if (!ctx) { *error = "TLS is not available"; return nullptr; }
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
    SSL_CTX_set_mode(ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    if (SSL_CTX_use_certificate_chain_file(ctx, cert_pem.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx, key_pem.c_str(), SSL_FILETYPE_PEM) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
        *error = "cannot use certificate '" + cert_pem + "' with key '" + key_pem + "'";
        SSL_CTX_free(ctx);
        return nullptr;
    }
    return ctx;
}

void front_close_after_reply() {
    if (t_conn) t_conn->close_after = true;
}

BodyTrouble front_body_trouble() { return t_conn ? t_conn->trouble : BodyTrouble::none; }

} // namespace tk
