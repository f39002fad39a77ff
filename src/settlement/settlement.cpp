// Settlement rules, the split of a price and the netting of a period's ledger
// (include/psp/settlement.hpp): one pass over the ledger into dense accumulators, every sum checked
// against 64-bit overflow, then the balances cleared by settlement/netting.
#include "psp/settlement.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>

#include "psp/error.hpp"
#include "settlement/flat_index.hpp"
#include "settlement/netting.hpp"

namespace psp {
namespace {

using settlement::FlatIndex;

[[noreturn]] void invalid(const std::string& message) { throw Error(ErrorCode::invalid, message); }

[[noreturn]] void overflow() { invalid("settle: a sum over the period does not fit in 64 bits"); }

void add(Fen& to, Fen v) {
    if (__builtin_add_overflow(to, v, &to)) overflow();
}

// floor(gross × bp / 10000) without forming gross × bp: with gross = q·10000 + r it is
// q·bp + floor(r·bp / 10000) exactly, and q·bp <= gross (bp <= 10000).
Fen share(Fen gross, int bp) {
    return gross / basis_points * bp + gross % basis_points * bp / basis_points;
}

// The split of a valid rule; gross >= 0.
SettlementShares shares(Fen gross, const SettlementRule& rule) {
    const Fen referring = share(gross, rule.referring_bp), pool = share(gross, rule.pool_bp);
    return {gross - referring - pool, referring, pool};
}

std::optional<std::string> rule_problem(const SettlementRule& r) {
    const auto out_of_range = [](const char* field, int bp) -> std::optional<std::string> {
        if (bp < 0 || bp > basis_points) return std::string(field) + ": " + std::to_string(bp) + " basis points is outside 0..10000";
        return std::nullopt;
    };
    if (auto p = out_of_range("serving_bp", r.serving_bp)) return p;
    if (auto p = out_of_range("referring_bp", r.referring_bp)) return p;
    if (auto p = out_of_range("pool_bp", r.pool_bp)) return p;
    const int sum = r.serving_bp + r.referring_bp + r.pool_bp;
    if (sum != basis_points) {
        return "shares: serving_bp " + std::to_string(r.serving_bp) + " + referring_bp " + std::to_string(r.referring_bp) +
               " + pool_bp " + std::to_string(r.pool_bp) + " = " + std::to_string(sum) + " basis points, not 10000";
    }
    return std::nullopt;
}

void check_rule(const SettlementRule& r, const std::string& what) {
    if (auto p = rule_problem(r)) invalid(what + " " + *p);
}

[[noreturn]] void bad_entry(std::size_t i, const SettlementEntry& e, const std::string& message) {
    invalid("settlement entry " + std::to_string(i) + " (request " + std::to_string(e.request) + "): " + message);
}

void check_amount(std::size_t i, const SettlementEntry& e, const char* field, Fen v) {
    if (v < 0) bad_entry(i, e, std::string(field) + " " + std::to_string(v) + " fen is negative");
}

void check_entry(std::size_t i, const SettlementEntry& e) {
    if (e.request <= 0) bad_entry(i, e, "request id is not positive");
    if (e.serving.value <= 0) bad_entry(i, e, "serving platform id " + std::to_string(e.serving.value) + " is not positive");
    if (e.referring.value < 0) bad_entry(i, e, "referring platform id " + std::to_string(e.referring.value) + " is negative");
    if (e.alliance.value < 0) bad_entry(i, e, "alliance id " + std::to_string(e.alliance.value) + " is negative");
    if (e.scheme.value < 0) bad_entry(i, e, "voucher scheme id " + std::to_string(e.scheme.value) + " is negative");
    check_amount(i, e, "gross", e.gross);
    check_amount(i, e, "enterprise_pays", e.enterprise_pays);
    check_amount(i, e, "voucher_pays", e.voucher_pays);
    Fen paid = 0;
    if (__builtin_add_overflow(e.enterprise_pays, e.voucher_pays, &paid) || paid != e.gross) {
        bad_entry(i, e, "enterprise_pays " + std::to_string(e.enterprise_pays) + " + voucher_pays " +
                            std::to_string(e.voucher_pays) + " fen is not gross " + std::to_string(e.gross) + " fen");
    }
    if (e.voucher_pays > 0 && !e.scheme) bad_entry(i, e, "voucher_pays " + std::to_string(e.voucher_pays) + " fen without a voucher scheme");
}

struct PlatformSums {
    std::int64_t served = 0, referred = 0;
    Fen gross_served = 0, collected = 0, voucher_due = 0, kept = 0, referral_owed = 0, pool_owed = 0,
        referral_earned = 0;
};

struct VoucherSums {
    Fen amount = 0;
    std::int64_t entries = 0;
};

// A key of two dense numbers.
std::uint64_t pair_key(std::uint32_t a, std::uint32_t b) { return std::uint64_t{a} << 32 | b; }
std::uint32_t first_of(std::uint64_t key) { return static_cast<std::uint32_t>(key >> 32); }
std::uint32_t second_of(std::uint64_t key) { return static_cast<std::uint32_t>(key); }

std::uint64_t id_key(std::int64_t id) { return static_cast<std::uint64_t>(id); }
std::int64_t key_id(std::uint64_t key) { return static_cast<std::int64_t>(key); }

// Names the first request of the period listed twice (the error path only).
[[noreturn]] void duplicate_request(std::span<const SettlementEntry> ledger, Period period, std::int64_t request) {
    std::size_t first = ledger.size();
    for (std::size_t i = 0; i < ledger.size(); ++i) {
        const auto& e = ledger[i];
        if (e.at < period.start || e.at >= period.end || e.request != request) continue;
        if (first == ledger.size()) {
            first = i;
            continue;
        }
        bad_entry(i, e, "request already settled by entry " + std::to_string(first) + "; one entry per served request");
    }
    invalid("settle: request " + std::to_string(request) + " listed twice");   // not reached
}

}  // namespace

void validate(const SettlementRule& r) { check_rule(r, "settlement rule"); }

SettlementShares split(Fen gross, const SettlementRule& rule, bool referred) {
    validate(rule);
    if (gross < 0) invalid("gross: " + std::to_string(gross) + " fen is negative");
    if (!referred) return {gross, 0, 0};
    return shares(gross, rule);
}

Settlement settle(std::span<const SettlementEntry> ledger, std::span<const AllianceSettlementRule> rules,
                  const SettlementRule& default_rule, Period period, Netting netting) {
    if (period.end < period.start) invalid("period: reversed (end before start)");
    if (netting != Netting::automatic && netting != Netting::exact && netting != Netting::greedy) {
        invalid("netting: unknown method " + std::to_string(static_cast<int>(netting)));
    }
    check_rule(default_rule, "default settlement rule");
    if (default_rule.pool_bp != 0) {
        invalid("default settlement rule pool_bp: " + std::to_string(default_rule.pool_bp) +
                " basis points, but a referral outside any alliance has no pool to pay");
    }
    FlatIndex alliances(rules.size());
    std::vector<SettlementRule> rule_of;   // by dense alliance number
    for (std::size_t i = 0; i < rules.size(); ++i) {
        const auto& r = rules[i];
        if (r.alliance.value <= 0) {
            invalid("settlement rule " + std::to_string(i) + ": alliance id " + std::to_string(r.alliance.value) + " is not positive");
        }
        check_rule(r.rule, "alliance " + std::to_string(r.alliance.value) + " settlement rule");
        if (alliances.insert(id_key(r.alliance.value)) < rule_of.size()) {
            invalid("settlement rule " + std::to_string(i) + ": alliance " + std::to_string(r.alliance.value) + " has two rules");
        }
        rule_of.push_back(r.rule);
    }

    Settlement out;
    out.period = period;
    auto& totals = out.totals;
    FlatIndex platforms;
    std::vector<PlatformSums> sums;                              // by dense platform number
    std::vector<AlliancePool> pools(rule_of.size());             // by dense alliance number
    FlatIndex contribution_index, schemes, voucher_index;
    std::vector<Fen> contribution;                               // by contribution_index
    std::vector<VoucherSums> voucher;                            // by voucher_index
    std::vector<std::int64_t> requests;
    requests.reserve(ledger.size());
    const auto platform = [&](PlatformId id) {
        const std::uint32_t n = platforms.insert(id_key(id.value));
        if (n == sums.size()) sums.emplace_back();
        return n;
    };

    for (std::size_t i = 0; i < ledger.size(); ++i) {
        const auto& e = ledger[i];
        if (e.at < period.start || e.at >= period.end) continue;
        check_entry(i, e);
        requests.push_back(e.request);
        const bool referred = e.referring && e.referring != e.serving;
        SettlementShares s{e.gross, 0, 0};
        std::uint32_t alliance = FlatIndex::none;
        if (referred && e.alliance) {
            alliance = alliances.find(id_key(e.alliance.value));
            if (alliance == FlatIndex::none) {
                bad_entry(i, e, "referral under alliance " + std::to_string(e.alliance.value) +
                                    ", which has no settlement rule (the default rule is for referrals outside any alliance)");
            }
            s = shares(e.gross, rule_of[alliance]);
        } else if (referred) {
            s = shares(e.gross, default_rule);
        }

        const std::uint32_t server = platform(e.serving);
        if (referred) {
            auto& r = sums[platform(e.referring)];
            ++r.referred;
            add(r.referral_earned, s.referring);
        }
        auto& p = sums[server];   // after the referrer's insert, which may move `sums`
        ++p.served;
        add(p.gross_served, e.gross);
        add(p.collected, e.enterprise_pays);
        add(p.voucher_due, e.voucher_pays);
        add(p.kept, s.serving);
        add(p.referral_owed, s.referring);
        add(p.pool_owed, s.pool);

        if (alliance != FlatIndex::none) {
            ++pools[alliance].referrals;
            add(pools[alliance].amount, s.pool);
            if (s.pool > 0) {
                const std::uint32_t c = contribution_index.insert(pair_key(alliance, server));
                if (c == contribution.size()) contribution.push_back(0);
                add(contribution[c], s.pool);
            }
        }
        if (e.voucher_pays > 0) {
            const std::uint32_t v = voucher_index.insert(pair_key(schemes.insert(id_key(e.scheme.value)), server));
            if (v == voucher.size()) voucher.emplace_back();
            add(voucher[v].amount, e.voucher_pays);
            ++voucher[v].entries;
        }

        ++totals.entries;
        if (referred) ++totals.referrals;
        add(totals.gross, e.gross);
        add(totals.enterprise_pays, e.enterprise_pays);
        add(totals.voucher_pays, e.voucher_pays);
        add(totals.kept, s.serving);
        add(totals.referral, s.referring);
        add(totals.pool, s.pool);
    }

    // One entry per served request: a request settled twice is a ledger bug that would pay twice.
    // Database::settlement_ledger lists them in request order already: checked, not sorted again.
    if (!std::is_sorted(requests.begin(), requests.end())) std::sort(requests.begin(), requests.end());
    if (const auto d = std::adjacent_find(requests.begin(), requests.end()); d != requests.end()) {
        duplicate_request(ledger, period, *d);
    }

    out.platforms.reserve(sums.size());
    std::vector<NetBalance> balances;
    balances.reserve(sums.size());
    for (std::uint32_t n = 0; n < sums.size(); ++n) {
        const auto& s = sums[n];
        const PlatformId id(key_id(platforms.key(n)));
        // Both terms are >= 0, so the difference fits.
        const Fen balance = s.referral_earned - s.referral_owed;
        out.platforms.push_back({id, s.served, s.referred, s.gross_served, s.collected, s.voucher_due, s.kept,
                                 s.referral_owed, s.pool_owed, s.referral_earned, balance});
        balances.push_back({id, balance});
    }
    std::sort(out.platforms.begin(), out.platforms.end(),
              [](const PlatformPosition& a, const PlatformPosition& b) { return a.platform < b.platform; });

    auto netted = settlement::net(balances, netting);
    out.transfers = std::move(netted.transfers);
    out.netting = netted.method;
    for (const auto& t : out.transfers) add(totals.transferred, t.amount);

    for (std::uint32_t v = 0; v < voucher.size(); ++v) {
        const std::uint64_t key = voucher_index.key(v);
        out.vouchers.push_back({VoucherSchemeId(key_id(schemes.key(first_of(key)))),
                                PlatformId(key_id(platforms.key(second_of(key)))), voucher[v].amount, voucher[v].entries});
    }
    std::sort(out.vouchers.begin(), out.vouchers.end(), [](const VoucherReimbursement& a, const VoucherReimbursement& b) {
        return std::pair(a.scheme, a.platform) < std::pair(b.scheme, b.platform);
    });

    for (std::uint32_t a = 0; a < pools.size(); ++a) {
        if (pools[a].referrals == 0) continue;
        out.pools.push_back({AllianceId(key_id(alliances.key(a))), pools[a].amount, pools[a].referrals});
    }
    std::sort(out.pools.begin(), out.pools.end(),
              [](const AlliancePool& a, const AlliancePool& b) { return a.alliance < b.alliance; });

    for (std::uint32_t c = 0; c < contribution.size(); ++c) {
        const std::uint64_t key = contribution_index.key(c);
        out.contributions.push_back({AllianceId(key_id(alliances.key(first_of(key)))),
                                     PlatformId(key_id(platforms.key(second_of(key)))), contribution[c]});
    }
    std::sort(out.contributions.begin(), out.contributions.end(), [](const PoolContribution& a, const PoolContribution& b) {
        return std::pair(a.alliance, a.platform) < std::pair(b.alliance, b.platform);
    });
    return out;
}

}  // namespace psp
