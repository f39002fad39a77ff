// The scenarios the demo compares, from platforms on their own to the whole network with a one-stop
// desk, and their one-line descriptions.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "psp/simulation.hpp"

namespace alliance_sharing {

inline std::vector<psp::Scenario> standard_scenarios(psp::Period horizon, std::uint64_t seed, int replications) {
    psp::Scenario base;
    base.horizon = horizon;
    base.seed = seed;
    base.replications = replications;
    base.hours_per_instrument = 1600;              // the national network's average (DESIGN.md §5)
    base.budget_yuan_per_hour = {120, 200, 400, 0};   // what micro, small and medium firms would pay
    base.planned_purchases = 30;

    std::vector<psp::Scenario> out;
    const auto add = [&](const char* name, auto change) {
        psp::Scenario s = base;
        s.name = name;
        change(s);
        out.push_back(s);
    };
    // Today: each platform alone, enterprises chase referrals themselves, every purchase is made.
    add("isolated", [](psp::Scenario& s) { s.sharing = psp::SharingMode::isolated; s.one_stop = false; s.joint_review = false; });
    add("alliances", [](psp::Scenario& s) { s.sharing = psp::SharingMode::alliances; s.one_stop = false; });
    add("network", [](psp::Scenario& s) { s.sharing = psp::SharingMode::network; s.one_stop = false; });
    add("one-stop", [](psp::Scenario& s) { s.sharing = psp::SharingMode::network; });
    // Sub-platforms bring a backbone's family (where moves need no referral) to more zones: they
    // matter where referrals lose enterprises, so this one is compared with "network".
    add("network-rollout", [](psp::Scenario& s) {
        s.sharing = psp::SharingMode::network;
        s.one_stop = false;
        s.rollout_sub_platforms = 2;
    });
    add("no-vouchers", [](psp::Scenario& s) { s.sharing = psp::SharingMode::network; s.vouchers = false; });
    add("load-balanced", [](psp::Scenario& s) {
        s.sharing = psp::SharingMode::network;
        s.policy.objective = psp::RouteObjective::weighted;
    });
    return out;
}

inline std::string describe(const psp::Scenario& s) {
    std::ostringstream out;
    out << "sharing " << psp::to_string(s.sharing) << ", one-stop " << (s.one_stop ? "on" : "off") << ", vouchers "
        << (s.vouchers ? "on" : "off") << ", routing " << psp::to_string(s.policy.objective) << ", joint review "
        << (s.joint_review ? "on" : "off");
    if (s.rollout_sub_platforms) out << ", " << s.rollout_sub_platforms << " new sub-platforms per backbone";
    return out.str();
}

// The scenarios named in a comma-separated list, in the list's order.
inline std::vector<psp::Scenario> select(const std::vector<psp::Scenario>& all, const std::string& names) {
    std::vector<psp::Scenario> out;
    std::stringstream list(names);
    for (std::string name; std::getline(list, name, ',');) {
        bool found = false;
        for (const auto& s : all) {
            if (s.name == name) {
                out.push_back(s);
                found = true;
            }
        }
        if (!found) throw std::invalid_argument("no scenario named '" + name + "' (--list shows them)");
    }
    return out;
}

}  // namespace alliance_sharing
