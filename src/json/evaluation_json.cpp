// Indicator trees, values, thresholds, specs and runs of evaluation as JSON.
#include "json/evaluation_json.hpp"

#include <array>
#include <cmath>
#include <cstdio>
#include <optional>
#include <set>
#include <string_view>

#include "core/cat.hpp"
#include "core/enum_names.hpp"
#include "json/dates.hpp"
#include "psp/error.hpp"

namespace psp::json {
namespace {

using detail::cat;

constexpr std::array<const char*, 2> normalisation_names{"min_max", "target"};
constexpr std::array<const char*, 2> direction_names{"higher_is_better", "lower_is_better"};
// Index = EvaluationSource − 1, as Indicator::source_bp.
constexpr std::array<const char*, 3> source_bp_keys{"self", "third_party", "public_rating"};

std::string number_text(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return buf;
}

// A number that must be finite. JSON text cannot spell NaN or infinity, but a json built in memory can
// hold them, and nlohmann writes them as null, which would not read back.
double finite(const json& v, const std::string& path) {
    if (!v.is_number()) bad(path, cat("expected a number, got ", type_name(v)));
    const double d = v.get<double>();
    if (!std::isfinite(d)) bad(path, "not a finite number");
    return d;
}

double finite_at(ObjectReader& r, const char* key, std::optional<double> fallback) {
    const json* v = r.find(key);
    if (!v) {
        if (fallback) return *fallback;
        bad(r.at(key), "missing");
    }
    return finite(*v, r.at(key));
}

const json& required(ObjectReader& r, const char* key) {
    const json* v = r.find(key);
    if (!v) bad(r.at(key), "missing");
    return *v;
}

// A required array, each element handed to f(element, path).
template <class F>
void each_required(ObjectReader& r, const char* key, F f) {
    const json& v = required(r, key);
    if (!v.is_array()) bad(r.at(key), cat("expected an array, got ", type_name(v)));
    for (std::size_t i = 0; i < v.size(); ++i) f(v[i], cat(r.at(key), '/', i));
}

template <class Enum, std::size_t N>
Enum named(ObjectReader& r, const char* key, const std::array<const char*, N>& names, Enum fallback) {
    const json* v = r.find(key);
    if (!v) return fallback;
    if (!v->is_string()) bad(r.at(key), cat("expected a name, got ", type_name(*v)));
    const auto name = v->get<std::string>();
    const auto e = detail::find_name<Enum>(names, name);
    if (!e) bad(r.at(key), cat("unknown value '", name, "'"));
    return *e;
}

PlatformId platform_id(const json& v, const std::string& path) {
    if (!v.is_number_integer()) bad(path, cat("expected an integer, got ", type_name(v)));
    if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
        bad(path, "integer out of range (above 2^63-1)");
    }
    const auto id = v.get<std::int64_t>();
    if (id <= 0) bad(path, cat("ids are positive integers, got ", id));
    return PlatformId(id);
}

json to_json(const Indicator& i) {
    json sources = json::object();
    for (std::size_t s = 0; s < source_bp_keys.size(); ++s) sources[source_bp_keys[s]] = i.source_bp[s];
    return {{"name", i.name},
            {"weight_bp", i.weight_bp},
            {"measured", i.measured},
            {"source_bp", sources},
            {"normalisation", detail::name_at(normalisation_names, static_cast<int>(i.normalisation))},
            {"direction", detail::name_at(direction_names, static_cast<int>(i.direction))},
            {"target", i.target}};
}

json to_json(const IndicatorGroup& g) {
    json indicators = json::array();
    for (const auto& i : g.indicators) indicators.push_back(to_json(i));
    return {{"name", g.name}, {"weight_bp", g.weight_bp}, {"indicators", indicators}};
}

json to_json(const IndicatorValue& v) {
    return {{"platform", v.platform.value}, {"indicator", v.indicator}, {"source", to_string(v.source)}, {"value", v.value}};
}

Indicator indicator_from_json(const json& j, const std::string& path) {
    ObjectReader r(j, path);
    Indicator i;
    i.name = r.text("name");
    i.weight_bp = r.small_integer_or("weight_bp", std::nullopt);
    i.measured = r.boolean_or("measured", i.measured);
    if (const json* s = r.find("source_bp")) {
        ObjectReader sr(*s, r.at("source_bp"));
        for (std::size_t k = 0; k < source_bp_keys.size(); ++k) {
            i.source_bp[k] = sr.small_integer_or(source_bp_keys[k], i.source_bp[k]);
        }
        sr.finish();
    }
    i.normalisation = named(r, "normalisation", normalisation_names, i.normalisation);
    i.direction = named(r, "direction", direction_names, i.direction);
    i.target = finite_at(r, "target", i.target);
    r.finish();
    return i;
}

IndicatorGroup group_from_json(const json& j, const std::string& path) {
    ObjectReader r(j, path);
    IndicatorGroup g;
    g.name = r.text("name");
    g.weight_bp = r.small_integer_or("weight_bp", std::nullopt);
    each_required(r, "indicators", [&](const json& e, const std::string& p) { g.indicators.push_back(indicator_from_json(e, p)); });
    r.finish();
    return g;
}

IndicatorValue value_from_json(const json& j, const std::string& path) {
    ObjectReader r(j, path);
    IndicatorValue v;
    v.platform = r.id<PlatformId>("platform");
    v.indicator = r.text("indicator");
    v.source = enum_at<EvaluationSource>(r, "source", evaluation_source_count, v.source);
    v.value = finite_at(r, "value", std::nullopt);
    r.finish();
    return v;
}

json numbers(const std::vector<double>& v) {
    json out = json::array();
    for (double d : v) out.push_back(d);
    return out;
}

std::vector<double> numbers_from_json(ObjectReader& r, const char* key) {
    std::vector<double> out;
    each_required(r, key, [&](const json& e, const std::string& p) { out.push_back(finite(e, p)); });
    return out;
}

PlatformEvaluation evaluation_from_json(const json& j, const std::string& path) {
    ObjectReader r(j, path);
    PlatformEvaluation e;
    e.platform = r.id<PlatformId>("platform");
    e.score = finite_at(r, "score", std::nullopt);
    e.group_scores = numbers_from_json(r, "group_scores");
    e.indicator_scores = numbers_from_json(r, "indicator_scores");
    e.grade = r.enumeration<EvaluationGrade>("grade");
    e.rank = r.small_integer_or("rank", std::nullopt);
    e.incentive = r.integer("incentive");
    e.flagged = r.boolean_or("flagged", false);
    r.finish();
    if (e.incentive < 0) bad(r.at("incentive"), cat(e.incentive, " fen is negative"));
    return e;
}

}  // namespace

