// Issue 6 "Performance" (rollout part) at region scale (3,000 platforms, 30,000 equipment): a joint
// review of a purchase (median, target <= 1 ms) and a 50-sub-platform rollout plan (target <= 2 s).
//   psp_rollout [--reviews N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "psp/psp.hpp"
#include "timing.hpp"

using psp::bench::Clock;
using psp::bench::median;
using psp::bench::seconds_since;
using namespace psp;

namespace {
}  // namespace

int main(int argc, char** argv) {
    int reviews = 2000;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--reviews" && i + 1 < argc) reviews = std::stoi(argv[++i]);
        else {
            std::fprintf(stderr, "usage: %s [--reviews N]\n", argv[0]);
            return 2;
        }
    }
    Time now = 1741536000;   // 2025-03-10
    OpenOptions options;
    options.clock = [&now] { return now; };
    auto db = Database::open(":memory:", options);
    const Actor office = Actor::office();
    const auto t0 = Clock::now();
    db.import_network(office, synth::generate_city(synth::CityParams::for_scale(synth::Scale::region, 1)));
    const auto zones = db.zones();
    const auto classes = db.equipment_classes();
    const auto platforms = db.platforms();
    std::printf("region: %zu platforms, %zu equipment, %zu zones, loaded in %.1f s\n", platforms.size(),
                db.equipment().size(), zones.size(), seconds_since(t0));

    std::mt19937_64 rng(3);
    std::vector<double> ms;
    int shared = 0;
    for (int i = 0; i < reviews; ++i) {
        const PurchaseProposal p{platforms[rng() % platforms.size()].id, classes[rng() % classes.size()].id,
                                 zones[rng() % zones.size()].id, 200'000'000, 800, ""};
        const auto t = Clock::now();
        shared += db.review_purchase(office, p).decision == ReviewDecision::share_existing ? 1 : 0;
        ms.push_back(seconds_since(t) * 1e3);
    }
    std::printf("joint review: median %.3f ms over %d proposals (%d share existing; target <= 1 ms)\n", median(ms), reviews,
                shared);

    RolloutRequest q;
    for (const auto& p : platforms) {
        if (p.backbone) {
            q.backbone = p.id;
            break;
        }
    }
    q.sub_platforms = 50;
    q.phases = 5;
    q.max_travel_minutes = 20;
    for (const auto& z : zones) q.demand.push_back({z.id, static_cast<std::int64_t>(rng() % 500)});
    std::vector<double> seconds;
    std::int64_t covered = 0, total = 0;
    for (int rep = 0; rep < 5; ++rep) {
        const auto t = Clock::now();
        const auto plan = db.plan_rollout(q);
        seconds.push_back(seconds_since(t));
        covered = plan.phases.back().covered_after;
        total = plan.total_demand;
    }
    std::printf("rollout plan, 50 sub-platforms in 5 phases over %zu zones: median %.3f s of 5 (covers %lld of %lld; "
                "target <= 2 s)\n",
                zones.size(), median(seconds), static_cast<long long>(covered), static_cast<long long>(total));
    return 0;
}
