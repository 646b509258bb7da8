// Tests for text.h: split_tokens, the one tokenizer behind typed option numbers (survey walk),
// paper box numbers and LimeSurvey's lists of codes and languages; and the one UTF-8 walker
// behind length limits, error columns, paper entry files, HTML entities and the kiosk keys.
#include <doctest/doctest.h>

#include <cstdint>
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

// ---------------------------------------------------------------------------------------
// UTF-8

TEST_CASE("utf8_length: characters, not bytes") {
    CHECK(utf8_length("") == 0);
    CHECK(utf8_length("abc") == 3);
    CHECK(utf8_length("Straße") == 6);                     // ß is two bytes
    CHECK(utf8_length("\xe2\x82\xac") == 1);               // € three bytes
    CHECK(utf8_length("\xf0\x9f\x98\x80!") == 2);          // an emoji (four bytes) and "!"
    CHECK(utf8_length("Привіт") == 6);                     // Ukrainian
    CHECK(utf8_length(std::string("a\0b", 3)) == 3);       // NUL is a character
    // Broken text never counts more characters than bytes: a lone continuation byte is none,
    // a lone lead byte one.
    CHECK(utf8_length("\x80\x80") == 0);
    CHECK(utf8_length("\xc3") == 1);
    CHECK(utf8_length("\xff") == 1);
}

TEST_CASE("utf8_char_end: a whole character for a message, never half of one") {
    std::string s = "a\xc3\x9f\xe2\x82\xac\xf0\x9f\x98\x80z";
    CHECK(utf8_char_end(s, 0) == 1);  // a
    CHECK(utf8_char_end(s, 1) == 3);  // ß
    CHECK(utf8_char_end(s, 3) == 6);  // €
    CHECK(utf8_char_end(s, 6) == 10); // emoji
    CHECK(utf8_char_end(s, 10) == 11);
    CHECK(utf8_char_end(s, 2) == 3);  // a continuation byte alone is one byte
    // A lead byte takes at most three continuation bytes, and stops at the end.
    CHECK(utf8_char_end("\xf0\x80\x80\x80\x80\x80", 0) == 4);
    CHECK(utf8_char_end("\xe2\x82", 0) == 2);
}

TEST_CASE("next_codepoint: decodes one to four bytes") {
    uint32_t cp = 0;
    CHECK(next_codepoint("A", 0, &cp) == 1);
    CHECK(cp == 0x41);
    CHECK(next_codepoint("\xc3\x9f", 0, &cp) == 2);
    CHECK(cp == 0xDF);
    CHECK(next_codepoint("\xe2\x82\xac", 0, &cp) == 3);
    CHECK(cp == 0x20AC);
    CHECK(next_codepoint("\xf0\x9f\x98\x80", 0, &cp) == 4);
    CHECK(cp == 0x1F600);
    CHECK(next_codepoint("x\xc3\xa4", 1, &cp) == 2); // from the middle of a string
    CHECK(cp == 0xE4);
    CHECK(next_codepoint("\xf4\x8f\xbf\xbf", 0, &cp) == 4); // U+10FFFF, the last one
    CHECK(cp == 0x10FFFF);
    CHECK(next_codepoint(std::string("\0", 1), 0, &cp) == 1);
    CHECK(cp == 0);
}

TEST_CASE("next_codepoint: refuses what is not UTF-8, and leaves *cp alone") {
    for (const char* bad : {"\x80",                 // continuation byte first
                            "\xc3",                 // cut off
                            "\xe2\x82",             // cut off
                            "\xc0\xaf", "\xc1\xbf", // overlong two-byte forms
                            "\xe0\x80\xaf",         // overlong three bytes
                            "\xf0\x80\x80\xaf",     // overlong four bytes
                            "\xed\xa0\x80",         // surrogate U+D800
                            "\xed\xbf\xbf",         // surrogate U+DFFF
                            "\xf4\x90\x80\x80",     // above U+10FFFF
                            "\xf5\x80\x80\x80", "\xf8\x88\x80\x80\x80", "\xff", "\xfe",
                            "\xc3\x28",             // second byte not a continuation
                            "\xe2\x28\xa1", "\xf0\x9f\x98\x28"}) {
        CAPTURE(std::string(bad));
        uint32_t cp = 12345;
        CHECK(next_codepoint(bad, 0, &cp) == 0);
        CHECK(cp == 12345);
    }
    uint32_t cp = 7;
    CHECK(next_codepoint("abc", 3, &cp) == 0); // at the end
    CHECK(next_codepoint("", 0, &cp) == 0);
    CHECK(cp == 7);
}

