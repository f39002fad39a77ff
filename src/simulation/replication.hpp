// One replication of a scenario on a scratch copy of the database (psp/simulation.hpp).
#pragma once

#include <cstdint>
#include <functional>

#include "psp/database.hpp"
#include "psp/simulation.hpp"

namespace psp::simulation_detail {

// The clock a scratch copy reads: the replication moves it from event to event.
struct SimClock {
    Time now = 0;
};

// Called every few thousand requests with the requests handled so far and the replication's total.
using Tick = std::function<void(std::int64_t done, std::int64_t total)>;

// Called once, before the first request, with the number of requests the replication will make:
// the scratch copy makes room for its ledger then, instead of growing it (and copying it) as it fills.
using Expect = std::function<void(std::size_t requests)>;

// Runs the scenario on `db`, which must be a scratch copy whose clock reads `clock.now`.
ReplicationResult run_replication(Database& db, SimClock& clock, const Scenario&, std::uint64_t seed, const Tick& tick,
                                  const Expect& expect = {});

// The seed of replication r: the scenario's seed mixed with r, so replications are independent
// and each is the same whatever thread runs it.
std::uint64_t replication_seed(std::uint64_t seed, int replication);

}  // namespace psp::simulation_detail
