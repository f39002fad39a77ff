// Certification of demonstration platforms (示范平台, policy §4.1; DESIGN.md §4 "Rollout", issue 6):
// standards per level, the check of an application against them, expert scoring, recognition (授牌)
// for a validity period and the review when it ends. Pure rules on values; persistence, the journal
// and the actor checks belong to Database.
//
// The workflow the policy describes (研究制定…认定和评选办法，公开申报，组织专家评审，统一授牌):
//   1. the office publishes a CertificationStandard per level (validate(standards) checks the set);
//   2. a platform applies at a level with its PlatformRecord; check() compares it with every threshold;
//   3. a panel of at least three experts scores it; score_panel() drops the highest and the lowest
//      score and averages the rest;
//   4. decide() approves when every threshold is met and the panel score reaches the pass mark;
//   5. RecognitionRegister::grant() recognises the platform at the level for validity_years;
//   6. when the term ends (or on demand) RecognitionRegister::review() checks the platform again:
//      it is renewed, demoted to the highest level it still meets, or withdrawn, with the reason.
//
// Dates are calendar dates (boost::gregorian::date; "YYYY-MM-DD" at the C ABI). A term is the
// half-open range [from, until): a recognition granted on 2025-03-01 for 3 years is valid through
// 2028-02-29 and its review falls on 2028-03-01.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <boost/date_time/gregorian/gregorian_types.hpp>

#include "psp/evaluation.hpp"
#include "psp/ids.hpp"
#include "psp/model.hpp"

