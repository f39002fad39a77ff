// JSON of plans and tasks (include/psp/plans.hpp; docs/plans-json.md): dates "YYYY-MM-DD", a unit as
// {"platform": id} or {"office": "name"}, statuses by name, absent dates as null. A city plan reads
// back strictly (errors name the JSON path); the Database validates it whole (validate(CityPlan)) once
// its id is known.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "psp/plans.hpp"

namespace psp::json {

nlohmann::json to_json(const CityPlan&);
nlohmann::json to_json(const OverdueReport&);

CityPlan city_plan_from_json(const nlohmann::json&, const std::string& path = "");

}  // namespace psp::json
