// Monitoring (include/psp/monitoring.hpp; policy §4.2 常态化统计制度, 平台间、城市间的比较, 日常监测):
// metrics, period-over-period change, rankings, comparison tables between platforms and between
// cities, and alert rules, each on rows built by hand and checked by hand; every error path; the JSON
// written and the strict readers of alert rules and cities' statistics tables.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <boost/date_time/gregorian/gregorian.hpp>

#include "json/monitoring_json.hpp"
#include "json/statistics_json.hpp"
#include "psp/error.hpp"
#include "psp/monitoring.hpp"

using namespace psp;
namespace greg = boost::gregorian;
using Json = nlohmann::json;
namespace pj = psp::json;

namespace {

using S = StatSubject;
using M = StatMetric;
using K = SeriesPeriod;

bool throws_invalid(const auto& f, const std::string& fragment) {
    try {
        f();
    } catch (const Error& e) {
        if (e.code() == ErrorCode::invalid && std::string(e.what()).find(fragment) != std::string::npos) return true;
        UNSCOPED_INFO("message: " << e.what());
        return false;
    }
    UNSCOPED_INFO("nothing thrown");
    return false;
}

greg::date day(int y, int m, int d) {
    return {static_cast<unsigned short>(y), static_cast<unsigned short>(m), static_cast<unsigned short>(d)};
}

// The row of subject (kind, id) for the period of kind k containing `in`.
StatRow row(S s, std::int64_t id, greg::date in, StatFigures f, K k = K::month) {
    const auto [start, end] = period_containing(k, in);
    return {s, id, k, start, end, f};
}

// A row of month m of 2025.
StatRow month(S s, std::int64_t id, int m, StatFigures f) { return row(s, id, day(2025, m, 1), f); }

StatFigures bookings(std::int64_t n) { return StatFigures{.bookings = n}; }

// Utilisation u of 100 open hours.
StatFigures use(double u) {
    return StatFigures{.booked_seconds = std::llround(u * 360000), .open_seconds = 360000};
}

}  // namespace

TEST_CASE("§4.2 monitoring metrics: names, values and the stable enum", "[monitoring]") {
    CHECK(static_cast<int>(M::bookings) == 0);
    CHECK(static_cast<int>(M::utilisation) == 8);
    CHECK(static_cast<int>(M::voucher_spend) == 11);
    CHECK(static_cast<int>(M::fulfilment_rate) == 19);
    CHECK(stat_metric_count == 20);
    for (int i = 0; i < stat_metric_count; ++i) {
        const auto m = static_cast<M>(i);
        CHECK(parse_enum<M>(to_string(m)) == m);
    }
    CHECK(std::string(to_string(M::booked_hours)) == "booked_hours");
    CHECK(std::string(to_string(M::fulfilment_rate)) == "fulfilment_rate");
    CHECK(std::string(to_string(static_cast<M>(20))) == "?");
    CHECK_FALSE(parse_enum<M>("usage").has_value());
    CHECK(is_share(M::utilisation));
    CHECK(is_share(M::external_share));
    CHECK(is_share(M::fulfilment_rate));
    CHECK_FALSE(is_share(M::revenue));

    StatFigures f;
    f.bookings = 7;
    f.cancellations = 2;
    f.no_shows = 1;
    f.rejections = 3;
    f.booked_seconds = 9000;      // 2.5 h
    f.used_seconds = 5400;        // 1.5 h
    f.external_seconds = 1800;    // 0.5 h
    f.open_seconds = 36000;       // 10 h
    f.revenue = 123456;
    f.voucher_spend = 20000;
    f.requests_received = 8;
    f.requests_served = 6;
    f.referred_in = 2;
    f.referred_out = 4;
    f.unmet = 1;
    f.enterprises_served = 5;
    f.new_enterprises = 3;
    CHECK(metric_value(f, M::bookings) == 7);
    CHECK(metric_value(f, M::cancellations) == 2);
    CHECK(metric_value(f, M::no_shows) == 1);
    CHECK(metric_value(f, M::rejections) == 3);
    CHECK(metric_value(f, M::booked_hours) == 2.5);
    CHECK(metric_value(f, M::used_hours) == 1.5);
    CHECK(metric_value(f, M::external_hours) == 0.5);
    CHECK(metric_value(f, M::open_hours) == 10);
    CHECK(metric_value(f, M::utilisation) == Approx(0.25));
    CHECK(metric_value(f, M::external_share) == Approx(0.2));
    CHECK(metric_value(f, M::revenue) == 123456);
    CHECK(metric_value(f, M::voucher_spend) == 20000);
    CHECK(metric_value(f, M::requests_received) == 8);
    CHECK(metric_value(f, M::requests_served) == 6);
    CHECK(metric_value(f, M::referred_in) == 2);
    CHECK(metric_value(f, M::referred_out) == 4);
    CHECK(metric_value(f, M::unmet) == 1);
    CHECK(metric_value(f, M::enterprises_served) == 5);
    CHECK(metric_value(f, M::new_enterprises) == 3);
    CHECK(metric_value(f, M::fulfilment_rate) == Approx(0.75));
    // Nothing received, nothing open: the shares are 0, not a division by zero.
    const StatFigures none;
    CHECK(metric_value(none, M::fulfilment_rate) == 0);
    CHECK(metric_value(none, M::utilisation) == 0);
    CHECK(metric_value(none, M::external_share) == 0);
    CHECK(throws_invalid([&] { metric_value(f, static_cast<M>(20)); }, "metric: 20 is not a statistics metric"));
}

