// report_html.cpp - the report's HTML for the questions and the event tallies (see report.h):
//   esc, channel_name, wilson_text   small text helpers shared by the report's files
//   render_block                     one table (counts, %, intervals, bars), statistics or texts
//   render_grid                      the rows of a choice matrix as one table
//   render_composition               the sample: responses per channel, site, language, ...
//   render_sections                  each question: its n beside the three counts outside it
//   render_tallies                   the event tallies, apart from every n
//   render_voided_tallies            the tallies a void record took back
// Every figure the page's script recounts carries data-b (block) or data-q (question).
#include "report_blocks.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "text.h"

namespace tk::report_parts {

std::string esc(const std::string& t) { return html_entities(t); }

// The channels as the page names them (the data keep the codes of surveys/RESPONSE.md).
std::string channel_name(const std::string& c) {
    if (c == kChannelKiosk) return "Kiosk";
    if (c == kChannelPaper) return "Papier";
    if (c == kChannelAssisted) return "begleitet";
    if (c == kChannelTally) return "Strichliste";
    return c;
}

static std::string fmt_num(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    return german_number(buf);
}

std::string wilson_text(long long count, long long n) {
    if (n <= 0) return "–";
    Interval iv = wilson_interval(count, n);
    return german_number(fixed_text(iv.low * 100, 1)) + "–" + german_number(fixed_text(iv.high * 100, 1));
}

static std::string bar_svg(long long count, long long n) {
    double w = n > 0 ? 200.0 * double(count) / double(n) : 0;
    if (w > 200) w = 200;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.1f", w);
    // The viewBox lets the style sheet size the bar in em, so it grows with the text when the
    // page is zoomed or printed; 200 x 14 is only its drawing grid.
    return std::string("<svg width=\"200\" height=\"14\" viewBox=\"0 0 200 14\" preserveAspectRatio=\"none\" role=\"img\" "
                       "aria-hidden=\"true\"><rect x=\"0\" y=\"1\" height=\"12\" width=\"") +
           buf + "\"/></svg>";
}

// Every figure carries data-b so that the page's script can count it again for its filters.
static void render_texts(std::string& h, const Block& b, const std::string& attr, const std::vector<const DecryptedResponse*>& rs);

static void render_block(std::string& h, const Block& b, const std::vector<Block>& all, const std::vector<const DecryptedResponse*>& rs) {
    std::string attr = " data-b=\"" + esc(b.id) + "\"";
    if (!b.title.empty()) h += "<h3>" + esc(b.title) + " <code>" + esc(b.id) + "</code></h3>\n";
    long long n = (long long)b.counted.size();
    if (!b.base.empty())
        for (const Block& o : all)
            if (o.id == b.base) n = (long long)o.counted.size();
    if (b.kind == Kind::Count) {
        if (b.base.empty()) h += "<p><span class=\"n\"" + attr + ">n = " + german_count(n) + "</span></p>\n";
        if (b.grouped && b.rows.empty()) {
            h += "<p class=\"none\">keine Texte</p>\n";
            return;
        }
        std::map<std::string, long long> count;
        for (auto& [i, k] : b.entries) count[k]++;
        h += "<table class=\"opts\"><thead><tr><th>Code</th><th>Antwort</th><th>Anzahl</th><th>%</th><th>95-%-KI</th><th></th></tr></thead><tbody>\n";
        for (const BlockRow& r : b.rows) {
            long long c = count[r.key];
            h += "<tr" + attr + " data-k=\"" + esc(r.key) + "\"><td class=\"code\">" + esc(r.code) + "</td><td class=\"label\">" +
                 esc(r.label) + "</td><td class=\"cnt\">" + german_count(c) + "</td><td class=\"pct\">" + german_number(percent_text(c, n)) +
                 "</td><td class=\"ci\">" + wilson_text(c, n) + "</td><td class=\"bar\">" + bar_svg(c, n) + "</td></tr>\n";
        }
        h += "</tbody></table>\n";
        if (b.listed) render_texts(h, b, attr, rs);
        if (b.multi) h += "<p class=\"note\">Mehrfachauswahl: % bezogen auf n, die Summe kann über 100 % liegen.</p>\n";
    } else if (b.kind == Kind::Number) {
        std::vector<double> v;
        for (auto& [i, t] : b.entries) {
            char* end = nullptr;
            double d = std::strtod(t.c_str(), &end);
            if (end && *end == '\0' && end != t.c_str()) v.push_back(d);
        }
        std::sort(v.begin(), v.end());
        double sum = 0;
        for (double d : v) sum += d;
        auto stat = [&](const char* name, const std::string& val) {
            return "<td class=\"st\"" + attr + " data-s=\"" + name + "\">" + val + "</td>";
        };
        std::string mean = v.empty() ? "–" : fmt_num(sum / double(v.size()));
        std::string med = v.empty() ? "–" : fmt_num(v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2);
        h += "<table class=\"num\"><tr><th>n</th><th>Mittelwert</th><th>Median</th><th>Min</th><th>Max</th></tr><tr>" +
             stat("n", german_count((long long)v.size())) + stat("mean", mean) + stat("median", med) +
             stat("min", v.empty() ? "–" : fmt_num(v.front())) + stat("max", v.empty() ? "–" : fmt_num(v.back())) + "</tr></table>\n";
    } else {
        // "keine Antwort" is in n but is no text: said, so that n and the texts add up.
        h += "<p><span class=\"n\"" + attr + ">n = " + german_count(n) + "</span> · <span class=\"tx\"" + attr +
             ">Texte: " + german_count((long long)b.entries.size()) + "</span>";
        if (b.id.find("[comment]") == std::string::npos)
            h += " · <span class=\"ka\"" + attr + ">keine Antwort: " + german_count((long long)b.ka.size()) + "</span>";
        h += "</p>\n";
        render_texts(h, b, attr, rs);
    }
}

// The texts of a block, each with its record id, for coding.
static void render_texts(std::string& h, const Block& b, const std::string& attr, const std::vector<const DecryptedResponse*>& rs) {
    if (b.entries.empty()) return;
    h += "<ol class=\"texts\"" + attr + ">\n";
    for (auto& [i, t] : b.entries)
        h += "<li data-i=\"" + std::to_string(i) + "\">" + esc(t) + " <small>" + esc(rs[size_t(i)]->record_id) + "</small></li>\n";
    h += "</ol>\n";
}

// The rows of a choice matrix (one scale) as one grid: a line per row with its n, a column
// per option, each cell its count, % of the row's n and interval. Columns: the options, then
// codes only some rows have (add_unknown_rows). Cells carry data-b and data-k like table rows.
static void render_grid(std::string& h, const std::vector<const Block*>& rows, const std::string& heading) {
    std::vector<BlockRow> cols;
    for (const Block* b : rows)
        for (const BlockRow& r : b->rows)
            if (std::none_of(cols.begin(), cols.end(), [&](const BlockRow& c) { return c.key == r.key; })) cols.push_back(r);
    if (!heading.empty()) h += "<h3>" + esc(heading) + "</h3>\n";
    h += "<div class=\"wide\"><table class=\"grid\"><thead><tr><th></th><th>n</th>";
    for (const BlockRow& c : cols) h += "<th>" + esc(c.label) + (c.code.empty() ? "" : " <code>" + esc(c.code) + "</code>") + "</th>";
    h += "</tr></thead><tbody>\n";
    for (const Block* b : rows) {
        std::string attr = " data-b=\"" + esc(b->id) + "\"";
        long long n = (long long)b->counted.size();
        std::map<std::string, long long> count;
        for (const auto& e : b->entries) count[e.second]++;
        h += "<tr><th>" + esc(b->row_label) + " <code>" + esc(b->id) + "</code></th><td class=\"gn\"" + attr + ">" +
             german_count(n) + "</td>";
        for (const BlockRow& c : cols) {
            long long v = count[c.key];
            h += "<td class=\"gc\"" + attr + " data-k=\"" + esc(c.key) + "\"><span class=\"cnt\">" + german_count(v) +
                 "</span><small><span class=\"pct\">" + german_number(percent_text(v, n)) + "</span> % <span class=\"ci\">" +
                 wilson_text(v, n) + "</span></small></td>";
        }
        h += "</tr>\n";
    }
    h += "</tbody></table></div>\n<p class=\"note\">% bezogen auf das n der Zeile.</p>\n";
}

void render_sections(std::string& h, const Survey& s, const std::vector<Section>& secs,
                     const std::vector<const DecryptedResponse*>& rs) {
    const std::string& L = s.original_language();
    for (const Section& sec : secs) {
        const Question& q = *sec.q;
        std::string qa = " data-q=\"" + esc(q.code) + "\"";
        h += "<section class=\"q\" id=\"q-" + esc(q.code) + "\">\n<h2><code>" + esc(q.code) + "</code> " +
             esc(q.text.get(L, L)) + "</h2>\n";
        h += "<p class=\"meta\">" + std::string(type_name(q.type)) + " · beantwortet <span class=\"ans\"" + qa + ">" +
             german_count(sec.answered) + "</span> · übersprungen <span class=\"sk\"" + qa + ">" +
             german_count((long long)sec.skipped.size()) + "</span> · nicht gezeigt <span class=\"hd\"" + qa + ">" +
             german_count((long long)sec.hidden.size()) + "</span> · nicht erreicht <span class=\"nr\"" + qa + ">" +
             german_count((long long)sec.unreached.size()) + "</span> (nicht in n)</p>\n";
        for (int g : {1, 2}) {
            std::vector<const Block*> grid;
            for (const Block& b : sec.blocks)
                if (b.grid == g) grid.push_back(&b);
            if (!grid.empty()) render_grid(h, grid, (g == 1 ? q.scale_header1 : q.scale_header2).get(L, L));
        }
        for (const Block& b : sec.blocks)
            if (!b.grid) render_block(h, b, sec.blocks, rs);
        h += "</section>\n";
    }
}

std::string status_name(const std::string& v) {
    return v == "complete" ? "vollständig" : "abgebrochen";
}

void render_composition(std::string& h, const std::vector<std::vector<std::string>>& rows) {
    static const char* const kTitles[] = {"Kanal", "Ort", "Sprache", "Veranstaltung", "Status"};
    long long n = (long long)rows.size();
    h += "<section class=\"q\" id=\"sample\">\n<h2>Stichprobe</h2>\n<div class=\"comp\">";
    for (size_t k = 0; k < 5; k++) {
        std::map<std::string, long long> count;
        for (const auto& r : rows) count[r[k]]++;
        h += "<table class=\"opts\"><thead><tr><th>" + std::string(kTitles[k]) +
             "</th><th>Anzahl</th><th>%</th><th>95-%-KI</th></tr></thead><tbody>\n";
        for (const auto& [v, c] : count) {
            std::string shown = v.empty() ? "(ohne)" : k == 0 ? channel_name(v) : k == 4 ? status_name(v) : v;
            h += "<tr data-m=\"" + std::to_string(k) + "\" data-v=\"" + esc(v) + "\"><td class=\"label\">" + esc(shown) +
                 "</td><td class=\"cnt\">" + german_count(c) + "</td><td class=\"pct\">" + german_number(percent_text(c, n)) +
                 "</td><td class=\"ci\">" + wilson_text(c, n) + "</td></tr>\n";
        }
        h += "</tbody></table>\n";
    }
    h += "</div>\n</section>\n";
}

// The event tallies: per question, the counts summed per option over all events, then the
// events one by one. Nothing here is a respondent, so nothing here has an n.
void render_tallies(std::string& h, const Survey& s, const std::vector<const DecryptedTally*>& ts) {
    const std::string& L = s.original_language();
    long long total = 0;
    for (const DecryptedTally* t : ts)
        for (const TallyCount& c : t->tally.counts) total += c.count;
    h += "<div class=\"tally\">\n<h2>Strichlisten von Veranstaltungen</h2>\n<p class=\"note\">Gesammelte Zählungen "
         "(Klebepunkte, Handzeichen): " + german_count((long long)ts.size()) + " Einträge, " + german_count(total) +
         " Stimmen. Keine Antworten einzelner Personen: in keinem n oben enthalten, und die Auswahl oben wirkt auf sie "
         "nicht.</p>\n";
    // Questions in survey order; a code the survey does not know (another version) comes last.
    std::vector<std::string> codes;
    for (const Survey::QRef& ref : s.all_questions()) codes.push_back(ref.q->code);
    for (const DecryptedTally* t : ts)
        if (!contains(codes, t->tally.question)) codes.push_back(t->tally.question);
    for (const std::string& code : codes) {
        std::vector<const DecryptedTally*> mine;
        for (const DecryptedTally* t : ts)
            if (t->tally.question == code) mine.push_back(t);
        if (mine.empty()) continue;
        const Question* q = s.find_question(code);
        // Rows: the question's options in order, then codes or written-in themes as they come.
        std::vector<BlockRow> rows;
        if (q) {
            rows = option_rows(q->options, L);
            if (rows.empty() && q->type == QuestionType::YesNo) rows = {{"Y", "Y", "ja"}, {"N", "N", "nein"}};
        }
        bool closed = !rows.empty();
        std::map<std::string, long long> sum;
        for (const DecryptedTally* t : mine)
            for (const TallyCount& c : t->tally.counts) {
                sum[c.option] += c.count;
                bool known = std::any_of(rows.begin(), rows.end(), [&](const BlockRow& r) { return r.key == c.option; });
                if (!known) rows.push_back({c.option, closed ? c.option : "", closed ? "(Code nicht im Fragebogen)" : c.option});
            }
        h += "<section class=\"q\" id=\"tally-q-" + esc(code) + "\">\n<h2><code>" + esc(code) + "</code> " +
             (q ? esc(q->text.get(L, L)) : std::string("(Frage nicht im Fragebogen)")) + "</h2>\n";
        h += "<table class=\"opts\"><thead><tr><th>Code</th><th>Antwort</th><th>Anzahl</th></tr></thead><tbody>\n";
        for (const BlockRow& r : rows)
            h += "<tr data-t=\"" + esc(code) + "\" data-k=\"" + esc(r.key) + "\"><td class=\"code\">" + esc(r.code) +
                 "</td><td class=\"label\">" + esc(r.label) + "</td><td class=\"cnt\">" + german_count(sum[r.key]) +
                 "</td></tr>\n";
        h += "</tbody></table>\n<table class=\"events\"><thead><tr><th>Veranstaltung</th><th>Ort</th><th>Datum</th>"
             "<th>Methode</th><th>Zählungen</th><th>Eintrag</th></tr></thead><tbody>\n";
        for (const DecryptedTally* t : mine) {
            std::string counts;
            for (const TallyCount& c : t->tally.counts)
                counts += (counts.empty() ? "" : ", ") + esc(c.option) + ": " + german_count(c.count);
            h += "<tr><td>" + esc(t->tally.event) + "</td><td>" + esc(t->tally.place) + "</td><td>" + esc(t->tally.date) +
                 "</td><td>" + esc(t->tally.method) + "</td><td>" + counts + "</td><td><small>" + esc(t->record_id) +
                 "</small></td></tr>\n";
        }
        h += "</tbody></table>\n</section>\n";
    }
    h += "</div>\n";
}

void render_voided_tallies(std::string& h, const Survey& s,
                           const std::vector<std::pair<const DecryptedTally*, const DecryptedTally*>>& voided) {
    const std::string& L = s.original_language();
    h += "<div class=\"tally voided\">\n<h2>Für ungültig erklärte Strichlisten</h2>\n<p class=\"note\">Diese Zählungen "
         "wurden nachträglich zurückgenommen und sind oben nicht mitgezählt.</p>\n";
    h += "<table class=\"events\"><thead><tr><th>Frage</th><th>Veranstaltung</th><th>Ort</th><th>Datum</th>"
         "<th>Zählungen</th><th>Eintrag</th><th>ungültig seit</th><th>von</th><th>Grund</th></tr></thead><tbody>\n";
    for (const auto& [t, v] : voided) {
        std::string counts;
        for (const TallyCount& c : t->tally.counts)
            counts += (counts.empty() ? "" : ", ") + esc(c.option) + ": " + german_count(c.count);
        const Question* q = s.find_question(t->tally.question);
        h += "<tr data-void=\"" + esc(t->record_id) + "\"><td><code>" + esc(t->tally.question) + "</code> " +
             (q ? esc(q->text.get(L, L)) : std::string()) + "</td><td>" + esc(t->tally.event) + "</td><td>" +
             esc(t->tally.place) + "</td><td>" + esc(t->tally.date) + "</td><td>" + counts + "</td><td><small>" +
             esc(t->record_id) + "</small></td><td>" + esc(v->tally.date) + "</td><td>" + esc(v->tally.entered_by) +
             "</td><td class=\"reason\">" + esc(v->tally.reason) + "</td></tr>\n";
    }
    h += "</tbody></table>\n</div>\n";
}

} // namespace tk::report_parts
