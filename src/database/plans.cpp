// City plans in the Database (§1.1): filed and revised whole by the office, tasks' progress reported by
// the units they are assigned to; each plan written through as one JSON document and journaled (the
// rules and the overdue report are src/plans/).
#include "database/impl.hpp"
#include "json/dates.hpp"
#include "json/plans_json.hpp"

namespace psp {
namespace {

constexpr const char* plan_doc = "city_plan";

std::string plan_name(CityPlanId id) { return "city plan " + std::to_string(id.value); }

}  // namespace

void Database::Impl::load_plans() {
    for (const auto& [id, text] : store.load_documents(plan_doc)) {
        auto plan = json::city_plan_from_json(json::parse_document(text), "/city_plans/" + std::to_string(id));
        validate(plan);
        plans[id] = std::move(plan);
    }
}

namespace {

// The platforms a plan assigns tasks to, each must exist.
std::vector<PlatformId> unit_platforms(const CityPlan& plan) {
    std::vector<PlatformId> out;
    for (const auto& annual : plan.annual_plans) {
        for (const auto& t : annual.tasks) {
            if (t.unit.platform) out.push_back(t.unit.platform);
        }
    }
    return out;
}

}  // namespace

void Database::Impl::save_plan(const Actor& actor, const char* verb, CityPlan plan, const nlohmann::json* details) {
    validate(plan);   // e.g. a task done before it was assigned
    for (auto p : unit_platforms(plan)) require_exists(p);
    const auto text = json::to_json(plan);
    commit_ledger(
        [&] {
            store.put_document(plan_doc, plan.id.value, text.dump());
            journal(store, actor, verb, EntityKind::city_plan, plan.id.value, details ? *details : text);
        },
        [&] { plans[plan.id.value] = std::move(plan); });
}

CityPlanId Database::add_city_plan(const Actor& actor, CityPlan plan) {
    Impl::require_permission(actor, Action::manage_plans, false, "a new city plan");
    if (plan.id.value < 0) throw Error(ErrorCode::invalid, "city plan id: ids are positive, got " + std::to_string(plan.id.value));
    if (!plan.id) plan.id = CityPlanId(impl_->plans.empty() ? 1 : impl_->plans.rbegin()->first + 1);
    if (impl_->plans.contains(plan.id.value)) throw Error(ErrorCode::exists, plan_name(plan.id) + " already exists");
    const CityPlanId id = plan.id;
    impl_->save_plan(actor, "add", std::move(plan));
    return id;
}

void Database::update_city_plan(const Actor& actor, const CityPlan& plan) {
    if (!impl_->plans.contains(plan.id.value)) throw Error(ErrorCode::not_found, "no " + plan_name(plan.id));
    Impl::require_permission(actor, Action::manage_plans, false, plan_name(plan.id));
    impl_->save_plan(actor, "update", plan);
}

void Database::set_task_status(const Actor& actor, CityPlanId plan_id, PlanTaskId task_id, TaskStatus status,
                               boost::gregorian::date on) {
    auto it = impl_->plans.find(plan_id.value);
    if (it == impl_->plans.end()) throw Error(ErrorCode::not_found, "no " + plan_name(plan_id));
    CityPlan plan = it->second;
    PlanTask* task = nullptr;
    for (auto& annual : plan.annual_plans) {
        for (auto& t : annual.tasks) {
            if (t.id == task_id) task = &t;
        }
    }
    if (!task) throw Error(ErrorCode::not_found, "no task " + std::to_string(task_id.value) + " in " + plan_name(plan_id));
    const bool own = actor.role == Role::platform_operator && task->unit.platform && task->unit.platform == actor.platform;
    Impl::require_permission(actor, Action::manage_plans, own, "task " + std::to_string(task_id.value) + " of " + plan_name(plan_id));
    const int s = static_cast<int>(status);
    if (s < 0 || s >= task_status_count) throw Error(ErrorCode::invalid, "task status: " + std::to_string(s) + " is not a status");
    if (on.is_special()) throw Error(ErrorCode::invalid, "task status date: is not a date");
    task->status = status;
    task->done_on.reset();
    task->cancelled_on.reset();
    if (status == TaskStatus::done) task->done_on = on;
    if (status == TaskStatus::cancelled) task->cancelled_on = on;
    const nlohmann::json details{{"plan", plan_id.value}, {"task", task_id.value}, {"status", to_string(status)}, {"on", json::iso(on)}};
    impl_->save_plan(actor, "task_status", std::move(plan), &details);
}

CityPlan Database::city_plan(CityPlanId id) const {
    auto it = impl_->plans.find(id.value);
    if (it == impl_->plans.end()) throw Error(ErrorCode::not_found, "no " + plan_name(id));
    return it->second;
}

std::vector<CityPlan> Database::city_plans() const {
    std::vector<CityPlan> out;
    for (const auto& [id, p] : impl_->plans) out.push_back(p);
    return out;
}

OverdueReport Database::overdue_report(CityPlanId id, boost::gregorian::date on) const {
    return psp::overdue_report(city_plan(id), on);
}

std::string Database::overdue_report_text(CityPlanId id, boost::gregorian::date on) const {
    const auto names = [this](PlatformId p) -> std::string {
        const Platform* platform = impl_->state.platforms.find(p);
        return platform ? platform->name : std::string();
    };
    return to_text(overdue_report(id, on), names);
}

}  // namespace psp
