// C ABI: monitoring statistics (issue 7, §4.2): rows per subject and period for a query given as
// JSON, the rebuild from the ledger, the unmet requests, and what monitoring reads from the rows of a
// query: a metric's period-over-period change, ranking, comparison table, a city's table for export
// and the forecast of one series (docs/statistics-json.md, docs/monitoring-json.md).
#include <array>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "arguments.hpp"
#include "capi.hpp"
#include "json/dates.hpp"
#include "json/monitoring_json.hpp"
#include "json/statistics_json.hpp"
#include "psp/monitoring.hpp"
#include "statistics_arguments.hpp"

using namespace psp::capi;
using nlohmann::json;

namespace {

constexpr std::array<const char*, 3> method_names{"automatic", "holt", "holt_winters"};

// {"method": "automatic" | "holt" | "holt_winters", "alpha", "beta", "gamma"}, every key optional;
// fit() checks the parameters' range.
psp::ForecastOptions options_from_json(const json& j) {
    psp::json::ObjectReader r(j, "");
    psp::ForecastOptions o;
    if (const json* m = r.find("method")) {
        if (!m->is_string()) psp::json::bad(r.at("method"), std::string("expected a name, got ") + m->type_name());
        const auto name = m->get<std::string>();
        bool known = false;
        for (std::size_t i = 0; i < method_names.size(); ++i) {
            if (name == method_names[i]) {
                o.method = static_cast<psp::ForecastMethod>(i);
                known = true;
            }
        }
        if (!known) psp::json::bad(r.at("method"), "unknown value '" + name + "' (automatic, holt or holt_winters)");
    }
    const auto parameter = [&](const char* key, std::optional<double>& field) {
        const json* v = r.find(key);
        if (v == nullptr || v->is_null()) return;
        if (!v->is_number()) psp::json::bad(r.at(key), std::string("expected a number, got ") + v->type_name());
        field = v->get<double>();
    };
    parameter("alpha", o.alpha);
    parameter("beta", o.beta);
    parameter("gamma", o.gamma);
    r.finish();
    return o;
}

json points_json(const std::vector<boost::gregorian::date>& starts, const std::vector<double>& values) {
    json out = json::array();
    for (std::size_t i = 0; i < starts.size() && i < values.size(); ++i) {
        out.push_back({{"start", psp::json::iso(starts[i])}, {"value", values[i]}});
    }
    return out;
}

json to_json(const psp::Database::StatForecast& f) {
    const auto& m = f.model;
    json model = {{"method", method_names.at(static_cast<std::size_t>(m.method))},
                  {"alpha", m.alpha},
                  {"beta", m.beta},
                  {"gamma", m.gamma},
                  {"level", m.level},
                  {"trend", m.trend},
                  {"seasonal", m.seasonal},
                  {"points", m.points},
                  {"sse", m.sse},
                  {"fitted_points", m.fitted_points}};
    json backtest = nullptr;
    if (f.backtest) {
        backtest = {{"points", f.backtest->points},
                    {"mae", f.backtest->mae},
                    {"rmse", f.backtest->rmse},
                    {"mape", f.backtest->mape ? json(*f.backtest->mape) : json(nullptr)},
                    {"mape_points", f.backtest->mape_points}};
    }
    return {{"subject", psp::to_string(f.subject)},
            {"id", f.id},
            {"metric", psp::to_string(f.metric)},
            {"period", psp::to_string(f.period)},
            {"history", points_json(f.starts, f.history)},
            {"forecast", points_json(f.ahead, f.forecast)},
            {"model", std::move(model)},
            {"backtest", std::move(backtest)}};
}

}  // namespace

