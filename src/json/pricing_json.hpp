// JSON for tariffs, voucher schemes and price breakdowns (docs/booking-json.md, "Tariffs and
// vouchers"): how they are stored in SQLite and shown in the journal.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "psp/pricing.hpp"

namespace psp::json {

nlohmann::json to_json(const Tariff&);
nlohmann::json to_json(const VoucherScheme&);
nlohmann::json to_json(const PriceBreakdown&);

// Strict readers: unknown keys, wrong types and values validate() refuses are ErrorCode::invalid
// naming the JSON path under `path` (e.g. "/schemes/0/share_bp/micro: ...").
Tariff tariff_from_json(const nlohmann::json&, const std::string& path = "");
VoucherScheme voucher_scheme_from_json(const nlohmann::json&, const std::string& path = "");
PriceBreakdown price_breakdown_from_json(const nlohmann::json&, const std::string& path = "");

}  // namespace psp::json
