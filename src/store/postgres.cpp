// The PostgreSQL engine: libpq sessions, statements prepared once per session, SQLSTATEs mapped
// to psp error codes, and a session the server dropped re-opened where that is safe.
#include "store/postgres.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <memory>
#include <regex>
#include <vector>

#include "psp/error.hpp"

namespace psp::store {

namespace {

// What a SQLSTATE means for the caller: retry later (busy), fix the input (invalid), or the
// database itself (io, format).
ErrorCode code_for(std::string_view state) {
    if (state == "23P01") return ErrorCode::busy;   // exclusion: the slot is taken (a double booking)
    if (state == "55P03" || state == "40001" || state == "40P01") return ErrorCode::busy;   // lock wait, serialisation
    if (state.starts_with("23")) return ErrorCode::invalid;   // a constraint of the schema
    if (state == "P0001") return ErrorCode::invalid;          // RAISE EXCEPTION in psp's triggers
    if (state == "53200") return ErrorCode::no_memory;
    if (state == "42P01" || state == "42703") return ErrorCode::format;   // a table or column psp needs is missing
    return ErrorCode::io;
}

void ignore_notice(void*, const char*) {}

// "?N" -> "$N" (and a bare "?" -> the next number), outside quoted text; counts the parameters.
std::string to_dollar_placeholders(std::string_view sql, int& parameters) {
    std::string out;
    out.reserve(sql.size() + 8);
    int next = 0;
    parameters = 0;
    for (std::size_t i = 0; i < sql.size(); ++i) {
        const char c = sql[i];
        if (c == '\'' || c == '"') {   // copy a quoted literal or identifier whole ('' and "" escape)
            const auto close = sql.find(c, i + 1);
            const auto stop = close == std::string_view::npos ? sql.size() : close + 1;
            out.append(sql.substr(i, stop - i));
            i = stop - 1;
            continue;
        }
        if (c != '?') {
            out += c;
            continue;
        }
        int n = 0;
        std::size_t j = i + 1;
        while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9') n = n * 10 + (sql[j++] - '0');
        if (j == i + 1) n = ++next;
        parameters = std::max(parameters, n);
        out += '$';
        out += std::to_string(n);
        i = j - 1;
    }
    return out;
}

class PostgresCursor final : public Cursor {
public:
    PostgresCursor(PostgresConnection& conn, std::string_view sql) : conn_(conn) {
        sql_ = to_dollar_placeholders(sql, parameters_);
        values_.resize(static_cast<std::size_t>(parameters_));
        bound_.assign(static_cast<std::size_t>(parameters_), false);
        name_ = conn_.next_statement_name();
        prepare_in_session();   // errors in the SQL show at prepare, as with SQLite
    }
    PostgresCursor(const PostgresCursor&) = delete;
    PostgresCursor& operator=(const PostgresCursor&) = delete;
    ~PostgresCursor() override {
        PQclear(result_);
        // The session's prepared statement goes with it (quietly: the session may be gone).
        if (prepared_in_ == conn_.generation() && conn_.generation() != 0) {
            const std::string deallocate = "DEALLOCATE " + name_;   // a name psp made: psp_<number>
            conn_.exec_quietly(deallocate.c_str());
        }
    }

    void bind(int index, std::int64_t value) override { set(index, std::to_string(value)); }
    void bind(int index, double value) override {
        char buf[32];
        const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);   // shortest text that reads back exactly
        set(index, std::string(buf, ec == std::errc() ? end : buf));
    }
    void bind(int index, std::string_view value) override { set(index, std::string(value)); }
    void bind_null(int index) override {
        check_index(index);
        bound_[static_cast<std::size_t>(index - 1)] = false;
    }

    bool step() override {
        if (!result_) execute();
        return ++row_ < PQntuples(result_);
    }
    void run() override {
        // Inside a psp write transaction a write is queued and travels with the next statement
        // that needs an answer, or with COMMIT (PostgresConnection::queue).
        if (!result_ && prepared_in_ == conn_.generation() && conn_.can_queue()) {
            conn_.queue(name_.c_str(), parameters_, parameter_values().data());
            reset();
            return;
        }
        Cursor::run();
    }
    void reset() override {
        PQclear(result_);
        result_ = nullptr;
        row_ = -1;
        bound_.assign(bound_.size(), false);
    }

