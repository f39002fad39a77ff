// Simulation of alliance resource sharing (DESIGN.md §4 "Simulation", issue 8): what sharing would
// change before a city decides. A scenario replays a horizon of enterprise demand (psp/demand.hpp)
// through the real library — Database::fulfil routes and books each request on the same network,
// booking ledger, prices, vouchers and statistics a district system uses, then settle() splits the
// money — on a scratch copy of the database (Database::scratch_copy), so the source stays as it was.
//
// One replication, event by event in simulated time:
//   - at each arrival, the enterprise asks (trained for the class on its first request of it);
//     fulfil() routes it under the scenario's sharing mode and policy, or records it unmet;
//     bookings that need approval are approved by the owner at once;
//   - a booking the enterprise will cancel is cancelled at a random moment before it starts;
//   - a booking it keeps is checked in and completed when it starts; one it fails to keep is
//     marked a no-show by the nightly sweep;
//   - without a one-stop desk (一站式), a request that would need a referral is lost with
//     probability `referral_dropout` (the enterprise does not chase the next platform), and one
//     that is referred waits `referral_delay_hours` longer per referral step.
// Before the first arrival the scenario may roll out sub-platforms (Database::plan_rollout for
// every backbone, demand = the expected requests of each zone) and plan purchases, which the joint
// review (Database::review_purchase) may turn away; purchases made add equipment.
//
// Same source database, scenario and seed: same results, bit for bit, whatever the number of
// threads. Replication r draws from the seed mixed with r; replications run in parallel threads.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "psp/demand.hpp"
#include "psp/ids.hpp"
#include "psp/model.hpp"
#include "psp/routing.hpp"
#include "psp/settlement.hpp"

