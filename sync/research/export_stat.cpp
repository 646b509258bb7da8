// export_stat.cpp - SPSS / Stata export (see export_stat.h and sync/research/RESEARCH.md).
//
//   names             stat_name, stat_names, reserved words
//   coding            codes of a column, missing-value base, variable labels
//   table             stat_table: export_csv() read back, codes found, widths measured
//   cells             stat_value
//   writing           write_stat_file (ReadStat, streamed to a temporary file)
//   codebook          stat_codebook
#include "export_stat.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <readstat.h>
#include <sys/stat.h>
#include <unistd.h>

#include "export_csv.h"
#include "paper_entry.h"

namespace tk {

// Markers export_csv() writes for the four missing cases it knows. They start with a record
// separator byte, which neither a survey code nor a typed answer holds.
static const char* const kMarkSkipped = "\x1eskipped";
static const char* const kMarkNotShown = "\x1enot-shown";
static const char* const kMarkNoAnswer = "\x1eno-answer";
static const char* const kMarkNotReached = "\x1enot-reached";

// Whether a cell may be one of the missing cases: all of them start with the marker byte or '-'
// (checked first: this runs for every cell, 6.5 million of them in a season's export).
static bool maybe_missing(const std::string& cell) { return cell.empty() || cell[0] == '\x1e' || cell[0] == '-'; }

// Longest string each format stores in a plain string variable.
static size_t text_limit(StatFormat f) { return f == StatFormat::Sav ? 32767 : 2045; }

const char* stat_missing_label(StatMissing m) {
    switch (m) {
    case StatMissing::Skipped: return "übersprungen";
    case StatMissing::NotShown: return "nicht gezeigt";
    case StatMissing::NoAnswer: return "keine Antwort";
    case StatMissing::Illegible: return "unleserlich (Papier)";
    case StatMissing::Multiple: return "mehrfach angekreuzt (Papier)";
    case StatMissing::NotReached: return "nicht erreicht (abgebrochen)";
    default: return "";
    }
}

char stat_missing_tag(StatMissing m) { return char('a' + int(m) - 1); }

std::string stat_number_text(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.15g", v);
    return buf;
}

// ---------------------------------------------------------------------------------------
// Names

static std::string lower(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    return s;
}

static bool is_reserved(const std::string& name) {
    // SPSS's reserved words, and Stata's (which start with a letter; names never start with _).
    static const char* const words[] = {"all", "and", "by", "eq", "ge", "gt", "le", "lt", "ne", "not", "or", "to",
                                        "with", "byte", "double", "float", "if", "in", "int", "long", "using", "strl"};
    std::string l = lower(name);
    for (const char* w : words)
        if (l == w) return true;
    // Stata: str1 .. str2045 name types.
    if (l.size() > 3 && l.compare(0, 3, "str") == 0 && l.find_first_not_of("0123456789", 3) == std::string::npos) return true;
    return false;
}

static std::string name_base(const std::string& heading) {
    static const char* const translit[][2] = {{"ä", "ae"}, {"ö", "oe"}, {"ü", "ue"}, {"Ä", "Ae"},
                                              {"Ö", "Oe"}, {"Ü", "Ue"}, {"ß", "ss"}};
    std::string out;
    for (size_t i = 0; i < heading.size();) {
        unsigned char ch = (unsigned char)heading[i];
        bool done = false;
        for (const auto& t : translit)
            if (heading.compare(i, std::strlen(t[0]), t[0]) == 0) {
                out += t[1];
                i += std::strlen(t[0]);
                done = true;
                break;
            }
        if (done) continue;
        if (ch == '[') {
            if (!out.empty() && out.back() != '_') out += '_'; // "A1[x]" -> "A1_x", "][" -> one "_"
        } else if (ch == ']') {
        } else if (std::isalnum(ch) && ch < 0x80) {
            out += char(ch);
        } else if (ch >= 0x80) {
            out += '_'; // one "_" per character: skip its continuation bytes
            while (i + 1 < heading.size() && ((unsigned char)heading[i + 1] & 0xC0) == 0x80) i++;
        } else {
            out += '_';
        }
        i++;
    }
    while (out.size() > 1 && out.back() == '_') out.pop_back();
    if (out.empty() || out == "_") out = "v";
    if (!std::isalpha((unsigned char)out[0])) out = "v" + out;
    if (is_reserved(out)) out += '_';
    return out;
}

std::string stat_name(const std::string& heading, StatFormat f, std::vector<std::string>& used) {
    size_t max = f == StatFormat::Sav ? 64 : 32;
    std::string base = name_base(heading);
    auto taken = [&](const std::string& n) { return std::find(used.begin(), used.end(), lower(n)) != used.end(); };
    std::string name = base.substr(0, max);
    for (int k = 2; taken(name) && k < 100000; k++) {
        std::string suffix = "_" + std::to_string(k);
        name = base.substr(0, max - suffix.size()) + suffix;
    }
    used.push_back(lower(name));
    return name;
}

std::vector<std::string> stat_names(const std::vector<std::string>& headings, StatFormat f) {
    std::vector<std::string> used, out;
    for (const std::string& h : headings) out.push_back(stat_name(h, f, used));
    return out;
}

bool is_numeric_code(const std::string& c) {
    size_t i = c.size() > 1 && c[0] == '-' ? 1 : 0, digits = 0, dots = 0;
    for (; i < c.size(); i++) {
        if (c[i] >= '0' && c[i] <= '9') digits++;
        else if (c[i] == '.' && dots == 0 && digits > 0) dots++;
        else return false;
    }
    return digits > 0 && c.back() != '.' && digits <= 15;
}

// ---------------------------------------------------------------------------------------
// Coding

const StatCode* StatVariable::find(const std::string& code) const {
    for (const StatCode& c : codes)
        if (c.code == code) return &c;
    return nullptr;
}

double stat_missing_value(const StatVariable& v, StatMissing m) { return v.missing_base - (int(m) - 1); }

static std::string one_line(const std::string& t) {
    std::string o;
    for (char ch : t) o += (ch == '\n' || ch == '\r' || ch == '\t') ? ' ' : ch;
    return o;
}

// A code that can be its own value in both formats: Stata labels only whole numbers within
// 32 bits, so "2.5" or a 12-digit code is coded 1..k like a letter code.
static bool is_label_number(const std::string& c) {
    return is_numeric_code(c) && c.find('.') == std::string::npos && c.size() <= (c[0] == '-' ? 10u : 9u);
}

// Codes of one option list: the codes themselves when every one is a whole number, else 1..k.
static void option_codes(StatVariable& v, const std::vector<Option>& opts, const std::string& L) {
    v.codes_are_numbers = !opts.empty();
    for (const Option& o : opts) v.codes_are_numbers = v.codes_are_numbers && is_label_number(o.code);
    double k = 0;
    for (const Option& o : opts) v.codes.push_back({o.code, v.codes_are_numbers ? std::strtod(o.code.c_str(), nullptr) : ++k,
                                                    one_line(o.text.get(L, L))});
}

static double next_value(const StatVariable& v) {
    double m = 0;
    for (const StatCode& c : v.codes) m = std::max(m, std::floor(c.value));
    return m + 1;
}

static bool value_taken(const StatVariable& v, double x) {
    for (const StatCode& c : v.codes)
        if (c.value == x) return true;
    return false;
}

static std::string in_brackets(const LocalText& t, const std::string& L, const std::string& fallback) {
    return " [" + (t.empty() ? fallback : one_line(t.get(L, L))) + "]";
}

// Kind, codes and label of an answer column (same wording as the CSV codebook).
static void describe(StatVariable& v, const Question& q, const std::string& L) {
    v.label = one_line(q.text.get(L, L));
    v.type = type_name(q.type);
    const std::string& p = v.part;
    if (p == "other") {
        v.label += in_brackets(q.other_label, L, "andere, und zwar");
        return;
    }
    if (p == "comment") {
        v.label += in_brackets(q.comment_label, L, "Kommentar");
        return;
    }
    switch (q.type) {
    case QuestionType::SingleChoice:
        v.kind = StatKind::Coded;
        option_codes(v, q.options, L);
        if (q.other)
            v.codes.push_back({kOtherCode, next_value(v), q.other_label.empty() ? "andere" : one_line(q.other_label.get(L, L))});
        break;
    case QuestionType::YesNo:
        v.kind = StatKind::Coded;
        v.codes = {{"Y", 1, "ja"}, {"N", 0, "nein"}};
        break;
    case QuestionType::Rating:
        v.kind = StatKind::Coded;
        v.codes_are_numbers = true;
        for (int i = q.scale_min; i <= q.scale_max && i - q.scale_min < 1000; i++) {
            std::string lab = std::to_string(i);
            if (i == q.scale_min && !q.min_label.empty()) lab += " " + one_line(q.min_label.get(L, L));
            if (i == q.scale_max && !q.max_label.empty()) lab += " " + one_line(q.max_label.get(L, L));
            v.codes.push_back({std::to_string(i), double(i), lab});
        }
        break;
    case QuestionType::MultipleChoice: {
        const Option* o = q.find_option(p);
        v.label += " [" + (o ? one_line(o->text.get(L, L)) : p) + "]";
        v.kind = StatKind::Coded;
        v.codes = {{"Y", 1, "gewählt"}, {"N", 0, "nicht gewählt"}};
        break;
    }
    case QuestionType::Matrix: {
        std::string row = p.substr(0, p.find_first_of("#_"));
        const Row* r = q.find_row(row);
        v.label += " [" + (r ? one_line(r->text.get(L, L)) : row) + "]";
        if (q.cell != MatrixCell::Choice) {
            const Option* col = q.find_option(p.substr(std::min(p.size(), row.size() + 1)));
            if (col) v.label += " [" + one_line(col->text.get(L, L)) + "]";
            v.kind = q.cell == MatrixCell::Number ? StatKind::Number : StatKind::Text;
        } else {
            bool second = p.find('#') != std::string::npos;
            if (!q.options2.empty()) v.label += in_brackets(second ? q.scale_header2 : q.scale_header1, L, second ? "2" : "1");
            v.kind = StatKind::Coded;
            option_codes(v, second ? q.options2 : q.options, L);
        }
        break;
    }
    case QuestionType::MultiText:
    case QuestionType::MultiNumeric: {
        const Row* r = q.find_row(p);
        v.label += " [" + (r ? one_line(r->text.get(L, L)) : p) + "]";
        v.kind = q.type == QuestionType::MultiNumeric ? StatKind::Number : StatKind::Text;
        break;
    }
    case QuestionType::Ranking:
        v.label += " [Rang " + p + "]";
        v.kind = StatKind::Coded;
        option_codes(v, q.options, L);
        break;
    case QuestionType::RankedList: v.label += " [Rang " + p + "]"; break;
    case QuestionType::Numeric: v.kind = StatKind::Number; break;
    default: break; // text, longtext, date: text
    }
    // The missing codes must not meet a valid value: -1..-6, or -99991..-99996 when the
    // question allows negative numbers there.
    bool low = false;
    if (v.kind == StatKind::Number) low = !q.min_value || *q.min_value <= -1;
    for (const StatCode& c : v.codes) low = low || (c.value <= -1 && c.value >= -kStatMissingCount);
    if (low) v.missing_base = -99991;
}

// ---------------------------------------------------------------------------------------
// Table

// RFC 4180 as export_csv writes it (CRLF rows, "" inside quotes).
static std::vector<std::vector<std::string>> parse_csv(const std::string& t) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string cell;
    bool quoted = false, any = false;
    for (size_t i = 0; i < t.size(); i++) {
        char ch = t[i];
        if (quoted) {
            if (ch == '"' && i + 1 < t.size() && t[i + 1] == '"') cell += '"', i++;
            else if (ch == '"') quoted = false;
            else cell += ch;
        } else if (ch == '"') {
            quoted = true;
        } else if (ch == ',') {
            row.push_back(std::move(cell)), cell.clear();
        } else if (ch == '\r' && i + 1 < t.size() && t[i + 1] == '\n') {
            row.push_back(std::move(cell)), cell.clear();
            rows.push_back(std::move(row)), row.clear();
            i++;
            any = false;
            continue;
        } else {
            cell += ch;
        }
        any = true;
    }
    if (any) row.push_back(std::move(cell)), rows.push_back(std::move(row));
    return rows;
}

