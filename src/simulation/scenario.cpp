// Names and checks of the simulation's scenario (psp/simulation.hpp).
#include <cmath>
#include <string>

#include "core/utf8.hpp"
#include "psp/error.hpp"
#include "psp/simulation.hpp"

namespace psp {
namespace {
constexpr Time seconds_per_day = 86400;
}  // namespace

const char* to_string(SharingMode m) {
    switch (m) {
        case SharingMode::isolated: return "isolated";
        case SharingMode::alliances: return "alliances";
        case SharingMode::network: return "network";
    }
    return "unknown";
}

template <>
std::optional<SharingMode> parse_enum(std::string_view s) {
    for (int i = 0; i < sharing_mode_count; ++i) {
        if (s == to_string(static_cast<SharingMode>(i))) return static_cast<SharingMode>(i);
    }
    return std::nullopt;
}

void validate(const Scenario& s) {
    const auto bad = [&](const std::string& what) {
        throw Error(ErrorCode::invalid, "scenario '" + s.name + "' " + what);
    };
    if (s.name.empty() || s.name.size() > 64 || !detail::valid_utf8(s.name)) {
        throw Error(ErrorCode::invalid, "scenario name: must be 1..64 bytes of UTF-8");
    }
    const int mode = static_cast<int>(s.sharing);
    if (mode < 0 || mode >= sharing_mode_count) bad("sharing: no such sharing mode (" + std::to_string(mode) + ")");
    if (s.horizon.empty()) {
        bad("horizon: [" + std::to_string(s.horizon.start) + ", " + std::to_string(s.horizon.end) + ") is empty or reversed");
    }
    if (s.horizon.seconds() < seconds_per_day || s.horizon.seconds() > 3 * 366 * seconds_per_day) {
        bad("horizon: must last 1 day to 3 years, got " + std::to_string(s.horizon.seconds() / seconds_per_day) + " days");
    }
    if (!std::isfinite(s.hours_per_instrument) || s.hours_per_instrument < 0 || s.hours_per_instrument > 8784) {
        bad("hours_per_instrument: must be 0 (no calibration) .. 8784");
    }
    for (double b : s.budget_yuan_per_hour) {
        if (!std::isfinite(b) || b < 0) bad("budget_yuan_per_hour: each must be a finite number >= 0 (0: no ceiling)");
    }
    if (!std::isfinite(s.referral_dropout) || s.referral_dropout < 0 || s.referral_dropout > 1) bad("referral_dropout: must be 0..1");
    if (!std::isfinite(s.referral_delay_hours) || s.referral_delay_hours < 0 || s.referral_delay_hours > 24 * 60) {
        bad("referral_delay_hours: must be 0..1440");
    }
    if (s.rollout_sub_platforms < 0 || s.rollout_sub_platforms > 20) bad("rollout_sub_platforms: must be 0..20");
    if (s.planned_purchases < 0 || s.planned_purchases > 10'000) bad("planned_purchases: must be 0..10000");
    if (s.replications < 1 || s.replications > 1000) bad("replications: must be 1..1000, got " + std::to_string(s.replications));
    try {
        validate(s.demand);
        RoutingPolicy p = s.policy;
        p.open_tiers = {true, true, true, true, true};   // the sharing mode decides them
        validate(p);
    } catch (const Error& e) {
        bad(e.what());
    }
}

}  // namespace psp