namespace psp {

// Which routes between platforms the scenario opens. Values are part of the C ABI.
enum class SharingMode : int {
    isolated = 0,    // each platform serves with its own equipment only (home tier)
    alliances = 1,   // plus its family (backbone, sub-platforms) and its alliances' members
    network = 2,     // plus linked platforms and the whole city
};
inline constexpr int sharing_mode_count = 3;
const char* to_string(SharingMode);
template <> std::optional<SharingMode> parse_enum(std::string_view);

struct Scenario {
    std::string name;                    // shown in tables and reports; 1..64 characters
    SharingMode sharing = SharingMode::network;
    bool one_stop = true;                // a one-stop desk refers at once, without losing the enterprise
    bool vouchers = true;                // requests use the city's first voucher scheme, if it has one
    RoutingPolicy policy;                // objective, weights, travel bound; its open tiers come from `sharing`
    DemandProfile demand;
    Period horizon;                      // simulated time; 1..3 years
    double hours_per_instrument = 0;     // > 0: calibrate the demand to this many effective hours a year
    // The most an enterprise pays per hour of equipment, by EnterpriseSize (yuan); 0: no ceiling.
    std::array<double, enterprise_size_count> budget_yuan_per_hour{0, 0, 0, 0};
    double referral_dropout = 0.25;      // 0..1, without one-stop
    double referral_delay_hours = 24;    // >= 0, without one-stop, per referral step
    int rollout_sub_platforms = 0;       // 0..20 new sub-platforms per backbone before the run
    int planned_purchases = 0;           // 0..10,000 purchases planned at the start
    bool joint_review = true;            // planned purchases go through the joint review
    std::uint64_t seed = 1;
    int replications = 1;                // 1..1,000
    friend bool operator==(const Scenario&, const Scenario&) = default;
};

// Throws psp::Error(invalid) naming the field (and validate(DemandProfile), validate(RoutingPolicy)).
void validate(const Scenario&);

// What one replication measured. A wait runs from the earliest start the enterprise asked for (its
// window's start) to the start of service, plus the referral delay without one-stop.
struct ReplicationResult {
    std::uint64_t seed = 0;              // the replication's own seed
    std::int64_t requests = 0;
    std::int64_t served = 0;
    std::int64_t unmet = 0;              // nothing fitted (fulfil's unmet requests)
    std::int64_t gave_up = 0;            // of those unmet: would have needed a referral, without one-stop
    std::int64_t priced_out = 0;         // of those unmet: every offer that fitted cost more than the firm's budget
    std::int64_t served_over_budget = 0; // served, at a full price above the firm's budget: the voucher paid the difference
    std::int64_t cancelled = 0;
    std::int64_t no_shows = 0;
    std::array<std::int64_t, route_tier_count> served_by_tier{};
    std::int64_t referrals = 0;          // served with at least one referral step
    double fulfilment_rate = 0;          // served / requests
    double mean_wait_hours = 0;
    double p90_wait_hours = 0;
    double mean_travel_minutes = 0;
    double mean_utilisation = 0;         // over the equipment: booked / open time in the horizon
    double utilisation_spread = 0;       // standard deviation of the instruments' booked shares (0..1)
    std::array<std::int64_t, 10> utilisation_histogram{};   // equipment per 10 % band (the last includes 100 %+)
    double hours_per_instrument = 0;     // used (checked-in) hours per instrument over the horizon
    double external_hours_per_instrument = 0;   // booked hours for outside users per instrument
    double external_share = 0;           // booked time for enterprises outside the owner's zones
    Fen revenue = 0;                     // gross of the settled entries
    Fen voucher_spend = 0;
    Fen referral_fees = 0;               // referring shares paid between members
    Fen pool = 0;                        // alliance pools
    Fen transferred = 0;                 // Σ net transfers between members
    std::vector<Transfer> transfers;     // the net settlement flows between platforms
    std::int64_t sub_platforms_added = 0;
    std::int64_t purchases_planned = 0;
    std::int64_t purchases_made = 0;
    std::int64_t purchases_avoided = 0;
    Fen purchase_value_avoided = 0;
    friend bool operator==(const ReplicationResult&, const ReplicationResult&) = default;
};

// A mean over replications with the half-width of its 95 % confidence interval (Student's t;
// 0 with one replication).
struct Estimate {
    double mean = 0;
    double half_width = 0;
    double std_dev = 0;
    int n = 0;
    friend bool operator==(const Estimate&, const Estimate&) = default;
};
Estimate estimate(const std::vector<double>& values);

// The metrics summarised over replications, by name, in this order (reports and the C ABI use them).
const std::vector<std::string>& simulation_metric_names();
// The named metric of one replication; Error(invalid) for an unknown name.
double metric(const ReplicationResult&, const std::string& name);

struct ScenarioResult {
    Scenario scenario;
    std::vector<ReplicationResult> replications;   // in replication order
    std::map<std::string, Estimate> summary;       // every simulation_metric_names() entry
    friend bool operator==(const ScenarioResult&, const ScenarioResult&) = default;
};
ScenarioResult summarise(const Scenario&, std::vector<ReplicationResult>);

struct SimulationProgress {
    int scenario = 0;                    // index in the scenarios given
    int scenarios = 0;
    int replications_done = 0;           // over all scenarios
    int replications = 0;
    double fraction = 0;                 // 0..1 of the whole run's simulated requests
};
// Called from the calling thread, at least once per finished replication and about every 1 % of
// the work; return false to stop the run (Error(refused), nothing is returned).
using SimulationProgressFn = std::function<bool(const SimulationProgress&)>;

struct SimulationOptions {
    int threads = 0;                     // 0: one per hardware thread; replications run in parallel
    SimulationProgressFn progress;
};

// A stored comparison of scenarios (Database::save_simulation).
using SimulationRunId = Id<struct SimulationRunTag>;
struct SimulationRun {
    SimulationRunId id;
    std::string name;
    Time at = 0;                         // when it was saved
    std::vector<ScenarioResult> scenarios;
    friend bool operator==(const SimulationRun&, const SimulationRun&) = default;
};

// JSON (docs/simulation-json.md). Scenarios: an array of scenario objects or {"scenarios": [...]};
// Error(invalid) naming the JSON path of a bad value. Results: {"scenarios": [...], "rows": [...]},
// rows being the comparison table (each metric's mean and half-width per scenario).
std::vector<Scenario> scenarios_from_json(std::string_view json);
std::string scenarios_to_json(const std::vector<Scenario>&);
std::string results_to_json(const std::vector<ScenarioResult>&);
std::vector<ScenarioResult> results_from_json(std::string_view json);
std::string simulation_run_to_json(const SimulationRun&);

}  // namespace psp
