// Database::Impl: the working state, the store, and the generic change pipeline
// (permission, invariants, SQLite transaction with journal row, then memory).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <unordered_map>

#include "booking/engine.hpp"
#include "database/price_table.hpp"
#include "database/request_log.hpp"
#include "database/rules.hpp"
#include "database/state.hpp"
#include "database/tariff_table.hpp"
#include "database/traits.hpp"
#include "database/voucher_accounts.hpp"
#include "graph/network_graph.hpp"
#include "json/network_json.hpp"
#include "psp/database.hpp"
#include "psp/error.hpp"
#include "stats/counters.hpp"
#include "store/store.hpp"

namespace psp {

using detail::RuleError;
using detail::State;
using detail::Traits;

// "'name' (role[ of platform P | N])": who was refused, in permission and read refusals.
inline std::string describe_actor(const Actor& actor) {
    std::string who = "'" + actor.name + "' (" + to_string(actor.role);
    if (actor.role == Role::platform_operator) who += " of platform " + std::to_string(actor.platform.value);
    if (actor.role == Role::enterprise) who += " " + std::to_string(actor.enterprise.value);
    return who + ")";
}

struct Database::Impl {
    // The store outlives a reload (Database::transaction rebuilds the Impl around it).
    std::unique_ptr<store::Store> owned_store;
    store::Store& store;
    State state;
    std::function<std::int64_t()> clock;
    mutable std::unique_ptr<detail::NetworkGraph> graph;   // rebuilt lazily after a change
    std::uint64_t network_version = 0;                      // counts changes to the network
    // Database::begin_transaction() / transaction(): the levels open and, while any is, the
    // outer SQLite transaction (declared after owned_store, so destroyed first: ROLLBACK).
    int transaction_depth = 0;
    std::optional<store::Transaction> outer_transaction;
    // A scratch copy (Database::scratch_copy) keeps its changes in memory only: the write step of
    // every change (SQLite rows and journal) is skipped, which is what makes a simulated year fast.
    bool scratch = false;
    // Another connection (another process, another handle) may change the file; memory would then
    // check changes against a model the file no longer holds (a slot freed and rebooked there, a
    // booking cancelled there). The store's data_version changes exactly when another connection
    // commits (SQLite's PRAGMA data_version; PostgreSQL's psp_meta, store/postgres.hpp), so it
    // is read before loading and compared once this connection holds the write lock: a
    // difference refuses the change (ErrorCode::busy) before anything is written.
    std::int64_t file_version = 0;
    // The journal as far as this model has taken it in (refresh() reads the rows after it), and
    // the seq of the last row this connection wrote: an outermost commit of a current model
    // takes the model up to it (nobody else wrote in between, the write lock was held).
    std::int64_t journal_seen = 0;
    std::int64_t journal_written = 0;
    void committed_outermost() { journal_seen = std::max(journal_seen, journal_written); }
    void require_current() const {
        if (store.connection().data_version() != file_version) {
            throw Error(ErrorCode::busy, "the database was changed by another connection since this one read it: "
                                         "nothing was written; refresh() (or reload(), or reopen) and try again");
        }
    }

    // Rolls back the outer transaction and rebuilds *self around the same store, loaded from the
    // file. If loading fails the error propagates and *self is left as it was, store included.
    static void roll_back(std::unique_ptr<Impl>& self);
    // Rebuilds *self around the same store, loaded from the file (roll_back, Database::reload).
    static void reload(std::unique_ptr<Impl>& self);
    // Database::refresh (src/database/refresh.cpp): the journal rows not seen yet, applied to
    // the ledger in memory, or a reload where they changed more than the ledger.
    static Database::Refreshed catch_up(std::unique_ptr<Impl>& self);
    struct LedgerRows {   // what other connections added to the ledger, read before any is applied
        std::vector<std::pair<BookingId, std::string>> prices;
        std::vector<Booking> bookings;
        std::vector<store::Store::VoucherMovement> movements;
        std::vector<ServedRequest> served;
        std::vector<UnmetRequest> unmet;
    };
    LedgerRows read_ledger();
    void apply_ledger(LedgerRows&& rows);

