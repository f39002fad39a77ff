// The booking engine: every rule of DESIGN.md §4 "Booking" on in-memory state, in integer
// minutes. It knows nothing of SQLite or actors; psp::Database puts it behind permissions and
// write-through (and the benchmarks drive it directly).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "booking/interval_index.hpp"
#include "booking/training_table.hpp"
#include "psp/booking.hpp"
#include "psp/error.hpp"

namespace psp::booking {

inline constexpr std::uint32_t no_record = 0xffffffffU;

struct EquipmentSetup {
    EquipmentId id;
    EquipmentClassId equipment_class;
    int capacity_units = 1;
    bool operating = true;   // the owning platform operates
    BookingRules rules;
    Calendar calendar;       // last: large, and read only when opening hours are recomputed
};

class Engine {
public:
    // Adds or replaces the rules, calendar and capacity of one equipment. Throws
    // psp::Error(invalid) naming a bad rule (negative durations, slot not dividing a day, ...).
    void set_equipment(const EquipmentSetup& setup);
    bool has_equipment(EquipmentId id) const { return find_state(id) != nullptr; }

    void set_training(EnterpriseId, EquipmentClassId, bool trained);
    bool trained(EnterpriseId, EquipmentClassId) const;

    // Checks every rule and, if all pass, stores the booking (pending or confirmed). Reversed or
    // empty periods, units < 1 and unknown equipment are psp::Error; a rule's refusal is a value.
    BookingOutcome book(const BookingRequest& request, Time now, std::int64_t series = 0);
    // A recurring series; its id is its first booking's id. All-or-nothing refuses the whole
    // series (booked stays empty) when one occurrence is refused.
    SeriesOutcome book_series(const BookingRequest& first, const Recurrence&, SeriesMode, Time now);
    // The periods of a series' occurrences (same local wall-clock time each time). Throws
    // psp::Error(invalid) for a recurrence without count or until, or of more than 1,000.
    std::vector<Period> occurrences(const BookingRequest& first, const Recurrence&) const;
    // Forgets every booking from `mark` on (they were just made): lets a caller undo a batch
    // whose write to the store failed.
    void rollback_to(BookingId mark);
    // Puts back a booking read from the store, as it was (no rule is checked). Its id must be the
    // next one: the store gives bookings back in id order.
    void restore(const Booking& booking);
    // Brings a booking up to the store's row after another connection changed it (Database::
    // refresh): the next id is restored as new; a known one takes the stored status and fee, its
    // time freed or taken as that status says. Ids beyond the next are out of order.
    void catch_up(const Booking& stored);
    // Id the next accepted booking will get.
    BookingId next_id() const { return BookingId(static_cast<std::int64_t>(records_.size()) + 1); }
    // Forgets what free-slot searches learnt of busy stretches (EquipmentState::busy): answers
    // stay the same, only slower. For the tests that prove that, and benchmarks.
    void forget_searches();
    // The same checks without storing anything.
    BookingOutcome check(const BookingRequest& request, Time now) const;

    // Lifecycle. A transition from the wrong state is psp::Error(refused) naming both states.
    // preview() answers what apply() would make of the booking without changing anything, so
    // that a caller can persist the result first and apply it only once that succeeded.
    enum class Transition { approve, reject, check_in, complete, cancel };
    Booking preview(BookingId, Transition, Time now) const;
    Booking apply(BookingId, Transition, Time now);
    Booking approve(BookingId id) { return apply(id, Transition::approve, 0); }
    Booking reject(BookingId id) { return apply(id, Transition::reject, 0); }
    Booking check_in(BookingId id, Time now) { return apply(id, Transition::check_in, now); }
    Booking complete(BookingId id) { return apply(id, Transition::complete, 0); }
    Booking cancel(BookingId id, Time now) { return apply(id, Transition::cancel, now); }   // late: with fee
    // Confirmed bookings whose grace period has passed: due_no_shows() lists them as they would
    // become; mark_no_shows() turns them into no-shows and releases their time.
    std::vector<Booking> due_no_shows(Time now) const;
    std::vector<Booking> mark_no_shows(Time now);

