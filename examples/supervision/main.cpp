// A district's major projects (§6) through three years: the office files a dozen projects of its
// backbone platforms, the rolling pipeline ("build a batch, reserve a batch, plan a batch") moves
// them each quarter, the owners record milestones and spending (some keep pace, some fall behind),
// and quarterly supervision answers on-track, warning, rectify, suspend funding or revoke, escalating
// missed deadlines. Prints the decisions that need action and the last year's supervision report.
// Usage: supervision [--db PATH]   (default: in memory)
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "psp/psp.hpp"

namespace greg = boost::gregorian;

namespace {

constexpr psp::Fen million = 100'000'000;   // a million yuan, in fen

greg::date day(int y, int m, int d) {
    return {static_cast<unsigned short>(y), static_cast<unsigned short>(m), static_cast<unsigned short>(d)};
}

std::string iso(greg::date d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(d.year()), static_cast<int>(d.month()),
                  static_cast<int>(d.day()));
    return buf;
}

// A two-year project of `owner`, planned; four milestones, one each half year.
psp::Project plan(int n, psp::PlatformId owner, greg::date start) {
    static const char* names[] = {"Zone testing database", "Shared cleanroom", "Design-data platform",
                                  "Key-technology effort: sensors", "Service information system", "Talent team"};
    static const psp::ProjectKind kinds[] = {psp::ProjectKind::database, psp::ProjectKind::large_laboratory,
                                             psp::ProjectKind::database, psp::ProjectKind::key_technology,
                                             psp::ProjectKind::information_system, psp::ProjectKind::team_building};
    psp::Project p;
    p.name = std::string(names[n % 6]) + " #" + std::to_string(n + 1);
    p.kind = kinds[n % 6];
    p.platforms = {owner};
    p.budget = (8 + 3 * (n % 5)) * million;
    p.funding = {p.budget * 6 / 10, p.budget * 3 / 10, p.budget - p.budget * 6 / 10 - p.budget * 3 / 10};
    p.score = 60 + (n * 7) % 35;
    p.green_channel = n % 4 == 1;
    p.start = start;
    p.end = start + greg::years(2) - greg::days(1);
    for (int k = 1; k <= 4; ++k) {
        const char* what[] = {"design approved", "equipment installed", "pilot service", "acceptance"};
        p.milestones.push_back({k == 4 ? p.end : start + greg::months(6 * k) - greg::days(1), what[k - 1], 2500, std::nullopt});
    }
    return p;
}

// What the owner reports by `on`: diligent projects finish milestones on time and spend in step;
// every third one stalls after its first milestone but keeps spending.
void report_progress(psp::Project& p, int n, greg::date on) {
    if (p.stage != psp::ProjectStage::building) return;
    const bool stalls = n % 3 == 2;
    int done = 0;
    for (std::size_t k = 0; k < p.milestones.size(); ++k) {
        auto& m = p.milestones[k];
        if (!m.done && m.due <= on && (!stalls || k == 0)) m.done = m.due;
        done += m.done ? 1 : 0;
    }
    if (p.disbursements.empty() && p.approved) p.disbursements.push_back({*p.approved, p.funding.government / 2, "first tranche"});
    psp::Fen spent = 0;
    for (const auto& s : p.spending) spent += s.amount;
    const psp::Fen should = p.budget * (stalls ? done + 1 : done) / 4;
    if (should > spent && should <= p.budget) p.spending.push_back({on, should - spent, "works"});
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
        auto db = psp::Database::open(path);
        const auto office = psp::Actor::office("District service industry office");
        db.import_network(office, psp::synth::generate_city(psp::synth::CityParams::for_scale(psp::synth::Scale::district, 3)));
        std::vector<psp::PlatformId> backbones;
        for (const auto& p : db.platforms()) {
            if (p.backbone) backbones.push_back(p.id);
        }
        if (backbones.empty()) throw psp::Error(psp::ErrorCode::not_found, "the synthetic district has no backbone platform");

        std::vector<psp::ProjectId> ids;
        db.transaction([&] {
            for (int n = 0; n < 12; ++n) {
                ids.push_back(db.add_project(office, plan(n, backbones[static_cast<std::size_t>(n) % backbones.size()],
                                                          day(2025, 1 + (n % 4) * 3, 1))));
            }
        });
        std::printf("%zu projects filed for %zu backbone platforms, 2025-2027.\n\n", ids.size(), backbones.size());

        psp::PipelineTargets targets;
        targets.reserved = 6;
        targets.building = 4;
        targets.government_per_year = 40 * million;
        for (int year = 2025; year <= 2027; ++year) {
            for (int quarter = 1; quarter <= 4; ++quarter) {
                const greg::date on = greg::date(static_cast<unsigned short>(year), static_cast<unsigned short>(quarter * 3), 1)
                                          .end_of_month();
                const auto advance = db.advance_pipeline(office, targets, {}, on);
                for (const auto& m : advance.moves) {
                    if (m.outcome != psp::PipelineOutcome::stayed) {
                        std::printf("%s  %-40s %s\n", iso(on).c_str(),
                                    db.project(m.project).name.c_str(), m.reason.c_str());
                    }
                }
                for (std::size_t n = 0; n < ids.size(); ++n) {
                    auto p = db.project(ids[n]);
                    const auto before = p;
                    report_progress(p, static_cast<int>(n), on);
                    if (p != before) db.update_project(psp::Actor::operator_of(p.platforms.front()), p);
                }
                for (const auto& d : db.supervise(office, {}, on)) {
                    if (d.verdict == psp::Verdict::on_track) continue;
                    std::printf("%s  %-40s %s\n", iso(on).c_str(),
                                db.project(d.project).name.c_str(), d.reason.c_str());
                }
            }
        }
        std::puts("");
        const auto report = db.supervision_report("Xihu District Service Industry Office",
                                                  {"2027", day(2027, 1, 1), day(2027, 12, 31)});
        std::fputs(psp::supervision_report_text(report).c_str(), stdout);
        return 0;
    } catch (const psp::Error& e) {
        std::fprintf(stderr, "supervision: %s\n", e.what());
        return 1;
    }
}
