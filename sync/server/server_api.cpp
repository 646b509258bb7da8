// server_api.cpp - HTTP handlers and the limits around them (see server_api.h).
#include "files.h"
#include "server_api.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "dashboard.h"
#include "dates.h"
#include "enrolment.h"
#include "keys.h"
#include "hex.h"
#include "request_log.h"
#include "survey_update.h"

namespace tk {

using json = nlohmann::json;

ApiReply api_error(int status, const std::string& code, const std::string& reason) {
    ApiReply r;
    r.status = status;
    r.body = json{{"error", code}, {"reason", reason}}.dump(-1, ' ', false, json::error_handler_t::replace);
    return r;
}

ServerApi::ServerApi(ServerStore& store, ServerConfig cfg) : store_(store), cfg_(std::move(cfg)) {}

// The request a worker thread is serving, for its log line: started by the pre-routing handler,
// written and ended by the logger that cpp-httplib calls once the answer is sent.
struct RequestNote {
    bool active = false;
    std::chrono::steady_clock::time_point start;
    size_t in_bytes = 0;
    std::string device, detail;
};
static thread_local RequestNote t_note;

// The device a request turned out to be from (verified, or enrolling), for its log line.
static void note_device(const std::string& device) {
    if (t_note.active && !device.empty()) t_note.device = device.substr(0, 16);
}

void ServerApi::write_line(const std::string& line) {
    // Lines carry the client's words (paths, reasons quoting its input): one event, one line.
    std::string l = utc_now() + " " + log_safe(line);
    if (cfg_.log) cfg_.log(l);
    else std::fprintf(stderr, "%s\n", l.c_str());
}

void ServerApi::log(const std::string& line) {
    if (!t_note.active) return write_line(line);
    if (t_note.detail.size() < 4096) t_note.detail += (t_note.detail.empty() ? "" : "; ") + line;
}

void ServerApi::log_request(const httplib::Request& req, const httplib::Response& res) {
    std::string path = req.path;
    for (char& c : path)
        if (c == ' ') c = '+'; // one field: the line splits at spaces
    std::string l = req.method + " " + path + " " + std::to_string(res.status);
    l += " in=" + std::to_string(t_note.active ? std::max(t_note.in_bytes, req.body.size()) : req.body.size());
    l += " out=" + std::to_string(res.body.size());
    if (t_note.active) {
        auto took = std::chrono::steady_clock::now() - t_note.start;
        l += " ms=" + std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(took).count());
        latency_.add(std::chrono::duration<double>(took).count());
    }
    l += " peer=" + req.remote_addr + " device=" + (t_note.device.empty() ? "-" : t_note.device);
    if (!t_note.detail.empty()) l += " -- " + t_note.detail;
    t_note = RequestNote{};
    write_line(l);
}

bool ServerApi::take_token(const std::string& key, double rate, double burst, bool consume) {
    std::lock_guard<std::mutex> lock(rate_mu_);
    auto now = std::chrono::steady_clock::now();
    auto it = buckets_.find(key);
    if (it == buckets_.end()) {
        if (!consume) return burst >= 1; // a full bucket need not be created to be looked at
        if (buckets_.size() > 100000) buckets_.clear(); // bounded: forget everyone rather than grow
        it = buckets_.emplace(key, Bucket{burst, now}).first;
    }
    Bucket& b = it->second;
    double dt = std::chrono::duration<double>(now - b.at).count();
    b.tokens = std::min(burst, b.tokens + dt * rate);
    b.at = now;
    if (b.tokens < 1) return false;
    if (consume) b.tokens -= 1;
    return true;
}

ApiReply ServerApi::handle_metrics() {
    FleetOptions opt;
    opt.stale_days = cfg_.stale_days;
    ApiReply r;
    r.body = fleet_metrics(store_, opt, &latency_);
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    return r;
}

ApiReply ServerApi::handle_health() {
    ApiReply r;
    r.body = json{{"status", "ok"}, {"api", 1}, {"server_fingerprint", store_.server_fingerprint()}}.dump();
    return r;
}

bool research_key_accepted(const std::vector<std::string>& accepted, const std::string& fp) {
    return accepted.empty() || fp.empty() || std::find(accepted.begin(), accepted.end(), fp) != accepted.end();
}

