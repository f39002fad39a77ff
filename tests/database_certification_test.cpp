// Certification through psp::Database (§4.1 公开申报，组织专家评审，统一授牌): standards published by
// the office, an application filed by the platform, scored by experts one by one, decided once and
// recognised, reviewed at term end; everything stored, journaled and read back after reopening, and
// every refusal leaves memory, journal and file as they were.
#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "psp/database.hpp"

using namespace psp;
using namespace psp::test;
namespace greg = boost::gregorian;

namespace {

const Actor office = Actor::office();
constexpr Time H = 3600, D = 86400;
constexpr Time monday_cst = 1740931200;   // 2025-03-03 00:00 Asia/Shanghai

greg::date day(int y, int m, int d) {
    return {static_cast<unsigned short>(y), static_cast<unsigned short>(m), static_cast<unsigned short>(d)};
}

std::vector<CertificationStandard> two_levels() {
    CertificationStandard municipal;
    municipal.level = DemoLevel::municipal;
    municipal.min_years_operating = 2;
    municipal.min_grade = EvaluationGrade::good;
    municipal.min_enterprises_served = 1;
    municipal.min_utilisation_bp = 0;
    municipal.min_expert_score = 600;
    municipal.validity_years = 3;
    CertificationStandard provincial = municipal;
    provincial.level = DemoLevel::provincial;
    provincial.min_years_operating = 3;
    provincial.min_enterprises_served = 50;
    provincial.min_expert_score = 750;
    provincial.min_years_recognised_below = 2;
    return {provincial, municipal};   // any order: stored in level order
}

PlatformRecord good_record(PlatformId p) {
    PlatformRecord r;
    r.platform = p;
    r.years_operating = 4;
    r.grade = EvaluationGrade::good;
    r.enterprises_served = 12;
    r.utilisation_bp = 4200;
    return r;
}

// The state Saved (fixtures.hpp) does not cover: certification and plans.
struct CertificationState {
    std::vector<CertificationStandard> standards;
    std::vector<CertificationCase> cases;
    std::vector<Recognition> recognitions;
    std::vector<CityPlan> plans;
    explicit CertificationState(const Database& db)
        : standards(db.certification_standards()), cases(db.certification_cases()),
          recognitions(db.recognitions()), plans(db.city_plans()) {}
    friend bool operator==(const CertificationState&, const CertificationState&) = default;
};

#define CHECK_REFUSED_ALL(db, change, matcher)                 \
    do {                                                       \
        const CertificationState before_(db);                  \
        PSP_CHECK_REFUSED(db, change, matcher);                \
        CHECK(CertificationState(db) == before_);              \
    } while (false)

}  // namespace

