// End-to-end smoke test: a small network through add, queries, reopen and JSON round trip.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>

#include "psp/psp.hpp"

using namespace psp;

TEST_CASE("a small network survives a reopen and a JSON round trip", "[smoke]") {
    const auto path = std::filesystem::temp_directory_path() / "psp_smoke_test.psp";
    std::filesystem::remove(path);
    const auto office = Actor::office();
    Network saved;
    {
        auto db = Database::open(path.string());
        auto d1 = db.add(office, District{{}, "Shangcheng", 1, 2});
        auto d2 = db.add(office, District{{}, "Binjiang", 3, -4});
        db.set_travel(office, {d2, d1, 25});
        auto z = db.add(office, Zone{{}, "Hubin", d1, ZoneType::central_business});
        Platform bb{{}, "Tech backbone", PlatformTier::municipal, PlatformField::technology_support,
                    OperatorModel::university, {ServiceKind::technology_rd, ServiceKind::equipment_sharing},
                    true, {}, d1, PlatformStatus::operating};
        auto p1 = db.add(office, bb);
        Platform sub = bb;
        sub.name = "Tech sub";
        sub.backbone = false;
        sub.parent = p1;
        sub.site = d2;
        auto p2 = db.add(office, sub);
        db.set_zone_service(office, {p1, z, 5});
        db.set_zone_service(office, {p2, z, 30});
        db.add(office, Alliance{{}, "Tech alliance", AllianceScope::regional, AllianceSector::industry,
                                AllianceBreadth::specialised, p1, {{p1, MemberRole::lead}, {p2, MemberRole::member}}, true});
        auto cls = db.add(office, EquipmentClass{{}, "SEM", "analysis"});
        db.add(office, Equipment{{}, "SEM-1", cls, p1, 2, d1, 150000000});
        db.add(office, Equipment{{}, "SEM-2", cls, p2, 1, d2, 120000000});
        db.add(office, Enterprise{{}, "Acme", z, EnterpriseSize::micro, "software"});

        CHECK(db.sub_platforms(p1) == std::vector<PlatformId>{p2});
        CHECK(db.platforms_serving(z).size() == 2);
        auto reach = db.equipment_within(z, cls, 60);
        REQUIRE(reach.size() == 2);
        CHECK(reach[0].minutes == 5);    // p1's service area
        CHECK(reach[1].minutes == 30);   // p2's, shorter than a seat leg, the road and a leg (55)
        CHECK(db.equipment_within(z, cls, 10).size() == 1);
        CHECK(db.duplications().size() == 2);  // both tech platforms offer rd and sharing to the zone
        CHECK(db.coverage_gaps().size() == 12);
        CHECK(db.journal().size() == 13);
        saved = db.snapshot();
    }
    auto db = Database::open(path.string());
    CHECK(db.snapshot() == saved);
    CHECK(network_from_json(db.export_json()) == saved);
    auto mem = Database::open(":memory:");
    mem.import_json(office, db.export_json());
    CHECK(mem.snapshot() == saved);
    std::filesystem::remove(path);
}
