// Results of the graph queries over the network (answered by psp::Database).
#pragma once

#include <array>
#include <vector>

#include "psp/model.hpp"

namespace psp {

// One piece of equipment reachable from a zone, with the shortest travel time to it.
struct ReachableEquipment {
    EquipmentId equipment;
    PlatformId owner;
    int minutes = 0;
    friend bool operator==(const ReachableEquipment&, const ReachableEquipment&) = default;
};

// zone × service kind: how many operating platforms serving the zone offer the kind.
struct CoverageMatrix {
    std::vector<ZoneId> zones;                          // row order
    std::vector<std::array<int, service_kind_count>> counts;  // counts[row][kind]

    int count(std::size_t row, ServiceKind k) const { return counts[row][static_cast<int>(k)]; }
};

struct CoverageGap {
    ZoneId zone;
    ServiceKind kind;
    friend bool operator==(const CoverageGap&, const CoverageGap&) = default;
};

// Several platforms of one field offering the same service to the same zone (§2.2 防止重复建设).
struct Duplication {
    ZoneId zone;
    PlatformField field;
    ServiceKind kind;
    std::vector<PlatformId> platforms;  // two or more, ascending
    friend bool operator==(const Duplication&, const Duplication&) = default;
};

}  // namespace psp

namespace psp {

// A whole network as values: what the synthetic generator produces, JSON import/export carries,
// and Database::snapshot() returns. Each vector is in ascending id order when it comes from psp.
struct Network {
    std::vector<District> districts;
    std::vector<DistrictTravel> travel;
    std::vector<Zone> zones;
    std::vector<Platform> platforms;
    std::vector<ZoneService> zone_services;
    std::vector<PlatformLink> links;
    std::vector<Alliance> alliances;
    std::vector<EquipmentClass> equipment_classes;
    std::vector<Equipment> equipment;
    std::vector<Enterprise> enterprises;
    friend bool operator==(const Network&, const Network&) = default;
};

// How many of each kind a network holds.
struct NetworkCounts {
    std::size_t districts = 0, zones = 0, platforms = 0, backbones = 0, sub_platforms = 0,
                alliances = 0, equipment_classes = 0, equipment = 0, enterprises = 0,
                zone_services = 0, links = 0, travel = 0;
};

}  // namespace psp
