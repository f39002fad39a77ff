// The largest-remainder split of an incentive budget (include/psp/evaluation.hpp): exact in fen.
#include <algorithm>
#include <numeric>
#include <string>

#include "evaluation/text.hpp"
#include "psp/evaluation.hpp"

namespace psp {

std::vector<Fen> largest_remainder(Fen budget, std::span<const std::int64_t> weights) {
    __extension__ typedef __int128 Wide;
    if (budget < 0) evaluation::invalid("incentive budget: " + std::to_string(budget) + " fen is negative");
    std::int64_t total = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        if (weights[i] < 0) {
            evaluation::invalid("incentive weights[" + std::to_string(i) + "]: " + std::to_string(weights[i]) + " is negative");
        }
        if (__builtin_add_overflow(total, weights[i], &total)) evaluation::invalid("incentive weights: the sum does not fit in 64 bits");
    }
    std::vector<Fen> parts(weights.size(), 0);
    if (total == 0) return parts;
    std::vector<std::int64_t> remainder(weights.size());
    Fen left = budget;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        const Wide product = static_cast<Wide>(budget) * weights[i];
        parts[i] = static_cast<Fen>(product / total);   // <= budget
        remainder[i] = static_cast<std::int64_t>(product % total);
        left -= parts[i];
    }
    // Σ remainder = total · left and each remainder < total, so more than `left` remainders are
    // non-zero and the fen left over never reach a zero remainder.
    std::vector<std::size_t> order(weights.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    const auto by_remainder = [&remainder](std::size_t a, std::size_t b) {
        return remainder[a] != remainder[b] ? remainder[a] > remainder[b] : a < b;
    };
    const auto cut = order.begin() + static_cast<std::ptrdiff_t>(left);
    std::partial_sort(order.begin(), cut, order.end(), by_remainder);
    for (auto it = order.begin(); it != cut; ++it) ++parts[*it];
    return parts;
}

}  // namespace psp
