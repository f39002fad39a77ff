// Issue 4 "Durable": booking through psp::Database on a SQLite file (write-through, WAL, one
// transaction per booking) against a bare SQLite insert per transaction with the same settings,
// in one run; and the batch call (many bookings in one transaction).
//   psp_booking_durable [--single N] [--batch N] [--dir DIR]
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "psp/psp.hpp"

using Clock = std::chrono::steady_clock;

namespace {

constexpr psp::Time H = 3600, D = 86400;
constexpr psp::Time start_of_2025 = 1735660800;   // 00:00 Asia/Shanghai

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

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

double bare_sqlite_inserts(const std::filesystem::path& p, int n) {
    remove_db(p);
    sqlite3* db = nullptr;
    sqlite3_open(p.string().c_str(), &db);
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                     "CREATE TABLE bookings(id INTEGER PRIMARY KEY, equipment INTEGER, enterprise INTEGER, start INTEGER, end INTEGER);",
                 nullptr, nullptr, nullptr);
    sqlite3_stmt* ins = nullptr;
    sqlite3_prepare_v2(db, "INSERT INTO bookings(equipment, enterprise, start, end) VALUES(?1, ?2, ?3, ?4)", -1, &ins, nullptr);
    const auto t0 = Clock::now();
    for (int i = 0; i < n; ++i) {
        sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
        sqlite3_bind_int64(ins, 1, i % 300);
        sqlite3_bind_int64(ins, 2, 1);
        sqlite3_bind_int64(ins, 3, start_of_2025 + i * H);
        sqlite3_bind_int64(ins, 4, start_of_2025 + i * H + H);
        sqlite3_step(ins);
        sqlite3_reset(ins);
        sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    }
    const double s = seconds_since(t0);
    sqlite3_finalize(ins);
    sqlite3_close(db);
    remove_db(p);
    return n / s;
}

}  // namespace

int main(int argc, char** argv) {
    int single = 2000, batch = 100000;
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
    double single_rate = 0, batch_rate = 0;
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

        const auto one_by_one = requests(eq, firm, single, start_of_2025);
        const auto t0 = Clock::now();
        long ok = 0;
        for (const auto& r : one_by_one) ok += db.book(office, r) ? 1 : 0;
        single_rate = single / seconds_since(t0);
        std::printf("psp book(), one transaction each: %8.0f bookings/s (%ld of %d booked)\n", single_rate, ok, single);

        const auto many = requests(eq, firm, batch, start_of_2025 + 400 * D);
        const auto t1 = Clock::now();
        const auto outcomes = db.book_batch(office, many);
        batch_rate = batch / seconds_since(t1);
        long booked = 0;
        for (const auto& o : outcomes) booked += o ? 1 : 0;
        std::printf("psp book_batch(), one transaction:  %8.0f bookings/s (%ld of %d booked; target >= 300,000)\n",
                    batch_rate, booked, batch);
    }
    remove_db(path);
    const double bare = bare_sqlite_inserts(dir / "psp_bare_sqlite.db", single);
    std::printf("bare SQLite insert per transaction: %8.0f inserts/s (WAL, synchronous=FULL)\n", bare);
    std::printf("psp per booking costs %.2fx a bare insert (target <= 1.3x)\n", bare / single_rate);
    return 0;
}
