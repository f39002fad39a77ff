// Certification of demonstration platforms (include/psp/certification.hpp, policy §4.1): standards
// and their ordering across levels, the check of a record with its figures, the expert panel's trimmed
// mean (worked cases, every bad input, random panels against a reference), decisions, recognition
// terms, reviews (renewed, demoted, withdrawn, confirmed) and the register's history.
#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "psp/certification.hpp"
#include "psp/error.hpp"

using namespace psp;
namespace greg = boost::gregorian;

namespace {

greg::date day(int y, int m, int d) {
    return {static_cast<unsigned short>(y), static_cast<unsigned short>(m), static_cast<unsigned short>(d)};
}

template <class F>
bool throws_code(const F& f, ErrorCode code, const std::string& fragment) {
    try {
        f();
    } catch (const Error& e) {
        UNSCOPED_INFO("message: " << e.what());
        return e.code() == code && std::string(e.what()).find(fragment) != std::string::npos;
    }
    UNSCOPED_INFO("nothing thrown");
    return false;
}

template <class F>
bool throws_invalid(const F& f, const std::string& fragment) {
    return throws_code(f, ErrorCode::invalid, fragment);
}

// A ladder of standards a city might publish (figures are illustrative, not from the policy).
CertificationStandard municipal() {
    return {DemoLevel::municipal, 2, EvaluationGrade::good, 100, 3000, 0, true, 0, 700, 3};
}
CertificationStandard provincial() {
    return {DemoLevel::provincial, 3, EvaluationGrade::good, 300, 4000, 0, true, 2, 750, 3};
}
CertificationStandard national() {
    return {DemoLevel::national, 5, EvaluationGrade::excellent, 1000, 5000, 0, true, 3, 800, 5};
}
std::vector<CertificationStandard> ladder() { return {municipal(), provincial(), national()}; }

// Meets municipal and provincial, not national (grade good, 4 years).
PlatformRecord strong(std::int64_t platform = 7) {
    return {PlatformId(platform), 4, EvaluationGrade::good, 450, 4500, 0, true, {3, 0, 0}};
}

CertificationApplication apply(const PlatformRecord& r, DemoLevel level, greg::date filed = day(2025, 3, 1)) {
    return {r.platform, level, filed, r};
}

std::vector<ExpertScore> panel(std::initializer_list<int> scores) {
    std::vector<ExpertScore> out;
    char name = 'A';
    for (int s : scores) out.push_back({std::string("expert ") + name++, s});
    return out;
}

const ThresholdCheck& find(const CheckResult& r, CertificationThreshold t) {
    const auto it = std::find_if(r.checks.begin(), r.checks.end(), [&](const ThresholdCheck& c) { return c.threshold == t; });
    REQUIRE(it != r.checks.end());
    return *it;
}

}  // namespace

TEST_CASE("§4.1 standard: every field is validated, naming the level and the field", "[certification]") {
    for (const auto& s : ladder()) CHECK_NOTHROW(validate(s));
    CHECK_NOTHROW(validate(CertificationStandard{}));

    auto s = provincial();
    s.min_years_operating = -1;
    CHECK(throws_invalid([&] { validate(s); }, "certification standard provincial min_years_operating: -1 is negative"));
    s = provincial();
    s.min_enterprises_served = -5;
    CHECK(throws_invalid([&] { validate(s); }, "provincial min_enterprises_served: -5 is negative"));
    s = provincial();
    s.min_utilisation_bp = 12000;
    CHECK(throws_invalid([&] { validate(s); }, "provincial min_utilisation_bp: 12000 basis points is above 10000"));
    s.min_utilisation_bp = -1;
    CHECK(throws_invalid([&] { validate(s); }, "min_utilisation_bp: -1 is negative"));
    s = provincial();
    s.max_revoked_projects = -1;
    CHECK(throws_invalid([&] { validate(s); }, "max_revoked_projects: -1 is negative"));
    s = provincial();
    s.min_years_recognised_below = -2;
    CHECK(throws_invalid([&] { validate(s); }, "min_years_recognised_below: -2 is negative"));
    s = municipal();
    s.min_years_recognised_below = 1;
    CHECK(throws_invalid([&] { validate(s); }, "municipal min_years_recognised_below: 1 years: there is no demonstration level below"));
    s = provincial();
    s.min_expert_score = -1;
    CHECK(throws_invalid([&] { validate(s); }, "min_expert_score: -1 is negative"));
    s = provincial();
    s.validity_years = 0;
    CHECK(throws_invalid([&] { validate(s); }, "provincial validity_years: 0 is outside 1..10"));
    s.validity_years = 11;
    CHECK(throws_invalid([&] { validate(s); }, "validity_years: 11 is outside 1..10"));
    s = provincial();
    s.min_grade = static_cast<EvaluationGrade>(9);
    CHECK(throws_invalid([&] { validate(s); }, "min_grade: 9 is not a grade"));
    s = provincial();
    s.level = static_cast<DemoLevel>(3);
    CHECK(throws_invalid([&] { validate(s); }, "certification standard level: 3 is not a level"));
}

