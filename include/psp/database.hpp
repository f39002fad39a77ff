// psp::Database: the network model in memory, written through to SQLite on every accepted change.
//
// Every change names the Actor who makes it, is checked against the permission table and the
// invariants of the model, written to SQLite and the journal in one transaction, and only then
// applied in memory: a refused or failed change leaves both memory and file as they were.
// A Database is not safe for concurrent use from several threads; give each thread its own or
// serialise calls.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <string>
#include <string_view>
#include <vector>

#include "psp/actor.hpp"
#include "psp/booking.hpp"
#include "psp/calendar.hpp"
#include "psp/journal.hpp"
#include "psp/model.hpp"
#include "psp/network.hpp"
#include "psp/pricing.hpp"
#include "psp/projects.hpp"
#include "psp/certification.hpp"
#include "psp/plans.hpp"
#include "psp/statistics.hpp"
#include "psp/monitoring.hpp"
#include "psp/evaluation.hpp"
#include "psp/forecast.hpp"
#include "psp/rollout.hpp"
#include "psp/routing.hpp"
#include "psp/settlement.hpp"
#include "psp/simulation.hpp"

namespace psp {

struct OpenOptions {
    int busy_timeout_ms = 5000;              // how long a writer waits for a lock held elsewhere
    std::function<std::int64_t()> clock;     // Unix seconds for the journal; default: system clock
    // Keep the monitoring statistics up to date as the ledger changes (psp/statistics.hpp). Off, they
    // are counted from the whole ledger on the first read after a change (for bulk loads).
    bool statistics = true;
};

class Database {
public:
    // Opens (creating if absent) a psp database file, or ":memory:". A file that is not a psp
    // database, or whose schema is newer than this library, is refused (ErrorCode::format) and
    // left untouched.
    static Database open(const std::string& path, const OpenOptions& options = {});

    Database(Database&&) noexcept;
    Database& operator=(Database&&) noexcept;
    ~Database();

    const std::string& path() const;
    int schema_version() const;

    // Several connections may share a database (processes on one host sharing a file, district
    // systems on many hosts sharing a PostgreSQL database): each keeps its own model in memory.
    // A change made while another connection has committed since this one read the database is
    // refused with ErrorCode::busy before anything is written (it was checked against a stale
    // model); refresh() (or reload()) brings the model up to date, then retry.
    //
    // refresh() catches up on what other connections committed by reading only the journal rows
    // this model has not seen and the ledger rows they name (bookings, their prices and voucher
    // movements, served and unmet requests); if any of them changed something else (the network,
    // rules, calendars, tariffs, projects, ...) or a commit left no journal row, it reloads the
    // whole model instead. Says how many journal rows it caught up on (0: already current) and
    // whether it had to reload.
    // reload() always reads everything again. Both are refused while a transaction is open.
    // changed_elsewhere() tells, without reading the tables, whether another connection has
    // committed since (PostgreSQL: LISTEN/NOTIFY on the channel psp_changes; SQLite: the file's
    // data version), so that a process can refresh() before it is refused. On PostgreSQL it is a
    // hint that may lag by the moment a notification takes to arrive (a false answer promises
    // nothing; a stale change is refused all the same).
    struct Refreshed {
        std::size_t journal_rows = 0;
        bool reloaded = false;
    };
    Refreshed refresh();
    void reload();
    bool changed_elsewhere() const;

    // Runs `changes` (calls on this Database) as one SQLite transaction: all of them are kept or
    // none. On a file this is much faster than a transaction each (one sync instead of many), so
    // bulk set-up belongs in here. A change that throws inside is undone on its own (the others
    // stand if the caller catches and goes on); an exception that leaves `changes` rolls back
    // the file and reloads the in-memory model from it, then propagates. Nested calls (and calls
    // inside begin_transaction() ... commit_transaction()) join the outer transaction: an
    // exception leaving a nested call closes its level and goes on to the outer one, which
    // decides. Waitlist promotions triggered inside are part of it too. It is
    // begin_transaction(), then commit_transaction() or, on an exception, rollback_transaction().
    void transaction(const std::function<void()>& changes);

