// Graph queries on a hand-built network whose shortest paths are known: the sub-platform tree,
// alliances, service areas, equipment within N minutes, coverage, duplications, Graphviz output.
#include <catch2/catch.hpp>

#include <limits>
#include <string>
#include <vector>

#include "fixtures.hpp"
#include "psp/database.hpp"

using namespace psp;
using namespace psp::test;

namespace {

const Actor office = Actor::office();

// Districts and travel minutes (undirected):
//
//      Anji --10-- Baima --15-- Cangqian        Dongzhou (no roads)   Fenghuang (no roads)
//        \ \______________40_______/
//         \--60-- Erqiao
//
// Zones: ZA in Anji, ZC in Cangqian, ZD in Dongzhou, ZF in Fenghuang.
// Platforms (site; services; which zones they serve, minutes):
//   p1 Alpha backbone   Anji      tech  {rd, sharing}        ZA 2     backbone
//   p2 Alpha sub        Cangqian  tech  {rd, sharing}        ZC 4     sub-platform of p1
//   p3 Echo quality     Erqiao    qual  {quality, sharing}   ZA 12    (shorter than Anji-Erqiao 60)
//   p4 Delta tech       Dongzhou  tech  {rd, marketing}      ZA 35    suspended
//   p5 Bravo finance    Baima     fin   {financing}          ZA 10    backbone
//   p6 Alpha "second"   Anji      tech  {rd}                 ZA 3
// Spectrometers (class k1), by id: 1 at p1; 2 at p2; 3 at p3; 5 at p4; 7 owned by p1 but sited in
// Baima; 9 at p5. Lathe (k2): 10 at p2. k3 has no equipment.
struct Hand {
    DistrictId anji, baima, cangqian, dongzhou, erqiao, fenghuang;
    ZoneId za, zc, zd, zf;
    PlatformId p1, p2, p3, p4, p5, p6;
    AllianceId alpha, bravo;
    EquipmentClassId k1, k2, k3;
};

Hand build_hand(Database& db) {
    Hand h;
    h.anji = db.add(office, District{{}, "Anji", 0, 0});
    h.baima = db.add(office, District{{}, "Baima", 10, 0});
    h.cangqian = db.add(office, District{{}, "Cangqian", 25, 0});
    h.dongzhou = db.add(office, District{{}, "Dongzhou", 0, 50});
    h.erqiao = db.add(office, District{{}, "Erqiao", -40, 0});
    h.fenghuang = db.add(office, District{{}, "Fenghuang island", 90, 90});
    db.set_travel(office, {h.anji, h.baima, 10});
    db.set_travel(office, {h.cangqian, h.baima, 15});
    db.set_travel(office, {h.anji, h.cangqian, 40});
    db.set_travel(office, {h.anji, h.erqiao, 60});
    h.za = db.add(office, Zone{{}, "Anji CBD", h.anji, ZoneType::central_business});
    h.zc = db.add(office, Zone{{}, "Cangqian science park", h.cangqian, ZoneType::tech_innovation});
    h.zd = db.add(office, Zone{{}, "Dongzhou logistics", h.dongzhou, ZoneType::logistics});
    h.zf = db.add(office, Zone{{}, "Island resort", h.fenghuang, ZoneType::tourism_leisure});

    using K = ServiceKind;
    h.p1 = db.add(office, make_platform("Alpha backbone", PlatformTier::municipal, PlatformField::technology_support,
                                        {K::technology_rd, K::equipment_sharing}, true, {}, h.anji));
    h.p2 = db.add(office, make_platform("Alpha sub", PlatformTier::district, PlatformField::technology_support,
                                        {K::technology_rd, K::equipment_sharing}, false, h.p1, h.cangqian));
    h.p3 = db.add(office, make_platform("Echo quality", PlatformTier::provincial, PlatformField::quality_testing,
                                        {K::quality_testing, K::equipment_sharing}, false, {}, h.erqiao));
    h.p4 = db.add(office, make_platform("Delta tech", PlatformTier::district, PlatformField::technology_support,
                                        {K::technology_rd, K::marketing}, false, {}, h.dongzhou, PlatformStatus::suspended));
    h.p5 = db.add(office, make_platform("Bravo finance", PlatformTier::municipal, PlatformField::investment_financing,
                                        {K::financing_guarantee}, true, {}, h.baima));
    h.p6 = db.add(office, make_platform("Alpha \"second\" lab", PlatformTier::district, PlatformField::technology_support,
                                        {K::technology_rd}, false, {}, h.anji));
    db.set_zone_service(office, {h.p1, h.za, 2});
    db.set_zone_service(office, {h.p2, h.zc, 4});
    db.set_zone_service(office, {h.p3, h.za, 12});
    db.set_zone_service(office, {h.p4, h.za, 35});
    db.set_zone_service(office, {h.p5, h.za, 10});
    db.set_zone_service(office, {h.p6, h.za, 3});
    db.add_link(office, {h.p2, h.p3, LinkKind::higher_tier});

    h.alpha = db.add(office, Alliance{{}, "Alpha alliance", AllianceScope::regional, AllianceSector::industry,
                                      AllianceBreadth::specialised, h.p1,
                                      {{h.p1, MemberRole::lead}, {h.p3, MemberRole::core}, {h.p2, MemberRole::member}}, false});
    h.bravo = db.add(office, Alliance{{}, "Bravo alliance", AllianceScope::cross_regional, AllianceSector::cross_industry,
                                      AllianceBreadth::comprehensive, h.p5,
                                      {{h.p5, MemberRole::lead}, {h.p1, MemberRole::member}}, true});

    h.k1 = db.add(office, EquipmentClass{{}, "Spectrometer", "analysis"});
    h.k2 = db.add(office, EquipmentClass{{}, "Lathe", "fabrication"});
    h.k3 = db.add(office, EquipmentClass{{}, "Unused class", ""});
    // Added out of id order, so that ties ordered by id are not simply insertion order.
    db.add(office, Equipment{EquipmentId(9), "Spec-B-bravo", h.k1, h.p5, 1, h.baima, 0});
    db.add(office, Equipment{EquipmentId(7), "Spec-B-alpha", h.k1, h.p1, 1, h.baima, 0});
    db.add(office, Equipment{EquipmentId(1), "Spec-A", h.k1, h.p1, 1, h.anji, 0});
    db.add(office, Equipment{EquipmentId(2), "Spec-C", h.k1, h.p2, 1, h.cangqian, 0});
    db.add(office, Equipment{EquipmentId(3), "Spec-E", h.k1, h.p3, 1, h.erqiao, 0});
    db.add(office, Equipment{EquipmentId(5), "Spec-D", h.k1, h.p4, 1, h.dongzhou, 0});
    db.add(office, Equipment{EquipmentId(10), "Lathe-C", h.k2, h.p2, 1, h.cangqian, 0});
    return h;
}

using Reach = std::vector<ReachableEquipment>;
ReachableEquipment at(std::int64_t equipment, PlatformId owner, int minutes) {
    return {EquipmentId(equipment), owner, minutes};
}

}  // namespace

