/* psp.h: the stable C ABI of psp, the public service platforms of a city's service-industry
 * agglomeration zones modelled as one network. Valid C11 and C++; link with -lpsp.
 *
 * Conventions
 *  1. Names. Functions are psp_<noun>_<verb>, opaque handles psp_<noun>, macros PSP_...
 *     Every exported function is declared through PSP_EXTERN(type).
 *  2. Return codes. Functions that can fail return int: 0 on success or a negative PSP_E... code
 *     (the values of psp::ErrorCode in C++). psp_strerror(code) names a code.
 *  3. Details. psp_error_last() describes the last failure on the calling thread; it never
 *     returns NULL and the library owns its memory (valid until the next failing call on that
 *     thread). It is not reset by calls that succeed; psp_error_clear() resets it.
 *  4. Arguments. A NULL handle or pointer, a struct of an unknown version, an enum value out of
 *     range, or a string that is not valid UTF-8 returns PSP_EINVALID with a message naming the
 *     argument (e.g. "platform.tier"). Nothing crashes and no exception crosses the ABI.
 *  5. Ownership. The out-parameter comes first and is named out. psp_db_open / psp_db_close and
 *     psp_x_iter_new / psp_x_iter_free pair up; the closing function accepts NULL. Strings the
 *     library allocates (char **out) are released with psp_free, which accepts NULL.
 *  6. Borrowed data. Strings and arrays inside a struct filled by psp_x_get are borrowed: valid
 *     until the next psp call on the same thread. Those filled by psp_x_iter_next are valid until
 *     the next call on that iterator. Copy what you keep.
 *  7. Types. Ids are int64_t (0 = none; add() assigns the next id when given 0); booleans are
 *     int (0 / non-zero); times are int64_t seconds since the Unix epoch, UTC; money is int64_t
 *     fen (0.01 yuan); strings are NUL-terminated UTF-8. Enum-typed fields are int.
 *  8. Versioned structs. Every struct that crosses the ABI (except psp_error,
 *     psp_alliance_member and psp_period, which never change) starts with `unsigned version`. Initialise it
 *     with PSP_X_INIT or psp_x_init(&x, PSP_X_VERSION) before passing it in, including structs
 *     the library fills. New fields are only ever appended, under a new version number.
 *  9. Iterators. psp_x_iter_new(&it, db, ...) takes a snapshot of the answer;
 *     psp_x_iter_next(&row, it) returns 0 or PSP_ITEROVER; psp_x_iter_free(it). An iterator
 *     keeps its database alive: it stays usable after psp_db_close.
 * 10. Actors. Every change names the actor making it (a const psp_actor *). Reads do not: they are
 *     the trusted caller's view (everything, as the office sees it). The reads that show one
 *     enterprise's business (bookings, waiting lists, prices, voucher accounts, served and unmet
 *     requests, the settlement ledger, the journal) have a twin with the suffix _as that takes the
 *     reader after db and answers only what the reader may see: an enterprise its own, an operator
 *     what concerns its platform, the office everything, an expert or the public none of it (lists
 *     are filtered; a single record not visible is PSP_EPERM). A system that answers for
 *     someone else (an enterprise's portal) calls the _as twins.
 * 11. Threads. A psp_db may be shared between threads: calls on it are serialised, one call at
 *     a time. A transaction (psp_db_begin) belongs to the handle, not to a thread: until it is
 *     committed it takes in every change made through the handle, from any thread, and a
 *     rollback undoes them all. For independent transactions give each thread its own psp_db.
 * 12. Bulk data. Whole networks travel as JSON text (docs/network-json.md), and so do calendars
 *     and voucher schemes (docs/booking-json.md), holiday tables (docs/holidays-json.md) and
 *     settlements (docs/settlement-json.md), major projects (docs/projects-json.md).
 * 13. Versions. PSP_VERSION_* at compile time, psp_version() / psp_version_number() at run
 *     time; the SONAME carries the major version. A signature never changes: a new one gets a
 *     _v2 suffix.
 * 14. Refusals. A booking refused by a rule is an answer, not a failure: psp_booking_book
 *     returns 0 and names the rule (PSP_RULE_...), and psp_fulfil returns 0 with the reason
 *     nothing fits. Misuse (NULL, reversed period, unknown id, permission) still returns a
 *     negative code, and so does a transition from the wrong state (cancelling twice is
 *     PSP_EREFUSED).
 */
#ifndef PSP_PSP_H
#define PSP_PSP_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#  if defined(PSP_CAPI_BUILD)
#    define PSP_EXTERN(type) __declspec(dllexport) type
#  else
#    define PSP_EXTERN(type) __declspec(dllimport) type
#  endif
#elif defined(__GNUC__)
#  define PSP_EXTERN(type) extern __attribute__((visibility("default"))) type
#else
#  define PSP_EXTERN(type) extern type
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Versions ------------------------------------------------------------------------------ */

#define PSP_VERSION_MAJOR 0
#define PSP_VERSION_MINOR 1
#define PSP_VERSION_PATCH 0
#define PSP_VERSION_NUMBER (PSP_VERSION_MAJOR * 10000 + PSP_VERSION_MINOR * 100 + PSP_VERSION_PATCH)

/* "MAJOR.MINOR.PATCH" of the library actually loaded. */
PSP_EXTERN(const char *) psp_version(void);
/* PSP_VERSION_NUMBER of the library actually loaded. */
PSP_EXTERN(int) psp_version_number(void);

/* ---- Errors -------------------------------------------------------------------------------- */

#define PSP_OK 0
#define PSP_ENOTFOUND (-1)  /* an id or name that does not exist */
#define PSP_EEXISTS (-2)    /* a name or id already taken */
#define PSP_EINVALID (-3)   /* an argument or spec that breaks a rule of the model */
#define PSP_EREFUSED (-4)   /* a rule refuses the change (e.g. others depend on the entity) */
#define PSP_EPERM (-5)      /* the actor may not make this change (or the reader read this) */
#define PSP_EBUSY (-6)      /* the database is locked by another writer */
#define PSP_EIO (-7)        /* file or database I/O failed */
#define PSP_ENOMEM (-8)     /* out of memory */
#define PSP_ITEROVER (-9)   /* an iterator has no more rows */
#define PSP_EFORMAT (-10)   /* not a psp database, or a schema newer than this library */

typedef struct psp_error {
    int code;            /* a PSP_E... code, or PSP_OK when there is no error */
    const char *message; /* never NULL */
} psp_error;

/* The last failure on this thread; never NULL. */
PSP_EXTERN(const psp_error *) psp_error_last(void);
PSP_EXTERN(void) psp_error_clear(void);
/* A short English description of a code; never NULL. */
PSP_EXTERN(const char *) psp_strerror(int code);

/* Releases a string or buffer the library allocated; NULL is fine. */
PSP_EXTERN(void) psp_free(void *p);

/* ---- Enums (values never change; new ones are appended) ----------------------------------- */

typedef enum psp_zone_type {
    PSP_ZONE_CENTRAL_BUSINESS = 0,
    PSP_ZONE_TECH_INNOVATION = 1,
    PSP_ZONE_CULTURAL_CREATIVE = 2,
    PSP_ZONE_LOGISTICS = 3,
    PSP_ZONE_TRADE_MARKET = 4,
    PSP_ZONE_FINANCE = 5,
    PSP_ZONE_TOURISM_LEISURE = 6,
    PSP_ZONE_INFORMATION_SERVICES = 7
} psp_zone_type;
#define PSP_ZONE_TYPE_COUNT 8

typedef enum psp_platform_tier {
    PSP_TIER_DISTRICT = 0,
    PSP_TIER_MUNICIPAL = 1,
    PSP_TIER_PROVINCIAL = 2,
    PSP_TIER_NATIONAL = 3
} psp_platform_tier;
#define PSP_TIER_COUNT 4

typedef enum psp_platform_field {
    PSP_FIELD_TECHNOLOGY_SUPPORT = 0,
    PSP_FIELD_QUALITY_TESTING = 1,
    PSP_FIELD_INTELLECTUAL_PROPERTY = 2,
    PSP_FIELD_HUMAN_RESOURCES = 3,
    PSP_FIELD_INVESTMENT_FINANCING = 4
} psp_platform_field;
#define PSP_FIELD_COUNT 5

typedef enum psp_operator_model {
    PSP_OPERATOR_GOVERNMENT_OFFICE = 0,
    PSP_OPERATOR_LEADING_ENTERPRISE = 1,
    PSP_OPERATOR_UNIVERSITY = 2,
    PSP_OPERATOR_RESEARCH_INSTITUTE = 3,
    PSP_OPERATOR_INDUSTRY_ASSOCIATION = 4,
    PSP_OPERATOR_PROFESSIONAL_AGENCY = 5,
    PSP_OPERATOR_SELECTED_OPERATOR = 6,
    PSP_OPERATOR_JOINT_VENTURE = 7
} psp_operator_model;
#define PSP_OPERATOR_COUNT 8

/* The 14 service domains of policy §2.1. A set of them is a uint32_t mask, bit k = kind k. */
typedef enum psp_service_kind {
    PSP_SERVICE_TECHNOLOGY_RD = 0,
    PSP_SERVICE_PRODUCT_DESIGN = 1,
    PSP_SERVICE_MANAGEMENT_CONSULTING = 2,
    PSP_SERVICE_MARKETING = 3,
    PSP_SERVICE_SKILLS_TRAINING = 4,
    PSP_SERVICE_INFORMATION_CONSULTING = 5,
    PSP_SERVICE_EQUIPMENT_SHARING = 6,
    PSP_SERVICE_STARTUP_MENTORING = 7,
    PSP_SERVICE_TALENT = 8,
    PSP_SERVICE_FINANCING_GUARANTEE = 9,
    PSP_SERVICE_INTELLECTUAL_PROPERTY = 10,
    PSP_SERVICE_TRADE_DISPUTE = 11,
    PSP_SERVICE_QUALITY_TESTING = 12,
    PSP_SERVICE_ADMINISTRATIVE_APPROVAL = 13
} psp_service_kind;
#define PSP_SERVICE_COUNT 14
#define PSP_SERVICE_BIT(kind) (1u << (unsigned)(kind))
#define PSP_SERVICES_ALL ((1u << PSP_SERVICE_COUNT) - 1u)

typedef enum psp_platform_status {
    PSP_STATUS_PLANNED = 0,
    PSP_STATUS_OPERATING = 1,
    PSP_STATUS_SUSPENDED = 2,
    PSP_STATUS_CLOSED = 3
} psp_platform_status;
#define PSP_STATUS_COUNT 4

typedef enum psp_alliance_scope { PSP_SCOPE_REGIONAL = 0, PSP_SCOPE_CROSS_REGIONAL = 1 } psp_alliance_scope;
typedef enum psp_alliance_sector { PSP_SECTOR_INDUSTRY = 0, PSP_SECTOR_CROSS_INDUSTRY = 1 } psp_alliance_sector;
typedef enum psp_alliance_breadth {
    PSP_BREADTH_COMPREHENSIVE = 0,
    PSP_BREADTH_SPECIALISED = 1
} psp_alliance_breadth;
typedef enum psp_member_role { PSP_MEMBER_LEAD = 0, PSP_MEMBER_CORE = 1, PSP_MEMBER_MEMBER = 2 } psp_member_role;
#define PSP_SCOPE_COUNT 2
#define PSP_SECTOR_COUNT 2
#define PSP_BREADTH_COUNT 2
#define PSP_MEMBER_ROLE_COUNT 3

typedef enum psp_enterprise_size {
    PSP_SIZE_MICRO = 0,
    PSP_SIZE_SMALL = 1,
    PSP_SIZE_MEDIUM = 2,
    PSP_SIZE_LARGE = 3
} psp_enterprise_size;
#define PSP_SIZE_COUNT 4

typedef enum psp_link_kind { PSP_LINK_HIGHER_TIER = 0, PSP_LINK_COOPERATION = 1 } psp_link_kind;
#define PSP_LINK_KIND_COUNT 2

typedef enum psp_role {
    PSP_ROLE_PROMOTION_OFFICE = 0,
    PSP_ROLE_PLATFORM_OPERATOR = 1,
    PSP_ROLE_ENTERPRISE = 2,
    PSP_ROLE_EXPERT = 3,
    PSP_ROLE_PUBLIC = 4
} psp_role;
#define PSP_ROLE_COUNT 5

typedef enum psp_action {
    PSP_ACTION_MANAGE_DISTRICTS = 0,
    PSP_ACTION_MANAGE_ZONES = 1,
    PSP_ACTION_CREATE_PLATFORM = 2,
    PSP_ACTION_UPDATE_PLATFORM = 3,
    PSP_ACTION_REMOVE_PLATFORM = 4,
    PSP_ACTION_MANAGE_ALLIANCE = 5,
    PSP_ACTION_MANAGE_EQUIPMENT = 6,
    PSP_ACTION_MANAGE_CATALOGUE = 7,
    PSP_ACTION_MANAGE_ENTERPRISE = 8,
    PSP_ACTION_MANAGE_LINKS = 9,
    PSP_ACTION_IMPORT_NETWORK = 10,
    PSP_ACTION_BOOK = 11,
    PSP_ACTION_HANDLE_BOOKING = 12,
    PSP_ACTION_MANAGE_BOOKING_RULES = 13,
    PSP_ACTION_MANAGE_TRAINING = 14,
    PSP_ACTION_MARK_NO_SHOWS = 15,
    PSP_ACTION_MANAGE_PROJECTS = 16,
    PSP_ACTION_SUPERVISE_PROJECTS = 17,
    PSP_ACTION_APPLY_CERTIFICATION = 18,
    PSP_ACTION_SCORE_CERTIFICATION = 19,
    PSP_ACTION_CERTIFY = 20,
    PSP_ACTION_MANAGE_PLANS = 21,
    PSP_ACTION_MONITOR = 22
} psp_action;
#define PSP_ACTION_COUNT 23

