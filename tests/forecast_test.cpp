// Forecasting (include/psp/forecast.hpp): Holt reproduces a straight line, Holt–Winters a line plus a
// seasonal pattern, the backtest on a tiny series worked by hand, the method rule, the grid fit
// against brute force, and the validation errors.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "psp/error.hpp"
#include "psp/forecast.hpp"

using namespace psp;

namespace {

bool throws_invalid(const auto& f, const std::string& fragment) {
    try {
        f();
    } catch (const Error& e) {
        if (e.code() != ErrorCode::invalid) return false;
        if (std::string(e.what()).find(fragment) != std::string::npos) return true;
        UNSCOPED_INFO("message: " << e.what());
        return false;
    }
    return false;
}

TimeSeries series(SeriesPeriod period, std::vector<double> values) { return {period, std::move(values)}; }

ForecastOptions given(ForecastMethod method, double alpha, double beta, std::optional<double> gamma = std::nullopt) {
    return {method, alpha, beta, gamma};
}

// y[t] = 100 + 2.5 t + pattern[t mod m] (the pattern sums to 0), n points.
TimeSeries seasonal(SeriesPeriod period, const std::vector<double>& pattern, int n) {
    TimeSeries s{period, {}};
    for (int t = 0; t < n; ++t) s.values.push_back(100 + 2.5 * t + pattern[static_cast<std::size_t>(t) % pattern.size()]);
    return s;
}

const std::vector<double> monthly{-30, -22, -5, 4, 12, 20, 26, 18, 6, -3, -10, -16};   // Σ = 0
const std::vector<double> quarterly{-8, 3, 11, -6};                                       // Σ = 0

}  // namespace

TEST_CASE("Holt forecasts a straight line exactly", "[forecast]") {
    TimeSeries line{SeriesPeriod::month, {}};
    for (int t = 0; t < 10; ++t) line.values.push_back(5 + 3.0 * t);

    SECTION("with fitted parameters") {
        const auto model = fit(line);
        CHECK(model.method == ForecastMethod::holt);   // 10 months: less than two seasons
        CHECK(model.sse == Approx(0).margin(1e-18));
        CHECK(model.fitted_points == 8);
        CHECK(model.seasonal.empty());
        const auto f = forecast(line, 6);
        REQUIRE(f.size() == 6);
        for (int h = 1; h <= 6; ++h) CHECK(std::abs(f[static_cast<std::size_t>(h - 1)] - (5 + 3.0 * (9 + h))) < 1e-9);
    }
    SECTION("whatever the parameters") {
        for (double a : {0.05, 0.5, 0.99}) {
            for (double b : {0.01, 0.3, 0.9}) {
                const auto f = forecast(line, 3, given(ForecastMethod::holt, a, b));
                for (int h = 1; h <= 3; ++h) CHECK(std::abs(f[static_cast<std::size_t>(h - 1)] - (5 + 3.0 * (9 + h))) < 1e-9);
            }
        }
    }
    SECTION("three points are enough, a falling line too") {
        const auto f = forecast(series(SeriesPeriod::year, {10, 7, 4}), 2);
        CHECK(std::abs(f[0] - 1) < 1e-9);
        CHECK(std::abs(f[1] + 2) < 1e-9);
    }
}

TEST_CASE("Holt-Winters recovers a trend plus a monthly pattern", "[forecast]") {
    const auto s = seasonal(SeriesPeriod::month, monthly, 36);
    const auto model = fit(s);
    CHECK(model.method == ForecastMethod::holt_winters);
    CHECK(model.fitted_points == 24);
    CHECK(model.sse < 1e-18);
    CHECK(std::abs(model.trend - 2.5) < 1e-9);
    REQUIRE(model.seasonal.size() == 12);
    for (std::size_t i = 0; i < 12; ++i) CHECK(std::abs(model.seasonal[i] - monthly[i]) < 1e-9);   // seasons start in January
    const auto f = forecast(model, 18);
    for (int h = 1; h <= 18; ++h) {
        const int t = 35 + h;
        CHECK(std::abs(f[static_cast<std::size_t>(h - 1)] - (100 + 2.5 * t + monthly[static_cast<std::size_t>(t % 12)])) < 1e-9);
    }
    // With any parameters, and from exactly two seasons.
    const auto two = seasonal(SeriesPeriod::month, monthly, 24);
    const auto g = forecast(two, 12, given(ForecastMethod::holt_winters, 0.3, 0.1, 0.6));
    for (int h = 1; h <= 12; ++h) {
        const int t = 23 + h;
        CHECK(std::abs(g[static_cast<std::size_t>(h - 1)] - (100 + 2.5 * t + monthly[static_cast<std::size_t>(t % 12)])) < 1e-9);
    }
}

TEST_CASE("Holt-Winters with quarters, the seasonal index follows the last point", "[forecast]") {
    const auto s = seasonal(SeriesPeriod::quarter, quarterly, 11);   // ends in Q3 (t = 10)
    CHECK(resolve_method(s) == ForecastMethod::holt_winters);
    const auto f = forecast(s, 5);
    for (int h = 1; h <= 5; ++h) {
        const int t = 10 + h;
        CHECK(std::abs(f[static_cast<std::size_t>(h - 1)] - (100 + 2.5 * t + quarterly[static_cast<std::size_t>(t % 4)])) < 1e-9);
    }
}

