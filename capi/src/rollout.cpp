// C ABI: rolling the network out: the joint review of a purchase and the sub-platform plan, both
// answered as JSON (docs/rollout-json.md).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "capi.hpp"
#include "psp/rollout.hpp"

static_assert(PSP_REVIEW_APPROVE == static_cast<int>(psp::ReviewDecision::approve));
static_assert(PSP_REVIEW_SHARE_EXISTING == static_cast<int>(psp::ReviewDecision::share_existing));
static_assert(PSP_REVIEW_REJECT == static_cast<int>(psp::ReviewDecision::reject));

using namespace psp::capi;
using nlohmann::json;

namespace {

json review_json(const psp::PurchaseReview& r) {
    json candidates = json::array();
    for (const auto& c : r.candidates) {
        candidates.push_back({{"equipment", c.equipment.value}, {"owner", c.owner.value}, {"travel_minutes", c.travel_minutes},
                              {"utilisation_bp", c.utilisation_bp}, {"free_hours", c.free_hours}});
    }
    return {{"decision", psp::to_string(r.decision)}, {"rule", r.rule}, {"reason", r.reason},
            {"free_hours_nearby", r.free_hours_nearby}, {"candidates", candidates}};
}

json plan_json(const psp::RolloutPlan& p) {
    json phases = json::array();
    for (const auto& ph : p.phases) {
        json sites = json::array();
        for (const auto& s : ph.sites) sites.push_back({{"zone", s.zone.value}, {"district", s.district.value}, {"gain", s.gain}});
        phases.push_back({{"phase", ph.phase}, {"covered_before", ph.covered_before}, {"covered_after", ph.covered_after},
                          {"sites", sites}});
    }
    return {{"total_demand", p.total_demand}, {"covered_initially", p.covered_initially}, {"bound", p.bound},
            {"phases", phases}};
}

}  // namespace

extern "C" {

PSP_EXTERN(int) psp_purchase_proposal_init(psp_purchase_proposal* proposal, unsigned version) {
    return init_struct("psp_purchase_proposal_init", proposal, version, PSP_PURCHASE_PROPOSAL_VERSION, "proposal",
                       psp_purchase_proposal PSP_PURCHASE_PROPOSAL_INIT);
}

PSP_EXTERN(int) psp_review_thresholds_init(psp_review_thresholds* thresholds, unsigned version) {
    return init_struct("psp_review_thresholds_init", thresholds, version, PSP_REVIEW_THRESHOLDS_VERSION, "thresholds",
                       psp_review_thresholds PSP_REVIEW_THRESHOLDS_INIT);
}

PSP_EXTERN(int) psp_rollout_request_init(psp_rollout_request* request, unsigned version) {
    return init_struct("psp_rollout_request_init", request, version, PSP_ROLLOUT_REQUEST_VERSION, "request",
                       psp_rollout_request PSP_ROLLOUT_REQUEST_INIT);
}

PSP_EXTERN(int) psp_purchase_review(int* out_decision, char** out, psp_db* db, const psp_actor* actor,
                                    const psp_purchase_proposal* proposal, const psp_review_thresholds* thresholds) {
    int decision = -1;
    const int rc = text_out("psp_purchase_review", out, db, [&](psp::Database& d) {
        const auto a = actor_from_c(actor);
        const auto& p = require_struct(proposal, PSP_PURCHASE_PROPOSAL_VERSION, "proposal");
        psp::PurchaseProposal q{psp::PlatformId(p.proposer), psp::EquipmentClassId(p.equipment_class), psp::ZoneId(p.zone),
                                p.purchase_value, p.expected_hours_per_year,
                                std::string(optional_str(p.note, "proposal.note"))};
        psp::ReviewThresholds t;
        if (thresholds) {
            const auto& c = require_struct(thresholds, PSP_REVIEW_THRESHOLDS_VERSION, "thresholds");
            t = {c.max_travel_minutes, c.busy_utilisation_bp, c.min_expected_hours};
        }
        const auto r = d.review_purchase(a, q, t);
        decision = static_cast<int>(r.decision);
        return review_json(r).dump();
    });
    if (rc == 0 && out_decision) *out_decision = decision;
    return rc;
}

PSP_EXTERN(int) psp_rollout_plan_json(char** out, psp_db* db, const psp_rollout_request* request) {
    return text_out("psp_rollout_plan_json", out, db, [&](const psp::Database& d) {
        const auto& c = require_struct(request, PSP_ROLLOUT_REQUEST_VERSION, "request");
        if (c.demand_count > 0) require(c.demand, "request.demand");
        psp::RolloutRequest q;
        q.backbone = psp::PlatformId(c.backbone);
        q.sub_platforms = c.sub_platforms;
        q.phases = c.phases;
        q.max_travel_minutes = c.max_travel_minutes;
        for (std::size_t i = 0; i < c.demand_count; ++i) q.demand.push_back({psp::ZoneId(c.demand[i].zone), c.demand[i].demand});
        return plan_json(d.plan_rollout(q)).dump();
    });
}

}  // extern "C"
