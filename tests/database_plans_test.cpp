// City plans through psp::Database (§1.1 制定年度计划…进行任务分解，确保有效落实): filed and revised by the
// office, tasks reported by the units they are assigned to, the overdue report as data and as text,
// read back after reopening; refusals change nothing.
#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "psp/database.hpp"

using namespace psp;
using namespace psp::test;
namespace greg = boost::gregorian;

namespace {

const Actor office = Actor::office();

greg::date day(int y, int m, int d) {
    return {static_cast<unsigned short>(y), static_cast<unsigned short>(m), static_cast<unsigned short>(d)};
}

CityPlan plan_of(PlatformId tech, PlatformId quality) {
    CityPlan p;
    p.title = "Service-zone platform plan 2021-2025";
    p.first_year = 2021;
    p.last_year = 2025;
    AnnualPlan y2025{AnnualPlanId(1), 2025, "2025 annual plan", {}};
    y2025.tasks.push_back({PlanTaskId(11), "Open the one-stop front door", PlanUnit::of_platform(tech), day(2025, 1, 5),
                           day(2025, 3, 31), TaskStatus::in_progress, std::nullopt, std::nullopt});
    y2025.tasks.push_back({PlanTaskId(12), "Publish fees and processes", PlanUnit::of_platform(quality), day(2025, 1, 5),
                           day(2025, 4, 30), TaskStatus::not_started, std::nullopt, std::nullopt});
    y2025.tasks.push_back({PlanTaskId(13), "Draft the certification rules", PlanUnit::of_office("推进办公室"), day(2025, 1, 5),
                           day(2025, 6, 30), TaskStatus::not_started, std::nullopt, std::nullopt});
    p.annual_plans.push_back(y2025);
    return p;
}

}  // namespace

TEST_CASE("§1.1 a city plan is filed, its tasks reported by their units, overdue ones reported", "[plans][database]") {
    TempFile file("plans");
    const SmallNetwork n = [&] {
        auto db = Database::open(file.str());
        return build_small_network(db);
    }();
    auto db = Database::open(file.str());
    PSP_CHECK_REFUSED(db, db.add_city_plan(Actor::operator_of(n.tech), plan_of(n.tech, n.quality)), IsError(ErrorCode::permission));
    const auto id = db.add_city_plan(office, plan_of(n.tech, n.quality));
    CHECK(id == CityPlanId(1));
    CHECK(db.journal().back().entity == EntityKind::city_plan);

    // The tech backbone reports its own task done; it may not report the quality centre's.
    db.set_task_status(Actor::operator_of(n.tech), id, PlanTaskId(11), TaskStatus::done, day(2025, 4, 10));
    PSP_CHECK_REFUSED(db, db.set_task_status(Actor::operator_of(n.tech), id, PlanTaskId(12), TaskStatus::done, day(2025, 4, 10)),
                      IsError(ErrorCode::permission));
    PSP_CHECK_REFUSED(db, db.set_task_status(Actor::operator_of(n.tech), id, PlanTaskId(13), TaskStatus::done, day(2025, 4, 10)),
                      IsError(ErrorCode::permission));   // the office's task
    PSP_CHECK_REFUSED(db, db.set_task_status(office, id, PlanTaskId(99), TaskStatus::done, day(2025, 4, 10)), IsError(ErrorCode::not_found));
    PSP_CHECK_REFUSED(db, db.set_task_status(office, id, PlanTaskId(12), TaskStatus::done, day(2024, 12, 1)),
                      IsError(ErrorCode::invalid, {"done_on"}));   // before it was assigned
    PSP_CHECK_REFUSED(db, db.set_task_status(office, id, PlanTaskId(12), static_cast<TaskStatus>(7), day(2025, 4, 10)),
                      IsError(ErrorCode::invalid));

    // On 2025-07-01: task 11 done late (10 days), 12 overdue 62 days, 13 overdue 1 day.
    const auto report = db.overdue_report(id, day(2025, 7, 1));
    CHECK(report.summary.due == 3);
    CHECK(report.summary.done_late == 1);
    CHECK(report.summary.overdue == 2);
    REQUIRE(report.units.size() == 2);
    CHECK(report.units[0].unit == PlanUnit::of_platform(n.quality));
    CHECK(report.units[0].most_days_overdue == 62);
    const auto text = db.overdue_report_text(id, day(2025, 7, 1));
    CHECK_THAT(text, Catch::Contains("Quality centre") && Catch::Contains("推进办公室") && Catch::Contains("62 days"));

    // A plan that does not hold together is refused whole.
    auto bad = db.city_plan(id);
    bad.annual_plans[0].tasks[1].deadline = day(2026, 1, 31);   // outside its annual plan's year
    PSP_CHECK_REFUSED(db, db.update_city_plan(office, bad), IsError(ErrorCode::invalid, {"deadline"}));
    auto unknown = db.city_plan(id);
    unknown.annual_plans[0].tasks[1].unit = PlanUnit::of_platform(PlatformId(99));
    PSP_CHECK_REFUSED(db, db.update_city_plan(office, unknown), IsError(ErrorCode::not_found));
    PSP_CHECK_REFUSED(db, db.overdue_report(CityPlanId(5), day(2025, 7, 1)), IsError(ErrorCode::not_found));

    auto revised = db.city_plan(id);
    revised.annual_plans[0].tasks[2].deadline = day(2025, 9, 30);
    db.update_city_plan(office, revised);
    CHECK(db.overdue_report(id, day(2025, 7, 1)).summary.overdue == 1);

    const auto plans = db.city_plans();
    auto again = Database::open(file.str());
    CHECK(again.city_plans() == plans);
    CHECK(again.overdue_report(id, day(2025, 7, 1)) == db.overdue_report(id, day(2025, 7, 1)));
}
