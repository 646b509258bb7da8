// Tests of the Delphi study's printed side: invitation letters (one page per code, the code on
// its own page) and the notes of the round-2 form (the group's result beside the repeated
// question, the own earlier answer only on a personal form). PDFs are read back with pdftotext.
#include <doctest/doctest.h>

#include <cstdlib>

#include "delphi.h"
#include "delphi_letters.h"
#include "delphi_paper.h"
#include "paper_form.h"
#include "survey.h"
#include "sync_testutil.h"

using namespace tk;
using tk::test::TempDir;

namespace {

// pdftotext of one page (0 = all), lines joined by blanks.
std::string pdf_text(const std::string& pdf, int page = 0) {
    std::string txt = pdf + ".txt", range = page ? " -f " + std::to_string(page) + " -l " + std::to_string(page) : "";
    REQUIRE(std::system(("pdftotext -raw" + range + " '" + pdf + "' '" + txt + "'").c_str()) == 0);
    std::string t = tk::test::slurp(txt);
    for (char& c : t)
        if (c == '\n') c = ' ';
    return t;
}

std::shared_ptr<const Survey> round2() {
    LoadResult lr = load_survey(std::string(TK_SOURCE_DIR) + "/surveys/delphi-stufe-2.json");
    REQUIRE(lr.ok());
    return lr.survey;
}


// The group's answers to F11[L1] in round 1 (scale 1..7), as the pack holds them for F5[L1].
delphi::FeedbackPack pack_for(const Survey& s, const std::vector<std::string>& values) {
    delphi::FeedbackPack p;
    p.study = s.delphi.study;
    p.from_round = 1;
    p.for_survey = s.id;
    const std::vector<Option>* scale = delphi_item_scale(s, "F5[L1]");
    REQUIRE(scale);
    p.items.push_back(delphi::item_stats("F5[L1]", "F11[L1]", values, *scale, s.delphi.consensus));
    return p;
}

} // namespace

TEST_CASE("delphi letters: one page per code, each code on its own page only") {
    TempDir d;
    std::vector<std::string> codes = delphi::make_codes(3);
    LetterOptions opt;
    opt.title = "Teststudie Stufe 1";
    std::string err;
    REQUIRE_MESSAGE(print_delphi_letters(codes, opt, d / "letters.pdf", &err), err);
    for (int i = 0; i < 3; ++i) {
        std::string page = pdf_text(d / "letters.pdf", i + 1);
        CHECK(page.find("Teststudie Stufe 1") != std::string::npos);
        for (int j = 0; j < 3; ++j)
            CHECK_MESSAGE((page.find(delphi::format_code(codes[j])) != std::string::npos) == (i == j), page);
        CHECK(page.find("speichert nicht, wer welchen Code erhalten hat") != std::string::npos);
    }
    // No fourth page.
    CHECK(std::system(("pdftotext -f 4 -l 4 '" + (d / "letters.pdf") + "' /dev/null 2>/dev/null").c_str()) != 0);

    // The team's own words replace the default invitation; a '#' line is a heading.
    opt.text = "# Liebe Kolleginnen,\n\nbitte machen\nSie mit.\n";
    REQUIRE_MESSAGE(print_delphi_letters({codes[0]}, opt, d / "own.pdf", &err), err);
    std::string own = pdf_text(d / "own.pdf");
    CHECK(own.find("Liebe Kolleginnen,") != std::string::npos);
    CHECK(own.find("# Liebe") == std::string::npos);
    CHECK(own.find("bitte machen Sie mit.") != std::string::npos);
    CHECK(own.find("wir laden Sie herzlich ein") == std::string::npos);
}

TEST_CASE("delphi letters: a wrong code or text that is not UTF-8 is refused") {
    TempDir d;
    std::vector<std::string> codes = delphi::make_codes(2);
    std::string bad = codes[1];
    bad[20] = bad[20] == '0' ? '1' : '0'; // the check symbol no longer matches
    std::string err;
    CHECK_FALSE(print_delphi_letters({codes[0], bad}, {}, d / "x.pdf", &err));
    CHECK(err.find("code 2") != std::string::npos);
    CHECK_FALSE(print_delphi_letters({}, {}, d / "x.pdf", &err));
    LetterOptions opt;
    opt.text = "Gr\xfc\xdf";
    CHECK_FALSE(print_delphi_letters(codes, opt, d / "x.pdf", &err));
    CHECK(err.find("UTF-8") != std::string::npos);
}

