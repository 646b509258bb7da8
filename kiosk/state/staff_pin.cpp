// staff_pin.cpp - the staff entrance: the hidden corner, the PIN (Argon2id hash in
// DIR/staff-pin, never a fallback to the default when the file is damaged), the wrong-PIN
// back-off kept across restarts (DIR/staff-pin-attempts), the PIN change, leaving the menu.
#include "kiosk_state.h"
#include "state_helpers.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

namespace tk {

std::string hash_pin(const std::string& pin) {
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, pin.data(), pin.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return {};
    return out;
}

bool verify_pin(const std::string& hash, const std::string& pin) {
    if (hash.empty()) return false;
    return crypto_pwhash_str_verify(hash.c_str(), pin.data(), pin.size()) == 0;
}

double staff_lock_seconds(int failures) {
    if (failures <= kFreePinFailures) return 0; // two typos are free
    double s = 5.0 * std::pow(2.0, std::min(failures, 60) - kFreePinFailures - 1);
    return std::min(s, 900.0);
}

bool staff_corner_tap(KioskApp& app, double now) {
    auto& taps = app.pin.corner_taps;
    taps.push_back(now);
    taps.erase(std::remove_if(taps.begin(), taps.end(),
                              [now](double t) { return now - t > kCornerTapWindow; }),
               taps.end());
    if (static_cast<int>(taps.size()) >= kCornerTaps) {
        taps.clear();
        open_staff_pin(app);
        return true;
    }
    return false;
}

void open_staff_pin(KioskApp& app) {
    if (app.screen == Screen::StaffPin || app.screen == Screen::StaffMenu) return;
    app.pin.return_to = app.screen;
    wipe(app.pin.entry);
    app.pin.message_key.clear();
    std::string hash;
    if (read_staff_pin(app.pin.path, hash, nullptr) == PinFile::Damaged) app.pin.message_key = "pin_file_damaged";
    wipe(hash);
    app.screen = Screen::StaffPin;
    app.speak_stop = true;
    app.speak_request.clear();
}

PinFile read_staff_pin(const std::string& path, std::string& hash, std::string* why) {
    hash.clear();
    struct stat st;
    if (::stat(path.c_str(), &st) != 0 && errno == ENOENT) return PinFile::Absent;
    std::string err;
    if (!read_file_at_most(path, 4096, hash, &err)) {
        hash.clear();
        if (why) *why = err;
        return PinFile::Damaged;
    }
    while (!hash.empty() && (hash.back() == '\n' || hash.back() == '\r')) hash.pop_back();
    // Only what hash_pin writes counts: anything else (empty after a power cut on an older
    // version, truncated, overwritten) could never verify, and must not mean the default PIN.
    const bool looks_right = hash.rfind("$argon2id$", 0) == 0 && hash.size() < crypto_pwhash_STRBYTES &&
                             hash.find_first_of(std::string("\0\n\r", 3)) == std::string::npos;
    if (!looks_right) {
        if (why) *why = path + (hash.empty() ? ": empty" : ": not an Argon2id PIN hash");
        wipe(hash);
        return PinFile::Damaged;
    }
    return PinFile::Hash;
}

// DIR/staff-pin-attempts: {"failures": N, "last_failure": unix seconds}. Read at start so that
// switching the kiosk off and on does not give an attacker two more free guesses, nor end a
// back-off early.
void load_pin_attempts(KioskApp& app, double now) {
    std::string text, err;
    struct stat st;
    if (::stat(app.pin.attempts_path.c_str(), &st) != 0 && errno == ENOENT) return;
    int failures = 0;
    int64_t last = 0;
    bool ok = read_file_at_most(app.pin.attempts_path, 4096, text, &err);
    if (ok) {
        try {
            auto j = nlohmann::json::parse(text);
            failures = j.at("failures").get<int>();
            last = j.at("last_failure").get<int64_t>();
            ok = failures >= 0;
        } catch (const std::exception& e) {
            err = app.pin.attempts_path + ": " + e.what();
            ok = false;
        }
    }
    if (!ok) {
        // A damaged counter is not a fresh start: the next wrong PIN locks.
        std::fprintf(stderr, "teilhabe-kiosk: %s (counting as %d wrong PINs)\n", err.c_str(), kFreePinFailures);
        app.pin.failures = kFreePinFailures;
        return;
    }
    app.pin.failures = std::min(failures, 1000);
    const double lock = staff_lock_seconds(app.pin.failures);
    const int64_t wall = app.wall_clock ? app.wall_clock() : 0;
    // A clock set back must not lengthen the lock beyond its own length.
    const double left = std::clamp(double(last) + lock - double(wall), 0.0, lock);
    if (left > 0) app.pin.locked_until = now + left;
}

static void save_pin_attempts(const KioskApp& app) {
    nlohmann::json j = {{"failures", app.pin.failures}, {"last_failure", app.wall_clock ? app.wall_clock() : 0}};
    std::string err;
    if (!write_private(app.pin.attempts_path, j.dump() + "\n", &err))
        std::fprintf(stderr, "teilhabe-kiosk: wrong-PIN counter not saved: %s\n", err.c_str());
}

bool staff_pin_attempt(KioskApp& app, double now) {
    if (now < app.pin.locked_until) {
        app.pin.message_key = "pin_locked";
        wipe(app.pin.entry);
        return false;
    }
    std::string hash, why;
    const PinFile file = read_staff_pin(app.pin.path, hash, &why);
    if (file == PinFile::Damaged) {
        // No PIN opens the menu, and no guess is counted: there is nothing to guess against.
        wipe(app.pin.entry);
        app.pin.must_change = false;
        app.pin.message_key = "pin_file_damaged";
        std::fprintf(stderr, "teilhabe-kiosk: %s: staff menu locked until the file is deleted (see KIOSK.md)\n",
                     why.c_str());
        return false;
    }
    const bool right = file == PinFile::Hash ? verify_pin(hash, app.pin.entry) : app.pin.entry == kDefaultStaffPin;
    app.pin.must_change = right && file == PinFile::Absent;
    wipe(hash);
    wipe(app.pin.entry);
    if (!right) {
        ++app.pin.failures;
        app.pin.locked_until = now + staff_lock_seconds(app.pin.failures);
        app.pin.message_key = app.pin.locked_until > now ? "pin_locked" : "pin_wrong";
        save_pin_attempts(app);
        return false;
    }
    if (app.pin.failures != 0) {
        app.pin.failures = 0;
        save_pin_attempts(app);
    }
    app.pin.locked_until = 0;
    app.pin.message_key = app.pin.must_change ? "pin_must_change" : "";
    app.screen = Screen::StaffMenu;
    return true;
}

bool staff_change_pin(KioskApp& app) {
    auto& p = app.pin;
    bool digits = !p.new_pin.empty() &&
                  std::all_of(p.new_pin.begin(), p.new_pin.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits || p.new_pin.size() < 6) {
        p.message_key = "pin_too_short";
    } else if (p.new_pin != p.new_pin2) {
        p.message_key = "pin_mismatch";
    } else if (p.new_pin == kDefaultStaffPin) {
        p.message_key = "pin_is_default";
    } else {
        std::string h = hash_pin(p.new_pin);
        std::string err;
        if (h.empty() || !write_private(p.path, h + "\n", &err)) {
            p.message_key = "pin_save_failed";
        } else {
            p.message_key = "pin_changed";
            p.must_change = false;
        }
    }
    wipe(p.new_pin);
    wipe(p.new_pin2);
    return p.message_key == "pin_changed";
}

void leave_staff(KioskApp& app) {
    // Nothing typed at a desk stays on screen for the next person.
    app.staff_desk = StaffDesk::Menu;
    app.paper = PaperDesk{};
    app.tally = TallyDesk{};
    sync_desk_leave(app.sync);
    wipe(app.pin.entry);
    wipe(app.pin.new_pin);
    wipe(app.pin.new_pin2);
    app.pin.change_open = app.pin.change_repeat = false;
    app.pin.message_key.clear();
    app.quit_asked = false;
    ++app.generation; // the next frame forgets ImGui's copies of what was typed (code, site, id)
    Screen back_to = app.pin.return_to;
    if (back_to == Screen::StaffPin || back_to == Screen::StaffMenu) back_to = Screen::Welcome;
    if (!app.session && back_to != Screen::ThankYou) back_to = Screen::Welcome;
    app.screen = back_to == Screen::ThankYou ? Screen::Welcome : back_to;
}

void staff_ask_quit(KioskApp& app) { app.quit_asked = true; }

void staff_answer_quit(KioskApp& app, bool confirm) {
    app.quit_asked = false;
    if (confirm) app.quit = true;
}

} // namespace tk
