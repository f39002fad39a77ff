// The in-memory index of one equipment's live bookings: intervals in minutes with their units,
// kept sorted by start in small blocks so that inserting stays cheap at 10,000+ bookings, and
// answering "how many units are in use over [s, e)" touches only the neighbours.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace psp::booking {

// Minutes since the Unix epoch: 32 bits last until the year 6053 and keep an entry at 16 bytes.
using Minute = std::int32_t;

struct Slot {
    Minute start = 0;
    Minute end = 0;
    std::uint32_t booking = 0;      // index of the booking record in the engine
    std::uint16_t units = 1;
    // enterprise_tag() of the booking's enterprise: the weekly quota sums an enterprise's minutes
    // from the slots of the week, which lie side by side here, instead of keeping a table of its
    // own.
    std::uint32_t enterprise = 0;
};
static_assert(sizeof(Slot) == 20);

// An enterprise id as it fits a Slot: itself when below 2^32 - 1, else wide_enterprise (then
// only the booking record can tell which enterprise it is).
inline constexpr std::uint32_t wide_enterprise = 0xffffffffU;
constexpr std::uint32_t enterprise_tag(std::int64_t id) {
    return id >= 0 && id < std::int64_t{wide_enterprise} ? static_cast<std::uint32_t>(id) : wide_enterprise;
}

class IntervalIndex {
public:
    // Largest number of units in use at any instant of [s, e), counting each stored slot as
    // widened by `buffer` on both sides (a booking needs that much free time around it).
    int peak_units(Minute s, Minute e, Minute buffer) const;

    void insert(const Slot& slot);
    // Removes the slot of `booking` that starts at `start`; false if absent.
    bool erase(std::uint32_t booking, Minute start);

    // Calls f(slot) for every slot overlapping [s, e), in ascending start order.
    template <class F>
    void for_each_overlapping(Minute s, Minute e, F&& f) const {
        // A slot starting at or before s - longest_ ends by s: skip those by binary search in
        // the first block rather than scanning its (up to 128) slots.
        const Minute bound = s - longest_;
        for (std::size_t b = first_block_for(s); b < blocks_.size(); ++b) {
            if (heads_[b] >= e) return;
            const auto& block = blocks_[b];
            auto it = block.begin();
            if (heads_[b] <= bound) {
                it = std::upper_bound(block.begin(), block.end(), bound,
                                      [](Minute t, const Slot& x) { return t < x.start; });
            }
            for (; it != block.end(); ++it) {
                if (it->start >= e) return;
                if (it->end > s) f(*it);
            }
        }
    }

    std::size_t size() const { return size_; }
    // Bytes held by the index (blocks' capacity plus the block table).
    std::size_t memory_bytes() const;

private:
    // Index of the first block that may hold a slot overlapping time s.
    std::size_t first_block_for(Minute s) const;

    static constexpr std::size_t block_capacity = 32;
    std::vector<std::vector<Slot>> blocks_;   // non-empty, ordered; slots ordered by start
    // heads_[b] == blocks_[b].front().start. Binary searches read this one small array rather
    // than a cache line of every block they probe.
    std::vector<Minute> heads_;
    Minute longest_ = 0;                      // longest slot ever stored: bounds the backward search
    std::size_t size_ = 0;
};

}  // namespace psp::booking
