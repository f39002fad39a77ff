// The entities of the platform network (DESIGN.md §1) as plain value types, and their enums.
// Enum values are part of the stable C ABI: never renumber, only append.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "psp/ids.hpp"

namespace psp {

// Money is always integer fen (0.01 yuan).
using Fen = std::int64_t;

enum class ZoneType : int {
    central_business = 0,   // 中央商务区
    tech_innovation = 1,    // 科技创新园区
    cultural_creative = 2,  // 文化创意园区
    logistics = 3,          // 现代物流园区
    trade_market = 4,       // 商贸/专业市场集聚区
    finance = 5,            // 金融集聚区
    tourism_leisure = 6,    // 旅游休闲区
    information_services = 7,  // 信息服务/电子商务集聚区
};
inline constexpr int zone_type_count = 8;

enum class PlatformTier : int { district = 0, municipal = 1, provincial = 2, national = 3 };
inline constexpr int platform_tier_count = 4;

enum class PlatformField : int {
    technology_support = 0,   // 技术支撑
    quality_testing = 1,      // 质量检测
    intellectual_property = 2,  // 知识产权
    human_resources = 3,      // 人力资源
    investment_financing = 4,  // 投融资
};
inline constexpr int platform_field_count = 5;

enum class OperatorModel : int {
    government_office = 0,
    leading_enterprise = 1,
    university = 2,
    research_institute = 3,
    industry_association = 4,
    professional_agency = 5,
    selected_operator = 6,   // 择优选定的运营机构
    joint_venture = 7,       // 民资/外资合资共建
};
inline constexpr int operator_model_count = 8;

// The 14 service domains of policy §2.1.
enum class ServiceKind : int {
    technology_rd = 0,
    product_design = 1,
    management_consulting = 2,
    marketing = 3,
    skills_training = 4,
    information_consulting = 5,
    equipment_sharing = 6,
    startup_mentoring = 7,
    talent = 8,
    financing_guarantee = 9,
    intellectual_property = 10,
    trade_dispute = 11,
    quality_testing = 12,
    administrative_approval = 13,
};
inline constexpr int service_kind_count = 14;

enum class PlatformStatus : int { planned = 0, operating = 1, suspended = 2, closed = 3 };
inline constexpr int platform_status_count = 4;

enum class AllianceScope : int { regional = 0, cross_regional = 1 };
enum class AllianceSector : int { industry = 0, cross_industry = 1 };
enum class AllianceBreadth : int { comprehensive = 0, specialised = 1 };
enum class MemberRole : int { lead = 0, core = 1, member = 2 };
inline constexpr int alliance_scope_count = 2;
inline constexpr int alliance_sector_count = 2;
inline constexpr int alliance_breadth_count = 2;
inline constexpr int member_role_count = 3;

enum class EnterpriseSize : int { micro = 0, small = 1, medium = 2, large = 3 };
inline constexpr int enterprise_size_count = 4;

// How one platform is tied to another outside the sub-platform tree.
enum class LinkKind : int {
    higher_tier = 0,   // linked to a provincial/national platform (§2.3 上下联动)
    cooperation = 1,   // cooperation partner
};
inline constexpr int link_kind_count = 2;

// A set of service kinds, as a bit mask (bit k = ServiceKind k). A kind outside the 14 is kept
// (as its bit, or bit 31 when it has none) rather than dropped, so that Database refuses it
// instead of silently storing something else than was asked.
class ServiceSet {
public:
    constexpr ServiceSet() = default;
    constexpr explicit ServiceSet(std::uint32_t mask) : mask_(mask) {}
    ServiceSet(std::initializer_list<ServiceKind> kinds) {
        for (auto k : kinds) insert(k);
    }
    constexpr bool contains(ServiceKind k) const { return (mask_ & bit(k)) != 0; }
    constexpr void insert(ServiceKind k) { mask_ |= bit(k); }
    constexpr void erase(ServiceKind k) { mask_ &= ~bit(k); }
    constexpr bool empty() const { return mask_ == 0; }
    constexpr bool valid() const { return (mask_ & ~all_mask) == 0; }   // only the 14 kinds
    constexpr std::uint32_t mask() const { return mask_; }
    std::vector<ServiceKind> kinds() const;
    friend constexpr bool operator==(ServiceSet, ServiceSet) = default;

