// JSON of evaluation (src/json/evaluation_json.hpp, docs/evaluation-json.md; policy §4.3 完善激励机制):
// trees, values, specs and whole runs round-trip exactly, doubles included, so a stored run can be
// audited and replayed; the readers are strict and name the JSON path of what they refuse.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "json/evaluation_json.hpp"
#include "psp/error.hpp"
#include "psp/evaluation.hpp"

using namespace psp;
using Json = nlohmann::json;

namespace {

// True when f throws Error(invalid) whose message starts with "<path>: " and contains `fragment`.
bool throws_at(const auto& f, const std::string& path, const std::string& fragment) {
    try {
        f();
    } catch (const Error& e) {
        const std::string message = e.what();
        UNSCOPED_INFO("message: " << message);
        return e.code() == ErrorCode::invalid && message.rfind(path + ": ", 0) == 0 && message.find(fragment) != std::string::npos;
    }
    UNSCOPED_INFO("nothing thrown");
    return false;
}

using S = EvaluationSource;

Indicator measured(const char* name, int bp, Normalisation n, Direction d, double target) {
    return {name, bp, true, {0, 0, 0}, n, d, target};
}

Indicator entered(const char* name, int bp, int self, int third_party, int public_rating) {
    return {name, bp, false, {self, third_party, public_rating}, Normalisation::target, Direction::higher_is_better, 100};
}

// Two groups, every normalisation and direction, every source.
IndicatorTree small_tree() {
    IndicatorTree t;
    t.groups = {
        {"operation", 4000,
         {measured("effective hours", 6000, Normalisation::target, Direction::higher_is_better, 1600),
          entered("upkeep", 4000, 2000, 8000, 0)}},
        {"sharing", 6000,
         {measured("shared hours", 5000, Normalisation::min_max, Direction::higher_is_better, 1),
          measured("response days", 2000, Normalisation::target, Direction::lower_is_better, 2),
          entered("user ratings", 3000, 1000, 3000, 6000)}},
    };
    return t;
}

// Three platforms with values that leave long binary fractions in the indicator scores.
EvaluationSpec small_spec() {
    EvaluationSpec spec;
    spec.tree = small_tree();
    spec.platforms = {PlatformId(7), PlatformId(3), PlatformId(12)};
    struct Row {
        std::int64_t id;
        double hours, upk_self, upk_third, shared, response, rat_self, rat_third, rat_public;
    };
    const Row rows[] = {
        {7, 1234.5678, 81.3, 77.7, 333.3, 1.7, 90, 88.8, 71.1},
        {3, 1700, 60, 66.6, 100.1, 3.3, 70, 55.5, 64.9},
        {12, 401.2, 99.9, 91.1, 812.25, 0.9, 100, 97.3, 93.7},
    };
    for (const auto& r : rows) {
        const PlatformId p(r.id);
        spec.values.push_back({p, "effective hours", S::measured, r.hours});
        spec.values.push_back({p, "upkeep", S::self, r.upk_self});
        spec.values.push_back({p, "upkeep", S::third_party, r.upk_third});
        spec.values.push_back({p, "shared hours", S::measured, r.shared});
        spec.values.push_back({p, "response days", S::measured, r.response});
        spec.values.push_back({p, "user ratings", S::self, r.rat_self});
        spec.values.push_back({p, "user ratings", S::third_party, r.rat_third});
        spec.values.push_back({p, "user ratings", S::public_rating, r.rat_public});
    }
    spec.thresholds = {88.5, 70.25, 55};
    spec.budget = 1'000'003;
    spec.floor = 50.5;
    return spec;
}

// Through text, as the Database stores it and the C ABI passes it.
Json through_text(const Json& j) { return Json::parse(j.dump()); }

}  // namespace

