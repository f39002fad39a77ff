// JSON for entities, relations and whole networks (docs/network-json.md). Internal: nlohmann
// types stay out of the public headers.
#pragma once

#include <nlohmann/json.hpp>

#include "psp/network.hpp"

namespace psp::json {

using nlohmann::json;

json to_json(const District&);
json to_json(const Zone&);
json to_json(const Platform&);
json to_json(const Alliance&);
json to_json(const EquipmentClass&);
json to_json(const Equipment&);
json to_json(const Enterprise&);
json to_json(const DistrictTravel&);
json to_json(const ZoneService&);
json to_json(const PlatformLink&);
json to_json(const Network&);

// Parses a whole network; a malformed document or a bad value throws psp::Error
// (ErrorCode::invalid) whose message starts with the JSON path of the first bad value.
Network parse_network(std::string_view text);

inline constexpr const char* network_format = "psp-network";
inline constexpr int network_format_version = 1;

}  // namespace psp::json
