// Plans and tasks (include/psp/plans.hpp, policy §1.1): validation of a city plan, its annual plans
// and tasks; the overdue report on a date, as data and as text, read as the plan stood that day.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "psp/error.hpp"
#include "psp/plans.hpp"

using namespace psp;
namespace greg = boost::gregorian;

namespace {

greg::date day(int y, int m, int d) {
    return {static_cast<unsigned short>(y), static_cast<unsigned short>(m), static_cast<unsigned short>(d)};
}

template <class F>
bool throws_invalid(const F& f, const std::string& fragment) {
    try {
        f();
    } catch (const Error& e) {
        UNSCOPED_INFO("message: " << e.what());
        return e.code() == ErrorCode::invalid && std::string(e.what()).find(fragment) != std::string::npos;
    }
    UNSCOPED_INFO("nothing thrown");
    return false;
}

const PlanUnit office = PlanUnit::of_office("Promotion office");
const PlanUnit testing = PlanUnit::of_platform(PlatformId(12));

PlanTask task(std::int64_t id, std::string title, PlanUnit unit, greg::date created, greg::date deadline,
              TaskStatus status = TaskStatus::not_started, std::optional<greg::date> closed = std::nullopt) {
    PlanTask t{PlanTaskId(id), std::move(title), std::move(unit), created, deadline, status, std::nullopt, std::nullopt};
    if (status == TaskStatus::done) t.done_on = closed;
    if (status == TaskStatus::cancelled) t.cancelled_on = closed;
    return t;
}

// The city's five-year plan with two annual plans (§1.1: 制定年度计划及实施细则，进行任务分解).
CityPlan five_year_plan() {
    AnnualPlan y2024{AnnualPlanId(10), 2024, "Annual plan 2024", {
        task(101, "Publish the demonstration standard", office, day(2024, 1, 15), day(2024, 3, 31), TaskStatus::done, day(2024, 3, 20)),
        task(102, "Open the testing lab to member enterprises", testing, day(2024, 1, 15), day(2024, 6, 30), TaskStatus::done,
             day(2024, 8, 1)),
        task(103, "Draft the joint review rules", PlanUnit::of_office("Finance bureau"), day(2024, 2, 1), day(2024, 9, 30),
             TaskStatus::cancelled, day(2024, 5, 1)),
    }};
    AnnualPlan y2025{AnnualPlanId(11), 2025, "Annual plan 2025", {
        task(201, "Set up the one-stop front door", testing, day(2025, 1, 10), day(2025, 3, 31), TaskStatus::in_progress),
        task(202, "File the first-quarter statistics", office, day(2025, 1, 10), day(2025, 4, 15)),
        task(203, "Train the operators of shared equipment", testing, day(2025, 1, 10), day(2025, 5, 31), TaskStatus::done,
             day(2025, 7, 10)),
        task(204, "Run the annual evaluation", office, day(2025, 2, 1), day(2025, 12, 31), TaskStatus::in_progress),
        task(205, "Open a sub-platform in Xiaoshan", PlanUnit::of_platform(PlatformId(15)), day(2025, 8, 1), day(2025, 10, 31)),
    }};
    return {CityPlanId(1), "Service-zone platform plan 2021\u20132025", 2021, 2025, {y2024, y2025}};
}

}  // namespace

TEST_CASE("§1.1 plans: a valid city plan with annual plans and tasks", "[plans]") {
    CHECK_NOTHROW(validate(five_year_plan()));
    CHECK_NOTHROW(validate(CityPlan{CityPlanId(2), "Empty plan", 2026, 2030, {}}));
    CHECK_NOTHROW(validate(CityPlan{CityPlanId(3), "One year", 2026, 2026, {}}));
    // Boundaries: a deadline on 1 January or 31 December; done on the day it was created.
    auto p = five_year_plan();
    p.annual_plans[1].tasks.push_back(task(206, "New year's task", office, day(2025, 1, 1), day(2025, 1, 1), TaskStatus::done,
                                           day(2025, 1, 1)));
    p.annual_plans[1].tasks.push_back(task(207, "Year-end task", office, day(2024, 12, 1), day(2025, 12, 31)));
    CHECK_NOTHROW(validate(p));
}

