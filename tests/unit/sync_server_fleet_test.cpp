// Tests for the fleet view (fleet.h) and the store's fleet operations: revoking a device, pairing
// codes, targets, per-site counts, `status --json` and the Prometheus /metrics text.
#include <cmath>
#include <ctime>
#include <regex>
#include <sstream>

#include "device_status.h"
#include "fleet.h"
#include "sync_server_fixture.h"

using namespace tk;
using namespace tk::servertest;

namespace {

json device_entry(const json& status, const Device& d) {
    for (const json& o : status["devices"])
        if (o["id"] == device_id_hex(d.pka)) return o;
    return json();
}

} // namespace

TEST_CASE("fleet: a revoked device's uploads are refused with the reason; its records stay") {
    LiveServer s;
    Device d, other;
    s.enrol(d);
    s.enrol(other);
    auto recs = d.chain(10);
    auto r = s.upload(d.bundle({recs.begin(), recs.begin() + 5}));
    REQUIRE(r);
    REQUIRE(r->status == 200);

    std::string err;
    CHECK_FALSE(s.store->revoke("00000000000000zz", "x", &err));
    CHECK(err.find("not a device id") != std::string::npos);
    CHECK_FALSE(s.store->revoke("0123456789abcdef", "x", &err));
    CHECK(err.find("no device") != std::string::npos);
    // By the id `status` lists, in either case.
    std::string id = device_id_hex(d.pka);
    std::string upper = id;
    for (char& c : upper) c = (char)std::toupper((unsigned char)c);
    REQUIRE_MESSAGE(s.store->revoke(upper, "gestohlen in der Bibliothek", &err), err);
    CHECK_FALSE(s.store->revoke(id, "again", &err));
    CHECK(err.find("already") != std::string::npos);

    r = s.upload(d.bundle({recs.begin() + 5, recs.end()}));
    REQUIRE(r);
    CHECK(r->status == 403);
    CHECK(err_code(r) == "revoked");
    CHECK(json::parse(r->body)["reason"].get<std::string>().find("gestohlen in der Bibliothek") != std::string::npos);
    CHECK(s.store->record_count() == 5);
    // A replay of what it had stored is refused as well: nothing of it is taken any more.
    r = s.upload(d.bundle({recs.begin(), recs.begin() + 5}));
    CHECK(r->status == 403);
    // The USB path too.
    auto usb = make_bundle({recs.begin() + 5, recs.end()}, d.sk, 1764000000);
    IngestResult ir = s.store->ingest(usb.data(), usb.size(), BundleLimits{}, "import test");
    CHECK(ir.code == "revoked");
    CHECK(s.store->record_count() == 5);
    // And a fresh pairing code does not bring it back.
    int status = 0;
    CHECK_FALSE(s.store->enrol(s.store->new_pairing_code("", 1, nullptr), d.pka, &status, &err));
    CHECK(status == 403);
    CHECK(err.find("revoked") != std::string::npos);
    // The other device is untouched.
    auto orecs = other.chain(3);
    CHECK(s.upload(other.bundle(orecs))->status == 200);

    FleetOptions opt;
    json st = json::parse(fleet_status_json(*s.store, opt));
    json e = device_entry(st, d);
    REQUIRE(e.is_object());
    CHECK(e["revoked"] == true);
    CHECK(e["revoked_reason"] == "gestohlen in der Bibliothek");
    CHECK(e["records"] == 5);
    CHECK(e["last_result"] == "revoked");
    CHECK(device_entry(st, other)["revoked"] == false);
    CHECK(device_entry(st, other)["last_result"] == "ok");
    CHECK(st["devices_revoked"] == 1);
    bool logged = false;
    for (const json& ev : st["events"]) logged |= ev["kind"] == "revoke" && ev["device"] == id;
    CHECK(logged);
    CHECK(fleet_status_text(*s.store, opt).find("REVOKED (gestohlen in der Bibliothek)") != std::string::npos);
}

