// The overdue report of a city plan on a date (include/psp/plans.hpp): the plan as it stood that
// day, tasks past their deadline grouped by unit, and the text an office files.
#include <algorithm>
#include <map>
#include <string>

#include <boost/date_time/gregorian/gregorian.hpp>

#include "plans/text.hpp"
#include "psp/error.hpp"
#include "psp/plans.hpp"

namespace psp {
namespace {

namespace greg = boost::gregorian;
using plans::cat;

std::string date_text(greg::date d) { return greg::to_iso_extended_string(d); }

bool by(const std::optional<greg::date>& d, greg::date on) { return d && *d <= on; }

std::string count_of(int n, const char* singular, const char* plural) { return cat(n, ' ', n == 1 ? singular : plural); }

std::string unit_name(const PlanUnit& u, const PlatformNames& names) {
    if (!u.platform) return u.office;
    std::string name = names ? names(u.platform) : std::string();
    return name.empty() ? cat("platform ", u.platform.value) : name;
}

}  // namespace

OverdueReport overdue_report(const CityPlan& plan, greg::date on) {
    validate(plan);
    if (on.is_special()) throw Error(ErrorCode::invalid, "overdue report: the report date is not a date");
    OverdueReport out{plan.id, plan.title, plan.first_year, plan.last_year, on, {}, {}};
    auto& sum = out.summary;
    std::map<PlanUnit, UnitOverdue> units;
    for (const auto& a : plan.annual_plans) {
        for (const auto& t : a.tasks) {
            ++sum.tasks;
            if (t.created > on) continue;   // not assigned yet on that day
            if (by(t.cancelled_on, on)) {
                ++sum.cancelled;
                continue;
            }
            const bool done = by(t.done_on, on);
            if (t.deadline >= on) {
                if (!done) ++sum.open_not_yet_due;
                continue;
            }
            ++sum.due;
            if (done) {
                ++(*t.done_on <= t.deadline ? sum.done_on_time : sum.done_late);
                continue;
            }
            ++sum.overdue;
            auto& u = units.try_emplace(t.unit, UnitOverdue{t.unit, {}, 0}).first->second;
            const int days = static_cast<int>((on - t.deadline).days());
            u.tasks.push_back({t.id, a.id, a.year, t.title, t.deadline, days, t.status});
            u.most_days_overdue = std::max(u.most_days_overdue, days);
        }
    }
    for (auto& [unit, u] : units) {
        std::sort(u.tasks.begin(), u.tasks.end(), [](const OverdueTask& a, const OverdueTask& b) {
            return a.days_overdue != b.days_overdue ? a.days_overdue > b.days_overdue : a.task < b.task;
        });
        out.units.push_back(std::move(u));
    }
    std::stable_sort(out.units.begin(), out.units.end(), [](const UnitOverdue& a, const UnitOverdue& b) {
        if (a.tasks.size() != b.tasks.size()) return a.tasks.size() > b.tasks.size();
        return a.most_days_overdue > b.most_days_overdue;
    });
    return out;
}

std::string to_text(const OverdueReport& r, const PlatformNames& names) {
    const auto& s = r.summary;
    std::string text = cat("Overdue tasks of \"", r.plan_title, "\" (", r.first_year, "\u2013", r.last_year, ") as of ",
                           date_text(r.on), '\n', '\n');
    if (s.due == 0) {
        text.append(cat("No task was due before ", date_text(r.on), ".\n"));
    } else {
        text.append(cat("Of ", count_of(s.due, "task", "tasks"), " due before ", date_text(r.on), ": ", s.done_on_time,
                        " done on time, ", s.done_late, " done late, ", s.overdue, " overdue"));
        if (s.overdue > 0) text.append(cat(" at ", count_of(static_cast<int>(r.units.size()), "unit", "units")));
        text.append(".\n");
    }
    text.append(cat("Cancelled: ", s.cancelled, ". Open and not yet due: ", s.open_not_yet_due, ". Tasks in the plan: ",
                    s.tasks, ".\n"));
    if (r.units.empty()) {
        text.append("\nNo task is overdue.\n");
        return text;
    }
    for (std::size_t i = 0; i < r.units.size(); ++i) {
        const auto& u = r.units[i];
        text.append(cat('\n', i + 1, ". ", unit_name(u.unit, names), ": ",
                        count_of(static_cast<int>(u.tasks.size()), "overdue task", "overdue tasks"), ", up to ",
                        count_of(u.most_days_overdue, "day", "days"), '\n'));
        for (const auto& t : u.tasks) {
            text.append(cat("   - task ", t.task.value, " (", t.year, ") \"", t.title, "\": due ", date_text(t.deadline), ", ",
                            count_of(t.days_overdue, "day", "days"), " overdue, "));
            switch (t.status) {
                case TaskStatus::not_started: text.append("not started"); break;
                case TaskStatus::in_progress: text.append("in progress"); break;
                case TaskStatus::done: text.append("done later"); break;
                case TaskStatus::cancelled: text.append("cancelled later"); break;
            }
            text.push_back('\n');
        }
    }
    return text;
}

}  // namespace psp
