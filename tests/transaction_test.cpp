// Database::transaction: many changes in one SQLite transaction, all kept or none; a change that
// fails inside is undone alone; a failure that leaves the transaction reloads memory from the file.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "fixtures.hpp"
#include "psp/database.hpp"
#include "psp/synth.hpp"

using namespace psp;
using namespace psp::test;

namespace {

constexpr Time H = 3600, D = 86400;
constexpr Time monday_cst = 1740931200;   // 2025-03-03 00:00 Asia/Shanghai
const Actor office = Actor::office();

BookingRequest at(EquipmentId e, EnterpriseId who, int day, int hour) {
    const Time s = monday_cst + day * D + hour * H;
    return {e, who, {s, s + H}, 1, {}, {}};
}

}  // namespace

TEST_CASE("a transaction keeps every change, in memory and in the file", "[database][transaction]") {
    TempFile file("transaction");
    ManualClock clock;
    clock.set(monday_cst);
    {
        auto db = Database::open(file.str(), clock.options());
        const auto n = build_small_network(db);
        const auto journal_before = db.journal().size();
        db.transaction([&] {
            db.add(office, District{{}, "拱墅区", 0, 0});
            db.set_training(office, n.acme, n.sem, true);
            db.transaction([&] { REQUIRE(db.book(office, at(n.sem1, n.acme, 1, 9))); });   // joins
            CHECK(db.districts().size() == 4);   // reads see the changes made so far
        });
        CHECK(db.journal().size() == journal_before + 3);
    }
    auto again = Database::open(file.str(), clock.options());
    CHECK(again.districts().size() == 4);
    CHECK(again.bookings_of(EnterpriseId(again.enterprises().front().id), {monday_cst, monday_cst + 7 * D}).size() == 1);
}

TEST_CASE("an exception leaving the transaction rolls back the file and reloads memory", "[database][transaction]") {
    TempFile file("transaction_rollback");
    ManualClock clock;
    clock.set(monday_cst);
    auto db = Database::open(file.str(), clock.options());
    const auto n = build_small_network(db);
    db.set_training(office, n.acme, n.sem, true);
    REQUIRE(db.book(office, at(n.sem1, n.acme, 1, 9)));
    const Saved before(db);
    const auto bookings_before = db.bookings_of(n.sem1, {monday_cst, monday_cst + 7 * D});

    CHECK_THROWS_AS(db.transaction([&] {
                        db.add(office, District{{}, "拱墅区", 0, 0});
                        REQUIRE(db.book(office, at(n.sem1, n.acme, 2, 9)));
                        db.set_training(office, n.acme, n.sem, false);
                        throw std::runtime_error("the caller changed its mind");
                    }),
                    std::runtime_error);
    before.check_unchanged(db);
    CHECK(db.bookings_of(n.sem1, {monday_cst, monday_cst + 7 * D}) == bookings_before);
    CHECK(db.trained(n.acme, n.sem));
    // The slot of the rolled-back booking is free again, and ids continue where the file does.
    const auto again = db.book(office, at(n.sem1, n.acme, 2, 9));
    REQUIRE(again);
    CHECK(again.booking->id == BookingId(bookings_before.back().id.value + 1));

    // A psp::Error escaping works the same way.
    const Saved before2(db);
    CHECK_THROWS_AS(db.transaction([&] {
                        db.add(office, District{{}, "滨江区", 0, 0});
                        db.remove(office, n.sem1);   // still has bookings: refused
                    }),
                    Error);
    before2.check_unchanged(db);
}

TEST_CASE("a change that fails inside a transaction is undone alone", "[database][transaction]") {
    TempFile file("transaction_inner");
    auto db = Database::open(file.str());
    build_small_network(db);
    db.transaction([&] {
        db.add(office, District{{}, "拱墅区", 0, 0});
        CHECK_THROWS_AS(db.add(office, Zone{{}, "nowhere", DistrictId(999), ZoneType::central_business}), Error);   // unknown district
        db.add(office, District{{}, "滨江区", 0, 0});
    });
    CHECK(db.districts().size() == 5);
    auto again = Database::open(file.str());
    CHECK(again.snapshot() == db.snapshot());
    CHECK(journal_lines(again.journal()) == journal_lines(db.journal()));
}

TEST_CASE("a transaction needs something to run", "[database][transaction]") {
    auto db = Database::open(":memory:");
    CHECK_THROWS_MATCHES(db.transaction({}), Error, IsError(ErrorCode::invalid, {"changes"}));
}

