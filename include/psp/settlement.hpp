// Settlement between member platforms (DESIGN.md §4 "Settlement", issue 5): "who serves, who
// benefits" (谁服务、谁受益). How a served request's price is split, and a period's ledger netted
// into the fewest transfers. Pure integer arithmetic on fen; the ledger that stores it lives in Database.
//
// Money of one served request (an entry), all in fen, gross == enterprise_pays + voucher_pays:
//   - the serving platform collected enterprise_pays from the enterprise, and is owed voucher_pays by
//     the voucher scheme (the issuer reimburses the serving platform, never the referrer);
//   - the shares apply to the GROSS price, voucher part included: the voucher is a subsidy of the
//     enterprise's purchase, not a discount of the service, so the service earned gross whoever paid
//     it. The serving platform owes the referring platform and the alliance pool their shares of
//     gross, including on the part it is yet to receive from the issuer. So the split never depends on
//     the enterprise's size or on a voucher cap, and a referral is worth the same with or without one.
// Three flows leave a period's settlement, kept apart because different parties pay them:
//   1. issuer → serving platform: voucher reimbursements, per (scheme, platform);
//   2. serving platform → alliance pool: pool contributions, per (alliance, platform) so that each
//      member's payment into the pool stays traceable (the pool is the alliance's account, held by its
//      lead or secretariat, not a member balance);
//   3. member ↔ member: referral shares, netted per platform into a balance and cleared by transfers.
// Identities (checked by tests/settlement_test.cpp on random ledgers), per platform p:
//   gross_served  = kept + referral_owed + pool_owed
//   gross_served  = collected + voucher_due
//   balance       = referral_earned − referral_owed
//   collected + voucher_due + balance − pool_owed = kept + referral_earned   (what p ends up with)
// and over the period: Σ balance = 0; Σ transfers = Σ positive balances = −Σ negative balances;
// Σ kept + Σ referral + Σ pool = Σ gross = Σ enterprise_pays + Σ voucher reimbursements.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "psp/calendar.hpp"
#include "psp/ids.hpp"
#include "psp/model.hpp"
#include "psp/pricing.hpp"

