// Arguments of the statistics, monitoring and evaluation calls of the C ABI: a statistics query
// given as JSON and a metric given by name, each error naming the argument.
#pragma once

#include <string>

#include "arguments.hpp"
#include "capi.hpp"
#include "json/statistics_json.hpp"
#include "psp/monitoring.hpp"

namespace psp::capi {

// {"subject", "ids", "period", "from", "to"} (docs/statistics-json.md), read strictly.
inline StatisticsQuery query_arg(const char* query_json, const char* name) {
    const auto j = json_arg(query_json, name);
    return at_argument(name, [&] { return psp::json::statistics_query_from_json(j, ""); });
}

// A metric by its name ("utilisation", "booked_hours", ...).
inline StatMetric metric_arg(const char* metric, const char* name) {
    const auto text = std::string(require_str(metric, name));
    if (const auto m = parse_enum<StatMetric>(text)) return *m;
    std::string known;
    for (int i = 0; i < stat_metric_count; ++i) {
        if (i > 0) known.append(", ");
        known.append(to_string(static_cast<StatMetric>(i)));
    }
    invalid(std::string(name).append(": unknown metric '").append(text).append("' (one of ").append(known).append(")"));
}

}  // namespace psp::capi
