// Booking through psp::Database: permissions, write-through and reload of bookings, rules,
// calendars and training; refusals and failures leave memory, journal and file unchanged.
#include <catch2/catch.hpp>

#include <limits>

#include "fixtures.hpp"
#include "psp/database.hpp"

using namespace psp;
using namespace psp::test;

namespace {

constexpr Time H = 3600, D = 86400;
constexpr Time monday_cst = 1740931200;   // 2025-03-03 00:00 Asia/Shanghai
const Actor office = Actor::office();

struct BookingWorld {
    TempFile file{"booking"};
    ManualClock clock;
    Database db = open();
    SmallNetwork n = build_small_network(db);

    BookingWorld() { clock.set(monday_cst); }
    Database open() { return Database::open(file.str(), clock.options()); }
    BookingRequest at(EquipmentId e, EnterpriseId who, int day, int hour, int hours = 1) const {
        const Time s = monday_cst + day * D + hour * H;
        return {e, who, {s, s + hours * H}, 1, {}, {}};
    }
};

}  // namespace

TEST_CASE("bookings are written through and come back after reopening", "[booking][database]") {
    BookingWorld w;
    auto& db = w.db;
    BookingRules rules;
    rules.approval_required = true;
    rules.late_cancel_fee = 8000;
    db.set_booking_rules(Actor::operator_of(w.n.tech), w.n.sem1, rules);
    Calendar cal = Calendar::standard_working_week();
    cal.closures.push_back({{monday_cst + 4 * D, monday_cst + 5 * D}, "maintenance"});
    db.set_calendar(Actor::operator_of(w.n.tech), w.n.tech, cal);
    db.set_training(Actor::operator_of(w.n.tech), w.n.acme, w.n.sem, true);

    auto a = db.book(Actor::enterprise_self(w.n.acme), w.at(w.n.sem1, w.n.acme, 3, 9));
    REQUIRE(a);
    CHECK(a.booking->status == BookingStatus::pending);
    CHECK(db.approve(Actor::operator_of(w.n.tech), a.booking->id).status == BookingStatus::confirmed);
    auto b = db.book(Actor::enterprise_self(w.n.bolt), w.at(w.n.sem1, w.n.bolt, 2, 14, 2));
    REQUIRE(b);
    w.clock.set(monday_cst + 2 * D + 13 * H);   // an hour before: late
    CHECK(db.cancel(Actor::enterprise_self(w.n.bolt), b.booking->id).cancellation_fee == 8000);
    auto closed = db.book(Actor::enterprise_self(w.n.acme), w.at(w.n.sem1, w.n.acme, 4, 9));
    CHECK(closed.refused_by == BookingRule::opening_hours);

    const auto bookings = db.bookings_of(w.n.sem1, {monday_cst, monday_cst + 7 * D});
    REQUIRE(bookings.size() == 2);
    const auto journal_size = db.journal().size();
    db = Database::open(":memory:");   // close the file
    auto again = w.open();
    CHECK(again.bookings_of(w.n.sem1, {monday_cst, monday_cst + 7 * D}) == bookings);
    CHECK(again.booking_rules(w.n.sem1) == rules);
    CHECK(again.calendar(w.n.tech) == cal);
    CHECK(again.calendar(w.n.sem1) == cal);
    CHECK(again.trained(w.n.acme, w.n.sem));
    CHECK_FALSE(again.trained(w.n.bolt, w.n.sem));
    CHECK(again.journal().size() == journal_size);
    JournalQuery q;
    q.entity = EntityKind::booking;
    q.entity_id = a.booking->id.value;
    CHECK(again.journal(q).size() == 2);   // add, approve
    // The reloaded ledger still enforces capacity: SEM-1 has 2 units; the pending-then-confirmed
    // booking holds one, so one more fits and a third does not.
    CHECK(again.book(office, w.at(w.n.sem1, w.n.acme, 3, 9)));
    CHECK(again.book(office, w.at(w.n.sem1, w.n.bolt, 3, 9)).refused_by == BookingRule::capacity);
}

