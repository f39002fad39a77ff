// C ABI: errors, versions, memory, enum names, actors and the permission table.
#include <cstdlib>
#include <cstring>

#include "capi.hpp"
#include "core/utf8.hpp"
#include "psp/actor.hpp"
#include "psp/booking.hpp"
#include "psp/journal.hpp"
#include "psp/model.hpp"
#include "psp/plans.hpp"
#include "psp/routing.hpp"
#include "psp/version.hpp"

static_assert(PSP_ZONE_TYPE_COUNT == psp::zone_type_count);
static_assert(PSP_TIER_COUNT == psp::platform_tier_count);
static_assert(PSP_FIELD_COUNT == psp::platform_field_count);
static_assert(PSP_OPERATOR_COUNT == psp::operator_model_count);
static_assert(PSP_SERVICE_COUNT == psp::service_kind_count);
static_assert(PSP_SERVICES_ALL == psp::ServiceSet::all_mask);
static_assert(PSP_STATUS_COUNT == psp::platform_status_count);
static_assert(PSP_SCOPE_COUNT == psp::alliance_scope_count);
static_assert(PSP_SECTOR_COUNT == psp::alliance_sector_count);
static_assert(PSP_BREADTH_COUNT == psp::alliance_breadth_count);
static_assert(PSP_MEMBER_ROLE_COUNT == psp::member_role_count);
static_assert(PSP_SIZE_COUNT == psp::enterprise_size_count);
static_assert(PSP_LINK_KIND_COUNT == psp::link_kind_count);
static_assert(PSP_ROLE_COUNT == psp::role_count);
static_assert(PSP_ACTION_COUNT == psp::action_count);
static_assert(PSP_ENTITY_KIND_COUNT == psp::entity_kind_count);

namespace psp::capi {
namespace {

struct LastError {
    std::string message = "no error";
    psp_error error{PSP_OK, "no error"};
};

LastError& last_error() noexcept {
    thread_local LastError e;
    return e;
}

}  // namespace

int fail(int code, const char* function, const char* message) noexcept {
    auto& e = last_error();
    e.error.code = code;
    try {
        e.message.assign(function).append(": ").append(message);
        e.error.message = e.message.c_str();
    } catch (...) {
        e.error.message = "out of memory while reporting an error";
    }
    return code;
}


std::string_view require_str(const char* s, const char* name) {
    if (s == nullptr) invalid(std::string(name) + " is NULL");
    return optional_str(s, name);
}

std::string_view optional_str(const char* s, const char* name) {
    if (s == nullptr) return {};
    std::string_view v(s);
    if (!psp::detail::valid_utf8(v)) invalid(std::string(name) + " is not valid UTF-8");
    return v;
}

Actor actor_from_c(const psp_actor* actor, const char* what) {
    const auto& a = require_struct(actor, PSP_ACTOR_VERSION, what);
    Actor out;
    out.role = require_enum<Role>(a.role, role_count, (std::string(what) + ".role").c_str());
    out.platform = PlatformId(a.platform);
    out.enterprise = EnterpriseId(a.enterprise);
    out.name = std::string(optional_str(a.name, (std::string(what) + ".name").c_str()));
    return out;
}

char* dup_string(const std::string& s) {
    auto* p = static_cast<char*>(std::malloc(s.size() + 1));
    if (p == nullptr) throw std::bad_alloc();
    std::memcpy(p, s.c_str(), s.size() + 1);
    return p;
}

namespace {

struct EnumInfo {
    int count;
    const char* (*name)(int);
};

template <class Enum>
const char* enum_name(int v) {
    return to_string(static_cast<Enum>(v));
}

const EnumInfo* enum_info(int which) noexcept {
    static const EnumInfo table[] = {
        {zone_type_count, enum_name<ZoneType>},
        {platform_tier_count, enum_name<PlatformTier>},
        {platform_field_count, enum_name<PlatformField>},
        {operator_model_count, enum_name<OperatorModel>},
        {service_kind_count, enum_name<ServiceKind>},
        {platform_status_count, enum_name<PlatformStatus>},
        {alliance_scope_count, enum_name<AllianceScope>},
        {alliance_sector_count, enum_name<AllianceSector>},
        {alliance_breadth_count, enum_name<AllianceBreadth>},
        {member_role_count, enum_name<MemberRole>},
        {enterprise_size_count, enum_name<EnterpriseSize>},
        {link_kind_count, enum_name<LinkKind>},
        {role_count, enum_name<Role>},
        {action_count, enum_name<Action>},
        {entity_kind_count, enum_name<EntityKind>},
        {booking_status_count, enum_name<BookingStatus>},
        {booking_rule_count, enum_name<BookingRule>},
        {wait_status_count, enum_name<WaitStatus>},
        {route_tier_count, enum_name<RouteTier>},
        {route_objective_count, enum_name<RouteObjective>},
        {task_status_count, enum_name<TaskStatus>},
    };
    static_assert(sizeof table / sizeof table[0] == PSP_ENUM_COUNT);
    return which >= 0 && which < PSP_ENUM_COUNT ? &table[which] : nullptr;
}

}  // namespace
}  // namespace psp::capi

