// Demand arrivals by thinning a Poisson process per enterprise (include/psp/demand.hpp).
#include "psp/demand.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <string>
#include <tuple>

#include <boost/date_time/gregorian/gregorian.hpp>

#include "calendar/days.hpp"
#include "demand/random.hpp"
#include "psp/error.hpp"

namespace psp {
namespace {

namespace greg = boost::gregorian;
using calendar_detail::seconds_per_day;

constexpr double seconds_per_year = 365.0 * 86400.0;

[[noreturn]] void bad(const std::string& what) { throw Error(ErrorCode::invalid, "demand profile " + what); }

// New Year's Day of the lunar calendar (春节), 2020..2035.
constexpr std::array<std::array<int, 3>, 16> lunar_new_year{{
    {2020, 1, 25}, {2021, 2, 12}, {2022, 2, 1},  {2023, 1, 22}, {2024, 2, 10}, {2025, 1, 29}, {2026, 2, 17}, {2027, 2, 6},
    {2028, 1, 26}, {2029, 2, 13}, {2030, 2, 3},  {2031, 1, 23}, {2032, 2, 11}, {2033, 1, 31}, {2034, 2, 19}, {2035, 2, 8},
}};

using calendar_detail::china_day;
using calendar_detail::china_day_start;

// The demand of a local day relative to an ordinary weekday average: weekday weight (normalised to a
// weekly mean of 1) times the holiday factor.
class DayFactors {
public:
    explicit DayFactors(const DemandProfile& p) : p_(p) {
        const double sum = std::accumulate(p.weekday_weight.begin(), p.weekday_weight.end(), 0.0);
        for (std::size_t i = 0; i < 7; ++i) weekday_[i] = p.weekday_weight[i] * 7.0 / sum;
        max_ = *std::max_element(weekday_.begin(), weekday_.end());
    }
    double operator()(std::int64_t day) const {
        const greg::date d = calendar_detail::date_from_days(day);
        const int monday_first = (d.day_of_week().as_number() + 6) % 7;
        double f = weekday_[static_cast<std::size_t>(monday_first)];
        if (d.month() == 10 && d.day() <= 7) f *= p_.national_day_factor;
        for (const int year : {static_cast<int>(d.year()), static_cast<int>(d.year()) + 1}) {
            if (const auto eve = spring_festival_eve(year); eve && d >= *eve && d < *eve + greg::days(8)) f *= p_.spring_festival_factor;
        }
        return f;
    }
    double max() const { return max_; }

private:
    const DemandProfile& p_;
    std::array<double, 7> weekday_{};
    double max_ = 1;
};

// Requests per second of an enterprise before calendar effects and growth.
double base_rate(const DemandProfile& p, const Enterprise& e) {
    const auto size = static_cast<std::size_t>(e.size);
    double r = size < p.yearly_requests.size() ? p.yearly_requests[size] : 0.0;
    if (const auto it = p.sector_factor.find(e.sector); it != p.sector_factor.end()) r *= it->second;
    return r / seconds_per_year;
}

double growth_at(const DemandProfile& p, Time from, Time t) {
    return std::pow(1.0 + p.yearly_growth, static_cast<double>(t - from) / seconds_per_year);
}

using demand_detail::splitmix;
using demand_detail::Stream;

void check_period(Period period) {
    if (period.empty()) {
        throw Error(ErrorCode::invalid, "period: [" + std::to_string(period.start) + ", " + std::to_string(period.end) + ") is empty or reversed");
    }
}

}  // namespace

std::optional<greg::date> spring_festival_eve(int year) {
    for (const auto& [y, m, d] : lunar_new_year) {
        if (y == year) return greg::date(static_cast<unsigned short>(y), static_cast<unsigned short>(m), static_cast<unsigned short>(d)) - greg::days(1);
    }
    return std::nullopt;
}

void validate(const DemandProfile& p) {
    const auto finite_nonnegative = [](double v) { return std::isfinite(v) && v >= 0; };
    for (std::size_t i = 0; i < p.yearly_requests.size(); ++i) {
        if (!finite_nonnegative(p.yearly_requests[i])) {
            bad("yearly_requests[" + std::string(to_string(static_cast<EnterpriseSize>(i))) + "]: must be a finite number >= 0");
        }
    }
    for (const auto& [sector, f] : p.sector_factor) {
        if (!finite_nonnegative(f)) bad("sector_factor[" + sector + "]: must be a finite number >= 0");
    }
    double weekly = 0;
    for (const double w : p.weekday_weight) {
        if (!finite_nonnegative(w)) bad("weekday_weight: each must be a finite number >= 0");
        weekly += w;
    }
    if (weekly <= 0) bad("weekday_weight: at least one weekday must have weight");
    for (const auto& [name, f] : {std::pair{"spring_festival_factor", p.spring_festival_factor}, std::pair{"national_day_factor", p.national_day_factor}}) {
        if (!(f >= 0 && f <= 1)) bad(std::string(name) + ": must be 0..1, got " + std::to_string(f));
    }
    if (!(std::isfinite(p.yearly_growth) && p.yearly_growth > -1)) bad("yearly_growth: must be a finite number > -1");
    if (p.min_minutes < 30 || p.max_minutes > 1440 || p.min_minutes > p.max_minutes) {
        bad("minutes: need 30 <= min_minutes <= max_minutes <= 1440, got " + std::to_string(p.min_minutes) + ".." + std::to_string(p.max_minutes));
    }
    if (p.lead_days < 1 || p.lead_days > 60) bad("lead_days: must be 1..60, got " + std::to_string(p.lead_days));
    if (p.window_days < 1 || p.window_days > 60) bad("window_days: must be 1..60, got " + std::to_string(p.window_days));
    for (const auto& [name, v] : {std::pair{"cancel_probability", p.cancel_probability}, std::pair{"no_show_probability", p.no_show_probability}}) {
        if (!(v >= 0 && v <= 1)) bad(std::string(name) + ": must be 0..1");
    }
    if (p.cancel_probability + p.no_show_probability > 1) bad("cancel_probability + no_show_probability: above 1");
}

namespace {

// Time order, ties by enterprise id, then in the order drawn (a firm's arrivals in one second).
// Sorted as 16-byte keys (time and enterprise packed, the index) and each arrival moved once:
// a city year's millions of 56-byte arrivals swapped a few dozen times each was a tenth of what
// generating them cost. Ids or times beyond 32 bits sort the arrivals themselves, the same way.
std::vector<Arrival> in_time_order(std::vector<Arrival> drawn, Period period) {
    const auto fits = [&](const Arrival& a) {
        return a.at - period.start >= 0 && a.at - period.start <= std::int64_t{UINT32_MAX} && a.enterprise.value >= 0 &&
               a.enterprise.value <= std::int64_t{UINT32_MAX};
    };
    if (drawn.size() > UINT32_MAX || !std::all_of(drawn.begin(), drawn.end(), fits)) {
        std::stable_sort(drawn.begin(), drawn.end(), [](const Arrival& a, const Arrival& b) {
            return std::tie(a.at, a.enterprise) < std::tie(b.at, b.enterprise);
        });
        return drawn;
    }
    struct Key {
        std::uint64_t at_enterprise = 0;
        std::uint32_t index = 0;
    };
    std::vector<Key> keys(drawn.size());
    for (std::size_t i = 0; i < drawn.size(); ++i) {
        keys[i] = {static_cast<std::uint64_t>(drawn[i].at - period.start) << 32 | static_cast<std::uint64_t>(drawn[i].enterprise.value),
                   static_cast<std::uint32_t>(i)};
    }
    std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) { return std::tie(a.at_enterprise, a.index) < std::tie(b.at_enterprise, b.index); });
    std::vector<Arrival> out;
    out.reserve(drawn.size());
    for (const Key& k : keys) out.push_back(drawn[k.index]);
    return out;
}

}  // namespace

