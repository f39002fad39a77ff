// Statistics rows and queries as JSON.
#include "json/statistics_json.hpp"

#include "json/dates.hpp"
#include "psp/error.hpp"

namespace psp::json {
namespace {

// The integer figures, in one place for writing and reading.
template <class F>
void each_figure(F&& f) {
    f("bookings", &StatFigures::bookings);
    f("cancellations", &StatFigures::cancellations);
    f("no_shows", &StatFigures::no_shows);
    f("rejections", &StatFigures::rejections);
    f("booked_seconds", &StatFigures::booked_seconds);
    f("used_seconds", &StatFigures::used_seconds);
    f("external_seconds", &StatFigures::external_seconds);
    f("open_seconds", &StatFigures::open_seconds);
    f("revenue", &StatFigures::revenue);
    f("voucher_spend", &StatFigures::voucher_spend);
    f("requests_received", &StatFigures::requests_received);
    f("requests_served", &StatFigures::requests_served);
    f("referred_in", &StatFigures::referred_in);
    f("referred_out", &StatFigures::referred_out);
    f("unmet", &StatFigures::unmet);
    f("enterprises_served", &StatFigures::enterprises_served);
    f("new_enterprises", &StatFigures::new_enterprises);
}

}  // namespace

json to_json(const StatFigures& figures) {
    json out = json::object();
    each_figure([&](const char* name, auto field) { out[name] = figures.*field; });
    out["utilisation"] = figures.utilisation();
    out["external_share"] = figures.external_share();
    return out;
}

json to_json(const StatRow& row) {
    return {{"subject", to_string(row.subject)},
            {"id", row.id},
            {"period", to_string(row.period)},
            {"start", iso(row.start)},
            {"end", iso(row.end)},
            {"figures", to_json(row.figures)}};
}

json to_json(const std::vector<StatRow>& rows) {
    json out = json::array();
    for (const auto& r : rows) out.push_back(to_json(r));
    return out;
}

json to_json(const UnmetRequest& u) {
    const auto& q = u.request;
    return {{"id", u.id.value},
            {"at", u.at},
            {"enterprise", q.enterprise.value},
            {"kind", to_string(q.kind)},
            {"equipment_class", q.equipment_class.value},
            {"window_start", q.window.start},
            {"window_end", q.window.end},
            {"minutes", q.minutes},
            {"units", q.units},
            {"price_ceiling", q.price_ceiling ? json(*q.price_ceiling) : json(nullptr)},
            {"voucher", q.voucher.value},
            {"received_by", q.received_by.value},
            {"front_door", q.front_door.value},
            {"note", q.note},
            {"desk", u.desk.value},
            {"reason", u.reason}};
}

StatisticsQuery statistics_query_from_json(const json& j, const std::string& path) {
    ObjectReader r(j, path);
    StatisticsQuery q;
    q.subject = r.enumeration<StatSubject>("subject", StatSubject::platform);
    each(r, "ids", [&](const json& e, const std::string& p) {
        if (!e.is_number_integer()) bad(p, std::string("expected an integer id, got ") + e.type_name());
        q.ids.push_back(e.get<std::int64_t>());
    });
    q.period = r.enumeration<SeriesPeriod>("period", SeriesPeriod::month);
    q.from = date_at(r, "from");
    q.to = date_at(r, "to");
    r.finish();
    return q;
}

StatRow stat_row_from_json(const json& j, const std::string& path) {
    ObjectReader r(j, path);
    StatRow row;
    row.subject = r.enumeration<StatSubject>("subject");
    row.id = r.integer("id");
    row.period = r.enumeration<SeriesPeriod>("period");
    row.start = date_at(r, "start");
    row.end = date_at(r, "end");
    const json* figures = r.find("figures");
    if (!figures) bad(r.at("figures"), "missing");
    ObjectReader f(*figures, r.at("figures"));
    each_figure([&](const char* name, auto field) {
        const auto v = f.integer_or(name, 0);
        if (v < 0) bad(f.at(name), "must be >= 0, got " + std::to_string(v));
        row.figures.*field = v;
    });
    f.find("utilisation");      // derived: read for reading only
    f.find("external_share");
    f.finish();
    r.finish();
    if (row.end <= row.start) bad(r.at("end"), "the period ends on or before it starts");
    if (period_containing(row.period, row.start) != std::make_pair(row.start, row.end)) {
        bad(path, std::string("not a ") + to_string(row.period) + ": " + iso(row.start) + " .. " + iso(row.end));
    }
    return row;
}

std::vector<StatRow> stat_rows_from_json(const json& j, const std::string& path) {
    if (!j.is_array()) bad(path, std::string("expected an array of rows, got ") + j.type_name());
    std::vector<StatRow> rows;
    for (std::size_t i = 0; i < j.size(); ++i) rows.push_back(stat_row_from_json(j[i], path + "/" + std::to_string(i)));
    return rows;
}

}  // namespace psp::json
