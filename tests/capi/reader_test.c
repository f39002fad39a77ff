/* The C ABI's reads on behalf of a reader (convention 10 of psp.h, issue 9): each _as twin, with
 * enterprises, operators, the office and the public as readers, and bad readers. Two platforms
 * each own one instrument; enterprise A booked P1's, enterprise B P2's and waits for P1's; B's
 * request was served at P2, A's request for two units at P1 could not be. */
#include <stdio.h>
#include <string.h>

#include "psp/psp.h"

#include "check.h"

#define H 3600
#define D 86400
static int64_t monday = 1740931200; /* 2025-03-03 00:00 Asia/Shanghai */
static int64_t clock_fn(void *context) { return *(const int64_t *)context; }

struct world {
    psp_db *db;
    int64_t p1, p2, eq1, eq2, a, b, b1, b2, scheme;
    psp_actor office, op1, op2, firm_a, firm_b, public_;
};

static psp_actor actor(int role, int64_t platform, int64_t enterprise, const char *name) {
    psp_actor x = PSP_ACTOR_INIT;
    x.role = role;
    x.platform = platform;
    x.enterprise = enterprise;
    x.name = name;
    return x;
}

static int64_t add_platform(psp_db *db, const psp_actor *office, const char *name, int64_t site) {
    psp_platform p = PSP_PLATFORM_INIT;
    int64_t id = 0;
    p.name = name;
    p.tier = PSP_TIER_DISTRICT;
    p.field = PSP_FIELD_QUALITY_TESTING;
    p.operator_model = PSP_OPERATOR_RESEARCH_INSTITUTE;
    p.services = PSP_SERVICE_BIT(PSP_SERVICE_EQUIPMENT_SHARING);
    p.backbone = 1;
    p.site = site;
    p.status = PSP_STATUS_OPERATING;
    OK(psp_platform_add(&id, db, office, &p));
    return id;
}

static void build(struct world *w) {
    psp_district d = PSP_DISTRICT_INIT;
    psp_zone z = PSP_ZONE_INIT;
    psp_zone_service s = PSP_ZONE_SERVICE_INIT;
    psp_equipment_class c = PSP_EQUIPMENT_CLASS_INIT;
    psp_equipment e = PSP_EQUIPMENT_INIT;
    psp_enterprise ent = PSP_ENTERPRISE_INIT;
    psp_booking_request r = PSP_BOOKING_REQUEST_INIT;
    psp_booking booked = PSP_BOOKING_INIT;
    psp_waitlist_entry waiting = PSP_WAITLIST_ENTRY_INIT;
    psp_service_request q = PSP_SERVICE_REQUEST_INIT;
    psp_served_request served = PSP_SERVED_REQUEST_INIT;
    const char *reason = NULL;
    int refused = -1, ok = -1;
    int64_t district = 0, zone = 0, cls = 0;
    const char scheme_json[] =
        "{\"name\": \"Voucher\", \"share_bp\": {\"micro\": 6000, \"small\": 6000, \"medium\": 5000, \"large\": 0}, "
        "\"per_use_cap\": 2000000, \"yearly_cap\": 10000000, \"services\": [\"equipment_sharing\"], "
        "\"accepted_by\": {\"whole_city\": true}, \"first_year\": 2025, \"last_year\": 2027}";

    d.name = "上城区";
    OK(psp_district_add(&district, w->db, &w->office, &d));
    z.name = "钱江新城CBD";
    z.district = district;
    z.type = PSP_ZONE_CENTRAL_BUSINESS;
    OK(psp_zone_add(&zone, w->db, &w->office, &z));
    w->p1 = add_platform(w->db, &w->office, "P1 testing centre", district);
    w->p2 = add_platform(w->db, &w->office, "P2 testing centre", district);
    s.zone = zone;
    s.minutes = 10;
    s.platform = w->p1;
    OK(psp_zone_service_set(w->db, &w->office, &s));
    s.platform = w->p2;
    OK(psp_zone_service_set(w->db, &w->office, &s));
    c.name = "Mass spectrometer";
    c.category = "analysis";
    OK(psp_equipment_class_add(&cls, w->db, &w->office, &c));
    e.name = "MS-1";
    e.equipment_class = cls;
    e.owner = w->p1;
    e.capacity_units = 1;
    e.site = district;
    OK(psp_equipment_add(&w->eq1, w->db, &w->office, &e));
    e.name = "MS-2";
    e.owner = w->p2;
    OK(psp_equipment_add(&w->eq2, w->db, &w->office, &e));
    ent.zone = zone;
    ent.size = PSP_SIZE_MICRO;
    ent.sector = "software";
    ent.name = "A";
    OK(psp_enterprise_add(&w->a, w->db, &w->office, &ent));
    ent.name = "B";
    OK(psp_enterprise_add(&w->b, w->db, &w->office, &ent));
    OK(psp_voucher_scheme_add_json(&w->scheme, w->db, &w->office, scheme_json));

    w->op1 = actor(PSP_ROLE_PLATFORM_OPERATOR, w->p1, 0, "P1 desk");
    w->op2 = actor(PSP_ROLE_PLATFORM_OPERATOR, w->p2, 0, "P2 desk");
    w->firm_a = actor(PSP_ROLE_ENTERPRISE, 0, w->a, "A clerk");
    w->firm_b = actor(PSP_ROLE_ENTERPRISE, 0, w->b, "B clerk");
    w->public_ = actor(PSP_ROLE_PUBLIC, 0, 0, "anyone");

    r.start = monday + D + 10 * H;
    r.end = r.start + H;
    r.equipment = w->eq1;
    r.enterprise = w->a;
    OK(psp_booking_book(&booked, &refused, &reason, w->db, &w->firm_a, &r));
    w->b1 = booked.id;
    r.equipment = w->eq2;
    r.enterprise = w->b;
    OK(psp_booking_book(&booked, &refused, &reason, w->db, &w->firm_b, &r));
    w->b2 = booked.id;
    CHECK(w->b1 > 0 && w->b2 > w->b1);
    r.equipment = w->eq1;
    OK(psp_waitlist_join(&waiting, w->db, &w->firm_b, &r));

    /* B asks P2 for an hour between 09:00 and 12:00: P2's own instrument at 09:00. */
    q.enterprise = w->b;
    q.equipment_class = cls;
    q.start = monday + D + 9 * H;
    q.end = monday + D + 12 * H;
    q.received_by = w->p2;
    OK(psp_fulfil(&served, &ok, &reason, NULL, w->db, &w->firm_b, &q, NULL));
    CHECK(ok == 1 && served.platform == w->p2);
    /* A asks P1 for two units: no instrument has two. */
    q.enterprise = w->a;
    q.units = 2;
    q.received_by = w->p1;
    OK(psp_fulfil(&served, &ok, &reason, NULL, w->db, &w->firm_a, &q, NULL));
    CHECK(ok == 0);
}

