// JSON for routing policies (stored per one-stop alliance; docs/routing-json.md).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "psp/routing.hpp"

namespace psp::json {

nlohmann::json to_json(const RoutingPolicy&);
// Strict: unknown keys, wrong types and values validate() refuses are ErrorCode::invalid naming
// the JSON path under `path`. Absent keys keep RoutingPolicy's defaults.
RoutingPolicy routing_policy_from_json(const nlohmann::json&, const std::string& path = "");

}  // namespace psp::json
