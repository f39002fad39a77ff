// The rolling pipeline (include/psp/projects.hpp, §6.1 "建设一批、储备一批、谋划一批"): completions free
// building room, the best-ranked reserved projects fill it within the year's government funding, the
// best-ranked planned projects fill the reserve. Every project gets its reason.
#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "projects/format.hpp"
#include "projects/project_checks.hpp"
#include "psp/error.hpp"
#include "psp/projects.hpp"

namespace psp {
namespace {

using namespace projects;

[[noreturn]] void invalid(const std::string& message) { throw Error(ErrorCode::invalid, message); }

// The sort key of the ranking rule; smaller is better.
struct RankKey {
    std::size_t listed;    // place in the caller's order; SIZE_MAX when not listed
    int score;             // negated
    int green;             // 0 green, 1 normal
    int public_share_bp;   // government share of the budget (lower = more co-funding)
    greg::date start;
    std::int64_t id;
    friend bool operator<(const RankKey& a, const RankKey& b) {
        if (a.listed != b.listed) return a.listed < b.listed;
        if (a.score != b.score) return a.score < b.score;
        if (a.green != b.green) return a.green < b.green;
        if (a.public_share_bp != b.public_share_bp) return a.public_share_bp < b.public_share_bp;
        if (a.start != b.start) return a.start < b.start;
        return a.id < b.id;
    }
};

std::unordered_map<std::int64_t, std::size_t> listed_places(const Ranking& r) {
    std::unordered_map<std::int64_t, std::size_t> places;
    for (std::size_t i = 0; i < r.order.size(); ++i) {
        const auto id = r.order[i].value;
        if (id <= 0) invalid("ranking order " + std::to_string(i) + ": project id " + std::to_string(id) + " is not positive");
        if (!places.emplace(id, i).second) invalid("ranking order " + std::to_string(i) + ": project " + std::to_string(id) + " listed twice");
    }
    return places;
}

// The projects of one stage, best first.
std::vector<const Project*> ranked(std::span<const Project> projects, ProjectStage stage,
                                   const std::unordered_map<std::int64_t, std::size_t>& places) {
    std::vector<std::pair<RankKey, const Project*>> keyed;
    for (const auto& p : projects) {
        if (p.stage != stage) continue;
        const auto it = places.find(p.id.value);
        // With a zero budget there is no public money to lever: ranked as if fully public.
        const int public_share = p.budget > 0 ? share_bp(p.funding.government, p.budget) : full_bp;
        keyed.push_back({{it == places.end() ? SIZE_MAX : it->second, -p.score, p.green_channel ? 0 : 1, public_share,
                          p.start, p.id.value},
                         &p});
    }
    std::sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<const Project*> out;
    out.reserve(keyed.size());
    for (const auto& k : keyed) out.push_back(k.second);
    return out;
}

void add_checked(Fen& sum, Fen v, int year) {
    if (__builtin_add_overflow(sum, v, &sum)) {
        invalid("projects: government funding committed in " + std::to_string(year) + " does not fit in 64 bits");
    }
}

int commit_year(const Project& p) { return static_cast<int>((p.approved ? *p.approved : p.start).year()); }

// What a project holds of its commitment year's government funding.
Fen committed(const Project& p) {
    switch (p.stage) {
    case ProjectStage::building:
    case ProjectStage::completed: return p.funding.government;
    case ProjectStage::revoked: {
        Fen sum = 0;
        for (const auto& r : p.disbursements) sum += r.amount;   // <= government: validated
        return sum;
    }
    default: return 0;
    }
}

std::string rank_of(int rank, std::size_t of) {
    return std::string("rank ").append(std::to_string(rank)).append(" of ").append(std::to_string(of));
}

std::string stage_of(const char* stage, int count, int target) {
    return std::string(stage).append(" stage ").append(std::to_string(count)).append(" of ").append(std::to_string(target));
}

}  // namespace

void validate(const PipelineTargets& t) {
    if (t.planned < 0) invalid("pipeline targets planned: " + std::to_string(t.planned) + " is negative");
    if (t.reserved < 0) invalid("pipeline targets reserved: " + std::to_string(t.reserved) + " is negative");
    if (t.building < 0) invalid("pipeline targets building: " + std::to_string(t.building) + " is negative");
    if (t.government_per_year && *t.government_per_year < 0) {
        invalid("pipeline targets government_per_year: " + yuan(*t.government_per_year) + " is negative");
    }
}

PipelineAdvance advance(std::span<const Project> projects, const PipelineTargets& targets, const Ranking& ranking,
                        greg::date on) {
    validate(targets);
    validate_all(projects);
    const auto places = listed_places(ranking);

    PipelineAdvance out;
    out.on = on;
    out.government_limit = targets.government_per_year;
    std::array<int, project_stage_count> before{}, after{};
    const int year = static_cast<int>(on.year());
    Fen used = 0;
    for (const auto& p : projects) {
        ++before[static_cast<std::size_t>(p.stage)];
        if (commit_year(p) == year) add_checked(used, committed(p), year);
    }
    out.government_committed_before = used;
    after = before;
    const auto move = [&](ProjectStage from, ProjectStage to) {
        --after[static_cast<std::size_t>(from)];
        ++after[static_cast<std::size_t>(to)];
    };

    // 1. Completions: a building project whose milestones are all done by the date.
    std::vector<const Project*> building;
    for (const auto& p : projects) {
        if (p.stage == ProjectStage::building) building.push_back(&p);
    }
    std::sort(building.begin(), building.end(), [](const Project* a, const Project* b) { return a->id < b->id; });
    for (const auto* p : building) {
        int done = 0, done_bp = 0;
        greg::date last = p->start;
        for (const auto& m : p->milestones) {
            if (m.done && *m.done <= on) {
                ++done;
                done_bp += m.weight_bp;
                last = std::max(last, *m.done);
            }
        }
        const auto n = std::to_string(p->milestones.size());
        if (done == static_cast<int>(p->milestones.size())) {
            move(ProjectStage::building, ProjectStage::completed);
            out.moves.push_back({p->id, ProjectStage::building, ProjectStage::completed, PipelineOutcome::completed, 0,
                                 "milestones_done",
                                 std::string("all ").append(n).append(" milestones done, the last on ").append(iso(last)).append(" → completed")});
        } else {
            out.moves.push_back({p->id, ProjectStage::building, ProjectStage::building, PipelineOutcome::stayed, 0,
                                 "milestones_open",
                                 std::to_string(done).append(" of ").append(n).append(" milestones done (").append(percent(done_bp))
                                     .append(" of the plan): stays building")});
        }
    }

    // 2. Reserved → building, within room and the year's government funding.
    const auto reserved = ranked(projects, ProjectStage::reserved, places);
    for (std::size_t i = 0; i < reserved.size(); ++i) {
        const auto* p = reserved[i];
        const int rank = static_cast<int>(i) + 1;
        const int count = after[static_cast<std::size_t>(ProjectStage::building)];
        const Fen needs = p->funding.government;
        PipelineMove m{p->id, ProjectStage::reserved, ProjectStage::reserved, PipelineOutcome::stayed, rank, "", ""};
        std::string head = rank_of(rank, reserved.size()).append(": ");
        if (count >= targets.building) {
            m.rule = "stage_full";
            m.reason = head.append("building stage full: ").append(std::to_string(count)).append(" of ").append(std::to_string(targets.building));
        } else if (p->milestones.empty()) {
            m.rule = "no_milestone_plan";
            m.reason = head.append("no milestone plan (结点计划) to build against: stays reserved");
        } else if (p->end < on) {
            // Building it now would put it behind plan on its first day: its dates need re-planning.
            m.rule = "plan_outdated";
            m.reason = head.append("planned end ").append(iso(p->end)).append(" has passed: re-plan its dates before it is built");
        } else if (targets.government_per_year && (needs > *targets.government_per_year - used)) {
            m.rule = "funding_limit";
            m.reason = head.append("government funding ").append(yuan(used)).append(" of ").append(yuan(*targets.government_per_year))
                           .append(" committed in ").append(std::to_string(year)).append(", needs ").append(yuan(needs));
        } else {
            m.to = ProjectStage::building;
            m.outcome = PipelineOutcome::promoted;
            m.rule = "promoted";
            head.append(stage_of("building", count, targets.building));
            if (targets.government_per_year) {
                head.append(", government funding ").append(yuan(used)).append(" + ").append(yuan(needs)).append(" of ")
                    .append(yuan(*targets.government_per_year)).append(" in ").append(std::to_string(year));
            }
            m.reason = head.append(" → building");
            add_checked(used, needs, year);
            move(ProjectStage::reserved, ProjectStage::building);
        }
        out.moves.push_back(std::move(m));
    }

    // 3. Planned → reserved, within room (what step 2 freed counts).
    const auto planned = ranked(projects, ProjectStage::planned, places);
    for (std::size_t i = 0; i < planned.size(); ++i) {
        const auto* p = planned[i];
        const int rank = static_cast<int>(i) + 1;
        const int count = after[static_cast<std::size_t>(ProjectStage::reserved)];
        PipelineMove m{p->id, ProjectStage::planned, ProjectStage::planned, PipelineOutcome::stayed, rank, "", ""};
        std::string head = rank_of(rank, planned.size()).append(": ");
        if (count >= targets.reserved) {
            m.rule = "stage_full";
            m.reason = head.append("reserved stage full: ").append(std::to_string(count)).append(" of ").append(std::to_string(targets.reserved));
        } else {
            m.to = ProjectStage::reserved;
            m.outcome = PipelineOutcome::promoted;
            m.rule = "promoted";
            m.reason = head.append(stage_of("reserved", count, targets.reserved)).append(" → reserved");
            move(ProjectStage::planned, ProjectStage::reserved);
        }
        out.moves.push_back(std::move(m));
    }

    out.government_committed_after = used;
    const std::array<int, project_stage_count> target_of{targets.planned, targets.reserved, targets.building, -1, -1};
    for (int s = 0; s < project_stage_count; ++s) {
        const auto i = static_cast<std::size_t>(s);
        out.stages.push_back({static_cast<ProjectStage>(s), before[i], after[i], target_of[i],
                              target_of[i] < 0 ? 0 : std::max(0, target_of[i] - after[i])});
    }
    return out;
}

void apply(std::vector<Project>& projects, const PipelineAdvance& a) {
    std::unordered_map<std::int64_t, std::size_t> index;
    for (std::size_t i = 0; i < projects.size(); ++i) index.emplace(projects[i].id.value, i);
    for (const auto& m : a.moves) {
        if (!index.count(m.project.value)) {
            throw Error(ErrorCode::not_found, "apply: project " + std::to_string(m.project.value) + " is not in the list");
        }
    }
    for (const auto& m : a.moves) {
        if (m.to == m.from) continue;
        auto& p = projects[index.at(m.project.value)];
        p.stage = m.to;
        if (m.to == ProjectStage::building) p.approved = a.on;
    }
}

}  // namespace psp
