// The SQLite store: reopening gives exactly what was saved, the journal, foreign / newer / truncated
// files refused and left untouched, and failed writes that leave memory and file as they were.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <string>

#include "fixtures.hpp"
#include "raw_db.hpp"
#include "psp/database.hpp"
#include "store/schema.hpp"

using namespace psp;
using namespace psp::test;
using nlohmann::json;

namespace {

const Actor office = Actor::office();

// A network that sets every field of every entity and relation to something other than its default.
Network build_rich_network(Database& db) {
    const auto d5 = db.add(office, District{DistrictId(5), "上城区", -12.75, 33.125});
    const auto d6 = db.add(office, District{{}, "Binjiang", 0.1, -1e-3});
    const auto d7 = db.add(office, District{{}, "Xiaoshan", 0, 0});
    db.set_travel(office, {d6, d5, 37});
    db.set_travel(office, {d5, d7, 0});
    const auto z1 = db.add(office, Zone{{}, "湖滨商圈", d5, ZoneType::information_services});
    const auto z2 = db.add(office, Zone{ZoneId(10), "Logistics park", d6, ZoneType::logistics});

    Platform bb;
    bb.id = PlatformId(3);
    bb.name = "National \"finance\" backbone";
    bb.tier = PlatformTier::national;
    bb.field = PlatformField::investment_financing;
    bb.operator_model = OperatorModel::joint_venture;
    bb.services = ServiceSet(ServiceSet::all_mask);
    bb.backbone = true;
    bb.site = d6;
    bb.status = PlatformStatus::operating;
    const auto p_bb = db.add(office, bb);

    Platform sub;
    sub.name = "HR sub-platform";
    sub.tier = PlatformTier::provincial;
    sub.field = PlatformField::human_resources;
    sub.operator_model = OperatorModel::industry_association;
    sub.services = {ServiceKind::talent, ServiceKind::skills_training};
    sub.backbone = false;
    sub.parent = p_bb;
    sub.site = d5;
    sub.status = PlatformStatus::suspended;
    const auto p_sub = db.add(office, sub);

    Platform closed = sub;
    closed.name = "Closed IP desk";
    closed.parent = {};
    closed.tier = PlatformTier::municipal;
    closed.field = PlatformField::intellectual_property;
    closed.operator_model = OperatorModel::professional_agency;
    closed.services = {};
    closed.status = PlatformStatus::closed;
    const auto p_closed = db.add(office, closed);

    db.set_zone_service(office, {p_bb, z1, 42});
    db.set_zone_service(office, {p_sub, z2, 0});
    db.add_link(office, {p_sub, p_bb, LinkKind::higher_tier});
    db.add_link(office, {p_closed, p_sub, LinkKind::cooperation});

    // Members deliberately not in id order: the order given is the order kept.
    db.add(office, Alliance{{}, "Cross-regional alliance", AllianceScope::cross_regional, AllianceSector::cross_industry,
                            AllianceBreadth::comprehensive, p_bb,
                            {{p_sub, MemberRole::member}, {p_bb, MemberRole::lead}, {p_closed, MemberRole::core}}, false});
    db.add(office, Alliance{AllianceId(9), "One-stop alliance", AllianceScope::regional, AllianceSector::industry,
                            AllianceBreadth::specialised, p_bb, {{p_bb, MemberRole::lead}}, true});

    const auto c1 = db.add(office, EquipmentClass{{}, "GPU cluster", "computing"});
    const auto c2 = db.add(office, EquipmentClass{{}, "扫描电镜", ""});
    db.add(office, Equipment{{}, "GPU-A", c1, p_bb, 250, d5, 12'345'678'901'234});   // sited away from its owner
    db.add(office, Equipment{EquipmentId(77), "SEM-01", c2, p_sub, 1, d5, 0});
    db.add(office, Enterprise{{}, "Large Corp", z2, EnterpriseSize::large, ""});
    db.add(office, Enterprise{{}, "小微企业", z1, EnterpriseSize::micro, "生物医药"});
    return db.snapshot();
}

}  // namespace

