// The in-memory working state of a Database: entity tables with name indexes, and relations.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>

#include "psp/network.hpp"

namespace psp::detail {

// Rows of one entity kind by id, plus the index that keeps names unique per kind.
template <class E>
class Table {
public:
    using IdType = decltype(E::id);

    const E* find(IdType id) const {
        auto it = rows_.find(id);
        return it == rows_.end() ? nullptr : &it->second;
    }
    bool contains(IdType id) const { return rows_.contains(id); }
    // The id holding `name`, or 0.
    IdType id_of(const std::string& name) const {
        auto it = names_.find(name);
        return it == names_.end() ? IdType() : it->second;
    }
    IdType next_id() const { return IdType(rows_.empty() ? 1 : rows_.rbegin()->first.value + 1); }
    std::size_t size() const { return rows_.size(); }
    void reserve(std::size_t n) { names_.reserve(n); }   // avoids rehashing on bulk loads
    const std::map<IdType, E>& rows() const { return rows_; }

    void put(const E& e) {
        auto it = rows_.find(e.id);
        if (it != rows_.end()) {
            names_.erase(it->second.name);
            it->second = e;
        } else {
            rows_.emplace(e.id, e);
        }
        names_[e.name] = e.id;
    }
    void erase(IdType id) {
        auto it = rows_.find(id);
        if (it == rows_.end()) return;
        names_.erase(it->second.name);
        rows_.erase(it);
    }

private:
    std::map<IdType, E> rows_;
    std::unordered_map<std::string, IdType> names_;
};

using Key = std::pair<std::int64_t, std::int64_t>;

struct State {
    Table<District> districts;
    Table<Zone> zones;
    Table<Platform> platforms;
    Table<Alliance> alliances;
    Table<EquipmentClass> equipment_classes;
    Table<Equipment> equipment;
    Table<Enterprise> enterprises;
    std::map<Key, int> travel;              // (min district, max district) -> minutes
    std::map<Key, int> zone_services;       // (platform, zone) -> minutes
    std::map<Key, LinkKind> links;          // (from, to) -> kind

    template <class E> Table<E>& table();
    template <class E> const Table<E>& table() const { return const_cast<State*>(this)->table<E>(); }

    std::vector<DistrictTravel> travel_rows() const;
    std::vector<ZoneService> zone_service_rows() const;
    std::vector<PlatformLink> link_rows() const;

    static State from(const Network& n);
    Network to_network() const;
};

template <> inline Table<District>& State::table<District>() { return districts; }
template <> inline Table<Zone>& State::table<Zone>() { return zones; }
template <> inline Table<Platform>& State::table<Platform>() { return platforms; }
template <> inline Table<Alliance>& State::table<Alliance>() { return alliances; }
template <> inline Table<EquipmentClass>& State::table<EquipmentClass>() { return equipment_classes; }
template <> inline Table<Equipment>& State::table<Equipment>() { return equipment; }
template <> inline Table<Enterprise>& State::table<Enterprise>() { return enterprises; }

inline Key travel_key(DistrictId a, DistrictId b) { return std::minmax(a.value, b.value); }

}  // namespace psp::detail
