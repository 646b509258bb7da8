// kiosk_delphi.cpp - a Delphi round on the kiosk (delphi-stufe-2.json): the code page with its
// back-off, a right code showing the own earlier answer and the group's chart, "Antwort
// beibehalten", the reason asked for a change across the consensus, the no-code path, the
// idle wipe, and a pack whose signature does not verify.
//
// The feedback pack is built here with the delphi.h functions, as `teilhabe delphi feedback`
// would, and signed with the kiosk's demo research key (what a demo kiosk checks updates with).
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <functional>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "delphi.h"
#include "keys.h"
#include "kiosk_harness.h"
#include "research_key.h"
#include "survey_update.h"

using tkt::Harness;

namespace {

const std::string kStudy = "digitale-kommune-delphi";

// Round 1's answers to F11[L1] (repeated as F5[L1]) of seven participants; participant 0 is the
// one at the kiosk. Sorted: 3 4 4 4 4 5 6, so Q1 = 4, Q3 = 4.5 (type 7) and the IQR 0.5 is
// consensus under the survey's rule (IQR <= 1).
const std::vector<std::string> kF5L1 = {"4", "4", "5", "3", "4", "6", "4"};
const std::vector<std::string> kF10B = {"5", "4", "4", "2", "5", "4", "3"};

const std::string kStage2 = std::string(TK_SOURCE_DIR) + "/surveys/delphi-stufe-2.json";

struct DelphiKiosk {
    Harness h;
    std::vector<std::string> codes = tk::delphi::make_codes(2); // [0] answered round 1, [1] did not
    std::vector<tk::Response> sent;

    explicit DelphiKiosk(bool sign_right = true, const std::string& survey = kStage2) : h(survey) {
        auto vault_submit = h.app.submit_fn;
        h.app.submit_fn = [this, vault_submit](const tk::Response& r) {
            sent.push_back(r);
            return vault_submit(r);
        };
        write_pack(sign_right);
    }

    void write_pack(bool sign_right) {
        const tk::Survey& s = *h.app.survey;
        tk::delphi::FeedbackPack p;
        p.study = kStudy;
        p.from_round = 1;
        p.for_survey = s.id;
        p.for_version = s.version;
        p.created = "2026-12-01T10:00:00Z";
        auto stats = [&](const std::string& key, const std::string& source, const std::vector<std::string>& values) {
            const std::vector<tk::Option>* scale = tk::delphi_item_scale(s, key);
            REQUIRE(scale);
            p.items.push_back(tk::delphi::item_stats(key, source, values, *scale, s.delphi.consensus));
        };
        stats("F5[L1]", "F11[L1]", kF5L1);
        stats("F10[B]", "F18", kF10B);
        const std::vector<tk::Option>* f19 = tk::delphi_item_scale(s, "F19");
        REQUIRE(f19);
        p.items.push_back(tk::delphi::multiple_item_stats("F19", "F51", {{"1", "3"}, {"3"}, {"2", "3"}, {}}, *f19));
        tk::delphi::ParticipantKeys k;
        std::string err;
        REQUIRE_MESSAGE(tk::delphi::derive_participant_keys(codes[0], kStudy, k, &err), err);
        p.entries[k.lookup] = tk::delphi::seal_own_answers(k, {{"F5[L1]", kF5L1[0]}, {"F10[B]", kF10B[0]}, {"F19", "1 3"}});
        // Another participant's entry: present, but not ours to open.
        tk::delphi::ParticipantKeys other;
        REQUIRE(tk::delphi::derive_participant_keys(tk::delphi::make_codes(1)[0], kStudy, other, &err));
        p.entries[other.lookup] = tk::delphi::seal_own_answers(other, {{"F5[L1]", "6"}});

        tk::ResearchSecretKey sk;
        REQUIRE_MESSAGE(tk::load_research_secret(h.dir + "/demo-research.key", tk::kDemoPassphrase, sk, &err), err);
        std::string bytes = tk::delphi::write_feedback_pack(p);
        std::filesystem::create_directories(h.dir + "/surveys");
        const std::string name = "delphi-stufe-2-feedback.delphi";
        std::ofstream(h.dir + "/surveys/" + name, std::ios::binary) << bytes;
        // A wrong signature: the same key over other bytes.
        std::ofstream(h.dir + "/surveys/" + name + ".sig") << tk::sign_survey_file(name, sign_right ? bytes : bytes + " ", sk.sign_sk);
    }

