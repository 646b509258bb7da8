// export_csv.cpp - responses as CSV with a codebook (see export_csv.h and sync/research/RESEARCH.md).
#include "export_csv.h"

#include <algorithm>
#include <iterator>

#include "parallel_for.h"

namespace tk {

static size_t rank_columns(const Question& q, const std::vector<DecryptedResponse>* rs) {
    // As many rank columns as can be filled: all options of a ranking (or max_answers), and
    // max_answers entries of a ranked list. A ranked list without a limit gets as many as the
    // longest answer in the data, so no entry is ever cut off.
    size_t n = q.type == QuestionType::Ranking ? q.options.size() : 0;
    if (q.max_answers > 0 && (n == 0 || size_t(q.max_answers) < n)) n = size_t(q.max_answers);
    if (rs && q.type == QuestionType::RankedList)
        for (const DecryptedResponse& d : *rs) {
            auto it = d.response.answers.find(q.code);
            if (it != d.response.answers.end()) n = std::max(n, it->second.values.size());
        }
    return n;
}

static std::vector<CsvColumn> columns_of(const Survey& s, const std::vector<DecryptedResponse>* rs) {
    std::vector<CsvColumn> out;
    for (const Survey::QRef& ref : s.all_questions()) {
        const Question& q = *ref.q;
        const std::string& c = q.code;
        auto add = [&](const std::string& heading, const std::string& part) { out.push_back({heading, c, part}); };
        switch (q.type) {
        case QuestionType::Info:
            continue; // takes no answer, has no column
        case QuestionType::MultipleChoice:
            for (const Option& o : q.options) add(c + "[" + o.code + "]", o.code);
            break;
        case QuestionType::Matrix:
            for (const Row& r : q.rows) {
                if (q.cell != MatrixCell::Choice) {
                    for (const Option& o : q.options) add(c + "[" + r.code + "_" + o.code + "]", r.code + "_" + o.code);
                } else if (!q.options2.empty()) {
                    add(c + "[" + r.code + "][1]", r.code);
                    add(c + "[" + r.code + "][2]", r.code + "#1");
                } else {
                    add(c + "[" + r.code + "]", r.code);
                }
            }
            break;
        case QuestionType::MultiText:
        case QuestionType::MultiNumeric:
            for (const Row& r : q.rows) add(c + "[" + r.code + "]", r.code);
            break;
        case QuestionType::Ranking:
        case QuestionType::RankedList:
            for (size_t i = 1, n = rank_columns(q, rs); i <= n; i++) add(c + "[" + std::to_string(i) + "]", std::to_string(i));
            break;
        default:
            add(c, "");
        }
        if (q.other) add(c + "[other]", "other");
        if (q.comment) add(c + "[comment]", "comment");
    }
    return out;
}

std::vector<CsvColumn> csv_columns(const Survey& s) { return columns_of(s, nullptr); }

std::string csv_field(const std::string& v, char separator) {
    bool quote = v.find_first_of(std::string("\"\r\n") + separator) != std::string::npos ||
                 (!v.empty() && (v.front() == ' ' || v.back() == ' '));
    if (!quote) return v;
    std::string out = "\"";
    for (char ch : v) {
        if (ch == '"') out += '"';
        out += ch;
    }
    out += '"';
    return out;
}

static bool contains(const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

void set_excel_de(CsvOptions& opt) {
    opt.separator = ';';
    opt.bom = true;
    opt.decimal_comma = true;
}

// The paper's codes for a field that could not be read: in `value`, a matrix cell, or among
// the `values` of a multiple choice or ranking (PAPER.md, "What is sealed"). nullptr = none.
static const char* paper_code(const std::string& v) {
    return v == kIllegible ? kIllegible : v == kMultipleMarked ? kMultipleMarked : nullptr;
}
static const char* paper_code(const std::vector<std::string>& values) {
    return contains(values, kIllegible) ? kIllegible : contains(values, kMultipleMarked) ? kMultipleMarked : nullptr;
}

// The value of one cell of an answered question, before the paper codes are written as set.
// *empty: a matrix row or rank left empty (written as skipped).
static std::string answer_value(const Question& q, const Answer& a, const std::string& part, const CsvOptions& opt,
                                bool* empty) {
    switch (q.type) {
    case QuestionType::MultipleChoice:
        return contains(a.values, part) ? "Y" : "N";
    case QuestionType::Matrix:
    case QuestionType::MultiText:
    case QuestionType::MultiNumeric: {
        auto it = a.cells.find(part);
        // A row's "keine Antwort" (its cell "-na-") answers the row's second scale, too.
        if (it == a.cells.end() && part.size() > 2 && part.compare(part.size() - 2, 2, "#1") == 0) {
            auto row = a.cells.find(part.substr(0, part.size() - 2));
            if (row != a.cells.end() && row->second == kNoAnswerCode) it = row;
        }
        *empty = it == a.cells.end(); // a row left empty
        return *empty ? opt.skipped : it->second;
    }
    case QuestionType::Ranking:
    case QuestionType::RankedList: {
        size_t i = size_t(std::stoul(part));
        *empty = i > a.values.size(); // rank not filled
        return *empty ? opt.skipped : a.values[i - 1];
    }
    default:
        return a.value;
    }
}

static bool numeric_cells(const Question& q) {
    return q.type == QuestionType::Numeric || q.type == QuestionType::MultiNumeric ||
           (q.type == QuestionType::Matrix && q.cell == MatrixCell::Number);
}

// The text of one cell of an answered question.
static std::string answered_cell(const Question& q, const Answer& a, const std::string& part, const CsvOptions& opt) {
    if (a.no_answer) return opt.no_answer;
    if (part == "other") return a.other;
    if (part == "comment") return a.comment;
    // A multiple choice or ranking that could not be read on paper is that case in every one
    // of its columns: "N" (not chosen) or an empty rank would claim an answer nobody could read.
    bool whole = q.type == QuestionType::MultipleChoice || q.type == QuestionType::Ranking;
    const char* code = whole ? paper_code(a.values) : nullptr;
    bool empty = false;
    std::string v = code ? std::string(code) : answer_value(q, a, part, opt, &empty);
    if (empty) return v;
    if (q.type == QuestionType::Matrix && v == kNoAnswerCode) return opt.no_answer; // a row's "keine Antwort"
    if (!code) code = paper_code(v);
    if (code) return code == std::string(kIllegible) ? opt.illegible : opt.multiple;
    if (opt.decimal_comma && numeric_cells(q))
        for (char& ch : v)
            if (ch == '.') ch = ',';
    return v;
}

static void put_row(std::string& out, const std::vector<std::string>& cells, char sep) {
    for (size_t i = 0; i < cells.size(); i++) {
        if (i) out += sep;
        out += csv_field(cells[i], sep);
    }
    out += "\r\n";
}

// The data rows of responses [begin, end).
static std::string data_rows(const Survey& s, const std::vector<CsvColumn>& cols, const std::vector<DecryptedResponse>& responses,
                             size_t begin, size_t end, const CsvOptions& opt) {
    std::string out;
    std::vector<std::string> cells;
    for (size_t k = begin; k < end; k++) {
        const DecryptedResponse& d = responses[k];
        const Response& r = d.response;
        auto meta = [&](const char* key) {
            auto it = r.meta.find(key);
            return it == r.meta.end() ? std::string() : it->second;
        };
        cells = {d.record_id, r.channel, r.site, r.event, r.language, format_utc(r.started),
                 r.finished ? format_utc(r.finished) : "", r.complete ? "Y" : "N"};
        // The fixed columns after these eight are named as the meta keys they show.
        for (size_t i = cells.size(); i < kCsvFixedCount; i++) cells.push_back(meta(kCsvFixedColumns[i]));
        const Question* q = nullptr;
        const Answer* a = nullptr;
        bool skipped = false;
        for (const CsvColumn& c : cols) {
            if (!q || q->code != c.question) { // first column of the next question
                q = s.find_question(c.question);
                auto it = r.answers.find(c.question);
                a = it == r.answers.end() ? nullptr : &it->second;
                skipped = contains(r.skipped, c.question);
            }
            // Neither answered nor skipped: hidden by a condition (listed in not_shown; in a
            // complete response also a question its survey version did not have), or a partial
            // response that ended before it. Both are "not asked" (LimeSurvey's NULL), but
            // the analysis tells a condition from a drop-out, so each has its own code.
            if (a) cells.push_back(answered_cell(*q, *a, c.part, opt));
            else if (skipped) cells.push_back(opt.skipped);
            else if (r.complete || contains(r.not_shown, c.question)) cells.push_back(opt.not_shown);
            else cells.push_back(opt.not_reached);
        }
        put_row(out, cells, opt.separator);
    }
    return out;
}

std::string export_csv(const Survey& s, const std::vector<DecryptedResponse>& responses, const CsvOptions& opt) {
    std::vector<CsvColumn> cols = columns_of(s, &responses);
    std::string out;
    if (opt.bom) out = "\xEF\xBB\xBF";
    std::vector<std::string> head(std::begin(kCsvFixedColumns), std::end(kCsvFixedColumns));
    for (const CsvColumn& c : cols) head.push_back(c.heading);
    put_row(out, head, opt.separator);
    // Rows are independent: a season's worth (100,000) is formatted on all cores, in order.
    unsigned parts = parallel_workers(responses.size(), 2000);
    size_t per = std::max<size_t>(1, (responses.size() + parts - 1) / parts);
    std::vector<std::string> chunk(parts);
    parallel_for(responses.size(), parts, per, [&](size_t b, size_t e, unsigned) {
        chunk[b / per] = data_rows(s, cols, responses, b, e, opt); // block b / per: rows stay in order
    });
    for (const std::string& c : chunk) out += c;
    return out;
}

// ---------------------------------------------------------------------------------------
// Codebook

static std::string one_line(const std::string& t) {
    std::string o;
    for (char ch : t) o += (ch == '\n' || ch == '\r' || ch == '\t') ? ' ' : ch;
    return o;
}

static std::string md_cell(const std::string& t) {
    std::string o;
    for (char ch : one_line(t)) {
        if (ch == '|') o += '\\';
        o += ch;
    }
    return o;
}

static std::string options_text(const std::vector<Option>& opts, const std::string& lang) {
    std::string o;
    for (const Option& op : opts) {
        if (!o.empty()) o += "; ";
        o += op.code + " = " + one_line(op.text.get(lang, lang));
    }
    return o;
}

namespace {
struct CodebookLine { std::string column, question, text, type, values; };
struct CodebookCode { std::string code, meaning, written; };
} // namespace

// One line per column: the fixed ones, then every answer column.
static std::vector<CodebookLine> codebook_lines(const Survey& s, const CsvOptions& opt) {
    const std::string& L = s.original_language();
    using Line = CodebookLine;
    std::vector<Line> lines = {
        {"id", "", "record id (device and sequence number), or line-N for a response read from a file", "text", ""},
        {"channel", "", "how the response was given", "text", "kiosk; paper; assisted; tally"},
        {"site", "", "where it was given", "text", ""},
        {"event", "", "event the response belongs to (empty = none)", "text", ""},
        {"language", "", "language the respondent used", "text", ""},
        {"started", "", "start time, UTC (ISO 8601)", "time", ""},
        {"finished", "", "end time, UTC (ISO 8601)", "time", ""},
        {"complete", "", "Y = sent, N = partial (timed out or abandoned)", "Y/N", "Y; N"},
        {"sheet", "", "paper: id of the printed sheet (empty for other channels)", "text", ""},
        {"interviewer", "", "assisted: id of the interviewer (empty for other channels)", "text", ""},
        {"enterer1", "", "paper: who typed the sheet in first", "text", ""},
        {"enterer2", "", "paper: who typed it in a second time", "text", ""},
        {"resolver", "", "paper: who decided between two entries that differed (empty = they agreed)", "text", ""},
    };
    const std::string number = opt.decimal_comma ? "number (',' as decimal separator)" : "number ('.' as decimal separator)";
    for (const CsvColumn& c : csv_columns(s)) {
        const Question& q = *s.find_question(c.question);
        Line l{c.heading, q.code, one_line(q.text.get(L, L)), type_name(q.type), ""};
        if (c.part == "other") {
            l.text += " [" + (q.other_label.empty() ? std::string("andere, und zwar") : one_line(q.other_label.get(L, L))) + "]";
            l.type = "text";
        } else if (c.part == "comment") {
            l.text += " [" + (q.comment_label.empty() ? std::string("Kommentar") : one_line(q.comment_label.get(L, L))) + "]";
            l.type = "text";
        } else {
            switch (q.type) {
            case QuestionType::SingleChoice:
                l.values = options_text(q.options, L);
                if (q.other) l.values += std::string("; ") + kOtherCode + " = andere (text in " + q.code + "[other])";
                break;
            case QuestionType::YesNo: l.values = "Y = ja; N = nein"; break;
            case QuestionType::Rating:
                l.values = std::to_string(q.scale_min) + ".." + std::to_string(q.scale_max);
                if (!q.min_label.empty()) l.values += "; " + std::to_string(q.scale_min) + " = " + one_line(q.min_label.get(L, L));
                if (!q.max_label.empty()) l.values += "; " + std::to_string(q.scale_max) + " = " + one_line(q.max_label.get(L, L));
                break;
            case QuestionType::MultipleChoice: {
                const Option* o = q.find_option(c.part);
                l.text += " [" + (o ? one_line(o->text.get(L, L)) : c.part) + "]";
                l.values = "Y = chosen; N = not chosen";
                break;
            }
            case QuestionType::Matrix: {
                std::string row = c.part.substr(0, c.part.find_first_of("#_"));
                const Row* r = q.find_row(row);
                l.text += " [" + (r ? one_line(r->text.get(L, L)) : row) + "]";
                if (q.cell != MatrixCell::Choice) {
                    const Option* col = q.find_option(c.part.substr(row.size() + 1));
                    if (col) l.text += " [" + one_line(col->text.get(L, L)) + "]";
                    l.values = q.cell == MatrixCell::Number ? number : "text";
                } else if (c.part.find('#') != std::string::npos) {
                    if (!q.scale_header2.empty()) l.text += " [" + one_line(q.scale_header2.get(L, L)) + "]";
                    l.values = options_text(q.options2, L);
                } else {
                    if (!q.options2.empty() && !q.scale_header1.empty())
                        l.text += " [" + one_line(q.scale_header1.get(L, L)) + "]";
                    l.values = options_text(q.options, L);
                }
                break;
            }
            case QuestionType::MultiText:
            case QuestionType::MultiNumeric: {
                const Row* r = q.find_row(c.part);
                l.text += " [" + (r ? one_line(r->text.get(L, L)) : c.part) + "]";
                l.values = q.type == QuestionType::MultiText ? "text" : number;
                break;
            }
            case QuestionType::Ranking:
                l.text += " [rank " + c.part + "]";
                l.values = options_text(q.options, L);
                break;
            case QuestionType::RankedList: l.text += " [rank " + c.part + "]"; l.values = "text"; break;
            case QuestionType::Numeric: l.values = number; break;
            case QuestionType::Date: l.values = "YYYY-MM-DD"; break;
            // Text as LimeSurvey exports an equation; the codebook says how it was computed.
            case QuestionType::Equation: l.values = "text, computed: " + q.equation; break;
            default: l.values = "text"; break;
            }
        }
        lines.push_back(std::move(l));
    }

    return lines;
}

// Every code a cell can hold beside the survey's own values, and how this export writes it.
static std::vector<CodebookCode> codebook_codes(const CsvOptions& opt) {
    auto shown = [](const std::string& m) { return m.empty() ? std::string("(empty)") : m; };
    return {
        {"(skipped)", "shown, left unanswered; also an empty matrix row or rank of an answered question", shown(opt.skipped)},
        {"(not shown)", "hidden by a condition (in a complete response also a question its survey version did not "
                        "have)", shown(opt.not_shown)},
        {"(not reached)", "a partial response (timed out or abandoned) ended before the question", shown(opt.not_reached)},
        {kNoAnswerCode, "\"keine Antwort\" chosen (kiosk button or paper box), in every column of the question; "
                        "it counts as answered: it is in n", shown(opt.no_answer)},
        {kOtherCode, "\"andere, und zwar\" chosen in a single choice (the text in Q[other]); in Q[other]: "
                     "crossed on paper without a text", kOtherCode},
        {kIllegible, "paper: something is there but cannot be read; a multiple choice or ranking has it in every "
                     "column", shown(opt.illegible)},
        {kMultipleMarked, "paper: several boxes marked where one is allowed (also a rank given twice); a multiple "
                          "choice or ranking has it in every column", shown(opt.multiple)},
    };
}

std::string export_codebook(const Survey& s, const CsvOptions& opt, bool markdown) {
    const std::string& L = s.original_language();
    std::vector<CodebookLine> lines = codebook_lines(s, opt);
    std::vector<CodebookCode> codes = codebook_codes(opt);
    const char* n_rule = "The study's n per question = responses where the question was answered (skipped and not shown excluded).";
    std::string out;
    if (markdown) {
        out += "# Codebook: " + one_line(s.title.get(L, L)) + "\n\n";
        out += "Survey `" + s.id + "`, version " + s.version + ", " + s.hash + ". Texts in the original language (" + L + ").\n\n";
        out += "Answered: the value as listed for the column. Besides those values a cell holds only these codes:\n\n";
        out += "| code | meaning | written as |\n|---|---|---|\n";
        for (const CodebookCode& c : codes) // "(skipped)" and "(not shown)" name a case, not a code
            out += "| " + (c.code[0] == '(' ? c.code : "`" + c.code + "`") + " | " + md_cell(c.meaning) + " | `" +
                   md_cell(c.written) + "` |\n";
        out += std::string("\n") + n_rule + "\n";
        out += "\n| column | question | text | type | values |\n|---|---|---|---|---|\n";
        for (const CodebookLine& l : lines)
            out += "| `" + l.column + "` | " + l.question + " | " + md_cell(l.text) + " | " + l.type + " | " + md_cell(l.values) + " |\n";
        return out;
    }
    // CSV: the column table, the survey and the codes first as "#" lines, so that a reader that
    // takes the first line as the heading still gets the table.
    char sep = opt.separator;
    if (opt.bom) out = "\xEF\xBB\xBF";
    put_row(out, {"column", "question", "text", "type", "values"}, sep);
    put_row(out, {"#", "survey_id", s.id, "", ""}, sep);
    put_row(out, {"#", "survey_version", s.version, "", ""}, sep);
    put_row(out, {"#", "survey_hash", s.hash, "", ""}, sep);
    for (const CodebookCode& c : codes) put_row(out, {"#", c.code, c.meaning, "code", c.written}, sep);
    put_row(out, {"#", "", n_rule, "", ""}, sep);
    for (const CodebookLine& l : lines) put_row(out, {l.column, l.question, l.text, l.type, l.values}, sep);
    return out;
}

} // namespace tk
