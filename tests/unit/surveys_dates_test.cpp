// Tests for dates.h: the one UTC calendar behind responses, vault metadata, server logs,
// bundle file names, survey date bounds and typed paper dates.
//   format_utc / utc_file_stamp   known instants, leap days, the 1970 boundary, clamping
//   parse_iso_date / parse_utc    real days only, strict characters, round trips
//   is_calendar_day               month lengths and the three leap-year rules
#include <doctest/doctest.h>

#include <cstdint>
#include <ctime>
#include <string>

#include "dates.h"

using namespace tk;

TEST_CASE("dates: format_utc writes ISO 8601 UTC") {
    CHECK(format_utc(0) == "1970-01-01T00:00:00Z");
    CHECK(format_utc(1795622580) == "2026-11-25T16:03:00Z");
    CHECK(format_utc(1709208000) == "2024-02-29T12:00:00Z"); // leap day
    CHECK(format_utc(951868800) == "2000-03-01T00:00:00Z");  // after a 400-year leap day
    CHECK(format_utc(-1) == "1969-12-31T23:59:59Z");
    CHECK(format_utc(-2208988800LL) == "1900-01-01T00:00:00Z");
    CHECK(format_utc(253402300799LL) == "9999-12-31T23:59:59Z");
    CHECK(format_utc(INT64_MAX) == "9999-12-31T23:59:59Z"); // clamped, no overflow
    CHECK(format_utc(INT64_MIN) == "0000-01-01T00:00:00Z");
}

TEST_CASE("dates: the 1970 boundary, both sides, to the second") {
    CHECK(format_utc(-86400) == "1969-12-31T00:00:00Z");
    CHECK(format_utc(-86401) == "1969-12-30T23:59:59Z");
    CHECK(format_utc(86399) == "1970-01-01T23:59:59Z");
    CHECK(format_utc(86400) == "1970-01-02T00:00:00Z");
    int64_t days = 7;
    REQUIRE(parse_iso_date("1969-12-31", &days));
    CHECK(days == -1);
    REQUIRE(parse_iso_date("1970-01-02", &days));
    CHECK(days == 1);
    int64_t t = 7;
    REQUIRE(parse_utc("1969-12-31T23:59:59Z", &t));
    CHECK(t == -1);
    REQUIRE(parse_utc("1970-01-01T00:00:00Z", &t));
    CHECK(t == 0);
}