    // The same as explicit calls, for callers that cannot pass a function (the C ABI, Python).
    // begin_transaction() opens the SQLite transaction (BEGIN IMMEDIATE: it waits up to
    // busy_timeout_ms for other writers, then throws ErrorCode::busy); while one is open, begin
    // only counts a level and the matching commit only closes it: the outermost commit commits.
    // If that COMMIT fails, everything is rolled back as by rollback_transaction() and the error
    // propagates. rollback_transaction() at any level rolls back the whole outer transaction,
    // reloads the in-memory model from the file and closes every level (the outer commit that
    // follows is then refused). commit or rollback with no transaction open is
    // ErrorCode::refused. Destroying or move-assigning over a Database with a transaction open
    // rolls it back. Waitlist promotions not yet taken are dropped by a rollback.
    void begin_transaction();
    void commit_transaction();
    void rollback_transaction();
    bool in_transaction() const;   // begin_transaction() or transaction() is open

    // --- Entities. add() assigns the next id when the given id is 0 and returns it.
    DistrictId add(const Actor&, District);
    ZoneId add(const Actor&, Zone);
    PlatformId add(const Actor&, Platform);
    AllianceId add(const Actor&, Alliance);
    EquipmentClassId add(const Actor&, EquipmentClass);
    EquipmentId add(const Actor&, Equipment);
    EnterpriseId add(const Actor&, Enterprise);

    void update(const Actor&, const District&);
    void update(const Actor&, const Zone&);
    void update(const Actor&, const Platform&);
    void update(const Actor&, const Alliance&);
    void update(const Actor&, const EquipmentClass&);
    void update(const Actor&, const Equipment&);
    void update(const Actor&, const Enterprise&);

    // Refused (ErrorCode::refused, naming them) while other entities depend on it. Relations that
    // belong to the entity (its travel times, zone services, links) go with it.
    void remove(const Actor&, DistrictId);
    void remove(const Actor&, ZoneId);
    void remove(const Actor&, PlatformId);
    void remove(const Actor&, AllianceId);
    void remove(const Actor&, EquipmentClassId);
    void remove(const Actor&, EquipmentId);
    void remove(const Actor&, EnterpriseId);

    // Lookups throw ErrorCode::not_found for an unknown id.
    District get(DistrictId) const;
    Zone get(ZoneId) const;
    Platform get(PlatformId) const;
    Alliance get(AllianceId) const;
    EquipmentClass get(EquipmentClassId) const;
    Equipment get(EquipmentId) const;
    Enterprise get(EnterpriseId) const;
    bool contains(DistrictId) const;
    bool contains(ZoneId) const;
    bool contains(PlatformId) const;
    bool contains(AllianceId) const;
    bool contains(EquipmentClassId) const;
    bool contains(EquipmentId) const;
    bool contains(EnterpriseId) const;

    std::vector<District> districts() const;
    std::vector<Zone> zones() const;
    std::vector<Platform> platforms() const;
    std::vector<Alliance> alliances() const;
    std::vector<EquipmentClass> equipment_classes() const;
    std::vector<Equipment> equipment() const;
    std::vector<Enterprise> enterprises() const;

    // --- Relations. set_* adds or replaces; remove_* of an absent relation is not_found.
    void set_travel(const Actor&, DistrictTravel);
    void remove_travel(const Actor&, DistrictId a, DistrictId b);
    std::vector<DistrictTravel> travel() const;

    void set_zone_service(const Actor&, ZoneService);
    void remove_zone_service(const Actor&, PlatformId, ZoneId);
    std::vector<ZoneService> zone_services() const;

    void add_link(const Actor&, PlatformLink);
    void remove_link(const Actor&, PlatformId from, PlatformId to);
    std::vector<PlatformLink> links() const;

    // --- Graph queries.
    std::vector<PlatformId> sub_platforms(PlatformId backbone) const;   // direct children
    std::vector<AllianceMember> members(AllianceId) const;
    std::vector<AllianceId> alliances_of(PlatformId) const;
    std::vector<PlatformId> platforms_serving(ZoneId) const;
    // Equipment of a class whose shortest travel time from the zone is at most max_minutes,
    // nearest first (ties by id). Travel runs over zone→district, district↔district, zone→platform
    // (service areas) and platform/equipment→site edges.
    std::vector<ReachableEquipment> equipment_within(ZoneId, EquipmentClassId, int max_minutes) const;
    CoverageMatrix coverage() const;                  // operating platforms only
    std::vector<CoverageGap> coverage_gaps() const;   // cells of coverage() that are 0
    std::vector<Duplication> duplications() const;
    NetworkCounts counts() const;

    // The network drawn as Graphviz DOT (boost::write_graphviz).
    std::string to_graphviz() const;

