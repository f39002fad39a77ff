// JSON of an evaluation the Database runs on its own data (include/psp/evaluation.hpp,
// docs/evaluation-json.md): the request read strictly, every error naming its JSON path, and a stored
// run as {id, label, from, to, run} (how the Database stores it, read back strictly).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "psp/evaluation.hpp"

namespace psp::json {

// {"label", "tree" (absent: default_tree()), "platforms" (absent or []: every operating platform),
// "from", "to", "values", "thresholds", "budget", "floor"}. The tree, values and thresholds are read
// as evaluation_json reads them; budget >= 0 and floor in 0..100 are checked here; the rest (label,
// period, platforms known, values fitting the tree) by Database::run_evaluation.
EvaluationRequest evaluation_request_from_json(const nlohmann::json&, const std::string& path = "");

nlohmann::json to_json(const StoredEvaluation&);
StoredEvaluation stored_evaluation_from_json(const nlohmann::json&, const std::string& path = "");

}  // namespace psp::json
