// The booking rules, checked in a fixed order so that a refusal always names the first rule
// broken; then the ledger's lifecycle transitions.
#include "booking/engine.hpp"

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <utility>

#include "psp/error.hpp"

namespace psp::booking {
namespace {

constexpr Time minute = 60;
constexpr Time day = 86'400;
constexpr Minute day_minutes = 1440;
constexpr Time no_show_memory = 90 * day;   // no-shows count against an enterprise this long
constexpr Fen absurd_fee = 100'000'000'00;  // 100 million yuan: a typo, not a tariff

Minute to_minute(Time t) { return static_cast<Minute>(t / minute); }
Time to_time(Minute m) { return static_cast<Time>(m) * minute; }

Minute floor_to(Minute m, Minute step) { return m - ((m % step) + step) % step; }

// Whether a booking in this status holds its time in the interval index (a cancelled, rejected or
// no-show booking has given it back).
bool holds_time(BookingStatus s) {
    return s == BookingStatus::pending || s == BookingStatus::confirmed || s == BookingStatus::checked_in ||
           s == BookingStatus::completed;
}

[[noreturn]] void invalid(const std::string& what) { throw Error(ErrorCode::invalid, what); }

void check_rules(const EquipmentSetup& e) {
    const auto& r = e.rules;
    const std::string where = "equipment " + std::to_string(e.id.value) + ": ";
    if (e.capacity_units < 1 || e.capacity_units > 65535) invalid(where + "capacity_units must be 1..65535");
    if (r.slot_minutes < 1 || r.slot_minutes > day_minutes || day_minutes % r.slot_minutes != 0) {
        invalid(where + "slot_minutes must divide a day (1..1440), got " + std::to_string(r.slot_minutes));
    }
    if (r.min_minutes < 1) invalid(where + "min_minutes must be >= 1");
    if (r.max_minutes < r.min_minutes) invalid(where + "max_minutes must be >= min_minutes");
    if (r.max_minutes > 366 * day_minutes) invalid(where + "max_minutes is absurd (more than a year)");
    if (r.min_notice_minutes < 0) invalid(where + "min_notice_minutes must be >= 0");
    if (r.max_horizon_days < 1 || r.max_horizon_days > 3660) invalid(where + "max_horizon_days must be 1..3660");
    if (r.buffer_minutes < 0 || r.buffer_minutes > day_minutes) invalid(where + "buffer_minutes must be 0..1440");
    if (r.weekly_quota_minutes < 0) invalid(where + "weekly_quota_minutes must be >= 0");
    if (r.cancel_deadline_minutes < 0) invalid(where + "cancel_deadline_minutes must be >= 0");
    if (r.late_cancel_fee < 0) invalid(where + "late_cancel_fee must be >= 0 fen");
    if (r.late_cancel_fee > absurd_fee) invalid(where + "late_cancel_fee is absurd (over 100 million yuan)");
    if (r.no_show_grace_minutes < 0) invalid(where + "no_show_grace_minutes must be >= 0");
    if (r.no_show_limit < 1) invalid(where + "no_show_limit must be >= 1");
    if (r.no_show_block_days < 0) invalid(where + "no_show_block_days must be >= 0");
    for (std::size_t i = 0; i < r.blackouts.size(); ++i) {
        if (r.blackouts[i].empty()) invalid(where + "blackouts[" + std::to_string(i) + "] is empty or reversed");
    }
    validate(e.calendar);
}

}  // namespace

Minute Engine::EquipmentState::busy_until(Minute from, int minutes) const {
    // The longest bucket not above `minutes`: no run of it fits, so none of `minutes` does.
    // Counted without branches (routing asks this for every instrument in reach of a request).
    const std::ptrdiff_t k = busy_bucket(minutes);
    if (k < 0) return from;
    // A bucket's stretches neither overlap nor touch (proven_busy and taken join them), so at
    // most one holds `from` and its end is in none.
    for (const BusyStretch& b : busy[static_cast<std::size_t>(k)]) {
        if (b.from <= from && from < b.to) return b.to;
    }
    return from;
}

void Engine::EquipmentState::join(BusyStretches& stretches, BusyStretch*& grown) {
    for (BusyStretch& b : stretches) {
        if (&b != grown && b.from < b.to && grown->from <= b.to && b.from <= grown->to) {
            b = {std::min(b.from, grown->from), std::max(b.to, grown->to)};
            *grown = {};
            grown = &b;
        }
    }
}

void Engine::EquipmentState::proven_busy(Minute from, Minute to, int minutes) const {
    if (from >= to) return;
    learnt = true;
    // A run shorter than `minutes` is shorter than every bucket at or above it.
    for (auto k = static_cast<std::size_t>(std::lower_bound(busy_runs.begin(), busy_runs.end(), minutes) - busy_runs.begin());
         k < busy_runs.size(); ++k) {
        // Joined with every stretch it meets; else it takes an empty place, or the place of the
        // stretch that ends first (searches move forward with time: the oldest matters least).
        BusyStretch joined{from, to};
        BusyStretch* place = nullptr;
        for (BusyStretch& b : busy[k]) {
            if (b.from < b.to && joined.from <= b.to && b.from <= joined.to) {
                joined = {std::min(b.from, joined.from), std::max(b.to, joined.to)};
                b = {};
            }
        }
        for (BusyStretch& b : busy[k]) {
            if (b.from >= b.to) {
                place = &b;
                break;
            }
            if (!place || b.to < place->to) place = &b;
        }
        *place = joined;
    }
}

void Engine::EquipmentState::freed(Minute start, Minute end) {
    // Released time, widened by the buffer, may join the runs beside it: a run of bucket k that now
    // starts in the stretch starts after start - buffer - k (the run before it was shorter than k).
    if (!learnt) return;
    const Minute buffer = setup.rules.buffer_minutes;
    for (std::size_t k = 0; k < busy_runs.size(); ++k) {
        for (BusyStretch& b : busy[k]) {
            if (b.from < b.to && b.from <= end + buffer && b.to > start - buffer - busy_runs[k]) {
                b.to = std::max(b.from, start - buffer - busy_runs[k]);
            }
        }
    }
}

void Engine::EquipmentState::taken(Minute start, Minute end) {
    // Only a single unit fills its time: with more, a booking leaves room beside it.
    if (setup.capacity_units != 1 || !learnt) return;
    // A stretch that ends less than its bucket's minutes before the booking (widened by the
    // buffer) now reaches past it: what was free between the two is too short for the bucket,
    // and nothing of the booking is free. This keeps the next search from trying the slot the
    // last one found and booked.
    const Minute buffer = setup.rules.buffer_minutes;
    for (std::size_t k = 0; k < busy_runs.size(); ++k) {
        for (BusyStretch& b : busy[k]) {
            if (b.from < b.to && start - buffer - b.to < busy_runs[k] && end + buffer > b.to) {
                b.to = end + buffer;
                BusyStretch* grown = &b;
                join(busy[k], grown);   // it may now reach the next stretch
            }
        }
    }
}

void Engine::forget_searches() {
    for (auto& st : equipment_) {
        if (st) {
            st->busy = {};
            st->learnt = false;
        }
    }
}

void Engine::set_equipment(const EquipmentSetup& setup) {
    check_rules(setup);
    if (setup.id.value < 1 || setup.id.value > 100'000'000) invalid("equipment id " + std::to_string(setup.id.value) + " out of range");
    const auto slot = static_cast<std::size_t>(setup.id.value);
    if (equipment_.size() <= slot) equipment_.resize(slot + 1);
    if (!equipment_[slot]) {
        equipment_[slot] = std::make_unique<EquipmentState>();
    }
    auto& st = *equipment_[slot];
    st.setup = setup;
    st.busy = {};   // the grid, buffer or capacity may have changed what is free
    st.learnt = false;
    st.header.hours = nullptr;
    for (const auto& h : hours_) {
        if (h->calendar == setup.calendar) st.header.hours = h.get();
    }
    if (!st.header.hours) {
        hours_.push_back(std::make_shared<OpenHours>());
        hours_.back()->calendar = setup.calendar;
        st.header.hours = hours_.back().get();
    }
    // Probe both solstices of several years: equal offsets mean no daylight saving.
    st.header.fixed_offset.reset();
    st.header.max_horizon_days = setup.rules.max_horizon_days;
    st.header.slot_minutes = setup.rules.slot_minutes;
    st.header.buffer_minutes = setup.rules.buffer_minutes;
    st.header.capacity_units = setup.capacity_units;
    const int first = utc_offset_minutes(setup.calendar, 0);
    bool fixed = true;
    for (Time t = 0; t < Time{60} * 365 * day && fixed; t += 182 * day) fixed = utc_offset_minutes(setup.calendar, t) == first;
    if (fixed) st.header.fixed_offset = first;
}

void Engine::set_training(EnterpriseId e, EquipmentClassId c, bool trained) { training_.set(e.value, c.value, trained); }

bool Engine::trained(EnterpriseId e, EquipmentClassId c) const { return training_.get(e.value, c.value); }

const Engine::EquipmentState& Engine::state_of(EquipmentId id) const {
    const EquipmentState* st = find_state(id);
    if (!st) throw Error(ErrorCode::not_found, "no bookable equipment with id " + std::to_string(id.value));
    return *st;
}
Engine::EquipmentState& Engine::state_of(EquipmentId id) {
    return const_cast<EquipmentState&>(static_cast<const Engine*>(this)->state_of(id));
}

const Engine::Record& Engine::record(BookingId id) const {
    if (id.value < 1 || static_cast<std::size_t>(id.value) > records_.size()) {
        throw Error(ErrorCode::not_found, "no booking with id " + std::to_string(id.value));
    }
    return records_[static_cast<std::size_t>(id.value - 1)];
}
Engine::Record& Engine::record(BookingId id) {
    return const_cast<Record&>(static_cast<const Engine*>(this)->record(id));
}
bool Engine::contains(BookingId id) const { return id.value >= 1 && static_cast<std::size_t>(id.value) <= records_.size(); }

Booking Engine::to_booking(std::size_t index) const {
    Booking b;
    fill_booking(index, b);
    return b;
}

void Engine::fill_booking(std::size_t index, Booking& b) const {
    const Record& r = records_[index];
    b.id = BookingId(static_cast<std::int64_t>(index) + 1);
    b.equipment = EquipmentId(r.equipment);
    b.enterprise = EnterpriseId(r.enterprise);
    b.period = {to_time(r.start), to_time(r.end)};
    b.units = r.units;
    b.status = r.status;
    b.created = r.created;
    b.cancellation_fee = r.fee;
    b.series = r.series;
    if (notes_.empty()) return;   // the common case: no booking has a note, no lookup
    if (auto it = notes_.find(index); it != notes_.end()) b.note = it->second;
}

Booking Engine::get(BookingId id) const {
    (void)record(id);
    return to_booking(static_cast<std::size_t>(id.value - 1));
}

void Engine::ensure_open_cached(const EquipmentState& st, Minute s, Minute e) const {
    // Keep a margin of two days inside the cached range: an open period crossing the cache edge
    // is clipped there, so a request must not come near it.
    OpenHours& h = *st.header.hours;
    if (h.to > h.from && s >= h.from + 2 * day_minutes && e <= h.to - 2 * day_minutes) return;
    const Minute horizon = static_cast<Minute>(st.header.max_horizon_days + 7) * day_minutes;
    Minute from = floor_to(s, day_minutes) - 7 * day_minutes;
    Minute to = floor_to(std::max(e, s + horizon), day_minutes) + 7 * day_minutes;
    if (h.to > h.from) {
        from = std::min(from, h.from);
        to = std::max(to, h.to);
    }
    h.open.clear();
    for (const auto& p : open_periods(h.calendar, {to_time(from), to_time(to)})) {
        h.open.emplace_back(to_minute(p.start), to_minute(p.end));
    }
    h.from = from;
    h.to = to;
    h.first_of_day.assign(static_cast<std::size_t>((to - from) / day_minutes) + 1, 0);
    std::size_t i = 0;
    for (std::size_t day = 0; day < h.first_of_day.size(); ++day) {
        const Minute day_start = from + static_cast<Minute>(day) * day_minutes;
        while (i < h.open.size() && h.open[i].second <= day_start) ++i;
        h.first_of_day[day] = static_cast<std::uint32_t>(i);
    }
}

std::size_t Engine::OpenHours::first_ending_after(Minute m) const {
    if (m < from) return 0;
    if (m >= to) return open.size();
    std::size_t i = first_of_day[static_cast<std::size_t>((m - from) / day_minutes)];
    while (i < open.size() && open[i].second <= m) ++i;   // a day holds a period or two
    return i;
}

bool Engine::is_open(const EquipmentState& st, Minute s, Minute e) const {
    ensure_open_cached(st, s, e);
    // The open period holding s must reach e (periods are merged).
    const OpenHours& h = *st.header.hours;
    const std::size_t i = h.first_ending_after(s);
    return i < h.open.size() && h.open[i].first <= s && e <= h.open[i].second;
}

Minute Engine::week_minutes(const EquipmentState& st, EnterpriseId e, Minute start, int utc_offset) const {
    // ISO weeks in local time; 1970-01-01 was a Thursday, so Monday is 3 days before a multiple
    // of 7 days. Floor division: minutes before 1970 are negative.
    const Minute local = start + utc_offset;
    const Minute local_day = (local - (((local % day_minutes) + day_minutes) % day_minutes)) / day_minutes;
    const Minute monday = local_day - (((local_day + 3) % 7) + 7) % 7;
    const Minute from = monday * day_minutes - utc_offset, to = from + 7 * day_minutes;
    const std::uint32_t tag = enterprise_tag(e.value);
    Minute sum = 0;
    st.index.for_each_overlapping(from, to, [&](const Slot& slot) {
        if (slot.start < from || slot.enterprise != tag) return;
        if (tag == wide_enterprise && records_[slot.booking].enterprise != e.value) return;
        sum += slot.end - slot.start;
    });
    return sum;
}

BookingOutcome Engine::refuse(BookingRule rule, const char* format, ...) const {
    // One formatted write into a stack buffer and one string: a refusal is a common answer (a
    // fifth of the attempts in a busy week), not an exceptional one.
    char text[256];
    int n = std::snprintf(text, sizeof text, "%s: ", to_string(rule));
    std::va_list args;
    va_start(args, format);
    n += std::vsnprintf(text + n, sizeof text - static_cast<std::size_t>(n), format, args);
    va_end(args);
    BookingOutcome out;
    out.refused_by = rule;
    out.reason.assign(text, std::min<std::size_t>(static_cast<std::size_t>(n), sizeof text - 1));
    return out;
}

BookingOutcome Engine::check(const BookingRequest& q, Time now) const {
    // One outcome returned on every path, so that it is built in the caller's place (a refusal
    // moves in; moving an outcome out cost a tenth of a booking).
    BookingOutcome out;
    if (auto refused = refusal(state_of(q.equipment), q, now)) {
        out = std::move(*refused);
    } else {
        out.booking.emplace();
    }
    return out;
}

std::optional<BookingOutcome> Engine::refusal(const EquipmentState& st, const BookingRequest& q, Time now) const {
    const auto& rules = st.setup.rules;
    if (q.period.empty()) {
        invalid("period: [" + std::to_string(q.period.start) + ", " + std::to_string(q.period.end) + ") is empty or reversed");
    }
    if (q.period.start % minute != 0 || q.period.end % minute != 0) invalid("period: times must be whole minutes");
    if (q.units < 1) invalid("units: must be >= 1, got " + std::to_string(q.units));
    if (!q.enterprise) invalid("enterprise: must be set");
    const Minute s = to_minute(q.period.start), e = to_minute(q.period.end);
    const Minute length = e - s;

    if (!st.setup.operating) return refuse(BookingRule::not_operating, "the owning platform is not operating");
    if (q.period.start < now) return refuse(BookingRule::in_past, "the period starts before now");
    if (q.period.start < now + rules.min_notice_minutes * minute) {
        return refuse(BookingRule::min_notice, "bookings need %d minutes' notice", rules.min_notice_minutes);
    }
    if (q.period.start > now + rules.max_horizon_days * day) {
        return refuse(BookingRule::max_horizon, "bookings open at most %d days ahead", rules.max_horizon_days);
    }
    const int offset = st.offset_at(q.period.start);
    if ((s + offset) % rules.slot_minutes != 0 || (e + offset) % rules.slot_minutes != 0) {
        return refuse(BookingRule::slot_grid, "start and end must lie on the %d-minute grid", rules.slot_minutes);
    }
    if (length < rules.min_minutes) {
        return refuse(BookingRule::min_duration, "at least %d minutes", rules.min_minutes);
    }
    if (length > rules.max_minutes) {
        return refuse(BookingRule::max_duration, "at most %d minutes", rules.max_minutes);
    }
    for (const auto& b : rules.blackouts) {
        if (b.start < q.period.end && q.period.start < b.end) return refuse(BookingRule::blackout, "the period touches a blackout");
    }
    if (!is_open(st, s, e)) return refuse(BookingRule::opening_hours, "the equipment is not open for the whole period");
    if (rules.training_required && !trained(q.enterprise, st.setup.equipment_class)) {
        return refuse(BookingRule::training, "enterprise %lld has no training record for this equipment class",
                      static_cast<long long>(q.enterprise.value));
    }
    if (rules.no_show_block_days > 0) {
        // The enterprise's no-shows in the last 90 days, and its latest (the last marked).
        std::int64_t recent = 0;
        Time latest = 0;
        for (const auto& n : st.no_shows) {
            if (n.enterprise != q.enterprise.value) continue;
            recent += n.at > now - no_show_memory ? 1 : 0;
            latest = n.at;
        }
        if (recent >= rules.no_show_limit && now < latest + rules.no_show_block_days * day) {
            return refuse(BookingRule::no_show_block, "%lld no-shows: blocked until %lld", static_cast<long long>(recent),
                          static_cast<long long>(latest + rules.no_show_block_days * day));
        }
    }
    if (rules.weekly_quota_minutes > 0) {
        const Minute used = week_minutes(st, q.enterprise, s, offset);
        if (used + length > rules.weekly_quota_minutes) {
            return refuse(BookingRule::weekly_quota, "%d of %d minutes this week already booked", int{used},
                          rules.weekly_quota_minutes);
        }
    }
    const int in_use = st.index.peak_units(s, e, rules.buffer_minutes);
    if (in_use + q.units > st.setup.capacity_units) {
        return refuse(BookingRule::capacity, "%d of %d units already booked (with buffers) in the period", in_use,
                      st.setup.capacity_units);
    }
    return std::nullopt;
}

BookingOutcome Engine::book(const BookingRequest& q, Time now, std::int64_t series) {
    EquipmentState& st = state_of(q.equipment);
    BookingOutcome out;   // the only one returned, built in the caller's place (as in check())
    if (auto refused = refusal(st, q, now)) {
        out = std::move(*refused);
        return out;
    }
    if (q.units > 65535) invalid("units: must be <= 65535");
    const Minute s = to_minute(q.period.start), e = to_minute(q.period.end);
    Record r;
    r.enterprise = q.enterprise.value;
    r.equipment = q.equipment.value;
    r.created = now;
    r.start = s;
    r.end = e;
    r.units = static_cast<std::uint16_t>(q.units);
    r.series = series;
    r.status = st.setup.rules.approval_required ? BookingStatus::pending : BookingStatus::confirmed;
    const std::size_t index = records_.size();
    records_.push_back(r);
    remember(index);
    if (r.status == BookingStatus::confirmed) st.confirmed(s);
    st.index.insert({s, e, static_cast<std::uint32_t>(index), r.units, enterprise_tag(r.enterprise)});
    st.taken(s, e);
    if (!q.note.empty()) notes_[index] = q.note;
    // Built in place: a booking is returned on every success, and moving one (with its note's
    // string) cost as much as the rest of this function (bench/queue_model.cpp).
    fill_booking(index, out.booking.emplace());
    return out;
}

std::vector<Period> Engine::occurrences(const BookingRequest& first, const Recurrence& rec) const {
    const EquipmentState& st = state_of(first.equipment);
    if (first.period.empty()) invalid("period: empty or reversed");
    if (rec.interval < 1) invalid("recurrence.interval: must be >= 1");
    if (rec.count < 0) invalid("recurrence.count: must be >= 0");
    if (rec.count == 0 && rec.until <= first.period.start) {
        invalid("recurrence: give a count, or an until after the first start");
    }
    constexpr int most = 1000;
    const Time step = static_cast<Time>(rec.interval) * (rec.every == Recurrence::Every::day ? day : 7 * day);
    const int base_offset = st.offset_at(first.period.start);
    std::vector<Period> out;
    for (int k = 0;; ++k) {
        if (rec.count > 0 && k >= rec.count) break;
        // Same local wall-clock time: shift by the change of UTC offset (daylight saving).
        const Time naive = first.period.start + k * step;
        const Time start = naive + static_cast<Time>(base_offset - st.offset_at(naive)) * minute;
        if (rec.count == 0 && start > rec.until) break;
        if (k >= most) invalid("recurrence: more than 1,000 occurrences");
        out.push_back({start, start + first.period.seconds()});
    }
    return out;
}

SeriesOutcome Engine::book_series(const BookingRequest& first, const Recurrence& rec, SeriesMode mode, Time now) {
    const auto periods = occurrences(first, rec);
    const BookingId mark = next_id();
    SeriesOutcome out;
    BookingRequest q = first;
    for (const auto& p : periods) {
        q.period = p;
        auto o = book(q, now, mark.value);
        if (o) {
            out.booked.push_back(*o.booking);
        } else {
            out.skipped.push_back({p, o.refused_by, o.reason});
        }
    }
    if (mode == SeriesMode::all_or_nothing && !out.skipped.empty()) {
        rollback_to(mark);
        out.booked.clear();
    }
    if (!out.booked.empty()) out.series = out.booked.front().id.value;
    // The series id is its first booking's id; when that occurrence was skipped, relabel.
    if (out.series != mark.value) {
        for (auto& b : out.booked) {
            records_[static_cast<std::size_t>(b.id.value - 1)].series = out.series;
            b.series = out.series;
        }
    }
    return out;
}

void Engine::rollback_to(BookingId mark) {
    while (static_cast<std::int64_t>(records_.size()) >= mark.value && !records_.empty()) {
        const std::size_t index = records_.size() - 1;
        Record& r = records_[index];
        if (r.status == BookingStatus::pending || r.status == BookingStatus::confirmed) release(r, index);
        notes_.erase(index);
        // The newest record heads both of its chains.
        state_of(EquipmentId(r.equipment)).newest = r.prev_same_equipment;
        newest_of(r.enterprise) = r.prev_same_enterprise;
        records_.pop_back();
    }
}

WaitlistEntry Engine::join_waitlist(const BookingRequest& q, Time now) {
    (void)state_of(q.equipment);
    if (q.period.empty()) invalid("period: empty or reversed");
    if (q.period.start % minute != 0 || q.period.end % minute != 0) invalid("period: times must be whole minutes");
    if (q.units < 1 || q.units > 65535) invalid("units: must be 1..65535");
    if (!q.enterprise) invalid("enterprise: must be set");
    if (q.period.start < now) invalid("period: starts in the past");
    WaitlistEntry w;
    w.id = next_waitlist_id();
    w.request = q;
    w.created = now;
    waiting_.push_back(w);
    return w;
}

void Engine::restore(const WaitlistEntry& w) {
    if (w.id != next_waitlist_id()) throw Error(ErrorCode::format, "waitlist entry out of order");
    waiting_.push_back(w);
}

WaitlistEntry Engine::waitlist_entry(WaitlistId id) const {
    if (id.value < 1 || static_cast<std::size_t>(id.value) > waiting_.size()) {
        throw Error(ErrorCode::not_found, "no waitlist entry with id " + std::to_string(id.value));
    }
    return waiting_[static_cast<std::size_t>(id.value - 1)];
}

WaitlistEntry Engine::withdraw(WaitlistId id) {
    auto w = waitlist_entry(id);
    if (w.status != WaitStatus::waiting) {
        throw Error(ErrorCode::refused, "waitlist entry " + std::to_string(id.value) + " is " + to_string(w.status) +
                                            ", not waiting");
    }
    w.status = WaitStatus::withdrawn;
    waiting_[static_cast<std::size_t>(id.value - 1)] = w;
    return w;
}

std::vector<WaitlistEntry> Engine::waitlist(EquipmentId id) const {
    (void)state_of(id);
    std::vector<WaitlistEntry> out;
    for (const auto& w : waiting_) {
        if (w.request.equipment == id && w.status == WaitStatus::waiting) out.push_back(w);
    }
    return out;
}

std::vector<WaitlistEntry> Engine::promote(EquipmentId id, Time now) {
    std::vector<WaitlistEntry> changed;
    for (auto& w : waiting_) {
        if (w.request.equipment != id || w.status != WaitStatus::waiting) continue;
        if (w.request.period.start < now) {
            w.status = WaitStatus::expired;
            changed.push_back(w);
            continue;
        }
        auto o = book(w.request, now);
        if (!o) continue;
        w.status = WaitStatus::promoted;
        w.booking = o.booking->id;
        changed.push_back(w);
    }
    return changed;
}

void Engine::rollback_waitlist(WaitlistId mark, const std::vector<WaitlistEntry>& earlier) {
    while (!waiting_.empty() && static_cast<std::int64_t>(waiting_.size()) >= mark.value) waiting_.pop_back();
    for (const auto& w : earlier) {
        if (w.id.value >= 1 && static_cast<std::size_t>(w.id.value) <= waiting_.size()) {
            waiting_[static_cast<std::size_t>(w.id.value - 1)] = w;
        }
    }
}

void Engine::restore(const Booking& b) {
    if (b.id != next_id()) {
        throw Error(ErrorCode::format, "booking " + std::to_string(b.id.value) + " out of order (expected " +
                                           std::to_string(next_id().value) + ")");
    }
    EquipmentState& st = state_of(b.equipment);
    Record r;
    r.enterprise = b.enterprise.value;
    r.equipment = b.equipment.value;
    r.created = b.created;
    r.fee = b.cancellation_fee;
    r.series = b.series;
    r.start = to_minute(b.period.start);
    r.end = to_minute(b.period.end);
    r.units = static_cast<std::uint16_t>(std::clamp(b.units, 1, 65535));
    r.status = b.status;
    const std::size_t index = records_.size();
    records_.push_back(r);
    remember(index);
    if (r.status == BookingStatus::confirmed) st.confirmed(r.start);
    if (!b.note.empty()) notes_[index] = b.note;
    if (holds_time(r.status)) st.index.insert({r.start, r.end, static_cast<std::uint32_t>(index), r.units, enterprise_tag(r.enterprise)});
    if (r.status == BookingStatus::no_show) st.no_shows.push_back({r.enterprise, b.period.start});
}

void Engine::catch_up(const Booking& b) {
    if (b.id == next_id()) {
        restore(b);
        return;
    }
    Record& r = record(b.id);   // not_found beyond the next id
    if (r.status == b.status && r.fee == b.cancellation_fee) return;
    const auto index = static_cast<std::size_t>(b.id.value - 1);
    EquipmentState& st = state_of(EquipmentId(r.equipment));
    if (holds_time(r.status) && !holds_time(b.status)) {
        if (st.index.erase(static_cast<std::uint32_t>(index), r.start)) st.freed(r.start, r.end);
    } else if (!holds_time(r.status) && holds_time(b.status)) {
        // Not a transition psp makes; a row put back by hand. What searches learnt may now be wrong.
        st.index.insert({r.start, r.end, static_cast<std::uint32_t>(index), r.units, enterprise_tag(r.enterprise)});
        forget_searches();
    }
    if (b.status == BookingStatus::confirmed && r.status != BookingStatus::confirmed) st.confirmed(r.start);
    if (b.status == BookingStatus::no_show && r.status != BookingStatus::no_show) st.no_shows.push_back({r.enterprise, b.period.start});
    r.status = b.status;
    r.fee = b.cancellation_fee;
}

void Engine::release(Record& r, std::size_t index) {
    EquipmentState& st = state_of(EquipmentId(r.equipment));
    if (st.index.erase(static_cast<std::uint32_t>(index), r.start)) st.freed(r.start, r.end);
}

namespace {
[[noreturn]] void wrong_state(BookingId id, BookingStatus is, const char* wanted, const char* action) {
    throw Error(ErrorCode::refused, "cannot " + std::string(action) + " booking " + std::to_string(id.value) + ": it is " +
                                        to_string(is) + ", only " + wanted + " bookings can be");
}
}  // namespace

Booking Engine::preview(BookingId id, Transition t, Time now) const {
    const Record& r = record(id);
    Booking b = to_booking(static_cast<std::size_t>(id.value - 1));
    const auto& rules = state_of(EquipmentId(r.equipment)).setup.rules;
    switch (t) {
        case Transition::approve:
            if (r.status != BookingStatus::pending) wrong_state(id, r.status, "pending", "approve");
            b.status = BookingStatus::confirmed;
            break;
        case Transition::reject:
            if (r.status != BookingStatus::pending) wrong_state(id, r.status, "pending", "reject");
            b.status = BookingStatus::rejected;
            break;
        case Transition::check_in:
            if (r.status != BookingStatus::confirmed) wrong_state(id, r.status, "confirmed", "check in");
            // Check-in opens an hour before the start and closes with the grace period.
            if (now < to_time(r.start) - 60 * minute || now > to_time(r.start) + rules.no_show_grace_minutes * minute) {
                throw Error(ErrorCode::refused, "cannot check in booking " + std::to_string(id.value) +
                                                    " now: check-in runs from an hour before its start to the end of the grace period");
            }
            b.status = BookingStatus::checked_in;
            break;
        case Transition::complete:
            if (r.status != BookingStatus::checked_in) wrong_state(id, r.status, "checked-in", "complete");
            b.status = BookingStatus::completed;
            break;
        case Transition::cancel:
            if (r.status != BookingStatus::pending && r.status != BookingStatus::confirmed) {
                wrong_state(id, r.status, "pending or confirmed", "cancel");
            }
            if (now >= to_time(r.start)) {
                throw Error(ErrorCode::refused, "cannot cancel booking " + std::to_string(id.value) + ": it has started");
            }
            if (now > to_time(r.start) - rules.cancel_deadline_minutes * minute) b.cancellation_fee = rules.late_cancel_fee;
            b.status = BookingStatus::cancelled;
            break;
    }
    return b;
}

Booking Engine::apply(BookingId id, Transition t, Time now) {
    const Booking after = preview(id, t, now);
    Record& r = record(id);
    if (after.status == BookingStatus::rejected || after.status == BookingStatus::cancelled) {
        release(r, static_cast<std::size_t>(id.value - 1));
    }
    r.status = after.status;
    r.fee = after.cancellation_fee;
    if (r.status == BookingStatus::confirmed) state_of(EquipmentId(r.equipment)).confirmed(r.start);
    return after;
}

namespace {
// The last start minute whose grace period has passed at `now`: start*60 + grace*60 <= now.
Minute sweep_cutoff(Time now, int grace_minutes) {
    const Time t = now - Time{grace_minutes} * minute;
    return static_cast<Minute>((t - (((t % minute) + minute) % minute)) / minute);
}
}  // namespace

std::vector<Booking> Engine::due_no_shows(Time now) const {
    std::vector<Booking> out;
    for (const auto& st : equipment_) {
        if (!st || st->unswept_from == std::numeric_limits<Minute>::max()) continue;
        const Minute cutoff = sweep_cutoff(now, st->setup.rules.no_show_grace_minutes);
        if (cutoff < st->unswept_from) continue;
        // Live slots starting in [unswept_from, cutoff]; the confirmed ones are due.
        st->index.for_each_overlapping(st->unswept_from, cutoff + 1, [&](const Slot& slot) {
            if (slot.start < st->unswept_from || slot.start > cutoff) return;
            if (records_[slot.booking].status != BookingStatus::confirmed) return;
            Booking b = to_booking(slot.booking);
            b.status = BookingStatus::no_show;
            out.push_back(std::move(b));
        });
    }
    std::sort(out.begin(), out.end(), [](const Booking& a, const Booking& b) { return a.id < b.id; });
    return out;
}

std::vector<Booking> Engine::mark_no_shows(Time now) {
    auto due = due_no_shows(now);
    for (const auto& b : due) {
        const auto i = static_cast<std::size_t>(b.id.value - 1);
        Record& r = records_[i];
        EquipmentState& st = state_of(EquipmentId(r.equipment));
        r.status = BookingStatus::no_show;
        // The rest of the period is released for others; the no-show counts against the firm.
        if (st.index.erase(static_cast<std::uint32_t>(i), r.start)) st.freed(r.start, r.end);
        // Those older than the memory are forgotten from the front: marked in time order (nearly:
        // one night's in id order), so what stays holds every no-show that still counts and,
        // for each enterprise with one, its latest.
        st.no_shows.push_back({r.enterprise, to_time(r.start)});
        const auto old = std::find_if(st.no_shows.begin(), st.no_shows.end(), [&](const auto& n) { return n.at > now - no_show_memory; });
        st.no_shows.erase(st.no_shows.begin(), old);
    }
    // Every confirmed booking up to each cutoff is now marked: the next sweep starts after it.
    for (auto& st : equipment_) {
        if (!st || st->unswept_from == std::numeric_limits<Minute>::max()) continue;
        const Minute cutoff = sweep_cutoff(now, st->setup.rules.no_show_grace_minutes);
        if (cutoff >= st->unswept_from) st->unswept_from = cutoff + 1;
    }
    return due;
}

std::uint32_t& Engine::newest_of(std::int64_t enterprise) {
    if (enterprise > 0 && enterprise < (std::int64_t{1} << 22)) {
        const auto i = static_cast<std::size_t>(enterprise);
        if (i >= newest_of_enterprise_.size()) newest_of_enterprise_.resize(i + 1, no_record);
        return newest_of_enterprise_[i];
    }
    return newest_of_wide_enterprise_.try_emplace(enterprise, no_record).first->second;
}

std::uint32_t Engine::newest_of(std::int64_t enterprise) const {
    if (enterprise > 0 && enterprise < (std::int64_t{1} << 22)) {
        const auto i = static_cast<std::size_t>(enterprise);
        return i < newest_of_enterprise_.size() ? newest_of_enterprise_[i] : no_record;
    }
    auto it = newest_of_wide_enterprise_.find(enterprise);
    return it == newest_of_wide_enterprise_.end() ? no_record : it->second;
}

void Engine::remember(std::size_t index) {
    Record& r = records_[index];
    const auto i = static_cast<std::uint32_t>(index);
    std::uint32_t& by_equipment = state_of(EquipmentId(r.equipment)).newest;
    std::uint32_t& by_enterprise = newest_of(r.enterprise);
    r.prev_same_equipment = std::exchange(by_equipment, i);
    r.prev_same_enterprise = std::exchange(by_enterprise, i);
}

template <class Next>
void Engine::collect(std::uint32_t newest, Next&& next, Period window, std::vector<Booking>& out) const {
    const std::size_t first = out.size();
    for (std::uint32_t i = newest; i != no_record; i = next(records_[i])) {
        const Record& r = records_[i];
        if (to_time(r.start) < window.end && window.start < to_time(r.end)) out.push_back(to_booking(i));
    }
    std::reverse(out.begin() + static_cast<std::ptrdiff_t>(first), out.end());
}

namespace {
constexpr auto by_equipment = [](const auto& r) { return r.prev_same_equipment; };
constexpr auto by_enterprise = [](const auto& r) { return r.prev_same_enterprise; };
}  // namespace

std::vector<Booking> Engine::bookings_of(EquipmentId id, Period window) const {
    const EquipmentState& st = state_of(id);
    if (window.empty()) invalid("window: empty or reversed");
    std::vector<Booking> out;
    collect(st.newest, by_equipment, window, out);
    return out;
}

std::vector<Booking> Engine::bookings_of(EnterpriseId id, Period window) const {
    if (window.empty()) invalid("window: empty or reversed");
    std::vector<Booking> out;
    collect(newest_of(id.value), by_enterprise, window, out);
    return out;
}

std::vector<Booking> Engine::bookings_of(const std::vector<EquipmentId>& ids, Period window) const {
    if (window.empty()) invalid("window: empty or reversed");
    std::vector<Booking> out;
    for (const auto id : ids) {
        if (const EquipmentState* st = find_state(id)) collect(st->newest, by_equipment, window, out);
    }
    std::sort(out.begin(), out.end(), [](const Booking& a, const Booking& b) { return a.id < b.id; });
    return out;
}

std::vector<Period> Engine::free_slots(EquipmentId id, Period window, int min_minutes, int units, std::size_t limit) const {
    std::vector<Period> out;
    free_slots(id, window, min_minutes, units, limit, out);
    return out;
}

void Engine::free_slots(EquipmentId id, Period window, int min_minutes, int units, std::size_t limit, std::vector<Period>& out) const {
    out.clear();
    const EquipmentState& st = state_of(id);
    if (window.empty()) invalid("window: empty or reversed");
    if (window.start < 0 || window.end > last_supported_time) require_supported_window(window);   // throws
    if (min_minutes < 1) invalid("min_minutes: must be >= 1");
    if (units < 1) invalid("units: must be >= 1");
    // Read from the header, whose cache line also holds the index's tables, not from the setup.
    const Minute grid = st.header.slot_minutes, buffer = st.header.buffer_minutes;
    const int capacity = st.header.capacity_units;
    const Minute asked = to_minute(window.start + minute - 1), we = to_minute(window.end);
    if (asked >= we) return;
    ensure_open_cached(st, asked, we);
    // A single unit: skip what earlier searches found busy (see EquipmentState::busy).
    const bool single = units == 1 && st.header.fixed_offset;   // the grid's alignment never moves
    const Minute ws = single ? st.busy_until(asked, min_minutes) : asked;
    if (ws >= we) return;
    const int offset = st.offset_at(window.start);
    auto align_up = [&](Minute m) { return floor_to(m + offset + grid - 1, grid) - offset; };
    auto align_down = [&](Minute m) { return floor_to(m + offset, grid) - offset; };

    Minute first_run = we;   // where the first run long enough starts (before alignment)
    auto emit = [&](Minute a, Minute b) {
        const Minute from = a;
        a = align_up(a);
        b = align_down(b);
        if (b - a < min_minutes) return;
        if (out.empty()) first_run = from;
        out.push_back({to_time(a), to_time(b)});
    };
    // Runs starting before the first one found are too short. With none found, so is every run
    // that starts early enough for the window's end not to matter: two grid steps of alignment
    // before the last `min_minutes`.
    auto learn = [&] {
        if (single) st.proven_busy(asked, out.empty() ? we - min_minutes - 2 * grid + 1 : first_run, min_minutes);
    };
    const auto& open = st.header.hours->open;
    const auto first = open.begin() + static_cast<std::ptrdiff_t>(st.header.hours->first_ending_after(ws));
    struct Edge {
        Minute at;
        int delta;
    };
    // Kept from call to call on this thread: routing asks this thousands of times a second, and
    // growing a fresh vector cost more allocations than the scan's own work.
    thread_local std::vector<Edge> edges;
    for (auto it = first; it != open.end() && it->first < we; ++it) {
        const Minute os = std::max(it->first, ws), oe = std::min(it->second, we);
        if (os >= oe) continue;
        // Usage over the open period, each booking widened by the buffer.
        edges.clear();
        st.index.for_each_overlapping(os - buffer, oe + buffer, [&](const Slot& slot) {
            edges.push_back({slot.start - buffer, slot.units});
            edges.push_back({slot.end + buffer, -int(slot.units)});
        });
        std::sort(edges.begin(), edges.end(), [](const Edge& a, const Edge& b) {
            return a.at != b.at ? a.at < b.at : a.delta < b.delta;
        });
        int used = 0;
        Minute free_from = os;
        bool is_free = true;
        for (const auto& edge : edges) {
            const Minute at = std::clamp(edge.at, os, oe);
            used += edge.delta;
            const bool now_free = used + units <= capacity;
            if (is_free && !now_free) emit(free_from, at);
            if (out.size() >= limit) {
                learn();
                return;
            }
            if (!is_free && now_free) free_from = at;
            is_free = now_free;
        }
        if (is_free) emit(free_from, oe);
        if (out.size() >= limit) {
            learn();
            return;
        }
    }
    learn();
}

std::optional<Time> Engine::first_start_bound(EquipmentId id, Period window, int min_minutes, int units) const {
    const EquipmentState& st = state_of(id);
    // The same checks as free_slots(), so that a question it would refuse is refused here too.
    if (window.empty()) invalid("window: empty or reversed");
    if (window.start < 0 || window.end > last_supported_time) require_supported_window(window);   // throws
    if (min_minutes < 1) invalid("min_minutes: must be >= 1");
    if (units < 1) invalid("units: must be >= 1");
    return start_bound(st, window, min_minutes, units);
}

std::optional<Time> Engine::start_bound(const EquipmentState& st, Period window, int min_minutes, int units) const {
    const Minute asked = to_minute(window.start + minute - 1), we = to_minute(window.end);
    if (asked >= we) return std::nullopt;
    // The same start as free_slots(): past what earlier searches found busy, then the first open
    // period long enough once aligned to the grid. Bookings are not looked at.
    const bool single = units == 1 && st.header.fixed_offset;
    const Minute ws = single ? st.busy_until(asked, min_minutes) : asked;
    // Every start offered is at or after ws and ends by we. Most instruments a search looks at in
    // a busy city are proven busy through the window: answered here without the opening hours.
    if (ws > we - min_minutes) return std::nullopt;
    ensure_open_cached(st, asked, we);
    const Minute grid = st.header.slot_minutes;
    const int offset = st.offset_at(window.start);
    const auto align_up = [&](Minute m) { return floor_to(m + offset + grid - 1, grid) - offset; };
    const auto align_down = [&](Minute m) { return floor_to(m + offset, grid) - offset; };
    const auto& open = st.header.hours->open;
    for (auto it = open.begin() + static_cast<std::ptrdiff_t>(st.header.hours->first_ending_after(ws)); it != open.end() && it->first < we; ++it) {
        const Minute os = std::max(it->first, ws), oe = std::min(it->second, we);
        if (os < oe && align_down(oe) - align_up(os) >= min_minutes) return to_time(align_up(os));
    }
    return std::nullopt;
}

std::optional<Time> Engine::earliest_start(EquipmentId id, Time from, Time until, int minutes, int units) const {
    const EquipmentState& st = state_of(id);
    if (minutes < 1) invalid("minutes: must be >= 1");
    if (units < 1) invalid("units: must be >= 1");
    if (minutes > 366 * day_minutes) return std::nullopt;   // longer than any booking may be (check_rules)
    const auto& rules = st.setup.rules;
    const Minute grid = rules.slot_minutes, buffer = rules.buffer_minutes;
    const Minute first = to_minute(from + minute - 1), last = to_minute(until - ((until % minute) + minute) % minute);
    if (first > last) return std::nullopt;
    ensure_open_cached(st, first, last + minutes);
    auto align_up = [&](Minute m) {
        if (grid == 1) return m;   // every minute is on a one-minute grid: spare the divisions
        const int offset = st.offset_at(to_time(m));
        return floor_to(m + offset + grid - 1, grid) - offset;
    };
    const auto& open = st.header.hours->open;
    Minute c = align_up(first);
    Minute clear = std::numeric_limits<Minute>::min();   // a start the index is known to leave room at
    while (c <= last) {
        // Opening hours: the open period holding c must hold [c, c + minutes); if not, no start
        // before the next period can (periods are merged).
        auto it = open.begin() + static_cast<std::ptrdiff_t>(st.header.hours->first_ending_after(c));
        if (it == open.end()) return std::nullopt;
        if (it->first > c || c + minutes > it->second) {
            if (it->first <= c && ++it == open.end()) return std::nullopt;
            c = align_up(it->first);
            continue;
        }
        if (c == clear) return to_time(c);
        // One scan over the slots in the way answers whether c fits and, if not, how far to
        // jump. If even the sum of their units leaves room, the peak does. Otherwise no start
        // before the first of them ends (buffer included) fits: they all still cover each
        // instant until then. And a slot that alone leaves too few units blocks every start
        // before its own end; the scan looks a little further ahead so that such slots queued
        // back to back (a busy resource) are jumped over at once, not one scan each.
        const int capacity = st.setup.capacity_units;
        const Minute window_end = c + minutes + buffer, lookahead = window_end + 8 * minutes;
        Minute first_end = std::numeric_limits<Minute>::max(), blocked_until = c;
        int overlapping = 0;
        bool each_blocks = true;   // every slot scanned leaves too few units on its own
        st.index.for_each_from(c - buffer, [&](const Slot& slot) {
            // Slots come by start: this one blocks [blocked_until, its end) if it reaches back
            // into the period a start at blocked_until would need. Past the lookahead, the scan
            // goes on only while slots that block alone keep pushing blocked_until.
            const bool blocks_alone = slot.units + units > capacity;
            each_blocks = each_blocks && blocks_alone;
            if (blocks_alone && slot.start - buffer < blocked_until + minutes) {
                blocked_until = std::max(blocked_until, slot.end + buffer);
            } else if (slot.start >= lookahead) {
                return false;
            }
            if (slot.start >= window_end) return true;
            overlapping += slot.units;
            first_end = std::min(first_end, slot.end + buffer);
            return true;
        });
        if (overlapping + units <= capacity) return to_time(c);
        if (blocked_until == c && st.index.peak_units(c, c + minutes, buffer) + units <= capacity) return to_time(c);
        c = align_up(std::max({first_end, blocked_until, c + 1}));
        // When every slot scanned blocks alone, none of them overlaps [blocked_until, + minutes)
        // with buffers: one that did would have pushed blocked_until past it (they come by start,
        // and a slot that did not push it starts at or after blocked_until + minutes + buffer, as
        // does each after it). The scan ended at such a slot, or at the last: no other slot
        // overlaps the period either, and a start there needs only the opening hours checked,
        // not a second scan (a queue's arrival finds the slots queued ahead of it in one).
        if (each_blocks && c == blocked_until) clear = c;
    }
    return std::nullopt;
}

std::size_t Engine::index_memory_bytes() const {
    std::size_t bytes = 0;
    for (const auto& st : equipment_) {
        if (st) bytes += st->index.memory_bytes();
    }
    return bytes;
}

Engine::Usage Engine::usage(EquipmentId id, Period window) const {
    const EquipmentState& st = state_of(id);
    if (window.empty()) invalid("window: empty or reversed");
    Usage u;
    for (std::uint32_t i = st.newest; i != no_record; i = records_[i].prev_same_equipment) {
        const Record& r = records_[i];
        const Time start = to_time(r.start), end = to_time(r.end);
        if (start >= window.end || window.start >= end) continue;
        const Time overlap = (std::min(end, window.end) - std::max(start, window.start)) * r.units;
        if (holds_time(r.status)) u.booked_seconds += overlap;
        if (r.status == BookingStatus::checked_in || r.status == BookingStatus::completed) u.used_seconds += overlap;
    }
    return u;
}

std::int64_t Engine::booked_unit_minutes(EquipmentId id, Period window) const {
    const EquipmentState& st = state_of(id);
    if (window.empty()) invalid("window: empty or reversed");
    const Minute s = to_minute(window.start), e = to_minute(window.end);
    std::int64_t total = 0;
    st.index.for_each_overlapping(s, e, [&](const Slot& slot) {
        total += std::int64_t{std::min(slot.end, e) - std::max(slot.start, s)} * slot.units;
    });
    return total;
}

std::int64_t Engine::open_minutes(EquipmentId id, Period window) const {
    const EquipmentState& st = state_of(id);
    if (window.empty()) invalid("window: empty or reversed");
    const Minute s = to_minute(window.start), e = to_minute(window.end);
    ensure_open_cached(st, s, e);
    const auto& open = st.header.hours->open;
    auto it = open.begin() + static_cast<std::ptrdiff_t>(st.header.hours->first_ending_after(s));
    std::int64_t total = 0;
    for (; it != open.end() && it->first < e; ++it) total += std::max(0, std::min(it->second, e) - std::max(it->first, s));
    return total;
}

}  // namespace psp::booking
