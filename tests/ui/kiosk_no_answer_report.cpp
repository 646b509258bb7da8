// kiosk_no_answer_report.cpp - "keine Antwort" from the kiosk's keypad to the report's row.
//
// The kiosk offers "keine Antwort" as the choice code kNoAnswerCode and stores it as
// no_answer; the report must count every one of them in its "keine Antwort" row, inside n.
// This walks the real screens (key 0 on every page that offers it), takes the response the
// kiosk hands to the vault, passes it through its canonical bytes as the research side
// receives it, and reads the report's rows. A choice matrix offers it per row (key 0 on the
// marked row, or a tap): each row's cell then holds kNoAnswerCode, which the CSV and the
// SPSS/Stata coding write as the declared "keine Antwort" and the report counts per row.
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "kiosk_harness.h"
#include "export_csv.h"
#include "export_stat.h"
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

// The cells of the first data row of `csv` by heading (RFC 4180: quoted fields, "" inside).
static std::map<std::string, std::string> csv_row(const std::string& csv) {
    std::vector<std::vector<std::string>> lines(1, std::vector<std::string>(1));
    bool quoted = false;
    for (size_t i = 0; i < csv.size() && lines.size() < 3; ++i) {
        char ch = csv[i];
        if (quoted) {
            if (ch == '"' && i + 1 < csv.size() && csv[i + 1] == '"') lines.back().back() += csv[++i];
            else if (ch == '"') quoted = false;
            else lines.back().back() += ch;
        } else if (ch == '"') quoted = true;
        else if (ch == ',') lines.back().emplace_back();
        else if (ch == '\r') continue;
        else if (ch == '\n') lines.emplace_back(1);
        else lines.back().back() += ch;
    }
    REQUIRE(lines.size() >= 2);
    REQUIRE(lines[0].size() == lines[1].size());
    std::map<std::string, std::string> out;
    for (size_t i = 0; i < lines[0].size(); ++i) out[lines[0][i]] = lines[1][i];
    return out;
}

TEST_CASE("matrix: 'keine Antwort' per row, from key 0 and a tap to the CSV, the .sav coding and the report") {
    Harness h;
    std::vector<tk::Response> handed;
    auto to_vault = h.app.submit_fn;
    h.app.submit_fn = [&](const tk::Response& r) {
        handed.push_back(r);
        return to_vault(r);
    };
    h.key(GLFW_KEY_KP_ENTER);
    h.key(GLFW_KEY_KP_ENTER);
    h.enter_until("DIENST");
    const tk::Question* q = h.current();
    REQUIRE(q);
    REQUIRE(tk::offers_row_no_answer(h.app, *q));
    CHECK_FALSE(tk::offers_no_answer(h.app, *q)); // per row, not for the whole matrix
    std::vector<std::string> rows = tk::matrix_slots(h.app, *q);
    REQUIRE(rows.size() >= 3);
    // Row 1: key 0 (the marked row), which moves the mark on to row 2.
    h.key(GLFW_KEY_0);
    const tk::Answer* a = h.app.session->answer("DIENST");
    REQUIRE(a);
    CHECK(a->cells.at(rows[0]) == tk::kNoAnswerCode);
    CHECK(h.app.page.matrix_row == 1);
    // Row 2: tapped, as a row of its own beside the options; a second tap takes it back.
    REQUIRE(h.reveal("cell/" + rows[1] + "/0"));
    h.click("cell/" + rows[1] + "/0");
    CHECK(h.app.session->answer("DIENST")->cells.at(rows[1]) == tk::kNoAnswerCode);
    h.click("cell/" + rows[1] + "/0");
    CHECK(h.app.session->answer("DIENST")->cells.count(rows[1]) == 0);
    h.click("cell/" + rows[1] + "/0");
    // Row 3: "keine Antwort", then the person changes their mind to option 2, which replaces it.
    h.click("cell/" + rows[2] + "/0");
    CHECK(h.app.session->answer("DIENST")->cells.at(rows[2]) == tk::kNoAnswerCode);
    h.click("cell/" + rows[2] + "/2");
    a = h.app.session->answer("DIENST");
    CHECK(a->cells.at(rows[0]) == tk::kNoAnswerCode);
    CHECK(a->cells.at(rows[1]) == tk::kNoAnswerCode);
    CHECK(a->cells.at(rows[2]) == q->options[1].code);
    // The review page names it in words, not as the code.
    h.enter_until("");
    std::string review = h.frame_text();
    CHECK(review.find("-na-") == std::string::npos);
    CHECK(review.find("keine Antwort") != std::string::npos);
    h.key(GLFW_KEY_ENTER);
    REQUIRE(handed.size() == 1);

    tk::DecryptedResponse d;
    d.record_id = "0123456789abcdef-000001";
    std::string err;
    REQUIRE_MESSAGE(tk::parse_response(tk::serialize_response(handed[0]), d.response, &err), err);
    const tk::Answer& got = d.response.answers.at("DIENST");
    CHECK_FALSE(got.no_answer);
    CHECK(got.cells.at(rows[0]) == tk::kNoAnswerCode);
    CHECK(got.cells.at(rows[1]) == tk::kNoAnswerCode);

    // CSV: the declared "keine Antwort" code in those rows' columns, the option in row 3's.
    auto row = csv_row(tk::export_csv(*h.app.survey, {d}, tk::CsvOptions{}));
    CHECK(row.at("DIENST[" + rows[0] + "]") == "KA");
    CHECK(row.at("DIENST[" + rows[1] + "]") == "KA");
    CHECK(row.at("DIENST[" + rows[2] + "]") == q->options[1].code);
    // SPSS / Stata coding: the declared missing case, not an unknown code.
    tk::StatTable t = tk::stat_table(*h.app.survey, {d}, tk::StatFormat::Sav);
    int found = 0;
    for (size_t i = 0; i < t.vars.size(); ++i) {
        if (t.vars[i].heading != "DIENST[" + rows[0] + "]" && t.vars[i].heading != "DIENST[" + rows[2] + "]") continue;
        found++;
        tk::StatValue v = tk::stat_value(t.vars[i], t.rows[0][i]);
        bool first = t.vars[i].heading == "DIENST[" + rows[0] + "]";
        CHECK(v.missing == (first ? tk::StatMissing::NoAnswer : tk::StatMissing::None));
    }
    CHECK(found == 2);
    for (const std::string& w : t.warnings) CHECK_MESSAGE(w.find("DIENST") == std::string::npos, w);

    // The report's grid counts it in each row's own "keine Antwort" cell, inside that row's n.
    std::string html = tk::render_report(*h.app.survey, {d}, tk::ReportOptions{});
    CHECK(html.find("<th>keine Antwort</th>") != std::string::npos);
    for (int k = 0; k < 3; ++k) {
        std::string block = "DIENST[" + rows[k] + "]";
        CAPTURE(block);
        std::string cell = "<td class=\"gc\" data-b=\"" + block + "\" data-k=\"" + tk::kNoAnswerCode + "\"><span class=\"cnt\">";
        size_t at = html.find(cell);
        REQUIRE(at != std::string::npos);
        CHECK(html.substr(at + cell.size(), 1) == (k < 2 ? "1" : "0"));
        CHECK(html.find("<td class=\"gn\" data-b=\"" + block + "\">1</td>") != std::string::npos);
    }
}
