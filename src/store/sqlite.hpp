// A thin RAII layer over the SQLite C API: a connection, prepared statements, transactions.
// SQLite failures become psp::Error with the code that fits (busy, io, format, ...).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace psp::store {

class Statement;

class Connection {
public:
    // Opens or creates the file; ":memory:" for an in-memory database.
    Connection(const std::string& path, int busy_timeout_ms);
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    ~Connection();

    void exec(const char* sql);
    Statement prepare(std::string_view sql);
    std::int64_t pragma_int(const char* pragma);
    sqlite3* handle() const { return db_; }
    const std::string& path() const { return path_; }

    // Throws psp::Error for a SQLite result code; `what` says what psp was doing.
    [[noreturn]] void fail(int rc, const std::string& what) const;

private:
    sqlite3* db_ = nullptr;
    std::string path_;
};

class Statement {
public:
    Statement(Connection& conn, sqlite3_stmt* stmt) : conn_(&conn), stmt_(stmt) {}
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&&) = delete;
    Statement(const Statement&) = delete;
    ~Statement();

    // Binding is 1-based like SQLite's; each returns *this so calls chain.
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view value);
    Statement& bind_null(int index);

    bool step();      // true while a row is available
    void run();       // step to completion, for writes
    void reset();     // reset and clear bindings for reuse

    std::int64_t int64(int column) const;
    int int32(int column) const;
    double real(int column) const;
    std::string text(int column) const;
    bool is_null(int column) const;

private:
    Connection* conn_;
    sqlite3_stmt* stmt_;
};

// BEGIN IMMEDIATE ... COMMIT; rolls back in the destructor unless committed.
// BEGIN IMMEDIATE ... COMMIT, rolled back unless committed. Inside an open transaction it is a
// savepoint instead: committing releases it into the outer transaction, and a failure rolls back
// only its own changes (the outer one decides about the rest).
class Transaction {
public:
    explicit Transaction(Connection& conn);
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();
    void commit();
    // True for a BEGIN IMMEDIATE (this connection now holds the write lock), false for a savepoint
    // inside a transaction already open.
    bool outermost() const { return !nested_; }

private:
    Connection& conn_;
    bool nested_ = false;
    bool done_ = false;
};

}  // namespace psp::store