typedef enum psp_entity_kind {
    PSP_ENTITY_ANY = -1, /* journal queries only */
    PSP_ENTITY_DISTRICT = 0,
    PSP_ENTITY_ZONE = 1,
    PSP_ENTITY_PLATFORM = 2,
    PSP_ENTITY_ALLIANCE = 3,
    PSP_ENTITY_EQUIPMENT_CLASS = 4,
    PSP_ENTITY_EQUIPMENT = 5,
    PSP_ENTITY_ENTERPRISE = 6,
    PSP_ENTITY_TRAVEL = 7,
    PSP_ENTITY_ZONE_SERVICE = 8,
    PSP_ENTITY_LINK = 9,
    PSP_ENTITY_NETWORK = 10,
    PSP_ENTITY_BOOKING = 11,
    PSP_ENTITY_CALENDAR = 12,
    PSP_ENTITY_BOOKING_RULES = 13,
    PSP_ENTITY_TRAINING = 14,
    PSP_ENTITY_TARIFF = 15,
    PSP_ENTITY_VOUCHER_SCHEME = 16,
    PSP_ENTITY_SERVED_REQUEST = 17,
    PSP_ENTITY_PURCHASE_REVIEW = 18,
    PSP_ENTITY_PROJECT = 19,
    PSP_ENTITY_SUPERVISION = 20,
    PSP_ENTITY_CERTIFICATION = 21,
    PSP_ENTITY_RECOGNITION = 22,
    PSP_ENTITY_CITY_PLAN = 23,
    PSP_ENTITY_MONITORING = 24,
    PSP_ENTITY_EVALUATION = 25,
    PSP_ENTITY_SIMULATION = 26
} psp_entity_kind;
#define PSP_ENTITY_KIND_COUNT 27

typedef enum psp_booking_status {
    PSP_BOOKING_STATUS_PENDING = 0,    /* waits for the operator's approval */
    PSP_BOOKING_STATUS_CONFIRMED = 1,
    PSP_BOOKING_STATUS_CHECKED_IN = 2,
    PSP_BOOKING_STATUS_COMPLETED = 3,
    PSP_BOOKING_STATUS_CANCELLED = 4,
    PSP_BOOKING_STATUS_NO_SHOW = 5,
    PSP_BOOKING_STATUS_REJECTED = 6
} psp_booking_status;
#define PSP_BOOKING_STATUS_COUNT 7

/* The rule that refused a booking (PSP_RULE_NONE: booked). */
typedef enum psp_booking_rule {
    PSP_RULE_NONE = 0,
    PSP_RULE_IN_PAST = 1,
    PSP_RULE_MIN_NOTICE = 2,
    PSP_RULE_MAX_HORIZON = 3,
    PSP_RULE_SLOT_GRID = 4,
    PSP_RULE_MIN_DURATION = 5,
    PSP_RULE_MAX_DURATION = 6,
    PSP_RULE_OPENING_HOURS = 7,
    PSP_RULE_BLACKOUT = 8,
    PSP_RULE_TRAINING = 9,
    PSP_RULE_NO_SHOW_BLOCK = 10,
    PSP_RULE_WEEKLY_QUOTA = 11,
    PSP_RULE_CAPACITY = 12,      /* overlapping bookings (with buffers) would exceed the units */
    PSP_RULE_NOT_OPERATING = 13  /* the owning platform is not operating */
} psp_booking_rule;
#define PSP_RULE_COUNT 14

/* Where a waitlist entry stands. */
typedef enum psp_wait_status {
    PSP_WAIT_WAITING = 0,   /* waits for space */
    PSP_WAIT_PROMOTED = 1,  /* booked: psp_waitlist_entry.booking */
    PSP_WAIT_WITHDRAWN = 2, /* left the waitlist */
    PSP_WAIT_EXPIRED = 3    /* its period began before space was found */
} psp_wait_status;
#define PSP_WAIT_STATUS_COUNT 4

/* How a series repeats (psp_recurrence.every). */
typedef enum psp_recurrence_every { PSP_EVERY_DAY = 0, PSP_EVERY_WEEK = 1 } psp_recurrence_every;
#define PSP_EVERY_COUNT 2

/* What a series does with an occurrence a rule refuses. */
typedef enum psp_series_mode {
    PSP_SERIES_ALL_OR_NOTHING = 0, /* one refused occurrence refuses the whole series */
    PSP_SERIES_SKIP_CONFLICTS = 1  /* book what fits, list what was skipped */
} psp_series_mode;
#define PSP_SERIES_MODE_COUNT 2

typedef enum psp_scale { PSP_SCALE_DISTRICT = 0, PSP_SCALE_CITY = 1, PSP_SCALE_REGION = 2 } psp_scale;
#define PSP_SCALE_COUNT 3

/* Which enum psp_enum_name / psp_enum_parse speak about. */
typedef enum psp_enum {
    PSP_ENUM_ZONE_TYPE = 0,
    PSP_ENUM_PLATFORM_TIER = 1,
    PSP_ENUM_PLATFORM_FIELD = 2,
    PSP_ENUM_OPERATOR_MODEL = 3,
    PSP_ENUM_SERVICE_KIND = 4,
    PSP_ENUM_PLATFORM_STATUS = 5,
    PSP_ENUM_ALLIANCE_SCOPE = 6,
    PSP_ENUM_ALLIANCE_SECTOR = 7,
    PSP_ENUM_ALLIANCE_BREADTH = 8,
    PSP_ENUM_MEMBER_ROLE = 9,
    PSP_ENUM_ENTERPRISE_SIZE = 10,
    PSP_ENUM_LINK_KIND = 11,
    PSP_ENUM_ROLE = 12,
    PSP_ENUM_ACTION = 13,
    PSP_ENUM_ENTITY_KIND = 14,
    PSP_ENUM_BOOKING_STATUS = 15,
    PSP_ENUM_BOOKING_RULE = 16,
    PSP_ENUM_WAIT_STATUS = 17,
    PSP_ENUM_ROUTE_TIER = 18,
    PSP_ENUM_ROUTE_OBJECTIVE = 19,
    PSP_ENUM_TASK_STATUS = 20
} psp_enum;
#define PSP_ENUM_COUNT 21

/* The stable lower-case name of a value ("tech_innovation", ...), as used in JSON and the
 * journal; NULL for an unknown enum or value. Static storage. */
PSP_EXTERN(const char *) psp_enum_name(int which, int value);
/* Number of values of an enum, or PSP_EINVALID for an unknown enum. */
PSP_EXTERN(int) psp_enum_count(int which);
/* The value of a name; PSP_ENOTFOUND for an unknown name. */
PSP_EXTERN(int) psp_enum_parse(int *out, int which, const char *name);

/* ---- Actors -------------------------------------------------------------------------------- */

#define PSP_ACTOR_VERSION 1u
typedef struct psp_actor {
    unsigned version;
    int role;             /* psp_role */
    int64_t platform;     /* for PSP_ROLE_PLATFORM_OPERATOR: the platform it operates */
    int64_t enterprise;   /* for PSP_ROLE_ENTERPRISE: the enterprise itself */
    const char *name;     /* who, for the journal; NULL = "" */
} psp_actor;
#define PSP_ACTOR_INIT {PSP_ACTOR_VERSION, PSP_ROLE_PUBLIC, 0, 0, NULL}
PSP_EXTERN(int) psp_actor_init(psp_actor *actor, unsigned version);

/* The permission table: may the actor perform action (psp_action)? own != 0 when the change
 * touches only the actor's own platform or enterprise. */
PSP_EXTERN(int) psp_permitted(int *out, const psp_actor *actor, int action, int own);

/* ---- Database ------------------------------------------------------------------------------ */

typedef struct psp_db psp_db;

#define PSP_OPEN_OPTIONS_VERSION 1u
typedef struct psp_open_options {
    unsigned version;
    int busy_timeout_ms;                    /* how long a writer waits for a lock; default 5000 */
    int64_t (*clock)(void *context);        /* Unix seconds for the journal; NULL = system clock */
    void *clock_context;
} psp_open_options;
#define PSP_OPEN_OPTIONS_INIT {PSP_OPEN_OPTIONS_VERSION, 5000, NULL, NULL}
PSP_EXTERN(int) psp_open_options_init(psp_open_options *options, unsigned version);

/* Opens (creating if absent) a psp database file, or ":memory:". options may be NULL.
 * PSP_EFORMAT for a file that is not a psp database or has a newer schema (left untouched). */
PSP_EXTERN(int) psp_db_open(psp_db **out, const char *path, const psp_open_options *options);
/* Releases the handle; iterators still open keep the database alive until they are freed. */
PSP_EXTERN(void) psp_db_close(psp_db *db);
/* The path the database was opened with; borrowed, valid while the database lives. */
PSP_EXTERN(int) psp_db_path(const char **out, psp_db *db);
PSP_EXTERN(int) psp_db_schema_version(int *out, psp_db *db);

/* Transactions. Every change is its own SQLite transaction (one sync to disk each) unless made
 * between psp_db_begin and psp_db_commit: then all of them are kept or none, with one sync.
 * A change that fails inside is undone alone and the others stand. psp_db_begin waits up to
 * busy_timeout_ms for other writers (PSP_EBUSY); while a transaction is open, begin again only
 * opens a nested level and its commit only closes it: the outermost commit commits (a failed
 * COMMIT rolls back as psp_db_rollback does and returns its error). psp_db_rollback, at any
 * level, rolls back the whole transaction, reloads the model from the file and closes every
 * level. psp_db_commit or psp_db_rollback with no transaction open is PSP_EREFUSED. The
 * transaction is the handle's (convention 11): changes other threads make through it before the
 * commit are part of it. psp_db_close with a transaction open rolls it back. */
PSP_EXTERN(int) psp_db_begin(psp_db *db);
PSP_EXTERN(int) psp_db_commit(psp_db *db);
PSP_EXTERN(int) psp_db_rollback(psp_db *db);
/* Several handles or processes may share a database (a file on one host, a PostgreSQL database
 * across hosts); each keeps its own model in memory. A change made after another connection
 * committed since this handle read the database is PSP_EBUSY, with nothing written (it was checked
 * against a stale model): bring the model up to date, then retry.
 * psp_db_refresh is the cheap catch-up: it reads only the journal rows this handle has not seen and
 * the bookings, prices, voucher movements and served or unmet requests they name; when one of them
 * changed anything else (the network, rules, calendars, tariffs, ...) it reloads everything instead.
 * *out_journal_rows (may be NULL) gets the number of rows caught up on (0: already current) and
 * *out_reloaded (may be NULL) 1 when it had to reload. psp_db_reload always reads everything again.
 * Both are PSP_EREFUSED while a transaction is open. psp_db_changed_elsewhere sets *out = 1 when
 * another connection has committed since this handle last read, else 0, without reading the tables
 * (PostgreSQL: LISTEN/NOTIFY; SQLite: the file's data version): refresh before being refused. On
 * PostgreSQL it is a hint that may lag by the moment a notification takes to arrive. */
PSP_EXTERN(int) psp_db_refresh(int64_t *out_journal_rows, int *out_reloaded, psp_db *db);
PSP_EXTERN(int) psp_db_reload(psp_db *db);
PSP_EXTERN(int) psp_db_changed_elsewhere(int *out, psp_db *db);
/* *out = 1 while a transaction is open on the handle, else 0. */
PSP_EXTERN(int) psp_db_in_transaction(int *out, psp_db *db);

#define PSP_COUNTS_VERSION 1u
typedef struct psp_counts {
    unsigned version;
    int64_t districts, zones, platforms, backbones, sub_platforms, alliances, equipment_classes,
        equipment, enterprises, zone_services, links, travel;
} psp_counts;
#define PSP_COUNTS_INIT {PSP_COUNTS_VERSION, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
PSP_EXTERN(int) psp_counts_init(psp_counts *counts, unsigned version);
PSP_EXTERN(int) psp_db_counts(psp_counts *out, psp_db *db);

/* Whole networks as JSON (docs/network-json.md). Import needs an empty database and is
 * all-or-nothing; a bad value is reported with its JSON path. */
PSP_EXTERN(int) psp_db_import_json(psp_db *db, const psp_actor *actor, const char *json);
PSP_EXTERN(int) psp_db_export_json(char **out, psp_db *db);
/* Parses and re-serialises a network without a database (validation, canonical form). */
PSP_EXTERN(int) psp_json_normalize(char **out, const char *json);
/* The network drawn as Graphviz DOT. */
PSP_EXTERN(int) psp_db_to_graphviz(char **out, psp_db *db);

/* ---- Entities ------------------------------------------------------------------------------
 * For each entity x: psp_x_add (assigns the next id when x.id is 0; out may be NULL),
 * psp_x_update, psp_x_remove (PSP_EREFUSED while others depend on it), psp_x_get (PSP_ENOTFOUND
 * for an unknown id), psp_x_contains, and psp_x_iter_new / _next / _free in ascending id order. */

#define PSP_DISTRICT_VERSION 1u
typedef struct psp_district {
    unsigned version;
    int64_t id;
    const char *name;
    double x_km; /* centre, km east of the city origin */
    double y_km; /* centre, km north of the city origin */
} psp_district;
#define PSP_DISTRICT_INIT {PSP_DISTRICT_VERSION, 0, NULL, 0.0, 0.0}

#define PSP_ZONE_VERSION 1u
typedef struct psp_zone {
    unsigned version;
    int64_t id;
    const char *name;
    int64_t district;
    int type; /* psp_zone_type */
} psp_zone;
#define PSP_ZONE_INIT {PSP_ZONE_VERSION, 0, NULL, 0, PSP_ZONE_CENTRAL_BUSINESS}

#define PSP_PLATFORM_VERSION 1u
typedef struct psp_platform {
    unsigned version;
    int64_t id;
    const char *name;
    int tier;           /* psp_platform_tier */
    int field;          /* psp_platform_field */
    int operator_model; /* psp_operator_model */
    uint32_t services;  /* mask of PSP_SERVICE_BIT(kind) */
    int backbone;       /* may have sub-platforms and lead alliances */
    int64_t parent;     /* for a sub-platform: its backbone; 0 otherwise */
    int64_t site;       /* district */
    int status;         /* psp_platform_status */
} psp_platform;
#define PSP_PLATFORM_INIT                                                                          \
    {PSP_PLATFORM_VERSION, 0, NULL, PSP_TIER_DISTRICT, PSP_FIELD_TECHNOLOGY_SUPPORT,              \
     PSP_OPERATOR_GOVERNMENT_OFFICE, 0u, 0, 0, 0, PSP_STATUS_PLANNED}

/* Fixed layout: never extended (arrays of it cross the ABI). */
typedef struct psp_alliance_member {
    int64_t platform;
    int role; /* psp_member_role */
} psp_alliance_member;

