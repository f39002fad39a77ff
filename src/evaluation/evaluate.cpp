// evaluate() of include/psp/evaluation.hpp: the inputs checked and laid out densely (platform ×
// indicator × source), normalised per indicator, weighted up the tree, graded, ranked and paid.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "evaluation/text.hpp"
#include "psp/evaluation.hpp"
#include "psp/pricing.hpp"

namespace psp {
namespace {

using evaluation::invalid;
using evaluation::number;
using evaluation::quoted;

constexpr auto source_slots = static_cast<std::size_t>(evaluation_source_count);

// A score in hundredths of a point.
std::int64_t hundredths(double points) { return std::llround(points * 100); }

struct Leaf {
    const Indicator* indicator;
    std::size_t group;
};

std::string platform_text(PlatformId p) { return "platform " + std::to_string(p.value); }

void check_spec(const EvaluationSpec& spec) {
    validate(spec.tree);
    const auto& t = spec.thresholds;
    for (const auto& [field, v] : {std::pair{"excellent", t.excellent}, std::pair{"good", t.good}, std::pair{"pass", t.pass}}) {
        if (!(v >= 0 && v <= max_entered_score)) invalid(std::string("grade thresholds ") + field + ": " + number(v) + " is outside 0..100");
    }
    if (!(t.pass <= t.good && t.good <= t.excellent)) {
        invalid("grade thresholds: pass " + number(t.pass) + " <= good " + number(t.good) + " <= excellent " + number(t.excellent) +
                " does not hold");
    }
    if (spec.budget < 0) invalid("evaluation budget: " + std::to_string(spec.budget) + " fen is negative");
    if (!(spec.floor >= 0 && spec.floor <= max_entered_score)) invalid("evaluation floor: " + number(spec.floor) + " is outside 0..100");
    if (spec.platforms.empty()) invalid("evaluation platforms: none to evaluate");
}

// Where each input lands: raw[(platform · leaves + leaf) · 4 + source], with `seen` marking it.
struct Inputs {
    std::vector<double> raw;
    std::vector<unsigned char> seen;
};

Inputs lay_out(const EvaluationSpec& spec, const std::vector<Leaf>& leaves) {
    std::unordered_map<std::string_view, std::size_t> leaf_of;
    for (std::size_t i = 0; i < leaves.size(); ++i) leaf_of.emplace(leaves[i].indicator->name, i);
    std::unordered_map<std::int64_t, std::size_t> platform_of;
    platform_of.reserve(spec.platforms.size());
    for (std::size_t p = 0; p < spec.platforms.size(); ++p) {
        const auto id = spec.platforms[p];
        if (id.value <= 0) invalid("evaluation platforms[" + std::to_string(p) + "]: id " + std::to_string(id.value) + " is not positive");
        if (!platform_of.emplace(id.value, p).second) invalid("evaluation platforms: " + platform_text(id) + " listed twice");
    }
    const std::size_t n = spec.platforms.size() * leaves.size() * source_slots;
    Inputs in{std::vector<double>(n, 0.0), std::vector<unsigned char>(n, 0)};
    for (std::size_t k = 0; k < spec.values.size(); ++k) {
        const auto& v = spec.values[k];
        const auto leaf = leaf_of.find(v.indicator);
        if (leaf == leaf_of.end()) {
            invalid("evaluation values[" + std::to_string(k) + "]: indicator " + quoted(v.indicator) + " is not in the tree (" +
                    platform_text(v.platform) + ")");
        }
        const Indicator& ind = *leaves[leaf->second].indicator;
        const std::string what = "indicator " + quoted(ind.name) + ", " + platform_text(v.platform);
        const auto platform = platform_of.find(v.platform.value);
        if (platform == platform_of.end()) invalid(what + ": the platform is not in the evaluated set");
        const int s = static_cast<int>(v.source);
        if (s < 0 || s >= evaluation_source_count) invalid(what + ": source " + std::to_string(s) + " is not a source");
        const bool takes = ind.measured ? v.source == EvaluationSource::measured
                                        : s > 0 && ind.source_bp[static_cast<std::size_t>(s - 1)] > 0;
        if (!takes) invalid(what + ": the indicator takes no " + to_string(v.source) + " value");
        if (!std::isfinite(v.value)) invalid(what + ": " + to_string(v.source) + " value " + number(v.value) + " is not finite");
        if (!ind.measured && !(v.value >= 0 && v.value <= max_entered_score)) {
            invalid(what + ": " + to_string(v.source) + " score " + number(v.value) + " is outside 0..100");
        }
        if (ind.measured && ind.normalisation == Normalisation::target && v.value < 0) {
            invalid(what + ": measured value " + number(v.value) + " is negative (target normalisation)");
        }
        const std::size_t slot = (platform->second * leaves.size() + leaf->second) * source_slots + static_cast<std::size_t>(s);
        if (in.seen[slot]) invalid(what + ": " + to_string(v.source) + " value given twice");
        in.seen[slot] = 1;
        in.raw[slot] = v.value;
    }
    return in;
}

// raw(p, i) per the header, row-major [platform][leaf]; throws on a missing input.
std::vector<double> raw_values(const EvaluationSpec& spec, const std::vector<Leaf>& leaves, const Inputs& in) {
    const std::size_t L = leaves.size();
    std::vector<double> out(spec.platforms.size() * L);
    for (std::size_t p = 0; p < spec.platforms.size(); ++p) {
        for (std::size_t i = 0; i < L; ++i) {
            const Indicator& ind = *leaves[i].indicator;
            const std::size_t base = (p * L + i) * source_slots;
            const auto missing = [&](EvaluationSource s) {
                invalid("indicator " + quoted(ind.name) + ", " + platform_text(spec.platforms[p]) + ": no " + to_string(s) + " value");
            };
            if (ind.measured) {
                if (!in.seen[base]) missing(EvaluationSource::measured);
                out[p * L + i] = in.raw[base];
                continue;
            }
            double sum = 0;
            for (std::size_t s = 1; s < source_slots; ++s) {
                const int bp = ind.source_bp[s - 1];
                if (bp == 0) continue;
                if (!in.seen[base + s]) missing(static_cast<EvaluationSource>(s));
                sum += bp * in.raw[base + s];
            }
            out[p * L + i] = sum / basis_points;
        }
    }
    return out;
}

// Replaces raw values by norm(p, i) in [0, 1], indicator by indicator.
void normalise(std::vector<double>& values, const std::vector<Leaf>& leaves, std::size_t platforms) {
    const std::size_t L = leaves.size();
    for (std::size_t i = 0; i < L; ++i) {
        const Indicator& ind = *leaves[i].indicator;
        const bool higher = ind.direction == Direction::higher_is_better;
        if (ind.normalisation == Normalisation::target) {
            for (std::size_t p = 0; p < platforms; ++p) {
                double& v = values[p * L + i];
                v = higher ? std::min(v / ind.target, 1.0) : (v <= ind.target ? 1.0 : ind.target / v);
            }
            continue;
        }
        double lo = std::numeric_limits<double>::infinity(), hi = -lo;
        for (std::size_t p = 0; p < platforms; ++p) {
            lo = std::min(lo, values[p * L + i]);
            hi = std::max(hi, values[p * L + i]);
        }
        const double span = hi - lo;
        for (std::size_t p = 0; p < platforms; ++p) {
            double& v = values[p * L + i];
            v = span > 0 ? (higher ? v - lo : hi - v) / span : 1.0;
        }
    }
}

EvaluationGrade grade_of(std::int64_t score, const GradeThresholds& t) {
    if (score >= hundredths(t.excellent)) return EvaluationGrade::excellent;
    if (score >= hundredths(t.good)) return EvaluationGrade::good;
    if (score >= hundredths(t.pass)) return EvaluationGrade::pass;
    return EvaluationGrade::poor;
}

}  // namespace

EvaluationRun evaluate(EvaluationSpec spec) {
    check_spec(spec);
    const auto& tree = spec.tree;
    std::vector<Leaf> leaves;
    std::vector<std::size_t> group_begin;   // first leaf of each group
    std::size_t tie_group = tree.groups.size();
    for (std::size_t g = 0; g < tree.groups.size(); ++g) {
        group_begin.push_back(leaves.size());
        if (tree.groups[g].name == tree.tie_break) tie_group = g;
        for (const auto& ind : tree.groups[g].indicators) leaves.push_back({&ind, g});
    }
    const std::size_t P = spec.platforms.size(), L = leaves.size(), G = tree.groups.size();

    auto norm = raw_values(spec, leaves, lay_out(spec, leaves));
    normalise(norm, leaves, P);

    std::vector<PlatformEvaluation> results(P);
    std::vector<std::int64_t> score(P), tie(P, 0);
    for (std::size_t p = 0; p < P; ++p) {
        auto& r = results[p];
        r.platform = spec.platforms[p];
        r.indicator_scores.resize(L);
        r.group_scores.resize(G);
        double composite = 0;
        for (std::size_t g = 0; g < G; ++g) {
            double group = 0;
            for (std::size_t i = group_begin[g]; i < group_begin[g] + tree.groups[g].indicators.size(); ++i) {
                r.indicator_scores[i] = 100 * norm[p * L + i];
                group += leaves[i].indicator->weight_bp * norm[p * L + i];
            }
            group = 100 * group / basis_points;
            composite += tree.groups[g].weight_bp * group;
            const auto rounded = hundredths(group);
            r.group_scores[g] = static_cast<double>(rounded) / 100;
            if (g == tie_group) tie[p] = rounded;
        }
        score[p] = hundredths(composite / basis_points);
        r.score = static_cast<double>(score[p]) / 100;
        r.grade = grade_of(score[p], spec.thresholds);
        r.flagged = r.grade == EvaluationGrade::poor;
    }

    std::vector<std::size_t> order(P);
    for (std::size_t p = 0; p < P; ++p) order[p] = p;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (score[a] != score[b]) return score[a] > score[b];
        if (tie[a] != tie[b]) return tie[a] > tie[b];
        return results[a].platform < results[b].platform;
    });

    const std::int64_t floor_h = hundredths(spec.floor);
    std::vector<std::int64_t> weights(P);
    for (std::size_t k = 0; k < P; ++k) {
        const auto p = order[k];
        weights[k] = !results[p].flagged && score[p] > floor_h ? score[p] - floor_h : 0;
    }
    const auto parts = largest_remainder(spec.budget, weights);

    EvaluationRun run;
    run.results.reserve(P);
    for (std::size_t k = 0; k < P; ++k) {
        auto& r = results[order[k]];
        r.rank = static_cast<int>(k + 1);
        r.incentive = parts[k];
        run.allocated += parts[k];
        if (r.flagged) ++run.flagged;
        run.results.push_back(std::move(r));
    }
    run.unallocated = spec.budget - run.allocated;
    run.spec = std::move(spec);   // leaves point into spec.tree: not used past here
    return run;
}

}  // namespace psp
