// Evaluation of platforms on an indicator tree (DESIGN.md §4 "Monitoring and evaluation", issue 7;
// policy §4.3 完善激励机制: 内部自律、委托第三方测评与社会公开测评): scores, grades, ranking and
// the incentive split of a budget. Pure and deterministic; the Database stores runs.
//
// The tree has two levels, as the national evaluation of shared research instruments does: groups
// (first-level indicators such as management, operation, sharing) and, under each, indicators (the
// leaves). Weights are integer basis points, and the weights of the groups, and of the indicators
// under each group, sum to exactly 10000. Basis points make "sums to 1" an exact integer test (0.1 +
// 0.2 != 0.3 in binary, and a tolerance would let 0.9999 through) and survive storage and the C ABI
// unchanged; 1 bp = 0.01 %, finer than any published indicator system.
//
// Per platform p and indicator i:
//   raw(p, i)   measured: the value supplied (from statistics: hours, a rate, a count…)
//               entered:  Σ_s source_bp[s] · score(p, i, s) / 10000 over the sources with a weight,
//                         each score 0–100 (self-assessment, third party, public rating)
//   norm(p, i)  in [0, 1]:
//               min_max, higher is better: (raw − min) / (max − min), min and max over the platforms
//                        evaluated; lower is better: (max − raw) / (max − min). When max == min the
//                        indicator does not separate them and every platform gets 1 (min–max knows
//                        nothing of the absolute level; use a target where that matters).
//               target,  higher is better: min(raw / target, 1); lower is better: 1 when raw <= target,
//                        else target / raw. Raw values must be >= 0 and the target > 0.
//   group(p, g) = 100 · Σ_i weight_bp(i) · norm(p, i) / 10000         (0–100)
//   score(p)    = Σ_g weight_bp(g) · group(p, g) / 10000               (0–100)
// Every score and group score is rounded to 0.01 point (half away from zero) once, at the end, so
// grades, ties and the incentive weights compare exact hundredths rather than rounding noise.
//
// EvaluationGrade: score >= excellent → excellent; >= good → good; >= pass → pass; else poor (defaults
// 90 / 75 / 60; thresholds, like the floor, are taken to 0.01 point). Poor platforms are flagged for public naming and a funding cut, and get no incentive.
// Ranking: score descending, then the score of the tie-break group (default "sharing", the core of
// the policy: 以共享为核心的激励机制), descending, then platform id ascending; ranks are 1 … n with no
// ties.
// Incentive: a budget in fen split among the platforms that are not poor and score above `floor`,
// in proportion to (score − floor) in hundredths of a point, by the largest-remainder method
// (largest_remainder below), so the parts sum exactly to the budget. When no platform qualifies
// nothing is paid and the whole budget is reported unallocated.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/date_time/gregorian/gregorian_types.hpp>

#include "psp/ids.hpp"
#include "psp/model.hpp"