#define PSP_ALLIANCE_VERSION 1u
typedef struct psp_alliance {
    unsigned version;
    int64_t id;
    const char *name;
    int scope;    /* psp_alliance_scope */
    int sector;   /* psp_alliance_sector */
    int breadth;  /* psp_alliance_breadth */
    int64_t lead; /* a backbone platform listed in members */
    const psp_alliance_member *members;
    size_t member_count;
    int one_stop; /* runs a one-stop front door */
} psp_alliance;
#define PSP_ALLIANCE_INIT                                                                          \
    {PSP_ALLIANCE_VERSION, 0, NULL, PSP_SCOPE_REGIONAL, PSP_SECTOR_INDUSTRY,                       \
     PSP_BREADTH_COMPREHENSIVE, 0, NULL, 0, 0}

#define PSP_EQUIPMENT_CLASS_VERSION 1u
typedef struct psp_equipment_class {
    unsigned version;
    int64_t id;
    const char *name;
    const char *category; /* e.g. "analysis"; NULL = "" */
} psp_equipment_class;
#define PSP_EQUIPMENT_CLASS_INIT {PSP_EQUIPMENT_CLASS_VERSION, 0, NULL, NULL}

#define PSP_EQUIPMENT_VERSION 1u
typedef struct psp_equipment {
    unsigned version;
    int64_t id;
    const char *name;
    int64_t equipment_class;
    int64_t owner;         /* platform */
    int capacity_units;    /* bookings may overlap up to this many units */
    int64_t site;          /* district */
    int64_t purchase_value; /* fen */
} psp_equipment;
#define PSP_EQUIPMENT_INIT {PSP_EQUIPMENT_VERSION, 0, NULL, 0, 0, 1, 0, 0}

#define PSP_ENTERPRISE_VERSION 1u
typedef struct psp_enterprise {
    unsigned version;
    int64_t id;
    const char *name;
    int64_t zone;
    int size;           /* psp_enterprise_size */
    const char *sector; /* industry code; NULL = "" */
} psp_enterprise;
#define PSP_ENTERPRISE_INIT {PSP_ENTERPRISE_VERSION, 0, NULL, 0, PSP_SIZE_SMALL, NULL}

PSP_EXTERN(int) psp_district_init(psp_district *district, unsigned version);
PSP_EXTERN(int) psp_zone_init(psp_zone *zone, unsigned version);
PSP_EXTERN(int) psp_platform_init(psp_platform *platform, unsigned version);
PSP_EXTERN(int) psp_alliance_init(psp_alliance *alliance, unsigned version);
PSP_EXTERN(int) psp_equipment_class_init(psp_equipment_class *equipment_class, unsigned version);
PSP_EXTERN(int) psp_equipment_init(psp_equipment *equipment, unsigned version);
PSP_EXTERN(int) psp_enterprise_init(psp_enterprise *enterprise, unsigned version);

typedef struct psp_district_iter psp_district_iter;
typedef struct psp_zone_iter psp_zone_iter;
typedef struct psp_platform_iter psp_platform_iter;
typedef struct psp_alliance_iter psp_alliance_iter;
typedef struct psp_equipment_class_iter psp_equipment_class_iter;
typedef struct psp_equipment_iter psp_equipment_iter;
typedef struct psp_enterprise_iter psp_enterprise_iter;

PSP_EXTERN(int) psp_district_add(int64_t *out, psp_db *db, const psp_actor *actor, const psp_district *district);
PSP_EXTERN(int) psp_district_update(psp_db *db, const psp_actor *actor, const psp_district *district);
PSP_EXTERN(int) psp_district_remove(psp_db *db, const psp_actor *actor, int64_t id);
PSP_EXTERN(int) psp_district_get(psp_district *out, psp_db *db, int64_t id);
PSP_EXTERN(int) psp_district_contains(int *out, psp_db *db, int64_t id);
PSP_EXTERN(int) psp_district_iter_new(psp_district_iter **out, psp_db *db);
PSP_EXTERN(int) psp_district_iter_next(psp_district *out, psp_district_iter *it);
PSP_EXTERN(void) psp_district_iter_free(psp_district_iter *it);

PSP_EXTERN(int) psp_zone_add(int64_t *out, psp_db *db, const psp_actor *actor, const psp_zone *zone);
PSP_EXTERN(int) psp_zone_update(psp_db *db, const psp_actor *actor, const psp_zone *zone);
PSP_EXTERN(int) psp_zone_remove(psp_db *db, const psp_actor *actor, int64_t id);
PSP_EXTERN(int) psp_zone_get(psp_zone *out, psp_db *db, int64_t id);
PSP_EXTERN(int) psp_zone_contains(int *out, psp_db *db, int64_t id);
PSP_EXTERN(int) psp_zone_iter_new(psp_zone_iter **out, psp_db *db);
PSP_EXTERN(int) psp_zone_iter_next(psp_zone *out, psp_zone_iter *it);
PSP_EXTERN(void) psp_zone_iter_free(psp_zone_iter *it);

PSP_EXTERN(int) psp_platform_add(int64_t *out, psp_db *db, const psp_actor *actor, const psp_platform *platform);
PSP_EXTERN(int) psp_platform_update(psp_db *db, const psp_actor *actor, const psp_platform *platform);
PSP_EXTERN(int) psp_platform_remove(psp_db *db, const psp_actor *actor, int64_t id);
PSP_EXTERN(int) psp_platform_get(psp_platform *out, psp_db *db, int64_t id);
PSP_EXTERN(int) psp_platform_contains(int *out, psp_db *db, int64_t id);
PSP_EXTERN(int) psp_platform_iter_new(psp_platform_iter **out, psp_db *db);
PSP_EXTERN(int) psp_platform_iter_next(psp_platform *out, psp_platform_iter *it);
PSP_EXTERN(void) psp_platform_iter_free(psp_platform_iter *it);

PSP_EXTERN(int) psp_alliance_add(int64_t *out, psp_db *db, const psp_actor *actor, const psp_alliance *alliance);
PSP_EXTERN(int) psp_alliance_update(psp_db *db, const psp_actor *actor, const psp_alliance *alliance);
PSP_EXTERN(int) psp_alliance_remove(psp_db *db, const psp_actor *actor, int64_t id);
PSP_EXTERN(int) psp_alliance_get(psp_alliance *out, psp_db *db, int64_t id);
PSP_EXTERN(int) psp_alliance_contains(int *out, psp_db *db, int64_t id);
PSP_EXTERN(int) psp_alliance_iter_new(psp_alliance_iter **out, psp_db *db);
PSP_EXTERN(int) psp_alliance_iter_next(psp_alliance *out, psp_alliance_iter *it);
PSP_EXTERN(void) psp_alliance_iter_free(psp_alliance_iter *it);

PSP_EXTERN(int) psp_equipment_class_add(int64_t *out, psp_db *db, const psp_actor *actor,
                                        const psp_equipment_class *equipment_class);
PSP_EXTERN(int) psp_equipment_class_update(psp_db *db, const psp_actor *actor,
                                           const psp_equipment_class *equipment_class);
PSP_EXTERN(int) psp_equipment_class_remove(psp_db *db, const psp_actor *actor, int64_t id);
PSP_EXTERN(int) psp_equipment_class_get(psp_equipment_class *out, psp_db *db, int64_t id);
PSP_EXTERN(int) psp_equipment_class_contains(int *out, psp_db *db, int64_t id);
PSP_EXTERN(int) psp_equipment_class_iter_new(psp_equipment_class_iter **out, psp_db *db);
PSP_EXTERN(int) psp_equipment_class_iter_next(psp_equipment_class *out, psp_equipment_class_iter *it);
PSP_EXTERN(void) psp_equipment_class_iter_free(psp_equipment_class_iter *it);

PSP_EXTERN(int) psp_equipment_add(int64_t *out, psp_db *db, const psp_actor *actor, const psp_equipment *equipment);
PSP_EXTERN(int) psp_equipment_update(psp_db *db, const psp_actor *actor, const psp_equipment *equipment);
PSP_EXTERN(int) psp_equipment_remove(psp_db *db, const psp_actor *actor, int64_t id);
PSP_EXTERN(int) psp_equipment_get(psp_equipment *out, psp_db *db, int64_t id);
PSP_EXTERN(int) psp_equipment_contains(int *out, psp_db *db, int64_t id);
PSP_EXTERN(int) psp_equipment_iter_new(psp_equipment_iter **out, psp_db *db);
PSP_EXTERN(int) psp_equipment_iter_next(psp_equipment *out, psp_equipment_iter *it);
PSP_EXTERN(void) psp_equipment_iter_free(psp_equipment_iter *it);

PSP_EXTERN(int) psp_enterprise_add(int64_t *out, psp_db *db, const psp_actor *actor, const psp_enterprise *enterprise);
PSP_EXTERN(int) psp_enterprise_update(psp_db *db, const psp_actor *actor, const psp_enterprise *enterprise);
PSP_EXTERN(int) psp_enterprise_remove(psp_db *db, const psp_actor *actor, int64_t id);
PSP_EXTERN(int) psp_enterprise_get(psp_enterprise *out, psp_db *db, int64_t id);
PSP_EXTERN(int) psp_enterprise_contains(int *out, psp_db *db, int64_t id);
PSP_EXTERN(int) psp_enterprise_iter_new(psp_enterprise_iter **out, psp_db *db);
PSP_EXTERN(int) psp_enterprise_iter_next(psp_enterprise *out, psp_enterprise_iter *it);
PSP_EXTERN(void) psp_enterprise_iter_free(psp_enterprise_iter *it);

/* ---- Relations -----------------------------------------------------------------------------
 * set adds or replaces; remove of an absent relation is PSP_ENOTFOUND. */

#define PSP_TRAVEL_VERSION 1u
typedef struct psp_travel {
    unsigned version;
    int64_t from; /* district */
    int64_t to;   /* district; symmetric: one record covers both directions */
    int minutes;
} psp_travel;
#define PSP_TRAVEL_INIT {PSP_TRAVEL_VERSION, 0, 0, 0}

#define PSP_ZONE_SERVICE_VERSION 1u
typedef struct psp_zone_service {
    unsigned version;
    int64_t platform;
    int64_t zone;
    int minutes; /* travel time from the zone to the platform */
} psp_zone_service;
#define PSP_ZONE_SERVICE_INIT {PSP_ZONE_SERVICE_VERSION, 0, 0, 0}

#define PSP_LINK_VERSION 1u
typedef struct psp_link {
    unsigned version;
    int64_t from; /* platform */
    int64_t to;   /* platform */
    int kind;     /* psp_link_kind */
} psp_link;
#define PSP_LINK_INIT {PSP_LINK_VERSION, 0, 0, PSP_LINK_COOPERATION}

PSP_EXTERN(int) psp_travel_init(psp_travel *travel, unsigned version);
PSP_EXTERN(int) psp_zone_service_init(psp_zone_service *zone_service, unsigned version);
PSP_EXTERN(int) psp_link_init(psp_link *link, unsigned version);

typedef struct psp_travel_iter psp_travel_iter;
typedef struct psp_zone_service_iter psp_zone_service_iter;
typedef struct psp_link_iter psp_link_iter;

PSP_EXTERN(int) psp_travel_set(psp_db *db, const psp_actor *actor, const psp_travel *travel);
PSP_EXTERN(int) psp_travel_remove(psp_db *db, const psp_actor *actor, int64_t a, int64_t b);
PSP_EXTERN(int) psp_travel_iter_new(psp_travel_iter **out, psp_db *db);
PSP_EXTERN(int) psp_travel_iter_next(psp_travel *out, psp_travel_iter *it);
PSP_EXTERN(void) psp_travel_iter_free(psp_travel_iter *it);

PSP_EXTERN(int) psp_zone_service_set(psp_db *db, const psp_actor *actor, const psp_zone_service *zone_service);
PSP_EXTERN(int) psp_zone_service_remove(psp_db *db, const psp_actor *actor, int64_t platform, int64_t zone);
PSP_EXTERN(int) psp_zone_service_iter_new(psp_zone_service_iter **out, psp_db *db);
PSP_EXTERN(int) psp_zone_service_iter_next(psp_zone_service *out, psp_zone_service_iter *it);
PSP_EXTERN(void) psp_zone_service_iter_free(psp_zone_service_iter *it);

PSP_EXTERN(int) psp_link_add(psp_db *db, const psp_actor *actor, const psp_link *link);
PSP_EXTERN(int) psp_link_remove(psp_db *db, const psp_actor *actor, int64_t from, int64_t to);
PSP_EXTERN(int) psp_link_iter_new(psp_link_iter **out, psp_db *db);
PSP_EXTERN(int) psp_link_iter_next(psp_link *out, psp_link_iter *it);
PSP_EXTERN(void) psp_link_iter_free(psp_link_iter *it);

/* ---- Graph queries ------------------------------------------------------------------------- */

/* Ids answered by a query, in the C++ API's order. */
typedef struct psp_id_iter psp_id_iter;
PSP_EXTERN(int) psp_id_iter_next(int64_t *out, psp_id_iter *it);
PSP_EXTERN(void) psp_id_iter_free(psp_id_iter *it);

/* Direct sub-platforms of a backbone. */
PSP_EXTERN(int) psp_sub_platform_iter_new(psp_id_iter **out, psp_db *db, int64_t backbone);
/* Alliances a platform belongs to. */
PSP_EXTERN(int) psp_alliances_of_iter_new(psp_id_iter **out, psp_db *db, int64_t platform);
/* Platforms whose service area includes the zone. */
PSP_EXTERN(int) psp_platforms_serving_iter_new(psp_id_iter **out, psp_db *db, int64_t zone);

typedef struct psp_member_iter psp_member_iter;
PSP_EXTERN(int) psp_member_iter_new(psp_member_iter **out, psp_db *db, int64_t alliance);
PSP_EXTERN(int) psp_member_iter_next(psp_alliance_member *out, psp_member_iter *it);
PSP_EXTERN(void) psp_member_iter_free(psp_member_iter *it);

#define PSP_REACHABLE_VERSION 1u
typedef struct psp_reachable {
    unsigned version;
    int64_t equipment;
    int64_t owner;
    int minutes; /* shortest travel time from the zone */
} psp_reachable;
#define PSP_REACHABLE_INIT {PSP_REACHABLE_VERSION, 0, 0, 0}
PSP_EXTERN(int) psp_reachable_init(psp_reachable *reachable, unsigned version);

/* Equipment of a class within max_minutes of a zone, nearest first (ties by id). */
typedef struct psp_reachable_iter psp_reachable_iter;
PSP_EXTERN(int) psp_reachable_iter_new(psp_reachable_iter **out, psp_db *db, int64_t zone,
                                       int64_t equipment_class, int max_minutes);