// Fixed columns of the CSV, described like the answer columns.
static StatVariable fixed_variable(const std::string& heading) {
    static const char* const labels[][2] = {{"id", "Datensatz-ID"}, {"channel", "Kanal (kiosk, paper, assisted)"},
                                            {"site", "Ort"}, {"event", "Veranstaltung"}, {"language", "Sprache"},
                                            {"started", "Beginn (UTC, ISO 8601)"}, {"finished", "Ende (UTC, ISO 8601)"},
                                            {"complete", "vollständig"}, {"sheet", "Bogen-Nr. (Papier)"},
                                            {"interviewer", "Interviewer/in (assistiert)"},
                                            {"enterer1", "Ersterfassung durch (Papier)"},
                                            {"enterer2", "Zweiterfassung durch (Papier)"},
                                            {"resolver", "Abgleich durch (Papier)"}};
    StatVariable v;
    v.heading = heading;
    for (const auto& l : labels)
        if (heading == l[0]) v.label = l[1];
    if (heading == "complete") {
        v.kind = StatKind::Coded;
        v.codes = {{"Y", 1, "vollständig"}, {"N", 0, "Teilantwort"}};
    }
    return v;
}

StatTable stat_table(const Survey& s, const std::vector<DecryptedResponse>& rs, StatFormat f) {
    StatTable t;
    CsvOptions opt;
    opt.skipped = kMarkSkipped;
    opt.not_shown = kMarkNotShown;
    opt.no_answer = kMarkNoAnswer;
    opt.not_reached = kMarkNotReached;
    t.rows = parse_csv(export_csv(s, rs, opt));
    std::vector<std::string> head = t.rows.empty() ? std::vector<std::string>{} : t.rows.front();
    if (!t.rows.empty()) t.rows.erase(t.rows.begin());
    std::vector<std::string> used;
    const std::string& L = s.original_language();
    const size_t fixed = kCsvFixedCount; // id, channel, ..., complete, sheet, interviewer, enterers
    for (size_t i = 0; i < head.size(); i++) {
        const std::string& h = head[i];
        StatVariable v = fixed_variable(h);
        // Answer columns are "Q" or "Q[...]" of a question of the survey.
        std::string code = h.substr(0, h.find('['));
        const Question* q = i >= fixed ? s.find_question(code) : nullptr;
        if (q) {
            v = StatVariable{};
            v.heading = h;
            v.question = code;
            v.part = h.size() > code.size() ? h.substr(code.size() + 1, h.size() - code.size() - 2) : "";
            if (q->type == QuestionType::Matrix && q->cell == MatrixCell::Choice && !q->options2.empty()) {
                // "R1][1" / "R1][2" -> "R1" / "R1#1", as export_csv's parts.
                std::string row = v.part.substr(0, v.part.find(']'));
                v.part = v.part.size() > 2 && v.part.compare(v.part.size() - 1, 1, "2") == 0 ? row + "#1" : row;
            }
            describe(v, *q, L);
        }
        v.name = stat_name(h, f, used);
        t.vars.push_back(std::move(v));
    }
    // A paper field that could not be read is -ill- / -mult- in every column of a multiple choice
    // or ranking already (export_csv), so those columns never claim "not chosen".
    // Codes only the data holds, widths, texts beyond the format's limit.
    for (size_t c = 0; c < t.vars.size(); c++) {
        StatVariable& v = t.vars[c];
        size_t unreadable = 0;
        for (std::vector<std::string>& row : t.rows) {
            if (c >= row.size()) row.resize(t.vars.size());
            std::string& cell = row[c];
            if (v.kind == StatKind::Text) {
                if (maybe_missing(cell)) {
                    StatValue sv = stat_value(v, cell);
                    if (sv.missing != StatMissing::None) { // written as "" or the code as text
                        v.width = std::max(v.width, sv.text.size());
                        continue;
                    }
                }
                if (cell.size() > text_limit(f)) {
                    size_t n = text_limit(f);
                    while (n > 0 && ((unsigned char)cell[n] & 0xC0) == 0x80) n--; // whole characters only
                    cell.resize(n);
                    v.cut++;
                }
                v.width = std::max(v.width, cell.size());
                continue;
            }
            StatValue sv = stat_value(v, cell);
            if (v.kind == StatKind::Coded && sv.unreadable) {
                double val = v.codes_are_numbers && is_label_number(cell) ? std::strtod(cell.c_str(), nullptr) : next_value(v);
                // Never onto a missing code, never onto a code of another meaning.
                if ((val <= v.missing_base && val >= v.missing_base - (kStatMissingCount - 1)) || value_taken(v, val))
                    val = next_value(v);
                v.codes.push_back({cell, val, "(Code nicht im Fragebogen) " + cell, false});
                t.warnings.push_back(v.name + ": code '" + cell + "' is not in the survey; coded " + stat_number_text(val));
            } else if (sv.unreadable) {
                unreadable++;
            }
        }
        if (v.cut)
            t.warnings.push_back(v.name + ": " + std::to_string(v.cut) + " texts longer than " + std::to_string(text_limit(f)) +
                                 " bytes were cut to that length (" + (f == StatFormat::Sav ? "SPSS" : "Stata") +
                                 " limit); the CSV export holds them whole");
        if (unreadable)
            t.warnings.push_back(v.name + ": " + std::to_string(unreadable) + " cells are not numbers; written as system missing");
    }
    return t;
}

