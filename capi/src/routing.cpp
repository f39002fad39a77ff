// C ABI: coordination across the network and settlement (issue 5): service requests and routing
// policies as versioned structs, offers and served requests through iterators, fulfilment with the
// reason nothing fits, service capacities, one-stop policies, settlement rules, and the settlement
// and its ledger as JSON (docs/settlement-json.md).
#include <cstddef>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "capi.hpp"
#include "psp/routing.hpp"
#include "psp/settlement.hpp"

static_assert(PSP_ROUTE_TIER_COUNT == psp::route_tier_count);
static_assert(PSP_ROUTE_TIER_HOME == static_cast<int>(psp::RouteTier::home));
static_assert(PSP_ROUTE_TIER_FAMILY == static_cast<int>(psp::RouteTier::family));
static_assert(PSP_ROUTE_TIER_ALLIANCE == static_cast<int>(psp::RouteTier::alliance));
static_assert(PSP_ROUTE_TIER_LINKED == static_cast<int>(psp::RouteTier::linked));
static_assert(PSP_ROUTE_TIER_CITY == static_cast<int>(psp::RouteTier::city));
static_assert(PSP_OBJECTIVE_COUNT == psp::route_objective_count);
static_assert(PSP_OBJECTIVE_EARLIEST == static_cast<int>(psp::RouteObjective::earliest));
static_assert(PSP_OBJECTIVE_LOWEST_PRICE == static_cast<int>(psp::RouteObjective::lowest_price));
static_assert(PSP_OBJECTIVE_SHORTEST_TRAVEL == static_cast<int>(psp::RouteObjective::shortest_travel));
static_assert(PSP_OBJECTIVE_WEIGHTED == static_cast<int>(psp::RouteObjective::weighted));

using namespace psp::capi;

struct psp_offer_iter : Iter<psp::Offer> { using Iter::Iter; };
struct psp_served_requests_iter : Iter<psp::ServedRequest> { using Iter::Iter; };
struct psp_service_capacity_iter : Iter<psp::ServiceCapacity> { using Iter::Iter; };

