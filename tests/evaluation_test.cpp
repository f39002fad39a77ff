// Evaluation (include/psp/evaluation.hpp): a worked example of four platforms checked by hand, the
// rules of normalisation, grading and ranking, the default tree, the validation errors, and random
// runs against the invariants (incentives sum to the budget, scores in 0–100, ranks a permutation).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "psp/error.hpp"
#include "psp/evaluation.hpp"

using namespace psp;

namespace {

bool throws_invalid(const auto& f, const std::string& fragment) {
    try {
        f();
    } catch (const Error& e) {
        if (e.code() != ErrorCode::invalid) return false;
        if (std::string(e.what()).find(fragment) != std::string::npos) return true;
        UNSCOPED_INFO("message: " << e.what());
        return false;
    }
    return false;
}

using S = EvaluationSource;

Indicator measured(const char* name, int bp, Normalisation n, Direction d, double target) {
    return {name, bp, true, {0, 0, 0}, n, d, target};
}

Indicator entered(const char* name, int bp, int self, int third_party, int public_rating) {
    return {name, bp, false, {self, third_party, public_rating}, Normalisation::target, Direction::higher_is_better, 100};
}

// The worked example's tree:
//   operation 40 %:  effective hours 60 % (measured, target 1600 h)
//                    upkeep          40 % (entered: self 20 %, third party 80 %)
//   sharing   60 %:  shared hours    50 % (measured, min–max across the four)
//                    response days   20 % (measured, target 2 days, lower is better)
//                    user ratings    30 % (entered: third party 40 %, public 60 %)
IndicatorTree small_tree() {
    IndicatorTree t;
    t.groups = {
        {"operation", 4000,
         {measured("effective hours", 6000, Normalisation::target, Direction::higher_is_better, 1600),
          entered("upkeep", 4000, 2000, 8000, 0)}},
        {"sharing", 6000,
         {measured("shared hours", 5000, Normalisation::min_max, Direction::higher_is_better, 1),
          measured("response days", 2000, Normalisation::target, Direction::lower_is_better, 2),
          entered("user ratings", 3000, 0, 4000, 6000)}},
    };
    t.tie_break = "sharing";
    return t;
}

struct Row {
    std::int64_t platform;
    double hours, upkeep_self, upkeep_third, shared, response, rating_third, rating_public;
};

std::vector<IndicatorValue> values_of(const std::vector<Row>& rows) {
    std::vector<IndicatorValue> out;
    for (const auto& r : rows) {
        const PlatformId p(r.platform);
        out.push_back({p, "effective hours", S::measured, r.hours});
        out.push_back({p, "upkeep", S::self, r.upkeep_self});
        out.push_back({p, "upkeep", S::third_party, r.upkeep_third});
        out.push_back({p, "shared hours", S::measured, r.shared});
        out.push_back({p, "response days", S::measured, r.response});
        out.push_back({p, "user ratings", S::third_party, r.rating_third});
        out.push_back({p, "user ratings", S::public_rating, r.rating_public});
    }
    return out;
}

EvaluationSpec worked_spec() {
    EvaluationSpec spec;
    spec.tree = small_tree();
    spec.platforms = {PlatformId(11), PlatformId(12), PlatformId(13), PlatformId(14)};
    spec.values = values_of({
        //  id  hours upk.self upk.3rd shared resp rat.3rd rat.public
        {11, 1800, 100, 90, 500, 1, 95, 90},
        {12, 1600, 75, 75, 400, 4, 60, 85},
        {13, 1200, 75, 75, 400, 2, 90, 65},
        {14, 400, 80, 20, 100, 8, 50, 40},
    });
    spec.budget = 1'000'006;   // fen
    spec.floor = 60;
    return spec;
}

const PlatformEvaluation& result(const EvaluationRun& run, std::int64_t platform) {
    const auto it = std::find_if(run.results.begin(), run.results.end(),
                                 [&](const PlatformEvaluation& r) { return r.platform == PlatformId(platform); });
    REQUIRE(it != run.results.end());
    return *it;
}

}  // namespace