PSP_EXTERN(int) psp_reachable_iter_next(psp_reachable *out, psp_reachable_iter *it);
PSP_EXTERN(void) psp_reachable_iter_free(psp_reachable_iter *it);

/* One row of the zone x service coverage matrix (operating platforms only). */
#define PSP_COVERAGE_ROW_VERSION 1u
typedef struct psp_coverage_row {
    unsigned version;
    int64_t zone;
    const int *counts; /* counts[kind]: platforms serving the zone that offer that kind */
    size_t kind_count; /* PSP_SERVICE_COUNT of the library */
} psp_coverage_row;
#define PSP_COVERAGE_ROW_INIT {PSP_COVERAGE_ROW_VERSION, 0, NULL, 0}
PSP_EXTERN(int) psp_coverage_row_init(psp_coverage_row *row, unsigned version);

typedef struct psp_coverage_iter psp_coverage_iter;
PSP_EXTERN(int) psp_coverage_iter_new(psp_coverage_iter **out, psp_db *db);
PSP_EXTERN(int) psp_coverage_iter_next(psp_coverage_row *out, psp_coverage_iter *it);
PSP_EXTERN(void) psp_coverage_iter_free(psp_coverage_iter *it);

#define PSP_COVERAGE_GAP_VERSION 1u
typedef struct psp_coverage_gap {
    unsigned version;
    int64_t zone;
    int kind; /* psp_service_kind */
} psp_coverage_gap;
#define PSP_COVERAGE_GAP_INIT {PSP_COVERAGE_GAP_VERSION, 0, 0}
PSP_EXTERN(int) psp_coverage_gap_init(psp_coverage_gap *gap, unsigned version);

/* Cells of the coverage matrix that are 0. */
typedef struct psp_coverage_gap_iter psp_coverage_gap_iter;
PSP_EXTERN(int) psp_coverage_gap_iter_new(psp_coverage_gap_iter **out, psp_db *db);
PSP_EXTERN(int) psp_coverage_gap_iter_next(psp_coverage_gap *out, psp_coverage_gap_iter *it);
PSP_EXTERN(void) psp_coverage_gap_iter_free(psp_coverage_gap_iter *it);

/* Several platforms of one field offering the same service to the same zone. */
#define PSP_DUPLICATION_VERSION 1u
typedef struct psp_duplication {
    unsigned version;
    int64_t zone;
    int field; /* psp_platform_field */
    int kind;  /* psp_service_kind */
    const int64_t *platforms; /* two or more, ascending */
    size_t platform_count;
} psp_duplication;
#define PSP_DUPLICATION_INIT {PSP_DUPLICATION_VERSION, 0, 0, 0, NULL, 0}
PSP_EXTERN(int) psp_duplication_init(psp_duplication *duplication, unsigned version);

typedef struct psp_duplication_iter psp_duplication_iter;
PSP_EXTERN(int) psp_duplication_iter_new(psp_duplication_iter **out, psp_db *db);
PSP_EXTERN(int) psp_duplication_iter_next(psp_duplication *out, psp_duplication_iter *it);
PSP_EXTERN(void) psp_duplication_iter_free(psp_duplication_iter *it);

/* ---- Booking shared equipment --------------------------------------------------------------
 * A platform's calendar applies to its equipment unless the equipment has its own; with neither,
 * the standard working week (Monday-Friday 08:30-12:00 and 13:30-17:30, China's holidays,
 * Asia/Shanghai). Times come from psp_open_options.clock. Periods are half-open [start, end) in
 * Unix seconds; an empty or reversed one is PSP_EINVALID. */

/* A half-open period [start, end), Unix seconds. Never changes, so it carries no version. */
typedef struct psp_period {
    int64_t start;
    int64_t end;
} psp_period;

/* Calendars as JSON text (docs/booking-json.md); a bad value is PSP_EINVALID naming its JSON path.
 * _get writes the calendar in force (for equipment: its own, else its platform's, else the
 * standard week) in canonical form, for the caller to psp_free. */
PSP_EXTERN(int) psp_platform_calendar_set(psp_db *db, const psp_actor *actor, int64_t platform,
                                          const char *calendar_json);
PSP_EXTERN(int) psp_platform_calendar_get(char **out, psp_db *db, int64_t platform);
/* calendar_json NULL: the equipment follows its platform's calendar again. */
PSP_EXTERN(int) psp_equipment_calendar_set(psp_db *db, const psp_actor *actor, int64_t equipment,
                                           const char *calendar_json);
PSP_EXTERN(int) psp_equipment_calendar_get(char **out, psp_db *db, int64_t equipment);
/* Parses, validates and re-serialises a calendar without a database. */
PSP_EXTERN(int) psp_calendar_normalize(char **out, const char *calendar_json);

/* Holiday tables (docs/holidays-json.md): the shipped mainland China schedule, and a table parsed,
 * checked and written back in canonical form. */
PSP_EXTERN(int) psp_holidays_china_json(char **out);
PSP_EXTERN(int) psp_holidays_normalize(char **out, const char *holidays_json);

/* The rules of one equipment; minutes unless named otherwise, 0 disables a limit where noted.
 * PSP_BOOKING_RULES_INIT and psp_booking_rules_init give the library's defaults. */
#define PSP_BOOKING_RULES_VERSION 1u
typedef struct psp_booking_rules {
    unsigned version;
    int slot_minutes;            /* starts and ends lie on this grid (from local midnight) */
    int min_minutes;
    int max_minutes;
    int min_notice_minutes;      /* a booking starts at least this long after it is made */
    int max_horizon_days;        /* ...and at most this many days ahead */
    int buffer_minutes;          /* kept free between two bookings */
    int approval_required;       /* bookings start pending until the operator approves */
    int training_required;       /* the enterprise needs a training record for the class */
    int weekly_quota_minutes;    /* per enterprise per ISO week on this equipment; 0 = none */
    int cancel_deadline_minutes; /* cancelling later than this before start costs the fee */
    int64_t late_cancel_fee;     /* fen */
    int no_show_grace_minutes;   /* not checked in this long after start = no-show */
    int no_show_limit;           /* this many no-shows in 90 days block the enterprise... */
    int no_show_block_days;      /* ...from this equipment for this many days; 0 = never */
    const psp_period *blackouts; /* no booking may touch these; borrowed both ways */
    size_t blackout_count;
} psp_booking_rules;
#define PSP_BOOKING_RULES_INIT \
    {PSP_BOOKING_RULES_VERSION, 30, 30, 480, 60, 90, 0, 0, 0, 0, 1440, 0, 15, 3, 30, NULL, 0}
PSP_EXTERN(int) psp_booking_rules_init(psp_booking_rules *rules, unsigned version);
PSP_EXTERN(int) psp_booking_rules_set(psp_db *db, const psp_actor *actor, int64_t equipment,
                                      const psp_booking_rules *rules);
/* The rules in force (the defaults until set); out->blackouts is borrowed (convention 6). */
PSP_EXTERN(int) psp_booking_rules_get(psp_booking_rules *out, psp_db *db, int64_t equipment);

/* Training records: which enterprise may book equipment of which class when the rules ask. */
PSP_EXTERN(int) psp_training_set(psp_db *db, const psp_actor *actor, int64_t enterprise,
                                 int64_t equipment_class, int trained);
/* *out = 1 when the enterprise has a training record for the class, else 0; unknown ids are
 * PSP_ENOTFOUND. */
PSP_EXTERN(int) psp_training_get(int *out, psp_db *db, int64_t enterprise, int64_t equipment_class);

/* Version 2 appends voucher_scheme; a version-1 struct (without it) is still accepted and books
 * without a voucher. */
#define PSP_BOOKING_REQUEST_VERSION 2u
typedef struct psp_booking_request {
    unsigned version;
    int64_t equipment;
    int64_t enterprise;
    int64_t start;        /* on the slot grid */
    int64_t end;
    int units;            /* of the equipment's capacity_units */
    const char *note;     /* NULL = "" */
    int64_t voucher_scheme; /* version 2: innovation voucher to pay part of the price; 0 = none */
} psp_booking_request;
#define PSP_BOOKING_REQUEST_INIT {PSP_BOOKING_REQUEST_VERSION, 0, 0, 0, 0, 1, NULL, 0}
PSP_EXTERN(int) psp_booking_request_init(psp_booking_request *request, unsigned version);

#define PSP_BOOKING_VERSION 1u
typedef struct psp_booking {
    unsigned version;
    int64_t id;
    int64_t equipment;
    int64_t enterprise;
    int64_t start;
    int64_t end;
    int units;
    int status;               /* psp_booking_status */
    int64_t created;          /* when it was booked */
    int64_t cancellation_fee; /* fen, charged for a late cancellation */
    const char *note;         /* borrowed (convention 6) */
    int64_t series;           /* id of its series' first booking; 0 for a single booking */
} psp_booking;
#define PSP_BOOKING_INIT {PSP_BOOKING_VERSION, 0, 0, 0, 0, 0, 1, PSP_BOOKING_STATUS_CONFIRMED, 0, 0, NULL, 0}
PSP_EXTERN(int) psp_booking_init(psp_booking *booking, unsigned version);

/* Tries to book. Returns 0 both when booked and when a rule refuses (convention 14):
 * *out_refused_by is PSP_RULE_NONE and *out (may be NULL) the new booking, pending or confirmed;
 * or *out_refused_by names the rule, *out is untouched and nothing changed. *out_reason (may be
 * NULL) gets "" or the reason ("capacity: 2 of 2 units already booked ..."), borrowed until the
 * next psp call on this thread. out_refused_by is required. */
PSP_EXTERN(int) psp_booking_book(psp_booking *out, int *out_refused_by, const char **out_reason, psp_db *db,
                                 const psp_actor *actor, const psp_booking_request *request);

/* Lifecycle transitions; *out (may be NULL) gets the booking after the change. From the wrong
 * state (approving a confirmed booking, cancelling twice, cancelling after the start, checking in
 * outside the window from an hour before the start to the end of the grace period) the call
 * returns PSP_EREFUSED. Approve, reject, check in and complete are the operator's; the enterprise
 * or the operator may cancel. */
PSP_EXTERN(int) psp_booking_approve(psp_booking *out, psp_db *db, const psp_actor *actor, int64_t id);
PSP_EXTERN(int) psp_booking_reject(psp_booking *out, psp_db *db, const psp_actor *actor, int64_t id);
PSP_EXTERN(int) psp_booking_check_in(psp_booking *out, psp_db *db, const psp_actor *actor, int64_t id);
PSP_EXTERN(int) psp_booking_complete(psp_booking *out, psp_db *db, const psp_actor *actor, int64_t id);
PSP_EXTERN(int) psp_booking_cancel(psp_booking *out, psp_db *db, const psp_actor *actor, int64_t id);
/* PSP_ENOTFOUND for an unknown id; out->note is borrowed (convention 6). */
PSP_EXTERN(int) psp_booking_get(psp_booking *out, psp_db *db, int64_t id);
/* As the reader (convention 10): PSP_EPERM when the booking is not the reader's to see. */
PSP_EXTERN(int) psp_booking_get_as(psp_booking *out, psp_db *db, const psp_actor *reader, int64_t id);

typedef struct psp_booking_iter psp_booking_iter;
PSP_EXTERN(int) psp_booking_iter_next(psp_booking *out, psp_booking_iter *it);
PSP_EXTERN(void) psp_booking_iter_free(psp_booking_iter *it);

/* Marks every confirmed booking past its grace period as a no-show; *out (may be NULL) iterates
 * over the bookings marked, in id order. */
PSP_EXTERN(int) psp_booking_mark_no_shows(psp_booking_iter **out, psp_db *db, const psp_actor *actor);

/* Bookings (of every status) overlapping [start, end), in id order. */
PSP_EXTERN(int) psp_bookings_of_equipment_iter_new(psp_booking_iter **out, psp_db *db, int64_t equipment,
                                                   int64_t start, int64_t end);
PSP_EXTERN(int) psp_bookings_of_enterprise_iter_new(psp_booking_iter **out, psp_db *db, int64_t enterprise,
                                                    int64_t start, int64_t end);
PSP_EXTERN(int) psp_bookings_of_platform_iter_new(psp_booking_iter **out, psp_db *db, int64_t platform,
                                                  int64_t start, int64_t end);
/* The same as the reader (convention 10): only the bookings the reader may see. */
PSP_EXTERN(int) psp_bookings_of_equipment_iter_new_as(psp_booking_iter **out, psp_db *db, const psp_actor *reader,
                                                      int64_t equipment, int64_t start, int64_t end);
PSP_EXTERN(int) psp_bookings_of_enterprise_iter_new_as(psp_booking_iter **out, psp_db *db, const psp_actor *reader,
                                                       int64_t enterprise, int64_t start, int64_t end);
PSP_EXTERN(int) psp_bookings_of_platform_iter_new_as(psp_booking_iter **out, psp_db *db, const psp_actor *reader,
                                                     int64_t platform, int64_t start, int64_t end);

/* ---- Batches, series and the waitlist
 * Requests travel as arrays of pointers (each request a versioned struct of its own); answers as
 * snapshot iterators (convention 9). As with psp_booking_book, a refusal by a rule is an answer
 * and misuse (NULL, bad version or enum, unknown id, permission) a negative code that changes
 * nothing. */

/* The answer for one request of a batch, or one skipped occurrence of a series. */
#define PSP_BOOKING_OUTCOME_VERSION 1u
typedef struct psp_booking_outcome {
    unsigned version;
    int booked;          /* non-zero: booked as `booking`; 0: refused by `refused_by` */
    int64_t booking;     /* the new booking's id (psp_booking_get); 0 when refused */
    int64_t start;       /* the period asked for */
    int64_t end;
    int refused_by;      /* psp_booking_rule; PSP_RULE_NONE when booked */
    const char *reason;  /* "" when booked; borrowed (convention 6) */
} psp_booking_outcome;
#define PSP_BOOKING_OUTCOME_INIT {PSP_BOOKING_OUTCOME_VERSION, 0, 0, 0, 0, PSP_RULE_NONE, NULL}
PSP_EXTERN(int) psp_booking_outcome_init(psp_booking_outcome *outcome, unsigned version);

typedef struct psp_booking_outcome_iter psp_booking_outcome_iter;
PSP_EXTERN(int) psp_booking_outcome_iter_next(psp_booking_outcome *out, psp_booking_outcome_iter *it);
PSP_EXTERN(void) psp_booking_outcome_iter_free(psp_booking_outcome_iter *it);

