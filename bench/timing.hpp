// What every one-shot benchmark here needs to time itself: a steady clock, seconds since a point,
// the median of repeated runs, and the median, best and worst of timed runs (the machines are
// shared: medians, not means).
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

// Median, best and worst seconds of repeated runs.
struct Timing {
    double median = 0, best = 0, worst = 0;
};

inline Timing timing(std::vector<double> seconds) {
    std::sort(seconds.begin(), seconds.end());
    return {seconds[seconds.size() / 2], seconds.front(), seconds.back()};
}

// Runs f `runs` times (at least once) and times each run.
template <class F>
Timing time_runs(int runs, F&& f) {
    std::vector<double> seconds;
    for (int r = 0; r < std::max(runs, 1); ++r) {
        const auto t0 = Clock::now();
        f();
        seconds.push_back(seconds_since(t0));
    }
    return timing(std::move(seconds));
}

}  // namespace psp::bench
