// Booking shared equipment (DESIGN.md §4 "Booking", issue 4): the rules per equipment, the
// lifecycle of a booking, and the answers of the booking engine. A refused booking is a value
// (BookingOutcome naming its rule), not an exception; misuse (reversed period, unknown id) is a
// psp::Error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "psp/calendar.hpp"
#include "psp/ids.hpp"
#include "psp/model.hpp"
#include "psp/pricing.hpp"

namespace psp {

using BookingId = Id<struct BookingTag>;

// Rules of one piece of equipment. Durations are minutes; 0 disables a limit where noted.
struct BookingRules {
    int slot_minutes = 30;            // starts and ends lie on this grid (local midnight based)
    int min_minutes = 30;
    int max_minutes = 8 * 60;
    int min_notice_minutes = 60;      // a booking starts at least this long after it is made
    int max_horizon_days = 90;        // ...and at most this many days ahead
    int buffer_minutes = 0;           // kept free between two bookings (cleaning, calibration)
    bool approval_required = false;   // bookings start pending until the operator approves
    bool training_required = false;   // the enterprise needs a training record for the class
    int weekly_quota_minutes = 0;     // per enterprise per ISO week on this equipment; 0 = none
    int cancel_deadline_minutes = 24 * 60;  // cancelling later than this before start costs the fee
    Fen late_cancel_fee = 0;
    int no_show_grace_minutes = 15;   // not checked in this long after start = no-show
    int no_show_limit = 3;            // this many no-shows in 90 days block the enterprise...
    int no_show_block_days = 30;      // ...from booking this equipment for this many days; 0 = never
    std::vector<Period> blackouts;    // no booking may touch these
    friend bool operator==(const BookingRules&, const BookingRules&) = default;
};

enum class BookingStatus : int {
    pending = 0,     // waits for the operator's approval
    confirmed = 1,
    checked_in = 2,
    completed = 3,
    cancelled = 4,
    no_show = 5,
    rejected = 6,
};
inline constexpr int booking_status_count = 7;

// The rule a booking was refused by. Values are part of the C ABI.
enum class BookingRule : int {
    none = 0,
    in_past = 1,
    min_notice = 2,
    max_horizon = 3,
    slot_grid = 4,
    min_duration = 5,
    max_duration = 6,
    opening_hours = 7,
    blackout = 8,
    training = 9,
    no_show_block = 10,
    weekly_quota = 11,
    capacity = 12,       // overlapping bookings (with buffers) would exceed the equipment's units
    not_operating = 13,  // the owning platform is not operating
};
inline constexpr int booking_rule_count = 14;

struct BookingRequest {
    EquipmentId equipment;
    EnterpriseId enterprise;
    Period period;          // on the slot grid
    int units = 1;
    std::string note;
    VoucherSchemeId voucher;   // innovation voucher to pay part of the price; 0 = none
};

// A recurring series: the first occurrence, repeated every `interval` days or weeks, `count`
// times in all or until `until` (whichever is given; count wins when both are).
struct Recurrence {
    enum class Every : int { day = 0, week = 1 } every = Every::week;
    int interval = 1;
    int count = 0;
    Time until = 0;
};

enum class SeriesMode : int {
    all_or_nothing = 0,   // one refused occurrence refuses the whole series
    skip_conflicts = 1,   // book what fits, list what was skipped
};

struct Booking {
    BookingId id;
    EquipmentId equipment;
    EnterpriseId enterprise;
    Period period;
    int units = 1;
    BookingStatus status = BookingStatus::confirmed;
    Time created = 0;
    Fen cancellation_fee = 0;
    std::string note;
    std::int64_t series = 0;   // id of the series' first booking, 0 for a single booking
    friend bool operator==(const Booking&, const Booking&) = default;
};

// The answer to a booking attempt: a booking, or the rule that refused it and why.
struct BookingOutcome {
    std::optional<Booking> booking;
    BookingRule refused_by = BookingRule::none;
    std::string reason;
    explicit operator bool() const { return booking.has_value(); }
};

// One occurrence of a series that was not booked, and why.
struct SkippedOccurrence {
    Period period;
    BookingRule refused_by = BookingRule::none;
    std::string reason;
};

struct SeriesOutcome {
    std::vector<Booking> booked;              // empty when an all-or-nothing series was refused
    std::vector<SkippedOccurrence> skipped;   // the refused occurrences
    std::int64_t series = 0;                  // 0 when nothing was booked
};

using WaitlistId = Id<struct WaitlistTag>;

enum class WaitStatus : int { waiting = 0, promoted = 1, withdrawn = 2, expired = 3 };
inline constexpr int wait_status_count = 4;

// A request waiting for space on an equipment; promoted to a booking, first come first served,
// when a cancellation, rejection or no-show frees enough of its period.
struct WaitlistEntry {
    WaitlistId id;
    BookingRequest request;
    Time created = 0;
    WaitStatus status = WaitStatus::waiting;
    BookingId booking;   // once promoted
};

const char* to_string(WaitStatus);
const char* to_string(BookingStatus);
const char* to_string(BookingRule);
template <> std::optional<BookingStatus> parse_enum(std::string_view);
template <> std::optional<BookingRule> parse_enum(std::string_view);

}  // namespace psp
