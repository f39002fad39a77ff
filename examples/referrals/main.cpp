// Coordination across a synthetic district: an enterprise asks its home platform for equipment the
// platform does not have; psp routes the request to an alliance partner and books it there. Then a
// month of requests from the district's firms is fulfilled the same way and settled between the
// members: who served, who referred, what each owes, what the voucher scheme reimburses.
// Usage: referrals [--db PATH]   (default: in memory)
#include <cstdio>
#include <cstring>
#include <map>
#include <random>
#include <string>

#include "psp/psp.hpp"

namespace {

constexpr psp::Time hour = 3600, day = 86400;
constexpr psp::Time monday = 1741536000;   // Monday 2025-03-10 00:00 in Hangzhou

std::string yuan(psp::Fen fen) {
    char buf[32];
    const char* sign = fen < 0 ? "-" : "";
    if (fen < 0) fen = -fen;
    std::snprintf(buf, sizeof buf, "%s%lld.%02lld", sign, static_cast<long long>(fen / 100), static_cast<long long>(fen % 100));
    return buf;
}

std::string when(psp::Period p) {
    const char* days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    const auto local = p.start - monday;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s %lld Mar %02lld:%02lld", days[(local / day) % 7], static_cast<long long>(10 + local / day),
                  static_cast<long long>(local % day / hour), static_cast<long long>(local % hour / 60));
    return buf;
}

