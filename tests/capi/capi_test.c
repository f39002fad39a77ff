/* A pure-C test of the whole psp ABI, linked against the shared library only: every entity,
 * relation, query, JSON, synth, journal and booking call, and every argument-error path (NULL,
 * wrong struct version, out-of-range enum, invalid UTF-8, unknown id, reversed period), prices and
 * innovation vouchers, routing, fulfilment and settlement, major projects, certification, city
 * plans, statistics, monitoring and evaluation included. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "psp/psp.h"

#include "check.h"

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

/* ---- Booking ------------------------------------------------------------------------------- */

/* Monday 2025-03-10 08:00 in Asia/Shanghai (00:00 UTC); LOCAL(d, h, m) is day d after it, at h:m
 * local time. No Chinese holiday or make-up day falls in that week. */
#define MON_0800 INT64_C(1741564800)
#define LOCAL(d, h, m) (MON_0800 - 8 * 3600 + (int64_t)(d) * 86400 + (int64_t)(h) * 3600 + (int64_t)(m) * 60)

static int64_t booking_now = MON_0800;

/* Monday to Friday 08:00-18:00, China's holidays. */
static const char week_0800_1800[] =
    "{\"time_zone\": \"Asia/Shanghai\", \"weekly\": ["
    "[{\"open\": \"08:00\", \"close\": \"18:00\"}], [{\"open\": \"08:00\", \"close\": \"18:00\"}],"
    "[{\"open\": \"08:00\", \"close\": \"18:00\"}], [{\"open\": \"08:00\", \"close\": \"18:00\"}],"
    "[{\"open\": \"08:00\", \"close\": \"18:00\"}], [], []], \"holidays\": \"CN\"}";
static const char week_0900_1700[] =
    "{\"weekly\": [[{\"open\": \"09:00\", \"close\": \"17:00\"}], [], [], [], [], [], []], \"holidays\": \"CN\"}";

static int count_bookings(psp_booking_iter *it) {
    psp_booking b = PSP_BOOKING_INIT;
    int rows = 0, rc;
    while ((rc = psp_booking_iter_next(&b, it)) == 0) ++rows;
    CHECK(rc == PSP_ITEROVER);
    psp_booking_iter_free(it);
    return rows;
}

/* Books and returns the id (0 when refused, the rule in *rule). */
static int64_t book(psp_db *db, const psp_actor *who, int64_t eq, int64_t ent, int64_t start, int64_t end,
                    int *rule) {
    psp_booking_request q = PSP_BOOKING_REQUEST_INIT;
    psp_booking b = PSP_BOOKING_INIT;
    const char *reason = NULL;
    q.equipment = eq;
    q.enterprise = ent;
    q.start = start;
    q.end = end;
    *rule = -1;
    OK(psp_booking_book(&b, rule, &reason, db, who, &q));
    CHECK(reason != NULL);
    if (*rule == PSP_RULE_NONE) CHECK(reason != NULL && reason[0] == '\0');
    else CHECK(reason != NULL && reason[0] != '\0' && b.id == 0);
    return *rule == PSP_RULE_NONE ? b.id : 0;
}

static void test_booking_inits(void) {
    psp_booking_rules m = PSP_BOOKING_RULES_INIT, f;
    memset(&f, 0xAB, sizeof f);
    OK(psp_booking_rules_init(&f, PSP_BOOKING_RULES_VERSION));
    /* The INIT macro and the library agree on the C++ defaults. */
    CHECK(f.version == m.version && f.slot_minutes == m.slot_minutes && f.min_minutes == m.min_minutes &&
          f.max_minutes == m.max_minutes && f.min_notice_minutes == m.min_notice_minutes &&
          f.max_horizon_days == m.max_horizon_days && f.buffer_minutes == m.buffer_minutes &&
          f.approval_required == m.approval_required && f.training_required == m.training_required &&
          f.weekly_quota_minutes == m.weekly_quota_minutes &&
          f.cancel_deadline_minutes == m.cancel_deadline_minutes && f.late_cancel_fee == m.late_cancel_fee &&
          f.no_show_grace_minutes == m.no_show_grace_minutes && f.no_show_limit == m.no_show_limit &&
          f.no_show_block_days == m.no_show_block_days && f.blackouts == NULL && f.blackout_count == 0);
    FAILS(psp_booking_rules_init(&f, 2), PSP_EINVALID, "version");
    FAILS(psp_booking_rules_init(NULL, 1), PSP_EINVALID, "rules");
    psp_booking b;
    OK(psp_booking_init(&b, PSP_BOOKING_VERSION));
    CHECK(b.units == 1 && b.status == PSP_BOOKING_STATUS_CONFIRMED && b.note == NULL);
    FAILS(psp_booking_init(&b, 0), PSP_EINVALID, "version");
    psp_booking_request q;
    OK(psp_booking_request_init(&q, PSP_BOOKING_REQUEST_VERSION));
    CHECK(q.units == 1 && q.note == NULL);
    psp_utilisation u;
    OK(psp_utilisation_init(&u, PSP_UTILISATION_VERSION));
    CHECK(u.open_seconds == 0 && u.booked_share == 0.0);

    CHECK(strcmp(psp_enum_name(PSP_ENUM_BOOKING_STATUS, PSP_BOOKING_STATUS_NO_SHOW), "no_show") == 0);
    CHECK(strcmp(psp_enum_name(PSP_ENUM_BOOKING_RULE, PSP_RULE_CAPACITY), "capacity") == 0);
    CHECK(psp_enum_count(PSP_ENUM_BOOKING_STATUS) == PSP_BOOKING_STATUS_COUNT);
    CHECK(psp_enum_count(PSP_ENUM_BOOKING_RULE) == PSP_RULE_COUNT);
    CHECK(psp_enum_name(PSP_ENUM_BOOKING_STATUS, PSP_BOOKING_STATUS_COUNT) == NULL);
    CHECK(psp_enum_name(PSP_ENUM_BOOKING_RULE, -1) == NULL);
    int v = -1;
    OK(psp_enum_parse(&v, PSP_ENUM_BOOKING_RULE, "opening_hours"));
    CHECK(v == PSP_RULE_OPENING_HOURS);
}

static void test_holidays_and_calendar_json(void) {
    char *cn = NULL, *again = NULL, *cal = NULL, *cal2 = NULL;
    OK(psp_holidays_china_json(&cn));
    CHECK(cn != NULL && strstr(cn, "psp-holidays") != NULL && strstr(cn, "\"CN\"") != NULL);
    OK(psp_holidays_normalize(&again, cn));
    CHECK(cn != NULL && again != NULL && strcmp(cn, again) == 0);
    psp_free(cn);
    psp_free(again);
    again = (char *)&again;
    FAILS(psp_holidays_normalize(&again, "{\"format\": \"psp-holidays\", \"version\": 1, \"region\": \"X\", "
                                         "\"first_year\": 2025, \"last_year\": 2025, \"holidays\": [\"2025-02-30\"]}"),
          PSP_EINVALID, "2025-02-30");
    CHECK(again == NULL);
    FAILS(psp_holidays_normalize(&again, "[1,"), PSP_EINVALID, "psp_holidays_normalize");
    FAILS(psp_holidays_normalize(&again, NULL), PSP_EINVALID, "holidays_json");
    FAILS(psp_holidays_normalize(&again, bad_utf8), PSP_EINVALID, "UTF-8");
    FAILS(psp_holidays_china_json(NULL), PSP_EINVALID, "out");

    OK(psp_calendar_normalize(&cal, week_0800_1800));
    CHECK(cal != NULL && strstr(cal, "08:00") != NULL && strstr(cal, "\"CN\"") != NULL);
    OK(psp_calendar_normalize(&cal2, cal));
    CHECK(cal != NULL && cal2 != NULL && strcmp(cal, cal2) == 0);
    psp_free(cal);
    psp_free(cal2);
    FAILS(psp_calendar_normalize(&cal, "{"), PSP_EINVALID, "calendar_json");
    FAILS(psp_calendar_normalize(&cal, "{\"weekly\": 3}"), PSP_EINVALID, "/weekly");
    FAILS(psp_calendar_normalize(&cal, "{\"time_zone\": \"Mars/Olympus\"}"), PSP_EINVALID, "Mars/Olympus");
    FAILS(psp_calendar_normalize(&cal, "{\"weekly\": [[{\"open\": \"18:00\", \"close\": \"08:00\"}], [], [], [], [], [], []]}"),
          PSP_EINVALID, "psp_calendar_normalize");
    FAILS(psp_calendar_normalize(&cal, "{\"colour\": \"blue\"}"), PSP_EINVALID, "colour");
    FAILS(psp_calendar_normalize(&cal, bad_utf8), PSP_EINVALID, "UTF-8");
    FAILS(psp_calendar_normalize(NULL, week_0800_1800), PSP_EINVALID, "out");
}

static void test_booking(const char *dir) {
    char path[1024];
    psp_actor office_a = office();
    psp_actor op = PSP_ACTOR_INIT, other_op = PSP_ACTOR_INIT, firm = PSP_ACTOR_INIT, rival = PSP_ACTOR_INIT;
    psp_actor nobody = PSP_ACTOR_INIT;
    psp_open_options o = PSP_OPEN_OPTIONS_INIT;
    psp_db *db = NULL;
    struct net n;
    int64_t ent2 = 0, b1, b2, b4, b5, b6, b7;
    int rule = -1, has = -1;
    char *text = NULL;
    memset(&n, 0, sizeof n);
    snprintf(path, sizeof path, "%s/capi_booking.psp", dir);
    remove(path);

    o.clock = test_clock;
    o.clock_context = &booking_now;
    OK(psp_db_open(&db, path, &o));
    if (db == NULL) return;
    build(db, &n);
    {
        psp_enterprise e = PSP_ENTERPRISE_INIT;
        e.name = "Rival firm";
        e.zone = n.z2;
        OK(psp_enterprise_add(&ent2, db, &office_a, &e));
    }
    op.role = PSP_ROLE_PLATFORM_OPERATOR;
    op.platform = n.backbone;
    op.name = "operator";
    other_op.role = PSP_ROLE_PLATFORM_OPERATOR;
    other_op.platform = n.plain;
    firm.role = PSP_ROLE_ENTERPRISE;
    firm.enterprise = n.ent;
    rival.role = PSP_ROLE_ENTERPRISE;
    rival.enterprise = ent2;

    /* Calendars: the standard week until set; the equipment follows its platform unless it has its own. */
    OK(psp_platform_calendar_get(&text, db, n.backbone));
    CHECK(text != NULL && strstr(text, "Asia/Shanghai") != NULL && strstr(text, "08:30") != NULL);
    psp_free(text);
    OK(psp_platform_calendar_set(db, &op, n.backbone, week_0800_1800));
    OK(psp_equipment_calendar_get(&text, db, n.eq));
    CHECK(text != NULL && strstr(text, "08:00") != NULL && strstr(text, "18:00") != NULL);
    psp_free(text);
    OK(psp_equipment_calendar_set(db, &op, n.eq, week_0900_1700));
    OK(psp_equipment_calendar_get(&text, db, n.eq));
    CHECK(text != NULL && strstr(text, "09:00") != NULL && strstr(text, "08:00") == NULL);
    psp_free(text);
    OK(psp_equipment_calendar_set(db, &op, n.eq, NULL));
    OK(psp_equipment_calendar_get(&text, db, n.eq));
    CHECK(text != NULL && strstr(text, "08:00") != NULL);
    psp_free(text);
    text = (char *)&text;
    FAILS(psp_platform_calendar_get(&text, db, 555), PSP_ENOTFOUND, "555");
    CHECK(text == NULL);
    FAILS(psp_equipment_calendar_get(&text, db, 555), PSP_ENOTFOUND, "555");
    FAILS(psp_platform_calendar_get(NULL, db, n.backbone), PSP_EINVALID, "out");
    FAILS(psp_platform_calendar_set(db, &op, n.backbone, NULL), PSP_EINVALID, "calendar_json");
    FAILS(psp_platform_calendar_set(db, &op, n.backbone, "{\"weekly\": [[]]}"), PSP_EINVALID, "/weekly");
    FAILS(psp_platform_calendar_set(db, &op, n.backbone, bad_utf8), PSP_EINVALID, "calendar_json");
    FAILS(psp_platform_calendar_set(db, NULL, n.backbone, week_0800_1800), PSP_EINVALID, "actor");
    FAILS(psp_platform_calendar_set(NULL, &op, n.backbone, week_0800_1800), PSP_EINVALID, "db");
    FAILS(psp_platform_calendar_set(db, &other_op, n.backbone, week_0800_1800), PSP_EPERM, "psp_platform_calendar_set");
    FAILS(psp_equipment_calendar_set(db, &firm, n.eq, NULL), PSP_EPERM, "psp_equipment_calendar_set");
    FAILS(psp_platform_calendar_set(db, &office_a, 555, week_0800_1800), PSP_ENOTFOUND, "555");
    FAILS(psp_equipment_calendar_set(db, &office_a, 555, NULL), PSP_ENOTFOUND, "555");

    /* Rules: defaults until set; what is set comes back, blackouts included. */
    psp_booking_rules r = PSP_BOOKING_RULES_INIT, got = PSP_BOOKING_RULES_INIT;
    psp_period blackout[1];
    OK(psp_booking_rules_get(&got, db, n.eq));
    CHECK(got.slot_minutes == r.slot_minutes && got.max_minutes == r.max_minutes && got.blackout_count == 0);
    blackout[0].start = LOCAL(2, 0, 0); /* all of Wednesday */
    blackout[0].end = LOCAL(3, 0, 0);
    r.min_minutes = 60;
    r.max_minutes = 240;
    r.max_horizon_days = 30;
    r.approval_required = 1;
    r.training_required = 1;
    r.late_cancel_fee = 5000;
    r.blackouts = blackout;
    r.blackout_count = 1;
    OK(psp_booking_rules_set(db, &op, n.eq, &r));
    OK(psp_booking_rules_get(&got, db, n.eq));
    CHECK(got.min_minutes == 60 && got.max_minutes == 240 && got.max_horizon_days == 30 &&
          got.approval_required == 1 && got.training_required == 1 && got.late_cancel_fee == 5000 &&
          got.blackout_count == 1);
    if (got.blackout_count == 1) CHECK(got.blackouts[0].start == blackout[0].start && got.blackouts[0].end == blackout[0].end);
    {
        psp_booking_rules bad = r;
        bad.version = 9;
        FAILS(psp_booking_rules_set(db, &op, n.eq, &bad), PSP_EINVALID, "rules");
        bad.version = PSP_BOOKING_RULES_VERSION;
        bad.blackouts = NULL;
        FAILS(psp_booking_rules_set(db, &op, n.eq, &bad), PSP_EINVALID, "rules.blackouts");
        psp_period reversed = {LOCAL(1, 12, 0), LOCAL(1, 10, 0)};
        bad.blackouts = &reversed;
        FAILS(psp_booking_rules_set(db, &op, n.eq, &bad), PSP_EINVALID, "rules.blackouts[0]");
        bad = r;
        bad.slot_minutes = 7;
        FAILS(psp_booking_rules_set(db, &op, n.eq, &bad), PSP_EINVALID, "slot_minutes");
        bad = r;
        bad.late_cancel_fee = -1;
        FAILS(psp_booking_rules_set(db, &op, n.eq, &bad), PSP_EINVALID, "late_cancel_fee");
        FAILS(psp_booking_rules_set(db, &other_op, n.eq, &r), PSP_EPERM, "psp_booking_rules_set");
        FAILS(psp_booking_rules_set(db, &op, 555, &r), PSP_ENOTFOUND, "555");
        FAILS(psp_booking_rules_set(db, &op, n.eq, NULL), PSP_EINVALID, "rules");
        psp_booking_rules out;
        memset(&out, 0, sizeof out);
        FAILS(psp_booking_rules_get(&out, db, n.eq), PSP_EINVALID, "out");
        FAILS(psp_booking_rules_get(&got, db, 555), PSP_ENOTFOUND, "555");
    }

    /* Training is required: refused by that rule until the operator records it. */
    CHECK(book(db, &firm, n.eq, n.ent, LOCAL(1, 10, 0), LOCAL(1, 12, 0), &rule) == 0);
    CHECK(rule == PSP_RULE_TRAINING);
    OK(psp_training_get(&has, db, n.ent, n.cls));
    CHECK(has == 0);
    FAILS(psp_training_set(db, &firm, n.ent, n.cls, 1), PSP_EPERM, "psp_training_set");
    FAILS(psp_training_set(db, &op, 555, n.cls, 1), PSP_ENOTFOUND, "555");
    OK(psp_training_set(db, &op, n.ent, n.cls, 1));
    OK(psp_training_get(&has, db, n.ent, n.cls));
    CHECK(has == 1);
    FAILS(psp_training_get(&has, db, 555, n.cls), PSP_ENOTFOUND, "555");
    FAILS(psp_training_get(NULL, db, n.ent, n.cls), PSP_EINVALID, "out");

    /* Booked: pending until approved, with its note. */
    {
        psp_booking_request q = PSP_BOOKING_REQUEST_INIT;
        psp_booking b = PSP_BOOKING_INIT;
        const char *reason = NULL;
        q.equipment = n.eq;
        q.enterprise = n.ent;
        q.start = LOCAL(1, 10, 0);
        q.end = LOCAL(1, 12, 0);
        q.note = "质谱分析 x2";
        OK(psp_booking_book(&b, &rule, &reason, db, &firm, &q));
        CHECK(rule == PSP_RULE_NONE && reason != NULL && reason[0] == '\0');
        CHECK(b.id > 0 && b.equipment == n.eq && b.enterprise == n.ent && b.start == q.start && b.end == q.end &&
              b.units == 1 && b.status == PSP_BOOKING_STATUS_PENDING && b.created == MON_0800 &&
              b.cancellation_fee == 0 && b.note != NULL && strcmp(b.note, "质谱分析 x2") == 0);
        b1 = b.id;

        /* A second unit fits; a third does not (capacity 2), and the refusal says why. */
        q.note = NULL;
        OK(psp_booking_book(NULL, &rule, NULL, db, &firm, &q));
        CHECK(rule == PSP_RULE_NONE);
        b2 = b1 + 1;
        memset(&b, 0, sizeof b);
        b.version = PSP_BOOKING_VERSION;
        OK(psp_booking_book(&b, &rule, &reason, db, &firm, &q));
        CHECK(rule == PSP_RULE_CAPACITY && b.id == 0 && reason != NULL && strstr(reason, "capacity") != NULL);

        /* Misuse is an error, not a refusal. */
        FAILS(psp_booking_book(&b, NULL, &reason, db, &firm, &q), PSP_EINVALID, "out_refused_by");
        FAILS(psp_booking_book(&b, &rule, &reason, NULL, &firm, &q), PSP_EINVALID, "db");
        FAILS(psp_booking_book(&b, &rule, &reason, db, NULL, &q), PSP_EINVALID, "actor");
        FAILS(psp_booking_book(&b, &rule, &reason, db, &firm, NULL), PSP_EINVALID, "request");
        q.version = 0;
        FAILS(psp_booking_book(&b, &rule, &reason, db, &firm, &q), PSP_EINVALID, "request");
        q.version = PSP_BOOKING_REQUEST_VERSION;
        b.version = 7;
        FAILS(psp_booking_book(&b, &rule, &reason, db, &firm, &q), PSP_EINVALID, "out");
        b.version = PSP_BOOKING_VERSION;
        q.note = bad_utf8;
        FAILS(psp_booking_book(&b, &rule, &reason, db, &firm, &q), PSP_EINVALID, "request.note");
        q.note = surrogate;
        FAILS(psp_booking_book(&b, &rule, &reason, db, &firm, &q), PSP_EINVALID, "UTF-8");
        q.note = NULL;
        q.start = LOCAL(1, 12, 0);
        q.end = LOCAL(1, 10, 0);
        FAILS(psp_booking_book(&b, &rule, &reason, db, &firm, &q), PSP_EINVALID, "period");
        q.end = q.start;
        FAILS(psp_booking_book(&b, &rule, &reason, db, &firm, &q), PSP_EINVALID, "period");
        q.start = LOCAL(3, 10, 0);
        q.end = LOCAL(3, 11, 0);
        q.units = 0;
        FAILS(psp_booking_book(&b, &rule, &reason, db, &firm, &q), PSP_EINVALID, "units");
        q.units = 1;
        q.equipment = 555;
        FAILS(psp_booking_book(&b, &rule, &reason, db, &firm, &q), PSP_ENOTFOUND, "555");
        q.equipment = n.eq;
        q.enterprise = 556;
        FAILS(psp_booking_book(&b, &rule, &reason, db, &office_a, &q), PSP_ENOTFOUND, "556");
        q.enterprise = n.ent;
        FAILS(psp_booking_book(&b, &rule, &reason, db, &nobody, &q), PSP_EPERM, "psp_booking_book");
        FAILS(psp_booking_book(&b, &rule, &reason, db, &rival, &q), PSP_EPERM, "psp_booking_book");
    }

    /* Each rule refuses by name. */
    CHECK(book(db, &firm, n.eq, n.ent, LOCAL(2, 10, 0), LOCAL(2, 11, 0), &rule) == 0);
    CHECK(rule == PSP_RULE_BLACKOUT);
    CHECK(book(db, &firm, n.eq, n.ent, LOCAL(5, 10, 0), LOCAL(5, 11, 0), &rule) == 0); /* Saturday */
    CHECK(rule == PSP_RULE_OPENING_HOURS);
    CHECK(book(db, &firm, n.eq, n.ent, LOCAL(3, 10, 15), LOCAL(3, 11, 15), &rule) == 0);
    CHECK(rule == PSP_RULE_SLOT_GRID);
    CHECK(book(db, &firm, n.eq, n.ent, LOCAL(3, 10, 0), LOCAL(3, 10, 30), &rule) == 0);
    CHECK(rule == PSP_RULE_MIN_DURATION);
    CHECK(book(db, &firm, n.eq, n.ent, LOCAL(3, 8, 0), LOCAL(3, 13, 0), &rule) == 0);
    CHECK(rule == PSP_RULE_MAX_DURATION);
    CHECK(book(db, &firm, n.eq, n.ent, LOCAL(-3, 10, 0), LOCAL(-3, 11, 0), &rule) == 0);
    CHECK(rule == PSP_RULE_IN_PAST);
    CHECK(book(db, &firm, n.eq, n.ent, LOCAL(0, 8, 30), LOCAL(0, 9, 30), &rule) == 0);
    CHECK(rule == PSP_RULE_MIN_NOTICE);
    CHECK(book(db, &firm, n.eq, n.ent, LOCAL(45, 10, 0), LOCAL(45, 11, 0), &rule) == 0);
    CHECK(rule == PSP_RULE_MAX_HORIZON);

    /* Approve and reject are the operator's; from the wrong state they are refused. */
    {
        psp_booking b = PSP_BOOKING_INIT;
        FAILS(psp_booking_approve(&b, db, &firm, b1), PSP_EPERM, "psp_booking_approve");
        FAILS(psp_booking_approve(&b, db, &other_op, b1), PSP_EPERM, "psp_booking_approve");
        OK(psp_booking_approve(&b, db, &op, b1));
        CHECK(b.id == b1 && b.status == PSP_BOOKING_STATUS_CONFIRMED && strcmp(b.note, "质谱分析 x2") == 0);
        FAILS(psp_booking_approve(&b, db, &op, b1), PSP_EREFUSED, "pending");
        OK(psp_booking_reject(NULL, db, &op, b2));
        OK(psp_booking_get(&b, db, b2));
        CHECK(b.status == PSP_BOOKING_STATUS_REJECTED && b.note != NULL && b.note[0] == '\0');
        FAILS(psp_booking_reject(&b, db, &op, b2), PSP_EREFUSED, "rejected");
        FAILS(psp_booking_approve(&b, db, &op, 9999), PSP_ENOTFOUND, "9999");
        FAILS(psp_booking_get(&b, db, 9999), PSP_ENOTFOUND, "9999");
        FAILS(psp_booking_get(&b, db, 0), PSP_ENOTFOUND, "psp_booking_get");
        FAILS(psp_booking_get(NULL, db, b1), PSP_EINVALID, "out");
        b.version = 0;
        FAILS(psp_booking_get(&b, db, b1), PSP_EINVALID, "out");
        FAILS(psp_booking_approve(&b, db, &op, b1), PSP_EINVALID, "out");
        FAILS(psp_booking_cancel(NULL, db, NULL, b1), PSP_EINVALID, "actor");
    }

    /* Monday: b4 09:00 (to be used), b5 10:00 (a no-show), b6 14:00 (cancelled late, with the
     * fee); b7 on Friday (cancelled in time, free). */
    b4 = book(db, &firm, n.eq, n.ent, LOCAL(0, 9, 0), LOCAL(0, 10, 0), &rule);
    b5 = book(db, &op, n.eq, n.ent, LOCAL(0, 10, 0), LOCAL(0, 11, 0), &rule); /* the operator books for it */
    b6 = book(db, &firm, n.eq, n.ent, LOCAL(0, 14, 0), LOCAL(0, 15, 0), &rule);
    b7 = book(db, &firm, n.eq, n.ent, LOCAL(4, 14, 0), LOCAL(4, 15, 0), &rule);
    CHECK(b4 > 0 && b5 > 0 && b6 > 0 && b7 > 0);
    OK(psp_booking_approve(NULL, db, &op, b4));
    OK(psp_booking_approve(NULL, db, &op, b5));
    OK(psp_booking_approve(NULL, db, &office_a, b6));
    {
        psp_booking b = PSP_BOOKING_INIT;
        FAILS(psp_booking_cancel(&b, db, &rival, b6), PSP_EPERM, "psp_booking_cancel");
        FAILS(psp_booking_cancel(&b, db, &other_op, b6), PSP_EPERM, "psp_booking_cancel");
        OK(psp_booking_cancel(&b, db, &firm, b6));
        CHECK(b.status == PSP_BOOKING_STATUS_CANCELLED && b.cancellation_fee == 5000);
        FAILS(psp_booking_cancel(&b, db, &firm, b6), PSP_EREFUSED, "cancelled");
        OK(psp_booking_cancel(&b, db, &op, b7)); /* still pending, days ahead: no fee */
        CHECK(b.status == PSP_BOOKING_STATUS_CANCELLED && b.cancellation_fee == 0);
        FAILS(psp_booking_cancel(&b, db, &firm, 9999), PSP_ENOTFOUND, "9999");
        FAILS(psp_booking_complete(&b, db, &op, b4), PSP_EREFUSED, "checked-in");

        booking_now = LOCAL(0, 9, 5);
        FAILS(psp_booking_check_in(&b, db, &firm, b4), PSP_EPERM, "psp_booking_check_in");
        OK(psp_booking_check_in(&b, db, &op, b4));
        CHECK(b.status == PSP_BOOKING_STATUS_CHECKED_IN);
        OK(psp_booking_complete(&b, db, &op, b4));
        CHECK(b.status == PSP_BOOKING_STATUS_COMPLETED);

        /* After b5's grace period: a no-show, marked by the promotion office only. */
        booking_now = LOCAL(0, 10, 20);
        psp_booking_iter *it = NULL;
        FAILS(psp_booking_mark_no_shows(&it, db, &op), PSP_EPERM, "psp_booking_mark_no_shows");
        CHECK(it == NULL);
        OK(psp_booking_mark_no_shows(&it, db, &office_a));
        OK(psp_booking_iter_next(&b, it));
        CHECK(b.id == b5 && b.status == PSP_BOOKING_STATUS_NO_SHOW);
        CHECK(psp_booking_iter_next(&b, it) == PSP_ITEROVER);
        psp_booking_iter_free(it);
        OK(psp_booking_mark_no_shows(NULL, db, &office_a)); /* nothing more due */
        FAILS(psp_booking_check_in(&b, db, &op, b5), PSP_EREFUSED, "no_show");
        OK(psp_booking_get(&b, db, b5));
        CHECK(b.status == PSP_BOOKING_STATUS_NO_SHOW);
    }

    /* The ledger's queries. */
    {
        psp_booking_iter *it = NULL;
        OK(psp_bookings_of_equipment_iter_new(&it, db, n.eq, LOCAL(0, 0, 0), LOCAL(7, 0, 0)));
        CHECK(count_bookings(it) == 6);
        OK(psp_bookings_of_enterprise_iter_new(&it, db, n.ent, LOCAL(0, 0, 0), LOCAL(7, 0, 0)));
        CHECK(count_bookings(it) == 6);
        OK(psp_bookings_of_enterprise_iter_new(&it, db, ent2, LOCAL(0, 0, 0), LOCAL(7, 0, 0)));
        CHECK(count_bookings(it) == 0);
        OK(psp_bookings_of_platform_iter_new(&it, db, n.backbone, LOCAL(0, 0, 0), LOCAL(1, 0, 0)));
        CHECK(count_bookings(it) == 3); /* Monday: b4, b5, b6 */
        OK(psp_bookings_of_platform_iter_new(&it, db, n.plain, LOCAL(0, 0, 0), LOCAL(7, 0, 0)));
        CHECK(count_bookings(it) == 0);
        it = (psp_booking_iter *)&it;
        FAILS(psp_bookings_of_equipment_iter_new(&it, db, n.eq, LOCAL(7, 0, 0), LOCAL(0, 0, 0)), PSP_EINVALID, "window");
        CHECK(it == NULL);
        FAILS(psp_bookings_of_enterprise_iter_new(&it, db, n.ent, LOCAL(1, 0, 0), LOCAL(1, 0, 0)), PSP_EINVALID, "window");
        FAILS(psp_bookings_of_platform_iter_new(&it, db, n.backbone, 10, 5), PSP_EINVALID, "window");
        FAILS(psp_bookings_of_equipment_iter_new(&it, db, 555, LOCAL(0, 0, 0), LOCAL(7, 0, 0)), PSP_ENOTFOUND, "555");
        FAILS(psp_bookings_of_enterprise_iter_new(&it, db, 555, LOCAL(0, 0, 0), LOCAL(7, 0, 0)), PSP_ENOTFOUND, "555");
        FAILS(psp_bookings_of_platform_iter_new(&it, db, 555, LOCAL(0, 0, 0), LOCAL(7, 0, 0)), PSP_ENOTFOUND, "555");
        FAILS(psp_bookings_of_platform_iter_new(NULL, db, n.backbone, 0, 1), PSP_EINVALID, "out");
        FAILS(psp_booking_iter_next(NULL, NULL), PSP_EINVALID, "out");
        psp_booking row = PSP_BOOKING_INIT;
        FAILS(psp_booking_iter_next(&row, NULL), PSP_EINVALID, "it");
        psp_booking_iter_free(NULL);
    }
    {
        /* Thursday is empty: one free period, the whole opening day; Tuesday has b1 (1 of 2 units). */
        psp_free_slot_iter *it = NULL;
        psp_period p = {0, 0};
        int rows = 0;
        OK(psp_free_slot_iter_new(&it, db, n.eq, LOCAL(3, 0, 0), LOCAL(4, 0, 0), 60, 1));
        OK(psp_free_slot_iter_next(&p, it));
        CHECK(p.start == LOCAL(3, 8, 0) && p.end == LOCAL(3, 18, 0));
        CHECK(psp_free_slot_iter_next(&p, it) == PSP_ITEROVER);
        psp_free_slot_iter_free(it);
        OK(psp_free_slot_iter_new(&it, db, n.eq, LOCAL(1, 0, 0), LOCAL(2, 0, 0), 60, 2));
        while (psp_free_slot_iter_next(&p, it) == 0) {
            CHECK(p.end - p.start >= 3600);
            CHECK(p.end <= LOCAL(1, 10, 0) || p.start >= LOCAL(1, 12, 0)); /* both units only around b1 */
            ++rows;
        }
        CHECK(rows == 2);
        psp_free_slot_iter_free(it);
        psp_free_slot_iter_free(NULL);
        FAILS(psp_free_slot_iter_new(&it, db, n.eq, LOCAL(4, 0, 0), LOCAL(3, 0, 0), 60, 1), PSP_EINVALID, "window");
        FAILS(psp_free_slot_iter_new(&it, db, n.eq, LOCAL(3, 0, 0), LOCAL(4, 0, 0), 0, 1), PSP_EINVALID, "min_minutes");
        FAILS(psp_free_slot_iter_new(&it, db, n.eq, LOCAL(3, 0, 0), LOCAL(4, 0, 0), 60, 0), PSP_EINVALID, "units");
        FAILS(psp_free_slot_iter_new(&it, db, 555, LOCAL(3, 0, 0), LOCAL(4, 0, 0), 60, 1), PSP_ENOTFOUND, "555");
        FAILS(psp_free_slot_iter_next(NULL, it), PSP_EINVALID, "out");
    }
    {
        int64_t ids[2], which = -1;
        psp_period p = {1, 1};
        ids[0] = n.eq;
        OK(psp_earliest_slot(&which, &p, db, ids, 1, LOCAL(3, 0, 0), LOCAL(4, 0, 0), 60, 1));
        CHECK(which == n.eq && p.start == LOCAL(3, 8, 0) && p.end == LOCAL(3, 9, 0));
        OK(psp_earliest_slot(&which, &p, db, ids, 1, LOCAL(5, 0, 0), LOCAL(7, 0, 0), 60, 1)); /* the weekend */
        CHECK(which == 0 && p.start == 0 && p.end == 0);
        OK(psp_earliest_slot(&which, NULL, db, NULL, 0, LOCAL(3, 0, 0), LOCAL(4, 0, 0), 60, 1));
        CHECK(which == 0);
        ids[1] = 555;
        FAILS(psp_earliest_slot(&which, &p, db, ids, 2, LOCAL(3, 0, 0), LOCAL(4, 0, 0), 60, 1), PSP_ENOTFOUND, "555");
        FAILS(psp_earliest_slot(&which, &p, db, NULL, 1, LOCAL(3, 0, 0), LOCAL(4, 0, 0), 60, 1), PSP_EINVALID, "equipment");
        FAILS(psp_earliest_slot(NULL, &p, db, ids, 1, LOCAL(3, 0, 0), LOCAL(4, 0, 0), 60, 1), PSP_EINVALID, "out_equipment");
        FAILS(psp_earliest_slot(&which, &p, db, ids, 1, LOCAL(4, 0, 0), LOCAL(3, 0, 0), 60, 1), PSP_EINVALID, "window");
    }
    {
        /* Monday: open 08:00-18:00; b4 booked and used an hour; b5 (no-show) and b6 (cancelled) count not. */
        psp_utilisation u = PSP_UTILISATION_INIT;
        OK(psp_equipment_utilisation(&u, db, n.eq, LOCAL(0, 0, 0), LOCAL(1, 0, 0)));
        CHECK(u.open_seconds == 2 * 36000 && u.booked_seconds == 3600 && u.used_seconds == 3600); /* 10 h x 2 units */
        CHECK(u.booked_share > 0.0499 && u.booked_share < 0.0501 && u.used_share == u.booked_share);
        OK(psp_platform_utilisation(&u, db, n.backbone, LOCAL(0, 0, 0), LOCAL(1, 0, 0)));
        CHECK(u.open_seconds == 2 * 36000 && u.booked_seconds == 3600 && u.used_seconds == 3600);
        OK(psp_platform_utilisation(&u, db, n.plain, LOCAL(0, 0, 0), LOCAL(1, 0, 0)));
        CHECK(u.open_seconds == 0 && u.booked_share == 0.0);
        FAILS(psp_equipment_utilisation(&u, db, n.eq, LOCAL(1, 0, 0), LOCAL(0, 0, 0)), PSP_EINVALID, "window");
        FAILS(psp_platform_utilisation(&u, db, n.plain, LOCAL(1, 0, 0), LOCAL(0, 0, 0)), PSP_EINVALID, "window");
        FAILS(psp_equipment_utilisation(&u, db, 555, LOCAL(0, 0, 0), LOCAL(1, 0, 0)), PSP_ENOTFOUND, "555");
        FAILS(psp_platform_utilisation(&u, db, 555, LOCAL(0, 0, 0), LOCAL(1, 0, 0)), PSP_ENOTFOUND, "555");
        FAILS(psp_equipment_utilisation(NULL, db, n.eq, LOCAL(0, 0, 0), LOCAL(1, 0, 0)), PSP_EINVALID, "out");
        u.version = 2;
        FAILS(psp_platform_utilisation(&u, db, n.backbone, LOCAL(0, 0, 0), LOCAL(1, 0, 0)), PSP_EINVALID, "out");
    }
    {
        /* Every transition is journaled with its actor. */
        psp_journal_query q = PSP_JOURNAL_QUERY_INIT;
        psp_journal_iter *it = NULL;
        psp_journal_entry e = PSP_JOURNAL_ENTRY_INIT;
        int rows = 0;
        q.entity = PSP_ENTITY_BOOKING;
        q.has_entity_id = 1;
        q.entity_id = b6;
        OK(psp_journal_iter_new(&it, db, &q));
        while (psp_journal_iter_next(&e, it) == 0) ++rows;
        psp_journal_iter_free(it);
        CHECK(rows == 3); /* add, approve, cancel */
    }
    psp_db_close(db);

    /* Reopened, the ledger, rules, calendars and training are as they were. */
    db = NULL;
    OK(psp_db_open(&db, path, &o));
    if (db != NULL) {
        psp_booking b = PSP_BOOKING_INIT;
        OK(psp_booking_get(&b, db, b6));
        CHECK(b.status == PSP_BOOKING_STATUS_CANCELLED && b.cancellation_fee == 5000 && b.start == LOCAL(0, 14, 0));
        OK(psp_booking_get(&b, db, b1));
        CHECK(b.status == PSP_BOOKING_STATUS_CONFIRMED && strcmp(b.note, "质谱分析 x2") == 0 && b.created == MON_0800);
        OK(psp_booking_rules_get(&got, db, n.eq));
        CHECK(got.approval_required == 1 && got.late_cancel_fee == 5000 && got.blackout_count == 1);
        OK(psp_training_get(&has, db, n.ent, n.cls));
        CHECK(has == 1);
        OK(psp_equipment_calendar_get(&text, db, n.eq));
        CHECK(text != NULL && strstr(text, "18:00") != NULL);
        psp_free(text);
        /* An iterator keeps the database alive. */
        psp_booking_iter *it = NULL;
        OK(psp_bookings_of_equipment_iter_new(&it, db, n.eq, LOCAL(0, 0, 0), LOCAL(7, 0, 0)));
        psp_db_close(db);
        CHECK(count_bookings(it) == 6);
    }
    remove(path);
}

