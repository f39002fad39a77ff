// Many district systems on one PostgreSQL database (issue 17, "No double booking, whoever
// writes"). N forked processes, each with its own connection over TCP to 127.0.0.1 and its own
// in-memory model, book the same contested slots of a single-unit instrument and a two-unit one,
// round after round, and cancel some of what they got. A change checked against a stale model is
// refused as busy; the process then catches up (Database::refresh) and tries again, a bounded
// number of times. Afterwards the tables themselves are read through libpq, not through psp:
//   - no two live bookings of the single-unit instrument overlap, and the two-unit one never
//     holds more than two units at any moment;
//   - every booking a process was told it got is there, live, unless that process cancelled it
//     (then cancelled), and no live booking exists that no process was told of;
//   - every refusal was busy or a rule's refusal (the slot was taken), nothing else.
//
//   psp_pg_writers [--processes N] [--rounds R] [--slots S] [--retries K]
// Needs PSP_TEST_POSTGRES (the URI of a cluster's maintenance database: tests/postgres/
// with_cluster.sh); without it, exits 77 (skipped).
#include <libpq-fe.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <iostream>
#include <random>
#include <set>
#include <sstream>

#include "reliability.hpp"

namespace rel = psp::reliability;

namespace {

constexpr psp::EquipmentId two_units{3};   // added after rel::build_network's two single-unit ones

struct Options {
    int processes = 4, rounds = 4, slots = 12, retries = 20;
};

// What one process saw. Acknowledged bookings as "id equipment start", cancellations as ids.
struct Tally {
    int ok = 0, refused = 0, busy = 0, gave_up = 0, other = 0, refreshes = 0;
    std::string first_other;
    std::vector<std::array<std::int64_t, 3>> booked;
    std::vector<std::int64_t> cancelled;
};

std::string serialise(const Tally& t) {
    std::ostringstream os;
    os << t.ok << ' ' << t.refused << ' ' << t.busy << ' ' << t.gave_up << ' ' << t.other << ' ' << t.refreshes << ' '
       << t.booked.size() << ' ';
    for (const auto& b : t.booked) os << b[0] << ' ' << b[1] << ' ' << b[2] << ' ';
    os << t.cancelled.size() << ' ';
    for (auto id : t.cancelled) os << id << ' ';
    os << t.first_other << '\n';
    return os.str();
}

Tally parse(const std::string& text) {
    std::istringstream in(text);
    Tally t;
    std::size_t n = 0;
    in >> t.ok >> t.refused >> t.busy >> t.gave_up >> t.other >> t.refreshes >> n;
    t.booked.resize(n);
    for (auto& b : t.booked) in >> b[0] >> b[1] >> b[2];
    in >> n;
    t.cancelled.resize(n);
    for (auto& id : t.cancelled) in >> id;
    std::getline(in >> std::ws, t.first_other);
    if (!in && !in.eof()) throw std::runtime_error("unreadable tally: " + text);
    return t;
}

// Runs `change` until it is not busy: busy means this model is stale (or the lock was held past
// the timeout), so catch up and try again. Returns false when it stayed busy `retries` times.
template <class F>
bool until_not_busy(psp::Database& db, Tally& t, int retries, F&& change) {
    for (int attempt = 0; attempt <= retries; ++attempt) {
        try {
            change();
            return true;
        } catch (const psp::Error& e) {
            if (e.code() != psp::ErrorCode::busy) throw;
            ++t.busy;
            db.refresh();
            ++t.refreshes;
        }
    }
    ++t.gave_up;
    return false;
}

[[noreturn]] void writer(const std::string& uri, const Options& opt, int who, int ready_fd, int go_fd, int result_fd) {
    Tally t;
    try {
        psp::OpenOptions o;
        o.busy_timeout_ms = 2000;
        o.clock = [] { return rel::base_time - 2 * 3600; };
        auto db = psp::Database::open(uri, o);
        const auto n = rel::net_ids();
        const auto firm = psp::Actor::enterprise_self(n.firm);
        std::mt19937 shuffle(static_cast<unsigned>(1000 + who));
        char byte = 'r';
        if (::write(ready_fd, &byte, 1) != 1) std::_Exit(2);
        while (::read(go_fd, &byte, 1) > 0) {
        }
        for (int round = 0; round < opt.rounds; ++round) {
            std::vector<int> order(static_cast<std::size_t>(opt.slots));
            for (int i = 0; i < opt.slots; ++i) order[static_cast<std::size_t>(i)] = round * opt.slots + i;
            std::shuffle(order.begin(), order.end(), shuffle);
            std::int64_t to_cancel = 0;
            for (int k : order) {
                for (const auto equipment : {n.e1, two_units}) {
                    const psp::BookingRequest want{equipment, n.firm, rel::slot(k), 1, "", {}};
                    try {
                        until_not_busy(db, t, opt.retries, [&] {
                            const auto out = db.book(firm, want);
                            if (!out) {
                                ++t.refused;
                                return;
                            }
                            ++t.ok;
                            t.booked.push_back({out.booking->id.value, equipment.value, want.period.start});
                            if (to_cancel == 0) to_cancel = out.booking->id.value;
                        });
                    } catch (const psp::Error& e) {
                        if (t.other++ == 0) t.first_other = "book slot " + std::to_string(k) + ": " + psp::to_string(e.code()) + ": " + e.what();
                    }
                }
            }
            // Give one back each round: its time is free again for the others' next attempts.
            if (to_cancel != 0) {
                try {
                    if (until_not_busy(db, t, opt.retries, [&] { db.cancel(firm, psp::BookingId(to_cancel)); })) {
                        t.cancelled.push_back(to_cancel);
                    }
                } catch (const psp::Error& e) {
                    if (t.other++ == 0) t.first_other = "cancel " + std::to_string(to_cancel) + ": " + psp::to_string(e.code()) + ": " + e.what();
                }
            }
        }
    } catch (const std::exception& e) {
        t.first_other = std::string("open: ") + e.what();
        ++t.other;
    }
    const auto s = serialise(t);
    const bool written = ::write(result_fd, s.data(), s.size()) == static_cast<ssize_t>(s.size());
    std::_Exit(written ? 0 : 2);
}

std::string read_all(int fd) {
    std::string s;
    char buf[4096];
    for (ssize_t r; (r = ::read(fd, buf, sizeof buf)) > 0;) s.append(buf, static_cast<std::size_t>(r));
    return s;
}

// A libpq session of its own, to read the tables without psp in between.
class Raw {
public:
    explicit Raw(const std::string& conninfo) : c_(PQconnectdb(conninfo.c_str())) {
        if (PQstatus(c_) != CONNECTION_OK) throw std::runtime_error("connect: " + std::string(PQerrorMessage(c_)));
    }
    ~Raw() { PQfinish(c_); }
    Raw(const Raw&) = delete;
    Raw& operator=(const Raw&) = delete;
    // Rows of text; a failed statement throws.
    std::vector<std::vector<std::string>> rows(const std::string& sql) {
        PGresult* r = PQexec(c_, sql.c_str());
        const auto status = PQresultStatus(r);
        if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
            const std::string why = PQerrorMessage(c_);
            PQclear(r);
            throw std::runtime_error(sql + ": " + why);
        }
        std::vector<std::vector<std::string>> out(static_cast<std::size_t>(PQntuples(r)));
        for (int i = 0; i < PQntuples(r); ++i) {
            for (int j = 0; j < PQnfields(r); ++j) out[static_cast<std::size_t>(i)].emplace_back(PQgetvalue(r, i, j));
        }
        PQclear(r);
        return out;
    }
    std::int64_t scalar(const std::string& sql) { return std::stoll(rows(sql).at(0).at(0)); }

private:
    PGconn* c_;
};