/* Rows of a booking iterator (freed), -1 when it could not be made (rc). */
static int count_bookings(int rc, psp_booking_iter *it) {
    psp_booking row = PSP_BOOKING_INIT;
    int n = 0;
    if (rc != 0) return -1;
    while (psp_booking_iter_next(&row, it) == 0) ++n;
    psp_booking_iter_free(it);
    return n;
}

enum subject { ENTERPRISE, PLATFORM, EQUIPMENT };

/* Bookings of the week the reader gets through the _as query for the subject. */
static int bookings_seen(struct world *w, const psp_actor *reader, enum subject kind, int64_t id) {
    psp_booking_iter *it = NULL;
    const int64_t start = monday, end = monday + 7 * D;
    int rc;
    switch (kind) {
        case ENTERPRISE: rc = psp_bookings_of_enterprise_iter_new_as(&it, w->db, reader, id, start, end); break;
        case PLATFORM: rc = psp_bookings_of_platform_iter_new_as(&it, w->db, reader, id, start, end); break;
        default: rc = psp_bookings_of_equipment_iter_new_as(&it, w->db, reader, id, start, end); break;
    }
    return count_bookings(rc, it);
}

static int waiting(struct world *w, const psp_actor *reader, int64_t equipment) {
    psp_waitlist_iter *it = NULL;
    psp_waitlist_entry row = PSP_WAITLIST_ENTRY_INIT;
    int n = 0;
    if (psp_waitlist_iter_new_as(&it, w->db, reader, equipment) != 0) return -1;
    while (psp_waitlist_iter_next(&row, it) == 0) ++n;
    psp_waitlist_iter_free(it);
    return n;
}

static int served(struct world *w, const psp_actor *reader) {
    psp_served_requests_iter *it = NULL;
    psp_served_request row = PSP_SERVED_REQUEST_INIT;
    psp_period week;
    int n = 0;
    week.start = monday;
    week.end = monday + 7 * D;
    if (psp_served_requests_iter_new_as(&it, w->db, reader, &week) != 0) return -1;
    while (psp_served_requests_iter_next(&row, it) == 0) ++n;
    psp_served_requests_iter_free(it);
    return n;
}

