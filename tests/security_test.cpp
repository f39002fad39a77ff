// Security (issue 9): a crafted or damaged database file cannot run its code in psp nor crash it,
// the journal is append-only even to SQL on psp's own connection, every role may take exactly the
// actions the permission table gives it, and psp's SQL is only ever a prepared string literal.
#include "fixtures.hpp"
#include "raw_db.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <string_view>

#include "store/schema.hpp"
#include "store/sqlite.hpp"

using namespace psp;
using namespace psp::test;
namespace greg = boost::gregorian;

namespace {

const Actor office = Actor::office();
constexpr Time H = 3600, D = 86400;
constexpr Time monday_cst = 1740931200;   // 2025-03-03 00:00 Asia/Shanghai

greg::date day(int y, int m, int d) {
    return {static_cast<unsigned short>(y), static_cast<unsigned short>(m), static_cast<unsigned short>(d)};
}

// A psp file with the small network in it, closed (so its WAL is checkpointed into the file).
void make_psp_file(const TempFile& file) {
    auto db = Database::open(file.str());
    build_small_network(db);
}

}  // namespace

// --- Crafted files

TEST_CASE("a file with code psp did not write (triggers, views, virtual tables) is refused before it runs",
          "[sqlite][security]") {
    struct Craft {
        const char* what;
        const char* sql;
    };
    // Each would run inside psp's own statements if psp accepted the file: on every journal row,
    // on every read of a table, or on every access to a virtual table.
    const Craft crafts[] = {
        {"a trigger that writes elsewhere on every journal row",
         "CREATE TRIGGER evil AFTER INSERT ON journal BEGIN DELETE FROM enterprises; END;"},
        {"a trigger that loads an extension",
         "CREATE TRIGGER evil BEFORE INSERT ON districts BEGIN SELECT load_extension('/nonexistent/psp_evil'); END;"},
        {"a look-alike of psp's own journal trigger",
         "DROP TRIGGER journal_no_delete; CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal "
         "BEGIN DELETE FROM enterprises; END;"},
        {"a view", "CREATE VIEW evil AS SELECT load_extension('/nonexistent/psp_evil');"},
        {"a view in place of a table",
         "DROP TABLE zone_services; CREATE VIEW zone_services AS SELECT 1 AS platform, 1 AS zone, 1 AS minutes;"},
    };
    for (const auto& craft : crafts) {
        DYNAMIC_SECTION(craft.what) {
            TempFile file("security_craft");
            make_psp_file(file);
            RawDb(file.str()).exec(craft.sql);
            const auto before = read_bytes(file.path());
            CHECK_THROWS_MATCHES(Database::open(file.str()), Error,
                                 IsError(ErrorCode::format, {"not a psp database as psp writes it"}));
            CHECK(read_bytes(file.path()) == before);   // refused before anything was written
            CHECK(RawDb(file.str()).integer("SELECT count(*) FROM enterprises") == 2);
        }
    }
    SECTION("a virtual table") {
        TempFile file("security_vtab");
        make_psp_file(file);
        RawDb raw(file.str());
        // FTS5 is in Debian's SQLite; where it is not, there is nothing to craft with.
        if (raw.try_exec("CREATE VIRTUAL TABLE evil USING fts5(x);") != SQLITE_OK) {
            WARN("this SQLite has no FTS5: virtual-table case skipped");
            return;
        }
        CHECK_THROWS_MATCHES(Database::open(file.str()), Error, IsError(ErrorCode::format, {"evil"}));
    }
    SECTION("the journal's triggers removed from a file of the current schema") {
        TempFile file("security_notrigger");
        make_psp_file(file);
        RawDb(file.str()).exec("DROP TRIGGER journal_no_update;");
        CHECK_THROWS_MATCHES(Database::open(file.str()), Error, IsError(ErrorCode::format, {"append-only"}));
    }
}

TEST_CASE("code in a crafted table definition cannot load an extension through psp", "[sqlite][security]") {
    // A CHECK constraint is no trigger: the file opens, and psp's insert evaluates the crafted CHECK.
    // trusted_schema off does not stop SQLite's own load_extension() there (SQLite 3.40 runs it from
    // a CHECK; tried with the sqlite3 shell), so what refuses it is extension loading being off on
    // psp's connection: the insert fails with an Error, "not authorized", and loads nothing.
    TempFile file("security_check");
    make_psp_file(file);
    {
        RawDb raw(file.str());
        raw.exec("PRAGMA writable_schema=ON;");
        raw.exec("UPDATE sqlite_schema SET sql='CREATE TABLE districts(id INTEGER PRIMARY KEY, name TEXT NOT NULL "
                 "UNIQUE CHECK (load_extension(''/nonexistent/psp_evil'') IS NULL), x_km REAL NOT NULL, "
                 "y_km REAL NOT NULL)' WHERE name='districts';");
    }
    auto db = Database::open(file.str());
    const Saved before(db);
    CHECK_THROWS_MATCHES(db.add(office, District{{}, "Fuyang", 0, 0}), Error, IsError(ErrorCode::io, {"not authorized"}));
    before.check_unchanged(db);
    // The connection's own settings cannot be turned back on from SQL: no extension loading at all.
    store::SqliteConnection conn(file.str(), 1000);
    CHECK_THROWS_MATCHES(conn.exec("SELECT load_extension('/nonexistent/psp_evil')"), Error,
                         IsError(ErrorCode::io, {"not authorized"}));
    // Defensive mode: the schema cannot be written through psp's connection.
    conn.exec("PRAGMA writable_schema=ON");
    CHECK_THROWS_AS(conn.exec("UPDATE sqlite_schema SET sql='' WHERE name='districts'"), Error);
}

