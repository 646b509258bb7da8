// delphi_report.cpp - the analysis of a Delphi study as one HTML page and as a CSV table
// (delphi_analysis.h). The page is German like the research report's (sync/research), needs
// no script and nothing from outside, and escapes every text that comes from a survey.
//
// Index
//   text             esc (HTML), csv_field, numbers as a German reader writes them
//   page parts       participation, one round's items, the expertise rule, stability and the
//                    repeated-items rule, attrition, notes
//   render_delphi_report, delphi_items_csv
#include "delphi_analysis.h"
#include "text.h"

#include <cmath>
#include <cstdio>

namespace tk::delphi {

// --- text ------------------------------------------------------------------------------------
static std::string esc(const std::string& s) { return html_entities(s); }

static std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string o = "\"";
    for (char c : s) o += c == '"' ? std::string("\"\"") : std::string(1, c);
    return o + "\"";
}

// v with d decimals, half away from zero; "." as separator (CSV).
static std::string fixed(double v, int d) {
    char buf[48];
    double sc = std::pow(10.0, d);
    double r = std::floor(std::fabs(v) * sc + 0.5 + 1e-9) / sc;
    std::snprintf(buf, sizeof buf, "%.*f", d, v < 0 && r != 0 ? -r : r);
    return buf;
}
// The same with a decimal comma (the page).
static std::string de(double v, int d) {
    std::string s = fixed(v, d);
    for (char& c : s)
        if (c == '.') c = ',';
    return s;
}
static std::string de_text(std::string s) {
    for (char& c : s)
        if (c == '.') c = ',';
    return s;
}
static std::string signed_number(double v, int d) { return (std::fabs(v) >= 0.5 * std::pow(10.0, -d) && v > 0 ? "+" : "") + de(v, d); }
static std::string signed_points(double v) { return signed_number(v, 1); }

static std::string option_text(const RoundItem* it, const std::string& code) {
    if (it)
        for (const auto& [c, t] : it->scale)
            if (c == code) return t;
    return "";
}

static const char* const kStyle =
    "body{font-family:system-ui,sans-serif;max-width:64rem;margin:1rem auto;padding:0 1rem;color:#111;background:#fff}"
    "h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-top:1px solid #999;padding-top:.6rem}"
    "table{border-collapse:collapse;margin:.3rem 0}td,th{padding:.15rem .5rem;text-align:left;vertical-align:top}"
    "td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}tr:nth-child(even){background:#f2f2f2}"
    ".note,.meta{color:#444;font-size:.9rem}.flag{font-weight:bold;color:#8a1c1c}.wide{overflow-x:auto}"
    "@media print{body{max-width:none;margin:0;font-size:10pt}tr{break-inside:avoid}.wide{overflow:visible}"
    "tr:nth-child(even){background:none}td,th{border-bottom:1px solid #bbb}}";

// "ja", marked, or "nein": the last column of the expertise and stability tables.
static std::string flag_cell(bool flagged) { return flagged ? "<td class=\"flag\">ja</td>" : "<td>nein</td>"; }
static std::string td(const std::string& text) { return "<td>" + esc(text) + "</td>"; }
static std::string tdn(const std::string& text) { return "<td class=\"num\">" + esc(text) + "</td>"; }

static std::string distribution_text(const ItemStats& s) {
    std::string o;
    for (const auto& [code, k] : s.distribution) o += (o.empty() ? "" : " ") + code + ":" + std::to_string(k);
    return o;
}
static std::string choice_text(const ChoiceStats& s) {
    std::string o;
    for (const auto& [code, k] : s.counts) o += (o.empty() ? "" : " ") + code + ":" + std::to_string(k);
    return o;
}

