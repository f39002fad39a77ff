// Random streams of the simulation: SplitMix64 over a counter, with our own uniform draws, so that
// the numbers are the same with every standard library (its distributions are not) and a seed
// gives the same run everywhere.
#pragma once

#include <cstdint>

namespace psp::demand_detail {

// SplitMix64: a well-mixed 64-bit value from a seed, so that neighbouring ids and seeds start
// unrelated streams.
constexpr std::uint64_t splitmix(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

class Stream {
public:
    explicit Stream(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() { return splitmix(state_++ * 0x2545f4914f6cdd1dULL + 0x632be59bd9b4e019ULL); }
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }   // [0, 1)
    std::uint64_t below(std::uint64_t n) { return n == 0 ? 0 : next() % n; }

private:
    std::uint64_t state_;
};

}  // namespace psp::demand_detail