ApiReply ServerApi::check_research_key(const std::string& fp, const std::string& what) {
    ApiReply ok;
    ok.status = 0;
    // A kiosk from before bundles named their key is let through; the log says so.
    if (fp.empty() && !cfg_.research_keys.empty()) log(what + " names no research key (older kiosk); not checked");
    if (research_key_accepted(cfg_.research_keys, fp)) return ok;
    std::string expected;
    for (const std::string& k : cfg_.research_keys) expected += (expected.empty() ? "" : ", ") + k;
    log(what + " 409 wrong-research-key: seals to " + fp + ", accepted " + expected);
    ApiReply r = api_error(409, "wrong-research-key",
                           "this kiosk seals answers to research key " + fp + ", but this server accepts only " + expected +
                               ": copy the project's research.pub into the kiosk's data folder (or /etc/teilhabe-kiosk/), "
                               "restart it and try again; nothing was stored");
    json j = json::parse(r.body);
    j["expected"] = cfg_.research_keys;
    j["research_key"] = fp;
    r.body = j.dump(-1, ' ', false, json::error_handler_t::replace);
    return r;
}

ApiReply ServerApi::handle_enrol(const std::string& body, const std::string& peer) {
    if (body.size() > 4096) {
        log("enrol " + peer + " 413 body of " + std::to_string(body.size()) + " bytes");
        return api_error(413, "too-large", "an enrolment request is at most 4096 bytes");
    }
    json j = json::parse(body, nullptr, false);
    std::string reason;
    if (j.is_discarded()) reason = "the body is not valid JSON";
    else if (!j.is_object()) reason = "the body must be a JSON object";
    else if (!j.contains("code") || !j["code"].is_string()) reason = "$.code: a string is required";
    else if (!j.contains("device_pk") || !j["device_pk"].is_string()) reason = "$.device_pk: a string is required";
    else if (j.contains("research_key") && (!j["research_key"].is_string() || j["research_key"].get<std::string>().size() > kMaxResearchKeyField))
        reason = "$.research_key: a fingerprint string of at most 64 characters is required";
    std::array<uint8_t, 32> pk{};
    if (reason.empty() && !from_hex(j["device_pk"].get<std::string>(), pk.data(), 32))
        reason = "$.device_pk: 64 hexadecimal digits are required";
    if (!reason.empty()) {
        log("enrol " + peer + " 400 malformed-json: " + reason);
        return api_error(400, "malformed-json", reason);
    }
    // Pairing codes have 60 random bits; still, guessing is slowed down per address.
    if (!take_token("enrol " + peer, cfg_.rate_per_s, cfg_.rate_burst)) {
        log("enrol " + peer + " 429 rate limit");
        return api_error(429, "rate-limited", "too many enrolment attempts; wait a moment and retry");
    }
    // Before the code is spent: the kiosk keeps it for a second try with the right key.
    ApiReply wrong = check_research_key(j.value("research_key", std::string()), "enrol " + peer + " device " + device_id_hex(pk));
    if (wrong.status) {
        store_.log_event("reject-research-key", device_id_hex(pk), "enrolment of a kiosk sealing to " + j.value("research_key", std::string()));
        return wrong;
    }
    int status = 500;
    std::string err, site;
    note_device(device_id_hex(pk));
    if (!store_.enrol(j["code"].get<std::string>(), pk, &status, &err, &site)) {
        log("enrol " + peer + " device " + device_id_hex(pk) + " " + std::to_string(status) + " " + err);
        return api_error(status, status == 400 ? "bad-code" : status == 403 ? "refused" : "storage", err);
    }
    log("enrol " + peer + " device " + device_id_hex(pk) + " 200 enrolled");
    ApiReply r;
    r.body = json{{"status", "ok"},
                  {"device", device_id_hex(pk)},
                  {"server_pk", to_hex(store_.server_pk().data(), 32)},
                  {"server_fingerprint", store_.server_fingerprint()},
                  {"site", site}}.dump(-1, ' ', false, json::error_handler_t::replace);
    return r;
}

