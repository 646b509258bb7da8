// Tests for the condition language (surveys/expression.h).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>
#include <string>

#include "expression.h"
#include "session.h"
#include "survey.h"

using namespace tk;

namespace {

// Variables as a respondent's answers would give them; unknown names read empty.
struct Vars {
    std::map<std::string, std::string> values;
    std::vector<std::string> suffixes_seen;

    VarLookup lookup() {
        return [this](const std::string& name, const std::string& suffix) {
            suffixes_seen.push_back(suffix);
            auto it = values.find(name);
            return ExprValue::of_string(it == values.end() ? "" : it->second);
        };
    }
};

ExprValue eval_src(const std::string& src, std::map<std::string, std::string> vars = {}) {
    ExprParse p = parse_expression(src);
    REQUIRE_MESSAGE(p.expr, src << " -> " << p.error);
    Vars v{std::move(vars), {}};
    return evaluate(*p.expr, v.lookup());
}

bool cond(const std::string& src, std::map<std::string, std::string> vars = {}) {
    ExprParse p = parse_expression(src);
    REQUIRE_MESSAGE(p.expr, src << " -> " << p.error);
    Vars v{std::move(vars), {}};
    return evaluate_condition(*p.expr, v.lookup());
}

std::string text_of(const std::string& src, std::map<std::string, std::string> vars = {}) {
    return eval_src(src, std::move(vars)).text;
}

ExprParse bad(const std::string& src) {
    ExprParse p = parse_expression(src);
    CHECK_MESSAGE(!p.expr, src << " parsed but should not");
    return p;
}

} // namespace

TEST_CASE("expr: values render and test truth like LimeSurvey") {
    CHECK(ExprValue::of_number(3).text == "3");
    CHECK(ExprValue::of_number(-12).text == "-12");
    CHECK(ExprValue::of_number(2.5).text == "2.5");
    CHECK(ExprValue::of_number(0.1).text == "0.1");
    CHECK(ExprValue::of_number(1.0 / 3).text == "0.3333333333333333");
    CHECK(ExprValue::of_number(1e20).text == "1e+20");
    CHECK(ExprValue::of_number(-0.0).text == "0");
    CHECK(ExprValue::of_bool(true).text == "1");
    CHECK(ExprValue::of_bool(false).text.empty()); // PHP: (string)false is ""
    CHECK(ExprValue::of_bool(false).is_empty());

    CHECK_FALSE(ExprValue::of_string("").truthy());
    CHECK_FALSE(ExprValue::of_string("0").truthy());
    CHECK(ExprValue::of_string("N").truthy());
    CHECK(ExprValue::of_string("0.0").truthy()); // PHP: only "" and "0" are false strings
    CHECK_FALSE(ExprValue::of_number(0).truthy());
    CHECK(ExprValue::of_number(-1).truthy());
    CHECK(ExprValue::of_string("").is_empty());
    CHECK_FALSE(ExprValue::of_number(0).is_empty());
}

TEST_CASE("expr: literals") {
    CHECK(text_of("42") == "42");
    // A number literal keeps its text, as PHP keeps the token (em_core_helper.php pushes it
    // as written), but counts as the number.
    CHECK(text_of("2.50") == "2.50");
    CHECK(eval_src("2.50").number == 2.5);
    CHECK(text_of(".5") == ".5");
    CHECK(text_of("2.50 + 0") == "2.5");
    CHECK(text_of("'Ja'") == "Ja");
    CHECK(text_of("\"Ja\"") == "Ja");
    CHECK(text_of("'it\\'s'") == "it's");
    CHECK(text_of("\"say \\\"hi\\\"\"") == "say \"hi\"");
    CHECK(text_of("'a\\\\b'") == "a\\b");
    CHECK(text_of("'\\d+'") == "\\d+"); // other escapes stay as written (regular expressions)
    CHECK(text_of("'Straße'") == "Straße");
    CHECK(eval_src("42").is_number);
    CHECK_FALSE(eval_src("'42'").is_number);
}

TEST_CASE("expr: precedence and associativity") {
    CHECK(cond("1 or 0 and 0"));            // and binds tighter than or
    CHECK_FALSE(cond("(1 or 0) and 0"));
    CHECK(cond("not 1 == 2"));              // not applies to the whole comparison
    CHECK_FALSE(cond("not 1 == 1"));
    CHECK(cond("1 + 2 == 3"));              // + binds tighter than ==
    CHECK(text_of("10 - 2 - 3") == "5");    // left to right
    CHECK(text_of("-2 + 3") == "1");
    CHECK(text_of("- -2") == "2");
    CHECK(text_of("'a' + 1 + 2") == "a12"); // concatenation from the left
    CHECK(text_of("1 + 2 + 'a'") == "3a");
    CHECK(cond("!0 && !!1"));
    CHECK(cond("not not 1"));
    CHECK(cond("0 || 1 && 1"));
    CHECK(cond("((1))"));
}

TEST_CASE("expr: every comparison operator, symbol and word") {
    struct Case { const char* src; bool want; };
    const Case cases[] = {
        {"1 == 1", true},  {"1 eq 1", true},  {"1 == 2", false}, {"1 eq 2", false},
        {"1 != 2", true},  {"1 ne 2", true},  {"1 != 1", false}, {"1 ne 1", false},
        {"1 < 2", true},   {"1 lt 2", true},  {"2 < 1", false},  {"2 lt 2", false},
        {"2 <= 2", true},  {"2 le 2", true},  {"3 <= 2", false}, {"3 le 2", false},
        {"3 > 2", true},   {"3 gt 2", true},  {"2 > 2", false},  {"2 gt 3", false},
        {"2 >= 2", true},  {"2 ge 2", true},  {"1 >= 2", false}, {"1 ge 2", false},
        {"1 and 1", true}, {"1 && 0", false}, {"0 or 1", true},  {"0 || 0", false},
        {"not 0", true},   {"!1", false},     {"1 AND 1", true}, {"0 OR 1", true},
        {"NOT 0", true},   {"2 GT 1", true},
    };
    for (const auto& c : cases) {
        CAPTURE(c.src);
        CHECK(cond(c.src) == c.want);
    }
    // Logical operators yield 1 or 0.
    CHECK(text_of("'x' and 'y'") == "1");
    CHECK(text_of("'' or 0").empty()); // false reads "" (PHP)
}

TEST_CASE("expr: LimeSurvey comparison semantics") {
    // Numeric when both sides look numeric; for == also when written as strings (PHP's ==).
    // Ordering a quoted literal is by bytes: RDP_EvaluateBinary forces "string" when a side
    // is DQ_STRING/SQ_STRING (em_core_helper.php), so '10' > '9' is false.
    CHECK_FALSE(cond("'10' > '9'"));
    CHECK(cond("A > '9'", {{"A", "10"}}) == false);
    CHECK(cond("A > 9", {{"A", "10"}}));
    CHECK(cond("'10' == '10.0'"));
    CHECK(cond("' 5' == 5"));
    CHECK(cond("'1e3' == 1000"));
    CHECK(cond("'-2' < 1"));
    // Otherwise as strings (byte order).
    CHECK(cond("'abc' < 'abd'"));
    CHECK(cond("'Y' == 'Y'"));
    CHECK_FALSE(cond("'y' == 'Y'"));
    CHECK_FALSE(cond("'10a' < '9'")); // string against numeric: mismatch, never ordered
    CHECK_FALSE(cond("'a' < 1"));      // "a" sorts after "1"
    // "" is not a number: an unanswered question equals nothing but "".
    CHECK_FALSE(cond("Q == 1"));
    CHECK(cond("Q != 1"));
    CHECK_FALSE(cond("Q == 0"));
    CHECK(cond("Q == ''"));
    CHECK(cond("Q == \"\""));
    // ... and does not order against numbers either way.
    CHECK_FALSE(cond("Q < 18"));
    CHECK_FALSE(cond("Q > 18"));
    CHECK_FALSE(cond("Q <= 18"));
    CHECK_FALSE(cond("Q >= 18"));
    CHECK(cond("Q < 'a'"));            // but against a string it is an ordinary string
    // With an answer the same conditions work numerically.
    CHECK(cond("Q < 18", {{"Q", "9"}}));
    CHECK_FALSE(cond("Q < 18", {{"Q", "19"}}));
    CHECK(cond("Q == 1", {{"Q", "1"}}));
    CHECK(cond("Q == 'Y' and not is_empty(R)", {{"Q", "Y"}, {"R", "x"}}));
    CHECK_FALSE(cond("Q == 'Y' and not is_empty(R)", {{"Q", "Y"}}));
}

