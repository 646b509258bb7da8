// expression.cpp - tokenizer, recursive-descent parser and evaluator for display conditions.
//
// The tree is built once at load time and evaluated many times (after every answer), so
// parsing does all the checking: unknown functions, wrong argument counts and bad syntax
// are load errors, and evaluation cannot fail. Chains of `or`, `and` and `+`/`-` are kept
// as one node with many children, so the depth of the tree is bounded by the nesting the
// parser allowed (kMaxDepth) and neither evaluation nor destruction can overflow the stack.
#include "expression.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <regex>
#include <vector>
#include <set>

#include "text.h"

namespace tk {

// ---------------------------------------------------------------------------------------
// Values

// Integral values print as "3"; everything else as the shortest text that reads back to
// the same double, so "2.5" stays "2.5" and 0.1 + 0.2 shows as "0.30000000000000004".
static std::string render_number(double d) {
    if (std::isnan(d)) return "NAN";
    if (std::isinf(d)) return d < 0 ? "-INF" : "INF";
    if (d == 0) return "0"; // also -0
    char buf[64];
    if (d == std::trunc(d) && std::fabs(d) < 1e15) {
        std::snprintf(buf, sizeof(buf), "%.0f", d);
        return buf;
    }
    for (int prec = 1; prec <= 17; prec++) {
        std::snprintf(buf, sizeof(buf), "%.*g", prec, d);
        if (std::strtod(buf, nullptr) == d) break;
    }
    return buf;
}

ExprValue ExprValue::of_string(std::string s) {
    ExprValue v;
    v.text = std::move(s);
    return v;
}

ExprValue ExprValue::of_number(double d) {
    ExprValue v;
    v.is_number = true;
    v.number = d;
    v.text = render_number(d);
    return v;
}

bool ExprValue::truthy() const {
    if (is_number) return number != 0 && !std::isnan(number);
    return !text.empty() && text != "0";
}

// PHP's is_numeric, which LimeSurvey relies on: optional surrounding whitespace, a sign,
// digits with an optional fraction (or ".5"), an optional exponent. "" is not a number.
static bool parse_numeric_text(const std::string& s, double* out) {
    size_t i = 0, n = s.size();
    auto is_ws = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; };
    while (i < n && is_ws(s[i])) i++;
    size_t start = i;
    if (i < n && (s[i] == '+' || s[i] == '-')) i++;
    size_t int_digits = 0, frac_digits = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9') { i++; int_digits++; }
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && s[i] >= '0' && s[i] <= '9') { i++; frac_digits++; }
    }
    if (int_digits + frac_digits == 0) return false;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        if (j < n && (s[j] == '+' || s[j] == '-')) j++;
        size_t exp_digits = 0;
        while (j < n && s[j] >= '0' && s[j] <= '9') { j++; exp_digits++; }
        if (exp_digits == 0) return false;
        i = j;
    }
    size_t end = i;
    while (i < n && is_ws(s[i])) i++;
    if (i != n) return false;
    double d = std::strtod(s.substr(start, end - start).c_str(), nullptr);
    if (!std::isfinite(d)) return false;
    if (out) *out = d;
    return true;
}

static bool as_number(const ExprValue& v, double* out) {
    if (v.is_number) {
        *out = v.number;
        return true;
    }
    return parse_numeric_text(v.text, out);
}

// ---------------------------------------------------------------------------------------
// Syntax tree

enum class ExprKind { Literal, Var, Not, Neg, Or, And, Compare, Add, Call };
enum class CmpOp { Eq, Ne, Lt, Le, Gt, Ge };
enum class Func { IsEmpty, Count, CountIf, Sum, IntVal, If, StrLen, Trim, RegexMatch };

struct Expr {
    ExprKind kind = ExprKind::Literal;
    ExprValue value;                        // Literal
    std::string name, suffix;               // Var (name, suffix); Call (function name)
    CmpOp cmp = CmpOp::Eq;                  // Compare
    Func func = Func::IsEmpty;              // Call
    std::vector<bool> minus;                // Add: minus[i] = child i is subtracted (i >= 1)
    std::vector<std::unique_ptr<Expr>> kids;
    size_t column = 0;
};

