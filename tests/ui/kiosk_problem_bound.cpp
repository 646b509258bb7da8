// kiosk_problem_bound.cpp - the line under a refused answer tells the person the limit
// ("höchstens 100"), taken from AnswerProblem::bound: never the cell code the session
// names in its diagnostic detail, for a matrix cell as for a plain question.
#include <doctest/doctest.h>

#include "kiosk_harness.h"

using tkt::Harness;

namespace {

// Welcome -> language page -> the question `code` of the all-types fixture.
void to_question(Harness& h, const std::string& code) {
    h.key(GLFW_KEY_ENTER);
    REQUIRE(h.app.screen == tk::Screen::Language);
    h.key(GLFW_KEY_ENTER);
    h.enter_until(code);
    h.frames(2);
}

// The German text of `key` with {x} = `bound`, as the translators wrote it.
std::string expected(const Harness& h, const char* key, const std::string& bound) {
    return tk::fill(tk::ui_text(h.app.texts, "de", key), {{"x", bound}});
}

// Enter leaves the text field, Enter again is "Weiter" (as a keypad user does it).
void leave_field_and_next(Harness& h) {
    h.key(GLFW_KEY_ENTER);
    h.key(GLFW_KEY_ENTER);
}

} // namespace

TEST_CASE("a matrix number cell out of range: the page shows the bound, not the cell code") {
    Harness h(std::string(TK_SOURCE_DIR) + "/tests/e2e/kiosk_types.json");
    to_question(h, "X2"); // cells 0..100
    h.click("field/X2|cell|E_2");
    h.type("101");
    leave_field_and_next(h);
    REQUIRE(h.current_code() == "X2"); // refused: the page stays
    const tk::AnswerProblem& p = h.app.page.problem;
    REQUIRE(p.kind == tk::AnswerProblem::TooLarge);
    CHECK(p.cell == "E_2");
    const std::string shown = tk::problem_text(h.app, p);
    CHECK(shown == expected(h, "p_too_large", "100"));
    CHECK(shown.find("E_2") == std::string::npos);
    CHECK(shown.find(": ") == std::string::npos);

    // Below the minimum in another cell: the other bound, again without the cell.
    h.click("field/X2|cell|E_2");
    for (int i = 0; i < 3; ++i) h.key(GLFW_KEY_BACKSPACE);
    h.type("7");
    h.click("field/X2|cell|W_1");
    h.type("-3");
    leave_field_and_next(h);
    REQUIRE(h.current_code() == "X2");
    REQUIRE(h.app.page.problem.kind == tk::AnswerProblem::TooSmall);
    CHECK(tk::problem_text(h.app, h.app.page.problem) == expected(h, "p_too_small", "0"));

    // Fixed: the page is left.
    h.click("field/X2|cell|W_1");
    for (int i = 0; i < 2; ++i) h.key(GLFW_KEY_BACKSPACE);
    h.type("3");
    leave_field_and_next(h);
    CHECK(h.current_code() != "X2");
}

TEST_CASE("a plain number out of range and a choice too many: the page shows the limit") {
    Harness h(std::string(TK_SOURCE_DIR) + "/tests/e2e/kiosk_types.json");
    to_question(h, "M1"); // at most 3
    for (int k : {GLFW_KEY_1, GLFW_KEY_2, GLFW_KEY_3}) h.key(k);
    CHECK(h.app.page.problem.ok());
    h.key(GLFW_KEY_4); // the kiosk refuses the fourth itself, before the session sees it
    REQUIRE(h.app.page.problem.kind == tk::AnswerProblem::TooMany);
    CHECK(tk::problem_text(h.app, h.app.page.problem) == expected(h, "p_too_many", "3"));
    CHECK(h.app.session->answer("M1")->values.size() == 3);

    h.enter_until("N1"); // 1..20
    h.type("21");
    leave_field_and_next(h);
    REQUIRE(h.current_code() == "N1");
    REQUIRE(h.app.page.problem.kind == tk::AnswerProblem::TooLarge);
    CHECK(h.app.page.problem.cell.empty());
    CHECK(tk::problem_text(h.app, h.app.page.problem) == expected(h, "p_too_large", "20"));
}

TEST_CASE("a date out of range: the page names the day as day.month.year, in words for a date") {
    Harness h(std::string(TK_SOURCE_DIR) + "/tests/e2e/kiosk_types.json");
    to_question(h, "D1"); // 2020-01-01 .. 2030-12-31; the day field has the keyboard
    h.type("31");
    h.key(GLFW_KEY_TAB);
    h.type("12");
    h.key(GLFW_KEY_TAB);
    h.type("2019");
    leave_field_and_next(h);
    REQUIRE(h.current_code() == "D1");
    REQUIRE(h.app.page.problem.kind == tk::AnswerProblem::TooSmall);
    CHECK(h.app.page.problem.bound == "2020-01-01");
    const std::string shown = tk::problem_text(h.app, h.app.page.problem);
    CHECK(shown == expected(h, "p_date_too_early", "01.01.2020"));
    CHECK(shown != expected(h, "p_too_small", "01.01.2020")); // not "die Zahl ist zu klein"

    h.click("field/D1|date|y");
    for (int i = 0; i < 4; ++i) h.key(GLFW_KEY_BACKSPACE);
    h.type("2031");
    leave_field_and_next(h);
    REQUIRE(h.app.page.problem.kind == tk::AnswerProblem::TooLarge);
    CHECK(tk::problem_text(h.app, h.app.page.problem) == expected(h, "p_date_too_late", "31.12.2030"));
}
