// kiosk_no_answer_report.cpp - "keine Antwort" from the kiosk's keypad to the report's row.
//
// The kiosk offers "keine Antwort" as the choice code kNoAnswerCode and stores it as
// no_answer; the report must count every one of them in its "keine Antwort" row, inside n.
// This walks the real screens (key 0 on every page that offers it), takes the response the
// kiosk hands to the vault, passes it through its canonical bytes as the research side
// receives it, and reads the report's rows.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "kiosk_harness.h"
#include "report.h"

using tkt::Harness;

namespace {

// The count and the label of row `key` in block `block` of the report ("" when absent).
struct Row {
    std::string count, label;
};
Row report_row(const std::string& html, const std::string& block, const std::string& key) {
    std::string start = "<tr data-b=\"" + block + "\" data-k=\"" + key + "\">";
    size_t p = html.find(start);
    if (p == std::string::npos) return {};
    auto cell = [&](const std::string& cls) {
        size_t c = html.find("<td class=\"" + cls + "\">", p);
        if (c == std::string::npos) return std::string();
        c += cls.size() + 13;
        return html.substr(c, html.find("</td>", c) - c);
    };
    return {cell("cnt"), cell("label")};
}

} // namespace

TEST_CASE("report: every 'keine Antwort' chosen at the kiosk is counted in its row") {
    Harness h;
    std::vector<tk::Response> handed;
    auto to_vault = h.app.submit_fn;
    h.app.submit_fn = [&](const tk::Response& r) {
        handed.push_back(r);
        return to_vault(r);
    };
    h.key(GLFW_KEY_KP_ENTER); // welcome
    h.key(GLFW_KEY_KP_ENTER); // language and reading aids
    h.key(GLFW_KEY_KP_ENTER); // the data-protection notice
    REQUIRE(h.app.screen == tk::Screen::Question);
    std::vector<std::string> declined;
    for (int i = 0; i < 80 && h.app.screen == tk::Screen::Question; ++i) {
        const tk::Question* q = h.current();
        REQUIRE(q);
        if (tk::offers_no_answer(h.app, *q)) {
            h.key(GLFW_KEY_0); // the keypad's "0  keine Antwort"
            const tk::Answer* a = h.app.session->answer(q->code);
            REQUIRE_MESSAGE(a, q->code);
            CHECK(a->no_answer);
            CHECK(tk::is_chosen(h.app, *q, tk::kNoAnswerCode));
            declined.push_back(q->code);
        }
        h.key(GLFW_KEY_ENTER);
    }
    REQUIRE(h.app.screen == tk::Screen::Review);
    h.key(GLFW_KEY_ENTER);
    REQUIRE(h.app.screen == tk::Screen::ThankYou);
    REQUIRE(handed.size() == 1);
    // Single, multiple, yes/no and rating pages of the citizen survey all offer it.
    REQUIRE(declined.size() >= 4);

    // What decrypt gives the report: the sealed canonical bytes, read back.
    tk::DecryptedResponse d;
    d.record_id = "0123456789abcdef-000001";
    std::string err;
    REQUIRE_MESSAGE(tk::parse_response(tk::serialize_response(handed[0]), d.response, &err), err);
    for (const std::string& code : declined) {
        CAPTURE(code);
        REQUIRE(d.response.answers.count(code) == 1);
        CHECK(d.response.answers.at(code).no_answer);
    }
    std::string html = tk::render_report(*h.app.survey, {d}, tk::ReportOptions{});
    for (const std::string& code : declined) {
        CAPTURE(code);
        Row r = report_row(html, code, tk::kNoAnswerCode);
        CHECK(r.label == "keine Antwort");
        CHECK(r.count == "1"); // counted, and the only response: 1 of n = 1
        CHECK(html.find("<span class=\"n\" data-b=\"" + code + "\">n = 1</span>") != std::string::npos);
    }
}