struct FuncInfo {
    const char* name;
    Func func;
    int min_args, max_args; // max_args -1 = any number
};

static const FuncInfo kFunctions[] = {
    {"is_empty", Func::IsEmpty, 1, 1},
    {"count", Func::Count, 0, -1},
    {"countif", Func::CountIf, 1, -1},
    {"sum", Func::Sum, 0, -1},
    {"intval", Func::IntVal, 1, 1},
    {"if", Func::If, 3, 3},
    {"strlen", Func::StrLen, 1, 1},
    {"trim", Func::Trim, 1, 1},
    {"regexMatch", Func::RegexMatch, 2, 2},
};

const std::vector<std::string>& known_functions() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> v;
        for (const auto& f : kFunctions) v.push_back(f.name);
        return v;
    }();
    return names;
}

// ---------------------------------------------------------------------------------------
// Tokenizer

enum class Tok { End, Number, String, Name, LParen, RParen, Comma, Or, And, Not, Cmp, Plus, Minus };

struct Token {
    Tok kind = Tok::End;
    std::string text;     // as written in the source (for messages)
    std::string value;    // String: unescaped contents; Name: name; Number: digits
    std::string suffix;   // Name: part after '.'
    CmpOp cmp = CmpOp::Eq;
    size_t pos = 0;       // byte offset
};

struct LexError {
    std::string message;
    size_t pos = 0;
};

static bool is_name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
static bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9') || c == '#'; }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static std::string lower(std::string s) {
    for (auto& c : s)
        if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    return s;
}

// Splits the whole source up front; returns false with *err on the first bad character.
static bool tokenize(const std::string& src, std::vector<Token>& out, LexError* err) {
    size_t i = 0, n = src.size();
    while (true) {
        while (i < n && (src[i] == ' ' || src[i] == '\t' || src[i] == '\n' || src[i] == '\r')) i++;
        Token t;
        t.pos = i;
        if (i >= n) {
            t.kind = Tok::End;
            out.push_back(t);
            return true;
        }
        char c = src[i];
        if (is_digit(c) || (c == '.' && i + 1 < n && is_digit(src[i + 1]))) {
            size_t j = i;
            while (j < n && is_digit(src[j])) j++;
            if (j < n && src[j] == '.') {
                j++;
                while (j < n && is_digit(src[j])) j++;
            }
            t.kind = Tok::Number;
            t.text = t.value = src.substr(i, j - i);
            i = j;
        } else if (c == '\'' || c == '"') {
            // A backslash escapes the quote or a backslash; before any other character it is
            // kept, so regular expressions such as '\d+' read as written.
            size_t j = i + 1;
            bool closed = false;
            std::string v;
            while (j < n) {
                char d = src[j];
                if (d == '\\' && j + 1 < n && (src[j + 1] == c || src[j + 1] == '\\')) {
                    v += src[j + 1];
                    j += 2;
                    continue;
                }
                if (d == c) {
                    closed = true;
                    j++;
                    break;
                }
                v += d;
                j++;
            }
            if (!closed) {
                err->message = "unterminated string starting";
                err->pos = i;
                return false;
            }
            t.kind = Tok::String;
            t.text = src.substr(i, j - i);
            t.value = std::move(v);
            i = j;
        } else if (is_name_start(c)) {
            size_t j = i;
            while (j < n && is_name_char(src[j])) j++;
            t.value = src.substr(i, j - i);
            if (j < n && src[j] == '.') {
                size_t k = j + 1;
                while (k < n && is_name_char(src[k])) k++;
                std::string suffix = src.substr(j + 1, k - j - 1);
                if (suffix != "NAOK" && suffix != "shown" && suffix != "value" && suffix != "code") {
                    err->message = "unknown suffix '." + suffix + "'";
                    err->pos = j;
                    return false;
                }
                t.suffix = suffix;
                j = k;
            }
            t.text = src.substr(i, j - i);
            i = j;
            t.kind = Tok::Name;
            // Word operators, case-insensitive as in LimeSurvey. A variable cannot be
            // called "and"; with a suffix ("or.NAOK") it is still a name.
            if (t.suffix.empty()) {
                std::string w = lower(t.value);
                if (w == "or") t.kind = Tok::Or;
                else if (w == "and") t.kind = Tok::And;
                else if (w == "not") t.kind = Tok::Not;
                else if (w == "eq") { t.kind = Tok::Cmp; t.cmp = CmpOp::Eq; }
                else if (w == "ne") { t.kind = Tok::Cmp; t.cmp = CmpOp::Ne; }
                else if (w == "lt") { t.kind = Tok::Cmp; t.cmp = CmpOp::Lt; }
                else if (w == "le") { t.kind = Tok::Cmp; t.cmp = CmpOp::Le; }
                else if (w == "gt") { t.kind = Tok::Cmp; t.cmp = CmpOp::Gt; }
                else if (w == "ge") { t.kind = Tok::Cmp; t.cmp = CmpOp::Ge; }
            }
        } else {
            std::string two = src.substr(i, 2);
            size_t len = 1;
            if (two == "==") { t.kind = Tok::Cmp; t.cmp = CmpOp::Eq; len = 2; }
            else if (two == "!=") { t.kind = Tok::Cmp; t.cmp = CmpOp::Ne; len = 2; }
            else if (two == "<=") { t.kind = Tok::Cmp; t.cmp = CmpOp::Le; len = 2; }
            else if (two == ">=") { t.kind = Tok::Cmp; t.cmp = CmpOp::Ge; len = 2; }
            else if (two == "&&") { t.kind = Tok::And; len = 2; }
            else if (two == "||") { t.kind = Tok::Or; len = 2; }
            else if (c == '<') { t.kind = Tok::Cmp; t.cmp = CmpOp::Lt; }
            else if (c == '>') { t.kind = Tok::Cmp; t.cmp = CmpOp::Gt; }
            else if (c == '!') t.kind = Tok::Not;
            else if (c == '(') t.kind = Tok::LParen;
            else if (c == ')') t.kind = Tok::RParen;
            else if (c == ',') t.kind = Tok::Comma;
            else if (c == '+') t.kind = Tok::Plus;
            else if (c == '-') t.kind = Tok::Minus;
            else if (c == '=') {
                // LimeSurvey's '=' assigns; in a condition it is always a mistake for '=='.
                err->message = "unexpected '=' (use '==' to compare)";
                err->pos = i;
                return false;
            } else {
                // Show the whole UTF-8 sequence, not a broken first byte.
                size_t j = utf8_char_end(src, i);
                err->message = "unexpected character '" + src.substr(i, j - i) + "'";
                err->pos = i;
                return false;
            }
            t.text = src.substr(i, len);
            i += len;
        }
        out.push_back(std::move(t));
    }
}

