// lss_expression.cpp - LimeSurvey ExpressionScript -> engine expression (see lss_expression.h):
// the tokenizer (SGQA names, strings, operators) and the translator, which maps variable
// names through the NameMap and refuses what the engine cannot evaluate.
#include "lss_expression.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "expression.h"
#include "lss_import_internal.h"
#include "text.h"

namespace tk::lss {

namespace {
bool is_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
} // namespace

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
            // Participant data: TOKEN:ATTRIBUTE_1, TOKEN:EMAIL.
            if (s.compare(i, j - i, "TOKEN") == 0 && j + 1 < n && s[j] == ':' && is_alpha(s[j + 1])) {
                j++;
                while (j < n && is_alnum(s[j])) j++;
            }
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

// Whether the engine's expressions know a binary operator: asked of the engine itself, so the
// importer keeps up when the engine learns `*`, `/` or `%`.
// (Asked once; static initialisation is thread-safe.)
static bool engine_has_operator(const std::string& op) {
    static const bool mul = parse_expression("2 * 1").expr != nullptr;
    static const bool div = parse_expression("2 / 1").expr != nullptr;
    static const bool mod = parse_expression("2 % 1").expr != nullptr;
    return op == "*" ? mul : op == "/" ? div : op == "%" ? mod : true;
}

bool is_keyword(const std::string& w) {
    static const char* const kw[] = {"and", "or", "not", "eq", "ne", "lt", "le", "gt", "ge"};
    for (const char* k : kw)
        if (w == k) return true;
    return false;
}

// Translates a LimeSurvey expression. `host_position`: references must point to questions
// strictly before it (the engine evaluates conditions on earlier answers only).
ExprOut translate_expression(const std::string& src, const NameMap& names, int host_position, bool this_ok) {
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
    // `VAR == "code"`: the last variable emitted and whether a comparison followed it, to map
    // an answer code the kiosk renamed.
    std::string last_var;
    bool after_cmp = false;
    for (size_t i = 0; i < toks.size(); i++) {
        const LsToken& t = toks[i];
        switch (t.kind) {
        case LsTok::End: break;
        case LsTok::Bad: r.problem = "cannot read it (" + t.text + ")"; return r;
        case LsTok::Number: emit(t.text); break;
        case LsTok::String: {
            std::string v = t.text;
            if (after_cmp) {
                auto rv = names.renamed_values.find(last_var);
                if (rv != names.renamed_values.end() && rv->second.count(v)) v = rv->second.at(v);
            }
            emit(quote_string(v));
            break;
        }
        case LsTok::LParen: case LsTok::RParen: case LsTok::Comma: emit(t.text); break;
        case LsTok::Op:
            if (t.text == "=") { r.problem = "uses '=' (an assignment; LimeSurvey warns about it too)"; return r; }
            if ((t.text == "*" || t.text == "/" || t.text == "%") && !engine_has_operator(t.text)) {
                r.problem = "uses the operator '" + t.text + "'";
                return r;
            }
            emit(t.text);
            after_cmp = t.text == "==" || t.text == "!=";
            continue; // keeps last_var for the value that follows
        case LsTok::Name: {
            std::string lower = t.text;
            for (char& c : lower) c = char(std::tolower((unsigned char)c));
            if (is_keyword(lower)) {
                emit(lower);
                if (lower != "eq" && lower != "ne") break;
                after_cmp = true;
                continue;
            }
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
            if (t.text.rfind("TOKEN:", 0) == 0) {
                // A kiosk has no participant table: the attribute is empty, as in a
                // LimeSurvey survey without participants.
                std::string ref = "{" + t.text.substr(0, t.text.find('.')) + "}";
                if (std::find(r.token_refs.begin(), r.token_refs.end(), ref) == r.token_refs.end()) r.token_refs.push_back(ref);
                emit("\"\"");
                break;
            }
            std::vector<std::string> parts = split_tokens(t.text, ".");
            if (parts.empty()) { r.problem = "cannot read it"; return r; }
            if (this_ok && parts[0] == "this" && (parts.size() == 1 || (parts.size() == 2 && parts[1] == "NAOK"))) {
                emit("this"); // NAOK: the engine reads an unanswered field as empty anyway
                last_var.clear();
                after_cmp = false;
                continue;
            }
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
                if (p == "NAOK" || p == "shown" || p == "value" || p == "code" || p == "valueNAOK" ||
                    p == "relevanceStatus" || p == "question" || p == "mandatory" || p == "qseq" || p == "gseq")
                    use = p;
                else if (p == "gid" || p == "qid" || p == "sgqa") {
                    // The engine answers these with positions in the survey; the file's numbers are
                    // LimeSurvey's database ids, so a comparison with one would silently change.
                    r.problem = "reads ." + p + " of " + base + " (LimeSurvey's database ids do not survive the import)";
                    return r;
                } else if (p.rfind("sq_", 0) == 0 || p.rfind("nosq_", 0) == 0) {
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
            last_var = it->second.engine;
            after_cmp = false;
            continue;
        }
        }
        last_var.clear();
        after_cmp = false;
    }
    ExprParse p = parse_expression(out);
    if (!p.expr) {
        r.problem = "cannot be read (" + p.error + ")";
        return r;
    }
    r.text = out;
    return r;
}

} // namespace tk::lss
