// Monitoring statistics (§4.2 常态化统计制度): figures checked by hand on a small history, period
// kinds that add up, and the counters kept incrementally equal to a rebuild from the whole ledger on
// random histories of bookings, cancellations, approvals, check-ins, no-shows and routed requests.
#include <catch2/catch.hpp>

#include <random>

#include <boost/date_time/gregorian/gregorian.hpp>

#include "fixtures.hpp"
#include "stats/counters.hpp"
#include "psp/database.hpp"

using namespace psp;
using namespace psp::test;
namespace greg = boost::gregorian;

namespace {

constexpr Time H = 3600, D = 86400;
constexpr Time monday_cst = 1740931200;   // 2025-03-03 00:00 Asia/Shanghai
const Actor office = Actor::office();

greg::date day(int y, int m, int d) {
    return {static_cast<unsigned short>(y), static_cast<unsigned short>(m), static_cast<unsigned short>(d)};
}

struct World {
    ManualClock clock;
    Database db;
    SmallNetwork n;
    explicit World(bool keep = true) : db(open(keep)), n(build_small_network(db)) {}
    Database open(bool keep) {
        clock.set(monday_cst);
        auto o = clock.options();
        o.statistics = keep;
        return Database::open(":memory:", o);
    }
    BookingRequest at(EquipmentId e, EnterpriseId who, int d, int hour, int hours = 1, int units = 1) const {
        const Time s = monday_cst + d * D + hour * H;
        return {e, who, {s, s + hours * H}, units, {}, {}};
    }
};

StatisticsQuery query(StatSubject s, SeriesPeriod p, greg::date from, greg::date to, std::vector<std::int64_t> ids = {}) {
    return {s, std::move(ids), p, from, to};
}

// Every subject kind, by day, over the weeks the random histories touch.
std::vector<StatRow> everything(const Database& db) {
    std::vector<StatRow> all;
    for (int s = 0; s < stat_subject_count; ++s) {
        auto rows = db.statistics(query(static_cast<StatSubject>(s), SeriesPeriod::day, day(2025, 3, 1), day(2025, 4, 15)));
        all.insert(all.end(), rows.begin(), rows.end());
    }
    return all;
}

}  // namespace

