// Coordination across the network: a request's candidate platforms by tier (home, family,
// alliance, linked, city), an offer per candidate equipment or service desk, ranked by the
// policy's objective; fulfilment books the best offer and records the served request, which the
// settlement ledger reads.
#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <set>
#include <unordered_map>

#include "booking/voucher_bound.hpp"
#include "database/impl.hpp"
#include "demand/random.hpp"
#include "json/booking_text.hpp"
#include "json/reader.hpp"
#include "json/routing_json.hpp"

namespace psp {
namespace {
constexpr int unbounded_travel = 7 * 24 * 60;   // travel tables reach this far; policies bound them
// Free periods of an instrument tried in turn when the first is refused by a rule (lead time...).
constexpr std::size_t slots_tried = 4;
}  // namespace

// A platform that may serve requests of one shape, and how the request gets there.
struct Database::Impl::Candidate {
    PlatformId platform;
    RouteTier tier = RouteTier::home;
    AllianceId alliance;
    PlatformId via;   // the platform the request comes from: the receiver or a home platform
    int hops = 0;
};

// What routing needs of the network, built once per network version: families, alliance
// memberships, links, service areas, equipment by platform and class, and (lazily, per zone)
// travel minutes from the zone to every platform and piece of equipment.
struct Database::Impl::RoutingTables {
    std::uint64_t version = 0;
    std::unordered_map<std::int64_t, std::vector<PlatformId>> children;      // backbone -> sub-platforms
    std::unordered_map<std::int64_t, std::vector<AllianceId>> alliances_of;  // platform -> alliances
    std::unordered_map<std::int64_t, std::vector<PlatformId>> linked_from;   // platform -> linked platforms
    std::unordered_map<std::int64_t, std::vector<PlatformId>> serving;       // zone -> platforms, nearest first
    // platform -> its equipment sorted by (class, id): a candidate's instruments of a class are an
    // equal_range in a short vector. The id is kept beside the row so that a search reads a
    // row only for the instruments it evaluates.
    struct OwnedEquipment {
        std::int64_t equipment_class = 0;
        EquipmentId id;
        const Equipment* row = nullptr;
    };
    std::unordered_map<std::int64_t, std::vector<OwnedEquipment>> equipment_of;
    // Minutes from a zone, by id (dense: ids are small integers); unbounded_travel when out of reach.
    struct ZoneTravel {
        std::vector<int> platforms, equipment;
        static int at(const std::vector<int>& v, std::int64_t id);
    };
    mutable std::unordered_map<std::int64_t, ZoneTravel> travel;                             // by zone
    // The zone's travel table, computed on first use.
    const ZoneTravel& travel_from(ZoneId, const Impl&) const;
    std::int64_t max_platform = 0, max_equipment = 0;
    // What a search reads of the requesting enterprise, by id (dense: ids are small integers): its
    // row, one node of a tree of thousands, missed the cache on nearly every request.
    struct Firm {
        ZoneId zone;
        EnterpriseSize size = EnterpriseSize::micro;
        bool known = false;
    };
    std::vector<Firm> firms;
    Firm firm_of(EnterpriseId id, const detail::State& state) const {
        if (id.value >= 0 && static_cast<std::size_t>(id.value) < firms.size() && firms[static_cast<std::size_t>(id.value)].known) {
            return firms[static_cast<std::size_t>(id.value)];
        }
        const Enterprise& e = *state.enterprises.find(id);   // checked by check_request
        return {e.zone, e.size, true};
    }
    // The candidates of one shape that own equipment of one class, with that equipment: a search
    // for the class visits only these (a city tier lists every platform, most without the
    // class).
    struct Holding {
        std::uint32_t index = 0;        // in the shape's candidates
        bool tier_changed = false;      // the tier changes between the previous holding and this one
        bool member = false;            // its equipment is at the member rate for the shape's zone
        std::uint32_t minutes_at = 0;   // where the travel minutes of [first, last) start in Held::minutes
        const OwnedEquipment* first = nullptr;
        const OwnedEquipment* last = nullptr;
    };
    // The holdings with the minutes from the shape's zone to each of their instruments, side by
    // side: the zone's travel table, indexed by equipment id, missed the cache on most reads. The
    // same for each instrument's rate where the shape's zone pays it (member or external): the
    // tariff table missed too, for every instrument a request with a ceiling looks at.
    struct Held {
        std::vector<Holding> list;
        std::vector<int> minutes;
        std::vector<detail::RateTerms> rates;   // by the same index as minutes
        // TariffTable::version() they were read at; none yet when the holdings are new.
        std::uint64_t rates_version = std::numeric_limits<std::uint64_t>::max();
    };
    // What a search needs of one request shape (zone, receiver, front door, kind): computed on the
    // first request of that shape, then only filtered by the policy. Found with one hash look-up
    // and an index by class: the trees these were in missed the cache at every level.
    struct ShapeKey {
        std::int64_t zone = 0, receiver = 0, front_door = 0;
        int kind = 0;
        friend bool operator==(const ShapeKey&, const ShapeKey&) = default;
    };
    struct ShapeHash {
        std::size_t operator()(const ShapeKey& k) const {
            using demand_detail::splitmix;
            return static_cast<std::size_t>(splitmix(splitmix(splitmix(static_cast<std::uint64_t>(k.zone)) ^ static_cast<std::uint64_t>(k.receiver)) ^
                                                     (static_cast<std::uint64_t>(k.front_door) << 3 ^ static_cast<std::uint64_t>(k.kind))));
        }
    };
    struct Shape {
        std::vector<Candidate> candidates;   // of every tier, nearest tier first
        const ZoneTravel* travel = nullptr;  // from the shape's zone (a node of `travel`: stable)
        std::vector<std::unique_ptr<Held>> held;                // by class id, built on first use
        std::unordered_map<std::int64_t, Held> wide_held;       // class ids past a dense table
    };
    mutable std::unordered_map<ShapeKey, Shape, ShapeHash> shapes;
    // Platforms already evaluated in the current search: stamped with the search's number, so
    // that nothing needs clearing between searches (Database calls are serialised).
    mutable std::vector<std::uint64_t> evaluated_in;   // by platform id
    mutable std::uint64_t search_number = 0;
    // An instrument in reach that a search may evaluate, with the lowest score its offer can have.
    struct Pending {
        double score_bound = 0;
        int travel = 0;
        PlatformId platform;
        EquipmentId equipment_id;
        std::uint32_t seq = 0;
        bool member = false;
        Period window;                     // where its free periods are looked for
        std::optional<Time> start_bound;   // none: no start possible in the window
        const Candidate* candidate = nullptr;
        const Equipment* equipment = nullptr;
    };
    mutable std::vector<Pending> pending;   // the current search's, kept to reuse its memory
    // A pending instrument's place in the ranking: its bound and travel beside its index in
    // `pending`, so that ranking moves 16 bytes rather than the whole record (the ids that break
    // ties are read from the record, for the rare equal bound and travel).
    struct Rank {
        double score_bound = 0;
        int travel = 0;
        std::uint32_t index = 0;
    };
    mutable std::vector<Rank> ranks;
    // An instrument in reach set aside, as little as makes its Pending again (Database::Impl::
    // search's pending_of): a search sets aside most of those it looks at, and copying a whole
    // Pending for each cost more than what is done with them later.
    struct SetAside {
        const Candidate* candidate = nullptr;
        const OwnedEquipment* owned = nullptr;
        int travel = 0;
        std::uint32_t seq = 0;
        bool member = false;
    };
    // Instruments in reach with no start possible in the window (most of them in a busy city):
    // apart from the ranked ones, since they only ever make a miss.
    mutable std::vector<SetAside> unstartable;
    // Instruments in reach that cost more than the request's ceiling whatever their slot: they too
    // only ever make a miss, and their calendars are not read unless that miss could be kept.
    mutable std::vector<SetAside> priced_out;
    mutable std::vector<Period> slots;      // the free periods of the instrument being evaluated, likewise
};

namespace {

// How close a failed candidate came, for the "nearest miss": later stages are nearer.
enum class MissStage : int { too_far = 0, no_slot = 1, refused = 2, above_ceiling = 3 };

bool live(BookingStatus s) {
    return s == BookingStatus::pending || s == BookingStatus::confirmed || s == BookingStatus::checked_in ||
           s == BookingStatus::completed;
}

}  // namespace

int Database::Impl::RoutingTables::ZoneTravel::at(const std::vector<int>& v, std::int64_t id) {
    return id >= 0 && static_cast<std::size_t>(id) < v.size() ? v[static_cast<std::size_t>(id)] : unbounded_travel;
}

struct Database::Impl::Search {
    std::vector<Offer> offers;              // ranked, best first
    std::optional<Offer> nearest_miss;
    std::string miss_reason;
    int miss_stage = -1;
    std::uint32_t miss_seq = 0;             // the kept miss's place in tier order
    // Platforms looked at; for a class, only those owning it (one if none does but some
    // platform was open to the request: fulfil reads only whether it is 0).
    int candidates = 0;

