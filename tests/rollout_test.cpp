// Rolling the network out: the joint review of a major purchase (§2.3) and the greedy plan of a
// backbone's new sub-platforms (§3.2).
#include <catch2/catch.hpp>

#include <algorithm>

#include "fixtures.hpp"
#include "psp/database.hpp"

using namespace psp;
using namespace psp::test;

namespace {

constexpr Time monday_cst = 1740931200;   // 2025-03-03 00:00 Asia/Shanghai
const Actor office = Actor::office();

struct World {
    TempFile file{"rollout"};
    ManualClock clock;
    Database db = open();
    SmallNetwork n = build_small_network(db);
    World() { clock.set(monday_cst); }
    Database open() { return Database::open(file.str(), clock.options()); }
    PurchaseProposal sem_in_z2(int hours) const { return {n.tech_sub, n.sem, n.z2, 150'000'000, hours, "a second SEM"}; }
};

}  // namespace

TEST_CASE("§2.3 joint review: idle instruments within reach are shared instead of bought", "[rollout][review]") {
    World w;
    const auto op = Actor::operator_of(w.n.tech_sub);
    const auto journal_before = w.db.journal().size();
    const auto r = w.db.review_purchase(op, w.sem_in_z2(800));
    CHECK(r.decision == ReviewDecision::share_existing);
    CHECK(r.rule == "share_existing");
    REQUIRE(r.candidates.size() == 2);   // sem2 in Binjiang, sem1 20 minutes away
    CHECK(r.candidates.front().equipment == w.n.sem2);
    CHECK(r.candidates.front().travel_minutes <= r.candidates.back().travel_minutes);
    CHECK(r.candidates.front().utilisation_bp == 0);
    CHECK(r.free_hours_nearby > 800);
    CHECK_THAT(r.reason, Catch::Contains("free h a year"));
    // Journaled with its figures.
    const auto j = w.db.journal();
    REQUIRE(j.size() == journal_before + 1);
    CHECK(j.back().entity == EntityKind::purchase_review);
    CHECK(j.back().action == "review");
    CHECK_THAT(j.back().details, Catch::Contains("\"decision\":\"share_existing\""));
}