/* ---- Batches, series, the waitlist --------------------------------------------------------- */

static int64_t series_now = MON_0800;

static psp_booking_request request_for(int64_t eq, int64_t ent, int64_t start, int64_t end, int units) {
    psp_booking_request q = PSP_BOOKING_REQUEST_INIT;
    q.equipment = eq;
    q.enterprise = ent;
    q.start = start;
    q.end = end;
    q.units = units;
    return q;
}

/* Rows of an outcome iterator into outs[0..cap); frees the iterator and returns the count. */
static int drain_outcomes(psp_booking_outcome_iter *it, psp_booking_outcome *outs, int cap, char reasons[][128]) {
    psp_booking_outcome o = PSP_BOOKING_OUTCOME_INIT;
    int rows = 0, rc;
    while ((rc = psp_booking_outcome_iter_next(&o, it)) == 0) {
        if (rows < cap) {
            outs[rows] = o;
            CHECK(o.reason != NULL);
            snprintf(reasons[rows], 128, "%s", o.reason != NULL ? o.reason : "(null)");
            outs[rows].reason = reasons[rows]; /* borrowed: copied before the next call */
        }
        ++rows;
    }
    CHECK(rc == PSP_ITEROVER);
    psp_booking_outcome_iter_free(it);
    return rows;
}

static void test_booking_batch_series_waitlist(void) {
    psp_actor office_a = office();
    psp_actor op = PSP_ACTOR_INIT, firm = PSP_ACTOR_INIT, rival = PSP_ACTOR_INIT, nobody = PSP_ACTOR_INIT;
    psp_open_options o = PSP_OPEN_OPTIONS_INIT;
    psp_db *db = NULL;
    struct net n;
    int64_t ent2 = 0, single = 0;
    psp_booking_outcome outs[8];
    char reasons[8][128];
    memset(&n, 0, sizeof n);

    /* Inits and enum names. */
    {
        psp_booking_outcome oc;
        psp_recurrence r;
        psp_waitlist_entry w;
        psp_booking b;
        memset(&oc, 0xAB, sizeof oc);
        OK(psp_booking_outcome_init(&oc, PSP_BOOKING_OUTCOME_VERSION));
        CHECK(oc.booked == 0 && oc.booking == 0 && oc.refused_by == PSP_RULE_NONE && oc.reason == NULL);
        FAILS(psp_booking_outcome_init(&oc, 2), PSP_EINVALID, "version");
        FAILS(psp_booking_outcome_init(NULL, 1), PSP_EINVALID, "outcome");
        OK(psp_recurrence_init(&r, PSP_RECURRENCE_VERSION));
        CHECK(r.every == PSP_EVERY_WEEK && r.interval == 1 && r.count == 0 && r.until == 0);
        FAILS(psp_recurrence_init(&r, 0), PSP_EINVALID, "version");
        memset(&w, 0xAB, sizeof w);
        OK(psp_waitlist_entry_init(&w, PSP_WAITLIST_ENTRY_VERSION));
        CHECK(w.version == 2 && w.id == 0 && w.units == 1 && w.note == NULL && w.status == PSP_WAIT_WAITING &&
              w.booking == 0 && w.voucher_scheme == 0);
        FAILS(psp_waitlist_entry_init(&w, 3), PSP_EINVALID, "version");
        /* A version-1 caller's struct ends before voucher_scheme: init writes only its bytes. */
        memset(&w, 0xAB, sizeof w);
        OK(psp_waitlist_entry_init(&w, 1));
        CHECK(w.version == 1 && w.booking == 0);
        {
            int64_t untouched;
            memset(&untouched, 0xAB, sizeof untouched);
            CHECK(memcmp(&w.voucher_scheme, &untouched, sizeof untouched) == 0);
        }
        memset(&b, 0xAB, sizeof b);
        OK(psp_booking_init(&b, PSP_BOOKING_VERSION));
        CHECK(b.series == 0);
        CHECK(strcmp(psp_enum_name(PSP_ENUM_WAIT_STATUS, PSP_WAIT_WITHDRAWN), "withdrawn") == 0);
        CHECK(psp_enum_count(PSP_ENUM_WAIT_STATUS) == PSP_WAIT_STATUS_COUNT);
        CHECK(psp_enum_name(PSP_ENUM_WAIT_STATUS, PSP_WAIT_STATUS_COUNT) == NULL);
    }

    o.clock = test_clock;
    o.clock_context = &series_now;
    OK(psp_db_open(&db, ":memory:", &o));
    if (db == NULL) return;
    build(db, &n);
    {
        psp_enterprise e = PSP_ENTERPRISE_INIT;
        e.name = "Rival firm";
        e.zone = n.z2;
        OK(psp_enterprise_add(&ent2, db, &office_a, &e));
    }
    op.role = PSP_ROLE_PLATFORM_OPERATOR;
    op.platform = n.backbone;
    firm.role = PSP_ROLE_ENTERPRISE;
    firm.enterprise = n.ent;
    rival.role = PSP_ROLE_ENTERPRISE;
    rival.enterprise = ent2;
    OK(psp_platform_calendar_set(db, &op, n.backbone, week_0800_1800));

    /* A batch: the second request sees the first (both units taken) and is refused by capacity. */
    {
        psp_booking_request r0 = request_for(n.eq, n.ent, LOCAL(1, 10, 0), LOCAL(1, 11, 0), 2);
        psp_booking_request r1 = request_for(n.eq, n.ent, LOCAL(1, 10, 0), LOCAL(1, 11, 0), 1);
        psp_booking_request r2 = request_for(n.eq, n.ent, LOCAL(1, 11, 0), LOCAL(1, 12, 0), 1);
        psp_booking_request foreign = request_for(n.eq, ent2, LOCAL(1, 14, 0), LOCAL(1, 15, 0), 1);
        psp_booking_request unknown = request_for(555, n.ent, LOCAL(1, 14, 0), LOCAL(1, 15, 0), 1);
        const psp_booking_request *reqs[3];
        psp_booking_outcome_iter *it = NULL;
        psp_booking b = PSP_BOOKING_INIT;
        psp_booking_iter *bit = NULL;
        reqs[0] = &r0;
        reqs[1] = &r1;
        reqs[2] = &r2;
        r2.note = "批量";

        /* Misuse refuses the whole batch; nothing is booked. */
        it = (psp_booking_outcome_iter *)&it;
        reqs[1] = &foreign;
        FAILS(psp_booking_book_batch(&it, db, &firm, reqs, 3), PSP_EPERM, "psp_booking_book_batch");
        CHECK(it == NULL);
        reqs[1] = &unknown;
        FAILS(psp_booking_book_batch(&it, db, &firm, reqs, 3), PSP_ENOTFOUND, "555");
        reqs[1] = NULL;
        FAILS(psp_booking_book_batch(&it, db, &firm, reqs, 3), PSP_EINVALID, "requests[1]");
        reqs[1] = &r1;
        r1.version = 99;
        FAILS(psp_booking_book_batch(&it, db, &firm, reqs, 3), PSP_EINVALID, "requests[1]");
        r1.version = PSP_BOOKING_REQUEST_VERSION;
        r1.units = 0;
        FAILS(psp_booking_book_batch(&it, db, &firm, reqs, 3), PSP_EINVALID, "units");
        r1.units = 1;
        r1.note = bad_utf8;
        FAILS(psp_booking_book_batch(&it, db, &firm, reqs, 3), PSP_EINVALID, "requests[1].note");
        r1.note = NULL;
        r1.units = 1;
        FAILS(psp_booking_book_batch(&it, db, &firm, NULL, 3), PSP_EINVALID, "requests");
        FAILS(psp_booking_book_batch(&it, db, NULL, reqs, 3), PSP_EINVALID, "actor");
        FAILS(psp_booking_book_batch(&it, NULL, &firm, reqs, 3), PSP_EINVALID, "db");
        FAILS(psp_booking_book_batch(&it, db, &nobody, reqs, 3), PSP_EPERM, "psp_booking_book_batch");
        OK(psp_bookings_of_equipment_iter_new(&bit, db, n.eq, LOCAL(0, 0, 0), LOCAL(7, 0, 0)));
        CHECK(count_bookings(bit) == 0);

        /* An empty batch is fine. */
        OK(psp_booking_book_batch(&it, db, &firm, NULL, 0));
        CHECK(drain_outcomes(it, outs, 8, reasons) == 0);

        OK(psp_booking_book_batch(&it, db, &firm, reqs, 3));
        CHECK(drain_outcomes(it, outs, 8, reasons) == 3);
        CHECK(outs[0].booked && outs[0].booking > 0 && outs[0].refused_by == PSP_RULE_NONE && outs[0].reason[0] == '\0');
        CHECK(outs[0].start == LOCAL(1, 10, 0) && outs[0].end == LOCAL(1, 11, 0));
        CHECK(!outs[1].booked && outs[1].booking == 0 && outs[1].refused_by == PSP_RULE_CAPACITY);
        CHECK(outs[1].reason[0] != '\0' && outs[1].start == LOCAL(1, 10, 0) && outs[1].end == LOCAL(1, 11, 0));
        CHECK(outs[2].booked && outs[2].booking > outs[0].booking && outs[2].refused_by == PSP_RULE_NONE);
        single = outs[2].booking;
        OK(psp_booking_get(&b, db, outs[2].booking));
        CHECK(b.enterprise == n.ent && b.series == 0 && strcmp(b.note, "批量") == 0 && b.start == LOCAL(1, 11, 0));
        OK(psp_booking_book_batch(NULL, db, &firm, reqs + 2, 1)); /* out may be NULL: r2 again, 1 unit left */

        /* The outcome iterator's own argument checks. */
        OK(psp_booking_book_batch(&it, db, &firm, reqs, 1));
        {
            psp_booking_outcome oc = PSP_BOOKING_OUTCOME_INIT;
            FAILS(psp_booking_outcome_iter_next(NULL, it), PSP_EINVALID, "out");
            oc.version = 0;
            FAILS(psp_booking_outcome_iter_next(&oc, it), PSP_EINVALID, "out");
            oc.version = PSP_BOOKING_OUTCOME_VERSION;
            FAILS(psp_booking_outcome_iter_next(&oc, NULL), PSP_EINVALID, "it");
            OK(psp_booking_outcome_iter_next(&oc, it));
            CHECK(!oc.booked && oc.refused_by == PSP_RULE_CAPACITY);
            CHECK(psp_booking_outcome_iter_next(&oc, it) == PSP_ITEROVER);
        }
        psp_booking_outcome_iter_free(it);
        psp_booking_outcome_iter_free(NULL);
    }

    /* Series. The rival holds both units on the second Wednesday at 14:00. */
    {
        psp_booking_request first = request_for(n.eq, n.ent, LOCAL(2, 14, 0), LOCAL(2, 15, 0), 1);
        psp_booking_request held = request_for(n.eq, ent2, LOCAL(9, 14, 0), LOCAL(9, 15, 0), 1);
        psp_recurrence weekly = PSP_RECURRENCE_INIT;
        psp_recurrence daily = PSP_RECURRENCE_INIT;
        psp_booking_iter *booked = (psp_booking_iter *)&booked;
        psp_booking_outcome_iter *skipped = (psp_booking_outcome_iter *)&skipped;
        psp_booking b = PSP_BOOKING_INIT;
        psp_booking_iter *bit = NULL;
        int64_t series = -1, ids[3];
        int rows = 0, rule = -1;
        weekly.count = 3;
        /* Two bookings of one unit each (the waitlist below needs one of them cancelled). */
        CHECK(book(db, &rival, held.equipment, held.enterprise, held.start, held.end, &rule) > 0);
        CHECK(book(db, &rival, held.equipment, held.enterprise, held.start, held.end, &rule) > 0);

        /* Misuse. */
        FAILS(psp_booking_book_series(&series, &booked, &skipped, db, &firm, &first, &weekly, 2), PSP_EINVALID, "mode");
        CHECK(series == 0 && booked == NULL && skipped == NULL);
        FAILS(psp_booking_book_series(&series, &booked, &skipped, db, &firm, &first, &weekly, -1), PSP_EINVALID, "mode");
        weekly.every = 2;
        FAILS(psp_booking_book_series(&series, &booked, &skipped, db, &firm, &first, &weekly, 0), PSP_EINVALID,
              "recurrence.every");
        weekly.every = PSP_EVERY_WEEK;
        weekly.interval = 0;
        FAILS(psp_booking_book_series(&series, &booked, &skipped, db, &firm, &first, &weekly, 0), PSP_EINVALID, "interval");
        weekly.interval = 1;
        weekly.version = 0;
        FAILS(psp_booking_book_series(&series, &booked, &skipped, db, &firm, &first, &weekly, 0), PSP_EINVALID, "recurrence");
        weekly.version = PSP_RECURRENCE_VERSION;
        FAILS(psp_booking_book_series(&series, &booked, &skipped, db, &firm, &first, NULL, 0), PSP_EINVALID, "recurrence");
        FAILS(psp_booking_book_series(&series, &booked, &skipped, db, &firm, NULL, &weekly, 0), PSP_EINVALID, "first");
        FAILS(psp_booking_book_series(&series, &booked, &skipped, db, &rival, &first, &weekly, 0), PSP_EPERM,
              "psp_booking_book_series");
        first.equipment = 555;
        FAILS(psp_booking_book_series(&series, &booked, &skipped, db, &firm, &first, &weekly, 0), PSP_ENOTFOUND, "555");
        first.equipment = n.eq;

        /* All or nothing: the second week refuses the whole series. */
        OK(psp_booking_book_series(&series, &booked, &skipped, db, &firm, &first, &weekly, PSP_SERIES_ALL_OR_NOTHING));
        CHECK(series == 0);
        CHECK(count_bookings(booked) == 0);
        rows = drain_outcomes(skipped, outs, 8, reasons);
        CHECK(rows >= 1);
        CHECK(!outs[0].booked && outs[0].refused_by == PSP_RULE_CAPACITY && outs[0].start == LOCAL(9, 14, 0) &&
              outs[0].reason[0] != '\0');
        OK(psp_bookings_of_enterprise_iter_new(&bit, db, n.ent, LOCAL(2, 0, 0), LOCAL(30, 0, 0)));
        CHECK(count_bookings(bit) == 0);

        /* Skip conflicts: weeks one and three are booked, week two skipped. */
        OK(psp_booking_book_series(&series, &booked, &skipped, db, &firm, &first, &weekly, PSP_SERIES_SKIP_CONFLICTS));
        CHECK(series > 0);
        rows = 0;
        while (psp_booking_iter_next(&b, booked) == 0) {
            if (rows < 3) ids[rows] = b.id;
            CHECK(b.series == series && b.enterprise == n.ent && b.units == 1);
            CHECK(b.start == (rows == 0 ? LOCAL(2, 14, 0) : LOCAL(16, 14, 0)));
            ++rows;
        }
        psp_booking_iter_free(booked);
        CHECK(rows == 2 && ids[0] == series);
        CHECK(drain_outcomes(skipped, outs, 8, reasons) == 1);
        CHECK(!outs[0].booked && outs[0].refused_by == PSP_RULE_CAPACITY && outs[0].start == LOCAL(9, 14, 0) &&
              outs[0].end == LOCAL(9, 15, 0));
        OK(psp_booking_get(&b, db, ids[1]));
        CHECK(b.series == series);

        /* Daily until Friday 09:00, every output NULL. */
        daily.every = PSP_EVERY_DAY;
        daily.until = LOCAL(4, 9, 0);
        first.start = LOCAL(3, 9, 0);
        first.end = LOCAL(3, 10, 0);
        OK(psp_booking_book_series(NULL, NULL, NULL, db, &firm, &first, &daily, PSP_SERIES_SKIP_CONFLICTS));
        OK(psp_bookings_of_enterprise_iter_new(&bit, db, n.ent, LOCAL(3, 0, 0), LOCAL(5, 0, 0)));
        CHECK(count_bookings(bit) == 2);

        /* Cancelling from Thursday on: only the third week's occurrence. */
        FAILS(psp_booking_cancel_series(&booked, db, &firm, 9999, 0), PSP_ENOTFOUND, "series");
        CHECK(booked == NULL);
        FAILS(psp_booking_cancel_series(&booked, db, &firm, single, 0), PSP_ENOTFOUND, "series"); /* not a series */
        FAILS(psp_booking_cancel_series(&booked, db, &rival, series, 0), PSP_EPERM, "psp_booking_cancel_series");
        FAILS(psp_booking_cancel_series(&booked, db, NULL, series, 0), PSP_EINVALID, "actor");
        FAILS(psp_booking_cancel_series(&booked, NULL, &firm, series, 0), PSP_EINVALID, "db");
        OK(psp_booking_cancel_series(&booked, db, &firm, series, LOCAL(3, 0, 0)));
        OK(psp_booking_iter_next(&b, booked));
        CHECK(b.id == ids[1] && b.status == PSP_BOOKING_STATUS_CANCELLED && b.series == series);
        CHECK(psp_booking_iter_next(&b, booked) == PSP_ITEROVER);
        psp_booking_iter_free(booked);
        OK(psp_booking_get(&b, db, ids[0]));
        CHECK(b.status == PSP_BOOKING_STATUS_CONFIRMED);
        OK(psp_booking_cancel_series(NULL, db, &op, series, 0)); /* the operator may too: the first week */
        OK(psp_booking_get(&b, db, ids[0]));
        CHECK(b.status == PSP_BOOKING_STATUS_CANCELLED);
        OK(psp_booking_cancel_series(&booked, db, &firm, series, 0)); /* nothing left to cancel */
        CHECK(count_bookings(booked) == 0);
    }

    /* The waitlist: the firm waits for the rival's Wednesday slot. */
    {
        psp_booking_request wanted = request_for(n.eq, n.ent, LOCAL(9, 14, 0), LOCAL(9, 15, 0), 1);
        psp_booking_request later = request_for(n.eq, n.ent, LOCAL(10, 9, 0), LOCAL(10, 10, 0), 1);
        psp_waitlist_entry w = PSP_WAITLIST_ENTRY_INIT, other = PSP_WAITLIST_ENTRY_INIT;
        psp_waitlist_iter *wit = (psp_waitlist_iter *)&wit;
        psp_booking_iter *bit = NULL;
        psp_booking b = PSP_BOOKING_INIT;
        int64_t rival_ids[2];
        int rows = 0;
        wanted.note = "候补";

        FAILS(psp_waitlist_join(&w, db, &firm, NULL), PSP_EINVALID, "request");
        FAILS(psp_waitlist_join(&w, db, NULL, &wanted), PSP_EINVALID, "actor");
        FAILS(psp_waitlist_join(&w, db, &rival, &wanted), PSP_EPERM, "psp_waitlist_join");
        FAILS(psp_waitlist_join(&w, db, &nobody, &wanted), PSP_EPERM, "psp_waitlist_join");
        wanted.equipment = 555;
        FAILS(psp_waitlist_join(&w, db, &firm, &wanted), PSP_ENOTFOUND, "555");
        wanted.equipment = n.eq;
        w.version = 0;
        FAILS(psp_waitlist_join(&w, db, &firm, &wanted), PSP_EINVALID, "out");
        w.version = PSP_WAITLIST_ENTRY_VERSION;

        OK(psp_waitlist_join(&w, db, &firm, &wanted));
        CHECK(w.id > 0 && w.equipment == n.eq && w.enterprise == n.ent && w.start == LOCAL(9, 14, 0) &&
              w.end == LOCAL(9, 15, 0) && w.units == 1 && strcmp(w.note, "候补") == 0 && w.created == series_now &&
              w.status == PSP_WAIT_WAITING && w.booking == 0);
        OK(psp_waitlist_join(&other, db, &firm, &later));
        CHECK(other.id > w.id);
        FAILS(psp_waitlist_leave(&other, db, &rival, other.id), PSP_EPERM, "psp_waitlist_leave");
        FAILS(psp_waitlist_leave(&other, db, &firm, 9999), PSP_ENOTFOUND, "9999");
        FAILS(psp_waitlist_leave(&other, db, NULL, other.id), PSP_EINVALID, "actor");
        OK(psp_waitlist_leave(&other, db, &firm, other.id));
        CHECK(other.status == PSP_WAIT_WITHDRAWN);
        FAILS(psp_waitlist_leave(&other, db, &firm, other.id), PSP_EREFUSED, "withdrawn");
        FAILS(psp_waitlist_leave(NULL, db, &op, other.id), PSP_EREFUSED, "withdrawn");

        OK(psp_waitlist_iter_new(&wit, db, n.eq));
        while (psp_waitlist_iter_next(&other, wit) == 0) {
            CHECK(other.id == w.id && other.status == PSP_WAIT_WAITING && strcmp(other.note, "候补") == 0);
            ++rows;
        }
        CHECK(rows == 1);
        FAILS(psp_waitlist_iter_next(NULL, wit), PSP_EINVALID, "out");
        FAILS(psp_waitlist_iter_next(&other, NULL), PSP_EINVALID, "it");
        psp_waitlist_iter_free(wit);
        psp_waitlist_iter_free(NULL);
        FAILS(psp_waitlist_iter_new(&wit, db, 555), PSP_ENOTFOUND, "555");
        CHECK(wit == NULL);
        FAILS(psp_waitlist_iter_new(NULL, db, n.eq), PSP_EINVALID, "out");

        OK(psp_waitlist_take_promotions(&wit, db));
        CHECK(psp_waitlist_iter_next(&other, wit) == PSP_ITEROVER);
        psp_waitlist_iter_free(wit);
        FAILS(psp_waitlist_take_promotions(NULL, db), PSP_EINVALID, "out");
        FAILS(psp_waitlist_take_promotions(&wit, NULL), PSP_EINVALID, "db");

        FAILS(psp_waitlist_promote(&wit, db, &firm, n.eq), PSP_EPERM, "psp_waitlist_promote");
        CHECK(wit == NULL);
        FAILS(psp_waitlist_promote(&wit, db, NULL, n.eq), PSP_EINVALID, "actor");
        FAILS(psp_waitlist_promote(&wit, db, &op, 555), PSP_ENOTFOUND, "555");
        OK(psp_waitlist_promote(&wit, db, &op, n.eq)); /* the slot is still full: nothing to promote */
        CHECK(psp_waitlist_iter_next(&other, wit) == PSP_ITEROVER);
        psp_waitlist_iter_free(wit);

        /* The rival cancels one unit: the firm's entry is promoted to a booking. */
        OK(psp_bookings_of_enterprise_iter_new(&bit, db, ent2, LOCAL(9, 0, 0), LOCAL(10, 0, 0)));
        rows = 0;
        while (psp_booking_iter_next(&b, bit) == 0) if (rows < 2) rival_ids[rows++] = b.id;
        psp_booking_iter_free(bit);
        CHECK(rows == 2);
        if (rows == 2) OK(psp_booking_cancel(NULL, db, &rival, rival_ids[0]));
        OK(psp_waitlist_take_promotions(&wit, db));
        OK(psp_waitlist_iter_next(&other, wit));
        CHECK(other.id == w.id && other.status == PSP_WAIT_PROMOTED && other.booking > 0);
        CHECK(psp_waitlist_iter_next(&other, wit) == PSP_ITEROVER);
        psp_waitlist_iter_free(wit);
        OK(psp_booking_get(&b, db, other.booking));
        CHECK(b.enterprise == n.ent && b.start == LOCAL(9, 14, 0) && b.end == LOCAL(9, 15, 0) && b.series == 0);
        OK(psp_waitlist_take_promotions(&wit, db));
        CHECK(psp_waitlist_iter_next(&other, wit) == PSP_ITEROVER);
        psp_waitlist_iter_free(wit);
        OK(psp_waitlist_iter_new(&wit, db, n.eq));
        CHECK(psp_waitlist_iter_next(&other, wit) == PSP_ITEROVER);
        psp_waitlist_iter_free(wit);
        FAILS(psp_waitlist_leave(&other, db, &firm, w.id), PSP_EREFUSED, "promoted");
    }
    psp_db_close(db);
}

