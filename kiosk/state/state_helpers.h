// state_helpers.h - small pieces the kiosk's state files share (inside tk_kiosk_state only):
// the private atomic writer, wiping typed text, the page scratch reset, screen tests.
#pragma once
#include <sodium.h>

#include <string>

#include "files.h"
#include "kiosk_state.h"

namespace tk {

// Settings, the PIN hash and the wrong-PIN counter: temp file, fsync, rename, fsync of the
// folder (write_file_atomic), so a power cut leaves the old file or the new one, never an
// empty or half-written one.
inline bool write_private(const std::string& path, const std::string& data, std::string* error) {
    return write_file_atomic(path, data, 0600, true, error);
}

inline bool valid_scale(int s) {
    for (int v : kTextScales)
        if (v == s) return true;
    return false;
}

inline void clear_page(KioskApp& app) {
    app.page = PageUi{};
}

inline bool on_respondent_screen(Screen s) {
    return s == Screen::Language || s == Screen::Privacy || s == Screen::DelphiCode || s == Screen::Question ||
           s == Screen::Review;
}

// Wipes a string's bytes before releasing it (PIN digits, typed texts).
inline void wipe(std::string& s) {
    if (!s.empty()) sodium_memzero(s.data(), s.size());
    s.clear();
    s.shrink_to_fit();
}

inline void wipe_page(KioskApp& app) {
    for (auto& [k, v] : app.page.drafts) wipe(v);
    clear_page(app);
}

} // namespace tk
