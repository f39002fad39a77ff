// Major platform projects (DESIGN.md §4 "Rollout", issue 6, policy §6): the project record, the rolling
// pipeline "build a batch, reserve a batch, plan a batch" (建设一批、储备一批、谋划一批), approval by the
// normal path or the green channel (绿色通道) with agency handling (代办), and supervision on a date
// (实施进度、经费使用、完成情况、绩效实现) answering on-track, warning, rectify by a deadline (责令限期整改),
// suspend funding (停拨经费) or revoke (撤销立项). Pure functions on values: Database stores and journals.
//
// Conventions of this header:
//   - Dates are calendar dates (boost::gregorian::date, no time of day); "on a date" includes it.
//   - Money is integer fen; shares are basis points (10000 = 100 %), integers so that every rule is
//     exact: milestone weights must sum to exactly 10000, which floating weights "summing to 1" could
//     neither promise nor be tested for (0.1 + 0.2 + 0.7 != 1.0 in binary floating point).
//   - A share of money is floor(part × 10000 / whole), computed in 128 bits (no overflow).
//   - Expected outcomes (a project that stays, a project that fails supervision) are values with the
//     rule and the figures that decided them; a malformed project or threshold is psp::Error(invalid)
//     naming the project and the field, and nothing is computed.
//   - Every result is deterministic: the same input in the same order gives the same output, and the
//     order of the input projects never changes a decision (ties are broken by project id).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <boost/date_time/gregorian/gregorian_types.hpp>

#include "psp/calendar.hpp"
#include "psp/ids.hpp"
#include "psp/model.hpp"

