// Trend forecasts of a monitoring series (DESIGN.md §4 "Monitoring and evaluation", issue 7; policy
// §4.2 日常监测预测): Holt's linear trend, and Holt–Winters additive seasonality where the data
// hold two full seasons, with a rolling-origin backtest. Pure and deterministic; no database.
//
// The recursions (y the series, 0-based, n points; l level, b trend, s seasonal, m season length):
//   Holt:          start l = y[0], b = y[1] − y[0]; for t = 1 … n−1
//                    ŷ[t] = l + b                             (the one-step-ahead forecast)
//                    l'   = α·y[t] + (1 − α)·(l + b)
//                    b'   = β·(l' − l) + (1 − β)·b
//                  forecast h periods ahead: l + h·b.
//   Holt–Winters:  start from the first two seasons: l = mean(season 1) + b·(m − 1)/2 (the level at
//   (additive)     the end of season 1), b = (mean(season 2) − mean(season 1)) / m, and
//                  s[i] = y[i] − mean(season 1) − b·(i − (m − 1)/2) for i < m (the detrended first
//                  season, so Σ s = 0); then for t = m … n−1
//                    ŷ[t] = l + b + s[t mod m]
//                    l'   = α·(y[t] − s[t mod m]) + (1 − α)·(l + b)
//                    b'   = β·(l' − l) + (1 − β)·b
//                    s'[t mod m] = γ·(y[t] − l') + (1 − γ)·s[t mod m]
//                  forecast h periods ahead: l + h·b + s[(n − 1 + h) mod m].
// Both reproduce their own model exactly: a straight line is forecast exactly by Holt, a straight
// line plus a fixed additive pattern by Holt–Winters, whatever α, β, γ (up to rounding).
//
// Minimum lengths, and why:
//   - Holt needs 3 points: two to start (level and trend), one more to give a one-step error, without
//     which the parameters cannot be fitted nor the model checked.
//   - Holt–Winters needs 2 full seasons (24 monthly points, 8 quarterly). With one season every
//     seasonal index rests on a single observation and the trend cannot be told apart from the
//     pattern (a rise from January to December is trend or season alike); the second season gives
//     the trend (season-over-season change of the mean) and the first one-step errors.
//   - automatic (the default) uses Holt–Winters when the period has a season (month: 12,
//     quarter: 4) and the series holds two full seasons, otherwise Holt. Day, week and year series
//     have no season here: weeks do not tile a year, and daily series carry public holidays and
//     make-up working days (调休) that a fixed 7-day pattern would mis-model; aggregate them first.
// Seasons are counted from the first point: pass a series that starts at the start of a season
// (January, Q1) to read the seasonal indices by calendar month; the forecasts do not depend on it.
//
// Fitting: a parameter not given is chosen from the grid fit_grid by least squares of the one-step
// errors over the points after the start (Holt: t = 2 … n−1, as ŷ[1] = y[1] by construction;
// Holt–Winters: t = m … n−1). Every combination is tried in grid order (α outermost, then β, then
// γ) and the first with the smallest sum wins, so the result is deterministic.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace psp {

// The spacing of a series. Values are part of the stable C ABI: never renumber, only append.
enum class SeriesPeriod : int { day = 0, week = 1, month = 2, quarter = 3, year = 4 };
inline constexpr int series_period_count = 5;

// Periods in one season: 12 for month, 4 for quarter, 0 (no seasonality) otherwise.
int season_length(SeriesPeriod);

// Equally spaced observations, oldest first (a gap must be filled by the caller, e.g. with 0 for a
// period without bookings).
struct TimeSeries {
    SeriesPeriod period = SeriesPeriod::month;
    std::vector<double> values;
    friend bool operator==(const TimeSeries&, const TimeSeries&) = default;
};

// Values are part of the stable C ABI: never renumber, only append.
enum class ForecastMethod : int { automatic = 0, holt = 1, holt_winters = 2 };

