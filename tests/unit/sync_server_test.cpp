// The research server's store and HTTP API, in process over loopback, and the sync client
// against it: enrolment, uploads, replays, every refusal with its status and reason, limits.
#include <doctest/doctest.h>
#include <arpa/inet.h>
#include <chrono>
#include <httplib.h>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <sodium.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

#include "bundle.h"
#include "enrolment.h"
#include "keys.h"
#include "server_api.h"
#include "server_store.h"
#include "survey_update.h"
#include "sync_client.h"
#include "sync_testutil.h"
#include "vault.h"
#include "hex.h"
#include "sync_server_fixture.h"

using namespace tk;
using json = nlohmann::json;

using namespace tk::servertest;

TEST_CASE("server: enrolment over HTTP, once per code, with reasons for every refusal") {
    LiveServer s;
    Device a, b;
    std::string code = s.store->new_pairing_code("Stadtteilbibliothek", 1, nullptr);
    REQUIRE(code.size() == 14);
    auto r = s.enrol_http(json{{"code", code}, {"device_pk", to_hex(a.pk, 32)}}.dump());
    REQUIRE(r);
    CHECK(r->status == 200);
    json j = json::parse(r->body);
    CHECK(j["server_pk"] == to_hex(s.store->server_pk().data(), 32));
    CHECK(s.store->device_known(a.pka));
    // The same device again: same answer. Another device with the used code: refused.
    r = s.enrol_http(json{{"code", code}, {"device_pk", to_hex(a.pk, 32)}}.dump());
    CHECK(r->status == 200);
    r = s.enrol_http(json{{"code", code}, {"device_pk", to_hex(b.pk, 32)}}.dump());
    CHECK(r->status == 403);
    CHECK(r->body.find("already used") != std::string::npos);
    CHECK(!s.store->device_known(b.pka));
    r = s.enrol_http(json{{"code", "AAAA-BBBB-CCCC"}, {"device_pk", to_hex(b.pk, 32)}}.dump());
    CHECK(r->status == 403);
    CHECK(r->body.find("unknown pairing code") != std::string::npos);
    // Malformed JSON: 400 naming the problem.
    r = s.enrol_http("{\"code\": \"AAAA");
    CHECK(r->status == 400);
    CHECK(err_code(r) == "malformed-json");
    r = s.enrol_http(json{{"code", 5}, {"device_pk", "zz"}}.dump());
    CHECK(r->status == 400);
    CHECK(r->body.find("$.code") != std::string::npos);
    r = s.enrol_http(json{{"code", code}, {"device_pk", "abc"}}.dump());
    CHECK(r->body.find("$.device_pk") != std::string::npos);
    CHECK(s.logged("malformed-json"));
    // Expired codes.
    std::string expired = s.store->new_pairing_code("", 0, nullptr);
    int status = 0;
    std::string err;
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    CHECK(!s.store->enrol(expired, b.pka, &status, &err));
    CHECK(status == 403);
    CHECK(err.find("expired") != std::string::npos);
}

TEST_CASE("server: uploads are stored once; replays are acknowledged without duplicates") {
    LiveServer s;
    Device d;
    s.enrol(d);
    auto recs = d.chain(30);
    auto r = s.upload(d.bundle({recs.begin(), recs.begin() + 20}));
    REQUIRE(r);
    REQUIRE_MESSAGE(r->status == 200, r->body);
    json j = json::parse(r->body);
    CHECK(j["stored"] == 20);
    CHECK(j["server_seq"] == 20);
    // The receipt verifies and names record 20's hash.
    std::vector<uint8_t> rc(kReceiptSize);
    REQUIRE(from_hex(j["receipt"].get<std::string>(), rc.data(), rc.size()));
    Receipt rec;
    REQUIRE(read_receipt(rc.data(), rc.size(), rec, nullptr));
    CHECK(rec.server_pk == s.store->server_pk());
    CHECK(rec.acked_seq == 20);
    CHECK(rec.acked_hash == record_hash(recs[19]));
    // Same bundle again: all duplicates. Overlapping bundle: only the new ones stored.
    r = s.upload(d.bundle({recs.begin(), recs.begin() + 20}));
    CHECK(r->status == 200);
    CHECK(json::parse(r->body)["duplicates"] == 20);
    CHECK(json::parse(r->body)["stored"] == 0);
    r = s.upload(d.bundle({recs.begin() + 10, recs.end()}));
    CHECK(r->status == 200);
    CHECK(json::parse(r->body)["duplicates"] == 10);
    CHECK(json::parse(r->body)["stored"] == 10);
    CHECK(s.store->record_count() == 30);
    // What is stored is the record byte for byte.
    size_t i = 0;
    s.store->for_each_record([&](const StoredRecord& sr) {
        CHECK(sr.wire == serialize_record(recs[i]));
        CHECK(sr.record_id == record_id(d.pka, i + 1));
        i++;
        return true;
    }, nullptr);
    CHECK(i == 30);
}

