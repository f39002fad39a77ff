// psp on PostgreSQL (issue 17): what only the shared city database has. The rest of the suite
// runs against PostgreSQL as well (tests/CMakeLists.txt: postgres_suite); these cases run only
// there, on the throwaway cluster of tests/postgres/with_cluster.sh (PSP_TEST_POSTGRES).
//   - the database itself refuses double bookings, from any client, not only psp's checks;
//   - the journal is append-only for every client;
//   - foreign and newer databases, wrong connection strings and refused connections are clear
//     errors that change nothing;
//   - a second host's commit makes a stale model's change refused (busy) before anything is
//     written; a lock held elsewhere is busy after the timeout;
//   - a server that goes away fails the call in progress (io) and the next call reconnects.
#include <catch2/catch.hpp>

#include <libpq-fe.h>

#include <cstdlib>
#include <string>

#include "fixtures.hpp"
#include "psp/database.hpp"

using namespace psp;
using namespace psp::test;

namespace {

constexpr Time H = 3600, D = 86400;
constexpr Time monday_cst = 1740931200;   // 2025-03-03 00:00 Asia/Shanghai
const Actor office = Actor::office();

// A plain libpq session: what another program (or a buggy district system) can do to the tables.
class RawSession {
public:
    explicit RawSession(const std::string& uri) : conn_(PQconnectdb(uri.c_str())) {
        REQUIRE(PQstatus(conn_) == CONNECTION_OK);
    }
    RawSession(const RawSession&) = delete;
    RawSession& operator=(const RawSession&) = delete;
    ~RawSession() { PQfinish(conn_); }

    // Runs `sql`; returns "" when it succeeded, else the SQLSTATE and message.
    std::string run(const std::string& sql) {
        PGresult* r = PQexec(conn_, sql.c_str());
        const auto status = PQresultStatus(r);
        std::string out;
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
            const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
            out = std::string(state ? state : "?????") + " " + PQresultErrorMessage(r);
        }
        PQclear(r);
        return out;
    }
    std::int64_t integer(const std::string& sql) {
        PGresult* r = PQexec(conn_, sql.c_str());
        REQUIRE(PQresultStatus(r) == PGRES_TUPLES_OK);
        REQUIRE(PQntuples(r) == 1);
        const std::int64_t v = std::stoll(PQgetvalue(r, 0, 0));
        PQclear(r);
        return v;
    }

private:
    PGconn* conn_;
};

std::string booking_row(std::int64_t id, EquipmentId e, EnterpriseId who, Time start, Time end, int units, int status = 1) {
    return "INSERT INTO bookings(id, equipment, enterprise, start, \"end\", units, status, created, fee, note) VALUES(" +
           std::to_string(id) + ", " + std::to_string(e.value) + ", " + std::to_string(who.value) + ", " +
           std::to_string(start) + ", " + std::to_string(end) + ", " + std::to_string(units) + ", " +
           std::to_string(status) + ", 0, 0, 'raw')";
}

struct PgWorld {
    TempFile file{"pg"};
    ManualClock clock;
    Database db = open();
    SmallNetwork n = build_small_network(db);

    PgWorld() {
        REQUIRE(file.on_postgres());
        clock.set(monday_cst);
    }
    Database open(int busy_ms = 5000) const { return Database::open(file.str(), clock.options(busy_ms)); }
    BookingRequest at(EquipmentId e, EnterpriseId who, int day, int hour, int hours = 1, int units = 1) const {
        const Time s = monday_cst + day * D + hour * H;
        return {e, who, {s, s + hours * H}, units, {}, {}};
    }
};

