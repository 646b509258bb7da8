// report.cpp - the HTML results report (see report.h and sync/research/RESEARCH.md): the
// blocks (make_blocks, fill_blocks, build_section), the filters and render_report, which puts
// the page together (report_html.cpp draws the questions, report_crosstab.cpp the cross-tables).
//
// Every figure is computed from "blocks": one table of one question (a single-choice
// question is one block; a matrix has one per row, a ranking one per rank). A block knows
// which responses are in its n and what each contributed. The page is rendered from the
// blocks with all responses, and the same blocks go into the page as JSON so the inline script
// can count again for the filters chosen in the page - by the same rules.
#include "report.h"
#include "report_blocks.h"
#include "report_page.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

namespace tk {

using nlohmann::json;

namespace report_parts {

bool contains(const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

std::vector<BlockRow> option_rows(const std::vector<Option>& opts, const std::string& L) {
    std::vector<BlockRow> rows;
    for (const Option& o : opts) rows.push_back({o.code, o.code, o.text.get(L, L)});
    return rows;
}

static std::string trim(const std::string& t) {
    size_t a = t.find_first_not_of(" \t\r\n"), b = t.find_last_not_of(" \t\r\n");
    return a == std::string::npos ? std::string() : t.substr(a, b - a + 1);
}

// The blocks of question q, still empty: the tables its answers go into. A ranking has as many
// rank blocks as the longest answer among the responses `idx` needs.
static std::vector<Block> make_blocks(const Survey& s, const Question& q, const std::vector<const DecryptedResponse*>& rs,
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
        // A rating's ends carry their labels ("1 – gar nicht"): a bare 1 to 5 says nothing in print.
        if (q.type == QuestionType::Rating)
            for (BlockRow& r : rows) {
                const LocalText* end = r.key == std::to_string(q.scale_min)   ? &q.min_label
                                       : r.key == std::to_string(q.scale_max) ? &q.max_label
                                                                              : nullptr;
                if (end && !end->empty()) r.label += " – " + end->get(L, L);
            }
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
                B.back().grid = 1;
                B.back().row_label = rt;
                if (!q.options2.empty()) {
                    B.push_back(closed_block(q.code + "[" + r.code + "][2]", rt + " – " + q.scale_header2.get(L, L),
                                             option_rows(q.options2, L)));
                    add_ka(B.back());
                    B.back().grid = 2;
                    B.back().row_label = rt;
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
            // A ranked list's rank counts its texts by wording, as the "andere" texts are
            // counted, and lists them for coding.
            b.grouped = b.listed = q.type == QuestionType::RankedList;
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
static void fill_blocks(Section& sec, const std::vector<const DecryptedResponse*>& rs, const std::vector<int>& idx) {
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
            // Neither skipped nor hidden: a partial response ended before the question; in a
            // complete one the question was not in the version answered, so it was not shown.
            std::vector<int>& to = contains(r.skipped, q.code)     ? sec.skipped
                                   : contains(r.not_shown, q.code) ? sec.hidden
                                   : r.complete                    ? sec.hidden
                                                                   : sec.unreached;
            to.push_back(i);
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
            if (a.no_answer) b.ka.push_back(i);
            break;
        }
        case QuestionType::Ranking:
        case QuestionType::RankedList:
            for (size_t k = 0; k < a.values.size(); k++)
                if (Block* b = block(q.code + "[" + std::to_string(k + 1) + "]")) {
                    b->counted.push_back(i);
                    b->entries.push_back({i, q.type == QuestionType::RankedList ? trim(a.values[k]) : a.values[k]});
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
                    b.counted.push_back(i);
                    if (b.kind == Kind::Count) b.entries.push_back({i, kNoAnswerCode});
                    else b.ka.push_back(i);
                    continue;
                }
                auto c = a.cells.find(part);
                // A row's "keine Antwort" answers the row's second scale, too (as in the CSV).
                if (c == a.cells.end() && second) {
                    auto row = a.cells.find(part.substr(0, part.size() - 2));
                    if (row != a.cells.end() && row->second == kNoAnswerCode) c = row;
                }
                if (c == a.cells.end() || c->second.empty()) continue;
                b.counted.push_back(i);
                b.entries.push_back({i, c->second});
            }
        }
    }
}

// Codes in the data that the survey does not have (an older survey version, a typing
// error on a paper form) get rows of their own instead of vanishing.
static void add_unknown_rows(std::vector<Block>& B) {
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

} // namespace report_parts

using namespace report_parts;

bool report_filtered(const ReportOptions& opt) {
    return !opt.channel.empty() || !opt.site.empty() || !opt.language.empty() || !opt.event.empty() || !opt.status.empty();
}

bool report_keeps(const Response& r, const ReportOptions& opt) {
    return (opt.channel.empty() || r.channel == opt.channel) && (opt.site.empty() || r.site == opt.site) &&
           (opt.language.empty() || r.language == opt.language) && (opt.event.empty() || r.event == opt.event) &&
           (opt.status.empty() || opt.status == (r.complete ? "complete" : "partial"));
}

std::string render_report(const Survey& s, const std::vector<DecryptedResponse>& responses, const ReportOptions& opt) {
    return render_report(s, responses, {}, opt);
}

std::string render_report(const Survey& s, const std::vector<DecryptedResponse>& responses,
                          const std::vector<DecryptedTally>& tallies, const ReportOptions& opt) {
    const std::string& L = s.original_language();
    // The command line's filters come first. Every response is an individual one and counts;
    // the tallies are another kind of record and never meet the responses' n.
    std::vector<const DecryptedResponse*> main;
    for (const DecryptedResponse& d : responses)
        if (report_keeps(d.response, opt)) main.push_back(&d);
    // A void record takes its tally out of every count, whatever the filters (a void record has
    // no event of its own): the voided ones are listed apart, with the record that voided them.
    std::map<std::string, const DecryptedTally*> void_of;
    for (const DecryptedTally& t : tallies)
        if (t.tally.is_void() && !void_of.count(t.tally.voids)) void_of[t.tally.voids] = &t;
    std::vector<const DecryptedTally*> tally;
    std::vector<std::pair<const DecryptedTally*, const DecryptedTally*>> voided; // tally, its void record
    std::set<std::string> voided_ids;
    for (const DecryptedTally& t : tallies) {
        if (t.tally.is_void()) continue;
        if (!((opt.channel.empty() || opt.channel == kChannelTally) && opt.language.empty() && opt.status.empty() &&
              (opt.site.empty() || t.tally.place == opt.site) && (opt.event.empty() || t.tally.event == opt.event)))
            continue;
        auto v = void_of.find(t.record_id);
        if (v == void_of.end()) tally.push_back(&t);
        else if (voided_ids.insert(t.record_id).second) voided.push_back({&t, v->second});
    }
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
    std::set<std::string> channels, sites, langs, events, statuses;
    json other_survey = json::array(); // responses of another survey than s
    for (const DecryptedResponse* d : main) {
        // In the order of the page's selects (kReportScript's F).
        const char* status = d->response.complete ? "complete" : "partial";
        rs.push_back({d->response.channel, d->response.site, d->response.language, d->response.event, status});
        channels.insert(d->response.channel);
        sites.insert(d->response.site);
        langs.insert(d->response.language);
        events.insert(d->response.event);
        statuses.insert(status);
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
        data["q"][sec.q->code] = {{"s", sec.skipped}, {"h", sec.hidden}, {"r", sec.unreached}, {"a", qa}};
        for (const Block& b : sec.blocks) {
            json e = json::array();
            for (auto& [i, k] : b.entries) e.push_back({i, k});
            // The page's script reads "n" (counted) and "e" (entries).
            json jb = {{"n", b.counted}, {"e", e}, {"k", b.kind == Kind::Number ? "num" : b.kind == Kind::Text ? "text" : "count"}};
            if (!b.base.empty()) jb["base"] = b.base;
            if (b.grouped) jb["g"] = 1; // rows are texts: one nobody in the selection wrote is hidden
            if (b.kind == Kind::Text) jb["ka"] = b.ka;
            data["b"][b.id] = jb;
        }
    }
    std::string crosstabs;
    std::vector<std::vector<std::string>> sample; // channel, site, language, event, status per response
    for (const json& r : rs) sample.push_back(r.get<std::vector<std::string>>());
    // --by SIDE: the cross-table of every closed question (and matrix row) with that side, after
    // the ones asked for; the same tables, so the page's filter recounts them too.
    ReportOptions with_by = opt;
    for (const std::string& side : opt.by)
        for (const Section& sec : secs)
            for (const Block& b : sec.blocks)
                if (b.kind == Kind::Count && !b.grouped && !b.multi && report_crosstab_problem(s, b.id).empty())
                    with_by.crosstabs.push_back({b.id, side});
    render_crosstabs(crosstabs, s, secs, sample, with_by, data);
    std::string djson = data.dump(-1, ' ', false, json::error_handler_t::replace);
    // '<' only occurs inside JSON strings; as \u003c no text can end or confuse the script element.
    for (size_t p = 0; (p = djson.find('<', p)) != std::string::npos; p += 6) djson.replace(p, 1, "\\u003c");

    std::string title = opt.title.empty() ? s.title.get(L, L) : opt.title;
    std::string h;
    h.reserve(64 * 1024);
    h += "<!DOCTYPE html>\n<html lang=\"" + esc(L) + "\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + esc(title) +
         "</title>\n<style>" + kReportStyle + "</style>\n</head>\n<body>\n<h1>" + esc(title) + "</h1>\n";
    h += "<p>Fragebogen <code>" + esc(s.id) + "</code>, Version " + esc(s.version) + ", <code>" + esc(s.hash) + "</code>.<br>" +
         "Antworten: <strong id=\"total\">" + german_count((long long)main.size()) + "</strong>";
    if (!tally.empty()) h += " · Strichlisten von Veranstaltungen (getrennt, nicht in n): " + german_count((long long)tally.size());
    if (!voided.empty()) h += " · für ungültig erklärt (nicht gezählt): " + german_count((long long)voided.size());
    h += "</p>\n";
    if (report_filtered(opt))
        h += "<p class=\"note\">Nur Antworten mit" + (opt.channel.empty() ? "" : " Kanal „" + esc(channel_name(opt.channel)) + "“") +
             (opt.site.empty() ? "" : " Ort „" + esc(opt.site) + "“") +
             (opt.language.empty() ? "" : " Sprache „" + esc(opt.language) + "“") +
             (opt.event.empty() ? "" : " Veranstaltung „" + esc(opt.event) + "“") +
             (opt.status.empty() ? "" : opt.status == "complete" ? " (nur vollständige)" : " (nur abgebrochene)") + ".</p>\n";
    if (!other_survey.empty())
        h += "<p class=\"note\"><strong>Achtung:</strong> <span id=\"other-survey\">" + german_count((long long)other_survey.size()) +
             "</span> Antworten gehören zu einem anderen Fragebogen als <code>" + esc(s.id) + "</code>.</p>\n";
    h += "<p class=\"note\">n = Antworten, in denen die Frage beantwortet wurde. Übersprungene, nicht gezeigte (durch "
         "eine Bedingung ausgeblendete) und nicht erreichte (die Antwort endete vorher) Fragen zählen nicht zu n; „keine "
         "Antwort“ ist eine Antwort und zählt dazu. Prozente: Anteil an n, auf eine Nachkommastelle gerundet; daneben "
         "das 95-%-Konfidenzintervall nach Wilson.</p>\n";
    // The values stay the data's codes (the URL fragment names them); the reader sees German.
    auto select = [&](const char* id, const char* label, const std::set<std::string>& values,
                      std::string (*shown)(const std::string&)) {
        std::string o = "<label>" + std::string(label) + " <select id=\"" + id + "\"><option value=\"\">alle</option>";
        for (const std::string& v : values)
            o += "<option value=\"" + esc(v) + "\">" + esc(v.empty() ? "(ohne)" : shown(v)) + "</option>";
        return o + "</select></label>\n";
    };
    auto as_is = [](const std::string& v) { return v; };
    h += "<div class=\"filters\">" + select("f-channel", "Kanal", channels, channel_name) + select("f-site", "Ort", sites, as_is) +
         select("f-lang", "Sprache", langs, as_is) + select("f-event", "Veranstaltung", events, as_is) +
         select("f-status", "Status", statuses, status_name) + " Ausgewählt: <span id=\"f-count\">" +
         german_count((long long)main.size()) + "</span></div>\n";
    // On paper the selects are hidden: the script writes the page's choice here instead.
    h += "<p class=\"note print-only\" id=\"f-print\"></p>\n";
    render_composition(h, sample);
    h += crosstabs;
    render_sections(h, s, secs, main);
    if (!tally.empty()) render_tallies(h, s, tally);
    if (!voided.empty()) render_voided_tallies(h, s, voided);
    h += "<script type=\"application/json\" id=\"tk-data\">" + djson + "</script>\n<script>" + kReportScript +
         "</script>\n</body>\n</html>\n";
    return h;
}

} // namespace tk
