// The psp schema and its ordered migrations; checks that a file is a psp database before
// touching it.
#pragma once

namespace psp::store {

class Connection;

// "PSP1": marks a SQLite file as a psp database (PRAGMA application_id).
inline constexpr int application_id = 0x50535031;

// Schema versions this library knows (PRAGMA user_version); migrations run in order up to it.
int latest_schema_version();

// Refuses (ErrorCode::format) a file that is not a psp database or has a newer schema, without
// writing to it; then sets WAL and foreign keys and applies pending migrations in a transaction.
// Returns the schema version.
int prepare_schema(Connection& conn);

}  // namespace psp::store
