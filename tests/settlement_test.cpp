// Settlement (include/psp/settlement.hpp): the rounding rule of a split, rule and entry validation,
// every kind of entry, netting (exact, greedy, brute force), and random ledgers checked against a
// 128-bit reference and the identities stated in the header.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <numeric>
#include <random>
#include <vector>

#include "psp/error.hpp"
#include "psp/settlement.hpp"

using namespace psp;

namespace {

constexpr Time t0 = 1740787200;            // 2025-03-01 00:00 UTC
constexpr Period march{t0, t0 + 31 * 86400};

// The reference arithmetic of the tests: exact, in 128 bits (GCC/Clang extension).
__extension__ typedef __int128 Wide;

SettlementRule rule(int serving, int referring, int pool) { return {serving, referring, pool}; }

SettlementEntry entry(std::int64_t request, std::int64_t serving, std::int64_t referring, std::int64_t alliance, Fen gross,
                      Fen voucher = 0, std::int64_t scheme = 0, Time at = t0 + 3600) {
    return {at, request, PlatformId(serving), PlatformId(referring), AllianceId(alliance), gross, gross - voucher, voucher,
            VoucherSchemeId(scheme)};
}

bool throws_invalid(const auto& f, const std::string& fragment) {
    try {
        f();
    } catch (const Error& e) {
        if (e.code() != ErrorCode::invalid) return false;
        if (std::string(e.what()).find(fragment) != std::string::npos) return true;
        UNSCOPED_INFO("message: " << e.what());
        return false;
    }
    return false;
}

const PlatformPosition& position(const Settlement& s, std::int64_t platform) {
    const auto it = std::find_if(s.platforms.begin(), s.platforms.end(),
                                 [&](const PlatformPosition& p) { return p.platform == PlatformId(platform); });
    REQUIRE(it != s.platforms.end());
    return *it;
}

std::vector<NetBalance> balances_of(const Settlement& s) {
    std::vector<NetBalance> out;
    for (const auto& p : s.platforms) out.push_back({p.platform, p.balance});
    return out;
}

// Applies the transfers: every balance must end at 0, and each transfer goes from a payer to a receiver.
void check_clears(std::span<const NetBalance> balances, const std::vector<Transfer>& transfers) {
    std::map<PlatformId, Fen> left;
    std::size_t non_zero = 0, receivers = 0, payers = 0;
    Fen positive = 0;
    for (const auto& b : balances) {
        left[b.platform] = b.amount;
        if (b.amount != 0) ++non_zero;
        if (b.amount > 0) {
            ++receivers;
            positive += b.amount;
        }
        if (b.amount < 0) ++payers;
    }
    Fen moved = 0;
    for (const auto& t : transfers) {
        REQUIRE(t.amount > 0);
        REQUIRE(t.from != t.to);
        REQUIRE(left.count(t.from) == 1);
        REQUIRE(left.count(t.to) == 1);
        CHECK(left[t.from] < 0);
        CHECK(left[t.to] > 0);
        left[t.from] += t.amount;
        left[t.to] -= t.amount;
        moved += t.amount;
    }
    for (const auto& [platform, amount] : left) {
        INFO("platform " << platform.value);
        CHECK(amount == 0);
    }
    CHECK(moved == positive);   // Σ transfers = Σ positive balances
    CHECK(transfers.size() <= (non_zero == 0 ? 0 : non_zero - 1));
    CHECK(transfers.size() >= std::max(receivers, payers));
    for (std::size_t i = 1; i < transfers.size(); ++i) {
        CHECK(std::pair(transfers[i - 1].from, transfers[i - 1].to) < std::pair(transfers[i].from, transfers[i].to));
    }
}

// The fewest transfers by brute force: enumerate the partitions of the non-zero balances into
// zero-sum blocks (the block of the first element, then the rest), keep the most blocks; a block of k
// needs k − 1 transfers and no set of transfers does better.
int most_zero_sum_blocks(const std::vector<Fen>& v, std::uint32_t mask, std::vector<int>& memo) {
    if (mask == 0) return 0;
    if (memo[mask] >= 0) return memo[mask];
    const int first = __builtin_ctz(mask);
    const std::uint32_t rest = mask & (mask - 1);
    int best = -1000;
    for (std::uint32_t sub = rest;; sub = (sub - 1) & rest) {
        Fen sum = v[static_cast<std::size_t>(first)];
        for (std::uint32_t b = sub; b != 0; b &= b - 1) sum += v[static_cast<std::size_t>(__builtin_ctz(b))];
        if (sum == 0) best = std::max(best, 1 + most_zero_sum_blocks(v, rest & ~sub, memo));
        if (sub == 0) break;
    }
    return memo[mask] = best;
}

std::size_t brute_force_minimum(std::span<const NetBalance> balances) {
    std::vector<Fen> v;
    for (const auto& b : balances) {
        if (b.amount != 0) v.push_back(b.amount);
    }
    if (v.empty()) return 0;
    std::vector<int> memo(std::size_t{1} << v.size(), -1);
    return v.size() - static_cast<std::size_t>(most_zero_sum_blocks(v, (std::uint32_t{1} << v.size()) - 1, memo));
}

std::vector<NetBalance> numbered(const std::vector<Fen>& amounts) {
    std::vector<NetBalance> out;
    for (std::size_t i = 0; i < amounts.size(); ++i) out.push_back({PlatformId(static_cast<std::int64_t>(i) + 1), amounts[i]});
    return out;
}

}  // namespace

