// The invariants and bad input of issue 2: every refused change has its own ErrorCode and a message
// that says what is wrong, and leaves memory, journal and file exactly as they were.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>

#include "fixtures.hpp"
#include "psp/database.hpp"

using namespace psp;
using namespace psp::test;

namespace {

const Actor office = Actor::office();

// A psp file holding the small network. It is built in memory and imported in one transaction:
// the file is what matters here, and one fsync is much faster than one per change.
SmallNetwork import_small_network(Database& db) {
    auto scratch = Database::open(":memory:");
    const auto n = build_small_network(scratch);
    db.import_network(office, scratch.snapshot());
    return n;
}

struct FileDb {
    TempFile file{"invariants"};
    Database db = Database::open(file.str());
    SmallNetwork n = import_small_network(db);
};

}  // namespace

TEST_CASE("the small network is valid and fully journaled", "[invariants]") {
    TempFile file("invariants_build");
    auto db = Database::open(file.str());
    build_small_network(db);
    CHECK(db.journal().size() == small_network_changes);
    CHECK(db.counts().platforms == 4);
    auto again = Database::open(file.str());
    CHECK(again.snapshot() == db.snapshot());
    FileDb f;
    CHECK(f.db.snapshot() == db.snapshot());
    CHECK(f.db.journal().size() == 1);
}

TEST_CASE("an unknown id in any reference field is not_found", "[invariants]") {
    FileDb f;
    auto& db = f.db;
    const auto& n = f.n;
    const DistrictId no_district(99);
    const ZoneId no_zone(98);
    const PlatformId no_platform(97);
    const EquipmentClassId no_class(96);

    SECTION("zone.district") {
        PSP_CHECK_REFUSED(db, db.add(office, Zone{{}, "Nowhere", no_district, ZoneType::finance}),
                          IsError(ErrorCode::not_found, {"zone 'Nowhere'", "district", "no district with id 99"}));
    }
    SECTION("zone.district on update") {
        auto z = db.get(n.z1);
        z.district = no_district;
        PSP_CHECK_REFUSED(db, db.update(office, z), IsError(ErrorCode::not_found, {"update", "no district with id 99"}));
    }
    SECTION("platform.site") {
        auto p = make_platform("Lost", PlatformTier::district, PlatformField::human_resources, {}, false, {}, no_district);
        PSP_CHECK_REFUSED(db, db.add(office, p), IsError(ErrorCode::not_found, {"platform 'Lost'", "site", "no district with id 99"}));
    }
    SECTION("platform.parent") {
        auto p = make_platform("Orphan", PlatformTier::district, PlatformField::human_resources, {}, false, no_platform, n.d1);
        PSP_CHECK_REFUSED(db, db.add(office, p), IsError(ErrorCode::not_found, {"parent", "no platform with id 97"}));
    }
    SECTION("alliance.lead") {
        Alliance a{{}, "Ghost alliance", AllianceScope::regional, AllianceSector::industry, AllianceBreadth::comprehensive,
                   no_platform, {{n.quality, MemberRole::member}}, false};
        PSP_CHECK_REFUSED(db, db.add(office, a), IsError(ErrorCode::not_found, {"lead", "no platform with id 97"}));
    }
    SECTION("alliance.members[i].platform") {
        Alliance a{{}, "Ghost members", AllianceScope::regional, AllianceSector::industry, AllianceBreadth::comprehensive,
                   n.quality, {{n.quality, MemberRole::lead}, {no_platform, MemberRole::member}}, false};
        PSP_CHECK_REFUSED(db, db.add(office, a), IsError(ErrorCode::not_found, {"members/1/platform", "no platform with id 97"}));
    }
    SECTION("equipment.equipment_class") {
        PSP_CHECK_REFUSED(db, db.add(office, Equipment{{}, "X-1", no_class, n.tech, 1, n.d1, 0}),
                          IsError(ErrorCode::not_found, {"equipment 'X-1'", "equipment_class", "no equipment class with id 96"}));
    }
    SECTION("equipment.owner") {
        PSP_CHECK_REFUSED(db, db.add(office, Equipment{{}, "X-1", n.sem, no_platform, 1, n.d1, 0}),
                          IsError(ErrorCode::not_found, {"owner", "no platform with id 97"}));
    }
    SECTION("equipment.site") {
        PSP_CHECK_REFUSED(db, db.add(office, Equipment{{}, "X-1", n.sem, n.tech, 1, no_district, 0}),
                          IsError(ErrorCode::not_found, {"site", "no district with id 99"}));
    }
    SECTION("enterprise.zone") {
        PSP_CHECK_REFUSED(db, db.add(office, Enterprise{{}, "Nobody", no_zone, EnterpriseSize::small, "retail"}),
                          IsError(ErrorCode::not_found, {"enterprise 'Nobody'", "zone", "no zone with id 98"}));
    }
    SECTION("travel.from and travel.to") {
        PSP_CHECK_REFUSED(db, db.set_travel(office, {no_district, n.d1, 5}),
                          IsError(ErrorCode::not_found, {"travel", "no district with id 99"}));
        PSP_CHECK_REFUSED(db, db.set_travel(office, {n.d1, no_district, 5}),
                          IsError(ErrorCode::not_found, {"travel", "no district with id 99"}));
    }
    SECTION("zone_service.platform and zone_service.zone") {
        PSP_CHECK_REFUSED(db, db.set_zone_service(office, {no_platform, n.z1, 5}),
                          IsError(ErrorCode::not_found, {"zone service", "platform", "no platform with id 97"}));
        PSP_CHECK_REFUSED(db, db.set_zone_service(office, {n.tech, no_zone, 5}),
                          IsError(ErrorCode::not_found, {"zone service", "zone", "no zone with id 98"}));
    }
    SECTION("link.from and link.to") {
        PSP_CHECK_REFUSED(db, db.add_link(office, {no_platform, n.quality, LinkKind::cooperation}),
                          IsError(ErrorCode::not_found, {"link", "from", "no platform with id 97"}));
        PSP_CHECK_REFUSED(db, db.add_link(office, {n.tech, no_platform, LinkKind::cooperation}),
                          IsError(ErrorCode::not_found, {"link", "to", "no platform with id 97"}));
    }
    SECTION("update, remove and get of an unknown entity") {
        PSP_CHECK_REFUSED(db, db.update(office, District{no_district, "Ghost", 0, 0}),
                          IsError(ErrorCode::not_found, {"no district with id 99"}));
        PSP_CHECK_REFUSED(db, db.update(office, Enterprise{EnterpriseId(55), "Ghost", n.z1, EnterpriseSize::small, ""}),
                          IsError(ErrorCode::not_found, {"no enterprise with id 55"}));
        PSP_CHECK_REFUSED(db, db.remove(office, no_platform), IsError(ErrorCode::not_found, {"no platform with id 97"}));
        PSP_CHECK_REFUSED(db, db.remove(office, AllianceId(5)), IsError(ErrorCode::not_found, {"no alliance with id 5"}));
        PSP_CHECK_REFUSED(db, db.remove(office, EquipmentId(50)), IsError(ErrorCode::not_found, {"no equipment with id 50"}));
        CHECK_THROWS_MATCHES(db.get(no_zone), Error, IsError(ErrorCode::not_found, {"no zone with id 98"}));
        CHECK_THROWS_MATCHES(db.get(no_class), Error, IsError(ErrorCode::not_found, {"equipment", "with id 96"}));
        CHECK_FALSE(db.contains(no_platform));
        CHECK(db.contains(n.tech));
    }
    SECTION("removing a relation that does not exist") {
        PSP_CHECK_REFUSED(db, db.remove_travel(office, n.d1, DistrictId(77)),
                          IsError(ErrorCode::not_found, {"no travel time between districts 1 and 77"}));
        PSP_CHECK_REFUSED(db, db.remove_zone_service(office, n.tech, n.z2),
                          IsError(ErrorCode::not_found, {"does not serve zone"}));
        PSP_CHECK_REFUSED(db, db.remove_link(office, n.quality, n.tech),
                          IsError(ErrorCode::not_found, {"no link from platform"}));
    }
    SECTION("queries about an unknown entity") {
        CHECK_THROWS_MATCHES(db.sub_platforms(no_platform), Error, IsError(ErrorCode::not_found, {"97"}));
        CHECK_THROWS_MATCHES(db.alliances_of(no_platform), Error, IsError(ErrorCode::not_found, {"97"}));
        CHECK_THROWS_MATCHES(db.platforms_serving(no_zone), Error, IsError(ErrorCode::not_found, {"98"}));
        CHECK_THROWS_MATCHES(db.members(AllianceId(9)), Error, IsError(ErrorCode::not_found, {"no alliance with id 9"}));
    }
}