/* Books requests[0..request_count) in one transaction, in order (later requests see the bookings
 * of earlier ones); *out (may be NULL) iterates over one outcome per request, in order. Misuse in
 * any request (NULL, bad struct, unknown id, the actor may not book for it) refuses the whole
 * batch: nothing is booked. */
PSP_EXTERN(int) psp_booking_book_batch(psp_booking_outcome_iter **out, psp_db *db, const psp_actor *actor,
                                       const psp_booking_request *const *requests, size_t request_count);

/* A recurring series: the first request's period repeated every `interval` days or weeks,
 * `count` times in all (the first included) or, with count 0, up to `until`. */
#define PSP_RECURRENCE_VERSION 1u
typedef struct psp_recurrence {
    unsigned version;
    int every;     /* psp_recurrence_every */
    int interval;  /* >= 1 */
    int count;     /* occurrences in all; 0 = until `until` (count wins when both are given) */
    int64_t until; /* Unix seconds: no occurrence starts after it; 0 = none */
} psp_recurrence;
#define PSP_RECURRENCE_INIT {PSP_RECURRENCE_VERSION, PSP_EVERY_WEEK, 1, 0, 0}
PSP_EXTERN(int) psp_recurrence_init(psp_recurrence *recurrence, unsigned version);

/* Books a series (mode: psp_series_mode) in one transaction. Each output may be NULL:
 * *out_series gets the series id (the first booking's id; 0 when nothing was booked),
 * *out_booked iterates over the bookings made (their .series is the series id) and
 * *out_skipped over the refused occurrences (booked 0, the period, the rule and the reason).
 * An all-or-nothing series that a rule refuses books nothing and lists what refused it. */
PSP_EXTERN(int) psp_booking_book_series(int64_t *out_series, psp_booking_iter **out_booked,
                                        psp_booking_outcome_iter **out_skipped, psp_db *db, const psp_actor *actor,
                                        const psp_booking_request *first, const psp_recurrence *recurrence, int mode);
/* Cancels the occurrences of a series that start at or after `from` and can still be cancelled;
 * *out (may be NULL) iterates over the bookings cancelled. PSP_ENOTFOUND for an unknown series. */
PSP_EXTERN(int) psp_booking_cancel_series(psp_booking_iter **out, psp_db *db, const psp_actor *actor,
                                          int64_t series, int64_t from);

/* A request waiting for space on an equipment: promoted to a booking, first come first served,
 * when a cancellation, rejection or no-show frees enough of its period. */
#define PSP_WAITLIST_ENTRY_VERSION 2u
typedef struct psp_waitlist_entry {
    unsigned version;
    int64_t id;
    int64_t equipment;   /* the request... */
    int64_t enterprise;
    int64_t start;
    int64_t end;
    int units;
    const char *note;    /* borrowed (convention 6) */
    int64_t created;     /* when it joined */
    int status;          /* psp_wait_status */
    int64_t booking;     /* once promoted: the booking; 0 otherwise */
    int64_t voucher_scheme;   /* version 2: the voucher that will pay part when promoted; 0 = none */
} psp_waitlist_entry;
#define PSP_WAITLIST_ENTRY_INIT {PSP_WAITLIST_ENTRY_VERSION, 0, 0, 0, 0, 0, 1, NULL, 0, PSP_WAIT_WAITING, 0, 0}
PSP_EXTERN(int) psp_waitlist_entry_init(psp_waitlist_entry *entry, unsigned version);

typedef struct psp_waitlist_iter psp_waitlist_iter;
PSP_EXTERN(int) psp_waitlist_iter_next(psp_waitlist_entry *out, psp_waitlist_iter *it);
PSP_EXTERN(void) psp_waitlist_iter_free(psp_waitlist_iter *it);

/* Joining needs the right to book; *out (may be NULL) gets the new entry. */
PSP_EXTERN(int) psp_waitlist_join(psp_waitlist_entry *out, psp_db *db, const psp_actor *actor,
                                  const psp_booking_request *request);
/* Withdraws a waiting entry; *out (may be NULL) gets it after the change. Leaving an entry that
 * no longer waits (withdrawn, promoted, expired) is PSP_EREFUSED. */
PSP_EXTERN(int) psp_waitlist_leave(psp_waitlist_entry *out, psp_db *db, const psp_actor *actor, int64_t id);
/* The entries of an equipment still waiting, in order of joining. */
PSP_EXTERN(int) psp_waitlist_iter_new(psp_waitlist_iter **out, psp_db *db, int64_t equipment);
/* As the reader (convention 10): only the entries the reader may see. */
PSP_EXTERN(int) psp_waitlist_iter_new_as(psp_waitlist_iter **out, psp_db *db, const psp_actor *reader,
                                         int64_t equipment);
/* Promotes, now, the waiting entries of an equipment that pass every rule (promotions also run by
 * themselves after each cancellation, rejection and no-show); *out (may be NULL) iterates over
 * the entries promoted. */
PSP_EXTERN(int) psp_waitlist_promote(psp_waitlist_iter **out, psp_db *db, const psp_actor *actor, int64_t equipment);
/* The promotions made since the last call (by any call on this database), then forgets them. */
PSP_EXTERN(int) psp_waitlist_take_promotions(psp_waitlist_iter **out, psp_db *db);

/* Free periods within [start, end) of at least min_minutes with `units` available, open and on
 * the slot grid, ascending. */
typedef struct psp_free_slot_iter psp_free_slot_iter;
PSP_EXTERN(int) psp_free_slot_iter_new(psp_free_slot_iter **out, psp_db *db, int64_t equipment, int64_t start,
                                       int64_t end, int min_minutes, int units);
PSP_EXTERN(int) psp_free_slot_iter_next(psp_period *out, psp_free_slot_iter *it);
PSP_EXTERN(void) psp_free_slot_iter_free(psp_free_slot_iter *it);

/* The earliest period of `minutes` with `units` free among equipment[0..equipment_count) within
 * [start, end) (ties: the lower id). Finding none is not an error: *out_equipment = 0 and *out is
 * {0, 0}. out may be NULL. */
PSP_EXTERN(int) psp_earliest_slot(int64_t *out_equipment, psp_period *out, psp_db *db, const int64_t *equipment,
                                  size_t equipment_count, int64_t start, int64_t end, int minutes, int units);

/* Booked (pending, confirmed, checked in, completed) and used (checked in, completed) seconds,
 * times units, over open seconds times capacity units (so a fully booked multi-unit equipment
 * reads 1.0; a platform's figures are the sums of its equipment's). */
#define PSP_UTILISATION_VERSION 1u
typedef struct psp_utilisation {
    unsigned version;
    int64_t open_seconds;
    int64_t booked_seconds;
    int64_t used_seconds;
    double booked_share; /* booked / open, 0 when nothing is open */
    double used_share;
} psp_utilisation;
#define PSP_UTILISATION_INIT {PSP_UTILISATION_VERSION, 0, 0, 0, 0.0, 0.0}
PSP_EXTERN(int) psp_utilisation_init(psp_utilisation *utilisation, unsigned version);
PSP_EXTERN(int) psp_equipment_utilisation(psp_utilisation *out, psp_db *db, int64_t equipment, int64_t start,
                                          int64_t end);
PSP_EXTERN(int) psp_platform_utilisation(psp_utilisation *out, psp_db *db, int64_t platform, int64_t start,
                                         int64_t end);

/* ---- Prices and innovation vouchers (创新券)
 * Every booking is priced when it is made from its equipment's tariff (the member rate when the
 * owning platform or one of its alliances serves the enterprise's zone) and, when the request names
 * a voucher scheme (psp_booking_request.voucher_scheme) the platform accepts, split between the
 * enterprise and the scheme within its caps. Cancellation and rejection return the voucher part.
 * Formulas and the scheme's JSON: docs/booking-json.md, "Tariffs and vouchers". Money is fen. */

/* The published fees of one equipment. Setting it also sets late_cancel_fee in the equipment's
 * booking rules. A negative value, or one above the bounds of docs/booking-json.md, is
 * PSP_EINVALID naming the field. */
#define PSP_TARIFF_VERSION 1u
typedef struct psp_tariff {
    unsigned version;
    int64_t member_rate;     /* fen per hour: enterprises served by the platform or its alliances */
    int64_t external_rate;   /* fen per hour: everyone else */
    int64_t minimum_charge;  /* fen, the least a booking costs (whole booking, after units) */
    int64_t late_cancel_fee; /* fen, on a cancellation after the deadline; never voucher-paid */
    int per_unit;            /* the hourly rate is per capacity unit booked */
} psp_tariff;
#define PSP_TARIFF_INIT {PSP_TARIFF_VERSION, 0, 0, 0, 0, 1}
PSP_EXTERN(int) psp_tariff_init(psp_tariff *tariff, unsigned version);
PSP_EXTERN(int) psp_tariff_set(psp_db *db, const psp_actor *actor, int64_t equipment, const psp_tariff *tariff);
/* An equipment without a tariff is free of charge, not an error: *out_has = 0 and *out gets
 * PSP_TARIFF_INIT's zeros; else *out_has = 1. PSP_ENOTFOUND for an unknown equipment. */
PSP_EXTERN(int) psp_tariff_get(psp_tariff *out, int *out_has, psp_db *db, int64_t equipment);

/* Voucher schemes travel as JSON (convention 12): the scheme object of docs/booking-json.md.
 * Adding is the promotion office's; the library assigns the id (a given "id" is ignored) and
 * *out (may be NULL) gets it. A bad value is PSP_EINVALID naming its JSON path (e.g.
 * "/share_bp/micro"), and nothing changes. */
PSP_EXTERN(int) psp_voucher_scheme_add_json(int64_t *out, psp_db *db, const psp_actor *actor,
                                            const char *scheme_json);
/* Every scheme, as a JSON array in id order, for the caller to psp_free. */
PSP_EXTERN(int) psp_voucher_schemes_json(char **out, psp_db *db);
/* The voucher money an enterprise has used of a scheme in a calendar year (net of refunds).
 * PSP_ENOTFOUND for an unknown enterprise or scheme. */
PSP_EXTERN(int) psp_voucher_account_get(int64_t *out, psp_db *db, int64_t enterprise, int64_t scheme, int year);
/* As the reader (convention 10): an account is the enterprise's (and the office's) to see. */
PSP_EXTERN(int) psp_voucher_account_get_as(int64_t *out, psp_db *db, const psp_actor *reader, int64_t enterprise,
                                           int64_t scheme, int year);

/* Who pays what for one booking; always gross == enterprise_pays + voucher_pays. */
#define PSP_PRICE_VERSION 1u
typedef struct psp_price {
    unsigned version;
    int64_t gross;
    int64_t enterprise_pays;
    int64_t voucher_pays;
    int64_t scheme;           /* the scheme that pays (or was asked to pay); 0 = none */
    const char *voucher_note; /* "" when the voucher paid its full share, else why not or which
                                 cap bound; borrowed (convention 6) */
} psp_price;
#define PSP_PRICE_INIT {PSP_PRICE_VERSION, 0, 0, 0, 0, NULL}
PSP_EXTERN(int) psp_price_init(psp_price *price, unsigned version);
/* The price fixed when the booking was made (all zero without a tariff). PSP_ENOTFOUND for an
 * unknown booking. */
PSP_EXTERN(int) psp_booking_price_get(psp_price *out, psp_db *db, int64_t booking);
/* As the reader (convention 10): the price of a booking the reader may see. */
PSP_EXTERN(int) psp_booking_price_get_as(psp_price *out, psp_db *db, const psp_actor *reader, int64_t booking);

/* Voucher money of one scheme per platform, for movements (redemptions when booked, refunds when
 * cancelled or rejected) within a period. */
#define PSP_PLATFORM_VOUCHER_TOTAL_VERSION 1u
typedef struct psp_platform_voucher_total {
    unsigned version;
    int64_t platform;
    int64_t redeemed;   /* fen, sum of redemptions */
    int64_t refunded;   /* fen, sum of refunds, as a positive number */
    int64_t net;        /* redeemed - refunded: what the scheme owes the platform for the period */
    int redemptions;
    int refunds;
} psp_platform_voucher_total;
#define PSP_PLATFORM_VOUCHER_TOTAL_INIT {PSP_PLATFORM_VOUCHER_TOTAL_VERSION, 0, 0, 0, 0, 0, 0}
PSP_EXTERN(int) psp_platform_voucher_total_init(psp_platform_voucher_total *total, unsigned version);

/* One row per platform with movements in *period, ascending platform id. PSP_ENOTFOUND for an
 * unknown scheme; an empty or reversed period is PSP_EINVALID. */
typedef struct psp_voucher_redemptions_iter psp_voucher_redemptions_iter;
PSP_EXTERN(int) psp_voucher_redemptions_iter_new(psp_voucher_redemptions_iter **out, psp_db *db, int64_t scheme,
                                                 const psp_period *period);
PSP_EXTERN(int) psp_voucher_redemptions_iter_next(psp_platform_voucher_total *out, psp_voucher_redemptions_iter *it);
PSP_EXTERN(void) psp_voucher_redemptions_iter_free(psp_voucher_redemptions_iter *it);

/* ---- Coordination across the network and settlement
 * A service request that the enterprise's own platforms cannot meet is routed tier by tier, nearest
 * first, to platforms that can (their family, their alliances, linked platforms, the whole city)
 * and booked where the policy's objective is best; what was served is settled between the member
 * platforms: who serves, who benefits (谁服务、谁受益). Times are Unix seconds, money is fen. */

/* How far from the enterprise a candidate platform is, nearest first. (Not a psp_platform_tier:
 * hence PSP_ROUTE_TIER_, as PSP_TIER_ names platform tiers.) A set of them is a uint32_t mask,
 * bit t = tier t. */
typedef enum psp_route_tier {
    PSP_ROUTE_TIER_HOME = 0,     /* serves the enterprise's zone, or is the platform that received it */
    PSP_ROUTE_TIER_FAMILY = 1,   /* backbone, sibling or child sub-platforms of a home platform */
    PSP_ROUTE_TIER_ALLIANCE = 2, /* a fellow member of an alliance of a home platform */
    PSP_ROUTE_TIER_LINKED = 3,   /* linked from a home platform: higher tier or cooperation partner */
    PSP_ROUTE_TIER_CITY = 4      /* any other operating platform */
} psp_route_tier;
#define PSP_ROUTE_TIER_COUNT 5
#define PSP_ROUTE_TIER_BIT(tier) (1u << (unsigned)(tier))
#define PSP_ROUTE_TIERS_ALL ((1u << PSP_ROUTE_TIER_COUNT) - 1u)

