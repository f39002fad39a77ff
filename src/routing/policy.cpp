// Names and checks of the routing types (psp/routing.hpp).
#include <cmath>
#include <string>

#include "psp/error.hpp"
#include "psp/routing.hpp"

namespace psp {

const char* to_string(RouteTier t) {
    switch (t) {
        case RouteTier::home: return "home";
        case RouteTier::family: return "family";
        case RouteTier::alliance: return "alliance";
        case RouteTier::linked: return "linked";
        case RouteTier::city: return "city";
    }
    return "unknown";
}

const char* to_string(RouteObjective o) {
    switch (o) {
        case RouteObjective::earliest: return "earliest";
        case RouteObjective::lowest_price: return "lowest_price";
        case RouteObjective::shortest_travel: return "shortest_travel";
        case RouteObjective::weighted: return "weighted";
    }
    return "unknown";
}

void validate(const RoutingPolicy& p) {
    const auto bad = [](const std::string& what) { throw Error(ErrorCode::invalid, "routing policy " + what); };
    bool any = false;
    for (bool open : p.open_tiers) any = any || open;
    if (!any) bad("open_tiers: every tier is closed, nothing could serve the request");
    if (p.max_travel_minutes < 0) bad("max_travel_minutes: must be >= 0, got " + std::to_string(p.max_travel_minutes));
    if (p.max_referral_hops < 0) bad("max_referral_hops: must be >= 0, got " + std::to_string(p.max_referral_hops));
    const int objective = static_cast<int>(p.objective);
    if (objective < 0 || objective >= route_objective_count) bad("objective: out of range (" + std::to_string(objective) + ")");
    const std::pair<const char*, double> weights[] = {{"weight_wait_hours", p.weight_wait_hours},
                                                      {"weight_price_yuan", p.weight_price_yuan},
                                                      {"weight_travel_minutes", p.weight_travel_minutes},
                                                      {"weight_load_percent", p.weight_load_percent}};
    for (const auto& [name, w] : weights) {
        if (!std::isfinite(w) || w < 0) bad(std::string(name) + ": must be a finite number >= 0");
    }
    if (p.max_offers < 1 || p.max_offers > 1000) bad("max_offers: must be 1..1000, got " + std::to_string(p.max_offers));
}

}  // namespace psp