TEST_CASE("booking permissions follow the actor", "[booking][database]") {
    BookingWorld w;
    auto& db = w.db;
    const auto req = w.at(w.n.sem1, w.n.acme, 1, 9);
    PSP_CHECK_REFUSED(db, db.book(Actor::enterprise_self(w.n.bolt), req), IsError(ErrorCode::permission, {"book"}));
    PSP_CHECK_REFUSED(db, db.book(Actor::anyone(), req), IsError(ErrorCode::permission));
    PSP_CHECK_REFUSED(db, db.book(Actor::operator_of(w.n.quality), req), IsError(ErrorCode::permission));
    auto ok = db.book(Actor::operator_of(w.n.tech), req);   // on behalf, on its own equipment
    REQUIRE(ok);
    const auto id = ok.booking->id;
    PSP_CHECK_REFUSED(db, db.cancel(Actor::enterprise_self(w.n.bolt), id), IsError(ErrorCode::permission));
    PSP_CHECK_REFUSED(db, db.check_in(Actor::enterprise_self(w.n.acme), id), IsError(ErrorCode::permission, {"handle_booking"}));
    PSP_CHECK_REFUSED(db, db.set_booking_rules(Actor::operator_of(w.n.quality), w.n.sem1, {}), IsError(ErrorCode::permission));
    PSP_CHECK_REFUSED(db, db.mark_no_shows(Actor::operator_of(w.n.tech)), IsError(ErrorCode::permission));
    PSP_CHECK_REFUSED(db, db.set_training(Actor::enterprise_self(w.n.acme), w.n.acme, w.n.sem, true),
                      IsError(ErrorCode::permission));
    CHECK(db.cancel(Actor::enterprise_self(w.n.acme), id).status == BookingStatus::cancelled);
}

TEST_CASE("bad booking input is an error or a refusal and changes nothing", "[booking][database]") {
    BookingWorld w;
    auto& db = w.db;
    const Actor acme = Actor::enterprise_self(w.n.acme);
    auto reversed = w.at(w.n.sem1, w.n.acme, 1, 9);
    std::swap(reversed.period.start, reversed.period.end);
    PSP_CHECK_REFUSED(db, db.book(acme, reversed), IsError(ErrorCode::invalid, {"period"}));
    PSP_CHECK_REFUSED(db, db.book(acme, w.at(EquipmentId(99), w.n.acme, 1, 9)), IsError(ErrorCode::not_found, {"equipment"}));
    PSP_CHECK_REFUSED(db, db.book(office, w.at(w.n.sem1, EnterpriseId(99), 1, 9)), IsError(ErrorCode::not_found, {"enterprise"}));
    PSP_CHECK_REFUSED(db, db.cancel(acme, BookingId(5)), IsError(ErrorCode::not_found, {"booking"}));
    BookingRules silly;
    silly.late_cancel_fee = -5;
    PSP_CHECK_REFUSED(db, db.set_booking_rules(office, w.n.sem1, silly), IsError(ErrorCode::invalid, {"late_cancel_fee"}));
    Calendar bad = Calendar::standard_working_week();
    bad.time_zone = "Mars/Olympus";
    PSP_CHECK_REFUSED(db, db.set_calendar(office, w.n.tech, bad), IsError(ErrorCode::invalid, {"time_zone"}));

    // Refusals are values; they change nothing either.
    const Saved before(db);
    auto past = db.book(acme, w.at(w.n.sem1, w.n.acme, -1, 9));
    CHECK(past.refused_by == BookingRule::in_past);
    auto off_grid = w.at(w.n.sem1, w.n.acme, 1, 9);
    off_grid.period.start += 600;
    CHECK(db.book(acme, off_grid).refused_by == BookingRule::slot_grid);
    CHECK(db.book(acme, w.at(w.n.sem1, w.n.acme, 5, 9)).refused_by == BookingRule::opening_hours);   // Saturday
    before.check_unchanged(db);

    auto ok = db.book(acme, w.at(w.n.sem1, w.n.acme, 1, 9));
    REQUIRE(ok);
    db.cancel(acme, ok.booking->id);
    PSP_CHECK_REFUSED(db, db.cancel(acme, ok.booking->id), IsError(ErrorCode::refused, {"cancelled"}));
}

