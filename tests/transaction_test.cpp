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