TEST_CASE("reopening a file gives exactly the saved model", "[store]") {
    TempFile file("store_reopen");
    Network saved;
    {
        auto db = Database::open(file.str());
        CHECK(db.path() == file.str());
        CHECK(db.schema_version() == store::latest_schema_version());
        saved = build_rich_network(db);
    }
    // Spot checks that the saved model really holds the values (so equality below means something).
    REQUIRE(saved.districts.size() == 3);
    CHECK(saved.districts[0] == District{DistrictId(5), "上城区", -12.75, 33.125});
    CHECK(saved.travel == std::vector<DistrictTravel>{{DistrictId(5), DistrictId(6), 37}, {DistrictId(5), DistrictId(7), 0}});
    REQUIRE(saved.platforms.size() == 3);
    CHECK(saved.platforms[0].id == PlatformId(3));
    CHECK(saved.platforms[1].parent == PlatformId(3));
    REQUIRE(saved.alliances.size() == 2);
    CHECK(saved.alliances[0].members.front().platform == saved.platforms[1].id);
    CHECK(saved.equipment.back().id == EquipmentId(77));

    auto db = Database::open(file.str());
    CHECK(db.schema_version() == store::latest_schema_version());
    CHECK(db.snapshot() == saved);

    SECTION("every entity, field by field") {
        CHECK(db.districts() == saved.districts);
        CHECK(db.zones() == saved.zones);
        CHECK(db.platforms() == saved.platforms);
        CHECK(db.alliances() == saved.alliances);
        CHECK(db.equipment_classes() == saved.equipment_classes);
        CHECK(db.equipment() == saved.equipment);
        CHECK(db.enterprises() == saved.enterprises);
        for (const auto& d : saved.districts) CHECK(db.get(d.id) == d);
        for (const auto& z : saved.zones) CHECK(db.get(z.id) == z);
        for (const auto& p : saved.platforms) {
            const auto got = db.get(p.id);
            CHECK(got == p);
            CHECK(got.services == p.services);
            CHECK(got.status == p.status);
        }
        for (const auto& a : saved.alliances) CHECK(db.get(a.id) == a);
        for (const auto& c : saved.equipment_classes) CHECK(db.get(c.id) == c);
        for (const auto& e : saved.equipment) CHECK(db.get(e.id) == e);
        for (const auto& e : saved.enterprises) CHECK(db.get(e.id) == e);
    }
    SECTION("every relation") {
        CHECK(db.travel() == saved.travel);
        CHECK(db.zone_services() == saved.zone_services);
        CHECK(db.links() == saved.links);
        CHECK(db.members(AllianceId(1)) == saved.alliances[0].members);
        CHECK(db.sub_platforms(PlatformId(3)) == std::vector<PlatformId>{saved.platforms[1].id});
        const auto c = db.counts();
        CHECK(c.districts == 3);
        CHECK(c.platforms == 3);
        CHECK(c.backbones == 1);
        CHECK(c.sub_platforms == 1);
        CHECK(c.alliances == 2);
        CHECK(c.travel == 2);
        CHECK(c.zone_services == 2);
        CHECK(c.links == 2);
        CHECK(c.equipment == 2);
        CHECK(c.enterprises == 2);
    }
    SECTION("new ids continue after the largest stored one") {
        CHECK(db.add(office, District{{}, "Fuyang", 0, 0}) == DistrictId(8));
        CHECK(db.add(office, EquipmentClass{{}, "Lathe", ""}) == EquipmentClassId(3));
        CHECK(db.add(office, Enterprise{{}, "Newco", ZoneId(10), EnterpriseSize::small, ""}) == EnterpriseId(3));
    }
    SECTION("updates and removals are saved too") {
        auto p = db.get(PlatformId(3));
        p.name = "Renamed backbone";
        p.services.erase(ServiceKind::marketing);
        db.update(office, p);
        auto e = db.get(EquipmentId(77));
        e.capacity_units = 9;
        e.purchase_value = 1;
        db.update(office, e);
        auto a = db.get(AllianceId(1));
        std::swap(a.members[0], a.members[2]);
        db.update(office, a);
        db.remove(office, EnterpriseId(1));
        db.remove_travel(office, DistrictId(7), DistrictId(5));
        db.remove_zone_service(office, PlatformId(3), ZoneId(1));
        db.remove_link(office, saved.platforms[2].id, saved.platforms[1].id);
        const auto changed = db.snapshot();
        CHECK_FALSE(changed == saved);
        auto again = Database::open(file.str());
        CHECK(again.snapshot() == changed);
        CHECK(again.get(AllianceId(1)).members == a.members);
    }
}

