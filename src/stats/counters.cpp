// Statistics counters: cells per (subject, day) and the days each enterprise was served.
#include "stats/counters.hpp"

#include <algorithm>
#include <iterator>

#include "psp/error.hpp"

namespace psp::stats {

void Cell::add(const Cell& o, int sign) {
    bookings += sign * o.bookings;
    cancellations += sign * o.cancellations;
    no_shows += sign * o.no_shows;
    rejections += sign * o.rejections;
    booked_seconds += sign * o.booked_seconds;
    used_seconds += sign * o.used_seconds;
    external_seconds += sign * o.external_seconds;
    revenue += sign * o.revenue;
    voucher_spend += sign * o.voucher_spend;
    requests_received += sign * o.requests_received;
    requests_served += sign * o.requests_served;
    referred_in += sign * o.referred_in;
    referred_out += sign * o.referred_out;
    unmet += sign * o.unmet;
}

bool Cell::empty() const {
    return bookings == 0 && cancellations == 0 && no_shows == 0 && rejections == 0 && booked_seconds == 0 &&
           used_seconds == 0 && external_seconds == 0 && revenue == 0 && voucher_spend == 0 && requests_received == 0 &&
           requests_served == 0 && referred_in == 0 && referred_out == 0 && unmet == 0;
}

bool counts_as_booked(BookingStatus s) {
    return s == BookingStatus::pending || s == BookingStatus::confirmed || s == BookingStatus::checked_in ||
           s == BookingStatus::completed;
}

// 2 bits of level, 38 of id, 24 of day (offset so that days from 1970 - 8.3M days fit).
std::uint64_t Counters::key(Level level, std::int64_t id, std::int32_t day) {
    constexpr std::int64_t day_offset = 1 << 23;
    return (static_cast<std::uint64_t>(level) << 62) | (static_cast<std::uint64_t>(id & ((1LL << 38) - 1)) << 24) |
           static_cast<std::uint64_t>((day + day_offset) & ((1 << 24) - 1));
}

std::uint64_t Counters::subject_key(Level level, std::int64_t id) {
    return (static_cast<std::uint64_t>(level) << 62) | static_cast<std::uint64_t>(id & ((1LL << 38) - 1));
}

void Counters::clear() {
    cells_.clear();
    served_.clear();
}

const std::vector<ServedDays::Entry>& ServedDays::entries() const {
    if (pending_.empty()) return sorted_;
    const auto less = [](const Entry& a, const Entry& b) { return a.enterprise != b.enterprise ? a.enterprise < b.enterprise : a.day < b.day; };
    std::sort(pending_.begin(), pending_.end(), less);
    std::vector<Entry> merged;
    merged.reserve(sorted_.size() + pending_.size());
    std::merge(sorted_.begin(), sorted_.end(), pending_.begin(), pending_.end(), std::back_inserter(merged), less);
    sorted_.clear();
    for (const auto& e : merged) {
        if (!sorted_.empty() && sorted_.back().enterprise == e.enterprise && sorted_.back().day == e.day) {
            sorted_.back().count += e.count;
        } else {
            sorted_.push_back(e);
        }
        if (sorted_.back().count == 0) sorted_.pop_back();
    }
    pending_.clear();
    return sorted_;
}

void Counters::add(const BookingFact& f, int sign) {
    Cell c;
    c.bookings = 1;
    c.cancellations = f.status == BookingStatus::cancelled;
    c.no_shows = f.status == BookingStatus::no_show;
    c.rejections = f.status == BookingStatus::rejected;
    const bool booked = counts_as_booked(f.status);
    const bool used = f.status == BookingStatus::checked_in || f.status == BookingStatus::completed;
    if (booked) c.booked_seconds = f.unit_seconds;
    if (used) c.used_seconds = f.unit_seconds;
    if (booked && f.external) c.external_seconds = f.unit_seconds;
    const bool paid = f.status != BookingStatus::cancelled && f.status != BookingStatus::rejected;
    c.revenue = paid ? f.gross : (f.status == BookingStatus::cancelled ? f.fee : 0);
    c.voucher_spend = paid ? f.voucher : 0;
    const std::pair<Level, std::int64_t> subjects[] = {{Level::equipment, f.equipment}, {Level::platform, f.platform}, {Level::zone, f.zone}};
    for (const auto& [level, id] : subjects) {
        auto& cell = cells_[key(level, id, f.day)];
        cell.add(c, sign);
        if (cell.empty()) cells_.erase(key(level, id, f.day));
        if (booked) served_[subject_key(level, id)].add(f.enterprise, f.day, sign);
    }
    if (booked) served_[subject_key(Level::city, 0)].add(f.enterprise, f.day, sign);
}

void Counters::add(const RequestFact& f, int sign) {
    const auto bump = [&](Level level, std::int64_t id, auto field) {
        if (id == 0) return;
        auto& cell = cells_[key(level, id, f.day)];
        cell.*field += sign;
        if (cell.empty()) cells_.erase(key(level, id, f.day));
    };
    bump(Level::platform, f.received_by, &Cell::requests_received);
    bump(Level::zone, f.zone, &Cell::requests_received);
    if (f.served_by == 0) {
        bump(Level::platform, f.received_by, &Cell::unmet);
        bump(Level::zone, f.zone, &Cell::unmet);
        return;
    }
    bump(Level::platform, f.served_by, &Cell::requests_served);
    bump(Level::zone, f.zone, &Cell::requests_served);
    if (f.referral) {
        bump(Level::platform, f.served_by, &Cell::referred_in);
        bump(Level::platform, f.received_by, &Cell::referred_out);
    }
}

Cell Counters::sum(Level level, std::int64_t id, std::int32_t from, std::int32_t to) const {
    Cell total;
    if (cells_.empty()) return total;
    for (std::int32_t d = from; d < to; ++d) {
        const auto it = cells_.find(key(level, id, d));
        if (it != cells_.end()) total.add(it->second, +1);
    }
    return total;
}

Counters::Reach Counters::reach(Level level, const std::vector<std::int64_t>& ids, std::int32_t from, std::int32_t to) const {
    // Walks the entries of each subject enterprise by enterprise: served in range when any of its
    // days falls in [from, to), first served then when its earliest day does.
    const auto walk = [&](const std::vector<ServedDays::Entry>& entries, auto&& visit) {
        for (std::size_t i = 0; i < entries.size();) {
            const std::int64_t enterprise = entries[i].enterprise;
            const std::int32_t first = entries[i].day;
            bool in_range = false;
            for (; i < entries.size() && entries[i].enterprise == enterprise; ++i) {
                in_range = in_range || (entries[i].day >= from && entries[i].day < to);
            }
            visit(enterprise, first, in_range);
        }
    };
    Reach r;
    if (ids.size() == 1) {   // one subject: no union to take
        const auto subject = served_.find(subject_key(level, ids.front()));
        if (subject == served_.end()) return r;
        walk(subject->second.entries(), [&](std::int64_t, std::int32_t first, bool in_range) {
            if (!in_range) return;
            ++r.served;
            if (first >= from) ++r.first_time;
        });
        return r;
    }
    // enterprise -> (served in range, first day with any of the subjects)
    std::unordered_map<std::int64_t, std::pair<bool, std::int32_t>> seen;
    for (const auto id : ids) {
        const auto subject = served_.find(subject_key(level, id));
        if (subject == served_.end()) continue;
        walk(subject->second.entries(), [&](std::int64_t enterprise, std::int32_t first, bool in_range) {
            auto [it, fresh] = seen.try_emplace(enterprise, in_range, first);
            if (!fresh) {
                it->second.first = it->second.first || in_range;
                it->second.second = std::min(it->second.second, first);
            }
        });
    }
    for (const auto& [enterprise, s] : seen) {
        if (!s.first) continue;
        ++r.served;
        if (s.second >= from) ++r.first_time;
    }
    return r;
}

bool Counters::operator==(const Counters& o) const {
    if (cells_.size() != o.cells_.size()) return false;
    for (const auto& [k, c] : cells_) {
        const auto it = o.cells_.find(k);
        if (it == o.cells_.end()) return false;
        Cell diff = c;
        diff.add(it->second, -1);
        if (!diff.empty()) return false;
    }
    // Subjects with no entry left are as good as absent.
    const auto nonempty = [](const auto& m) {
        std::size_t n = 0;
        for (const auto& [subject, days] : m) n += !days.entries().empty();
        return n;
    };
    if (nonempty(served_) != nonempty(o.served_)) return false;
    for (const auto& [subject, days] : served_) {
        const auto& mine = days.entries();
        if (mine.empty()) continue;
        const auto theirs = o.served_.find(subject);
        if (theirs == o.served_.end()) return false;
        const auto& other = theirs->second.entries();
        if (mine.size() != other.size()) return false;
        for (std::size_t i = 0; i < mine.size(); ++i) {
            if (mine[i].enterprise != other[i].enterprise || mine[i].day != other[i].day || mine[i].count != other[i].count) return false;
        }
    }
    return true;
}

}  // namespace psp::stats
