// C ABI: add, update, remove, get, contains and iterate every entity of the network.
#include "capi.hpp"

namespace psp::capi {
namespace {

// What the generic wrappers need to know about one entity kind.
template <class C>
struct Traits;

template <>
struct Traits<psp_district> {
    using Cpp = District;
    using Id = DistrictId;
    static constexpr unsigned version = PSP_DISTRICT_VERSION;
    static constexpr const char* name = "district";
    static std::vector<Cpp> list(const Database& db) { return db.districts(); }
};
template <>
struct Traits<psp_zone> {
    using Cpp = Zone;
    using Id = ZoneId;
    static constexpr unsigned version = PSP_ZONE_VERSION;
    static constexpr const char* name = "zone";
    static std::vector<Cpp> list(const Database& db) { return db.zones(); }
};
template <>
struct Traits<psp_platform> {
    using Cpp = Platform;
    using Id = PlatformId;
    static constexpr unsigned version = PSP_PLATFORM_VERSION;
    static constexpr const char* name = "platform";
    static std::vector<Cpp> list(const Database& db) { return db.platforms(); }
};
template <>
struct Traits<psp_alliance> {
    using Cpp = Alliance;
    using Id = AllianceId;
    static constexpr unsigned version = PSP_ALLIANCE_VERSION;
    static constexpr const char* name = "alliance";
    static std::vector<Cpp> list(const Database& db) { return db.alliances(); }
};
template <>
struct Traits<psp_equipment_class> {
    using Cpp = EquipmentClass;
    using Id = EquipmentClassId;
    static constexpr unsigned version = PSP_EQUIPMENT_CLASS_VERSION;
    static constexpr const char* name = "equipment_class";
    static std::vector<Cpp> list(const Database& db) { return db.equipment_classes(); }
};
template <>
struct Traits<psp_equipment> {
    using Cpp = Equipment;
    using Id = EquipmentId;
    static constexpr unsigned version = PSP_EQUIPMENT_VERSION;
    static constexpr const char* name = "equipment";
    static std::vector<Cpp> list(const Database& db) { return db.equipment(); }
};
template <>
struct Traits<psp_enterprise> {
    using Cpp = Enterprise;
    using Id = EnterpriseId;
    static constexpr unsigned version = PSP_ENTERPRISE_VERSION;
    static constexpr const char* name = "enterprise";
    static std::vector<Cpp> list(const Database& db) { return db.enterprises(); }
};

// --- C -> C++ (checked) ---------------------------------------------------------------------

District from_c(const psp_district& c) {
    District d;
    d.id = DistrictId(c.id);
    d.name = std::string(require_str(c.name, "district.name"));
    d.x_km = c.x_km;
    d.y_km = c.y_km;
    return d;
}

Zone from_c(const psp_zone& c) {
    Zone z;
    z.id = ZoneId(c.id);
    z.name = std::string(require_str(c.name, "zone.name"));
    z.district = DistrictId(c.district);
    z.type = require_enum<ZoneType>(c.type, zone_type_count, "zone.type");
    return z;
}

Platform from_c(const psp_platform& c) {
    Platform p;
    p.id = PlatformId(c.id);
    p.name = std::string(require_str(c.name, "platform.name"));
    p.tier = require_enum<PlatformTier>(c.tier, platform_tier_count, "platform.tier");
    p.field = require_enum<PlatformField>(c.field, platform_field_count, "platform.field");
    p.operator_model = require_enum<OperatorModel>(c.operator_model, operator_model_count, "platform.operator_model");
    if ((c.services & ~ServiceSet::all_mask) != 0) {
        invalid("platform.services: bits set outside the " + std::to_string(service_kind_count) + " service kinds");
    }
    p.services = ServiceSet(c.services);
    p.backbone = c.backbone != 0;
    p.parent = PlatformId(c.parent);
    p.site = DistrictId(c.site);
    p.status = require_enum<PlatformStatus>(c.status, platform_status_count, "platform.status");
    return p;
}

Alliance from_c(const psp_alliance& c) {
    Alliance a;
    a.id = AllianceId(c.id);
    a.name = std::string(require_str(c.name, "alliance.name"));
    a.scope = require_enum<AllianceScope>(c.scope, alliance_scope_count, "alliance.scope");
    a.sector = require_enum<AllianceSector>(c.sector, alliance_sector_count, "alliance.sector");
    a.breadth = require_enum<AllianceBreadth>(c.breadth, alliance_breadth_count, "alliance.breadth");
    a.lead = PlatformId(c.lead);
    if (c.member_count > 0 && c.members == nullptr) invalid("alliance.members is NULL but member_count is not 0");
    a.members.reserve(c.member_count);
    for (std::size_t i = 0; i < c.member_count; ++i) {
        auto role = require_enum<MemberRole>(c.members[i].role, member_role_count,
                                             ("alliance.members[" + std::to_string(i) + "].role").c_str());
        a.members.push_back({PlatformId(c.members[i].platform), role});
    }
    a.one_stop = c.one_stop != 0;
    return a;
}

EquipmentClass from_c(const psp_equipment_class& c) {
    EquipmentClass e;
    e.id = EquipmentClassId(c.id);
    e.name = std::string(require_str(c.name, "equipment_class.name"));
    e.category = std::string(optional_str(c.category, "equipment_class.category"));
    return e;
}

Equipment from_c(const psp_equipment& c) {
    Equipment e;
    e.id = EquipmentId(c.id);
    e.name = std::string(require_str(c.name, "equipment.name"));
    e.equipment_class = EquipmentClassId(c.equipment_class);
    e.owner = PlatformId(c.owner);
    e.capacity_units = c.capacity_units;
    e.site = DistrictId(c.site);
    e.purchase_value = c.purchase_value;
    return e;
}

Enterprise from_c(const psp_enterprise& c) {
    Enterprise e;
    e.id = EnterpriseId(c.id);
    e.name = std::string(require_str(c.name, "enterprise.name"));
    e.zone = ZoneId(c.zone);
    e.size = require_enum<EnterpriseSize>(c.size, enterprise_size_count, "enterprise.size");
    e.sector = std::string(optional_str(c.sector, "enterprise.sector"));
    return e;
}

// --- C++ -> C (borrowing from the C++ value and scratch) ------------------------------------

void to_c(const District& d, psp_district& c, Scratch&) {
    c.id = d.id.value;
    c.name = d.name.c_str();
    c.x_km = d.x_km;
    c.y_km = d.y_km;
}

void to_c(const Zone& z, psp_zone& c, Scratch&) {
    c.id = z.id.value;
    c.name = z.name.c_str();
    c.district = z.district.value;
    c.type = static_cast<int>(z.type);
}

void to_c(const Platform& p, psp_platform& c, Scratch&) {
    c.id = p.id.value;
    c.name = p.name.c_str();
    c.tier = static_cast<int>(p.tier);
    c.field = static_cast<int>(p.field);
    c.operator_model = static_cast<int>(p.operator_model);
    c.services = p.services.mask();
    c.backbone = p.backbone ? 1 : 0;
    c.parent = p.parent.value;
    c.site = p.site.value;
    c.status = static_cast<int>(p.status);
}

void to_c(const Alliance& a, psp_alliance& c, Scratch& s) {
    c.id = a.id.value;
    c.name = a.name.c_str();
    c.scope = static_cast<int>(a.scope);
    c.sector = static_cast<int>(a.sector);
    c.breadth = static_cast<int>(a.breadth);
    c.lead = a.lead.value;
    s.members.clear();
    for (const auto& m : a.members) s.members.push_back({m.platform.value, static_cast<int>(m.role)});
    c.members = s.members.data();
    c.member_count = s.members.size();
    c.one_stop = a.one_stop ? 1 : 0;
}

void to_c(const EquipmentClass& e, psp_equipment_class& c, Scratch&) {
    c.id = e.id.value;
    c.name = e.name.c_str();
    c.category = e.category.c_str();
}

void to_c(const Equipment& e, psp_equipment& c, Scratch&) {
    c.id = e.id.value;
    c.name = e.name.c_str();
    c.equipment_class = e.equipment_class.value;
    c.owner = e.owner.value;
    c.capacity_units = e.capacity_units;
    c.site = e.site.value;
    c.purchase_value = e.purchase_value;
}

void to_c(const Enterprise& e, psp_enterprise& c, Scratch&) {
    c.id = e.id.value;
    c.name = e.name.c_str();
    c.zone = e.zone.value;
    c.size = static_cast<int>(e.size);
    c.sector = e.sector.c_str();
}

// --- The generic operations -----------------------------------------------------------------

template <class C>
int add(const char* fn, std::int64_t* out, psp_db* db, const psp_actor* actor, const C* in) {
    using T = Traits<C>;
    return guard(fn, [&] {
        auto& h = handle(db);
        auto a = actor_from_c(actor);
        auto value = from_c(require_struct(in, T::version, T::name));
        std::lock_guard lock(h.mu);
        auto id = h.db.add(a, std::move(value));
        if (out != nullptr) *out = id.value;
        return 0;
    });
}

template <class C>
int update(const char* fn, psp_db* db, const psp_actor* actor, const C* in) {
    using T = Traits<C>;
    return guard(fn, [&] {
        auto& h = handle(db);
        auto a = actor_from_c(actor);
        auto value = from_c(require_struct(in, T::version, T::name));
        std::lock_guard lock(h.mu);
        h.db.update(a, value);
        return 0;
    });
}

template <class C>
int remove(const char* fn, psp_db* db, const psp_actor* actor, std::int64_t id) {
    using T = Traits<C>;
    return guard(fn, [&] {
        auto& h = handle(db);
        auto a = actor_from_c(actor);
        std::lock_guard lock(h.mu);
        h.db.remove(a, typename T::Id(id));
        return 0;
    });
}

// The value a _get borrows from: one per entity kind and thread.
template <class Cpp>
struct Borrowed {
    Cpp value;
    Scratch scratch;
};

template <class Cpp>
Borrowed<Cpp>& borrowed() {
    thread_local Borrowed<Cpp> b;
    return b;
}

template <class C>
int get(const char* fn, C* out, psp_db* db, std::int64_t id) {
    using T = Traits<C>;
    return guard(fn, [&] {
        auto& o = require_struct(out, T::version, "out");
        auto& h = handle(db);
        auto& b = borrowed<typename T::Cpp>();
        {
            std::lock_guard lock(h.mu);
            b.value = h.db.get(typename T::Id(id));
        }
        to_c(b.value, o, b.scratch);
        return 0;
    });
}

template <class C>
int contains(const char* fn, int* out, psp_db* db, std::int64_t id) {
    using T = Traits<C>;
    return guard(fn, [&] {
        auto& o = require(out, "out");
        auto& h = handle(db);
        std::lock_guard lock(h.mu);
        o = h.db.contains(typename T::Id(id)) ? 1 : 0;
        return 0;
    });
}

template <class C, class It>
int iter_new_all(const char* fn, It** out, psp_db* db) {
    return iter_new(fn, out, db, [](const Database& d) { return Traits<C>::list(d); });
}

template <class C, class It>
int iter_next_row(const char* fn, C* out, It* it) {
    return iter_next(fn, out, it, Traits<C>::version,
                     [](const auto& row, C& c, Scratch& s) { to_c(row, c, s); });
}

}  // namespace
}  // namespace psp::capi