TEST_CASE("an empty file and :memory: both work", "[sqlite][store]") {
    TempFile file("store_empty");
    {
        auto db = Database::open(file.str());
        CHECK(db.snapshot() == Network{});
        CHECK(db.journal().empty());
    }
    CHECK(std::filesystem::exists(file.path()));
    {
        RawDb raw(file.str());
        CHECK(raw.integer("PRAGMA application_id") == 0x50535031);   // "PSP1"
        CHECK(raw.integer("PRAGMA user_version") == store::latest_schema_version());
        CHECK(raw.text("PRAGMA journal_mode") == "wal");
    }
    auto again = Database::open(file.str());   // opening twice does not run the migrations twice
    CHECK(again.snapshot() == Network{});
    CHECK(again.schema_version() == store::latest_schema_version());

    auto m1 = Database::open(":memory:");
    auto m2 = Database::open(":memory:");
    CHECK(m1.path() == ":memory:");
    m1.add(office, District{{}, "Only in m1", 0, 0});
    CHECK(m1.districts().size() == 1);
    CHECK(m2.districts().empty());
}

TEST_CASE("bad open arguments", "[store]") {
    CHECK_THROWS_MATCHES(Database::open(""), Error, IsError(ErrorCode::invalid, {"path"}));
    OpenOptions o;
    o.busy_timeout_ms = -1;
    CHECK_THROWS_MATCHES(Database::open(":memory:", o), Error, IsError(ErrorCode::invalid, {"busy_timeout_ms"}));
    const auto missing_dir = unique_temp_path("no_such_dir", "") / "x.psp";
    CHECK_THROWS_MATCHES(Database::open(missing_dir.string()), Error, IsError(ErrorCode::io));
    CHECK_FALSE(std::filesystem::exists(missing_dir));
}