    // The nearest miss is the one of the latest stage, then the nearest tier, the least travel,
    // the first in tier order (`seq`, so that the order instruments are evaluated in does not
    // matter). `reason` makes the message: called only for a miss nearer than the one kept,
    // since most candidates of a busy network miss and their messages would cost more than the search.
    bool nearer(MissStage stage, RouteTier tier, int travel_minutes, std::uint32_t seq) const {
        const int s = static_cast<int>(stage);
        if (s != miss_stage) return s > miss_stage;
        return !nearest_miss || std::tie(tier, travel_minutes, seq) <
                                    std::tie(nearest_miss->tier, nearest_miss->travel_minutes, miss_seq);
    }
    // True when the miss was kept (nearest_miss is now a copy of `o`).
    template <class Reason>
    bool miss(MissStage stage, const Offer& o, std::uint32_t seq, Reason&& reason) {
        if (!nearer(stage, o.tier, o.travel_minutes, seq)) return false;
        miss_stage = static_cast<int>(stage);
        miss_seq = seq;
        nearest_miss = o;
        miss_reason = reason();
        return true;
    }
};

void Database::Impl::load_routing() {
    for (const auto& c : store.load_service_capacity()) service_capacity[{c.platform.value, static_cast<int>(c.kind)}] = c.cases_per_week;
    for (const auto& [a, text] : store.load_alliance_policies()) {
        alliance_policies[a.value] = json::routing_policy_from_json(json::parse_document(text));
    }
    for (const auto& r : store.load_settlement_rules()) settlement_rules[r.alliance.value] = r.rule;
    for (const auto& s : store.load_served_requests()) take_served(s);
    for (const auto& u : store.load_unmet_requests()) unmet.push_back(u);
}

void Database::Impl::take_served(const ServedRequest& s) {
    served.push_back(s);   // throws (format) unless its id is the next one
    if (!s.booking) ++cases_used[{s.offer.platform.value, static_cast<int>(s.request.kind), case_week(s.offer.platform, s.offer.slot.start)}];
}

const Database::Impl::RoutingTables& Database::Impl::routing_tables() const {
    if (routing && routing->version == network_version) return *routing;
    auto t = std::make_shared<RoutingTables>();
    t->version = network_version;
    for (const auto& [id, p] : state.platforms.rows()) {
        if (p.parent) t->children[p.parent.value].push_back(id);
    }
    for (const auto& [aid, a] : state.alliances.rows()) {
        for (const auto& m : a.members) t->alliances_of[m.platform.value].push_back(aid);
    }
    for (const auto& [key, kind] : state.links) t->linked_from[key.first].emplace_back(key.second);
    std::map<std::int64_t, std::vector<std::pair<int, PlatformId>>> by_zone;
    for (const auto& [key, minutes] : state.zone_services) by_zone[key.second].emplace_back(minutes, PlatformId(key.first));
    for (auto& [zone, list] : by_zone) {
        std::sort(list.begin(), list.end());
        for (const auto& [m, p] : list) t->serving[zone].push_back(p);
    }
    // Pointers into the state's rows: stable until the network changes, which rebuilds these tables.
    for (const auto& [id, e] : state.equipment.rows()) t->equipment_of[e.owner.value].push_back({e.equipment_class.value, id, &e});
    t->max_platform = state.platforms.size() ? state.platforms.rows().rbegin()->first.value : 0;
    t->max_equipment = state.equipment.size() ? state.equipment.rows().rbegin()->first.value : 0;
    const std::size_t firm_ids = state.enterprises.size() ? static_cast<std::size_t>(std::clamp<std::int64_t>(
                                                                 state.enterprises.rows().rbegin()->first.value + 1, 0,
                                                                 static_cast<std::int64_t>(2 * state.enterprises.size() + 1024)))
                                                           : 0;
    t->firms.assign(firm_ids, {});
    for (const auto& [id, e] : state.enterprises.rows()) {
        if (id.value >= 0 && static_cast<std::size_t>(id.value) < firm_ids) t->firms[static_cast<std::size_t>(id.value)] = {e.zone, e.size, true};
    }
    // Dense tables only for dense ids: a network imported with huge ids falls back to no stamps.
    t->evaluated_in.assign(static_cast<std::size_t>(std::min<std::int64_t>(t->max_platform, 10'000'000) + 1), 0);
    for (auto& [p, list] : t->equipment_of) {
        std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) {
            return std::tie(a.equipment_class, a.id) < std::tie(b.equipment_class, b.id);
        });
    }
    routing = std::move(t);
    return *routing;
}