TEST_CASE("§1.1 plans: every bad input is refused, naming the plan, the task and the field", "[plans]") {
    const auto bad = [](auto change, const std::string& fragment) {
        auto p = five_year_plan();
        change(p);
        return throws_invalid([&] { validate(p); }, fragment);
    };
    // The city plan.
    CHECK(bad([](CityPlan& p) { p.id = CityPlanId(0); }, "city plan 0 id: is not positive"));
    CHECK(bad([](CityPlan& p) { p.title.clear(); }, "city plan 1 title: is empty"));
    CHECK(bad([](CityPlan& p) { p.last_year = 2020; }, "city plan 1 last_year: 2020 is not in 2021..9999"));
    CHECK(bad([](CityPlan& p) { p.first_year = 1800; }, "city plan 1 first_year: 1800 is outside 1900..9999"));
    // Annual plans.
    CHECK(bad([](CityPlan& p) { p.annual_plans[1].year = 2026; },
              "city plan 1 annual plan 11 (2026) year: 2026 is outside the city plan's years 2021..2025"));
    CHECK(bad([](CityPlan& p) { p.annual_plans[0].year = 2020; }, "year: 2020 is outside the city plan's years"));
    CHECK(bad([](CityPlan& p) { p.annual_plans[1].id = AnnualPlanId(10); }, "annual plan 10 (2025) id: is used by another annual plan"));
    CHECK(bad([](CityPlan& p) { p.annual_plans[1].id = AnnualPlanId(-1); }, "annual plan -1 (2025) id: is not positive"));
    CHECK(bad(
        [](CityPlan& p) {
            auto copy = p.annual_plans[1];
            copy.id = AnnualPlanId(12);
            copy.tasks.clear();
            p.annual_plans.push_back(copy);
        },
        "annual plan 12 (2025) year: another annual plan is for 2025"));
    // Tasks.
    const auto bad_task = [&](auto change, const std::string& fragment) {
        return bad([&](CityPlan& p) { change(p.annual_plans[1].tasks[0]); }, fragment);
    };
    CHECK(bad_task([](PlanTask& t) { t.deadline = day(2026, 1, 15); },
                   "city plan 1 annual plan 11 (2025) task 201 deadline: 2026-01-15 is outside the plan's year 2025"));
    CHECK(bad_task([](PlanTask& t) { t.deadline = day(2024, 12, 31); }, "task 201 deadline: 2024-12-31 is outside the plan's year 2025"));
    CHECK(bad_task([](PlanTask& t) { t.created = day(2025, 4, 1); }, "task 201 created: 2025-04-01 is after the deadline 2025-03-31"));
    CHECK(bad_task(
        [](PlanTask& t) {
            t.status = TaskStatus::done;
            t.done_on = day(2025, 1, 9);
        },
        "task 201 done_on: 2025-01-09 is before the task was created on 2025-01-10"));
    CHECK(bad_task([](PlanTask& t) { t.status = TaskStatus::done; }, "task 201 done_on: missing for a task that is done"));
    CHECK(bad_task([](PlanTask& t) { t.done_on = day(2025, 3, 1); }, "task 201 done_on: 2025-03-01 given for a task that is in_progress"));
    CHECK(bad_task([](PlanTask& t) { t.status = TaskStatus::cancelled; }, "task 201 cancelled_on: missing for a task that is cancelled"));
    CHECK(bad_task(
        [](PlanTask& t) {
            t.status = TaskStatus::cancelled;
            t.cancelled_on = day(2024, 12, 1);
        },
        "task 201 cancelled_on: 2024-12-01 is before the task was created"));
    CHECK(bad_task([](PlanTask& t) { t.id = PlanTaskId(101); }, "task 101 id: is used by another task of the city plan"));
    CHECK(bad_task([](PlanTask& t) { t.id = PlanTaskId(0); }, "task 0 id: is not positive"));
    CHECK(bad_task([](PlanTask& t) { t.title.clear(); }, "task 201 title: is empty"));
    CHECK(bad_task([](PlanTask& t) { t.unit = PlanUnit{}; }, "task 201 unit: needs exactly one of a platform and an office name"));
    CHECK(bad_task([](PlanTask& t) { t.unit = PlanUnit{PlatformId(12), "Promotion office"}; }, "needs exactly one of"));
    CHECK(bad_task([](PlanTask& t) { t.unit = PlanUnit{PlatformId(-3), ""}; }, "task 201 unit: platform id -3 is negative"));
    CHECK(bad_task([](PlanTask& t) { t.deadline = greg::date(); }, "task 201 deadline: is not a date"));
    CHECK(bad_task([](PlanTask& t) { t.created = greg::date(); }, "task 201 created: is not a date"));
    CHECK(bad_task([](PlanTask& t) { t.status = static_cast<TaskStatus>(9); }, "task 201 status: 9 is not a task status"));
    // A task id used twice in one annual plan, too.
    CHECK(bad([](CityPlan& p) { p.annual_plans[0].tasks[1].id = PlanTaskId(101); }, "task 101 id: is used by another task"));
}

