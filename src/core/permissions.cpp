// The one permission table: which role may take which action (DESIGN.md §3, policy §1.2).
#include <algorithm>
#include <array>

#include "psp/actor.hpp"

namespace psp {
namespace {

// What a role may do: never, only on its own platform/enterprise, or always.
enum class Grant : unsigned char { no, own, yes };

// Rows: Role (promotion_office, platform_operator, enterprise, expert, public_viewer).
// Columns: Action in declaration order.
constexpr Grant N = Grant::no, O = Grant::own, Y = Grant::yes;
constexpr std::array<std::array<Grant, action_count>, role_count> table{{
    //  distr zones createP updateP removeP alliance equip catalogue enterprise links import
    //  book handle rules training no-shows projects supervise apply-cert score-cert certify plans monitor
    {{Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, N, Y, Y, Y}},   // promotion office runs the network (experts score, not the office)
    {{N, N, N, O, N, O, O, N, N, O, N, O, O, O, O, N, O, N, O, N, N, O, N}},   // an operator: its own platform, equipment, alliance it leads, projects it owns
    {{N, N, N, N, N, N, N, N, O, N, N, O, N, N, N, N, N, N, N, N, N, N, N}},   // an enterprise: its own record and bookings
    {{N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, Y, N, N, N}},   // experts score certification cases, change nothing else
    {{N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N}},   // the public reads
}};

}  // namespace

bool permitted(const Actor& actor, Action action, bool own) {
    const int r = static_cast<int>(actor.role);
    const int a = static_cast<int>(action);
    if (r < 0 || r >= role_count || a < 0 || a >= action_count) return false;
    const Grant g = table[static_cast<std::size_t>(r)][static_cast<std::size_t>(a)];
    return g == Grant::yes || (g == Grant::own && own);
}

bool may_read(const Actor& reader, const Parties& parties) {
    switch (reader.role) {
        case Role::promotion_office: return true;
        case Role::platform_operator:
            return reader.platform && std::find(parties.platforms.begin(), parties.platforms.end(), reader.platform) !=
                                          parties.platforms.end();
        case Role::enterprise: return reader.enterprise && reader.enterprise == parties.enterprise;
        case Role::expert:
        case Role::public_viewer: return false;
    }
    return false;   // a role out of range reads nothing
}

}  // namespace psp
