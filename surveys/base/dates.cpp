// dates.cpp - format_utc, utc_file_stamp, parse_utc, parse_iso_date on <chrono>'s calendar.
//
// The readers check every character themselves before any number is formed: "2026-+6-13",
// " 2026-06-13" or "2026-6-13" must be refused, not read leniently the way sscanf or stoi would.
#include "dates.h"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace tk {

namespace chr = std::chrono;

namespace {

// One instant split into its calendar fields.
struct UtcFields {
    int year;
    unsigned month, day;
    int hour, minute, second;
};

UtcFields utc_fields(int64_t t) {
    const int64_t lo = -62167219200LL, hi = 253402300799LL; // 0000-01-01 .. 9999-12-31T23:59:59
    if (t < lo) t = lo;
    if (t > hi) t = hi;
    chr::sys_seconds tp{chr::seconds{t}};
    chr::sys_days day = chr::floor<chr::days>(tp); // floor, so -1 s is 1969-12-31T23:59:59
    chr::year_month_day ymd{day};
    chr::hh_mm_ss<chr::seconds> hms{tp - day};
    return UtcFields{(int)ymd.year(), (unsigned)ymd.month(), (unsigned)ymd.day(), (int)hms.hours().count(),
                     (int)hms.minutes().count(), (int)hms.seconds().count()};
}

// True when `s` has a digit wherever `pattern` has 'd' and the pattern's own character elsewhere.
bool matches_digits(const std::string& s, const char* pattern) {
    size_t n = std::strlen(pattern);
    if (s.size() != n) return false;
    for (size_t i = 0; i < n; i++) {
        if (pattern[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != pattern[i]) return false;
    }
    return true;
}

// The number of the digits s[at, at + len); the caller has checked they are digits.
int digits_at(const std::string& s, size_t at, size_t len) {
    int v = 0;
    for (size_t i = at; i < at + len; i++) v = v * 10 + (s[i] - '0');
    return v;
}

} // namespace

std::string format_utc(int64_t t) {
    UtcFields f = utc_fields(t);
    char buf[64]; // room for what the compiler assumes the ints can print (no -Wformat-truncation)
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", f.year, f.month, f.day, f.hour, f.minute,
                  f.second);
    return buf;
}

std::string utc_now() { return format_utc((int64_t)std::time(nullptr)); }

std::string utc_file_stamp(int64_t t) {
    UtcFields f = utc_fields(t);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d%02u%02u-%02d%02d%02d", f.year, f.month, f.day, f.hour, f.minute, f.second);
    return buf;
}

bool is_calendar_day(int year, int month, int day) {
    if (month < 1 || month > 12 || day < 1 || day > 31) return false; // before the casts to unsigned
    return chr::year_month_day{chr::year{year}, chr::month{(unsigned)month}, chr::day{(unsigned)day}}.ok();
}

bool parse_iso_date(const std::string& s, int64_t* days) {
    if (!matches_digits(s, "dddd-dd-dd")) return false;
    int y = digits_at(s, 0, 4), m = digits_at(s, 5, 2), d = digits_at(s, 8, 2);
    if (!is_calendar_day(y, m, d)) return false;
    chr::year_month_day ymd{chr::year{y}, chr::month{(unsigned)m}, chr::day{(unsigned)d}};
    if (days) *days = chr::sys_days{ymd}.time_since_epoch().count();
    return true;
}

bool parse_utc(const std::string& s, int64_t* out) {
    int64_t days = 0;
    if (!matches_digits(s, "dddd-dd-ddTdd:dd:ddZ") || !parse_iso_date(s.substr(0, 10), &days)) return false;
    int h = digits_at(s, 11, 2), mi = digits_at(s, 14, 2), se = digits_at(s, 17, 2);
    if (h > 23 || mi > 59 || se > 59) return false;
    *out = days * 86400 + h * 3600 + mi * 60 + se;
    return true;
}

} // namespace tk