TEST_CASE("sub-platforms, alliances, members and service areas", "[graph]") {
    auto db = Database::open(":memory:");
    const auto h = build_hand(db);

    SECTION("sub_platforms lists direct children in id order") {
        CHECK(db.sub_platforms(h.p1) == std::vector<PlatformId>{h.p2});
        CHECK(db.sub_platforms(h.p5).empty());
        CHECK(db.sub_platforms(h.p6).empty());   // not a backbone
        const auto mid = db.add(office, make_platform("Alpha mid", PlatformTier::district, PlatformField::technology_support,
                                                      {}, true, h.p1, h.baima));
        const auto leaf = db.add(office, make_platform("Alpha leaf", PlatformTier::district, PlatformField::technology_support,
                                                       {}, false, mid, h.baima));
        CHECK(db.sub_platforms(h.p1) == std::vector<PlatformId>{h.p2, mid});   // not the grandchild
        CHECK(db.sub_platforms(mid) == std::vector<PlatformId>{leaf});
        auto moved = db.get(h.p2);
        moved.parent = h.p5;
        db.update(office, moved);
        CHECK(db.sub_platforms(h.p1) == std::vector<PlatformId>{mid});
        CHECK(db.sub_platforms(h.p5) == std::vector<PlatformId>{h.p2});
    }
    SECTION("alliances_of and members") {
        CHECK(db.alliances_of(h.p1) == std::vector<AllianceId>{h.alpha, h.bravo});
        CHECK(db.alliances_of(h.p3) == std::vector<AllianceId>{h.alpha});
        CHECK(db.alliances_of(h.p5) == std::vector<AllianceId>{h.bravo});
        CHECK(db.alliances_of(h.p6).empty());
        CHECK(db.members(h.alpha) == std::vector<AllianceMember>{
                                         {h.p1, MemberRole::lead}, {h.p3, MemberRole::core}, {h.p2, MemberRole::member}});
        CHECK(db.members(h.bravo) == std::vector<AllianceMember>{{h.p5, MemberRole::lead}, {h.p1, MemberRole::member}});
        db.remove(office, h.alpha);
        CHECK(db.alliances_of(h.p1) == std::vector<AllianceId>{h.bravo});
        CHECK(db.alliances_of(h.p3).empty());
    }
    SECTION("platforms_serving, whatever their status") {
        CHECK(db.platforms_serving(h.za) == std::vector<PlatformId>{h.p1, h.p3, h.p4, h.p5, h.p6});
        CHECK(db.platforms_serving(h.zc) == std::vector<PlatformId>{h.p2});
        CHECK(db.platforms_serving(h.zd).empty());
        db.set_zone_service(office, {h.p6, h.zc, 30});
        CHECK(db.platforms_serving(h.zc) == std::vector<PlatformId>{h.p2, h.p6});
        db.remove_zone_service(office, h.p2, h.zc);
        CHECK(db.platforms_serving(h.zc) == std::vector<PlatformId>{h.p6});
    }
    SECTION("counts") {
        const auto c = db.counts();
        CHECK(c.districts == 6);
        CHECK(c.zones == 4);
        CHECK(c.platforms == 6);
        CHECK(c.backbones == 2);
        CHECK(c.sub_platforms == 1);
        CHECK(c.alliances == 2);
        CHECK(c.equipment_classes == 3);
        CHECK(c.equipment == 7);
        CHECK(c.enterprises == 0);
        CHECK(c.travel == 4);
        CHECK(c.zone_services == 6);
        CHECK(c.links == 1);
    }
    SECTION("unknown ids") {
        CHECK_THROWS_MATCHES(db.sub_platforms(PlatformId(99)), Error, IsError(ErrorCode::not_found, {"no platform with id 99"}));
        CHECK_THROWS_MATCHES(db.alliances_of(PlatformId(99)), Error, IsError(ErrorCode::not_found, {"no platform with id 99"}));
        CHECK_THROWS_MATCHES(db.platforms_serving(ZoneId(99)), Error, IsError(ErrorCode::not_found, {"no zone with id 99"}));
        CHECK_THROWS_MATCHES(db.members(AllianceId(99)), Error, IsError(ErrorCode::not_found, {"no alliance with id 99"}));
    }
}

