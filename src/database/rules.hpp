// The invariants of the network model. Each check throws RuleError naming the offending field;
// callers turn it into a psp::Error with context (the entity, or the JSON path on import).
#pragma once

#include <string>
#include <vector>

#include "core/utf8.hpp"
#include "database/state.hpp"
#include "psp/error.hpp"

namespace psp::detail {

// A year: larger travel times are input errors, and the bound keeps path sums far from overflow.
inline constexpr int max_travel_minutes = 525'600;

struct RuleError {
    ErrorCode code;
    std::string field;    // member name, e.g. "parent", "members/2/platform"
    std::string message;
};

// "platform 'Name' (id 7)"
std::string describe(const State&, DistrictId);
std::string describe(const State&, ZoneId);
std::string describe(const State&, PlatformId);
std::string describe(const State&, AllianceId);
std::string describe(const State&, EquipmentClassId);
std::string describe(const State&, EquipmentId);
std::string describe(const State&, EnterpriseId);

// Values and references of one entity or relation against the state. For an update the state
// still holds the old row. Name uniqueness is checked separately by check_name.
void check(const State&, const District&);
void check(const State&, const Zone&);
void check(const State&, const Platform&);
void check(const State&, const Alliance&);
void check(const State&, const EquipmentClass&);
void check(const State&, const Equipment&);
void check(const State&, const Enterprise&);
void check(const State&, const DistrictTravel&);
void check(const State&, const ZoneService&);
void check(const State&, const PlatformLink&);

// Changing an existing platform must not break what depends on it (children, alliances it leads).
void check_platform_update(const State&, const Platform& updated);

inline void check_name_text(const std::string& name) {
    if (name.empty()) throw RuleError{ErrorCode::invalid, "name", "must not be empty"};
    if (!valid_utf8(name)) throw RuleError{ErrorCode::invalid, "name", "is not valid UTF-8"};
}

template <class E>
void check_name(const Table<E>& table, const E& e) {
    check_name_text(e.name);
    const auto holder = table.id_of(e.name);
    if (holder && holder != e.id) {
        throw RuleError{ErrorCode::exists, "name",
                        "'" + e.name + "' is already taken (id " + std::to_string(holder.value) + ")"};
    }
}

// Entities that depend on the given one, described; empty when it may be removed.
std::vector<std::string> dependents(const State&, DistrictId);
std::vector<std::string> dependents(const State&, ZoneId);
std::vector<std::string> dependents(const State&, PlatformId);
std::vector<std::string> dependents(const State&, AllianceId);
std::vector<std::string> dependents(const State&, EquipmentClassId);
std::vector<std::string> dependents(const State&, EquipmentId);
std::vector<std::string> dependents(const State&, EnterpriseId);

}  // namespace psp::detail