TEST_CASE("paper form: a note stands under its question's text, before the boxes") {
    auto s = round2();
    TempDir d;
    PrintOptions opt;
    NoteLine head;
    head.text = "Zur Frage gehört diese Anmerkung";
    NoteLine bar;
    bar.text = "Balken eins";
    bar.share = 0.5;
    bar.value = "17";
    bar.indent = true;
    NoteLine mark;
    mark.text = "Markierte Zeile";
    mark.bold = true;
    opt.notes["F5"] = {head, bar, mark};
    opt.intro = "Ein Satz unter dem Titel";
    PrintResult pr;
    REQUIRE_MESSAGE(print_paper_form(*s, opt, d / "f.pdf", pr), pr.error);
    std::string t = pdf_text(d / "f.pdf");
    size_t q = t.find("Inwieweit ist die Digitalisierung eher eine Gefahr"), note = t.find("Zur Frage gehört", q);
    size_t bars = t.find("Balken eins 17", note), marked = t.find("Markierte Zeile", bars), next = t.find("F5A", q);
    REQUIRE(q != std::string::npos);
    CHECK(note < next);
    CHECK(bars < next);
    CHECK(marked < next);
    CHECK(t.find("Zur Frage gehört") == note); // once, at F5
    size_t title = t.find("Delphi-Befragung Digitale Kommune"), intro = t.find("Ein Satz unter dem Titel");
    CHECK(title < intro);
    CHECK(intro < t.find("Inwieweit"));
    // Without notes the form has none of it, and a note for a question the survey lacks is ignored.
    PrintOptions plain;
    plain.notes["NOPE"] = {head};
    REQUIRE_MESSAGE(print_paper_form(*s, plain, d / "p.pdf", pr), pr.error);
    CHECK(pdf_text(d / "p.pdf").find("Zur Frage gehört") == std::string::npos);
}

TEST_CASE("delphi paper: the note stands under its question; own answer only on a personal form") {
    auto s = round2();
    // 7 answers: 2 x 6, 3 x 5, 1 x 4, 1 x 2 (and one "keine Antwort", which n leaves out).
    delphi::FeedbackPack pack = pack_for(*s, {"6", "5", "6", "5", "4", "2", "5", kNoAnswerCode});
    REQUIRE(pack.items[0].n == 7);
    delphi::OwnAnswers own{{"F5[L1]", "2"}};
    TempDir d;
    PrintOptions opt;
    opt.notes = delphi_notes(*s, pack, &own, "");
    PrintResult pr;
    REQUIRE_MESSAGE(print_paper_form(*s, opt, d / "mine.pdf", pr), pr.error);
    std::string t = pdf_text(d / "mine.pdf");
    size_t q = t.find("Inwieweit ist die Digitalisierung eher eine Gefahr"), next = t.find("F5A", q);
    REQUIRE(q != std::string::npos);
    REQUIRE(next != std::string::npos);
    std::string block = t.substr(q, next - q);
    // The own answer with its words (option 2 of the scale), and the group's counts and median.
    const std::vector<Option>* scale = delphi_item_scale(*s, "F5[L1]");
    REQUIRE(scale);
    std::string two = (*scale)[1].text.get("de", "de");
    CHECK_MESSAGE(block.find("Ihre Antwort in Stufe 1: 2 " + two) != std::string::npos, block);
    CHECK_MESSAGE(block.find("n = 7, Median 5") != std::string::npos, block);
    // Each category's count follows its label: 6 -> 2, 5 -> 3, 4 -> 1, 2 -> 1 (marked), 1 -> 0.
    for (auto [code, count] : std::vector<std::pair<int, std::string>>{{6, "2"}, {5, "3"}, {4, "1"}, {1, "0"}}) {
        std::string line = std::to_string(code) + " " + (*scale)[code - 1].text.get("de", "de") + " " + count;
        CHECK_MESSAGE(block.find(line) != std::string::npos, line, " in ", block);
    }
    CHECK(block.find("2 " + two + " 1 ◄ Ihre Antwort") != std::string::npos);
    // No note on another question: it appears once in the whole form.
    CHECK(t.find("Ergebnis der Gruppe in Stufe", next) == std::string::npos);

    // Without own answers: the same counts, no "Ihre Antwort".
    opt.notes = delphi_notes(*s, pack, nullptr, "");
    REQUIRE_MESSAGE(print_paper_form(*s, opt, d / "none.pdf", pr), pr.error);
    std::string n = pdf_text(d / "none.pdf");
    CHECK(n.find("n = 7, Median 5") != std::string::npos);
    CHECK(n.find("Ihre Antwort") == std::string::npos);
}

