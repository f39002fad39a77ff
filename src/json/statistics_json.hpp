// JSON of monitoring statistics (include/psp/statistics.hpp; docs/statistics-json.md): a row is
// {"subject": "platform", "id": 3, "period": "month", "start": "2025-03-01", "end": "2025-04-01",
//  "figures": {...}} with every figure an integer (seconds, fen, counts) and the two shares
// (utilisation, external_share) written for reading only. A table of rows read back strictly, so
// that one city's statistics can be compared with another's.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "psp/routing.hpp"
#include "psp/statistics.hpp"

namespace psp::json {

nlohmann::json to_json(const StatFigures&);
nlohmann::json to_json(const StatRow&);
nlohmann::json to_json(const std::vector<StatRow>&);
nlohmann::json to_json(const UnmetRequest&);
StatisticsQuery statistics_query_from_json(const nlohmann::json&, const std::string& path = "");
StatRow stat_row_from_json(const nlohmann::json&, const std::string& path = "");
std::vector<StatRow> stat_rows_from_json(const nlohmann::json&, const std::string& path = "");

}  // namespace psp::json