namespace psp {

using ProjectId = Id<struct ProjectTag>;

// Values of the enums are part of the C ABI: never renumber, only append.
// The five contents of major projects named by §6.1.
enum class ProjectKind : int {
    database = 0,             // 数据库
    large_laboratory = 1,     // 大型实验室
    key_technology = 2,       // 科技攻关
    information_system = 3,   // 信息管理系统
    team_building = 4,        // 队伍建设
};
inline constexpr int project_kind_count = 5;

// planned (谋划) → reserved (储备) → building (建设) → completed; revoked (撤销立项) from any stage.
enum class ProjectStage : int { planned = 0, reserved = 1, building = 2, completed = 3, revoked = 4 };
inline constexpr int project_stage_count = 5;

const char* to_string(ProjectKind);
const char* to_string(ProjectStage);

// Where the money comes from; the three parts sum to the budget.
struct FundingSources {
    Fen government = 0;        // 政府性资金: what supervision follows and disbursements release
    Fen platform = 0;          // the owning platforms' own money
    Fen private_capital = 0;   // 民资/外资, sponsors, bank loans
    friend bool operator==(const FundingSources&, const FundingSources&) = default;
};

// A node of the milestone plan (结点计划).
struct Milestone {
    boost::gregorian::date due;                  // within [project start, planned end]
    std::string description;                     // not empty
    int weight_bp = 0;                           // 1..10000; the weights of a plan sum to 10000
    std::optional<boost::gregorian::date> done;  // when it was accepted as done; none = open
    friend bool operator==(const Milestone&, const Milestone&) = default;
};

// A disbursement (拨付) of government funding, or a spending record (支出), or a budget decision.
struct MoneyRecord {
    boost::gregorian::date on;
    Fen amount = 0;     // >= 0
    std::string note;   // voucher number, purpose; for a budget decision its reference (not empty)
    friend bool operator==(const MoneyRecord&, const MoneyRecord&) = default;
};

// A performance target (绩效目标), judged once it is due.
struct PerformanceTarget {
    std::string name;                      // "enterprises served", "instrument hours": not empty
    std::string unit;                      // "", "h", "%"...
    std::int64_t target = 0;               // > 0
    std::optional<std::int64_t> measured;  // >= 0; none = not reported (judged as 0 once due)
    boost::gregorian::date due;            // judged on and after this date
    bool at_most = false;                  // a ceiling (response days, cost per use): measured <= target
    friend bool operator==(const PerformanceTarget&, const PerformanceTarget&) = default;
};

struct Project {
    ProjectId id;                              // > 0
    std::string name;                          // not empty
    ProjectKind kind = ProjectKind::database;
    std::vector<PlatformId> platforms;         // owning platforms: at least one, each > 0, no repeats
    Fen budget = 0;                            // >= 0
    FundingSources funding;                    // sums to budget
    ProjectStage stage = ProjectStage::planned;
    int score = 0;                             // expert review score (专家评审), ranks the pipeline
    bool green_channel = false;                // approved on the green channel (绿色通道)
    std::string agent;                         // approval handled by this agent (代办); empty = by the owner
    boost::gregorian::date start;              // planned start
    boost::gregorian::date end;                // planned end, >= start
    // The day the project entered the building stage (立项); set by apply(). Its year is the year
    // whose government funding the project commits; when absent, the year of `start` is used.
    std::optional<boost::gregorian::date> approved;
    std::vector<Milestone> milestones;         // required from the building stage on; any order
    std::vector<MoneyRecord> disbursements;    // government money released; Σ <= funding.government
    std::vector<MoneyRecord> spending;         // money spent, all sources
    // Decisions allowing spending above the budget (调整概算): by the date of each spending record,
    // Σ spending so far <= budget + Σ amounts of the decisions dated on or before it.
    std::vector<MoneyRecord> budget_decisions;
    std::vector<PerformanceTarget> targets;
    friend bool operator==(const Project&, const Project&) = default;
};

// Throws Error(invalid) naming the project and the field ("project 17 milestones: weights sum to 9500
// basis points, not 10000"): id <= 0; empty name; kind or stage out of range; no owning platform, an
// id <= 0 or listed twice; negative money anywhere; funding parts not summing to the budget; end before
// start; from building on, no milestone plan; a milestone with an empty description, a weight outside
// 1..10000, weights not summing to 10000, due outside [start, end], done before start; completed with
// a milestone open; disbursements above the government funding; spending above the budget without
// a decision dated on or before it allowing it (a decision: amount > 0 and a reference); a target
// with an empty name, target <= 0 or measured < 0. Sums that do not fit in 64 bits are invalid too.
void validate(const Project&);

// --- The rolling pipeline (§6.1 滚动储备).

// How many projects each stage may hold at once, and what the building stage may commit.
// The funding limit is on GOVERNMENT funding COMMITTED PER CALENDAR YEAR: a project commits its whole
// government share in the year it enters building (approved, else start); building and completed
// projects count in full, a revoked one only with what was disbursed (the rest returns to the
// budget). Government money is what the office controls and what §6.2 supervises; the other sources
// are the owners' and do not compete for the same budget.
struct PipelineTargets {
    int planned = 30;                             // 谋划一批: a ceiling; room = how many to plan next
    int reserved = 20;                            // 储备一批
    int building = 12;                            // 建设一批
    std::optional<Fen> government_per_year;       // none = no funding limit; else >= 0
    friend bool operator==(const PipelineTargets&, const PipelineTargets&) = default;
};

void validate(const PipelineTargets&);   // Error(invalid): a negative target or funding limit

// The order in which candidates are promoted. With `order` empty, the rule is lexicographic, best
// first: higher expert score; green channel before normal (the office marked it a priority);
// higher share of non-government funding (more project per yuan of public money); earlier start;
// smaller id. With `order` given (the office's own list, e.g. from a meeting), listed projects come
// first in that order and the others follow by the rule above. An id listed twice, or <= 0, is invalid.
struct Ranking {
    std::vector<ProjectId> order;
    friend bool operator==(const Ranking&, const Ranking&) = default;
};

// What advance() does with one project. Values are part of the C ABI.
enum class PipelineOutcome : int { stayed = 0, promoted = 1, completed = 2 };
inline constexpr int pipeline_outcome_count = 3;
const char* to_string(PipelineOutcome);

struct PipelineMove {
    ProjectId project;
    ProjectStage from = ProjectStage::planned;
    ProjectStage to = ProjectStage::planned;   // == from when it stayed
    PipelineOutcome outcome = PipelineOutcome::stayed;
    int rank = 0;                              // 1-based place among the candidates of its stage; 0 = building
    std::string rule;                          // "promoted", "stage_full", "funding_limit", "milestones_open", ...
    std::string reason;                        // the rule with its figures, readable
    friend bool operator==(const PipelineMove&, const PipelineMove&) = default;
};

struct StageCount {
    ProjectStage stage = ProjectStage::planned;
    int before = 0;
    int after = 0;
    int target = 0;     // -1 for completed and revoked (no target)
    int room = 0;       // max(0, target − after); for planned: how many projects to plan next
    friend bool operator==(const StageCount&, const StageCount&) = default;
};

struct PipelineAdvance {
    boost::gregorian::date on;
    std::vector<PipelineMove> moves;      // every project but the completed and revoked ones, in the
                                          // order of the steps below, then by rank
    std::vector<StageCount> stages;       // planned, reserved, building, completed, revoked
    std::optional<Fen> government_limit;  // of the year of `on`
    Fen government_committed_before = 0;  // committed in that year before this advance
    Fen government_committed_after = 0;
    friend bool operator==(const PipelineAdvance&, const PipelineAdvance&) = default;
};

// One step of the rolling pipeline on `on`, each project moving at most one stage:
//   1. building → completed: every milestone done on or before `on` (its room opens at once);
//   2. reserved → building, best-ranked first, while the building stage has room and the year's
//      government funding limit is not exceeded (a project whose planned end has passed stays, to be
//      re-planned); a project that does not fit the money is skipped
//      and a cheaper one below it may still enter (the ranking decides the order, the limit only
//      who fits);
//   3. planned → reserved, best-ranked first, while the reserved stage has room (the room step 2
//      opened counts).
// A project promoted in step 3 does not also enter building. Throws Error(invalid) for an invalid
// project, two projects with one id, invalid targets or ranking.
PipelineAdvance advance(std::span<const Project> projects, const PipelineTargets& targets, const Ranking& ranking,
                        boost::gregorian::date on);

// Applies the moves: sets the stage, and `approved` = advance.on for those entering building.
// Projects not named are left alone; a move naming an absent project is Error(not_found).
void apply(std::vector<Project>& projects, const PipelineAdvance& advance);

// --- Approval (§6.1 审批绿色通道, 投资项目审批代办制).

struct ApprovalStep {
    std::string name;        // "feasibility study review"
    std::string authority;   // who decides: "development and reform bureau"
    int days = 0;            // 1..3650; working days when a calendar is given, else calendar days
    friend bool operator==(const ApprovalStep&, const ApprovalStep&) = default;
};

struct ApprovalPath {
    std::string name;                  // "normal", "green channel"
    std::vector<ApprovalStep> steps;   // in order, one after another; at least one
    friend bool operator==(const ApprovalPath&, const ApprovalPath&) = default;
};

// The project's green_channel flag chooses between the two.
struct ApprovalPaths {
    ApprovalPath normal;
    ApprovalPath green_channel;
    friend bool operator==(const ApprovalPaths&, const ApprovalPaths&) = default;