TEST_CASE("§4.1 standards as a set: a higher level never asks less than a lower one", "[certification]") {
    CHECK_NOTHROW(validate(ladder()));
    CHECK_NOTHROW(validate(std::vector<CertificationStandard>{}));
    CHECK_NOTHROW(validate(std::vector{national(), municipal()}));   // a level may be missing; order does not matter
    {
        auto same = provincial();   // equal thresholds are not a contradiction
        same.level = DemoLevel::national;
        CHECK_NOTHROW(validate(std::vector{provincial(), same}));
    }
    const auto contradiction = [](auto change, const std::string& fragment) {
        auto set = ladder();
        change(set[1]);   // provincial
        return throws_invalid([&] { validate(set); }, fragment);
    };
    CHECK(contradiction([](auto& p) { p.min_utilisation_bp = 2500; },
                        "certification standards: provincial min_utilisation_bp 2500 is below municipal's 3000"));
    CHECK(contradiction([](auto& p) { p.min_years_operating = 1; }, "provincial min_years_operating 1 is below municipal's 2"));
    CHECK(contradiction([](auto& p) { p.min_grade = EvaluationGrade::pass; }, "provincial min_grade pass is below municipal's good"));
    CHECK(contradiction([](auto& p) { p.min_enterprises_served = 50; },
                        "provincial min_enterprises_served 50 is below municipal's 100"));
    CHECK(contradiction([](auto& p) { p.max_revoked_projects = 1; }, "provincial max_revoked_projects 1 is above municipal's 0"));
    CHECK(contradiction([](auto& p) { p.require_published_services = false; }, "provincial require_published_services"));
    CHECK(contradiction([](auto& p) { p.min_expert_score = 650; }, "provincial min_expert_score 650 is below municipal's 700"));
    CHECK(contradiction([](auto& p) { p.min_years_recognised_below = 4; },
                        "national min_years_recognised_below 3 is below provincial's 4"));
    CHECK(contradiction([](auto& p) { p.min_utilisation_bp = 6000; },
                        "national min_utilisation_bp 5000 is below provincial's 6000"));
    // Across a gap: national against municipal when provincial is absent.
    auto n = national();
    n.min_enterprises_served = 90;
    CHECK(throws_invalid([&] { validate(std::vector{municipal(), n}); }, "national min_enterprises_served 90 is below municipal's 100"));
    CHECK(throws_invalid([&] { validate(std::vector{municipal(), provincial(), municipal()}); },
                         "two standards for level municipal"));
    auto bad = ladder();
    bad[2].min_utilisation_bp = 10001;
    CHECK(throws_invalid([&] { validate(bad); }, "national min_utilisation_bp: 10001 basis points is above 10000"));
}

TEST_CASE("§4.1 check: each threshold passes or fails with its figures", "[certification]") {
    const auto pass = check(apply(strong(), DemoLevel::provincial), provincial());
    CHECK(pass.passed());
    CHECK(pass.failures().empty());
    CHECK(pass.level == DemoLevel::provincial);
    CHECK(pass.platform == PlatformId(7));
    REQUIRE(pass.checks.size() == 7);
    for (int i = 0; i < 7; ++i) CHECK(pass.checks[static_cast<std::size_t>(i)].threshold == static_cast<CertificationThreshold>(i));
    CHECK(find(pass, CertificationThreshold::years_operating).text == "4 years operating meets 3 years");
    CHECK(find(pass, CertificationThreshold::grade).text == "evaluation grade good meets good");
    CHECK(find(pass, CertificationThreshold::enterprises_served).text == "450 enterprises served in the year meets 300");
    CHECK(find(pass, CertificationThreshold::utilisation).text == "utilisation 45 % meets 40 %");
    CHECK(find(pass, CertificationThreshold::revoked_projects).text == "no revoked project");
    CHECK(find(pass, CertificationThreshold::published_services).text == "service products, fees and processes published");
    CHECK(find(pass, CertificationThreshold::years_recognised_below).text == "3 years recognised at municipal level or higher meets 2 years");

    PlatformRecord weak{PlatformId(7), 1, EvaluationGrade::pass, 80, 3850, 1, false, {1, 0, 0}};
    const auto fail = check(apply(weak, DemoLevel::provincial), provincial());
    CHECK_FALSE(fail.passed());
    CHECK(fail.failures() == std::vector<std::string>{
                                 "1 year operating below 3 years",
                                 "evaluation grade pass below good",
                                 "80 enterprises served in the year below 300",
                                 "utilisation 38.5 % below 40 %",
                                 "1 revoked project, above the 0 allowed",
                                 "service products, fees and processes not published",
                                 "1 year recognised at municipal level or higher below 2 years",
                             });
    const auto& u = find(fail, CertificationThreshold::utilisation);
    CHECK(u.actual == 3850);
    CHECK(u.required == 4000);
    CHECK_FALSE(u.met);
    CHECK(find(fail, CertificationThreshold::grade).actual == static_cast<int>(EvaluationGrade::pass));
    CHECK(find(fail, CertificationThreshold::revoked_projects).required == 0);

    // Exactly at the threshold is met; a standard allowing revocations says so.
    auto edge = strong();
    edge.utilisation_bp = 4000;
    edge.revoked_projects = 1;
    auto lenient = provincial();
    lenient.max_revoked_projects = 1;
    const auto at = check(apply(edge, DemoLevel::provincial), lenient);
    CHECK(at.passed());
    CHECK(find(at, CertificationThreshold::utilisation).text == "utilisation 40 % meets 40 %");
    CHECK(find(at, CertificationThreshold::revoked_projects).text == "1 revoked project, within the 1 allowed");

    // A platform never evaluated fails the grade threshold, whatever the minimum.
    auto ungraded = strong();
    ungraded.grade.reset();
    auto any_grade = municipal();
    any_grade.min_grade = EvaluationGrade::poor;
    const auto g = find(check(apply(ungraded, DemoLevel::municipal), any_grade), CertificationThreshold::grade);
    CHECK_FALSE(g.met);
    CHECK(g.actual == -1);
    CHECK(g.text == "never evaluated; grade poor or better required");

    // Optional thresholds are listed only when the standard sets them.
    auto plain = municipal();
    plain.require_published_services = false;
    const auto few = check(apply(strong(), DemoLevel::municipal), plain);
    REQUIRE(few.checks.size() == 5);
    CHECK(few.checks.back().threshold == CertificationThreshold::revoked_projects);
    CHECK(find(check(apply(strong(), DemoLevel::municipal), municipal()), CertificationThreshold::published_services).met);
}

