// Approval paths of major projects (include/psp/projects.hpp, §6.1): the normal path, the green
// channel (绿色通道), and who handles each step when an agent does it for the owner (代办制).
#include <stdexcept>
#include <string>

#include "projects/format.hpp"
#include "psp/error.hpp"
#include "psp/projects.hpp"

namespace psp {
namespace {

using namespace projects;

[[noreturn]] void invalid(const std::string& message) { throw Error(ErrorCode::invalid, message); }

constexpr int max_step_days = 3650;
// A calendar with no working day in this many days cannot schedule anything.
constexpr int max_search_days = 3660;

void check_path(const ApprovalPath& path, const char* which) {
    const std::string at = std::string("approval path ").append(which);
    if (path.name.empty()) invalid(std::string(at).append(": empty name"));
    if (path.steps.empty()) invalid(std::string(at).append(" '").append(path.name).append("': no steps"));
    for (std::size_t i = 0; i < path.steps.size(); ++i) {
        const auto& s = path.steps[i];
        const std::string step = std::string(at).append(" step ").append(std::to_string(i));
        if (s.name.empty()) invalid(std::string(step).append(": empty name"));
        if (s.authority.empty()) invalid(std::string(step).append(" '").append(s.name).append("': no authority"));
        if (s.days < 1 || s.days > max_step_days) {
            invalid(std::string(step).append(" '").append(s.name).append("': ").append(std::to_string(s.days))
                        .append(" days is outside 1..3650"));
        }
    }
}

// Walks days on a calendar (working days) or plainly (calendar days).
class DayWalker {
public:
    explicit DayWalker(const Calendar* c) : calendar_(c) {}

    // The first counted day on or after d.
    greg::date first_from(greg::date d) const {
        if (!calendar_) return d;
        for (int i = 0; i < max_search_days; ++i, d += greg::days(1)) {
            if (is_working_day(*calendar_, d)) return d;
        }
        invalid("approval schedule: the calendar has no working day within ten years of " + iso(d));
    }

    // The last day of a step of n counted days starting on the counted day d.
    greg::date last_of(greg::date d, int n) const {
        if (!calendar_) return d + greg::days(n - 1);
        for (int counted = 1; counted < n; ++counted) d = first_from(d + greg::days(1));
        return d;
    }

private:
    const Calendar* calendar_;
};

}  // namespace

ApprovalPaths ApprovalPaths::standard() {
    return {{"normal",
             {{"project proposal review (立项)", "development and reform bureau", 20},
              {"feasibility study review", "development and reform bureau", 30},
              {"preliminary design and budget estimate review", "competent department and finance bureau", 20},
              {"funding agreement", "service industry office and finance bureau", 15}}},
            {"green channel",
             {{"proposal and feasibility study, combined review", "development and reform bureau", 10},
              {"design and budget estimate review", "competent department and finance bureau", 10},
              {"funding agreement", "service industry office and finance bureau", 5}}}};
}

void validate(const ApprovalPaths& p) {
    check_path(p.normal, "normal");
    check_path(p.green_channel, "green_channel");
}

ApprovalSchedule approval_schedule(const Project& project, const ApprovalPaths& paths, greg::date start,
                                   const Calendar* working_days) {
    validate(project);
    validate(paths);
    if (working_days) validate(*working_days);
    const auto& path = project.green_channel ? paths.green_channel : paths.normal;
    ApprovalSchedule out;
    out.project = project.id;
    out.path = path.name;
    out.green_channel = project.green_channel;
    out.agent = project.agent;
    const DayWalker walk(working_days);
    try {
        greg::date day = walk.first_from(start);
        for (const auto& s : path.steps) {
            const greg::date due = walk.last_of(day, s.days);
            out.steps.push_back({s.name, s.authority, project.agent.empty() ? std::string("owner") : project.agent, day, due});
            out.days += s.days;
            out.approved_by = due;
            day = walk.first_from(due + greg::days(1));
        }
    } catch (const std::out_of_range&) {
        invalid("approval schedule: runs past the last representable date (9999-12-31)");
    }
    return out;
}

}  // namespace psp
