// Headless tests of the staff tools for analogue sites: site and event, assisted interviews,
// printing. Real ImGui frames, the shipped citizen survey, a real vault; what was sealed is
// read back by decrypting the vault with its demo key.
#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "export_csv.h"
#include "field_desk.h"
#include "kiosk_harness.h"
#include "keys.h"
#include "paper_registry.h"
#include "report.h"
#include "research.h"
#include "field_desk_screen.h"
#include "sheet_id.h"

using tkt::Harness;

namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Into the staff menu with a PIN set beforehand (the default-PIN change is tested elsewhere).
void open_staff_menu(Harness& h) {
    std::ofstream(h.app.pin.path) << tk::hash_pin("975310") << "\n";
    h.key(GLFW_KEY_S, true, true);
    REQUIRE(h.app.screen == tk::Screen::StaffPin);
    for (char c : std::string("975310")) h.key(GLFW_KEY_0 + (c - '0'));
    h.key(GLFW_KEY_ENTER);
    REQUIRE(h.app.screen == tk::Screen::StaffMenu);
}

// Opens a desk from the staff menu; it scrolls itself to the top in its first frame.
void open_desk(Harness& h, const std::string& button) {
    h.click(button);
    h.frames(2);
}

// Clicks a text line and types into it (replacing nothing: the lines start empty here).
void type_into(Harness& h, const std::string& name, const std::string& text) {
    h.click(name);
    h.type(text);
}

tk::DecryptResult decrypt_vault(Harness& h) {
    tk::ResearchSecretKey sk;
    std::string err;
    REQUIRE_MESSAGE(tk::load_research_key(h.dir + "/demo-research.key", tk::kDemoPassphrase, sk, &err), err);
    tk::DecryptResult r = tk::decrypt_source(tk::RecordSourceKind::Vault, h.dir, sk);
    CHECK(r.problems.empty());
    return r;
}

// Welcome -> ... -> review -> submit, answering ONLINE with its first option.
void answer_and_submit(Harness& h) {
    if (h.app.screen == tk::Screen::Welcome) h.key(GLFW_KEY_ENTER);
    REQUIRE(h.app.screen == tk::Screen::Language);
    h.key(GLFW_KEY_ENTER);
    h.enter_until("ONLINE");
    h.key(GLFW_KEY_1);
    h.enter_until("");
    REQUIRE(h.app.screen == tk::Screen::Review);
    h.key(GLFW_KEY_ENTER);
    REQUIRE(h.app.screen == tk::Screen::ThankYou);
}

} // namespace