    int columns() const override { return result_ ? PQnfields(result_) : 0; }
    std::int64_t int64(int column) const override {
        const char* v = PQgetvalue(result_, row_, column);
        if (v[0] == 't' && v[1] == '\0') return 1;   // a boolean column
        std::int64_t out = 0;
        std::from_chars(v, v + PQgetlength(result_, row_, column), out);
        return out;
    }
    double real(int column) const override {
        const char* v = PQgetvalue(result_, row_, column);
        double out = 0;
        std::from_chars(v, v + PQgetlength(result_, row_, column), out);
        return out;
    }
    std::string text(int column) const override {
        return std::string(PQgetvalue(result_, row_, column), static_cast<std::size_t>(PQgetlength(result_, row_, column)));
    }
    bool is_null(int column) const override { return PQgetisnull(result_, row_, column) != 0; }

private:
    void check_index(int index) const {
        if (index < 1 || index > parameters_) {
            throw Error(ErrorCode::invalid, "binding a value: parameter " + std::to_string(index) + " of " +
                                                std::to_string(parameters_) + " does not exist");
        }
    }
    void set(int index, std::string value) {
        check_index(index);
        values_[static_cast<std::size_t>(index - 1)] = std::move(value);
        bound_[static_cast<std::size_t>(index - 1)] = true;
    }
    // The bound values as libpq takes them (NULL for an unbound or NULL parameter).
    std::vector<const char*> parameter_values() const {
        std::vector<const char*> params(values_.size());
        for (std::size_t i = 0; i < values_.size(); ++i) params[i] = bound_[i] ? values_[i].c_str() : nullptr;
        return params;
    }
    void prepare_in_session() {
        pg_conn* s = conn_.session();
        // The SQL is the Store's literal with its placeholders renumbered (to_dollar_placeholders).
        PQclear(conn_.check(PQprepare(s, name_.c_str(), sql_.c_str(), parameters_, nullptr), "preparing statement"));
        prepared_in_ = conn_.generation();
    }
    void execute() {
        pg_conn* s = conn_.session();
        if (prepared_in_ != conn_.generation()) prepare_in_session();   // the session was re-opened
        result_ = conn_.check(PQexecPrepared(s, name_.c_str(), parameters_, parameter_values().data(), nullptr, nullptr, 0),
                              "executing a statement");
        row_ = -1;
    }

    PostgresConnection& conn_;
    std::string sql_, name_;
    int parameters_ = 0;
    std::vector<std::string> values_;
    std::vector<bool> bound_;
    std::uint64_t prepared_in_ = 0;
    PGresult* result_ = nullptr;
    int row_ = -1;
};

}  // namespace

std::string mask_password(const std::string& target) {
    // postgresql://user:secret@host/db -> postgresql://user:***@host/db; password=secret -> password=***
    static const std::regex uri_password(R"(^(postgres(?:ql)?://[^:/@]*:)[^@]*@)");
    static const std::regex keyword_password(R"((password\s*=\s*)('(?:[^'\\]|\\.)*'|\S*))");
    std::string out = std::regex_replace(target, uri_password, "$1***@");
    out = std::regex_replace(out, keyword_password, "$1***");
    // A password given as a URI query parameter.
    static const std::regex query_password(R"(([?&]password=)[^&]*)");
    return std::regex_replace(out, query_password, "$1***");
}

PostgresConnection::PostgresConnection(const std::string& target, int busy_timeout_ms)
    : target_(target), shown_(mask_password(target)), busy_timeout_ms_(busy_timeout_ms) {
    char* error = nullptr;
    PQconninfoOption* options = PQconninfoParse(target.c_str(), &error);
    if (!options) {
        std::string why = error ? error : "out of memory";
        PQfreemem(error);
        while (!why.empty() && why.back() == '\n') why.pop_back();
        throw Error(ErrorCode::invalid, "'" + shown_ + "' is not a valid PostgreSQL connection string: " + why);
    }
    PQconninfoFree(options);
    connect();
}

PostgresConnection::~PostgresConnection() {
    PQclear(failure_);
    PQfinish(conn_);
}

void PostgresConnection::connect() {
    PQfinish(conn_);
    conn_ = PQconnectdb(target_.c_str());
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
        std::string why = conn_ ? PQerrorMessage(conn_) : "out of memory";
        while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
        PQfinish(conn_);
        conn_ = nullptr;
        // libpq checks some values (a port that is not a number) only when it connects.
        if (why.find("for connection option") != std::string::npos || why.find("invalid URI") != std::string::npos) {
            throw Error(ErrorCode::invalid, "'" + shown_ + "' is not a valid PostgreSQL connection string: " + why);
        }
        throw Error(ErrorCode::io, "cannot connect to PostgreSQL at '" + shown_ + "': " + why);
    }
    PQsetNoticeProcessor(conn_, ignore_notice, nullptr);
    ++generation_;
    // A writer waits this long for another host's write lock (SQLite's busy timeout); 0 would
    // mean "for ever" to PostgreSQL, so it becomes 1 ms.
    const std::string timeout = std::to_string(busy_timeout_ms_ > 0 ? busy_timeout_ms_ : 1) + "ms";
    const char* values[] = {timeout.c_str()};
    PQclear(check(PQexecParams(conn_, "SELECT set_config('lock_timeout', $1, false), "
                                      "set_config('client_min_messages', 'warning', false), "
                                      "set_config('TimeZone', 'UTC', false)",
                               1, nullptr, values, nullptr, nullptr, 0),
                  "setting up the session"));
    PQclear(check(PQexec(conn_, "LISTEN psp_changes"), "listening for changes"));
    heard_ = true;   // whatever was sent while there was no session went unheard
}

