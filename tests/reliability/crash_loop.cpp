// Crash safety (issue 9): a writer process books, cancels, checks in and completes on a psp file and
// logs every call that returned; the harness kills it with SIGKILL at a random moment, reopens the
// file and checks that nothing promised was lost and nothing half-done is visible. Repeated
// --kills times. --disk-full runs the same writer under RLIMIT_FSIZE until a write fails, which
// must be a clean psp::Error that loses nothing.
//
//   psp_crash_loop [--kills N] [--seed S] [--dir D]       the kill loop (default 30 kills)
//   psp_crash_loop --disk-full [--dir D]                  the file-size-limit case
//   (--writer and --disk-full-writer are the child modes the harness execs.)
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "reliability.hpp"

namespace rel = psp::reliability;
using psp::Booking;
using psp::BookingRequest;
using psp::Time;

namespace {

// --- The writer (child process).

// The acknowledged log: one line per call that returned, written and fsynced after it returned,
// so a line in it is something the library had promised was durable.
class AckLog {
public:
    explicit AckLog(const std::string& path) : fd_(::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0644)) {
        if (fd_ < 0) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
    }
    AckLog(const AckLog&) = delete;
    AckLog& operator=(const AckLog&) = delete;
    ~AckLog() { ::close(fd_); }
    void ack(const Booking& b) {
        const std::string line = std::to_string(b.id.value) + " " + psp::to_string(b.status) + "\n";
        if (::write(fd_, line.data(), line.size()) != static_cast<ssize_t>(line.size()) || ::fsync(fd_) != 0) {
            throw std::runtime_error(std::string("ack log: ") + std::strerror(errno));
        }
    }

private:
    int fd_;
};

// The first slot after every booking in the file, so a restarted writer books fresh slots.
std::int64_t next_slot(const psp::Database& db) {
    std::int64_t k = 0;
    const auto n = rel::net_ids();
    for (auto e : {n.e1, n.e2}) {
        for (const auto& b : db.bookings_of(e, rel::whole_range)) {
            k = std::max(k, (b.period.start - rel::base_time) / rel::slot_seconds + 1);
        }
    }
    return k;
}

// Loops until killed, booking (directly, in a batch of two, or routed by fulfil), cancelling,
// checking in and completing. Every slot is fresh, so a refusal is itself a failure (exit 4).
int run_writer(const std::string& db_path, const std::string& log_path, std::uint64_t seed) {
    auto now = std::make_shared<Time>(rel::base_time);
    psp::OpenOptions options;
    options.clock = [now] { return *now; };
    auto db = psp::Database::open(db_path, options);
    AckLog log(log_path);
    const auto n = rel::net_ids();
    const auto firm = psp::Actor::enterprise_self(n.firm);
    const auto op = psp::Actor::operator_of(n.platform);
    std::mt19937_64 rng(seed);
    for (std::int64_t k = next_slot(db);; ++k) {
        const psp::Period p = rel::slot(k);
        *now = p.start - 2 * 3600;
        const auto action = rng() % 6;
        if (action == 5) {   // routed: the booking and its served-request record in one transaction
            psp::ServiceRequest q;
            q.enterprise = n.firm;
            q.equipment_class = psp::EquipmentClassId(1);
            q.window = p;
            q.minutes = 30;
            q.received_by = n.platform;
            q.note = "fulfil:" + std::to_string(k);
            const auto f = db.fulfil(firm, q);
            if (!f) return std::cerr << "writer: fulfil found nothing: " << f.reason << "\n", 4;
            log.ack(db.get(f.served->booking));
            continue;
        }
        if (action == 4) {   // two instruments in one transaction: both or neither may show
            const std::string note = "batch:" + std::to_string(k);
            const auto out = db.book_batch(firm, {BookingRequest{n.e1, n.firm, p, 1, note, {}},
                                                  BookingRequest{n.e2, n.firm, p, 1, note, {}}});
            for (const auto& o : out) {
                if (!o) return std::cerr << "writer: batch refused: " << o.reason << "\n", 4;
            }
            for (const auto& o : out) log.ack(*o.booking);
            continue;
        }
        const auto out = db.book(firm, {k % 2 ? n.e2 : n.e1, n.firm, p, 1, "", {}});
        if (!out) return std::cerr << "writer: booking refused: " << out.reason << "\n", 4;
        log.ack(*out.booking);
        const auto id = out.booking->id;
        if (action == 0) {
            log.ack(db.cancel(firm, id));
        } else if (action == 1 || action == 2) {
            *now = p.start + 60;
            log.ack(db.check_in(op, id));
            if (action == 1) {
                *now = p.start + 20 * 60;
                log.ack(db.complete(op, id));
            }
        }
    }
}

