// kiosk_staff_style.cpp - staff entrance and PIN back-off, theme contrast, UI texts.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "kiosk_harness.h"

using tkt::Harness;

static void type_pin(Harness& h, const std::string& pin) {
    for (char c : pin) h.key(GLFW_KEY_0 + (c - '0'));
    h.key(GLFW_KEY_ENTER);
}

TEST_CASE("PIN back-off doubles from the third wrong PIN and is capped") {
    CHECK(tk::staff_lock_seconds(1) == 0);
    CHECK(tk::staff_lock_seconds(2) == 0);
    CHECK(tk::staff_lock_seconds(3) == 5);
    CHECK(tk::staff_lock_seconds(4) == 10);
    CHECK(tk::staff_lock_seconds(5) == 20);
    CHECK(tk::staff_lock_seconds(30) == 900);
}

TEST_CASE("staff: hidden corner and key chord, wrong PINs lock, default PIN must be changed (Argon2id)") {
    Harness h;
    // Four taps are not enough; five within 3 s open the prompt.
    for (int i = 0; i < 4; ++i) h.click_at(1360, 5);
    CHECK(h.app.screen == tk::Screen::Welcome);
    h.wait(4);
    for (int i = 0; i < 4; ++i) h.click_at(1360, 5);
    CHECK(h.app.screen == tk::Screen::Welcome); // the earlier taps expired
    h.click_at(1360, 5);
    REQUIRE(h.app.screen == tk::Screen::StaffPin);
    h.key(GLFW_KEY_ESCAPE);
    CHECK(h.app.screen == tk::Screen::Welcome);

    h.key(GLFW_KEY_S, true, true);
    REQUIRE(h.app.screen == tk::Screen::StaffPin);
    type_pin(h, "1111");
    type_pin(h, "2222");
    CHECK(h.app.pin.locked_until <= h.now); // two typos are free
    type_pin(h, "3333");
    CHECK(h.app.pin.locked_until > h.now);
    type_pin(h, tk::kDefaultStaffPin); // right PIN, but during the back-off
    CHECK(h.app.screen == tk::Screen::StaffPin);
    CHECK(h.app.pin.entry.empty());
    h.wait(5.5);
    type_pin(h, tk::kDefaultStaffPin);
    REQUIRE(h.app.screen == tk::Screen::StaffMenu);
    CHECK(h.app.pin.must_change);
    CHECK(h.app.pin.failures == 0);

    // Change it with the on-screen keypad: new PIN, OK, repeat, OK.
    for (const char* d : {"9", "7", "5", "3", "1", "0"}) h.click(std::string("pin/") + d);
    h.click("pin/OK");
    for (const char* d : {"9", "7", "5", "3", "1", "0"}) h.click(std::string("pin/") + d);
    h.click("pin/OK");
    CHECK(h.app.pin.message_key == "pin_changed");
    CHECK_FALSE(h.app.pin.must_change);
    std::ifstream f(h.dir + "/staff-pin");
    std::stringstream ss;
    ss << f.rdbuf();
    CHECK(ss.str().rfind("$argon2id$", 0) == 0);
    CHECK(ss.str().find("975310") == std::string::npos);

    // Menu: vault status, leave, and the new PIN (not the default) opens it again.
    h.frames(2);
    CHECK(h.reveal("staff/quit"));
    h.click("staff/back");
    CHECK(h.app.screen == tk::Screen::Welcome);
    h.key(GLFW_KEY_S, true, true);
    type_pin(h, tk::kDefaultStaffPin);
    CHECK(h.app.screen == tk::Screen::StaffPin);
    type_pin(h, "975310");
    CHECK(h.app.screen == tk::Screen::StaffMenu);
    h.click("staff/quit");
    h.frames(2);
    REQUIRE(h.reveal("staff/quit_confirm"));
    h.click("staff/quit_confirm");
    CHECK(h.app.quit);
}

TEST_CASE("staff menu left open falls back to the welcome page after the idle time") {
    Harness h;
    h.key(GLFW_KEY_S, true, true);
    type_pin(h, tk::kDefaultStaffPin);
    REQUIRE(h.app.screen == tk::Screen::StaffMenu);
    h.wait(h.app.config.idle_seconds + 1);
    CHECK(h.app.screen == tk::Screen::Welcome);
}

TEST_CASE("hash_pin/verify_pin") {
    std::string hash = tk::hash_pin("123456");
    CHECK(hash.rfind("$argon2id$", 0) == 0);
    CHECK(tk::verify_pin(hash, "123456"));
    CHECK_FALSE(tk::verify_pin(hash, "123457"));
    CHECK_FALSE(tk::verify_pin("", "123456"));
}

TEST_CASE("WCAG contrast of every colour pair: standard >= 4.5:1, high contrast >= 7:1, marks >= 3:1") {
    CHECK(tk::contrast_ratio(0x000000, 0xFFFFFF) == doctest::Approx(21.0));
    CHECK(tk::contrast_ratio(0x777777, 0xFFFFFF) == doctest::Approx(4.48).epsilon(0.01));
    for (tk::ThemeId id : {tk::ThemeId::Standard, tk::ThemeId::HighContrast}) {
        const tk::Theme& t = tk::theme(id);
        double need = id == tk::ThemeId::HighContrast ? 7.0 : 4.5;
        auto pairs = tk::theme_pairs(t);
        CHECK(pairs.size() >= 15);
        for (const auto& p : pairs) {
            CAPTURE(t.name);
            CAPTURE(p.what);
            double r = tk::contrast_ratio(p.fg, p.bg);
            CAPTURE(r);
            CHECK(r >= (p.text ? need : 3.0));
        }
    }
}