    // --- Waitlist. join() validates the request like book() (period, units, equipment) but
    // stores it whatever the rules say now; promote() books, in order of joining, every waiting
    // request on the equipment that now passes all rules, and expires those already started.
    WaitlistEntry join_waitlist(const BookingRequest&, Time now);
    void restore(const WaitlistEntry&);
    WaitlistEntry withdraw(WaitlistId);
    WaitlistEntry waitlist_entry(WaitlistId) const;
    std::vector<WaitlistEntry> waitlist(EquipmentId) const;   // waiting entries, in order
    // Entries that changed (promoted with their booking, or expired), in order.
    std::vector<WaitlistEntry> promote(EquipmentId, Time now);
    WaitlistId next_waitlist_id() const { return WaitlistId(static_cast<std::int64_t>(waiting_.size()) + 1); }
    // Forgets waitlist changes from a failed write: entries from `mark` on, and the given
    // entries back to their earlier state.
    void rollback_waitlist(WaitlistId mark, const std::vector<WaitlistEntry>& earlier);

    const BookingRules& rules(EquipmentId id) const { return state_of(id).setup.rules; }
    // Local time minus UTC for the equipment's calendar at t, in minutes (cached per zone).
    int utc_offset(EquipmentId id, Time t) const { return state_of(id).offset_at(t); }

    Booking get(BookingId) const;
    bool contains(BookingId id) const;
    // Live (pending, confirmed, checked-in) and past bookings of an equipment overlapping `window`.
    std::vector<Booking> bookings_of(EquipmentId, Period window) const;
    // Every booking (any status) of the enterprise, or of any of the equipment, overlapping
    // `window`, in id order. Each looks only at the bookings of its subject.
    std::vector<Booking> bookings_of(EnterpriseId, Period window) const;
    std::vector<Booking> bookings_of(const std::vector<EquipmentId>&, Period window) const;
    // Free periods of at least `min_minutes` with `units` available, inside opening hours, on the
    // slot grid, within `window`; the first `limit` of them (routing needs only the first few,
    // and a busy window's later days cost as much as the first).
    std::vector<Period> free_slots(EquipmentId, Period window, int min_minutes, int units,
                                   std::size_t limit = std::numeric_limits<std::size_t>::max()) const;
    // The same into `out` (cleared first), for a caller that asks thousands of times a second
    // and keeps one vector for all of them (routing).
    void free_slots(EquipmentId, Period window, int min_minutes, int units, std::size_t limit, std::vector<Period>& out) const;
    // The earliest start at or after `from`, and at or before `until`, of a period of `minutes`
    // that free_slots() would offer (on the grid, open, `units` free with buffers); nullopt if
    // none. A queue (issue 8's simulations, bench/queue_model.cpp) asks this for every arrival:
    // it stops at the first fit instead of listing a whole window's free periods.
    std::optional<Time> earliest_start(EquipmentId, Time from, Time until, int minutes, int units) const;
    // A lower bound of the first start free_slots() gives for the same question, read without
    // the interval index: past what earlier searches proved busy (EquipmentState::busy), the
    // start of the first open period long enough; nullopt when no open period is, so that
    // free_slots() would find nothing. Routing evaluates the most promising instruments first by it.
    std::optional<Time> first_start_bound(EquipmentId, Period window, int min_minutes, int units) const;

    // The part of `window` in which a booking of `minutes` asked at `now` may lie: from now (no
    // start in the past) to the instrument's horizon (max_horizon_days) plus its length. Routing
    // looks for free periods only there; read from the same cache lines as first_start_bound.
    Period bookable_window(EquipmentId id, Period window, Time now, int minutes) const {
        return bookable_window(state_of(id), window, now, minutes);
    }