// ---------------------------------------------------------------------------------------
// Parser

static const int kMaxDepth = 200;

struct Parser {
    const std::string& src;
    std::vector<Token> toks;
    size_t at = 0;
    int depth = 0;
    std::string error;
    size_t error_pos = 0;

    explicit Parser(const std::string& s) : src(s) {}

    const Token& peek() const { return toks[at]; }
    bool failed() const { return !error.empty(); }

    std::unique_ptr<Expr> fail(const std::string& msg, size_t pos) {
        if (error.empty()) {
            error = msg;
            error_pos = pos;
        }
        return nullptr;
    }
    std::unique_ptr<Expr> unexpected() {
        const Token& t = peek();
        if (t.kind == Tok::End) return fail("unexpected end of expression", t.pos);
        return fail("unexpected '" + t.text + "'", t.pos);
    }
    // Guards every place where the parser recurses: parentheses, function arguments and
    // prefix operators. Returns false (with the error set) when nested too deeply.
    bool enter(size_t pos) {
        if (++depth > kMaxDepth) {
            fail("expression nested too deeply", pos);
            return false;
        }
        return true;
    }

    static std::unique_ptr<Expr> node(ExprKind k, size_t pos) {
        auto e = std::make_unique<Expr>();
        e->kind = k;
        e->column = pos;
        return e;
    }

    std::unique_ptr<Expr> parse_or() {
        if (!enter(peek().pos)) return nullptr;
        auto left = parse_and();
        if (left && peek().kind == Tok::Or) {
            auto chain = node(ExprKind::Or, left->column);
            chain->kids.push_back(std::move(left));
            while (peek().kind == Tok::Or) {
                at++;
                auto right = parse_and();
                if (!right) { depth--; return nullptr; }
                chain->kids.push_back(std::move(right));
            }
            left = std::move(chain);
        }
        depth--;
        return left;
    }