namespace psp {

// Values are part of the stable C ABI: never renumber, only append. Ordered: a higher value is a
// higher level.
enum class DemoLevel : int {
    municipal = 0,    // 市级示范平台
    provincial = 1,   // 省级示范平台
    national = 2,     // 国家级示范平台
};
inline constexpr int demo_level_count = 3;

// The grade of a platform's periodic evaluation (考核、测评, §4.3) is psp::EvaluationGrade, produced by
// the evaluation engine (psp/evaluation.hpp). Ordered: a higher value is a better grade.

const char* to_string(DemoLevel);          // "municipal", "provincial", "national"
template <> std::optional<DemoLevel> parse_enum(std::string_view);

// What a platform must show to be recognised at `level`. The policy asks for platforms that are
// 运作规范 (well run: published services, fees and processes, §5.1), 业绩突出 (outstanding results:
// grade, enterprises served, utilisation) and 信誉良好 (in good standing: no revoked project, §6.2),
// and grows them level by level (培育一批市级、省级、国家级示范平台).
struct CertificationStandard {
    DemoLevel level = DemoLevel::municipal;
    int min_years_operating = 0;             // full years in operation
    EvaluationGrade min_grade = EvaluationGrade::good;   // latest evaluation grade at least this
    std::int64_t min_enterprises_served = 0; // distinct enterprises served in the last year
    int min_utilisation_bp = 0;              // utilisation of its shared equipment, basis points (10000 = 100 %)
    int max_revoked_projects = 0;            // projects revoked (撤销立项) in the look-back the office counts
    bool require_published_services = false; // service products, standard fees and processes published
    int min_years_recognised_below = 0;      // full years recognised at the level below (or higher);
                                             // 0 = not required; must be 0 for municipal
    int min_expert_score = 600;              // panel pass mark, in the PanelRules unit (tenths: 60.0)
    int validity_years = 3;                  // term of a recognition, 1..10
    friend bool operator==(const CertificationStandard&, const CertificationStandard&) = default;
};

// Throws psp::Error(invalid) naming the level and field ("certification standard provincial
// min_utilisation_bp: 12000 basis points is above 10000"): a level or grade outside its enum, a
// negative count, utilisation outside 0..10000, min_years_recognised_below > 0 at municipal level,
// validity_years outside 1..10, or a negative min_expert_score (decide() checks it against the
// PanelRules' range).
void validate(const CertificationStandard&);

// Validates each standard, then the set: one standard per level at most (levels may be missing), and
// a higher level never asks less than a lower one: every minimum (years, grade, enterprises,
// utilisation, years recognised below, expert score) at least the lower level's, max_revoked_projects
// at most the lower level's, require_published_services kept once a lower level requires it. The error
// names both levels and the field ("certification standards: provincial min_utilisation_bp 3000 is
// below municipal's 4000").
void validate(std::span<const CertificationStandard>);

// The facts an application (or a review) is checked against, as of its date. The caller gathers them
// (monitoring gives utilisation and enterprises served, evaluation the grade, the project pipeline the
// revocations, RecognitionRegister::years_recognised the recognition years).
struct PlatformRecord {
    PlatformId platform;
    int years_operating = 0;                 // full years in operation (full_years(opened, on))
    std::optional<EvaluationGrade> grade;    // the latest evaluation grade; none = never evaluated
    std::int64_t enterprises_served = 0;     // distinct enterprises served in the last year
    int utilisation_bp = 0;                  // 0..10000
    int revoked_projects = 0;
    bool published_services = false;
    std::array<int, demo_level_count> years_recognised{};   // full years recognised at each level or higher
    friend bool operator==(const PlatformRecord&, const PlatformRecord&) = default;
};

// Throws Error(invalid) naming the field: platform id <= 0, a negative figure, utilisation above
// 10000 basis points, a grade outside its enum.
void validate(const PlatformRecord&);

struct CertificationApplication {
    PlatformId platform;
    DemoLevel level = DemoLevel::municipal;   // the level applied for
    boost::gregorian::date filed;             // the date the record is as of
    PlatformRecord record;                    // record.platform must be `platform`
    friend bool operator==(const CertificationApplication&, const CertificationApplication&) = default;
};

// Values are part of the stable C ABI: never renumber, only append.
enum class CertificationThreshold : int {
    years_operating = 0,
    grade = 1,
    enterprises_served = 2,
    utilisation = 3,
    revoked_projects = 4,
    published_services = 5,
    years_recognised_below = 6,
};
inline constexpr int certification_threshold_count = 7;
const char* to_string(CertificationThreshold);   // "years_operating", ...

// One threshold of a standard against the record. `actual` and `required` are the figures in the
// threshold's unit: years, EvaluationGrade value (-1 = never evaluated), enterprises, basis points,
// projects (required = the maximum allowed), 0/1 for published services.
struct ThresholdCheck {
    CertificationThreshold threshold = CertificationThreshold::years_operating;
    bool met = false;
    std::int64_t actual = 0;
    std::int64_t required = 0;
    std::string text;   // "utilisation 38 % below 40 %", "5 years operating meets 3 years", ...
    friend bool operator==(const ThresholdCheck&, const ThresholdCheck&) = default;
};

// The checks in CertificationThreshold order: the first five always, published_services only when the standard
// requires it, years_recognised_below only when it is > 0.
struct CheckResult {
    PlatformId platform;
    DemoLevel level = DemoLevel::municipal;
    std::vector<ThresholdCheck> checks;
    bool passed() const;                    // every check met
    std::vector<std::string> failures() const;   // the texts of the checks not met
    friend bool operator==(const CheckResult&, const CheckResult&) = default;
};

// Checks the record against every threshold of the standard. Throws Error(invalid) for an invalid
// standard or record, an application whose level is not the standard's, or whose record names
// another platform.
CheckResult check(const CertificationApplication&, const CertificationStandard&);
// The same for a record alone (a review): the level is the standard's.
CheckResult check(const PlatformRecord&, const CertificationStandard&);

// Expert review (组织专家评审). Scores are integers in a fixed unit, tenths of a point by default
// (0..1000 = 0.0..100.0), so that the mean is exact.
struct PanelRules {
    int min_score = 0;
    int max_score = 1000;
    int min_experts = 3;     // at least 3: the highest and the lowest are dropped, one score must remain
    int decimals = 1;        // the unit is 10^-decimals of a point (1 = tenths); for text only, 0..4
    friend bool operator==(const PanelRules&, const PanelRules&) = default;
};

// Throws Error(invalid): min_score < 0, max_score <= min_score, min_experts < 3, decimals outside 0..4.
void validate(const PanelRules&);

struct ExpertScore {
    std::string expert;   // the expert's name as in Actor::name; non-empty, compared exactly
    int score = 0;
    friend bool operator==(const ExpertScore&, const ExpertScore&) = default;
};

// The panel's result. With n scores sorted, one highest and one lowest are dropped (one each even when
// several experts tie) and the n − 2 left are averaged:
//   mean  = kept_sum / kept                      (exact, as a fraction)
//   score = floor(kept_sum / kept)               (rounded down to the unit)
// Rounded down so that score >= a pass mark exactly when the exact mean is (the pass mark is a whole
// number of units): a panel is never passed by rounding. When experts tie on a dropped score, the one
// named is the smallest name among them (the lowest takes it first when every score ties), so the
// result never depends on the order of the list.
struct PanelScore {
    int experts = 0;
    int highest = 0;                 // the dropped highest score
    int lowest = 0;                  // the dropped lowest score
    std::string dropped_highest;     // whose
    std::string dropped_lowest;
    std::int64_t kept_sum = 0;
    int kept = 0;                    // experts − 2
    int score = 0;                   // floor(kept_sum / kept)
    int decimals = 1;                // the rules' unit, for text (score_text(score, decimals))
    friend bool operator==(const PanelScore&, const PanelScore&) = default;
};

// Throws Error(invalid) for invalid rules, fewer than rules.min_experts scores ("3 experts required,
// 2 scored"), an empty expert name, an expert scoring twice (naming the expert), or a score outside
// [min_score, max_score] (naming the expert and the score).
PanelScore score_panel(std::span<const ExpertScore>, const PanelRules& rules = {});

// A score in units of 10^-decimals points as text: score_text(853) is "85.3", score_text(853, 0) "853".
std::string score_text(int score, int decimals = 1);

// The decision on an application: approved when every threshold is met and the panel score reaches
// the standard's pass mark (the panel score, rounded down, at least min_expert_score). A refusal is an
// answer (with the reasons), not an error.
struct CertificationDecision {
    CheckResult check;
    PanelScore panel;
    bool approved = false;
    std::vector<std::string> reasons;   // failed thresholds, then "expert score 58.5 below 60.0"
    friend bool operator==(const CertificationDecision&, const CertificationDecision&) = default;
};

// Throws what check() and score_panel() throw, and Error(invalid) when the standard's pass mark is
// outside [rules.min_score, rules.max_score]. The pass mark is in the rules' unit.
CertificationDecision decide(const CertificationApplication&, const CertificationStandard&,
                             std::span<const ExpertScore> scores, const PanelRules& rules = {});

// How a recognition's term ended. Values are part of the stable C ABI.
enum class RecognitionEnd : int {
    open = 0,         // still running (or run out and awaiting its review)
    renewed = 1,      // reviewed at term end and met its level: a new term at the same level follows
    demoted = 2,      // reviewed and met only a lower level: a term at that level follows
    withdrawn = 3,    // reviewed and met no level: no recognition follows
    superseded = 4,   // a grant at a higher level replaced it
};
inline constexpr int recognition_end_count = 5;
const char* to_string(RecognitionEnd);

// One term of recognition (授牌) at one level.
struct Recognition {
    std::int64_t number = 0;          // certificate number: 1, 2, ... in the order granted by the register
    PlatformId platform;
    DemoLevel level = DemoLevel::municipal;
    boost::gregorian::date from;      // first day
    boost::gregorian::date until;     // end of validity, exclusive: from + validity_years
    std::string basis;                // why it was granted ("application approved, expert score 85.3")
    RecognitionEnd end = RecognitionEnd::open;
    std::optional<boost::gregorian::date> ended;   // the day it stopped, once closed
    std::string end_reason;
    friend bool operator==(const Recognition&, const Recognition&) = default;
};

// Values are part of the stable C ABI.
enum class RecognitionReviewKind : int {
    confirmed = 0,   // an on-demand review during the term: still meets its level, nothing changes
    renewed = 1,     // at term end, meets its level: a new term at the same level
    demoted = 2,     // meets only a lower level: recognised at the highest level it meets
    withdrawn = 3,   // meets no level: recognition ends
};
const char* to_string(RecognitionReviewKind);

// The answer of a review. A platform that meets a HIGHER level's thresholds keeps its level and is
// told so (eligible_higher): recognition at a higher level needs an application and an expert panel
// (§4.1 公开申报、组织专家评审), which a review does not replace.
struct RecognitionReview {
    RecognitionReviewKind kind = RecognitionReviewKind::confirmed;
    PlatformId platform;
    DemoLevel from_level = DemoLevel::municipal;
    std::optional<DemoLevel> to_level;           // the level held after the review; none when withdrawn
    std::optional<DemoLevel> eligible_higher;    // the highest level above from_level whose thresholds it meets
    std::vector<CheckResult> checks;             // per standard given, in level order
    std::string reason;                          // one line, with the failing figures when demoted/withdrawn
    std::optional<Recognition> next;             // the term that follows (renewed / demoted)
    friend bool operator==(const RecognitionReview&, const RecognitionReview&) = default;
};

// An application as a case file (Database::apply_for_certification): filed by the platform, scored by
// the experts one by one (each at most once), decided once by the office; an approval is granted on
// the day of the decision and the case names the certificate.
using CertificationCaseId = Id<struct CertificationCaseTag>;

struct CertificationCase {
    CertificationCaseId id;
    CertificationApplication application;
    std::vector<ExpertScore> scores;                 // in the order given
    std::optional<boost::gregorian::date> decided;   // set once decided
    std::optional<CertificationDecision> decision;
    std::int64_t certificate = 0;                    // Recognition::number granted; 0 when none
    friend bool operator==(const CertificationCase&, const CertificationCase&) = default;
};

// Full years from `from` to `on` (anniversaries passed; one born on 29 February turns a year older on
// 1 March in a common year). Negative when `on` is before `from`.
int full_years(boost::gregorian::date from, boost::gregorian::date on);
// `d` plus `years` years; 29 February becomes 28 February in a common year.
boost::gregorian::date add_years(boost::gregorian::date d, int years);

// The recognitions of a city, as history: every term granted, renewed, demoted or withdrawn stays.
// At most one term per platform is open at a time. Invariants are kept by refusing the change:
// nothing is modified when a call throws.
class RecognitionRegister {
public:
    RecognitionRegister() = default;
    // Rebuilds a register from stored history (e.g. read back by Database). Throws Error(invalid) for
    // duplicate or non-positive numbers, a term with until <= from, or two open terms of one platform.
    explicit RecognitionRegister(std::vector<Recognition> history);

