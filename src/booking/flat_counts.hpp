// A counter per pair of 64-bit keys, in one open-addressed table (linear probing, power-of-two
// size, at most half full): one cache miss per look-up, where a node-based std::unordered_map
// costs one per bucket and one per node, and a rehash stall now and then.
//
// Keys are never removed: a count set back to 0 reads as absent (users see a bounded set of
// keys, so nothing piles up). A key's first half must not be 0: it marks an empty slot.
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace psp::booking {

class FlatCounts {
public:
    struct Key {
        std::int64_t a = 0;
        std::int64_t b = 0;
        friend bool operator==(const Key&, const Key&) = default;
    };

    // The count stored under the key, 0 when absent.
    std::int32_t get(Key k) const {
        if (slots_.empty() || k.a == 0) return 0;
        for (std::size_t i = home(k);; i = (i + 1) & mask_) {
            const Slot& s = slots_[i];
            if (s.key.a == 0) return 0;
            if (s.key == k) return s.count;
        }
    }

    // The count under the key, inserted as 0 when absent. The reference stays valid until the
    // next call of ref() (which may grow the table).
    std::int32_t& ref(Key k) {
        assert(k.a != 0);
        if ((size_ + 1) * 2 > slots_.size()) grow();
        for (std::size_t i = home(k);; i = (i + 1) & mask_) {
            Slot& s = slots_[i];
            if (s.key.a == 0) {
                s.key = k;
                ++size_;
                return s.count;
            }
            if (s.key == k) return s.count;
        }
    }

    void clear() {
        slots_.clear();
        size_ = 0;
        mask_ = 0;
    }
    std::size_t memory_bytes() const { return slots_.capacity() * sizeof(Slot); }

private:
    struct Slot {
        Key key;                 // key.a == 0: empty
        std::int32_t count = 0;
    };

    // splitmix64's finaliser over both halves: ids are small dense integers, so the low bits
    // alone would cluster.
    static std::uint64_t mix(std::uint64_t x) {
        x ^= x >> 30;
        x *= 0xbf58476d1ce4e5b9ULL;
        x ^= x >> 27;
        x *= 0x94d049bb133111ebULL;
        return x ^ (x >> 31);
    }
    std::size_t home(Key k) const {
        return static_cast<std::size_t>(mix(static_cast<std::uint64_t>(k.a) * 0x9e3779b97f4a7c15ULL ^
                                            static_cast<std::uint64_t>(k.b))) & mask_;
    }

    void grow() {
        std::vector<Slot> old = std::move(slots_);
        slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
        mask_ = slots_.size() - 1;
        size_ = 0;
        for (const Slot& s : old) {
            if (s.key.a != 0) ref(s.key) = s.count;
        }
    }

    std::vector<Slot> slots_;
    std::size_t size_ = 0;
    std::size_t mask_ = 0;
};

}  // namespace psp::booking