/* ---- Prices and innovation vouchers -------------------------------------------------------- */

static int64_t pricing_now = MON_0800;

/* The layout of psp_booking_request version 1, as a caller built against an older psp.h has it.
 * In `struct old_request` the canary sits where version 2 keeps voucher_scheme: the library must
 * neither read nor write it. */
struct request_v1 {
    unsigned version;
    int64_t equipment;
    int64_t enterprise;
    int64_t start;
    int64_t end;
    int units;
    const char *note;
};
struct old_request {
    struct request_v1 q;
    int64_t canary;
};

static const psp_booking_request *as_request(const struct old_request *old) {
    return (const psp_booking_request *)(const void *)&old->q;
}

static int journal_rows(psp_db *db) {
    psp_journal_iter *it = NULL;
    psp_journal_entry e = PSP_JOURNAL_ENTRY_INIT;
    int rows = 0;
    OK(psp_journal_iter_new(&it, db, NULL));
    while (psp_journal_iter_next(&e, it) == 0) ++rows;
    psp_journal_iter_free(it);
    return rows;
}

/* Every booking of the equipment in the test fortnight, of any status. */
static int bookings_of(psp_db *db, int64_t eq) {
    psp_booking_iter *it = NULL;
    OK(psp_bookings_of_equipment_iter_new(&it, db, eq, LOCAL(0, 0, 0), LOCAL(14, 0, 0)));
    return it != NULL ? count_bookings(it) : -1;
}

static const char county_scheme[] =
    "{\"name\": \"County innovation voucher\", \"share_bp\": {\"micro\": 6000, \"small\": 6000, \"medium\": 5000, "
    "\"large\": 0}, \"per_use_cap\": 2000000, \"yearly_cap\": 10000000, "
    "\"services\": [\"equipment_sharing\", \"quality_testing\"], \"accepted_by\": {\"whole_city\": true}, "
    "\"first_year\": 2025, \"last_year\": 2027}";

static void test_pricing_and_vouchers(void) {
    psp_actor office_a = office();
    psp_actor op = PSP_ACTOR_INIT, other_op = PSP_ACTOR_INIT, firm = PSP_ACTOR_INIT, outsider = PSP_ACTOR_INIT;
    psp_open_options o = PSP_OPEN_OPTIONS_INIT;
    psp_db *db = NULL;
    struct net n;
    int64_t z3 = 0, ext = 0, scheme = 0, elsewhere = 0, used = -1, b_voucher = 0;
    int rule = -1, has = -1, rows, journal;
    const char *reason = NULL;
    char *text = NULL;
    memset(&n, 0, sizeof n);

    /* Inits: the INIT macros and the library agree. */
    {
        psp_tariff t;
        psp_price p;
        psp_platform_voucher_total v;
        psp_booking_request q;
        struct old_request old;
        memset(&t, 0xAB, sizeof t);
        OK(psp_tariff_init(&t, PSP_TARIFF_VERSION));
        CHECK(t.version == 1 && t.member_rate == 0 && t.external_rate == 0 && t.minimum_charge == 0 &&
              t.late_cancel_fee == 0 && t.per_unit == 1);
        FAILS(psp_tariff_init(&t, 2), PSP_EINVALID, "version");
        FAILS(psp_tariff_init(NULL, 1), PSP_EINVALID, "tariff");
        memset(&p, 0xAB, sizeof p);
        OK(psp_price_init(&p, PSP_PRICE_VERSION));
        CHECK(p.gross == 0 && p.enterprise_pays == 0 && p.voucher_pays == 0 && p.scheme == 0 && p.voucher_note == NULL);
        FAILS(psp_price_init(&p, 0), PSP_EINVALID, "version");
        FAILS(psp_price_init(NULL, 1), PSP_EINVALID, "price");
        memset(&v, 0xAB, sizeof v);
        OK(psp_platform_voucher_total_init(&v, PSP_PLATFORM_VOUCHER_TOTAL_VERSION));
        CHECK(v.platform == 0 && v.redeemed == 0 && v.refunded == 0 && v.net == 0 && v.redemptions == 0 &&
              v.refunds == 0);
        FAILS(psp_platform_voucher_total_init(&v, 2), PSP_EINVALID, "version");
        FAILS(psp_platform_voucher_total_init(NULL, 1), PSP_EINVALID, "total");
        memset(&q, 0xAB, sizeof q);
        CHECK(PSP_BOOKING_REQUEST_VERSION == 2u);
        OK(psp_booking_request_init(&q, PSP_BOOKING_REQUEST_VERSION));
        CHECK(q.version == 2 && q.units == 1 && q.note == NULL && q.voucher_scheme == 0);
        FAILS(psp_booking_request_init(&q, 3), PSP_EINVALID, "version");
        /* Version 1: only the smaller struct is written. */
        memset(&old, 0xAB, sizeof old);
        old.canary = 999;
        OK(psp_booking_request_init((psp_booking_request *)(void *)&old.q, 1));
        CHECK(old.q.version == 1 && old.q.units == 1 && old.q.note == NULL && old.q.equipment == 0 &&
              old.canary == 999);
    }

    o.clock = test_clock;
    o.clock_context = &pricing_now;
    OK(psp_db_open(&db, ":memory:", &o));
    if (db == NULL) return;
    build(db, &n);
    {
        /* A zone no platform serves: its enterprise pays the external rate. */
        psp_zone z = PSP_ZONE_INIT;
        psp_enterprise e = PSP_ENTERPRISE_INIT;
        z.name = "未服务园区";
        z.district = n.d2;
        OK(psp_zone_add(&z3, db, &office_a, &z));
        e.name = "Outside firm";
        e.zone = z3;
        e.size = PSP_SIZE_MEDIUM;
        OK(psp_enterprise_add(&ext, db, &office_a, &e));
    }
    op.role = PSP_ROLE_PLATFORM_OPERATOR;
    op.platform = n.backbone;
    other_op.role = PSP_ROLE_PLATFORM_OPERATOR;
    other_op.platform = n.plain;
    firm.role = PSP_ROLE_ENTERPRISE;
    firm.enterprise = n.ent;
    outsider.role = PSP_ROLE_ENTERPRISE;
    outsider.enterprise = ext;
    OK(psp_platform_calendar_set(db, &op, n.backbone, week_0800_1800));

    /* Tariffs: none is free of charge, not an error. */
    {
        psp_tariff t = PSP_TARIFF_INIT, got = PSP_TARIFF_INIT, bad;
        psp_booking_rules r = PSP_BOOKING_RULES_INIT;
        got.member_rate = 77;
        OK(psp_tariff_get(&got, &has, db, n.eq));
        CHECK(has == 0 && got.version == 1 && got.member_rate == 0 && got.external_rate == 0 &&
              got.minimum_charge == 0 && got.late_cancel_fee == 0 && got.per_unit == 1);
        t.member_rate = 30000;   /* 300 yuan an hour */
        t.external_rate = 45000;
        t.minimum_charge = 15000;
        t.late_cancel_fee = 10000;

        journal = journal_rows(db);
        bad = t;
        bad.member_rate = -1;
        FAILS(psp_tariff_set(db, &op, n.eq, &bad), PSP_EINVALID, "member_rate");
        bad = t;
        bad.external_rate = INT64_C(1000000001);
        FAILS(psp_tariff_set(db, &op, n.eq, &bad), PSP_EINVALID, "external_rate");
        bad = t;
        bad.late_cancel_fee = -5;
        FAILS(psp_tariff_set(db, &op, n.eq, &bad), PSP_EINVALID, "late_cancel_fee");
        bad = t;
        bad.version = 9;
        FAILS(psp_tariff_set(db, &op, n.eq, &bad), PSP_EINVALID, "tariff");
        FAILS(psp_tariff_set(db, &op, n.eq, NULL), PSP_EINVALID, "tariff");
        FAILS(psp_tariff_set(db, NULL, n.eq, &t), PSP_EINVALID, "actor");
        FAILS(psp_tariff_set(NULL, &op, n.eq, &t), PSP_EINVALID, "db");
        FAILS(psp_tariff_set(db, &op, 555, &t), PSP_ENOTFOUND, "555");
        FAILS(psp_tariff_set(db, &other_op, n.eq, &t), PSP_EPERM, "psp_tariff_set");
        FAILS(psp_tariff_set(db, &firm, n.eq, &t), PSP_EPERM, "psp_tariff_set");
        CHECK(journal_rows(db) == journal);
        OK(psp_tariff_get(&got, &has, db, n.eq));
        CHECK(has == 0 && got.member_rate == 0);

        OK(psp_tariff_set(db, &op, n.eq, &t));
        OK(psp_tariff_get(&got, &has, db, n.eq));
        CHECK(has == 1 && got.member_rate == 30000 && got.external_rate == 45000 && got.minimum_charge == 15000 &&
              got.late_cancel_fee == 10000 && got.per_unit == 1);
        OK(psp_booking_rules_get(&r, db, n.eq)); /* the tariff publishes the late fee */
        CHECK(r.late_cancel_fee == 10000);
        CHECK(journal_rows(db) == journal + 1);

        /* A refused change leaves the tariff as it was. */
        bad = t;
        bad.minimum_charge = -1;
        FAILS(psp_tariff_set(db, &op, n.eq, &bad), PSP_EINVALID, "minimum_charge");
        OK(psp_tariff_get(&got, &has, db, n.eq));
        CHECK(has == 1 && got.minimum_charge == 15000);

        FAILS(psp_tariff_get(&got, &has, db, 555), PSP_ENOTFOUND, "555");
        FAILS(psp_tariff_get(NULL, &has, db, n.eq), PSP_EINVALID, "out");
        FAILS(psp_tariff_get(&got, NULL, db, n.eq), PSP_EINVALID, "out_has");
        FAILS(psp_tariff_get(&got, &has, NULL, n.eq), PSP_EINVALID, "db");
        got.version = 0;
        FAILS(psp_tariff_get(&got, &has, db, n.eq), PSP_EINVALID, "out");
    }

    /* Voucher schemes as JSON: the office adds them; a bad value changes nothing. */
    OK(psp_voucher_schemes_json(&text, db));
    CHECK(text != NULL && strcmp(text, "[]") == 0);
    psp_free(text);
    journal = journal_rows(db);
    FAILS(psp_voucher_scheme_add_json(&scheme, db, &op, county_scheme), PSP_EPERM, "psp_voucher_scheme_add_json");
    FAILS(psp_voucher_scheme_add_json(&scheme, db, &office_a, "{\"name\": "), PSP_EINVALID, "scheme_json");
    FAILS(psp_voucher_scheme_add_json(&scheme, db, &office_a, "[]"), PSP_EINVALID, "expected an object");
    FAILS(psp_voucher_scheme_add_json(&scheme, db, &office_a,
                                      "{\"name\": \"x\", \"share_bp\": {\"micro\": 10001, \"small\": 0, \"medium\": 0, "
                                      "\"large\": 0}, \"per_use_cap\": 0, \"yearly_cap\": 0, \"services\": "
                                      "[\"equipment_sharing\"], \"accepted_by\": {\"whole_city\": true}, "
                                      "\"first_year\": 2025, \"last_year\": 2025}"),
          PSP_EINVALID, "/share_bp/micro");
    FAILS(psp_voucher_scheme_add_json(&scheme, db, &office_a,
                                      "{\"name\": \"x\", \"share_bp\": {\"micro\": 1, \"small\": 0, \"medium\": 0}, "
                                      "\"per_use_cap\": 0, \"yearly_cap\": 0, \"services\": [\"equipment_sharing\"], "
                                      "\"accepted_by\": {\"whole_city\": true}, \"first_year\": 2025, \"last_year\": 2025}"),
          PSP_EINVALID, "/share_bp/large");
    FAILS(psp_voucher_scheme_add_json(&scheme, db, &office_a,
                                      "{\"name\": \"x\", \"share_bp\": {\"micro\": 1, \"small\": 0, \"medium\": 0, "
                                      "\"large\": 0}, \"per_use_cap\": 0, \"yearly_cap\": 0, \"services\": [\"juggling\"], "
                                      "\"accepted_by\": {\"whole_city\": true}, \"first_year\": 2025, \"last_year\": 2025}"),
          PSP_EINVALID, "/services/0");
    FAILS(psp_voucher_scheme_add_json(&scheme, db, &office_a,
                                      "{\"name\": \"x\", \"share_bp\": {\"micro\": 1, \"small\": 0, \"medium\": 0, "
                                      "\"large\": 0}, \"per_use_cap\": 0, \"yearly_cap\": 0, \"services\": "
                                      "[\"equipment_sharing\"], \"accepted_by\": {\"whole_city\": true}, "
                                      "\"first_year\": 2027, \"last_year\": 2025, \"colour\": \"red\"}"),
          PSP_EINVALID, "colour");
    FAILS(psp_voucher_scheme_add_json(&scheme, db, &office_a,
                                      "{\"name\": \"x\", \"share_bp\": {\"micro\": 1, \"small\": 0, \"medium\": 0, "
                                      "\"large\": 0}, \"per_use_cap\": 0, \"yearly_cap\": 0, \"services\": "
                                      "[\"equipment_sharing\"], \"accepted_by\": {\"platforms\": [555]}, "
                                      "\"first_year\": 2025, \"last_year\": 2025}"),
          PSP_ENOTFOUND, "555");
    FAILS(psp_voucher_scheme_add_json(&scheme, db, &office_a, NULL), PSP_EINVALID, "scheme_json");
    FAILS(psp_voucher_scheme_add_json(&scheme, db, &office_a, bad_utf8), PSP_EINVALID, "scheme_json");
    FAILS(psp_voucher_scheme_add_json(&scheme, db, NULL, county_scheme), PSP_EINVALID, "actor");
    FAILS(psp_voucher_scheme_add_json(&scheme, NULL, &office_a, county_scheme), PSP_EINVALID, "db");
    CHECK(scheme == 0);
    CHECK(journal_rows(db) == journal);
    OK(psp_voucher_schemes_json(&text, db));
    CHECK(text != NULL && strcmp(text, "[]") == 0);
    psp_free(text);

    OK(psp_voucher_scheme_add_json(&scheme, db, &office_a, county_scheme));
    CHECK(scheme == 1);
    {
        /* Accepted only at the rival lab, so not at the backbone that owns the equipment. */
        char json[600];
        snprintf(json, sizeof json,
                 "{\"name\": \"Rival lab voucher\", \"share_bp\": {\"micro\": 5000, \"small\": 5000, \"medium\": 5000, "
                 "\"large\": 0}, \"per_use_cap\": 0, \"yearly_cap\": 0, \"services\": [\"equipment_sharing\"], "
                 "\"accepted_by\": {\"platforms\": [%lld]}, \"first_year\": 2025, \"last_year\": 2025}",
                 (long long)n.rival);
        OK(psp_voucher_scheme_add_json(NULL, db, &office_a, json));
        elsewhere = 2;
    }
    OK(psp_voucher_schemes_json(&text, db));
    CHECK(text != NULL && text[0] == '[' && strstr(text, "County innovation voucher") != NULL &&
          strstr(text, "Rival lab voucher") != NULL && strstr(text, "\"id\":1") != NULL &&
          strstr(text, "\"id\":2") != NULL && strstr(text, "\"micro\":6000") != NULL);
    psp_free(text);
    FAILS(psp_voucher_schemes_json(NULL, db), PSP_EINVALID, "out");
    text = (char *)&text;
    FAILS(psp_voucher_schemes_json(&text, NULL), PSP_EINVALID, "db");
    CHECK(text == NULL);

    OK(psp_voucher_account_get(&used, db, n.ent, scheme, 2025));
    CHECK(used == 0);
    FAILS(psp_voucher_account_get(&used, db, n.ent, 555, 2025), PSP_ENOTFOUND, "555");
    FAILS(psp_voucher_account_get(&used, db, 555, scheme, 2025), PSP_ENOTFOUND, "555");
    FAILS(psp_voucher_account_get(NULL, db, n.ent, scheme, 2025), PSP_EINVALID, "out");
    FAILS(psp_voucher_account_get(&used, NULL, n.ent, scheme, 2025), PSP_EINVALID, "db");

    /* A member (the backbone serves its zone), micro, with the voucher: 2 h at 300 yuan = 600 yuan,
     * the voucher pays 60 %. */
    {
        psp_booking_request q = PSP_BOOKING_REQUEST_INIT;
        psp_booking b = PSP_BOOKING_INIT;
        psp_price p = PSP_PRICE_INIT;
        q.equipment = n.eq;
        q.enterprise = n.ent;
        q.start = LOCAL(2, 10, 0);
        q.end = LOCAL(2, 12, 0);
        q.voucher_scheme = scheme;
        OK(psp_booking_book(&b, &rule, &reason, db, &firm, &q));
        CHECK(rule == PSP_RULE_NONE && b.id > 0);
        b_voucher = b.id;
        OK(psp_booking_price_get(&p, db, b.id));
        CHECK(p.gross == 60000 && p.voucher_pays == 36000 && p.enterprise_pays == 24000 && p.scheme == scheme &&
              p.voucher_note != NULL && p.voucher_note[0] == '\0');
        OK(psp_voucher_account_get(&used, db, n.ent, scheme, 2025));
        CHECK(used == 36000);

        /* An outsider (no platform of the alliance serves its zone): the external rate, no voucher. */
        q.enterprise = ext;
        q.start = LOCAL(2, 14, 0);
        q.end = LOCAL(2, 15, 0);
        q.voucher_scheme = 0;
        OK(psp_booking_book(&b, &rule, &reason, db, &outsider, &q));
        CHECK(rule == PSP_RULE_NONE);
        OK(psp_booking_price_get(&p, db, b.id));
        CHECK(p.gross == 45000 && p.voucher_pays == 0 && p.enterprise_pays == 45000 && p.scheme == 0);

        /* A scheme the owning platform does not accept pays nothing, and says why. */
        q.enterprise = n.ent;
        q.start = LOCAL(3, 10, 0);
        q.end = LOCAL(3, 11, 0);
        q.voucher_scheme = elsewhere;
        OK(psp_booking_book(&b, &rule, &reason, db, &firm, &q));
        CHECK(rule == PSP_RULE_NONE);
        OK(psp_booking_price_get(&p, db, b.id));
        CHECK(p.gross == 30000 && p.voucher_pays == 0 && p.enterprise_pays == 30000 && p.scheme == elsewhere &&
              p.voucher_note != NULL && p.voucher_note[0] != '\0');

        /* Misuse changes nothing: an unknown scheme, a request of an unknown version. */
        rows = bookings_of(db, n.eq);
        journal = journal_rows(db);
        q.start = LOCAL(3, 14, 0);
        q.end = LOCAL(3, 15, 0);
        q.voucher_scheme = 999;
        FAILS(psp_booking_book(&b, &rule, &reason, db, &firm, &q), PSP_ENOTFOUND, "voucher");
        q.voucher_scheme = scheme;
        q.version = 3;
        FAILS(psp_booking_book(&b, &rule, &reason, db, &firm, &q), PSP_EINVALID, "request");
        q.version = 0;
        FAILS(psp_booking_book(&b, &rule, &reason, db, &firm, &q), PSP_EINVALID, "request");
        CHECK(bookings_of(db, n.eq) == rows);
        CHECK(journal_rows(db) == journal);
        OK(psp_voucher_account_get(&used, db, n.ent, scheme, 2025));
        CHECK(used == 36000);

        FAILS(psp_booking_price_get(&p, db, 555), PSP_ENOTFOUND, "555");
        FAILS(psp_booking_price_get(NULL, db, b_voucher), PSP_EINVALID, "out");
        FAILS(psp_booking_price_get(&p, NULL, b_voucher), PSP_EINVALID, "db");
        p.version = 2;
        FAILS(psp_booking_price_get(&p, db, b_voucher), PSP_EINVALID, "out");
    }

    /* A version-1 request still books; the library ignores what lies after it (an unknown scheme
     * id here), for psp_booking_book, batches, series and the waitlist alike. */
    {
        struct old_request old, old2;
        psp_booking b = PSP_BOOKING_INIT;
        psp_price p = PSP_PRICE_INIT;
        psp_booking_request v2 = PSP_BOOKING_REQUEST_INIT;
        const psp_booking_request *batch[2];
        psp_booking_outcome_iter *oit = NULL;
        psp_booking_outcome oc = PSP_BOOKING_OUTCOME_INIT;
        psp_booking_iter *bit = NULL;
        psp_recurrence rec = PSP_RECURRENCE_INIT;
        psp_waitlist_entry w = PSP_WAITLIST_ENTRY_INIT;
        int64_t series = 0, ids[4] = {0, 0, 0, 0};
        int k = 0;

        memset(&old, 0, sizeof old);
        OK(psp_booking_request_init((psp_booking_request *)(void *)&old.q, 1));
        old.q.equipment = n.eq;
        old.q.enterprise = n.ent;
        old.q.start = LOCAL(3, 14, 0);
        old.q.end = LOCAL(3, 15, 0);
        old.canary = 999;
        OK(psp_booking_book(&b, &rule, &reason, db, &firm, as_request(&old)));
        CHECK(rule == PSP_RULE_NONE && b.id > 0);
        OK(psp_booking_price_get(&p, db, b.id));
        CHECK(p.gross == 30000 && p.voucher_pays == 0 && p.enterprise_pays == 30000 && p.scheme == 0);

        /* A batch mixing versions: only the version-2 request uses its voucher. */
        old2 = old;
        old2.q.start = LOCAL(4, 10, 0);
        old2.q.end = LOCAL(4, 11, 0);
        v2.equipment = n.eq;
        v2.enterprise = n.ent;
        v2.start = LOCAL(4, 11, 0);
        v2.end = LOCAL(4, 12, 0);
        v2.voucher_scheme = scheme;
        batch[0] = as_request(&old2);
        batch[1] = &v2;
        OK(psp_booking_book_batch(&oit, db, &firm, batch, 2));
        while (oit != NULL && psp_booking_outcome_iter_next(&oc, oit) == 0) {
            CHECK(oc.booked && oc.booking > 0);
            if (k < 4) ids[k++] = oc.booking;
        }
        psp_booking_outcome_iter_free(oit);
        CHECK(k == 2);
        OK(psp_booking_price_get(&p, db, ids[0]));
        CHECK(p.gross == 30000 && p.voucher_pays == 0 && p.scheme == 0);
        OK(psp_booking_price_get(&p, db, ids[1]));
        CHECK(p.gross == 30000 && p.voucher_pays == 18000 && p.enterprise_pays == 12000 && p.scheme == scheme);
        /* A batch naming an unknown scheme books nothing. */
        rows = bookings_of(db, n.eq);
        v2.start = LOCAL(4, 14, 0);
        v2.end = LOCAL(4, 15, 0);
        v2.voucher_scheme = 999;
        old2.q.start = LOCAL(4, 15, 0);
        old2.q.end = LOCAL(4, 16, 0);
        batch[0] = as_request(&old2);
        FAILS(psp_booking_book_batch(&oit, db, &firm, batch, 2), PSP_ENOTFOUND, "voucher");
        CHECK(oit == NULL);
        CHECK(bookings_of(db, n.eq) == rows);

        /* A series pays each occurrence with the voucher; a version-1 first request books without. */
        v2.start = LOCAL(7, 10, 0); /* Monday and Tuesday of the next week */
        v2.end = LOCAL(7, 11, 0);
        v2.voucher_scheme = scheme;
        rec.every = PSP_EVERY_DAY;
        rec.count = 2;
        OK(psp_booking_book_series(&series, &bit, NULL, db, &firm, &v2, &rec, PSP_SERIES_ALL_OR_NOTHING));
        CHECK(series > 0);
        k = 0;
        while (bit != NULL && psp_booking_iter_next(&b, bit) == 0) {
            OK(psp_booking_price_get(&p, db, b.id));
            CHECK(p.gross == 30000 && p.voucher_pays == 18000 && p.scheme == scheme);
            ++k;
        }
        psp_booking_iter_free(bit);
        CHECK(k == 2);
        old2.q.start = LOCAL(7, 14, 0);
        old2.q.end = LOCAL(7, 15, 0);
        OK(psp_booking_book_series(&series, &bit, NULL, db, &firm, as_request(&old2), &rec, PSP_SERIES_ALL_OR_NOTHING));
        k = 0;
        while (bit != NULL && psp_booking_iter_next(&b, bit) == 0) {
            OK(psp_booking_price_get(&p, db, b.id));
            CHECK(p.gross == 30000 && p.voucher_pays == 0 && p.scheme == 0);
            ++k;
        }
        psp_booking_iter_free(bit);
        CHECK(k == 2);
        v2.voucher_scheme = 999;
        FAILS(psp_booking_book_series(&series, &bit, NULL, db, &firm, &v2, &rec, PSP_SERIES_ALL_OR_NOTHING),
              PSP_ENOTFOUND, "voucher");

        /* The waitlist takes both versions; an unknown scheme in a version-2 request is refused. */
        old2.q.start = LOCAL(8, 10, 0);
        old2.q.end = LOCAL(8, 11, 0);
        OK(psp_waitlist_join(&w, db, &firm, as_request(&old2)));
        CHECK(w.id > 0 && w.enterprise == n.ent);
        v2.start = LOCAL(8, 11, 0);
        v2.end = LOCAL(8, 12, 0);
        FAILS(psp_waitlist_join(&w, db, &firm, &v2), PSP_ENOTFOUND, "voucher");
        v2.voucher_scheme = scheme;
        OK(psp_waitlist_join(&w, db, &firm, &v2));
        CHECK(w.voucher_scheme == scheme);   /* the entry shows the voucher it will pay with */
        {
            /* A version-1 entry gets everything but the voucher, and nothing is written past it. */
            psp_waitlist_entry old_entry;
            int64_t untouched;
            psp_waitlist_iter *wit = NULL;
            memset(&old_entry, 0xAB, sizeof old_entry);
            memset(&untouched, 0xAB, sizeof untouched);
            old_entry.version = 1;
            OK(psp_waitlist_iter_new(&wit, db, n.eq));
            while (wit != NULL && psp_waitlist_iter_next(&old_entry, wit) == 0) {
            }
            psp_waitlist_iter_free(wit);
            CHECK(old_entry.id == w.id && memcmp(&old_entry.voucher_scheme, &untouched, sizeof untouched) == 0);
        }
        /* Promoted, each is priced as it asked: with the voucher only for the version-2 request. */
        {
            psp_waitlist_iter *wit = NULL;
            psp_waitlist_entry e = PSP_WAITLIST_ENTRY_INIT;
            int64_t promoted[2] = {0, 0};
            k = 0;
            OK(psp_waitlist_promote(&wit, db, &op, n.eq));
            while (wit != NULL && psp_waitlist_iter_next(&e, wit) == 0) {
                CHECK(e.status == PSP_WAIT_PROMOTED && e.booking > 0);
                if (k < 2) promoted[k] = e.booking;
                ++k;
            }
            psp_waitlist_iter_free(wit);
            CHECK(k == 2);
            OK(psp_booking_price_get(&p, db, promoted[0]));
            CHECK(p.gross == 30000 && p.voucher_pays == 0 && p.scheme == 0);
            OK(psp_booking_price_get(&p, db, promoted[1]));
            CHECK(p.gross == 30000 && p.voucher_pays == 18000 && p.scheme == scheme);
        }
    }

    /* 36000 + 18000 + 2 × 18000 + 18000 redeemed at the backbone, all at the clock's time. */
    OK(psp_voucher_account_get(&used, db, n.ent, scheme, 2025));
    CHECK(used == 108000);
    {
        psp_voucher_redemptions_iter *it = NULL;
        psp_platform_voucher_total v = PSP_PLATFORM_VOUCHER_TOTAL_INIT;
        psp_period around = {MON_0800 - 86400, MON_0800 + 86400};
        psp_period later = {MON_0800 + 1, MON_0800 + 86400};
        psp_period reversed = {MON_0800 + 86400, MON_0800 - 86400};
        psp_period empty = {MON_0800, MON_0800};

        OK(psp_voucher_redemptions_iter_new(&it, db, scheme, &around));
        OK(psp_voucher_redemptions_iter_next(&v, it));
        CHECK(v.platform == n.backbone && v.redeemed == 108000 && v.refunded == 0 && v.net == 108000 &&
              v.redemptions == 5 && v.refunds == 0);
        CHECK(psp_voucher_redemptions_iter_next(&v, it) == PSP_ITEROVER);
        psp_voucher_redemptions_iter_free(it);

        /* Cancelled in time: the voucher part goes back to the account and shows as a refund. */
        OK(psp_booking_cancel(NULL, db, &firm, b_voucher));
        OK(psp_voucher_account_get(&used, db, n.ent, scheme, 2025));
        CHECK(used == 72000);
        OK(psp_voucher_redemptions_iter_new(&it, db, scheme, &around));
        OK(psp_voucher_redemptions_iter_next(&v, it));
        CHECK(v.platform == n.backbone && v.redeemed == 108000 && v.refunded == 36000 && v.net == 72000 &&
              v.redemptions == 5 && v.refunds == 1);
        psp_voucher_redemptions_iter_free(it);

        OK(psp_voucher_redemptions_iter_new(&it, db, scheme, &later));
        CHECK(psp_voucher_redemptions_iter_next(&v, it) == PSP_ITEROVER);
        psp_voucher_redemptions_iter_free(it);
        OK(psp_voucher_redemptions_iter_new(&it, db, elsewhere, &around));
        CHECK(psp_voucher_redemptions_iter_next(&v, it) == PSP_ITEROVER);
        psp_voucher_redemptions_iter_free(it);

        it = (psp_voucher_redemptions_iter *)&it;
        FAILS(psp_voucher_redemptions_iter_new(&it, db, scheme, &reversed), PSP_EINVALID, "period");
        CHECK(it == NULL);
        FAILS(psp_voucher_redemptions_iter_new(&it, db, scheme, &empty), PSP_EINVALID, "period");
        FAILS(psp_voucher_redemptions_iter_new(&it, db, scheme, NULL), PSP_EINVALID, "period");
        FAILS(psp_voucher_redemptions_iter_new(&it, db, 555, &around), PSP_ENOTFOUND, "555");
        FAILS(psp_voucher_redemptions_iter_new(&it, NULL, scheme, &around), PSP_EINVALID, "db");
        FAILS(psp_voucher_redemptions_iter_new(NULL, db, scheme, &around), PSP_EINVALID, "out");
        FAILS(psp_voucher_redemptions_iter_next(&v, NULL), PSP_EINVALID, "it");

        /* The iterator keeps its database alive. */
        OK(psp_voucher_redemptions_iter_new(&it, db, scheme, &around));
        psp_db_close(db);
        db = NULL;
        FAILS(psp_voucher_redemptions_iter_next(NULL, it), PSP_EINVALID, "out");
        v.version = 0;
        FAILS(psp_voucher_redemptions_iter_next(&v, it), PSP_EINVALID, "out");
        v.version = PSP_PLATFORM_VOUCHER_TOTAL_VERSION;
        OK(psp_voucher_redemptions_iter_next(&v, it));
        CHECK(v.platform == n.backbone && v.net == 72000);
        psp_voucher_redemptions_iter_free(it);
        psp_voucher_redemptions_iter_free(NULL);
    }
}