TEST_CASE("split: floor for referrer and pool, the rest to the serving platform", "[settlement]") {
    const auto r = rule(7000, 2000, 1000);
    CHECK(split(10000, r) == SettlementShares{7000, 2000, 1000});
    CHECK(split(0, r) == SettlementShares{0, 0, 0});
    CHECK(split(1, r) == SettlementShares{1, 0, 0});     // 0.7 / 0.2 / 0.1: the fen is the server's
    CHECK(split(9, r) == SettlementShares{8, 1, 0});     // 6.3 / 1.8 / 0.9
    CHECK(split(12345, r) == SettlementShares{8642, 2469, 1234});   // 8641.5 / 2469 / 1234.5
    // Thirds: both floors lose 2/3 fen, the server gains 4/3 (its exact share + less than 2 fen).
    CHECK(split(2, rule(3334, 3333, 3333)) == SettlementShares{2, 0, 0});
    CHECK(split(100, rule(3334, 3333, 3333)) == SettlementShares{34, 33, 33});
    // Not referred: the whole price stays with the platform that served it, whatever the rule.
    CHECK(split(12345, r, false) == SettlementShares{12345, 0, 0});
    // No overflow at the top of the range.
    const Fen top = std::numeric_limits<Fen>::max();
    const auto s = split(top, rule(0, 5000, 5000));
    CHECK(s.referring == top / 2);
    CHECK(s.pool == top / 2);
    CHECK(s.serving == 1);
    CHECK(throws_invalid([] { split(-1, rule(10000, 0, 0)); }, "gross: -1 fen is negative"));
    CHECK(throws_invalid([] { split(1, rule(9000, 0, 0)); }, "settlement rule shares"));
}

TEST_CASE("split: random amounts against the 128-bit reference", "[settlement]") {
    std::mt19937_64 rng(20250301);
    for (int i = 0; i < 20000; ++i) {
        const int referring = static_cast<int>(rng() % 10001);
        const int pool = static_cast<int>(rng() % static_cast<std::uint64_t>(10001 - referring));
        const int serving = 10000 - referring - pool;
        const Fen gross = i % 3 == 0 ? static_cast<Fen>(rng() % 1000)
                                     : static_cast<Fen>(rng() >> (rng() % 63 + 1));   // every magnitude
        const auto s = split(gross, rule(serving, referring, pool));
        INFO("gross " << gross << " bp " << serving << "/" << referring << "/" << pool);
        REQUIRE(static_cast<Wide>(s.referring) == static_cast<Wide>(gross) * referring / 10000);
        REQUIRE(static_cast<Wide>(s.pool) == static_cast<Wide>(gross) * pool / 10000);
        REQUIRE(s.serving + s.referring + s.pool == gross);
        const Wide extra = static_cast<Wide>(s.serving) - static_cast<Wide>(gross) * serving / 10000;
        REQUIRE(extra >= 0);
        REQUIRE(extra <= 2);
    }
}