TEST_CASE("expr: arithmetic") {
    CHECK(text_of("N + 1", {{"N", "41"}}) == "42");
    CHECK(eval_src("N + 1", {{"N", "41"}}).is_number);
    CHECK(text_of("'1' + '2'") == "12"); // quoted: concatenation (RDP_EvaluateBinary)
    CHECK(text_of("A + B", {{"A", "1"}, {"B", "2"}}) == "3");
    CHECK(text_of("0.1 + 0.2") == "0.30000000000000004");
    CHECK(text_of("'Frau ' + N", {{"N", "Meier"}}) == "Frau Meier");
    CHECK(text_of("N + 1") == "1");           // "" + 1 concatenates: "" is not a number
    CHECK(text_of("N - 1") == "NAN");          // '-' needs numbers (RDP_EvaluateBinary: NAN)
    CHECK(text_of("-'abc'") == "NAN");        // PHP 8 refuses; no value
    CHECK(text_of("-N") == "0");               // RDP_EvaluateUnary: empty is 0
    CHECK(text_of("-N", {{"N", "2.5"}}) == "-2.5");
    CHECK(text_of("7 - 10") == "-3");
}

TEST_CASE("expr: functions") {
    std::map<std::string, std::string> v = {{"A", "Y"}, {"B", ""}, {"C", "Y"}, {"N", "7"},
                                            {"M", "3.5"}, {"T", "  hallo \n"}, {"S", "Straße"}};
    // is_empty
    CHECK(cond("is_empty(B)", v));
    CHECK(cond("is_empty(Unknown)", v));
    CHECK_FALSE(cond("is_empty(A)", v));
    CHECK_FALSE(cond("is_empty(0)", v));
    // count: non-empty arguments
    CHECK(text_of("count(A, B, C, N)", v) == "3");
    CHECK(text_of("count()", v) == "0");
    CHECK(text_of("count(B)", v) == "0");
    // countif(value, args...)
    CHECK(text_of("countif('Y', A, B, C)", v) == "2");
    CHECK(text_of("countif(7, N, '7.0', 8)", v) == "2");
    CHECK(text_of("countif('Y')", v) == "0");
    // sum ignores what is not a number
    CHECK(text_of("sum(N, M, A, B)", v) == "10.5");
    CHECK(text_of("sum()", v) == "0");
    // intval
    CHECK(text_of("intval(M)", v) == "3");
    CHECK(text_of("intval('-3.9')", v) == "-3");
    CHECK(text_of("intval('12abc')", v) == "12");
    CHECK(text_of("intval('abc')", v) == "0");
    // if is lazy and picks a branch
    CHECK(text_of("if(N > 5, 'viel', 'wenig')", v) == "viel");
    CHECK(text_of("if(B, 'viel', 'wenig')", v) == "wenig");
    // strlen counts characters, not bytes
    CHECK(text_of("strlen(S)", v) == "6");
    CHECK(text_of("strlen(B)", v) == "0");
    // trim
    CHECK(text_of("trim(T)", v) == "hallo");
    CHECK(cond("is_empty(trim('   '))", v));
    // regexMatch(pattern, value)
    CHECK(cond("regexMatch('^[0-9]{5}$', '12345')", v));
    CHECK_FALSE(cond("regexMatch('^[0-9]{5}$', '1234')", v));
    CHECK(cond("regexMatch('/^\\d+$/', N)", v));        // LimeSurvey writes /.../
    CHECK(cond("regexMatch('/^stra/i', S)", v));        // with the i flag
    // Patterns whose backtracking can take exponential time are refused (false), however
    // short the answer: nested quantifiers, quantified alternations, back-references.
    CHECK_FALSE(cond("regexMatch('^(a+)+$', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab')", v));
    CHECK_FALSE(cond("regexMatch('(x|x)*y', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx')", v));
    CHECK_FALSE(cond("regexMatch('(a)\\1', 'aa')", v));
    CHECK_FALSE(cond("regexMatch('((ab)*c)*$', 'ababababababababababababababab')", v));
    // Everyday validation patterns still work, also with groups and classes.
    CHECK(cond("regexMatch('^[^@]+@[^@]+[.][a-z]+$', 'anna@example.org')", v));
    CHECK(cond("regexMatch('^(0[1-9]|[1-9][0-9])[0-9]{3}$', '04109')", v));
    CHECK(cond("regexMatch('^(ja|nein)$', 'nein')", v));
    CHECK(cond("regexMatch('^[(]+[0-9]+$', '((12')", v));
    CHECK_FALSE(cond("regexMatch('/^stra/', S)", v));
    CHECK(cond("regexMatch('ll', T)", v));               // search, not whole-string match
    CHECK_FALSE(cond("regexMatch('[unclosed', A)", v)); // a bad pattern is false, no throw
    CHECK_FALSE(cond("regexMatch('(', A)", v));

    const auto& names = known_functions();
    for (const char* f : {"is_empty", "count", "countif", "sum", "intval", "if", "strlen", "trim", "regexMatch"})
        CHECK_MESSAGE(std::find(names.begin(), names.end(), f) != names.end(), f);
    CHECK(names.size() == 80); // LimeSurvey 6's RDP_ValidFunctions without listifop
}

TEST_CASE("expr: variables, suffixes and lookup") {
    Vars v;
    v.values = {{"Q1", "Y"}, {"Q2_SQ001", "Y"}, {"D4#1", "2"}};
    ExprParse p = parse_expression("Q1.NAOK == 'Y' and Q2_SQ001.shown and D4#1 == 2 and Q3.value == '' and Q4.code == ''");
    REQUIRE(p.expr);
    CHECK(evaluate_condition(*p.expr, v.lookup()));
    CHECK(v.suffixes_seen == std::vector<std::string>{"NAOK", "shown", "", "value", "code"});

    // A lookup that throws does not escape: the value is empty.
    ExprParse q = parse_expression("X == ''");
    REQUIRE(q.expr);
    VarLookup thrower = [](const std::string&, const std::string&) -> ExprValue {
        throw std::runtime_error("boom");
    };
    CHECK(evaluate(*q.expr, thrower).text.empty());
    CHECK_FALSE(evaluate_condition(*q.expr, thrower));
    // No lookup at all: variables read empty.
    CHECK(evaluate_condition(*q.expr, VarLookup{}));
}

TEST_CASE("expr: referenced_variables") {
    ExprParse p = parse_expression("C1 == 'Y' and (count(D2_A, D2_B.NAOK, C1) > 1 or if(E1, F1, -G1)) + H.shown");
    REQUIRE(p.expr);
    CHECK(referenced_variables(*p.expr) ==
          std::vector<std::string>{"C1", "D2_A", "D2_B", "E1", "F1", "G1", "H"});
    ExprParse lit = parse_expression("1 == 1 and 'C1' == 'x'");
    REQUIRE(lit.expr);
    CHECK(referenced_variables(*lit.expr).empty());
}

