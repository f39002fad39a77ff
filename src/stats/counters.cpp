// Statistics counters: day series per subject and the days each enterprise was served.
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

bool counts_as_booked(BookingStatus s) {
    return s == BookingStatus::pending || s == BookingStatus::confirmed || s == BookingStatus::checked_in ||
           s == BookingStatus::completed;
}

// 2 bits of level, 62 of id.
std::uint64_t Counters::subject_key(Level level, std::int64_t id) {
    return (static_cast<std::uint64_t>(level) << 62) | static_cast<std::uint64_t>(id & ((1LL << 62) - 1));
}

void Counters::clear() {
    bookings_.clear();
    requests_.clear();
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
    const bool booked = counts_as_booked(f.status);
    const bool used = f.status == BookingStatus::checked_in || f.status == BookingStatus::completed;
    const bool paid = f.status != BookingStatus::cancelled && f.status != BookingStatus::rejected;
    const std::int64_t seconds = sign * f.unit_seconds;
    const Fen revenue = sign * (paid ? f.gross : (f.status == BookingStatus::cancelled ? f.fee : 0));
    const Fen voucher = sign * (paid ? f.voucher : 0);
    const std::pair<Level, std::int64_t> subjects[] = {{Level::equipment, f.equipment}, {Level::platform, f.platform}, {Level::zone, f.zone}};
    for (const auto& [level, id] : subjects) {
        auto& d = bookings_[subject_key(level, id)].at(f.day);
        d.bookings += sign;
        if (f.status == BookingStatus::cancelled) d.cancellations += sign;
        if (f.status == BookingStatus::no_show) d.no_shows += sign;
        if (f.status == BookingStatus::rejected) d.rejections += sign;
        if (booked) d.booked_seconds += seconds;
        if (used) d.used_seconds += seconds;
        if (booked && f.external) d.external_seconds += seconds;
        d.revenue += revenue;
        d.voucher_spend += voucher;
        if (booked) served_[subject_key(level, id)].add(f.enterprise, f.day, sign);
    }
    if (booked) served_[subject_key(Level::city, 0)].add(f.enterprise, f.day, sign);
}

void Counters::add(const RequestFact& f, int sign) {
    const auto bump = [&](Level level, std::int64_t id, std::int32_t RequestDay::*field) {
        if (id != 0) requests_[subject_key(level, id)].at(f.day).*field += sign;
    };
    bump(Level::platform, f.received_by, &RequestDay::received);
    bump(Level::zone, f.zone, &RequestDay::received);
    if (f.served_by == 0) {
        bump(Level::platform, f.received_by, &RequestDay::unmet);
        bump(Level::zone, f.zone, &RequestDay::unmet);
        return;
    }
    bump(Level::platform, f.served_by, &RequestDay::served);
    bump(Level::zone, f.zone, &RequestDay::served);
    if (f.referral) {
        bump(Level::platform, f.served_by, &RequestDay::referred_in);
        bump(Level::platform, f.received_by, &RequestDay::referred_out);
    }
}

void ServedDays::absorb(ServedDays&& other) {
    pending_.insert(pending_.end(), other.sorted_.begin(), other.sorted_.end());
    pending_.insert(pending_.end(), other.pending_.begin(), other.pending_.end());
    other.sorted_.clear();
    other.pending_.clear();
}

void Counters::absorb(Counters&& other) {
    for (auto& [subject, series] : other.bookings_) {
        bookings_[subject].absorb(series, [](BookingDay& mine, const BookingDay& theirs) {
            mine.bookings += theirs.bookings;
            mine.cancellations += theirs.cancellations;
            mine.no_shows += theirs.no_shows;
            mine.rejections += theirs.rejections;
            mine.booked_seconds += theirs.booked_seconds;
            mine.used_seconds += theirs.used_seconds;
            mine.external_seconds += theirs.external_seconds;
            mine.revenue += theirs.revenue;
            mine.voucher_spend += theirs.voucher_spend;
        });
    }
    for (auto& [subject, series] : other.requests_) {
        requests_[subject].absorb(series, [](RequestDay& mine, const RequestDay& theirs) {
            mine.received += theirs.received;
            mine.served += theirs.served;
            mine.referred_in += theirs.referred_in;
            mine.referred_out += theirs.referred_out;
            mine.unmet += theirs.unmet;
        });
    }
    for (auto& [subject, days] : other.served_) served_[subject].absorb(std::move(days));
    other.clear();
}

Cell Counters::sum(Level level, std::int64_t id, std::int32_t from, std::int32_t to) const {
    Cell total;
    if (const auto b = bookings_.find(subject_key(level, id)); b != bookings_.end()) {
        b->second.each(from, to, [&](const BookingDay& d) {
            total.bookings += d.bookings;
            total.cancellations += d.cancellations;
            total.no_shows += d.no_shows;
            total.rejections += d.rejections;
            total.booked_seconds += d.booked_seconds;
            total.used_seconds += d.used_seconds;
            total.external_seconds += d.external_seconds;
            total.revenue += d.revenue;
            total.voucher_spend += d.voucher_spend;
        });
    }
    if (const auto r = requests_.find(subject_key(level, id)); r != requests_.end()) {
        r->second.each(from, to, [&](const RequestDay& d) {
            total.requests_received += d.received;
            total.requests_served += d.served;
            total.referred_in += d.referred_in;
            total.referred_out += d.referred_out;
            total.unmet += d.unmet;
        });
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

namespace {

// Two maps of day series hold the same figures: a day missing from one is a day of zeros.
template <class Day>
bool same_days(const std::unordered_map<std::uint64_t, DaySeries<Day>>& a, const std::unordered_map<std::uint64_t, DaySeries<Day>>& b) {
    const auto covered = [](const std::unordered_map<std::uint64_t, DaySeries<Day>>& m, const std::unordered_map<std::uint64_t, DaySeries<Day>>& other) {
        for (const auto& [subject, series] : m) {
            const auto it = other.find(subject);
            for (std::int32_t d = series.first(); d < series.end(); ++d) {
                const Day* mine = series.find(d);
                const Day* theirs = it == other.end() ? nullptr : it->second.find(d);
                if (!(*mine == (theirs ? *theirs : Day{}))) return false;
            }
        }
        return true;
    };
    return covered(a, b) && covered(b, a);
}

}  // namespace

bool Counters::operator==(const Counters& o) const {
    if (!same_days(bookings_, o.bookings_) || !same_days(requests_, o.requests_)) return false;
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
