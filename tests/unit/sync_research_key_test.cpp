// The study's research key, checked before the field: a server that knows it refuses the
// enrolment and the bundles of a kiosk sealing to another key (a demo key most of all), and a
// kiosk data folder set up by script (`teilhabe enrol`, provisioning) seals to the right one
// and takes the site named with its pairing code.
#include <doctest/doctest.h>

#include <fstream>

#include "enrolment.h"
#include "keys.h"
#include "provision.h"
#include "sync_server_fixture.h"

using namespace tk;
using namespace tk::servertest;

namespace {

// A research key pair of a study: DIR/research.pub (and its secret, unused here).
struct StudyKey {
    test::TempDir dir;
    ResearchPublicKey pub;
    std::string fp;
    StudyKey() {
        std::string err;
        REQUIRE_MESSAGE(write_research_key_files(dir / "research.key", dir / "research.pub", "pw", KdfStrength::Minimum, &pub, &err), err);
        fp = research_fingerprint(pub);
    }
    std::string pub_path() const { return dir / "research.pub"; }
};

ServerConfig accepting(const StudyKey& k) {
    ServerConfig cfg;
    cfg.research_keys = {k.fp};
    return cfg;
}

void write_text(const std::string& path, const std::string& text) {
    std::ofstream f(path, std::ios::binary);
    f << text;
}

} // namespace

TEST_CASE("research key: a kiosk on the demo key is refused at enrolment, and its code stays usable") {
    StudyKey study;
    LiveServer s(accepting(study));
    test::TempDir kd;
    auto v = drill_vault(kd.path, 3, "kiosk", ""); // sealed to the demo key, as in the issue
    REQUIRE(v->status().demo_key);
    std::string code = s.store->new_pairing_code("Stadtbibliothek", 1, nullptr), err;
    EnrolResult r;
    CHECK(!enrol_device(*v, s.url(), code, SyncOptions{}, &r, &err));
    CHECK(r.refusal.code == "wrong-research-key");
    CHECK(r.refusal.expected_key == study.fp);
    CHECK(err.find(v->research_key_fingerprint()) != std::string::npos);
    CHECK(err.find("research.pub") != std::string::npos);
    CHECK(!std::filesystem::exists(kd / "server.pub"));
    CHECK(s.store->devices().empty());
    CHECK(s.logged("409 wrong-research-key"));

    // With the study's research.pub the same code enrols (it was not spent), and the site
    // named with it comes back to the kiosk.
    v.reset();
    std::filesystem::copy_file(study.pub_path(), kd / "research.pub");
    v = Vault::open(kd.path, true, &err);
    REQUIRE_MESSAGE(v, err);
    CHECK(v->research_key_fingerprint() == study.fp);
    REQUIRE_MESSAGE(enrol_device(*v, s.url(), code, SyncOptions{}, &r, &err), err);
    CHECK(r.site == "Stadtbibliothek");
    ServerPin pin;
    REQUIRE(read_server_pin(kd.path, pin, &err));
    CHECK(pin.site == "Stadtbibliothek");
}

TEST_CASE("research key: bundles sealed to another key are refused before anything is stored") {
    StudyKey study;
    LiveServer s(accepting(study));
    test::TempDir kd;
    auto v = drill_vault(kd.path, 40, "kiosk", "");
    // Enrolled before the server was told the study's key: the store registers the device
    // directly, as that enrolment left it.
    std::string code = s.store->new_pairing_code("", 1, nullptr), err;
    int status = 0;
    DeviceIdentity id;
    bool created = false;
    REQUIRE(load_or_create_device(kd / "device.key", false, id, &created, &err));
    std::array<uint8_t, 32> pk{};
    std::copy(id.pk, id.pk + 32, pk.begin());
    REQUIRE_MESSAGE(s.store->enrol(code, pk, &status, &err), err);
    ServerPin pin;
    pin.server_pk = s.store->server_pk();
    pin.url = s.url();
    REQUIRE(write_server_pin(kd.path, pin, &err));

    SyncResult r = sync_once(*v, s.url(), nullptr, SyncOptions{});
    CHECK(!r.ok);
    CHECK(r.http_status == 409);
    CHECK(r.refusal.code == "wrong-research-key");
    CHECK(r.refusal.expected_key == study.fp);
    CHECK(s.store->record_count() == 0);
    CHECK(v->status().unsynced == 40); // nothing marked: the answers wait for the right key
    bool event = false;
    for (const std::string& e : s.store->events(20)) event = event || e.find("reject-research-key") != std::string::npos;
    CHECK(event);

    // The USB path carries the same statement: a bundle names the key it was sealed to.
    REQUIRE_MESSAGE(export_bundle(*v, kd / "stick.tkb", nullptr, &err), err);
    std::string bytes = test::slurp(kd / "stick.tkb");
    Bundle b;
    REQUIRE(read_bundle((const uint8_t*)bytes.data(), bytes.size(), BundleLimits{}, b, nullptr, &err));
    CHECK(b.research_key == v->research_key_fingerprint());
}