TEST_CASE("A worked evaluation of four platforms, by hand", "[evaluation]") {
    // Normalised (0–1):
    //              hours            upkeep                 shared (min 100, max 500)   response (target 2)  ratings
    //   11   1800 → min(1800/1600,1) = 1    .2·100 + .8·90 = 92 → .92   500 → 1     1 ≤ 2 → 1         .4·95 + .6·90 = 92 → .92
    //   12   1600 → 1                       .2·75 + .8·75 = 75 → .75    400 → .75   4 → 2/4 = .5      .4·60 + .6·85 = 75 → .75
    //   13   1200 → .75                     75 → .75                    400 → .75   2 → 1             .4·90 + .6·65 = 75 → .75
    //   14    400 → .25                     .2·80 + .8·20 = 32 → .32    100 → 0     8 → 2/8 = .25     .4·50 + .6·40 = 44 → .44
    // Groups (0–100):
    //   operation = 100·(.6·hours + .4·upkeep)          sharing = 100·(.5·shared + .2·response + .3·ratings)
    //   11: 60 + 36.8 = 96.8                            50 + 20 + 27.6 = 97.6
    //   12: 60 + 30   = 90                              37.5 + 10 + 22.5 = 70
    //   13: 45 + 30   = 75                              37.5 + 20 + 22.5 = 80
    //   14: 15 + 12.8 = 27.8                            0 + 5 + 13.2 = 18.2
    // Score = .4·operation + .6·sharing:
    //   11: 38.72 + 58.56 = 97.28 → excellent
    //   12: 36 + 42 = 78         → good
    //   13: 30 + 48 = 78         → good; ties with 12, ranks above it on sharing (80 > 70)
    //   14: 11.12 + 10.92 = 22.04 → poor, flagged, no incentive
    // Ranking: 11, 13, 12, 14.
    // Incentive, floor 60, in hundredths of a point above it: 11: 9728 − 6000 = 3728; 13: 1800; 12: 1800;
    // W = 7328. Budget 1,000,006 fen:
    //   11: 1,000,006 · 3728 = 3,728,022,368 = 508,736 · 7328 + 4960
    //   13: 1,000,006 · 1800 = 1,800,010,800 = 245,634 · 7328 + 4848   (12 the same)
    //   floors sum to 508,736 + 2 · 245,634 = 1,000,004: 2 fen left, to the largest remainders: 11 (4960),
    //   then 13 before 12 (equal remainders, better rank). → 508,737 + 245,635 + 245,634 = 1,000,006.
    const auto run = evaluate(worked_spec());
    REQUIRE(run.results.size() == 4);
    CHECK(run.results[0].platform == PlatformId(11));
    CHECK(run.results[1].platform == PlatformId(13));
    CHECK(run.results[2].platform == PlatformId(12));
    CHECK(run.results[3].platform == PlatformId(14));
    for (int k = 0; k < 4; ++k) CHECK(run.results[static_cast<std::size_t>(k)].rank == k + 1);

    const auto& p11 = result(run, 11);
    CHECK(p11.score == 97.28);
    CHECK(p11.group_scores == std::vector<double>{96.8, 97.6});
    CHECK(p11.grade == EvaluationGrade::excellent);
    CHECK(p11.incentive == 508'737);
    CHECK_FALSE(p11.flagged);
    REQUIRE(p11.indicator_scores.size() == 5);
    CHECK(p11.indicator_scores[1] == Approx(92));

    const auto& p12 = result(run, 12);
    CHECK(p12.score == 78);
    CHECK(p12.group_scores == std::vector<double>{90, 70});
    CHECK(p12.grade == EvaluationGrade::good);
    CHECK(p12.incentive == 245'634);
    CHECK(p12.indicator_scores[3] == Approx(50));   // response 4 days against a target of 2

    const auto& p13 = result(run, 13);
    CHECK(p13.score == 78);
    CHECK(p13.group_scores == std::vector<double>{75, 80});
    CHECK(p13.grade == EvaluationGrade::good);
    CHECK(p13.incentive == 245'635);

    const auto& p14 = result(run, 14);
    CHECK(p14.score == 22.04);
    CHECK(p14.group_scores == std::vector<double>{27.8, 18.2});
    CHECK(p14.grade == EvaluationGrade::poor);
    CHECK(p14.flagged);
    CHECK(p14.incentive == 0);
    CHECK(p14.indicator_scores[2] == 0);   // the least shared hours under min–max

    CHECK(run.allocated == 1'000'006);
    CHECK(run.unallocated == 0);
    CHECK(run.flagged == 1);

    // The run keeps its inputs and replays to the same result.
    CHECK(run.spec == worked_spec());
    CHECK(evaluate(run.spec) == run);
    // The order of the inputs does not matter.
    auto shuffled = worked_spec();
    std::reverse(shuffled.values.begin(), shuffled.values.end());
    std::reverse(shuffled.platforms.begin(), shuffled.platforms.end());
    const auto again = evaluate(shuffled);
    REQUIRE(again.results.size() == 4);
    for (std::size_t k = 0; k < 4; ++k) {
        CHECK(again.results[k].platform == run.results[k].platform);
        CHECK(again.results[k].score == run.results[k].score);
        CHECK(again.results[k].incentive == run.results[k].incentive);
    }
}

TEST_CASE("Ties: sharing score, then platform id, grades at the thresholds", "[evaluation]") {
    IndicatorTree t;
    t.groups = {{"operation", 5000, {entered("upkeep", 10000, 0, 10000, 0)}},
                {"sharing", 5000, {entered("user ratings", 10000, 0, 0, 10000)}}};
    EvaluationSpec spec;
    spec.tree = t;
    // Scores (upkeep + ratings) / 2: 7 → (80 + 70)/2 = 75 (good, at the threshold exactly);
    // 5 → (70 + 80)/2 = 75, sharing 80 > 70: above 7; 9 and 3 → (60 + 60)/2 = 60 (pass, exactly),
    // equal sharing: id 3 first; 4 → 59.99 → poor; 8 → 90 excellent.
    const auto add = [&](std::int64_t id, double upkeep, double rating) {
        spec.platforms.push_back(PlatformId(id));
        spec.values.push_back({PlatformId(id), "upkeep", S::third_party, upkeep});
        spec.values.push_back({PlatformId(id), "user ratings", S::public_rating, rating});
    };
    add(7, 80, 70);
    add(5, 70, 80);
    add(9, 60, 60);
    add(3, 60, 60);
    add(4, 60, 59.98);
    add(8, 90, 90);
    spec.budget = 0;
    const auto run = evaluate(spec);
    std::vector<std::int64_t> order;
    for (const auto& r : run.results) order.push_back(r.platform.value);
    CHECK(order == std::vector<std::int64_t>{8, 5, 7, 3, 9, 4});
    CHECK(result(run, 8).grade == EvaluationGrade::excellent);
    CHECK(result(run, 7).grade == EvaluationGrade::good);
    CHECK(result(run, 5).grade == EvaluationGrade::good);
    CHECK(result(run, 3).grade == EvaluationGrade::pass);
    CHECK(result(run, 9).grade == EvaluationGrade::pass);
    CHECK(result(run, 4).score == 59.99);
    CHECK(result(run, 4).grade == EvaluationGrade::poor);
    CHECK(run.allocated == 0);
    CHECK(run.unallocated == 0);

    // Without a tie-break group, equal scores go by platform id.
    spec.tree.tie_break = "";
    const auto plain = evaluate(spec);
    CHECK(plain.results[1].platform == PlatformId(5));
    CHECK(plain.results[2].platform == PlatformId(7));

    // Other thresholds; nobody above the floor: the budget stays unallocated.
    spec.thresholds = {95, 80, 50};
    spec.budget = 5000;
    spec.floor = 95;
    const auto strict = evaluate(spec);
    CHECK(result(strict, 8).grade == EvaluationGrade::good);
    CHECK(result(strict, 4).grade == EvaluationGrade::pass);
    CHECK(strict.allocated == 0);
    CHECK(strict.unallocated == 5000);
    for (const auto& r : strict.results) CHECK(r.incentive == 0);
}

TEST_CASE("Min-max normalisation: direction, and no spread gives full marks", "[evaluation]") {
    IndicatorTree t;
    t.groups = {{"sharing", 10000,
                 {measured("queue days", 5000, Normalisation::min_max, Direction::lower_is_better, 1),
                  measured("flat", 5000, Normalisation::min_max, Direction::higher_is_better, 1)}}};
    EvaluationSpec spec;
    spec.tree = t;
    for (std::int64_t id : {1, 2, 3}) {
        spec.platforms.push_back(PlatformId(id));
        spec.values.push_back({PlatformId(id), "queue days", S::measured, 2.0 * static_cast<double>(id)});   // 2, 4, 6
        spec.values.push_back({PlatformId(id), "flat", S::measured, -7});   // same for all, negative allowed
    }
    const auto run = evaluate(spec);
    // queue days: (6 − v) / 4 → 1, .5, 0; flat → 1 for all. Scores 50·(q + 1): 100, 75, 50.
    CHECK(result(run, 1).score == 100);
    CHECK(result(run, 2).score == 75);
    CHECK(result(run, 3).score == 50);
    CHECK(result(run, 3).indicator_scores == std::vector<double>{0, 100});
    // One platform alone: every min–max indicator is full marks.
    spec.platforms = {PlatformId(2)};
    spec.values.erase(std::remove_if(spec.values.begin(), spec.values.end(),
                                     [](const IndicatorValue& v) { return v.platform != PlatformId(2); }),
                      spec.values.end());
    CHECK(evaluate(spec).results.at(0).score == 100);
}

TEST_CASE("The default tree", "[evaluation]") {
    const auto tree = default_tree();
    REQUIRE_NOTHROW(validate(tree));
    REQUIRE(tree.groups.size() == 4);
    CHECK(tree.groups[0].name == "management");
    CHECK(tree.groups[1].name == "operation");
    CHECK(tree.groups[2].name == "sharing");
    CHECK(tree.groups[3].name == "network");
    CHECK(tree.tie_break == "sharing");
    int groups = 0, leaves = 0, entered_count = 0;
    for (const auto& g : tree.groups) {
        groups += g.weight_bp;
        int sum = 0;
        CHECK(g.indicators.size() == 3);
        for (const auto& i : g.indicators) {
            sum += i.weight_bp;
            ++leaves;
            if (!i.measured) ++entered_count;
        }
        CHECK(sum == 10000);
    }
    CHECK(groups == 10000);
    CHECK(leaves == 12);
    CHECK(entered_count == 5);
    CHECK(EvaluationSpec{}.tree == tree);

    // Every platform perfect: 100 each, excellent, the budget split evenly (7 fen over 3: 3, 2, 2).
    EvaluationSpec spec;
    for (std::int64_t id : {1, 2, 3}) {
        spec.platforms.push_back(PlatformId(id));
        for (const auto& g : tree.groups) {
            for (const auto& i : g.indicators) {
                if (i.measured) {
                    spec.values.push_back({PlatformId(id), i.name, S::measured, i.target * 2});
                    continue;
                }
                for (int s = 0; s < 3; ++s) {
                    if (i.source_bp[static_cast<std::size_t>(s)] > 0) {
                        spec.values.push_back({PlatformId(id), i.name, static_cast<S>(s + 1), 100});
                    }
                }
            }
        }
    }
    spec.budget = 7;
    const auto run = evaluate(spec);
    for (const auto& r : run.results) {
        CHECK(r.score == 100);
        CHECK(r.grade == EvaluationGrade::excellent);
        CHECK(r.group_scores == std::vector<double>(4, 100));
    }
    CHECK(run.results[0].incentive == 3);
    CHECK(run.results[1].incentive == 2);
    CHECK(run.results[2].incentive == 2);
}

TEST_CASE("Tree validation names the indicator", "[evaluation]") {
    const auto check = [](auto edit, const std::string& fragment) {
        auto t = small_tree();
        edit(t);
        return throws_invalid([&] { validate(t); }, fragment);
    };
    CHECK(check([](IndicatorTree& t) { t.groups[0].weight_bp = 3999; }, "indicator tree: group weights sum to 9999 basis points, not 10000"));
    CHECK(check([](IndicatorTree& t) { t.groups[1].indicators[2].weight_bp = 2000; },
                "indicator group 'sharing': indicator weights sum to 9000 basis points"));
    CHECK(check([](IndicatorTree& t) { t.groups[0].indicators[1].source_bp = {2000, 7000, 0}; },
                "indicator 'upkeep' source weights sum to 9000"));
    CHECK(check([](IndicatorTree& t) { t.groups[0].indicators[1].source_bp = {0, 0, 0}; },
                "indicator 'upkeep' has no source"));
    CHECK(check([](IndicatorTree& t) { t.groups[0].indicators[0].source_bp = {0, 10000, 0}; },
                "indicator 'effective hours' is measured and takes no source weights"));
    CHECK(check([](IndicatorTree& t) { t.groups[1].indicators[2].name = "upkeep"; }, "duplicate name 'upkeep'"));
    CHECK(check([](IndicatorTree& t) { t.groups[1].indicators[0].name = "operation"; }, "duplicate name 'operation'"));
    CHECK(check([](IndicatorTree& t) { t.groups[1].name = "operation"; }, "duplicate name 'operation'"));
    CHECK(check([](IndicatorTree& t) { t.groups[0].indicators[0].name = ""; }, "indicator group 'operation' indicator 0: empty name"));
    CHECK(check([](IndicatorTree& t) { t.groups[0].weight_bp = -1; }, "indicator group 'operation' weight_bp: -1 is outside"));
    CHECK(check([](IndicatorTree& t) { t.groups[0].indicators[0].weight_bp = 10001; }, "indicator 'effective hours' weight_bp: 10001"));
    CHECK(check([](IndicatorTree& t) { t.groups[0].indicators[1].source_bp = {-1, 10001, 0}; }, "source_bp[self]: -1"));
    CHECK(check([](IndicatorTree& t) { t.groups[0].indicators[0].target = 0; }, "indicator 'effective hours' target: 0 is not"));
    CHECK(check([](IndicatorTree& t) { t.groups[0].indicators[0].target = std::numeric_limits<double>::infinity(); }, "target: inf"));
    CHECK(check([](IndicatorTree& t) { t.groups[1].indicators.clear(); }, "indicator group 'sharing': no indicator"));
    CHECK(check([](IndicatorTree& t) { t.groups.clear(); }, "indicator tree: no group"));
    CHECK(check([](IndicatorTree& t) { t.tie_break = "shared"; }, "indicator tree tie_break: 'shared' names no group"));
    CHECK(check([](IndicatorTree& t) { t.groups[0].indicators[0].direction = static_cast<Direction>(5); }, "direction: 5"));
    // min–max ignores the target.
    CHECK_FALSE(check([](IndicatorTree& t) { t.groups[1].indicators[0].target = -1; }, ""));
}

TEST_CASE("Evaluation inputs: validation names the indicator and the platform", "[evaluation]") {
    const auto check = [](auto edit, const std::string& fragment) {
        auto spec = worked_spec();
        edit(spec);
        return throws_invalid([&] { evaluate(spec); }, fragment);
    };
    const auto find = [](EvaluationSpec& s, std::int64_t p, const std::string& ind, S src) -> IndicatorValue& {
        for (auto& v : s.values) {
            if (v.platform == PlatformId(p) && v.indicator == ind && v.source == src) return v;
        }
        throw std::logic_error("no such value");
    };
    CHECK(check([&](EvaluationSpec& s) { s.values.erase(s.values.begin() + 8); },   // 12's upkeep by self
                "indicator 'upkeep', platform 12: no self value"));
    CHECK(check([&](EvaluationSpec& s) { s.values.erase(s.values.begin() + 3); },
                "indicator 'shared hours', platform 11: no measured value"));
    CHECK(check([&](EvaluationSpec& s) { find(s, 13, "user ratings", S::public_rating).value = 100.5; },
                "indicator 'user ratings', platform 13: public_rating score 100.5 is outside 0..100"));
    CHECK(check([&](EvaluationSpec& s) { find(s, 13, "upkeep", S::self).value = -1; },
                "indicator 'upkeep', platform 13: self score -1 is outside 0..100"));
    CHECK(check([&](EvaluationSpec& s) { find(s, 12, "effective hours", S::measured).value = std::nan(""); },
                "indicator 'effective hours', platform 12: measured value nan is not finite"));
    CHECK(check([&](EvaluationSpec& s) { find(s, 12, "effective hours", S::measured).value = -5; },
                "indicator 'effective hours', platform 12: measured value -5 is negative"));
    CHECK_FALSE(check([&](EvaluationSpec& s) { find(s, 12, "shared hours", S::measured).value = -5; }, ""));   // min–max
    CHECK(check([&](EvaluationSpec& s) { s.values.push_back({PlatformId(14), "upkeep", S::public_rating, 50}); },
                "indicator 'upkeep', platform 14: the indicator takes no public_rating value"));
    CHECK(check([&](EvaluationSpec& s) { s.values.push_back({PlatformId(14), "shared hours", S::self, 50}); },
                "indicator 'shared hours', platform 14: the indicator takes no self value"));
    CHECK(check([&](EvaluationSpec& s) { s.values.push_back({PlatformId(14), "shared hours", S::measured, 50}); },
                "indicator 'shared hours', platform 14: measured value given twice"));
    CHECK(check([&](EvaluationSpec& s) { s.values.push_back({PlatformId(14), "openness", S::self, 50}); },
                "evaluation values[28]: indicator 'openness' is not in the tree (platform 14)"));
    CHECK(check([&](EvaluationSpec& s) { s.values.push_back({PlatformId(15), "upkeep", S::self, 50}); },
                "indicator 'upkeep', platform 15: the platform is not in the evaluated set"));
    CHECK(check([&](EvaluationSpec& s) { s.values.push_back({PlatformId(14), "upkeep", static_cast<S>(7), 50}); },
                "indicator 'upkeep', platform 14: source 7 is not a source"));
    CHECK(check([&](EvaluationSpec& s) { s.platforms.push_back(PlatformId(15)); },
                "indicator 'effective hours', platform 15: no measured value"));
    CHECK(check([&](EvaluationSpec& s) { s.platforms.push_back(PlatformId(12)); }, "evaluation platforms: platform 12 listed twice"));
    CHECK(check([&](EvaluationSpec& s) { s.platforms[0] = PlatformId(0); }, "evaluation platforms[0]: id 0 is not positive"));
    CHECK(check([&](EvaluationSpec& s) { s.platforms.clear(); }, "evaluation platforms: none to evaluate"));
    CHECK(check([&](EvaluationSpec& s) { s.budget = -1; }, "evaluation budget: -1 fen is negative"));
    CHECK(check([&](EvaluationSpec& s) { s.floor = 100.5; }, "evaluation floor: 100.5 is outside 0..100"));
    CHECK(check([&](EvaluationSpec& s) { s.thresholds.good = 95; }, "grade thresholds: pass 60 <= good 95 <= excellent 90 does not hold"));
    CHECK(check([&](EvaluationSpec& s) { s.thresholds.excellent = 101; }, "grade thresholds excellent: 101 is outside 0..100"));
    CHECK(check([&](EvaluationSpec& s) { s.tree.groups[0].weight_bp = 5000; }, "group weights sum to 11000"));
}

TEST_CASE("Largest remainder", "[evaluation]") {
    const std::vector<std::int64_t> thirds{1, 1, 1};
    CHECK(largest_remainder(100, thirds) == std::vector<Fen>{34, 33, 33});
    CHECK(largest_remainder(0, thirds) == std::vector<Fen>{0, 0, 0});
    CHECK(largest_remainder(100, std::vector<std::int64_t>{0, 0}) == std::vector<Fen>{0, 0});
    CHECK(largest_remainder(100, std::vector<std::int64_t>{}).empty());
    // 10 · 1/6 = 1.67, 10 · 2/6 = 3.33, 10 · 3/6 = 5: floors 1 + 3 + 5 = 9, the fen to the first (.67).
    CHECK(largest_remainder(10, std::vector<std::int64_t>{1, 2, 3}) == std::vector<Fen>{2, 3, 5});
    // No overflow: the products need 128 bits.
    const Fen big = std::numeric_limits<Fen>::max();
    const auto parts = largest_remainder(big, std::vector<std::int64_t>{big / 2, big / 2, 1});
    CHECK(parts == std::vector<Fen>{big / 2, big / 2, 1});   // W = big: each part is its weight
    CHECK(throws_invalid([] { largest_remainder(-1, std::vector<std::int64_t>{1}); }, "incentive budget: -1"));
    CHECK(throws_invalid([] { largest_remainder(1, std::vector<std::int64_t>{1, -2}); }, "incentive weights[1]: -2"));
    CHECK(throws_invalid([&] { largest_remainder(1, std::vector<std::int64_t>{big, 1}); }, "does not fit in 64 bits"));
}

TEST_CASE("Random evaluations keep their invariants", "[evaluation]") {
    std::mt19937_64 rng(20250307);
    const auto uniform = [&rng](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
    const auto tree = default_tree();
    for (int round = 0; round < 150; ++round) {
        EvaluationSpec spec;
        const int n = 1 + static_cast<int>(rng() % 40);
        const bool coarse = rng() % 3 == 0;   // few distinct values: many ties
        for (int k = 0; k < n; ++k) {
            const PlatformId id(1 + static_cast<std::int64_t>(rng() % 1000) * 100 + k);   // unique, unordered
            spec.platforms.push_back(id);
            for (const auto& g : tree.groups) {
                for (const auto& i : g.indicators) {
                    const auto value = [&](double hi) { return coarse ? std::round(uniform(0, 3)) * hi / 3 : uniform(0, hi); };
                    if (i.measured) {
                        spec.values.push_back({id, i.name, S::measured, value(i.target * 1.5)});
                        continue;
                    }
                    for (int s = 0; s < 3; ++s) {
                        if (i.source_bp[static_cast<std::size_t>(s)] > 0) spec.values.push_back({id, i.name, static_cast<S>(s + 1), value(100)});
                    }
                }
            }
        }
        std::shuffle(spec.values.begin(), spec.values.end(), rng);
        spec.budget = static_cast<Fen>(rng() % 100'000'000'000ULL);
        spec.floor = std::round(uniform(0, 90) * 100) / 100;
        spec.thresholds.pass = std::round(uniform(20, 60));
        const auto run = evaluate(spec);

        REQUIRE(run.results.size() == static_cast<std::size_t>(n));
        Fen paid = 0;
        bool eligible = false;
        std::set<std::int64_t> ids;
        for (std::size_t k = 0; k < run.results.size(); ++k) {
            const auto& r = run.results[k];
            ids.insert(r.platform.value);
            CHECK(r.rank == static_cast<int>(k + 1));
            CHECK(r.score >= 0);
            CHECK(r.score <= 100);
            CHECK(std::round(r.score * 100) / 100 == r.score);
            for (double g : r.group_scores) {
                CHECK(g >= 0);
                CHECK(g <= 100);
            }
            if (k > 0) {
                const auto& prev = run.results[k - 1];
                CHECK(prev.score >= r.score);
                if (prev.score == r.score) {
                    CHECK(prev.group_scores[2] >= r.group_scores[2]);
                    if (prev.group_scores[2] == r.group_scores[2]) CHECK(prev.platform < r.platform);
                }
            }
            CHECK(r.flagged == (r.grade == EvaluationGrade::poor));
            CHECK(r.flagged == (r.score < spec.thresholds.pass));
            CHECK(r.incentive >= 0);
            if (r.flagged || r.score <= spec.floor) CHECK(r.incentive == 0);
            else eligible = true;
            paid += r.incentive;
        }
        CHECK(ids.size() == static_cast<std::size_t>(n));   // every platform ranked once
        CHECK(std::set<std::int64_t>(ids) == [&] {
            std::set<std::int64_t> s;
            for (auto p : spec.platforms) s.insert(p.value);
            return s;
        }());
        CHECK(paid == run.allocated);
        CHECK(run.allocated + run.unallocated == spec.budget);
        CHECK(run.unallocated == (eligible ? 0 : spec.budget));
    }
}