TEST_CASE("§4.2 period over period: the previous period, its change and ratio, per subject", "[monitoring]") {
    // Platform 1: January 10, February 15, April 20 (no March row); platform 2: January 0,
    // February 4. Given out of order.
    const std::vector<StatRow> rows{month(S::platform, 2, 2, bookings(4)), month(S::platform, 1, 4, bookings(20)),
                                    month(S::platform, 1, 1, bookings(10)), month(S::platform, 2, 1, bookings(0)),
                                    month(S::platform, 1, 2, bookings(15))};
    const auto c = period_over_period(rows, M::bookings);
    REQUIRE(c.size() == 5);
    // Platform 1, January: the first period, nothing to compare with.
    CHECK(c[0].subject == S::platform);
    CHECK(c[0].id == 1);
    CHECK(c[0].period == K::month);
    CHECK(c[0].start == day(2025, 1, 1));
    CHECK(c[0].end == day(2025, 2, 1));
    CHECK(c[0].value == 10);
    CHECK_FALSE(c[0].previous.has_value());
    CHECK_FALSE(c[0].change.has_value());
    CHECK_FALSE(c[0].change_ratio.has_value());
    // February: 15 after 10, +5, +50 %.
    CHECK(c[1].start == day(2025, 2, 1));
    CHECK(c[1].previous == 10.0);
    CHECK(c[1].change == 5.0);
    CHECK(c[1].change_ratio == 0.5);
    // April: March is missing, so April has no previous period.
    CHECK(c[2].start == day(2025, 4, 1));
    CHECK(c[2].value == 20);
    CHECK_FALSE(c[2].previous.has_value());
    // Platform 2: 4 after 0, a change of +4 and no ratio.
    CHECK(c[3].id == 2);
    CHECK_FALSE(c[3].previous.has_value());
    CHECK(c[4].previous == 0.0);
    CHECK(c[4].change == 4.0);
    CHECK_FALSE(c[4].change_ratio.has_value());

    // A fall in a share: utilisation 40 % then 30 %, −10 points, −25 %.
    const std::vector<StatRow> util{row(S::city, 0, day(2025, 1, 1), use(0.4), K::quarter), row(S::city, 0, day(2025, 4, 1), use(0.3), K::quarter)};
    const auto u = period_over_period(util, M::utilisation);
    REQUIRE(u.size() == 2);
    CHECK(u[1].period == K::quarter);
    CHECK(*u[1].change == Approx(-0.1));
    CHECK(*u[1].change_ratio == Approx(-0.25));

    CHECK(period_over_period({}, M::bookings).empty());
}

TEST_CASE("§4.2 period over period: mixed period kinds and repeated rows are refused", "[monitoring]") {
    const std::vector<StatRow> mixed{month(S::platform, 1, 1, bookings(1)), row(S::platform, 2, day(2025, 1, 1), bookings(1), K::quarter)};
    CHECK(throws_invalid([&] { period_over_period(mixed, M::bookings); },
                         "period over period: rows of more than one period kind: platform 1 has month rows (2025-01-01), platform 2 quarter rows"));
    const std::vector<StatRow> twice{month(S::platform, 1, 1, bookings(1)), month(S::platform, 1, 1, bookings(2))};
    CHECK(throws_invalid([&] { period_over_period(twice, M::bookings); }, "platform 1 has two rows for the month starting 2025-01-01"));
}

TEST_CASE("§4.2 ranking of one period: competition ranks, ties by id", "[monitoring]") {
    // March: platforms 3, 1, 2, 4 with 5, 7, 5 and 9 bookings.
    const std::vector<StatRow> rows{month(S::platform, 3, 3, bookings(5)), month(S::platform, 1, 3, bookings(7)),
                                    month(S::platform, 2, 3, bookings(5)), month(S::platform, 4, 3, bookings(9))};
    const auto down = rank(rows, M::bookings);
    REQUIRE(down.size() == 4);
    CHECK(down[0] == RankEntry{1, S::platform, 4, 9});
    CHECK(down[1] == RankEntry{2, S::platform, 1, 7});
    CHECK(down[2] == RankEntry{3, S::platform, 2, 5});
    CHECK(down[3] == RankEntry{3, S::platform, 3, 5});
    const auto up = rank(rows, M::bookings, false);
    REQUIRE(up.size() == 4);
    CHECK(up[0] == RankEntry{1, S::platform, 2, 5});
    CHECK(up[1] == RankEntry{1, S::platform, 3, 5});
    CHECK(up[2] == RankEntry{3, S::platform, 1, 7});
    CHECK(up[3] == RankEntry{4, S::platform, 4, 9});
    // Three-way: 9, 9, 5 is ranked 1, 1, 3.
    const std::vector<StatRow> three{month(S::district, 2, 3, bookings(9)), month(S::district, 1, 3, bookings(9)),
                                     month(S::district, 5, 3, bookings(5))};
    const auto t = rank(three, M::bookings);
    REQUIRE(t.size() == 3);
    CHECK((t[0].rank == 1 && t[0].id == 1));
    CHECK((t[1].rank == 1 && t[1].id == 2));
    CHECK((t[2].rank == 3 && t[2].id == 5));
    CHECK(rank({}, M::bookings).empty());
}

