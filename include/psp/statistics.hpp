// Monitoring statistics (policy §4.2 建立常态化统计制度…日常监测预测; DESIGN.md §4 "Monitoring and
// evaluation", issue 7): per period and per subject, the figures a city's office watches, kept up to
// date from the ledger as it changes (a new booking updates the counters it touches) and rebuilt
// from the whole ledger on demand; both give the same numbers.
//
// What is counted, and where:
//   - A booking counts on the local day its service starts (the equipment's calendar time zone),
//     for its equipment, the equipment's owning platform, and the zone of the enterprise that booked
//     (the demand side). Districts sum the platforms sited in them, alliances their members, the
//     city every platform.
//   - bookings: every booking made (any status); cancellations, no_shows, rejections: by status now.
//   - booked_seconds: unit-seconds of bookings pending, confirmed, checked in or completed;
//     used_seconds: of those checked in or completed; external_seconds: booked unit-seconds for
//     enterprises whose zone the owning platform does not serve (its own zones are its zone-service
//     links), so external_share = external_seconds / booked_seconds.
//   - open_seconds: the equipment's open time in the period times its capacity units (from the
//     calendars as they are now); utilisation = booked_seconds / open_seconds.
//   - revenue: the gross price of bookings not cancelled or rejected, plus late-cancellation fees;
//     voucher_spend: the voucher part of those bookings (fen).
//   - requests (coordination, psp/routing.hpp): received by the platform (the desk a request came in
//     at), served by it, referred in (served here, received elsewhere outside its family) and out,
//     and unmet (received here, nothing in the network fitted); counted on the day the service
//     starts, unmet ones on the day they were asked.
//   - enterprises_served: distinct enterprises with a booking counted in booked_seconds in the
//     period; new_enterprises: those of them whose first such booking with the subject ever falls in
//     the period.
// Figures follow the network as it is: moving equipment to another platform or an enterprise to
// another zone re-attributes its history (the counters are rebuilt on the next read).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/date_time/gregorian/gregorian_types.hpp>

#include "psp/forecast.hpp"
#include "psp/model.hpp"

namespace psp {

// Values are part of the stable C ABI: never renumber, only append.
enum class StatSubject : int { equipment = 0, platform = 1, zone = 2, district = 3, alliance = 4, city = 5 };
inline constexpr int stat_subject_count = 6;
const char* to_string(StatSubject);
template <> std::optional<StatSubject> parse_enum(std::string_view);
const char* to_string(SeriesPeriod);   // "day", "week", "month", "quarter", "year"
template <> std::optional<SeriesPeriod> parse_enum(std::string_view);

struct StatFigures {
    std::int64_t bookings = 0;
    std::int64_t cancellations = 0;
    std::int64_t no_shows = 0;
    std::int64_t rejections = 0;
    std::int64_t booked_seconds = 0;
    std::int64_t used_seconds = 0;
    std::int64_t external_seconds = 0;
    std::int64_t open_seconds = 0;
    Fen revenue = 0;
    Fen voucher_spend = 0;
    std::int64_t requests_received = 0;
    std::int64_t requests_served = 0;
    std::int64_t referred_in = 0;
    std::int64_t referred_out = 0;
    std::int64_t unmet = 0;
    std::int64_t enterprises_served = 0;
    std::int64_t new_enterprises = 0;
    double utilisation() const { return open_seconds > 0 ? double(booked_seconds) / double(open_seconds) : 0.0; }
    double external_share() const { return booked_seconds > 0 ? double(external_seconds) / double(booked_seconds) : 0.0; }
    friend bool operator==(const StatFigures&, const StatFigures&) = default;
};

// The subjects, period kind and dates of a statistics table.
struct StatisticsQuery {
    StatSubject subject = StatSubject::platform;
    std::vector<std::int64_t> ids;    // empty: every subject of the kind (ignored for the city)
    SeriesPeriod period = SeriesPeriod::month;
    boost::gregorian::date from;      // the periods containing from … to, both included
    boost::gregorian::date to;
    friend bool operator==(const StatisticsQuery&, const StatisticsQuery&) = default;
};

struct StatRow {
    StatSubject subject = StatSubject::platform;
    std::int64_t id = 0;              // 0 for the city
    SeriesPeriod period = SeriesPeriod::month;
    boost::gregorian::date start;     // first day of the period
    boost::gregorian::date end;       // the day after its last
    StatFigures figures;
    friend bool operator==(const StatRow&, const StatRow&) = default;
};

// The period of kind `k` containing `d`: a day, an ISO week (Monday to Sunday), a calendar month,
// quarter or year. Returns its first day and the day after its last.
std::pair<boost::gregorian::date, boost::gregorian::date> period_containing(SeriesPeriod k, boost::gregorian::date d);

}  // namespace psp