TEST_CASE("The method rule: Holt-Winters from two full seasons of months or quarters", "[forecast]") {
    CHECK(season_length(SeriesPeriod::month) == 12);
    CHECK(season_length(SeriesPeriod::quarter) == 4);
    CHECK(season_length(SeriesPeriod::day) == 0);
    CHECK(season_length(SeriesPeriod::week) == 0);
    CHECK(season_length(SeriesPeriod::year) == 0);
    CHECK(resolve_method(seasonal(SeriesPeriod::month, monthly, 23)) == ForecastMethod::holt);
    CHECK(resolve_method(seasonal(SeriesPeriod::month, monthly, 24)) == ForecastMethod::holt_winters);
    CHECK(resolve_method(seasonal(SeriesPeriod::quarter, quarterly, 7)) == ForecastMethod::holt);
    CHECK(resolve_method(seasonal(SeriesPeriod::quarter, quarterly, 8)) == ForecastMethod::holt_winters);
    CHECK(resolve_method(seasonal(SeriesPeriod::week, monthly, 200)) == ForecastMethod::holt);
    CHECK(resolve_method(seasonal(SeriesPeriod::day, monthly, 800)) == ForecastMethod::holt);
    ForecastOptions holt;
    holt.method = ForecastMethod::holt;
    CHECK(resolve_method(seasonal(SeriesPeriod::month, monthly, 48), holt) == ForecastMethod::holt);
}

TEST_CASE("The fit is the first grid point with the least one-step squared error", "[forecast]") {
    // A noisy seasonal series (fixed "noise" so the test is deterministic).
    auto s = seasonal(SeriesPeriod::quarter, quarterly, 16);
    const double noise[] = {1.2, -0.7, 0.3, -1.9, 2.2, 0.1, -0.4, 1.6, -2.3, 0.8, 0.5, -1.1, 1.4, -0.2, 0.9, -1.5};
    for (std::size_t i = 0; i < s.values.size(); ++i) s.values[i] += noise[i];
    const auto model = fit(s);
    REQUIRE(model.method == ForecastMethod::holt_winters);
    double best = std::numeric_limits<double>::infinity();
    double a_best = 0, b_best = 0, g_best = 0;
    for (double a : fit_grid) {
        for (double b : fit_grid) {
            for (double g : fit_grid) {
                const double sse = fit(s, given(ForecastMethod::holt_winters, a, b, g)).sse;
                if (sse < best) best = sse, a_best = a, b_best = b, g_best = g;
            }
        }
    }
    CHECK(model.sse == best);
    CHECK(model.alpha == a_best);
    CHECK(model.beta == b_best);
    CHECK(model.gamma == g_best);
    // Deterministic, and a given parameter is kept.
    CHECK(fit(s) == model);
    ForecastOptions half;
    half.alpha = 0.5;
    CHECK(fit(s, half).alpha == 0.5);
}

TEST_CASE("Backtest on a tiny series, by hand", "[forecast]") {
    // Holt, α = β = 0.5, y = 1, 2, 4, 5, 9; the last 2 points.
    // Origin t = 3, trained on 1, 2, 4: l = 1, b = 1
    //   t = 1: ŷ = 2;  l = .5·2 + .5·2 = 2;      b = .5·(2 − 1) + .5·1 = 1
    //   t = 2: ŷ = 3;  l = .5·4 + .5·3 = 3.5;    b = .5·(3.5 − 2) + .5·1 = 1.25
    //   forecast 3.5 + 1.25 = 4.75; actual 5: e = 0.25
    // Origin t = 4, trained on 1, 2, 4, 5: continues with
    //   t = 3: ŷ = 4.75; l = .5·5 + .5·4.75 = 4.875; b = .5·(4.875 − 3.5) + .5·1.25 = 1.3125
    //   forecast 4.875 + 1.3125 = 6.1875; actual 9: e = 2.8125
    // MAE = (0.25 + 2.8125) / 2 = 1.53125; RMSE = √((0.0625 + 7.91015625) / 2) = √3.986328125;
    // MAPE = 100 · (0.25/5 + 2.8125/9) / 2 = 100 · (0.05 + 0.3125) / 2 = 18.125 %.
    const auto opts = given(ForecastMethod::holt, 0.5, 0.5);
    const auto bt = backtest(series(SeriesPeriod::month, {1, 2, 4, 5, 9}), 2, opts);
    CHECK(bt.points == 2);
    REQUIRE(bt.errors.size() == 2);
    CHECK(bt.errors[0] == Approx(0.25).epsilon(1e-12));
    CHECK(bt.errors[1] == Approx(2.8125).epsilon(1e-12));
    CHECK(bt.mae == Approx(1.53125).epsilon(1e-12));
    CHECK(bt.rmse == Approx(std::sqrt(3.986328125)).epsilon(1e-12));
    REQUIRE(bt.mape);
    CHECK(*bt.mape == Approx(18.125).epsilon(1e-12));
    CHECK(bt.mape_points == 2);
    CHECK(bt.holt_origins == 2);
    CHECK(bt.holt_winters_origins == 0);

    SECTION("zero actuals are left out of MAPE") {
        // Same origins; the last actual is 0: e = 0 − 6.1875. MAPE over the first point only: 5 %.
        const auto z = backtest(series(SeriesPeriod::month, {1, 2, 4, 5, 0}), 2, opts);
        CHECK(z.errors[1] == Approx(-6.1875).epsilon(1e-12));
        CHECK(z.mae == Approx((0.25 + 6.1875) / 2).epsilon(1e-12));
        REQUIRE(z.mape);
        CHECK(*z.mape == Approx(5).epsilon(1e-12));
        CHECK(z.mape_points == 1);
        const auto none = backtest(series(SeriesPeriod::month, {1, 2, 4, 0}), 1, opts);
        CHECK_FALSE(none.mape);
        CHECK(none.mape_points == 0);
    }
}

