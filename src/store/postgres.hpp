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
    // Any statement queued before is sent and its result read first (a failure throws here).
    pg_conn* session();
    // Writes inside a psp write transaction go into libpq's pipeline instead of waiting for their
    // answer each: they are sent with the next statement that needs one, or with COMMIT, so that
    // a change's rows and its commit travel in one round trip. A failed write fails that statement
    // (or the commit), and the transaction is rolled back as before.
    bool can_queue() const;
    void queue(const char* statement, int parameters, const char* const* values);
    std::uint64_t generation() const { return generation_; }
    // Takes a result: returns it when it succeeded, otherwise frees it and throws.
    pg_result* check(pg_result* result, const char* what);
    std::string next_statement_name();

private:
    void connect();
    void drain_notifications();   // takes what libpq holds; notes another session's
    // Sends a sync (after COMMIT when `commit`), reads every queued statement's results in order
    // and leaves pipeline mode. The first failed result is kept in failure_ (the caller throws it).
    struct Drained {
        bool lost = false;          // the session went away: the outcome is not known
        bool rolled_back = false;   // COMMIT answered ROLLBACK
    };
    Drained drain_pipeline(bool commit);
    void settle();   // drain_pipeline(false), then throws a failure it met
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
    bool pipelining_ = false;
    int queued_ = 0;
    pg_result* failure_ = nullptr;   // the first failed queued statement, not yet thrown
};

// The target as error messages may show it: a password in a URI or keyword string masked.
std::string mask_password(const std::string& target);

}  // namespace psp::store
