// Means and confidence intervals over replications (psp/simulation.hpp).
#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <utility>

#include "psp/error.hpp"
#include "psp/simulation.hpp"

namespace psp {
namespace {

// Two-sided 95 % quantiles of Student's t for 1..30 degrees of freedom; beyond, the normal 1.96
// is within 2 % of the truth.
constexpr double t95[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                          2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                          2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};

using Getter = std::function<double(const ReplicationResult&)>;

double yuan(Fen f) { return static_cast<double>(f) / 100.0; }

// Every summarised metric, in report order.
const std::vector<std::pair<std::string, Getter>>& metrics() {
    static const std::vector<std::pair<std::string, Getter>> all = {
        {"requests", [](const ReplicationResult& r) { return double(r.requests); }},
        {"served", [](const ReplicationResult& r) { return double(r.served); }},
        {"unmet", [](const ReplicationResult& r) { return double(r.unmet); }},
        {"gave_up", [](const ReplicationResult& r) { return double(r.gave_up); }},
        {"priced_out", [](const ReplicationResult& r) { return double(r.priced_out); }},
        {"served_over_budget", [](const ReplicationResult& r) { return double(r.served_over_budget); }},
        {"fulfilment_rate", [](const ReplicationResult& r) { return r.fulfilment_rate; }},
        {"mean_wait_hours", [](const ReplicationResult& r) { return r.mean_wait_hours; }},
        {"p90_wait_hours", [](const ReplicationResult& r) { return r.p90_wait_hours; }},
        {"mean_travel_minutes", [](const ReplicationResult& r) { return r.mean_travel_minutes; }},
        {"mean_utilisation", [](const ReplicationResult& r) { return r.mean_utilisation; }},
        {"utilisation_spread", [](const ReplicationResult& r) { return r.utilisation_spread; }},
        {"hours_per_instrument", [](const ReplicationResult& r) { return r.hours_per_instrument; }},
        {"external_hours_per_instrument", [](const ReplicationResult& r) { return r.external_hours_per_instrument; }},
        {"external_share", [](const ReplicationResult& r) { return r.external_share; }},
        {"referrals", [](const ReplicationResult& r) { return double(r.referrals); }},
        {"served_home", [](const ReplicationResult& r) { return double(r.served_by_tier[0]); }},
        {"served_family", [](const ReplicationResult& r) { return double(r.served_by_tier[1]); }},
        {"served_alliance", [](const ReplicationResult& r) { return double(r.served_by_tier[2]); }},
        {"served_linked", [](const ReplicationResult& r) { return double(r.served_by_tier[3]); }},
        {"served_city", [](const ReplicationResult& r) { return double(r.served_by_tier[4]); }},
        {"cancelled", [](const ReplicationResult& r) { return double(r.cancelled); }},
        {"no_shows", [](const ReplicationResult& r) { return double(r.no_shows); }},
        {"revenue_yuan", [](const ReplicationResult& r) { return yuan(r.revenue); }},
        {"voucher_spend_yuan", [](const ReplicationResult& r) { return yuan(r.voucher_spend); }},
        {"referral_fees_yuan", [](const ReplicationResult& r) { return yuan(r.referral_fees); }},
        {"pool_yuan", [](const ReplicationResult& r) { return yuan(r.pool); }},
        {"transferred_yuan", [](const ReplicationResult& r) { return yuan(r.transferred); }},
        {"sub_platforms_added", [](const ReplicationResult& r) { return double(r.sub_platforms_added); }},
        {"purchases_planned", [](const ReplicationResult& r) { return double(r.purchases_planned); }},
        {"purchases_made", [](const ReplicationResult& r) { return double(r.purchases_made); }},
        {"purchases_avoided", [](const ReplicationResult& r) { return double(r.purchases_avoided); }},
        {"purchase_value_avoided_yuan", [](const ReplicationResult& r) { return yuan(r.purchase_value_avoided); }},
    };
    return all;
}

}  // namespace

Estimate estimate(const std::vector<double>& values) {
    Estimate e;
    e.n = static_cast<int>(values.size());
    if (values.empty()) return e;
    double sum = 0;
    for (double v : values) sum += v;
    e.mean = sum / e.n;
    if (e.n < 2) return e;
    double squares = 0;
    for (double v : values) squares += (v - e.mean) * (v - e.mean);
    e.std_dev = std::sqrt(squares / (e.n - 1));
    const int df = e.n - 1;
    const double t = df <= 30 ? t95[df - 1] : 1.96;
    e.half_width = t * e.std_dev / std::sqrt(static_cast<double>(e.n));
    return e;
}

const std::vector<std::string>& simulation_metric_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const auto& [name, get] : metrics()) out.push_back(name);
        return out;
    }();
    return names;
}

double metric(const ReplicationResult& r, const std::string& name) {
    for (const auto& [n, get] : metrics()) {
        if (n == name) return get(r);
    }
    throw Error(ErrorCode::invalid, "metric: no simulation metric named '" + name + "'");
}

ScenarioResult summarise(const Scenario& scenario, std::vector<ReplicationResult> replications) {
    ScenarioResult out;
    out.scenario = scenario;
    out.replications = std::move(replications);
    for (const auto& [name, get] : metrics()) {
        std::vector<double> values;
        values.reserve(out.replications.size());
        for (const auto& r : out.replications) values.push_back(get(r));
        out.summary[name] = estimate(values);
    }
    return out;
}

}  // namespace psp
