// Coordination across the network (DESIGN.md §4 "Coordination", issue 5): a service request that
// the enterprise's own platforms cannot meet is routed, tier by tier, to the platforms that can —
// their family (backbone and sub-platforms), their alliances, linked higher-tier and cooperating
// platforms, the whole city — and booked where the policy's objective is best.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "psp/booking.hpp"
#include "psp/ids.hpp"
#include "psp/model.hpp"
#include "psp/pricing.hpp"

namespace psp {

// How far from the enterprise a candidate platform is, nearest first. Values are part of the C ABI.
enum class RouteTier : int {
    home = 0,       // serves the enterprise's zone (or is the platform that received the request)
    family = 1,     // backbone, sibling sub-platforms or sub-platforms of a home platform
    alliance = 2,   // a fellow member of an alliance of a home platform
    linked = 3,     // linked from a home platform: higher tier (上下联动) or cooperation partner
    city = 4,       // any other operating platform
};
inline constexpr int route_tier_count = 5;

// What "best" means among offers. Values are part of the C ABI.
enum class RouteObjective : int {
    earliest = 0,          // earliest start
    lowest_price = 1,      // lowest price for the enterprise (after member rates and vouchers)
    shortest_travel = 2,   // fewest travel minutes from the enterprise's zone
    weighted = 3,          // weighted sum of wait, price, travel and load (RoutingPolicy weights)
};
inline constexpr int route_objective_count = 4;

// A request for a service, from an enterprise. With an equipment class it books equipment of that
// class; without one it is a case for a platform offering the service kind (consulting, IP, ...).
struct ServiceRequest {
    EnterpriseId enterprise;
    ServiceKind kind = ServiceKind::equipment_sharing;
    EquipmentClassId equipment_class;   // 0: a service without equipment
    Period window;                      // earliest start, latest end; within [0, last_supported_time]
    int minutes = 60;                   // duration of the booking or case
    int units = 1;                      // of the equipment's capacity
    std::optional<Fen> price_ceiling;   // most the enterprise will pay (fen); nullopt: any
    VoucherSchemeId voucher;            // innovation voucher to pay part; 0 = none
    PlatformId received_by;             // the platform the enterprise asked; 0: its nearest home platform
    AllianceId front_door;              // a one-stop alliance that received it (its members only); 0 = none
    std::string note;
    friend bool operator==(const ServiceRequest&, const ServiceRequest&) = default;
};

struct RoutingPolicy {
    std::array<bool, route_tier_count> open_tiers{true, true, true, true, true};
    int max_travel_minutes = 90;        // from the enterprise's zone
    int max_referral_hops = 3;          // referral steps from the receiving platform; family moves are free
    RouteObjective objective = RouteObjective::earliest;
    // Escalation (true): offers come from the nearest open tier that has any. Otherwise every open
    // tier is searched and ranked by the objective alone.
    bool nearest_tier_first = true;
    // The weighted objective's score (lower is better): wait hours, price in yuan, travel minutes,
    // and the equipment's booked share of the window in percent (the load-balancing term).
    double weight_wait_hours = 1.0;
    double weight_price_yuan = 0.01;
    double weight_travel_minutes = 0.5;
    double weight_load_percent = 0.2;
    int max_offers = 10;                // route() returns at most this many
    friend bool operator==(const RoutingPolicy&, const RoutingPolicy&) = default;
};

// Throws psp::Error(invalid) naming the field: no tier open, negative bounds or weights, weights
// that are not finite, max_offers < 1, an objective out of range.
void validate(const RoutingPolicy&);

struct Offer {
    PlatformId platform;
    EquipmentId equipment;              // 0 for a service without equipment
    Period slot;
    PriceBreakdown price;               // enterprise_pays is the net price
    int travel_minutes = 0;
    RouteTier tier = RouteTier::home;
    AllianceId alliance;                // the alliance it was reached through (tier alliance); else 0
    std::vector<PlatformId> chain;      // received_by, ..., platform: how the request travels
    int referral_hops = 0;              // steps of the chain between different families
    double score = 0;                   // the objective's value (lower is better)
    friend bool operator==(const Offer&, const Offer&) = default;
};

// A request served: recorded with who received it and who served it.
using ServedRequestId = Id<struct ServedRequestTag>;
struct ServedRequest {
    ServedRequestId id;
    ServiceRequest request;
    Offer offer;                        // as booked
    BookingId booking;                  // the booking (equipment); 0 for a service case
    Time at = 0;                        // when it was fulfilled
    friend bool operator==(const ServedRequest&, const ServedRequest&) = default;
};

// A request the network could not serve (fulfil() found nothing that fits), kept for monitoring
// (unmet demand, psp/statistics.hpp) and rollout planning.
using UnmetRequestId = Id<struct UnmetRequestTag>;
struct UnmetRequest {
    UnmetRequestId id;
    ServiceRequest request;
    PlatformId desk;                    // the platform it was asked at (the front door's lead); 0: none
    Time at = 0;                        // when it was asked
    std::string reason;
    friend bool operator==(const UnmetRequest&, const UnmetRequest&) = default;
};

struct Fulfilment {
    std::optional<ServedRequest> served;
    std::string reason;                 // when nothing fits: why, naming the nearest miss
    std::optional<Offer> nearest_miss;  // the closest candidate that failed (e.g. above the ceiling)
    UnmetRequestId unmet;               // when nothing fits: the record of the unmet request
    explicit operator bool() const { return served.has_value(); }
};

// Cases per ISO week a platform takes for a service kind without equipment (consulting, IP...).
struct ServiceCapacity {
    PlatformId platform;
    ServiceKind kind = ServiceKind::management_consulting;
    int cases_per_week = 0;
    friend bool operator==(const ServiceCapacity&, const ServiceCapacity&) = default;
};

const char* to_string(RouteTier);
const char* to_string(RouteObjective);

}  // namespace psp