TEST_CASE("expr: parse errors name the problem and the column") {
    struct Case { const char* src; const char* error; size_t column; };
    const Case cases[] = {
        {"foo(1)", "unknown function 'foo' at column 1", 1},
        {"A == regexmatch('x', A)", "unknown function 'regexmatch' (did you mean 'regexMatch'?) at column 6", 6},
        {"IS_EMPTY(A)", "unknown function 'IS_EMPTY' (did you mean 'is_empty'?) at column 1", 1},
        {"A.NAOK == 1 and sqroot(A)", "unknown function 'sqroot' at column 17", 17},
        {"listifop('qid', '==', 1, 'code', ',', Q1)", "function 'listifop' is not supported: it reads question attributes named at run time; write the list with if() and join() over the questions instead at column 1", 1},
        {"countifop('=>', 3, A)", "function 'countifop' does not know the operator '=>' (use ==, !=, <, <=, >, >=, eq, ne, lt, le, gt, ge or RX) at column 11", 11},
        {"A % 2", "'%' is not an operator in ExpressionScript (use intval(a / b) or a - b * floor(a / b)) at column 3", 3},
        {"self.NAOK == 1", "'self' stands for a question's own answers, and there is no question here; name the variables instead at column 1", 1},
        {"count(that.Q1)", "'that' can only be used in a survey's conditions, validation and texts; name the variables instead at column 7", 7},
        {"A.jsName == 1", "'.jsName' is the name of the variable in LimeSurvey's JavaScript, which a kiosk does not run; it is not supported at column 2", 2},
        {"A < B < C", "unexpected '<' at column 7", 7},
        {"rand(1)", "function 'rand' takes 0 or 2 arguments, got 1 at column 1", 1},
        {"mktime(1,2,3,4,5,6,7)", "function 'mktime' takes 0 to 6 arguments, got 7 at column 1", 1},
        {"1 +", "unexpected end of expression at column 4", 4},
        {"C1 ==", "unexpected end of expression at column 6", 6},
        {"(C1 == 'Y'", "unexpected end of expression at column 11", 11},
        {"C1 == 'Y", "unterminated string starting at column 7", 7},
        {"\"abc", "unterminated string starting at column 1", 1},
        {"C1 == 1)", "unexpected ')' at column 8", 8},
        {"A == B == C", "unexpected '==' at column 8", 8},
        {"A B", "unexpected 'B' at column 3", 3},
        {"is_empty(A, B)", "function 'is_empty' takes 1 argument, got 2 at column 1", 1},
        {"is_empty()", "function 'is_empty' takes 1 argument, got 0 at column 1", 1},
        {"if(A)", "function 'if' takes 2 to 3 arguments, got 1 at column 1", 1},
        {"strlen(A, B)", "function 'strlen' takes 1 argument, got 2 at column 1", 1},
        {"trim()", "function 'trim' takes 1 to 2 arguments, got 0 at column 1", 1},
        {"intval(1, 2, 3)", "function 'intval' takes 1 to 2 arguments, got 3 at column 1", 1},
        {"regexMatch('x')", "function 'regexMatch' takes 2 arguments, got 1 at column 1", 1},
        {"1 and countif()", "function 'countif' takes at least 1 argument, got 0 at column 7", 7},
        {"count(A,)", "unexpected ')' at column 9", 9},
        {"count(A B)", "unexpected 'B' at column 9", 9},
        {"A = 1", "unexpected '=' (use '==' to compare) at column 3", 3},
        {"A * * 2", "unexpected '*' at column 5", 5},
        {"Straße == 1", "unexpected character 'ß' at column 5", 5},
        {"'Straße' == ?", "unexpected character '?' at column 13", 13}, // columns count characters
        {"A.foo == 1", "unknown suffix '.foo' at column 2", 2},
        {"A.NAOK(1)", "unexpected '(' at column 7", 7},
        {"", "empty expression at column 1", 1},
        {"   ", "empty expression at column 1", 1},
        {"and", "unexpected 'and' at column 1", 1},
        {"()", "unexpected ')' at column 2", 2},
    };
    for (const auto& c : cases) {
        CAPTURE(c.src);
        ExprParse p = bad(c.src);
        CHECK(p.error == c.error);
        CHECK(p.column == c.column);
    }
}

TEST_CASE("expr: nesting depth is bounded, long flat chains are not") {
    // 150 levels of parentheses are fine ...
    std::string ok = std::string(150, '(') + "1" + std::string(150, ')');
    CHECK(cond(ok));
    // ... 300 are refused at the parenthesis that went one level too deep.
    std::string deep = std::string(300, '(') + "1" + std::string(300, ')');
    ExprParse p = bad(deep);
    CHECK(p.error == "expression nested too deeply at column 201");
    CHECK(p.column == 201);

    std::string nots;
    for (int i = 0; i < 5000; i++) nots += "not ";
    CHECK(bad(nots + "1").error.find("expression nested too deeply") == 0);
    CHECK(bad(std::string(5000, '-') + "1").error.find("expression nested too deeply") == 0);
    CHECK(bad(std::string(5000, '!') + "1").error.find("expression nested too deeply") == 0);
    std::string calls;
    for (int i = 0; i < 1000; i++) calls += "trim(";
    CHECK(bad(calls + "1" + std::string(1000, ')')).error.find("expression nested too deeply") == 0);

    // A long chain is one node with many children, not a deep tree.
    std::string chain = "A == 1";
    for (int i = 0; i < 20000; i++) chain += " or A == 1";
    chain += " or 1 + 1 + 1 == 3";
    CHECK(cond(chain));
    std::string sum = "1";
    for (int i = 0; i < 20000; i++) sum += " + 1";
    CHECK(text_of(sum) == "20001");
}

// ---------------------------------------------------------------------------------------
// LimeSurvey 6 semantics. Sources: LimeSurvey's evaluator (em_core_helper.php:
// getMismatchInformation, RDP_EvaluateBinary, RDP_EvaluateUnary, RDP_RunFunction and the
// exprmgr_* functions) and, for functions LimeSurvey hands to PHP, the examples of the PHP
// manual pages its ExpressionScript function list links to.

TEST_CASE("expr: LimeSurvey operators * / and unary +") {
    // RDP_EvaluateBinary: '*' and '/' on two numerics, NAN otherwise and for x / 0.
    CHECK(text_of("6 * 7") == "42");
    CHECK(text_of("7 / 2") == "3.5");
    CHECK(text_of("1 + 2 * 3") == "7");              // * binds tighter than +
    CHECK(text_of("(1 + 2) * 3") == "9");
    CHECK(text_of("12 / 3 / 2") == "2");             // left to right
    CHECK(text_of("1 / 0") == "NAN");
    CHECK(text_of("A * 2", {{"A", "abc"}}) == "NAN");
    CHECK(text_of("A * 2") == "NAN");                // unanswered: not a number
    CHECK(text_of("A * 2", {{"A", "2.5"}}) == "5");
    CHECK(text_of("'3' * 2") == "NAN");              // a quoted side is a string
    CHECK_FALSE(cond("1 / 0"));                      // NAN is false, as in the page script
    // RDP_EvaluateUnary: "+" and "-" read an empty value as 0.
    CHECK(text_of("+A", {{"A", "5"}}) == "5");
    CHECK(text_of("+A") == "0");
    CHECK(text_of("-A * 2", {{"A", "3"}}) == "-6");
    // Equality is looser than ordering (RDP_EvaluateEqualityExpression calls the relation
    // level): "1 < 2 == 1" is (1 < 2) == 1, "A == B < C" is A == (B < C).
    CHECK(cond("1 < 2 == 1"));
    CHECK(cond("1 == 2 < 3"));
    CHECK_FALSE(cond("2 > 1 != 1"));
    // '!' binds tighter than comparisons; "not" negates the comparison.
    CHECK(cond("!A == 1"));                          // (!"") == 1
    CHECK_FALSE(cond("not A == ''"));
}

