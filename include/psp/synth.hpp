// psp::synth: synthetic Hangzhou-like cities at the three scales of DESIGN.md §5.
// Same parameters and seed, same city (bit for bit, on every platform).
#pragma once

#include <cstdint>

#include "psp/network.hpp"

namespace psp::synth {

enum class Scale : int { district = 0, city = 1, region = 2 };

struct CityParams {
    std::uint64_t seed = 1;
    int districts = 13;            // 1..13, taken in the order of Hangzhou's real districts
    int zones_per_district = 4;
    int platforms = 300;
    double backbone_share = 0.1;   // share of platforms that are backbones
    double sub_platform_share = 0.3;  // share of platforms that are sub-platforms of a backbone
    int alliances = 12;
    int equipment_classes = 40;
    int equipment = 5000;
    int enterprises = 50000;

    // Parameters for one of the three sizes of DESIGN.md §5.
    static CityParams for_scale(Scale scale, std::uint64_t seed = 1);
};

// Generates a valid network: every invariant of psp::Database holds, so
// Database::import_network() accepts it.
Network generate_city(const CityParams& params);

}  // namespace psp::synth

namespace psp {
class Database;
struct Actor;
}  // namespace psp

namespace psp::synth {

// Gives an imported synthetic city what booking needs (issue 4): each platform a calendar (the
// standard working week; every fourth platform also opens Saturday mornings), each piece of
// equipment a tariff derived from its purchase value (recovering it over about 8,000 hours, the
// external rate 1.5 times the member rate) and booking rules (approval for instruments above a
// million yuan, training for every third class), and the city one innovation voucher scheme
// (zhejiang_county_example()); returns its id. All in one transaction (Database::transaction).
// Same seed, same settings.
std::int64_t configure_booking(Database& db, const Actor& office, std::uint64_t seed = 1);

}  // namespace psp::synth
