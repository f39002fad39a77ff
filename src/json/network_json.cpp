// Writing and strictly reading the network JSON format; every read error names its JSON path.
#include "json/network_json.hpp"
#include "json/reader.hpp"

#include <set>
#include <string>

#include "psp/database.hpp"
#include "psp/error.hpp"

namespace psp::json {

// --- Writing
json to_json(const District& d) { return {{"id", d.id.value}, {"name", d.name}, {"x_km", d.x_km}, {"y_km", d.y_km}}; }
json to_json(const Zone& z) {
    return {{"id", z.id.value}, {"name", z.name}, {"district", z.district.value}, {"type", to_string(z.type)}};
}
json to_json(const Platform& p) {
    json services = json::array();
    for (auto k : p.services.kinds()) services.push_back(to_string(k));
    return {{"id", p.id.value},
            {"name", p.name},
            {"tier", to_string(p.tier)},
            {"field", to_string(p.field)},
            {"operator_model", to_string(p.operator_model)},
            {"services", services},
            {"backbone", p.backbone},
            {"parent", p.parent ? json(p.parent.value) : json(nullptr)},
            {"site", p.site.value},
            {"status", to_string(p.status)}};
}
json to_json(const Alliance& a) {
    json members = json::array();
    for (const auto& m : a.members) members.push_back({{"platform", m.platform.value}, {"role", to_string(m.role)}});
    return {{"id", a.id.value},       {"name", a.name},      {"scope", to_string(a.scope)},
            {"sector", to_string(a.sector)}, {"breadth", to_string(a.breadth)}, {"lead", a.lead.value},
            {"members", members},     {"one_stop", a.one_stop}};
}
json to_json(const EquipmentClass& c) { return {{"id", c.id.value}, {"name", c.name}, {"category", c.category}}; }
json to_json(const Equipment& e) {
    return {{"id", e.id.value},        {"name", e.name},   {"equipment_class", e.equipment_class.value},
            {"owner", e.owner.value},  {"capacity_units", e.capacity_units}, {"site", e.site.value},
            {"purchase_value", e.purchase_value}};
}
json to_json(const Enterprise& e) {
    return {{"id", e.id.value}, {"name", e.name}, {"zone", e.zone.value}, {"size", to_string(e.size)}, {"sector", e.sector}};
}
json to_json(const DistrictTravel& t) { return {{"from", t.from.value}, {"to", t.to.value}, {"minutes", t.minutes}}; }
json to_json(const ZoneService& z) { return {{"platform", z.platform.value}, {"zone", z.zone.value}, {"minutes", z.minutes}}; }
json to_json(const PlatformLink& l) { return {{"from", l.from.value}, {"to", l.to.value}, {"kind", to_string(l.kind)}}; }

namespace {
template <class T>
json array_of(const std::vector<T>& rows) {
    json a = json::array();
    for (const auto& r : rows) a.push_back(to_json(r));
    return a;
}
}  // namespace

json to_json(const Network& n) {
    return {{"format", network_format},
            {"version", network_format_version},
            {"districts", array_of(n.districts)},
            {"travel", array_of(n.travel)},
            {"zones", array_of(n.zones)},
            {"platforms", array_of(n.platforms)},
            {"zone_services", array_of(n.zone_services)},
            {"links", array_of(n.links)},
            {"alliances", array_of(n.alliances)},
            {"equipment_classes", array_of(n.equipment_classes)},
            {"equipment", array_of(n.equipment)},
            {"enterprises", array_of(n.enterprises)}};
}

// --- Reading
namespace {

District read_district(ObjectReader& r) {
    District d;
    d.id = r.id<DistrictId>("id");
    d.name = r.text("name");
    d.x_km = r.number_or("x_km", 0);
    d.y_km = r.number_or("y_km", 0);
    return d;
}
Zone read_zone(ObjectReader& r) {
    Zone z;
    z.id = r.id<ZoneId>("id");
    z.name = r.text("name");
    z.district = r.id<DistrictId>("district");
    z.type = r.enumeration<ZoneType>("type");
    return z;
}
Platform read_platform(ObjectReader& r) {
    Platform p;
    p.id = r.id<PlatformId>("id");
    p.name = r.text("name");
    p.tier = r.enumeration<PlatformTier>("tier");
    p.field = r.enumeration<PlatformField>("field");
    p.operator_model = r.enumeration<OperatorModel>("operator_model");
    if (const json* s = r.find("services")) {
        if (!s->is_array()) bad(r.at("services"), std::string("expected an array, got ") + type_name(*s));
        for (std::size_t i = 0; i < s->size(); ++i) {
            p.services.insert(ObjectReader::parse_enum_at<ServiceKind>((*s)[i], r.at("services/" + std::to_string(i))));
        }
    }
    p.backbone = r.boolean_or("backbone", false);
    if (const json* parent = r.find("parent"); parent && !parent->is_null()) p.parent = r.id<PlatformId>("parent");
    p.site = r.id<DistrictId>("site");
    p.status = r.enumeration<PlatformStatus>("status", PlatformStatus::operating);
    return p;
}
Alliance read_alliance(ObjectReader& r) {
    Alliance a;
    a.id = r.id<AllianceId>("id");
    a.name = r.text("name");
    a.scope = r.enumeration<AllianceScope>("scope");
    a.sector = r.enumeration<AllianceSector>("sector");
    a.breadth = r.enumeration<AllianceBreadth>("breadth");
    a.lead = r.id<PlatformId>("lead");
    a.one_stop = r.boolean_or("one_stop", false);
    const json* ms = r.find("members");
    if (!ms) bad(r.at("members"), "missing");
    if (!ms->is_array()) bad(r.at("members"), std::string("expected an array, got ") + type_name(*ms));
    for (std::size_t i = 0; i < ms->size(); ++i) {
        ObjectReader m((*ms)[i], r.at("members/" + std::to_string(i)));
        a.members.push_back({m.id<PlatformId>("platform"), m.enumeration<MemberRole>("role", MemberRole::member)});
        m.finish();
    }
    return a;
}
EquipmentClass read_equipment_class(ObjectReader& r) {
    EquipmentClass c;
    c.id = r.id<EquipmentClassId>("id");
    c.name = r.text("name");
    c.category = r.text_or("category", "");
    return c;
}
Equipment read_equipment(ObjectReader& r) {
    Equipment e;
    e.id = r.id<EquipmentId>("id");
    e.name = r.text("name");
    e.equipment_class = r.id<EquipmentClassId>("equipment_class");
    e.owner = r.id<PlatformId>("owner");
    e.capacity_units = r.small_integer_or("capacity_units", 1);
    e.site = r.id<DistrictId>("site");
    e.purchase_value = r.integer_or("purchase_value", 0);
    return e;
}
Enterprise read_enterprise(ObjectReader& r) {
    Enterprise e;
    e.id = r.id<EnterpriseId>("id");
    e.name = r.text("name");
    e.zone = r.id<ZoneId>("zone");
    e.size = r.enumeration<EnterpriseSize>("size", EnterpriseSize::small);
    e.sector = r.text_or("sector", "");
    return e;
}
DistrictTravel read_travel(ObjectReader& r) {
    return {r.id<DistrictId>("from"), r.id<DistrictId>("to"), r.small_integer_or("minutes", std::nullopt)};
}
ZoneService read_zone_service(ObjectReader& r) {
    return {r.id<PlatformId>("platform"), r.id<ZoneId>("zone"), r.small_integer_or("minutes", std::nullopt)};
}
PlatformLink read_link(ObjectReader& r) {
    return {r.id<PlatformId>("from"), r.id<PlatformId>("to"), r.enumeration<LinkKind>("kind")};
}

template <class T, class ReadFn>
void read_array(ObjectReader& top, const char* key, std::vector<T>& out, ReadFn read) {
    const json* a = top.find(key);
    if (!a) return;
    if (!a->is_array()) bad(top.at(key), std::string("expected an array, got ") + type_name(*a));
    out.reserve(a->size());
    for (std::size_t i = 0; i < a->size(); ++i) {
        ObjectReader r((*a)[i], top.at(std::string(key) + "/" + std::to_string(i)));
        out.push_back(read(r));
        r.finish();
    }
}

}  // namespace

Network parse_network(std::string_view text) {
    const json doc = parse_document(text);
    ObjectReader top(doc, "");
    if (top.text("format") != network_format) bad("/format", std::string("expected \"") + network_format + "\"");
    const auto version = top.integer("version");
    if (version != network_format_version) {
        bad("/version", "format version " + std::to_string(version) + " is not supported (this library reads " +
                            std::to_string(network_format_version) + ")");
    }
    Network n;
    read_array(top, "districts", n.districts, read_district);
    read_array(top, "travel", n.travel, read_travel);
    read_array(top, "zones", n.zones, read_zone);
    read_array(top, "platforms", n.platforms, read_platform);
    read_array(top, "zone_services", n.zone_services, read_zone_service);
    read_array(top, "links", n.links, read_link);
    read_array(top, "alliances", n.alliances, read_alliance);
    read_array(top, "equipment_classes", n.equipment_classes, read_equipment_class);
    read_array(top, "equipment", n.equipment, read_equipment);
    read_array(top, "enterprises", n.enterprises, read_enterprise);
    top.finish();
    return n;
}

}  // namespace psp::json

namespace psp {
Network network_from_json(std::string_view text) { return json::parse_network(text); }
std::string network_to_json(const Network& n) { return json::to_json(n).dump(1); }
}  // namespace psp