TEST_CASE("valid_utf8: whole strings, as a paper entry file line is checked") {
    CHECK(valid_utf8(""));
    CHECK(valid_utf8("Größe 3, Übung; Привіт \xf0\x9f\x98\x80"));
    CHECK(valid_utf8(std::string("a\0b", 3)));
    CHECK_FALSE(valid_utf8("Gr\xf6\xdf" "e"));          // Latin-1 "Größe" from an old editor
    CHECK_FALSE(valid_utf8("ok \xc3"));               // cut off at the end
    CHECK_FALSE(valid_utf8("\xed\xa0\x80\xed\xb0\x80")); // CESU-8 surrogate pair
}

TEST_CASE("append_utf8: encodes every code point, replaces what cannot be one") {
    std::string s;
    for (uint32_t cp : {0x41u, 0xDFu, 0x20ACu, 0x1F600u, 0x7Fu, 0x80u, 0x7FFu, 0x800u, 0xFFFFu, 0x10000u, 0x10FFFFu})
        append_utf8(s, cp);
    CHECK(s == "A\xc3\x9f\xe2\x82\xac\xf0\x9f\x98\x80\x7f\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf\xf0\x90\x80\x80"
               "\xf4\x8f\xbf\xbf");
    CHECK(valid_utf8(s));
    std::string r;
    for (uint32_t cp : {0x0u, 0xD800u, 0xDFFFu, 0x110000u, 0xFFFFFFFFu}) append_utf8(r, cp);
    CHECK(r == "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"); // five U+FFFD
    // Round trip: every code point of the first planes decodes to itself.
    int wrong = 0;
    for (uint32_t cp = 1; cp < 0x30000; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF) continue;
        std::string e;
        append_utf8(e, cp);
        uint32_t back = 0;
        if (next_codepoint(e, 0, &back) != e.size() || back != cp) wrong++;
    }
    CHECK(wrong == 0);
}

TEST_CASE("pop_utf8_char: Backspace takes a whole character") {
    std::string s = "aß€\xf0\x9f\x98\x80";
    pop_utf8_char(s);
    CHECK(s == "aß€");
    pop_utf8_char(s);
    CHECK(s == "aß");
    pop_utf8_char(s);
    CHECK(s == "a");
    pop_utf8_char(s);
    CHECK(s.empty());
    pop_utf8_char(s); // nothing left: nothing happens
    CHECK(s.empty());
    std::string broken = "x\x80\x80"; // stray continuation bytes go with the character before
    pop_utf8_char(broken);
    CHECK(broken.empty());
}

TEST_CASE("utf8_chars: the German key rows split into their keys, every byte kept") {
    using Tokens = std::vector<std::string>;
    CHECK(utf8_chars("1234567890ß") == Tokens{"1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "ß"});
    CHECK(utf8_chars("ASDFGHJKLÖÄ").size() == 11);
    CHECK(utf8_chars("ASDFGHJKLÖÄ").back() == "Ä");
    CHECK(utf8_chars("").empty());
    // Broken bytes are pieces of their own and the pieces join back to the input.
    std::string odd = "a\xff\xc3\x9f\xc3";
    Tokens t = utf8_chars(odd);
    CHECK(t == Tokens{"a", "\xff", "ß", "\xc3"});
    std::string joined;
    for (const std::string& p : t) joined += p;
    CHECK(joined == odd);
}
