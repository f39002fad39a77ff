// Row checks and message text shared by the monitoring functions.
#include "monitoring/rows.hpp"

#include <algorithm>
#include <cstdio>
#include <tuple>

#include <boost/date_time/gregorian/gregorian.hpp>

#include "core/cat.hpp"

namespace psp::monitoring {

using detail::cat;

std::string subject_label(StatSubject subject, std::int64_t id) {
    if (subject == StatSubject::city) return "city";
    return cat(to_string(subject), ' ', id);
}

std::string iso(boost::gregorian::date d) { return boost::gregorian::to_iso_extended_string(d); }

std::string count_of(SeriesPeriod period, std::size_t n) {
    return cat(n, ' ', to_string(period), n == 1 ? "" : "s");
}

std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return buf;
}

std::vector<const StatRow*> sorted_rows(std::span<const StatRow> rows, const std::string& context) {
    std::vector<const StatRow*> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(&r);
    const auto key = [](const StatRow* r) { return std::tuple(r->subject, r->id, r->period, r->start); };
    std::stable_sort(out.begin(), out.end(), [&](const StatRow* a, const StatRow* b) { return key(a) < key(b); });
    for (std::size_t i = 1; i < out.size(); ++i) {
        if (key(out[i - 1]) == key(out[i])) {
            invalid(cat(context, subject_label(out[i]->subject, out[i]->id), " has two rows for the ", to_string(out[i]->period),
                        " starting ", iso(out[i]->start)));
        }
    }
    return out;
}

void require_one_period_kind(std::span<const StatRow> rows, const std::string& context) {
    for (const auto& r : rows) {
        if (r.period != rows.front().period) {
            const auto& f = rows.front();
            invalid(cat(context, "rows of more than one period kind: ", subject_label(f.subject, f.id), " has ", to_string(f.period),
                        " rows (", iso(f.start), "), ", subject_label(r.subject, r.id), ' ', to_string(r.period), " rows (",
                        iso(r.start), ')'));
        }
    }
}

}  // namespace psp::monitoring
