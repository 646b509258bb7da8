// expression.cpp - tokenizer, recursive-descent parser and evaluator of ExpressionScript.
//
// Holds, in order: values and PHP's number rules; the syntax tree and the function table;
// tokenizer; parser; LimeSurvey's operator rules; the function library (math, strings, HTML,
// sprintf, dates); evaluation.
//
// The tree is built once at load time and evaluated many times (every frame on the kiosk),
// so parsing does all the checking: unknown functions, wrong argument counts and bad syntax
// are load errors, and evaluation cannot fail. Chains of `or`, `and`, `+`/`-` and `*`/`/`
// are kept as one node with many children, so the depth of the tree is bounded by the
// nesting the parser allowed (kMaxDepth) and neither evaluation nor destruction can
// overflow the stack. Function arguments of up to eight are evaluated into a buffer on the
// stack, so calls allocate nothing beyond their values.
//
// The rules are LimeSurvey 6's (application/helpers/expressions/em_core_helper.php):
// RDP_EvaluateBinary for operators, RDP_RunFunction and the exprmgr_* functions for the
// library; PHP's own functions where LimeSurvey calls them directly.
#include "expression.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <random>
#include <regex>
#include <set>
#include <vector>

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

// PHP's booleans: true reads "1", false reads "" (so is_empty(1 > 2) is true) but counts 0.
ExprValue ExprValue::of_bool(bool b) {
    ExprValue v;
    v.is_number = true;
    v.is_bool = true;
    v.number = b ? 1 : 0;
    if (b) v.text = "1";
    return v;
}

ExprValue ExprValue::null_value() {
    ExprValue v;
    v.is_null = true;
    return v;
}

// PHP's truth, except NAN: PHP calls it true, LimeSurvey's page script (JavaScript) false;
// a condition on a failed calculation stays off.
bool ExprValue::truthy() const {
    if (is_number) return number != 0 && !std::isnan(number);
    return !text.empty() && text != "0";
}

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }

// PHP's is_numeric, which LimeSurvey relies on: optional surrounding whitespace, a sign,
// digits with an optional fraction (or ".5"), an optional exponent. "" is not a number.
static bool parse_numeric_text(const std::string& s, double* out) {
    size_t i = 0, n = s.size();
    while (i < n && is_space(s[i])) i++;
    size_t start = i;
    if (i < n && (s[i] == '+' || s[i] == '-')) i++;
    size_t int_digits = 0, frac_digits = 0;
    while (i < n && is_digit(s[i])) { i++; int_digits++; }
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && is_digit(s[i])) { i++; frac_digits++; }
    }
    if (int_digits + frac_digits == 0) return false;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        if (j < n && (s[j] == '+' || s[j] == '-')) j++;
        size_t exp_digits = 0;
        while (j < n && is_digit(s[j])) { j++; exp_digits++; }
        if (exp_digits == 0) return false;
        i = j;
    }
    size_t end = i;
    while (i < n && is_space(s[i])) i++;
    if (i != n) return false;
    double d = std::strtod(s.substr(start, end - start).c_str(), nullptr);
    if (!std::isfinite(d)) return false;
    if (out) *out = d;
    return true;
}

// Numeric in LimeSurvey's sense (getMismatchInformation): a number, or a numeric string.
static bool as_number(const ExprValue& v, double* out) {
    if (v.is_number) {
        *out = v.number;
        return true;
    }
    return parse_numeric_text(v.text, out);
}

// PHP's floatval / the leading number of a text: "12.5abc" -> 12.5, "abc" -> 0.
static double leading_number(const ExprValue& v, bool* found = nullptr) {
    double d = 0;
    if (as_number(v, &d)) {
        if (found) *found = true;
        return d;
    }
    const std::string& s = v.text;
    size_t i = 0;
    while (i < s.size() && is_space(s[i])) i++;
    size_t start = i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) i++;
    size_t digits = 0;
    while (i < s.size() && is_digit(s[i])) { i++; digits++; }
    if (i < s.size() && s[i] == '.') {
        i++;
        while (i < s.size() && is_digit(s[i])) { i++; digits++; }
    }
    if (found) *found = digits > 0;
    if (digits == 0) return 0;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        if (j < s.size() && (s[j] == '+' || s[j] == '-')) j++;
        if (j < s.size() && is_digit(s[j])) {
            while (j < s.size() && is_digit(s[j])) j++;
            i = j;
        }
    }
    d = std::strtod(s.substr(start, i - start).c_str(), nullptr);
    return std::isfinite(d) ? d : 0;
}

// PHP's falsiness as LimeSurvey's type test uses it (`!$arg`): "", "0", 0, false, NULL.
static bool php_falsy(const ExprValue& v) {
    if (v.is_number) return v.number == 0;
    return v.text.empty() || v.text == "0";
}

static ExprValue nan_value() { return ExprValue::of_number(NAN); }
static ExprValue false_value() { return ExprValue::of_bool(false); }
static ExprValue str(std::string s) { return ExprValue::of_string(std::move(s)); }
static ExprValue num(double d) { return ExprValue::of_number(d); }

// ---------------------------------------------------------------------------------------
// Syntax tree and function table

enum class ExprKind { Literal, Var, Not, Neg, Pos, Or, And, Compare, Add, Mul, Call };
enum class CmpOp { Eq, Ne, Lt, Le, Gt, Ge };

enum class Fn {
    // math
    Abs, Acos, Asin, Atan, Atan2, Ceil, Cos, Exp, Fixnum, Floatval, Floor, Intval, Log, Max, Min,
    NumberFormat, Pi, Pow, Rand, Round, Sin, Sqrt, Stddev, Tan,
    // types
    IsEmpty, IsFloat, IsInt, IsNan, IsNull, IsNumeric, IsString,
    // strings
    Addslashes, HtmlEntityDecode, Htmlentities, Htmlspecialchars, HtmlspecialcharsDecode, Implode,
    Join, List, Ltrim, Nl2br, QpDecode, QpEncode, Quotemeta, RegexMatch, Rtrim, Sprintf, StrPad,
    StrRepeat, StrReplace, Strcasecmp, Strcmp, StripTags, Stripos, Stripslashes, Stristr, Strlen,
    Strpos, Strrev, Strstr, Strtolower, Strtoupper, Substr, Trim, Ucwords,
    // counting and choosing
    ConvertValue, Count, CountIf, CountIfOp, If, Sum, SumIfOp, Unique,
    // dates
    Checkdate, Date, Gmdate, Idate, Mktime, Strtotime, Time,
};

struct Expr {
    ExprKind kind = ExprKind::Literal;
    ExprValue value;                        // Literal
    std::string name, suffix;               // Var (name, suffix); Call (function name)
    CmpOp cmp = CmpOp::Eq;                  // Compare
    Fn fn = Fn::IsEmpty;                    // Call
    std::vector<char> ops;                  // Add / Mul: ops[i] is the operator before child i
    std::vector<std::unique_ptr<Expr>> kids;
    size_t column = 0;
};

struct FuncInfo {
    const char* name;
    Fn fn;
    int min_args, max_args; // max_args -1 = any number
};

// LimeSurvey 6's RDP_ValidFunctions with its argument counts. A few accept more than
// LimeSurvey does (count() and sum() with no argument, as this engine always has).
static const FuncInfo kFunctions[] = {
    {"abs", Fn::Abs, 1, 1},
    {"acos", Fn::Acos, 1, 1},
    {"addslashes", Fn::Addslashes, 1, 1},
    {"asin", Fn::Asin, 1, 1},
    {"atan", Fn::Atan, 1, 1},
    {"atan2", Fn::Atan2, 2, 2},
    {"ceil", Fn::Ceil, 1, 1},
    {"checkdate", Fn::Checkdate, 3, 3},
    {"convert_value", Fn::ConvertValue, 4, 4},
    {"cos", Fn::Cos, 1, 1},
    {"count", Fn::Count, 0, -1},
    {"countif", Fn::CountIf, 1, -1},
    {"countifop", Fn::CountIfOp, 2, -1},
    {"date", Fn::Date, 1, 2},
    {"exp", Fn::Exp, 1, 1},
    {"fixnum", Fn::Fixnum, 1, 1},
    {"floatval", Fn::Floatval, 1, 1},
    {"floor", Fn::Floor, 1, 1},
    {"gmdate", Fn::Gmdate, 1, 2},
    {"html_entity_decode", Fn::HtmlEntityDecode, 1, 1},
    {"htmlentities", Fn::Htmlentities, 1, 1},
    {"htmlspecialchars", Fn::Htmlspecialchars, 1, 1},
    {"htmlspecialchars_decode", Fn::HtmlspecialcharsDecode, 1, 1},
    {"idate", Fn::Idate, 1, 2},
    {"if", Fn::If, 2, 3},
    {"implode", Fn::Implode, 1, -1},
    {"intval", Fn::Intval, 1, 2},
    {"is_empty", Fn::IsEmpty, 1, 1},
    {"is_float", Fn::IsFloat, 1, 1},
    {"is_int", Fn::IsInt, 1, 1},
    {"is_nan", Fn::IsNan, 1, 1},
    {"is_null", Fn::IsNull, 1, 1},
    {"is_numeric", Fn::IsNumeric, 1, 1},
    {"is_string", Fn::IsString, 1, 1},
    {"join", Fn::Join, 0, -1},
    {"list", Fn::List, 1, -1},
    {"log", Fn::Log, 1, 2},
    {"ltrim", Fn::Ltrim, 1, 2},
    {"max", Fn::Max, 1, -1},
    {"min", Fn::Min, 1, -1},
    {"mktime", Fn::Mktime, 0, 6},
    {"nl2br", Fn::Nl2br, 1, 1},
    {"number_format", Fn::NumberFormat, 1, 1},
    {"pi", Fn::Pi, 0, 0},
    {"pow", Fn::Pow, 2, 2},
    {"quoted_printable_decode", Fn::QpDecode, 1, 1},
    {"quoted_printable_encode", Fn::QpEncode, 1, 1},
    {"quotemeta", Fn::Quotemeta, 1, 1},
    {"rand", Fn::Rand, 0, 2},
    {"regexMatch", Fn::RegexMatch, 2, 2},
    {"round", Fn::Round, 1, 2},
    {"rtrim", Fn::Rtrim, 1, 2},
    {"sin", Fn::Sin, 1, 1},
    {"sprintf", Fn::Sprintf, 1, -1},
    {"sqrt", Fn::Sqrt, 1, 1},
    {"stddev", Fn::Stddev, 1, -1},
    {"str_pad", Fn::StrPad, 2, 3},
    {"str_repeat", Fn::StrRepeat, 2, 2},
    {"str_replace", Fn::StrReplace, 3, 3},
    {"strcasecmp", Fn::Strcasecmp, 2, 2},
    {"strcmp", Fn::Strcmp, 2, 2},
    {"strip_tags", Fn::StripTags, 1, 2},
    {"stripos", Fn::Stripos, 2, 3},
    {"stripslashes", Fn::Stripslashes, 1, 1},
    {"stristr", Fn::Stristr, 2, 3},
    {"strlen", Fn::Strlen, 1, 1},
    {"strpos", Fn::Strpos, 2, 3},
    {"strrev", Fn::Strrev, 1, 1},
    {"strstr", Fn::Strstr, 2, 3},
    {"strtolower", Fn::Strtolower, 1, 1},
    {"strtotime", Fn::Strtotime, 1, 1},
    {"strtoupper", Fn::Strtoupper, 1, 1},
    {"substr", Fn::Substr, 2, 3},
    {"sum", Fn::Sum, 0, -1},
    {"sumifop", Fn::SumIfOp, 2, -1},
    {"tan", Fn::Tan, 1, 1},
    {"time", Fn::Time, 0, 0},
    {"trim", Fn::Trim, 1, 2},
    {"ucwords", Fn::Ucwords, 1, 1},
    {"unique", Fn::Unique, 0, -1},
};