TEST_CASE("§4.3 evaluation JSON: the default tree round-trips", "[evaluation][json]") {
    const auto tree = default_tree();
    const auto j = json::to_json(tree);
    CHECK(j.at("tie_break") == "sharing");
    REQUIRE(j.at("groups").size() == 4);
    const auto& online = j.at("groups").at(0).at("indicators").at(2);
    CHECK(online.at("name") == "online service");
    CHECK(online.at("measured") == true);
    CHECK(online.at("normalisation") == "target");
    CHECK(online.at("direction") == "higher_is_better");
    CHECK(online.at("target") == 0.9);
    CHECK(online.at("source_bp") == Json{{"self", 0}, {"third_party", 0}, {"public_rating", 0}});
    const auto& openness = j.at("groups").at(0).at("indicators").at(0);
    CHECK(openness.at("source_bp") == Json{{"self", 3000}, {"third_party", 7000}, {"public_rating", 0}});
    CHECK(j.at("groups").at(2).at("indicators").at(0).at("normalisation") == "min_max");

    CHECK(json::tree_from_json(j) == tree);
    CHECK(json::tree_from_json(through_text(j)) == tree);
    CHECK(json::tree_from_json(through_text(json::to_json(small_tree()))) == small_tree());
}

TEST_CASE("§4.3 evaluation JSON: missing optional fields take the defaults", "[evaluation][json]") {
    const auto j = Json::parse(R"({"groups": [
        {"name": "operation", "weight_bp": 10000, "indicators": [
            {"name": "effective hours", "weight_bp": 5000, "measured": true, "target": 1600},
            {"name": "upkeep", "weight_bp": 5000, "source_bp": {"third_party": 10000}}]}],
        "tie_break": ""})");
    const auto tree = json::tree_from_json(j);
    REQUIRE(tree.groups.size() == 1);
    const auto& hours = tree.groups[0].indicators[0];
    CHECK(hours.measured);
    CHECK(hours.source_bp == std::array<int, 3>{0, 0, 0});
    CHECK(hours.normalisation == Normalisation::target);
    CHECK(hours.direction == Direction::higher_is_better);
    CHECK(hours.target == 1600);
    const auto& upkeep = tree.groups[0].indicators[1];
    CHECK_FALSE(upkeep.measured);
    CHECK(upkeep.source_bp == std::array<int, 3>{0, 10000, 0});
    CHECK(upkeep.target == 100);
    CHECK(tree.tie_break.empty());

    // tie_break defaults to "sharing", which this tree has not.
    auto no_tie_break = j;
    no_tie_break.erase("tie_break");
    CHECK(throws_at([&] { json::tree_from_json(no_tie_break, "/tree"); }, "/tree", "'sharing' names no group"));

    // A spec needs only its platforms: the default tree, thresholds, budget 0 and floor 60.
    const auto spec = json::spec_from_json(Json::parse(R"({"platforms": [4, 2]})"));
    CHECK(spec.tree == default_tree());
    CHECK(spec.platforms == std::vector<PlatformId>{PlatformId(4), PlatformId(2)});
    CHECK(spec.values.empty());
    CHECK(spec.thresholds == GradeThresholds{});
    CHECK(spec.budget == 0);
    CHECK(spec.floor == 60);

    // A value's source defaults to measured.
    const auto values = json::values_from_json(Json::parse(R"([{"platform": 1, "indicator": "x", "value": 2}])"));
    CHECK(values == std::vector<IndicatorValue>{{PlatformId(1), "x", S::measured, 2}});
}

TEST_CASE("§4.3 evaluation JSON: doubles round-trip exactly", "[evaluation][json]") {
    const std::vector<double> awkward{0.1,
                                      0.2,
                                      0.1 + 0.2,
                                      1.0 / 3,
                                      2.0 / 3,
                                      1e-17,
                                      97.28,
                                      100 * (0.6 * 0.92 + 0.4 * 0.75),
                                      std::nextafter(1.0, 2.0),
                                      std::numeric_limits<double>::denorm_min(),
                                      std::numeric_limits<double>::min(),
                                      std::numeric_limits<double>::max(),
                                      -0.0,
                                      1e21,
                                      123456789.123456789};
    std::vector<IndicatorValue> values;
    for (std::size_t k = 0; k < awkward.size(); ++k) {
        values.push_back({PlatformId(static_cast<std::int64_t>(k) + 1), "x", S::measured, awkward[k]});
    }
    const auto back = json::values_from_json(through_text(json::to_json(values)));
    REQUIRE(back.size() == awkward.size());
    for (std::size_t k = 0; k < awkward.size(); ++k) {
        INFO("k = " << k);
        CHECK(back[k].value == awkward[k]);
        CHECK(std::signbit(back[k].value) == std::signbit(awkward[k]));
    }
    const GradeThresholds thresholds{1.0 / 3 + 89, 0.1 + 74.2, 60.000000000000007};
    CHECK(json::thresholds_from_json(through_text(json::to_json(thresholds))) == thresholds);
}

