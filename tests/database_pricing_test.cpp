// Prices and innovation vouchers through psp::Database: member and external rates, voucher
// shares and caps, refunds on cancellation, redemptions per platform, persistence.
#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "psp/database.hpp"

using namespace psp;
using namespace psp::test;

namespace {
constexpr Time H = 3600, D = 86400;
constexpr Time monday_cst = 1740931200;   // 2025-03-03 00:00 Asia/Shanghai
const Actor office = Actor::office();
}  // namespace

TEST_CASE("bookings are priced from the tariff and vouchers pay their share, refunded on cancel", "[pricing][database]") {
    TempFile file("pricing");
    ManualClock clock;
    clock.set(monday_cst);
    auto db = Database::open(file.str(), clock.options());
    const auto n = build_small_network(db);
    const ZoneId far_zone = db.add(office, Zone{{}, "Xiaoshan port", n.d3, ZoneType::logistics});
    const EnterpriseId outsider = db.add(office, Enterprise{{}, "Outsider", far_zone, EnterpriseSize::small, "trade"});

    Tariff t;
    t.member_rate = 20'000;     // 200 yuan an hour
    t.external_rate = 30'000;
    t.minimum_charge = 5'000;
    t.late_cancel_fee = 7'000;
    db.set_tariff(Actor::operator_of(n.tech), n.sem1, t);
    CHECK(db.tariff(n.sem1) == t);
    CHECK(db.booking_rules(n.sem1).late_cancel_fee == 7'000);   // the tariff publishes the fee
    CHECK_FALSE(db.tariff(n.sem2).has_value());

    const VoucherSchemeId scheme = db.add_voucher_scheme(office, zhejiang_county_example());
    auto request = [&](EnterpriseId who, int day, int hours, VoucherSchemeId v = {}) {
        const Time s = monday_cst + day * D + 9 * H;
        BookingRequest r{n.sem1, who, {s, s + hours * H}, 1, {}, {}};
        r.voucher = v;
        return r;
    };
    auto member = db.book(office, request(n.acme, 1, 2));   // Acme's zone is served by the platform
    REQUIRE(member);
    CHECK(db.price_of(member.booking->id).gross == 40'000);
    CHECK(db.price_of(member.booking->id).voucher_pays == 0);
    auto external = db.book(office, request(outsider, 2, 2));
    REQUIRE(external);
    CHECK(db.price_of(external.booking->id).gross == 60'000);

    auto with_voucher = db.book(office, request(n.acme, 3, 3, scheme));   // micro firm: 60 %
    REQUIRE(with_voucher);
    const auto p = db.price_of(with_voucher.booking->id);
    CHECK(p.gross == 60'000);
    CHECK(p.voucher_pays == 36'000);
    CHECK(p.enterprise_pays == 24'000);
    CHECK(db.voucher_account(n.acme, scheme, 2025).used == 36'000);
    const Period march{monday_cst, monday_cst + 30 * D};
    auto totals = db.voucher_redemptions(scheme, march);
    REQUIRE(totals.size() == 1);
    CHECK(totals[0].platform == n.tech);
    CHECK(totals[0].net == 36'000);

    db.cancel(office, with_voucher.booking->id);
    CHECK(db.voucher_account(n.acme, scheme, 2025).used == 0);
    totals = db.voucher_redemptions(scheme, march);
    REQUIRE(totals.size() == 1);
    CHECK(totals[0].net == 0);
    CHECK(totals[0].refunded == 36'000);

    // Bad input changes nothing.
    Tariff negative = t;
    negative.member_rate = -1;
    PSP_CHECK_REFUSED(db, db.set_tariff(office, n.sem1, negative), IsError(ErrorCode::invalid, {"member_rate"}));
    PSP_CHECK_REFUSED(db, db.set_tariff(Actor::operator_of(n.quality), n.sem1, t), IsError(ErrorCode::permission));
    PSP_CHECK_REFUSED(db, db.add_voucher_scheme(Actor::operator_of(n.tech), zhejiang_county_example()), IsError(ErrorCode::permission));
    PSP_CHECK_REFUSED(db, db.book(office, request(n.acme, 4, 1, VoucherSchemeId(9))), IsError(ErrorCode::not_found, {"voucher"}));

    const auto price = db.price_of(external.booking->id);
    db = Database::open(":memory:");
    auto again = Database::open(file.str(), clock.options());
    CHECK(again.tariff(n.sem1) == t);
    CHECK(again.voucher_schemes().size() == 1);
    CHECK(again.price_of(external.booking->id) == price);
    CHECK(again.voucher_account(n.acme, scheme, 2025).used == 0);
    CHECK(again.voucher_redemptions(scheme, march).at(0).refunded == 36'000);
}