namespace psp {

// Who supplies an indicator value. Values are part of the stable C ABI: never renumber, only append.
enum class EvaluationSource : int {
    measured = 0,       // from statistics (or any figure the city measures), in the indicator's unit
    self = 1,           // 自评: the platform's self-assessment, 0–100
    third_party = 2,    // 第三方测评: a commissioned evaluator, 0–100
    public_rating = 3,  // 社会公开测评: users and the public, 0–100
};
inline constexpr int evaluation_source_count = 4;
inline constexpr double max_entered_score = 100;

enum class Normalisation : int { min_max = 0, target = 1 };
enum class Direction : int { higher_is_better = 0, lower_is_better = 1 };

// A leaf. It is measured (one measured value per platform) or entered (one 0–100 score per platform
// from each source with a weight).
struct Indicator {
    std::string name;                 // unique in the tree (groups included), not empty
    int weight_bp = 0;                // share within its group, 0..10000
    bool measured = false;
    // Entered indicators: the weight of self, third_party, public_rating (index = source − 1), each
    // 0..10000, summing to 10000. Measured indicators: all 0.
    std::array<int, 3> source_bp{0, 0, 0};
    Normalisation normalisation = Normalisation::target;
    Direction direction = Direction::higher_is_better;
    double target = 100;              // for Normalisation::target: finite and > 0; ignored by min_max
    friend bool operator==(const Indicator&, const Indicator&) = default;
};

// A first-level indicator.
struct IndicatorGroup {
    std::string name;                 // unique in the tree, not empty
    int weight_bp = 0;                // share of the composite score, 0..10000
    std::vector<Indicator> indicators;   // at least one; weights sum to 10000
    friend bool operator==(const IndicatorGroup&, const IndicatorGroup&) = default;
};

struct IndicatorTree {
    std::vector<IndicatorGroup> groups;   // at least one; weights sum to 10000
    std::string tie_break = "sharing";    // the group whose score breaks ties in score; "" = none
    friend bool operator==(const IndicatorTree&, const IndicatorTree&) = default;
};

// The default tree, modelled on the national evaluation of shared research instruments (management,
// operation, sharing) plus the network indicators only psp can measure. The weights and targets are
// illustrative: a city sets its own. Measured indicators and the statistic each expects:
//   online service          share of the platform's services bookable online, 0–1, target 0.9
//   effective hours         used hours per instrument over the year, target 1,600 (national average)
//   shared hours            hours for users outside the platform's own zones per instrument, min–max
//   external service        external share of served requests, 0–1, target 0.5
//   referrals served        requests served on referral from another platform, min–max
//   alliance contribution   referrals made plus pool contributions, as the city scores them, min–max
//   fulfilment rate         requests served / received, 0–1, target 0.95
// Entered (0–100, target 100): openness, technical staff, upkeep, support to major tasks, user ratings.
IndicatorTree default_tree();

// Throws psp::Error(invalid) naming the group or indicator for: no group, a group with no indicator,
// an empty or duplicate name (groups and indicators share one namespace), a weight outside 0..10000,
// weights that do not sum to 10000 (groups; indicators under a group; sources of an entered
// indicator), an indicator with no source (not measured and no source weight), a measured indicator
// with source weights, a target that is not finite and > 0, an unknown normalisation or direction,
// or a tie-break naming no group.
void validate(const IndicatorTree&);

// One input: a measured value, or one source's entered score, of one indicator for one platform.
struct IndicatorValue {
    PlatformId platform;
    std::string indicator;            // a leaf name of the tree
    EvaluationSource source = EvaluationSource::measured;
    double value = 0;
    friend bool operator==(const IndicatorValue&, const IndicatorValue&) = default;
};

struct GradeThresholds {
    double excellent = 90;
    double good = 75;
    double pass = 60;
    friend bool operator==(const GradeThresholds&, const GradeThresholds&) = default;
};

// An evaluation's grade; certification (psp/certification.hpp) sets its thresholds in these. Ordered
// worst to best, so "at least good" is >=. Values are part of the stable C ABI: never renumber.
enum class EvaluationGrade : int { poor = 0, pass = 1, good = 2, excellent = 3 };
inline constexpr int evaluation_grade_count = 4;
template <> std::optional<EvaluationGrade> parse_enum(std::string_view);

// Everything an evaluation reads, so a stored run can be replayed: evaluate(run.spec) == run.
struct EvaluationSpec {
    IndicatorTree tree = default_tree();
    std::vector<PlatformId> platforms;        // the evaluated set: ids > 0, unique, at least one
    std::vector<IndicatorValue> values;       // exactly the inputs the tree asks of each platform
    GradeThresholds thresholds;               // 0 <= pass <= good <= excellent <= 100
    Fen budget = 0;                           // incentive budget, fen, >= 0
    double floor = 60;                        // incentive floor, 0..100, taken to 0.01 point
    friend bool operator==(const EvaluationSpec&, const EvaluationSpec&) = default;
};

struct PlatformEvaluation {
    PlatformId platform;
    double score = 0;                         // 0–100, in hundredths
    std::vector<double> group_scores;         // 0–100 per group, tree order, in hundredths
    std::vector<double> indicator_scores;     // 100 · norm per indicator, tree order (groups flattened), unrounded
    EvaluationGrade grade = EvaluationGrade::poor;
    int rank = 0;                             // 1 = best
    Fen incentive = 0;
    bool flagged = false;                     // poor: public naming and funding cut
    friend bool operator==(const PlatformEvaluation&, const PlatformEvaluation&) = default;
};

struct EvaluationRun {
    EvaluationSpec spec;                      // the inputs, as given
    std::vector<PlatformEvaluation> results;  // in rank order
    Fen allocated = 0;                        // Σ incentives
    Fen unallocated = 0;                      // budget − allocated: the whole budget or 0
    std::int64_t flagged = 0;                 // platforms graded poor
    friend bool operator==(const EvaluationRun&, const EvaluationRun&) = default;
};

// An evaluation the Database runs on its own data (Database::run_evaluation): the measured indicators
// of the default tree are computed from the monitoring statistics of [from, to] (both days
// included), per platform:
//   effective hours        used hours per instrument (used_seconds / 3600 / its equipment count)
//   shared hours           external hours per instrument (external_seconds / 3600 / equipment count)
//   external service       external share of its booked hours, 0–1
//   referrals served       requests served on referral from another platform (referred_in)
//   alliance contribution  requests it referred to other platforms (referred_out)
//   fulfilment rate        requests served / received, 0–1 (1 when it received none: nothing unmet)
// A measured value given in `values` is taken instead; other measured indicators (online service,
// or those of a city's own tree) must be given there, with the entered scores.
struct EvaluationRequest {
    std::string label;                        // e.g. "2025 annual evaluation"; not empty
    IndicatorTree tree = default_tree();
    std::vector<PlatformId> platforms;        // empty: every operating platform
    boost::gregorian::date from;              // the days the measured indicators cover
    boost::gregorian::date to;
    std::vector<IndicatorValue> values;       // entered scores, and measured values given
    GradeThresholds thresholds;
    Fen budget = 0;
    double floor = 60;
    friend bool operator==(const EvaluationRequest&, const EvaluationRequest&) = default;
};

using EvaluationRunId = Id<struct EvaluationRunTag>;

// A run as the Database keeps it: the label and period, and the run with every input it read, so
// that evaluate(stored.run.spec) reproduces stored.run.
struct StoredEvaluation {
    EvaluationRunId id;
    std::string label;
    boost::gregorian::date from;
    boost::gregorian::date to;
    EvaluationRun run;
    friend bool operator==(const StoredEvaluation&, const StoredEvaluation&) = default;
};

// Evaluates the spec. Throws Error(invalid) naming the indicator and platform for: an invalid tree
// or thresholds, a negative budget, a floor outside 0..100, a platform id <= 0 or listed twice, a
// value for an unknown indicator or an unevaluated platform, a value from a source the indicator
// does not take, a value given twice, a missing value, a value that is not finite, an entered score
// outside 0..100, a negative measured value under target normalisation.
EvaluationRun evaluate(EvaluationSpec spec);

// Splits `budget` (>= 0) in proportion to `weights` (each >= 0) by the largest-remainder method:
// each part is floor(budget · w / W) (W = Σ weights), and the fen left over go one each to the largest
// remainders budget · w mod W, ties to the lower index. Parts sum to the budget when W > 0; all 0
// when W == 0. Exact (128-bit products). Throws Error(invalid) for a negative budget or weight, or
// W beyond 64 bits.
std::vector<Fen> largest_remainder(Fen budget, std::span<const std::int64_t> weights);

const char* to_string(EvaluationGrade);   // "poor", "pass", "good", "excellent"
const char* to_string(EvaluationSource) noexcept;

}  // namespace psp
