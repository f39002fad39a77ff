// Day arithmetic shared by the calendar sources: Unix days <-> Boost dates, floor division.
#pragma once

#include <cstdint>

#include <boost/date_time/gregorian/gregorian_types.hpp>

namespace psp::calendar_detail {

inline constexpr std::int64_t seconds_per_day = 86'400;
// Boost.Date_Time's range of years; times outside it are clamped before they reach Boost.
inline constexpr int min_year = 1400;
inline constexpr int max_year = 9999;

constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    const std::int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// Julian day number of 1970-01-01, so that Unix days are day_number() minus it.
inline constexpr std::int64_t unix_epoch_day_number = 2'440'588;

inline std::int64_t days_from_date(const boost::gregorian::date& d) {
    return static_cast<std::int64_t>(d.day_number()) - unix_epoch_day_number;
}

inline boost::gregorian::date date_from_days(std::int64_t days) {
    return boost::gregorian::date(1970, 1, 1) + boost::gregorian::date_duration(static_cast<long>(days));
}

// Year of a Unix day without going through Boost (H. Hinnant's civil_from_days), for the hot
// path of time-zone offsets.
constexpr int year_of_days(std::int64_t days) {
    const std::int64_t z = days + 719'468;
    const std::int64_t era = floor_div(z, 146'097);
    const std::int64_t doe = z - era * 146'097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36'524 - doe / 146'096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const std::int64_t year = yoe + era * 400 + (mp >= 10 ? 1 : 0);
    return static_cast<int>(year);
}

// Local days in China Standard Time (UTC+8, no daylight saving since 1991): what statistics,
// certification records and the simulation's demand count by.
inline constexpr std::int64_t china_offset_seconds = 8 * 3600;
constexpr std::int64_t china_day(std::int64_t unix_seconds) { return floor_div(unix_seconds + china_offset_seconds, seconds_per_day); }
constexpr std::int64_t china_day_start(std::int64_t day) { return day * seconds_per_day - china_offset_seconds; }

}  // namespace psp::calendar_detail
