// Scenario sensitivity (issue 16): on small designed networks where the right direction is known,
// each lever of the simulation moves what it should, with non-overlapping 95 % confidence
// intervals over replications. A lever that moves nothing is a defect of the model.
//
// The designed city: districts A and B, 40 minutes apart. Enterprises live in zone Z1 of A, served
// by platform P1 (5 minutes). P2 serves zone Z2 of A: 30 minutes from Z1 through A's seat
// (2 × psp::district_access_minutes). Backbone P3 in B serves Z3: 70 minutes from Z1. P1, P2 and
// P3 form one alliance.
#include <catch2/catch.hpp>

#include <string>

#include "fixtures.hpp"
#include "psp/simulation.hpp"
#include "psp/synth.hpp"

using namespace psp;
using psp::test::TempFile;

namespace {

constexpr Time march_2027 = 1803859200 - 8 * 3600;   // 2027-03-01 00:00 in Hangzhou

struct Designed {
    Network net;

    Designed() {
        net.districts = {{DistrictId(1), "A", 0, 0}, {DistrictId(2), "B", 25, 0}};
        net.travel = {{DistrictId(1), DistrictId(2), 40}};
        net.zones = {{ZoneId(1), "Z1", DistrictId(1), ZoneType::tech_innovation},
                     {ZoneId(2), "Z2", DistrictId(1), ZoneType::tech_innovation},
                     {ZoneId(3), "Z3", DistrictId(2), ZoneType::tech_innovation}};
        platform(1, "P1", DistrictId(1), false);
        platform(2, "P2", DistrictId(1), false);
        platform(3, "P3", DistrictId(2), true);
        net.zone_services = {{PlatformId(1), ZoneId(1), 5}, {PlatformId(2), ZoneId(2), 5}, {PlatformId(3), ZoneId(3), 5}};
        Alliance a;
        a.id = AllianceId(1);
        a.name = "alliance";
        a.lead = PlatformId(3);
        a.members = {{PlatformId(3), MemberRole::lead}, {PlatformId(1), MemberRole::member}, {PlatformId(2), MemberRole::member}};
        net.alliances = {a};
        net.equipment_classes = {{EquipmentClassId(1), "K1", "analysis"}, {EquipmentClassId(2), "K2", "analysis"}};
        for (int i = 1; i <= 150; ++i) {
            net.enterprises.push_back({EnterpriseId(i), "firm " + std::to_string(i), ZoneId(1), EnterpriseSize::small, "software"});
        }
    }

    void platform(std::int64_t id, const char* name, DistrictId site, bool backbone) {
        Platform p;
        p.id = PlatformId(id);
        p.name = name;
        p.tier = backbone ? PlatformTier::municipal : PlatformTier::district;
        p.services = ServiceSet{ServiceKind::equipment_sharing};
        p.backbone = backbone;
        p.site = site;
        p.status = PlatformStatus::operating;
        net.platforms.push_back(p);
    }

    // `n` instruments of class `cls` owned by `owner`, on its site, worth `yuan` each.
    Designed& instruments(std::int64_t owner, std::int64_t cls, int n, long long yuan = 400'000) {
        for (int i = 0; i < n; ++i) {
            Equipment e;
            e.id = EquipmentId(static_cast<std::int64_t>(net.equipment.size()) + 1);
            e.name = "E" + std::to_string(e.id.value);
            e.equipment_class = EquipmentClassId(cls);
            e.owner = PlatformId(owner);
            e.site = net.platforms[static_cast<std::size_t>(owner - 1)].site;
            e.purchase_value = yuan * 100;
            net.equipment.push_back(e);
        }
        return *this;
    }
};

// The designed network in its own file, with booking configured (calendars, tariffs, a voucher).
struct City {
    TempFile file;
    Database db;
    explicit City(const Designed& d) : file("sensitivity"), db(Database::open(file.path().string())) {
        const auto office = Actor::office();
        db.import_network(office, d.net);
        synth::configure_booking(db, office, 1);
    }
};

Scenario base(std::string name, SharingMode sharing) {
    Scenario s;
    s.name = std::move(name);
    s.sharing = sharing;
    s.one_stop = false;
    s.horizon = {march_2027, march_2027 + 60 * 86400};
    s.hours_per_instrument = 1000;
    s.seed = 16;
    s.replications = 5;
    return s;
}

Estimate of(const ScenarioResult& r, const char* metric) { return r.summary.at(metric); }

// a's interval lies wholly below b's.
bool below(const Estimate& a, const Estimate& b) { return a.mean + a.half_width < b.mean - b.half_width; }

std::string show(const char* metric, const Estimate& a, const Estimate& b) {
    return std::string(metric) + ": " + std::to_string(a.mean) + " ± " + std::to_string(a.half_width) + " against " +
           std::to_string(b.mean) + " ± " + std::to_string(b.half_width);
}

}  // namespace