TEST_CASE("expr: LimeSurvey comparison rules between numbers, texts and empty values") {
    // getMismatchInformation: "" and "0" count as strings, "" is never numeric.
    CHECK_FALSE(cond("A < 5"));                      // empty vs number: mismatch -> false
    CHECK_FALSE(cond("A >= 5"));
    CHECK(cond("A <= 0"));                           // the forced "0" vs "" case: <= is true
    CHECK_FALSE(cond("A > 0"));                      // ... and > is false
    CHECK(cond("A < 0"));                            // strcmp("", "0") < 0
    CHECK(cond("A >= 0") == false);                  // strcmp("", "0") >= 0 is false
    CHECK_FALSE(cond("A == 0"));                     // PHP 8: "" == 0 is false
    CHECK(cond("A == ''"));
    CHECK_FALSE(cond("A < 5", {{"A", "abc"}}));      // text vs number: mismatch
    CHECK_FALSE(cond("A > 5", {{"A", "abc"}}));
    CHECK(cond("A > B", {{"A", "b"}, {"B", "a"}}));  // two texts: strcmp
    CHECK(cond("A > 9", {{"A", "10"}}));             // two numerics: numbers
    CHECK(cond("A > B", {{"A", "10"}, {"B", "9"}}));
    CHECK_FALSE(cond("A > '9'", {{"A", "10"}}));     // quoted side: strcmp("10", "9")
    CHECK(cond("A == '10.0'", {{"A", "10"}}));       // == is PHP's, numeric strings as numbers
    CHECK(cond("A == 1", {{"A", "1.000"}}));
    CHECK(cond("A != 'Y'"));
    // '+' concatenates unless both are numerics (and neither quoted); the result compares
    // as a string afterwards.
    CHECK(text_of("A + B", {{"A", "5"}}) == "5");    // "5" . ""
    CHECK(cond("(A + B) > 3", {{"A", "5"}}));        // strcmp("5", "3") > 0
    CHECK(cond("(A + B) > 30", {{"A", "5"}}));       // strcmp("5", "30") > 0, though 5 < 30
    CHECK(text_of("'a' + 1.50") == "a1.50");
    // Results of comparisons are PHP booleans: false is empty, true is 1.
    CHECK(cond("is_empty(1 > 2)"));
    CHECK(text_of("'x' + (1 > 2)") == "x");
    CHECK(text_of("(2 > 1) + 1") == "2");
    CHECK(cond("(1 > 2) == ''"));
    CHECK(cond("(2 > 1) == 'Y'"));                   // PHP: true == "Y"
}

TEST_CASE("expr: math functions") {
    // php.net/abs: abs(-4.2) = 4.2; exprmgr_abs: a non-number is false.
    CHECK(text_of("abs(-4.2)") == "4.2");
    CHECK(text_of("abs(5)") == "5");
    CHECK(cond("is_empty(abs('x'))"));
    // php.net/ceil, php.net/floor
    CHECK(text_of("ceil(4.3)") == "5");
    CHECK(text_of("ceil(-3.14)") == "-3");
    CHECK(text_of("floor(4.3)") == "4");
    CHECK(text_of("floor(-3.14)") == "-4");
    CHECK(text_of("floor('x')") == "NAN");         // RDP_RunFunction: non-numeric -> NAN
    // php.net/round
    CHECK(text_of("round(3.4)") == "3");
    CHECK(text_of("round(3.5)") == "4");
    CHECK(text_of("round(-3.5)") == "-4");
    CHECK(text_of("round(1.95583, 2)") == "1.96");
    CHECK(text_of("round(1241757, -3)") == "1242000");
    CHECK(text_of("round(5.045, 2)") == "5.05");
    CHECK(text_of("round(5.055, 2)") == "5.06");
    // php.net/max, php.net/min
    CHECK(text_of("max(2, 3, 1, 6, 7)") == "7");
    CHECK(text_of("min(2, 8, 6, 4)") == "2");
    CHECK(text_of("max('apple', 'banana')") == "banana");
    CHECK(text_of("max(A, 3)", {{"A", "10"}}) == "10");
    // php.net/pow, sqrt, exp, log, pi
    CHECK(text_of("pow(2, 8)") == "256");
    CHECK(text_of("pow(-1, 20)") == "1");
    CHECK(cond("is_empty(pow('a', 2))"));          // RDP_RunFunction: false
    CHECK(text_of("sqrt(9)") == "3");
    CHECK(text_of("sqrt(-1)") == "NAN");
    CHECK(text_of("round(exp(1), 6)") == "2.718282");
    CHECK(text_of("log(8, 2)") == "3");
    CHECK(text_of("round(log(exp(2)), 10)") == "2");
    CHECK(text_of("log('x')") == "NAN");           // exprmgr_log
    CHECK(text_of("log(8, -2)") == "NAN");
    CHECK(text_of("round(pi(), 5)") == "3.14159");
    CHECK(text_of("round(sin(pi() / 2), 6)") == "1");
    CHECK(text_of("cos(0)") == "1");
    CHECK(text_of("tan(0)") == "0");
    CHECK(text_of("round(atan2(1, 1) * 4, 5)") == "3.14159");
    CHECK(text_of("round(acos(-1), 5)") == "3.14159");
    CHECK(text_of("asin(0)") == "0");
    CHECK(text_of("atan(0)") == "0");
    // php.net/intval
    CHECK(text_of("intval(42)") == "42");
    CHECK(text_of("intval(4.2)") == "4");
    CHECK(text_of("intval('42')") == "42");
    CHECK(text_of("intval('+42')") == "42");
    CHECK(text_of("intval('-42')") == "-42");
    CHECK(text_of("intval('042')") == "42");
    CHECK(text_of("intval('1e10')") == "10000000000");
    CHECK(text_of("intval('42', 8)") == "34");
    CHECK(text_of("intval('0x1A', 16)") == "26");
    CHECK(text_of("intval('0x1A', 0)") == "26");
    CHECK(text_of("intval('012', 0)") == "10");
    // php.net/floatval
    CHECK(text_of("floatval('122.34343The')") == "122.34343");
    CHECK(text_of("floatval('The122.34343')") == "0");
    CHECK(text_of("floatval('1e3')") == "1000");
    // php.net/number_format (one argument: no decimals, ',' between thousands)
    CHECK(text_of("number_format(1234.56)") == "1,235");
    CHECK(text_of("number_format(-1234567.891)") == "-1,234,568");
    CHECK(text_of("number_format(12)") == "12");
    // fixnum: the survey's radix is '.', so the value is unchanged
    CHECK(text_of("fixnum(3.5)") == "3.5");
    // exprmgr_stddev: sample standard deviation of the numeric arguments
    CHECK(text_of("stddev(2, 4, 4, 4, 5, 5, 7, 9)") == text_of("sqrt(32 / 7)"));
    CHECK(text_of("stddev(5)") == "0");
    CHECK(text_of("stddev(A, 1, 3)") == text_of("sqrt(2)"));
    // rand: an integer in the range, from the device's random source
    for (int i = 0; i < 20; i++) {
        double r = eval_src("rand(1, 6)").number;
        CHECK((r >= 1 && r <= 6 && r == std::floor(r)));
    }
    CHECK(eval_src("rand()").number >= 0);
}