    // Normal: proposal (立项) 20, feasibility study 30, preliminary design and budget estimate 20,
    // funding agreement 15 = 85 days. Green channel: proposal and feasibility combined 10, design and
    // estimate 10, funding agreement 5 = 25 days. Working days, typical of municipal practice;
    // a district sets its own.
    static ApprovalPaths standard();
};

void validate(const ApprovalPaths&);   // Error(invalid): an empty path, name or step, days outside 1..3650

struct ScheduledStep {
    std::string name;
    std::string authority;
    std::string handled_by;                 // the agent (代办), or "owner" when the owner handles it
    boost::gregorian::date start;           // first day of the step
    boost::gregorian::date due;             // last day of the step
    friend bool operator==(const ScheduledStep&, const ScheduledStep&) = default;
};

struct ApprovalSchedule {
    ProjectId project;
    std::string path;                       // name of the path taken
    bool green_channel = false;
    std::string agent;                      // empty = no agency handling
    std::vector<ScheduledStep> steps;
    boost::gregorian::date approved_by;     // due of the last step
    int days = 0;                           // Σ step days (working days when a calendar was given)
    friend bool operator==(const ApprovalSchedule&, const ApprovalSchedule&) = default;
};

// The dated steps of the project's path (green channel when project.green_channel), the first
// starting on `start` (or the next working day). A step of d days occupies d days (working days by
// `working_days` when given: is_working_day() of that calendar) and the next starts on the following
// (working) day. Throws Error(invalid) for an invalid project or paths.
ApprovalSchedule approval_schedule(const Project& project, const ApprovalPaths& paths, boost::gregorian::date start,
                                   const Calendar* working_days = nullptr);

// --- Supervision (§6.2 加强项目监管).

// Values are part of the C ABI, in order of severity.
enum class Verdict : int { on_track = 0, warning = 1, rectify = 2, suspend_funding = 3, revoke = 4 };
inline constexpr int verdict_count = 5;
const char* to_string(Verdict);

// Points are basis points of a share (1000 = 10 percentage points). A rule fires at >= its threshold.
struct SupervisionThresholds {
    // Progress: planned share (weights of milestones due by the date) minus done share.
    int behind_warning_bp = 1000;
    int behind_rectify_bp = 2000;
    // Spending ahead of work: spent share of the budget minus done share of the milestone plan.
    int spending_ahead_warning_bp = 2500;
    int spending_ahead_rectify_bp = 4000;
    // Idle funds (资金沉淀): of the money disbursed at least idle_after_days before the date, the share
    // not yet spent by the date.
    int idle_after_days = 90;
    int idle_warning_bp = 5000;
    int idle_rectify_bp = 8000;
    // Performance: achievement of a due target (measured / target, or target / measured for a
    // ceiling), below these.
    int target_warning_bp = 8000;
    int target_rectify_bp = 5000;
    // Past the planned end with milestones open, by at least these many days.
    int overdue_warning_days = 1;
    int overdue_rectify_days = 90;
    // Deadlines: a rectification is due this many days after it is ordered; funding stays suspended
    // this many days before the project is revoked if it has not recovered.
    int rectify_days = 90;
    int suspend_days = 90;
    friend bool operator==(const SupervisionThresholds&, const SupervisionThresholds&) = default;
};

// Error(invalid) naming the field: a share outside 0..10000 or days outside 0..3650 (deadlines 1..3650),
// a rectify threshold below its warning threshold (above it for the target achievement).
void validate(const SupervisionThresholds&);

// The figures a decision was made from, as of the date.
struct SupervisionFigures {
    int done_bp = 0;                 // Σ weights of milestones done on or before the date
    int planned_bp = 0;              // Σ weights of milestones due on or before the date
    int milestones = 0;
    int milestones_done = 0;
    Fen budget = 0;                  // budget + Σ budget decisions dated on or before the date
    Fen government = 0;
    Fen disbursed = 0;               // Σ disbursements on or before the date
    Fen spent = 0;                   // Σ spending on or before the date
    int spent_bp = 0;                // spent / budget (10000 when the budget is 0 and money was spent)
    Fen idle = 0;                    // disbursed before the idle cut-off, not spent by the date
    int idle_bp = 0;                 // idle / that disbursed amount
    int targets_due = 0;
    int worst_target_bp = 10000;     // lowest achievement of a due target (10000 when none is due)
    int overdue_days = 0;            // days past the planned end with milestones open
    friend bool operator==(const SupervisionFigures&, const SupervisionFigures&) = default;
};

// One rule that fired.
struct Finding {
    std::string rule;          // progress_behind, spending_ahead, funds_idle, target_short, overdue,
                               // rectification_pending, rectification_missed, rectified,
                               // suspension_pending, suspension_missed, funding_restored, revoked
    Verdict verdict = Verdict::on_track;
    std::string text;          // "progress 35 % vs 60 % planned: behind by 25 points ≥ 20"
    friend bool operator==(const Finding&, const Finding&) = default;
};

struct SupervisionDecision {
    ProjectId project;
    boost::gregorian::date on;
    Verdict verdict = Verdict::on_track;
    std::optional<boost::gregorian::date> deadline;   // rectify and suspend_funding only
    std::string rule;           // the finding that decided (the most severe; first of equals), or "on_track"
    std::string reason;         // its text with the verdict: "... → rectify by 2026-03-31"
    std::vector<Finding> findings;   // every rule that fired, most severe first
    SupervisionFigures figures;
    friend bool operator==(const SupervisionDecision&, const SupervisionDecision&) = default;
};

// Supervises every project in the building stage on `on` (the others are not supervised: nothing is
// being spent before building, and completed or revoked projects are closed), in ascending id order.
//
// First the figures decide a verdict by the thresholds (the most severe rule that fires; on_track
// when none does). Then the project's last decision in `history` (the latest dated before `on`; of
// equal dates the later in the span) escalates it. Decisions dated `on` itself are ignored, so running
// a day's supervision again with its own decisions already in the history gives the same decisions:
//   - last rectify, deadline not passed, still at rectify or worse: rectify, same deadline
//     (a deadline never rolls forward by supervising again);
//   - last rectify, deadline passed (on > deadline), still at rectify or worse: suspend_funding,
//     deadline on + suspend_days;
//   - last suspend_funding, deadline not passed, still at rectify or worse: suspend_funding, same deadline;
//   - last suspend_funding, deadline passed, still at rectify or worse: revoke;
//   - last rectify or suspend_funding and now better than rectify: the figures' verdict (rectified,
//     funding restored), noted as a finding;
//   - last revoke: revoke (the decision stands; apply it to the project's stage).
// A fresh rectify gets deadline on + rectify_days. History decisions of projects not supervised now
// are ignored. Throws Error(invalid) for an invalid project or thresholds, or two projects with one id.
std::vector<SupervisionDecision> supervise(std::span<const Project> projects, std::span<const SupervisionDecision> history,
                                           const SupervisionThresholds& thresholds, boost::gregorian::date on);

// --- The supervision report (§6.2 定期出具监管报告).

struct ReportPeriod {
    std::string label;                 // "2026 Q1"
    boost::gregorian::date first;      // inclusive
    boost::gregorian::date last;       // inclusive, >= first
    friend bool operator==(const ReportPeriod&, const ReportPeriod&) = default;
};

struct ReportEntry {
    ProjectId project;
    std::string name;
    ProjectKind kind = ProjectKind::database;
    std::vector<PlatformId> platforms;
    bool green_channel = false;
    std::string agent;
    SupervisionDecision decision;      // the project's last decision of the period
    friend bool operator==(const ReportEntry&, const ReportEntry&) = default;
};

struct SupervisionReport {
    std::string office;                // who files it: "Xihu District Service Industry Office"
    ReportPeriod period;
    std::vector<ReportEntry> entries;  // by verdict, most severe first, then project id
    std::array<int, verdict_count> count{};   // entries per verdict
    Fen budget = 0;                    // Σ over the entries, figures as of their decisions
    Fen government = 0;
    Fen disbursed = 0;
    Fen spent = 0;
    friend bool operator==(const SupervisionReport&, const SupervisionReport&) = default;
};

// The report of a period: for each project, its last decision dated within the period (decisions
// outside it are skipped). Throws Error(invalid) for a reversed period, and Error(not_found) for a
// decision whose project is not in `projects`.
SupervisionReport supervision_report(std::span<const Project> projects, std::span<const SupervisionDecision> decisions,
                                     const std::string& office, const ReportPeriod& period);

// The report as JSON text (docs: the keys follow the struct fields; dates "YYYY-MM-DD", money in fen,
// enums by name) and as a readable English report for filing.
std::string supervision_report_json(const SupervisionReport&);
std::string supervision_report_text(const SupervisionReport&);

}  // namespace psp