/* What "best" means among offers (lower score is better). */
typedef enum psp_route_objective {
    PSP_OBJECTIVE_EARLIEST = 0,        /* earliest start */
    PSP_OBJECTIVE_LOWEST_PRICE = 1,    /* least the enterprise pays (member rates, vouchers) */
    PSP_OBJECTIVE_SHORTEST_TRAVEL = 2, /* fewest travel minutes from the enterprise's zone */
    PSP_OBJECTIVE_WEIGHTED = 3         /* weighted wait, price, travel and load (the weights) */
} psp_route_objective;
#define PSP_OBJECTIVE_COUNT 4

/* A request for a service, from an enterprise. With an equipment class it books equipment of that
 * class; without one (0) it is a case for a platform offering the kind (consulting, IP, ...),
 * counted against the platform's weekly cases (psp_service_capacity_set). A request with no such
 * kind, a window shorter than `minutes`, units or minutes below 1 or a negative ceiling is
 * PSP_EINVALID naming the field ("request window: ..."), and nothing is booked. */
#define PSP_SERVICE_REQUEST_VERSION 1u
typedef struct psp_service_request {
    unsigned version;
    int64_t enterprise;
    int kind;                /* psp_service_kind */
    int64_t equipment_class; /* 0: a service without equipment */
    int64_t start;           /* the window: earliest start... */
    int64_t end;             /* ...and latest end */
    int minutes;             /* duration of the booking or case */
    int units;               /* of the equipment's capacity_units */
    int has_price_ceiling;   /* non-zero: price_ceiling applies; 0: any price */
    int64_t price_ceiling;   /* fen, the most the enterprise will pay (after vouchers); >= 0 */
    int64_t voucher_scheme;  /* innovation voucher to pay part; 0 = none */
    int64_t received_by;     /* the platform the enterprise asked; 0: its nearest home platforms */
    int64_t front_door;      /* a one-stop alliance that received it (its members only); 0 = none */
    const char *note;        /* NULL = "" */
} psp_service_request;
#define PSP_SERVICE_REQUEST_INIT                                                                   \
    {PSP_SERVICE_REQUEST_VERSION, 0, PSP_SERVICE_EQUIPMENT_SHARING, 0, 0, 0, 60, 1, 0, 0, 0, 0, 0, NULL}
PSP_EXTERN(int) psp_service_request_init(psp_service_request *request, unsigned version);

/* How a request is routed. A NULL policy pointer means the defaults (PSP_ROUTING_POLICY_INIT).
 * Every tier closed, negative bounds, weights that are negative or not finite, max_offers outside
 * 1..1000, or bits beyond PSP_ROUTE_TIERS_ALL are PSP_EINVALID naming the field. */
#define PSP_ROUTING_POLICY_VERSION 1u
typedef struct psp_routing_policy {
    unsigned version;
    uint32_t open_tiers;          /* mask of PSP_ROUTE_TIER_BIT(tier) */
    int max_travel_minutes;       /* from the enterprise's zone */
    int max_referral_hops;        /* steps between different families; family moves are free */
    int objective;                /* psp_route_objective */
    int nearest_tier_first;       /* non-zero: offers come from the nearest open tier that has any;
                                     0: every open tier, ranked by the objective alone */
    double weight_wait_hours;     /* PSP_OBJECTIVE_WEIGHTED: score = Σ weight × term */
    double weight_price_yuan;
    double weight_travel_minutes;
    double weight_load_percent;   /* the equipment's booked share of the window (load balancing) */
    int max_offers;               /* psp_route_iter_new answers at most this many */
} psp_routing_policy;
#define PSP_ROUTING_POLICY_INIT                                                                    \
    {PSP_ROUTING_POLICY_VERSION, PSP_ROUTE_TIERS_ALL, 90, 3, PSP_OBJECTIVE_EARLIEST, 1, 1.0, 0.01, 0.5, 0.2, 10}
PSP_EXTERN(int) psp_routing_policy_init(psp_routing_policy *policy, unsigned version);

/* A place and time that can serve a request, and what it costs. */
#define PSP_OFFER_VERSION 1u
typedef struct psp_offer {
    unsigned version;
    int64_t platform;
    int64_t equipment;        /* 0 for a service without equipment */
    int64_t start;            /* the slot */
    int64_t end;
    int64_t gross;            /* fen; gross == enterprise_pays + voucher_pays */
    int64_t enterprise_pays;  /* the net price */
    int64_t voucher_pays;
    int64_t scheme;           /* the voucher scheme that pays (as psp_price.scheme); 0 = none */
    const char *voucher_note; /* as psp_price.voucher_note; borrowed (convention 6) */
    int travel_minutes;       /* from the enterprise's zone */
    int tier;                 /* psp_route_tier */
    int64_t alliance;         /* the alliance it was reached through; 0 otherwise */
    int referral_hops;        /* steps of the chain between different families */
    double score;             /* the objective's value, lower is better */
    const int64_t *chain;     /* platforms: received_by, ..., platform; borrowed (convention 6) */
    size_t chain_count;
} psp_offer;
#define PSP_OFFER_INIT {PSP_OFFER_VERSION, 0, 0, 0, 0, 0, 0, 0, 0, NULL, 0, PSP_ROUTE_TIER_HOME, 0, 0, 0.0, NULL, 0}
PSP_EXTERN(int) psp_offer_init(psp_offer *offer, unsigned version);

/* The ranked offers for a request, best first, without booking anything; none is not an error
 * (the iterator is empty). policy may be NULL (the defaults). */
typedef struct psp_offer_iter psp_offer_iter;
PSP_EXTERN(int) psp_route_iter_new(psp_offer_iter **out, psp_db *db, const psp_service_request *request,
                                   const psp_routing_policy *policy);
PSP_EXTERN(int) psp_offer_iter_next(psp_offer *out, psp_offer_iter *it);
PSP_EXTERN(void) psp_offer_iter_free(psp_offer_iter *it);
/* *out = 1 when psp_route_iter_new would answer at least one offer, else 0: answered at the first
 * offer found, without ranking the others. The same errors as psp_route_iter_new. */
PSP_EXTERN(int) psp_can_route(int *out, psp_db *db, const psp_service_request *request, const psp_routing_policy *policy);

/* A request served: the request, and the offer as booked. The request's fields and the offer's
 * are laid out flat (a struct inside a versioned struct could never grow). */
#define PSP_SERVED_REQUEST_VERSION 1u
typedef struct psp_served_request {
    unsigned version;
    int64_t id;
    int64_t booking;          /* the booking (equipment); 0 for a service case */
    int64_t at;               /* when it was fulfilled */
    /* the request (psp_service_request) */
    int64_t enterprise;
    int kind;                 /* psp_service_kind */
    int64_t equipment_class;
    int64_t window_start;
    int64_t window_end;
    int minutes;
    int units;
    int has_price_ceiling;
    int64_t price_ceiling;
    int64_t voucher_scheme;   /* asked for by the request */
    int64_t received_by;
    int64_t front_door;
    const char *note;         /* borrowed (convention 6) */
    /* the offer as booked (psp_offer) */
    int64_t platform;
    int64_t equipment;
    int64_t start;
    int64_t end;
    int64_t gross;
    int64_t enterprise_pays;
    int64_t voucher_pays;
    int64_t scheme;
    const char *voucher_note; /* borrowed */
    int travel_minutes;
    int tier;                 /* psp_route_tier */
    int64_t alliance;
    int referral_hops;
    double score;
    const int64_t *chain;     /* borrowed */
    size_t chain_count;
} psp_served_request;
#define PSP_SERVED_REQUEST_INIT                                                                    \
    {PSP_SERVED_REQUEST_VERSION, 0, 0, 0, 0, PSP_SERVICE_EQUIPMENT_SHARING, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL, \
     0, 0, 0, 0, 0, 0, 0, 0, NULL, 0, PSP_ROUTE_TIER_HOME, 0, 0, 0.0, NULL, 0}
PSP_EXTERN(int) psp_served_request_init(psp_served_request *served, unsigned version);

/* Books the best offer that can still be booked (if one was taken meanwhile, the next) and records
 * who received the request and who served it. Nothing fitting is an answer (convention 14): the
 * call returns 0 with *out_served = 0, *out untouched, and *out_reason naming the nearest miss;
 * when served, *out_served = 1, *out (may be NULL) the served request and *out_reason "".
 * *out_nearest_miss (may be NULL) gets the closest candidate that failed (e.g. above the ceiling),
 * or PSP_OFFER_INIT's zeros (platform 0) when there is none or the request was served. Strings and
 * chains are borrowed until the next psp call on this thread. out_served is required. policy may
 * be NULL (the defaults); a request to a one-stop front door follows the alliance's policy when it
 * has one. The enterprise itself, the operator of the receiving platform (of the alliance's lead
 * for a front door) or the promotion office may ask (PSP_ACTION_BOOK). Misuse is a negative code
 * and books nothing. */
PSP_EXTERN(int) psp_fulfil(psp_served_request *out, int *out_served, const char **out_reason,
                           psp_offer *out_nearest_miss, psp_db *db, const psp_actor *actor,
                           const psp_service_request *request, const psp_routing_policy *policy);

/* Served requests whose service starts in *period, in id order (cancelled ones included: their
 * booking says so). An empty or reversed period is PSP_EINVALID. */
typedef struct psp_served_requests_iter psp_served_requests_iter;
PSP_EXTERN(int) psp_served_requests_iter_new(psp_served_requests_iter **out, psp_db *db, const psp_period *period);
/* As the reader (convention 10): the enterprise's own requests; for an operator those its platform
 * received, referred or served. */
PSP_EXTERN(int) psp_served_requests_iter_new_as(psp_served_requests_iter **out, psp_db *db, const psp_actor *reader,
                                                const psp_period *period);
PSP_EXTERN(int) psp_served_requests_iter_next(psp_served_request *out, psp_served_requests_iter *it);
PSP_EXTERN(void) psp_served_requests_iter_free(psp_served_requests_iter *it);

/* Services without equipment: how many cases per ISO week a platform takes for a kind (set by its
 * operator; 0 takes none). */
#define PSP_SERVICE_CAPACITY_VERSION 1u
typedef struct psp_service_capacity {
    unsigned version;
    int64_t platform;
    int kind;             /* psp_service_kind */
    int cases_per_week;
} psp_service_capacity;
#define PSP_SERVICE_CAPACITY_INIT {PSP_SERVICE_CAPACITY_VERSION, 0, PSP_SERVICE_MANAGEMENT_CONSULTING, 0}
PSP_EXTERN(int) psp_service_capacity_init(psp_service_capacity *capacity, unsigned version);
PSP_EXTERN(int) psp_service_capacity_set(psp_db *db, const psp_actor *actor, int64_t platform, int kind,
                                         int cases_per_week);
/* Every capacity set, by platform then kind. */
typedef struct psp_service_capacity_iter psp_service_capacity_iter;
PSP_EXTERN(int) psp_service_capacity_iter_new(psp_service_capacity_iter **out, psp_db *db);
PSP_EXTERN(int) psp_service_capacity_iter_next(psp_service_capacity *out, psp_service_capacity_iter *it);
PSP_EXTERN(void) psp_service_capacity_iter_free(psp_service_capacity_iter *it);

/* The policy of a one-stop alliance's front door, set by its lead's operator. _get: an alliance
 * without one is not an error: *out_has = 0 and *out gets the defaults; else *out_has = 1.
 * PSP_ENOTFOUND for an unknown alliance. */
PSP_EXTERN(int) psp_alliance_policy_set(psp_db *db, const psp_actor *actor, int64_t alliance,
                                        const psp_routing_policy *policy);
PSP_EXTERN(int) psp_alliance_policy_get(psp_routing_policy *out, int *out_has, psp_db *db, int64_t alliance);

/* How a referred request's gross price is split, in basis points (10000 = 100 %): the serving
 * platform's, the referring platform's and the alliance pool's shares, summing to 10000 (else
 * PSP_EINVALID). An alliance's rule is set by its lead's operator; alliance 0 is the default rule
 * for referrals outside any alliance (the promotion office's; it has no pool share). _get answers
 * the rule in force: the alliance's own, else the default, else 10000/0/0. */
PSP_EXTERN(int) psp_settlement_rule_set(psp_db *db, const psp_actor *actor, int64_t alliance, int serving_bp,
                                        int referring_bp, int pool_bp);
PSP_EXTERN(int) psp_settlement_rule_get(int *out_serving_bp, int *out_referring_bp, int *out_pool_bp, psp_db *db,
                                        int64_t alliance);

/* The settlement of the served requests of *period (positions per platform, the fewest transfers
 * that clear the balances, voucher reimbursements, alliance pools and totals) and the ledger it
 * nets, as JSON (docs/settlement-json.md) for the caller to psp_free. An empty or reversed period
 * is PSP_EINVALID. */
PSP_EXTERN(int) psp_settle_json(char **out, psp_db *db, const psp_period *period);
PSP_EXTERN(int) psp_settlement_ledger_json(char **out, psp_db *db, const psp_period *period);
/* As the reader (convention 10): the entries of the served requests the reader may see. */
PSP_EXTERN(int) psp_settlement_ledger_json_as(char **out, psp_db *db, const psp_actor *reader,
                                              const psp_period *period);

/* ---- Rolling the network out (issue 6) ------------------------------------------------------
 * Joint review of a major purchase (§2.3) and the plan of a backbone's new sub-platforms (§3.2).
 * Both answer JSON (docs/rollout-json.md), released with psp_free. */
typedef enum psp_review_decision {
    PSP_REVIEW_APPROVE = 0,
    PSP_REVIEW_SHARE_EXISTING = 1,   /* same-class instruments within reach have the free hours */
    PSP_REVIEW_REJECT = 2            /* too little expected use */
} psp_review_decision;

#define PSP_PURCHASE_PROPOSAL_VERSION 1u
typedef struct psp_purchase_proposal {
    unsigned version;
    int64_t proposer;                /* platform that would buy */
    int64_t equipment_class;
    int64_t zone;                    /* where it would serve */
    int64_t purchase_value;          /* fen */
    int expected_hours_per_year;
    const char *note;                /* NULL = "" */
} psp_purchase_proposal;
#define PSP_PURCHASE_PROPOSAL_INIT {PSP_PURCHASE_PROPOSAL_VERSION, 0, 0, 0, 0, 0, NULL}
PSP_EXTERN(int) psp_purchase_proposal_init(psp_purchase_proposal *proposal, unsigned version);

