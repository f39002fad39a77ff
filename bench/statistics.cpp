// Issue 7 "Performance": monitoring statistics at region scale with a year of bookings (12,000,000 by
// default): the full rebuild from the ledger (target <= 10 s) and a month's dashboard for every
// platform (target <= 100 ms). The upkeep's cost per booking is measured in psp_booking_durable.
//   psp_statistics [--bookings N] [--dir DIR]
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <boost/date_time/gregorian/gregorian.hpp>

#include "psp/psp.hpp"
#include "timing.hpp"

using psp::bench::Clock;
using psp::bench::median;
using psp::bench::seconds_since;

namespace {

constexpr psp::Time H = 3600;
constexpr psp::Time start_of_2025 = 1735660800;   // 00:00 Asia/Shanghai

void remove_db(const std::filesystem::path& p) {
    for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(p.string() + s);
}

double peak_rss_gib() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_maxrss) / (1024.0 * 1024.0);
}

}  // namespace

int main(int argc, char** argv) {
    long bookings = 12'000'000;
    std::filesystem::path dir = std::filesystem::temp_directory_path();
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--bookings" && i + 1 < argc) bookings = std::stol(argv[++i]);
        else if (a == "--dir" && i + 1 < argc) dir = argv[++i];
        else {
            std::fprintf(stderr, "usage: %s [--bookings N] [--dir DIR]\n", argv[0]);
            return 2;
        }
    }
    if (bookings < 1) return 2;
    const auto path = dir / "psp_bench_statistics.psp";
    remove_db(path);
    psp::Time now = start_of_2025 - 86400;
    psp::OpenOptions options;
    options.clock = [&now] { return now; };
    options.statistics = false;   // a bulk load: counted once, by the rebuild being measured
    {
        auto db = psp::Database::open(path.string(), options);
        const auto office = psp::Actor::office();
        const auto t_load = Clock::now();
        db.import_network(office, psp::synth::generate_city(psp::synth::CityParams::for_scale(psp::synth::Scale::region, 1)));
        const auto eq = db.equipment();
        const auto firms = db.enterprises();
        const auto platforms = db.platforms();
        db.transaction([&] {
            psp::Calendar always;
            for (auto& d : always.weekly) d = {{0, 1440}};
            for (const auto& p : platforms) db.set_calendar(office, p.id, always);
            psp::BookingRules rules;
            rules.min_notice_minutes = 0;
            rules.max_horizon_days = 3660;
            for (const auto& e : eq) db.set_booking_rules(office, e.id, rules);
        });
        // A year of bookings: each instrument's spread evenly over 2025, one to three hours each, by
        // enterprises drawn at random.
        std::mt19937_64 rng(7);
        const long per_equipment = (bookings + static_cast<long>(eq.size()) - 1) / static_cast<long>(eq.size());
        const psp::Time step = std::max<psp::Time>(4 * H, 365 * 24 * H / per_equipment / H * H);
        long made = 0;
        std::vector<psp::BookingRequest> chunk;
        for (long k = 0; k < per_equipment && made < bookings; ++k) {
            for (std::size_t e = 0; e < eq.size() && made < bookings; ++e, ++made) {
                const psp::Time s = start_of_2025 + k * step;
                const auto hours = static_cast<psp::Time>(1 + rng() % 3);
                chunk.push_back({eq[e].id, firms[rng() % firms.size()].id, {s, s + hours * H}, 1, {}, {}});
                if (chunk.size() == 100'000) {
                    (void)db.book_batch(office, chunk);
                    chunk.clear();
                }
            }
        }
        if (!chunk.empty()) (void)db.book_batch(office, chunk);
        std::printf("region: %zu platforms, %zu equipment, %zu enterprises; %ld bookings loaded in %.0f s\n", platforms.size(),
                    eq.size(), firms.size(), made, seconds_since(t_load));

        std::vector<double> rebuilds;
        for (int r = 0; r < 3; ++r) {
            const auto t0 = Clock::now();
            db.rebuild_statistics();
            rebuilds.push_back(seconds_since(t0));
        }
        const double rebuild = median(rebuilds);

        psp::StatisticsQuery month{psp::StatSubject::platform, {}, psp::SeriesPeriod::month,
                                   boost::gregorian::date(2025, 6, 1), boost::gregorian::date(2025, 6, 30)};
        std::vector<double> dashboards;
        std::size_t rows = 0;
        std::int64_t counted = 0;
        for (int r = 0; r < 7; ++r) {
            const auto t0 = Clock::now();
            const auto table = db.statistics(month);
            dashboards.push_back(seconds_since(t0));
            rows = table.size();
            counted = 0;
            for (const auto& row : table) counted += row.figures.bookings;
        }
        const double dashboard = median(dashboards);
        psp::StatisticsQuery year{psp::StatSubject::city, {}, psp::SeriesPeriod::month, boost::gregorian::date(2025, 1, 1),
                                  boost::gregorian::date(2025, 12, 31)};
        const auto t_year = Clock::now();
        const auto city = db.statistics(year);
        const double city_year = seconds_since(t_year);
        std::int64_t year_bookings = 0;
        for (const auto& row : city) year_bookings += row.figures.bookings;

        std::printf("rebuild of the statistics from %ld bookings: median %.2f s of %zu (target <= 10 s: %s)\n", made, rebuild,
                    rebuilds.size(), rebuild <= 10 ? "met" : "NOT met");
        std::printf("month's dashboard, every platform (%zu rows, %lld bookings in June): median %.1f ms of %zu (target <= 100 ms: %s)\n",
                    rows, static_cast<long long>(counted), dashboard * 1e3, dashboards.size(), dashboard <= 0.1 ? "met" : "NOT met");
        std::printf("the city's twelve months (%lld bookings): %.1f ms\n", static_cast<long long>(year_bookings), city_year * 1e3);
        std::printf("peak resident memory: %.2f GiB\n", peak_rss_gib());
    }
    remove_db(path);
    return 0;
}
