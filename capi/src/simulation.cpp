// C ABI: the simulation of alliance sharing (issue 8; docs/simulation-json.md): scenarios as JSON
// in, results as JSON out (with the comparison rows), a progress callback, stored runs, and the
// booking set-up of a synthetic city that a simulation needs.
#include <cstdint>
#include <string>

#include "arguments.hpp"
#include "capi.hpp"
#include "psp/simulation.hpp"
#include "psp/synth.hpp"

using namespace psp::capi;

namespace {

psp::SimulationRunId run_arg(int64_t id) {
    if (id <= 0) invalid("id: ids are positive, got " + std::to_string(id));
    return psp::SimulationRunId(id);
}

}  // namespace

extern "C" {

PSP_EXTERN(int) psp_simulate_json(char** out, psp_db* db, const char* scenarios_json, int threads,
                                  psp_simulation_progress_fn progress, void* context) {
    if (out != nullptr) *out = nullptr;
    return guard("psp_simulate_json", [&] {
        require(out, "out");
        auto& h = handle(db);
        const auto text = require_str(scenarios_json, "scenarios_json");
        const auto scenarios = at_argument("scenarios_json", [&] { return psp::scenarios_from_json(text); });
        psp::SimulationOptions options;
        options.threads = threads;
        if (progress) {
            options.progress = [progress, context](const psp::SimulationProgress& p) {
                const psp_simulation_progress c{p.scenario, p.scenarios, p.replications_done, p.replications, p.fraction};
                return progress(&c, context) == 0;
            };
        }
        std::string results;
        {
            std::lock_guard lock(h.mu);
            results = psp::results_to_json(at_argument("scenarios_json", [&] { return h.db.simulate(scenarios, options); }));
        }
        *out = dup_string(results);
        return 0;
    });
}

PSP_EXTERN(int) psp_simulation_save_json(int64_t* out_id, psp_db* db, const psp_actor* actor, const char* name,
                                         const char* results_json) {
    return guard("psp_simulation_save_json", [&] {
        require(out_id, "out_id");
        auto& h = handle(db);
        const auto a = actor_from_c(actor);
        const std::string run_name(require_str(name, "name"));
        const auto text = require_str(results_json, "results_json");
        const auto results = at_argument("results_json", [&] { return psp::results_from_json(text); });
        psp::SimulationRunId id;
        {
            std::lock_guard lock(h.mu);
            id = h.db.save_simulation(a, run_name, results);
        }
        *out_id = id.value;
        return 0;
    });
}

PSP_EXTERN(int) psp_simulation_json(char** out, psp_db* db, int64_t id) {
    return text_out("psp_simulation_json", out, db, [&](const psp::Database& d) {
        return psp::simulation_run_to_json(d.simulation(run_arg(id)));
    });
}

PSP_EXTERN(int) psp_simulations_json(char** out, psp_db* db) {
    return text_out("psp_simulations_json", out, db, [](const psp::Database& d) {
        std::string text = "[";
        for (const auto& run : d.simulations()) {
            if (text.size() > 1) text += ",";
            text += psp::simulation_run_to_json(run);
        }
        return text + "]";
    });
}

PSP_EXTERN(int) psp_synth_configure_booking(int64_t* out_scheme, psp_db* db, const psp_actor* actor, uint64_t seed) {
    return guard("psp_synth_configure_booking", [&] {
        require(out_scheme, "out_scheme");
        auto& h = handle(db);
        const auto a = actor_from_c(actor);
        std::lock_guard lock(h.mu);
        *out_scheme = psp::synth::configure_booking(h.db, a, seed);
        return 0;
    });
}

}  // extern "C"
