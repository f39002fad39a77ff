// Validity checks of tariffs and voucher schemes, shared by validate() and the JSON readers so
// that both name the same field (as a JSON-pointer-like path relative to the object).
#pragma once

#include <optional>
#include <string>

#include "psp/pricing.hpp"

namespace psp::detail {

struct PricingProblem {
    std::string field;    // e.g. "member_rate", "share_bp/micro", "accepted_by/regions/2"
    std::string message;
};

std::optional<PricingProblem> tariff_problem(const Tariff&);
std::optional<PricingProblem> scheme_problem(const VoucherScheme&);

}  // namespace psp::detail
