// Issue 8 "Performance": a small queueing model on psp's booking engine, the same model as
// bench/simpy_queue.py (which says what it is), so that bench/queue_compare.sh can put the two
// side by side. Every arrival asks the engine for the earliest free start of its resource
// (Engine::earliest_start) and books it through Engine::book, all rules checked.
//   psp_queue_model [--seed S] [--customers N] [--resources R] [--horizon-minutes M | --bookings B]
//                   [--service-mean MIN] [--load RHO] [--replications K] [--runs N]
// Prints one JSON line shaped like simpy_queue.py's. wall_seconds times all of a replication as
// SimPy's does (engine and equipment set-up, drawing the arrivals, booking them): the median of
// --runs runs (the machine is shared), which must all give the same figures. Each start the engine
// answers is also checked against the queue's own rule, max(arrival, previous end on the resource).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "booking/engine.hpp"
#include "timing.hpp"

using namespace psp;
using psp::bench::Clock;
using psp::bench::seconds_since;

namespace {

constexpr Time epoch = 1735689600;   // minute 0 of the model: 2025-01-01 00:00 UTC

struct Params {
    std::uint64_t seed = 20261127;
    int customers = 5000;
    int resources = 200;
    long horizon_minutes = 0;   // 0: from bookings
    long bookings = 250'000;
    double service_mean = 60;
    double load = 0.75;
    int replications = 5;
    int runs = 5;
};

// SplitMix64: small, fast, and good enough for exponential variates.
struct SplitMix64 {
    std::uint64_t state;
    std::uint64_t operator()() {
        std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    // ceil(Exp(mean)), at least 1: the whole minutes both models use.
    std::int32_t ceil_exp(double mean) {
        const double u = static_cast<double>((*this)() >> 11) * 0x1p-53;   // [0, 1)
        // log(1 - u), as Python's random.expovariate draws it (SimPy's side): glibc's log is
        // a quarter of log1p's cost, and 1 - u is exact for these u.
        const double x = -mean * std::log(1.0 - u);
        return std::max<std::int32_t>(1, static_cast<std::int32_t>(std::ceil(x)));
    }
};

// E[max(1, ceil(Exp(mean)))] = 1 / (1 - e^(-1/mean)), as in simpy_queue.py.
double mean_of_ceil_exp(double mean) { return 1.0 / (1.0 - std::exp(-1.0 / mean)); }

double gap_mean(const Params& p) {
    return static_cast<double>(p.customers) / p.resources * mean_of_ceil_exp(p.service_mean) / p.load;
}

// Equipment open around the clock, any start minute, bookings up to the longest service time.
booking::EquipmentSetup resource(std::int64_t id) {
    booking::EquipmentSetup s;
    s.id = EquipmentId(id);
    s.equipment_class = EquipmentClassId(1);
    s.capacity_units = 1;
    s.rules.slot_minutes = 1;
    s.rules.min_minutes = 1;
    s.rules.max_minutes = 366 * 1440;   // the engine's ceiling; Exp(60) never gets near it
    s.rules.min_notice_minutes = 0;     // an arrival may start at once
    s.rules.max_horizon_days = 366;     // far beyond any wait at this load
    s.rules.no_show_block_days = 0;
    s.calendar.time_zone = "UTC";
    for (auto& day : s.calendar.weekly) day = {{0, 1440}};
    return s;
}

struct Replication {
    long bookings = 0;
    long not_fifo = 0;   // bookings whose start differs from max(arrival, previous end): must be 0
    double wait_minutes = 0, busy_minutes = 0;
    bool operator==(const Replication&) const = default;
};

Replication simulate(const Params& p, std::uint64_t seed) {
    booking::Engine engine;
    for (int r = 1; r <= p.resources; ++r) engine.set_equipment(resource(r));
    SplitMix64 rng{seed};
    const double mean_gap = gap_mean(p);
    const auto horizon = static_cast<std::int32_t>(p.horizon_minutes);
    const Time booking_horizon = Time{366} * 86400;   // earliest_start's bound, as the rules allow

    // Every arrival before the horizon, generated customer by customer and then put in time
    // order by a counting sort on the minute (stable: ties stay in customer order). Linear, and
    // cheaper than merging the customers' streams through a heap.
    struct Arrival {
        std::int32_t minute, customer;
    };
    std::vector<Arrival> generated;
    std::vector<std::int32_t> offset(static_cast<std::size_t>(horizon) + 1, 0);   // arrivals before minute m
    for (std::int32_t c = 0; c < p.customers; ++c) {
        for (std::int32_t t = rng.ceil_exp(mean_gap); t < horizon; t += rng.ceil_exp(mean_gap)) {
            generated.push_back({t, c});
            ++offset[static_cast<std::size_t>(t) + 1];
        }
    }
    for (std::size_t m = 1; m < offset.size(); ++m) offset[m] += offset[m - 1];
    std::vector<Arrival> arrivals(generated.size());
    for (const Arrival& a : generated) arrivals[static_cast<std::size_t>(offset[static_cast<std::size_t>(a.minute)]++)] = a;
    engine.reserve(arrivals.size());   // every arrival is booked: no record is moved as they come
    std::vector<std::int32_t> last_end(static_cast<std::size_t>(p.resources) + 1, 0);

    Replication out;
    BookingRequest q;
    q.units = 1;
    for (const auto& [arrival, c] : arrivals) {
        const std::int32_t service = rng.ceil_exp(p.service_mean);
        const std::int64_t r = 1 + c % p.resources;
        const Time now = epoch + Time{arrival} * 60;
        const auto start = engine.earliest_start(EquipmentId(r), now, now + booking_horizon, service, 1);
        if (!start) {
            std::fprintf(stderr, "no free start for resource %lld from minute %d\n", static_cast<long long>(r), arrival);
            std::exit(1);
        }
        q.equipment = EquipmentId(r);
        q.enterprise = EnterpriseId(c + 1);
        q.period = {*start, *start + Time{service} * 60};
        if (!engine.book(q, now)) {
            std::fprintf(stderr, "book refused at minute %d on resource %lld\n", arrival, static_cast<long long>(r));
            std::exit(1);
        }
        const auto s = static_cast<std::int32_t>((*start - epoch) / 60);
        auto& end = last_end[static_cast<std::size_t>(r)];
        out.not_fifo += s != std::max(arrival, end);
        end = s + service;
        ++out.bookings;
        out.wait_minutes += s - arrival;
        out.busy_minutes += std::max(0, std::min(s + service, horizon) - s);
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    Params p;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const bool more = i + 1 < argc;
        if (a == "--seed" && more) p.seed = std::stoull(argv[++i]);
        else if (a == "--customers" && more) p.customers = std::stoi(argv[++i]);
        else if (a == "--resources" && more) p.resources = std::stoi(argv[++i]);
        else if (a == "--horizon-minutes" && more) p.horizon_minutes = std::stol(argv[++i]);
        else if (a == "--bookings" && more) p.bookings = std::stol(argv[++i]);
        else if (a == "--service-mean" && more) p.service_mean = std::stod(argv[++i]);
        else if (a == "--load" && more) p.load = std::stod(argv[++i]);
        else if (a == "--replications" && more) p.replications = std::stoi(argv[++i]);
        else if (a == "--runs" && more) p.runs = std::stoi(argv[++i]);
        else {
            std::fprintf(stderr,
                         "usage: %s [--seed S] [--customers N] [--resources R] [--horizon-minutes M | --bookings B]\n"
                         "          [--service-mean MIN] [--load RHO] [--replications K] [--runs N]\n",
                         argv[0]);
            return 2;
        }
    }
    if (p.customers < 1 || p.resources < 1 || p.load <= 0 || p.service_mean <= 0 || p.replications < 1) {
        std::fprintf(stderr, "customers, resources, load, service mean and replications must be positive\n");
        return 2;
    }
    if (p.horizon_minutes <= 0) {
        // Each customer arrives about horizon / E[gap] times (as simpy_queue.py computes it).
        p.horizon_minutes = std::lround(static_cast<double>(p.bookings) * mean_of_ceil_exp(gap_mean(p)) / p.customers);
    }

    std::printf("{\"impl\": \"psp booking::Engine\", \"customers\": %d, \"resources\": %d, \"horizon_minutes\": %ld, "
                "\"gap_mean_minutes\": %.6f, \"service_mean_minutes\": %g, \"replications\": [",
                p.customers, p.resources, p.horizon_minutes, gap_mean(p), p.service_mean);
    for (int k = 0; k < p.replications; ++k) {
        const std::uint64_t seed = p.seed + static_cast<std::uint64_t>(k);
        Replication first;
        std::vector<double> seconds;
        for (int run = 0; run < std::max(p.runs, 1); ++run) {
            const auto t0 = Clock::now();
            const Replication r = simulate(p, seed);
            seconds.push_back(seconds_since(t0));
            if (run == 0) first = r;
            else if (!(r == first)) {
                std::fprintf(stderr, "seed %llu: run %d differs from run 0\n", static_cast<unsigned long long>(seed), run);
                return 1;
            }
        }
        if (first.not_fifo != 0) {
            std::fprintf(stderr, "seed %llu: %ld bookings not in FIFO order\n", static_cast<unsigned long long>(seed), first.not_fifo);
            return 1;
        }
        std::printf("%s{\"seed\": %llu, \"bookings\": %ld, \"mean_wait_minutes\": %.6f, \"utilisation\": %.6f, "
                    "\"wall_seconds\": %.6f}",
                    k ? ", " : "", static_cast<unsigned long long>(seed), first.bookings,
                    first.wait_minutes / static_cast<double>(first.bookings),
                    first.busy_minutes / (static_cast<double>(p.resources) * static_cast<double>(p.horizon_minutes)),
                    psp::bench::median(seconds));
        std::fflush(stdout);
    }
    std::printf("]}\n");
    return 0;
}
