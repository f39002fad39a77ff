// Alert rules on statistics rows: checked, then evaluated subject by subject over their periods.
#include <array>
#include <cmath>
#include <set>

#include "core/cat.hpp"
#include "core/enum_names.hpp"
#include "core/utf8.hpp"
#include "monitoring/rows.hpp"

namespace psp {

using detail::cat;
using monitoring::format_value;
using monitoring::invalid;

namespace {

constexpr std::array<const char*, alert_kind_count> kind_names{"below_for", "above_for", "rising_for", "total_above"};

std::string values_list(StatMetric metric, const std::vector<double>& values) {
    std::string s;
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0) s.append(", ");
        s.append(format_value(metric, values[i]));
    }
    return s;
}

// True when each row ends where the next starts.
bool consecutive(std::span<const StatRow* const> rows) {
    for (std::size_t i = 1; i < rows.size(); ++i) {
        if (rows[i - 1]->end != rows[i]->start) return false;
    }
    return true;
}

// The alert of `rule` on one subject's rows (period order), if it fires.
std::optional<Alert> check(const AlertRule& rule, std::span<const StatRow* const> rows) {
    const std::size_t needed = rule.kind == AlertKind::total_above  ? 1
                               : rule.kind == AlertKind::rising_for ? static_cast<std::size_t>(rule.periods) + 1
                                                                    : static_cast<std::size_t>(rule.periods);
    if (rows.size() < needed) return std::nullopt;
    const auto window = rule.kind == AlertKind::total_above ? rows : rows.last(needed);
    if (rule.kind != AlertKind::total_above && !consecutive(window)) return std::nullopt;

    std::vector<double> values;
    values.reserve(window.size());
    for (const auto* r : window) values.push_back(metric_value(r->figures, rule.metric));

    const auto& last = *window.back();
    const auto subject = monitoring::subject_label(last.subject, last.id);
    const auto metric = monitoring::metric_label(rule.metric);
    const auto list = values_list(rule.metric, values);
    std::string message;
    switch (rule.kind) {
        case AlertKind::below_for:
        case AlertKind::above_for: {
            const bool below = rule.kind == AlertKind::below_for;
            for (const double v : values) {
                if (below ? !(v < rule.threshold) : !(v > rule.threshold)) return std::nullopt;
            }
            message = cat(subject, ": ", metric, below ? " below " : " above ", format_value(rule.metric, rule.threshold), " for ",
                          monitoring::count_of(last.period, values.size()), " running (", list, ")");
            break;
        }
        case AlertKind::rising_for: {
            for (std::size_t i = 1; i < values.size(); ++i) {
                if (!(values[i] > values[i - 1])) return std::nullopt;
            }
            message = cat(subject, ": ", metric, " rising ", monitoring::count_of(last.period, values.size() - 1), " running (", list,
                          ")");
            break;
        }
        case AlertKind::total_above: {
            double total = 0;
            for (const double v : values) total += v;
            if (!(total > rule.threshold)) return std::nullopt;
            message = cat(subject, ": ", metric, " totals ", format_value(rule.metric, total), " over ",
                          monitoring::count_of(last.period, values.size()), ", above ", format_value(rule.metric, rule.threshold), " (",
                          list, ")");
            break;
        }
    }
    return Alert{rule.name,   rule.kind,          rule.metric, last.subject, last.id, window.front()->start, last.end,
                 std::move(values), rule.threshold, std::move(message)};
}

}  // namespace

const char* to_string(AlertKind v) { return detail::name_at(kind_names, static_cast<int>(v)); }
template <> std::optional<AlertKind> parse_enum(std::string_view s) { return detail::find_name<AlertKind>(kind_names, s); }

void validate(const AlertRule& rule) {
    if (rule.name.empty()) invalid("alert rule: the name is empty");
    if (!detail::valid_utf8(rule.name)) invalid("alert rule: the name is not valid UTF-8");
    const auto label = cat("alert rule '", rule.name, "': ");
    const int kind = static_cast<int>(rule.kind);
    if (kind < 0 || kind >= alert_kind_count) invalid(cat(label, "kind ", kind, " is not an alert kind"));
    const int metric = static_cast<int>(rule.metric);
    if (metric < 0 || metric >= stat_metric_count) invalid(cat(label, "metric ", metric, " is not a statistics metric"));
    if (rule.subject) {
        const int subject = static_cast<int>(*rule.subject);
        if (subject < 0 || subject >= stat_subject_count) invalid(cat(label, "subject ", subject, " is not a statistics subject"));
    }
    if (rule.periods < 1 || rule.periods > max_alert_periods) {
        invalid(cat(label, "periods must be 1..", max_alert_periods, ", got ", rule.periods));
    }
    if (!std::isfinite(rule.threshold)) invalid(cat(label, "the threshold is not a finite number"));
    if (is_share(rule.metric) && (rule.threshold < 0 || rule.threshold > 1)) {
        invalid(cat(label, "the threshold of ", to_string(rule.metric), " is a share, 0..1, got ", monitoring::number(rule.threshold)));
    }
}

void validate(std::span<const AlertRule> rules) {
    std::set<std::string> names;
    for (const auto& r : rules) {
        validate(r);
        if (!names.insert(r.name).second) invalid(cat("alert rule '", r.name, "' is given twice"));
    }
}

std::vector<Alert> evaluate_alerts(std::span<const StatRow> rows, std::span<const AlertRule> rules) {
    validate(rules);
    const std::string context = "alerts: ";
    monitoring::require_one_period_kind(rows, context);
    const auto sorted = monitoring::sorted_rows(rows, context);

    // Each subject's rows: a run of `sorted`, in period order.
    std::vector<std::span<const StatRow* const>> subjects;
    for (std::size_t i = 0; i < sorted.size();) {
        std::size_t j = i + 1;
        while (j < sorted.size() && sorted[j]->subject == sorted[i]->subject && sorted[j]->id == sorted[i]->id) ++j;
        subjects.push_back(std::span<const StatRow* const>(sorted).subspan(i, j - i));
        i = j;
    }

    std::vector<Alert> out;
    for (const auto& rule : rules) {
        for (const auto& s : subjects) {
            if (rule.subject && *rule.subject != s.front()->subject) continue;
            if (auto a = check(rule, s)) out.push_back(std::move(*a));
        }
    }
    return out;
}

}  // namespace psp