    std::unique_ptr<Expr> parse_and() {
        auto left = parse_not();
        if (left && peek().kind == Tok::And) {
            auto chain = node(ExprKind::And, left->column);
            chain->kids.push_back(std::move(left));
            while (peek().kind == Tok::And) {
                at++;
                auto right = parse_not();
                if (!right) return nullptr;
                chain->kids.push_back(std::move(right));
            }
            left = std::move(chain);
        }
        return left;
    }

    std::unique_ptr<Expr> parse_not() {
        if (peek().kind != Tok::Not) return parse_cmp();
        size_t pos = peek().pos;
        at++;
        if (!enter(pos)) return nullptr;
        auto inner = parse_not();
        depth--;
        if (!inner) return nullptr;
        auto e = node(ExprKind::Not, pos);
        e->kids.push_back(std::move(inner));
        return e;
    }

    std::unique_ptr<Expr> parse_cmp() {
        auto left = parse_add();
        if (!left || peek().kind != Tok::Cmp) return left;
        auto e = node(ExprKind::Compare, peek().pos);
        e->cmp = peek().cmp;
        at++;
        auto right = parse_add();
        if (!right) return nullptr;
        e->kids.push_back(std::move(left));
        e->kids.push_back(std::move(right));
        return e;
    }

    std::unique_ptr<Expr> parse_add() {
        auto left = parse_unary();
        if (!left || (peek().kind != Tok::Plus && peek().kind != Tok::Minus)) return left;
        auto chain = node(ExprKind::Add, left->column);
        chain->kids.push_back(std::move(left));
        chain->minus.push_back(false);
        while (peek().kind == Tok::Plus || peek().kind == Tok::Minus) {
            bool minus = peek().kind == Tok::Minus;
            at++;
            auto right = parse_unary();
            if (!right) return nullptr;
            chain->kids.push_back(std::move(right));
            chain->minus.push_back(minus);
        }
        return chain;
    }

    std::unique_ptr<Expr> parse_unary() {
        if (peek().kind != Tok::Minus) return parse_primary();
        size_t pos = peek().pos;
        at++;
        if (!enter(pos)) return nullptr;
        auto inner = parse_unary();
        depth--;
        if (!inner) return nullptr;
        auto e = node(ExprKind::Neg, pos);
        e->kids.push_back(std::move(inner));
        return e;
    }

    std::unique_ptr<Expr> parse_primary() {
        const Token& t = peek();
        switch (t.kind) {
        case Tok::Number: {
            auto e = node(ExprKind::Literal, t.pos);
            e->value = ExprValue::of_number(std::strtod(t.value.c_str(), nullptr));
            at++;
            return e;
        }
        case Tok::String: {
            auto e = node(ExprKind::Literal, t.pos);
            e->value = ExprValue::of_string(t.value);
            at++;
            return e;
        }
        case Tok::LParen: {
            at++;
            auto inner = parse_or();
            if (!inner) return nullptr;
            if (peek().kind != Tok::RParen) return unexpected();
            at++;
            return inner;
        }
        case Tok::Name:
            if (toks[at + 1].kind == Tok::LParen && t.suffix.empty()) return parse_call();
            {
                auto e = node(ExprKind::Var, t.pos);
                e->name = t.value;
                e->suffix = t.suffix;
                at++;
                return e;
            }
        default:
            return unexpected();
        }
    }

