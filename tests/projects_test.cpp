// Major projects (include/psp/projects.hpp, issue 6, policy §6): validation of the record, the rolling
// pipeline, approval paths, supervision with its escalation, and the report as JSON and text.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "json/projects_json.hpp"
#include "psp/error.hpp"
#include "psp/projects.hpp"

using namespace psp;
namespace greg = boost::gregorian;

namespace {

greg::date day(int y, int m, int d) {
    return {static_cast<unsigned short>(y), static_cast<unsigned short>(m), static_cast<unsigned short>(d)};
}

constexpr Fen yuan = 100;
constexpr Fen million = 1'000'000 * yuan;

// A valid building project: 10 million yuan (6 government, 3 platform, 1 private), 2025-01-01 to
// 2026-12-31, five milestones of which the first two are done (35 %); on 2025-12-31, 60 % is due.
Project building(std::int64_t id) {
    Project p;
    p.id = ProjectId(id);
    p.name = "Zone testing database " + std::to_string(id);
    p.kind = ProjectKind::database;
    p.platforms = {PlatformId(3), PlatformId(5)};
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
    p.spending = {{day(2025, 3, 1), 1 * million, "design"}, {day(2025, 6, 1), 2 * million, "equipment"}};
    return p;
}

Project staged(std::int64_t id, ProjectStage stage, int score, Fen government) {
    Project p = building(id);
    p.stage = stage;
    p.score = score;
    p.approved.reset();
    p.funding = {government, p.budget - government, 0};
    p.disbursements.clear();
    p.spending.clear();
    for (auto& m : p.milestones) m.done.reset();
    return p;
}

bool throws_invalid(const auto& f, const std::string& fragment) {
    try {
        f();
    } catch (const Error& e) {
        UNSCOPED_INFO("message: " << e.what());
        return e.code() == ErrorCode::invalid && std::string(e.what()).find(fragment) != std::string::npos;
    }
    UNSCOPED_INFO("no error");
    return false;
}

const PipelineMove& move_of(const PipelineAdvance& a, std::int64_t id) {
    const auto it = std::find_if(a.moves.begin(), a.moves.end(), [&](const PipelineMove& m) { return m.project == ProjectId(id); });
    REQUIRE(it != a.moves.end());
    return *it;
}

bool has_rule(const SupervisionDecision& d, const std::string& rule) {
    return std::any_of(d.findings.begin(), d.findings.end(), [&](const Finding& f) { return f.rule == rule; });
}

SupervisionDecision supervise_one(const Project& p, const std::vector<SupervisionDecision>& history, greg::date on,
                                  const SupervisionThresholds& th = {}) {
    const std::vector<Project> ps{p};
    const auto ds = supervise(ps, history, th, on);
    REQUIRE(ds.size() == 1);
    return ds.front();
}

}  // namespace

TEST_CASE("§6.1 milestone weights are basis points summing to exactly 10000", "[projects]") {
    auto p = building(17);
    REQUIRE_NOTHROW(validate(p));
    p.milestones[4].weight_bp = 1999;
    CHECK(throws_invalid([&] { validate(p); }, "project 17 milestones: weights sum to 9999 basis points, not 10000"));
    // Thirds are not representable in binary floating point, but 3333 + 3333 + 3334 is exact.
    p.milestones = {{day(2025, 4, 1), "a", 3333, std::nullopt}, {day(2025, 8, 1), "b", 3333, std::nullopt},
                    {day(2025, 12, 1), "c", 3334, std::nullopt}};
    CHECK_NOTHROW(validate(p));
    p.milestones[0].weight_bp = 0;
    CHECK(throws_invalid([&] { validate(p); }, "weight 0 basis points is outside 1..10000"));
}

