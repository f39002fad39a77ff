// Supervision of major projects on a date (include/psp/projects.hpp, §6.2): the figures of each building
// project, the rules they fire, and the escalation of a missed deadline (责令限期整改 → 停拨经费 → 撤销立项).
#include <algorithm>
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

void check_range(const char* field, int v, int lo, int hi) {
    if (v < lo || v > hi) {
        invalid(std::string("supervision thresholds ").append(field).append(": ").append(std::to_string(v)).append(" is outside ")
                    .append(std::to_string(lo)).append("..").append(std::to_string(hi)));
    }
}

void check_order(const char* rectify, int r, const char* warning, int w, bool higher_is_worse) {
    if (higher_is_worse ? r < w : r > w) {
        invalid(std::string("supervision thresholds ").append(rectify).append(": ").append(std::to_string(r)).append(" is ")
                    .append(higher_is_worse ? "below " : "above ").append(warning).append(" ").append(std::to_string(w))
                    .append(": a rectification must be a worse case than a warning"));
    }
}

Fen sum_until(const std::vector<MoneyRecord>& records, greg::date last) {
    Fen sum = 0;
    for (const auto& r : records) {
        if (r.on <= last) sum += r.amount;   // Σ of all records fits: validated
    }
    return sum;
}

// Achievement of a due target, basis points capped at 10000.
int achievement_bp(const PerformanceTarget& t) {
    const Fen measured = t.measured.value_or(0);
    if (t.at_most) return measured <= t.target ? full_bp : share_bp(t.target, measured);
    return std::min(full_bp, share_bp(measured, t.target));
}

SupervisionFigures figures_of(const Project& p, const SupervisionThresholds& th, greg::date on) {
    SupervisionFigures f;
    f.milestones = static_cast<int>(p.milestones.size());
    for (const auto& m : p.milestones) {
        if (m.done && *m.done <= on) {
            ++f.milestones_done;
            f.done_bp += m.weight_bp;
        }
        if (m.due <= on) f.planned_bp += m.weight_bp;
    }
    f.budget = p.budget + sum_until(p.budget_decisions, on);
    f.government = p.funding.government;
    f.disbursed = sum_until(p.disbursements, on);
    f.spent = sum_until(p.spending, on);
    f.spent_bp = share_bp(f.spent, f.budget);
    const Fen early = sum_until(p.disbursements, on - greg::days(th.idle_after_days));
    f.idle = std::max<Fen>(0, early - f.spent);
    f.idle_bp = early > 0 ? share_bp(f.idle, early) : 0;
    for (const auto& t : p.targets) {
        if (t.due > on) continue;
        ++f.targets_due;
        f.worst_target_bp = std::min(f.worst_target_bp, achievement_bp(t));
    }
    if (on > p.end && f.milestones_done < f.milestones) f.overdue_days = static_cast<int>((on - p.end).days());
    return f;
}

// The verdict of a figure against a warning and a rectify threshold, and the threshold it met.
struct Level {
    Verdict verdict = Verdict::on_track;
    int threshold = 0;
};

Level at_least(int v, int warning, int rectify) {
    if (v >= rectify) return {Verdict::rectify, rectify};
    if (v >= warning) return {Verdict::warning, warning};
    return {};
}

Level below(int v, int warning, int rectify) {
    if (v < rectify) return {Verdict::rectify, rectify};
    if (v < warning) return {Verdict::warning, warning};
    return {};
}