std::vector<AllianceId> Database::Impl::alliances_of(PlatformId p) const {
    const auto& t = routing_tables();
    auto it = t.alliances_of.find(p.value);
    return it == t.alliances_of.end() ? std::vector<AllianceId>{} : it->second;
}

std::int64_t Database::Impl::case_week(PlatformId p, Time t) const {
    // Local ISO week of the platform's calendar (Monday first; 1970-01-01 was a Thursday).
    const auto cal = platform_calendars.find(p.value);
    const Calendar c = cal == platform_calendars.end() ? Calendar::standard_working_week() : cal->second;
    const Time local = t + static_cast<Time>(utc_offset_minutes(c, t)) * 60;
    const Time day = (local - (((local % 86400) + 86400) % 86400)) / 86400;
    return (day + 3 - (((day + 3) % 7) + 7) % 7) / 7;
}

void Database::Impl::check_request(const ServiceRequest& q) const {
    const auto bad = [](const std::string& what) { throw Error(ErrorCode::invalid, "request " + what); };
    require_exists(q.enterprise);
    const int kind = static_cast<int>(q.kind);
    if (kind < 0 || kind >= service_kind_count) bad("kind: no such service kind (" + std::to_string(kind) + ")");
    if (q.equipment_class) require_exists(q.equipment_class);
    if (q.window.empty()) {
        bad("window: [" + std::to_string(q.window.start) + ", " + std::to_string(q.window.end) + ") is empty or reversed");
    }
    // Bounded before any arithmetic on it: the C ABI fuzzer found end - start, waits and ISO weeks
    // overflowing for windows near INT64_MIN.
    require_supported_window(q.window);
    if (q.minutes < 1) bad("minutes: must be >= 1, got " + std::to_string(q.minutes));
    if (Time{q.minutes} * 60 > q.window.seconds()) {
        bad("window: " + std::to_string(q.window.seconds() / 60) + " minutes is shorter than the duration of " +
            std::to_string(q.minutes) + " minutes");
    }
    if (q.units < 1) bad("units: must be >= 1, got " + std::to_string(q.units));
    if (q.price_ceiling && *q.price_ceiling < 0) bad("price_ceiling: must be >= 0 fen, got " + std::to_string(*q.price_ceiling));
    if (q.voucher && !schemes.contains(q.voucher.value)) {
        throw Error(ErrorCode::not_found, "request voucher: no voucher scheme with id " + std::to_string(q.voucher.value));
    }
    if (q.received_by) require_exists(q.received_by);
    if (q.front_door) {
        require_exists(q.front_door);
        if (!state.alliances.find(q.front_door)->one_stop) {
            bad("front_door: alliance " + std::to_string(q.front_door.value) + " runs no one-stop front door");
        }
    }
    if (!detail::valid_utf8(q.note)) bad("note: is not valid UTF-8");
}

// Every candidate platform for requests of this shape, each at the nearest tier it appears in,
// in tier order (the order they were added); policies filter them per request.
std::vector<Database::Impl::Candidate> Database::Impl::candidates_for(const ServiceRequest& q, ZoneId zone) const {
    const RoutingTables& t = routing_tables();
    const auto operating = [&](PlatformId p) {
        const Platform* pl = state.platforms.find(p);
        return pl && pl->status == PlatformStatus::operating && pl->services.contains(q.kind);
    };

    std::vector<Candidate> cands;
    // A platform may be reached at several tiers (a partner that is also linked): each route is
    // kept, nearest first, so that a policy closing one tier still finds the next.
    std::set<std::pair<std::int64_t, int>> seen;
    std::set<std::int64_t> home_set;   // a home platform is only ever home, never a referral target
    const auto add = [&](PlatformId p, RouteTier tier, AllianceId a, PlatformId via, int hops) {
        if (tier != RouteTier::home && home_set.contains(p.value)) return;
        if (!operating(p) || !seen.insert({p.value, static_cast<int>(tier)}).second) return;
        cands.push_back({p, tier, a, via, hops});
    };
    if (q.front_door) {
        const Alliance& a = *state.alliances.find(q.front_door);
        for (const auto& m : a.members) add(m.platform, RouteTier::alliance, a.id, a.lead, m.platform == a.lead ? 0 : 1);
    } else {
        std::vector<PlatformId> home;
        if (q.received_by) {
            home.push_back(q.received_by);
        } else if (auto it = t.serving.find(zone.value); it != t.serving.end()) {
            home = it->second;
        }
        const PlatformId receiver = q.received_by ? q.received_by : PlatformId();
        for (auto h : home) home_set.insert(h.value);
        for (auto h : home) add(h, RouteTier::home, {}, h, 0);
        for (auto h : home) {
            const Platform* hp = state.platforms.find(h);
            if (!hp) continue;
            // Family moves (up to the backbone, across to siblings, down to sub-platforms) are free.
            if (hp->parent) {
                add(hp->parent, RouteTier::family, {}, h, 0);
                if (auto c = t.children.find(hp->parent.value); c != t.children.end()) {
                    for (auto s : c->second) add(s, RouteTier::family, {}, h, 0);
                }
            }
            if (auto c = t.children.find(h.value); c != t.children.end()) {
                for (auto s : c->second) add(s, RouteTier::family, {}, h, 0);
            }
        }
        for (auto h : home) {
            if (auto as = t.alliances_of.find(h.value); as != t.alliances_of.end()) {
                for (auto aid : as->second) {
                    for (const auto& m : state.alliances.find(aid)->members) add(m.platform, RouteTier::alliance, aid, h, 1);
                }
            }
        }
        for (auto h : home) {
            if (auto l = t.linked_from.find(h.value); l != t.linked_from.end()) {
                for (auto p : l->second) add(p, RouteTier::linked, {}, h, 1);
            }
        }
        const PlatformId city_via = receiver ? receiver : (home.empty() ? PlatformId() : home.front());
        for (const auto& [id, p] : state.platforms.rows()) add(id, RouteTier::city, {}, city_via, city_via ? 1 : 0);
    }

    return cands;
}

const Database::Impl::RoutingTables::ZoneTravel& Database::Impl::RoutingTables::travel_from(ZoneId zone, const Impl& db) const {
    auto travel_it = travel.find(zone.value);
    if (travel_it == travel.end()) {
        const auto from = db.network_graph().travel_from(zone, unbounded_travel);
        ZoneTravel z;
        const auto dense = [](const std::unordered_map<std::int64_t, int>& m, std::int64_t max) {
            std::vector<int> v(static_cast<std::size_t>(std::min<std::int64_t>(max, 10'000'000) + 1), unbounded_travel);
            for (const auto& [id, minutes] : m) {
                if (id >= 0 && static_cast<std::size_t>(id) < v.size()) v[static_cast<std::size_t>(id)] = minutes;
            }
            return v;
        };
        z.platforms = dense(from.platforms, max_platform);
        z.equipment = dense(from.equipment, max_equipment);
        travel_it = travel.emplace(zone.value, std::move(z)).first;
    }
    return travel_it->second;
}

