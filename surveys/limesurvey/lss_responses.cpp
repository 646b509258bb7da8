// lss_responses.cpp - .lsr response dumps in, VV files out and back in.
#include "lss_responses.h"

#include <pugixml.hpp>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>

#include "files.h"

namespace tk {

static std::string lsr_text(pugi::xml_node n) {
    std::string s;
    for (pugi::xml_node c : n.children())
        if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) s += c.value();
    return s;
}

std::string lsr_element_name(const std::string& field) {
    std::string e = field;
    std::replace(e.begin(), e.end(), '#', '-');
    if (!e.empty() && e[0] >= '0' && e[0] <= '9') e = "_" + e;
    return e;
}

LsResponsesRead parse_lsr(const std::string& xml, const std::string& source_name) {
    LsResponsesRead r;
    pugi::xml_document doc;
    pugi::xml_parse_result pr = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!pr) {
        size_t off = std::min<size_t>(size_t(pr.offset), xml.size());
        int line = 1 + int(std::count(xml.begin(), xml.begin() + long(off), '\n'));
        r.error = source_name + ": line " + std::to_string(line) + ": not a readable XML file: " + pr.description();
        return r;
    }
    pugi::xml_node root = doc.child("document");
    std::string doctype = lsr_text(root.child("LimeSurveyDocType"));
    if (!root || doctype != "Responses") {
        r.error = source_name + ": unknown layout: not a LimeSurvey response file (<LimeSurveyDocType>Responses)";
        return r;
    }
    for (pugi::xml_node l : root.child("languages").children("language")) r.data.languages.push_back(lsr_text(l));
    pugi::xml_node sec = root.child("responses");
    for (pugi::xml_node f : sec.child("fields").children("fieldname")) r.data.fields.push_back(lsr_text(f));
    if (r.data.fields.empty()) {
        r.error = source_name + ": unknown layout: no <responses><fields> list";
        return r;
    }
    // Columns by element name; an element that is absent is NULL.
    std::map<std::string, size_t> index;
    for (size_t i = 0; i < r.data.fields.size(); i++) index[lsr_element_name(r.data.fields[i])] = i;
    size_t n = 0;
    for (pugi::xml_node row : sec.child("rows").children("row")) {
        n++;
        std::vector<LsValue> vals(r.data.fields.size());
        for (pugi::xml_node c : row.children()) {
            if (c.type() != pugi::node_element) continue;
            auto it = index.find(c.name());
            if (it == index.end()) {
                r.error = source_name + ": response " + std::to_string(n) + ": column <" + c.name() +
                          "> is not in the <fields> list";
                return r;
            }
            vals[it->second] = lsr_text(c);
        }
        r.data.rows.push_back(std::move(vals));
    }
    return r;
}

LsResponsesRead read_lsr_file(const std::string& path) {
    std::string text, err;
    if (!read_whole_file(path, text, &err)) {
        LsResponsesRead r;
        r.error = path + ": " + err;
        return r;
    }
    return parse_lsr(text, path);
}

static const char* const kNotShown = "{question_not_shown}";

std::string vv_escape(const LsValue& v) {
    if (!v) return kNotShown;
    // PHP's trim(): space, tab, newline, CR, NUL, vertical tab.
    const char* ws = " \t\n\r\v";
    std::string s = *v;
    size_t a = s.find_first_not_of(ws, 0, 5);
    s = a == std::string::npos ? "" : s.substr(a, s.find_last_not_of(ws, std::string::npos, 5) - a + 1);
    while (!s.empty() && s.back() == '\0') s.pop_back();
    std::string out;
    for (char c : s) { // "{" first, so the markers we add are not escaped again
        if (c == '{') out += "{lbrace}";
        else if (c == '\n') out += "{newline}";
        else if (c == '\r') out += "{cr}";
        else if (c == '\t') out += "{tab}";
        else out += c;
    }
    if (!out.empty() && out[0] == '"') out = "{quote}" + out.substr(1);
    return out;
}

