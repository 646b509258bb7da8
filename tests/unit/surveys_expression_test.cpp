// Tests for the condition language (surveys/expression.h).
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <stdexcept>
#include <string>

#include "expression.h"

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
        {"self.NAOK == 1", "'self' stands for a question's own subquestions in LimeSurvey; name the variables instead (the importer expands it) at column 1", 1},
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
