// test_survey.h - small builders the survey, import and research tests share:
//   parsed_survey()        a survey from JSON text, or a failed test that lists the errors
//   value(), values(), cells()   an Answer of each shape, for Session::set and responses
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "response.h"
#include "survey.h"

namespace tk::test {

// Parses `text` (named `name` in messages); every load error is reported and the test stops.
inline std::shared_ptr<const Survey> parsed_survey(const std::string& text, const std::string& name) {
    LoadResult lr = parse_survey(text, name);
    for (const LoadError& e : lr.errors) FAIL_CHECK(e.to_string());
    REQUIRE(lr.ok());
    return lr.survey;
}

inline Answer value(const std::string& v) {
    Answer a;
    a.value = v;
    return a;
}

inline Answer values(std::vector<std::string> v) {
    Answer a;
    a.values = std::move(v);
    return a;
}

inline Answer cells(std::map<std::string, std::string> c) {
    Answer a;
    a.cells = std::move(c);
    return a;
}

} // namespace tk::test
