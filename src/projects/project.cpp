// The project record: enum names and validate(Project) (include/psp/projects.hpp). Every message
// names the project and the field, so a district clerk can find the line to fix.
#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "core/enum_names.hpp"
#include "projects/format.hpp"
#include "projects/project_checks.hpp"
#include "psp/error.hpp"
#include "psp/projects.hpp"

namespace psp {
namespace {

using namespace projects;

constexpr std::array<const char*, project_kind_count> kind_names{"database", "large_laboratory", "key_technology",
                                                                  "information_system", "team_building"};
constexpr std::array<const char*, project_stage_count> stage_names{"planned", "reserved", "building", "completed",
                                                                    "revoked"};
constexpr std::array<const char*, verdict_count> verdict_names{"on_track", "warning", "rectify", "suspend_funding",
                                                                "revoke"};
constexpr std::array<const char*, pipeline_outcome_count> outcome_names{"stayed", "promoted", "completed"};

struct Checker {
    const Project& p;

    [[noreturn]] void fail(const char* field, const std::string& message) const {
        throw Error(ErrorCode::invalid, field_of(p.id.value, field).append(message));
    }

    Fen add(const char* field, Fen a, Fen b) const {
        Fen out = 0;
        if (__builtin_add_overflow(a, b, &out)) fail(field, "the sum does not fit in 64 bits");
        return out;
    }

    void money(const char* field, Fen v) const {
        if (v < 0) fail(field, yuan(v).append(" is negative"));
    }

    void records(const char* field, const std::vector<MoneyRecord>& rs) const {
        for (std::size_t i = 0; i < rs.size(); ++i) {
            if (rs[i].amount < 0) {
                fail(field, std::string("record ").append(std::to_string(i)).append(" of ").append(iso(rs[i].on))
                                .append(": ").append(yuan(rs[i].amount)).append(" is negative"));
            }
        }
    }

    Fen total(const char* field, const std::vector<MoneyRecord>& rs) const {
        Fen sum = 0;
        for (const auto& r : rs) sum = add(field, sum, r.amount);
        return sum;
    }

    void identity() const {
        if (p.id.value <= 0) fail("id", std::to_string(p.id.value).append(" is not positive"));
        if (p.name.empty()) fail("name", "empty");
        if (static_cast<int>(p.kind) < 0 || static_cast<int>(p.kind) >= project_kind_count) {
            fail("kind", std::to_string(static_cast<int>(p.kind)).append(" is not a project kind"));
        }
        if (static_cast<int>(p.stage) < 0 || static_cast<int>(p.stage) >= project_stage_count) {
            fail("stage", std::to_string(static_cast<int>(p.stage)).append(" is not a project stage"));
        }
        if (p.platforms.empty()) fail("platforms", "no owning platform");
        std::vector<std::int64_t> ids;
        for (const auto id : p.platforms) {
            if (id.value <= 0) fail("platforms", std::string("platform id ").append(std::to_string(id.value)).append(" is not positive"));
            ids.push_back(id.value);
        }
        std::sort(ids.begin(), ids.end());
        if (const auto it = std::adjacent_find(ids.begin(), ids.end()); it != ids.end()) {
            fail("platforms", std::string("platform ").append(std::to_string(*it)).append(" listed twice"));
        }
        if (p.end < p.start) fail("end", iso(p.end).append(" is before the start ").append(iso(p.start)));
    }

    void funding() const {
        money("budget", p.budget);
        money("funding.government", p.funding.government);
        money("funding.platform", p.funding.platform);
        money("funding.private_capital", p.funding.private_capital);
        const Fen sum = add("funding", add("funding", p.funding.government, p.funding.platform), p.funding.private_capital);
        if (sum != p.budget) {
            fail("funding", std::string("government ").append(yuan(p.funding.government)).append(" + platform ")
                                .append(yuan(p.funding.platform)).append(" + private ").append(yuan(p.funding.private_capital))
                                .append(" = ").append(yuan(sum)).append(", not the budget ").append(yuan(p.budget)));
        }
    }