bool PostgresConnection::can_queue() const {
    return pending_version_ >= 0 && conn_ && PQstatus(conn_) == CONNECTION_OK;
}

void PostgresConnection::queue(const char* statement, int parameters, const char* const* values) {
    if (!pipelining_) {
        if (PQenterPipelineMode(conn_) != 1) PQclear(check(nullptr, "queueing a statement"));
        pipelining_ = true;
    }
    if (PQsendQueryPrepared(conn_, statement, parameters, values, nullptr, nullptr, 0) != 1) {
        settle();   // throws what went wrong (the session is gone, most likely)
        PQclear(check(nullptr, "queueing a statement"));
    }
    ++queued_;
}

PostgresConnection::Drained PostgresConnection::drain_pipeline(bool commit) {
    Drained out;
    int statements = queued_;
    if (commit) {
        if (PQsendQueryParams(conn_, "COMMIT", 0, nullptr, nullptr, nullptr, nullptr, 0) == 1) ++statements;
        else out.lost = true;
    }
    if (!out.lost && PQpipelineSync(conn_) != 1) out.lost = true;
    for (int i = 0; i < statements && !out.lost; ++i) {
        // Each statement answers one or more results, then NULL.
        while (PGresult* r = PQgetResult(conn_)) {
            const auto status = PQresultStatus(r);
            if (status == PGRES_FATAL_ERROR && !failure_) {
                failure_ = r;
                continue;
            }
            if (commit && i == statements - 1 && std::string_view(PQcmdStatus(r)) == "ROLLBACK") out.rolled_back = true;
            if (commit && i == statements - 1 && status == PGRES_PIPELINE_ABORTED) out.rolled_back = true;
            PQclear(r);
        }
        if (PQstatus(conn_) != CONNECTION_OK) out.lost = true;
    }
    if (!out.lost) {
        while (PGresult* r = PQgetResult(conn_)) {   // the sync's own result
            const bool sync = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
            PQclear(r);
            if (sync) break;
        }
        PQexitPipelineMode(conn_);
    }
    pipelining_ = false;
    queued_ = 0;
    return out;
}

void PostgresConnection::settle() {
    if (pipelining_) {
        if (drain_pipeline(false).lost && !failure_) PQclear(check(nullptr, "executing a statement"));
    }
    if (failure_) {
        PGresult* f = failure_;
        failure_ = nullptr;
        PQclear(check(f, "executing a statement"));
    }
}

pg_conn* PostgresConnection::session() {
    if (pipelining_ || failure_) settle();
    if (conn_ && PQstatus(conn_) == CONNECTION_OK) return conn_;
    if (open_tx_) {
        throw Error(ErrorCode::io, "the connection to PostgreSQL at '" + shown_ +
                                       "' was lost during a transaction; the server rolled it back and nothing of it "
                                       "was written (roll back, then try again)");
    }
    connect();
    return conn_;
}

pg_result* PostgresConnection::check(pg_result* result, const char* what) {
    const auto status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
    std::string state, message;
    if (result) {
        if (const char* s = PQresultErrorField(result, PG_DIAG_SQLSTATE)) state = s;
        if (const char* m = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY)) message = m;
        if (const char* d = PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL)) message += std::string(" (") + d + ")";
    }
    PQclear(result);
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
        std::string why = conn_ ? PQerrorMessage(conn_) : "no session";
        while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
        throw Error(ErrorCode::io, std::string(what) + ": the connection to PostgreSQL at '" + shown_ +
                                       "' was lost (" + why + "); the next call outside a transaction reconnects");
    }
    if (message.empty()) message = PQerrorMessage(conn_);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    if (state == "23P01") message = "the database refused a booking over a slot already taken (by another client): " + message;
    if (state == "55P03") message = "another writer holds the database (waited " + std::to_string(busy_timeout_ms_) + " ms): " + message;
    throw Error(code_for(state), std::string(what) + ": " + message + (state.empty() ? "" : " [SQLSTATE " + state + "]"));
}

std::string PostgresConnection::next_statement_name() { return "psp_" + std::to_string(++statements_); }

void PostgresConnection::exec(const char* sql) {
    pg_conn* s = session();
    PQclear(check(PQexec(s, sql), "database error"));
}