TEST_CASE("§1.1 overdue report: tasks past their deadline and not done, grouped by unit", "[plans]") {
    const auto r = overdue_report(five_year_plan(), day(2025, 7, 1));
    CHECK(r.plan == CityPlanId(1));
    CHECK(r.on == day(2025, 7, 1));
    CHECK(r.summary == OverdueSummary{8, 5, 1, 1, 3, 1, 1});
    CHECK(r.summary.due == r.summary.done_on_time + r.summary.done_late + r.summary.overdue);
    REQUIRE(r.units.size() == 2);

    // The platform has two overdue tasks and comes first; the longest overdue first within it.
    const auto& platform = r.units[0];
    CHECK(platform.unit == testing);
    CHECK(platform.most_days_overdue == 92);
    REQUIRE(platform.tasks.size() == 2);
    CHECK(platform.tasks[0] == OverdueTask{PlanTaskId(201), AnnualPlanId(11), 2025, "Set up the one-stop front door",
                                           day(2025, 3, 31), 92, TaskStatus::in_progress});
    // Done on 10 July: still open on 1 July, so overdue on the report date (its status shows as recorded).
    CHECK(platform.tasks[1].task == PlanTaskId(203));
    CHECK(platform.tasks[1].days_overdue == 31);
    CHECK(platform.tasks[1].status == TaskStatus::done);

    const auto& o = r.units[1];
    CHECK(o.unit == office);
    REQUIRE(o.tasks.size() == 1);
    CHECK(o.tasks[0].task == PlanTaskId(202));
    CHECK(o.tasks[0].days_overdue == 77);
    CHECK(o.tasks[0].status == TaskStatus::not_started);
}

TEST_CASE("§1.1 overdue report: the plan as it stood on the report date", "[plans]") {
    const auto plan = five_year_plan();
    // On the deadline day a task is not yet overdue; the day after it is 1 day overdue.
    const auto on_deadline = overdue_report(plan, day(2025, 3, 31));
    for (const auto& u : on_deadline.units) {
        for (const auto& t : u.tasks) CHECK(t.task != PlanTaskId(201));
    }
    const auto next_day = overdue_report(plan, day(2025, 4, 1));
    REQUIRE(next_day.units.size() == 1);
    CHECK(next_day.units[0].tasks[0].task == PlanTaskId(201));
    CHECK(next_day.units[0].tasks[0].days_overdue == 1);

    // A year earlier: task 102 was done on 1 August 2024, so on 1 July 2024 it was 1 day overdue; the
    // 2025 tasks did not exist; 103 had been cancelled in May.
    const auto earlier = overdue_report(plan, day(2024, 7, 1));
    CHECK(earlier.summary == OverdueSummary{8, 2, 1, 0, 1, 1, 0});
    REQUIRE(earlier.units.size() == 1);
    CHECK(earlier.units[0].unit == testing);
    CHECK(earlier.units[0].tasks[0].task == PlanTaskId(102));
    CHECK(earlier.units[0].tasks[0].days_overdue == 1);
    // Before the cancellation, 103 was open and not yet due.
    CHECK(overdue_report(plan, day(2024, 4, 30)).summary == OverdueSummary{8, 1, 1, 0, 0, 0, 2});

    // Cancelled tasks are never overdue, even when cancelled after their deadline.
    auto late_cancel = plan;
    auto& t = late_cancel.annual_plans[1].tasks[0];
    t.status = TaskStatus::cancelled;
    t.cancelled_on = day(2025, 5, 1);
    const auto c = overdue_report(late_cancel, day(2025, 7, 1));
    CHECK(c.summary.cancelled == 2);
    CHECK(c.summary.overdue == 2);
    REQUIRE(c.units.size() == 2);
    CHECK(c.units[0].unit == office);    // one task each: the longest overdue first (77 days against 31)
    CHECK(c.units[1].unit == testing);
    CHECK(c.units[1].tasks.size() == 1);
}