TEST_CASE("site and event: typed in the staff menu, kept with recent ones, in every sealed record") {
    Harness h;
    open_staff_menu(h);
    open_desk(h, "staff/site");
    REQUIRE(h.ui.page_name == "FieldSite");
    // The site is required; nothing is saved without it.
    h.click("site/save");
    CHECK(h.app.field.message_key == "staff_field_site_missing");
    CHECK(h.app.config.site.empty());
    type_into(h, "site/site", "Stadtbibliothek, Interneterfahrungsort");
    type_into(h, "site/event", "Stadtteilfest 2026");
    h.click("site/save");
    CHECK(h.app.staff_desk == tk::StaffDesk::Menu); // saved: back in the menu
    CHECK(h.app.config.site == "Stadtbibliothek, Interneterfahrungsort");
    CHECK(h.app.config.event == "Stadtteilfest 2026");
    auto saved = nlohmann::json::parse(slurp(h.dir + "/kiosk-settings.json"));
    CHECK(saved["site"] == "Stadtbibliothek, Interneterfahrungsort");
    CHECK(saved["event"] == "Stadtteilfest 2026");
    CHECK(saved["recent_sites"][0] == "Stadtbibliothek, Interneterfahrungsort");

    // A second site; the first is then one tap away, and "ohne Veranstaltung" clears the event.
    open_desk(h, "staff/site");
    h.click("site/site");
    ImGui::GetIO().KeyMap[ImGuiKey_A] = GLFW_KEY_A;
    h.key(GLFW_KEY_A, true); // select all (Ctrl+A) and type over it
    h.type("Stadtteilbüro Nord");
    h.click("site/recent_event/none");
    h.click("site/save");
    CHECK(h.app.config.site == "Stadtteilbüro Nord");
    CHECK(h.app.config.event.empty());
    CHECK(h.app.config.recent_sites == std::vector<std::string>{"Stadtteilbüro Nord", "Stadtbibliothek, Interneterfahrungsort"});
    open_desk(h, "staff/site");
    h.click("site/recent_site/2");
    h.click("site/recent_event/1");
    CHECK(h.app.field.event == "Stadtteilfest 2026");
    h.click("site/save");
    CHECK(h.app.config.site == "Stadtbibliothek, Interneterfahrungsort");
    CHECK(h.app.config.event == "Stadtteilfest 2026");
    // A control character is refused and changes nothing.
    open_desk(h, "staff/site");
    h.app.field.event = "Fest\x01";
    h.click("site/save");
    CHECK(h.app.field.message_key == "staff_field_control_char");
    CHECK(h.app.config.event == "Stadtteilfest 2026");
    h.click("site/back");
    CHECK(h.app.staff_desk == tk::StaffDesk::Menu);

    // Settings survive a restart of the kiosk.
    {
        tk::KioskApp again;
        tk::kiosk_init(again, h.app.survey, h.app.texts, h.dir, 0);
        CHECK(again.config.site == "Stadtbibliothek, Interneterfahrungsort");
        CHECK(again.config.event == "Stadtteilfest 2026");
        CHECK(again.config.recent_sites.size() == 2);
    }

    // Paper desk and tally desk get them from the menu.
    auto reg = tk::PaperRegistry::open(h.dir, nullptr);
    REQUIRE(reg);
    h.app.paper_registry = reg.get();
    h.app.vault = h.vault.get();
    h.frames(2);
    open_desk(h, "staff/paper");
    CHECK(h.app.paper.site == "Stadtbibliothek, Interneterfahrungsort");
    CHECK(h.app.paper.event == "Stadtteilfest 2026");
    // One sheet, entered twice (all fields empty but ONLINE), sealed with channel paper.
    std::string sheet = tk::new_sheet_id(h.app.survey->id);
    for (const char* who : {"anna", "ben"}) {
        auto& st = h.app.paper;
        auto enter = [&](const std::string& v) {
            st.input = v;
            REQUIRE_MESSAGE(tk::paper_enter(st, 1780000000), st.message);
        };
        if (st.step == tk::PaperStep::Done) enter("");
        if (st.step == tk::PaperStep::Sheet) tk::paper_back(st);
        enter(who);
        enter(sheet);
        while (st.step == tk::PaperStep::Field) enter(st.fields[st.field].key == "ONLINE" ? "2" : "");
        enter("");
    }
    CHECK(h.app.paper.outcome.kind == tk::PaperOutcome::Sealed);
    h.app.staff_desk = tk::StaffDesk::Menu;
    h.frames(2);
    open_desk(h, "staff/tally");
    CHECK(h.app.tally.tally.event == "Stadtteilfest 2026");
    CHECK(h.app.tally.tally.place == "Stadtbibliothek, Interneterfahrungsort");
    {
        auto& t = h.app.tally;
        auto enter = [&](const std::string& v) {
            t.input = v;
            REQUIRE_MESSAGE(tk::tally_enter(t), t.message);
        };
        enter(t.input); // event as prefilled
        enter(t.input); // place = site
        enter("2026-06-13");
        enter("ONLINE");
        while (t.step == tk::TallyStep::Count) enter("4");
        CHECK(t.step == tk::TallyStep::Done);
    }
    h.app.staff_desk = tk::StaffDesk::Menu;
    h.frames(2);
    // The status line of the menu names both.
    std::string status = tk::field_status_text(h.app);
    CHECK(status.find("Stadtbibliothek, Interneterfahrungsort") != std::string::npos);
    CHECK(status.find("Stadtteilfest 2026") != std::string::npos);

    // A respondent's response.
    h.click("staff/back");
    answer_and_submit(h);

    tk::DecryptResult d = decrypt_vault(h);
    REQUIRE(d.responses.size() == 2);
    REQUIRE(d.tallies.size() == 1);
    int kiosk = 0, paper = 0;
    for (const auto& r : d.responses) {
        CHECK(r.response.site == "Stadtbibliothek, Interneterfahrungsort");
        CHECK(r.response.event == "Stadtteilfest 2026");
        CHECK(r.meta.site == "Stadtbibliothek, Interneterfahrungsort");
        kiosk += r.response.channel == "kiosk";
        paper += r.response.channel == "paper";
    }
    CHECK(kiosk == 1);
    CHECK(paper == 1);
    CHECK(d.tallies[0].tally.event == "Stadtteilfest 2026");
    CHECK(d.tallies[0].tally.place == "Stadtbibliothek, Interneterfahrungsort");
}