TEST_CASE("ids given to add are positive and not taken", "[invariants]") {
    FileDb f;
    auto& db = f.db;
    PSP_CHECK_REFUSED(db, db.add(office, District{f.n.d2, "Another", 0, 0}),
                      IsError(ErrorCode::exists, {"district id 2 is already taken"}));
    PSP_CHECK_REFUSED(db, db.add(office, District{DistrictId(-4), "Negative", 0, 0}),
                      IsError(ErrorCode::invalid, {"ids are positive", "-4"}));
    // A free id given explicitly is kept, and the next assigned id follows the largest.
    CHECK(db.add(office, District{DistrictId(40), "Fuyang", 0, 0}) == DistrictId(40));
    CHECK(db.add(office, District{{}, "Lin'an", 0, 0}) == DistrictId(41));
}

TEST_CASE("names are unique per kind", "[invariants]") {
    FileDb f;
    auto& db = f.db;
    const auto& n = f.n;

    SECTION("adding a duplicate name, for every kind") {
        PSP_CHECK_REFUSED(db, db.add(office, District{{}, "Binjiang", 0, 0}),
                          IsError(ErrorCode::exists, {"district 'Binjiang'", "'Binjiang' is already taken (id 2)"}));
        PSP_CHECK_REFUSED(db, db.add(office, Zone{{}, "Hubin", n.d2, ZoneType::finance}),
                          IsError(ErrorCode::exists, {"'Hubin' is already taken (id 1)"}));
        PSP_CHECK_REFUSED(db, db.add(office, make_platform("Quality centre", PlatformTier::district,
                                                            PlatformField::quality_testing, {}, false, {}, n.d3)),
                          IsError(ErrorCode::exists, {"'Quality centre' is already taken (id 3)"}));
        PSP_CHECK_REFUSED(db, db.add(office, Alliance{{}, "Tech alliance", AllianceScope::regional, AllianceSector::industry,
                                                      AllianceBreadth::comprehensive, n.quality,
                                                      {{n.quality, MemberRole::lead}}, false}),
                          IsError(ErrorCode::exists, {"'Tech alliance' is already taken (id 1)"}));
        PSP_CHECK_REFUSED(db, db.add(office, EquipmentClass{{}, "SEM", "other"}),
                          IsError(ErrorCode::exists, {"'SEM' is already taken (id 1)"}));
        PSP_CHECK_REFUSED(db, db.add(office, Equipment{{}, "SEM-2", n.sem, n.tech, 1, n.d1, 0}),
                          IsError(ErrorCode::exists, {"'SEM-2' is already taken (id 2)"}));
        PSP_CHECK_REFUSED(db, db.add(office, Enterprise{{}, "Bolt", n.z1, EnterpriseSize::large, ""}),
                          IsError(ErrorCode::exists, {"'Bolt' is already taken (id 2)"}));
    }
    SECTION("renaming onto another's name") {
        auto p = db.get(n.ip);
        p.name = "Tech backbone";
        PSP_CHECK_REFUSED(db, db.update(office, p), IsError(ErrorCode::exists, {"update", "'Tech backbone' is already taken (id 1)"}));
        auto e = db.get(n.acme);
        e.name = "Bolt";
        PSP_CHECK_REFUSED(db, db.update(office, e), IsError(ErrorCode::exists, {"'Bolt' is already taken"}));
    }
    SECTION("an empty name") {
        PSP_CHECK_REFUSED(db, db.add(office, EquipmentClass{{}, "", "x"}), IsError(ErrorCode::invalid, {"name", "must not be empty"}));
        auto z = db.get(n.z2);
        z.name.clear();
        PSP_CHECK_REFUSED(db, db.update(office, z), IsError(ErrorCode::invalid, {"must not be empty"}));
    }
    SECTION("the same name in different kinds, and keeping one's own name, are fine") {
        CHECK_NOTHROW(db.add(office, Zone{{}, "Binjiang", n.d2, ZoneType::logistics}));
        CHECK_NOTHROW(db.add(office, EquipmentClass{{}, "Hubin", ""}));
        auto p = db.get(n.tech);
        p.services.insert(ServiceKind::talent);
        CHECK_NOTHROW(db.update(office, p));
        // A name freed by a rename or a removal can be taken again.
        auto e = db.get(n.bolt);
        e.name = "Bolt Ltd";
        db.update(office, e);
        CHECK_NOTHROW(db.add(office, Enterprise{{}, "Bolt", n.z2, EnterpriseSize::small, ""}));
        db.remove(office, n.acme);
        CHECK_NOTHROW(db.add(office, Enterprise{{}, "Acme", n.z1, EnterpriseSize::small, ""}));
    }
}