TEST_CASE("a damaged file gives an Error, never a crash", "[sqlite][security]") {
    TempFile good("security_good");
    make_psp_file(good);
    const std::string bytes = read_bytes(good.path());
    REQUIRE(bytes.size() > 4096);
    // The page size is at offset 16, big-endian (1 means 65536).
    const std::size_t page = [&] {
        const auto hi = static_cast<unsigned char>(bytes[16]), lo = static_cast<unsigned char>(bytes[17]);
        const std::size_t p = (std::size_t{hi} << 8) | lo;
        return p == 1 ? std::size_t{65536} : p;
    }();
    REQUIRE(bytes.size() % page == 0);

    // Whatever opens must also be read and written to without anything but psp::Error escaping.
    const auto exercise = [](const std::string& path) {
        try {
            auto db = Database::open(path);
            try { (void)db.snapshot(); } catch (const Error&) {}
            try { (void)db.journal(); } catch (const Error&) {}
            try { db.add(office, District{{}, "Fuyang", 0, 0}); } catch (const Error&) {}
            return false;
        } catch (const Error&) {
            return true;
        }
    };
    std::mt19937 random(20250303);
    const auto garbage = [&](std::string& b, std::size_t from, std::size_t to) {
        for (auto i = from; i < to; ++i) b[i] = static_cast<char>(random() & 0xff);
    };

    SECTION("garbage after a valid 100-byte header") {
        for (int round = 0; round < 5; ++round) {
            TempFile file("security_garbage");
            auto b = bytes;
            garbage(b, 100, b.size());
            write_bytes(file.path(), b);
            CHECK_THROWS_AS(Database::open(file.str()), Error);
        }
    }
    SECTION("garbage on every page but the first (the schema survives, the tables do not)") {
        for (int round = 0; round < 5; ++round) {
            TempFile file("security_pages");
            auto b = bytes;
            garbage(b, page, b.size());
            write_bytes(file.path(), b);
            CHECK_NOTHROW(exercise(file.str()));
        }
    }
    SECTION("one damaged page at a time, and a few bytes flipped") {
        for (std::size_t p = 1; p < bytes.size() / page; ++p) {
            TempFile file("security_page");
            auto b = bytes;
            garbage(b, p * page, (p + 1) * page);
            write_bytes(file.path(), b);
            CHECK_NOTHROW(exercise(file.str()));
        }
        for (int round = 0; round < 20; ++round) {
            TempFile file("security_flip");
            auto b = bytes;
            for (int i = 0; i < 16; ++i) b[100 + random() % (b.size() - 100)] ^= static_cast<char>(1 + random() % 255);
            write_bytes(file.path(), b);
            CHECK_NOTHROW(exercise(file.str()));
        }
    }
    SECTION("cut short") {
        TempFile file("security_cut");
        write_bytes(file.path(), bytes.substr(0, bytes.size() / 2 + 37));
        CHECK_NOTHROW(exercise(file.str()));
    }
}

// --- The journal is append-only

TEST_CASE("the journal cannot be updated or deleted, not even by SQL on psp's own connection", "[sqlite][security]") {
    TempFile file("security_journal");
    make_psp_file(file);
    {
        RawDb raw(file.str());
        CHECK(raw.integer("PRAGMA user_version") == store::latest_schema_version());
        CHECK(raw.integer("SELECT count(*) FROM sqlite_schema WHERE type='trigger' AND tbl_name='journal'") == 2);
        std::string message;
        CHECK(raw.try_exec("UPDATE journal SET actor_name='someone else' WHERE seq=1", &message) != SQLITE_OK);
        CHECK(message == "the journal is append-only");
        CHECK(raw.try_exec("DELETE FROM journal WHERE seq=1", &message) != SQLITE_OK);
        CHECK(message == "the journal is append-only");
        CHECK(raw.try_exec("DELETE FROM journal", &message) != SQLITE_OK);
        CHECK(raw.integer("SELECT count(*) FROM journal") == static_cast<std::int64_t>(small_network_changes));
    }
    {
        // psp's connection (hardened: trusted_schema off) runs the same triggers.
        store::SqliteConnection conn(file.str(), 1000);
        store::prepare_schema(conn);
        CHECK_THROWS_MATCHES(conn.exec("UPDATE journal SET details='{}'"), Error,
                             IsError(ErrorCode::invalid, {"the journal is append-only"}));
        CHECK_THROWS_MATCHES(conn.exec("DELETE FROM journal WHERE seq > 3"), Error,
                             IsError(ErrorCode::invalid, {"the journal is append-only"}));
    }
    // Inserting, through psp, still works, and the journal reads back whole.
    auto db = Database::open(file.str());
    const auto rows = db.journal();
    db.add(office, District{{}, "Fuyang", 0, 0});
    CHECK(db.journal().size() == rows.size() + 1);
    auto again = Database::open(file.str());
    CHECK(journal_lines(again.journal()) == journal_lines(db.journal()));
}

