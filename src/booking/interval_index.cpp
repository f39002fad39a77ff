// Blocked sorted intervals: binary search over block heads, then a short scan.
#include "booking/interval_index.hpp"

#include <algorithm>

namespace psp::booking {

std::size_t IntervalIndex::first_block_for(Minute s) const {
    // A slot overlapping s starts after s - longest_. Find the last block whose head starts at
    // or before that bound: earlier blocks end too soon.
    const Minute bound = s - longest_;
    auto it = std::upper_bound(heads_.begin(), heads_.end(), bound);
    return it == heads_.begin() ? 0 : static_cast<std::size_t>(it - heads_.begin()) - 1;
}

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

void IntervalIndex::insert(const Slot& slot) {
    longest_ = std::max(longest_, slot.end - slot.start);
    ++size_;
    if (blocks_.empty()) {
        blocks_.emplace_back().reserve(block_capacity);
        blocks_.back().push_back(slot);
        heads_.push_back(slot.start);
        return;
    }
    // The last block whose head starts at or before the slot (or the first block).
    auto it = std::upper_bound(heads_.begin(), heads_.end(), slot.start);
    const auto index = it == heads_.begin() ? 0 : static_cast<std::size_t>(it - heads_.begin()) - 1;
    auto& block = blocks_[index];
    auto pos = std::upper_bound(block.begin(), block.end(), slot.start,
                                [](Minute t, const Slot& x) { return t < x.start; });
    block.insert(pos, slot);
    heads_[index] = block.front().start;
    if (block.size() > block_capacity) {
        // Split in halves so both keep room to grow.
        std::vector<Slot> upper(block.begin() + static_cast<std::ptrdiff_t>(block_capacity / 2), block.end());
        upper.reserve(block_capacity);
        block.resize(block_capacity / 2);
        heads_.insert(heads_.begin() + static_cast<std::ptrdiff_t>(index) + 1, upper.front().start);
        blocks_.insert(blocks_.begin() + static_cast<std::ptrdiff_t>(index) + 1, std::move(upper));
    }
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
            block.erase(pos);
            if (block.empty()) {
                blocks_.erase(blocks_.begin() + static_cast<std::ptrdiff_t>(b));
                heads_.erase(heads_.begin() + static_cast<std::ptrdiff_t>(b));
            } else {
                heads_[b] = block.front().start;
            }
            --size_;
            return true;
        }
    }
    return false;
}

std::size_t IntervalIndex::memory_bytes() const {
    std::size_t bytes = blocks_.capacity() * sizeof(std::vector<Slot>) + heads_.capacity() * sizeof(Minute);
    for (const auto& b : blocks_) bytes += b.capacity() * sizeof(Slot);
    return bytes;
}

}  // namespace psp::booking
