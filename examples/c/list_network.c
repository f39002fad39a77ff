/* Lists the platforms and alliances of a psp network through the C ABI.
 * Usage: psp_list_network [database.psp]   (without a file: a small synthetic city in memory) */
#include <stdio.h>

#include "psp/psp.h"

static int fail(const char *what) {
    const psp_error *e = psp_error_last();
    fprintf(stderr, "%s: %s (%s)\n", what, e->message, psp_strerror(e->code));
    return 1;
}

int main(int argc, char **argv) {
    psp_db *db = NULL;
    const char *path = argc > 1 ? argv[1] : ":memory:";
    if (psp_db_open(&db, path, NULL) != 0) return fail("open");

    if (argc <= 1) {
        psp_actor office = PSP_ACTOR_INIT;
        psp_city_params params = PSP_CITY_PARAMS_INIT;
        office.role = PSP_ROLE_PROMOTION_OFFICE;
        office.name = "example";
        if (psp_city_params_for_scale(&params, PSP_SCALE_DISTRICT, 1) != 0) return fail("params");
        if (psp_synth_generate(db, &office, &params) != 0) return fail("generate");
    }

    printf("psp %s, %s\n\nPlatforms\n", psp_version(), path);
    psp_platform_iter *pit = NULL;
    psp_platform p = PSP_PLATFORM_INIT;
    if (psp_platform_iter_new(&pit, db) != 0) return fail("platforms");
    while (psp_platform_iter_next(&p, pit) == 0) {
        psp_district site = PSP_DISTRICT_INIT;
        const char *where = psp_district_get(&site, db, p.site) == 0 ? site.name : "?";
        printf("  %4lld  %-10s %-22s %-9s %s%s\n", (long long)p.id, psp_enum_name(PSP_ENUM_PLATFORM_TIER, p.tier),
               psp_enum_name(PSP_ENUM_PLATFORM_FIELD, p.field), where, p.name,
               p.backbone ? "  [backbone]" : (p.parent ? "  [sub-platform]" : ""));
    }
    psp_platform_iter_free(pit);

    printf("\nAlliances\n");
    psp_alliance_iter *ait = NULL;
    psp_alliance a = PSP_ALLIANCE_INIT;
    if (psp_alliance_iter_new(&ait, db) != 0) return fail("alliances");
    while (psp_alliance_iter_next(&a, ait) == 0) {
        printf("  %4lld  %s: %s, %s, %zu members, lead %lld%s\n", (long long)a.id, a.name,
               psp_enum_name(PSP_ENUM_ALLIANCE_SCOPE, a.scope), psp_enum_name(PSP_ENUM_ALLIANCE_BREADTH, a.breadth),
               a.member_count, (long long)a.lead, a.one_stop ? ", one-stop" : "");
    }
    psp_alliance_iter_free(ait);

    psp_db_close(db);
    return 0;
}