TEST_CASE("dates: leap years every 4th, not every 100th, every 400th") {
    CHECK(is_calendar_day(2024, 2, 29));
    CHECK(is_calendar_day(2000, 2, 29));
    CHECK(is_calendar_day(1600, 2, 29));
    CHECK_FALSE(is_calendar_day(2023, 2, 29));
    CHECK_FALSE(is_calendar_day(1900, 2, 29));
    CHECK_FALSE(is_calendar_day(2100, 2, 29));
    CHECK_FALSE(is_calendar_day(2024, 2, 30));
    // Month lengths, and what never is a day.
    const int length[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (int m = 1; m <= 12; m++) {
        CAPTURE(m);
        CHECK(is_calendar_day(2026, m, length[m - 1]));
        CHECK_FALSE(is_calendar_day(2026, m, length[m - 1] + 1));
        CHECK_FALSE(is_calendar_day(2026, m, 0));
    }
    CHECK_FALSE(is_calendar_day(2026, 0, 1));
    CHECK_FALSE(is_calendar_day(2026, 13, 1));
    CHECK_FALSE(is_calendar_day(2026, -1, 1));
    CHECK_FALSE(is_calendar_day(2026, 1, -1));
    // <chrono> keeps day and month in one byte: 287 would wrap to day 31, 257 to January.
    CHECK_FALSE(is_calendar_day(2026, 1, 287));
    CHECK_FALSE(is_calendar_day(2026, 257, 1));
    CHECK_FALSE(is_calendar_day(2026, 1, 300));
    // The leap day on the wire: March follows February 29th by one day exactly.
    int64_t feb29 = 0, mar1 = 0;
    REQUIRE(parse_iso_date("2024-02-29", &feb29));
    REQUIRE(parse_iso_date("2024-03-01", &mar1));
    CHECK(mar1 - feb29 == 1);
    REQUIRE(parse_iso_date("2100-02-28", &feb29));
    REQUIRE(parse_iso_date("2100-03-01", &mar1));
    CHECK(mar1 - feb29 == 1);
}

TEST_CASE("dates: parse_iso_date reads real days on the calendar format_utc writes") {
    int64_t days = 1;
    REQUIRE(parse_iso_date("1970-01-01", &days));
    CHECK(days == 0);
    for (const char* d : {"1969-12-31", "2000-02-29", "2024-02-29", "1900-03-01", "2026-06-13", "0000-01-01", "9999-12-31"}) {
        CAPTURE(d);
        REQUIRE(parse_iso_date(d, &days));
        CHECK(format_utc(days * 86400) == std::string(d) + "T00:00:00Z");
    }
    // Only digits where digits belong: signs and spaces that sscanf would take are refused.
    for (const char* d : {"1900-02-29", "2023-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-06-00",
                          "2026-+6-13", "2026- 6-13", "2026-06-1", "13.06.2026", "2026-06-13T00:00:00Z", "",
                          "+026-06-13", "-026-06-13", "2026-06-13 ", " 2026-06-13", "2026/06/13", "2026-06-+3"}) {
        CAPTURE(d);
        days = 42;
        CHECK_FALSE(parse_iso_date(d, &days));
        CHECK(days == 42); // a refusal leaves the out value alone
    }
}

TEST_CASE("dates: every day of four centuries reads back to itself") {
    // 1900-01-01 .. 2299-12-31 day by day: format, parse, compare (146097 days, both leap rules).
    int64_t first = 0, last = 0;
    REQUIRE(parse_iso_date("1900-01-01", &first));
    REQUIRE(parse_iso_date("2299-12-31", &last));
    CHECK(last - first + 1 == 146097);
    int64_t wrong = 0;
    for (int64_t d = first; d <= last; d++) {
        std::string text = format_utc(d * 86400 + 43200).substr(0, 10);
        int64_t back = 0;
        if (!parse_iso_date(text, &back) || back != d) wrong++;
    }
    CHECK(wrong == 0);
}

TEST_CASE("dates: parse_utc reads exactly what format_utc writes") {
    for (int64_t t : {int64_t(0), int64_t(-1), int64_t(1795622580), int64_t(1709208000), int64_t(951868800),
                      int64_t(-2208988800LL), int64_t(-62167219200LL), int64_t(253402300799LL)}) {
        CAPTURE(t);
        int64_t back = 0;
        REQUIRE(parse_utc(format_utc(t), &back));
        CHECK(back == t);
    }
    for (const char* s : {"2026-11-25T24:00:00Z", "2026-11-25T23:60:00Z", "2026-11-25T23:59:60Z",
                          "2026-11-25 16:03:00Z", "2026-11-25T16:03:00", "2026-11-25T16:03:00+01:00",
                          "2026-11-25t16:03:00z", "2026-02-30T00:00:00Z", "2026-11-25T+6:03:00Z",
                          "2026-+1-25T16:03:00Z", "2026-11-25", ""}) {
        CAPTURE(s);
        int64_t t = 42;
        CHECK_FALSE(parse_utc(s, &t));
        CHECK(t == 42);
    }
}

TEST_CASE("dates: utc_file_stamp and utc_now") {
    CHECK(utc_file_stamp(0) == "19700101-000000");
    CHECK(utc_file_stamp(1795622580) == "20261125-160300");
    CHECK(utc_file_stamp(-1) == "19691231-235959");
    CHECK(utc_file_stamp(INT64_MAX) == "99991231-235959");
    // utc_now is format_utc of the clock: read it back, it lies between two clock readings.
    int64_t before = (int64_t)std::time(nullptr);
    std::string now = utc_now();
    int64_t after = (int64_t)std::time(nullptr);
    int64_t t = 0;
    REQUIRE(parse_utc(now, &t));
    CHECK(t >= before);
    CHECK(t <= after);
}
