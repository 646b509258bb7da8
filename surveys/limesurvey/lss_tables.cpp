// lss_tables.cpp - pass 1 of the LimeSurvey import: the .lss file's tables into plain structs.
//
// The .lss file is a dump of LimeSurvey's tables: every section (<groups>, <questions>,
// <answers>, ...) holds <rows><row> with one child element per column. We read columns by
// element name (never by position: files from LimeSurvey 6 do not keep the <fields>
// order), and an absent element is NULL, which is not the same as an empty one.
//   table helpers    node_text, read_table, col, val, trim, to_int, to_number, iso_date
//   Importer::read   layout, languages, groups, questions, answers, attributes, survey texts
#include <algorithm>
#include <cstdlib>

#include "lss_import_internal.h"
#include "response.h"
#include "text.h"

namespace tk::lss {

// All character data of an element (LimeSurvey splits CDATA containing "]]>").
std::string node_text(pugi::xml_node n) {
    std::string s;
    for (pugi::xml_node c : n.children())
        if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) s += c.value();
    return s;
}

LsTable read_table(pugi::xml_node doc, const char* name) {
    LsTable t;
    pugi::xml_node sec = doc.child(name);
    if (!sec) return t;
    t.present = true;
    for (pugi::xml_node f : sec.child("fields").children("fieldname")) t.fields.push_back(node_text(f));
    for (pugi::xml_node r : sec.child("rows").children("row")) {
        LsRow row;
        for (pugi::xml_node c : r.children())
            if (c.type() == pugi::node_element) row[c.name()] = node_text(c);
        t.rows.push_back(std::move(row));
    }
    return t;
}

const std::string* col(const LsRow& r, const char* name) {
    auto it = r.find(name);
    return it == r.end() ? nullptr : &it->second;
}

std::string val(const LsRow& r, const char* name) {
    const std::string* v = col(r, name);
    return v ? *v : std::string();
}

std::string trim(const std::string& s) {
    size_t a = s.find_first_not_of(" \t\r\n");
    if (a == std::string::npos) return "";
    size_t b = s.find_last_not_of(" \t\r\n");
    return s.substr(a, b - a + 1);
}

int to_int(const std::string& s, int fallback) {
    std::string t = trim(s);
    if (t.empty()) return fallback;
    char* end = nullptr;
    long v = std::strtol(t.c_str(), &end, 10);
    if (!end || *end != 0) return fallback;
    if (v > 1000000000L) v = 1000000000L;
    if (v < -1000000000L) v = -1000000000L;
    return int(v);
}

std::optional<double> to_number(const std::string& s) {
    std::string t = trim(s);
    if (t.empty()) return std::nullopt;
    size_t i = 0;
    if (t[i] == '-' || t[i] == '+') i++;
    bool digits = false, dot = false;
    for (; i < t.size(); i++) {
        if (t[i] >= '0' && t[i] <= '9') digits = true;
        else if (t[i] == '.' && !dot) dot = true;
        else return std::nullopt;
    }
    if (!digits) return std::nullopt;
    return std::strtod(t.c_str(), nullptr);
}

// "YYYY-MM-DD" that exists in the calendar (LimeSurvey also allows "now" and expressions).
bool iso_date(const std::string& v) { return parse_iso_date(v, nullptr); }

// The attribute value for `lang`, else the language-neutral one, else "".
std::string attr(const LsQuestion& q, const char* name, const std::string& lang) {
    auto it = q.attrs.find(name);
    if (it == q.attrs.end()) return "";
    const auto& m = it->second.by_lang;
    if (!lang.empty()) {
        auto l = m.find(lang);
        if (l != m.end()) return l->second;
    }
    auto any = m.find("");
    if (any != m.end()) return any->second;
    return m.empty() ? "" : m.begin()->second;
}

void merge_text(LocalText& t, const std::string& lang, const std::string* v) {
    if (v && !t.has(lang)) t.by_lang[lang] = *v;
}

