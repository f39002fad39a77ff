// Monitoring and evaluation through psp::Database (§4.2, §4.3): the office's alert rules stored and
// raised on statistics, a statistic's forecast, and an evaluation run measured from the ledger,
// checked by hand, stored with its inputs and feeding the certification record.
#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "psp/database.hpp"

using namespace psp;
using namespace psp::test;
namespace greg = boost::gregorian;

namespace {

constexpr Time H = 3600, D = 86400;
constexpr Time monday_cst = 1740931200;   // 2025-03-03 00:00 Asia/Shanghai
const Actor office = Actor::office();

greg::date day(int y, int m, int d) {
    return {static_cast<unsigned short>(y), static_cast<unsigned short>(m), static_cast<unsigned short>(d)};
}

struct World {
    TempFile file{"monitoring"};
    ManualClock clock;
    Database db = open();
    SmallNetwork n = build_small_network(db);
    World() { clock.set(monday_cst); }
    Database open() {
        clock.set(monday_cst);
        return Database::open(file.str(), clock.options());
    }
    BookingRequest at(EquipmentId e, EnterpriseId who, int d, int hour, int hours = 1) const {
        const Time s = monday_cst + d * D + hour * H;
        return {e, who, {s, s + hours * H}, 1, {}, {}};
    }
};

}  // namespace

TEST_CASE("§4.2 alert rules are the office's, stored, and raised on the statistics with their figures", "[monitoring][database]") {
    World w;
    auto& db = w.db;
    // Week 1: two bookings on SEM-1; week 2: one; week 3: none.
    REQUIRE(db.book(office, w.at(w.n.sem1, w.n.acme, 1, 9)));
    REQUIRE(db.book(office, w.at(w.n.sem1, w.n.bolt, 2, 9)));
    REQUIRE(db.book(office, w.at(w.n.sem1, w.n.acme, 8, 9)));
    const std::vector<AlertRule> rules{{"idle", AlertKind::below_for, StatMetric::bookings, 3, 3, StatSubject::platform},
                                       {"falling", AlertKind::below_for, StatMetric::utilisation, 0.5, 2, StatSubject::platform}};
    PSP_CHECK_REFUSED(db, db.set_alert_rules(Actor::operator_of(w.n.tech), rules), IsError(ErrorCode::permission));
    auto twice = rules;
    twice[1].name = "idle";
    PSP_CHECK_REFUSED(db, db.set_alert_rules(office, twice), IsError(ErrorCode::invalid, {"idle"}));
    auto share = rules;
    share[1].threshold = 50;   // a share is 0..1
    PSP_CHECK_REFUSED(db, db.set_alert_rules(office, share), IsError(ErrorCode::invalid));
    db.set_alert_rules(office, rules);
    CHECK(db.journal().back().entity == EntityKind::monitoring);

    const StatisticsQuery weeks{StatSubject::platform, {w.n.tech.value}, SeriesPeriod::week, day(2025, 3, 3), day(2025, 3, 23)};
    const auto alerts = db.alerts(weeks);
    // Fewer than 3 bookings in each of the three weeks, and utilisation under 50 % in the last two.
    REQUIRE(alerts.size() == 2);
    CHECK(alerts[0].rule == "idle");
    CHECK(alerts[0].id == w.n.tech.value);
    CHECK(alerts[0].figures == std::vector<double>{2, 1, 0});
    CHECK(alerts[0].from == day(2025, 3, 3));
    CHECK(alerts[0].to == day(2025, 3, 24));
    CHECK_THAT(alerts[0].message, Catch::Contains("platform " + std::to_string(w.n.tech.value)));
    CHECK(alerts[1].rule == "falling");

    auto again = w.open();
    CHECK(again.alert_rules() == rules);
    CHECK(again.alerts(weeks) == alerts);
}

TEST_CASE("§4.2 a statistic's series is forecast, with its backtest", "[monitoring][database]") {
    World w;
    auto& db = w.db;
    // Bookings on the tech backbone rise by one a week: 1, 2, ..., 8 (on SEM-1, Monday and Tuesday).
    BookingRules rules;
    rules.max_horizon_days = 365;
    db.set_booking_rules(office, w.n.sem1, rules);
    constexpr int hours[] = {9, 10, 14, 15};
    for (int week = 0; week < 8; ++week) {
        for (int k = 0; k <= week; ++k) REQUIRE(db.book(office, w.at(w.n.sem1, w.n.acme, 7 * week + k / 4, hours[k % 4])));
    }
    const StatisticsQuery q{StatSubject::platform, {w.n.tech.value}, SeriesPeriod::week, day(2025, 3, 3), day(2025, 4, 27)};
    const auto f = db.forecast_statistic(q, StatMetric::bookings, 2);
    CHECK(f.history == std::vector<double>{1, 2, 3, 4, 5, 6, 7, 8});
    REQUIRE(f.forecast.size() == 2);
    CHECK(f.forecast[0] == Approx(9).epsilon(1e-6));   // a straight line is forecast exactly by Holt
    CHECK(f.forecast[1] == Approx(10).epsilon(1e-6));
    REQUIRE(f.ahead.size() == 2);
    CHECK(f.ahead[0] == day(2025, 4, 28));
    CHECK(f.ahead[1] == day(2025, 5, 5));
    REQUIRE(f.backtest.has_value());
    CHECK(f.backtest->points == 2);
    CHECK(f.backtest->mae == Approx(0).margin(1e-6));

    auto two = q;
    two.ids.push_back(w.n.quality.value);
    CHECK_THROWS_MATCHES(db.forecast_statistic(two, StatMetric::bookings, 2), Error, IsError(ErrorCode::invalid, {"exactly one"}));
    CHECK_THROWS_MATCHES(db.forecast_statistic(q, StatMetric::bookings, 0), Error, IsError(ErrorCode::invalid, {"horizon"}));
    auto short_q = q;
    short_q.to = day(2025, 3, 9);   // one week: too short to fit
    CHECK_THROWS_MATCHES(db.forecast_statistic(short_q, StatMetric::bookings, 1), Error, IsError(ErrorCode::invalid));
}

