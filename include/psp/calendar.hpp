// Calendars of platforms and equipment (DESIGN.md §3, issue 4): time zone, weekly opening hours,
// public holidays and make-up working days (调休), closures. Boost.Date_Time is the vocabulary at
// this edge; the booking engine works on integer Unix seconds and minutes.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <boost/date_time/gregorian/gregorian_types.hpp>

namespace psp {

// Unix seconds, UTC.
using Time = std::int64_t;

// The times psp books and searches — booking periods, request windows, free-slot windows — lie in
// [0, last_supported_time]: 1970-01-01 .. 2200-01-01 UTC, so that minutes since the epoch fit in
// 32 bits in the booking engine. Windows outside are refused as invalid.
inline constexpr Time last_supported_time = 7258118400;

// A half-open period [start, end) in Unix seconds.
struct Period {
    Time start = 0;
    Time end = 0;
    Time seconds() const { return end - start; }
    bool empty() const { return end <= start; }
    friend bool operator==(const Period&, const Period&) = default;
};

// Opening interval of a day in local time, minutes after midnight: 0 <= open < close <= 1440.
struct DayHours {
    int open_minute = 0;
    int close_minute = 0;
    friend bool operator==(const DayHours&, const DayHours&) = default;
};

// A weekend (or any) date worked as the given weekday, with that weekday's hours (调休).
struct MakeupDay {
    boost::gregorian::date date;
    boost::date_time::weekdays works_as = boost::date_time::Monday;
    friend bool operator==(const MakeupDay&, const MakeupDay&) = default;
};

// Public holidays and make-up working days of one jurisdiction, for the years it covers.
struct HolidayTable {
    std::string region;                              // e.g. "CN" (mainland China)
    int first_year = 0, last_year = 0;               // years the table is complete for
    std::vector<boost::gregorian::date> holidays;    // closed, ascending
    std::vector<MakeupDay> makeup_days;              // worked, ascending
    friend bool operator==(const HolidayTable&, const HolidayTable&) = default;
};

// Reads/writes the holiday JSON format of docs/holidays-json.md. A bad date ("2025-02-30"), a date
// both holiday and make-up day, or a year outside [first_year, last_year] is ErrorCode::invalid
// naming the JSON path.
HolidayTable parse_holidays(std::string_view json);
std::string holidays_to_json(const HolidayTable&);

// The mainland China schedule (State Council notices) for the years psp ships and has checked.
const HolidayTable& china_mainland_holidays();

struct Closure {
    Period period;          // maintenance, training days...
    std::string reason;
    friend bool operator==(const Closure&, const Closure&) = default;
};

struct Calendar {
    // "Asia/Shanghai" (default), another IANA name psp knows (UTC, Asia/Hong_Kong, Asia/Macau,
    // Asia/Taipei, Asia/Tokyo, Asia/Seoul, Asia/Singapore, Europe/London, Europe/Berlin,
    // America/New_York), or a Boost POSIX time-zone string such as "CST+08".
    std::string time_zone = "Asia/Shanghai";
    std::array<std::vector<DayHours>, 7> weekly;   // [0] = Monday ... [6] = Sunday; several intervals a day
    HolidayTable holidays;
    std::vector<Closure> closures;
    friend bool operator==(const Calendar&, const Calendar&) = default;

    // Monday–Friday 08:30–12:00 and 13:30–17:30, China's holidays, Asia/Shanghai.
    static Calendar standard_working_week();
};

// Throws psp::Error(invalid) naming the field: unknown time zone, overlapping or out-of-range
// day intervals, reversed closures.
void validate(const Calendar&);

// Throws psp::Error(invalid), "window: [start, end) leaves 1970-01-01 .. 2200-01-01 UTC ...", for a
// window outside [0, last_supported_time].
void require_supported_window(const Period& window);

// Whether a local date is worked: a make-up day is; a holiday is not; otherwise its weekday has
// opening intervals.
bool is_working_day(const Calendar&, boost::gregorian::date local_date);

// The open parts of `window` (UTC), ascending and disjoint: weekly hours of working days (make-up
// days use the hours of the weekday they are worked as), minus holidays and closures.
std::vector<Period> open_periods(const Calendar&, Period window);

// True when [p.start, p.end) lies entirely inside one or more contiguous open periods.
bool is_open(const Calendar&, Period p);

// Local time minus UTC, in minutes, at instant t (480 in Asia/Shanghai; DST-aware).
int utc_offset_minutes(const Calendar&, Time t);

// Seconds of `window` that are open.
Time open_seconds(const Calendar&, Period window);

}  // namespace psp