TEST_CASE("§4.2 statistics of a small history, checked by hand", "[statistics]") {
    World w;
    auto& db = w.db;
    // Tuesday 2025-03-04: Acme 2 h on SEM-1 (its zone is served by the tech backbone), Bolt 1 h with
    // both units (Bolt's zone is not: external). Thursday: Acme 1 h, cancelled. Next Monday: Acme 1 h.
    const auto a = db.book(office, w.at(w.n.sem1, w.n.acme, 1, 9, 2));
    const auto b = db.book(office, w.at(w.n.sem1, w.n.bolt, 1, 14, 1, 2));
    const auto c = db.book(office, w.at(w.n.sem1, w.n.acme, 3, 9));
    const auto d = db.book(office, w.at(w.n.sem1, w.n.acme, 7, 10));
    REQUIRE((a && b && c && d));
    db.cancel(office, c.booking->id);
    w.clock.set(monday_cst + 1 * D + 9 * H);
    db.check_in(office, a.booking->id);
    db.complete(office, a.booking->id);

    const auto week = db.statistics(query(StatSubject::platform, SeriesPeriod::week, day(2025, 3, 3), day(2025, 3, 9), {w.n.tech.value}));
    REQUIRE(week.size() == 1);
    CHECK(week[0].start == day(2025, 3, 3));
    CHECK(week[0].end == day(2025, 3, 10));
    const auto& f = week[0].figures;
    CHECK(f.bookings == 3);
    CHECK(f.cancellations == 1);
    CHECK(f.booked_seconds == 2 * H + 2 * H);   // Acme 2 h × 1 unit, Bolt 1 h × 2 units
    CHECK(f.used_seconds == 2 * H);
    CHECK(f.external_seconds == 2 * H);          // Bolt's
    CHECK(f.external_share() == Approx(0.5));
    CHECK(f.enterprises_served == 2);
    CHECK(f.new_enterprises == 2);
    // SEM-1 (2 units) opens on the standard working week (7.5 h a day, Monday to Friday).
    CHECK(f.open_seconds == 5 * 7 * H * 2 + 5 * H);
    CHECK(f.open_seconds == db.utilisation(w.n.tech, {monday_cst, monday_cst + 7 * D}).open_seconds);
    CHECK(f.utilisation() == Approx(4.0 / 75.0));

    // The next week: Acme again, not new any more.
    const auto next = db.statistics(query(StatSubject::platform, SeriesPeriod::week, day(2025, 3, 10), day(2025, 3, 10), {w.n.tech.value}));
    REQUIRE(next.size() == 1);
    CHECK(next[0].figures.bookings == 1);
    CHECK(next[0].figures.enterprises_served == 1);
    CHECK(next[0].figures.new_enterprises == 0);

    // The month sums the weeks; the zone of the demand side counts its own enterprises only.
    const auto month = db.statistics(query(StatSubject::platform, SeriesPeriod::month, day(2025, 3, 1), day(2025, 3, 31), {w.n.tech.value}));
    REQUIRE(month.size() == 1);
    CHECK(month[0].figures.bookings == 4);
    CHECK(month[0].figures.booked_seconds == 5 * H);
    CHECK(month[0].figures.enterprises_served == 2);
    const auto z2 = db.statistics(query(StatSubject::zone, SeriesPeriod::month, day(2025, 3, 1), day(2025, 3, 1), {w.n.z2.value}));
    CHECK(z2[0].figures.bookings == 1);
    CHECK(z2[0].figures.booked_seconds == 2 * H);
    // District d1 hosts the tech backbone; the city is everything; the quality centre saw nothing.
    const auto city = db.statistics(query(StatSubject::city, SeriesPeriod::year, day(2025, 1, 1), day(2025, 12, 31)));
    REQUIRE(city.size() == 1);
    CHECK(city[0].id == 0);
    CHECK(city[0].figures.bookings == 4);
    const auto d1 = db.statistics(query(StatSubject::district, SeriesPeriod::year, day(2025, 1, 1), day(2025, 1, 1), {w.n.d1.value}));
    CHECK(d1[0].figures.bookings == 4);
    CHECK(d1[0].figures.booked_seconds == city[0].figures.booked_seconds);
    CHECK(d1[0].figures.open_seconds < city[0].figures.open_seconds);   // the city has more equipment
    CHECK(db.statistics(query(StatSubject::platform, SeriesPeriod::year, day(2025, 1, 1), day(2025, 1, 1), {w.n.quality.value}))[0].figures.bookings == 0);
    // Daily rows, one per day, in order.
    const auto days = db.statistics(query(StatSubject::equipment, SeriesPeriod::day, day(2025, 3, 3), day(2025, 3, 9), {w.n.sem1.value}));
    REQUIRE(days.size() == 7);
    CHECK(days[1].figures.bookings == 2);
    CHECK(days[3].figures.cancellations == 1);
    CHECK(days[5].figures.open_seconds == 0);   // Saturday
}

TEST_CASE("§4.2 statistics: bad queries are refused with the reason", "[statistics]") {
    World w;
    auto& db = w.db;
    CHECK_THROWS_MATCHES(db.statistics(query(StatSubject::platform, SeriesPeriod::month, day(2025, 3, 1), day(2025, 2, 1))), Error,
                         IsError(ErrorCode::invalid, {"reversed"}));
    CHECK_THROWS_MATCHES(db.statistics(query(StatSubject::platform, SeriesPeriod::month, day(2025, 3, 1), day(2025, 3, 1), {99})), Error,
                         IsError(ErrorCode::not_found));
    CHECK_THROWS_MATCHES(db.statistics(query(static_cast<StatSubject>(9), SeriesPeriod::month, day(2025, 3, 1), day(2025, 3, 1))), Error,
                         IsError(ErrorCode::invalid, {"subject"}));
    CHECK_THROWS_MATCHES(db.statistics(query(StatSubject::city, static_cast<SeriesPeriod>(7), day(2025, 3, 1), day(2025, 3, 1))), Error,
                         IsError(ErrorCode::invalid, {"period"}));
    CHECK_THROWS_MATCHES(db.statistics(query(StatSubject::equipment, SeriesPeriod::day, day(1700, 1, 1), day(2025, 1, 1))), Error,
                         IsError(ErrorCode::invalid, {"rows"}));
    CHECK_THROWS_MATCHES(db.statistics(query(StatSubject::city, SeriesPeriod::day, greg::date(), day(2025, 1, 1))), Error,
                         IsError(ErrorCode::invalid));
}

