// The direct JSON writers of the booking hot path say exactly what the JSON trees say.
#include <catch2/catch.hpp>

#include <random>

#include "json/booking_json.hpp"
#include "json/booking_text.hpp"
#include "json/pricing_json.hpp"

using namespace psp;

TEST_CASE("booking_text and price_text parse to to_json of the same values", "[json][booking]") {
    std::mt19937_64 rng(17);
    const std::vector<std::string> notes = {"", "质谱分析", "a \"quoted\" note\\ with\nnewline\tand tab", std::string("ctl\x01\x1f", 5),
                                            "emoji 🧪"};
    for (int i = 0; i < 500; ++i) {
        Booking b;
        b.id = BookingId(static_cast<std::int64_t>(rng() >> 1));
        b.equipment = EquipmentId(static_cast<std::int64_t>(rng() % 100000));
        b.enterprise = EnterpriseId(static_cast<std::int64_t>(rng() % 100000));
        b.period = {static_cast<Time>(rng() % 4'000'000'000ULL) - 1'000'000'000, 0};
        b.period.end = b.period.start + static_cast<Time>(rng() % 100000);
        b.units = static_cast<int>(rng() % 65535) + 1;
        b.status = static_cast<BookingStatus>(rng() % booking_status_count);
        b.created = static_cast<Time>(rng() >> 2);
        b.cancellation_fee = static_cast<Fen>(rng() % 1'000'000'000);
        b.note = notes[rng() % notes.size()];
        PriceBreakdown p;
        p.gross = static_cast<Fen>(rng() % 10'000'000'000ULL);
        p.voucher_pays = p.gross / 3;
        p.enterprise_pays = p.gross - p.voucher_pays;
        p.scheme = VoucherSchemeId(static_cast<std::int64_t>(rng() % 5));
        p.voucher_note = notes[rng() % notes.size()];

        CHECK(nlohmann::json::parse(json::price_text(p)) == json::to_json(p));
        CHECK(nlohmann::json::parse(json::booking_text(b)) == json::to_json(b));
        auto with_price = json::to_json(b);
        with_price["price"] = json::to_json(p);
        CHECK(nlohmann::json::parse(json::booking_text(b, &p)) == with_price);
    }
}