TEST_CASE("server: unknown device, tampering, gaps, conflicts and junk get 4xx with reasons, nothing stored") {
    LiveServer s;
    Device d, stranger;
    s.enrol(d);
    auto recs = d.chain(10);
    REQUIRE(s.upload(d.bundle({recs.begin(), recs.begin() + 4}))->status == 200);

    auto r = s.upload(stranger.bundle(stranger.chain(3)));
    CHECK(r->status == 403);
    CHECK(err_code(r) == "unknown-device");

    std::string flipped = d.bundle({recs.begin() + 4, recs.end()});
    flipped[flipped.size() / 2] ^= 0x04;
    r = s.upload(flipped);
    CHECK(r->status == 422);
    CHECK(err_code(r) == "bad-signature");

    // Records 5 and 6 never arrived: the bundle starting at 7 is a gap, refused and logged.
    r = s.upload(d.bundle({recs.begin() + 6, recs.end()}));
    CHECK(r->status == 409);
    CHECK(err_code(r) == "gap");
    CHECK(json::parse(r->body)["server_seq"] == 4);
    CHECK(r->body.find("5..6") != std::string::npos);

    // A record removed from the middle of a (re-signed) bundle.
    std::vector<Record> holey(recs.begin() + 4, recs.end());
    holey.erase(holey.begin() + 2);
    r = s.upload(d.bundle(holey));
    CHECK(r->status == 409);
    CHECK(err_code(r) == "chain-broken");

    // A different record 3 (a forked chain) conflicts with the stored one.
    auto fork = d.chain(4, 0, {}, ",\"fork\":1");
    r = s.upload(d.bundle(fork));
    CHECK(r->status == 409);
    CHECK(err_code(r) == "conflict");
    // A fork starting right after the server's head links to the wrong record.
    auto fork5 = d.chain(1, 4, record_hash(fork[3]), ",\"fork\":1");
    r = s.upload(d.bundle(fork5));
    CHECK(r->status == 409);
    CHECK(err_code(r) == "chain-broken");

    r = s.upload("{\"hello\": 1}");
    CHECK(r->status == 400);
    CHECK(err_code(r) == "malformed");

    CHECK(s.store->record_count() == 4);
    auto ev = s.store->events(50);
    int rejects = 0;
    for (auto& e : ev) rejects += e.find("reject-") != std::string::npos;
    CHECK(rejects == 7);
    CHECK(s.logged("409 gap"));
    // The proper continuation still works after all that.
    r = s.upload(d.bundle({recs.begin() + 4, recs.end()}));
    CHECK(r->status == 200);
    CHECK(s.store->record_count() == 10);
}

TEST_CASE("server: oversized bodies get 413, floods get 429") {
    ServerConfig cfg;
    cfg.max_body = 64 * 1024;
    cfg.rate_per_s = 0.5;
    cfg.rate_burst = 3;
    LiveServer s(cfg);
    Device d;
    s.enrol(d);
    auto r = s.upload(std::string(200 * 1024, 'x'));
    REQUIRE(r);
    CHECK(r->status == 413);
    CHECK(s.store->record_count() == 0);
    std::string b = d.bundle(d.chain(1));
    int ok = 0, limited = 0;
    for (int i = 0; i < 6; i++) {
        auto q = s.upload(b);
        REQUIRE(q);
        ok += q->status == 200;
        if (q->status == 429) {
            limited++;
            CHECK(q->has_header("Retry-After"));
        }
    }
    CHECK(ok == 3);
    CHECK(limited == 3);
    CHECK(s.store->record_count() == 1);
}

