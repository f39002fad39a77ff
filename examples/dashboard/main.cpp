// A quarter in a synthetic district, as the promotion office sees it (§4.2 统计、监测, §4.3 考核评价):
// the district's firms ask for equipment every working day of Q1 2025 (most are served across the
// network, some are not), bookings are used, cancelled or missed; then the office reads the quarter's
// dashboard — the city month by month with the change on the month before, the busiest platforms,
// its alerts, a forecast of the weeks ahead — and runs the quarter's evaluation of every operating
// platform on the default indicator tree, with the incentive budget split by score.
// Usage: dashboard [--db PATH]   (default: in memory)
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <boost/date_time/gregorian/gregorian.hpp>

#include "psp/psp.hpp"

namespace greg = boost::gregorian;

namespace {

constexpr psp::Time hour = 3600, day = 86400;
constexpr psp::Time new_year = 1735660800;   // 2025-01-01 00:00 in Hangzhou

greg::date date(int y, int m, int d) {
    return {static_cast<unsigned short>(y), static_cast<unsigned short>(m), static_cast<unsigned short>(d)};
}

std::string iso(greg::date d) { return greg::to_iso_extended_string(d); }

std::string yuan(psp::Fen fen) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lld.%02lld", static_cast<long long>(fen / 100), static_cast<long long>(fen % 100));
    return buf;
}

std::string percent(double share) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.1f %%", 100.0 * share);
    return buf;
}

std::string change(const psp::PeriodChange& c) {
    if (!c.change_ratio) return "      -";
    char buf[16];
    std::snprintf(buf, sizeof buf, "%+6.1f%%", 100.0 * *c.change_ratio);
    return buf;
}