TEST_CASE("§4.3 an evaluation run measured from the ledger, checked by hand, stored and feeding certification",
          "[evaluation][database]") {
    World w;
    auto& db = w.db;
    // Acme uses SEM-1 (the tech backbone's only instrument) for 2 hours; the quality centre's SEM-2 is idle.
    const auto b = db.book(office, w.at(w.n.sem1, w.n.acme, 1, 9, 2));
    REQUIRE(b);
    w.clock.set(monday_cst + D + 9 * H);
    db.check_in(office, b.booking->id);
    db.complete(office, b.booking->id);

    // One group: effective hours (measured, target 10 h per instrument) and user ratings (public, 0-100).
    EvaluationRequest r;
    r.label = "2025 Q1";
    r.from = day(2025, 1, 1);
    r.to = day(2025, 3, 31);
    Indicator hours{"effective hours", 5000, true, {0, 0, 0}, Normalisation::target, Direction::higher_is_better, 10};
    Indicator ratings{"user ratings", 5000, false, {0, 0, 10000}, Normalisation::target, Direction::higher_is_better, 100};
    r.tree.groups = {{"sharing", 10000, {hours, ratings}}};
    r.platforms = {w.n.tech, w.n.quality};
    r.values = {{w.n.tech, "user ratings", EvaluationSource::public_rating, 80},
                {w.n.quality, "user ratings", EvaluationSource::public_rating, 90}};
    r.thresholds = {90, 75, 40};
    r.budget = 10'000;
    r.floor = 40;

    PSP_CHECK_REFUSED(db, db.run_evaluation(Actor::operator_of(w.n.tech), r), IsError(ErrorCode::permission));
    auto missing = r;
    missing.values.pop_back();
    PSP_CHECK_REFUSED(db, db.run_evaluation(office, missing), IsError(ErrorCode::invalid, {"user ratings"}));
    auto reversed = r;
    reversed.to = day(2024, 12, 31);
    PSP_CHECK_REFUSED(db, db.run_evaluation(office, reversed), IsError(ErrorCode::invalid, {"reversed"}));
    auto unknown = r;
    unknown.platforms.push_back(PlatformId(99));
    PSP_CHECK_REFUSED(db, db.run_evaluation(office, unknown), IsError(ErrorCode::not_found));

    const auto id = db.run_evaluation(office, r);
    CHECK(db.journal().back().entity == EntityKind::evaluation);
    const auto e = db.evaluation(id);
    REQUIRE(e.run.results.size() == 2);
    // By hand: tech 2 h / 1 instrument = 0.2 of the target, rating 0.8: 100 × (0.5 × 0.2 + 0.5 × 0.8) = 50.00;
    // quality 0 h, rating 0.9: 45.00. Both pass (>= 40). Incentive above the floor 40: 10.00 and 5.00
    // points, 10,000 fen split 2:1 by largest remainder: 6,667 and 3,333.
    const auto& first = e.run.results[0];
    const auto& second = e.run.results[1];
    CHECK(first.platform == w.n.tech);
    CHECK(first.score == Approx(50.0));
    CHECK(first.grade == EvaluationGrade::pass);
    CHECK(first.incentive == 6'667);
    CHECK(second.platform == w.n.quality);
    CHECK(second.score == Approx(45.0));
    CHECK(second.incentive == 3'333);
    CHECK(e.run.allocated == 10'000);
    // The measured input is in the stored spec: the run reproduces from what is stored.
    const auto measured = std::find_if(e.run.spec.values.begin(), e.run.spec.values.end(), [&](const IndicatorValue& v) {
        return v.platform == w.n.tech && v.indicator == "effective hours";
    });
    REQUIRE(measured != e.run.spec.values.end());
    CHECK(measured->value == Approx(2.0));
    CHECK(evaluate(e.run.spec) == e.run);

    // The grade feeds the certification record once the period has ended.
    CHECK(db.platform_record(w.n.tech, day(2025, 4, 1)).grade == EvaluationGrade::pass);
    CHECK_FALSE(db.platform_record(w.n.tech, day(2025, 3, 30)).grade.has_value());
    CHECK_FALSE(db.platform_record(w.n.ip, day(2025, 4, 1)).grade.has_value());

    auto again = w.open();
    CHECK(again.evaluations() == db.evaluations());
    CHECK_THROWS_MATCHES(again.evaluation(EvaluationRunId(5)), Error, IsError(ErrorCode::not_found));
}
