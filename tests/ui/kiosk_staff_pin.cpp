// kiosk_staff_pin.cpp - the staff PIN's safety: the default PIN opens nothing but the PIN
// change, the wrong-PIN count and its back-off survive a restart, and an empty or damaged PIN
// file locks the staff menu instead of falling back to the default PIN.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "kiosk_harness.h"

using tkt::Harness;

namespace {

void type_pin(Harness& h, const std::string& pin) {
    for (char c : pin) h.key(GLFW_KEY_0 + (c - '0'));
    h.key(GLFW_KEY_ENTER);
}

// Logs in with the default PIN, which insists on a change, and changes it to `pin`.
void change_default_pin(Harness& h, const std::string& pin) {
    type_pin(h, tk::kDefaultStaffPin);
    REQUIRE(h.app.screen == tk::Screen::StaffMenu);
    CHECK(h.app.pin.must_change);
    type_pin(h, pin);
    type_pin(h, pin);
    REQUIRE(h.app.pin.message_key == "pin_changed");
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// A second kiosk on the same data folder, as after switching the machine off and on.
struct Restarted {
    tk::KioskApp app;
    Restarted(const Harness& h, double now, int64_t wall) {
        tk::UiTexts texts;
        std::string err;
        REQUIRE(tk::load_ui_texts(std::string(TK_SOURCE_DIR) + "/assets/ui-texts.json", texts, &err));
        app.wall_clock = [wall] { return wall; };
        tk::kiosk_init(app, h.app.survey, texts, h.dir, now);
    }
    bool attempt(const std::string& pin, double now) {
        tk::open_staff_pin(app);
        app.pin.entry = pin;
        return tk::staff_pin_attempt(app, now);
    }
};

} // namespace

TEST_CASE("first login with the default PIN: the menu offers nothing but the PIN change") {
    Harness h;
    h.key(GLFW_KEY_S, true, true);
    type_pin(h, tk::kDefaultStaffPin);
    REQUIRE(h.app.screen == tk::Screen::StaffMenu);
    REQUIRE(h.app.pin.must_change);
    h.frames(2);
    // Every control on the page, scrolled to its end, belongs to the PIN change.
    CHECK_FALSE(h.reveal("staff/quit"));
    CHECK_FALSE(h.has("staff/back"));
    CHECK_FALSE(h.has("staff/sync"));
    CHECK(h.has("pin/OK"));
    for (const auto& [name, r] : h.ui.rects) {
        CAPTURE(name);
        CHECK(name.rfind("pin/", 0) == 0);
    }
    // Leaving without a change is allowed; the next login with the default PIN insists again.
    h.click("pin/cancel");
    CHECK(h.app.screen == tk::Screen::Welcome);
    h.key(GLFW_KEY_S, true, true);
    change_default_pin(h, "975310");
    // After the change the whole menu is there, "Kiosk beenden" included.
    h.frames(2);
    CHECK(h.reveal("staff/quit"));
    CHECK(h.has("staff/back"));
}

TEST_CASE("wrong-PIN count and back-off survive a restart") {
    Harness h;
    const int64_t wall = 1764000000;
    h.app.wall_clock = [wall] { return wall; };
    h.key(GLFW_KEY_S, true, true);
    type_pin(h, "1111");
    type_pin(h, "2222");
    type_pin(h, "3333");
    REQUIRE(h.app.pin.failures == 3);
    REQUIRE(h.app.pin.locked_until > h.now); // 5 s
    const std::string saved = slurp(h.dir + "/staff-pin-attempts");
    CHECK(saved.find("\"failures\":3") != std::string::npos);
    struct stat st;
    REQUIRE(::stat((h.dir + "/staff-pin-attempts").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);

    {
        // Restarted one second later: four seconds of the lock remain, the right PIN waits.
        Restarted r(h, 7.0, wall + 1);
        CHECK(r.app.pin.failures == 3);
        CHECK(r.app.pin.locked_until == doctest::Approx(7.0 + 4.0).epsilon(0.05));
        CHECK_FALSE(r.attempt(tk::kDefaultStaffPin, 8.0));
        CHECK(r.app.screen == tk::Screen::StaffPin);
        // The next wrong PIN after the lock doubles it, as without the restart.
        CHECK_FALSE(r.attempt("4444", 12.0));
        CHECK(r.app.pin.failures == 4);
        CHECK(r.app.pin.locked_until == doctest::Approx(12.0 + 10.0));
    }
    {
        // Long after the lock: no wait, but the count goes on (no two new free guesses).
        Restarted r(h, 3.0, wall + 3600);
        CHECK(r.app.pin.failures == 4);
        CHECK(r.app.pin.locked_until == 0);
        CHECK_FALSE(r.attempt("5555", 4.0));
        CHECK(r.app.pin.failures == 5);
        CHECK(r.app.pin.locked_until == doctest::Approx(4.0 + 20.0));
    }
    {
        // A clock set back by a day does not stretch the lock beyond its own 20 s.
        Restarted r(h, 3.0, wall - 86400);
        CHECK(r.app.pin.locked_until <= 3.0 + 20.0 + 0.01);
        // The right PIN after the lock resets the saved count.
        CHECK(r.attempt(tk::kDefaultStaffPin, 30.0));
        CHECK(r.app.pin.failures == 0);
    }
    {
        Restarted r(h, 3.0, wall + 7200);
        CHECK(r.app.pin.failures == 0);
        CHECK(r.app.pin.locked_until == 0);
    }
    // A damaged counter file is no fresh start: the next wrong PIN locks at once.
    std::ofstream(h.dir + "/staff-pin-attempts") << "{\"failures\": ";
    Restarted r(h, 3.0, wall);
    CHECK(r.app.pin.failures == tk::kFreePinFailures);
    CHECK_FALSE(r.attempt("1111", 4.0));
    CHECK(r.app.pin.locked_until > 4.0);
}

TEST_CASE("a damaged PIN file locks the staff menu; never the default PIN") {
    Harness h;
    const std::string pin_file = h.dir + "/staff-pin";
    std::string hash;
    CHECK(tk::read_staff_pin(pin_file, hash, nullptr) == tk::PinFile::Absent);

    auto refused = [&](const std::string& what) {
        CAPTURE(what);
        const int failures = h.app.pin.failures;
        std::string why;
        CHECK(tk::read_staff_pin(pin_file, hash, &why) == tk::PinFile::Damaged);
        CHECK(why.find(pin_file) != std::string::npos);
        h.key(GLFW_KEY_S, true, true);
        REQUIRE(h.app.screen == tk::Screen::StaffPin);
        CHECK(h.app.pin.message_key == "pin_file_damaged"); // said as the PIN pad opens
        type_pin(h, tk::kDefaultStaffPin);
        CHECK(h.app.screen == tk::Screen::StaffPin);
        CHECK(h.app.pin.message_key == "pin_file_damaged");
        CHECK(h.app.pin.failures == failures); // nothing to guess against: no back-off either
        CHECK_FALSE(h.app.pin.must_change);
        h.key(GLFW_KEY_ESCAPE);
        CHECK(h.app.screen == tk::Screen::Welcome);
    };
    // What a power cut during a PIN change left with an unsynced writer: an empty file.
    std::ofstream(pin_file).close();
    refused("empty");
    std::ofstream(pin_file) << "\n";
    refused("only a line end");
    std::ofstream(pin_file) << "$argon2id$v=19$m=65536,t=2,p=1$trunc";
    // Truncated, but it looks like a hash: it verifies nothing, and the default does not open.
    CHECK(tk::read_staff_pin(pin_file, hash, nullptr) == tk::PinFile::Hash);
    h.key(GLFW_KEY_S, true, true);
    type_pin(h, tk::kDefaultStaffPin);
    CHECK(h.app.screen == tk::Screen::StaffPin);
    h.key(GLFW_KEY_ESCAPE);
    std::ofstream(pin_file) << "246810\n";
    refused("a PIN in plain text");
    std::filesystem::remove(pin_file);
    std::filesystem::create_directory(pin_file);
    refused("unreadable (a folder)");
    // The message names the file and the way out (in every staff language).
    for (const char* lang : {"de", "en", "tr", "uk"}) {
        const std::string msg = tk::fill(tk::ui_text(h.app.texts, lang, "pin_file_damaged"), {{"x", pin_file}});
        CHECK(msg.find("rm " + pin_file) != std::string::npos);
    }

    // The administrator's reset: deleting the file brings back the default PIN with the forced change.
    std::filesystem::remove(pin_file);
    h.key(GLFW_KEY_S, true, true);
    CHECK(h.app.pin.message_key.empty());
    change_default_pin(h, "975310");
    CHECK(tk::read_staff_pin(pin_file, hash, nullptr) == tk::PinFile::Hash);
    struct stat st;
    REQUIRE(::stat(pin_file.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    for (const auto& e : std::filesystem::directory_iterator(h.dir))
        CHECK(e.path().filename().string().find(".tmp") == std::string::npos); // no temp file left
}
