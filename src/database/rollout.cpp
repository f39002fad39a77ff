// Rolling the network out: the joint review of a major purchase against the equipment already
// within reach (§2.3), and the greedy plan of a backbone's new sub-platforms (§3.2).
#include <algorithm>
#include <map>
#include <set>

#include "database/impl.hpp"

namespace psp {

const char* to_string(ReviewDecision d) {
    switch (d) {
        case ReviewDecision::approve: return "approve";
        case ReviewDecision::share_existing: return "share_existing";
        case ReviewDecision::reject: return "reject";
    }
    return "unknown";
}

namespace {
constexpr Time year = 365 * 86'400;
}  // namespace

PurchaseReview Database::review_purchase(const Actor& actor, const PurchaseProposal& p, const ReviewThresholds& t) {
    impl_->require_exists(p.proposer);
    impl_->require_exists(p.equipment_class);
    impl_->require_exists(p.zone);
    Impl::require_permission(actor, Action::manage_equipment, actor.platform == p.proposer,
                             "a purchase proposal of " + detail::describe(impl_->state, p.proposer));
    const auto bad = [](const std::string& what) { throw Error(ErrorCode::invalid, what); };
    if (p.purchase_value < 0) bad("proposal purchase_value: must be >= 0 fen");
    if (p.expected_hours_per_year < 0 || p.expected_hours_per_year > 366 * 24 * 100) {
        bad("proposal expected_hours_per_year: must be 0.." + std::to_string(366 * 24 * 100));
    }
    if (!detail::valid_utf8(p.note)) bad("proposal note: is not valid UTF-8");
    if (t.max_travel_minutes < 0) bad("thresholds max_travel_minutes: must be >= 0");
    if (t.busy_utilisation_bp < 0 || t.busy_utilisation_bp > basis_points) bad("thresholds busy_utilisation_bp: must be 0..10000");
    if (t.min_expected_hours < 0) bad("thresholds min_expected_hours: must be >= 0");

    PurchaseReview r;
    const Time now = impl_->now();
    const Period last_year{now - year, now};
    for (const auto& reach : equipment_within(p.zone, p.equipment_class, t.max_travel_minutes)) {
        const Platform* owner = impl_->state.platforms.find(reach.owner);
        if (!owner || owner->status != PlatformStatus::operating) continue;
        impl_->ensure_bookable(reach.equipment);
        const int units = impl_->state.equipment.find(reach.equipment)->capacity_units;
        const std::int64_t open = impl_->engine.open_minutes(reach.equipment, last_year) * units;
        const std::int64_t booked = std::min(open, impl_->engine.booked_unit_minutes(reach.equipment, last_year));
        ReviewCandidate c;
        c.equipment = reach.equipment;
        c.owner = reach.owner;
        c.travel_minutes = reach.minutes;
        c.utilisation_bp = open > 0 ? static_cast<int>(booked * basis_points / open) : basis_points;
        c.free_hours = (open - booked) / 60;
        if (c.utilisation_bp < t.busy_utilisation_bp) r.free_hours_nearby += c.free_hours;
        r.candidates.push_back(c);
    }

    const auto pct = [](int bp) { return std::to_string(bp / 100) + "." + std::to_string(bp % 100 / 10) + " %"; };
    if (p.expected_hours_per_year < t.min_expected_hours) {
        r.decision = ReviewDecision::reject;
        r.rule = "too_little_use";
        r.reason = "expected use of " + std::to_string(p.expected_hours_per_year) + " h a year is below the " +
                   std::to_string(t.min_expected_hours) + " h a shared instrument should reach";
    } else if (!r.candidates.empty() && r.free_hours_nearby >= p.expected_hours_per_year) {
        r.decision = ReviewDecision::share_existing;
        r.rule = "share_existing";
        int not_busy = 0;
        for (const auto& c : r.candidates) not_busy += c.utilisation_bp < t.busy_utilisation_bp ? 1 : 0;
        r.reason = std::to_string(not_busy) + " instrument(s) of the class within " + std::to_string(t.max_travel_minutes) +
                   " minutes, used below " + pct(t.busy_utilisation_bp) + ", have " + std::to_string(r.free_hours_nearby) +
                   " free h a year, enough for the expected " + std::to_string(p.expected_hours_per_year) + " h";
    } else {
        r.decision = ReviewDecision::approve;
        r.rule = r.candidates.empty() ? "none_within_reach" : "nearby_capacity_short";
        r.reason = r.candidates.empty()
                       ? "no instrument of the class within " + std::to_string(t.max_travel_minutes) + " minutes"
                       : "instruments within " + std::to_string(t.max_travel_minutes) + " minutes have " +
                             std::to_string(r.free_hours_nearby) + " free h a year (busy ones, used " +
                             pct(t.busy_utilisation_bp) + " or more, not counted), short of the expected " +
                             std::to_string(p.expected_hours_per_year) + " h";
    }

    nlohmann::json candidates = nlohmann::json::array();
    for (const auto& c : r.candidates) {
        candidates.push_back({{"equipment", c.equipment.value}, {"owner", c.owner.value}, {"travel_minutes", c.travel_minutes},
                              {"utilisation_bp", c.utilisation_bp}, {"free_hours", c.free_hours}});
    }
    const nlohmann::json details{{"proposer", p.proposer.value},
                                 {"equipment_class", p.equipment_class.value},
                                 {"zone", p.zone.value},
                                 {"purchase_value", p.purchase_value},
                                 {"expected_hours_per_year", p.expected_hours_per_year},
                                 {"note", p.note},
                                 {"decision", to_string(r.decision)},
                                 {"rule", r.rule},
                                 {"reason", r.reason},
                                 {"free_hours_nearby", r.free_hours_nearby},
                                 {"candidates", candidates}};
    impl_->commit_ledger([&] { impl_->journal(impl_->store, actor, "review", EntityKind::purchase_review, 0, details); },
                         [] {});
    return r;
}

RolloutPlan Database::plan_rollout(const RolloutRequest& q) const {
    const auto bad = [](const std::string& what) { throw Error(ErrorCode::invalid, "rollout " + what); };
    impl_->require_exists(q.backbone);
    const Platform& backbone = *impl_->state.platforms.find(q.backbone);
    if (!backbone.backbone) bad("backbone: platform " + std::to_string(q.backbone.value) + " is not a backbone platform");
    if (q.sub_platforms < 1) bad("sub_platforms: must be >= 1, got " + std::to_string(q.sub_platforms));
    if (q.phases < 1 || q.phases > q.sub_platforms) {
        bad("phases: must be 1.." + std::to_string(q.sub_platforms) + ", got " + std::to_string(q.phases));
    }
    if (q.max_travel_minutes < 0) bad("max_travel_minutes: must be >= 0");
    const auto& zones = impl_->state.zones.rows();
    if (static_cast<std::size_t>(q.sub_platforms) > zones.size()) {
        bad("sub_platforms: " + std::to_string(q.sub_platforms) + " is more than the " + std::to_string(zones.size()) +
            " candidate sites (zones)");
    }

    // Demand per zone: given, or read from the last year's requests: served far or outside the
    // backbone's family, or not served at all.
    std::map<std::int64_t, std::int64_t> demand;
    if (!q.demand.empty()) {
        for (std::size_t i = 0; i < q.demand.size(); ++i) {
            const auto& d = q.demand[i];
            impl_->require_exists(d.zone);
            if (d.demand < 0) bad("demand[" + std::to_string(i) + "]: must be >= 0");
            demand[d.zone.value] += d.demand;
        }
    } else {
        const Time now = impl_->now();
        std::set<std::int64_t> family{q.backbone.value};
        for (const auto& [id, p] : impl_->state.platforms.rows()) {
            if (p.parent == q.backbone) family.insert(id.value);
        }
        for (std::size_t i = 0; i < impl_->served.size(); ++i) {
            const auto& s = impl_->served.row(i);
            if (s.at < now - year || s.at > now) continue;   // the last 365 days, up to this second
            const bool far = s.travel_minutes > q.max_travel_minutes;
            const RouteTier tier = s.route_tier();
            const bool outside = !family.contains(s.platform) &&
                                 (tier == RouteTier::alliance || tier == RouteTier::linked || tier == RouteTier::city);
            if (far || outside) ++demand[impl_->state.enterprises.find(EnterpriseId(s.request.enterprise))->zone.value];
        }
        // Requests nothing in the network could serve are unmet demand too.
        for (std::size_t i = 0; i < impl_->unmet.size(); ++i) {
            const auto& u = impl_->unmet.row(i);
            if (u.at < now - year || u.at > now) continue;
            ++demand[impl_->state.enterprises.find(EnterpriseId(u.request.enterprise))->zone.value];
        }
    }

    // Which zones each candidate site (a zone) covers, and which are covered already.
    const auto& graph = impl_->network_graph();
    std::map<std::int64_t, std::vector<std::int64_t>> covers;   // site zone -> demand zones within reach
    std::set<std::int64_t> covered;
    std::set<std::int64_t> family_platforms{q.backbone.value};
    for (const auto& [id, p] : impl_->state.platforms.rows()) {
        if (p.parent == q.backbone && p.status == PlatformStatus::operating) family_platforms.insert(id.value);
    }
    if (backbone.status != PlatformStatus::operating) family_platforms.erase(q.backbone.value);
    for (const auto& [zid, want] : demand) {
        const auto from = graph.travel_from(ZoneId(zid), q.max_travel_minutes);
        for (const auto& [site, minutes] : from.zones) covers[site].push_back(zid);
        for (const auto p : family_platforms) {
            if (from.platforms.contains(p)) covered.insert(zid);
        }
    }

    RolloutPlan plan;
    for (const auto& [zid, want] : demand) {
        plan.total_demand += want;
        if (covered.contains(zid)) plan.covered_initially += want;
    }
    plan.bound = "greedy maximum coverage: at least (1 - 1/e) = 63.2 % of the demand the best " +
                 std::to_string(q.sub_platforms) + " sites could newly cover (Nemhauser, Wolsey and Fisher 1978)";
    std::int64_t now_covered = plan.covered_initially;
    std::set<std::int64_t> chosen;
    const int per_phase = (q.sub_platforms + q.phases - 1) / q.phases;
    int placed = 0;
    for (int phase = 1; phase <= q.phases && placed < q.sub_platforms; ++phase) {
        RolloutPhase ph;
        ph.phase = phase;
        ph.covered_before = now_covered;
        const int here = phase == q.phases ? q.sub_platforms - placed : std::min(per_phase, q.sub_platforms - placed);
        for (int i = 0; i < here; ++i) {
            std::int64_t best_gain = -1, best_site = 0;
            for (const auto& [zid, zone] : zones) {
                if (chosen.contains(zid.value)) continue;
                std::int64_t gain = 0;
                if (auto c = covers.find(zid.value); c != covers.end()) {
                    for (const auto z : c->second) {
                        if (!covered.contains(z)) gain += demand[z];
                    }
                }
                if (gain > best_gain) {   // strict: ties keep the lower zone id
                    best_gain = gain;
                    best_site = zid.value;
                }
            }
            chosen.insert(best_site);
            if (auto c = covers.find(best_site); c != covers.end()) {
                for (const auto z : c->second) covered.insert(z);
            }
            now_covered += best_gain;
            ph.sites.push_back({ZoneId(best_site), zones.at(ZoneId(best_site)).district, best_gain});
            ++placed;
        }
        ph.covered_after = now_covered;
        plan.phases.push_back(std::move(ph));
    }
    return plan;
}

}  // namespace psp