TEST_CASE("§4.1 check: bad records and mismatched applications are refused", "[certification]") {
    const auto bad = [](auto change, const std::string& fragment) {
        auto r = strong();
        change(r);
        return throws_invalid([&] { check(r, municipal()); }, fragment);
    };
    CHECK(bad([](auto& r) { r.platform = PlatformId(0); }, "platform record platform: id 0 is not positive"));
    CHECK(bad([](auto& r) { r.years_operating = -1; }, "platform record years_operating: -1 is negative"));
    CHECK(bad([](auto& r) { r.enterprises_served = -1; }, "enterprises_served: -1 is negative"));
    CHECK(bad([](auto& r) { r.utilisation_bp = 10001; }, "utilisation_bp: 10001 basis points is outside 0..10000"));
    CHECK(bad([](auto& r) { r.utilisation_bp = -1; }, "utilisation_bp: -1 basis points"));
    CHECK(bad([](auto& r) { r.revoked_projects = -1; }, "revoked_projects: -1 is negative"));
    CHECK(bad([](auto& r) { r.grade = static_cast<EvaluationGrade>(4); }, "grade: 4 is not a grade"));
    CHECK(bad([](auto& r) { r.years_recognised[1] = -1; }, "years_recognised: provincial -1 is negative"));

    CHECK(throws_invalid([] { check(apply(strong(), DemoLevel::national), provincial()); },
                         "application: level national checked against the provincial standard"));
    auto other = apply(strong(), DemoLevel::provincial);
    other.platform = PlatformId(8);
    CHECK(throws_invalid([&] { check(other, provincial()); }, "application: record of platform 7 for platform 8"));
    auto undated = apply(strong(), DemoLevel::provincial);
    undated.filed = greg::date();
    CHECK(throws_invalid([&] { check(undated, provincial()); }, "application filed: not a date"));
    auto bad_standard = provincial();
    bad_standard.min_utilisation_bp = 20000;
    CHECK(throws_invalid([&] { check(apply(strong(), DemoLevel::provincial), bad_standard); }, "min_utilisation_bp"));
}

TEST_CASE("§4.1 expert review: the highest and the lowest are dropped, the rest averaged and rounded down",
          "[certification]") {
    // 90.0, 85.0, 80.0, 70.0, 60.0: drop 90.0 and 60.0; (85 + 80 + 70) / 3 = 78.333… → 78.3
    const auto p = score_panel(panel({900, 850, 800, 700, 600}));
    CHECK(p.experts == 5);
    CHECK(p.highest == 900);
    CHECK(p.lowest == 600);
    CHECK(p.dropped_highest == "expert A");
    CHECK(p.dropped_lowest == "expert E");
    CHECK(p.kept == 3);
    CHECK(p.kept_sum == 2350);
    CHECK(p.score == 783);
    CHECK(score_text(p.score) == "78.3");

    // Three experts: the middle score alone.
    CHECK(score_panel(panel({1000, 0, 555})).score == 555);
    // Rounded down, never up: (80.0 + 79.9) / 2 = 79.95 → 79.9.
    CHECK(score_panel(panel({1000, 800, 799, 0})).score == 799);
    // Ties: one highest and one lowest dropped, named by the smallest name among the tied.
    const std::vector<ExpertScore> tied{{"Zhou", 900}, {"Wang", 900}, {"Li", 700}, {"Chen", 700}, {"Zhao", 800}};
    const auto t = score_panel(tied);
    CHECK(t.highest == 900);
    CHECK(t.dropped_highest == "Wang");
    CHECK(t.lowest == 700);
    CHECK(t.dropped_lowest == "Chen");
    CHECK(t.kept_sum == 900 + 700 + 800);
    CHECK(t.score == 800);
    // Every score equal: the lowest takes the smallest name, the highest the next.
    const auto all = score_panel(std::vector<ExpertScore>{{"c", 500}, {"a", 500}, {"b", 500}});
    CHECK(all.dropped_lowest == "a");
    CHECK(all.dropped_highest == "b");
    CHECK(all.score == 500);
    // The order of the list changes nothing.
    auto shuffled = tied;
    std::reverse(shuffled.begin(), shuffled.end());
    CHECK(score_panel(shuffled) == t);

    // Other units: whole points 0..100, five experts at least.
    const PanelRules points{0, 100, 5, 0};
    const auto w = score_panel(panel({95, 90, 88, 70, 60}), points);
    CHECK(w.score == 82);   // (90 + 88 + 70) / 3 = 82.67 → 82
    CHECK(w.decimals == 0);
    CHECK(score_text(w.score, w.decimals) == "82");
    CHECK(score_text(5, 2) == "0.05");
    CHECK(score_text(-15) == "-1.5");
    CHECK(score_text(0) == "0.0");
}