Database::Impl::Search Database::Impl::search(const ServiceRequest& q, const RoutingPolicy& policy, int wanted) const {
    validate(policy);
    const RoutingTables& t = routing_tables();
    const RoutingTables::Firm firm = t.firm_of(q.enterprise, state);
    const RoutingTables::ShapeKey key{firm.zone.value, q.received_by.value, q.front_door.value, static_cast<int>(q.kind)};
    auto shape_it = t.shapes.find(key);
    if (shape_it == t.shapes.end()) {
        // Bounded: many receiving platforms × zones × kinds would otherwise pile up in a long run.
        if (t.shapes.size() >= 4096) t.shapes.clear();
        RoutingTables::Shape shape;
        shape.candidates = candidates_for(q, firm.zone);
        shape.travel = &t.travel_from(firm.zone, *this);
        shape_it = t.shapes.emplace(key, std::move(shape)).first;
    }
    RoutingTables::Shape& shape = shape_it->second;
    const RoutingTables::ZoneTravel& travel = *shape.travel;
    const std::vector<Candidate>& cands = shape.candidates;

    Search out;
    const Time now_t = now();
    // Nothing may start before now (BookingRule::in_past) nor beyond an instrument's horizon
    // (max_horizon_days): free periods are looked for only in between, so the few tried per
    // instrument are not spent on the past, and a window of years costs no more than its horizon.
    // Where an instrument's free periods are looked for, and the first start it could give there.
    // One look-up of the instrument's state for both (check_request checked the question).
    const auto locate = [&](RoutingTables::Pending& p) {
        auto located = engine.locate(p.equipment_id, q.window, now_t, q.minutes, q.units);
        if (!located) {   // the engine meets it for the first time
            ensure_bookable(p.equipment_id);
            located = engine.locate(p.equipment_id, q.window, now_t, q.minutes, q.units);
        }
        p.window = located->window;
        p.start_bound = located->start_bound;
    };
    // An instrument's offer is built without its chain, which ranking does not read: the chain
    // (an allocation) is added only to the offers and the miss that are kept.
    const auto set_chain = [](Offer& o, const Candidate& c) {
        if (c.via && c.via != c.platform) o.chain = {c.via, c.platform};
        else o.chain = {c.platform};
    };
    const auto chainless_offer = [&](const Candidate& c) {
        Offer o;
        o.platform = c.platform;
        o.tier = c.tier;
        o.alliance = c.tier == RouteTier::alliance ? c.alliance : AllianceId();
        o.referral_hops = c.hops;
        return o;
    };
    const auto base_offer = [&](const Candidate& c) {
        Offer o = chainless_offer(c);
        set_chain(o, c);
        return o;
    };
    const auto score = [&](const Offer& o, double load_percent) {
        const double wait_hours = static_cast<double>(o.slot.start - q.window.start) / 3600.0;
        const double yuan = static_cast<double>(o.price.enterprise_pays) / 100.0;
        switch (policy.objective) {
            case RouteObjective::earliest: return wait_hours;
            case RouteObjective::lowest_price: return yuan;
            case RouteObjective::shortest_travel: return static_cast<double>(o.travel_minutes);
            case RouteObjective::weighted: break;
        }
        return policy.weight_wait_hours * wait_hours + policy.weight_price_yuan * yuan +
               policy.weight_travel_minutes * o.travel_minutes + policy.weight_load_percent * load_percent;
    };

    // An offer's rank: nearest tier first (when the policy escalates), then the objective's score,
    // then less travel, then ids (unique per offer: one offer per platform or instrument).
    const auto better = [&](const Offer& a, const Offer& b) {
        if (policy.nearest_tier_first && a.tier != b.tier) return a.tier < b.tier;
        if (a.score != b.score) return a.score < b.score;
        if (a.travel_minutes != b.travel_minutes) return a.travel_minutes < b.travel_minutes;
        return std::tie(a.platform, a.equipment) < std::tie(b.platform, b.equipment);
    };
    // The lowest score an instrument's offer can have, from the lower bound of its first start:
    // the wait from that bound, the travel as it is, price and load at their floor of 0 (a price
    // is gross minus a voucher of at most gross, a load is a share): the same terms in the same
    // order as `score`, each no larger, so the bound never exceeds the score (IEEE rounding is
    // monotone).
    const auto score_bound = [&](Time start_bound, int travel_minutes) {
        const double wait_hours = static_cast<double>(start_bound - q.window.start) / 3600.0;
        switch (policy.objective) {
            case RouteObjective::earliest: return wait_hours;
            case RouteObjective::lowest_price: return 0.0;
            case RouteObjective::shortest_travel: return static_cast<double>(travel_minutes);
            case RouteObjective::weighted: break;
        }
        return policy.weight_wait_hours * wait_hours + policy.weight_price_yuan * 0.0 +
               policy.weight_travel_minutes * travel_minutes + policy.weight_load_percent * 0.0;
    };

    std::optional<RouteTier> found_in;
    // Any offer will do: each instrument is evaluated as soon as it is found in reach, misses are
    // not recorded, and the search ends at the first offer.
    const bool any = wanted == any_offer;
    const auto done = [&] { return any && !out.offers.empty(); };
    const std::uint64_t this_search = ++t.search_number;
    std::set<std::int64_t> evaluated_beyond;   // ids past the dense stamp table (huge imported ids)
    std::uint32_t seq = 0;                     // candidates' instruments in tier order: ties of misses
    auto& pending = t.pending;                 // instruments in reach, not yet evaluated
    auto& ranks = t.ranks;                     // their order, by bound
    auto& unstartable = t.unstartable;
    auto& priced_out = t.priced_out;
    pending.clear();
    ranks.clear();
    unstartable.clear();
    priced_out.clear();

    // Offers are kept ranked as they come; an instrument is evaluated only while its bound could
    // still put it among the first `wanted` (0: every one is evaluated).
    const auto add_offer = [&](const Offer& o) -> Offer& {
        return *out.offers.insert(std::upper_bound(out.offers.begin(), out.offers.end(), o, better), o);
    };
    // False once the first `wanted` offers all rank before any offer of `p` scoring at least `bound`.
    const auto is_needed = [&](double bound, const RoutingTables::Pending& p) {
        if (wanted <= 0 || out.offers.size() < static_cast<std::size_t>(wanted)) return true;
        const Offer& last_kept = out.offers[static_cast<std::size_t>(wanted) - 1];
        return !(std::tie(last_kept.score, last_kept.travel_minutes, last_kept.platform, last_kept.equipment) <
                 std::tie(bound, p.travel, p.platform, p.equipment_id));
    };
    const auto evaluate = [&](const RoutingTables::Pending& p) {
        const EquipmentId eq = p.equipment->id;
        const Candidate& c = *p.candidate;
        Offer o = chainless_offer(c);
        o.equipment = eq;
        o.travel_minutes = p.travel;
        const auto kept_miss = [&](bool kept) {
            if (kept) set_chain(*out.nearest_miss, c);
        };
        // The first free period only: most instruments either rank too low by it or take the
        // request at it. The next few are listed only when a rule refuses the first (free_slots
        // gives the same periods, in the same order, whatever its limit).
        auto& slots = t.slots;
        slots.clear();
        if (p.start_bound) engine.free_slots(eq, p.window, q.minutes, q.units, 1, slots);
        if (slots.empty()) {
            kept_miss(out.miss(MissStage::no_slot, o, p.seq, [&] { return "equipment " + std::to_string(eq.value) + " has no free " +
                                                                  std::to_string(q.minutes) + " minutes in the window"; }));
            return;
        }
        // With its first free start known, an instrument that cannot rank among the first
        // `wanted` any more is left unpriced (its offer or miss would not be kept; later starts
        // are no better).
        if (!is_needed(score_bound(slots.front().start, p.travel), p)) return;
        for (std::size_t i = 0;; ++i) {
            if (i == slots.size()) {
                if (i != 1) break;   // every period listed was tried
                engine.free_slots(eq, p.window, q.minutes, q.units, slots_tried, slots);   // the first was refused
                if (i >= slots.size()) break;
            }
            const Period free = slots[i];
            o.slot = {free.start, free.start + Time{q.minutes} * 60};
            const BookingRequest br{eq, q.enterprise, o.slot, q.units, q.note, q.voucher};
            const auto check = engine.check(br, now_t);
            if (!check) {
                kept_miss(out.miss(MissStage::refused, o, p.seq, [&] { return "equipment " + std::to_string(eq.value) + ": " + check.reason; }));
                continue;
            }
            Booking b;
            b.equipment = eq;
            b.enterprise = q.enterprise;
            b.period = o.slot;
            b.units = q.units;
            o.price = quote(b, q.voucher, nullptr, *p.equipment, firm.size, p.member);
            if (q.price_ceiling && o.price.enterprise_pays > *q.price_ceiling) {
                kept_miss(out.miss(MissStage::above_ceiling, o, p.seq, [&] { return "equipment " + std::to_string(eq.value) + " costs " + std::to_string(o.price.enterprise_pays) +
                             " fen, above the ceiling of " + std::to_string(*q.price_ceiling) + " fen"; }));
                return;   // later slots cost the same
            }
            const double load = policy.objective == RouteObjective::weighted
                                    ? 100.0 * static_cast<double>(engine.booked_unit_minutes(eq, q.window)) /
                                          static_cast<double>(std::max<Time>(1, q.window.seconds() / 60))
                                    : 0.0;
            o.score = score(o, load);
            set_chain(add_offer(o), c);
            if (!found_in || c.tier < *found_in) found_in = c.tier;
            return;
        }
    };
    // An instrument set aside, as consider() found it.
    const auto pending_of = [](const RoutingTables::SetAside& a) {
        RoutingTables::Pending p;
        p.candidate = a.candidate;
        p.equipment = a.owned->row;
        p.equipment_id = a.owned->id;
        p.platform = a.candidate->platform;
        p.travel = a.travel;
        p.member = a.member;
        p.seq = a.seq;
        return p;
    };
    // The pending instruments, most promising first; stops once the `wanted`-th offer ranks
    // before the next one's bound (every later bound is no better, nor is any score above it).
    const auto evaluate_pending = [&] {
        // By bound, then travel, then ids.
        const auto bound_before = [&](const RoutingTables::Rank& a, const RoutingTables::Rank& b) {
            if (a.score_bound != b.score_bound) return a.score_bound < b.score_bound;
            if (a.travel != b.travel) return a.travel < b.travel;
            const RoutingTables::Pending& pa = pending[a.index];
            const RoutingTables::Pending& pb = pending[b.index];
            return std::tie(pa.platform, pa.equipment_id) < std::tie(pb.platform, pb.equipment_id);
        };
        // Popped from a heap rather than sorted: a search evaluates a few of the dozen it ranks.
        // The order is the same (no two instruments compare equal: ids break ties).
        const auto after = [&](const RoutingTables::Rank& a, const RoutingTables::Rank& b) { return bound_before(b, a); };
        std::make_heap(ranks.begin(), ranks.end(), after);
        for (auto end = ranks.end(); end != ranks.begin(); --end) {
            std::pop_heap(ranks.begin(), end, after);
            const RoutingTables::Pending& p = pending[(end - 1)->index];
            if (!is_needed(p.score_bound, p)) break;
            evaluate(p);
        }
        pending.clear();
        ranks.clear();
        // Then those with no start, as if ranked last (their bound is infinite). Each makes only a
        // miss, kept if nearer than the one kept: the order among them does not matter, and one
        // that would not be kept is not evaluated at all.
        constexpr double no_start = std::numeric_limits<double>::infinity();
        for (const auto& a : unstartable) {
            if (!out.nearer(MissStage::no_slot, a.candidate->tier, a.travel, a.seq)) continue;
            const RoutingTables::Pending p = pending_of(a);   // no start bound: evaluate() finds no slot
            if (is_needed(no_start, p)) evaluate(p);
        }
        unstartable.clear();
        // Last, those priced out whatever their slot: a miss of the last stage at best, so the
        // nearest first, until the miss kept is nearer than any of them could be. A miss is read
        // only from a search that found no offer (where every instrument is evaluated) or one
        // that evaluates every instrument (wanted 0): otherwise they are not looked at at all.
        if (wanted == 0 || out.offers.empty()) {
            std::sort(priced_out.begin(), priced_out.end(), [](const RoutingTables::SetAside& a, const RoutingTables::SetAside& b) {
                return std::tie(a.candidate->tier, a.travel, a.seq) < std::tie(b.candidate->tier, b.travel, b.seq);
            });
            for (const auto& a : priced_out) {
                if (!out.nearer(MissStage::above_ceiling, a.candidate->tier, a.travel, a.seq)) break;
                RoutingTables::Pending p = pending_of(a);
                locate(p);
                evaluate(p);
            }
        }
        priced_out.clear();
    };

    // A candidate the policy opens and no nearer tier offered already (it is stamped).
    const auto admit = [&](const Candidate& c) {
        if (!policy.open_tiers[static_cast<std::size_t>(c.tier)] || c.hops > policy.max_referral_hops) return false;
        if (static_cast<std::size_t>(c.platform.value) < t.evaluated_in.size()) {   // offered from a nearer tier?
            auto& stamp = t.evaluated_in[static_cast<std::size_t>(c.platform.value)];
            if (stamp == this_search) return false;
            stamp = this_search;
        } else if (!evaluated_beyond.insert(c.platform.value).second) {
            return false;
        }
        return true;
    };
    // A candidate's instruments of the class, [first, last) of its equipment in (class, id) order.
    const auto consider = [&](const Candidate& c, const RoutingTables::Holding& h, const int* minutes,
                              const detail::RateTerms* rates) {
        const bool member = h.member;
        // The request's voucher where this owner takes it: for the least price of its instruments.
        const VoucherScheme* scheme = q.price_ceiling && q.voucher && scheme_accepts(q.voucher, c.platform)
                                          ? &schemes.at(q.voucher.value) : nullptr;
        // The states of the instruments a few ahead are asked for before they are read: reading
        // each state's header was most of this loop's time with one instrument of warning.
        constexpr std::ptrdiff_t ahead = 4;
        for (auto it = h.first; it != h.last && it - h.first < ahead; ++it) engine.prefetch_bound(it->id, q.minutes);
        for (auto it = h.first; it != h.last; ++it) {
            if (h.last - it > ahead) engine.prefetch_bound((it + ahead)->id, q.minutes);
            const EquipmentId eq = it->id;
            const int minutes_away = minutes[it - h.first];
            const std::uint32_t this_seq = seq++;
            if (minutes_away > policy.max_travel_minutes) {
                if (!any && out.nearer(MissStage::too_far, c.tier, minutes_away, this_seq)) {   // else no offer to build
                    Offer o = base_offer(c);
                    o.equipment = eq;
                    o.travel_minutes = minutes_away;
                    out.miss(MissStage::too_far, o, this_seq, [&] { return "equipment " + std::to_string(eq.value) + " is " +
                                                        std::to_string(minutes_away) + " minutes away (bound " +
                                                        std::to_string(policy.max_travel_minutes) + ")"; });
                }
                continue;
            }
            const RoutingTables::SetAside found{&c, &*it, minutes_away, this_seq, member};
            // The least it could cost whatever the slot and the voucher account: above the
            // ceiling, no slot of it is affordable.
            if (q.price_ceiling && rates[it - h.first].least_pays(q.minutes, q.units, scheme, firm.size) > *q.price_ceiling) {
                if (!any) priced_out.push_back(found);
                continue;
            }
            RoutingTables::Pending p = pending_of(found);
            locate(p);
            if (any) {   // only an offer counts; an instrument with no start makes none
                if (p.start_bound) evaluate(p);
                if (done()) return;
                continue;
            }
            if (!p.start_bound) {   // evaluated last, where it only records its miss
                unstartable.push_back(found);
                continue;
            }
            p.score_bound = score_bound(*p.start_bound, minutes_away);
            ranks.push_back({p.score_bound, p.travel, static_cast<std::uint32_t>(pending.size())});
            pending.push_back(p);
        }
    };

    if (q.equipment_class) {
        // Class ids are small and dense: a table by id, with a map for any beyond it. Bounded so
        // that an imported network with large class ids costs each shape a map, not a table of
        // 8 bytes per id below them (up to 4,096 shapes are kept).
        const std::int64_t class_id = q.equipment_class.value;
        constexpr std::int64_t dense_classes = 4096;
        RoutingTables::Held* held = nullptr;
        if (class_id >= 0 && class_id < dense_classes) {
            if (shape.held.size() <= static_cast<std::size_t>(class_id)) shape.held.resize(static_cast<std::size_t>(class_id) + 1);
            held = shape.held[static_cast<std::size_t>(class_id)].get();
        } else if (auto w = shape.wide_held.find(class_id); w != shape.wide_held.end()) {
            held = &w->second;
        }
        if (!held) {
            RoutingTables::Held list;
            bool changed = false;
            const RoutingTables::OwnedEquipment wanted_class{q.equipment_class.value, {}, nullptr};
            for (std::size_t i = 0; i < cands.size(); ++i) {
                if (i > 0 && cands[i].tier != cands[i - 1].tier) changed = true;
                const auto owned = t.equipment_of.find(cands[i].platform.value);
                if (owned == t.equipment_of.end()) continue;
                const auto of_class = std::equal_range(owned->second.begin(), owned->second.end(), wanted_class,
                                                       [](const auto& a, const auto& b) { return a.equipment_class < b.equipment_class; });
                if (of_class.first == of_class.second) continue;
                // The member rate, once per holding: the only place a search needs it.
                const bool member = member_rate(cands[i].platform, firm.zone);
                list.list.push_back({static_cast<std::uint32_t>(i), changed, member, static_cast<std::uint32_t>(list.minutes.size()),
                                     &*of_class.first, &*of_class.first + (of_class.second - of_class.first)});
                for (auto e = of_class.first; e != of_class.second; ++e) {
                    list.minutes.push_back(RoutingTables::ZoneTravel::at(travel.equipment, e->id.value));
                }
                changed = false;
            }
            if (class_id >= 0 && class_id < dense_classes) {
                shape.held[static_cast<std::size_t>(class_id)] = std::make_unique<RoutingTables::Held>(std::move(list));
                held = shape.held[static_cast<std::size_t>(class_id)].get();
            } else {
                held = &shape.wide_held.emplace(class_id, std::move(list)).first->second;
            }
        }
        // New holdings, or a tariff changed since their rates were read: read them (again).
        if (held->rates_version != tariffs.version()) {
            held->rates.resize(held->minutes.size());
            for (const auto& h : held->list) {
                for (auto e = h.first; e != h.last; ++e) {
                    held->rates[h.minutes_at + static_cast<std::size_t>(e - h.first)] = detail::RateTerms::of(tariffs.find(e->id.value), h.member);
                }
            }
            held->rates_version = tariffs.version();
        }
        // The same visits as over every candidate: those without the class add no instrument
        // (nor a place in `seq`), and any number of tier changes between two holdings is one
        // (the pending list is empty after the first).
        for (const auto& h : held->list) {
            const Candidate& c = cands[h.index];
            if (policy.nearest_tier_first && h.tier_changed) {
                evaluate_pending();
                if (found_in) break;
            }
            if (!admit(c)) continue;
            ++out.candidates;
            consider(c, h, held->minutes.data() + h.minutes_at, held->rates.data() + h.minutes_at);
            if (done()) break;
        }
        // Platforms without the class count only as far as an unmet request's reason reads:
        // whether any operating platform was open to it.
        if (out.candidates == 0) {
            for (const Candidate& c : cands) {
                if (policy.open_tiers[static_cast<std::size_t>(c.tier)] && c.hops <= policy.max_referral_hops) {
                    out.candidates = 1;
                    break;
                }
            }
        }
    }
    // A service without equipment: an offer per candidate platform.
    for (std::size_t i = 0; i < cands.size() && !q.equipment_class; ++i) {
        const Candidate& c = cands[i];
        // Escalation: a tier is finished before the next is opened, and the first tier with an
        // offer is the last one searched.
        if (policy.nearest_tier_first && i > 0 && c.tier != cands[i - 1].tier) {
            evaluate_pending();
            if (found_in) break;
        }
        if (!admit(c)) continue;
        ++out.candidates;
        Offer o = base_offer(c);
        o.travel_minutes = RoutingTables::ZoneTravel::at(travel.platforms, c.platform.value);
        o.slot = {q.window.start, q.window.start + Time{q.minutes} * 60};
        const std::uint32_t this_seq = seq++;
        if (o.travel_minutes > policy.max_travel_minutes) {
            out.miss(MissStage::too_far, o, this_seq, [&] { return "platform " + std::to_string(c.platform.value) + " is " +
                                                std::to_string(o.travel_minutes) + " minutes away"; });
        } else {
            const auto cap = service_capacity.find({c.platform.value, static_cast<int>(q.kind)});
            const auto used = cap == service_capacity.end()
                                  ? cases_used.end()
                                  : cases_used.find({c.platform.value, static_cast<int>(q.kind), case_week(c.platform, o.slot.start)});
            if (used != cases_used.end() && used->second >= cap->second) {
                out.miss(MissStage::no_slot, o, this_seq, [&] { return "platform " + std::to_string(c.platform.value) + " takes " +
                                                    std::to_string(cap->second) + " cases a week and is full"; });
            } else {
                o.score = score(o, 0.0);
                add_offer(o);
                if (!found_in) found_in = c.tier;
                if (done()) break;
            }
        }
    }
    evaluate_pending();
    if (out.offers.size() > static_cast<std::size_t>(policy.max_offers)) out.offers.resize(static_cast<std::size_t>(policy.max_offers));
    return out;
}

