// Per-entity facts the generic Database operations need: journal kind, permission action, and
// whether an actor acts on its own platform or enterprise.
#pragma once

#include "psp/actor.hpp"
#include "psp/journal.hpp"
#include "psp/model.hpp"

namespace psp::detail {

template <class E> struct Traits;

template <> struct Traits<District> {
    static constexpr EntityKind kind = EntityKind::district;
    static constexpr Action add = Action::manage_districts, update = Action::manage_districts,
                            remove = Action::manage_districts;
    static bool own(const Actor&, const District&) { return false; }
};
template <> struct Traits<Zone> {
    static constexpr EntityKind kind = EntityKind::zone;
    static constexpr Action add = Action::manage_zones, update = Action::manage_zones, remove = Action::manage_zones;
    static bool own(const Actor&, const Zone&) { return false; }
};
template <> struct Traits<Platform> {
    static constexpr EntityKind kind = EntityKind::platform;
    static constexpr Action add = Action::create_platform, update = Action::update_platform,
                            remove = Action::remove_platform;
    static bool own(const Actor& a, const Platform& p) { return a.platform && a.platform == p.id; }
};
template <> struct Traits<Alliance> {
    static constexpr EntityKind kind = EntityKind::alliance;
    static constexpr Action add = Action::manage_alliance, update = Action::manage_alliance,
                            remove = Action::manage_alliance;
    static bool own(const Actor& a, const Alliance& al) { return a.platform && a.platform == al.lead; }
};
template <> struct Traits<EquipmentClass> {
    static constexpr EntityKind kind = EntityKind::equipment_class;
    static constexpr Action add = Action::manage_catalogue, update = Action::manage_catalogue,
                            remove = Action::manage_catalogue;
    static bool own(const Actor&, const EquipmentClass&) { return false; }
};
template <> struct Traits<Equipment> {
    static constexpr EntityKind kind = EntityKind::equipment;
    static constexpr Action add = Action::manage_equipment, update = Action::manage_equipment,
                            remove = Action::manage_equipment;
    static bool own(const Actor& a, const Equipment& e) { return a.platform && a.platform == e.owner; }
};
template <> struct Traits<Enterprise> {
    static constexpr EntityKind kind = EntityKind::enterprise;
    static constexpr Action add = Action::manage_enterprise, update = Action::manage_enterprise,
                            remove = Action::manage_enterprise;
    static bool own(const Actor& a, const Enterprise& e) { return a.enterprise && a.enterprise == e.id; }
};

}  // namespace psp::detail