TEST_CASE("configure_booking sets up a synthetic city in one transaction", "[database][transaction][synth]") {
    TempFile file("transaction_synth");
    auto db = Database::open(file.str());
    db.import_network(office, synth::generate_city(synth::CityParams::for_scale(synth::Scale::district, 3)));
    const auto scheme = synth::configure_booking(db, office, 3);
    CHECK(scheme > 0);
    auto again = Database::open(file.str());
    for (const auto& e : again.equipment()) CHECK(again.tariff(e.id).has_value());
    CHECK(again.voucher_schemes().size() == 1);
}

// --- begin_transaction / commit_transaction / rollback_transaction (what the C ABI and Python use)

TEST_CASE("begin and commit keep every change, and only the outermost commit commits", "[database][transaction]") {
    TempFile file("transaction_begin");
    auto db = Database::open(file.str());
    const auto n = build_small_network(db);
    const auto journal_before = db.journal().size();
    CHECK_FALSE(db.in_transaction());

    db.begin_transaction();
    CHECK(db.in_transaction());
    for (int i = 0; i < 50; ++i) db.add(office, District{{}, "district " + std::to_string(i), 0, 0});
    CHECK_THROWS_AS(db.add(office, District{n.d1, "taken", 0, 0}), Error);   // undone alone
    db.begin_transaction();   // nested: a level, not a transaction
    db.add(office, District{{}, "nested", 0, 0});
    db.transaction([&] { db.add(office, District{{}, "inside transaction()", 0, 0}); });   // joins too
    db.commit_transaction();
    CHECK(db.in_transaction());
    CHECK(db.districts().size() == 3 + 52);   // reads see the changes made so far
    CHECK(Database::open(file.str()).districts().size() == 3);   // other connections do not, yet
    db.commit_transaction();
    CHECK_FALSE(db.in_transaction());

    CHECK(db.journal().size() == journal_before + 52);
    auto again = Database::open(file.str());
    CHECK(again.snapshot() == db.snapshot());
    CHECK(journal_lines(again.journal()) == journal_lines(db.journal()));
}

TEST_CASE("rollback at any level restores the file and memory and closes every level", "[database][transaction]") {
    TempFile file("transaction_rollback_explicit");
    ManualClock clock;
    clock.set(monday_cst);
    auto db = Database::open(file.str(), clock.options());
    const auto n = build_small_network(db);
    db.set_training(office, n.acme, n.sem, true);
    REQUIRE(db.book(office, at(n.sem1, n.acme, 1, 9)));
    const Saved before(db);
    const auto bookings_before = db.bookings_of(n.sem1, {monday_cst, monday_cst + 7 * D});

    db.begin_transaction();
    const auto rolled_back = db.add(office, District{{}, "拱墅区", 0, 0});
    db.begin_transaction();
    REQUIRE(db.book(office, at(n.sem1, n.acme, 2, 9)));
    db.set_training(office, n.acme, n.sem, false);
    db.rollback_transaction();   // from the nested level: the whole transaction
    CHECK_FALSE(db.in_transaction());
    before.check_unchanged(db);
    CHECK(db.bookings_of(n.sem1, {monday_cst, monday_cst + 7 * D}) == bookings_before);
    CHECK(db.trained(n.acme, n.sem));
    // The outer level's commit has nothing left to commit.
    CHECK_THROWS_MATCHES(db.commit_transaction(), Error, IsError(ErrorCode::refused, {"no transaction is open"}));
    // Ids continue where the file does, and the database works on as usual.
    CHECK(db.add(office, District{{}, "拱墅区", 0, 0}) == rolled_back);
    REQUIRE(db.book(office, at(n.sem1, n.acme, 2, 9)));
    CHECK(Database::open(file.str()).districts().size() == 4);
}

TEST_CASE("commit or rollback without begin is refused", "[database][transaction]") {
    auto db = Database::open(":memory:");
    CHECK_THROWS_MATCHES(db.commit_transaction(), Error,
                         IsError(ErrorCode::refused, {"commit_transaction", "no transaction is open"}));
    CHECK_THROWS_MATCHES(db.rollback_transaction(), Error,
                         IsError(ErrorCode::refused, {"rollback_transaction", "no transaction is open"}));
    db.begin_transaction();
    db.commit_transaction();
    CHECK_THROWS_MATCHES(db.commit_transaction(), Error, IsError(ErrorCode::refused, {"no transaction is open"}));
    db.begin_transaction();
    db.rollback_transaction();
    CHECK_THROWS_MATCHES(db.rollback_transaction(), Error, IsError(ErrorCode::refused, {"no transaction is open"}));
    CHECK_FALSE(db.in_transaction());
}

