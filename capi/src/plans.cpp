// C ABI: city plans, annual plans and tasks (§1.1): plans filed and revised as JSON, task progress
// reported by the units, the overdue report as JSON and as text (docs/plans-json.md).
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "arguments.hpp"
#include "capi.hpp"
#include "json/plans_json.hpp"
#include "psp/plans.hpp"

using namespace psp::capi;
using nlohmann::json;

static_assert(PSP_TASK_NOT_STARTED == static_cast<int>(psp::TaskStatus::not_started));
static_assert(PSP_TASK_IN_PROGRESS == static_cast<int>(psp::TaskStatus::in_progress));
static_assert(PSP_TASK_DONE == static_cast<int>(psp::TaskStatus::done));
static_assert(PSP_TASK_CANCELLED == static_cast<int>(psp::TaskStatus::cancelled));
static_assert(PSP_TASK_STATUS_COUNT == psp::task_status_count);

namespace {

// The city plan object of docs/plans-json.md, read strictly; the database validates it whole.
psp::CityPlan plan_arg(const char* s, const char* name) {
    const auto j = json_arg(s, name);
    return at_argument(name, [&] { return psp::json::city_plan_from_json(j, ""); });
}

psp::CityPlanId plan_id_arg(int64_t id, const char* name) {
    if (id <= 0) invalid(std::string(name) + ": ids are positive, got " + std::to_string(id));
    return psp::CityPlanId(id);
}

}  // namespace

extern "C" {

PSP_EXTERN(int) psp_city_plan_add_json(int64_t* out_id, psp_db* db, const psp_actor* actor, const char* plan_json) {
    return guard("psp_city_plan_add_json", [&] {
        require(out_id, "out_id");
        auto& h = handle(db);
        const auto a = actor_from_c(actor);
        auto plan = plan_arg(plan_json, "plan_json");
        psp::CityPlanId id;
        {
            std::lock_guard lock(h.mu);
            // The plan is validated by the database: its refusals name the argument too.
            id = at_argument("plan_json", [&] { return h.db.add_city_plan(a, std::move(plan)); });
        }
        *out_id = id.value;
        return 0;
    });
}

PSP_EXTERN(int) psp_city_plan_update_json(psp_db* db, const psp_actor* actor, const char* plan_json) {
    return guard("psp_city_plan_update_json", [&] {
        auto& h = handle(db);
        const auto a = actor_from_c(actor);
        const auto plan = plan_arg(plan_json, "plan_json");
        std::lock_guard lock(h.mu);
        return at_argument("plan_json", [&] {
            h.db.update_city_plan(a, plan);
            return 0;
        });
    });
}

PSP_EXTERN(int) psp_task_status_set(psp_db* db, const psp_actor* actor, int64_t plan, int64_t task, int status,
                                    const char* date) {
    return guard("psp_task_status_set", [&] {
        auto& h = handle(db);
        const auto a = actor_from_c(actor);
        const auto p = plan_id_arg(plan, "plan");
        if (task <= 0) invalid("task: ids are positive, got " + std::to_string(task));
        const auto s = require_enum<psp::TaskStatus>(status, psp::task_status_count, "status");
        const auto on = date_arg(date, "date");
        std::lock_guard lock(h.mu);
        h.db.set_task_status(a, p, psp::PlanTaskId(task), s, on);
        return 0;
    });
}

PSP_EXTERN(int) psp_city_plan_json(char** out, psp_db* db, int64_t id) {
    return text_out("psp_city_plan_json", out, db, [&](const psp::Database& d) {
        return psp::json::to_json(d.city_plan(plan_id_arg(id, "id"))).dump();
    });
}

PSP_EXTERN(int) psp_city_plans_json(char** out, psp_db* db) {
    return text_out("psp_city_plans_json", out, db, [](const psp::Database& d) {
        json array = json::array();
        for (const auto& p : d.city_plans()) array.push_back(psp::json::to_json(p));
        return array.dump();
    });
}

PSP_EXTERN(int) psp_overdue_report_json(char** out, psp_db* db, int64_t plan, const char* date) {
    return text_out("psp_overdue_report_json", out, db, [&](const psp::Database& d) {
        const auto p = plan_id_arg(plan, "plan");
        const auto on = date_arg(date, "date");
        return psp::json::to_json(d.overdue_report(p, on)).dump();
    });
}

PSP_EXTERN(int) psp_overdue_report_text(char** out, psp_db* db, int64_t plan, const char* date) {
    return text_out("psp_overdue_report_text", out, db, [&](const psp::Database& d) {
        const auto p = plan_id_arg(plan, "plan");
        const auto on = date_arg(date, "date");
        return d.overdue_report_text(p, on);
    });
}

}  // extern "C"
