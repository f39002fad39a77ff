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
    auto& block = blocks_[b];
    for (std::size_t i = from; i < block.size(); ++i) block[i].reach = i == 0 ? block[i].end : std::max(block[i - 1].reach, block[i].end);
    for (; b < blocks_.size(); ++b) {
        const Minute reach = std::max(b == 0 ? blocks_[b].back().reach : reach_[b - 1], blocks_[b].back().reach);
        // A later block's reach depends on its own slots, unchanged, and on this one: it stands.
        if (reach == reach_[b]) return;
        reach_[b] = reach;
    }
}

void IntervalIndex::insert(const Slot& slot) {
    ++size_;
    if (blocks_.empty()) {
        blocks_.emplace_back().reserve(block_capacity);
        blocks_.back().push_back(slot);
        heads_.push_back(slot.start);
        reach_.push_back(slot.end);
        update_reach(0, 0);
        return;
    }
    // The last block whose head starts at or before the slot (or the first block). A branching
    // search here: bookings mostly come after those already made, which the branch predictor
    // learns, while the branch-free one waits on each load in turn.
    const auto by = std::upper_bound(heads_.begin(), heads_.end(), slot.start);
    const std::size_t index = by == heads_.begin() ? 0 : static_cast<std::size_t>(by - heads_.begin()) - 1;
    auto& block = blocks_[index];
    const auto pos = static_cast<std::size_t>(
        std::upper_bound(block.begin(), block.end(), slot.start, [](Minute t, const Slot& x) { return t < x.start; }) - block.begin());
    block.insert(block.begin() + static_cast<std::ptrdiff_t>(pos), slot);
    heads_[index] = block.front().start;
    if (block.size() > block_capacity) {
        // Split in halves so both keep room to grow; the upper half's reach starts afresh.
        std::vector<Slot> upper(block.begin() + static_cast<std::ptrdiff_t>(block_capacity / 2), block.end());
        upper.reserve(block_capacity);
        block.resize(block_capacity / 2);
        heads_.insert(heads_.begin() + static_cast<std::ptrdiff_t>(index) + 1, upper.front().start);
        reach_.insert(reach_.begin() + static_cast<std::ptrdiff_t>(index) + 1, reach_[index]);
        blocks_.insert(blocks_.begin() + static_cast<std::ptrdiff_t>(index) + 1, std::move(upper));
        update_reach(index + 1, 0);   // the upper half's slots, then both halves' blocks
        update_reach(index, std::min(pos, block_capacity / 2));
        return;
    }
    update_reach(index, pos);
}

bool IntervalIndex::erase(std::uint32_t booking, Minute start) {
    // Slots starting at `start` may close one block and open the next: begin at the last block
    // whose head starts strictly before it.
    auto first = std::lower_bound(heads_.begin(), heads_.end(), start);
    const auto from = first == heads_.begin() ? 0 : static_cast<std::size_t>(first - heads_.begin()) - 1;
    for (std::size_t b = from; b < blocks_.size(); ++b) {
        auto& block = blocks_[b];
        if (heads_[b] > start) break;
        auto pos = std::lower_bound(block.begin(), block.end(), start,
                                    [](const Slot& x, Minute t) { return x.start < t; });
        for (; pos != block.end() && pos->start == start; ++pos) {
            if (pos->booking != booking) continue;
            const auto at = static_cast<std::size_t>(pos - block.begin());
            block.erase(pos);
            if (block.empty()) {
                blocks_.erase(blocks_.begin() + static_cast<std::ptrdiff_t>(b));
                heads_.erase(heads_.begin() + static_cast<std::ptrdiff_t>(b));
                reach_.erase(reach_.begin() + static_cast<std::ptrdiff_t>(b));
                if (b < blocks_.size()) update_reach(b, blocks_[b].size());   // the blocks' reach only
            } else {
                heads_[b] = block.front().start;
                update_reach(b, at);
            }
            --size_;
            return true;
        }
    }
    return false;
}

std::size_t IntervalIndex::memory_bytes() const {
    std::size_t bytes = blocks_.capacity() * sizeof(std::vector<Slot>) + (heads_.capacity() + reach_.capacity()) * sizeof(Minute);
    for (const auto& b : blocks_) bytes += b.capacity() * sizeof(Slot);
    return bytes;
}

}  // namespace psp::booking
