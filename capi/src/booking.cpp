// C ABI: booking shared equipment: calendars and holiday tables as JSON, booking rules, training
// records, the booking lifecycle, batches, series and the waitlist, and the ledger's queries
// (bookings of, free slots, utilisation).
#include <cstddef>
#include <iterator>

#include <nlohmann/json.hpp>

#include "arguments.hpp"
#include "capi.hpp"
#include "json/booking_json.hpp"
#include "psp/booking.hpp"
#include "psp/calendar.hpp"
#include "psp/pricing.hpp"

static_assert(PSP_BOOKING_STATUS_COUNT == psp::booking_status_count);
static_assert(PSP_BOOKING_STATUS_PENDING == static_cast<int>(psp::BookingStatus::pending));
static_assert(PSP_BOOKING_STATUS_CONFIRMED == static_cast<int>(psp::BookingStatus::confirmed));
static_assert(PSP_BOOKING_STATUS_CHECKED_IN == static_cast<int>(psp::BookingStatus::checked_in));
static_assert(PSP_BOOKING_STATUS_COMPLETED == static_cast<int>(psp::BookingStatus::completed));
static_assert(PSP_BOOKING_STATUS_CANCELLED == static_cast<int>(psp::BookingStatus::cancelled));
static_assert(PSP_BOOKING_STATUS_NO_SHOW == static_cast<int>(psp::BookingStatus::no_show));
static_assert(PSP_BOOKING_STATUS_REJECTED == static_cast<int>(psp::BookingStatus::rejected));
static_assert(PSP_RULE_COUNT == psp::booking_rule_count);
static_assert(PSP_RULE_NONE == static_cast<int>(psp::BookingRule::none));
static_assert(PSP_RULE_IN_PAST == static_cast<int>(psp::BookingRule::in_past));
static_assert(PSP_RULE_MIN_NOTICE == static_cast<int>(psp::BookingRule::min_notice));
static_assert(PSP_RULE_MAX_HORIZON == static_cast<int>(psp::BookingRule::max_horizon));
static_assert(PSP_RULE_SLOT_GRID == static_cast<int>(psp::BookingRule::slot_grid));
static_assert(PSP_RULE_MIN_DURATION == static_cast<int>(psp::BookingRule::min_duration));
static_assert(PSP_RULE_MAX_DURATION == static_cast<int>(psp::BookingRule::max_duration));
static_assert(PSP_RULE_OPENING_HOURS == static_cast<int>(psp::BookingRule::opening_hours));
static_assert(PSP_RULE_BLACKOUT == static_cast<int>(psp::BookingRule::blackout));
static_assert(PSP_RULE_TRAINING == static_cast<int>(psp::BookingRule::training));
static_assert(PSP_RULE_NO_SHOW_BLOCK == static_cast<int>(psp::BookingRule::no_show_block));
static_assert(PSP_RULE_WEEKLY_QUOTA == static_cast<int>(psp::BookingRule::weekly_quota));
static_assert(PSP_RULE_CAPACITY == static_cast<int>(psp::BookingRule::capacity));
static_assert(PSP_RULE_NOT_OPERATING == static_cast<int>(psp::BookingRule::not_operating));
static_assert(sizeof(psp_period) == 2 * sizeof(std::int64_t));
static_assert(PSP_WAIT_STATUS_COUNT == psp::wait_status_count);
static_assert(PSP_WAIT_WAITING == static_cast<int>(psp::WaitStatus::waiting));
static_assert(PSP_WAIT_PROMOTED == static_cast<int>(psp::WaitStatus::promoted));
static_assert(PSP_WAIT_WITHDRAWN == static_cast<int>(psp::WaitStatus::withdrawn));
static_assert(PSP_WAIT_EXPIRED == static_cast<int>(psp::WaitStatus::expired));
static_assert(PSP_EVERY_DAY == static_cast<int>(psp::Recurrence::Every::day));
static_assert(PSP_EVERY_WEEK == static_cast<int>(psp::Recurrence::Every::week));
static_assert(PSP_SERIES_ALL_OR_NOTHING == static_cast<int>(psp::SeriesMode::all_or_nothing));
static_assert(PSP_SERIES_SKIP_CONFLICTS == static_cast<int>(psp::SeriesMode::skip_conflicts));

using namespace psp::capi;

struct psp_booking_iter : Iter<psp::Booking> { using Iter::Iter; };
struct psp_free_slot_iter : Iter<psp::Period> { using Iter::Iter; };

namespace psp::capi {
// One row of psp_booking_outcome_iter: a batch outcome or a skipped occurrence of a series.
struct OutcomeRow {
    std::int64_t booking = 0;
    psp::Period period;
    psp::BookingRule refused_by = psp::BookingRule::none;
    std::string reason;
};
}  // namespace psp::capi