std::vector<Offer> Database::route(const ServiceRequest& q, const RoutingPolicy& policy) const {
    impl_->check_request(q);
    return impl_->search(q, policy, policy.max_offers).offers;
}

bool Database::can_route(const ServiceRequest& q, const RoutingPolicy& policy) const {
    impl_->check_request(q);
    return !impl_->search(q, policy, Impl::any_offer).offers.empty();
}

Fulfilment Database::fulfil(const Actor& actor, const ServiceRequest& q, const RoutingPolicy& given) {
    impl_->check_request(q);
    PlatformId desk = q.received_by;
    if (q.front_door) desk = impl_->state.alliances.find(q.front_door)->lead;
    const bool own = (actor.role == Role::enterprise && actor.enterprise == q.enterprise) ||
                     (actor.role == Role::platform_operator && desk && actor.platform == desk);
    // The refusal's text (a description of the enterprise) is written only for a refusal: it
    // cost thousands of instructions per simulated request.
    Impl::require_permission(actor, Action::book, own, [&] { return "a service request of " + detail::describe(impl_->state, q.enterprise); });
    RoutingPolicy policy = given;
    if (q.front_door) {
        if (auto p = impl_->alliance_policies.find(q.front_door.value); p != impl_->alliance_policies.end()) policy = p->second;
    }
    // Only the best offer is needed unless it cannot be booked: the search stops once it is
    // certain, and is run in full (every offer, every miss) only when it was taken meanwhile.
    auto found = impl_->search(q, policy, 1);
    bool complete = false;
    Fulfilment out;
    const Time now = impl_->now();
    for (std::size_t i = 0;; ++i) {
        if (i >= (complete ? found.offers.size() : std::min<std::size_t>(1, found.offers.size()))) {
            if (complete || found.offers.empty()) break;   // empty: everything was evaluated
            found = impl_->search(q, policy, 0);
            complete = true;
            if (i >= found.offers.size()) break;
        }
        const Offer& offer = found.offers[i];
        ServedRequest s;
        s.id = ServedRequestId(static_cast<std::int64_t>(impl_->served.size()) + 1);
        s.request = q;
        s.offer = offer;
        s.at = now;
        if (offer.equipment) {
            const BookingId mark = impl_->engine.next_id();
            const auto booked = impl_->engine.book({offer.equipment, q.enterprise, offer.slot, q.units, q.note, q.voucher}, now);
            if (!booked) continue;   // taken meanwhile: the next offer
            const Booking& b = *booked.booking;
            // The price the offer was quoted at: the booking is the offer's instrument, enterprise,
            // slot, units and voucher, and nothing since the search changed a tariff or a voucher
            // account. (Quoting again cost a member-rate look-up through the alliances per request.)
            const PriceBreakdown& price = offer.price;
            s.booking = b.id;
            try {
                impl_->commit_ledger(
                    [&] {
                        impl_->store.insert(b);
                        impl_->write_price(b, price, +1);
                        impl_->journal(impl_->store, actor, "add", EntityKind::booking, b.id.value, json::booking_text(b, &price));
                        impl_->store.insert(s);
                        impl_->journal(impl_->store, actor, "serve", EntityKind::served_request, s.id.value,
                                       {{"booking", b.id.value}, {"platform", offer.platform.value},
                                        {"tier", to_string(offer.tier)}, {"received_by", offer.chain.front().value}});
                    },
                    [&] {
                        impl_->remember_price(b, price, +1);
                        impl_->tally(b, +1);
                        impl_->served.push_back(s);
                        impl_->tally_served(impl_->served.size() - 1, +1);
                    });
            } catch (...) {
                impl_->engine.rollback_to(mark);
                throw;
            }
        } else {
            const auto week = impl_->case_week(offer.platform, offer.slot.start);
            impl_->commit_ledger(
                [&] {
                    impl_->store.insert(s);
                    impl_->journal(impl_->store, actor, "serve", EntityKind::served_request, s.id.value,
                                   {{"platform", offer.platform.value},
                                    {"tier", to_string(offer.tier)}, {"kind", to_string(q.kind)}});
                },
                [&] {
                    ++impl_->cases_used[{offer.platform.value, static_cast<int>(q.kind), week}];
                    impl_->served.push_back(s);
                    impl_->tally_served(impl_->served.size() - 1, +1);
                });
        }
        out.served = std::move(s);
        return out;
    }
    out.nearest_miss = found.nearest_miss;
    out.reason = found.candidates == 0 ? "no operating platform offering " + std::string(to_string(q.kind)) +
                                             " in the open tiers"
                 : found.nearest_miss ? "nothing fits; nearest miss: " + found.miss_reason
                                      : "nothing fits: no platform in the open tiers has equipment of the class";
    // The request stays on record as unmet demand (statistics, rollout planning).
    UnmetRequest u;
    u.id = UnmetRequestId(static_cast<std::int64_t>(impl_->unmet.size()) + 1);
    u.request = q;
    u.desk = desk;
    u.at = now;
    u.reason = out.reason;
    impl_->commit_ledger(
        [&] {
            impl_->store.insert(u);
            impl_->journal(impl_->store, actor, "unmet", EntityKind::served_request, 0,
                           {{"unmet", u.id.value}, {"enterprise", q.enterprise.value}, {"kind", to_string(q.kind)},
                            {"desk", desk.value}, {"reason", u.reason}});
        },
        [&] {
            impl_->unmet.push_back(u);
            impl_->tally_unmet(impl_->unmet.size() - 1, +1);
        });
    out.unmet = u.id;
    return out;
}

