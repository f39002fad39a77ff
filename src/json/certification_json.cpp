// Certification standards, records, applications, decisions, recognitions and reviews as JSON.
#include "json/certification_json.hpp"

#include "json/dates.hpp"
#include "psp/error.hpp"

namespace psp::json {
namespace {

template <class Enum>
json enum_or_null(const std::optional<Enum>& e) {
    return e ? json(to_string(*e)) : json(nullptr);
}

template <class Enum>
std::optional<Enum> optional_enum(ObjectReader& r, const char* key, int count) {
    const json* v = r.find(key);
    if (!v || v->is_null()) return std::nullopt;
    return enum_at<Enum>(r, key, count);
}

json check_json(const ThresholdCheck& c) {
    return {{"threshold", to_string(c.threshold)}, {"met", c.met}, {"actual", c.actual}, {"required", c.required},
            {"text", c.text}};
}

ThresholdCheck check_from_json(const json& j, const std::string& path) {
    ObjectReader r(j, path);
    ThresholdCheck c;
    c.threshold = enum_at<CertificationThreshold>(r, "threshold", certification_threshold_count);
    c.met = r.boolean_or("met", false);
    c.actual = r.integer("actual");
    c.required = r.integer("required");
    c.text = r.text_or("text", "");
    r.finish();
    return c;
}

CheckResult check_result_from_json(const json& j, const std::string& path) {
    ObjectReader r(j, path);
    CheckResult c;
    c.platform = r.id<PlatformId>("platform");
    c.level = enum_at<DemoLevel>(r, "level", demo_level_count);
    r.find("passed");   // derived from the checks
    each(r, "checks", [&](const json& e, const std::string& p) { c.checks.push_back(check_from_json(e, p)); });
    r.finish();
    return c;
}

PanelScore panel_from_json(const json& j, const std::string& path) {
    ObjectReader r(j, path);
    PanelScore p;
    p.experts = r.small_integer_or("experts", std::nullopt);
    p.highest = r.small_integer_or("highest", std::nullopt);
    p.lowest = r.small_integer_or("lowest", std::nullopt);
    p.dropped_highest = r.text("dropped_highest");
    p.dropped_lowest = r.text("dropped_lowest");
    p.kept_sum = r.integer("kept_sum");
    p.kept = r.small_integer_or("kept", std::nullopt);
    p.score = r.small_integer_or("score", std::nullopt);
    p.decimals = r.small_integer_or("decimals", 1);
    r.find("score_text");   // derived
    r.finish();
    return p;
}

CertificationDecision decision_from_json(const json& j, const std::string& path) {
    ObjectReader r(j, path);
    CertificationDecision d;
    const json* check = r.find("check");
    if (!check) bad(r.at("check"), "missing");
    d.check = check_result_from_json(*check, r.at("check"));
    const json* panel = r.find("panel");
    if (!panel) bad(r.at("panel"), "missing");
    d.panel = panel_from_json(*panel, r.at("panel"));
    d.approved = r.boolean_or("approved", false);
    each(r, "reasons", [&](const json& e, const std::string& p) {
        if (!e.is_string()) bad(p, std::string("expected a string, got ") + e.type_name());
        d.reasons.push_back(e.get<std::string>());
    });
    r.finish();
    return d;
}

ExpertScore score_from_json(const json& j, const std::string& path) {
    ObjectReader r(j, path);
    ExpertScore s{r.text("expert"), r.small_integer_or("score", std::nullopt)};
    r.finish();
    return s;
}

}  // namespace

json to_json(const CertificationStandard& s) {
    return {{"level", to_string(s.level)},
            {"min_years_operating", s.min_years_operating},
            {"min_grade", to_string(s.min_grade)},
            {"min_enterprises_served", s.min_enterprises_served},
            {"min_utilisation_bp", s.min_utilisation_bp},
            {"max_revoked_projects", s.max_revoked_projects},
            {"require_published_services", s.require_published_services},
            {"min_years_recognised_below", s.min_years_recognised_below},
            {"min_expert_score", s.min_expert_score},
            {"validity_years", s.validity_years}};
}

json to_json(const PanelRules& p) {
    return {{"min_score", p.min_score}, {"max_score", p.max_score}, {"min_experts", p.min_experts}, {"decimals", p.decimals}};
}

json to_json(const PlatformRecord& p) {
    json years = json::object();
    for (int level = 0; level < demo_level_count; ++level) {
        years[to_string(static_cast<DemoLevel>(level))] = p.years_recognised[static_cast<std::size_t>(level)];
    }
    return {{"platform", p.platform.value},
            {"years_operating", p.years_operating},
            {"grade", enum_or_null(p.grade)},
            {"enterprises_served", p.enterprises_served},
            {"utilisation_bp", p.utilisation_bp},
            {"revoked_projects", p.revoked_projects},
            {"published_services", p.published_services},
            {"years_recognised", years}};
}

json to_json(const CertificationApplication& a) {
    return {{"platform", a.platform.value}, {"level", to_string(a.level)}, {"filed", iso(a.filed)}, {"record", to_json(a.record)}};
}

json to_json(const CheckResult& c) {
    json checks = json::array();
    for (const auto& t : c.checks) checks.push_back(check_json(t));
    return {{"platform", c.platform.value}, {"level", to_string(c.level)}, {"passed", c.passed()}, {"checks", checks}};
}

json to_json(const PanelScore& p) {
    return {{"experts", p.experts},
            {"highest", p.highest},
            {"lowest", p.lowest},
            {"dropped_highest", p.dropped_highest},
            {"dropped_lowest", p.dropped_lowest},
            {"kept_sum", p.kept_sum},
            {"kept", p.kept},
            {"score", p.score},
            {"decimals", p.decimals},
            {"score_text", score_text(p.score, p.decimals)}};
}

json to_json(const CertificationDecision& d) {
    return {{"check", to_json(d.check)}, {"panel", to_json(d.panel)}, {"approved", d.approved}, {"reasons", d.reasons}};
}

json to_json(const Recognition& r) {
    return {{"number", r.number},
            {"platform", r.platform.value},
            {"level", to_string(r.level)},
            {"from", iso(r.from)},
            {"until", iso(r.until)},
            {"basis", r.basis},
            {"end", to_string(r.end)},
            {"ended", date_or_null(r.ended)},
            {"end_reason", r.end_reason}};
}

json to_json(const RecognitionReview& r) {
    json checks = json::array();
    for (const auto& c : r.checks) checks.push_back(to_json(c));
    return {{"kind", to_string(r.kind)},
            {"platform", r.platform.value},
            {"from_level", to_string(r.from_level)},
            {"to_level", enum_or_null(r.to_level)},
            {"eligible_higher", enum_or_null(r.eligible_higher)},
            {"checks", checks},
            {"reason", r.reason},
            {"next", r.next ? to_json(*r.next) : json(nullptr)}};
}

json to_json(const CertificationCase& c) {
    json scores = json::array();
    for (const auto& s : c.scores) scores.push_back({{"expert", s.expert}, {"score", s.score}});
    return {{"id", c.id.value},
            {"application", to_json(c.application)},
            {"scores", scores},
            {"decided", date_or_null(c.decided)},
            {"decision", c.decision ? to_json(*c.decision) : json(nullptr)},
            {"certificate", c.certificate}};
}

json standards_to_json(const std::vector<CertificationStandard>& standards, const PanelRules& panel) {
    json list = json::array();
    for (const auto& s : standards) list.push_back(to_json(s));
    return {{"standards", list}, {"panel", to_json(panel)}};
}

std::pair<std::vector<CertificationStandard>, PanelRules> standards_from_json(const json& j, const std::string& path) {
    ObjectReader r(j, path);
    std::vector<CertificationStandard> standards;
    const json* list = r.find("standards");
    if (!list) bad(r.at("standards"), "missing");
    each(r, "standards", [&](const json& e, const std::string& p) { standards.push_back(standard_from_json(e, p)); });
    PanelRules panel;
    if (const json* p = r.find("panel"); p && !p->is_null()) panel = panel_rules_from_json(*p, r.at("panel"));
    r.finish();
    validate_at(r.at("standards"), std::span<const CertificationStandard>(standards));
    return {std::move(standards), panel};
}

CertificationStandard standard_from_json(const json& j, const std::string& path) {
    ObjectReader r(j, path);
    CertificationStandard s;
    s.level = enum_at<DemoLevel>(r, "level", demo_level_count);
    s.min_years_operating = r.small_integer_or("min_years_operating", s.min_years_operating);
    s.min_grade = enum_at<EvaluationGrade>(r, "min_grade", evaluation_grade_count, s.min_grade);
    s.min_enterprises_served = r.integer_or("min_enterprises_served", s.min_enterprises_served);
    s.min_utilisation_bp = r.small_integer_or("min_utilisation_bp", s.min_utilisation_bp);
    s.max_revoked_projects = r.small_integer_or("max_revoked_projects", s.max_revoked_projects);
    s.require_published_services = r.boolean_or("require_published_services", s.require_published_services);
    s.min_years_recognised_below = r.small_integer_or("min_years_recognised_below", s.min_years_recognised_below);
    s.min_expert_score = r.small_integer_or("min_expert_score", s.min_expert_score);
    s.validity_years = r.small_integer_or("validity_years", s.validity_years);
    r.finish();
    validate_at(path, s);
    return s;
}

PanelRules panel_rules_from_json(const json& j, const std::string& path) {
    ObjectReader r(j, path);
    PanelRules p;
    p.min_score = r.small_integer_or("min_score", p.min_score);
    p.max_score = r.small_integer_or("max_score", p.max_score);
    p.min_experts = r.small_integer_or("min_experts", p.min_experts);
    p.decimals = r.small_integer_or("decimals", p.decimals);
    r.finish();
    validate_at(path, p);
    return p;
}

PlatformRecord platform_record_from_json(const json& j, const std::string& path) {
    ObjectReader r(j, path);
    PlatformRecord p;
    p.platform = r.id<PlatformId>("platform");
    p.years_operating = r.small_integer_or("years_operating", 0);
    p.grade = optional_enum<EvaluationGrade>(r, "grade", evaluation_grade_count);
    p.enterprises_served = r.integer_or("enterprises_served", 0);
    p.utilisation_bp = r.small_integer_or("utilisation_bp", 0);
    p.revoked_projects = r.small_integer_or("revoked_projects", 0);
    p.published_services = r.boolean_or("published_services", false);
    if (const json* years = r.find("years_recognised"); years && !years->is_null()) {
        ObjectReader y(*years, r.at("years_recognised"));
        for (int level = 0; level < demo_level_count; ++level) {
            p.years_recognised[static_cast<std::size_t>(level)] =
                y.small_integer_or(to_string(static_cast<DemoLevel>(level)), 0);
        }
        y.finish();
    }
    r.finish();
    validate_at(path, p);
    return p;
}

CertificationApplication application_from_json(const json& j, const std::string& path) {
    ObjectReader r(j, path);
    CertificationApplication a;
    a.platform = r.id<PlatformId>("platform");
    a.level = enum_at<DemoLevel>(r, "level", demo_level_count);
    a.filed = date_at(r, "filed");
    const json* record = r.find("record");
    if (!record) bad(r.at("record"), "missing");
    a.record = platform_record_from_json(*record, r.at("record"));
    r.finish();
    if (a.record.platform != a.platform) {
        bad(r.at("record") + "/platform", "the record is of platform " + std::to_string(a.record.platform.value) +
                                              ", the application of platform " + std::to_string(a.platform.value));
    }
    return a;
}

Recognition recognition_from_json(const json& j, const std::string& path) {
    ObjectReader r(j, path);
    Recognition x;
    x.number = r.integer("number");
    x.platform = r.id<PlatformId>("platform");
    x.level = enum_at<DemoLevel>(r, "level", demo_level_count);
    x.from = date_at(r, "from");
    x.until = date_at(r, "until");
    x.basis = r.text_or("basis", "");
    x.end = enum_at<RecognitionEnd>(r, "end", recognition_end_count, RecognitionEnd::open);
    x.ended = optional_date(r, "ended");
    x.end_reason = r.text_or("end_reason", "");
    r.finish();
    return x;
}

CertificationCase case_from_json(const json& j, const std::string& path) {
    ObjectReader r(j, path);
    CertificationCase c;
    c.id = r.id<CertificationCaseId>("id");
    const json* application = r.find("application");
    if (!application) bad(r.at("application"), "missing");
    c.application = application_from_json(*application, r.at("application"));
    each(r, "scores", [&](const json& e, const std::string& p) { c.scores.push_back(score_from_json(e, p)); });
    c.decided = optional_date(r, "decided");
    if (const json* d = r.find("decision"); d && !d->is_null()) c.decision = decision_from_json(*d, r.at("decision"));
    c.certificate = r.integer_or("certificate", 0);
    r.finish();
    return c;
}

}  // namespace psp::json