TEST_CASE("§4.2 ranking: rows of several periods or subject kinds, or a subject twice, are refused", "[monitoring]") {
    const std::vector<StatRow> months{month(S::platform, 1, 3, bookings(1)), month(S::platform, 2, 4, bookings(1))};
    CHECK(throws_invalid([&] { rank(months, M::bookings); },
                         "rank: rows of more than one period: platform 1 has the month 2025-03-01 .. 2025-04-01, platform 2 the month 2025-04-01 .. 2025-05-01"));
    // The same start, another kind.
    const std::vector<StatRow> kinds{month(S::platform, 1, 1, bookings(1)), row(S::platform, 2, day(2025, 1, 1), bookings(1), K::quarter)};
    CHECK(throws_invalid([&] { rank(kinds, M::bookings); }, "platform 2 the quarter 2025-01-01 .. 2025-04-01"));
    const std::vector<StatRow> subjects{month(S::platform, 1, 3, bookings(1)), month(S::zone, 1, 3, bookings(1))};
    CHECK(throws_invalid([&] { rank(subjects, M::bookings); }, "rank: rows of more than one subject kind: platform 1 and zone 1"));
    const std::vector<StatRow> twice{month(S::platform, 1, 3, bookings(1)), month(S::platform, 1, 3, bookings(2))};
    CHECK(throws_invalid([&] { rank(twice, M::bookings); }, "rank: platform 1 has two rows for the month starting 2025-03-01"));
}

TEST_CASE("§4.2 comparison between platforms: a column per platform, a row per period", "[monitoring]") {
    // Platform 2: February and March; platform 1: January and February.
    const std::vector<StatRow> rows{month(S::platform, 2, 3, use(0.5)), month(S::platform, 1, 1, use(0.25)), month(S::platform, 2, 2, use(0.75)),
                                    month(S::platform, 1, 2, use(0.1))};
    const auto t = compare_subjects(rows, M::utilisation);
    CHECK(t.metric == M::utilisation);
    CHECK(t.subject == S::platform);
    CHECK(t.period == K::month);
    CHECK(t.ids == std::vector<std::int64_t>{1, 2});
    REQUIRE(t.rows.size() == 3);
    CHECK(t.rows[0].start == day(2025, 1, 1));
    CHECK(t.rows[0].end == day(2025, 2, 1));
    CHECK(t.rows[0].values == std::vector<std::optional<double>>{0.25, std::nullopt});
    CHECK(t.rows[1].start == day(2025, 2, 1));
    CHECK(*t.rows[1].values[0] == Approx(0.1));
    CHECK(t.rows[1].values[1] == 0.75);
    CHECK(t.rows[2].start == day(2025, 3, 1));
    CHECK(t.rows[2].values == std::vector<std::optional<double>>{std::nullopt, 0.5});

    const auto empty = compare_subjects({}, M::revenue);
    CHECK(empty.metric == M::revenue);
    CHECK(empty.ids.empty());
    CHECK(empty.rows.empty());

    const std::vector<StatRow> subjects{month(S::platform, 1, 3, bookings(1)), month(S::alliance, 4, 3, bookings(1))};
    CHECK(throws_invalid([&] { compare_subjects(subjects, M::bookings); },
                         "compare subjects: rows of more than one subject kind: platform 1 and alliance 4"));
    const std::vector<StatRow> kinds{month(S::platform, 1, 1, bookings(1)), row(S::platform, 1, day(2025, 1, 1), bookings(1), K::year)};
    CHECK(throws_invalid([&] { compare_subjects(kinds, M::bookings); }, "compare subjects: rows of more than one period kind"));
    const std::vector<StatRow> twice{month(S::platform, 1, 3, bookings(1)), month(S::platform, 1, 3, bookings(1))};
    CHECK(throws_invalid([&] { compare_subjects(twice, M::bookings); }, "platform 1 has two rows"));
}