std::vector<ServedRequest> Database::served_requests(Period p) const {
    if (p.empty()) throw Error(ErrorCode::invalid, "period: empty or reversed");
    std::vector<ServedRequest> out;
    for (std::size_t i = 0; i < impl_->served.size(); ++i) {
        const Time start = impl_->served.row(i).slot.start;
        if (start >= p.start && start < p.end) out.push_back(impl_->served.get(i));
    }
    return out;
}

void Database::set_service_capacity(const Actor& actor, const ServiceCapacity& c) {
    impl_->require_exists(c.platform);
    Impl::require_permission(actor, Action::manage_booking_rules, actor.platform == c.platform, detail::describe(impl_->state, c.platform));
    const int kind = static_cast<int>(c.kind);
    if (kind < 0 || kind >= service_kind_count) throw Error(ErrorCode::invalid, "capacity kind: no such service kind");
    if (c.cases_per_week < 0) throw Error(ErrorCode::invalid, "capacity cases_per_week: must be >= 0");
    impl_->commit_ledger(
        [&] {
            impl_->store.put(c);
            impl_->journal(impl_->store, actor, "set", EntityKind::platform, c.platform.value,
                           {{"service_capacity", to_string(c.kind)}, {"cases_per_week", c.cases_per_week}});
        },
        [&] { impl_->service_capacity[{c.platform.value, kind}] = c.cases_per_week; });
}