TEST_CASE("the sub-platform tree has no cycle", "[invariants]") {
    FileDb f;
    auto& db = f.db;
    const auto& n = f.n;

    SECTION("a platform as its own parent") {
        auto p = db.get(n.tech);
        p.parent = n.tech;
        PSP_CHECK_REFUSED(db, db.update(office, p), IsError(ErrorCode::invalid, {"parent", "its own parent"}));
    }
    SECTION("two platforms, each the other's parent") {
        auto sub = db.get(n.tech_sub);
        sub.backbone = true;
        db.update(office, sub);   // a sub-platform may itself be a backbone
        auto top = db.get(n.tech);
        top.parent = n.tech_sub;
        PSP_CHECK_REFUSED(db, db.update(office, top),
                          IsError(ErrorCode::invalid, {"cannot update platform 'Tech backbone'", "parent", "cycle"}));
    }
    SECTION("a cycle of three") {
        auto sub = db.get(n.tech_sub);
        sub.backbone = true;
        db.update(office, sub);
        const auto third = db.add(office, make_platform("Third level", PlatformTier::district, PlatformField::technology_support,
                                                        {}, true, n.tech_sub, n.d3));
        auto top = db.get(n.tech);
        top.parent = third;
        PSP_CHECK_REFUSED(db, db.update(office, top), IsError(ErrorCode::invalid, {"platform 'Third level'", "cycle"}));
        // Re-parenting without a cycle is fine.
        auto q = db.get(n.quality);
        q.parent = third;
        CHECK_NOTHROW(db.update(office, q));
        CHECK(db.sub_platforms(third) == std::vector<PlatformId>{n.quality});
    }
}

TEST_CASE("a sub-platform's parent is an operating backbone", "[invariants]") {
    FileDb f;
    auto& db = f.db;
    const auto& n = f.n;

    SECTION("parent not a backbone") {
        auto p = make_platform("Under IP", PlatformTier::district, PlatformField::intellectual_property, {}, false, n.ip, n.d2);
        PSP_CHECK_REFUSED(db, db.add(office, p),
                          IsError(ErrorCode::invalid, {"parent", "platform 'IP office' (id 4) is not a backbone platform"}));
        auto q = db.get(n.quality);
        q.parent = n.tech_sub;   // a sub-platform that is not a backbone
        PSP_CHECK_REFUSED(db, db.update(office, q), IsError(ErrorCode::invalid, {"is not a backbone platform"}));
    }
    SECTION("parent not operating") {
        for (auto status : {PlatformStatus::planned, PlatformStatus::suspended, PlatformStatus::closed}) {
            const std::string name = std::string("Backbone ") + to_string(status);
            const auto bb = db.add(office, make_platform(name, PlatformTier::municipal, PlatformField::human_resources,
                                                         {ServiceKind::talent}, true, {}, n.d3, status));
            auto p = make_platform("Under " + name, PlatformTier::district, PlatformField::human_resources,
                                   {ServiceKind::talent}, false, bb, n.d1);
            PSP_CHECK_REFUSED(db, db.add(office, p),
                              IsError(ErrorCode::invalid, {"parent", name, std::string("is ") + to_string(status) + ", not operating"}));
        }
    }
}

