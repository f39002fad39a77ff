// Tests of psp::synth: same seed, same city; the sizes of DESIGN.md §5; every invariant that
// psp::Database enforces, checked on the generated Network itself and by importing it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "psp/database.hpp"
#include "psp/error.hpp"
#include "psp/synth.hpp"

using namespace psp;
using synth::CityParams;
using synth::Scale;

namespace {

// Collects violations instead of asserting per row: a region has half a million rows, and one
// Catch assertion each would dominate the test's run time.
class Violations {
public:
    void add(std::string what) {
        if (list_.size() < 20) list_.push_back(std::move(what));
        ++count_;
    }
    std::size_t count() const { return count_; }
    std::string report() const {
        std::string s = std::to_string(count_) + " violation(s):";
        for (const auto& w : list_) s += "\n  " + w;
        return s;
    }

private:
    std::vector<std::string> list_;
    std::size_t count_ = 0;
};

template <class Id>
std::string str(Id id) {
    return std::to_string(id.value);
}

template <class Row>
void check_ids_and_names(const std::vector<Row>& rows, const char* kind, Violations& v) {
    std::unordered_set<std::string_view> names;
    names.reserve(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (rows[i].id.value != static_cast<std::int64_t>(i) + 1)
            v.add(std::string(kind) + " at " + std::to_string(i) + " has id " + str(rows[i].id));
        if (rows[i].name.empty()) v.add(std::string(kind) + " " + str(rows[i].id) + " has no name");
        if (!names.insert(rows[i].name).second)
            v.add(std::string(kind) + " name '" + rows[i].name + "' is not unique");
    }
}

template <class Id, class Row>
bool exists(const std::vector<Row>& rows, Id id) {
    // Ids are dense from 1 (checked separately), so existence is a range check.
    return id.value >= 1 && id.value <= static_cast<std::int64_t>(rows.size());
}

template <class Id, class Row>
const Row& at(const std::vector<Row>& rows, Id id) {
    return rows[static_cast<std::size_t>(id.value - 1)];
}

ServiceKind core_kind(PlatformField f) {
    switch (f) {
        case PlatformField::technology_support: return ServiceKind::technology_rd;
        case PlatformField::quality_testing: return ServiceKind::quality_testing;
        case PlatformField::intellectual_property: return ServiceKind::intellectual_property;
        case PlatformField::human_resources: return ServiceKind::talent;
        case PlatformField::investment_financing: return ServiceKind::financing_guarantee;
    }
    return ServiceKind::technology_rd;
}

int popcount(std::uint32_t m) {
    int n = 0;
    for (; m != 0; m &= m - 1) ++n;
    return n;
}

// Every invariant of Database::import_network(), and what the generator promises beyond them.
void check_network(const Network& n, const CityParams& p) {
    Violations v;
    check_ids_and_names(n.districts, "district", v);
    check_ids_and_names(n.zones, "zone", v);
    check_ids_and_names(n.platforms, "platform", v);
    check_ids_and_names(n.alliances, "alliance", v);
    check_ids_and_names(n.equipment_classes, "equipment class", v);
    check_ids_and_names(n.equipment, "equipment", v);
    check_ids_and_names(n.enterprises, "enterprise", v);

    // Travel: every pair of distinct districts once, as (lower id, higher id), in order.
    const std::size_t d = n.districts.size();
    if (n.travel.size() != d * (d - 1) / 2) v.add("travel has " + std::to_string(n.travel.size()) + " pairs");
    for (std::size_t i = 0; i < n.travel.size(); ++i) {
        const auto& t = n.travel[i];
        if (!exists(n.districts, t.from) || !exists(n.districts, t.to)) v.add("travel to an unknown district");
        if (!(t.from < t.to)) v.add("travel " + str(t.from) + "-" + str(t.to) + " is not (lower, higher)");
        if (t.minutes < 5) v.add("travel " + str(t.from) + "-" + str(t.to) + " under 5 minutes");
        if (i > 0 && !(std::pair(n.travel[i - 1].from, n.travel[i - 1].to) < std::pair(t.from, t.to)))
            v.add("travel not in ascending order at " + std::to_string(i));
    }
    auto minutes_between = [&](DistrictId a, DistrictId b) {
        if (a == b) return 0;
        for (const auto& t : n.travel)
            if ((t.from == a && t.to == b) || (t.from == b && t.to == a)) return t.minutes;
        return -1;
    };

    std::vector<int> zones_in(d, 0);
    for (const auto& z : n.zones) {
        if (!exists(n.districts, z.district)) {
            v.add("zone " + str(z.id) + " in an unknown district");
            continue;
        }
        ++zones_in[static_cast<std::size_t>(z.district.value - 1)];
        if (static_cast<int>(z.type) < 0 || static_cast<int>(z.type) >= zone_type_count) v.add("zone type");
    }
    for (std::size_t i = 0; i < d; ++i)
        if (zones_in[i] != p.zones_per_district) v.add("district " + std::to_string(i + 1) + " zone count");

    std::size_t operating = 0, higher_tiers = 0;
    for (const auto& pl : n.platforms) {
        const std::string who = "platform " + str(pl.id);
        if (!exists(n.districts, pl.site)) v.add(who + " sited in an unknown district");
        const int kinds = popcount(pl.services.mask());
        if (kinds < 2 || kinds > 6) v.add(who + " offers " + std::to_string(kinds) + " kinds");
        if (!pl.services.contains(core_kind(pl.field))) v.add(who + " lacks its field's core kind");
        if (static_cast<int>(pl.tier) < 0 || static_cast<int>(pl.tier) >= platform_tier_count) v.add(who + " tier");
        if (static_cast<int>(pl.operator_model) < 0 || static_cast<int>(pl.operator_model) >= operator_model_count)
            v.add(who + " operator model");
        if (pl.status == PlatformStatus::operating) ++operating;
        if (pl.tier == PlatformTier::provincial || pl.tier == PlatformTier::national) ++higher_tiers;
        if (pl.backbone && pl.status != PlatformStatus::operating) v.add(who + " is a backbone not operating");
        if (pl.parent) {
            if (!exists(n.platforms, pl.parent)) {
                v.add(who + " has an unknown parent");
                continue;
            }
            const auto& parent = at(n.platforms, pl.parent);
            if (!parent.backbone || parent.status != PlatformStatus::operating)
                v.add(who + "'s parent is not an operating backbone");
            if (pl.backbone) v.add(who + " is both a sub-platform and a backbone");
            if (pl.status != PlatformStatus::operating) v.add(who + " is a sub-platform not operating");
            if (pl.field != parent.field) v.add(who + " differs in field from its parent");
            if ((pl.services.mask() & ~parent.services.mask()) != 0) v.add(who + " offers what its parent does not");
            if (d > 1 && pl.site == parent.site) v.add(who + " sits in its parent's district");
            // No cycles: the chain of parents ends within as many steps as there are platforms.
            PlatformId up = pl.parent;
            std::size_t steps = 0;
            while (up && steps <= n.platforms.size() && exists(n.platforms, up)) {
                up = at(n.platforms, up).parent;
                ++steps;
            }
            if (steps > n.platforms.size()) v.add(who + " is in a cycle of parents");
        }
    }
    // Mostly operating; mostly district and municipal.
    if (operating * 4 < n.platforms.size() * 3) v.add("fewer than 75% of platforms operate");
    if (higher_tiers * 4 > n.platforms.size()) v.add("more than 25% of platforms are provincial/national");

    std::vector<int> served(n.platforms.size(), 0);
    for (std::size_t i = 0; i < n.zone_services.size(); ++i) {
        const auto& s = n.zone_services[i];
        if (!exists(n.platforms, s.platform) || !exists(n.zones, s.zone)) {
            v.add("zone service with an unknown platform or zone");
            continue;
        }
        ++served[static_cast<std::size_t>(s.platform.value - 1)];
        if (s.minutes < 0) v.add("zone service with negative minutes");
        const int base = minutes_between(at(n.zones, s.zone).district, at(n.platforms, s.platform).site);
        if (s.minutes < base) v.add("zone service faster than the road between the districts");
        if (i > 0 && !(std::pair(n.zone_services[i - 1].platform, n.zone_services[i - 1].zone) <
                       std::pair(s.platform, s.zone)))
            v.add("zone services not in ascending (platform, zone) order at " + std::to_string(i));
    }
    for (std::size_t i = 0; i < served.size(); ++i)
        if (served[i] == 0) v.add("platform " + std::to_string(i + 1) + " serves no zone");

    std::set<std::pair<std::int64_t, std::int64_t>> pairs;
    for (std::size_t i = 0; i < n.links.size(); ++i) {
        const auto& l = n.links[i];
        if (!exists(n.platforms, l.from) || !exists(n.platforms, l.to)) {
            v.add("link with an unknown platform");
            continue;
        }
        if (l.from == l.to) v.add("link from a platform to itself");
        if (l.kind == LinkKind::higher_tier && !(at(n.platforms, l.to).tier > at(n.platforms, l.from).tier))
            v.add("higher-tier link " + str(l.from) + "->" + str(l.to) + " does not go up");
        if (!pairs.emplace(std::min(l.from, l.to).value, std::max(l.from, l.to).value).second)
            v.add("two links between " + str(l.from) + " and " + str(l.to));
        if (i > 0 && !(std::pair(n.links[i - 1].from, n.links[i - 1].to) < std::pair(l.from, l.to)))
            v.add("links not in ascending order at " + std::to_string(i));
    }

    std::set<int> combos;
    bool any_one_stop = false;
    for (const auto& a : n.alliances) {
        const std::string who = "alliance " + str(a.id);
        combos.insert(static_cast<int>(a.scope) | static_cast<int>(a.sector) << 1 | static_cast<int>(a.breadth) << 2);
        any_one_stop = any_one_stop || a.one_stop;
        if (!exists(n.platforms, a.lead)) {
            v.add(who + " has an unknown lead");
            continue;
        }
        if (!at(n.platforms, a.lead).backbone) v.add(who + "'s lead is not a backbone");
        int leads = 0;
        bool lead_listed = false;
        std::set<PlatformId> seen;
        for (const auto& m : a.members) {
            if (!exists(n.platforms, m.platform)) v.add(who + " has an unknown member");
            if (!seen.insert(m.platform).second) v.add(who + " lists a platform twice");
            if (m.role == MemberRole::lead) ++leads;
            if (m.platform == a.lead) lead_listed = m.role == MemberRole::lead;
        }
        if (leads != 1 || !lead_listed) v.add(who + " does not have exactly its lead in the lead role");
        if (a.members.size() < 3) v.add(who + " has fewer than 3 members");
        if (!std::is_sorted(a.members.begin(), a.members.end(),
                            [](const auto& x, const auto& y) { return x.platform < y.platform; }))
            v.add(who + " members not in ascending order");
    }
    if (p.alliances >= 8 && combos.size() != 8) v.add("not every alliance type is present");
    if (p.alliances > 0 && !any_one_stop) v.add("no one-stop alliance");

    for (const auto& c : n.equipment_classes)
        if (c.category.empty()) v.add("equipment class " + str(c.id) + " has no category");
    for (const auto& e : n.equipment) {
        const std::string who = "equipment " + str(e.id);
        if (!exists(n.equipment_classes, e.equipment_class)) v.add(who + " of an unknown class");
        if (!exists(n.platforms, e.owner)) {
            v.add(who + " of an unknown owner");
            continue;
        }
        if (e.site != at(n.platforms, e.owner).site) v.add(who + " is not at its owner's site");
        if (e.capacity_units < 1 || e.capacity_units > 4) v.add(who + " has capacity " + std::to_string(e.capacity_units));
        if (e.purchase_value <= 0) v.add(who + " has no purchase value");
    }

    std::size_t small = 0;
    for (const auto& e : n.enterprises) {
        if (!exists(n.zones, e.zone)) v.add("enterprise " + str(e.id) + " in an unknown zone");
        if (e.sector.empty()) v.add("enterprise " + str(e.id) + " has no sector");
        if (e.size == EnterpriseSize::micro || e.size == EnterpriseSize::small) ++small;
    }
    if (small * 10 < n.enterprises.size() * 7) v.add("fewer than 70% of enterprises are micro or small");

    INFO(v.report());
    CHECK(v.count() == 0);
}

void check_sizes(const Network& n, std::size_t districts, std::size_t zones, std::size_t platforms,
                 std::size_t equipment, std::size_t enterprises) {
    CHECK(n.districts.size() == districts);
    CHECK(n.travel.size() == districts * (districts - 1) / 2);
    CHECK(n.zones.size() == zones);
    CHECK(n.platforms.size() == platforms);
    CHECK(n.equipment.size() == equipment);
    CHECK(n.enterprises.size() == enterprises);
    CHECK(!n.alliances.empty());
    CHECK(!n.equipment_classes.empty());
    CHECK(!n.zone_services.empty());
}

// FNV-1a over the fields that the random draws decide. A change of this value means a seed no
// longer gives the city it gave before: intended changes of the generator update it, anything
// else (a new compiler, another standard library) is a bug.
std::uint64_t fingerprint(const Network& n) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    auto mix = [&](std::int64_t x) {
        for (int i = 0; i < 8; ++i) {
            h ^= static_cast<std::uint64_t>(x >> (8 * i)) & 0xff;
            h *= 0x100000001b3ULL;
        }
    };
    auto mix_s = [&](const std::string& s) {
        for (unsigned char c : s) {
            h ^= c;
            h *= 0x100000001b3ULL;
        }
    };
    for (const auto& t : n.travel) mix(t.minutes);
    for (const auto& z : n.zones) { mix_s(z.name); mix(static_cast<int>(z.type)); }
    for (const auto& p : n.platforms) {
        mix_s(p.name);
        mix(static_cast<int>(p.tier));
        mix(static_cast<int>(p.field));
        mix(static_cast<int>(p.operator_model));
        mix(p.services.mask());
        mix(p.parent.value);
        mix(p.site.value);
        mix(static_cast<int>(p.status));
    }
    for (const auto& s : n.zone_services) { mix(s.platform.value); mix(s.zone.value); mix(s.minutes); }
    for (const auto& l : n.links) { mix(l.from.value); mix(l.to.value); mix(static_cast<int>(l.kind)); }
    for (const auto& a : n.alliances) {
        mix_s(a.name);
        mix(a.lead.value);
        mix(a.one_stop);
        for (const auto& m : a.members) { mix(m.platform.value); mix(static_cast<int>(m.role)); }
    }
    for (const auto& e : n.equipment) {
        mix_s(e.name);
        mix(e.owner.value);
        mix(e.capacity_units);
        mix(e.purchase_value);
    }
    for (const auto& e : n.enterprises) {
        mix_s(e.name);
        mix(e.zone.value);
        mix(static_cast<int>(e.size));
        mix_s(e.sector);
    }
    return h;
}

}  // namespace

