// The price of each booking, by booking id (Database::Impl::prices).
#pragma once

#include <cstddef>
#include <vector>

#include "psp/booking.hpp"
#include "psp/pricing.hpp"

namespace psp::detail {

// Booking ids are dense from 1 (the booking engine gives them in order), so a price is a slot in
// an array: a year of a simulation's bookings then costs 65 bytes each and no allocation, where a
// hash map cost a node of about 100 bytes and a malloc per booking.
class PriceTable {
public:
    // The price of a booking, or nullptr when it has none (a free booking: no tariff).
    const PriceBreakdown* find(BookingId id) const {
        const auto i = index(id);
        return i < present_.size() && present_[i] ? &rows_[i] : nullptr;
    }
    void put(BookingId id, const PriceBreakdown& p) {
        if (id.value < 1) return;   // not a booking's id
        const auto i = index(id);
        if (i >= rows_.size()) {
            rows_.resize(i + 1);
            present_.resize(i + 1, false);
        }
        rows_[i] = p;
        present_[i] = true;
    }
    // Room for prices of bookings up to id `bookings`, for a caller that knows how many are coming.
    void reserve(std::size_t bookings) {
        rows_.reserve(bookings);
        present_.reserve(bookings);
    }

private:
    static std::size_t index(BookingId id) { return id.value < 1 ? static_cast<std::size_t>(-1) : static_cast<std::size_t>(id.value - 1); }

    std::vector<PriceBreakdown> rows_;
    std::vector<bool> present_;
};

}  // namespace psp::detail
