// expression.h - display conditions in a subset of LimeSurvey's ExpressionScript.
//
// Grammar (lowest precedence first):
//   expr    := or
//   or      := and  (("or" | "||") and)*
//   and     := not  (("and" | "&&") not)*
//   not     := ("not" | "!") not | cmp
//   cmp     := add  (("==" | "eq" | "!=" | "ne" | "<" | "lt" | "<=" | "le" | ">" | "gt" | ">=" | "ge") add)?
//   add     := unary (("+" | "-") unary)*      -- '+' adds numbers, else concatenates
//   unary   := "-" unary | primary
//   primary := NUMBER | STRING | NAME | NAME "(" args? ")" | "(" expr ")"
//   NAME    := [A-Za-z_][A-Za-z0-9_#]* ("." suffix)?   suffix: NAOK, shown, value, code
//   STRING  := '...' | "..."  (backslash escapes the quote)
// Functions: is_empty, count, countif, sum, intval, if, strlen, trim, regexMatch.
// Comparison follows LimeSurvey: numeric when both sides look like numbers, otherwise as
// strings. A question that is not shown reads as empty ("NAOK" semantics everywhere).
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace tk {

struct ExprValue {
    bool is_number = false;
    double number = 0;
    std::string text;          // for strings; for numbers a canonical rendering ("3", "2.5")

    static ExprValue of_string(std::string s);
    static ExprValue of_number(double d);
    static ExprValue of_bool(bool b) { return of_number(b ? 1 : 0); }
    bool is_empty() const { return !is_number && text.empty(); }
    bool truthy() const;       // non-empty and not "0" / 0
};

struct Expr; // opaque syntax tree, defined in expression.cpp

struct ExprParse {
    std::shared_ptr<const Expr> expr; // null on error
    std::string error;                // e.g. "unexpected ')' at column 7"
    size_t column = 0;                // 1-based column of the error
};

ExprParse parse_expression(const std::string& source);

// Resolves a variable. `name` is the part before any '.', `suffix` the part after ("" when
// absent). Returns an empty string value for unknown or hidden variables.
using VarLookup = std::function<ExprValue(const std::string& name, const std::string& suffix)>;

ExprValue evaluate(const Expr& e, const VarLookup& lookup);
bool evaluate_condition(const Expr& e, const VarLookup& lookup); // truthy(evaluate(...))

// Every variable name the expression reads (without suffix), in order of appearance.
std::vector<std::string> referenced_variables(const Expr& e);
// Names of all functions the language knows.
const std::vector<std::string>& known_functions();

} // namespace tk