    // Welcome -> language -> notice, consent -> the code page.
    void to_code_page() {
        h.click("welcome");
        REQUIRE(h.app.screen == tk::Screen::Language);
        h.click("next");
        REQUIRE(h.app.screen == tk::Screen::Privacy);
        h.click("privacy/agree");
        REQUIRE(h.app.screen == tk::Screen::DelphiCode);
        h.frames(3); // the code field takes the keyboard
        REQUIRE(ImGui::GetIO().WantTextInput);
    }
    // Types into the code field (it has the keyboard when the page opens), then Enter, as a
    // scanner does; waits for the derivation's thread.
    void enter_code(const std::string& code) {
        h.type(code);
        h.key(GLFW_KEY_ENTER);
        for (int i = 0; i < 600 && h.app.delphi.working; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
            h.frame();
        }
        REQUIRE_FALSE(h.app.delphi.working);
        h.frames(2);
    }
    // A second try: the field emptied, tapped, typed again.
    void retype(const std::string& code) {
        h.app.delphi.code.clear();
        ImGui::ClearActiveID();
        h.frames(2);
        h.click("field/~delphi|code");
        enter_code(code);
    }
    // Scrolls back to the page's top, then down until `name` shows, and clicks it.
    void top() {
        ImGuiIO& io = ImGui::GetIO();
        for (int i = 0; i < 40; ++i) {
            io.MousePos = ImVec2(683, 420);
            io.MouseWheel = 1.0f;
            h.frame();
            io.MouseWheel = 0.0f;
        }
        h.frames(2);
    }
    bool show(const std::string& name) {
        top();
        return h.reveal(name);
    }
    void click(const std::string& name) {
        REQUIRE_MESSAGE(show(name), name);
        h.click(name);
    }
    // Everything the page shows, top to bottom (the page scrolls; ImGui logs only what is drawn).
    std::string page_text() {
        std::string all;
        ImGuiIO& io = ImGui::GetIO();
        for (int i = 0; i < 40; ++i) {
            all += h.frame_text() + "\n";
            io.MousePos = ImVec2(683, 420);
            io.MouseWheel = -1.0f;
            h.frame();
            io.MouseWheel = 0.0f;
            h.frame();
        }
        return all;
    }
};

// What a category's line says, counted here from the raw answers.
std::string category_line(const std::string& text, const std::vector<std::string>& values, const std::string& code) {
    long n = std::count(values.begin(), values.end(), code);
    long pct = std::lround(100.0 * double(n) / double(values.size()));
    return text + ": " + std::to_string(n) + " (" + std::to_string(pct) + " %)";
}

// A code with its check symbol broken (one symbol changed).
std::string broken(std::string code) {
    char& last = code.back();
    last = last == '7' ? '8' : '7';
    return code;
}

} // namespace

TEST_CASE("delphi: wrong codes get the staff PIN's back-off, kept across sessions; a right one then opens") {
    DelphiKiosk d;
    d.to_code_page();
    // A Delphi page of its own, and the code field has the keyboard (a scanner types into it).
    CHECK(d.h.ui.page_name == "DelphiCode");
    CHECK(d.h.has("field/~delphi|code"));
    CHECK(d.h.has("delphi/no_code"));

    d.enter_code(broken(d.codes[0]));
    CHECK(d.h.app.screen == tk::Screen::DelphiCode);
    CHECK(d.h.frame_text().find("Dieser Code stimmt nicht") != std::string::npos);
    CHECK(d.h.app.delphi_lock.failures == 1);
    // The typed code stays to be corrected; a second slip is free as well.
    CHECK(d.h.app.delphi.code == broken(d.codes[0]));
    d.retype("K7QM");
    CHECK(d.h.app.delphi_lock.failures == 2);
    CHECK(d.h.app.delphi_lock.locked_until <= d.h.now);
    // The third locks for 5 s, like the PIN.
    d.retype(broken(d.codes[1]));
    CHECK(d.h.app.delphi_lock.failures == 3);
    CHECK(d.h.app.delphi_lock.locked_until - d.h.now > 4.0);
    CHECK(d.h.frame_text().find("Zu viele falsche Codes. Bitte warten Sie 5 Sekunden") != std::string::npos);
    CHECK(d.h.app.delphi.code.empty()); // the lock wipes what was typed
    CHECK(tk::page_speech_text(d.h.app).find("Bitte warten Sie 5 Sekunden") != std::string::npos);
    // During the lock not even the right code is checked.
    d.retype(d.codes[0]);
    CHECK(d.h.app.screen == tk::Screen::DelphiCode);
    CHECK_FALSE(d.h.app.delphi.keys_ok);

    // Ending the session does not end the lock or the count.
    tk::reset_to_welcome(d.h.app);
    d.h.frames(2);
    CHECK(d.h.app.delphi_lock.failures == 3);
    d.h.wait(6);
    d.to_code_page();
    d.enter_code(d.codes[0]);
    CHECK(d.h.app.delphi.keys_ok);
    CHECK(d.h.app.screen == tk::Screen::Question);
    CHECK(d.h.app.delphi_lock.failures == 0); // the entry opened: the count starts afresh
}

