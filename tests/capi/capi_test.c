/* A pure-C test of the whole psp ABI, linked against the shared library only: every entity,
 * relation, query, JSON, synth and journal call, and every argument-error path (NULL, wrong
 * struct version, out-of-range enum, invalid UTF-8, unknown id). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "psp/psp.h"

static int failures = 0;
static int checks = 0;

#define CHECK(cond)                                                                     \
    do {                                                                                \
        ++checks;                                                                       \
        if (!(cond)) {                                                                  \
            ++failures;                                                                 \
            fprintf(stderr, "%s:%d: CHECK(%s) failed; last error: %d %s\n", __FILE__,  \
                    __LINE__, #cond, psp_error_last()->code, psp_error_last()->message); \
        }                                                                               \
    } while (0)

/* A call that must succeed. */
#define OK(call) CHECK((call) == 0)

/* A call that must fail with code want, naming `mention` in psp_error_last(). */
#define FAILS(call, want, mention)                                                      \
    do {                                                                                \
        int rc_ = (call);                                                               \
        CHECK(rc_ == (want));                                                           \
        if (rc_ == (want)) {                                                            \
            CHECK(psp_error_last()->code == (want));                                    \
            CHECK(strstr(psp_error_last()->message, (mention)) != NULL);                \
            if (strstr(psp_error_last()->message, (mention)) == NULL)                   \
                fprintf(stderr, "  message was: %s\n", psp_error_last()->message);      \
        } else {                                                                        \
            fprintf(stderr, "  %s returned %d, expected %d\n", #call, rc_, (want));     \
        }                                                                               \
    } while (0)

static const char bad_utf8[] = {'b', 'a', 'd', (char)0xC3, (char)0x28, 0}; /* broken 2-byte */
static const char overlong[] = {(char)0xC0, (char)0xAF, 0};
static const char surrogate[] = {(char)0xED, (char)0xA0, (char)0x80, 0};

static psp_actor office(void) {
    psp_actor a = PSP_ACTOR_INIT;
    a.role = PSP_ROLE_PROMOTION_OFFICE;
    a.name = "推进办公室";
    return a;
}

static int64_t fixed_now = 1700000000;
static int64_t test_clock(void *context) { return *(const int64_t *)context; }

/* Ids of the small network built by build(). */
struct net {
    int64_t d1, d2, z1, z2, backbone, sub, plain, rival, cls, eq, ent, alliance;
};

static void build(psp_db *db, struct net *n) {
    psp_actor a = office();

    psp_district d = PSP_DISTRICT_INIT;
    d.name = "上城区";
    d.x_km = 1.5;
    OK(psp_district_add(&n->d1, db, &a, &d));
    d.name = "滨江区";
    d.x_km = 3.0;
    d.y_km = -4.0;
    OK(psp_district_add(&n->d2, db, &a, &d));
    CHECK(n->d1 > 0 && n->d2 > n->d1);

    psp_travel t = PSP_TRAVEL_INIT;
    t.from = n->d1;
    t.to = n->d2;
    t.minutes = 25;
    OK(psp_travel_set(db, &a, &t));

    psp_zone z = PSP_ZONE_INIT;
    z.name = "钱江新城CBD";
    z.district = n->d1;
    z.type = PSP_ZONE_CENTRAL_BUSINESS;
    OK(psp_zone_add(&n->z1, db, &a, &z));
    z.name = "高新区";
    z.district = n->d2;
    z.type = PSP_ZONE_TECH_INNOVATION;
    OK(psp_zone_add(&n->z2, db, &a, &z));

    psp_platform p = PSP_PLATFORM_INIT;
    p.name = "Backbone testing centre";
    p.tier = PSP_TIER_MUNICIPAL;
    p.field = PSP_FIELD_QUALITY_TESTING;
    p.operator_model = PSP_OPERATOR_RESEARCH_INSTITUTE;
    p.services = PSP_SERVICE_BIT(PSP_SERVICE_QUALITY_TESTING) | PSP_SERVICE_BIT(PSP_SERVICE_EQUIPMENT_SHARING);
    p.backbone = 1;
    p.site = n->d1;
    p.status = PSP_STATUS_OPERATING;
    OK(psp_platform_add(&n->backbone, db, &a, &p));

    p.name = "Sub-platform Binjiang";
    p.backbone = 0;
    p.parent = n->backbone;
    p.site = n->d2;
    OK(psp_platform_add(&n->sub, db, &a, &p));

    p.name = "Design hub";
    p.tier = PSP_TIER_DISTRICT;
    p.field = PSP_FIELD_TECHNOLOGY_SUPPORT;
    p.services = PSP_SERVICE_BIT(PSP_SERVICE_PRODUCT_DESIGN);
    p.parent = 0;
    p.site = n->d1;
    OK(psp_platform_add(&n->plain, db, &a, &p));

    /* A second quality-testing platform serving z1: a duplication with the backbone. */
    p.name = "Rival lab";
    p.field = PSP_FIELD_QUALITY_TESTING;
    p.services = PSP_SERVICE_BIT(PSP_SERVICE_QUALITY_TESTING);
    OK(psp_platform_add(&n->rival, db, &a, &p));

    psp_zone_service s = PSP_ZONE_SERVICE_INIT;
    s.platform = n->backbone;
    s.zone = n->z1;
    s.minutes = 10;
    OK(psp_zone_service_set(db, &a, &s));
    s.platform = n->rival;
    OK(psp_zone_service_set(db, &a, &s));
    s.platform = n->sub;
    s.zone = n->z2;
    s.minutes = 5;
    OK(psp_zone_service_set(db, &a, &s));

    psp_link l = PSP_LINK_INIT;
    l.from = n->plain;
    l.to = n->backbone;
    l.kind = PSP_LINK_HIGHER_TIER;
    OK(psp_link_add(db, &a, &l));

    psp_equipment_class c = PSP_EQUIPMENT_CLASS_INIT;
    c.name = "Mass spectrometer";
    c.category = "analysis";
    OK(psp_equipment_class_add(&n->cls, db, &a, &c));

    psp_equipment e = PSP_EQUIPMENT_INIT;
    e.name = "MS-01";
    e.equipment_class = n->cls;
    e.owner = n->backbone;
    e.capacity_units = 2;
    e.site = n->d1;
    e.purchase_value = 350000000; /* 3.5 million yuan in fen */
    OK(psp_equipment_add(&n->eq, db, &a, &e));

    psp_enterprise ent = PSP_ENTERPRISE_INIT;
    ent.name = "杭州某某科技有限公司";
    ent.zone = n->z1;
    ent.size = PSP_SIZE_MICRO;
    ent.sector = "software";
    OK(psp_enterprise_add(&n->ent, db, &a, &ent));

    psp_alliance_member members[3] = {
        {0, PSP_MEMBER_LEAD}, {0, PSP_MEMBER_CORE}, {0, PSP_MEMBER_MEMBER}};
    members[0].platform = n->backbone;
    members[1].platform = n->sub;
    members[2].platform = n->plain;
    psp_alliance al = PSP_ALLIANCE_INIT;
    al.name = "Quality alliance";
    al.scope = PSP_SCOPE_CROSS_REGIONAL;
    al.sector = PSP_SECTOR_INDUSTRY;
    al.breadth = PSP_BREADTH_SPECIALISED;
    al.lead = n->backbone;
    al.members = members;
    al.member_count = 3;
    al.one_stop = 1;
    OK(psp_alliance_add(&n->alliance, db, &a, &al));
}

static void test_versions_and_errors(void) {
    char expect[32];
    snprintf(expect, sizeof expect, "%d.%d.%d", PSP_VERSION_MAJOR, PSP_VERSION_MINOR, PSP_VERSION_PATCH);
    CHECK(strcmp(psp_version(), expect) == 0);
    CHECK(psp_version_number() == PSP_VERSION_NUMBER);

    psp_error_clear();
    CHECK(psp_error_last() != NULL);
    CHECK(psp_error_last()->code == PSP_OK);
    CHECK(psp_error_last()->message != NULL);
    for (int code = 0; code >= -12; --code) CHECK(psp_strerror(code) != NULL);
    CHECK(strcmp(psp_strerror(PSP_ENOTFOUND), "not found") == 0);
    psp_free(NULL);
}

static void test_enums(void) {
    int v = -1;
    CHECK(strcmp(psp_enum_name(PSP_ENUM_PLATFORM_TIER, PSP_TIER_MUNICIPAL), "municipal") == 0);
    CHECK(strcmp(psp_enum_name(PSP_ENUM_SERVICE_KIND, PSP_SERVICE_ADMINISTRATIVE_APPROVAL),
                 "administrative_approval") == 0);
    CHECK(strcmp(psp_enum_name(PSP_ENUM_ROLE, PSP_ROLE_PUBLIC), "public") == 0);
    CHECK(strcmp(psp_enum_name(PSP_ENUM_ENTITY_KIND, PSP_ENTITY_NETWORK), "network") == 0);
    CHECK(psp_enum_name(PSP_ENUM_PLATFORM_TIER, PSP_TIER_COUNT) == NULL);
    CHECK(psp_enum_name(PSP_ENUM_PLATFORM_TIER, -1) == NULL);
    CHECK(psp_enum_name(PSP_ENUM_COUNT, 0) == NULL);
    CHECK(psp_enum_count(PSP_ENUM_ZONE_TYPE) == PSP_ZONE_TYPE_COUNT);
    CHECK(psp_enum_count(PSP_ENUM_SERVICE_KIND) == PSP_SERVICE_COUNT);
    CHECK(psp_enum_count(PSP_ENUM_ACTION) == PSP_ACTION_COUNT);
    CHECK(psp_enum_count(99) == PSP_EINVALID);
    OK(psp_enum_parse(&v, PSP_ENUM_ZONE_TYPE, "logistics"));
    CHECK(v == PSP_ZONE_LOGISTICS);
    OK(psp_enum_parse(&v, PSP_ENUM_ACTION, "import_network"));
    CHECK(v == PSP_ACTION_IMPORT_NETWORK);
    FAILS(psp_enum_parse(&v, PSP_ENUM_ZONE_TYPE, "harbour"), PSP_ENOTFOUND, "harbour");
    FAILS(psp_enum_parse(&v, 42, "logistics"), PSP_EINVALID, "which");
    FAILS(psp_enum_parse(NULL, PSP_ENUM_ZONE_TYPE, "logistics"), PSP_EINVALID, "out");
    FAILS(psp_enum_parse(&v, PSP_ENUM_ZONE_TYPE, NULL), PSP_EINVALID, "name");
    FAILS(psp_enum_parse(&v, PSP_ENUM_ZONE_TYPE, bad_utf8), PSP_EINVALID, "UTF-8");
}

static void test_init(void) {
    psp_platform p;
    psp_platform pi = PSP_PLATFORM_INIT;
    memset(&p, 0xAB, sizeof p);
    OK(psp_platform_init(&p, PSP_PLATFORM_VERSION));
    CHECK(p.version == pi.version && p.name == NULL && p.tier == pi.tier && p.services == 0 &&
          p.status == PSP_STATUS_PLANNED);
    FAILS(psp_platform_init(&p, 0), PSP_EINVALID, "version");
    FAILS(psp_platform_init(&p, PSP_PLATFORM_VERSION + 1), PSP_EINVALID, "version");
    FAILS(psp_platform_init(NULL, PSP_PLATFORM_VERSION), PSP_EINVALID, "platform");

    psp_equipment e;
    OK(psp_equipment_init(&e, PSP_EQUIPMENT_VERSION));
    CHECK(e.capacity_units == 1);
    psp_enterprise ent;
    OK(psp_enterprise_init(&ent, PSP_ENTERPRISE_VERSION));
    CHECK(ent.size == PSP_SIZE_SMALL);
    psp_actor a;
    OK(psp_actor_init(&a, PSP_ACTOR_VERSION));
    CHECK(a.role == PSP_ROLE_PUBLIC);
    psp_open_options o;
    OK(psp_open_options_init(&o, PSP_OPEN_OPTIONS_VERSION));
    CHECK(o.busy_timeout_ms == 5000 && o.clock == NULL);
    psp_journal_query q;
    OK(psp_journal_query_init(&q, PSP_JOURNAL_QUERY_VERSION));
    CHECK(q.entity == PSP_ENTITY_ANY && q.limit == 0);

    /* The INIT macro and the library agree on the generator's defaults. */
    psp_city_params cm = PSP_CITY_PARAMS_INIT, cf;
    OK(psp_city_params_init(&cf, PSP_CITY_PARAMS_VERSION));
    CHECK(cm.seed == cf.seed && cm.districts == cf.districts && cm.zones_per_district == cf.zones_per_district &&
          cm.platforms == cf.platforms && cm.backbone_share == cf.backbone_share &&
          cm.sub_platform_share == cf.sub_platform_share && cm.alliances == cf.alliances &&
          cm.equipment_classes == cf.equipment_classes && cm.equipment == cf.equipment &&
          cm.enterprises == cf.enterprises);

    psp_district d; OK(psp_district_init(&d, PSP_DISTRICT_VERSION));
    psp_zone z; OK(psp_zone_init(&z, PSP_ZONE_VERSION));
    psp_alliance al; OK(psp_alliance_init(&al, PSP_ALLIANCE_VERSION));
    CHECK(al.members == NULL && al.member_count == 0);
    psp_equipment_class c; OK(psp_equipment_class_init(&c, PSP_EQUIPMENT_CLASS_VERSION));
    psp_travel t; OK(psp_travel_init(&t, PSP_TRAVEL_VERSION));
    psp_zone_service s; OK(psp_zone_service_init(&s, PSP_ZONE_SERVICE_VERSION));
    psp_link l; OK(psp_link_init(&l, PSP_LINK_VERSION));
    CHECK(l.kind == PSP_LINK_COOPERATION);
    psp_reachable r; OK(psp_reachable_init(&r, PSP_REACHABLE_VERSION));
    psp_coverage_row cr; OK(psp_coverage_row_init(&cr, PSP_COVERAGE_ROW_VERSION));
    psp_coverage_gap g; OK(psp_coverage_gap_init(&g, PSP_COVERAGE_GAP_VERSION));
    psp_duplication du; OK(psp_duplication_init(&du, PSP_DUPLICATION_VERSION));
    psp_counts cn; OK(psp_counts_init(&cn, PSP_COUNTS_VERSION));
    psp_journal_entry je; OK(psp_journal_entry_init(&je, PSP_JOURNAL_ENTRY_VERSION));
}

static void test_open_errors(void) {
    psp_db *db = (psp_db *)&db; /* must be reset to NULL on failure */
    psp_open_options o = PSP_OPEN_OPTIONS_INIT;
    FAILS(psp_db_open(NULL, ":memory:", NULL), PSP_EINVALID, "out");
    FAILS(psp_db_open(&db, NULL, NULL), PSP_EINVALID, "path");
    CHECK(db == NULL);
    FAILS(psp_db_open(&db, bad_utf8, NULL), PSP_EINVALID, "path");
    o.version = 7;
    FAILS(psp_db_open(&db, ":memory:", &o), PSP_EINVALID, "options");
    o.version = PSP_OPEN_OPTIONS_VERSION;
    o.busy_timeout_ms = -1;
    FAILS(psp_db_open(&db, ":memory:", &o), PSP_EINVALID, "busy_timeout_ms");
    psp_db_close(NULL);
}

static void test_entities(psp_db *db, const struct net *n) {
    psp_actor a = office();

    psp_district d = PSP_DISTRICT_INIT;
    OK(psp_district_get(&d, db, n->d2));
    CHECK(d.id == n->d2 && strcmp(d.name, "滨江区") == 0 && d.x_km == 3.0 && d.y_km == -4.0);

    psp_zone z = PSP_ZONE_INIT;
    OK(psp_zone_get(&z, db, n->z2));
    CHECK(z.district == n->d2 && z.type == PSP_ZONE_TECH_INNOVATION && strcmp(z.name, "高新区") == 0);

    psp_platform p = PSP_PLATFORM_INIT;
    OK(psp_platform_get(&p, db, n->sub));
    CHECK(p.parent == n->backbone && p.backbone == 0 && p.tier == PSP_TIER_MUNICIPAL &&
          p.field == PSP_FIELD_QUALITY_TESTING && p.operator_model == PSP_OPERATOR_RESEARCH_INSTITUTE &&
          p.site == n->d2 && p.status == PSP_STATUS_OPERATING &&
          p.services == (PSP_SERVICE_BIT(PSP_SERVICE_QUALITY_TESTING) | PSP_SERVICE_BIT(PSP_SERVICE_EQUIPMENT_SHARING)));

    psp_alliance al = PSP_ALLIANCE_INIT;
    OK(psp_alliance_get(&al, db, n->alliance));
    CHECK(al.lead == n->backbone && al.member_count == 3 && al.one_stop == 1 &&
          al.scope == PSP_SCOPE_CROSS_REGIONAL && al.breadth == PSP_BREADTH_SPECIALISED);
    if (al.member_count == 3) {
        CHECK(al.members[0].platform == n->backbone && al.members[0].role == PSP_MEMBER_LEAD);
        CHECK(al.members[2].platform == n->plain && al.members[2].role == PSP_MEMBER_MEMBER);
    }

    psp_equipment_class c = PSP_EQUIPMENT_CLASS_INIT;
    OK(psp_equipment_class_get(&c, db, n->cls));
    CHECK(strcmp(c.name, "Mass spectrometer") == 0 && strcmp(c.category, "analysis") == 0);

    psp_equipment e = PSP_EQUIPMENT_INIT;
    OK(psp_equipment_get(&e, db, n->eq));
    CHECK(e.owner == n->backbone && e.capacity_units == 2 && e.purchase_value == 350000000 &&
          e.equipment_class == n->cls && e.site == n->d1);

    psp_enterprise ent = PSP_ENTERPRISE_INIT;
    OK(psp_enterprise_get(&ent, db, n->ent));
    CHECK(ent.zone == n->z1 && ent.size == PSP_SIZE_MICRO && strcmp(ent.sector, "software") == 0);

    int has = -1;
    OK(psp_platform_contains(&has, db, n->plain));
    CHECK(has == 1);
    OK(psp_platform_contains(&has, db, 9999));
    CHECK(has == 0);
    OK(psp_district_contains(&has, db, n->d1)); CHECK(has == 1);
    OK(psp_zone_contains(&has, db, n->z1)); CHECK(has == 1);
    OK(psp_alliance_contains(&has, db, n->alliance)); CHECK(has == 1);
    OK(psp_equipment_class_contains(&has, db, n->cls)); CHECK(has == 1);
    OK(psp_equipment_contains(&has, db, n->eq)); CHECK(has == 1);
    OK(psp_enterprise_contains(&has, db, n->ent)); CHECK(has == 1);

    /* Updates. */
    psp_platform up = PSP_PLATFORM_INIT;
    OK(psp_platform_get(&up, db, n->plain));
    up.name = "Design hub (renamed)";
    up.services |= PSP_SERVICE_BIT(PSP_SERVICE_MARKETING);
    OK(psp_platform_update(db, &a, &up));
    OK(psp_platform_get(&p, db, n->plain));
    CHECK(strcmp(p.name, "Design hub (renamed)") == 0);
    CHECK(p.services & PSP_SERVICE_BIT(PSP_SERVICE_MARKETING));

    d.name = "滨江区 (Binjiang)";
    OK(psp_district_update(db, &a, &d));
    z.name = "高新区 (Hi-tech)";
    OK(psp_zone_update(db, &a, &z));
    c.category = "chemistry";
    OK(psp_equipment_class_update(db, &a, &c));
    e.capacity_units = 3;
    OK(psp_equipment_update(db, &a, &e));
    ent.size = PSP_SIZE_SMALL;
    OK(psp_enterprise_update(db, &a, &ent));
    OK(psp_alliance_get(&al, db, n->alliance));
    al.one_stop = 0;
    OK(psp_alliance_update(db, &a, &al));
    OK(psp_alliance_get(&al, db, n->alliance));
    CHECK(al.one_stop == 0 && al.member_count == 3);
    OK(psp_equipment_get(&e, db, n->eq));
    CHECK(e.capacity_units == 3);

    /* Iterators, in ascending id order. */
    psp_platform_iter *pit = NULL;
    OK(psp_platform_iter_new(&pit, db));
    int count = 0, rc;
    int64_t last = 0;
    while ((rc = psp_platform_iter_next(&p, pit)) == 0) {
        CHECK(p.id > last);
        last = p.id;
        ++count;
    }
    CHECK(rc == PSP_ITEROVER);
    CHECK(count == 4);
    CHECK(psp_platform_iter_next(&p, pit) == PSP_ITEROVER);
    psp_platform_iter_free(pit);

#define COUNT_ROWS(x, row_init, expected)                                   \
    do {                                                                    \
        psp_##x##_iter *it_ = NULL;                                         \
        psp_##x row_ = row_init;                                            \
        int n_ = 0;                                                         \
        OK(psp_##x##_iter_new(&it_, db));                                   \
        while (psp_##x##_iter_next(&row_, it_) == 0) ++n_;                  \
        CHECK(n_ == (expected));                                            \
        psp_##x##_iter_free(it_);                                           \
    } while (0)

    COUNT_ROWS(district, PSP_DISTRICT_INIT, 2);
    COUNT_ROWS(zone, PSP_ZONE_INIT, 2);
    COUNT_ROWS(alliance, PSP_ALLIANCE_INIT, 1);
    COUNT_ROWS(equipment_class, PSP_EQUIPMENT_CLASS_INIT, 1);
    COUNT_ROWS(equipment, PSP_EQUIPMENT_INIT, 1);
    COUNT_ROWS(enterprise, PSP_ENTERPRISE_INIT, 1);
    COUNT_ROWS(travel, PSP_TRAVEL_INIT, 1);
    COUNT_ROWS(zone_service, PSP_ZONE_SERVICE_INIT, 3);
    COUNT_ROWS(link, PSP_LINK_INIT, 1);

    psp_alliance_iter *ait = NULL;
    OK(psp_alliance_iter_new(&ait, db));
    OK(psp_alliance_iter_next(&al, ait));
    CHECK(al.member_count == 3 && al.members != NULL && al.members[1].platform == n->sub);
    psp_alliance_iter_free(ait);

    psp_travel_iter *tit = NULL;
    psp_travel t = PSP_TRAVEL_INIT;
    OK(psp_travel_iter_new(&tit, db));
    OK(psp_travel_iter_next(&t, tit));
    CHECK(t.minutes == 25);
    psp_travel_iter_free(tit);

    psp_link_iter *lit = NULL;
    psp_link l = PSP_LINK_INIT;
    OK(psp_link_iter_new(&lit, db));
    OK(psp_link_iter_next(&l, lit));
    CHECK(l.from == n->plain && l.to == n->backbone && l.kind == PSP_LINK_HIGHER_TIER);
    psp_link_iter_free(lit);

    psp_counts cn = PSP_COUNTS_INIT;
    OK(psp_db_counts(&cn, db));
    CHECK(cn.districts == 2 && cn.zones == 2 && cn.platforms == 4 && cn.backbones == 1 &&
          cn.sub_platforms == 1 && cn.alliances == 1 && cn.equipment_classes == 1 && cn.equipment == 1 &&
          cn.enterprises == 1 && cn.zone_services == 3 && cn.links == 1 && cn.travel == 1);
}

static void test_queries(psp_db *db, const struct net *n) {
    int64_t id = 0;
    psp_id_iter *it = NULL;

    OK(psp_sub_platform_iter_new(&it, db, n->backbone));
    OK(psp_id_iter_next(&id, it));
    CHECK(id == n->sub);
    CHECK(psp_id_iter_next(&id, it) == PSP_ITEROVER);
    psp_id_iter_free(it);

    OK(psp_alliances_of_iter_new(&it, db, n->plain));
    OK(psp_id_iter_next(&id, it));
    CHECK(id == n->alliance);
    psp_id_iter_free(it);

    OK(psp_platforms_serving_iter_new(&it, db, n->z1));
    int serving = 0;
    while (psp_id_iter_next(&id, it) == 0) {
        CHECK(id == n->backbone || id == n->rival);
        ++serving;
    }
    CHECK(serving == 2);
    psp_id_iter_free(it);

    psp_member_iter *mit = NULL;
    psp_alliance_member m;
    OK(psp_member_iter_new(&mit, db, n->alliance));
    int members = 0;
    while (psp_member_iter_next(&m, mit) == 0) ++members;
    CHECK(members == 3);
    psp_member_iter_free(mit);
    FAILS(psp_member_iter_new(&mit, db, 4242), PSP_ENOTFOUND, "4242");
    CHECK(mit == NULL);

    psp_reachable_iter *rit = NULL;
    psp_reachable r = PSP_REACHABLE_INIT;
    OK(psp_reachable_iter_new(&rit, db, n->z1, n->cls, 120));
    OK(psp_reachable_iter_next(&r, rit));
    CHECK(r.equipment == n->eq && r.owner == n->backbone && r.minutes >= 0 && r.minutes <= 120);
    CHECK(psp_reachable_iter_next(&r, rit) == PSP_ITEROVER);
    psp_reachable_iter_free(rit);
    FAILS(psp_reachable_iter_new(&rit, db, n->z1, n->cls, -5), PSP_EINVALID, "max_minutes");

    psp_coverage_iter *cit = NULL;
    psp_coverage_row row = PSP_COVERAGE_ROW_INIT;
    OK(psp_coverage_iter_new(&cit, db));
    int rows = 0;
    while (psp_coverage_iter_next(&row, cit) == 0) {
        CHECK(row.kind_count == PSP_SERVICE_COUNT);
        if (row.zone == n->z1) CHECK(row.counts[PSP_SERVICE_QUALITY_TESTING] == 2);
        if (row.zone == n->z1) CHECK(row.counts[PSP_SERVICE_TALENT] == 0);
        ++rows;
    }
    CHECK(rows == 2);
    psp_coverage_iter_free(cit);

    psp_coverage_gap_iter *git = NULL;
    psp_coverage_gap g = PSP_COVERAGE_GAP_INIT;
    OK(psp_coverage_gap_iter_new(&git, db));
    int gaps = 0, talent_gap_z1 = 0;
    while (psp_coverage_gap_iter_next(&g, git) == 0) {
        ++gaps;
        if (g.zone == n->z1 && g.kind == PSP_SERVICE_TALENT) talent_gap_z1 = 1;
        CHECK(!(g.zone == n->z1 && g.kind == PSP_SERVICE_QUALITY_TESTING));
    }
    CHECK(gaps > 0 && talent_gap_z1);
    psp_coverage_gap_iter_free(git);

    psp_duplication_iter *dit = NULL;
    psp_duplication du = PSP_DUPLICATION_INIT;
    OK(psp_duplication_iter_new(&dit, db));
    OK(psp_duplication_iter_next(&du, dit));
    CHECK(du.zone == n->z1 && du.field == PSP_FIELD_QUALITY_TESTING && du.kind == PSP_SERVICE_QUALITY_TESTING);
    CHECK(du.platform_count == 2 && du.platforms[0] == n->backbone && du.platforms[1] == n->rival);
    CHECK(psp_duplication_iter_next(&du, dit) == PSP_ITEROVER);
    psp_duplication_iter_free(dit);

    char *dot = NULL;
    OK(psp_db_to_graphviz(&dot, db));
    CHECK(dot != NULL && strstr(dot, "graph") != NULL);
    psp_free(dot);
}

static void test_argument_errors(psp_db *db, const struct net *n) {
    psp_actor a = office();
    psp_actor nobody = PSP_ACTOR_INIT;
    psp_platform p = PSP_PLATFORM_INIT;
    p.name = "Bad";
    p.site = n->d1;

    /* NULL pointers. */
    FAILS(psp_platform_add(NULL, NULL, &a, &p), PSP_EINVALID, "db");
    FAILS(psp_platform_add(NULL, db, NULL, &p), PSP_EINVALID, "actor");
    FAILS(psp_platform_add(NULL, db, &a, NULL), PSP_EINVALID, "platform");
    FAILS(psp_platform_get(NULL, db, n->plain), PSP_EINVALID, "out");
    FAILS(psp_platform_contains(NULL, db, n->plain), PSP_EINVALID, "out");
    FAILS(psp_district_iter_new(NULL, db), PSP_EINVALID, "out");
    FAILS(psp_district_iter_next(NULL, NULL), PSP_EINVALID, "out");
    psp_district dd = PSP_DISTRICT_INIT;
    FAILS(psp_district_iter_next(&dd, NULL), PSP_EINVALID, "it");
    FAILS(psp_db_counts(NULL, db), PSP_EINVALID, "out");
    FAILS(psp_db_export_json(NULL, db), PSP_EINVALID, "out");
    FAILS(psp_travel_set(db, &a, NULL), PSP_EINVALID, "travel");
    FAILS(psp_id_iter_next(NULL, NULL), PSP_EINVALID, "out");
    p.name = NULL;
    FAILS(psp_platform_add(NULL, db, &a, &p), PSP_EINVALID, "platform.name");
    p.name = "Bad";
    psp_alliance al = PSP_ALLIANCE_INIT;
    al.name = "x";
    al.member_count = 2;
    FAILS(psp_alliance_add(NULL, db, &a, &al), PSP_EINVALID, "alliance.members");

    /* Wrong struct versions, in and out, and of the actor. */
    p.version = 0;
    FAILS(psp_platform_add(NULL, db, &a, &p), PSP_EINVALID, "version");
    p.version = 99;
    FAILS(psp_platform_update(db, &a, &p), PSP_EINVALID, "version");
    p.version = PSP_PLATFORM_VERSION;
    psp_actor old = office();
    old.version = 2;
    FAILS(psp_platform_add(NULL, db, &old, &p), PSP_EINVALID, "actor");
    psp_platform out;
    memset(&out, 0, sizeof out);
    FAILS(psp_platform_get(&out, db, n->plain), PSP_EINVALID, "out");
    psp_counts cn;
    memset(&cn, 0, sizeof cn);
    FAILS(psp_db_counts(&cn, db), PSP_EINVALID, "version");
    psp_district_iter *dit = NULL;
    OK(psp_district_iter_new(&dit, db));
    dd.version = 5;
    FAILS(psp_district_iter_next(&dd, dit), PSP_EINVALID, "version");
    psp_district_iter_free(dit);
    psp_journal_query q = PSP_JOURNAL_QUERY_INIT;
    q.version = 0;
    psp_journal_iter *jit = NULL;
    FAILS(psp_journal_iter_new(&jit, db, &q), PSP_EINVALID, "query");
    psp_city_params cp = PSP_CITY_PARAMS_INIT;
    cp.version = 3;
    FAILS(psp_synth_generate(db, &a, &cp), PSP_EINVALID, "params");

    /* Out-of-range enums. */
    p.tier = 9;
    FAILS(psp_platform_add(NULL, db, &a, &p), PSP_EINVALID, "platform.tier");
    p.tier = PSP_TIER_DISTRICT;
    p.field = -1;
    FAILS(psp_platform_add(NULL, db, &a, &p), PSP_EINVALID, "platform.field");
    p.field = 0;
    p.operator_model = PSP_OPERATOR_COUNT;
    FAILS(psp_platform_add(NULL, db, &a, &p), PSP_EINVALID, "platform.operator_model");
    p.operator_model = 0;
    p.status = 4;
    FAILS(psp_platform_add(NULL, db, &a, &p), PSP_EINVALID, "platform.status");
    p.status = 0;
    p.services = 1u << 20;
    FAILS(psp_platform_add(NULL, db, &a, &p), PSP_EINVALID, "platform.services");
    p.services = 0;
    psp_zone z = PSP_ZONE_INIT;
    z.name = "z";
    z.district = n->d1;
    z.type = PSP_ZONE_TYPE_COUNT;
    FAILS(psp_zone_add(NULL, db, &a, &z), PSP_EINVALID, "zone.type");
    psp_enterprise ent = PSP_ENTERPRISE_INIT;
    ent.name = "e";
    ent.zone = n->z1;
    ent.size = 17;
    FAILS(psp_enterprise_add(NULL, db, &a, &ent), PSP_EINVALID, "enterprise.size");
    psp_alliance_member bad_member = {0, 7};
    bad_member.platform = n->backbone;
    al.member_count = 1;
    al.members = &bad_member;
    al.lead = n->backbone;
    FAILS(psp_alliance_add(NULL, db, &a, &al), PSP_EINVALID, "alliance.members[0].role");
    al.scope = 2;
    FAILS(psp_alliance_add(NULL, db, &a, &al), PSP_EINVALID, "alliance.scope");
    psp_link l = PSP_LINK_INIT;
    l.from = n->plain;
    l.to = n->rival;
    l.kind = 5;
    FAILS(psp_link_add(db, &a, &l), PSP_EINVALID, "link.kind");
    psp_actor weird = office();
    weird.role = 12;
    FAILS(psp_platform_add(NULL, db, &weird, &p), PSP_EINVALID, "actor.role");
    int allowed;
    FAILS(psp_permitted(&allowed, &a, PSP_ACTION_COUNT, 0), PSP_EINVALID, "action");
    q.version = PSP_JOURNAL_QUERY_VERSION;
    q.entity = PSP_ENTITY_KIND_COUNT;
    FAILS(psp_journal_iter_new(&jit, db, &q), PSP_EINVALID, "query.entity");
    CHECK(jit == NULL);
    FAILS(psp_city_params_for_scale(&cp, 3, 1), PSP_EINVALID, "out");
    cp.version = PSP_CITY_PARAMS_VERSION;
    FAILS(psp_city_params_for_scale(&cp, 3, 1), PSP_EINVALID, "scale");

    /* Invalid UTF-8. */
    p.name = bad_utf8;
    FAILS(psp_platform_add(NULL, db, &a, &p), PSP_EINVALID, "platform.name");
    p.name = overlong;
    FAILS(psp_platform_add(NULL, db, &a, &p), PSP_EINVALID, "UTF-8");
    p.name = surrogate;
    FAILS(psp_platform_add(NULL, db, &a, &p), PSP_EINVALID, "UTF-8");
    p.name = "Bad";
    ent.size = PSP_SIZE_SMALL;
    ent.sector = bad_utf8;
    FAILS(psp_enterprise_add(NULL, db, &a, &ent), PSP_EINVALID, "enterprise.sector");
    psp_actor badname = office();
    badname.name = bad_utf8;
    FAILS(psp_district_remove(db, &badname, n->d1), PSP_EINVALID, "actor.name");
    FAILS(psp_db_import_json(db, &a, bad_utf8), PSP_EINVALID, "json");

    /* Unknown ids. */
    psp_platform got = PSP_PLATFORM_INIT;
    FAILS(psp_platform_get(&got, db, 987654), PSP_ENOTFOUND, "987654");
    psp_district gd = PSP_DISTRICT_INIT;
    FAILS(psp_district_get(&gd, db, 987654), PSP_ENOTFOUND, "987654");
    psp_zone gz = PSP_ZONE_INIT;
    FAILS(psp_zone_get(&gz, db, -3), PSP_ENOTFOUND, "psp_zone_get");
    psp_alliance ga = PSP_ALLIANCE_INIT;
    FAILS(psp_alliance_get(&ga, db, 555), PSP_ENOTFOUND, "555");
    psp_equipment ge = PSP_EQUIPMENT_INIT;
    FAILS(psp_equipment_get(&ge, db, 555), PSP_ENOTFOUND, "555");
    psp_equipment_class gc = PSP_EQUIPMENT_CLASS_INIT;
    FAILS(psp_equipment_class_get(&gc, db, 555), PSP_ENOTFOUND, "555");
    psp_enterprise gn = PSP_ENTERPRISE_INIT;
    FAILS(psp_enterprise_get(&gn, db, 555), PSP_ENOTFOUND, "555");
    FAILS(psp_equipment_remove(db, &a, 555), PSP_ENOTFOUND, "555");
    FAILS(psp_travel_remove(db, &a, n->d1, 555), PSP_ENOTFOUND, "psp_travel_remove");
    FAILS(psp_zone_service_remove(db, &a, n->plain, n->z2), PSP_ENOTFOUND, "psp_zone_service_remove");
    FAILS(psp_link_remove(db, &a, n->rival, n->plain), PSP_ENOTFOUND, "psp_link_remove");
    p.site = 555;
    FAILS(psp_platform_add(NULL, db, &a, &p), PSP_ENOTFOUND, "555");
    p.site = n->d1;

    /* Rules: permission and dependents. */
    FAILS(psp_platform_add(NULL, db, &nobody, &p), PSP_EPERM, "psp_platform_add");
    FAILS(psp_district_remove(db, &a, n->d1), PSP_EREFUSED, "psp_district_remove");
    FAILS(psp_equipment_class_remove(db, &a, n->cls), PSP_EREFUSED, "MS-01");
    OK(psp_permitted(&allowed, &a, PSP_ACTION_MANAGE_DISTRICTS, 0));
    CHECK(allowed == 1);
    OK(psp_permitted(&allowed, &nobody, PSP_ACTION_MANAGE_DISTRICTS, 0));
    CHECK(allowed == 0);

    /* Nothing above changed the network. */
    psp_counts after = PSP_COUNTS_INIT;
    OK(psp_db_counts(&after, db));
    CHECK(after.platforms == 4 && after.zones == 2 && after.enterprises == 1 && after.alliances == 1);
}

static void test_journal(psp_db *db, const struct net *n) {
    psp_journal_iter *it = NULL;
    psp_journal_entry e = PSP_JOURNAL_ENTRY_INIT;
    int rows = 0, rc;
    int64_t last = 0;
    OK(psp_journal_iter_new(&it, db, NULL));
    while ((rc = psp_journal_iter_next(&e, it)) == 0) {
        CHECK(e.seq > last);
        last = e.seq;
        CHECK(e.time == fixed_now);
        CHECK(e.actor_role == PSP_ROLE_PROMOTION_OFFICE);
        CHECK(strcmp(e.actor_name, "推进办公室") == 0);
        CHECK(e.action != NULL && e.details != NULL);
        ++rows;
    }
    CHECK(rc == PSP_ITEROVER);
    CHECK(rows >= 17); /* every add and set of build(), plus the updates */
    psp_journal_iter_free(it);

    psp_journal_query q = PSP_JOURNAL_QUERY_INIT;
    q.entity = PSP_ENTITY_PLATFORM;
    q.has_entity_id = 1;
    q.entity_id = n->plain;
    OK(psp_journal_iter_new(&it, db, &q));
    rows = 0;
    while (psp_journal_iter_next(&e, it) == 0) {
        CHECK(e.entity == PSP_ENTITY_PLATFORM && e.entity_id == n->plain);
        ++rows;
    }
    CHECK(rows == 2); /* add, update */
    psp_journal_iter_free(it);

    q = (psp_journal_query)PSP_JOURNAL_QUERY_INIT;
    q.limit = 3;
    OK(psp_journal_iter_new(&it, db, &q));
    rows = 0;
    while (psp_journal_iter_next(&e, it) == 0) ++rows;
    CHECK(rows == 3);
    psp_journal_iter_free(it);

    q = (psp_journal_query)PSP_JOURNAL_QUERY_INIT;
    q.has_to = 1;
    q.to = fixed_now; /* [from, to): nothing before the fixed clock */
    OK(psp_journal_iter_new(&it, db, &q));
    CHECK(psp_journal_iter_next(&e, it) == PSP_ITEROVER);
    psp_journal_iter_free(it);
}

static void test_json(psp_db *db) {
    psp_actor a = office();
    char *json = NULL, *again = NULL, *norm = NULL;
    psp_db *copy = NULL;
    OK(psp_db_export_json(&json, db));
    CHECK(json != NULL && strstr(json, "Quality alliance") != NULL);
    OK(psp_db_open(&copy, ":memory:", NULL));
    OK(psp_db_import_json(copy, &a, json));
    OK(psp_db_export_json(&again, copy));
    CHECK(again != NULL && json != NULL && strcmp(json, again) == 0);
    /* Normalising is idempotent and keeps the content (export may be formatted differently). */
    OK(psp_json_normalize(&norm, json));
    CHECK(norm != NULL && strstr(norm, "Quality alliance") != NULL);
    {
        char *twice = NULL;
        OK(psp_json_normalize(&twice, norm));
        CHECK(twice != NULL && norm != NULL && strcmp(twice, norm) == 0);
        psp_free(twice);
    }
    /* A second import into a database that is not empty is refused, and changes nothing. */
    CHECK(psp_db_import_json(copy, &a, json) < 0);
    CHECK(psp_error_last()->code < 0);
    psp_counts cn = PSP_COUNTS_INIT;
    OK(psp_db_counts(&cn, copy));
    CHECK(cn.platforms == 4);
    psp_db_close(copy);

    OK(psp_db_open(&copy, ":memory:", NULL));
    CHECK(psp_db_import_json(copy, &a, "{ not json") == PSP_EINVALID);
    psp_free(norm);
    CHECK(psp_json_normalize(&norm, "[1, 2") == PSP_EINVALID);
    CHECK(norm == NULL);
    CHECK(psp_json_normalize(&norm, "{\"platforms\": [{\"tier\": \"galactic\"}]}") < 0);
    psp_db_close(copy);

    psp_free(json);
    psp_free(again);
    psp_free(norm);
}

static void test_iterator_keeps_db_alive(void) {
    psp_actor a = office();
    psp_db *db = NULL;
    psp_district_iter *it = NULL;
    psp_district d = PSP_DISTRICT_INIT;
    OK(psp_db_open(&db, ":memory:", NULL));
    d.name = "西湖区";
    OK(psp_district_add(NULL, db, &a, &d));
    OK(psp_district_iter_new(&it, db));
    psp_db_close(db);
    OK(psp_district_iter_next(&d, it));
    CHECK(strcmp(d.name, "西湖区") == 0);
    CHECK(psp_district_iter_next(&d, it) == PSP_ITEROVER);
    psp_district_iter_free(it);
    psp_district_iter_free(NULL);
    psp_journal_iter_free(NULL);
    psp_id_iter_free(NULL);
}

static void test_synth(void) {
    psp_actor a = office();
    psp_city_params p = PSP_CITY_PARAMS_INIT;
    psp_db *db = NULL;
    char *j1 = NULL, *j2 = NULL;
    OK(psp_city_params_for_scale(&p, PSP_SCALE_DISTRICT, 7));
    CHECK(p.seed == 7 && p.districts >= 1);
    p.enterprises = 200;
    p.equipment = 60;
    OK(psp_db_open(&db, ":memory:", NULL));
    OK(psp_synth_generate(db, &a, &p));
    psp_counts cn = PSP_COUNTS_INIT;
    OK(psp_db_counts(&cn, db));
    CHECK(cn.platforms == p.platforms && cn.equipment == p.equipment && cn.enterprises == p.enterprises);
    CHECK(cn.districts == p.districts);
    /* Not into a database that already holds a network. */
    CHECK(psp_synth_generate(db, &a, &p) < 0);
    psp_db_close(db);

    OK(psp_synth_generate_json(&j1, &p));
    OK(psp_synth_generate_json(&j2, &p));
    CHECK(j1 != NULL && j2 != NULL && strcmp(j1, j2) == 0);
    psp_free(j1);
    psp_free(j2);
    FAILS(psp_synth_generate_json(NULL, &p), PSP_EINVALID, "out");
    FAILS(psp_synth_generate_json(&j1, NULL), PSP_EINVALID, "params");
}

static void test_file(const char *dir) {
    char path[1024], junk[1024];
    const char *got = NULL;
    psp_actor a = office();
    psp_db *db = NULL;
    psp_district d = PSP_DISTRICT_INIT;
    int64_t id = 0;
    int schema = 0;
    snprintf(path, sizeof path, "%s/capi_test.psp", dir);
    snprintf(junk, sizeof junk, "%s/capi_test.junk", dir);
    remove(path);

    OK(psp_db_open(&db, path, NULL));
    OK(psp_db_path(&got, db));
    CHECK(got != NULL && strcmp(got, path) == 0);
    OK(psp_db_schema_version(&schema, db));
    CHECK(schema >= 1);
    d.name = "临平区";
    OK(psp_district_add(&id, db, &a, &d));
    psp_db_close(db);

    db = NULL;
    OK(psp_db_open(&db, path, NULL));
    psp_district back = PSP_DISTRICT_INIT;
    OK(psp_district_get(&back, db, id));
    CHECK(back.name != NULL && strcmp(back.name, "临平区") == 0);
    OK(psp_district_remove(db, &a, id));
    FAILS(psp_district_get(&back, db, id), PSP_ENOTFOUND, "psp_district_get");
    psp_db_close(db);
    remove(path);

    FILE *f = fopen(junk, "wb");
    CHECK(f != NULL);
    if (f) {
        fputs("this is not an SQLite file, just some text that is long enough to have a header......", f);
        fclose(f);
        db = (psp_db *)&db;
        CHECK(psp_db_open(&db, junk, NULL) == PSP_EFORMAT);
        CHECK(db == NULL);
    }
    remove(junk);
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : ".";
    psp_db *db = NULL;
    psp_open_options o = PSP_OPEN_OPTIONS_INIT;
    struct net n;
    memset(&n, 0, sizeof n);

    test_versions_and_errors();
    test_enums();
    test_init();
    test_open_errors();

    o.clock = test_clock;
    o.clock_context = &fixed_now;
    OK(psp_db_open(&db, ":memory:", &o));
    if (db == NULL) {
        fprintf(stderr, "cannot open a database: %s\n", psp_error_last()->message);
        return 1;
    }
    build(db, &n);
    test_entities(db, &n);
    test_queries(db, &n);
    test_argument_errors(db, &n);
    test_journal(db, &n);
    test_json(db);
    psp_db_close(db);

    test_iterator_keeps_db_alive();
    test_synth();
    test_file(dir);

    printf("capi_test: %d checks, %d failures\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
