// The exponential-smoothing recursions of include/psp/forecast.hpp, with no checks: the callers
// (forecast.cpp) validate first. Allocation-free so the grid search can run them thousands of times.
#pragma once

#include <span>
#include <vector>

namespace psp::smoothing {

struct State {
    double level = 0, trend = 0;
    double sse = 0;     // Σ squared one-step errors over the fitted points
};

// Holt over y (at least 2 points); the errors of t = 2 … n−1 enter sse.
State holt(std::span<const double> y, double alpha, double beta);

// Holt–Winters additive with season m over y (at least 2m points); the errors of t = m … n−1 enter
// sse. `seasonal` is resized to m and holds the indices after the last point (position t mod m).
State holt_winters(std::span<const double> y, int m, double alpha, double beta, double gamma,
                   std::vector<double>& seasonal);

}  // namespace psp::smoothing
