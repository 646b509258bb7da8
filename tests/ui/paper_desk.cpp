// Headless tests of the paper entry and tally desks: keyboard only, real ImGui, real vault.
#include <doctest/doctest.h>

#include "kiosk_harness.h"
#include "paper_registry.h"
#include "paper_desk.h"
#include "paper_desk_screen.h"
#include "sheet_id.h"
#include "tally.h"

namespace {

struct Desk {
    tkt::Harness h;
    std::unique_ptr<tk::PaperRegistry> reg;
    tk::PaperDesk st;
    tk::TallyDesk tally;
    bool tally_mode = false;
    int64_t wall = 1780000000;

    Desk() {
        std::string err;
        ImGui::GetIO().KeyMap[ImGuiKey_A] = GLFW_KEY_A; // Ctrl+A replaces a prefilled line
        reg = tk::PaperRegistry::open(h.dir, &err);
        REQUIRE_MESSAGE(reg, err);
        tk::paper_desk_begin(st, h.app.survey, reg.get(), h.vault.get(), "Stadtteilbüro", "Fest");
        st.texts = &h.app.texts; // as the staff menu does
        frames(3);
    }
    void frame() {
        ImGuiIO& io = ImGui::GetIO();
        io.DeltaTime = 1.0f / 60.0f;
        ImGui::NewFrame();
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(io.DisplaySize);
        ImGui::Begin("staff", nullptr, ImGuiWindowFlags_NoDecoration);
        h.ui.rects.clear();
        if (tally_mode) tk::draw_tally_desk(tally, h.ui);
        else tk::draw_paper_desk(st, h.ui, wall);
        ImGui::End();
        ImGui::Render();
    }
    void frames(int n) {
        for (int i = 0; i < n; ++i) frame();
    }
    void key(int k) {
        ImGuiIO& io = ImGui::GetIO();
        io.KeysDown[k] = true;
        frame();
        io.KeysDown[k] = false;
        frames(2);
    }
    // Types a line into the focused input and presses Enter, as staff do.
    void line(const std::string& s) {
        frames(1);
        if (!s.empty()) {
            // Replace whatever the line shows (a prefilled value) by what is typed.
            ImGuiIO& io = ImGui::GetIO();
            io.KeyCtrl = true;
            io.KeysDown[GLFW_KEY_A] = true;
            frame();
            io.KeysDown[GLFW_KEY_A] = false;
            io.KeyCtrl = false;
            frame();
            ImGui::GetIO().AddInputCharactersUTF8(s.c_str());
            frames(2);
        }
        key(GLFW_KEY_ENTER);
    }
    // One whole sheet: enterer, sheet id, every field (value from `values` or empty).
    void sheet(const std::string& who, const std::string& id, const std::map<std::string, std::string>& values) {
        for (int i = 0; i < 3 && st.step != tk::PaperStep::Enterer; ++i) key(GLFW_KEY_ESCAPE);
        REQUIRE(st.step == tk::PaperStep::Enterer);
        line(who);
        REQUIRE(st.step == tk::PaperStep::Sheet);
        line(id);
        REQUIRE_MESSAGE(st.step == tk::PaperStep::Field, st.message);
        while (st.step == tk::PaperStep::Field) {
            std::string fkey = st.fields[st.field].key;
            auto it = values.find(fkey);
            size_t before = st.field;
            line(it == values.end() ? "" : it->second);
            bool moved = st.field != before || st.step != tk::PaperStep::Field;
            REQUIRE_MESSAGE(moved, (fkey + ": " + st.message));
        }
        REQUIRE(st.step == tk::PaperStep::Summary);
        line("");
    }
};

const std::map<std::string, std::string> kValues = {
    {"ONLINE", "3"}, {"WARUM", "2"}, {"BARR", "1 5"}, {"DIENST.AMT", "2"}, {"WUNSCH", "Mehr Bänke"}, {"ALTER", "?"}};

} // namespace

