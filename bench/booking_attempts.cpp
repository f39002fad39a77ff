// Issue 4 "Performance": the booking engine in memory against the way typical booking systems
// check conflicts (an indexed SQLite table, overlap SELECT before each INSERT, one transaction),
// on the same attempts in one run; plus index memory per booking and the free-slot query.
//   psp_booking_attempts [--attempts N] [--equipment N] [--memory-bookings N] [--strict]
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "booking/engine.hpp"
#include "timing.hpp"

using namespace psp;
using psp::bench::Clock;
using psp::bench::median;
using psp::bench::seconds_since;

namespace {

constexpr Time H = 3600, D = 86400;
constexpr Time year_start = 1735660800;   // 2025-01-01 00:00 Asia/Shanghai (UTC 2024-12-31 16:00)

struct Attempt {
    BookingRequest request;
};



Calendar long_days() {
    Calendar c;   // Asia/Shanghai, China's holidays, open 07:00-23:00 every day
    c.holidays = china_mainland_holidays();
    for (auto& d : c.weekly) d = {{7 * 60, 23 * 60}};
    return c;
}

// The full rule set: grid, durations, notice, horizon, buffer, opening hours with holidays,
// blackouts, training, weekly quota, no-show block.
booking::EquipmentSetup equipment(std::int64_t id) {
    booking::EquipmentSetup s;
    s.id = EquipmentId(id);
    s.equipment_class = EquipmentClassId(1 + id % 40);
    s.capacity_units = 1;
    s.rules.slot_minutes = 30;
    s.rules.min_minutes = 30;
    s.rules.max_minutes = 6 * 60;
    s.rules.min_notice_minutes = 0;
    s.rules.max_horizon_days = 400;
    s.rules.buffer_minutes = 30;
    s.rules.training_required = true;
    s.rules.weekly_quota_minutes = 40 * 60;
    s.rules.blackouts = {{year_start + 100 * D, year_start + 101 * D}};
    s.calendar = long_days();
    return s;
}

std::vector<Attempt> make_attempts(int n, int equipment_count, int enterprises, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::vector<Attempt> out;
    out.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        const auto eq = static_cast<std::int64_t>(1 + rng() % static_cast<std::uint64_t>(equipment_count));
        const auto ent = static_cast<std::int64_t>(1 + rng() % static_cast<std::uint64_t>(enterprises));
        const Time day = year_start + static_cast<Time>(rng() % 365) * D;
        const Time start = day + 8 * H + static_cast<Time>(rng() % 24) * 1800;   // 08:00-19:30 local
        const Time length = static_cast<Time>(1 + rng() % 6) * 1800;             // 0.5-3 h
        out.push_back({{EquipmentId(eq), EnterpriseId(ent), {start, start + length}, 1, {}, {}}});
    }
    return out;
}

struct Result {
    double seconds = 0;
    long accepted = 0;
};

Result run_psp(const std::vector<Attempt>& attempts, int equipment_count, int enterprises) {
    booking::Engine engine;
    for (int i = 1; i <= equipment_count; ++i) engine.set_equipment(equipment(i));
    for (int e = 1; e <= enterprises; ++e) {
        for (int c = 1; c <= 40; ++c) engine.set_training(EnterpriseId(e), EquipmentClassId(c), true);
    }
    const Time now = year_start - D;
    // Warm the opening-hours caches so that the timed loop measures booking, not calendar setup.
    for (int i = 1; i <= equipment_count; ++i) {
        (void)engine.check({EquipmentId(i), EnterpriseId(1), {year_start + 9 * H, year_start + 10 * H}, 1, {}, {}}, now);
    }
    Result r;
    const auto t0 = Clock::now();
    for (const auto& a : attempts) r.accepted += engine.book(a.request, now) ? 1 : 0;
    r.seconds = seconds_since(t0);
    return r;
}

void sql(sqlite3* db, const char* s) {
    char* err = nullptr;
    if (sqlite3_exec(db, s, nullptr, nullptr, &err) != SQLITE_OK) {
        std::fprintf(stderr, "sqlite: %s\n", err);
        std::exit(1);
    }
}