// --- page parts -------------------------------------------------------------------------------
static void participation(std::string& h, const DelphiAnalysis& a) {
    h += "<h2 id=\"teilnahme\">Teilnahme</h2>\n<table class=\"participation\"><tr><th>Runde</th><th>Fragebogen</th>"
         "<th>n</th><th>mit Teilnahmecode</th></tr>\n";
    for (const RoundAnalysis* r : {&a.round1, &a.round2})
        h += "<tr>" + tdn(std::to_string(r->round)) + td(r->survey_id + " " + r->survey_version) + tdn(std::to_string(r->n)) +
             tdn(std::to_string(r->with_pseudonym)) + "</tr>\n";
    h += "</table>\n";
    int base = a.returned + a.left;
    h += "<table class=\"attrition-summary\"><tr><th>Teilnehmende der Runde 1 (mit Code)</th>" + tdn(std::to_string(base)) +
         "</tr>\n<tr><th>davon in Runde 2 wieder dabei</th>" + tdn(std::to_string(a.returned)) + tdn(share_text(a.returned, base) + " %") +
         "</tr>\n<tr><th>nicht wieder dabei</th>" + tdn(std::to_string(a.left)) + tdn(share_text(a.left, base) + " %") +
         "</tr>\n<tr><th>neu in Runde 2</th>" + tdn(std::to_string(a.new_in_round2)) + "</tr>\n</table>\n";
}

static void round_items(std::string& h, const RoundAnalysis& r) {
    std::string id = "runde" + std::to_string(r.round);
    h += "<h2 id=\"" + id + "\">Runde " + std::to_string(r.round) + ": Ergebnisse je Item (n = " + std::to_string(r.n) +
         ")</h2>\n<p class=\"meta\">Konsensregel: " + esc(r.rule_text) +
         ". n je Item: Antworten in einer Kategorie (&bdquo;keine Antwort&ldquo; und übersprungen zählen nicht).</p>\n";
    h += "<div class=\"wide\"><table class=\"items\" id=\"" + id + "-items\"><tr><th>Item</th><th>Frage</th><th>n</th>"
         "<th>Verteilung (Code: Anzahl)</th><th>Median</th><th>Q1–Q3</th><th>IQR</th><th>Mittel</th><th>Konsens</th></tr>\n";
    for (const RoundItem& it : r.items) {
        if (it.choice) continue;
        h += "<tr data-item=\"" + esc(it.key) + "\">" + td(it.key) + td(it.label);
        if (!it.problem.empty()) {
            h += "<td colspan=\"7\">" + esc(it.problem) + "</td></tr>\n";
            continue;
        }
        const ItemStats& s = it.stats;
        h += tdn(std::to_string(s.n)) + td(distribution_text(s));
        if (s.ordinal && s.n > 0)
            h += tdn(de(s.median, 2)) + tdn(de(s.q1, 2) + "–" + de(s.q3, 2)) + tdn(de(s.iqr, 2)) + tdn(de(s.mean, 2));
        else
            h += tdn("–") + tdn("–") + tdn("–") + tdn("–");
        h += std::string("<td>") + (s.consensus ? "ja" : "nein") + " <small>" + esc(s.consensus_detail) + "</small></td></tr>\n";
    }
    h += "</table></div>\n";
    for (const RoundItem& it : r.items) {
        if (!it.choice) continue;
        h += "<h3>" + esc(it.key) + " (Mehrfachauswahl): " + esc(it.label) + "</h3>\n<table class=\"choice\" data-item=\"" +
             esc(it.key) + "\"><tr><th>Code</th><th>Option</th><th>gewählt</th><th>Anteil an n = " + std::to_string(it.choices.n) +
             "</th></tr>\n";
        for (const auto& [code, k] : it.choices.counts)
            h += "<tr>" + td(code) + td(option_text(&it, code)) + tdn(std::to_string(k)) +
                 tdn(de_text(share_text(k, it.choices.n)) + " %") + "</tr>\n";
        if (it.choices.other)
            h += "<tr>" + td("-oth-") + td("andere") + tdn(std::to_string(it.choices.other)) +
                 tdn(de_text(share_text(it.choices.other, it.choices.n)) + " %") + "</tr>\n";
        h += "</table>\n";
    }
}