// --- Checking the file after the writer died.

bool one_step_later(const std::string& from, const std::string& to) {
    return (from == "confirmed" && (to == "cancelled" || to == "checked_in")) || (from == "checked_in" && to == "completed");
}

rel::StatusMap read_acks(const std::string& log_path, rel::StatusMap acked) {
    std::ifstream in(log_path);
    std::string line;
    while (std::getline(in, line)) {
        if (in.eof()) break;   // no newline: torn (cannot happen with one write(), but be strict)
        std::istringstream ls(line);
        std::int64_t id = 0;
        std::string status;
        if (ls >> id >> status) acked[id] = status;
    }
    return acked;
}

// Compares the file with what was acknowledged; allow_unacked: how many committed-but-unacknowledged
// transactions may show (1 after a kill: the call in flight; 0 after a clean exit). Returns problems.
std::vector<std::string> check_against_acks(const std::string& db_path, const rel::StatusMap& acked,
                                            int allow_unacked, rel::FileState& fs, int& unacked_seen) {
    auto problems = rel::check_file(db_path, fs);
    std::vector<std::int64_t> diffs;
    for (const auto& [id, status] : acked) {
        auto it = fs.bookings.find(id);
        if (it == fs.bookings.end()) {
            problems.push_back("acknowledged booking " + std::to_string(id) + " (" + status + ") is missing");
        } else if (it->second != status) {
            if (one_step_later(status, it->second)) diffs.push_back(id);
            else problems.push_back("booking " + std::to_string(id) + " acknowledged " + status + " is " + it->second);
        }
    }
    std::set<std::string> new_notes;
    int new_rows = 0;
    for (const auto& [id, status] : fs.bookings) {
        if (acked.count(id)) continue;
        ++new_rows;
        new_notes.insert(fs.notes[id]);
        diffs.push_back(id);
    }
    // One unacknowledged transaction: a status change, a booking, or a batch of two (same note).
    const bool one_batch = diffs.size() == 2 && new_rows == 2 && new_notes.size() == 1 && new_notes.begin()->rfind("batch:", 0) == 0;
    const int transactions = one_batch ? 1 : static_cast<int>(diffs.size());
    if (transactions > allow_unacked) {
        problems.push_back(std::to_string(diffs.size()) + " unacknowledged change(s) visible (at most " +
                           std::to_string(allow_unacked) + " transaction allowed)");
    }
    // A lone booking of a batch is half a transaction.
    std::map<std::string, int> per_note;
    for (const auto& [id, note] : fs.notes) {
        if (note.rfind("batch:", 0) == 0) ++per_note[note];
    }
    for (const auto& [note, count] : per_note) {
        if (count != 2) problems.push_back(note + " has " + std::to_string(count) + " booking(s), not 2");
    }
    unacked_seen += transactions;
    // The model psp loads equals the journal's replay, and psp reads the journal whole.
    auto db = psp::Database::open(db_path);
    if (rel::loaded_statuses(db) != fs.replayed) problems.push_back("psp's reloaded bookings differ from the journal replay");
    if (static_cast<std::int64_t>(db.journal().size()) != fs.journal_rows) problems.push_back("psp's journal differs in length");
    if (static_cast<std::int64_t>(db.served_requests(rel::whole_range).size()) != fs.served) {
        problems.push_back("psp reloads another number of served requests than the file holds");
    }
    return problems;
}