TEST_CASE("equipment or enterprises with bookings cannot be removed", "[booking][database]") {
    BookingWorld w;
    auto& db = w.db;
    REQUIRE(db.book(office, w.at(w.n.sem1, w.n.acme, 1, 9)));
    PSP_CHECK_REFUSED(db, db.remove(office, w.n.sem1), IsError(ErrorCode::refused, {"1 booking(s)"}));
    PSP_CHECK_REFUSED(db, db.remove(office, w.n.acme), IsError(ErrorCode::refused, {"1 booking(s)"}));
    db.remove(office, w.n.printer1);   // no bookings: fine
}

TEST_CASE("a suspended platform's equipment cannot be booked, free slots, earliest slot, utilisation", "[booking][database]") {
    BookingWorld w;
    auto& db = w.db;
    auto quality = db.get(w.n.quality);
    quality.status = PlatformStatus::suspended;
    db.update(office, quality);
    CHECK(db.book(office, w.at(w.n.sem2, w.n.acme, 1, 9)).refused_by == BookingRule::not_operating);

    REQUIRE(db.book(office, w.at(w.n.printer1, w.n.acme, 1, 9)));   // one of three units, 09:00-10:00
    const Period tuesday{monday_cst + D, monday_cst + 2 * D};
    const auto free = db.free_slots(w.n.printer1, tuesday, 60, 3);   // all three units, an hour or more
    REQUIRE(free.size() == 2);                                       // 08:30-09:00 is too short
    CHECK(free[0] == Period{monday_cst + D + 10 * H, monday_cst + D + 12 * H});
    CHECK(free[1] == Period{monday_cst + D + 13 * H + 1800, monday_cst + D + 17 * H + 1800});
    auto earliest = db.earliest_slot({w.n.printer1, w.n.sem1}, {monday_cst + D + 9 * H, monday_cst + 2 * D}, 60);
    REQUIRE(earliest);
    CHECK(earliest->second.start == monday_cst + D + 9 * H);
    CHECK(earliest->first == w.n.sem1);   // printer still has units free too, but sem1 has the lower id

    const auto u = db.utilisation(w.n.printer1, tuesday);
    CHECK(u.open_seconds == 3 * (7 * H + 1800));   // 08:30-12:00 and 13:30-17:30, 3 units
    CHECK(u.booked_seconds == H);
    CHECK(u.used_seconds == 0);
}

TEST_CASE("batches and series are written in one transaction and reload exactly", "[booking][database]") {
    BookingWorld w;
    auto& db = w.db;
    const auto out = db.book_batch(office, {w.at(w.n.sem2, w.n.acme, 1, 9), w.at(w.n.sem2, w.n.bolt, 1, 9),
                                            w.at(w.n.sem2, w.n.bolt, 1, 10)});
    REQUIRE(out.size() == 3);
    CHECK(out[0]);
    CHECK(out[1].refused_by == BookingRule::capacity);   // sees the first request of the batch
    CHECK(out[2]);
    Recurrence weekly;
    weekly.count = 3;
    auto series = db.book_series(Actor::enterprise_self(w.n.acme), w.at(w.n.sem1, w.n.acme, 1, 14), weekly,
                                 SeriesMode::skip_conflicts);
    REQUIRE(series.booked.size() == 3);
    w.clock.set(monday_cst + 8 * D);   // after the first occurrence
    const auto cancelled = db.cancel_series(Actor::enterprise_self(w.n.acme), series.series, monday_cst + 8 * D);
    CHECK(cancelled.size() == 2);
    PSP_CHECK_REFUSED(db, db.cancel_series(Actor::enterprise_self(w.n.bolt), series.series, 0), IsError(ErrorCode::permission));
    PSP_CHECK_REFUSED(db, db.cancel_series(office, 999, 0), IsError(ErrorCode::not_found, {"series"}));
    const auto all = db.bookings_of(w.n.sem1, {monday_cst, monday_cst + 30 * D});
    db = Database::open(":memory:");
    auto again = w.open();
    CHECK(again.bookings_of(w.n.sem1, {monday_cst, monday_cst + 30 * D}) == all);
    CHECK(again.bookings_of(w.n.sem2, {monday_cst, monday_cst + 30 * D}).size() == 2);
}

