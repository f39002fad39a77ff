// The simulation of alliance sharing (issue 8, psp/simulation.hpp): a scratch copy writes nothing,
// the same seed gives the same results bit for bit whatever the threads, the scenarios change what
// they should, results are stored and read back, and bad scenarios are refused by name.
#include <catch2/catch.hpp>

#include <atomic>
#include <cmath>

#include "fixtures.hpp"
#include "psp/simulation.hpp"
#include "psp/synth.hpp"

using namespace psp;
using psp::test::IsError;
using psp::test::TempFile;

namespace {

constexpr Time march_2027 = 1803859200 - 8 * 3600;   // 2027-03-01 00:00 in Hangzhou

// A synthetic district with booking configured, in a file: built once for the whole file.
const std::string& district_path() {
    static TempFile file("simulation_district");
    static const bool built = [] {
        auto db = Database::open(file.path().string());
        const auto office = Actor::office();
        db.import_network(office, synth::generate_city(synth::CityParams::for_scale(synth::Scale::district, 3)));
        synth::configure_booking(db, office, 3);
        db.transaction([&] {
            db.set_settlement_rule(office, AllianceId(), {9000, 1000, 0});
            for (const auto& a : db.alliances()) db.set_settlement_rule(office, a.id, {8500, 1000, 500});
        });
        return true;
    }();
    (void)built;
    static const std::string path = file.path().string();
    return path;
}

Scenario scenario(std::string name, SharingMode sharing, int days = 14) {
    Scenario s;
    s.name = std::move(name);
    s.sharing = sharing;
    s.horizon = {march_2027, march_2027 + Time{days} * 86400};
    s.hours_per_instrument = 1600;
    s.seed = 5;
    s.replications = 2;
    return s;
}

}  // namespace

TEST_CASE("A scratch copy takes every call but writes nothing to the file or its journal", "[simulation]") {
    auto db = Database::open(district_path());
    const test::Saved before(db);
    const auto journal_size = db.journal().size();
    {
        Time now = march_2027;
        OpenOptions o;
        o.clock = [&now] { return now; };
        auto copy = db.scratch_copy(o);
        const auto firm = copy.enterprises().front();
        ServiceRequest q;
        q.enterprise = firm.id;
        for (const auto& e : copy.equipment()) {   // a class an operating platform shares
            const Platform owner = copy.get(e.owner);
            if (owner.status == PlatformStatus::operating && owner.services.contains(ServiceKind::equipment_sharing)) {
                q.equipment_class = e.equipment_class;
                break;
            }
        }
        q.window = {march_2027 + 86400, march_2027 + 6 * 86400};
        q.minutes = 60;
        copy.set_training(Actor::office(), firm.id, q.equipment_class, true);
        const auto f = copy.fulfil(Actor::office(), q, {});
        INFO(f.reason);
        REQUIRE(f);
        CHECK(copy.get(f.served->booking).enterprise == firm.id);
        CHECK(copy.served_requests({march_2027, march_2027 + 30 * 86400}).size() == 1);
        Platform p = copy.platforms().front();
        p.name = "renamed in the copy";
        copy.update(Actor::office(), p);
        CHECK(copy.get(p.id).name == "renamed in the copy");
    }
    before.check_unchanged(db);
    CHECK(db.journal().size() == journal_size);
    CHECK(db.served_requests({march_2027, march_2027 + 30 * 86400}).empty());
}

TEST_CASE("Same seed, same results bit for bit, with one thread or two", "[simulation]") {
    auto db = Database::open(district_path());
    const std::vector<Scenario> scenarios{scenario("isolated", SharingMode::isolated), scenario("network", SharingMode::network)};
    SimulationOptions one, two;
    one.threads = 1;
    two.threads = 2;
    const auto a = db.simulate(scenarios, one);
    const auto b = db.simulate(scenarios, two);
    REQUIRE(a.size() == 2);
    CHECK(a == b);
    // Another seed gives other arrivals.
    auto other = scenarios;
    other[0].seed = 6;
    CHECK(db.simulate({other[0]}, one)[0].replications != a[0].replications);
    // Replications draw their own streams.
    CHECK(a[0].replications[0].seed != a[0].replications[1].seed);
    CHECK(a[0].replications[0].requests != a[0].replications[1].requests);
}