struct psp_district_iter : psp::capi::Iter<psp::District> { using Iter::Iter; };
struct psp_zone_iter : psp::capi::Iter<psp::Zone> { using Iter::Iter; };
struct psp_platform_iter : psp::capi::Iter<psp::Platform> { using Iter::Iter; };
struct psp_alliance_iter : psp::capi::Iter<psp::Alliance> { using Iter::Iter; };
struct psp_equipment_class_iter : psp::capi::Iter<psp::EquipmentClass> { using Iter::Iter; };
struct psp_equipment_iter : psp::capi::Iter<psp::Equipment> { using Iter::Iter; };
struct psp_enterprise_iter : psp::capi::Iter<psp::Enterprise> { using Iter::Iter; };

// One block of eight functions per entity; the macro only spells the names.
#define PSP_ENTITY_FUNCTIONS(x, X)                                                                      \
    PSP_EXTERN(int) psp_##x##_init(psp_##x* p, unsigned version) {                                     \
        return psp::capi::init_struct("psp_" #x "_init", p, version, PSP_##X##_VERSION, #x,             \
                                      psp_##x PSP_##X##_INIT);                                          \
    }                                                                                                  \
    PSP_EXTERN(int) psp_##x##_add(int64_t* out, psp_db* db, const psp_actor* actor, const psp_##x* p) { \
        return psp::capi::add("psp_" #x "_add", out, db, actor, p);                                     \
    }                                                                                                  \
    PSP_EXTERN(int) psp_##x##_update(psp_db* db, const psp_actor* actor, const psp_##x* p) {            \
        return psp::capi::update("psp_" #x "_update", db, actor, p);                                    \
    }                                                                                                  \
    PSP_EXTERN(int) psp_##x##_remove(psp_db* db, const psp_actor* actor, int64_t id) {                  \
        return psp::capi::remove<psp_##x>("psp_" #x "_remove", db, actor, id);                          \
    }                                                                                                  \
    PSP_EXTERN(int) psp_##x##_get(psp_##x* out, psp_db* db, int64_t id) {                              \
        return psp::capi::get("psp_" #x "_get", out, db, id);                                           \
    }                                                                                                  \
    PSP_EXTERN(int) psp_##x##_contains(int* out, psp_db* db, int64_t id) {                             \
        return psp::capi::contains<psp_##x>("psp_" #x "_contains", out, db, id);                        \
    }                                                                                                  \
    PSP_EXTERN(int) psp_##x##_iter_new(psp_##x##_iter** out, psp_db* db) {                             \
        return psp::capi::iter_new_all<psp_##x>("psp_" #x "_iter_new", out, db);                        \
    }                                                                                                  \
    PSP_EXTERN(int) psp_##x##_iter_next(psp_##x* out, psp_##x##_iter* it) {                            \
        return psp::capi::iter_next_row("psp_" #x "_iter_next", out, it);                               \
    }                                                                                                  \
    PSP_EXTERN(void) psp_##x##_iter_free(psp_##x##_iter* it) { delete it; }

extern "C" {
PSP_ENTITY_FUNCTIONS(district, DISTRICT)
PSP_ENTITY_FUNCTIONS(zone, ZONE)
PSP_ENTITY_FUNCTIONS(platform, PLATFORM)
PSP_ENTITY_FUNCTIONS(alliance, ALLIANCE)
PSP_ENTITY_FUNCTIONS(equipment_class, EQUIPMENT_CLASS)
PSP_ENTITY_FUNCTIONS(equipment, EQUIPMENT)
PSP_ENTITY_FUNCTIONS(enterprise, ENTERPRISE)
}  // extern "C"
