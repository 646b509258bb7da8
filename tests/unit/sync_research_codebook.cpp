// sync_research_codebook.cpp - the codebook written beside the CSV export.
#include <doctest/doctest.h>
#include <sodium.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>

#include "files.h"
#include "bundle.h"
#include "export_csv.h"
#include "keys.h"
#include "lss_responses.h"
#include "record.h"
#include "report.h"
#include "research.h"
#include "server_store.h"
#include "sync_testutil.h"
#include "sync_research_util.h"

using namespace tk;
using namespace tk::test;

TEST_CASE("codebook: codebook lists every column with text, type, codes and the missing-value coding") {
    auto s = all_types_survey();
    std::string md = export_codebook(*s, CsvOptions{}, true);
    CHECK(md.find("# Codebook: Alle Typen") != std::string::npos);
    CHECK(md.find("| (skipped) | shown, left unanswered; also an empty matrix row or rank of an answered question | `(empty)` |") !=
          std::string::npos);
    CHECK(md.find("| (not shown) | hidden by a condition (in a complete response also a question its survey version did "
                  "not have) | `NA` |") != std::string::npos);
    CHECK(md.find("| (not reached) | a partial response (timed out or abandoned) ended before the question | `NR` |") !=
          std::string::npos);
    CHECK(md.find("| `-na-` | \"keine Antwort\" chosen") != std::string::npos);
    CHECK(md.find("it is in n | `KA` |") != std::string::npos);
    CHECK(md.find("| `S1` | S1 | Wo? | single | A1 = hier; A2 = dort; -oth- = andere (text in S1[other]) |") != std::string::npos);
    CHECK(md.find("| `S1[other]` | S1 | Wo? [andere, und zwar] | text |  |") != std::string::npos);
    CHECK(md.find("| `M1[b]` | M1 | Was? [Bahn] | multiple | Y = chosen; N = not chosen |") != std::string::npos);
    CHECK(md.find("| `R1` | R1 | Zufrieden? | rating | 1..5; 1 = gar nicht; 5 = sehr |") != std::string::npos);
    CHECK(md.find("| `X2[SQ001][1]` | X2 | Wichtig und gut? [WLAN] [Wichtigkeit] | matrix | 1 = wichtig; 2 = unwichtig |") != std::string::npos);
    CHECK(md.find("| `X2[SQ001][2]` | X2 | Wichtig und gut? [WLAN] [Zufriedenheit] | matrix | g = gut; s = schlecht |") != std::string::npos);
    CHECK(md.find("| `X3[r2_w]` | X3 | Wie viele? [Filme] [Woche] | matrix | number ('.' as decimal separator) |") != std::string::npos);
    CHECK(md.find("| `RK[2]` | RK | Reihenfolge? [rank 2] | ranking | z = Zeit; g = Geld; h = Hilfe |") != std::string::npos);
    CHECK(md.find("| `Y1` | Y1 | Online? | yesno | Y = ja; N = nein |") != std::string::npos);
    CHECK(md.find("| `IN") == std::string::npos); // info takes no answer: no column
    // Every CSV heading is in the codebook.
    for (const CsvColumn& c : csv_columns(*s)) CHECK(md.find("| `" + c.heading + "` |") != std::string::npos);

    CHECK(md.find("| `sheet` |  | paper: id of the printed sheet") != std::string::npos);
    CHECK(md.find("| `interviewer` |") != std::string::npos);
    CHECK(md.find("| `enterer2` |") != std::string::npos);

    std::string csv = export_codebook(*s, CsvOptions{}, false);
    CHECK(csv.rfind("column,question,text,type,values\r\n", 0) == 0);
    CHECK(csv.find("\r\nS1,S1,Wo?,single,A1 = hier; A2 = dort; -oth- = andere (text in S1[other])\r\n") != std::string::npos);
}

TEST_CASE("codebook: the header names the survey and declares every code the data can hold, as written") {
    auto s = all_types_survey();
    CsvOptions o;
    o.no_answer = "-3";
    o.illegible = "-4";
    o.multiple = "-5";
    std::string csv = export_codebook(*s, o, false);
    // The survey by id, version and hash, right below the heading line.
    CHECK(csv.find("column,question,text,type,values\r\n#,survey_id," + s->id + ",,\r\n#,survey_version," + s->version +
                   ",,\r\n#,survey_hash," + s->hash + ",,\r\n") == 0);
    // Every code beside the survey's own, with its meaning and how this export writes it.
    CHECK(csv.find("\r\n#,-na-,\"\"\"keine Antwort\"\" chosen") != std::string::npos);
    CHECK(csv.find("it counts as answered: it is in n\",code,-3\r\n") != std::string::npos);
    CHECK(csv.find("\r\n#,-oth-,") != std::string::npos);
    CHECK(csv.find("\r\n#,-ill-,paper: something is there but cannot be read; a multiple choice or ranking has it in every "
                   "column,code,-4\r\n") != std::string::npos);
    CHECK(csv.find("\r\n#,-mult-,paper: several boxes marked where one is allowed") != std::string::npos);
    CHECK(csv.find("column,code,-5\r\n") != std::string::npos);

    std::string md = export_codebook(*s, o, true);
    CHECK(md.find("Survey `" + s->id + "`, version " + s->version + ", " + s->hash + ".") != std::string::npos);
    CHECK(md.find("| `-ill-` | paper: something is there but cannot be read") != std::string::npos);
    CHECK(md.find("| `-mult-` | paper: several boxes") != std::string::npos);
    CHECK(md.find("| `-oth-` | \"andere, und zwar\" chosen") != std::string::npos);
    CHECK(md.find("column | `-4` |") != std::string::npos);

    SUBCASE("--excel-de: the CSV codebook with ';' and a BOM, numbers with a decimal comma") {
        CsvOptions de;
        set_excel_de(de);
        std::string c = export_codebook(*s, de, false);
        CHECK(c.rfind("\xEF\xBB\xBF" "column;question;text;type;values\r\n", 0) == 0);
        CHECK(c.find("\r\nN1;N1;") != std::string::npos);
        CHECK(c.find("number (',' as decimal separator)") != std::string::npos);
        CHECK(export_codebook(*s, CsvOptions{}, false).find("number ('.' as decimal separator)") != std::string::npos);
    }
}