// ---------------------------------------------------------------------------------------
// Cells

StatValue stat_value(const StatVariable& v, const std::string& cell) {
    StatValue out;
    if (maybe_missing(cell)) {
        if (cell == kMarkSkipped) out.missing = StatMissing::Skipped;
        else if (cell == kMarkNotShown) out.missing = StatMissing::NotShown;
        else if (cell == kMarkNoAnswer) out.missing = StatMissing::NoAnswer;
        else if (cell == kMarkNotReached) out.missing = StatMissing::NotReached;
        else if (cell == kIllegible) out.missing = StatMissing::Illegible;
        else if (cell == kMultipleMarked) out.missing = StatMissing::Multiple;
        else if (cell.empty() && v.kind != StatKind::Text) out.missing = StatMissing::Skipped;
    }
    if (out.missing != StatMissing::None) {
        // A text has no declared missing values: skipped stays empty, the others read as their code.
        if (v.kind == StatKind::Text && out.missing != StatMissing::Skipped) out.text = stat_number_text(stat_missing_value(v, out.missing));
        out.number = stat_missing_value(v, out.missing);
        return out;
    }
    if (v.kind == StatKind::Text) {
        out.text = cell;
    } else if (v.kind == StatKind::Coded) {
        const StatCode* c = v.find(cell);
        out.unreadable = !c;
        out.number = c ? c->value : 0;
    } else {
        char* end = nullptr;
        errno = 0;
        out.number = std::strtod(cell.c_str(), &end);
        out.unreadable = end != cell.c_str() + cell.size() || errno != 0 || !std::isfinite(out.number);
    }
    return out;
}
} // namespace tk