static const FuncInfo* find_function(const std::string& name) {
    for (const auto& f : kFunctions)
        if (name == f.name) return &f;
    return nullptr;
}

const std::vector<std::string>& known_functions() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> v;
        for (const auto& f : kFunctions) v.push_back(f.name);
        return v;
    }();
    return names;
}

std::string refused_function(const std::string& name) {
    if (name == "listifop")
        return "it reads question attributes named at run time; "
               "write the list with if() and join() over the questions instead";
    return "";
}

static bool known_ifop(const std::string& op);

// Variable properties LimeSurvey defines that a survey can read (see FORMAT.md).
static bool known_property(const std::string& p) {
    static const char* const kProps[] = {"NAOK", "shown", "value", "valueNAOK", "code", "relevanceStatus",
                                         "question", "gid", "qid", "sgqa", "mandatory", "qseq", "gseq",
                                         "type", "relevance"};
    for (const char* k : kProps)
        if (p == k) return true;
    return false;
}

// ---------------------------------------------------------------------------------------
// Tokenizer

enum class Tok { End, Number, String, Name, SelfRef, LParen, RParen, Comma, Or, And, Not, Bang, Cmp, Plus, Minus, Star, Slash };

struct Token {
    Tok kind = Tok::End;
    std::string text;     // as written in the source (for messages)
    std::string value;    // String: unescaped contents; Name: name; Number: digits
    std::string suffix;   // Name: part after '.'; SelfRef: everything after "self." / "that."
    CmpOp cmp = CmpOp::Eq;
    size_t pos = 0;       // byte offset
};

struct LexError {
    std::string message;
    size_t pos = 0;
};