TEST_CASE("§4.1 expert review: an expert scoring twice, a score out of range, too few experts", "[certification]") {
    CHECK(throws_invalid([] { score_panel(std::vector<ExpertScore>{{"Li", 800}, {"Wang", 700}, {"Li", 900}, {"Chen", 750}}); },
                         "expert panel: expert Li scored twice (800 and 900); each expert scores once"));
    CHECK(throws_invalid([] { score_panel(panel({800, 1001, 700})); }, "expert panel: expert expert B scored 1001, outside 0..1000"));
    CHECK(throws_invalid([] { score_panel(panel({800, -1, 700})); }, "expert expert B scored -1, outside 0..1000"));
    CHECK(throws_invalid([] { score_panel(panel({800, 700})); }, "expert panel: 3 experts required, 2 scored"));
    CHECK(throws_invalid([] { score_panel(std::vector<ExpertScore>{}); }, "3 experts required, 0 scored"));
    CHECK(throws_invalid([] { score_panel(panel({80, 70, 60, 50}), PanelRules{0, 100, 5, 0}); }, "5 experts required, 4 scored"));
    CHECK(throws_invalid([] { score_panel(std::vector<ExpertScore>{{"Li", 800}, {"", 700}, {"Chen", 750}}); },
                         "expert panel: score 1 has no expert name"));
    // Bounds are inclusive.
    CHECK(score_panel(panel({0, 1000, 500})).score == 500);
    // Bad rules.
    CHECK(throws_invalid([] { validate(PanelRules{0, 100, 2, 0}); }, "scoring rules min_experts: 2 is below 3"));
    CHECK(throws_invalid([] { validate(PanelRules{-1, 100, 3, 0}); }, "scoring rules min_score: -1 is negative"));
    CHECK(throws_invalid([] { validate(PanelRules{50, 50, 3, 0}); }, "scoring rules max_score: 50 is not above min_score 50"));
    CHECK(throws_invalid([] { validate(PanelRules{0, 100, 3, 5}); }, "scoring rules decimals: 5 is outside 0..4"));
    CHECK(throws_invalid([] { score_panel(panel({1, 2, 3}), PanelRules{0, 100, 2, 0}); }, "min_experts"));
}

TEST_CASE("§4.1 expert review: random panels against a straightforward trimmed mean", "[certification]") {
    std::mt19937_64 rng(20250301);
    for (int round = 0; round < 2000; ++round) {
        const int n = std::uniform_int_distribution<int>(3, 25)(rng);
        const int lo = std::uniform_int_distribution<int>(0, 500)(rng);
        const int hi = lo + std::uniform_int_distribution<int>(1, 600)(rng);
        std::uniform_int_distribution<int> score(lo, hi);
        std::vector<ExpertScore> scores;
        for (int i = 0; i < n; ++i) scores.push_back({"expert " + std::to_string(i), score(rng)});
        // Reference: sort the numbers, drop the ends, average with long division.
        std::vector<int> v;
        for (const auto& s : scores) v.push_back(s.score);
        std::sort(v.begin(), v.end());
        const long long sum = std::accumulate(v.begin() + 1, v.end() - 1, 0LL);
        const auto p = score_panel(scores, PanelRules{lo, hi, 3, 1});
        INFO("round " << round << " n " << n);
        CHECK(p.experts == n);
        CHECK(p.kept == n - 2);
        CHECK(p.lowest == v.front());
        CHECK(p.highest == v.back());
        CHECK(p.kept_sum == sum);
        CHECK(p.score == sum / (n - 2));
        // floor: score ≤ exact mean < score + 1
        CHECK(static_cast<long long>(p.score) * (n - 2) <= sum);
        CHECK(sum < static_cast<long long>(p.score + 1) * (n - 2));
        CHECK(p.score >= lo);
        CHECK(p.score <= hi);
        std::shuffle(scores.begin(), scores.end(), rng);
        CHECK(score_panel(scores, PanelRules{lo, hi, 3, 1}) == p);
    }
}

