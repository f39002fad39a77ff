// The arithmetic of a gross price and of the most a voucher can pay, without the checks of their
// arguments. gross_price() wraps the first in its checks; routing uses both to refuse an
// instrument for its price without searching its calendar, once per instrument in reach of a
// request, where the checks and a call into pricing.cpp cost ten times the sum.
#pragma once

#include <algorithm>

#include "psp/pricing.hpp"

namespace psp::detail {

// Every amount of the tariff within its bounds: what validate(Tariff) accepts.
inline bool tariff_in_range(const Tariff& t) {
    const auto fine = [](Fen v, Fen max) { return v >= 0 && v <= max; };
    return fine(t.member_rate, max_hourly_rate) && fine(t.external_rate, max_hourly_rate) &&
           fine(t.minimum_charge, max_flat_fee) && fine(t.late_cancel_fee, max_flat_fee);
}

// gross_price() of `minutes` whole minutes (psp/pricing.hpp states the rule) into `gross`; false
// when a product does not fit in 64 bits. The tariff must be in range, minutes >= 0, units >= 1.
inline bool gross_of_minutes(const Tariff& t, Fen minutes, int units, bool member, Fen& gross) {
    const Fen rate = member ? t.member_rate : t.external_rate;
    Fen fen_minutes = 0;   // fen × minutes / hour
    if (__builtin_mul_overflow(rate, minutes, &fen_minutes)) return false;
    if (t.per_unit && __builtin_mul_overflow(fen_minutes, Fen{units}, &fen_minutes)) return false;
    // Half up, once, on the whole booking. Both operands are >= 0, so / is floor; comparing the
    // remainder instead of adding 30 first cannot overflow.
    const Fen fen = fen_minutes / 60 + (fen_minutes % 60 >= 30 ? 1 : 0);
    gross = std::max(fen, t.minimum_charge);
    return true;
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

}  // namespace psp::detail
