// Coordination: tiers nearest first (home, family, alliance, linked, city), objectives, one-stop
// front doors, services without equipment, fulfilment written through, the nearest miss, bad
// requests, and the settlement of what was served.
#include <catch2/catch.hpp>

#include <limits>

#include "fixtures.hpp"
#include "psp/database.hpp"

using namespace psp;
using namespace psp::test;

namespace {

constexpr Time H = 3600, D = 86400;
constexpr Time monday_cst = 1740931200;   // 2025-03-03 00:00 Asia/Shanghai
const Actor office = Actor::office();

struct World {
    TempFile file{"routing"};
    ManualClock clock;
    Database db = open();
    SmallNetwork n = build_small_network(db);

    World() { clock.set(monday_cst); }
    Database open() { return Database::open(file.str(), clock.options()); }
    // An SEM hour on Tuesday between 09:00 and 12:00 for Bolt (zone z2, served by tech_sub and quality).
    ServiceRequest sem_for_bolt(int hours = 1) const {
        ServiceRequest q;
        q.enterprise = n.bolt;
        q.kind = ServiceKind::equipment_sharing;
        q.equipment_class = n.sem;
        q.window = {monday_cst + D + 9 * H, monday_cst + D + 12 * H};
        q.minutes = 60 * hours;
        q.received_by = n.tech_sub;
        return q;
    }
};
}  // namespace

TEST_CASE("routing escalates tier by tier: family before alliance", "[routing]") {
    World w;
    auto offers = w.db.route(w.sem_for_bolt());
    REQUIRE_FALSE(offers.empty());
    // tech_sub has no SEM; its backbone (tech) has sem1: a family move, not a referral.
    CHECK(offers.front().platform == w.n.tech);
    CHECK(offers.front().tier == RouteTier::family);
    CHECK(offers.front().referral_hops == 0);
    CHECK(offers.front().chain == std::vector<PlatformId>{w.n.tech_sub, w.n.tech});
    CHECK(offers.front().slot == Period{monday_cst + D + 9 * H, monday_cst + D + 10 * H});
    for (const auto& o : offers) CHECK(o.tier == RouteTier::family);

    // Searching every tier, the shortest trip wins: sem2 at the quality centre is in Bolt's district.
    RoutingPolicy everywhere;
    everywhere.nearest_tier_first = false;
    everywhere.objective = RouteObjective::shortest_travel;
    offers = w.db.route(w.sem_for_bolt(), everywhere);
    REQUIRE(offers.size() >= 2);
    CHECK(offers.front().platform == w.n.quality);
    CHECK(offers.front().tier == RouteTier::alliance);
    CHECK(offers.front().alliance == w.n.alliance);
    CHECK(offers.front().travel_minutes < offers.back().travel_minutes);

    // With the family tier closed, the alliance serves; with alliances closed too, the link does.
    RoutingPolicy no_family;
    no_family.open_tiers[static_cast<std::size_t>(RouteTier::family)] = false;
    offers = w.db.route(w.sem_for_bolt(), no_family);
    REQUIRE_FALSE(offers.empty());
    CHECK(offers.front().platform == w.n.quality);
    CHECK(offers.front().tier == RouteTier::alliance);
    no_family.open_tiers[static_cast<std::size_t>(RouteTier::alliance)] = false;
    offers = w.db.route(w.sem_for_bolt(), no_family);
    REQUIRE_FALSE(offers.empty());
    CHECK(offers.front().tier == RouteTier::linked);
    CHECK(offers.front().referral_hops == 1);
    // No referral hop allowed: only home and family remain, and family is closed.
    no_family.max_referral_hops = 0;
    CHECK(w.db.route(w.sem_for_bolt(), no_family).empty());
}