TEST_CASE("a file of schema 6 gets the journal's triggers and works through a whole cycle", "[sqlite][security]") {
    TempFile file("security_migrate");
    make_psp_file(file);
    {
        // Migrations 1..6 are what a version-6 file holds; take away migration 7.
        RawDb raw(file.str());
        raw.exec("DROP TRIGGER journal_no_update; DROP TRIGGER journal_no_delete; PRAGMA user_version=6;");
        raw.exec("DELETE FROM journal WHERE seq=1");   // version 6 did not guard it
    }
    ManualClock clock;
    clock.set(monday_cst);
    SmallNetwork n;
    {
        auto db = Database::open(file.str(), clock.options());
        CHECK(db.schema_version() == store::latest_schema_version());
        CHECK(db.journal().size() == small_network_changes - 1);
        n.sem1 = db.equipment()[0].id;
        n.acme = db.enterprises()[0].id;
        const auto booked = db.book(Actor::enterprise_self(n.acme),
                                    {n.sem1, n.acme, {monday_cst + D + 10 * H, monday_cst + D + 11 * H}, 1, "", {}});
        REQUIRE(booked);
        db.cancel(Actor::enterprise_self(n.acme), booked.booking->id);
        CHECK(db.journal().size() == small_network_changes + 1);
    }
    {
        RawDb raw(file.str());
        CHECK(raw.integer("PRAGMA user_version") == store::latest_schema_version());
        CHECK(raw.try_exec("DELETE FROM journal") != SQLITE_OK);
    }
    auto again = Database::open(file.str(), clock.options());
    CHECK(again.journal().size() == small_network_changes + 1);
    CHECK(again.get(BookingId(1)).status == BookingStatus::cancelled);
}

// --- Role × action