    // Loads the whole model from the store, and takes the store over only once that succeeded
    // (on failure `s` still holds it, so roll_back() can keep the Database usable).
    Impl(std::unique_ptr<store::Store>& s, std::function<std::int64_t()> c) : store(*s), clock(std::move(c)) {
        // Rows another program damaged (text that is not JSON, a value the readers refuse) make the
        // file unreadable as psp's: ErrorCode::format, as for a foreign file, not a stray exception.
        try {
            // Read before the rows: a commit elsewhere while they load makes the next change
            // refused (stale), never accepted against rows older than the version says.
            file_version = store.connection().data_version();
            journal_seen = store.last_journal_seq();
            state = State::from(store.load());
            load_booking_state();
            load_routing();
            load_projects();
            load_certification();
            load_plans();
            load_monitoring();
            load_simulations();
        } catch (const Error& e) {
            if (e.code() != ErrorCode::invalid) throw;
            throw Error(ErrorCode::format, std::string("the file's stored data does not read back: ") + e.what());
        } catch (const nlohmann::json::exception& e) {
            throw Error(ErrorCode::format, std::string("the file's stored data does not read back: ") + e.what());
        }
        owned_store = std::move(s);
    }

    // --- Booking (src/database/bookings.cpp). The engine knows an equipment once a booking
    // call touches it; changes to its equipment, platform, rules or calendar re-sync it.
    mutable booking::Engine engine;
    std::unordered_map<std::int64_t, Calendar> platform_calendars;
    std::unordered_map<std::int64_t, Calendar> equipment_calendars;
    std::unordered_map<std::int64_t, BookingRules> equipment_rules;
    void load_booking_state();
    Booking transition(const Actor&, BookingId, booking::Engine::Transition);
    void check_booking_request(const Actor&, const BookingRequest&) const;
    bool acts_for(const Actor&, EquipmentId, EnterpriseId) const;
    std::vector<WaitlistEntry> promotions;   // not yet taken by the caller

    // --- Coordination and settlement (src/database/routing.cpp).
    std::map<std::pair<std::int64_t, int>, int> service_capacity;           // (platform, kind) -> cases/week
    std::map<std::tuple<std::int64_t, int, std::int64_t>, int> cases_used;  // (platform, kind, week) -> cases
    std::map<std::int64_t, RoutingPolicy> alliance_policies;
    std::map<std::int64_t, SettlementRule> settlement_rules;                // alliance (0: default) -> rule
    detail::ServedLog served;                                               // ServedRequestId = index + 1
    struct RoutingTables;                                                   // built from the network, cached
    mutable std::shared_ptr<RoutingTables> routing;
    void load_routing();
    void take_served(const ServedRequest&);   // the next id, read from the store; counts its case
    const RoutingTables& routing_tables() const;
    void check_request(const ServiceRequest&) const;
    struct Search;
    struct Candidate;
    std::vector<Candidate> candidates_for(const ServiceRequest&, ZoneId) const;
    // The policy's ranked offers; evaluation stops once the first `wanted` are certain (0: every
    // instrument is evaluated, which the nearest miss of a failed request needs; any_offer: at the
    // first offer found, in no particular order, and without misses).
    static constexpr int any_offer = -1;
    Search search(const ServiceRequest&, const RoutingPolicy&, int wanted) const;
    std::int64_t case_week(PlatformId, Time) const;
    std::vector<AllianceId> alliances_of(PlatformId) const;   // from the routing tables, ascending

    // --- Reads on behalf of a reader (src/database/reader.cpp): who each record concerns.
    Parties parties_of(const Booking&) const;
    Parties parties_of(const ServedRequest&) const;
    Parties parties_of(const UnmetRequest&) const;
    std::optional<Parties> journal_parties(const JournalEntry&) const;   // nullopt: a public record

    // --- Major projects (src/database/projects.cpp).
    std::map<std::int64_t, Project> projects;
    std::vector<SupervisionDecision> decisions;   // in the order they were taken
    void load_projects();
    // Validates the project (its owners must exist), writes and journals it as `verb`, keeps it.
    void save_project(const Actor&, const char* verb, const Project&);