/* ---- Coordination across the network and settlement ----------------------------------------- */

static int64_t routing_now = MON_0800;

/* A request of the enterprise for an hour of the mass spectrometer on Tuesday 09:00-12:00. */
static psp_service_request ms_hour(const struct net *n) {
    psp_service_request q = PSP_SERVICE_REQUEST_INIT;
    q.enterprise = n->ent;
    q.kind = PSP_SERVICE_EQUIPMENT_SHARING;
    q.equipment_class = n->cls;
    q.start = LOCAL(1, 9, 0);
    q.end = LOCAL(1, 12, 0);
    q.minutes = 60;
    return q;
}

static int served_count(psp_db *db, const psp_period *period) {
    psp_served_requests_iter *it = NULL;
    psp_served_request s = PSP_SERVED_REQUEST_INIT;
    int rows = 0;
    OK(psp_served_requests_iter_new(&it, db, period));
    while (psp_served_requests_iter_next(&s, it) == 0) ++rows;
    psp_served_requests_iter_free(it);
    return rows;
}

static void test_routing_and_settlement(void) {
    psp_actor office_a = office();
    psp_actor op = PSP_ACTOR_INIT, sub_op = PSP_ACTOR_INIT, plain_op = PSP_ACTOR_INIT, firm = PSP_ACTOR_INIT,
              stranger = PSP_ACTOR_INIT;
    psp_open_options o = PSP_OPEN_OPTIONS_INIT;
    psp_db *db = NULL;
    struct net n;
    int64_t ms2 = 0, referred_booking = 0;
    int served = -1, has = -1, journal, serving_bp = -1, referring_bp = -1, pool_bp = -1;
    const char *reason = NULL;
    char *text = NULL;
    const psp_period march = {LOCAL(0, 0, 0), LOCAL(30, 0, 0)};
    const psp_period reversed = {LOCAL(30, 0, 0), LOCAL(0, 0, 0)};
    memset(&n, 0, sizeof n);

    CHECK(strcmp(psp_enum_name(PSP_ENUM_ROUTE_TIER, PSP_ROUTE_TIER_ALLIANCE), "alliance") == 0);
    CHECK(strcmp(psp_enum_name(PSP_ENUM_ROUTE_OBJECTIVE, PSP_OBJECTIVE_LOWEST_PRICE), "lowest_price") == 0);
    CHECK(psp_enum_count(PSP_ENUM_ROUTE_TIER) == PSP_ROUTE_TIER_COUNT);
    CHECK(psp_enum_count(PSP_ENUM_ROUTE_OBJECTIVE) == PSP_OBJECTIVE_COUNT);
    CHECK(strcmp(psp_enum_name(PSP_ENUM_TASK_STATUS, PSP_TASK_IN_PROGRESS), "in_progress") == 0);
    CHECK(psp_enum_count(PSP_ENUM_TASK_STATUS) == PSP_TASK_STATUS_COUNT);
    CHECK(psp_enum_name(PSP_ENUM_ROUTE_TIER, PSP_ROUTE_TIER_COUNT) == NULL);

    /* Inits: the INIT macros and the library agree; the policy's are the C++ defaults. */
    {
        psp_service_request q;
        psp_routing_policy p, pi = PSP_ROUTING_POLICY_INIT;
        psp_offer of;
        psp_served_request s;
        psp_service_capacity c;
        memset(&q, 0xAB, sizeof q);
        OK(psp_service_request_init(&q, PSP_SERVICE_REQUEST_VERSION));
        CHECK(q.version == 1 && q.enterprise == 0 && q.kind == PSP_SERVICE_EQUIPMENT_SHARING && q.equipment_class == 0 &&
              q.minutes == 60 && q.units == 1 && q.has_price_ceiling == 0 && q.voucher_scheme == 0 &&
              q.received_by == 0 && q.front_door == 0 && q.note == NULL);
        FAILS(psp_service_request_init(&q, 2), PSP_EINVALID, "version");
        FAILS(psp_service_request_init(NULL, 1), PSP_EINVALID, "request");
        memset(&p, 0xAB, sizeof p);
        OK(psp_routing_policy_init(&p, PSP_ROUTING_POLICY_VERSION));
        CHECK(p.version == 1 && p.open_tiers == PSP_ROUTE_TIERS_ALL && p.open_tiers == 0x1Fu &&
              p.max_travel_minutes == 90 && p.max_referral_hops == 3 && p.objective == PSP_OBJECTIVE_EARLIEST &&
              p.nearest_tier_first == 1 && p.weight_wait_hours == pi.weight_wait_hours &&
              p.weight_price_yuan == pi.weight_price_yuan && p.weight_travel_minutes == pi.weight_travel_minutes &&
              p.weight_load_percent == pi.weight_load_percent && p.max_offers == 10);
        FAILS(psp_routing_policy_init(&p, 0), PSP_EINVALID, "version");
        memset(&of, 0xAB, sizeof of);
        OK(psp_offer_init(&of, PSP_OFFER_VERSION));
        CHECK(of.platform == 0 && of.voucher_note == NULL && of.tier == PSP_ROUTE_TIER_HOME && of.chain == NULL &&
              of.chain_count == 0 && of.score == 0.0);
        FAILS(psp_offer_init(&of, 2), PSP_EINVALID, "version");
        memset(&s, 0xAB, sizeof s);
        OK(psp_served_request_init(&s, PSP_SERVED_REQUEST_VERSION));
        CHECK(s.id == 0 && s.booking == 0 && s.note == NULL && s.chain == NULL && s.chain_count == 0 &&
              s.voucher_note == NULL && s.kind == PSP_SERVICE_EQUIPMENT_SHARING);
        FAILS(psp_served_request_init(&s, 2), PSP_EINVALID, "version");
        FAILS(psp_served_request_init(NULL, 1), PSP_EINVALID, "served");
        memset(&c, 0xAB, sizeof c);
        OK(psp_service_capacity_init(&c, PSP_SERVICE_CAPACITY_VERSION));
        CHECK(c.platform == 0 && c.cases_per_week == 0);
        FAILS(psp_service_capacity_init(&c, 2), PSP_EINVALID, "version");
    }

    o.clock = test_clock;
    o.clock_context = &routing_now;
    OK(psp_db_open(&db, ":memory:", &o));
    if (db == NULL) return;
    build(db, &n);
    op.role = sub_op.role = plain_op.role = PSP_ROLE_PLATFORM_OPERATOR;
    op.platform = n.backbone;
    sub_op.platform = n.sub;
    plain_op.platform = n.plain;
    firm.role = stranger.role = PSP_ROLE_ENTERPRISE;
    firm.enterprise = n.ent;
    {
        /* A second instrument, at the sub-platform across the river; both open 08:00-18:00. */
        psp_equipment e = PSP_EQUIPMENT_INIT;
        psp_enterprise other = PSP_ENTERPRISE_INIT;
        psp_tariff t = PSP_TARIFF_INIT;
        e.name = "MS-02";
        e.equipment_class = n.cls;
        e.owner = n.sub;
        e.site = n.d2;
        OK(psp_equipment_add(&ms2, db, &office_a, &e));
        other.name = "Another firm";
        other.zone = n.z2;
        OK(psp_enterprise_add(&stranger.enterprise, db, &office_a, &other));
        OK(psp_platform_calendar_set(db, &op, n.backbone, week_0800_1800));
        OK(psp_platform_calendar_set(db, &sub_op, n.sub, week_0800_1800));
        t.member_rate = 30000; /* 300 yuan an hour */
        t.external_rate = 45000;
        OK(psp_tariff_set(db, &op, n.eq, &t));
        t.member_rate = t.external_rate = 40000;
        OK(psp_tariff_set(db, &sub_op, ms2, &t));
    }

    /* Route: ranked offers, nothing booked. Nearest tier first: the home platform alone. */
    {
        psp_service_request q = ms_hour(&n);
        psp_routing_policy everywhere = PSP_ROUTING_POLICY_INIT;
        psp_offer_iter *it = NULL;
        psp_offer of = PSP_OFFER_INIT, first = PSP_OFFER_INIT;
        int rows = 0;
        int can = -1;
        OK(psp_can_route(&can, db, &q, NULL));
        CHECK(can == 1);
        OK(psp_route_iter_new(&it, db, &q, NULL));
        OK(psp_offer_iter_next(&of, it));
        CHECK(of.platform == n.backbone && of.equipment == n.eq && of.tier == PSP_ROUTE_TIER_HOME &&
              of.start == LOCAL(1, 9, 0) && of.end == LOCAL(1, 10, 0) && of.gross == 30000 &&
              of.enterprise_pays == 30000 && of.voucher_pays == 0 && of.scheme == 0 && of.alliance == 0 &&
              of.referral_hops == 0 && of.voucher_note != NULL && of.chain_count == 1 && of.chain != NULL &&
              of.chain[0] == n.backbone);
        CHECK(psp_offer_iter_next(&of, it) == PSP_ITEROVER);
        psp_offer_iter_free(it);
        CHECK(served_count(db, &march) == 0);

        /* Every tier, by the objective alone: the family's instrument too, ranked after. */
        everywhere.nearest_tier_first = 0;
        everywhere.objective = PSP_OBJECTIVE_SHORTEST_TRAVEL;
        OK(psp_route_iter_new(&it, db, &q, &everywhere));
        OK(psp_offer_iter_next(&first, it));
        CHECK(first.platform == n.backbone && first.equipment == n.eq);
        rows = 1;
        while (psp_offer_iter_next(&of, it) == 0) {
            ++rows;
            CHECK(of.score >= first.score && of.travel_minutes >= first.travel_minutes);
            CHECK(of.platform == n.sub && of.equipment == ms2 && of.tier == PSP_ROUTE_TIER_FAMILY &&
                  of.referral_hops == 0 && of.chain_count == 2 && of.chain[1] == n.sub);
        }
        CHECK(rows == 2);
        FAILS(psp_offer_iter_next(NULL, it), PSP_EINVALID, "out");
        of.version = 9;
        FAILS(psp_offer_iter_next(&of, it), PSP_EINVALID, "out");
        FAILS(psp_offer_iter_next(&of, NULL), PSP_EINVALID, "it");
        of.version = PSP_OFFER_VERSION;
        psp_offer_iter_free(it);
        psp_offer_iter_free(NULL);
        everywhere.max_offers = 1;
        OK(psp_route_iter_new(&it, db, &q, &everywhere));
        OK(psp_offer_iter_next(&of, it));
        CHECK(psp_offer_iter_next(&of, it) == PSP_ITEROVER);
        psp_offer_iter_free(it);
    }

    /* Bad requests and policies: PSP_EINVALID naming the field, nothing booked or journalled. */
    journal = journal_rows(db);
    {
        psp_service_request q = ms_hour(&n);
        psp_routing_policy p = PSP_ROUTING_POLICY_INIT;
        psp_served_request s = PSP_SERVED_REQUEST_INIT;
        psp_offer miss = PSP_OFFER_INIT;
        psp_offer_iter *it = NULL;
        psp_served_requests_iter *sit = NULL;

        q.minutes = 4 * 60; /* the window is 3 hours */
        FAILS(psp_fulfil(&s, &served, &reason, NULL, db, &firm, &q, NULL), PSP_EINVALID, "shorter than the duration");
        FAILS(psp_route_iter_new(&it, db, &q, NULL), PSP_EINVALID, "shorter than the duration");
        CHECK(it == NULL);
        q = ms_hour(&n);
        q.end = q.start - 3600;
        FAILS(psp_fulfil(&s, &served, &reason, NULL, db, &firm, &q, NULL), PSP_EINVALID, "window");
        q = ms_hour(&n);
        q.has_price_ceiling = 1;
        q.price_ceiling = -1;
        FAILS(psp_fulfil(&s, &served, &reason, NULL, db, &firm, &q, NULL), PSP_EINVALID, "price_ceiling");
        q = ms_hour(&n);
        q.kind = PSP_SERVICE_COUNT;
        FAILS(psp_fulfil(&s, &served, &reason, NULL, db, &firm, &q, NULL), PSP_EINVALID, "request.kind");
        q = ms_hour(&n);
        q.units = 0;
        FAILS(psp_fulfil(&s, &served, &reason, NULL, db, &firm, &q, NULL), PSP_EINVALID, "units");
        q = ms_hour(&n);
        q.note = bad_utf8;
        FAILS(psp_fulfil(&s, &served, &reason, NULL, db, &firm, &q, NULL), PSP_EINVALID, "request.note");
        q = ms_hour(&n);
        q.enterprise = 555;
        FAILS(psp_fulfil(&s, &served, &reason, NULL, db, &office_a, &q, NULL), PSP_ENOTFOUND, "555");
        q = ms_hour(&n);
        q.received_by = 555;
        FAILS(psp_fulfil(&s, &served, &reason, NULL, db, &firm, &q, NULL), PSP_ENOTFOUND, "555");
        q = ms_hour(&n);
        q.front_door = 555;
        FAILS(psp_fulfil(&s, &served, &reason, NULL, db, &firm, &q, NULL), PSP_ENOTFOUND, "555");
        q = ms_hour(&n);
        p.open_tiers = 0;
        FAILS(psp_fulfil(&s, &served, &reason, NULL, db, &firm, &q, &p), PSP_EINVALID, "open_tiers");
        FAILS(psp_route_iter_new(&it, db, &q, &p), PSP_EINVALID, "open_tiers");
        {
            int can = -1;
            FAILS(psp_can_route(&can, db, &q, &p), PSP_EINVALID, "open_tiers");
            FAILS(psp_can_route(NULL, db, &q, NULL), PSP_EINVALID, "out");
            FAILS(psp_can_route(&can, NULL, &q, NULL), PSP_EINVALID, "db");
            FAILS(psp_can_route(&can, db, NULL, NULL), PSP_EINVALID, "request");
            q.version = 99;
            FAILS(psp_can_route(&can, db, &q, NULL), PSP_EINVALID, "request");
            q = ms_hour(&n);
            q.enterprise = 555;
            FAILS(psp_can_route(&can, db, &q, NULL), PSP_ENOTFOUND, "555");
            q = ms_hour(&n);
            CHECK(can == -1);   /* untouched by every failure */
        }
        p.open_tiers = PSP_ROUTE_TIERS_ALL | PSP_ROUTE_TIER_BIT(PSP_ROUTE_TIER_COUNT);
        FAILS(psp_fulfil(&s, &served, &reason, NULL, db, &firm, &q, &p), PSP_EINVALID, "open_tiers");
        p.open_tiers = PSP_ROUTE_TIERS_ALL;
        p.objective = PSP_OBJECTIVE_COUNT;
        FAILS(psp_fulfil(&s, &served, &reason, NULL, db, &firm, &q, &p), PSP_EINVALID, "policy.objective");
        p.objective = PSP_OBJECTIVE_WEIGHTED;
        p.weight_load_percent = -1.0;
        FAILS(psp_fulfil(&s, &served, &reason, NULL, db, &firm, &q, &p), PSP_EINVALID, "weight_load_percent");
        p.weight_load_percent = 0.2;
        p.max_offers = 0;
        FAILS(psp_fulfil(&s, &served, &reason, NULL, db, &firm, &q, &p), PSP_EINVALID, "max_offers");
        p.max_offers = 10;
        p.max_referral_hops = -1;
        FAILS(psp_fulfil(&s, &served, &reason, NULL, db, &firm, &q, &p), PSP_EINVALID, "max_referral_hops");

        /* NULL pointers and wrong struct versions. */
        FAILS(psp_fulfil(&s, NULL, &reason, NULL, db, &firm, &q, NULL), PSP_EINVALID, "out_served");
        FAILS(psp_fulfil(&s, &served, &reason, NULL, NULL, &firm, &q, NULL), PSP_EINVALID, "db");
        FAILS(psp_fulfil(&s, &served, &reason, NULL, db, NULL, &q, NULL), PSP_EINVALID, "actor");
        FAILS(psp_fulfil(&s, &served, &reason, NULL, db, &firm, NULL, NULL), PSP_EINVALID, "request");
        FAILS(psp_route_iter_new(NULL, db, &q, NULL), PSP_EINVALID, "out");
        FAILS(psp_route_iter_new(&it, NULL, &q, NULL), PSP_EINVALID, "db");
        FAILS(psp_route_iter_new(&it, db, NULL, NULL), PSP_EINVALID, "request");
        q.version = 9;
        FAILS(psp_fulfil(&s, &served, &reason, NULL, db, &firm, &q, NULL), PSP_EINVALID, "request");
        FAILS(psp_route_iter_new(&it, db, &q, NULL), PSP_EINVALID, "request");
        q.version = PSP_SERVICE_REQUEST_VERSION;
        p = (psp_routing_policy)PSP_ROUTING_POLICY_INIT;
        p.version = 0;
        FAILS(psp_fulfil(&s, &served, &reason, NULL, db, &firm, &q, &p), PSP_EINVALID, "policy");
        s.version = 7;
        FAILS(psp_fulfil(&s, &served, &reason, NULL, db, &firm, &q, NULL), PSP_EINVALID, "out");
        s.version = PSP_SERVED_REQUEST_VERSION;
        miss.version = 0;
        FAILS(psp_fulfil(&s, &served, &reason, &miss, db, &firm, &q, NULL), PSP_EINVALID, "out_nearest_miss");
        /* Another enterprise may not ask on this one's behalf. */
        FAILS(psp_fulfil(&s, &served, &reason, NULL, db, &stranger, &q, NULL), PSP_EPERM, "psp_fulfil");
        FAILS(psp_served_requests_iter_new(&sit, db, &reversed), PSP_EINVALID, "period");
        FAILS(psp_served_requests_iter_new(&sit, db, NULL), PSP_EINVALID, "period");
        FAILS(psp_served_requests_iter_new(NULL, db, &march), PSP_EINVALID, "out");
        CHECK(sit == NULL);
    }
    CHECK(journal_rows(db) == journal);
    CHECK(served_count(db, &march) == 0);

    /* Nothing fits is an answer: a ceiling below every price names the nearest miss. */
    {
        psp_service_request q = ms_hour(&n);
        psp_served_request s = PSP_SERVED_REQUEST_INIT;
        psp_offer miss = PSP_OFFER_INIT;
        psp_offer_iter *it = NULL;
        psp_offer of = PSP_OFFER_INIT;
        q.has_price_ceiling = 1;
        q.price_ceiling = 100;
        OK(psp_route_iter_new(&it, db, &q, NULL));
        CHECK(psp_offer_iter_next(&of, it) == PSP_ITEROVER);
        psp_offer_iter_free(it);
        s.id = 77;
        OK(psp_fulfil(&s, &served, &reason, &miss, db, &firm, &q, NULL));
        CHECK(served == 0 && s.id == 77 && reason != NULL && strstr(reason, "above the ceiling") != NULL);
        CHECK(miss.version == 1 && (miss.platform == n.backbone || miss.platform == n.sub) && miss.equipment != 0 &&
              miss.enterprise_pays > 100 && miss.chain_count >= 1 && miss.chain != NULL);
        OK(psp_fulfil(NULL, &served, NULL, NULL, db, &firm, &q, NULL));
        CHECK(served == 0);
    }
    /* Nothing fitted: both requests stay on record as unmet demand (statistics); nothing was booked. */
    CHECK(journal_rows(db) == journal + 2);
    journal += 2;
    CHECK(served_count(db, &march) == 0);

    /* Fulfil: received by the design hub, which has no instrument; its alliance's backbone serves. */
    {
        psp_service_request q = ms_hour(&n);
        psp_served_request s = PSP_SERVED_REQUEST_INIT, row = PSP_SERVED_REQUEST_INIT;
        psp_offer miss = PSP_OFFER_INIT;
        psp_booking b = PSP_BOOKING_INIT;
        psp_served_requests_iter *it = NULL;
        q.received_by = n.plain;
        q.note = "需要质谱检测";
        miss.platform = 99;
        OK(psp_fulfil(&s, &served, &reason, &miss, db, &firm, &q, NULL));
        CHECK(served == 1 && reason != NULL && reason[0] == '\0' && miss.platform == 0 && miss.chain == NULL);
        CHECK(s.id == 1 && s.booking > 0 && s.at == routing_now && s.enterprise == n.ent &&
              s.kind == PSP_SERVICE_EQUIPMENT_SHARING && s.equipment_class == n.cls && s.window_start == q.start &&
              s.window_end == q.end && s.minutes == 60 && s.units == 1 && s.has_price_ceiling == 0 &&
              s.received_by == n.plain && s.front_door == 0 && strcmp(s.note, "需要质谱检测") == 0);
        CHECK(s.platform == n.backbone && s.equipment == n.eq && s.start == LOCAL(1, 9, 0) && s.end == LOCAL(1, 10, 0) &&
              s.gross == 30000 && s.enterprise_pays == 30000 && s.tier == PSP_ROUTE_TIER_ALLIANCE &&
              s.alliance == n.alliance && s.referral_hops == 1 && s.chain_count == 2 && s.chain != NULL &&
              s.chain[0] == n.plain && s.chain[1] == n.backbone);
        referred_booking = s.booking;
        OK(psp_booking_get(&b, db, s.booking));
        CHECK(b.equipment == n.eq && b.enterprise == n.ent && b.start == s.start && b.end == s.end &&
              b.status == PSP_BOOKING_STATUS_CONFIRMED);
        CHECK(journal_rows(db) == journal + 2); /* the booking and the service */

        OK(psp_served_requests_iter_new(&it, db, &march));
        OK(psp_served_requests_iter_next(&row, it));
        CHECK(row.id == s.id && row.booking == s.booking && row.platform == n.backbone && row.chain_count == 2 &&
              row.chain[0] == n.plain && row.chain[1] == n.backbone && strcmp(row.note, "需要质谱检测") == 0 &&
              row.tier == PSP_ROUTE_TIER_ALLIANCE);
        CHECK(psp_served_requests_iter_next(&row, it) == PSP_ITEROVER);
        row.version = 0;
        FAILS(psp_served_requests_iter_next(&row, it), PSP_EINVALID, "out");
        psp_served_requests_iter_free(it);
        psp_served_requests_iter_free(NULL);
    }

    /* Services without equipment: a weekly number of cases, then the family takes over. */
    {
        psp_service_request q = PSP_SERVICE_REQUEST_INIT;
        psp_served_request s = PSP_SERVED_REQUEST_INIT;
        psp_service_capacity_iter *it = NULL;
        psp_service_capacity c = PSP_SERVICE_CAPACITY_INIT;
        FAILS(psp_service_capacity_set(db, &plain_op, n.sub, PSP_SERVICE_QUALITY_TESTING, 1), PSP_EPERM,
              "psp_service_capacity_set");
        FAILS(psp_service_capacity_set(db, &sub_op, n.sub, PSP_SERVICE_COUNT, 1), PSP_EINVALID, "kind");
        FAILS(psp_service_capacity_set(db, &sub_op, n.sub, PSP_SERVICE_QUALITY_TESTING, -1), PSP_EINVALID,
              "cases_per_week");
        FAILS(psp_service_capacity_set(db, &sub_op, 555, PSP_SERVICE_QUALITY_TESTING, 1), PSP_ENOTFOUND, "555");
        FAILS(psp_service_capacity_set(NULL, &sub_op, n.sub, PSP_SERVICE_QUALITY_TESTING, 1), PSP_EINVALID, "db");
        OK(psp_service_capacity_set(db, &sub_op, n.sub, PSP_SERVICE_QUALITY_TESTING, 1));
        OK(psp_service_capacity_iter_new(&it, db));
        OK(psp_service_capacity_iter_next(&c, it));
        CHECK(c.platform == n.sub && c.kind == PSP_SERVICE_QUALITY_TESTING && c.cases_per_week == 1);
        CHECK(psp_service_capacity_iter_next(&c, it) == PSP_ITEROVER);
        psp_service_capacity_iter_free(it);
        FAILS(psp_service_capacity_iter_new(NULL, db), PSP_EINVALID, "out");

        q.enterprise = n.ent;
        q.kind = PSP_SERVICE_QUALITY_TESTING;
        q.start = LOCAL(1, 9, 0);
        q.end = LOCAL(4, 18, 0);
        q.minutes = 120;
        q.received_by = n.sub;
        OK(psp_fulfil(&s, &served, &reason, NULL, db, &firm, &q, NULL));
        CHECK(served == 1 && s.platform == n.sub && s.tier == PSP_ROUTE_TIER_HOME && s.booking == 0 && s.equipment == 0);
        OK(psp_fulfil(&s, &served, &reason, NULL, db, &firm, &q, NULL));
        CHECK(served == 1 && s.platform == n.backbone && s.tier == PSP_ROUTE_TIER_FAMILY && s.referral_hops == 0);
    }

    /* A one-stop front door follows its alliance's policy, set by the lead's operator. */
    {
        psp_routing_policy p = PSP_ROUTING_POLICY_INIT, got = PSP_ROUTING_POLICY_INIT;
        psp_service_request q = ms_hour(&n);
        psp_served_request s = PSP_SERVED_REQUEST_INIT;
        got.max_offers = 3;
        OK(psp_alliance_policy_get(&got, &has, db, n.alliance));
        CHECK(has == 0 && got.max_offers == 10 && got.open_tiers == PSP_ROUTE_TIERS_ALL);
        p.objective = PSP_OBJECTIVE_SHORTEST_TRAVEL;
        p.open_tiers = PSP_ROUTE_TIER_BIT(PSP_ROUTE_TIER_ALLIANCE) | PSP_ROUTE_TIER_BIT(PSP_ROUTE_TIER_HOME);
        p.max_travel_minutes = 60;
        FAILS(psp_alliance_policy_set(db, &plain_op, n.alliance, &p), PSP_EPERM, "psp_alliance_policy_set");
        FAILS(psp_alliance_policy_set(db, &op, n.alliance, NULL), PSP_EINVALID, "policy");
        FAILS(psp_alliance_policy_set(db, &op, 555, &p), PSP_ENOTFOUND, "555");
        p.open_tiers = 0;
        FAILS(psp_alliance_policy_set(db, &op, n.alliance, &p), PSP_EINVALID, "open_tiers");
        p.open_tiers = PSP_ROUTE_TIER_BIT(PSP_ROUTE_TIER_ALLIANCE) | PSP_ROUTE_TIER_BIT(PSP_ROUTE_TIER_HOME);
        OK(psp_alliance_policy_set(db, &op, n.alliance, &p));
        OK(psp_alliance_policy_get(&got, &has, db, n.alliance));
        CHECK(has == 1 && got.objective == PSP_OBJECTIVE_SHORTEST_TRAVEL && got.open_tiers == p.open_tiers &&
              got.max_travel_minutes == 60 && got.nearest_tier_first == 1 && got.weight_price_yuan == p.weight_price_yuan);
        FAILS(psp_alliance_policy_get(&got, &has, db, 555), PSP_ENOTFOUND, "555");
        FAILS(psp_alliance_policy_get(&got, NULL, db, n.alliance), PSP_EINVALID, "out_has");
        got.version = 0;
        FAILS(psp_alliance_policy_get(&got, &has, db, n.alliance), PSP_EINVALID, "out");

        q.front_door = n.alliance;
        OK(psp_fulfil(&s, &served, &reason, NULL, db, &firm, &q, NULL));
        CHECK(served == 1 && s.platform == n.backbone && s.equipment == n.eq && s.alliance == n.alliance &&
              s.front_door == n.alliance && s.referral_hops == 0);
    }

    /* Settlement rules: the default until set; shares must sum to 100 %; the default has no pool. */
    OK(psp_settlement_rule_get(&serving_bp, &referring_bp, &pool_bp, db, n.alliance));
    CHECK(serving_bp == 10000 && referring_bp == 0 && pool_bp == 0);
    FAILS(psp_settlement_rule_set(db, &op, n.alliance, 8000, 1500, 400), PSP_EINVALID, "not 10000");
    FAILS(psp_settlement_rule_set(db, &op, n.alliance, 9000, -500, 1500), PSP_EINVALID, "referring_bp"); /* sums to 10000 */
    FAILS(psp_settlement_rule_set(db, &office_a, 0, 9000, 500, 500), PSP_EINVALID, "pool");
    FAILS(psp_settlement_rule_set(db, &plain_op, n.alliance, 8000, 1500, 500), PSP_EPERM, "psp_settlement_rule_set");
    FAILS(psp_settlement_rule_set(db, &op, 555, 8000, 1500, 500), PSP_ENOTFOUND, "555");
    FAILS(psp_settlement_rule_set(db, NULL, n.alliance, 8000, 1500, 500), PSP_EINVALID, "actor");
    OK(psp_settlement_rule_set(db, &op, n.alliance, 8000, 1500, 500));
    OK(psp_settlement_rule_set(db, &office_a, 0, 9000, 1000, 0));
    OK(psp_settlement_rule_get(&serving_bp, &referring_bp, &pool_bp, db, n.alliance));
    CHECK(serving_bp == 8000 && referring_bp == 1500 && pool_bp == 500);
    OK(psp_settlement_rule_get(&serving_bp, &referring_bp, &pool_bp, db, 0));
    CHECK(serving_bp == 9000 && referring_bp == 1000 && pool_bp == 0);
    FAILS(psp_settlement_rule_get(NULL, &referring_bp, &pool_bp, db, 0), PSP_EINVALID, "out_serving_bp");
    FAILS(psp_settlement_rule_get(&serving_bp, &referring_bp, NULL, db, 0), PSP_EINVALID, "out_pool_bp");
    FAILS(psp_settlement_rule_get(&serving_bp, &referring_bp, &pool_bp, db, 555), PSP_ENOTFOUND, "555");

    /* The month's settlement: the backbone served the hub's referral (300 yuan at 15 % + 5 %). */
    {
        char want[200];
        OK(psp_settle_json(&text, db, &march));
        CHECK(text != NULL && text[0] == '{');
        if (text != NULL) {
            CHECK(strstr(text, "\"totals\":{\"enterprise_pays\":60000,\"entries\":4,\"gross\":60000,\"kept\":54000,"
                               "\"pool\":1500,\"referral\":4500,\"referrals\":1,\"transferred\":4500,"
                               "\"voucher_pays\":0}") != NULL);
            snprintf(want, sizeof want, "\"transfers\":[{\"amount\":4500,\"from\":%lld,\"to\":%lld}]",
                     (long long)n.backbone, (long long)n.plain);
            CHECK(strstr(text, want) != NULL);
            snprintf(want, sizeof want, "\"pools\":[{\"alliance\":%lld,\"amount\":1500,\"referrals\":1}]",
                     (long long)n.alliance);
            CHECK(strstr(text, want) != NULL);
            snprintf(want, sizeof want, "\"contributions\":[{\"alliance\":%lld,\"amount\":1500,\"platform\":%lld}]",
                     (long long)n.alliance, (long long)n.backbone);
            CHECK(strstr(text, want) != NULL);
            snprintf(want, sizeof want, "\"period\":{\"end\":%lld,\"start\":%lld}", (long long)march.end,
                     (long long)march.start);
            CHECK(strstr(text, want) != NULL);
            CHECK(strstr(text, "\"netting\":\"exact\"") != NULL && strstr(text, "\"vouchers\":[]") != NULL);
            snprintf(want, sizeof want, "\"balance\":4500,\"collected\":0,");
            CHECK(strstr(text, want) != NULL);
        }
        psp_free(text);
        text = NULL;
        OK(psp_settlement_ledger_json(&text, db, &march));
        CHECK(text != NULL && text[0] == '[');
        if (text != NULL) {
            snprintf(want, sizeof want, "\"referring\":%lld,\"request\":1,\"scheme\":0,\"serving\":%lld,",
                     (long long)n.plain, (long long)n.backbone);
            CHECK(strstr(text, want) != NULL);
        }
        psp_free(text);
        text = (char *)&text;
        FAILS(psp_settle_json(&text, db, &reversed), PSP_EINVALID, "period");
        CHECK(text == NULL);
        FAILS(psp_settle_json(&text, db, NULL), PSP_EINVALID, "period");
        FAILS(psp_settle_json(NULL, db, &march), PSP_EINVALID, "out");
        FAILS(psp_settle_json(&text, NULL, &march), PSP_EINVALID, "db");
        FAILS(psp_settlement_ledger_json(&text, db, &reversed), PSP_EINVALID, "period");

        /* A cancelled booking leaves the ledger. */
        OK(psp_booking_cancel(NULL, db, &firm, referred_booking));
        OK(psp_settle_json(&text, db, &march));
        CHECK(text != NULL && strstr(text, "\"transfers\":[]") != NULL && strstr(text, "\"referrals\":0") != NULL);
        psp_free(text);
    }
    psp_db_close(db);
}