bool Importer::read(const std::string& xml) {
    pugi::xml_document doc;
    pugi::xml_parse_result pr = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!pr) {
        size_t off = std::min<size_t>(size_t(pr.offset), xml.size());
        int line = 1 + int(std::count(xml.begin(), xml.begin() + long(off), '\n'));
        std::string what = pr.description();
        // A cut-off file fails at (or right before) its end; anything earlier is damage.
        size_t first = xml.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
        if (first == std::string::npos) what = "the file is empty";
        else if (xml[first] != '<') what = "this is not XML";
        else if (off + 16 >= xml.size()) what += " at the end of the file (is the file truncated?)";
        return fail("line " + std::to_string(line) + ": not a readable XML file: " + what);
    }
    pugi::xml_node root = doc.child("document");
    if (!root) return fail("unknown layout: the root element is not <document>, so this is not a LimeSurvey .lss file");
    std::string doctype = trim(node_text(root.child("LimeSurveyDocType")));
    if (!doctype.empty() && doctype != "Survey")
        return fail("unknown layout: this is a LimeSurvey '" + doctype + "' file, not a survey structure (.lss)");
    ctx.warnings = &result.warnings;

    LsTable surveys = read_table(root, "surveys");
    LsTable groups_t = read_table(root, "groups");
    LsTable group_l10n = read_table(root, "group_l10ns");
    LsTable questions_t = read_table(root, "questions");
    LsTable subq_t = read_table(root, "subquestions");
    LsTable question_l10n = read_table(root, "question_l10ns");
    LsTable answers_t = read_table(root, "answers");
    LsTable answer_l10n = read_table(root, "answer_l10ns");
    LsTable attrs_t = read_table(root, "question_attributes");
    LsTable conds_t = read_table(root, "conditions");
    LsTable langset = read_table(root, "surveys_languagesettings");
    LsTable defaults_t = read_table(root, "defaultvalues");
    LsTable default_l10n = read_table(root, "defaultvalue_l10ns");

    if (!groups_t.present || !questions_t.present)
        return fail("unknown layout: no <groups> or no <questions> section");
    auto has_field = [](const LsTable& t, const char* name) {
        if (std::find(t.fields.begin(), t.fields.end(), name) != t.fields.end()) return true;
        for (const LsRow& r : t.rows)
            if (col(r, name)) return true;
        return false;
    };
    bool new_layout = group_l10n.present || question_l10n.present;
    bool old_layout = has_field(groups_t, "group_name") || has_field(questions_t, "question");
    if (!new_layout && !old_layout)
        return fail("unknown layout: neither texts in <groups>/<questions> (old layout) nor <group_l10ns>/<question_l10ns> sections (new layout)");

    // Languages: the survey's base language first, then the additional ones.
    if (!surveys.rows.empty()) {
        const LsRow& s = surveys.rows.front();
        ctx.sid = trim(val(s, "sid"));
        std::string base = trim(val(s, "language"));
        if (!base.empty()) ctx.langs.push_back(base);
        for (const std::string& l : split_tokens(val(s, "additional_languages"), " \t\r\n"))
            if (std::find(ctx.langs.begin(), ctx.langs.end(), l) == ctx.langs.end()) ctx.langs.push_back(l);
    }
    for (pugi::xml_node l : root.child("languages").children("language")) {
        std::string t = trim(node_text(l));
        if (!t.empty() && std::find(ctx.langs.begin(), ctx.langs.end(), t) == ctx.langs.end()) ctx.langs.push_back(t);
    }
    if (ctx.langs.empty()) return fail("unknown layout: the file names no language (<surveys> language / <languages>)");
    ctx.base = ctx.langs.front();
    if (ctx.sid.empty() && !groups_t.rows.empty()) ctx.sid = trim(val(groups_t.rows.front(), "sid"));

    read_groups(groups_t, group_l10n, new_layout);
    read_questions(questions_t, subq_t, question_l10n, new_layout);
    read_answers(answers_t, answer_l10n);

    for (const LsRow& r : attrs_t.rows) {
        auto it = questions.find(trim(val(r, "qid")));
        if (it == questions.end()) continue;
        std::string lang = trim(val(r, "language"));
        it->second.attrs[trim(val(r, "attribute"))].by_lang[lang] = val(r, "value");
    }
    for (const LsRow& r : conds_t.rows) conditions[trim(val(r, "qid"))].push_back(r);
    read_defaults(defaults_t, default_l10n);
    read_survey_texts(surveys, langset);
    return true;
}

