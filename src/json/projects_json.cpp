// Projects, pipeline moves, approval schedules, supervision decisions and reports as JSON.
#include "json/projects_json.hpp"

#include <algorithm>
#include <cctype>

#include <boost/date_time/gregorian/gregorian.hpp>

#include "json/dates.hpp"
#include "psp/error.hpp"

namespace psp::json {
namespace {

namespace greg = boost::gregorian;
using nlohmann::json;

template <class Tag>
json ids(const std::vector<Id<Tag>>& v) {
    json out = json::array();
    for (const auto id : v) out.push_back(id.value);
    return out;
}

json records(const std::vector<MoneyRecord>& rs) {
    json out = json::array();
    for (const auto& r : rs) out.push_back({{"on", iso(r.on)}, {"amount", r.amount}, {"note", r.note}});
    return out;
}

json figures(const SupervisionFigures& f) {
    return {{"done_bp", f.done_bp},       {"planned_bp", f.planned_bp}, {"milestones", f.milestones},
            {"milestones_done", f.milestones_done}, {"budget", f.budget}, {"government", f.government},
            {"disbursed", f.disbursed},   {"spent", f.spent},           {"spent_bp", f.spent_bp},
            {"idle", f.idle},             {"idle_bp", f.idle_bp},       {"targets_due", f.targets_due},
            {"worst_target_bp", f.worst_target_bp}, {"overdue_days", f.overdue_days}};
}

// --- Reading.

std::vector<MoneyRecord> records_at(ObjectReader& r, const char* key) {
    std::vector<MoneyRecord> out;
    each(r, key, [&](const json& j, const std::string& path) {
        ObjectReader e(j, path);
        MoneyRecord m{date_at(e, "on"), e.integer("amount"), e.text_or("note", "")};
        e.finish();
        out.push_back(std::move(m));
    });
    return out;
}

int bp_at(ObjectReader& r, const char* key) { return r.small_integer_or(key, std::nullopt); }

}  // namespace

json to_json(const Project& p) {
    json milestones = json::array();
    for (const auto& m : p.milestones) {
        milestones.push_back({{"due", iso(m.due)}, {"description", m.description}, {"weight_bp", m.weight_bp}, {"done", date_or_null(m.done)}});
    }
    json targets = json::array();
    for (const auto& t : p.targets) {
        targets.push_back({{"name", t.name}, {"unit", t.unit}, {"target", t.target},
                           {"measured", t.measured ? json(*t.measured) : json(nullptr)}, {"due", iso(t.due)}, {"at_most", t.at_most}});
    }
    return {{"id", p.id.value},
            {"name", p.name},
            {"kind", to_string(p.kind)},
            {"platforms", ids(p.platforms)},
            {"budget", p.budget},
            {"funding", {{"government", p.funding.government}, {"platform", p.funding.platform}, {"private_capital", p.funding.private_capital}}},
            {"stage", to_string(p.stage)},
            {"score", p.score},
            {"green_channel", p.green_channel},
            {"agent", p.agent},
            {"start", iso(p.start)},
            {"end", iso(p.end)},
            {"approved", date_or_null(p.approved)},
            {"milestones", milestones},
            {"disbursements", records(p.disbursements)},
            {"spending", records(p.spending)},
            {"budget_decisions", records(p.budget_decisions)},
            {"targets", targets}};
}

json to_json(const SupervisionDecision& d) {
    json findings = json::array();
    for (const auto& f : d.findings) findings.push_back({{"rule", f.rule}, {"verdict", to_string(f.verdict)}, {"text", f.text}});
    return {{"project", d.project.value}, {"on", iso(d.on)},     {"verdict", to_string(d.verdict)},
            {"deadline", date_or_null(d.deadline)}, {"rule", d.rule}, {"reason", d.reason},
            {"findings", findings},       {"figures", figures(d.figures)}};
}

json to_json(const SupervisionReport& r) {
    json entries = json::array();
    for (const auto& e : r.entries) {
        entries.push_back({{"project", e.project.value}, {"name", e.name}, {"kind", to_string(e.kind)},
                           {"platforms", ids(e.platforms)}, {"green_channel", e.green_channel}, {"agent", e.agent},
                           {"decision", to_json(e.decision)}});
    }
    json count = json::object();
    for (int v = 0; v < verdict_count; ++v) count[to_string(static_cast<Verdict>(v))] = r.count[static_cast<std::size_t>(v)];
    return {{"office", r.office},
            {"period", {{"label", r.period.label}, {"first", iso(r.period.first)}, {"last", iso(r.period.last)}}},
            {"count", count},
            {"budget", r.budget},
            {"government", r.government},
            {"disbursed", r.disbursed},
            {"spent", r.spent},
            {"entries", entries}};
}

json to_json(const PipelineAdvance& a) {
    json moves = json::array();
    for (const auto& m : a.moves) {
        moves.push_back({{"project", m.project.value}, {"from", to_string(m.from)}, {"to", to_string(m.to)},
                         {"outcome", to_string(m.outcome)}, {"rank", m.rank}, {"rule", m.rule}, {"reason", m.reason}});
    }
    json stages = json::array();
    for (const auto& s : a.stages) {
        stages.push_back({{"stage", to_string(s.stage)}, {"before", s.before}, {"after", s.after}, {"target", s.target}, {"room", s.room}});
    }
    return {{"on", iso(a.on)},
            {"moves", moves},
            {"stages", stages},
            {"government_limit", a.government_limit ? json(*a.government_limit) : json(nullptr)},
            {"government_committed_before", a.government_committed_before},
            {"government_committed_after", a.government_committed_after}};
}

json to_json(const ApprovalSchedule& s) {
    json steps = json::array();
    for (const auto& st : s.steps) {
        steps.push_back({{"name", st.name}, {"authority", st.authority}, {"handled_by", st.handled_by}, {"start", iso(st.start)}, {"due", iso(st.due)}});
    }
    return {{"project", s.project.value}, {"path", s.path}, {"green_channel", s.green_channel}, {"agent", s.agent},
            {"steps", steps},             {"approved_by", iso(s.approved_by)}, {"days", s.days}};
}

Project project_from_json(const json& j, const std::string& path) {
    ObjectReader r(j, path);
    Project p;
    p.id = r.id<ProjectId>("id");
    p.name = r.text("name");
    p.kind = enum_at<ProjectKind>(r, "kind", project_kind_count);
    each(r, "platforms", [&](const json& v, const std::string& at) {
        if (!v.is_number_integer()) bad(at, std::string("expected a platform id, got ") + v.type_name());
        p.platforms.push_back(PlatformId(v.get<std::int64_t>()));
    });
    p.budget = r.integer("budget");
    if (const json* f = r.find("funding")) {
        ObjectReader fr(*f, r.at("funding"));
        p.funding = {fr.integer_or("government", 0), fr.integer_or("platform", 0), fr.integer_or("private_capital", 0)};
        fr.finish();
    }
    p.stage = enum_at<ProjectStage>(r, "stage", project_stage_count, ProjectStage::planned);
    p.score = r.small_integer_or("score", 0);
    p.green_channel = r.boolean_or("green_channel", false);
    p.agent = r.text_or("agent", "");
    p.start = date_at(r, "start");
    p.end = date_at(r, "end");
    p.approved = optional_date(r, "approved");
    each(r, "milestones", [&](const json& v, const std::string& at) {
        ObjectReader m(v, at);
        Milestone ms{date_at(m, "due"), m.text("description"), bp_at(m, "weight_bp"), optional_date(m, "done")};
        m.finish();
        p.milestones.push_back(std::move(ms));
    });
    p.disbursements = records_at(r, "disbursements");
    p.spending = records_at(r, "spending");
    p.budget_decisions = records_at(r, "budget_decisions");
    each(r, "targets", [&](const json& v, const std::string& at) {
        ObjectReader t(v, at);
        PerformanceTarget pt;
        pt.name = t.text("name");
        pt.unit = t.text_or("unit", "");
        pt.target = t.integer("target");
        if (const json* m = t.find("measured"); m && !m->is_null()) pt.measured = t.integer("measured");
        pt.due = date_at(t, "due");
        pt.at_most = t.boolean_or("at_most", false);
        t.finish();
        p.targets.push_back(std::move(pt));
    });
    r.finish();
    validate_at(path, p);
    return p;
}

SupervisionDecision decision_from_json(const json& j, const std::string& path) {
    ObjectReader r(j, path);
    SupervisionDecision d;
    d.project = r.id<ProjectId>("project");
    d.on = date_at(r, "on");
    d.verdict = enum_at<Verdict>(r, "verdict", verdict_count);
    d.deadline = optional_date(r, "deadline");
    d.rule = r.text_or("rule", "");
    d.reason = r.text_or("reason", "");
    each(r, "findings", [&](const json& v, const std::string& at) {
        ObjectReader f(v, at);
        Finding fd{f.text("rule"), enum_at<Verdict>(f, "verdict", verdict_count), f.text_or("text", "")};
        f.finish();
        d.findings.push_back(std::move(fd));
    });
    if (const json* f = r.find("figures")) {
        ObjectReader fr(*f, r.at("figures"));
        auto& g = d.figures;
        g.done_bp = fr.small_integer_or("done_bp", 0);
        g.planned_bp = fr.small_integer_or("planned_bp", 0);
        g.milestones = fr.small_integer_or("milestones", 0);
        g.milestones_done = fr.small_integer_or("milestones_done", 0);
        g.budget = fr.integer_or("budget", 0);
        g.government = fr.integer_or("government", 0);
        g.disbursed = fr.integer_or("disbursed", 0);
        g.spent = fr.integer_or("spent", 0);
        g.spent_bp = fr.small_integer_or("spent_bp", 0);
        g.idle = fr.integer_or("idle", 0);
        g.idle_bp = fr.small_integer_or("idle_bp", 0);
        g.targets_due = fr.small_integer_or("targets_due", 0);
        g.worst_target_bp = fr.small_integer_or("worst_target_bp", 10000);
        g.overdue_days = fr.small_integer_or("overdue_days", 0);
        fr.finish();
    }
    r.finish();
    if ((d.verdict == Verdict::rectify || d.verdict == Verdict::suspend_funding) && !d.deadline) {
        bad(r.at("deadline"), std::string("a ") + to_string(d.verdict) + " decision needs a deadline");
    }
    return d;
}

}  // namespace psp::json
