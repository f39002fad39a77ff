// Expert review (组织专家评审, §4.1): the trimmed mean of a panel's scores, and the decision on an
// application (include/psp/certification.hpp).
#include <algorithm>
#include <string>
#include <vector>

#include "certification/text.hpp"
#include "psp/certification.hpp"

namespace psp {

using certification::cat;
using certification::invalid;

void validate(const PanelRules& r) {
    if (r.min_score < 0) invalid(cat("scoring rules min_score: ", r.min_score, " is negative"));
    if (r.max_score <= r.min_score) {
        invalid(cat("scoring rules max_score: ", r.max_score, " is not above min_score ", r.min_score));
    }
    if (r.decimals < 0 || r.decimals > 4) invalid(cat("scoring rules decimals: ", r.decimals, " is outside 0..4"));
    if (r.min_experts < 3) {
        invalid(cat("scoring rules min_experts: ", r.min_experts,
                    " is below 3 (the highest and the lowest are dropped; one score must remain)"));
    }
}

PanelScore score_panel(std::span<const ExpertScore> scores, const PanelRules& rules) {
    validate(rules);
    if (scores.size() < static_cast<std::size_t>(rules.min_experts)) {
        invalid(cat("expert panel: ", rules.min_experts, " experts required, ", scores.size(), " scored"));
    }
    if (scores.size() > 1'000'000) invalid(cat("expert panel: ", scores.size(), " scores is beyond any panel"));
    for (std::size_t i = 0; i < scores.size(); ++i) {
        const auto& s = scores[i];
        if (s.expert.empty()) invalid(cat("expert panel: score ", i, " has no expert name"));
        if (s.score < rules.min_score || s.score > rules.max_score) {
            invalid(cat("expert panel: expert ", s.expert, " scored ", s.score, ", outside ", rules.min_score, "..",
                        rules.max_score));
        }
    }
    // Sorted by (score, name): the dropped lowest is the first, the dropped highest the last of the
    // top score's run (the smallest name among those tied on it).
    std::vector<const ExpertScore*> sorted;
    sorted.reserve(scores.size());
    for (const auto& s : scores) sorted.push_back(&s);
    std::sort(sorted.begin(), sorted.end(), [](const ExpertScore* a, const ExpertScore* b) {
        return a->score != b->score ? a->score < b->score : a->expert < b->expert;
    });
    {
        std::vector<const ExpertScore*> by_name = sorted;
        std::sort(by_name.begin(), by_name.end(), [](const ExpertScore* a, const ExpertScore* b) {
            return a->expert != b->expert ? a->expert < b->expert : a->score < b->score;
        });
        const auto dup = std::adjacent_find(by_name.begin(), by_name.end(),
                                            [](const ExpertScore* a, const ExpertScore* b) { return a->expert == b->expert; });
        if (dup != by_name.end()) {
            invalid(cat("expert panel: expert ", (*dup)->expert, " scored twice (", (*dup)->score, " and ", dup[1]->score,
                        "); each expert scores once"));
        }
    }
    const std::size_t n = sorted.size();
    const ExpertScore* low = sorted.front();
    std::size_t top = n - 1;
    while (top > 1 && sorted[top - 1]->score == sorted[n - 1]->score) --top;   // first of the top run (never the lowest)
    const ExpertScore* high = sorted[top];
    std::int64_t sum = 0;
    for (const auto* s : sorted) sum += s->score;
    sum -= low->score;
    sum -= high->score;
    const int kept = static_cast<int>(n) - 2;
    return {static_cast<int>(n), high->score, low->score, high->expert, low->expert, sum, kept,
            static_cast<int>(sum / kept), rules.decimals};
}

std::string score_text(int score, int decimals) {
    std::string digits = std::to_string(score < 0 ? -static_cast<long long>(score) : static_cast<long long>(score));
    const auto places = static_cast<std::size_t>(std::clamp(decimals, 0, 9));
    if (places == 0) return score < 0 ? cat('-', digits) : digits;
    if (digits.size() <= places) digits.insert(0, places + 1 - digits.size(), '0');
    digits.insert(digits.size() - places, 1, '.');
    return score < 0 ? cat('-', digits) : digits;
}

CertificationDecision decide(const CertificationApplication& a, const CertificationStandard& s,
                             std::span<const ExpertScore> scores, const PanelRules& rules) {
    CertificationDecision d{check(a, s), score_panel(scores, rules), false, {}};
    if (s.min_expert_score < rules.min_score || s.min_expert_score > rules.max_score) {
        invalid(cat("certification standard ", to_string(s.level), " min_expert_score: ", s.min_expert_score,
                    " is outside the scoring range ", rules.min_score, "..", rules.max_score));
    }
    d.reasons = d.check.failures();
    if (d.panel.score < s.min_expert_score) {
        d.reasons.push_back(cat("expert score ", score_text(d.panel.score, rules.decimals), " below ",
                                score_text(s.min_expert_score, rules.decimals)));
    }
    d.approved = d.reasons.empty();
    return d;
}

}  // namespace psp