TEST_CASE("rules: each share in 0..10000, summing to 10000", "[settlement]") {
    CHECK_NOTHROW(validate(rule(10000, 0, 0)));
    CHECK_NOTHROW(validate(rule(0, 10000, 0)));
    CHECK_NOTHROW(validate(rule(0, 0, 10000)));
    CHECK_NOTHROW(validate(SettlementRule{}));   // the default keeps everything with the server
    CHECK(throws_invalid([] { validate(rule(-1, 10001, 0)); }, "settlement rule serving_bp: -1 basis points is outside 0..10000"));
    CHECK(throws_invalid([] { validate(rule(10001, -1, 0)); }, "settlement rule serving_bp: 10001"));
    CHECK(throws_invalid([] { validate(rule(10000, -1, 1)); }, "settlement rule referring_bp: -1"));
    CHECK(throws_invalid([] { validate(rule(0, 0, 10001)); }, "settlement rule pool_bp: 10001"));
    CHECK(throws_invalid([] { validate(rule(5000, 3000, 1000)); },
                         "settlement rule shares: serving_bp 5000 + referring_bp 3000 + pool_bp 1000 = 9000 basis points, not 10000"));
    CHECK(throws_invalid([] { validate(rule(5000, 4000, 2000)); }, "= 11000 basis points"));
}

TEST_CASE("settle: every kind of entry, worked by hand", "[settlement]") {
    // Alliance 10: serving 80 %, referring 15 %, pool 5 %. Outside alliances: 90 / 10 / 0.
    const std::vector<AllianceSettlementRule> rules{{AllianceId(10), rule(8000, 1500, 500)}};
    const auto outside = rule(9000, 1000, 0);
    const std::vector<SettlementEntry> ledger{
        entry(1, 1, 0, 0, 50000),                      // served where received: 1 keeps all
        entry(2, 2, 2, 10, 30000),                     // received = served: no referral either
        entry(3, 2, 1, 10, 100001),                    // 1 refers to 2 in alliance 10
        entry(4, 3, 2, 0, 20000, 12000, 7),            // 2 refers to 3 outside alliances; voucher 7 pays 12000
        entry(5, 1, 3, 10, 40000, 40000, 8),           // 3 refers to 1 in alliance 10; fully voucher-paid
        entry(6, 3, 0, 99, 7000, 1000, 7),             // alliance without a rule, but no referral: fine
        entry(7, 1, 2, 10, 0),                         // a free service referred: shares of 0
        entry(8, 9, 1, 10, 999, 0, 0, march.end),      // outside the period: skipped
        entry(9, 9, 1, 10, 999, 0, 0, march.start - 1),
    };
    const auto s = settle(ledger, rules, outside, march);
    CHECK(s.period == march);

    // Entry 3: 100001 × 15 % = 15000.15 → 15000; × 5 % = 5000.05 → 5000; serving 80001.
    // Entry 4: 20000 × 10 % = 2000 to platform 2; 18000 kept by 3; 12000 reimbursed to 3 by scheme 7.
    // Entry 5: 40000 × 15 % = 6000 to 3, 2000 to pool 10, 32000 kept by 1; 40000 reimbursed to 1 by 8.
    const auto& p1 = position(s, 1);
    CHECK(p1.served == 3);
    CHECK(p1.referred == 1);
    CHECK(p1.gross_served == 90000);
    CHECK(p1.collected == 50000);
    CHECK(p1.voucher_due == 40000);
    CHECK(p1.kept == 50000 + 32000);
    CHECK(p1.referral_owed == 6000);
    CHECK(p1.pool_owed == 2000);
    CHECK(p1.referral_earned == 15000);
    CHECK(p1.balance == 9000);

    const auto& p2 = position(s, 2);
    CHECK(p2.served == 2);
    CHECK(p2.referred == 2);   // entries 4 and 7
    CHECK(p2.gross_served == 130001);
    CHECK(p2.kept == 30000 + 80001);
    CHECK(p2.referral_owed == 15000);
    CHECK(p2.pool_owed == 5000);
    CHECK(p2.referral_earned == 2000);
    CHECK(p2.balance == -13000);

    const auto& p3 = position(s, 3);
    CHECK(p3.served == 2);
    CHECK(p3.referred == 1);
    CHECK(p3.collected == 8000 + 6000);
    CHECK(p3.voucher_due == 13000);
    CHECK(p3.kept == 18000 + 7000);
    CHECK(p3.referral_owed == 2000);
    CHECK(p3.referral_earned == 6000);
    CHECK(p3.balance == 4000);

    CHECK(s.platforms.size() == 3);   // platform 9 only appears outside the period
    CHECK(s.transfers == std::vector<Transfer>{{PlatformId(2), PlatformId(1), 9000}, {PlatformId(2), PlatformId(3), 4000}});
    CHECK(s.netting == Netting::exact);
    CHECK(s.vouchers == std::vector<VoucherReimbursement>{{VoucherSchemeId(7), PlatformId(3), 13000, 2},
                                                          {VoucherSchemeId(8), PlatformId(1), 40000, 1}});
    CHECK(s.pools == std::vector<AlliancePool>{{AllianceId(10), 7000, 3}});
    CHECK(s.contributions == std::vector<PoolContribution>{{AllianceId(10), PlatformId(1), 2000},
                                                            {AllianceId(10), PlatformId(2), 5000}});
    CHECK(s.totals == SettlementTotals{7, 4, 247001, 194001, 53000, 217001, 23000, 7000, 13000});
}