static void expertise(std::string& h, const RoundAnalysis& r) {
    bool any = false;
    for (const RoundItem& it : r.items) any = any || it.expertise.applies;
    if (!any) return;
    h += "<h2 id=\"expertise\">Expertise-Regel (Runde " + std::to_string(r.round) +
         ")</h2>\n<p class=\"meta\">Mittelwert aller gegen den Mittelwert derer, die sich in einer der Stufen der "
         "Expertise eingeordnet haben, die als Expertise zählen; markiert, wenn sie um mehr als 5 % des Mittelwerts aller "
         "abweichen (Mehrfachauswahl: der Anteil einer Option um mehr als 5 Prozentpunkte).</p>\n"
         "<table class=\"expertise\"><tr><th>Item</th><th>Expertise-Frage</th><th>n alle</th><th>Mittel alle</th>"
         "<th>n Expert*innen</th><th>Mittel Expert*innen</th><th>Abweichung</th><th>markiert</th></tr>\n";
    for (const RoundItem& it : r.items) {
        const ExpertiseCheck& e = it.expertise;
        if (!e.applies) continue;
        h += "<tr data-item=\"" + esc(it.key) + "\">" + td(it.key) + td(e.expertise) + tdn(std::to_string(e.n_all));
        if (it.choice) {
            h += tdn("–") + tdn(std::to_string(e.n_expert)) + tdn("–") +
                 tdn(e.n_expert ? de(e.deviation, 1) + " Pkt. (Option " + e.deviation_where + ")" : "–");
        } else {
            h += tdn(de(e.mean_all, 2)) + tdn(std::to_string(e.n_expert)) + tdn(e.n_expert ? de(e.mean_expert, 2) : "–") +
                 tdn(e.n_expert ? de(e.deviation, 1) + " %" : "–");
        }
        h += flag_cell(e.flagged) + "</tr>\n";
    }
    h += "</table>\n";
}

static void stability(std::string& h, const DelphiAnalysis& a) {
    h += "<h2 id=\"stabilitaet\">Stabilität und wiederholte Items</h2>\n<p class=\"meta\">Gepaart: Teilnehmende mit einer "
         "Antwort in beiden Runden. Verschiebung: die halbe Summe der Änderungen der Anteile je Kategorie unter den "
         "Gepaarten, in Prozentpunkten. Wilcoxon-Vorzeichen-Rang-Test (Runde 2 − Runde 1), zweiseitig. "
         "Aktualisiert: Runde 1, bei den Teilnehmenden der Runde 2 mit deren Antwort der Runde 2 (Regel der Studie); "
         "markiert, wenn sich ein Anteil um mehr als 5 Prozentpunkte ändert.</p>\n"
         "<div class=\"wide\"><table class=\"stability\"><tr><th>Item Runde 1</th><th>Item Runde 2</th><th>gepaart</th>"
         "<th>geändert</th><th>Verschiebung</th><th>Wilcoxon</th><th>oben: Runde 1 → aktualisiert</th>"
         "<th>unten: Runde 1 → aktualisiert</th><th>aktualisiert (n, Verteilung)</th><th>größte Änderung</th>"
         "<th>markiert</th></tr>\n";
    for (const ItemChange& c : a.changes) {
        h += "<tr data-item=\"" + esc(c.key2) + "\">" + td(c.key1) + td(c.key2);
        if (!c.problem.empty()) {
            h += "<td colspan=\"9\">" + esc(c.problem) + "</td></tr>\n";
            continue;
        }
        h += tdn(std::to_string(c.paired)) +
             tdn(std::to_string(c.changed) + " (" + de_text(share_text(c.changed, c.paired)) + " %)") +
             tdn(de(c.shift, 1) + " Pkt.");
        const WilcoxonResult& w = c.wilcoxon;
        if (c.choice || c.paired == 0)
            h += tdn("–");
        else if (w.nonzero == 0)
            h += tdn("keine Änderung");
        else
            h += tdn("W+ = " + de(w.w_plus, 1) + ", W− = " + de(w.w_minus, 1) + ", n = " + std::to_string(w.nonzero) +
                     ", p = " + de(w.p, 3) + (w.exact ? " (exakt)" : " (Normalapprox., z = " + de(w.z, 2) + ")"));
        if (c.choice) {
            h += tdn("–") + tdn("–") + td("n = " + std::to_string(c.updated_choices.n) + "; " + choice_text(c.updated_choices));
        } else {
            h += tdn(de_text(share_text(c.upper1_count, c.n1)) + " % → " +
                     de_text(share_text(c.upper_updated_count, c.updated.n)) + " %") +
                 tdn(de_text(share_text(c.lower1_count, c.n1)) + " % → " +
                     de_text(share_text(c.lower_updated_count, c.updated.n)) + " %") +
                 td("n = " + std::to_string(c.updated.n) + "; " + distribution_text(c.updated));
        }
        std::string where = c.largest_where == "upper" ? "oben" : c.largest_where == "lower" ? "unten" : "Kategorie " + c.largest_where;
        h += tdn(signed_points(c.largest_change) + " Pkt. (" + where + ")");
        h += flag_cell(c.flagged) + "</tr>\n";
    }
    h += "</table></div>\n";
}