TEST_CASE("§4.2 comparison between cities: city rows, or platform rows summed", "[monitoring]") {
    // Hangzhou has city rows for January and February (and platform rows, not used). Ningbo, imported
    // from another database, has only platform rows: January platforms 1 and 2, February platform 1
    // and March platform 2, plus a zone row that is ignored.
    CityStatistics hz{"杭州", {month(S::city, 0, 1, use(0.5)), month(S::city, 0, 2, use(0.25)), month(S::platform, 1, 1, use(0.9))}};
    StatFigures nb1{.booked_seconds = 3600 * 30, .open_seconds = 3600 * 100};
    StatFigures nb2{.booked_seconds = 3600 * 10, .open_seconds = 3600 * 300};
    CityStatistics nb{"宁波",
                      {month(S::platform, 1, 1, nb1), month(S::platform, 2, 1, nb2), month(S::platform, 1, 2, nb2), month(S::platform, 2, 3, nb1),
                       month(S::zone, 7, 1, use(1))}};
    const std::vector<CityStatistics> cities{hz, nb};
    const auto t = compare_cities(cities, M::utilisation);
    CHECK(t.metric == M::utilisation);
    CHECK(t.period == K::month);
    CHECK(t.cities == std::vector<std::string>{"杭州", "宁波"});
    CHECK(t.sources == std::vector<StatSubject>{S::city, S::platform});
    REQUIRE(t.rows.size() == 3);
    // January: Ningbo's utilisation is (30 + 10) / (100 + 300) = 10 %, not the mean of 30 % and 3.3 %.
    CHECK(t.rows[0].start == day(2025, 1, 1));
    CHECK(t.rows[0].values[0] == 0.5);
    CHECK(*t.rows[0].values[1] == Approx(0.1));
    CHECK(t.rows[1].values[0] == 0.25);
    CHECK(*t.rows[1].values[1] == Approx(10.0 / 300));
    // March: Hangzhou has no row.
    CHECK(t.rows[2].start == day(2025, 3, 1));
    CHECK(t.rows[2].end == day(2025, 4, 1));
    CHECK_FALSE(t.rows[2].values[0].has_value());
    CHECK(*t.rows[2].values[1] == Approx(0.3));

    // Summed counts: bookings of Ningbo's two platforms in January.
    CityStatistics a{"A", {month(S::platform, 1, 1, bookings(3)), month(S::platform, 2, 1, bookings(4))}};
    CityStatistics b{"B", {month(S::city, 0, 1, bookings(9))}};
    const std::vector<CityStatistics> ab{a, b};
    const auto counts = compare_cities(ab, M::bookings);
    REQUIRE(counts.rows.size() == 1);
    CHECK(counts.rows[0].values == std::vector<std::optional<double>>{7.0, 9.0});
}

TEST_CASE("§4.2 comparison between cities: bad input is refused naming the cities", "[monitoring]") {
    const CityStatistics a{"A", {month(S::city, 0, 1, bookings(1))}};
    const CityStatistics b{"B", {month(S::city, 0, 1, bookings(2))}};
    const auto compare = [](std::vector<CityStatistics> cities) { return [cities] { compare_cities(cities, M::bookings); }; };
    CHECK(throws_invalid(compare({}), "compare cities: needs at least 2 cities, got 0"));
    CHECK(throws_invalid(compare({a}), "compare cities: needs at least 2 cities, got 1"));
    CHECK(throws_invalid(compare({a, {"", b.rows}}), "compare cities: city 2 has no name"));
    CHECK(throws_invalid(compare({a, {"\xff", b.rows}}), "compare cities: city 2's name is not valid UTF-8"));
    CHECK(throws_invalid(compare({a, b, {"A", b.rows}}), "compare cities: city 'A' is given twice"));
    CHECK(throws_invalid(compare({a, {"B", {}}}), "compare cities: city 'B': no rows"));
    CHECK(throws_invalid(compare({a, {"B", {month(S::zone, 3, 1, bookings(1))}}}), "compare cities: city 'B': neither city nor platform rows"));
    // Different period kinds between cities.
    const CityStatistics quarterly{"B", {row(S::city, 0, day(2025, 1, 1), bookings(1), K::quarter)}};
    CHECK(throws_invalid(compare({a, quarterly}), "compare cities: city 'A' has month rows, city 'B' quarter rows"));
    // Mixed kinds within one city.
    const CityStatistics mixed{"B", {month(S::city, 0, 1, bookings(1)), row(S::platform, 1, day(2025, 1, 1), bookings(1), K::week)}};
    CHECK(throws_invalid(compare({a, mixed}), "compare cities: city 'B': rows of more than one period kind: city has month rows"));
    const CityStatistics twice{"B", {month(S::city, 0, 1, bookings(1)), month(S::city, 0, 1, bookings(1))}};
    CHECK(throws_invalid(compare({a, twice}), "compare cities: city 'B': city has two rows for the month starting 2025-01-01"));
}