/* Whether a JSON array answered by a _json_as call is empty ("[]"); -1 on failure. */
static int json_empty(int rc, char *text) {
    int empty;
    if (rc != 0) return -1;
    empty = strcmp(text, "[]") == 0;
    psp_free(text);
    return empty;
}
static int unmet_empty(struct world *w, const psp_actor *reader) {
    char *text = NULL;
    psp_period week;
    week.start = monday;
    week.end = monday + 7 * D;
    const int rc = psp_unmet_requests_json_as(&text, w->db, reader, &week);
    return json_empty(rc, text);
}
static int ledger_empty(struct world *w, const psp_actor *reader) {
    char *text = NULL;
    psp_period week;
    week.start = monday;
    week.end = monday + 7 * D;
    const int rc = psp_settlement_ledger_json_as(&text, w->db, reader, &week);
    return json_empty(rc, text);
}

/* Journal rows about bookings (entity booking with an id) the reader gets, and whether any of them
 * is about a booking other than `only` (0: any booking is foreign). */
static int journal_bookings(struct world *w, const psp_actor *reader, int64_t only, int *foreign) {
    psp_journal_iter *it = NULL;
    psp_journal_entry row = PSP_JOURNAL_ENTRY_INIT;
    psp_journal_query q = PSP_JOURNAL_QUERY_INIT;
    int n = 0;
    q.entity = PSP_ENTITY_BOOKING;
    *foreign = 0;
    if (psp_journal_iter_new_as(&it, w->db, reader, &q) != 0) return -1;
    while (psp_journal_iter_next(&row, it) == 0) {
        if (row.entity_id == 0) continue;   /* waiting-list rows */
        ++n;
        if (row.entity_id != only) *foreign = 1;
    }
    psp_journal_iter_free(it);
    return n;
}

static void test_bookings(struct world *w) {
    psp_booking b = PSP_BOOKING_INIT;
    psp_price price = PSP_PRICE_INIT;

    OK(psp_booking_get_as(&b, w->db, &w->firm_a, w->b1));
    CHECK(b.id == w->b1 && b.enterprise == w->a);
    FAILS(psp_booking_get_as(&b, w->db, &w->firm_a, w->b2), PSP_EPERM, "may not read booking");
    FAILS(psp_booking_get_as(&b, w->db, &w->op2, w->b1), PSP_EPERM, "may not read booking");
    FAILS(psp_booking_get_as(&b, w->db, &w->public_, w->b1), PSP_EPERM, "may not read booking");
    OK(psp_booking_get_as(&b, w->db, &w->op1, w->b1));
    OK(psp_booking_get_as(&b, w->db, &w->office, w->b2));
    FAILS(psp_booking_get_as(&b, w->db, &w->firm_a, 999), PSP_ENOTFOUND, "999");

    OK(psp_booking_price_get_as(&price, w->db, &w->firm_b, w->b2));
    FAILS(psp_booking_price_get_as(&price, w->db, &w->firm_a, w->b2), PSP_EPERM, "may not read booking");

    /* B has its booking on MS-2 and the one fulfil made there; A has one on MS-1. */
    CHECK(bookings_seen(w, &w->office, ENTERPRISE, w->b) == 2);
    CHECK(bookings_seen(w, &w->firm_b, ENTERPRISE, w->b) == 2);
    CHECK(bookings_seen(w, &w->firm_a, ENTERPRISE, w->b) == 0);
    CHECK(bookings_seen(w, &w->op1, ENTERPRISE, w->b) == 0);
    CHECK(bookings_seen(w, &w->op2, ENTERPRISE, w->b) == 2);
    CHECK(bookings_seen(w, &w->public_, ENTERPRISE, w->a) == 0);
    CHECK(bookings_seen(w, &w->op1, PLATFORM, w->p1) == 1);
    CHECK(bookings_seen(w, &w->op2, PLATFORM, w->p1) == 0);
    CHECK(bookings_seen(w, &w->firm_a, PLATFORM, w->p2) == 0);
    CHECK(bookings_seen(w, &w->firm_b, PLATFORM, w->p2) == 2);
    CHECK(bookings_seen(w, &w->firm_a, EQUIPMENT, w->eq2) == 0);
    CHECK(bookings_seen(w, &w->firm_a, EQUIPMENT, w->eq1) == 1);
    CHECK(bookings_seen(w, &w->office, EQUIPMENT, w->eq2) == 2);
}