TEST_CASE("Backtest resolves the method at every origin", "[forecast]") {
    const auto s = seasonal(SeriesPeriod::month, monthly, 30);
    const auto bt = backtest(s, 10);   // origins t = 20 … 29: Holt below 24 training points
    CHECK(bt.holt_origins == 4);
    CHECK(bt.holt_winters_origins == 6);
    for (std::size_t i = 4; i < bt.errors.size(); ++i) CHECK(std::abs(bt.errors[i]) < 1e-9);   // exact model
    ForecastOptions hw;
    hw.method = ForecastMethod::holt_winters;
    CHECK(throws_invalid([&] { backtest(s, 10, hw); }, "backtest last_n: 10 leaves 20 training points"));
    CHECK(backtest(s, 6, hw).holt_winters_origins == 6);
}

TEST_CASE("Forecast validation names the field", "[forecast]") {
    const auto line = series(SeriesPeriod::month, {1, 2, 3, 4});
    const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
    CHECK(throws_invalid([&] { fit(series(SeriesPeriod::month, {1, nan, 3})); }, "series values[1]: nan is not finite"));
    CHECK(throws_invalid([&] { fit(series(SeriesPeriod::month, {1, 2, 3, -inf})); }, "series values[3]: -inf"));
    CHECK(throws_invalid([&] { backtest(series(SeriesPeriod::month, {1, 2, inf, 4, 5}), 1); }, "series values[2]"));
    CHECK(throws_invalid([&] { fit(series(SeriesPeriod::month, {1, 2})); }, "series: 2 points; holt needs at least 3"));
    CHECK(throws_invalid([&] { fit(series(SeriesPeriod::month, {})); }, "series: 0 points"));
    ForecastOptions hw;
    hw.method = ForecastMethod::holt_winters;
    CHECK(throws_invalid([&] { fit(seasonal(SeriesPeriod::month, monthly, 23), hw); },
                         "series: 23 points; holt_winters needs at least 24"));
    CHECK(throws_invalid([&] { fit(seasonal(SeriesPeriod::week, monthly, 200), hw); }, "forecast method: holt_winters needs a period"));
    CHECK(throws_invalid([&] { forecast(line, 0); }, "forecast horizon: 0 is below 1"));
    CHECK(throws_invalid([&] { forecast(line, -3); }, "forecast horizon: -3"));
    CHECK(throws_invalid([&] { forecast(fit(line), max_forecast_horizon + 1); }, "forecast horizon: 10001 is above"));
    for (double bad : {0.0, 1.0, -0.2, 1.5, nan}) {
        ForecastOptions o;
        o.alpha = bad;
        CHECK(throws_invalid([&] { fit(line, o); }, "forecast alpha"));
        o.alpha.reset();
        o.beta = bad;
        CHECK(throws_invalid([&] { fit(line, o); }, "forecast beta"));
        o.beta.reset();
        o.gamma = bad;
        CHECK(throws_invalid([&] { fit(line, o); }, "forecast gamma"));   // checked even for Holt
    }
    CHECK(throws_invalid([&] { backtest(line, 0); }, "backtest last_n: 0 is below 1"));
    CHECK(throws_invalid([&] { backtest(line, 4); }, "backtest last_n: 4 leaves no training points"));
    CHECK(throws_invalid([&] { backtest(line, 2); }, "backtest last_n: 2 leaves 2 training points"));
    CHECK(backtest(line, 1).points == 1);
    CHECK(throws_invalid([&] { fit(TimeSeries{static_cast<SeriesPeriod>(9), {1, 2, 3}}); }, "series period: 9"));
}

TEST_CASE("A model that fit() could not have made is refused", "[forecast]") {
    auto model = fit(series(SeriesPeriod::month, {1, 2, 3, 4}));
    CHECK(forecast(model, 2).size() == 2);
    model.method = ForecastMethod::automatic;
    CHECK(throws_invalid([&] { forecast(model, 1); }, "forecast model method: automatic"));
    model.method = ForecastMethod::holt_winters;
    CHECK(throws_invalid([&] { forecast(model, 1); }, "holt_winters without seasonal indices"));
}