TEST_CASE("expr: type tests") {
    // exprmgr_empty: NULL, "" and false are empty; "0" and 0 are not.
    CHECK(cond("is_empty('')"));
    CHECK_FALSE(cond("is_empty('0')"));
    CHECK_FALSE(cond("is_empty(0)"));
    // exprmgr_int: trailing zeros after '.' go; '' is not an integer (bug 17950).
    CHECK(cond("is_int('42')"));
    CHECK(cond("is_int('-7')"));
    CHECK(cond("is_int('3.000')"));
    CHECK(cond("is_int('000')"));
    CHECK_FALSE(cond("is_int('3.5')"));
    CHECK_FALSE(cond("is_int('')"));
    CHECK_FALSE(cond("is_int('abc')"));
    CHECK(cond("is_int(A)", {{"A", "12"}}));
    // php.net/is_numeric
    CHECK(cond("is_numeric('42')"));
    CHECK(cond("is_numeric(1337)"));
    CHECK(cond("is_numeric('1e10')"));
    CHECK(cond("is_numeric('.5')"));
    CHECK(cond("is_numeric(' 5')"));
    CHECK_FALSE(cond("is_numeric('0x539')"));
    CHECK_FALSE(cond("is_numeric('not numeric')"));
    CHECK_FALSE(cond("is_numeric('')"));
    // is_float: a number that is not an integer
    CHECK(cond("is_float('2.5')"));
    CHECK_FALSE(cond("is_float('2')"));
    CHECK_FALSE(cond("is_float('x')"));
    // is_string: not a number
    CHECK(cond("is_string('abc')"));
    CHECK_FALSE(cond("is_string(5)"));
    // is_nan
    CHECK(cond("is_nan(sqrt(-1))"));
    CHECK(cond("is_nan('abc')"));
    CHECK_FALSE(cond("is_nan(5)"));
    // is_null: only a question that is not shown
    CHECK_FALSE(cond("is_null('')"));
    ExprParse p = parse_expression("is_null(Q)");
    REQUIRE(p.expr);
    CHECK(evaluate_condition(*p.expr, [](const std::string&, const std::string&) { return ExprValue::null_value(); }));
}

TEST_CASE("expr: string functions") {
    std::map<std::string, std::string> v = {{"S", "Straße"}, {"G", "Grüße aus Köln"}};
    // mb_strtolower / mb_strtoupper (exprmgr_strtolower, exprmgr_strtoupper)
    CHECK(text_of("strtolower('Mary Had A Little Lamb')") == "mary had a little lamb");
    CHECK(text_of("strtoupper('Mary Had A Little Lamb')") == "MARY HAD A LITTLE LAMB");
    CHECK(text_of("strtoupper(G)", v) == "GRÜSSE AUS KÖLN");
    CHECK(text_of("strtolower('ÄÖÜ ΑΒΓ АБВ')") == "äöü αβγ абв");
    // php.net/ucwords (ASCII letters only)
    CHECK(text_of("ucwords('hello world!')") == "Hello World!");
    CHECK(text_of("ucwords('HELLO world')") == "HELLO World");
    // trim family with character lists and ranges (php.net/trim)
    CHECK(text_of("trim('  Hallo  ')") == "Hallo");
    CHECK(text_of("trim('xxHalloxx', 'x')") == "Hallo");
    CHECK(text_of("trim('Hello World', 'Hdle')") == "o Wor");
    CHECK(text_of("trim('abc123', 'a..c')") == "123");
    CHECK(text_of("ltrim('  x  ')") == "x  ");
    CHECK(text_of("rtrim('  x  ')") == "  x");
    CHECK(text_of("rtrim('1.500', '0')") == "1.5");
    // exprmgr_substr (mb_substr), php.net/substr examples
    CHECK(text_of("substr('abcdef', -1)") == "f");
    CHECK(text_of("substr('abcdef', -2)") == "ef");
    CHECK(text_of("substr('abcdef', -3, 1)") == "d");
    CHECK(text_of("substr('abcdef', 0, -1)") == "abcde");
    CHECK(text_of("substr('abcdef', 2, -1)") == "cde");
    CHECK(text_of("substr('abcdef', 4, -4)").empty());
    CHECK(text_of("substr('abcdef', 1, 3)") == "bcd");
    CHECK(text_of("substr(S, 4)", v) == "ße");    // characters, not bytes
    // strlen counts characters (exprmgr_strlen)
    CHECK(text_of("strlen('Grüße')") == "5");
    // php.net/str_replace
    CHECK(text_of("str_replace('%body%', 'black', '<body text=%body%>')") == "<body text=black>");
    CHECK(text_of("str_replace('', 'x', 'abc')") == "abc");
    // exprmgr_strpos / exprmgr_stripos: character position or false
    CHECK(text_of("strpos('abc', 'a')") == "0");
    CHECK(text_of("strpos('abcabc', 'c', 3)") == "5");
    CHECK(text_of("strpos(S, 'e')", v) == "5");
    CHECK(cond("is_empty(strpos('abc', 'd'))"));
    CHECK_FALSE(cond("is_empty(strpos('abc', 'a'))"));
    CHECK(cond("is_empty(strpos('abc', 'a', 10))"));
    CHECK(text_of("stripos('ABC', 'b')") == "1");
    CHECK(text_of("stripos('xÄy', 'ä')") == "1");
    // strstr / stristr (php.net/strstr)
    CHECK(text_of("strstr('name@example.com', '@')") == "@example.com");
    CHECK(text_of("strstr('name@example.com', '@', 1)") == "name");
    CHECK(text_of("stristr('USER@EXAMPLE.com', 'e')") == "ER@EXAMPLE.com");
    CHECK(text_of("stristr('USER@EXAMPLE.com', 'e', 1)") == "US");
    CHECK(cond("is_empty(strstr('abc', 'x'))"));
    // strrev, str_pad, str_repeat
    CHECK(text_of("strrev('Hello world!')") == "!dlrow olleH");
    CHECK(text_of("strrev('äb')") == "bä");
    CHECK(text_of("str_pad('Alien', 10)") == "Alien     ");
    CHECK(text_of("str_pad('Alien', 10, '-=')") == "Alien-=-=-");
    CHECK(text_of("str_pad('Alien', 3, '*')") == "Alien");
    CHECK(text_of("str_repeat('-=', 10)") == "-=-=-=-=-=-=-=-=-=-=");
    CHECK(text_of("str_repeat('x', 100000000)").empty()); // refused: longer than 64 KiB
    // strcmp / strcasecmp: -1, 0, 1
    CHECK(text_of("strcmp('a', 'b')") == "-1");
    CHECK(text_of("strcmp('b', 'b')") == "0");
    CHECK(text_of("strcasecmp('HELLO', 'hello')") == "0");
    // addslashes, stripslashes, quotemeta (php.net examples)
    CHECK(text_of("addslashes(\"O'Reilly\")") == "O\\'Reilly");
    CHECK(text_of("stripslashes('O\\\\\\'Rei\\\\lly')") == "O'Reilly");
    CHECK(text_of("quotemeta('1+1=2?')") == "1\\+1=2\\?");
    // HTML (LimeSurvey always passes ENT_QUOTES)
    CHECK(text_of("htmlspecialchars(\"<a href='test'>Test</a>\")") == "&lt;a href=&#039;test&#039;&gt;Test&lt;/a&gt;");
    CHECK(text_of("htmlspecialchars_decode('&lt;p&gt;this -&gt; &quot;&lt;/p&gt;')") == "<p>this -> \"</p>");
    CHECK(text_of("htmlentities('Grüße & Küsse')") == "Gr&uuml;&szlig;e &amp; K&uuml;sse");
    CHECK(text_of("html_entity_decode('Gr&uuml;&szlig;e &#8364; &#x41; &amp;')") == "Grüße € A &");
    CHECK(text_of("html_entity_decode('&unknown; & x')") == "&unknown; & x");
    CHECK(text_of("nl2br('foo isn\\'t\\nbar')") == "foo isn't\\nbar"); // '\\n' in a literal is not a newline
    CHECK(text_of("nl2br(T)", {{"T", "a\nb\r\nc"}}) == "a<br />\nb<br />\r\nc");
    CHECK(text_of("strip_tags('<p>Test paragraph.</p><!-- Comment --> <a href=\"#fragment\">Other text</a>')") ==
          "Test paragraph. Other text");
    CHECK(text_of("strip_tags('<p>Test <b>bold</b></p>', '<b>')") == "Test <b>bold</b>");
    // quoted-printable
    CHECK(text_of("quoted_printable_encode(T)", {{"T", "Grüße=1"}}) == "Gr=C3=BC=C3=9Fe=3D1");
    CHECK(text_of("quoted_printable_decode('Gr=C3=BC=C3=9Fe=3D1')") == "Grüße=1");
    CHECK(text_of("quoted_printable_decode(T)", {{"T", "ab=\r\ncd"}}) == "abcd");
    // sprintf (php.net/sprintf examples)
    CHECK(text_of("sprintf('%04d-%02d-%02d', 2021, 7, 4)") == "2021-07-04");
    CHECK(text_of("sprintf('%01.2f', 123.1)") == "123.10");
    CHECK(text_of("sprintf('%.1f %%', 45.678)") == "45.7 %");
    CHECK(text_of("sprintf('%s is %d years', 'Anna', '42')") == "Anna is 42 years");
    CHECK(text_of("sprintf('%2$s %1$s', 'a', 'b')") == "b a");
    CHECK(text_of("sprintf('[%5s][%-5s]', 'ab', 'ab')") == "[   ab][ab   ]");
    CHECK(text_of("sprintf(\"[%'*8s]\", 'abc')") == "[*****abc]");
    CHECK(text_of("sprintf('%x %X %o %b %c', 255, 255, 8, 5, 65)") == "ff FF 10 101 A");
    CHECK(text_of("sprintf('%+d %+d', 5, -5)") == "+5 -5");
    CHECK(text_of("sprintf('%05d', -12)") == "-0012");
    CHECK(text_of("sprintf('%e', 1234.5678)") == "1.234568e+3");
    CHECK(text_of("sprintf('%.3s', 'abcdef')") == "abc");
    // regexMatch keeps its guard (see the functions test above)
    CHECK(cond("regexMatch('/^[0-9]{5}$/', '04109')"));
}

