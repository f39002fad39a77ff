// The in-memory index of one equipment's live bookings: intervals in minutes with their units,
// kept sorted by start in small blocks so that inserting stays cheap at 10,000+ bookings, and
// answering "how many units are in use over [s, e)" touches only the neighbours.
#pragma once

#include <cstdint>
#include <vector>

namespace psp::booking {

// Minutes since the Unix epoch: 32 bits last until the year 6053 and keep an entry at 16 bytes.
using Minute = std::int32_t;

struct Slot {
    Minute start = 0;
    Minute end = 0;
    std::uint32_t booking = 0;   // index of the booking record in the engine
    std::uint16_t units = 1;
};
static_assert(sizeof(Slot) == 16);

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
        for (std::size_t b = first_block_for(s); b < blocks_.size(); ++b) {
            const auto& block = blocks_[b];
            if (block.front().start >= e) return;
            for (const auto& slot : block) {
                if (slot.start >= e) return;
                if (slot.end > s) f(slot);
            }
        }
    }

    std::size_t size() const { return size_; }
    // Bytes held by the index (blocks' capacity plus the block table).
    std::size_t memory_bytes() const;

private:
    // Index of the first block that may hold a slot overlapping time s.
    std::size_t first_block_for(Minute s) const;

    static constexpr std::size_t block_capacity = 128;
    std::vector<std::vector<Slot>> blocks_;   // non-empty, ordered; slots ordered by start
    Minute longest_ = 0;                      // longest slot ever stored: bounds the backward search
    std::size_t size_ = 0;
};

}  // namespace psp::booking