TEST_CASE("a batch with one request the actor may not make changes nothing", "[booking][database]") {
    BookingWorld w;
    auto& db = w.db;
    PSP_CHECK_REFUSED(db, db.book_batch(Actor::enterprise_self(w.n.acme), {w.at(w.n.sem1, w.n.acme, 1, 9), w.at(w.n.sem1, w.n.bolt, 1, 11)}),
                      IsError(ErrorCode::permission));
    auto bad = w.at(w.n.sem1, w.n.acme, 1, 12);
    bad.units = 0;
    PSP_CHECK_REFUSED(db, db.book_batch(office, {w.at(w.n.sem1, w.n.acme, 1, 9), bad}), IsError(ErrorCode::invalid, {"units"}));
    CHECK(db.book(office, w.at(w.n.sem1, w.n.acme, 1, 9)).booking->id == BookingId(1));   // nothing was kept
}

TEST_CASE("the waitlist is promoted when a cancellation frees the time, and persisted", "[booking][database][waitlist]") {
    BookingWorld w;
    auto& db = w.db;
    const auto slot = w.at(w.n.sem2, w.n.acme, 1, 9);
    auto held = db.book(Actor::enterprise_self(w.n.acme), slot);
    REQUIRE(held);
    auto wanted = slot;
    wanted.enterprise = w.n.bolt;
    CHECK(db.book(Actor::enterprise_self(w.n.bolt), wanted).refused_by == BookingRule::capacity);
    const auto entry = db.join_waitlist(Actor::enterprise_self(w.n.bolt), wanted);
    CHECK(entry.status == WaitStatus::waiting);
    const auto other = db.join_waitlist(Actor::enterprise_self(w.n.bolt), w.at(w.n.sem2, w.n.bolt, 2, 9));
    CHECK(db.leave_waitlist(Actor::enterprise_self(w.n.bolt), other.id).status == WaitStatus::withdrawn);
    PSP_CHECK_REFUSED(db, db.leave_waitlist(Actor::enterprise_self(w.n.bolt), other.id), IsError(ErrorCode::refused, {"withdrawn"}));
    PSP_CHECK_REFUSED(db, db.leave_waitlist(Actor::enterprise_self(w.n.acme), entry.id), IsError(ErrorCode::permission));
    CHECK(db.waitlist(w.n.sem2).size() == 1);
    CHECK(db.take_promotions().empty());

    db.cancel(Actor::enterprise_self(w.n.acme), held.booking->id);
    const auto promoted = db.take_promotions();
    REQUIRE(promoted.size() == 1);
    CHECK(promoted[0].id == entry.id);
    CHECK(promoted[0].status == WaitStatus::promoted);
    const Booking now_held = db.get(promoted[0].booking);
    CHECK(now_held.enterprise == w.n.bolt);
    CHECK(now_held.period == slot.period);
    CHECK(db.waitlist(w.n.sem2).empty());
    CHECK(db.take_promotions().empty());

    db = Database::open(":memory:");
    auto again = w.open();
    CHECK(again.get(promoted[0].booking) == now_held);
    CHECK(again.waitlist(w.n.sem2).empty());
    // The reloaded ledger knows the promoted booking holds the slot.
    CHECK(again.book(office, slot).refused_by == BookingRule::capacity);
}

TEST_CASE("free periods are asked for within 1970 .. 2200", "[booking]") {
    // Minutes since the epoch are 32-bit in the engine: a window beyond would wrap, not answer.
    BookingWorld w;
    const Time max = std::numeric_limits<Time>::max();
    for (const Period bad : {Period{-1, monday_cst}, Period{monday_cst, last_supported_time + 1}, Period{monday_cst, max},
                             Period{std::numeric_limits<Time>::min(), max}}) {
        CHECK_THROWS_MATCHES(w.db.free_slots(w.n.sem1, bad, 60), Error, IsError(ErrorCode::invalid, {"2200-01-01"}));
        CHECK_THROWS_MATCHES(w.db.earliest_slot({w.n.sem1}, bad, 60), Error, IsError(ErrorCode::invalid, {"window"}));
    }
    CHECK_FALSE(w.db.free_slots(w.n.sem1, {monday_cst, monday_cst + 7 * D}, 60).empty());
}