TEST_CASE("§1.1 overdue report: units ordered by overdue count, then days, then platform before office", "[plans]") {
    CityPlan p{CityPlanId(5), "Order", 2025, 2025, {AnnualPlan{AnnualPlanId(1), 2025, "2025", {}}}};
    auto& tasks = p.annual_plans[0].tasks;
    const auto d = day(2025, 1, 1);
    tasks.push_back(task(1, "a", PlanUnit::of_office("Culture bureau"), d, day(2025, 3, 1)));
    tasks.push_back(task(2, "b", PlanUnit::of_office("Audit office"), d, day(2025, 3, 1)));
    tasks.push_back(task(3, "c", PlanUnit::of_platform(PlatformId(40)), d, day(2025, 3, 1)));
    tasks.push_back(task(4, "d", PlanUnit::of_platform(PlatformId(30)), d, day(2025, 3, 1)));
    tasks.push_back(task(5, "e", PlanUnit::of_platform(PlatformId(50)), d, day(2025, 2, 1)));
    tasks.push_back(task(6, "f", PlanUnit::of_office("Zoning office"), d, day(2025, 3, 1)));
    tasks.push_back(task(7, "g", PlanUnit::of_office("Zoning office"), d, day(2025, 3, 1)));
    tasks.push_back(task(8, "h", PlanUnit::of_office("Zoning office"), d, day(2025, 3, 2)));
    const auto r = overdue_report(p, day(2025, 4, 1));
    std::vector<PlanUnit> order;
    for (const auto& u : r.units) order.push_back(u.unit);
    CHECK(order == std::vector<PlanUnit>{PlanUnit::of_office("Zoning office"), PlanUnit::of_platform(PlatformId(50)),
                                     PlanUnit::of_platform(PlatformId(30)), PlanUnit::of_platform(PlatformId(40)),
                                     PlanUnit::of_office("Audit office"), PlanUnit::of_office("Culture bureau")});
    // Within a unit: most days first, then by task id.
    CHECK(r.units[0].tasks[0].task == PlanTaskId(6));
    CHECK(r.units[0].tasks[1].task == PlanTaskId(7));
    CHECK(r.units[0].tasks[2].task == PlanTaskId(8));
    CHECK(PlanUnit::of_platform(PlatformId(99)) < PlanUnit::of_office("A"));
}

TEST_CASE("§1.1 overdue report as text, as an office would file it", "[plans]") {
    const auto r = overdue_report(five_year_plan(), day(2025, 7, 1));
    const PlatformNames names = [](PlatformId p) { return p == PlatformId(12) ? std::string("Hangzhou testing platform") : std::string(); };
    const std::string expected =
        "Overdue tasks of \"Service-zone platform plan 2021\u20132025\" (2021\u20132025) as of 2025-07-01\n"
        "\n"
        "Of 5 tasks due before 2025-07-01: 1 done on time, 1 done late, 3 overdue at 2 units.\n"
        "Cancelled: 1. Open and not yet due: 1. Tasks in the plan: 8.\n"
        "\n"
        "1. Hangzhou testing platform: 2 overdue tasks, up to 92 days\n"
        "   - task 201 (2025) \"Set up the one-stop front door\": due 2025-03-31, 92 days overdue, in progress\n"
        "   - task 203 (2025) \"Train the operators of shared equipment\": due 2025-05-31, 31 days overdue, done later\n"
        "\n"
        "2. Promotion office: 1 overdue task, up to 77 days\n"
        "   - task 202 (2025) \"File the first-quarter statistics\": due 2025-04-15, 77 days overdue, not started\n";
    CHECK(to_text(r, names) == expected);
    // Without names, a platform shows by its id.
    CHECK(to_text(r).find("1. platform 12: 2 overdue tasks") != std::string::npos);

    const auto quiet = overdue_report(five_year_plan(), day(2024, 2, 1));
    CHECK(to_text(quiet) ==
          "Overdue tasks of \"Service-zone platform plan 2021\u20132025\" (2021\u20132025) as of 2024-02-01\n"
          "\n"
          "No task was due before 2024-02-01.\n"
          "Cancelled: 0. Open and not yet due: 3. Tasks in the plan: 8.\n"
          "\n"
          "No task is overdue.\n");
}

TEST_CASE("§1.1 overdue report: a bad plan or date is refused", "[plans]") {
    auto p = five_year_plan();
    p.annual_plans[0].tasks[0].deadline = day(2023, 3, 31);
    CHECK(throws_invalid([&] { overdue_report(p, day(2025, 7, 1)); }, "task 101 deadline: 2023-03-31 is outside"));
    CHECK(throws_invalid([] { overdue_report(five_year_plan(), greg::date()); }, "overdue report: the report date is not a date"));
    for (int i = 0; i < task_status_count; ++i) {
        const auto s = static_cast<TaskStatus>(i);
        CHECK(parse_enum<TaskStatus>(to_string(s)) == s);
    }
    CHECK(std::string(to_string(TaskStatus::in_progress)) == "in_progress");
    CHECK_FALSE(parse_enum<TaskStatus>("late").has_value());
}
