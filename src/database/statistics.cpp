// Monitoring statistics in the Database (§4.2): the counters (src/stats/) fed from every ledger
// change, rebuilt from the whole ledger when the network's attribution of bookings changed, and read
// into rows per subject and period (include/psp/statistics.hpp).
#include <algorithm>
#include <exception>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include <boost/date_time/gregorian/gregorian.hpp>

#include "calendar/days.hpp"
#include "database/impl.hpp"

namespace psp {
namespace {

namespace greg = boost::gregorian;
using calendar_detail::days_from_date;

constexpr std::size_t max_rows = 100'000;

// Statistics count days in China Standard Time.
std::int32_t local_day(Time t) { return static_cast<std::int32_t>(calendar_detail::china_day(t)); }
Time day_start(std::int32_t day) { return calendar_detail::china_day_start(day); }

}  // namespace

// What decides where a booking or request is counted: equipment owners, enterprise zones and the
// zones each platform serves. New equipment and enterprises change nothing already counted.
bool Database::Impl::attribution_unchanged() const {
    auto& a = counted_attribution;
    bool same = a.zone_services == state.zone_services;
    const auto follow = [&same](auto& known, const auto& table, auto attribute) {
        for (const auto& [id, row] : table.rows()) {
            const auto [it, fresh] = known.try_emplace(id.value, attribute(row));
            if (!fresh && it->second != attribute(row)) {
                same = false;
                it->second = attribute(row);
            }
        }
        if (known.size() != table.size()) same = false;   // one was removed (the next rebuild forgets it)
    };
    follow(a.owner, state.equipment, [](const Equipment& e) { return e.owner.value; });
    follow(a.zone, state.enterprises, [](const Enterprise& e) { return e.zone.value; });
    a.zone_services = state.zone_services;
    return same;
}

bool Database::Impl::stop_tallying() {
    // Without upkeep (OpenOptions::statistics off) a change makes the counters stale: the next
    // read counts the whole ledger again.
    if (!keep_statistics) counters_valid = false;
    return !keep_statistics || !counters_current();
}

bool Database::Impl::counters_current() const {
    if (!counters_valid) return false;
    if (counters_network_version == network_version) return true;
    counters_network_version = network_version;
    // The network changed: the counters still hold if no booking would be counted elsewhere now
    // (or nothing was counted yet).
    const bool empty_ledger = engine.next_id().value == 1 && served.empty() && unmet.empty();
    if (!attribution_unchanged() && !empty_ledger) counters_valid = false;
    return counters_valid;
}

namespace {

// `attribute(b)` gives the owning platform and the enterprise's zone of a booking; `serves(platform,
// zone)` whether the platform serves the zone (its own zone: not external). `price`: null for a free
// booking.
template <class Attribute, class Serves>
stats::BookingFact fact_of(const Booking& b, const detail::PriceTable::Row* price, Attribute&& attribute, Serves&& serves) {
    stats::BookingFact f;
    f.equipment = b.equipment.value;
    std::tie(f.platform, f.zone) = attribute(b);
    f.enterprise = b.enterprise.value;
    f.day = local_day(b.period.start);
    f.status = b.status;
    f.unit_seconds = (b.period.end - b.period.start) * b.units;
    f.external = !serves(f.platform, f.zone);
    if (price) {
        f.gross = price->gross;
        f.voucher = price->voucher_pays;
    }
    f.fee = b.cancellation_fee;
    return f;
}

struct PairHash {
    std::size_t operator()(const std::pair<std::int64_t, std::int64_t>& k) const noexcept {
        return std::hash<std::uint64_t>()(static_cast<std::uint64_t>(k.first) * 0x9e3779b97f4a7c15ULL ^ static_cast<std::uint64_t>(k.second));
    }
};

}  // namespace

void Database::Impl::tally(const Booking& b, int sign) {
    if (stop_tallying()) return;
    const auto* price = prices.find(b.id);
    const auto attribute = [this](const Booking& x) {
        const Equipment* e = state.equipment.find(x.equipment);
        const Enterprise* firm = state.enterprises.find(x.enterprise);
        return std::pair<std::int64_t, std::int64_t>(e ? e->owner.value : 0, firm ? firm->zone.value : 0);
    };
    const auto serves = [this](std::int64_t platform, std::int64_t zone) { return state.zone_services.contains({platform, zone}); };
    counters.add(fact_of(b, price, attribute, serves), sign);
}

void Database::Impl::tally_served(std::size_t index, int sign) {
    if (stop_tallying()) return;
    const auto& s = served.row(index);
    stats::RequestFact f;
    f.received_by = served.chain_size(index) == 0 ? s.request.received_by : served.chain_front(index);
    f.served_by = s.platform;
    const Enterprise* firm = state.enterprises.find(EnterpriseId(s.request.enterprise));
    f.zone = firm ? firm->zone.value : 0;
    f.day = local_day(s.slot.start);
    f.referral = s.referral_hops > 0;
    counters.add(f, sign);
}

void Database::Impl::tally_unmet(std::size_t index, int sign) {
    if (stop_tallying()) return;
    const auto& u = unmet.row(index);
    stats::RequestFact f;
    f.received_by = u.desk;
    const Enterprise* firm = state.enterprises.find(EnterpriseId(u.request.enterprise));
    f.zone = firm ? firm->zone.value : 0;
    f.day = local_day(u.at);
    counters.add(f, sign);
}

void Database::Impl::rebuild_counters() const {
    counters.clear();
    // The zones each platform serves, hashed once for the whole ledger.
    std::unordered_set<std::pair<std::int64_t, std::int64_t>, PairHash> own(state.zone_services.size() * 2 + 1);
    for (const auto& [key, minutes] : state.zone_services) own.insert(key);
    const auto serves = [&own](std::int64_t platform, std::int64_t zone) { return own.contains({platform, zone}); };
    // Owners and zones in flat arrays by id (ids are dense from 1; a sparse id falls back to the
    // tables): a booking's attribution is then two array reads, not two pointer chases.
    const auto flat = [](const auto& table, auto value_of) {
        std::vector<std::int64_t> out;
        for (const auto& [id, row] : table.rows()) {
            const std::int64_t i = id.value;
            if (i < 0 || i > (1 << 24)) continue;
            if (out.size() <= static_cast<std::size_t>(i)) out.resize(static_cast<std::size_t>(i) + 1, -1);
            out[static_cast<std::size_t>(i)] = value_of(row);
        }
        return out;
    };
    const auto owner = flat(state.equipment, [](const Equipment& e) { return e.owner.value; });
    const auto zone = flat(state.enterprises, [](const Enterprise& e) { return e.zone.value; });
    const auto look = [](const std::vector<std::int64_t>& v, std::int64_t id, auto slow) {
        return id >= 0 && static_cast<std::size_t>(id) < v.size() && v[static_cast<std::size_t>(id)] >= 0 ? v[static_cast<std::size_t>(id)] : slow();
    };
    const auto attribute = [&](const Booking& b) {
        const auto platform = look(owner, b.equipment.value, [&] {
            const Equipment* e = state.equipment.find(b.equipment);
            return e ? e->owner.value : std::int64_t{0};
        });
        const auto where = look(zone, b.enterprise.value, [&] {
            const Enterprise* firm = state.enterprises.find(b.enterprise);
            return firm ? firm->zone.value : std::int64_t{0};
        });
        return std::pair<std::int64_t, std::int64_t>(platform, where);
    };
    const auto count = [&](stats::Counters& into, std::int64_t from, std::int64_t to) {
        for (std::int64_t id = from; id < to; ++id) {
            const Booking b = engine.get(BookingId(id));
            into.add(fact_of(b, prices.find(BookingId(id)), attribute, serves), +1);
        }
    };
    // A large ledger is counted in two halves at once (the reads above are shared and const; each
    // half fills counters of its own), then the halves are added up.
    const std::int64_t last = engine.next_id().value;
    if (last > 200'000) {
        const std::int64_t middle = last / 2;
        stats::Counters second;
        std::exception_ptr failed;
        std::thread helper([&] {
            try {
                count(second, middle, last);
            } catch (...) {
                failed = std::current_exception();
            }
        });
        try {
            count(counters, 1, middle);
        } catch (...) {
            helper.join();
            throw;
        }
        helper.join();
        if (failed) std::rethrow_exception(failed);
        counters.absorb(std::move(second));
    } else {
        count(counters, 1, last);
    }
    counters_valid = true;
    counters_network_version = network_version;
    counted_attribution = {};
    (void)attribution_unchanged();
    auto& self = const_cast<Impl&>(*this);
    const bool keep = self.keep_statistics;
    self.keep_statistics = true;   // the request tallies below go through the same checks
    for (std::size_t i = 0; i < served.size(); ++i) self.tally_served(i, +1);
    for (std::size_t i = 0; i < unmet.size(); ++i) self.tally_unmet(i, +1);
    self.keep_statistics = keep;
}

void Database::rebuild_statistics() { impl_->rebuild_counters(); }

std::vector<UnmetRequest> Database::unmet_requests(Period p) const {
    if (p.empty()) throw Error(ErrorCode::invalid, "period: empty or reversed");
    std::vector<UnmetRequest> out;
    for (std::size_t i = 0; i < impl_->unmet.size(); ++i) {
        const Time at = impl_->unmet.row(i).at;
        if (at >= p.start && at < p.end) out.push_back(impl_->unmet.get(i));
    }
    return out;
}

std::pair<greg::date, greg::date> period_containing(SeriesPeriod k, greg::date d) {
    if (d.is_special()) throw Error(ErrorCode::invalid, "date: is not a date");
    switch (k) {
        case SeriesPeriod::day: return {d, d + greg::days(1)};
        case SeriesPeriod::week: {
            const greg::date monday = d - greg::days((d.day_of_week().as_number() + 6) % 7);
            return {monday, monday + greg::days(7)};
        }
        case SeriesPeriod::month: {
            const greg::date first(d.year(), d.month(), 1);
            return {first, first + greg::months(1)};
        }
        case SeriesPeriod::quarter: {
            const greg::date first(d.year(), static_cast<unsigned short>((d.month() - 1) / 3 * 3 + 1), 1);
            return {first, first + greg::months(3)};
        }
        case SeriesPeriod::year: {
            const greg::date first(d.year(), 1, 1);
            return {first, greg::date(static_cast<unsigned short>(d.year() + 1), 1, 1)};
        }
    }
    throw Error(ErrorCode::invalid, "period: " + std::to_string(static_cast<int>(k)) + " is not a period kind");
}

namespace {

// The platforms a district, alliance or the city sums.
std::vector<std::int64_t> platforms_of(const State& state, StatSubject subject, std::int64_t id) {
    std::vector<std::int64_t> out;
    if (subject == StatSubject::alliance) {
        for (const auto& m : state.alliances.find(AllianceId(id))->members) out.push_back(m.platform.value);
        std::sort(out.begin(), out.end());
        return out;
    }
    for (const auto& [pid, p] : state.platforms.rows()) {
        if (subject == StatSubject::city || p.site == DistrictId(id)) out.push_back(pid.value);
    }
    return out;
}

}  // namespace

std::vector<StatRow> Database::statistics(const StatisticsQuery& q) const {
    const int subject = static_cast<int>(q.subject);
    if (subject < 0 || subject >= stat_subject_count) {
        throw Error(ErrorCode::invalid, "subject: " + std::to_string(subject) + " is not a subject kind");
    }
    const int kind = static_cast<int>(q.period);
    if (kind < 0 || kind >= series_period_count) throw Error(ErrorCode::invalid, "period: " + std::to_string(kind) + " is not a period kind");
    if (q.from.is_special() || q.to.is_special()) throw Error(ErrorCode::invalid, "from / to: must be dates");
    if (q.to < q.from) {
        throw Error(ErrorCode::invalid, "period reversed: to " + greg::to_iso_extended_string(q.to) + " is before from " +
                                            greg::to_iso_extended_string(q.from));
    }
    const auto& state = impl_->state;
    std::vector<std::int64_t> ids = q.ids;
    const auto check = [&](auto table, auto id_of) {
        if (ids.empty()) {
            for (const auto& [id, row] : table.rows()) ids.push_back(id.value);
        }
        for (auto id : ids) impl_->require_exists(id_of(id));
    };
    switch (q.subject) {
        case StatSubject::equipment: check(state.equipment, [](std::int64_t v) { return EquipmentId(v); }); break;
        case StatSubject::platform: check(state.platforms, [](std::int64_t v) { return PlatformId(v); }); break;
        case StatSubject::zone: check(state.zones, [](std::int64_t v) { return ZoneId(v); }); break;
        case StatSubject::district: check(state.districts, [](std::int64_t v) { return DistrictId(v); }); break;
        case StatSubject::alliance: check(state.alliances, [](std::int64_t v) { return AllianceId(v); }); break;
        case StatSubject::city: ids = {0}; break;
    }
    std::sort(ids.begin(), ids.end());   // rows come subject by subject in id order, each once
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    std::vector<std::pair<greg::date, greg::date>> periods;
    for (auto p = period_containing(q.period, q.from); p.first <= q.to; p = period_containing(q.period, p.second)) {
        periods.push_back(p);
        if (periods.size() * ids.size() > max_rows) {
            throw Error(ErrorCode::invalid, "statistics: more than " + std::to_string(max_rows) +
                                                " rows asked for; narrow the subjects or the dates");
        }
    }
    // Equipment by owner, for subjects that sum platforms' equipment.
    const bool by_owner = q.subject != StatSubject::equipment && q.subject != StatSubject::zone;
    const auto owned = by_owner ? impl_->equipment_by_owner() : std::unordered_map<std::int64_t, std::vector<EquipmentId>>{};
    std::vector<StatRow> rows;
    rows.reserve(periods.size() * ids.size());
    for (const auto id : ids) {
        const auto scope = impl_->stat_scope(q.subject, id, owned);
        for (const auto& [start, end] : periods) {
            StatRow row;
            row.subject = q.subject;
            row.id = q.subject == StatSubject::city ? 0 : id;
            row.period = q.period;
            row.start = start;
            row.end = end;
            row.figures = impl_->stat_figures(scope, static_cast<std::int32_t>(days_from_date(start)),
                                              static_cast<std::int32_t>(days_from_date(end)));
            rows.push_back(row);
        }
    }
    return rows;
}

std::unordered_map<std::int64_t, std::vector<EquipmentId>> Database::Impl::equipment_by_owner() const {
    std::unordered_map<std::int64_t, std::vector<EquipmentId>> owned;
    for (const auto& [eid, e] : state.equipment.rows()) owned[e.owner.value].push_back(eid);
    return owned;
}

Database::Impl::StatScope Database::Impl::stat_scope(StatSubject subject, std::int64_t id,
                                                     const std::unordered_map<std::int64_t, std::vector<EquipmentId>>& owned) const {
    StatScope scope;
    scope.parts = {id};
    scope.city = subject == StatSubject::city;
    if (subject == StatSubject::equipment) {
        scope.level = stats::Level::equipment;
        scope.equipment.push_back(EquipmentId(id));
        return scope;
    }
    if (subject == StatSubject::zone) {
        scope.level = stats::Level::zone;
        return scope;
    }
    if (subject != StatSubject::platform) scope.parts = platforms_of(state, subject, id);
    for (const auto part : scope.parts) {
        if (const auto it = owned.find(part); it != owned.end()) scope.equipment.insert(scope.equipment.end(), it->second.begin(), it->second.end());
    }
    return scope;
}

StatFigures Database::Impl::stat_figures(const StatScope& scope, std::int32_t d0, std::int32_t d1) const {
    if (!counters_current()) rebuild_counters();
    stats::Cell c;
    for (const auto part : scope.parts) c.add(counters.sum(scope.level, part, d0, d1), +1);
    StatFigures f;
    f.bookings = c.bookings;
    f.cancellations = c.cancellations;
    f.no_shows = c.no_shows;
    f.rejections = c.rejections;
    f.booked_seconds = c.booked_seconds;
    f.used_seconds = c.used_seconds;
    f.external_seconds = c.external_seconds;
    f.revenue = c.revenue;
    f.voucher_spend = c.voucher_spend;
    f.requests_received = c.requests_received;
    f.requests_served = c.requests_served;
    f.referred_in = c.referred_in;
    f.referred_out = c.referred_out;
    f.unmet = c.unmet;
    const auto reach = scope.city ? counters.reach(stats::Level::city, {0}, d0, d1) : counters.reach(scope.level, scope.parts, d0, d1);
    f.enterprises_served = reach.served;
    f.new_enterprises = reach.first_time;
    const Period window{day_start(d0), day_start(d1)};
    for (const auto e : scope.equipment) {
        ensure_bookable(e);
        f.open_seconds += engine.open_minutes(e, window) * 60 * state.equipment.find(e)->capacity_units;
    }
    return f;
}

}  // namespace psp