psp::ServiceRequest equipment_request(const psp::Enterprise& firm, psp::EquipmentClassId cls, psp::Time from) {
    psp::ServiceRequest q;
    q.enterprise = firm.id;
    q.kind = psp::ServiceKind::equipment_sharing;
    q.equipment_class = cls;
    q.window = {from + 9 * hour, from + 17 * hour};
    q.minutes = 120;
    return q;
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
        psp::Time now = monday - 3 * day;
        psp::OpenOptions options;
        options.clock = [&now] { return now; };
        auto db = psp::Database::open(path, options);
        const auto office = psp::Actor::office("referral desk demo");
        db.import_network(office, psp::synth::generate_city(psp::synth::CityParams::for_scale(psp::synth::Scale::district, 5)));
        const auto vouchers = psp::VoucherSchemeId(psp::synth::configure_booking(db, office, 5));
        // Every alliance keeps 85 % with the platform that serves, 10 % for the one that referred and
        // 5 % for its pool; referrals outside any alliance: 92 % / 8 %.
        db.transaction([&] {
            for (const auto& a : db.alliances()) db.set_settlement_rule(office, a.id, {8500, 1000, 500});
            db.set_settlement_rule(office, psp::AllianceId(), {9200, 800, 0});
            // Training for everyone, so that only the network decides where a request goes.
            const auto trainer = psp::Actor::operator_of(db.platforms().front().id);
            for (const auto& firm : db.enterprises()) {
                for (const auto& c : db.equipment_classes()) db.set_training(trainer, firm.id, c.id, true);
            }
        });

        // 1. A firm whose home platforms have no instrument of a class that an alliance partner has.
        std::optional<psp::Offer> found;
        psp::ServiceRequest request;
        psp::RoutingPolicy home_only;
        home_only.open_tiers = {true, false, false, false, false};
        // The platform each zone's firms go to first: the nearest one serving the zone.
        std::map<psp::ZoneId, psp::ZoneService> nearest;
        for (const auto& z : db.zone_services()) {
            const auto p = db.get(z.platform);
            if (p.status != psp::PlatformStatus::operating || !p.services.contains(psp::ServiceKind::equipment_sharing)) continue;
            auto [it, fresh] = nearest.emplace(z.zone, z);
            if (!fresh && z.minutes < it->second.minutes) it->second = z;
        }
        for (const auto& firm : db.enterprises()) {
            if (!nearest.contains(firm.zone)) continue;
            for (const auto& cls : db.equipment_classes()) {
                auto q = equipment_request(firm, cls.id, monday + day);
                q.received_by = nearest.at(firm.zone).platform;
                q.voucher = vouchers;
                if (!db.route(q, home_only).empty()) continue;
                const auto offers = db.route(q);
                if (!offers.empty() && offers.front().tier == psp::RouteTier::alliance) {
                    found = offers.front();
                    request = q;
                    break;
                }
            }
            if (found) break;
        }
        if (!found) {
            std::puts("no firm in this district needs an alliance partner: nothing to show");
            return 0;
        }
        const auto firm = db.get(request.enterprise);
        const auto home = db.get(found->chain.front());
        std::printf("%s (%s) needs two hours of a %s on Tuesday.\n", firm.name.c_str(), psp::to_string(firm.size),
                    db.get(request.equipment_class).name.c_str());
        std::printf("Its platform, %s, has none. Offers across the network:\n", home.name.c_str());
        for (const auto& o : db.route(request)) {
            std::printf("  %-8s %s / %s, %s, %d min away: pays %s yuan (voucher %s)\n", psp::to_string(o.tier),
                        db.get(o.platform).name.c_str(), db.get(o.equipment).name.c_str(), when(o.slot).c_str(),
                        o.travel_minutes, yuan(o.price.enterprise_pays).c_str(), yuan(o.price.voucher_pays).c_str());
        }
        const auto done = db.fulfil(psp::Actor::enterprise_self(firm.id), request);
        if (!done) {
            std::printf("not served: %s\n", done.reason.c_str());
            return 1;
        }
        const auto& served = *done.served;
        std::printf("Booked: %s at %s, %s, booking %lld; referred by %s through alliance '%s'.\n\n",
                    db.get(db.get(served.booking).equipment).name.c_str(), db.get(served.offer.platform).name.c_str(),
                    when(served.offer.slot).c_str(), static_cast<long long>(served.booking.value), home.name.c_str(),
                    db.get(served.offer.alliance).name.c_str());

        // 2. A month of requests from the district's firms, routed the same way.
        std::mt19937_64 rng(2025);
        const auto firms = db.enterprises();
        const auto classes = db.equipment_classes();
        int asked = 0, met = 0;
        std::map<psp::RouteTier, int> by_tier;
        db.transaction([&] {
            for (int i = 0; i < 600; ++i) {
                const auto& f = firms[rng() % firms.size()];
                const psp::Time d = monday + static_cast<psp::Time>(rng() % 4) * 7 * day + static_cast<psp::Time>(rng() % 5) * day;
                auto q = equipment_request(f, classes[rng() % classes.size()].id, d);
                if (auto home_desk = nearest.find(f.zone); home_desk != nearest.end()) q.received_by = home_desk->second.platform;
                if (rng() % 2 == 0) q.voucher = vouchers;
                ++asked;
                if (const auto r = db.fulfil(psp::Actor::enterprise_self(f.id), q)) {
                    ++met;
                    ++by_tier[r.served->offer.tier];
                }
            }
        });
        std::printf("A month of requests: %d asked, %d served", asked, met);
        for (const auto& [tier, n] : by_tier) std::printf("; %s %d", psp::to_string(tier), n);
        std::puts(".\n");

        // 3. The month's settlement.
        const auto s = db.settle({monday, monday + 28 * day});
        std::printf("Settlement, 10 Mar - 6 Apr: %lld served requests (%lld referred), gross %s yuan\n",
                    static_cast<long long>(s.totals.entries), static_cast<long long>(s.totals.referrals),
                    yuan(s.totals.gross).c_str());
        std::printf("  paid by enterprises %s, by the voucher scheme %s; kept by servers %s, referral shares %s, pools %s\n",
                    yuan(s.totals.enterprise_pays).c_str(), yuan(s.totals.voucher_pays).c_str(), yuan(s.totals.kept).c_str(),
                    yuan(s.totals.referral).c_str(), yuan(s.totals.pool).c_str());
        std::puts("  transfers between members (fewest that clear every balance):");
        for (const auto& t : s.transfers) {
            std::printf("    %-34s -> %-34s %10s yuan\n", db.get(t.from).name.c_str(), db.get(t.to).name.c_str(),
                        yuan(t.amount).c_str());
        }
        std::puts("  alliance pools:");
        for (const auto& p : s.pools) {
            if (p.amount > 0) std::printf("    %-34s %10s yuan from %lld referrals\n", db.get(p.alliance).name.c_str(),
                                          yuan(p.amount).c_str(), static_cast<long long>(p.referrals));
        }
        std::puts("  voucher reimbursements owed by the scheme:");
        for (const auto& v : s.vouchers) {
            std::printf("    %-34s %10s yuan for %lld bookings\n", db.get(v.platform).name.c_str(), yuan(v.amount).c_str(),
                        static_cast<long long>(v.entries));
        }
        return 0;
    } catch (const psp::Error& e) {
        std::fprintf(stderr, "referrals: %s\n", e.what());
        return 1;
    }
}