TEST_CASE("Sharing modes: platforms on their own never refer, the network serves at least as much", "[simulation]") {
    auto db = Database::open(district_path());
    auto isolated = scenario("isolated", SharingMode::isolated, 28);
    auto network = scenario("network", SharingMode::network, 28);
    const auto results = db.simulate({isolated, network});
    const ReplicationResult& iso = results[0].replications[0];
    const ReplicationResult& net = results[1].replications[0];
    // The same arrivals: same seed, same network.
    CHECK(iso.requests == net.requests);
    CHECK(iso.requests > 500);
    for (const auto* r : {&iso, &net}) {
        CHECK(r->served + r->unmet == r->requests);
        std::int64_t by_tier = 0;
        for (auto n : r->served_by_tier) by_tier += n;
        CHECK(by_tier == r->served);
        std::int64_t instruments = 0;
        for (auto n : r->utilisation_histogram) instruments += n;
        CHECK(instruments == static_cast<std::int64_t>(db.equipment().size()));
        CHECK(r->fulfilment_rate == Approx(double(r->served) / double(r->requests)));
        CHECK(r->mean_wait_hours >= 0);
        CHECK(r->p90_wait_hours >= 0);
    }
    CHECK(iso.referrals == 0);
    CHECK(iso.served_by_tier[1] + iso.served_by_tier[2] + iso.served_by_tier[3] + iso.served_by_tier[4] == 0);
    CHECK(iso.referral_fees == 0);
    CHECK(net.served >= iso.served);
    CHECK(net.referrals > 0);
    CHECK(net.referral_fees > 0);   // who serves, who benefits: the referring platforms earn
    CHECK(net.revenue > 0);
}

TEST_CASE("Without one-stop some enterprises give up at a referral, and vouchers pay part of the bill", "[simulation]") {
    auto db = Database::open(district_path());
    auto one_stop = scenario("one-stop", SharingMode::network, 28);
    one_stop.replications = 1;
    auto chasing = one_stop;
    chasing.name = "no one-stop";
    chasing.one_stop = false;
    chasing.referral_dropout = 1.0;   // nobody follows a referral
    auto no_vouchers = one_stop;
    no_vouchers.name = "no vouchers";
    no_vouchers.vouchers = false;
    const auto r = db.simulate({one_stop, chasing, no_vouchers});
    CHECK(r[1].replications[0].referrals == 0);
    CHECK(r[1].replications[0].gave_up > 0);
    CHECK(r[1].replications[0].served <= r[0].replications[0].served);
    CHECK(r[0].replications[0].voucher_spend > 0);
    CHECK(r[2].replications[0].voucher_spend == 0);
}

TEST_CASE("The joint review turns planned purchases to sharing, and rollout adds sub-platforms", "[simulation]") {
    auto db = Database::open(district_path());
    auto reviewed = scenario("reviewed", SharingMode::network, 28);
    reviewed.replications = 1;
    reviewed.planned_purchases = 10;
    auto unreviewed = reviewed;
    unreviewed.name = "unreviewed";
    unreviewed.joint_review = false;
    auto rollout = reviewed;
    rollout.name = "rollout";
    rollout.rollout_sub_platforms = 1;
    const auto r = db.simulate({reviewed, unreviewed, rollout});
    const auto& rev = r[0].replications[0];
    const auto& all = r[1].replications[0];
    CHECK(rev.purchases_planned == all.purchases_planned);
    CHECK(rev.purchases_made + rev.purchases_avoided == rev.purchases_planned);
    CHECK(all.purchases_avoided == 0);
    CHECK(all.purchases_made == all.purchases_planned);
    if (rev.purchases_avoided > 0) CHECK(rev.purchase_value_avoided > 0);
    CHECK(r[2].replications[0].sub_platforms_added > 0);
    // The source database is as it was: no sub-platform was added to it.
    CHECK(db.counts().platforms == 20);
}

TEST_CASE("Estimates: mean and Student's t half-width", "[simulation]") {
    const auto e = estimate({1.0, 2.0, 3.0, 4.0});
    CHECK(e.n == 4);
    CHECK(e.mean == Approx(2.5));
    CHECK(e.std_dev == Approx(std::sqrt(5.0 / 3.0)));
    CHECK(e.half_width == Approx(3.182 * std::sqrt(5.0 / 3.0) / 2.0));
    CHECK(estimate({7.0}).half_width == 0);
    CHECK(estimate({}).n == 0);
    CHECK_THROWS_MATCHES(metric(ReplicationResult{}, "happiness"), Error, IsError(ErrorCode::invalid, {"happiness"}));
    for (const auto& name : simulation_metric_names()) CHECK_NOTHROW(metric(ReplicationResult{}, name));
}