TEST_CASE("§4.2 alert rules are checked", "[monitoring]") {
    const AlertRule ok{"low use", AlertKind::below_for, M::utilisation, 0.3, 3, S::platform};
    CHECK_NOTHROW(validate(ok));
    const auto with = [&](auto change) {
        AlertRule r = ok;
        change(r);
        return [r] { validate(r); };
    };
    CHECK(throws_invalid(with([](AlertRule& r) { r.name.clear(); }), "alert rule: the name is empty"));
    CHECK(throws_invalid(with([](AlertRule& r) { r.name = "bad\xc0"; }), "alert rule: the name is not valid UTF-8"));
    CHECK(throws_invalid(with([](AlertRule& r) { r.periods = 0; }), "alert rule 'low use': periods must be 1..120, got 0"));
    CHECK(throws_invalid(with([](AlertRule& r) { r.periods = 121; }), "periods must be 1..120, got 121"));
    CHECK_NOTHROW(with([](AlertRule& r) { r.periods = 120; })());
    CHECK(throws_invalid(with([](AlertRule& r) { r.kind = static_cast<AlertKind>(4); }), "alert rule 'low use': kind 4 is not an alert kind"));
    CHECK(throws_invalid(with([](AlertRule& r) { r.kind = static_cast<AlertKind>(-1); }), "kind -1 is not an alert kind"));
    CHECK(throws_invalid(with([](AlertRule& r) { r.metric = static_cast<M>(20); }), "metric 20 is not a statistics metric"));
    CHECK(throws_invalid(with([](AlertRule& r) { r.subject = static_cast<S>(6); }), "subject 6 is not a statistics subject"));
    CHECK(throws_invalid(with([](AlertRule& r) { r.threshold = std::numeric_limits<double>::quiet_NaN(); }), "the threshold is not a finite number"));
    CHECK(throws_invalid(with([](AlertRule& r) { r.threshold = std::numeric_limits<double>::infinity(); }), "the threshold is not a finite number"));
    CHECK(throws_invalid(with([](AlertRule& r) { r.threshold = 1.5; }), "the threshold of utilisation is a share, 0..1, got 1.5"));
    CHECK(throws_invalid(with([](AlertRule& r) { r.threshold = -0.01; }), "got -0.01"));
    CHECK(throws_invalid(with([](AlertRule& r) { r.metric = M::fulfilment_rate; r.threshold = 2; }), "fulfilment_rate is a share"));
    CHECK_NOTHROW(with([](AlertRule& r) { r.metric = M::voucher_spend; r.kind = AlertKind::total_above; r.threshold = 5e6; })());
    const std::vector<AlertRule> twice{ok, ok};
    CHECK(throws_invalid([&] { validate(twice); }, "alert rule 'low use' is given twice"));
    // Evaluating checks the rules first.
    CHECK(throws_invalid([&] { evaluate_alerts({}, twice); }, "is given twice"));
    CHECK(static_cast<int>(AlertKind::total_above) == 3);
    for (int i = 0; i < alert_kind_count; ++i) CHECK(parse_enum<AlertKind>(to_string(static_cast<AlertKind>(i))) == static_cast<AlertKind>(i));
}