TEST_CASE("a backbone with sub-platforms or an alliance it leads stays a backbone", "[invariants]") {
    FileDb f;
    auto& db = f.db;
    const auto& n = f.n;

    SECTION("it has a sub-platform") {
        // Free it from its alliance first, so the sub-platform is the only reason.
        db.remove(office, n.alliance);
        auto p = db.get(n.tech);
        p.backbone = false;
        PSP_CHECK_REFUSED(db, db.update(office, p),
                          IsError(ErrorCode::refused, {"backbone", "cannot stop being a backbone", "'Tech sub Binjiang'"}));
    }
    SECTION("it leads an alliance") {
        const auto a = db.add(office, Alliance{{}, "Quality alliance", AllianceScope::cross_regional, AllianceSector::cross_industry,
                                               AllianceBreadth::comprehensive, n.quality, {{n.quality, MemberRole::lead}}, false});
        auto p = db.get(n.quality);
        p.backbone = false;
        PSP_CHECK_REFUSED(db, db.update(office, p), IsError(ErrorCode::refused, {"cannot stop being a backbone", "'Quality alliance'"}));
        db.remove(office, a);
        CHECK_NOTHROW(db.update(office, p));   // nothing depends on it any more
        CHECK_FALSE(db.get(n.quality).backbone);
    }
}

TEST_CASE("the message naming an alliance a backbone leads says 'alliance' once", "[invariants]") {
    // Suspected bug (src/database/rules.cpp, check_platform_update): "alliance " + describe(...) where
    // describe() already starts with "alliance", giving "alliance alliance 'Tech alliance' (id 1)".
    FileDb f;
    auto p = f.db.get(f.n.tech);
    p.backbone = false;
    CHECK_THROWS_MATCHES(f.db.update(office, p), Error, IsError(ErrorCode::refused, {"alliance 'Tech alliance'"}));
    try {
        f.db.update(office, p);
    } catch (const Error& e) {
        CHECK(std::string(e.what()).find("alliance alliance") == std::string::npos);
    }
}

TEST_CASE("a backbone with sub-platforms cannot stop operating", "[invariants]") {
    // Suspected bug (src/database/rules.cpp, check_platform_update): it checks that a backbone with
    // sub-platforms keeps the backbone flag, but not that it stays operating, so the invariant "a
    // sub-platform's parent is an operating backbone" can be broken by an update of the parent (and
    // the exported network is then refused by import_json, see json_test).
    FileDb f;
    auto p = f.db.get(f.n.tech);
    p.status = PlatformStatus::suspended;
    PSP_CHECK_REFUSED(f.db, f.db.update(office, p),
                      IsError(ErrorCode::refused, {"Tech sub Binjiang"}) || IsError(ErrorCode::invalid, {"Tech sub Binjiang"}));
}

TEST_CASE("an alliance's lead is a backbone member with role lead", "[invariants]") {
    FileDb f;
    auto& db = f.db;
    const auto& n = f.n;
    Alliance a{{}, "New alliance", AllianceScope::regional, AllianceSector::industry, AllianceBreadth::comprehensive,
               n.quality, {}, false};

    SECTION("lead not a member") {
        a.members = {{n.tech, MemberRole::member}, {n.tech_sub, MemberRole::core}};
        PSP_CHECK_REFUSED(db, db.add(office, a),
                          IsError(ErrorCode::invalid, {"alliance 'New alliance'", "lead", "'Quality centre'", "must be a member with role lead"}));
    }
    SECTION("lead a member, but not with role lead") {
        a.members = {{n.quality, MemberRole::core}};
        PSP_CHECK_REFUSED(db, db.add(office, a), IsError(ErrorCode::invalid, {"lead", "must be a member with role lead"}));
    }
    SECTION("no members at all") {
        PSP_CHECK_REFUSED(db, db.add(office, a), IsError(ErrorCode::invalid, {"lead", "must be a member with role lead"}));
    }
    SECTION("lead not a backbone") {
        a.lead = n.ip;
        a.members = {{n.ip, MemberRole::lead}, {n.quality, MemberRole::member}};
        PSP_CHECK_REFUSED(db, db.add(office, a),
                          IsError(ErrorCode::invalid, {"lead", "platform 'IP office' (id 4) is not a backbone platform"}));
    }
    SECTION("two leads") {
        a.members = {{n.quality, MemberRole::lead}, {n.tech, MemberRole::lead}};
        PSP_CHECK_REFUSED(db, db.add(office, a),
                          IsError(ErrorCode::invalid, {"members/1/role", "'Tech backbone'", "has role lead but is not the alliance's lead"}));
    }
    SECTION("a member listed twice") {
        a.members = {{n.quality, MemberRole::lead}, {n.tech_sub, MemberRole::member}, {n.tech_sub, MemberRole::core}};
        PSP_CHECK_REFUSED(db, db.add(office, a),
                          IsError(ErrorCode::invalid, {"members/2/platform", "'Tech sub Binjiang'", "is listed twice"}));
        a.members = {{n.quality, MemberRole::lead}, {n.quality, MemberRole::lead}};
        PSP_CHECK_REFUSED(db, db.add(office, a), IsError(ErrorCode::invalid, {"members/1/platform", "is listed twice"}));
    }
    SECTION("an update that drops the lead from the members") {
        auto existing = db.get(n.alliance);
        existing.members.erase(existing.members.begin());
        PSP_CHECK_REFUSED(db, db.update(office, existing),
                          IsError(ErrorCode::invalid, {"cannot update alliance 'Tech alliance'", "must be a member with role lead"}));
    }
    SECTION("a valid alliance with a backbone lead is accepted") {
        a.members = {{n.tech_sub, MemberRole::member}, {n.quality, MemberRole::lead}};
        const auto id = db.add(office, a);
        CHECK(db.get(id).members == a.members);   // member order is kept
    }
}