    // bookable_window() and then first_start_bound() over it, for routing, which asks both of every
    // instrument in reach of a request: the state found once, the question not checked again.
    // The caller has checked it as first_start_bound() would (a window within the supported
    // range, min_minutes and units >= 1: Database::check_request). nullopt when the engine does
    // not know the equipment (yet: Database sets it up on first use).
    struct Located {
        Period window;                     // bookable_window()
        std::optional<Time> start_bound;   // first_start_bound() over it; none if it is empty
    };
    std::optional<Located> locate(EquipmentId id, Period window, Time now, int min_minutes, int units) const {
        const EquipmentState* st = find_state(id);
        if (!st) return std::nullopt;
        Located out;
        out.window = bookable_window(*st, window, now, min_minutes);
        if (!out.window.empty()) out.start_bound = start_bound(*st, out.window, min_minutes, units);
        return out;
    }

    // Asks the processor for what first_start_bound(id, ..., min_minutes, ...) and
    // bookable_window(id, ...) will read. Routing calls it an instrument ahead, so that the next
    // instrument's cache misses overlap the work on this one. Does nothing for an unknown id.
    void prefetch_bound(EquipmentId id, int min_minutes) const {
        if (const EquipmentState* st = find_state(id)) {
            __builtin_prefetch(&st->header);
            if (const std::ptrdiff_t k = busy_bucket(min_minutes); k >= 0) __builtin_prefetch(&st->busy[static_cast<std::size_t>(k)]);
        }
    }

    // Unit-seconds inside the window of the equipment's bookings that hold or held its time
    // (pending, confirmed, checked in, completed) and of those used (checked in, completed):
    // Database::utilisation, read from the booking records without building a Booking of each
    // (a simulation asks it of every instrument for a year of bookings).
    struct Usage {
        std::int64_t booked_seconds = 0, used_seconds = 0;
    };
    Usage usage(EquipmentId, Period window) const;
    // Unit-minutes of live bookings inside the window (the equipment's load, for routing).
    std::int64_t booked_unit_minutes(EquipmentId, Period window) const;
    // Minutes the equipment is open inside the window (from the shared opening-hours cache).
    std::int64_t open_minutes(EquipmentId, Period window) const;