namespace {

using psp::Database;

// --- Requests and policies from C

psp::ServiceRequest request_from_c(const psp_service_request& c) {
    psp::ServiceRequest q;
    q.enterprise = psp::EnterpriseId(c.enterprise);
    q.kind = require_enum<psp::ServiceKind>(c.kind, PSP_SERVICE_COUNT, "request.kind");
    q.equipment_class = psp::EquipmentClassId(c.equipment_class);
    q.window = {c.start, c.end};
    q.minutes = c.minutes;
    q.units = c.units;
    if (c.has_price_ceiling != 0) q.price_ceiling = c.price_ceiling;
    q.voucher = psp::VoucherSchemeId(c.voucher_scheme);
    q.received_by = psp::PlatformId(c.received_by);
    q.front_door = psp::AllianceId(c.front_door);
    q.note = std::string(optional_str(c.note, "request.note"));
    return q;
}

psp::RoutingPolicy policy_from_c(const psp_routing_policy& c) {
    if ((c.open_tiers & ~PSP_ROUTE_TIERS_ALL) != 0) {
        invalid("policy.open_tiers: bits beyond PSP_ROUTE_TIERS_ALL (" + std::to_string(c.open_tiers) + ")");
    }
    psp::RoutingPolicy p;
    for (int t = 0; t < PSP_ROUTE_TIER_COUNT; ++t) p.open_tiers[static_cast<std::size_t>(t)] = (c.open_tiers & PSP_ROUTE_TIER_BIT(t)) != 0;
    p.max_travel_minutes = c.max_travel_minutes;
    p.max_referral_hops = c.max_referral_hops;
    p.objective = require_enum<psp::RouteObjective>(c.objective, PSP_OBJECTIVE_COUNT, "policy.objective");
    p.nearest_tier_first = c.nearest_tier_first != 0;
    p.weight_wait_hours = c.weight_wait_hours;
    p.weight_price_yuan = c.weight_price_yuan;
    p.weight_travel_minutes = c.weight_travel_minutes;
    p.weight_load_percent = c.weight_load_percent;
    p.max_offers = c.max_offers;
    return p;
}

// NULL: the defaults.
psp::RoutingPolicy optional_policy(const psp_routing_policy* c) {
    if (c == nullptr) return {};
    return policy_from_c(require_struct(c, PSP_ROUTING_POLICY_VERSION, "policy"));
}

void to_c(const psp::RoutingPolicy& p, psp_routing_policy& c) {
    c.open_tiers = 0;
    for (int t = 0; t < PSP_ROUTE_TIER_COUNT; ++t) {
        if (p.open_tiers[static_cast<std::size_t>(t)]) c.open_tiers |= PSP_ROUTE_TIER_BIT(t);
    }
    c.max_travel_minutes = p.max_travel_minutes;
    c.max_referral_hops = p.max_referral_hops;
    c.objective = static_cast<int>(p.objective);
    c.nearest_tier_first = p.nearest_tier_first ? 1 : 0;
    c.weight_wait_hours = p.weight_wait_hours;
    c.weight_price_yuan = p.weight_price_yuan;
    c.weight_travel_minutes = p.weight_travel_minutes;
    c.weight_load_percent = p.weight_load_percent;
    c.max_offers = p.max_offers;
}

// PSP_ROUTING_POLICY_INIT must say what the C++ defaults say.
constexpr bool policy_init_is_the_default() {
    constexpr psp_routing_policy c PSP_ROUTING_POLICY_INIT;
    constexpr psp::RoutingPolicy d;
    bool tiers = true;
    for (int t = 0; t < PSP_ROUTE_TIER_COUNT; ++t) {
        tiers = tiers && d.open_tiers[static_cast<std::size_t>(t)] == ((c.open_tiers & PSP_ROUTE_TIER_BIT(t)) != 0);
    }
    return tiers && c.max_travel_minutes == d.max_travel_minutes && c.max_referral_hops == d.max_referral_hops &&
           c.objective == static_cast<int>(d.objective) && (c.nearest_tier_first != 0) == d.nearest_tier_first &&
           c.weight_wait_hours == d.weight_wait_hours && c.weight_price_yuan == d.weight_price_yuan &&
           c.weight_travel_minutes == d.weight_travel_minutes && c.weight_load_percent == d.weight_load_percent &&
           c.max_offers == d.max_offers;
}
static_assert(policy_init_is_the_default(), "PSP_ROUTING_POLICY_INIT differs from psp::RoutingPolicy{}");

#if !defined(__clang__) || __clang_major__ >= 15   // see psp_service_request_init
constexpr bool request_init_is_the_default() {
    constexpr psp_service_request c PSP_SERVICE_REQUEST_INIT;
    const psp::ServiceRequest d;
    return c.kind == static_cast<int>(d.kind) && c.minutes == d.minutes && c.units == d.units &&
           c.has_price_ceiling == 0 && !d.price_ceiling;
}
#endif

// --- Offers and served requests to C; strings and the chain borrow from the row and `chain`.

void offer_to_c(const psp::Offer& o, psp_offer& c, std::vector<std::int64_t>& chain) {
    c.platform = o.platform.value;
    c.equipment = o.equipment.value;
    c.start = o.slot.start;
    c.end = o.slot.end;
    c.gross = o.price.gross;
    c.enterprise_pays = o.price.enterprise_pays;
    c.voucher_pays = o.price.voucher_pays;
    c.scheme = o.price.scheme.value;
    c.voucher_note = o.price.voucher_note.c_str();
    c.travel_minutes = o.travel_minutes;
    c.tier = static_cast<int>(o.tier);
    c.alliance = o.alliance.value;
    c.referral_hops = o.referral_hops;
    c.score = o.score;
    chain.clear();
    for (const auto p : o.chain) chain.push_back(p.value);
    c.chain = chain.empty() ? nullptr : chain.data();
    c.chain_count = chain.size();
}

void served_to_c(const psp::ServedRequest& s, psp_served_request& c, std::vector<std::int64_t>& chain) {
    c.id = s.id.value;
    c.booking = s.booking.value;
    c.at = s.at;
    const auto& q = s.request;
    c.enterprise = q.enterprise.value;
    c.kind = static_cast<int>(q.kind);
    c.equipment_class = q.equipment_class.value;
    c.window_start = q.window.start;
    c.window_end = q.window.end;
    c.minutes = q.minutes;
    c.units = q.units;
    c.has_price_ceiling = q.price_ceiling ? 1 : 0;
    c.price_ceiling = q.price_ceiling.value_or(0);
    c.voucher_scheme = q.voucher.value;
    c.received_by = q.received_by.value;
    c.front_door = q.front_door.value;
    c.note = q.note.c_str();
    // The offer's fields, through a psp_offer so both structs are filled by one function.
    psp_offer o PSP_OFFER_INIT;
    offer_to_c(s.offer, o, chain);
    c.platform = o.platform;
    c.equipment = o.equipment;
    c.start = o.start;
    c.end = o.end;
    c.gross = o.gross;
    c.enterprise_pays = o.enterprise_pays;
    c.voucher_pays = o.voucher_pays;
    c.scheme = o.scheme;
    c.voucher_note = o.voucher_note;
    c.travel_minutes = o.travel_minutes;
    c.tier = o.tier;
    c.alliance = o.alliance;
    c.referral_hops = o.referral_hops;
    c.score = o.score;
    c.chain = o.chain;
    c.chain_count = o.chain_count;
}

// What psp_fulfil lends to the calling thread (convention 6).
struct Lent {
    psp::ServedRequest served;
    psp::Offer miss;
    std::string reason;
    std::vector<std::int64_t> served_chain;
    std::vector<std::int64_t> miss_chain;
};

Lent& lent() {
    thread_local Lent l;
    return l;
}

// --- Settlement as JSON (docs/settlement-json.md)

using ::nlohmann::json;

const char* netting_name(psp::Netting n) {
    switch (n) {
        case psp::Netting::automatic: return "automatic";
        case psp::Netting::exact: return "exact";
        case psp::Netting::greedy: return "greedy";
    }
    return "unknown";
}

json settlement_json(const psp::Settlement& s) {
    json platforms = json::array();
    for (const auto& p : s.platforms) {
        platforms.push_back({{"platform", p.platform.value},
                             {"served", p.served},
                             {"referred", p.referred},
                             {"gross_served", p.gross_served},
                             {"collected", p.collected},
                             {"voucher_due", p.voucher_due},
                             {"kept", p.kept},
                             {"referral_owed", p.referral_owed},
                             {"pool_owed", p.pool_owed},
                             {"referral_earned", p.referral_earned},
                             {"balance", p.balance}});
    }
    json transfers = json::array();
    for (const auto& t : s.transfers) transfers.push_back({{"from", t.from.value}, {"to", t.to.value}, {"amount", t.amount}});
    json vouchers = json::array();
    for (const auto& v : s.vouchers) {
        vouchers.push_back({{"scheme", v.scheme.value}, {"platform", v.platform.value}, {"amount", v.amount}, {"entries", v.entries}});
    }
    json pools = json::array();
    for (const auto& p : s.pools) pools.push_back({{"alliance", p.alliance.value}, {"amount", p.amount}, {"referrals", p.referrals}});
    json contributions = json::array();
    for (const auto& c : s.contributions) {
        contributions.push_back({{"alliance", c.alliance.value}, {"platform", c.platform.value}, {"amount", c.amount}});
    }
    const auto& t = s.totals;
    return {{"period", {{"start", s.period.start}, {"end", s.period.end}}},
            {"netting", netting_name(s.netting)},
            {"platforms", std::move(platforms)},
            {"transfers", std::move(transfers)},
            {"vouchers", std::move(vouchers)},
            {"pools", std::move(pools)},
            {"contributions", std::move(contributions)},
            {"totals",
             {{"entries", t.entries},
              {"referrals", t.referrals},
              {"gross", t.gross},
              {"enterprise_pays", t.enterprise_pays},
              {"voucher_pays", t.voucher_pays},
              {"kept", t.kept},
              {"referral", t.referral},
              {"pool", t.pool},
              {"transferred", t.transferred}}}};
}

json ledger_json(const std::vector<psp::SettlementEntry>& ledger) {
    json out = json::array();
    for (const auto& e : ledger) {
        out.push_back({{"at", e.at},
                       {"request", e.request},
                       {"serving", e.serving.value},
                       {"referring", e.referring.value},
                       {"alliance", e.alliance.value},
                       {"gross", e.gross},
                       {"enterprise_pays", e.enterprise_pays},
                       {"voucher_pays", e.voucher_pays},
                       {"scheme", e.scheme.value}});
    }
    return out;
}

}  // namespace