    // --- Booking shared equipment (issue 4; rules in psp/booking.hpp). Times come from
    // OpenOptions::clock. A platform's calendar applies to its equipment unless the equipment
    // has its own; with neither, Calendar::standard_working_week().
    void set_calendar(const Actor&, PlatformId, const Calendar&);
    void set_calendar(const Actor&, EquipmentId, const std::optional<Calendar>&);   // nullopt: the platform's
    Calendar calendar(PlatformId) const;
    Calendar calendar(EquipmentId) const;                 // the calendar in force
    void set_booking_rules(const Actor&, EquipmentId, const BookingRules&);
    BookingRules booking_rules(EquipmentId) const;        // defaults until set
    void set_training(const Actor&, EnterpriseId, EquipmentClassId, bool trained);
    bool trained(EnterpriseId, EquipmentClassId) const;

    // A refusal names its rule (BookingOutcome); misuse is a psp::Error. Transitions from the
    // wrong state (cancelling twice...) are ErrorCode::refused.
    BookingOutcome book(const Actor&, const BookingRequest&);
    // Many requests in one transaction, each with its own outcome, in order (later requests see
    // the bookings of earlier ones).
    std::vector<BookingOutcome> book_batch(const Actor&, const std::vector<BookingRequest>&);
    SeriesOutcome book_series(const Actor&, const BookingRequest& first, const Recurrence&, SeriesMode);
    // Cancels the occurrences of a series that start at or after `from` and can still be cancelled.
    std::vector<Booking> cancel_series(const Actor&, std::int64_t series, Time from);
    Booking approve(const Actor&, BookingId);
    Booking reject(const Actor&, BookingId);
    Booking check_in(const Actor&, BookingId);
    Booking complete(const Actor&, BookingId);
    Booking cancel(const Actor&, BookingId);
    std::vector<Booking> mark_no_shows(const Actor&);

    // Waitlist: joining needs the same right as booking. Whenever a cancellation, rejection or
    // no-show frees time, waiting requests on that equipment that now pass every rule are booked
    // in order of joining (in their own transaction, after the change that freed the time) and
    // reported by take_promotions(). promote_waitlist() runs the same pass on demand, e.g. after
    // rules changed or if a promotion could not be written.
    WaitlistEntry join_waitlist(const Actor&, const BookingRequest&);
    WaitlistEntry leave_waitlist(const Actor&, WaitlistId);
    std::vector<WaitlistEntry> waitlist(EquipmentId) const;
    std::vector<WaitlistEntry> promote_waitlist(const Actor&, EquipmentId);
    std::vector<WaitlistEntry> take_promotions();   // promotions since the last call, then clears
    Booking get(BookingId) const;
    std::vector<Booking> bookings_of(EquipmentId, Period) const;
    std::vector<Booking> bookings_of(EnterpriseId, Period) const;
    std::vector<Booking> bookings_of(PlatformId, Period) const;
    // Free periods of at least min_minutes with `units` available, open and on the slot grid.
    std::vector<Period> free_slots(EquipmentId, Period window, int min_minutes, int units = 1) const;
    // The earliest such period among several equipment (ties: the lower id), or nullopt.
    std::optional<std::pair<EquipmentId, Period>> earliest_slot(const std::vector<EquipmentId>&, Period window,
                                                                int minutes, int units = 1) const;
    // Booked (live and completed) and used (checked in, completed) unit-seconds over open
    // unit-seconds (open time × capacity units), so a platform's figure is the sum of its
    // equipment's and a fully booked multi-unit instrument reads 100 %.
    struct Utilisation {
        Time open_seconds = 0, booked_seconds = 0, used_seconds = 0;
        double booked_share() const { return open_seconds ? double(booked_seconds) / double(open_seconds) : 0; }
        double used_share() const { return open_seconds ? double(used_seconds) / double(open_seconds) : 0; }
    };
    Utilisation utilisation(EquipmentId, Period) const;
    Utilisation utilisation(PlatformId, Period) const;

    // --- Prices and innovation vouchers (psp/pricing.hpp). Every booking made is priced from its
    // equipment's tariff (member rate when the owning platform or one of its alliances serves the
    // enterprise's zone) and, when the request names a voucher scheme the platform accepts, split
    // between the enterprise and the scheme within its caps; cancellation and rejection return the
    // voucher part. The tariff publishes the late-cancellation fee: setting it sets the fee in the
    // equipment's booking rules too.
    void set_tariff(const Actor&, EquipmentId, const Tariff&);
    std::optional<Tariff> tariff(EquipmentId) const;   // nullopt: free of charge
    VoucherSchemeId add_voucher_scheme(const Actor&, VoucherScheme);   // the promotion office
    std::vector<VoucherScheme> voucher_schemes() const;
    VoucherAccount voucher_account(EnterpriseId, VoucherSchemeId, int year) const;
    PriceBreakdown price_of(BookingId) const;
    // Net voucher money per platform for movements (redemptions, refunds) in the period.
    std::vector<PlatformVoucherTotal> voucher_redemptions(VoucherSchemeId, Period) const;