// A quarter of requests: each working day, firms drawn at random ask for 1-3 hours of a class within
// the next week, at the platform nearest their zone; once the day is over, its bookings are used
// (checked in and completed), or a few cancelled, and the office sweeps the no-shows.
void simulate_quarter(psp::Database& db, const psp::Actor& office, psp::Time& now, psp::VoucherSchemeId vouchers) {
    std::mt19937_64 rng(2025);
    const auto firms = db.enterprises();
    const auto classes = db.equipment_classes();
    std::map<psp::ZoneId, psp::PlatformId> desk;
    std::map<psp::ZoneId, int> minutes;
    for (const auto& z : db.zone_services()) {
        const auto p = db.get(z.platform);
        if (p.status != psp::PlatformStatus::operating || !p.services.contains(psp::ServiceKind::equipment_sharing)) continue;
        if (!minutes.contains(z.zone) || z.minutes < minutes[z.zone]) {
            minutes[z.zone] = z.minutes;
            desk[z.zone] = z.platform;
        }
    }
    std::vector<psp::BookingId> made;
    for (psp::Time today = new_year; today < new_year + 90 * day; today += day) {
        now = today + 8 * hour;
        const int weekday = static_cast<int>(((today - new_year) / day + 2) % 7);   // 2025-01-01 was a Wednesday
        if (weekday >= 5) continue;
        db.transaction([&] {
            const int asks = 120 + static_cast<int>(rng() % 60);
            for (int i = 0; i < asks; ++i) {
                const auto& f = firms[rng() % firms.size()];
                psp::ServiceRequest q;
                q.enterprise = f.id;
                q.kind = psp::ServiceKind::equipment_sharing;
                q.equipment_class = classes[rng() % classes.size()].id;
                const psp::Time from = today + static_cast<psp::Time>(1 + rng() % 7) * day;
                q.window = {from + 9 * hour, from + 17 * hour};
                q.minutes = 60 * static_cast<int>(1 + rng() % 3);
                if (const auto d = desk.find(f.zone); d != desk.end()) q.received_by = d->second;
                if (rng() % 3 == 0) q.voucher = vouchers;
                if (const auto r = db.fulfil(psp::Actor::enterprise_self(f.id), q); r && r.served->booking) {
                    made.push_back(r.served->booking);
                }
            }
        });
        // Yesterday's and older bookings that started by now: mostly used, some cancelled earlier.
        now = today + 20 * hour;
        db.transaction([&] {
            std::vector<psp::BookingId> open;
            for (const auto id : made) {
                const auto b = db.get(id);
                if (b.status != psp::BookingStatus::confirmed && b.status != psp::BookingStatus::pending) continue;
                if (b.period.start > now) {
                    if (rng() % 40 == 0) db.cancel(office, id);   // plans change
                    else open.push_back(id);
                    continue;
                }
                if (b.status == psp::BookingStatus::pending || rng() % 12 == 0) {
                    open.push_back(id);   // left for the no-show sweep
                    continue;
                }
                const psp::Time saved = now;
                now = b.period.start;
                db.check_in(office, id);
                now = saved;
                db.complete(office, id);
            }
            made = open;
        });
        (void)db.mark_no_shows(office);
    }
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
        psp::Time now = new_year - day;
        psp::OpenOptions options;
        options.clock = [&now] { return now; };
        auto db = psp::Database::open(path, options);
        const auto office = psp::Actor::office("district promotion office");
        db.import_network(office, psp::synth::generate_city(psp::synth::CityParams::for_scale(psp::synth::Scale::district, 5)));
        const auto vouchers = psp::VoucherSchemeId(psp::synth::configure_booking(db, office, 5));
        db.transaction([&] {
            const auto trainer = psp::Actor::operator_of(db.platforms().front().id);
            for (const auto& firm : db.enterprises()) {
                for (const auto& c : db.equipment_classes()) db.set_training(trainer, firm.id, c.id, true);
            }
        });
        simulate_quarter(db, office, now, vouchers);

        // --- The dashboard of Q1 2025.
        const greg::date q1(2025, 1, 1), q1_end(2025, 3, 31);
        std::puts("Q1 2025 dashboard of the district's public service platforms");
        std::puts("\nThe district month by month (change on the month before):");
        const psp::StatisticsQuery months{psp::StatSubject::city, {}, psp::SeriesPeriod::month, q1, q1_end};
        const auto rows = db.statistics(months);
        const auto booked = psp::period_over_period(rows, psp::StatMetric::booked_hours);
        const auto unmet = psp::period_over_period(rows, psp::StatMetric::unmet);
        std::puts("  month      bookings  booked h   change  utilisation  external  served/asked  unmet  new firms  revenue (yuan)");
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const auto& f = rows[i].figures;
            std::printf("  %s  %8lld  %8.0f  %s  %11s  %8s  %5lld/%-5lld  %5lld  %9lld  %14s\n", iso(rows[i].start).substr(0, 7).c_str(),
                        static_cast<long long>(f.bookings), booked[i].value, change(booked[i]).c_str(),
                        percent(f.utilisation()).c_str(), percent(f.external_share()).c_str(),
                        static_cast<long long>(f.requests_served), static_cast<long long>(f.requests_received),
                        static_cast<long long>(f.unmet), static_cast<long long>(f.new_enterprises), yuan(f.revenue).c_str());
        }
        (void)unmet;

        const psp::StatisticsQuery quarter{psp::StatSubject::platform, {}, psp::SeriesPeriod::quarter, q1, q1};
        const auto by_platform = db.statistics(quarter);
        // Platforms with shared equipment (open time to share) are the ones ranked and evaluated here.
        std::vector<psp::StatRow> sharing;
        for (const auto& r : by_platform) {
            if (r.figures.open_seconds > 0) sharing.push_back(r);
        }
        const auto ranked = psp::rank(sharing, psp::StatMetric::utilisation);
        std::printf("\nBusiest of the %zu platforms with shared equipment (utilisation in the quarter):\n", sharing.size());
        std::map<std::int64_t, const psp::StatRow*> row_of;
        for (const auto& r : by_platform) row_of[r.id] = &r;
        for (std::size_t i = 0; i < ranked.size() && i < 8; ++i) {
            const auto& f = row_of.at(ranked[i].id)->figures;
            std::printf("  %2d. %-36s %8s  %6.0f h booked  %4lld firms  referred in %lld\n", ranked[i].rank,
                        db.get(psp::PlatformId(ranked[i].id)).name.c_str(), percent(ranked[i].value).c_str(),
                        static_cast<double>(f.booked_seconds) / 3600.0, static_cast<long long>(f.enterprises_served),
                        static_cast<long long>(f.referred_in));
        }

        // The office's standing rules, checked on the quarter's months.
        db.set_alert_rules(office, {{"idle equipment", psp::AlertKind::below_for, psp::StatMetric::utilisation, 0.05, 3,
                                     psp::StatSubject::platform},
                                    {"unmet demand rising", psp::AlertKind::rising_for, psp::StatMetric::unmet, 0, 2,
                                     psp::StatSubject::platform},
                                    {"voucher budget", psp::AlertKind::total_above, psp::StatMetric::voucher_spend,
                                     5'000'000, 1, psp::StatSubject::city}});
        psp::StatisticsQuery alert_rows{psp::StatSubject::platform, {}, psp::SeriesPeriod::month, q1, q1_end};
        for (const auto& r : sharing) alert_rows.ids.push_back(r.id);
        auto alerts = db.alerts(alert_rows);
        alert_rows.subject = psp::StatSubject::city;
        alert_rows.ids.clear();
        const auto city_alerts = db.alerts(alert_rows);
        alerts.insert(alerts.end(), city_alerts.begin(), city_alerts.end());
        std::printf("\nAlerts (%zu):\n", alerts.size());
        for (std::size_t i = 0; i < alerts.size() && i < 10; ++i) std::printf("  [%s] %s\n", alerts[i].rule.c_str(), alerts[i].message.c_str());
        if (alerts.size() > 10) std::printf("  ... and %zu more\n", alerts.size() - 10);

        const psp::StatisticsQuery weeks{psp::StatSubject::city, {}, psp::SeriesPeriod::week, date(2025, 1, 6), date(2025, 3, 30)};
        const auto f = db.forecast_statistic(weeks, psp::StatMetric::bookings, 4);
        std::printf("\nBookings per week, the next four weeks (%s, backtest MAE %.1f over %lld weeks):\n",
                    f.model.method == psp::ForecastMethod::holt ? "Holt's linear trend" : "Holt-Winters",
                    f.backtest ? f.backtest->mae : 0.0, static_cast<long long>(f.backtest ? f.backtest->points : 0));
        std::printf("  last four weeks:");
        for (std::size_t i = f.history.size() - 4; i < f.history.size(); ++i) std::printf(" %.0f", f.history[i]);
        std::printf("\n  forecast:       ");
        for (std::size_t i = 0; i < f.forecast.size(); ++i) std::printf(" %.0f (from %s)", f.forecast[i], iso(f.ahead[i]).c_str());
        std::puts("");

        // --- The quarter's evaluation on the default tree: the measured indicators come from the
        // statistics; online service and the entered scores (self-assessment, third party, public
        // rating) are the platforms' and evaluators' own, here drawn at random but fixed by the seed.
        psp::EvaluationRequest request;
        request.label = "2025 Q1 evaluation";
        request.from = q1;
        request.to = q1_end;
        request.budget = 500'000'00;   // 500,000 yuan
        std::mt19937_64 scores(7);
        for (const auto& r : sharing) request.platforms.push_back(psp::PlatformId(r.id));
        for (const auto& p : db.platforms()) {
            if (std::find(request.platforms.begin(), request.platforms.end(), p.id) == request.platforms.end()) continue;
            request.values.push_back({p.id, "online service", psp::EvaluationSource::measured, 0.5 + 0.1 * static_cast<double>(scores() % 6)});
            for (const auto& g : request.tree.groups) {
                for (const auto& ind : g.indicators) {
                    for (int s = 0; s < 3; ++s) {
                        if (ind.source_bp[static_cast<std::size_t>(s)] == 0) continue;
                        request.values.push_back({p.id, ind.name, static_cast<psp::EvaluationSource>(s + 1),
                                                  55.0 + static_cast<double>(scores() % 45)});
                    }
                }
            }
        }
        const auto run_id = db.run_evaluation(office, request);
        const auto run = db.evaluation(run_id).run;
        std::map<psp::EvaluationGrade, int> grades;
        for (const auto& r : run.results) ++grades[r.grade];
        std::printf("\nEvaluation '%s' (run %lld): %zu platforms; excellent %d, good %d, pass %d, poor %d (flagged for public naming)\n",
                    request.label.c_str(), static_cast<long long>(run_id.value), run.results.size(),
                    grades[psp::EvaluationGrade::excellent], grades[psp::EvaluationGrade::good], grades[psp::EvaluationGrade::pass],
                    grades[psp::EvaluationGrade::poor]);
        std::puts("  rank  platform                              score  management  operation  sharing  network  grade      incentive (yuan)");
        for (std::size_t i = 0; i < run.results.size(); ++i) {
            if (i >= 10 && i + 3 < run.results.size()) {
                if (i == 10) std::puts("   ...");
                continue;
            }
            const auto& r = run.results[i];
            std::printf("  %4d  %-36s %6.2f  %10.2f  %9.2f  %7.2f  %7.2f  %-9s  %16s\n", r.rank, db.get(r.platform).name.c_str(), r.score,
                        r.group_scores[0], r.group_scores[1], r.group_scores[2], r.group_scores[3], psp::to_string(r.grade),
                        yuan(r.incentive).c_str());
        }
        std::printf("  incentive budget %s yuan: %s allocated, %s unallocated\n", yuan(request.budget).c_str(), yuan(run.allocated).c_str(),
                    yuan(run.unallocated).c_str());
        return 0;
    } catch (const psp::Error& e) {
        std::fprintf(stderr, "dashboard: %s\n", e.what());
        return 1;
    }
}
