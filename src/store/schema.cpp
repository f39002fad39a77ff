// Schema migrations for SQLite, in order (PostgreSQL's: schema_postgres.cpp). Migration N takes user_version N-1 to N; never edit a released one.
#include "store/schema.hpp"

#include <array>
#include <string>
#include <string_view>

#include "psp/error.hpp"
#include "store/postgres.hpp"
#include "store/sqlite.hpp"

namespace psp::store {
namespace {

constexpr const char* migration_1 = R"sql(
CREATE TABLE districts(
  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, x_km REAL NOT NULL, y_km REAL NOT NULL);
CREATE TABLE district_travel(
  a INTEGER NOT NULL REFERENCES districts(id), b INTEGER NOT NULL REFERENCES districts(id),
  minutes INTEGER NOT NULL CHECK (minutes >= 0), PRIMARY KEY (a, b), CHECK (a < b)) WITHOUT ROWID;
CREATE TABLE zones(
  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,
  district INTEGER NOT NULL REFERENCES districts(id), type INTEGER NOT NULL);
CREATE TABLE platforms(
  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, tier INTEGER NOT NULL, field INTEGER NOT NULL,
  operator_model INTEGER NOT NULL, services INTEGER NOT NULL, backbone INTEGER NOT NULL,
  parent INTEGER REFERENCES platforms(id), site INTEGER NOT NULL REFERENCES districts(id),
  status INTEGER NOT NULL);
CREATE TABLE zone_services(
  platform INTEGER NOT NULL REFERENCES platforms(id), zone INTEGER NOT NULL REFERENCES zones(id),
  minutes INTEGER NOT NULL CHECK (minutes >= 0), PRIMARY KEY (platform, zone)) WITHOUT ROWID;
CREATE TABLE platform_links(
  from_platform INTEGER NOT NULL REFERENCES platforms(id),
  to_platform INTEGER NOT NULL REFERENCES platforms(id), kind INTEGER NOT NULL,
  PRIMARY KEY (from_platform, to_platform)) WITHOUT ROWID;
CREATE TABLE alliances(
  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, scope INTEGER NOT NULL, sector INTEGER NOT NULL,
  breadth INTEGER NOT NULL, lead INTEGER NOT NULL REFERENCES platforms(id), one_stop INTEGER NOT NULL);
CREATE TABLE alliance_members(
  alliance INTEGER NOT NULL REFERENCES alliances(id), platform INTEGER NOT NULL REFERENCES platforms(id),
  role INTEGER NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (alliance, platform)) WITHOUT ROWID;
CREATE INDEX alliance_members_platform ON alliance_members(platform);
CREATE TABLE equipment_classes(
  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, category TEXT NOT NULL);
CREATE TABLE equipment(
  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,
  class INTEGER NOT NULL REFERENCES equipment_classes(id), owner INTEGER NOT NULL REFERENCES platforms(id),
  capacity INTEGER NOT NULL CHECK (capacity >= 1), site INTEGER NOT NULL REFERENCES districts(id),
  purchase_value INTEGER NOT NULL CHECK (purchase_value >= 0));
CREATE TABLE enterprises(
  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, zone INTEGER NOT NULL REFERENCES zones(id),
  size INTEGER NOT NULL, sector TEXT NOT NULL);
CREATE TABLE journal(
  seq INTEGER PRIMARY KEY, time INTEGER NOT NULL, actor_role INTEGER NOT NULL,
  actor_subject INTEGER NOT NULL, actor_name TEXT NOT NULL, action TEXT NOT NULL,
  entity INTEGER NOT NULL, entity_id INTEGER NOT NULL, details TEXT NOT NULL);
CREATE INDEX journal_entity ON journal(entity, entity_id, time);
CREATE INDEX journal_time ON journal(time);
)sql";

// Issue 4: booking. Rules and calendars are JSON (docs/booking-json.md): they grow fields, and
// they are read whole.
constexpr const char* migration_2 = R"sql(
CREATE TABLE platform_calendars(
  platform INTEGER PRIMARY KEY REFERENCES platforms(id), calendar TEXT NOT NULL);
CREATE TABLE equipment_booking(
  equipment INTEGER PRIMARY KEY REFERENCES equipment(id), rules TEXT, calendar TEXT);
CREATE TABLE training(
  enterprise INTEGER NOT NULL REFERENCES enterprises(id),
  equipment_class INTEGER NOT NULL REFERENCES equipment_classes(id),
  PRIMARY KEY (enterprise, equipment_class)) WITHOUT ROWID;
CREATE TABLE bookings(
  id INTEGER PRIMARY KEY, equipment INTEGER NOT NULL REFERENCES equipment(id),
  enterprise INTEGER NOT NULL REFERENCES enterprises(id), start INTEGER NOT NULL, end INTEGER NOT NULL,
  units INTEGER NOT NULL CHECK (units >= 1), status INTEGER NOT NULL, created INTEGER NOT NULL,
  fee INTEGER NOT NULL CHECK (fee >= 0), note TEXT NOT NULL, series INTEGER NOT NULL DEFAULT 0,
  CHECK (start < end));
CREATE INDEX bookings_equipment ON bookings(equipment, start);
CREATE TABLE equipment_tariffs(
  equipment INTEGER PRIMARY KEY REFERENCES equipment(id), tariff TEXT NOT NULL);
CREATE TABLE voucher_schemes(id INTEGER PRIMARY KEY, scheme TEXT NOT NULL);
CREATE TABLE booking_prices(booking INTEGER PRIMARY KEY REFERENCES bookings(id), price TEXT NOT NULL);
CREATE TABLE voucher_movements(
  id INTEGER PRIMARY KEY, scheme INTEGER NOT NULL REFERENCES voucher_schemes(id),
  platform INTEGER NOT NULL, enterprise INTEGER NOT NULL, booking INTEGER NOT NULL,
  year INTEGER NOT NULL, at INTEGER NOT NULL, amount INTEGER NOT NULL);
CREATE TABLE waitlist(
  id INTEGER PRIMARY KEY, equipment INTEGER NOT NULL REFERENCES equipment(id),
  enterprise INTEGER NOT NULL REFERENCES enterprises(id), start INTEGER NOT NULL, end INTEGER NOT NULL,
  units INTEGER NOT NULL, note TEXT NOT NULL, created INTEGER NOT NULL, status INTEGER NOT NULL,
  booking INTEGER NOT NULL DEFAULT 0, voucher INTEGER NOT NULL DEFAULT 0);
CREATE INDEX bookings_enterprise ON bookings(enterprise, start);
)sql";