/* ---- Transactions -------------------------------------------------------------------------- */

static int64_t district_count(psp_db *db) {
    psp_counts c = PSP_COUNTS_INIT;
    OK(psp_db_counts(&c, db));
    return c.districts;
}

static int in_tx(psp_db *db) {
    int v = -1;
    OK(psp_db_in_transaction(&v, db));
    return v;
}

static void test_transactions(const char *dir) {
    char path[1024], name[32];
    psp_actor a = office();
    psp_open_options o = PSP_OPEN_OPTIONS_INIT;
    psp_db *db = NULL, *other = NULL;
    psp_district d = PSP_DISTRICT_INIT;
    psp_district_iter *it = NULL;
    int64_t id = 0, first = 0, again = 0;
    int i, v = 0, rows = 0;
    char *before = NULL, *after = NULL;
    snprintf(path, sizeof path, "%s/capi_transaction.psp", dir);
    remove(path);

    /* NULL handle, NULL out. */
    FAILS(psp_db_begin(NULL), PSP_EINVALID, "db");
    FAILS(psp_db_commit(NULL), PSP_EINVALID, "db");
    FAILS(psp_db_rollback(NULL), PSP_EINVALID, "db");
    FAILS(psp_db_in_transaction(&v, NULL), PSP_EINVALID, "db");

    o.clock = test_clock;
    o.clock_context = &fixed_now;
    o.busy_timeout_ms = 0;
    OK(psp_db_open(&db, path, &o));
    if (db == NULL) return;
    FAILS(psp_db_in_transaction(NULL, db), PSP_EINVALID, "out");

    /* Commit or rollback without begin: refused, with a message. */
    CHECK(in_tx(db) == 0);
    FAILS(psp_db_commit(db), PSP_EREFUSED, "no transaction is open");
    FAILS(psp_db_rollback(db), PSP_EREFUSED, "no transaction is open");

    /* Many adds in one transaction; a change failing inside is undone alone. */
    OK(psp_db_begin(db));
    CHECK(in_tx(db) == 1);
    for (i = 0; i < 200; ++i) {
        snprintf(name, sizeof name, "District %d", i);
        d.name = name;
        d.id = 0;
        OK(psp_district_add(&id, db, &a, &d));
        if (i == 0) first = id;
    }
    d.id = first; /* taken */
    FAILS(psp_district_add(&id, db, &a, &d), PSP_EEXISTS, "already taken");
    CHECK(district_count(db) == 200); /* reads see the changes made so far */
    OK(psp_db_begin(db));             /* nested: joins */
    CHECK(in_tx(db) == 1);
    OK(psp_db_commit(db)); /* closes the nested level only */
    CHECK(in_tx(db) == 1);
    OK(psp_db_commit(db));
    CHECK(in_tx(db) == 0);
    FAILS(psp_db_commit(db), PSP_EREFUSED, "psp_db_commit");
    psp_db_close(db);

    db = NULL;
    OK(psp_db_open(&db, path, &o));
    if (db == NULL) return;
    CHECK(district_count(db) == 200);
    CHECK(journal_rows(db) == 200);

    /* Rollback leaves memory and file as they were, at any level. */
    OK(psp_db_export_json(&before, db));
    OK(psp_db_begin(db));
    OK(psp_db_begin(db));
    d.id = 0;
    d.name = "rolled back";
    OK(psp_district_add(&id, db, &a, &d));
    OK(psp_district_remove(db, &a, first));
    CHECK(district_count(db) == 200);
    OK(psp_db_rollback(db)); /* inside a nested level: the whole transaction */
    CHECK(in_tx(db) == 0);
    FAILS(psp_db_commit(db), PSP_EREFUSED, "no transaction is open"); /* the outer commit */
    CHECK(district_count(db) == 200);
    OK(psp_district_contains(&v, db, first));
    CHECK(v == 1);
    OK(psp_district_contains(&v, db, id));
    CHECK(v == 0);
    CHECK(journal_rows(db) == 200);
    OK(psp_db_export_json(&after, db));
    CHECK(before != NULL && after != NULL && strcmp(before, after) == 0);
    psp_free(after);
    after = NULL;
    /* Ids go on where the file does: the rolled-back id is free again. */
    d.id = 0;
    OK(psp_district_add(&again, db, &a, &d));
    CHECK(again == id);
    OK(psp_district_remove(db, &a, again));
    psp_db_close(db);

    db = NULL;
    OK(psp_db_open(&db, path, &o));
    if (db == NULL) return;
    OK(psp_db_export_json(&after, db));
    CHECK(before != NULL && after != NULL && strcmp(before, after) == 0);
    psp_free(after);
    after = NULL;

    /* Closing with a transaction open rolls it back and frees the write lock at once, even while
     * an iterator keeps the handle alive. */
    OK(psp_db_begin(db));
    d.name = "never committed";
    OK(psp_district_add(&id, db, &a, &d));
    OK(psp_district_iter_new(&it, db));
    OK(psp_db_open(&other, path, &o));
    if (other != NULL) CHECK(psp_db_begin(other) == PSP_EBUSY); /* the first handle writes */
    psp_db_close(db);
    if (other != NULL) {
        OK(psp_db_begin(other));
        OK(psp_db_rollback(other));
        CHECK(district_count(other) == 200);
        OK(psp_district_contains(&v, other, id));
        CHECK(v == 0);
    }
    rows = 0;
    while (psp_district_iter_next(&d, it) == 0) ++rows;
    CHECK(rows == 201); /* the snapshot taken inside the transaction */
    psp_district_iter_free(it);
    psp_db_close(other);

    psp_free(before);
    remove(path);
}

