// Blocked sorted intervals: binary search over block heads, then a short scan.
#include "booking/interval_index.hpp"

#include <algorithm>

namespace psp::booking {

int IntervalIndex::peak_units(Minute s, Minute e, Minute buffer) const {
    // Widening each stored slot by the buffer is the same as widening the query.
    const Minute qs = s - buffer, qe = e + buffer;
    // Overlaps are few; a tiny sweep over their clipped edges finds the peak.
    struct Edge {
        Minute at;
        int delta;
    };
    Edge edges[64];
    std::vector<Edge> more;
    std::size_t n = 0;
    int total = 0;
    for_each_overlapping(qs, qe, [&](const Slot& slot) {
        total += slot.units;
        const Edge open{std::max(slot.start, qs), slot.units}, close{std::min(slot.end, qe), -int(slot.units)};
        if (n + 2 <= std::size(edges)) {
            edges[n++] = open;
            edges[n++] = close;
        } else {
            more.push_back(open);
            more.push_back(close);
        }
    });
    if (n <= 2 && more.empty()) return total;   // zero or one overlapping slot
    std::vector<Edge> all(edges, edges + n);
    all.insert(all.end(), more.begin(), more.end());
    // Closings before openings at the same instant: [a, b) and [b, c) do not overlap.
    std::sort(all.begin(), all.end(), [](const Edge& a, const Edge& b) {
        return a.at != b.at ? a.at < b.at : a.delta < b.delta;
    });
    int now = 0, peak = 0;
    for (const auto& edge : all) {
        now += edge.delta;
        peak = std::max(peak, now);
    }
    return peak;
}

void IntervalIndex::update_reach(std::size_t b, std::size_t from) {
    Block& block = pool_[order_[b].block];
    const std::size_t n = order_[b].size;
    for (std::size_t i = from; i < n; ++i) {
        block.reach[i] = i == 0 ? block.slots[i].end : std::max(block.reach[i - 1], block.slots[i].end);
    }
    for (; b < order_.size(); ++b) {
        const Minute own = pool_[order_[b].block].reach[order_[b].size - 1];
        const Minute reach = b == 0 ? own : std::max(order_[b - 1].reach, own);
        // A later block's reach depends on its own slots, unchanged, and on this one: it stands.
        if (reach == order_[b].reach) return;
        order_[b].reach = reach;
    }
}

std::uint32_t IntervalIndex::new_block() {
    if (!free_.empty()) {
        const std::uint32_t b = free_.back();
        free_.pop_back();
        return b;
    }
    pool_.emplace_back();
    return static_cast<std::uint32_t>(pool_.size() - 1);
}

void IntervalIndex::insert(const Slot& slot) {
    ++size_;
    if (order_.empty()) {
        const std::uint32_t fresh = new_block();
        pool_[fresh].slots[0] = slot;
        order_.push_back({slot.start, slot.end, fresh, 1});
        update_reach(0, 0);
        return;
    }
    // The last block whose head starts at or before the slot (or the first block), and the
    // position in it after every slot starting at or before it. Bookings mostly come after those
    // already made (a queue, a history replayed in order): such a slot goes at the end of the
    // last block, found without a search. Otherwise a branching search: the predictor learns
    // where bookings land, while the branch-free one waits on each load in turn.
    std::size_t index = order_.size() - 1;
    Block* block = &pool_[order_[index].block];
    std::size_t n = order_[index].size;
    auto slots = block->slots.begin();
    std::size_t pos = n;
    if (slot.start < block->slots[n - 1].start) {
        const auto by = std::upper_bound(order_.begin(), order_.end(), slot.start, [](Minute t, const Placed& p) { return t < p.head; });
        index = by == order_.begin() ? 0 : static_cast<std::size_t>(by - order_.begin()) - 1;
        n = order_[index].size;
        block = &pool_[order_[index].block];
        slots = block->slots.begin();
        pos = static_cast<std::size_t>(
            std::upper_bound(slots, slots + static_cast<std::ptrdiff_t>(n), slot.start, [](Minute t, const Slot& x) { return t < x.start; }) - slots);
    }
    if (n < block_capacity) {
        std::copy_backward(slots + static_cast<std::ptrdiff_t>(pos), slots + static_cast<std::ptrdiff_t>(n), slots + static_cast<std::ptrdiff_t>(n) + 1);
        block->slots[pos] = slot;
        order_[index].size = static_cast<std::uint32_t>(n + 1);
        order_[index].head = block->slots[0].start;
        update_reach(index, pos);
        return;
    }
    // Full: the slots from `keep` on (the new one among them if it falls there) move to a new
    // block after this one, in halves so that both have room to grow. A slot after every other
    // one (a history booked in order) starts the new block alone: the full one stays full rather
    // than half empty for good. (Splitting wherever the slot falls past the middle left a random
    // history's blocks half empty: 62.5 bytes a booking in bench/booking_attempts.)
    const std::size_t keep = pos == block_capacity ? block_capacity : block_capacity / 2;
    std::array<Slot, block_capacity + 1> all;
    std::copy(slots, slots + static_cast<std::ptrdiff_t>(pos), all.begin());
    all[pos] = slot;
    std::copy(slots + static_cast<std::ptrdiff_t>(pos), block->slots.end(), all.begin() + static_cast<std::ptrdiff_t>(pos) + 1);
    const std::uint32_t fresh = new_block();   // may grow the pool: blocks are found again by index
    Block& lower = pool_[order_[index].block];
    Block& upper = pool_[fresh];
    std::copy(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(keep), lower.slots.begin());
    std::copy(all.begin() + static_cast<std::ptrdiff_t>(keep), all.end(), upper.slots.begin());
    order_[index].size = static_cast<std::uint32_t>(keep);
    order_[index].head = lower.slots[0].start;
    order_.insert(order_.begin() + static_cast<std::ptrdiff_t>(index) + 1,
                  Placed{upper.slots[0].start, order_[index].reach, fresh, static_cast<std::uint32_t>(all.size() - keep)});
    update_reach(index + 1, 0);   // the upper block's slots and the blocks' reach from it on
    update_reach(index, std::min(pos, keep));
}

bool IntervalIndex::erase(std::uint32_t booking, Minute start) {
    // Slots starting at `start` may close one block and open the next: begin at the last block
    // whose head starts strictly before it.
    auto first = std::lower_bound(order_.begin(), order_.end(), start, [](const Placed& p, Minute t) { return p.head < t; });
    const auto from = first == order_.begin() ? 0 : static_cast<std::size_t>(first - order_.begin()) - 1;
    for (std::size_t b = from; b < order_.size(); ++b) {
        if (order_[b].head > start) break;
        Block& block = pool_[order_[b].block];
        const auto end = block.slots.begin() + order_[b].size;
        auto pos = std::lower_bound(block.slots.begin(), end, start, [](const Slot& x, Minute t) { return x.start < t; });
        for (; pos != end && pos->start == start; ++pos) {
            if (pos->booking != booking) continue;
            const auto at = static_cast<std::size_t>(pos - block.slots.begin());
            std::copy(pos + 1, end, pos);
            if (--order_[b].size == 0) {
                free_.push_back(order_[b].block);
                order_.erase(order_.begin() + static_cast<std::ptrdiff_t>(b));
                if (b < order_.size()) update_reach(b, order_[b].size);   // the blocks' reach only
            } else {
                order_[b].head = block.slots[0].start;
                update_reach(b, at);
            }
            --size_;
            return true;
        }
    }
    return false;
}

std::size_t IntervalIndex::memory_bytes() const {
    return pool_.capacity() * sizeof(Block) + free_.capacity() * sizeof(std::uint32_t) + order_.capacity() * sizeof(Placed);
}

}  // namespace psp::booking
