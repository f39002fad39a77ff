// The storage engine behind a Store: a connection, its prepared statements and transactions, the
// same for SQLite (sqlite.hpp, the embedded default) and PostgreSQL (postgres.hpp, the city
// database that many district hosts share). The Store writes one SQL text for both: placeholders
// "?N", ON CONFLICT upserts, identifiers that neither engine reserves (or double-quoted).
// Failures become psp::Error with the code that fits (busy, io, format, invalid, ...).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace psp::store {

enum class Dialect { sqlite, postgresql };

// One prepared statement of an engine; Statement below is what callers hold.
class Cursor {
public:
    virtual ~Cursor() = default;
    virtual void bind(int index, std::int64_t value) = 0;
    virtual void bind(int index, double value) = 0;
    virtual void bind(int index, std::string_view value) = 0;
    virtual void bind_null(int index) = 0;
    virtual bool step() = 0;
    virtual void reset() = 0;
    virtual int columns() const = 0;
    virtual std::int64_t int64(int column) const = 0;
    virtual double real(int column) const = 0;
    virtual std::string text(int column) const = 0;
    virtual bool is_null(int column) const = 0;
    // Runs a statement whose rows nobody reads (a write). An engine may send it later, with the
    // next statement that needs an answer or the commit (PostgreSQL's pipeline); a failure then
    // shows there.
    virtual void run() {
        while (step()) {
        }
        reset();
    }
};

class Statement {
public:
    explicit Statement(std::unique_ptr<Cursor> cursor) : cursor_(std::move(cursor)) {}

    // Binding is 1-based like SQLite's; each returns *this so calls chain.
    Statement& bind(int index, std::int64_t value) { cursor_->bind(index, value); return *this; }
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, double value) { cursor_->bind(index, value); return *this; }
    Statement& bind(int index, std::string_view value) { cursor_->bind(index, value); return *this; }
    Statement& bind_null(int index) { cursor_->bind_null(index); return *this; }

    bool step() { return cursor_->step(); }   // true while a row is available
    void run() { cursor_->run(); }            // to completion, for writes (maybe sent later: Cursor::run)
    void reset() { cursor_->reset(); }         // reset and clear bindings for reuse

    int columns() const { return cursor_->columns(); }
    std::int64_t int64(int column) const { return cursor_->int64(column); }
    int int32(int column) const { return static_cast<int>(cursor_->int64(column)); }
    double real(int column) const { return cursor_->real(column); }
    std::string text(int column) const { return cursor_->text(column); }
    bool is_null(int column) const { return cursor_->is_null(column); }

private:
    std::unique_ptr<Cursor> cursor_;
};

class Connection {
public:
    Connection() = default;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    virtual ~Connection() = default;

    virtual Dialect dialect() const = 0;
    // What the database was opened as: a file name, or a PostgreSQL URI / keyword string with
    // any password masked (it goes into error messages).
    virtual const std::string& path() const = 0;

    virtual void exec(const char* sql) = 0;
    virtual Statement prepare(std::string_view sql) = 0;

    // Transactions (Transaction below uses these).
    virtual bool in_transaction() const = 0;
    // Starts a write transaction and takes the database's write lock (SQLite: BEGIN IMMEDIATE;
    // PostgreSQL: the version row of psp_meta), so that data_version() is then final until commit.
    virtual void begin_write() = 0;
    // Starts a read-only transaction that sees one snapshot (no write lock, no version count).
    virtual void begin_snapshot() = 0;
    virtual void commit() = 0;
    virtual void rollback() noexcept = 0;
    virtual void exec_quietly(const char* sql) noexcept = 0;   // for clean-up in destructors

    // Changes exactly when another connection commits (never for this connection's own commits).
    virtual std::int64_t data_version() = 0;
    // Whether another connection has committed since data_version() was `known`, as cheaply as
    // the engine can tell (PostgreSQL: a notification on psp_changes, without a query unless one
    // came; SQLite: the data version).
    virtual bool changed_since(std::int64_t known) { return data_version() != known; }
    // Foreign keys checked at commit, for the rest of this transaction (an import refers forward).
    virtual void defer_foreign_keys() = 0;
};

// Opens `target`: a PostgreSQL connection for a "postgresql://" or "postgres://" URI or a libpq
// keyword string ("host=... dbname=..."), otherwise an SQLite file (":memory:" for memory).
std::unique_ptr<Connection> open_connection(const std::string& target, int busy_timeout_ms);
bool is_postgresql_target(std::string_view target);

// A write transaction, rolled back unless committed. Inside an open transaction it is a savepoint
// instead: committing releases it into the outer transaction, and a failure rolls back only its
// own changes (the outer one decides about the rest).
class Transaction {
public:
    explicit Transaction(Connection& conn);
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();
    void commit();
    // True for an outermost transaction (this connection now holds the write lock), false for a
    // savepoint inside a transaction already open.
    bool outermost() const { return !nested_; }

private:
    Connection& conn_;
    bool nested_ = false;
    bool done_ = false;
};

}  // namespace psp::store
