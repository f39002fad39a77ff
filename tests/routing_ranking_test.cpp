// Routing evaluates a request's instruments most promising first and stops once the offers asked
// for are certain (issue 16: Database::Impl::search). Stopping early must never change an answer:
// on a district loaded by two weeks of heavy demand, the first k offers of route() are the first k of a
// search that evaluates everything (max_offers above the number of instruments), for every
// objective, with and without escalation; and fulfil books the offer that ranks first. Nor must
// refusing instruments for their price before their calendars (the second case). can_route(),
// which stops at the first offer it finds, must answer whether route() offers anything (the third).
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <string>
#include <tuple>
#include <vector>

#include "psp/database.hpp"
#include "psp/demand.hpp"
#include "psp/synth.hpp"

using namespace psp;

namespace {

constexpr Time march_2027 = 1803859200 - 8 * 3600;   // 2027-03-01 00:00 in Hangzhou

std::string describe(const Offer& o) {
    return "platform " + std::to_string(o.platform.value) + " equipment " + std::to_string(o.equipment.value) +
           " at " + std::to_string(o.slot.start) + " score " + std::to_string(o.score);
}

std::vector<RoutingPolicy> policies() {
    std::vector<RoutingPolicy> out;
    for (const auto objective : {RouteObjective::earliest, RouteObjective::lowest_price,
                                 RouteObjective::shortest_travel, RouteObjective::weighted}) {
        for (const bool escalate : {true, false}) {
            RoutingPolicy p;
            p.objective = objective;
            p.nearest_tier_first = escalate;
            out.push_back(p);
        }
    }
    return out;
}

// A district of the synthetic city with its booking settings, on a clock the test moves, and two
// weeks of heavy demand (many instruments full: the bounds matter).
struct BusyDistrict {
    Time now = march_2027;
    Database db = open();
    VoucherSchemeId scheme;
    std::vector<Arrival> arrivals;

    explicit BusyDistrict(std::uint64_t demand_seed) {
        const auto office = Actor::office();
        db.import_network(office, synth::generate_city(synth::CityParams::for_scale(synth::Scale::district, 5)));
        scheme = VoucherSchemeId(synth::configure_booking(db, office, 5));
        DemandProfile demand;
        demand.yearly_requests = {120, 300, 800, 2000};
        arrivals = generate_arrivals(db.snapshot(), demand, {march_2027, march_2027 + 14 * 86400}, demand_seed);
        REQUIRE(arrivals.size() > 500);
    }
    BusyDistrict(const BusyDistrict&) = delete;   // the clock points at `now`
    BusyDistrict& operator=(const BusyDistrict&) = delete;

private:
    Database open() {
        OpenOptions options;
        options.clock = [this] { return now; };
        return Database::open(":memory:", options);
    }
};

// The request an arrival makes (what a simulation asks, without a ceiling or voucher).
ServiceRequest request_for(const Arrival& a) {
    ServiceRequest q;
    q.enterprise = a.enterprise;
    q.kind = ServiceKind::equipment_sharing;
    q.equipment_class = a.equipment_class;
    q.window = a.window;
    q.minutes = a.minutes;
    return q;
}

}  // namespace