pid_t spawn(const std::vector<std::string>& args) {
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
        // The writer loops until killed: if the harness dies first (ctest's timeout), take it along.
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) std::_Exit(126);
        std::vector<char*> argv;
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        ::execv("/proc/self/exe", argv.data());
        std::_Exit(127);
    }
    return pid;
}

int report(const std::vector<std::string>& problems, const std::string& when) {
    for (const auto& p : problems) std::cerr << "FAIL " << when << ": " << p << "\n";
    return problems.empty() ? 0 : 1;
}

int run_kill_loop(const std::string& dir, int kills, std::uint64_t seed) {
    const std::string db_path = dir + "/crash.psp", log_path = dir + "/crash.acks";
    rel::build_network(db_path);
    const auto t0 = std::chrono::steady_clock::now();
    std::mt19937_64 rng(seed);
    rel::StatusMap acked;
    int unacked = 0, early_exits = 0;
    rel::FileState fs;
    for (int i = 0; i < kills; ++i) {
        std::filesystem::remove(log_path);
        const pid_t pid = spawn({"psp_crash_loop", "--writer", db_path, log_path, std::to_string(seed + 1 + i)});
        std::this_thread::sleep_for(std::chrono::milliseconds(5 + rng() % 196));
        ::kill(pid, SIGKILL);
        int status = 0;
        ::waitpid(pid, &status, 0);
        if (!(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)) {
            ++early_exits;   // the writer stopped on its own: that is a failure of the writer
            std::cerr << "FAIL kill " << i + 1 << ": the writer exited by itself (status " << status << ")\n";
            return 1;
        }
        acked = read_acks(log_path, acked);
        fs = {};
        const auto problems = check_against_acks(db_path, acked, 1, fs, unacked);
        if (report(problems, "after kill " + std::to_string(i + 1))) return 1;
        acked = fs.bookings;   // the file, now checked, is the base of the next round
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cout << "crash loop: " << kills << " SIGKILLs survived in " << secs << " s; " << fs.bookings.size()
              << " bookings (" << fs.served << " routed by fulfil), " << fs.journal_rows << " journal rows; " << unacked
              << " committed-but-unacknowledged transaction(s) found (allowed: one per kill)\n";
    rel::remove_db_files(db_path);
    std::filesystem::remove(log_path);
    return 0;
}

// --- Disk full: RLIMIT_FSIZE makes a write past the limit fail with EFBIG (SIGXFSZ ignored).

int run_disk_full_writer(const std::string& db_path, const std::string& log_path) {
    auto now = std::make_shared<Time>(rel::base_time);
    psp::OpenOptions options;
    options.clock = [now] { return *now; };
    auto db = psp::Database::open(db_path, options);
    AckLog log(log_path);
    const auto n = rel::net_ids();
    const auto firm = psp::Actor::enterprise_self(n.firm);

    struct stat st {};
    ::stat(db_path.c_str(), &st);
    rlimit lim{};
    ::getrlimit(RLIMIT_FSIZE, &lim);
    const rlim_t hard = lim.rlim_max;
    // Room for a few dozen bookings in the WAL, well below its checkpoint size.
    lim.rlim_cur = static_cast<rlim_t>(st.st_size) + 256 * 1024;
    ::signal(SIGXFSZ, SIG_IGN);
    if (::setrlimit(RLIMIT_FSIZE, &lim) != 0) return std::cerr << "setrlimit: " << std::strerror(errno) << "\n", 2;

    std::int64_t k = 0, booked = 0;
    std::optional<psp::Error> failure;
    for (; k < 100'000 && !failure; ++k) {
        *now = rel::slot(k).start - 2 * 3600;
        try {
            const auto out = db.book(firm, {n.e1, n.firm, rel::slot(k), 1, "", {}});
            if (!out) return std::cerr << "disk-full writer: refused: " << out.reason << "\n", 4;
            log.ack(*out.booking);
            ++booked;
        } catch (const psp::Error& e) {
            failure = e;
        }
    }
    if (!failure) return std::cerr << "disk-full writer: the size limit was never hit\n", 5;
    --k;   // the slot that failed
    std::vector<std::string> problems;
    std::cout << "disk full: " << booked << " bookings acknowledged, then psp::Error{" << psp::to_string(failure->code())
              << ", \"" << failure->what() << "\"}\n";
    if (failure->code() != psp::ErrorCode::io) problems.push_back(std::string("expected ErrorCode::io, got ") + psp::to_string(failure->code()));
    // Memory forgot the failed booking...
    if (!db.bookings_of(n.e1, rel::slot(k)).empty()) problems.push_back("the failed booking is in memory");
    // ...and agrees with a fresh reader of the file (opened without the limit: opening writes).
    lim.rlim_cur = hard;
    ::setrlimit(RLIMIT_FSIZE, &lim);
    {
        auto other = psp::Database::open(db_path);
        if (rel::loaded_statuses(other) != rel::loaded_statuses(db)) problems.push_back("memory differs from the file after the failure");
    }
    // With room again the same handle books the same slot.
    try {
        const auto out = db.book(firm, {n.e1, n.firm, rel::slot(k), 1, "", {}});
        if (!out) problems.push_back("after the limit was lifted the slot was refused: " + out.reason);
        else log.ack(*out.booking);
    } catch (const psp::Error& e) {
        problems.push_back(std::string("after the limit was lifted: ") + e.what());
    }
    return report(problems, "disk full (writer)") ? 6 : 0;
}

int run_disk_full(const std::string& dir) {
    const std::string db_path = dir + "/diskfull.psp", log_path = dir + "/diskfull.acks";
    rel::build_network(db_path);
    std::filesystem::remove(log_path);
    const pid_t pid = spawn({"psp_crash_loop", "--disk-full-writer", db_path, log_path});
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::cerr << "FAIL disk full: the writer ended with status " << status << "\n";
        return 1;
    }
    rel::FileState fs;
    int unacked = 0;
    const auto problems = check_against_acks(db_path, read_acks(log_path, {}), 0, fs, unacked);
    if (report(problems, "disk full (reopened)")) return 1;
    std::cout << "disk full: reopened without the limit: integrity ok, " << fs.bookings.size()
              << " bookings, all acknowledged, none extra\n";
    rel::remove_db_files(db_path);
    std::filesystem::remove(log_path);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const std::vector<std::string> args(argv + 1, argv + argc);
        if (args.size() == 4 && args[0] == "--writer") return run_writer(args[1], args[2], std::stoull(args[3]));
        if (args.size() == 3 && args[0] == "--disk-full-writer") return run_disk_full_writer(args[1], args[2]);
        int kills = 30;
        std::uint64_t seed = std::random_device{}();
        std::string dir = std::filesystem::temp_directory_path().string();
        bool disk_full = false;
        for (std::size_t i = 0; i < args.size(); ++i) {
            if (args[i] == "--kills" && i + 1 < args.size()) kills = std::stoi(args[++i]);
            else if (args[i] == "--seed" && i + 1 < args.size()) seed = std::stoull(args[++i]);
            else if (args[i] == "--dir" && i + 1 < args.size()) dir = args[++i];
            else if (args[i] == "--disk-full") disk_full = true;
            else return std::cerr << "usage: psp_crash_loop [--kills N] [--seed S] [--dir D] | --disk-full [--dir D]\n", 2;
        }
        // Each run in its own directory, so parallel ctest runs never share a file.
        dir += "/psp_crash_" + std::to_string(::getpid());
        std::filesystem::create_directories(dir);
        std::cout << "seed " << seed << ", files in " << dir << "\n";
        const int rc = disk_full ? run_disk_full(dir) : run_kill_loop(dir, kills, seed);
        if (rc == 0) std::filesystem::remove_all(dir);
        return rc;
    } catch (const std::exception& e) {
        std::cerr << "psp_crash_loop: " << e.what() << "\n";
        return 3;
    }
}