#define PSP_REVIEW_THRESHOLDS_VERSION 1u
typedef struct psp_review_thresholds {
    unsigned version;
    int max_travel_minutes;          /* equipment farther from the zone is no alternative */
    int busy_utilisation_bp;         /* booked this share of its open time (basis points): busy */
    int min_expected_hours;          /* less expected use: reject */
} psp_review_thresholds;
#define PSP_REVIEW_THRESHOLDS_INIT {PSP_REVIEW_THRESHOLDS_VERSION, 60, 7000, 300}
PSP_EXTERN(int) psp_review_thresholds_init(psp_review_thresholds *thresholds, unsigned version);

/* Reviews the proposal (journaled); *out_decision (may be NULL) is a psp_review_decision and *out
 * the review as JSON: decision, rule, reason, free_hours_nearby, candidates. NULL thresholds: the
 * defaults. */
PSP_EXTERN(int) psp_purchase_review(int *out_decision, char **out, psp_db *db, const psp_actor *actor,
                                    const psp_purchase_proposal *proposal, const psp_review_thresholds *thresholds);

typedef struct psp_zone_demand {     /* never changes */
    int64_t zone;
    int64_t demand;                  /* unmet requests (or hours), >= 0 */
} psp_zone_demand;

#define PSP_ROLLOUT_REQUEST_VERSION 1u
typedef struct psp_rollout_request {
    unsigned version;
    int64_t backbone;
    int sub_platforms;               /* k */
    int phases;                      /* 1..k */
    int max_travel_minutes;          /* a zone is covered within this many minutes of a site */
    const psp_zone_demand *demand;   /* NULL / 0: from the last year's requests served far or unmet */
    size_t demand_count;
} psp_rollout_request;
#define PSP_ROLLOUT_REQUEST_INIT {PSP_ROLLOUT_REQUEST_VERSION, 0, 1, 1, 30, NULL, 0}
PSP_EXTERN(int) psp_rollout_request_init(psp_rollout_request *request, unsigned version);

/* The greedy plan as JSON: total_demand, covered_initially, bound, phases (sites with zone,
 * district and gain; coverage before and after). Reads only. */
PSP_EXTERN(int) psp_rollout_plan_json(char **out, psp_db *db, const psp_rollout_request *request);

/* ---- Major projects (issue 6) ---------------------------------------------------------------
 * Major platform projects (§6): the project record, the rolling pipeline (建设一批、储备一批、
 * 谋划一批) and supervision (§6.2) with its report. Projects, targets, thresholds, pipeline advances,
 * decisions and reports travel as JSON (docs/projects-json.md): dates "YYYY-MM-DD", money in fen,
 * shares in basis points, enums by name. JSON arguments are read strictly: malformed text, an
 * unknown key, a wrong type or a value the model refuses (milestone weights not summing to 10000...)
 * is PSP_EINVALID naming the argument and the JSON path (e.g. "project_json/milestones/0/due"), and
 * nothing changes. A date argument that is not "YYYY-MM-DD" is PSP_EINVALID naming it. Strings
 * answered in *out are released with psp_free. */

/* Files a project (the office): project_json is one project object; an absent id or id 0 takes the
 * next id, answered in *out_id. */
PSP_EXTERN(int) psp_project_add_json(int64_t *out_id, psp_db *db, const psp_actor *actor, const char *project_json);
/* Replaces the stored project of the same id (the office, or an operator of an owning platform
 * recording progress). The stage and approved date move only through the pipeline and supervision:
 * changing them is PSP_EREFUSED. PSP_ENOTFOUND for an unknown id. */
PSP_EXTERN(int) psp_project_update_json(psp_db *db, const psp_actor *actor, const char *project_json);
/* One project object; PSP_ENOTFOUND for an unknown id. */
PSP_EXTERN(int) psp_project_get_json(char **out, psp_db *db, int64_t id);
/* Every project, an array in id order. */
PSP_EXTERN(int) psp_projects_json(char **out, psp_db *db);

/* One step of the rolling pipeline on date (the office; journaled): completes finished building
 * projects, promotes reserved → building within the stage's room and the year's government funding,
 * planned → reserved within room. targets_json: {"planned": 30, "reserved": 20, "building": 12,
 * "government_per_year": null}, every key optional (NULL = all defaults; null funding = no limit).
 * ranking: ranking_count project ids promoted first, in that order (NULL / 0: by score, green
 * channel, private share, start, id). *out: the advance (on, moves, stages, government_limit,
 * government_committed_before / _after). */
PSP_EXTERN(int) psp_pipeline_advance_json(char **out, psp_db *db, const psp_actor *actor, const char *targets_json,
                                          const int64_t *ranking, size_t ranking_count, const char *date);

/* Supervises every building project on date (the office; each decision stored and journaled; a
 * missed deadline escalates rectify → suspend_funding → revoke, and a revoke revokes the project).
 * thresholds_json: the fields of the supervision thresholds by name, every key optional (NULL = the
 * defaults). *out: the array of decisions of the day. */
PSP_EXTERN(int) psp_supervise_json(char **out, psp_db *db, const psp_actor *actor, const char *thresholds_json,
                                   const char *date);
/* The stored decisions of a project (0 = every project's), oldest first, as an array. */
PSP_EXTERN(int) psp_supervision_decisions_json(char **out, psp_db *db, int64_t project);
/* The supervision report of office for the period [first_date, last_date] (inclusive) named label:
 * each project's last decision of the period, most severe first. A reversed period is PSP_EINVALID.
 * _json answers the report object, _text a readable English report for filing. */
PSP_EXTERN(int) psp_supervision_report_json(char **out, psp_db *db, const char *office, const char *label,
                                            const char *first_date, const char *last_date);
PSP_EXTERN(int) psp_supervision_report_text(char **out, psp_db *db, const char *office, const char *label,
                                            const char *first_date, const char *last_date);

/* ---- Certification of demonstration platforms (§4.1) ---------------------------------------
 * The office publishes the standards per level (municipal, provincial, national) and the expert
 * panel's rules; a platform applies at a level with its record; experts score the case one by one
 * (the expert is the actor, by name); the office decides once, and an approval is recognised
 * (授牌) from the day of the decision. At the end of a term, or on demand, the office reviews the
 * recognition: renewed, demoted or withdrawn with the reason. Every change is stored and
 * journaled. Standards, records, applications, cases, recognitions and reviews travel as JSON
 * (docs/certification-json.md): dates "YYYY-MM-DD", utilisation in basis points, expert scores in
 * the panel's unit (tenths of a point by default), enums by name. JSON arguments are read
 * strictly: malformed text, an unknown key, a wrong type or a value the rules refuse is
 * PSP_EINVALID naming the argument and the JSON path (e.g. "application_json/record/utilisation_bp"),
 * and nothing changes. A date argument that is not "YYYY-MM-DD" is PSP_EINVALID naming it; an id
 * <= 0 is PSP_EINVALID, an unknown one PSP_ENOTFOUND. Strings answered in *out are released with
 * psp_free. */

/* Replaces the standards and the panel's rules (the office): standards_json is
 * {"standards": [standard, ...], "panel": {...}} (panel optional: the defaults). The set must hold
 * together (one standard per level; a higher level never asks less) and every pass mark must be
 * in the panel's score range, else PSP_EINVALID naming the level and the field. */
PSP_EXTERN(int) psp_certification_standards_set_json(psp_db *db, const psp_actor *actor, const char *standards_json);
/* The published setting, {"standards": [...] in level order, "panel": {...}}; no standards yet:
 * an empty list and the default panel. */
PSP_EXTERN(int) psp_certification_standards_json(char **out, psp_db *db);

/* The facts the database holds about platform as of date (anyone may read): enterprises served and
 * utilisation over the 365 days before date, revoked projects, years recognised per level;
 * years_operating, grade and published_services are 0 / null / false for the caller to fill in
 * before applying. PSP_ENOTFOUND for an unknown platform. */
PSP_EXTERN(int) psp_platform_record_json(char **out, psp_db *db, int64_t platform, const char *date);

/* Files an application (the platform's operator for its own platform, or the office):
 * application_json is {"platform", "level", "filed", "record"}; the new case's id is answered in
 * *out_id. PSP_EREFUSED when the office has published no standard for the level, PSP_EEXISTS when
 * the platform already has an open case at that level, PSP_EPERM for another platform's operator,
 * PSP_ENOTFOUND for an unknown platform. */
PSP_EXTERN(int) psp_certification_apply_json(int64_t *out_id, psp_db *db, const psp_actor *actor,
                                             const char *application_json);
/* An expert's score of an open case (PSP_ROLE_EXPERT; the actor's name is the expert's, non-empty),
 * in the panel's unit. PSP_EINVALID when the expert has already scored the case or the score is
 * outside the panel's range; PSP_EREFUSED once the case is decided; PSP_EPERM for any other role. */
PSP_EXTERN(int) psp_certification_score(psp_db *db, const psp_actor *actor, int64_t case_id, int score);
/* Decides the case on date (the office, once): approved when every threshold is met and the panel
 * score (highest and lowest dropped, the rest averaged, rounded down) reaches the pass mark; an
 * approval is recognised from date. *out: the case object with its decision and certificate. A
 * refusal is an answer (approved false, with the reasons), not an error. PSP_EINVALID for too few
 * scores or a date before the filing; PSP_EREFUSED when already decided. */
PSP_EXTERN(int) psp_certification_decide_json(char **out, psp_db *db, const psp_actor *actor, int64_t case_id,
                                              const char *date);
/* One case object; PSP_ENOTFOUND for an unknown id. */
PSP_EXTERN(int) psp_certification_case_json(char **out, psp_db *db, int64_t case_id);
/* Every case, an array in id order. */
PSP_EXTERN(int) psp_certification_cases_json(char **out, psp_db *db);

/* Reviews the open recognition of record_json's platform on date (the office): record_json is a
 * platform record as of date. On or after the term's end it is renewed, demoted or withdrawn;
 * before it (on demand) it is confirmed, or demoted / withdrawn from date. *out: the review
 * object. PSP_ENOTFOUND when the platform holds no open recognition (or is unknown); PSP_EINVALID
 * for a date before the term's start. */
PSP_EXTERN(int) psp_recognition_review_json(char **out, psp_db *db, const psp_actor *actor, const char *record_json,
                                            const char *date);
/* Every recognition term of platform (0 = every platform's), by certificate number. */
PSP_EXTERN(int) psp_recognitions_json(char **out, psp_db *db, int64_t platform);
/* The term in force for platform on date, or the JSON text null when none. */
PSP_EXTERN(int) psp_recognition_json(char **out, psp_db *db, int64_t platform, const char *date);
/* The open terms whose validity has ended by date (awaiting their review), by end date then number. */
PSP_EXTERN(int) psp_recognitions_due_json(char **out, psp_db *db, const char *date);

/* ---- City plans and tasks (§1.1) ------------------------------------------------------------
 * A city plan over whole years, its annual plans and their tasks, each assigned to a unit (a
 * platform or a named office); the overdue report of a date. Plans and reports travel as JSON
 * (docs/plans-json.md). The office files and revises plans (whole); the operator of the platform
 * a task is assigned to (or the office) reports its status. A plan is validated whole: a plan that
 * does not hold together (a deadline outside its year, a task id used twice, done_on without done...)
 * is PSP_EINVALID naming plan_json, the plan, annual plan and task and the field, and nothing
 * changes; a task assigned to an unknown platform is PSP_ENOTFOUND. Dates, ids and strings as in
 * the certification calls above. */

/* The status of a task. Values are stable. */
typedef enum psp_task_status {
    PSP_TASK_NOT_STARTED = 0,
    PSP_TASK_IN_PROGRESS = 1,
    PSP_TASK_DONE = 2,          /* done on the date given */
    PSP_TASK_CANCELLED = 3      /* cancelled on the date given */
} psp_task_status;
#define PSP_TASK_STATUS_COUNT 4

/* Files a city plan (the office): plan_json is one plan object; an absent id or id 0 takes the next
 * id, answered in *out_id. PSP_EEXISTS when the id is taken. */
PSP_EXTERN(int) psp_city_plan_add_json(int64_t *out_id, psp_db *db, const psp_actor *actor, const char *plan_json);
/* Replaces the stored plan of the same id (the office). PSP_ENOTFOUND for an unknown id. */
PSP_EXTERN(int) psp_city_plan_update_json(psp_db *db, const psp_actor *actor, const char *plan_json);
/* Sets a task's status (psp_task_status) on date: the office, or the operator of the platform the
 * task is assigned to (PSP_EPERM otherwise). PSP_TASK_DONE / PSP_TASK_CANCELLED record date as
 * done_on / cancelled_on; PSP_TASK_NOT_STARTED reopens the task. A status out of range, or a date
 * before the task was created, is PSP_EINVALID; an unknown plan or task PSP_ENOTFOUND. */
PSP_EXTERN(int) psp_task_status_set(psp_db *db, const psp_actor *actor, int64_t plan, int64_t task, int status,
                                    const char *date);
/* One plan object; PSP_ENOTFOUND for an unknown id. */
PSP_EXTERN(int) psp_city_plan_json(char **out, psp_db *db, int64_t id);
/* Every plan, an array in id order. */
PSP_EXTERN(int) psp_city_plans_json(char **out, psp_db *db);
/* The overdue report of plan as of date (the plan as it stood that day): per unit the tasks past
 * their deadline and not done, and the summary. _json answers the report object, _text a readable
 * English report for filing, with the platforms' names. PSP_ENOTFOUND for an unknown plan. */
PSP_EXTERN(int) psp_overdue_report_json(char **out, psp_db *db, int64_t plan, const char *date);
PSP_EXTERN(int) psp_overdue_report_text(char **out, psp_db *db, int64_t plan, const char *date);

/* ---- Monitoring statistics (issue 7) ---------------------------------------------------------
 * Figures per subject (equipment, platform, zone, district, alliance, city) and period (day, ISO
 * week, month, quarter, year), kept up to date as the ledger changes (docs/statistics-json.md says
 * what each figure counts). */