void figure_findings(const Project& p, const SupervisionFigures& f, const SupervisionThresholds& th, greg::date on,
                     std::vector<Finding>& out) {
    const int behind = f.planned_bp - f.done_bp;
    if (const auto l = at_least(behind, th.behind_warning_bp, th.behind_rectify_bp); l.verdict != Verdict::on_track) {
        out.push_back({"progress_behind", l.verdict,
                       std::string("progress ").append(percent(f.done_bp)).append(" vs ").append(percent(f.planned_bp))
                           .append(" planned: behind by ").append(points(behind)).append(" ≥ ").append(plain(l.threshold))});
    }
    if (const auto l = at_least(f.overdue_days, th.overdue_warning_days, th.overdue_rectify_days); l.verdict != Verdict::on_track) {
        out.push_back({"overdue", l.verdict,
                       std::string("planned end ").append(iso(p.end)).append(" passed with ")
                           .append(std::to_string(f.milestones - f.milestones_done)).append(" of ").append(std::to_string(f.milestones))
                           .append(" milestones open: overdue by ").append(std::to_string(f.overdue_days)).append(" days ≥ ")
                           .append(std::to_string(l.threshold))});
    }
    const int ahead = f.spent_bp - f.done_bp;
    if (const auto l = at_least(ahead, th.spending_ahead_warning_bp, th.spending_ahead_rectify_bp); l.verdict != Verdict::on_track) {
        out.push_back({"spending_ahead", l.verdict,
                       std::string("spent ").append(percent(f.spent_bp)).append(" of the budget (").append(yuan(f.spent)).append(" of ")
                           .append(yuan(f.budget)).append(") vs ").append(percent(f.done_bp)).append(" of the work done: ahead by ")
                           .append(points(ahead)).append(" ≥ ").append(plain(l.threshold))});
    }
    if (const auto l = at_least(f.idle_bp, th.idle_warning_bp, th.idle_rectify_bp); l.verdict != Verdict::on_track && f.idle > 0) {
        const Fen early = sum_until(p.disbursements, on - greg::days(th.idle_after_days));
        out.push_back({"funds_idle", l.verdict,
                       std::string("of ").append(yuan(early)).append(" disbursed by ").append(iso(on - greg::days(th.idle_after_days)))
                           .append(", ").append(yuan(f.idle)).append(" not spent: idle ").append(percent(f.idle_bp)).append(" ≥ ")
                           .append(percent(l.threshold))});
    }
    for (const auto& t : p.targets) {
        if (t.due > on) continue;
        const int a = achievement_bp(t);
        const auto l = below(a, th.target_warning_bp, th.target_rectify_bp);
        if (l.verdict == Verdict::on_track) continue;
        std::string text = std::string("target '").append(t.name).append("' due ").append(iso(t.due)).append(": ");
        const auto with_unit = [&t](std::int64_t v) {
            std::string s = std::to_string(v);
            if (!t.unit.empty()) s.append(" ").append(t.unit);
            return s;
        };
        if (!t.measured) {
            text.append("not reported");
        } else if (t.at_most) {
            text.append(with_unit(*t.measured)).append(" against a ceiling of ").append(with_unit(t.target));
        } else {
            text.append(with_unit(*t.measured)).append(" of ").append(with_unit(t.target));
        }
        text.append(" (").append(percent(a)).append(" achieved) < ").append(percent(l.threshold));
        out.push_back({"target_short", l.verdict, std::move(text)});
    }
}

// The escalation given the project's last decision; appends its finding.
void escalate(const SupervisionDecision& last, Verdict raw, const SupervisionThresholds& th, greg::date on,
              std::vector<Finding>& out, std::optional<greg::date>& deadline) {
    const bool failing = raw >= Verdict::rectify;
    switch (last.verdict) {
    case Verdict::revoke:
        out.push_back({"revoked", Verdict::revoke, std::string("revoked by the decision of ").append(iso(last.on)).append(": the revocation stands")});
        return;
    case Verdict::rectify: {
        const auto due = last.deadline.value_or(last.on + greg::days(th.rectify_days));
        const std::string head = std::string("rectification due by ").append(iso(due));
        if (!failing) {
            out.push_back({"rectified", Verdict::on_track, std::string(head).append(" achieved")});
        } else if (on <= due) {
            deadline = due;
            out.push_back({"rectification_pending", Verdict::rectify, std::string(head).append(": still in progress")});
        } else {
            deadline = on + greg::days(th.suspend_days);
            out.push_back({"rectification_missed", Verdict::suspend_funding, std::string(head).append(": not achieved")});
        }
        return;
    }
    case Verdict::suspend_funding: {
        const auto due = last.deadline.value_or(last.on + greg::days(th.suspend_days));
        const std::string head = std::string("funding suspended, recovery due by ").append(iso(due));
        if (!failing) {
            out.push_back({"funding_restored", Verdict::on_track, std::string(head).append(": recovered")});
        } else if (on <= due) {
            deadline = due;
            out.push_back({"suspension_pending", Verdict::suspend_funding, std::string(head).append(": still failing")});
        } else {
            out.push_back({"suspension_missed", Verdict::revoke, std::string(head).append(": not recovered")});
        }
        return;
    }
    default: return;
    }
}

std::string reason_of(const SupervisionDecision& d) {
    std::string r;
    if (d.findings.empty()) {
        r.append("progress ").append(percent(d.figures.done_bp)).append(" vs ").append(percent(d.figures.planned_bp))
            .append(" planned, spent ").append(percent(d.figures.spent_bp)).append(" of the budget");
    } else {
        r = d.findings.front().text;
    }
    r.append(" → ").append(verdict_words(d.verdict));
    if (d.deadline) {
        r.append(d.verdict == Verdict::rectify ? " by " : " until recovery; revoke if not recovered by ").append(iso(*d.deadline));
    }
    return r;
}