TEST_CASE("delphi: a right code shows the own earlier answer, marked, and the group's chart") {
    DelphiKiosk d;
    d.to_code_page();
    // Lower case and without hyphens, as people type it.
    std::string typed = d.codes[0];
    std::transform(typed.begin(), typed.end(), typed.begin(), [](unsigned char ch) { return char(std::tolower(ch)); });
    d.enter_code(typed);
    REQUIRE(d.h.app.delphi.has_own);
    d.h.enter_until("F5", 80);
    std::string text = d.page_text();
    CHECK(text.find("Ihre Antwort in Stufe 1: sowohl Gefahr als auch Chance") != std::string::npos);
    // The chart's line of the earlier answer carries the mark, and so does its option row:
    // the same option of row L2 (no earlier answer there) is drawn without it, much narrower.
    CHECK(text.find("sowohl Gefahr als auch Chance: 4 (57 %)  (Ihre Antwort in Stufe 1)") != std::string::npos);
    CHECK(category_line("sowohl Gefahr als auch Chance", kF5L1, "4") == "sowohl Gefahr als auch Chance: 4 (57 %)");
    REQUIRE(d.h.ui.parts.count("cell/L1/4/text"));
    REQUIRE(d.h.ui.parts.count("cell/L2/4/text"));
    CHECK(d.h.ui.parts["cell/L1/4/text"].w() > d.h.ui.parts["cell/L2/4/text"].w() + 100);
    CHECK(d.h.ui.parts["cell/L1/3/text"].w() == doctest::Approx(d.h.ui.parts["cell/L2/3/text"].w()));
    CHECK(text.find("Ergebnis der Gruppe in Stufe 1 (7 Antworten):") != std::string::npos);
    for (const auto& [code, label] : std::vector<std::pair<std::string, std::string>>{
             {"1", "sehr große Gefahr"}, {"3", "eher Gefahr"}, {"5", "eher Chance"}, {"6", "große Chance"}}) {
        CAPTURE(code);
        CHECK(text.find(category_line(label, kF5L1, code)) != std::string::npos);
    }
    CHECK(text.find("Median: 4") != std::string::npos);
    // Rows without a pack item show nothing of the kind, and the other participant's answer
    // ("6") is nowhere.
    CHECK(text.find("große Chance  (Ihre Antwort") == std::string::npos);
    CHECK(d.show("delphi_keep/F5[L1]"));
    CHECK_FALSE(d.h.has("delphi_keep/F5[L2]"));
    // "Vorlesen" says the same.
    std::string spoken = tk::page_speech_text(d.h.app);
    CHECK(spoken.find("Ihre Antwort in Stufe 1: sowohl Gefahr als auch Chance") != std::string::npos);
    CHECK(spoken.find(category_line("sowohl Gefahr als auch Chance", kF5L1, "4")) != std::string::npos);
}

