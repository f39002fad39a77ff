// The compact ledger rows: served and unmet requests, prices and their notes come back exactly as
// they were added, whatever their shape (rare chains, notes, huge ids, missing ceilings).
#include <catch2/catch.hpp>

#include <limits>
#include <random>
#include <string>
#include <vector>

#include "database/price_table.hpp"
#include "database/request_log.hpp"
#include "database/text_table.hpp"
#include "psp/error.hpp"

using namespace psp;

namespace {

std::int64_t some_id(std::mt19937_64& rng) {
    switch (rng() % 6) {
        case 0: return 0;
        case 1: return std::numeric_limits<std::int64_t>::max() - static_cast<std::int64_t>(rng() % 5);
        case 2: return -static_cast<std::int64_t>(rng() % 1000) - 1;
        default: return static_cast<std::int64_t>(rng() % 5000) + 1;
    }
}

std::string some_text(std::mt19937_64& rng) {
    static const std::vector<std::string> texts{"", "", "", "yearly cap of ¥3,000.00 reached", "capped at the per-use cap of ¥500.00",
                                                "a note of the enterprise, longer than any small-string buffer holds"};
    std::string t = texts[rng() % texts.size()];
    if (!t.empty() && rng() % 4 == 0) t += " " + std::to_string(rng() % 100000);
    return t;
}

ServiceRequest some_request(std::mt19937_64& rng) {
    ServiceRequest q;
    q.enterprise = EnterpriseId(some_id(rng));
    q.kind = static_cast<ServiceKind>(rng() % service_kind_count);
    q.equipment_class = EquipmentClassId(some_id(rng));
    q.window = {static_cast<Time>(rng() % 1'000'000'000), static_cast<Time>(rng() % 1'000'000'000) + 2'000'000'000};
    q.minutes = static_cast<int>(rng() % 10'000) + 1;
    q.units = static_cast<int>(rng() % 50) + 1;
    if (rng() % 2) q.price_ceiling = static_cast<Fen>(rng() % 3) == 0 ? 0 : static_cast<Fen>(rng() % 10'000'000);
    q.voucher = VoucherSchemeId(some_id(rng));
    q.received_by = PlatformId(some_id(rng));
    q.front_door = AllianceId(some_id(rng));
    q.note = some_text(rng);
    return q;
}

}  // namespace

TEST_CASE("served and unmet requests come back from their compact rows as they were added", "[routing][ledger]") {
    std::mt19937_64 rng(16);
    detail::ServedLog served;
    detail::UnmetLog unmet;
    std::vector<ServedRequest> served_model;
    std::vector<UnmetRequest> unmet_model;
    for (int i = 0; i < 3000; ++i) {
        ServedRequest s;
        s.id = ServedRequestId(static_cast<std::int64_t>(served_model.size()) + 1);
        s.request = some_request(rng);
        Offer& o = s.offer;
        o.platform = PlatformId(some_id(rng));
        o.equipment = EquipmentId(some_id(rng));
        o.slot = {static_cast<Time>(rng() % 1'000'000), static_cast<Time>(rng() % 1'000'000) + 1'000'000};
        o.price = {static_cast<Fen>(rng() % 100000), static_cast<Fen>(rng() % 100000), static_cast<Fen>(rng() % 100000),
                   VoucherSchemeId(some_id(rng)), some_text(rng)};
        o.travel_minutes = static_cast<int>(rng() % 600);
        o.tier = static_cast<RouteTier>(rng() % route_tier_count);
        o.alliance = AllianceId(some_id(rng));
        // The usual chains ({platform}, {receiver, platform}) and the rare ones: empty, longer, or
        // not ending at the platform.
        switch (rng() % 6) {
            case 0: o.chain = {o.platform}; break;
            case 1:
            case 2: o.chain = {PlatformId(some_id(rng)), o.platform}; break;
            case 3: o.chain = {}; break;
            case 4: o.chain = {PlatformId(some_id(rng)), PlatformId(some_id(rng)), o.platform}; break;
            default: o.chain = {o.platform, PlatformId(some_id(rng))}; break;
        }
        o.referral_hops = static_cast<int>(rng() % 4);
        o.score = static_cast<double>(rng() % 100000) / 7.0;
        s.booking = BookingId(some_id(rng));
        s.at = static_cast<Time>(rng() % 2'000'000'000);
        served.push_back(s);
        served_model.push_back(s);

        UnmetRequest u;
        u.id = UnmetRequestId(static_cast<std::int64_t>(unmet_model.size()) + 1);
        u.request = some_request(rng);
        u.desk = PlatformId(some_id(rng));
        u.at = static_cast<Time>(rng() % 2'000'000'000);
        u.reason = rng() % 5 == 0 ? std::string() : "nothing fits; nearest miss: equipment " + std::to_string(rng() % 9000) + some_text(rng);
        unmet.push_back(u);
        unmet_model.push_back(u);
    }
    REQUIRE(served.size() == served_model.size());
    REQUIRE(unmet.size() == unmet_model.size());
    for (std::size_t i = 0; i < served_model.size(); ++i) {
        const ServedRequest& want = served_model[i];
        REQUIRE(served.get(i) == want);
        const auto& chain = want.offer.chain;
        REQUIRE(served.chain_size(i) == chain.size());
        REQUIRE(served.chain_front(i) == (chain.empty() ? 0 : chain.front().value));
        REQUIRE(served.row(i).slot == want.offer.slot);
    }
    for (std::size_t i = 0; i < unmet_model.size(); ++i) REQUIRE(unmet.get(i) == unmet_model[i]);
}

TEST_CASE("a request log takes ids in order only, and a bad one leaves it as it was", "[routing][ledger]") {
    detail::ServedLog served;
    ServedRequest s;
    s.id = ServedRequestId(2);
    s.offer.chain = {s.offer.platform};
    REQUIRE_THROWS_MATCHES(served.push_back(s), Error, Catch::Predicate<Error>([](const Error& e) { return e.code() == ErrorCode::format; }));
    REQUIRE(served.empty());
    s.id = ServedRequestId(1);
    s.request.kind = static_cast<ServiceKind>(300);   // a kind read from a damaged row
    REQUIRE_THROWS_AS(served.push_back(s), Error);
    REQUIRE(served.empty());

    detail::UnmetLog unmet;
    UnmetRequest u;
    u.id = UnmetRequestId(7);
    u.reason = "no operating platform";
    REQUIRE_THROWS_AS(unmet.push_back(u), Error);
    REQUIRE(unmet.empty());
    u.id = UnmetRequestId(1);
    unmet.push_back(u);
    REQUIRE(unmet.get(0) == u);
}

TEST_CASE("prices keep their voucher notes, each text stored once", "[pricing][ledger]") {
    detail::TextTable texts;
    REQUIRE(texts.intern("") == 0);
    REQUIRE(texts.text(0).empty());
    const auto a = texts.intern("yearly cap of ¥3,000.00 reached");
    const auto b = texts.intern("capped at the per-use cap of ¥500.00");
    REQUIRE(a != b);
    REQUIRE(texts.intern(std::string("yearly cap of ¥3,000.00 reached")) == a);
    REQUIRE(texts.text(a) == "yearly cap of ¥3,000.00 reached");
    REQUIRE(texts.text(b) == "capped at the per-use cap of ¥500.00");

    detail::PriceTable prices;
    std::mt19937_64 rng(9);
    std::vector<PriceBreakdown> model(500);
    for (std::size_t i = 0; i < model.size(); ++i) {
        model[i] = {static_cast<Fen>(rng() % 100000), static_cast<Fen>(rng() % 100000), static_cast<Fen>(rng() % 1000), VoucherSchemeId(some_id(rng)),
                    some_text(rng)};
        prices.put(BookingId(static_cast<std::int64_t>(i) + 1), model[i]);
    }
    prices.put(BookingId(0), model[0]);   // not a booking's id: ignored
    REQUIRE(prices.find(BookingId(0)) == nullptr);
    REQUIRE(prices.find(BookingId(501)) == nullptr);
    for (std::size_t i = 0; i < model.size(); ++i) {
        const auto* row = prices.find(BookingId(static_cast<std::int64_t>(i) + 1));
        REQUIRE(row != nullptr);
        REQUIRE(prices.breakdown(*row) == model[i]);
    }
}
