// Training records (which enterprise may book equipment of which class), asked on every booking
// attempt that needs training. Ids are dense small integers in practice, so a bit per enterprise
// in a row per class answers from a few kilobytes that stay in cache (a city's 30,000 firms take
// 3.7 KiB per class); ids beyond the dense range go to a flat table instead.
#pragma once

#include <cstdint>
#include <vector>

#include "booking/flat_counts.hpp"

namespace psp::booking {

class TrainingTable {
public:
    bool get(std::int64_t enterprise, std::int64_t equipment_class) const {
        if (!dense(enterprise, equipment_class)) return sparse_.get({enterprise, equipment_class}) != 0;
        const auto c = static_cast<std::size_t>(equipment_class);
        const auto e = static_cast<std::size_t>(enterprise);
        if (c >= rows_.size() || e / 64 >= rows_[c].size()) return false;
        return (rows_[c][e / 64] >> (e % 64)) & 1U;
    }

    void set(std::int64_t enterprise, std::int64_t equipment_class, bool trained) {
        if (!dense(enterprise, equipment_class)) {
            if (trained || sparse_.get({enterprise, equipment_class}) != 0) sparse_.ref({enterprise, equipment_class}) = trained;
            return;
        }
        const auto c = static_cast<std::size_t>(equipment_class);
        const auto e = static_cast<std::size_t>(enterprise);
        if (!trained && !get(enterprise, equipment_class)) return;
        if (c >= rows_.size()) rows_.resize(c + 1);
        auto& row = rows_[c];
        if (e / 64 >= row.size()) row.resize(e / 64 + 1, 0);
        const std::uint64_t bit = std::uint64_t{1} << (e % 64);
        row[e / 64] = trained ? (row[e / 64] | bit) : (row[e / 64] & ~bit);
    }

private:
    // 2^22 enterprises and 2^16 classes bound a row at 512 KiB and the row table at 1.5 MiB.
    static bool dense(std::int64_t enterprise, std::int64_t equipment_class) {
        return enterprise > 0 && enterprise < (std::int64_t{1} << 22) && equipment_class > 0 &&
               equipment_class < (std::int64_t{1} << 16);
    }

    std::vector<std::vector<std::uint64_t>> rows_;   // by class: bit per enterprise id
    FlatCounts sparse_;                              // ids outside the dense range
};

}  // namespace psp::booking
