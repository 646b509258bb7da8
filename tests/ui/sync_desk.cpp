// The staff menu's transport desk, headless, against a real research server in this process
// over loopback: enrol by typing the pairing code, sync in batches with progress, a dead and
// a refusing server, a USB stick export with the receipt brought back (among other kiosks'
// receipts), signed survey updates from the server and from the stick.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <sodium.h>
#include <thread>

#include "enrolment.h"
#include "keys.h"
#include "kiosk_harness.h"
#include "sync_desk_screen.h"
#include "server_api.h"
#include "server_store.h"
#include "survey_update.h"
#include "sync_desk.h"
#include "research_key.h"
#include "hex.h"
#include "tls_trust.h"

using tkt::Harness;

namespace {

std::string slurp(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

// teilhabe-server in this process: store in a temp dir, API on 127.0.0.1 with a free port.
struct Server {
    std::string dir = tkt::temp_dir("srv");
    std::unique_ptr<tk::ServerStore> store;
    std::unique_ptr<tk::ServerApi> api;
    httplib::Server srv;
    std::thread th;
    int port = 0;
    explicit Server(tk::ServerConfig cfg = {}) {
        std::string err;
        store = tk::ServerStore::open(dir, true, &err);
        REQUIRE_MESSAGE(store, err);
        cfg.log = [](const std::string&) {};
        api = std::make_unique<tk::ServerApi>(*store, cfg);
        api->mount(srv);
        port = srv.bind_to_any_port("127.0.0.1");
        REQUIRE(port > 0);
        th = std::thread([this] { srv.listen_after_bind(); });
        for (int i = 0; i < 200 && !srv.is_running(); i++) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    void stop() {
        srv.stop();
        if (th.joinable()) th.join();
    }
    ~Server() {
        stop();
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
};

// The kiosk with `n` sealed responses in its vault, on the staff menu's transport desk.
struct Desk {
    Harness h;
    std::atomic<int> wakes{0};
    explicit Desk(int n) {
        std::vector<tk::PlainRecord> items;
        for (int i = 0; i < n; ++i)
            items.push_back({"{\"answers\":{\"ONLINE\":\"" + std::to_string(i % 4 + 1) + "\"}}",
                             tk::RecordMeta{"buerger-digital", "sha256:abc", "kiosk", "Bibliothek", 1764000000}});
        if (n > 0)
            for (const auto& r : h.vault->append_batch(items)) REQUIRE(r.durable);
        h.app.staff_info_fn = [this] {
            tk::VaultStatus s = h.vault->status();
            tk::StaffInfo i;
            i.records = s.records;
            i.unsynced = s.unsynced;
            i.last_sync = s.last_sync;
            return i;
        };
        h.app.sync.wake = [this] { wakes++; }; // the worker's "wake the event loop"
        h.app.screen = tk::Screen::StaffMenu;
        h.app.pin.must_change = false;
        h.frames(2);
        h.click("staff/sync");
        REQUIRE(h.app.staff_desk == tk::StaffDesk::Sync);
    }
    // The worker's wake lambda points at this Desk: it must be joined before the members die,
    // also when a REQUIRE throws out of a test half-way through a job.
    ~Desk() { tk::sync_desk_wait(h.app.sync); }
    // Types into a text field of the desk as staff do: click it, type, click off it.
    void type_into(const std::string& field, const std::string& text) {
        h.click(field);
        h.type(text);
        h.key(GLFW_KEY_ENTER);
    }
    // Draws frames until the running job ended (bounded), then a few more.
    void wait_job() {
        for (int i = 0; i < 3000 && tk::sync_desk_busy(h.app.sync); ++i) {
            h.frame();
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        REQUIRE(!tk::sync_desk_busy(h.app.sync));
        h.frames(3);
    }
    int64_t unsynced() { return h.vault->status().unsynced; }
    void enrol(Server& s) {
        std::string code = s.store->new_pairing_code("Bibliothek", 1, nullptr);
        type_into("sync/url", s.url());
        type_into("sync/code", code);
        h.click("sync/enrol");
        wait_job();
        REQUIRE_MESSAGE(h.app.sync.last.ok, h.app.sync.last.error);
    }
};

} // namespace

TEST_CASE("sync desk: enrol with a typed code, sync in batches with progress, records marked synced") {
    Server s;
    Desk d(1234);
    CHECK(d.h.ui.page_name == "SyncDesk idle");
    CHECK(d.h.app.sync.enrolled_fingerprint.empty());

    // A code that cannot be one is refused before anything is sent.
    d.type_into("sync/url", s.url());
    d.type_into("sync/code", "nonsense");
    d.h.click("sync/enrol");
    CHECK(!tk::sync_desk_busy(d.h.app.sync));
    CHECK(d.h.app.sync.refused == "staff_sync_bad_code");
    d.h.app.sync.pairing_code.clear();
    d.h.app.sync.server_url.clear();

    d.enrol(s);
    CHECK(d.h.app.sync.last.server_fingerprint == s.store->server_fingerprint());
    CHECK(d.h.app.sync.enrolled_fingerprint == s.store->server_fingerprint());
    CHECK(d.h.app.sync.pairing_code.empty()); // a used code does not stay on screen
    CHECK(std::filesystem::exists(d.h.dir + "/server.pub"));
    CHECK(d.h.ui.page_name == "SyncDesk done enrol ok");

    d.h.app.sync.options.batch = 100;
    d.wakes = 0;
    d.h.click("sync/run");
    bool saw_running = d.h.ui.page_name == "SyncDesk running sync";
    int64_t max_done = 0;
    for (int i = 0; i < 3000 && tk::sync_desk_busy(d.h.app.sync); ++i) {
        d.h.frame();
        saw_running = saw_running || d.h.ui.page_name == "SyncDesk running sync";
        max_done = std::max(max_done, tk::sync_desk_done(d.h.app.sync));
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    d.wait_job();
    const tk::SyncOutcome& o = d.h.app.sync.last;
    REQUIRE_MESSAGE(o.ok, o.error);
    CHECK(saw_running);
    CHECK(d.h.has("sync/progress"));
    CHECK(tk::sync_desk_total(d.h.app.sync) == 1234);
    CHECK(tk::sync_desk_done(d.h.app.sync) == 1234);
    CHECK(d.wakes >= 13 + 1); // one per acknowledged batch of 100, and the end
    CHECK(o.sync.sent == 1234);
    CHECK(o.sync.stored == 1234);
    CHECK(o.sync.duplicates == 0);
    CHECK(o.unsynced_after == 0);
    CHECK(d.unsynced() == 0); // the kiosk's own vault connection sees the worker's marks
    CHECK(s.store->record_count() == 1234);
    CHECK(d.h.ui.page_name == "SyncDesk done sync ok");

    // Nothing new: a second run sends nothing and says so.
    d.h.click("sync/run");
    d.wait_job();
    CHECK(d.h.app.sync.last.ok);
    CHECK(d.h.app.sync.last.sync.sent == 0);
    CHECK(s.store->record_count() == 1234);

    // Leaving the desk and the staff menu keeps the enrolment, wipes what was typed.
    d.h.click("sync/leave");
    CHECK(d.h.app.staff_desk == tk::StaffDesk::Menu);
}

TEST_CASE("sync desk: server down or refusing - clear error, nothing marked synced") {
    Server s;
    Desk d(40);
    d.enrol(s);

    // Another server at another address does not know this device: 403 with its reason.
    Server other;
    d.h.app.sync.server_url.clear();
    d.type_into("sync/url", other.url());
    d.h.click("sync/run");
    d.wait_job();
    const tk::SyncOutcome& o = d.h.app.sync.last;
    CHECK(!o.ok);
    CHECK(o.sync.http_status == 403);
    CHECK(o.error.find("unknown-device") != std::string::npos);
    CHECK(d.unsynced() == 40);
    CHECK(other.store->record_count() == 0);
    CHECK(d.h.ui.page_name == "SyncDesk done sync failed");
    // The pinned address stays the one that worked.
    CHECK(d.h.app.sync.enrolled_url == s.url());

    // The enrolled server is gone: no answer at all.
    std::string url = s.url();
    s.stop();
    d.h.app.sync.server_url = url;
    d.h.app.sync.options.retries = 0;
    d.h.click("sync/run");
    d.wait_job();
    CHECK(!d.h.app.sync.last.ok);
    CHECK(d.h.app.sync.last.sync.http_status == 0);
    CHECK(d.h.app.sync.last.error.find("cannot reach") != std::string::npos);
    CHECK(d.h.app.sync.last.unsynced_after == 40);
    CHECK(d.unsynced() == 40);

    // While a job runs no second one starts.
    d.h.app.sync.options.retries = 1;
    REQUIRE(tk::sync_desk_start_sync(d.h.app.sync));
    CHECK(!tk::sync_desk_start_export(d.h.app.sync, 0));
    CHECK(d.h.app.sync.refused == "staff_sync_busy");
    d.wait_job();
}

TEST_CASE("sync desk: USB stick export stays unsynced until the receipt is read back") {
    Server s;
    Desk d(25);
    d.enrol(s);
    std::string stick = tkt::temp_dir("stick");
    setenv("TK_USB_ROOTS", (stick + ":" + d.h.dir + "/no-such-stick").c_str(), 1);
    d.h.click("sync/usb_refresh");
    REQUIRE(d.h.app.sync.volumes.size() == 1); // the missing one is not offered
    CHECK(d.h.app.sync.volume == 0);            // a single stick is chosen at once
    CHECK(d.h.has("sync/usb/0"));

    // No receipt yet: refused with a reason, nothing runs.
    d.h.click("sync/receipt");
    CHECK(d.h.app.sync.refused == "staff_sync_no_receipts");

    d.h.app.wall_clock = [] { return int64_t(1780000000); }; // 2026-05-28 20:26:40 UTC
    d.h.click("sync/export");
    d.wait_job();
    const tk::SyncOutcome& o = d.h.app.sync.last;
    REQUIRE_MESSAGE(o.ok, o.error);
    CHECK(o.count == 25);
    CHECK(o.path == stick + "/" + tk::bundle_file_name(d.h.vault->status().device_id, 1780000000));
    CHECK(o.path.find("-20260528-202640.tkb") != std::string::npos);
    CHECK(std::filesystem::exists(o.path));
    CHECK(d.unsynced() == 25); // exported is not transferred

    // The server imports the stick's bundle and writes the receipt next to it.
    std::string bytes = slurp(o.path);
    tk::IngestResult r = s.store->ingest((const uint8_t*)bytes.data(), bytes.size(), tk::BundleLimits{}, "import test");
    REQUIRE_MESSAGE(r.status == 200, r.reason);
    std::ofstream(o.path + ".receipt", std::ios::binary).write((const char*)r.receipt.data(), (std::streamsize)r.receipt.size());
    std::ofstream(stick + "/zz-damaged.receipt") << "not a receipt";
    d.h.click("sync/usb_refresh");
    CHECK(d.h.app.sync.receipt_files.size() == 2);

    d.h.click("sync/receipt");
    d.wait_job();
    const tk::SyncOutcome& q = d.h.app.sync.last;
    REQUIRE(q.receipts.size() == 2);
    CHECK(q.receipts[0].ok);
    CHECK(q.receipts[0].acked == 25);
    CHECK(!q.receipts[1].ok);
    CHECK(!q.receipts[1].error.empty());
    CHECK(q.unsynced_after == 0);
    CHECK(d.unsynced() == 0);

    // Nothing left: export writes no empty file.
    d.h.click("sync/export");
    d.wait_job();
    CHECK(d.h.app.sync.last.ok);
    CHECK(d.h.app.sync.last.path.empty());
    unsetenv("TK_USB_ROOTS");
    std::error_code ec;
    std::filesystem::remove_all(stick, ec);
}

TEST_CASE("sync desk: a signed survey update is installed and replaces the running survey; a forged one is refused") {
    std::string updates = tkt::temp_dir("updates");
    tk::ServerConfig cfg;
    cfg.surveys_dir = updates;
    Server s(cfg);
    Desk d(0);
    // The kiosk runs on a demo key: its signing half is on the device.
    tk::ResearchSecretKey sk;
    std::string err;
    REQUIRE_MESSAGE(tk::load_research_secret(d.h.dir + "/demo-research.key", tk::kDemoPassphrase, sk, &err), err);
    nlohmann::json survey = nlohmann::json::parse(slurp(std::string(TK_SOURCE_DIR) + "/surveys/buerger-digital.json"));
    survey["version"] = "2099-update";
    std::string good = survey.dump(1);
    std::ofstream(updates + "/buerger-digital-v2.json") << good;
    std::ofstream(updates + "/buerger-digital-v2.json.sig") << tk::sign_survey_file("buerger-digital-v2.json", good, sk.sign_sk);
    survey["version"] = "forged";
    std::string forged = survey.dump(1);
    std::ofstream(updates + "/forged.json") << forged;
    std::ofstream(updates + "/forged.json.sig") << tk::sign_survey_file("forged.json", good, sk.sign_sk); // other bytes

    d.type_into("sync/url", s.url());
    d.h.click("sync/update");
    d.wait_job();
    const tk::SyncOutcome& o = d.h.app.sync.last;
    REQUIRE_MESSAGE(o.ok, o.error);
    REQUIRE(o.update.applied.size() == 1);
    CHECK(o.update.applied[0] == "buerger-digital-v2.json");
    REQUIRE(o.update.refused.size() == 1);
    CHECK(o.update.refused[0].find("forged.json") == 0);
    CHECK(!std::filesystem::exists(d.h.dir + "/surveys/forged.json"));
    // The new version of the running survey is on screen.
    CHECK(d.h.app.survey->version == "2099-update");
    CHECK(d.h.app.survey_path == d.h.dir + "/surveys/buerger-digital-v2.json");
    CHECK(std::count_if(d.h.app.survey_files.begin(), d.h.app.survey_files.end(),
                        [&](const tk::SurveyFile& f) { return f.path == d.h.app.survey_path; }) == 1);
    std::error_code ec;
    std::filesystem::remove_all(updates, ec);
}

TEST_CASE("sync desk: USB mount points from /proc/self/mounts") {
    std::string mounts = "sysfs /sys sysfs rw 0 0\n"
                         "/dev/sda1 / ext4 rw 0 0\n"
                         "/dev/sdb1 /media/kiosk/STICK\\040EINS vfat rw 0 0\n"
                         "/dev/sdc1 /run/media/kiosk/B vfat rw 0 0\n"
                         "/dev/sdd1 /mnt vfat rw 0 0\n"
                         "/dev/sdb1 /media/kiosk/STICK\\040EINS vfat rw 0 0\n"
                         "tmpfs /mediathek tmpfs rw 0 0\n"
                         "broken-line-without-fields";
    std::vector<std::string> got = tk::usb_mount_points(mounts);
    REQUIRE(got.size() == 3);
    CHECK(got[0] == "/media/kiosk/STICK EINS");
    CHECK(got[1] == "/run/media/kiosk/B");
    CHECK(got[2] == "/mnt");
    CHECK(tk::bundle_file_name("ab12cd34", 0) == "teilhabe-ab12cd34-19700101-000000.tkb");
}

// teilhabe-server over TLS in this process, with a certificate for 127.0.0.1 made by the
// openssl command (as a municipality's CA would issue one); `pin` is its key's pin.
struct TlsServer {
    std::string dir = tkt::temp_dir("tls");
    std::unique_ptr<tk::ServerStore> store;
    std::unique_ptr<tk::ServerApi> api;
    std::unique_ptr<httplib::SSLServer> srv;
    std::thread th;
    int port = 0;
    std::string cert = dir + "/cert.pem", pin;
    TlsServer() {
        std::string cmd = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout '" + dir +
                          "/key.pem' -out '" + cert + "' -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1";
        REQUIRE_MESSAGE(std::system(cmd.c_str()) == 0, "the openssl command is needed: " << cmd);
        std::string err;
        REQUIRE_MESSAGE(tk::cert_file_pin(cert, pin, &err), err);
        store = tk::ServerStore::open(dir + "/data", true, &err);
        REQUIRE_MESSAGE(store, err);
        tk::ServerConfig cfg;
        cfg.log = [](const std::string&) {};
        api = std::make_unique<tk::ServerApi>(*store, cfg);
        srv = std::make_unique<httplib::SSLServer>(cert.c_str(), (dir + "/key.pem").c_str());
        REQUIRE(srv->is_valid());
        api->mount(*srv);
        port = srv->bind_to_any_port("127.0.0.1");
        REQUIRE(port > 0);
        th = std::thread([this] { srv->listen_after_bind(); });
        for (int i = 0; i < 200 && !srv->is_running(); i++) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ~TlsServer() {
        srv->stop();
        if (th.joinable()) th.join();
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
    std::string url() const { return "https://127.0.0.1:" + std::to_string(port); }
};

TEST_CASE("sync desk: a typed pin enrols; a CA put into the data folder counts without reopening the desk") {
    TlsServer s;
    Desk d(20);
    d.h.app.sync.options.retries = 0;
    auto german = [&] { return tk::sync_error_text(d.h.app.sync.last, d.h.app.texts, "de"); };
    std::string code = s.store->new_pairing_code("Bibliothek", 1, nullptr);
    d.type_into("sync/url", s.url());
    d.type_into("sync/code", code);

    // No CA, no pin: refused, in German, saying what to do, and that retrying will not help.
    d.h.click("sync/enrol");
    d.wait_job();
    REQUIRE(!d.h.app.sync.last.ok);
    CHECK(d.h.app.sync.last.net.kind == tk::NetFailure::cert_unknown);
    CHECK(german().rfind("Das Zertifikat des Servers ist unbekannt: ", 0) == 0);
    CHECK(german().find("server-ca.pem") != std::string::npos);
    CHECK(german().find("Erneut versuchen hilft nicht") != std::string::npos);
    CHECK(german().find("SSL") == std::string::npos);

    // A wrong pin typed: refused; the screen names both keys.
    std::string wrong = "sha256/" + std::string(43, 'A') + "=";
    d.type_into("sync/pin", wrong);
    d.h.click("sync/enrol");
    d.wait_job();
    REQUIRE(!d.h.app.sync.last.ok);
    CHECK(d.h.app.sync.last.net.kind == tk::NetFailure::pin_mismatch);
    CHECK(german().find("zeigt einen anderen Schlüssel (" + s.pin + ")") != std::string::npos);
    CHECK(german().find(wrong) != std::string::npos);
    CHECK(german().find("Es wurde nichts gesendet") != std::string::npos);
    // Not a pin at all: refused before a job starts.
    d.h.app.sync.pin = "sha256/xyz";
    CHECK(!tk::sync_desk_start_enrol(d.h.app.sync));
    CHECK(d.h.app.sync.refused == "staff_sync_bad_pin");

    // The right pin (hex, as the touch keyboard can type it): enrolled, and the pin is saved.
    std::array<uint8_t, 32> pin_bytes{};
    REQUIRE(tk::parse_pin(s.pin, pin_bytes));
    d.h.app.sync.pin = tk::to_hex(pin_bytes.data(), 32); // typing was shown above
    // Started directly: under the long message above, the button sits at the screen's edge.
    REQUIRE(tk::sync_desk_start_enrol(d.h.app.sync));
    d.wait_job();
    REQUIRE_MESSAGE(d.h.app.sync.last.ok, d.h.app.sync.last.error);
    CHECK(d.h.app.sync.pin.empty()); // wiped with the code
    CHECK(tk::load_saved_trust(d.h.dir).pin == tk::to_hex(pin_bytes.data(), 32));

    // The municipality's CA instead: the pin removed, the CA file put in while the desk stays open.
    std::filesystem::remove(d.h.dir + "/server-pin");
    d.h.click("sync/run");
    d.wait_job();
    CHECK(d.h.app.sync.last.net.kind == tk::NetFailure::cert_unknown);
    CHECK(d.unsynced() == 20);
    std::filesystem::copy_file(s.cert, d.h.dir + "/server-ca.pem");
    d.h.click("sync/run");
    d.wait_job();
    REQUIRE_MESSAGE(d.h.app.sync.last.ok, d.h.app.sync.last.error);
    CHECK(d.unsynced() == 0);
    CHECK(s.store->record_count() == 20);
}

TEST_CASE("sync desk: a sync with nothing to send does not save the typed address as the server's") {
    Server s;
    Desk d(0);
    d.enrol(s);
    tk::ServerPin pin;
    REQUIRE(tk::read_server_pin(d.h.dir, pin, nullptr));
    REQUIRE(pin.url == s.url());
    // Nothing unsynced: sync_once never asks the server, so the address proves nothing.
    d.h.app.sync.server_url.clear();
    d.type_into("sync/url", "http://127.0.0.1:1");
    d.h.click("sync/run");
    d.wait_job();
    CHECK(d.h.app.sync.last.ok);
    CHECK(d.h.app.sync.last.sync.sent == 0);
    REQUIRE(tk::read_server_pin(d.h.dir, pin, nullptr));
    CHECK(pin.url == s.url());
}

TEST_CASE("sync desk: a cancelled sync stops before its next batch; what was acknowledged stays synced") {
    Server s;
    Desk d(1234);
    d.enrol(s);
    d.h.app.sync.options.batch = 100;
    // Tick 1 is progress (0, total), tick 2 the first acknowledged batch: cancel there, as
    // quitting the kiosk does (main.cpp) - from another thread than the worker's.
    std::atomic<int> ticks{0};
    tk::SyncDesk& st = d.h.app.sync;
    st.wake = [&ticks, &st] {
        if (++ticks == 2) tk::sync_desk_cancel(st);
    };
    d.h.click("sync/run");
    tk::sync_desk_wait(st);
    const tk::SyncOutcome& o = st.last;
    CHECK_FALSE(o.ok);
    CHECK(o.error.find("cancelled") != std::string::npos);
    CHECK(o.sync.sent == 100);
    CHECK(d.unsynced() == 1134);
    st.wake = nullptr;
    // The next sync sends the rest.
    d.h.click("sync/run");
    d.wait_job();
    CHECK_MESSAGE(st.last.ok, st.last.error);
    CHECK(d.unsynced() == 0);
}

TEST_CASE("staff menu: leaving it wipes the pairing code and makes the next frame forget ImGui's copies") {
    Desk d(0);
    d.type_into("sync/code", "ABCD-EFGH");
    REQUIRE(d.h.app.sync.pairing_code == "ABCD-EFGH");
    int gen = d.h.app.generation;
    tk::leave_staff(d.h.app);
    CHECK(d.h.app.generation != gen);
    CHECK(d.h.app.sync.pairing_code.empty());
    d.h.frames(2);
    CHECK(d.h.ui.seen_generation == d.h.app.generation);
    CHECK(GImGui->InputTextState.ID == 0);
}

TEST_CASE("survey update while staff paused a respondent: the respondent's answers go to the vault as a partial") {
    Harness h;
    h.click("welcome");
    h.enter_until("WUNSCH");
    h.type("mehr Kurse");
    REQUIRE(h.app.session->answer("WUNSCH"));
    h.app.screen = tk::Screen::StaffMenu;
    h.app.pin.must_change = false;
    h.frames(2);
    REQUIRE(tk::staff_switch_survey(h.app, std::string(TK_SOURCE_DIR) + "/surveys/bedarfe-akteure.json"));
    CHECK(h.app.survey->id == "bedarfe-akteure");
    CHECK_FALSE(h.app.session);
    CHECK(h.app.partials == 1);
    CHECK(h.vault->status().records == 1);
    CHECK(h.app.screen == tk::Screen::StaffMenu); // staff stay where they were
}

TEST_CASE("sync desk: a stick with receipts for many kiosks - the others are skipped quietly and counted") {
    Server s;
    Desk d(6);
    d.enrol(s);
    std::string stick = tkt::temp_dir("stick");
    setenv("TK_USB_ROOTS", stick.c_str(), 1);
    d.h.click("sync/usb_refresh");
    d.h.app.wall_clock = [] { return int64_t(1780000000); };
    d.h.click("sync/export");
    d.wait_job();
    std::string bytes = slurp(d.h.app.sync.last.path);
    tk::IngestResult r = s.store->ingest((const uint8_t*)bytes.data(), bytes.size(), tk::BundleLimits{}, "import test");
    REQUIRE_MESSAGE(r.status == 200, r.reason);
    std::ofstream(d.h.app.sync.last.path + ".receipt", std::ios::binary)
        .write((const char*)r.receipt.data(), (std::streamsize)r.receipt.size());
    // The same import run answered three other kiosks: their receipts lie on the same stick.
    tk::DeviceIdentity server;
    bool created = false;
    std::string err;
    REQUIRE_MESSAGE(tk::load_or_create_device(s.dir + "/server.key", false, server, &created, &err), err);
    for (int i = 0; i < 3; ++i) {
        tk::Receipt other;
        uint8_t pk[32], sk[64];
        crypto_sign_keypair(pk, sk);
        std::copy(pk, pk + 32, other.device_pk.begin());
        other.acked_seq = 0;
        other.time = 1780000000;
        std::vector<uint8_t> b = tk::make_receipt(other, server.sk);
        std::ofstream(stick + "/teilhabe-other" + std::to_string(i) + ".tkb.receipt", std::ios::binary)
            .write((const char*)b.data(), (std::streamsize)b.size());
    }
    d.h.click("sync/usb_refresh");
    REQUIRE(d.h.app.sync.receipt_files.size() == 4);

    d.h.click("sync/receipt");
    d.wait_job();
    const tk::SyncOutcome& q = d.h.app.sync.last;
    CHECK(q.ok); // nothing refused: the screen shows no red line
    CHECK(q.other_device_receipts == 3);
    REQUIRE(q.receipts.size() == 1);
    CHECK(q.receipts[0].effect == tk::ReceiptEffect::Advanced);
    CHECK(q.receipts[0].acked == 6);
    CHECK(d.unsynced() == 0);
    CHECK(d.h.ui.page_name == "SyncDesk done receipts ok");
    unsetenv("TK_USB_ROOTS");
    std::error_code ec;
    std::filesystem::remove_all(stick, ec);
}

TEST_CASE("sync desk: survey updates from the stick install only when signed; without any the job is not started") {
    Desk d(0);
    std::string stick = tkt::temp_dir("stick");
    setenv("TK_USB_ROOTS", stick.c_str(), 1);
    d.h.frames(3); // the desk opened on the menu's scroll position; let its scroll to the top land
    d.h.click("sync/usb_refresh");
    d.h.click("sync/stick_update");
    CHECK(d.h.app.sync.refused == "staff_sync_no_stick_updates");

    tk::ResearchSecretKey sk;
    std::string err;
    REQUIRE_MESSAGE(tk::load_research_secret(d.h.dir + "/demo-research.key", tk::kDemoPassphrase, sk, &err), err);
    nlohmann::json survey = nlohmann::json::parse(slurp(std::string(TK_SOURCE_DIR) + "/surveys/buerger-digital.json"));
    survey["version"] = "2099-stick";
    std::string good = survey.dump(1), folder = stick + "/" + tk::kStickSurveyFolder;
    std::filesystem::create_directories(folder);
    std::ofstream(folder + "/buerger-digital-v3.json") << good;
    std::ofstream(folder + "/buerger-digital-v3.json.sig") << tk::sign_survey_file("buerger-digital-v3.json", good, sk.sign_sk);
    std::ofstream(folder + "/tampered.json") << good << " ";
    std::ofstream(folder + "/tampered.json.sig") << tk::sign_survey_file("tampered.json", good, sk.sign_sk);
    d.h.click("sync/usb_refresh");
    CHECK(d.h.app.sync.stick_updates.size() == 2);

    d.h.click("sync/stick_update");
    d.wait_job();
    const tk::SyncOutcome& o = d.h.app.sync.last;
    REQUIRE_MESSAGE(o.ok, o.error);
    CHECK(o.kind == tk::SyncJobKind::StickUpdate);
    CHECK(o.update.applied == std::vector<std::string>{"buerger-digital-v3.json"});
    REQUIRE(o.update.refused.size() == 1);
    CHECK(o.update.refused[0].find("tampered.json: file content differs") == 0);
    CHECK(!std::filesystem::exists(d.h.dir + "/surveys/tampered.json"));
    CHECK(d.h.app.survey->version == "2099-stick"); // the running survey's new version is on screen
    unsetenv("TK_USB_ROOTS");
    std::error_code ec;
    std::filesystem::remove_all(stick, ec);
}

// --- the study's research key and the site named at enrolment ---

namespace {
// The study's key pair in `dir` (research.pub for the server's --research-pub).
std::string study_key(const std::string& dir) {
    tk::ResearchPublicKey pub;
    std::string err;
    REQUIRE_MESSAGE(tk::write_research_key_files(dir + "/research.key", dir + "/research.pub", "pw", tk::KdfStrength::Minimum, &pub, &err), err);
    return tk::research_fingerprint(pub);
}
} // namespace

TEST_CASE("sync desk: a kiosk on the demo key is told in German which key to install; the staff menu shows its key") {
    std::string keys = tkt::temp_dir("study");
    tk::ServerConfig cfg;
    cfg.research_keys = {study_key(keys)};
    Server s(cfg);
    Desk d(2); // the harness's vault seals to a demo key
    d.h.app.staff_info_fn = [&d] { return tk::staff_info_of(d.h.vault->status()); };
    std::string own = d.h.vault->status().research_key_fingerprint;
    REQUIRE(!own.empty());
    d.type_into("sync/url", s.url());
    d.type_into("sync/code", s.store->new_pairing_code("Bibliothek", 1, nullptr));
    d.h.click("sync/enrol");
    d.wait_job();
    const tk::SyncOutcome& o = d.h.app.sync.last;
    CHECK(!o.ok);
    CHECK(o.refusal.code == "wrong-research-key");
    std::string text = d.h.frame_text();
    CHECK_MESSAGE(text.find("Dieser Kiosk verschlüsselt mit einem anderen Forschungsschlüssel (" + own + ") als der Server erwartet (" +
                            cfg.research_keys[0] + "): research.pub des Projekts einspielen") != std::string::npos, text);
    CHECK(d.h.app.sync.enrolled_fingerprint.empty());

    // The staff menu names the key, so staff can compare it with the research team's.
    d.h.click("sync/leave");
    d.h.frames(2);
    text = d.h.frame_text();
    CHECK_MESSAGE(text.find("Forschungsschlüssel dieses Kiosks: " + own) != std::string::npos, text);
    std::error_code ec;
    std::filesystem::remove_all(keys, ec);
}

TEST_CASE("enrolment site: the site of the pairing code becomes the default site, saved, once") {
    Server s;
    Desk d(0);
    d.h.app.config.site.clear();
    d.enrol(s); // the code was made for "Bibliothek"
    CHECK(d.h.app.config.site == "Bibliothek");
    CHECK(slurp(d.h.dir + "/kiosk-settings.json").find("\"site\": \"Bibliothek\"") != std::string::npos);

    // Staff move the kiosk; a restart keeps their choice (the enrolment's site was taken once).
    d.h.app.config.site = "Rathaus";
    REQUIRE(tk::save_config(d.h.app, nullptr));
    tk::KioskApp again;
    tk::kiosk_init(again, d.h.app.survey, d.h.app.texts, d.h.dir, 0);
    CHECK(again.config.site == "Rathaus");

    // Enrolled by script (`teilhabe enrol`, provisioning) before the kiosk first started:
    // the start takes the site from DIR/server.pub.
    tk::ServerPin pin;
    REQUIRE(tk::read_server_pin(d.h.dir, pin, nullptr));
    pin.site = "Seniorentreff";
    REQUIRE(tk::write_server_pin(d.h.dir, pin, nullptr));
    tk::KioskApp fresh;
    tk::kiosk_init(fresh, d.h.app.survey, d.h.app.texts, d.h.dir, 0);
    CHECK(fresh.config.site == "Seniorentreff");
    CHECK(slurp(d.h.dir + "/kiosk-settings.json").find("\"site\": \"Seniorentreff\"") != std::string::npos);
}

TEST_CASE("sync desk: set up from a provisioning file on the USB stick") {
    std::string keys = tkt::temp_dir("study"), stick = tkt::temp_dir("stick");
    tk::ServerConfig cfg;
    cfg.research_keys = {study_key(keys)};
    Server s(cfg);
    setenv("TK_USB_ROOTS", stick.c_str(), 1);
    Desk d(0);
    d.h.click("sync/usb_refresh");
    d.h.frames(2);
    // No file on the stick: said so, nothing started.
    d.h.click("sync/provision");
    CHECK(d.h.app.sync.refused == "staff_sync_no_provision");
    std::filesystem::copy_file(keys + "/research.pub", stick + "/research.pub");
    {
        std::ofstream f(stick + "/teilhabe-provision.json");
        f << "{\"server\": \"" << s.url() << "\", \"code\": \"" << s.store->new_pairing_code("Jugendzentrum", 1, nullptr)
          << "\", \"research_pub\": \"research.pub\"}";
    }
    // This kiosk still seals to its demo key: research.pub lands in its folder, and the server
    // refuses until the kiosk restarts with it.
    d.h.click("sync/provision");
    d.wait_job();
    CHECK(d.h.app.sync.last.refusal.code == "wrong-research-key");
    CHECK(std::filesystem::exists(d.h.dir + "/research.pub"));
    // After the restart the vault seals to the study's key; the same file (its code was not
    // spent) enrols, and the code's site becomes the kiosk's.
    std::string err;
    d.h.vault.reset();
    d.h.vault = tk::Vault::open(d.h.dir, true, &err);
    REQUIRE_MESSAGE(d.h.vault, err);
    CHECK(d.h.vault->status().research_key_fingerprint == cfg.research_keys[0]);
    d.h.click("sync/provision");
    d.wait_job();
    REQUIRE_MESSAGE(d.h.app.sync.last.ok, d.h.app.sync.last.error);
    CHECK(d.h.app.sync.enrolled_fingerprint == s.store->server_fingerprint());
    CHECK(d.h.app.config.site == "Jugendzentrum");
    unsetenv("TK_USB_ROOTS");
    std::error_code ec;
    std::filesystem::remove_all(keys, ec);
    std::filesystem::remove_all(stick, ec);
}