TEST_CASE("§4.3 evaluation JSON: a spec and its run round-trip, results read back as written", "[evaluation][json]") {
    const auto spec = small_spec();
    const auto sj = json::to_json(spec);
    CHECK(sj.at("platforms") == Json{7, 3, 12});
    CHECK(sj.at("budget") == 1'000'003);
    CHECK(sj.at("values").at(1) == Json{{"platform", 7}, {"indicator", "upkeep"}, {"source", "self"}, {"value", 81.3}});
    CHECK(json::spec_from_json(through_text(sj)) == spec);

    const auto run = evaluate(spec);
    REQUIRE(run.results.size() == 3);
    const auto rj = json::to_json(run);
    CHECK(rj.at("spec") == sj);
    REQUIRE(rj.at("results").size() == 3);
    const auto& first = rj.at("results").at(0);
    CHECK(first.at("platform") == run.results[0].platform.value);
    CHECK(first.at("rank") == 1);
    CHECK(first.at("grade") == to_string(run.results[0].grade));
    CHECK(first.at("group_scores").size() == 2);
    CHECK(first.at("indicator_scores").size() == 5);
    CHECK(rj.at("allocated") == run.allocated);
    CHECK(rj.at("unallocated") == run.unallocated);
    CHECK(rj.at("flagged") == run.flagged);

    const auto back = json::run_from_json(through_text(rj));
    CHECK(back == run);
    CHECK(evaluate(back.spec) == run);   // replayable

    // Nothing is recomputed: a stored score reads back as stored (an audit sees what was published).
    auto edited = rj;
    edited["results"][0]["score"] = 12.34;
    CHECK(json::run_from_json(edited).results[0].score == 12.34);

    // A run with nobody above the floor keeps the whole budget unallocated and flags the poor.
    auto harsh = spec;
    harsh.thresholds = {100, 100, 100};
    harsh.floor = 100;
    const auto harsh_run = evaluate(harsh);
    CHECK(harsh_run.flagged == 3);
    CHECK(harsh_run.unallocated == harsh.budget);
    CHECK(json::run_from_json(through_text(json::to_json(harsh_run))) == harsh_run);

    // And the worked tree of the default: one value per input it asks, every platform.
    EvaluationSpec full;
    full.platforms = {PlatformId(1), PlatformId(2), PlatformId(3)};
    for (const auto p : full.platforms) {
        for (const auto& g : full.tree.groups) {
            for (const auto& i : g.indicators) {
                const double base = static_cast<double>(p.value) / 7;
                if (i.measured) {
                    full.values.push_back({p, i.name, S::measured, base * i.target});
                    continue;
                }
                for (int s = 0; s < 3; ++s) {
                    if (i.source_bp[static_cast<std::size_t>(s)] > 0) {
                        full.values.push_back({p, i.name, static_cast<S>(s + 1), 100 * base + s});
                    }
                }
            }
        }
    }
    full.budget = 99;
    const auto full_run = evaluate(full);
    CHECK(json::run_from_json(through_text(json::to_json(full_run))) == full_run);
}