ApiReply ServerApi::handle_upload(const std::string& body, const std::string& peer) {
    const uint8_t* p = (const uint8_t*)body.data();
    if (body.size() > cfg_.max_body) {
        log("upload " + peer + " 413 body of " + std::to_string(body.size()) + " bytes");
        return api_error(413, "too-large", "upload of " + std::to_string(body.size()) + " bytes is over the limit of " +
                         std::to_string(cfg_.max_body));
    }
    // Rate limits, two kinds of bucket. Nothing an unauthenticated sender does may spend a
    // device's budget, nor stop a device that authenticates: anyone can write a device's id
    // into junk, and junk may come from the kiosk's own address (a library's shared router).
    //  - device: charged only once the bundle's signatures verified and it is enrolled;
    //  - address: charged for uploads refused before that (malformed, bad signature, unknown).
    // Both are looked at before any work. A bundle that names no enrolled device is answered
    // 429 without a signature check once its address spent its refusals; one that names an
    // enrolled device is checked, whatever its address did, so the genuine device gets through
    // a flood of junk from its neighbours. Junk naming an enrolled device costs one signature
    // check per bundle, no more than reading the bytes it sent (no amplification).
    const std::string peer_key = "peer " + peer, source = "http " + peer;
    std::array<uint8_t, 32> named{};
    bool names_enrolled = false;
    if (body.size() >= 40 && body.compare(0, 4, "TKB1") == 0) {
        std::copy(p + 8, p + 40, named.begin());
        names_enrolled = store_.device_known(named);
    }
    if (!names_enrolled && !take_token(peer_key, cfg_.peer_fail_rate_per_s, cfg_.peer_fail_burst, false)) {
        log("upload " + peer + " 429 rate limit (address sent too many refused uploads)");
        return api_error(429, "rate-limited", "too many refused uploads from this address; wait a moment and retry");
    }
    if (names_enrolled && !take_token("device " + to_hex(named.data(), 32), cfg_.rate_per_s, cfg_.rate_burst, false)) {
        log("upload " + peer + " device " + to_hex(named.data(), 8) + " 429 rate limit");
        return api_error(429, "rate-limited", "too many uploads from this device; wait a moment and retry");
    }
    Bundle b;
    IngestResult res;
    if (!store_.check_bundle(p, body.size(), cfg_.limits, source, b, &res)) {
        take_token(peer_key, cfg_.peer_fail_rate_per_s, cfg_.peer_fail_burst);
    } else if (!store_.device_known(b.device_pk)) {
        take_token(peer_key, cfg_.peer_fail_rate_per_s, cfg_.peer_fail_burst);
        res = store_.store_bundle(b, source); // refused there as unknown-device, and logged
    } else if (!take_token("device " + to_hex(b.device_pk.data(), 32), cfg_.rate_per_s, cfg_.rate_burst)) {
        log("upload " + peer + " device " + device_id_hex(b.device_pk) + " 429 rate limit");
        return api_error(429, "rate-limited", "too many uploads from this device; wait a moment and retry");
    } else {
        ApiReply wrong = check_research_key(b.research_key, "upload " + peer + " device " + device_id_hex(b.device_pk));
        if (wrong.status) {
            store_.log_event("reject-research-key", device_id_hex(b.device_pk),
                             "bundle of " + std::to_string(b.records.size()) + " records sealed to " + b.research_key);
            return wrong;
        }
        res = store_.store_bundle(b, source);
    }
    note_device(res.device);
    log("upload " + peer + " device " + (res.device.empty() ? "-" : res.device) + " " + std::to_string(res.status) + " " +
        res.code + (res.reason.empty() ? "" : ": " + res.reason) + " (stored " + std::to_string(res.stored) +
        ", duplicates " + std::to_string(res.duplicates) + ", head " + std::to_string(res.server_seq) + ")");
    if (res.status != 200) {
        ApiReply r = api_error(res.status, res.code, res.reason);
        json j = json::parse(r.body);
        if (!res.device.empty()) j["server_seq"] = res.server_seq;
        r.body = j.dump(-1, ' ', false, json::error_handler_t::replace);
        return r;
    }
    ApiReply r;
    r.body = json{{"status", "ok"},
                  {"device", res.device},
                  {"server_seq", res.server_seq},
                  {"stored", res.stored},
                  {"duplicates", res.duplicates},
                  {"receipt", to_hex(res.receipt.data(), res.receipt.size())}}.dump();
    return r;
}