    std::unique_ptr<Expr> parse_call() {
        const Token& name_tok = peek();
        const FuncInfo* info = nullptr;
        for (const auto& f : kFunctions)
            if (name_tok.value == f.name) info = &f;
        if (!info) {
            // Authors coming from LimeSurvey (or PHP, where function names ignore case)
            // write "regexmatch" or "IS_EMPTY": point them at the spelling we know.
            std::string hint;
            for (const auto& f : kFunctions)
                if (lower(name_tok.value) == lower(f.name)) hint = std::string(" (did you mean '") + f.name + "'?)";
            return fail("unknown function '" + name_tok.value + "'" + hint, name_tok.pos);
        }
        auto e = node(ExprKind::Call, name_tok.pos);
        e->name = info->name;
        e->func = info->func;
        at += 2; // name and '('
        if (peek().kind != Tok::RParen) {
            while (true) {
                auto arg = parse_or();
                if (!arg) return nullptr;
                e->kids.push_back(std::move(arg));
                if (peek().kind == Tok::Comma) {
                    at++;
                    continue;
                }
                if (peek().kind == Tok::RParen) break;
                return unexpected();
            }
        }
        at++; // ')'
        int n = (int)e->kids.size();
        if (n < info->min_args || (info->max_args >= 0 && n > info->max_args)) {
            std::string want;
            if (info->max_args == info->min_args)
                want = std::to_string(info->min_args) + (info->min_args == 1 ? " argument" : " arguments");
            else
                want = "at least " + std::to_string(info->min_args) + (info->min_args == 1 ? " argument" : " arguments");
            return fail("function '" + e->name + "' takes " + want + ", got " + std::to_string(n), e->column);
        }
        return e;
    }
};

// 1-based column in characters (UTF-8 code points), so a message points at the right
// place in a German condition such as "Straße == 'x'".
static size_t column_of(const std::string& src, size_t pos) {
    return 1 + utf8_length(std::string_view(src).substr(0, pos));
}

// Rewrites byte offsets in the tree to columns once parsing succeeded. `cols` maps every
// byte offset to its column, so this stays linear on long input.
static void fix_columns(Expr& e, const std::vector<size_t>& cols) {
    e.column = cols[e.column < cols.size() ? e.column : cols.size() - 1];
    for (auto& k : e.kids) fix_columns(*k, cols);
}

ExprParse parse_expression(const std::string& source) {
    ExprParse result;
    try {
        Parser p(source);
        LexError lex;
        if (!tokenize(source, p.toks, &lex)) {
            result.column = column_of(source, lex.pos);
            result.error = lex.message + " at column " + std::to_string(result.column);
            return result;
        }
        if (p.toks.size() == 1) {
            result.error = "empty expression at column 1";
            result.column = 1;
            return result;
        }
        auto e = p.parse_or();
        if (e && p.peek().kind != Tok::End) p.unexpected();
        if (p.failed()) {
            result.column = column_of(source, p.error_pos);
            result.error = p.error + " at column " + std::to_string(result.column);
            return result;
        }
        std::vector<size_t> cols(source.size() + 1);
        size_t col = 1;
        for (size_t i = 0; i <= source.size(); i++) {
            cols[i] = col;
            if (i < source.size() && !is_utf8_continuation(source[i])) col++;
        }
        fix_columns(*e, cols);
        result.expr = std::shared_ptr<const Expr>(std::move(e));
    } catch (const std::exception& ex) { // only allocation failure can get here
        result.expr.reset();
        result.error = std::string("cannot parse expression: ") + ex.what();
        result.column = 1;
    }
    return result;
}

// ---------------------------------------------------------------------------------------
// Evaluation

// LimeSurvey's comparison: numbers when both sides look numeric, strings otherwise. An
// empty value against a number never orders (`Q < 18` is false while Q is unanswered), so
// that a hidden or skipped question does not switch on a follow-up by accident.
static bool compare(CmpOp op, const ExprValue& a, const ExprValue& b) {
    double x = 0, y = 0;
    bool na = as_number(a, &x), nb = as_number(b, &y);
    if (na && nb) {
        switch (op) {
        case CmpOp::Eq: return x == y;
        case CmpOp::Ne: return x != y;
        case CmpOp::Lt: return x < y;
        case CmpOp::Le: return x <= y;
        case CmpOp::Gt: return x > y;
        case CmpOp::Ge: return x >= y;
        }
    }
    if (op != CmpOp::Eq && op != CmpOp::Ne && ((na && b.is_empty()) || (nb && a.is_empty())))
        return false;
    int c = a.text.compare(b.text);
    switch (op) {
    case CmpOp::Eq: return c == 0;
    case CmpOp::Ne: return c != 0;
    case CmpOp::Lt: return c < 0;
    case CmpOp::Le: return c <= 0;
    case CmpOp::Gt: return c > 0;
    case CmpOp::Ge: return c >= 0;
    }
    return false;
}

