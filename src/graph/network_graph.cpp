// Boost.Graph views of the network: a typed structural graph (who belongs to whom) and an
// undirected travel graph for shortest-path queries.
#include "graph/network_graph.hpp"

#include <algorithm>
#include <climits>
#include <map>
#include <sstream>
#include <unordered_map>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/dijkstra_shortest_paths_no_color_map.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <boost/graph/graphviz.hpp>

namespace psp::detail {
namespace {

enum class VertexKind { district, zone, platform, alliance, equipment };
enum class EdgeKind {
    zone_in_district,     // zone -> district
    platform_sited_in,    // platform -> district
    serves_zone,          // platform -> zone (minutes)
    sub_platform_of,      // sub-platform -> backbone
    member_of,            // platform -> alliance
    equipment_owned_by,   // equipment -> platform
    linked_to,            // platform -> platform (higher tier or cooperation)
    travel,               // district -> district, both directions (minutes)
};

struct VertexProps {
    VertexKind kind = VertexKind::district;
    std::int64_t id = 0;
};
struct EdgeProps {
    EdgeKind kind = EdgeKind::travel;
    int minutes = 0;
};

using Structure = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, VertexProps, EdgeProps>;
using StructVertex = boost::graph_traits<Structure>::vertex_descriptor;

// Travel is queried far more often than it changes: a compressed sparse row graph (both
// directions of each road stored) keeps Dijkstra's adjacency scans cache-friendly.
struct TravelEdge {
    int minutes = 0;
};
using Travel = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, TravelEdge>;
using TravelVertex = std::size_t;

// Stops Dijkstra once the nearest unsettled vertex is beyond the bound: nothing further can be
// within it.
struct BeyondBound {};
struct StopBeyond : boost::default_dijkstra_visitor {
    const std::vector<int>* dist;
    int bound;
    StopBeyond(const std::vector<int>* d, int b) : dist(d), bound(b) {}
    template <class Vertex, class Graph>
    void examine_vertex(Vertex v, const Graph&) const {
        if ((*dist)[v] > bound) throw BeyondBound{};
    }
};

const char* kind_name(VertexKind k) {
    switch (k) {
        case VertexKind::district: return "district";
        case VertexKind::zone: return "zone";
        case VertexKind::platform: return "platform";
        case VertexKind::alliance: return "alliance";
        case VertexKind::equipment: return "equipment";
    }
    return "?";
}

}  // namespace

struct NetworkGraph::Graphs {
    const State* state = nullptr;
    Structure structure;
    std::unordered_map<std::int64_t, StructVertex> district_v, zone_v, platform_v, alliance_v;

    // The travel graph holds districts, zones and platforms; equipment is reached through the
    // vertex of its owner (same site) or of its site district.
    Travel travel;
    std::size_t travel_vertices = 0;
    std::vector<std::pair<TravelVertex, TravelVertex>> travel_edges;   // gathered, then frozen into CSR
    std::vector<TravelEdge> travel_minutes;
    std::unordered_map<std::int64_t, TravelVertex> t_district, t_zone, t_platform;
    mutable std::vector<int> dist;   // reused by every query (Database calls are serialised)
    struct EquipmentSpot {
        EquipmentId id;
        PlatformId owner;
        TravelVertex at;
    };
    std::unordered_map<std::int64_t, std::vector<EquipmentSpot>> equipment_by_class;

    TravelVertex add_place() { return travel_vertices++; }
    void add_road(TravelVertex a, TravelVertex b, int minutes) {
        travel_edges.emplace_back(a, b);
        travel_edges.emplace_back(b, a);
        travel_minutes.push_back({minutes});
        travel_minutes.push_back({minutes});
    }

