// Database::refresh (issue 17): a second connection catches up on what the first committed by
// reading the journal rows it has not seen, and ends exactly where a fresh open would. Runs on
// SQLite and, in postgres_suite, on PostgreSQL.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "fixtures.hpp"
#include "psp/database.hpp"

using namespace psp;
using namespace psp::test;

namespace {

constexpr Time H = 3600, D = 86400;
constexpr Time monday_cst = 1740931200;   // 2025-03-03 00:00 Asia/Shanghai
const Actor office = Actor::office();

struct TwoHosts {
    TempFile file{"refresh"};
    ManualClock clock;
    Database a = open();
    SmallNetwork n = priced_network(a);
    Database b = open();   // the other district system, loaded after the network

    TwoHosts() { clock.set(monday_cst); }
    static SmallNetwork priced_network(Database& db) {
        SmallNetwork net = build_small_network(db);
        db.set_tariff(Actor::operator_of(net.tech), net.sem1, Tariff{12'000, 30'000, 0, 0, true});
        db.set_tariff(Actor::operator_of(net.quality), net.sem2, Tariff{8'000, 20'000, 0, 0, true});
        return net;
    }
    Database open() { return Database::open(file.str(), clock.options()); }
    BookingRequest at(EquipmentId e, EnterpriseId who, int day, int hour) const {
        const Time s = monday_cst + day * D + hour * H;
        return {e, who, {s, s + H}, 1, {}, {}};
    }
    ServiceRequest sem_for(EnterpriseId who, int day) const {
        ServiceRequest q;
        q.enterprise = who;
        q.equipment_class = n.sem;
        q.window = {monday_cst + day * D + 9 * H, monday_cst + day * D + 12 * H};
        q.minutes = 60;
        return q;
    }
};

// changed_elsewhere() on PostgreSQL hears of another session's commit by a notification that may
// arrive a moment after that commit returned: ask until it does (or 5 s pass).
bool hears_of_change(const Database& db) {
    for (int i = 0; i < 1000; ++i) {
        if (db.changed_elsewhere()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
}

// Everything a model answers about the ledger, to compare two models.
void check_same_ledger(const Database& x, const Database& y, const SmallNetwork& n) {
    const Period week{monday_cst - 7 * D, monday_cst + 21 * D};
    for (const auto e : {n.sem1, n.sem2, n.printer1}) CHECK(x.bookings_of(e, week) == y.bookings_of(e, week));
    CHECK(x.served_requests(week) == y.served_requests(week));
    CHECK(x.unmet_requests(week) == y.unmet_requests(week));
    CHECK(x.settlement_ledger(week) == y.settlement_ledger(week));
    StatisticsQuery q;
    q.subject = StatSubject::platform;
    q.period = SeriesPeriod::week;
    q.from = boost::gregorian::date(2025, 3, 1);
    q.to = boost::gregorian::date(2025, 3, 20);
    CHECK(x.statistics(q) == y.statistics(q));
    CHECK(journal_lines(x.journal()) == journal_lines(y.journal()));
}

}  // namespace

TEST_CASE("refresh catches up on bookings, cancellations and requests made elsewhere", "[refresh]") {
    TwoHosts h;
    CHECK_FALSE(h.b.changed_elsewhere());
    CHECK(h.b.refresh().journal_rows == 0);

    const auto acme = Actor::enterprise_self(h.n.acme), bolt = Actor::enterprise_self(h.n.bolt);
    auto first = h.a.book(acme, h.at(h.n.sem2, h.n.acme, 1, 9));
    REQUIRE(first);
    REQUIRE(h.a.book(bolt, h.at(h.n.sem1, h.n.bolt, 1, 10)));
    REQUIRE(h.a.book(acme, h.at(h.n.sem2, h.n.acme, 2, 9)));
    h.a.cancel(acme, first.booking->id);
    REQUIRE(h.a.fulfil(bolt, h.sem_for(h.n.bolt, 3)).served);
    ServiceRequest nothing = h.sem_for(h.n.acme, 3);
    nothing.equipment_class = h.n.printer;
    nothing.price_ceiling = 0;
    nothing.window = {monday_cst - 3 * D, monday_cst - 3 * D + 2 * H};   // in the past: nothing fits
    h.a.fulfil(acme, nothing);

    CHECK(hears_of_change(h.b));
    // b's model is stale: its change is refused before anything is written.
    CHECK_THROWS_MATCHES(h.b.book(acme, h.at(h.n.sem2, h.n.acme, 1, 9)), Error, IsError(ErrorCode::busy, {"refresh()"}));
    const auto caught = h.b.refresh();
    CHECK(caught.journal_rows >= 6);
    CHECK_FALSE(caught.reloaded);   // only the ledger changed: read row by row
    CHECK_FALSE(h.b.changed_elsewhere());
    CHECK(h.b.refresh().journal_rows == 0);
    check_same_ledger(h.b, h.a, h.n);
    check_same_ledger(h.b, h.open(), h.n);

    // b writes on the caught-up model: the cancelled slot is free again, the taken one is not.
    REQUIRE(h.b.book(bolt, h.at(h.n.sem2, h.n.bolt, 1, 9)));
    CHECK_FALSE(h.b.book(bolt, h.at(h.n.sem2, h.n.bolt, 2, 9)));
    // Its own commits are not news to it, and a's refresh takes them in.
    CHECK_FALSE(h.b.changed_elsewhere());
    CHECK(h.b.refresh().journal_rows == 0);
    CHECK(hears_of_change(h.a));
    const auto back = h.a.refresh();
    CHECK(back.journal_rows >= 1);
    CHECK_FALSE(back.reloaded);
    check_same_ledger(h.a, h.b, h.n);
}

TEST_CASE("refresh reloads when the network or a setting changed elsewhere", "[refresh]") {
    TwoHosts h;
    const auto fuyang = h.a.add(office, District{{}, "Fuyang", 0, 0});
    BookingRules rules;
    rules.approval_required = true;
    h.a.set_booking_rules(Actor::operator_of(h.n.quality), h.n.sem2, rules);
    REQUIRE(h.a.book(Actor::enterprise_self(h.n.acme), h.at(h.n.sem2, h.n.acme, 1, 9)));
    const auto caught = h.b.refresh();
    CHECK(caught.journal_rows == 3);
    CHECK(caught.reloaded);
    CHECK(h.b.get(fuyang).name == "Fuyang");
    CHECK(h.b.snapshot() == h.a.snapshot());
    CHECK(h.b.booking_rules(h.n.sem2).approval_required);
    check_same_ledger(h.b, h.a, h.n);
    // The refreshed model books under the new rule.
    auto pending = h.b.book(Actor::enterprise_self(h.n.bolt), h.at(h.n.sem2, h.n.bolt, 1, 11));
    REQUIRE(pending);
    CHECK(pending.booking->status == BookingStatus::pending);
}

TEST_CASE("refresh is refused inside a transaction and changes nothing there", "[refresh]") {
    TwoHosts h;
    REQUIRE(h.a.book(Actor::enterprise_self(h.n.acme), h.at(h.n.sem2, h.n.acme, 1, 9)));
    CHECK_THROWS_MATCHES(h.b.begin_transaction(), Error, IsError(ErrorCode::busy, {"another connection"}));
    CHECK_FALSE(h.b.in_transaction());
    h.b.refresh();
    h.b.begin_transaction();
    CHECK_THROWS_MATCHES(h.b.refresh(), Error, IsError(ErrorCode::refused, {"transaction is open"}));
    h.b.rollback_transaction();
    check_same_ledger(h.b, h.a, h.n);
}

TEST_CASE("refresh takes in voucher redemptions and the refunds of bookings cancelled elsewhere", "[refresh]") {
    TwoHosts h;
    const VoucherSchemeId scheme = h.a.add_voucher_scheme(office, zhejiang_county_example());
    h.b.refresh();   // the scheme is a setting: b reloads once to know it
    auto with_voucher = h.at(h.n.sem1, h.n.acme, 2, 9);
    with_voucher.voucher = scheme;
    const auto booked = h.a.book(office, with_voucher);
    REQUIRE(booked);
    const Fen paid = h.a.price_of(booked.booking->id).voucher_pays;
    REQUIRE(paid > 0);

    auto caught = h.b.refresh();
    CHECK_FALSE(caught.reloaded);
    CHECK(h.b.voucher_account(h.n.acme, scheme, 2025).used == paid);
    CHECK(h.b.price_of(booked.booking->id) == h.a.price_of(booked.booking->id));

    h.a.cancel(office, booked.booking->id);
    caught = h.b.refresh();
    CHECK(caught.journal_rows == 1);
    CHECK_FALSE(caught.reloaded);
    CHECK(h.b.voucher_account(h.n.acme, scheme, 2025).used == 0);
    const Period march{monday_cst, monday_cst + 30 * D};
    CHECK(h.b.voucher_redemptions(scheme, march) == h.a.voucher_redemptions(scheme, march));
    check_same_ledger(h.b, h.a, h.n);
    check_same_ledger(h.b, h.open(), h.n);
}

TEST_CASE("refresh reloads after waiting-list changes elsewhere and ends as a fresh open", "[refresh]") {
    TwoHosts h;
    const auto acme = Actor::enterprise_self(h.n.acme), bolt = Actor::enterprise_self(h.n.bolt);
    const auto first = h.a.book(acme, h.at(h.n.sem2, h.n.acme, 1, 9));
    REQUIRE(first);
    h.a.join_waitlist(bolt, h.at(h.n.sem2, h.n.bolt, 1, 9));
    h.a.cancel(acme, first.booking->id);   // frees the slot: bolt's entry is promoted to a booking
    const auto caught = h.b.refresh();
    CHECK(caught.reloaded);
    const auto mine = h.b.waitlist(h.n.sem2), theirs = h.a.waitlist(h.n.sem2);
    REQUIRE(mine.size() == theirs.size());
    for (std::size_t i = 0; i < mine.size(); ++i) {
        CHECK(mine[i].id == theirs[i].id);
        CHECK(mine[i].status == theirs[i].status);
        CHECK(mine[i].booking == theirs[i].booking);
    }
    check_same_ledger(h.b, h.a, h.n);
}

TEST_CASE("changed_elsewhere and refresh with nothing new change nothing", "[refresh]") {
    TwoHosts h;
    for (int i = 0; i < 3; ++i) {
        CHECK_FALSE(h.b.changed_elsewhere());
        const auto r = h.b.refresh();
        CHECK(r.journal_rows == 0);
        CHECK_FALSE(r.reloaded);
    }
}
