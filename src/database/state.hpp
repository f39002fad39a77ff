// The in-memory working state of a Database: entity tables with name indexes, and relations.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "psp/network.hpp"

namespace psp::detail {

// Rows of one entity kind by id, plus the index that keeps names unique per kind.
template <class E>
class Table {
public:
    using IdType = decltype(E::id);

    Table() = default;
    // A copy points its index at its own rows; a move keeps the rows' nodes, so the index too.
    Table(const Table& other) : rows_(other.rows_), names_(other.names_) { reindex(); }
    Table& operator=(const Table& other) {
        if (this != &other) {
            rows_ = other.rows_;
            names_ = other.names_;
            reindex();
        }
        return *this;
    }
    Table(Table&&) noexcept = default;
    Table& operator=(Table&&) noexcept = default;

    const E* find(IdType id) const {
        if (id.value >= 0 && static_cast<std::uint64_t>(id.value) < dense_.size()) return dense_[static_cast<std::size_t>(id.value)];
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
            it = rows_.emplace(e.id, e).first;
            cover(e.id.value);
        }
        names_[e.name] = e.id;
    }
    void erase(IdType id) {
        auto it = rows_.find(id);
        if (it == rows_.end()) return;
        names_.erase(it->second.name);
        if (id.value >= 0 && static_cast<std::uint64_t>(id.value) < dense_.size()) dense_[static_cast<std::size_t>(id.value)] = nullptr;
        rows_.erase(it);
    }

private:
    // Extends the dense index over `id` when ids stay dense (at most twice the row count, plus
    // slack), filling in the rows it now covers; a sparse or huge id stays in the map only.
    void cover(std::int64_t id) {
        if (id < 0) return;
        const auto want = static_cast<std::uint64_t>(id) + 1;
        if (want <= dense_.size()) {
            dense_[static_cast<std::size_t>(id)] = &rows_.find(IdType(id))->second;
            return;
        }
        if (want > 2 * rows_.size() + 1024 || want > (std::uint64_t{1} << 26)) return;
        const auto from = static_cast<std::int64_t>(dense_.size());
        dense_.resize(std::max<std::size_t>(static_cast<std::size_t>(want), dense_.size() * 3 / 2), nullptr);
        for (auto it = rows_.lower_bound(IdType(from)); it != rows_.end() && static_cast<std::uint64_t>(it->first.value) < dense_.size(); ++it) {
            dense_[static_cast<std::size_t>(it->first.value)] = &it->second;
        }
    }

    void reindex() {
        dense_.clear();
        for (const auto& [id, row] : rows_) cover(id.value);
    }

    std::map<IdType, E> rows_;
    std::unordered_map<std::string, IdType> names_;
    // dense_[id] is the row of id, or nullptr, for every id below dense_.size(): a look-up by id
    // is one index instead of a walk down a tree of tens of thousands of rows.
    std::vector<const E*> dense_;
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