    // --- Statistics (src/database/statistics.cpp). The counters follow every ledger change while
    // they are valid (built, and the network's attribution inputs unchanged since); otherwise the
    // next read rebuilds them from the whole ledger.
    detail::UnmetLog unmet;                                            // UnmetRequestId = index + 1
    bool keep_statistics = true;                                      // OpenOptions::statistics
    mutable stats::Counters counters;
    mutable bool counters_valid = false;
    mutable std::uint64_t counters_network_version = 0;
    // Where the counted bookings were attributed when the counters were last known good: equipment
    // owners, enterprise zones, the zones each platform serves.
    struct Attribution {
        std::unordered_map<std::int64_t, std::int64_t> owner, zone;
        std::map<detail::Key, int> zone_services;
    };
    mutable Attribution counted_attribution;
    // Brings counted_attribution up to the network; false when an existing attribution changed.
    bool attribution_unchanged() const;
    bool counters_current() const;       // valid, and the attribution inputs are as they were
    bool stop_tallying();                // true when a ledger change is not counted (and, without upkeep, invalidates)
    void rebuild_counters() const;
    void tally(const Booking&, int sign);
    void tally_served(std::size_t index, int sign);   // the served request served.row(index)
    void tally_unmet(std::size_t index, int sign);    // the unmet request unmet.row(index)
    // The counters and equipment a subject's figures sum (statistics, evaluation).
    struct StatScope {
        stats::Level level = stats::Level::platform;
        std::vector<std::int64_t> parts;
        std::vector<EquipmentId> equipment;
        bool city = false;
    };
    std::unordered_map<std::int64_t, std::vector<EquipmentId>> equipment_by_owner() const;
    StatScope stat_scope(StatSubject, std::int64_t id, const std::unordered_map<std::int64_t, std::vector<EquipmentId>>& owned) const;
    StatFigures stat_figures(const StatScope&, std::int32_t from_day, std::int32_t to_day) const;   // days [from, to)

    // --- Monitoring rules and evaluation runs (src/database/monitoring.cpp, evaluation.cpp).
    std::vector<AlertRule> alert_rules;
    std::map<std::int64_t, StoredEvaluation> evaluations;
    void load_monitoring();
    void load_evaluations();

    // --- Simulation (src/database/simulation.cpp): stored comparisons of scenarios.
    std::map<std::int64_t, SimulationRun> simulation_runs;
    void load_simulations();

    // --- Certification (src/database/certification.cpp) and plans (src/database/plans.cpp).
    std::vector<CertificationStandard> standards;   // in level order
    PanelRules panel;
    std::map<std::int64_t, CertificationCase> cases;
    RecognitionRegister recognitions;
    std::map<std::int64_t, CityPlan> plans;
    void load_certification();
    void load_plans();
    // Validates the whole plan (its units must exist), writes it and journals `verb` with `details`
    // (null: the plan itself), then keeps it.
    void save_plan(const Actor&, const char* verb, CityPlan plan, const nlohmann::json* details = nullptr);

