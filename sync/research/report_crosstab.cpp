// report_crosstab.cpp - cross-tables of two closed questions (see report.h):
//   report_crosstab_problem   whether an id can be one side of a cross-table: a closed question,
//                             or channel, site, language, event, status (breakdowns)
//   render_crosstabs          each table: counts, row and column % with Wilson intervals,
//                             margins, Pearson's chi² with df and p (or why not), and what the
//                             page's script needs to count it again
// A table is made of two blocks (report_blocks.h) with one answer per response each. Its n is
// the responses in both blocks' n; "keine Antwort" is a row or column like any other but stays
// out of chi², which asks whether the answers depend on each other, not whether people answer.
#include "report_blocks.h"

#include <map>

namespace tk {

using nlohmann::json;

namespace report_parts {
namespace {

struct Side {
    const Section* sec = nullptr; // nullptr: a side of the sample (channel, site, ...)
    const Block* b = nullptr;
};

int sample_side(const std::string& id) {
    for (int k = 0; k < 5; k++)
        if (id == kSampleSides[k]) return k;
    return -1;
}

// A side of the sample as a block: every response counts, its value is its key.
Block sample_block(int k, const std::vector<std::vector<std::string>>& sample) {
    static const char* const kTitles[] = {"Kanal", "Ort", "Sprache", "Veranstaltung", "Status"};
    Block b;
    b.id = kSampleSides[k];
    b.title = kTitles[k];
    std::map<std::string, int> seen;
    for (size_t i = 0; i < sample.size(); i++) {
        b.counted.push_back(int(i));
        b.entries.push_back({int(i), sample[i][size_t(k)]});
        seen[sample[i][size_t(k)]]++;
    }
    for (const auto& v : seen) {
        std::string shown = v.first.empty() ? "(ohne)" : k == 0 ? channel_name(v.first) : k == 4 ? status_name(v.first) : v.first;
        b.rows.push_back({v.first, "", shown});
    }
    return b;
}

Side find_side(const std::vector<Section>& secs, const std::string& id, const Block* sample) {
    if (sample) return {nullptr, sample};
    for (const Section& sec : secs)
        for (const Block& b : sec.blocks)
            if (b.id == id) return {&sec, &b};
    return {};
}

// "Wie oft? (C1)", "Wie gut? – Termin (X1[SQ001])", "Ort": the side as a reader knows it.
std::string side_label(const Survey& s, const Side& x) {
    if (!x.sec) return esc(x.b->title);
    const std::string& L = s.original_language();
    std::string t = x.sec->q->text.get(L, L);
    if (!x.b->title.empty()) t += " – " + x.b->title;
    return esc(t) + " <code>" + esc(x.b->id) + "</code>";
}

// Each response's answer in a block: its one entry.
std::map<int, std::string> answers_of(const Block& b) {
    std::map<int, std::string> m;
    for (const auto& e : b.entries) m.emplace(e.first, e.second);
    return m;
}

std::string p_text(double p) {
    return p < 0.001 ? "p < 0,001" : "p = " + german_number(fixed_text(p, 3));
}

// The cells of one table: counts by (row key, column key); "" stands for all (the margins).
struct Cells {
    std::map<std::pair<std::string, std::string>, long long> c;
    long long at(const std::string& r, const std::string& col) const {
        auto it = c.find({r, col});
        return it == c.end() ? 0 : it->second;
    }
};

// One cell: its count, and the shares the reader needs of it (a margin has only one).
std::string cell_html(int k, const Cells& t, const std::string& r, const std::string& c) {
    long long v = t.at(r, c);
    std::string h = "<td class=\"xc\" data-x=\"" + std::to_string(k) + "\" data-r=\"" + esc(r) + "\" data-c=\"" + esc(c) +
                    "\"><span class=\"cnt\">" + german_count(v) + "</span>";
    auto share = [&](const char* label, const char* cls, long long of) {
        return std::string("<small>") + label + " <span class=\"" + cls + "p\">" + german_number(percent_text(v, of)) + "</span> % <span class=\"" +
               cls + "ci\">" + wilson_text(v, of) + "</span></small>";
    };
    if (!c.empty()) h += share(r.empty() ? "von n" : "Zeile", "r", t.at(r, ""));
    if (!r.empty()) h += share(c.empty() ? "von n" : "Spalte", "c", t.at("", c));
    return h + "</td>";
}

} // namespace

const char* const kSampleSides[5] = {"channel", "site", "language", "event", "status"};

std::string chi_square_text(const ChiSquare& x) {
    if (!x.valid) return "χ² nicht berechnet: " + x.why;
    return "χ² = " + german_number(fixed_text(x.chi2, 2)) + " · df = " + german_count(x.df) + " · " + p_text(x.p);
}

void render_crosstabs(std::string& h, const Survey& s, const std::vector<Section>& secs,
                      const std::vector<std::vector<std::string>>& sample, const ReportOptions& opt, json& data) {
    data["x"] = json::array();
    for (size_t k = 0; k < opt.crosstabs.size(); k++) {
        int ma = sample_side(opt.crosstabs[k].first), mb = sample_side(opt.crosstabs[k].second);
        Block sa = ma >= 0 ? sample_block(ma, sample) : Block{}, sb = mb >= 0 ? sample_block(mb, sample) : Block{};
        Side a = find_side(secs, opt.crosstabs[k].first, ma >= 0 ? &sa : nullptr);
        Side b = find_side(secs, opt.crosstabs[k].second, mb >= 0 ? &sb : nullptr);
        if (!a.b || !b.b) continue; // the caller checked with report_crosstab_problem
        std::map<int, std::string> ka = answers_of(*a.b), kb = answers_of(*b.b);
        Cells t;
        for (const auto& [i, r] : ka) {
            auto it = kb.find(i);
            if (it == kb.end()) continue;
            for (const std::string& rr : {r, std::string()})
                for (const std::string& cc : {it->second, std::string()}) t.c[{rr, cc}]++;
        }
        json rk = json::array(), ck = json::array();
        for (const BlockRow& r : a.b->rows) rk.push_back(r.key);
        for (const BlockRow& c : b.b->rows) ck.push_back(c.key);
        data["x"].push_back({{"a", a.b->id}, {"b", b.b->id}, {"rk", rk}, {"ck", ck}});

        std::string xs = std::to_string(k);
        h += "<section class=\"q x\" id=\"x-" + xs + "\">\n<h2>Kreuztabelle " + side_label(s, a) + " × " + side_label(s, b) +
             "</h2>\n<p class=\"meta\">Zeilen: <code>" + esc(a.b->id) + "</code>, Spalten: <code>" + esc(b.b->id) +
             "</code> · <span class=\"xn\" data-x=\"" + xs + "\">" + german_count(t.at("", "")) +
             "</span> Antworten mit beiden Fragen beantwortet (n)</p>\n<div class=\"wide\"><table class=\"xt\"><thead><tr><th></th>";
        for (const BlockRow& c : b.b->rows) h += "<th>" + esc(c.label) + (c.code.empty() ? "" : " <code>" + esc(c.code) + "</code>") + "</th>";
        h += "<th>gesamt</th></tr></thead><tbody>\n";
        std::vector<std::vector<long long>> table; // for chi²: without "keine Antwort"
        for (const BlockRow& r : a.b->rows) {
            h += "<tr><th>" + esc(r.label) + (r.code.empty() ? "" : " <code>" + esc(r.code) + "</code>") + "</th>";
            std::vector<long long> line;
            for (const BlockRow& c : b.b->rows) {
                h += cell_html(int(k), t, r.key, c.key);
                if (c.key != kNoAnswerCode) line.push_back(t.at(r.key, c.key));
            }
            h += cell_html(int(k), t, r.key, "") + "</tr>\n";
            if (r.key != kNoAnswerCode) table.push_back(line);
        }
        h += "<tr class=\"tot\"><th>gesamt</th>";
        for (const BlockRow& c : b.b->rows) h += cell_html(int(k), t, "", c.key);
        h += cell_html(int(k), t, "", "") + "</tr>\n</tbody></table></div>\n";
        h += "<p><span class=\"chi\" data-x=\"" + xs + "\">" + chi_square_text(chi_square(table)) +
             "</span> <span class=\"note\">(ohne „keine Antwort“; Zeilen und Spalten ohne Antworten bleiben außen vor)</span></p>\n"
             "</section>\n";
    }
}

} // namespace report_parts

std::string report_crosstab_problem(const Survey& s, const std::string& id) {
    if (report_parts::sample_side(id) >= 0) return ""; // a breakdown by channel, site, ...
    const Question* q = s.find_question(id.substr(0, id.find('[')));
    if (!q || !q->has_answer()) return "'" + id + "' is not a question of survey '" + s.id + "'";
    report_parts::Section sec = report_parts::build_section(s, *q, {}, {});
    for (const report_parts::Block& b : sec.blocks) {
        if (b.id != id) continue;
        if (b.kind != report_parts::Kind::Count || b.grouped) return "'" + id + "' has texts or numbers, not options to count";
        if (b.multi) return "'" + id + "' is multiple choice: a response may be in several rows, so it cannot be one side";
        return "";
    }
    std::string first = sec.blocks.empty() ? std::string() : sec.blocks[0].id;
    return "'" + id + "' has several tables: name one of them" + (first.empty() ? "" : ", e.g. '" + first + "'");
}

} // namespace tk