TEST_CASE("§6.1 a malformed project is refused naming the field", "[projects]") {
    const auto refused = [](auto change, const std::string& fragment) {
        auto p = building(9);
        change(p);
        return throws_invalid([&] { validate(p); }, fragment);
    };
    CHECK(refused([](Project& p) { p.milestones[4].due = day(2027, 1, 1); }, "project 9 milestones: milestone 4 (due 2027-01-01): due outside the project 2025-01-01 to 2026-12-31"));
    CHECK(refused([](Project& p) { p.budget = -1; }, "project 9 budget: -0.01 yuan is negative"));
    CHECK(refused([](Project& p) { p.funding.private_capital = 0; }, "project 9 funding: government 6,000,000.00 yuan + platform 3,000,000.00 yuan + private 0.00 yuan = 9,000,000.00 yuan, not the budget 10,000,000.00 yuan"));
    CHECK(refused([](Project& p) { p.spending[0].amount = -5; }, "project 9 spending: record 0 of 2025-03-01: -0.05 yuan is negative"));
    CHECK(refused([](Project& p) { p.disbursements.push_back({day(2025, 5, 1), 5 * million, "x"}); }, "project 9 disbursements: disbursed 7,000,000.00 yuan is above the government funding 6,000,000.00 yuan"));
    CHECK(refused([](Project& p) { p.name.clear(); }, "project 9 name: empty"));
    CHECK(refused([](Project& p) { p.id = ProjectId(0); }, "project 0 id: 0 is not positive"));
    CHECK(refused([](Project& p) { p.platforms.push_back(PlatformId(3)); }, "project 9 platforms: platform 3 listed twice"));
    CHECK(refused([](Project& p) { p.platforms.clear(); }, "project 9 platforms: no owning platform"));
    CHECK(refused([](Project& p) { p.end = day(2024, 12, 31); }, "project 9 end: 2024-12-31 is before the start 2025-01-01"));
    CHECK(refused([](Project& p) { p.milestones.clear(); }, "project 9 milestones: no milestone plan in the building stage"));
    CHECK(refused([](Project& p) { p.stage = ProjectStage::completed; }, "milestone 2 (due 2025-09-30): open in a completed project"));
    CHECK(refused([](Project& p) { p.milestones[1].description.clear(); }, "milestone 1 (due 2025-06-30): empty description"));
    CHECK(refused([](Project& p) { p.targets.push_back({"enterprises served", "", 0, std::nullopt, day(2026, 1, 1), false}); }, "target 0 'enterprises served': target 0 is not positive"));
    CHECK(refused([](Project& p) { p.kind = static_cast<ProjectKind>(9); }, "project 9 kind: 9 is not a project kind"));
    // A planned project may still be without a milestone plan.
    auto planned = building(9);
    planned.stage = ProjectStage::planned;
    planned.milestones.clear();
    CHECK_NOTHROW(validate(planned));
}

TEST_CASE("§6.2 spending above the budget needs a decision taken before it", "[projects]") {
    auto p = building(4);
    p.spending.push_back({day(2025, 9, 1), 8 * million, "overrun"});   // 11 million against a 10 million budget
    CHECK(throws_invalid([&] { validate(p); }, "project 4 spending: by 2025-09-01 spent 11,000,000.00 yuan, above the budget 10,000,000.00 yuan with no decision allowing it"));
    p.budget_decisions.push_back({day(2025, 9, 2), 1 * million, "budget adjustment 2025-17"});   // a day late
    CHECK(throws_invalid([&] { validate(p); }, "above the budget 10,000,000.00 yuan"));
    p.budget_decisions[0].on = day(2025, 9, 1);
    CHECK_NOTHROW(validate(p));
    p.budget_decisions[0].amount = 1 * million - 1;
    CHECK(throws_invalid([&] { validate(p); }, "above the budget with its decisions 10,999,999.99 yuan"));
    p.budget_decisions[0] = {day(2025, 9, 1), 1 * million, ""};
    CHECK(throws_invalid([&] { validate(p); }, "project 4 budget_decisions: decision 0 of 2025-09-01: no reference"));
}