SupervisionDecision decide(const Project& p, const SupervisionDecision* last, const SupervisionThresholds& th, greg::date on) {
    SupervisionDecision d;
    d.project = p.id;
    d.on = on;
    d.figures = figures_of(p, th, on);
    std::vector<Finding> figures;
    figure_findings(p, d.figures, th, on, figures);
    Verdict raw = Verdict::on_track;
    for (const auto& f : figures) raw = std::max(raw, f.verdict);
    if (last) escalate(*last, raw, th, on, d.findings, d.deadline);
    d.findings.insert(d.findings.end(), figures.begin(), figures.end());
    // Most severe first; of equals, the escalation (listed first) and then the rule order above.
    std::stable_sort(d.findings.begin(), d.findings.end(), [](const Finding& a, const Finding& b) { return a.verdict > b.verdict; });
    d.verdict = d.findings.empty() ? Verdict::on_track : d.findings.front().verdict;
    if (d.verdict == Verdict::rectify && !d.deadline) d.deadline = on + greg::days(th.rectify_days);
    if (d.verdict != Verdict::rectify && d.verdict != Verdict::suspend_funding) d.deadline.reset();
    d.rule = d.findings.empty() ? "on_track" : d.findings.front().rule;
    d.reason = reason_of(d);
    return d;
}

}  // namespace

void validate(const SupervisionThresholds& t) {
    check_range("behind_warning_bp", t.behind_warning_bp, 0, full_bp);
    check_range("behind_rectify_bp", t.behind_rectify_bp, 0, full_bp);
    check_range("spending_ahead_warning_bp", t.spending_ahead_warning_bp, 0, full_bp);
    check_range("spending_ahead_rectify_bp", t.spending_ahead_rectify_bp, 0, full_bp);
    check_range("idle_after_days", t.idle_after_days, 0, 3650);
    check_range("idle_warning_bp", t.idle_warning_bp, 0, full_bp);
    check_range("idle_rectify_bp", t.idle_rectify_bp, 0, full_bp);
    check_range("target_warning_bp", t.target_warning_bp, 0, full_bp);
    check_range("target_rectify_bp", t.target_rectify_bp, 0, full_bp);
    check_range("overdue_warning_days", t.overdue_warning_days, 1, 3650);
    check_range("overdue_rectify_days", t.overdue_rectify_days, 1, 3650);
    check_range("rectify_days", t.rectify_days, 1, 3650);
    check_range("suspend_days", t.suspend_days, 1, 3650);
    check_order("behind_rectify_bp", t.behind_rectify_bp, "behind_warning_bp", t.behind_warning_bp, true);
    check_order("spending_ahead_rectify_bp", t.spending_ahead_rectify_bp, "spending_ahead_warning_bp", t.spending_ahead_warning_bp, true);
    check_order("idle_rectify_bp", t.idle_rectify_bp, "idle_warning_bp", t.idle_warning_bp, true);
    check_order("target_rectify_bp", t.target_rectify_bp, "target_warning_bp", t.target_warning_bp, false);
    check_order("overdue_rectify_days", t.overdue_rectify_days, "overdue_warning_days", t.overdue_warning_days, true);
}

std::vector<SupervisionDecision> supervise(std::span<const Project> projects, std::span<const SupervisionDecision> history,
                                           const SupervisionThresholds& thresholds, greg::date on) {
    validate(thresholds);
    validate_all(projects);
    std::vector<const Project*> building;
    for (const auto& p : projects) {
        if (p.stage == ProjectStage::building) building.push_back(&p);
    }
    std::sort(building.begin(), building.end(), [](const Project* a, const Project* b) { return a->id < b->id; });
    std::unordered_map<std::int64_t, const SupervisionDecision*> last;
    last.reserve(building.size());
    for (const auto* p : building) last.emplace(p->id.value, nullptr);
    for (const auto& d : history) {
        if (d.on >= on) continue;   // the day's own decisions are not its history: a re-run repeats them
        const auto it = last.find(d.project.value);
        if (it == last.end()) continue;
        if (!it->second || it->second->on <= d.on) it->second = &d;
    }
    std::vector<SupervisionDecision> out;
    out.reserve(building.size());
    for (const auto* p : building) out.push_back(decide(*p, last.at(p->id.value), thresholds, on));
    return out;
}

}  // namespace psp
