// Monitoring results as JSON, and alert rules and cities' statistics tables read back strictly.
#include "json/monitoring_json.hpp"

#include <set>

#include "core/cat.hpp"
#include "json/dates.hpp"
#include "json/statistics_json.hpp"
#include "psp/error.hpp"

namespace psp::json {
namespace {

json optional_number(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

json comparison_rows(const std::vector<ComparisonRow>& rows) {
    json out = json::array();
    for (const auto& r : rows) {
        json values = json::array();
        for (const auto& v : r.values) values.push_back(optional_number(v));
        out.push_back({{"start", iso(r.start)}, {"end", iso(r.end)}, {"values", std::move(values)}});
    }
    return out;
}

template <class T>
json array_of(const std::vector<T>& items) {
    json out = json::array();
    for (const auto& i : items) out.push_back(to_json(i));
    return out;
}

std::string element(const std::string& path, std::size_t i) {
    std::string p = path;
    p.append("/").append(std::to_string(i));
    return p;
}

}  // namespace

json to_json(const PeriodChange& c) {
    return {{"subject", to_string(c.subject)},
            {"id", c.id},
            {"period", to_string(c.period)},
            {"start", iso(c.start)},
            {"end", iso(c.end)},
            {"value", c.value},
            {"previous", optional_number(c.previous)},
            {"change", optional_number(c.change)},
            {"change_ratio", optional_number(c.change_ratio)}};
}
json to_json(const std::vector<PeriodChange>& v) { return array_of(v); }

json to_json(const RankEntry& e) {
    return {{"rank", e.rank}, {"subject", to_string(e.subject)}, {"id", e.id}, {"value", e.value}};
}
json to_json(const std::vector<RankEntry>& v) { return array_of(v); }

json to_json(const SubjectComparison& c) {
    return {{"metric", to_string(c.metric)},
            {"subject", to_string(c.subject)},
            {"period", to_string(c.period)},
            {"ids", c.ids},
            {"rows", comparison_rows(c.rows)}};
}

json to_json(const CityComparison& c) {
    json sources = json::array();
    for (const auto s : c.sources) sources.push_back(to_string(s));
    return {{"metric", to_string(c.metric)},
            {"period", to_string(c.period)},
            {"cities", c.cities},
            {"sources", std::move(sources)},
            {"rows", comparison_rows(c.rows)}};
}

json to_json(const Alert& a) {
    return {{"rule", a.rule},
            {"kind", to_string(a.kind)},
            {"metric", to_string(a.metric)},
            {"subject", to_string(a.subject)},
            {"id", a.id},
            {"from", iso(a.from)},
            {"to", iso(a.to)},
            {"figures", a.figures},
            {"threshold", a.threshold},
            {"message", a.message}};
}
json to_json(const std::vector<Alert>& v) { return array_of(v); }

json to_json(const AlertRule& r) {
    return {{"name", r.name},
            {"kind", to_string(r.kind)},
            {"metric", to_string(r.metric)},
            {"threshold", r.threshold},
            {"periods", r.periods},
            {"subject", r.subject ? json(to_string(*r.subject)) : json(nullptr)}};
}
json to_json(const std::vector<AlertRule>& v) { return array_of(v); }

json to_json(const CityStatistics& c) { return {{"city", c.city}, {"rows", to_json(c.rows)}}; }
json to_json(const std::vector<CityStatistics>& v) { return array_of(v); }

AlertRule alert_rule_from_json(const json& j, const std::string& path) {
    ObjectReader r(j, path);
    AlertRule rule;
    rule.name = r.text("name");
    rule.kind = r.enumeration<AlertKind>("kind");
    rule.metric = r.enumeration<StatMetric>("metric");
    rule.threshold = r.number_or("threshold", 0);
    rule.periods = r.small_integer_or("periods", 1);
    if (const json* s = r.find("subject"); s && !s->is_null()) rule.subject = ObjectReader::parse_enum_at<StatSubject>(*s, r.at("subject"));
    r.finish();
    validate_at(path, rule);
    return rule;
}

std::vector<AlertRule> alert_rules_from_json(const json& j, const std::string& path) {
    if (!j.is_array()) bad(path, std::string("expected an array of alert rules, got ") + j.type_name());
    std::vector<AlertRule> rules;
    std::set<std::string> names;
    for (std::size_t i = 0; i < j.size(); ++i) {
        rules.push_back(alert_rule_from_json(j[i], element(path, i)));
        if (!names.insert(rules.back().name).second) {
            bad(detail::cat(element(path, i), "/name"), detail::cat("alert rule '", rules.back().name, "' is given twice"));
        }
    }
    return rules;
}

CityStatistics city_statistics_from_json(const json& j, const std::string& path) {
    ObjectReader r(j, path);
    CityStatistics c;
    c.city = r.text("city");
    if (c.city.empty()) bad(r.at("city"), "empty");
    const json* rows = r.find("rows");
    if (!rows) bad(r.at("rows"), "missing");
    c.rows = stat_rows_from_json(*rows, r.at("rows"));
    r.finish();
    return c;
}

std::vector<CityStatistics> city_statistics_list_from_json(const json& j, const std::string& path) {
    if (!j.is_array()) bad(path, std::string("expected an array of cities, got ") + j.type_name());
    std::vector<CityStatistics> cities;
    std::set<std::string> names;
    for (std::size_t i = 0; i < j.size(); ++i) {
        cities.push_back(city_statistics_from_json(j[i], element(path, i)));
        if (!names.insert(cities.back().city).second) {
            bad(detail::cat(element(path, i), "/city"), detail::cat("city '", cities.back().city, "' is given twice"));
        }
    }
    return cities;
}

}  // namespace psp::json