TEST_CASE("synth: the same seed gives the same city, another seed another", "[synth]") {
    const auto a = synth::generate_city(CityParams::for_scale(Scale::city, 7));
    const auto b = synth::generate_city(CityParams::for_scale(Scale::city, 7));
    const auto c = synth::generate_city(CityParams::for_scale(Scale::city, 8));
    CHECK(a == b);
    CHECK_FALSE(a == c);
    // What is not drawn at random stays: the districts and the travel between them.
    CHECK(a.districts == c.districts);
    CHECK(a.travel == c.travel);
    CHECK_FALSE(a.platforms == c.platforms);
    CHECK_FALSE(a.enterprises == c.enterprises);
}

TEST_CASE("synth: a seed gives the same city on every platform", "[synth]") {
    // Guards the portability promise of synth.hpp (own PRNG and distributions, no
    // std::uniform_int_distribution); see fingerprint() for when to update the value.
    const auto n = synth::generate_city(CityParams::for_scale(Scale::district, 42));
    INFO("fingerprint " << fingerprint(n));
    CHECK(fingerprint(n) == 0xaabdbe090f61828dULL);
}

TEST_CASE("synth: each stage draws from its own stream", "[synth]") {
    auto p = CityParams::for_scale(Scale::city, 3);
    const auto a = synth::generate_city(p);
    p.equipment = 10;
    const auto b = synth::generate_city(p);
    CHECK(a.platforms == b.platforms);
    CHECK(a.alliances == b.alliances);
    CHECK(a.enterprises == b.enterprises);
    CHECK(b.equipment.size() == 10);
}

