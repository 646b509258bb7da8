// dates.h - dates and times in UTC: the one calendar of every file format and log line.
//
//   format_utc      unix seconds -> "2026-11-25T16:03:00Z" (responses, vault meta, server logs)
//   utc_now         the current time in that form
//   utc_file_stamp  unix seconds -> "20261125-160300" (file names: sorts by time, no ':')
//   parse_utc       exactly "YYYY-MM-DDTHH:MM:SSZ" back to unix seconds
//   parse_iso_date  exactly "YYYY-MM-DD" -> days since 1970-01-01
//   is_calendar_day whether year, month, day name a real day (typed dates in other orders)
//
// All of it is the proleptic Gregorian calendar of <chrono> (sys_days, year_month_day) on
// plain integers: no time zone, no libc table, and every second from 0000-01-01 to 9999-12-31
// has exactly one text that reads back to it.
#pragma once
#include <cstdint>
#include <string>

namespace tk {

// ISO 8601 UTC, "2026-11-25T16:03:00Z". Times before year 0 or after 9999 are clamped to
// 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z (no survey lives there; nothing overflows).
std::string format_utc(int64_t unix_seconds);
// format_utc of the system clock now.
std::string utc_now();
// "20261125-160300": the same instant for a file name (same clamping as format_utc).
std::string utc_file_stamp(int64_t unix_seconds);

// Reads exactly "YYYY-MM-DDTHH:MM:SSZ", the form format_utc writes (a real day, hours 00-23,
// minutes and seconds 00-59). Anything else, signs and spaces included, is refused and
// *unix_seconds left as it was.
bool parse_utc(const std::string& text, int64_t* unix_seconds);

// Reads exactly "YYYY-MM-DD" (four digits, two, two; a real day of the proleptic Gregorian
// calendar, leap years included) as days since 1970-01-01 (negative before). The same calendar
// as format_utc and parse_utc; `days` may be null to only check.
bool parse_iso_date(const std::string& yyyy_mm_dd, int64_t* days);

// True when `day` exists in `month` (1-12) of `year` (leap years: every 4th, not every 100th,
// every 400th). For dates typed in another order ("24.12.2026") once their numbers are read.
bool is_calendar_day(int year, int month, int day);

} // namespace tk