TEST_CASE("route gives the same first offers however many are asked for, and fulfil books the first", "[routing][ranking]") {
    BusyDistrict district(11);
    Time& now = district.now;
    Database& db = district.db;
    const auto& arrivals = district.arrivals;
    const auto office = Actor::office();

    const auto all = policies();
    std::size_t compared = 0, with_several = 0, booked = 0;
    for (std::size_t i = 0; i < arrivals.size(); ++i) {
        const Arrival& a = arrivals[i];
        now = a.at;
        db.set_training(office, a.enterprise, a.equipment_class, true);
        ServiceRequest q = request_for(a);
        if (i % 29 == 0) {
            for (RoutingPolicy p : all) {
                p.max_offers = 1000;   // more than a class has instruments: nothing is left out
                const auto everything = db.route(q, p);
                if (p.nearest_tier_first) {   // escalation: every offer from the nearest tier that has one
                    for (const Offer& o : everything) CHECK(o.tier == everything.front().tier);
                }
                for (const int k : {1, 3}) {
                    p.max_offers = k;
                    const auto first = db.route(q, p);
                    const std::vector<Offer> expected(everything.begin(),
                                                      everything.begin() + std::min<std::ptrdiff_t>(k, std::ssize(everything)));
                    INFO("arrival " << i << " objective " << to_string(p.objective) << " escalation "
                                    << p.nearest_tier_first << " k " << k
                                    << (expected.empty() ? std::string() : ": expected " + describe(expected.front())));
                    CHECK(first == expected);
                }
                ++compared;
                if (everything.size() > 3) ++with_several;
            }
        }
        RoutingPolicy p;
        p.max_offers = 1000;
        const auto ranked = db.route(q, p);
        const Fulfilment f = db.fulfil(office, q, RoutingPolicy{});
        REQUIRE(bool(f) == !ranked.empty());
        if (f) {
            ++booked;
            INFO("arrival " << i << ": booked " << describe(f.served->offer) << ", ranked first "
                            << describe(ranked.front()) << (ranked.size() > 1 ? ", second " + describe(ranked[1]) : std::string()));
            CHECK(f.served->offer.equipment == ranked.front().equipment);
            CHECK(f.served->offer.slot == ranked.front().slot);
        }
    }
    // The comparisons were not trivial: many requests had a choice, many were booked.
    INFO(compared << " comparisons, " << with_several << " with more than 3 offers, " << booked << " booked");
    CHECK(with_several > compared / 4);
    CHECK(booked > arrivals.size() / 3);
}

// Routing refuses an instrument for its price before reading its calendar when even the largest
// voucher leaves it above the ceiling (issue 16). That shortcut must never lose an affordable
// offer nor change the nearest miss: with a ceiling, route() gives exactly the offers of the same
// search without one that cost no more than the ceiling; and a request priced out everywhere names
// as its nearest miss the nearest instrument that had a bookable slot.
TEST_CASE("a price ceiling leaves out exactly the offers above it, and the nearest priced-out instrument is the miss",
          "[routing][ranking]") {
    BusyDistrict district(13);
    Time& now = district.now;
    Database& db = district.db;
    const auto& arrivals = district.arrivals;
    const VoucherSchemeId scheme = district.scheme;
    const auto office = Actor::office();

    std::size_t compared = 0, cut = 0, misses = 0;
    for (std::size_t i = 0; i < arrivals.size(); ++i) {
        const Arrival& a = arrivals[i];
        now = a.at;
        db.set_training(office, a.enterprise, a.equipment_class, true);
        ServiceRequest q = request_for(a);
        if (i % 2 == 0) q.voucher = scheme;
        if (i % 13 == 0) {
            for (RoutingPolicy p : policies()) {
                p.max_offers = 1000;
                const auto free = db.route(q, p);
                if (free.empty()) continue;
                // Ceilings just below the dearest, the middle and the cheapest offer's price.
                for (const std::size_t at : {std::size_t{0}, free.size() / 2, free.size() - 1}) {
                    std::vector<Fen> prices;
                    for (const Offer& o : free) prices.push_back(o.price.enterprise_pays);
                    std::sort(prices.begin(), prices.end());
                    ServiceRequest capped = q;
                    capped.price_ceiling = std::max<Fen>(0, prices[prices.size() - 1 - at] - 1);
                    std::vector<Offer> expected;
                    for (const Offer& o : free) {
                        if (o.price.enterprise_pays <= *capped.price_ceiling) expected.push_back(o);
                    }
                    // Escalating, a ceiling that leaves the nearest tier nothing moves on to tiers
                    // the search without it never opened: compared only when something is left.
                    if (p.nearest_tier_first && expected.empty()) continue;
                    INFO("arrival " << i << " objective " << to_string(p.objective) << " escalation "
                                    << p.nearest_tier_first << " ceiling " << *capped.price_ceiling);
                    CHECK(db.route(capped, p) == expected);
                    ++compared;
                    if (expected.size() < free.size()) ++cut;
                }
            }
            // Priced out everywhere: the nearest miss is the nearest instrument with a bookable
            // slot (tier, then travel; ties are broken by an order routing does not show).
            RoutingPolicy everywhere;
            everywhere.nearest_tier_first = false;
            everywhere.max_offers = 1000;
            const auto free = db.route(q, everywhere);
            if (!free.empty()) {
                ServiceRequest broke = q;
                broke.price_ceiling = 0;
                const auto f = db.fulfil(office, broke, everywhere);
                REQUIRE_FALSE(f);
                REQUIRE(f.nearest_miss);
                CHECK_THAT(f.reason, Catch::Contains("above the ceiling"));
                const auto nearest = std::min_element(free.begin(), free.end(), [](const Offer& x, const Offer& y) {
                    return std::tie(x.tier, x.travel_minutes) < std::tie(y.tier, y.travel_minutes);
                });
                CHECK(f.nearest_miss->tier == nearest->tier);
                CHECK(f.nearest_miss->travel_minutes == nearest->travel_minutes);
                const bool among_offers = std::any_of(free.begin(), free.end(), [&](const Offer& o) {
                    return o.equipment == f.nearest_miss->equipment && o.slot == f.nearest_miss->slot;
                });
                CHECK(among_offers);
                ++misses;
            }
        }
        (void)db.fulfil(office, q, RoutingPolicy{});
    }
    INFO(compared << " comparisons, " << cut << " where the ceiling left offers out, " << misses << " misses");
    CHECK(cut > compared / 3);
    CHECK(misses > 10);
}

