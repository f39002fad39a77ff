// Resolving Calendar::time_zone: a table of the IANA names psp knows, Boost POSIX strings for the
// rest, and the local <-> UTC conversions that open_periods needs on DST days.
#include "calendar/time_zone.hpp"

#include <algorithm>
#include <array>
#include <mutex>
#include <regex>
#include <string_view>
#include <unordered_map>

#include "calendar/days.hpp"
#include "psp/error.hpp"

namespace psp::calendar_detail {
namespace {

// Boost's POSIX strings count offsets east of Greenwich as positive ("CST+08"), the opposite of
// POSIX TZ ("CST-8"). The DST rules are today's (EU since 1996, US since 2007) and are applied to
// every year: psp plans bookings, it does not replay history.
constexpr std::array<std::pair<std::string_view, const char*>, 11> known_zones{{
    {"UTC", "UTC+00"},
    {"Asia/Shanghai", "CST+08"},
    {"Asia/Hong_Kong", "HKT+08"},
    {"Asia/Macau", "CST+08"},
    {"Asia/Taipei", "CST+08"},
    {"Asia/Tokyo", "JST+09"},
    {"Asia/Seoul", "KST+09"},
    {"Asia/Singapore", "SGT+08"},
    // Both EU changes happen at 01:00 UTC: start given in standard time, end in summer time.
    {"Europe/London", "GMT+00BST+01,M3.5.0/01:00,M10.5.0/02:00"},
    {"Europe/Berlin", "CET+01CEST+01,M3.5.0/02:00,M10.5.0/03:00"},
    {"America/New_York", "EST-05EDT+01,M3.2.0/02:00,M11.1.0/02:00"},
}};

// Boost reads many strings it should refuse ("Asia/Shangai" would become a zone at UTC+0 or throw
// deep inside), so the grammar is checked first: std offset [dst [offset],start[/time],end[/time]].
bool looks_like_posix(const std::string& s) {
    static const std::regex grammar(
        R"(^[A-Za-z]{3,}[+-]?\d{1,2}(:\d{2}(:\d{2})?)?)"
        R"(([A-Za-z]{3,}([+-]?\d{1,2}(:\d{2}(:\d{2})?)?)?)"
        R"(,(M(1[0-2]|[1-9])\.[1-5]\.[0-6]|J\d{1,3}|\d{1,3})(/\d{1,2}(:\d{2}(:\d{2})?)?)?)"
        R"(,(M(1[0-2]|[1-9])\.[1-5]\.[0-6]|J\d{1,3}|\d{1,3})(/\d{1,2}(:\d{2}(:\d{2})?)?)?)?$)");
    return std::regex_match(s, grammar);
}

boost::local_time::posix_time_zone read_posix(const std::string& posix) {
    try {
        return boost::local_time::posix_time_zone(posix);
    } catch (const std::exception& e) {
        throw Error(ErrorCode::invalid, "time_zone: cannot read POSIX time zone '" + posix + "': " + e.what());
    }
}

std::int64_t to_seconds(const boost::posix_time::ptime& t) {
    return days_from_date(t.date()) * seconds_per_day + t.time_of_day().total_seconds();
}

}  // namespace

TimeZone::TimeZone(const std::string& posix) : zone_(read_posix(posix)) {
    has_dst_ = zone_.has_dst();
    base_ = zone_.base_utc_offset().total_seconds();
    adj_ = has_dst_ ? zone_.dst_offset().total_seconds() : 0;
    if (has_dst_) {
        try {
            table_.reserve(table_last_year - table_first_year + 1);
            for (int y = table_first_year; y <= table_last_year; ++y) table_.push_back(compute_transitions(y));
        } catch (const std::exception& e) {
            // e.g. "J0" or "366" that Boost's date rules reject only when a year is evaluated.
            throw Error(ErrorCode::invalid, "time_zone: bad DST rule in '" + posix + "': " + e.what());
        }
    }
}

std::pair<std::int64_t, std::int64_t> TimeZone::compute_transitions(int year) const {
    const auto y = static_cast<unsigned short>(std::clamp(year, min_year, max_year));
    // Boost gives the start in local standard time and the end in local summer time (as POSIX does).
    const std::int64_t start = to_seconds(zone_.dst_local_start_time(y)) - base_;
    const std::int64_t end = to_seconds(zone_.dst_local_end_time(y)) - base_ - adj_;
    return {start, end};
}

std::pair<std::int64_t, std::int64_t> TimeZone::transitions(int year) const {
    if (year >= table_first_year && year <= table_last_year) return table_[static_cast<std::size_t>(year - table_first_year)];
    return compute_transitions(year);
}

bool TimeZone::dst_at(std::int64_t utc) const {
    // The year is that of local standard time, as in Boost's local_date_time::is_dst().
    const auto [start, end] = transitions(year_of_days(floor_div(utc + base_, seconds_per_day)));
    if (start < end) return start <= utc && utc < end;
    return utc >= start || utc < end;  // southern hemisphere: summer spans the new year
}

std::int64_t TimeZone::offset_at(std::int64_t utc) const {
    if (!has_dst_) return base_;
    return dst_at(utc) ? base_ + adj_ : base_;
}

std::int64_t TimeZone::to_utc(LocalSeconds local) const {
    const std::int64_t as_standard = local - base_;
    if (!has_dst_) return as_standard;
    const std::int64_t as_summer = local - base_ - adj_;
    const bool standard_ok = !dst_at(as_standard);
    const bool summer_ok = dst_at(as_summer);
    if (standard_ok && summer_ok) return std::min(as_standard, as_summer);  // repeated: first occurrence
    if (standard_ok) return as_standard;
    if (summer_ok) return as_summer;
    // Skipped: the transition lies between the two readings.
    const std::int64_t lo = std::min(as_standard, as_summer);
    const std::int64_t hi = std::max(as_standard, as_summer);
    const int year = year_of_days(floor_div(local, seconds_per_day));
    for (int y = year - 1; y <= year + 1; ++y) {
        const auto [start, end] = transitions(y);
        if (lo < start && start <= hi) return start;
        if (lo < end && end <= hi) return end;
    }
    return hi;  // not reached with rules Boost accepts; stay monotone anyway
}

const char* known_zone_posix(const std::string& iana_name) {
    for (const auto& [name, posix] : known_zones) {
        if (name == iana_name) return posix;
    }
    return nullptr;
}

std::shared_ptr<const TimeZone> resolve_time_zone(const std::string& name) {
    // Parsing a POSIX string and tabulating its transitions costs tens of microseconds; the booking
    // engine asks for the same few zones millions of times.
    static std::mutex mutex;
    static std::unordered_map<std::string, std::shared_ptr<const TimeZone>> cache;
    constexpr std::size_t cache_limit = 256;  // arbitrary user strings must not grow it forever
    {
        std::lock_guard lock(mutex);
        if (auto it = cache.find(name); it != cache.end()) return it->second;
    }
    std::shared_ptr<const TimeZone> zone;
    if (const char* posix = known_zone_posix(name)) {
        zone = std::make_shared<const TimeZone>(posix);
    } else if (looks_like_posix(name)) {
        zone = std::make_shared<const TimeZone>(name);
    } else {
        throw Error(ErrorCode::invalid, "time_zone: unknown time zone '" + name +
                                            "' (expected an IANA name psp knows, e.g. Asia/Shanghai, or a "
                                            "Boost POSIX string such as \"CST+08\")");
    }
    std::lock_guard lock(mutex);
    if (cache.size() < cache_limit) cache.emplace(name, zone);
    return zone;
}

}  // namespace psp::calendar_detail
