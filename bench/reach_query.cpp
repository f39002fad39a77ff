// City-scale reach query benchmark (issue 2 "Performance"): "equipment of class C within 60 minutes of
// zone Z" through Database::equipment_within, over a fixed pseudo-random sequence of (zone, class) pairs.
//
//   psp_reach_query [Google Benchmark flags]      runs the benchmark; besides the time per iteration
//                                                 (one query) it reports counters over single queries:
//                                                 p50_us (the median), p90_us, max_us, found.
//   psp_reach_query --export-json CITY.json [--export-queries QUERIES.json]
//                                                 writes the same city's network JSON and the query
//                                                 pairs with psp's answers (for networkx_reach.py), then exits.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "psp/database.hpp"
#include "psp/synth.hpp"

namespace {

constexpr int max_minutes = 60;
constexpr std::size_t query_count = 1000;
constexpr std::uint64_t query_seed = 20240601;
constexpr std::int64_t passes = 2;   // iterations = passes over the whole sequence, so every pair weighs the same

struct Query {
    psp::ZoneId zone;
    psp::EquipmentClassId equipment_class;
};

struct City {
    psp::Database db;
    std::vector<Query> queries;
};

// The city of CityParams::for_scale(city) in an in-memory database (the query never touches SQLite),
// and the query sequence: zones and classes drawn in id order by std::mt19937_64, which the standard
// specifies bit for bit.
City make_city() {
    const psp::Network net = psp::synth::generate_city(psp::synth::CityParams::for_scale(psp::synth::Scale::city));
    City c{psp::Database::open(":memory:"), {}};
    c.db.import_network(psp::Actor::office("bench"), net);
    const auto zones = c.db.zones();
    const auto classes = c.db.equipment_classes();
    std::mt19937_64 rng(query_seed);
    for (std::size_t i = 0; i < query_count; ++i) {
        const auto z = zones[rng() % zones.size()].id;
        const auto k = classes[rng() % classes.size()].id;
        c.queries.push_back({z, k});
    }
    (void)c.db.equipment_within(c.queries.front().zone, c.queries.front().equipment_class, max_minutes);  // builds the graph
    return c;
}

const City& city() {
    static const City c = make_city();
    return c;
}

double percentile(std::vector<double>& v, double p) {
    if (v.empty()) return 0;
    const auto k = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
    return v[k];
}

void BM_EquipmentWithin60(benchmark::State& state) {
    using Clock = std::chrono::steady_clock;
    const City& c = city();
    std::vector<double> us;
    us.reserve(static_cast<std::size_t>(state.max_iterations));
    std::size_t i = 0;
    std::size_t found = 0;
    for (auto _ : state) {
        const Query& q = c.queries[i];
        const auto t0 = Clock::now();
        auto r = c.db.equipment_within(q.zone, q.equipment_class, max_minutes);
        const auto t1 = Clock::now();
        benchmark::DoNotOptimize(r.data());
        found += r.size();
        us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
        i = i + 1 == c.queries.size() ? 0 : i + 1;
    }
    state.counters["found"] = static_cast<double>(found) / static_cast<double>(us.size());
    state.counters["p50_us"] = percentile(us, 0.5);
    state.counters["p90_us"] = percentile(us, 0.9);
    state.counters["max_us"] = percentile(us, 1.0);
}
BENCHMARK(BM_EquipmentWithin60)
    ->Unit(benchmark::kMicrosecond)
    ->Iterations(passes * static_cast<std::int64_t>(query_count))
    ->Repetitions(10)
    ->ReportAggregatesOnly(true);

bool write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    out.close();
    if (!out) {
        std::fprintf(stderr, "cannot write %s\n", path.c_str());
        return false;
    }
    return true;
}

// {"max_minutes": 60, "seed": ..., "queries": [{"zone": Z, "equipment_class": C,
//   "answer": [[equipment, owner, minutes], ...]}, ...]}   (answers nearest first, ties by id)
std::string queries_json(const City& c) {
    std::string s = "{\"max_minutes\": " + std::to_string(max_minutes) + ", \"seed\": " + std::to_string(query_seed) +
                    ", \"queries\": [\n";
    for (std::size_t i = 0; i < c.queries.size(); ++i) {
        const auto& q = c.queries[i];
        s += "{\"zone\": " + std::to_string(q.zone.value) + ", \"equipment_class\": " +
             std::to_string(q.equipment_class.value) + ", \"answer\": [";
        const auto answer = c.db.equipment_within(q.zone, q.equipment_class, max_minutes);
        for (std::size_t j = 0; j < answer.size(); ++j) {
            s += (j ? ", [" : "[") + std::to_string(answer[j].equipment.value) + ", " +
                 std::to_string(answer[j].owner.value) + ", " + std::to_string(answer[j].minutes) + "]";
        }
        s += i + 1 < c.queries.size() ? "]},\n" : "]}\n";
    }
    return s + "]}\n";
}

}  // namespace

int main(int argc, char** argv) {
    std::string export_json, export_queries;
    std::vector<char*> rest{argv[0]};
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if ((a == "--export-json" || a == "--export-queries") && i + 1 < argc) {
            (a == "--export-json" ? export_json : export_queries) = argv[++i];
        } else {
            rest.push_back(argv[i]);
        }
    }
    try {
        if (!export_json.empty() || !export_queries.empty()) {
            const City& c = city();
            if (!export_json.empty() && !write_file(export_json, c.db.export_json())) return 1;
            if (!export_queries.empty() && !write_file(export_queries, queries_json(c))) return 1;
            return 0;
        }
        (void)city();   // build outside the timed runs
    } catch (const std::exception& e) {
        std::fprintf(stderr, "psp_reach_query: %s\n", e.what());
        return 1;
    }
    int n = static_cast<int>(rest.size());
    rest.push_back(nullptr);
    benchmark::Initialize(&n, rest.data());
    if (benchmark::ReportUnrecognizedArguments(n, rest.data())) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