static void test_rollout(void) {
    psp_actor office_a = office(), stranger = PSP_ACTOR_INIT;
    psp_db *db = NULL;
    psp_open_options o = PSP_OPEN_OPTIONS_INIT;
    struct net n;
    psp_purchase_proposal p = PSP_PURCHASE_PROPOSAL_INIT, bad = PSP_PURCHASE_PROPOSAL_INIT;
    psp_review_thresholds t = PSP_REVIEW_THRESHOLDS_INIT;
    psp_rollout_request r = PSP_ROLLOUT_REQUEST_INIT;
    psp_zone_demand demand[2];
    char *text = NULL;
    int decision = -1, journal = 0;
    memset(&n, 0, sizeof n);

    memset(&t, 0xAB, sizeof t);
    OK(psp_review_thresholds_init(&t, PSP_REVIEW_THRESHOLDS_VERSION));
    CHECK(t.max_travel_minutes == 60 && t.busy_utilisation_bp == 7000 && t.min_expected_hours == 300);
    OK(psp_purchase_proposal_init(&p, PSP_PURCHASE_PROPOSAL_VERSION));
    CHECK(p.proposer == 0 && p.note == NULL);
    OK(psp_rollout_request_init(&r, PSP_ROLLOUT_REQUEST_VERSION));
    CHECK(r.sub_platforms == 1 && r.phases == 1 && r.max_travel_minutes == 30 && r.demand == NULL);
    FAILS(psp_rollout_request_init(&r, 2), PSP_EINVALID, "version");

    o.clock = test_clock;
    o.clock_context = &fixed_now;
    OK(psp_db_open(&db, ":memory:", &o));
    if (db == NULL) return;
    build(db, &n);

    /* The backbone proposes a second instrument of the class its own one already covers. */
    p.proposer = n.backbone;
    p.equipment_class = n.cls;
    p.zone = n.z1;
    p.purchase_value = 150000000;
    p.expected_hours_per_year = 500;
    p.note = "second instrument";
    OK(psp_purchase_review(&decision, &text, db, &office_a, &p, NULL));
    CHECK(decision == PSP_REVIEW_SHARE_EXISTING);
    CHECK(text != NULL && strstr(text, "\"decision\":\"share_existing\"") != NULL && strstr(text, "\"candidates\"") != NULL);
    psp_free(text);
    text = NULL;
    p.expected_hours_per_year = 100;
    OK(psp_purchase_review(&decision, &text, db, &office_a, &p, &t));
    CHECK(decision == PSP_REVIEW_REJECT && text != NULL && strstr(text, "too_little_use") != NULL);
    psp_free(text);
    text = NULL;

    /* Misuse: nothing journaled. */
    journal = journal_rows(db);
    FAILS(psp_purchase_review(&decision, &text, NULL, &office_a, &p, NULL), PSP_EINVALID, "db");
    FAILS(psp_purchase_review(&decision, NULL, db, &office_a, &p, NULL), PSP_EINVALID, "out");
    FAILS(psp_purchase_review(&decision, &text, db, &office_a, NULL, NULL), PSP_EINVALID, "proposal");
    bad = p;
    bad.version = 7;
    FAILS(psp_purchase_review(&decision, &text, db, &office_a, &bad, NULL), PSP_EINVALID, "version");
    bad = p;
    bad.purchase_value = -1;
    FAILS(psp_purchase_review(&decision, &text, db, &office_a, &bad, NULL), PSP_EINVALID, "purchase_value");
    bad = p;
    bad.equipment_class = 999;
    FAILS(psp_purchase_review(&decision, &text, db, &office_a, &bad, NULL), PSP_ENOTFOUND, "999");
    stranger.role = PSP_ROLE_ENTERPRISE;
    stranger.enterprise = n.ent;
    FAILS(psp_purchase_review(&decision, &text, db, &stranger, &p, NULL), PSP_EPERM, "may not");
    CHECK(text == NULL);
    CHECK(journal_rows(db) == journal);

    /* A plan of one sub-platform for the backbone over the given demand. */
    demand[0].zone = n.z1;
    demand[0].demand = 10;
    demand[1].zone = n.z2;
    demand[1].demand = 7;
    r.backbone = n.backbone;
    r.demand = demand;
    r.demand_count = 2;
    OK(psp_rollout_plan_json(&text, db, &r));
    CHECK(text != NULL && strstr(text, "\"total_demand\":17") != NULL && strstr(text, "\"phases\"") != NULL &&
          strstr(text, "63.2 %") != NULL);
    psp_free(text);
    text = NULL;
    r.sub_platforms = 9;
    FAILS(psp_rollout_plan_json(&text, db, &r), PSP_EINVALID, "candidate sites");
    r.sub_platforms = 1;
    r.demand = NULL;   /* a count without the array */
    FAILS(psp_rollout_plan_json(&text, db, &r), PSP_EINVALID, "request.demand");
    r.demand = demand;
    r.backbone = n.plain;
    FAILS(psp_rollout_plan_json(&text, db, &r), PSP_EINVALID, "not a backbone");
    FAILS(psp_rollout_plan_json(NULL, db, &r), PSP_EINVALID, "out");
    FAILS(psp_rollout_plan_json(&text, db, NULL), PSP_EINVALID, "request");
    CHECK(text == NULL);
    psp_db_close(db);
}

/* A building project of the backbone as JSON: 35 % of its milestones done, 60 % due by 2025-12-31.
 * id_key is "" (the next id) or "\"id\":N,"; weight0 the first milestone's weight; extra an extra
 * spending record or "". */
static void project_text(char *buf, size_t size, const char *id_key, int64_t owner, int weight0, const char *extra) {
    snprintf(buf, size,
             "{%s\"name\":\"Zone testing database\",\"kind\":\"database\",\"platforms\":[%lld],"
             "\"budget\":1000000000,\"funding\":{\"government\":600000000,\"platform\":300000000,"
             "\"private_capital\":100000000},\"stage\":\"building\",\"start\":\"2025-01-01\",\"end\":\"2026-12-31\","
             "\"approved\":\"2025-01-01\",\"milestones\":["
             "{\"due\":\"2025-03-31\",\"description\":\"design approved\",\"weight_bp\":%d,\"done\":\"2025-03-20\"},"
             "{\"due\":\"2025-06-30\",\"description\":\"equipment purchased\",\"weight_bp\":2500,\"done\":\"2025-06-28\"},"
             "{\"due\":\"2025-09-30\",\"description\":\"system online\",\"weight_bp\":2500},"
             "{\"due\":\"2026-03-31\",\"description\":\"pilot service\",\"weight_bp\":2000},"
             "{\"due\":\"2026-12-31\",\"description\":\"acceptance\",\"weight_bp\":2000}],"
             "\"disbursements\":[{\"on\":\"2025-02-01\",\"amount\":200000000,\"note\":\"first tranche\"}],"
             "\"spending\":[{\"on\":\"2025-03-01\",\"amount\":100000000,\"note\":\"design\"},"
             "{\"on\":\"2025-06-01\",\"amount\":100000000,\"note\":\"equipment\"}%s]}",
             id_key, (long long)owner, weight0, extra);
}

static int count_of(const char *text, const char *needle) {
    int k = 0;
    const char *p = text;
    while (p != NULL && (p = strstr(p, needle)) != NULL) {
        ++k;
        p += strlen(needle);
    }
    return k;
}

static void test_projects(void) {
    psp_actor office_a = office(), owner = PSP_ACTOR_INIT, rival = PSP_ACTOR_INIT;
    psp_db *db = NULL;
    psp_open_options o = PSP_OPEN_OPTIONS_INIT;
    struct net n;
    char json[4096], planned[512];
    char *text = NULL;
    int64_t id = -1, second = -1, ranking[2];
    memset(&n, 0, sizeof n);

    o.clock = test_clock;
    o.clock_context = &fixed_now;
    OK(psp_db_open(&db, ":memory:", &o));
    if (db == NULL) return;
    build(db, &n);
    owner.role = PSP_ROLE_PLATFORM_OPERATOR;
    owner.platform = n.backbone;
    rival.role = PSP_ROLE_PLATFORM_OPERATOR;
    rival.platform = n.rival;

    /* Filed by the office with id 0: the next id. A planned one without an id. */
    project_text(json, sizeof json, "\"id\":0,", n.backbone, 1000, "");
    OK(psp_project_add_json(&id, db, &office_a, json));
    CHECK(id == 1);
    snprintf(planned, sizeof planned,
             "{\"name\":\"Second database\",\"kind\":\"large_laboratory\",\"platforms\":[%lld],\"budget\":0,"
             "\"score\":80,\"start\":\"2026-01-01\",\"end\":\"2026-12-31\"}",
             (long long)n.backbone);
    OK(psp_project_add_json(&second, db, &office_a, planned));
    CHECK(second == 2);
    OK(psp_project_get_json(&text, db, id));
    CHECK(text != NULL && strstr(text, "\"name\":\"Zone testing database\"") != NULL &&
          strstr(text, "\"stage\":\"building\"") != NULL && strstr(text, "\"id\":1") != NULL);
    psp_free(text);
    text = NULL;
    OK(psp_projects_json(&text, db));
    CHECK(text != NULL && text[0] == '[' && count_of(text, "\"budget\":") == 2 &&
          strstr(text, "\"stage\":\"planned\"") != NULL);
    psp_free(text);
    text = NULL;

    /* The owner records progress; a rival operator may not; the stage does not move by update. */
    project_text(json, sizeof json, "\"id\":1,", n.backbone, 1000,
                 ",{\"on\":\"2025-09-01\",\"amount\":500000,\"note\":\"staff\"}");
    OK(psp_project_update_json(db, &owner, json));
    OK(psp_project_get_json(&text, db, id));
    CHECK(text != NULL && strstr(text, "\"note\":\"staff\"") != NULL);
    psp_free(text);
    text = NULL;
    FAILS(psp_project_update_json(db, &rival, json), PSP_EPERM, "may not");
    FAILS(psp_project_update_json(db, &office_a, "{\"id\":2,\"name\":\"Second database\",\"kind\":\"database\","
                                                 "\"platforms\":[1],\"budget\":0,\"stage\":\"reserved\","
                                                 "\"start\":\"2026-01-01\",\"end\":\"2026-12-31\"}"),
          PSP_EREFUSED, "stage");
    FAILS(psp_project_add_json(&id, db, &owner, json), PSP_EPERM, "may not");

    /* Bad projects: nothing changes. */
    project_text(json, sizeof json, "\"id\":1,", n.backbone, 500, "");   /* weights sum to 9500 */
    FAILS(psp_project_update_json(db, &office_a, json), PSP_EINVALID, "weights");
    project_text(json, sizeof json, "", n.backbone, 500, "");
    FAILS(psp_project_add_json(&id, db, &office_a, json), PSP_EINVALID, "weights");
    CHECK(id == 1);
    FAILS(psp_project_add_json(&id, db, &office_a, "{\"name\":"), PSP_EINVALID, "project_json: malformed JSON");
    FAILS(psp_project_add_json(&id, db, &office_a,
                               "{\"name\":\"x\",\"kind\":\"database\",\"platforms\":[1],\"budget\":0,"
                               "\"start\":\"2025-01-01\",\"end\":\"2025-12-31\",\"colour\":\"red\"}"),
          PSP_EINVALID, "project_json/colour");
    FAILS(psp_project_add_json(&id, db, &office_a,
                               "{\"name\":\"x\",\"kind\":\"database\",\"platforms\":[1],\"budget\":0,"
                               "\"start\":\"2025-02-30\",\"end\":\"2025-12-31\"}"),
          PSP_EINVALID, "project_json/start");
    FAILS(psp_project_add_json(&id, db, &office_a, "[]"), PSP_EINVALID, "project_json");
    FAILS(psp_project_add_json(&id, db, &office_a, NULL), PSP_EINVALID, "project_json");
    FAILS(psp_project_add_json(&id, db, &office_a, bad_utf8), PSP_EINVALID, "project_json");
    FAILS(psp_project_add_json(NULL, db, &office_a, planned), PSP_EINVALID, "out_id");
    FAILS(psp_project_add_json(&id, NULL, &office_a, planned), PSP_EINVALID, "db");
    FAILS(psp_project_add_json(&id, db, NULL, planned), PSP_EINVALID, "actor");
    FAILS(psp_project_update_json(db, &office_a, NULL), PSP_EINVALID, "project_json");
    FAILS(psp_project_get_json(&text, db, 99), PSP_ENOTFOUND, "99");
    FAILS(psp_project_get_json(NULL, db, 1), PSP_EINVALID, "out");
    FAILS(psp_projects_json(NULL, db), PSP_EINVALID, "out");
    OK(psp_projects_json(&text, db));
    CHECK(text != NULL && count_of(text, "\"budget\":") == 2 && strstr(text, "\"weight_bp\":500") == NULL);
    psp_free(text);
    text = NULL;

    /* The pipeline: room for one reserved project; the building one stays with milestones open. */
    OK(psp_pipeline_advance_json(&text, db, &office_a, "{\"reserved\":1}", NULL, 0, "2025-01-15"));
    CHECK(text != NULL && strstr(text, "\"on\":\"2025-01-15\"") != NULL && count_of(text, "\"outcome\":") == 2 &&
          strstr(text, "\"outcome\":\"promoted\"") != NULL && strstr(text, "\"government_limit\":null") != NULL);
    psp_free(text);
    text = NULL;
    OK(psp_project_get_json(&text, db, second));
    CHECK(text != NULL && strstr(text, "\"stage\":\"reserved\"") != NULL);
    psp_free(text);
    text = NULL;
    ranking[0] = second;
    ranking[1] = second;   /* listed twice */
    FAILS(psp_pipeline_advance_json(&text, db, &office_a, NULL, ranking, 2, "2025-02-01"), PSP_EINVALID, "");
    FAILS(psp_pipeline_advance_json(&text, db, &office_a, NULL, NULL, 1, "2025-02-01"), PSP_EINVALID, "ranking");
    FAILS(psp_pipeline_advance_json(&text, db, &office_a, "{\"plannd\":3}", NULL, 0, "2025-02-01"), PSP_EINVALID,
          "targets_json/plannd");
    FAILS(psp_pipeline_advance_json(&text, db, &office_a, "{\"building\":-1}", NULL, 0, "2025-02-01"), PSP_EINVALID,
          "targets_json");
    FAILS(psp_pipeline_advance_json(&text, db, &office_a, "{\"building\":", NULL, 0, "2025-02-01"), PSP_EINVALID,
          "targets_json: malformed JSON");
    FAILS(psp_pipeline_advance_json(&text, db, &office_a, NULL, NULL, 0, "2025-2-01"), PSP_EINVALID, "date");
    FAILS(psp_pipeline_advance_json(&text, db, &office_a, NULL, NULL, 0, NULL), PSP_EINVALID, "date");
    FAILS(psp_pipeline_advance_json(&text, db, &owner, NULL, NULL, 0, "2025-02-01"), PSP_EPERM, "may not");
    FAILS(psp_pipeline_advance_json(NULL, db, &office_a, NULL, NULL, 0, "2025-02-01"), PSP_EINVALID, "out");
    CHECK(text == NULL);

    /* Supervision: behind by 25 points → rectify by 2026-03-31 → suspend_funding → revoke. */
    FAILS(psp_supervise_json(&text, db, &office_a, NULL, "2025-12-32"), PSP_EINVALID, "date");
    FAILS(psp_supervise_json(&text, db, &office_a, NULL, "31/12/2025"), PSP_EINVALID, "date");
    FAILS(psp_supervise_json(&text, db, &office_a, "{\"behind_rectify_bp\":\"x\"}", "2025-12-31"), PSP_EINVALID,
          "thresholds_json/behind_rectify_bp");
    FAILS(psp_supervise_json(&text, db, &office_a, "{\"behind_rectify_bp\":500}", "2025-12-31"), PSP_EINVALID,
          "thresholds_json");
    FAILS(psp_supervise_json(&text, db, &office_a, "{\"colour\":1}", "2025-12-31"), PSP_EINVALID,
          "thresholds_json/colour");
    FAILS(psp_supervise_json(&text, db, &owner, NULL, "2025-12-31"), PSP_EPERM, "may not");
    OK(psp_supervision_decisions_json(&text, db, 0));
    CHECK(text != NULL && strcmp(text, "[]") == 0);
    psp_free(text);
    text = NULL;
    OK(psp_supervise_json(&text, db, &office_a, "{\"rectify_days\":90}", "2025-12-31"));
    CHECK(text != NULL && count_of(text, "\"verdict\":\"rectify\"") >= 1 &&
          strstr(text, "\"deadline\":\"2026-03-31\"") != NULL && count_of(text, "\"on\":\"2025-12-31\"") == 1);
    psp_free(text);
    text = NULL;
    OK(psp_supervise_json(&text, db, &office_a, NULL, "2026-04-01"));
    CHECK(text != NULL && strstr(text, "\"rule\":\"rectification_missed\"") != NULL &&
          strstr(text, "\"verdict\":\"suspend_funding\"") != NULL);
    psp_free(text);
    text = NULL;
    OK(psp_supervise_json(&text, db, &office_a, NULL, "2026-07-01"));
    CHECK(text != NULL && strstr(text, "\"verdict\":\"revoke\"") != NULL);
    psp_free(text);
    text = NULL;
    OK(psp_project_get_json(&text, db, id));
    CHECK(text != NULL && strstr(text, "\"stage\":\"revoked\"") != NULL);
    psp_free(text);
    text = NULL;
    OK(psp_supervision_decisions_json(&text, db, id));
    CHECK(text != NULL && count_of(text, "\"figures\":") == 3);
    psp_free(text);
    text = NULL;
    OK(psp_supervision_decisions_json(&text, db, second));
    CHECK(text != NULL && strcmp(text, "[]") == 0);
    psp_free(text);
    text = NULL;
    FAILS(psp_supervision_decisions_json(&text, db, -1), PSP_EINVALID, "project");
    FAILS(psp_supervision_decisions_json(NULL, db, 0), PSP_EINVALID, "out");

    /* The report of the first half of 2026: the suspension of April is the last decision. */
    OK(psp_supervision_report_text(&text, db, "Shangcheng District Service Industry Office", "2026 H1", "2026-01-01",
                                   "2026-06-30"));
    CHECK(text != NULL && strstr(text, "Zone testing database") != NULL && strstr(text, "2026 H1") != NULL);
    psp_free(text);
    text = NULL;
    OK(psp_supervision_report_json(&text, db, "Shangcheng District Service Industry Office", "2026 H1",
                                   "2026-01-01", "2026-06-30"));
    CHECK(text != NULL && strstr(text, "\"verdict\":\"suspend_funding\"") != NULL &&
          strstr(text, "\"label\":\"2026 H1\"") != NULL && count_of(text, "\"decision\":") == 1);
    psp_free(text);
    text = NULL;
    FAILS(psp_supervision_report_json(&text, db, "Office", "reversed", "2026-06-30", "2026-01-01"), PSP_EINVALID, "");
    FAILS(psp_supervision_report_json(&text, db, "Office", "H1", "2026-01-01", "2026-06-31"), PSP_EINVALID,
          "last_date");
    FAILS(psp_supervision_report_text(&text, db, "Office", "H1", "20260101", "2026-06-30"), PSP_EINVALID,
          "first_date");
    FAILS(psp_supervision_report_text(&text, db, NULL, "H1", "2026-01-01", "2026-06-30"), PSP_EINVALID, "office");
    FAILS(psp_supervision_report_text(&text, db, "Office", NULL, "2026-01-01", "2026-06-30"), PSP_EINVALID, "label");
    FAILS(psp_supervision_report_text(&text, NULL, "Office", "H1", "2026-01-01", "2026-06-30"), PSP_EINVALID, "db");
    FAILS(psp_supervision_report_text(NULL, db, "Office", "H1", "2026-01-01", "2026-06-30"), PSP_EINVALID, "out");
    CHECK(text == NULL);
    psp_db_close(db);
}

/* Helpers of the certification and plan tests: *text is released and cleared. */
static void drop(char **text) {
    psp_free(*text);
    *text = NULL;
}

static int answered(char **text, const char *needle) {
    int found = *text != NULL && strstr(*text, needle) != NULL;
    if (!found) fprintf(stderr, "  '%s' not in: %s\n", needle, *text != NULL ? *text : "(null)");
    return found;
}

static const char certification_standards[] =
    "{\"standards\":["
    "{\"level\":\"provincial\",\"min_years_operating\":3,\"min_grade\":\"good\",\"min_enterprises_served\":50,"
    "\"min_expert_score\":750,\"min_years_recognised_below\":2},"
    "{\"level\":\"municipal\",\"min_years_operating\":2,\"min_grade\":\"good\",\"min_enterprises_served\":1,"
    "\"min_expert_score\":600,\"validity_years\":3}]}";

/* A platform record as JSON: years operating, grade and enterprises served given. */
static void record_text(char *buf, size_t size, int64_t platform, const char *grade, int enterprises) {
    snprintf(buf, size,
             "{\"platform\":%lld,\"years_operating\":4,\"grade\":\"%s\",\"enterprises_served\":%d,"
             "\"utilisation_bp\":4200,\"published_services\":true}",
             (long long)platform, grade, enterprises);
}