json to_json(const IndicatorTree& t) {
    json groups = json::array();
    for (const auto& g : t.groups) groups.push_back(to_json(g));
    return {{"groups", groups}, {"tie_break", t.tie_break}};
}

json to_json(const std::vector<IndicatorValue>& values) {
    json out = json::array();
    for (const auto& v : values) out.push_back(to_json(v));
    return out;
}

json to_json(const GradeThresholds& t) { return {{"excellent", t.excellent}, {"good", t.good}, {"pass", t.pass}}; }

json to_json(const EvaluationSpec& s) {
    json platforms = json::array();
    for (const auto p : s.platforms) platforms.push_back(p.value);
    return {{"tree", to_json(s.tree)},
            {"platforms", platforms},
            {"values", to_json(s.values)},
            {"thresholds", to_json(s.thresholds)},
            {"budget", s.budget},
            {"floor", s.floor}};
}

json to_json(const PlatformEvaluation& e) {
    return {{"platform", e.platform.value},
            {"score", e.score},
            {"group_scores", numbers(e.group_scores)},
            {"indicator_scores", numbers(e.indicator_scores)},
            {"grade", to_string(e.grade)},
            {"rank", e.rank},
            {"incentive", e.incentive},
            {"flagged", e.flagged}};
}

json to_json(const EvaluationRun& run) {
    json results = json::array();
    for (const auto& e : run.results) results.push_back(to_json(e));
    return {{"spec", to_json(run.spec)},
            {"results", results},
            {"allocated", run.allocated},
            {"unallocated", run.unallocated},
            {"flagged", run.flagged}};
}

IndicatorTree tree_from_json(const json& j, const std::string& path) {
    ObjectReader r(j, path);
    IndicatorTree t;
    each_required(r, "groups", [&](const json& e, const std::string& p) { t.groups.push_back(group_from_json(e, p)); });
    t.tie_break = r.text_or("tie_break", t.tie_break);
    r.finish();
    validate_at(path, t);
    return t;
}

std::vector<IndicatorValue> values_from_json(const json& j, const std::string& path) {
    if (!j.is_array()) bad(path, cat("expected an array, got ", type_name(j)));
    std::vector<IndicatorValue> out;
    out.reserve(j.size());
    for (std::size_t i = 0; i < j.size(); ++i) out.push_back(value_from_json(j[i], cat(path, '/', i)));
    return out;
}