TEST_CASE("delphi: 'Antwort beibehalten' takes the earlier answer in one tap and goes on") {
    DelphiKiosk d;
    d.to_code_page();
    d.enter_code(d.codes[0]);
    d.h.enter_until("F5", 80);
    d.h.click("delphi_keep/F5[L1]");
    REQUIRE(d.h.app.session->answer("F5"));
    CHECK(d.h.app.session->answer("F5")->cells.at("L1") == kF5L1[0]);
    // A matrix stays while rows are open; the row to fill next is the first one without answer.
    CHECK(d.h.current_code() == "F5");
    CHECK(d.h.app.page.matrix_row == 1);
    // The F10 matrix: its repeated row B kept; row C still open, then filled: the page goes on
    // with the last tap.
    d.h.enter_until("F10", 40);
    d.h.click("cell/C/2");
    d.click("delphi_keep/F10[B]");
    CHECK(d.h.app.session->answer("F10")->cells.at("B") == kF10B[0]);
    CHECK(d.h.current_code() != "F10");
    // A multiple choice: both earlier ticks again, and on to the next page. Its chart counts
    // how many of the 3 who answered ticked each option.
    d.h.enter_until("F19", 40);
    std::string text = d.page_text();
    CHECK(text.find("Ihre Antwort in Stufe 1: …sehr gut vorbereitet; …technisch geschult") != std::string::npos);
    CHECK(text.find("Ergebnis der Gruppe in Stufe 1 (3 Antworten):") != std::string::npos);
    CHECK(text.find("…technisch geschult: 3 (100 %)") != std::string::npos);
    d.click("delphi_keep/F19");
    REQUIRE(d.h.app.session->answer("F19"));
    CHECK(d.h.app.session->answer("F19")->values == std::vector<std::string>{"1", "3"});
    CHECK(d.h.current_code() != "F19");
}

TEST_CASE("delphi: a change across the consensus asks for a short reason; it goes into the response") {
    DelphiKiosk d;
    d.to_code_page();
    d.enter_code(d.codes[0]);
    d.h.enter_until("F5", 80);
    // The earlier answer 4 lies between the quartiles (4 and 4.5); 1 lies outside: crossing.
    d.click("cell/L1/4");
    CHECK_FALSE(d.show("field/~delphi|reason|F5[L1]"));
    d.click("cell/L1/1");
    REQUIRE(d.show("field/~delphi|reason|F5[L1]"));
    CHECK(d.page_text().find("Bitte begründen Sie die Änderung kurz.") != std::string::npos);
    d.click("field/~delphi|reason|F5[L1]");
    d.h.type("Neue Studie gelesen");
    CHECK(d.h.app.delphi.reasons.at("F5[L1]") == "Neue Studie gelesen");
    // Back inside the region: the field goes; again across it: the reason is still there.
    tk::choose_cell(d.h.app, *d.h.current(), "L1", "4", false);
    d.h.frames(2);
    CHECK_FALSE(d.show("field/~delphi|reason|F5[L1]"));
    tk::choose_cell(d.h.app, *d.h.current(), "L1", "1", false);
    d.h.frames(2);
    CHECK(tk::field_text(d.h.app, "~delphi|reason|F5[L1]") == "Neue Studie gelesen");

    ImGui::ClearActiveID();
    d.h.frames(2);
    d.h.enter_until("", 80);
    REQUIRE(d.h.app.screen == tk::Screen::Review);
    d.h.key(GLFW_KEY_ENTER);
    REQUIRE(d.h.app.screen == tk::Screen::ThankYou);
    REQUIRE(d.sent.size() == 1);
    const tk::Response& r = d.sent[0];
    CHECK(r.meta.at("delphi_reason:F5[L1]") == "Neue Studie gelesen");
    CHECK(r.answers.at("F5").cells.at("L1") == "1");
    // The pseudonym is the one the research side derives from the code, and it is sealed: the
    // vault's file holds neither it nor the reason in plain.
    tk::delphi::ParticipantKeys k;
    REQUIRE(tk::delphi::derive_participant_keys(d.codes[0], kStudy, k, nullptr));
    CHECK(r.pseudonym == k.pseudonym);
    CHECK(d.h.vault->status().records == 1);
    std::string db;
    for (const auto& e : std::filesystem::directory_iterator(d.h.dir)) {
        if (!e.is_regular_file()) continue;
        std::ifstream f(e.path(), std::ios::binary);
        db += std::string(std::istreambuf_iterator<char>(f), {});
    }
    CHECK(db.find(k.pseudonym) == std::string::npos);
    CHECK(db.find("Neue Studie gelesen") == std::string::npos);
}

