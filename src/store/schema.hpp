// The psp schema and its ordered migrations, one list per engine (schema.cpp for SQLite,
// schema_postgres.cpp for PostgreSQL) with the same versions; checks that a database is a psp
// database before touching it.
#pragma once

namespace psp::store {

class Connection;
class PostgresConnection;
class SqliteConnection;

// "PSP1": marks a database as psp's (SQLite: PRAGMA application_id; PostgreSQL: psp_meta).
inline constexpr int application_id = 0x50535031;

// Schema versions this library knows (SQLite: PRAGMA user_version; PostgreSQL: psp_meta); the
// migrations of both engines run in order up to it.
inline constexpr int schema_versions = 7;
inline constexpr int latest_schema_version() { return schema_versions; }

// Refuses (ErrorCode::format) a database that is not psp's or has a newer schema, without
// writing to it; then applies pending migrations in a transaction. Returns the schema version.
int prepare_schema(Connection& conn);
// The same for each engine. SQLite also sets WAL and foreign keys.
int prepare_sqlite_schema(SqliteConnection& conn);
int prepare_postgres_schema(PostgresConnection& conn);

}  // namespace psp::store