// Default answers: the old layout has language and value in <defaultvalues>, the new one
// in <defaultvalue_l10ns>, joined by dvid.
void Importer::read_defaults(const LsTable& defaults_t, const LsTable& default_l10n) {
    std::map<std::string, std::vector<const LsRow*>> l10n; // dvid -> rows
    for (const LsRow& r : default_l10n.rows) l10n[trim(val(r, "dvid"))].push_back(&r);
    for (const LsRow& r : defaults_t.rows) {
        auto it = questions.find(trim(val(r, "qid")));
        if (it == questions.end()) continue;
        LsDefault d;
        d.scale = to_int(trim(val(r, "scale_id")));
        d.sqid = trim(val(r, "sqid"));
        if (d.sqid.empty()) d.sqid = "0";
        d.special = trim(val(r, "specialtype"));
        if (col(r, "defaultvalue")) d.value.by_lang[lang_of(r)] = val(r, "defaultvalue");
        for (const LsRow* lr : l10n[trim(val(r, "dvid"))]) d.value.by_lang[lang_of(*lr)] = val(*lr, "defaultvalue");
        // Old layout: one row per language of the same default.
        bool merged = false;
        for (LsDefault& e : it->second.defaults)
            if (e.scale == d.scale && e.sqid == d.sqid && e.special == d.special) {
                for (auto& [l, v] : d.value.by_lang) e.value.by_lang.emplace(l, v);
                merged = true;
            }
        if (!merged) it->second.defaults.push_back(d);
    }
}

std::string Importer::lang_of(const LsRow& r) const {
    std::string l = trim(val(r, "language"));
    return l.empty() ? ctx.base : l;
}

void Importer::read_groups(const LsTable& groups_t, const LsTable& group_l10n, bool new_layout) {
    int seq = 0;
    for (const LsRow& r : groups_t.rows) {
        std::string gid = trim(val(r, "gid"));
        if (gid.empty()) continue;
        bool fresh = !groups.count(gid);
        LsGroup& g = groups[gid];
        g.gid = gid;
        std::string lang = lang_of(r);
        if (fresh) g.seq = seq++;
        if (fresh || lang == ctx.base) g.order = to_int(val(r, "group_order"), g.order);
        if (const std::string* rel = col(r, "grelevance"))
            if (!g.relevance || lang == ctx.base) g.relevance = *rel;
        // Group randomisation (LimeSurvey 3+): the format has no key for it yet.
        if (fresh) {
            std::string rg = trim(val(r, "randomization_group"));
            if (!rg.empty())
                ctx.warn("group " + gid, "randomization_group '" + rg + "' ignored: the kiosk keeps the group order");
        }
        if (!new_layout) {
            merge_text(g.name, lang, col(r, "group_name"));
            merge_text(g.description, lang, col(r, "description"));
        }
    }
    for (const LsRow& r : group_l10n.rows) {
        auto it = groups.find(trim(val(r, "gid")));
        if (it == groups.end()) continue;
        std::string lang = lang_of(r);
        merge_text(it->second.name, lang, col(r, "group_name"));
        merge_text(it->second.description, lang, col(r, "description"));
    }
}

