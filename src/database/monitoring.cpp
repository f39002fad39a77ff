// Monitoring in the Database (§4.2): the office's alert rules, stored as one JSON document and
// journaled, evaluated on the statistics rows of a query; and the forecast of one statistic's series
// (the rules themselves are src/monitoring/ and src/forecast/).
#include <algorithm>

#include "database/impl.hpp"
#include "json/monitoring_json.hpp"
#include "json/reader.hpp"

namespace psp {
namespace {
constexpr const char* rules_doc = "alert_rules";
}  // namespace

void Database::Impl::load_monitoring() {
    for (const auto& [id, text] : store.load_documents(rules_doc)) {
        alert_rules = json::alert_rules_from_json(json::parse_document(text), "/alert_rules");
    }
    load_evaluations();
}

void Database::set_alert_rules(const Actor& actor, const std::vector<AlertRule>& rules) {
    Impl::require_permission(actor, Action::monitor, false, "the alert rules");
    validate(std::span<const AlertRule>(rules));
    const auto text = json::to_json(rules);
    impl_->commit_ledger(
        [&] {
            impl_->store.put_document(rules_doc, 1, text.dump());
            impl_->journal(impl_->store, actor, "set", EntityKind::monitoring, 0, text);
        },
        [&] { impl_->alert_rules = rules; });
}

std::vector<AlertRule> Database::alert_rules() const { return impl_->alert_rules; }

std::vector<Alert> Database::alerts(const StatisticsQuery& q) const {
    const auto rows = statistics(q);
    return evaluate_alerts(rows, impl_->alert_rules);
}

Database::StatForecast Database::forecast_statistic(const StatisticsQuery& q, StatMetric metric, int horizon,
                                                    const ForecastOptions& options) const {
    const int m = static_cast<int>(metric);
    if (m < 0 || m >= stat_metric_count) throw Error(ErrorCode::invalid, "metric: " + std::to_string(m) + " is not a metric");
    if (q.subject != StatSubject::city && q.ids.size() != 1) {
        throw Error(ErrorCode::invalid, "forecast: the query must name exactly one subject (ids), got " + std::to_string(q.ids.size()));
    }
    if (horizon < 1 || horizon > 60) throw Error(ErrorCode::invalid, "horizon: must be 1..60, got " + std::to_string(horizon));
    StatForecast out;
    out.subject = q.subject;
    out.id = q.subject == StatSubject::city ? 0 : q.ids.front();
    out.metric = metric;
    out.period = q.period;
    for (const auto& row : statistics(q)) {
        out.starts.push_back(row.start);
        out.history.push_back(metric_value(row.figures, metric));
    }
    const TimeSeries series{q.period, out.history};
    out.model = fit(series, options);   // too short a series is Error(invalid), naming the minimum
    out.forecast = forecast(out.model, horizon);
    auto next = period_containing(q.period, out.starts.back()).second;
    for (int h = 0; h < horizon; ++h) {
        out.ahead.push_back(next);
        next = period_containing(q.period, next).second;
    }
    const int last_n = std::min<int>(12, static_cast<int>(out.history.size()) / 3);
    if (last_n >= 1) {
        try {
            out.backtest = backtest(series, last_n, options);
        } catch (const Error&) {
            out.backtest.reset();   // too few points before the first origin: no backtest
        }
    }
    return out;
}

}  // namespace psp
