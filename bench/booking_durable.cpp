// Issue 4 "Durable": booking through psp::Database on a SQLite file (write-through, WAL, one
// transaction per booking) against a bare SQLite insert per transaction with the same settings,
// in one run; the batch call (many bookings in one transaction); and what keeping the monitoring
// statistics up to date adds to a booking (issue 7: <= 10 %), two databases side by side.
//   psp_booking_durable [--single N] [--batch N] [--dir DIR]
#include <sqlite3.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <boost/date_time/gregorian/gregorian.hpp>

#include "psp/psp.hpp"
#include "timing.hpp"

using psp::bench::Clock;
using psp::bench::median;
using psp::bench::seconds_since;

namespace {

constexpr psp::Time H = 3600, D = 86400;
constexpr psp::Time start_of_2025 = 1735660800;   // 00:00 Asia/Shanghai


void remove_db(const std::filesystem::path& p) {
    for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(p.string() + s);
}

// n bookings spread so that none collide: equipment round robin, consecutive hours.
std::vector<psp::BookingRequest> requests(const std::vector<psp::Equipment>& eq, psp::EnterpriseId firm, int n,
                                          psp::Time from) {
    std::vector<psp::BookingRequest> out;
    for (int i = 0; i < n; ++i) {
        const auto& e = eq[static_cast<std::size_t>(i) % eq.size()];
        const psp::Time s = from + static_cast<psp::Time>(i / static_cast<int>(eq.size())) * H;
        out.push_back({e.id, firm, {s, s + H}, 1, {}, {}});
    }
    return out;
}

// The baseline: a bare SQLite table with the same settings, one INSERT per transaction.
class BareTable {
public:
    explicit BareTable(const std::filesystem::path& p) : path_(p) {
        remove_db(p);
        sqlite3_open(p.string().c_str(), &db_);
        sqlite3_exec(db_, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                          "CREATE TABLE bookings(id INTEGER PRIMARY KEY, equipment INTEGER, enterprise INTEGER, start INTEGER, end INTEGER);",
                     nullptr, nullptr, nullptr);
        sqlite3_prepare_v2(db_, "INSERT INTO bookings(equipment, enterprise, start, end) VALUES(?1, ?2, ?3, ?4)", -1, &ins_, nullptr);
    }
    ~BareTable() {
        sqlite3_finalize(ins_);
        sqlite3_close(db_);
        remove_db(path_);
    }
    // Inserts n rows, one transaction each; returns inserts per second.
    double insert(int n) {
        const auto t0 = Clock::now();
        for (int i = 0; i < n; ++i, ++row_) {
            sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
            sqlite3_bind_int64(ins_, 1, row_ % 300);
            sqlite3_bind_int64(ins_, 2, 1);
            sqlite3_bind_int64(ins_, 3, start_of_2025 + row_ * H);
            sqlite3_bind_int64(ins_, 4, start_of_2025 + row_ * H + H);
            sqlite3_step(ins_);
            sqlite3_reset(ins_);
            sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
        }
        return n / seconds_since(t0);
    }

private:
    std::filesystem::path path_;
    sqlite3* db_ = nullptr;
    sqlite3_stmt* ins_ = nullptr;
    std::int64_t row_ = 0;
};


// Two databases on the same network, one keeping statistics as it books and one not, booking the
// same batches in alternating rounds; answers the medians of the per-round ratios of time per booking,
// wall-clock and CPU (the upkeep is computation; the wall clock also waits on the disk, whose fsync
// times on this shared machine vary by more than the upkeep costs).
struct Overhead {
    double wall = 0, cpu = 0;
};

double thread_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

Overhead statistics_overhead(const std::filesystem::path& dir, int per_round, int rounds) {
    psp::Time now = start_of_2025 - D;
    const auto network = psp::synth::generate_city(psp::synth::CityParams::for_scale(psp::synth::Scale::district, 1));
    std::vector<psp::Database> dbs;
    const auto office = psp::Actor::office();
    for (const bool keep : {true, false}) {
        const auto path = dir / (keep ? "psp_bench_stats_on.psp" : "psp_bench_stats_off.psp");
        remove_db(path);
        psp::OpenOptions o;
        o.clock = [&now] { return now; };
        o.statistics = keep;
        dbs.push_back(psp::Database::open(path.string(), o));
        auto& db = dbs.back();
        db.import_network(office, network);
        db.transaction([&] {
            psp::Calendar always;
            for (auto& d : always.weekly) d = {{0, 1440}};
            for (const auto& p : db.platforms()) db.set_calendar(office, p.id, always);
            psp::BookingRules rules;
            rules.min_notice_minutes = 0;
            rules.max_horizon_days = 3660;
            for (const auto& e : db.equipment()) db.set_booking_rules(office, e.id, rules);
        });
        (void)db.statistics({psp::StatSubject::city, {}, psp::SeriesPeriod::year, boost::gregorian::date(2025, 1, 1),
                             boost::gregorian::date(2025, 1, 1)});
    }
    const auto eq = dbs[0].equipment();
    const auto firms = dbs[0].enterprises();
    std::vector<double> wall_ratios, cpu_ratios;
    for (int round = 0; round < rounds; ++round) {
        auto batch = requests(eq, firms[static_cast<std::size_t>(round) % firms.size()].id, per_round,
                              start_of_2025 + static_cast<psp::Time>(round) * 60 * D);
        double wall[2] = {0, 0}, cpu[2] = {0, 0};
        for (int k = 0; k < 2; ++k) {
            const int which = (round + k) % 2;   // alternate which goes first
            const double c0 = thread_cpu_seconds();
            const auto t0 = Clock::now();
            (void)dbs[static_cast<std::size_t>(which)].book_batch(office, batch);
            wall[which] = seconds_since(t0);
            cpu[which] = thread_cpu_seconds() - c0;
        }
        wall_ratios.push_back(wall[0] / wall[1]);
        cpu_ratios.push_back(cpu[0] / cpu[1]);
    }
    for (const char* name : {"psp_bench_stats_on.psp", "psp_bench_stats_off.psp"}) remove_db(dir / name);
    return {median(wall_ratios), median(cpu_ratios)};
}

}  // namespace

