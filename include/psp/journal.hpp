// The journal: one row per accepted change, for full-process management (§3.3).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "psp/actor.hpp"
#include "psp/model.hpp"

namespace psp {

// Entity kinds as they appear in the journal and in messages.
enum class EntityKind : int {
    district = 0, zone = 1, platform = 2, alliance = 3, equipment_class = 4, equipment = 5,
    enterprise = 6, travel = 7, zone_service = 8, link = 9, network = 10,
    booking = 11, calendar = 12, booking_rules = 13, training = 14, tariff = 15, voucher_scheme = 16,
    served_request = 17, purchase_review = 18, project = 19, supervision = 20,
    certification = 21,   // the standards (id 0) and certification cases
    recognition = 22,     // recognitions (授牌) granted, reviewed, demoted, withdrawn
    city_plan = 23,
    monitoring = 24,      // alert rules
    evaluation = 25,      // evaluation runs
    simulation = 26,      // stored simulation runs (comparisons of scenarios)
};
inline constexpr int entity_kind_count = 27;
const char* to_string(EntityKind);
template <> std::optional<EntityKind> parse_enum(std::string_view);

struct JournalEntry {
    std::int64_t seq = 0;         // increasing, from 1
    std::int64_t time = 0;        // Unix seconds, UTC
    Role actor_role = Role::public_viewer;
    std::int64_t actor_subject = 0;  // platform or enterprise id of the actor, 0 otherwise
    std::string actor_name;
    std::string action;           // "add", "update", "remove", "set", "import"
    EntityKind entity = EntityKind::network;
    std::int64_t entity_id = 0;   // 0 when the entity is a relation or the whole network
    std::string details;          // JSON text: the entity after the change, or the key removed
};

// Filter for Database::journal(); unset fields match everything. Times are [from, to).
struct JournalQuery {
    std::optional<EntityKind> entity;
    std::optional<std::int64_t> entity_id;
    std::optional<std::int64_t> from;
    std::optional<std::int64_t> to;
    std::size_t limit = 0;        // 0 = no limit
};

}  // namespace psp