    std::size_t booking_count() const { return records_.size(); }
    // Makes room for `bookings` bookings in all, for a caller that knows how many are coming (a
    // simulation, a bulk load): the records then grow without being moved and re-faulted.
    void reserve(std::size_t bookings) { records_.reserve(bookings); }
    std::size_t index_memory_bytes() const;

private:
    struct OpenHours;
    // Members in the order an attempt reads them, so that the few cache lines it touches are
    // adjacent (the hardware fetches neighbours together); the calendar copy comes last.
    // Free-run lengths that single-unit searches remember busy stretches for (EquipmentState::busy).
    static constexpr std::array<Minute, 9> busy_runs{15, 30, 60, 90, 120, 180, 240, 360, 480};
    // The index of the longest run in busy_runs not above `minutes`, or -1: read from a table by
    // quarter hours (every run is a multiple of 15) rather than counted for every instrument a
    // search looks at.
    static constexpr std::array<std::int8_t, 480 / 15 + 1> busy_bucket_by_quarter = [] {
        static_assert(busy_runs.front() == 15 && busy_runs.back() == 480);
        std::array<std::int8_t, 480 / 15 + 1> table{};
        for (std::size_t quarter = 0; quarter < table.size(); ++quarter) {
            int k = -1;
            for (const Minute run : busy_runs) k += run <= static_cast<Minute>(quarter * 15) ? 1 : 0;
            table[quarter] = static_cast<std::int8_t>(k);
        }
        return table;
    }();
    static std::ptrdiff_t busy_bucket(int minutes) {
        return minutes < 15 ? -1 : busy_bucket_by_quarter[static_cast<std::size_t>(std::min(minutes, 480) / 15)];
    }
    // A stretch known to hold no free run long enough: no free run of its bucket's minutes or more
    // starts in [from, to). Empty when from >= to.
    struct BusyStretch {
        Minute from = 0, to = 0;
    };
    // Stretches remembered per bucket. Requests ask from different days (tomorrow, next week):
    // with one stretch each search of a later window replaced what an earlier one had learnt, and
    // the next request from tomorrow searched again.
    static constexpr std::size_t busy_stretches = 4;
    using BusyStretches = std::array<BusyStretch, busy_stretches>;
    struct EquipmentState {
        // What a bound reads (routing asks dozens of instruments per request, each a cache miss):
        // the zone's fixed offset, the horizon, grid, buffer and capacity copied from `setup`, the
        // opening hours, then (in the same cache line) where the interval index's blocks are: a
        // free-slot search that follows a bound reads the index without another miss on the state.
        struct alignas(32) Header {
            // Zones without daylight saving (Asia/Shanghai) have one offset: looked up once, not
            // per attempt.
            std::optional<int> fixed_offset;
            int max_horizon_days = 0;
            Minute slot_minutes = 1;
            // Opening hours, shared by every equipment with the same calendar (most of a city's);
            // owned by Engine::hours_, which keeps every calendar's for the engine's life.
            OpenHours* hours = nullptr;
            Minute buffer_minutes = 0;
            int capacity_units = 1;
        };
        static_assert(sizeof(Header) == 32);
        alignas(64) Header header;
        IntervalIndex index;   // its block table and pool first: the header's line holds them
        // What single-unit free_slots searches learnt, per busy_runs bucket: a search of a busy
        // instrument starts after the stretch, and one wholly inside it returns at once, without
        // reading the interval index. Booking more keeps every stretch true and may lengthen
        // one (taken); freeing time cuts them back (freed); a new setup clears them. A memo of searches, which are const.
        // 32-byte aligned: one bucket's stretches never straddle two cache lines.
        alignas(32) mutable std::array<BusyStretches, busy_runs.size()> busy{};
        // Whether any search has learnt a stretch since the memo was last cleared: booking and
        // freeing time then skip the memo's 36 stretches (a queue of earliest starts never
        // learns one).
        mutable bool learnt = false;
        // Where a search for a run of `minutes` from `from` may start: after the stretch that
        // holds `from`, if any.
        Minute busy_until(Minute from, int minutes) const;
        // A search found no free run of `minutes` or more starting in [from, to).
        void proven_busy(Minute from, Minute to, int minutes) const;
        // Minutes [start, end) of a booking were released.
        void freed(Minute start, Minute end);
        // Minutes [start, end) were booked (Engine::book): stretches ending just before grow over them.
        void taken(Minute start, Minute end);
        // Joins `grown` with every other stretch of the bucket it meets; `grown` then points at the result.
        static void join(BusyStretches&, BusyStretch*& grown);
        // Recent no-shows, in the order they were marked: a handful per instrument in 90 days. A map
        // of enterprise -> deque kept every enterprise that ever failed to show, at a deque's
        // allocation each, and the rule check's look-up in it missed the cache three times (7 % of
        // a simulated city year).
        struct NoShow {
            std::int64_t enterprise = 0;
            Time at = 0;   // the booking's start
        };
        std::vector<NoShow> no_shows;
        std::uint32_t newest = no_record;     // record index of its newest booking (Record chains)
        // No confirmed booking starting before this minute is past its grace period unmarked:
        // the no-show sweep starts here instead of at the beginning of time.
        Minute unswept_from = std::numeric_limits<Minute>::max();
        void confirmed(Minute start) { unswept_from = std::min(unswept_from, start); }
        EquipmentSetup setup;   // last: its calendar is large, and read only when opening hours are recomputed
        int offset_at(Time t) const { return header.fixed_offset ? *header.fixed_offset : utc_offset_minutes(setup.calendar, t); }
    };
    // Open periods in minutes of one calendar, computed lazily over [from, to). Shared: a city's
    // thousand instruments on one calendar then search one small array that stays in cache.
    struct OpenHours {
        Calendar calendar;
        std::vector<std::pair<Minute, Minute>> open;
        Minute from = 0, to = 0;
        // By day of [from, to): the index in `open` of the first period ending after the day's
        // first minute. Every search finds its place in a year of periods by it, not by a
        // binary search (routing asks for dozens of instruments per request).
        std::vector<std::uint32_t> first_of_day;
        // The index of the first open period ending after minute m (open.size() if none): the
        // period holding m if any, else the next one. m must lie in [from, to).
        std::size_t first_ending_after(Minute m) const;
    };
    std::vector<std::shared_ptr<OpenHours>> hours_;   // one per distinct calendar
    // Compact on purpose: millions of them live in memory.
    struct Record {
        std::int64_t enterprise = 0;
        std::int64_t equipment = 0;
        Time created = 0;
        Fen fee = 0;
        std::int64_t series = 0;
        Minute start = 0, end = 0;
        std::uint16_t units = 1;
        BookingStatus status = BookingStatus::confirmed;
        // The previous booking of the same equipment and of the same enterprise (record
        // indices; no_record at the first): each subject's bookings form a chain from its
        // newest, so listing them reads only theirs and booking costs no list of its own.
        std::uint32_t prev_same_equipment = no_record;
        std::uint32_t prev_same_enterprise = no_record;
    };
    static_assert(sizeof(Record) == 64);