static bool is_name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
static bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9') || c == '#'; }

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
            // A backslash escapes either quote or a backslash (as LimeSurvey unescapes
            // them); before any other character it is kept, so regular expressions such as '\d+' read as written.
            size_t j = i + 1;
            bool closed = false;
            std::string v;
            while (j < n) {
                char d = src[j];
                if (d == '\\' && j + 1 < n && (src[j + 1] == '\'' || src[j + 1] == '"' || src[j + 1] == '\\')) {
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
            if (t.value == "self" || t.value == "that") {
                // self.sq_SQ001.NAOK, that.Q1.nosq_X: a chain of parts, expanded by the parser.
                while (j < n && src[j] == '.') {
                    size_t k = j + 1;
                    while (k < n && is_name_char(src[k])) k++;
                    if (k == j + 1) {
                        err->message = "'.' must be followed by a part after '" + t.value + "'";
                        err->pos = j;
                        return false;
                    }
                    j = k;
                }
                t.kind = Tok::SelfRef;
                t.text = src.substr(i, j - i);
                t.suffix = t.text.size() > 4 ? t.text.substr(5) : "";
                i = j;
                out.push_back(t);
                continue;
            }
            if (j < n && src[j] == '.') {
                size_t k = j + 1;
                while (k < n && is_name_char(src[k])) k++;
                std::string suffix = src.substr(j + 1, k - j - 1);
                if (suffix == "jsName") {
                    err->message = "'.jsName' is the name of the variable in LimeSurvey's JavaScript, which "
                                   "a kiosk does not run; it is not supported";
                    err->pos = j;
                    return false;
                }
                if (!known_property(suffix)) {
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
            else if (c == '!') t.kind = Tok::Bang;
            else if (c == '(') t.kind = Tok::LParen;
            else if (c == ')') t.kind = Tok::RParen;
            else if (c == ',') t.kind = Tok::Comma;
            else if (c == '+') t.kind = Tok::Plus;
            else if (c == '-') t.kind = Tok::Minus;
            else if (c == '*') t.kind = Tok::Star;
            else if (c == '/') t.kind = Tok::Slash;
            else if (c == '%') {
                // PHP has it, ExpressionScript does not: LimeSurvey refuses it too.
                err->message = "'%' is not an operator in ExpressionScript (use intval(a / b) or a - b * floor(a / b))";
                err->pos = i;
                return false;
            }
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

    const ExprContext* ctx = nullptr; // for self / that; null where there is no question

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
        if (peek().kind != Tok::Not) return parse_eq();
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

    // Equality binds looser than ordering, as in LimeSurvey: "A < 3 == 1" is (A < 3) == 1.
    // Neither chains: "A == B == C" is almost always a mistake for "A == B and B == C".
    std::unique_ptr<Expr> parse_eq() {
        auto left = parse_rel();
        if (!left || peek().kind != Tok::Cmp || (peek().cmp != CmpOp::Eq && peek().cmp != CmpOp::Ne)) return left;
        return finish_cmp(std::move(left), &Parser::parse_rel);
    }

    std::unique_ptr<Expr> parse_rel() {
        auto left = parse_add();
        if (!left || peek().kind != Tok::Cmp || peek().cmp == CmpOp::Eq || peek().cmp == CmpOp::Ne) return left;
        return finish_cmp(std::move(left), &Parser::parse_add);
    }

    std::unique_ptr<Expr> finish_cmp(std::unique_ptr<Expr> left, std::unique_ptr<Expr> (Parser::*operand)()) {
        auto e = node(ExprKind::Compare, peek().pos);
        e->cmp = peek().cmp;
        at++;
        auto right = (this->*operand)();
        if (!right) return nullptr;
        // A second operator of the same level would chain; an equality after an ordering is
        // the looser level and parse_eq takes it.
        bool eq_level = e->cmp == CmpOp::Eq || e->cmp == CmpOp::Ne;
        bool next_eq = peek().cmp == CmpOp::Eq || peek().cmp == CmpOp::Ne;
        if (peek().kind == Tok::Cmp && (eq_level || !next_eq)) return unexpected();
        e->kids.push_back(std::move(left));
        e->kids.push_back(std::move(right));
        return e;
    }

    // '+'/'-' and '*'/'/' chains are one node each; ops[i] is the operator before child i.
    std::unique_ptr<Expr> parse_add() { return parse_chain(ExprKind::Add, Tok::Plus, Tok::Minus, '+', '-', &Parser::parse_mul); }
    std::unique_ptr<Expr> parse_mul() { return parse_chain(ExprKind::Mul, Tok::Star, Tok::Slash, '*', '/', &Parser::parse_unary); }

    std::unique_ptr<Expr> parse_chain(ExprKind kind, Tok t1, Tok t2, char op1, char op2,
                                      std::unique_ptr<Expr> (Parser::*operand)()) {
        auto left = (this->*operand)();
        if (!left || (peek().kind != t1 && peek().kind != t2)) return left;
        auto chain = node(kind, left->column);
        chain->kids.push_back(std::move(left));
        chain->ops.push_back(op1);
        while (peek().kind == t1 || peek().kind == t2) {
            char op = peek().kind == t1 ? op1 : op2;
            at++;
            auto right = (this->*operand)();
            if (!right) return nullptr;
            chain->kids.push_back(std::move(right));
            chain->ops.push_back(op);
        }
        return chain;
    }

    // '!' binds tighter than any binary operator ("!A == 1" is (!A) == 1), as in LimeSurvey;
    // the word "not" negates a whole comparison (see parse_not).
    std::unique_ptr<Expr> parse_unary() {
        Tok k = peek().kind;
        if (k != Tok::Minus && k != Tok::Plus && k != Tok::Bang) return parse_primary();
        size_t pos = peek().pos;
        at++;
        if (!enter(pos)) return nullptr;
        auto inner = parse_unary();
        depth--;
        if (!inner) return nullptr;
        auto e = node(k == Tok::Bang ? ExprKind::Not : k == Tok::Minus ? ExprKind::Neg : ExprKind::Pos, pos);
        e->kids.push_back(std::move(inner));
        return e;
    }

    std::unique_ptr<Expr> parse_primary() {
        const Token& t = peek();
        switch (t.kind) {
        case Tok::Number: {
            auto e = node(ExprKind::Literal, t.pos);
            e->value = ExprValue::of_number(std::strtod(t.value.c_str(), nullptr));
            e->value.text = t.value; // PHP keeps the literal as written: 'a' + 1.50 is "a1.50"
            at++;
            return e;
        }
        case Tok::String: {
            auto e = node(ExprKind::Literal, t.pos);
            e->value = ExprValue::of_string(t.value);
            e->value.quoted = true;
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
        case Tok::SelfRef: {
            // Outside a function's arguments the list must be a single variable:
            // LimeSurvey pastes "Q_A, Q_B" in place, which is a syntax error there.
            std::vector<std::string> names;
            std::string suffix;
            if (!expand_self(t, names, suffix)) return nullptr;
            if (names.size() != 1) {
                std::string list;
                for (size_t i = 0; i < names.size() && i < 4; i++) list += (i ? ", " : "") + names[i];
                if (names.size() > 4) list += ", ...";
                return fail("'" + t.text + "' stands for " + std::to_string(names.size()) + " variables (" + list +
                                "); use it as a function's argument, e.g. count(" + t.text + ")",
                            t.pos);
            }
            auto e = node(ExprKind::Var, t.pos);
            e->name = names[0];
            e->suffix = suffix;
            at++;
            return e;
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

    // self / that (t.value) with its chain of parts (t.suffix, "sq_A.NAOK"): the variables it
    // selects and the property they carry. LimeSurvey's rules (manual, "ExpressionScript -
    // Presentation", "self and that"): `comments` keeps the comment fields, `nocomments` drops
    // them, `sq_X` keeps the parts whose code contains X (sq_1 keeps a1, 1a, 1, 11 and 001),
    // `nosq_X` drops them; several sq_ keep what any of them keeps.
    bool expand_self(const Token& t, std::vector<std::string>& names, std::string& suffix) {
        std::vector<std::string> parts;
        for (size_t b = 0; b < t.suffix.size();) {
            size_t d = t.suffix.find('.', b);
            if (d == std::string::npos) d = t.suffix.size();
            parts.push_back(t.suffix.substr(b, d - b));
            b = d + 1;
        }
        std::string code;
        size_t first = 0;
        if (t.value == "self" && ctx && ctx->self_as_variable && ctx->self.empty() &&
            (parts.empty() || (parts.size() == 1 && known_property(parts[0])))) {
            names = {"self"};
            suffix = parts.empty() ? "" : parts[0];
            return true;
        }
        if (t.value == "that") {
            if (parts.empty()) {
                fail("'that' must name a question, e.g. that.Q1.NAOK", t.pos);
                return false;
            }
            if (!ctx) {
                fail("'that' can only be used in a survey's conditions, validation and texts; "
                     "name the variables instead", t.pos);
                return false;
            }
            code = parts[0];
            first = 1;
        } else {
            if (!ctx || ctx->self.empty()) {
                fail(ctx && !ctx->self_error.empty()
                         ? ctx->self_error
                         : "'self' stands for a question's own answers, and there is no question here; "
                           "name the variables instead",
                     t.pos);
                return false;
            }
            code = ctx->self;
        }
        std::vector<std::string> all;
        if (!ctx->parts || !ctx->parts(code, &all)) {
            fail("'" + t.text + "' names no question " + code + " known here" + ctx->unknown_note, t.pos);
            return false;
        }
        bool want_comments = false, no_comments = false;
        std::vector<std::string> sq, nosq;
        for (size_t i = first; i < parts.size(); i++) {
            const std::string& p = parts[i];
            if (!suffix.empty()) {
                fail("in '" + t.text + "' the property '." + suffix + "' must come last", t.pos);
                return false;
            }
            if (p == "comments") want_comments = true;
            else if (p == "nocomments") no_comments = true;
            else if (p.size() > 3 && p.compare(0, 3, "sq_") == 0) sq.push_back(p.substr(3));
            else if (p.size() > 5 && p.compare(0, 5, "nosq_") == 0) nosq.push_back(p.substr(5));
            else if (p == "jsName") {
                fail("'.jsName' is the name of the variable in LimeSurvey's JavaScript, which a kiosk "
                     "does not run; it is not supported", t.pos);
                return false;
            } else if (known_property(p)) suffix = p;
            else {
                fail("unknown part '" + p + "' in '" + t.text + "': use comments, nocomments, sq_<code>, "
                     "nosq_<code> or a property such as NAOK",
                     t.pos);
                return false;
            }
        }
        for (const std::string& n : all) {
            // The part's own code: "A" of "Q1_A"; "" for the question's main variable.
            std::string rest = n.size() > code.size() ? n.substr(code.size() + 1) : "";
            bool comment = rest.size() >= 7 && rest.compare(rest.size() - 7, 7, "comment") == 0;
            if (want_comments && !comment) continue;
            if (no_comments && comment) continue;
            auto has = [&](const std::vector<std::string>& pats) {
                for (const std::string& x : pats)
                    if (rest.find(x) != std::string::npos) return true;
                return false;
            };
            if (!sq.empty() && !has(sq)) continue;
            if (has(nosq)) continue;
            names.push_back(n);
        }
        if (names.empty()) {
            std::string list;
            for (size_t i = 0; i < all.size() && i < 6; i++) list += (i ? ", " : "") + all[i];
            if (all.size() > 6) list += ", ...";
            fail("'" + t.text + "' selects none of the variables of question " + code +
                     (all.empty() ? " (it has no answer)" : " (" + list + ")"),
                 t.pos);
            return false;
        }
        return true;
    }

    std::unique_ptr<Expr> parse_call() {
        const Token& name_tok = peek();
        const FuncInfo* info = find_function(name_tok.value);
        if (!info) {
            std::string why = refused_function(name_tok.value);
            if (!why.empty()) return fail("function '" + name_tok.value + "' is not supported: " + why, name_tok.pos);
            // Authors coming from LimeSurvey (or PHP, where function names ignore case)
            // write "regexmatch" or "IS_EMPTY": point them at the spelling we know.
            std::string hint;
            for (const auto& f : kFunctions)
                if (lower(name_tok.value) == lower(f.name)) hint = std::string(" (did you mean '") + f.name + "'?)";
            return fail("unknown function '" + name_tok.value + "'" + hint, name_tok.pos);
        }
        auto e = node(ExprKind::Call, name_tok.pos);
        e->name = info->name;
        e->fn = info->fn;
        at += 2; // name and '('
        if (peek().kind != Tok::RParen) {
            while (true) {
                // A bare self / that argument becomes one argument per variable, as
                // LimeSurvey substitutes the comma-separated list into the call.
                // (A SelfRef is never the last token: End follows it.)
                bool bare = peek().kind == Tok::SelfRef &&
                            (toks[at + 1].kind == Tok::Comma || toks[at + 1].kind == Tok::RParen ||
                             toks[at + 1].kind == Tok::End); // End: report the missing ')'
                if (bare) {
                    std::vector<std::string> names;
                    std::string suffix;
                    if (!expand_self(peek(), names, suffix)) return nullptr;
                    for (const std::string& n : names) {
                        auto v = node(ExprKind::Var, peek().pos);
                        v->name = n;
                        v->suffix = suffix;
                        e->kids.push_back(std::move(v));
                    }
                    at++;
                } else {
                    auto arg = parse_or();
                    if (!arg) return nullptr;
                    e->kids.push_back(std::move(arg));
                }
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
        bool ok = n >= info->min_args && (info->max_args < 0 || n <= info->max_args);
        if (info->fn == Fn::Rand) ok = n == 0 || n == 2; // rand() or rand(min, max)
        if (!ok) {
            auto args = [](int k) { return std::to_string(k) + (k == 1 ? " argument" : " arguments"); };
            std::string want;
            if (info->fn == Fn::Rand) want = "0 or 2 arguments";
            else if (info->max_args == info->min_args) want = args(info->min_args);
            else if (info->max_args < 0) want = "at least " + args(info->min_args);
            else want = std::to_string(info->min_args) + " to " + args(info->max_args);
            return fail("function '" + e->name + "' takes " + want + ", got " + std::to_string(n), e->column);
        }
        // countifop('>=', 3, ...): an operator LimeSurvey does not know would count nothing.
        if ((info->fn == Fn::CountIfOp || info->fn == Fn::SumIfOp) && e->kids[0]->kind == ExprKind::Literal &&
            !known_ifop(e->kids[0]->value.text))
            return fail("function '" + e->name + "' does not know the operator '" + e->kids[0]->value.text +
                            "' (use ==, !=, <, <=, >, >=, eq, ne, lt, le, gt, ge or RX)",
                        e->kids[0]->column);
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

ExprContext self_variable_context() {
    ExprContext ctx;
    ctx.self_as_variable = true;
    return ctx;
}

std::string parse_error_text(const ExprParse& r) {
    bool has_col = r.error.find("column") != std::string::npos;
    return r.error + (r.column && !has_col ? " at column " + std::to_string(r.column) : "");
}

ExprParse parse_expression(const std::string& source) { return parse_expression(source, ExprContext{}); }

ExprParse parse_expression(const std::string& source, const ExprContext& context) {
    ExprParse result;
    try {
        Parser p(source);
        // An empty context is no context: self / that give the plain message.
        if (context.parts || !context.self.empty() || !context.self_error.empty() || context.self_as_variable)
            p.ctx = &context;
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
// LimeSurvey's operator rules (RDP_EvaluateBinary, RDP_EvaluateUnary)

// PHP 8's loose ==, which LimeSurvey's == and countif use: numbers when both sides are
// numeric ("10" == "10.0"), a boolean against anything by truth, otherwise the texts.
static bool loose_eq(const ExprValue& a, const ExprValue& b) {
    if (a.is_bool || b.is_bool) return a.truthy() == b.truthy();
    double x = 0, y = 0;
    if (as_number(a, &x) && as_number(b, &y)) return x == y;
    return a.text == b.text;
}

// PHP 8's <=> for min, max, countifop and sumifop: numeric when both are, else the texts.
static int php_cmp(const ExprValue& a, const ExprValue& b) {
    if (a.is_bool || b.is_bool) return int(a.truthy()) - int(b.truthy());
    double x = 0, y = 0;
    if (as_number(a, &x) && as_number(b, &y)) return x < y ? -1 : x > y ? 1 : 0;
    int c = a.text.compare(b.text);
    return c < 0 ? -1 : c > 0 ? 1 : 0;
}

// Ordering follows getMismatchInformation: a side is numeric when it is a number or a
// numeric string, "string" when it is empty, "0" or not numeric. Two numerics compare as
// numbers, two strings by bytes (strcmp), a number against a string never orders (so an
// unanswered question is neither < 18 nor > 18). A quoted literal or a concatenation on
// either side makes two numerics compare as strings ('10' > '9' is false). "0" against ""
// is <= but not >, as LimeSurvey forces for agreement with its page script.
static bool compare(CmpOp op, const ExprValue& a, const ExprValue& b) {
    if (op == CmpOp::Eq) return loose_eq(a, b);
    if (op == CmpOp::Ne) return !loose_eq(a, b);
    double x = 0, y = 0;
    bool na = as_number(a, &x), nb = as_number(b, &y);
    bool both_num = na && nb;
    bool both_str = (php_falsy(a) || !na) && (php_falsy(b) || !nb);
    if (both_num && (a.quoted || b.quoted)) {
        both_num = false;
        both_str = true;
    }
    if (!both_num && !both_str) return false;
    if (op == CmpOp::Le || op == CmpOp::Gt) {
        static const ExprValue zero = ExprValue::of_string("0"), empty;
        if ((loose_eq(a, zero) && loose_eq(b, empty)) || (loose_eq(a, empty) && loose_eq(b, zero)))
            return op == CmpOp::Le;
    }
    int c = 0;
    if (!both_num) {
        c = a.text.compare(b.text);
    } else {
        if (std::isnan(x) || std::isnan(y)) return false;
        c = x < y ? -1 : x > y ? 1 : 0;
    }
    switch (op) {
    case CmpOp::Lt: return c < 0;
    case CmpOp::Le: return c <= 0;
    case CmpOp::Gt: return c > 0;
    case CmpOp::Ge: return c >= 0;
    default: return false;
    }
}

// '+' adds two numerics and otherwise concatenates (the result counts as a quoted string);
// '-', '*' and '/' need two numerics and give NAN otherwise, as does division by zero.
static ExprValue arith(char op, const ExprValue& a, const ExprValue& b) {
    double x = 0, y = 0;
    bool both_num = !a.quoted && !b.quoted && as_number(a, &x) && as_number(b, &y);
    switch (op) {
    case '+':
        if (both_num) return num(x + y);
        {
            ExprValue v = str(a.text + b.text);
            v.quoted = true;
            return v;
        }
    case '-': return both_num ? num(x - y) : nan_value();
    case '*': return both_num ? num(x * y) : nan_value();
    default: return both_num && y != 0 ? num(x / y) : nan_value();
    }
}

// Unary minus and plus: an empty value is 0 (LimeSurvey says so), "12abc" is 12 (PHP),
// and a text without a leading number has no value (PHP 8 throws).
static ExprValue unary(bool minus, const ExprValue& v) {
    double d = 0;
    if (v.is_number || !v.text.empty()) {
        bool found = false;
        d = leading_number(v, &found);
        if (!found) return nan_value();
    }
    return num(minus ? -d : d);
}

// --- regular expressions ---

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

// ---------------------------------------------------------------------------------------
// Function library: helpers

// Results longer than this are refused (empty): str_repeat('x', 1e9) must not take the
// kiosk's memory. No survey text comes near it.
static const size_t kMaxText = 65536;

struct Args {
    const ExprValue* v;
    size_t n;
    const ExprValue& operator[](size_t i) const { return v[i]; }
    size_t size() const { return n; }
    // The text of argument i, or `def` when it was not given.
    std::string text_or(size_t i, const std::string& def) const { return i < n ? v[i].text : def; }
};

// PHP's intval(value, base): numbers truncate; texts read their leading integer in `base`
// (0 = from the prefix 0x / 0 / 0b), numeric texts such as "1e3" as numbers.
static double int_value(const ExprValue& v, int base = 10) {
    double d = 0;
    if (v.is_number) return std::isfinite(v.number) ? std::trunc(v.number) : 0;
    if (base == 10 && parse_numeric_text(v.text, &d)) return std::trunc(d);
    if (base != 0 && (base < 2 || base > 36)) return 0;
    std::string s = v.text;
    size_t i = 0;
    while (i < s.size() && is_space(s[i])) i++;
    std::string sign;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) sign = s[i++];
    std::string rest = s.substr(i);
    auto prefixed = [&](const char* p) { return rest.size() > 2 && (lower(rest.substr(0, 2)) == p); };
    if ((base == 16 || base == 0) && prefixed("0x")) { rest = rest.substr(2); base = 16; }
    else if ((base == 2 || base == 0) && prefixed("0b")) { rest = rest.substr(2); base = 2; }
    else if ((base == 8 || base == 0) && prefixed("0o")) { rest = rest.substr(2); base = 8; }
    else if (base == 0) base = rest.size() > 1 && rest[0] == '0' ? 8 : 10;
    double r = 0;
    for (char c : rest) {
        int dgt = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'z' ? c - 'a' + 10 : c >= 'A' && c <= 'Z' ? c - 'A' + 10 : 99;
        if (dgt >= base) break;
        r = r * base + dgt;
    }
    return sign == "-" ? -r : r;
}

// int_value as a C++ integer, clamped: casting an out-of-range double is undefined.
static long long int_arg(const ExprValue& v, int base = 10) {
    double d = int_value(v, base);
    if (std::isnan(d)) return 0;
    if (d > 9e18) return 9000000000000000000LL;
    if (d < -9e18) return -9000000000000000000LL;
    return (long long)d;
}

// PHP's round(): half away from zero, after rounding to 15 significant digits so that
// 1.955 (stored as 1.95499999...) still rounds to 1.96.
static double php_round(double x, long long places) {
    if (!std::isfinite(x)) return x;
    if (places > 300) places = 300;
    if (places < -300) places = -300;
    double f = std::pow(10.0, (double)std::llabs(places));
    double t = places >= 0 ? x * f : x / f;
    if (!std::isfinite(t)) return x;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.15e", t);
    t = std::round(std::strtod(buf, nullptr));
    t = places >= 0 ? t / f : t * f;
    std::snprintf(buf, sizeof buf, "%.15e", t);
    return std::strtod(buf, nullptr);
}

// --- UTF-8 characters and case (LimeSurvey uses the mb_* functions) ---

// One character per piece; bytes that do not decode stay as pieces of their own.
static std::vector<std::string> chars_of(const std::string& s) { return utf8_chars(s); }

static std::string join_chars(const std::vector<std::string>& c, size_t from, size_t to) {
    std::string out;
    for (size_t i = from; i < to && i < c.size(); i++) out += c[i];
    return out;
}

// Simple case mapping for Latin (incl. Latin-1 and Latin Extended-A), Greek and Cyrillic:
// what German, Turkish, Polish, Greek, Russian or Ukrainian answers need. Other scripts
// stay as they are.
static uint32_t lower_cp(uint32_t c) {
    if (c >= 'A' && c <= 'Z') return c + 32;
    if (c < 0xC0) return c;
    if (c <= 0xDE) return c == 0xD7 ? c : c + 32;
    if (c == 0x130) return 'i';
    if (c == 0x178) return 0xFF;
    if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177)) return c % 2 == 0 ? c + 1 : c;
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return c % 2 == 1 ? c + 1 : c;
    if (c >= 0x391 && c <= 0x3AB && c != 0x3A2) return c + 32;
    if (c == 0x386) return 0x3AC;
    if (c >= 0x388 && c <= 0x38A) return c + 37;
    if (c == 0x38C) return 0x3CC;
    if (c == 0x38E || c == 0x38F) return c + 63;
    if (c >= 0x410 && c <= 0x42F) return c + 32;
    if (c >= 0x400 && c <= 0x40F) return c + 80;
    return c;
}

static uint32_t upper_cp(uint32_t c) {
    if (c >= 'a' && c <= 'z') return c - 32;
    if (c < 0xB5) return c;
    if (c == 0xB5) return 0x39C;
    if (c >= 0xE0 && c <= 0xFE) return c == 0xF7 ? c : c - 32;
    if (c == 0xFF) return 0x178;
    if (c == 0x131) return 'I';
    if (c == 0x17F) return 'S';
    if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177)) return c % 2 == 1 ? c - 1 : c;
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return c % 2 == 0 ? c - 1 : c;
    if (c == 0x3C2) return 0x3A3;
    if (c >= 0x3B1 && c <= 0x3CB) return c - 32;
    if (c == 0x3AC) return 0x386;
    if (c >= 0x3AD && c <= 0x3AF) return c - 37;
    if (c == 0x3CC) return 0x38C;
    if (c == 0x3CD || c == 0x3CE) return c - 63;
    if (c >= 0x430 && c <= 0x44F) return c - 32;
    if (c >= 0x450 && c <= 0x45F) return c - 80;
    return c;
}

// mb_strtolower / mb_strtoupper; upper case of "ß" is "SS" as in PHP.
static std::string change_case(const std::string& s, bool upper) {
    std::string out;
    out.reserve(s.size());
    size_t i = 0;
    while (i < s.size()) {
        uint32_t cp = 0;
        size_t len = next_codepoint(s, i, &cp);
        if (len == 0) {
            out += s[i++];
            continue;
        }
        if (upper && cp == 0xDF) out += "SS";
        else if (cp == 0) out += '\0';
        else append_utf8(out, upper ? upper_cp(cp) : lower_cp(cp));
        i += len;
    }
    return out;
}

// PHP's trim family: default characters " \t\n\r\0\x0B"; a list may hold ranges "a..z".
static std::string trim_chars(const std::string& list) {
    std::string set;
    for (size_t i = 0; i < list.size(); i++) {
        if (i + 3 < list.size() && list[i + 1] == '.' && list[i + 2] == '.') {
            for (int c = (unsigned char)list[i]; c <= (unsigned char)list[i + 3]; c++) set += char(c);
            i += 3;
        } else {
            set += list[i];
        }
    }
    return set;
}

static std::string php_trim(const std::string& s, const std::string& set, bool left, bool right) {
    size_t b = 0, e = s.size();
    if (left)
        while (b < e && set.find(s[b]) != std::string::npos) b++;
    if (right)
        while (e > b && set.find(s[e - 1]) != std::string::npos) e--;
    return s.substr(b, e - b);
}

static const std::string& default_trim_set() {
    static const std::string set(" \t\n\r\v\0", 6);
    return set;
}

// mb_substr: negative start counts from the end, negative length leaves that many off.
static std::string mb_substr(const std::string& s, long long start, bool has_len, long long len) {
    std::vector<std::string> c = chars_of(s);
    long long n = (long long)c.size();
    if (start < 0) start = std::max(0LL, n + start);
    if (start > n) return "";
    long long end = n;
    if (has_len) end = len < 0 ? n + len : std::min(n, start + len);
    if (end <= start) return "";
    return join_chars(c, (size_t)start, (size_t)end);
}

// mb_strpos / mb_stripos: character index of the first match at or after `offset`, or -1.
// Searches bytes (Boyer-Moore-Horspool, so a long answer cannot stall the kiosk) and counts
// characters only for the result; a match inside a character is skipped.
static long long mb_find(const std::string& hay_src, const std::string& needle_src, long long offset, bool icase) {
    std::string hay = icase ? change_case(hay_src, false) : hay_src;
    std::string needle = icase ? change_case(needle_src, false) : needle_src;
    long long n = (long long)utf8_length(hay);
    if (offset < 0) offset += n;
    if (offset < 0 || offset > n) return -1;
    size_t start = 0;
    for (long long k = 0; k < offset && start < hay.size(); k++) start = utf8_char_end(hay, start);
    std::boyer_moore_horspool_searcher search(needle.begin(), needle.end());
    auto from = hay.begin() + (long)start;
    while (true) {
        auto it = std::search(from, hay.end(), search);
        if (it == hay.end() && !needle.empty()) return -1;
        size_t at = size_t(it - hay.begin());
        if (at == hay.size() || !is_utf8_continuation(hay[at]))
            return (long long)utf8_length(std::string_view(hay).substr(0, at));
        from = it + 1;
    }
}

static std::string replace_all(const std::string& s, const std::string& from, const std::string& to) {
    if (from.empty()) return s;
    std::string out;
    size_t i = 0;
    while (true) {
        size_t j = s.find(from, i);
        if (j == std::string::npos) break;
        out.append(s, i, j - i);
        out += to;
        if (out.size() > kMaxText) return "";
        i = j + from.size();
    }
    out.append(s, i, std::string::npos);
    return out;
}

// --- HTML ---

// The named entities htmlentities writes: Latin-1 (U+00A0-U+00FF) and the typographic
// characters German texts use. Other characters are left as they are.
struct Entity { uint32_t cp; const char* name; };
static const Entity kEntities[] = {
    {0xA0, "nbsp"}, {0xA1, "iexcl"}, {0xA2, "cent"}, {0xA3, "pound"}, {0xA4, "curren"}, {0xA5, "yen"},
    {0xA6, "brvbar"}, {0xA7, "sect"}, {0xA8, "uml"}, {0xA9, "copy"}, {0xAA, "ordf"}, {0xAB, "laquo"},
    {0xAC, "not"}, {0xAD, "shy"}, {0xAE, "reg"}, {0xAF, "macr"}, {0xB0, "deg"}, {0xB1, "plusmn"},
    {0xB2, "sup2"}, {0xB3, "sup3"}, {0xB4, "acute"}, {0xB5, "micro"}, {0xB6, "para"}, {0xB7, "middot"},
    {0xB8, "cedil"}, {0xB9, "sup1"}, {0xBA, "ordm"}, {0xBB, "raquo"}, {0xBC, "frac14"}, {0xBD, "frac12"},
    {0xBE, "frac34"}, {0xBF, "iquest"}, {0xC0, "Agrave"}, {0xC1, "Aacute"}, {0xC2, "Acirc"}, {0xC3, "Atilde"},
    {0xC4, "Auml"}, {0xC5, "Aring"}, {0xC6, "AElig"}, {0xC7, "Ccedil"}, {0xC8, "Egrave"}, {0xC9, "Eacute"},
    {0xCA, "Ecirc"}, {0xCB, "Euml"}, {0xCC, "Igrave"}, {0xCD, "Iacute"}, {0xCE, "Icirc"}, {0xCF, "Iuml"},
    {0xD0, "ETH"}, {0xD1, "Ntilde"}, {0xD2, "Ograve"}, {0xD3, "Oacute"}, {0xD4, "Ocirc"}, {0xD5, "Otilde"},
    {0xD6, "Ouml"}, {0xD7, "times"}, {0xD8, "Oslash"}, {0xD9, "Ugrave"}, {0xDA, "Uacute"}, {0xDB, "Ucirc"},
    {0xDC, "Uuml"}, {0xDD, "Yacute"}, {0xDE, "THORN"}, {0xDF, "szlig"}, {0xE0, "agrave"}, {0xE1, "aacute"},
    {0xE2, "acirc"}, {0xE3, "atilde"}, {0xE4, "auml"}, {0xE5, "aring"}, {0xE6, "aelig"}, {0xE7, "ccedil"},
    {0xE8, "egrave"}, {0xE9, "eacute"}, {0xEA, "ecirc"}, {0xEB, "euml"}, {0xEC, "igrave"}, {0xED, "iacute"},
    {0xEE, "icirc"}, {0xEF, "iuml"}, {0xF0, "eth"}, {0xF1, "ntilde"}, {0xF2, "ograve"}, {0xF3, "oacute"},
    {0xF4, "ocirc"}, {0xF5, "otilde"}, {0xF6, "ouml"}, {0xF7, "divide"}, {0xF8, "oslash"}, {0xF9, "ugrave"},
    {0xFA, "uacute"}, {0xFB, "ucirc"}, {0xFC, "uuml"}, {0xFD, "yacute"}, {0xFE, "thorn"}, {0xFF, "yuml"},
    {0x2013, "ndash"}, {0x2014, "mdash"}, {0x2018, "lsquo"}, {0x2019, "rsquo"}, {0x201A, "sbquo"},
    {0x201C, "ldquo"}, {0x201D, "rdquo"}, {0x201E, "bdquo"}, {0x2022, "bull"}, {0x2026, "hellip"},
    {0x20AC, "euro"}, {0x2122, "trade"},
};

// htmlspecialchars with ENT_QUOTES (LimeSurvey always passes it); `all` = htmlentities.
static std::string html_escape(const std::string& s, bool all) {
    std::string out;
    size_t i = 0;
    while (i < s.size()) {
        char c = s[i];
        if (c == '&') out += "&amp;";
        else if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else if (c == '"') out += "&quot;";
        else if (c == '\'') out += "&#039;";
        else if (all && (unsigned char)c >= 0x80) {
            uint32_t cp = 0;
            size_t len = next_codepoint(s, i, &cp);
            if (len == 0) len = 1;
            const char* name = nullptr;
            for (const auto& en : kEntities)
                if (len > 1 && en.cp == cp) name = en.name;
            if (name) out += std::string("&") + name + ";";
            else out.append(s, i, len);
            i += len;
            continue;
        } else out += c;
        i++;
    }
    return out;
}

// htmlspecialchars_decode (ENT_QUOTES) or, with `all`, html_entity_decode: the named
// entities above and numeric ones (&#228; &#xE4;).
static std::string html_unescape(const std::string& s, bool all) {
    std::string out;
    for (size_t i = 0; i < s.size(); i++) {
        if (s[i] != '&') {
            out += s[i];
            continue;
        }
        size_t semi = s.find(';', i);
        if (semi == std::string::npos || semi - i > 10) {
            out += '&';
            continue;
        }
        std::string name = s.substr(i + 1, semi - i - 1);
        std::string rep;
        bool found = true;
        if (name == "amp") rep = "&";
        else if (name == "lt") rep = "<";
        else if (name == "gt") rep = ">";
        else if (name == "quot") rep = "\"";
        else if (name == "#039" || name == "#39" || name == "#x27") rep = "'";
        else if (all && name.size() > 1 && name[0] == '#') {
            bool hex = name[1] == 'x' || name[1] == 'X';
            std::string digits = name.substr(hex ? 2 : 1);
            bool ok = !digits.empty() && digits.find_first_not_of(hex ? "0123456789abcdefABCDEF" : "0123456789") == std::string::npos;
            uint32_t cp = ok ? (uint32_t)std::strtoul(digits.c_str(), nullptr, hex ? 16 : 10) : 0;
            if (ok && cp > 0 && cp <= 0x10FFFF) append_utf8(rep, cp);
            else found = false;
        } else if (all) {
            found = false;
            for (const auto& en : kEntities)
                if (name == en.name) {
                    append_utf8(rep, en.cp);
                    found = true;
                }
        } else {
            found = false;
        }
        if (!found) {
            out += '&';
            continue;
        }
        out += rep;
        i = semi;
    }
    return out;
}

// strip_tags(text, allowed): removes <...> tags and <!-- comments -->; tags named in
// `allowed` ("<b><i>") stay.
static std::string strip_tags(const std::string& s, const std::string& allowed) {
    std::string out;
    std::string allow = lower(allowed);
    size_t i = 0;
    while (i < s.size()) {
        if (s[i] != '<') {
            out += s[i++];
            continue;
        }
        if (s.compare(i, 4, "<!--") == 0) {
            size_t e = s.find("-->", i + 4);
            i = e == std::string::npos ? s.size() : e + 3;
            continue;
        }
        size_t e = i + 1;
        char quote = 0;
        while (e < s.size() && (quote || s[e] != '>')) {
            if (quote && s[e] == quote) quote = 0;
            else if (!quote && (s[e] == '"' || s[e] == '\'')) quote = s[e];
            e++;
        }
        size_t k = i + 1;
        if (k < s.size() && s[k] == '/') k++;
        size_t ns = k;
        while (k < s.size() && (std::isalnum((unsigned char)s[k]))) k++;
        std::string name = lower(s.substr(ns, k - ns));
        bool keep = !name.empty() && allow.find("<" + name + ">") != std::string::npos;
        if (keep) out.append(s, i, std::min(e + 1, s.size()) - i);
        i = e < s.size() ? e + 1 : s.size();
    }
    return out;
}

// quoted_printable_encode as PHP writes it: =XX for control, 8-bit and '=' bytes, CRLF kept,
// soft line breaks ("=\r\n") before a line would pass 75 characters.
static std::string qp_encode(const std::string& s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    size_t lp = 0;
    for (size_t i = 0; i < s.size(); i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') {
            out += "\r\n";
            i++;
            lp = 0;
        } else if (std::iscntrl(c) || c == 0x7F || (c & 0x80) || c == '=' || (c == ' ' && i + 1 < s.size() && s[i + 1] == '\r')) {
            if ((lp += 3) > 75) {
                out += "=\r\n";
                lp = 3;
            }
            out += '=';
            out += hex[c >> 4];
            out += hex[c & 15];
        } else {
            if (++lp > 75) {
                out += "=\r\n";
                lp = 1;
            }
            out += char(c);
        }
    }
    return out;
}

static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static std::string qp_decode(const std::string& s) {
    std::string out;
    for (size_t i = 0; i < s.size(); i++) {
        if (s[i] != '=') {
            out += s[i];
            continue;
        }
        if (i + 2 < s.size() + 0 && hex_value(s[i + 1]) >= 0 && i + 2 < s.size() && hex_value(s[i + 2]) >= 0) {
            out += char(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
            i += 2;
            continue;
        }
        size_t k = i + 1;
        while (k < s.size() && (s[k] == ' ' || s[k] == '\t')) k++;
        if (k < s.size() && (s[k] == '\r' || s[k] == '\n')) { // soft line break
            if (s[k] == '\r' && k + 1 < s.size() && s[k + 1] == '\n') k++;
            i = k;
            continue;
        }
        out += '=';
    }
    return out;
}

// --- sprintf ---

// PHP's sprintf: %[argnum$][flags][width][.precision]specifier with the flags - + 0 space
// and 'c (pad with c), specifiers b c d e E f F g G o s u x X and %%. A missing argument
// reads as empty. Widths above 1000 are cut to 1000.
static std::string php_sprintf(const Args& a) {
    const std::string& f = a[0].text;
    std::string out;
    size_t next_arg = 1;
    for (size_t i = 0; i < f.size(); i++) {
        if (f[i] != '%') {
            out += f[i];
            continue;
        }
        if (i + 1 < f.size() && f[i + 1] == '%') {
            out += '%';
            i++;
            continue;
        }
        size_t j = i + 1;
        size_t argnum = 0;
        {
            size_t k = j;
            while (k < f.size() && is_digit(f[k])) k++;
            if (k > j && k < f.size() && f[k] == '$') {
                argnum = (size_t)std::min(1000L, std::strtol(f.substr(j, k - j).c_str(), nullptr, 10));
                j = k + 1;
            }
        }
        bool left = false, plus = false;
        char pad = ' ';
        for (; j < f.size(); j++) {
            if (f[j] == '-') left = true;
            else if (f[j] == '+') plus = true;
            else if (f[j] == '0') pad = '0';
            else if (f[j] == ' ') pad = ' ';
            else if (f[j] == '\'' && j + 1 < f.size()) pad = f[++j];
            else break;
        }
        size_t width = 0;
        while (j < f.size() && is_digit(f[j])) width = std::min<size_t>(1000, width * 10 + size_t(f[j++] - '0'));
        int prec = -1;
        if (j < f.size() && f[j] == '.') {
            prec = 0;
            j++;
            while (j < f.size() && is_digit(f[j])) prec = std::min(100, prec * 10 + (f[j++] - '0'));
        }
        if (j >= f.size()) break; // PHP: "missing format specifier"; the rest is dropped
        char spec = f[j];
        i = j;
        size_t idx = argnum ? argnum : next_arg++;
        ExprValue arg = idx < a.size() ? a[idx] : ExprValue{};
        std::string body;
        bool numeric = true;
        char buf[400];
        switch (spec) {
        case 'd': {
            long long v = int_arg(arg);
            body = std::to_string(v);
            if (plus && v >= 0) body = "+" + body;
            break;
        }
        case 'u': body = std::to_string((unsigned long long)int_arg(arg)); break;
        case 'f': case 'F': {
            std::snprintf(buf, sizeof buf, "%.*f", prec < 0 ? 6 : prec, php_round(leading_number(arg), prec < 0 ? 6 : prec));
            body = buf;
            if (plus && leading_number(arg) >= 0) body = "+" + body;
            break;
        }
        case 'e': case 'E': {
            // PHP writes the exponent without padding: 1.5e+3
            std::snprintf(buf, sizeof buf, spec == 'e' ? "%.*e" : "%.*E", prec < 0 ? 6 : prec, leading_number(arg));
            body = buf;
            size_t e = body.find_first_of("eE");
            if (e != std::string::npos && e + 2 < body.size()) {
                std::string digits = body.substr(e + 2);
                size_t nz = digits.find_first_not_of('0');
                body = body.substr(0, e + 2) + (nz == std::string::npos ? "0" : digits.substr(nz));
            }
            if (plus && leading_number(arg) >= 0) body = "+" + body;
            break;
        }
        case 'g': case 'G':
            std::snprintf(buf, sizeof buf, spec == 'g' ? "%.*g" : "%.*G", prec < 0 ? 6 : std::max(prec, 1), leading_number(arg));
            body = buf;
            break;
        case 'x': case 'X': case 'o': case 'b': {
            unsigned long long v = (unsigned long long)int_arg(arg);
            int base = spec == 'o' ? 8 : spec == 'b' ? 2 : 16;
            const char* digits = spec == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
            do {
                body.insert(body.begin(), digits[v % (unsigned)base]);
                v /= (unsigned)base;
            } while (v);
            break;
        }
        case 'c': body = std::string(1, char(int_arg(arg) & 0xFF)); numeric = false; break;
        case 's':
            body = arg.text;
            if (prec >= 0) body = mb_substr(body, 0, true, prec);
            numeric = false;
            break;
        default: // PHP throws on an unknown specifier; it is written out instead
            body = std::string("%") + spec;
            numeric = false;
            break;
        }
        size_t len = utf8_length(body);
        if (len < width) {
            std::string fill;
            for (size_t k = len; k < width; k++) fill += left && pad == '0' ? ' ' : pad;
            if (left) body += fill;
            else if (pad == '0' && numeric && !body.empty() && (body[0] == '-' || body[0] == '+')) body = body.substr(0, 1) + fill + body.substr(1);
            else body = fill + body;
        }
        out += body;
        if (out.size() > kMaxText) return "";
    }
    return out;
}

// --- dates (the device's clock and time zone; LimeSurvey uses the server's) ---

static const char* const kDays[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
static const char* const kMonths[] = {"January", "February", "March", "April", "May", "June", "July",
                                      "August", "September", "October", "November", "December"};

static bool leap_year(long long y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
static int days_in_month(int month, long long year) {
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && leap_year(year) ? 29 : d[(month - 1) % 12];
}

static bool break_time(long long ts, bool utc, std::tm* tm) {
    std::time_t t = (std::time_t)ts;
    return utc ? gmtime_r(&t, tm) != nullptr : localtime_r(&t, tm) != nullptr;
}

static std::string two(int v) {
    char b[16];
    std::snprintf(b, sizeof b, "%02d", v);
    return b;
}

static std::string utc_offset(long off, bool colon) {
    char b[16];
    long a = off < 0 ? -off : off;
    std::snprintf(b, sizeof b, colon ? "%c%02ld:%02ld" : "%c%02ld%02ld", off < 0 ? '-' : '+', a / 3600, (a / 60) % 60);
    return b;
}

// PHP's date(): every format character of the manual except the microsecond ones, which
// read 0 (timestamps are whole seconds). Day and month names are English, as in PHP.
static std::string format_date(const std::string& f, long long ts, bool utc) {
    std::tm tm{};
    if (!break_time(ts, utc, &tm)) return "";
    long long year = tm.tm_year + 1900LL;
    int hour12 = tm.tm_hour % 12 == 0 ? 12 : tm.tm_hour % 12;
    long off = utc ? 0 : tm.tm_gmtoff;
    char b[64];
    std::string out;
    for (size_t i = 0; i < f.size(); i++) {
        char c = f[i];
        switch (c) {
        case 'd': out += two(tm.tm_mday); break;
        case 'D': out += std::string(kDays[tm.tm_wday]).substr(0, 3); break;
        case 'j': out += std::to_string(tm.tm_mday); break;
        case 'l': out += kDays[tm.tm_wday]; break;
        case 'N': out += std::to_string(tm.tm_wday == 0 ? 7 : tm.tm_wday); break;
        case 'S': {
            int d = tm.tm_mday;
            out += (d % 10 == 1 && d != 11) ? "st" : (d % 10 == 2 && d != 12) ? "nd" : (d % 10 == 3 && d != 13) ? "rd" : "th";
            break;
        }
        case 'w': out += std::to_string(tm.tm_wday); break;
        case 'z': out += std::to_string(tm.tm_yday); break;
        case 'W': std::strftime(b, sizeof b, "%V", &tm); out += b; break;
        case 'F': out += kMonths[tm.tm_mon]; break;
        case 'm': out += two(tm.tm_mon + 1); break;
        case 'M': out += std::string(kMonths[tm.tm_mon]).substr(0, 3); break;
        case 'n': out += std::to_string(tm.tm_mon + 1); break;
        case 't': out += std::to_string(days_in_month(tm.tm_mon + 1, year)); break;
        case 'L': out += leap_year(year) ? "1" : "0"; break;
        case 'o': std::strftime(b, sizeof b, "%G", &tm); out += b; break;
        case 'Y': out += std::to_string(year); break;
        case 'y': out += two(int(year % 100)); break;
        case 'a': out += tm.tm_hour < 12 ? "am" : "pm"; break;
        case 'A': out += tm.tm_hour < 12 ? "AM" : "PM"; break;
        case 'B': {
            long long beat = (((ts + 3600) % 86400 + 86400) % 86400) * 10 / 864;
            std::snprintf(b, sizeof b, "%03lld", beat % 1000);
            out += b;
            break;
        }
        case 'g': out += std::to_string(hour12); break;
        case 'G': out += std::to_string(tm.tm_hour); break;
        case 'h': out += two(hour12); break;
        case 'H': out += two(tm.tm_hour); break;
        case 'i': out += two(tm.tm_min); break;
        case 's': out += two(tm.tm_sec); break;
        case 'u': out += "000000"; break;
        case 'v': out += "000"; break;
        case 'e': {
            const char* tz = utc ? nullptr : std::getenv("TZ");
            out += tz && *tz ? (tz[0] == ':' ? tz + 1 : tz) : (utc ? "UTC" : (tm.tm_zone ? tm.tm_zone : "UTC"));
            break;
        }
        case 'I': out += tm.tm_isdst > 0 ? "1" : "0"; break;
        case 'O': out += utc_offset(off, false); break;
        case 'P': out += utc_offset(off, true); break;
        case 'p': out += off == 0 ? "Z" : utc_offset(off, true); break;
        case 'T': out += utc ? "GMT" : (tm.tm_zone ? tm.tm_zone : ""); break;
        case 'Z': out += std::to_string(off); break;
        case 'c': out += format_date("Y-m-d\\TH:i:sP", ts, utc); break;
        case 'r': out += format_date("D, d M Y H:i:s O", ts, utc); break;
        case 'U': out += std::to_string(ts); break;
        case '\\':
            if (i + 1 < f.size()) out += f[++i];
            break;
        default: out += c;
        }
        if (out.size() > kMaxText) return "";
    }
    return out;
}

// mktime on the device's local time; out-of-range fields carry over as in PHP
// (month 13 is January of the next year). Two-digit years: 0-69 -> 2000s, 70-100 -> 1900s.
static bool make_time(long long h, long long mi, long long s, long long mo, long long d, long long y, long long* out) {
    if (y >= 0 && y < 70) y += 2000;
    else if (y >= 70 && y <= 100) y += 1900;
    const long long lim = 100000000;
    if (std::llabs(h) > lim || std::llabs(mi) > lim || std::llabs(s) > lim || std::llabs(mo) > lim ||
        std::llabs(d) > lim || y < -10000 || y > 100000)
        return false;
    std::tm tm{};
    tm.tm_hour = int(h);
    tm.tm_min = int(mi);
    tm.tm_sec = int(s);
    tm.tm_mon = int(mo - 1);
    tm.tm_mday = int(d);
    tm.tm_year = int(y - 1900);
    tm.tm_isdst = -1;
    std::time_t t = std::mktime(&tm);
    if (t == (std::time_t)-1 && !(tm.tm_year == 69 && tm.tm_mon == 11 && tm.tm_mday == 31)) return false;
    *out = (long long)t;
    return true;
}

static long long now_seconds() { return (long long)std::time(nullptr); }

// strtotime for the formats LimeSurvey's manual shows and German surveys write:
//   now | today | midnight | noon | tomorrow | yesterday | @<seconds>
//   YYYY-MM-DD, YYYY/MM/DD, MM/DD/YYYY (American, as PHP), DD.MM.YYYY, DD.MM.YY, DD-MM-YYYY
//   "10 September 2000", "September 10, 2000", "10 Sep 2000" (English month names)
//   each optionally followed by a time HH:MM[:SS] (also after 'T'), then relative parts
//   "+1 day", "-2 weeks", "3 months ago" (sec, min, hour, day, week, fortnight, month, year).
// Anything else is false, as PHP's strtotime answers for text it cannot read.
static bool parse_strtotime(const std::string& src, long long now, long long* out) {
    std::string s = lower(php_trim(src, default_trim_set(), true, true));
    if (s.empty()) return false;
    if (s[0] == '@') {
        double d = 0;
        if (!parse_numeric_text(s.substr(1), &d)) return false;
        if (std::fabs(d) > 1e14) return false;
        *out = (long long)std::floor(d);
        return true;
    }
    std::tm base{};
    if (!break_time(now, false, &base)) return false;
    long long Y = base.tm_year + 1900LL, M = base.tm_mon + 1, D = base.tm_mday;
    long long h = base.tm_hour, mi = base.tm_min, sec = base.tm_sec;
    size_t i = 0, n = s.size();
    auto skip_ws = [&] { while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == ',')) i++; };
    auto read_int = [&](size_t max_digits, long long* v) {
        size_t st = i;
        long long r = 0;
        while (i < n && is_digit(s[i]) && i - st < max_digits) r = r * 10 + (s[i++] - '0');
        if (i == st) return size_t(0);
        *v = r;
        return i - st;
    };
    auto month_word = [&](long long* m) {
        for (int k = 0; k < 12; k++) {
            std::string full = lower(kMonths[k]);
            for (const std::string& w : {full, full.substr(0, 3)}) {
                if (s.compare(i, w.size(), w) == 0 && (i + w.size() >= n || !std::isalpha((unsigned char)s[i + w.size()]))) {
                    i += w.size();
                    if (w.size() == 3 && i < n && s[i] == '.') i++;
                    *m = k + 1;
                    return true;
                }
            }
        }
        return false;
    };
    bool have_date = false, have_time = false;
    // words
    struct Word { const char* w; int day_shift; int hour; }; // hour -1: keep the time
    static const Word kWords[] = {{"now", 0, -1}, {"today", 0, 0}, {"midnight", 0, 0}, {"noon", 0, 12},
                                  {"tomorrow", 1, 0}, {"yesterday", -1, 0}};
    for (const auto& w : kWords) {
        size_t len = std::strlen(w.w);
        if (s.compare(0, len, w.w) == 0 && (len == n || !std::isalpha((unsigned char)s[len]))) {
            D += w.day_shift;
            if (w.hour >= 0) { h = w.hour; mi = 0; sec = 0; }
            i = len;
            have_date = true;
            have_time = w.hour != 0 || std::strcmp(w.w, "now") == 0;
            break;
        }
    }
    if (!have_date) {
        size_t save = i;
        long long a = 0, b = 0, c = 0;
        size_t la = read_int(4, &a);
        if (la == 4 && i < n && (s[i] == '-' || s[i] == '/')) { // YYYY-MM-DD, YYYY/MM/DD
            char sep = s[i++];
            if (read_int(2, &b) && i < n && s[i] == sep && (i++, read_int(2, &c))) {
                Y = a; M = b; D = c; have_date = true;
            }
        } else if (la >= 1 && la <= 2 && i < n && (s[i] == '.' || s[i] == '-' || s[i] == '/')) {
            char sep = s[i++];
            size_t lc = 0;
            if (read_int(2, &b) && i < n && s[i] == sep && (i++, (lc = read_int(4, &c)) != 0)) {
                if (lc == 2 && sep == '.') c += c < 70 ? 2000 : 1900;
                else if (lc != 4) return false;
                if (sep == '/') { M = a; D = b; } else { D = a; M = b; }
                Y = c;
                have_date = true;
            }
        } else if (la >= 1 && la <= 2) { // 10 September 2000
            skip_ws();
            long long m = 0;
            if (month_word(&m)) {
                skip_ws();
                D = a; M = m;
                size_t st = i;
                if (read_int(4, &c) != 4) i = st; else Y = c;
                have_date = true;
            }
        } else if (la == 0) { // September 10, 2000
            long long m = 0;
            if (month_word(&m)) {
                skip_ws();
                if (!read_int(2, &b)) return false;
                skip_ws();
                size_t st = i;
                if (read_int(4, &c) != 4) i = st; else Y = c;
                M = m; D = b;
                have_date = true;
            }
        }
        if (!have_date) i = save;
        else if (M < 1 || M > 12 || D < 1 || D > 31) return false;
    }
    if (have_date && !have_time) { h = 0; mi = 0; sec = 0; }
    // time of day
    {
        size_t save = i;
        if (i < n && (s[i] == 't' || s[i] == ' ')) i++;
        skip_ws();
        long long a = 0, b = 0, c = 0;
        size_t la = read_int(2, &a);
        if (la && i < n && s[i] == ':' && (i++, read_int(2, &b) == 2)) {
            if (i < n && s[i] == ':') {
                i++;
                if (read_int(2, &c) != 2) return false;
            }
            if (a > 23 || b > 59 || c > 59) return false;
            h = a; mi = b; sec = c;
            have_time = true;
        } else {
            i = save;
        }
    }
    // relative parts
    static const struct { const char* unit; int field; long long mult; } kUnits[] = {
        {"fortnight", 2, 14}, {"second", 0, 1}, {"minute", 1, 60}, {"month", 3, 1}, {"hour", 0, 3600},
        {"week", 2, 7}, {"year", 4, 1}, {"day", 2, 1}, {"sec", 0, 1}, {"min", 1, 60},
    };
    bool any = have_date || have_time;
    while (true) {
        skip_ws();
        if (i >= n) break;
        size_t st = i;
        long long sign = 1;
        if (s[i] == '+' || s[i] == '-') sign = s[i++] == '-' ? -1 : 1;
        skip_ws();
        long long amount = 0;
        if (!read_int(9, &amount)) { i = st; break; }
        skip_ws();
        int field = -1;
        long long mult = 1;
        for (const auto& u : kUnits) {
            size_t len = std::strlen(u.unit);
            if (s.compare(i, len, u.unit) == 0) {
                i += len;
                if (i < n && s[i] == 's') i++;
                field = u.field;
                mult = u.mult;
                break;
            }
        }
        if (field < 0) return false;
        skip_ws();
        if (s.compare(i, 3, "ago") == 0) { sign = -sign; i += 3; }
        long long v = sign * amount * mult;
        if (field == 0) sec += v;
        else if (field == 1) sec += v; // minutes, already in seconds
        else if (field == 2) D += v;
        else if (field == 3) M += v;
        else Y += v;
        any = true;
    }
    skip_ws();
    if (i != n || !any) return false;
    return make_time(h, mi, sec, M, D, Y, out);
}

// ---------------------------------------------------------------------------------------
// Function library

static bool known_ifop(const std::string& op) {
    static const char* const kOps[] = {"==", "eq", ">=", "ge", ">", "gt", "<=", "le", "<", "lt", "!=", "ne", "RX"};
    for (const char* k : kOps)
        if (op == k) return true;
    return false;
}

// countifop / sumifop compare with PHP's own operators (not LimeSurvey's): 'RX' matches a
// regular expression.
static bool ifop_match(const std::string& op, const ExprValue& arg, const ExprValue& value);

static ExprValue math1(const ExprValue& v, double (*f)(double)) {
    double x = 0;
    if (!as_number(v, &x)) return nan_value();
    return num(f(x));
}

// LimeSurvey's is_int (exprmgr_int): trailing zeros after a '.' go, then -?digits.
static bool ls_is_int(const ExprValue& v) {
    std::string s = v.text;
    size_t dot = s.find('.');
    if (dot != std::string::npos && dot > 0) {
        while (!s.empty() && s.back() == '0') s.pop_back();
        if (!s.empty() && s.back() == '.') s.pop_back();
    }
    size_t i = !s.empty() && s[0] == '-' ? 1 : 0;
    return i < s.size() && s.find_first_not_of("0123456789", i) == std::string::npos;
}

static std::mt19937& rng() {
    thread_local std::mt19937 g{std::random_device{}()};
    return g;
}

static ExprValue library(Fn fn, const Args& a) {
    double x = 0, y = 0;
    switch (fn) {
    // --- math ---
    case Fn::Abs: return as_number(a[0], &x) ? num(std::fabs(x)) : false_value();
    case Fn::Acos: return math1(a[0], std::acos);
    case Fn::Asin: return math1(a[0], std::asin);
    case Fn::Atan: return math1(a[0], std::atan);
    case Fn::Atan2: return as_number(a[0], &y) && as_number(a[1], &x) ? num(std::atan2(y, x)) : false_value();
    case Fn::Ceil: return math1(a[0], std::ceil);
    case Fn::Cos: return math1(a[0], std::cos);
    case Fn::Exp: return math1(a[0], std::exp);
    case Fn::Fixnum: return a[0]; // the survey's decimal separator is always '.' here
    case Fn::Floatval: return num(leading_number(a[0]));
    case Fn::Floor: return math1(a[0], std::floor);
    case Fn::Intval: return num(int_value(a[0], a.size() > 1 ? (int)std::max(-1LL, std::min(99LL, int_arg(a[1]))) : 10));
    case Fn::Log: {
        if (!as_number(a[0], &x)) return nan_value();
        double base = std::exp(1.0);
        if (a.size() > 1 && !as_number(a[1], &base)) return nan_value();
        if (base <= 0) return nan_value();
        return num(std::log(x) / std::log(base));
    }
    case Fn::Max: case Fn::Min: {
        size_t best = 0;
        for (size_t i = 1; i < a.size(); i++) {
            int c = php_cmp(a[i], a[best]);
            if (fn == Fn::Max ? c > 0 : c < 0) best = i;
        }
        return a[best];
    }
    case Fn::NumberFormat: {
        if (!as_number(a[0], &x) || !std::isfinite(x)) return false_value();
        double r = php_round(x, 0);
        char buf[400];
        std::snprintf(buf, sizeof buf, "%.0f", std::fabs(r));
        std::string digits = buf, out;
        for (size_t i = 0; i < digits.size(); i++) {
            if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
            out += digits[i];
        }
        return str((r < 0 ? "-" : "") + out);
    }
    case Fn::Pi: return num(3.14159265358979323846);
    case Fn::Pow: return as_number(a[0], &x) && as_number(a[1], &y) ? num(std::pow(x, y)) : false_value();
    case Fn::Rand: {
        long long lo = 0, hi = 2147483647;
        if (a.size() == 2) {
            lo = int_arg(a[0]);
            hi = int_arg(a[1]);
            if (lo > hi) std::swap(lo, hi);
        }
        std::uniform_int_distribution<long long> d(lo, hi);
        return num((double)d(rng()));
    }
    case Fn::Round:
        if (!as_number(a[0], &x)) return nan_value();
        return num(php_round(x, a.size() > 1 ? int_arg(a[1]) : 0));
    case Fn::Sin: return math1(a[0], std::sin);
    case Fn::Sqrt: return math1(a[0], std::sqrt);
    case Fn::Stddev: {
        std::vector<double> v;
        for (size_t i = 0; i < a.size(); i++)
            if (!a[i].is_bool && as_number(a[i], &x)) v.push_back(x);
        if (v.size() <= 1) return num(0);
        double mean = 0, sq = 0;
        for (double d : v) mean += d;
        mean /= (double)v.size();
        for (double d : v) sq += (d - mean) * (d - mean);
        return num(std::sqrt(sq / double(v.size() - 1)));
    }
    case Fn::Tan: return math1(a[0], std::tan);

    // --- types ---
    case Fn::IsEmpty: return ExprValue::of_bool(a[0].is_empty());
    case Fn::IsFloat: return ExprValue::of_bool(!a[0].is_bool && as_number(a[0], &x) && !ls_is_int(a[0]));
    case Fn::IsInt: return ExprValue::of_bool(ls_is_int(a[0]));
    case Fn::IsNan: return ExprValue::of_bool(!as_number(a[0], &x) || std::isnan(x));
    case Fn::IsNull: return ExprValue::of_bool(a[0].is_null);
    case Fn::IsNumeric: return ExprValue::of_bool(!a[0].is_bool && !a[0].is_null && as_number(a[0], &x));
    case Fn::IsString: return ExprValue::of_bool(!a[0].is_bool && !a[0].is_null && !as_number(a[0], &x));

    // --- strings ---
    case Fn::Addslashes: {
        std::string out;
        for (char c : a[0].text) {
            if (c == '\'' || c == '"' || c == '\\') out += '\\';
            if (c == '\0') { out += "\\0"; continue; }
            out += c;
        }
        return str(out);
    }
    case Fn::HtmlEntityDecode: return str(html_unescape(a[0].text, true));
    case Fn::Htmlentities: return str(html_escape(a[0].text, true));
    case Fn::Htmlspecialchars: return str(html_escape(a[0].text, false));
    case Fn::HtmlspecialcharsDecode: return str(html_unescape(a[0].text, false));
    case Fn::Implode: case Fn::Join: {
        size_t first = fn == Fn::Implode ? 1 : 0;
        std::string glue = fn == Fn::Implode ? a[0].text : "", out;
        for (size_t i = first; i < a.size(); i++) {
            if (i > first) out += glue;
            out += a[i].text;
            if (out.size() > kMaxText) return str("");
        }
        return str(out);
    }
    case Fn::List: {
        std::string out;
        for (size_t i = 0; i < a.size(); i++) {
            if (a[i].text.empty()) continue;
            if (!out.empty()) out += ", ";
            out += a[i].text;
        }
        return str(out);
    }
    case Fn::Ltrim: case Fn::Rtrim: case Fn::Trim: {
        std::string set = a.size() > 1 ? trim_chars(a[1].text) : default_trim_set();
        return str(php_trim(a[0].text, set, fn != Fn::Rtrim, fn != Fn::Ltrim));
    }
    case Fn::Nl2br: {
        const std::string& s = a[0].text;
        std::string out;
        for (size_t i = 0; i < s.size(); i++) {
            if (s[i] == '\r' || s[i] == '\n') {
                out += "<br />";
                out += s[i];
                if (i + 1 < s.size() && (s[i + 1] == '\r' || s[i + 1] == '\n') && s[i + 1] != s[i]) out += s[++i];
                continue;
            }
            out += s[i];
        }
        return str(out);
    }
    case Fn::QpDecode: return str(qp_decode(a[0].text));
    case Fn::QpEncode: return str(qp_encode(a[0].text));
    case Fn::Quotemeta: {
        std::string out;
        for (char c : a[0].text) {
            if (std::strchr(".\\+*?[^]$()", c) && c != '\0') out += '\\';
            out += c;
        }
        return str(out);
    }
    case Fn::RegexMatch: return ExprValue::of_bool(regex_match_value(a[0].text, a[1].text));
    case Fn::Sprintf: return str(php_sprintf(a));
    case Fn::StrPad: {
        // Characters, not bytes: PHP counts bytes and can cut a character of the padding.
        long long want = int_arg(a[1]);
        std::string pad = a.text_or(2, " ");
        size_t have = utf8_length(a[0].text);
        if (want <= (long long)have || pad.empty()) return str(a[0].text);
        if (want > (long long)kMaxText) return str("");
        std::vector<std::string> p = chars_of(pad);
        std::string out = a[0].text;
        for (size_t k = 0; have + k < (size_t)want; k++) out += p[k % p.size()];
        return str(out);
    }
    case Fn::StrRepeat: {
        long long times = int_arg(a[1]);
        if (times <= 0 || a[0].text.empty()) return str("");
        if ((unsigned long long)times > kMaxText / a[0].text.size()) return str("");
        std::string out;
        for (long long k = 0; k < times; k++) out += a[0].text;
        return str(out);
    }
    case Fn::StrReplace: return str(replace_all(a[2].text, a[0].text, a[1].text));
    case Fn::Strcasecmp: case Fn::Strcmp: {
        std::string l = a[0].text, r = a[1].text;
        if (fn == Fn::Strcasecmp) { l = lower(l); r = lower(r); }
        int c = l.compare(r);
        return num(c < 0 ? -1 : c > 0 ? 1 : 0);
    }
    case Fn::StripTags: return str(strip_tags(a[0].text, a.text_or(1, "")));
    case Fn::Stripos: case Fn::Strpos: {
        long long off = a.size() > 2 ? int_arg(a[2]) : 0;
        long long at = mb_find(a[0].text, a[1].text, off, fn == Fn::Stripos);
        return at < 0 ? false_value() : num((double)at);
    }
    case Fn::Stripslashes: {
        const std::string& s = a[0].text;
        std::string out;
        for (size_t i = 0; i < s.size(); i++) {
            if (s[i] != '\\') { out += s[i]; continue; }
            if (i + 1 >= s.size()) break;
            out += s[i + 1] == '0' ? '\0' : s[i + 1];
            i++;
        }
        return str(out);
    }
    case Fn::Stristr: case Fn::Strstr: {
        long long at = mb_find(a[0].text, a[1].text, 0, fn == Fn::Stristr);
        if (at < 0) return false_value();
        bool before = a.size() > 2 && a[2].truthy();
        std::vector<std::string> c = chars_of(a[0].text);
        return str(before ? join_chars(c, 0, (size_t)at) : join_chars(c, (size_t)at, c.size()));
    }
    case Fn::Strlen: return num((double)utf8_length(a[0].text));
    case Fn::Strrev: {
        // Characters, not bytes: PHP's byte order would break every umlaut.
        std::vector<std::string> c = chars_of(a[0].text);
        std::reverse(c.begin(), c.end());
        return str(join_chars(c, 0, c.size()));
    }
    case Fn::Strtolower: return str(change_case(a[0].text, false));
    case Fn::Strtoupper: return str(change_case(a[0].text, true));
    case Fn::Substr:
        return str(mb_substr(a[0].text, int_arg(a[1]), a.size() > 2, a.size() > 2 ? int_arg(a[2]) : 0));
    case Fn::Ucwords: {
        // PHP's ucwords works on ASCII letters only: "über uns" -> "über Uns".
        std::string s = a[0].text;
        bool start = true;
        for (char& c : s) {
            if (start && c >= 'a' && c <= 'z') c = char(c - 32);
            start = c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
        }
        return str(s);
    }

    // --- counting and choosing ---
    case Fn::ConvertValue: {
        // As LimeSurvey's manual describes it: the entry of the "to" list whose "from"
        // value equals the value, or with strict 0 the nearest one; otherwise NULL.
        if (!as_number(a[0], &x)) return ExprValue::null_value();
        std::vector<std::string> from = split_tokens(a[2].text, ","), to = split_tokens(a[3].text, ",");
        if (from.empty() || from.size() != to.size()) return ExprValue::null_value();
        bool strict = int_value(a[1]) == 1;
        size_t nearest = 0;
        double best = 0;
        for (size_t i = 0; i < from.size(); i++) {
            double f = 0;
            if (!parse_numeric_text(from[i], &f)) return ExprValue::null_value();
            double diff = std::fabs(f - x);
            if (diff == 0) return str(php_trim(to[i], default_trim_set(), true, true));
            if (i == 0 || diff < best) { best = diff; nearest = i; }
        }
        if (strict) return ExprValue::null_value();
        return str(php_trim(to[nearest], default_trim_set(), true, true));
    }
    case Fn::Count: {
        int n = 0;
        for (size_t i = 0; i < a.size(); i++)
            if (!a[i].is_empty()) n++;
        return num(n);
    }
    case Fn::CountIf: {
        int n = 0;
        for (size_t i = 1; i < a.size(); i++)
            if (loose_eq(a[i], a[0])) n++;
        return num(n);
    }
    case Fn::CountIfOp: case Fn::SumIfOp: {
        double total = 0;
        int n = 0;
        for (size_t i = 2; i < a.size(); i++) {
            if (!ifop_match(a[0].text, a[i], a[1])) continue;
            n++;
            total += leading_number(a[i]);
        }
        return num(fn == Fn::CountIfOp ? n : total);
    }
    case Fn::If: return ExprValue{}; // lazy: evaluated in call()
    case Fn::Sum: {
        double s = 0;
        for (size_t i = 0; i < a.size(); i++) s += leading_number(a[i]);
        return num(s);
    }
    case Fn::Unique: {
        std::set<std::string> seen;
        for (size_t i = 0; i < a.size(); i++)
            if (!a[i].is_empty() && !seen.insert(a[i].text).second) return ExprValue::of_bool(false);
        return ExprValue::of_bool(true);
    }

    // --- dates ---
    case Fn::Checkdate: {
        // LimeSurvey first insists on digits (exprmgr_checkdate), then PHP's checkdate.
        long long v[3];
        for (int i = 0; i < 3; i++) {
            const ExprValue& e = a[(size_t)i];
            bool digits = !e.text.empty() && e.text.find_first_not_of("0123456789") == std::string::npos;
            if (!digits) return ExprValue::of_bool(false);
            v[i] = int_arg(e);
        }
        bool ok = v[0] >= 1 && v[0] <= 12 && v[2] >= 1 && v[2] <= 32767 && v[1] >= 1 && v[1] <= days_in_month((int)v[0], v[2]);
        return ExprValue::of_bool(ok);
    }
    case Fn::Date: case Fn::Gmdate: case Fn::Idate: {
        long long ts = now_seconds();
        if (a.size() > 1) {
            if (!as_number(a[1], &x) || !std::isfinite(x) || std::fabs(x) > 1e14) return false_value();
            ts = (long long)x;
        }
        if (fn == Fn::Idate) {
            if (a[0].text.size() != 1 || !std::strchr("BdhHiILmstUwWyYzZ", a[0].text[0]) || a[0].text[0] == '\0')
                return false_value();
            return num((double)int_value(str(format_date(a[0].text, ts, false))));
        }
        return str(format_date(a[0].text, ts, fn == Fn::Gmdate));
    }
    case Fn::Mktime: {
        std::tm now{};
        if (!break_time(now_seconds(), false, &now)) return false_value();
        long long f[6] = {now.tm_hour, now.tm_min, now.tm_sec, now.tm_mon + 1, now.tm_mday, now.tm_year + 1900LL};
        for (size_t i = 0; i < a.size() && i < 6; i++) {
            if (!as_number(a[i], &x)) return false_value();
            f[i] = int_arg(a[i]);
        }
        long long out = 0;
        if (!make_time(f[0], f[1], f[2], f[3], f[4], f[5], &out)) return false_value();
        return num((double)out);
    }
    case Fn::Strtotime: {
        long long out = 0;
        if (!parse_strtotime(a[0].text, now_seconds(), &out)) return false_value();
        return num((double)out);
    }
    case Fn::Time: return num((double)now_seconds());
    }
    return ExprValue{};
}

static bool ifop_match(const std::string& op, const ExprValue& arg, const ExprValue& value) {
    if (op == "RX") return regex_match_value(value.text, arg.text);
    if (op == "==" || op == "eq") return loose_eq(arg, value);
    if (op == "!=" || op == "ne") return !loose_eq(arg, value);
    int c = php_cmp(arg, value);
    if (op == ">=" || op == "ge") return c >= 0;
    if (op == ">" || op == "gt") return c > 0;
    if (op == "<=" || op == "le") return c <= 0;
    if (op == "<" || op == "lt") return c < 0;
    return false;
}

// ---------------------------------------------------------------------------------------
// Evaluation

static ExprValue eval(const Expr& e, const VarLookup& lookup);

static ExprValue call(const Expr& e, const VarLookup& lookup) {
    const auto& k = e.kids;
    if (e.fn == Fn::If) { // lazy, and if(test, then) reads '' when the test fails
        if (eval(*k[0], lookup).truthy()) return eval(*k[1], lookup);
        return k.size() > 2 ? eval(*k[2], lookup) : ExprValue{};
    }
    ExprValue buf[8];
    std::vector<ExprValue> many;
    const ExprValue* v = buf;
    if (k.size() <= 8) {
        for (size_t i = 0; i < k.size(); i++) buf[i] = eval(*k[i], lookup);
    } else {
        many.reserve(k.size());
        for (const auto& kid : k) many.push_back(eval(*kid, lookup));
        v = many.data();
    }
    return library(e.fn, Args{v, k.size()});
}

static ExprValue eval(const Expr& e, const VarLookup& lookup) {
    switch (e.kind) {
    case ExprKind::Literal:
        return e.value;
    case ExprKind::Var:
        return lookup ? lookup(e.name, e.suffix) : ExprValue{};
    case ExprKind::Not:
        return ExprValue::of_bool(!eval(*e.kids[0], lookup).truthy());
    case ExprKind::Neg:
    case ExprKind::Pos:
        return unary(e.kind == ExprKind::Neg, eval(*e.kids[0], lookup));
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
    case ExprKind::Add:
    case ExprKind::Mul: {
        ExprValue acc = eval(*e.kids[0], lookup);
        for (size_t i = 1; i < e.kids.size(); i++) acc = arith(e.ops[i], acc, eval(*e.kids[i], lookup));
        return acc;
    }
    case ExprKind::Call:
        return call(e, lookup);
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