TEST_CASE("assisted interview: one session with channel assisted and the interviewer, marked on every page") {
    Harness h;
    open_staff_menu(h);
    open_desk(h, "staff/assisted");
    REQUIRE(h.ui.page_name == "FieldAssisted");
    h.click("assisted/start"); // no id yet
    CHECK(h.app.field.message_key == "staff_field_interviewer_missing");
    CHECK(h.app.screen == tk::Screen::StaffMenu);
    type_into(h, "assisted/id", "  iv-07 ");
    h.click("assisted/start");
    REQUIRE(h.app.screen == tk::Screen::Language);
    CHECK(h.app.interviewer == "iv-07");
    CHECK(h.app.staff_desk == tk::StaffDesk::Menu);
    h.frames(2);
    CHECK(h.has("assisted/marker"));
    h.key(GLFW_KEY_ENTER);
    h.enter_until("ONLINE");
    CHECK(h.has("assisted/marker"));
    h.key(GLFW_KEY_2);
    h.enter_until("");
    CHECK(h.has("assisted/marker"));
    h.key(GLFW_KEY_ENTER);
    REQUIRE(h.app.screen == tk::Screen::ThankYou);
    CHECK(h.app.interviewer.empty()); // the next person is a normal kiosk session again

    // The next session is a normal one: no marker, channel kiosk.
    h.wait(21);
    REQUIRE(h.app.screen == tk::Screen::Welcome);
    answer_and_submit(h);
    h.frames(1);

    // An assisted interview that times out: partial response, still assisted; then normal.
    open_staff_menu(h);
    open_desk(h, "staff/assisted");
    CHECK(h.app.field.interviewer == "iv-07"); // the last id is offered again
    h.click("assisted/start");
    REQUIRE(h.app.screen == tk::Screen::Language);
    h.key(GLFW_KEY_ENTER);
    h.enter_until("ONLINE");
    h.key(GLFW_KEY_3);
    h.wait(h.app.config.idle_seconds + 31.0);
    CHECK(h.app.screen == tk::Screen::Welcome);
    CHECK(h.app.interviewer.empty());
    h.key(GLFW_KEY_ENTER);
    h.frames(2);
    CHECK_FALSE(h.has("assisted/marker"));

    tk::DecryptResult d = decrypt_vault(h);
    REQUIRE(d.responses.size() == 3);
    const auto& a = d.responses[0].response;
    CHECK(a.channel == "assisted");
    CHECK(a.meta.at("interviewer") == "iv-07");
    CHECK(a.complete);
    CHECK(d.responses[0].meta.channel == "assisted");
    CHECK(d.responses[1].response.channel == "kiosk");
    CHECK(d.responses[1].response.meta.count("interviewer") == 0);
    CHECK(d.responses[2].response.channel == "assisted");
    CHECK_FALSE(d.responses[2].response.complete);
    CHECK(d.responses[2].response.meta.at("interviewer") == "iv-07");

    // The research side keeps them apart: report filter and CSV channel column.
    tk::ReportOptions ro;
    ro.channel = "assisted";
    std::string html = tk::render_report(*h.app.survey, d.responses, ro);
    CHECK(html.find("<strong id=\"total\">2</strong>") != std::string::npos);
    ro.channel = "kiosk";
    CHECK(tk::render_report(*h.app.survey, d.responses, ro).find("<strong id=\"total\">1</strong>") != std::string::npos);
    std::string csv = tk::export_csv(*h.app.survey, d.responses, tk::CsvOptions{});
    CHECK(csv.find("," + std::string("assisted") + ",") != std::string::npos);
}

