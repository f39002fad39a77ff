// The invariants of DESIGN.md / issue 2, checked before any change reaches SQLite or memory.
#include "database/rules.hpp"

#include <cmath>
#include <set>

namespace psp::detail {
namespace {

[[noreturn]] void fail(ErrorCode code, std::string field, std::string message) {
    throw RuleError{code, std::move(field), std::move(message)};
}

template <class Enum>
void check_enum(Enum v, int count, const char* field) {
    const int i = static_cast<int>(v);
    if (i < 0 || i >= count) {
        fail(ErrorCode::invalid, field, "value " + std::to_string(i) + " is out of range 0.." + std::to_string(count - 1));
    }
}

template <class E>
std::string describe_in(const Table<E>& t, decltype(E::id) id, const char* kind) {
    const E* e = t.find(id);
    std::string s = std::string(kind) + " ";
    if (e) s += "'" + e->name + "' ";
    return s + "(id " + std::to_string(id.value) + ")";
}

template <class E>
void require(const Table<E>& t, decltype(E::id) id, const char* field, const char* kind) {
    if (!t.contains(id)) {
        fail(ErrorCode::not_found, field, std::string("no ") + kind + " with id " + std::to_string(id.value));
    }
}

void check_minutes(int minutes) {
    if (minutes < 0) fail(ErrorCode::invalid, "minutes", "travel minutes must be >= 0, got " + std::to_string(minutes));
    if (minutes > max_travel_minutes) {
        fail(ErrorCode::invalid, "minutes", "travel of " + std::to_string(minutes) + " minutes is absurd (limit " +
                                                std::to_string(max_travel_minutes) + ", a year)");
    }
}

}  // namespace

std::string describe(const State& s, DistrictId id) { return describe_in(s.districts, id, "district"); }
std::string describe(const State& s, ZoneId id) { return describe_in(s.zones, id, "zone"); }
std::string describe(const State& s, PlatformId id) { return describe_in(s.platforms, id, "platform"); }
std::string describe(const State& s, AllianceId id) { return describe_in(s.alliances, id, "alliance"); }
std::string describe(const State& s, EquipmentClassId id) { return describe_in(s.equipment_classes, id, "equipment class"); }
std::string describe(const State& s, EquipmentId id) { return describe_in(s.equipment, id, "equipment"); }
std::string describe(const State& s, EnterpriseId id) { return describe_in(s.enterprises, id, "enterprise"); }

void check(const State&, const District& d) {
    if (!std::isfinite(d.x_km)) fail(ErrorCode::invalid, "x_km", "position must be a finite number");
    if (!std::isfinite(d.y_km)) fail(ErrorCode::invalid, "y_km", "position must be a finite number");
}

void check(const State& s, const Zone& z) {
    check_enum(z.type, zone_type_count, "type");
    require(s.districts, z.district, "district", "district");
}

void check(const State& s, const Platform& p) {
    check_enum(p.tier, platform_tier_count, "tier");
    check_enum(p.field, platform_field_count, "field");
    check_enum(p.operator_model, operator_model_count, "operator_model");
    check_enum(p.status, platform_status_count, "status");
    if (!p.services.valid()) {
        fail(ErrorCode::invalid, "services", "holds a service kind outside the 14 (mask " + std::to_string(p.services.mask()) + ")");
    }
    require(s.districts, p.site, "site", "district");
    if (!p.parent) return;
    if (p.parent == p.id) fail(ErrorCode::invalid, "parent", "a platform cannot be its own parent");
    const Platform* parent = s.platforms.find(p.parent);
    if (!parent) fail(ErrorCode::not_found, "parent", "no platform with id " + std::to_string(p.parent.value));
    if (!parent->backbone) {
        fail(ErrorCode::invalid, "parent", describe(s, p.parent) + " is not a backbone platform");
    }
    if (parent->status != PlatformStatus::operating) {
        fail(ErrorCode::invalid, "parent",
             describe(s, p.parent) + " is " + to_string(parent->status) + ", not operating");
    }
    // Walk up from the new parent: reaching p again would close a cycle.
    std::set<PlatformId> seen{p.id};
    for (PlatformId up = p.parent; up;) {
        if (!seen.insert(up).second) {
            fail(ErrorCode::invalid, "parent", "making " + describe(s, p.parent) + " the parent would create a cycle of sub-platforms");
        }
        const Platform* q = s.platforms.find(up);
        if (!q) break;
        up = q->parent;
    }
}

namespace {
std::string first_few(const std::vector<std::string>& items) {
    std::string list;
    for (std::size_t i = 0; i < items.size() && i < 5; ++i) list += (i ? ", " : "") + items[i];
    if (items.size() > 5) list += ", and " + std::to_string(items.size() - 5) + " more";
    return list;
}
}  // namespace

// What others rely on stays true: sub-platforms need an operating backbone, alliances a backbone
// lead, and higher-tier links a tier above the linking platform.
void check_platform_update(const State& s, const Platform& p) {
    std::vector<std::string> children, led;
    for (const auto& [id, q] : s.platforms.rows()) {
        if (q.parent == p.id) children.push_back("sub-" + describe(s, id));
    }
    for (const auto& [id, a] : s.alliances.rows()) {
        if (a.lead == p.id) led.push_back(describe(s, id) + " it leads");
    }
    if (!p.backbone && !(children.empty() && led.empty())) {
        children.insert(children.end(), led.begin(), led.end());
        fail(ErrorCode::refused, "backbone", "cannot stop being a backbone while it has " + first_few(children));
    }
    if (p.status != PlatformStatus::operating && !children.empty()) {
        fail(ErrorCode::refused, "status",
             std::string("cannot become ") + to_string(p.status) + " while it has " + first_few(children) +
                 "; move or close them first");
    }
    std::vector<std::string> links;
    for (const auto& [key, kind] : s.links) {
        if (kind != LinkKind::higher_tier) continue;
        const PlatformId from(key.first), to(key.second);
        const PlatformTier from_tier = from == p.id ? p.tier : s.platforms.find(from)->tier;
        const PlatformTier to_tier = to == p.id ? p.tier : s.platforms.find(to)->tier;
        if ((from == p.id || to == p.id) && to_tier <= from_tier) {
            links.push_back("the higher_tier link from " + describe(s, from) + " to " + describe(s, to));
        }
    }
    if (!links.empty()) {
        fail(ErrorCode::refused, "tier", std::string("tier ") + to_string(p.tier) + " would break " + first_few(links));
    }
}

void check(const State& s, const Alliance& a) {
    check_enum(a.scope, alliance_scope_count, "scope");
    check_enum(a.sector, alliance_sector_count, "sector");
    check_enum(a.breadth, alliance_breadth_count, "breadth");
    std::set<PlatformId> seen;
    int leads = 0;
    for (std::size_t i = 0; i < a.members.size(); ++i) {
        const auto& m = a.members[i];
        const std::string field = "members/" + std::to_string(i);
        check_enum(m.role, member_role_count, (field + "/role").c_str());
        require(s.platforms, m.platform, (field + "/platform").c_str(), "platform");
        if (!seen.insert(m.platform).second) {
            fail(ErrorCode::invalid, field + "/platform", describe(s, m.platform) + " is listed twice");
        }
        if (m.role == MemberRole::lead) {
            ++leads;
            if (m.platform != a.lead) {
                fail(ErrorCode::invalid, field + "/role", describe(s, m.platform) + " has role lead but is not the alliance's lead");
            }
        }
    }
    require(s.platforms, a.lead, "lead", "platform");
    if (!seen.contains(a.lead) || leads != 1) {
        fail(ErrorCode::invalid, "lead", describe(s, a.lead) + " must be a member with role lead");
    }
    if (!s.platforms.find(a.lead)->backbone) {
        fail(ErrorCode::invalid, "lead", describe(s, a.lead) + " is not a backbone platform");
    }
}

void check(const State&, const EquipmentClass& c) {
    if (!valid_utf8(c.category)) fail(ErrorCode::invalid, "category", "is not valid UTF-8");
}

void check(const State& s, const Equipment& e) {
    require(s.equipment_classes, e.equipment_class, "equipment_class", "equipment class");
    require(s.platforms, e.owner, "owner", "platform");
    require(s.districts, e.site, "site", "district");
    if (e.capacity_units < 1) {
        fail(ErrorCode::invalid, "capacity_units", "capacity must be >= 1 unit, got " + std::to_string(e.capacity_units));
    }
    if (e.purchase_value < 0) {
        fail(ErrorCode::invalid, "purchase_value", "money must be >= 0 fen, got " + std::to_string(e.purchase_value));
    }
}

void check(const State& s, const Enterprise& e) {
    check_enum(e.size, enterprise_size_count, "size");
    if (!valid_utf8(e.sector)) fail(ErrorCode::invalid, "sector", "is not valid UTF-8");
    require(s.zones, e.zone, "zone", "zone");
}

void check(const State& s, const DistrictTravel& t) {
    require(s.districts, t.from, "from", "district");
    require(s.districts, t.to, "to", "district");
    if (t.from == t.to) fail(ErrorCode::invalid, "to", "travel needs two different districts");
    check_minutes(t.minutes);
}

void check(const State& s, const ZoneService& z) {
    require(s.platforms, z.platform, "platform", "platform");
    require(s.zones, z.zone, "zone", "zone");
    check_minutes(z.minutes);
}

void check(const State& s, const PlatformLink& l) {
    check_enum(l.kind, link_kind_count, "kind");
    require(s.platforms, l.from, "from", "platform");
    require(s.platforms, l.to, "to", "platform");
    if (l.from == l.to) fail(ErrorCode::invalid, "to", "a platform cannot be linked to itself");
    if (l.kind == LinkKind::higher_tier && s.platforms.find(l.to)->tier <= s.platforms.find(l.from)->tier) {
        fail(ErrorCode::invalid, "to",
             describe(s, l.to) + " is not of a higher tier than " + describe(s, l.from));
    }
}

std::vector<std::string> dependents(const State& s, DistrictId id) {
    std::vector<std::string> out;
    for (const auto& [zid, z] : s.zones.rows()) if (z.district == id) out.push_back(describe(s, zid));
    for (const auto& [pid, p] : s.platforms.rows()) if (p.site == id) out.push_back(describe(s, pid));
    for (const auto& [eid, e] : s.equipment.rows()) if (e.site == id) out.push_back(describe(s, eid));
    return out;
}

std::vector<std::string> dependents(const State& s, ZoneId id) {
    std::vector<std::string> out;
    for (const auto& [eid, e] : s.enterprises.rows()) if (e.zone == id) out.push_back(describe(s, eid));
    return out;
}

std::vector<std::string> dependents(const State& s, PlatformId id) {
    std::vector<std::string> out;
    for (const auto& [pid, p] : s.platforms.rows()) {
        if (p.parent == id) out.push_back("sub-" + describe(s, pid));
    }
    for (const auto& [aid, a] : s.alliances.rows()) {
        for (const auto& m : a.members) {
            if (m.platform == id) out.push_back(describe(s, aid));
        }
    }
    for (const auto& [eid, e] : s.equipment.rows()) if (e.owner == id) out.push_back(describe(s, eid));
    return out;
}

std::vector<std::string> dependents(const State&, AllianceId) { return {}; }

std::vector<std::string> dependents(const State& s, EquipmentClassId id) {
    std::vector<std::string> out;
    for (const auto& [eid, e] : s.equipment.rows()) if (e.equipment_class == id) out.push_back(describe(s, eid));
    return out;
}

std::vector<std::string> dependents(const State&, EquipmentId) { return {}; }
std::vector<std::string> dependents(const State&, EnterpriseId) { return {}; }

}  // namespace psp::detail
