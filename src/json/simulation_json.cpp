// JSON for the simulation (docs/simulation-json.md).
#include "json/simulation_json.hpp"

#include <utility>

#include "calendar/days.hpp"
#include "json/dates.hpp"
#include "json/reader.hpp"
#include "json/routing_json.hpp"

namespace psp::json {
namespace {

using calendar_detail::china_day;
using calendar_detail::china_day_start;
using calendar_detail::date_from_days;
using calendar_detail::days_from_date;

constexpr std::array<const char*, enterprise_size_count> sizes{"micro", "small", "medium", "large"};

json by_size(const std::array<double, enterprise_size_count>& values) {
    json out = json::object();
    for (std::size_t i = 0; i < sizes.size(); ++i) out[sizes[i]] = values[i];
    return out;
}

// {"micro": x, ...}: absent sizes keep their value.
void read_by_size(ObjectReader& parent, const char* key, std::array<double, enterprise_size_count>& values) {
    const json* v = parent.find(key);
    if (!v) return;
    ObjectReader r(*v, parent.at(key));
    for (std::size_t i = 0; i < sizes.size(); ++i) values[i] = r.number_or(sizes[i], values[i]);
    r.finish();
}

std::uint64_t unsigned_at(ObjectReader& r, const char* key, std::uint64_t fallback) {
    const json* v = r.find(key);
    if (!v) return fallback;
    if (!v->is_number_integer() || (v->is_number_integer() && !v->is_number_unsigned() && v->get<std::int64_t>() < 0)) {
        bad(r.at(key), "expected an integer >= 0");
    }
    return v->get<std::uint64_t>();
}

// The integer counters of a replication, by JSON key.
using Counter = std::int64_t ReplicationResult::*;
constexpr std::pair<const char*, Counter> counters[] = {
    {"requests", &ReplicationResult::requests},
    {"served", &ReplicationResult::served},
    {"unmet", &ReplicationResult::unmet},
    {"gave_up", &ReplicationResult::gave_up},
    {"cancelled", &ReplicationResult::cancelled},
    {"no_shows", &ReplicationResult::no_shows},
    {"referrals", &ReplicationResult::referrals},
    {"revenue", &ReplicationResult::revenue},
    {"voucher_spend", &ReplicationResult::voucher_spend},
    {"referral_fees", &ReplicationResult::referral_fees},
    {"pool", &ReplicationResult::pool},
    {"transferred", &ReplicationResult::transferred},
    {"sub_platforms_added", &ReplicationResult::sub_platforms_added},
    {"purchases_planned", &ReplicationResult::purchases_planned},
    {"purchases_made", &ReplicationResult::purchases_made},
    {"purchases_avoided", &ReplicationResult::purchases_avoided},
    {"purchase_value_avoided", &ReplicationResult::purchase_value_avoided},
};
// Counters added after runs were first stored: absent in older runs, read as 0.
constexpr std::pair<const char*, Counter> later_counters[] = {
    {"priced_out", &ReplicationResult::priced_out},
    {"served_over_budget", &ReplicationResult::served_over_budget},
};
using Measure = double ReplicationResult::*;
constexpr std::pair<const char*, Measure> measures[] = {
    {"fulfilment_rate", &ReplicationResult::fulfilment_rate},
    {"mean_wait_hours", &ReplicationResult::mean_wait_hours},
    {"p90_wait_hours", &ReplicationResult::p90_wait_hours},
    {"mean_travel_minutes", &ReplicationResult::mean_travel_minutes},
    {"mean_utilisation", &ReplicationResult::mean_utilisation},
    {"utilisation_spread", &ReplicationResult::utilisation_spread},
    {"hours_per_instrument", &ReplicationResult::hours_per_instrument},
    {"external_hours_per_instrument", &ReplicationResult::external_hours_per_instrument},
    {"external_share", &ReplicationResult::external_share},
};

}  // namespace

json to_json(const DemandProfile& p) {
    json sectors = json::object();
    for (const auto& [sector, f] : p.sector_factor) sectors[sector] = f;
    return {{"yearly_requests", by_size(p.yearly_requests)},
            {"sector_factor", sectors},
            {"weekday_weight", p.weekday_weight},
            {"spring_festival_factor", p.spring_festival_factor},
            {"national_day_factor", p.national_day_factor},
            {"yearly_growth", p.yearly_growth},
            {"min_minutes", p.min_minutes},
            {"max_minutes", p.max_minutes},
            {"lead_days", p.lead_days},
            {"window_days", p.window_days},
            {"cancel_probability", p.cancel_probability},
            {"no_show_probability", p.no_show_probability}};
}

DemandProfile demand_profile_from_json(const json& j, const std::string& path) {
    ObjectReader r(j, path);
    DemandProfile p;
    read_by_size(r, "yearly_requests", p.yearly_requests);
    if (const json* s = r.find("sector_factor")) {
        if (!s->is_object()) bad(r.at("sector_factor"), std::string("expected an object, got ") + s->type_name());
        for (const auto& [sector, f] : s->items()) {
            if (!f.is_number()) bad(r.at("sector_factor") + "/" + sector, std::string("expected a number, got ") + f.type_name());
            p.sector_factor[sector] = f.get<double>();
        }
    }
    if (const json* w = r.find("weekday_weight")) {
        if (!w->is_array() || w->size() != 7) bad(r.at("weekday_weight"), "expected an array of 7 numbers, Monday first");
        for (std::size_t i = 0; i < 7; ++i) {
            if (!(*w)[i].is_number()) bad(r.at("weekday_weight") + "/" + std::to_string(i), "expected a number");
            p.weekday_weight[i] = (*w)[i].get<double>();
        }
    }
    p.spring_festival_factor = r.number_or("spring_festival_factor", p.spring_festival_factor);
    p.national_day_factor = r.number_or("national_day_factor", p.national_day_factor);
    p.yearly_growth = r.number_or("yearly_growth", p.yearly_growth);
    p.min_minutes = r.small_integer_or("min_minutes", p.min_minutes);
    p.max_minutes = r.small_integer_or("max_minutes", p.max_minutes);
    p.lead_days = r.small_integer_or("lead_days", p.lead_days);
    p.window_days = r.small_integer_or("window_days", p.window_days);
    p.cancel_probability = r.number_or("cancel_probability", p.cancel_probability);
    p.no_show_probability = r.number_or("no_show_probability", p.no_show_probability);
    r.finish();
    validate_at(path, p);
    return p;
}

json to_json(const Scenario& s) {
    return {{"name", s.name},
            {"sharing", to_string(s.sharing)},
            {"one_stop", s.one_stop},
            {"vouchers", s.vouchers},
            {"policy", to_json(s.policy)},
            {"demand", to_json(s.demand)},
            {"from", iso(date_from_days(china_day(s.horizon.start)))},
            {"to", iso(date_from_days(china_day(s.horizon.end - 1)))},
            {"hours_per_instrument", s.hours_per_instrument},
            {"budget_yuan_per_hour", by_size(s.budget_yuan_per_hour)},
            {"referral_dropout", s.referral_dropout},
            {"referral_delay_hours", s.referral_delay_hours},
            {"rollout_sub_platforms", s.rollout_sub_platforms},
            {"planned_purchases", s.planned_purchases},
            {"joint_review", s.joint_review},
            {"seed", s.seed},
            {"replications", s.replications}};
}

Scenario scenario_from_json(const json& j, const std::string& path) {
    ObjectReader r(j, path);
    Scenario s;
    s.name = r.text("name");
    s.sharing = enum_at<SharingMode>(r, "sharing", sharing_mode_count, s.sharing);
    s.one_stop = r.boolean_or("one_stop", s.one_stop);
    s.vouchers = r.boolean_or("vouchers", s.vouchers);
    if (const json* p = r.find("policy")) s.policy = routing_policy_from_json(*p, r.at("policy"));
    if (const json* d = r.find("demand")) s.demand = demand_profile_from_json(*d, r.at("demand"));
    const auto from = date_at(r, "from");
    const auto to = date_at(r, "to");
    if (to < from) bad(r.at("to"), "the horizon ends (" + iso(to) + ") before it starts (" + iso(from) + ")");
    s.horizon = {china_day_start(days_from_date(from)), china_day_start(days_from_date(to) + 1)};
    s.hours_per_instrument = r.number_or("hours_per_instrument", s.hours_per_instrument);
    read_by_size(r, "budget_yuan_per_hour", s.budget_yuan_per_hour);
    s.referral_dropout = r.number_or("referral_dropout", s.referral_dropout);
    s.referral_delay_hours = r.number_or("referral_delay_hours", s.referral_delay_hours);
    s.rollout_sub_platforms = r.small_integer_or("rollout_sub_platforms", s.rollout_sub_platforms);
    s.planned_purchases = r.small_integer_or("planned_purchases", s.planned_purchases);
    s.joint_review = r.boolean_or("joint_review", s.joint_review);
    s.seed = unsigned_at(r, "seed", s.seed);
    s.replications = r.small_integer_or("replications", s.replications);
    r.finish();
    validate_at(path, s);
    return s;
}

std::vector<Scenario> scenarios_from_json(const json& j) {
    const json* list = &j;
    std::string path;
    if (j.is_object()) {
        ObjectReader r(j, "");
        list = r.find("scenarios");
        if (!list) bad("/scenarios", "missing");
        r.finish();
        path = "/scenarios";
    }
    if (!list->is_array()) bad(path, std::string("expected an array of scenarios, got ") + list->type_name());
    if (list->empty()) bad(path, "no scenario given");
    std::vector<Scenario> out;
    for (std::size_t i = 0; i < list->size(); ++i) out.push_back(scenario_from_json((*list)[i], path + "/" + std::to_string(i)));
    return out;
}

json to_json(const ReplicationResult& r) {
    json out{{"seed", r.seed}};
    for (const auto& [key, field] : counters) out[key] = r.*field;
    for (const auto& [key, field] : later_counters) out[key] = r.*field;
    for (const auto& [key, field] : measures) out[key] = r.*field;
    json tiers = json::object();
    for (int t = 0; t < route_tier_count; ++t) tiers[to_string(static_cast<RouteTier>(t))] = r.served_by_tier[static_cast<std::size_t>(t)];
    out["served_by_tier"] = tiers;
    out["utilisation_histogram"] = r.utilisation_histogram;
    json transfers = json::array();
    for (const auto& t : r.transfers) transfers.push_back({{"from", t.from.value}, {"to", t.to.value}, {"amount", t.amount}});
    out["transfers"] = transfers;
    return out;
}

ReplicationResult replication_from_json(const json& j, const std::string& path) {
    ObjectReader r(j, path);
    ReplicationResult out;
    out.seed = unsigned_at(r, "seed", 0);
    for (const auto& [key, field] : counters) out.*field = r.integer(key);
    // Counted since issue 16: runs stored before lack them.
    for (const auto& [key, field] : later_counters) out.*field = r.integer_or(key, 0);
    for (const auto& [key, field] : measures) out.*field = r.number_or(key, 0.0);
    if (const json* tiers = r.find("served_by_tier")) {
        ObjectReader t(*tiers, r.at("served_by_tier"));
        for (int i = 0; i < route_tier_count; ++i) out.served_by_tier[static_cast<std::size_t>(i)] = t.integer(to_string(static_cast<RouteTier>(i)));
        t.finish();
    }
    if (const json* h = r.find("utilisation_histogram")) {
        if (!h->is_array() || h->size() != out.utilisation_histogram.size()) bad(r.at("utilisation_histogram"), "expected an array of 10 integers");
        for (std::size_t i = 0; i < out.utilisation_histogram.size(); ++i) {
            if (!(*h)[i].is_number_integer()) bad(r.at("utilisation_histogram") + "/" + std::to_string(i), "expected an integer");
            out.utilisation_histogram[i] = (*h)[i].get<std::int64_t>();
        }
    }
    each(r, "transfers", [&](const json& t, const std::string& at) {
        ObjectReader tr(t, at);
        out.transfers.push_back({tr.id<PlatformId>("from"), tr.id<PlatformId>("to"), tr.integer("amount")});
        tr.finish();
    });
    r.finish();
    return out;
}

json to_json(const ScenarioResult& s) {
    json summary = json::object();
    for (const auto& [name, e] : s.summary) {
        summary[name] = {{"mean", e.mean}, {"half_width", e.half_width}, {"std_dev", e.std_dev}, {"n", e.n}};
    }
    json reps = json::array();
    for (const auto& r : s.replications) reps.push_back(to_json(r));
    return {{"scenario", to_json(s.scenario)}, {"summary", summary}, {"replications", reps}};
}

ScenarioResult scenario_result_from_json(const json& j, const std::string& path) {
    ObjectReader r(j, path);
    const json* scenario = r.find("scenario");
    if (!scenario) bad(r.at("scenario"), "missing");
    const Scenario s = scenario_from_json(*scenario, r.at("scenario"));
    std::vector<ReplicationResult> reps;
    each(r, "replications", [&](const json& v, const std::string& at) { reps.push_back(replication_from_json(v, at)); });
    if (reps.empty()) bad(r.at("replications"), "no replication");
    r.find("summary");   // recomputed from the replications, so that it cannot disagree with them
    r.finish();
    return summarise(s, std::move(reps));
}

std::vector<ScenarioResult> scenario_results_from_json(const json& j) {
    const json* list = &j;
    std::string path;
    if (j.is_object()) {
        ObjectReader r(j, "");
        list = r.find("scenarios");
        if (!list) bad("/scenarios", "missing");
        r.find("rows");
        r.finish();
        path = "/scenarios";
    }
    if (!list->is_array()) bad(path, std::string("expected an array of scenario results, got ") + list->type_name());
    std::vector<ScenarioResult> out;
    for (std::size_t i = 0; i < list->size(); ++i) out.push_back(scenario_result_from_json((*list)[i], path + "/" + std::to_string(i)));
    return out;
}

json comparison_rows(const std::vector<ScenarioResult>& results) {
    json rows = json::array();
    for (const auto& s : results) {
        json row{{"scenario", s.scenario.name}, {"replications", s.replications.size()}};
        for (const auto& name : simulation_metric_names()) {
            const Estimate& e = s.summary.at(name);
            row[name] = e.mean;
            row[name + "_half_width"] = e.half_width;
        }
        rows.push_back(row);
    }
    return rows;
}

json to_json(const SimulationRun& run) {
    json scenarios = json::array();
    for (const auto& s : run.scenarios) scenarios.push_back(to_json(s));
    return {{"id", run.id.value}, {"name", run.name}, {"at", run.at}, {"scenarios", scenarios}, {"rows", comparison_rows(run.scenarios)}};
}

SimulationRun simulation_run_from_json(const json& j, const std::string& path) {
    ObjectReader r(j, path);
    SimulationRun run;
    run.id = r.id<SimulationRunId>("id");
    run.name = r.text("name");
    run.at = r.integer("at");
    each(r, "scenarios", [&](const json& v, const std::string& at) { run.scenarios.push_back(scenario_result_from_json(v, at)); });
    r.find("rows");
    r.finish();
    return run;
}

}  // namespace psp::json

namespace psp {

std::vector<Scenario> scenarios_from_json(std::string_view text) { return json::scenarios_from_json(json::parse_document(text)); }

std::string scenarios_to_json(const std::vector<Scenario>& scenarios) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& s : scenarios) list.push_back(json::to_json(s));
    return nlohmann::json{{"scenarios", list}}.dump();
}

std::string results_to_json(const std::vector<ScenarioResult>& results) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& r : results) list.push_back(json::to_json(r));
    return nlohmann::json{{"scenarios", list}, {"rows", json::comparison_rows(results)}}.dump();
}

std::vector<ScenarioResult> results_from_json(std::string_view text) {
    return json::scenario_results_from_json(json::parse_document(text));
}

std::string simulation_run_to_json(const SimulationRun& run) { return json::to_json(run).dump(); }

}  // namespace psp
