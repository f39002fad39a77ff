// The most a voucher can pay towards a booking, known before the booking's slot: routing uses it
// to refuse an instrument for its price without searching its calendar.
#pragma once

#include "psp/pricing.hpp"

namespace psp::detail {

// The largest voucher_pays that apply_voucher can give for `gross` under `scheme`, for any year
// and any account: the share for `size`, within the per-use cap and the whole yearly cap (0 when
// the kind is not eligible). Year validity, the account and the platform's acceptance only lower
// it further, so gross minus this is the least an enterprise can pay. The scheme must be valid.
Fen most_voucher_pays(Fen gross, const VoucherScheme& scheme, EnterpriseSize size, ServiceKind kind);

}  // namespace psp::detail