TEST_CASE("equipment within N minutes follows shortest paths", "[graph]") {
    auto db = Database::open(":memory:");
    const auto h = build_hand(db);

    // Reaching a district seat from a zone or platform takes psp::district_access_minutes (15).
    static_assert(district_access_minutes == 15);
    SECTION("from Anji CBD") {
        // 2: p1's service area. 10: p5's service area. 12: p3's, not seat-road-seat to Erqiao (90).
        // 25: Spec-B-alpha stands at Baima's seat, away from its owner: 15 to Anji's seat + 10, or
        // p5's 10 + 15. 35: p4's service area. 55: Anji-Baima-Cangqian seats, not the 40-minute road.
        const Reach all{at(1, h.p1, 2), at(9, h.p5, 10), at(3, h.p3, 12), at(7, h.p1, 25), at(5, h.p4, 35), at(2, h.p2, 55)};
        CHECK(db.equipment_within(h.za, h.k1, 1000) == all);
        CHECK(db.equipment_within(h.za, h.k1, 55) == all);   // the bound is inclusive
        CHECK(db.equipment_within(h.za, h.k1, 54) == Reach(all.begin(), all.end() - 1));
        CHECK(db.equipment_within(h.za, h.k1, 35) == Reach(all.begin(), all.end() - 1));
        CHECK(db.equipment_within(h.za, h.k1, 34) == Reach(all.begin(), all.end() - 2));
        CHECK(db.equipment_within(h.za, h.k1, 12) == Reach(all.begin(), all.begin() + 3));
        CHECK(db.equipment_within(h.za, h.k1, 11) == Reach(all.begin(), all.begin() + 2));
        CHECK(db.equipment_within(h.za, h.k1, 2) == Reach{at(1, h.p1, 2)});
        CHECK(db.equipment_within(h.za, h.k1, 1).empty());
    }
    SECTION("from Cangqian science park") {
        // 4: p2's service area. 30: Baima's seat (15 + 15). 45: p5 beyond it. 55: Anji over two
        // roads (not the direct 40) and a leg. 67: then p3's service area from Anji CBD (service
        // areas are travel both ways). 90: then p4's.
        const Reach all{at(2, h.p2, 4), at(7, h.p1, 30), at(9, h.p5, 45), at(1, h.p1, 55), at(3, h.p3, 67), at(5, h.p4, 90)};
        CHECK(db.equipment_within(h.zc, h.k1, 90) == all);
        CHECK(db.equipment_within(h.zc, h.k1, 55) == Reach(all.begin(), all.begin() + 4));
        CHECK(db.equipment_within(h.zc, h.k2, 4) == Reach{at(10, h.p2, 4)});
        CHECK(db.equipment_within(h.zc, h.k2, 3).empty());
    }
    SECTION("a district reached only through a service area") {
        // Dongzhou's seat, then p4 (15 + 15), then p4's service area into Anji CBD and p1's.
        CHECK(db.equipment_within(h.zd, h.k1, 66) == Reach{at(5, h.p4, 30)});
        CHECK(db.equipment_within(h.zd, h.k1, 67) == Reach{at(5, h.p4, 30), at(1, h.p1, 67)});
    }
    SECTION("class filter, empty classes, unreachable equipment") {
        CHECK(db.equipment_within(h.za, h.k2, 1000) == Reach{at(10, h.p2, 55)});
        CHECK(db.equipment_within(h.za, h.k2, 54).empty());
        CHECK(db.equipment_within(h.za, h.k3, 1000).empty());
        CHECK(db.equipment_within(h.zf, h.k1, 100000).empty());   // nothing reaches the island
    }
    SECTION("answers follow changes to the network") {
        db.set_travel(office, {h.anji, h.baima, 1});
        // Baima's seat is 15 + 1 minutes away now; p5 keeps its 10-minute service area.
        CHECK(db.equipment_within(h.za, h.k1, 16) == Reach{at(1, h.p1, 2), at(9, h.p5, 10), at(3, h.p3, 12), at(7, h.p1, 16)});
        db.set_zone_service(office, {h.p5, h.za, 0});
        CHECK(db.equipment_within(h.za, h.k1, 15) == Reach{at(9, h.p5, 0), at(1, h.p1, 2), at(3, h.p3, 12), at(7, h.p1, 15)});
        db.remove_zone_service(office, h.p3, h.za);
        const auto far = db.equipment_within(h.za, h.k1, 1000);
        REQUIRE(far.size() == 6);
        CHECK(far.back() == at(3, h.p3, 90));   // now only the road to Erqiao, with a leg at each end
        db.remove(office, EquipmentId(3));
        CHECK(db.equipment_within(h.za, h.k1, 1000).size() == 5);
    }
    SECTION("bad arguments") {
        CHECK_THROWS_MATCHES(db.equipment_within(ZoneId(99), h.k1, 10), Error, IsError(ErrorCode::not_found, {"no zone with id 99"}));
        CHECK_THROWS_MATCHES(db.equipment_within(h.za, EquipmentClassId(99), 10), Error,
                             IsError(ErrorCode::not_found, {"equipment", "with id 99"}));
        CHECK_THROWS_MATCHES(db.equipment_within(h.za, h.k1, -1), Error,
                             IsError(ErrorCode::invalid, {"max_minutes", "must be >= 0, got -1"}));
    }
}

