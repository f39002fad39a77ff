// Portable pseudo-random numbers for psp::synth. The standard distributions are implementation-
// defined, so a seed would give different cities under libstdc++, libc++ and MSVC; everything here
// is plain integer arithmetic on splitmix64 and gives the same stream everywhere.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace psp::synth::detail {

// splitmix64 (Steele, Lea, Flood 2014): one 64-bit state, passes BigCrush, trivially seedable.
class Rng {
public:
    explicit Rng(std::uint64_t seed) : state_(seed) {}

    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

    // Uniform in [0, n) for n > 0; rejection keeps it free of modulo bias.
    std::uint64_t below(std::uint64_t n) {
        const std::uint64_t threshold = (~n + 1) % n;  // 2^64 mod n
        for (;;) {
            const std::uint64_t r = next();
            if (r >= threshold) return r % n;
        }
    }

    std::size_t index(std::size_t n) { return static_cast<std::size_t>(below(n)); }

    // Uniform in [lo, hi], both included; lo <= hi.
    int between(int lo, int hi) {
        return lo + static_cast<int>(below(static_cast<std::uint64_t>(static_cast<std::int64_t>(hi) - lo + 1)));
    }

    // Uniform in [0, 1) with 53 random bits.
    double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

    bool chance(double p) { return unit() < p; }

    template <class T>
    const T& pick(std::span<const T> items) {
        return items[index(items.size())];
    }
    template <class T>
    const T& pick(const std::vector<T>& items) {
        return items[index(items.size())];
    }

    // Fisher–Yates with our own index draws (std::shuffle's use of the engine is unspecified).
    template <class T>
    void shuffle(std::vector<T>& items) {
        for (std::size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[index(i)]);
    }

    // k distinct items of `items` (all of them if k >= size), in the order drawn.
    template <class T>
    std::vector<T> sample(std::vector<T> items, std::size_t k) {
        k = std::min(k, items.size());
        for (std::size_t i = 0; i < k; ++i) std::swap(items[i], items[i + index(items.size() - i)]);
        items.resize(k);
        return items;
    }

private:
    std::uint64_t state_;
};

// An independent stream per generation stage, so that changing, say, the number of equipment
// leaves the enterprises of a seed as they were.
inline std::uint64_t stream_seed(std::uint64_t seed, std::uint64_t stream) {
    Rng mix(seed ^ (stream * 0xd1b54a32d192ed03ULL));
    mix.next();
    return mix.next();
}

// Draws an index with probability proportional to integer weights (integers keep the draw
// exact and portable; doubles would make it depend on summation order).
class WeightedIndex {
public:
    WeightedIndex() = default;
    explicit WeightedIndex(std::span<const std::uint64_t> weights) {
        cumulative_.reserve(weights.size());
        std::uint64_t total = 0;
        for (auto w : weights) cumulative_.push_back(total += w);
    }
    bool empty() const { return cumulative_.empty() || cumulative_.back() == 0; }
    std::size_t operator()(Rng& rng) const {
        const std::uint64_t r = rng.below(cumulative_.back());
        return static_cast<std::size_t>(std::upper_bound(cumulative_.begin(), cumulative_.end(), r) -
                                        cumulative_.begin());
    }

private:
    std::vector<std::uint64_t> cumulative_;
};

}  // namespace psp::synth::detail