LsValue vv_unescape(const std::string& cell) {
    if (cell == kNotShown) return std::nullopt;
    std::string s = cell;
    if (s.rfind("{quote}", 0) == 0) s = "\"" + s.substr(7);
    static const std::pair<const char*, char> marks[] = {
        {"{newline}", '\n'}, {"{cr}", '\r'}, {"{tab}", '\t'}, {"{lbrace}", '{'}};
    std::string out;
    for (size_t i = 0; i < s.size();) {
        bool hit = false;
        if (s[i] == '{')
            for (const auto& [m, c] : marks)
                if (s.compare(i, std::strlen(m), m) == 0) {
                    out += c;
                    i += std::strlen(m);
                    hit = true;
                    break;
                }
        if (!hit) out += s[i++];
    }
    return out;
}

// PHP fputcsv with "\t": quote when the cell holds the delimiter, the quote, a backslash,
// CR, LF or a space.
static std::string csv_cell(const std::string& s) {
    if (s.find_first_of("\t\"\\\r\n ") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

std::vector<std::string> vv_labels(const std::vector<std::string>& fields, const LssImport& im) {
    std::vector<std::string> out;
    std::map<std::string, const LssColumn*> by_sgqa;
    for (const LssColumn& c : im.columns) by_sgqa[c.sgqa] = &c;
    for (const std::string& f : fields) {
        auto it = by_sgqa.find(f);
        const Question* q = it == by_sgqa.end() || !im.survey ? nullptr : im.survey->find_question(it->second->question);
        if (!q) {
            out.push_back(f);
            continue;
        }
        const std::string& base = im.survey->original_language();
        std::string label = q->text.get(base, base);
        std::string part = it->second->part;
        std::string row = part.substr(0, part.find_first_of("#_"));
        const std::string* sub = nullptr;
        if (const Row* r = q->find_row(row)) sub = &r->text.get(base, base);
        else if (const Option* o = q->find_option(part)) sub = &o->text.get(base, base);
        if (sub) label += " (" + *sub + ")";
        else if (!part.empty()) label += " (" + part + ")";
        for (char& c : label) // one line per label
            if (c == '\n' || c == '\t' || c == '\r') c = ' ';
        out.push_back(label);
    }
    return out;
}

std::string export_vv(const LsResponses& d) {
    std::string out;
    auto line = [&](const std::vector<std::string>& cells) {
        for (size_t i = 0; i < cells.size(); i++) {
            if (i) out += '\t';
            out += csv_cell(cells[i]);
        }
        out += '\n';
    };
    std::vector<std::string> labels = d.labels.size() == d.fields.size() ? d.labels : d.fields;
    line(labels);
    line(d.fields);
    for (const auto& row : d.rows) {
        std::vector<std::string> cells;
        for (size_t i = 0; i < d.fields.size(); i++) {
            LsValue v = i < row.size() ? row[i] : std::nullopt;
            std::string cell = vv_escape(v);
            // LimeSurvey writes an empty submitdate as not shown too.
            if (d.fields[i] == "submitdate" && cell.empty()) cell = kNotShown;
            cells.push_back(cell);
        }
        line(cells);
    }
    return out;
}

// Splits one fputcsv-style line; false when a quoted cell is not closed on the line.
static bool split_vv_line(const std::string& l, std::vector<std::string>& cells) {
    cells.clear();
    std::string cur;
    size_t i = 0;
    while (true) {
        cur.clear();
        if (i < l.size() && l[i] == '"') {
            i++;
            bool closed = false;
            while (i < l.size()) {
                if (l[i] == '"') {
                    if (i + 1 < l.size() && l[i + 1] == '"') { cur += '"'; i += 2; continue; }
                    closed = true;
                    i++;
                    break;
                }
                cur += l[i++];
            }
            if (!closed) return false;
            while (i < l.size() && l[i] != '\t') cur += l[i++];
        } else {
            while (i < l.size() && l[i] != '\t') cur += l[i++];
        }
        cells.push_back(cur);
        if (i >= l.size()) return true;
        i++; // the tab
    }
}

LsResponsesRead parse_vv(const std::string& text, const std::string& source_name) {
    LsResponsesRead r;
    std::vector<std::string> lines;
    std::string cur;
    for (char c : text) {
        if (c == '\n') {
            if (!cur.empty() && cur.back() == '\r') cur.pop_back();
            lines.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) lines.push_back(cur);
    if (lines.size() < 2) {
        r.error = source_name + ": not a VV file: it needs two header lines (labels, column names)";
        return r;
    }
    std::vector<std::string> cells;
    for (size_t i = 0; i < lines.size(); i++) {
        if (i >= 2 && lines[i].empty()) continue;
        if (!split_vv_line(lines[i], cells)) {
            r.error = source_name + ": line " + std::to_string(i + 1) + ": a quoted cell is not closed";
            return r;
        }
        if (i == 0) { r.data.labels = cells; continue; }
        if (i == 1) { r.data.fields = cells; continue; }
        if (cells.size() != r.data.fields.size()) {
            r.error = source_name + ": line " + std::to_string(i + 1) + ": " + std::to_string(cells.size()) +
                      " cells, but " + std::to_string(r.data.fields.size()) + " column names";
            return r;
        }
        std::vector<LsValue> row;
        for (const std::string& c : cells) row.push_back(vv_unescape(c));
        r.data.rows.push_back(std::move(row));
    }
    return r;
}

// ---------------------------------------------------------------------------------------
// Kiosk responses -> VV

// The code LimeSurvey knows an option or row by: the imported one when the kiosk had to rename
// it (a subquestion coded "other", which the kiosk reserves for its other field).
template <class Item> static const std::string& ls_code(const Item& it) {
    return it.source_code.empty() ? it.code : it.source_code;
}

// An answer value (an option code) as LimeSurvey's code.
static std::string ls_value(const std::vector<Option>& opts, const std::string& v) {
    for (const Option& o : opts)
        if (o.code == v) return ls_code(o);
    return v;
}

std::vector<VvColumn> vv_columns(const Survey& s) {
    std::vector<VvColumn> out;
    for (const Survey::QRef& ref : s.all_questions()) {
        const Question& q = *ref.q;
        const std::string& c = q.code;
        auto add = [&](const std::string& suffix, const std::string& part) {
            out.push_back({suffix.empty() ? c : c + "_" + suffix, c, part});
        };
        switch (q.type) {
        case QuestionType::MultipleChoice:
            for (const Option& o : q.options) add(ls_code(o), o.code);
            break;
        case QuestionType::Matrix:
            for (const Row& r : q.rows) {
                if (q.cell != MatrixCell::Choice) {
                    for (const Option& o : q.options) add(ls_code(r) + "_" + ls_code(o), r.code + "_" + o.code);
                } else if (!q.options2.empty()) {
                    add(ls_code(r) + "_0", r.code);
                    add(ls_code(r) + "_1", r.code + "#1");
                } else {
                    add(ls_code(r), r.code);
                }
            }
            break;
        case QuestionType::MultiText:
        case QuestionType::MultiNumeric:
            for (const Row& r : q.rows) add(ls_code(r), r.code);
            break;
        case QuestionType::Ranking:
        case QuestionType::RankedList: {
            // Ranking: one column per option, as LimeSurvey keeps them (max_answers only limits
            // how many are ranked). Ranked lists have no LimeSurvey type: max_answers columns.
            size_t n = q.type == QuestionType::Ranking ? q.options.size() : size_t(std::max(q.max_answers, 0));
            for (size_t i = 1; i <= n; i++) add(std::to_string(i), std::to_string(i));
            break;
        }
        default:
            add("", "");
        }
        if (q.other) add("other", "other");
        // A multiple-choice question has comments per option in LimeSurvey ('P'), never one
        // for the question: the kiosk's single comment has no column there.
        if (q.comment && q.type != QuestionType::MultipleChoice) add("comment", "comment");
    }
    return out;
}

// LimeSurvey's datetime columns: "2026-11-25 16:03:00".
static std::string ls_datetime(int64_t t) {
    std::string iso = format_utc(t); // 2026-11-25T16:03:00Z
    if (iso.size() >= 19) {
        iso[10] = ' ';
        iso = iso.substr(0, 19);
    }
    return iso;
}

static LsValue vv_cell(const Question& q, const Answer* a, const std::string& part) {
    if (q.type == QuestionType::Info) return std::nullopt; // LimeSurvey keeps this column NULL
    if (!a || a->no_answer) return std::string();
    if (part == "other") return a->other;
    if (part == "comment") return a->comment;
    switch (q.type) {
    case QuestionType::MultipleChoice:
        return std::string(std::find(a->values.begin(), a->values.end(), part) != a->values.end() ? "Y" : "");
    case QuestionType::Matrix:
    case QuestionType::MultiText:
    case QuestionType::MultiNumeric: {
        auto it = a->cells.find(part);
        // A matrix row's "keine Antwort" is "" as LimeSurvey stores it, like the whole question's.
        if (it == a->cells.end() || it->second == kNoAnswerCode) return std::string();
        if (q.type != QuestionType::Matrix || q.cell != MatrixCell::Choice) return it->second;
        bool second = part.size() > 2 && part.compare(part.size() - 2, 2, "#1") == 0;
        return ls_value(second ? q.options2 : q.options, it->second);
    }
    case QuestionType::Ranking:
    case QuestionType::RankedList: {
        size_t i = size_t(std::atoi(part.c_str()));
        return i >= 1 && i <= a->values.size() ? ls_value(q.options, a->values[i - 1]) : std::string();
    }
    case QuestionType::SingleChoice:
        return ls_value(q.options, a->value);
    default:
        return a->value;
    }
}

LsResponses responses_to_vv(const Survey& s, const std::vector<Response>& responses) {
    LsResponses d;
    std::vector<VvColumn> cols = vv_columns(s);
    d.fields = {"id", "submitdate", "startlanguage", "startdate", "datestamp"};
    for (const VvColumn& c : cols) d.fields.push_back(c.code);
    d.labels = d.fields;
    const std::string& base = s.original_language();
    for (size_t k = 5; k < d.fields.size(); k++) {
        const VvColumn& c = cols[k - 5];
        const Question* q = s.find_question(c.question);
        std::string label = q ? q->text.get(base, base) : c.code;
        if (!c.part.empty()) label += " (" + c.part + ")";
        for (char& ch : label)
            if (ch == '\n' || ch == '\t' || ch == '\r') ch = ' ';
        d.labels[k] = label;
    }
    int id = 0;
    for (const Response& r : responses) {
        std::vector<LsValue> row;
        row.push_back(std::to_string(++id));
        row.push_back(r.complete ? LsValue(ls_datetime(r.finished)) : std::nullopt);
        row.push_back(r.language);
        row.push_back(ls_datetime(r.started));
        row.push_back(ls_datetime(r.finished ? r.finished : r.started));
        for (const VvColumn& c : cols) {
            // Answered: the value. Shown and skipped: "". Hidden, or never reached in a
            // partial response: NULL.
            const Question* q = s.find_question(c.question);
            auto it = r.answers.find(c.question);
            bool skipped = std::find(r.skipped.begin(), r.skipped.end(), c.question) != r.skipped.end();
            if (q && it != r.answers.end()) row.push_back(vv_cell(*q, &it->second, c.part));
            else if (q && skipped) row.push_back(vv_cell(*q, nullptr, c.part));
            else row.push_back(std::nullopt);
        }
        d.rows.push_back(std::move(row));
    }
    return d;
}

} // namespace tk
