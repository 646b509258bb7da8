// Tests of the Delphi study's printed side: the notes of the round-2 form (beside the repeated
// question). PDFs are read back with pdftotext.
#include <doctest/doctest.h>

#include <cstdlib>

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