std::vector<Arrival> generate_arrivals(const Network& net, const DemandProfile& p, Period period, std::uint64_t seed) {
    validate(p);
    check_period(period);
    if (net.enterprises.empty()) throw Error(ErrorCode::invalid, "network: has no enterprises to ask");
    if (net.equipment.empty()) throw Error(ErrorCode::invalid, "network: has no equipment to ask for");
    // Classes in proportion to the equipment of each (cumulative counts for the draw).
    std::map<std::int64_t, std::int64_t> per_class;
    for (const auto& e : net.equipment) ++per_class[e.equipment_class.value];
    std::vector<std::pair<std::int64_t, std::int64_t>> cumulative;
    std::int64_t total = 0;
    for (const auto& [cls, n] : per_class) cumulative.emplace_back(total += n, cls);

    const DayFactors factors(p);
    const double max_growth = std::max(1.0, growth_at(p, period.start, period.end));
    const int steps = (p.max_minutes - p.min_minutes) / 30 + 1;
    std::vector<Arrival> out;
    for (const auto& firm : net.enterprises) {
        const double base = base_rate(p, firm);
        if (base <= 0) continue;
        const double lambda_max = base * factors.max() * max_growth;
        Stream rng(splitmix(seed ^ splitmix(static_cast<std::uint64_t>(firm.id.value))));
        double t = static_cast<double>(period.start);
        while (true) {
            t += -std::log1p(-rng.uniform()) / lambda_max;
            if (t >= static_cast<double>(period.end)) break;
            const Time at = static_cast<Time>(t);
            const double lambda = base * factors(china_day(at)) * growth_at(p, period.start, at);
            if (rng.uniform() * lambda_max >= lambda) continue;
            Arrival a;
            a.at = at;
            a.enterprise = firm.id;
            const auto pick = static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(total)));
            a.equipment_class = EquipmentClassId(std::upper_bound(cumulative.begin(), cumulative.end(), std::pair<std::int64_t, std::int64_t>(pick, INT64_MAX))->second);
            a.minutes = p.min_minutes + 30 * static_cast<int>(rng.below(static_cast<std::uint64_t>(steps)));
            const std::int64_t first_day = china_day(at) + 1 + static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(p.lead_days)));
            a.window = {china_day_start(first_day), china_day_start(first_day + p.window_days)};
            const double fate = rng.uniform();
            a.cancels = fate < p.cancel_probability;
            a.no_show = !a.cancels && fate < p.cancel_probability + p.no_show_probability;
            out.push_back(a);
        }
    }
    return in_time_order(std::move(out), period);
}