TEST_CASE("§4.1 decision: every threshold and the panel's pass mark", "[certification]") {
    const auto yes = decide(apply(strong(), DemoLevel::provincial), provincial(), panel({900, 800, 780, 760, 600}));
    CHECK(yes.approved);
    CHECK(yes.reasons.empty());
    CHECK(yes.panel.score == 780);

    // Thresholds met, panel short: 74.9 < 75.0.
    const auto low = decide(apply(strong(), DemoLevel::provincial), provincial(), panel({900, 750, 749, 748, 100}));
    CHECK_FALSE(low.approved);
    CHECK(low.reasons == std::vector<std::string>{"expert score 74.9 below 75.0"});

    // Both: thresholds first, then the panel.
    auto r = strong();
    r.utilisation_bp = 3800;
    const auto both = decide(apply(r, DemoLevel::provincial), provincial(), panel({700, 700, 700}));
    CHECK_FALSE(both.approved);
    CHECK(both.reasons == std::vector<std::string>{"utilisation 38 % below 40 %", "expert score 70.0 below 75.0"});

    // A pass mark outside the scoring range.
    CHECK(throws_invalid([] { decide(apply(strong(), DemoLevel::provincial), provincial(), panel({90, 80, 70}), PanelRules{0, 100, 3, 0}); },
                         "certification standard provincial min_expert_score: 750 is outside the scoring range 0..100"));
    auto whole = provincial();
    whole.min_expert_score = 75;
    CHECK(decide(apply(strong(), DemoLevel::provincial), whole, panel({90, 80, 70}), PanelRules{0, 100, 3, 0}).approved);
    CHECK(decide(apply(strong(), DemoLevel::provincial), whole, panel({90, 74, 70}), PanelRules{0, 100, 3, 0}).reasons ==
          std::vector<std::string>{"expert score 74 below 75"});
}

TEST_CASE("§4.1 recognition (授牌): a term of validity_years, granted only on approval", "[certification]") {
    RecognitionRegister reg;
    const auto d = decide(apply(strong(), DemoLevel::municipal), municipal(), panel({800, 780, 760}));
    REQUIRE(d.approved);
    const auto& r = reg.grant(d, municipal(), day(2025, 3, 1));
    CHECK(r.number == 1);
    CHECK(r.platform == PlatformId(7));
    CHECK(r.level == DemoLevel::municipal);
    CHECK(r.from == day(2025, 3, 1));
    CHECK(r.until == day(2028, 3, 1));
    CHECK(r.basis == "application approved at municipal level, expert score 78.0");
    CHECK(r.end == RecognitionEnd::open);
    CHECK_FALSE(r.ended.has_value());

    CHECK(reg.current(PlatformId(7), day(2025, 3, 1)).has_value());
    CHECK(reg.current(PlatformId(7), day(2028, 2, 29)).has_value());
    CHECK_FALSE(reg.current(PlatformId(7), day(2028, 3, 1)).has_value());   // run out: awaiting review
    CHECK_FALSE(reg.current(PlatformId(7), day(2025, 2, 28)).has_value());
    CHECK(reg.due_for_review(day(2028, 2, 29)).empty());
    CHECK(reg.due_for_review(day(2028, 3, 1)).size() == 1);

    // Refused: not approved; already at that level; a lower level while holding a higher one.
    const auto no = decide(apply(strong(8), DemoLevel::municipal), municipal(), panel({600, 600, 600}));
    CHECK(throws_code([&] { reg.grant(no, municipal(), day(2025, 3, 1)); }, ErrorCode::refused,
                      "grant: platform 8 was not approved at municipal level: expert score 60.0 below 70.0"));
    CHECK(throws_code([&] { reg.grant(d, municipal(), day(2026, 1, 1)); }, ErrorCode::refused,
                      "grant: platform 7 already holds municipal recognition 1 (2025-03-01 to 2028-03-01); a review renews it"));
    CHECK(throws_invalid([&] { reg.grant(d, provincial(), day(2026, 1, 1)); }, "grant: decision at level municipal with the provincial standard"));
    CHECK(throws_invalid([&] { reg.grant(d, municipal(), greg::date()); }, "grant: not a date"));
    auto forged = d;
    forged.check.platform = PlatformId(0);
    CHECK(throws_invalid([&] { reg.grant(forged, municipal(), day(2025, 3, 1)); }, "grant: platform id 0 is not positive"));
    CHECK(reg.all().size() == 1);

    // A higher level supersedes the open lower term on the day it is granted.
    const auto up = decide(apply(strong(), DemoLevel::provincial), provincial(), panel({800, 780, 760}));
    CHECK(throws_invalid([&] { reg.grant(up, provincial(), day(2025, 1, 1)); }, "is before the start of its open term 1"));
    const auto& p = reg.grant(up, provincial(), day(2026, 6, 1));
    CHECK(p.number == 2);
    CHECK(p.until == day(2029, 6, 1));
    const auto h = reg.history(PlatformId(7));
    REQUIRE(h.size() == 2);
    CHECK(h[0].end == RecognitionEnd::superseded);
    CHECK(h[0].ended == day(2026, 6, 1));
    CHECK(h[0].end_reason == "superseded by provincial recognition 2");
    CHECK(reg.current(PlatformId(7), day(2026, 5, 31))->level == DemoLevel::municipal);
    CHECK(reg.current(PlatformId(7), day(2026, 6, 1))->level == DemoLevel::provincial);
    CHECK(throws_code([&] { reg.grant(d, municipal(), day(2027, 1, 1)); }, ErrorCode::refused, "already holds provincial"));
    CHECK(reg.history(PlatformId(99)).empty());

    // 29 February: a term from a leap day ends on 28 February.
    RecognitionRegister leap;
    CHECK(leap.grant(d, municipal(), day(2024, 2, 29)).until == day(2027, 2, 28));
}