TEST_CASE("travel minutes are >= 0 between two different districts", "[invariants]") {
    FileDb f;
    auto& db = f.db;
    const auto& n = f.n;

    SECTION("negative travel minutes") {
        PSP_CHECK_REFUSED(db, db.set_travel(office, {n.d1, n.d2, -1}),
                          IsError(ErrorCode::invalid, {"cannot set travel", "minutes", "travel minutes must be >= 0, got -1"}));
        CHECK(db.travel().front().minutes == 20);   // the existing time is kept
        PSP_CHECK_REFUSED(db, db.set_travel(office, {n.d1, n.d2, std::numeric_limits<int>::min()}),
                          IsError(ErrorCode::invalid, {"must be >= 0"}));
    }
    SECTION("negative zone service minutes") {
        PSP_CHECK_REFUSED(db, db.set_zone_service(office, {n.ip, n.z1, -5}),
                          IsError(ErrorCode::invalid, {"cannot set zone service", "minutes", "got -5"}));
    }
    SECTION("travel from a district to itself") {
        PSP_CHECK_REFUSED(db, db.set_travel(office, {n.d2, n.d2, 5}),
                          IsError(ErrorCode::invalid, {"travel needs two different districts"}));
    }
    SECTION("zero minutes is allowed, and a reversed pair replaces the same record") {
        db.set_travel(office, {n.d2, n.d1, 0});
        const auto t = db.travel();
        REQUIRE(t.size() == 3);
        CHECK(t.front() == DistrictTravel{n.d1, n.d2, 0});
        db.set_zone_service(office, {n.ip, n.z1, 0});
        CHECK(db.zone_services().size() == 5);
    }
}

TEST_CASE("equipment has capacity >= 1 and a purchase value >= 0", "[invariants]") {
    FileDb f;
    auto& db = f.db;
    const auto& n = f.n;

    SECTION("zero capacity") {
        PSP_CHECK_REFUSED(db, db.add(office, Equipment{{}, "Empty", n.sem, n.tech, 0, n.d1, 0}),
                          IsError(ErrorCode::invalid, {"equipment 'Empty'", "capacity_units", "capacity must be >= 1 unit, got 0"}));
        PSP_CHECK_REFUSED(db, db.add(office, Equipment{{}, "Negative", n.sem, n.tech, -3, n.d1, 0}),
                          IsError(ErrorCode::invalid, {"got -3"}));
        auto e = db.get(n.sem1);
        e.capacity_units = 0;
        PSP_CHECK_REFUSED(db, db.update(office, e), IsError(ErrorCode::invalid, {"cannot update equipment 'SEM-1'", "capacity"}));
    }
    SECTION("negative purchase value") {
        PSP_CHECK_REFUSED(db, db.add(office, Equipment{{}, "Cheap", n.sem, n.tech, 1, n.d1, -1}),
                          IsError(ErrorCode::invalid, {"purchase_value", "money must be >= 0 fen, got -1"}));
    }
    SECTION("the boundary values are accepted") {
        CHECK_NOTHROW(db.add(office, Equipment{{}, "Free", n.sem, n.tech, 1, n.d1, 0}));
    }
}

TEST_CASE("links join two different platforms, higher_tier only upwards", "[invariants]") {
    FileDb f;
    auto& db = f.db;
    const auto& n = f.n;

    SECTION("a link to itself") {
        PSP_CHECK_REFUSED(db, db.add_link(office, {n.tech, n.tech, LinkKind::cooperation}),
                          IsError(ErrorCode::invalid, {"cannot set link", "cannot be linked to itself"}));
    }
    SECTION("higher_tier to a lower tier") {
        // quality is provincial, tech_sub is district.
        PSP_CHECK_REFUSED(db, db.add_link(office, {n.quality, n.tech_sub, LinkKind::higher_tier}),
                          IsError(ErrorCode::invalid, {"'Tech sub Binjiang'", "is not of a higher tier than", "'Quality centre'"}));
    }
    SECTION("higher_tier to the same tier") {
        PSP_CHECK_REFUSED(db, db.add_link(office, {n.ip, n.tech_sub, LinkKind::higher_tier}),
                          IsError(ErrorCode::invalid, {"is not of a higher tier"}));
    }
    SECTION("cooperation between any tiers, in both directions, is fine") {
        CHECK_NOTHROW(db.add_link(office, {n.quality, n.tech_sub, LinkKind::cooperation}));
        CHECK_NOTHROW(db.add_link(office, {n.ip, n.tech, LinkKind::higher_tier}));
        CHECK(db.links().size() == 4);
    }
}

TEST_CASE("a platform's tier cannot drop below a higher_tier link to it", "[invariants]") {
    // Suspected bug (src/database/rules.cpp, check_platform_update): links are checked only when they
    // are set, so lowering the tier of a link's target leaves a higher_tier link pointing downwards,
    // which import_json then refuses (see json_test).
    FileDb f;
    auto q = f.db.get(f.n.quality);   // target of tech_sub -> quality (higher_tier)
    q.tier = PlatformTier::district;
    PSP_CHECK_REFUSED(f.db, f.db.update(office, q),
                      IsError(ErrorCode::refused, {"higher"}) || IsError(ErrorCode::invalid, {"higher"}));
}

