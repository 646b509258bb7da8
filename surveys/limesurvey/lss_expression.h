// lss_expression.h - LimeSurvey ExpressionScript -> engine expression. Internal to
// surveys/limesurvey: the importer translates relevance, conditions and the {...} in texts.
//   VarRef, NameMap        LimeSurvey variable names (codes, SGQA columns) -> engine names
//   LsTok, ls_tokenize     ExpressionScript tokens (SGQA names, strings, operators)
//   quote_string           a value as an engine string literal
//   translate_expression   an expression in engine syntax, or why it cannot be
#pragma once
#include <map>
#include <string>
#include <vector>

namespace tk::lss {

// What a LimeSurvey variable name stands for in the engine.
struct VarRef {
    std::string engine;  // engine variable name, e.g. "Q1_SQ001"
    int position = 0;    // survey position of the question it belongs to
    std::string question;
};

struct NameMap {
    std::map<std::string, VarRef> names;   // LimeSurvey name (qcode or SGQA) -> engine
    std::map<std::string, std::string> question_type; // engine question code -> type letter
    // Answer values the kiosk renamed (a reserved option code): engine variable ->
    // LimeSurvey code -> engine code, so that `Q1 == "other"` still means the same option.
    std::map<std::string, std::map<std::string, std::string>> renamed_values;
    void add(const std::string& ls, const std::string& engine, int pos, const std::string& q) {
        names.emplace(ls, VarRef{engine, pos, q});
    }
};

enum class LsTok { End, Number, String, Name, Op, LParen, RParen, Comma, Bad };

struct LsToken {
    LsTok kind = LsTok::End;
    std::string text;
};

bool is_alnum(char c); // [A-Za-z0-9_]

// Tokens of `s`, ending with an End token (or a Bad one where reading stopped).
std::vector<LsToken> ls_tokenize(const std::string& s);
std::string quote_string(const std::string& v);

// The engine pipes answers into texts (surveys/engine/piping.h): the importer keeps {...}
// in texts, rewritten to engine names, and replaces only what it cannot translate.
constexpr bool kEngineRendersTextReferences = true;

struct ExprOut {
    std::string text;     // engine expression ("" when the source was empty or "1")
    std::string problem;  // why it cannot be translated ("" = fine)
    std::vector<std::string> token_refs; // "{TOKEN:ATTR}" read as "" (participant data)
};

// Translates a LimeSurvey expression. `host_position`: references must point to questions
// strictly before it (the engine evaluates conditions on earlier answers only). `this_ok`:
// a validation expression, where `this` (the question or field checked) is allowed.
ExprOut translate_expression(const std::string& src, const NameMap& names, int host_position,
                             bool this_ok = false);

} // namespace tk::lss