TEST_CASE("§4.2 alerts: below, above, rising and a total over budget, each naming subject and figures", "[monitoring]") {
    std::vector<StatRow> rows;
    // Platform 12: 40 %, then 12 %, 18 %, 25 %: below 30 % for the last three months.
    for (const auto& [m, u] : {std::pair{1, 0.40}, {2, 0.12}, {3, 0.18}, {4, 0.25}}) rows.push_back(month(S::platform, 12, m, use(u)));
    // Platform 13: a good March breaks the run.
    for (const auto& [m, u] : {std::pair{1, 0.2}, {2, 0.2}, {3, 0.5}, {4, 0.2}}) rows.push_back(month(S::platform, 13, m, use(u)));
    // Platform 14: only two months; platform 15: three low months with a gap (no March row).
    for (const int m : {3, 4}) rows.push_back(month(S::platform, 14, m, use(0.1)));
    for (const int m : {1, 2, 4}) rows.push_back(month(S::platform, 15, m, use(0.1)));
    // Platform 16: exactly at the threshold is not below it.
    for (const int m : {2, 3, 4}) rows.push_back(month(S::platform, 16, m, use(0.3)));
    // The city: unmet requests 1, 2, 2, 3, 5, 9 (January to June).
    for (const auto& [m, n] : {std::pair{1, 1}, {2, 2}, {3, 2}, {4, 3}, {5, 5}, {6, 9}}) rows.push_back(month(S::city, 0, m, StatFigures{.unmet = n}));
    // Districts 1 and 2: voucher spend 20,000 and 10,000 yuan a month for three months.
    for (const int m : {1, 2, 3}) {
        rows.push_back(month(S::district, 2, m, StatFigures{.voucher_spend = 1'000'000}));
        rows.push_back(month(S::district, 1, m, StatFigures{.voucher_spend = 2'000'000}));
    }

    const std::vector<AlertRule> rules{
        {"low use", AlertKind::below_for, M::utilisation, 0.3, 3, S::platform},
        {"unmet rising", AlertKind::rising_for, M::unmet, 0, 3, std::nullopt},
        {"unmet rising long", AlertKind::rising_for, M::unmet, 0, 4, std::nullopt},
        {"voucher budget", AlertKind::total_above, M::voucher_spend, 5'000'000, 1, S::district},
        {"busy", AlertKind::above_for, M::utilisation, 0.2, 2, S::platform},
        {"district budget exactly", AlertKind::total_above, M::voucher_spend, 3'000'000, 1, S::district},
    };
    const auto alerts = evaluate_alerts(rows, rules);
    REQUIRE(alerts.size() == 5);

    const auto& low = alerts[0];
    CHECK(low.rule == "low use");
    CHECK(low.kind == AlertKind::below_for);
    CHECK(low.metric == M::utilisation);
    CHECK(low.subject == S::platform);
    CHECK(low.id == 12);
    CHECK(low.from == day(2025, 2, 1));
    CHECK(low.to == day(2025, 5, 1));
    REQUIRE(low.figures.size() == 3);
    CHECK(low.figures[0] == Approx(0.12));
    CHECK(low.figures[1] == Approx(0.18));
    CHECK(low.figures[2] == Approx(0.25));
    CHECK(low.threshold == 0.3);
    CHECK(low.message == "platform 12: utilisation below 30 % for 3 months running (12 %, 18 %, 25 %)");

    // Rising three times running: March to June (2, 3, 5, 9); four times would need February's 2 < 2.
    const auto& rising = alerts[1];
    CHECK(rising.rule == "unmet rising");
    CHECK(rising.subject == S::city);
    CHECK(rising.id == 0);
    CHECK(rising.from == day(2025, 3, 1));
    CHECK(rising.to == day(2025, 7, 1));
    CHECK(rising.figures == std::vector<double>{2, 3, 5, 9});
    CHECK(rising.message == "city: unmet rising 3 months running (2, 3, 5, 9)");

    // District 1 spent 60,000 yuan against 50,000; district 2 (30,000) did not.
    const auto& budget = alerts[2];
    CHECK(budget.rule == "voucher budget");
    CHECK(budget.subject == S::district);
    CHECK(budget.id == 1);
    CHECK(budget.from == day(2025, 1, 1));
    CHECK(budget.to == day(2025, 4, 1));
    CHECK(budget.figures == std::vector<double>{2e6, 2e6, 2e6});
    CHECK(budget.threshold == 5e6);
    CHECK(budget.message ==
          "district 1: voucher spend totals 60000.00 yuan over 3 months, above 50000.00 yuan (20000.00 yuan, 20000.00 yuan, 20000.00 yuan)");

    // Above 20 % for the last two months: platform 12 (18 %, 25 %) no; 13 (50 %, 20 %) no, 20 % is
    // not above; 16 (30 %, 30 %) yes. Then district 1 over 30,000 yuan; district 2, at exactly 30,000,
    // not.
    CHECK(alerts[3].rule == "busy");
    CHECK(alerts[3].id == 16);
    CHECK(alerts[3].message == "platform 16: utilisation above 20 % for 2 months running (30 %, 30 %)");
    CHECK(alerts[4].rule == "district budget exactly");
    CHECK(alerts[4].id == 1);
}

TEST_CASE("§4.2 alerts: ordered by rule, subject kind and id, bad rows refused", "[monitoring]") {
    // Any bookings in the last week, for every subject: platforms, then districts, then the city.
    std::vector<StatRow> rows;
    for (const auto& [s, id] : {std::pair{S::city, std::int64_t{0}}, {S::district, 3}, {S::platform, 9}, {S::platform, 2}, {S::zone, 5}}) {
        rows.push_back(row(s, id, day(2025, 3, 3), bookings(1), K::week));
        rows.push_back(row(s, id, day(2025, 3, 10), bookings(id == 5 ? 0 : 2), K::week));
    }
    const std::vector<AlertRule> rules{{"any", AlertKind::above_for, M::bookings, 0, 1, std::nullopt},
                                       {"twice", AlertKind::above_for, M::bookings, 1, 1, S::platform}};
    const auto alerts = evaluate_alerts(rows, rules);
    REQUIRE(alerts.size() == 6);
    const std::vector<std::tuple<std::string, S, std::int64_t>> want{{"any", S::platform, 2},   {"any", S::platform, 9}, {"any", S::district, 3},
                                                                      {"any", S::city, 0},       {"twice", S::platform, 2},
                                                                      {"twice", S::platform, 9}};
    for (std::size_t i = 0; i < want.size(); ++i) {
        CHECK(std::tuple(alerts[i].rule, alerts[i].subject, alerts[i].id) == want[i]);
    }
    CHECK(alerts[0].message == "platform 2: bookings above 0 for 1 week running (2)");
    CHECK(alerts[0].from == day(2025, 3, 10));
    CHECK(alerts[0].to == day(2025, 3, 17));
    CHECK(evaluate_alerts(rows, std::vector<AlertRule>{}).empty());
    CHECK(evaluate_alerts({}, rules).empty());

    rows.push_back(month(S::platform, 2, 3, bookings(1)));
    CHECK(throws_invalid([&] { evaluate_alerts(rows, rules); }, "alerts: rows of more than one period kind"));
    rows.back() = row(S::platform, 2, day(2025, 3, 12), bookings(1), K::week);
    CHECK(throws_invalid([&] { evaluate_alerts(rows, rules); }, "alerts: platform 2 has two rows for the week starting 2025-03-10"));
}