// can_route() evaluates instruments as it finds them and stops at the first offer: whatever the
// policy (tiers closed, referrals off, a travel bound, a ceiling, a voucher), it must say exactly
// whether route() offers anything, on a district where many requests find nothing.
TEST_CASE("can_route answers whether route offers anything", "[routing][ranking]") {
    BusyDistrict district(17);
    Time& now = district.now;
    Database& db = district.db;
    const auto& arrivals = district.arrivals;
    const auto office = Actor::office();

    std::vector<RoutingPolicy> variants = policies();
    RoutingPolicy referrals_only;   // the simulation's "gave up" question
    referrals_only.open_tiers[static_cast<std::size_t>(RouteTier::home)] = false;
    referrals_only.open_tiers[static_cast<std::size_t>(RouteTier::family)] = false;
    variants.push_back(referrals_only);
    RoutingPolicy no_referrals;
    no_referrals.max_referral_hops = 0;
    variants.push_back(no_referrals);
    RoutingPolicy near;
    near.max_travel_minutes = 5;
    variants.push_back(near);

    std::size_t yes = 0, no = 0;
    for (std::size_t i = 0; i < arrivals.size(); ++i) {
        const Arrival& a = arrivals[i];
        now = a.at;
        db.set_training(office, a.enterprise, a.equipment_class, true);
        ServiceRequest q = request_for(a);
        if (i % 7 == 0) {
            for (const RoutingPolicy& p : variants) {
                for (const int ceiling : {-1, 0, 5'000, 50'000}) {   // fen; -1: none
                    ServiceRequest asked = q;
                    if (ceiling >= 0) asked.price_ceiling = ceiling;
                    if (ceiling == 5'000) asked.voucher = district.scheme;
                    const bool offered = !db.route(asked, p).empty();
                    INFO("arrival " << i << " objective " << to_string(p.objective) << " escalation " << p.nearest_tier_first
                                    << " ceiling " << ceiling);
                    CHECK(db.can_route(asked, p) == offered);
                    ++(offered ? yes : no);
                }
            }
        }
        (void)db.fulfil(office, q, RoutingPolicy{});
    }
    // Both answers were common: the comparison could fail either way.
    INFO(yes << " with offers, " << no << " without");
    CHECK(yes > 100);
    CHECK(no > 100);
}