TEST_CASE("unreachable equipment is never listed, whatever the bound", "[graph]") {
    // Suspected bug (src/graph/network_graph.cpp, NetworkGraph::equipment_within): unreachable
    // vertices keep the distance INT_MAX, and "d <= max_minutes" lets them through when max_minutes is
    // INT_MAX, reported at INT_MAX minutes.
    auto db = Database::open(":memory:");
    const auto h = build_hand(db);
    CHECK(db.equipment_within(h.zf, h.k1, std::numeric_limits<int>::max()).empty());
}

TEST_CASE("the coverage matrix counts operating platforms only", "[graph]") {
    auto db = Database::open(":memory:");
    const auto h = build_hand(db);
    using K = ServiceKind;

    auto m = db.coverage();
    REQUIRE(m.zones == std::vector<ZoneId>{h.za, h.zc, h.zd, h.zf});
    REQUIRE(m.counts.size() == 4);
    CHECK(m.count(0, K::technology_rd) == 2);        // p1, p6 (p4 is suspended)
    CHECK(m.count(0, K::equipment_sharing) == 2);    // p1, p3
    CHECK(m.count(0, K::quality_testing) == 1);
    CHECK(m.count(0, K::financing_guarantee) == 1);
    CHECK(m.count(0, K::marketing) == 0);            // only p4 offers it
    CHECK(m.count(1, K::technology_rd) == 1);
    CHECK(m.count(1, K::equipment_sharing) == 1);
    for (int k = 0; k < service_kind_count; ++k) {
        CHECK(m.count(2, static_cast<K>(k)) == 0);
        CHECK(m.count(3, static_cast<K>(k)) == 0);
    }

    SECTION("coverage gaps are the zero cells, zone by zone, kind by kind") {
        const auto gaps = db.coverage_gaps();
        CHECK(gaps.size() == 10 + 12 + 14 + 14);
        std::vector<CoverageGap> za;
        for (const auto& g : gaps) {
            if (g.zone == h.za) za.push_back(g);
        }
        CHECK(za == std::vector<CoverageGap>{{h.za, K::product_design},         {h.za, K::management_consulting},
                                             {h.za, K::marketing},              {h.za, K::skills_training},
                                             {h.za, K::information_consulting}, {h.za, K::startup_mentoring},
                                             {h.za, K::talent},                 {h.za, K::intellectual_property},
                                             {h.za, K::trade_dispute},          {h.za, K::administrative_approval}});
        CHECK(gaps.front() == CoverageGap{h.za, K::product_design});
        CHECK(gaps.back() == CoverageGap{h.zf, K::administrative_approval});
    }
    SECTION("a platform that starts operating is counted") {
        auto p = db.get(h.p4);
        p.status = PlatformStatus::operating;
        db.update(office, p);
        m = db.coverage();
        CHECK(m.count(0, K::technology_rd) == 3);
        CHECK(m.count(0, K::marketing) == 1);
        CHECK(db.coverage_gaps().size() == 9 + 12 + 14 + 14);
        for (auto status : {PlatformStatus::planned, PlatformStatus::closed}) {
            p.status = status;
            db.update(office, p);
            CHECK(db.coverage().count(0, K::marketing) == 0);
        }
    }
}