static std::string php_trim(const std::string& s) {
    const char* ws = " \t\n\r\v";
    size_t b = s.find_first_not_of(std::string(ws) + '\0');
    if (b == std::string::npos) return "";
    size_t e = s.find_last_not_of(std::string(ws) + '\0');
    return s.substr(b, e - b + 1);
}

// PHP's intval: the leading integer of the text ("12abc" -> 12), 0 when there is none.
static double int_value(const ExprValue& v) {
    double d = 0;
    if (as_number(v, &d)) return std::trunc(d);
    const std::string& s = v.text;
    size_t i = 0;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
    bool neg = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
    double r = 0;
    while (i < s.size() && is_digit(s[i])) r = r * 10 + (s[i++] - '0');
    return neg ? -r : r;
}

// Long subjects and patterns are refused rather than risked: std::regex recurses per
// character and could exhaust the stack on a hostile answer.
static const size_t kMaxRegexSubject = 2000, kMaxRegexPattern = 500;

// std::regex backtracks, and some patterns take exponential time on a short subject: a
// quantified group that holds a quantifier or an alternation ("(a+)+", "(a|a)*") and back-
// references. The fuzz target found one that ran for over 20 minutes, which on a kiosk is a
// frozen screen. Such patterns are refused (the test fails), as too long ones are; validation
// patterns of real surveys (postcodes, e-mail, numbers) do not need them.
static bool regex_may_explode(const std::string& p) {
    struct Group { bool quantified_inside = false; };
    std::vector<Group> groups;
    bool in_class = false;
    for (size_t i = 0; i < p.size(); i++) {
        char c = p[i];
        if (c == '\\') {
            if (i + 1 < p.size() && p[i + 1] >= '1' && p[i + 1] <= '9' && !in_class) return true; // back-reference
            i++;
            continue;
        }
        if (in_class) {
            if (c == ']') in_class = false;
            continue;
        }
        bool quantifier = c == '*' || c == '+' || c == '?' || c == '{';
        if (c == '[') in_class = true;
        else if (c == '(') groups.push_back({});
        else if (c == '|' && !groups.empty()) groups.back().quantified_inside = true;
        else if (c == ')' && !groups.empty()) {
            bool inner = groups.back().quantified_inside;
            groups.pop_back();
            bool quantified = i + 1 < p.size() && (p[i + 1] == '*' || p[i + 1] == '+' || p[i + 1] == '{');
            if (inner && quantified) return true;
            if (!groups.empty() && (inner || quantified)) groups.back().quantified_inside = true;
        } else if (quantifier && !groups.empty() && c != '?') {
            groups.back().quantified_inside = true;
        }
    }
    return false;
}

static bool regex_match_value(const std::string& pattern_src, const std::string& subject) {
    if (subject.size() > kMaxRegexSubject || pattern_src.size() > kMaxRegexPattern) return false;
    if (regex_may_explode(pattern_src)) return false;
    std::string pattern = pattern_src;
    auto flags = std::regex::ECMAScript;
    // LimeSurvey (PHP preg) writes patterns as /.../flags; only 'i' has a meaning here.
    if (pattern.size() >= 2 && pattern[0] == '/') {
        size_t close = pattern.rfind('/');
        if (close > 0) {
            std::string mods = pattern.substr(close + 1);
            bool ok = true;
            for (char m : mods) {
                if (m == 'i') flags |= std::regex::icase;
                else if (m != 'u' && m != 's' && m != 'm' && m != 'x') ok = false;
            }
            if (ok) pattern = pattern.substr(1, close - 1);
        }
    }
    try {
        std::regex re(pattern, flags);
        return std::regex_search(subject, re);
    } catch (const std::exception&) { // bad pattern or too complex: the test fails
        return false;
    }
}

