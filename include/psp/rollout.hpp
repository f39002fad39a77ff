// Rolling the network out (DESIGN.md §4 "Rollout", issue 6): the joint review of a major purchase
// against the equipment already within reach (§2.3 "联合评议"), and the plan of where a backbone's
// new sub-platforms cover the most unmet demand (§3.2). Database answers both from its network,
// bookings and served requests.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "psp/ids.hpp"
#include "psp/model.hpp"

namespace psp {

// --- Joint review of a major purchase (§2.3).

struct PurchaseProposal {
    PlatformId proposer;                 // the platform that would buy
    EquipmentClassId equipment_class;
    ZoneId zone;                         // where the instrument would serve
    Fen purchase_value = 0;
    int expected_hours_per_year = 0;     // unit-hours the proposer expects to use it
    std::string note;
    friend bool operator==(const PurchaseProposal&, const PurchaseProposal&) = default;
};

struct ReviewThresholds {
    int max_travel_minutes = 60;         // equipment farther from the zone is no alternative
    int busy_utilisation_bp = 7000;      // an instrument booked this share of its open time is busy
    int min_expected_hours = 300;        // below: the purchase would not be used enough (national
                                         // instruments average ~1,600 effective hours a year)
    friend bool operator==(const ReviewThresholds&, const ReviewThresholds&) = default;
};

// Values are part of the C ABI.
enum class ReviewDecision : int { approve = 0, share_existing = 1, reject = 2 };
inline constexpr int review_decision_count = 3;
const char* to_string(ReviewDecision);

struct ReviewCandidate {
    EquipmentId equipment;
    PlatformId owner;
    int travel_minutes = 0;
    int utilisation_bp = 0;              // booked over open unit-time, the last 365 days
    std::int64_t free_hours = 0;         // open minus booked unit-hours over the same year
    friend bool operator==(const ReviewCandidate&, const ReviewCandidate&) = default;
};

struct PurchaseReview {
    ReviewDecision decision = ReviewDecision::approve;
    std::string rule;                    // which rule decided: "too_little_use", "share_existing", ...
    std::string reason;                  // the rule with its figures, readable
    std::vector<ReviewCandidate> candidates;   // same-class equipment within reach, nearest first
    std::int64_t free_hours_nearby = 0;  // Σ free hours of the candidates that are not busy
    friend bool operator==(const PurchaseReview&, const PurchaseReview&) = default;
};

// --- Sub-platform rollout (§3.2).

struct ZoneDemand {
    ZoneId zone;
    std::int64_t demand = 0;             // unmet requests (or hours): any non-negative weight
    friend bool operator==(const ZoneDemand&, const ZoneDemand&) = default;
};

struct RolloutRequest {
    PlatformId backbone;                 // whose sub-platforms are planned
    int sub_platforms = 1;               // k, new sub-platforms in all
    int phases = 1;                      // 1..k; each phase opens ceil(k / phases), the last the rest
    int max_travel_minutes = 30;         // a zone is covered within this many minutes of a site
    // Unmet demand per zone. Empty: taken from the requests of the last 365 days that were routed
    // beyond the travel bound or out of the backbone's family (alliance, linked, city tier), or that
    // nothing could serve (Database::unmet_requests), counted at the enterprise's zone.
    std::vector<ZoneDemand> demand;
    friend bool operator==(const RolloutRequest&, const RolloutRequest&) = default;
};

struct RolloutSite {
    ZoneId zone;                         // a new sub-platform placed in this zone...
    DistrictId district;                 // ...of this district
    std::int64_t gain = 0;               // demand it newly covers
    friend bool operator==(const RolloutSite&, const RolloutSite&) = default;
};

struct RolloutPhase {
    int phase = 1;
    std::vector<RolloutSite> sites;
    std::int64_t covered_before = 0;     // demand covered when the phase starts
    std::int64_t covered_after = 0;
    friend bool operator==(const RolloutPhase&, const RolloutPhase&) = default;
};

// Greedy maximum coverage: each new site is the zone that newly covers the most demand (ties: the
// lower zone id). Greedy covers at least (1 − 1/e) ≈ 63.2 % of what the best choice of k sites
// would (Nemhauser, Wolsey and Fisher, 1978), and no algorithm running in polynomial time does
// better in general unless P = NP (Feige, 1998).
struct RolloutPlan {
    std::int64_t total_demand = 0;
    std::int64_t covered_initially = 0; // by the backbone and its existing sub-platforms
    std::vector<RolloutPhase> phases;
    std::string bound;                   // the approximation bound, stated
    friend bool operator==(const RolloutPlan&, const RolloutPlan&) = default;
};

}  // namespace psp