struct psp_booking_outcome_iter : Iter<psp::capi::OutcomeRow> { using Iter::Iter; };
struct psp_waitlist_iter : Iter<psp::WaitlistEntry> { using Iter::Iter; };

namespace {

using psp::Booking;
using psp::BookingRules;
using psp::Calendar;
using psp::Database;

// --- JSON text <-> calendars and holiday tables ---------------------------------------------


Calendar calendar_from_text(const char* text, const char* name) {
    auto c = psp::json::calendar_from_json(json_arg(text, name));
    psp::validate(c);
    return c;
}

std::string calendar_text(const Calendar& c) { return psp::json::to_json(c).dump(); }

// A query window [start, end), checked here so every call names it the same way.
psp::Period window_of(std::int64_t start, std::int64_t end) {
    const psp::Period w{start, end};
    if (w.empty()) invalid("window: [" + std::to_string(start) + ", " + std::to_string(end) + ") is empty or reversed");
    return w;
}

// --- Booking rules --------------------------------------------------------------------------

BookingRules rules_from_c(const psp_booking_rules& c) {
    BookingRules r;
    r.slot_minutes = c.slot_minutes;
    r.min_minutes = c.min_minutes;
    r.max_minutes = c.max_minutes;
    r.min_notice_minutes = c.min_notice_minutes;
    r.max_horizon_days = c.max_horizon_days;
    r.buffer_minutes = c.buffer_minutes;
    r.approval_required = c.approval_required != 0;
    r.training_required = c.training_required != 0;
    r.weekly_quota_minutes = c.weekly_quota_minutes;
    r.cancel_deadline_minutes = c.cancel_deadline_minutes;
    r.late_cancel_fee = c.late_cancel_fee;
    r.no_show_grace_minutes = c.no_show_grace_minutes;
    r.no_show_limit = c.no_show_limit;
    r.no_show_block_days = c.no_show_block_days;
    if (c.blackout_count > 0 && c.blackouts == nullptr) invalid("rules.blackouts is NULL but blackout_count is not 0");
    r.blackouts.reserve(c.blackout_count);
    for (std::size_t i = 0; i < c.blackout_count; ++i) {
        const psp::Period p{c.blackouts[i].start, c.blackouts[i].end};
        if (p.empty()) invalid("rules.blackouts[" + std::to_string(i) + "]: empty or reversed");
        r.blackouts.push_back(p);
    }
    return r;
}

// Fills c from r; the blackouts borrow from `periods`.
void rules_to_c(const BookingRules& r, psp_booking_rules& c, std::vector<psp_period>& periods) {
    c.slot_minutes = r.slot_minutes;
    c.min_minutes = r.min_minutes;
    c.max_minutes = r.max_minutes;
    c.min_notice_minutes = r.min_notice_minutes;
    c.max_horizon_days = r.max_horizon_days;
    c.buffer_minutes = r.buffer_minutes;
    c.approval_required = r.approval_required ? 1 : 0;
    c.training_required = r.training_required ? 1 : 0;
    c.weekly_quota_minutes = r.weekly_quota_minutes;
    c.cancel_deadline_minutes = r.cancel_deadline_minutes;
    c.late_cancel_fee = r.late_cancel_fee;
    c.no_show_grace_minutes = r.no_show_grace_minutes;
    c.no_show_limit = r.no_show_limit;
    c.no_show_block_days = r.no_show_block_days;
    periods.clear();
    for (const auto& p : r.blackouts) periods.push_back({p.start, p.end});
    c.blackouts = periods.empty() ? nullptr : periods.data();
    c.blackout_count = periods.size();
}

psp_booking_rules default_rules() {
    psp_booking_rules c PSP_BOOKING_RULES_INIT;
    std::vector<psp_period> none;
    rules_to_c(BookingRules{}, c, none);
    return c;
}

// --- Bookings -------------------------------------------------------------------------------

psp::BookingRequest request_from_c(const psp_booking_request& c, const std::string& name = "request") {
    psp::BookingRequest q;
    q.equipment = psp::EquipmentId(c.equipment);
    q.enterprise = psp::EnterpriseId(c.enterprise);
    q.period = {c.start, c.end};
    q.units = c.units;
    q.note = std::string(optional_str(c.note, (name + ".note").c_str()));
    // A version-1 struct ends before voucher_scheme: reading it would read past the caller's struct.
    if (c.version >= 2) q.voucher = psp::VoucherSchemeId(c.voucher_scheme);
    return q;
}

void to_c(const Booking& b, psp_booking& c) {
    c.id = b.id.value;
    c.equipment = b.equipment.value;
    c.enterprise = b.enterprise.value;
    c.start = b.period.start;
    c.end = b.period.end;
    c.units = b.units;
    c.status = static_cast<int>(b.status);
    c.created = b.created;
    c.cancellation_fee = b.cancellation_fee;
    c.note = b.note.c_str();
    c.series = b.series;
}

// --- Batches, series, the waitlist ---------------------------------------------------------

void to_c(const OutcomeRow& r, psp_booking_outcome& c) {
    c.booked = r.booking != 0 ? 1 : 0;
    c.booking = r.booking;
    c.start = r.period.start;
    c.end = r.period.end;
    c.refused_by = static_cast<int>(r.refused_by);
    c.reason = r.reason.c_str();
}

void to_c(const psp::WaitlistEntry& w, psp_waitlist_entry& c) {
    c.id = w.id.value;
    c.equipment = w.request.equipment.value;
    c.enterprise = w.request.enterprise.value;
    c.start = w.request.period.start;
    c.end = w.request.period.end;
    c.units = w.request.units;
    c.note = w.request.note.c_str();
    c.created = w.created;
    c.status = static_cast<int>(w.status);
    c.booking = w.booking.value;
    // A version-1 struct ends before voucher_scheme: writing it would write past the caller's struct.
    if (c.version >= 2) c.voucher_scheme = w.request.voucher.value;
}

psp::Recurrence recurrence_from_c(const psp_recurrence& c) {
    psp::Recurrence r;
    r.every = require_enum<psp::Recurrence::Every>(c.every, PSP_EVERY_COUNT, "recurrence.every");
    r.interval = c.interval;
    r.count = c.count;
    r.until = c.until;
    return r;
}

// What _get and the changes that fill a struct lend to the calling thread (convention 6).
struct Lent {
    psp::WaitlistEntry entry;
    Booking booking;
    BookingRules rules;
    std::vector<psp_period> periods;
    std::string reason;
};

Lent& lent() {
    thread_local Lent l;
    return l;
}

using Transition = Booking (Database::*)(const psp::Actor&, psp::BookingId);

int transition(const char* fn, psp_booking* out, psp_db* db, const psp_actor* actor, std::int64_t id, Transition t) {
    return guard(fn, [&] {
        if (out != nullptr) require_struct(out, PSP_BOOKING_VERSION, "out");
        auto& h = handle(db);
        auto a = actor_from_c(actor);
        Booking after;
        {
            std::lock_guard lock(h.mu);
            after = (h.db.*t)(a, psp::BookingId(id));
        }
        if (out != nullptr) {
            auto& l = lent();
            l.booking = std::move(after);
            to_c(l.booking, *out);
        }
        return 0;
    });
}

void to_c_row(const Booking& b, psp_booking& c, Scratch&) { to_c(b, c); }

void utilisation_to_c(const Database::Utilisation& u, psp_utilisation& c) {
    c.open_seconds = u.open_seconds;
    c.booked_seconds = u.booked_seconds;
    c.used_seconds = u.used_seconds;
    c.booked_share = u.booked_share();
    c.used_share = u.used_share();
}

// psp_booking_get and its reader twin: `read` answers the booking from the database.
template <class Read>
int booking_out(const char* fn, psp_booking* out, psp_db* db, Read read) {
    return guard(fn, [&] {
        auto& o = require_struct(out, PSP_BOOKING_VERSION, "out");
        auto& h = handle(db);
        auto& l = lent();
        {
            std::lock_guard lock(h.mu);
            l.booking = read(h.db);
        }
        to_c(l.booking, o);
        return 0;
    });
}

}  // namespace