TEST_CASE("§4.2 monitoring JSON: results written with every field", "[monitoring]") {
    const std::vector<StatRow> rows{month(S::platform, 1, 1, bookings(10)), month(S::platform, 1, 2, bookings(15))};
    const auto changes = pj::to_json(period_over_period(rows, M::bookings));
    CHECK(changes == Json::parse(R"([
        {"subject": "platform", "id": 1, "period": "month", "start": "2025-01-01", "end": "2025-02-01", "value": 10.0,
         "previous": null, "change": null, "change_ratio": null},
        {"subject": "platform", "id": 1, "period": "month", "start": "2025-02-01", "end": "2025-03-01", "value": 15.0,
         "previous": 10.0, "change": 5.0, "change_ratio": 0.5}])"));

    const std::vector<StatRow> march{month(S::platform, 1, 3, bookings(7)), month(S::platform, 2, 3, bookings(9))};
    CHECK(pj::to_json(rank(march, M::bookings)) ==
          Json::parse(R"([{"rank": 1, "subject": "platform", "id": 2, "value": 9.0}, {"rank": 2, "subject": "platform", "id": 1, "value": 7.0}])"));

    const std::vector<StatRow> two{month(S::platform, 1, 1, bookings(1)), month(S::platform, 2, 2, bookings(2))};
    CHECK(pj::to_json(compare_subjects(two, M::bookings)) == Json::parse(R"({"metric": "bookings", "subject": "platform", "period": "month",
        "ids": [1, 2], "rows": [{"start": "2025-01-01", "end": "2025-02-01", "values": [1.0, null]},
                                {"start": "2025-02-01", "end": "2025-03-01", "values": [null, 2.0]}]})"));

    const std::vector<CityStatistics> cities{{"A", {month(S::city, 0, 1, bookings(3))}}, {"B", {month(S::platform, 4, 1, bookings(5))}}};
    CHECK(pj::to_json(compare_cities(cities, M::bookings)) == Json::parse(R"({"metric": "bookings", "period": "month",
        "cities": ["A", "B"], "sources": ["city", "platform"],
        "rows": [{"start": "2025-01-01", "end": "2025-02-01", "values": [3.0, 5.0]}]})"));

    const std::vector<AlertRule> rules{{"busy", AlertKind::above_for, M::bookings, 8, 1, S::platform}};
    CHECK(pj::to_json(evaluate_alerts(march, rules)) == Json::parse(R"js([{"rule": "busy", "kind": "above_for", "metric": "bookings",
        "subject": "platform", "id": 2, "from": "2025-03-01", "to": "2025-04-01", "figures": [9.0], "threshold": 8.0,
        "message": "platform 2: bookings above 8 for 1 month running (9)"}])js"));
}