namespace {

std::vector<CertificationStandard> standards() {
    CertificationStandard municipal;
    municipal.level = DemoLevel::municipal;
    municipal.min_years_operating = 2;
    municipal.min_grade = EvaluationGrade::good;
    municipal.min_enterprises_served = 1;
    municipal.min_expert_score = 600;
    municipal.validity_years = 3;
    return {municipal};
}

CertificationApplication application(PlatformId p) {
    PlatformRecord r;
    r.platform = p;
    r.years_operating = 4;
    r.grade = EvaluationGrade::good;
    r.enterprises_served = 12;
    r.utilisation_bp = 4200;
    return {p, DemoLevel::municipal, day(2025, 3, 1), r};
}

Project project_of(PlatformId owner) {
    constexpr Fen million = 100'000'000;
    Project p;
    p.name = "Zone testing database";
    p.kind = ProjectKind::database;
    p.platforms = {owner};
    p.budget = 10 * million;
    p.funding = {6 * million, 3 * million, 1 * million};
    p.stage = ProjectStage::building;
    p.start = day(2025, 1, 1);
    p.end = day(2026, 12, 31);
    p.approved = day(2025, 1, 1);
    p.milestones = {{day(2025, 3, 31), "design approved", 5000, day(2025, 3, 20)},
                    {day(2025, 9, 30), "system online", 5000, std::nullopt}};
    return p;
}

CityPlan plan_of(PlatformId unit) {
    CityPlan p;
    p.title = "Service-zone platform plan 2021-2025";
    p.first_year = 2021;
    p.last_year = 2025;
    AnnualPlan y2025{AnnualPlanId(1), 2025, "2025 annual plan", {}};
    y2025.tasks.push_back({PlanTaskId(11), "Open the one-stop front door", PlanUnit::of_platform(unit), day(2025, 1, 5),
                           day(2025, 3, 31), TaskStatus::in_progress, std::nullopt, std::nullopt});
    p.annual_plans.push_back(y2025);
    return p;
}

BookingRequest tuesday_morning(const SmallNetwork& n) {
    return {n.sem1, n.acme, {monday_cst + D + 10 * H, monday_cst + D + 11 * H}, 1, "", {}};
}

// One representative Database call per action. `own_platform` / `own_enterprise` say whose the
// change is (an operator of that platform, that enterprise acts on its own); `any_operator` for
// training records, which every operator keeps. `prepare` runs as the office before the call.
struct Trial {
    Action action;
    const char* call;
    PlatformId own_platform;
    EnterpriseId own_enterprise;
    bool any_operator = false;
    bool empty_database = false;
    std::function<void(Database&, const SmallNetwork&)> prepare;
    std::function<void(Database&, const SmallNetwork&, const Actor&)> run;
};

std::vector<Trial> trials(const SmallNetwork& n, const Network& whole) {
    using A = Action;
    const auto none = [](Database&, const SmallNetwork&) {};
    return {
        {A::manage_districts, "add(District)", {}, {}, false, false, none,
         [](Database& db, const SmallNetwork&, const Actor& a) { db.add(a, District{{}, "Fuyang", 0, 0}); }},
        {A::manage_zones, "add(Zone)", {}, {}, false, false, none,
         [](Database& db, const SmallNetwork& w, const Actor& a) {
             db.add(a, Zone{{}, "Qianjiang", w.d3, ZoneType::central_business});
         }},
        {A::create_platform, "add(Platform)", {}, {}, false, false, none,
         [](Database& db, const SmallNetwork& w, const Actor& a) {
             db.add(a, make_platform("New platform", PlatformTier::district, PlatformField::technology_support,
                                     {ServiceKind::technology_rd}, false, {}, w.d1));
         }},
        {A::update_platform, "update(Platform)", n.tech, {}, false, false, none,
         [](Database& db, const SmallNetwork& w, const Actor& a) {
             auto p = db.get(w.tech);
             p.name = "Tech backbone (renamed)";
             db.update(a, p);
         }},
        {A::remove_platform, "remove(PlatformId)", n.ip, {}, false, false, none,
         [](Database& db, const SmallNetwork& w, const Actor& a) { db.remove(a, w.ip); }},
        {A::manage_alliance, "update(Alliance)", n.tech, {}, false, false, none,
         [](Database& db, const SmallNetwork& w, const Actor& a) {
             auto al = db.get(w.alliance);
             al.name = "Tech alliance (renamed)";
             db.update(a, al);
         }},
        {A::manage_equipment, "update(Equipment)", n.tech, {}, false, false, none,
         [](Database& db, const SmallNetwork& w, const Actor& a) {
             auto e = db.get(w.sem1);
             e.name = "SEM-1 (renamed)";
             db.update(a, e);
         }},
        {A::manage_catalogue, "add(EquipmentClass)", {}, {}, false, false, none,
         [](Database& db, const SmallNetwork&, const Actor& a) { db.add(a, EquipmentClass{{}, "Lathe", "fabrication"}); }},
        {A::manage_enterprise, "update(Enterprise)", {}, n.acme, false, false, none,
         [](Database& db, const SmallNetwork& w, const Actor& a) {
             auto e = db.get(w.acme);
             e.sector = "hardware";
             db.update(a, e);
         }},
        {A::manage_links, "set_zone_service", n.tech, {}, false, false, none,
         [](Database& db, const SmallNetwork& w, const Actor& a) { db.set_zone_service(a, {w.tech, w.z2, 12}); }},
        {A::import_network, "import_network", {}, {}, false, true, none,
         [&whole](Database& db, const SmallNetwork&, const Actor& a) { db.import_network(a, whole); }},
        {A::book, "book", n.tech, n.acme, false, false, none,
         [](Database& db, const SmallNetwork& w, const Actor& a) {
             const auto outcome = db.book(a, tuesday_morning(w));
             INFO(outcome.reason);
             CHECK(outcome);
         }},
        {A::handle_booking, "approve",
         n.tech, {}, false, false,
         [](Database& db, const SmallNetwork& w) {
             BookingRules rules;
             rules.approval_required = true;
             db.set_booking_rules(office, w.sem1, rules);
             REQUIRE(db.book(office, tuesday_morning(w)));
         },
         [](Database& db, const SmallNetwork&, const Actor& a) { db.approve(a, BookingId(1)); }},
        {A::manage_booking_rules, "set_booking_rules", n.tech, {}, false, false, none,
         [](Database& db, const SmallNetwork& w, const Actor& a) {
             BookingRules rules;
             rules.slot_minutes = 60;
             rules.min_minutes = 60;
             db.set_booking_rules(a, w.sem1, rules);
         }},
        {A::manage_training, "set_training", {}, {}, true, false, none,
         [](Database& db, const SmallNetwork& w, const Actor& a) { db.set_training(a, w.acme, w.sem, true); }},
        {A::mark_no_shows, "mark_no_shows", {}, {}, false, false, none,
         [](Database& db, const SmallNetwork&, const Actor& a) { db.mark_no_shows(a); }},
        {A::manage_projects, "update_project", n.tech, {}, false, false,
         [](Database& db, const SmallNetwork& w) { db.add_project(office, project_of(w.tech)); },
         [](Database& db, const SmallNetwork&, const Actor& a) {
             auto p = db.project(ProjectId(1));
             p.spending.push_back({day(2025, 9, 1), 500'000, "staff"});
             db.update_project(a, p);
         }},
        {A::supervise_projects, "supervise", {}, {}, false, false,
         [](Database& db, const SmallNetwork& w) { db.add_project(office, project_of(w.tech)); },
         [](Database& db, const SmallNetwork&, const Actor& a) {
             const auto decisions = db.supervise(a, {}, day(2025, 12, 31));   // throws before any CHECK
             CHECK(decisions.size() == 1);
         }},
        {A::apply_certification, "apply_for_certification", n.tech, {}, false, false,
         [](Database& db, const SmallNetwork&) { db.set_certification_standards(office, standards()); },
         [](Database& db, const SmallNetwork& w, const Actor& a) { db.apply_for_certification(a, application(w.tech)); }},
        {A::score_certification, "score_certification", {}, {}, false, false,
         [](Database& db, const SmallNetwork& w) {
             db.set_certification_standards(office, standards());
             db.apply_for_certification(office, application(w.tech));
         },
         [](Database& db, const SmallNetwork&, const Actor& a) { db.score_certification(a, CertificationCaseId(1), 800); }},
        {A::certify, "set_certification_standards", {}, {}, false, false, none,
         [](Database& db, const SmallNetwork&, const Actor& a) { db.set_certification_standards(a, standards()); }},
        {A::manage_plans, "set_task_status", n.tech, {}, false, false,
         [](Database& db, const SmallNetwork& w) { db.add_city_plan(office, plan_of(w.tech)); },
         [](Database& db, const SmallNetwork&, const Actor& a) {
             db.set_task_status(a, CityPlanId(1), PlanTaskId(11), TaskStatus::done, day(2025, 4, 10));
         }},
        {A::monitor, "set_alert_rules", {}, {}, false, false, none,
         [](Database& db, const SmallNetwork&, const Actor& a) { db.set_alert_rules(a, {}); }},
    };
}

}  // namespace

TEST_CASE("every role tries every action: exactly what the permission table allows succeeds", "[security]") {
    ManualClock clock;
    clock.set(monday_cst);
    const auto [n, whole] = [&] {
        auto db = Database::open(":memory:", clock.options());
        const auto built = build_small_network(db);
        return std::pair{built, db.snapshot()};
    }();
    const auto all = trials(n, whole);
    REQUIRE(all.size() == static_cast<std::size_t>(action_count));

    std::set<std::pair<int, int>> pairs;   // (role, action) tried
    int calls = 0, allowed = 0;
    for (int i = 0; i < action_count; ++i) {
        const Trial& t = all[static_cast<std::size_t>(i)];
        REQUIRE(static_cast<int>(t.action) == i);   // one trial per action, in order
        const PlatformId own_p = t.own_platform ? t.own_platform : n.tech;
        const PlatformId other_p = own_p == n.quality ? n.tech_sub : n.quality;
        const EnterpriseId own_e = t.own_enterprise ? t.own_enterprise : n.acme;
        const EnterpriseId other_e = own_e == n.bolt ? n.acme : n.bolt;
        const std::vector<Actor> actors{office,
                                        Actor::operator_of(own_p),
                                        Actor::operator_of(other_p),
                                        Actor::enterprise_self(own_e),
                                        Actor::enterprise_self(other_e),
                                        Actor::expert_reviewer("Expert Wang"),
                                        Actor::anyone()};
        for (const Actor& actor : actors) {
            const bool own = (actor.role == Role::platform_operator &&
                              (t.any_operator || (t.own_platform && actor.platform == t.own_platform))) ||
                             (actor.role == Role::enterprise && t.own_enterprise && actor.enterprise == t.own_enterprise);
            const bool expected = permitted(actor, t.action, own);
            auto db = Database::open(":memory:", clock.options());
            if (!t.empty_database) build_small_network(db);
            t.prepare(db, n);
            INFO(to_string(t.action) << " by " << t.call << " as " << to_string(actor.role) << " (platform "
                                     << actor.platform.value << ", enterprise " << actor.enterprise.value
                                     << (own ? ", own" : "") << ")");
            if (expected) {
                const auto rows = db.journal().size();
                CHECK_NOTHROW(t.run(db, n, actor));
                if (t.action != Action::mark_no_shows) CHECK(db.journal().size() > rows);   // the change was made
                ++allowed;
            } else {
                PSP_CHECK_REFUSED(db, t.run(db, n, actor), IsError(ErrorCode::permission));
            }
            pairs.insert({static_cast<int>(actor.role), i});
            ++calls;
        }
    }
    CHECK(pairs.size() == static_cast<std::size_t>(role_count * action_count));
    // The figure for docs/reliability.md.
    std::printf("security: roles x actions tried: %d x %d = %zu pairs, %d calls (%d allowed, %d refused)\n",
                role_count, action_count, pairs.size(), calls, allowed, calls - allowed);
}

// --- SQL only through prepared literals

namespace {

// Blanks out comments (keeping line breaks) and leaves string literals, raw ones included, as they are.
std::string strip_comments(std::string_view s) {
    std::string out(s);
    std::size_t i = 0;
    const auto blank = [&](std::size_t from, std::size_t to) {
        for (auto k = from; k < to && k < out.size(); ++k) if (out[k] != '\n') out[k] = ' ';
    };
    while (i < s.size()) {
        if (s.compare(i, 2, "//") == 0) {
            const auto end = s.find('\n', i);
            blank(i, end == std::string_view::npos ? s.size() : end);
            i = end == std::string_view::npos ? s.size() : end;
        } else if (s.compare(i, 2, "/*") == 0) {
            const auto end = s.find("*/", i + 2);
            const auto stop = end == std::string_view::npos ? s.size() : end + 2;
            blank(i, stop);
            i = stop;
        } else if (s[i] == 'R' && i + 1 < s.size() && s[i + 1] == '"' &&
                   (i == 0 || !(std::isalnum(static_cast<unsigned char>(s[i - 1])) || s[i - 1] == '_'))) {
            const auto open = s.find('(', i + 2);
            if (open == std::string_view::npos) break;
            const std::string close = ")" + std::string(s.substr(i + 2, open - i - 2)) + "\"";
            const auto end = s.find(close, open);
            i = end == std::string_view::npos ? s.size() : end + close.size();
        } else if (s[i] == '"' || s[i] == '\'') {
            const char q = s[i++];
            while (i < s.size() && s[i] != q) i += s[i] == '\\' ? 2 : 1;
            ++i;
        } else {
            ++i;
        }
    }
    return out;
}

// The end of the literal or bracketed group starting at i (one past it).
std::size_t skip_literal(std::string_view s, std::size_t i) {
    if (s[i] == 'R' && i + 1 < s.size() && s[i + 1] == '"') {
        const auto open = s.find('(', i + 2);
        const std::string close = ")" + std::string(s.substr(i + 2, open - i - 2)) + "\"";
        return s.find(close, open) + close.size();
    }
    const char q = s[i++];
    while (i < s.size() && s[i] != q) i += s[i] == '\\' ? 2 : 1;
    return i + 1;
}

// The top-level arguments of the call whose '(' is at `open`.
std::vector<std::string> arguments(std::string_view s, std::size_t open) {
    std::vector<std::string> args;
    std::string current;
    int depth = 0;
    for (std::size_t i = open; i < s.size();) {
        const char c = s[i];
        const bool raw = c == 'R' && i + 1 < s.size() && s[i + 1] == '"';
        if (c == '"' || c == '\'' || raw) {
            const auto end = skip_literal(s, i);
            current += s.substr(i, end - i);
            i = end;
            continue;
        }
        if (c == '(' || c == '[' || c == '{') {
            if (depth++ > 0) current += c;
        } else if (c == ')' || c == ']' || c == '}') {
            if (--depth == 0) {
                args.push_back(current);
                return args;
            }
            current += c;
        } else if (c == ',' && depth == 1) {
            args.push_back(current);
            current.clear();
        } else {
            current += c;
        }
        ++i;
    }
    return args;
}

std::string trim(std::string_view s) {
    std::string out;
    bool space = false;
    for (char c : s) {
        if (std::isspace(static_cast<unsigned char>(c))) {
            space = !out.empty();
        } else {
            if (space) out += ' ';
            out += c;
            space = false;
        }
    }
    return out;
}

// Only string literals (adjacent ones concatenate), in parentheses or not, or `cond ? lit : lit`.
bool literal_only(std::string_view arg) {
    int depth = 0;
    std::size_t question = std::string_view::npos, colon = std::string_view::npos;
    for (std::size_t i = 0; i < arg.size(); ++i) {
        const char c = arg[i];
        if (c == '"' || (c == 'R' && i + 1 < arg.size() && arg[i + 1] == '"')) {
            i = skip_literal(arg, i) - 1;
        } else if (c == '(') {
            ++depth;
        } else if (c == ')') {
            --depth;
        } else if (c == '?' && depth == 0 && question == std::string_view::npos) {
            question = i;
        } else if (c == ':' && depth == 0 && question != std::string_view::npos && colon == std::string_view::npos) {
            colon = i;
        }
    }
    if (question != std::string_view::npos && colon != std::string_view::npos) {
        return literal_only(arg.substr(question + 1, colon - question - 1)) && literal_only(arg.substr(colon + 1));
    }
    bool any = false;
    for (std::size_t i = 0; i < arg.size(); ++i) {
        const char c = arg[i];
        if (c == '"' || (c == 'R' && i + 1 < arg.size() && arg[i + 1] == '"')) {
            i = skip_literal(arg, i) - 1;
            any = true;
        } else if (!std::isspace(static_cast<unsigned char>(c)) && c != '(' && c != ')') {
            return false;
        }
    }
    return any;
}

// "Type name" (a declaration's first parameter) rather than an expression.
bool looks_like_parameter(const std::string& first) {
    std::string_view s(first);
    std::size_t i = 0;
    const auto word = [&] {
        const auto start = i;
        while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_' || s[i] == ':' ||
                                s[i] == '<' || s[i] == '>')) ++i;
        return s.substr(start, i - start);
    };
    if (s.substr(0, 6) == "const ") i = 6;
    if (word().empty()) return false;
    const auto before = i;
    while (i < s.size() && (s[i] == ' ' || s[i] == '*' || s[i] == '&')) ++i;
    return i > before && !word().empty() && i == s.size();
}

struct Finding {
    std::string where;       // file:line
    std::string callee;
    std::string argument;    // whitespace-normalised
};

// Calls that take SQL text, and which argument is the SQL. Store::cached, count_bookings and
// pragma_int pass their SQL on to Connection::prepare, so their callers are held to literals too.
const std::map<std::string, std::size_t, std::less<>> sql_callees{
    {"sqlite3_exec", 1}, {"sqlite3_prepare", 1}, {"sqlite3_prepare_v2", 1}, {"sqlite3_prepare_v3", 1},
    {"sqlite3_prepare16", 1}, {"sqlite3_prepare16_v2", 1}, {"sqlite3_prepare16_v3", 1},
    {"exec", 0}, {"prepare", 0}, {"cached", 0}, {"pragma_int", 0}, {"count_bookings", 1},
    {"exec_quietly", 0},
    // libpq (src/store/postgres.cpp).
    {"PQexec", 1}, {"PQexecParams", 1}, {"PQprepare", 2}, {"PQsendQuery", 1}, {"PQsendQueryParams", 1},
    {"PQsendPrepare", 2},
};

// SQLite's own string formatting exists to build SQL text: psp has no use for it.
constexpr std::string_view sql_formatters[] = {"sqlite3_mprintf", "sqlite3_vmprintf", "sqlite3_snprintf",
                                               "sqlite3_vsnprintf", "sqlite3_str_appendf"};

std::vector<Finding> non_literal_sql(std::string_view source, const std::string& file) {
    const std::string s = strip_comments(source);
    std::vector<Finding> out;
    const auto line_of = [&](std::size_t pos) {
        return file + ":" + std::to_string(1 + std::count(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(pos), '\n'));
    };
    std::size_t i = 0;
    while (i < s.size()) {
        if (!(std::isalpha(static_cast<unsigned char>(s[i])) || s[i] == '_')) {
            if (s[i] == '"' || s[i] == '\'') {
                i = skip_literal(s, i);
            } else {
                ++i;
            }
            continue;
        }
        const auto start = i;
        while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_')) ++i;
        const std::string_view name(s.data() + start, i - start);
        if (name == "R" && i < s.size() && s[i] == '"') {
            i = skip_literal(s, start);
            continue;
        }
        for (auto f : sql_formatters) {
            if (name == f) out.push_back({line_of(start), std::string(name), "(SQLite's SQL formatting)"});
        }
        const auto callee = sql_callees.find(name);
        if (callee == sql_callees.end()) continue;
        auto open = i;
        while (open < s.size() && std::isspace(static_cast<unsigned char>(s[open]))) ++open;
        if (open >= s.size() || s[open] != '(') continue;
        const auto args = arguments(s, open);
        if (args.empty() || looks_like_parameter(trim(args[0]))) continue;   // a declaration or definition
        if (callee->second >= args.size()) {
            out.push_back({line_of(start), std::string(name), "(missing SQL argument)"});
            continue;
        }
        const std::string arg = trim(args[callee->second]);
        if (!literal_only(arg)) out.push_back({line_of(start), std::string(name), arg});
    }
    return out;
}

// The places where SQL reaches the engine from something other than a literal at the call, each safe:
struct Exception {
    const char* file;
    const char* callee;
    const char* argument;
    const char* why;
};
constexpr Exception exceptions[] = {
    {"src/store/sqlite.cpp", "sqlite3_exec", "sql",
     "Connection::exec hands its parameter to SQLite; its callers are checked (exec is an SQL callee)"},
    {"src/store/sqlite.cpp", "sqlite3_prepare_v3", "sql.data()",
     "Connection::prepare hands its parameter to SQLite; its callers are checked"},
    {"src/store/sqlite.cpp", "prepare", "std::string(\"PRAGMA \") + pragma",
     "pragma_int: a pragma name cannot be a bound parameter; its callers are checked to pass literals"},
    {"src/store/store.cpp", "prepare", "sql",
     "Store::cached prepares its const char* parameter once; its callers are checked"},
    {"src/database/bookings.cpp", "prepare", "sql",
     "count_bookings prepares its const char* parameter; its callers are checked"},
    {"src/store/schema.cpp", "exec", "migrations[static_cast<std::size_t>(v)]",
     "the migrations are constexpr raw literals in the same file"},
    {"src/store/schema_postgres.cpp", "exec", "migrations[static_cast<std::size_t>(v)]",
     "PostgreSQL's migrations are constexpr raw literals in the same file"},
    {"src/store/sqlite.cpp", "sqlite3_exec", "sql",
     "exec_quietly hands its parameter to SQLite; its callers are checked (exec_quietly is an SQL callee)"},
    {"src/store/postgres.cpp", "PQprepare", "sql_.c_str()",
     "a Store literal with its ?N placeholders renumbered $N (to_dollar_placeholders); prepare's callers are checked"},
    {"src/store/postgres.cpp", "PQexec", "sql",
     "exec and exec_quietly hand their parameter to libpq; their callers are checked"},
    {"src/store/postgres.cpp", "exec_quietly", "deallocate.c_str()",
     "DEALLOCATE of a statement name psp made itself (psp_<number>), not SQL from outside"},
    {"src/store/store_copy.cpp", "prepare", "select",
     "column and table names read from the SQLite schema psp just created itself, double-quoted"},
    {"src/store/store_copy.cpp", "prepare", "insert",
     "table name from the SQLite schema psp just created itself, double-quoted, and ?N placeholders"},
    {"src/store/schema.cpp", "exec", "(\"PRAGMA application_id=\" + std::to_string(application_id)).c_str()",
     "a compile-time constant; PRAGMA values cannot be bound parameters"},
    {"src/store/schema.cpp", "exec", "(\"PRAGMA user_version=\" + std::to_string(latest_schema_version())).c_str()",
     "the number of migrations, a compile-time constant; PRAGMA values cannot be bound parameters"},
};

}  // namespace