int main(int argc, char** argv) {
    int single = 2100, batch = 100000;
    std::filesystem::path dir = std::filesystem::temp_directory_path();
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--single" && i + 1 < argc) single = std::stoi(argv[++i]);
        else if (a == "--batch" && i + 1 < argc) batch = std::stoi(argv[++i]);
        else if (a == "--dir" && i + 1 < argc) dir = argv[++i];
        else {
            std::fprintf(stderr, "usage: %s [--single N] [--batch N] [--dir DIR]\n", argv[0]);
            return 2;
        }
    }
    const auto path = dir / "psp_booking_durable.psp";
    remove_db(path);
    psp::Time now = start_of_2025 - D;
    psp::OpenOptions options;
    options.clock = [&now] { return now; };
    double single_rate = 0, batch_rate = 0, bare_rate = 0, ratio = 0;
    {
        auto db = psp::Database::open(path.string(), options);
        const auto office = psp::Actor::office();
        db.import_network(office, psp::synth::generate_city(psp::synth::CityParams::for_scale(psp::synth::Scale::district, 1)));
        psp::Calendar always;
        for (auto& d : always.weekly) d = {{0, 1440}};
        for (const auto& p : db.platforms()) db.set_calendar(office, p.id, always);
        const auto eq = db.equipment();
        psp::BookingRules rules;
        rules.min_notice_minutes = 0;
        rules.max_horizon_days = 3660;
        for (const auto& e : eq) db.set_booking_rules(office, e.id, rules);
        const auto firm = db.enterprises().front().id;

        // fsync dominates and this machine is shared: alternate rounds of psp and of the bare
        // table on the same disk, and compare the medians of the rounds.
        const auto one_by_one = requests(eq, firm, single, start_of_2025);
        BareTable bare(dir / "psp_bare_sqlite.db");
        const int rounds = 7;
        const int per_round = std::max(1, single / rounds);
        std::vector<double> psp_rates, bare_rates, ratios;
        long ok = 0;
        std::size_t next = 0;
        for (int round = 0; round < rounds; ++round) {
            const auto t0 = Clock::now();
            for (int i = 0; i < per_round && next < one_by_one.size(); ++i) ok += db.book(office, one_by_one[next++]) ? 1 : 0;
            psp_rates.push_back(per_round / seconds_since(t0));
            bare_rates.push_back(bare.insert(per_round));
            ratios.push_back(bare_rates.back() / psp_rates.back());
        }
        single_rate = median(psp_rates);
        bare_rate = median(bare_rates);
        ratio = median(ratios);
        std::printf("psp book(), one transaction each: %8.0f bookings/s (median of %d rounds; %ld booked)\n", single_rate,
                    rounds, ok);
        std::printf("bare SQLite insert per transaction: %8.0f inserts/s (WAL, synchronous=FULL, same rounds)\n", bare_rate);

        const auto many = requests(eq, firm, batch, start_of_2025 + 400 * D);
        const auto t1 = Clock::now();
        const auto outcomes = db.book_batch(office, many);
        batch_rate = batch / seconds_since(t1);
        long booked = 0;
        for (const auto& o : outcomes) booked += o ? 1 : 0;
        std::printf("psp book_batch(), one transaction:  %8.0f bookings/s (%ld of %d booked, free of charge; target >= 300,000)\n",
                    batch_rate, booked, batch);

        // The same with a tariff on every instrument and an innovation voucher paying part: each
        // booking then also writes its price row and a voucher movement.
        db.transaction([&] {
            psp::Tariff t;
            t.member_rate = 20'000;
            t.external_rate = 30'000;
            for (const auto& e : eq) db.set_tariff(office, e.id, t);
        });
        const auto scheme = db.add_voucher_scheme(office, psp::zhejiang_county_example());
        auto priced = requests(eq, firm, batch, start_of_2025 + 800 * D);
        for (auto& r : priced) r.voucher = scheme;
        const auto t2 = Clock::now();
        const auto priced_outcomes = db.book_batch(office, priced);
        const double priced_rate = batch / seconds_since(t2);
        booked = 0;
        for (const auto& o : priced_outcomes) booked += o ? 1 : 0;
        std::printf("psp book_batch(), priced + voucher: %8.0f bookings/s (%ld of %d booked)\n", priced_rate, booked, batch);
    }
    remove_db(path);
    std::printf("psp per booking costs %.2fx a bare insert (median of per-round ratios; target <= 1.3x)\n", ratio);
    const auto upkeep = statistics_overhead(dir, 20'000, 15);
    std::printf("statistics upkeep: book_batch with statistics kept costs %.3fx the CPU time of one without, %.3fx the "
                "wall-clock time (medians of 15 rounds of 20,000; target <= 1.10x)\n", upkeep.cpu, upkeep.wall);
    return 0;
}