    // Recognises the applicant at the decision's level from `on` for standard.validity_years.
    // Throws Error(invalid) when the standard's level is not the decision's or `on` is not a date;
    // Error(refused) when the decision was not approved, or the platform holds an open term at the
    // same or a higher level. An open lower-level term is closed on `on` as superseded. The reference
    // is valid until the next change to the register.
    const Recognition& grant(const CertificationDecision&, const CertificationStandard&, boost::gregorian::date on);

    // Reviews the platform's open term on `on` against `standards` (validated as a set; the term's
    // level must have a standard). A review checks the thresholds only, with no expert panel: keeping
    // or lowering a level is not a new award. `record` is as of `on`. On or after the term's `until` the review
    // closes the term: renewed, demoted (a term at the highest lower level met, for that level's
    // validity) or withdrawn; the new term starts on `on` (a late review leaves a gap in the history,
    // as it happened). Before `until` (on demand) a platform that still meets its level is confirmed
    // and nothing changes; one that does not is demoted or withdrawn from `on`, and a demotion keeps
    // the old term's `until`. Throws Error(not_found) when record.platform has no open term,
    // Error(invalid) for an invalid record or standards, or when `on` is before the term's start.
    RecognitionReview review(const PlatformRecord& record, std::span<const CertificationStandard> standards,
                             boost::gregorian::date on);

    // The term in force on `on`: open or closed later, from <= on < until and not ended by `on`.
    std::optional<Recognition> current(PlatformId, boost::gregorian::date on) const;
    // Every term of the platform, oldest first.
    std::vector<Recognition> history(PlatformId) const;
    // Open terms whose `until` is on or before `on`, i.e. awaiting their review; by until, then number.
    std::vector<Recognition> due_for_review(boost::gregorian::date on) const;
    // Full years of the current unbroken run of recognition at `level` or higher up to `on` (terms
    // that follow each other without a gap, whatever their level as long as it is >= `level`); 0 when
    // not recognised at that level on `on`. Feeds PlatformRecord::years_recognised.
    int years_recognised(PlatformId, DemoLevel level, boost::gregorian::date on) const;

    const std::vector<Recognition>& all() const { return terms_; }

private:
    std::vector<Recognition> terms_;   // in number order
    std::int64_t next_number_ = 1;
};

}  // namespace psp