TEST_CASE("the SQL scanner catches SQL built from strings", "[security]") {
    const auto flagged = [](const char* code) { return non_literal_sql(code, "snippet.cpp").size(); };
    CHECK(flagged(R"(conn.exec(("DELETE FROM t WHERE id=" + id).c_str());)") == 1);
    CHECK(flagged(R"(conn_.prepare(std::format("SELECT * FROM t WHERE name='{}'", name));)") == 1);
    CHECK(flagged("std::string sql = \"DELETE FROM t\"; sql += where; conn.exec(sql.c_str());") == 1);
    CHECK(flagged("char buf[99]; std::snprintf(buf, 99, \"DELETE FROM t WHERE id=%d\", id); store.connection().prepare(buf);") == 1);
    CHECK(flagged("sqlite3_exec(db, query, nullptr, nullptr, &err);") == 1);
    CHECK(flagged("char* q = sqlite3_mprintf(\"DELETE FROM t WHERE id=%d\", id);") == 1);
    CHECK(flagged("cached(\"SELECT 1 FROM t WHERE id=\" + std::to_string(id));") == 1);
    // Literals, adjacent literals, raw literals, a choice of literals; comments and declarations.
    CHECK(flagged(R"(conn.exec("BEGIN"); st = conn_.prepare("SELECT a " "FROM t WHERE id=?1");)") == 0);
    CHECK(flagged("conn.exec(R\"sql(CREATE TABLE t(a); -- it's fine\n)sql\");") == 0);
    CHECK(flagged(R"(sqlite3_exec(h, nested_ ? "ROLLBACK TO s; RELEASE s" : "ROLLBACK", nullptr, nullptr, nullptr);)") == 0);
    CHECK(flagged("// conn.exec(sql.c_str());\n/* prepare(x) */ void exec(const char* sql); Statement prepare(std::string_view sql);") == 0);
}

