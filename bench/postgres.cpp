// Issue 17: psp on a shared PostgreSQL database, side by side in one run.
//   1. Durable booking: Database::book, one transaction each, against a bare libpq INSERT per
//      transaction (autocommit, prepared) into a plain table on the same server, in alternating
//      rounds; the median of the per-round ratios (target <= 1.3x).
//   2. Concurrent writers: K processes, each with its own connection and model, booking free
//      slots of their own instruments (no slot is contested; every psp write still takes the
//      database's write lock, and a model another process made stale is refused as busy and
//      caught up with refresh()), against one process booking alone: total bookings per second.
//   3. Catching up: at city scale, another connection commits N bookings; Database::refresh() on
//      this one reads them from the journal (target: N = 1,000 in <= 50 ms), against reload(),
//      which reads the whole model again. The same on a SQLite file for comparison.
//
//   psp_postgres [--single N] [--writers K] [--per-writer N] [--catch-up N] [--repeat R]
// Needs PSP_TEST_POSTGRES, the URI of a cluster's maintenance database (bench/postgres.sh starts a
// throwaway cluster with fsync on through tests/postgres/with_cluster.sh); exits 77 without it.
#include <libpq-fe.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "psp/psp.hpp"
#include "timing.hpp"

using psp::bench::Clock;
using psp::bench::median;
using psp::bench::seconds_since;

