// Issue 5 "Performance": routing at city scale (300 platforms, 5,000 equipment, 50,000
// enterprises) with the equipment booked to about 60 % over a four-week window, in memory:
// route() latency for one request (median), and fulfil() throughput, one request per call and
// grouped by Database::transaction.
//   psp_routing [--routes N] [--fulfils N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "psp/psp.hpp"
#include "timing.hpp"

using psp::bench::Clock;
using psp::bench::median;
using psp::bench::seconds_since;
using namespace psp;

namespace {

constexpr Time H = 3600, D = 86400;
constexpr Time monday = 1741536000;   // 2025-03-10 00:00 Asia/Shanghai, a week without holidays



// Books each instrument's open weekday hours (09:00-12:00, 14:00-17:00) at random until about
// 60 % of them are taken.
long fill(Database& db, const std::vector<Equipment>& eq, const std::vector<Enterprise>& firms, std::mt19937_64& rng) {
    const Actor office = Actor::office();
    long booked = 0;
    db.transaction([&] {
        std::vector<BookingRequest> batch;
        for (const auto& e : eq) {
            for (int day = 0; day < 26; ++day) {
                if (day % 7 >= 5) continue;
                for (const Time start : {9 * H, 10 * H, 11 * H, 14 * H, 15 * H, 16 * H}) {
                    if (rng() % 10 >= 6) continue;
                    const Time s = monday + day * D + start;
                    batch.push_back({e.id, firms[rng() % firms.size()].id, {s, s + H}, 1, {}, {}});
                }
            }
        }
        for (const auto& o : db.book_batch(office, batch)) booked += o ? 1 : 0;
    });
    return booked;
}

}  // namespace

int main(int argc, char** argv) {
    int routes = 20000, fulfils = 20000;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--routes" && i + 1 < argc) routes = std::stoi(argv[++i]);
        else if (a == "--fulfils" && i + 1 < argc) fulfils = std::stoi(argv[++i]);
        else {
            std::fprintf(stderr, "usage: %s [--routes N] [--fulfils N]\n", argv[0]);
            return 2;
        }
    }
    Time now = monday - 2 * D;
    OpenOptions options;
    options.clock = [&now] { return now; };
    auto db = Database::open(":memory:", options);
    const Actor office = Actor::office();
    db.import_network(office, synth::generate_city(synth::CityParams::for_scale(synth::Scale::city, 1)));
    synth::configure_booking(db, office, 1);
    db.transaction([&] {   // training everywhere, so that the rule does not hide the routing cost
        const auto classes = db.equipment_classes();
        const auto trainer = Actor::operator_of(db.platforms().front().id);
        for (const auto& firm : db.enterprises()) {
            if (firm.id.value % 10 != 0) continue;
            for (const auto& c : classes) db.set_training(trainer, firm.id, c.id, true);
        }
    });
    const auto eq = db.equipment();
    auto firms = db.enterprises();
    firms.erase(std::remove_if(firms.begin(), firms.end(), [](const Enterprise& f) { return f.id.value % 10 != 0; }), firms.end());
    std::mt19937_64 rng(7);
    const auto t_fill = Clock::now();
    const long booked = fill(db, eq, firms, rng);
    std::printf("city: %zu platforms, %zu equipment, %zu enterprises (%zu trained, asking); %ld bookings filled in %.1f s\n",
                db.platforms().size(), eq.size(), db.enterprises().size(), firms.size(), booked, seconds_since(t_fill));

    const auto classes = db.equipment_classes();
    const auto request = [&](std::mt19937_64& r) {
        ServiceRequest q;
        q.enterprise = firms[r() % firms.size()].id;
        q.kind = ServiceKind::equipment_sharing;
        q.equipment_class = classes[r() % classes.size()].id;
        const Time day = monday + static_cast<Time>(r() % 4) * 7 * D + static_cast<Time>(r() % 5) * D;
        q.window = {day + 9 * H, day + 17 * H};
        q.minutes = 60;
        return q;
    };

    // route(): one request at a time, median latency.
    std::vector<double> us;
    std::size_t offers = 0;
    std::mt19937_64 r1(11);
    for (int i = 0; i < routes; ++i) {
        const auto q = request(r1);
        const auto t0 = Clock::now();
        offers += db.route(q).size();
        us.push_back(seconds_since(t0) * 1e6);
    }
    const double route_median = median(us);
    std::printf("route(): median %.1f us per request over %d requests (%.1f offers each; target <= 10 us)\n", route_median,
                routes, static_cast<double>(offers) / routes);

    // fulfil(): each call its own transaction, then grouped 1,000 to a transaction.
    std::mt19937_64 r2(13);
    long served = 0;
    const auto t1 = Clock::now();
    for (int i = 0; i < fulfils / 2; ++i) served += db.fulfil(office, request(r2)) ? 1 : 0;
    const double single_rate = (fulfils / 2) / seconds_since(t1);
    const auto t2 = Clock::now();
    for (int i = 0; i < fulfils / 2; i += 1000) {
        db.transaction([&] {
            for (int j = i; j < std::min(i + 1000, fulfils / 2); ++j) served += db.fulfil(office, request(r2)) ? 1 : 0;
        });
    }
    const double grouped_rate = (fulfils / 2) / seconds_since(t2);
    std::printf("fulfil(): %.0f requests/s one transaction each, %.0f requests/s 1,000 per transaction (%ld of %d served; "
                "target >= 200,000/s)\n",
                single_rate, grouped_rate, served, fulfils);
    const auto t3 = Clock::now();
    const auto s = db.settle({monday, monday + 28 * D});
    std::printf("settle(): %zu served requests, %zu transfers in %.3f s\n", static_cast<std::size_t>(s.totals.entries),
                s.transfers.size(), seconds_since(t3));
    return 0;
}
