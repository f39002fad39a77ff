// Major projects through psp::Database (§6): filed and updated with permissions, the pipeline
// advanced, supervision decisions stored, escalated, journaled and read back after reopening.
#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "psp/database.hpp"

using namespace psp;
using namespace psp::test;
namespace greg = boost::gregorian;

namespace {

const Actor office = Actor::office();
constexpr Fen million = 100'000'000;

greg::date day(int y, int m, int d) {
    return {static_cast<unsigned short>(y), static_cast<unsigned short>(m), static_cast<unsigned short>(d)};
}

// A building project of the tech backbone: 35 % of its milestones done, 60 % due by 2025-12-31.
Project building(PlatformId owner) {
    Project p;
    p.name = "Zone testing database";
    p.kind = ProjectKind::database;
    p.platforms = {owner};
    p.budget = 10 * million;
    p.funding = {6 * million, 3 * million, 1 * million};
    p.stage = ProjectStage::building;
    p.start = day(2025, 1, 1);
    p.end = day(2026, 12, 31);
    p.approved = day(2025, 1, 1);
    p.milestones = {{day(2025, 3, 31), "design approved", 1000, day(2025, 3, 20)},
                    {day(2025, 6, 30), "equipment purchased", 2500, day(2025, 6, 28)},
                    {day(2025, 9, 30), "system online", 2500, std::nullopt},
                    {day(2026, 3, 31), "pilot service", 2000, std::nullopt},
                    {day(2026, 12, 31), "acceptance", 2000, std::nullopt}};
    p.disbursements = {{day(2025, 2, 1), 2 * million, "first tranche"}};
    p.spending = {{day(2025, 3, 1), 1 * million, "design"}, {day(2025, 6, 1), 1 * million, "equipment"}};
    return p;
}

}  // namespace

TEST_CASE("§6.2 projects are filed, updated by their owners, supervised, escalated and read back", "[projects][database]") {
    TempFile file("projects");
    const SmallNetwork n = [&] {
        auto db = Database::open(file.str());
        return build_small_network(db);
    }();
    auto db = Database::open(file.str());
    const auto id = db.add_project(office, building(n.tech));
    CHECK(id == ProjectId(1));
    CHECK(db.journal().back().entity == EntityKind::project);

    // The owner records progress; another operator and an enterprise may not; no stage moves here.
    auto p = db.project(id);
    p.spending.push_back({day(2025, 9, 1), 500'000, "staff"});
    db.update_project(Actor::operator_of(n.tech), p);
    CHECK(db.project(id).spending.size() == 3);
    PSP_CHECK_REFUSED(db, db.update_project(Actor::operator_of(n.quality), p), IsError(ErrorCode::permission));
    PSP_CHECK_REFUSED(db, db.update_project(Actor::enterprise_self(n.acme), p), IsError(ErrorCode::permission));
    auto moved = p;
    moved.stage = ProjectStage::completed;
    PSP_CHECK_REFUSED(db, db.update_project(office, moved), IsError(ErrorCode::refused, {"stage"}));
    auto bad = p;
    bad.milestones[0].weight_bp = 500;   // weights no longer sum to 10000
    PSP_CHECK_REFUSED(db, db.update_project(office, bad), IsError(ErrorCode::invalid, {"weights"}));
    CHECK(db.project(id) == p);
    PSP_CHECK_REFUSED(db, db.add_project(Actor::operator_of(n.tech), building(n.tech)), IsError(ErrorCode::permission));

    // Behind plan by 25 points at the end of 2025: rectify by 2026-03-31.
    const auto first = db.supervise(office, {}, day(2025, 12, 31));
    REQUIRE(first.size() == 1);
    CHECK(first[0].verdict == Verdict::rectify);
    CHECK(first[0].deadline == day(2026, 3, 31));
    CHECK(db.journal().back().entity == EntityKind::supervision);
    PSP_CHECK_REFUSED(db, db.supervise(Actor::operator_of(n.tech), {}, day(2026, 1, 1)), IsError(ErrorCode::permission));

    // Still behind after the deadline: funding suspended; after the suspension: revoked, stage too.
    const auto second = db.supervise(office, {}, day(2026, 4, 1));
    REQUIRE(second.size() == 1);
    CHECK(second[0].verdict == Verdict::suspend_funding);
    const auto third = db.supervise(office, {}, day(2026, 7, 1));
    REQUIRE(third.size() == 1);
    CHECK(third[0].verdict == Verdict::revoke);
    CHECK(db.project(id).stage == ProjectStage::revoked);

    // Everything comes back from the file.
    auto again = Database::open(file.str());
    CHECK(again.projects() == db.projects());
    CHECK(again.supervision_decisions(ProjectId()) == db.supervision_decisions(ProjectId()));
    CHECK(again.supervision_decisions(id).size() == 3);
    const auto report = again.supervision_report("Shangcheng District Service Industry Office",
                                                 {"2026 H1", day(2026, 1, 1), day(2026, 6, 30)});
    REQUIRE(report.entries.size() == 1);
    CHECK(report.entries[0].decision.verdict == Verdict::suspend_funding);
    CHECK_THAT(supervision_report_text(report), Catch::Contains("Zone testing database"));
    CHECK_THROWS_MATCHES(again.project(ProjectId(99)), Error, IsError(ErrorCode::not_found));
}

TEST_CASE("§6.1 the rolling pipeline advances stored projects and journals the advance", "[projects][database]") {
    auto db = Database::open(":memory:");
    const auto n = build_small_network(db);
    auto planned = building(n.quality);
    planned.stage = ProjectStage::planned;
    planned.approved.reset();
    for (auto& m : planned.milestones) m.done.reset();
    planned.disbursements.clear();
    planned.spending.clear();
    const auto a = db.add_project(office, planned);
    planned.name = "Second database";
    planned.score = 80;
    const auto b = db.add_project(office, planned);
    PipelineTargets targets;
    targets.reserved = 1;   // room for one: the better-scored goes first
    const auto result = db.advance_pipeline(office, targets, {}, day(2025, 1, 15));
    CHECK(db.project(b).stage == ProjectStage::reserved);
    CHECK(db.project(a).stage == ProjectStage::planned);
    CHECK(result.moves.size() == 2);
    CHECK(db.journal().back().action == "advance");
    PSP_CHECK_REFUSED(db, db.advance_pipeline(Actor::operator_of(n.quality), targets, {}, day(2025, 2, 1)),
                      IsError(ErrorCode::permission));
}