TEST_CASE("§4.1 review at term end: renewed, demoted to the highest level met, or withdrawn", "[certification]") {
    const auto standards = ladder();
    const auto granted = [&](RecognitionRegister& reg, DemoLevel level, greg::date on) {
        const auto& s = standards[static_cast<std::size_t>(level)];
        auto rec = strong();
        rec.years_recognised = {5, 5, 0};
        reg.grant(decide(apply(rec, level), s, panel({900, 900, 900})), s, on);
    };

    SECTION("renewed: still meets its level") {
        RecognitionRegister reg;
        granted(reg, DemoLevel::provincial, day(2025, 3, 1));
        auto rec = strong();
        rec.years_recognised = {3, 3, 0};
        const auto out = reg.review(rec, standards, day(2028, 3, 1));
        CHECK(out.kind == RecognitionReviewKind::renewed);
        CHECK(out.from_level == DemoLevel::provincial);
        CHECK(out.to_level == DemoLevel::provincial);
        CHECK_FALSE(out.eligible_higher.has_value());
        CHECK(out.checks.size() == 3);
        CHECK(out.reason == "renewed at provincial level: meets the provincial standard");
        REQUIRE(out.next.has_value());
        CHECK(out.next->from == day(2028, 3, 1));
        CHECK(out.next->until == day(2031, 3, 1));
        CHECK(out.next->number == 2);
        const auto h = reg.history(PlatformId(7));
        REQUIRE(h.size() == 2);
        CHECK(h[0].end == RecognitionEnd::renewed);
        CHECK(h[0].ended == day(2028, 3, 1));
        CHECK(h[1] == *out.next);
        CHECK(reg.years_recognised(PlatformId(7), DemoLevel::provincial, day(2029, 3, 1)) == 4);
    }
    SECTION("demoted: meets only the level below, with the figures that failed") {
        RecognitionRegister reg;
        granted(reg, DemoLevel::provincial, day(2025, 3, 1));
        auto rec = strong();
        rec.utilisation_bp = 3800;
        rec.enterprises_served = 250;
        const auto out = reg.review(rec, standards, day(2028, 3, 1));
        CHECK(out.kind == RecognitionReviewKind::demoted);
        CHECK(out.to_level == DemoLevel::municipal);
        CHECK(out.reason == "demoted from provincial to municipal: no longer meets the provincial standard: "
                            "250 enterprises served in the year below 300; utilisation 38 % below 40 %");
        REQUIRE(out.next.has_value());
        CHECK(out.next->level == DemoLevel::municipal);
        CHECK(out.next->until == day(2031, 3, 1));
        CHECK(out.next->basis.find("demoted on review from provincial") == 0);
        CHECK(reg.history(PlatformId(7))[0].end == RecognitionEnd::demoted);
        CHECK(reg.current(PlatformId(7), day(2028, 3, 1))->level == DemoLevel::municipal);
        // Recognised at municipal level or higher without a break since 2025.
        CHECK(reg.years_recognised(PlatformId(7), DemoLevel::municipal, day(2029, 3, 1)) == 4);
        CHECK(reg.years_recognised(PlatformId(7), DemoLevel::provincial, day(2029, 3, 1)) == 0);
    }
    SECTION("demoted two levels: national to municipal") {
        RecognitionRegister reg;
        granted(reg, DemoLevel::municipal, day(2020, 3, 1));
        auto rec = strong();
        rec.grade = EvaluationGrade::excellent;
        rec.years_operating = 6;
        rec.enterprises_served = 1200;
        rec.utilisation_bp = 6000;
        rec.years_recognised = {5, 5, 0};
        const auto& s = standards[2];
        reg.grant(decide(apply(rec, DemoLevel::national), s, panel({900, 900, 900})), s, day(2021, 3, 1));
        auto now = strong();
        now.years_recognised = {1, 1, 1};   // provincial asks 2 years recognised at municipal level or higher
        const auto out = reg.review(now, standards, day(2026, 3, 1));
        CHECK(out.kind == RecognitionReviewKind::demoted);
        CHECK(out.from_level == DemoLevel::national);
        CHECK(out.to_level == DemoLevel::municipal);
    }
    SECTION("withdrawn: meets no level") {
        RecognitionRegister reg;
        granted(reg, DemoLevel::municipal, day(2025, 3, 1));
        auto rec = strong();
        rec.revoked_projects = 1;
        const auto out = reg.review(rec, standards, day(2028, 3, 1));
        CHECK(out.kind == RecognitionReviewKind::withdrawn);
        CHECK_FALSE(out.to_level.has_value());
        CHECK_FALSE(out.next.has_value());
        CHECK(out.reason == "withdrawn: no longer meets the municipal standard: 1 revoked project, above the 0 allowed");
        CHECK(reg.history(PlatformId(7)).back().end == RecognitionEnd::withdrawn);
        CHECK_FALSE(reg.current(PlatformId(7), day(2028, 3, 1)).has_value());
        CHECK(reg.due_for_review(day(2030, 1, 1)).empty());
        CHECK(throws_code([&] { reg.review(rec, standards, day(2029, 1, 1)); }, ErrorCode::not_found,
                          "review: platform 7 holds no open recognition"));
    }
    SECTION("meets a higher level: stays, and may apply for it") {
        RecognitionRegister reg;
        granted(reg, DemoLevel::municipal, day(2025, 3, 1));
        const auto out = reg.review(strong(), standards, day(2028, 3, 1));   // strong() meets provincial
        CHECK(out.kind == RecognitionReviewKind::renewed);
        CHECK(out.to_level == DemoLevel::municipal);
        CHECK(out.eligible_higher == DemoLevel::provincial);
        CHECK(out.reason == "renewed at municipal level: meets the municipal standard; meets the provincial thresholds "
                            "and may apply for that level");
        CHECK(out.next->level == DemoLevel::municipal);
    }
    SECTION("a late review: the new term starts on the review date, the gap stays in the history") {
        RecognitionRegister reg;
        granted(reg, DemoLevel::municipal, day(2025, 3, 1));
        CHECK(reg.due_for_review(day(2028, 6, 1)).size() == 1);
        const auto out = reg.review(strong(), standards, day(2028, 6, 1));
        CHECK(out.next->from == day(2028, 6, 1));
        CHECK(out.next->until == day(2031, 6, 1));
        CHECK_FALSE(reg.current(PlatformId(7), day(2028, 4, 1)).has_value());
        CHECK(reg.years_recognised(PlatformId(7), DemoLevel::municipal, day(2029, 6, 1)) == 1);   // the run restarts
    }
}