TEST_CASE("the city tier reaches any operating platform, received_by fixes where the chain starts", "[routing]") {
    World w;
    ServiceRequest q = w.sem_for_bolt();
    q.enterprise = w.n.acme;
    q.received_by = w.n.tech;
    RoutingPolicy city_only;
    city_only.open_tiers = {false, false, false, false, true};
    const auto offers = w.db.route(q, city_only);
    REQUIRE(offers.size() == 1);   // sem1 is tech's own (home): only quality's sem2 is left at city tier
    CHECK(offers.front().equipment == w.n.sem2);
    CHECK(offers.front().tier == RouteTier::city);
    CHECK(offers.front().chain == std::vector<PlatformId>{w.n.tech, w.n.quality});
    CHECK(offers.front().referral_hops == 1);
    // A suspended platform is nobody's candidate.
    auto quality = w.db.get(w.n.quality);
    quality.status = PlatformStatus::suspended;
    w.db.update(office, quality);
    CHECK(w.db.route(q, city_only).empty());
    const auto none = w.db.fulfil(Actor::enterprise_self(w.n.acme), q, city_only);
    CHECK_FALSE(none);
    CHECK_THAT(none.reason, Catch::Contains("no platform in the open tiers has equipment of the class"));
}

TEST_CASE("when the nearest tier is full the request moves on, fulfil books and records it", "[routing]") {
    World w;
    // Fill sem1 (2 units) all Tuesday morning.
    for (int i = 0; i < 2; ++i) {
        REQUIRE(w.db.book(office, {w.n.sem1, w.n.acme, {monday_cst + D + 9 * H, monday_cst + D + 12 * H}, 1, {}, {}}));
    }
    const auto offers = w.db.route(w.sem_for_bolt());
    REQUIRE_FALSE(offers.empty());
    CHECK(offers.front().platform == w.n.quality);
    CHECK(offers.front().tier == RouteTier::alliance);

    const auto journal_before = w.db.journal().size();
    const auto done = w.db.fulfil(Actor::enterprise_self(w.n.bolt), w.sem_for_bolt());
    REQUIRE(done);
    const ServedRequest served = *done.served;
    CHECK(served.offer.platform == w.n.quality);
    CHECK(served.offer.chain == std::vector<PlatformId>{w.n.tech_sub, w.n.quality});
    REQUIRE(served.booking);
    const Booking b = w.db.get(served.booking);
    CHECK(b.equipment == w.n.sem2);
    CHECK(b.enterprise == w.n.bolt);
    CHECK(b.period == served.offer.slot);
    CHECK(w.db.journal().size() == journal_before + 2);   // the booking and the service
    // sem2 is now taken at 09:00: the next request gets 10:00.
    const auto next = w.db.route(w.sem_for_bolt());
    REQUIRE_FALSE(next.empty());
    CHECK(next.front().slot.start == monday_cst + D + 10 * H);

    // Reopened, the served request reads back exactly.
    auto again = w.open();
    const auto stored = again.served_requests({monday_cst, monday_cst + 7 * D});
    REQUIRE(stored.size() == 1);
    CHECK(stored.front() == served);
}