TEST_CASE("settle: an empty period, an empty ledger", "[settlement]") {
    const std::vector<SettlementEntry> ledger{entry(1, 1, 2, 0, 100)};
    const auto s = settle(ledger, {}, rule(9000, 1000, 0), {t0, t0});
    CHECK(s.platforms.empty());
    CHECK(s.transfers.empty());
    CHECK(s.totals == SettlementTotals{});
    CHECK(settle({}, {}, SettlementRule{}, march).totals == SettlementTotals{});
}

TEST_CASE("settle: bad rules, periods and entries are refused with the field named", "[settlement]") {
    const std::vector<AllianceSettlementRule> rules{{AllianceId(10), rule(8000, 1500, 500)}};
    const auto outside = rule(9000, 1000, 0);
    const auto one = [&](SettlementEntry e) {
        return [&rules, &outside, e] {
            const std::vector<SettlementEntry> ledger{entry(100, 1, 2, 10, 5), e};
            settle(ledger, rules, outside, march);
        };
    };
    CHECK(throws_invalid([&] { settle({}, rules, outside, {t0 + 1, t0}); }, "period: reversed"));
    CHECK(throws_invalid([&] { settle({}, rules, rule(9000, 500, 500), march); },
                         "default settlement rule pool_bp: 500 basis points, but a referral outside any alliance has no pool"));
    CHECK(throws_invalid([&] { settle({}, rules, rule(9000, 500, 0), march); }, "default settlement rule shares"));
    CHECK(throws_invalid([&] { settle({}, std::vector{AllianceSettlementRule{AllianceId(3), rule(1, 2, 3)}}, outside, march); },
                         "alliance 3 settlement rule shares"));
    CHECK(throws_invalid([&] { settle({}, std::vector{AllianceSettlementRule{AllianceId(0), rule(10000, 0, 0)}}, outside, march); },
                         "settlement rule 0: alliance id 0 is not positive"));
    CHECK(throws_invalid(
        [&] {
            settle({}, std::vector{rules[0], AllianceSettlementRule{AllianceId(4), outside}, rules[0]}, outside, march);
        },
        "settlement rule 2: alliance 10 has two rules"));
    CHECK(throws_invalid([&] { settle({}, rules, outside, march, static_cast<Netting>(7)); }, "netting: unknown method 7"));

    CHECK(throws_invalid(one(entry(0, 1, 2, 10, 5)), "settlement entry 1 (request 0): request id is not positive"));
    CHECK(throws_invalid(one(entry(1, 0, 2, 10, 5)), "entry 1 (request 1): serving platform id 0 is not positive"));
    CHECK(throws_invalid(one(entry(1, 1, -2, 10, 5)), "referring platform id -2 is negative"));
    CHECK(throws_invalid(one(entry(1, 1, 2, -10, 5)), "alliance id -10 is negative"));
    CHECK(throws_invalid(one(entry(1, 1, 2, 10, 5, 0, -7)), "voucher scheme id -7 is negative"));
    CHECK(throws_invalid(one(entry(1, 1, 2, 10, -5)), "gross -5 fen is negative"));
    CHECK(throws_invalid(one(entry(1, 1, 2, 10, 5, 6, 7)), "enterprise_pays -1 fen is negative"));
    CHECK(throws_invalid(one(entry(1, 1, 2, 10, 5, -1, 7)), "voucher_pays -1 fen is negative"));
    auto mismatch = entry(1, 1, 2, 10, 5, 2, 7);
    mismatch.enterprise_pays = 4;
    CHECK(throws_invalid(one(mismatch), "enterprise_pays 4 + voucher_pays 2 fen is not gross 5 fen"));
    auto huge = entry(1, 1, 2, 10, 5, 0, 7);
    huge.enterprise_pays = huge.voucher_pays = std::numeric_limits<Fen>::max();
    CHECK(throws_invalid(one(huge), "is not gross 5 fen"));
    CHECK(throws_invalid(one(entry(1, 1, 2, 10, 5, 5, 0)), "voucher_pays 5 fen without a voucher scheme"));
    CHECK(throws_invalid(one(entry(1, 1, 2, 11, 5)), "referral under alliance 11, which has no settlement rule"));
    CHECK(throws_invalid(one(entry(100, 3, 4, 0, 5)), "settlement entry 1 (request 100): request already settled by entry 0"));
    // The same request in another period is another period's business.
    CHECK_NOTHROW(one(entry(100, 3, 4, 0, 5, 0, 0, march.end))());
    // Entries outside the period are not read at all.
    CHECK_NOTHROW(one(entry(-1, -1, -1, -1, -1, 0, 0, march.start - 1))());
    // Sums beyond 64 bits.
    const Fen big = std::numeric_limits<Fen>::max() / 2 + 1;
    CHECK(throws_invalid(
        [&] { settle(std::vector{entry(1, 1, 0, 0, big), entry(2, 1, 0, 0, big)}, rules, outside, march); },
        "does not fit in 64 bits"));
}