TEST_CASE("§4.1 review on demand: confirmed, or demoted within the term", "[certification]") {
    const auto standards = ladder();
    RecognitionRegister reg;
    auto rec = strong();
    rec.years_recognised = {5, 0, 0};
    reg.grant(decide(apply(rec, DemoLevel::provincial), provincial(), panel({900, 900, 900})), provincial(), day(2025, 3, 1));

    const auto ok = reg.review(rec, standards, day(2026, 3, 1));
    CHECK(ok.kind == RecognitionReviewKind::confirmed);
    CHECK(ok.reason == "confirmed at provincial level: meets the provincial standard");
    CHECK_FALSE(ok.next.has_value());
    CHECK(reg.all().size() == 1);
    CHECK(reg.all()[0].end == RecognitionEnd::open);

    rec.grade = EvaluationGrade::pass;   // below good: meets no level
    rec.utilisation_bp = 4500;
    auto lenient = ladder();
    lenient[0].min_grade = EvaluationGrade::pass;   // the municipal standard accepts pass
    const auto down = reg.review(rec, lenient, day(2026, 9, 1));
    CHECK(down.kind == RecognitionReviewKind::demoted);
    CHECK(down.reason == "demoted from provincial to municipal: no longer meets the provincial standard: "
                         "evaluation grade pass below good");
    CHECK(down.next->from == day(2026, 9, 1));
    CHECK(down.next->until == day(2028, 3, 1));   // a demotion within the term keeps its end
    CHECK(reg.current(PlatformId(7), day(2026, 8, 31))->level == DemoLevel::provincial);
    CHECK(reg.current(PlatformId(7), day(2026, 9, 1))->level == DemoLevel::municipal);
}

TEST_CASE("§4.1 review: bad calls change nothing", "[certification]") {
    const auto standards = ladder();
    RecognitionRegister reg;
    reg.grant(decide(apply(strong(), DemoLevel::municipal), municipal(), panel({900, 900, 900})), municipal(), day(2025, 3, 1));
    const auto before = reg.all();
    CHECK(throws_code([&] { reg.review(strong(8), standards, day(2028, 3, 1)); }, ErrorCode::not_found, "platform 8 holds no open"));
    CHECK(throws_invalid([&] { reg.review(strong(), standards, day(2025, 2, 1)); }, "review: 2025-02-01 is before the term's start 2025-03-01"));
    CHECK(throws_invalid([&] { reg.review(strong(), std::vector{provincial()}, day(2028, 3, 1)); },
                         "review: no standard for the term's level municipal"));
    auto contradictory = ladder();
    contradictory[2].min_years_operating = 1;
    CHECK(throws_invalid([&] { reg.review(strong(), contradictory, day(2028, 3, 1)); }, "national min_years_operating 1 is below"));
    auto bad = strong();
    bad.utilisation_bp = 10001;
    CHECK(throws_invalid([&] { reg.review(bad, standards, day(2028, 3, 1)); }, "utilisation_bp"));
    CHECK(throws_invalid([&] { reg.review(strong(), standards, greg::date()); }, "review: not a date"));
    CHECK(reg.all() == before);
}

TEST_CASE("§4.1 levels are grown step by step: years recognised at the level below", "[certification]") {
    RecognitionRegister reg;
    auto rec = strong();
    rec.years_recognised = {0, 0, 0};
    reg.grant(decide(apply(rec, DemoLevel::municipal), municipal(), panel({900, 900, 900})), municipal(), day(2023, 3, 1));
    CHECK(reg.years_recognised(PlatformId(7), DemoLevel::municipal, day(2025, 2, 28)) == 1);
    CHECK(reg.years_recognised(PlatformId(7), DemoLevel::municipal, day(2025, 3, 1)) == 2);
    CHECK(reg.years_recognised(PlatformId(7), DemoLevel::provincial, day(2025, 3, 1)) == 0);
    CHECK(reg.years_recognised(PlatformId(8), DemoLevel::municipal, day(2025, 3, 1)) == 0);

    rec.years_recognised[0] = reg.years_recognised(PlatformId(7), DemoLevel::municipal, day(2025, 2, 28));
    const auto early = decide(apply(rec, DemoLevel::provincial), provincial(), panel({900, 900, 900}));
    CHECK(early.reasons == std::vector<std::string>{"1 year recognised at municipal level or higher below 2 years"});
    rec.years_recognised[0] = reg.years_recognised(PlatformId(7), DemoLevel::municipal, day(2025, 3, 1));
    const auto ready = decide(apply(rec, DemoLevel::provincial), provincial(), panel({900, 900, 900}));
    REQUIRE(ready.approved);
    reg.grant(ready, provincial(), day(2025, 3, 1));
    // The municipal run continues through the provincial term.
    CHECK(reg.years_recognised(PlatformId(7), DemoLevel::municipal, day(2026, 3, 1)) == 3);
    CHECK(reg.years_recognised(PlatformId(7), DemoLevel::provincial, day(2026, 3, 1)) == 1);
}