TEST_CASE("§2.3 joint review: busy or missing instruments approve, too little use rejects", "[rollout][review]") {
    World w;
    const auto op = Actor::operator_of(w.n.tech_sub);
    // More use expected than the neighbours have free.
    auto r = w.db.review_purchase(op, w.sem_in_z2(100'000));
    CHECK(r.decision == ReviewDecision::approve);
    CHECK(r.rule == "nearby_capacity_short");
    // Every neighbour counted as busy.
    ReviewThresholds strict;
    strict.busy_utilisation_bp = 0;
    r = w.db.review_purchase(op, w.sem_in_z2(800), strict);
    CHECK(r.decision == ReviewDecision::approve);
    CHECK(r.free_hours_nearby == 0);
    // No instrument of the class at all.
    const auto nmr = w.db.add(office, EquipmentClass{{}, "NMR", "analysis"});
    r = w.db.review_purchase(op, {w.n.tech_sub, nmr, w.n.z2, 300'000'000, 900, ""});
    CHECK(r.decision == ReviewDecision::approve);
    CHECK(r.rule == "none_within_reach");
    CHECK(r.candidates.empty());
    // Too little use to justify any purchase.
    r = w.db.review_purchase(op, w.sem_in_z2(120));
    CHECK(r.decision == ReviewDecision::reject);
    CHECK(r.rule == "too_little_use");
    CHECK_THAT(r.reason, Catch::Contains("120 h"));
}

TEST_CASE("§2.3 joint review: bad proposals are errors and journal nothing", "[rollout][review]") {
    World w;
    const auto op = Actor::operator_of(w.n.tech_sub);
    auto p = w.sem_in_z2(800);
    p.purchase_value = -1;
    PSP_CHECK_REFUSED(w.db, w.db.review_purchase(op, p), IsError(ErrorCode::invalid, {"purchase_value"}));
    p = w.sem_in_z2(-5);
    PSP_CHECK_REFUSED(w.db, w.db.review_purchase(op, p), IsError(ErrorCode::invalid, {"expected_hours_per_year"}));
    p = w.sem_in_z2(800);
    p.equipment_class = EquipmentClassId(999);
    PSP_CHECK_REFUSED(w.db, w.db.review_purchase(op, p), IsError(ErrorCode::not_found));
    ReviewThresholds t;
    t.busy_utilisation_bp = 12000;
    PSP_CHECK_REFUSED(w.db, w.db.review_purchase(op, w.sem_in_z2(800), t), IsError(ErrorCode::invalid, {"busy_utilisation_bp"}));
    // Another platform's operator cannot file the tech sub-platform's proposal.
    PSP_CHECK_REFUSED(w.db, w.db.review_purchase(Actor::operator_of(w.n.quality), w.sem_in_z2(800)),
                      IsError(ErrorCode::permission));
}

TEST_CASE("§3.2 sub-platform rollout: greedy sites cover the most unmet demand, phase by phase", "[rollout][plan]") {
    World w;
    // A third zone in Xiaoshan: 15 minutes from Binjiang (tech_sub), 50 from Shangcheng (tech).
    const auto z3 = w.db.add(office, Zone{{}, "Xiaoshan airport", w.n.d3, ZoneType::logistics});
    RolloutRequest q;
    q.backbone = w.n.tech;
    q.sub_platforms = 2;
    q.phases = 2;
    q.max_travel_minutes = 10;
    q.demand = {{w.n.z1, 40}, {w.n.z2, 25}, {z3, 30}};
    const auto plan = w.db.plan_rollout(q);
    CHECK(plan.total_demand == 95);
    CHECK(plan.covered_initially == 65);   // z1 by tech, z2 by tech_sub; z3 is 15 minutes away
    REQUIRE(plan.phases.size() == 2);
    REQUIRE(plan.phases[0].sites.size() == 1);
    CHECK(plan.phases[0].sites[0].zone == z3);
    CHECK(plan.phases[0].sites[0].district == w.n.d3);
    CHECK(plan.phases[0].sites[0].gain == 30);
    CHECK(plan.phases[0].covered_before == 65);
    CHECK(plan.phases[0].covered_after == 95);
    CHECK(plan.phases[1].sites[0].gain == 0);   // nothing left to cover: the lowest zone id
    CHECK(plan.phases[1].covered_after == 95);
    CHECK_THAT(plan.bound, Catch::Contains("63.2 %"));
    // A wider travel bound: tech_sub already reaches Xiaoshan (a leg to Binjiang's seat, the
    // 15-minute road, a leg to the zone: psp::district_access_minutes each).
    q.max_travel_minutes = 15 + 2 * district_access_minutes;
    CHECK(w.db.plan_rollout(q).covered_initially == 95);
}

TEST_CASE("§3.2 sub-platform rollout: requests nothing could serve are unmet demand where the enterprise is", "[rollout][plan]") {
    World w;
    const auto z3 = w.db.add(office, Zone{{}, "Xiaoshan airport", w.n.d3, ZoneType::logistics});
    const auto firm = w.db.add(office, Enterprise{{}, "Airport logistics", z3, EnterpriseSize::small, "logistics"});
    ServiceRequest q;
    q.enterprise = firm;
    q.kind = ServiceKind::intellectual_property;   // the IP office is only planned: nobody serves it
    q.window = {monday_cst + 86400, monday_cst + 3 * 86400};
    for (int i = 0; i < 3; ++i) {
        const auto f = w.db.fulfil(office, q);
        CHECK_FALSE(f);
        CHECK(f.unmet == UnmetRequestId(i + 1));
    }
    REQUIRE(w.db.unmet_requests({monday_cst - 86400, monday_cst + 86400}).size() == 3);
    RolloutRequest r;
    r.backbone = w.n.tech;
    r.max_travel_minutes = 10;
    const auto plan = w.db.plan_rollout(r);
    CHECK(plan.total_demand == 3);
    CHECK(plan.covered_initially == 0);
    REQUIRE(plan.phases.size() == 1);
    CHECK(plan.phases[0].sites[0].zone == z3);
    CHECK(plan.phases[0].covered_after == 3);
    // The unmet requests are stored: a reopened database plans the same.
    auto again = w.open();
    CHECK(again.unmet_requests({monday_cst - 86400, monday_cst + 86400}) == w.db.unmet_requests({monday_cst - 86400, monday_cst + 86400}));
    CHECK(again.plan_rollout(r) == plan);
}

TEST_CASE("§3.2 sub-platform rollout: bad requests are errors", "[rollout][plan]") {
    World w;
    RolloutRequest q;
    q.backbone = w.n.tech;
    q.sub_platforms = 3;   // the network has two zones
    CHECK_THROWS_MATCHES(w.db.plan_rollout(q), Error, IsError(ErrorCode::invalid, {"more than the 2 candidate sites"}));
    q.sub_platforms = 1;
    q.phases = 2;
    CHECK_THROWS_MATCHES(w.db.plan_rollout(q), Error, IsError(ErrorCode::invalid, {"phases"}));
    q.phases = 1;
    q.backbone = w.n.tech_sub;
    CHECK_THROWS_MATCHES(w.db.plan_rollout(q), Error, IsError(ErrorCode::invalid, {"not a backbone"}));
    q.backbone = w.n.tech;
    q.demand = {{w.n.z1, -1}};
    CHECK_THROWS_MATCHES(w.db.plan_rollout(q), Error, IsError(ErrorCode::invalid, {"demand[0]"}));
    q.demand = {{ZoneId(99), 1}};
    CHECK_THROWS_MATCHES(w.db.plan_rollout(q), Error, IsError(ErrorCode::not_found));
    // No demand recorded yet: an empty plan, not an error.
    q.demand.clear();
    const auto plan = w.db.plan_rollout(q);
    CHECK(plan.total_demand == 0);
    REQUIRE(plan.phases.size() == 1);
    CHECK(plan.phases[0].sites.size() == 1);
}
