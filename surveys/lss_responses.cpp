// lss_responses.cpp - .lsr response dumps in, VV files out and back in.
#include "lss_responses.h"

#include <pugixml.hpp>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

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
    std::ifstream f(path, std::ios::binary);
    if (!f) {
        LsResponsesRead r;
        r.error = path + ": cannot open the file";
        return r;
    }
    std::stringstream ss;
    ss << f.rdbuf();
    return parse_lsr(ss.str(), path);
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

} // namespace tk