TEST_CASE("settle: the outcome does not depend on the order of the ledger", "[settlement]") {
    std::mt19937_64 rng(77);
    std::vector<SettlementEntry> ledger;
    for (std::int64_t i = 1; i <= 400; ++i) {
        const auto server = static_cast<std::int64_t>(1 + rng() % 30);
        const auto referrer = static_cast<std::int64_t>(rng() % 31);
        const Fen gross = static_cast<Fen>(rng() % 100000);
        ledger.push_back(entry(i, server, referrer, static_cast<std::int64_t>(rng() % 3), gross, gross / 3,
                               static_cast<std::int64_t>(1 + rng() % 2)));
    }
    const std::vector<AllianceSettlementRule> rules{{AllianceId(2), rule(7000, 2000, 1000)},
                                                    {AllianceId(1), rule(8500, 1500, 0)}};
    const auto first = settle(ledger, rules, rule(9000, 1000, 0), march);
    for (int k = 0; k < 5; ++k) {
        std::shuffle(ledger.begin(), ledger.end(), rng);
        CHECK(settle(ledger, rules, rule(9000, 1000, 0), march) == first);
    }
    CHECK(first.netting == Netting::greedy);   // 30 platforms
}

TEST_CASE("netting: opposites, exact groups, greedy, and their bounds", "[settlement]") {
    CHECK(net_transfers({}).empty());
    CHECK(net_transfers(numbered({0, 0})).empty());
    CHECK(net_transfers(numbered({5, -5})) == std::vector<Transfer>{{PlatformId(2), PlatformId(1), 5}});
    // One payer, many receivers: n − 1.
    CHECK(net_transfers(numbered({-6, 1, 2, 3})).size() == 3);
    // Opposites are paired with the lowest ids first.
    CHECK(net_transfers(numbered({3, 3, -3, -3, 1, -1})) ==
          std::vector<Transfer>{{PlatformId(3), PlatformId(1), 3}, {PlatformId(4), PlatformId(2), 3}, {PlatformId(6), PlatformId(5), 1}});

    // Greedy is not optimal: {+4, +4, −8} and {−6, −3, +9} are two zero-sum groups (4 transfers);
    // largest against largest (9 against −8) takes 5.
    const auto trap = numbered({-6, 4, 4, -3, 9, -8});
    const auto exact = net_transfers(trap, Netting::exact);
    const auto greedy = net_transfers(trap, Netting::greedy);
    CHECK(exact.size() == 4);
    CHECK(greedy.size() == 5);
    CHECK(net_transfers(trap) == exact);
    CHECK(automatic_netting(trap) == Netting::exact);
    check_clears(trap, exact);
    check_clears(trap, greedy);

    // The limit of the exact method counts what is left after pairing opposites.
    std::vector<Fen> many;
    for (int i = 0; i < 30; ++i) many.push_back(i % 2 == 0 ? 7 : -7);
    CHECK(automatic_netting(numbered(many)) == Netting::exact);
    CHECK(net_transfers(numbered(many), Netting::exact).size() == 15);
    std::vector<Fen> spread;
    for (int i = 1; i <= 21; ++i) spread.push_back(i);
    spread.push_back(-231);
    CHECK(automatic_netting(numbered(spread)) == Netting::greedy);
    CHECK(throws_invalid([&] { net_transfers(numbered(spread), Netting::exact); },
                         "exact netting: 22 balances left after pairing opposites, above the limit of 20"));
    CHECK(net_transfers(numbered(spread)).size() == 21);

    CHECK(throws_invalid([] { net_transfers(numbered({5, -4})); }, "must sum to 0"));
    CHECK(throws_invalid([] { net_transfers(std::vector<NetBalance>{{PlatformId(1), 5}, {PlatformId(1), -5}}); },
                         "platform 1 is listed twice"));
    CHECK(throws_invalid([] { net_transfers(std::vector<NetBalance>{{PlatformId(0), 0}}); }, "platform id 0 is not positive"));
    CHECK(throws_invalid([] { net_transfers(numbered({std::numeric_limits<Fen>::max(), std::numeric_limits<Fen>::max()})); },
                         "does not fit in 64 bits"));
}

