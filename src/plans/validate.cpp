// Validation of a city plan, its annual plans and their tasks (include/psp/plans.hpp).
#include <algorithm>
#include <array>
#include <set>
#include <string>

#include <boost/date_time/gregorian/gregorian.hpp>

#include "core/enum_names.hpp"
#include "plans/text.hpp"
#include "psp/error.hpp"
#include "psp/plans.hpp"

namespace psp {
namespace {

namespace greg = boost::gregorian;
using plans::cat;

constexpr std::array<const char*, task_status_count> status_names{"not_started", "in_progress", "done", "cancelled"};

std::string date_text(greg::date d) { return d.is_special() ? std::string("not-a-date") : greg::to_iso_extended_string(d); }

// Names where a problem is: "city plan 1", "city plan 1 annual plan 3 (2024)", "... task 17".
struct Where {
    const CityPlan& plan;
    const AnnualPlan* annual = nullptr;
    const PlanTask* task = nullptr;

    [[noreturn]] void bad(const char* field, const std::string& problem) const {
        std::string m = cat("city plan ", plan.id.value);
        if (annual != nullptr) m.append(cat(" annual plan ", annual->id.value, " (", annual->year, ')'));
        if (task != nullptr) m.append(cat(" task ", task->id.value));
        m.append(cat(' ', field, ": ", problem));
        throw Error(ErrorCode::invalid, m);
    }
};

void check_task(const Where& at, const PlanTask& t) {
    if (t.id.value <= 0) at.bad("id", "is not positive");
    if (t.title.empty()) at.bad("title", "is empty");
    const bool has_platform = static_cast<bool>(t.unit.platform), has_office = !t.unit.office.empty();
    if (t.unit.platform.value < 0) at.bad("unit", cat("platform id ", t.unit.platform.value, " is negative"));
    if (has_platform == has_office) at.bad("unit", "needs exactly one of a platform and an office name");
    if (t.created.is_special()) at.bad("created", "is not a date");
    if (t.deadline.is_special()) at.bad("deadline", "is not a date");
    if (t.deadline.year() != at.annual->year) {
        at.bad("deadline", cat(date_text(t.deadline), " is outside the plan's year ", at.annual->year));
    }
    if (t.created > t.deadline) {
        at.bad("created", cat(date_text(t.created), " is after the deadline ", date_text(t.deadline)));
    }
    const int status = static_cast<int>(t.status);
    if (status < 0 || status >= task_status_count) at.bad("status", cat(status, " is not a task status"));
    const auto closing = [&](const char* field, const std::optional<greg::date>& d, TaskStatus with) {
        if (d.has_value() != (t.status == with)) {
            at.bad(field, d ? cat(date_text(*d), " given for a task that is ", to_string(t.status))
                            : cat("missing for a task that is ", to_string(t.status)));
        }
        if (!d) return;
        if (d->is_special()) at.bad(field, "is not a date");
        if (*d < t.created) at.bad(field, cat(date_text(*d), " is before the task was created on ", date_text(t.created)));
    };
    closing("done_on", t.done_on, TaskStatus::done);
    closing("cancelled_on", t.cancelled_on, TaskStatus::cancelled);
}

}  // namespace

const char* to_string(TaskStatus v) { return detail::name_at(status_names, static_cast<int>(v)); }
template <> std::optional<TaskStatus> parse_enum(std::string_view n) { return detail::find_name<TaskStatus>(status_names, n); }

void validate(const CityPlan& p) {
    const Where plan{p};
    if (p.id.value <= 0) plan.bad("id", "is not positive");
    if (p.title.empty()) plan.bad("title", "is empty");
    if (p.first_year < 1900 || p.first_year > 9999) plan.bad("first_year", cat(p.first_year, " is outside 1900..9999"));
    if (p.last_year < p.first_year || p.last_year > 9999) {
        plan.bad("last_year", cat(p.last_year, " is not in ", p.first_year, "..9999"));
    }
    std::set<std::int64_t> annual_ids, task_ids;
    std::set<int> years;
    for (const auto& a : p.annual_plans) {
        const Where annual{p, &a};
        if (a.id.value <= 0) annual.bad("id", "is not positive");
        if (!annual_ids.insert(a.id.value).second) annual.bad("id", "is used by another annual plan");
        if (a.year < p.first_year || a.year > p.last_year) {
            annual.bad("year", cat(a.year, " is outside the city plan's years ", p.first_year, "..", p.last_year));
        }
        if (!years.insert(a.year).second) annual.bad("year", cat("another annual plan is for ", a.year));
        for (const auto& t : a.tasks) {
            const Where task{p, &a, &t};
            check_task(task, t);
            if (!task_ids.insert(t.id.value).second) task.bad("id", "is used by another task of the city plan");
        }
    }
}

}  // namespace psp
