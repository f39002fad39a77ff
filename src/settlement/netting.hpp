// The clearing of balances behind net_transfers() (include/psp/settlement.hpp), also returning which
// method automatic netting chose, for settle().
#pragma once

#include <span>
#include <vector>

#include "psp/settlement.hpp"

namespace psp::settlement {

struct Netted {
    std::vector<Transfer> transfers;   // sorted by (from, to)
    Netting method = Netting::exact;   // exact or greedy, never automatic
};

Netted net(std::span<const NetBalance> balances, Netting netting);

}  // namespace psp::settlement