// pg_ctl stop/start of the test cluster, as the user that runs it.
int pg_ctl(const char* action) {
    const char* bin = std::getenv("PSP_TEST_PG_BINDIR");
    const char* data = std::getenv("PSP_TEST_PG_DATA");
    const char* port = std::getenv("PSP_TEST_PG_PORT");
    const char* socket = std::getenv("PSP_TEST_PG_SOCKET");
    const char* as = std::getenv("PSP_TEST_PG_RUN_AS");
    REQUIRE((bin && data && port && socket));
    std::string cmd = (as && *as) ? std::string("setpriv --reuid=") + as + " --regid=nogroup --clear-groups -- " : "";
    cmd += std::string(bin) + "/pg_ctl -D " + data + " -w -t 60 -l " + data + "/../server.log ";
    if (std::string(action) == "stop") {
        cmd += "-m fast stop";
    } else {
        cmd += "-o \"-c listen_addresses=127.0.0.1 -p " + std::string(port) + " -k " + socket + "\" start";
    }
    return std::system((cmd + " >/dev/null 2>&1").c_str());
}

}  // namespace

TEST_CASE("a PostgreSQL database opens from a URI or a keyword string and reads back whole", "[postgres]") {
    PgWorld w;
    CHECK(w.db.schema_version() == 7);
    CHECK(w.db.path() == w.file.str());
    const Network before = w.db.snapshot();
    {
        auto again = w.open();
        CHECK(again.snapshot() == before);
        CHECK(journal_lines(again.journal()) == journal_lines(w.db.journal()));
    }
    // The same database through a libpq keyword string.
    const std::string uri = w.file.str();   // postgresql://psp@127.0.0.1:PORT/NAME
    const auto at = uri.find('@'), colon = uri.rfind(':'), slash = uri.rfind('/');
    const std::string keywords = "host=" + uri.substr(at + 1, colon - at - 1) + " port=" +
                                 uri.substr(colon + 1, slash - colon - 1) + " user=psp dbname=" + uri.substr(slash + 1);
    auto by_keywords = Database::open(keywords);
    CHECK(by_keywords.snapshot() == before);
}

TEST_CASE("the database refuses double bookings from any client", "[postgres]") {
    PgWorld w;
    const auto firm = Actor::enterprise_self(w.n.acme);
    // psp books the single-unit SEM-2 and one of the two units of SEM-1.
    auto one = w.db.book(firm, w.at(w.n.sem2, w.n.acme, 1, 9, 2));
    REQUIRE(one);
    auto two = w.db.book(firm, w.at(w.n.sem1, w.n.acme, 1, 9, 2));
    REQUIRE(two);
    RawSession raw(w.file.str());
    const Time s = monday_cst + D + 9 * H;
    // Single unit: the exclusion constraint, for any overlap; touching ends are fine.
    CHECK(raw.run(booking_row(900, w.n.sem2, w.n.bolt, s + H, s + 3 * H, 1)).starts_with("23P01"));
    CHECK(raw.run(booking_row(901, w.n.sem2, w.n.bolt, s + 2 * H, s + 3 * H, 1)).empty());
    CHECK(raw.run(booking_row(902, w.n.sem2, w.n.bolt, s - H, s, 1)).empty());
    // Cancelled and rejected bookings hold nothing.
    CHECK(raw.run(booking_row(903, w.n.sem2, w.n.bolt, s, s + H, 1, 4)).empty());
    CHECK(raw.run(booking_row(904, w.n.sem2, w.n.bolt, s, s + H, 1, 6)).empty());
    // ...but bringing one back to life over a taken slot is refused.
    CHECK(raw.run("UPDATE bookings SET status = 1 WHERE id = 903").starts_with("23P01"));
    // Two units: the trigger counts the units in use at every moment of the period.
    CHECK(raw.run(booking_row(905, w.n.sem1, w.n.bolt, s + H, s + 2 * H, 1)).empty());   // 2 of 2 in [s+1h, s+2h)
    const std::string third = raw.run(booking_row(906, w.n.sem1, w.n.bolt, s + H + 1800, s + 4 * H, 1));
    CHECK(third.starts_with("23P01"));
    CHECK(third.find("is booked for 2 of its 2 units") != std::string::npos);
    CHECK(raw.run(booking_row(907, w.n.sem1, w.n.bolt, s + 2 * H, s + 4 * H, 1)).empty());   // after the peak
    CHECK(raw.run(booking_row(908, w.n.sem1, w.n.bolt, s + 5 * H, s + 6 * H, 3)).starts_with("23P01"));   // more than it has
    // A capacity cut to 1 under two overlapping bookings is refused as well.
    CHECK(raw.run("UPDATE equipment SET capacity = 1 WHERE id = " + std::to_string(w.n.sem1.value)).starts_with("23P01"));
    CHECK(raw.integer("SELECT count(*) FROM bookings WHERE id IN (900, 906, 908)") == 0);
}