ApiReply ServerApi::handle_survey_list() {
    json list = json::array();
    if (!cfg_.surveys_dir.empty())
        for (const std::string& n : list_signed_surveys(cfg_.surveys_dir)) // unsigned files are not offered
            list.push_back(json{{"name", n}, {"signature", n + ".sig"}});
    ApiReply r;
    r.body = json{{"surveys", list}}.dump();
    return r;
}

ApiReply ServerApi::handle_survey_file(const std::string& name) {
    // Survey names are plain file names: nothing that could walk out of the folder.
    if (!survey_update_name_ok(name) || cfg_.surveys_dir.empty()) return api_error(404, "not-found", "no such survey update");
    ApiReply r;
    std::string err;
    if (!read_file_at_most(cfg_.surveys_dir + "/" + name, survey_update_max(name), r.body, &err)) return api_error(404, "not-found", "no such survey update");
    r.content_type = "application/octet-stream";
    return r;
}

static void send(httplib::Response& res, const ApiReply& r) {
    res.status = r.status;
    res.set_content(r.body, r.content_type.c_str());
}

size_t ServerApi::body_limit(const std::string& method, const std::string& path) const {
    if (method != "POST") return 0;
    if (path == "/v1/enrol") return cfg_.max_enrol_body;
    if (path == "/v1/bundles") return cfg_.max_body;
    if (path.rfind("/dashboard/", 0) == 0) return kDashboardMaxBody; // forms (dashboard.h)
    return 0;
}

FrontConfig ServerApi::front_config() {
    FrontConfig f;
    f.idle_timeout_s = cfg_.read_timeout_s;
    f.io_timeout_s = cfg_.read_timeout_s;
    f.write_deadline_s = std::max(cfg_.write_timeout_s, 30);
    f.head_deadline_s = cfg_.head_deadline_s;
    f.body_grace_s = cfg_.body_deadline_s;
    f.body_min_rate = cfg_.body_min_rate;
    f.per_address = cfg_.per_address;
    f.max_connections = cfg_.max_connections;
    f.workers = cfg_.threads > 0 ? cfg_.threads : 32;
    f.body_limit = [this](const std::string& m, const std::string& p) { return body_limit(m, p); };
    f.log = [this](const std::string& l) { write_line(l); };
    return f;
}

// The body of `req`, read through `reader` and refused the moment it passes `max` bytes as the
// handler sees them (after any Content-Encoding was undone: a small gzip body may inflate to
// gigabytes), or when it arrives slower than the minimum rate. Returns 0, or the status of the
// refusal already sent; a refused body closes the connection, so its unread rest is never taken
// for a further request.
int ServerApi::read_body(const char* what, const httplib::Request& req, httplib::Response& res,
                         const httplib::ContentReader& reader, size_t max, std::string& body) {
    auto start = std::chrono::steady_clock::now();
    bool too_big = false, too_slow = false;
    bool complete = reader([&](const char* data, size_t n) {
        if (body.size() + n > max) {
            too_big = true;
            return false;
        }
        body.append(data, n);
        t_note.in_bytes = body.size();
        // The front's rule, for servers without it: after the grace time, the minimum rate.
        double allowed = cfg_.body_deadline_s + (double)body.size() / (double)std::max<size_t>(1, cfg_.body_min_rate);
        if (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() > allowed) {
            too_slow = true;
            return false;
        }
        return true;
    });
    BodyTrouble trouble = front_body_trouble();
    int status = 0;
    ApiReply r;
    if (too_slow || trouble == BodyTrouble::too_slow) {
        status = 408;
        log(std::string(what) + " " + req.remote_addr + " 408 body slower than " + std::to_string(cfg_.body_min_rate) +
            " bytes/s after " + std::to_string(cfg_.body_deadline_s) + " s");
        r = api_error(408, "too-slow", "the body did not arrive in time (at least " + std::to_string(cfg_.body_min_rate) +
                      " bytes a second after the first " + std::to_string(cfg_.body_deadline_s) + " s)");
    } else if (too_big || trouble == BodyTrouble::too_large || res.status == 413) {
        status = 413;
        log(std::string(what) + " " + req.remote_addr + " 413 body over " + std::to_string(max) + " bytes");
        r = api_error(413, "too-large", std::string(what) + " body over the limit of " + std::to_string(max) + " bytes");
    } else if (res.status == 415) {
        status = 415;
        log(std::string(what) + " " + req.remote_addr + " 415 Content-Encoding '" + req.get_header_value("Content-Encoding") + "'");
        r = api_error(415, "unsupported-encoding", "the body's Content-Encoding is not supported (send it uncompressed)");
    } else if (!complete) {
        status = 400;
        log(std::string(what) + " " + req.remote_addr + " 400 body incomplete or badly framed");
        r = api_error(400, "bad-request", "the body could not be read (incomplete or badly framed)");
    }
    if (status) {
        body.clear();
        send(res, r);
        res.set_header("Connection", "close");
        front_close_after_reply();
    }
    return status;
}