TEST_CASE("§4.2 period kinds add up: weeks, months, quarters and a year of the same history", "[statistics]") {
    World w;
    auto& db = w.db;
    std::mt19937 rng(7);
    for (int i = 0; i < 60; ++i) {
        const auto who = rng() % 2 ? w.n.acme : w.n.bolt;
        (void)db.book(office, w.at(w.n.sem1, who, static_cast<int>(rng() % 30), 9 + static_cast<int>(rng() % 7)));
    }
    const auto sum_bookings = [&](SeriesPeriod p) {
        std::int64_t n = 0;
        for (const auto& r : db.statistics(query(StatSubject::city, p, day(2025, 1, 1), day(2025, 12, 31)))) n += r.figures.bookings;
        return n;
    };
    const auto total = sum_bookings(SeriesPeriod::year);
    CHECK(total > 20);
    CHECK(sum_bookings(SeriesPeriod::quarter) == total);
    CHECK(sum_bookings(SeriesPeriod::month) == total);
    CHECK(sum_bookings(SeriesPeriod::day) == total);
}

TEST_CASE("§4.2 counters kept incrementally equal a rebuild from the ledger on random histories", "[statistics]") {
    for (std::uint32_t seed = 1; seed <= 12; ++seed) {
        INFO("seed " << seed);
        World w;
        auto& db = w.db;
        std::mt19937 rng(seed);
        std::vector<BookingId> made;
        const std::vector<EquipmentId> equipment{w.n.sem1, w.n.sem2, w.n.printer1};
        const std::vector<EnterpriseId> firms{w.n.acme, w.n.bolt};
        Tariff tariff;
        tariff.member_rate = 20'000;
        tariff.external_rate = 30'000;
        tariff.late_cancel_fee = 5'000;
        db.set_tariff(office, w.n.sem1, tariff);
        CHECK(everything(db).size() > 0);   // the counters are built now: what follows is counted as it happens
        for (int step = 0; step < 150; ++step) {
            const auto pick = rng() % 10;
            if (pick < 5 || made.empty()) {
                const auto e = equipment[rng() % equipment.size()];
                const auto who = firms[rng() % firms.size()];
                // A day ahead of the clock, so that the history keeps growing as the clock moves.
                const Time start = (*w.clock.now - monday_cst) / D * D + monday_cst + (1 + static_cast<Time>(rng() % 20)) * D +
                                   (9 + static_cast<Time>(rng() % 6)) * H;
                const auto out = db.book(office, {e, who, {start, start + (1 + static_cast<Time>(rng() % 2)) * H}, 1, {}, {}});
                if (out) made.push_back(out.booking->id);
            } else if (pick < 8) {
                const auto id = made[rng() % made.size()];
                try {
                    switch (rng() % 4) {
                        case 0: db.cancel(office, id); break;
                        case 1: db.check_in(office, id); break;
                        case 2: db.complete(office, id); break;
                        default: db.reject(office, id); break;
                    }
                } catch (const Error&) {
                    // the wrong state for that transition: nothing changed
                }
            } else if (pick < 9) {
                ServiceRequest q;
                q.enterprise = firms[rng() % firms.size()];
                q.equipment_class = rng() % 3 ? w.n.sem : w.n.printer;
                const Time s = *w.clock.now + D;
                q.window = {s, s + (rng() % 2 ? 3 * D : 2 * H)};
                q.minutes = 60;
                q.received_by = rng() % 2 ? w.n.quality : w.n.tech;
                (void)db.fulfil(office, q);
            } else {
                w.clock.set(*w.clock.now + static_cast<Time>(rng() % 3) * D);
                (void)db.mark_no_shows(office);
            }
        }
        const auto kept = everything(db);
        db.rebuild_statistics();
        const auto rebuilt = everything(db);
        REQUIRE(kept.size() == rebuilt.size());
        for (std::size_t i = 0; i < kept.size(); ++i) {
            INFO("subject " << to_string(kept[i].subject) << " " << kept[i].id << " day " << greg::to_iso_extended_string(kept[i].start));
            CHECK(kept[i] == rebuilt[i]);
        }
        // And something happened: the histories are not empty.
        std::int64_t bookings = 0, requests = 0;
        for (const auto& r : rebuilt) {
            if (r.subject == StatSubject::city) {
                bookings += r.figures.bookings;
                requests += r.figures.requests_received;
            }
        }
        CHECK(bookings > 20);
        CHECK(requests > 0);
    }
}