namespace psp {

// How an alliance splits a referred request's gross price, in basis points (10000 = 100 %).
struct SettlementRule {
    int serving_bp = basis_points;   // the platform that served the request
    int referring_bp = 0;            // the platform that received it and referred it on
    int pool_bp = 0;                 // the alliance's pool
    friend bool operator==(const SettlementRule&, const SettlementRule&) = default;
};

// Throws psp::Error(invalid) naming the field ("settlement rule referring_bp: ...") for a share
// outside 0..10000, or shares that do not sum to 10000.
void validate(const SettlementRule&);

struct SettlementShares {
    Fen serving = 0;
    Fen referring = 0;
    Fen pool = 0;
    friend bool operator==(const SettlementShares&, const SettlementShares&) = default;
};

// The split of `gross` under `rule`, losing and creating no fen:
//   referring = floor(gross × referring_bp / 10000)
//   pool      = floor(gross × pool_bp / 10000)
//   serving   = gross − referring − pool
// Rounded down for the parties that did not do the work; the serving platform gets the sub-fen rest,
// so it receives its exact share plus less than 2 fen (serving − floor(gross × serving_bp / 10000) is
// 0, 1 or 2). Exact for every gross up to INT64_MAX (no product is formed that could overflow).
// `referred` false (the platform that received the request served it) gives serving = gross
// whatever the rule. Throws Error(invalid) for a negative gross or an invalid rule.
SettlementShares split(Fen gross, const SettlementRule& rule, bool referred = true);

// One served request in the ledger.
struct SettlementEntry {
    Time at = 0;                  // when it was served (the booking's start); decides the period
    std::int64_t request = 0;     // the served request (the booking id for equipment); > 0, unique
    PlatformId serving;           // the platform that served it; required
    PlatformId referring;         // the platform that received it and referred it on; 0 = none. Equal
                                  // to `serving` also means none (received and served by one platform).
                                  // Family hand-ups (sub-platform ↔ backbone) are recorded as none.
    AllianceId alliance;          // whose rule splits a referral; 0 = outside any alliance (default
                                  // rule). Ignored when there is no referral.
    Fen gross = 0;                // the price of the request
    Fen enterprise_pays = 0;      // collected by the serving platform from the enterprise
    Fen voucher_pays = 0;         // owed to the serving platform by the voucher scheme
    VoucherSchemeId scheme;       // the scheme that pays voucher_pays; 0 = none (voucher_pays must be 0)
    friend bool operator==(const SettlementEntry&, const SettlementEntry&) = default;
};

struct AllianceSettlementRule {
    AllianceId alliance;
    SettlementRule rule;
    friend bool operator==(const AllianceSettlementRule&, const AllianceSettlementRule&) = default;
};

// A platform's position over the period. Counts and sums cover the entries of the period only.
struct PlatformPosition {
    PlatformId platform;
    std::int64_t served = 0;      // entries it served
    std::int64_t referred = 0;    // entries it referred to another platform
    Fen gross_served = 0;         // Σ gross of the entries it served
    Fen collected = 0;            // Σ enterprise_pays of those: already in its hands
    Fen voucher_due = 0;          // Σ voucher_pays of those: owed to it by the schemes
    Fen kept = 0;                 // Σ serving shares
    Fen referral_owed = 0;        // Σ referring shares of the entries it served: owed to referrers
    Fen pool_owed = 0;            // Σ pool shares of the entries it served: owed to alliance pools
    Fen referral_earned = 0;      // Σ referring shares of the entries it referred: owed to it
    Fen balance = 0;              // referral_earned − referral_owed: > 0 receives, < 0 pays
    friend bool operator==(const PlatformPosition&, const PlatformPosition&) = default;
};

// A payment between members that, with the others, clears every balance.
struct Transfer {
    PlatformId from;              // a platform with a negative balance
    PlatformId to;                // a platform with a positive balance
    Fen amount = 0;               // > 0
    friend bool operator==(const Transfer&, const Transfer&) = default;
};

struct VoucherReimbursement {
    VoucherSchemeId scheme;
    PlatformId platform;          // the serving platform
    Fen amount = 0;               // > 0
    std::int64_t entries = 0;
    friend bool operator==(const VoucherReimbursement&, const VoucherReimbursement&) = default;
};

struct AlliancePool {
    AllianceId alliance;
    Fen amount = 0;               // Σ pool shares; 0 when the rule has no pool share
    std::int64_t referrals = 0;   // referred entries settled under the alliance's rule
    friend bool operator==(const AlliancePool&, const AlliancePool&) = default;
};

struct PoolContribution {
    AllianceId alliance;
    PlatformId platform;          // the serving platform that owes it
    Fen amount = 0;               // > 0
    friend bool operator==(const PoolContribution&, const PoolContribution&) = default;
};

struct SettlementTotals {
    std::int64_t entries = 0;     // entries in the period
    std::int64_t referrals = 0;   // of which referred
    Fen gross = 0;                // = enterprise_pays + voucher_pays = kept + referral + pool
    Fen enterprise_pays = 0;
    Fen voucher_pays = 0;         // = Σ voucher reimbursements
    Fen kept = 0;                 // Σ serving shares
    Fen referral = 0;             // Σ referring shares = Σ referral_earned = Σ referral_owed
    Fen pool = 0;                 // = Σ pools = Σ pool contributions
    Fen transferred = 0;          // Σ transfers = Σ positive balances
    friend bool operator==(const SettlementTotals&, const SettlementTotals&) = default;
};

// How balances are cleared.
//   exact:     the fewest transfers. Exact opposites (+a, −a) are paired first (always part of some
//              optimum); the k balances left are split into the most zero-sum groups by dynamic
//              programming over subsets (O(2^k · k) time, 9 · 2^k bytes), and a group of g platforms
//              takes g − 1 transfers, so transfers = n − (number of groups). Throws Error(invalid) when
//              k > exact_netting_limit. (The problem is NP-hard in general.)
//   greedy:    opposites paired first, then the largest creditor against the largest debtor, pairing a
//              remainder at once with an exact opposite when there is one. Each transfer clears at
//              least one balance and the last clears two, so at most n − 1 transfers for n non-zero
//              balances; the fewest is at least max(creditors, debtors) ≥ n / 2, so greedy is within
//              twice the minimum. O(n log n).
//   automatic: exact when k ≤ exact_netting_limit, else greedy (Settlement::netting says which).
enum class Netting : int { automatic = 0, exact = 1, greedy = 2 };
inline constexpr int exact_netting_limit = 20;

// The outcome of settle(). Every list is in ascending order of its ids (platform; from then to;
// scheme then platform; alliance; alliance then platform).
struct Settlement {
    Period period;
    std::vector<PlatformPosition> platforms;       // every platform serving or referring in the period
    std::vector<Transfer> transfers;               // at most one per (from, to)
    std::vector<VoucherReimbursement> vouchers;    // per (scheme, serving platform), amounts > 0
    std::vector<AlliancePool> pools;               // every alliance with a referral in the period
    std::vector<PoolContribution> contributions;   // per (alliance, serving platform), amounts > 0
    SettlementTotals totals;
    Netting netting = Netting::exact;              // exact or greedy: whether transfers are proven fewest
    friend bool operator==(const Settlement&, const Settlement&) = default;
};

// Settles the entries with `at` in [period.start, period.end); entries outside it are skipped unread
// (neither checked nor counted), so the whole ledger may be passed with the rules of this period.
// A referred entry is split by its alliance's rule, or by `default_rule` when its alliance is 0; an
// unreferred one stays whole with the serving platform. Throws Error(invalid), naming the entry by
// index and request, for: a reversed period; an invalid rule, a rule for alliance id <= 0, two rules
// for one alliance, a default rule with a pool share (outside any alliance there is no pool to pay);
// and, for an entry of the period: serving platform <= 0, referring or alliance or scheme id < 0,
// request id <= 0 or used twice, a negative amount, enterprise_pays + voucher_pays != gross,
// voucher_pays > 0 without a scheme, or a referral under an alliance that has no rule (never falls
// back to the default rule: a forgotten rule must not silently move money), or a sum beyond 64 bits.
Settlement settle(std::span<const SettlementEntry> ledger, std::span<const AllianceSettlementRule> rules,
                  const SettlementRule& default_rule, Period period, Netting netting = Netting::automatic);

// A platform's balance to clear: > 0 it receives, < 0 it pays.
struct NetBalance {
    PlatformId platform;
    Fen amount = 0;
    friend bool operator==(const NetBalance&, const NetBalance&) = default;
};

// Transfers that clear `balances` (see Netting), sorted by (from, to). Zero balances are ignored.
// Throws Error(invalid) when balances do not sum to 0 (or the sum of positives exceeds 64 bits), a
// platform is listed twice or is <= 0, or exact netting is asked beyond its limit.
std::vector<Transfer> net_transfers(std::span<const NetBalance> balances, Netting netting = Netting::automatic);

// Which method net_transfers(balances, Netting::automatic) applies: exact or greedy.
Netting automatic_netting(std::span<const NetBalance> balances);

}  // namespace psp
