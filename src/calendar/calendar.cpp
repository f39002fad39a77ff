// Calendars: validation, working days, and the open periods of a UTC window (weekly hours of
// working days in the calendar's time zone, minus holidays and closures).
#include <algorithm>
#include <array>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <boost/date_time/gregorian/gregorian.hpp>

#include "calendar/checks.hpp"
#include "calendar/days.hpp"
#include "calendar/time_zone.hpp"
#include "core/hhmm.hpp"
#include "psp/calendar.hpp"
#include "psp/error.hpp"

namespace psp {
namespace {

using calendar_detail::date_from_days;
using calendar_detail::days_from_date;
using calendar_detail::floor_div;
using calendar_detail::seconds_per_day;
namespace greg = boost::gregorian;

constexpr int minutes_per_day = 1440;
constexpr std::array<const char*, 7> day_names{"Monday", "Tuesday",  "Wednesday", "Thursday",
                                               "Friday", "Saturday", "Sunday"};

[[noreturn]] void invalid(const std::string& field, const std::string& message) {
    throw Error(ErrorCode::invalid, field + ": " + message);
}

using detail::hhmm;

// Calendar::weekly is indexed from Monday; Boost counts weekdays from Sunday.
std::size_t weekly_index(boost::date_time::weekdays w) { return (static_cast<std::size_t>(w) + 6) % 7; }
// 1970-01-01 was a Thursday (index 3).
std::size_t weekly_index_of_day(std::int64_t unix_day) {
    return static_cast<std::size_t>(((unix_day + 3) % 7 + 7) % 7);
}

// Messages are built only on failure: validate() runs on every query, and building field names
// for every interval and holiday cost more than the query itself.
void check_weekly(const Calendar& cal) {
    for (std::size_t d = 0; d < cal.weekly.size(); ++d) {
        const auto& day = cal.weekly[d];
        const auto field = [&] { return "weekly[" + std::to_string(d) + "]"; };
        for (std::size_t i = 0; i < day.size(); ++i) {
            const auto& h = day[i];
            const auto at = [&] { return field() + "[" + std::to_string(i) + "] (" + day_names[d] + ")"; };
            if (h.open_minute < 0 || h.open_minute > minutes_per_day || h.close_minute < 0 ||
                h.close_minute > minutes_per_day) {
                invalid(at(), "minutes must be in 0..1440, got " + std::to_string(h.open_minute) + ".." +
                                  std::to_string(h.close_minute));
            }
            if (h.open_minute >= h.close_minute) {
                invalid(at(), "opens at " + hhmm(h.open_minute) + ", not before it closes at " + hhmm(h.close_minute));
            }
        }
        // Intervals may be listed in any order; touching ones (12:00-12:00) are fine, overlapping
        // ones are a mistake in the hours (an hour counted twice). A day has a handful of them.
        for (std::size_t i = 0; i < day.size(); ++i) {
            for (std::size_t j = i + 1; j < day.size(); ++j) {
                if (day[i].open_minute < day[j].close_minute && day[j].open_minute < day[i].close_minute) {
                    invalid(field() + " (" + day_names[d] + ")",
                            "intervals " + std::to_string(i) + " (" + hhmm(day[i].open_minute) + "-" +
                                hhmm(day[i].close_minute) + ") and " + std::to_string(j) + " (" +
                                hhmm(day[j].open_minute) + "-" + hhmm(day[j].close_minute) + ") overlap");
                }
            }
        }
    }
}

void check_closures(const Calendar& cal) {
    for (std::size_t i = 0; i < cal.closures.size(); ++i) {
        const auto& p = cal.closures[i].period;
        if (p.end < p.start) {
            invalid("closures[" + std::to_string(i) + "]", "ends (" + std::to_string(p.end) + ") before it starts (" +
                                                             std::to_string(p.start) + ")");
        }
    }
}

// Boost dates end in 9999 and begin in 1400; the window is clamped well inside that so that no
// day computation can leave Boost's range.
const Time earliest_time = days_from_date(greg::date(1401, 1, 1)) * seconds_per_day;
const Time latest_time = days_from_date(greg::date(9998, 12, 31)) * seconds_per_day;

}  // namespace

namespace calendar_detail {

void check_holiday_table(const HolidayTable& t, const std::string& prefix) {
    const auto field = [&](const std::string& name) { return prefix.empty() ? name : prefix + "." + name; };
    if (t.last_year < t.first_year) invalid(field("last_year"), "is before first_year");
    for (std::size_t i = 0; i < t.holidays.size(); ++i) {
        const auto at = [&] { return field("holidays[" + std::to_string(i) + "]"); };
        if (t.holidays[i].is_special()) invalid(at(), "not a date");
        if (i > 0 && !(t.holidays[i - 1] < t.holidays[i])) {
            invalid(at(), greg::to_iso_extended_string(t.holidays[i]) +
                              " is not after the date before it (ascending, once each)");
        }
    }
    for (std::size_t i = 0; i < t.makeup_days.size(); ++i) {
        const auto& m = t.makeup_days[i];
        const auto at = [&](const char* member) {
            return field("makeup_days[" + std::to_string(i) + "]") + "." + member;
        };
        if (m.date.is_special()) invalid(at("date"), "not a date");
        if (static_cast<unsigned>(m.works_as) > 6) invalid(at("works_as"), "not a weekday");
        if (i > 0 && !(t.makeup_days[i - 1].date < m.date)) {
            invalid(at("date"), greg::to_iso_extended_string(m.date) +
                                    " is not after the date before it (ascending, once each)");
        }
        if (std::binary_search(t.holidays.begin(), t.holidays.end(), m.date)) {
            invalid(at("date"), greg::to_iso_extended_string(m.date) + " is both a holiday and a make-up day");
        }
    }
}

}  // namespace calendar_detail

Calendar Calendar::standard_working_week() {
    Calendar c;
    for (std::size_t d = 0; d < 5; ++d) c.weekly[d] = {{8 * 60 + 30, 12 * 60}, {13 * 60 + 30, 17 * 60 + 30}};
    c.holidays = china_mainland_holidays();
    return c;
}

namespace {
// validate(), returning the zone so that queries resolve it once.
std::shared_ptr<const calendar_detail::TimeZone> checked_zone(const Calendar& cal) {
    auto zone = calendar_detail::resolve_time_zone(cal.time_zone);
    check_weekly(cal);
    calendar_detail::check_holiday_table(cal.holidays, "holidays");
    check_closures(cal);
    return zone;
}
}  // namespace

void validate(const Calendar& cal) { checked_zone(cal); }

void require_supported_window(const Period& w) {
    if (w.start >= 0 && w.end <= last_supported_time) return;
    throw Error(ErrorCode::invalid, "window: [" + std::to_string(w.start) + ", " + std::to_string(w.end) +
                                        ") leaves 1970-01-01 .. 2200-01-01 UTC (Unix seconds 0 .. " +
                                        std::to_string(last_supported_time) + ")");
}

bool is_working_day(const Calendar& cal, greg::date local_date) {
    if (local_date.is_special()) invalid("date", "not a date");
    // Linear: tables hold a few dozen dates a year, and this must also work on a table that was
    // never validated.
    const auto& t = cal.holidays;
    if (std::any_of(t.makeup_days.begin(), t.makeup_days.end(), [&](const MakeupDay& m) { return m.date == local_date; })) {
        return true;
    }
    if (std::find(t.holidays.begin(), t.holidays.end(), local_date) != t.holidays.end()) return false;
    return !cal.weekly[weekly_index(local_date.day_of_week().as_enum())].empty();
}

std::vector<Period> open_periods(const Calendar& cal, Period window) {
    // Validating costs a few hundred nanoseconds against microseconds for the days; it turns a
    // malformed calendar into an error instead of overlapping or unordered periods.
    const auto zone = checked_zone(cal);
    if (window.end < window.start) invalid("window", "ends before it starts");
    const Time lo = std::max(window.start, earliest_time);
    const Time hi = std::min(window.end, latest_time);
    if (lo >= hi) return {};

    // Each day's intervals in ascending order; sorted copies only for days given out of order.
    std::array<std::vector<DayHours>, 7> sorted_copies;
    std::array<std::span<const DayHours>, 7> week;
    for (std::size_t d = 0; d < 7; ++d) {
        const auto by_open = [](const DayHours& a, const DayHours& b) { return a.open_minute < b.open_minute; };
        if (std::is_sorted(cal.weekly[d].begin(), cal.weekly[d].end(), by_open)) {
            week[d] = cal.weekly[d];
        } else {
            sorted_copies[d] = cal.weekly[d];
            std::sort(sorted_copies[d].begin(), sorted_copies[d].end(), by_open);
            week[d] = sorted_copies[d];
        }
    }

    // Local days that can reach the window; one day of margin each side costs nothing and
    // spares reasoning about offsets and DST at the edges.
    const std::int64_t first_day = floor_div(zone->to_local(lo), seconds_per_day) - 1;
    const std::int64_t last_day = floor_div(zone->to_local(hi - 1), seconds_per_day) + 1;

    // Walk the (ascending) holiday and make-up lists alongside the days.
    const auto& table = cal.holidays;
    const auto first_date = date_from_days(first_day);
    auto holiday = std::lower_bound(table.holidays.begin(), table.holidays.end(), first_date);
    auto makeup = std::lower_bound(table.makeup_days.begin(), table.makeup_days.end(), first_date,
                                   [](const MakeupDay& m, const greg::date& d) { return m.date < d; });

    std::vector<Period> open;
    open.reserve(static_cast<std::size_t>(std::min<std::int64_t>(last_day - first_day + 1, 1024)) * 2);
    for (std::int64_t day = first_day; day <= last_day; ++day) {
        std::span<const DayHours> hours = week[weekly_index_of_day(day)];
        while (holiday != table.holidays.end() && days_from_date(*holiday) < day) ++holiday;
        while (makeup != table.makeup_days.end() && days_from_date(makeup->date) < day) ++makeup;
        if (makeup != table.makeup_days.end() && days_from_date(makeup->date) == day) {
            hours = week[weekly_index(makeup->works_as)];
        } else if (holiday != table.holidays.end() && days_from_date(*holiday) == day) {
            continue;
        }
        const std::int64_t midnight = day * seconds_per_day;
        for (const auto& h : hours) {
            // Converting both ends through the monotone local->UTC map gives 23- and 25-hour days
            // on DST changes, and keeps 24:00 of one day equal to 00:00 of the next.
            const Time start = std::max(zone->to_utc(midnight + h.open_minute * 60), lo);
            const Time end = std::min(zone->to_utc(midnight + h.close_minute * 60), hi);
            if (start >= end) continue;
            if (!open.empty() && open.back().end >= start) {
                open.back().end = std::max(open.back().end, end);  // touching: one period
            } else {
                open.push_back({start, end});
            }
        }
    }
    if (cal.closures.empty() || open.empty()) return open;

    // Closures may overlap one another and come in any order; sorted by start, one sweep removes
    // them. Pieces of one period are separated by a closure, so the result stays disjoint.
    std::vector<Period> closed;
    for (const auto& c : cal.closures) {
        if (c.period.start < hi && c.period.end > lo && !c.period.empty()) closed.push_back(c.period);
    }
    if (closed.empty()) return open;
    std::sort(closed.begin(), closed.end(), [](const Period& a, const Period& b) { return a.start < b.start; });
    std::vector<Period> result;
    result.reserve(open.size() + closed.size());
    std::size_t first = 0;
    for (const auto& p : open) {
        Time from = p.start;
        while (first < closed.size() && closed[first].end <= from) ++first;
        for (std::size_t k = first; k < closed.size() && closed[k].start < p.end && from < p.end; ++k) {
            if (closed[k].start > from) result.push_back({from, closed[k].start});
            from = std::max(from, closed[k].end);
        }
        if (from < p.end) result.push_back({from, p.end});
    }
    return result;
}

bool is_open(const Calendar& cal, Period p) {
    if (p.empty()) return false;  // a zero-length booking is never "open"
    // Open periods come merged, so p is covered exactly when it is one whole open period.
    const auto open = open_periods(cal, p);
    return open.size() == 1 && open.front() == p;
}

Time open_seconds(const Calendar& cal, Period window) {
    Time total = 0;
    for (const auto& p : open_periods(cal, window)) total += p.seconds();
    return total;
}

}  // namespace psp
