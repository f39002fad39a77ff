// JSON for calendars, booking rules and bookings (docs/booking-json.md): how they are stored in
// SQLite and shown in the journal.
#pragma once

#include <nlohmann/json.hpp>

#include "psp/booking.hpp"
#include "psp/calendar.hpp"

namespace psp::json {

nlohmann::json to_json(const Calendar&);
nlohmann::json to_json(const BookingRules&);
nlohmann::json to_json(const Booking&);

// Strict readers; errors are ErrorCode::invalid naming the JSON path under `path`.
Calendar calendar_from_json(const nlohmann::json&, const std::string& path = "");
BookingRules booking_rules_from_json(const nlohmann::json&, const std::string& path = "");

}  // namespace psp::json