static void test_other_reads(struct world *w) {
    int64_t used = -1;
    int foreign = -1;

    CHECK(waiting(w, &w->office, w->eq1) == 1);
    CHECK(waiting(w, &w->firm_b, w->eq1) == 1);
    CHECK(waiting(w, &w->op1, w->eq1) == 1);
    CHECK(waiting(w, &w->firm_a, w->eq1) == 0);
    CHECK(waiting(w, &w->op2, w->eq1) == 0);

    OK(psp_voucher_account_get_as(&used, w->db, &w->firm_a, w->a, w->scheme, 2025));
    CHECK(used == 0);
    FAILS(psp_voucher_account_get_as(&used, w->db, &w->firm_b, w->a, w->scheme, 2025), PSP_EPERM, "voucher account");
    FAILS(psp_voucher_account_get_as(&used, w->db, &w->op1, w->a, w->scheme, 2025), PSP_EPERM, "voucher account");

    CHECK(served(w, &w->office) == 1);
    CHECK(served(w, &w->firm_b) == 1);
    CHECK(served(w, &w->op2) == 1);
    CHECK(served(w, &w->firm_a) == 0);
    CHECK(served(w, &w->op1) == 0);
    CHECK(served(w, &w->public_) == 0);
    CHECK(ledger_empty(w, &w->firm_b) == 0);
    CHECK(ledger_empty(w, &w->op2) == 0);
    CHECK(ledger_empty(w, &w->firm_a) == 1);
    CHECK(ledger_empty(w, &w->op1) == 1);

    CHECK(unmet_empty(w, &w->firm_a) == 0);
    CHECK(unmet_empty(w, &w->op1) == 0);   /* asked at P1 */
    CHECK(unmet_empty(w, &w->firm_b) == 1);
    CHECK(unmet_empty(w, &w->op2) == 1);

    /* The journal: A sees the row of its own booking only, the public no booking rows. */
    CHECK(journal_bookings(w, &w->firm_a, w->b1, &foreign) == 1);
    CHECK(foreign == 0);
    CHECK(journal_bookings(w, &w->public_, 0, &foreign) == 0);
    CHECK(journal_bookings(w, &w->office, 0, &foreign) == 3);
}

static void test_bad_readers(struct world *w) {
    psp_booking b = PSP_BOOKING_INIT;
    psp_booking_iter *it = NULL;
    psp_journal_iter *jit = NULL;
    psp_actor wrong_version = w->firm_a, out_of_range = w->firm_a;
    char *text = NULL;
    psp_period reversed;
    reversed.start = monday + D;
    reversed.end = monday;
    wrong_version.version = 99;
    out_of_range.role = PSP_ROLE_COUNT;

    FAILS(psp_booking_get_as(&b, w->db, NULL, w->b1), PSP_EINVALID, "reader");
    FAILS(psp_booking_get_as(&b, w->db, &wrong_version, w->b1), PSP_EINVALID, "reader");
    FAILS(psp_booking_get_as(&b, w->db, &out_of_range, w->b1), PSP_EINVALID, "reader.role");
    FAILS(psp_bookings_of_enterprise_iter_new_as(&it, w->db, NULL, w->a, monday, monday + D), PSP_EINVALID, "reader");
    CHECK(it == NULL);
    FAILS(psp_journal_iter_new_as(&jit, w->db, &out_of_range, NULL), PSP_EINVALID, "reader.role");
    CHECK(jit == NULL);
    FAILS(psp_unmet_requests_json_as(&text, w->db, &w->firm_a, &reversed), PSP_EINVALID, "period");
    CHECK(text == NULL);
    FAILS(psp_settlement_ledger_json_as(&text, NULL, &w->firm_a, &reversed), PSP_EINVALID, "db");
}

int main(void) {
    struct world w;
    psp_open_options o = PSP_OPEN_OPTIONS_INIT;
    memset(&w, 0, sizeof w);
    o.clock = clock_fn;
    o.clock_context = &monday;
    w.office = actor(PSP_ROLE_PROMOTION_OFFICE, 0, 0, "office");
    if (psp_db_open(&w.db, ":memory:", &o) != 0) {
        fprintf(stderr, "cannot open: %s\n", psp_error_last()->message);
        return 1;
    }
    build(&w);
    test_bookings(&w);
    test_other_reads(&w);
    test_bad_readers(&w);
    psp_db_close(w.db);
    printf("capi_reader_test: %d checks, %d failures\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