TEST_CASE("every change has a journal row with time, actor, action, entity and details", "[store]") {
    TempFile file("store_journal");
    ManualClock clock;
    auto db = Database::open(file.str(), clock.options());

    clock.set(1000);
    const auto d1 = db.add(office, District{{}, "Shangcheng", 1.5, 2});
    const auto d2 = db.add(office, District{{}, "Binjiang", 3, 4});
    clock.set(2000);
    db.set_travel(office, {d2, d1, 20});
    const auto z = db.add(office, Zone{{}, "Hubin", d1, ZoneType::finance});
    const auto p = db.add(office, make_platform("Backbone", PlatformTier::municipal, PlatformField::technology_support,
                                                {ServiceKind::technology_rd}, true, {}, d1));
    clock.set(3000);
    const auto op = Actor::operator_of(p, "Li Lei");
    auto changed = db.get(p);
    changed.services.insert(ServiceKind::talent);
    db.update(op, changed);
    db.set_zone_service(op, {p, z, 12});
    const auto q = db.add(office, make_platform("Partner", PlatformTier::national, PlatformField::quality_testing, {}, false, {}, d2));
    db.add_link(op, {p, q, LinkKind::higher_tier});
    clock.set(4000);
    db.remove_link(op, p, q);
    db.remove_zone_service(op, p, z);
    db.remove_travel(office, d1, d2);
    db.remove(office, q);

    const auto rows = db.journal();
    REQUIRE(rows.size() == 13);
    for (std::size_t i = 0; i < rows.size(); ++i) CHECK(rows[i].seq == static_cast<std::int64_t>(i + 1));

    SECTION("an add by the office") {
        const auto& r = rows[0];
        CHECK(r.time == 1000);
        CHECK(r.actor_role == Role::promotion_office);
        CHECK(r.actor_subject == 0);
        CHECK(r.actor_name == "promotion office");
        CHECK(r.action == "add");
        CHECK(r.entity == EntityKind::district);
        CHECK(r.entity_id == d1.value);
        CHECK(json::parse(r.details) == json{{"id", 1}, {"name", "Shangcheng"}, {"x_km", 1.5}, {"y_km", 2.0}});
    }
    SECTION("a relation, stored in order") {
        const auto& r = rows[2];
        CHECK(r.time == 2000);
        CHECK(r.action == "set");
        CHECK(r.entity == EntityKind::travel);
        CHECK(r.entity_id == 0);
        CHECK(json::parse(r.details) == json{{"from", 1}, {"to", 2}, {"minutes", 20}});
    }
    SECTION("an update by an operator holds the entity after the change") {
        const auto& r = rows[5];
        CHECK(r.time == 3000);
        CHECK(r.actor_role == Role::platform_operator);
        CHECK(r.actor_subject == p.value);
        CHECK(r.actor_name == "Li Lei");
        CHECK(r.action == "update");
        CHECK(r.entity == EntityKind::platform);
        CHECK(r.entity_id == p.value);
        const auto d = json::parse(r.details);
        CHECK(d.at("services") == json{"technology_rd", "talent"});
        CHECK(d.at("tier") == "municipal");
        CHECK(d.at("parent").is_null());
        CHECK(d.at("backbone") == true);
    }
    SECTION("zone services and links name their platform") {
        CHECK(rows[6].entity == EntityKind::zone_service);
        CHECK(rows[6].entity_id == p.value);
        CHECK(json::parse(rows[6].details) == json{{"platform", p.value}, {"zone", z.value}, {"minutes", 12}});
        CHECK(rows[8].entity == EntityKind::link);
        CHECK(rows[8].entity_id == p.value);
        CHECK(json::parse(rows[8].details) == json{{"from", p.value}, {"to", q.value}, {"kind", "higher_tier"}});
    }
    SECTION("removals hold the key or the entity removed") {
        CHECK(rows[9].action == "remove");
        CHECK(rows[9].entity == EntityKind::link);
        CHECK(json::parse(rows[9].details) == json{{"from", p.value}, {"to", q.value}});
        CHECK(json::parse(rows[10].details) == json{{"platform", p.value}, {"zone", z.value}});
        CHECK(rows[11].entity == EntityKind::travel);
        CHECK(json::parse(rows[11].details) == json{{"from", 1}, {"to", 2}});
        const auto& last = rows[12];
        CHECK(last.time == 4000);
        CHECK(last.action == "remove");
        CHECK(last.entity == EntityKind::platform);
        CHECK(last.entity_id == q.value);
        CHECK(json::parse(last.details).at("name") == "Partner");
    }
    SECTION("the journal is in the file") {
        auto again = Database::open(file.str());
        CHECK(journal_lines(again.journal()) == journal_lines(rows));
    }
    SECTION("a refused change writes no row") {
        CHECK_THROWS_AS(db.add(office, District{{}, "Shangcheng", 0, 0}), Error);
        CHECK_THROWS_AS(db.add(Actor::anyone(), District{{}, "Fuyang", 0, 0}), Error);
        CHECK(db.journal().size() == 13);
    }
}

