// Demand for the simulation of alliance sharing (DESIGN.md §4 "Simulation", issue 8): when the
// enterprises of a network ask for equipment, which class, for how long, and whether they cancel or
// fail to show. A non-homogeneous Poisson process per enterprise:
//
//   λ(e, t) = base(size(e)) · sector(e) · weekday(t) · season(t) · (1 + growth)^(years since start)
//
// sampled by thinning (Lewis–Shedler): candidate times from a homogeneous process at the highest
// rate, each kept with probability λ(t) / λ_max. Every enterprise draws from its own random stream
// (seeded from the seed and its id), so the arrivals do not depend on the order enterprises are
// listed in, and the same seed gives the same arrivals, bit for bit.
//
// Calendar effects, on local days (China Standard Time): weekdays carry their weight (Saturday and
// Sunday little); the Spring Festival holiday (春节: from New Year's Eve for eight days) and the
// National Day week (国庆: 1–7 October) multiply demand by their factors. calibrate() scales the
// base rates so that the expected booked hours per instrument over a year meet a target (about
// 1,600 effective hours a year in China's national sharing network).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/date_time/gregorian/gregorian_types.hpp>

#include "psp/calendar.hpp"
#include "psp/model.hpp"
#include "psp/network.hpp"

namespace psp {

struct DemandProfile {
    // Requests per enterprise per year, by EnterpriseSize (micro, small, medium, large).
    std::array<double, enterprise_size_count> yearly_requests{6, 15, 40, 100};
    // Multipliers per sector (Enterprise::sector); a sector not listed counts 1.
    std::map<std::string, double> sector_factor;
    // Relative weight of each weekday, Monday first; each >= 0, at least one > 0.
    std::array<double, 7> weekday_weight{1, 1, 1, 1, 1, 0.15, 0.05};
    double spring_festival_factor = 0.2;   // 0..1: demand during the Spring Festival holiday
    double national_day_factor = 0.3;      // 0..1: demand during 1–7 October
    double yearly_growth = 0.08;           // > -1: demand grows by this share a year
    int min_minutes = 60;                  // a request's duration: 30-minute steps in [min, max]
    int max_minutes = 240;
    int lead_days = 7;                     // the window opens 1..lead_days days after the request
    int window_days = 5;                   // and stays open this many days
    double cancel_probability = 0.05;      // 0..1: the enterprise cancels before the day
    double no_show_probability = 0.03;     // 0..1: it does not come
    friend bool operator==(const DemandProfile&, const DemandProfile&) = default;
};

// Throws psp::Error(invalid) naming the field: a negative or non-finite rate or factor, no weekday
// with weight, a calendar factor outside 0..1, growth <= -1, durations not 30..1440 minutes in
// order, lead or window days outside 1..60, a probability outside 0..1 (or summing above 1).
void validate(const DemandProfile&);

// One request as the simulation replays it. The class is drawn in proportion to the equipment of
// each class in the network (demand follows what the network offers).
struct Arrival {
    Time at = 0;                       // when the enterprise asks
    EnterpriseId enterprise;
    EquipmentClassId equipment_class;
    int minutes = 60;
    Period window;                     // whole local days: from 1..lead_days days after `at`, window_days long
    bool cancels = false;
    bool no_show = false;
    friend bool operator==(const Arrival&, const Arrival&) = default;
};

// The arrivals of [from, to) in time order (ties by enterprise id). Throws Error(invalid) for an
// invalid profile, a reversed or empty period, or a network without enterprises or equipment.
std::vector<Arrival> generate_arrivals(const Network&, const DemandProfile&, Period, std::uint64_t seed);

// The expected number of arrivals of [from, to) (the integral of λ over the period, summed over the
// enterprises, day by day), and the expected effective hours asked for: arrivals × mean duration ×
// (1 − cancel − no-show). It is demand, not service: what the network cannot serve is not used.
struct DemandExpectation {
    double arrivals = 0;
    double hours = 0;
};
DemandExpectation expected_demand(const Network&, const DemandProfile&, Period);

// The profile with its yearly rates scaled so that the expected effective hours per instrument over
// the 365 days from `from` are `hours_per_instrument` (e.g. 1,600). Throws Error(invalid) for a
// target <= 0 or a network without equipment.
DemandProfile calibrate(const Network&, DemandProfile, Time from, double hours_per_instrument);

// The first day of the Spring Festival holiday (New Year's Eve) in `year`, 2020..2035; nullopt
// outside the table.
std::optional<boost::gregorian::date> spring_festival_eve(int year);

}  // namespace psp