TEST_CASE("psp's SQL reaches SQLite only as prepared string literals", "[security]") {
    // PSP_SQL_SCAN_ROOT scans another tree (a scratch copy with a planted line, to see this fail).
    const char* env = std::getenv("PSP_SQL_SCAN_ROOT");
    const std::filesystem::path root =
        env ? std::filesystem::path(env) : std::filesystem::path(PSP_TEST_DATA_DIR).parent_path().parent_path();
    REQUIRE(std::filesystem::is_directory(root / "src"));
    std::vector<std::string> problems;
    std::set<std::size_t> used;
    int files = 0;
    for (const char* dir : {"src", "capi"}) {
        for (const auto& entry : std::filesystem::recursive_directory_iterator(root / dir)) {
            const auto ext = entry.path().extension().string();
            if (!entry.is_regular_file() || (ext != ".cpp" && ext != ".hpp" && ext != ".c" && ext != ".h")) continue;
            ++files;
            const std::string file = entry.path().lexically_relative(root).generic_string();
            for (const auto& f : non_literal_sql(read_bytes(entry.path()), file)) {
                bool excused = false;
                for (std::size_t k = 0; k < std::size(exceptions); ++k) {
                    const auto& x = exceptions[k];
                    if (file == x.file && f.callee == x.callee && f.argument == x.argument) {
                        excused = true;
                        used.insert(k);
                    }
                }
                if (!excused) problems.push_back(f.where + ": " + f.callee + "(" + f.argument + ")");
            }
        }
    }
    CHECK(files > 50);
    for (const auto& p : problems) UNSCOPED_INFO("SQL built from strings: " << p);
    CHECK(problems.empty());
    // An exception that no longer matches anything is stale: remove it, so the list stays true.
    for (std::size_t k = 0; k < std::size(exceptions); ++k) {
        INFO("unused exception: " << exceptions[k].file << " " << exceptions[k].callee << "(" << exceptions[k].argument
                                  << ") — " << exceptions[k].why);
        CHECK(used.contains(k));
    }
}