TEST_CASE("§4.1 register: rebuilt from stored history, which must be consistent", "[certification]") {
    RecognitionRegister reg;
    reg.grant(decide(apply(strong(), DemoLevel::municipal), municipal(), panel({900, 900, 900})), municipal(), day(2022, 3, 1));
    reg.review(strong(), ladder(), day(2025, 3, 1));
    reg.grant(decide(apply(strong(9), DemoLevel::municipal), municipal(), panel({900, 900, 900})), municipal(), day(2024, 1, 1));
    auto stored = reg.all();
    std::reverse(stored.begin(), stored.end());
    RecognitionRegister back(stored);
    CHECK(back.all() == reg.all());
    const auto& next = back.grant(decide(apply(strong(11), DemoLevel::municipal), municipal(), panel({900, 900, 900})),
                                  municipal(), day(2025, 1, 1));
    CHECK(next.number == 4);

    const auto broken = [&](auto change, const std::string& fragment) {
        auto h = reg.all();
        change(h);
        return throws_invalid([&] { RecognitionRegister r(h); }, fragment);
    };
    CHECK(broken([](auto& h) { h[1].number = 1; }, "recognition 1: number used twice"));
    CHECK(broken([](auto& h) { h[0].number = 0; }, "recognition 0: number is not positive"));
    CHECK(broken([](auto& h) { h[0].until = h[0].from; }, "until 2022-03-01 is not after from 2022-03-01"));
    CHECK(broken([](auto& h) { h[0].end = RecognitionEnd::open; }, "an open term has no end date"));
    CHECK(broken(
        [](auto& h) {
            h[0].end = RecognitionEnd::open;
            h[0].ended.reset();
        },
        "recognition 2: platform 7 already has open term 1"));
    CHECK(broken([](auto& h) { h[0].platform = PlatformId(-1); }, "platform id is not positive"));
    CHECK(broken([](auto& h) { h[0].ended = day(2020, 1, 1); }, "ended before it started"));
}

TEST_CASE("§4.1 dates: full years and anniversaries", "[certification]") {
    CHECK(full_years(day(2020, 3, 1), day(2025, 3, 1)) == 5);
    CHECK(full_years(day(2020, 3, 1), day(2025, 2, 28)) == 4);
    CHECK(full_years(day(2020, 2, 29), day(2021, 2, 28)) == 0);
    CHECK(full_years(day(2020, 2, 29), day(2021, 3, 1)) == 1);
    CHECK(full_years(day(2020, 2, 29), day(2024, 2, 29)) == 4);
    CHECK(full_years(day(2025, 3, 1), day(2025, 3, 1)) == 0);
    CHECK(full_years(day(2025, 3, 1), day(2024, 3, 2)) == 0);
    CHECK(full_years(day(2025, 3, 1), day(2024, 3, 1)) == -1);
    CHECK(add_years(day(2024, 2, 29), 1) == day(2025, 2, 28));
    CHECK(add_years(day(2024, 2, 29), 4) == day(2028, 2, 29));
    CHECK(add_years(day(2023, 2, 28), 1) == day(2024, 2, 28));   // not snapped to the month's end
    CHECK(add_years(day(2025, 1, 31), 3) == day(2028, 1, 31));
    CHECK(throws_invalid([] { full_years(greg::date(), day(2025, 1, 1)); }, "not a date"));
    CHECK(throws_invalid([] { add_years(day(9998, 1, 1), 5); }, "year 10003"));
}

TEST_CASE("§4.1 names of levels, grades, thresholds and outcomes", "[certification]") {
    for (int i = 0; i < demo_level_count; ++i) {
        const auto v = static_cast<DemoLevel>(i);
        CHECK(parse_enum<DemoLevel>(to_string(v)) == v);
    }
    for (int i = 0; i < evaluation_grade_count; ++i) {
        const auto v = static_cast<EvaluationGrade>(i);
        CHECK(parse_enum<EvaluationGrade>(to_string(v)) == v);
    }
    CHECK(std::string(to_string(DemoLevel::provincial)) == "provincial");
    CHECK(std::string(to_string(EvaluationGrade::excellent)) == "excellent");
    CHECK(std::string(to_string(CertificationThreshold::years_recognised_below)) == "years_recognised_below");
    CHECK(std::string(to_string(RecognitionEnd::superseded)) == "superseded");
    CHECK(std::string(to_string(RecognitionReviewKind::withdrawn)) == "withdrawn");
    CHECK_FALSE(parse_enum<DemoLevel>("district").has_value());
    CHECK(std::string(to_string(static_cast<DemoLevel>(7))) == "?");
}
