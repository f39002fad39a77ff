// Time zones of calendars: the IANA names psp knows and Boost POSIX strings, resolved once into a
// form that converts between Unix seconds and local wall-clock seconds without Boost on the hot path.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <boost/date_time/local_time/posix_time_zone.hpp>

namespace psp::calendar_detail {

// Local wall-clock seconds: the seconds since 1970-01-01 00:00 that a wall clock in the zone shows,
// counted as if every day had 86,400 seconds.
using LocalSeconds = std::int64_t;

class TimeZone {
public:
    // `posix` is a Boost POSIX string (Boost's sign: "+08" is east of Greenwich). Throws
    // psp::Error(invalid) if Boost cannot read it.
    explicit TimeZone(const std::string& posix);

    bool has_dst() const { return has_dst_; }
    std::int64_t base_offset() const { return base_; }   // seconds east of UTC, standard time
    std::int64_t dst_adjustment() const { return adj_; }  // seconds added while DST is in effect

    // Seconds east of UTC at instant `utc`.
    std::int64_t offset_at(std::int64_t utc) const;
    LocalSeconds to_local(std::int64_t utc) const { return utc + offset_at(utc); }

    // The first instant at which the wall clock shows `local` or later. A time that occurs twice
    // (the hour repeated when DST ends) maps to its first occurrence; a time that never occurs
    // (the hour skipped when DST starts) maps to the transition. The map is monotone, so ordered,
    // disjoint local intervals stay ordered and disjoint in UTC, and touching ones keep touching.
    std::int64_t to_utc(LocalSeconds local) const;

    // DST start and end of a year as Unix seconds (only when has_dst()).
    std::pair<std::int64_t, std::int64_t> transitions(int year) const;

private:
    std::pair<std::int64_t, std::int64_t> compute_transitions(int year) const;
    bool dst_at(std::int64_t utc) const;

    boost::local_time::posix_time_zone zone_;
    bool has_dst_ = false;
    std::int64_t base_ = 0;
    std::int64_t adj_ = 0;
    // Transitions of the years around today, computed once: Boost's rule evaluation costs far more
    // than the table look-up, and open_periods asks for them on every day it converts.
    static constexpr int table_first_year = 1970;
    static constexpr int table_last_year = 2199;
    std::vector<std::pair<std::int64_t, std::int64_t>> table_;
};

// The zone for a Calendar::time_zone value (an IANA name psp knows, or a POSIX string), from a
// process-wide cache. Throws psp::Error(invalid, "time_zone: ...") for anything else.
std::shared_ptr<const TimeZone> resolve_time_zone(const std::string& name);

// The POSIX string psp uses for a known IANA name, or nullptr.
const char* known_zone_posix(const std::string& iana_name);

}  // namespace psp::calendar_detail