    // --- Coordination across the network (psp/routing.hpp) and settlement (psp/settlement.hpp).
    // route() ranks offers for a request, best first, without booking anything; fulfil() books
    // the best one that can still be booked and records who received and who served the request,
    // or answers why nothing fits, naming the nearest miss. A request to a one-stop alliance's
    // front door is routed among its members under the alliance's policy when it has one. Bad
    // requests (no such enterprise, service kind out of range, window shorter than the duration,
    // negative price ceiling) and policies (every tier closed, ...) throw Error(invalid/not_found).
    std::vector<Offer> route(const ServiceRequest&, const RoutingPolicy& = {}) const;
    // Whether route() would offer anything, answered at the first offer found rather than after
    // ranking them all: "could the network serve this at all?" (a desk deciding whether to refer,
    // a simulation counting requests lost at a referral). The same errors as route().
    bool can_route(const ServiceRequest&, const RoutingPolicy& = {}) const;
    Fulfilment fulfil(const Actor&, const ServiceRequest&, const RoutingPolicy& = {});
    // Served requests whose service starts in the period, in id order.
    std::vector<ServedRequest> served_requests(Period) const;
    // Services without equipment: how many cases a platform takes per ISO week for a kind.
    void set_service_capacity(const Actor&, const ServiceCapacity&);
    std::vector<ServiceCapacity> service_capacities() const;
    void set_alliance_policy(const Actor&, AllianceId, const RoutingPolicy&);   // the lead's operator
    std::optional<RoutingPolicy> alliance_policy(AllianceId) const;
    // Settlement: an alliance's rule (set by its lead's operator), or with alliance 0 the default
    // rule for referrals outside any alliance (the office; it has no pool share). An alliance
    // without a rule of its own settles by the default rule.
    void set_settlement_rule(const Actor&, AllianceId, const SettlementRule&);
    SettlementRule settlement_rule(AllianceId) const;
    // One entry per served request of the period that was not cancelled, rejected or a no-show.
    std::vector<SettlementEntry> settlement_ledger(Period) const;
    Settlement settle(Period) const;

    // Requests fulfil() could not serve, asked in the period, in id order.
    std::vector<UnmetRequest> unmet_requests(Period) const;

    // --- Monitoring statistics (psp/statistics.hpp, §4.2): one row per subject and period, subjects
    // in id order, periods in time order. Bad queries (reversed dates, an unknown subject id, a
    // subject kind or period out of range, more than 100,000 rows) are Error(invalid / not_found).
    std::vector<StatRow> statistics(const StatisticsQuery&) const;
    // Counts everything again from the whole ledger (the counters are kept incrementally; this is
    // their check, and the way back after a bulk load with OpenOptions::statistics off).
    void rebuild_statistics();

    // --- Monitoring on the statistics (psp/monitoring.hpp): the office's alert rules (stored and
    // journaled), the alerts they raise on the rows of a query, and the forecast of a series.
    void set_alert_rules(const Actor&, const std::vector<AlertRule>&);
    std::vector<AlertRule> alert_rules() const;
    std::vector<Alert> alerts(const StatisticsQuery&) const;
    // The series of one metric of one subject (query.ids names exactly one; the city needs none)
    // over the query's periods, fitted and forecast `horizon` periods ahead (1..60), with a rolling
    // backtest over the last min(12, n / 3) points when the series is long enough (else none).
    struct StatForecast {
        StatSubject subject = StatSubject::platform;
        std::int64_t id = 0;
        StatMetric metric = StatMetric::bookings;
        SeriesPeriod period = SeriesPeriod::month;
        std::vector<boost::gregorian::date> starts;      // the periods of the history
        std::vector<double> history;
        std::vector<boost::gregorian::date> ahead;       // the periods forecast
        std::vector<double> forecast;
        ForecastModel model;
        std::optional<Backtest> backtest;
    };
    StatForecast forecast_statistic(const StatisticsQuery&, StatMetric, int horizon, const ForecastOptions& = {}) const;

