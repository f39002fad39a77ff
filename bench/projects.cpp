// Issue 6 "Performance": supervise() of 20,000 major projects on a date (region scale), target <= 1 s,
// with a year of history behind it (one decision per project per quarter); also the projects in
// random order, advance() of a pipeline of the same size, and the period's report as JSON and text.
//   psp_projects [--projects N] [--runs N] [--strict]
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <unistd.h>

#include <boost/date_time/gregorian/gregorian.hpp>

#include "psp/database.hpp"
#include "psp/projects.hpp"
#include "timing.hpp"

using namespace psp;
using psp::bench::Clock;
using psp::bench::seconds_since;
using psp::bench::Timing;
using psp::bench::time_runs;
namespace greg = boost::gregorian;

namespace {

constexpr Fen yuan = 100;

// A building project of 2 to 4 years: 6 to 10 milestones (weights in basis points, the last takes the
// rest), monthly spending and quarterly disbursements so far, 3 performance targets; about a quarter
// of them behind their plan, some overspending, some with idle funds.
Project project(std::int64_t id, greg::date today, std::mt19937_64& rng) {
    const auto pick = [&rng](int lo, int hi) { return lo + static_cast<int>(rng() % static_cast<std::uint64_t>(hi - lo + 1)); };
    Project p;
    p.id = ProjectId(id);
    p.name = "project " + std::to_string(id);
    p.kind = static_cast<ProjectKind>(pick(0, project_kind_count - 1));
    p.platforms = {PlatformId(pick(1, 3000))};
    if (pick(0, 3) == 0) p.platforms.push_back(PlatformId(3001 + pick(0, 99)));
    p.budget = static_cast<Fen>(pick(1, 500)) * 100'000 * yuan;
    p.funding.government = p.budget / 10 * pick(3, 7);
    p.funding.platform = (p.budget - p.funding.government) / 2;
    p.funding.private_capital = p.budget - p.funding.government - p.funding.platform;
    p.stage = ProjectStage::building;
    p.score = pick(50, 100);
    p.green_channel = pick(0, 4) == 0;
    p.start = today - greg::days(pick(60, 900));
    p.end = p.start + greg::days(pick(730, 1460));
    p.approved = p.start;
    const int n = pick(6, 10);
    const int span = static_cast<int>((p.end - p.start).days());
    int left = 10'000;
    const bool late = pick(0, 3) == 0;
    for (int i = 0; i < n; ++i) {
        const int w = i + 1 == n ? left : std::min(left - (n - i - 1), pick(500, 1500));
        left -= w;
        Milestone m{p.start + greg::days(span * (i + 1) / n), "milestone " + std::to_string(i + 1), w, std::nullopt};
        if (m.due <= today && !(late && i % 2 == 1)) m.done = m.due - greg::days(pick(0, 20));
        if (m.done && *m.done < p.start) m.done = p.start;
        p.milestones.push_back(std::move(m));
    }
    const int months = static_cast<int>((today - p.start).days() / 30);
    const Fen monthly = p.budget / (span / 30 + 1) * pick(80, 130) / 100;
    Fen spent = 0, disbursed = 0;
    for (int m = 0; m < months; ++m) {
        const auto on = p.start + greg::days(30 * m + 15);
        if (spent + monthly <= p.budget) {
            p.spending.push_back({on, monthly, "invoice"});
            spent += monthly;
        }
        if (m % 3 == 0 && disbursed + p.funding.government / 8 <= p.funding.government) {
            p.disbursements.push_back({on, p.funding.government / 8, "tranche"});
            disbursed += p.funding.government / 8;
        }
    }
    p.targets = {{"enterprises served", "", 500, pick(300, 600), p.start + greg::days(365), false},
                 {"instrument hours", "h", 1600, pick(800, 2000), p.start + greg::days(730), false},
                 {"response time", "days", 10, pick(5, 15), p.start + greg::days(365), true}};
    return p;
}

}  // namespace

// The same through psp::Database on a file: the owning platforms exist, the projects and a year of
// decisions are stored, then one supervision on `today` decides, writes and journals every decision
// in one transaction. Returns its seconds (one run: a second run on the same date would escalate).
double supervise_stored(const std::vector<Project>& projects, greg::date today, std::size_t& decided) {
    const std::string path = "/tmp/psp-bench-projects-" + std::to_string(::getpid()) + ".psp";
    std::remove(path.c_str());
    {
        auto db = Database::open(path);
        const auto office = Actor::office();
        db.transaction([&] {
            const auto district = db.add(office, District{{}, "Region", 1.0, 1.0});
            for (int i = 1; i <= 3100; ++i) {
                Platform p;
                p.name = "platform " + std::to_string(i);
                p.services = {ServiceKind::technology_rd};
                p.site = district;
                p.status = PlatformStatus::operating;
                (void)db.add(office, p);
            }
            for (const auto& p : projects) (void)db.add_project(office, p);
        });
        for (const auto q : {greg::date(2025, 6, 30), greg::date(2025, 9, 30), greg::date(2025, 12, 31)}) {
            (void)db.supervise(office, {}, q);
        }
    }
    auto db = Database::open(path);
    const auto t0 = Clock::now();
    decided = db.supervise(Actor::office(), {}, today).size();
    const double s = seconds_since(t0);
    std::remove(path.c_str());
    return s;
}

