// The tariff of each instrument, by equipment id (Database::Impl::tariffs).
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "psp/pricing.hpp"

namespace psp::detail {

// Routing reads the tariff of every instrument in reach of a request with a price ceiling, to
// refuse those it cannot afford before their calendars. Equipment ids are small and dense, so a
// tariff is a slot in an array (a city's fit in the processor's cache), with a map for ids
// beyond it: a network imported with huge ids costs a map, not an array up to them.
class TariffTable {
public:
    // The instrument's tariff, or nullptr when it has none (free of charge).
    const Tariff* find(std::int64_t equipment) const {
        if (dense(equipment)) {
            const auto i = static_cast<std::size_t>(equipment);
            return i < present_.size() && present_[i] ? &rows_[i] : nullptr;
        }
        const auto it = wide_.find(equipment);
        return it == wide_.end() ? nullptr : &it->second;
    }
    // Counts puts: routing keeps each instrument's rates beside its search tables and reads them
    // again once this moves.
    std::uint64_t version() const { return version_; }
    void put(std::int64_t equipment, const Tariff& t) {
        ++version_;
        if (!dense(equipment)) {
            wide_[equipment] = t;
            return;
        }
        const auto i = static_cast<std::size_t>(equipment);
        if (i >= rows_.size()) {
            rows_.resize(i + 1);
            present_.resize(i + 1, 0);
        }
        rows_[i] = t;
        present_[i] = 1;
    }

private:
    static constexpr std::int64_t dense_ids = 1 << 20;   // 40 MB at most, for one id near the bound
    static bool dense(std::int64_t id) { return id >= 0 && id < dense_ids; }

    std::vector<Tariff> rows_;
    std::vector<unsigned char> present_;
    std::unordered_map<std::int64_t, Tariff> wide_;
    std::uint64_t version_ = 0;
};

}  // namespace psp::detail