extern "C" {

// --- Inits

PSP_EXTERN(int) psp_service_request_init(psp_service_request* request, unsigned version) {
#if !defined(__clang__) || __clang_major__ >= 15
    // clang 14 cannot evaluate libstdc++ 12's constexpr std::string (ServiceRequest::note); GCC
    // builds (ci, dev, asan, tsan) keep the check.
    static_assert(request_init_is_the_default(), "PSP_SERVICE_REQUEST_INIT differs from psp::ServiceRequest{}");
#endif
    return init_struct("psp_service_request_init", request, version, PSP_SERVICE_REQUEST_VERSION, "request",
                       psp_service_request PSP_SERVICE_REQUEST_INIT);
}

PSP_EXTERN(int) psp_routing_policy_init(psp_routing_policy* policy, unsigned version) {
    return init_struct("psp_routing_policy_init", policy, version, PSP_ROUTING_POLICY_VERSION, "policy",
                       psp_routing_policy PSP_ROUTING_POLICY_INIT);
}

PSP_EXTERN(int) psp_offer_init(psp_offer* offer, unsigned version) {
    return init_struct("psp_offer_init", offer, version, PSP_OFFER_VERSION, "offer", psp_offer PSP_OFFER_INIT);
}

PSP_EXTERN(int) psp_served_request_init(psp_served_request* served, unsigned version) {
    return init_struct("psp_served_request_init", served, version, PSP_SERVED_REQUEST_VERSION, "served",
                       psp_served_request PSP_SERVED_REQUEST_INIT);
}

PSP_EXTERN(int) psp_service_capacity_init(psp_service_capacity* capacity, unsigned version) {
    return init_struct("psp_service_capacity_init", capacity, version, PSP_SERVICE_CAPACITY_VERSION, "capacity",
                       psp_service_capacity PSP_SERVICE_CAPACITY_INIT);
}

// --- Routing and fulfilment

PSP_EXTERN(int) psp_route_iter_new(psp_offer_iter** out, psp_db* db, const psp_service_request* request,
                                   const psp_routing_policy* policy) {
    return iter_new("psp_route_iter_new", out, db, [&](const Database& d) {
        const auto q = request_from_c(require_struct(request, PSP_SERVICE_REQUEST_VERSION, "request"));
        return d.route(q, optional_policy(policy));
    });
}

PSP_EXTERN(int) psp_offer_iter_next(psp_offer* out, psp_offer_iter* it) {
    return iter_next("psp_offer_iter_next", out, it, PSP_OFFER_VERSION,
                     [](const psp::Offer& o, psp_offer& c, Scratch& s) { offer_to_c(o, c, s.ids); });
}

PSP_EXTERN(void) psp_offer_iter_free(psp_offer_iter* it) { delete it; }

PSP_EXTERN(int) psp_can_route(int* out, psp_db* db, const psp_service_request* request, const psp_routing_policy* policy) {
    return guard("psp_can_route", [&] {
        auto& o = require(out, "out");
        auto& h = handle(db);
        const auto q = request_from_c(require_struct(request, PSP_SERVICE_REQUEST_VERSION, "request"));
        const auto p = optional_policy(policy);
        std::lock_guard lock(h.mu);
        o = h.db.can_route(q, p) ? 1 : 0;
        return 0;
    });
}

PSP_EXTERN(int) psp_fulfil(psp_served_request* out, int* out_served, const char** out_reason,
                           psp_offer* out_nearest_miss, psp_db* db, const psp_actor* actor,
                           const psp_service_request* request, const psp_routing_policy* policy) {
    return guard("psp_fulfil", [&] {
        if (out != nullptr) require_struct(out, PSP_SERVED_REQUEST_VERSION, "out");
        auto& served = require(out_served, "out_served");
        if (out_nearest_miss != nullptr) require_struct(out_nearest_miss, PSP_OFFER_VERSION, "out_nearest_miss");
        auto& h = handle(db);
        auto a = actor_from_c(actor);
        const auto q = request_from_c(require_struct(request, PSP_SERVICE_REQUEST_VERSION, "request"));
        const auto p = optional_policy(policy);
        psp::Fulfilment f;
        {
            std::lock_guard lock(h.mu);
            f = h.db.fulfil(a, q, p);
        }
        auto& l = lent();
        l.reason = std::move(f.reason);
        served = f.served ? 1 : 0;
        if (out_reason != nullptr) *out_reason = l.reason.c_str();
        if (f.served && out != nullptr) {
            l.served = std::move(*f.served);
            served_to_c(l.served, *out, l.served_chain);
        }
        if (out_nearest_miss != nullptr) {
            const unsigned version = out_nearest_miss->version;
            *out_nearest_miss = psp_offer PSP_OFFER_INIT;
            out_nearest_miss->version = version;
            if (!f.served && f.nearest_miss) {
                l.miss = std::move(*f.nearest_miss);
                offer_to_c(l.miss, *out_nearest_miss, l.miss_chain);
            }
        }
        return 0;
    });
}

PSP_EXTERN(int) psp_served_requests_iter_new(psp_served_requests_iter** out, psp_db* db, const psp_period* period) {
    return iter_new("psp_served_requests_iter_new", out, db,
                    [&](const Database& d) { return d.served_requests(period_from_c(period)); });
}

PSP_EXTERN(int) psp_served_requests_iter_new_as(psp_served_requests_iter** out, psp_db* db, const psp_actor* reader,
                                                const psp_period* period) {
    return iter_new("psp_served_requests_iter_new_as", out, db, [&](const Database& d) {
        return d.served_requests(reader_from_c(reader), period_from_c(period));
    });
}

PSP_EXTERN(int) psp_served_requests_iter_next(psp_served_request* out, psp_served_requests_iter* it) {
    return iter_next("psp_served_requests_iter_next", out, it, PSP_SERVED_REQUEST_VERSION,
                     [](const psp::ServedRequest& r, psp_served_request& c, Scratch& s) { served_to_c(r, c, s.ids); });
}

PSP_EXTERN(void) psp_served_requests_iter_free(psp_served_requests_iter* it) { delete it; }

// --- Service capacities and one-stop policies

PSP_EXTERN(int) psp_service_capacity_set(psp_db* db, const psp_actor* actor, int64_t platform, int kind,
                                         int cases_per_week) {
    return guard("psp_service_capacity_set", [&] {
        auto& h = handle(db);
        auto a = actor_from_c(actor);
        const auto k = require_enum<psp::ServiceKind>(kind, PSP_SERVICE_COUNT, "kind");
        std::lock_guard lock(h.mu);
        h.db.set_service_capacity(a, {psp::PlatformId(platform), k, cases_per_week});
        return 0;
    });
}

PSP_EXTERN(int) psp_service_capacity_iter_new(psp_service_capacity_iter** out, psp_db* db) {
    return iter_new("psp_service_capacity_iter_new", out, db,
                    [&](const Database& d) { return d.service_capacities(); });
}

PSP_EXTERN(int) psp_service_capacity_iter_next(psp_service_capacity* out, psp_service_capacity_iter* it) {
    return iter_next("psp_service_capacity_iter_next", out, it, PSP_SERVICE_CAPACITY_VERSION,
                     [](const psp::ServiceCapacity& r, psp_service_capacity& c, Scratch&) {
                         c.platform = r.platform.value;
                         c.kind = static_cast<int>(r.kind);
                         c.cases_per_week = r.cases_per_week;
                     });
}

PSP_EXTERN(void) psp_service_capacity_iter_free(psp_service_capacity_iter* it) { delete it; }

PSP_EXTERN(int) psp_alliance_policy_set(psp_db* db, const psp_actor* actor, int64_t alliance,
                                        const psp_routing_policy* policy) {
    return guard("psp_alliance_policy_set", [&] {
        auto& h = handle(db);
        auto a = actor_from_c(actor);
        const auto p = policy_from_c(require_struct(policy, PSP_ROUTING_POLICY_VERSION, "policy"));
        std::lock_guard lock(h.mu);
        h.db.set_alliance_policy(a, psp::AllianceId(alliance), p);
        return 0;
    });
}

PSP_EXTERN(int) psp_alliance_policy_get(psp_routing_policy* out, int* out_has, psp_db* db, int64_t alliance) {
    return guard("psp_alliance_policy_get", [&] {
        auto& o = require_struct(out, PSP_ROUTING_POLICY_VERSION, "out");
        auto& has = require(out_has, "out_has");
        auto& h = handle(db);
        std::optional<psp::RoutingPolicy> p;
        {
            std::lock_guard lock(h.mu);
            p = h.db.alliance_policy(psp::AllianceId(alliance));
        }
        to_c(p.value_or(psp::RoutingPolicy{}), o);
        has = p ? 1 : 0;
        return 0;
    });
}

// --- Settlement

PSP_EXTERN(int) psp_settlement_rule_set(psp_db* db, const psp_actor* actor, int64_t alliance, int serving_bp,
                                        int referring_bp, int pool_bp) {
    return guard("psp_settlement_rule_set", [&] {
        auto& h = handle(db);
        auto a = actor_from_c(actor);
        std::lock_guard lock(h.mu);
        h.db.set_settlement_rule(a, psp::AllianceId(alliance), {serving_bp, referring_bp, pool_bp});
        return 0;
    });
}

PSP_EXTERN(int) psp_settlement_rule_get(int* out_serving_bp, int* out_referring_bp, int* out_pool_bp, psp_db* db,
                                        int64_t alliance) {
    return guard("psp_settlement_rule_get", [&] {
        auto& serving = require(out_serving_bp, "out_serving_bp");
        auto& referring = require(out_referring_bp, "out_referring_bp");
        auto& pool = require(out_pool_bp, "out_pool_bp");
        auto& h = handle(db);
        psp::SettlementRule r;
        {
            std::lock_guard lock(h.mu);
            r = h.db.settlement_rule(psp::AllianceId(alliance));
        }
        serving = r.serving_bp;
        referring = r.referring_bp;
        pool = r.pool_bp;
        return 0;
    });
}

PSP_EXTERN(int) psp_settle_json(char** out, psp_db* db, const psp_period* period) {
    return text_out("psp_settle_json", out, db,
                    [&](const Database& d) { return settlement_json(d.settle(period_from_c(period))).dump(); });
}

PSP_EXTERN(int) psp_settlement_ledger_json(char** out, psp_db* db, const psp_period* period) {
    return text_out("psp_settlement_ledger_json", out, db,
                    [&](const Database& d) { return ledger_json(d.settlement_ledger(period_from_c(period))).dump(); });
}

PSP_EXTERN(int) psp_settlement_ledger_json_as(char** out, psp_db* db, const psp_actor* reader, const psp_period* period) {
    return text_out("psp_settlement_ledger_json_as", out, db, [&](const Database& d) {
        return ledger_json(d.settlement_ledger(reader_from_c(reader), period_from_c(period))).dump();
    });
}

}  // extern "C"