TEST_CASE("fleet: status counts per site, channel and day, targets, stale devices and pairing codes") {
    ServerFixture s;
    Device a, b, c;
    std::string err;
    int status = 0;
    std::string code_a = s.store->new_pairing_code("Bibliothek", 1, nullptr);
    std::string code_open = s.store->new_pairing_code("Seniorentreff", 48, nullptr);
    REQUIRE(s.store->enrol(code_a, a.pka, &status, &err));
    s.enrol(b);
    s.enrol(c); // enrolled, never synced
    auto ra = a.chain(7), rb = b.chain(4);
    std::string ba = a.bundle(ra), bb = b.bundle(rb);
    CHECK(s.store->ingest((const uint8_t*)ba.data(), ba.size(), kNetworkBundleLimits, "t").status == 200);
    CHECK(s.store->ingest((const uint8_t*)bb.data(), bb.size(), kNetworkBundleLimits, "t").status == 200);
    REQUIRE(s.store->set_target("Bibliothek", 20, &err));
    REQUIRE(s.store->set_target("Rathaus", 5, &err));
    REQUIRE(s.store->set_target("Rathaus", 0, &err)); // removed again

    FleetOptions opt;
    json st = json::parse(fleet_status_json(*s.store, opt));
    CHECK(st["records"] == 11);
    // Every drill record is site "Bibliothek", channel "kiosk", at 1764000000 (2025-11-24).
    REQUIRE(st["counts"].size() == 1);
    CHECK(st["counts"][0]["site"] == "Bibliothek");
    CHECK(st["counts"][0]["channel"] == "kiosk");
    CHECK(st["counts"][0]["day"] == "2025-11-24");
    CHECK(st["counts"][0]["n"] == 11);
    REQUIRE(st["targets"].size() == 1);
    CHECK(st["targets"][0]["site"] == "Bibliothek");
    CHECK(st["targets"][0]["expected"] == 20);
    CHECK(st["targets"][0]["collected"] == 11);
    CHECK(device_entry(st, a)["records"] == 7);
    CHECK(device_entry(st, a)["chain_head"] == 7);
    CHECK(device_entry(st, c)["last_seen"].is_null());
    CHECK(st["devices_stale"] == 0);
    // Eight days later every device is stale; a device that never synced counts from enrolment.
    opt.now = (int64_t)std::time(nullptr) + 8 * 86400;
    st = json::parse(fleet_status_json(*s.store, opt));
    CHECK(st["devices_stale"] == 3);
    CHECK(device_entry(st, c)["days_unseen"] == 8);
    opt.stale_days = 30;
    CHECK(json::parse(fleet_status_json(*s.store, opt))["devices_stale"] == 0);

    // Codes: three used (a, b, c), one open; two days on the open one has expired.
    std::vector<PairingCodeInfo> codes = s.store->pairing_codes();
    REQUIRE(codes.size() == 4);
    int64_t now = (int64_t)std::time(nullptr);
    int used = 0, open = 0;
    for (const PairingCodeInfo& ci : codes) {
        used += std::string(ci.state(now)) == "used";
        open += std::string(ci.state(now)) == "open";
        CHECK(ci.id.size() == 8);
        // The listing never carries the code itself.
        CHECK(code_open.find(ci.id) == std::string::npos);
    }
    CHECK(used == 3);
    CHECK(open == 1);
    for (const PairingCodeInfo& ci : codes)
        if (ci.site == "Seniorentreff") CHECK(std::string(ci.state(now + 49 * 3600)) == "expired");
    std::string text = fleet_status_text(*s.store, FleetOptions{});
    CHECK(text.find("records 11\n") != std::string::npos);
    CHECK(text.find("target site 'Bibliothek'  11 of 20 expected") != std::string::npos);
    CHECK(text.find("site 'Seniorentreff'") != std::string::npos);
}

TEST_CASE("fleet: a device that holds records the server lacks is flagged MISSING") {
    ServerFixture s;
    Device d;
    s.enrol(d);
    auto recs = d.chain(6);
    // The kiosk signs its head (record 6) but sends only 1..4.
    BundleExtras x;
    x.head.seq = 6;
    x.head.hash = record_hash(recs[5]);
    x.head.time = 1764000000;
    sign_head(x.head, d.pk, d.sk);
    auto b = make_bundle({recs.begin(), recs.begin() + 4}, d.sk, 1764000000, &x);
    REQUIRE(s.store->ingest(b.data(), b.size(), kNetworkBundleLimits, "t").status == 200);
    json st = json::parse(fleet_status_json(*s.store, FleetOptions{}));
    CHECK(device_entry(st, d)["missing"] == 2);
    CHECK(st["devices_with_missing_records"] == 1);
    CHECK(fleet_status_text(*s.store, FleetOptions{}).find("MISSING 2 records") != std::string::npos);
}