using namespace psp::capi;

extern "C" {

PSP_EXTERN(const char*) psp_version(void) { return psp::version(); }

PSP_EXTERN(int) psp_version_number(void) { return psp::version_number(); }

PSP_EXTERN(const psp_error*) psp_error_last(void) { return &last_error().error; }

PSP_EXTERN(void) psp_error_clear(void) {
    auto& e = last_error();
    e.error.code = PSP_OK;
    e.error.message = "no error";
}

PSP_EXTERN(const char*) psp_strerror(int code) {
    switch (code) {
        case PSP_OK: return "no error";
        case PSP_ENOTFOUND: return "not found";
        case PSP_EEXISTS: return "already exists";
        case PSP_EINVALID: return "invalid argument";
        case PSP_EREFUSED: return "refused by a rule";
        case PSP_EPERM: return "permission denied";
        case PSP_EBUSY: return "database busy";
        case PSP_EIO: return "I/O or database failure";
        case PSP_ENOMEM: return "out of memory";
        case PSP_ITEROVER: return "iteration over";
        case PSP_EFORMAT: return "not a psp database, or a newer schema";
        default: return "unknown error code";
    }
}

PSP_EXTERN(void) psp_free(void* p) { std::free(p); }

PSP_EXTERN(const char*) psp_enum_name(int which, int value) {
    const auto* info = enum_info(which);
    if (info == nullptr || value < 0 || value >= info->count) return nullptr;
    return info->name(value);
}

PSP_EXTERN(int) psp_enum_count(int which) {
    const auto* info = enum_info(which);
    if (info == nullptr) {
        return fail(PSP_EINVALID, "psp_enum_count", ("which: " + std::to_string(which) +
                                                     " is out of range (0.." +
                                                     std::to_string(PSP_ENUM_COUNT - 1) + ")").c_str());
    }
    return info->count;
}

PSP_EXTERN(int) psp_enum_parse(int* out, int which, const char* name) {
    return guard("psp_enum_parse", [&] {
        auto& o = require(out, "out");
        auto n = require_str(name, "name");
        const auto* info = enum_info(which);
        if (info == nullptr) require_enum<int>(which, PSP_ENUM_COUNT, "which");
        for (int v = 0; v < info->count; ++v) {
            if (n == info->name(v)) {
                o = v;
                return 0;
            }
        }
        throw psp::Error(psp::ErrorCode::not_found, "no value named \"" + std::string(n) + "\"");
    });
}

PSP_EXTERN(int) psp_actor_init(psp_actor* actor, unsigned version) {
    return init_struct("psp_actor_init", actor, version, PSP_ACTOR_VERSION, "actor", psp_actor PSP_ACTOR_INIT);
}

PSP_EXTERN(int) psp_permitted(int* out, const psp_actor* actor, int action, int own) {
    return guard("psp_permitted", [&] {
        auto& o = require(out, "out");
        auto a = actor_from_c(actor);
        auto act = require_enum<psp::Action>(action, psp::action_count, "action");
        o = psp::permitted(a, act, own != 0) ? 1 : 0;
        return 0;
    });
}

}  // extern "C"
