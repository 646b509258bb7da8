// lss_import.cpp - LimeSurvey .lss structure file -> tk::Survey.
//
// The .lss file is a dump of LimeSurvey's tables: every section (<groups>, <questions>,
// <answers>, ...) holds <rows><row> with one child element per column. We read columns by
// element name (never by position: files from LimeSurvey 6 do not keep the <fields>
// order), and an absent element is NULL, which is not the same as an empty one.
//
// The work happens in three passes:
//   1. read the tables into plain structs (LsQuestion, LsAnswer, LsGroup), merging the old
//      layout's one-row-per-language into per-language texts;
//   2. build the engine's questions and a name map from every LimeSurvey variable name
//      (question codes, Q_SQ, SGQA column names) to the engine's variable names;
//   3. translate texts and conditions with that map, warning about everything left out.
#include "lss_import.h"

#include <pugixml.hpp>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <set>

#include "expression.h"
#include "files.h"
#include "response.h"
#include "text.h"

namespace tk {

namespace {

// ---------------------------------------------------------------------------------------
// Reading tables

using LsRow = std::map<std::string, std::string>; // present columns only: absent = NULL

struct LsTable {
    bool present = false;
    std::vector<std::string> fields; // <fields><fieldname> as listed (for layout detection)
    std::vector<LsRow> rows;
};

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

int to_int(const std::string& s, int fallback = 0) {
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

// ---------------------------------------------------------------------------------------
// Pass 1: LimeSurvey's model

struct LsAnswer {
    std::string code;
    int scale = 0;
    int order = 0;
    int seq = 0;                 // file order, tie breaker
    LocalText text;              // raw HTML per language
};

struct LsQuestion {
    std::string qid, parent, gid, type, code;
    std::string other, mandatory;
    std::optional<std::string> relevance; // nullopt = NULL in every row
    int scale = 0;
    int order = 0;
    int seq = 0;
    LocalText text, help;        // raw HTML per language
    std::vector<LsQuestion*> subs;
    std::vector<LsAnswer> answers;
    std::map<std::string, LocalText> attrs; // attribute -> language ("" = any) -> value
};

struct LsGroup {
    std::string gid;
    int order = 0;
    int seq = 0;
    LocalText name, description;
    std::optional<std::string> relevance;
    std::vector<LsQuestion*> questions;
};

struct Ctx {
    std::string file;
    std::vector<std::string>* warnings = nullptr;
    std::vector<std::string> langs;
    std::string base;
    std::string sid;

    void warn(const std::string& where, const std::string& msg) {
        warnings->push_back(file + ": " + (where.empty() ? "" : where + ": ") + msg);
    }
};

// The attribute value for `lang`, else the language-neutral one, else "".
std::string attr(const LsQuestion& q, const char* name, const std::string& lang = "") {
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

// ---------------------------------------------------------------------------------------
// Expressions: LimeSurvey ExpressionScript -> engine expression

// What a LimeSurvey variable name stands for in the engine.
struct VarRef {
    std::string engine;  // engine variable name, e.g. "Q1_SQ001"
    int position = 0;    // survey position of the question it belongs to
    std::string question;
};

struct NameMap {
    std::map<std::string, VarRef> names;   // LimeSurvey name (qcode or SGQA) -> engine
    std::map<std::string, std::string> question_type; // engine question code -> type letter
    void add(const std::string& ls, const std::string& engine, int pos, const std::string& q) {
        names.emplace(ls, VarRef{engine, pos, q});
    }
};

enum class LsTok { End, Number, String, Name, Op, LParen, RParen, Comma, Bad };

struct LsToken {
    LsTok kind = LsTok::End;
    std::string text;
};

bool is_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }

// SGQA column names start with digits: 123X45X678SQ001, 123X45X678SQ001#1
size_t sgqa_length(const std::string& s, size_t i) {
    size_t j = i;
    for (int part = 0; part < 3; part++) {
        size_t k = j;
        while (k < s.size() && is_digit(s[k])) k++;
        if (k == j) return 0;
        j = k;
        if (part < 2) {
            if (j >= s.size() || s[j] != 'X') return 0;
            j++;
        }
    }
    while (j < s.size() && (is_alnum(s[j]) || s[j] == '#')) j++;
    return j - i;
}

std::vector<LsToken> ls_tokenize(const std::string& s) {
    std::vector<LsToken> out;
    size_t i = 0, n = s.size();
    while (i < n) {
        char c = s[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') { i++; continue; }
        LsToken t;
        size_t sg = is_digit(c) ? sgqa_length(s, i) : 0;
        if (sg) {
            size_t j = i + sg;
            while (j < n && s[j] == '.' && j + 1 < n && is_alpha(s[j + 1])) {
                j++;
                while (j < n && is_alnum(s[j])) j++;
            }
            t.kind = LsTok::Name;
            t.text = s.substr(i, j - i);
            i = j;
        } else if (is_digit(c) || (c == '.' && i + 1 < n && is_digit(s[i + 1]))) {
            size_t j = i;
            while (j < n && (is_digit(s[j]) || s[j] == '.')) j++;
            t.kind = LsTok::Number;
            t.text = s.substr(i, j - i);
            i = j;
        } else if (c == '\'' || c == '"') {
            size_t j = i + 1;
            std::string v;
            bool closed = false;
            while (j < n) {
                if (s[j] == '\\' && j + 1 < n) { v += s[j + 1]; j += 2; continue; }
                if (s[j] == c) { closed = true; j++; break; }
                v += s[j++];
            }
            t.kind = closed ? LsTok::String : LsTok::Bad;
            t.text = closed ? v : "unterminated string";
            i = j;
        } else if (is_alpha(c)) {
            size_t j = i;
            while (j < n && (is_alnum(s[j]) || s[j] == '#')) j++;
            while (j < n && s[j] == '.' && j + 1 < n && is_alpha(s[j + 1])) {
                j++;
                while (j < n && (is_alnum(s[j]) || s[j] == '#')) j++;
            }
            t.kind = LsTok::Name;
            t.text = s.substr(i, j - i);
            i = j;
        } else if (c == '(') { t.kind = LsTok::LParen; t.text = "("; i++; }
        else if (c == ')') { t.kind = LsTok::RParen; t.text = ")"; i++; }
        else if (c == ',') { t.kind = LsTok::Comma; t.text = ","; i++; }
        else {
            static const char* const ops[] = {"==", "!=", "<=", ">=", "&&", "||", "<", ">", "!",
                                               "+", "-", "*", "/", "%", "="};
            t.kind = LsTok::Bad;
            t.text = std::string("character '") + c + "'";
            for (const char* op : ops) {
                size_t len = std::strlen(op);
                if (s.compare(i, len, op) == 0) {
                    t.kind = LsTok::Op;
                    t.text = op;
                    break;
                }
            }
            i += t.kind == LsTok::Op ? t.text.size() : 1;
        }
        out.push_back(t);
        if (out.back().kind == LsTok::Bad) break;
    }
    out.push_back(LsToken{});
    return out;
}

std::string quote_string(const std::string& v) {
    std::string out = "\"";
    for (char c : v) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

bool is_keyword(const std::string& w) {
    static const char* const kw[] = {"and", "or", "not", "eq", "ne", "lt", "le", "gt", "ge"};
    for (const char* k : kw)
        if (w == k) return true;
    return false;
}

// The engine shows texts as written: it does not pipe earlier answers into them. When it
// learns to, simple references ({Q1}, {Q1.shown}) can be kept (rewritten to engine names).
constexpr bool kEngineRendersTextReferences = false;

struct ExprOut {
    std::string text;     // engine expression ("" when the source was empty or "1")
    std::string problem;  // why it cannot be translated ("" = fine)
};

// Translates a LimeSurvey expression. `host_position`: references must point to questions
// strictly before it (the engine evaluates conditions on earlier answers only).
ExprOut translate_expression(const std::string& src, const NameMap& names, int host_position) {
    ExprOut r;
    std::string s = trim(src);
    // LimeSurvey sometimes stores relevance wrapped in braces.
    if (s.size() >= 2 && s.front() == '{' && s.back() == '}') s = trim(s.substr(1, s.size() - 2));
    if (s.empty() || s == "1") return r;
    std::vector<LsToken> toks = ls_tokenize(s);
    std::string out;
    bool after_function = false;
    // Spaces between tokens, except inside parentheses and before commas: "f(a, b) == 1".
    auto emit = [&](const std::string& t) {
        bool glue = out.empty() || out.back() == '(' || t == ")" || t == "," || (t == "(" && after_function);
        if (!glue) out += ' ';
        out += t;
        after_function = false;
    };
    const auto& funcs = known_functions();
    for (size_t i = 0; i < toks.size(); i++) {
        const LsToken& t = toks[i];
        switch (t.kind) {
        case LsTok::End: break;
        case LsTok::Bad: r.problem = "cannot read it (" + t.text + ")"; return r;
        case LsTok::Number: emit(t.text); break;
        case LsTok::String: emit(quote_string(t.text)); break;
        case LsTok::LParen: case LsTok::RParen: case LsTok::Comma: emit(t.text); break;
        case LsTok::Op:
            if (t.text == "=") { r.problem = "uses '=' (an assignment; LimeSurvey warns about it too)"; return r; }
            if (t.text == "*" || t.text == "/" || t.text == "%") {
                r.problem = "uses the operator '" + t.text + "'";
                return r;
            }
            emit(t.text);
            break;
        case LsTok::Name: {
            std::string lower = t.text;
            for (char& c : lower) c = char(std::tolower((unsigned char)c));
            if (is_keyword(lower)) { emit(lower); break; }
            if (toks[i + 1].kind == LsTok::LParen) {
                if (std::find(funcs.begin(), funcs.end(), t.text) == funcs.end()) {
                    r.problem = "uses the function " + t.text + "()";
                    return r;
                }
                emit(t.text);
                after_function = true;
                break;
            }
            if (lower == "true") { emit("1"); break; }
            if (lower == "false") { emit("0"); break; }
            if (lower == "null") { emit("\"\""); break; }
            std::vector<std::string> parts = split_tokens(t.text, ".");
            if (parts.empty()) { r.problem = "cannot read it"; return r; }
            if (parts[0] == "self") { r.problem = "refers to its own question (self." + (parts.size() > 1 ? parts[1] : "") + ")"; return r; }
            if (parts[0] == "that") {
                if (parts.size() < 2) { r.problem = "uses 'that' without a question"; return r; }
                parts.erase(parts.begin());
            }
            std::string base = parts[0];
            std::string suffix;
            for (size_t k = 1; k < parts.size(); k++) {
                const std::string& p = parts[k];
                std::string use;
                if (p == "NAOK" || p == "shown" || p == "value" || p == "code") use = p;
                else if (p == "valueNAOK") use = "NAOK";
                else if (p.rfind("sq_", 0) == 0 || p.rfind("nosq_", 0) == 0) {
                    r.problem = "selects subquestions by pattern (." + p + ")";
                    return r;
                } else {
                    r.problem = "reads the property ." + p + " of " + base;
                    return r;
                }
                if (!suffix.empty() && suffix != use) { r.problem = "uses " + t.text; return r; }
                suffix = use;
            }
            auto it = names.names.find(base);
            if (it == names.names.end()) {
                r.problem = "refers to " + base + ", which is not a question of the imported survey";
                return r;
            }
            if (it->second.position >= host_position) {
                r.problem = "refers to " + base + ", which does not come before it";
                return r;
            }
            emit(it->second.engine + (suffix.empty() ? "" : "." + suffix));
            break;
        }
        }
    }
    ExprParse p = parse_expression(out);
    if (!p.expr) {
        r.problem = "cannot be read (" + p.error + ")";
        return r;
    }
    r.text = out;
    return r;
}

// ---------------------------------------------------------------------------------------
// Generated answer scales (types A B C E G): texts in the languages we know, else English.

struct ScaleText { const char* lang; const char* text; };
struct FixedOption { const char* code; ScaleText texts[6]; };

const FixedOption kYesUncertainNo[] = {
    {"Y", {{"en", "Yes"}, {"de", "Ja"}, {"fr", "Oui"}, {"es", "Sí"}, {"nl", "Ja"}, {"pt", "Sim"}}},
    {"U", {{"en", "Uncertain"}, {"de", "Unsicher"}, {"fr", "Incertain"}, {"es", "Dudoso"}, {"nl", "Onzeker"}, {"pt", "Incerto"}}},
    {"N", {{"en", "No"}, {"de", "Nein"}, {"fr", "Non"}, {"es", "No"}, {"nl", "Nee"}, {"pt", "Não"}}},
};
const FixedOption kIncreaseSameDecrease[] = {
    {"I", {{"en", "Increase"}, {"de", "Zunahme"}, {"fr", "Augmenter"}, {"es", "Aumentar"}, {"nl", "Toename"}, {"pt", "Aumentar"}}},
    {"S", {{"en", "Same"}, {"de", "Gleich"}, {"fr", "Sans changement"}, {"es", "Igual"}, {"nl", "Gelijk"}, {"pt", "Igual"}}},
    {"D", {{"en", "Decrease"}, {"de", "Abnahme"}, {"fr", "Diminuer"}, {"es", "Disminuir"}, {"nl", "Afname"}, {"pt", "Diminuir"}}},
};
const FixedOption kYesNo[] = {
    {"Y", {{"en", "Yes"}, {"de", "Ja"}, {"fr", "Oui"}, {"es", "Sí"}, {"nl", "Ja"}, {"pt", "Sim"}}},
    {"N", {{"en", "No"}, {"de", "Nein"}, {"fr", "Non"}, {"es", "No"}, {"nl", "Nee"}, {"pt", "Não"}}},
};
const FixedOption kGender[] = {
    {"F", {{"en", "Female"}, {"de", "Weiblich"}, {"fr", "Féminin"}, {"es", "Femenino"}, {"nl", "Vrouwelijk"}, {"pt", "Feminino"}}},
    {"M", {{"en", "Male"}, {"de", "Männlich"}, {"fr", "Masculin"}, {"es", "Masculino"}, {"nl", "Mannelijk"}, {"pt", "Masculino"}}},
};

LocalText fixed_text(const FixedOption& f, const std::vector<std::string>& langs) {
    LocalText t;
    for (const std::string& l : langs) {
        std::string primary = l.substr(0, l.find('-'));
        const char* txt = f.texts[0].text;
        for (const ScaleText& st : f.texts)
            if (primary == st.lang) txt = st.text;
        t.by_lang[l] = txt;
    }
    return t;
}

LocalText plain_text(const std::string& s, const std::vector<std::string>& langs) {
    LocalText t;
    for (const std::string& l : langs) t.by_lang[l] = s;
    return t;
}

// ---------------------------------------------------------------------------------------
// The importer

struct Importer {
    Ctx ctx;
    LssImport result;
    std::map<std::string, LsQuestion> questions; // by qid
    std::map<std::string, LsGroup> groups;       // by gid
    std::map<std::string, std::vector<LsRow>> conditions; // by qid

    bool fail(const std::string& msg) {
        result.error = ctx.file + ": " + msg;
        return false;
    }

    bool read(const std::string& xml);
    void build();
};

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

    auto lang_of = [&](const LsRow& r) {
        std::string l = trim(val(r, "language"));
        return l.empty() ? ctx.base : l;
    };

    // Groups
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

    // Questions and subquestions (old files keep subquestions in <questions>, parent_qid != 0)
    seq = 0;
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

    // Answers: old layout keyed (qid, scale, code) with a language per row; new layout by aid.
    std::map<std::string, std::pair<std::string, size_t>> by_aid;
    std::map<std::string, size_t> by_key;
    seq = 0;
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

    for (const LsRow& r : attrs_t.rows) {
        auto it = questions.find(trim(val(r, "qid")));
        if (it == questions.end()) continue;
        std::string lang = trim(val(r, "language"));
        it->second.attrs[trim(val(r, "attribute"))].by_lang[lang] = val(r, "value");
    }
    for (const LsRow& r : conds_t.rows) conditions[trim(val(r, "qid"))].push_back(r);

    // Survey texts
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
    return true;
}

// ---------------------------------------------------------------------------------------
// Pass 2 + 3

struct Built {
    LsQuestion* ls;
    Question q;
    std::vector<std::string> row_relevance;  // raw LimeSurvey relevance per row
    std::vector<std::string> option_relevance; // multiple choice options
    int position = 0;
};

bool sort_q(const LsQuestion* a, const LsQuestion* b) {
    if (a->order != b->order) return a->order < b->order;
    return a->seq < b->seq;
}

std::vector<const LsAnswer*> answers_of(const LsQuestion& q, int scale) {
    std::vector<const LsAnswer*> v;
    for (const LsAnswer& a : q.answers)
        if (a.scale == scale) v.push_back(&a);
    std::stable_sort(v.begin(), v.end(), [](const LsAnswer* a, const LsAnswer* b) {
        if (a->order != b->order) return a->order < b->order;
        return a->seq < b->seq;
    });
    return v;
}

std::vector<LsQuestion*> subs_of(const LsQuestion& q, int scale) {
    std::vector<LsQuestion*> v;
    for (LsQuestion* s : q.subs)
        if (s->scale == scale) v.push_back(s);
    return v;
}

void Importer::build() {
    Survey& s = *result.survey;
    s.languages = ctx.langs;
    std::string idpart;
    for (char c : ctx.sid)
        if (is_alnum(c) && c != '_') idpart += char(std::tolower((unsigned char)c));
    s.id = "limesurvey-" + (idpart.empty() ? std::string("import") : idpart);
    s.version = "1";
    s.source_note = "imported from LimeSurvey file " + ctx.file + (ctx.sid.empty() ? "" : " (survey " + ctx.sid + ")");

    // Tree: groups -> questions -> subquestions
    for (auto& [qid, q] : questions) {
        if (q.parent != "0") {
            auto p = questions.find(q.parent);
            if (p != questions.end()) p->second.subs.push_back(&q);
            else ctx.warn(q.code, "subquestion of a question that is not in the file (qid " + q.parent + "); left out");
        } else {
            auto g = groups.find(q.gid);
            if (g != groups.end()) g->second.questions.push_back(&q);
            else ctx.warn(q.code, "question of a group that is not in the file (gid " + q.gid + "); left out");
        }
    }
    std::vector<LsGroup*> gorder;
    for (auto& [gid, g] : groups) {
        std::stable_sort(g.questions.begin(), g.questions.end(), sort_q);
        for (LsQuestion* q : g.questions) std::stable_sort(q->subs.begin(), q->subs.end(), sort_q);
        gorder.push_back(&g);
    }
    std::stable_sort(gorder.begin(), gorder.end(), [](const LsGroup* a, const LsGroup* b) {
        if (a->order != b->order) return a->order < b->order;
        return a->seq < b->seq;
    });

    // Pass 2: questions and the name map
    NameMap names;
    std::vector<std::vector<Built>> built(gorder.size());
    int position = 0;
    const std::string sid = ctx.sid;
    auto column = [&](const LsQuestion& lq, const std::string& suffix, const std::string& qcode,
                      const Question& q, const std::string& part) {
        std::string sgqa = sid + "X" + lq.gid + "X" + lq.qid + suffix;
        result.columns.push_back({sgqa, qcode, q.code, part});
    };

    for (size_t gi = 0; gi < gorder.size(); gi++) {
        for (LsQuestion* lq : gorder[gi]->questions) {
            const std::string& t = lq->type;
            const std::string& code = lq->code;
            auto drop = [&](const std::string& why) { ctx.warn(code, "type '" + t + "' (" + why + ") left out"); };
            if (t == "|") { drop("file upload: a kiosk cannot take files"); continue; }
            if (t == "*") { drop("equation: computed, not asked; the kiosk does not compute it"); continue; }
            if (t == "I") { drop("language switch: the kiosk has its own language choice"); continue; }
            if (trim(attr(*lq, "hidden")) == "1") {
                ctx.warn(code, "hidden question (attribute hidden=1, type '" + t + "') left out: a kiosk asks only what it shows");
                continue;
            }
            Built b;
            b.ls = lq;
            Question& q = b.q;
            q.code = code;
            q.text = lq->text;
            q.help = lq->help;
            q.mandatory = lq->mandatory == "Y";
            if (lq->mandatory == "S")
                ctx.warn(code, "soft mandatory ('S') imported as optional: the kiosk never insists twice");
            std::vector<LsQuestion*> subs0 = subs_of(*lq, 0), subs1 = subs_of(*lq, 1);
            auto add_options_from_answers = [&](std::vector<Option>& out, int scale) {
                for (const LsAnswer* a : answers_of(*lq, scale)) out.push_back({a->code, a->text, false});
            };
            auto add_rows = [&](const std::vector<LsQuestion*>& from) {
                for (LsQuestion* sq : from) {
                    q.rows.push_back({sq->code, sq->text, "", nullptr});
                    b.row_relevance.push_back(sq->relevance ? *sq->relevance : "");
                }
            };
            auto fixed = [&](const FixedOption* f, size_t n) {
                for (size_t i = 0; i < n; i++) q.options.push_back({f[i].code, fixed_text(f[i], ctx.langs), false});
            };
            auto numbered = [&](int from, int to) {
                for (int i = from; i <= to; i++)
                    q.options.push_back({std::to_string(i), plain_text(std::to_string(i), ctx.langs), false});
            };
            auto num_attrs = [&](const char* min_name, const char* max_name, const char* int_name) {
                for (int k = 0; k < 2; k++) {
                    const char* nm = k == 0 ? min_name : max_name;
                    std::string v = trim(attr(*lq, nm));
                    if (v.empty()) continue;
                    std::optional<double> d = to_number(v);
                    if (!d) { ctx.warn(code, std::string("attribute ") + nm + " '" + v + "' is an expression; no bound imported"); continue; }
                    (k == 0 ? q.min_value : q.max_value) = d;
                }
                if (int_name && trim(attr(*lq, int_name)) == "1") q.integer_only = true;
            };
            bool has_other = lq->other == "Y";
            if (t == "5") {
                q.type = QuestionType::Rating;
                q.scale_min = 1;
                q.scale_max = 5;
            } else if (t == "L" || t == "!" || t == "O") {
                q.type = QuestionType::SingleChoice;
                if (t == "!") q.display = "dropdown";
                add_options_from_answers(q.options, 0);
                if (t == "O") q.comment = true;
            } else if (t == "M" || t == "P") {
                q.type = QuestionType::MultipleChoice;
                for (LsQuestion* sq : subs0) {
                    q.options.push_back({sq->code, sq->text, false});
                    b.option_relevance.push_back(sq->relevance ? trim(*sq->relevance) : "");
                }
                if (t == "P") {
                    q.comment = true;
                    ctx.warn(code, "multiple choice with a comment per option ('P'): the kiosk asks one comment for the question, which has no LimeSurvey column to go back to");
                }
                for (const std::string& ex : split_tokens(attr(*lq, "exclude_all_others"), "; ,"))
                    for (Option& o : q.options)
                        if (o.code == ex) o.exclusive = true;
                int mn = to_int(attr(*lq, "min_answers")), mx = to_int(attr(*lq, "max_answers"));
                if (mn > 0) q.min_answers = mn;
                if (mx > 0) q.max_answers = mx;
            } else if (t == "S") {
                q.type = QuestionType::ShortText;
                int ml = to_int(attr(*lq, "maximum_chars"));
                if (ml > 0) q.max_length = ml;
            } else if (t == "T" || t == "U") {
                q.type = QuestionType::LongText;
                int ml = to_int(attr(*lq, "maximum_chars"));
                if (ml > 0) q.max_length = ml;
            } else if (t == "Q") {
                q.type = QuestionType::MultiText;
                add_rows(subs0);
            } else if (t == "K") {
                q.type = QuestionType::MultiNumeric;
                add_rows(subs0);
                num_attrs("min_num_value_n", "max_num_value_n", "num_value_int_only");
            } else if (t == "N") {
                q.type = QuestionType::Numeric;
                num_attrs("min_num_value_n", "max_num_value_n", "num_value_int_only");
            } else if (t == "Y") {
                q.type = QuestionType::YesNo;
                fixed(kYesNo, 2); // in the survey's languages, not only the kiosk's defaults
            } else if (t == "G") {
                q.type = QuestionType::SingleChoice;
                fixed(kGender, 2);
            } else if (t == "D") {
                q.type = QuestionType::Date;
                for (int k = 0; k < 2; k++) {
                    std::string v = trim(attr(*lq, k == 0 ? "date_min" : "date_max"));
                    if (v.empty()) continue;
                    if (v.size() == 4 && to_number(v)) v += k == 0 ? "-01-01" : "-12-31";
                    bool ok = iso_date(v.substr(0, 10));
                    if (ok) (k == 0 ? q.min_date : q.max_date) = v.substr(0, 10);
                    else ctx.warn(code, std::string(k == 0 ? "date_min" : "date_max") + " '" + v + "' is not a date; no bound imported");
                }
                std::string fmt = attr(*lq, "date_format");
                if (!fmt.empty() && fmt.find_first_of("YyDd") == std::string::npos)
                    ctx.warn(code, "date question with the time-only format '" + fmt + "': the kiosk asks for a date");
            } else if (t == "F" || t == "H" || t == "A" || t == "B" || t == "C" || t == "E" || t == "1") {
                q.type = QuestionType::Matrix;
                q.cell = MatrixCell::Choice;
                add_rows(subs0);
                if (t == "F" || t == "H") add_options_from_answers(q.options, 0);
                if (t == "A") numbered(1, 5);
                if (t == "B") numbered(1, 10);
                if (t == "C") fixed(kYesUncertainNo, 3);
                if (t == "E") fixed(kIncreaseSameDecrease, 3);
                if (t == "1") {
                    add_options_from_answers(q.options, 0);
                    add_options_from_answers(q.options2, 1);
                    for (const std::string& l : ctx.langs) {
                        std::string a = attr(*lq, "dualscale_headerA", l), bh = attr(*lq, "dualscale_headerB", l);
                        if (!a.empty()) q.scale_header1.by_lang[l] = a;
                        if (!bh.empty()) q.scale_header2.by_lang[l] = bh;
                    }
                }
            } else if (t == ":" || t == ";") {
                q.type = QuestionType::Matrix;
                q.cell = t == ":" ? MatrixCell::Number : MatrixCell::Text;
                add_rows(subs0);
                for (LsQuestion* sq : subs1) q.options.push_back({sq->code, sq->text, false});
                if (t == ":") {
                    num_attrs("multiflexible_min", "multiflexible_max", nullptr);
                    if (trim(attr(*lq, "multiflexible_checkbox")) == "1") {
                        q.min_value = 0;
                        q.max_value = 1;
                        q.integer_only = true;
                        ctx.warn(code, "array of checkboxes (multiflexible_checkbox): each cell is asked as a number 0 or 1");
                    } else if (!q.min_value && !q.max_value && trim(attr(*lq, "input_boxes")) != "1") {
                        // LimeSurvey's default dropdown runs 1..10 (step 1).
                        q.min_value = 1;
                        q.max_value = 10;
                    }
                    if (trim(attr(*lq, "input_boxes")) != "1") q.integer_only = true;
                }
            } else if (t == "R") {
                q.type = QuestionType::Ranking;
                add_options_from_answers(q.options, 0);
                int mx = to_int(attr(*lq, "max_answers"));
                if (mx > 0) q.max_answers = mx;
            } else if (t == "X") {
                q.type = QuestionType::Info;
            } else {
                ctx.warn(code, "unknown question type '" + t + "' left out");
                continue;
            }
            if (has_other) {
                if (q.type == QuestionType::SingleChoice || q.type == QuestionType::MultipleChoice) {
                    q.other = true;
                    for (const std::string& l : ctx.langs) {
                        std::string lab = attr(*lq, "other_replace_text", l);
                        if (!trim(lab).empty()) q.other_label.by_lang[l] = lab;
                    }
                } else {
                    ctx.warn(code, "'other' is set on type '" + t + "', which has no other option; ignored");
                }
            }
            // Questions that would be empty on screen cannot be asked.
            bool needs_rows = q.type == QuestionType::Matrix || q.type == QuestionType::MultiText ||
                              q.type == QuestionType::MultiNumeric;
            bool needs_options = q.type == QuestionType::SingleChoice || q.type == QuestionType::MultipleChoice ||
                                 q.type == QuestionType::Ranking || q.type == QuestionType::Matrix;
            if ((needs_rows && q.rows.empty()) || (needs_options && q.options.empty() && !q.other)) {
                ctx.warn(code, std::string("type '") + t + "' without " + (needs_rows && q.rows.empty() ? "subquestions" : "answer options") + " left out");
                continue;
            }
            if (t == "1" && q.options2.empty()) {
                ctx.warn(code, "dual-scale array without a second scale: imported as a one-scale array");
            }
            b.position = position++;
            // Names LimeSurvey expressions and response columns use for this question.
            names.question_type[q.code] = t;
            const std::string& qc = q.code;
            auto both = [&](const std::string& ls_suffix_q, const std::string& ls_suffix_sgqa,
                            const std::string& engine, const std::string& part, bool is_column) {
                names.add(qc + ls_suffix_q, engine, b.position, qc);
                std::string sgqa = sid + "X" + lq->gid + "X" + lq->qid + ls_suffix_sgqa;
                names.add(sgqa, engine, b.position, qc);
                if (is_column) column(*lq, ls_suffix_sgqa, qc + ls_suffix_q, q, part);
            };
            // LimeSurvey's response table has a column of its own for every question that is
            // not split into subquestion/rank columns (text displays too: always NULL).
            bool own_column = !(needs_rows || q.type == QuestionType::MultipleChoice ||
                                q.type == QuestionType::Ranking);
            both("", "", qc, "", own_column);
            if (q.type == QuestionType::MultipleChoice)
                for (const Option& o : q.options) both("_" + o.code, o.code, qc + "_" + o.code, o.code, true);
            if (q.type == QuestionType::Ranking)
                for (size_t i = 1; i <= q.options.size(); i++)
                    // LimeSurvey keeps one rank column per answer option (max_answers only
                    // limits how many a respondent may rank).
                    both("_" + std::to_string(i), std::to_string(i), qc + "_" + std::to_string(i), std::to_string(i), true);
            if (needs_rows) {
                for (const Row& r : q.rows) {
                    if (q.type == QuestionType::Matrix && q.cell != MatrixCell::Choice) {
                        for (const Option& o : q.options)
                            both("_" + r.code + "_" + o.code, r.code + "_" + o.code, qc + "_" + r.code + "_" + o.code,
                                 r.code + "_" + o.code, true);
                    } else if (t == "1") {
                        both("_" + r.code + "_0", r.code + "#0", qc + "_" + r.code, r.code, true);
                        both("_" + r.code + "_1", r.code + "#1", qc + "_" + r.code + "#1", r.code + "#1", true);
                        names.add(qc + "_" + r.code, qc + "_" + r.code, b.position, qc);
                    } else {
                        both("_" + r.code, r.code, qc + "_" + r.code, r.code, true);
                    }
                }
            }
            if (q.other) both("_other", "other", qc + "_other", "other", true);
            // 'P' has one comment column per option in LimeSurvey, none for the question: the
            // kiosk's single comment has no column to go back to (the warning above says so).
            if (q.comment) both("_comment", "comment", qc + "_comment", "comment", t != "P");
            built[gi].push_back(std::move(b));
        }
    }

    // Pass 3: texts, conditions
    std::map<std::string, int> missing_by_lang;
    // Removed text expressions, one warning per place: report pages can hold hundreds.
    std::map<std::string, std::vector<std::string>> removed;
    std::vector<std::string> removed_order;
    auto finish_text = [&](LocalText& t, const std::string& where, int host, bool required,
                           const std::string& fallback) {
        LocalText out;
        for (auto& [lang, raw] : t.by_lang) {
            if (std::find(ctx.langs.begin(), ctx.langs.end(), lang) == ctx.langs.end()) continue;
            std::string plain = lss_html_to_text(raw);
            // {…} in texts: simple variable references stay (rewritten to engine names),
            // anything else is removed so that a citizen never sees raw expression syntax.
            std::string res;
            size_t i = 0;
            while (i < plain.size()) {
                char c = plain[i];
                if (c == '{' && i + 1 < plain.size() && plain[i + 1] != ' ' && plain[i + 1] != '\n' && plain[i + 1] != '\t') {
                    int depth = 0;
                    size_t j = i;
                    for (; j < plain.size(); j++) {
                        if (plain[j] == '{') depth++;
                        else if (plain[j] == '}' && --depth == 0) break;
                    }
                    if (j >= plain.size()) { res += plain.substr(i); break; }
                    std::string inner = plain.substr(i + 1, j - i - 1);
                    std::string kept;
                    std::string why;
                    if (inner.rfind("INSERTANS:", 0) == 0) inner = inner.substr(10) + ".shown";
                    std::vector<LsToken> toks = ls_tokenize(inner);
                    if (toks.size() == 2 && toks[0].kind == LsTok::Name) {
                        ExprOut e = translate_expression(inner, names, host);
                        if (!e.problem.empty()) why = e.problem;
                        else if (kEngineRendersTextReferences) kept = "{" + e.text + "}";
                        else why = "the kiosk does not insert answers into texts";
                    } else {
                        why = "is not a simple variable reference";
                    }
                    // A removed piece leaves "…", so the sentence still shows that something
                    // was meant to be there ("What is … name?" rather than "What is  name?").
                    if (!kept.empty()) res += kept;
                    else {
                        res += "…";
                        auto& list = removed[where];
                        if (list.empty()) removed_order.push_back(where);
                        std::string item = "{" + inner + "} (" + why + ")";
                        if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(item);
                    }
                    i = j + 1;
                    continue;
                }
                res += c;
                i++;
            }
            res = trim(res);
            if (!res.empty() || !required) out.by_lang[lang] = res;
        }
        if (required) {
            std::string base_text = out.has(ctx.base) ? out.by_lang[ctx.base] : "";
            if (base_text.empty()) {
                for (const std::string& l : ctx.langs)
                    if (out.has(l)) { base_text = out.by_lang[l]; break; }
            }
            if (base_text.empty()) {
                base_text = fallback;
                ctx.warn(where, "has no text; '" + fallback + "' is shown instead");
            }
            for (const std::string& l : ctx.langs)
                if (!out.has(l)) {
                    out.by_lang[l] = base_text;
                    if (l != ctx.base) missing_by_lang[l]++;
                }
        }
        t = out;
    };
    auto finish_optional = [&](LocalText& t, const std::string& where, int host) {
        finish_text(t, where, host, false, "");
        for (auto it = t.by_lang.begin(); it != t.by_lang.end();)
            it = it->second.empty() ? t.by_lang.erase(it) : std::next(it);
    };
    auto cond = [&](const std::string& src, const std::string& where, int host, const std::string& what) {
        ExprOut e = translate_expression(src, names, host);
        if (!e.problem.empty()) {
            ctx.warn(where, "condition `" + trim(src) + "` " + e.problem + "; dropped, so " + what + " is always shown");
            return std::string();
        }
        return e.text;
    };

    finish_text(s.title, "survey title", 0, true, "LimeSurvey " + ctx.sid);
    finish_optional(s.description, "survey description", 0);
    finish_optional(s.end_text, "end text", 1 << 30);

    for (size_t gi = 0; gi < gorder.size(); gi++) {
        LsGroup& lg = *gorder[gi];
        if (built[gi].empty()) {
            ctx.warn("group " + lg.gid, "has no question the kiosk can ask; left out");
            continue;
        }
        Group g;
        g.code = "G" + lg.gid;
        g.title = lg.name;
        g.description = lg.description;
        int first = built[gi].front().position;
        std::string gname = "group " + lg.gid;
        finish_text(g.title, gname, first, true, gname);
        finish_optional(g.description, gname, first);
        if (lg.relevance) g.condition_src = cond(*lg.relevance, gname, first, "the group");
        for (Built& b : built[gi]) {
            Question& q = b.q;
            LsQuestion& lq = *b.ls;
            finish_text(q.text, q.code, b.position, true, q.code);
            finish_optional(q.help, q.code, b.position);
            finish_optional(q.other_label, q.code, b.position);
            finish_optional(q.scale_header1, q.code, b.position);
            finish_optional(q.scale_header2, q.code, b.position);
            for (Option& o : q.options) finish_text(o.text, q.code + " option " + o.code, b.position, true, o.code);
            for (Option& o : q.options2) finish_text(o.text, q.code + " option " + o.code, b.position, true, o.code);
            for (Row& r : q.rows) finish_text(r.text, q.code + "_" + r.code, b.position, true, r.code);

            // Old-style conditions win over relevance, as in LimeSurvey.
            auto ci = conditions.find(lq.qid);
            if (ci != conditions.end()) {
                std::string problem;
                std::map<int, std::vector<std::pair<std::string, std::vector<std::string>>>> scen;
                for (const LsRow& r : ci->second) {
                    std::string field = trim(val(r, "cfieldname"));
                    std::string method = trim(val(r, "method"));
                    std::string value = val(r, "value");
                    int sc = to_int(val(r, "scenario"), 1);
                    std::string var;
                    std::string cmp;
                    bool plus = !field.empty() && field[0] == '+';
                    if (plus) field = field.substr(1);
                    auto nm = names.names.find(field);
                    if (field.rfind("{", 0) == 0) { problem = "uses " + field + " (participant data)"; break; }
                    if (nm == names.names.end()) { problem = "refers to column " + field + ", which is not a question of the imported survey"; break; }
                    if (nm->second.position >= b.position) { problem = "refers to " + nm->second.question + ", which does not come before it"; break; }
                    var = nm->second.engine;
                    if (plus) { var += "_" + value; value = "Y"; }
                    std::string rhs;
                    if (value.size() >= 2 && value.front() == '@' && value.back() == '@') {
                        auto other = names.names.find(value.substr(1, value.size() - 2));
                        if (other == names.names.end() || other->second.position >= b.position) {
                            problem = "compares with " + value + ", which is not an earlier question";
                            break;
                        }
                        rhs = other->second.engine + ".NAOK";
                    } else if (to_number(value) && method != "RX") {
                        rhs = trim(value);
                    } else {
                        rhs = quote_string(value);
                    }
                    if (method == "RX") cmp = "regexMatch(" + rhs + ", " + var + ".NAOK)";
                    else if (method == "==" || method == "!=")
                        cmp = var + ".NAOK " + method + " " + rhs;
                    else if (method == "<" || method == "<=" || method == ">" || method == ">=")
                        // As LimeSurvey converts them: an unanswered question never passes
                        // an order comparison (else "" < 9000 would hold as strings).
                        cmp = "(not is_empty(" + var + ".NAOK) and " + var + ".NAOK " + method + " " + rhs + ")";
                    else { problem = "uses the comparison '" + method + "'"; break; }
                    auto& fields = scen[sc];
                    auto f = std::find_if(fields.begin(), fields.end(), [&](auto& p) { return p.first == field; });
                    if (f == fields.end()) fields.push_back({field, {cmp}});
                    else f->second.push_back(cmp);
                }
                if (!problem.empty()) {
                    ctx.warn(q.code, "old-style condition " + problem + "; dropped, so the question is always shown");
                } else {
                    // Same field: any may hold (or); different fields: all (and); scenarios: any.
                    std::string all;
                    for (auto& [sc, fields] : scen) {
                        std::string conj;
                        for (auto& [field, alts] : fields) {
                            std::string disj;
                            for (const std::string& a : alts) disj += (disj.empty() ? "" : " or ") + a;
                            if (alts.size() > 1) disj = "(" + disj + ")";
                            conj += (conj.empty() ? "" : " and ") + disj;
                        }
                        all += (all.empty() ? "" : " or ") + (scen.size() > 1 ? "(" + conj + ")" : conj);
                    }
                    ExprParse p = parse_expression(all);
                    if (p.expr) q.condition_src = all;
                    else ctx.warn(q.code, "old-style conditions could not be converted (" + p.error + "); the question is always shown");
                }
            } else if (lq.relevance) {
                q.condition_src = cond(*lq.relevance, q.code, b.position, "the question");
            }

            // Row conditions: subquestion relevance and array filters.
            std::string filter = trim(attr(lq, "array_filter"));
            std::string filter_ex = trim(attr(lq, "array_filter_exclude"));
            if (q.rows.empty()) {
                if (!filter.empty() || !filter_ex.empty())
                    ctx.warn(q.code, "array filter on answer options is not supported; all options are shown");
                for (size_t i = 0; i < b.option_relevance.size() && i < q.options.size(); i++)
                    if (!b.option_relevance[i].empty() && b.option_relevance[i] != "1")
                        ctx.warn(q.code + "_" + q.options[i].code, "option condition `" + b.option_relevance[i] + "` is not supported; the option is always shown");
            }
            for (size_t i = 0; i < q.rows.size(); i++) {
                Row& r = q.rows[i];
                std::string where = q.code + "_" + r.code;
                std::vector<std::string> parts;
                std::string rel = i < b.row_relevance.size() ? b.row_relevance[i] : "";
                std::string c = cond(rel, where, b.position, "the row");
                if (!c.empty()) parts.push_back("(" + c + ")");
                for (int ex = 0; ex < 2; ex++) {
                    for (const std::string& fq : split_tokens(ex == 0 ? filter : filter_ex, "; ")) {
                        auto nm = names.names.find(fq);
                        if (nm == names.names.end() || nm->second.position >= b.position || nm->second.engine != fq) {
                            ctx.warn(where, std::string(ex ? "array_filter_exclude" : "array_filter") + " on " + fq +
                                                ", which is not an earlier question; not applied, the row is always shown");
                            continue;
                        }
                        std::string var = fq + "_" + r.code;
                        if (!names.names.count(var)) {
                            ctx.warn(where, std::string(ex ? "array_filter_exclude" : "array_filter") + ": " + fq +
                                                " has no subquestion " + r.code + "; not applied to this row");
                            continue;
                        }
                        bool checkbox = names.question_type[fq] == "M" || names.question_type[fq] == "P";
                        if (ex == 0) parts.push_back(checkbox ? var + ".NAOK == \"Y\"" : "not is_empty(" + var + ".NAOK)");
                        else parts.push_back(checkbox ? var + ".NAOK != \"Y\"" : "is_empty(" + var + ".NAOK)");
                    }
                }
                std::string all;
                for (const std::string& p : parts) all += (all.empty() ? "" : " and ") + p;
                if (parts.size() == 1 && all.front() == '(' && all.back() == ')') all = all.substr(1, all.size() - 2);
                r.condition_src = all;
            }
            g.questions.push_back(std::move(q));
        }
        s.groups.push_back(std::move(g));
    }
    for (const std::string& where : removed_order) {
        const std::vector<std::string>& list = removed[where];
        std::string msg = list.size() == 1 ? "text expression " : std::to_string(list.size()) + " text expressions ";
        msg += "replaced by '…': ";
        for (size_t i = 0; i < list.size() && i < 3; i++) msg += (i ? "; " : "") + list[i];
        if (list.size() > 3) msg += "; and " + std::to_string(list.size() - 3) + " more";
        ctx.warn(where, msg);
    }
    for (auto& [lang, n] : missing_by_lang)
        ctx.warn("", "language '" + lang + "': " + std::to_string(n) + " texts are not translated; the " + ctx.base + " text is used");
    if (s.groups.empty()) ctx.warn("", "the survey has no question the kiosk can ask");
}

} // namespace

LssImport import_lss(const std::string& xml_text, const std::string& source_name) {
    Importer im;
    im.ctx.file = source_name;
    im.result.survey = std::make_shared<Survey>();
    im.result.survey->source_path = source_name;
    if (!im.read(xml_text)) {
        im.result.survey.reset();
        im.result.columns.clear();
        return im.result;
    }
    im.build();
    im.result.sid = im.ctx.sid;
    // The same problem in every language of a text is one warning.
    std::vector<std::string> uniq;
    std::set<std::string> seen;
    for (std::string& w : im.result.warnings)
        if (seen.insert(w).second) uniq.push_back(std::move(w));
    im.result.warnings = std::move(uniq);
    if (im.result.survey->groups.empty()) {
        im.result.error = source_name + ": no question the kiosk can ask (see the warnings)";
        im.result.survey.reset();
    }
    return im.result;
}

LssImport import_lss_file(const std::string& path) {
    std::string text, err;
    if (!read_whole_file(path, text, &err)) {
        LssImport r;
        r.error = path + ": " + err;
        return r;
    }
    return import_lss(text, path);
}

LoadResult load_lss(const std::string& path) {
    LoadResult out;
    LssImport im = import_lss_file(path);
    if (!im.ok()) {
        LoadError e;
        e.file = path;
        e.message = im.error;
        out.errors.push_back(e);
        out.warnings = im.warnings;
        return out;
    }
    out = parse_survey(survey_to_json(*im.survey), path);
    out.warnings.insert(out.warnings.begin(), im.warnings.begin(), im.warnings.end());
    return out;
}

} // namespace tk
