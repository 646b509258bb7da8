// piping.h - answers piped into texts: "{A2}", "{A2.shown}", "{INSERTANS:A2}", "{expr}".
//
// A text is split once, at load time, into literal parts and expression parts
// (parse_piped); showing it evaluates each expression against the answers of the moment
// (render_piped). Paper forms, which cannot know an answer, render placeholders instead
// (render_piped_with). The rules, as in LimeSurvey (see surveys/FORMAT.md, "Piping"):
//   {EXPR}            an expression; its value is shown (numbers without trailing zeros)
//   {INSERTANS:CODE}  the same as {CODE.shown}
//   \{  \}            a literal brace
//   "{ " "{\t" "{\n"  a brace followed by white space is text, not an expression; so is
//                     "{}" and an expression that ends in white space ("{a }")
//   "{" without "}"   text as written (parse_piped reports it as a warning)
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "expression.h"

namespace tk {

struct PipePart {
    bool is_expr = false;
    std::string text;                  // literal: the text to show; expression: its source
    std::shared_ptr<const Expr> expr;  // expression parts only (null if it did not parse)
    size_t offset = 0;                 // byte offset of the part in the original text
};

struct PipeProblem {
    size_t offset = 0;    // byte offset in the text of the '{' concerned
    std::string message;  // e.g. "bad expression \"{A1 ==}\": ... at column 5"
    bool error = true;    // false: a warning (an unclosed '{' shown as text)
};

struct PipedText {
    std::vector<PipePart> parts;
    std::vector<PipeProblem> problems;
    bool has_expressions() const;
};

// Splits `text`. Never fails: what is not a valid expression is reported in `problems`
// and renders as nothing (an error) or as written (a warning).
PipedText parse_piped(const std::string& text);

// The text with every expression replaced by its value.
std::string render_piped(const PipedText& p, const VarLookup& lookup);
// The text with every expression part replaced by what `placeholder` returns for it.
std::string render_piped_with(const PipedText& p,
                              const std::function<std::string(const PipePart&)>& placeholder);

// Texts parsed once per survey, by the loader; looked up by the text itself, since the same
// string may stand in many places. Texts not in it are parsed on the spot.
using PipedTexts = std::map<std::string, PipedText>;
// Quick test that a text needs parsing at all: it holds a '{' or a '\'.
bool may_pipe(const std::string& text);

// The question an expression part pipes the displayed answer of ("{A2.shown}",
// "{INSERTANS:A2}", "{A2}"): its variable when the expression is just one variable, else "".
std::string piped_variable(const PipePart& part);

} // namespace tk