TEST_CASE("server: junk naming a device does not spend its upload budget; refused uploads are limited per address") {
    ServerConfig cfg;
    cfg.rate_per_s = 0.001; // practically no refill while the test runs
    cfg.rate_burst = 3;
    cfg.peer_fail_rate_per_s = 0.001;
    cfg.peer_fail_burst = 5;
    LiveServer s(cfg);
    Device d, stranger;
    s.enrol(d);
    std::vector<Record> all = d.chain(4);
    std::string good = d.bundle({all.begin(), all.begin() + 2});
    std::string forged = good;
    forged[forged.size() - 1] ^= 1; // claims device d, but the bundle signature fails
    // An attacker sends forged uploads in d's name. Each is checked and refused: one naming an
    // enrolled device is never turned away unchecked, or the attacker's address budget would
    // stop d itself when it syncs from the same address. They spend the address's budget, so
    // junk that names no enrolled device is then limited there.
    std::vector<int> attacker;
    for (int i = 0; i < 8; i++) attacker.push_back(s.api->handle_upload(forged, "10.0.0.66").status);
    CHECK(attacker == std::vector<int>{422, 422, 422, 422, 422, 422, 422, 422});
    CHECK(s.api->handle_upload("junk", "10.0.0.66").status == 429);
    CHECK(s.logged("10.0.0.66 429 rate limit (address sent too many refused uploads)"));
    // Another address is not affected by that one's budget.
    CHECK(s.api->handle_upload("junk", "10.0.0.67").status == 400);
    // Device d still has its whole budget: 3 uploads (a replay counts too), then 429.
    CHECK(s.api->handle_upload(good, "10.0.0.7").status == 200);
    CHECK(s.api->handle_upload(good, "10.0.0.7").status == 200);
    CHECK(s.api->handle_upload(d.bundle({all.begin(), all.begin() + 3}), "10.0.0.7").status == 200);
    ApiReply limited = s.api->handle_upload(d.bundle(all), "10.0.0.7");
    CHECK(limited.status == 429);
    CHECK(limited.body.find("this device") != std::string::npos);
    CHECK(s.store->record_count() == 3);
    // A validly signed bundle of a device that is not enrolled is a refused upload as well:
    // it spends the sending address's budget, not a device's.
    std::string unknown = stranger.bundle(stranger.chain(1));
    std::vector<int> from_stranger;
    for (int i = 0; i < 7; i++) from_stranger.push_back(s.api->handle_upload(unknown, "10.0.0.99").status);
    CHECK(from_stranger == std::vector<int>{403, 403, 403, 403, 403, 429, 429});
    CHECK(s.store->record_count() == 3);
}