TEST_CASE("research key: the study's key passes; a server without keys checks nothing") {
    StudyKey study, other;
    test::TempDir kd;
    std::string err;
    std::filesystem::copy_file(study.pub_path(), kd / "research.pub");
    auto v = Vault::open(kd.path, false, &err);
    REQUIRE_MESSAGE(v, err);
    append_drill(*v, 12, "kiosk", "");
    ServerConfig cfg;
    cfg.research_keys = {other.fp, study.fp}; // a study may accept more than one key
    LiveServer s(cfg);
    s.enrol_kiosk(kd.path);
    SyncResult r = sync_once(*v, s.url(), nullptr, SyncOptions{});
    REQUIRE_MESSAGE(r.ok, r.error);
    CHECK(s.store->record_count() == 12);

    test::TempDir demo;
    auto dv = drill_vault(demo.path, 5, "kiosk", "");
    LiveServer unchecked;
    unchecked.enrol_kiosk(demo.path);
    r = sync_once(*dv, unchecked.url(), nullptr, SyncOptions{});
    REQUIRE_MESSAGE(r.ok, r.error);
    CHECK(unchecked.store->record_count() == 5);
}

TEST_CASE("teilhabe enrol: a fresh data folder is set up as the kiosk sets it up, and enrols") {
    StudyKey study;
    LiveServer s(accepting(study));
    test::TempDir root;
    std::string dir = root / "kiosk", err;
    // Nothing to seal to: refused, nothing made (a typo in --data must not become a kiosk).
    CHECK(!open_kiosk_folder(dir, "", &err));
    CHECK(err.find("research.pub") != std::string::npos);
    CHECK(!std::filesystem::exists(dir));

    auto v = open_kiosk_folder(dir, study.pub_path(), &err);
    REQUIRE_MESSAGE(v, err);
    CHECK(std::filesystem::exists(dir + "/device.key"));
    CHECK(std::filesystem::exists(dir + "/vault.sqlite"));
    CHECK(!std::filesystem::exists(dir + "/demo-research.key"));
    CHECK(v->research_key_fingerprint() == study.fp);
    EnrolResult r;
    REQUIRE_MESSAGE(enrol_device(*v, s.url(), s.store->new_pairing_code("Rathaus", 1, nullptr), SyncOptions{}, &r, &err), err);
    CHECK(r.site == "Rathaus");
    CHECK(s.store->devices().size() == 1);

    // Again on the same folder: opened as it is; another study's key is refused, nothing changed.
    StudyKey other;
    v.reset();
    CHECK(!open_kiosk_folder(dir, other.pub_path(), &err));
    CHECK(err.find("already holds research key " + study.fp) != std::string::npos);
    v = open_kiosk_folder(dir, study.pub_path(), &err);
    REQUIRE_MESSAGE(v, err);
    CHECK(v->research_key_fingerprint() == study.fp);
}

TEST_CASE("provisioning file: read, applied once, site from the file when the server names none") {
    StudyKey study;
    LiveServer s(accepting(study));
    test::TempDir stick, root;
    std::filesystem::copy_file(study.pub_path(), stick / "research.pub");
    std::string code = s.store->new_pairing_code("", 1, nullptr), err;
    write_text(stick / kProvisionFileName, "{\"server\": \"" + s.url() + "\", \"code\": \"" + code +
                                               "\", \"site\": \"Seniorentreff\", \"research_pub\": \"research.pub\"}");
    Provision p;
    REQUIRE_MESSAGE(read_provision(stick / kProvisionFileName, p, &err), err);
    CHECK(p.research_pub == stick / "research.pub");
    std::string dir = root / "kiosk";
    ProvisionResult r = apply_provision(dir, p, SyncOptions{});
    REQUIRE_MESSAGE(r.ok, r.error);
    CHECK(!r.already_enrolled);
    CHECK(r.research_key == study.fp);
    ServerPin pin;
    REQUIRE(read_server_pin(dir, pin, &err));
    CHECK(pin.site == "Seniorentreff");
    CHECK(pin.url == s.url());
    // A second start with the file still there sends nothing (the code is used up).
    r = apply_provision(dir, p, SyncOptions{});
    CHECK(r.ok);
    CHECK(r.already_enrolled);

    // Bad files say what is wrong, and where.
    write_text(stick / "bad.json", "{\"server\": \"research.example\", \"code\": \"" + code + "\"}");
    CHECK(!read_provision(stick / "bad.json", p, &err));
    CHECK(err.find("$.server") != std::string::npos);
    write_text(stick / "bad.json", "{\"server\": \"https://x\"}");
    CHECK(!read_provision(stick / "bad.json", p, &err));
    CHECK(err.find("$.code: required") != std::string::npos);
    write_text(stick / "bad.json", "[1,");
    CHECK(!read_provision(stick / "bad.json", p, &err));
    CHECK(err.find("bad.json") != std::string::npos);
}
