// JSON text of a booking and of its price, written straight into a string. They are what the
// batch path stores for every booking (journal details, price row); building a JSON tree first
// cost more there than SQLite's own insert. Parsed, the text equals to_json() of the same value
// (with "price" added to the booking when given); the tests check that.
#pragma once

#include <string>

#include "psp/booking.hpp"
#include "psp/pricing.hpp"

namespace psp::json {

std::string price_text(const PriceBreakdown&);
std::string booking_text(const Booking&, const PriceBreakdown* price = nullptr);

}  // namespace psp::json