TEST_CASE("the journal is queried by entity, id and time range", "[store]") {
    ManualClock clock;
    auto db = Database::open(":memory:", clock.options());
    clock.set(100);
    const auto d1 = db.add(office, District{{}, "A", 0, 0});   // seq 1, t 100
    clock.set(200);
    const auto d2 = db.add(office, District{{}, "B", 0, 0});   // seq 2, t 200
    const auto z1 = db.add(office, Zone{{}, "Z", d1, ZoneType::finance});   // seq 3, t 200
    clock.set(300);
    db.update(office, District{d1, "A2", 1, 1});               // seq 4, t 300
    clock.set(400);
    db.update(office, Zone{z1, "Z2", d2, ZoneType::logistics});  // seq 5, t 400

    auto seqs = [&](const JournalQuery& q) {
        std::vector<std::int64_t> out;
        for (const auto& e : db.journal(q)) out.push_back(e.seq);
        return out;
    };
    using V = std::vector<std::int64_t>;
    JournalQuery q;
    CHECK(seqs(q) == V{1, 2, 3, 4, 5});

    SECTION("by entity") {
        q.entity = EntityKind::district;
        CHECK(seqs(q) == V{1, 2, 4});
        q.entity = EntityKind::platform;
        CHECK(seqs(q).empty());
    }
    SECTION("by entity and id") {
        q.entity = EntityKind::district;
        q.entity_id = d1.value;
        CHECK(seqs(q) == V{1, 4});
        q.entity = EntityKind::zone;
        CHECK(seqs(q) == V{3, 5});
    }
    SECTION("by id alone, across kinds") {
        q.entity_id = 1;
        CHECK(seqs(q) == V{1, 3, 4, 5});
    }
    SECTION("by time range [from, to)") {
        q.from = 200;
        q.to = 400;
        CHECK(seqs(q) == V{2, 3, 4});
        q.from = 200;
        q.to = 201;
        CHECK(seqs(q) == V{2, 3});
        q.from = 201;
        q.to = 300;
        CHECK(seqs(q).empty());
        q.from = 300;
        q.to = 300;   // an empty period is not an error
        CHECK(seqs(q).empty());
    }
    SECTION("open-ended ranges") {
        q.from = 300;
        CHECK(seqs(q) == V{4, 5});
        q.from.reset();
        q.to = 200;
        CHECK(seqs(q) == V{1});
    }
    SECTION("entity and time together, with a limit") {
        q.entity = EntityKind::district;
        q.from = 150;
        CHECK(seqs(q) == V{2, 4});
        q.from.reset();
        q.limit = 2;
        CHECK(seqs(q) == V{1, 2});
    }
    SECTION("a reversed time range is invalid") {
        q.from = 300;
        q.to = 200;
        CHECK_THROWS_MATCHES(db.journal(q), Error, IsError(ErrorCode::invalid, {"reversed", "200", "300"}));
    }
}

TEST_CASE("a file that is not a psp database is refused and left untouched", "[store]") {
    SECTION("a text file") {
        TempFile file("store_text", ".txt");
        std::string text;
        for (int i = 0; i < 200; ++i) text += "line " + std::to_string(i) + ": this is not a database\n";
        write_bytes(file.path(), text);
        CHECK_THROWS_MATCHES(Database::open(file.str()), Error,
                             IsError(ErrorCode::format, {file.str(), "is not a psp database"}));
        CHECK(read_bytes(file.path()) == text);
    }
    SECTION("a SQLite database of another application") {
        TempFile file("store_foreign", ".sqlite");
        {
            RawDb raw(file.str());
            raw.exec("CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT NOT NULL);"
                     "INSERT INTO notes(body) VALUES('keep me'), ('and me');");
        }
        const auto before = read_bytes(file.path());
        REQUIRE_FALSE(before.empty());
        CHECK_THROWS_MATCHES(Database::open(file.str()), Error,
                             IsError(ErrorCode::format, {file.str(), "is not a psp database"}));
        CHECK(read_bytes(file.path()) == before);
        RawDb raw(file.str());
        CHECK(raw.integer("SELECT count(*) FROM notes") == 2);
        CHECK(raw.integer("SELECT count(*) FROM sqlite_schema WHERE name = 'platforms'") == 0);
    }
    SECTION("an empty SQLite database that another application has marked as its own") {
        TempFile file("store_marked", ".sqlite");
        {
            RawDb raw(file.str());
            raw.exec("PRAGMA application_id = 305419896");   // 0x12345678
        }
        const auto before = read_bytes(file.path());
        CHECK_THROWS_MATCHES(Database::open(file.str()), Error, IsError(ErrorCode::format, {"is not a psp database"}));
        CHECK(read_bytes(file.path()) == before);
    }
}

