// C ABI: evaluation runs (§4.3) measured by the Database from the statistics of a period, stored with
// every input and journaled (docs/evaluation-json.md).
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "arguments.hpp"
#include "capi.hpp"
#include "json/evaluation_request_json.hpp"
#include "psp/evaluation.hpp"

using namespace psp::capi;
using nlohmann::json;

namespace {

psp::EvaluationRunId run_arg(int64_t id, const char* name) {
    if (id <= 0) invalid(std::string(name) + ": ids are positive, got " + std::to_string(id));
    return psp::EvaluationRunId(id);
}

}  // namespace

extern "C" {

PSP_EXTERN(int) psp_evaluation_run_json(int64_t* out_id, psp_db* db, const psp_actor* actor, const char* request_json) {
    return guard("psp_evaluation_run_json", [&] {
        require(out_id, "out_id");
        auto& h = handle(db);
        const auto a = actor_from_c(actor);
        const auto j = json_arg(request_json, "request_json");
        const auto request = at_argument("request_json", [&] { return psp::json::evaluation_request_from_json(j, ""); });
        psp::EvaluationRunId id;
        {
            std::lock_guard lock(h.mu);
            // The database checks the request against the tree and the network: named as the argument too.
            id = at_argument("request_json", [&] { return h.db.run_evaluation(a, request); });
        }
        *out_id = id.value;
        return 0;
    });
}

PSP_EXTERN(int) psp_evaluation_json(char** out, psp_db* db, int64_t id) {
    return text_out("psp_evaluation_json", out, db, [&](const psp::Database& d) {
        return psp::json::to_json(d.evaluation(run_arg(id, "id"))).dump();
    });
}

PSP_EXTERN(int) psp_evaluations_json(char** out, psp_db* db) {
    return text_out("psp_evaluations_json", out, db, [](const psp::Database& d) {
        json array = json::array();
        for (const auto& e : d.evaluations()) array.push_back(psp::json::to_json(e));
        return array.dump();
    });
}

}  // extern "C"