static void test_certification(void) {
    psp_actor office_a = office(), owner = PSP_ACTOR_INIT, rival = PSP_ACTOR_INIT, expert = PSP_ACTOR_INIT;
    psp_db *db = NULL;
    psp_open_options o = PSP_OPEN_OPTIONS_INIT;
    struct net n;
    char record[512], application[1024], json[1024];
    char *text = NULL;
    int64_t id = -1;
    int rows;
    memset(&n, 0, sizeof n);

    o.clock = test_clock;
    o.clock_context = &fixed_now;
    OK(psp_db_open(&db, ":memory:", &o));
    if (db == NULL) return;
    build(db, &n);
    owner.role = PSP_ROLE_PLATFORM_OPERATOR;
    owner.platform = n.backbone;
    rival.role = PSP_ROLE_PLATFORM_OPERATOR;
    rival.platform = n.rival;
    expert.role = PSP_ROLE_EXPERT;

    record_text(record, sizeof record, n.backbone, "good", 12);
    snprintf(application, sizeof application,
             "{\"platform\":%lld,\"level\":\"municipal\",\"filed\":\"2025-03-01\",\"record\":%s}",
             (long long)n.backbone, record);

    /* Nothing to apply for before the office publishes standards; only the office publishes. */
    FAILS(psp_certification_apply_json(&id, db, &owner, application), PSP_EREFUSED, "no certification standard");
    rows = journal_rows(db);
    FAILS(psp_certification_standards_set_json(db, &owner, certification_standards), PSP_EPERM, "may not");
    FAILS(psp_certification_standards_set_json(
              db, &office_a,
              "{\"standards\":[{\"level\":\"municipal\",\"min_utilisation_bp\":4000},"
              "{\"level\":\"provincial\",\"min_utilisation_bp\":3000}]}"),
          PSP_EINVALID, "standards_json/standards: certification standards: provincial min_utilisation_bp");
    FAILS(psp_certification_standards_set_json(db, &office_a,
                                               "{\"standards\":[{\"level\":\"municipal\",\"colour\":1}]}"),
          PSP_EINVALID, "standards_json/standards/0/colour");
    FAILS(psp_certification_standards_set_json(db, &office_a, "{\"standards\":[{\"level\":\"regional\"}]}"),
          PSP_EINVALID, "standards_json/standards/0/level");
    FAILS(psp_certification_standards_set_json(
              db, &office_a, "{\"standards\":[{\"level\":\"municipal\"}],\"panel\":{\"max_score\":100}}"),
          PSP_EINVALID, "standards_json: certification standard municipal min_expert_score");
    FAILS(psp_certification_standards_set_json(db, &office_a, "{\"standards\":"), PSP_EINVALID,
          "standards_json: malformed JSON");
    FAILS(psp_certification_standards_set_json(db, &office_a, "{}"), PSP_EINVALID, "standards_json/standards");
    FAILS(psp_certification_standards_set_json(db, &office_a, NULL), PSP_EINVALID, "standards_json");
    FAILS(psp_certification_standards_set_json(db, NULL, certification_standards), PSP_EINVALID, "actor");
    FAILS(psp_certification_standards_set_json(NULL, &office_a, certification_standards), PSP_EINVALID, "db");
    CHECK(journal_rows(db) == rows);
    OK(psp_certification_standards_json(&text, db));
    CHECK(answered(&text, "\"standards\":[]") && answered(&text, "\"max_score\":1000"));
    drop(&text);

    OK(psp_certification_standards_set_json(db, &office_a, certification_standards));
    OK(psp_certification_standards_json(&text, db));
    CHECK(text != NULL && strstr(text, "\"level\":\"municipal\"") != NULL &&
          strstr(text, "\"level\":\"municipal\"") < strstr(text, "\"level\":\"provincial\"") &&
          answered(&text, "\"min_enterprises_served\":50") && answered(&text, "\"panel\":{"));
    drop(&text);
    FAILS(psp_certification_standards_json(NULL, db), PSP_EINVALID, "out");

    /* What the database knows of the platform: no bookings, no recognition yet. */
    OK(psp_platform_record_json(&text, db, n.backbone, "2025-03-01"));
    CHECK(answered(&text, "\"enterprises_served\":0") && answered(&text, "\"grade\":null") &&
          answered(&text, "\"years_recognised\":{\"municipal\":0"));
    drop(&text);
    FAILS(psp_platform_record_json(&text, db, 99, "2025-03-01"), PSP_ENOTFOUND, "99");
    FAILS(psp_platform_record_json(&text, db, 0, "2025-03-01"), PSP_EINVALID, "platform");
    FAILS(psp_platform_record_json(&text, db, n.backbone, "2025-02-30"), PSP_EINVALID, "date");
    FAILS(psp_platform_record_json(&text, db, n.backbone, NULL), PSP_EINVALID, "date");
    CHECK(text == NULL);

    /* The application: only the platform itself (or the office) applies, with its own record. */
    rows = journal_rows(db);
    FAILS(psp_certification_apply_json(&id, db, &rival, application), PSP_EPERM, "may not");
    snprintf(json, sizeof json, "{\"platform\":%lld,\"level\":\"municipal\",\"filed\":\"2025-03-01\",\"record\":%s}",
             (long long)n.rival, record);
    FAILS(psp_certification_apply_json(&id, db, &office_a, json), PSP_EINVALID, "application_json/record/platform");
    snprintf(json, sizeof json, "{\"platform\":%lld,\"level\":\"municipal\",\"filed\":\"2025-02-30\",\"record\":%s}",
             (long long)n.backbone, record);
    FAILS(psp_certification_apply_json(&id, db, &owner, json), PSP_EINVALID, "application_json/filed");
    snprintf(json, sizeof json,
             "{\"platform\":%lld,\"level\":\"municipal\",\"filed\":\"2025-03-01\",\"record\":{\"platform\":%lld,"
             "\"utilisation_bp\":12000}}",
             (long long)n.backbone, (long long)n.backbone);
    FAILS(psp_certification_apply_json(&id, db, &owner, json), PSP_EINVALID, "application_json/record");
    snprintf(json, sizeof json, "{\"platform\":99,\"level\":\"municipal\",\"filed\":\"2025-03-01\",\"record\":%s}",
             "{\"platform\":99}");
    FAILS(psp_certification_apply_json(&id, db, &office_a, json), PSP_ENOTFOUND, "99");
    FAILS(psp_certification_apply_json(&id, db, &owner, "{\"platform\":"), PSP_EINVALID,
          "application_json: malformed JSON");
    FAILS(psp_certification_apply_json(&id, db, &owner, bad_utf8), PSP_EINVALID, "application_json");
    FAILS(psp_certification_apply_json(&id, db, &owner, NULL), PSP_EINVALID, "application_json");
    FAILS(psp_certification_apply_json(NULL, db, &owner, application), PSP_EINVALID, "out_id");
    CHECK(id == -1);
    CHECK(journal_rows(db) == rows);
    OK(psp_certification_cases_json(&text, db));
    CHECK(text != NULL && strcmp(text, "[]") == 0);
    drop(&text);
    OK(psp_certification_apply_json(&id, db, &owner, application));
    CHECK(id == 1);
    FAILS(psp_certification_apply_json(&id, db, &owner, application), PSP_EEXISTS, "open application");

    /* Experts score one by one; the office does not score; nobody scores twice or out of range. */
    expert.name = "Wang";
    OK(psp_certification_score(db, &expert, id, 820));
    expert.name = "Li";
    OK(psp_certification_score(db, &expert, id, 900));
    rows = journal_rows(db);
    FAILS(psp_certification_score(db, &office_a, id, 700), PSP_EPERM, "may not");
    expert.name = "Wang";
    FAILS(psp_certification_score(db, &expert, id, 800), PSP_EINVALID, "already");
    expert.name = "Zhao";
    FAILS(psp_certification_score(db, &expert, id, 1001), PSP_EINVALID, "1001");
    FAILS(psp_certification_score(db, &expert, 9, 700), PSP_ENOTFOUND, "9");
    FAILS(psp_certification_score(db, &expert, 0, 700), PSP_EINVALID, "case_id");
    FAILS(psp_certification_score(db, NULL, id, 700), PSP_EINVALID, "actor");
    FAILS(psp_certification_decide_json(&text, db, &office_a, id, "2025-04-01"), PSP_EINVALID, "3 experts required");
    CHECK(journal_rows(db) == rows);
    OK(psp_certification_score(db, &expert, id, 700));
    expert.name = "Qian";
    OK(psp_certification_score(db, &expert, id, 850));
    OK(psp_certification_case_json(&text, db, id));
    CHECK(count_of(text, "\"expert\":") == 4 && answered(&text, "\"decision\":null"));
    drop(&text);

    /* The decision: 700 and 900 dropped, (820 + 850) / 2 = 83.5 >= 60.0, recognised from the day. */
    FAILS(psp_certification_decide_json(&text, db, &owner, id, "2025-04-01"), PSP_EPERM, "may not");
    FAILS(psp_certification_decide_json(&text, db, &office_a, id, "2025-02-01"), PSP_EINVALID, "before");
    FAILS(psp_certification_decide_json(&text, db, &office_a, id, "2025/04/01"), PSP_EINVALID, "date");
    FAILS(psp_certification_decide_json(&text, db, &office_a, 9, "2025-04-01"), PSP_ENOTFOUND, "9");
    FAILS(psp_certification_decide_json(NULL, db, &office_a, id, "2025-04-01"), PSP_EINVALID, "out");
    CHECK(text == NULL);
    OK(psp_certification_decide_json(&text, db, &office_a, id, "2025-04-01"));
    CHECK(answered(&text, "\"approved\":true") && answered(&text, "\"certificate\":1") &&
          answered(&text, "\"score\":835") && answered(&text, "\"score_text\":\"83.5\"") &&
          answered(&text, "\"dropped_highest\":\"Li\"") && answered(&text, "\"decided\":\"2025-04-01\""));
    drop(&text);
    FAILS(psp_certification_decide_json(&text, db, &office_a, id, "2025-04-02"), PSP_EREFUSED, "already decided");
    expert.name = "Sun";
    FAILS(psp_certification_score(db, &expert, id, 700), PSP_EREFUSED, "decided");
    OK(psp_certification_case_json(&text, db, id));
    CHECK(answered(&text, "\"certificate\":1") && answered(&text, "\"id\":1"));
    drop(&text);
    FAILS(psp_certification_case_json(&text, db, 2), PSP_ENOTFOUND, "2");
    FAILS(psp_certification_case_json(&text, db, -1), PSP_EINVALID, "case_id");
    OK(psp_certification_cases_json(&text, db));
    CHECK(text != NULL && text[0] == '[' && count_of(text, "\"application\":") == 1);
    drop(&text);

    /* The recognition: valid [2025-04-01, 2028-04-01), then due for review. */
    OK(psp_recognition_json(&text, db, n.backbone, "2025-04-01"));
    CHECK(answered(&text, "\"level\":\"municipal\"") && answered(&text, "\"until\":\"2028-04-01\"") &&
          answered(&text, "\"end\":\"open\""));
    drop(&text);
    OK(psp_recognition_json(&text, db, n.backbone, "2025-03-31"));
    CHECK(text != NULL && strcmp(text, "null") == 0);
    drop(&text);
    FAILS(psp_recognition_json(&text, db, 99, "2025-04-01"), PSP_ENOTFOUND, "99");
    FAILS(psp_recognition_json(&text, db, n.backbone, "2025-04-31"), PSP_EINVALID, "date");
    OK(psp_recognitions_due_json(&text, db, "2028-04-01"));
    CHECK(count_of(text, "\"number\":") == 1);
    drop(&text);
    OK(psp_recognitions_due_json(&text, db, "2028-03-31"));
    CHECK(text != NULL && strcmp(text, "[]") == 0);
    drop(&text);
    FAILS(psp_recognitions_due_json(&text, db, ""), PSP_EINVALID, "date");
    OK(psp_recognitions_json(&text, db, 0));
    CHECK(count_of(text, "\"number\":") == 1);
    drop(&text);
    OK(psp_recognitions_json(&text, db, n.backbone));
    CHECK(count_of(text, "\"number\":") == 1);
    drop(&text);
    OK(psp_recognitions_json(&text, db, n.rival));
    CHECK(text != NULL && strcmp(text, "[]") == 0);
    drop(&text);
    FAILS(psp_recognitions_json(&text, db, -1), PSP_EINVALID, "platform");
    FAILS(psp_recognitions_json(&text, db, 99), PSP_ENOTFOUND, "99");
    OK(psp_platform_record_json(&text, db, n.backbone, "2027-04-01"));
    CHECK(answered(&text, "\"years_recognised\":{\"municipal\":2"));
    drop(&text);

    /* The review at term end: now graded poor, it meets no level and is withdrawn. */
    record_text(record, sizeof record, n.backbone, "poor", 12);
    rows = journal_rows(db);
    FAILS(psp_recognition_review_json(&text, db, &owner, record, "2028-04-01"), PSP_EPERM, "may not");
    FAILS(psp_recognition_review_json(&text, db, &office_a, "{\"platform\":1,\"grade\":\"bad\"}", "2028-04-01"),
          PSP_EINVALID, "record_json/grade");
    FAILS(psp_recognition_review_json(&text, db, &office_a, "{\"platform\":1,\"utilisation_bp\":12000}", "2028-04-01"),
          PSP_EINVALID, "record_json");
    FAILS(psp_recognition_review_json(&text, db, &office_a, "{", "2028-04-01"), PSP_EINVALID,
          "record_json: malformed JSON");
    FAILS(psp_recognition_review_json(&text, db, &office_a, record, "2028-4-1"), PSP_EINVALID, "date");
    snprintf(json, sizeof json, "{\"platform\":%lld}", (long long)n.rival);
    FAILS(psp_recognition_review_json(&text, db, &office_a, json, "2028-04-01"), PSP_ENOTFOUND, "");
    FAILS(psp_recognition_review_json(&text, db, &office_a, "{\"platform\":99}", "2028-04-01"), PSP_ENOTFOUND, "99");
    CHECK(text == NULL);
    CHECK(journal_rows(db) == rows);
    OK(psp_recognition_review_json(&text, db, &office_a, record, "2028-04-01"));
    CHECK(answered(&text, "\"kind\":\"withdrawn\"") && answered(&text, "\"to_level\":null") &&
          answered(&text, "\"next\":null"));
    drop(&text);
    OK(psp_recognition_json(&text, db, n.backbone, "2028-04-01"));
    CHECK(text != NULL && strcmp(text, "null") == 0);
    drop(&text);
    OK(psp_recognitions_json(&text, db, n.backbone));
    CHECK(answered(&text, "\"end\":\"withdrawn\"") && answered(&text, "\"ended\":\"2028-04-01\""));
    drop(&text);
    psp_db_close(db);
}

/* The 2025 annual plan of a 2021-2025 city plan: a task of the backbone (11), of the rival lab
 * (12) and of the office (13), all assigned on 2025-01-05. id_key is "" or "\"id\":N,"; status11
 * the status (and date) of task 11; deadline13 the office task's deadline. */
static void plan_text(char *buf, size_t size, const char *id_key, int64_t tech, int64_t quality, const char *status11,
                      const char *deadline13) {
    snprintf(buf, size,
             "{%s\"title\":\"Service-zone platform plan 2021-2025\",\"first_year\":2021,\"last_year\":2025,"
             "\"annual_plans\":[{\"id\":1,\"year\":2025,\"title\":\"2025 annual plan\",\"tasks\":["
             "{\"id\":11,\"title\":\"Open the one-stop front door\",\"unit\":{\"platform\":%lld},"
             "\"created\":\"2025-01-05\",\"deadline\":\"2025-03-31\",%s},"
             "{\"id\":12,\"title\":\"Publish fees and processes\",\"unit\":{\"platform\":%lld},"
             "\"created\":\"2025-01-05\",\"deadline\":\"2025-04-30\"},"
             "{\"id\":13,\"title\":\"Draft the certification rules\",\"unit\":{\"office\":\"推进办公室\"},"
             "\"created\":\"2025-01-05\",\"deadline\":\"%s\"}]}]}",
             id_key, (long long)tech, status11, (long long)quality, deadline13);
}

#define IN_PROGRESS "\"status\":\"in_progress\""
#define DONE_APRIL "\"status\":\"done\",\"done_on\":\"2025-04-10\""

static void test_plans(void) {
    psp_actor office_a = office(), owner = PSP_ACTOR_INIT;
    psp_db *db = NULL;
    psp_open_options o = PSP_OPEN_OPTIONS_INIT;
    struct net n;
    char json[2048];
    char *text = NULL;
    int64_t id = -1;
    int rows;
    memset(&n, 0, sizeof n);

    o.clock = test_clock;
    o.clock_context = &fixed_now;
    OK(psp_db_open(&db, ":memory:", &o));
    if (db == NULL) return;
    build(db, &n);
    owner.role = PSP_ROLE_PLATFORM_OPERATOR;
    owner.platform = n.backbone;

    /* Filing: the office only; a plan that does not hold together is refused whole. */
    rows = journal_rows(db);
    plan_text(json, sizeof json, "", n.backbone, n.rival, IN_PROGRESS, "2025-06-30");
    FAILS(psp_city_plan_add_json(&id, db, &owner, json), PSP_EPERM, "may not");
    plan_text(json, sizeof json, "", n.backbone, n.rival, IN_PROGRESS, "2026-01-31");   /* outside the 2025 plan */
    FAILS(psp_city_plan_add_json(&id, db, &office_a, json), PSP_EINVALID, "plan_json: city plan 1");
    FAILS(psp_city_plan_add_json(&id, db, &office_a, json), PSP_EINVALID, "deadline");
    plan_text(json, sizeof json, "", n.backbone, n.rival, IN_PROGRESS, "2025-02-30");
    FAILS(psp_city_plan_add_json(&id, db, &office_a, json), PSP_EINVALID,
          "plan_json/annual_plans/0/tasks/2/deadline");
    plan_text(json, sizeof json, "", n.backbone, 99, IN_PROGRESS, "2025-06-30");
    FAILS(psp_city_plan_add_json(&id, db, &office_a, json), PSP_ENOTFOUND, "99");
    plan_text(json, sizeof json, "\"id\":-2,", n.backbone, n.rival, IN_PROGRESS, "2025-06-30");
    FAILS(psp_city_plan_add_json(&id, db, &office_a, json), PSP_EINVALID, "plan_json");
    FAILS(psp_city_plan_add_json(&id, db, &office_a, "{\"title\":\"x\",\"first_year\":2021,\"last_year\":2025,"
                                                     "\"colour\":\"red\"}"),
          PSP_EINVALID, "plan_json/colour");
    FAILS(psp_city_plan_add_json(&id, db, &office_a, "{\"title\":"), PSP_EINVALID, "plan_json: malformed JSON");
    FAILS(psp_city_plan_add_json(&id, db, &office_a, "[]"), PSP_EINVALID, "plan_json");
    FAILS(psp_city_plan_add_json(&id, db, &office_a, NULL), PSP_EINVALID, "plan_json");
    FAILS(psp_city_plan_add_json(&id, db, NULL, json), PSP_EINVALID, "actor");
    FAILS(psp_city_plan_add_json(&id, NULL, &office_a, json), PSP_EINVALID, "db");
    FAILS(psp_city_plan_add_json(NULL, db, &office_a, json), PSP_EINVALID, "out_id");
    CHECK(id == -1);
    CHECK(journal_rows(db) == rows);
    OK(psp_city_plans_json(&text, db));
    CHECK(text != NULL && strcmp(text, "[]") == 0);
    drop(&text);

    plan_text(json, sizeof json, "", n.backbone, n.rival, IN_PROGRESS, "2025-06-30");
    OK(psp_city_plan_add_json(&id, db, &office_a, json));
    CHECK(id == 1);
    plan_text(json, sizeof json, "\"id\":1,", n.backbone, n.rival, IN_PROGRESS, "2025-06-30");
    FAILS(psp_city_plan_add_json(&id, db, &office_a, json), PSP_EEXISTS, "city plan 1");
    OK(psp_city_plan_json(&text, db, id));
    CHECK(answered(&text, "\"title\":\"Service-zone platform plan 2021-2025\"") &&
          answered(&text, "\"unit\":{\"office\":\"推进办公室\"}") && answered(&text, "\"done_on\":null") &&
          answered(&text, "\"status\":\"in_progress\""));
    drop(&text);
    FAILS(psp_city_plan_json(&text, db, 5), PSP_ENOTFOUND, "5");
    FAILS(psp_city_plan_json(&text, db, 0), PSP_EINVALID, "id");
    OK(psp_city_plans_json(&text, db));
    CHECK(count_of(text, "\"first_year\":") == 1);
    drop(&text);

    /* The backbone reports its own task done; it may not report the rival's nor the office's. */
    OK(psp_task_status_set(db, &owner, id, 11, PSP_TASK_DONE, "2025-04-10"));
    rows = journal_rows(db);
    FAILS(psp_task_status_set(db, &owner, id, 12, PSP_TASK_DONE, "2025-04-10"), PSP_EPERM, "may not");
    FAILS(psp_task_status_set(db, &owner, id, 13, PSP_TASK_DONE, "2025-04-10"), PSP_EPERM, "may not");
    FAILS(psp_task_status_set(db, &office_a, id, 99, PSP_TASK_DONE, "2025-04-10"), PSP_ENOTFOUND, "99");
    FAILS(psp_task_status_set(db, &office_a, 5, 12, PSP_TASK_DONE, "2025-04-10"), PSP_ENOTFOUND, "5");
    FAILS(psp_task_status_set(db, &office_a, id, 12, PSP_TASK_DONE, "2024-12-01"), PSP_EINVALID, "done_on");
    FAILS(psp_task_status_set(db, &office_a, id, 12, 7, "2025-04-10"), PSP_EINVALID, "status");
    FAILS(psp_task_status_set(db, &office_a, id, 12, -1, "2025-04-10"), PSP_EINVALID, "status");
    FAILS(psp_task_status_set(db, &office_a, id, 12, PSP_TASK_DONE, "2025-13-01"), PSP_EINVALID, "date");
    FAILS(psp_task_status_set(db, &office_a, id, 12, PSP_TASK_DONE, NULL), PSP_EINVALID, "date");
    FAILS(psp_task_status_set(db, &office_a, 0, 12, PSP_TASK_DONE, "2025-04-10"), PSP_EINVALID, "plan");
    FAILS(psp_task_status_set(db, &office_a, id, 0, PSP_TASK_DONE, "2025-04-10"), PSP_EINVALID, "task");
    FAILS(psp_task_status_set(db, NULL, id, 12, PSP_TASK_DONE, "2025-04-10"), PSP_EINVALID, "actor");
    CHECK(journal_rows(db) == rows);
    OK(psp_city_plan_json(&text, db, id));
    CHECK(answered(&text, "\"done_on\":\"2025-04-10\"") && count_of(text, "\"status\":\"done\"") == 1);
    drop(&text);

    /* On 2025-07-01: task 11 done late, 12 overdue 62 days, 13 overdue 1 day. */
    OK(psp_overdue_report_json(&text, db, id, "2025-07-01"));
    CHECK(answered(&text, "\"due\":3") && answered(&text, "\"done_late\":1") && answered(&text, "\"overdue\":2") &&
          answered(&text, "\"most_days_overdue\":62") && answered(&text, "\"on\":\"2025-07-01\""));
    drop(&text);
    OK(psp_overdue_report_text(&text, db, id, "2025-07-01"));
    CHECK(answered(&text, "Rival lab") && answered(&text, "推进办公室") && answered(&text, "62 days"));
    drop(&text);
    FAILS(psp_overdue_report_json(&text, db, 5, "2025-07-01"), PSP_ENOTFOUND, "5");
    FAILS(psp_overdue_report_json(&text, db, 0, "2025-07-01"), PSP_EINVALID, "plan");
    FAILS(psp_overdue_report_text(&text, db, id, "2025-07-32"), PSP_EINVALID, "date");
    FAILS(psp_overdue_report_text(NULL, db, id, "2025-07-01"), PSP_EINVALID, "out");
    CHECK(text == NULL);

    /* Revision: the office moves its own task's deadline; a bad revision changes nothing. */
    rows = journal_rows(db);
    plan_text(json, sizeof json, "\"id\":1,", n.backbone, n.rival, IN_PROGRESS, "2025-09-30");
    FAILS(psp_city_plan_update_json(db, &owner, json), PSP_EPERM, "may not");
    plan_text(json, sizeof json, "\"id\":7,", n.backbone, n.rival, IN_PROGRESS, "2025-09-30");
    FAILS(psp_city_plan_update_json(db, &office_a, json), PSP_ENOTFOUND, "7");
    plan_text(json, sizeof json, "\"id\":1,", n.backbone, n.rival, IN_PROGRESS, "2024-09-30");   /* before created */
    FAILS(psp_city_plan_update_json(db, &office_a, json), PSP_EINVALID, "plan_json");
    FAILS(psp_city_plan_update_json(db, &office_a, "{\"id\":1,\"title\":"), PSP_EINVALID, "plan_json: malformed JSON");
    FAILS(psp_city_plan_update_json(db, &office_a, NULL), PSP_EINVALID, "plan_json");
    CHECK(journal_rows(db) == rows);
    plan_text(json, sizeof json, "\"id\":1,", n.backbone, n.rival, DONE_APRIL, "2025-09-30");
    OK(psp_city_plan_update_json(db, &office_a, json));
    OK(psp_overdue_report_json(&text, db, id, "2025-07-01"));
    CHECK(answered(&text, "\"overdue\":1") && answered(&text, "\"open_not_yet_due\":1"));
    drop(&text);
    psp_db_close(db);
}

/* Monitoring statistics (issue 7): a booking counted for its platform, the rebuild giving the same
 * rows, unmet requests, and bad queries. */
static void test_statistics(void) {
    psp_actor office_a = office();
    psp_db *db = NULL;
    psp_open_options o = PSP_OPEN_OPTIONS_INIT;
    struct net n;
    char *text = NULL, *again = NULL, query[256];
    int rule = -1;
    /* Thursday 2023-11-16, 10:00-11:00 in Shanghai (the clock is on the Tuesday before). */
    const int64_t ten = 1700100000;
    psp_period all = {fixed_now - 86400, fixed_now + 86400};
    memset(&n, 0, sizeof n);
    o.clock = test_clock;
    o.clock_context = &fixed_now;
    OK(psp_db_open(&db, ":memory:", &o));
    if (db == NULL) return;
    build(db, &n);
    CHECK(book(db, &office_a, n.eq, n.ent, ten, ten + 3600, &rule) > 0);

    snprintf(query, sizeof query,
             "{\"subject\":\"platform\",\"ids\":[%lld],\"period\":\"week\",\"from\":\"2023-11-16\",\"to\":\"2023-11-16\"}",
             (long long)n.backbone);
    OK(psp_statistics_json(&text, db, query));
    CHECK(answered(&text, "\"start\":\"2023-11-13\"") && answered(&text, "\"end\":\"2023-11-20\"") &&
          answered(&text, "\"bookings\":1,") && answered(&text, "\"booked_seconds\":3600") &&
          answered(&text, "\"enterprises_served\":1"));
    OK(psp_statistics_rebuild(db));
    OK(psp_statistics_json(&again, db, query));
    CHECK(text != NULL && again != NULL && strcmp(text, again) == 0);
    drop(&text);
    drop(&again);

    /* Nothing serves this: recorded as unmet. */
    {
        psp_service_request q = ms_hour(&n);
        psp_served_request s = PSP_SERVED_REQUEST_INIT;
        int served = -1;
        const char *reason = NULL;
        q.kind = PSP_SERVICE_INTELLECTUAL_PROPERTY;
        q.equipment_class = 0;
        OK(psp_fulfil(&s, &served, &reason, NULL, db, &office_a, &q, NULL));
        CHECK(served == 0);
    }
    OK(psp_unmet_requests_json(&text, db, &all));
    CHECK(answered(&text, "\"kind\":\"intellectual_property\"") && answered(&text, "\"id\":1"));
    drop(&text);

    FAILS(psp_statistics_json(&text, db, "{\"subject\":\"platform\",\"from\":\"2023-11-16\",\"to\":\"2023-11-01\"}"),
          PSP_EINVALID, "reversed");
    CHECK(text == NULL);
    FAILS(psp_statistics_json(&text, db, "{\"subject\":\"galaxy\",\"from\":\"2023-11-16\",\"to\":\"2023-11-16\"}"),
          PSP_EINVALID, "query_json/subject");
    FAILS(psp_statistics_json(&text, db, "{\"from\":\"2023-11-16\",\"to\":\"2023-11-16\",\"colour\":1}"),
          PSP_EINVALID, "query_json/colour");
    FAILS(psp_statistics_json(&text, db, "{\"ids\":[999],\"from\":\"2023-11-16\",\"to\":\"2023-11-16\"}"),
          PSP_ENOTFOUND, "999");
    FAILS(psp_statistics_json(&text, db, "{\"from\":"), PSP_EINVALID, "query_json");
    FAILS(psp_statistics_json(&text, db, "{\"ids\":[1e400]}"), PSP_EINVALID, "query_json");
    FAILS(psp_statistics_json(&text, db, NULL), PSP_EINVALID, "query_json");
    FAILS(psp_statistics_json(NULL, db, query), PSP_EINVALID, "out");
    FAILS(psp_statistics_json(&text, NULL, query), PSP_EINVALID, "db");
    FAILS(psp_statistics_rebuild(NULL), PSP_EINVALID, "db");
    FAILS(psp_unmet_requests_json(&text, db, NULL), PSP_EINVALID, "period");
    all.end = all.start;
    FAILS(psp_unmet_requests_json(&text, db, &all), PSP_EINVALID, "period");
    psp_db_close(db);
}

/* Monitoring on the statistics (§4.2): alert rules (the office's, journaled), period-over-period
 * change, ranking, comparison, a city's table exported and compared with another's, the forecast of
 * a series; and the refusals, which leave the journal as it was. */
