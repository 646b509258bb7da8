// export_stat.h - responses as SPSS (.sav) and Stata (.dta) files through ReadStat, and the
// variable dictionary they share with the DDI codebook (export_ddi.h).
//
//   StatFormat, StatMissing          the two targets; the six declared missing cases
//   stat_name / stat_names           CSV heading -> valid, unique variable name
//   is_numeric_code                  whether an option code can be its own numeric value
//   StatVariable, StatTable          one variable per CSV column, with its coding and cells
//   stat_table                       builds the table from export_csv's own output
//   stat_value                       one cell as the number / missing case / text written
//   write_stat_file                  the .sav / .dta file (streamed to disk, then renamed)
//   stat_codebook                    Markdown: name, CSV heading, label, coding
//
// The variables are exactly the columns of `export csv` (same order, same cells): the table is
// read back from export_csv() with private markers for the four missing cases, so the two
// exports cannot drift apart. See sync/research/RESEARCH.md, "export sav / dta / ddi".
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "research.h"
#include "survey.h"

namespace tk {

enum class StatFormat { Sav, Dta };

// The declared missing cases, in the order of their codes (-1..-6, Stata .a .. .f). Not
// reached came last, so the codes of the others stayed what they were.
enum class StatMissing { None = 0, Skipped, NotShown, NoAnswer, Illegible, Multiple, NotReached };
inline constexpr int kStatMissingCount = 6;
const char* stat_missing_label(StatMissing m);   // "übersprungen", ...
char stat_missing_tag(StatMissing m);            // 'a' .. 'e'

// The variable name for `heading` (`A1[other]` -> `A1_other`, `M[R1][2]` -> `M_R1_2`, umlauts
// transliterated, other bytes -> `_`, a leading digit gets `v`, reserved words get `_`,
// shortened to 64 bytes (SPSS) / 32 (Stata)). `used` holds the lower-cased names taken so far;
// a clash gets `_2`, `_3`, ... The result is added to `used`.
std::string stat_name(const std::string& heading, StatFormat f, std::vector<std::string>& used);
std::vector<std::string> stat_names(const std::vector<std::string>& headings, StatFormat f);

// "3", "-1", "2.5": a code that is a plain decimal number (no exponent, no spaces).
bool is_numeric_code(const std::string& code);

enum class StatKind { Text, Number, Coded };

struct StatCode {
    std::string code;    // the code as in the CSV ("A1", "-oth-", "Y")
    double value = 0;    // the number written
    std::string label;   // value label (the option text)
    bool in_survey = true; // false: a code found only in the data
};

struct StatVariable {
    std::string name, heading, question, part;
    std::string label;                 // variable label: question text [row / option / rank]
    std::string type;                  // the question type ("single", ...; "" for fixed columns)
    StatKind kind = StatKind::Text;
    std::vector<StatCode> codes;       // Coded: every code with its value, in option order
    bool codes_are_numbers = false;    // Coded: the option codes are their own values
    double missing_base = -1;          // codes of the missing cases: base, base-1, .. base-5
    size_t width = 1;                  // Text: longest cell in bytes (at least 1)
    size_t cut = 0;                    // Text: cells shortened to the format's limit
    const StatCode* find(const std::string& code) const;
};

struct StatTable {
    std::vector<StatVariable> vars;
    std::vector<std::vector<std::string>> rows; // CSV cells; missing cases as private markers
    std::vector<std::string> warnings;          // unknown codes, cut texts, unreadable numbers
};

// One variable per CSV column with its coding; cells from export_csv(). For `f` the names
// follow that format's rules and texts longer than its limit are cut (with a warning).
StatTable stat_table(const Survey& s, const std::vector<DecryptedResponse>& rs, StatFormat f);

struct StatValue {
    StatMissing missing = StatMissing::None;
    double number = 0;        // Number / Coded when not missing
    std::string text;         // Text (missing cases of a text: "" / the code as text)
    bool unreadable = false;  // a Number cell that is not a number (written as system missing)
};
StatValue stat_value(const StatVariable& v, const std::string& cell);
// The number written for a missing case of `v` (SPSS user-missing value, DDI catValu).
double stat_missing_value(const StatVariable& v, StatMissing m);

// Writes the file at `path` (0600; refuses an existing file unless overwrite). File label:
// survey id, version and the start of the hash; the full hash in the file's notes.
bool write_stat_file(const Survey& s, const StatTable& t, StatFormat f, const std::string& path, bool overwrite,
                     std::string* error);

// The mapping of names, headings, labels and codes as a Markdown document.
std::string stat_codebook(const Survey& s, const StatTable& t, StatFormat f);

// "1", "2.5", "-99991": the shortest text of a code value.
std::string stat_number_text(double v);

} // namespace tk
