// JSON of certification (include/psp/certification.hpp; docs/certification-json.md): dates
// "YYYY-MM-DD", utilisation in basis points, expert scores in the panel's unit (tenths of a point by
// default), enums by name, absent optionals as null. What is stored (standards, panel rules,
// applications and their cases, recognitions) reads back strictly: unknown keys, wrong types and
// values validate() refuses are ErrorCode::invalid naming the JSON path.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "psp/certification.hpp"

namespace psp::json {

nlohmann::json to_json(const CertificationStandard&);
nlohmann::json to_json(const PanelRules&);
nlohmann::json to_json(const PlatformRecord&);
nlohmann::json to_json(const CertificationApplication&);
nlohmann::json to_json(const CheckResult&);
nlohmann::json to_json(const PanelScore&);
nlohmann::json to_json(const CertificationDecision&);
nlohmann::json to_json(const Recognition&);
nlohmann::json to_json(const RecognitionReview&);
nlohmann::json to_json(const CertificationCase&);

// {"standards": [...], "panel": {...}}: the whole certification setting of a city.
nlohmann::json standards_to_json(const std::vector<CertificationStandard>&, const PanelRules&);
std::pair<std::vector<CertificationStandard>, PanelRules> standards_from_json(const nlohmann::json&, const std::string& path = "");

CertificationStandard standard_from_json(const nlohmann::json&, const std::string& path = "");
PanelRules panel_rules_from_json(const nlohmann::json&, const std::string& path = "");
PlatformRecord platform_record_from_json(const nlohmann::json&, const std::string& path = "");
CertificationApplication application_from_json(const nlohmann::json&, const std::string& path = "");
Recognition recognition_from_json(const nlohmann::json&, const std::string& path = "");
CertificationCase case_from_json(const nlohmann::json&, const std::string& path = "");

}  // namespace psp::json
