// Evaluation requests and stored runs as JSON.
#include "json/evaluation_request_json.hpp"

#include "json/dates.hpp"
#include "json/evaluation_json.hpp"

namespace psp::json {

EvaluationRequest evaluation_request_from_json(const json& j, const std::string& path) {
    ObjectReader r(j, path);
    EvaluationRequest q;
    q.label = r.text("label");
    if (const json* t = r.find("tree")) q.tree = tree_from_json(*t, r.at("tree"));
    each(r, "platforms", [&](const json& e, const std::string& p) {
        if (!e.is_number_integer()) bad(p, std::string("expected an integer id, got ") + e.type_name());
        if (e.is_number_unsigned() && e.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
            bad(p, "integer out of range (above 2^63-1)");
        }
        const auto id = e.get<std::int64_t>();
        if (id <= 0) bad(p, "ids are positive integers, got " + std::to_string(id));
        q.platforms.push_back(PlatformId(id));
    });
    q.from = date_at(r, "from");
    q.to = date_at(r, "to");
    if (const json* v = r.find("values")) q.values = values_from_json(*v, r.at("values"));
    if (const json* t = r.find("thresholds")) q.thresholds = thresholds_from_json(*t, r.at("thresholds"));
    q.budget = r.integer_or("budget", q.budget);
    if (q.budget < 0) bad(r.at("budget"), std::to_string(q.budget) + " fen is negative");
    q.floor = r.number_or("floor", q.floor);
    if (!(q.floor >= 0 && q.floor <= max_entered_score)) bad(r.at("floor"), "outside 0..100");
    r.finish();
    return q;
}

json to_json(const StoredEvaluation& e) {
    return {{"id", e.id.value}, {"label", e.label}, {"from", iso(e.from)}, {"to", iso(e.to)}, {"run", to_json(e.run)}};
}

StoredEvaluation stored_evaluation_from_json(const json& j, const std::string& path) {
    ObjectReader r(j, path);
    StoredEvaluation e;
    e.id = r.id<EvaluationRunId>("id");
    e.label = r.text("label");
    e.from = date_at(r, "from");
    e.to = date_at(r, "to");
    const json* run = r.find("run");
    if (!run) bad(r.at("run"), "missing");
    e.run = run_from_json(*run, r.at("run"));
    r.finish();
    return e;
}

}  // namespace psp::json