TEST_CASE("print from the staff menu: a PDF with registered sheet ids in the data folder") {
    Harness h;
    open_staff_menu(h);
    open_desk(h, "staff/print");
    REQUIRE(h.ui.page_name == "FieldPrint");
    REQUIRE(!h.app.field.print_folders.empty());
    CHECK(h.app.field.print_folders[0] == h.dir + "/prints");
    CHECK(h.app.field.print_lang == "de");
    h.click("print/lang/de-x-ls");
    h.click("print/large");
    h.click("print/sheets+1");
    h.click("print/sheets+1");
    CHECK(h.app.field.print_sheets == 3);
    h.app.field.print_send = false; // never a real printer from a test
    h.click("print/go");
    for (int i = 0; i < 600 && tk::field_print_running(h.app); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        h.frame();
    }
    h.frames(2);
    const tk::PrintOutcome& o = h.app.field.last;
    REQUIRE_MESSAGE(o.ok, o.error);
    CHECK(h.app.field.message_key == "staff_print_done");
    CHECK(o.pdf.rfind(h.dir + "/prints/buerger-digital-de-x-ls-gross-", 0) == 0);
    REQUIRE(o.sheet_ids.size() == 3);
    // The ids file lists exactly the printed ids, each a valid id of this survey.
    std::istringstream ids(slurp(o.ids_file));
    std::vector<std::string> listed;
    for (std::string line; std::getline(ids, line);) listed.push_back(line);
    CHECK(listed == o.sheet_ids);
    for (const auto& id : o.sheet_ids) {
        std::string norm, err;
        CHECK_MESSAGE(tk::parse_sheet_id(id, norm, &err), err);
        CHECK(id.substr(0, 3) == "BD-");
    }
    // The PDF carries them (pdftotext: every sheet's id is printed on its pages).
    std::string txt = h.dir + "/form.txt";
    REQUIRE(std::system(("pdftotext '" + o.pdf + "' '" + txt + "'").c_str()) == 0);
    std::string text = slurp(txt);
    for (const auto& id : o.sheet_ids) CHECK(text.find(id) != std::string::npos);
    // A second job in the same second does not overwrite the first.
    tk::PrintOptions opt;
    opt.sheets = 1;
    tk::PrintOutcome a = tk::print_form_to_folder(*h.app.survey, opt, h.dir + "/p2", 1780000000, false);
    tk::PrintOutcome b = tk::print_form_to_folder(*h.app.survey, opt, h.dir + "/p2", 1780000000, false);
    REQUIRE(a.ok);
    REQUIRE(b.ok);
    CHECK(a.pdf != b.pdf);
    CHECK(a.sheet_ids != b.sheet_ids);
}

TEST_CASE("print desk: a job that ended while staff were away shows its failure on the next visit, once") {
    Harness h;
    open_staff_menu(h);
    open_desk(h, "staff/print");
    REQUIRE(h.ui.page_name == "FieldPrint");
    h.click("print/back");
    h.frames(2);
    REQUIRE(h.app.staff_desk == tk::StaffDesk::Menu);
    // Started, then it runs out while staff are on the menu: a folder that is a file fails.
    std::ofstream(h.dir + "/afile") << "x";
    h.app.field.print_folders = {h.dir + "/afile"};
    h.app.field.print_folder = 0;
    h.app.field.print_send = false;
    REQUIRE(tk::field_print_start(h.app));
    for (int i = 0; i < 600 && tk::field_print_running(h.app); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        h.frame();
    }
    h.frames(2);
    REQUIRE_FALSE(h.app.field.last.ok);
    open_desk(h, "staff/print");
    CHECK(h.app.field.message_key == "staff_print_failed");
    CHECK(h.app.field.message_is_error);
    CHECK(h.app.field.message_x.find("afile") != std::string::npos);
    CHECK(h.app.field.message_x == h.app.field.last.error);
    // Seen once: the next visit starts without it, as every desk does.
    h.click("print/back");
    h.frames(2);
    open_desk(h, "staff/print");
    CHECK(h.app.field.message_key.empty());
}

