// Demand for the simulation (issue 8): a Poisson process per enterprise with weekday, Spring Festival,
// National Day and growth effects; deterministic per seed and independent of the enterprises' order;
// counts within sampling error of their expectation; calibration to effective hours per instrument.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <tuple>

#include <boost/date_time/gregorian/gregorian.hpp>

#include "fixtures.hpp"
#include "psp/demand.hpp"
#include "psp/synth.hpp"

using namespace psp;
using namespace psp::test;
namespace greg = boost::gregorian;

namespace {

constexpr Time D = 86400;
constexpr Time jan1_2025 = 1735660800;   // 00:00 in Hangzhou

const Network& district() {
    static const Network n = synth::generate_city(synth::CityParams::for_scale(synth::Scale::district, 3));
    return n;
}

int weekday_of(Time t) {   // Monday = 0, local
    const auto d = greg::date(1970, 1, 1) + greg::days(static_cast<long>((t + 8 * 3600) / D));
    return (d.day_of_week().as_number() + 6) % 7;
}

}  // namespace

TEST_CASE("demand: the same seed gives the same arrivals, whatever the enterprises' order", "[demand]") {
    const Period q1{jan1_2025, jan1_2025 + 90 * D};
    const auto a = generate_arrivals(district(), {}, q1, 42);
    CHECK(a == generate_arrivals(district(), {}, q1, 42));
    CHECK(a != generate_arrivals(district(), {}, q1, 43));
    auto shuffled = district();
    std::shuffle(shuffled.enterprises.begin(), shuffled.enterprises.end(), std::mt19937(5));
    CHECK(generate_arrivals(shuffled, {}, q1, 42) == a);
    REQUIRE(a.size() > 1000);
    CHECK(std::is_sorted(a.begin(), a.end(), [](const Arrival& x, const Arrival& y) { return x.at < y.at; }));
    for (const auto& x : a) {
        REQUIRE(x.at >= q1.start);
        REQUIRE(x.at < q1.end);
        CHECK(x.minutes >= 60);
        CHECK(x.minutes <= DemandProfile{}.max_minutes);
        CHECK(x.minutes % 30 == 0);
        CHECK(x.window.start > x.at);
        CHECK(x.window.start <= x.at + 8 * D);
        CHECK(x.window.seconds() == 5 * D);
        CHECK_FALSE((x.cancels && x.no_show));
    }
}

TEST_CASE("demand: arrivals in the same second keep one order, whatever the enterprises' order or ids", "[demand]") {
    // Three firms asking about once a second: many of a firm's arrivals share a second with
    // another of its own. They come in the order drawn, so that shuffling the enterprises (or a
    // different standard library's sort) cannot reorder them.
    auto busy = district();
    busy.enterprises.resize(3);
    DemandProfile p;
    p.yearly_requests.fill(3.0e7);
    const Period day{jan1_2025 + 2 * D, jan1_2025 + 3 * D};
    const auto by_time_then_firm = [](const Arrival& x, const Arrival& y) { return std::tie(x.at, x.enterprise) < std::tie(y.at, y.enterprise); };
    for (const std::int64_t offset : {std::int64_t{0}, std::int64_t{1} << 33}) {   // ids past 32 bits sort another way
        auto network = busy;
        for (auto& e : network.enterprises) e.id = EnterpriseId(e.id.value + offset);
        const auto a = generate_arrivals(network, p, day, 7);
        REQUIRE(a.size() > 10000);
        CHECK(std::is_sorted(a.begin(), a.end(), by_time_then_firm));
        std::size_t ties = 0;
        for (std::size_t i = 1; i < a.size(); ++i) ties += a[i].at == a[i - 1].at && a[i].enterprise == a[i - 1].enterprise ? 1 : 0;
        CHECK(ties > 100);
        auto reversed = network;
        std::reverse(reversed.enterprises.begin(), reversed.enterprises.end());
        CHECK(generate_arrivals(reversed, p, day, 7) == a);
    }
}

