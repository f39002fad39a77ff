// The price of each booking, by booking id (Database::Impl::prices).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "database/text_table.hpp"
#include "psp/booking.hpp"
#include "psp/pricing.hpp"

namespace psp::detail {

// Booking ids are dense from 1 (the booking engine gives them in order), so a price is a slot in
// an array: a year of a simulation's bookings then costs 40 bytes each and no allocation, where a
// hash map cost a node of about 100 bytes and a malloc per booking. The voucher's note, where
// there is one, is a number in a table of notes (most prices share one of a few).
class PriceTable {
public:
    struct Row {
        Fen gross = 0, enterprise_pays = 0, voucher_pays = 0;
        std::int64_t scheme = 0;
        std::uint32_t note = 0;   // in notes(); 0: none
    };
    // The price of a booking, or nullptr when it has none (a free booking: no tariff).
    const Row* find(BookingId id) const {
        const auto i = index(id);
        return i < present_.size() && present_[i] ? &rows_[i] : nullptr;
    }
    PriceBreakdown breakdown(const Row& r) const {
        return {r.gross, r.enterprise_pays, r.voucher_pays, VoucherSchemeId(r.scheme), notes_.text(r.note)};
    }
    void put(BookingId id, const PriceBreakdown& p) {
        if (id.value < 1) return;   // not a booking's id
        const Row row{p.gross, p.enterprise_pays, p.voucher_pays, p.scheme.value, notes_.intern(p.voucher_note)};
        const auto i = index(id);
        if (i >= rows_.size()) {
            rows_.resize(i + 1);
            present_.resize(i + 1, false);
        }
        rows_[i] = row;
        present_[i] = true;
    }
    // Room for prices of bookings up to id `bookings`, for a caller that knows how many are coming.
    void reserve(std::size_t bookings) {
        rows_.reserve(bookings);
        present_.reserve(bookings);
    }

private:
    static std::size_t index(BookingId id) { return id.value < 1 ? static_cast<std::size_t>(-1) : static_cast<std::size_t>(id.value - 1); }

    std::vector<Row> rows_;
    std::vector<bool> present_;
    TextTable notes_;
};

}  // namespace psp::detail
