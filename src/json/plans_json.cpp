// City plans, annual plans, tasks and the overdue report as JSON.
#include "json/plans_json.hpp"

#include "json/dates.hpp"
#include "psp/error.hpp"

namespace psp::json {
namespace {

json unit_json(const PlanUnit& u) {
    return u.platform ? json{{"platform", u.platform.value}} : json{{"office", u.office}};
}

PlanUnit unit_from_json(const json& j, const std::string& path) {
    ObjectReader r(j, path);
    PlanUnit u;
    if (r.find("platform")) u.platform = PlatformId(r.integer("platform"));
    if (r.find("office")) u.office = r.text("office");
    r.finish();
    return u;   // validate() refuses neither or both
}

json task_json(const PlanTask& t) {
    return {{"id", t.id.value},
            {"title", t.title},
            {"unit", unit_json(t.unit)},
            {"created", iso(t.created)},
            {"deadline", iso(t.deadline)},
            {"status", to_string(t.status)},
            {"done_on", date_or_null(t.done_on)},
            {"cancelled_on", date_or_null(t.cancelled_on)}};
}

PlanTask task_from_json(const json& j, const std::string& path) {
    ObjectReader r(j, path);
    PlanTask t;
    t.id = PlanTaskId(r.integer("id"));
    t.title = r.text("title");
    const json* unit = r.find("unit");
    if (!unit) bad(r.at("unit"), "missing");
    t.unit = unit_from_json(*unit, r.at("unit"));
    t.created = date_at(r, "created");
    t.deadline = date_at(r, "deadline");
    t.status = r.enumeration<TaskStatus>("status", TaskStatus::not_started);
    t.done_on = optional_date(r, "done_on");
    t.cancelled_on = optional_date(r, "cancelled_on");
    r.finish();
    return t;
}

}  // namespace

json to_json(const CityPlan& p) {
    json annual = json::array();
    for (const auto& a : p.annual_plans) {
        json tasks = json::array();
        for (const auto& t : a.tasks) tasks.push_back(task_json(t));
        annual.push_back({{"id", a.id.value}, {"year", a.year}, {"title", a.title}, {"tasks", tasks}});
    }
    return {{"id", p.id.value},
            {"title", p.title},
            {"first_year", p.first_year},
            {"last_year", p.last_year},
            {"annual_plans", annual}};
}

json to_json(const OverdueReport& report) {
    json units = json::array();
    for (const auto& u : report.units) {
        json tasks = json::array();
        for (const auto& t : u.tasks) {
            tasks.push_back({{"task", t.task.value},
                             {"annual_plan", t.annual_plan.value},
                             {"year", t.year},
                             {"title", t.title},
                             {"deadline", iso(t.deadline)},
                             {"days_overdue", t.days_overdue},
                             {"status", to_string(t.status)}});
        }
        units.push_back({{"unit", unit_json(u.unit)}, {"most_days_overdue", u.most_days_overdue}, {"tasks", tasks}});
    }
    const auto& s = report.summary;
    return {{"plan", report.plan.value},
            {"plan_title", report.plan_title},
            {"first_year", report.first_year},
            {"last_year", report.last_year},
            {"on", iso(report.on)},
            {"units", units},
            {"summary",
             {{"tasks", s.tasks},
              {"due", s.due},
              {"done_on_time", s.done_on_time},
              {"done_late", s.done_late},
              {"overdue", s.overdue},
              {"cancelled", s.cancelled},
              {"open_not_yet_due", s.open_not_yet_due}}}};
}

CityPlan city_plan_from_json(const json& j, const std::string& path) {
    ObjectReader r(j, path);
    CityPlan p;
    p.id = CityPlanId(r.integer_or("id", 0));
    p.title = r.text("title");
    p.first_year = r.small_integer_or("first_year", std::nullopt);
    p.last_year = r.small_integer_or("last_year", std::nullopt);
    each(r, "annual_plans", [&](const json& e, const std::string& ap) {
        ObjectReader a(e, ap);
        AnnualPlan plan;
        plan.id = AnnualPlanId(a.integer("id"));
        plan.year = a.small_integer_or("year", std::nullopt);
        plan.title = a.text_or("title", "");
        each(a, "tasks", [&](const json& t, const std::string& tp) { plan.tasks.push_back(task_from_json(t, tp)); });
        a.finish();
        p.annual_plans.push_back(std::move(plan));
    });
    r.finish();
    return p;   // validated by the caller once the id is known (a new plan may come with id 0)
}

}  // namespace psp::json