int run(const Options& opt, const std::string& base) {
    const std::string name = "psp_writers_" + std::to_string(::getpid());
    const std::string uri = base.substr(0, base.rfind('/') + 1) + name;
    Raw(base).rows("CREATE DATABASE " + name);
    struct Dropper {
        std::string base, name;
        ~Dropper() {
            try {
                Raw(base).rows("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (...) {
            }
        }
    } dropper{base, name};

    rel::build_network(uri);
    {
        auto db = psp::Database::open(uri);
        const auto office = psp::Actor::office();
        const auto& sem1 = db.get(rel::net_ids().e1);
        psp::Equipment pair{{}, "SEM-pair", sem1.equipment_class, sem1.owner, 2, sem1.site, 1'000'000};
        if (db.add(office, pair) != two_units) throw std::runtime_error("the two-unit instrument did not get id 3");
    }

    const auto k = static_cast<std::size_t>(opt.processes);
    int ready[2], go[2];
    if (::pipe(ready) || ::pipe(go)) throw std::runtime_error("pipe");
    std::vector<pid_t> pids(k);
    std::vector<int> results(k);
    for (std::size_t w = 0; w < k; ++w) {
        int result[2];
        if (::pipe(result)) throw std::runtime_error("pipe");
        pids[w] = ::fork();
        if (pids[w] < 0) throw std::runtime_error("fork");
        if (pids[w] == 0) {
            ::close(go[1]);   // else this child holds the go pipe open itself and never sees EOF
            ::close(result[0]);
            writer(uri, opt, static_cast<int>(w), ready[1], go[0], result[1]);
        }
        ::close(result[1]);
        results[w] = result[0];
    }
    char byte;
    for (std::size_t w = 0; w < k; ++w) {
        if (::read(ready[0], &byte, 1) != 1) throw std::runtime_error("a writer did not get ready");
    }
    ::close(go[1]);
    std::vector<Tally> tallies;
    for (std::size_t w = 0; w < k; ++w) {
        tallies.push_back(parse(read_all(results[w])));
        int status = 0;
        ::waitpid(pids[w], &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error("a writer failed");
    }

    std::vector<std::string> problems;
    Raw raw(uri);
    const auto live = "status IN (0, 1, 2, 3)";
    const auto overlapping_single = raw.scalar(
        std::string("SELECT count(*) FROM bookings a JOIN bookings b ON a.equipment = b.equipment AND a.id < b.id "
                    "AND a.start < b.\"end\" AND b.start < a.\"end\" WHERE a.equipment = 1 AND a.") + live + " AND b." + live);
    const auto over_two = raw.scalar(
        std::string("SELECT count(*) FROM bookings a WHERE a.equipment = 3 AND a.") + live +
        " AND (SELECT sum(o.units) FROM bookings o WHERE o.equipment = 3 AND o." + live +
        " AND o.start <= a.start AND o.\"end\" > a.start) > 2");
    if (overlapping_single != 0) problems.push_back(std::to_string(overlapping_single) + " overlapping pairs on the single-unit instrument");
    if (over_two != 0) problems.push_back(std::to_string(over_two) + " bookings start where the two-unit instrument holds more than two");

    std::set<std::int64_t> acknowledged, cancelled;
    for (const auto& t : tallies) {
        for (const auto& b : t.booked) {
            acknowledged.insert(b[0]);
            const auto row = raw.rows("SELECT equipment, start, status FROM bookings WHERE id = " + std::to_string(b[0]));
            if (row.empty()) {
                problems.push_back("acknowledged booking " + std::to_string(b[0]) + " is missing");
            } else if (std::stoll(row[0][0]) != b[1] || std::stoll(row[0][1]) != b[2]) {
                problems.push_back("booking " + std::to_string(b[0]) + " is not what its writer was told");
            }
        }
        cancelled.insert(t.cancelled.begin(), t.cancelled.end());
    }
    for (const auto& row : raw.rows("SELECT id, status FROM bookings")) {
        const auto id = std::stoll(row[0]);
        const int status = std::stoi(row[1]);
        if (!acknowledged.count(id)) problems.push_back("booking " + std::to_string(id) + " was never acknowledged");
        const int expected = cancelled.count(id) ? 4 : 1;
        if (status != expected) {
            problems.push_back("booking " + std::to_string(id) + " has status " + std::to_string(status) + ", expected " + std::to_string(expected));
        }
    }
    // psp itself reads back the same ledger.
    auto fresh = psp::Database::open(uri);
    std::size_t loaded = 0;
    for (const auto e : {rel::net_ids().e1, two_units}) loaded += fresh.bookings_of(e, rel::whole_range).size();
    if (loaded != acknowledged.size()) {
        problems.push_back("psp loads " + std::to_string(loaded) + " bookings, the writers were told of " + std::to_string(acknowledged.size()));
    }

    Tally sum;
    std::cout << opt.processes << " processes over TCP, " << opt.rounds << " rounds of " << opt.slots
              << " contested slots on a one-unit and a two-unit instrument:\n";
    for (std::size_t w = 0; w < k; ++w) {
        const auto& t = tallies[w];
        std::cout << "  process " << (w + 1) << ": booked " << t.ok << ", refused (taken) " << t.refused << ", busy " << t.busy
                  << " (caught up " << t.refreshes << " times), gave up " << t.gave_up << ", cancelled " << t.cancelled.size()
                  << ", other error " << t.other << (t.other ? " (first: " + t.first_other + ")" : "") << "\n";
        if (t.other) problems.push_back("process " + std::to_string(w + 1) + " got an error other than busy or a refusal");
        sum.ok += t.ok;
        sum.busy += t.busy;
    }
    std::cout << "  rows: " << acknowledged.size() << " bookings, " << cancelled.size() << " cancelled; overlaps beyond capacity: "
              << overlapping_single + over_two << "\n";
    if (sum.ok == 0) problems.push_back("no booking was accepted: the contest tested nothing");
    for (const auto& p : problems) std::cerr << "FAIL: " << p << "\n";
    return problems.empty() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        Options opt;
        const std::vector<std::string> args(argv + 1, argv + argc);
        for (std::size_t i = 0; i < args.size(); ++i) {
            if (args[i] == "--processes" && i + 1 < args.size()) opt.processes = std::stoi(args[++i]);
            else if (args[i] == "--rounds" && i + 1 < args.size()) opt.rounds = std::stoi(args[++i]);
            else if (args[i] == "--slots" && i + 1 < args.size()) opt.slots = std::stoi(args[++i]);
            else if (args[i] == "--retries" && i + 1 < args.size()) opt.retries = std::stoi(args[++i]);
            else return std::cerr << "usage: psp_pg_writers [--processes N] [--rounds R] [--slots S] [--retries K]\n", 2;
        }
        if (opt.processes < 1 || opt.rounds < 1 || opt.slots < 1 || opt.retries < 0) {
            return std::cerr << "psp_pg_writers: counts must be positive\n", 2;
        }
        const char* base = std::getenv("PSP_TEST_POSTGRES");
        if (!base || !*base) {
            std::cerr << "psp_pg_writers: PSP_TEST_POSTGRES is not set (run through tests/postgres/with_cluster.sh); skipped\n";
            return 77;
        }
        return run(opt, base);
    } catch (const std::exception& e) {
        std::cerr << "psp_pg_writers: " << e.what() << "\n";
        return 3;
    }
}
