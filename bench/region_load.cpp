// Region-scale load benchmark (issue 2 "Performance"): generate + save into a fresh SQLite file, and
// reopen + load it, each timed with its own peak RSS, against the targets <= 5 s and <= 1.5 GiB.
//
// Each phase runs in its own forked child so that the peak RSS of one does not inflate the other.
//   psp_region_load [--strict] [--scale district|city|region] [--seed N] [--db PATH] [--keep]
//   psp_region_load --phase save|load --db PATH ...   (one phase in this process, e.g. under perf)
// --strict: exit 1 when a target is missed (otherwise only reported). Exit 2 on an error.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "psp/database.hpp"
#include "psp/synth.hpp"
#include "timing.hpp"

namespace {

constexpr double target_seconds = 5.0;
constexpr double target_rss_kib = 1.5 * 1024 * 1024;  // 1.5 GiB

using psp::bench::Clock;
using psp::bench::seconds_since;

struct Options {
    bool strict = false;
    bool keep = false;
    psp::synth::Scale scale = psp::synth::Scale::region;
    std::uint64_t seed = 1;
    std::string db;
    std::string phase;   // empty: run both phases, each in a child
};

// What one phase measured, passed from the child to the parent as text lines.
struct PhaseResult {
    std::vector<std::pair<std::string, double>> steps;   // name, seconds
    double seconds = 0;      // the figure held against the target
    long maxrss_kib = 0;     // getrusage(RUSAGE_SELF).ru_maxrss
    long hwm_kib = 0;        // VmHWM of /proc/self/status
    std::string info;
    std::string error;
};

long vm_hwm_kib() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmHWM:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
    }
    return -1;
}

long ru_maxrss_kib() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;   // KiB on Linux
}

void remove_db(const std::string& path) {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path + suffix);
}

std::string counts_text(const psp::NetworkCounts& c) {
    std::ostringstream os;
    os << c.districts << " districts, " << c.zones << " zones, " << c.platforms << " platforms, " << c.equipment
       << " equipment, " << c.enterprises << " enterprises, " << c.zone_services << " zone services";
    return os.str();
}

// generate + open a fresh file + import_network + close.
PhaseResult run_save(const Options& o) {
    PhaseResult r;
    remove_db(o.db);
    const auto params = psp::synth::CityParams::for_scale(o.scale, o.seed);
    const auto start = Clock::now();
    auto t = Clock::now();
    const psp::Network net = psp::synth::generate_city(params);
    r.steps.emplace_back("generate", seconds_since(t));
    t = Clock::now();
    std::optional<psp::Database> db = psp::Database::open(o.db);
    r.steps.emplace_back("open", seconds_since(t));
    t = Clock::now();
    db->import_network(psp::Actor::office("bench"), net);
    r.steps.emplace_back("import", seconds_since(t));
    const auto counts = db->counts();
    t = Clock::now();
    db.reset();
    r.steps.emplace_back("close", seconds_since(t));
    r.seconds = seconds_since(start);
    r.maxrss_kib = ru_maxrss_kib();
    r.hwm_kib = vm_hwm_kib();
    std::uintmax_t bytes = std::filesystem::file_size(o.db);
    r.info = counts_text(counts) + "; file " + std::to_string(bytes / (1024 * 1024)) + " MiB";
    return r;
}

// reopen (Database::open loads everything into memory); close is reported but not counted.
PhaseResult run_load(const Options& o) {
    PhaseResult r;
    const auto start = Clock::now();
    std::optional<psp::Database> db = psp::Database::open(o.db);
    r.seconds = seconds_since(start);
    r.steps.emplace_back("open", r.seconds);
    r.maxrss_kib = ru_maxrss_kib();
    r.hwm_kib = vm_hwm_kib();
    r.info = counts_text(db->counts());
    const auto t = Clock::now();
    db.reset();
    r.steps.emplace_back("close (not counted)", seconds_since(t));
    return r;
}

PhaseResult failed(std::string message) {
    PhaseResult r;
    r.error = std::move(message);
    return r;
}

PhaseResult run_phase(const Options& o) {
    try {
        return o.phase == "save" ? run_save(o) : run_load(o);
    } catch (const std::exception& e) {
        return failed(e.what());
    }
}

std::string serialise(const PhaseResult& r) {
    std::ostringstream os;
    os.precision(17);
    for (const auto& [name, s] : r.steps) os << "step " << s << ' ' << name << '\n';
    os << "seconds " << r.seconds << "\nmaxrss " << r.maxrss_kib << "\nhwm " << r.hwm_kib << '\n';
    if (!r.info.empty()) os << "info " << r.info << '\n';
    if (!r.error.empty()) os << "error " << r.error << '\n';
    return os.str();
}

PhaseResult parse(const std::string& text) {
    PhaseResult r;
    std::istringstream is(text);
    std::string line;
    while (std::getline(is, line)) {
        const auto sp = line.find(' ');
        const std::string key = line.substr(0, sp);
        const std::string rest = sp == std::string::npos ? "" : line.substr(sp + 1);
        if (key == "step") {
            const auto sp2 = rest.find(' ');
            r.steps.emplace_back(rest.substr(sp2 + 1), std::strtod(rest.c_str(), nullptr));
        } else if (key == "seconds") {
            r.seconds = std::strtod(rest.c_str(), nullptr);
        } else if (key == "maxrss") {
            r.maxrss_kib = std::strtol(rest.c_str(), nullptr, 10);
        } else if (key == "hwm") {
            r.hwm_kib = std::strtol(rest.c_str(), nullptr, 10);
        } else if (key == "info") {
            r.info = rest;
        } else if (key == "error") {
            r.error = rest;
        }
    }
    return r;
}