TEST_CASE("a psp file with a newer schema is refused and left untouched", "[sqlite][store]") {
    TempFile file("store_newer");
    const int known = store::latest_schema_version(), newer = known + 1;
    Network saved;
    {
        auto db = Database::open(file.str());
        build_small_network(db);
        saved = db.snapshot();
    }
    {
        RawDb raw(file.str());
        raw.exec(("PRAGMA user_version = " + std::to_string(newer)).c_str());
    }
    const auto before = read_bytes(file.path());
    CHECK_THROWS_MATCHES(Database::open(file.str()), Error,
                         IsError(ErrorCode::format, {file.str(), "schema version " + std::to_string(newer),
                                                     "newer than the " + std::to_string(known), "upgrade psp"}));
    CHECK(read_bytes(file.path()) == before);
    {
        RawDb raw(file.str());
        CHECK(raw.integer("PRAGMA user_version") == newer);
        raw.exec(("PRAGMA user_version = " + std::to_string(known)).c_str());
    }
    // Set back to the version this library knows, the same file opens with its network intact.
    auto db = Database::open(file.str());
    CHECK(db.snapshot() == saved);
}

TEST_CASE("a truncated psp file is an error, not a crash", "[sqlite][store]") {
    TempFile whole("store_whole");
    {
        auto db = Database::open(whole.str());
        const auto n = build_small_network(db);
        // Enough rows for the file to span many pages.
        for (int i = 0; i < 300; ++i) {
            db.add(office, Enterprise{{}, "Enterprise number " + std::to_string(i) + " with a long name to fill pages",
                                      i % 2 ? n.z1 : n.z2, EnterpriseSize::small, "sector"});
        }
    }
    const auto bytes = read_bytes(whole.path());
    REQUIRE(bytes.size() >= 8 * 4096);

    for (const std::size_t cut : {bytes.size() / 2, std::size_t{4096}, bytes.size() - 4096, std::size_t{50}}) {
        INFO("keeping the first " << cut << " of " << bytes.size() << " bytes");
        TempFile part("store_truncated");
        const auto kept = bytes.substr(0, cut);
        write_bytes(part.path(), kept);
        try {
            auto db = Database::open(part.str());
            FAIL("a truncated file opened: " << db.snapshot().enterprises.size() << " enterprises");
        } catch (const Error& e) {
            INFO(e.what());
            CHECK((e.code() == ErrorCode::format || e.code() == ErrorCode::io));
        }
        CHECK(read_bytes(part.path()) == kept);
    }
    CHECK(read_bytes(whole.path()) == bytes);
}

TEST_CASE("stored rows another program damaged make the file a format error, not a crash", "[sqlite][store]") {
    TempFile file("damaged");
    {
        auto db = Database::open(file.str());
        const auto n = build_small_network(db);
        db.set_calendar(Actor::operator_of(n.tech), n.tech, Calendar::standard_working_week());
    }
    for (const char* damage : {"UPDATE platform_calendars SET calendar = 'not json'",
                               "UPDATE platform_calendars SET calendar = '{\"weekly\": 7}'"}) {
        {
            RawDb raw(file.str());
            raw.exec(damage);
        }
        CHECK_THROWS_MATCHES(Database::open(file.str()), Error, IsError(ErrorCode::format, {"does not read back"}));
    }
}

