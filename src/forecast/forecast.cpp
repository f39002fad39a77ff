// Validation, parameter fitting, point forecasts and the rolling-origin backtest of
// include/psp/forecast.hpp; the recursions live in forecast/smoothing.cpp.
#include "psp/forecast.hpp"

#include <cmath>
#include <cstdio>
#include <span>
#include <string>

#include "forecast/smoothing.hpp"
#include "psp/error.hpp"

namespace psp {
namespace {

[[noreturn]] void invalid(const std::string& message) { throw Error(ErrorCode::invalid, message); }

std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

const char* method_name(ForecastMethod m) {
    switch (m) {
        case ForecastMethod::automatic: return "automatic";
        case ForecastMethod::holt: return "holt";
        case ForecastMethod::holt_winters: return "holt_winters";
    }
    return "unknown";
}

void check_values(const TimeSeries& series) {
    for (std::size_t i = 0; i < series.values.size(); ++i) {
        if (!std::isfinite(series.values[i])) {
            invalid("series values[" + std::to_string(i) + "]: " + number(series.values[i]) + " is not finite");
        }
    }
}

void check_parameter(const char* field, const std::optional<double>& p) {
    if (p && !(*p > 0 && *p < 1)) invalid(std::string("forecast ") + field + ": " + number(*p) + " is outside (0, 1)");
}

void check_options(const ForecastOptions& o) {
    if (o.method != ForecastMethod::automatic && o.method != ForecastMethod::holt &&
        o.method != ForecastMethod::holt_winters) {
        invalid("forecast method: " + std::to_string(static_cast<int>(o.method)) + " is not a method");
    }
    check_parameter("alpha", o.alpha);
    check_parameter("beta", o.beta);
    check_parameter("gamma", o.gamma);
}

void check_period(SeriesPeriod p) {
    if (static_cast<int>(p) < 0 || static_cast<int>(p) >= series_period_count) {
        invalid("series period: " + std::to_string(static_cast<int>(p)) + " is not a period");
    }
}

// The method for n points of period `period`; throws when a fixed method cannot run on them.
ForecastMethod resolve(SeriesPeriod period, std::size_t n, ForecastMethod asked) {
    const int m = season_length(period);
    const auto seasons = m > 0 ? n / static_cast<std::size_t>(m) : 0;
    if (asked == ForecastMethod::automatic) {
        if (m > 0 && seasons >= 2) return ForecastMethod::holt_winters;
        asked = ForecastMethod::holt;
    }
    if (asked == ForecastMethod::holt_winters) {
        if (m == 0) invalid("forecast method: holt_winters needs a period with a season (month or quarter)");
        if (seasons < 2) {
            invalid("series: " + std::to_string(n) + " points; holt_winters needs at least " + std::to_string(2 * m) +
                    " (two full seasons)");
        }
        return asked;
    }
    if (n < static_cast<std::size_t>(holt_min_points)) {
        invalid("series: " + std::to_string(n) + " points; holt needs at least " + std::to_string(holt_min_points));
    }
    return asked;
}

// The candidates for one parameter: the given value, or the grid.
std::span<const double> candidates(const std::optional<double>& given, const double& storage) {
    if (given) return {&storage, 1};
    return fit_grid;
}

// Fits a validated series prefix with a resolved method.
ForecastModel fit_values(SeriesPeriod period, std::span<const double> y, ForecastMethod method, const ForecastOptions& o) {
    ForecastModel best;
    best.period = period;
    best.method = method;
    best.points = static_cast<std::int64_t>(y.size());
    const double a_given = o.alpha.value_or(0), b_given = o.beta.value_or(0), g_given = o.gamma.value_or(0);
    bool found = false;
    if (method == ForecastMethod::holt) {
        for (double a : candidates(o.alpha, a_given)) {
            for (double b : candidates(o.beta, b_given)) {
                const auto s = smoothing::holt(y, a, b);
                if (found && !(s.sse < best.sse)) continue;
                found = true;
                best.alpha = a, best.beta = b, best.level = s.level, best.trend = s.trend, best.sse = s.sse;
            }
        }
        best.fitted_points = static_cast<std::int64_t>(y.size()) - 2;
        return best;
    }
    const int m = season_length(period);
    std::vector<double> seasonal;
    for (double a : candidates(o.alpha, a_given)) {
        for (double b : candidates(o.beta, b_given)) {
            for (double g : candidates(o.gamma, g_given)) {
                const auto s = smoothing::holt_winters(y, m, a, b, g, seasonal);
                if (found && !(s.sse < best.sse)) continue;
                found = true;
                best.alpha = a, best.beta = b, best.gamma = g, best.level = s.level, best.trend = s.trend, best.sse = s.sse;
                best.seasonal = seasonal;
            }
        }
    }
    best.fitted_points = static_cast<std::int64_t>(y.size()) - m;
    return best;
}

void check_horizon(int horizon) {
    if (horizon < 1) invalid("forecast horizon: " + std::to_string(horizon) + " is below 1");
    if (horizon > max_forecast_horizon) {
        invalid("forecast horizon: " + std::to_string(horizon) + " is above " + std::to_string(max_forecast_horizon));
    }
}

}  // namespace

int season_length(SeriesPeriod p) {
    switch (p) {
        case SeriesPeriod::month: return 12;
        case SeriesPeriod::quarter: return 4;
        default: return 0;
    }
}

ForecastMethod resolve_method(const TimeSeries& series, const ForecastOptions& options) {
    check_period(series.period);
    check_options(options);
    return resolve(series.period, series.values.size(), options.method);
}

ForecastModel fit(const TimeSeries& series, const ForecastOptions& options) {
    const auto method = resolve_method(series, options);
    check_values(series);
    return fit_values(series.period, series.values, method, options);
}

std::vector<double> forecast(const ForecastModel& model, int horizon) {
    check_horizon(horizon);
    std::vector<double> out;
    out.reserve(static_cast<std::size_t>(horizon));
    const auto m = model.seasonal.size();
    if (model.method != ForecastMethod::holt && model.method != ForecastMethod::holt_winters) {
        invalid(std::string("forecast model method: ") + method_name(model.method) + " is not a fitted method (holt or holt_winters)");
    }
    if (model.method == ForecastMethod::holt_winters && m == 0) invalid("forecast model: holt_winters without seasonal indices");
    if (model.points < 0) invalid("forecast model points: " + std::to_string(model.points) + " is negative");
    for (int h = 1; h <= horizon; ++h) {
        double v = model.level + h * model.trend;
        if (model.method == ForecastMethod::holt_winters) {
            v += model.seasonal[static_cast<std::size_t>(model.points - 1 + h) % m];
        }
        out.push_back(v);
    }
    return out;
}

std::vector<double> forecast(const TimeSeries& series, int horizon, const ForecastOptions& options) {
    check_horizon(horizon);
    return forecast(fit(series, options), horizon);
}

Backtest backtest(const TimeSeries& series, int last_n, const ForecastOptions& options) {
    check_period(series.period);
    check_options(options);
    check_values(series);
    const auto n = series.values.size();
    if (last_n < 1) invalid("backtest last_n: " + std::to_string(last_n) + " is below 1");
    if (static_cast<std::size_t>(last_n) >= n) {
        invalid("backtest last_n: " + std::to_string(last_n) + " leaves no training points in a series of " +
                std::to_string(n));
    }
    const auto first = n - static_cast<std::size_t>(last_n);
    try {
        resolve(series.period, first, options.method);
    } catch (const Error& e) {
        invalid("backtest last_n: " + std::to_string(last_n) + " leaves " + std::to_string(first) + " training points before the first origin (" +
                method_name(options.method) + "): " + e.what());
    }
    Backtest out;
    out.points = last_n;
    double abs_sum = 0, square_sum = 0, pct_sum = 0;
    const std::span<const double> all(series.values);
    for (std::size_t t = first; t < n; ++t) {
        const auto prefix = all.first(t);
        const auto method = resolve(series.period, t, options.method);
        const auto model = fit_values(series.period, prefix, method, options);
        const double e = all[t] - forecast(model, 1)[0];
        (method == ForecastMethod::holt ? out.holt_origins : out.holt_winters_origins) += 1;
        out.errors.push_back(e);
        abs_sum += std::abs(e);
        square_sum += e * e;
        if (all[t] != 0) {
            pct_sum += std::abs(e) / std::abs(all[t]);
            ++out.mape_points;
        }
    }
    out.mae = abs_sum / last_n;
    out.rmse = std::sqrt(square_sum / last_n);
    if (out.mape_points > 0) out.mape = 100 * pct_sum / static_cast<double>(out.mape_points);
    return out;
}

}  // namespace psp
