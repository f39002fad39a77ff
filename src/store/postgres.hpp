// The PostgreSQL engine of a Store (connection.hpp), through libpq: one city database that the
// district systems of many hosts share. Statements are prepared once per session and run with
// text parameters; the Store's "?N" placeholders become "$N". A write transaction takes the row
// lock of psp_meta and counts psp_meta.data_version up (schema_postgres.cpp), which serialises
// psp's writers across hosts as SQLite's write lock does on one host and gives data_version().
// Every write transaction also sends NOTIFY psp_changes (delivered at commit), and every session
// listens on it: changed_since() learns of other hosts' commits without a query.
// A connection the server dropped fails the call in progress (ErrorCode::io) and is re-opened by
// the next call that starts outside a transaction.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "store/connection.hpp"

struct pg_conn;
struct pg_result;

namespace psp::store {

class PostgresConnection final : public Connection {
public:
    PostgresConnection(const std::string& target, int busy_timeout_ms);
    ~PostgresConnection() override;

    Dialect dialect() const override { return Dialect::postgresql; }
    const std::string& path() const override { return shown_; }
    void exec(const char* sql) override;
    Statement prepare(std::string_view sql) override;
    bool in_transaction() const override;
    void begin_write() override;
    void begin_snapshot() override;
    void commit() override;
    void rollback() noexcept override;
    void exec_quietly(const char* sql) noexcept override;
    std::int64_t data_version() override;
    bool changed_since(std::int64_t known) override;
    void defer_foreign_keys() override { exec("SET CONSTRAINTS ALL DEFERRED"); }

    // Set by prepare_schema once psp_meta exists: from then on begin_write() takes its row lock.
    void set_versioned(bool on) { versioned_ = on; }

    // For the cursors: the session, re-opened if the server dropped it and no transaction was
    // open; its generation counts re-openings (statements prepared before must be prepared again).
    pg_conn* session();
    std::uint64_t generation() const { return generation_; }
    // Takes a result: returns it when it succeeded, otherwise frees it and throws.
    pg_result* check(pg_result* result, const char* what);
    std::string next_statement_name();

private:
    void connect();
    void drain_notifications();   // takes what libpq holds; notes another session's
    pg_conn* conn_ = nullptr;
    std::string target_;
    std::string shown_;
    int busy_timeout_ms_ = 0;
    std::uint64_t generation_ = 0;
    std::uint64_t statements_ = 0;
    bool versioned_ = false;
    bool open_tx_ = false;   // BEGIN sent, COMMIT or ROLLBACK not yet: the session may not be re-opened
    // A notification from another session (or a new session, which heard nothing before it
    // existed) since the version was last found current: changed_since() must ask the table.
    bool heard_ = true;
    // data_version(): the stored version less this connection's own commits; while a write
    // transaction is open, the version it bumped to.
    std::int64_t own_commits_ = 0;
    std::int64_t pending_version_ = -1;
};

// The target as error messages may show it: a password in a URI or keyword string masked.
std::string mask_password(const std::string& target);

}  // namespace psp::store