TEST_CASE("fleet: /metrics is valid Prometheus text, with hostile site names escaped") {
    LiveServer s;
    Device d, e;
    std::string err;
    int status = 0;
    // Sites are named by coordinators and by kiosks: quotes, backslashes and newlines must not
    // break a label or start a line of their own.
    REQUIRE(s.store->enrol(s.store->new_pairing_code("Bib\"\\\nteilhabe_records 999", 1, nullptr), d.pka, &status, &err));
    s.enrol(e);
    auto recs = d.chain(3);
    REQUIRE(s.upload(d.bundle(recs))->status == 200);
    REQUIRE(s.store->revoke(device_id_hex(e.pka), "verloren", &err));
    CHECK(s.upload(e.bundle(e.chain(1)))->status == 403);
    CHECK(s.upload("junk")->status == 400);

    httplib::Client c(s.url());
    // Each request is timed when its log line is written, after its answer went out: the
    // metrics may lag the client by a moment, so ask until the four requests above are in.
    auto r = c.Get("/metrics");
    for (int i = 0; i < 100 && r; i++) {
        std::smatch m;
        if (std::regex_search(r->body, m, std::regex(R"(\nteilhabe_request_duration_seconds_count (\d+)\n)")) &&
            std::stoi(m[1]) >= 3)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        r = c.Get("/metrics");
    }
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->get_header_value("Content-Type").find("text/plain; version=0.0.4") == 0);
    const std::string& m = r->body;
    std::regex line(R"(^(# (HELP|TYPE) [a-z_]+ .+|[a-z_]+(\{[a-z]+="([^"\\]|\\.)*"(,[a-z]+="([^"\\]|\\.)*")*\})? [0-9.e+-]+)$)");
    std::istringstream in(m);
    std::string l;
    int lines = 0;
    while (std::getline(in, l)) {
        lines++;
        CHECK_MESSAGE(std::regex_match(l, line), l);
    }
    CHECK(lines > 20);
    CHECK(m.find("\nteilhabe_records 3\n") != std::string::npos);
    CHECK(m.find("\nteilhabe_records 999") == std::string::npos);
    CHECK(m.find("\nteilhabe_devices 2\n") != std::string::npos);
    CHECK(m.find("\nteilhabe_devices_revoked 1\n") != std::string::npos);
    CHECK(m.find("teilhabe_refusals_total{reason=\"revoked\"} 1\n") != std::string::npos);
    CHECK(m.find("teilhabe_refusals_total{reason=\"malformed\"} 1\n") != std::string::npos);
    // The requests before this one were timed (enrolments go through the store, not HTTP).
    std::smatch cnt;
    REQUIRE(std::regex_search(m, cnt, std::regex(R"(\nteilhabe_request_duration_seconds_count (\d+)\n)")));
    CHECK(std::stoi(cnt[1]) >= 3);
    CHECK(m.find("teilhabe_request_duration_seconds_bucket{le=\"+Inf\"} " + cnt[1].str() + "\n") != std::string::npos);
}

TEST_CASE("device status: the server's reader takes known fields of their type and refuses the rest") {
    DeviceStatus s;
    s.program = "teilhabe-kiosk 0.1.0";
    s.survey_id = "buerger-digital";
    s.survey_version = "1.2";
    s.survey_hash = "sha256:ab";
    s.unsynced = 12;
    s.in_memory = 0;
    s.alarms = {"Speicher voll"};
    s.free_disk_mb = 512;
    s.last_sync = 1764000000;
    s.clock = 1764003600;
    DeviceStatus back;
    std::string err;
    REQUIRE_MESSAGE(parse_device_status(device_status_json(s), back, &err), err);
    CHECK(back.program == s.program);
    CHECK(back.survey_version == "1.2");
    CHECK(back.unsynced == 12);
    CHECK(back.alarms == s.alarms);
    CHECK(back.free_disk_mb == 512);
    CHECK(status_changes(s, back).empty());
    back.survey_version = "1.3";
    back.alarms.clear();
    CHECK(status_changes(s, back) == std::vector<std::string>{"survey", "alarms"});
    // A newer kiosk's extra field is skipped, not a refusal.
    CHECK(parse_device_status(R"({"program":"x","battery":93})", back, &err));
    for (const char* bad : {"", "[]", "\"x\"", "{\"program\":5}", "{\"unsynced\":\"3\"}", "{\"unsynced\":-2}",
                            "{\"unsynced\":1.5}", "{\"alarms\":\"voll\"}", "{\"alarms\":[1]}", "{\"clock\":-1}"})
        CHECK_MESSAGE(!parse_device_status(bad, back, &err), bad);
    CHECK_FALSE(parse_device_status("{\"program\":\"" + std::string(kMaxStatusText + 1, 'x') + "\"}", back, &err));
    std::string many = "{\"alarms\":[";
    for (size_t i = 0; i <= kMaxAlarms; i++) many += std::string(i ? "," : "") + "\"a\"";
    CHECK_FALSE(parse_device_status(many + "]}", back, &err));
    // Invalid UTF-8 from the device never makes the writer throw.
    s.program = "bad \xff\xfe bytes";
    CHECK(parse_device_status(device_status_json(s), back, &err));
}

