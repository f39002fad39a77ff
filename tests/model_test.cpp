// The value types of the model: stable enum names (JSON, journal, messages), ServiceSet, typed ids
// and the permission table.
#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <type_traits>
#include <unordered_set>

#include "fixtures.hpp"
#include "psp/actor.hpp"
#include "psp/ids.hpp"
#include "psp/journal.hpp"
#include "psp/model.hpp"

using namespace psp;

namespace {

// Every value 0..count-1 has a distinct name that parses back to it; values outside have "?".
template <class Enum>
void check_round_trip(int count) {
    std::set<std::string> names;
    for (int i = 0; i < count; ++i) {
        const auto value = static_cast<Enum>(i);
        const std::string name = to_string(value);
        INFO("value " << i << " named '" << name << "'");
        CHECK(name != "?");
        CHECK_FALSE(name.empty());
        CHECK(names.insert(name).second);
        const auto parsed = parse_enum<Enum>(name);
        REQUIRE(parsed.has_value());
        CHECK(*parsed == value);
        // Names are exact: no case folding, no surrounding blanks.
        std::string upper = name;
        upper[0] = static_cast<char>(upper[0] - 'a' + 'A');
        CHECK_FALSE(parse_enum<Enum>(upper).has_value());
        CHECK_FALSE(parse_enum<Enum>(" " + name).has_value());
    }
    CHECK(std::string(to_string(static_cast<Enum>(count))) == "?");
    CHECK(std::string(to_string(static_cast<Enum>(-1))) == "?");
    CHECK(std::string(to_string(static_cast<Enum>(99))) == "?");
    CHECK_FALSE(parse_enum<Enum>("").has_value());
    CHECK_FALSE(parse_enum<Enum>("?").has_value());
    CHECK_FALSE(parse_enum<Enum>("no_such_name").has_value());
}

}  // namespace

TEST_CASE("every enum name round trips through to_string and parse_enum", "[model]") {
    SECTION("ZoneType") { check_round_trip<ZoneType>(zone_type_count); }
    SECTION("PlatformTier") { check_round_trip<PlatformTier>(platform_tier_count); }
    SECTION("PlatformField") { check_round_trip<PlatformField>(platform_field_count); }
    SECTION("OperatorModel") { check_round_trip<OperatorModel>(operator_model_count); }
    SECTION("ServiceKind") { check_round_trip<ServiceKind>(service_kind_count); }
    SECTION("PlatformStatus") { check_round_trip<PlatformStatus>(platform_status_count); }
    SECTION("AllianceScope") { check_round_trip<AllianceScope>(alliance_scope_count); }
    SECTION("AllianceSector") { check_round_trip<AllianceSector>(alliance_sector_count); }
    SECTION("AllianceBreadth") { check_round_trip<AllianceBreadth>(alliance_breadth_count); }
    SECTION("MemberRole") { check_round_trip<MemberRole>(member_role_count); }
    SECTION("EnterpriseSize") { check_round_trip<EnterpriseSize>(enterprise_size_count); }
    SECTION("LinkKind") { check_round_trip<LinkKind>(link_kind_count); }
    SECTION("Role") { check_round_trip<Role>(role_count); }
    SECTION("EntityKind") { check_round_trip<EntityKind>(entity_kind_count); }
}

TEST_CASE("enum names are the stable ones of the JSON format", "[model]") {
    // These strings are part of the file format (docs/network-json.md): changing one breaks files.
    CHECK(std::string(to_string(ZoneType::central_business)) == "central_business");
    CHECK(std::string(to_string(ZoneType::information_services)) == "information_services");
    CHECK(std::string(to_string(PlatformTier::national)) == "national");
    CHECK(std::string(to_string(PlatformField::investment_financing)) == "investment_financing");
    CHECK(std::string(to_string(OperatorModel::joint_venture)) == "joint_venture");
    CHECK(std::string(to_string(ServiceKind::technology_rd)) == "technology_rd");
    CHECK(std::string(to_string(ServiceKind::administrative_approval)) == "administrative_approval");
    CHECK(std::string(to_string(PlatformStatus::suspended)) == "suspended");
    CHECK(std::string(to_string(AllianceScope::cross_regional)) == "cross_regional");
    CHECK(std::string(to_string(AllianceSector::cross_industry)) == "cross_industry");
    CHECK(std::string(to_string(AllianceBreadth::specialised)) == "specialised");
    CHECK(std::string(to_string(MemberRole::lead)) == "lead");
    CHECK(std::string(to_string(EnterpriseSize::medium)) == "medium");
    CHECK(std::string(to_string(LinkKind::higher_tier)) == "higher_tier");
    CHECK(std::string(to_string(Role::public_viewer)) == "public");
    CHECK(std::string(to_string(Role::platform_operator)) == "platform_operator");
    CHECK(std::string(to_string(EntityKind::equipment_class)) == "equipment_class");
    CHECK(std::string(to_string(EntityKind::zone_service)) == "zone_service");
}