TEST_CASE("enum values out of range are invalid", "[invariants]") {
    FileDb f;
    auto& db = f.db;
    const auto& n = f.n;

    SECTION("zone type") {
        PSP_CHECK_REFUSED(db, db.add(office, Zone{{}, "Odd", n.d1, static_cast<ZoneType>(99)}),
                          IsError(ErrorCode::invalid, {"type", "value 99 is out of range 0..7"}));
        PSP_CHECK_REFUSED(db, db.add(office, Zone{{}, "Odd", n.d1, static_cast<ZoneType>(-1)}),
                          IsError(ErrorCode::invalid, {"value -1 is out of range"}));
    }
    SECTION("platform tier, field, operator model and status") {
        auto p = db.get(n.ip);
        auto bad = p;
        bad.tier = static_cast<PlatformTier>(4);
        PSP_CHECK_REFUSED(db, db.update(office, bad), IsError(ErrorCode::invalid, {"tier", "value 4 is out of range 0..3"}));
        bad = p;
        bad.field = static_cast<PlatformField>(5);
        PSP_CHECK_REFUSED(db, db.update(office, bad), IsError(ErrorCode::invalid, {"field", "out of range 0..4"}));
        bad = p;
        bad.operator_model = static_cast<OperatorModel>(8);
        PSP_CHECK_REFUSED(db, db.update(office, bad), IsError(ErrorCode::invalid, {"operator_model", "out of range 0..7"}));
        bad = p;
        bad.status = static_cast<PlatformStatus>(-2);
        PSP_CHECK_REFUSED(db, db.update(office, bad), IsError(ErrorCode::invalid, {"status", "value -2"}));
    }
    SECTION("alliance scope, sector, breadth and member role") {
        auto a = db.get(n.alliance);
        auto bad = a;
        bad.scope = static_cast<AllianceScope>(2);
        PSP_CHECK_REFUSED(db, db.update(office, bad), IsError(ErrorCode::invalid, {"scope", "out of range 0..1"}));
        bad = a;
        bad.sector = static_cast<AllianceSector>(7);
        PSP_CHECK_REFUSED(db, db.update(office, bad), IsError(ErrorCode::invalid, {"sector"}));
        bad = a;
        bad.breadth = static_cast<AllianceBreadth>(7);
        PSP_CHECK_REFUSED(db, db.update(office, bad), IsError(ErrorCode::invalid, {"breadth"}));
        bad = a;
        bad.members[1].role = static_cast<MemberRole>(3);
        PSP_CHECK_REFUSED(db, db.update(office, bad), IsError(ErrorCode::invalid, {"members/1/role", "out of range 0..2"}));
    }
    SECTION("enterprise size and link kind") {
        PSP_CHECK_REFUSED(db, db.add(office, Enterprise{{}, "Odd", n.z1, static_cast<EnterpriseSize>(4), ""}),
                          IsError(ErrorCode::invalid, {"size", "out of range 0..3"}));
        PSP_CHECK_REFUSED(db, db.add_link(office, {n.ip, n.quality, static_cast<LinkKind>(2)}),
                          IsError(ErrorCode::invalid, {"kind", "out of range 0..1"}));
    }
    SECTION("an actor's role") {
        Actor bogus = office;
        bogus.role = static_cast<Role>(9);
        PSP_CHECK_REFUSED(db, db.add(bogus, District{{}, "Odd", 0, 0}), IsError(ErrorCode::invalid, {"actor", "role 9 is out of range"}));
    }
    SECTION("a district position that is not a finite number") {
        const double inf = std::numeric_limits<double>::infinity();
        PSP_CHECK_REFUSED(db, db.add(office, District{{}, "Odd", std::nan(""), 0}),
                          IsError(ErrorCode::invalid, {"x_km", "position must be a finite number"}));
        PSP_CHECK_REFUSED(db, db.add(office, District{{}, "Odd", 0, std::nan("")}), IsError(ErrorCode::invalid, {"y_km"}));
        PSP_CHECK_REFUSED(db, db.add(office, District{{}, "Far away", inf, 0}), IsError(ErrorCode::invalid, {"x_km", "finite"}));
        auto d = db.get(n.d3);
        d.y_km = -inf;
        PSP_CHECK_REFUSED(db, db.update(office, d), IsError(ErrorCode::invalid, {"y_km", "finite"}));
    }
}

TEST_CASE("a service kind outside the 14 is invalid", "[invariants]") {
    // Suspected bug (src/database/rules.cpp, check(State, Platform)): services are not checked, so a
    // bit outside the 14 kinds is accepted and written to SQLite, then dropped by ServiceSet(mask) on
    // load: the reopened model differs from the saved one.
    FileDb f;
    auto p = f.db.get(f.n.ip);
    p.services.insert(static_cast<ServiceKind>(20));
    PSP_CHECK_REFUSED(f.db, f.db.update(office, p), IsError(ErrorCode::invalid, {"services"}));
}

TEST_CASE("stored strings are valid UTF-8", "[invariants]") {
    FileDb f;
    auto& db = f.db;
    const auto& n = f.n;
    const std::string bad_bytes[] = {"\xff", "caf\xc3", "\xc0\xaf" /* overlong '/' */, "\xed\xa0\x80" /* surrogate */,
                                     "\xf4\x90\x80\x80" /* above U+10FFFF */};
    for (const auto& bad : bad_bytes) {
        INFO("bytes of length " << bad.size());
        PSP_CHECK_REFUSED(db, db.add(office, District{{}, "D" + bad, 0, 0}), IsError(ErrorCode::invalid, {"name", "not valid UTF-8"}));
        auto p = db.get(n.ip);
        p.name = bad;
        PSP_CHECK_REFUSED(db, db.update(office, p), IsError(ErrorCode::invalid, {"name", "not valid UTF-8"}));
        PSP_CHECK_REFUSED(db, db.add(office, EquipmentClass{{}, "Class", "cat" + bad}),
                          IsError(ErrorCode::invalid, {"category", "not valid UTF-8"}));
        auto e = db.get(n.acme);
        e.sector = bad;
        PSP_CHECK_REFUSED(db, db.update(office, e), IsError(ErrorCode::invalid, {"sector", "not valid UTF-8"}));
    }
    // Well-formed multi-byte text is fine, up to four bytes a character.
    CHECK_NOTHROW(db.add(office, District{{}, "余杭区 \xf0\x9f\x8f\xad", 0, 0}));
    CHECK_NOTHROW(db.add(office, EquipmentClass{{}, "质谱仪", "分析仪器"}));
}