// Runs one phase in a forked child and reads its result back through a pipe.
PhaseResult run_in_child(Options o, const std::string& phase) {
    o.phase = phase;
    int fds[2];
    if (pipe(fds) != 0) return failed(std::string("pipe: ") + std::strerror(errno));
    std::cout.flush();
    const pid_t pid = fork();
    if (pid < 0) return failed(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
        close(fds[0]);
        const std::string text = serialise(run_phase(o));
        std::size_t done = 0;
        while (done < text.size()) {
            const auto n = write(fds[1], text.data() + done, text.size() - done);
            if (n <= 0) break;
            done += static_cast<std::size_t>(n);
        }
        close(fds[1]);
        _exit(0);
    }
    close(fds[1]);
    std::string text;
    char buf[4096];
    for (;;) {
        const auto n = read(fds[0], buf, sizeof buf);
        if (n <= 0) break;
        text.append(buf, static_cast<std::size_t>(n));
    }
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    PhaseResult r = parse(text);
    if (WIFSIGNALED(status)) r.error = "child killed by signal " + std::to_string(WTERMSIG(status));
    else if (text.empty()) r.error = "child gave no result";
    return r;
}

double mib(long kib) { return static_cast<double>(kib) / 1024.0; }

// Prints one phase; returns whether it met both targets.
bool report(const char* name, const PhaseResult& r) {
    if (!r.error.empty()) {
        std::printf("%-14s ERROR: %s\n", name, r.error.c_str());
        return false;
    }
    const long peak = std::max(r.maxrss_kib, r.hwm_kib);
    const bool time_ok = r.seconds <= target_seconds;
    const bool rss_ok = static_cast<double>(peak) <= target_rss_kib;
    std::printf("%-14s %7.2f s  (target <= %.0f s: %s)   peak RSS %7.1f MiB ru_maxrss, %7.1f MiB VmHWM  (target <= %.0f MiB: %s)\n",
                name, r.seconds, target_seconds, time_ok ? "ok" : "MISSED", mib(r.maxrss_kib), mib(r.hwm_kib),
                target_rss_kib / 1024.0, rss_ok ? "ok" : "MISSED");
    std::printf("%-14s   ", "");
    for (std::size_t i = 0; i < r.steps.size(); ++i) {
        std::printf("%s%s %.3f s", i ? ", " : "", r.steps[i].first.c_str(), r.steps[i].second);
    }
    std::printf("\n%-14s   %s\n", "", r.info.c_str());
    return time_ok && rss_ok;
}

int usage(const char* argv0) {
    std::fprintf(stderr,
                 "usage: %s [--strict] [--scale district|city|region] [--seed N] [--db PATH] [--keep]\n"
                 "       %s --phase save|load --db PATH [--scale ...] [--seed N]\n",
                 argv0, argv0);
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "%s needs a value\n", a.c_str());
                std::exit(usage(argv[0]));
            }
            return argv[++i];
        };
        if (a == "--strict") o.strict = true;
        else if (a == "--keep") o.keep = true;
        else if (a == "--db") o.db = value();
        else if (a == "--seed") o.seed = std::strtoull(value().c_str(), nullptr, 10);
        else if (a == "--phase") o.phase = value();
        else if (a == "--scale") {
            const auto s = value();
            if (s == "district") o.scale = psp::synth::Scale::district;
            else if (s == "city") o.scale = psp::synth::Scale::city;
            else if (s == "region") o.scale = psp::synth::Scale::region;
            else return usage(argv[0]);
        } else {
            return usage(argv[0]);
        }
    }
    if (!o.phase.empty() && o.phase != "save" && o.phase != "load") return usage(argv[0]);
    if (o.db.empty()) {
        if (!o.phase.empty()) return usage(argv[0]);
        o.db = (std::filesystem::temp_directory_path() / ("psp-region-bench-" + std::to_string(getpid()) + ".sqlite"))
                   .string();
    }

    if (!o.phase.empty()) {   // one phase, in this process
        const PhaseResult r = run_phase(o);
        const bool ok = report(o.phase == "save" ? "generate+save" : "reopen+load", r);
        if (!r.error.empty()) return 2;
        return o.strict && !ok ? 1 : 0;
    }

    const auto p = psp::synth::CityParams::for_scale(o.scale, o.seed);
    std::printf("psp region load: %d platforms, %d equipment, %d enterprises (seed %llu), file %s\n", p.platforms,
                p.equipment, p.enterprises, static_cast<unsigned long long>(o.seed), o.db.c_str());
    const PhaseResult save = run_in_child(o, "save");
    const bool save_ok = report("generate+save", save);
    bool load_ok = false;
    PhaseResult load;
    if (save.error.empty()) {
        load = run_in_child(o, "load");
        load_ok = report("reopen+load", load);
    }
    if (!o.keep) remove_db(o.db);
    if (!save.error.empty() || !load.error.empty()) return 2;
    std::printf("targets: %s\n", save_ok && load_ok ? "all met" : "MISSED (see above)");
    return o.strict && !(save_ok && load_ok) ? 1 : 0;
}
