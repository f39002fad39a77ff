// Importing a whole network: validated completely first (errors carry the JSON path of the first
// bad value), then written in one transaction; the database must be empty.
#include <set>
#include <unordered_map>

#include "database/impl.hpp"

namespace psp {
namespace {

std::string at(const char* array, std::size_t i, const std::string& field = {}) {
    return std::string("/") + array + "/" + std::to_string(i) + (field.empty() ? "" : "/" + field);
}

template <class E>
void check_ids(const std::vector<E>& rows, const char* array) {
    std::set<std::int64_t> seen;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (rows[i].id.value <= 0) {
            throw Error(ErrorCode::invalid, at(array, i, "id") + ": ids are positive, got " + std::to_string(rows[i].id.value));
        }
        if (!seen.insert(rows[i].id.value).second) {
            throw Error(ErrorCode::exists, at(array, i, "id") + ": duplicate id " + std::to_string(rows[i].id.value));
        }
    }
}

template <class E>
void check_rows(const State& s, const std::vector<E>& rows, const char* array) {
    std::unordered_map<std::string, std::size_t> first_use;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        try {
            if (auto [it, fresh] = first_use.emplace(rows[i].name, i); !fresh) {
                throw RuleError{ErrorCode::exists, "name",
                                "'" + rows[i].name + "' is already used by " + at(array, it->second)};
            }
            detail::check_name_text(rows[i].name);
            detail::check(s, rows[i]);
        } catch (const RuleError& r) {
            throw Error(r.code, at(array, i, r.field) + ": " + r.message);
        }
    }
}

template <class R, class KeyFn>
void check_relations(const State& s, const std::vector<R>& rows, const char* array, KeyFn key) {
    std::set<detail::Key> seen;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        try {
            detail::check(s, rows[i]);
        } catch (const RuleError& r) {
            throw Error(r.code, at(array, i, r.field) + ": " + r.message);
        }
        if (!seen.insert(key(rows[i])).second) throw Error(ErrorCode::exists, at(array, i) + ": given twice");
    }
}

}  // namespace

void Database::Impl::import_network(const Actor& actor, Network n) {
    require_permission(actor, Action::import_network, false, "the network");
    if (state.districts.size() + state.zones.size() + state.platforms.size() + state.alliances.size() +
            state.equipment_classes.size() + state.equipment.size() + state.enterprises.size() != 0) {
        throw Error(ErrorCode::refused, "import needs an empty database; '" + store.connection().path() + "' already holds a network");
    }
    check_ids(n.districts, "districts");
    check_ids(n.zones, "zones");
    check_ids(n.platforms, "platforms");
    check_ids(n.alliances, "alliances");
    check_ids(n.equipment_classes, "equipment_classes");
    check_ids(n.equipment, "equipment");
    check_ids(n.enterprises, "enterprises");
    for (auto& t : n.travel) {
        if (t.to < t.from) std::swap(t.from, t.to);
    }

    State next = State::from(n);
    check_rows(next, n.districts, "districts");
    check_rows(next, n.zones, "zones");
    check_rows(next, n.platforms, "platforms");
    check_rows(next, n.alliances, "alliances");
    check_rows(next, n.equipment_classes, "equipment_classes");
    check_rows(next, n.equipment, "equipment");
    check_rows(next, n.enterprises, "enterprises");
    check_relations(next, n.travel, "travel", [](const DistrictTravel& t) { return detail::travel_key(t.from, t.to); });
    check_relations(next, n.zone_services, "zone_services",
                    [](const ZoneService& z) { return detail::Key{z.platform.value, z.zone.value}; });
    check_relations(next, n.links, "links", [](const PlatformLink& l) { return detail::Key{l.from.value, l.to.value}; });

    auto& conn = store.connection();
    commit(
        [&] {
            // Rows may refer forward (a parent with a larger id); check references at commit.
            conn.defer_foreign_keys();
            for (const auto& e : n.districts) store.insert(e);
            for (const auto& e : n.zones) store.insert(e);
            for (const auto& e : n.platforms) store.insert(e);
            for (const auto& e : n.alliances) store.insert(e);
            for (const auto& e : n.equipment_classes) store.insert(e);
            for (const auto& e : n.equipment) store.insert(e);
            for (const auto& e : n.enterprises) store.insert(e);
            for (const auto& e : n.travel) store.put(e);
            for (const auto& e : n.zone_services) store.put(e);
            for (const auto& e : n.links) store.put(e);
            journal(store, actor, "import", EntityKind::network, 0,
                    {{"districts", n.districts.size()}, {"zones", n.zones.size()},
                     {"platforms", n.platforms.size()}, {"alliances", n.alliances.size()},
                     {"equipment_classes", n.equipment_classes.size()}, {"equipment", n.equipment.size()},
                     {"enterprises", n.enterprises.size()}, {"travel", n.travel.size()},
                     {"zone_services", n.zone_services.size()}, {"links", n.links.size()}});
        },
        [&] { state = std::move(next); });
}

}  // namespace psp
