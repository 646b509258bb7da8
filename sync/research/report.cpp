// report.cpp - the HTML results report (see report.h and sync/research/RESEARCH.md).
//
// Every figure is computed from "blocks": one table of one question (a single-choice
// question is one block; a matrix has one per row, a ranking one per rank). A block knows
// which responses are in its n and what each contributed. The page is rendered from the
// blocks with all responses, and the same blocks go into the page as JSON so the inline script
// can count again for the channel/site/language chosen in the page - by the same rules.
#include "report.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

namespace tk {

using nlohmann::json;

std::string percent_text(long long count, long long n) {
    if (n <= 0) return "0.0";
    long long t = (count * 2000 + n) / (2 * n); // tenths of a percent, half up
    return std::to_string(t / 10) + "." + std::to_string(t % 10);
}

namespace {

enum class Kind { Count, Number, Text };

struct BlockRow {
    std::string key, code, label;
};

struct Block {
    std::string id;          // "C1", "F4[SQ001]", "G1[other]", "D4[2]"
    std::string title;       // sub-heading ("" = the question's own table)
    Kind kind = Kind::Count;
    bool multi = false;      // multiple choice: one response may count in several rows
    bool grouped = false;    // rows are the distinct texts ("andere" texts)
    std::string base;        // block whose n is the denominator ("" = own n)
    std::vector<BlockRow> rows;
    std::vector<int> counted;                          // responses in this block's n
    std::vector<std::pair<int, std::string>> entries;  // (response, key / value / text), one per thing counted
};

struct Section {
    const Question* q = nullptr;
    std::vector<Block> blocks;
    std::vector<int> skipped, hidden;
    int answered = 0;
};

std::string esc(const std::string& t) {
    std::string o;
    o.reserve(t.size());
    for (char ch : t) {
        switch (ch) {
        case '&': o += "&amp;"; break;
        case '<': o += "&lt;"; break;
        case '>': o += "&gt;"; break;
        case '"': o += "&quot;"; break;
        case '\'': o += "&#39;"; break;
        default: o += ch;
        }
    }
    return o;
}

std::string trim(const std::string& t) {
    size_t a = t.find_first_not_of(" \t\r\n"), b = t.find_last_not_of(" \t\r\n");
    return a == std::string::npos ? std::string() : t.substr(a, b - a + 1);
}

bool contains(const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

std::vector<BlockRow> option_rows(const std::vector<Option>& opts, const std::string& L) {
    std::vector<BlockRow> rows;
    for (const Option& o : opts) rows.push_back({o.code, o.code, o.text.get(L, L)});
    return rows;
}

// The blocks of question q, still empty: the tables its answers go into. A ranking has as many
// rank blocks as the longest answer among the responses `idx` needs.
std::vector<Block> make_blocks(const Survey& s, const Question& q, const std::vector<const DecryptedResponse*>& rs,
                               const std::vector<int>& idx) {
    const std::string& L = s.original_language();
    std::string other_label = q.other_label.empty() ? std::string("andere") : q.other_label.get(L, L);
    auto closed_block = [&](const std::string& id, const std::string& title, std::vector<BlockRow> rows) {
        Block b;
        b.id = id;
        b.title = title;
        b.rows = std::move(rows);
        return b;
    };
    auto add_ka = [&](Block& b) {
        if (s.settings.no_answer_option) b.rows.push_back({kNoAnswerCode, "", "keine Antwort"});
    };

    std::vector<Block> B;
    switch (q.type) {
    case QuestionType::SingleChoice:
    case QuestionType::YesNo:
    case QuestionType::Rating:
    case QuestionType::MultipleChoice: {
        std::vector<BlockRow> rows = option_rows(q.options, L);
        if (rows.empty() && q.type == QuestionType::YesNo) rows = {{"Y", "Y", "ja"}, {"N", "N", "nein"}};
        if (rows.empty() && q.type == QuestionType::Rating)
            for (int v = q.scale_min; v <= q.scale_max; v++) rows.push_back({std::to_string(v), std::to_string(v), std::to_string(v)});
        if (q.other) rows.push_back({kOtherCode, kOtherCode, other_label});
        B.push_back(closed_block(q.code, "", rows));
        B.back().multi = q.type == QuestionType::MultipleChoice;
        add_ka(B.back());
        if (q.other) {
            Block o = closed_block(q.code + "[other]", "Texte zu „" + other_label + "“ (gleicher Wortlaut zusammengefasst)", {});
            o.grouped = true;
            o.base = q.code;
            B.push_back(o);
        }
        break;
    }
    case QuestionType::Matrix:
        for (const Row& r : q.rows) {
            std::string rt = r.text.get(L, L);
            if (q.cell == MatrixCell::Choice) {
                B.push_back(closed_block(q.code + "[" + r.code + "]", rt, option_rows(q.options, L)));
                add_ka(B.back());
                if (!q.options2.empty()) {
                    B.push_back(closed_block(q.code + "[" + r.code + "][2]", rt + " – " + q.scale_header2.get(L, L),
                                             option_rows(q.options2, L)));
                    add_ka(B.back());
                }
            } else {
                for (const Option& c : q.options) {
                    Block b = closed_block(q.code + "[" + r.code + "_" + c.code + "]", rt + " – " + c.text.get(L, L), {});
                    b.kind = q.cell == MatrixCell::Number ? Kind::Number : Kind::Text;
                    B.push_back(b);
                }
            }
        }
        break;
    case QuestionType::MultiText:
    case QuestionType::MultiNumeric:
        for (const Row& r : q.rows) {
            Block b = closed_block(q.code + "[" + r.code + "]", r.text.get(L, L), {});
            b.kind = q.type == QuestionType::MultiText ? Kind::Text : Kind::Number;
            B.push_back(b);
        }
        break;
    case QuestionType::Ranking:
    case QuestionType::RankedList: {
        size_t n = q.type == QuestionType::Ranking ? q.options.size() : 0;
        if (q.max_answers > 0 && (n == 0 || size_t(q.max_answers) < n)) n = size_t(q.max_answers);
        for (int i : idx) {
            auto it = rs[size_t(i)]->response.answers.find(q.code);
            if (it != rs[size_t(i)]->response.answers.end()) n = std::max(n, it->second.values.size());
        }
        for (size_t k = 1; k <= n; k++) {
            Block b = closed_block(q.code + "[" + std::to_string(k) + "]", "Rang " + std::to_string(k),
                                   q.type == QuestionType::Ranking ? option_rows(q.options, L) : std::vector<BlockRow>{});
            if (q.type == QuestionType::RankedList) b.kind = Kind::Text;
            B.push_back(b);
        }
        break;
    }
    case QuestionType::Numeric: {
        Block b = closed_block(q.code, "", {});
        b.kind = Kind::Number;
        B.push_back(b);
        break;
    }
    default: { // text, longtext, date
        Block b = closed_block(q.code, "", {});
        b.kind = Kind::Text;
        B.push_back(b);
    }
    }
    if (q.comment) {
        Block c = closed_block(q.code + "[comment]", "Kommentare", {});
        c.kind = Kind::Text;
        B.push_back(c);
    }
    return B;
}

// Each response of `idx` into the blocks of sec.q it counts in; skipped and hidden apart.
void fill_blocks(Section& sec, const std::vector<const DecryptedResponse*>& rs, const std::vector<int>& idx) {
    const Question& q = *sec.q;
    std::vector<Block>& B = sec.blocks;
    // Fill the blocks.
    std::map<std::string, size_t> by_id;
    for (size_t k = 0; k < B.size(); k++) by_id[B[k].id] = k;
    auto block = [&](const std::string& id) -> Block* {
        auto it = by_id.find(id);
        return it == by_id.end() ? nullptr : &B[it->second];
    };
    for (int i : idx) {
        const Response& r = rs[size_t(i)]->response;
        auto it = r.answers.find(q.code);
        if (it == r.answers.end()) {
            (contains(r.skipped, q.code) ? sec.skipped : sec.hidden).push_back(i);
            continue;
        }
        const Answer& a = it->second;
        sec.answered++;
        if (!a.comment.empty() && block(q.code + "[comment]")) {
            Block* c = block(q.code + "[comment]");
            c->counted.push_back(i);
            c->entries.push_back({i, a.comment});
        }
        switch (q.type) {
        case QuestionType::SingleChoice:
        case QuestionType::YesNo:
        case QuestionType::Rating:
        case QuestionType::MultipleChoice: {
            Block& b = B[0];
            b.counted.push_back(i);
            if (a.no_answer) b.entries.push_back({i, kNoAnswerCode});
            else if (q.type == QuestionType::MultipleChoice) {
                for (const std::string& v : a.values) b.entries.push_back({i, v});
                if (!a.other.empty()) b.entries.push_back({i, kOtherCode});
            } else if (!a.value.empty()) b.entries.push_back({i, a.value});
            if (!a.other.empty() && q.other) {
                Block* o = block(q.code + "[other]");
                o->counted.push_back(i);
                o->entries.push_back({i, trim(a.other)});
            }
            break;
        }
        case QuestionType::Numeric:
        case QuestionType::ShortText:
        case QuestionType::LongText:
        case QuestionType::Date: {
            Block& b = B[0];
            b.counted.push_back(i);
            if (!a.no_answer && !a.value.empty()) b.entries.push_back({i, a.value});
            break;
        }
        case QuestionType::Ranking:
        case QuestionType::RankedList:
            for (size_t k = 0; k < a.values.size(); k++)
                if (Block* b = block(q.code + "[" + std::to_string(k + 1) + "]")) {
                    b->counted.push_back(i);
                    b->entries.push_back({i, a.values[k]});
                }
            break;
        default: // matrix, multi_text, multi_numeric: one block per cell key
            for (Block& b : B) {
                if (b.id.size() <= q.code.size() + 1 || b.id.compare(0, q.code.size() + 1, q.code + "[") != 0 ||
                    b.id == q.code + "[comment]")
                    continue;
                std::string part = b.id.substr(q.code.size() + 1);
                bool second = part.size() > 4 && part.compare(part.size() - 4, 4, "][2]") == 0;
                part = part.substr(0, part.find(']'));
                if (second) part += "#1";
                if (a.no_answer) {
                    if (b.kind == Kind::Count) {
                        b.counted.push_back(i);
                        b.entries.push_back({i, kNoAnswerCode});
                    }
                    continue;
                }
                auto c = a.cells.find(part);
                if (c == a.cells.end() || c->second.empty()) continue;
                b.counted.push_back(i);
                b.entries.push_back({i, c->second});
            }
        }
    }
}

// Codes in the data that the survey does not have (an older survey version, a typing
// error on a paper form) get rows of their own instead of vanishing.
void add_unknown_rows(std::vector<Block>& B) {
    for (Block& b : B) {
        if (b.kind != Kind::Count) continue;
        std::map<std::string, long long> seen;
        for (auto& [i, k] : b.entries) seen[k]++;
        if (b.grouped) {
            std::vector<std::pair<std::string, long long>> v(seen.begin(), seen.end());
            std::stable_sort(v.begin(), v.end(), [](auto& x, auto& y) { return x.second > y.second; });
            for (auto& [k, c] : v) b.rows.push_back({k, "", k});
            continue;
        }
        for (const auto& entry : seen) {
            // Not a structured binding: clang 14 cannot capture those in a lambda.
            const std::string& k = entry.first;
            bool known = std::any_of(b.rows.begin(), b.rows.end(), [&](const BlockRow& r) { return r.key == k; });
            if (known) continue;
            if (k == kNoAnswerCode) b.rows.push_back({k, "", "keine Antwort"}); // survey without the option shown
            else b.rows.push_back({k, k, "(Code nicht im Fragebogen)"});
        }
    }
}

// The blocks of one question over the responses `idx` (indices into `rs`).
Section build_section(const Survey& s, const Question& q, const std::vector<const DecryptedResponse*>& rs,
                      const std::vector<int>& idx) {
    Section sec;
    sec.q = &q;
    sec.blocks = make_blocks(s, q, rs, idx);
    fill_blocks(sec, rs, idx);
    add_unknown_rows(sec.blocks);
    return sec;
}

std::string fmt_num(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

std::string bar_svg(long long count, long long n) {
    double w = n > 0 ? 200.0 * double(count) / double(n) : 0;
    if (w > 200) w = 200;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.1f", w);
    return std::string("<svg width=\"200\" height=\"14\" role=\"img\" aria-hidden=\"true\"><rect x=\"0\" y=\"1\" height=\"12\" width=\"") +
           buf + "\"/></svg>";
}

// Every figure carries data-b so that the page's script can count it again for its filters.
void render_block(std::string& h, const Block& b, const std::vector<Block>& all, const std::vector<const DecryptedResponse*>& rs) {
    std::string attr = " data-b=\"" + esc(b.id) + "\"";
    if (!b.title.empty()) h += "<h3>" + esc(b.title) + " <code>" + esc(b.id) + "</code></h3>\n";
    long long n = (long long)b.counted.size();
    if (!b.base.empty())
        for (const Block& o : all)
            if (o.id == b.base) n = (long long)o.counted.size();
    if (b.kind == Kind::Count) {
        if (b.base.empty()) h += "<p><span class=\"n\"" + attr + ">n = " + std::to_string(n) + "</span></p>\n";
        if (b.grouped && b.rows.empty()) {
            h += "<p class=\"none\">keine Texte</p>\n";
            return;
        }
        std::map<std::string, long long> count;
        for (auto& [i, k] : b.entries) count[k]++;
        h += "<table class=\"opts\"><thead><tr><th>Code</th><th>Antwort</th><th>Anzahl</th><th>%</th><th></th></tr></thead><tbody>\n";
        for (const BlockRow& r : b.rows) {
            long long c = count[r.key];
            h += "<tr" + attr + " data-k=\"" + esc(r.key) + "\"><td class=\"code\">" + esc(r.code) + "</td><td class=\"label\">" +
                 esc(r.label) + "</td><td class=\"cnt\">" + std::to_string(c) + "</td><td class=\"pct\">" + percent_text(c, n) +
                 "</td><td class=\"bar\">" + bar_svg(c, n) + "</td></tr>\n";
        }
        h += "</tbody></table>\n";
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
             stat("n", std::to_string(v.size())) + stat("mean", mean) + stat("median", med) +
             stat("min", v.empty() ? "–" : fmt_num(v.front())) + stat("max", v.empty() ? "–" : fmt_num(v.back())) + "</tr></table>\n";
    } else {
        h += "<p><span class=\"n\"" + attr + ">n = " + std::to_string(n) + "</span> · <span class=\"tx\"" + attr +
             ">Texte: " + std::to_string(b.entries.size()) + "</span></p>\n";
        if (!b.entries.empty()) {
            h += "<ol class=\"texts\"" + attr + ">\n";
            for (auto& [i, t] : b.entries)
                h += "<li data-i=\"" + std::to_string(i) + "\">" + esc(t) +
                     " <small>" + esc(rs[size_t(i)]->record_id) + "</small></li>\n";
            h += "</ol>\n";
        }
    }
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
             std::to_string(sec.answered) + "</span> · übersprungen <span class=\"sk\"" + qa + ">" +
             std::to_string(sec.skipped.size()) + "</span> · nicht gezeigt <span class=\"hd\"" + qa + ">" +
             std::to_string(sec.hidden.size()) + "</span> (nicht in n)</p>\n";
        for (const Block& b : sec.blocks) render_block(h, b, sec.blocks, rs);
        h += "</section>\n";
    }
}

// The event tallies: per question, the counts summed per option over all events, then the
// events one by one. Nothing here is a respondent, so nothing here has an n.
void render_tallies(std::string& h, const Survey& s, const std::vector<const DecryptedTally*>& ts) {
    const std::string& L = s.original_language();
    long long total = 0;
    for (const DecryptedTally* t : ts)
        for (const TallyCount& c : t->tally.counts) total += c.count;
    h += "<div class=\"tally\">\n<h2>Strichlisten von Veranstaltungen</h2>\n<p class=\"note\">Gesammelte Zählungen "
         "(Klebepunkte, Handzeichen): " + std::to_string(ts.size()) + " Einträge, " + std::to_string(total) +
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
                 "</td><td class=\"label\">" + esc(r.label) + "</td><td class=\"cnt\">" + std::to_string(sum[r.key]) +
                 "</td></tr>\n";
        h += "</tbody></table>\n<table class=\"events\"><thead><tr><th>Veranstaltung</th><th>Ort</th><th>Datum</th>"
             "<th>Methode</th><th>Zählungen</th><th>Eintrag</th></tr></thead><tbody>\n";
        for (const DecryptedTally* t : mine) {
            std::string counts;
            for (const TallyCount& c : t->tally.counts)
                counts += (counts.empty() ? "" : ", ") + esc(c.option) + ": " + std::to_string(c.count);
            h += "<tr><td>" + esc(t->tally.event) + "</td><td>" + esc(t->tally.place) + "</td><td>" + esc(t->tally.date) +
                 "</td><td>" + esc(t->tally.method) + "</td><td>" + counts + "</td><td><small>" + esc(t->record_id) +
                 "</small></td></tr>\n";
        }
        h += "</tbody></table>\n</section>\n";
    }
    h += "</div>\n";
}

const char* kStyle = R"(body{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#111;background:#fff}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-top:1px solid #999;padding-top:.6rem}h3{font-size:1rem}
table{border-collapse:collapse;margin:.3rem 0}td,th{padding:.15rem .5rem;text-align:left;vertical-align:top}
td.cnt,td.pct,td.st{text-align:right;font-variant-numeric:tabular-nums}tr:nth-child(even){background:#f2f2f2}
svg rect{fill:#1d5fa8}.note,.meta{color:#444;font-size:.9rem}ol.texts li{margin:.2rem 0}ol.texts small{color:#666}
.filters{position:sticky;top:0;background:#fff;padding:.5rem 0;border-bottom:2px solid #1d5fa8}
.tally{border:2px dashed #a85f1d;padding:0 1rem;margin-top:2rem}.tally svg rect{fill:#a85f1d}
@media print{.filters{display:none}})";

// Counts again for the values chosen in the page; the same rules as the C++ above. Every
// number on the page follows the choice: the totals, each question's answered/skipped/hidden,
// each block's n, counts, %, bars, statistics and number of texts, the texts shown (and the
// rows of "andere" texts), and the responses of another survey. A fragment like #channel=paper&site=Stadtbibliothek&lang=de
// chooses on opening (a link to a filtered view); choosing in the page writes it back.
const char* kScript = R"JS((function(){
var D=JSON.parse(document.getElementById('tk-data').textContent);
var F=['f-channel','f-site','f-lang'].map(function(id){return document.getElementById(id);});
function pct(c,n){if(n<=0)return '0.0';var t=Math.floor((c*2000+n)/(2*n));return Math.floor(t/10)+'.'+(t%10);}
function f2(v){return v.toFixed(2);}
function all(sel){return Array.prototype.slice.call(document.querySelectorAll(sel));}
function q(s){return s.replace(/["\\]/g,'\\$&');}
function update(){
 var want=F.map(function(s){return s.value;}),on=D.r.map(function(r){
  for(var k=0;k<3;k++)if(want[k]!==''&&r[k]!==want[k])return false;return true;});
 var cnt=function(list){var c=0;list.forEach(function(i){if(on[i])c++;});return c;};
 Object.keys(D.q).forEach(function(code){var Q=D.q[code];
  all('[data-q="'+q(code)+'"]').forEach(function(el){
   el.textContent=el.className==='sk'?cnt(Q.s):el.className==='hd'?cnt(Q.h):cnt(Q.a);});});
 Object.keys(D.b).forEach(function(id){var B=D.b[id],n=cnt(B.base?D.b[B.base].n:B.n),by={},vals=[];
  var texts=0;
  B.e.forEach(function(p){if(!on[p[0]])return;by[p[1]]=(by[p[1]]||0)+1;texts++;
   if(B.k==='num'){var v=Number(p[1]);if(p[1]!==''&&!isNaN(v))vals.push(v);}});
  all('[data-b="'+q(id)+'"]').forEach(function(el){
   if(el.className==='n'){el.textContent='n = '+n;return;}
   if(el.className==='tx'){el.textContent='Texte: '+texts;return;}
   if(el.tagName==='TR'){var c=by[el.getAttribute('data-k')]||0;
    el.querySelector('.cnt').textContent=c;el.querySelector('.pct').textContent=pct(c,n);
    el.querySelector('rect').setAttribute('width',n>0?Math.min(200,200*c/n).toFixed(1):'0.0');
    if(B.g)el.style.display=c?'':'none';return;}
   if(el.hasAttribute('data-s')){vals.sort(function(a,b){return a-b;});var m=vals.length,s=el.getAttribute('data-s'),sum=0;
    vals.forEach(function(v){sum+=v;});
    el.textContent=s==='n'?m:m===0?'\u2013':s==='mean'?f2(sum/m):s==='min'?f2(vals[0]):s==='max'?f2(vals[m-1]):
     f2(m%2?vals[(m-1)/2]:(vals[m/2-1]+vals[m/2])/2);}});});
 all('li[data-i]').forEach(function(li){li.style.display=on[+li.getAttribute('data-i')]?'':'none';});
 var chosen=cnt(D.r.map(function(r,i){return i;}));
 document.getElementById('f-count').textContent=chosen;
 document.getElementById('total').textContent=chosen;
 var o=document.getElementById('other-survey');
 if(o){var c=cnt(D.o);o.textContent=c;o.parentNode.style.display=c?'':'none';}
}
function from_hash(){
 var h=location.hash.replace(/^#/,''),set=false;
 F.forEach(function(s){s.value='';});
 h.split('&').forEach(function(kv){var i=kv.indexOf('='),s=i>0?document.getElementById('f-'+kv.slice(0,i)):null,v;
  if(F.indexOf(s)<0)return;
  try{v=decodeURIComponent(kv.slice(i+1).replace(/\+/g,' '));}catch(e){return;}
  for(var j=0;j<s.options.length;j++)if(s.options[j].value===v){s.value=v;set=true;}});
 return set;
}
function to_hash(){
 var p=[];F.forEach(function(s){if(s.value!=='')p.push(s.id.slice(2)+'='+encodeURIComponent(s.value));});
 try{history.replaceState(null,'',p.length?'#'+p.join('&'):location.pathname+location.search);}catch(e){}
}
F.forEach(function(s){s.addEventListener('change',function(){update();to_hash();});});
window.addEventListener('hashchange',function(){from_hash();update();});
if(from_hash())update();
})();)JS";

} // namespace

std::string render_report(const Survey& s, const std::vector<DecryptedResponse>& responses, const ReportOptions& opt) {
    return render_report(s, responses, {}, opt);
}

std::string render_report(const Survey& s, const std::vector<DecryptedResponse>& responses,
                          const std::vector<DecryptedTally>& tallies, const ReportOptions& opt) {
    const std::string& L = s.original_language();
    // The command line's filters come first. Every response is an individual one and counts;
    // the tallies are another kind of record and never meet the responses' n.
    std::vector<const DecryptedResponse*> main;
    for (const DecryptedResponse& d : responses) {
        const Response& r = d.response;
        if ((!opt.channel.empty() && r.channel != opt.channel) || (!opt.site.empty() && r.site != opt.site) ||
            (!opt.language.empty() && r.language != opt.language))
            continue;
        main.push_back(&d);
    }
    std::vector<const DecryptedTally*> tally;
    for (const DecryptedTally& t : tallies)
        if ((opt.channel.empty() || opt.channel == kChannelTally) && opt.language.empty() &&
            (opt.site.empty() || t.tally.place == opt.site))
            tally.push_back(&t);
    auto indices = [](size_t n) {
        std::vector<int> v(n);
        for (size_t i = 0; i < n; i++) v[i] = int(i);
        return v;
    };
    std::vector<Section> secs;
    std::vector<int> all_main = indices(main.size());
    for (const Survey::QRef& ref : s.all_questions())
        if (ref.q->has_answer()) secs.push_back(build_section(s, *ref.q, main, all_main));

    // The data for the page's script.
    json data;
    json rs = json::array();
    std::set<std::string> channels, sites, langs;
    json other_survey = json::array(); // responses of another survey than s
    for (const DecryptedResponse* d : main) {
        rs.push_back({d->response.channel, d->response.site, d->response.language});
        channels.insert(d->response.channel);
        sites.insert(d->response.site);
        langs.insert(d->response.language);
        if (d->response.survey_id != s.id) other_survey.push_back(rs.size() - 1);
    }
    data["r"] = rs;
    data["o"] = other_survey;
    data["b"] = json::object();
    data["q"] = json::object();
    for (const Section& sec : secs) {
        json qa = json::array();
        for (int i : all_main) {
            auto it = main[size_t(i)]->response.answers.find(sec.q->code);
            if (it != main[size_t(i)]->response.answers.end()) qa.push_back(i);
        }
        data["q"][sec.q->code] = {{"s", sec.skipped}, {"h", sec.hidden}, {"a", qa}};
        for (const Block& b : sec.blocks) {
            json e = json::array();
            for (auto& [i, k] : b.entries) e.push_back({i, k});
            // The page's script reads "n" (counted) and "e" (entries).
            json jb = {{"n", b.counted}, {"e", e}, {"k", b.kind == Kind::Number ? "num" : b.kind == Kind::Text ? "text" : "count"}};
            if (!b.base.empty()) jb["base"] = b.base;
            if (b.grouped) jb["g"] = 1; // rows are texts: one nobody in the selection wrote is hidden
            data["b"][b.id] = jb;
        }
    }
    std::string djson = data.dump(-1, ' ', false, json::error_handler_t::replace);
    // '<' only occurs inside JSON strings; as \u003c no text can end or confuse the script element.
    for (size_t p = 0; (p = djson.find('<', p)) != std::string::npos; p += 6) djson.replace(p, 1, "\\u003c");

    std::string title = opt.title.empty() ? s.title.get(L, L) : opt.title;
    std::string h;
    h.reserve(64 * 1024);
    h += "<!DOCTYPE html>\n<html lang=\"" + esc(L) + "\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + esc(title) +
         "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n<h1>" + esc(title) + "</h1>\n";
    h += "<p>Fragebogen <code>" + esc(s.id) + "</code>, Version " + esc(s.version) + ", <code>" + esc(s.hash) + "</code>.<br>" +
         "Antworten: <strong id=\"total\">" + std::to_string(main.size()) + "</strong>";
    if (!tally.empty()) h += " · Strichlisten von Veranstaltungen (getrennt, nicht in n): " + std::to_string(tally.size());
    h += "</p>\n";
    if (!opt.channel.empty() || !opt.site.empty() || !opt.language.empty())
        h += "<p class=\"note\">Nur Antworten mit" + (opt.channel.empty() ? "" : " Kanal „" + esc(opt.channel) + "“") +
             (opt.site.empty() ? "" : " Ort „" + esc(opt.site) + "“") +
             (opt.language.empty() ? "" : " Sprache „" + esc(opt.language) + "“") + ".</p>\n";
    if (!other_survey.empty())
        h += "<p class=\"note\"><strong>Achtung:</strong> <span id=\"other-survey\">" + std::to_string(other_survey.size()) +
             "</span> Antworten gehören zu einem anderen Fragebogen als <code>" + esc(s.id) + "</code>.</p>\n";
    h += "<p class=\"note\">n = Antworten, in denen die Frage beantwortet wurde. Übersprungene und nicht gezeigte Fragen "
         "zählen nicht zu n; „keine Antwort“ ist eine Antwort und zählt dazu. Prozente: Anteil an n, auf eine "
         "Nachkommastelle gerundet.</p>\n";
    auto select = [&](const char* id, const char* label, const std::set<std::string>& values) {
        std::string o = "<label>" + std::string(label) + " <select id=\"" + id + "\"><option value=\"\">alle</option>";
        for (const std::string& v : values) o += "<option value=\"" + esc(v) + "\">" + esc(v.empty() ? "(ohne)" : v) + "</option>";
        return o + "</select></label>\n";
    };
    h += "<div class=\"filters\">" + select("f-channel", "Kanal", channels) + select("f-site", "Ort", sites) +
         select("f-lang", "Sprache", langs) + " Ausgewählt: <span id=\"f-count\">" + std::to_string(main.size()) +
         "</span></div>\n";
    render_sections(h, s, secs, main);
    if (!tally.empty()) render_tallies(h, s, tally);
    h += "<script type=\"application/json\" id=\"tk-data\">" + djson + "</script>\n<script>" + kScript +
         "</script>\n</body>\n</html>\n";
    return h;
}

} // namespace tk
