// Tests for text_direction.h: the one answer to "does this language run right to left".
#include <doctest/doctest.h>

#include "text_direction.h"

using namespace tk;

TEST_CASE("text_direction: primary languages of right-to-left scripts") {
    for (const char* t : {"ar", "fa", "he", "ur", "ps", "ckb", "AR", "fa-IR", "ar-SY", "he_IL"})
        CHECK_MESSAGE(is_rtl(t), t);
    for (const char* t : {"de", "de-x-ls", "en", "tr", "uk", "ru", "pl", "", "x", "arn", "far"})
        CHECK_MESSAGE(!is_rtl(t), t);
}

TEST_CASE("text_direction: an explicit script subtag decides") {
    CHECK(is_rtl("az-Arab"));       // South Azerbaijani in Arabic script
    CHECK(is_rtl("pa-Arab-PK"));
    CHECK(!is_rtl("ku-Latn"));      // Kurdish in Latin script
    CHECK(!is_rtl("ar-Latn"));      // Arabic transliterated
    CHECK(is_rtl("yi-Hebr"));
    // A private-use part is not a script: "x-arab" says nothing about the direction.
    CHECK(!is_rtl("de-x-arab"));
}

TEST_CASE("language_script: script subtag first, then the primary language's usual script") {
    CHECK(language_script("ar") == "Arab");
    CHECK(language_script("fa-IR") == "Arab");
    CHECK(language_script("ur") == "Arab");
    CHECK(language_script("he") == "Hebr");
    CHECK(language_script("yi") == "Hebr");
    CHECK(language_script("uk") == "Cyrl");
    CHECK(language_script("RU") == "Cyrl");
    CHECK(language_script("tr") == "Latn");
    CHECK(language_script("de-x-ls") == "Latn");
    CHECK(language_script("el") == "Grek");
    CHECK(language_script("zh-TW") == "Hani");
    CHECK(language_script("hi") == "Deva");
    CHECK(language_script("sr-Latn") == "Latn");  // Serbian in Latin script
    CHECK(language_script("az-Arab") == "Arab");
    CHECK(language_script("ku-latn") == "Latn");  // case does not matter
    CHECK(language_script("de-x-cyrl") == "Latn"); // private use is not a script
}

TEST_CASE("kiosk_renders_script: the scripts of the kiosk's Noto fonts") {
    for (const char* t : {"de", "de-x-ls", "en", "tr", "pl", "uk", "ru", "ar", "fa", "ku-Latn"})
        CHECK_MESSAGE(kiosk_renders_script(language_script(t)), t);
    for (const char* t : {"he", "el", "zh", "ja", "hi", "th", "am", "ka", "sr-Grek"})
        CHECK_MESSAGE(!kiosk_renders_script(language_script(t)), t);
}