static void test_monitoring(void) {
    psp_actor office_a = office(), op = PSP_ACTOR_INIT;
    psp_db *db = NULL;
    psp_open_options o = PSP_OPEN_OPTIONS_INIT;
    struct net n;
    char *text = NULL, *other = NULL, query[256], tables[8192];
    int rule = -1, journal;
    /* Thursday 2023-11-16 and Friday 2023-11-17, 10:00 in Shanghai (the clock is on the Tuesday before). */
    const int64_t thu = 1700100000, fri = thu + 86400;
    const char idle[] = "[{\"name\":\"idle\",\"kind\":\"below_for\",\"metric\":\"bookings\",\"threshold\":5,"
                        "\"periods\":1,\"subject\":\"platform\"}]";
    const char city_week[] = "{\"subject\":\"city\",\"period\":\"week\",\"from\":\"2023-11-13\",\"to\":\"2023-11-26\"}";
    const char city_month[] = "{\"subject\":\"city\",\"period\":\"month\",\"from\":\"2023-11-13\",\"to\":\"2023-11-26\"}";
    memset(&n, 0, sizeof n);
    o.clock = test_clock;
    o.clock_context = &fixed_now;
    OK(psp_db_open(&db, ":memory:", &o));
    if (db == NULL) return;
    build(db, &n);
    op.role = PSP_ROLE_PLATFORM_OPERATOR;
    op.platform = n.backbone;
    op.name = "operator";
    /* One booking on Thursday, two on Friday (the instrument has two units). */
    CHECK(book(db, &office_a, n.eq, n.ent, thu, thu + 3600, &rule) > 0);
    CHECK(book(db, &office_a, n.eq, n.ent, fri, fri + 3600, &rule) > 0);
    CHECK(book(db, &office_a, n.eq, n.ent, fri, fri + 3600, &rule) > 0);

    /* Alert rules: the office's; refusals change nothing. */
    journal = journal_rows(db);
    FAILS(psp_alert_rules_set_json(db, &op, idle), PSP_EPERM, "psp_alert_rules_set_json");
    FAILS(psp_alert_rules_set_json(db, &office_a, "[{\"name\":"), PSP_EINVALID, "rules_json");
    FAILS(psp_alert_rules_set_json(db, &office_a,
                                   "[{\"name\":\"low\",\"kind\":\"below_for\",\"metric\":\"utilisation\",\"threshold\":30}]"),
          PSP_EINVALID, "rules_json");
    FAILS(psp_alert_rules_set_json(db, &office_a, "[{\"name\":\"x\",\"kind\":\"below_for\",\"metric\":\"happiness\"}]"),
          PSP_EINVALID, "rules_json/0/metric");
    FAILS(psp_alert_rules_set_json(db, &office_a, NULL), PSP_EINVALID, "rules_json");
    FAILS(psp_alert_rules_set_json(NULL, &office_a, idle), PSP_EINVALID, "db");
    FAILS(psp_alert_rules_set_json(db, NULL, idle), PSP_EINVALID, "actor");
    CHECK(journal_rows(db) == journal);
    OK(psp_alert_rules_json(&text, db));
    CHECK(text != NULL && strcmp(text, "[]") == 0);
    drop(&text);
    OK(psp_alert_rules_set_json(db, &office_a, idle));
    CHECK(journal_rows(db) == journal + 1);
    OK(psp_alert_rules_json(&text, db));
    CHECK(answered(&text, "\"name\":\"idle\"") && answered(&text, "\"periods\":1"));
    drop(&text);
    snprintf(query, sizeof query,
             "{\"subject\":\"platform\",\"ids\":[%lld],\"period\":\"week\",\"from\":\"2023-11-16\",\"to\":\"2023-11-16\"}",
             (long long)n.backbone);
    OK(psp_alerts_json(&text, db, query));
    CHECK(answered(&text, "\"rule\":\"idle\"") && answered(&text, "\"figures\":[3.0]") &&
          answered(&text, "\"from\":\"2023-11-13\"") && answered(&text, "\"to\":\"2023-11-20\""));
    drop(&text);
    FAILS(psp_alerts_json(&text, db, "{\"from\":\"2023-11-16\",\"to\":\"2023-11-01\"}"), PSP_EINVALID, "reversed");
    FAILS(psp_alerts_json(&text, db, NULL), PSP_EINVALID, "query_json");
    FAILS(psp_alert_rules_json(NULL, db), PSP_EINVALID, "out");

    /* Period over period: Thursday 1, Friday 2. */
    snprintf(query, sizeof query,
             "{\"subject\":\"platform\",\"ids\":[%lld],\"period\":\"day\",\"from\":\"2023-11-16\",\"to\":\"2023-11-17\"}",
             (long long)n.backbone);
    OK(psp_statistics_change_json(&text, db, query, "bookings"));
    CHECK(answered(&text, "\"value\":1.0") && answered(&text, "\"value\":2.0"));
    CHECK(answered(&text, "\"change\":1.0,\"change_ratio\":1.0") && answered(&text, "\"previous\":1.0") &&
          answered(&text, "\"previous\":null"));
    drop(&text);

    /* Ranks of one week; several periods are refused. */
    OK(psp_statistics_rank_json(&text, db, "{\"subject\":\"platform\",\"period\":\"week\",\"from\":\"2023-11-16\",\"to\":\"2023-11-16\"}",
                                "bookings", 1));
    snprintf(query, sizeof query, "{\"id\":%lld,\"rank\":1,\"subject\":\"platform\",\"value\":3.0}", (long long)n.backbone);
    CHECK(answered(&text, query) && count_of(text, "\"rank\":2") == 3);
    drop(&text);
    OK(psp_statistics_rank_json(&text, db, "{\"subject\":\"platform\",\"period\":\"week\",\"from\":\"2023-11-16\",\"to\":\"2023-11-16\"}",
                                "bookings", 0));
    snprintf(query, sizeof query, "{\"id\":%lld,\"rank\":4,", (long long)n.backbone);
    CHECK(answered(&text, query) && count_of(text, "\"rank\":1") == 3);
    drop(&text);
    FAILS(psp_statistics_rank_json(&text, db, "{\"subject\":\"platform\",\"period\":\"day\",\"from\":\"2023-11-16\",\"to\":\"2023-11-17\"}",
                                   "bookings", 1),
          PSP_EINVALID, "query_json");
    CHECK(text == NULL);

    /* Platforms side by side. */
    snprintf(query, sizeof query,
             "{\"subject\":\"platform\",\"ids\":[%lld,%lld],\"period\":\"day\",\"from\":\"2023-11-16\",\"to\":\"2023-11-17\"}",
             (long long)n.backbone, (long long)n.sub);
    OK(psp_statistics_compare_json(&text, db, query, "booked_hours"));
    CHECK(answered(&text, "\"metric\":\"booked_hours\"") && answered(&text, "\"values\":[2.0,0.0]"));
    drop(&text);

    /* Unknown metric, NULL arguments, bad queries. */
    FAILS(psp_statistics_change_json(&text, db, query, "happiness"), PSP_EINVALID, "metric");
    FAILS(psp_statistics_rank_json(&text, db, query, NULL, 1), PSP_EINVALID, "metric");
    FAILS(psp_statistics_compare_json(&text, db, query, ""), PSP_EINVALID, "metric");
    FAILS(psp_statistics_compare_json(&text, db, "{\"from\":", "bookings"), PSP_EINVALID, "query_json");
    FAILS(psp_statistics_change_json(&text, db, "{\"ids\":[999],\"from\":\"2023-11-16\",\"to\":\"2023-11-16\"}", "bookings"),
          PSP_ENOTFOUND, "999");
    FAILS(psp_statistics_change_json(&text, db, "{\"from\":\"2023-11-16\",\"to\":\"2023-11-01\"}", "bookings"),
          PSP_EINVALID, "reversed");
    FAILS(psp_statistics_change_json(NULL, db, query, "bookings"), PSP_EINVALID, "out");
    FAILS(psp_statistics_compare_json(&text, NULL, query, "bookings"), PSP_EINVALID, "db");
    CHECK(text == NULL);

    /* Two cities' tables compared; tables of different period kinds are refused. */
    OK(psp_statistics_export_json(&text, db, "杭州", city_week));
    CHECK(answered(&text, "{\"city\":\"杭州\",\"rows\":[{") && answered(&text, "\"subject\":\"city\""));
    OK(psp_statistics_export_json(&other, db, "宁波", city_week));
    if (text != NULL && other != NULL) {
        snprintf(tables, sizeof tables, "[%s,%s]", text, other);
        drop(&other);
        OK(psp_compare_cities_json(&other, tables, "bookings"));
        CHECK(answered(&other, "\"cities\":[\"杭州\",\"宁波\"]") && answered(&other, "\"values\":[3.0,3.0]") &&
              answered(&other, "\"sources\":[\"city\",\"city\"]"));
        drop(&other);
        OK(psp_statistics_export_json(&other, db, "宁波", city_month));
        snprintf(tables, sizeof tables, "[%s,%s]", text, other != NULL ? other : "null");
        drop(&other);
        FAILS(psp_compare_cities_json(&other, tables, "bookings"), PSP_EINVALID, "tables_json");
        CHECK(strstr(psp_error_last()->message, "month") != NULL && strstr(psp_error_last()->message, "week") != NULL);
        CHECK(other == NULL);
        snprintf(tables, sizeof tables, "[%s]", text);
        FAILS(psp_compare_cities_json(&other, tables, "bookings"), PSP_EINVALID, "tables_json");
        snprintf(tables, sizeof tables, "[%s,%s]", text, text);
        FAILS(psp_compare_cities_json(&other, tables, "bookings"), PSP_EINVALID, "杭州");
        FAILS(psp_compare_cities_json(&other, tables, "happiness"), PSP_EINVALID, "metric");
    }
    drop(&text);
    drop(&other);
    FAILS(psp_compare_cities_json(&text, "[{\"city\":", "bookings"), PSP_EINVALID, "tables_json");
    FAILS(psp_compare_cities_json(&text, "[{\"city\":\"A\",\"rows\":[{\"subject\":\"city\"}]}]", "bookings"),
          PSP_EINVALID, "tables_json/0/rows/0");
    FAILS(psp_compare_cities_json(&text, NULL, "bookings"), PSP_EINVALID, "tables_json");
    FAILS(psp_compare_cities_json(NULL, "[]", "bookings"), PSP_EINVALID, "out");
    FAILS(psp_statistics_export_json(&text, db, "", city_week), PSP_EINVALID, "city_name");
    FAILS(psp_statistics_export_json(&text, db, NULL, city_week), PSP_EINVALID, "city_name");
    FAILS(psp_statistics_export_json(&text, db, bad_utf8, city_week), PSP_EINVALID, "city_name");
    FAILS(psp_statistics_export_json(&text, db, "杭州", NULL), PSP_EINVALID, "query_json");

    /* The forecast of the backbone's daily bookings, Thursday to Monday: 1, 2, 0, 0, 0. */
    snprintf(query, sizeof query,
             "{\"subject\":\"platform\",\"ids\":[%lld],\"period\":\"day\",\"from\":\"2023-11-16\",\"to\":\"2023-11-20\"}",
             (long long)n.backbone);
    OK(psp_statistics_forecast_json(&text, db, query, "bookings", 2, NULL));
    CHECK(answered(&text, "\"history\":[{\"start\":\"2023-11-16\",\"value\":1.0},{\"start\":\"2023-11-17\",\"value\":2.0}") &&
          answered(&text, "\"forecast\":[{\"start\":\"2023-11-21\"") && answered(&text, "{\"start\":\"2023-11-22\"") &&
          answered(&text, "\"method\":\"holt\"") && answered(&text, "\"backtest\":{") &&
          answered(&text, "\"metric\":\"bookings\""));
    drop(&text);
    OK(psp_statistics_forecast_json(&text, db, query, "bookings", 1, "{\"method\":\"holt\",\"alpha\":0.5,\"beta\":0.25}"));
    CHECK(answered(&text, "\"alpha\":0.5") && answered(&text, "\"beta\":0.25"));
    drop(&text);
    FAILS(psp_statistics_forecast_json(&text, db, query, "bookings", 1, "{\"method\":\"arima\"}"), PSP_EINVALID,
          "options_json/method");
    FAILS(psp_statistics_forecast_json(&text, db, query, "bookings", 1, "{\"alpha\":1.5}"), PSP_EINVALID, "alpha");
    FAILS(psp_statistics_forecast_json(&text, db, query, "bookings", 1, "{\"colour\":1}"), PSP_EINVALID,
          "options_json/colour");
    FAILS(psp_statistics_forecast_json(&text, db, query, "bookings", 1, "{\"alpha\":"), PSP_EINVALID, "options_json");
    FAILS(psp_statistics_forecast_json(&text, db, query, "bookings", 1, "{\"method\":\"holt_winters\"}"), PSP_EINVALID,
          "season");
    FAILS(psp_statistics_forecast_json(&text, db, query, "bookings", 0, NULL), PSP_EINVALID, "horizon");
    FAILS(psp_statistics_forecast_json(&text, db, query, "bookings", 61, NULL), PSP_EINVALID, "horizon");
    FAILS(psp_statistics_forecast_json(&text, db, query, "happiness", 1, NULL), PSP_EINVALID, "metric");
    FAILS(psp_statistics_forecast_json(&text, db, "{\"period\":\"day\",\"from\":\"2023-11-16\",\"to\":\"2023-11-20\"}",
                                       "bookings", 1, NULL),
          PSP_EINVALID, "exactly one");
    snprintf(query, sizeof query,
             "{\"subject\":\"platform\",\"ids\":[%lld],\"period\":\"day\",\"from\":\"2023-11-16\",\"to\":\"2023-11-16\"}",
             (long long)n.backbone);
    FAILS(psp_statistics_forecast_json(&text, db, query, "bookings", 1, NULL), PSP_EINVALID, "holt needs at least 3");
    FAILS(psp_statistics_forecast_json(&text, db, NULL, "bookings", 1, NULL), PSP_EINVALID, "query_json");
    FAILS(psp_statistics_forecast_json(NULL, db, query, "bookings", 1, NULL), PSP_EINVALID, "out");
    CHECK(text == NULL);
    OK(psp_statistics_forecast_json(&text, db, "{\"subject\":\"city\",\"period\":\"day\",\"from\":\"2023-11-16\",\"to\":\"2023-11-20\"}",
                                    "bookings", 1, NULL));
    CHECK(answered(&text, "\"subject\":\"city\"") && answered(&text, "\"id\":0"));
    drop(&text);
    CHECK(journal_rows(db) == journal + 1);
    psp_db_close(db);
}

static int64_t evaluation_now = 1700000000;

/* An evaluation request of one group: effective hours (measured, target 10 h per instrument) and
 * user ratings (public rating), the platforms given as JSON array text, rated 80 and (when `both`)
 * 90, grades pass from 40, an incentive of 10,000 fen above a floor of 40. */
static void evaluation_request(char *buf, size_t size, const char *platforms, int64_t rated, int64_t second,
                               const char *from, const char *to) {
    char more[160] = "";
    if (second != 0) {
        snprintf(more, sizeof more,
                 ",{\"platform\":%lld,\"indicator\":\"user ratings\",\"source\":\"public_rating\",\"value\":90}",
                 (long long)second);
    }
    snprintf(buf, size,
             "{\"label\":\"2023 Q4\",\"from\":\"%s\",\"to\":\"%s\","
             "\"tree\":{\"groups\":[{\"name\":\"sharing\",\"weight_bp\":10000,\"indicators\":["
             "{\"name\":\"effective hours\",\"weight_bp\":5000,\"measured\":true,\"target\":10},"
             "{\"name\":\"user ratings\",\"weight_bp\":5000,\"source_bp\":{\"public_rating\":10000}}]}]},"
             "\"platforms\":%s,\"thresholds\":{\"excellent\":90,\"good\":75,\"pass\":40},\"budget\":10000,\"floor\":40,"
             "\"values\":[{\"platform\":%lld,\"indicator\":\"user ratings\",\"source\":\"public_rating\",\"value\":80}%s]}",
             from, to, platforms, (long long)rated, more);
}

/* Evaluation (§4.3): a run measured from the ledger and checked by hand, as
 * tests/database_monitoring_test.cpp's §4.3 case does; the refusals leave nothing behind. */
static void test_evaluation(void) {
    psp_actor office_a = office(), op = PSP_ACTOR_INIT;
    psp_db *db = NULL;
    psp_open_options o = PSP_OPEN_OPTIONS_INIT;
    psp_booking b = PSP_BOOKING_INIT;
    struct net n;
    char *text = NULL, request[2048], platforms[64], unknown[64], expect[192];
    int rule = -1, journal;
    int64_t id = 0, booking;
    /* Thursday 2023-11-16, 10:00-12:00 in Shanghai. */
    const int64_t ten = 1700100000;
    memset(&n, 0, sizeof n);
    evaluation_now = fixed_now;
    o.clock = test_clock;
    o.clock_context = &evaluation_now;
    OK(psp_db_open(&db, ":memory:", &o));
    if (db == NULL) return;
    build(db, &n);
    op.role = PSP_ROLE_PLATFORM_OPERATOR;
    op.platform = n.backbone;
    op.name = "operator";
    /* The backbone's only instrument used for 2 hours. */
    booking = book(db, &office_a, n.eq, n.ent, ten, ten + 7200, &rule);
    CHECK(booking > 0);
    evaluation_now = ten;
    OK(psp_booking_check_in(&b, db, &office_a, booking));
    OK(psp_booking_complete(&b, db, &office_a, booking));
    snprintf(platforms, sizeof platforms, "[%lld,%lld]", (long long)n.backbone, (long long)n.sub);
    snprintf(unknown, sizeof unknown, "[%lld,%lld,99]", (long long)n.backbone, (long long)n.sub);

    journal = journal_rows(db);
    evaluation_request(request, sizeof request, platforms, n.backbone, n.sub, "2023-10-01", "2023-12-31");
    FAILS(psp_evaluation_run_json(&id, db, &op, request), PSP_EPERM, "psp_evaluation_run_json");
    FAILS(psp_evaluation_run_json(&id, db, NULL, request), PSP_EINVALID, "actor");
    FAILS(psp_evaluation_run_json(NULL, db, &office_a, request), PSP_EINVALID, "out_id");
    FAILS(psp_evaluation_run_json(&id, NULL, &office_a, request), PSP_EINVALID, "db");
    FAILS(psp_evaluation_run_json(&id, db, &office_a, NULL), PSP_EINVALID, "request_json");
    FAILS(psp_evaluation_run_json(&id, db, &office_a, "{\"label\":"), PSP_EINVALID, "request_json");
    FAILS(psp_evaluation_run_json(&id, db, &office_a, "{\"label\":\"x\",\"from\":\"2023-10-01\",\"to\":\"2023-12-31\",\"colour\":1}"),
          PSP_EINVALID, "request_json/colour");
    FAILS(psp_evaluation_run_json(&id, db, &office_a, "{\"label\":\"x\",\"from\":\"2023-10-01\",\"to\":\"2023-12-31\",\"budget\":-1}"),
          PSP_EINVALID, "request_json/budget");
    FAILS(psp_evaluation_run_json(&id, db, &office_a, "{\"label\":\"x\",\"from\":\"2023-10-01\",\"to\":\"2023-13-01\"}"),
          PSP_EINVALID, "request_json/to");
    FAILS(psp_evaluation_run_json(&id, db, &office_a, "{\"label\":\"x\",\"from\":\"2023-10-01\",\"to\":\"2023-12-31\",\"platforms\":[0]}"),
          PSP_EINVALID, "request_json/platforms/0");
    FAILS(psp_evaluation_run_json(&id, db, &office_a,
                                  "{\"label\":\"x\",\"from\":\"2023-10-01\",\"to\":\"2023-12-31\",\"tree\":{\"groups\":[]}}"),
          PSP_EINVALID, "request_json/tree");
    evaluation_request(request, sizeof request, platforms, n.backbone, 0, "2023-10-01", "2023-12-31");
    FAILS(psp_evaluation_run_json(&id, db, &office_a, request), PSP_EINVALID, "user ratings");   /* the sub-platform unrated */
    evaluation_request(request, sizeof request, platforms, n.backbone, n.sub, "2023-12-31", "2023-10-01");
    FAILS(psp_evaluation_run_json(&id, db, &office_a, request), PSP_EINVALID, "reversed");
    evaluation_request(request, sizeof request, unknown, n.backbone, n.sub, "2023-10-01", "2023-12-31");
    FAILS(psp_evaluation_run_json(&id, db, &office_a, request), PSP_ENOTFOUND, "99");
    CHECK(id == 0);
    CHECK(journal_rows(db) == journal);
    OK(psp_evaluations_json(&text, db));
    CHECK(text != NULL && strcmp(text, "[]") == 0);
    drop(&text);

    evaluation_request(request, sizeof request, platforms, n.backbone, n.sub, "2023-10-01", "2023-12-31");
    OK(psp_evaluation_run_json(&id, db, &office_a, request));
    CHECK(id == 1);
    CHECK(journal_rows(db) == journal + 1);
    /* By hand: backbone 2 h on 1 instrument = 0.2 of the target, rating 0.8: 100 × (0.5 × 0.2 + 0.5 × 0.8)
     * = 50.00; the sub-platform 0 h, rating 0.9: 45.00. Both pass (>= 40); above the floor 40 by 10.00
     * and 5.00 points: 10,000 fen split 2:1 by largest remainder, 6,667 and 3,333. */
    OK(psp_evaluation_json(&text, db, id));
    CHECK(answered(&text, "\"id\":1,\"label\":\"2023 Q4\"") && answered(&text, "\"from\":\"2023-10-01\"") &&
          answered(&text, "\"grade\":\"pass\",\"group_scores\":[50.0],\"incentive\":6667,") &&
          answered(&text, "\"grade\":\"pass\",\"group_scores\":[45.0],\"incentive\":3333,") &&
          answered(&text, "\"allocated\":10000") && answered(&text, "\"unallocated\":0"));
    snprintf(expect, sizeof expect, "\"platform\":%lld,\"rank\":1,\"score\":50.0}", (long long)n.backbone);
    CHECK(answered(&text, expect));
    snprintf(expect, sizeof expect, "\"platform\":%lld,\"rank\":2,\"score\":45.0}", (long long)n.sub);
    CHECK(answered(&text, expect));
    /* The measured input is stored with the run. */
    snprintf(expect, sizeof expect, "{\"indicator\":\"effective hours\",\"platform\":%lld,\"source\":\"measured\",\"value\":2.0}",
             (long long)n.backbone);
    CHECK(answered(&text, expect));
    drop(&text);
    OK(psp_evaluations_json(&text, db));
    CHECK(answered(&text, "[{\"from\":\"2023-10-01\",\"id\":1,") && count_of(text, "\"label\"") == 1);
    drop(&text);
    FAILS(psp_evaluation_json(&text, db, 0), PSP_EINVALID, "id");
    FAILS(psp_evaluation_json(&text, db, 99), PSP_ENOTFOUND, "99");
    FAILS(psp_evaluation_json(NULL, db, 1), PSP_EINVALID, "out");
    FAILS(psp_evaluations_json(&text, NULL), PSP_EINVALID, "db");
    CHECK(text == NULL);
    psp_db_close(db);
}

/* Issue 8: the simulation through the C ABI: scenarios as JSON in, results out, progress, stored runs. */
struct progress_seen {
    int calls;
    int stop;
    double last;
};

static int on_progress(const psp_simulation_progress *p, void *context) {
    struct progress_seen *seen = (struct progress_seen *)context;
    CHECK(p != NULL && p->fraction >= 0.0 && p->fraction <= 1.0 && p->replications == 4);
    seen->calls++;
    seen->last = p->fraction;
    return seen->stop;
}

static void test_simulation(void) {
    const psp_actor a = office();
    const psp_actor viewer = {PSP_ACTOR_VERSION, PSP_ROLE_PUBLIC, 0, 0, "public"};
    psp_city_params p = PSP_CITY_PARAMS_INIT;
    psp_db *db = NULL;
    char *text = NULL, *again = NULL;
    int64_t scheme = 0, run = 0;
    const char *scenarios = "[{\"name\":\"isolated\",\"sharing\":\"isolated\",\"from\":\"2027-03-01\",\"to\":\"2027-03-07\","
                            "\"seed\":3,\"replications\":2,\"hours_per_instrument\":1600},"
                            "{\"name\":\"network\",\"from\":\"2027-03-01\",\"to\":\"2027-03-07\",\"seed\":3,\"replications\":2,"
                            "\"hours_per_instrument\":1600}]";
    struct progress_seen seen = {0, 0, 0.0};
    OK(psp_city_params_for_scale(&p, PSP_SCALE_DISTRICT, 3));
    OK(psp_db_open(&db, ":memory:", NULL));
    OK(psp_synth_generate(db, &a, &p));
    OK(psp_synth_configure_booking(&scheme, db, &a, 3));
    CHECK(scheme > 0);
    FAILS(psp_synth_configure_booking(NULL, db, &a, 3), PSP_EINVALID, "out_scheme");

    OK(psp_simulate_json(&text, db, scenarios, 2, NULL, NULL));
    CHECK(answered(&text, "\"rows\":[{") && answered(&text, "\"scenario\":\"isolated\"") &&
          answered(&text, "\"fulfilment_rate_half_width\":"));
    /* Same seed, same text: one thread or two, with a progress callback or without. */
    OK(psp_simulate_json(&again, db, scenarios, 1, on_progress, &seen));
    CHECK(text != NULL && again != NULL && strcmp(text, again) == 0);
    CHECK(seen.calls >= 1 && seen.last == 1.0);
    drop(&again);
    seen.stop = 1;
    FAILS(psp_simulate_json(&again, db, scenarios, 1, on_progress, &seen), PSP_EREFUSED, "stopped");
    CHECK(again == NULL);

    OK(psp_simulation_save_json(&run, db, &a, "March", text));
    CHECK(run == 1);
    FAILS(psp_simulation_save_json(&run, db, &viewer, "March", text), PSP_EPERM, "psp_simulation_save_json");
    FAILS(psp_simulation_save_json(&run, db, &a, "", text), PSP_EINVALID, "name");
    FAILS(psp_simulation_save_json(&run, db, &a, "x", "{\"scenarios\":"), PSP_EINVALID, "results_json");
    FAILS(psp_simulation_save_json(&run, db, &a, NULL, text), PSP_EINVALID, "name");
    FAILS(psp_simulation_save_json(&run, db, NULL, "x", text), PSP_EINVALID, "actor");
    FAILS(psp_simulation_save_json(NULL, db, &a, "x", text), PSP_EINVALID, "out_id");
    drop(&text);
    OK(psp_simulation_json(&text, db, run));
    CHECK(answered(&text, "\"name\":\"March\"") && answered(&text, "\"scenarios\":[{"));
    drop(&text);
    OK(psp_simulations_json(&text, db));
    CHECK(answered(&text, "[{") && count_of(text, "\"name\":\"March\"") == 1);
    drop(&text);
    FAILS(psp_simulation_json(&text, db, 0), PSP_EINVALID, "id");
    FAILS(psp_simulation_json(&text, db, 9), PSP_ENOTFOUND, "9");
    FAILS(psp_simulation_json(NULL, db, 1), PSP_EINVALID, "out");
    FAILS(psp_simulations_json(&text, NULL), PSP_EINVALID, "db");

    FAILS(psp_simulate_json(NULL, db, scenarios, 0, NULL, NULL), PSP_EINVALID, "out");
    FAILS(psp_simulate_json(&text, NULL, scenarios, 0, NULL, NULL), PSP_EINVALID, "db");
    FAILS(psp_simulate_json(&text, db, NULL, 0, NULL, NULL), PSP_EINVALID, "scenarios_json");
    FAILS(psp_simulate_json(&text, db, "[{", 0, NULL, NULL), PSP_EINVALID, "scenarios_json");
    FAILS(psp_simulate_json(&text, db, scenarios, -1, NULL, NULL), PSP_EINVALID, "threads");
    FAILS(psp_simulate_json(&text, db, "[{\"name\":\"x\",\"from\":\"2027-03-07\",\"to\":\"2027-03-01\"}]", 0, NULL, NULL),
          PSP_EINVALID, "scenarios_json/0/to");
    FAILS(psp_simulate_json(&text, db, "[{\"name\":\"x\",\"from\":\"2027-03-01\",\"to\":\"2027-03-07\",\"sharing\":\"all\"}]", 0,
                            NULL, NULL),
          PSP_EINVALID, "sharing");
    CHECK(text == NULL);
    psp_db_close(db);
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
    test_booking_inits();
    test_holidays_and_calendar_json();
    test_booking(dir);
    test_booking_batch_series_waitlist();
    test_pricing_and_vouchers();
    test_routing_and_settlement();
    test_transactions(dir);
    test_rollout();
    test_projects();
    test_certification();
    test_plans();
    test_statistics();
    test_monitoring();
    test_evaluation();
    test_simulation();

    printf("capi_test: %d checks, %d failures\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
