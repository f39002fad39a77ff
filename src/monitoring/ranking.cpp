// Ranking the subjects of one period by one metric (competition ranking: 1, 1, 3).
#include <algorithm>

#include "core/cat.hpp"
#include "monitoring/rows.hpp"

namespace psp {

using detail::cat;
using monitoring::invalid;
using monitoring::iso;
using monitoring::subject_label;

std::vector<RankEntry> rank(std::span<const StatRow> rows, StatMetric metric, bool descending) {
    if (rows.empty()) return {};
    const auto& first = rows.front();
    for (const auto& r : rows) {
        if (r.period != first.period || r.start != first.start || r.end != first.end) {
            invalid(cat("rank: rows of more than one period: ", subject_label(first.subject, first.id), " has the ",
                        to_string(first.period), ' ', iso(first.start), " .. ", iso(first.end), ", ",
                        subject_label(r.subject, r.id), " the ", to_string(r.period), ' ', iso(r.start), " .. ", iso(r.end),
                        "; rank one period at a time"));
        }
        if (r.subject != first.subject) {
            invalid(cat("rank: rows of more than one subject kind: ", subject_label(first.subject, first.id), " and ",
                        subject_label(r.subject, r.id), "; rank one kind at a time"));
        }
    }
    const auto sorted = monitoring::sorted_rows(rows, "rank: ");

    std::vector<RankEntry> out;
    out.reserve(sorted.size());
    for (const auto* r : sorted) out.push_back({0, r->subject, r->id, metric_value(r->figures, metric)});
    // sorted_rows left them by id, so a stable sort on the value lists ties by id.
    std::stable_sort(out.begin(), out.end(), [&](const RankEntry& a, const RankEntry& b) {
        return descending ? a.value > b.value : a.value < b.value;
    });
    for (std::size_t i = 0; i < out.size(); ++i) {
        out[i].rank = i > 0 && out[i].value == out[i - 1].value ? out[i - 1].rank : static_cast<int>(i) + 1;
    }
    return out;
}

}  // namespace psp