TEST_CASE("an actor's name, stored in the journal, is valid UTF-8 too", "[invariants]") {
    // Suspected gap (src/database/impl.hpp, Impl::check_actor): names, categories and sectors are
    // checked for UTF-8 (src/core/utf8.hpp: "every string psp stores ... must be valid UTF-8"), but
    // the actor's name goes into the journal unchecked.
    FileDb f;
    PSP_CHECK_REFUSED(f.db, f.db.add(Actor::office("office \xff"), District{{}, "Fuyang", 0, 0}),
                      IsError(ErrorCode::invalid, {"actor", "UTF-8"}));
}

TEST_CASE("removing an entity others depend on is refused, naming them", "[invariants]") {
    FileDb f;
    auto& db = f.db;
    const auto& n = f.n;

    SECTION("a district with zones, platforms and equipment") {
        PSP_CHECK_REFUSED(db, db.remove(office, n.d1),
                          IsError(ErrorCode::refused, {"cannot remove district 'Shangcheng' (id 1)", "zone 'Hubin' (id 1)",
                                                       "platform 'Tech backbone' (id 1)", "platform 'IP office' (id 4)",
                                                       "equipment 'SEM-1' (id 1)"}));
    }
    SECTION("a zone with enterprises") {
        PSP_CHECK_REFUSED(db, db.remove(office, n.z1),
                          IsError(ErrorCode::refused, {"cannot remove zone 'Hubin'", "enterprise 'Acme' (id 1)"}));
    }
    SECTION("a platform with sub-platforms, alliances and equipment") {
        PSP_CHECK_REFUSED(db, db.remove(office, n.tech),
                          IsError(ErrorCode::refused, {"cannot remove platform 'Tech backbone'", "'Tech sub Binjiang' (id 2)",
                                                       "alliance 'Tech alliance' (id 1)", "equipment 'SEM-1' (id 1)"}));
        PSP_CHECK_REFUSED(db, db.remove(office, n.quality),
                          IsError(ErrorCode::refused, {"alliance 'Tech alliance'", "equipment 'SEM-2'"}));
    }
    SECTION("an equipment class in use") {
        PSP_CHECK_REFUSED(db, db.remove(office, n.sem),
                          IsError(ErrorCode::refused, {"cannot remove equipment class 'SEM'", "'SEM-1'", "'SEM-2'"}));
    }
    SECTION("many dependents are summarised") {
        for (int i = 1; i <= 7; ++i) db.add(office, Equipment{{}, "IP kit " + std::to_string(i), n.printer, n.ip, 1, n.d1, 0});
        PSP_CHECK_REFUSED(db, db.remove(office, n.ip),
                          IsError(ErrorCode::refused, {"'IP kit 1'", "'IP kit 5'", "and 2 more"}));
    }
    SECTION("once the dependents are gone, removal succeeds and takes the entity's relations along") {
        db.remove(office, n.alliance);
        db.remove(office, n.sem2);
        CHECK(db.alliances_of(n.quality).empty());
        db.remove(office, n.quality);   // its zone services and both links go with it
        CHECK_FALSE(db.contains(n.quality));
        CHECK(db.links().empty());
        CHECK(db.zone_services() == std::vector<ZoneService>{{n.tech, n.z1, 5}, {n.tech_sub, n.z2, 10}});

        db.remove(office, n.bolt);
        db.remove(office, n.z2);       // its zone service goes with it
        CHECK(db.zone_services() == std::vector<ZoneService>{{n.tech, n.z1, 5}});
        db.remove(office, n.d3);       // its travel times go with it
        CHECK(db.travel() == std::vector<DistrictTravel>{{n.d1, n.d2, 20}});

        auto again = Database::open(f.file.str());
        CHECK(again.snapshot() == db.snapshot());
    }
}

