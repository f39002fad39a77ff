// Fuzz target: simulation scenarios as JSON (docs/simulation-json.md), psp::scenarios_from_json;
// what parses is written back with scenarios_to_json and parsed again. No simulation runs here
// (far too slow per input). Results JSON (results_from_json) is fuzzed from the same bytes.
#include <psp/simulation.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto json = psp_fuzz::text(data, size);
    psp_fuzz::run("scenario_json", [&] {
        const auto scenarios = psp::scenarios_from_json(json);
        (void)psp::scenarios_from_json(psp::scenarios_to_json(scenarios));
    });
    psp_fuzz::run("scenario_json (results)", [&] {
        const auto results = psp::results_from_json(json);
        (void)psp::results_from_json(psp::results_to_json(results));
    });
    return 0;
}
