// The metrics of a statistics row: names, values, and how a value reads in an alert message.
#include <array>
#include <cmath>
#include <cstdio>

#include "core/cat.hpp"
#include "core/enum_names.hpp"
#include "monitoring/rows.hpp"

namespace psp {
namespace {
constexpr std::array<const char*, stat_metric_count> metric_names{
    "bookings",          "cancellations",     "no_shows",        "rejections",   "booked_hours",
    "used_hours",        "external_hours",    "open_hours",      "utilisation",  "external_share",
    "revenue",           "voucher_spend",     "requests_received", "requests_served", "referred_in",
    "referred_out",      "unmet",             "enterprises_served", "new_enterprises", "fulfilment_rate"};

double hours(std::int64_t seconds) { return double(seconds) / 3600.0; }

// Fixed decimals with trailing zeros (and a bare point) dropped: 12.50 -> "12.5", 30.0 -> "30".
std::string trimmed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    std::string s = buf;
    if (s.find('.') != std::string::npos) {
        while (s.back() == '0') s.pop_back();
        if (s.back() == '.') s.pop_back();
    }
    if (s == "-0") s = "0";
    return s;
}
}  // namespace

const char* to_string(StatMetric v) { return detail::name_at(metric_names, static_cast<int>(v)); }
template <> std::optional<StatMetric> parse_enum(std::string_view s) { return detail::find_name<StatMetric>(metric_names, s); }

bool is_share(StatMetric m) {
    return m == StatMetric::utilisation || m == StatMetric::external_share || m == StatMetric::fulfilment_rate;
}

double metric_value(const StatFigures& f, StatMetric m) {
    switch (m) {
        case StatMetric::bookings: return double(f.bookings);
        case StatMetric::cancellations: return double(f.cancellations);
        case StatMetric::no_shows: return double(f.no_shows);
        case StatMetric::rejections: return double(f.rejections);
        case StatMetric::booked_hours: return hours(f.booked_seconds);
        case StatMetric::used_hours: return hours(f.used_seconds);
        case StatMetric::external_hours: return hours(f.external_seconds);
        case StatMetric::open_hours: return hours(f.open_seconds);
        case StatMetric::utilisation: return f.utilisation();
        case StatMetric::external_share: return f.external_share();
        case StatMetric::revenue: return double(f.revenue);
        case StatMetric::voucher_spend: return double(f.voucher_spend);
        case StatMetric::requests_received: return double(f.requests_received);
        case StatMetric::requests_served: return double(f.requests_served);
        case StatMetric::referred_in: return double(f.referred_in);
        case StatMetric::referred_out: return double(f.referred_out);
        case StatMetric::unmet: return double(f.unmet);
        case StatMetric::enterprises_served: return double(f.enterprises_served);
        case StatMetric::new_enterprises: return double(f.new_enterprises);
        case StatMetric::fulfilment_rate:
            return f.requests_received > 0 ? double(f.requests_served) / double(f.requests_received) : 0.0;
    }
    monitoring::invalid(detail::cat("metric: ", static_cast<int>(m), " is not a statistics metric"));
}

namespace monitoring {

std::string metric_label(StatMetric m) {
    std::string s = to_string(m);
    for (auto& c : s) {
        if (c == '_') c = ' ';
    }
    return s;
}

std::string format_value(StatMetric m, double v) {
    if (is_share(m)) return detail::cat(trimmed(v * 100, 1), " %");
    switch (m) {
        case StatMetric::booked_hours:
        case StatMetric::used_hours:
        case StatMetric::external_hours:
        case StatMetric::open_hours: return detail::cat(trimmed(v, 2), " h");
        case StatMetric::revenue:
        case StatMetric::voucher_spend: {
            char buf[64];
            std::snprintf(buf, sizeof buf, "%.2f yuan", v / 100);
            return buf;
        }
        default: return trimmed(v, 2);
    }
}

}  // namespace monitoring
}  // namespace psp
