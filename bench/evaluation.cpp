// Issue 7 "Performance": evaluate() of 3,000 platforms (region scale) on the default tree, target
// <= 100 ms (median of several runs); also a forecast fit and backtest of ten years of monthly data.
//   psp_evaluation [--platforms N] [--runs N] [--strict]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "psp/evaluation.hpp"
#include "psp/forecast.hpp"
#include "timing.hpp"

using namespace psp;
using psp::bench::Clock;
using psp::bench::seconds_since;
using psp::bench::timing;

namespace {

// Every input the default tree asks of each platform: measured figures spread around their targets
// (the min–max ones over a wide range), entered scores 40–100.
EvaluationSpec region(int platforms, std::mt19937_64& rng) {
    EvaluationSpec spec;
    std::uniform_real_distribution<double> spread(0.2, 1.4), score(40, 100);
    for (int k = 0; k < platforms; ++k) {
        const PlatformId id(1000 + 7 * static_cast<std::int64_t>(k));
        spec.platforms.push_back(id);
        for (const auto& g : spec.tree.groups) {
            for (const auto& i : g.indicators) {
                if (i.measured) {
                    spec.values.push_back({id, i.name, EvaluationSource::measured, i.target * spread(rng)});
                    continue;
                }
                for (int s = 0; s < 3; ++s) {
                    if (i.source_bp[static_cast<std::size_t>(s)] > 0) {
                        spec.values.push_back({id, i.name, static_cast<EvaluationSource>(s + 1), std::round(score(rng))});
                    }
                }
            }
        }
    }
    std::shuffle(spec.values.begin(), spec.values.end(), rng);
    spec.budget = 5'000'000'000;   // fen: 50 million yuan
    return spec;
}

}  // namespace

int main(int argc, char** argv) {
    int platforms = 3000, runs = 9;
    bool strict = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--platforms" && i + 1 < argc) platforms = std::stoi(argv[++i]);
        else if (a == "--runs" && i + 1 < argc) runs = std::stoi(argv[++i]);
        else if (a == "--strict") strict = true;
        else {
            std::fprintf(stderr, "usage: %s [--platforms N] [--runs N] [--strict]\n", argv[0]);
            return 2;
        }
    }
    if (platforms < 1 || runs < 1) {
        std::fprintf(stderr, "need platforms >= 1, runs >= 1\n");
        return 2;
    }
    std::mt19937_64 rng(7);
    const auto spec = region(platforms, rng);

    std::vector<double> moved, copied;
    EvaluationRun run;
    for (int r = 0; r < runs; ++r) {
        auto input = spec;   // evaluate() keeps its inputs: the copy is made outside the timed part
        auto t0 = Clock::now();
        run = evaluate(std::move(input));
        moved.push_back(seconds_since(t0));
        t0 = Clock::now();
        const auto again = evaluate(spec);   // including the copy of 3,000 × 17 inputs into the run
        copied.push_back(seconds_since(t0));
        if (!(again == run)) {
            std::fprintf(stderr, "evaluation is not reproducible\n");
            return 1;
        }
    }
    const auto m = timing(moved), c = timing(copied);
    std::int64_t grades[4] = {0, 0, 0, 0};
    for (const auto& r : run.results) ++grades[static_cast<int>(r.grade)];
    std::printf("evaluate %d platforms, default tree, %zu inputs: median %.2f ms (best %.2f, worst %.2f) of %d runs "
                "(target <= 100 ms)\n",
                platforms, spec.values.size(), m.median * 1e3, m.best * 1e3, m.worst * 1e3, runs);
    std::printf("  with the copy of the inputs:  median %.2f ms\n", c.median * 1e3);
    std::printf("  grades: excellent %lld, good %lld, pass %lld, poor %lld; allocated %lld of %lld fen; top score %.2f\n",
                static_cast<long long>(grades[0]), static_cast<long long>(grades[1]), static_cast<long long>(grades[2]),
                static_cast<long long>(grades[3]), static_cast<long long>(run.allocated), static_cast<long long>(spec.budget),
                run.results.front().score);

    // Ten years of a monthly series with trend, season and noise: fit (grid search) and a 12-point backtest.
    TimeSeries series{SeriesPeriod::month, {}};
    std::normal_distribution<double> noise(0, 15);
    for (int t = 0; t < 120; ++t) series.values.push_back(1000 + 4.0 * t + 120 * std::sin(t * 3.14159265358979 / 6) + noise(rng));
    std::vector<double> fits, backtests;
    Backtest bt;
    for (int r = 0; r < runs; ++r) {
        auto t0 = Clock::now();
        const auto model = fit(series);
        fits.push_back(seconds_since(t0));
        t0 = Clock::now();
        bt = backtest(series, 12);
        backtests.push_back(seconds_since(t0));
        (void)model;
    }
    std::printf("forecast: fit 120 months (Holt-Winters, %d combinations) median %.2f ms; backtest last 12 median %.2f ms "
                "(MAE %.1f, RMSE %.1f, MAPE %.2f %%)\n",
                static_cast<int>(fit_grid.size() * fit_grid.size() * fit_grid.size()), timing(fits).median * 1e3,
                timing(backtests).median * 1e3, bt.mae, bt.rmse, bt.mape.value_or(0));

    const bool met = m.median <= 0.100;
    std::printf("target: %s\n", met ? "met" : "NOT met");
    return strict && !met ? 1 : 0;
}