TEST_CASE("§4.1 a platform applies, experts score, the office recognises it, all read back", "[certification][database]") {
    TempFile file("certification");
    const SmallNetwork n = [&] {
        auto db = Database::open(file.str());
        return build_small_network(db);
    }();
    auto db = Database::open(file.str());
    const auto op = Actor::operator_of(n.tech);

    // Nothing can be applied for before the office publishes a standard.
    CertificationApplication a{n.tech, DemoLevel::municipal, day(2025, 3, 1), good_record(n.tech)};
    CHECK_REFUSED_ALL(db, db.apply_for_certification(op, a), IsError(ErrorCode::refused, {"no certification standard"}));
    CHECK_REFUSED_ALL(db, db.set_certification_standards(op, two_levels()), IsError(ErrorCode::permission));
    db.set_certification_standards(office, two_levels());
    REQUIRE(db.certification_standards().size() == 2);
    CHECK(db.certification_standards()[0].level == DemoLevel::municipal);
    CHECK(db.journal().back().entity == EntityKind::certification);

    // Only the platform itself (or the office) applies for it.
    CHECK_REFUSED_ALL(db, db.apply_for_certification(Actor::operator_of(n.quality), a), IsError(ErrorCode::permission));
    CHECK_REFUSED_ALL(db, db.apply_for_certification(Actor::enterprise_self(n.acme), a), IsError(ErrorCode::permission));
    auto foreign = a;
    foreign.record.platform = n.quality;
    CHECK_REFUSED_ALL(db, db.apply_for_certification(op, foreign), IsError(ErrorCode::invalid));
    const auto id = db.apply_for_certification(op, a);
    CHECK(id == CertificationCaseId(1));
    CHECK_REFUSED_ALL(db, db.apply_for_certification(op, a), IsError(ErrorCode::exists, {"open application"}));

    // Experts score one by one; the office does not score; nobody scores twice or out of range.
    db.score_certification(Actor::expert_reviewer("Wang"), id, 820);
    db.score_certification(Actor::expert_reviewer("Li"), id, 900);
    CHECK_REFUSED_ALL(db, db.score_certification(office, id, 700), IsError(ErrorCode::permission));
    CHECK_REFUSED_ALL(db, db.score_certification(Actor::expert_reviewer("Wang"), id, 800), IsError(ErrorCode::invalid, {"Wang", "already"}));
    CHECK_REFUSED_ALL(db, db.score_certification(Actor::expert_reviewer("Zhao"), id, 1001), IsError(ErrorCode::invalid, {"1001"}));
    CHECK_REFUSED_ALL(db, db.score_certification(Actor::expert_reviewer("Zhao"), CertificationCaseId(9), 700), IsError(ErrorCode::not_found));
    // Two scores are not a panel: the highest and the lowest are dropped, one must remain.
    CHECK_REFUSED_ALL(db, db.decide_certification(office, id, day(2025, 4, 1)), IsError(ErrorCode::invalid, {"3 experts required"}));
    db.score_certification(Actor::expert_reviewer("Zhao"), id, 700);
    db.score_certification(Actor::expert_reviewer("Qian"), id, 850);
    CHECK_REFUSED_ALL(db, db.decide_certification(op, id, day(2025, 4, 1)), IsError(ErrorCode::permission));
    CHECK_REFUSED_ALL(db, db.decide_certification(office, id, day(2025, 2, 1)), IsError(ErrorCode::invalid, {"before"}));

    // Scores 700, 820, 850, 900: drop 900 and 700, (820 + 850) / 2 = 835 -> 83.5 >= 60.0: approved.
    const auto decided = db.decide_certification(office, id, day(2025, 4, 1));
    REQUIRE(decided.decision.has_value());
    CHECK(decided.decision->approved);
    CHECK(decided.decision->panel.score == 835);
    CHECK(decided.decision->panel.dropped_highest == "Li");
    CHECK(decided.decision->panel.dropped_lowest == "Zhao");
    CHECK(decided.certificate == 1);
    CHECK(db.journal().back().entity == EntityKind::recognition);
    CHECK_REFUSED_ALL(db, db.decide_certification(office, id, day(2025, 4, 2)), IsError(ErrorCode::refused, {"already decided"}));
    CHECK_REFUSED_ALL(db, db.score_certification(Actor::expert_reviewer("Sun"), id, 700), IsError(ErrorCode::refused, {"decided"}));

    const auto term = db.recognition(n.tech, day(2025, 4, 1));
    REQUIRE(term.has_value());
    CHECK(term->level == DemoLevel::municipal);
    CHECK(term->until == day(2028, 4, 1));
    CHECK_FALSE(db.recognition(n.tech, day(2025, 3, 31)));
    CHECK(db.recognitions_due(day(2028, 4, 1)).size() == 1);
    CHECK(db.recognitions_due(day(2028, 3, 31)).empty());
    CHECK(db.platform_record(n.tech, day(2027, 4, 1)).years_recognised[0] == 2);

    const CertificationState written(db);
    auto again = Database::open(file.str());
    CHECK(CertificationState(again) == written);
    CHECK(again.panel_rules() == db.panel_rules());
    CHECK(again.certification_case(id) == decided);
}