TEST_CASE("actions and error codes have distinct stable names", "[model]") {
    std::set<std::string> actions;
    for (int i = 0; i < action_count; ++i) {
        const std::string name = to_string(static_cast<Action>(i));
        CHECK(name != "?");
        CHECK(actions.insert(name).second);
    }
    CHECK(std::string(to_string(Action::manage_links)) == "manage_links");
    CHECK(std::string(to_string(static_cast<Action>(action_count))) == "?");

    const ErrorCode codes[] = {ErrorCode::ok,      ErrorCode::not_found, ErrorCode::exists,  ErrorCode::invalid,
                               ErrorCode::refused, ErrorCode::permission, ErrorCode::busy,   ErrorCode::io,
                               ErrorCode::no_memory, ErrorCode::iter_over, ErrorCode::format};
    std::set<std::string> names;
    for (auto c : codes) CHECK(names.insert(to_string(c)).second);
    CHECK(std::string(to_string(ErrorCode::not_found)) == "not_found");
    CHECK(std::string(to_string(ErrorCode::format)) == "format");
    CHECK(std::string(to_string(static_cast<ErrorCode>(-99))) == "unknown");
    // The numeric values are the C ABI.
    CHECK(static_cast<int>(ErrorCode::permission) == -5);
    CHECK(static_cast<int>(ErrorCode::format) == -10);

    const Error e(ErrorCode::refused, "because");
    CHECK(e.code() == ErrorCode::refused);
    CHECK(std::string(e.what()) == "because");
}

TEST_CASE("ServiceSet holds any subset of the 14 service kinds", "[model]") {
    SECTION("an empty set") {
        const ServiceSet s;
        CHECK(s.empty());
        CHECK(s.mask() == 0);
        CHECK(s.kinds().empty());
        for (int k = 0; k < service_kind_count; ++k) CHECK_FALSE(s.contains(static_cast<ServiceKind>(k)));
    }
    SECTION("insert, contains, erase") {
        ServiceSet s;
        s.insert(ServiceKind::talent);
        CHECK_FALSE(s.empty());
        CHECK(s.contains(ServiceKind::talent));
        CHECK_FALSE(s.contains(ServiceKind::marketing));
        CHECK(s.mask() == (1U << static_cast<int>(ServiceKind::talent)));
        s.insert(ServiceKind::talent);   // idempotent
        CHECK(s.kinds() == std::vector<ServiceKind>{ServiceKind::talent});
        s.erase(ServiceKind::marketing);  // erasing an absent kind is harmless
        CHECK(s.contains(ServiceKind::talent));
        s.erase(ServiceKind::talent);
        CHECK(s.empty());
    }
    SECTION("kinds() lists members in ascending order, whatever the insertion order") {
        const ServiceSet s{ServiceKind::administrative_approval, ServiceKind::technology_rd, ServiceKind::talent};
        CHECK(s.kinds() == std::vector<ServiceKind>{ServiceKind::technology_rd, ServiceKind::talent,
                                                    ServiceKind::administrative_approval});
        CHECK(s.mask() == ((1U << 0) | (1U << 8) | (1U << 13)));
    }
    SECTION("all 14 kinds") {
        ServiceSet s;
        for (int k = 0; k < service_kind_count; ++k) s.insert(static_cast<ServiceKind>(k));
        CHECK(s.mask() == ServiceSet::all_mask);
        CHECK(ServiceSet::all_mask == 0x3FFFU);
        CHECK(s.kinds().size() == static_cast<std::size_t>(service_kind_count));
        CHECK(s == ServiceSet(ServiceSet::all_mask));
    }
    SECTION("a mask keeps its bits; only the 14 defined ones are valid") {
        const ServiceSet s(0xFFFFFFFFU);
        CHECK(s.mask() == 0xFFFFFFFFU);
        CHECK_FALSE(s.valid());
        CHECK_FALSE(ServiceSet(1U << 14).valid());
        CHECK(ServiceSet(0x5U).kinds() == std::vector<ServiceKind>{ServiceKind::technology_rd,
                                                                   ServiceKind::management_consulting});
    }
    SECTION("equality compares members, not construction") {
        ServiceSet a{ServiceKind::marketing, ServiceKind::talent};
        ServiceSet b;
        b.insert(ServiceKind::talent);
        b.insert(ServiceKind::marketing);
        CHECK(a == b);
        b.erase(ServiceKind::talent);
        CHECK_FALSE(a == b);
    }
    SECTION("usable in constant expressions") {
        constexpr ServiceSet s(0x3U);
        static_assert(s.contains(ServiceKind::technology_rd));
        static_assert(s.contains(ServiceKind::product_design));
        static_assert(!s.contains(ServiceKind::marketing));
        static_assert(ServiceSet().empty());
        CHECK(s.mask() == 0x3U);
    }
}

