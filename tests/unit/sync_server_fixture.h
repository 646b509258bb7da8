// sync_server_fixture.h - the research server in a test: devices that seal and sign, the store
// and API without sockets (ServerFixture), the same behind the real front on 127.0.0.1
// (LiveServer), raw sockets for clients that misbehave, drill vaults. For the sync_server_* tests.
#pragma once
#include <doctest/doctest.h>
#include <arpa/inet.h>
#include <chrono>
#include <cstring>
#include <atomic>
#include <cstdlib>
#include <httplib.h>
#include <libpq-fe.h>
#include <mutex>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <sodium.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

#include "bundle.h"
#include "enrolment.h"
#include "http_front.h"
#include "keys.h"
#include "server_api.h"
#include "server_store.h"
#include "survey_update.h"
#include "sync_client.h"
#include "sync_testutil.h"
#include "vault.h"
#include "hex.h"

namespace tk::servertest {

using json = nlohmann::json;


struct Device {
    uint8_t box_pk[32], box_sk[32];
    uint8_t pk[32], sk[64];
    std::array<uint8_t, 32> pka{};
    Device() {
        REQUIRE(sodium_init() >= 0);
        crypto_box_keypair(box_pk, box_sk);
        crypto_sign_keypair(pk, sk);
        std::copy(pk, pk + 32, pka.begin());
    }
    std::vector<Record> chain(size_t n, uint64_t seq0 = 0, Hash32 prev = {}, const std::string& salt = "") const {
        std::vector<Record> out;
        for (size_t i = 0; i < n; i++) {
            RecordMeta m{"drill", "sha256:abc", "kiosk", "Bibliothek", 1764000000};
            Record r;
            REQUIRE(seal_record("{\"n\":" + std::to_string(seq0 + i + 1) + salt + "}", m, box_pk, sk, seq0 + i + 1, prev, r, nullptr));
            prev = record_hash(r);
            out.push_back(r);
        }
        return out;
    }
    std::string bundle(const std::vector<Record>& recs) const {
        auto b = make_bundle(recs, sk, 1764000000);
        return std::string(b.begin(), b.end());
    }
};

// The store's backend for these tests. SQLite in the fixture's folder, unless TK_PG_URL names a
// PostgreSQL database (ctest's test_sync_pg, tests/common/pg_cluster.sh): then each fixture
// gets a schema of its own there, so the same TEST_CASEs run on both backends.
inline bool on_postgres() {
    const char* u = std::getenv("TK_PG_URL");
    return u && *u;
}
inline std::string fresh_test_store() {
    if (!on_postgres()) return "";
    static std::atomic<int> n{0};
    std::string url = std::getenv("TK_PG_URL"), schema = "t" + std::to_string(::getpid()) + "_" + std::to_string(n++);
    PGconn* c = PQconnectdb(url.c_str());
    REQUIRE_MESSAGE(PQstatus(c) == CONNECTION_OK, PQerrorMessage(c));
    PGresult* r = PQexec(c, ("CREATE SCHEMA " + schema).c_str());
    bool made = PQresultStatus(r) == PGRES_COMMAND_OK;
    std::string why = PQresultErrorMessage(r);
    PQclear(r);
    PQfinish(c);
    REQUIRE_MESSAGE(made, why);
    return url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema;
}

// SQL on the PostgreSQL database at `url` with a connection of its own.
inline void pg_sql(const std::string& url, const std::string& statement) {
    PGconn* c = PQconnectdb(url.c_str());
    PGresult* r = PQexec(c, statement.c_str());
    CHECK_MESSAGE(PQresultStatus(r) == PGRES_COMMAND_OK, PQresultErrorMessage(r));
    PQclear(r);
    PQfinish(c);
}

// The store in a fresh folder and the API on it, without sockets; the API's log lines are kept
// so tests can ask what was logged.
struct ServerFixture {
    test::TempDir dir;
    std::string store_url = fresh_test_store(); // "" = SQLite in dir
    std::unique_ptr<ServerStore> store;
    std::unique_ptr<ServerApi> api;
    std::vector<std::string> log;
    std::mutex log_mu;
    explicit ServerFixture(ServerConfig cfg = {}) {
        std::string err;
        store = ServerStore::open(dir.path, true, &err, store_url);
        REQUIRE_MESSAGE(store, err);
        cfg.log = [this](const std::string& l) { std::lock_guard<std::mutex> g(log_mu); log.push_back(l); };
        api = std::make_unique<ServerApi>(*store, cfg);
    }
    // Whether a log line holds `part`. The request line is written once the answer went out,
    // so a client may hold the answer before the line exists: waits up to 3 s for it.
    bool logged(const std::string& part) {
        for (int i = 0; i < 300; i++) {
            {
                std::lock_guard<std::mutex> g(log_mu);
                for (auto& l : log)
                    if (l.find(part) != std::string::npos) return true;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return false;
    }
    // SQL behind the store's back (a bad tool, or a test moving the clock), on the fixture's backend.
    void sql(const std::string& statement) {
        if (store_url.empty()) return test::sql(dir.path + "/server.sqlite", statement);
        pg_sql(store_url, statement);
    }
    // A blob literal for sql().
    std::string blob_sql(const uint8_t* p, size_t n) const {
        return store_url.empty() ? "X'" + to_hex(p, n) + "'" : "'\\x" + to_hex(p, n) + "'::bytea";
    }
    // All the store keeps: the SQLite files' bytes, or on PostgreSQL every row of its tables as text.
    std::string stored_bytes() {
        if (store_url.empty()) return test::slurp(dir.path + "/server.sqlite") + test::slurp(dir.path + "/server.sqlite-wal");
        std::string all;
        PGconn* c = PQconnectdb(store_url.c_str());
        PGresult* t = PQexec(c, "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()");
        for (int i = 0; i < PQntuples(t); i++) {
            std::string q = std::string("SELECT x::text FROM ") + PQgetvalue(t, i, 0) + " x";
            PGresult* r = PQexec(c, q.c_str());
            for (int k = 0; k < PQntuples(r); k++) all += std::string(PQgetvalue(r, k, 0)) + "\n";
            PQclear(r);
        }
        PQclear(t);
        PQfinish(c);
        return all;
    }
    void enrol(const Device& d) {
        std::string code = store->new_pairing_code("Bibliothek", 1, nullptr);
        int status = 0;
        std::string err;
        REQUIRE_MESSAGE(store->enrol(code, d.pka, &status, &err), err);
    }
};

inline httplib::Result post(const std::string& url, const std::string& path, const std::string& body, const char* type) {
    httplib::Client c(url);
    c.set_read_timeout(10, 0);
    return c.Post(path.c_str(), body, type);
}

// The same, served on 127.0.0.1 with an ephemeral port, in this process, behind the front
// that teilhabe-server uses; over TLS when given a context (owned from then on).
struct LiveServer : ServerFixture {
    HttpFront srv;
    std::thread th;
    int port = 0;
    bool https = false;
    explicit LiveServer(ServerConfig cfg = {}, SSL_CTX* tls = nullptr)
        : ServerFixture(std::move(cfg)), srv(api->front_config(), tls), https(tls != nullptr) {
        api->mount(srv);
        port = srv.bind_to_any_port("127.0.0.1");
        REQUIRE(port > 0);
        th = std::thread([this] { srv.listen_after_bind(); });
        for (int i = 0; i < 200 && !srv.is_running(); i++) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ~LiveServer() {
        srv.stop();
        if (th.joinable()) th.join();
    }
    std::string url() const { return (https ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(port); }
    httplib::Result enrol_http(const std::string& json_body) const { return post(url(), "/v1/enrol", json_body, "application/json"); }
    httplib::Result upload(const std::string& bundle) const { return post(url(), "/v1/bundles", bundle, "application/octet-stream"); }
    // Enrols the kiosk whose keys are in `kiosk_dir` the way the kiosk does it: over HTTP.
    void enrol_kiosk(const std::string& kiosk_dir) {
        std::string err;
        VaultOpenOptions o;
        o.create = false; // a second handle beside the test's, as the kiosk's sync worker has
        auto v = Vault::open(kiosk_dir, o, &err);
        REQUIRE_MESSAGE(v, err);
        REQUIRE_MESSAGE(enrol_device(*v, url(), store->new_pairing_code("", 1, nullptr), SyncOptions{}, nullptr, &err), err);
    }
};

// A raw TCP connection to `port`, for clients that misbehave on purpose.
inline int connect_raw(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, (sockaddr*)&a, sizeof a) == 0);
    return fd;
}

// n drill answers {"<key>": 0..n-1} from `channel` at `site`.
inline void append_drill(Vault& v, int n, const std::string& channel, const std::string& site, const std::string& key = "n") {
    for (int i = 0; i < n; i++) {
        RecordMeta m{"drill", "sha256:abc", channel, site, 1764000000};
        REQUIRE(v.append_plain("{\"" + key + "\":" + std::to_string(i) + "}", m).durable);
    }
}

// A kiosk's vault in `dir`, sealed with the demo key, holding n drill answers.
inline std::unique_ptr<Vault> drill_vault(const std::string& dir, int n, const std::string& channel, const std::string& site) {
    VaultOpenOptions o;
    o.allow_demo_key = true;
    std::string err;
    auto v = Vault::open(dir, o, &err);
    REQUIRE_MESSAGE(v, err);
    append_drill(*v, n, channel, site);
    return v;
}

// A research signing key, a second one that is not the kiosk's, and the shipped citizen
// survey: what the survey update tests sign and install.
struct SurveySigning {
    ResearchPublicKey pub;
    uint8_t sk[64], other_pk[32], other_sk[64];
    std::string survey = test::slurp(std::string(TK_SOURCE_DIR) + "/surveys/buerger-digital.json");
    SurveySigning() {
        crypto_sign_keypair(pub.sign_pk, sk);
        crypto_sign_keypair(other_pk, other_sk);
        REQUIRE(!survey.empty());
    }
};

inline std::string err_code(const httplib::Result& r) {
    json j = json::parse(r->body, nullptr, false);
    return j.is_object() ? j.value("error", std::string()) : std::string("<not json>");
}

} // namespace tk::servertest
