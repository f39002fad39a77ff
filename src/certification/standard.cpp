// Certification standards, platform records and the check of one against the other
// (include/psp/certification.hpp).
#include <array>
#include <string>

#include "certification/text.hpp"
#include "core/enum_names.hpp"
#include "psp/certification.hpp"
#include "psp/pricing.hpp"

namespace psp {
namespace {

using certification::cat;
using certification::count_of;
using certification::invalid;
using certification::percent;

constexpr std::array<const char*, demo_level_count> level_names{"municipal", "provincial", "national"};
constexpr std::array<const char*, evaluation_grade_count> grade_names{"poor", "pass", "good", "excellent"};
constexpr std::array<const char*, certification_threshold_count> threshold_names{
    "years_operating", "grade", "enterprises_served", "utilisation", "revoked_projects", "published_services",
    "years_recognised_below"};

bool level_ok(DemoLevel l) { return static_cast<int>(l) >= 0 && static_cast<int>(l) < demo_level_count; }
bool grade_ok(EvaluationGrade g) { return static_cast<int>(g) >= 0 && static_cast<int>(g) < evaluation_grade_count; }

[[noreturn]] void bad_standard(const CertificationStandard& s, const char* field, const std::string& problem) {
    invalid(cat("certification standard ", to_string(s.level), ' ', field, ": ", problem));
}

void not_negative(const CertificationStandard& s, const char* field, std::int64_t v) {
    if (v < 0) bad_standard(s, field, cat(v, " is negative"));
}

// The fields of a higher level's standard against the same fields of a lower one's.
void check_order(const CertificationStandard& lo, const CertificationStandard& hi) {
    const auto contradiction = [&](const char* field, const std::string& hi_v, const char* relation,
                                   const std::string& lo_v) {
        invalid(cat("certification standards: ", to_string(hi.level), ' ', field, ' ', hi_v, ' ', relation, ' ',
                    to_string(lo.level), "'s ", lo_v, "; a higher level may not ask less than a lower one"));
    };
    const auto at_least = [&](const char* field, std::int64_t h, std::int64_t l) {
        if (h < l) contradiction(field, std::to_string(h), "is below", std::to_string(l));
    };
    at_least("min_years_operating", hi.min_years_operating, lo.min_years_operating);
    if (hi.min_grade < lo.min_grade) contradiction("min_grade", to_string(hi.min_grade), "is below", to_string(lo.min_grade));
    at_least("min_enterprises_served", hi.min_enterprises_served, lo.min_enterprises_served);
    at_least("min_utilisation_bp", hi.min_utilisation_bp, lo.min_utilisation_bp);
    if (hi.max_revoked_projects > lo.max_revoked_projects) {
        contradiction("max_revoked_projects", std::to_string(hi.max_revoked_projects), "is above",
                      std::to_string(lo.max_revoked_projects));
    }
    if (lo.require_published_services && !hi.require_published_services) {
        contradiction("require_published_services", "false", "drops", "requirement");
    }
    at_least("min_years_recognised_below", hi.min_years_recognised_below, lo.min_years_recognised_below);
    at_least("min_expert_score", hi.min_expert_score, lo.min_expert_score);
}

ThresholdCheck minimum(CertificationThreshold t, std::int64_t actual, std::int64_t required, const std::string& actual_text,
                       const std::string& required_text) {
    const bool met = actual >= required;
    return {t, met, actual, required, cat(actual_text, met ? " meets " : " below ", required_text)};
}

}  // namespace

const char* to_string(DemoLevel v) { return detail::name_at(level_names, static_cast<int>(v)); }
const char* to_string(EvaluationGrade v) { return detail::name_at(grade_names, static_cast<int>(v)); }
const char* to_string(CertificationThreshold v) { return detail::name_at(threshold_names, static_cast<int>(v)); }
template <> std::optional<DemoLevel> parse_enum(std::string_view n) { return detail::find_name<DemoLevel>(level_names, n); }
template <> std::optional<EvaluationGrade> parse_enum(std::string_view n) {
    return detail::find_name<EvaluationGrade>(grade_names, n);
}

void validate(const CertificationStandard& s) {
    if (!level_ok(s.level)) invalid(cat("certification standard level: ", static_cast<int>(s.level), " is not a level"));
    not_negative(s, "min_years_operating", s.min_years_operating);
    if (!grade_ok(s.min_grade)) bad_standard(s, "min_grade", cat(static_cast<int>(s.min_grade), " is not a grade"));
    not_negative(s, "min_enterprises_served", s.min_enterprises_served);
    not_negative(s, "min_utilisation_bp", s.min_utilisation_bp);
    if (s.min_utilisation_bp > basis_points) {
        bad_standard(s, "min_utilisation_bp", cat(s.min_utilisation_bp, " basis points is above 10000 (100 %)"));
    }
    not_negative(s, "max_revoked_projects", s.max_revoked_projects);
    not_negative(s, "min_years_recognised_below", s.min_years_recognised_below);
    if (s.level == DemoLevel::municipal && s.min_years_recognised_below != 0) {
        bad_standard(s, "min_years_recognised_below",
                     cat(s.min_years_recognised_below, " years: there is no demonstration level below municipal"));
    }
    not_negative(s, "min_expert_score", s.min_expert_score);
    if (s.validity_years < 1 || s.validity_years > 10) {
        bad_standard(s, "validity_years", cat(s.validity_years, " is outside 1..10"));
    }
}

void validate(std::span<const CertificationStandard> standards) {
    std::array<const CertificationStandard*, demo_level_count> by_level{};
    for (const auto& s : standards) {
        validate(s);
        auto& slot = by_level[static_cast<std::size_t>(s.level)];
        if (slot != nullptr) invalid(cat("certification standards: two standards for level ", to_string(s.level)));
        slot = &s;
    }
    for (std::size_t lo = 0; lo < by_level.size(); ++lo) {
        for (std::size_t hi = lo + 1; hi < by_level.size(); ++hi) {
            if (by_level[lo] != nullptr && by_level[hi] != nullptr) check_order(*by_level[lo], *by_level[hi]);
        }
    }
}

void validate(const PlatformRecord& r) {
    const auto bad = [](const char* field, const std::string& problem) {
        invalid(cat("platform record ", field, ": ", problem));
    };
    if (r.platform.value <= 0) bad("platform", cat("id ", r.platform.value, " is not positive"));
    if (r.years_operating < 0) bad("years_operating", cat(r.years_operating, " is negative"));
    if (r.grade && !grade_ok(*r.grade)) bad("grade", cat(static_cast<int>(*r.grade), " is not a grade"));
    if (r.enterprises_served < 0) bad("enterprises_served", cat(r.enterprises_served, " is negative"));
    if (r.utilisation_bp < 0 || r.utilisation_bp > basis_points) {
        bad("utilisation_bp", cat(r.utilisation_bp, " basis points is outside 0..10000"));
    }
    if (r.revoked_projects < 0) bad("revoked_projects", cat(r.revoked_projects, " is negative"));
    for (std::size_t l = 0; l < level_names.size(); ++l) {
        if (r.years_recognised[l] < 0) bad("years_recognised", cat(level_names[l], ' ', r.years_recognised[l], " is negative"));
    }
}

bool CheckResult::passed() const {
    for (const auto& c : checks) {
        if (!c.met) return false;
    }
    return true;
}

std::vector<std::string> CheckResult::failures() const {
    std::vector<std::string> out;
    for (const auto& c : checks) {
        if (!c.met) out.push_back(c.text);
    }
    return out;
}

CheckResult check(const PlatformRecord& r, const CertificationStandard& s) {
    validate(s);
    validate(r);
    CheckResult out{r.platform, s.level, {}};
    auto& c = out.checks;
    c.push_back(minimum(CertificationThreshold::years_operating, r.years_operating, s.min_years_operating,
                        cat(count_of(r.years_operating, "year", "years"), " operating"),
                        count_of(s.min_years_operating, "year", "years")));
    if (r.grade) {
        c.push_back(minimum(CertificationThreshold::grade, static_cast<int>(*r.grade), static_cast<int>(s.min_grade),
                            cat("evaluation grade ", to_string(*r.grade)), to_string(s.min_grade)));
    } else {
        c.push_back({CertificationThreshold::grade, false, -1, static_cast<int>(s.min_grade),
                     cat("never evaluated; grade ", to_string(s.min_grade), " or better required")});
    }
    c.push_back(minimum(CertificationThreshold::enterprises_served, r.enterprises_served, s.min_enterprises_served,
                        cat(count_of(r.enterprises_served, "enterprise", "enterprises"), " served in the year"),
                        std::to_string(s.min_enterprises_served)));
    c.push_back(minimum(CertificationThreshold::utilisation, r.utilisation_bp, s.min_utilisation_bp,
                        cat("utilisation ", percent(r.utilisation_bp)), percent(s.min_utilisation_bp)));
    {
        const bool met = r.revoked_projects <= s.max_revoked_projects;
        std::string t = r.revoked_projects == 0 ? std::string("no revoked project")
                                                : count_of(r.revoked_projects, "revoked project", "revoked projects");
        if (r.revoked_projects > 0 || s.max_revoked_projects > 0) {
            t.append(met ? ", within the " : ", above the ").append(std::to_string(s.max_revoked_projects)).append(" allowed");
        }
        c.push_back({CertificationThreshold::revoked_projects, met, r.revoked_projects, s.max_revoked_projects, std::move(t)});
    }
    if (s.require_published_services) {
        c.push_back({CertificationThreshold::published_services, r.published_services, r.published_services ? 1 : 0, 1,
                     r.published_services ? "service products, fees and processes published"
                                          : "service products, fees and processes not published"});
    }
    if (s.min_years_recognised_below > 0) {
        const auto below = static_cast<DemoLevel>(static_cast<int>(s.level) - 1);
        const int y = r.years_recognised[static_cast<std::size_t>(below)];
        c.push_back(minimum(CertificationThreshold::years_recognised_below, y, s.min_years_recognised_below,
                            cat(count_of(y, "year", "years"), " recognised at ", to_string(below), " level or higher"),
                            count_of(s.min_years_recognised_below, "year", "years")));
    }
    return out;
}

CheckResult check(const CertificationApplication& a, const CertificationStandard& s) {
    validate(s);
    if (a.level != s.level) {
        invalid(cat("application: level ", to_string(a.level), " checked against the ", to_string(s.level), " standard"));
    }
    if (a.record.platform != a.platform) {
        invalid(cat("application: record of platform ", a.record.platform.value, " for platform ", a.platform.value));
    }
    if (a.filed.is_special()) invalid("application filed: not a date");
    return check(a.record, s);
}

}  // namespace psp
