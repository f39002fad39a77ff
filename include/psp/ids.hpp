// Typed ids: stable, persisted integers that name entities across the C++ API, the C ABI and SQLite.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>

namespace psp {

// An id of one entity kind; ids of different kinds do not mix. 0 means "none / not yet assigned".
template <class Tag>
struct Id {
    std::int64_t value = 0;

    constexpr Id() = default;
    constexpr explicit Id(std::int64_t v) : value(v) {}
    constexpr explicit operator bool() const { return value != 0; }
    friend constexpr auto operator<=>(Id, Id) = default;
};

using DistrictId = Id<struct DistrictTag>;
using ZoneId = Id<struct ZoneTag>;
using PlatformId = Id<struct PlatformTag>;
using AllianceId = Id<struct AllianceTag>;
using EquipmentClassId = Id<struct EquipmentClassTag>;
using EquipmentId = Id<struct EquipmentTag>;
using EnterpriseId = Id<struct EnterpriseTag>;

}  // namespace psp

template <class Tag>
struct std::hash<psp::Id<Tag>> {
    std::size_t operator()(psp::Id<Tag> id) const noexcept { return std::hash<std::int64_t>{}(id.value); }
};
