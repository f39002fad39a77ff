// Tariffs, innovation vouchers and price breakdowns (include/psp/pricing.hpp): the rounding rules
// at their edges, caps one by one, refunds, per-platform totals, JSON, and random splits checked
// against a 128-bit reference.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <random>

#include "booking/voucher_bound.hpp"
#include "json/pricing_json.hpp"
#include "psp/error.hpp"
#include "psp/pricing.hpp"

using namespace psp;
using nlohmann::json;

namespace {

constexpr Time M = 60, H = 3600;
constexpr Time t0 = 1741593600;   // 2025-03-10 08:00 UTC

// The reference arithmetic of the tests: exact, in 128 bits (GCC/Clang extension).
__extension__ typedef __int128 Wide;

Period minutes(Time n) { return {t0, t0 + n * M}; }

Tariff tariff(Fen member, Fen external, Fen minimum = 0) {
    Tariff t;
    t.member_rate = member;
    t.external_rate = external;
    t.minimum_charge = minimum;
    return t;
}

VoucherUse use(EnterpriseSize size, Fen used = 0, int year = 2025) {
    VoucherUse u;
    u.size = size;
    u.kind = ServiceKind::equipment_sharing;
    u.year = year;
    u.used_this_year = used;
    return u;
}

VoucherScheme zhejiang(std::int64_t id = 7) {
    auto s = zhejiang_county_example();
    s.id = VoucherSchemeId(id);
    return s;
}

}  // namespace

TEST_CASE("gross: pro rata per minute, rounded half up to the fen", "[pricing]") {
    CHECK(gross_price(tariff(0, 100), minutes(1), 1, false) == 2);        // 1.666… -> 2
    CHECK(gross_price(tariff(0, 90), minutes(1), 1, false) == 2);         // 1.5    -> 2 (half up)
    CHECK(gross_price(tariff(0, 89), minutes(1), 1, false) == 1);         // 1.483… -> 1
    CHECK(gross_price(tariff(0, 30), minutes(1), 1, false) == 1);         // 0.5    -> 1
    CHECK(gross_price(tariff(0, 29), minutes(1), 1, false) == 0);         // 0.483… -> 0
    CHECK(gross_price(tariff(0, 45000), minutes(7), 1, false) == 5250);   // exact
    CHECK(gross_price(tariff(0, 100), minutes(7), 1, false) == 12);       // 11.666…
    CHECK(gross_price(tariff(0, 12345), minutes(61), 1, false) == 12551); // 12550.75
    CHECK(gross_price(tariff(0, 12345), minutes(60), 1, false) == 12345);
    // A started minute counts as a whole one.
    CHECK(gross_price(tariff(0, 6000), {t0, t0 + 90}, 1, false) == 200);
    CHECK(gross_price(tariff(0, 6000), {t0, t0 + 1}, 1, false) == 100);
    CHECK(gross_price(tariff(0, 0), minutes(600), 1, false) == 0);        // a free instrument
}

TEST_CASE("gross: member and external rates", "[pricing]") {
    const auto t = tariff(30000, 45000);
    CHECK(gross_price(t, minutes(90), 1, true) == 45000);
    CHECK(gross_price(t, minutes(90), 1, false) == 67500);
    // A member rate above the external one is allowed and applied as published.
    CHECK_NOTHROW(validate(tariff(50000, 45000)));
    CHECK(gross_price(tariff(50000, 45000), minutes(60), 1, true) == 50000);
}

TEST_CASE("gross: the minimum charge is a floor of the whole booking", "[pricing]") {
    const auto t = tariff(30000, 45000, 10000);
    CHECK(gross_price(t, minutes(10), 1, true) == 10000);   // 5000 pro rata
    CHECK(gross_price(t, minutes(20), 1, true) == 10000);   // exactly the minimum
    CHECK(gross_price(t, minutes(30), 1, true) == 15000);
    auto big = tariff(0, 45000, 100000);
    CHECK(gross_price(big, minutes(60), 2, false) == 100000);   // 90000 for two units, still below
    CHECK(gross_price(big, minutes(60), 3, false) == 135000);
}