TEST_CASE("§6.1 rolling pipeline: build a batch, reserve a batch, plan a batch", "[projects]") {
    auto done = building(1);
    for (auto& m : done.milestones) m.done = day(2026, 1, 10);
    std::vector<Project> ps{done,
                            building(2),
                            staged(3, ProjectStage::reserved, 90, 1 * million),
                            staged(4, ProjectStage::reserved, 80, 1 * million),
                            staged(5, ProjectStage::reserved, 70, 1 * million),
                            staged(6, ProjectStage::planned, 50, 1 * million),
                            staged(7, ProjectStage::planned, 60, 1 * million),
                            staged(8, ProjectStage::planned, 40, 1 * million)};
    const PipelineTargets targets{3, 3, 2, std::nullopt};
    const auto a = advance(ps, targets, {}, day(2026, 1, 15));

    CHECK(move_of(a, 1).outcome == PipelineOutcome::completed);
    CHECK(move_of(a, 1).reason == "all 5 milestones done, the last on 2026-01-10 → completed");
    CHECK(move_of(a, 2).reason == "2 of 5 milestones done (35 % of the plan): stays building");
    CHECK(move_of(a, 3).to == ProjectStage::building);
    CHECK(move_of(a, 3).reason == "rank 1 of 3: building stage 1 of 2 → building");
    CHECK(move_of(a, 4).to == ProjectStage::reserved);
    CHECK(move_of(a, 4).rule == "stage_full");
    CHECK(move_of(a, 4).reason == "rank 2 of 3: building stage full: 2 of 2");
    CHECK(move_of(a, 5).reason == "rank 3 of 3: building stage full: 2 of 2");
    // Project 3 left the reserve: one planned project (the best, 7) takes its place.
    CHECK(move_of(a, 7).to == ProjectStage::reserved);
    CHECK(move_of(a, 7).reason == "rank 1 of 3: reserved stage 2 of 3 → reserved");
    CHECK(move_of(a, 6).reason == "rank 2 of 3: reserved stage full: 3 of 3");
    CHECK(move_of(a, 8).rank == 3);
    REQUIRE(a.stages.size() == 5);
    CHECK(a.stages[0] == StageCount{ProjectStage::planned, 3, 2, 3, 1});
    CHECK(a.stages[1] == StageCount{ProjectStage::reserved, 3, 3, 3, 0});
    CHECK(a.stages[2] == StageCount{ProjectStage::building, 2, 2, 2, 0});
    CHECK(a.stages[3] == StageCount{ProjectStage::completed, 0, 1, -1, 0});
    CHECK(a.moves.size() == 8);

    // The same projects in another order give the same answer.
    auto reversed = ps;
    std::reverse(reversed.begin(), reversed.end());
    CHECK(advance(reversed, targets, {}, day(2026, 1, 15)) == a);

    apply(ps, a);
    CHECK(ps[0].stage == ProjectStage::completed);
    CHECK(ps[2].stage == ProjectStage::building);
    CHECK(ps[2].approved == day(2026, 1, 15));
    CHECK(ps[6].stage == ProjectStage::reserved);
    CHECK(ps[3].stage == ProjectStage::reserved);
    // The next step finds the pipeline settled: nothing moves.
    const auto again = advance(ps, targets, {}, day(2026, 1, 16));
    CHECK(std::none_of(again.moves.begin(), again.moves.end(), [](const PipelineMove& m) { return m.from != m.to; }));
}