TEST_CASE("the journal on PostgreSQL is append-only for every client", "[postgres]") {
    PgWorld w;
    RawSession raw(w.file.str());
    const auto rows = raw.integer("SELECT count(*) FROM journal");
    REQUIRE(rows > 0);
    CHECK(raw.run("UPDATE journal SET actor_name = 'someone else'").find("the journal is append-only") != std::string::npos);
    CHECK(raw.run("DELETE FROM journal").find("the journal is append-only") != std::string::npos);
    CHECK(raw.run("TRUNCATE journal").find("the journal is append-only") != std::string::npos);
    CHECK(raw.integer("SELECT count(*) FROM journal") == rows);
}

TEST_CASE("foreign and newer PostgreSQL databases and bad connection strings are clear errors", "[postgres]") {
    SECTION("a database with tables but no psp_meta") {
        TempPostgresDatabase foreign("foreign");
        {
            RawSession raw(foreign.uri());
            REQUIRE(raw.run("CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT)").empty());
        }
        CHECK_THROWS_MATCHES(Database::open(foreign.uri()), Error,
                             IsError(ErrorCode::format, {"is not a psp database", "no psp_meta"}));
        RawSession raw(foreign.uri());
        CHECK(raw.integer("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == 1);   // untouched
    }
    SECTION("a newer schema") {
        TempFile file("newer");
        { auto db = Database::open(file.str()); build_small_network(db); }
        RawSession raw(file.str());
        REQUIRE(raw.run("UPDATE psp_meta SET schema_version = 99").empty());
        const auto version = raw.integer("SELECT data_version FROM psp_meta");
        CHECK_THROWS_MATCHES(Database::open(file.str()), Error, IsError(ErrorCode::format, {"schema version 99", "upgrade psp"}));
        CHECK(raw.integer("SELECT schema_version FROM psp_meta") == 99);
        CHECK(raw.integer("SELECT data_version FROM psp_meta") == version);
    }
    SECTION("another application's psp_meta") {
        TempPostgresDatabase other("other_app");
        {
            RawSession raw(other.uri());
            REQUIRE(raw.run("CREATE TABLE psp_meta(application_id BIGINT, schema_version INTEGER, data_version BIGINT); "
                            "INSERT INTO psp_meta VALUES(42, 1, 0)").empty());
        }
        CHECK_THROWS_MATCHES(Database::open(other.uri()), Error, IsError(ErrorCode::format, {"application 42"}));
    }
    SECTION("a malformed URI") {
        CHECK_THROWS_MATCHES(Database::open("postgresql://psp@127.0.0.1:notaport/x"), Error,
                             IsError(ErrorCode::invalid, {"not a valid PostgreSQL connection string"}));
        CHECK_THROWS_MATCHES(Database::open("host=127.0.0.1 nonsense_option=1"), Error,
                             IsError(ErrorCode::invalid, {"nonsense_option"}));
    }
    SECTION("a refused connection, and a password that is not shown") {
        // Port 1 on loopback: nothing listens there.
        CHECK_THROWS_MATCHES(Database::open("postgresql://psp:secret@127.0.0.1:1/psp?connect_timeout=5"), Error,
                             IsError(ErrorCode::io, {"cannot connect to PostgreSQL at 'postgresql://psp:***@127.0.0.1:1/psp"}));
        try {
            Database::open("host=127.0.0.1 port=1 password=secret dbname=psp");
        } catch (const Error& e) {
            CHECK(std::string(e.what()).find("secret") == std::string::npos);
        }
    }
    SECTION("a database that does not exist") {
        CHECK_THROWS_MATCHES(Database::open(TempPostgresDatabase::base_uri_with_database("no_such_psp_db")), Error,
                             IsError(ErrorCode::io, {"no_such_psp_db"}));
    }
}

TEST_CASE("another host's commit makes a stale model's change refused before anything is written", "[postgres]") {
    PgWorld w;
    auto other = w.open();   // a second district system: its own session and model
    REQUIRE(w.db.book(Actor::enterprise_self(w.n.acme), w.at(w.n.sem2, w.n.acme, 1, 9)));
    // `other` still thinks SEM-2 is free on Tuesday 9:00.
    const Saved before(other);
    PSP_CHECK_REFUSED(other, other.book(Actor::enterprise_self(w.n.bolt), w.at(w.n.sem2, w.n.bolt, 1, 9)),
                      IsError(ErrorCode::busy, {"another connection", "reload()"}));
    other.reload();
    auto again = other.book(Actor::enterprise_self(w.n.bolt), w.at(w.n.sem2, w.n.bolt, 1, 9));
    CHECK(!again);
    CHECK(again.refused_by == BookingRule::capacity);
    CHECK(other.book(Actor::enterprise_self(w.n.bolt), w.at(w.n.sem2, w.n.bolt, 1, 10)));
    // And the first handle in turn is stale now.
    CHECK_THROWS_MATCHES(w.db.add(office, District{{}, "Fuyang", 0, 0}), Error, IsError(ErrorCode::busy, {"another connection"}));
}

TEST_CASE("a write lock held elsewhere is busy after the timeout and changes nothing", "[postgres]") {
    PgWorld w;
    auto db = w.open(200);
    RawSession holder(w.file.str());
    REQUIRE(holder.run("BEGIN; SELECT * FROM psp_meta FOR UPDATE").empty());
    PSP_CHECK_REFUSED(db, db.add(office, District{{}, "Fuyang", 0, 0}), IsError(ErrorCode::busy, {"another writer holds the database"}));
    REQUIRE(holder.run("ROLLBACK").empty());
    CHECK(db.add(office, District{{}, "Fuyang", 0, 0}));
}

TEST_CASE("a write that fails inside PostgreSQL leaves nothing behind", "[postgres]") {
    PgWorld w;
    // Another client books the slot behind psp's back (a buggy system); psp's model does not
    // know, so psp's own check passes and the database refuses the row.
    RawSession raw(w.file.str());
    const Time s = monday_cst + D + 9 * H;
    REQUIRE(raw.run(booking_row(500, w.n.sem2, w.n.bolt, s, s + H, 1)).empty());
    const auto journal_rows = raw.integer("SELECT count(*) FROM journal");
    // The raw row did not count the version up, so the model is not seen as stale: the
    // constraint is the last line, and it holds.
    CHECK_THROWS_MATCHES(w.db.book(Actor::enterprise_self(w.n.acme), w.at(w.n.sem2, w.n.acme, 1, 9)), Error,
                         IsError(ErrorCode::busy, {"equipment"}));
    CHECK(raw.integer("SELECT count(*) FROM journal") == journal_rows);
    CHECK(raw.integer("SELECT count(*) FROM bookings") == 1);
    CHECK(w.db.bookings_of(w.n.sem2, {s - D, s + D}).empty());   // memory as it was
}

TEST_CASE("a server that goes away fails the call in progress and the next call reconnects", "[postgres]") {
    PgWorld w;
    REQUIRE(w.db.book(Actor::enterprise_self(w.n.acme), w.at(w.n.sem2, w.n.acme, 1, 9)));
    const Saved before(w.db);
    REQUIRE(pg_ctl("stop") == 0);
    CHECK_THROWS_MATCHES(w.db.add(office, District{{}, "Fuyang", 0, 0}), Error, IsError(ErrorCode::io, {"PostgreSQL"}));
    CHECK(w.db.snapshot() == before.network());
    REQUIRE(pg_ctl("start") == 0);
    // The model is still current (nothing was written anywhere): the next change reconnects and lands.
    const auto fuyang = w.db.add(office, District{{}, "Fuyang", 0, 0});
    auto again = w.open();
    CHECK(again.get(fuyang).name == "Fuyang");
    CHECK(again.snapshot() == w.db.snapshot());
}