TEST_CASE("Runs are stored, journaled and read back after reopening, and results survive JSON", "[simulation]") {
    TempFile copy_file("simulation_saved");
    std::filesystem::copy_file(district_path(), copy_file.path());
    std::vector<ScenarioResult> results;
    SimulationRunId id;
    {
        auto db = Database::open(copy_file.path().string());
        results = db.simulate({scenario("network", SharingMode::network, 7)});
        CHECK(results_from_json(results_to_json(results)) == results);
        id = db.save_simulation(Actor::office(), "a week", results);
        CHECK(db.journal().back().entity == EntityKind::simulation);
        PSP_CHECK_REFUSED(db, db.save_simulation(Actor::anyone(), "no", results), IsError(ErrorCode::permission));
        PSP_CHECK_REFUSED(db, db.save_simulation(Actor::office(), "", results), IsError(ErrorCode::invalid, {"name"}));
        auto twice = results;
        twice.push_back(results[0]);
        PSP_CHECK_REFUSED(db, db.save_simulation(Actor::office(), "twice", twice), IsError(ErrorCode::invalid, {"used twice"}));
    }
    auto again = Database::open(copy_file.path().string());
    const SimulationRun run = again.simulation(id);
    CHECK(run.name == "a week");
    CHECK(run.scenarios == results);
    CHECK(again.simulations().size() == 1);
    CHECK_THROWS_MATCHES(again.simulation(SimulationRunId(99)), Error, IsError(ErrorCode::not_found));
}

TEST_CASE("Bad scenarios are refused naming the field, and the callback can stop a run", "[simulation]") {
    auto db = Database::open(district_path());
    auto bad = [&](auto change, std::initializer_list<std::string> words) {
        Scenario s = scenario("bad", SharingMode::network);
        change(s);
        CHECK_THROWS_MATCHES(db.simulate({s}), Error, IsError(ErrorCode::invalid, words));
    };
    bad([](Scenario& s) { s.name.clear(); }, {"name"});
    bad([](Scenario& s) { s.horizon = {s.horizon.end, s.horizon.start}; }, {"horizon"});
    bad([](Scenario& s) { s.horizon.end = s.horizon.start + 3600; }, {"horizon"});
    bad([](Scenario& s) { s.sharing = static_cast<SharingMode>(7); }, {"sharing"});
    bad([](Scenario& s) { s.replications = 0; }, {"replications"});
    bad([](Scenario& s) { s.referral_dropout = 1.5; }, {"referral_dropout"});
    bad([](Scenario& s) { s.budget_yuan_per_hour[1] = -1; }, {"budget_yuan_per_hour"});
    bad([](Scenario& s) { s.hours_per_instrument = std::nan(""); }, {"hours_per_instrument"});
    bad([](Scenario& s) { s.demand.cancel_probability = 2; }, {"cancel_probability"});
    bad([](Scenario& s) { s.policy.max_offers = 0; }, {"max_offers"});
    CHECK_THROWS_MATCHES(db.simulate({}), Error, IsError(ErrorCode::invalid, {"no scenario"}));
    CHECK_THROWS_MATCHES(db.simulate({scenario("x", SharingMode::network), scenario("x", SharingMode::isolated)}), Error,
                         IsError(ErrorCode::invalid, {"used twice"}));
    SimulationOptions negative;
    negative.threads = -1;
    CHECK_THROWS_MATCHES(db.simulate({scenario("x", SharingMode::network)}, negative), Error, IsError(ErrorCode::invalid, {"threads"}));

    std::atomic<int> calls{0};
    SimulationOptions stop;
    stop.progress = [&](const SimulationProgress& p) {
        CHECK(p.fraction >= 0);
        CHECK(p.fraction <= 1);
        ++calls;
        return false;
    };
    CHECK_THROWS_MATCHES(db.simulate({scenario("x", SharingMode::network, 60)}, stop), Error, IsError(ErrorCode::refused, {"stopped"}));
    CHECK(calls >= 1);

    CHECK_THROWS_MATCHES(scenarios_from_json(R"([{"name": "x", "from": "2027-03-01", "to": "2027-02-01"}])"), Error,
                         IsError(ErrorCode::invalid, {"/0/to"}));
    CHECK_THROWS_MATCHES(scenarios_from_json(R"([{"name": "x", "from": "2027-03-01", "to": "2027-03-09", "sharing": "all"}])"),
                         Error, IsError(ErrorCode::invalid, {"/0/sharing", "all"}));
    CHECK_THROWS_MATCHES(scenarios_from_json("{"), Error, IsError(ErrorCode::invalid, {"malformed"}));
    CHECK_THROWS_MATCHES(scenarios_from_json("[]"), Error, IsError(ErrorCode::invalid, {"no scenario"}));
    const auto parsed = scenarios_from_json(R"({"scenarios": [{"name": "x", "from": "2027-03-01", "to": "2027-03-14",
        "sharing": "alliances", "demand": {"yearly_requests": {"micro": 2}}, "seed": 9}]})");
    REQUIRE(parsed.size() == 1);
    CHECK(parsed[0].sharing == SharingMode::alliances);
    CHECK(parsed[0].horizon == Period{march_2027, march_2027 + 14 * 86400});
    CHECK(parsed[0].demand.yearly_requests[0] == 2);
    CHECK(scenarios_from_json(scenarios_to_json(parsed)) == parsed);
}
