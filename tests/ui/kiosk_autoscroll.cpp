// kiosk_autoscroll.cpp - at 300 % a page is taller than the screen: whatever the keyboard
// moves to (a number key's option, the next matrix row, Tab, arrows) is scrolled into view,
// and every new page starts at its top with the question text showing.
#include <doctest/doctest.h>

#include "kiosk_harness.h"

using tkt::Harness;

namespace {

// Welcome -> reading aids at 300 % -> the question `code`.
void to_question_at_300(Harness& h, const std::string& code) {
    h.key(GLFW_KEY_ENTER);
    REQUIRE(h.app.screen == tk::Screen::Language);
    h.click("size/300");
    h.frames(3);
    REQUIRE(h.ui.fonts.built_scale == 300);
    h.key(GLFW_KEY_ENTER);
    h.enter_until(code);
    h.frames(2);
}

// The control is drawn whole inside the page (record() keeps only the visible part).
bool wholly_visible(Harness& h, const std::string& name) {
    if (!h.has(name)) return false;
    const tk::Rect r = h.ui.rects[name];
    return r.h() >= h.ui.m.target - 1.0f && (!h.has("next") || r.y1 <= h.ui.rects["next"].y0);
}

} // namespace

TEST_CASE("300 %: a number key scrolls the option it chose into view, and a new page starts at the top") {
    Harness h;
    to_question_at_300(h, "SEKTOR");
    const int n = int(tk::page_choices(h.app, *h.current()).size());
    REQUIRE(n >= 8);
    CHECK(h.ui.scroll_y == 0.0f);
    // The page is taller than the screen: the last options start below its edge.
    CHECK_FALSE(h.has("option/8"));

    h.key(GLFW_KEY_8);
    REQUIRE(h.app.session->answer("SEKTOR"));
    CHECK(h.app.session->answer("SEKTOR")->values.size() == 1);
    CHECK(h.ui.scroll_y > 0.0f);
    CHECK(wholly_visible(h, "option/8"));
    // Back up: option 1 comes back into view.
    h.key(GLFW_KEY_1);
    CHECK(wholly_visible(h, "option/1"));
    h.key(GLFW_KEY_7);
    CHECK(wholly_visible(h, "option/7"));
    const float scrolled = h.ui.scroll_y;
    CHECK(scrolled > 0.0f);

    // Next page (TOP3, shown because two sectors are chosen) starts at the top again.
    h.key(GLFW_KEY_ENTER);
    REQUIRE(h.current_code() == "TOP3");
    h.frames(2);
    CHECK(h.ui.scroll_y == 0.0f);
    // ...and so does the way back.
    h.key(GLFW_KEY_8);
    CHECK(h.ui.scroll_y > 0.0f);
    h.key(GLFW_KEY_BACKSPACE);
    REQUIRE(h.current_code() == "SEKTOR");
    h.frames(2);
    CHECK(h.ui.scroll_y == 0.0f);
}

TEST_CASE("300 %: in a matrix each number key brings the next row's first option into view") {
    Harness h;
    to_question_at_300(h, "DIENST");
    const tk::Question* q = h.current();
    auto slots = tk::matrix_slots(h.app, *q);
    REQUIRE(slots.size() >= 4);
    for (size_t i = 0; i + 1 < slots.size(); ++i) {
        h.key(GLFW_KEY_2);
        const std::string next_row = slots[i + 1];
        CHECK_MESSAGE(wholly_visible(h, "cell/" + next_row + "/1"), "row " << next_row);
    }
    CHECK(h.ui.scroll_y > 0.0f);
    REQUIRE(h.app.session->answer("DIENST"));
    CHECK(h.app.session->answer("DIENST")->cells.size() == slots.size() - 1);
}

TEST_CASE("300 %: arrows keep the focused control in view; the focus ring is on a control wholly shown") {
    Harness h;
    to_question_at_300(h, "HILFE");
    int seen_options = 0, last = 0;
    for (int i = 0; i < 12; ++i) {
        h.key(GLFW_KEY_DOWN);
        if (h.ui.focused.empty()) continue;
        CHECK_MESSAGE(h.ui.focused_visible, "after " << i + 1 << " x Down: " << h.ui.focused);
        CHECK_MESSAGE(h.has(h.ui.focused), h.ui.focused);
        if (h.ui.focused.rfind("option/", 0) == 0) {
            ++seen_options;
            last = std::max(last, std::atoi(h.ui.focused.c_str() + 7));
        }
    }
    CHECK(seen_options >= 4);
    CHECK(last >= 8); // walked to the bottom of the page: it must have scrolled
    CHECK(h.ui.scroll_y > 0.0f);
    // Up again to the first option: back at the top.
    for (int i = 0; i < 12 && h.ui.focused != "option/1"; ++i) h.key(GLFW_KEY_UP);
    CHECK(h.ui.focused == "option/1");
    CHECK(h.ui.focused_visible);
}

// The focus starts afresh on each page: the language page of a survey in many languages is long,
// and its last focused control (far down, scrolled) must not be where the next page's first
// arrow key starts from - from there Down found nothing, and the focus never appeared.
TEST_CASE("arrows after a long, scrolled language page: the first Down focuses the page's first control") {
    Harness h;
    REQUIRE(h.app.survey->languages.size() >= 6);
    h.key(GLFW_KEY_ENTER);
    REQUIRE(h.app.screen == tk::Screen::Language);
    h.click("read_auto");   // the last control of the page: focused, far down
    h.click("read_auto");   // and off again
    h.key(GLFW_KEY_ENTER);
    h.enter_until("HILFE");
    h.frames(2);
    h.key(GLFW_KEY_DOWN);
    h.frames(2);
    CHECK_MESSAGE(!h.ui.focused.empty(), "no focus after the first Down");
    CHECK(h.ui.focused_visible);
}

TEST_CASE("300 %: Tab moves between text fields and each field comes into view; the page opens at the question") {
    Harness h(std::string(TK_SOURCE_DIR) + "/tests/e2e/kiosk_types.json");
    to_question_at_300(h, "D1");
    // The first field has the keyboard, but the page shows the question from its top.
    CHECK(h.ui.scroll_y == 0.0f);
    h.type("24");
    CHECK(wholly_visible(h, "field/D1|date|d")); // typing shows the field typed into
    const char* fields[] = {"field/D1|date|m", "field/D1|date|y", "field/D1|date|d"};
    for (const char* f : fields) {
        h.key(GLFW_KEY_TAB);
        h.frames(3);
        CHECK_MESSAGE(wholly_visible(h, f), f);
        CHECK_MESSAGE(h.ui.focused == f, h.ui.focused);
        CHECK(h.ui.focused_visible);
    }
    h.key(GLFW_KEY_TAB); // to the month field again, typing lands there
    h.frames(3);
    h.type("12");
    CHECK(tk::field_text(h.app, "D1|date|d") == "24");
    CHECK(tk::field_text(h.app, "D1|date|m") == "12");
}