void PostgresConnection::exec_quietly(const char* sql) noexcept {
    // What was queued is read first; a failure among it stays in failure_ for the next call
    // (and the server has marked the transaction failed anyway: its COMMIT would roll back).
    if (pipelining_) (void)drain_pipeline(false);
    if (conn_ && PQstatus(conn_) == CONNECTION_OK) PQclear(PQexec(conn_, sql));
}

Statement PostgresConnection::prepare(std::string_view sql) {
    return Statement(std::make_unique<PostgresCursor>(*this, sql));
}

bool PostgresConnection::in_transaction() const { return open_tx_; }

void PostgresConnection::begin_write() {
    if (!versioned_) {
        exec("BEGIN");
        open_tx_ = true;
        return;
    }
    pg_conn* s = session();
    // One round trip: BEGIN, the announcement (delivered to every listening session when, and
    // only if, this transaction commits) and the row lock of psp_meta, which is psp's write lock:
    // held until COMMIT, so one psp writer at a time. PQexec answers the last statement's result.
    PGresult* r = PQexec(s, "BEGIN; NOTIFY psp_changes; UPDATE psp_meta SET data_version = data_version + 1 RETURNING data_version");
    open_tx_ = PQtransactionStatus(s) != PQTRANS_IDLE;   // BEGIN itself may have failed
    try {
        r = check(r, "taking the write lock");
        const bool one_row = PQntuples(r) == 1;
        pending_version_ = one_row ? std::stoll(PQgetvalue(r, 0, 0)) : -1;
        PQclear(r);
        if (!one_row) throw Error(ErrorCode::format, "'" + shown_ + "' is not a psp database as psp writes it: psp_meta must hold one row");
    } catch (...) {
        rollback();
        throw;
    }
}

void PostgresConnection::begin_snapshot() {
    exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    open_tx_ = true;
}

void PostgresConnection::commit() {
    if (pipelining_ && !failure_) {   // the queued writes and COMMIT in one round trip
        const auto pending = pending_version_;
        pending_version_ = -1;
        const Drained d = drain_pipeline(true);
        if (failure_) {   // a queued write failed: the transaction is aborted; rollback() ends it
            open_tx_ = true;
            settle();
        }
        open_tx_ = false;
        if (d.lost) {
            throw Error(ErrorCode::io, "committing: the connection to PostgreSQL at '" + shown_ +
                                           "' was lost; whether the transaction was committed is not known");
        }
        if (d.rolled_back) throw Error(ErrorCode::io, "committing: PostgreSQL rolled the transaction back (a statement in it failed)");
        if (pending >= 0) ++own_commits_;
        return;
    }
    pg_conn* s = session();   // throws if the session was lost inside this transaction, or a queued write failed
    const auto pending = pending_version_;
    pending_version_ = -1;
    open_tx_ = false;
    PGresult* r = check(PQexec(s, "COMMIT"), "committing");
    // COMMIT of a transaction that failed earlier answers ROLLBACK, not an error.
    const bool rolled_back = std::string_view(PQcmdStatus(r)) == "ROLLBACK";
    PQclear(r);
    if (rolled_back) throw Error(ErrorCode::io, "committing: PostgreSQL rolled the transaction back (a statement in it failed)");
    if (pending >= 0) ++own_commits_;
}

void PostgresConnection::rollback() noexcept {
    exec_quietly("ROLLBACK");   // reads (and drops) what was queued first
    PQclear(failure_);
    failure_ = nullptr;
    open_tx_ = false;
    pending_version_ = -1;
}

void PostgresConnection::drain_notifications() {
    // libpq keeps every notification it read with a result until PQnotifies takes it: taken here
    // (and by every data_version()), so that a process that never asks does not hoard them.
    if (conn_ && PQstatus(conn_) == CONNECTION_OK && PQconsumeInput(conn_) == 1) {
        const int own = PQbackendPID(conn_);
        while (PGnotify* n = PQnotifies(conn_)) {
            if (n->be_pid != own) heard_ = true;
            PQfreemem(n);
        }
    } else {
        heard_ = true;   // no session to hear on: ask the table (data_version reconnects)
    }
}

bool PostgresConnection::changed_since(std::int64_t known) {
    drain_notifications();
    if (!heard_) return false;
    const bool changed = data_version() != known;
    if (!changed) heard_ = false;
    return changed;
}

std::int64_t PostgresConnection::data_version() {
    if (pending_version_ >= 0) return pending_version_ - 1 - own_commits_;
    if (!versioned_) return 0;
    if (!open_tx_) drain_notifications();
    auto st = prepare("SELECT data_version FROM psp_meta");
    return st.step() ? st.int64(0) - own_commits_ : 0;
}

}  // namespace psp::store
