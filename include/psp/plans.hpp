// Plans and tasks (policy §1.1 规划引领: a city plan, annual plans and their decomposition into tasks
// 制定年度计划…进行任务分解，确保有效落实; DESIGN.md §2, issue 6): validation, and the overdue report
// on a date as data and as text an office would file. Pure rules on values; Database persists them.
//
// Dates are calendar dates (boost::gregorian::date; "YYYY-MM-DD" at the C ABI). A deadline is the last
// day on which the task may be done: a task due 2025-03-31 and not done is 1 day overdue on 2025-04-01.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/date_time/gregorian/gregorian_types.hpp>

#include "psp/ids.hpp"
#include "psp/model.hpp"

namespace psp {

using CityPlanId = Id<struct CityPlanTag>;
using AnnualPlanId = Id<struct AnnualPlanTag>;
using PlanTaskId = Id<struct PlanTaskTag>;

// Who carries a task (责任单位): a platform (its operator answers for it) or a named office, such as
// the promotion office (推进办公室) or one of its member units (成员单位, §1.2). Exactly one is set.
struct PlanUnit {
    PlatformId platform;   // set for a platform
    std::string office;    // set for an office: its name, non-empty
    static PlanUnit of_platform(PlatformId p) { return {p, {}}; }
    static PlanUnit of_office(std::string name) { return {PlatformId{}, std::move(name)}; }
    friend bool operator==(const PlanUnit&, const PlanUnit&) = default;
    // Platforms (by id) before offices (by name).
    friend std::strong_ordering operator<=>(const PlanUnit& a, const PlanUnit& b) {
        const bool a_office = !a.platform, b_office = !b.platform;
        if (a_office != b_office) return a_office <=> b_office;
        if (const auto c = a.platform <=> b.platform; c != 0) return c;
        return a.office <=> b.office;
    }
};

// Values are part of the stable C ABI: never renumber, only append.
enum class TaskStatus : int { not_started = 0, in_progress = 1, done = 2, cancelled = 3 };
inline constexpr int task_status_count = 4;
const char* to_string(TaskStatus);   // "not_started", "in_progress", "done", "cancelled"
template <> std::optional<TaskStatus> parse_enum(std::string_view);

struct PlanTask {
    PlanTaskId id;                       // > 0, unique in the city plan
    std::string title;                   // non-empty
    PlanUnit unit;
    boost::gregorian::date created;      // when it was assigned; not after the deadline
    boost::gregorian::date deadline;     // in the annual plan's year
    TaskStatus status = TaskStatus::not_started;
    std::optional<boost::gregorian::date> done_on;        // set exactly when status is done; not before created
    std::optional<boost::gregorian::date> cancelled_on;   // set exactly when status is cancelled; not before created
    friend bool operator==(const PlanTask&, const PlanTask&) = default;
};

struct AnnualPlan {
    AnnualPlanId id;                     // > 0, unique in the city plan
    int year = 0;                        // within the city plan's years; one annual plan per year
    std::string title;
    std::vector<PlanTask> tasks;
    friend bool operator==(const AnnualPlan&, const AnnualPlan&) = default;
};

// The city plan (建设规划) over whole years, e.g. 2021..2025.
struct CityPlan {
    CityPlanId id;                       // > 0
    std::string title;                   // non-empty
    int first_year = 0;                  // 1900..9999
    int last_year = 0;                   // >= first_year
    std::vector<AnnualPlan> annual_plans;
    friend bool operator==(const CityPlan&, const CityPlan&) = default;
};

// Throws psp::Error(invalid) naming the plan, annual plan and task by id and the field: an id <= 0 or
// used twice (annual plan ids, and task ids across the whole city plan), an empty title, a reversed or
// impossible year range, an annual plan outside the city plan's years or two for one year, a unit
// with neither or both of platform and office (or a platform id < 0), a date that is not a date, a
// deadline outside the annual plan's year, a task created after its deadline, a status outside the
// enum, done_on / cancelled_on present without their status or missing with it, or before created.
void validate(const CityPlan&);

// One task past its deadline and not done on the report date.
struct OverdueTask {
    PlanTaskId task;
    AnnualPlanId annual_plan;
    int year = 0;
    std::string title;
    boost::gregorian::date deadline;
    int days_overdue = 0;                // report date − deadline, >= 1
    TaskStatus status = TaskStatus::not_started;   // as recorded (a task done after the date shows done)
    friend bool operator==(const OverdueTask&, const OverdueTask&) = default;
};

struct UnitOverdue {
    PlanUnit unit;
    std::vector<OverdueTask> tasks;      // most days overdue first, then by task id
    int most_days_overdue = 0;
    friend bool operator==(const UnitOverdue&, const UnitOverdue&) = default;
};

// Counts over the tasks due before the report date (deadline < on) that were assigned by then
// (created <= on): due = done_on_time + done_late + overdue (cancelled ones are not due; one
// cancelled after its deadline while still open is counted in cancelled, not as overdue).
struct OverdueSummary {
    int tasks = 0;                       // every task of the plan
    int due = 0;
    int done_on_time = 0;                // done on or before the deadline
    int done_late = 0;                   // done after the deadline but by the report date
    int overdue = 0;
    int cancelled = 0;                   // cancelled by the report date (any deadline)
    int open_not_yet_due = 0;            // assigned, not done or cancelled, deadline on or after the date
    friend bool operator==(const OverdueSummary&, const OverdueSummary&) = default;
};

// The report as of `on`. The plan is read as it stood on that day: a task done (or cancelled) after
// `on` was still open then, and one created after `on` did not exist yet, so a report on a past date
// is reproducible from the current records. Units with the most overdue tasks come first (then the
// most days overdue, then the unit's order).
struct OverdueReport {
    CityPlanId plan;
    std::string plan_title;
    int first_year = 0;
    int last_year = 0;
    boost::gregorian::date on;
    std::vector<UnitOverdue> units;      // only units with an overdue task
    OverdueSummary summary;
    friend bool operator==(const OverdueReport&, const OverdueReport&) = default;
};

// Validates the plan (see validate()) and `on` (a date), then reports.
OverdueReport overdue_report(const CityPlan&, boost::gregorian::date on);

// Display names of platforms for the text ("杭州市检验检测公共服务平台"); without one, or when it
// returns an empty string, a platform shows as "platform 12".
using PlatformNames = std::function<std::string(PlatformId)>;

// The report as text for the file, in English, one task a line, e.g.
//   Overdue tasks of "Service-zone platform plan 2021–2025" (2021–2025) as of 2025-07-01
//
//   Of 5 tasks due before 2025-07-01: 1 done on time, 1 done late, 3 overdue at 2 units.
//   Cancelled: 1. Open and not yet due: 1. Tasks in the plan: 8.
//
//   1. Hangzhou testing platform: 2 overdue tasks, up to 92 days
//      - task 201 (2025) "Set up the one-stop front door": due 2025-03-31, 92 days overdue, in progress
//      - task 203 (2025) "Train the operators": due 2025-05-31, 31 days overdue, done later
// ("done later": done after the report date, so still open on it.)
std::string to_text(const OverdueReport&, const PlatformNames& names = {});

}  // namespace psp
