// The arithmetic of a gross price and of the most a voucher can pay, without the checks of their
// arguments. gross_price() wraps the first in its checks; routing uses both to refuse an
// instrument for its price without searching its calendar, once per instrument in reach of a
// request, where the checks and a call into pricing.cpp cost ten times the sum.
#pragma once

#include <algorithm>
#include <cstdint>

#include "psp/pricing.hpp"

namespace psp::detail {

// Every amount of the tariff within its bounds: what validate(Tariff) accepts.
inline bool tariff_in_range(const Tariff& t) {
    const auto fine = [](Fen v, Fen max) { return v >= 0 && v <= max; };
    return fine(t.member_rate, max_hourly_rate) && fine(t.external_rate, max_hourly_rate) &&
           fine(t.minimum_charge, max_flat_fee) && fine(t.late_cancel_fee, max_flat_fee);
}

// gross_price() of `minutes` whole minutes at `rate` fen an hour (psp/pricing.hpp states the rule)
// into `gross`; false when a product does not fit in 64 bits. The amounts must be in range,
// minutes >= 0, units >= 1.
inline bool gross_of_minutes(Fen rate, Fen minimum_charge, bool per_unit, Fen minutes, int units, Fen& gross) {
    Fen fen_minutes = 0;   // fen × minutes / hour
    if (__builtin_mul_overflow(rate, minutes, &fen_minutes)) return false;
    if (per_unit && __builtin_mul_overflow(fen_minutes, Fen{units}, &fen_minutes)) return false;
    // Half up, once, on the whole booking. Both operands are >= 0, so / is floor; comparing the
    // remainder instead of adding 30 first cannot overflow.
    const Fen fen = fen_minutes / 60 + (fen_minutes % 60 >= 30 ? 1 : 0);
    gross = std::max(fen, minimum_charge);
    return true;
}
inline bool gross_of_minutes(const Tariff& t, Fen minutes, int units, bool member, Fen& gross) {
    return gross_of_minutes(member ? t.member_rate : t.external_rate, t.minimum_charge, t.per_unit, minutes, units, gross);
}

// floor(gross × bp / 10000) without forming gross × bp, which could overflow: with
// gross = q·10000 + r, it is q·bp + floor(r·bp / 10000) exactly (0 <= bp <= 10000).
inline Fen voucher_share(Fen gross, Fen bp) { return gross / basis_points * bp + gross % basis_points * bp / basis_points; }

// The largest voucher_pays that apply_voucher can give for `gross` under `scheme`, for any year
// and any account: the share for `size`, within the per-use cap and the whole yearly cap (0 when
// the kind is not eligible). Year validity, the account and the platform's acceptance only lower
// it further, so gross minus this is the least an enterprise can pay. The scheme must be valid.
inline Fen most_voucher_pays(Fen gross, const VoucherScheme& scheme, EnterpriseSize size, ServiceKind kind) {
    const int s = static_cast<int>(size);
    if (gross <= 0 || s < 0 || s >= enterprise_size_count || !scheme.services.contains(kind)) return 0;
    Fen voucher = voucher_share(gross, scheme.share(size));
    if (scheme.per_use_cap > 0) voucher = std::min(voucher, scheme.per_use_cap);
    if (scheme.yearly_cap > 0) voucher = std::min(voucher, scheme.yearly_cap);
    return voucher;
}

// What routing's price bound needs of one instrument's tariff at one rate (member or external),
// in 12 bytes: routing keeps these beside the instruments of each request shape, so that refusing
// an instrument for its price reads no tariff (a cache miss per instrument in reach).
struct RateTerms {
    std::int32_t rate = 0;      // fen an hour (max_hourly_rate fits)
    std::int32_t minimum = 0;   // fen (max_flat_fee fits)
    // False: no bound (no tariff: free; a tariff out of range, from a damaged file: unknown).
    bool priced = false;
    bool per_unit = true;

    static RateTerms of(const Tariff* t, bool member) {
        RateTerms r;
        if (!t || !tariff_in_range(*t)) return r;
        static_assert(max_hourly_rate <= INT32_MAX && max_flat_fee <= INT32_MAX);
        r.priced = true;
        r.rate = static_cast<std::int32_t>(member ? t->member_rate : t->external_rate);
        r.minimum = static_cast<std::int32_t>(t->minimum_charge);
        r.per_unit = t->per_unit;
        return r;
    }

    // The least an enterprise of `size` pays for `minutes` and `units` (>= 1 each) at any slot:
    // gross_price() less the most `scheme` can pay (null: no voucher applies). 0 when free, when
    // the tariff is out of range, or when the price does not fit in 64 bits: no bound then, and
    // only a slot that fits is ever priced (refused with gross_price's error).
    Fen least_pays(int minutes, int units, const VoucherScheme* scheme, EnterpriseSize size) const {
        Fen gross = 0;
        if (!priced || minutes < 1 || units < 1 || !gross_of_minutes(rate, minimum, per_unit, minutes, units, gross)) {
            return 0;
        }
        return scheme ? gross - most_voucher_pays(gross, *scheme, size, ServiceKind::equipment_sharing) : gross;
    }
};
static_assert(sizeof(RateTerms) == 12);

}  // namespace psp::detail
