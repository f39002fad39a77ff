// JSON of the projects module (include/psp/projects.hpp): dates "YYYY-MM-DD", money in fen, shares in
// basis points, enums by name, absent optionals as null. Projects and decisions read back strictly
// (unknown keys, wrong types and values validate() refuses are ErrorCode::invalid naming the path), so
// a stored pipeline and its supervision history round-trip.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "psp/projects.hpp"

namespace psp::json {

nlohmann::json to_json(const Project&);
nlohmann::json to_json(const SupervisionDecision&);
nlohmann::json to_json(const SupervisionReport&);
nlohmann::json to_json(const PipelineAdvance&);
nlohmann::json to_json(const ApprovalSchedule&);

Project project_from_json(const nlohmann::json&, const std::string& path = "");
SupervisionDecision decision_from_json(const nlohmann::json&, const std::string& path = "");

}  // namespace psp::json
