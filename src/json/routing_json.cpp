// Routing policies as JSON: tier and objective by name.
#include "json/routing_json.hpp"

#include "json/reader.hpp"
#include "psp/error.hpp"

namespace psp::json {
namespace {

template <class Enum>
Enum enum_by_name(const nlohmann::json& v, int count, const std::string& path, const char* what) {
    if (!v.is_string()) throw Error(ErrorCode::invalid, path + ": expected a " + what + " name");
    const auto name = v.get<std::string>();
    for (int i = 0; i < count; ++i) {
        if (name == to_string(static_cast<Enum>(i))) return static_cast<Enum>(i);
    }
    throw Error(ErrorCode::invalid, path + ": unknown " + what + " '" + name + "'");
}

}  // namespace

nlohmann::json to_json(const RoutingPolicy& p) {
    nlohmann::json tiers = nlohmann::json::array();
    for (int t = 0; t < route_tier_count; ++t) {
        if (p.open_tiers[static_cast<std::size_t>(t)]) tiers.push_back(to_string(static_cast<RouteTier>(t)));
    }
    return {{"open_tiers", tiers},
            {"max_travel_minutes", p.max_travel_minutes},
            {"max_referral_hops", p.max_referral_hops},
            {"objective", to_string(p.objective)},
            {"nearest_tier_first", p.nearest_tier_first},
            {"weight_wait_hours", p.weight_wait_hours},
            {"weight_price_yuan", p.weight_price_yuan},
            {"weight_travel_minutes", p.weight_travel_minutes},
            {"weight_load_percent", p.weight_load_percent},
            {"max_offers", p.max_offers}};
}

RoutingPolicy routing_policy_from_json(const nlohmann::json& j, const std::string& path) {
    ObjectReader r(j, path);
    RoutingPolicy p;
    if (const auto* tiers = r.find("open_tiers")) {
        if (!tiers->is_array()) throw Error(ErrorCode::invalid, path + "/open_tiers: expected an array of tier names");
        p.open_tiers.fill(false);
        for (std::size_t i = 0; i < tiers->size(); ++i) {
            const auto t = enum_by_name<RouteTier>((*tiers)[i], route_tier_count, path + "/open_tiers/" + std::to_string(i), "tier");
            p.open_tiers[static_cast<std::size_t>(t)] = true;
        }
    }
    p.max_travel_minutes = r.small_integer_or("max_travel_minutes", p.max_travel_minutes);
    p.max_referral_hops = r.small_integer_or("max_referral_hops", p.max_referral_hops);
    if (const auto* o = r.find("objective")) {
        p.objective = enum_by_name<RouteObjective>(*o, route_objective_count, path + "/objective", "objective");
    }
    p.nearest_tier_first = r.boolean_or("nearest_tier_first", p.nearest_tier_first);
    p.weight_wait_hours = r.number_or("weight_wait_hours", p.weight_wait_hours);
    p.weight_price_yuan = r.number_or("weight_price_yuan", p.weight_price_yuan);
    p.weight_travel_minutes = r.number_or("weight_travel_minutes", p.weight_travel_minutes);
    p.weight_load_percent = r.number_or("weight_load_percent", p.weight_load_percent);
    p.max_offers = r.small_integer_or("max_offers", p.max_offers);
    r.finish();
    validate_at(path, p);
    return p;
}

}  // namespace psp::json