std::vector<ServiceCapacity> Database::service_capacities() const {
    std::vector<ServiceCapacity> out;
    for (const auto& [key, cases] : impl_->service_capacity) out.push_back({PlatformId(key.first), static_cast<ServiceKind>(key.second), cases});
    return out;
}

void Database::set_alliance_policy(const Actor& actor, AllianceId a, const RoutingPolicy& p) {
    impl_->require_exists(a);
    const Alliance& al = *impl_->state.alliances.find(a);
    Impl::require_permission(actor, Action::manage_alliance, actor.platform == al.lead, detail::describe(impl_->state, a));
    validate(p);
    const auto text = json::to_json(p);
    impl_->commit_ledger(
        [&] {
            impl_->store.put_alliance_policy(a, text.dump());
            impl_->journal(impl_->store, actor, "set", EntityKind::alliance, a.value, {{"policy", text}});
        },
        [&] { impl_->alliance_policies[a.value] = p; });
}

std::optional<RoutingPolicy> Database::alliance_policy(AllianceId a) const {
    impl_->require_exists(a);
    auto it = impl_->alliance_policies.find(a.value);
    if (it == impl_->alliance_policies.end()) return std::nullopt;
    return it->second;
}

void Database::set_settlement_rule(const Actor& actor, AllianceId a, const SettlementRule& r) {
    bool own = false;
    if (a) {
        impl_->require_exists(a);
        own = actor.platform == impl_->state.alliances.find(a)->lead;
    }
    Impl::require_permission(actor, Action::manage_alliance, own,
                             a ? detail::describe(impl_->state, a) : std::string("the default settlement rule"));
    validate(r);
    if (!a && r.pool_bp != 0) throw Error(ErrorCode::invalid, "settlement rule pool_bp: the default rule has no alliance pool to pay");
    impl_->commit_ledger(
        [&] {
            impl_->store.put(AllianceSettlementRule{a, r});
            impl_->journal(impl_->store, actor, "set", EntityKind::alliance, a.value,
                           {{"settlement_rule", {{"serving_bp", r.serving_bp}, {"referring_bp", r.referring_bp}, {"pool_bp", r.pool_bp}}}});
        },
        [&] { impl_->settlement_rules[a.value] = r; });
}

