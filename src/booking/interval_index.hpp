// The in-memory index of one equipment's live bookings: intervals in minutes with their units,
// kept sorted by start in small blocks so that inserting stays cheap at 10,000+ bookings, and
// answering "how many units are in use over [s, e)" touches only the neighbours.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace psp::booking {

// Minutes since the Unix epoch: 32 bits last until the year 6053 and keep a slot at 20 bytes.
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

// The number of leading elements of [first, first + n) whose key is at or before t: the
// position std::upper_bound would give for sorted keys. Without a branch on the data (the
// compiler selects with a conditional move), since a search lands anywhere in a busy block and
// every probe of std::upper_bound was a coin toss for the branch predictor.
template <class T, class Key>
std::size_t count_keyed_by(const T* first, std::size_t n, Minute t, Key key) {
    if (n == 0) return 0;
    const T* base = first;
    while (n > 1) {
        const std::size_t half = n / 2;
        base = key(base[half]) <= t ? base + half : base;
        n -= half;
    }
    return static_cast<std::size_t>(base - first) + (key(*base) <= t ? 1 : 0);
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
        visit(s, e, [&](const Slot& slot) {
            f(slot);
            return true;
        });
    }

    // Calls f(slot) for every slot running at s or starting after it, in ascending start order,
    // until f returns false.
    template <class F>
    void for_each_from(Minute s, F&& f) const {
        visit(s, std::numeric_limits<Minute>::max(), f);
    }

    std::size_t size() const { return size_; }
    // Bytes held by the index (its blocks, free or in use, and the table of their order).
    std::size_t memory_bytes() const;

private:
    static constexpr std::size_t block_capacity = 32;
    // Up to block_capacity slots ordered by start (how many: Placed::size), with reach[i] the
    // latest end of slots 0..i: ends are not sorted, but these are, so a search finds the first
    // slot still running at a time by bisection. The reaches lie apart from the slots, so that
    // the bisection reads two cache lines, not the dozen the slots fill.
    struct alignas(64) Block {
        std::array<Minute, block_capacity> reach{};
        std::array<Slot, block_capacity> slots{};
    };
    // A block in order: its first start, the latest end of it and of every block before it
    // (non-decreasing), where it lies in the pool and how many slots it holds. Searches bisect
    // this one small array and then read one block, rather than chasing a vector per block.
    struct Placed {
        Minute head = 0;
        Minute reach = 0;
        std::uint32_t block = 0;
        std::uint32_t size = 0;
    };
    // Calls f(slot) for the slots running at s or starting after it that start before e, by
    // start, until f returns false. Blocks whose reach (the latest end of them and every block
    // before) is at or before s hold nothing running at s; in the first block past them, neither
    // do the slots whose reach in the block is.
    template <class F>
    void visit(Minute s, Minute e, F&& f) const {
        std::size_t b = first_block_reaching_past(s);
        if (b == order_.size() || order_[b].head >= e) return;
        std::size_t i = count_keyed_by(pool_[order_[b].block].reach.data(), order_[b].size, s, same_minute);
        for (;;) {
            const Block& block = pool_[order_[b].block];
            for (const std::size_t n = order_[b].size; i < n; ++i) {
                const Slot& slot = block.slots[i];
                if (slot.start >= e) return;
                if (slot.end > s && !f(slot)) return;
            }
            if (++b == order_.size() || order_[b].head >= e) return;
            i = 0;
        }
    }
    static Minute same_minute(Minute m) { return m; }
    static Minute block_reach(const Placed& p) { return p.reach; }
    // The first block holding a slot still running at s (reaching past it), order_.size() if none.
    // Questions mostly come from near the end of a history (a queue's next arrival, a booking a
    // few days ahead): when nothing before the last block reaches past s, one comparison answers.
    std::size_t first_block_reaching_past(Minute s) const {
        const std::size_t n = order_.size();
        if (n >= 2 && order_[n - 2].reach <= s) return order_[n - 1].reach <= s ? n : n - 1;
        return count_keyed_by(order_.data(), n, s, block_reach);
    }
    // Sets the reach of the b-th block's slots from position `from` on, then the blocks' reach
    // from b on, until one is unchanged (grown or shrunk alike).
    void update_reach(std::size_t b, std::size_t from);
    std::uint32_t new_block();

    // Blocks live in a pool and never move when one is split or emptied: only the 16-byte
    // entries of `order_` do (a booking in the middle of a busy history moves those of the later
    // blocks, not their slots). Emptied blocks wait in `free_` for the next split.
    // The block table first, then the pool: a search reads these two pointers only, which the
    // engine keeps in the cache line it reads anyway (Engine::EquipmentState::Header).
    std::vector<Placed> order_;
    std::vector<Block> pool_;
    std::size_t size_ = 0;
    std::vector<std::uint32_t> free_;
};

}  // namespace psp::booking