TEST_CASE("a change by an actor without the right is a permission error", "[invariants]") {
    FileDb f;
    auto& db = f.db;
    const auto& n = f.n;
    const auto anyone = Actor::anyone("a visitor");
    const auto expert = Actor::expert_reviewer("Dr Wang");
    const auto sub_op = Actor::operator_of(n.tech_sub, "sub operator");
    const auto tech_op = Actor::operator_of(n.tech, "tech operator");
    const auto acme = Actor::enterprise_self(n.acme, "Acme staff");

    SECTION("the public changes nothing") {
        PSP_CHECK_REFUSED(db, db.add(anyone, District{{}, "Fuyang", 0, 0}),
                          IsError(ErrorCode::permission, {"'a visitor' (public)", "may not manage_districts"}));
        PSP_CHECK_REFUSED(db, db.remove(anyone, n.bolt), IsError(ErrorCode::permission, {"manage_enterprise"}));
        PSP_CHECK_REFUSED(db, db.set_travel(anyone, {n.d1, n.d2, 1}), IsError(ErrorCode::permission, {"district travel times"}));
        PSP_CHECK_REFUSED(db, db.import_json(anyone, "{}"), IsError(ErrorCode::permission, {"import_network"}));
    }
    SECTION("an expert changes nothing here") {
        PSP_CHECK_REFUSED(db, db.add(expert, make_platform("Expert lab", PlatformTier::district, PlatformField::technology_support,
                                                           {}, false, {}, n.d1)),
                          IsError(ErrorCode::permission, {"'Dr Wang' (expert)", "may not create_platform"}));
        PSP_CHECK_REFUSED(db, db.update(expert, db.get(n.tech)), IsError(ErrorCode::permission, {"update_platform"}));
        PSP_CHECK_REFUSED(db, db.add(expert, EquipmentClass{{}, "Lathe", ""}), IsError(ErrorCode::permission, {"manage_catalogue"}));
    }
    SECTION("an operator may not change another platform's record") {
        auto p = db.get(n.tech);
        p.services.insert(ServiceKind::talent);
        PSP_CHECK_REFUSED(db, db.update(sub_op, p),
                          IsError(ErrorCode::permission, {"'sub operator' (platform_operator of platform 2)", "update_platform",
                                                          "platform 'Tech backbone' (id 1)"}));
        PSP_CHECK_REFUSED(db, db.remove(sub_op, n.ip), IsError(ErrorCode::permission, {"remove_platform"}));
        PSP_CHECK_REFUSED(db, db.set_zone_service(sub_op, {n.tech, n.z2, 3}), IsError(ErrorCode::permission, {"manage_links"}));
        PSP_CHECK_REFUSED(db, db.add_link(sub_op, {n.tech, n.quality, LinkKind::higher_tier}),
                          IsError(ErrorCode::permission, {"manage_links"}));
        PSP_CHECK_REFUSED(db, db.remove_link(sub_op, n.tech, n.quality), IsError(ErrorCode::permission, {"manage_links"}));
    }
    SECTION("an operator may not change another platform's equipment") {
        auto e = db.get(n.sem2);   // owned by quality
        e.capacity_units = 5;
        PSP_CHECK_REFUSED(db, db.update(sub_op, e), IsError(ErrorCode::permission, {"manage_equipment", "equipment 'SEM-2'"}));
        PSP_CHECK_REFUSED(db, db.remove(sub_op, n.sem2), IsError(ErrorCode::permission, {"manage_equipment"}));
        PSP_CHECK_REFUSED(db, db.add(sub_op, Equipment{{}, "Planted", n.sem, n.quality, 1, n.d2, 0}),
                          IsError(ErrorCode::permission, {"manage_equipment"}));
        // Nor give its own equipment away.
        auto own = db.get(n.printer1);
        own.owner = n.quality;
        PSP_CHECK_REFUSED(db, db.update(sub_op, own), IsError(ErrorCode::permission, {"manage_equipment"}));
    }
    SECTION("an operator may not create platforms or manage an alliance it does not lead") {
        PSP_CHECK_REFUSED(db, db.add(sub_op, make_platform("Mine too", PlatformTier::district, PlatformField::technology_support,
                                                           {}, false, {}, n.d2)),
                          IsError(ErrorCode::permission, {"create_platform"}));
        auto a = db.get(n.alliance);
        a.one_stop = false;
        PSP_CHECK_REFUSED(db, db.update(sub_op, a), IsError(ErrorCode::permission, {"manage_alliance"}));
        PSP_CHECK_REFUSED(db, db.remove(sub_op, n.alliance), IsError(ErrorCode::permission, {"manage_alliance"}));
    }
    SECTION("an enterprise may not change another enterprise") {
        auto e = db.get(n.bolt);
        e.sector = "hacked";
        PSP_CHECK_REFUSED(db, db.update(acme, e),
                          IsError(ErrorCode::permission, {"'Acme staff' (enterprise 1)", "manage_enterprise", "enterprise 'Bolt'"}));
        PSP_CHECK_REFUSED(db, db.remove(acme, n.bolt), IsError(ErrorCode::permission, {"manage_enterprise"}));
        PSP_CHECK_REFUSED(db, db.add(acme, Zone{{}, "My zone", n.d1, ZoneType::finance}), IsError(ErrorCode::permission, {"manage_zones"}));
        auto own = db.get(n.acme);
        own.id = n.bolt;   // disguising an update of Bolt as its own record
        own.name = "Bolt";
        PSP_CHECK_REFUSED(db, db.update(acme, own), IsError(ErrorCode::permission, {"manage_enterprise"}));
    }
    SECTION("allowed own changes succeed and are journaled with the actor") {
        auto p = db.get(n.tech_sub);
        p.services.insert(ServiceKind::skills_training);
        db.update(sub_op, p);
        CHECK(db.get(n.tech_sub).services.contains(ServiceKind::skills_training));

        auto e = db.get(n.printer1);
        e.capacity_units = 4;
        db.update(sub_op, e);
        const auto added = db.add(sub_op, Equipment{{}, "Printer-2", n.printer, n.tech_sub, 1, n.d2, 100});
        db.remove(sub_op, added);
        db.set_zone_service(sub_op, {n.tech_sub, n.z1, 25});
        db.add_link(sub_op, {n.tech_sub, n.tech, LinkKind::higher_tier});
        db.remove_link(sub_op, n.tech_sub, n.tech);

        auto a = db.get(n.alliance);
        a.one_stop = false;
        db.update(tech_op, a);   // the operator of the lead manages its alliance
        CHECK_FALSE(db.get(n.alliance).one_stop);

        auto firm = db.get(n.acme);
        firm.size = EnterpriseSize::small;
        db.update(acme, firm);
        CHECK(db.get(n.acme).size == EnterpriseSize::small);

        const auto rows = db.journal();
        REQUIRE(rows.size() == 1 + 9);   // the import, then the changes above
        const auto& last = rows.back();
        CHECK(last.actor_role == Role::enterprise);
        CHECK(last.actor_subject == n.acme.value);
        CHECK(last.actor_name == "Acme staff");
        const auto& by_operator = rows[1];
        CHECK(by_operator.actor_role == Role::platform_operator);
        CHECK(by_operator.actor_subject == n.tech_sub.value);
        CHECK(by_operator.actor_name == "sub operator");

        auto again = Database::open(f.file.str());
        CHECK(again.snapshot() == db.snapshot());
    }
}
