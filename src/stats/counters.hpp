// The statistics counters behind Database::statistics (include/psp/statistics.hpp): per subject and
// local day, sums that a ledger change adds to or takes from, and per subject the days each
// enterprise was served (a multiset, so that a cancellation takes back exactly what its booking
// gave). Knows nothing of the database: it is fed facts (who, where, which day, how much).
#pragma once

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "psp/booking.hpp"
#include "psp/statistics.hpp"

namespace psp::stats {

// The subjects that have counters of their own; districts, alliances and the city sum platforms.
enum class Level : std::uint8_t { equipment = 0, platform = 1, zone = 2, city = 3 };

// Sums of one subject over days (see statistics.hpp for what each counts).
struct Cell {
    std::int64_t bookings = 0, cancellations = 0, no_shows = 0, rejections = 0;
    std::int64_t booked_seconds = 0, used_seconds = 0, external_seconds = 0;
    Fen revenue = 0, voucher_spend = 0;
    std::int64_t requests_received = 0, requests_served = 0, referred_in = 0, referred_out = 0, unmet = 0;
    void add(const Cell& o, int sign);
};

// One booking as statistics see it.
struct BookingFact {
    std::int64_t equipment = 0, platform = 0, zone = 0, enterprise = 0;
    std::int32_t day = 0;           // local day of the service start (days since 1970-01-01)
    BookingStatus status = BookingStatus::confirmed;
    std::int64_t unit_seconds = 0;  // duration × units
    bool external = false;          // the platform does not serve the enterprise's zone
    Fen gross = 0, voucher = 0, fee = 0;
};

// One request the network was asked for: served (by `served_by`, booked or a service case) or unmet.
struct RequestFact {
    std::int64_t received_by = 0;   // the desk (0: asked at no platform)
    std::int64_t served_by = 0;     // 0 when unmet
    std::int64_t zone = 0;          // the enterprise's zone
    std::int32_t day = 0;
    bool referral = false;          // served outside the receiving platform's family
};

// The days each enterprise was served by one subject, as (enterprise, day, count) entries: a change
// is appended to `pending` (cheap: booking must stay fast), and the first read afterwards sorts the
// pending entries into `sorted` (by enterprise, then day; counts summed, zeros dropped). Reading then
// walks one flat array, enterprise by enterprise.
class ServedDays {
public:
    struct Entry {
        std::int64_t enterprise = 0;
        std::int32_t day = 0;
        std::int32_t count = 0;
    };
    void add(std::int64_t enterprise, std::int32_t day, int sign) { pending_.push_back({enterprise, day, sign}); }
    const std::vector<Entry>& entries() const;   // compacted
    void reserve(std::size_t n) { pending_.reserve(n); }
    // Takes every entry of `other` (counted apart, e.g. on another thread) as if added here.
    void absorb(ServedDays&& other);

private:
    mutable std::vector<Entry> sorted_;
    mutable std::vector<Entry> pending_;
};

// A subject's figures day by day over the days it has any, in one array: a day's cell is an index
// away (no allocation per cell), and a period's sum one contiguous loop.
template <class Day>
class DaySeries {
public:
    Day& at(std::int32_t day) {
        if (days_.empty()) {
            first_ = day;
            days_.resize(1);
        } else if (day < first_) {
            days_.insert(days_.begin(), static_cast<std::size_t>(first_ - day), Day{});
            first_ = day;
        } else if (day - first_ >= static_cast<std::int32_t>(days_.size())) {
            days_.resize(static_cast<std::size_t>(day - first_) + 1);
        }
        return days_[static_cast<std::size_t>(day - first_)];
    }
    // The day's cell, or nullptr outside the days held.
    const Day* find(std::int32_t day) const {
        if (day < first_ || day - first_ >= static_cast<std::int32_t>(days_.size())) return nullptr;
        return &days_[static_cast<std::size_t>(day - first_)];
    }
    template <class F>
    void each(std::int32_t from, std::int32_t to, F&& f) const {
        const std::int32_t lo = std::max(from, first_), hi = std::min<std::int32_t>(to, first_ + static_cast<std::int32_t>(days_.size()));
        for (std::int32_t d = lo; d < hi; ++d) f(days_[static_cast<std::size_t>(d - first_)]);
    }
    std::int32_t first() const { return first_; }
    std::int32_t end() const { return first_ + static_cast<std::int32_t>(days_.size()); }
    // Adds every day of `other` (cell by cell, with `add_to(mine, theirs)`).
    template <class AddTo>
    void absorb(const DaySeries& other, AddTo&& add_to) {
        for (std::int32_t d = other.first(); d < other.end(); ++d) add_to(at(d), *other.find(d));
    }

private:
    std::int32_t first_ = 0;
    std::vector<Day> days_;
};

// What a subject's bookings add up to on one day, and its requests (platforms and zones only).
struct BookingDay {
    std::int32_t bookings = 0, cancellations = 0, no_shows = 0, rejections = 0;
    std::int64_t booked_seconds = 0, used_seconds = 0, external_seconds = 0;
    Fen revenue = 0, voucher_spend = 0;
    friend bool operator==(const BookingDay&, const BookingDay&) = default;
};
struct RequestDay {
    std::int32_t received = 0, served = 0, referred_in = 0, referred_out = 0, unmet = 0;
    friend bool operator==(const RequestDay&, const RequestDay&) = default;
};

class Counters {
public:
    void clear();
    void add(const BookingFact&, int sign);
    void add(const RequestFact&, int sign);

    // Sums of the subject over days [from, to).
    Cell sum(Level, std::int64_t id, std::int32_t from, std::int32_t to) const;
    // Distinct enterprises served by any of the subjects over [from, to), and how many of them were
    // first served by those subjects (taken together) in that range. Level::city (id 0) is the whole
    // city, kept as a subject of its own so that its reach needs no union.
    struct Reach {
        std::int64_t served = 0, first_time = 0;
    };
    Reach reach(Level, const std::vector<std::int64_t>& ids, std::int32_t from, std::int32_t to) const;
    bool operator==(const Counters&) const;
    // Adds everything `other` counted (a part of the ledger counted on another thread).
    void absorb(Counters&& other);

private:
    static std::uint64_t subject_key(Level, std::int64_t id);
    std::unordered_map<std::uint64_t, DaySeries<BookingDay>> bookings_;
    std::unordered_map<std::uint64_t, DaySeries<RequestDay>> requests_;
    std::unordered_map<std::uint64_t, ServedDays> served_;
};

// A booking counts toward booked figures (and enterprises served) in these statuses.
bool counts_as_booked(BookingStatus);

}  // namespace psp::stats