TEST_CASE("demand: counts within sampling error of their expectation, weekends and holidays quiet", "[demand]") {
    const Period year{jan1_2025, jan1_2025 + 365 * D};
    DemandProfile p;
    const auto a = generate_arrivals(district(), p, year, 7);
    const auto e = expected_demand(district(), p, year);
    // A Poisson count: within 4 standard deviations of its mean.
    CHECK(std::abs(static_cast<double>(a.size()) - e.arrivals) < 4 * std::sqrt(e.arrivals));
    std::array<double, 7> by_weekday{};
    for (const auto& x : a) by_weekday[static_cast<std::size_t>(weekday_of(x.at))] += 1;
    const double weekend = (by_weekday[5] + by_weekday[6]) / static_cast<double>(a.size());
    CHECK(weekend < 0.06);   // weights 0.15 and 0.05 against five of 1: about 3.8 %, holidays aside
    CHECK(weekend > 0.02);
    // The Spring Festival holiday of 2025 (28 January, eight days) against the eight days before.
    const auto count = [&](greg::date from, int days) {
        const Time lo = jan1_2025 + (from - greg::date(2025, 1, 1)).days() * D;
        return std::count_if(a.begin(), a.end(), [&](const Arrival& x) { return x.at >= lo && x.at < lo + days * D; });
    };
    REQUIRE(spring_festival_eve(2025) == greg::date(2025, 1, 28));
    const auto festival = count(greg::date(2025, 1, 28), 8);
    const auto before = count(greg::date(2025, 1, 20), 8);
    CHECK(festival < before / 3);
    CHECK(count(greg::date(2025, 10, 1), 7) < count(greg::date(2025, 10, 13), 7) / 2);
    // Classes follow the equipment: the most common class is asked for most.
    std::map<std::int64_t, int> equipment_of, asked_for;
    for (const auto& q : district().equipment) ++equipment_of[q.equipment_class.value];
    for (const auto& x : a) ++asked_for[x.equipment_class.value];
    const auto top = std::max_element(equipment_of.begin(), equipment_of.end(), [](auto& l, auto& r) { return l.second < r.second; });
    const double share = static_cast<double>(top->second) / static_cast<double>(district().equipment.size());
    CHECK(static_cast<double>(asked_for[top->first]) / static_cast<double>(a.size()) == Approx(share).margin(0.02));
    // Cancellations and no-shows at their rates.
    const auto cancels = std::count_if(a.begin(), a.end(), [](const Arrival& x) { return x.cancels; });
    CHECK(static_cast<double>(cancels) / static_cast<double>(a.size()) == Approx(0.05).margin(0.01));
}

TEST_CASE("demand: growth year on year, and calibration to 1,600 effective hours per instrument", "[demand]") {
    DemandProfile p;
    p.yearly_growth = 0.10;
    const auto y1 = expected_demand(district(), p, {jan1_2025, jan1_2025 + 365 * D});
    const auto y2 = expected_demand(district(), p, {jan1_2025, jan1_2025 + 730 * D});
    CHECK((y2.arrivals - y1.arrivals) / y1.arrivals == Approx(1.10).epsilon(0.01));
    const auto calibrated = calibrate(district(), p, jan1_2025, 1600);
    const auto e = expected_demand(district(), calibrated, {jan1_2025, jan1_2025 + 365 * D});
    CHECK(e.hours / static_cast<double>(district().equipment.size()) == Approx(1600).epsilon(1e-9));
    CHECK(calibrated.yearly_requests[0] / calibrated.yearly_requests[1] == Approx(p.yearly_requests[0] / p.yearly_requests[1]));
    CHECK_THROWS_MATCHES(calibrate(district(), p, jan1_2025, 0), Error, IsError(ErrorCode::invalid, {"hours_per_instrument"}));
}

TEST_CASE("demand: bad profiles and periods are refused, naming the field", "[demand]") {
    const Period q1{jan1_2025, jan1_2025 + 90 * D};
    const auto refused = [&](DemandProfile p, const char* field) {
        CHECK_THROWS_MATCHES(generate_arrivals(district(), p, q1, 1), Error, IsError(ErrorCode::invalid, {field}));
    };
    DemandProfile p;
    p.yearly_requests[2] = -1;
    refused(p, "yearly_requests[medium]");
    p = {};
    p.yearly_requests[0] = NAN;
    refused(p, "yearly_requests[micro]");
    p = {};
    p.weekday_weight = {0, 0, 0, 0, 0, 0, 0};
    refused(p, "weekday_weight");
    p = {};
    p.spring_festival_factor = 1.5;
    refused(p, "spring_festival_factor");
    p = {};
    p.yearly_growth = -1;
    refused(p, "yearly_growth");
    p = {};
    p.min_minutes = 300;
    refused(p, "minutes");
    p = {};
    p.lead_days = 0;
    refused(p, "lead_days");
    p = {};
    p.cancel_probability = 0.7;
    p.no_show_probability = 0.5;
    refused(p, "above 1");
    p = {};
    p.sector_factor["software"] = -2;
    refused(p, "sector_factor[software]");
    CHECK_THROWS_MATCHES(generate_arrivals(district(), {}, {q1.end, q1.start}, 1), Error, IsError(ErrorCode::invalid, {"period"}));
    Network empty;
    CHECK_THROWS_MATCHES(generate_arrivals(empty, {}, q1, 1), Error, IsError(ErrorCode::invalid, {"enterprises"}));
    CHECK_FALSE(spring_festival_eve(2019).has_value());
}