static ExprValue eval(const Expr& e, const VarLookup& lookup) {
    switch (e.kind) {
    case ExprKind::Literal:
        return e.value;
    case ExprKind::Var:
        return lookup ? lookup(e.name, e.suffix) : ExprValue{};
    case ExprKind::Not:
        return ExprValue::of_bool(!eval(*e.kids[0], lookup).truthy());
    case ExprKind::Neg: {
        ExprValue v = eval(*e.kids[0], lookup);
        double d = 0;
        if (!as_number(v, &d)) return ExprValue{}; // -'abc' has no value
        return ExprValue::of_number(-d);
    }
    case ExprKind::Or:
        for (const auto& k : e.kids)
            if (eval(*k, lookup).truthy()) return ExprValue::of_bool(true);
        return ExprValue::of_bool(false);
    case ExprKind::And:
        for (const auto& k : e.kids)
            if (!eval(*k, lookup).truthy()) return ExprValue::of_bool(false);
        return ExprValue::of_bool(true);
    case ExprKind::Compare:
        return ExprValue::of_bool(compare(e.cmp, eval(*e.kids[0], lookup), eval(*e.kids[1], lookup)));
    case ExprKind::Add: {
        // '+' adds numbers and otherwise concatenates ("a" + 1 = "a1"); '-' needs numbers
        // and yields empty when it has none, like an unanswered question.
        ExprValue acc = eval(*e.kids[0], lookup);
        for (size_t i = 1; i < e.kids.size(); i++) {
            ExprValue v = eval(*e.kids[i], lookup);
            double x = 0, y = 0;
            bool nums = as_number(acc, &x) && as_number(v, &y);
            if (e.minus[i]) acc = nums ? ExprValue::of_number(x - y) : ExprValue{};
            else acc = nums ? ExprValue::of_number(x + y) : ExprValue::of_string(acc.text + v.text);
        }
        return acc;
    }
    case ExprKind::Call:
        break;
    }

    // Function calls. Arity was checked by the parser.
    const auto& a = e.kids;
    switch (e.func) {
    case Func::IsEmpty:
        return ExprValue::of_bool(eval(*a[0], lookup).is_empty());
    case Func::Count: {
        int n = 0;
        for (const auto& k : a)
            if (!eval(*k, lookup).is_empty()) n++;
        return ExprValue::of_number(n);
    }
    case Func::CountIf: {
        ExprValue want = eval(*a[0], lookup);
        int n = 0;
        for (size_t i = 1; i < a.size(); i++)
            if (compare(CmpOp::Eq, eval(*a[i], lookup), want)) n++;
        return ExprValue::of_number(n);
    }
    case Func::Sum: {
        double s = 0;
        for (const auto& k : a) {
            double d = 0;
            if (as_number(eval(*k, lookup), &d)) s += d;
        }
        return ExprValue::of_number(s);
    }
    case Func::IntVal:
        return ExprValue::of_number(int_value(eval(*a[0], lookup)));
    case Func::If:
        return eval(*a[eval(*a[0], lookup).truthy() ? 1 : 2], lookup);
    case Func::StrLen:
        return ExprValue::of_number((double)utf8_length(eval(*a[0], lookup).text));
    case Func::Trim:
        return ExprValue::of_string(php_trim(eval(*a[0], lookup).text));
    case Func::RegexMatch: {
        ExprValue pattern = eval(*a[0], lookup);
        ExprValue subject = eval(*a[1], lookup);
        return ExprValue::of_bool(regex_match_value(pattern.text, subject.text));
    }
    }
    return ExprValue{};
}

ExprValue evaluate(const Expr& e, const VarLookup& lookup) {
    try {
        return eval(e, lookup);
    } catch (const std::exception&) { // a throwing lookup, or out of memory
        return ExprValue{};
    }
}

bool evaluate_condition(const Expr& e, const VarLookup& lookup) {
    return evaluate(e, lookup).truthy();
}

static void collect_vars(const Expr& e, std::vector<std::string>& out, std::set<std::string>& seen) {
    if (e.kind == ExprKind::Var && seen.insert(e.name).second) out.push_back(e.name);
    for (const auto& k : e.kids) collect_vars(*k, out, seen);
}

std::vector<std::string> referenced_variables(const Expr& e) {
    std::vector<std::string> out;
    try {
        std::set<std::string> seen;
        collect_vars(e, out, seen);
    } catch (const std::exception&) {
    }
    return out;
}

} // namespace tk