TEST_CASE("expr: counting, lists and choosing") {
    std::map<std::string, std::string> v = {{"A", "1"}, {"B", "3"}, {"C", "5"}, {"E", ""}, {"Y1", "Y"}, {"Y2", "Y"}};
    // exprmgr_count / countif
    CHECK(text_of("count(A, B, E)", v) == "2");
    CHECK(text_of("count(0, '0')", v) == "2");
    CHECK(text_of("countif('Y', Y1, Y2, E)", v) == "2");
    // exprmgr_countifop / sumifop: PHP comparisons (so "" < 3 counts), RX for patterns
    CHECK(text_of("countifop('>=', 3, A, B, C)", v) == "2");
    CHECK(text_of("countifop('<', 3, A, B, C, E)", v) == "2"); // "" < 3 in PHP 8
    CHECK(text_of("countifop('RX', '/^[0-9]$/', A, B, E)", v) == "2");
    CHECK(text_of("countifop('ne', 1, A, B)", v) == "1");
    CHECK(text_of("sumifop('>=', 3, A, B, C)", v) == "8");
    CHECK(text_of("sumifop('==', 1, A, B, C)", v) == "1");
    CHECK(text_of("sumifop('gt', 0, A, B, C)", v) == "9");
    // exprmgr_array_sum: texts count by their leading number
    CHECK(text_of("sum(A, B, C, E, '2abc')", v) == "11");
    // exprmgr_if: the third argument defaults to ''
    CHECK(text_of("if(A == 1, 'one')", v) == "one");
    CHECK(text_of("if(A == 2, 'one')", v).empty());
    // exprmgr_implode / join / list
    CHECK(text_of("implode(', ', A, B, E, C)", v) == "1, 3, , 5");
    CHECK(text_of("implode('-')", v).empty());
    CHECK(text_of("join(A, B, 'x')", v) == "13x");
    CHECK(text_of("list(A, E, B, C)", v) == "1, 3, 5");
    // exprmgr_unique: non-empty values all different
    CHECK(cond("unique(A, B, C, E, E)", v));
    CHECK_FALSE(cond("unique(A, B, A)", v));
    CHECK_FALSE(cond("unique(Y1, Y2)", v));
    // convert_value (manual: convert_value(fValue, iStrict, sFrom, sTo))
    CHECK(text_of("convert_value(10, 1, '0,5,10,15,20', '0,5,10,15,20')") == "10");
    CHECK(text_of("convert_value(3, 1, '1,2,3,4,5', '5,4,3,2,1')") == "3");
    CHECK(text_of("convert_value(2, 1, '1,2,3', 'a,b,c')") == "b");
    CHECK(text_of("convert_value(11, 0, '0,5,10,15,20', '0,5,10,15,20')") == "10");
    CHECK(text_of("convert_value(13, 0, '0,5,10,15,20', 'A,B,C,D,E')") == "D");
    CHECK(cond("is_empty(convert_value(11, 1, '0,5,10', '0,5,10'))"));
    CHECK(cond("is_empty(convert_value('x', 0, '0,5', '0,5'))"));
    CHECK(cond("is_empty(convert_value(1, 0, '0,5', '0'))"));
}