TEST_CASE("device status: each sync carries it; the server keeps the latest and what changed") {
    LiveServer s;
    test::TempDir kdir;
    auto v = drill_vault(kdir.path, 3, "kiosk", "Bibliothek");
    s.enrol_kiosk(kdir.path);
    SyncOptions opt;
    opt.status.program = "teilhabe-kiosk 0.1.0";
    opt.status.survey_id = "buerger-digital";
    opt.status.survey_version = "1.0";
    SyncResult r = sync_once(*v, s.url(), nullptr, opt);
    REQUIRE_MESSAGE(r.ok, r.error);
    json st = json::parse(fleet_status_json(*s.store, FleetOptions{}));
    REQUIRE(st["devices"].size() == 1);
    const json& ds = st["devices"][0]["status"];
    REQUIRE(ds.is_object());
    CHECK(ds["program"] == "teilhabe-kiosk 0.1.0");
    CHECK(ds["survey_id"] == "buerger-digital");
    CHECK(ds["unsynced"] == 3);                     // as the sync began
    CHECK(ds["research_key"] == v->research_key_fingerprint());
    CHECK(ds["alarms"][0] == "demo-key");           // the drill vault seals to the demo key
    CHECK(ds["free_disk_mb"].get<int64_t>() > 0);
    CHECK(std::abs(ds["clock"].get<int64_t>() - (int64_t)std::time(nullptr)) < 60);
    CHECK(st["devices_with_alarms"] == 1);
    // Same survey again: the latest status moves, the history does not grow.
    append_drill(*v, 2, "kiosk", "Bibliothek");
    REQUIRE(sync_once(*v, s.url(), nullptr, opt).ok);
    CHECK(s.store->status_history("", 10).size() == 1);
    // A survey update on the kiosk is a change with its own row.
    opt.status.survey_version = "1.1";
    append_drill(*v, 1, "kiosk", "Bibliothek");
    REQUIRE(sync_once(*v, s.url(), nullptr, opt).ok);
    auto hist = s.store->status_history(device_id_hex(s.store->devices()[0].pk), 10);
    REQUIRE(hist.size() == 2);
    CHECK(hist[0].changed == "survey");
    CHECK(hist[1].changed == "first");
    CHECK(json::parse(hist[0].status)["survey_version"] == "1.1");
    std::string text = fleet_status_text(*s.store, FleetOptions{});
    CHECK(text.find("runs teilhabe-kiosk 0.1.0, survey buerger-digital 1.1") != std::string::npos);
    CHECK(text.find("ALARM demo-key") != std::string::npos);
}

TEST_CASE("device status: a status the server cannot read is logged; the records are stored") {
    ServerFixture s;
    Device d;
    s.enrol(d);
    BundleExtras x;
    x.status = "{\"program\": 42, \"alarms\": \"<script>\"}";
    auto b = make_bundle(d.chain(2), d.sk, 1764000000, &x);
    IngestResult r = s.store->ingest(b.data(), b.size(), kNetworkBundleLimits, "t");
    CHECK(r.status == 200);
    CHECK(r.stored == 2);
    CHECK(s.store->devices()[0].status.empty());
    auto ev = s.store->event_page(10, 0, "bad-status", "");
    REQUIRE(ev.size() == 1);
    CHECK(ev[0].detail.find("device status: alarms is not a list") != std::string::npos);
}