TEST_CASE("duplications: one field, one service, one zone, two or more operating platforms", "[graph]") {
    auto db = Database::open(":memory:");
    const auto h = build_hand(db);
    using K = ServiceKind;

    // p1 and p3 both offer equipment sharing to Anji CBD, but in different fields: not a duplication.
    CHECK(db.duplications() == std::vector<Duplication>{{h.za, PlatformField::technology_support, K::technology_rd, {h.p1, h.p6}}});

    SECTION("a suspended platform is not counted until it operates") {
        auto p = db.get(h.p4);
        p.status = PlatformStatus::operating;
        db.update(office, p);
        CHECK(db.duplications() ==
              std::vector<Duplication>{{h.za, PlatformField::technology_support, K::technology_rd, {h.p1, h.p4, h.p6}}});
    }
    SECTION("several groups are listed by zone, then field, then service kind") {
        const auto p7 = db.add(office, make_platform("Echo second", PlatformTier::district, PlatformField::quality_testing,
                                                     {K::quality_testing, K::equipment_sharing}, false, {}, h.cangqian));
        db.set_zone_service(office, {p7, h.za, 20});
        db.set_zone_service(office, {p7, h.zc, 1});
        db.set_zone_service(office, {h.p6, h.zc, 20});
        CHECK(db.duplications() ==
              std::vector<Duplication>{{h.za, PlatformField::technology_support, K::technology_rd, {h.p1, h.p6}},
                                       {h.za, PlatformField::quality_testing, K::equipment_sharing, {h.p3, p7}},
                                       {h.za, PlatformField::quality_testing, K::quality_testing, {h.p3, p7}},
                                       {h.zc, PlatformField::technology_support, K::technology_rd, {h.p2, h.p6}}});
    }
    SECTION("one platform serving two zones is no duplication") {
        db.set_zone_service(office, {h.p3, h.zc, 5});
        CHECK(db.duplications().size() == 1);
    }
    SECTION("removing a service area removes the duplication") {
        db.remove_zone_service(office, h.p6, h.za);
        CHECK(db.duplications().empty());
    }
}

TEST_CASE("to_graphviz draws places, platforms and alliances by name", "[graph]") {
    auto db = Database::open(":memory:");
    build_hand(db);
    const auto dot = db.to_graphviz();
    CHECK(dot.rfind("digraph", 0) == 0);
    CHECK(dot.find('}') != std::string::npos);
    for (const char* name : {"Anji", "Baima", "Fenghuang island", "Anji CBD", "Island resort", "Alpha backbone",
                             "Alpha sub", "Echo quality", "Delta tech", "Bravo finance", "Alpha alliance", "Bravo alliance"}) {
        INFO(name);
        CHECK(dot.find(std::string("\"") + name + "\"") != std::string::npos);
    }
    CHECK(dot.find(R"("Alpha \"second\" lab")") != std::string::npos);   // quotes escaped
    CHECK(dot.find("Spec-A") == std::string::npos);                      // equipment is not drawn
    CHECK(dot.find("shape=doubleoctagon") != std::string::npos);         // backbones stand out

    auto empty = Database::open(":memory:");
    CHECK(empty.to_graphviz().rfind("digraph", 0) == 0);
}
