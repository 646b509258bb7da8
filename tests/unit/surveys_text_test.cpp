// Tests for split_tokens (surveys/text.h), the one tokenizer behind typed option numbers
// (survey walk), paper box numbers and LimeSurvey's lists of codes and languages.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "text.h"

using namespace tk;

namespace {
using Tokens = std::vector<std::string>;
}

TEST_CASE("split_tokens: pieces between separators, in order") {
    CHECK(split_tokens("1 3", " ,") == Tokens{"1", "3"});
    CHECK(split_tokens("1,3", " ,") == Tokens{"1", "3"});
    CHECK(split_tokens("Q1;Q2; Q3", "; ") == Tokens{"Q1", "Q2", "Q3"});
    CHECK(split_tokens("3 1 2", " ") == Tokens{"3", "1", "2"}); // order kept, not sorted
    CHECK(split_tokens("a.b.c", ".") == Tokens{"a", "b", "c"});
}

TEST_CASE("split_tokens: runs of separators and separators at the ends give no empty token") {
    CHECK(split_tokens("1,  3", " ,") == Tokens{"1", "3"});
    CHECK(split_tokens(" ,1, 3,", " ,") == Tokens{"1", "3"});
    CHECK(split_tokens("a..b", ".") == Tokens{"a", "b"});
    CHECK(split_tokens("\t1\t\t2\t", " \t") == Tokens{"1", "2"});
}

TEST_CASE("split_tokens: nothing but separators, or nothing, is no token") {
    CHECK(split_tokens("", " ,").empty());
    CHECK(split_tokens(" ", " ,").empty());
    CHECK(split_tokens(";;, ;", " ,;").empty());
}

TEST_CASE("split_tokens: only the given characters separate") {
    CHECK(split_tokens("1;3", " ,") == Tokens{"1;3"});
    CHECK(split_tokens("de en\tfr\r\nit", " ") == Tokens{"de", "en\tfr\r\nit"});
    CHECK(split_tokens("de en\tfr\r\nit", " \t\r\n") == Tokens{"de", "en", "fr", "it"});
    CHECK(split_tokens("no separators", "") == Tokens{"no separators"});
    CHECK(split_tokens("x", ",") == Tokens{"x"});
}

TEST_CASE("split_tokens: multi-byte UTF-8 is never cut, and bytes after a NUL are kept") {
    CHECK(split_tokens("Größe, Übung", " ,") == Tokens{"Größe", "Übung"});
    // A string_view with an embedded NUL: NUL is not a separator unless asked for.
    std::string with_nul("a\0b c", 5);
    CHECK(split_tokens(with_nul, " ") == Tokens{std::string("a\0b", 3), "c"});
}
