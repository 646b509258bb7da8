// http_front.h - the connection front of `teilhabe-server`: who may hold a connection, and how long.
//
//   FrontConfig            the limits (defaults are the server's; BUNDLE.md "Limits" explains them)
//   HttpFront              an httplib::Server whose connections are waited on by one poll thread
//                          until their request head is complete; only then does a worker take one
//   make_tls_context       the TLS context for HttpFront from PEM certificate and key files
//   front_close_after_reply, front_body_trouble
//                          what a route handler may ask of the connection it runs on
//
// Why a front of its own: cpp-httplib gives every accepted connection a worker thread, which then
// waits for the request head line by line with only a per-receive time-out. Sixteen clients that
// send one header line every few seconds held all sixteen workers for ever, and nobody else was
// answered. Here a connection costs a worker only once its whole head has arrived (within
// head_deadline_s) and while its body arrives at no less than body_min_rate; an address may hold
// at most per_address connections, and all of them together at most max_connections. Bodies that
// are refused close the connection, so their rest can never be read as another request.
#pragma once
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include <httplib.h>

typedef struct ssl_ctx_st SSL_CTX;

namespace tk {

struct FrontConfig {
    int idle_timeout_s = 5;        // a new or kept-alive connection must start a request within this
    int head_deadline_s = 10;      // ... and send the whole head within this of its first byte
    size_t max_head = 16384;       // bytes of request line and headers; above: 431
    int body_grace_s = 30;         // a body's first seconds are free; after them it must have
    size_t body_min_rate = 16384;  // arrived at this many bytes a second on average, else 408
    int io_timeout_s = 5;          // one wait for the socket while a worker reads or writes
    int write_deadline_s = 30;     // a whole answer must be taken by the client within this
    int per_address = 32;          // open connections of one address (IPv6: of one /64)
    int max_connections = 2000;    // open connections in all (also bounded by the open-file limit)
    int workers = 32;              // threads that run requests whose head is complete
    int max_requests = 100;        // requests on one kept-alive connection
    // Largest body the route takes (before decompression on the wire, after it in the handler);
    // 0 = no body. Default: none anywhere.
    std::function<size_t(const std::string& method, const std::string& path)> body_limit;
    std::function<void(const std::string&)> log; // refusals of the front itself; default stderr
    // Called by the poll thread on every turn (at least 5 times a second) while it serves: the
    // systemd watchdog is pinged from here, so a front that stopped polling stops the pings.
    std::function<void()> tick;
};

class HttpFront : public httplib::Server {
public:
    // `tls` (owned from here on) makes it an HTTPS server; nullptr = plain HTTP.
    explicit HttpFront(FrontConfig cfg, SSL_CTX* tls = nullptr);
    ~HttpFront() override;
    bool is_valid() const override;
    // As httplib's, with a longer queue of connections not yet accepted.
    bool listen_after_bind();
    // Connections open now (waiting for a head, queued or being served), for tests and the bench.
    int open_connections() const;

    struct Impl;

private:
    bool process_and_close_socket(socket_t sock) override;
    bool serve_one(httplib::Stream& strm, bool last, bool& closed);
    std::unique_ptr<Impl> impl_;
};

// A server context for TLS 1.2 and newer from PEM files; nullptr with *error when they do not load.
SSL_CTX* make_tls_context(const std::string& cert_pem, const std::string& key_pem, std::string* error);

// Called by a route handler: close the connection after this answer (a refused or unread body:
// its rest must not be read as a further request). Does nothing outside an HttpFront.
void front_close_after_reply();

// Why the body reader of the current request stopped early, as seen by the front.
enum class BodyTrouble { none, too_slow, too_large };
BodyTrouble front_body_trouble();

} // namespace tk
