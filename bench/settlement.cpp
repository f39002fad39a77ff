// Issue 5 "Performance": settle() of a year's ledger at city scale (2,000,000 served requests over
// 300 platforms and 20 alliances), target <= 1 s; also one month out of the same ledger, the ledger in
// random order, and the exact netting at its limit.
//   psp_settlement [--entries N] [--platforms N] [--alliances N] [--runs N] [--strict]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "psp/settlement.hpp"
#include "timing.hpp"

using namespace psp;
using psp::bench::Clock;
using psp::bench::seconds_since;
using psp::bench::Timing;
using psp::bench::time_runs;

namespace {

constexpr Time D = 86400;
constexpr Time year_start = 1735660800;   // 2025-01-01 00:00 Asia/Shanghai
constexpr Period year{year_start, year_start + 365 * D};
constexpr Period march{year_start + 59 * D, year_start + 90 * D};

struct City {
    std::vector<std::vector<std::int64_t>> members;   // per alliance (index a ↔ AllianceId(a + 1))
    std::vector<AllianceSettlementRule> rules;
    SettlementRule outside{9000, 1000, 0};
};

// Each platform joins one or two alliances; each alliance gets its own split (referrer 5-15 %,
// pool 0-5 %, the server the rest).
City city(int platforms, int alliances, std::mt19937_64& rng) {
    City c;
    c.members.resize(static_cast<std::size_t>(alliances));
    for (std::int64_t p = 1; p <= platforms; ++p) {
        c.members[static_cast<std::size_t>(rng() % static_cast<std::uint64_t>(alliances))].push_back(p);
        if (rng() % 3 == 0) c.members[static_cast<std::size_t>(rng() % static_cast<std::uint64_t>(alliances))].push_back(p);
    }
    for (int a = 0; a < alliances; ++a) {
        auto& m = c.members[static_cast<std::size_t>(a)];
        std::sort(m.begin(), m.end());
        m.erase(std::unique(m.begin(), m.end()), m.end());
        if (m.size() < 2) m = {1, 2};
        const int referring = 500 + 100 * static_cast<int>(rng() % 11), pool = 100 * static_cast<int>(rng() % 6);
        c.rules.push_back({AllianceId(a + 1), {10000 - referring - pool, referring, pool}});
    }
    return c;
}

// A year of served requests in time order: 65 % served where received, 25 % referred within an
// alliance, 10 % referred outside; 40 % partly voucher-paid (6 schemes, 50-60 %, capped at 20,000 yuan);
// prices 50 to 20,000 yuan, mostly small.
std::vector<SettlementEntry> ledger(const City& c, int n, int platforms, std::mt19937_64& rng) {
    std::vector<SettlementEntry> out;
    out.reserve(static_cast<std::size_t>(n));
    const auto pick = [&rng](std::uint64_t k) { return rng() % k; };
    for (int i = 0; i < n; ++i) {
        SettlementEntry e;
        e.at = year.start + static_cast<Time>(static_cast<double>(i) / n * static_cast<double>(year.seconds()));
        e.request = i + 1;
        const auto kind = pick(100);
        if (kind < 65) {
            e.serving = PlatformId(1 + static_cast<std::int64_t>(pick(static_cast<std::uint64_t>(platforms))));
        } else if (kind < 90) {
            const auto a = pick(c.members.size());
            const auto& m = c.members[a];
            e.alliance = AllianceId(static_cast<std::int64_t>(a) + 1);
            e.serving = PlatformId(m[pick(m.size())]);
            do e.referring = PlatformId(m[pick(m.size())]);
            while (e.referring == e.serving);
        } else {
            e.serving = PlatformId(1 + static_cast<std::int64_t>(pick(static_cast<std::uint64_t>(platforms))));
            e.referring = PlatformId(1 + static_cast<std::int64_t>(pick(static_cast<std::uint64_t>(platforms))));
        }
        const double u = static_cast<double>(pick(1'000'000)) / 1e6;
        e.gross = static_cast<Fen>(5'000 * std::pow(400.0, u * u));   // 50 yuan .. 20,000 yuan
        if (pick(10) < 4) {
            e.scheme = VoucherSchemeId(1 + static_cast<std::int64_t>(pick(6)));
            e.voucher_pays = std::min<Fen>(e.gross * (50 + static_cast<Fen>(pick(11))) / 100, 2'000'000);
        }
        e.enterprise_pays = e.gross - e.voucher_pays;
        out.push_back(e);
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    int entries = 2'000'000, platforms = 300, alliances = 20, runs = 7;
    bool strict = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--entries" && i + 1 < argc) entries = std::stoi(argv[++i]);
        else if (a == "--platforms" && i + 1 < argc) platforms = std::stoi(argv[++i]);
        else if (a == "--alliances" && i + 1 < argc) alliances = std::stoi(argv[++i]);
        else if (a == "--runs" && i + 1 < argc) runs = std::stoi(argv[++i]);
        else if (a == "--strict") strict = true;
        else {
            std::fprintf(stderr, "usage: %s [--entries N] [--platforms N] [--alliances N] [--runs N] [--strict]\n", argv[0]);
            return 2;
        }
    }
    if (entries < 1 || platforms < 2 || alliances < 1 || runs < 1) {
        std::fprintf(stderr, "need entries >= 1, platforms >= 2, alliances >= 1, runs >= 1\n");
        return 2;
    }
    std::mt19937_64 rng(2025);
    const City c = city(platforms, alliances, rng);
    auto book = ledger(c, entries, platforms, rng);

    Settlement s;
    const auto settle_year = [&] { s = settle(book, c.rules, c.outside, year); };
    const Timing year_t = time_runs(runs, settle_year);
    const Settlement first = s;
    std::size_t creditors = 0, debtors = 0;
    for (const auto& p : s.platforms) {
        creditors += p.balance > 0 ? 1 : 0;
        debtors += p.balance < 0 ? 1 : 0;
    }
    const Timing month_t = time_runs(runs, [&] { s = settle(book, c.rules, c.outside, march); });
    const auto month_entries = s.totals.entries;
    std::shuffle(book.begin(), book.end(), rng);
    const Timing shuffled_t = time_runs(runs, settle_year);
    const bool same = s == first;

    // Exact netting at its limit: 20 balances with no opposites (2^20 subsets).
    std::vector<NetBalance> twenty;
    Fen sum = 0;
    for (int i = 1; i < exact_netting_limit; ++i) {
        const Fen a = (i % 2 == 0 ? 1 : -1) * static_cast<Fen>(1000 + 37 * i * i);
        twenty.push_back({PlatformId(i), a});
        sum += a;
    }
    twenty.push_back({PlatformId(exact_netting_limit), -sum});
    std::size_t exact_count = 0;
    const Timing exact_t = time_runs(runs, [&] { exact_count = net_transfers(twenty, Netting::exact).size(); });

    const auto& t = first.totals;
    std::printf("ledger: %d served requests over 2025, %d platforms, %d alliances; %lld referred, %zu voucher rows, "
                "%zu pools\n",
                entries, platforms, alliances, static_cast<long long>(t.referrals), first.vouchers.size(), first.pools.size());
    std::printf("totals: gross %lld fen = enterprises %lld + vouchers %lld; kept %lld + referral %lld + pool %lld\n",
                static_cast<long long>(t.gross), static_cast<long long>(t.enterprise_pays), static_cast<long long>(t.voucher_pays),
                static_cast<long long>(t.kept), static_cast<long long>(t.referral), static_cast<long long>(t.pool));
    std::printf("netting: %zu transfers (%s) for %zu creditors and %zu debtors: lower bound %zu, n - 1 = %zu; %lld fen moved\n",
                first.transfers.size(), first.netting == Netting::exact ? "exact" : "greedy", creditors, debtors,
                std::max(creditors, debtors), creditors + debtors - 1, static_cast<long long>(t.transferred));
    std::printf("settle a year:            median %.3f s (best %.3f, worst %.3f) of %d runs (target <= 1 s)\n", year_t.median,
                year_t.best, year_t.worst, runs);
    std::printf("settle a year, shuffled:  median %.3f s (best %.3f, worst %.3f); same outcome: %s\n", shuffled_t.median,
                shuffled_t.best, shuffled_t.worst, same ? "yes" : "NO");
    std::printf("settle March (%lld of the year's entries): median %.3f s\n", static_cast<long long>(month_entries), month_t.median);
    std::printf("exact netting of %d balances: median %.3f s, %zu transfers\n", exact_netting_limit, exact_t.median, exact_count);
    const bool met = year_t.median <= 1.0 && same;
    std::printf("target: %s\n", met ? "met" : "NOT met");
    return strict && !met ? 1 : 0;
}