// Issue 5: coordination and settlement. A served request is stored field by field (it is read
// back exactly); the referral chain as text "1,5,7".
constexpr const char* migration_3 = R"sql(
CREATE TABLE service_capacity(
  platform INTEGER NOT NULL REFERENCES platforms(id), kind INTEGER NOT NULL,
  cases_per_week INTEGER NOT NULL CHECK (cases_per_week >= 0), PRIMARY KEY (platform, kind)) WITHOUT ROWID;
CREATE TABLE alliance_policies(alliance INTEGER PRIMARY KEY REFERENCES alliances(id), policy TEXT NOT NULL);
CREATE TABLE settlement_rules(
  alliance INTEGER PRIMARY KEY, serving_bp INTEGER NOT NULL, referring_bp INTEGER NOT NULL, pool_bp INTEGER NOT NULL);
CREATE TABLE served_requests(
  id INTEGER PRIMARY KEY, at INTEGER NOT NULL,
  enterprise INTEGER NOT NULL REFERENCES enterprises(id), kind INTEGER NOT NULL, equipment_class INTEGER NOT NULL,
  window_start INTEGER NOT NULL, window_end INTEGER NOT NULL, minutes INTEGER NOT NULL, units INTEGER NOT NULL,
  price_ceiling INTEGER, voucher INTEGER NOT NULL, received_by INTEGER NOT NULL, front_door INTEGER NOT NULL,
  note TEXT NOT NULL,
  platform INTEGER NOT NULL REFERENCES platforms(id), equipment INTEGER NOT NULL, start INTEGER NOT NULL,
  end INTEGER NOT NULL, gross INTEGER NOT NULL, enterprise_pays INTEGER NOT NULL, voucher_pays INTEGER NOT NULL,
  scheme INTEGER NOT NULL, voucher_note TEXT NOT NULL, travel_minutes INTEGER NOT NULL, tier INTEGER NOT NULL,
  alliance INTEGER NOT NULL, chain TEXT NOT NULL, referral_hops INTEGER NOT NULL, score REAL NOT NULL,
  booking INTEGER NOT NULL);
)sql";

// Issue 6: major projects, stored whole as JSON (src/json/projects_json.cpp: they grow fields and are
// read whole), and the supervision decisions in the order they were taken.
constexpr const char* migration_4 = R"sql(
CREATE TABLE projects(id INTEGER PRIMARY KEY, project TEXT NOT NULL);
CREATE TABLE supervision_decisions(
  seq INTEGER PRIMARY KEY, project INTEGER NOT NULL REFERENCES projects(id), decision TEXT NOT NULL);
)sql";

// Issue 6: certification (the standards, cases, recognitions) and city plans, each a JSON document
// read whole (src/json/certification_json.cpp, plans_json.cpp), keyed by kind and id.
constexpr const char* migration_5 = R"sql(
CREATE TABLE documents(kind TEXT NOT NULL, id INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY(kind, id)) WITHOUT ROWID;
)sql";