TEST_CASE("§4.1 a refused application is decided with its reasons and grants nothing", "[certification][database]") {
    Database db = Database::open(":memory:");
    const auto n = build_small_network(db);
    db.set_certification_standards(office, two_levels());
    auto record = good_record(n.quality);
    record.years_operating = 1;   // municipal asks for 2
    const auto id = db.apply_for_certification(office, {n.quality, DemoLevel::municipal, day(2025, 3, 1), record});
    for (const char* expert : {"A", "B", "C"}) db.score_certification(Actor::expert_reviewer(expert), id, 550);
    const auto c = db.decide_certification(office, id, day(2025, 3, 20));
    REQUIRE(c.decision);
    CHECK_FALSE(c.decision->approved);
    CHECK(c.certificate == 0);
    REQUIRE(c.decision->reasons.size() == 2);
    CHECK_THAT(c.decision->reasons[0], Catch::Contains("years"));
    CHECK_THAT(c.decision->reasons[1], Catch::Contains("55.0"));
    CHECK(db.recognitions().empty());
    // Once decided, the platform may apply again.
    CHECK(db.apply_for_certification(office, {n.quality, DemoLevel::municipal, day(2026, 3, 1), good_record(n.quality)}) ==
          CertificationCaseId(2));
}

TEST_CASE("§4.1 review at term end: a platform below its level is demoted, one below every level withdrawn", "[certification][database]") {
    TempFile file("recognition-review");
    auto db = Database::open(file.str());
    const auto n = build_small_network(db);
    db.set_certification_standards(office, two_levels());
    // Recognised municipal in 2020, then provincial in 2022 (two full years recognised below by then).
    const auto grant = [&](DemoLevel level, greg::date filed, PlatformRecord record) {
        const auto id = db.apply_for_certification(office, {n.tech, level, filed, record});
        for (const char* expert : {"A", "B", "C"}) db.score_certification(Actor::expert_reviewer(expert), id, 800);
        return db.decide_certification(office, id, filed);
    };
    CHECK(grant(DemoLevel::municipal, day(2020, 1, 10), good_record(n.tech)).certificate == 1);
    auto strong = good_record(n.tech);
    strong.enterprises_served = 80;
    strong.years_recognised = db.platform_record(n.tech, day(2022, 6, 10)).years_recognised;
    CHECK(strong.years_recognised[0] == 2);
    CHECK(grant(DemoLevel::provincial, day(2022, 6, 10), strong).certificate == 2);
    REQUIRE(db.recognitions(n.tech).size() == 2);
    CHECK(db.recognitions(n.tech)[0].end == RecognitionEnd::superseded);

    // At the end of the provincial term it serves 20 enterprises: below provincial (50), meets municipal.
    auto weaker = good_record(n.tech);
    weaker.enterprises_served = 20;
    CHECK(db.recognitions_due(day(2025, 6, 10)).size() == 1);
    CHECK_REFUSED_ALL(db, db.review_recognition(Actor::operator_of(n.tech), weaker, day(2026, 1, 10)), IsError(ErrorCode::permission));
    const auto review = db.review_recognition(office, weaker, day(2026, 1, 10));
    CHECK(review.kind == RecognitionReviewKind::demoted);
    CHECK(review.to_level == DemoLevel::municipal);
    CHECK_THAT(review.reason, Catch::Contains("20"));
    CHECK(db.recognition(n.tech, day(2026, 1, 10))->level == DemoLevel::municipal);

    // Three years later it no longer meets any level: withdrawn.
    auto failing = weaker;
    failing.grade = EvaluationGrade::poor;
    const auto withdrawn = db.review_recognition(office, failing, day(2029, 1, 10));
    CHECK(withdrawn.kind == RecognitionReviewKind::withdrawn);
    CHECK_FALSE(db.recognition(n.tech, day(2029, 1, 10)));
    const auto history = db.recognitions(n.tech);
    auto again = Database::open(file.str());
    CHECK(again.recognitions(n.tech) == history);
    // No open term left to review.
    CHECK_REFUSED_ALL(db, db.review_recognition(office, failing, day(2030, 1, 10)), IsError(ErrorCode::not_found));
}

