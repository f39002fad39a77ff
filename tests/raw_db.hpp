// A plain SQLite connection for the tests, as another application, a second psp process or the
// author of a crafted file holds one: SQL run on the file without psp.
#pragma once

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <cstdint>
#include <string>

namespace psp::test {

class RawDb {
public:
    explicit RawDb(const std::string& path) {
        const int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
        REQUIRE(rc == SQLITE_OK);
    }
    RawDb(const RawDb&) = delete;
    RawDb& operator=(const RawDb&) = delete;
    ~RawDb() { sqlite3_close_v2(db_); }

    // The SQLite result code; the message in *message.
    int try_exec(const std::string& sql, std::string* message = nullptr) {
        char* err = nullptr;
        const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
        if (message) *message = err ? err : "";
        sqlite3_free(err);
        return rc;
    }
    void exec(const std::string& sql) {
        std::string message;
        const int rc = try_exec(sql, &message);
        INFO(sql << ": " << message);
        REQUIRE(rc == SQLITE_OK);
    }
    std::int64_t integer(const std::string& sql) {
        sqlite3_stmt* st = prepare_row(sql);
        const auto v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        return v;
    }
    std::string text(const std::string& sql) {
        sqlite3_stmt* st = prepare_row(sql);
        std::string v(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
        sqlite3_finalize(st);
        return v;
    }

private:
    // The statement stepped to its first row.
    sqlite3_stmt* prepare_row(const std::string& sql) {
        sqlite3_stmt* st = nullptr;
        REQUIRE(sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
        REQUIRE(sqlite3_step(st) == SQLITE_ROW);
        return st;
    }

    sqlite3* db_ = nullptr;
};

}  // namespace psp::test