TEST_CASE("delphi: without a code the group's result shows, the own answer never; no pseudonym") {
    DelphiKiosk d;
    d.to_code_page();
    // Weiter with nothing typed asks for the code or the other button.
    d.h.key(GLFW_KEY_ENTER);
    d.h.click("next");
    CHECK(d.h.app.screen == tk::Screen::DelphiCode);
    CHECK(d.h.frame_text().find("Ich habe keinen Code") != std::string::npos);
    d.h.click("delphi/no_code");
    CHECK(d.h.app.screen == tk::Screen::Question);
    d.h.enter_until("F5", 80);
    std::string text = d.page_text();
    CHECK(text.find("Ergebnis der Gruppe in Stufe 1 (7 Antworten):") != std::string::npos);
    CHECK(text.find(category_line("sowohl Gefahr als auch Chance", kF5L1, "4")) != std::string::npos);
    CHECK(text.find("Ihre Antwort in Stufe") == std::string::npos);
    CHECK_FALSE(d.h.has("delphi_keep/F5[L1]"));
    d.h.enter_until("", 80);
    d.h.key(GLFW_KEY_ENTER);
    REQUIRE(d.sent.size() == 1);
    CHECK(d.sent[0].pseudonym.empty());
}

TEST_CASE("delphi: a code without an entry in the pack is taken; the page says why nothing shows") {
    // A code with no entry in the pack (did not answer round 1): taken, pseudonym stored, the
    // page says why nothing of one's own shows.
    DelphiKiosk e;
    e.to_code_page();
    e.enter_code(tk::delphi::format_code(e.codes[1]));
    CHECK(e.h.app.screen == tk::Screen::DelphiCode);
    CHECK(e.h.frame_text().find("Für diesen Code gibt es keine Antworten") != std::string::npos);
    e.h.click("next");
    CHECK(e.h.app.screen == tk::Screen::Question);
    CHECK_FALSE(e.h.app.delphi.has_own);
    CHECK(e.h.app.delphi.keys_ok);
}

TEST_CASE("delphi: the idle reset wipes code, keys and the opened answers") {
    DelphiKiosk d;
    d.to_code_page();
    d.h.type(d.codes[0].substr(0, 6));
    CHECK(d.h.app.delphi.code == d.codes[0].substr(0, 6));
    // Walking away from a half-typed code.
    d.h.wait(d.h.app.config.idle_seconds + d.h.app.config.warn_seconds + 2);
    CHECK(d.h.app.screen == tk::Screen::Welcome);
    CHECK(d.h.app.delphi.code.empty());

    d.to_code_page();
    CHECK(tk::field_text(d.h.app, tk::kDelphiCodeField).empty());
    d.enter_code(d.codes[0]);
    d.h.enter_until("F5", 80);
    REQUIRE(d.h.app.delphi.has_own);
    d.h.click("cell/L1/5"); // an answer: the walk-away leaves a partial response
    d.h.wait(d.h.app.config.idle_seconds + d.h.app.config.warn_seconds + 2);
    CHECK(d.h.app.screen == tk::Screen::Welcome);
    CHECK_FALSE(d.h.app.delphi.keys_ok);
    CHECK_FALSE(d.h.app.delphi.has_own);
    CHECK(d.h.app.delphi.job == nullptr);
    CHECK(d.h.app.delphi.own.empty());
    // The next person sees the group, never the last one's answer.
    d.to_code_page();
    d.h.click("delphi/no_code");
    d.h.enter_until("F5", 80);
    CHECK(d.page_text().find("Ihre Antwort in Stufe") == std::string::npos);
    // The partial response of the one who walked away carries their pseudonym, sealed.
    REQUIRE(d.sent.size() >= 1);
    tk::delphi::ParticipantKeys k;
    REQUIRE(tk::delphi::derive_participant_keys(d.codes[0], kStudy, k, nullptr));
    CHECK(d.sent.back().pseudonym == k.pseudonym);
    CHECK_FALSE(d.sent.back().complete);
}

TEST_CASE("delphi: a pack whose signature does not verify is not shown") {
    DelphiKiosk d(false);
    d.to_code_page();
    d.enter_code(d.codes[0]);
    CHECK(d.h.app.delphi.pack == nullptr);
    CHECK(d.h.app.screen == tk::Screen::Question); // the code still gives the pseudonym
    d.h.enter_until("F5", 80);
    std::string text = d.page_text();
    CHECK(text.find("Ergebnis der Gruppe in Stufe") == std::string::npos);
    CHECK(text.find("Ihre Antwort in Stufe") == std::string::npos);
}

