// Stable names of the model's enums, used in JSON, the journal and messages.
#include <array>

#include "core/enum_names.hpp"
#include "psp/actor.hpp"
#include "psp/booking.hpp"
#include "psp/error.hpp"
#include "psp/journal.hpp"
#include "psp/model.hpp"

namespace psp {
namespace {

using detail::find_name;
using detail::name_at;

constexpr std::array<const char*, zone_type_count> zone_type_names{
    "central_business", "tech_innovation", "cultural_creative", "logistics",
    "trade_market",     "finance",         "tourism_leisure",   "information_services"};
constexpr std::array<const char*, platform_tier_count> tier_names{"district", "municipal", "provincial",
                                                                  "national"};
constexpr std::array<const char*, platform_field_count> field_names{
    "technology_support", "quality_testing", "intellectual_property", "human_resources",
    "investment_financing"};
constexpr std::array<const char*, operator_model_count> operator_names{
    "government_office",    "leading_enterprise",  "university",        "research_institute",
    "industry_association", "professional_agency", "selected_operator", "joint_venture"};
constexpr std::array<const char*, service_kind_count> service_names{
    "technology_rd",       "product_design",        "management_consulting", "marketing",
    "skills_training",     "information_consulting", "equipment_sharing",    "startup_mentoring",
    "talent",              "financing_guarantee",   "intellectual_property", "trade_dispute",
    "quality_testing",     "administrative_approval"};
constexpr std::array<const char*, platform_status_count> status_names{"planned", "operating", "suspended",
                                                                      "closed"};
constexpr std::array<const char*, alliance_scope_count> scope_names{"regional", "cross_regional"};
constexpr std::array<const char*, alliance_sector_count> sector_names{"industry", "cross_industry"};
constexpr std::array<const char*, alliance_breadth_count> breadth_names{"comprehensive", "specialised"};
constexpr std::array<const char*, member_role_count> member_role_names{"lead", "core", "member"};
constexpr std::array<const char*, enterprise_size_count> size_names{"micro", "small", "medium", "large"};
constexpr std::array<const char*, link_kind_count> link_names{"higher_tier", "cooperation"};
constexpr std::array<const char*, role_count> role_names{"promotion_office", "platform_operator", "enterprise",
                                                         "expert", "public"};
constexpr std::array<const char*, action_count> action_names{
    "manage_districts", "manage_zones",     "create_platform",  "update_platform",
    "remove_platform",  "manage_alliance",  "manage_equipment", "manage_catalogue",
    "manage_enterprise", "manage_links",    "import_network",   "book",
    "handle_booking",   "manage_booking_rules", "manage_training", "mark_no_shows",
    "manage_projects",  "supervise_projects", "apply_certification", "score_certification", "certify",
    "manage_plans", "monitor"};
constexpr std::array<const char*, entity_kind_count> entity_names{
    "district",  "zone",       "platform", "alliance",     "equipment_class", "equipment",
    "enterprise", "travel",    "zone_service", "link",     "network",
    "booking",   "calendar",   "booking_rules", "training", "tariff", "voucher_scheme",
    "served_request", "purchase_review", "project", "supervision", "certification", "recognition", "city_plan", "monitoring", "evaluation", "simulation"};

constexpr std::array<const char*, booking_status_count> booking_status_names{
    "pending", "confirmed", "checked_in", "completed", "cancelled", "no_show", "rejected"};
constexpr std::array<const char*, booking_rule_count> booking_rule_names{
    "none",          "in_past",  "min_notice", "max_horizon",   "slot_grid",    "min_duration", "max_duration",
    "opening_hours", "blackout", "training",   "no_show_block", "weekly_quota", "capacity",     "not_operating"};

}  // namespace

constexpr std::array<const char*, wait_status_count> wait_status_names{"waiting", "promoted", "withdrawn", "expired"};
const char* to_string(WaitStatus v) { return name_at(wait_status_names, static_cast<int>(v)); }
const char* to_string(BookingStatus v) { return name_at(booking_status_names, static_cast<int>(v)); }
const char* to_string(BookingRule v) { return name_at(booking_rule_names, static_cast<int>(v)); }
template <> std::optional<BookingStatus> parse_enum(std::string_view s) { return find_name<BookingStatus>(booking_status_names, s); }
template <> std::optional<BookingRule> parse_enum(std::string_view s) { return find_name<BookingRule>(booking_rule_names, s); }

const char* to_string(ZoneType v) { return name_at(zone_type_names, static_cast<int>(v)); }
const char* to_string(PlatformTier v) { return name_at(tier_names, static_cast<int>(v)); }
const char* to_string(PlatformField v) { return name_at(field_names, static_cast<int>(v)); }
const char* to_string(OperatorModel v) { return name_at(operator_names, static_cast<int>(v)); }
const char* to_string(ServiceKind v) { return name_at(service_names, static_cast<int>(v)); }
const char* to_string(PlatformStatus v) { return name_at(status_names, static_cast<int>(v)); }
const char* to_string(AllianceScope v) { return name_at(scope_names, static_cast<int>(v)); }
const char* to_string(AllianceSector v) { return name_at(sector_names, static_cast<int>(v)); }
const char* to_string(AllianceBreadth v) { return name_at(breadth_names, static_cast<int>(v)); }
const char* to_string(MemberRole v) { return name_at(member_role_names, static_cast<int>(v)); }
const char* to_string(EnterpriseSize v) { return name_at(size_names, static_cast<int>(v)); }
const char* to_string(LinkKind v) { return name_at(link_names, static_cast<int>(v)); }
const char* to_string(Role v) { return name_at(role_names, static_cast<int>(v)); }
const char* to_string(Action v) { return name_at(action_names, static_cast<int>(v)); }
const char* to_string(EntityKind v) { return name_at(entity_names, static_cast<int>(v)); }

template <> std::optional<ZoneType> parse_enum(std::string_view s) { return find_name<ZoneType>(zone_type_names, s); }
template <> std::optional<PlatformTier> parse_enum(std::string_view s) { return find_name<PlatformTier>(tier_names, s); }
template <> std::optional<PlatformField> parse_enum(std::string_view s) { return find_name<PlatformField>(field_names, s); }
template <> std::optional<OperatorModel> parse_enum(std::string_view s) { return find_name<OperatorModel>(operator_names, s); }
template <> std::optional<ServiceKind> parse_enum(std::string_view s) { return find_name<ServiceKind>(service_names, s); }
template <> std::optional<PlatformStatus> parse_enum(std::string_view s) { return find_name<PlatformStatus>(status_names, s); }
template <> std::optional<AllianceScope> parse_enum(std::string_view s) { return find_name<AllianceScope>(scope_names, s); }
template <> std::optional<AllianceSector> parse_enum(std::string_view s) { return find_name<AllianceSector>(sector_names, s); }
template <> std::optional<AllianceBreadth> parse_enum(std::string_view s) { return find_name<AllianceBreadth>(breadth_names, s); }
template <> std::optional<MemberRole> parse_enum(std::string_view s) { return find_name<MemberRole>(member_role_names, s); }
template <> std::optional<EnterpriseSize> parse_enum(std::string_view s) { return find_name<EnterpriseSize>(size_names, s); }
template <> std::optional<LinkKind> parse_enum(std::string_view s) { return find_name<LinkKind>(link_names, s); }
template <> std::optional<Role> parse_enum(std::string_view s) { return find_name<Role>(role_names, s); }
template <> std::optional<Action> parse_enum(std::string_view s) { return find_name<Action>(action_names, s); }
template <> std::optional<EntityKind> parse_enum(std::string_view s) { return find_name<EntityKind>(entity_names, s); }

std::vector<ServiceKind> ServiceSet::kinds() const {
    std::vector<ServiceKind> out;
    for (int k = 0; k < service_kind_count; ++k) {
        if (contains(static_cast<ServiceKind>(k))) out.push_back(static_cast<ServiceKind>(k));
    }
    return out;
}

const char* to_string(ErrorCode code) noexcept {
    switch (code) {
        case ErrorCode::ok: return "ok";
        case ErrorCode::not_found: return "not_found";
        case ErrorCode::exists: return "exists";
        case ErrorCode::invalid: return "invalid";
        case ErrorCode::refused: return "refused";
        case ErrorCode::permission: return "permission";
        case ErrorCode::busy: return "busy";
        case ErrorCode::io: return "io";
        case ErrorCode::no_memory: return "no_memory";
        case ErrorCode::iter_over: return "iter_over";
        case ErrorCode::format: return "format";
    }
    return "unknown";
}

}  // namespace psp