// The baseline: overlap SELECT on an indexed table, INSERT when free; one transaction.
Result run_sqlite(const std::vector<Attempt>& attempts) {
    sqlite3* db = nullptr;
    sqlite3_open(":memory:", &db);
    sql(db, "CREATE TABLE bookings(id INTEGER PRIMARY KEY, equipment INTEGER, enterprise INTEGER, start INTEGER, end INTEGER);"
            "CREATE INDEX bookings_eq ON bookings(equipment, start, end);");
    sqlite3_stmt *sel = nullptr, *ins = nullptr;
    sqlite3_prepare_v2(db, "SELECT 1 FROM bookings WHERE equipment=?1 AND start<?2 AND end>?3 LIMIT 1", -1, &sel, nullptr);
    sqlite3_prepare_v2(db, "INSERT INTO bookings(equipment, enterprise, start, end) VALUES(?1, ?2, ?3, ?4)", -1, &ins, nullptr);
    Result r;
    const auto t0 = Clock::now();
    sql(db, "BEGIN");
    for (const auto& a : attempts) {
        const auto& q = a.request;
        sqlite3_bind_int64(sel, 1, q.equipment.value);
        sqlite3_bind_int64(sel, 2, q.period.end + 1800);     // the same 30-minute buffer
        sqlite3_bind_int64(sel, 3, q.period.start - 1800);
        const bool busy = sqlite3_step(sel) == SQLITE_ROW;
        sqlite3_reset(sel);
        if (busy) continue;
        sqlite3_bind_int64(ins, 1, q.equipment.value);
        sqlite3_bind_int64(ins, 2, q.enterprise.value);
        sqlite3_bind_int64(ins, 3, q.period.start);
        sqlite3_bind_int64(ins, 4, q.period.end);
        sqlite3_step(ins);
        sqlite3_reset(ins);
        ++r.accepted;
    }
    sql(db, "COMMIT");
    r.seconds = seconds_since(t0);
    sqlite3_finalize(sel);
    sqlite3_finalize(ins);
    sqlite3_close(db);
    return r;
}

// Index bytes per stored booking, with n bookings spread over 1,000 equipment (capacity large
// enough that every attempt is stored).
double index_bytes_per_booking(long n) {
    booking::Engine engine;
    const int equipment_count = 1000;
    for (int i = 1; i <= equipment_count; ++i) {
        auto s = equipment(i);
        s.capacity_units = 65535;
        s.rules.training_required = false;
        s.rules.weekly_quota_minutes = 0;
        s.rules.buffer_minutes = 0;
        s.rules.blackouts.clear();
        s.calendar.holidays = {};
        for (auto& d : s.calendar.weekly) d = {{0, 1440}};
        engine.set_equipment(s);
    }
    std::mt19937_64 rng(3);
    for (long i = 0; i < n; ++i) {
        const auto eq = static_cast<std::int64_t>(1 + rng() % equipment_count);
        const Time start = year_start + static_cast<Time>(rng() % (365 * 48)) * 1800;
        engine.book({EquipmentId(eq), EnterpriseId(1 + i % 5000), {start, start + 3600}, 1, {}, {}}, year_start - D);
    }
    return static_cast<double>(engine.index_memory_bytes()) / static_cast<double>(engine.booking_count());
}