static void attrition(std::string& h, const DelphiAnalysis& a) {
    h += "<h2 id=\"schwund\">Schwund: unterschieden sich die Ausgeschiedenen in Runde 1?</h2>\n"
         "<p class=\"meta\">Antworten der Runde 1 derer, die in Runde 2 wieder dabei waren, und derer, die es "
         "nicht waren; Wilcoxon-Mann-Whitney-Rangsummentest (U der Ausgeschiedenen), zweiseitig.</p>\n"
         "<table class=\"attrition\"><tr><th>Item Runde 1</th><th>n geblieben</th><th>Median</th><th>Mittel</th>"
         "<th>n ausgeschieden</th><th>Median</th><th>Mittel</th><th>Differenz der Mittel (ausgeschieden − geblieben)</th>"
         "<th>Rangsummentest</th></tr>\n";
    for (const AttritionItem& t : a.attrition) {
        h += "<tr data-item=\"" + esc(t.key) + "\">" + td(t.key) + tdn(std::to_string(t.n_stayed));
        h += t.n_stayed ? tdn(de(t.median_stayed, 2)) + tdn(de(t.mean_stayed, 2)) : tdn("–") + tdn("–");
        h += tdn(std::to_string(t.n_left));
        h += t.n_left ? tdn(de(t.median_left, 2)) + tdn(de(t.mean_left, 2)) : tdn("–") + tdn("–");
        h += t.n_left && t.n_stayed ? tdn(signed_number(t.mean_left - t.mean_stayed, 2)) : tdn("–");
        h += t.n_left && t.n_stayed ? tdn("U = " + de(t.test.u, 1) + ", p = " + de(t.test.p, 3) +
                                          (t.test.exact ? " (exakt)" : " (Normalapprox., z = " + de(t.test.z, 2) + ")"))
                                    : tdn("–");
        h += "</tr>\n";
    }
    h += "</table>\n";
}

std::string render_delphi_report(const DelphiAnalysis& a, const std::string& title) {
    std::string h = "<!DOCTYPE html>\n<html lang=\"de\"><head><meta charset=\"utf-8\">"
                    "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>" +
                    esc(title) + "</title><style>" + kStyle + "</style></head><body>\n<h1>" + esc(title) + "</h1>\n";
    participation(h, a);
    round_items(h, a.round1);
    expertise(h, a.round1);
    round_items(h, a.round2);
    expertise(h, a.round2);
    stability(h, a);
    attrition(h, a);
    if (!a.notes.empty()) {
        h += "<h2 id=\"hinweise\">Hinweise</h2>\n<ul class=\"notes\">\n";
        for (const std::string& n : a.notes) h += "<li>" + esc(n) + "</li>\n";
        h += "</ul>\n";
    }
    h += "</body></html>\n";
    return h;
}