TEST_CASE("netting: random balances, exact against greedy and brute force", "[settlement]") {
    std::mt19937_64 rng(5150);
    int exact_better = 0;
    for (int round = 0; round < 3000; ++round) {
        // Up to the exact limit (which costs 2^20 steps: now and then).
        const int n = round % 100 == 0 ? exact_netting_limit : static_cast<int>(rng() % 15);
        // Small amounts make zero-sum subsets common, where the methods differ.
        const Fen range = round % 2 == 0 ? 6 : 1000;
        std::vector<Fen> v;
        Fen sum = 0;
        for (int i = 0; i + 1 < n; ++i) {
            Fen a = static_cast<Fen>(rng() % static_cast<std::uint64_t>(2 * range + 1)) - range;
            if (rng() % 8 == 0) a = 0;
            v.push_back(a);
            sum += a;
        }
        if (n > 0) v.push_back(-sum);
        std::shuffle(v.begin(), v.end(), rng);
        const auto b = numbered(v);
        const auto exact = net_transfers(b, Netting::exact);
        const auto greedy = net_transfers(b, Netting::greedy);
        INFO("round " << round << " n " << n);
        check_clears(b, exact);
        check_clears(b, greedy);
        CHECK(exact.size() <= greedy.size());
        if (exact.size() < greedy.size()) ++exact_better;
        if (n <= 10) CHECK(exact.size() == brute_force_minimum(b));
        CHECK(net_transfers(b) == exact);
    }
    CHECK(exact_better > 0);   // the loop does reach cases where greedy is not optimal
}

TEST_CASE("netting: greedy on many balances stays within n − 1", "[settlement]") {
    std::mt19937_64 rng(99);
    for (int round = 0; round < 20; ++round) {
        const int n = 100 + static_cast<int>(rng() % 2000);
        std::vector<Fen> v;
        Fen sum = 0;
        for (int i = 0; i + 1 < n; ++i) {
            const Fen a = static_cast<Fen>(rng() % 2000001) - 1000000;
            v.push_back(a);
            sum += a;
        }
        v.push_back(-sum);
        const auto b = numbered(v);
        const auto t = net_transfers(b);
        check_clears(b, t);
        CHECK(automatic_netting(b) == Netting::greedy);
    }
}

