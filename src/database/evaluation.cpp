// Evaluation runs in the Database (§4.3): the measured indicators computed from the monitoring
// statistics of the period, the run evaluated by the pure engine (src/evaluation/), stored whole with
// its inputs as a JSON document and journaled.
#include <algorithm>
#include <map>
#include <set>

#include "calendar/days.hpp"
#include "core/utf8.hpp"
#include "database/impl.hpp"
#include "json/dates.hpp"
#include "json/evaluation_request_json.hpp"

namespace psp {
namespace {

constexpr const char* run_doc = "evaluation_run";

// What the database measures for an indicator of the default tree, from a platform's figures over
// the period and its equipment count; nullopt for a name it does not know.
std::optional<double> measure(const std::string& indicator, const StatFigures& f, std::size_t equipment) {
    const double instruments = equipment == 0 ? 1.0 : static_cast<double>(equipment);
    if (indicator == "effective hours") return equipment == 0 ? 0.0 : static_cast<double>(f.used_seconds) / 3600.0 / instruments;
    if (indicator == "shared hours") return equipment == 0 ? 0.0 : static_cast<double>(f.external_seconds) / 3600.0 / instruments;
    if (indicator == "external service") return f.external_share();
    if (indicator == "referrals served") return static_cast<double>(f.referred_in);
    if (indicator == "alliance contribution") return static_cast<double>(f.referred_out);
    if (indicator == "fulfilment rate") {
        return f.requests_received == 0 ? 1.0 : static_cast<double>(f.requests_served) / static_cast<double>(f.requests_received);
    }
    return std::nullopt;
}

}  // namespace

void Database::Impl::load_evaluations() {
    for (const auto& [id, text] : store.load_documents(run_doc)) {
        evaluations[id] = json::stored_evaluation_from_json(json::parse_document(text), "/evaluation_runs/" + std::to_string(id));
    }
}

EvaluationRunId Database::run_evaluation(const Actor& actor, const EvaluationRequest& request) {
    Impl::require_permission(actor, Action::monitor, false, "an evaluation run");
    const auto bad = [](const std::string& what) { throw Error(ErrorCode::invalid, what); };
    if (request.label.empty()) bad("evaluation label: must not be empty");
    if (!detail::valid_utf8(request.label)) bad("evaluation label: is not valid UTF-8");
    if (request.from.is_special() || request.to.is_special()) bad("evaluation from / to: must be dates");
    if (request.to < request.from) {
        bad("evaluation period reversed: to " + json::iso(request.to) + " is before from " + json::iso(request.from));
    }
    validate(request.tree);
    std::vector<PlatformId> platforms = request.platforms;
    if (platforms.empty()) {
        for (const auto& [id, p] : impl_->state.platforms.rows()) {
            if (p.status == PlatformStatus::operating) platforms.push_back(id);
        }
        if (platforms.empty()) throw Error(ErrorCode::refused, "no operating platform to evaluate");
    }
    for (const auto p : platforms) impl_->require_exists(p);

    // The measured values the request does not give, from the period's statistics.
    std::set<std::pair<std::int64_t, std::string>> given;
    for (const auto& v : request.values) {
        if (v.source == EvaluationSource::measured) given.insert({v.platform.value, v.indicator});
    }
    EvaluationSpec spec;
    spec.tree = request.tree;
    spec.platforms = platforms;
    spec.values = request.values;
    spec.thresholds = request.thresholds;
    spec.budget = request.budget;
    spec.floor = request.floor;
    const auto owned = impl_->equipment_by_owner();
    const auto d0 = static_cast<std::int32_t>(calendar_detail::days_from_date(request.from));
    const auto d1 = static_cast<std::int32_t>(calendar_detail::days_from_date(request.to)) + 1;
    for (const auto p : platforms) {
        const auto scope = impl_->stat_scope(StatSubject::platform, p.value, owned);
        const StatFigures f = impl_->stat_figures(scope, d0, d1);
        for (const auto& group : request.tree.groups) {
            for (const auto& indicator : group.indicators) {
                if (!indicator.measured || given.contains({p.value, indicator.name})) continue;
                if (const auto value = measure(indicator.name, f, scope.equipment.size())) {
                    spec.values.push_back({p, indicator.name, EvaluationSource::measured, *value});
                }
            }
        }
    }
    StoredEvaluation stored;
    stored.id = EvaluationRunId(impl_->evaluations.empty() ? 1 : impl_->evaluations.rbegin()->first + 1);
    stored.label = request.label;
    stored.from = request.from;
    stored.to = request.to;
    stored.run = evaluate(std::move(spec));   // Error(invalid) for a missing or bad value, naming it
    const auto text = json::to_json(stored);
    const nlohmann::json summary{{"run", stored.id.value}, {"label", stored.label}, {"from", json::iso(stored.from)},
                                 {"to", json::iso(stored.to)}, {"platforms", stored.run.results.size()},
                                 {"allocated", stored.run.allocated}, {"flagged", stored.run.flagged}};
    impl_->commit_ledger(
        [&] {
            impl_->store.put_document(run_doc, stored.id.value, text.dump());
            impl_->journal(impl_->store, actor, "evaluate", EntityKind::evaluation, stored.id.value, summary);
        },
        [&] { impl_->evaluations[stored.id.value] = stored; });
    return stored.id;
}

StoredEvaluation Database::evaluation(EvaluationRunId id) const {
    auto it = impl_->evaluations.find(id.value);
    if (it == impl_->evaluations.end()) throw Error(ErrorCode::not_found, "no evaluation run " + std::to_string(id.value));
    return it->second;
}

std::vector<StoredEvaluation> Database::evaluations() const {
    std::vector<StoredEvaluation> out;
    for (const auto& [id, e] : impl_->evaluations) out.push_back(e);
    return out;
}

}  // namespace psp