TEST_CASE("metrics: 48 px targets at 100 %, growing with the text; DPI in one place") {
    tk::Metrics m100 = tk::compute_metrics(100, 1.0f);
    tk::Metrics m300 = tk::compute_metrics(300, 1.0f);
    CHECK(m100.target >= 48.0f);
    CHECK(m300.target > 2.5f * m100.target);
    CHECK(m300.body == doctest::Approx(3 * m100.body).epsilon(0.02));
    CHECK(m300.toolbar <= 2 * m100.body + 1);
    tk::Metrics hidpi = tk::compute_metrics(100, 2.0f);
    CHECK(hidpi.target >= 96.0f);
}

TEST_CASE("fonts: Noto Sans and Andika found; glyphs for de, tr, pl, uk, ru") {
    CHECK_FALSE(tk::find_font("NotoSans-Regular.ttf").empty());
    CHECK_FALSE(tk::find_font("Andika-Regular.ttf").empty());
    const unsigned short* r = tk::kiosk_glyph_ranges();
    auto covered = [r](unsigned c) {
        for (const unsigned short* p = r; p[0]; p += 2)
            if (c >= p[0] && c <= p[1]) return true;
        return false;
    };
    for (unsigned c : {0xDFu, 0xFCu, 0x15Fu, 0x131u, 0x142u, 0x17Cu, 0x404u, 0x456u, 0x457u, 0x491u, 0x44Bu, 0x201Eu})
        CHECK(covered(c));
    Harness h;
    h.app.reading.easy_font = true;
    h.frames(2);
    CHECK(h.ui.fonts.built_easy);
    CHECK(h.ui.fonts.error.empty());
    const ImFontGlyph* g = h.ui.fonts.body->FindGlyphNoFallback(0x0457); // ї
    CHECK(g != nullptr);
}

TEST_CASE("UI texts: respondent texts complete in de, de-x-ls (with fallback), en, tr, uk, ru, ar, fa") {
    tk::UiTexts t;
    std::string err;
    REQUIRE(tk::load_ui_texts(std::string(TK_SOURCE_DIR) + "/assets/ui-texts.json", t, &err));
    auto staff_only = [](const std::string& k) {
        return k.rfind("staff_", 0) == 0 || k.rfind("pin_", 0) == 0 || k.rfind("demo_", 0) == 0;
    };
    // missing_ui_texts names every gap as "lang: key"; the respondent's languages may have none
    // but staff texts (those are German for everyone).
    const std::vector<std::string> complete = {"en", "tr", "uk", "ru", "ar", "fa"};
    auto respondent_gaps = [&](const tk::UiTexts& texts) {
        std::vector<std::string> gaps;
        for (const std::string& gap : tk::missing_ui_texts(texts)) {
            std::string lang = gap.substr(0, gap.find(':'));
            std::string key = gap.substr(gap.find(": ") + 2);
            if (std::find(complete.begin(), complete.end(), lang) != complete.end() && !staff_only(key))
                gaps.push_back(gap);
        }
        return gaps;
    };
    for (const std::string& lang : complete) {
        CAPTURE(lang);
        REQUIRE(t.by_lang.count(lang) == 1);
        CHECK_FALSE(t.names.at(lang).empty());
    }
    CHECK(respondent_gaps(t) == std::vector<std::string>{});
    // The check sees a gap: one text taken out of Arabic is named.
    tk::UiTexts gap = t;
    gap.by_lang.at("ar").erase("next");
    CHECK(respondent_gaps(gap) == std::vector<std::string>{"ar: next"});
    // Polish covers only the essentials, so the same check finds its gaps.
    bool pl_gaps = false;
    for (const std::string& g : tk::missing_ui_texts(t)) pl_gaps |= g.rfind("pl: ", 0) == 0 && !staff_only(g.substr(4));
    CHECK(pl_gaps);
    // Every placeholder of the German text is in each translation, or the screen shows "{x}".
    for (const std::string& lang : complete)
        for (const auto& [key, text] : t.by_lang.at("de")) {
            if (staff_only(key) || !t.by_lang.at(lang).count(key)) continue;
            for (size_t open = text.find('{'); open != std::string::npos; open = text.find('{', open + 1)) {
                std::string ph = text.substr(open, text.find('}', open) - open + 1);
                CAPTURE(lang);
                CAPTURE(key);
                CHECK(t.by_lang.at(lang).at(key).find(ph) != std::string::npos);
            }
        }
    CHECK(tk::ui_text(t, "de-x-ls", "welcome_start_hint") != tk::ui_text(t, "de", "welcome_start_hint"));
    CHECK(tk::ui_text(t, "de-x-ls", "next") == "Weiter"); // falls back to German
    CHECK(tk::ui_text(t, "pl", "staff_quit") == "Kiosk beenden");
    CHECK(tk::fill("Frage {n} von {m}", {{"n", "3"}, {"m", "9"}}) == "Frage 3 von 9");
    tk::UiTexts bad;
    CHECK_FALSE(tk::load_ui_texts("/nonexistent/ui-texts.json", bad, &err));
    CHECK(err.find("/nonexistent/ui-texts.json") != std::string::npos);
}
