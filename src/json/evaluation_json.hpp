// JSON of evaluation (include/psp/evaluation.hpp; docs/evaluation-json.md): indicator trees, entered
// and measured values, grade thresholds, specs and whole runs, so a stored run can be audited and
// replayed. Weights in basis points, money in integer fen, enums by name, doubles written with the
// shortest text that reads back to the same double. Readers are strict: unknown keys, wrong types,
// unknown names and values the rules refuse are ErrorCode::invalid whose message starts with the
// JSON path.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "psp/evaluation.hpp"

namespace psp::json {

nlohmann::json to_json(const IndicatorTree&);
nlohmann::json to_json(const std::vector<IndicatorValue>&);
nlohmann::json to_json(const GradeThresholds&);
nlohmann::json to_json(const EvaluationSpec&);
nlohmann::json to_json(const PlatformEvaluation&);
nlohmann::json to_json(const EvaluationRun&);

// Missing optional fields take the struct defaults; the tree is then validate()d, its message
// prefixed with `path`.
IndicatorTree tree_from_json(const nlohmann::json&, const std::string& path = "");
// An array of values. Only their shape is checked here (finite numbers, known sources, positive
// platform ids); whether they fit a tree is evaluate()'s to say.
std::vector<IndicatorValue> values_from_json(const nlohmann::json&, const std::string& path = "");
// Each threshold in 0..100, and pass <= good <= excellent.
GradeThresholds thresholds_from_json(const nlohmann::json&, const std::string& path = "");
// The tree validated, thresholds as above, budget >= 0, floor in 0..100, platforms unique; the
// values are checked against the tree by evaluate().
EvaluationSpec spec_from_json(const nlohmann::json&, const std::string& path = "");
// A stored run read back as written, results included (nothing is recomputed); its bookkeeping is
// checked: one result per evaluated platform in rank order 1..n, one score per group and per
// indicator, allocated = Σ incentives, allocated + unallocated = budget, flagged = the flagged results.
EvaluationRun run_from_json(const nlohmann::json&, const std::string& path = "");

}  // namespace psp::json