// --- CSV ------------------------------------------------------------------------------------------
std::string delphi_items_csv(const DelphiAnalysis& a) {
    std::string o = "round,survey,item,repeats,label,kind,n,distribution,median,q1,q3,iqr,mean,sd,consensus,"
                    "consensus_detail,expertise_item,n_expert,mean_all,mean_expert,expertise_deviation,expertise_flag,"
                    "paired,changed,shift_points,wilcoxon_w_plus,wilcoxon_w_minus,wilcoxon_n,wilcoxon_p,wilcoxon_exact,"
                    "updated_n,updated_distribution,upper_round1_pct,upper_updated_pct,lower_round1_pct,"
                    "lower_updated_pct,largest_change_points,largest_change_where,change_flag,stayed_n,stayed_mean,left_n,"
                    "left_mean,rank_sum_u,rank_sum_p,rank_sum_exact\r\n";
    for (const RoundAnalysis* r : {&a.round1, &a.round2})
        for (const RoundItem& it : r->items) {
            std::vector<std::string> f = {std::to_string(r->round), r->survey_id, it.key, it.repeats, it.label,
                                          it.choice ? "multiple" : (it.stats.ordinal ? "ordinal" : "categorical")};
            bool num = !it.choice && it.stats.ordinal && it.stats.n > 0;
            f.push_back(std::to_string(it.choice ? it.choices.n : it.stats.n));
            f.push_back(it.choice ? choice_text(it.choices) : distribution_text(it.stats));
            for (double v : {it.stats.median, it.stats.q1, it.stats.q3, it.stats.iqr, it.stats.mean, it.stats.sd})
                f.push_back(num ? fixed(v, 4) : "");
            f.push_back(it.choice ? "" : (it.stats.consensus ? "yes" : "no"));
            f.push_back(it.choice ? "" : it.stats.consensus_detail);
            const ExpertiseCheck& e = it.expertise;
            f.push_back(e.expertise);
            f.push_back(e.applies ? std::to_string(e.n_expert) : "");
            f.push_back(e.applies && !it.choice ? fixed(e.mean_all, 4) : "");
            f.push_back(e.applies && !it.choice && e.n_expert ? fixed(e.mean_expert, 4) : "");
            f.push_back(e.applies && e.n_expert ? fixed(e.deviation, 2) : "");
            f.push_back(e.applies ? (e.flagged ? "yes" : "no") : "");
            const ItemChange* c = nullptr;
            if (r->round == 2)
                for (const ItemChange& x : a.changes)
                    if (x.key2 == it.key && x.problem.empty()) c = &x;
            if (c) {
                const WilcoxonResult& w = c->wilcoxon;
                bool wt = !c->choice && w.nonzero > 0;
                f.insert(f.end(), {std::to_string(c->paired), std::to_string(c->changed), fixed(c->shift, 2),
                                   wt ? fixed(w.w_plus, 1) : "", wt ? fixed(w.w_minus, 1) : "",
                                   wt ? std::to_string(w.nonzero) : "", wt ? fixed(w.p, 6) : "",
                                   wt ? (w.exact ? "yes" : "no") : "",
                                   std::to_string(c->choice ? c->updated_choices.n : c->updated.n),
                                   c->choice ? choice_text(c->updated_choices) : distribution_text(c->updated),
                                   c->choice ? "" : fixed(c->upper1, 2), c->choice ? "" : fixed(c->upper_updated, 2),
                                   c->choice ? "" : fixed(c->lower1, 2), c->choice ? "" : fixed(c->lower_updated, 2),
                                   fixed(c->largest_change, 2), c->largest_where, c->flagged ? "yes" : "no"});
            } else {
                f.resize(f.size() + 17);
            }
            const AttritionItem* t = nullptr;
            if (r->round == 1)
                for (const AttritionItem& x : a.attrition)
                    if (x.key == it.key) t = &x;
            if (t) {
                bool both = t->n_stayed && t->n_left;
                f.insert(f.end(), {std::to_string(t->n_stayed), t->n_stayed ? fixed(t->mean_stayed, 4) : "",
                                   std::to_string(t->n_left), t->n_left ? fixed(t->mean_left, 4) : "",
                                   both ? fixed(t->test.u, 1) : "", both ? fixed(t->test.p, 6) : "",
                                   both ? (t->test.exact ? "yes" : "no") : ""});
            } else {
                f.resize(f.size() + 7);
            }
            std::string line;
            for (size_t i = 0; i < f.size(); i++) line += (i ? "," : "") + csv_field(f[i]);
            o += line + "\r\n";
        }
    return o;
}

} // namespace tk::delphi