GradeThresholds thresholds_from_json(const json& j, const std::string& path) {
    ObjectReader r(j, path);
    GradeThresholds t;
    t.excellent = finite_at(r, "excellent", t.excellent);
    t.good = finite_at(r, "good", t.good);
    t.pass = finite_at(r, "pass", t.pass);
    r.finish();
    for (const auto& [key, v] : {std::pair{"excellent", t.excellent}, std::pair{"good", t.good}, std::pair{"pass", t.pass}}) {
        if (!(v >= 0 && v <= max_entered_score)) bad(r.at(key), cat(number_text(v), " is outside 0..100"));
    }
    if (!(t.pass <= t.good && t.good <= t.excellent)) {
        bad(path, cat("pass ", number_text(t.pass), " <= good ", number_text(t.good), " <= excellent ", number_text(t.excellent),
                      " does not hold"));
    }
    return t;
}

EvaluationSpec spec_from_json(const json& j, const std::string& path) {
    ObjectReader r(j, path);
    EvaluationSpec s;
    if (const json* t = r.find("tree")) s.tree = tree_from_json(*t, r.at("tree"));
    std::set<std::int64_t> seen;
    each_required(r, "platforms", [&](const json& e, const std::string& p) {
        const auto id = platform_id(e, p);
        if (!seen.insert(id.value).second) bad(p, cat("platform ", id.value, " listed twice"));
        s.platforms.push_back(id);
    });
    if (s.platforms.empty()) bad(r.at("platforms"), "none to evaluate");
    if (const json* v = r.find("values")) s.values = values_from_json(*v, r.at("values"));
    if (const json* t = r.find("thresholds")) s.thresholds = thresholds_from_json(*t, r.at("thresholds"));
    s.budget = r.integer_or("budget", s.budget);
    if (s.budget < 0) bad(r.at("budget"), cat(s.budget, " fen is negative"));
    s.floor = finite_at(r, "floor", s.floor);
    if (!(s.floor >= 0 && s.floor <= max_entered_score)) bad(r.at("floor"), cat(number_text(s.floor), " is outside 0..100"));
    r.finish();
    return s;
}

EvaluationRun run_from_json(const json& j, const std::string& path) {
    ObjectReader r(j, path);
    EvaluationRun run;
    run.spec = spec_from_json(required(r, "spec"), r.at("spec"));
    each_required(r, "results", [&](const json& e, const std::string& p) { run.results.push_back(evaluation_from_json(e, p)); });
    run.allocated = r.integer("allocated");
    run.unallocated = r.integer("unallocated");
    run.flagged = r.integer("flagged");
    r.finish();

    // The bookkeeping of a run evaluate() produced; a stored run that breaks it was edited or damaged.
    std::size_t leaves = 0;
    for (const auto& g : run.spec.tree.groups) leaves += g.indicators.size();
    std::set<std::int64_t> evaluated;
    for (const auto p : run.spec.platforms) evaluated.insert(p.value);
    if (run.results.size() != run.spec.platforms.size()) {
        bad(r.at("results"), cat(run.results.size(), " results for ", run.spec.platforms.size(), " evaluated platforms"));
    }
    Fen incentives = 0;
    std::int64_t flagged = 0;
    for (std::size_t k = 0; k < run.results.size(); ++k) {
        const auto& e = run.results[k];
        const auto at = cat(r.at("results"), '/', k);
        if (evaluated.erase(e.platform.value) == 0) {
            bad(cat(at, "/platform"), cat("platform ", e.platform.value, " is not evaluated, or has two results"));
        }
        if (e.rank < 0 || static_cast<std::size_t>(e.rank) != k + 1) {
            bad(cat(at, "/rank"), cat("rank ", e.rank, " at position ", k, " (results are in rank order from 1)"));
        }
        if (e.group_scores.size() != run.spec.tree.groups.size()) {
            bad(cat(at, "/group_scores"), cat(e.group_scores.size(), " scores for ", run.spec.tree.groups.size(), " groups"));
        }
        if (e.indicator_scores.size() != leaves) {
            bad(cat(at, "/indicator_scores"), cat(e.indicator_scores.size(), " scores for ", leaves, " indicators"));
        }
        if (e.incentive > run.spec.budget - incentives) bad(cat(at, "/incentive"), "the incentives sum beyond the budget");
        incentives += e.incentive;
        if (e.flagged) ++flagged;
    }
    if (run.allocated != incentives) {
        bad(r.at("allocated"), cat(run.allocated, " fen, but the incentives sum to ", incentives));
    }
    if (run.unallocated != run.spec.budget - run.allocated) {
        bad(r.at("unallocated"), cat(run.unallocated, " fen, but the budget less the allocated is ", run.spec.budget - run.allocated));
    }
    if (run.flagged != flagged) bad(r.at("flagged"), cat(run.flagged, ", but ", flagged, " results are flagged"));
    return run;
}

}  // namespace psp::json