    const EquipmentState& state_of(EquipmentId) const;
    EquipmentState& state_of(EquipmentId);
    static Period bookable_window(const EquipmentState& st, Period window, Time now, int minutes) {
        const Time horizon_end = now + (Time{st.header.max_horizon_days} + 1) * 86400 + Time{minutes} * 60;
        return Period{std::max(window.start, now), std::min(window.end, horizon_end)};
    }
    // first_start_bound() of a question already checked.
    std::optional<Time> start_bound(const EquipmentState&, Period window, int min_minutes, int units) const;
    Record& record(BookingId);
    const Record& record(BookingId) const;
    Booking to_booking(std::size_t index) const;
    void fill_booking(std::size_t index, Booking& b) const;   // b's fields from the record; b's note must be empty
    // The refusal of `q` by the first rule it breaks, nullopt if every rule allows it (psp::Error
    // for invalid input). check() and book() share it; neither builds a booking it discards.
    std::optional<BookingOutcome> refusal(const EquipmentState& st, const BookingRequest& q, Time now) const;
    bool is_open(const EquipmentState&, Minute s, Minute e) const;
    void ensure_open_cached(const EquipmentState&, Minute s, Minute e) const;
    // Minutes of the enterprise's live bookings on the equipment starting in the local ISO week
    // (Monday to Sunday) of minute `start`.
    Minute week_minutes(const EquipmentState&, EnterpriseId, Minute start, int utc_offset_minutes) const;
    void release(Record& r, std::size_t index);
    // The refusal by `rule`, its reason "<rule>: <printf-formatted text>".
    BookingOutcome refuse(BookingRule rule, const char* format, ...) const __attribute__((format(printf, 3, 4)));

    const EquipmentState* find_state(EquipmentId id) const {
        return id.value > 0 && static_cast<std::size_t>(id.value) < equipment_.size()
                   ? equipment_[static_cast<std::size_t>(id.value)].get()
                   : nullptr;
    }
    // Indexed by equipment id: psp's ids are dense from 1, and a plain index is the cheapest
    // look-up on the path every attempt takes.
    std::vector<std::unique_ptr<EquipmentState>> equipment_;
    TrainingTable training_;
    std::vector<Record> records_;                                  // BookingId = index + 1
    // Newest record index per enterprise: by id below 2^22 (ids are dense), else by map.
    std::vector<std::uint32_t> newest_of_enterprise_;
    std::unordered_map<std::int64_t, std::uint32_t> newest_of_wide_enterprise_;
    std::uint32_t& newest_of(std::int64_t enterprise);
    std::uint32_t newest_of(std::int64_t enterprise) const;
    // Links the record at `index` (the newest) into the chains of its equipment and enterprise.
    void remember(std::size_t index);
    // Bookings of a chain overlapping the window, appended in ascending id order.
    template <class Next>
    void collect(std::uint32_t newest, Next&& next, Period window, std::vector<Booking>& out) const;
    std::unordered_map<std::size_t, std::string> notes_;           // rare: only non-empty notes
    std::vector<WaitlistEntry> waiting_;                             // WaitlistId = index + 1
};

}  // namespace psp::booking
