// Dense numbering of 64-bit keys (ids, pairs of dense numbers) for settle(): open addressing with
// linear probing, so that a year's ledger costs a few cache misses per entry, not a node allocation.
#pragma once

#include <cstdint>
#include <vector>

namespace psp::settlement {

class FlatIndex {
public:
    static constexpr std::uint32_t none = UINT32_MAX;

    explicit FlatIndex(std::size_t expected = 16) { rehash(capacity_for(expected)); }

    std::size_t size() const { return keys_.size(); }
    std::uint64_t key(std::uint32_t index) const { return keys_[index]; }

    // The dense number of `key`, numbering it size() if it is new.
    std::uint32_t insert(std::uint64_t key) {
        std::size_t s = slot(key);
        while (true) {
            const std::uint32_t v = slots_[s];
            if (v == none) break;
            if (keys_[v] == key) return v;
            s = (s + 1) & mask_;
        }
        const auto v = static_cast<std::uint32_t>(keys_.size());
        keys_.push_back(key);
        slots_[s] = v;
        // Load at most 1/2: probes stay short.
        if (keys_.size() * 2 > slots_.size()) rehash(slots_.size() * 2);
        return v;
    }

    std::uint32_t find(std::uint64_t key) const {
        for (std::size_t s = slot(key);; s = (s + 1) & mask_) {
            const std::uint32_t v = slots_[s];
            if (v == none || keys_[v] == key) return v;
        }
    }

private:
    static std::size_t capacity_for(std::size_t n) {
        std::size_t c = 16;
        while (c < 2 * n) c *= 2;
        return c;
    }
    // Ids are often consecutive: mix them so that neighbours do not share a probe run.
    std::size_t slot(std::uint64_t key) const {
        key ^= key >> 33;
        key *= 0xff51afd7ed558ccdULL;
        key ^= key >> 33;
        return static_cast<std::size_t>(key) & mask_;
    }
    void rehash(std::size_t capacity) {
        slots_.assign(capacity, none);
        mask_ = capacity - 1;
        for (std::uint32_t v = 0; v < keys_.size(); ++v) {
            std::size_t s = slot(keys_[v]);
            while (slots_[s] != none) s = (s + 1) & mask_;
            slots_[s] = v;
        }
    }

    std::vector<std::uint64_t> keys_;     // by dense number
    std::vector<std::uint32_t> slots_;    // dense number or none
    std::size_t mask_ = 0;
};

}  // namespace psp::settlement