TEST_CASE("expr: dates and times") {
    // php.net/gmdate and date: the format characters, on a fixed timestamp.
    // 1625401800 is Sunday 2021-07-04 12:30:00 UTC.
    CHECK(text_of("gmdate('Y-m-d H:i:s', 1625401800)") == "2021-07-04 12:30:00");
    CHECK(text_of("gmdate('D, d M Y', 1625401800)") == "Sun, 04 Jul 2021");
    CHECK(text_of("gmdate('l jS \\\\o\\\\f F Y h:i:s A', 1625401800)") == "Sunday 4th of July 2021 12:30:00 PM");
    CHECK(text_of("gmdate('N w z t L W o y n G g a', 1625401800)") == "7 0 184 31 0 26 2021 21 7 12 12 pm");
    CHECK(text_of("gmdate('c', 1625401800)") == "2021-07-04T12:30:00+00:00");
    CHECK(text_of("gmdate('r', 1625401800)") == "Sun, 04 Jul 2021 12:30:00 +0000");
    CHECK(text_of("gmdate('U', 1625401800)") == "1625401800");
    CHECK(cond("is_empty(date('Y', 'x'))"));    // exprmgr_date: a non-numeric timestamp is false
    // mktime and date agree on the device's local time; month 13 carries over (php.net/mktime)
    CHECK(text_of("date('Y-m-d H:i:s', mktime(12, 30, 0, 7, 4, 2021))") == "2021-07-04 12:30:00");
    CHECK(text_of("date('M-d-Y', mktime(0, 0, 0, 12, 32, 1997))") == "Jan-01-1998");
    CHECK(text_of("date('M-d-Y', mktime(0, 0, 0, 13, 1, 1997))") == "Jan-01-1998");
    CHECK(text_of("date('Y', mktime(0, 0, 0, 1, 1, 98))") == "1998");
    CHECK(cond("is_empty(mktime('x'))"));        // exprmgr_mktime: false
    CHECK(text_of("idate('Y', mktime(0, 0, 0, 1, 1, 2020))") == "2020");
    CHECK(cond("is_empty(idate('YY'))"));
    // exprmgr_checkdate: digits only, then a Gregorian date
    CHECK(cond("checkdate(12, 31, 2000)"));
    CHECK_FALSE(cond("checkdate(2, 29, 2001)"));
    CHECK(cond("checkdate(2, 29, 2000)"));
    CHECK_FALSE(cond("checkdate('2x', 1, 2000)"));
    CHECK_FALSE(cond("checkdate(13, 1, 2000)"));
    CHECK(cond("checkdate(M, D, Y)", {{"M", "7"}, {"D", "4"}, {"Y", "2021"}}));
    // strtotime for the documented formats, checked through date()
    auto day = [](const std::string& s) { return text_of("date('Y-m-d H:i:s', strtotime('" + s + "'))"); };
    CHECK(day("2021-07-04") == "2021-07-04 00:00:00");
    CHECK(day("2021-07-04 13:45") == "2021-07-04 13:45:00");
    CHECK(day("2021-07-04T13:45:10") == "2021-07-04 13:45:10");
    CHECK(day("04.07.2021") == "2021-07-04 00:00:00");
    CHECK(day("4.7.21") == "2021-07-04 00:00:00");
    CHECK(day("07/04/2021") == "2021-07-04 00:00:00");
    CHECK(day("2021/07/04") == "2021-07-04 00:00:00");
    CHECK(day("04-07-2021") == "2021-07-04 00:00:00");
    CHECK(day("10 September 2000") == "2000-09-10 00:00:00");
    CHECK(day("September 10, 2000") == "2000-09-10 00:00:00");
    CHECK(day("2021-07-04 +1 day") == "2021-07-05 00:00:00");
    CHECK(day("2021-01-31 +1 month") == "2021-03-03 00:00:00");
    CHECK(day("2021-07-04 -2 weeks") == "2021-06-20 00:00:00");
    CHECK(day("2021-07-04 12:00 +90 minutes") == "2021-07-04 13:30:00");
    CHECK(day("2021-07-04 1 year ago") == "2020-07-04 00:00:00");
    CHECK(text_of("strtotime('@86400')") == "86400");
    CHECK(cond("is_empty(strtotime('next blursday'))"));
    CHECK(cond("is_empty(strtotime('2021-13-01'))"));
    CHECK(cond("is_empty(strtotime(''))"));
    // now, today, tomorrow and time() read the device clock
    double now = eval_src("time()").number;
    CHECK(std::fabs(eval_src("strtotime('now')").number - now) <= 2);
    CHECK(eval_src("strtotime('tomorrow') - strtotime('today')").number >= 82800); // 23 h on a DST day
    CHECK(text_of("date('H:i:s', strtotime('today'))") == "00:00:00");
    CHECK(text_of("date('Y', time())") == text_of("date('Y')"));
}

// The properties a survey reads through Session::lookup (LimeSurvey's static attributes,
// relevanceStatus, and NULL for a question that is not shown).
TEST_CASE("expr: variable properties through the session") {
    const char* json = R"({"format":"teilhabe-survey/1","id":"t","version":"1","languages":["de"],"title":"T",
      "groups":[
       {"code":"G1","title":"Eins","questions":[
         {"code":"A","type":"yesno","text":"Frage A","mandatory":true},
         {"code":"B","type":"text","text":"Frage B","condition":"A == 'Y'"}]},
       {"code":"G2","title":"Zwei","questions":[
         {"code":"C","type":"numeric","text":"Frage C"}]}]})";
    LoadResult r = parse_survey(json, "test.json");
    for (const LoadError& e : r.errors) MESSAGE(e.to_string());
    REQUIRE(r.ok());
    Session s(r.survey, "de", 0);
    auto get = [&](const char* name, const char* suffix) { return s.lookup(name, suffix); };
    CHECK(get("A", "question").text == "Frage A");
    CHECK(get("B", "question").text == "Frage B");        // static: also while B is hidden
    CHECK(get("A", "qid").text == "1");
    CHECK(get("C", "qid").text == "3");
    CHECK(get("C", "qseq").text == "2");
    CHECK(get("B", "gid").text == "1");
    CHECK(get("C", "gid").text == "2");
    CHECK(get("C", "gseq").text == "1");
    CHECK(get("A", "sgqa").text == "A");
    CHECK(get("A", "mandatory").text == "Y");
    CHECK(get("B", "mandatory").text == "N");
    CHECK(get("A", "type").text == "Y");                  // LimeSurvey's type letters
    CHECK(get("B", "type").text == "S");
    CHECK(get("C", "type").text == "N");
    CHECK(get("B", "relevance").text == "A == 'Y'");      // the condition as written
    CHECK(get("A", "relevance").text == "1");             // none: always shown
    CHECK(get("B", "relevanceStatus").text == "0");
    CHECK(get("B", "").is_null);                          // not shown: NULL
    CHECK(get("B", "NAOK").is_empty());
    REQUIRE(s.set_answer("A", [] { Answer a; a.value = "Y"; return a; }()).ok());
    CHECK(get("B", "relevanceStatus").text == "1");
    CHECK_FALSE(get("B", "").is_null);                    // shown, unanswered: ""
    CHECK(get("A", "").text == "Y");
    CHECK(get("A", "value").text == "Y");
    CHECK(get("A", "valueNAOK").text == "Y");
    CHECK(get("A", "code").text == "Y");
    CHECK(get("A", "shown").text == "Ja");
    // The same through an expression.
    ExprParse p = parse_expression("A.relevanceStatus == 1 and B.relevanceStatus and C.gid == 2 and is_null(X)");
    REQUIRE(p.expr);
    CHECK(evaluate_condition(*p.expr, [&](const std::string& n, const std::string& suf) { return s.lookup(n, suf); }) == false);
    ExprParse q = parse_expression("A.relevanceStatus == 1 and B.relevanceStatus and C.gid == 2 and not is_null(B)");
    REQUIRE(q.expr);
    CHECK(evaluate_condition(*q.expr, [&](const std::string& n, const std::string& suf) { return s.lookup(n, suf); }));
}

namespace {

// A survey's worth of questions for self / that: Q1 multiple choice (A, B, C1, other,
// comment), M matrix rows SQ001 SQ002 SQ010, T a text.
ExprContext demo_context(const std::string& self) {
    ExprContext ctx;
    ctx.self = self;
    ctx.parts = [](const std::string& code, std::vector<std::string>* vars) {
        if (code == "Q1") *vars = {"Q1_A", "Q1_B", "Q1_C1", "Q1_other", "Q1_comment"};
        else if (code == "M") *vars = {"M_SQ001", "M_SQ002", "M_SQ010"};
        else if (code == "T") *vars = {"T"};
        else return false;
        return true;
    };
    return ctx;
}

// The expanded tree as text: every variable it reads with its suffix.
std::string expanded(const std::string& src, const std::string& self = "Q1") {
    ExprParse p = parse_expression(src, demo_context(self));
    REQUIRE_MESSAGE(p.expr, src << " -> " << p.error);
    std::string out;
    std::vector<std::string> seen;
    evaluate(*p.expr, [&](const std::string& n, const std::string& suf) {
        seen.push_back(suf.empty() ? n : n + "." + suf);
        return ExprValue::of_string("");
    });
    for (const std::string& n : seen) out += (out.empty() ? "" : " ") + n;
    return out;
}

std::string self_error(const std::string& src, const std::string& self = "Q1") {
    ExprParse p = parse_expression(src, demo_context(self));
    CHECK_MESSAGE(!p.expr, src << " parsed but should not");
    return p.error;
}

} // namespace

