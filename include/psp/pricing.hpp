// Prices of bookings (DESIGN.md §4 "Booking", issue 4 "Money"): published tariffs, innovation
// voucher schemes (创新券) and the split of a price between the enterprise and the voucher.
// Everything here is pure integer arithmetic on fen; the ledger that stores it lives in Database.
#pragma once

#include <array>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "psp/calendar.hpp"
#include "psp/ids.hpp"
#include "psp/model.hpp"

namespace psp {

using VoucherSchemeId = Id<struct VoucherSchemeTag>;

// Bounds above which a value is taken for a typo (a yuan amount entered in fen twice over, an
// extra zero run) rather than a price: 10,000,000 yuan an hour, and 100,000,000 yuan for a cap.
inline constexpr Fen max_hourly_rate = 1'000'000'000;     // fen per hour
inline constexpr Fen max_flat_fee = 1'000'000'000;        // minimum charge, late-cancellation fee
inline constexpr Fen max_voucher_cap = 10'000'000'000;    // per-use and yearly caps
inline constexpr int basis_points = 10'000;               // 100 %
inline constexpr int min_scheme_year = 2000, max_scheme_year = 2100;

// The published standard fees of one piece of equipment (§5.1). A member rate above the external
// rate is allowed (a platform may choose to charge its own alliance more); it is simply applied.
struct Tariff {
    Fen member_rate = 0;      // fen per hour, enterprises served by the platform or its alliances
    Fen external_rate = 0;    // fen per hour, everyone else
    Fen minimum_charge = 0;   // fen, the least a booking costs (whole booking, after units)
    Fen late_cancel_fee = 0;  // fen, charged on a cancellation after the deadline; never voucher-paid
    bool per_unit = true;     // the hourly rate is per capacity unit booked (price × units)
    friend bool operator==(const Tariff&, const Tariff&) = default;
};

// Throws psp::Error(invalid) naming the field ("tariff member_rate: ...") for a negative value
// or one above the bounds above.
void validate(const Tariff&);

// Gross price of booking `units` units for `period`, at the member or external rate:
//   minutes = whole minutes of the period, a started minute counting as a whole one;
//   fen     = rate × minutes × (per_unit ? units : 1) / 60, rounded to the nearest fen, half up
//             (one rounding, on the whole booking, so 2 units cost exactly twice 1 unit before
//             rounding and at most 1 fen apart from twice the rounded single price);
//   gross   = max(fen, minimum_charge).
// Throws Error(invalid) for an empty or reversed period, units < 1, an invalid tariff, or a
// price that does not fit in 64 bits.
Fen gross_price(const Tariff&, Period, int units, bool member);

// Where a voucher scheme may be spent. A platform accepts the scheme when any of these holds.
struct VoucherAcceptance {
    bool whole_city = false;              // every platform of the city the scheme is issued in
    std::vector<AllianceId> alliances;    // members of these alliances
    std::vector<PlatformId> platforms;    // these platforms
    std::vector<std::string> regions;     // platforms located in these cities/regions (cross-region
                                          // use, e.g. {"Hangzhou", "Shanghai", "Hefei"})
    friend bool operator==(const VoucherAcceptance&, const VoucherAcceptance&) = default;
};

// An innovation voucher scheme (创新券). Caps of 0 mean "no cap", as limits do in BookingRules.
struct VoucherScheme {
    VoucherSchemeId id;                   // 0 until a Database assigns one
    std::string name;
    std::array<int, enterprise_size_count> share_bp{};  // share of gross paid, basis points, by EnterpriseSize
    Fen per_use_cap = 0;                  // fen, most the voucher pays for one booking; 0 = no cap
    Fen yearly_cap = 0;                   // fen, most it pays for one enterprise in a year; 0 = no cap
    ServiceSet services;                  // eligible service kinds
    VoucherAcceptance accepted_by;
    int first_year = 0, last_year = 0;    // calendar years of validity, inclusive
    friend bool operator==(const VoucherScheme&, const VoucherScheme&) = default;