TEST_CASE("§4.3 evaluation JSON: strict readers name the path", "[evaluation][json]") {
    const auto tree = json::to_json(small_tree());
    using json::tree_from_json;

    SECTION("unknown keys") {
        auto j = tree;
        j["groups"][1]["indicators"][0]["colour"] = "blue";
        CHECK(throws_at([&] { tree_from_json(j); }, "/groups/1/indicators/0/colour", "unknown key"));
        j = tree;
        j["groups"][0]["indicators"][1]["source_bp"]["peer"] = 0;
        CHECK(throws_at([&] { tree_from_json(j, "/tree"); }, "/tree/groups/0/indicators/1/source_bp/peer", "unknown key"));
        j = tree;
        j["weights"] = Json::array();
        CHECK(throws_at([&] { tree_from_json(j); }, "/weights", "unknown key"));
        auto spec = json::to_json(small_spec());
        spec["values"][5]["unit"] = "h";
        CHECK(throws_at([&] { json::spec_from_json(spec); }, "/values/5/unit", "unknown key"));
    }

    SECTION("weights that do not sum to 10000 name the group") {
        auto j = tree;
        j["groups"][1]["indicators"][0]["weight_bp"] = 4000;
        CHECK(throws_at([&] { tree_from_json(j); }, "/", "indicator group 'sharing': indicator weights sum to 9000"));
        auto spec = json::to_json(small_spec());
        spec["tree"] = j;
        CHECK(throws_at([&] { json::spec_from_json(spec); }, "/tree", "indicator group 'sharing'"));
        j = tree;
        j["groups"][0]["weight_bp"] = 3000;
        CHECK(throws_at([&] { tree_from_json(j); }, "/", "group weights sum to 9000"));
        j = tree;
        j["groups"][0]["indicators"][1]["source_bp"]["self"] = 0;
        CHECK(throws_at([&] { tree_from_json(j); }, "/", "indicator 'upkeep' source weights sum to 8000"));
    }

    SECTION("unknown names") {
        auto values = json::to_json(small_spec().values);
        values[3]["source"] = "peer_review";
        CHECK(throws_at([&] { json::values_from_json(values, "/values"); }, "/values/3/source", "unknown value 'peer_review'"));
        auto j = tree;
        j["groups"][1]["indicators"][1]["direction"] = "lower";
        CHECK(throws_at([&] { tree_from_json(j); }, "/groups/1/indicators/1/direction", "unknown value 'lower'"));
        j = tree;
        j["groups"][1]["indicators"][0]["normalisation"] = "z_score";
        CHECK(throws_at([&] { tree_from_json(j); }, "/groups/1/indicators/0/normalisation", "unknown value 'z_score'"));
        auto run = json::to_json(evaluate(small_spec()));
        run["results"][2]["grade"] = "outstanding";
        CHECK(throws_at([&] { json::run_from_json(run); }, "/results/2/grade", "unknown value 'outstanding'"));
    }

    SECTION("values must be finite numbers") {
        auto values = json::to_json(small_spec().values);
        values[0]["value"] = nullptr;   // what nlohmann writes for NaN
        CHECK(throws_at([&] { json::values_from_json(values); }, "/0/value", "expected a number, got null"));
        values[0]["value"] = "NaN";
        CHECK(throws_at([&] { json::values_from_json(values); }, "/0/value", "expected a number, got string"));
        values[0]["value"] = std::numeric_limits<double>::infinity();   // only a json built in memory holds one
        CHECK(throws_at([&] { json::values_from_json(values); }, "/0/value", "not a finite number"));
        values[0].erase("value");
        CHECK(throws_at([&] { json::values_from_json(values); }, "/0/value", "missing"));
        auto j = tree;
        j["groups"][0]["indicators"][0]["target"] = std::numeric_limits<double>::quiet_NaN();
        CHECK(throws_at([&] { tree_from_json(j); }, "/groups/0/indicators/0/target", "not a finite number"));
        auto run = json::to_json(evaluate(small_spec()));
        run["results"][1]["indicator_scores"][4] = "high";
        CHECK(throws_at([&] { json::run_from_json(run); }, "/results/1/indicator_scores/4", "expected a number, got string"));
    }

    SECTION("wrong types") {
        auto j = tree;
        j["groups"][1]["indicators"][0]["weight_bp"] = "5000";
        CHECK(throws_at([&] { tree_from_json(j); }, "/groups/1/indicators/0/weight_bp", "expected an integer, got string"));
        j = tree;
        j["groups"][0]["weight_bp"] = 40.5;
        CHECK(throws_at([&] { tree_from_json(j); }, "/groups/0/weight_bp", "expected an integer, got number"));
        j = tree;
        j["groups"][0]["indicators"][0]["measured"] = 1;
        CHECK(throws_at([&] { tree_from_json(j); }, "/groups/0/indicators/0/measured", "expected true or false"));
        j = tree;
        j["groups"][0]["indicators"] = Json::object();
        CHECK(throws_at([&] { tree_from_json(j); }, "/groups/0/indicators", "expected an array, got object"));
        j = tree;
        j["groups"][0]["indicators"][0]["source_bp"] = Json::array({0, 0, 0});
        CHECK(throws_at([&] { tree_from_json(j); }, "/groups/0/indicators/0/source_bp", "expected an object, got array"));
        CHECK(throws_at([&] { tree_from_json(Json::array()); }, "/", "expected an object, got array"));
        CHECK(throws_at([&] { json::values_from_json(Json::object(), "/values"); }, "/values", "expected an array, got object"));

        auto spec = json::to_json(small_spec());
        auto bad = spec;
        bad["budget"] = 10.5;   // fen are integers
        CHECK(throws_at([&] { json::spec_from_json(bad); }, "/budget", "expected an integer, got number"));
        bad = spec;
        bad["platforms"][1] = "3";
        CHECK(throws_at([&] { json::spec_from_json(bad); }, "/platforms/1", "expected an integer, got string"));
        bad = spec;
        bad["values"][2]["platform"] = 0;
        CHECK(throws_at([&] { json::spec_from_json(bad); }, "/values/2/platform", "ids are positive integers"));
        bad = spec;
        bad["floor"] = true;
        CHECK(throws_at([&] { json::spec_from_json(bad); }, "/floor", "expected a number, got boolean"));
        bad = spec;
        bad["thresholds"]["good"] = "75";
        CHECK(throws_at([&] { json::spec_from_json(bad); }, "/thresholds/good", "expected a number, got string"));
    }

    SECTION("spec rules") {
        auto spec = json::to_json(small_spec());
        auto bad = spec;
        bad["platforms"][2] = 7;
        CHECK(throws_at([&] { json::spec_from_json(bad); }, "/platforms/2", "platform 7 listed twice"));
        bad = spec;
        bad["platforms"] = Json::array();
        CHECK(throws_at([&] { json::spec_from_json(bad); }, "/platforms", "none to evaluate"));
        bad = spec;
        bad.erase("platforms");
        CHECK(throws_at([&] { json::spec_from_json(bad); }, "/platforms", "missing"));
        bad = spec;
        bad["budget"] = -1;
        CHECK(throws_at([&] { json::spec_from_json(bad); }, "/budget", "-1 fen is negative"));
        bad = spec;
        bad["floor"] = 100.5;
        CHECK(throws_at([&] { json::spec_from_json(bad); }, "/floor", "outside 0..100"));
        bad = spec;
        bad["thresholds"]["pass"] = 80;
        CHECK(throws_at([&] { json::spec_from_json(bad); }, "/thresholds", "pass 80 <= good 70.25"));
        bad = spec;
        bad["thresholds"]["excellent"] = 101;
        CHECK(throws_at([&] { json::spec_from_json(bad); }, "/thresholds/excellent", "101 is outside 0..100"));
    }

    SECTION("a run's bookkeeping") {
        const auto run = json::to_json(evaluate(small_spec()));
        auto bad = run;
        bad["results"].erase(2);
        CHECK(throws_at([&] { json::run_from_json(bad); }, "/results", "2 results for 3 evaluated platforms"));
        bad = run;
        bad["results"][1]["platform"] = bad["results"][0]["platform"];
        CHECK(throws_at([&] { json::run_from_json(bad); }, "/results/1/platform", "has two results"));
        bad = run;
        std::swap(bad["results"][0], bad["results"][1]);
        CHECK(throws_at([&] { json::run_from_json(bad); }, "/results/0/rank", "rank 2 at position 0"));
        bad = run;
        bad["results"][0]["group_scores"].push_back(50);
        CHECK(throws_at([&] { json::run_from_json(bad); }, "/results/0/group_scores", "3 scores for 2 groups"));
        bad = run;
        bad["results"][0]["incentive"] = bad["results"][0]["incentive"].get<std::int64_t>() - 1;
        CHECK(throws_at([&] { json::run_from_json(bad); }, "/allocated", "but the incentives sum to"));
        bad = run;
        bad["results"][0]["incentive"] = 2'000'000;
        CHECK(throws_at([&] { json::run_from_json(bad); }, "/results/0/incentive", "sum beyond the budget"));
        bad = run;
        bad["unallocated"] = 5;
        CHECK(throws_at([&] { json::run_from_json(bad); }, "/unallocated", "budget less the allocated"));
        bad = run;
        bad["flagged"] = 3;
        CHECK(throws_at([&] { json::run_from_json(bad); }, "/flagged", "results are flagged"));
        bad = run;
        bad.erase("spec");
        CHECK(throws_at([&] { json::run_from_json(bad, "/runs/4"); }, "/runs/4/spec", "missing"));
    }
}