TEST_CASE("§6.1 the year's government funding limit: who does not fit stays, a cheaper project may enter", "[projects]") {
    auto committed = staged(1, ProjectStage::building, 0, 8 * million);
    committed.approved = day(2026, 1, 5);
    committed.milestones[0].done = day(2026, 1, 20);
    auto last_year = staged(2, ProjectStage::building, 0, 6 * million);   // approved in 2025: not this year's money
    last_year.approved = day(2025, 6, 1);
    auto revoked = staged(3, ProjectStage::revoked, 0, 6 * million);      // only what was disbursed stays committed
    revoked.approved = day(2026, 1, 2);
    revoked.disbursements = {{day(2026, 1, 10), 500'000 * yuan, "first tranche"}};
    std::vector<Project> ps{committed, last_year, revoked, staged(4, ProjectStage::reserved, 90, 5 * million),
                            staged(5, ProjectStage::reserved, 80, 1'500'000 * yuan), staged(6, ProjectStage::reserved, 70, 1)};
    const PipelineTargets targets{10, 10, 10, 10 * million};
    const auto a = advance(ps, targets, {}, day(2026, 3, 1));
    CHECK(a.government_committed_before == 8'500'000 * yuan);
    CHECK(move_of(a, 4).rule == "funding_limit");
    CHECK(move_of(a, 4).reason ==
          "rank 1 of 3: government funding 8,500,000.00 yuan of 10,000,000.00 yuan committed in 2026, needs 5,000,000.00 yuan");
    CHECK(move_of(a, 5).to == ProjectStage::building);   // fits exactly: 8.5 + 1.5 = 10
    CHECK(move_of(a, 5).reason ==
          "rank 2 of 3: building stage 2 of 10, government funding 8,500,000.00 yuan + 1,500,000.00 yuan of 10,000,000.00 yuan in 2026 → building");
    CHECK(move_of(a, 6).reason == "rank 3 of 3: government funding 10,000,000.00 yuan of 10,000,000.00 yuan committed in 2026, needs 0.01 yuan");
    CHECK(a.government_committed_after == 10 * million);
    // In the next year the limit starts again, but a project whose planned end (2026-12-31) has
    // passed stays reserved until its dates are re-planned.
    apply(ps, a);
    const auto stale = advance(ps, targets, {}, day(2027, 1, 4));
    CHECK(move_of(stale, 4).rule == "plan_outdated");
    CHECK(move_of(stale, 4).reason == "rank 1 of 2: planned end 2026-12-31 has passed: re-plan its dates before it is built");
    for (auto& p : ps) {
        if (p.stage == ProjectStage::reserved) p.end = day(2027, 12, 31);   // re-planned
    }
    const auto next = advance(ps, targets, {}, day(2027, 1, 4));
    CHECK(move_of(next, 4).to == ProjectStage::building);
    CHECK(move_of(next, 6).to == ProjectStage::building);
}

TEST_CASE("§6.1 ranking: score, green channel, co-funding, start, id, or the office's own order", "[projects]") {
    auto a = staged(1, ProjectStage::reserved, 80, 5 * million);
    auto b = staged(2, ProjectStage::reserved, 80, 5 * million);
    b.green_channel = true;
    auto c = staged(3, ProjectStage::reserved, 80, 2 * million);   // more co-funding than a
    auto d = staged(4, ProjectStage::reserved, 90, 9 * million);   // best score
    auto e = staged(5, ProjectStage::reserved, 80, 5 * million);
    e.start = day(2024, 12, 1);                                     // earlier than a
    e.end = day(2026, 12, 31);
    const std::vector<Project> ps{a, b, c, d, e};
    const PipelineTargets none{0, 0, 0, std::nullopt};   // nothing moves: ranks only
    const auto r = advance(ps, none, {}, day(2026, 1, 1));
    CHECK(move_of(r, 4).rank == 1);
    CHECK(move_of(r, 2).rank == 2);
    CHECK(move_of(r, 3).rank == 3);
    CHECK(move_of(r, 5).rank == 4);
    CHECK(move_of(r, 1).rank == 5);
    const auto office = advance(ps, none, Ranking{{ProjectId(1), ProjectId(3)}}, day(2026, 1, 1));
    CHECK(move_of(office, 1).rank == 1);
    CHECK(move_of(office, 3).rank == 2);
    CHECK(move_of(office, 4).rank == 3);
    CHECK(throws_invalid([&] { advance(ps, none, Ranking{{ProjectId(1), ProjectId(1)}}, day(2026, 1, 1)); }, "ranking order 1: project 1 listed twice"));
    CHECK(throws_invalid([&] { advance(ps, PipelineTargets{0, -1, 0, std::nullopt}, {}, day(2026, 1, 1)); }, "pipeline targets reserved: -1 is negative"));
    const std::vector<Project> twice{a, a};
    CHECK(throws_invalid([&] { advance(twice, none, {}, day(2026, 1, 1)); }, "projects: project 1 listed twice"));
}

TEST_CASE("§6.1 a reserved project enters building only with a milestone plan (结点计划)", "[projects]") {
    auto p = staged(1, ProjectStage::reserved, 90, 1 * million);
    p.milestones.clear();
    const std::vector<Project> ps{p, staged(2, ProjectStage::reserved, 10, 1 * million)};
    const auto a = advance(ps, PipelineTargets{5, 5, 5, std::nullopt}, {}, day(2026, 1, 1));
    CHECK(move_of(a, 1).rule == "no_milestone_plan");
    CHECK(move_of(a, 2).to == ProjectStage::building);
}

TEST_CASE("§6.1 green channel: fewer and shorter approval steps, agency handling recorded", "[projects]") {
    auto p = building(12);
    const auto paths = ApprovalPaths::standard();
    const auto normal = approval_schedule(p, paths, day(2025, 3, 3));
    CHECK(normal.path == "normal");
    CHECK_FALSE(normal.green_channel);
    REQUIRE(normal.steps.size() == 4);
    CHECK(normal.steps[0].start == day(2025, 3, 3));
    CHECK(normal.steps[0].due == day(2025, 3, 22));
    CHECK(normal.steps[1].start == day(2025, 3, 23));
    CHECK(normal.steps[3].due == day(2025, 5, 26));
    CHECK(normal.approved_by == day(2025, 5, 26));
    CHECK(normal.days == 85);
    CHECK(normal.steps[0].handled_by == "owner");

    p.green_channel = true;
    p.agent = "Xihu investment project agency service (代办)";
    const auto green = approval_schedule(p, paths, day(2025, 3, 3));
    CHECK(green.path == "green channel");
    CHECK(green.steps.size() == 3);
    CHECK(green.days == 25);
    CHECK(green.approved_by == day(2025, 3, 27));
    CHECK(green.agent == p.agent);
    CHECK(green.steps[2].handled_by == p.agent);

    // In working days, across National Day 2025 (1-8 October off, Saturday 11 October worked).
    const auto calendar = Calendar::standard_working_week();
    const auto worked = approval_schedule(p, paths, day(2025, 9, 27), &calendar);   // a Saturday
    CHECK(worked.steps[0].start == day(2025, 9, 28));   // the make-up Sunday is worked
    CHECK(worked.steps[0].due == day(2025, 10, 16));    // 28, 29, 30 Sep; 9, 10, 11, 13, 14, 15, 16 Oct
    CHECK(worked.steps[1].start == day(2025, 10, 17));
    CHECK(worked.steps[1].due == day(2025, 10, 30));
    CHECK(worked.approved_by == day(2025, 11, 6));

    auto bad = paths;
    bad.green_channel.steps[1].days = 0;
    CHECK(throws_invalid([&] { approval_schedule(p, bad, day(2025, 3, 3)); }, "approval path green_channel step 1 'design and budget estimate review': 0 days is outside 1..3650"));
}

TEST_CASE("§6.2 progress behind the milestone plan: rectify by a deadline, with the figures", "[projects]") {
    const auto d = supervise_one(building(17), {}, day(2025, 12, 31));
    CHECK(d.verdict == Verdict::rectify);
    CHECK(d.rule == "progress_behind");
    CHECK(d.deadline == day(2026, 3, 31));
    CHECK(d.reason == "progress 35 % vs 60 % planned: behind by 25 points ≥ 20 → rectify by 2026-03-31");
    CHECK(d.figures.done_bp == 3500);
    CHECK(d.figures.planned_bp == 6000);
    CHECK(d.figures.spent == 3 * million);
    CHECK(d.figures.spent_bp == 3000);
    CHECK(d.figures.disbursed == 2 * million);
    CHECK(d.figures.idle == 0);

    // At exactly the warning threshold: warning; one point less: on track.
    auto p = building(17);
    p.milestones[2].weight_bp = 1500;
    p.milestones[3].weight_bp = 3000;   // 60 % → 50 % due, 35 % done: 15 points
    CHECK(supervise_one(p, {}, day(2025, 12, 31)).verdict == Verdict::warning);
    p.milestones[1].weight_bp = 3500;
    p.milestones[2].weight_bp = 1000;
    p.milestones[3].weight_bp = 2500;   // 45 % done, 55 % due: 10 points exactly
    const auto w = supervise_one(p, {}, day(2025, 12, 31));
    CHECK(w.verdict == Verdict::warning);
    CHECK(w.reason == "progress 45 % vs 55 % planned: behind by 10 points ≥ 10 → warning");
    CHECK_FALSE(w.deadline);
    p.milestones[2].done = day(2025, 9, 29);
    const auto ok = supervise_one(p, {}, day(2025, 12, 31));
    CHECK(ok.verdict == Verdict::on_track);
    CHECK(ok.rule == "on_track");
    CHECK(ok.reason == "progress 55 % vs 55 % planned, spent 30 % of the budget → on track");
}

TEST_CASE("§6.2 spending against budget and disbursements, performance targets, overdue", "[projects]") {
    SECTION("spending ahead of the work done") {
        auto p = building(8);
        p.milestones[2].done = day(2025, 9, 30);   // 60 % done, on plan
        p.spending.push_back({day(2025, 11, 1), 6'500'000 * yuan, "servers"});   // 95 % spent
        const auto d = supervise_one(p, {}, day(2025, 12, 31));
        CHECK(d.verdict == Verdict::warning);
        CHECK(d.reason == "spent 95 % of the budget (9,500,000.00 yuan of 10,000,000.00 yuan) vs 60 % of the work done: "
                          "ahead by 35 points ≥ 25 → warning");
    }
    SECTION("disbursed funds left idle") {
        auto p = building(8);
        p.milestones[2].done = day(2025, 9, 30);
        p.disbursements.push_back({day(2025, 7, 1), 4 * million, "second tranche"});   // 6 million disbursed
        p.spending.push_back({day(2025, 8, 1), 500'000 * yuan, "licences"});           // 3.5 million spent
        const auto d = supervise_one(p, {}, day(2025, 12, 31));
        CHECK(d.figures.idle == 2'500'000 * yuan);
        CHECK(d.figures.idle_bp == 4166);
        CHECK(d.verdict == Verdict::on_track);
        SupervisionThresholds th;
        th.idle_warning_bp = 4000;
        const auto w = supervise_one(p, {}, day(2025, 12, 31), th);
        CHECK(w.rule == "funds_idle");
        CHECK(w.reason == "of 6,000,000.00 yuan disbursed by 2025-10-02, 2,500,000.00 yuan not spent: idle 41.66 % ≥ 40 % → warning");
        // Money disbursed within the last idle_after_days is not yet idle.
        CHECK(supervise_one(p, {}, day(2025, 9, 1), th).figures.idle == 0);
    }
    SECTION("performance targets, a floor, a ceiling, one not reported") {
        auto p = building(8);
        p.milestones[2].done = day(2025, 9, 30);
        p.targets = {{"enterprises served", "", 500, 450, day(2025, 12, 1), false},
                     {"response time", "days", 10, 12, day(2025, 12, 1), true},
                     {"instrument hours", "h", 1600, std::nullopt, day(2026, 6, 30), false}};
        const auto d = supervise_one(p, {}, day(2025, 12, 31));
        CHECK(d.figures.targets_due == 2);
        CHECK(d.figures.worst_target_bp == 8333);   // 10 / 12
        CHECK(d.verdict == Verdict::on_track);
        p.targets[0].measured = 390;
        const auto w = supervise_one(p, {}, day(2025, 12, 31));
        CHECK(w.reason == "target 'enterprises served' due 2025-12-01: 390 of 500 (78 % achieved) < 80 % → warning");
        const auto late = supervise_one(p, {}, day(2026, 7, 1));
        CHECK(late.verdict == Verdict::rectify);
        CHECK(has_rule(late, "target_short"));
        const auto it = std::find_if(late.findings.begin(), late.findings.end(), [](const Finding& f) {
            return f.text.find("instrument hours") != std::string::npos;
        });
        REQUIRE(it != late.findings.end());
        CHECK(it->text == "target 'instrument hours' due 2026-06-30: not reported (0 % achieved) < 50 %");
        CHECK(it->verdict == Verdict::rectify);
    }
    SECTION("past the planned end with milestones open") {
        auto p = building(8);
        for (std::size_t i = 0; i < 4; ++i) p.milestones[i].done = p.milestones[i].due;
        p.milestones[4].weight_bp = 500;    // 95 % done when the last is still open: behind by 5 only
        p.milestones[3].weight_bp = 3500;
        const auto d = supervise_one(p, {}, day(2027, 1, 30));
        CHECK(d.figures.overdue_days == 30);
        CHECK(d.verdict == Verdict::warning);
        CHECK(d.reason == "planned end 2026-12-31 passed with 1 of 5 milestones open: overdue by 30 days ≥ 1 → warning");
        CHECK(supervise_one(p, {}, day(2027, 3, 31)).verdict == Verdict::rectify);
    }
}

TEST_CASE("§6.2 a missed rectification deadline escalates: rectify → suspend funding → revoke", "[projects]") {
    const auto p = building(17);
    std::vector<SupervisionDecision> history;
    const auto step = [&](greg::date on) {
        history.push_back(supervise_one(p, history, on));
        return history.back();
    };
    const auto first = step(day(2025, 12, 31));
    CHECK(first.verdict == Verdict::rectify);
    CHECK(first.deadline == day(2026, 3, 31));

    const auto pending = step(day(2026, 2, 28));   // still behind: the deadline does not move
    CHECK(pending.verdict == Verdict::rectify);
    CHECK(pending.rule == "rectification_pending");
    CHECK(pending.deadline == day(2026, 3, 31));
    CHECK(pending.reason == "rectification due by 2026-03-31: still in progress → rectify by 2026-03-31");

    const auto suspended = step(day(2026, 4, 30));
    CHECK(suspended.verdict == Verdict::suspend_funding);
    CHECK(suspended.rule == "rectification_missed");
    CHECK(suspended.deadline == day(2026, 7, 29));
    CHECK(suspended.reason == "rectification due by 2026-03-31: not achieved → suspend funding until recovery; revoke if not "
                              "recovered by 2026-07-29");
    CHECK(has_rule(suspended, "progress_behind"));   // the figures stay listed

    const auto still = step(day(2026, 6, 30));
    CHECK(still.verdict == Verdict::suspend_funding);
    CHECK(still.deadline == day(2026, 7, 29));

    const auto revoked = step(day(2026, 8, 31));
    CHECK(revoked.verdict == Verdict::revoke);
    CHECK(revoked.rule == "suspension_missed");
    CHECK_FALSE(revoked.deadline);
    CHECK(revoked.reason == "funding suspended, recovery due by 2026-07-29: not recovered → revoke");
    CHECK(step(day(2026, 9, 30)).rule == "revoked");

    // Supervising as of an earlier date ignores the later history.
    CHECK(supervise_one(p, history, day(2026, 3, 1)).rule == "rectification_pending");
    // Running a day again with its own decisions in the history repeats them.
    const auto rerun = supervise_one(p, history, day(2026, 4, 30));
    CHECK(rerun == suspended);
}

TEST_CASE("§6.2 a rectification achieved in time, or a recovery under suspension, ends the escalation", "[projects]") {
    auto p = building(17);
    std::vector<SupervisionDecision> history{supervise_one(p, {}, day(2025, 12, 31))};
    p.milestones[2].done = day(2026, 3, 15);   // 60 % done, 60 % due
    const auto d = supervise_one(p, history, day(2026, 3, 20));
    CHECK(d.verdict == Verdict::on_track);
    CHECK(d.rule == "rectified");
    CHECK(d.reason == "rectification due by 2026-03-31 achieved → on track");

    auto q = building(18);
    history = {supervise_one(q, {}, day(2025, 12, 31))};
    history.push_back(supervise_one(q, history, day(2026, 4, 30)));
    REQUIRE(history.back().verdict == Verdict::suspend_funding);
    q.milestones[2].done = day(2026, 5, 10);
    q.milestones[3].done = day(2026, 5, 20);   // 80 % done, 80 % due
    const auto restored = supervise_one(q, history, day(2026, 6, 1));
    CHECK(restored.verdict == Verdict::on_track);
    CHECK(restored.rule == "funding_restored");
}

TEST_CASE("§6.2 only building projects are supervised, in id order", "[projects]") {
    const std::vector<Project> ps{building(30), staged(4, ProjectStage::reserved, 0, 1), building(7),
                                  staged(5, ProjectStage::planned, 0, 1)};
    const auto ds = supervise(ps, {}, {}, day(2025, 12, 31));
    REQUIRE(ds.size() == 2);
    CHECK(ds[0].project == ProjectId(7));
    CHECK(ds[1].project == ProjectId(30));
}

TEST_CASE("§6.2 thresholds are checked", "[projects]") {
    SupervisionThresholds th;
    CHECK_NOTHROW(validate(th));
    th.behind_rectify_bp = 500;
    CHECK(throws_invalid([&] { validate(th); }, "supervision thresholds behind_rectify_bp: 500 is below behind_warning_bp 1000"));
    th = {};
    th.target_rectify_bp = 9000;
    CHECK(throws_invalid([&] { validate(th); }, "target_rectify_bp: 9000 is above target_warning_bp 8000"));
    th = {};
    th.rectify_days = 0;
    CHECK(throws_invalid([&] { validate(th); }, "supervision thresholds rectify_days: 0 is outside 1..3650"));
    th = {};
    th.idle_warning_bp = 10001;
    CHECK(throws_invalid([&] { supervise(std::vector<Project>{building(1)}, {}, th, day(2025, 12, 31)); }, "idle_warning_bp"));
}

TEST_CASE("§6.2 the periodic supervision report (定期出具监管报告) as JSON and as text", "[projects]") {
    auto fine = building(3);
    fine.milestones[2].done = day(2025, 9, 30);
    fine.green_channel = true;
    fine.agent = "district agency service";
    const std::vector<Project> ps{building(17), fine, staged(40, ProjectStage::reserved, 0, 1)};
    std::vector<SupervisionDecision> decisions = supervise(ps, {}, {}, day(2025, 12, 31));
    const auto older = supervise(ps, {}, {}, day(2025, 10, 31));   // same period, superseded
    decisions.insert(decisions.begin(), older.begin(), older.end());
    const ReportPeriod q4{"2025 Q4", day(2025, 10, 1), day(2025, 12, 31)};
    const auto r = supervision_report(ps, decisions, "Xihu District Service Industry Office", q4);
    REQUIRE(r.entries.size() == 2);
    CHECK(r.entries[0].project == ProjectId(17));   // most severe first
    CHECK(r.entries[0].decision.on == day(2025, 12, 31));
    CHECK(r.count[static_cast<std::size_t>(Verdict::rectify)] == 1);
    CHECK(r.count[static_cast<std::size_t>(Verdict::on_track)] == 1);
    CHECK(r.budget == 20 * million);
    CHECK(r.spent == 6 * million);

    const auto j = nlohmann::json::parse(supervision_report_json(r));
    CHECK(j["period"]["first"] == "2025-10-01");
    CHECK(j["count"]["rectify"] == 1);
    CHECK(j["entries"][0]["decision"]["verdict"] == "rectify");
    CHECK(j["entries"][0]["decision"]["deadline"] == "2026-03-31");
    CHECK(j["entries"][0]["decision"]["figures"]["done_bp"] == 3500);
    CHECK(j["entries"][1]["decision"]["deadline"].is_null());

    const auto text = supervision_report_text(r);
    INFO(text);
    CHECK(text.find("MAJOR PLATFORM PROJECTS: SUPERVISION REPORT, 2025 Q4\nFiled by Xihu District Service Industry Office\n") == 0);
    CHECK(text.find("Decisions: revoke 0, suspend funding 0, rectify 1, warning 0, on track 1.") != std::string::npos);
    CHECK(text.find("[1] Project 17 \"Zone testing database 17\" (database; platforms 3, 5)\n"
                    "    Decision of 2025-12-31: RECTIFY by 2026-03-31\n"
                    "    Reason: progress 35 % vs 60 % planned: behind by 25 points ≥ 20\n") != std::string::npos);
    CHECK(text.find("- Project 3 \"Zone testing database 3\" (database; platforms 3, 5; green channel; approval handled by "
                    "district agency service): progress 60 % vs 60 % planned, spent 30 % of the budget → on track") != std::string::npos);

    CHECK(throws_invalid([&] { supervision_report(ps, decisions, "", {"x", day(2026, 1, 1), day(2025, 1, 1)}); }, "report period"));
    const std::vector<Project> fewer{fine};
    CHECK_THROWS_AS(supervision_report(fewer, decisions, "", q4), Error);
}

TEST_CASE("§6 projects and decisions round-trip through JSON, strictly", "[projects]") {
    auto p = building(17);
    p.targets = {{"enterprises served", "", 500, 450, day(2025, 12, 1), false}, {"response", "days", 10, std::nullopt, day(2026, 1, 1), true}};
    p.budget_decisions = {{day(2025, 9, 1), 1 * million, "budget adjustment 2025-17"}};
    p.green_channel = true;
    p.agent = "agency";
    CHECK(json::project_from_json(json::to_json(p)) == p);
    const auto d = supervise_one(p, {}, day(2025, 12, 31));
    CHECK(json::decision_from_json(json::to_json(d)) == d);

    auto j = json::to_json(p);
    j["milestones"][1]["weight_bp"] = 2400;
    CHECK(throws_invalid([&] { json::project_from_json(j, "/projects/0"); }, "/projects/0: project 17 milestones: weights sum to 9900"));
    j = json::to_json(p);
    j["start"] = "2025-02-30";
    CHECK(throws_invalid([&] { json::project_from_json(j); }, "/start: no such date \"2025-02-30\""));
    j = json::to_json(p);
    j["colour"] = "red";
    CHECK(throws_invalid([&] { json::project_from_json(j); }, "/colour: unknown key"));
    auto dj = json::to_json(d);
    dj["deadline"] = nullptr;
    CHECK(throws_invalid([&] { json::decision_from_json(dj); }, "a rectify decision needs a deadline"));
    // The pipeline and approval outcomes are exported too.
    const auto a = advance(std::vector<Project>{p}, {}, {}, day(2026, 1, 1));
    CHECK(json::to_json(a)["moves"][0]["rule"] == "milestones_open");
    CHECK(json::to_json(approval_schedule(p, ApprovalPaths::standard(), day(2025, 3, 3)))["days"] == 25);
}