    StructVertex add_vertex(VertexKind kind, std::int64_t id) {
        return boost::add_vertex(VertexProps{kind, id}, structure);
    }
    void add_edge(StructVertex a, StructVertex b, EdgeKind kind, int minutes = 0) {
        boost::add_edge(a, b, EdgeProps{kind, minutes}, structure);
    }
};

NetworkGraph::NetworkGraph(const State& s) : g_(std::make_unique<Graphs>()) {
    auto& g = *g_;
    g.state = &s;
    for (const auto& [id, d] : s.districts.rows()) {
        g.district_v[id.value] = g.add_vertex(VertexKind::district, id.value);
        g.t_district[id.value] = g.add_place();
    }
    for (const auto& [id, z] : s.zones.rows()) {
        const auto v = g.add_vertex(VertexKind::zone, id.value);
        g.zone_v[id.value] = v;
        g.add_edge(v, g.district_v.at(z.district.value), EdgeKind::zone_in_district);
        const auto t = g.add_place();
        g.t_zone[id.value] = t;
        g.add_road(t, g.t_district.at(z.district.value), district_access_minutes);
    }
    for (const auto& [id, p] : s.platforms.rows()) {
        const auto v = g.add_vertex(VertexKind::platform, id.value);
        g.platform_v[id.value] = v;
        g.add_edge(v, g.district_v.at(p.site.value), EdgeKind::platform_sited_in);
        const auto t = g.add_place();
        g.t_platform[id.value] = t;
        g.add_road(t, g.t_district.at(p.site.value), district_access_minutes);
    }
    for (const auto& [id, p] : s.platforms.rows()) {
        if (p.parent) g.add_edge(g.platform_v.at(id.value), g.platform_v.at(p.parent.value), EdgeKind::sub_platform_of);
    }
    for (const auto& [id, a] : s.alliances.rows()) {
        const auto v = g.add_vertex(VertexKind::alliance, id.value);
        g.alliance_v[id.value] = v;
        for (const auto& m : a.members) g.add_edge(g.platform_v.at(m.platform.value), v, EdgeKind::member_of);
    }
    for (const auto& [id, e] : s.equipment.rows()) {
        const auto v = g.add_vertex(VertexKind::equipment, id.value);
        g.add_edge(v, g.platform_v.at(e.owner.value), EdgeKind::equipment_owned_by);
        const Platform* owner = s.platforms.find(e.owner);
        const auto at = owner->site == e.site ? g.t_platform.at(e.owner.value) : g.t_district.at(e.site.value);
        g.equipment_by_class[e.equipment_class.value].push_back({id, e.owner, at});
    }
    for (const auto& [key, minutes] : s.zone_services) {
        g.add_edge(g.platform_v.at(key.first), g.zone_v.at(key.second), EdgeKind::serves_zone, minutes);
        g.add_road(g.t_platform.at(key.first), g.t_zone.at(key.second), minutes);
    }
    for (const auto& [key, kind] : s.links) {
        g.add_edge(g.platform_v.at(key.first), g.platform_v.at(key.second), EdgeKind::linked_to,
                   static_cast<int>(kind));
    }
    for (const auto& [key, minutes] : s.travel) {
        g.add_edge(g.district_v.at(key.first), g.district_v.at(key.second), EdgeKind::travel, minutes);
        g.add_edge(g.district_v.at(key.second), g.district_v.at(key.first), EdgeKind::travel, minutes);
        g.add_road(g.t_district.at(key.first), g.t_district.at(key.second), minutes);
    }
    g.travel = Travel(boost::edges_are_unsorted_multi_pass, g.travel_edges.begin(), g.travel_edges.end(),
                      g.travel_minutes.begin(), g.travel_vertices);
    g.travel_edges = {};
    g.travel_minutes = {};
    g.dist.assign(g.travel_vertices, INT_MAX);
}

NetworkGraph::~NetworkGraph() = default;

std::vector<PlatformId> NetworkGraph::sub_platforms(PlatformId backbone) const {
    std::vector<PlatformId> out;
    const auto& g = g_->structure;
    for (auto e : boost::make_iterator_range(boost::in_edges(g_->platform_v.at(backbone.value), g))) {
        if (g[e].kind == EdgeKind::sub_platform_of) out.emplace_back(g[boost::source(e, g)].id);
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<AllianceId> NetworkGraph::alliances_of(PlatformId p) const {
    std::vector<AllianceId> out;
    const auto& g = g_->structure;
    for (auto e : boost::make_iterator_range(boost::out_edges(g_->platform_v.at(p.value), g))) {
        if (g[e].kind == EdgeKind::member_of) out.emplace_back(g[boost::target(e, g)].id);
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<PlatformId> NetworkGraph::platforms_serving(ZoneId z) const {
    std::vector<PlatformId> out;
    const auto& g = g_->structure;
    for (auto e : boost::make_iterator_range(boost::in_edges(g_->zone_v.at(z.value), g))) {
        if (g[e].kind == EdgeKind::serves_zone) out.emplace_back(g[boost::source(e, g)].id);
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<ReachableEquipment> NetworkGraph::equipment_within(ZoneId zone, EquipmentClassId cls,
                                                               int max_minutes) const {
    std::vector<ReachableEquipment> out;
    const auto spots = g_->equipment_by_class.find(cls.value);
    if (spots == g_->equipment_by_class.end() || max_minutes < 0) return out;
    const auto& t = g_->travel;
    auto& dist = g_->dist;
    try {
        boost::dijkstra_shortest_paths_no_color_map(
            t, g_->t_zone.at(zone.value),
            boost::distance_map(boost::make_iterator_property_map(dist.begin(), boost::get(boost::vertex_index, t)))
                .weight_map(boost::get(&TravelEdge::minutes, t))
                .distance_inf(INT_MAX)
                .visitor(StopBeyond(&dist, max_minutes)));
    } catch (const BeyondBound&) {
        // Settled everything within the bound; farther vertices keep larger tentative distances.
    }
    for (const auto& spot : spots->second) {
        const int d = dist[spot.at];
        if (d != INT_MAX && d <= max_minutes) out.push_back({spot.id, spot.owner, d});
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return a.minutes != b.minutes ? a.minutes < b.minutes : a.equipment < b.equipment;
    });
    return out;
}

NetworkGraph::TravelFrom NetworkGraph::travel_from(ZoneId zone, int max_minutes) const {
    TravelFrom out;
    const auto start = g_->t_zone.find(zone.value);
    if (start == g_->t_zone.end() || max_minutes < 0) return out;
    const auto& t = g_->travel;
    auto& dist = g_->dist;
    try {
        boost::dijkstra_shortest_paths_no_color_map(
            t, start->second,
            boost::distance_map(boost::make_iterator_property_map(dist.begin(), boost::get(boost::vertex_index, t)))
                .weight_map(boost::get(&TravelEdge::minutes, t))
                .distance_inf(INT_MAX)
                .visitor(StopBeyond(&dist, max_minutes)));
    } catch (const BeyondBound&) {
        // Settled everything within the bound.
    }
    const auto within = [&](TravelVertex v) { return dist[v] != INT_MAX && dist[v] <= max_minutes; };
    for (const auto& [id, v] : g_->t_platform) {
        if (within(v)) out.platforms.emplace(id, dist[v]);
    }
    for (const auto& [id, v] : g_->t_zone) {
        if (within(v)) out.zones.emplace(id, dist[v]);
    }
    for (const auto& [cls, spots] : g_->equipment_by_class) {
        for (const auto& spot : spots) {
            if (within(spot.at)) out.equipment.emplace(spot.id.value, dist[spot.at]);
        }
    }
    return out;
}

CoverageMatrix NetworkGraph::coverage() const {
    CoverageMatrix m;
    const auto& s = *g_->state;
    for (const auto& [zid, zone] : s.zones.rows()) {
        std::array<int, service_kind_count> row{};
        for (auto pid : platforms_serving(zid)) {
            const Platform* p = s.platforms.find(pid);
            if (p->status != PlatformStatus::operating) continue;
            for (int k = 0; k < service_kind_count; ++k) {
                if (p->services.contains(static_cast<ServiceKind>(k))) ++row[static_cast<std::size_t>(k)];
            }
        }
        m.zones.push_back(zid);
        m.counts.push_back(row);
    }
    return m;
}

std::vector<Duplication> NetworkGraph::duplications() const {
    std::vector<Duplication> out;
    const auto& s = *g_->state;
    for (const auto& [zid, zone] : s.zones.rows()) {
        std::map<std::pair<int, int>, std::vector<PlatformId>> groups;   // (field, kind) -> platforms
        for (auto pid : platforms_serving(zid)) {
            const Platform* p = s.platforms.find(pid);
            if (p->status != PlatformStatus::operating) continue;
            for (auto k : p->services.kinds()) {
                groups[{static_cast<int>(p->field), static_cast<int>(k)}].push_back(pid);
            }
        }
        for (auto& [key, platforms] : groups) {
            if (platforms.size() < 2) continue;
            out.push_back({zid, static_cast<PlatformField>(key.first), static_cast<ServiceKind>(key.second),
                           std::move(platforms)});
        }
    }
    return out;
}

namespace {

// Draw places and membership, not every service area or instrument: a city has thousands of
// those and the picture is meant to be read.
struct DrawnEdge {
    const Structure* g;
    bool operator()(boost::graph_traits<Structure>::edge_descriptor e) const {
        const auto k = (*g)[e].kind;
        return k == EdgeKind::zone_in_district || k == EdgeKind::platform_sited_in ||
               k == EdgeKind::sub_platform_of || k == EdgeKind::member_of || k == EdgeKind::linked_to;
    }
};
struct DrawnVertex {
    const Structure* g;
    bool operator()(StructVertex v) const { return (*g)[v].kind != VertexKind::equipment; }
};

std::string escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out;
}

}  // namespace

std::string NetworkGraph::graphviz() const {
    const auto& g = g_->structure;
    const auto& s = *g_->state;
    boost::filtered_graph<Structure, DrawnEdge, DrawnVertex> drawn(g, DrawnEdge{&g}, DrawnVertex{&g});
    auto vertex_writer = [&](std::ostream& os, StructVertex v) {
        const auto& p = g[v];
        std::string label;
        std::string shape;
        switch (p.kind) {
            case VertexKind::district: label = s.districts.find(DistrictId(p.id))->name; shape = "box3d"; break;
            case VertexKind::zone: label = s.zones.find(ZoneId(p.id))->name; shape = "ellipse"; break;
            case VertexKind::platform: {
                const Platform* pl = s.platforms.find(PlatformId(p.id));
                label = pl->name;
                shape = pl->backbone ? "doubleoctagon" : "box";
                break;
            }
            case VertexKind::alliance: label = s.alliances.find(AllianceId(p.id))->name; shape = "hexagon"; break;
            case VertexKind::equipment: label = "equipment"; shape = "point"; break;
        }
        os << "[label=\"" << escape(label) << "\" shape=" << shape << " class=" << kind_name(p.kind) << "]";
    };
    auto edge_writer = [&](std::ostream& os, boost::graph_traits<Structure>::edge_descriptor e) {
        switch (g[e].kind) {
            case EdgeKind::sub_platform_of: os << "[style=bold color=blue]"; break;
            case EdgeKind::member_of: os << "[style=dashed color=darkgreen]"; break;
            case EdgeKind::linked_to: os << "[style=dotted color=red]"; break;
            default: os << "[color=gray]"; break;
        }
    };
    std::ostringstream os;
    boost::write_graphviz(os, drawn, vertex_writer, edge_writer,
                          [](std::ostream& o) { o << "graph [rankdir=LR overlap=false fontname=\"Noto Sans CJK SC\"]\n"; });
    return os.str();
}

}  // namespace psp::detail