// LimeSurvey manual, "ExpressionScript - Presentation", section "self and that": self is
// the question's own subquestions, with the sub-selectors comments / nocomments / sq_X /
// nosq_X and any variable suffix; that.<question> does the same for another question.
TEST_CASE("expr: self and that expand into the question's variables") {
    // "Is any cell of this question answered? count(self.NAOK) > 0"
    CHECK(expanded("count(self.NAOK) > 0") == "Q1_A.NAOK Q1_B.NAOK Q1_C1.NAOK Q1_other.NAOK Q1_comment.NAOK");
    // "sum(self.NAOK)": the plain list, no suffix
    CHECK(expanded("sum(self)") == "Q1_A Q1_B Q1_C1 Q1_other Q1_comment");
    // comments / nocomments: the fields whose code ends in "comment"
    CHECK(expanded("count(self.comments)") == "Q1_comment");
    CHECK(expanded("count(self.nocomments.NAOK)") == "Q1_A.NAOK Q1_B.NAOK Q1_C1.NAOK Q1_other.NAOK");
    // sq_X keeps codes containing X ("sq_1 includes a1, 1a, 1, 11 or 001"), nosq_X drops them
    CHECK(expanded("sum(that.M.sq_1)") == "M_SQ001 M_SQ010");
    CHECK(expanded("sum(that.M.sq_01.NAOK)") == "M_SQ001.NAOK M_SQ010.NAOK"); // substring, not prefix
    CHECK(expanded("sum(that.M.nosq_1)") == "M_SQ002");
    CHECK(expanded("sum(that.M.sq_SQ001, that.M.sq_SQ002)") == "M_SQ001 M_SQ002");
    CHECK(expanded("sum(that.M.sq_SQ001.sq_SQ002)") == "M_SQ001 M_SQ002"); // several sq_: any of them
    CHECK(expanded("count(self.sq_C.nocomments)") == "Q1_C1");
    // that.Q1.sq_A, that.Q1.NAOK (the examples of the task's issue and the manual)
    CHECK(expanded("count(that.Q1.sq_A)", "") == "Q1_A");
    CHECK(expanded("count(that.Q1.NAOK)", "") == "Q1_A.NAOK Q1_B.NAOK Q1_C1.NAOK Q1_other.NAOK Q1_comment.NAOK");
    // One variable may stand anywhere; the list only as a function's arguments.
    CHECK(expanded("that.T.NAOK == 'x'") == "T.NAOK");
    CHECK(expanded("self.sq_B == 'Y' or is_empty(self.sq_A)") == "Q1_B Q1_A");
    // Mixed with other arguments and inside nested calls.
    CHECK(expanded("countif('Y', self.nocomments, T)") == "Q1_A Q1_B Q1_C1 Q1_other T");
    CHECK(expanded("if(count(self) == 0, sum(that.M.sq_2), 0)") == "Q1_A Q1_B Q1_C1 Q1_other Q1_comment M_SQ002");
}

TEST_CASE("expr: self and that evaluate over the expanded variables") {
    ExprParse p = parse_expression("count(self.NAOK) == 2 and sum(that.M) == 7", demo_context("Q1"));
    REQUIRE_MESSAGE(p.expr, p.error);
    Vars v{{{"Q1_A", "Y"}, {"Q1_C1", "Y"}, {"M_SQ001", "3"}, {"M_SQ010", "4"}}, {}};
    CHECK(evaluate_condition(*p.expr, v.lookup()));
    v.values["Q1_B"] = "Y";
    CHECK_FALSE(evaluate_condition(*p.expr, v.lookup()));
    CHECK(std::count(v.suffixes_seen.begin(), v.suffixes_seen.end(), "NAOK") == 10);
}

TEST_CASE("expr: self and that refused with a reason where they cannot expand") {
    CHECK(self_error("self.NAOK == 'Y'") ==
          "'self.NAOK' stands for 5 variables (Q1_A, Q1_B, Q1_C1, Q1_other, ...); use it as a function's "
          "argument, e.g. count(self.NAOK) at column 1");
    CHECK(self_error("count(that.Q9)") == "'that.Q9' names no question Q9 known here at column 7");
    CHECK(self_error("count(that)") == "'that' must name a question, e.g. that.Q1.NAOK at column 7");
    CHECK(self_error("count(self.sq_Z)") ==
          "'self.sq_Z' selects none of the variables of question Q1 (Q1_A, Q1_B, Q1_C1, Q1_other, Q1_comment) at column 7");
    CHECK(self_error("count(self.foo)") ==
          "unknown part 'foo' in 'self.foo': use comments, nocomments, sq_<code>, nosq_<code> or a property such as NAOK at column 7");
    CHECK(self_error("count(self.NAOK.sq_A)") == "in 'self.NAOK.sq_A' the property '.NAOK' must come last at column 7");
    CHECK(self_error("count(self.jsName)").find("'.jsName' is the name of the variable") == 0);
    CHECK(self_error("(((implode(") == "unexpected end of expression at column 12"); // found by fuzzing
    CHECK(self_error("count(self") == "unexpected end of expression at column 11");
    CHECK(self_error("count(self.)") == "'.' must be followed by a part after 'self' at column 11");
    CHECK(self_error("count(self)", "") ==
          "'self' stands for a question's own answers, and there is no question here; name the variables instead at column 7");
    ExprContext group;
    group.self_error = "no question for self here";
    group.parts = demo_context("").parts;
    ExprParse g = parse_expression("count(self) > 0", group);
    CHECK_FALSE(g.expr);
    CHECK(g.error == "no question for self here at column 7");
    CHECK(parse_expression("count(that.T) > 0", group).expr); // that still works
}

// self / that in a survey file: the loader expands `that` in conditions over the questions
// before, and refuses `self` there (a condition cannot read its own question).
TEST_CASE("expr: the loader expands that and refuses self in conditions") {
    auto load = [](const std::string& cond, const char* type4 = "text") {
        std::string json = R"({"format":"teilhabe-survey/1","id":"t","version":"1","languages":["de"],"title":"T",
          "groups":[{"code":"G1","title":"Eins","questions":[
             {"code":"Q1","type":"multiple","text":"Q1","other":true,"options":[
               {"code":"A","text":"a"},{"code":"B","text":"b"},{"code":"C","text":"c"}]},
             {"code":"M","type":"matrix","text":"M","rows":[{"code":"SQ001","text":"r1"},{"code":"SQ002","text":"r2"}],
              "options":[{"code":"1","text":"eins"},{"code":"2","text":"zwei"}]},
             {"code":"Q4","type":")" + std::string(type4) + R"(","text":"Q4","condition":")" + cond + R"("}]}]})";
        return parse_survey(json, "t.json");
    };
    LoadResult ok = load("count(that.Q1.nocomments) >= 2 and that.M.sq_SQ002 == 1");
    for (const LoadError& e : ok.errors) MESSAGE(e.to_string());
    REQUIRE(ok.ok());
    const Question& q4 = ok.survey->groups[0].questions[2];
    CHECK(referenced_variables(*q4.condition) ==
          std::vector<std::string>{"Q1_A", "Q1_B", "Q1_C", "Q1_other", "M_SQ002"});
    Session s(ok.survey, "de", 0);
    CHECK_FALSE(s.is_visible(q4));
    Answer a;
    a.values = {"A", "C"};
    REQUIRE(s.set_answer("Q1", a).ok());
    Answer m;
    m.cells["SQ002"] = "1";
    REQUIRE(s.set_answer("M", m).ok());
    CHECK(s.is_visible(q4));

    auto first_error = [](const LoadResult& r) { return r.errors.empty() ? std::string() : r.errors[0].message; };
    LoadResult own = load("count(self.NAOK) > 0");
    CHECK_FALSE(own.ok());
    CHECK(first_error(own).find("'self' in the condition of Q4 would read Q4 itself") != std::string::npos);
    LoadResult later = load("count(that.Q9) > 0");
    CHECK_FALSE(later.ok());
    CHECK(first_error(later).find("'that.Q9' names no question Q9 known here (only questions before this point "
                                  "can be named)") != std::string::npos);
}