TEST_CASE("print folders: the data folder first, then the USB sticks; a bad folder is named") {
    std::string dir = tkt::temp_dir("sticks");
    std::filesystem::create_directories(dir + "/STICK A");
    setenv("TK_USB_ROOTS", (dir + "/STICK A").c_str(), 1);
    auto f = tk::list_print_folders(dir);
    unsetenv("TK_USB_ROOTS");
    REQUIRE(f == std::vector<std::string>{dir + "/prints", dir + "/STICK A"});
    tk::LoadResult lr = tk::load_survey(std::string(TK_SOURCE_DIR) + "/surveys/buerger-digital.json");
    REQUIRE(lr.ok());
    tk::PrintOptions opt;
    opt.lang = "en";
    tk::PrintOutcome o = tk::print_form_to_folder(*lr.survey, opt, f[1], 1780000000, false);
    REQUIRE_MESSAGE(o.ok, o.error);
    CHECK(o.pdf.rfind(dir + "/STICK A/buerger-digital-en-", 0) == 0);
    CHECK(std::filesystem::file_size(o.pdf) > 1000);
    // A file where the folder should be.
    std::ofstream(dir + "/afile") << "x";
    o = tk::print_form_to_folder(*lr.survey, tk::PrintOptions{}, dir + "/afile", 0, false);
    CHECK_FALSE(o.ok);
    CHECK(o.error.find(dir + "/afile") != std::string::npos);
    std::filesystem::remove_all(dir);
}

TEST_CASE("paper and tally desks say refusals in the staff's language, from the registry's codes") {
    Harness h;
    auto reg = tk::PaperRegistry::open(h.dir, nullptr);
    REQUIRE(reg);
    tk::PaperDesk st;
    tk::paper_desk_begin(st, h.app.survey, reg.get(), h.vault.get(), "Bibliothek", "");
    st.texts = &h.app.texts;
    st.lang = "en";
    auto enter = [&](const std::string& v) {
        st.input = v;
        return tk::paper_enter(st, 1780000000);
    };
    std::string sheet = tk::new_sheet_id(h.app.survey->id);
    CHECK_FALSE(enter(""));
    CHECK(st.message_key == "staff_paper_enterer_missing");
    CHECK(st.message == "Please enter your initials (who is typing).");
    REQUIRE(enter("anna"));
    CHECK_FALSE(enter("BD-1234"));
    CHECK(st.message_key == "staff_paper_sheet_char"); // '1' is never used in sheet ids
    CHECK_FALSE(enter("BD-2345-678"));
    CHECK(st.message_key == "staff_paper_sheet_length");
    CHECK_FALSE(enter("BA" + sheet.substr(2)));
    CHECK((st.message_key == "staff_paper_wrong_survey" || st.message_key == "staff_paper_sheet_check"));
    REQUIRE(enter(sheet));
    CHECK(st.message_key == "staff_paper_first_entry");
    while (st.step == tk::PaperStep::Field) REQUIRE(enter(""));
    REQUIRE(enter(""));
    CHECK(st.outcome.kind == tk::PaperOutcome::FirstStored);
    CHECK(st.message == "Sheet " + sheet + ": first entry stored. A second person enters it again.");
    // The same person again: the registry refuses with code same_enterer and names who.
    REQUIRE(enter("")); // Done -> next sheet, same enterer
    REQUIRE(enter(sheet));
    CHECK(st.message_key == "staff_paper_second_entry");
    while (st.step == tk::PaperStep::Field) REQUIRE(enter(""));
    CHECK_FALSE(enter(""));
    CHECK(st.outcome.code == "same_enterer");
    CHECK(st.message_key == "staff_paper_same_enterer");
    CHECK(st.message == "Sheet " + sheet + " was already entered by anna; the second entry must be done by another person.");

    tk::TallyDesk t;
    tk::tally_desk_begin(t, h.app.survey, h.vault.get(), "anna", "Fest", "Markt", "2026-06-13");
    t.texts = &h.app.texts; // German
    auto type = [&](const std::string& v) {
        t.input = v;
        return tk::tally_enter(t);
    };
    REQUIRE(type("Fest"));
    REQUIRE(type("Markt"));
    CHECK_FALSE(type("13.06.2026"));
    CHECK(t.message == "Datum bitte als JJJJ-MM-TT, z. B. 2026-06-13.");
    REQUIRE(type("2026-06-13"));
    REQUIRE(type("ONLINE"));
    CHECK_FALSE(type("viele"));
    CHECK(t.message_key == "staff_tally_bad_count");
    // Every option skipped: nothing is sealed, and the desk says so in words.
    while (t.step == tk::TallyStep::Count && t.message_key != "staff_tally_no_counts") {
        t.input = "";
        tk::tally_enter(t);
    }
    CHECK(t.message_key == "staff_tally_no_counts");
    CHECK(h.vault->status().records == 0);
}
