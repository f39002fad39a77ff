// JSON for the simulation (docs/simulation-json.md): scenarios in, results out, stored runs.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "psp/simulation.hpp"

namespace psp::json {

nlohmann::json to_json(const DemandProfile&);
DemandProfile demand_profile_from_json(const nlohmann::json&, const std::string& path);

nlohmann::json to_json(const Scenario&);
// Strict: unknown keys, wrong types and values validate() refuses are ErrorCode::invalid naming the
// JSON path. Absent keys keep Scenario's defaults; name, from and to are required.
Scenario scenario_from_json(const nlohmann::json&, const std::string& path = "");
// A list of scenarios: an array of scenario objects, or {"scenarios": [...]}.
std::vector<Scenario> scenarios_from_json(const nlohmann::json&);

nlohmann::json to_json(const ReplicationResult&);
ReplicationResult replication_from_json(const nlohmann::json&, const std::string& path);
// The scenario, its summary (metric -> {mean, half_width, std_dev, n}) and every replication.
nlohmann::json to_json(const ScenarioResult&);
ScenarioResult scenario_result_from_json(const nlohmann::json&, const std::string& path = "");
std::vector<ScenarioResult> scenario_results_from_json(const nlohmann::json&);
// The comparison table: one row per scenario with each metric's mean and half-width.
nlohmann::json comparison_rows(const std::vector<ScenarioResult>&);

nlohmann::json to_json(const SimulationRun&);
SimulationRun simulation_run_from_json(const nlohmann::json&, const std::string& path);

}  // namespace psp::json
