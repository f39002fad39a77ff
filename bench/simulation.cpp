// Issue 8 "Performance": a year of the simulation of alliance sharing, one replication on one core,
// at city scale (issue 16: target <= 8 s; issue 8 asked 10 s) or region scale (<= 120 s, <= 4 GiB),
// and replications with one thread against two (the speed-up).
//   psp_simulation [--scale district|city|region] [--days N] [--replications N] [--speedup] [--json FILE]
// --json writes the results (every replication's figures, doubles to the last bit) so that two
// builds can be compared for identical results.
// The city is generated into a SQLite file first (not timed); each replication runs on its own
// scratch copy, whose loading is part of the time (it is part of every run).
#include <sys/resource.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "psp/psp.hpp"
#include "timing.hpp"

using psp::bench::Clock;
using psp::bench::seconds_since;

namespace {

double peak_rss_gib() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_maxrss) / (1024.0 * 1024.0);
}

psp::synth::Scale scale_of(const std::string& s) {
    if (s == "district") return psp::synth::Scale::district;
    if (s == "region") return psp::synth::Scale::region;
    return psp::synth::Scale::city;
}

psp::Scenario one_stop(int days, int replications) {
    psp::Scenario s;
    s.name = "one-stop";
    s.sharing = psp::SharingMode::network;
    const psp::Time start = 1798761600 - 8 * 3600;   // 2027-01-01 00:00 in Hangzhou
    s.horizon = {start, start + psp::Time{days} * 86400};
    s.hours_per_instrument = 1600;
    s.replications = replications;
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    std::string scale = "city";
    int days = 365, replications = 1;
    bool speedup = false;
    std::string json_path;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--scale" && i + 1 < argc) scale = argv[++i];
        else if (a == "--days" && i + 1 < argc) days = std::stoi(argv[++i]);
        else if (a == "--replications" && i + 1 < argc) replications = std::stoi(argv[++i]);
        else if (a == "--speedup") speedup = true;
        else if (a == "--json" && i + 1 < argc) json_path = argv[++i];
        else {
            std::fprintf(stderr, "usage: %s [--scale district|city|region] [--days N] [--replications N] [--speedup] [--json FILE]\n", argv[0]);
            return 2;
        }
    }
    const auto path = std::filesystem::temp_directory_path() / ("psp_bench_simulation_" + scale + ".psp");
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
    auto db = psp::Database::open(path.string());
    {
        const auto t0 = Clock::now();
        const auto office = psp::Actor::office("bench");
        db.import_network(office, psp::synth::generate_city(psp::synth::CityParams::for_scale(scale_of(scale), 1)));
        psp::synth::configure_booking(db, office, 1);
        std::printf("%s scale built in %.1f s (not timed below)\n", scale.c_str(), seconds_since(t0));
    }

    psp::SimulationOptions one;
    one.threads = 1;
    const auto scenario = one_stop(days, replications);
    const auto t0 = Clock::now();
    const auto results = db.simulate({scenario}, one);
    const double seconds = seconds_since(t0);
    std::int64_t requests = 0;
    for (const auto& r : results[0].replications) requests += r.requests;
    const double per_replication = seconds / replications;
    std::printf("one thread: %d replication(s) of %d days, %lld requests in all: %.2f s per replication, %.0f requests/s, "
                "%.1f us per request\n",
                replications, days, static_cast<long long>(requests), per_replication, requests / seconds, 1e6 * seconds / requests);
    std::printf("fulfilment %.1f %%, mean wait %.1f h, utilisation %.1f %%, hours per instrument %.0f\n",
                100 * results[0].summary.at("fulfilment_rate").mean, results[0].summary.at("mean_wait_hours").mean,
                100 * results[0].summary.at("mean_utilisation").mean, results[0].summary.at("hours_per_instrument").mean);
    std::printf("peak RSS %.2f GiB\n", peak_rss_gib());
    if (!json_path.empty()) std::ofstream(json_path) << psp::results_to_json(results) << "\n";

    if (speedup) {
        // The same work on two threads: replications run in parallel.
        const auto pair = one_stop(days, 2);
        const auto t1 = Clock::now();
        const auto serial = db.simulate({pair}, one);
        const double s1 = seconds_since(t1);
        psp::SimulationOptions two;
        two.threads = 2;
        const auto t2 = Clock::now();
        const auto parallel = db.simulate({pair}, two);
        const double s2 = seconds_since(t2);
        std::printf("2 replications: one thread %.2f s, two threads %.2f s, speed-up %.2fx, same results: %s\n", s1, s2, s1 / s2,
                    serial == parallel ? "yes" : "NO");
        if (serial != parallel) return 1;
    }
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
    return 0;
}