// Each parameter, when given, must lie strictly inside (0, 1); a missing one is fitted. γ is used by
// Holt–Winters only (still checked when given to Holt).
struct ForecastOptions {
    ForecastMethod method = ForecastMethod::automatic;
    std::optional<double> alpha;   // level smoothing
    std::optional<double> beta;    // trend smoothing
    std::optional<double> gamma;   // seasonal smoothing
    friend bool operator==(const ForecastOptions&, const ForecastOptions&) = default;
};

// The candidates of the fit, denser near 0 where trend and seasonal parameters usually fall
// (13 values, so Holt–Winters tries 13³ = 2,197 combinations).
inline constexpr std::array<double, 13> fit_grid{0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95};

inline constexpr int holt_min_points = 3;
// Most periods forecast at once (guards against a mistaken horizon allocating gigabytes).
inline constexpr int max_forecast_horizon = 10'000;

// A fitted model: its parameters and its state after the last observation.
struct ForecastModel {
    SeriesPeriod period = SeriesPeriod::month;
    ForecastMethod method = ForecastMethod::holt;   // holt or holt_winters, never automatic
    double alpha = 0, beta = 0;
    double gamma = 0;                    // 0 for Holt
    double level = 0, trend = 0;
    std::vector<double> seasonal;        // m indices, position t mod m; empty for Holt
    std::int64_t points = 0;             // observations the model has seen (n)
    double sse = 0;                      // Σ squared one-step errors over the fitted points
    std::int64_t fitted_points = 0;      // how many errors sse sums (n − 2 for Holt, n − m for H–W)
    friend bool operator==(const ForecastModel&, const ForecastModel&) = default;
};

// The method options.method resolves to for `series`: holt or holt_winters (see above).
// Throws as fit() does for a fixed method the series cannot carry.
ForecastMethod resolve_method(const TimeSeries& series, const ForecastOptions& options = {});

// Fits the model. Throws psp::Error(invalid) naming the field for: a value that is NaN or infinite
// ("series values[3]: ..."), too few points for the method, Holt–Winters on a period without a
// season, a given parameter outside (0, 1).
ForecastModel fit(const TimeSeries& series, const ForecastOptions& options = {});

// Point forecasts for the next `horizon` periods (index 0 is one period after the last observation).
// Throws Error(invalid) for horizon < 1 or > max_forecast_horizon, or a model that fit() could not
// have made (method automatic, Holt–Winters without seasonal indices, negative points).
std::vector<double> forecast(const ForecastModel& model, int horizon);
std::vector<double> forecast(const TimeSeries& series, int horizon, const ForecastOptions& options = {});

// Rolling-origin one-step-ahead errors on the last `last_n` points: for each of them the model is
// fitted on the points before it only (parameters refitted at every origin unless given; the method
// resolved at every origin, so automatic may use Holt at the early origins and Holt–Winters later)
// and its one-step forecast compared with the actual value.
//   mae  = Σ|e| / last_n        rmse = √(Σe² / last_n)        e = actual − forecast
//   mape = 100 · Σ(|e| / |actual|) / mape_points, over the actuals that are not 0 (a percentage of
//          nothing is undefined, so zero actuals are skipped); empty when every actual is 0.
struct Backtest {
    std::int64_t points = 0;              // last_n
    double mae = 0;
    double rmse = 0;
    std::optional<double> mape;           // percent
    std::int64_t mape_points = 0;         // actuals counted by mape
    std::int64_t holt_origins = 0;        // origins forecast by Holt
    std::int64_t holt_winters_origins = 0;   // origins forecast by Holt–Winters
    std::vector<double> errors;           // e per backtested point, oldest first
    friend bool operator==(const Backtest&, const Backtest&) = default;
};

// Throws Error(invalid) for last_n < 1, or for a first origin whose training points are too few for
// the method (automatic needs holt_min_points before the first backtested point), and as fit() does.
Backtest backtest(const TimeSeries& series, int last_n, const ForecastOptions& options = {});

}  // namespace psp
