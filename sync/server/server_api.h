// server_api.h - the HTTP API of `teilhabe-server` over cpp-httplib (protocol in sync/transport/BUNDLE.md).
//
//   GET  /v1/health                 {"status":"ok", ...}
//   POST /v1/enrol                  JSON {"code": "...", "device_pk": "<64 hex>", "research_key": "<fingerprint>"}
//   POST /v1/bundles                a bundle (application/octet-stream), answered with a receipt
//   GET  /v1/surveys                list of signed survey updates
//   GET  /v1/surveys/NAME           the survey file;  GET /v1/surveys/NAME.sig  its signature
//   GET  /metrics                   Prometheus text: records, devices, stale and revoked devices,
//                                   refusals by reason, request latency (fleet.h); counts only
//
// Every request is answered with JSON; failures carry {"error": code, "reason": sentence} and a
// 4xx/5xx status, and are logged. The handlers are plain functions over the request bytes
// (handle_*), so tests and fuzzers reach them without sockets; mount() wires them to a server
// together with the limits that protect it: a body limit per route enforced while the body is
// read (after decompression too), a token bucket per device (charged only after the device's
// signature verified) and one per peer address for uploads that did not. Connection limits and
// deadlines (slow heads, slow bodies, connections per address) are the front's: front_config()
// gives them to an HttpFront (http_front.h). Every log line passes through log_safe.
//
// The log (stderr, the journal under systemd) has one line per request, written when its answer
// went out: method, path, status, bytes in and out, milliseconds, peer, the device once its
// signature verified, and after "--" what the handler noted (why it refused, what it stored):
//   2026-12-02T10:00:00Z POST /v1/bundles 200 in=5120 out=310 ms=14 peer=10.0.0.5 device=ab12cd34ef56ab12 -- upload ...
// The front's own refusals (connection limits, slow heads) are lines of their own: "front PEER ...".
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "bundle.h"
#include "fleet.h"
#include "http_front.h"
#include "server_store.h"


namespace tk {

struct ServerConfig {
    size_t max_body = 8u << 20;                 // bytes of one upload; above: 413
    size_t max_enrol_body = 4096;               // bytes of an enrolment request; above: 413
    BundleLimits limits = kNetworkBundleLimits; // records per upload
    int read_timeout_s = 5, write_timeout_s = 5; // one wait for the socket; also the idle keep-alive time
    int head_deadline_s = 10;                   // a request head must arrive within this of its first byte
    int body_deadline_s = 30;                   // a body's first seconds are free; after them it must
    size_t body_min_rate = 16384;               // have arrived at this many bytes a second on average
    int per_address = 32;                       // open connections of one address (IPv6: /64)
    int max_connections = 2000;                 // open connections in all
    double rate_per_s = 20, rate_burst = 60;    // uploads per device: refill rate and bucket size
    // Uploads that did not authenticate (junk, bad signatures, unknown devices) per peer address.
    // Only those are counted, so kiosks behind one library router do not share a budget.
    double peer_fail_rate_per_s = 1, peer_fail_burst = 30;
    int threads = 32;                           // workers, each serving a request whose head is complete
    std::string surveys_dir;                    // signed survey updates ("" = none)
    // Fingerprints of the study's research public keys (`--research-pub`). A kiosk that seals to
    // another key is refused at enrolment and for every bundle (409 wrong-research-key), before
    // anything is stored. Empty: not checked (the server warns at start).
    std::vector<std::string> research_keys;
    std::function<void(const std::string&)> log; // one line per event; default stderr
    int stale_days = 7;                         // /metrics: a device unseen this long is stale
};

struct ApiReply {
    int status = 200;
    std::string body;                           // JSON unless a survey file
    std::string content_type = "application/json";
};

class ServerApi {
public:
    ServerApi(ServerStore& store, ServerConfig cfg);
    // Routes and body limits on `srv`. `this` must outlive `srv`. On a plain httplib::Server
    // (tests of other parts) the routes work, without the front's connection limits.
    void mount(httplib::Server& srv);
    // The front's limits from this configuration; its body limits are the routes'.
    FrontConfig front_config();
    size_t body_limit(const std::string& method, const std::string& path) const;

    ApiReply handle_health();
    ApiReply handle_metrics();
    ApiReply handle_enrol(const std::string& body, const std::string& peer);
    ApiReply handle_upload(const std::string& body, const std::string& peer);
    ApiReply handle_survey_list();
    ApiReply handle_survey_file(const std::string& name);

    // An event: inside a request it becomes part of that request's line; outside one (the
    // handlers called directly, the front's refusals) a line of its own.
    void log(const std::string& line);
    const ServerConfig& config() const { return cfg_; }

private:
    void write_line(const std::string& line); // timestamp, log_safe, cfg_.log or stderr
    void log_request(const httplib::Request& req, const httplib::Response& res);
    int read_body(const char* what, const httplib::Request& req, httplib::Response& res,
                  const httplib::ContentReader& reader, size_t max, std::string& body);
    // Token bucket `key`: false = empty (over the limit). consume=false only looks.
    bool take_token(const std::string& key, double rate, double burst, bool consume = true);
    // The refusal for a kiosk sealing to `fp`, or status 0 when the key is accepted (or the
    // server checks none, or an older kiosk names none: logged). `what` names the request.
    ApiReply check_research_key(const std::string& fp, const std::string& what);
    ServerStore& store_;
    ServerConfig cfg_;
    std::mutex rate_mu_;
    struct Bucket { double tokens; std::chrono::steady_clock::time_point at; };
    std::map<std::string, Bucket> buckets_;
    LatencyHistogram latency_; // every answered request, for /metrics
};

// Whether answers sealed to `fp` may be stored: the study names no key, an older kiosk names
// none, or `fp` is one of `accepted` (ServerConfig::research_keys). HTTP and USB import alike.
bool research_key_accepted(const std::vector<std::string>& accepted, const std::string& fp);

// {"error": code, "reason": reason} with the given status.
ApiReply api_error(int status, const std::string& code, const std::string& reason);

} // namespace tk
