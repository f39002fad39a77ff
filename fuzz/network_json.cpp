// Fuzz target: a whole network as JSON (docs/network-json.md). psp::network_from_json, then, when
// it parses, an import into a fresh in-memory database and an export of what was imported. Any
// psp::Error is an answer; a crash, leak, sanitizer report or other exception is a finding.
#include <psp/psp.hpp>

#include <cstdint>
#include <cstdlib>

#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto json = psp_fuzz::text(data, size);
    psp_fuzz::run("network_json", [&] {
        const psp::Network network = psp::network_from_json(json);
        // What parsed serialises and parses back to the same network.
        const psp::Network again = psp::network_from_json(psp::network_to_json(network));
        if (!(again == network)) {
            std::fprintf(stderr, "network_json: to_json/from_json does not round-trip\n");
            std::abort();
        }
        auto db = psp::Database::open(":memory:");
        db.import_json(psp::Actor::office(), json);
        (void)db.export_json();
    });
    return 0;
}
