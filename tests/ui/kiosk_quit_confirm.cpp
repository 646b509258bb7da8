// kiosk_quit_confirm.cpp - "Kiosk beenden" asks first: one press does not end the kiosk, "Nein"
// keeps it running, leaving the menu forgets the question, and only "Ja" ends it.
#include <doctest/doctest.h>

#include "kiosk_harness.h"

using tkt::Harness;

static void type_pin(Harness& h, const std::string& pin) {
    for (char c : pin) h.key(GLFW_KEY_0 + (c - '0'));
    h.key(GLFW_KEY_ENTER);
}

// Into the full staff menu: the default PIN, changed at once.
static void open_staff_menu(Harness& h) {
    h.key(GLFW_KEY_S, true, true);
    type_pin(h, tk::kDefaultStaffPin);
    REQUIRE(h.app.screen == tk::Screen::StaffMenu);
    if (h.app.pin.must_change) {
        type_pin(h, "975310");
        type_pin(h, "975310");
    }
    h.frames(2);
}

TEST_CASE("Kiosk beenden: one press asks, Nein keeps the kiosk, Ja ends it") {
    Harness h;
    open_staff_menu(h);
    REQUIRE(h.reveal("staff/quit"));
    h.click("staff/quit");
    h.frames(2);
    CHECK_FALSE(h.app.quit);
    CHECK(h.app.screen == tk::Screen::StaffMenu);
    CHECK(h.reveal("staff/quit_confirm"));
    CHECK(h.reveal("staff/quit_cancel"));
    CHECK_FALSE(h.has("staff/quit")); // the question stands in its place

    h.click("staff/quit_cancel");
    h.frames(2);
    CHECK_FALSE(h.app.quit);
    CHECK_FALSE(h.has("staff/quit_confirm"));
    REQUIRE(h.reveal("staff/quit"));

    // Asked, then the menu left: the next visit starts without the question.
    h.click("staff/quit");
    h.frames(2);
    REQUIRE(h.reveal("staff/back"));
    h.click("staff/back");
    CHECK(h.app.screen == tk::Screen::Welcome);
    h.key(GLFW_KEY_S, true, true);
    type_pin(h, "975310");
    REQUIRE(h.app.screen == tk::Screen::StaffMenu);
    h.frames(2);
    CHECK_FALSE(h.has("staff/quit_confirm"));
    CHECK_FALSE(h.app.quit);

    REQUIRE(h.reveal("staff/quit"));
    h.click("staff/quit");
    h.frames(2);
    REQUIRE(h.reveal("staff/quit_confirm"));
    h.click("staff/quit_confirm");
    CHECK(h.app.quit);
}