// Issue 7: requests the network could not serve, for the unmet-demand statistics.
constexpr const char* migration_6 = R"sql(
CREATE TABLE unmet_requests(
  id INTEGER PRIMARY KEY, at INTEGER NOT NULL,
  enterprise INTEGER NOT NULL REFERENCES enterprises(id), kind INTEGER NOT NULL, equipment_class INTEGER NOT NULL,
  window_start INTEGER NOT NULL, window_end INTEGER NOT NULL, minutes INTEGER NOT NULL, units INTEGER NOT NULL,
  price_ceiling INTEGER, voucher INTEGER NOT NULL, received_by INTEGER NOT NULL, front_door INTEGER NOT NULL,
  note TEXT NOT NULL, desk INTEGER NOT NULL, reason TEXT NOT NULL);
)sql";

// Issue 9: the journal is append-only, even for SQL that reaches psp's connection directly (a bug,
// a future module): rows may be inserted, never updated or deleted. The triggers use only RAISE, so
// they run with trusted_schema off (sqlite.cpp). Each CREATE TRIGGER is kept on its own line:
// check_schema_objects() compares the text SQLite stores with it.
constexpr const char* migration_7 = R"sql(
CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
)sql";

constexpr std::array<const char*, schema_versions> migrations{migration_1, migration_2, migration_3, migration_4, migration_5,
                                                migration_6, migration_7};

// The schema version from which the journal's triggers must be present.
constexpr int append_only_journal_version = 7;

bool has_tables(SqliteConnection& conn) {
    auto st = conn.prepare("SELECT count(*) FROM sqlite_schema");
    return st.step() && st.int64(0) > 0;
}

// Schema objects carry code that SQLite runs inside psp's own statements: triggers on every write,
// views on every read. psp writes two triggers and no view, so a file holding any other trigger or
// view (or a virtual table, whose module runs on every access) was crafted or altered outside psp;
// it is refused before psp writes anything. A trigger counts as psp's only if its text is exactly
// one of migration 7's statements, so a look-alike of the same name is refused too. Missing
// journal triggers in a file of version >= 7 are refused as well: someone removed the guard.
void check_schema_objects(SqliteConnection& conn, int version) {
    const auto refuse = [&](const std::string& why) {
        throw Error(ErrorCode::format, "'" + conn.path() + "' is not a psp database as psp writes it: " + why);
    };
    const std::string_view ours(migration_7);
    int journal_triggers = 0;
    auto st = conn.prepare(
        "SELECT type, name, sql FROM sqlite_schema WHERE type IN ('trigger', 'view') "
        "OR (type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%') ORDER BY rowid");
    while (st.step()) {
        const std::string type = st.text(0), name = st.text(1), sql = st.text(2);
        const bool psp_trigger = type == "trigger" && (name == "journal_no_update" || name == "journal_no_delete") &&
                                 ours.find("\n" + sql + ";\n") != std::string_view::npos;
        if (!psp_trigger) refuse("it holds " + type + " '" + name + "', which psp did not create");
        ++journal_triggers;
    }
    if (version >= append_only_journal_version && journal_triggers != 2) {
        refuse("the triggers that keep its journal append-only are missing");
    }
}

}  // namespace

int prepare_schema(Connection& conn) {
    if (conn.dialect() == Dialect::postgresql) return prepare_postgres_schema(static_cast<PostgresConnection&>(conn));
    return prepare_sqlite_schema(static_cast<SqliteConnection&>(conn));
}

int prepare_sqlite_schema(SqliteConnection& conn) {
    // Reading the header first: a foreign file fails here (SQLITE_NOTADB) before anything is written.
    const auto app_id = conn.pragma_int("application_id");
    const auto version = conn.pragma_int("user_version");
    if (app_id != application_id) {
        if (app_id != 0 || version != 0 || has_tables(conn)) {
            throw Error(ErrorCode::format, "'" + conn.path() + "' is not a psp database (application_id " +
                                               std::to_string(app_id) + ")");
        }
    }
    if (version > latest_schema_version()) {
        throw Error(ErrorCode::format, "'" + conn.path() + "' has schema version " + std::to_string(version) +
                                           ", newer than the " + std::to_string(latest_schema_version()) +
                                           " this psp library knows; upgrade psp");
    }
    check_schema_objects(conn, static_cast<int>(version));
    if (conn.path() != ":memory:" && !conn.path().empty()) {
        conn.exec("PRAGMA journal_mode=WAL");
        conn.exec("PRAGMA synchronous=FULL");
    }
    conn.exec("PRAGMA foreign_keys=ON");
    // 256 MiB of page cache (SQLite takes it only as needed): a region-scale import fills
    // 500,000-entry name indexes in random order, and with the default 2 MiB the cache spills
    // pages to the WAL mid-transaction and reads them back (bench/README.md).
    conn.exec("PRAGMA cache_size=-262144");
    if (version < latest_schema_version()) {
        Transaction tx(conn);
        for (auto v = version; v < latest_schema_version(); ++v) {
            conn.exec(migrations[static_cast<std::size_t>(v)]);
        }
        conn.exec(("PRAGMA application_id=" + std::to_string(application_id)).c_str());
        conn.exec(("PRAGMA user_version=" + std::to_string(latest_schema_version())).c_str());
        tx.commit();
    }
    return latest_schema_version();
}

}  // namespace psp::store
