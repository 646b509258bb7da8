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
