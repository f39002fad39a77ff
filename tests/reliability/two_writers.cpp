// Two processes on one database file (issue 9, "Concurrency"). Each psp::Database keeps its model
// in memory and checks bookings against it, so the question is what happens when another process
// wrote the file meanwhile: the issue asks that the second writer waits up to the busy timeout and
// then gets ErrorCode::busy, never a corrupt file or a double booking.
//
//   psp_two_writers [--slots N] [--busy-ms MS] [--order same|opposite] [--strict] [--dir D]
//       two forked processes, lined up by a pipe, book the same N slots of one single-unit
//       instrument; every call is counted as ok / refused (a rule) / busy / other error. Fails on a
//       double booking, a failed integrity check or a file psp cannot reopen; with --strict also on
//       any "other" error (the contract: ok, refused or busy only).
//   psp_two_writers --stale [--dir D]
//       a fixed sequence on two handles (two connections, two in-memory models: what two
//       processes have) that shows what a stale model does; fails on a double booking.
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <iostream>
#include <random>
#include <sstream>

#include "reliability.hpp"

namespace rel = psp::reliability;
using psp::BookingRequest;

namespace {

struct Counts {
    int ok = 0, refused = 0, busy = 0, other = 0;
    std::string first_other;   // the first "other" error, for the report
};

// The child: open, say ready, wait for the go (EOF on the pipe reaches both at once), book.
[[noreturn]] void racer(const std::string& path, int busy_ms, int slots, bool reverse, int ready_fd, int go_fd, int result_fd) {
    Counts c;
    try {
        psp::OpenOptions o;
        o.busy_timeout_ms = busy_ms;
        o.clock = [] { return rel::base_time - 2 * 3600; };
        auto db = psp::Database::open(path, o);
        const auto n = rel::net_ids();
        const auto firm = psp::Actor::enterprise_self(n.firm);
        char byte = 'r';
        if (::write(ready_fd, &byte, 1) != 1) std::_Exit(2);
        while (::read(go_fd, &byte, 1) > 0) {
        }
        for (int i = 0; i < slots; ++i) {
            const int k = reverse ? slots - 1 - i : i;
            try {
                const auto out = db.book(firm, BookingRequest{n.e1, n.firm, rel::slot(k), 1, "", {}});
                ++(out ? c.ok : c.refused);
            } catch (const psp::Error& e) {
                if (e.code() == psp::ErrorCode::busy) {
                    ++c.busy;
                } else {
                    if (c.other++ == 0) c.first_other = "slot " + std::to_string(k) + ": " + psp::to_string(e.code()) + ": " + e.what();
                }
            }
        }
    } catch (const std::exception& e) {
        c.first_other = std::string("open: ") + e.what();
        ++c.other;
    }
    std::ostringstream os;
    os << c.ok << " " << c.refused << " " << c.busy << " " << c.other << " " << c.first_other << "\n";
    const auto s = os.str();
    const bool written = ::write(result_fd, s.data(), s.size()) == static_cast<ssize_t>(s.size());
    std::_Exit(written ? 0 : 2);
}

Counts parse_counts(const std::string& line) {
    Counts c;
    std::istringstream in(line);
    in >> c.ok >> c.refused >> c.busy >> c.other;
    std::getline(in >> std::ws, c.first_other);
    return c;
}

std::string read_all(int fd) {
    std::string s;
    char buf[512];
    for (ssize_t r; (r = ::read(fd, buf, sizeof buf)) > 0;) s.append(buf, static_cast<std::size_t>(r));
    return s;
}

int run_race(const std::string& dir, int slots, int busy_ms, bool opposite, bool strict) {
    const std::string path = dir + "/two.psp";
    rel::build_network(path);
    int ready[2], go[2], result[2][2];
    if (::pipe(ready) || ::pipe(go) || ::pipe(result[0]) || ::pipe(result[1])) throw std::runtime_error("pipe");
    pid_t pids[2];
    for (int w = 0; w < 2; ++w) {
        pids[w] = ::fork();
        if (pids[w] < 0) throw std::runtime_error("fork");
        if (pids[w] == 0) {
            ::close(go[1]);   // else the child holds the go pipe open itself and never sees EOF
            ::close(result[w][0]);
            racer(path, busy_ms, slots, opposite && w == 1, ready[1], go[0], result[w][1]);
        }
        ::close(result[w][1]);
    }
    char byte;
    for (int w = 0; w < 2; ++w) {
        if (::read(ready[0], &byte, 1) != 1) throw std::runtime_error("a racer did not get ready");
    }
    ::close(go[1]);   // go
    Counts c[2];
    for (int w = 0; w < 2; ++w) {
        c[w] = parse_counts(read_all(result[w][0]));
        int status = 0;
        ::waitpid(pids[w], &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error("a racer failed");
    }

    rel::FileState fs;
    auto problems = rel::check_file(path, fs);
    rel::RawDb raw(path);
    const auto single = raw.scalar("SELECT count(*) FROM (SELECT start FROM bookings WHERE status IN (0,1,2,3) GROUP BY start HAVING count(*)=1)");
    const auto twice = raw.scalar("SELECT count(*) FROM (SELECT start FROM bookings WHERE status IN (0,1,2,3) GROUP BY start HAVING count(*)>1)");
    try {
        auto db = psp::Database::open(path);
        if (rel::loaded_statuses(db) != fs.bookings) problems.push_back("psp reloads other bookings than the file holds");
    } catch (const std::exception& e) {
        problems.push_back(std::string("psp cannot reopen the file: ") + e.what());
    }
    std::cout << "two writers, " << slots << " slots, busy_timeout_ms " << busy_ms << ", order " << (opposite ? "opposite" : "same") << ":\n";
    for (int w = 0; w < 2; ++w) {
        std::cout << "  process " << (w + 1) << ": ok " << c[w].ok << ", refused " << c[w].refused << ", busy " << c[w].busy
                  << ", other error " << c[w].other << (c[w].other ? " (first: " + c[w].first_other + ")" : "") << "\n";
        if (strict && c[w].other) problems.push_back("process " + std::to_string(w + 1) + " got errors other than busy");
    }
    std::cout << "  slots with exactly one booking: " << single << ", with none: "
              << slots - std::stoi(single) - std::stoi(twice) << ", with two or more: " << twice << "\n";
    for (const auto& p : problems) std::cerr << "FAIL: " << p << "\n";
    if (problems.empty()) rel::remove_db_files(path);
    return problems.empty() ? 0 : 1;
}

// --- The stale-model sequence. Two handles in one process are two SQLite connections with two
// in-memory models, exactly as in two processes, and the order of calls is fixed.

template <class F>
std::string attempt(F&& f) {
    try {
        return f();
    } catch (const psp::Error& e) {
        return std::string("psp::Error{") + psp::to_string(e.code()) + ", \"" + e.what() + "\"}";
    }
}

std::string outcome(const psp::BookingOutcome& o) {
    return o ? "booked id " + std::to_string(o.booking->id.value) : std::string("refused: ") + o.reason;
}

int run_stale(const std::string& dir) {
    const std::string path = dir + "/stale.psp";
    rel::build_network(path);
    auto now = std::make_shared<psp::Time>(rel::base_time - 2 * 3600);
    psp::OpenOptions o;
    o.clock = [now] { return *now; };
    const auto n = rel::net_ids();
    const auto firm = psp::Actor::enterprise_self(n.firm);
    const auto op = psp::Actor::operator_of(n.platform);
    const BookingRequest slot0{n.e1, n.firm, rel::slot(0), 1, "", {}};
    const BookingRequest slot7{n.e1, n.firm, rel::slot(7), 1, "", {}};

    auto a = psp::Database::open(path, o);
    auto b = psp::Database::open(path, o);
    std::cout << "stale model, two handles on one file (both opened on an empty ledger):\n";
    std::cout << "  1. A books slot 0:                      " << attempt([&] { return outcome(a.book(firm, slot0)); }) << "\n";
    std::cout << "  2. B books slot 0 (taken, B can't see): " << attempt([&] { return outcome(b.book(firm, slot0)); }) << "\n";
    std::cout << "  3. B books slot 7 (free everywhere):    " << attempt([&] { return outcome(b.book(firm, slot7)); }) << "\n";
    b = psp::Database::open(path, o);
    std::cout << "  4. B reopens: sees booking 1 " << psp::to_string(b.get(psp::BookingId(1)).status) << "\n";
    std::cout << "  5. A cancels booking 1:                 "
              << attempt([&] { return std::string(psp::to_string(a.cancel(firm, psp::BookingId(1)).status)); }) << "\n";
    std::cout << "  6. A books slot 0 again:                " << attempt([&] { return outcome(a.book(firm, slot0)); }) << "\n";
    *now = rel::slot(0).start + 60;
    std::cout << "  7. B checks in booking 1 (B: confirmed; file: cancelled): "
              << attempt([&] { return std::string(psp::to_string(b.check_in(op, psp::BookingId(1)).status)); }) << "\n";

    rel::FileState fs;
    auto problems = rel::check_file(path, fs);
    std::cout << "  file:";
    for (const auto& [id, status] : fs.bookings) std::cout << " booking " << id << " " << status << ";";
    std::cout << "\n";
    try {
        auto fresh = psp::Database::open(path);
        std::cout << "  reopened: psp loads " << rel::loaded_statuses(fresh).size() << " bookings\n";
    } catch (const std::exception& e) {
        problems.push_back(std::string("psp cannot reopen the file: ") + e.what());
    }
    for (const auto& p : problems) std::cerr << "FAIL: " << p << "\n";
    if (problems.empty()) rel::remove_db_files(path);
    return problems.empty() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        int slots = 200, busy_ms = 50;
        bool opposite = false, strict = false, stale = false;
        std::string dir = std::filesystem::temp_directory_path().string();
        const std::vector<std::string> args(argv + 1, argv + argc);
        for (std::size_t i = 0; i < args.size(); ++i) {
            if (args[i] == "--slots" && i + 1 < args.size()) slots = std::stoi(args[++i]);
            else if (args[i] == "--busy-ms" && i + 1 < args.size()) busy_ms = std::stoi(args[++i]);
            else if (args[i] == "--order" && i + 1 < args.size()) opposite = args[++i] == "opposite";
            else if (args[i] == "--strict") strict = true;
            else if (args[i] == "--stale") stale = true;
            else if (args[i] == "--dir" && i + 1 < args.size()) dir = args[++i];
            else return std::cerr << "usage: psp_two_writers [--slots N] [--busy-ms MS] [--order same|opposite] [--strict] | --stale\n", 2;
        }
        dir += "/psp_two_" + std::to_string(::getpid());
        std::filesystem::create_directories(dir);
        const int rc = stale ? run_stale(dir) : run_race(dir, slots, busy_ms, opposite, strict);
        // A failed race keeps its file for a look; the stale sequence prints all there is to see.
        if (rc == 0 || stale) std::filesystem::remove_all(dir);
        return rc;
    } catch (const std::exception& e) {
        std::cerr << "psp_two_writers: " << e.what() << "\n";
        return 3;
    }
}