TEST_CASE("delphi print: one form per code, the own answer only where the code opens an entry") {
    auto s = round2();
    delphi::FeedbackPack pack = pack_for(*s, {"6", "5", "6", "5", "4", "2", "5"});
    std::vector<std::string> codes = delphi::make_codes(3);
    // Codes 1 and 3 answered round 1 (their entries sealed as the research side does it:
    // keys from the pseudonym); code 2 did not.
    const std::map<size_t, std::string> answered{{0, "2"}, {2, "6"}};
    for (const auto& [i, v] : answered) {
        delphi::ParticipantKeys from_code, from_pseudonym;
        std::string err;
        REQUIRE_MESSAGE(delphi::derive_participant_keys(codes[i], pack.study, from_code, &err), err);
        delphi::keys_from_pseudonym(from_code.pseudonym, from_pseudonym);
        pack.entries[from_pseudonym.lookup] = delphi::seal_own_answers(from_pseudonym, {{"F5[L1]", v}});
    }
    TempDir d;
    DelphiPrintOptions opt;
    std::vector<size_t> progress;
    opt.progress = [&](size_t done, size_t total) {
        CHECK(total == 3);
        progress.push_back(done);
    };
    DelphiPrintResult r;
    REQUIRE_MESSAGE(print_delphi_forms(*s, pack, codes, d.path, opt, r), r.error);
    CHECK(progress == std::vector<size_t>{1, 2, 3});
    REQUIRE(r.files.size() == 3);
    CHECK(r.personal == 2);
    const std::vector<Option>& scale = *delphi_item_scale(*s, "F5[L1]");
    for (size_t i = 0; i < 3; ++i) {
        // The name is the code's first group; the form has the whole code (for entering it
        // back) and no other code.
        CHECK(r.files[i] == delphi::format_code(codes[i]).substr(0, 4) + ".pdf");
        std::string t = pdf_text(d / r.files[i]);
        for (size_t j = 0; j < 3; ++j)
            CHECK((t.find("Code " + delphi::format_code(codes[j])) != std::string::npos) == (i == j));
        size_t q = t.find("Inwieweit ist die Digitalisierung eher eine Gefahr"), next = t.find("F5A", q);
        REQUIRE(next != std::string::npos);
        std::string block = t.substr(q, next - q);
        CHECK(block.find("n = 7, Median 5") != std::string::npos);
        if (answered.count(i)) {
            const std::string& v = answered.at(i);
            std::string words = v + " " + scale[std::stoul(v) - 1].text.get("de", "de");
            CHECK_MESSAGE(block.find("Ihre Antwort in Stufe 1: " + words) != std::string::npos, block);
        } else {
            CHECK(block.find("Ihre Antwort") == std::string::npos);
            CHECK(t.find("keine Antworten aus Stufe 1") != std::string::npos);
        }
    }
    std::string none = pdf_text(d / r.without_code);
    CHECK(none.find("n = 7, Median 5") != std::string::npos);
    CHECK(none.find("Code ") == std::string::npos);
    CHECK(none.find("Ihre Antwort") == std::string::npos);

    // A pack for another survey is refused, naming both.
    delphi::FeedbackPack other = pack;
    other.for_survey = "delphi-stufe-1";
    CHECK_FALSE(print_delphi_forms(*s, other, codes, d.path, opt, r));
    CHECK(r.error.find("delphi-stufe-1") != std::string::npos);
}

TEST_CASE("paper form: a Delphi round's plain form asks for the code; other surveys' forms do not") {
    TempDir d;
    PrintResult pr;
    auto s = round2();
    REQUIRE_MESSAGE(print_paper_form(*s, PrintOptions{}, d / "delphi.pdf", pr), pr.error);
    std::string t = pdf_text(d / "delphi.pdf", 1);
    CHECK(t.find("Ihr Code vom Einladungsschreiben (21 Zeichen):") != std::string::npos);
    CHECK(t.find("Ihr Code vom Einladungsschreiben (21 Zeichen):") < t.find("Inwieweit"));
    // A given intro (the personal forms' "für Code ...") replaces the question.
    PrintOptions personal;
    personal.intro = "Persönlicher Fragebogen";
    REQUIRE_MESSAGE(print_paper_form(*s, personal, d / "personal.pdf", pr), pr.error);
    CHECK(pdf_text(d / "personal.pdf").find("Einladungsschreiben") == std::string::npos);
    LoadResult citizen = load_survey(std::string(TK_SOURCE_DIR) + "/surveys/buerger-digital.json");
    REQUIRE(citizen.ok());
    REQUIRE_MESSAGE(print_paper_form(*citizen.survey, PrintOptions{}, d / "citizen.pdf", pr), pr.error);
    CHECK(pdf_text(d / "citizen.pdf").find("Einladungsschreiben") == std::string::npos);
}
