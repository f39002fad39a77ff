// The SQLite engine of a Store (connection.hpp): the embedded default, one file per network.
// SQLite failures become psp::Error with the code that fits (busy, io, format, ...).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "store/connection.hpp"

struct sqlite3;

namespace psp::store {

class SqliteConnection final : public Connection {
public:
    // Opens or creates the file; ":memory:" for an in-memory database.
    SqliteConnection(const std::string& path, int busy_timeout_ms);
    ~SqliteConnection() override;

    Dialect dialect() const override { return Dialect::sqlite; }
    const std::string& path() const override { return path_; }
    void exec(const char* sql) override;
    Statement prepare(std::string_view sql) override;
    bool in_transaction() const override;
    void begin_write() override { exec("BEGIN IMMEDIATE"); }
    void begin_snapshot() override { exec("BEGIN DEFERRED"); }
    void commit() override { exec("COMMIT"); }
    void rollback() noexcept override { exec_quietly("ROLLBACK"); }
    void exec_quietly(const char* sql) noexcept override;
    // SQLite's data_version changes exactly when another connection commits.
    std::int64_t data_version() override { return pragma_int("data_version"); }
    void defer_foreign_keys() override { exec("PRAGMA defer_foreign_keys=ON"); }

    std::int64_t pragma_int(const char* pragma);
    sqlite3* handle() const { return db_; }

    // Throws psp::Error for a SQLite result code; `what` says what psp was doing.
    [[noreturn]] void fail(int rc, const std::string& what) const;

private:
    sqlite3* db_ = nullptr;
    std::string path_;
};

}  // namespace psp::store
