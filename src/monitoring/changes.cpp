// Period-over-period change of one metric, subject by subject.
#include <map>
#include <tuple>

#include "monitoring/rows.hpp"

namespace psp {

std::vector<PeriodChange> period_over_period(std::span<const StatRow> rows, StatMetric metric) {
    const std::string context = "period over period: ";
    monitoring::require_one_period_kind(rows, context);
    const auto sorted = monitoring::sorted_rows(rows, context);

    // The value of each subject's period by its end, to find the period ending where another starts.
    std::map<std::tuple<StatSubject, std::int64_t, boost::gregorian::date>, double> by_end;
    for (const auto* r : sorted) by_end[{r->subject, r->id, r->end}] = metric_value(r->figures, metric);

    std::vector<PeriodChange> out;
    out.reserve(sorted.size());
    for (const auto* r : sorted) {
        PeriodChange c{r->subject, r->id, r->period, r->start, r->end, metric_value(r->figures, metric), {}, {}, {}};
        if (auto it = by_end.find({r->subject, r->id, r->start}); it != by_end.end()) {
            c.previous = it->second;
            c.change = c.value - it->second;
            if (it->second != 0) c.change_ratio = *c.change / it->second;
        }
        out.push_back(c);
    }
    return out;
}

}  // namespace psp