    static constexpr std::uint32_t all_mask = (1U << service_kind_count) - 1;

private:
    static constexpr std::uint32_t bit(ServiceKind k) {
        const int i = static_cast<int>(k);
        return i >= 0 && i < 31 ? 1U << i : 1U << 31;
    }
    std::uint32_t mask_ = 0;
};

struct District {
    DistrictId id;
    std::string name;
    double x_km = 0;  // approximate position of its centre, km east of the city origin
    double y_km = 0;  // km north of the city origin
    friend bool operator==(const District&, const District&) = default;
};

struct Zone {
    ZoneId id;
    std::string name;
    DistrictId district;
    ZoneType type = ZoneType::central_business;
    friend bool operator==(const Zone&, const Zone&) = default;
};

struct Platform {
    PlatformId id;
    std::string name;
    PlatformTier tier = PlatformTier::district;
    PlatformField field = PlatformField::technology_support;
    OperatorModel operator_model = OperatorModel::government_office;
    ServiceSet services;
    bool backbone = false;          // may have sub-platforms and lead alliances
    PlatformId parent;              // set for a sub-platform: its backbone
    DistrictId site;
    PlatformStatus status = PlatformStatus::planned;
    friend bool operator==(const Platform&, const Platform&) = default;
};

struct AllianceMember {
    PlatformId platform;
    MemberRole role = MemberRole::member;
    friend bool operator==(const AllianceMember&, const AllianceMember&) = default;
};

struct Alliance {
    AllianceId id;
    std::string name;
    AllianceScope scope = AllianceScope::regional;
    AllianceSector sector = AllianceSector::industry;
    AllianceBreadth breadth = AllianceBreadth::comprehensive;
    PlatformId lead;                       // must be a backbone platform listed in members
    std::vector<AllianceMember> members;   // each platform at most once
    bool one_stop = false;                 // runs a one-stop front door (一站式平台)
    friend bool operator==(const Alliance&, const Alliance&) = default;
};

struct EquipmentClass {
    EquipmentClassId id;
    std::string name;
    std::string category;  // e.g. "analysis", "fabrication", "computing"
    friend bool operator==(const EquipmentClass&, const EquipmentClass&) = default;
};

struct Equipment {
    EquipmentId id;
    std::string name;
    EquipmentClassId equipment_class;
    PlatformId owner;
    int capacity_units = 1;    // bookings may overlap up to this many units
    DistrictId site;
    Fen purchase_value = 0;
    friend bool operator==(const Equipment&, const Equipment&) = default;
};

struct Enterprise {
    EnterpriseId id;
    std::string name;
    ZoneId zone;
    EnterpriseSize size = EnterpriseSize::small;
    std::string sector;   // industry code, e.g. "software", "design"
    friend bool operator==(const Enterprise&, const Enterprise&) = default;
};

// Relations between entities, held as graph edges.

// Travel inside a district: a zone, or a platform, reaches its district's seat (where the roads to
// other districts start, and where equipment stands that is away from its owner's site) in this
// many minutes. A platform that serves a zone is its ZoneService minutes away; any other platform
// of the district is two such legs away, one of another district the legs plus the district travel.
inline constexpr int district_access_minutes = 15;

struct DistrictTravel {
    DistrictId from;
    DistrictId to;      // symmetric: one record covers both directions; psp keeps from < to
    int minutes = 0;
    friend bool operator==(const DistrictTravel&, const DistrictTravel&) = default;
};

struct ZoneService {
    PlatformId platform;
    ZoneId zone;
    int minutes = 0;    // travel time from the zone to the platform (its service area: the direct road)
    friend bool operator==(const ZoneService&, const ZoneService&) = default;
};

struct PlatformLink {
    PlatformId from;
    PlatformId to;
    LinkKind kind = LinkKind::cooperation;
    friend bool operator==(const PlatformLink&, const PlatformLink&) = default;
};

// Stable lower-case names used in JSON, the journal and messages; parse_* return nullopt on
// an unknown name.
const char* to_string(ZoneType);
const char* to_string(PlatformTier);
const char* to_string(PlatformField);
const char* to_string(OperatorModel);
const char* to_string(ServiceKind);
const char* to_string(PlatformStatus);
const char* to_string(AllianceScope);
const char* to_string(AllianceSector);
const char* to_string(AllianceBreadth);
const char* to_string(MemberRole);
const char* to_string(EnterpriseSize);
const char* to_string(LinkKind);

template <class Enum>
std::optional<Enum> parse_enum(std::string_view name);
template <> std::optional<ZoneType> parse_enum(std::string_view);
template <> std::optional<PlatformTier> parse_enum(std::string_view);
template <> std::optional<PlatformField> parse_enum(std::string_view);
template <> std::optional<OperatorModel> parse_enum(std::string_view);
template <> std::optional<ServiceKind> parse_enum(std::string_view);
template <> std::optional<PlatformStatus> parse_enum(std::string_view);
template <> std::optional<AllianceScope> parse_enum(std::string_view);
template <> std::optional<AllianceSector> parse_enum(std::string_view);
template <> std::optional<AllianceBreadth> parse_enum(std::string_view);
template <> std::optional<MemberRole> parse_enum(std::string_view);
template <> std::optional<EnterpriseSize> parse_enum(std::string_view);
template <> std::optional<LinkKind> parse_enum(std::string_view);

}  // namespace psp