DemandExpectation expected_demand(const Network& net, const DemandProfile& p, Period period) {
    validate(p);
    check_period(period);
    const DayFactors factors(p);
    double rate_sum = 0;   // Σ base over enterprises (per second)
    for (const auto& firm : net.enterprises) rate_sum += base_rate(p, firm);
    DemandExpectation e;
    for (std::int64_t day = china_day(period.start); china_day_start(day) < period.end; ++day) {
        const Time lo = std::max(period.start, china_day_start(day)), hi = std::min(period.end, china_day_start(day + 1));
        if (hi <= lo) continue;
        const Time mid = lo + (hi - lo) / 2;
        e.arrivals += rate_sum * factors(day) * growth_at(p, period.start, mid) * static_cast<double>(hi - lo);
    }
    const double mean_minutes = (p.min_minutes + p.max_minutes) / 2.0;
    e.hours = e.arrivals * mean_minutes / 60.0 * (1.0 - p.cancel_probability - p.no_show_probability);
    return e;
}

DemandProfile calibrate(const Network& net, DemandProfile p, Time from, double hours_per_instrument) {
    if (!(std::isfinite(hours_per_instrument) && hours_per_instrument > 0)) {
        throw Error(ErrorCode::invalid, "hours_per_instrument: must be a finite number > 0");
    }
    if (net.equipment.empty()) throw Error(ErrorCode::invalid, "network: has no equipment to calibrate against");
    const auto now = expected_demand(net, p, {from, from + 365 * seconds_per_day});
    if (now.hours <= 0) throw Error(ErrorCode::invalid, "demand profile: asks for nothing, nothing to scale");
    const double scale = hours_per_instrument * static_cast<double>(net.equipment.size()) / now.hours;
    for (auto& r : p.yearly_requests) r *= scale;
    return p;
}

}  // namespace psp