TEST_CASE("server: a slow-loris client is cut off while others are served") {
    ServerConfig cfg;
    cfg.read_timeout_s = 1;
    cfg.head_deadline_s = 2;
    LiveServer s(cfg);
    int fd = connect_raw(s.port);
    const char* part = "POST /v1/bundles HTTP/1.1\r\nHost: x\r\nContent-Le";
    REQUIRE(::send(fd, part, std::strlen(part), MSG_NOSIGNAL) > 0);
    // Meanwhile a normal client is served.
    httplib::Client c(s.url());
    auto h = c.Get("/v1/health");
    REQUIRE(h);
    CHECK(h->status == 200);
    // Then the stalled connection is answered with a 4xx (if at all) and closed by the server
    // well before 10 s.
    timeval tv{10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    auto t0 = std::chrono::steady_clock::now();
    std::string got;
    char buf[256];
    ssize_t n = 0;
    for (int i = 0; i < 100 && (n = ::recv(fd, buf, sizeof buf, 0)) > 0; i++) got.append(buf, (size_t)n);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    CHECK(n == 0); // closed by the server, not our 10 s time-out
    CHECK(secs < 5);
    if (!got.empty()) CHECK(got.rfind("HTTP/1.1 4", 0) == 0);
    ::close(fd);
}

TEST_CASE("server: an upload body trickled slower than the deadline is cut off") {
    ServerConfig cfg;
    cfg.read_timeout_s = 2;
    cfg.body_deadline_s = 1;
    LiveServer s(cfg);
    int fd = connect_raw(s.port);
    const char* head = "POST /v1/bundles HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nTKB1";
    REQUIRE(::send(fd, head, std::strlen(head), MSG_NOSIGNAL) > 0);
    auto t0 = std::chrono::steady_clock::now();
    bool closed = false;
    std::string got;
    // One byte every 300 ms: each receive is well within the read time-out, the whole is not.
    for (int i = 0; i < 40 && !closed && got.empty(); i++) {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        if (::send(fd, "x", 1, MSG_NOSIGNAL) <= 0) closed = true;
        char buf[512];
        ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n > 0) got.append(buf, (size_t)n);
        if (n == 0) closed = true;
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    // After the answer the server closes the connection: the worker is free again.
    timeval tv{5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char rest[512];
    ssize_t n = 1;
    for (int i = 0; i < 100 && n > 0; i++) n = ::recv(fd, rest, sizeof rest, 0);
    CHECK(n == 0);
    ::close(fd);
    CHECK((closed || !got.empty()));
    CHECK(secs < 6);
    if (!got.empty()) CHECK(got.find(" 408 ") != std::string::npos);
    CHECK(s.logged("408"));
    CHECK(s.store->record_count() == 0);
}

TEST_CASE("server: sync client uploads a vault in batches, resumes, and marks synced only on receipts") {
    LiveServer s;
    test::TempDir kd;
    std::string err;
    auto v = drill_vault(kd.path, 250, "kiosk", "Bibliothek");
    // Not enrolled: refused, nothing marked.
    SyncOptions opt;
    opt.batch = 60;
    SyncResult r = sync_once(*v, s.url(), nullptr, opt);
    CHECK(!r.ok);
    CHECK(r.error.find("not enrolled") != std::string::npos);
    CHECK(v->status().unsynced == 250);

    std::string code = s.store->new_pairing_code("", 1, nullptr);
    EnrolResult er;
    REQUIRE_MESSAGE(enrol_device(*v, s.url(), code, opt, &er, &err), err);
    CHECK(er.server_fingerprint == s.store->server_fingerprint());
    std::vector<std::pair<int64_t, int64_t>> steps;
    r = sync_once(*v, s.url(), [&](int64_t done, int64_t total) { steps.push_back({done, total}); }, opt);
    REQUIRE_MESSAGE(r.ok, r.error);
    CHECK(r.stored == 250);
    CHECK(r.acked_seq == 250);
    CHECK(v->status().unsynced == 0);
    CHECK(s.store->record_count() == 250);
    REQUIRE(steps.size() == 6); // 0, 60, 120, 180, 240, 250
    CHECK(steps.back() == std::make_pair<int64_t, int64_t>(250, 250));

    // The device forgets it synced (as if killed before marking): the next run re-sends one
    // batch, the server acknowledges it as duplicates and its receipt says it holds all 250,
    // so the device is synced again without sending the rest. Nothing is stored twice.
    REQUIRE(v->mark_synced(100, &err));
    r = sync_once(*v, s.url(), nullptr, opt);
    REQUIRE_MESSAGE(r.ok, r.error);
    CHECK(r.duplicates == 60);
    CHECK(r.acked_seq == 250);
    CHECK(r.stored == 0);
    CHECK(s.store->record_count() == 250);

    // The server is down: nothing marked, error says so.
    append_drill(*v, 5, "kiosk", "Bibliothek", "late");
    opt.retries = 0;
    r = sync_once(*v, "http://127.0.0.1:1", nullptr, opt);
    CHECK(!r.ok);
    CHECK(r.error.find("cannot reach") != std::string::npos);
    CHECK(v->status().unsynced == 5);
}

TEST_CASE("server: a server that lost records gets them again (gap answer rewinds the client)") {
    Device unused;
    test::TempDir kd;
    std::string err;
    auto v = drill_vault(kd.path, 40, "kiosk", "");
    LiveServer s;
    s.enrol_kiosk(kd.path);
    // The device believes 30 are synced (a previous server, now restored from an empty backup).
    REQUIRE(v->mark_synced(30, &err));
    SyncResult r = sync_once(*v, s.url(), nullptr, SyncOptions{});
    REQUIRE_MESSAGE(r.ok, r.error);
    CHECK(s.store->record_count() == 40);
    CHECK(s.logged("409 gap"));
}

TEST_CASE("server: USB bundle, import and receipt; foreign receipts are refused") {
    LiveServer s;
    test::TempDir kd, other;
    std::string err;
    auto v = drill_vault(kd.path, 25, "paper", "");
    s.enrol_kiosk(kd.path);
    int64_t n = 0;
    std::string path = kd / "stick.tkb";
    REQUIRE_MESSAGE(export_bundle(*v, path, &n, &err), err);
    CHECK(n == 25);
    CHECK(v->status().unsynced == 25); // still unsynced
    CHECK(!export_bundle(*v, path, &n, &err)); // never overwrites

    std::string bytes = test::slurp(path);
    IngestResult ir = s.store->ingest((const uint8_t*)bytes.data(), bytes.size(), BundleLimits{}, "import test");
    REQUIRE_MESSAGE(ir.status == 200, ir.reason);
    CHECK(ir.stored == 25);

    // A receipt signed by another server is refused.
    auto v2store = ServerStore::open(other.path, true, &err);
    REQUIRE(v2store);
    Receipt fake;
    fake.device_pk = {};
    uint8_t dpk[32];
    {
        DeviceIdentity id;
        bool created;
        REQUIRE(load_or_create_device(kd / "device.key", false, id, &created, &err));
        std::copy(id.pk, id.pk + 32, dpk);
    }
    std::copy(dpk, dpk + 32, fake.device_pk.begin());
    fake.acked_seq = 25;
    std::vector<Record> recs;
    REQUIRE(v->read_records(24, 1, recs, &err));
    fake.acked_hash = record_hash(recs[0]);
    uint8_t opk[32], osk[64];
    crypto_sign_keypair(opk, osk);
    auto forged = make_receipt(fake, osk);
    uint64_t acked = 0;
    CHECK(!apply_receipt(*v, forged.data(), forged.size(), &acked, &err));
    CHECK(err.find("enrolled with") != std::string::npos);
    CHECK(v->status().unsynced == 25);

    // The genuine receipt marks all 25 synced.
    REQUIRE_MESSAGE(apply_receipt(*v, ir.receipt.data(), ir.receipt.size(), &acked, &err), err);
    CHECK(acked == 25);
    CHECK(v->status().unsynced == 0);
    // Importing the same stick again: duplicates only.
    ir = s.store->ingest((const uint8_t*)bytes.data(), bytes.size(), BundleLimits{}, "import again");
    CHECK(ir.status == 200);
    CHECK(ir.duplicates == 25);
    CHECK(s.store->record_count() == 25);
}

TEST_CASE("server: request handlers survive junk without sockets") {
    ServerFixture s;
    ServerApi& api = *s.api;
    const char* junk[] = {"", "null", "[]", "{}", "{\"code\":[]}", "\xff\xfe", "TKB1", "{\"code\":\"x\",\"device_pk\":null}"};
    for (const char* j : junk) {
        CHECK(api.handle_enrol(j, "test").status == 400);
        CHECK(api.handle_upload(j, "test").status >= 400);
    }
    CHECK(api.handle_survey_file("../server.key").status == 404);
    CHECK(api.handle_survey_file(".hidden").status == 404);
    CHECK(api.handle_health().status == 200);
}

TEST_CASE("server: survey updates install only when the research signature verifies") {
    test::TempDir kdir, surveys;
    std::string sdir = surveys.path;
    ServerConfig cfg;
    cfg.surveys_dir = sdir;
    LiveServer s(cfg);
    std::string url = s.url();

    SurveySigning keys;
    const ResearchPublicKey& pub = keys.pub;
    const uint8_t* sk = keys.sk;
    const uint8_t* other_sk = keys.other_sk;
    const std::string& survey = keys.survey;
    test::spit(sdir + "/good.json", survey);
    test::spit(sdir + "/good.json.sig", sign_survey_file("good.json", survey, sk));
    test::spit(sdir + "/tampered.json", survey + " ");
    test::spit(sdir + "/tampered.json.sig", sign_survey_file("tampered.json", survey, sk));
    test::spit(sdir + "/foreign.json", survey);
    test::spit(sdir + "/foreign.json.sig", sign_survey_file("foreign.json", survey, other_sk));
    test::spit(sdir + "/renamed.json", survey);
    test::spit(sdir + "/renamed.json.sig", sign_survey_file("good.json", survey, sk));
    test::spit(sdir + "/broken.json", "{\"format\": 1}");
    test::spit(sdir + "/broken.json.sig", sign_survey_file("broken.json", "{\"format\": 1}", sk));
    test::spit(sdir + "/unsigned.json", survey);

    SurveyUpdateResult r = fetch_survey_update(url, kdir.path, pub);
    REQUIRE_MESSAGE(r.ok, r.error);
    CHECK(r.applied == std::vector<std::string>{"good.json"});
    REQUIRE(r.refused.size() == 4);
    std::string all;
    for (auto& x : r.refused) all += x + "\n";
    CHECK(all.find("tampered.json: file content differs") != std::string::npos);
    CHECK(all.find("foreign.json: signed with another key") != std::string::npos);
    CHECK(all.find("renamed.json: signature is for file 'good.json'") != std::string::npos);
    CHECK(all.find("broken.json: signed, but does not load") != std::string::npos);
    CHECK(test::slurp(kdir / "good.json") == survey);
    CHECK(!std::filesystem::exists(kdir / "tampered.json"));
    CHECK(!std::filesystem::exists(kdir / "unsigned.json"));
    // Fetching again changes nothing.
    r = fetch_survey_update(url, kdir.path, pub);
    CHECK(r.applied.empty());
    CHECK(r.unchanged == std::vector<std::string>{"good.json"});
}

TEST_CASE("server: a flood of junk is summarised in the event log, not written row by row") {
    ServerConfig cfg;
    cfg.peer_fail_burst = 1000; // this test is about the event log, not the per-address limit
    ServerFixture s(cfg);
    ServerApi& api = *s.api;
    s.store->set_event_rate_limit(5);
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < 120; i++) CHECK(api.handle_upload("junk " + std::to_string(i), "test").status == 400);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    CHECK(api.handle_upload("junk after", "test").status == 400);
    auto ev = s.store->events(1000);
    // At most 5 rows per started second, a flood row per second that dropped some, the last one.
    CHECK(ev.size() <= (size_t)(6 * (secs + 2)) + 1);
    CHECK(ev.size() < 120);
    bool flood = false;
    for (auto& e : ev) flood = flood || e.find(" flood ") != std::string::npos;
    CHECK(flood);
    CHECK(ev.back().find("reject-malformed") != std::string::npos);
}

TEST_CASE("server: the key (device, seq) decides, also where the chain head says otherwise") {
    // A record the store holds above the device's head (the head set back behind the store's
    // back): an identical resend is acknowledged and moves the head on, other bytes under the
    // same id are a conflict, and never is a second row written. Runs on both backends.
    ServerFixture s;
    Device d;
    s.enrol(d);
    std::vector<Record> chain = d.chain(6);
    std::string b = d.bundle(chain);
    REQUIRE(s.store->ingest((const uint8_t*)b.data(), b.size(), BundleLimits{}, "t").status == 200);
    s.sql("UPDATE devices SET last_seq = 0, last_hash = NULL");
    IngestResult again = s.store->ingest((const uint8_t*)b.data(), b.size(), BundleLimits{}, "t");
    CHECK(again.status == 200);
    CHECK(again.stored == 0);
    CHECK(again.duplicates == 6);
    CHECK(again.server_seq == 6);
    CHECK(s.store->record_count() == 6);

    s.sql("UPDATE devices SET last_seq = 0, last_hash = NULL");
    std::string fork = d.bundle(d.chain(6, 0, {}, ",\"other\":true"));
    IngestResult r = s.store->ingest((const uint8_t*)fork.data(), fork.size(), BundleLimits{}, "t");
    CHECK(r.status == 409);
    CHECK(r.code == "conflict");
    CHECK(s.store->record_count() == 6);
    std::vector<uint8_t> first;
    std::string err;
    REQUIRE(s.store->for_each_record([&](const StoredRecord& x) { if (first.empty()) first = x.wire; return true; }, &err));
    CHECK(first == serialize_record(chain[0])); // the first bytes stay
}
