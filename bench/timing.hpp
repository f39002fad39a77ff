// What every one-shot benchmark here needs to time itself: a steady clock, seconds since a point,
// and the median of repeated runs (the machines are shared: medians, not means).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <vector>

namespace psp::bench {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// The upper median of a non-empty sample.
inline double median(std::vector<double> v) {
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
    return v[v.size() / 2];
}

}  // namespace psp::bench