    // --- Prices and vouchers (src/database/pricing.cpp).
    using VoucherKey = std::tuple<std::int64_t, std::int64_t, int>;   // enterprise, scheme, year
    detail::TariffTable tariffs;   // by equipment
    std::map<std::int64_t, VoucherScheme> schemes;
    // Whether a scheme may be spent at a platform, memoised (scheme_accepts, pricing.cpp): per
    // scheme (a city has one or two), by platform id in a table (-1: not known yet; routing asks
    // for every platform in reach of a request with a voucher, and a tree of (scheme, platform)
    // pairs missed the cache at every level), with a map for ids past it.
    struct Acceptance {
        std::vector<std::int8_t> dense;
        std::map<std::int64_t, bool> wide;
    };
    mutable std::map<std::int64_t, Acceptance> acceptance;
    mutable std::uint64_t acceptance_version = 0;
    mutable std::size_t acceptance_schemes = 0;
    bool scheme_accepts(VoucherSchemeId, PlatformId owner) const;
    detail::PriceTable prices;                                         // by booking
    std::vector<store::Store::VoucherMovement> movements;
    // Dense by enterprise (voucher_accounts.hpp): routing reads the account for every instrument it
    // prices, and a tree of a year's accounts, then a hash map, missed the cache on most reads.
    detail::VoucherAccounts voucher_used;
    void load_pricing();
    // The price of a booking about to be made. `pending` holds the voucher money of bookings
    // priced earlier in the same call and not yet remembered; this one's is added to it.
    PriceBreakdown quote(const Booking&, VoucherSchemeId, std::map<VoucherKey, Fen>& pending) const;
    // The same when the caller already holds the rows and knows whether the member rate applies;
    // `pending` may be null for a price that is only looked at (routing's offers), not booked.
    PriceBreakdown quote(const Booking&, VoucherSchemeId, std::map<VoucherKey, Fen>* pending, const Equipment&,
                         EnterpriseSize, bool member) const;
    bool member_rate(PlatformId owner, ZoneId zone) const;
    PriceBreakdown price_of(BookingId) const;
    // Writes (sign +1: booked) or reverses (-1: cancelled, rejected) a booking's voucher movement
    // and its price row; remember_price() does the same in memory after the commit.
    void write_price(const Booking&, const PriceBreakdown&, int sign);
    void remember_price(const Booking&, const PriceBreakdown&, int sign);
    // Rows read from the store taken into memory (loading, and catching up in refresh()).
    void take_stored_prices(const std::vector<std::pair<BookingId, std::string>>& rows);
    void take_movement(const store::Store::VoucherMovement&);
    int local_year(const Booking&) const;
    std::vector<WaitlistEntry> promote(const Actor&, EquipmentId);   // never throws for a failed write
    template <class BookAll>
    void write_new_bookings(const Actor&, BookAll&& book_all);
    booking::EquipmentSetup setup_of(EquipmentId) const;
    void ensure_bookable(EquipmentId) const;
    void resync(EquipmentId);
    void resync_platform(PlatformId);
    void after_change(const District&) {}
    void after_change(const Zone&) {}
    void after_change(const Platform& p) { resync_platform(p.id); }
    void after_change(const Alliance&) {}
    void after_change(const EquipmentClass&) {}
    void after_change(const Equipment& e) { resync(e.id); }
    void after_change(const Enterprise&) {}
    // Bookings that refer to an equipment or enterprise (they keep it from being removed).
    std::vector<std::string> booking_dependents(EquipmentId) const;
    std::vector<std::string> booking_dependents(EnterpriseId) const;
    template <class Id>
    std::vector<std::string> booking_dependents(Id) const { return {}; }

    const detail::NetworkGraph& network_graph() const {
        if (!graph) graph = std::make_unique<detail::NetworkGraph>(state);
        return *graph;
    }

    std::int64_t now() const {
        if (clock) return clock();
        return std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch()).count();
    }

    static void check_actor(const Actor& actor) {
        const int r = static_cast<int>(actor.role);
        if (r < 0 || r >= role_count) {
            throw Error(ErrorCode::invalid, "actor: role " + std::to_string(r) + " is out of range");
        }
        if (!detail::valid_utf8(actor.name)) throw Error(ErrorCode::invalid, "actor: name is not valid UTF-8");
    }

    static void require_permission(const Actor& actor, Action action, bool own, const std::string& target) {
        check_actor(actor);
        if (!permitted(actor, action, own)) {
            throw Error(ErrorCode::permission,
                        "actor " + describe_actor(actor) + " may not " + to_string(action) + " on " + target);
        }
    }
    // The same with the target described only for a refusal: on the paths a simulation takes
    // millions of times (training records, booking transitions) the description cost more than
    // the change itself.
    template <class Describe>
        requires std::is_invocable_r_v<std::string, Describe>
    static void require_permission(const Actor& actor, Action action, bool own, Describe&& target) {
        check_actor(actor);
        if (!permitted(actor, action, own)) require_permission(actor, action, own, std::string(target()));
    }