namespace {

constexpr psp::Time H = 3600, D = 86400;
constexpr psp::Time start_of_2027 = 1798732800;   // 2027-01-01 00:00 Asia/Shanghai

std::string base_uri;

std::string uri_of(const std::string& database) { return base_uri.substr(0, base_uri.rfind('/') + 1) + database; }

void admin(const std::string& conninfo, const std::string& sql) {
    PGconn* c = PQconnectdb(conninfo.c_str());
    PGresult* r = PQexec(c, sql.c_str());
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    const std::string why = PQerrorMessage(c);
    PQclear(r);
    PQfinish(c);
    if (!ok) throw std::runtime_error(sql + ": " + why);
}

// A fresh database for one part of the run, dropped afterwards.
struct Scratch {
    std::string name;
    explicit Scratch(std::string n) : name(std::move(n)) {
        admin(base_uri, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        admin(base_uri, "CREATE DATABASE " + name);
    }
    ~Scratch() {
        try {
            admin(base_uri, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (...) {
        }
    }
    std::string uri() const { return uri_of(name); }
};

// Opening hours around the clock and rules that accept any free hour, so that every booking the
// benchmark makes is accepted and written.
void open_all_hours(psp::Database& db) {
    const auto office = psp::Actor::office();
    db.transaction([&] {
        psp::Calendar always;
        for (auto& d : always.weekly) d = {{0, 1440}};
        for (const auto& p : db.platforms()) db.set_calendar(office, p.id, always);
        psp::BookingRules rules;
        rules.min_notice_minutes = 0;
        rules.max_horizon_days = 3660;
        for (const auto& e : db.equipment()) db.set_booking_rules(office, e.id, rules);
    });
}

// n bookings that collide with nothing: instruments round robin from `first`, consecutive hours.
std::vector<psp::BookingRequest> requests(const std::vector<psp::Equipment>& eq, std::size_t first, std::size_t count,
                                          psp::EnterpriseId firm, int n, psp::Time from) {
    std::vector<psp::BookingRequest> out;
    for (int i = 0; i < n; ++i) {
        const auto& e = eq[first + static_cast<std::size_t>(i) % count];
        const psp::Time s = from + static_cast<psp::Time>(i / static_cast<int>(count)) * H;
        out.push_back({e.id, firm, {s, s + H}, 1, {}, {}});
    }
    return out;
}

psp::OpenOptions fixed_clock() {
    psp::OpenOptions o;
    o.clock = [] { return start_of_2027 - D; };
    o.busy_timeout_ms = 30000;
    return o;
}

// --- 1. Durable booking against a bare INSERT.
void durable(int single) {
    Scratch s("psp_bench_durable");
    auto db = psp::Database::open(s.uri(), fixed_clock());
    const auto office = psp::Actor::office();
    db.import_network(office, psp::synth::generate_city(psp::synth::CityParams::for_scale(psp::synth::Scale::district, 1)));
    open_all_hours(db);
    const auto eq = db.equipment();
    const auto firm = db.enterprises().front().id;
    const auto wanted = requests(eq, 0, eq.size(), firm, single, start_of_2027);

    PGconn* bare = PQconnectdb(uri_of("psp_bench_durable").c_str());
    PQclear(PQexec(bare, "CREATE TABLE bare(id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, equipment BIGINT, "
                         "enterprise BIGINT, start BIGINT, \"end\" BIGINT, units BIGINT, status BIGINT)"));
    PQclear(PQprepare(bare, "ins", "INSERT INTO bare(equipment, enterprise, start, \"end\", units, status) VALUES($1, $2, $3, $4, 1, 1)", 4, nullptr));
    // The same row into psp's own bookings table, as a client that is not psp would write it: its
    // trigger (the instrument's row lock, the capacity) and exclusion constraint (the GiST index)
    // run, but no journal row, no write lock and one round trip. Times from 2030 on, ids from
    // 10,000,000, so that psp's own bookings never meet these.
    PQclear(PQprepare(bare, "raw", "INSERT INTO bookings(id, equipment, enterprise, start, \"end\", units, status, created, fee, note) "
                                   "VALUES($1, $2, $3, $4, $5, 1, 1, 0, 0, '')", 5, nullptr));
    std::int64_t raw_row = 0;
    const psp::Time start_of_2030 = start_of_2027 + 1096 * D;
    const auto raw_insert = [&](int n) {
        const auto t0 = Clock::now();
        for (int i = 0; i < n; ++i, ++raw_row) {
            const auto& e = eq[static_cast<std::size_t>(raw_row) % eq.size()];
            const psp::Time at = start_of_2030 + (raw_row / static_cast<std::int64_t>(eq.size())) * H;
            const std::string v[5] = {std::to_string(10'000'000 + raw_row), std::to_string(e.id.value), std::to_string(firm.value),
                                      std::to_string(at), std::to_string(at + H)};
            const char* values[5] = {v[0].c_str(), v[1].c_str(), v[2].c_str(), v[3].c_str(), v[4].c_str()};
            PGresult* r = PQexecPrepared(bare, "raw", 5, values, nullptr, nullptr, 0);
            if (PQresultStatus(r) != PGRES_COMMAND_OK) throw std::runtime_error(PQerrorMessage(bare));
            PQclear(r);
        }
        return n / seconds_since(t0);
    };
    std::int64_t row = 0;
    const auto bare_insert = [&](int n) {
        const auto t0 = Clock::now();
        for (int i = 0; i < n; ++i, ++row) {
            const std::string v[4] = {std::to_string(row % 300), "1", std::to_string(start_of_2027 + row * H),
                                      std::to_string(start_of_2027 + row * H + H)};
            const char* values[4] = {v[0].c_str(), v[1].c_str(), v[2].c_str(), v[3].c_str()};
            PGresult* r = PQexecPrepared(bare, "ins", 4, values, nullptr, nullptr, 0);
            if (PQresultStatus(r) != PGRES_COMMAND_OK) throw std::runtime_error(PQerrorMessage(bare));
            PQclear(r);
        }
        return n / seconds_since(t0);
    };

    const int rounds = 7;
    const int per_round = std::max(1, single / rounds);
    std::vector<double> psp_rates, bare_rates, raw_rates, ratios, raw_ratios;
    std::size_t next = 0;
    long ok = 0;
    for (int round = 0; round < rounds; ++round) {
        const auto t0 = Clock::now();
        for (int i = 0; i < per_round && next < wanted.size(); ++i) ok += db.book(office, wanted[next++]) ? 1 : 0;
        psp_rates.push_back(per_round / seconds_since(t0));
        bare_rates.push_back(bare_insert(per_round));
        raw_rates.push_back(raw_insert(per_round));
        ratios.push_back(bare_rates.back() / psp_rates.back());
        raw_ratios.push_back(bare_rates.back() / raw_rates.back());
    }
    PQfinish(bare);
    std::printf("durable booking, one transaction each (%ld accepted of %d):\n", ok, rounds * per_round);
    std::printf("  Database::book on PostgreSQL   %8.0f /s (median of %d rounds)\n", median(psp_rates), rounds);
    std::printf("  bare libpq INSERT, autocommit  %8.0f /s\n", median(bare_rates));
    std::printf("  psp's bookings table, autocommit %6.0f /s (its trigger and exclusion constraint; no journal, one round trip)\n",
                median(raw_rates));
    std::printf("  time per booking / per insert  %8.2fx (median of per-round ratios; target <= 1.3x)\n", median(ratios));
    std::printf("  psp's table alone / per insert %8.2fx (what the database's own no-double-booking rules cost)\n", median(raw_ratios));
}

// --- 2. Concurrent writers.
struct WriterResult {
    long booked = 0, busy = 0;
};

// One writer process: books its own instruments' free hours; busy -> refresh and retry.
WriterResult write_share(const std::string& uri, std::size_t first, std::size_t count, int n, int ready_fd, int go_fd) {
    auto db = psp::Database::open(uri, fixed_clock());
    const auto office = psp::Actor::office();
    const auto eq = db.equipment();
    const auto wanted = requests(eq, first, count, db.enterprises().front().id, n, start_of_2027 + 30 * D);
    char byte = 'r';
    if (ready_fd >= 0 && ::write(ready_fd, &byte, 1) != 1) std::_Exit(2);
    if (go_fd >= 0) {
        while (::read(go_fd, &byte, 1) > 0) {
        }
    }
    WriterResult r;
    for (const auto& w : wanted) {
        for (int attempt = 0; attempt < 1000; ++attempt) {
            try {
                if (db.book(office, w)) ++r.booked;
                break;
            } catch (const psp::Error& e) {
                if (e.code() != psp::ErrorCode::busy) throw;
                ++r.busy;
                db.refresh();
            }
        }
    }
    return r;
}

void writers(int k, int per_writer) {
    Scratch s("psp_bench_writers");
    {
        auto db = psp::Database::open(s.uri(), fixed_clock());
        db.import_network(psp::Actor::office(),
                          psp::synth::generate_city(psp::synth::CityParams::for_scale(psp::synth::Scale::district, 1)));
        open_all_hours(db);
    }
    const std::size_t instruments = psp::Database::open(s.uri(), fixed_clock()).equipment().size();
    const std::size_t share = instruments / static_cast<std::size_t>(k + 1);

    // One writer alone, on the last share of the instruments.
    const auto t1 = Clock::now();
    const auto alone = write_share(s.uri(), share * static_cast<std::size_t>(k), share, per_writer, -1, -1);
    const double alone_rate = static_cast<double>(alone.booked) / seconds_since(t1);

    int ready[2], go[2], results[2];
    if (::pipe(ready) || ::pipe(go) || ::pipe(results)) throw std::runtime_error("pipe");
    std::vector<pid_t> pids;
    for (int w = 0; w < k; ++w) {
        const pid_t pid = ::fork();
        if (pid < 0) throw std::runtime_error("fork");
        if (pid == 0) {
            ::close(go[1]);
            WriterResult r;
            try {
                r = write_share(s.uri(), share * static_cast<std::size_t>(w), share, per_writer, ready[1], go[0]);
            } catch (const std::exception& e) {
                std::fprintf(stderr, "writer %d: %s\n", w, e.what());
                std::_Exit(3);
            }
            char line[64];
            const int len = std::snprintf(line, sizeof line, "%ld %ld\n", r.booked, r.busy);
            std::_Exit(::write(results[1], line, static_cast<std::size_t>(len)) == len ? 0 : 2);
        }
        pids.push_back(pid);
    }
    ::close(results[1]);
    char byte;
    for (int w = 0; w < k; ++w) {
        if (::read(ready[0], &byte, 1) != 1) throw std::runtime_error("a writer did not get ready");
    }
    const auto t0 = Clock::now();
    ::close(go[1]);
    for (auto pid : pids) {
        int status = 0;
        ::waitpid(pid, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error("a writer failed");
    }
    const double wall = seconds_since(t0);
    std::string text;
    char buf[256];
    for (ssize_t r; (r = ::read(results[0], buf, sizeof buf)) > 0;) text.append(buf, static_cast<std::size_t>(r));
    long booked = 0, busy = 0;
    for (std::size_t at = 0; at < text.size();) {
        long b = 0, u = 0;
        if (std::sscanf(text.c_str() + at, "%ld %ld", &b, &u) != 2) break;
        booked += b;
        busy += u;
        at = text.find('\n', at) + 1;
    }
    const double together = static_cast<double>(booked) / wall;
    std::printf("concurrent writers, each on its own instruments, one transaction per booking:\n");
    std::printf("  one writer alone               %8.0f bookings/s\n", alone_rate);
    std::printf("  %d writers together             %8.0f bookings/s in all (%.2fx one alone; %ld busy refusals caught up "
                "with refresh(), %.2f per booking)\n",
                k, together, together / alone_rate, busy, static_cast<double>(busy) / static_cast<double>(std::max(booked, 1L)));
}

// --- 3. Catching up on another connection's commits.
void catch_up(const std::string& label, const std::string& target, int changes, int repeat) {
    const auto office = psp::Actor::office();
    {
        auto db = psp::Database::open(target, fixed_clock());
        db.import_network(office, psp::synth::generate_city(psp::synth::CityParams::for_scale(psp::synth::Scale::city, 1)));
        open_all_hours(db);
    }
    auto writer = psp::Database::open(target, fixed_clock());
    auto reader = psp::Database::open(target, fixed_clock());
    const auto eq = writer.equipment();
    const auto firm = writer.enterprises().front().id;
    std::vector<double> refresh_s, reload_s;
    std::size_t rows = 0;
    bool reloaded = false;
    for (int r = 0; r < 2 * repeat; ++r) {
        const auto batch = requests(eq, 0, eq.size(), firm, changes, start_of_2027 + static_cast<psp::Time>(r) * 7 * D);
        writer.transaction([&] {
            for (const auto& b : batch) writer.book(office, b);
        });
        const auto t0 = Clock::now();
        if (r % 2 == 0) {
            const auto caught = reader.refresh();
            refresh_s.push_back(seconds_since(t0));
            rows = caught.journal_rows;
            reloaded = reloaded || caught.reloaded;
        } else {
            reader.reload();
            reload_s.push_back(seconds_since(t0));
        }
    }
    const double a = median(refresh_s) * 1e3, b = median(reload_s) * 1e3;
    std::printf("catching up on %d booking attempts made elsewhere, city scale, %s (median of %d):\n", changes, label.c_str(), repeat);
    std::printf("  refresh()  %8.1f ms (%zu journal rows: the bookings accepted; %s; target <= 50 ms for 1,000 changes)\n", a, rows,
                reloaded ? "RELOADED" : "read row by row");
    std::printf("  reload()   %8.1f ms (the whole model read again): refresh is %.0fx faster\n", b, b / a);
}

}  // namespace

int main(int argc, char** argv) {
    int single = 1400, k = 4, per_writer = 300, changes = 1000, repeat = 5;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--single" && i + 1 < argc) single = std::stoi(argv[++i]);
        else if (a == "--writers" && i + 1 < argc) k = std::stoi(argv[++i]);
        else if (a == "--per-writer" && i + 1 < argc) per_writer = std::stoi(argv[++i]);
        else if (a == "--catch-up" && i + 1 < argc) changes = std::stoi(argv[++i]);
        else if (a == "--repeat" && i + 1 < argc) repeat = std::stoi(argv[++i]);
        else {
            std::fprintf(stderr, "usage: %s [--single N] [--writers K] [--per-writer N] [--catch-up N] [--repeat R]\n", argv[0]);
            return 2;
        }
    }
    const char* base = std::getenv("PSP_TEST_POSTGRES");
    if (!base || !*base) {
        std::fprintf(stderr, "psp_postgres: PSP_TEST_POSTGRES is not set; run it through bench/postgres.sh\n");
        return 77;
    }
    base_uri = base;
    try {
        durable(single);
        writers(k, per_writer);
        {
            Scratch s("psp_bench_catch_up");
            catch_up("PostgreSQL", s.uri(), changes, repeat);
        }
        const auto file = std::filesystem::temp_directory_path() / "psp_bench_catch_up.psp";
        for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file.string() + suffix);
        catch_up("SQLite file", file.string(), changes, repeat);
        for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file.string() + suffix);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "psp_postgres: %s\n", e.what());
        return 1;
    }
    return 0;
}