TEST_CASE("a write refused by a lock elsewhere leaves memory and file unchanged", "[sqlite][store]") {
    TempFile file("store_busy");
    auto db = Database::open(file.str(), ManualClock{}.options(/*busy_timeout_ms=*/0));
    const auto n = build_small_network(db);
    const Saved before(db);
    {
        RawDb other(file.str());
        other.exec("BEGIN IMMEDIATE");   // holds the write lock
        CHECK_THROWS_MATCHES(db.add(office, District{{}, "Fuyang", 0, 0}), Error, IsError(ErrorCode::busy, {"locked"}));
        auto p = db.get(n.tech);
        p.name = "Renamed";
        CHECK_THROWS_MATCHES(db.update(office, p), Error, IsError(ErrorCode::busy));
        CHECK_THROWS_MATCHES(db.remove(office, n.bolt), Error, IsError(ErrorCode::busy));
        CHECK_THROWS_MATCHES(db.set_travel(office, {n.d1, n.d2, 99}), Error, IsError(ErrorCode::busy));
        CHECK_THROWS_MATCHES(db.remove_link(office, n.tech, n.quality), Error, IsError(ErrorCode::busy));
        // Reads are not blocked, and show nothing of the refused changes.
        CHECK(db.snapshot() == before.network());
        CHECK(db.get(n.tech).name == "Tech backbone");
        CHECK(db.contains(n.bolt));
        other.exec("ROLLBACK");
    }
    before.check_unchanged(db);
    // With the lock gone the same change succeeds, with the id it would have had.
    CHECK(db.add(office, District{{}, "Fuyang", 0, 0}) == DistrictId(4));
    CHECK(db.journal().size() == small_network_changes + 1);
}

TEST_CASE("a write that fails after the entity row leaves nothing behind", "[sqlite][store]") {
    // Another program makes the journal refuse rows: the entity row is written first in the same
    // transaction, so this checks that a failure part-way rolls everything back, memory included.
    TempFile file("store_rollback");
    auto db = Database::open(file.str());
    const auto n = build_small_network(db);
    const Saved before(db);
    {
        RawDb other(file.str());
        other.exec("CREATE TRIGGER psp_test_no_journal BEFORE INSERT ON journal "
                   "BEGIN SELECT RAISE(ABORT, 'journal closed for the test'); END;");
    }
    // Another connection changed the file: a change is refused as checked against a stale model
    // until the database reads the file again.
    CHECK_THROWS_MATCHES(db.add(office, District{{}, "Fuyang", 0, 0}), Error, IsError(ErrorCode::busy, {"another connection"}));
    db.reload();
    CHECK_THROWS_MATCHES(db.add(office, District{{}, "Fuyang", 0, 0}), Error,
                         IsError(ErrorCode::invalid, {"journal closed for the test"}));
    auto a = db.get(n.alliance);
    a.members.pop_back();
    CHECK_THROWS_AS(db.update(office, a), Error);   // alliance row and member rows, then the journal
    CHECK_THROWS_AS(db.remove(office, n.ip), Error);
    CHECK_THROWS_AS(db.set_zone_service(office, {n.ip, n.z2, 7}), Error);
    CHECK(db.snapshot() == before.network());
    CHECK(db.get(n.alliance).members.size() == 3);
    {
        RawDb other(file.str());
        other.exec("DROP TRIGGER psp_test_no_journal");
        CHECK(other.integer("SELECT count(*) FROM districts") == 3);
        CHECK(other.integer("SELECT count(*) FROM alliance_members") == 3);
        CHECK(other.integer("SELECT count(*) FROM platforms") == 4);
    }
    before.check_unchanged(db);
    db.reload();
    CHECK(db.add(office, District{{}, "Fuyang", 0, 0}) == DistrictId(4));
}
