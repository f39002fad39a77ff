// Converting between the working State and a Network of values.
#include "database/state.hpp"

namespace psp::detail {

State State::from(const Network& n) {
    State s;
    s.enterprises.reserve(n.enterprises.size());
    s.equipment.reserve(n.equipment.size());
    s.platforms.reserve(n.platforms.size());
    for (const auto& d : n.districts) s.districts.put(d);
    for (const auto& z : n.zones) s.zones.put(z);
    for (const auto& p : n.platforms) s.platforms.put(p);
    for (const auto& a : n.alliances) s.alliances.put(a);
    for (const auto& c : n.equipment_classes) s.equipment_classes.put(c);
    for (const auto& e : n.equipment) s.equipment.put(e);
    for (const auto& e : n.enterprises) s.enterprises.put(e);
    for (const auto& t : n.travel) s.travel[travel_key(t.from, t.to)] = t.minutes;
    for (const auto& z : n.zone_services) s.zone_services[{z.platform.value, z.zone.value}] = z.minutes;
    for (const auto& l : n.links) s.links[{l.from.value, l.to.value}] = l.kind;
    return s;
}

namespace {
template <class E>
void copy_rows(const Table<E>& t, std::vector<E>& out) {
    out.reserve(t.size());
    for (const auto& [id, e] : t.rows()) out.push_back(e);
}
}  // namespace

Network State::to_network() const {
    Network n;
    copy_rows(districts, n.districts);
    copy_rows(zones, n.zones);
    copy_rows(platforms, n.platforms);
    copy_rows(alliances, n.alliances);
    copy_rows(equipment_classes, n.equipment_classes);
    copy_rows(equipment, n.equipment);
    copy_rows(enterprises, n.enterprises);
    n.travel = travel_rows();
    n.zone_services = zone_service_rows();
    n.links = link_rows();
    return n;
}

std::vector<DistrictTravel> State::travel_rows() const {
    std::vector<DistrictTravel> out;
    for (const auto& [k, m] : travel) out.push_back({DistrictId(k.first), DistrictId(k.second), m});
    return out;
}

std::vector<ZoneService> State::zone_service_rows() const {
    std::vector<ZoneService> out;
    for (const auto& [k, m] : zone_services) out.push_back({PlatformId(k.first), ZoneId(k.second), m});
    return out;
}

std::vector<PlatformLink> State::link_rows() const {
    std::vector<PlatformLink> out;
    for (const auto& [k, kind] : links) out.push_back({PlatformId(k.first), PlatformId(k.second), kind});
    return out;
}

}  // namespace psp::detail
