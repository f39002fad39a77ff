// A week at a platform's equipment desk, on a synthetic district: tariffs and an innovation
// voucher scheme, bookings (some refused by a rule), a waitlist promoted by a cancellation, and
// the bills. Usage: booking_desk [--db PATH]   (default: in memory)
#include <cstdio>
#include <cstring>
#include <string>

#include "psp/psp.hpp"

namespace {

constexpr psp::Time hour = 3600, day = 86400;
constexpr psp::Time monday = 1741536000;   // Monday 2025-03-10 00:00 in Hangzhou (16:00 UTC the day before)

std::string yuan(psp::Fen fen) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lld.%02lld", static_cast<long long>(fen / 100), static_cast<long long>(fen % 100));
    return buf;
}

std::string when(psp::Period p) {
    const char* days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    const auto local = p.start - monday;
    char buf[48];
    std::snprintf(buf, sizeof buf, "%s %02lld:%02lld +%lldh", days[(local / day) % 7], static_cast<long long>(local % day / hour),
                  static_cast<long long>(local % hour / 60), static_cast<long long>(p.seconds() / hour));
    return buf;
}

}  // namespace

int main(int argc, char** argv) {
    std::string path = ":memory:";
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            path = argv[++i];
        } else {
            std::fprintf(stderr, "usage: %s [--db PATH]\n", argv[0]);
            return 2;
        }
    }
    try {
        psp::Time now = monday - 3 * day;   // the desk opens bookings the Friday before
        psp::OpenOptions options;
        options.clock = [&now] { return now; };
        auto db = psp::Database::open(path, options);
        const auto office = psp::Actor::office("desk demo");
        db.import_network(office, psp::synth::generate_city(psp::synth::CityParams::for_scale(psp::synth::Scale::district, 7)));

        // The first piece of equipment and its platform; two firms of the district.
        const auto eq = db.equipment().front();
        const auto platform = db.get(eq.owner);
        const auto op = psp::Actor::operator_of(platform.id, "lab manager");
        const auto firms = db.enterprises();
        const auto a = firms[0], b = firms[1];
        std::printf("%s at %s (%d unit%s)\n\n", eq.name.c_str(), platform.name.c_str(), eq.capacity_units,
                    eq.capacity_units > 1 ? "s" : "");

        db.set_tariff(op, eq.id, {20'000, 30'000, 10'000, 8'000, true});   // 200 / 300 yuan an hour
        const auto vouchers = db.add_voucher_scheme(office, psp::zhejiang_county_example());

        auto book = [&](const psp::Enterprise& firm, int weekday, int from_hour, int hours) {
            const psp::Time s = monday + weekday * day + from_hour * hour;
            psp::BookingRequest r{eq.id, firm.id, {s, s + hours * hour}, eq.capacity_units, "", vouchers};
            auto o = db.book(psp::Actor::enterprise_self(firm.id, firm.name), r);
            std::printf("  %-28s %-16s %s\n", firm.name.c_str(), when(r.period).c_str(),
                        o ? "booked" : o.reason.c_str());
            return o;
        };
        std::puts("Bookings (whole instrument each):");
        auto first = book(a, 0, 9, 2);
        book(b, 0, 10, 2);            // overlaps the first: capacity
        book(b, 0, 12, 2);            // over the lunch break: opening hours
        book(b, 5, 9, 2);             // Saturday: opening hours
        book(b, 1, 14, 3);

        // B waits for A's Monday morning; A cancels, B is promoted.
        psp::BookingRequest wish{eq.id, b.id, first.booking->period, eq.capacity_units, "", vouchers};
        db.join_waitlist(psp::Actor::enterprise_self(b.id), wish);
        now = monday - day;
        db.cancel(psp::Actor::enterprise_self(a.id), first.booking->id);
        for (const auto& w : db.take_promotions()) {
            std::printf("\nWaitlist: %s promoted into booking %lld\n", b.name.c_str(), static_cast<long long>(w.booking.value));
        }

        std::puts("\nBills:");
        std::printf("  %-6s %-28s %-16s %10s %10s %10s %8s\n", "id", "enterprise", "when", "gross", "voucher", "pays", "status");
        for (const auto& bk : db.bookings_of(eq.id, {monday, monday + 7 * day})) {
            const auto price = db.price_of(bk.id);
            const auto firm = db.get(bk.enterprise);
            // A cancelled or rejected booking costs only its late-cancellation fee; the voucher
            // part went back to the firm's account.
            const bool void_booking = bk.status == psp::BookingStatus::cancelled || bk.status == psp::BookingStatus::rejected;
            const psp::Fen voucher = void_booking ? 0 : price.voucher_pays;
            const psp::Fen pays = void_booking ? bk.cancellation_fee : price.enterprise_pays;
            std::printf("  %-6lld %-28s %-16s %10s %10s %10s %8s\n", static_cast<long long>(bk.id.value), firm.name.c_str(),
                        when(bk.period).c_str(), yuan(price.gross).c_str(), yuan(voucher).c_str(), yuan(pays).c_str(),
                        psp::to_string(bk.status));
        }
        const auto totals = db.voucher_redemptions(vouchers, {monday - 7 * day, monday + 7 * day});
        for (const auto& t : totals) {
            std::printf("\nVoucher scheme owes %s: %s yuan (%d redemptions, %d refunds)\n", db.get(t.platform).name.c_str(),
                        yuan(t.net).c_str(), t.redemptions, t.refunds);
        }
        return 0;
    } catch (const psp::Error& e) {
        std::fprintf(stderr, "booking_desk: %s (%s)\n", e.what(), psp::to_string(e.code()));
        return 1;
    }
}
