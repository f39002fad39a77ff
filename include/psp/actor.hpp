// Who makes a change, and the one permission table that says which role may do what (§1.2).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "psp/ids.hpp"
#include "psp/model.hpp"

namespace psp {

enum class Role : int {
    promotion_office = 0,   // 推进办公室: runs the network
    platform_operator = 1,  // 运营单位 of one platform (Actor::platform)
    enterprise = 2,         // one client enterprise (Actor::enterprise)
    expert = 3,             // expert reviewer
    public_viewer = 4,      // anyone: may read
};
inline constexpr int role_count = 5;

struct Actor {
    Role role = Role::public_viewer;
    PlatformId platform;      // for platform_operator
    EnterpriseId enterprise;  // for enterprise
    std::string name;         // who, for the journal

    static Actor office(std::string name = "promotion office") {
        return {Role::promotion_office, {}, {}, std::move(name)};
    }
    static Actor operator_of(PlatformId p, std::string name = "operator") {
        return {Role::platform_operator, p, {}, std::move(name)};
    }
    static Actor enterprise_self(EnterpriseId e, std::string name = "enterprise") {
        return {Role::enterprise, {}, e, std::move(name)};
    }
    static Actor expert_reviewer(std::string name = "expert") { return {Role::expert, {}, {}, std::move(name)}; }
    static Actor anyone(std::string name = "public") { return {Role::public_viewer, {}, {}, std::move(name)}; }
};

// Actions that change the network. Values are part of the C ABI.
enum class Action : int {
    manage_districts = 0,   // districts and travel times
    manage_zones = 1,
    create_platform = 2,
    update_platform = 3,    // an operator may update its own platform
    remove_platform = 4,
    manage_alliance = 5,    // an operator of the lead platform may manage its alliance
    manage_equipment = 6,   // an operator may manage equipment its platform owns
    manage_catalogue = 7,   // equipment classes
    manage_enterprise = 8,  // an enterprise may update its own record
    manage_links = 9,       // zone service areas and platform links
    import_network = 10,
    book = 11,              // an enterprise books for itself; an operator on its own equipment
    handle_booking = 12,    // approve, reject, check in, complete: the owning platform's operator
    manage_booking_rules = 13,  // rules and calendars of the operator's own equipment / platform
    manage_training = 14,   // training records (any operator may record the training it gave)
    mark_no_shows = 15,     // the office's periodic sweep
    manage_projects = 16,   // major projects: the office files and advances them; an owning
                            // platform's operator records its own project's progress
    supervise_projects = 17,  // supervision decisions (§6.2): the office
    apply_certification = 18, // a platform's operator applies for its own platform (the office may too)
    score_certification = 19, // an expert scores a certification case
    certify = 20,             // standards, decisions, recognitions and reviews: the office
    manage_plans = 21,        // city plans: the office; a platform's operator reports its own tasks
    monitor = 22,             // alert rules and evaluation runs (§4.2, §4.3): the office
};
inline constexpr int action_count = 23;

const char* to_string(Role);
const char* to_string(Action);

// The permission table. `own` says whether the change touches only the actor's own platform or
// enterprise; operators and enterprises may act only on their own.
bool permitted(const Actor& actor, Action action, bool own);

// Who a record of one enterprise's business concerns — a booking, a waiting-list entry, a price, a
// voucher account, a served or unmet request, a settlement entry, the journal entries about them:
// the enterprise, and the platforms involved (the equipment's owner; the platforms that received,
// referred and served a request; the desk that took an unmet one).
struct Parties {
    EnterpriseId enterprise;
    std::vector<PlatformId> platforms;
};

// The read table: who may read such a record. The office reads everything; an operator what
// concerns its platform; an enterprise its own; an expert and the public none of it (they read the
// network, the statistics and the other public reads). Database's reads that take a reader apply it.
bool may_read(const Actor& reader, const Parties& parties);

template <> std::optional<Role> parse_enum(std::string_view);
template <> std::optional<Action> parse_enum(std::string_view);

}  // namespace psp