    // --- Evaluation (psp/evaluation.hpp, §4.3): measured from the statistics of the period, stored
    // with every input so that it can be reproduced, journaled; the latest grade of a platform feeds
    // its certification record (platform_record).
    EvaluationRunId run_evaluation(const Actor&, const EvaluationRequest&);
    StoredEvaluation evaluation(EvaluationRunId) const;
    std::vector<StoredEvaluation> evaluations() const;   // in id order

    // --- Rolling the network out (psp/rollout.hpp).
    // Joint review of a major purchase: same-class equipment within reach of the zone, with its
    // utilisation and free hours over the last 365 days, decides approve, share-existing or reject;
    // every review is journaled (by the proposer's operator or the office).
    PurchaseReview review_purchase(const Actor&, const PurchaseProposal&, const ReviewThresholds& = {});
    // Where a backbone's k new sub-platforms cover the most unmet demand, phase by phase. Reads only.
    RolloutPlan plan_rollout(const RolloutRequest&) const;

    // --- Major projects (psp/projects.hpp, §6). The office files projects and advances the rolling
    // pipeline; an owning platform's operator records its project's progress (milestones done,
    // disbursements, spending, targets measured) with update_project, which never moves a stage:
    // stages move only by advance_pipeline and by a revoking supervision decision. Every change and
    // every decision is journaled.
    ProjectId add_project(const Actor&, Project);   // id 0: the next one
    void update_project(const Actor&, const Project&);
    Project project(ProjectId) const;
    std::vector<Project> projects() const;
    PipelineAdvance advance_pipeline(const Actor&, const PipelineTargets&, const Ranking&, boost::gregorian::date on);
    // Supervises the building projects on `on` against the stored decisions (escalating missed
    // deadlines), stores and journals each decision; a revoke revokes the project.
    std::vector<SupervisionDecision> supervise(const Actor&, const SupervisionThresholds&, boost::gregorian::date on);
    std::vector<SupervisionDecision> supervision_decisions(ProjectId) const;   // 0: every project's, in order
    SupervisionReport supervision_report(const std::string& office, const ReportPeriod&) const;

    // --- Certification of demonstration platforms (psp/certification.hpp, §4.1: 公开申报，组织专家评审，
    // 统一授牌). The office publishes the standards; a platform (its operator, or the office for it)
    // applies with its record; experts score the case one by one (the expert is the actor, by name);
    // the office decides once, and an approval is recognised (授牌) from the day of the decision. At
    // the end of a term, or on demand, the office reviews the recognition: renewed, demoted or
    // withdrawn with the reason. Every change is stored and journaled.
    void set_certification_standards(const Actor&, const std::vector<CertificationStandard>&, const PanelRules& = {});
    std::vector<CertificationStandard> certification_standards() const;   // in level order
    PanelRules panel_rules() const;
    // The facts the database holds as of `on`: enterprises served (distinct enterprises with a booking
    // that was not cancelled, rejected or a no-show) and utilisation (booked share of the platform's
    // open unit-time) over the 365 days before `on` (days in China Standard Time, UTC+8), projects it
    // owns that were revoked, its years recognised per level, and the grade of the latest evaluation
    // run (run_evaluation) that covered it and ended by `on`. years_operating and published_services
    // are not in the database: the caller fills them in.
    PlatformRecord platform_record(PlatformId, boost::gregorian::date on) const;
    CertificationCaseId apply_for_certification(const Actor&, const CertificationApplication&);
    void score_certification(const Actor&, CertificationCaseId, int score);
    CertificationCase decide_certification(const Actor&, CertificationCaseId, boost::gregorian::date on);
    CertificationCase certification_case(CertificationCaseId) const;
    std::vector<CertificationCase> certification_cases() const;   // in id order
    RecognitionReview review_recognition(const Actor&, const PlatformRecord&, boost::gregorian::date on);
    std::vector<Recognition> recognitions(PlatformId = {}) const;   // every term (of one platform), by number
    std::optional<Recognition> recognition(PlatformId, boost::gregorian::date on) const;
    std::vector<Recognition> recognitions_due(boost::gregorian::date on) const;

