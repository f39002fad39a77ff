// Clearing net balances with few transfers (include/psp/settlement.hpp, Netting): opposites paired,
// then an exact maximum partition into zero-sum groups for few balances, a greedy for many.
#include "settlement/netting.hpp"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <limits>
#include <set>
#include <string>
#include <utility>

#include "psp/error.hpp"

namespace psp {
namespace settlement {
namespace {

[[noreturn]] void invalid(const std::string& message) { throw Error(ErrorCode::invalid, message); }

struct Party {
    std::int64_t id = 0;
    Fen amount = 0;   // non-zero: > 0 receives, < 0 pays
};

// The non-zero balances, checked, in ascending id order.
std::vector<Party> parties(std::span<const NetBalance> balances) {
    std::vector<Party> all;
    all.reserve(balances.size());
    Fen receive = 0, pay = 0;
    for (std::size_t i = 0; i < balances.size(); ++i) {
        const auto& b = balances[i];
        if (b.platform.value <= 0) {
            invalid("balance " + std::to_string(i) + ": platform id " + std::to_string(b.platform.value) +
                    " is not positive");
        }
        // −INT64_MIN does not exist; no real balance comes near it.
        if (b.amount == std::numeric_limits<Fen>::min()) invalid("balance " + std::to_string(i) + ": amount out of range");
        if (__builtin_add_overflow(b.amount > 0 ? receive : pay, b.amount > 0 ? b.amount : -b.amount,
                                   b.amount > 0 ? &receive : &pay)) {
            invalid("balances: the sum of amounts does not fit in 64 bits");
        }
        all.push_back({b.platform.value, b.amount});
    }
    std::sort(all.begin(), all.end(), [](const Party& a, const Party& b) { return a.id < b.id; });
    for (std::size_t i = 1; i < all.size(); ++i) {
        if (all[i].id == all[i - 1].id) invalid("balances: platform " + std::to_string(all[i].id) + " is listed twice");
    }
    if (receive != pay) {
        invalid("balances: amounts to receive (" + std::to_string(receive) + " fen) and to pay (" + std::to_string(pay) +
                " fen) differ; they must sum to 0");
    }
    std::erase_if(all, [](const Party& p) { return p.amount == 0; });
    return all;
}

Fen magnitude(const Party& p) { return p.amount < 0 ? -p.amount : p.amount; }

// Pays +a against −a for equal magnitudes, lowest ids first, and returns the rest in id order. Always
// part of some optimum: if a and −a sit in different zero-sum groups of a best partition, regrouping
// them as {a, −a} and the rest of both groups as one keeps the number of groups (neither group was a
// singleton), and they cannot share a larger group of a best partition (it would split in two).
std::vector<Party> pair_opposites(const std::vector<Party>& in, std::vector<Transfer>& out) {
    std::vector<Party> by_size = in;
    std::stable_sort(by_size.begin(), by_size.end(),
                     [](const Party& a, const Party& b) { return magnitude(a) < magnitude(b); });
    std::vector<Party> rest, receivers, payers;
    for (std::size_t i = 0; i < by_size.size();) {
        std::size_t j = i;
        receivers.clear();
        payers.clear();
        for (; j < by_size.size() && magnitude(by_size[j]) == magnitude(by_size[i]); ++j) {
            (by_size[j].amount > 0 ? receivers : payers).push_back(by_size[j]);   // each in id order
        }
        const std::size_t pairs = std::min(receivers.size(), payers.size());
        for (std::size_t k = 0; k < pairs; ++k) {
            out.push_back({PlatformId(payers[k].id), PlatformId(receivers[k].id), receivers[k].amount});
        }
        rest.insert(rest.end(), receivers.begin() + static_cast<std::ptrdiff_t>(pairs), receivers.end());
        rest.insert(rest.end(), payers.begin() + static_cast<std::ptrdiff_t>(pairs), payers.end());
        i = j;
    }
    std::sort(rest.begin(), rest.end(), [](const Party& a, const Party& b) { return a.id < b.id; });
    return rest;
}

// Largest receiver against largest payer (ties to the lower id); a remainder that exactly matches an
// opposite balance is paid to it at once. Each transfer clears one balance, the last clears two.
void greedy(const std::vector<Party>& group, std::vector<Transfer>& out) {
    // (magnitude, −id): the last element is the largest, lowest id first among equals.
    using Key = std::pair<Fen, std::int64_t>;
    std::set<Key> receivers, payers;
    for (const auto& p : group) (p.amount > 0 ? receivers : payers).insert({magnitude(p), -p.id});
    const auto pay = [&out](std::int64_t payer, std::int64_t receiver, Fen amount) {
        out.push_back({PlatformId(payer), PlatformId(receiver), amount});
    };
    // Puts `id` back with `left`, unless the other side holds exactly `left`: then they settle now.
    const auto settle_or_keep = [&pay](std::set<Key>& own, std::set<Key>& other, std::int64_t id, Fen left,
                                       bool receiving) {
        auto it = other.upper_bound({left, std::numeric_limits<std::int64_t>::max()});
        if (it != other.begin() && std::prev(it)->first == left) {
            const std::int64_t match = -std::prev(it)->second;
            other.erase(std::prev(it));
            if (receiving) pay(match, id, left);
            else pay(id, match, left);
            return;
        }
        own.insert({left, -id});
    };
    while (!receivers.empty() && !payers.empty()) {
        const Key r = *receivers.rbegin(), p = *payers.rbegin();
        receivers.erase(std::prev(receivers.end()));
        payers.erase(std::prev(payers.end()));
        const Fen amount = std::min(r.first, p.first);
        pay(-p.second, -r.second, amount);
        if (r.first > amount) settle_or_keep(receivers, payers, -r.second, r.first - amount, true);
        if (p.first > amount) settle_or_keep(payers, receivers, -p.second, p.first - amount, false);
    }
}

// The most zero-sum groups the parties split into (by DP over subsets), each then cleared by greedy
// in (size − 1) transfers, which no group of a best partition can beat: its transfers must connect it,
// or a part of it would sum to 0 on its own.
void exact(const std::vector<Party>& ps, std::vector<Transfer>& out) {
    const std::size_t k = ps.size();
    if (k == 0) return;
    const std::uint32_t full = (std::uint32_t{1} << k) - 1;
    // Any subset sum lies within ± the sum of the positive balances, which was checked to fit.
    std::vector<Fen> sum(std::size_t{full} + 1, 0);
    std::vector<std::uint8_t> groups(std::size_t{full} + 1, 0);   // most zero-sum groups of mask's parts
    for (std::uint32_t mask = 1; mask <= full; ++mask) {
        sum[mask] = sum[mask & (mask - 1)] + ps[static_cast<std::size_t>(__builtin_ctz(mask))].amount;
        std::uint8_t best = 0;
        for (std::uint32_t rest = mask; rest != 0; rest &= rest - 1) {
            best = std::max(best, groups[mask & ~(rest & -rest)]);
        }
        groups[mask] = static_cast<std::uint8_t>(best + (sum[mask] == 0 ? 1 : 0));
    }
    // Walk back from the full set removing one party at a time along a best chain; the parts removed
    // between two zero-sum sets form one group.
    std::vector<Party> group;
    for (std::uint32_t mask = full; mask != 0;) {
        const int target = groups[mask] - (sum[mask] == 0 ? 1 : 0);
        std::uint32_t bit = 0;
        for (std::uint32_t rest = mask; rest != 0; rest &= rest - 1) {
            bit = rest & -rest;
            if (groups[mask & ~bit] == target) break;
        }
        group.push_back(ps[static_cast<std::size_t>(__builtin_ctz(bit))]);
        mask &= ~bit;
        if (sum[mask] == 0) {
            greedy(group, out);
            group.clear();
        }
    }
}

}  // namespace

Netted net(std::span<const NetBalance> balances, Netting netting) {
    if (netting != Netting::automatic && netting != Netting::exact && netting != Netting::greedy) {
        invalid("netting: unknown method " + std::to_string(static_cast<int>(netting)));
    }
    const auto all = parties(balances);
    Netted result;
    const auto rest = pair_opposites(all, result.transfers);
    const bool small = rest.size() <= static_cast<std::size_t>(exact_netting_limit);
    if (netting == Netting::exact && !small) {
        invalid("exact netting: " + std::to_string(rest.size()) + " balances left after pairing opposites, above the limit of " +
                std::to_string(exact_netting_limit));
    }
    result.method = netting == Netting::greedy || !small ? Netting::greedy : Netting::exact;
    if (result.method == Netting::exact) exact(rest, result.transfers);
    else greedy(rest, result.transfers);
    std::sort(result.transfers.begin(), result.transfers.end(), [](const Transfer& a, const Transfer& b) {
        return std::pair(a.from, a.to) < std::pair(b.from, b.to);
    });
    return result;
}

}  // namespace settlement

std::vector<Transfer> net_transfers(std::span<const NetBalance> balances, Netting netting) {
    return settlement::net(balances, netting).transfers;
}

Netting automatic_netting(std::span<const NetBalance> balances) {
    std::vector<Transfer> ignored;
    const auto rest = settlement::pair_opposites(settlement::parties(balances), ignored);
    return rest.size() <= static_cast<std::size_t>(exact_netting_limit) ? Netting::exact : Netting::greedy;
}

}  // namespace psp