// Median of free-slot queries (one week windows) on an equipment holding 10,000 bookings.
double free_slot_median_us() {
    booking::Engine engine;
    auto s = equipment(1);
    s.rules.training_required = false;
    s.rules.weekly_quota_minutes = 0;
    s.rules.max_horizon_days = 3660;
    engine.set_equipment(s);
    std::mt19937_64 rng(5);
    const Time now = year_start - D;
    while (engine.booking_count() < 10000) {
        const Time day = year_start + static_cast<Time>(rng() % 3000) * D;
        const Time start = day + 8 * H + static_cast<Time>(rng() % 24) * 1800;
        engine.book({EquipmentId(1), EnterpriseId(1), {start, start + static_cast<Time>(1 + rng() % 4) * 1800}, 1, {}, {}}, now);
    }
    std::vector<double> us;
    std::size_t found = 0;
    for (int i = 0; i < 20000; ++i) {
        const Time from = year_start + static_cast<Time>(rng() % 2900) * D;
        const auto t0 = Clock::now();
        found += engine.free_slots(EquipmentId(1), {from, from + D}, 60, 1).size();
        us.push_back(seconds_since(t0) * 1e6);
    }
    std::nth_element(us.begin(), us.begin() + static_cast<std::ptrdiff_t>(us.size() / 2), us.end());
    std::printf("free-slot query: %zu slots found in 20,000 one-day windows\n", found);
    return us[us.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    int attempts = 1'000'000, equipment_count = 1000;
    long memory_bookings = 10'000'000;
    bool strict = false, psp_only = false;   // --psp-only: just the engine loop, for profiling
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--attempts" && i + 1 < argc) attempts = std::stoi(argv[++i]);
        else if (a == "--equipment" && i + 1 < argc) equipment_count = std::stoi(argv[++i]);
        else if (a == "--memory-bookings" && i + 1 < argc) memory_bookings = std::stol(argv[++i]);
        else if (a == "--strict") strict = true;
        else if (a == "--psp-only") psp_only = true;
        else {
            std::fprintf(stderr, "usage: %s [--attempts N] [--equipment N] [--memory-bookings N] [--strict] [--psp-only]\n", argv[0]);
            return 2;
        }
    }
    const int enterprises = 5000;
    const auto work = make_attempts(attempts, equipment_count, enterprises, 42);
    // This machine is shared: each side runs several times, interleaved, and the medians are
    // compared (a burst of load elsewhere then spoils one repetition, not the ratio).
    const int reps = psp_only ? 5 : 3;
    std::vector<double> psp_rates, sqlite_rates;
    long psp_accepted = 0, sqlite_accepted = 0;
    for (int rep = 0; rep < reps; ++rep) {
        const auto p = run_psp(work, equipment_count, enterprises);
        psp_rates.push_back(attempts / p.seconds);
        psp_accepted = p.accepted;
        if (psp_only) continue;
        const auto s = run_sqlite(work);
        sqlite_rates.push_back(attempts / s.seconds);
        sqlite_accepted = s.accepted;
    }
    const double psp_rate = median(psp_rates);
    if (psp_only) {
        std::printf("psp in memory: median %.0f attempts/s of %d runs (best %.0f; %ld accepted)\n", psp_rate, reps,
                    *std::max_element(psp_rates.begin(), psp_rates.end()), psp_accepted);
        return 0;
    }
    const double sqlite_rate = median(sqlite_rates);
    std::printf("workload: %d attempts on %d equipment over 2025, full rule set; medians of %d interleaved runs\n",
                attempts, equipment_count, reps);
    std::printf("psp in memory:   %10.0f attempts/s  (%ld accepted, %.1f%% refused)\n", psp_rate, psp_accepted,
                100.0 * (attempts - psp_accepted) / attempts);
    std::printf("sqlite baseline: %10.0f attempts/s  (%ld accepted: overlap only)\n", sqlite_rate, sqlite_accepted);
    std::printf("ratio psp / sqlite: %.1fx (target >= 50x); psp target >= 2,000,000 attempts/s\n", psp_rate / sqlite_rate);
    const double bytes = index_bytes_per_booking(memory_bookings);
    std::printf("index memory: %.1f bytes per booking at %ld bookings (target <= 64)\n", bytes, memory_bookings);
    const double median = free_slot_median_us();
    std::printf("free-slot query median: %.2f us on an equipment with 10,000 bookings (target <= 5 us)\n", median);
    const bool met = psp_rate >= 2e6 && psp_rate / sqlite_rate >= 50 && bytes <= 64 && median <= 5;
    std::printf("targets: %s\n", met ? "all met" : "NOT all met");
    return strict && !met ? 1 : 0;
}