    // --- Plans and tasks (psp/plans.hpp, §1.1). The office files and revises city plans (whole);
    // the unit a task is assigned to (a platform's operator, or the office) reports its progress.
    CityPlanId add_city_plan(const Actor&, CityPlan);   // id 0: the next one
    void update_city_plan(const Actor&, const CityPlan&);
    // in_progress, done (on `on`) or cancelled (on `on`); not_started reopens a task.
    void set_task_status(const Actor&, CityPlanId, PlanTaskId, TaskStatus, boost::gregorian::date on);
    CityPlan city_plan(CityPlanId) const;
    std::vector<CityPlan> city_plans() const;
    OverdueReport overdue_report(CityPlanId, boost::gregorian::date on) const;
    // The report as text, with the platforms' names.
    std::string overdue_report_text(CityPlanId, boost::gregorian::date on) const;

    // --- Simulation of alliance sharing (psp/simulation.hpp).
    // A copy of this database in memory for what-if runs: it starts as this one stands (committed
    // changes) and takes every call, but writes nothing anywhere, neither to this file nor to its
    // journal; what it did is lost when it is closed. Rolling back a transaction on it returns it to
    // the state it was copied in. `options.clock` is its clock.
    Database scratch_copy(const OpenOptions& options = {}) const;
    // Runs each scenario's replications, each on its own scratch copy, in parallel threads;
    // results in the order given. This database is only read (copied once per replication, on the
    // calling thread); do not use it from another thread meanwhile. Throws Error(invalid) for an
    // invalid scenario or two scenarios of one name, and Error(refused) when the progress callback
    // stops the run.
    std::vector<ScenarioResult> simulate(const std::vector<Scenario>&, const SimulationOptions& = {}) const;
    // Stores a comparison (Action monitor: the office), journaled; `name` 1..200 bytes of UTF-8,
    // scenario names unique. Runs are kept whole and read back equal.
    SimulationRunId save_simulation(const Actor&, const std::string& name, const std::vector<ScenarioResult>&);
    SimulationRun simulation(SimulationRunId) const;
    std::vector<SimulationRun> simulations() const;   // in id order

    // --- Journal.
    std::vector<JournalEntry> journal(const JournalQuery& = {}) const;

    // --- Reads on behalf of a reader. The reads above that show one enterprise's business are the
    // trusted caller's view: everything, as the office sees it. A system that answers for someone
    // else (an enterprise's portal, an operator's desk) passes that Actor as the reader to these
    // twins, which apply the read table (may_read, psp/actor.hpp): an enterprise sees only its own
    // bookings, waiting-list entries, prices, voucher accounts, served and unmet requests; an
    // operator what concerns its platform; an expert and the public none of it. Lists are filtered;
    // a single record the reader may not see is ErrorCode::permission (after the usual not_found
    // and invalid checks). An actor of a role out of range, or not valid UTF-8, is invalid.
    Booking get(const Actor& reader, BookingId) const;
    std::vector<Booking> bookings_of(const Actor& reader, EquipmentId, Period) const;
    std::vector<Booking> bookings_of(const Actor& reader, EnterpriseId, Period) const;
    std::vector<Booking> bookings_of(const Actor& reader, PlatformId, Period) const;
    std::vector<WaitlistEntry> waitlist(const Actor& reader, EquipmentId) const;
    PriceBreakdown price_of(const Actor& reader, BookingId) const;
    VoucherAccount voucher_account(const Actor& reader, EnterpriseId, VoucherSchemeId, int year) const;
    std::vector<ServedRequest> served_requests(const Actor& reader, Period) const;
    std::vector<UnmetRequest> unmet_requests(const Actor& reader, Period) const;
    // Entries of requests the reader may see (an operator: where it served or referred).
    std::vector<SettlementEntry> settlement_ledger(const Actor& reader, Period) const;
    // Entries the reader made, entries about the bookings, waiting-list entries, served and unmet
    // requests and training records it may see, and entries about the network and the other public
    // records. The limit counts the entries returned.
    std::vector<JournalEntry> journal(const Actor& reader, const JournalQuery& = {}) const;

    // --- Whole networks. import_network() needs an empty database and is all-or-nothing; ids are
    // kept as given. The JSON format is docs/network-json.md; a bad value is reported with its
    // JSON path (e.g. "/platforms/3/tier").
    void import_network(const Actor&, const Network&);
    Network snapshot() const;
    void import_json(const Actor&, std::string_view json);
    std::string export_json() const;

private:
    struct Impl;
    explicit Database(std::unique_ptr<Impl>);
    std::unique_ptr<Impl> impl_;
};

// JSON <-> Network without a database (the format of docs/network-json.md).
Network network_from_json(std::string_view json);
std::string network_to_json(const Network&);

}  // namespace psp
