// What each enterprise has used of each voucher scheme in each year (Database::Impl::voucher_used).
#pragma once

#include <cstddef>
#include <cstdint>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "demand/random.hpp"
#include "psp/pricing.hpp"

namespace psp::detail {

// Routing reads the requesting enterprise's account for every instrument it prices, and a hash
// map cost two cache misses a read (its bucket, then its node). Enterprise ids are small and
// dense, so each has a slot in an array for the first (scheme, year) it used; its other accounts,
// and those of ids beyond the array, are in a map. Both hold the same sums a map alone would.
class VoucherAccounts {
public:
    Fen used(std::int64_t enterprise, std::int64_t scheme, int year) const {
        if (dense(enterprise) && static_cast<std::size_t>(enterprise) < slots_.size()) {
            const Slot& s = slots_[static_cast<std::size_t>(enterprise)];
            if (s.scheme == scheme && s.year == year) return s.amount;
        }
        const auto it = rest_.find({enterprise, scheme, year});
        return it == rest_.end() ? 0 : it->second;
    }
    void add(std::int64_t enterprise, std::int64_t scheme, int year, Fen amount) {
        if (dense(enterprise) && scheme != 0) {
            const auto i = static_cast<std::size_t>(enterprise);
            if (i >= slots_.size()) slots_.resize(i + 1);
            Slot& s = slots_[i];
            // A free slot was never taken: this enterprise has no account under a scheme in the map yet.
            if (s.scheme == 0) s = {scheme, year, 0};
            if (s.scheme == scheme && s.year == year) {
                s.amount += amount;
                return;
            }
        }
        rest_[{enterprise, scheme, year}] += amount;
    }

private:
    using Key = std::tuple<std::int64_t, std::int64_t, int>;   // enterprise, scheme, year
    struct KeyHash {
        std::size_t operator()(const Key& k) const {
            // Mixed by SplitMix64: enterprise ids are dense, and a plain sum of them would crowd
            // neighbouring buckets.
            return static_cast<std::size_t>(demand_detail::splitmix(
                static_cast<std::uint64_t>(std::get<0>(k)) * 0x9e3779b97f4a7c15ULL ^ static_cast<std::uint64_t>(std::get<1>(k)) << 32 ^
                static_cast<std::uint64_t>(std::get<2>(k))));
        }
    };
    struct Slot {
        std::int64_t scheme = 0;   // 0: the slot is free (scheme ids start at 1)
        std::int32_t year = 0;
        Fen amount = 0;
    };
    static constexpr std::int64_t dense_ids = 1 << 20;   // 24 MB at most, for one id near the bound
    static bool dense(std::int64_t id) { return id >= 0 && id < dense_ids; }

    std::vector<Slot> slots_;
    std::unordered_map<Key, Fen, KeyHash> rest_;
};

}  // namespace psp::detail
