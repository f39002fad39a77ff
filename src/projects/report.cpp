// The supervision report of a period (include/psp/projects.hpp, §6.2 定期出具监管报告): the last decision
// of each project in the period, totals, and the text a district office files.
#include <algorithm>
#include <string>
#include <unordered_map>

#include "json/projects_json.hpp"
#include "projects/format.hpp"
#include "psp/error.hpp"
#include "psp/projects.hpp"

namespace psp {
namespace {

using namespace projects;

const char* verdict_heading(Verdict v) {
    switch (v) {
    case Verdict::on_track: return "on track";
    case Verdict::warning: return "WARNING";
    case Verdict::rectify: return "RECTIFY";
    case Verdict::suspend_funding: return "SUSPEND FUNDING";
    case Verdict::revoke: return "REVOKE";
    }
    return "?";
}

std::string kind_words(ProjectKind k) {
    switch (k) {
    case ProjectKind::database: return "database";
    case ProjectKind::large_laboratory: return "large laboratory";
    case ProjectKind::key_technology: return "key-technology effort";
    case ProjectKind::information_system: return "information system";
    case ProjectKind::team_building: return "team building";
    }
    return "?";
}

std::string title_of(const ReportEntry& e) {
    std::string s = std::string("Project ").append(std::to_string(e.project.value)).append(" \"").append(e.name).append("\" (")
                        .append(kind_words(e.kind)).append("; platform");
    if (e.platforms.size() > 1) s.append("s");
    for (std::size_t i = 0; i < e.platforms.size(); ++i) s.append(i == 0 ? " " : ", ").append(std::to_string(e.platforms[i].value));
    if (e.green_channel) s.append("; green channel");
    if (!e.agent.empty()) s.append("; approval handled by ").append(e.agent);
    return s.append(")");
}

std::string decision_line(const SupervisionDecision& d) {
    std::string s = std::string("Decision of ").append(iso(d.on)).append(": ").append(verdict_heading(d.verdict));
    if (d.deadline) s.append(d.verdict == Verdict::rectify ? " by " : ", revocation if not recovered by ").append(iso(*d.deadline));
    return s;
}

std::string figures_line(const SupervisionFigures& f) {
    std::string s = std::string("Milestones ").append(std::to_string(f.milestones_done)).append(" of ")
                        .append(std::to_string(f.milestones)).append(" done (").append(percent(f.done_bp)).append("; ")
                        .append(percent(f.planned_bp)).append(" due). Budget ").append(yuan(f.budget)).append(", government ")
                        .append(yuan(f.government)).append(", disbursed ").append(yuan(f.disbursed)).append(", spent ")
                        .append(yuan(f.spent)).append(" (").append(percent(f.spent_bp)).append(").");
    if (f.idle > 0) s.append(" Idle ").append(yuan(f.idle)).append(" (").append(percent(f.idle_bp)).append(").");
    if (f.targets_due > 0) {
        s.append(" Targets due ").append(std::to_string(f.targets_due)).append(", lowest achievement ").append(percent(f.worst_target_bp)).append(".");
    }
    if (f.overdue_days > 0) s.append(" Overdue ").append(std::to_string(f.overdue_days)).append(" days.");
    return s;
}

}  // namespace

SupervisionReport supervision_report(std::span<const Project> projects, std::span<const SupervisionDecision> decisions,
                                     const std::string& office, const ReportPeriod& period) {
    if (period.last < period.first) {
        throw Error(ErrorCode::invalid, "report period: last " + iso(period.last) + " is before first " + iso(period.first));
    }
    std::unordered_map<std::int64_t, const Project*> by_id;
    for (const auto& p : projects) by_id.emplace(p.id.value, &p);
    std::unordered_map<std::int64_t, const SupervisionDecision*> last;
    for (const auto& d : decisions) {
        if (d.on < period.first || d.on > period.last) continue;
        if (!by_id.count(d.project.value)) {
            throw Error(ErrorCode::not_found, "report: decision of " + iso(d.on) + " names project " + std::to_string(d.project.value) +
                                                  ", which is not among the projects");
        }
        auto& slot = last[d.project.value];
        if (!slot || slot->on <= d.on) slot = &d;
    }
    SupervisionReport r;
    r.office = office;
    r.period = period;
    for (const auto& [id, d] : last) {
        const auto& p = *by_id.at(id);
        r.entries.push_back({p.id, p.name, p.kind, p.platforms, p.green_channel, p.agent, *d});
    }
    std::sort(r.entries.begin(), r.entries.end(), [](const ReportEntry& a, const ReportEntry& b) {
        if (a.decision.verdict != b.decision.verdict) return a.decision.verdict > b.decision.verdict;
        return a.project < b.project;
    });
    for (const auto& e : r.entries) {
        ++r.count[static_cast<std::size_t>(e.decision.verdict)];
        r.budget += e.decision.figures.budget;
        r.government += e.decision.figures.government;
        r.disbursed += e.decision.figures.disbursed;
        r.spent += e.decision.figures.spent;
    }
    return r;
}

std::string supervision_report_json(const SupervisionReport& r) { return json::to_json(r).dump(2); }

std::string supervision_report_text(const SupervisionReport& r) {
    std::string t;
    t.append("MAJOR PLATFORM PROJECTS: SUPERVISION REPORT, ").append(r.period.label).append("\n");
    if (!r.office.empty()) t.append("Filed by ").append(r.office).append("\n");
    t.append("Period ").append(iso(r.period.first)).append(" to ").append(iso(r.period.last)).append("\n\n");

    t.append("1. Overview\n");
    t.append("Projects supervised: ").append(std::to_string(r.entries.size())).append(" (building stage).\n");
    t.append("Decisions: ");
    for (int v = verdict_count - 1; v >= 0; --v) {
        t.append(verdict_words(static_cast<Verdict>(v))).append(" ").append(std::to_string(r.count[static_cast<std::size_t>(v)]));
        t.append(v > 0 ? ", " : ".\n");
    }
    t.append("Budget ").append(yuan(r.budget)).append(", of which government funding ").append(yuan(r.government)).append(".\n");
    t.append("Disbursed ").append(yuan(r.disbursed)).append(" (").append(percent(share_bp(r.disbursed, r.government)))
        .append(" of government funding); spent ").append(yuan(r.spent)).append(" (").append(percent(share_bp(r.spent, r.budget)))
        .append(" of budget).\n\n");

    const auto action = [](const ReportEntry& e) { return e.decision.verdict >= Verdict::rectify; };
    const auto acting = static_cast<std::size_t>(std::count_if(r.entries.begin(), r.entries.end(), action));
    t.append("2. Decisions requiring action (").append(std::to_string(acting)).append(")\n");
    if (acting == 0) t.append("None.\n");
    int n = 0;
    for (const auto& e : r.entries) {
        if (!action(e)) continue;
        t.append("[").append(std::to_string(++n)).append("] ").append(title_of(e)).append("\n");
        t.append("    ").append(decision_line(e.decision)).append("\n");
        t.append("    Reason: ").append(e.decision.findings.empty() ? e.decision.reason : e.decision.findings.front().text).append("\n");
        for (std::size_t i = 1; i < e.decision.findings.size(); ++i) {
            const auto& f = e.decision.findings[i];
            t.append("    Also (").append(verdict_heading(f.verdict)).append("): ").append(f.text).append("\n");
        }
        t.append("    ").append(figures_line(e.decision.figures)).append("\n");
    }

    t.append("\n3. Projects on track or under warning (").append(std::to_string(r.entries.size() - acting)).append(")\n");
    if (acting == r.entries.size()) t.append("None.\n");
    for (const auto& e : r.entries) {
        if (action(e)) continue;
        t.append("- ").append(title_of(e)).append(": ").append(e.decision.reason).append("\n");
    }
    t.append("\nDecisions follow policy §6.2: a project short of its plan is ordered to rectify by a deadline;\n"
             "funding is suspended when the deadline passes unmet, and the project is revoked when the\n"
             "suspension brings no recovery by its own deadline.\n");
    return t;
}

}  // namespace psp
