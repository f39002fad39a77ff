// One replication: the scenario's changes to the network, then the horizon's arrivals replayed
// event by event through Database::fulfil and the booking lifecycle, then the measurements
// (psp/simulation.hpp describes the model).
#include "simulation/replication.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <queue>
#include <set>
#include <unordered_map>
#include <vector>

#include <boost/date_time/gregorian/gregorian.hpp>

#include "booking/training_table.hpp"
#include "calendar/days.hpp"
#include "demand/random.hpp"
#include "psp/error.hpp"

namespace psp::simulation_detail {
namespace {

using calendar_detail::china_day;
using calendar_detail::china_day_start;
using demand_detail::splitmix;
using demand_detail::Stream;

const Actor office{Role::promotion_office, {}, {}, "simulation"};

RoutingPolicy policy_for(const Scenario& s) {
    RoutingPolicy p = s.policy;
    const bool alliances = s.sharing != SharingMode::isolated;
    const bool network = s.sharing == SharingMode::network;
    p.open_tiers = {true, alliances, alliances, network, network};
    return p;
}

// Something that happens to a booking later: the enterprise cancels it, or it starts and is used.
struct Event {
    Time at = 0;
    std::uint64_t order = 0;   // ties: in the order they were scheduled
    BookingId booking;
    bool cancel = false;
    friend bool operator>(const Event& a, const Event& b) { return std::tie(a.at, a.order) > std::tie(b.at, b.order); }
};

// Minutes from a zone to a sub-platform sited in it, and the most instruments a backbone stations
// at each new sub-platform.
constexpr int sub_platform_minutes = 5;
constexpr std::size_t instruments_per_sub_platform = 3;

// Sub-platforms from the rollout planner, for every backbone (Database::plan_rollout). The demand
// is where the gaps are (there is no history yet in a scenario): each zone's expected requests for
// the classes none of its own platforms holds, classes weighted as the demand draws them (by their
// instruments in the city). Each new sub-platform serves its zone, and the backbone stations there
// one instrument of each class it holds two or more of that the zone lacks (at most
// instruments_per_sub_platform, the most demanded first): the sub-platform brings equipment nearer.
std::int64_t roll_out(Database& db, const Scenario& s, const Network& net) {
    if (s.rollout_sub_platforms == 0) return 0;
    std::map<std::int64_t, std::int64_t> class_weight;   // class -> instruments in the city
    std::map<std::int64_t, std::set<std::int64_t>> classes_of_platform;
    for (const auto& e : net.equipment) {
        ++class_weight[e.equipment_class.value];
        classes_of_platform[e.owner.value].insert(e.equipment_class.value);
    }
    const auto total_weight = static_cast<double>(net.equipment.size());
    std::map<std::int64_t, std::set<std::int64_t>> classes_of_zone;   // held by the zone's own platforms
    for (const auto& zs : net.zone_services) {
        const auto& held = classes_of_platform[zs.platform.value];
        classes_of_zone[zs.zone.value].insert(held.begin(), held.end());
    }
    std::map<std::int64_t, double> zone_demand;
    for (const auto& e : net.enterprises) {
        std::int64_t lacking = 0;
        const auto& held = classes_of_zone[e.zone.value];
        for (const auto& [cls, n] : class_weight) {
            if (!held.contains(cls)) lacking += n;
        }
        const double share = total_weight > 0 ? static_cast<double>(lacking) / total_weight : 0.0;
        zone_demand[e.zone.value] += s.demand.yearly_requests[static_cast<std::size_t>(e.size)] * share;
    }
    std::vector<ZoneDemand> demand;
    for (const auto& [zone, d] : zone_demand) demand.push_back({ZoneId(zone), static_cast<std::int64_t>(std::llround(d))});

    std::int64_t added = 0;
    for (const auto& backbone : net.platforms) {
        if (!backbone.backbone || backbone.status != PlatformStatus::operating) continue;
        // The backbone's instruments on its own site, by class, the highest id last (moved first).
        std::map<std::int64_t, std::vector<Equipment>> own;
        for (const auto& e : net.equipment) {
            if (e.owner == backbone.id && e.site == backbone.site) own[e.equipment_class.value].push_back(e);
        }
        RolloutRequest q;
        q.backbone = backbone.id;
        q.sub_platforms = s.rollout_sub_platforms;
        q.demand = demand;
        const RolloutPlan plan = db.plan_rollout(q);
        for (const auto& phase : plan.phases) {
            for (const auto& site : phase.sites) {
                Platform p;
                p.name = backbone.name + " sub-platform " + std::to_string(++added);
                p.tier = backbone.tier;
                p.field = backbone.field;
                p.operator_model = backbone.operator_model;
                p.services = backbone.services;
                p.parent = backbone.id;
                p.site = site.district;
                p.status = PlatformStatus::operating;
                const PlatformId id = db.add(office, p);
                db.set_zone_service(office, {id, site.zone, sub_platform_minutes});
                auto& held = classes_of_zone[site.zone.value];
                std::vector<std::pair<std::int64_t, std::int64_t>> wanted;   // (-weight, class)
                for (const auto& [cls, list] : own) {
                    if (list.size() >= 2 && !held.contains(cls)) wanted.emplace_back(-class_weight[cls], cls);
                }
                std::sort(wanted.begin(), wanted.end());
                if (wanted.size() > instruments_per_sub_platform) wanted.resize(instruments_per_sub_platform);
                for (const auto& [weight, cls] : wanted) {
                    Equipment e = own[cls].back();
                    own[cls].pop_back();
                    e.owner = id;
                    e.site = site.district;
                    db.update(office, e);
                    held.insert(cls);
                }
            }
        }
    }
    return added;
}

// After the horizon, the platforms that could not serve their zones plan purchases: the (zone,
// class) pairs with the most unmet requests of the replication (`unmet`: indices in `arrivals`),
// proposed by the nearest platform serving the zone. With the joint review,
// Database::review_purchase decides each; without, every one is bought.
void review_purchases(Database& db, const Scenario& s, const Network& net, Period horizon, const std::vector<Arrival>& arrivals,
                      const std::vector<std::uint32_t>& unmet, ReplicationResult& r) {
    if (s.planned_purchases == 0) return;
    std::map<std::pair<std::int64_t, std::int64_t>, std::int64_t> unmet_by;   // (zone, class) -> requests
    std::unordered_map<std::int64_t, std::int64_t> zone_of;
    for (const auto& e : net.enterprises) zone_of[e.id.value] = e.zone.value;
    for (const std::uint32_t i : unmet) {
        const Arrival& a = arrivals[i];
        if (a.equipment_class) ++unmet_by[{zone_of[a.enterprise.value], a.equipment_class.value}];
    }
    std::vector<std::pair<std::int64_t, std::pair<std::int64_t, std::int64_t>>> ranked;
    for (const auto& [key, n] : unmet_by) ranked.push_back({-n, key});
    std::sort(ranked.begin(), ranked.end());
    std::map<std::int64_t, std::pair<Fen, int>> value_of_class;   // class -> (Σ value, count)
    for (const auto& e : net.equipment) {
        auto& v = value_of_class[e.equipment_class.value];
        v.first += e.purchase_value;
        ++v.second;
    }
    const double mean_hours = (s.demand.min_minutes + s.demand.max_minutes) / 120.0;
    const double years = static_cast<double>(horizon.seconds()) / (365.0 * 86400.0);
    for (const auto& [negative, key] : ranked) {
        if (r.purchases_planned == s.planned_purchases) break;
        const auto serving = db.platforms_serving(ZoneId(key.first));
        if (serving.empty()) continue;
        PurchaseProposal p;
        p.proposer = serving.front();
        p.equipment_class = EquipmentClassId(key.second);
        p.zone = ZoneId(key.first);
        const auto v = value_of_class[key.second];
        p.purchase_value = v.second ? v.first / v.second : 0;
        p.expected_hours_per_year = static_cast<int>(std::lround(static_cast<double>(-negative) * mean_hours / years));
        p.note = "simulation: unmet demand of the horizon";
        ++r.purchases_planned;
        bool buy = true;
        if (s.joint_review) buy = db.review_purchase(office, p).decision == ReviewDecision::approve;
        if (buy) {
            ++r.purchases_made;
        } else {
            ++r.purchases_avoided;
            r.purchase_value_avoided += p.purchase_value;
        }
    }
}

// Booked share of each instrument's open time over the horizon and its used hours; the share of
// booked time for outside users from the city's statistics (months the horizon touches: the
// share, not a sum, so partial months at the edges weigh little).
void measure_use(const Database& db, Period horizon, ReplicationResult& r) {
    const auto equipment = db.equipment();
    if (equipment.empty()) return;
    double share_sum = 0, share_squares = 0;
    Time booked = 0, used = 0;
    for (const auto& e : equipment) {
        const auto u = db.utilisation(e.id, horizon);
        share_sum += u.booked_share();
        share_squares += u.booked_share() * u.booked_share();
        booked += u.booked_seconds;
        used += u.used_seconds;
        const auto band = std::min<std::size_t>(9, static_cast<std::size_t>(std::max(0.0, u.booked_share()) * 10.0));
        ++r.utilisation_histogram[band];
    }
    const double n = static_cast<double>(equipment.size());
    r.mean_utilisation = share_sum / n;
    r.utilisation_spread = std::sqrt(std::max(0.0, share_squares / n - r.mean_utilisation * r.mean_utilisation));
    r.hours_per_instrument = static_cast<double>(used) / 3600.0 / n;
    StatisticsQuery q;
    q.subject = StatSubject::city;
    q.period = SeriesPeriod::month;
    q.from = calendar_detail::date_from_days(china_day(horizon.start));
    q.to = calendar_detail::date_from_days(china_day(horizon.end - 1));
    StatFigures total;
    for (const auto& row : db.statistics(q)) {
        total.booked_seconds += row.figures.booked_seconds;
        total.external_seconds += row.figures.external_seconds;
    }
    r.external_share = total.external_share();
    r.external_hours_per_instrument = r.external_share * static_cast<double>(booked) / 3600.0 / n;
}

}  // namespace

std::uint64_t replication_seed(std::uint64_t seed, int replication) {
    return splitmix(seed ^ splitmix(0x5eed0000ULL + static_cast<std::uint64_t>(replication)));
}

ReplicationResult run_replication(Database& db, SimClock& clock, const Scenario& s, std::uint64_t seed, const Tick& tick,
                                  const Expect& expect) {
    ReplicationResult r;
    r.seed = seed;
    clock.now = s.horizon.start;

    Network net = db.snapshot();
    r.sub_platforms_added = roll_out(db, s, net);
    if (r.sub_platforms_added) net = db.snapshot();

    DemandProfile demand = s.demand;
    if (s.hours_per_instrument > 0) demand = calibrate(net, demand, s.horizon.start, s.hours_per_instrument);
    const std::vector<Arrival> arrivals = generate_arrivals(net, demand, s.horizon, seed);
    if (arrivals.size() > std::numeric_limits<std::uint32_t>::max()) {
        throw Error(ErrorCode::invalid, "simulation: more than 2^32 requests in one replication; shorten the horizon");
    }
    if (expect) expect(arrivals.size());
    // The requests nothing could serve, by index in `arrivals`, for the purchases planned after
    // the horizon: copying the database's unmet requests back cost a year's worth of them again.
    std::vector<std::uint32_t> unmet_arrivals;

    // Enterprise -> yuan per hour (0: none), by id: a hash map missed the cache on most requests.
    std::vector<double> budget_of;
    std::unordered_map<std::int64_t, double> wide_budget_of;   // ids beyond the dense table
    for (const auto& e : net.enterprises) {
        const double budget = s.budget_yuan_per_hour[static_cast<std::size_t>(e.size)];
        if (budget <= 0) continue;
        if (e.id.value >= 0 && static_cast<std::size_t>(e.id.value) < 2 * net.enterprises.size() + 1024) {
            if (budget_of.size() <= static_cast<std::size_t>(e.id.value)) budget_of.resize(static_cast<std::size_t>(e.id.value) + 1, 0.0);
            budget_of[static_cast<std::size_t>(e.id.value)] = budget;
        } else {
            wide_budget_of.emplace(e.id.value, budget);
        }
    }
    const auto budget_for = [&](EnterpriseId e) {
        if (e.value >= 0 && static_cast<std::size_t>(e.value) < budget_of.size()) return budget_of[static_cast<std::size_t>(e.value)];
        const auto it = wide_budget_of.find(e.value);
        return it == wide_budget_of.end() ? 0.0 : it->second;
    };
    VoucherSchemeId voucher;
    if (s.vouchers) {
        if (const auto schemes = db.voucher_schemes(); !schemes.empty()) voucher = schemes.front().id;
    }
    const RoutingPolicy policy = policy_for(s);
    RoutingPolicy no_referral = policy;   // for an enterprise that would not follow a referral
    no_referral.max_referral_hops = 0;
    // Whether a referral would have served an enterprise that followed none: its own search found
    // nothing in the tiers without referrals (home, family), which would find nothing again (no
    // booking comes in between), so only the tiers a referral reaches are searched, and the first
    // offer found settles it (Database::can_route).
    RoutingPolicy referral_reach = policy;
    referral_reach.open_tiers[static_cast<std::size_t>(RouteTier::home)] = false;
    referral_reach.open_tiers[static_cast<std::size_t>(RouteTier::family)] = false;
    const bool referrals_reach = std::find(referral_reach.open_tiers.begin(), referral_reach.open_tiers.end(), true) !=
                                 referral_reach.open_tiers.end();   // none when isolated

    Stream rng(splitmix(seed ^ 0xc0ffee));
    std::priority_queue<Event, std::vector<Event>, std::greater<>> later;
    std::uint64_t scheduled = 0;
    booking::TrainingTable trained;   // (enterprise, class) pairs already trained: a bit each
    std::vector<float> waits;
    waits.reserve(arrivals.size());
    double travel_sum = 0;
    Time next_sweep = china_day_start(china_day(s.horizon.start) + 1);
    Time last = s.horizon.end;   // the latest booking event scheduled

    const auto sweep_until = [&](Time t) {
        // Nightly no-show sweeps and the booking events due up to t, in time order.
        while (true) {
            const Time event_at = later.empty() ? t + 1 : later.top().at;
            const Time first = std::min(event_at, next_sweep);
            if (first > t) return;
            clock.now = first;
            if (next_sweep <= event_at) {
                r.no_shows += static_cast<std::int64_t>(db.mark_no_shows(office).size());
                next_sweep += 86'400;
                continue;
            }
            const Event e = later.top();
            later.pop();
            try {
                if (e.cancel) {
                    db.cancel(office, e.booking);
                    ++r.cancelled;
                } else {
                    db.check_in(office, e.booking);
                    db.complete(office, e.booking);
                }
            } catch (const Error& err) {
                // The booking moved on meanwhile (e.g. a sweep): the enterprise's plan no longer applies.
                if (err.code() != ErrorCode::refused) throw;
            }
        }
    };

    const auto total = static_cast<std::int64_t>(arrivals.size());
    std::int64_t done = 0;
    for (std::size_t index = 0; index < arrivals.size(); ++index) {
        const Arrival& a = arrivals[index];
        sweep_until(a.at);
        clock.now = a.at;
        if (!trained.get(a.enterprise.value, a.equipment_class.value)) {
            trained.set(a.enterprise.value, a.equipment_class.value, true);
            db.set_training(office, a.enterprise, a.equipment_class, true);
        }

        ServiceRequest q;
        q.enterprise = a.enterprise;
        q.kind = ServiceKind::equipment_sharing;
        q.equipment_class = a.equipment_class;
        q.window = a.window;
        q.minutes = a.minutes;
        q.voucher = voucher;
        if (const double budget = budget_for(a.enterprise); budget > 0) {
            q.price_ceiling = static_cast<Fen>(std::llround(budget * 100.0 * a.minutes / 60.0));
        }

        const bool follows_referrals = s.one_stop || rng.uniform() >= s.referral_dropout;
        ++r.requests;
        const Fulfilment f = db.fulfil(office, q, follows_referrals ? policy : no_referral);
        if (!f) {
            ++r.unmet;
            if (s.planned_purchases > 0) unmet_arrivals.push_back(static_cast<std::uint32_t>(index));
            // Pricing is the last check: a nearest miss with a price was refused for its price alone.
            if (q.price_ceiling && f.nearest_miss && f.nearest_miss->price.enterprise_pays > *q.price_ceiling) ++r.priced_out;
            if (!follows_referrals && referrals_reach && db.can_route(q, referral_reach)) ++r.gave_up;
        } else {
            const ServedRequest& served = *f.served;
            ++r.served;
            if (q.price_ceiling && served.offer.price.gross > *q.price_ceiling) ++r.served_over_budget;
            ++r.served_by_tier[static_cast<std::size_t>(served.offer.tier)];
            if (served.offer.referral_hops > 0) ++r.referrals;
            double wait = static_cast<double>(served.offer.slot.start - a.window.start) / 3600.0;
            if (!s.one_stop) wait += s.referral_delay_hours * served.offer.referral_hops;
            waits.push_back(static_cast<float>(wait));
            travel_sum += served.offer.travel_minutes;
            if (db.get(served.booking).status == BookingStatus::pending) db.approve(office, served.booking);
            const Time start = served.offer.slot.start;
            if (a.cancels) {
                const Time at = a.at + 1 + static_cast<Time>(rng.uniform() * static_cast<double>(std::max<Time>(1, start - a.at - 1)));
                later.push({at, scheduled++, served.booking, true});
                last = std::max(last, at);
            } else if (!a.no_show) {
                later.push({start, scheduled++, served.booking, false});
                last = std::max(last, start);
            }   // a no-show: the nightly sweep finds it
        }
        if (tick && (++done & 4095) == 0) tick(done, total);
    }
    // Every booking made plays out, past the horizon if its window reaches beyond it.
    sweep_until(last + 2 * 86'400);
    if (tick) tick(total, total);

    r.fulfilment_rate = r.requests ? static_cast<double>(r.served) / static_cast<double>(r.requests) : 0.0;
    if (!waits.empty()) {
        double sum = 0;
        for (float w : waits) sum += w;
        r.mean_wait_hours = sum / static_cast<double>(waits.size());
        r.mean_travel_minutes = travel_sum / static_cast<double>(waits.size());
        const auto p90 = waits.begin() + static_cast<std::ptrdiff_t>((waits.size() - 1) * 9 / 10);
        std::nth_element(waits.begin(), p90, waits.end());
        r.p90_wait_hours = *p90;
    }
    measure_use(db, s.horizon, r);

    const Settlement settled = db.settle({s.horizon.start, last + 1});
    r.revenue = settled.totals.gross;
    r.voucher_spend = settled.totals.voucher_pays;
    r.referral_fees = settled.totals.referral;
    r.pool = settled.totals.pool;
    r.transferred = settled.totals.transferred;
    r.transfers = settled.transfers;

    review_purchases(db, s, net, s.horizon, arrivals, unmet_arrivals, r);
    return r;
}

}  // namespace psp::simulation_detail