TEST_CASE("gross: units multiply the rate before the one rounding", "[pricing]") {
    auto t = tariff(0, 45000);
    CHECK(gross_price(t, minutes(60), 2, false) == 90000);
    CHECK(gross_price(t, minutes(60), 4, false) == 180000);
    t.per_unit = false;
    CHECK(gross_price(t, minutes(60), 4, false) == 45000);
    // 15 fen/hour, 1 minute: one unit is 0.25 fen -> 0, two are 0.5 fen -> 1.
    const auto tiny = tariff(0, 15);
    CHECK(gross_price(tiny, minutes(1), 1, false) == 0);
    CHECK(gross_price(tiny, minutes(1), 2, false) == 1);
}

TEST_CASE("gross: bad periods, units, tariffs and overflow are errors", "[pricing]") {
    const auto t = tariff(30000, 45000);
    CHECK_THROWS_WITH(gross_price(t, {t0, t0}, 1, false), Catch::Contains("period"));
    CHECK_THROWS_WITH(gross_price(t, {t0, t0 - H}, 1, false), Catch::Contains("period"));
    CHECK_THROWS_WITH(gross_price(t, minutes(60), 0, false), Catch::Contains("units"));
    CHECK_THROWS_WITH(gross_price(tariff(-1, 45000), minutes(60), 1, false), Catch::Contains("member_rate"));
    // The largest rate for a very long period on many units does not fit in 64 bits.
    const auto max = tariff(0, max_hourly_rate);
    CHECK(gross_price(max, {0, 366 * 24 * H}, 1, false) == max_hourly_rate * 366 * 24);
    try {
        gross_price(max, {0, 10'000'000'000}, 1000, false);
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::invalid);
        CHECK_THAT(e.what(), Catch::Contains("64 bits"));
    }
}

TEST_CASE("tariff validation names the field", "[pricing]") {
    const auto invalid_with = [](const Tariff& t, const char* text) {
        try {
            validate(t);
            FAIL("accepted");
        } catch (const Error& e) {
            CHECK(e.code() == ErrorCode::invalid);
            CHECK_THAT(e.what(), Catch::Contains(text));
        }
    };
    CHECK_NOTHROW(validate(tariff(0, 0)));
    CHECK_NOTHROW(validate(tariff(max_hourly_rate, max_hourly_rate, max_flat_fee)));
    invalid_with(tariff(-1, 100), "member_rate: -1 fen/hour is negative");
    invalid_with(tariff(100, max_hourly_rate + 1), "external_rate");
    invalid_with(tariff(100, 100, -5), "minimum_charge");
    auto t = tariff(100, 100);
    t.late_cancel_fee = max_flat_fee + 1;
    invalid_with(t, "late_cancel_fee");
    CHECK_THROWS_WITH(validate(tariff(100, max_hourly_rate + 1)), Catch::Contains("absurd"));
}

TEST_CASE("voucher: share by enterprise size, rounded down to the fen", "[pricing]") {
    const auto s = zhejiang();
    auto b = apply_voucher(100000, &s, use(EnterpriseSize::micro));
    CHECK(b == PriceBreakdown{100000, 40000, 60000, s.id, ""});
    CHECK(apply_voucher(100000, &s, use(EnterpriseSize::small)).voucher_pays == 60000);
    CHECK(apply_voucher(100000, &s, use(EnterpriseSize::medium)).voucher_pays == 50000);
    b = apply_voucher(100000, &s, use(EnterpriseSize::large));
    CHECK(b.voucher_pays == 0);
    CHECK(b.enterprise_pays == 100000);
    CHECK(b.scheme == s.id);
    CHECK_THAT(b.voucher_note, Catch::Contains("no share for large"));
    // 60 % of 10001 is 6000.6: the voucher pays 6000, the enterprise the rest, exactly.
    b = apply_voucher(10001, &s, use(EnterpriseSize::small));
    CHECK(b.voucher_pays == 6000);
    CHECK(b.enterprise_pays == 4001);
    b = apply_voucher(9999, &s, use(EnterpriseSize::medium));   // 4999.5
    CHECK(b.voucher_pays == 4999);
    CHECK(b.enterprise_pays == 5000);
    CHECK(apply_voucher(1, &s, use(EnterpriseSize::small)).voucher_pays == 0);
    CHECK(apply_voucher(0, &s, use(EnterpriseSize::small)) == PriceBreakdown{0, 0, 0, s.id, ""});
    // No scheme: the enterprise pays everything, no note.
    CHECK(apply_voucher(12345, nullptr, use(EnterpriseSize::small)) == PriceBreakdown{12345, 12345, 0, {}, ""});
}

TEST_CASE("voucher: the per-use cap binds", "[pricing]") {
    const auto s = zhejiang();
    auto b = apply_voucher(5'000'000, &s, use(EnterpriseSize::small));   // 60 % = 3,000,000
    CHECK(b.voucher_pays == 2'000'000);
    CHECK(b.enterprise_pays == 3'000'000);
    CHECK_THAT(b.voucher_note, Catch::Contains("per-use cap of 20000.00 yuan"));
    // 60 % of 3,333,334 is 2,000,000.4: exactly the cap, nothing was cut.
    b = apply_voucher(3'333'334, &s, use(EnterpriseSize::small));
    CHECK(b.voucher_pays == 2'000'000);
    CHECK(b.voucher_note.empty());
    // A cap of 0 means no cap.
    auto open = s;
    open.per_use_cap = 0;
    open.yearly_cap = 0;
    CHECK(apply_voucher(500'000'000, &open, use(EnterpriseSize::small)).voucher_pays == 300'000'000);
}

TEST_CASE("voucher: the yearly cap binds across uses and is reached exactly", "[pricing]") {
    const auto s = zhejiang();
    VoucherAccount account{EnterpriseId(3), s.id, 2025, 0};
    const auto tariff_h = tariff(0, 600'000);   // 6,000 yuan an hour
    // Five 5-hour bookings: gross 3,000,000, voucher 1,800,000 each (60 %, below the per-use cap).
    for (int i = 0; i < 5; ++i) {
        auto b = price(tariff_h, {t0 + i * 24 * H, t0 + i * 24 * H + 5 * H}, 1, false, &s,
                       use(EnterpriseSize::small, account.used));
        CHECK(b == PriceBreakdown{3'000'000, 1'200'000, 1'800'000, s.id, ""});
        redeem(account, s, b);
    }
    CHECK(account.used == 9'000'000);
    // The sixth is capped by the 1,000,000 left this year; the account reaches the cap exactly.
    auto sixth = price(tariff_h, minutes(300), 1, false, &s, use(EnterpriseSize::small, account.used));
    CHECK(sixth.voucher_pays == 1'000'000);
    CHECK(sixth.enterprise_pays == 2'000'000);
    CHECK_THAT(sixth.voucher_note, Catch::Contains("yearly cap of 100000.00 yuan") && Catch::Contains("10000.00 yuan was left"));
    redeem(account, s, sixth);
    CHECK(account.used == s.yearly_cap);
    // Then nothing more this year.
    auto seventh = price(tariff_h, minutes(300), 1, false, &s, use(EnterpriseSize::small, account.used));
    CHECK(seventh.voucher_pays == 0);
    CHECK(seventh.enterprise_pays == 3'000'000);
    CHECK_THAT(seventh.voucher_note, Catch::Contains("reached"));
    CHECK_NOTHROW(redeem(account, s, seventh));   // nothing to record
    CHECK(account.used == s.yearly_cap);
    // A share that lands exactly on the cap is not "capped".
    auto exact = apply_voucher(3'000'000, &s, use(EnterpriseSize::small, 8'200'000));
    CHECK(exact.voucher_pays == 1'800'000);
    CHECK(exact.voucher_note.empty());
    // used above the cap (a scheme whose cap was lowered) pays nothing rather than going negative.
    CHECK(apply_voucher(3'000'000, &s, use(EnterpriseSize::small, 12'000'000)).voucher_pays == 0);
}

TEST_CASE("voucher: redeeming beyond the caps is refused and leaves the account", "[pricing]") {
    const auto s = zhejiang();
    VoucherAccount account{EnterpriseId(3), s.id, 2025, 9'000'000};
    // Priced when 9,000,000 was used by another booking's view: 1,800,000 no longer fits.
    const auto stale = apply_voucher(3'000'000, &s, use(EnterpriseSize::small, 0));
    try {
        redeem(account, s, stale);
        FAIL("redeemed");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::refused);
        CHECK_THAT(e.what(), Catch::Contains("yearly cap"));
    }
    CHECK(account.used == 9'000'000);
    const PriceBreakdown too_much{5'000'000, 2'000'000, 3'000'000, s.id, ""};
    CHECK_THROWS_WITH(redeem(account, s, too_much), Catch::Contains("per-use cap"));
    const PriceBreakdown wrong_sum{100, 50, 60, s.id, ""};
    CHECK_THROWS_WITH(redeem(account, s, wrong_sum), Catch::Contains("inconsistent"));
    const PriceBreakdown other{100, 40, 60, VoucherSchemeId(99), ""};
    CHECK_THROWS_WITH(redeem(account, s, other), Catch::Contains("do not match"));
    VoucherAccount later{EnterpriseId(3), s.id, 2031, 0};
    CHECK_THROWS_WITH(redeem(later, s, PriceBreakdown{100, 40, 60, s.id, ""}), Catch::Contains("not valid in 2031"));
    CHECK(account.used == 9'000'000);
    CHECK(later.used == 0);
}

TEST_CASE("voucher: platform, service kind and year outside the scheme pay nothing, with a note", "[pricing]") {
    const auto s = zhejiang();
    auto u = use(EnterpriseSize::small);
    u.platform_accepts = false;
    auto b = apply_voucher(100000, &s, u);
    CHECK(b == PriceBreakdown{100000, 100000, 0, s.id, b.voucher_note});
    CHECK_THAT(b.voucher_note, Catch::Contains("does not accept") && Catch::Contains(s.name));

    u = use(EnterpriseSize::small);
    u.kind = ServiceKind::marketing;
    b = apply_voucher(100000, &s, u);
    CHECK(b.voucher_pays == 0);
    CHECK_THAT(b.voucher_note, Catch::Contains("marketing is not eligible"));

    b = apply_voucher(100000, &s, use(EnterpriseSize::small, 0, 2028));
    CHECK(b.voucher_pays == 0);
    CHECK_THAT(b.voucher_note, Catch::Contains("valid 2025-2027, not in 2028"));
    CHECK(apply_voucher(100000, &s, use(EnterpriseSize::small, 0, 2027)).voucher_pays == 60000);

    CHECK_THROWS_WITH(apply_voucher(-1, &s, use(EnterpriseSize::small)), Catch::Contains("gross"));
    CHECK_THROWS_WITH(apply_voucher(100, &s, use(EnterpriseSize::small, -1)), Catch::Contains("used_this_year"));
}

TEST_CASE("voucher: which platforms accept a scheme", "[pricing]") {
    VoucherScheme s = zhejiang();
    s.accepted_by = {};
    const PlatformPlace p{PlatformId(5), {AllianceId(2), AllianceId(4)}, "Hangzhou"};
    const PlatformPlace shanghai{PlatformId(9), {}, "Shanghai"};
    s.accepted_by.whole_city = true;
    CHECK(accepts(s, p, "Hangzhou"));
    CHECK(accepts(s, p));                      // a one-city Database: every platform
    CHECK_FALSE(accepts(s, shanghai, "Hangzhou"));
    s.accepted_by = {};
    s.accepted_by.alliances = {AllianceId(4)};
    CHECK(accepts(s, p));
    CHECK_FALSE(accepts(s, shanghai));
    s.accepted_by = {};
    s.accepted_by.platforms = {PlatformId(9)};
    CHECK(accepts(s, shanghai));
    CHECK_FALSE(accepts(s, p));
    s.accepted_by = {};
    s.accepted_by.regions = {"Shanghai", "Hefei"};   // cross-region use
    CHECK(accepts(s, shanghai, "Hangzhou"));
    CHECK_FALSE(accepts(s, p, "Hangzhou"));
    CHECK_FALSE(accepts(s, PlatformPlace{PlatformId(1), {}, ""}));
}

TEST_CASE("refund on cancellation restores the account exactly", "[pricing]") {
    const auto s = zhejiang();
    VoucherAccount account{EnterpriseId(3), s.id, 2025, 0};
    const auto a = apply_voucher(3'000'000, &s, use(EnterpriseSize::small, account.used));
    redeem(account, s, a);
    const auto b = apply_voucher(10'001, &s, use(EnterpriseSize::small, account.used));
    redeem(account, s, b);
    CHECK(account.used == 1'806'000);
    CHECK(refund_voucher(account, a) == 1'800'000);
    CHECK(account.used == 6000);
    CHECK(refund_voucher(account, b) == 6000);
    CHECK(account == VoucherAccount{EnterpriseId(3), s.id, 2025, 0});
    // Refunding twice would take the account below 0.
    CHECK_THROWS_WITH(refund_voucher(account, b), Catch::Contains("more than"));
    CHECK(account.used == 0);
    // Nothing paid, nothing returned (a booking without a voucher).
    CHECK(refund_voucher(account, PriceBreakdown{500, 500, 0, {}, ""}) == 0);
    account.used = 100'000;
    CHECK_THROWS_WITH(refund_voucher(account, PriceBreakdown{100, 40, 60, VoucherSchemeId(99), ""}),
                      Catch::Contains("scheme 99"));
    CHECK(account.used == 100'000);
    // After a refund the yearly room is back: a full-cap year can take the same booking again.
    account.used = 9'000'000;
    const auto c = apply_voucher(3'000'000, &s, use(EnterpriseSize::small, account.used));
    redeem(account, s, c);
    CHECK(account.used == s.yearly_cap);
    refund_voucher(account, c);
    CHECK(apply_voucher(3'000'000, &s, use(EnterpriseSize::small, account.used)) == c);
}

TEST_CASE("voucher totals per platform for a period", "[pricing]") {
    const std::vector<VoucherRedemption> ledger{
        {PlatformId(2), t0, 1000},             // at the start: in
        {PlatformId(1), t0 + H, 500},
        {PlatformId(2), t0 + 2 * H, 250},
        {PlatformId(2), t0 + 3 * H, -1000},    // a refund
        {PlatformId(3), t0 + 24 * H, 700},     // at the end: out
        {PlatformId(3), t0 - 1, 700},          // before: out
        {PlatformId(4), t0 + H, 0},            // nothing moved: ignored
    };
    const auto totals = voucher_totals(ledger, {t0, t0 + 24 * H});
    REQUIRE(totals.size() == 2);
    CHECK(totals[0] == PlatformVoucherTotal{PlatformId(1), 500, 0, 500, 1, 0});
    CHECK(totals[1] == PlatformVoucherTotal{PlatformId(2), 1250, 1000, 250, 2, 1});
    CHECK(voucher_totals(ledger, {t0 + 5 * H, t0 + 6 * H}).empty());
    CHECK_THROWS(voucher_totals(ledger, {t0, t0 - 1}));
    const std::vector<VoucherRedemption> huge{{PlatformId(1), t0, INT64_MAX}, {PlatformId(1), t0, 1}};
    CHECK_THROWS_WITH(voucher_totals(huge, {t0, t0 + 1}), Catch::Contains("64 bits"));
}

TEST_CASE("voucher scheme validation names the field", "[pricing]") {
    const auto invalid_with = [](const VoucherScheme& s, const char* text) {
        try {
            validate(s);
            FAIL("accepted");
        } catch (const Error& e) {
            CHECK(e.code() == ErrorCode::invalid);
            CHECK_THAT(e.what(), Catch::Contains(text));
        }
    };
    const auto z = zhejiang_county_example();
    CHECK_NOTHROW(validate(z));
    CHECK(z.per_use_cap == 2'000'000);
    CHECK(z.yearly_cap == 10'000'000);
    for (int i = 0; i < 3; ++i) {
        const int share = z.share_bp[static_cast<std::size_t>(i)];
        CHECK(share >= 5000);
        CHECK(share <= 6000);
    }
    auto s = z;
    s.share_bp[1] = 10001;
    invalid_with(s, "share_bp/small: 10001");
    s = z;
    s.share_bp[3] = -1;
    invalid_with(s, "share_bp/large");
    s = z;
    s.per_use_cap = -1;
    invalid_with(s, "per_use_cap");
    s = z;
    s.yearly_cap = max_voucher_cap + 1;
    invalid_with(s, "yearly_cap");
    s = z;
    s.first_year = 2027;
    s.last_year = 2025;
    invalid_with(s, "last_year: 2025 is before first_year 2027");
    s = z;
    s.first_year = 1999;
    invalid_with(s, "first_year");
    s = z;
    s.name.clear();
    invalid_with(s, "name");
    s = z;
    s.services = {};
    invalid_with(s, "services");
    s = z;
    s.services = ServiceSet(1U << 20);
    invalid_with(s, "unknown service kind");
    s = z;
    s.accepted_by = {};
    invalid_with(s, "accepted_by: accepts no platform");
    s.accepted_by.regions = {"Shanghai", ""};
    invalid_with(s, "accepted_by/regions/1");
    s.accepted_by = {};
    s.accepted_by.platforms = {PlatformId(0)};
    invalid_with(s, "accepted_by/platforms/0");
    // A per-use cap above the yearly one is allowed: the yearly cap binds.
    s = z;
    s.per_use_cap = 20'000'000;
    CHECK_NOTHROW(validate(s));
    CHECK(apply_voucher(50'000'000, &s, use(EnterpriseSize::small)).voucher_pays == 10'000'000);
}

TEST_CASE("pricing JSON round trip", "[pricing]") {
    Tariff t = tariff(30000, 45000, 15000);
    t.late_cancel_fee = 10000;
    t.per_unit = false;
    CHECK(json::tariff_from_json(json::to_json(t)) == t);
    CHECK(json::tariff_from_json(nlohmann::json::parse(R"({"member_rate": 1, "external_rate": 2})")) == tariff(1, 2));

    auto s = zhejiang(12);
    s.accepted_by.alliances = {AllianceId(3), AllianceId(8)};
    s.accepted_by.platforms = {PlatformId(4)};
    s.accepted_by.regions = {"上海", "Hefei"};
    CHECK(json::voucher_scheme_from_json(json::to_json(s)) == s);
    CHECK(json::voucher_scheme_from_json(json::to_json(zhejiang_county_example())) == zhejiang_county_example());
    const auto text = json::to_json(s).dump();
    CHECK_THAT(text, Catch::Contains(R"("share_bp":{"large":0,"medium":5000,"micro":6000,"small":6000})"));
    CHECK_THAT(text, Catch::Contains(R"("services":["technology_rd","product_design","equipment_sharing","quality_testing"])"));

    const auto b = apply_voucher(5'000'000, &s, use(EnterpriseSize::small));
    CHECK(json::price_breakdown_from_json(json::to_json(b)) == b);
    const PriceBreakdown plain{500, 500, 0, {}, ""};
    CHECK(json::price_breakdown_from_json(json::to_json(plain)) == plain);
}

TEST_CASE("pricing JSON errors name the path", "[pricing]") {
    const auto fails = [](auto read, const char* text, const char* message) {
        try {
            read(nlohmann::json::parse(text));
            FAIL("accepted " << text);
        } catch (const Error& e) {
            CHECK(e.code() == ErrorCode::invalid);
            CHECK_THAT(e.what(), Catch::StartsWith(message));
        }
    };
    const auto tariff_at = [](const nlohmann::json& j) { return json::tariff_from_json(j, "/tariffs/0"); };
    fails(tariff_at, R"({"member_rate": 1, "external_rat": 2})", "/tariffs/0/external_rate: missing");
    fails(tariff_at, R"({"member_rate": 1, "external_rate": 2, "minimum": 3})", "/tariffs/0/minimum: unknown key");
    fails(tariff_at, R"({"member_rate": -1, "external_rate": 2})", "/tariffs/0/member_rate: -1 fen/hour is negative");
    fails(tariff_at, R"({"member_rate": 1.5, "external_rate": 2})", "/tariffs/0/member_rate: expected an integer");
    fails(tariff_at, R"({"member_rate": 1, "external_rate": 1000000001})", "/tariffs/0/external_rate: 1000000001 fen/hour is absurd");
    fails(tariff_at, R"([1, 2])", "/tariffs/0: expected an object");

    auto base = json::to_json(zhejiang(3));
    const auto scheme = [](const nlohmann::json& j) { return json::voucher_scheme_from_json(j); };
    const auto with = [&base](const char* pointer, nlohmann::json value) {
        auto j = base;
        j[nlohmann::json::json_pointer(pointer)] = std::move(value);
        return j.dump();
    };
    fails(scheme, with("/share_bp/small", 10001).c_str(), "/share_bp/small: 10001 basis points is outside 0..10000");
    auto no_large = base;
    no_large["share_bp"].erase("large");
    fails(scheme, no_large.dump().c_str(), "/share_bp/large: missing");
    fails(scheme, with("/services/1", "massage").c_str(), "/services/1: unknown value 'massage'");
    fails(scheme, with("/accepted_by/platforms", nlohmann::json::array({4, -3})).c_str(),
          "/accepted_by/platforms/1: ids are positive integers");
    fails(scheme, with("/accepted_by/regions", nlohmann::json::array({"Shanghai", 5})).c_str(),
          "/accepted_by/regions/1: expected a string");
    fails(scheme, with("/accepted_by/cities", nlohmann::json::array()).c_str(), "/accepted_by/cities: unknown key");
    fails(scheme, with("/accepted_by/whole_city", false).c_str(), "/accepted_by: accepts no platform");
    fails(scheme, with("/last_year", 2024).c_str(), "/last_year: 2024 is before first_year 2025");
    fails(scheme, with("/per_use_cap", -5).c_str(), "/per_use_cap: -5 fen is negative");
    fails(scheme, with("/id", -1).c_str(), "/id: ids are positive");
    fails(scheme, with("/services", "equipment_sharing").c_str(), "/services: expected an array");

    const auto breakdown = [](const nlohmann::json& j) { return json::price_breakdown_from_json(j, "/b"); };
    fails(breakdown, R"({"gross": 100, "enterprise_pays": 50, "voucher_pays": 60, "scheme": 1})",
          "/b/enterprise_pays: is not gross - voucher_pays");
    fails(breakdown, R"({"gross": 100, "enterprise_pays": 40, "voucher_pays": 60})", "/b/scheme: a voucher paid");
}

TEST_CASE("property: random prices split exactly within the caps", "[pricing]") {
    std::mt19937_64 rng(20250310);
    const auto pick = [&rng](std::int64_t lo, std::int64_t hi) {
        return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
    };
    for (int i = 0; i < 20000; ++i) {
        Tariff t;
        t.member_rate = pick(0, 3) == 0 ? pick(0, max_hourly_rate) : pick(0, 2'000'000);
        t.external_rate = pick(0, 2'000'000);
        t.minimum_charge = pick(0, 1) ? 0 : pick(0, 500'000);
        t.per_unit = pick(0, 1) == 1;
        const Period p{t0, t0 + pick(1, 14 * 24 * H)};
        const int units = static_cast<int>(pick(1, 8));
        const bool member = pick(0, 1) == 1;

        // Gross against the exact 128-bit reference: half up of rate × minutes × units / 60.
        const Wide mins = (p.seconds() + 59) / 60;
        const Wide n = Wide(member ? t.member_rate : t.external_rate) * mins * (t.per_unit ? units : 1);
        Wide expected = (n * 2 + 60) / 120;   // floor(n/60 + 1/2)
        if (expected < t.minimum_charge) expected = t.minimum_charge;
        const Fen gross = gross_price(t, p, units, member);
        REQUIRE(Wide(gross) == expected);

        VoucherScheme s = zhejiang();
        for (auto& share : s.share_bp) share = static_cast<int>(pick(0, basis_points));
        s.per_use_cap = pick(0, 3) == 0 ? 0 : pick(1, 5'000'000);
        s.yearly_cap = pick(0, 3) == 0 ? 0 : pick(1, 20'000'000);
        const auto size = static_cast<EnterpriseSize>(pick(0, enterprise_size_count - 1));
        const Fen used = pick(0, 25'000'000);
        const auto b = apply_voucher(gross, &s, use(size, used));

        REQUIRE(b.gross == gross);
        REQUIRE(b.enterprise_pays + b.voucher_pays == b.gross);
        REQUIRE(b.voucher_pays >= 0);
        const Wide share = Wide(gross) * s.share(size) / basis_points;
        Wide voucher = share;
        if (s.per_use_cap > 0 && voucher > s.per_use_cap) voucher = s.per_use_cap;
        if (s.yearly_cap > 0) {
            const Wide left = used >= s.yearly_cap ? 0 : s.yearly_cap - used;
            if (voucher > left) voucher = left;
            REQUIRE(used + b.voucher_pays <= std::max(s.yearly_cap, used));
        }
        REQUIRE(Wide(b.voucher_pays) == voucher);
        REQUIRE(Wide(b.voucher_pays) <= share);
        if (s.per_use_cap > 0) REQUIRE(b.voucher_pays <= s.per_use_cap);

        // Routing's bound, known before the slot: no account, year or platform pays more, and an
        // unused account in a valid year at an accepting platform pays exactly it.
        const Fen most = detail::most_voucher_pays(gross, s, size, ServiceKind::equipment_sharing);
        REQUIRE(b.voucher_pays <= most);
        REQUIRE(apply_voucher(gross, &s, use(size, 0)).voucher_pays == most);
        REQUIRE(apply_voucher(gross, &s, use(size, used, static_cast<int>(pick(2000, 2100)))).voucher_pays <= most);
        REQUIRE_FALSE(s.services.contains(ServiceKind::marketing));   // not eligible: no voucher
        REQUIRE(detail::most_voucher_pays(gross, s, size, ServiceKind::marketing) == 0);

        // What was redeemed can always be refunded back to the same account.
        VoucherAccount account{EnterpriseId(1), s.id, 2025, used};
        if (s.yearly_cap == 0 || used + b.voucher_pays <= s.yearly_cap) {
            redeem(account, s, b);
            REQUIRE(account.used == used + b.voucher_pays);
            REQUIRE(refund_voucher(account, b) == b.voucher_pays);
            REQUIRE(account.used == used);
        }
    }
}