int main(int argc, char** argv) {
    int count = 20'000, runs = 7;
    bool strict = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--projects" && i + 1 < argc) count = std::stoi(argv[++i]);
        else if (a == "--runs" && i + 1 < argc) runs = std::stoi(argv[++i]);
        else if (a == "--strict") strict = true;
        else {
            std::fprintf(stderr, "usage: %s [--projects N] [--runs N] [--strict]\n", argv[0]);
            return 2;
        }
    }
    if (count < 1 || runs < 1) {
        std::fprintf(stderr, "need projects >= 1, runs >= 1\n");
        return 2;
    }
    const greg::date today(2026, 3, 31);
    std::mt19937_64 rng(2026);
    std::vector<Project> projects;
    projects.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) projects.push_back(project(i + 1, today, rng));

    // A year of quarterly supervision behind today.
    const SupervisionThresholds th;
    std::vector<SupervisionDecision> history;
    for (const auto q : {greg::date(2025, 6, 30), greg::date(2025, 9, 30), greg::date(2025, 12, 31)}) {
        const auto ds = supervise(projects, history, th, q);
        history.insert(history.end(), ds.begin(), ds.end());
    }

    std::vector<SupervisionDecision> decisions;
    const Timing sup = time_runs(runs, [&] { decisions = supervise(projects, history, th, today); });
    std::array<int, verdict_count> by{};
    for (const auto& d : decisions) ++by[static_cast<std::size_t>(d.verdict)];

    auto shuffled = projects;
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    std::vector<SupervisionDecision> again;
    const Timing sup_shuffled = time_runs(runs, [&] { again = supervise(shuffled, history, th, today); });
    const bool same = again == decisions;

    // A pipeline of the same size: a third each planned, reserved, building.
    auto pipeline = projects;
    for (std::size_t i = 0; i < pipeline.size(); ++i) {
        if (i % 3 == 0) pipeline[i].stage = ProjectStage::planned;
        if (i % 3 == 1) pipeline[i].stage = ProjectStage::reserved;
    }
    const PipelineTargets targets{8000, 7000, 7000, 2'000'000'000 * yuan};
    PipelineAdvance adv;
    const Timing pipe = time_runs(runs, [&] { adv = advance(pipeline, targets, {}, today); });
    std::size_t moved = 0;
    for (const auto& m : adv.moves) moved += m.from != m.to ? 1 : 0;

    history.insert(history.end(), decisions.begin(), decisions.end());
    const ReportPeriod q1{"2026 Q1", greg::date(2026, 1, 1), today};
    std::size_t json_bytes = 0, text_bytes = 0;
    const Timing report = time_runs(runs, [&] {
        const auto r = supervision_report(projects, history, "Region Service Industry Office", q1);
        json_bytes = supervision_report_json(r).size();
        text_bytes = supervision_report_text(r).size();
    });

    std::printf("projects: %d in building, %zu decisions of history (3 quarters)\n", count, history.size() - decisions.size());
    std::printf("decisions on %s: on track %d, warning %d, rectify %d, suspend funding %d, revoke %d\n",
                greg::to_iso_extended_string(today).c_str(), by[0], by[1], by[2], by[3], by[4]);
    std::printf("supervise:           median %.3f s (best %.3f, worst %.3f) of %d runs (target <= 1 s)\n", sup.median, sup.best,
                sup.worst, runs);
    std::printf("supervise, shuffled: median %.3f s; same decisions: %s\n", sup_shuffled.median, same ? "yes" : "NO");
    std::printf("advance (%d projects, %zu moved): median %.3f s\n", count, moved, pipe.median);
    std::printf("report of the quarter (JSON %zu bytes, text %zu bytes): median %.3f s\n", json_bytes, text_bytes, report.median);
    std::size_t stored_decisions = 0;
    const double stored = supervise_stored(projects, today, stored_decisions);
    std::printf("supervise through Database (file, %zu decisions stored and journaled): %.3f s (target <= 1 s)\n",
                stored_decisions, stored);
    const bool met = sup.median <= 1.0 && same && stored <= 1.0;
    std::printf("target: %s\n", met ? "met" : "NOT met");
    return strict && !met ? 1 : 0;
}
