// JSON of monitoring (include/psp/monitoring.hpp; docs/monitoring-json.md): period-over-period
// changes, rankings, comparison tables and alerts written out; alert rules and cities' statistics
// tables ({"city": "...", "rows": [rows as in statistics_json]}) read back strictly, every error
// naming its JSON path. Metrics, kinds, subjects and periods by name; dates "YYYY-MM-DD"; an absent
// optional value is null.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "psp/monitoring.hpp"

namespace psp::json {

nlohmann::json to_json(const PeriodChange&);
nlohmann::json to_json(const std::vector<PeriodChange>&);
nlohmann::json to_json(const RankEntry&);
nlohmann::json to_json(const std::vector<RankEntry>&);
nlohmann::json to_json(const SubjectComparison&);
nlohmann::json to_json(const CityComparison&);
nlohmann::json to_json(const Alert&);
nlohmann::json to_json(const std::vector<Alert>&);
nlohmann::json to_json(const AlertRule&);
nlohmann::json to_json(const std::vector<AlertRule>&);
nlohmann::json to_json(const CityStatistics&);
nlohmann::json to_json(const std::vector<CityStatistics>&);

// A rule, checked by validate(AlertRule); a list, also refusing a name given twice. Errors are
// Error(invalid) prefixed with the JSON path ("/1/periods: …", "/2: alert rule 'x': …").
AlertRule alert_rule_from_json(const nlohmann::json&, const std::string& path = "");
std::vector<AlertRule> alert_rules_from_json(const nlohmann::json&, const std::string& path = "");

// A city's table: a non-empty name and its rows (read as stat_row_from_json does); a list, also
// refusing a city given twice. compare_cities makes the remaining checks (period kinds).
CityStatistics city_statistics_from_json(const nlohmann::json&, const std::string& path = "");
std::vector<CityStatistics> city_statistics_list_from_json(const nlohmann::json&, const std::string& path = "");

}  // namespace psp::json