    void milestones() const {
        const bool needs_plan = p.stage == ProjectStage::building || p.stage == ProjectStage::completed;
        if (p.milestones.empty()) {
            if (needs_plan) fail("milestones", std::string("no milestone plan in the ").append(to_string(p.stage)).append(" stage"));
            return;
        }
        int sum = 0;
        for (std::size_t i = 0; i < p.milestones.size(); ++i) {
            const auto& m = p.milestones[i];
            const std::string at = std::string("milestone ").append(std::to_string(i)).append(" (due ").append(iso(m.due)).append(")");
            if (m.description.empty()) fail("milestones", std::string(at).append(": empty description"));
            if (m.weight_bp < 1 || m.weight_bp > full_bp) {
                fail("milestones", std::string(at).append(": weight ").append(std::to_string(m.weight_bp))
                                       .append(" basis points is outside 1..10000"));
            }
            sum += m.weight_bp;   // each <= 10000, so stopping at 10^9 keeps the int exact
            if (sum > 1'000'000'000) fail("milestones", "weights sum beyond any plan");
            if (m.due < p.start || m.due > p.end) {
                fail("milestones", std::string(at).append(": due outside the project ").append(iso(p.start)).append(" to ")
                                       .append(iso(p.end)));
            }
            if (m.done && *m.done < p.start) {
                fail("milestones", std::string(at).append(": done ").append(iso(*m.done)).append(" before the start ").append(iso(p.start)));
            }
            if (p.stage == ProjectStage::completed && !m.done) fail("milestones", std::string(at).append(": open in a completed project"));
        }
        if (sum != full_bp) {
            fail("milestones", std::string("weights sum to ").append(std::to_string(sum)).append(" basis points, not 10000"));
        }
    }

    void money_records() const {
        records("disbursements", p.disbursements);
        records("spending", p.spending);
        records("budget_decisions", p.budget_decisions);
        for (std::size_t i = 0; i < p.budget_decisions.size(); ++i) {
            const auto& d = p.budget_decisions[i];
            const std::string at = std::string("decision ").append(std::to_string(i)).append(" of ").append(iso(d.on));
            if (d.amount == 0) fail("budget_decisions", std::string(at).append(": allows no amount"));
            if (d.note.empty()) fail("budget_decisions", std::string(at).append(": no reference"));
        }
        const Fen disbursed = total("disbursements", p.disbursements);
        if (disbursed > p.funding.government) {
            fail("disbursements", std::string("disbursed ").append(yuan(disbursed)).append(" is above the government funding ")
                                      .append(yuan(p.funding.government)));
        }
        total("budget_decisions", p.budget_decisions);
        // Cumulative spending against the budget raised by the decisions taken so far.
        std::vector<const MoneyRecord*> spent, decided;
        for (const auto& r : p.spending) spent.push_back(&r);
        for (const auto& r : p.budget_decisions) decided.push_back(&r);
        const auto by_date = [](const MoneyRecord* a, const MoneyRecord* b) { return a->on < b->on; };
        std::stable_sort(spent.begin(), spent.end(), by_date);
        std::stable_sort(decided.begin(), decided.end(), by_date);
        Fen so_far = 0, allowed = p.budget;
        std::size_t d = 0;
        for (const auto* r : spent) {
            while (d < decided.size() && decided[d]->on <= r->on) allowed = add("budget_decisions", allowed, decided[d++]->amount);
            so_far = add("spending", so_far, r->amount);
            if (so_far > allowed) {
                fail("spending", std::string("by ").append(iso(r->on)).append(" spent ").append(yuan(so_far)).append(", above the ")
                                     .append(allowed == p.budget ? "budget " : "budget with its decisions ")
                                     .append(yuan(allowed)).append(" with no decision allowing it"));
            }
        }
    }

    void targets() const {
        for (std::size_t i = 0; i < p.targets.size(); ++i) {
            const auto& t = p.targets[i];
            const std::string at = std::string("target ").append(std::to_string(i));
            if (t.name.empty()) fail("targets", std::string(at).append(": empty name"));
            if (t.target <= 0) fail("targets", std::string(at).append(" '").append(t.name).append("': target ").append(std::to_string(t.target)).append(" is not positive"));
            if (t.measured && *t.measured < 0) {
                fail("targets", std::string(at).append(" '").append(t.name).append("': measured ").append(std::to_string(*t.measured)).append(" is negative"));
            }
        }
    }
};

}  // namespace

const char* to_string(ProjectKind k) { return detail::name_at(kind_names, static_cast<int>(k)); }
const char* to_string(ProjectStage s) { return detail::name_at(stage_names, static_cast<int>(s)); }
const char* to_string(Verdict v) { return detail::name_at(verdict_names, static_cast<int>(v)); }
const char* to_string(PipelineOutcome o) { return detail::name_at(outcome_names, static_cast<int>(o)); }

void validate(const Project& p) {
    const Checker c{p};
    c.identity();
    c.funding();
    c.milestones();
    c.money_records();
    c.targets();
}

namespace projects {

void validate_all(std::span<const Project> projects) {
    std::vector<std::int64_t> ids;
    ids.reserve(projects.size());
    for (const auto& p : projects) {
        validate(p);
        ids.push_back(p.id.value);
    }
    std::sort(ids.begin(), ids.end());
    if (const auto it = std::adjacent_find(ids.begin(), ids.end()); it != ids.end()) {
        throw Error(ErrorCode::invalid, std::string("projects: project ").append(std::to_string(*it)).append(" listed twice"));
    }
}

}  // namespace projects
}  // namespace psp
