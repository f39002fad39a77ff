// The SQLite engine: RAII over the C API, and the mapping of SQLite result codes to psp error codes.
#include "store/sqlite.hpp"

#include <sqlite3.h>

#include <memory>

#include <gsl/narrow>

#include "psp/error.hpp"

namespace psp::store {

namespace {
ErrorCode code_for(int rc) {
    switch (rc & 0xff) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED: return ErrorCode::busy;
        case SQLITE_NOMEM: return ErrorCode::no_memory;
        case SQLITE_NOTADB:
        case SQLITE_CORRUPT: return ErrorCode::format;
        case SQLITE_CONSTRAINT: return ErrorCode::invalid;
        default: return ErrorCode::io;
    }
}

// A psp file may come from anywhere (a district system, a mail attachment), so every connection is
// set up as SQLite's "defense against dark arts" advises, before the file's schema is ever read:
// https://www.sqlite.org/security.html
void harden(SqliteConnection& conn) {
    struct Setting {
        int op;
        int value;
        const char* what;
    };
    static constexpr Setting settings[] = {
        // No writes to sqlite_schema (writable_schema), no journal_mode=OFF, no direct writes to
        // shadow tables: SQL alone cannot corrupt the file.
        {SQLITE_DBCONFIG_DEFENSIVE, 1, "defensive mode"},
        // Functions and virtual tables not marked innocuous may not run from the schema (views,
        // triggers, CHECK, DEFAULT, generated columns, index expressions): the schema of a crafted
        // file is as untrusted as its data. psp's own triggers use only RAISE (schema.cpp).
        {SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, "trusted schema off"},
        // No load_extension(), neither from SQL nor from C: psp loads none. This, not the setting
        // above, is what stops a crafted CHECK constraint calling load_extension(): SQLite 3.40
        // still runs that built-in from the schema (tests/security_test.cpp).
        {SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, "extension loading off"},
        // Triggers stay on: psp keeps the journal append-only with its own (schema migration 7),
        // and prepare_schema refuses a file with triggers psp did not write.
        {SQLITE_DBCONFIG_ENABLE_TRIGGER, 1, "triggers on"},
        // psp defines no views, so a crafted view (say, one put where a table should be) cannot be
        // queried through psp.
        {SQLITE_DBCONFIG_ENABLE_VIEW, 0, "views off"},
        // Double-quoted string literals are an SQLite misfeature that turns a misspelt column name
        // into a string; psp's SQL never relies on them.
        {SQLITE_DBCONFIG_DQS_DML, 0, "double-quoted strings off in DML"},
        {SQLITE_DBCONFIG_DQS_DDL, 0, "double-quoted strings off in DDL"},
    };
    for (const auto& s : settings) {
        int now = -1;
        const int rc = sqlite3_db_config(conn.handle(), s.op, s.value, &now);
        if (rc != SQLITE_OK || now != s.value) conn.fail(rc == SQLITE_OK ? SQLITE_ERROR : rc, std::string("setting ") + s.what);
    }
    // The same as the trusted-schema setting above, said to the SQL layer too; cell_size_check
    // makes SQLite check each b-tree cell's size as it reads a page, so that a corrupt page is
    // reported (SQLITE_CORRUPT) instead of read past its end.
    conn.exec("PRAGMA trusted_schema=OFF");
    conn.exec("PRAGMA cell_size_check=ON");
}

}  // namespace

SqliteConnection::SqliteConnection(const std::string& path, int busy_timeout_ms) : path_(path) {
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw Error(code_for(rc), "cannot open database '" + path + "': " + msg);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, busy_timeout_ms);
    try {
        harden(*this);
    } catch (...) {
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw;
    }
}

SqliteConnection::~SqliteConnection() { sqlite3_close_v2(db_); }

void SqliteConnection::fail(int rc, const std::string& what) const {
    std::string msg = what + ": " + (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
    if ((rc & 0xff) == SQLITE_NOTADB) msg = "'" + path_ + "' is not a psp database (" + msg + ")";
    throw Error(code_for(rc), msg);
}

void SqliteConnection::exec(const char* sql) {
    char* err = nullptr;
    const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        if ((rc & 0xff) == SQLITE_NOTADB) {
            throw Error(ErrorCode::format, "'" + path_ + "' is not a psp database (" + msg + ")");
        }
        throw Error(code_for(rc), std::string("database error: ") + msg);
    }
}

namespace {
class SqliteCursor final : public Cursor {
public:
    SqliteCursor(SqliteConnection& conn, sqlite3_stmt* stmt) : conn_(conn), stmt_(stmt) {}
    SqliteCursor(const SqliteCursor&) = delete;
    SqliteCursor& operator=(const SqliteCursor&) = delete;
    ~SqliteCursor() override { sqlite3_finalize(stmt_); }

    void bind(int index, std::int64_t value) override { check(sqlite3_bind_int64(stmt_, index, value)); }
    void bind(int index, double value) override { check(sqlite3_bind_double(stmt_, index, value)); }
    void bind(int index, std::string_view value) override {
        check(sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
    }
    void bind_null(int index) override { check(sqlite3_bind_null(stmt_, index)); }

    bool step() override {
        const int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        sqlite3_reset(stmt_);
        conn_.fail(rc, "executing a statement");
    }
    void reset() override {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
    }

    int columns() const override { return sqlite3_column_count(stmt_); }
    std::int64_t int64(int column) const override { return sqlite3_column_int64(stmt_, column); }
    double real(int column) const override { return sqlite3_column_double(stmt_, column); }
    std::string text(int column) const override {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
        return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))) : std::string();
    }
    bool is_null(int column) const override { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

private:
    void check(int rc) const {
        if (rc != SQLITE_OK) conn_.fail(rc, "binding a value");
    }
    SqliteConnection& conn_;
    sqlite3_stmt* stmt_;
};
}  // namespace

Statement SqliteConnection::prepare(std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.data(), gsl::narrow<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                      &stmt, nullptr);
    if (rc != SQLITE_OK) fail(rc, "preparing statement");
    return Statement(std::make_unique<SqliteCursor>(*this, stmt));
}

std::int64_t SqliteConnection::pragma_int(const char* pragma) {
    auto st = prepare(std::string("PRAGMA ") + pragma);
    return st.step() ? st.int64(0) : 0;
}

bool SqliteConnection::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

void SqliteConnection::exec_quietly(const char* sql) noexcept { sqlite3_exec(db_, sql, nullptr, nullptr, nullptr); }

}  // namespace psp::store
