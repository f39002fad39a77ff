// Simulation on the Database: scratch copies, replications in parallel threads with progress, and
// stored runs (psp/simulation.hpp).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <set>
#include <thread>

#include "core/utf8.hpp"
#include "database/impl.hpp"
#include "json/reader.hpp"
#include "json/simulation_json.hpp"
#include "simulation/replication.hpp"

namespace psp {
namespace {

constexpr const char* run_doc = "simulation";

// Thrown inside a worker when the progress callback asked to stop; never leaves simulate().
struct Stopped {};

}  // namespace

Database Database::scratch_copy(const OpenOptions& options) const {
    auto s = std::make_unique<store::Store>(impl_->store, store::Store::InMemoryCopy{});
    auto impl = std::make_unique<Impl>(s, options.clock);
    impl->scratch = true;
    impl->keep_statistics = options.statistics;
    if (impl->keep_statistics) impl->rebuild_counters();
    return Database(std::move(impl));
}

std::vector<ScenarioResult> Database::simulate(const std::vector<Scenario>& scenarios, const SimulationOptions& options) const {
    if (scenarios.empty()) throw Error(ErrorCode::invalid, "simulate: no scenario given");
    if (options.threads < 0) throw Error(ErrorCode::invalid, "threads: must be >= 0 (0: one per hardware thread)");
    std::set<std::string> names;
    for (const auto& s : scenarios) {
        validate(s);
        if (!names.insert(s.name).second) throw Error(ErrorCode::invalid, "scenario name '" + s.name + "' is used twice");
    }

    struct Job {
        std::size_t scenario = 0;
        int replication = 0;
        std::atomic<std::int64_t> done{0}, total{1};
        std::atomic<bool> finished{false};
        ReplicationResult result;
    };
    std::vector<std::unique_ptr<Job>> jobs;
    for (std::size_t i = 0; i < scenarios.size(); ++i) {
        for (int r = 0; r < scenarios[i].replications; ++r) {
            auto j = std::make_unique<Job>();
            j->scenario = i;
            j->replication = r;
            jobs.push_back(std::move(j));
        }
    }
    const unsigned hardware = std::max(1U, std::thread::hardware_concurrency());
    const std::size_t threads = std::min<std::size_t>(jobs.size(), options.threads > 0 ? static_cast<std::size_t>(options.threads) : hardware);

    std::mutex lock;                 // guards next, failure, and copying from this database
    std::condition_variable changed;
    std::size_t next = 0, running = threads;
    std::exception_ptr failure;
    std::atomic<bool> stop{false};

    const auto work = [&] {
        while (true) {
            Job* job = nullptr;
            {
                std::lock_guard g(lock);
                if (next == jobs.size() || failure || stop) break;
                job = jobs[next++].get();
            }
            try {
                const Scenario& s = scenarios[job->scenario];
                simulation_detail::SimClock clock;
                OpenOptions o;
                o.clock = [&clock] { return clock.now; };
                // The replication reads the statistics once, after the horizon: counting the
                // ledger then costs less than keeping the counters through every change.
                o.statistics = false;
                std::optional<Database> copy;
                {
                    std::lock_guard g(lock);   // the source connection serves one reader at a time
                    copy.emplace(scratch_copy(o));
                }
                const auto tick = [&](std::int64_t done, std::int64_t total) {
                    job->total = std::max<std::int64_t>(1, total);
                    job->done = done;
                    if (stop) throw Stopped{};
                };
                // Room for a booking, a served request and a price per request (at most): a year
                // of them grown by doubling was copied over and over and left the old copies'
                // pages behind. Only what is filled becomes resident: an unmet request per request
                // at most, and room for a voucher movement per request (a refund adds a second).
                const auto expect = [&copy](std::size_t requests) {
                    Impl& impl = *copy->impl_;
                    impl.engine.reserve(impl.engine.booking_count() + requests);
                    impl.served.reserve(impl.served.size() + requests);
                    impl.prices.reserve(impl.engine.booking_count() + requests);
                    impl.unmet.reserve(impl.unmet.size() + requests);
                    impl.movements.reserve(impl.movements.size() + requests);
                };
                job->result = simulation_detail::run_replication(*copy, clock, s, simulation_detail::replication_seed(s.seed, job->replication),
                                                                 tick, expect);
                job->finished = true;
            } catch (const Stopped&) {
                break;
            } catch (...) {
                std::lock_guard g(lock);
                if (!failure) failure = std::current_exception();
                break;
            }
            changed.notify_all();
        }
        std::lock_guard g(lock);
        --running;
        changed.notify_all();
    };

    std::vector<std::thread> pool;
    for (std::size_t i = 0; i < threads; ++i) pool.emplace_back(work);
    const auto report = [&] {
        if (!options.progress || stop) return;
        SimulationProgress p;
        p.scenarios = static_cast<int>(scenarios.size());
        p.replications = static_cast<int>(jobs.size());
        double fraction = 0;
        for (const auto& j : jobs) {
            if (j->finished) {
                ++p.replications_done;
                fraction += 1;
            } else {
                fraction += static_cast<double>(j->done) / static_cast<double>(j->total);
                if (j->done > 0) p.scenario = static_cast<int>(j->scenario);
            }
        }
        p.fraction = fraction / static_cast<double>(jobs.size());
        if (p.replications_done == p.replications) p.scenario = p.scenarios - 1;
        bool go_on = false;
        try {
            go_on = options.progress(p);
        } catch (...) {
            std::lock_guard g(lock);
            if (!failure) failure = std::current_exception();
        }
        if (!go_on) stop = true;
    };
    {
        std::unique_lock g(lock);
        while (running > 0) {
            changed.wait_for(g, std::chrono::milliseconds(200));
            g.unlock();
            report();
            g.lock();
        }
    }
    for (auto& t : pool) t.join();
    if (failure) std::rethrow_exception(failure);
    if (stop) throw Error(ErrorCode::refused, "simulate: stopped by the progress callback");

    std::vector<ScenarioResult> out;
    for (std::size_t i = 0; i < scenarios.size(); ++i) {
        std::vector<ReplicationResult> reps;
        for (const auto& j : jobs) {
            if (j->scenario == i) reps.push_back(std::move(j->result));
        }
        out.push_back(summarise(scenarios[i], std::move(reps)));
    }
    return out;
}

void Database::Impl::load_simulations() {
    for (const auto& [id, text] : store.load_documents(run_doc)) {
        simulation_runs[id] = json::simulation_run_from_json(json::parse_document(text), "/simulation_runs/" + std::to_string(id));
    }
}

SimulationRunId Database::save_simulation(const Actor& actor, const std::string& name, const std::vector<ScenarioResult>& results) {
    Impl::require_permission(actor, Action::monitor, false, "a simulation run");
    if (name.empty() || name.size() > 200 || !detail::valid_utf8(name)) {
        throw Error(ErrorCode::invalid, "simulation name: must be 1..200 bytes of UTF-8");
    }
    if (results.empty()) throw Error(ErrorCode::invalid, "simulation results: no scenario");
    std::set<std::string> names;
    for (const auto& r : results) {
        validate(r.scenario);
        if (!names.insert(r.scenario.name).second) {
            throw Error(ErrorCode::invalid, "simulation results: scenario name '" + r.scenario.name + "' is used twice");
        }
        if (r.replications.empty()) throw Error(ErrorCode::invalid, "simulation results: scenario '" + r.scenario.name + "' has no replication");
    }
    SimulationRun draft;
    draft.id = SimulationRunId(impl_->simulation_runs.empty() ? 1 : impl_->simulation_runs.rbegin()->first + 1);
    draft.name = name;
    draft.at = impl_->now();
    draft.scenarios = results;
    // Memory keeps what the stored JSON reads back (horizons in whole China days, the summary
    // recomputed from the replications), so that the file and memory cannot differ.
    const auto stored = json::to_json(draft);
    const SimulationRun run = json::simulation_run_from_json(stored, "");
    nlohmann::json summary{{"run", run.id.value}, {"name", run.name}, {"scenarios", nlohmann::json::array()}};
    for (const auto& r : results) summary["scenarios"].push_back(r.scenario.name);
    impl_->commit_ledger(
        [&] {
            impl_->store.put_document(run_doc, run.id.value, stored.dump());
            impl_->journal(impl_->store, actor, "simulate", EntityKind::simulation, run.id.value, summary);
        },
        [&] { impl_->simulation_runs[run.id.value] = run; });
    return run.id;
}

SimulationRun Database::simulation(SimulationRunId id) const {
    auto it = impl_->simulation_runs.find(id.value);
    if (it == impl_->simulation_runs.end()) throw Error(ErrorCode::not_found, "no simulation run " + std::to_string(id.value));
    return it->second;
}

std::vector<SimulationRun> Database::simulations() const {
    std::vector<SimulationRun> out;
    for (const auto& [id, r] : impl_->simulation_runs) out.push_back(r);
    return out;
}

}  // namespace psp