    void journal(store::Store& s, const Actor& actor, const char* action, EntityKind kind, std::int64_t id,
                 const nlohmann::json& details) {
        journal(s, actor, action, kind, id, details.dump());
    }
    // The same with the details' JSON text already written (the booking hot path).
    void journal(store::Store& s, const Actor& actor, const char* action, EntityKind kind, std::int64_t id,
                 std::string details) {
        JournalEntry e;
        e.time = now();
        e.actor_role = actor.role;
        e.actor_subject = actor.role == Role::platform_operator ? actor.platform.value
                          : actor.role == Role::enterprise      ? actor.enterprise.value
                                                                : 0;
        e.actor_name = actor.name;
        e.action = action;
        e.entity = kind;
        e.entity_id = id;
        e.details = std::move(details);
        // The next seq: this runs under the write lock on a current model (require_current), so
        // no row beyond what this model has seen or written exists (commit() puts the counter
        // back when the change fails).
        const std::int64_t seq = std::max(journal_seen, journal_written) + 1;
        s.append(e, seq);
        journal_written = seq;
    }

    // Writes a change in its own transaction (a savepoint inside an open one), after checking
    // that the model is current; a failure leaves the journal's counter as it was.
    template <class Write>
    void write_through(Write&& write) {
        const std::int64_t journal_before = journal_written;
        try {
            store::Transaction tx(store.connection());
            if (tx.outermost()) require_current();
            write();
            tx.commit();
            if (tx.outermost()) committed_outermost();
        } catch (...) {
            journal_written = journal_before;
            throw;
        }
    }

    // Runs `write` inside one SQLite transaction with its journal row; only when it commits is
    // `apply` run on memory, so a failure leaves both as they were.
    template <class Write, class Apply>
    void commit(Write&& write, Apply&& apply) {
        if (!scratch) write_through(write);
        apply();
        graph.reset();
        ++network_version;
    }

    // The same for changes that leave the network as it is (bookings, calendars, rules, prices):
    // the graph and the routing tables built from it stay valid.
    template <class Write, class Apply>
    void commit_ledger(Write&& write, Apply&& apply) {
        if (!scratch) write_through(write);
        apply();
    }

    // "equipment class", as messages say it.
    template <class E>
    static std::string label() {
        std::string s = to_string(Traits<E>::kind);
        for (auto& c : s) if (c == '_') c = ' ';
        return s;
    }

    template <class E>
    static Error rule_error(const char* verb, const E& e, const RuleError& r) {
        std::string what = std::string("cannot ") + verb + " " + to_string(Traits<E>::kind);
        if (!e.name.empty()) what += " '" + e.name + "'";
        return Error(r.code, what + ": " + r.field + ": " + r.message);
    }

    template <class E>
    decltype(E::id) add(const Actor& actor, E e) {
        auto& table = state.table<E>();
        require_permission(actor, Traits<E>::add, Traits<E>::own(actor, e), std::string("a new ") + to_string(Traits<E>::kind));
        if (e.id.value < 0) throw Error(ErrorCode::invalid, "id: ids are positive, got " + std::to_string(e.id.value));
        if (!e.id) e.id = table.next_id();
        if (table.contains(e.id)) {
            throw Error(ErrorCode::exists, std::string(to_string(Traits<E>::kind)) + " id " + std::to_string(e.id.value) + " is already taken");
        }
        try {
            detail::check_name(table, e);
            detail::check(state, e);
        } catch (const RuleError& r) {
            throw rule_error("add", e, r);
        }
        commit([&] {
                   store.insert(e);
                   journal(store, actor, "add", Traits<E>::kind, e.id.value, json::to_json(e));
               },
               [&] {
                   table.put(e);
                   after_change(e);
               });
        return e.id;
    }

    template <class E>
    void update(const Actor& actor, const E& e) {
        auto& table = state.table<E>();
        const E* old = table.find(e.id);
        if (!old) throw Error(ErrorCode::not_found, std::string("no ") + label<E>() + " with id " + std::to_string(e.id.value));
        // An operator must own the entity both before and after (it cannot take over another's).
        const bool own = Traits<E>::own(actor, *old) && Traits<E>::own(actor, e);
        require_permission(actor, Traits<E>::update, own, detail::describe(state, e.id));
        try {
            detail::check_name(table, e);
            detail::check(state, e);
            if constexpr (std::is_same_v<E, Platform>) detail::check_platform_update(state, e);
        } catch (const RuleError& r) {
            throw rule_error("update", e, r);
        }
        commit([&] {
                   store.update(e);
                   journal(store, actor, "update", Traits<E>::kind, e.id.value, json::to_json(e));
               },
               [&] {
                   table.put(e);
                   after_change(e);
               });
    }

