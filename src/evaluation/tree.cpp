// The indicator tree of include/psp/evaluation.hpp: its validation, the default tree and the names
// of the evaluation enums.
#include <cmath>
#include <set>
#include <string>

#include "evaluation/text.hpp"
#include "psp/evaluation.hpp"
#include "psp/pricing.hpp"

namespace psp {
namespace {

using evaluation::invalid;
using evaluation::number;
using evaluation::quoted;

void check_weight(const std::string& what, int bp) {
    if (bp < 0 || bp > basis_points) {
        invalid(what + " weight_bp: " + std::to_string(bp) + " is outside 0..10000");
    }
}

void check_sum(const std::string& what, long long sum) {
    if (sum != basis_points) invalid(what + " sum to " + std::to_string(sum) + " basis points, not 10000");
}

void check_indicator(const Indicator& ind, const std::string& what) {
    check_weight(what, ind.weight_bp);
    if (ind.normalisation != Normalisation::min_max && ind.normalisation != Normalisation::target) {
        invalid(what + " normalisation: " + std::to_string(static_cast<int>(ind.normalisation)) + " is not a normalisation");
    }
    if (ind.direction != Direction::higher_is_better && ind.direction != Direction::lower_is_better) {
        invalid(what + " direction: " + std::to_string(static_cast<int>(ind.direction)) + " is not a direction");
    }
    if (ind.normalisation == Normalisation::target && !(std::isfinite(ind.target) && ind.target > 0)) {
        invalid(what + " target: " + number(ind.target) + " is not a finite number above 0");
    }
    long long sources = 0;
    static constexpr const char* source_names[] = {"self", "third_party", "public_rating"};
    for (std::size_t s = 0; s < ind.source_bp.size(); ++s) {
        const int bp = ind.source_bp[s];
        if (bp < 0 || bp > basis_points) {
            invalid(what + " source_bp[" + source_names[s] + "]: " + std::to_string(bp) + " is outside 0..10000");
        }
        sources += bp;
    }
    if (ind.measured) {
        if (sources != 0) invalid(what + " is measured and takes no source weights (source_bp sum to " + std::to_string(sources) + ")");
        return;
    }
    if (sources == 0) invalid(what + " has no source: neither measured nor any entered source weight");
    check_sum(what + " source weights", sources);
}

Indicator measured(const char* name, int bp, Normalisation normalisation, double target) {
    return {name, bp, true, {0, 0, 0}, normalisation, Direction::higher_is_better, target};
}

Indicator entered(const char* name, int bp, int self, int third_party, int public_rating) {
    return {name, bp, false, {self, third_party, public_rating}, Normalisation::target, Direction::higher_is_better, 100};
}

}  // namespace

void validate(const IndicatorTree& tree) {
    if (tree.groups.empty()) invalid("indicator tree: no group");
    std::set<std::string> names;
    const auto claim = [&names](const std::string& name, const std::string& what) {
        if (name.empty()) invalid(what + ": empty name");
        if (!names.insert(name).second) invalid(what + ": duplicate name " + quoted(name));
    };
    long long groups = 0;
    bool tie_break_found = tree.tie_break.empty();
    for (std::size_t g = 0; g < tree.groups.size(); ++g) {
        const auto& group = tree.groups[g];
        const std::string what = "indicator group " + quoted(group.name);
        claim(group.name, "indicator group " + std::to_string(g));
        check_weight(what, group.weight_bp);
        groups += group.weight_bp;
        if (group.name == tree.tie_break) tie_break_found = true;
        if (group.indicators.empty()) invalid(what + ": no indicator");
        long long leaves = 0;
        for (std::size_t i = 0; i < group.indicators.size(); ++i) {
            const auto& ind = group.indicators[i];
            claim(ind.name, what + " indicator " + std::to_string(i));
            check_indicator(ind, "indicator " + quoted(ind.name));
            leaves += ind.weight_bp;
        }
        check_sum(what + ": indicator weights", leaves);
    }
    check_sum("indicator tree: group weights", groups);
    if (!tie_break_found) invalid("indicator tree tie_break: " + quoted(tree.tie_break) + " names no group");
}

IndicatorTree default_tree() {
    using N = Normalisation;
    IndicatorTree tree;
    tree.groups = {
        {"management", 2000,
         {entered("openness", 4000, 3000, 7000, 0),
          entered("technical staff", 3000, 4000, 6000, 0),
          measured("online service", 3000, N::target, 0.9)}},
        {"operation", 3000,
         {measured("effective hours", 4000, N::target, 1600),
          entered("upkeep", 3000, 3000, 7000, 0),
          entered("support to major tasks", 3000, 5000, 5000, 0)}},
        {"sharing", 3500,
         {measured("shared hours", 4000, N::min_max, 100),
          measured("external service", 3000, N::target, 0.5),
          entered("user ratings", 3000, 0, 3000, 7000)}},
        {"network", 1500,
         {measured("referrals served", 3500, N::min_max, 100),
          measured("alliance contribution", 3000, N::min_max, 100),
          measured("fulfilment rate", 3500, N::target, 0.95)}},
    };
    tree.tie_break = "sharing";
    return tree;
}


const char* to_string(EvaluationSource s) noexcept {
    switch (s) {
        case EvaluationSource::measured: return "measured";
        case EvaluationSource::self: return "self";
        case EvaluationSource::third_party: return "third_party";
        case EvaluationSource::public_rating: return "public_rating";
    }
    return "unknown";
}

}  // namespace psp
