// Booking settings for a synthetic city: calendars, tariffs, rules and a voucher scheme, so that
// simulations and examples can book on it at once.
#include <algorithm>

#include "psp/database.hpp"
#include "psp/synth.hpp"

namespace psp::synth {

namespace {

std::int64_t configure(Database& db, const Actor& office, std::uint64_t seed) {
    for (const auto& p : db.platforms()) {
        Calendar c = Calendar::standard_working_week();
        // The seed rotates which platforms also open on Saturday mornings.
        if ((static_cast<std::uint64_t>(p.id.value) + seed) % 4 == 0) c.weekly[5] = {{9 * 60, 12 * 60}};
        db.set_calendar(office, p.id, c);
    }
    for (const auto& e : db.equipment()) {
        Tariff t;
        // Recover the purchase over ~8,000 booked hours; at least 50 yuan an hour.
        t.member_rate = std::max<Fen>(5'000, e.purchase_value / 8'000 / 100 * 100);
        t.external_rate = t.member_rate * 3 / 2;
        t.minimum_charge = t.member_rate / 2;
        t.late_cancel_fee = t.member_rate / 2;
        db.set_tariff(office, e.id, t);
        BookingRules r = db.booking_rules(e.id);
        r.late_cancel_fee = t.late_cancel_fee;
        r.approval_required = e.purchase_value > 100'000'000;   // above a million yuan
        r.training_required = (static_cast<std::uint64_t>(e.equipment_class.value) + seed) % 3 == 0;
        db.set_booking_rules(office, e.id, r);
    }
    return db.add_voucher_scheme(office, zhejiang_county_example()).value;
}

}  // namespace

std::int64_t configure_booking(Database& db, const Actor& office, std::uint64_t seed) {
    std::int64_t scheme = 0;
    db.transaction([&] { scheme = configure(db, office, seed); });   // one sync for thousands of settings
    return scheme;
}

}  // namespace psp::synth