SettlementRule Database::settlement_rule(AllianceId a) const {
    if (a) impl_->require_exists(a);
    if (auto it = impl_->settlement_rules.find(a.value); it != impl_->settlement_rules.end()) return it->second;
    if (auto d = impl_->settlement_rules.find(0); d != impl_->settlement_rules.end()) return d->second;
    return {};
}

std::vector<SettlementEntry> Database::settlement_ledger(Period p) const {
    if (p.empty()) throw Error(ErrorCode::invalid, "period: empty or reversed");
    std::vector<SettlementEntry> out;
    // The served requests are read in place (served_requests() would copy a year of them).
    const auto& served = impl_->served;
    // Room for every request served in the period, counted first: a year of entries grown by
    // doubling copied them over and over and left the old copies' pages behind (a simulation
    // settles a year of millions).
    std::size_t in_period = 0;
    for (std::size_t i = 0; i < served.size(); ++i) {
        const Time start = served.row(i).slot.start;
        in_period += start >= p.start && start < p.end ? 1 : 0;
    }
    out.reserve(in_period);
    for (std::size_t i = 0; i < served.size(); ++i) {
        const auto& s = served.row(i);
        if (s.slot.start < p.start || s.slot.start >= p.end) continue;
        SettlementEntry e;
        if (s.booking) {
            const BookingId booking(s.booking);
            if (!live(impl_->engine.get(booking).status)) continue;
            if (const auto* stored = impl_->prices.find(booking)) {
                e.gross = stored->gross;
                e.enterprise_pays = stored->enterprise_pays;
                e.voucher_pays = stored->voucher_pays;
                e.scheme = VoucherSchemeId(stored->scheme);
            }   // else a booking without a price (price_of() answers zeros)
        } else {
            e.gross = s.gross;
            e.enterprise_pays = s.enterprise_pays;
            e.voucher_pays = s.voucher_pays;
            e.scheme = VoucherSchemeId(s.scheme);
        }
        if (e.voucher_pays <= 0) e.scheme = VoucherSchemeId();
        e.at = s.slot.start;
        e.request = static_cast<std::int64_t>(i) + 1;
        e.serving = PlatformId(s.platform);
        if (s.referral_hops > 0 && served.chain_size(i) >= 2) e.referring = PlatformId(served.chain_front(i));
        e.alliance = e.referring ? AllianceId(s.alliance) : AllianceId();
        out.push_back(e);
    }
    return out;
}

Settlement Database::settle(Period p) const {
    const auto ledger = settlement_ledger(p);
    std::vector<AllianceSettlementRule> rules;
    const SettlementRule fallback = settlement_rule(AllianceId());
    for (const auto& [id, a] : impl_->state.alliances.rows()) {
        auto it = impl_->settlement_rules.find(id.value);
        rules.push_back({id, it == impl_->settlement_rules.end() ? fallback : it->second});
    }
    return psp::settle(ledger, rules, fallback, p);
}

}  // namespace psp