TEST_CASE("§4.2 statistics off while loading, counted on the first read, moving equipment re-attributes it", "[statistics]") {
    World lazy(false);
    World eager(true);
    for (World* w : {&lazy, &eager}) {
        (void)w->db.book(office, w->at(w->n.sem1, w->n.acme, 1, 9));
        (void)w->db.book(office, w->at(w->n.sem1, w->n.bolt, 2, 9));
    }
    CHECK(everything(lazy.db) == everything(eager.db));
    // SEM-1 moves to the quality centre: its bookings count there now.
    auto sem1 = eager.db.snapshot().equipment.front();
    REQUIRE(sem1.id == eager.n.sem1);
    sem1.owner = eager.n.quality;
    eager.db.update(office, sem1);
    const auto q = eager.db.statistics(query(StatSubject::platform, SeriesPeriod::month, day(2025, 3, 1), day(2025, 3, 1),
                                             {eager.n.quality.value, eager.n.tech.value}));
    REQUIRE(q.size() == 2);
    CHECK(q[0].id == eager.n.tech.value);
    CHECK(q[0].figures.bookings == 0);
    CHECK(q[1].figures.bookings == 2);
}

TEST_CASE("§4.2 counters counted in parts and added up equal the counters of the whole (the parallel rebuild)", "[statistics]") {
    std::mt19937 rng(11);
    std::vector<stats::BookingFact> facts;
    for (int i = 0; i < 3000; ++i) {
        stats::BookingFact f;
        f.equipment = 1 + static_cast<std::int64_t>(rng() % 7);
        f.platform = 1 + f.equipment % 3;
        f.zone = 1 + static_cast<std::int64_t>(rng() % 4);
        f.enterprise = 1 + static_cast<std::int64_t>(rng() % 50);
        f.day = 20000 + static_cast<std::int32_t>(rng() % 90);
        f.status = static_cast<BookingStatus>(rng() % booking_status_count);
        f.unit_seconds = 3600 * (1 + static_cast<std::int64_t>(rng() % 3));
        f.external = rng() % 2 == 0;
        f.gross = static_cast<Fen>(rng() % 50'000);
        f.voucher = f.gross / 3;
        f.fee = 500;
        facts.push_back(f);
    }
    stats::Counters whole, first, second;
    for (std::size_t i = 0; i < facts.size(); ++i) {
        whole.add(facts[i], +1);
        (i < 1700 ? first : second).add(facts[i], +1);
    }
    stats::RequestFact r{1, 2, 3, 20010, true};
    whole.add(r, +1);
    second.add(r, +1);
    CHECK_FALSE(first == whole);
    first.absorb(std::move(second));
    CHECK(first == whole);
    CHECK(first.sum(stats::Level::platform, 2, 20000, 20090).booked_seconds == whole.sum(stats::Level::platform, 2, 20000, 20090).booked_seconds);
    const auto a = first.reach(stats::Level::city, {0}, 20030, 20060);
    const auto b = whole.reach(stats::Level::city, {0}, 20030, 20060);
    CHECK(a.served == b.served);
    CHECK(a.first_time == b.first_time);
    CHECK(a.served > 0);
}