TEST_CASE("delphi: at 300 % the code page and the feedback stay on the screen and keep working") {
    DelphiKiosk d;
    d.to_code_page();
    for (int i = 0; i < 3; ++i) d.click("tool/text_size");
    REQUIRE(d.h.app.reading.text_scale == 300);
    auto inside = [&] {
        for (const auto& [name, rect] : d.h.ui.rects) {
            CAPTURE(name);
            CHECK(rect.x1 <= 1366.0f);
            CHECK(rect.x0 >= 0.0f);
        }
    };
    inside();
    d.click("field/~delphi|code");
    d.enter_code(d.codes[0]);
    REQUIRE(d.h.app.delphi.has_own);
    d.h.enter_until("F5", 80);
    REQUIRE(d.show("delphi_keep/F5[L1]"));
    inside();
    std::string text = d.page_text();
    CHECK(text.find("Ihre Antwort in Stufe 1: sowohl Gefahr als auch Chance") != std::string::npos);
    CHECK(text.find(category_line("eher Chance", kF5L1, "5")) != std::string::npos);
    d.click("delphi_keep/F5[L1]");
    CHECK(d.h.app.session->answer("F5")->cells.at("L1") == kF5L1[0]);
}

TEST_CASE("delphi: on a right-to-left page the code page and the chart mirror") {
    // Stage 2 offered in Arabic as well (its texts fall back to German): the kiosk's own texts,
    // the layout and the bars follow the page's direction.
    std::string dir = tkt::temp_dir("delphi-rtl");
    std::ifstream in(kStage2, std::ios::binary);
    nlohmann::json survey = nlohmann::json::parse(in);
    survey["languages"] = {"de", "ar"};
    // Every text in both languages (the German words under "ar": the survey's own texts are
    // not what this test is about).
    const std::set<std::string> texts = {"title", "description", "end_text", "about", "controller", "purpose",
                                         "stored", "protection", "contact", "text", "help", "comment_label",
                                         "other_label", "label", "validation_tip", "scale_header1", "scale_header2"};
    std::function<void(nlohmann::json&)> both = [&](nlohmann::json& j) {
        if (j.is_object()) {
            for (auto& [k, v] : j.items()) {
                if (texts.count(k) && v.is_string()) v = nlohmann::json{{"de", v}, {"ar", v}};
                else both(v);
            }
        } else if (j.is_array()) {
            for (auto& x : j) both(x);
        }
    };
    both(survey);
    std::string text = survey.dump();
    std::ofstream(dir + "/delphi-stufe-2.json", std::ios::binary) << text;
    {
        DelphiKiosk d(true, dir + "/delphi-stufe-2.json");
        tk::start_in_language(d.h.app, "ar", d.h.now);
        d.h.frames(2);
        d.h.click("next");
        d.h.click("privacy/agree");
        REQUIRE(d.h.app.screen == tk::Screen::DelphiCode);
        d.h.frames(3);
        CHECK(d.h.frame_text().find("رمزك الشخصي") != std::string::npos);
        // "Weiter" is on the left reading right to left.
        CHECK(d.h.ui.rects["next"].x0 < d.h.ui.rects["back"].x0);
        d.enter_code(d.codes[0]);
        REQUIRE(d.h.app.delphi.has_own);
        d.h.enter_until("F5", 80);
        REQUIRE(d.show("delphi_keep/F5[L1]"));
        CHECK(d.page_text().find("إجابتك في المرحلة 1: sowohl Gefahr als auch Chance") != std::string::npos);
        // "eher Chance" has 1 of the 4 the longest bar has: a quarter, at the right.
        REQUIRE(d.h.ui.parts.count("delphi_bar/F5[L1]/5"));
        tk::Rect bar = d.h.ui.parts["delphi_bar/F5[L1]/5"];
        tk::Rect full = d.h.ui.parts["delphi_bar/F5[L1]/4"];
        CHECK(bar.x1 == doctest::Approx(full.x1));
        CHECK(bar.w() == doctest::Approx(full.w() / 4).epsilon(0.02));
        CHECK(bar.x0 > 683.0f);
    }
    {
        // The same bar on a German page starts at the left.
        DelphiKiosk d;
        d.to_code_page();
        d.enter_code(d.codes[0]);
        d.h.enter_until("F5", 80);
        REQUIRE(d.h.ui.parts.count("delphi_bar/F5[L1]/5"));
        CHECK(d.h.ui.parts["delphi_bar/F5[L1]/5"].x0 == doctest::Approx(d.h.ui.parts["delphi_bar/F5[L1]/4"].x0));
        CHECK(d.h.ui.parts["delphi_bar/F5[L1]/5"].x1 < 683.0f);
    }
    std::filesystem::remove_all(dir);
}