/* The rows of a query, as a JSON array (one row per subject and period; subjects in id order,
 * periods in time order). query_json: {"subject": "platform", "ids": [3, 5] (absent or empty: every
 * subject of the kind), "period": "month", "from": "2025-01-01", "to": "2025-12-31"} (the periods
 * containing from..to). A reversed range, an unknown kind or period name, more than 100,000 rows is
 * PSP_EINVALID; an unknown id PSP_ENOTFOUND. Reads only. */
PSP_EXTERN(int) psp_statistics_json(char **out, psp_db *db, const char *query_json);
/* Counts every figure again from the whole ledger (the check of the incremental counters, and the
 * way back after a bulk load opened with statistics off). */
PSP_EXTERN(int) psp_statistics_rebuild(psp_db *db);
/* Requests psp_fulfil could not serve, asked in *period, as a JSON array in id order: id, at,
 * enterprise, kind, equipment_class, window_start, window_end, minutes, units, price_ceiling (or
 * null), voucher, received_by, front_door, note, desk (the platform asked; 0 none), reason. */
PSP_EXTERN(int) psp_unmet_requests_json(char **out, psp_db *db, const psp_period *period);
/* As the reader (convention 10): the enterprise's own; for an operator those asked at its platform. */
PSP_EXTERN(int) psp_unmet_requests_json_as(char **out, psp_db *db, const psp_actor *reader, const psp_period *period);

/* Monitoring on the rows of a query (docs/monitoring-json.md). metric names one figure of a row:
 * "bookings", "cancellations", "no_shows", "rejections", "booked_hours", "used_hours",
 * "external_hours", "open_hours", "utilisation" (0..1), "external_share" (0..1), "revenue" (fen),
 * "voucher_spend" (fen), "requests_received", "requests_served", "referred_in", "referred_out",
 * "unmet", "enterprises_served", "new_enterprises", "fulfilment_rate" (0..1); an unknown name is
 * PSP_EINVALID naming "metric". The query is read as psp_statistics_json reads it. Reads only. */

/* The metric of every row of the query with the previous period's value, the change and the
 * change ratio (null where there is no previous period, or it is 0): [{subject, id, period, start,
 * end, value, previous, change, change_ratio}], by subject and period. */
PSP_EXTERN(int) psp_statistics_change_json(char **out, psp_db *db, const char *query_json, const char *metric);
/* The subjects of the query ranked by the metric, largest first (descending non-zero) or smallest
 * first: [{rank, subject, id, value}], equal values sharing a rank (1, 1, 3). The query must cover
 * one period (from and to in the same day, week, month...): else PSP_EINVALID naming query_json. */
PSP_EXTERN(int) psp_statistics_rank_json(char **out, psp_db *db, const char *query_json, const char *metric,
                                         int descending);
/* The subjects of the query side by side: {metric, subject, period, ids: [columns], rows: [{start,
 * end, values: [one per column, null where none]}]}. */
PSP_EXTERN(int) psp_statistics_compare_json(char **out, psp_db *db, const char *query_json, const char *metric);
/* This city's table for another city to compare: {"city": city_name, "rows": [the query's rows]}.
 * psp_compare_cities_json reads a table's city-level rows (subject "city") and sums its platform
 * rows only when it has none: export {"subject": "city"} rows for the truest comparison. An empty
 * city_name is PSP_EINVALID. */
PSP_EXTERN(int) psp_statistics_export_json(char **out, psp_db *db, const char *city_name, const char *query_json);
/* Cities side by side (no database): tables_json is an array of at least two tables as
 * psp_statistics_export_json writes them; answers {metric, period, cities, sources (per city: "city"
 * or "platform", the rows read), rows: [{start, end, values}]}. A duplicate or empty city name, a
 * table with neither city nor platform rows, or tables of different period kinds is PSP_EINVALID
 * naming tables_json and the cities. */
PSP_EXTERN(int) psp_compare_cities_json(char **out, const char *tables_json, const char *metric);
/* The series of the metric of one subject over the query's periods (ids names exactly one subject;
 * the city needs none), fitted and forecast horizon periods ahead (1..60): {subject, id, metric,
 * period, history: [{start, value}], forecast: [{start, value}], model: {method, alpha, beta,
 * gamma, level, trend, seasonal, points, sse, fitted_points}, backtest: {points, mae, rmse, mape
 * (percent, or null when every actual was 0), mape_points} or null when the series is too short}.
 * options_json may be NULL (the defaults): {"method": "automatic" | "holt" | "holt_winters",
 * "alpha", "beta", "gamma"} (each key optional; a parameter not given is fitted; given, it lies in
 * (0, 1)). Too few periods for the method, a horizon out of range or a query naming no or several
 * subjects is PSP_EINVALID. */
PSP_EXTERN(int) psp_statistics_forecast_json(char **out, psp_db *db, const char *query_json, const char *metric,
                                             int horizon, const char *options_json);

/* The office's alert rules (PSP_EPERM for anyone else), replacing the stored ones; journaled.
 * rules_json: [{"name": "idle", "kind": "below_for" | "above_for" | "rising_for" | "total_above",
 * "metric": "utilisation", "threshold": 0.3, "periods": 3, "subject": "platform" (or null: every
 * row)}]. A rule the rules refuse (a share's threshold outside 0..1, periods outside 1..120, a name
 * twice) is PSP_EINVALID naming rules_json and the rule; nothing changes. */
PSP_EXTERN(int) psp_alert_rules_set_json(psp_db *db, const psp_actor *actor, const char *rules_json);
/* The stored rules, in the order given ([] when none). */
PSP_EXTERN(int) psp_alert_rules_json(char **out, psp_db *db);
/* The alerts the stored rules raise on the rows of the query: [{rule, kind, metric, subject, id,
 * from, to, figures, threshold, message}], by rule, then subject. */
PSP_EXTERN(int) psp_alerts_json(char **out, psp_db *db, const char *query_json);

/* ---- Evaluation (§4.3) -----------------------------------------------------------------------
 * Platforms scored on an indicator tree, graded, ranked and given their share of an incentive
 * budget (docs/evaluation-json.md). The measured indicators of the default tree come from the
 * monitoring statistics of the period; entered scores (self, third party, public rating) and other
 * measured values are given. Each run is stored with every input, so that it can be reproduced,
 * and journaled; the latest grade of a platform feeds its certification record. */

/* Runs an evaluation (the office; PSP_EPERM otherwise) and answers its id in *out_id.
 * request_json: {"label": "2025 Q1", "tree": {...} (absent: the default tree), "platforms": [ids]
 * (absent or []: every operating platform), "from": "2025-01-01", "to": "2025-03-31" (both days
 * included), "values": [{"platform", "indicator", "source", "value"}], "thresholds": {"excellent",
 * "good", "pass"}, "budget": fen, "floor": 60}. A malformed request, a reversed period or a missing
 * value is PSP_EINVALID naming request_json (and the JSON path); an unknown platform PSP_ENOTFOUND;
 * nothing is stored. */
PSP_EXTERN(int) psp_evaluation_run_json(int64_t *out_id, psp_db *db, const psp_actor *actor, const char *request_json);
/* A stored run: {id, label, from, to, run: {spec, results (in rank order), allocated, unallocated,
 * flagged}}. An id <= 0 is PSP_EINVALID, an unknown one PSP_ENOTFOUND. */
PSP_EXTERN(int) psp_evaluation_json(char **out, psp_db *db, int64_t id);
/* Every stored run, in id order. */
PSP_EXTERN(int) psp_evaluations_json(char **out, psp_db *db);

/* ---- Journal ------------------------------------------------------------------------------- */

#define PSP_JOURNAL_QUERY_VERSION 1u
typedef struct psp_journal_query {
    unsigned version;
    int entity;            /* psp_entity_kind, or PSP_ENTITY_ANY */
    int has_entity_id;     /* non-zero: only rows about entity_id */
    int64_t entity_id;
    int has_from;          /* non-zero: only rows with time >= from */
    int64_t from;
    int has_to;            /* non-zero: only rows with time < to */
    int64_t to;
    size_t limit;          /* 0 = no limit */
} psp_journal_query;
#define PSP_JOURNAL_QUERY_INIT {PSP_JOURNAL_QUERY_VERSION, PSP_ENTITY_ANY, 0, 0, 0, 0, 0, 0, 0}
PSP_EXTERN(int) psp_journal_query_init(psp_journal_query *query, unsigned version);

#define PSP_JOURNAL_ENTRY_VERSION 1u
typedef struct psp_journal_entry {
    unsigned version;
    int64_t seq;           /* increasing, from 1 */
    int64_t time;          /* Unix seconds, UTC */
    int actor_role;        /* psp_role */
    int64_t actor_subject; /* platform or enterprise id of the actor, 0 otherwise */
    const char *actor_name;
    const char *action;    /* "add", "update", "remove", "set", "import" */
    int entity;            /* psp_entity_kind */
    int64_t entity_id;     /* 0 for a relation or the whole network */
    const char *details;   /* JSON: the entity after the change, or the key removed */
} psp_journal_entry;
#define PSP_JOURNAL_ENTRY_INIT {PSP_JOURNAL_ENTRY_VERSION, 0, 0, 0, 0, NULL, NULL, 0, 0, NULL}
PSP_EXTERN(int) psp_journal_entry_init(psp_journal_entry *entry, unsigned version);

/* query may be NULL (every row). */
typedef struct psp_journal_iter psp_journal_iter;
PSP_EXTERN(int) psp_journal_iter_new(psp_journal_iter **out, psp_db *db, const psp_journal_query *query);
/* As the reader (convention 10): the rows it made, rows about the bookings, waiting-list entries,
 * served and unmet requests and training records it may see, and rows about the network and the
 * other public records; the query's limit counts the rows returned. */
PSP_EXTERN(int) psp_journal_iter_new_as(psp_journal_iter **out, psp_db *db, const psp_actor *reader,
                                        const psp_journal_query *query);
PSP_EXTERN(int) psp_journal_iter_next(psp_journal_entry *out, psp_journal_iter *it);
PSP_EXTERN(void) psp_journal_iter_free(psp_journal_iter *it);

/* ---- Synthetic cities ---------------------------------------------------------------------- */

#define PSP_CITY_PARAMS_VERSION 1u
typedef struct psp_city_params {
    unsigned version;
    uint64_t seed;
    int districts;            /* 1..13, in the order of Hangzhou's real districts */
    int zones_per_district;
    int platforms;
    double backbone_share;     /* share of platforms that are backbones */
    double sub_platform_share; /* share of platforms that are sub-platforms of a backbone */
    int alliances;
    int equipment_classes;
    int equipment;
    int enterprises;
} psp_city_params;
/* The defaults: a city (DESIGN.md §5). */
#define PSP_CITY_PARAMS_INIT {PSP_CITY_PARAMS_VERSION, 1u, 13, 4, 300, 0.1, 0.3, 12, 40, 5000, 50000}
PSP_EXTERN(int) psp_city_params_init(psp_city_params *params, unsigned version);
/* The parameters of one of the three sizes (psp_scale); out must be initialised. */
PSP_EXTERN(int) psp_city_params_for_scale(psp_city_params *out, int scale, uint64_t seed);

/* Generates a city and imports it into an empty database. Same parameters, same city. */
PSP_EXTERN(int) psp_synth_generate(psp_db *db, const psp_actor *actor, const psp_city_params *params);
/* Generates a city as network JSON, without a database. */
PSP_EXTERN(int) psp_synth_generate_json(char **out, const psp_city_params *params);

/* Gives an imported synthetic city what booking needs: calendars, tariffs, booking rules and the
 * city's innovation voucher scheme, whose id is answered in *out_scheme (psp::synth::configure_booking).
 * Same seed, same settings. */
PSP_EXTERN(int) psp_synth_configure_booking(int64_t *out_scheme, psp_db *db, const psp_actor *actor, uint64_t seed);

/* ---- Simulation of alliance sharing (issue 8) -------------------------------------------------
 * A year (or any horizon) of the enterprises' requests replayed through this library — routing,
 * booking, prices, vouchers, statistics, settlement — under each scenario, on in-memory copies of
 * the database, which itself is not changed (docs/simulation-json.md). Same database, scenarios
 * and seeds: same results, bit for bit, whatever the number of threads. */

typedef struct psp_simulation_progress {
    int scenario;            /* index of a scenario being run */
    int scenarios;
    int replications_done;   /* over all scenarios */
    int replications;
    double fraction;         /* 0..1 of the whole run */
} psp_simulation_progress;
/* Called on the thread that called psp_simulate_json, about every 1 % and after each replication.
 * Return 0 to go on; anything else stops the run (psp_simulate_json answers PSP_EREFUSED). It must
 * not call functions on the same psp_db, which is locked during the run. */
typedef int (*psp_simulation_progress_fn)(const psp_simulation_progress *progress, void *context);

/* Runs the scenarios: scenarios_json is [scenario...] or {"scenarios": [...]}; a scenario is
 * {"name", "from", "to" (dates, both included), "sharing": "isolated"|"alliances"|"network",
 * "one_stop", "vouchers", "policy", "demand", "hours_per_instrument", "budget_yuan_per_hour",
 * "referral_dropout", "referral_delay_hours", "rollout_sub_platforms", "planned_purchases",
 * "joint_review", "seed", "replications"}. threads: 0 for one per hardware thread. progress may be
 * NULL. *out: {"scenarios": [{scenario, summary: {metric: {mean, half_width, std_dev, n}},
 * replications: [...]}], "rows": [comparison table]}. A malformed or invalid scenario is
 * PSP_EINVALID naming scenarios_json and the JSON path; nothing is stored. */
PSP_EXTERN(int) psp_simulate_json(char **out, psp_db *db, const char *scenarios_json, int threads,
                                  psp_simulation_progress_fn progress, void *context);
/* Stores the results of psp_simulate_json as a run named `name` (the office; PSP_EPERM otherwise),
 * journaled; its id in *out_id. */
PSP_EXTERN(int) psp_simulation_save_json(int64_t *out_id, psp_db *db, const psp_actor *actor, const char *name,
                                         const char *results_json);
/* A stored run: {id, name, at, scenarios, rows}. An id <= 0 is PSP_EINVALID, an unknown one PSP_ENOTFOUND. */
PSP_EXTERN(int) psp_simulation_json(char **out, psp_db *db, int64_t id);
/* Every stored run, in id order. */
PSP_EXTERN(int) psp_simulations_json(char **out, psp_db *db);

#ifdef __cplusplus
}
#endif

#endif /* PSP_PSP_H */
