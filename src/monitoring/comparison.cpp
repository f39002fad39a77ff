// Comparison tables of one metric: subjects of one kind side by side, and cities side by side (each
// city from its city rows, or the sum of its platform rows).
#include <algorithm>
#include <map>
#include <set>

#include "core/cat.hpp"
#include "core/utf8.hpp"
#include "monitoring/rows.hpp"

namespace psp {

using detail::cat;
using monitoring::invalid;
using monitoring::subject_label;
namespace greg = boost::gregorian;

namespace {

// Rows of a table: every period start in `columns` (one map per column), each with its value or
// nullopt. All periods are of one kind, so a start determines the end.
std::vector<ComparisonRow> table(const std::vector<std::map<greg::date, std::pair<greg::date, double>>>& columns) {
    std::map<greg::date, greg::date> periods;
    for (const auto& c : columns) {
        for (const auto& [start, v] : c) periods.emplace(start, v.first);
    }
    std::vector<ComparisonRow> out;
    out.reserve(periods.size());
    for (const auto& [start, end] : periods) {
        ComparisonRow row{start, end, {}};
        row.values.reserve(columns.size());
        for (const auto& c : columns) {
            const auto it = c.find(start);
            row.values.push_back(it == c.end() ? std::nullopt : std::optional<double>(it->second.second));
        }
        out.push_back(std::move(row));
    }
    return out;
}

StatFigures& operator+=(StatFigures& a, const StatFigures& b) {
    a.bookings += b.bookings;
    a.cancellations += b.cancellations;
    a.no_shows += b.no_shows;
    a.rejections += b.rejections;
    a.booked_seconds += b.booked_seconds;
    a.used_seconds += b.used_seconds;
    a.external_seconds += b.external_seconds;
    a.open_seconds += b.open_seconds;
    a.revenue += b.revenue;
    a.voucher_spend += b.voucher_spend;
    a.requests_received += b.requests_received;
    a.requests_served += b.requests_served;
    a.referred_in += b.referred_in;
    a.referred_out += b.referred_out;
    a.unmet += b.unmet;
    a.enterprises_served += b.enterprises_served;
    a.new_enterprises += b.new_enterprises;
    return a;
}

std::string quoted(const std::string& s) { return cat('\'', s, '\''); }

}  // namespace

SubjectComparison compare_subjects(std::span<const StatRow> rows, StatMetric metric) {
    SubjectComparison out;
    out.metric = metric;
    if (rows.empty()) return out;
    const std::string context = "compare subjects: ";
    const auto& first = rows.front();
    for (const auto& r : rows) {
        if (r.subject != first.subject) {
            invalid(cat(context, "rows of more than one subject kind: ", subject_label(first.subject, first.id), " and ",
                        subject_label(r.subject, r.id), "; compare one kind at a time"));
        }
    }
    monitoring::require_one_period_kind(rows, context);
    out.subject = first.subject;
    out.period = first.period;

    std::vector<std::map<greg::date, std::pair<greg::date, double>>> columns;
    for (const auto* r : monitoring::sorted_rows(rows, context)) {
        if (out.ids.empty() || out.ids.back() != r->id) {
            out.ids.push_back(r->id);
            columns.emplace_back();
        }
        columns.back().emplace(r->start, std::pair(r->end, metric_value(r->figures, metric)));
    }
    out.rows = table(columns);
    return out;
}

CityComparison compare_cities(std::span<const CityStatistics> cities, StatMetric metric) {
    const std::string context = "compare cities: ";
    if (cities.size() < 2) invalid(cat(context, "needs at least 2 cities, got ", cities.size()));
    std::set<std::string> names;
    for (std::size_t i = 0; i < cities.size(); ++i) {
        const auto& name = cities[i].city;
        if (name.empty()) invalid(cat(context, "city ", i + 1, " has no name"));
        if (!detail::valid_utf8(name)) invalid(cat(context, "city ", i + 1, "'s name is not valid UTF-8"));
        if (!names.insert(name).second) invalid(cat(context, "city ", quoted(name), " is given twice"));
    }

    CityComparison out;
    out.metric = metric;
    std::vector<std::map<greg::date, std::pair<greg::date, double>>> columns;
    for (std::size_t i = 0; i < cities.size(); ++i) {
        const auto& c = cities[i];
        const auto city_context = cat(context, "city ", quoted(c.city), ": ");
        if (c.rows.empty()) invalid(cat(city_context, "no rows"));
        monitoring::require_one_period_kind(c.rows, city_context);
        const auto kind = c.rows.front().period;
        if (i == 0) {
            out.period = kind;
        } else if (kind != out.period) {
            invalid(cat(context, "city ", quoted(cities[0].city), " has ", to_string(out.period), " rows, city ", quoted(c.city), ' ',
                        to_string(kind), " rows; compare the same period kind"));
        }
        monitoring::sorted_rows(c.rows, city_context);   // refuses the same row twice

        const bool has_city_rows =
            std::any_of(c.rows.begin(), c.rows.end(), [](const StatRow& r) { return r.subject == StatSubject::city; });
        const auto source = has_city_rows ? StatSubject::city : StatSubject::platform;
        std::map<greg::date, std::pair<greg::date, StatFigures>> sums;
        for (const auto& r : c.rows) {
            if (r.subject != source) continue;
            auto& cell = sums.try_emplace(r.start, r.end, StatFigures{}).first->second;
            cell.second += r.figures;
        }
        if (sums.empty()) invalid(cat(city_context, "neither city nor platform rows"));
        out.cities.push_back(c.city);
        out.sources.push_back(source);
        auto& column = columns.emplace_back();
        for (const auto& [start, cell] : sums) column.emplace(start, std::pair(cell.first, metric_value(cell.second, metric)));
    }
    out.rows = table(columns);
    return out;
}

}  // namespace psp