void ServerApi::mount(httplib::Server& srv) {
    if (!dynamic_cast<HttpFront*>(&srv)) { // the front has its own workers and time-outs
        int threads = cfg_.threads > 0 ? cfg_.threads : 32;
        srv.new_task_queue = [threads] { return new httplib::ThreadPool((size_t)threads); };
        srv.set_read_timeout(cfg_.read_timeout_s, 0);
        srv.set_write_timeout(cfg_.write_timeout_s, 0);
        srv.set_keep_alive_timeout(cfg_.read_timeout_s);
    }
    srv.set_keep_alive_max_count(100);
    // One log line per request (see server_api.h): begun before routing, written once answered.
    srv.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
        t_note = RequestNote{};
        t_note.active = true;
        t_note.start = std::chrono::steady_clock::now();
        return httplib::Server::HandlerResponse::Unhandled;
    });
    srv.set_logger([this](const httplib::Request& req, const httplib::Response& res) { log_request(req, res); });
    // For bodies with a Content-Length, before any route: none above the largest route limit.
    srv.set_payload_max_length(std::max(cfg_.max_body, cfg_.max_enrol_body));

    srv.Get("/v1/health", [this](const httplib::Request&, httplib::Response& res) { send(res, handle_health()); });
    srv.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) { send(res, handle_metrics()); });
    // Both bodies are read in pieces, each route with its own limit (see read_body).
    srv.Post("/v1/enrol", [this](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
        std::string body;
        if (read_body("enrol", req, res, reader, cfg_.max_enrol_body, body)) return;
        send(res, handle_enrol(body, req.remote_addr));
    });
    srv.Post("/v1/bundles", [this](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
        std::string body;
        if (read_body("upload", req, res, reader, cfg_.max_body, body)) return;
        ApiReply r = handle_upload(body, req.remote_addr);
        send(res, r);
        if (r.status == 429) res.set_header("Retry-After", "2");
    });
    srv.Get("/v1/surveys", [this](const httplib::Request&, httplib::Response& res) { send(res, handle_survey_list()); });
    srv.Get(R"(/v1/surveys/([A-Za-z0-9._-]+))", [this](const httplib::Request& req, httplib::Response& res) {
        send(res, handle_survey_file(req.matches[1]));
    });
    // Every error closes the connection: whatever of the request was not read stays unread.
    srv.set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
        front_close_after_reply();
        if (!res.body.empty()) return;
        std::string code = res.status == 404 ? "not-found" : res.status == 413 ? "too-large" : "bad-request";
        log(req.method + " " + req.path + " " + req.remote_addr + " " + std::to_string(res.status) + " " + code);
        send(res, api_error(res.status, code, res.status == 404 ? "no such endpoint" : "request refused"));
        res.set_header("Connection", "close");
    });
    // What went wrong inside is for the log; the client learns only that it did.
    srv.set_exception_handler([this](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown exception";
        try {
            if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
            what = e.what();
        } catch (...) {
        }
        log(req.method + " " + req.path + " " + req.remote_addr + " 500 internal error: " + what);
        front_close_after_reply();
        res.headers.clear();
        send(res, api_error(500, "internal", "the server could not handle this request (logged there); retry later"));
        res.set_header("Connection", "close");
    });
}

} // namespace tk