extern "C" {

PSP_EXTERN(int) psp_statistics_json(char** out, psp_db* db, const char* query_json) {
    return text_out("psp_statistics_json", out, db, [&](const psp::Database& d) {
        return psp::json::to_json(d.statistics(query_arg(query_json, "query_json"))).dump();
    });
}

PSP_EXTERN(int) psp_statistics_rebuild(psp_db* db) {
    return guard("psp_statistics_rebuild", [&] {
        auto& h = handle(db);
        std::lock_guard lock(h.mu);
        h.db.rebuild_statistics();
        return 0;
    });
}

PSP_EXTERN(int) psp_unmet_requests_json(char** out, psp_db* db, const psp_period* period) {
    return text_out("psp_unmet_requests_json", out, db, [&](const psp::Database& d) {
        const auto p = period_from_c(period);
        json rows = json::array();
        for (const auto& u : d.unmet_requests(p)) rows.push_back(psp::json::to_json(u));
        return rows.dump();
    });
}

PSP_EXTERN(int) psp_unmet_requests_json_as(char** out, psp_db* db, const psp_actor* reader, const psp_period* period) {
    return text_out("psp_unmet_requests_json_as", out, db, [&](const psp::Database& d) {
        const auto r = reader_from_c(reader);
        json rows = json::array();
        for (const auto& u : d.unmet_requests(r, period_from_c(period))) rows.push_back(psp::json::to_json(u));
        return rows.dump();
    });
}

PSP_EXTERN(int) psp_statistics_change_json(char** out, psp_db* db, const char* query_json, const char* metric) {
    return text_out("psp_statistics_change_json", out, db, [&](const psp::Database& d) {
        const auto q = query_arg(query_json, "query_json");
        const auto m = metric_arg(metric, "metric");
        return psp::json::to_json(psp::period_over_period(d.statistics(q), m)).dump();
    });
}

PSP_EXTERN(int) psp_statistics_rank_json(char** out, psp_db* db, const char* query_json, const char* metric,
                                         int descending) {
    return text_out("psp_statistics_rank_json", out, db, [&](const psp::Database& d) {
        const auto q = query_arg(query_json, "query_json");
        const auto m = metric_arg(metric, "metric");
        const auto rows = d.statistics(q);
        // rank() reads one period: a query covering several is the argument's fault.
        return at_argument("query_json", [&] { return psp::json::to_json(psp::rank(rows, m, descending != 0)); }).dump();
    });
}

PSP_EXTERN(int) psp_statistics_compare_json(char** out, psp_db* db, const char* query_json, const char* metric) {
    return text_out("psp_statistics_compare_json", out, db, [&](const psp::Database& d) {
        const auto q = query_arg(query_json, "query_json");
        const auto m = metric_arg(metric, "metric");
        return psp::json::to_json(psp::compare_subjects(d.statistics(q), m)).dump();
    });
}

PSP_EXTERN(int) psp_statistics_export_json(char** out, psp_db* db, const char* city_name, const char* query_json) {
    return text_out("psp_statistics_export_json", out, db, [&](const psp::Database& d) {
        const auto city = std::string(require_str(city_name, "city_name"));
        if (city.empty()) invalid("city_name: empty");
        const auto q = query_arg(query_json, "query_json");
        return psp::json::to_json(psp::CityStatistics{city, d.statistics(q)}).dump();
    });
}

PSP_EXTERN(int) psp_compare_cities_json(char** out, const char* tables_json, const char* metric) {
    if (out != nullptr) *out = nullptr;
    return guard("psp_compare_cities_json", [&] {
        require(out, "out");
        const auto j = json_arg(tables_json, "tables_json");
        const auto m = metric_arg(metric, "metric");
        const auto text = at_argument("tables_json", [&] {
            const auto tables = psp::json::city_statistics_list_from_json(j, "");
            return psp::json::to_json(psp::compare_cities(tables, m)).dump();
        });
        *out = dup_string(text);
        return 0;
    });
}

PSP_EXTERN(int) psp_statistics_forecast_json(char** out, psp_db* db, const char* query_json, const char* metric,
                                             int horizon, const char* options_json) {
    return text_out("psp_statistics_forecast_json", out, db, [&](const psp::Database& d) {
        const auto q = query_arg(query_json, "query_json");
        const auto m = metric_arg(metric, "metric");
        psp::ForecastOptions options;
        if (options_json != nullptr) {
            const auto j = json_arg(options_json, "options_json");
            options = at_argument("options_json", [&] { return options_from_json(j); });
        }
        return to_json(d.forecast_statistic(q, m, horizon, options)).dump();
    });
}

}  // extern "C"