TEST_CASE("§4.1 contradictory standards and bad panels are refused, nothing changed", "[certification][database]") {
    Database db = Database::open(":memory:");
    const auto n = build_small_network(db);
    auto contradictory = two_levels();
    contradictory[0].min_enterprises_served = 0;   // provincial would ask less than municipal's 1
    CHECK_REFUSED_ALL(db, db.set_certification_standards(office, contradictory), IsError(ErrorCode::invalid, {"provincial", "municipal"}));
    PanelRules two_experts;
    two_experts.min_experts = 2;
    CHECK_REFUSED_ALL(db, db.set_certification_standards(office, two_levels(), two_experts), IsError(ErrorCode::invalid));
    PanelRules out_of_100;
    out_of_100.max_score = 100;   // municipal's pass mark 600 is above it
    CHECK_REFUSED_ALL(db, db.set_certification_standards(office, two_levels(), out_of_100), IsError(ErrorCode::invalid, {"min_expert_score"}));
    db.set_certification_standards(office, two_levels());
    auto bad_record = good_record(n.tech);
    bad_record.utilisation_bp = 12000;
    CHECK_REFUSED_ALL(db, db.apply_for_certification(office, {n.tech, DemoLevel::municipal, day(2025, 1, 1), bad_record}),
                      IsError(ErrorCode::invalid, {"utilisation"}));
    CHECK_REFUSED_ALL(db, db.apply_for_certification(office, {PlatformId(99), DemoLevel::municipal, day(2025, 1, 1), good_record(PlatformId(99))}),
                      IsError(ErrorCode::not_found));
    CHECK_REFUSED_ALL(db, db.apply_for_certification(office, {n.tech, DemoLevel::national, day(2025, 1, 1), good_record(n.tech)}),
                      IsError(ErrorCode::refused, {"national"}));
    CHECK_REFUSED_ALL(db, db.apply_for_certification(office, {n.tech, DemoLevel::municipal, greg::date(), good_record(n.tech)}),
                      IsError(ErrorCode::invalid, {"not a date"}));
}

TEST_CASE("§4.1 the platform record counts enterprises served, utilisation and revoked projects from the database",
          "[certification][database]") {
    ManualClock clock;
    clock.set(monday_cst);
    Database db = Database::open(":memory:", clock.options());
    const auto n = build_small_network(db);
    // Two enterprises book the tech backbone's SEM in March 2025; one of Bolt's bookings is cancelled.
    const auto at = [&](EnterpriseId who, int d, int hour) {
        const Time s = monday_cst + d * D + hour * H;
        return BookingRequest{n.sem1, who, {s, s + 2 * H}, 1, {}, {}};
    };
    REQUIRE(db.book(office, at(n.acme, 1, 9)));
    REQUIRE(db.book(office, at(n.acme, 2, 9)));
    const auto cancelled = db.book(office, at(n.bolt, 3, 9));
    REQUIRE(cancelled);
    db.cancel(office, cancelled.booking->id);
    auto record = db.platform_record(n.tech, day(2025, 6, 1));
    CHECK(record.platform == n.tech);
    CHECK(record.enterprises_served == 1);
    CHECK(record.utilisation_bp > 0);
    CHECK(record.revoked_projects == 0);
    REQUIRE(db.book(office, at(n.bolt, 4, 9)));
    CHECK(db.platform_record(n.tech, day(2025, 6, 1)).enterprises_served == 2);
    // A year later the bookings have left the look-back window.
    CHECK(db.platform_record(n.tech, day(2026, 6, 1)).enterprises_served == 0);
    CHECK(db.platform_record(n.quality, day(2025, 6, 1)).enterprises_served == 0);
    CHECK_THROWS_MATCHES(db.platform_record(PlatformId(99), day(2025, 6, 1)), Error, IsError(ErrorCode::not_found));
}
