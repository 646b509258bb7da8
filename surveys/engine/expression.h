// expression.h - LimeSurvey's ExpressionScript for conditions, validation and piping.
//
// Holds: ExprValue (a value as LimeSurvey's evaluator sees it), parse_expression (source to
// tree, all checking at load time) with its context (self_variable_context) and its message
// (parse_error_text), evaluate / evaluate_condition, referenced_variables, known_functions
// and refused_function (LimeSurvey functions refused with a reason).
//
// Grammar (lowest precedence first), as LimeSurvey 6's recursive-descent parser:
//   expr    := or
//   or      := and  (("or" | "||") and)*
//   and     := not  (("and" | "&&") not)*
//   not     := ("not" | "!") not | eq
//   eq      := rel  (("==" | "eq" | "!=" | "ne") rel)?
//   rel     := add  (("<" | "lt" | "<=" | "le" | ">" | "gt" | ">=" | "ge") add)?
//   add     := mul  (("+" | "-") mul)*        -- '+' adds numbers, else concatenates
//   mul     := unary (("*" | "/") unary)*
//   unary   := ("-" | "+" | "!") unary | primary
//   primary := NUMBER | STRING | NAME | NAME "(" args? ")" | "(" expr ")"
//   NAME    := [A-Za-z_][A-Za-z0-9_#]* ("." property)?
//   property: NAOK shown value valueNAOK code relevanceStatus question gid qid sgqa
//             mandatory qseq gseq type relevance (passed to VarLookup as `suffix`)
//   SELF    := ("self" | "that" "." NAME) ("." part)*  -- expanded by the parser, see ExprContext
//   STRING  := '...' | "..."  (backslash escapes a quote or a backslash)
// '%' is not an operator in ExpressionScript and is refused; so are '=' (assignment),
// `.jsName` (LimeSurvey's JavaScript name) and chained comparisons (a == b == c).
// Functions: the library of LimeSurvey's manual (see known_functions() and the table in
// surveys/LSS_IMPORT.md); listifop is refused at load time with a reason.
// Values follow LimeSurvey's rules: comparisons and '+' are numeric when both sides are
// numeric and neither is a quoted string (or a concatenation); an empty value against a
// number never orders; '-', '*', '/' without two numbers give NAN. A question that is not
// shown reads as NULL (empty; is_null() is true).
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
    bool is_bool = false;      // a comparison's result: true is 1 / "1", false is 0 / "" (PHP)
    bool is_null = false;      // LimeSurvey's NULL: a question that is not shown; text ""
    bool quoted = false;       // a string literal or a concatenation: compares as a string

    static ExprValue of_string(std::string s);
    static ExprValue of_number(double d);
    static ExprValue of_bool(bool b);
    static ExprValue null_value();
    bool is_empty() const { return text.empty(); } // "", NULL and false
    bool truthy() const;       // not "", "0", 0, false or NAN
};

struct Expr; // opaque syntax tree, defined in expression.cpp

struct ExprParse {
    std::shared_ptr<const Expr> expr; // null on error
    std::string error;                // e.g. "unexpected ')' at column 7"
    size_t column = 0;                // 1-based column of the error
};

// Where an expression stands, for `self` and `that` (LimeSurvey's manual, "ExpressionScript
// - Presentation", "self and that"). `self` is the answer variables of the question the
// expression belongs to, `that.Q1` those of question Q1; both may select with `.comments`,
// `.nocomments`, `.sq_X` (part code contains X), `.nosq_X` (does not) and end with a property
// (`count(self.NAOK)`, `that.Q1.sq_A.NAOK`). The parser expands them into plain variables, so
// the tree holds only names: a function's argument takes the whole list, anywhere else the
// selection must be one variable.
struct ExprContext {
    std::string self;        // code of the question `self` names; "" where there is none
    std::string self_error;  // why `self` cannot be used here (when `self` is ""), for the message
    std::string unknown_note; // appended when `that` names no question known here
    // The answer variables of a question in survey order ("Q1", "Q1_A", "Q1_other", ...);
    // false when no such question is known here.
    std::function<bool(const std::string& code, std::vector<std::string>* vars)> parts;
    // Bare `self` (with at most a property) stays the variable "self" for the caller's lookup to
    // resolve when it evaluates: texts parsed once and shared between questions (piping.h) and
    // validation, whose Session knows the question (FORMAT.md, "Validation"). Selectors
    // (self.sq_X) still need `parts`.
    bool self_as_variable = false;
};

// The context of an expression parsed once and evaluated for its question later (piped texts,
// defaults, validation): bare `self` stays the variable "self" (self_as_variable).
ExprContext self_variable_context();

// Without a context, `self` and `that` are refused with a message.
ExprParse parse_expression(const std::string& source);
ExprParse parse_expression(const std::string& source, const ExprContext& context);
// A failed parse's message with its place: the parser's words, " at column N" added when
// they do not name the column already.
std::string parse_error_text(const ExprParse& r);

// Resolves a variable. `name` is the part before any '.', `suffix` the part after ("" when
// absent). Returns an empty string value for unknown or hidden variables.
using VarLookup = std::function<ExprValue(const std::string& name, const std::string& suffix)>;

ExprValue evaluate(const Expr& e, const VarLookup& lookup);
bool evaluate_condition(const Expr& e, const VarLookup& lookup); // truthy(evaluate(...))

// Every variable name the expression reads (without suffix), in order of appearance.
std::vector<std::string> referenced_variables(const Expr& e);
// Names of all functions the language knows.
const std::vector<std::string>& known_functions();
// For a LimeSurvey function the engine refuses (listifop), why; "" for every other name.
std::string refused_function(const std::string& name);

} // namespace tk