TEST_CASE("Isolated platforms serve none of a class the zone's own platforms lack, but alliances and the network do", "[simulation][sensitivity]") {
    Designed d;
    d.instruments(2, 2, 2).instruments(3, 2, 2);   // K2 at P2 and P3 only: Z1's P1 holds none
    City c(d);
    const auto r = c.db.simulate({base("isolated", SharingMode::isolated), base("alliances", SharingMode::alliances),
                                  base("network", SharingMode::network)});
    for (const auto& rep : r[0].replications) {
        CHECK(rep.requests > 100);
        CHECK(rep.served == 0);
    }
    for (int i : {1, 2}) {
        INFO(r[static_cast<std::size_t>(i)].scenario.name);
        INFO(show("served", of(r[0], "served"), of(r[static_cast<std::size_t>(i)], "served")));
        CHECK(below(of(r[0], "served"), of(r[static_cast<std::size_t>(i)], "served")));
        CHECK(below(of(r[0], "fulfilment_rate"), of(r[static_cast<std::size_t>(i)], "fulfilment_rate")));
        CHECK(of(r[static_cast<std::size_t>(i)], "served_alliance").mean > 0);
        // Served 30 or 70 minutes away: travel is the service area's, not 0.
        CHECK(of(r[static_cast<std::size_t>(i)], "mean_travel_minutes").mean >= 30);
    }
}

TEST_CASE("One-stop keeps the enterprises that give up at a referral", "[simulation][sensitivity]") {
    Designed d;
    d.instruments(1, 1, 1).instruments(2, 2, 2).instruments(3, 2, 2);
    City c(d);
    auto one_stop = base("one-stop", SharingMode::network);
    one_stop.one_stop = true;
    const auto r = c.db.simulate({base("network", SharingMode::network), one_stop});
    INFO(show("gave_up", of(r[1], "gave_up"), of(r[0], "gave_up")));
    CHECK(of(r[1], "gave_up").mean == 0);
    CHECK(below(of(r[1], "gave_up"), of(r[0], "gave_up")));
    INFO(show("fulfilment_rate", of(r[0], "fulfilment_rate"), of(r[1], "fulfilment_rate")));
    CHECK(below(of(r[0], "fulfilment_rate"), of(r[1], "fulfilment_rate")));
}

TEST_CASE("Rollout adds sub-platforms that bring the backbone's instruments nearer: travel falls", "[simulation][sensitivity]") {
    Designed d;
    d.instruments(1, 1, 1).instruments(3, 2, 4);   // K2 only at backbone P3, 70 minutes from Z1
    City c(d);
    auto rollout = base("rollout", SharingMode::network);
    rollout.rollout_sub_platforms = 1;
    const auto r = c.db.simulate({base("network", SharingMode::network), rollout});
    CHECK(of(r[0], "sub_platforms_added").mean == 0);
    CHECK(of(r[1], "sub_platforms_added").mean == 1);
    INFO(show("mean_travel_minutes", of(r[1], "mean_travel_minutes"), of(r[0], "mean_travel_minutes")));
    CHECK(below(of(r[1], "mean_travel_minutes"), of(r[0], "mean_travel_minutes")));
    // The sub-platform is a home platform of Z1: what it serves needs no referral.
    CHECK(below(of(r[0], "served_home"), of(r[1], "served_home")));
}

TEST_CASE("Load-balanced routing spreads the use of equal instruments", "[simulation][sensitivity]") {
    Designed d;
    d.instruments(1, 1, 5);
    City c(d);
    auto earliest = base("earliest", SharingMode::network);
    earliest.hours_per_instrument = 500;
    auto balanced = earliest;
    balanced.name = "load-balanced";
    balanced.policy.objective = RouteObjective::weighted;
    const auto r = c.db.simulate({earliest, balanced});
    INFO(show("utilisation_spread", of(r[1], "utilisation_spread"), of(r[0], "utilisation_spread")));
    CHECK(below(of(r[1], "utilisation_spread"), of(r[0], "utilisation_spread")));
}

TEST_CASE("Without vouchers the firms whose budget is below the full price stop booking", "[simulation][sensitivity]") {
    Designed d;
    d.instruments(1, 1, 3, 800'000);   // 100 yuan an hour for members; the voucher pays 60 % for a small firm
    City c(d);
    auto vouchers = base("vouchers", SharingMode::network);
    vouchers.budget_yuan_per_hour = {70, 70, 70, 0};
    auto none = vouchers;
    none.name = "no-vouchers";
    none.vouchers = false;
    const auto r = c.db.simulate({vouchers, none});
    INFO(show("served_over_budget", of(r[1], "served_over_budget"), of(r[0], "served_over_budget")));
    CHECK(of(r[1], "served_over_budget").mean == 0);
    CHECK(below(of(r[1], "served_over_budget"), of(r[0], "served_over_budget")));
    INFO(show("priced_out", of(r[0], "priced_out"), of(r[1], "priced_out")));
    CHECK(below(of(r[0], "priced_out"), of(r[1], "priced_out")));
    CHECK(below(of(r[1], "served"), of(r[0], "served")));
}

TEST_CASE("The joint review avoids purchases where idle instruments of the class are within reach", "[simulation][sensitivity]") {
    Designed d;
    d.instruments(1, 1, 1).instruments(2, 2, 3);   // Z1 lacks K2; P2's are 30 minutes away and idle
    City c(d);
    // Isolated, so Z1's K2 requests go unmet and P1 plans to buy; P2's instruments stay idle.
    auto review = base("review", SharingMode::isolated);
    review.planned_purchases = 1;
    auto buy = review;
    buy.name = "no-review";
    buy.joint_review = false;
    const auto r = c.db.simulate({review, buy});
    CHECK(of(r[0], "purchases_planned").mean == 1);
    CHECK(of(r[1], "purchases_planned").mean == 1);
    CHECK(of(r[0], "purchases_avoided").mean == 1);
    CHECK(of(r[1], "purchases_avoided").mean == 0);
    CHECK(below(of(r[1], "purchases_avoided"), of(r[0], "purchases_avoided")));
    CHECK(of(r[0], "purchase_value_avoided_yuan").mean > 0);
}