// Questions and subquestions (old files keep subquestions in <questions>, parent_qid != 0).
void Importer::read_questions(const LsTable& questions_t, const LsTable& subq_t, const LsTable& question_l10n,
                              bool new_layout) {
    int seq = 0;
    auto read_q = [&](const LsRow& r) {
        std::string qid = trim(val(r, "qid"));
        if (qid.empty()) return;
        bool fresh = !questions.count(qid);
        LsQuestion& q = questions[qid];
        std::string lang = lang_of(r);
        if (fresh) {
            q.qid = qid;
            q.seq = seq++;
            q.parent = trim(val(r, "parent_qid"));
            if (q.parent.empty()) q.parent = "0";
            q.gid = trim(val(r, "gid"));
            q.type = trim(val(r, "type"));
            q.code = trim(val(r, "title"));
            q.other = trim(val(r, "other"));
            q.mandatory = trim(val(r, "mandatory"));
            q.scale = to_int(val(r, "scale_id"));
        }
        if (fresh || lang == ctx.base) q.order = to_int(val(r, "question_order"), q.order);
        if (const std::string* rel = col(r, "relevance"))
            if (!q.relevance || lang == ctx.base) q.relevance = *rel;
        if (!new_layout || col(r, "question")) {
            merge_text(q.text, lang, col(r, "question"));
            merge_text(q.help, lang, col(r, "help"));
        }
    };
    for (const LsRow& r : questions_t.rows) read_q(r);
    for (const LsRow& r : subq_t.rows) read_q(r);
    for (const LsRow& r : question_l10n.rows) {
        auto it = questions.find(trim(val(r, "qid")));
        if (it == questions.end()) continue;
        std::string lang = lang_of(r);
        merge_text(it->second.text, lang, col(r, "question"));
        merge_text(it->second.help, lang, col(r, "help"));
    }
}

// Answers: old layout keyed (qid, scale, code) with a language per row; new layout by aid.
void Importer::read_answers(const LsTable& answers_t, const LsTable& answer_l10n) {
    int seq = 0;
    std::map<std::string, std::pair<std::string, size_t>> by_aid;
    std::map<std::string, size_t> by_key;
    for (const LsRow& r : answers_t.rows) {
        auto it = questions.find(trim(val(r, "qid")));
        if (it == questions.end()) continue;
        LsQuestion& q = it->second;
        std::string code = trim(val(r, "code"));
        int scale = to_int(val(r, "scale_id"));
        std::string key = q.qid + "\x1f" + std::to_string(scale) + "\x1f" + code;
        size_t idx;
        auto k = by_key.find(key);
        if (k == by_key.end()) {
            LsAnswer a;
            a.code = code;
            a.scale = scale;
            a.order = to_int(val(r, "sortorder"));
            a.seq = seq++;
            q.answers.push_back(a);
            idx = q.answers.size() - 1;
            by_key[key] = idx;
        } else {
            idx = k->second;
        }
        if (const std::string* aid = col(r, "aid")) by_aid[trim(*aid)] = {q.qid, idx};
        merge_text(q.answers[idx].text, lang_of(r), col(r, "answer"));
    }
    for (const LsRow& r : answer_l10n.rows) {
        auto it = by_aid.find(trim(val(r, "aid")));
        if (it == by_aid.end()) continue;
        LsQuestion& q = questions[it->second.first];
        merge_text(q.answers[it->second.second].text, lang_of(r), col(r, "answer"));
    }
}

void Importer::read_survey_texts(const LsTable& surveys, const LsTable& langset) {
    Survey* s = result.survey.get();
    for (const LsRow& r : langset.rows) {
        std::string lang = trim(val(r, "surveyls_language"));
        if (lang.empty()) continue;
        merge_text(s->title, lang, col(r, "surveyls_title"));
        merge_text(s->description, lang, col(r, "surveyls_description"));
        merge_text(s->end_text, lang, col(r, "surveyls_endtext"));
    }
    if (!surveys.rows.empty()) {
        std::string sna = trim(val(surveys.rows.front(), "shownoanswer"));
        // "I" = inherit from the survey group; LimeSurvey's default there is "Y".
        s->settings.no_answer_option = sna == "Y" || sna == "I" || sna.empty();
        std::string sp = trim(val(surveys.rows.front(), "showprogress"));
        s->settings.show_progress = sp != "N";
    }
}

} // namespace tk::lss
