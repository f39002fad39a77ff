// The network as Boost.Graph graphs, built from the working State. Descriptors never leave src/:
// every answer is given in typed ids.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "database/state.hpp"
#include "psp/network.hpp"

namespace psp::detail {

class NetworkGraph {
public:
    explicit NetworkGraph(const State& state);
    ~NetworkGraph();
    NetworkGraph(const NetworkGraph&) = delete;
    NetworkGraph& operator=(const NetworkGraph&) = delete;

    std::vector<PlatformId> sub_platforms(PlatformId backbone) const;
    std::vector<AllianceId> alliances_of(PlatformId) const;
    std::vector<PlatformId> platforms_serving(ZoneId) const;
    std::vector<ReachableEquipment> equipment_within(ZoneId, EquipmentClassId, int max_minutes) const;
    // Travel minutes from a zone to every platform and every piece of equipment reachable
    // within max_minutes (one Dijkstra run; routing caches the answer per zone).
    struct TravelFrom {
        std::unordered_map<std::int64_t, int> platforms;   // platform id -> minutes
        std::unordered_map<std::int64_t, int> equipment;   // equipment id -> minutes
        std::unordered_map<std::int64_t, int> zones;       // zone id -> minutes
    };
    TravelFrom travel_from(ZoneId, int max_minutes) const;
    CoverageMatrix coverage() const;
    std::vector<Duplication> duplications() const;
    std::string graphviz() const;

private:
    struct Graphs;
    std::unique_ptr<Graphs> g_;
};

}  // namespace psp::detail