    template <class Id>
    void remove(const Actor& actor, Id id) {
        using E = std::remove_cvref_t<decltype(*get_ptr(id))>;
        auto& table = state.table<E>();
        const E* old = table.find(id);
        if (!old) throw Error(ErrorCode::not_found, std::string("no ") + label<E>() + " with id " + std::to_string(id.value));
        const std::string target = detail::describe(state, id);
        require_permission(actor, Traits<E>::remove, Traits<E>::own(actor, *old), target);
        auto deps = detail::dependents(state, id);
        for (auto& d : booking_dependents(id)) deps.push_back(std::move(d));
        if (!deps.empty()) {
            std::string list;
            for (std::size_t i = 0; i < deps.size() && i < 5; ++i) list += (i ? ", " : "") + deps[i];
            if (deps.size() > 5) list += ", and " + std::to_string(deps.size() - 5) + " more";
            throw Error(ErrorCode::refused, "cannot remove " + target + ": still referred to by " + list);
        }
        commit([&] {
                   store.erase(id);
                   journal(store, actor, "remove", Traits<E>::kind, id.value, json::to_json(*old));
               },
               [&] {
                   drop_relations(id);
                   table.erase(id);
               });
    }

    // Relations that go with an entity (the store deletes the same rows).
    template <class Id>
    void drop_relations(Id id) {
        auto drop = [](auto& map, auto pred) {
            for (auto it = map.begin(); it != map.end();) it = pred(it->first) ? map.erase(it) : std::next(it);
        };
        if constexpr (std::is_same_v<Id, DistrictId>) {
            drop(state.travel, [&](const detail::Key& k) { return k.first == id.value || k.second == id.value; });
        } else if constexpr (std::is_same_v<Id, ZoneId>) {
            drop(state.zone_services, [&](const detail::Key& k) { return k.second == id.value; });
        } else if constexpr (std::is_same_v<Id, PlatformId>) {
            drop(state.zone_services, [&](const detail::Key& k) { return k.first == id.value; });
            drop(state.links, [&](const detail::Key& k) { return k.first == id.value || k.second == id.value; });
        }
    }

    // Only for type deduction in remove().
    static const District* get_ptr(DistrictId);
    static const Zone* get_ptr(ZoneId);
    static const Platform* get_ptr(PlatformId);
    static const Alliance* get_ptr(AllianceId);
    static const EquipmentClass* get_ptr(EquipmentClassId);
    static const Equipment* get_ptr(EquipmentId);
    static const Enterprise* get_ptr(EnterpriseId);

    template <class Id>
    auto get(Id id) const {
        return *find_or_throw(id);
    }
    // The row, or Error(not_found) naming the kind and id; no copy.
    template <class Id>
    auto find_or_throw(Id id) const {
        using E = std::remove_cvref_t<decltype(*get_ptr(id))>;
        const E* e = state.table<E>().find(id);
        if (!e) throw Error(ErrorCode::not_found, std::string("no ") + label<E>() + " with id " + std::to_string(id.value));
        return e;
    }

    template <class E>
    std::vector<E> list() const {
        std::vector<E> out;
        out.reserve(state.table<E>().size());
        for (const auto& [id, e] : state.table<E>().rows()) out.push_back(e);
        return out;
    }

    template <class Id>
    void require_exists(Id id) const {
        (void)find_or_throw(id);
    }

    template <class Relation>
    void check_relation(const Relation& r, const char* what) const {
        try {
            detail::check(state, r);
        } catch (const RuleError& e) {
            throw Error(e.code, std::string("cannot set ") + what + ": " + e.field + ": " + e.message);
        }
    }

    void import_network(const Actor& actor, Network n);
};

}  // namespace psp