TEST_CASE("objectives rank offers: lowest price uses member rates and vouchers", "[routing]") {
    World w;
    w.db.set_tariff(Actor::operator_of(w.n.tech), w.n.sem1, {30'000, 30'000, 0, 0, true});
    w.db.set_tariff(Actor::operator_of(w.n.quality), w.n.sem2, {10'000, 20'000, 0, 0, true});
    RoutingPolicy cheapest;
    cheapest.nearest_tier_first = false;
    cheapest.objective = RouteObjective::lowest_price;
    const auto offers = w.db.route(w.sem_for_bolt(), cheapest);
    REQUIRE(offers.size() >= 2);
    CHECK(offers.front().equipment == w.n.sem2);   // quality serves Bolt's zone: member rate 100 yuan
    CHECK(offers.front().price.enterprise_pays == 10'000);
    CHECK(offers.front().score <= offers.back().score);

    // A ceiling below every price: nothing fits, and the nearest miss says why.
    auto capped = w.sem_for_bolt();
    capped.price_ceiling = 5'000;
    CHECK(w.db.route(capped, cheapest).empty());
    const auto miss = w.db.fulfil(Actor::enterprise_self(w.n.bolt), capped, cheapest);
    CHECK_FALSE(miss);
    REQUIRE(miss.nearest_miss);
    CHECK_THAT(miss.reason, Catch::Contains("above the ceiling"));

    // Routing keeps each instrument's rates beside its search tables: a tariff changed after a
    // search counts in the next one, both ways.
    w.db.set_tariff(Actor::operator_of(w.n.quality), w.n.sem2, {4'000, 20'000, 0, 0, true});
    const auto cheaper = w.db.route(capped, cheapest);
    REQUIRE(cheaper.size() == 1);
    CHECK(cheaper.front().equipment == w.n.sem2);
    CHECK(cheaper.front().price.enterprise_pays == 4'000);
    w.db.set_tariff(Actor::operator_of(w.n.quality), w.n.sem2, {10'000, 20'000, 0, 0, true});
    CHECK(w.db.route(capped, cheapest).empty());

    // The weighted objective with only the load term prefers the less used instrument.
    REQUIRE(w.db.book(office, {w.n.sem2, w.n.acme, {monday_cst + D + 11 * H, monday_cst + D + 12 * H}, 1, {}, {}}));
    RoutingPolicy balance;
    balance.nearest_tier_first = false;
    balance.objective = RouteObjective::weighted;
    balance.weight_wait_hours = balance.weight_price_yuan = balance.weight_travel_minutes = 0;
    balance.weight_load_percent = 1;
    const auto balanced = w.db.route(w.sem_for_bolt(), balance);
    REQUIRE_FALSE(balanced.empty());
    CHECK(balanced.front().equipment == w.n.sem1);
}

TEST_CASE("services without equipment fill a platform's weekly cases, then move on", "[routing]") {
    World w;
    w.db.set_service_capacity(Actor::operator_of(w.n.tech_sub), {w.n.tech_sub, ServiceKind::technology_rd, 1});
    ServiceRequest q;
    q.enterprise = w.n.bolt;
    q.kind = ServiceKind::technology_rd;
    q.window = {monday_cst + D, monday_cst + 5 * D};
    q.minutes = 120;
    const auto first = w.db.fulfil(Actor::enterprise_self(w.n.bolt), q);
    REQUIRE(first);
    CHECK(first.served->offer.platform == w.n.tech_sub);
    CHECK(first.served->offer.tier == RouteTier::home);
    CHECK_FALSE(first.served->booking);
    const auto second = w.db.fulfil(Actor::enterprise_self(w.n.bolt), q);
    REQUIRE(second);
    CHECK(second.served->offer.platform == w.n.tech);   // tech_sub's week is full: its backbone
    CHECK(second.served->offer.tier == RouteTier::family);
    auto again = w.open();   // the cases count survives a reopen
    const auto third = again.route(q);
    REQUIRE_FALSE(third.empty());
    CHECK(third.front().platform == w.n.tech);
    CHECK(again.service_capacities() == std::vector<ServiceCapacity>{{w.n.tech_sub, ServiceKind::technology_rd, 1}});
}

TEST_CASE("a one-stop front door routes among the alliance's members by its policy", "[routing]") {
    World w;
    RoutingPolicy nearest;
    nearest.objective = RouteObjective::shortest_travel;
    w.db.set_alliance_policy(Actor::operator_of(w.n.tech), w.n.alliance, nearest);
    CHECK(w.db.alliance_policy(w.n.alliance) == nearest);
    auto q = w.sem_for_bolt();
    q.received_by = {};
    q.front_door = w.n.alliance;
    const auto done = w.db.fulfil(Actor::enterprise_self(w.n.bolt), q);
    REQUIRE(done);
    CHECK(done.served->offer.platform == w.n.quality);   // nearest member with an SEM for Bolt
    CHECK(done.served->offer.chain == std::vector<PlatformId>{w.n.tech, w.n.quality});   // lead's front door
    CHECK(done.served->offer.alliance == w.n.alliance);
    PSP_CHECK_REFUSED(w.db, w.db.set_alliance_policy(Actor::operator_of(w.n.quality), w.n.alliance, nearest),
                      IsError(ErrorCode::permission));
    CHECK(w.open().alliance_policy(w.n.alliance) == nearest);
}

TEST_CASE("bad requests and policies are errors and book nothing", "[routing]") {
    World w;
    const auto bolt = Actor::enterprise_self(w.n.bolt);
    auto q = w.sem_for_bolt();
    q.minutes = 4 * 60;   // window is 3 hours
    PSP_CHECK_REFUSED(w.db, w.db.fulfil(bolt, q), IsError(ErrorCode::invalid, {"window", "shorter than the duration"}));
    q = w.sem_for_bolt();
    q.price_ceiling = -1;
    PSP_CHECK_REFUSED(w.db, w.db.fulfil(bolt, q), IsError(ErrorCode::invalid, {"price_ceiling"}));
    q = w.sem_for_bolt();
    q.kind = static_cast<ServiceKind>(99);
    PSP_CHECK_REFUSED(w.db, w.db.fulfil(bolt, q), IsError(ErrorCode::invalid, {"kind"}));
    q = w.sem_for_bolt();
    q.window = {q.window.end, q.window.start};
    PSP_CHECK_REFUSED(w.db, w.db.fulfil(bolt, q), IsError(ErrorCode::invalid, {"window"}));
    q = w.sem_for_bolt();
    q.enterprise = EnterpriseId(999);
    PSP_CHECK_REFUSED(w.db, w.db.fulfil(bolt, q), IsError(ErrorCode::not_found));
    q = w.sem_for_bolt();
    RoutingPolicy closed;
    closed.open_tiers.fill(false);
    PSP_CHECK_REFUSED(w.db, w.db.fulfil(bolt, q, closed), IsError(ErrorCode::invalid, {"open_tiers"}));
    // can_route() answers the same errors as route(), whatever it would find.
    CHECK_THROWS_MATCHES(w.db.can_route(q, closed), Error, IsError(ErrorCode::invalid, {"open_tiers"}));
    q.minutes = 4 * 60;
    CHECK_THROWS_MATCHES(w.db.can_route(q), Error, IsError(ErrorCode::invalid, {"window", "shorter than the duration"}));
    q = w.sem_for_bolt();
    q.enterprise = EnterpriseId(999);
    CHECK_THROWS_MATCHES(w.db.can_route(q), Error, IsError(ErrorCode::not_found));
    q = w.sem_for_bolt();
    q.equipment_class = EquipmentClassId(999);
    CHECK_THROWS_MATCHES(w.db.can_route(q), Error, IsError(ErrorCode::not_found));
    q = w.sem_for_bolt();
    CHECK(w.db.can_route(q) == !w.db.route(q).empty());
    // Another enterprise cannot ask on Bolt's behalf.
    PSP_CHECK_REFUSED(w.db, w.db.fulfil(Actor::enterprise_self(w.n.acme), q), IsError(ErrorCode::permission));
    PSP_CHECK_REFUSED(w.db, w.db.served_requests({monday_cst, monday_cst - 1}), IsError(ErrorCode::invalid));
}

// Routing bounds each instrument's least price before its calendar (issue 16). A request whose
// price could not even be computed (beyond 64 bits) at an instrument that has no room for it must
// still be answered as before, unmet, not refused: no price is ever quoted there.
TEST_CASE("a request too large to price is unmet where nothing fits, not an error", "[routing]") {
    World w;
    for (const auto& [platform, sem] : {std::pair{w.n.tech, w.n.sem1}, std::pair{w.n.quality, w.n.sem2}}) {
        w.db.set_tariff(Actor::operator_of(platform), sem, {max_hourly_rate, max_hourly_rate, 0, 0, true});
    }
    auto q = w.sem_for_bolt();
    q.window = {monday_cst, monday_cst + 100 * 365 * D};
    q.minutes = 50'000'000;   // 95 years: no opening hours hold it
    q.units = 1000;           // × the top rate: far beyond 64 bits of fen
    q.price_ceiling = 1;
    RoutingPolicy everywhere;
    everywhere.nearest_tier_first = false;
    CHECK(w.db.route(q, everywhere).empty());
    const auto f = w.db.fulfil(Actor::enterprise_self(w.n.bolt), q, everywhere);
    CHECK_FALSE(f);
    CHECK_THAT(f.reason, Catch::Contains("has no free"));
}

TEST_CASE("settlement follows who served and who referred", "[routing][settlement]") {
    World w;
    w.db.set_tariff(Actor::operator_of(w.n.quality), w.n.sem2, {10'000, 20'000, 0, 0, true});
    w.db.set_settlement_rule(Actor::operator_of(w.n.tech), w.n.alliance, {8000, 1500, 500});
    PSP_CHECK_REFUSED(w.db, w.db.set_settlement_rule(office, AllianceId(), {9000, 500, 500}),
                      IsError(ErrorCode::invalid, {"pool"}));
    PSP_CHECK_REFUSED(w.db, w.db.set_settlement_rule(office, w.n.alliance, {8000, 1500, 400}), IsError(ErrorCode::invalid));
    RoutingPolicy no_family;
    no_family.open_tiers[static_cast<std::size_t>(RouteTier::family)] = false;
    REQUIRE(w.db.fulfil(Actor::enterprise_self(w.n.bolt), w.sem_for_bolt(), no_family));   // tech_sub refers to quality
    const Period march{monday_cst, monday_cst + 30 * D};
    const auto ledger = w.db.settlement_ledger(march);
    REQUIRE(ledger.size() == 1);
    CHECK(ledger.front().serving == w.n.quality);
    CHECK(ledger.front().referring == w.n.tech_sub);
    CHECK(ledger.front().alliance == w.n.alliance);
    CHECK(ledger.front().gross == 10'000);
    const auto s = w.db.settle(march);
    CHECK(s.totals.gross == 10'000);
    CHECK(s.totals.referral == 1'500);
    CHECK(s.totals.pool == 500);
    REQUIRE(s.transfers.size() == 1);
    CHECK(s.transfers.front() == Transfer{w.n.quality, w.n.tech_sub, 1'500});
    // A cancelled booking leaves the ledger.
    w.db.cancel(Actor::enterprise_self(w.n.bolt), w.db.served_requests(march).front().booking);
    CHECK(w.db.settlement_ledger(march).empty());
    CHECK(w.open().settlement_rule(w.n.alliance) == SettlementRule{8000, 1500, 500});
}

TEST_CASE("a request window must lie between 1970 and 2200", "[routing]") {
    // Found by the C ABI fuzzer: windows near INT64_MIN overflowed the window's length, the wait
    // and the ISO week before any other check.
    World w;
    ServiceRequest q = w.sem_for_bolt();
    for (const Period bad : {Period{std::numeric_limits<Time>::min(), monday_cst + D + 12 * H},
                             Period{-1, monday_cst + D + 12 * H},
                             Period{monday_cst + D + 9 * H, std::numeric_limits<Time>::max()},
                             Period{monday_cst + D + 9 * H, last_supported_time + 1}}) {
        q.window = bad;
        CHECK_THROWS_MATCHES(w.db.route(q), Error, IsError(ErrorCode::invalid, {"window", "2200-01-01"}));
        CHECK_THROWS_MATCHES(w.db.fulfil(office, q), Error, IsError(ErrorCode::invalid, {"window"}));
    }
    CHECK(w.db.unmet_requests({0, last_supported_time}).empty());   // refused, not recorded as unmet
    // The bounds themselves are fine, and the search starts at now: the first offer is Tuesday's.
    q.window = {0, last_supported_time};
    const auto offers = w.db.route(q);
    REQUIRE_FALSE(offers.empty());
    CHECK(offers.front().slot.start >= monday_cst);
    // A window wholly before now has nothing to offer (slots in the past are never bookable).
    q.window = {monday_cst - 2 * D, monday_cst - D};
    CHECK(w.db.route(q).empty());
}
