/* Two handles on one file catching up on each other (issue 17): psp_db_changed_elsewhere tells
 * that the other committed, a change checked against the stale model is PSP_EBUSY, psp_db_refresh
 * reads only the journal rows not seen yet (no reload for bookings), and then the change goes
 * through. Bad arguments and a refresh inside a transaction fail with a message. */
#include <stdio.h>
#include <string.h>

#include "psp/psp.h"

#include "check.h"

#define H 3600
#define D 86400
static int64_t monday = 1740931200; /* 2025-03-03 00:00 Asia/Shanghai */
static int64_t clock_fn(void *context) { return *(const int64_t *)context; }

struct lab {
    int64_t eq, firm;
    psp_actor office, client;
};

/* A platform with one single-unit instrument and an enterprise that books it. */
static void build(psp_db *db, struct lab *l) {
    psp_district d = PSP_DISTRICT_INIT;
    psp_zone z = PSP_ZONE_INIT;
    psp_platform p = PSP_PLATFORM_INIT;
    psp_equipment_class c = PSP_EQUIPMENT_CLASS_INIT;
    psp_equipment e = PSP_EQUIPMENT_INIT;
    psp_enterprise ent = PSP_ENTERPRISE_INIT;
    int64_t district = 0, zone = 0, platform = 0, cls = 0;

    d.name = "上城区";
    OK(psp_district_add(&district, db, &l->office, &d));
    z.name = "钱江新城CBD";
    z.district = district;
    z.type = PSP_ZONE_CENTRAL_BUSINESS;
    OK(psp_zone_add(&zone, db, &l->office, &z));
    p.name = "Testing centre";
    p.tier = PSP_TIER_DISTRICT;
    p.field = PSP_FIELD_QUALITY_TESTING;
    p.operator_model = PSP_OPERATOR_RESEARCH_INSTITUTE;
    p.services = PSP_SERVICE_BIT(PSP_SERVICE_EQUIPMENT_SHARING);
    p.site = district;
    p.status = PSP_STATUS_OPERATING;
    OK(psp_platform_add(&platform, db, &l->office, &p));
    c.name = "Mass spectrometer";
    c.category = "analysis";
    OK(psp_equipment_class_add(&cls, db, &l->office, &c));
    e.name = "MS-1";
    e.equipment_class = cls;
    e.owner = platform;
    e.capacity_units = 1;
    e.site = district;
    OK(psp_equipment_add(&l->eq, db, &l->office, &e));
    ent.name = "A";
    ent.zone = zone;
    ent.size = PSP_SIZE_MICRO;
    ent.sector = "software";
    OK(psp_enterprise_add(&l->firm, db, &l->office, &ent));
    l->client.role = PSP_ROLE_ENTERPRISE;
    l->client.enterprise = l->firm;
    l->client.name = "A clerk";
}

/* Books an hour on Tuesday at `hour`; returns the rule that refused it (PSP_RULE_NONE when
 * booked) or the negative code of a failure. */
static int book(psp_db *db, const struct lab *l, int hour) {
    psp_booking_request r = PSP_BOOKING_REQUEST_INIT;
    psp_booking booked = PSP_BOOKING_INIT;
    const char *reason = NULL;
    int refused = -1;
    int rc;
    r.equipment = l->eq;
    r.enterprise = l->firm;
    r.start = monday + D + hour * H;
    r.end = r.start + H;
    rc = psp_booking_book(&booked, &refused, &reason, db, &l->client, &r);
    return rc != 0 ? rc : refused;
}

static int changed(psp_db *db) {
    int v = -1;
    if (psp_db_changed_elsewhere(&v, db) != 0) return -1;
    return v;
}

static void remove_file(const char *path) {
    char side[1100];
    remove(path);
    snprintf(side, sizeof side, "%s-wal", path);
    remove(side);
    snprintf(side, sizeof side, "%s-shm", path);
    remove(side);
    snprintf(side, sizeof side, "%s-journal", path);
    remove(side);
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : ".";
    char path[1024];
    psp_open_options o = PSP_OPEN_OPTIONS_INIT;
    psp_db *a = NULL, *b = NULL;
    struct lab l;
    psp_actor init = PSP_ACTOR_INIT;
    int64_t rows = -1;
    int reloaded = -1, v = -1;

    memset(&l, 0, sizeof l);
    l.office = init;
    l.office.role = PSP_ROLE_PROMOTION_OFFICE;
    l.office.name = "refresh test";
    l.client = init;
    snprintf(path, sizeof path, "%s/capi_refresh.psp", dir);
    remove_file(path);

    /* Misuse: a NULL handle or out. */
    FAILS(psp_db_refresh(&rows, &reloaded, NULL), PSP_EINVALID, "db");
    FAILS(psp_db_changed_elsewhere(&v, NULL), PSP_EINVALID, "db");
    CHECK(rows == -1 && reloaded == -1 && v == -1);

    o.clock = clock_fn;
    o.clock_context = &monday;
    o.busy_timeout_ms = 0;
    OK(psp_db_open(&a, path, &o));
    if (a == NULL) return 1;
    FAILS(psp_db_changed_elsewhere(NULL, a), PSP_EINVALID, "out");
    build(a, &l);
    OK(psp_db_open(&b, path, &o)); /* the other district system, loaded after the network */
    if (b == NULL) {
        psp_db_close(a);
        return 1;
    }

    /* Nothing new yet: a refresh is a no-op, and both outputs may be NULL. */
    CHECK(changed(b) == 0);
    OK(psp_db_refresh(&rows, &reloaded, b));
    CHECK(rows == 0 && reloaded == 0);
    OK(psp_db_refresh(NULL, NULL, b));

    /* A books; b learns of it without reading the tables, and its stale change is refused. */
    CHECK(book(a, &l, 10) == PSP_RULE_NONE);
    CHECK(changed(a) == 0); /* its own commit is not news to it */
    CHECK(changed(b) == 1);
    CHECK(book(b, &l, 10) == PSP_EBUSY);
    CHECK(strstr(psp_error_last()->message, "another connection") != NULL);
    CHECK(changed(b) == 1);

    /* b catches up on the journal alone: a booking needs no reload. */
    rows = -1;
    reloaded = -1;
    OK(psp_db_refresh(&rows, &reloaded, b));
    CHECK(rows >= 1);
    CHECK(reloaded == 0);
    CHECK(changed(b) == 0);
    OK(psp_db_refresh(&rows, &reloaded, b));
    CHECK(rows == 0 && reloaded == 0);

    /* The caught-up model knows the slot is taken and books the next one. */
    CHECK(book(b, &l, 10) == PSP_RULE_CAPACITY);
    CHECK(book(b, &l, 11) == PSP_RULE_NONE);
    CHECK(changed(b) == 0);
    CHECK(changed(a) == 1);
    rows = -1;
    OK(psp_db_refresh(&rows, NULL, a));
    CHECK(rows >= 1);
    CHECK(book(a, &l, 11) == PSP_RULE_CAPACITY);

    /* Refused inside a transaction, which stays open and usable. */
    OK(psp_db_begin(b));
    rows = -1;
    reloaded = -1;
    FAILS(psp_db_refresh(&rows, &reloaded, b), PSP_EREFUSED, "transaction is open");
    CHECK(rows == -1 && reloaded == -1); /* untouched on failure */
    OK(psp_db_in_transaction(&v, b));
    CHECK(v == 1);
    OK(psp_db_rollback(b));
    OK(psp_db_refresh(NULL, NULL, b));

    psp_db_close(b);
    psp_db_close(a);
    remove_file(path);
    printf("refresh test: %d checks, %d failures\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