extern "C" {

// --- Calendars and holiday tables

PSP_EXTERN(int) psp_platform_calendar_set(psp_db* db, const psp_actor* actor, int64_t platform,
                                          const char* calendar_json) {
    return guard("psp_platform_calendar_set", [&] {
        auto& h = handle(db);
        auto a = actor_from_c(actor);
        auto c = calendar_from_text(calendar_json, "calendar_json");
        std::lock_guard lock(h.mu);
        h.db.set_calendar(a, psp::PlatformId(platform), c);
        return 0;
    });
}

PSP_EXTERN(int) psp_platform_calendar_get(char** out, psp_db* db, int64_t platform) {
    return text_out("psp_platform_calendar_get", out, db,
                    [&](const Database& d) { return calendar_text(d.calendar(psp::PlatformId(platform))); });
}

PSP_EXTERN(int) psp_equipment_calendar_set(psp_db* db, const psp_actor* actor, int64_t equipment,
                                           const char* calendar_json) {
    return guard("psp_equipment_calendar_set", [&] {
        auto& h = handle(db);
        auto a = actor_from_c(actor);
        std::optional<Calendar> c;
        if (calendar_json != nullptr) c = calendar_from_text(calendar_json, "calendar_json");
        std::lock_guard lock(h.mu);
        h.db.set_calendar(a, psp::EquipmentId(equipment), c);
        return 0;
    });
}

PSP_EXTERN(int) psp_equipment_calendar_get(char** out, psp_db* db, int64_t equipment) {
    return text_out("psp_equipment_calendar_get", out, db,
                    [&](const Database& d) { return calendar_text(d.calendar(psp::EquipmentId(equipment))); });
}

PSP_EXTERN(int) psp_calendar_normalize(char** out, const char* calendar_json) {
    if (out != nullptr) *out = nullptr;
    return guard("psp_calendar_normalize", [&] {
        require(out, "out");
        *out = dup_string(calendar_text(calendar_from_text(calendar_json, "calendar_json")));
        return 0;
    });
}

PSP_EXTERN(int) psp_holidays_china_json(char** out) {
    if (out != nullptr) *out = nullptr;
    return guard("psp_holidays_china_json", [&] {
        require(out, "out");
        *out = dup_string(psp::holidays_to_json(psp::china_mainland_holidays()));
        return 0;
    });
}

PSP_EXTERN(int) psp_holidays_normalize(char** out, const char* holidays_json) {
    if (out != nullptr) *out = nullptr;
    return guard("psp_holidays_normalize", [&] {
        require(out, "out");
        auto text = require_str(holidays_json, "holidays_json");
        *out = dup_string(psp::holidays_to_json(psp::parse_holidays(text)));
        return 0;
    });
}

// --- Rules and training

PSP_EXTERN(int) psp_booking_rules_init(psp_booking_rules* rules, unsigned version) {
    return init_struct("psp_booking_rules_init", rules, version, PSP_BOOKING_RULES_VERSION, "rules", default_rules());
}

PSP_EXTERN(int) psp_booking_rules_set(psp_db* db, const psp_actor* actor, int64_t equipment,
                                      const psp_booking_rules* rules) {
    return guard("psp_booking_rules_set", [&] {
        auto& h = handle(db);
        auto a = actor_from_c(actor);
        auto r = rules_from_c(require_struct(rules, PSP_BOOKING_RULES_VERSION, "rules"));
        std::lock_guard lock(h.mu);
        h.db.set_booking_rules(a, psp::EquipmentId(equipment), r);
        return 0;
    });
}

PSP_EXTERN(int) psp_booking_rules_get(psp_booking_rules* out, psp_db* db, int64_t equipment) {
    return guard("psp_booking_rules_get", [&] {
        auto& o = require_struct(out, PSP_BOOKING_RULES_VERSION, "out");
        auto& h = handle(db);
        auto& l = lent();
        {
            std::lock_guard lock(h.mu);
            l.rules = h.db.booking_rules(psp::EquipmentId(equipment));
        }
        rules_to_c(l.rules, o, l.periods);
        return 0;
    });
}

PSP_EXTERN(int) psp_training_set(psp_db* db, const psp_actor* actor, int64_t enterprise, int64_t equipment_class,
                                 int trained) {
    return guard("psp_training_set", [&] {
        auto& h = handle(db);
        auto a = actor_from_c(actor);
        std::lock_guard lock(h.mu);
        h.db.set_training(a, psp::EnterpriseId(enterprise), psp::EquipmentClassId(equipment_class), trained != 0);
        return 0;
    });
}

PSP_EXTERN(int) psp_training_get(int* out, psp_db* db, int64_t enterprise, int64_t equipment_class) {
    return guard("psp_training_get", [&] {
        auto& o = require(out, "out");
        auto& h = handle(db);
        std::lock_guard lock(h.mu);
        o = h.db.trained(psp::EnterpriseId(enterprise), psp::EquipmentClassId(equipment_class)) ? 1 : 0;
        return 0;
    });
}

// --- Bookings

PSP_EXTERN(int) psp_booking_request_init(psp_booking_request* request, unsigned version) {
    // A caller built against version 1 passes a struct without voucher_scheme: write only its size.
    static constexpr std::size_t sizes[] = {offsetof(psp_booking_request, voucher_scheme), sizeof(psp_booking_request)};
    static_assert(std::size(sizes) == PSP_BOOKING_REQUEST_VERSION);
    return init_struct("psp_booking_request_init", request, version, PSP_BOOKING_REQUEST_VERSION, "request",
                       psp_booking_request PSP_BOOKING_REQUEST_INIT, sizes);
}

PSP_EXTERN(int) psp_booking_init(psp_booking* booking, unsigned version) {
    return init_struct("psp_booking_init", booking, version, PSP_BOOKING_VERSION, "booking",
                       psp_booking PSP_BOOKING_INIT);
}

PSP_EXTERN(int) psp_booking_book(psp_booking* out, int* out_refused_by, const char** out_reason, psp_db* db,
                                 const psp_actor* actor, const psp_booking_request* request) {
    return guard("psp_booking_book", [&] {
        if (out != nullptr) require_struct(out, PSP_BOOKING_VERSION, "out");
        auto& refused_by = require(out_refused_by, "out_refused_by");
        auto& h = handle(db);
        auto a = actor_from_c(actor);
        auto q = request_from_c(require_struct(request, PSP_BOOKING_REQUEST_VERSION, "request"));
        psp::BookingOutcome outcome;
        {
            std::lock_guard lock(h.mu);
            outcome = h.db.book(a, q);
        }
        auto& l = lent();
        l.reason = std::move(outcome.reason);
        refused_by = static_cast<int>(outcome.refused_by);
        if (out_reason != nullptr) *out_reason = l.reason.c_str();
        if (outcome.booking && out != nullptr) {
            l.booking = std::move(*outcome.booking);
            to_c(l.booking, *out);
        }
        return 0;
    });
}

PSP_EXTERN(int) psp_booking_approve(psp_booking* out, psp_db* db, const psp_actor* actor, int64_t id) {
    return transition("psp_booking_approve", out, db, actor, id, &Database::approve);
}

PSP_EXTERN(int) psp_booking_reject(psp_booking* out, psp_db* db, const psp_actor* actor, int64_t id) {
    return transition("psp_booking_reject", out, db, actor, id, &Database::reject);
}

PSP_EXTERN(int) psp_booking_check_in(psp_booking* out, psp_db* db, const psp_actor* actor, int64_t id) {
    return transition("psp_booking_check_in", out, db, actor, id, &Database::check_in);
}

PSP_EXTERN(int) psp_booking_complete(psp_booking* out, psp_db* db, const psp_actor* actor, int64_t id) {
    return transition("psp_booking_complete", out, db, actor, id, &Database::complete);
}

PSP_EXTERN(int) psp_booking_cancel(psp_booking* out, psp_db* db, const psp_actor* actor, int64_t id) {
    return transition("psp_booking_cancel", out, db, actor, id, &Database::cancel);
}

PSP_EXTERN(int) psp_booking_get(psp_booking* out, psp_db* db, int64_t id) {
    return booking_out("psp_booking_get", out, db, [&](const Database& d) { return d.get(psp::BookingId(id)); });
}

PSP_EXTERN(int) psp_booking_get_as(psp_booking* out, psp_db* db, const psp_actor* reader, int64_t id) {
    return booking_out("psp_booking_get_as", out, db,
                       [&](const Database& d) { return d.get(reader_from_c(reader), psp::BookingId(id)); });
}

PSP_EXTERN(int) psp_booking_iter_next(psp_booking* out, psp_booking_iter* it) {
    return iter_next("psp_booking_iter_next", out, it, PSP_BOOKING_VERSION, to_c_row);
}

PSP_EXTERN(void) psp_booking_iter_free(psp_booking_iter* it) { delete it; }

PSP_EXTERN(int) psp_booking_mark_no_shows(psp_booking_iter** out, psp_db* db, const psp_actor* actor) {
    if (out != nullptr) *out = nullptr;
    return guard("psp_booking_mark_no_shows", [&] {
        auto& h = handle(db);
        auto a = actor_from_c(actor);
        std::vector<Booking> marked;
        {
            std::lock_guard lock(h.mu);
            marked = h.db.mark_no_shows(a);
        }
        if (out != nullptr) *out = new psp_booking_iter(&h, std::move(marked));
        return 0;
    });
}

PSP_EXTERN(int) psp_bookings_of_equipment_iter_new(psp_booking_iter** out, psp_db* db, int64_t equipment,
                                                   int64_t start, int64_t end) {
    return iter_new("psp_bookings_of_equipment_iter_new", out, db, [&](const Database& d) {
        return d.bookings_of(psp::EquipmentId(equipment), window_of(start, end));
    });
}

PSP_EXTERN(int) psp_bookings_of_enterprise_iter_new(psp_booking_iter** out, psp_db* db, int64_t enterprise,
                                                    int64_t start, int64_t end) {
    return iter_new("psp_bookings_of_enterprise_iter_new", out, db, [&](const Database& d) {
        return d.bookings_of(psp::EnterpriseId(enterprise), window_of(start, end));
    });
}

PSP_EXTERN(int) psp_bookings_of_platform_iter_new(psp_booking_iter** out, psp_db* db, int64_t platform,
                                                  int64_t start, int64_t end) {
    return iter_new("psp_bookings_of_platform_iter_new", out, db, [&](const Database& d) {
        return d.bookings_of(psp::PlatformId(platform), window_of(start, end));
    });
}

PSP_EXTERN(int) psp_bookings_of_equipment_iter_new_as(psp_booking_iter** out, psp_db* db, const psp_actor* reader,
                                                      int64_t equipment, int64_t start, int64_t end) {
    return iter_new("psp_bookings_of_equipment_iter_new_as", out, db, [&](const Database& d) {
        return d.bookings_of(reader_from_c(reader), psp::EquipmentId(equipment), window_of(start, end));
    });
}

PSP_EXTERN(int) psp_bookings_of_enterprise_iter_new_as(psp_booking_iter** out, psp_db* db, const psp_actor* reader,
                                                       int64_t enterprise, int64_t start, int64_t end) {
    return iter_new("psp_bookings_of_enterprise_iter_new_as", out, db, [&](const Database& d) {
        return d.bookings_of(reader_from_c(reader), psp::EnterpriseId(enterprise), window_of(start, end));
    });
}

PSP_EXTERN(int) psp_bookings_of_platform_iter_new_as(psp_booking_iter** out, psp_db* db, const psp_actor* reader,
                                                     int64_t platform, int64_t start, int64_t end) {
    return iter_new("psp_bookings_of_platform_iter_new_as", out, db, [&](const Database& d) {
        return d.bookings_of(reader_from_c(reader), psp::PlatformId(platform), window_of(start, end));
    });
}

// --- Batches, series, the waitlist

PSP_EXTERN(int) psp_booking_outcome_init(psp_booking_outcome* outcome, unsigned version) {
    return init_struct("psp_booking_outcome_init", outcome, version, PSP_BOOKING_OUTCOME_VERSION, "outcome",
                       psp_booking_outcome PSP_BOOKING_OUTCOME_INIT);
}

PSP_EXTERN(int) psp_booking_outcome_iter_next(psp_booking_outcome* out, psp_booking_outcome_iter* it) {
    return iter_next("psp_booking_outcome_iter_next", out, it, PSP_BOOKING_OUTCOME_VERSION,
                     [](const OutcomeRow& r, psp_booking_outcome& c, Scratch&) { to_c(r, c); });
}

PSP_EXTERN(void) psp_booking_outcome_iter_free(psp_booking_outcome_iter* it) { delete it; }

PSP_EXTERN(int) psp_booking_book_batch(psp_booking_outcome_iter** out, psp_db* db, const psp_actor* actor,
                                       const psp_booking_request* const* requests, size_t request_count) {
    if (out != nullptr) *out = nullptr;
    return guard("psp_booking_book_batch", [&] {
        auto& h = handle(db);
        auto a = actor_from_c(actor);
        if (request_count > 0 && requests == nullptr) invalid("requests is NULL but request_count is not 0");
        std::vector<psp::BookingRequest> qs;
        qs.reserve(request_count);
        for (std::size_t i = 0; i < request_count; ++i) {
            const auto name = "requests[" + std::to_string(i) + "]";
            qs.push_back(request_from_c(require_struct(requests[i], PSP_BOOKING_REQUEST_VERSION, name.c_str()), name));
        }
        std::vector<psp::BookingOutcome> outcomes;
        {
            std::lock_guard lock(h.mu);
            outcomes = h.db.book_batch(a, qs);
        }
        std::vector<OutcomeRow> rows;
        rows.reserve(outcomes.size());
        for (std::size_t i = 0; i < outcomes.size(); ++i) {
            auto& o = outcomes[i];
            rows.push_back({o.booking ? o.booking->id.value : 0, o.booking ? o.booking->period : qs[i].period,
                            o.refused_by, std::move(o.reason)});
        }
        if (out != nullptr) *out = new psp_booking_outcome_iter(&h, std::move(rows));
        return 0;
    });
}

PSP_EXTERN(int) psp_recurrence_init(psp_recurrence* recurrence, unsigned version) {
    return init_struct("psp_recurrence_init", recurrence, version, PSP_RECURRENCE_VERSION, "recurrence",
                       psp_recurrence PSP_RECURRENCE_INIT);
}

PSP_EXTERN(int) psp_booking_book_series(int64_t* out_series, psp_booking_iter** out_booked,
                                        psp_booking_outcome_iter** out_skipped, psp_db* db, const psp_actor* actor,
                                        const psp_booking_request* first, const psp_recurrence* recurrence, int mode) {
    if (out_series != nullptr) *out_series = 0;
    if (out_booked != nullptr) *out_booked = nullptr;
    if (out_skipped != nullptr) *out_skipped = nullptr;
    return guard("psp_booking_book_series", [&] {
        auto& h = handle(db);
        auto a = actor_from_c(actor);
        auto q = request_from_c(require_struct(first, PSP_BOOKING_REQUEST_VERSION, "first"), "first");
        auto r = recurrence_from_c(require_struct(recurrence, PSP_RECURRENCE_VERSION, "recurrence"));
        auto m = require_enum<psp::SeriesMode>(mode, PSP_SERIES_MODE_COUNT, "mode");
        psp::SeriesOutcome outcome;
        {
            std::lock_guard lock(h.mu);
            outcome = h.db.book_series(a, q, r, m);
        }
        std::vector<OutcomeRow> skipped;
        skipped.reserve(outcome.skipped.size());
        for (auto& s : outcome.skipped) skipped.push_back({0, s.period, s.refused_by, std::move(s.reason)});
        if (out_series != nullptr) *out_series = outcome.series;
        if (out_booked != nullptr) *out_booked = new psp_booking_iter(&h, std::move(outcome.booked));
        if (out_skipped != nullptr) *out_skipped = new psp_booking_outcome_iter(&h, std::move(skipped));
        return 0;
    });
}

PSP_EXTERN(int) psp_booking_cancel_series(psp_booking_iter** out, psp_db* db, const psp_actor* actor,
                                          int64_t series, int64_t from) {
    if (out != nullptr) *out = nullptr;
    return guard("psp_booking_cancel_series", [&] {
        auto& h = handle(db);
        auto a = actor_from_c(actor);
        std::vector<Booking> cancelled;
        {
            std::lock_guard lock(h.mu);
            cancelled = h.db.cancel_series(a, series, from);
        }
        if (out != nullptr) *out = new psp_booking_iter(&h, std::move(cancelled));
        return 0;
    });
}

PSP_EXTERN(int) psp_waitlist_entry_init(psp_waitlist_entry* entry, unsigned version) {
    static constexpr std::size_t sizes[] = {offsetof(psp_waitlist_entry, voucher_scheme), sizeof(psp_waitlist_entry)};
    static_assert(std::size(sizes) == PSP_WAITLIST_ENTRY_VERSION);
    return init_struct("psp_waitlist_entry_init", entry, version, PSP_WAITLIST_ENTRY_VERSION, "entry",
                       psp_waitlist_entry PSP_WAITLIST_ENTRY_INIT, sizes);
}

PSP_EXTERN(int) psp_waitlist_iter_next(psp_waitlist_entry* out, psp_waitlist_iter* it) {
    return iter_next("psp_waitlist_iter_next", out, it, PSP_WAITLIST_ENTRY_VERSION,
                     [](const psp::WaitlistEntry& w, psp_waitlist_entry& c, Scratch&) { to_c(w, c); });
}

PSP_EXTERN(void) psp_waitlist_iter_free(psp_waitlist_iter* it) { delete it; }

PSP_EXTERN(int) psp_waitlist_join(psp_waitlist_entry* out, psp_db* db, const psp_actor* actor,
                                  const psp_booking_request* request) {
    return guard("psp_waitlist_join", [&] {
        if (out != nullptr) require_struct(out, PSP_WAITLIST_ENTRY_VERSION, "out");
        auto& h = handle(db);
        auto a = actor_from_c(actor);
        auto q = request_from_c(require_struct(request, PSP_BOOKING_REQUEST_VERSION, "request"));
        psp::WaitlistEntry w;
        {
            std::lock_guard lock(h.mu);
            w = h.db.join_waitlist(a, q);
        }
        if (out != nullptr) {
            auto& l = lent();
            l.entry = std::move(w);
            to_c(l.entry, *out);
        }
        return 0;
    });
}

PSP_EXTERN(int) psp_waitlist_leave(psp_waitlist_entry* out, psp_db* db, const psp_actor* actor, int64_t id) {
    return guard("psp_waitlist_leave", [&] {
        if (out != nullptr) require_struct(out, PSP_WAITLIST_ENTRY_VERSION, "out");
        auto& h = handle(db);
        auto a = actor_from_c(actor);
        psp::WaitlistEntry w;
        {
            std::lock_guard lock(h.mu);
            w = h.db.leave_waitlist(a, psp::WaitlistId(id));
        }
        if (out != nullptr) {
            auto& l = lent();
            l.entry = std::move(w);
            to_c(l.entry, *out);
        }
        return 0;
    });
}

PSP_EXTERN(int) psp_waitlist_iter_new(psp_waitlist_iter** out, psp_db* db, int64_t equipment) {
    return iter_new("psp_waitlist_iter_new", out, db,
                    [&](const Database& d) { return d.waitlist(psp::EquipmentId(equipment)); });
}

PSP_EXTERN(int) psp_waitlist_iter_new_as(psp_waitlist_iter** out, psp_db* db, const psp_actor* reader,
                                         int64_t equipment) {
    return iter_new("psp_waitlist_iter_new_as", out, db, [&](const Database& d) {
        return d.waitlist(reader_from_c(reader), psp::EquipmentId(equipment));
    });
}

PSP_EXTERN(int) psp_waitlist_promote(psp_waitlist_iter** out, psp_db* db, const psp_actor* actor, int64_t equipment) {
    if (out != nullptr) *out = nullptr;
    return guard("psp_waitlist_promote", [&] {
        auto& h = handle(db);
        auto a = actor_from_c(actor);
        std::vector<psp::WaitlistEntry> promoted;
        {
            std::lock_guard lock(h.mu);
            promoted = h.db.promote_waitlist(a, psp::EquipmentId(equipment));
        }
        if (out != nullptr) *out = new psp_waitlist_iter(&h, std::move(promoted));
        return 0;
    });
}

PSP_EXTERN(int) psp_waitlist_take_promotions(psp_waitlist_iter** out, psp_db* db) {
    return iter_new("psp_waitlist_take_promotions", out, db, [&](Database& d) { return d.take_promotions(); });
}

// --- Free slots, utilisation

PSP_EXTERN(int) psp_free_slot_iter_new(psp_free_slot_iter** out, psp_db* db, int64_t equipment, int64_t start,
                                       int64_t end, int min_minutes, int units) {
    return iter_new("psp_free_slot_iter_new", out, db, [&](const Database& d) {
        const auto window = window_of(start, end);
        return d.free_slots(psp::EquipmentId(equipment), window, min_minutes, units);
    });
}

PSP_EXTERN(int) psp_free_slot_iter_next(psp_period* out, psp_free_slot_iter* it) {
    return guard("psp_free_slot_iter_next", [&] {
        auto& o = require(out, "out");
        auto& i = require(it, "it");
        if (i.pos >= i.rows.size()) return PSP_ITEROVER;
        const auto& p = i.rows[i.pos++];
        o.start = p.start;
        o.end = p.end;
        return 0;
    });
}

PSP_EXTERN(void) psp_free_slot_iter_free(psp_free_slot_iter* it) { delete it; }

PSP_EXTERN(int) psp_earliest_slot(int64_t* out_equipment, psp_period* out, psp_db* db, const int64_t* equipment,
                                  size_t equipment_count, int64_t start, int64_t end, int minutes, int units) {
    return guard("psp_earliest_slot", [&] {
        auto& which = require(out_equipment, "out_equipment");
        auto& h = handle(db);
        if (equipment_count > 0 && equipment == nullptr) invalid("equipment is NULL but equipment_count is not 0");
        const auto window = window_of(start, end);
        std::vector<psp::EquipmentId> ids;
        ids.reserve(equipment_count);
        for (std::size_t i = 0; i < equipment_count; ++i) ids.emplace_back(equipment[i]);
        std::optional<std::pair<psp::EquipmentId, psp::Period>> best;
        {
            std::lock_guard lock(h.mu);
            best = h.db.earliest_slot(ids, window, minutes, units);
        }
        which = best ? best->first.value : 0;
        if (out != nullptr) *out = best ? psp_period{best->second.start, best->second.end} : psp_period{0, 0};
        return 0;
    });
}

PSP_EXTERN(int) psp_utilisation_init(psp_utilisation* utilisation, unsigned version) {
    return init_struct("psp_utilisation_init", utilisation, version, PSP_UTILISATION_VERSION, "utilisation",
                       psp_utilisation PSP_UTILISATION_INIT);
}

PSP_EXTERN(int) psp_equipment_utilisation(psp_utilisation* out, psp_db* db, int64_t equipment, int64_t start,
                                          int64_t end) {
    return guard("psp_equipment_utilisation", [&] {
        auto& o = require_struct(out, PSP_UTILISATION_VERSION, "out");
        auto& h = handle(db);
        Database::Utilisation u;
        {
            std::lock_guard lock(h.mu);
            u = h.db.utilisation(psp::EquipmentId(equipment), window_of(start, end));
        }
        utilisation_to_c(u, o);
        return 0;
    });
}

PSP_EXTERN(int) psp_platform_utilisation(psp_utilisation* out, psp_db* db, int64_t platform, int64_t start,
                                         int64_t end) {
    return guard("psp_platform_utilisation", [&] {
        auto& o = require_struct(out, PSP_UTILISATION_VERSION, "out");
        auto& h = handle(db);
        Database::Utilisation u;
        {
            std::lock_guard lock(h.mu);
            u = h.db.utilisation(psp::PlatformId(platform), window_of(start, end));
        }
        utilisation_to_c(u, o);
        return 0;
    });
}

}  // extern "C"