TEST_CASE("§4.2 monitoring JSON: alert rules read back strictly", "[monitoring]") {
    const std::vector<AlertRule> rules{{"low use", AlertKind::below_for, M::utilisation, 0.3, 3, S::platform},
                                       {"预算", AlertKind::total_above, M::voucher_spend, 5e6, 1, std::nullopt}};
    const auto j = pj::to_json(rules);
    CHECK(j[1] == Json::parse(R"({"name": "预算", "kind": "total_above", "metric": "voucher_spend", "threshold": 5000000.0,
                                  "periods": 1, "subject": null})"));
    CHECK(pj::alert_rules_from_json(j) == rules);
    CHECK(pj::alert_rules_from_json(Json::parse(pj::to_json(rules).dump())) == rules);
    // Defaults: threshold 0, periods 1, every subject.
    const auto minimal = pj::alert_rule_from_json(Json::parse(R"({"name": "r", "kind": "rising_for", "metric": "unmet"})"));
    CHECK(minimal == AlertRule{"r", AlertKind::rising_for, M::unmet, 0, 1, std::nullopt});

    const auto read = [](const char* text) { return [j = Json::parse(text)] { pj::alert_rules_from_json(j, "rules"); }; };
    CHECK(throws_invalid(read(R"({"name": "r"})"), "rules: expected an array of alert rules, got object"));
    CHECK(throws_invalid(read(R"([{"name": "r", "kind": "below_for", "metric": "unmet", "colour": 1}])"), "rules/0/colour: unknown key"));
    CHECK(throws_invalid(read(R"([{"kind": "below_for", "metric": "unmet"}])"), "rules/0/name: missing"));
    CHECK(throws_invalid(read(R"([{"name": 3, "kind": "below_for", "metric": "unmet"}])"), "rules/0/name: expected a string, got number"));
    CHECK(throws_invalid(read(R"([{"name": "r", "kind": "below", "metric": "unmet"}])"), "rules/0/kind: unknown value 'below'"));
    CHECK(throws_invalid(read(R"([{"name": "r", "kind": "below_for", "metric": "usage"}])"), "rules/0/metric: unknown value 'usage'"));
    CHECK(throws_invalid(read(R"([{"name": "r", "kind": "below_for", "metric": 8}])"), "rules/0/metric: expected a name, got number"));
    CHECK(throws_invalid(read(R"([{"name": "r", "kind": "below_for", "metric": "unmet", "periods": "3"}])"),
                         "rules/0/periods: expected an integer, got string"));
    CHECK(throws_invalid(read(R"([{"name": "r", "kind": "below_for", "metric": "unmet", "periods": 2.5}])"), "rules/0/periods: expected an integer"));
    CHECK(throws_invalid(read(R"([{"name": "r", "kind": "below_for", "metric": "unmet", "threshold": "1"}])"),
                         "rules/0/threshold: expected a number, got string"));
    CHECK(throws_invalid(read(R"([{"name": "r", "kind": "below_for", "metric": "unmet", "subject": "town"}])"),
                         "rules/0/subject: unknown value 'town'"));
    CHECK(throws_invalid(read(R"([{"name": "r", "kind": "below_for", "metric": "unmet"}, {"name": "s", "kind": "below_for", "metric": "unmet", "periods": 0}])"),
                         "rules/1: alert rule 's': periods must be 1..120, got 0"));
    CHECK(throws_invalid(read(R"([{"name": "r", "kind": "below_for", "metric": "utilisation", "threshold": 30}])"),
                         "rules/0: alert rule 'r': the threshold of utilisation is a share, 0..1, got 30"));
    CHECK(throws_invalid(read(R"([{"name": "r", "kind": "below_for", "metric": "unmet"}, {"name": "r", "kind": "above_for", "metric": "unmet"}])"),
                         "rules/1/name: alert rule 'r' is given twice"));
    CHECK(throws_invalid([] { pj::alert_rule_from_json(Json::parse("[]")); }, "/: expected an object, got array"));
}

TEST_CASE("§4.2 monitoring JSON: another city's statistics imported and compared", "[monitoring]") {
    const std::vector<CityStatistics> cities{{"杭州", {month(S::city, 0, 1, use(0.5)), month(S::city, 0, 2, use(0.25))}},
                                             {"宁波", {month(S::platform, 3, 1, bookings(4))}}};
    const auto text = pj::to_json(cities).dump();
    const auto back = pj::city_statistics_list_from_json(Json::parse(text));
    CHECK(back == cities);
    CHECK(compare_cities(back, M::utilisation) == compare_cities(cities, M::utilisation));
    CHECK(pj::city_statistics_from_json(pj::to_json(cities[1])) == cities[1]);

    const auto read = [](const std::string& text) { return [j = Json::parse(text)] { pj::city_statistics_list_from_json(j, "cities"); }; };
    const auto one = pj::to_json(cities[1]).dump();
    CHECK(throws_invalid(read(one), "cities: expected an array of cities, got object"));
    CHECK(throws_invalid(read(R"([{"city": "A", "rows": [], "town": 1}])"), "cities/0/town: unknown key"));
    CHECK(throws_invalid(read(R"([{"city": "A"}])"), "cities/0/rows: missing"));
    CHECK(throws_invalid(read(R"([{"rows": []}])"), "cities/0/city: missing"));
    CHECK(throws_invalid(read(R"([{"city": "", "rows": []}])"), "cities/0/city: empty"));
    CHECK(throws_invalid(read(R"([{"city": "A", "rows": {}}])"), "cities/0/rows: expected an array of rows, got object"));
    CHECK(throws_invalid(read(R"([{"city": "A", "rows": [{"subject": "city", "id": 0, "period": "month", "start": "2025-01-01",
                                  "end": "2025-02-01", "figures": {"bookings": "3"}}]}])"),
                         "cities/0/rows/0/figures/bookings: expected an integer, got string"));
    CHECK(throws_invalid(read(R"([{"city": "A", "rows": [{"subject": "city", "id": 0, "period": "month", "start": "2025-01-01",
                                  "end": "2025-03-01", "figures": {}}]}])"),
                         "cities/0/rows/0: not a month"));
    CHECK(throws_invalid(read("[" + one + "," + one + "]"), "cities/1/city: city '宁波' is given twice"));

    // A quarterly table from elsewhere cannot be set beside monthly figures.
    auto quarterly = pj::to_json(cities);
    quarterly[1]["rows"] = pj::to_json(std::vector<StatRow>{row(S::city, 0, day(2025, 1, 1), bookings(4), K::quarter)});
    const auto imported = pj::city_statistics_list_from_json(quarterly);
    CHECK(throws_invalid([&] { compare_cities(imported, M::bookings); }, "city '杭州' has month rows, city '宁波' quarter rows"));
}
