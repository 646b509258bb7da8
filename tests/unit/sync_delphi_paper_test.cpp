// Tests of the Delphi study's printed side: invitation letters (one page per code, the code on
// its own page) and the notes of the round-2 form (the group's result beside the repeated
// question, the own earlier answer only on a personal form). PDFs are read back with pdftotext.
#include <doctest/doctest.h>

#include <cstdlib>

#include "delphi.h"
#include "delphi_letters.h"
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