TEST_CASE("settle: random ledgers against a 128-bit reference and the identities", "[settlement]") {
    struct Ref {
        Wide served = 0, referred = 0, gross = 0, collected = 0, voucher = 0, kept = 0, owed = 0, pool = 0, earned = 0;
    };
    int exact_better = 0, brute_forced = 0, greedy_ledgers = 0;
    for (std::uint64_t seed = 1; seed <= 300; ++seed) {
        std::mt19937_64 rng(seed);
        const bool coarse = seed % 2 == 0;   // round amounts: balances often cancel in groups
        const auto platforms = static_cast<std::int64_t>(2 + rng() % (seed % 5 == 0 ? 40 : 12));
        const auto alliances = static_cast<std::int64_t>(rng() % 5);
        std::vector<AllianceSettlementRule> rules;
        std::map<std::int64_t, SettlementRule> rule_of;
        for (std::int64_t a = 1; a <= alliances; ++a) {
            const int referring = coarse ? 1000 * static_cast<int>(rng() % 4) : static_cast<int>(rng() % 5001);
            const int pool = coarse ? 500 * static_cast<int>(rng() % 3) : static_cast<int>(rng() % 2001);
            const SettlementRule r{10000 - referring - pool, referring, pool};
            rules.push_back({AllianceId(a * 10), r});
            rule_of[a * 10] = r;
        }
        std::shuffle(rules.begin(), rules.end(), rng);
        const int outside_referring = coarse ? 1000 : static_cast<int>(rng() % 3001);
        const SettlementRule outside{10000 - outside_referring, outside_referring, 0};

        std::vector<SettlementEntry> ledger;
        const auto count = static_cast<std::int64_t>(rng() % 300);
        for (std::int64_t i = 0; i < count; ++i) {
            SettlementEntry e;
            // Some entries fall just outside the period, and are ignored.
            e.at = march.start - 86400 + static_cast<Time>(rng() % static_cast<std::uint64_t>(march.seconds() + 2 * 86400));
            e.request = 1 + i;
            e.serving = PlatformId(1 + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(platforms)));
            const auto kind = rng() % 10;
            e.referring = kind < 4 ? PlatformId() : kind == 4 ? e.serving : PlatformId(1 + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(platforms)));
            e.alliance = alliances > 0 && rng() % 4 != 0 ? AllianceId(10 * (1 + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(alliances))))
                                                         : AllianceId();
            if (!e.referring && rng() % 5 == 0) e.alliance = AllianceId(999);   // no rule, not needed
            e.gross = coarse ? 1000 * static_cast<Fen>(1 + rng() % 5)
                             : rng() % 20 == 0 ? static_cast<Fen>(rng() % 1'000'000'000'000) : static_cast<Fen>(rng() % 100000);
            if (rng() % 3 == 0) {
                e.scheme = VoucherSchemeId(1 + static_cast<std::int64_t>(rng() % 3));
                e.voucher_pays = coarse ? e.gross / 2 : static_cast<Fen>(rng() % static_cast<std::uint64_t>(e.gross + 1));
            }
            e.enterprise_pays = e.gross - e.voucher_pays;
            ledger.push_back(e);
        }
        std::shuffle(ledger.begin(), ledger.end(), rng);
        const auto s = settle(ledger, rules, outside, march);
        INFO("seed " << seed << ", " << ledger.size() << " entries, " << s.platforms.size() << " platforms");

        // The reference: straightforward maps and 128-bit sums.
        std::map<std::int64_t, Ref> ref;
        std::map<std::int64_t, Wide> pools;
        std::map<std::int64_t, std::int64_t> pool_referrals;
        std::map<std::pair<std::int64_t, std::int64_t>, Wide> vouchers, contributions;
        Wide entries = 0, gross = 0, enterprise = 0, voucher = 0, kept = 0, referral = 0, pool = 0;
        for (const auto& e : ledger) {
            if (e.at < march.start || e.at >= march.end) continue;
            const bool referred = e.referring.value != 0 && e.referring != e.serving;
            const SettlementRule r = !referred ? SettlementRule{} : e.alliance ? rule_of.at(e.alliance.value) : outside;
            const Wide ref_share = static_cast<Wide>(e.gross) * r.referring_bp / 10000;
            const Wide pool_share = static_cast<Wide>(e.gross) * r.pool_bp / 10000;
            const Wide serving_share = e.gross - ref_share - pool_share;
            auto& p = ref[e.serving.value];
            p.served += 1;
            p.gross += e.gross;
            p.collected += e.enterprise_pays;
            p.voucher += e.voucher_pays;
            p.kept += serving_share;
            p.owed += ref_share;
            p.pool += pool_share;
            if (referred) {
                ref[e.referring.value].referred += 1;
                ref[e.referring.value].earned += ref_share;
                if (e.alliance) {
                    pools[e.alliance.value] += pool_share;
                    pool_referrals[e.alliance.value] += 1;
                    if (pool_share > 0) contributions[{e.alliance.value, e.serving.value}] += pool_share;
                }
            }
            if (e.voucher_pays > 0) vouchers[{e.scheme.value, e.serving.value}] += e.voucher_pays;
            entries += 1;
            gross += e.gross;
            enterprise += e.enterprise_pays;
            voucher += e.voucher_pays;
            kept += serving_share;
            referral += ref_share;
            pool += pool_share;
        }

        REQUIRE(s.platforms.size() == ref.size());
        Wide balance_sum = 0, positive = 0;
        for (const auto& p : s.platforms) {
            const auto& r = ref.at(p.platform.value);
            CHECK(p.served == r.served);
            CHECK(p.referred == r.referred);
            CHECK(p.gross_served == r.gross);
            CHECK(p.collected == r.collected);
            CHECK(p.voucher_due == r.voucher);
            CHECK(p.kept == r.kept);
            CHECK(p.referral_owed == r.owed);
            CHECK(p.pool_owed == r.pool);
            CHECK(p.referral_earned == r.earned);
            CHECK(p.balance == r.earned - r.owed);
            // The identities of the header, per platform.
            CHECK(p.gross_served == p.kept + p.referral_owed + p.pool_owed);
            CHECK(p.gross_served == p.collected + p.voucher_due);
            CHECK(p.collected + p.voucher_due + p.balance - p.pool_owed == p.kept + p.referral_earned);
            balance_sum += p.balance;
            if (p.balance > 0) positive += p.balance;
        }
        CHECK(std::is_sorted(s.platforms.begin(), s.platforms.end(),
                             [](const auto& a, const auto& b) { return a.platform < b.platform; }));
        CHECK(balance_sum == 0);
        CHECK(s.totals.transferred == positive);
        const auto b = balances_of(s);
        check_clears(b, s.transfers);

        // Totals, and where every fen of the period goes.
        CHECK(s.totals.entries == entries);
        CHECK(s.totals.gross == gross);
        CHECK(s.totals.enterprise_pays == enterprise);
        CHECK(s.totals.voucher_pays == voucher);
        CHECK(s.totals.kept == kept);
        CHECK(s.totals.referral == referral);
        CHECK(s.totals.pool == pool);
        CHECK(s.totals.kept + s.totals.referral + s.totals.pool == s.totals.gross);
        CHECK(s.totals.enterprise_pays + s.totals.voucher_pays == s.totals.gross);

        Wide voucher_sum = 0, pool_sum = 0, contribution_sum = 0;
        REQUIRE(s.vouchers.size() == vouchers.size());
        for (const auto& v : s.vouchers) {
            CHECK(v.amount == vouchers.at({v.scheme.value, v.platform.value}));
            voucher_sum += v.amount;
        }
        REQUIRE(s.pools.size() == pools.size());
        for (const auto& p : s.pools) {
            CHECK(p.amount == pools.at(p.alliance.value));
            CHECK(p.referrals == pool_referrals.at(p.alliance.value));
            pool_sum += p.amount;
        }
        REQUIRE(s.contributions.size() == contributions.size());
        for (const auto& c : s.contributions) {
            CHECK(c.amount == contributions.at({c.alliance.value, c.platform.value}));
            contribution_sum += c.amount;
        }
        CHECK(voucher_sum == s.totals.voucher_pays);
        CHECK(pool_sum == s.totals.pool);
        CHECK(contribution_sum == s.totals.pool);
        // Cash in (enterprises + issuers) = what the platforms end up with + the pools.
        Wide entitled = 0;
        for (const auto& p : s.platforms) entitled += p.kept + p.referral_earned;
        CHECK(static_cast<Wide>(s.totals.enterprise_pays) + voucher_sum == entitled + pool_sum);

        // The method: exact whenever it can be, never worse than greedy, and minimal by brute force.
        CHECK(s.netting == automatic_netting(b));
        const auto greedy = net_transfers(b, Netting::greedy);
        check_clears(b, greedy);
        if (s.netting == Netting::exact) {
            CHECK(s.transfers.size() <= greedy.size());
            if (s.transfers.size() < greedy.size()) ++exact_better;
            if (std::count_if(b.begin(), b.end(), [](const NetBalance& x) { return x.amount != 0; }) <= 12) {
                CHECK(s.transfers.size() == brute_force_minimum(b));
                ++brute_forced;
            }
        } else {
            ++greedy_ledgers;
        }
        CHECK(settle(ledger, rules, outside, march, Netting::greedy).transfers == greedy);
    }
    // The loop reaches every branch: greedy beaten, brute force run, greedy chosen.
    CHECK(exact_better > 0);
    CHECK(brute_forced > 100);
    CHECK(greedy_ledgers > 0);
}
