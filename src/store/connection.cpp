// Choosing the engine for a target, and the transaction both engines share.
#include "store/connection.hpp"

#include "store/postgres.hpp"
#include "store/sqlite.hpp"

namespace psp::store {

bool is_postgresql_target(std::string_view target) {
    if (target.starts_with("postgresql://") || target.starts_with("postgres://")) return true;
    // A libpq keyword string starts with one of its keywords and '=' ("host=... dbname=...").
    // Only those keywords count, so that a file named "a=b" stays a file.
    static constexpr std::string_view keywords[] = {"host", "hostaddr", "port", "dbname", "user", "password",
                                                     "service", "passfile", "sslmode", "connect_timeout",
                                                     "application_name", "options"};
    std::size_t i = 0;
    while (i < target.size() && target[i] == ' ') ++i;
    for (const auto k : keywords) {
        const auto rest = target.substr(i);
        if (!rest.starts_with(k)) continue;
        auto j = k.size();
        while (j < rest.size() && rest[j] == ' ') ++j;
        if (j < rest.size() && rest[j] == '=') return true;
    }
    return false;
}

std::unique_ptr<Connection> open_connection(const std::string& target, int busy_timeout_ms) {
    if (is_postgresql_target(target)) return std::make_unique<PostgresConnection>(target, busy_timeout_ms);
    return std::make_unique<SqliteConnection>(target, busy_timeout_ms);
}

Transaction::Transaction(Connection& conn) : conn_(conn), nested_(conn.in_transaction()) {
    if (nested_) {
        conn_.exec("SAVEPOINT psp_change");
    } else {
        conn_.begin_write();
    }
}

Transaction::~Transaction() {
    if (done_) return;
    if (nested_) {
        conn_.exec_quietly("ROLLBACK TO psp_change");
        conn_.exec_quietly("RELEASE psp_change");
    } else {
        conn_.rollback();
    }
}

void Transaction::commit() {
    if (nested_) {
        conn_.exec("RELEASE psp_change");
    } else {
        conn_.commit();
    }
    done_ = true;
}

}  // namespace psp::store