TEST_CASE("paper: keyboard double entry on the desk seals one record") {
    Desk d;
    std::string id = tk::new_sheet_id("buerger-digital");
    CHECK(d.h.has("paper/input"));
    CHECK(d.h.ui.page_name == "PaperEnterer");
    d.sheet("anna", id, kValues);
    CHECK(d.st.step == tk::PaperStep::Done);
    CHECK(d.st.outcome.kind == tk::PaperOutcome::FirstStored);
    CHECK(d.h.vault->status().records == 0);
    d.sheet("ben", id, kValues);
    CHECK_MESSAGE(d.st.outcome.kind == tk::PaperOutcome::Sealed, d.st.message);
    CHECK(d.h.vault->status().records == 1);
    CHECK(d.h.vault->status().by_channel["paper"] == 1);
    // The same sheet again is refused at the sheet id already.
    d.key(GLFW_KEY_ENTER); // Done -> next sheet
    REQUIRE(d.st.step == tk::PaperStep::Sheet);
    d.line(id);
    CHECK(d.st.step == tk::PaperStep::Sheet);
    CHECK(d.st.message_key == "staff_paper_sealed_already");
    CHECK(d.st.message.find(id) != std::string::npos);
    CHECK(d.st.message.find("nur einmal") != std::string::npos); // said in German, the staff's language
}

TEST_CASE("paper: the desk refuses a mistyped sheet id and bad box numbers, Escape goes back") {
    Desk d;
    d.line("anna");
    std::string id = tk::new_sheet_id("buerger-digital");
    std::string typo = id;
    typo[4] = typo[4] == 'A' ? 'B' : 'A';
    d.line(typo);
    CHECK(d.st.step == tk::PaperStep::Sheet);
    CHECK(d.st.message_key == "staff_paper_sheet_check");
    d.line(id);
    REQUIRE(d.st.step == tk::PaperStep::Field);
    CHECK(d.st.fields[d.st.field].key == "ONLINE");
    d.line("9");
    CHECK(d.st.field == 0);
    CHECK(d.st.message_is_error);
    CHECK(d.st.message_key == "staff_paper_bad_value");
    CHECK(d.st.message.find("„9“") != std::string::npos);
    d.line("3");
    CHECK(d.st.field == 1);
    d.key(GLFW_KEY_ESCAPE);
    CHECK(d.st.field == 0);
    CHECK(d.st.input == "3"); // what was typed is shown again
}

TEST_CASE("paper: differing entries are resolved field by field on the desk") {
    Desk d;
    std::string id = tk::new_sheet_id("buerger-digital");
    d.sheet("anna", id, kValues);
    auto second = kValues;
    second["ONLINE"] = "4";
    d.sheet("ben", id, second);
    // Neither enterer resolves: the person at the desk is refused at once, the first enterer
    // by the registry after the values were typed, then a third person seals it.
    REQUIRE(d.st.step == tk::PaperStep::Resolver);
    REQUIRE(d.st.diffs.size() == 1);
    d.frame();
    CHECK(d.h.ui.page_name == "PaperResolver");
    d.line("Ben");
    CHECK(d.st.step == tk::PaperStep::Resolver);
    CHECK(d.st.message_key == "staff_paper_resolver_entered");
    d.line("ANNA");
    REQUIRE(d.st.step == tk::PaperStep::Resolve);
    d.line("4");
    CHECK(d.st.step == tk::PaperStep::Resolver);
    CHECK(d.st.message_key == "staff_paper_resolver_entered");
    CHECK(d.h.vault->status().records == 0);
    d.line("cem");
    REQUIRE(d.st.step == tk::PaperStep::Resolve);
    CHECK(d.h.ui.page_name == "PaperResolve ONLINE");
    CHECK(d.h.vault->status().records == 0);
    d.line("7"); // not a box of ONLINE
    CHECK(d.st.step == tk::PaperStep::Resolve);
    d.line("4");
    CHECK_MESSAGE(d.st.outcome.kind == tk::PaperOutcome::Sealed, d.st.message);
    CHECK(d.h.vault->status().records == 1);
}

TEST_CASE("paper: a tally is typed on the desk and sealed with channel tally") {
    Desk d;
    d.tally_mode = true;
    tk::tally_desk_begin(d.tally, d.h.app.survey, d.h.vault.get(), "anna", "Stadtteilfest", "Marktplatz", "2026-06-13");
    d.frames(2);
    d.line("");           // event as prefilled
    d.line("");           // place as prefilled
    d.line("2026-06-13"); // date
    REQUIRE(d.tally.step == tk::TallyStep::Question);
    d.line("ONLINE");
    REQUIRE(d.tally.step == tk::TallyStep::Count);
    REQUIRE(d.tally.choices.size() == 4);
    d.line("31");
    d.line("23");
    d.line("");
    d.line("5");
    CHECK_MESSAGE(d.tally.step == tk::TallyStep::Done, d.tally.message);
    CHECK(d.h.vault->status().by_channel["tally"] == 1);
}