TEST_CASE("ServiceSet keeps a kind outside the 14 so that it can be refused", "[model]") {
    // Dropping it silently would store something else than was asked; Database refuses !valid().
    ServiceSet s{ServiceKind::marketing};
    CHECK(s.valid());
    s.insert(static_cast<ServiceKind>(20));
    CHECK_FALSE(s.valid());
    CHECK(s.contains(static_cast<ServiceKind>(20)));
    ServiceSet far;
    far.insert(static_cast<ServiceKind>(-7));
    far.insert(static_cast<ServiceKind>(99));
    CHECK_FALSE(far.valid());
    CHECK_FALSE(ServiceSet(1U << 14).valid());
    CHECK(ServiceSet(ServiceSet::all_mask).valid());
}

TEST_CASE("typed ids", "[model]") {
    CHECK_FALSE(static_cast<bool>(PlatformId()));
    CHECK(PlatformId().value == 0);
    CHECK(static_cast<bool>(PlatformId(3)));
    CHECK(PlatformId(2) < PlatformId(3));
    CHECK(PlatformId(3) == PlatformId(3));
    CHECK(PlatformId(3) != PlatformId(4));
    std::unordered_set<ZoneId> zones{ZoneId(1), ZoneId(2), ZoneId(1)};
    CHECK(zones.size() == 2);
    // Ids of different kinds do not convert into each other.
    static_assert(!std::is_convertible_v<ZoneId, PlatformId>);
    static_assert(!std::is_convertible_v<std::int64_t, PlatformId>);
}

TEST_CASE("the permission table", "[model]") {
    const auto office = Actor::office();
    const auto op = Actor::operator_of(PlatformId(7));
    const auto firm = Actor::enterprise_self(EnterpriseId(3));
    const auto expert = Actor::expert_reviewer();
    const auto anyone = Actor::anyone();

    for (int a = 0; a < action_count; ++a) {
        const auto action = static_cast<Action>(a);
        INFO("action " << to_string(action));
        // Scoring a certification case is the experts' (§4.1 组织专家评审) and only theirs.
        const bool scoring = action == Action::score_certification;
        CHECK(permitted(office, action, false) == !scoring);
        CHECK(permitted(office, action, true) == !scoring);
        CHECK(permitted(expert, action, true) == scoring);
        CHECK(permitted(expert, action, false) == scoring);
        CHECK_FALSE(permitted(anyone, action, true));
        CHECK_FALSE(permitted(op, action, false));     // an operator never acts on others' things
        CHECK_FALSE(permitted(firm, action, false));
    }
    // What an operator may do on its own platform, and only that.
    CHECK(permitted(op, Action::update_platform, true));
    CHECK(permitted(op, Action::manage_equipment, true));
    CHECK(permitted(op, Action::manage_alliance, true));
    CHECK(permitted(op, Action::manage_links, true));
    CHECK_FALSE(permitted(op, Action::create_platform, true));
    CHECK_FALSE(permitted(op, Action::remove_platform, true));
    CHECK_FALSE(permitted(op, Action::manage_districts, true));
    CHECK_FALSE(permitted(op, Action::import_network, true));
    CHECK(permitted(op, Action::apply_certification, true));
    CHECK(permitted(op, Action::manage_plans, true));
    CHECK_FALSE(permitted(op, Action::certify, true));
    CHECK_FALSE(permitted(op, Action::score_certification, true));
    // An enterprise updates its own record only.
    CHECK(permitted(firm, Action::manage_enterprise, true));
    CHECK_FALSE(permitted(firm, Action::manage_equipment, true));
    // A role outside the table may do nothing.
    Actor bogus = office;
    bogus.role = static_cast<Role>(42);
    CHECK_FALSE(permitted(bogus, Action::manage_districts, false));
    CHECK_FALSE(permitted(office, static_cast<Action>(action_count), false));

    CHECK(op.platform == PlatformId(7));
    CHECK(firm.enterprise == EnterpriseId(3));
    CHECK(anyone.role == Role::public_viewer);
}
