// Holt and Holt–Winters (additive) recursions, exactly as written in include/psp/forecast.hpp.
#include "forecast/smoothing.hpp"

#include <cstddef>

namespace psp::smoothing {

State holt(std::span<const double> y, double alpha, double beta) {
    State s{y[0], y[1] - y[0], 0};
    for (std::size_t t = 1; t < y.size(); ++t) {
        const double predicted = s.level + s.trend;
        if (t >= 2) {
            const double e = y[t] - predicted;
            s.sse += e * e;
        }
        const double level = alpha * y[t] + (1 - alpha) * predicted;
        s.trend = beta * (level - s.level) + (1 - beta) * s.trend;
        s.level = level;
    }
    return s;
}

State holt_winters(std::span<const double> y, int m, double alpha, double beta, double gamma,
                   std::vector<double>& seasonal) {
    const auto season = static_cast<std::size_t>(m);
    double first = 0, second = 0;
    for (std::size_t i = 0; i < season; ++i) {
        first += y[i];
        second += y[season + i];
    }
    first /= m;
    second /= m;
    const double slope = (second - first) / m, middle = (m - 1) / 2.0;
    seasonal.resize(season);
    for (std::size_t i = 0; i < season; ++i) seasonal[i] = y[i] - first - slope * (static_cast<double>(i) - middle);

    State s{first + slope * middle, slope, 0};
    std::size_t pos = 0;   // t mod m, kept without a division per step
    for (std::size_t t = season; t < y.size(); ++t) {
        const double index = seasonal[pos];
        const double e = y[t] - (s.level + s.trend + index);
        s.sse += e * e;
        const double level = alpha * (y[t] - index) + (1 - alpha) * (s.level + s.trend);
        s.trend = beta * (level - s.level) + (1 - beta) * s.trend;
        s.level = level;
        seasonal[pos] = gamma * (y[t] - level) + (1 - gamma) * index;
        if (++pos == season) pos = 0;
    }
    return s;
}

}  // namespace psp::smoothing
