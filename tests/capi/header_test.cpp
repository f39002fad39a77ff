// psp.h compiles as C++ (C++11 and later) under -Wall -Wextra -pedantic -Werror; its _INIT
// macros work as braced initialisers and its declarations get C linkage.
#include "psp/psp.h"

#include <cstdio>
#include <type_traits>

static_assert(std::is_standard_layout<psp_platform>::value, "psp structs are plain C structs");
static_assert(std::is_same<decltype(&psp_db_open), int (*)(psp_db**, const char*, const psp_open_options*)>::value,
              "signature of psp_db_open");

int main() {
    psp_actor actor = PSP_ACTOR_INIT;
    psp_platform platform = PSP_PLATFORM_INIT;
    psp_alliance alliance = PSP_ALLIANCE_INIT;
    psp_journal_query query = PSP_JOURNAL_QUERY_INIT;
    psp_city_params params = PSP_CITY_PARAMS_INIT;
    psp_routing_policy policy = PSP_ROUTING_POLICY_INIT;
    psp_served_request served = PSP_SERVED_REQUEST_INIT;
    std::printf("psp.h as C++: %s\n", PSP_VERSION_NUMBER >= 0 ? "ok" : "?");
    return actor.version + platform.version + alliance.version + query.version + params.version + policy.version +
                       served.version == 7u ? 0 : 1;
}