TEST_CASE("synth: district scale", "[synth]") {
    const auto p = CityParams::for_scale(Scale::district, 1);
    const auto n = synth::generate_city(p);
    check_sizes(n, 1, 6, 20, 300, 3'000);
    CHECK(n.districts[0].name == "上城区");
    check_network(n, p);
}

TEST_CASE("synth: city scale", "[synth]") {
    const auto p = CityParams::for_scale(Scale::city, 1);
    const auto n = synth::generate_city(p);
    check_sizes(n, 13, 52, 300, 5'000, 50'000);
    check_network(n, p);

    std::vector<std::string> names;
    for (const auto& d : n.districts) names.push_back(d.name);
    CHECK(names == std::vector<std::string>{"上城区", "拱墅区", "西湖区", "滨江区", "萧山区", "余杭区", "临平区",
                                            "钱塘区", "富阳区", "临安区", "桐庐县", "淳安县", "建德市"});
    // Travel grows with distance: West Lake's neighbours are close, Chun'an is hours away.
    auto minutes = [&](int a, int b) {
        for (const auto& t : n.travel)
            if (t.from.value == a && t.to.value == b) return t.minutes;
        return -1;
    };
    CHECK(minutes(1, 3) < 30);    // 上城–西湖
    CHECK(minutes(1, 12) > 100);  // 上城–淳安
    CHECK(minutes(1, 3) < minutes(1, 9));

    std::size_t backbones = 0, subs = 0;
    std::array<int, platform_tier_count> tiers{};
    for (const auto& pl : n.platforms) {
        backbones += pl.backbone;
        subs += static_cast<bool>(pl.parent);
        ++tiers[static_cast<std::size_t>(pl.tier)];
    }
    CHECK(backbones == 30);
    CHECK(subs == 90);
    for (int t : tiers) CHECK(t > 0);
    std::array<int, link_kind_count> link_kinds{};
    for (const auto& l : n.links) ++link_kinds[static_cast<std::size_t>(l.kind)];
    CHECK(link_kinds[0] > 0);
    CHECK(link_kinds[1] > 0);
}

TEST_CASE("synth: region scale", "[synth]") {
    const auto p = CityParams::for_scale(Scale::region, 1);
    const auto n = synth::generate_city(p);
    check_sizes(n, 13, 156, 3'000, 30'000, 500'000);
    check_network(n, p);
}

TEST_CASE("synth: parameters out of range are refused", "[synth]") {
    auto refused = [](auto change) {
        auto p = CityParams::for_scale(Scale::district);
        change(p);
        try {
            synth::generate_city(p);
        } catch (const Error& e) {
            return e.code() == ErrorCode::invalid;
        }
        return false;
    };
    CHECK(refused([](CityParams& p) { p.districts = 0; }));
    CHECK(refused([](CityParams& p) { p.districts = 14; }));
    CHECK(refused([](CityParams& p) { p.zones_per_district = 0; }));
    CHECK(refused([](CityParams& p) { p.platforms = 0; }));
    CHECK(refused([](CityParams& p) { p.backbone_share = 1.5; }));
    CHECK(refused([](CityParams& p) { p.sub_platform_share = -0.1; }));
    CHECK(refused([](CityParams& p) { p.equipment = -1; }));
    CHECK(refused([](CityParams& p) { p.equipment_classes = 0; }));
    CHECK(refused([](CityParams& p) { p.enterprises = -1; }));
    CHECK_THROWS_AS(CityParams::for_scale(static_cast<Scale>(9)), Error);
}

TEST_CASE("synth: small and odd parameters still give a valid network", "[synth]") {
    CityParams p;
    p.districts = 2;
    p.zones_per_district = 1;
    p.platforms = 1;
    p.backbone_share = 0;
    p.alliances = 3;
    p.equipment_classes = 1;
    p.equipment = 5;
    p.enterprises = 7;
    const auto n = synth::generate_city(p);
    CHECK(n.platforms.size() == 1);
    CHECK(n.platforms[0].backbone);  // an alliance needs a backbone to lead it
    CHECK(n.alliances.size() == 3);
    CHECK(n.equipment.size() == 5);
    CHECK(n.enterprises.size() == 7);
    // Beyond the catalogue, classes repeat as later generations under new names.
    p.equipment_classes = 130;
    const auto m = synth::generate_city(p);
    std::set<std::string> class_names;
    for (const auto& c : m.equipment_classes) class_names.insert(c.name);
    CHECK(class_names.size() == 130);
}

TEST_CASE("synth: Database imports the city and gives it back unchanged", "[synth]") {
    for (auto scale : {Scale::district, Scale::city}) {
        const auto net = synth::generate_city(CityParams::for_scale(scale, 5));
        auto db = Database::open(":memory:");
        db.import_network(Actor::office(), net);
        CHECK(db.snapshot() == net);
        const auto c = db.counts();
        CHECK(c.platforms == net.platforms.size());
        CHECK(c.enterprises == net.enterprises.size());
        CHECK(c.equipment == net.equipment.size());
        CHECK(c.alliances == net.alliances.size());
        CHECK(c.travel == net.travel.size());
    }
}

TEST_CASE("synth: a generated city gets calendars, tariffs, rules and a voucher scheme", "[synth][booking]") {
    auto db = psp::Database::open(":memory:");
    const auto office = psp::Actor::office();
    db.import_network(office, psp::synth::generate_city(psp::synth::CityParams::for_scale(psp::synth::Scale::district, 3)));
    const auto scheme = psp::synth::configure_booking(db, office, 3);
    CHECK(scheme == 1);
    CHECK(db.voucher_schemes().size() == 1);
    int saturday = 0;
    for (const auto& p : db.platforms()) saturday += db.calendar(p.id).weekly[5].empty() ? 0 : 1;
    CHECK(saturday > 0);
    CHECK(saturday < static_cast<int>(db.platforms().size()));
    for (const auto& e : db.equipment()) {
        const auto t = db.tariff(e.id);
        REQUIRE(t.has_value());
        CHECK(t->member_rate >= 5'000);
        CHECK(t->external_rate > t->member_rate);
        CHECK(db.booking_rules(e.id).late_cancel_fee == t->late_cancel_fee);
    }
}

TEST_CASE("synth: platforms specialise, so zones lack classes their own platforms hold none of", "[synth]") {
    // DESIGN.md §2.2 coverage gaps: the enterprises of such a zone must go elsewhere for the class.
    const auto n = synth::generate_city(CityParams::for_scale(Scale::city, 1));
    std::map<std::int64_t, std::set<std::int64_t>> classes_of_platform, classes_of_zone;
    for (const auto& e : n.equipment) classes_of_platform[e.owner.value].insert(e.equipment_class.value);
    for (const auto& zs : n.zone_services) {
        const auto& held = classes_of_platform[zs.platform.value];
        classes_of_zone[zs.zone.value].insert(held.begin(), held.end());
    }
    std::size_t gaps = 0, pairs = 0;
    for (const auto& z : n.zones) {
        for (const auto& c : n.equipment_classes) {
            ++pairs;
            if (!classes_of_zone[z.id.value].contains(c.id.value)) ++gaps;
        }
    }
    INFO(gaps << " of " << pairs << " (zone, class) pairs have no instrument at the zone's own platforms");
    CHECK(gaps > pairs / 10);
    CHECK(gaps < pairs * 9 / 10);
    // Every owner holds a few classes, not the catalogue.
    for (const auto& [platform, classes] : classes_of_platform) CHECK(classes.size() <= 12);
}