TEST_CASE("an exception leaving a nested transaction() closes its level and the outer one decides",
          "[database][transaction]") {
    TempFile file("transaction_nested_throw");
    auto db = Database::open(file.str());
    build_small_network(db);
    db.begin_transaction();
    db.add(office, District{{}, "kept", 0, 0});
    CHECK_THROWS_AS(db.transaction([&] {
                        db.add(office, District{{}, "joined", 0, 0});
                        throw std::runtime_error("inner");
                    }),
                    std::runtime_error);
    CHECK(db.in_transaction());
    db.commit_transaction();
    CHECK_FALSE(db.in_transaction());
    CHECK(Database::open(file.str()).districts().size() == 5);

    // transaction() whose function rolls back on its own: nothing is left to commit, and says so.
    const Saved before(db);
    CHECK_THROWS_MATCHES(db.transaction([&] {
                             db.add(office, District{{}, "gone", 0, 0});
                             db.rollback_transaction();
                         }),
                         Error, IsError(ErrorCode::refused, {"no transaction is open"}));
    before.check_unchanged(db);
    // ... and one that rolls back and then throws propagates its exception.
    CHECK_THROWS_AS(db.transaction([&] {
                        db.add(office, District{{}, "gone", 0, 0});
                        db.rollback_transaction();
                        throw std::runtime_error("after rollback");
                    }),
                    std::runtime_error);
    before.check_unchanged(db);
    CHECK_FALSE(db.in_transaction());
}

TEST_CASE("a Database destroyed, moved or assigned over with a transaction open", "[database][transaction]") {
    TempFile file("transaction_lifetime");
    {
        auto db = Database::open(file.str());
        build_small_network(db);
    }
    const Network before = Database::open(file.str()).snapshot();
    {
        auto db = Database::open(file.str());
        db.begin_transaction();
        db.add(office, District{{}, "destroyed", 0, 0});
    }   // rolled back
    CHECK(Database::open(file.str()).snapshot() == before);
    {
        auto db = Database::open(file.str());
        db.begin_transaction();
        db.add(office, District{{}, "moved", 0, 0});
        Database moved(std::move(db));   // the transaction goes with it
        CHECK(moved.in_transaction());
        moved.add(office, District{{}, "moved too", 0, 0});
        moved.commit_transaction();
    }
    CHECK(Database::open(file.str()).districts().size() == 5);
    {
        auto db = Database::open(file.str());
        db.begin_transaction();
        db.add(office, District{{}, "assigned over", 0, 0});
        db = Database::open(":memory:");   // the old one rolls back and lets go of the file
        CHECK_FALSE(db.in_transaction());
        auto writer = Database::open(file.str(), OpenOptions{0, {}});
        writer.begin_transaction();   // the write lock is free again (no wait: busy_timeout 0)
        writer.rollback_transaction();
    }
    CHECK(Database::open(file.str()).districts().size() == 5);
}

TEST_CASE("a second writer waits for the transaction, then gets busy", "[database][transaction]") {
    TempFile file("transaction_busy");
    auto db = Database::open(file.str());
    db.begin_transaction();
    db.add(office, District{{}, "上城区", 0, 0});
    auto other = Database::open(file.str(), OpenOptions{0, {}});
    CHECK_THROWS_MATCHES(other.begin_transaction(), Error, IsError(ErrorCode::busy));
    CHECK_FALSE(other.in_transaction());
    CHECK_THROWS_MATCHES(other.add(office, District{{}, "滨江区", 0, 0}), Error, IsError(ErrorCode::busy));
    db.commit_transaction();
    // Its memory was loaded before that commit: a transaction begun on it is refused, not run
    // against a stale model, until it reads the file again.
    CHECK(other.districts().empty());
    CHECK_THROWS_MATCHES(other.begin_transaction(), Error, IsError(ErrorCode::busy, {"another connection"}));
    CHECK_FALSE(other.in_transaction());
    CHECK_THROWS_MATCHES(other.add(office, District{{}, "滨江区", 0, 0}), Error, IsError(ErrorCode::busy, {"another connection"}));
    other.reload();
    CHECK(other.districts().size() == 1);
    other.begin_transaction();
    other.add(office, District{{}, "滨江区", 0, 0});
    other.commit_transaction();
    CHECK(Database::open(file.str()).districts().size() == 2);
    // reload() is refused inside a transaction (the transaction's changes are not in the file yet).
    other.begin_transaction();
    CHECK_THROWS_MATCHES(other.reload(), Error, IsError(ErrorCode::refused, {"transaction"}));
    other.rollback_transaction();
}