    int share(EnterpriseSize s) const { return share_bp[static_cast<std::size_t>(s)]; }
};

// Throws psp::Error(invalid) naming the field ("voucher scheme share_bp/micro: ...") for: an empty
// or non-UTF-8 name or region, a share outside 0..10000, a negative or absurd cap, no or unknown
// service kinds, no acceptance route, a non-positive alliance or platform id, reversed validity
// years or years outside 2000..2100. A per-use cap above the yearly cap is allowed (the yearly one
// binds).
void validate(const VoucherScheme&);

// What pricing needs to know about the platform that serves a booking. `region` is the city or
// region the platform is located in (the Database's city name, or the platform's in a region-scale
// network); `alliances` those it is a member of.
struct PlatformPlace {
    PlatformId platform;
    std::vector<AllianceId> alliances;
    std::string region;
};

// Whether the scheme may be spent at the platform. `whole_city` accepts every platform whose
// region is empty or equals `issuing_region` (a one-city Database passes "" or its city name).
bool accepts(const VoucherScheme&, const PlatformPlace&, std::string_view issuing_region = {});

// Per enterprise, per scheme, per calendar year: the voucher money spent so far (net of refunds).
struct VoucherAccount {
    EnterpriseId enterprise;
    VoucherSchemeId scheme;
    int year = 0;
    Fen used = 0;
    friend bool operator==(const VoucherAccount&, const VoucherAccount&) = default;
};

// Who pays what for one booking. Always gross == enterprise_pays + voucher_pays.
struct PriceBreakdown {
    Fen gross = 0;
    Fen enterprise_pays = 0;
    Fen voucher_pays = 0;
    VoucherSchemeId scheme;    // the scheme that pays (or was asked to pay), 0 = none
    std::string voucher_note;  // empty when the voucher paid its full share; else why not / capped
    friend bool operator==(const PriceBreakdown&, const PriceBreakdown&) = default;
};

// The facts about one booking that decide the voucher's part.
struct VoucherUse {
    EnterpriseSize size = EnterpriseSize::small;
    ServiceKind kind = ServiceKind::equipment_sharing;
    int year = 0;                  // local calendar year of the booking's start
    Fen used_this_year = 0;        // the enterprise's VoucherAccount::used for the scheme and year
    bool platform_accepts = true;  // accepts(scheme, serving platform)
};

// Splits `gross` between the enterprise and the scheme (none when `scheme` is null):
//   share   = floor(gross × share_bp[size] / 10000)   (rounded down to the fen: the voucher never
//             pays more than its share; the enterprise pays the sub-fen remainder)
//   voucher = min(share, per_use_cap, yearly_cap − used_this_year), never below 0;
//   enterprise_pays = gross − voucher, exactly.
// The voucher pays 0 with a note when the platform does not accept the scheme, the service kind is
// not eligible, the year is outside the scheme's validity, the size has no share, or the yearly cap
// is used up; a note also says which cap bound. Throws Error(invalid) for a negative gross or
// used_this_year.
PriceBreakdown apply_voucher(Fen gross, const VoucherScheme* scheme, const VoucherUse&);

// gross_price then apply_voucher.
PriceBreakdown price(const Tariff&, Period, int units, bool member, const VoucherScheme* scheme,
                     const VoucherUse&);

// Records a priced booking's voucher part in the account. Throws Error(invalid) when the breakdown
// is of another scheme or inconsistent, and Error(refused) when the account would go beyond the
// scheme's yearly or per-use cap (the account was used meanwhile: price again). Account unchanged
// on error.
void redeem(VoucherAccount&, const VoucherScheme&, const PriceBreakdown&);

// Cancellation: returns the booking's whole voucher part to the account (the late-cancellation
// fee, if any, is the enterprise's alone) and the amount returned. Throws Error(invalid) when the
// breakdown is of another scheme or would take the account below 0; account unchanged on error.
Fen refund_voucher(VoucherAccount&, const PriceBreakdown&);

// One movement of voucher money at a platform: a redemption (amount > 0) at booking time, or a
// refund (amount < 0) at cancellation time.
struct VoucherRedemption {
    PlatformId platform;
    Time at = 0;
    Fen amount = 0;
};

struct PlatformVoucherTotal {
    PlatformId platform;
    Fen redeemed = 0;   // sum of positive amounts
    Fen refunded = 0;   // sum of refunds, as a positive number
    Fen net = 0;        // redeemed − refunded: what the scheme owes the platform for the period
    int redemptions = 0;
    int refunds = 0;
    friend bool operator==(const PlatformVoucherTotal&, const PlatformVoucherTotal&) = default;
};

// Totals per platform of the movements with `at` in [period.start, period.end), ascending by
// platform id; platforms without movement in the period are left out. Filter by scheme first if
// several schemes are involved. Throws Error(invalid) on a reversed period or a sum beyond 64 bits.
std::vector<PlatformVoucherTotal> voucher_totals(std::span<const VoucherRedemption>, Period period);

// Calibration from public figures (issue 4): a Zhejiang county scheme capping one use at 20,000
// yuan and a firm at 100,000 yuan a year, paying 60 % for micro and small firms and 50 % for
// medium ones (large firms: none), for R&D, design, equipment sharing and testing, everywhere in
// the city, 2025–2027. The shares by size, kinds and years are illustrative choices.
VoucherScheme zhejiang_county_example();

}  // namespace psp
