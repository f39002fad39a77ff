// Reading and writing psp rows with cached prepared statements.
#include "store/store.hpp"

#include <algorithm>
#include <limits>
#include <utility>

#include <sqlite3.h>

#include "store/schema.hpp"
#include "store/sqlite.hpp"

namespace psp::store {

namespace {
template <class E>
E enum_at(const Statement& st, int column) {
    return static_cast<E>(st.int32(column));
}
int as_int(auto e) { return static_cast<int>(e); }

// Relations are symmetric for travel: stored once with a < b.
std::pair<std::int64_t, std::int64_t> ordered(DistrictId a, DistrictId b) {
    return std::minmax(a.value, b.value);
}
}  // namespace

Store::Store(const std::string& path, int busy_timeout_ms) : conn_(open_connection(path, busy_timeout_ms)) {
    schema_version_ = prepare_schema(*conn_);
}

Store::Store(Store& source, InMemoryCopy) {
    auto memory = std::make_unique<SqliteConnection>(":memory:", 0);
    if (source.conn_->dialect() == Dialect::sqlite) {
        // SQLite's online backup copies the pages as committed.
        auto& from = static_cast<SqliteConnection&>(*source.conn_);
        sqlite3_backup* backup = sqlite3_backup_init(memory->handle(), "main", from.handle(), "main");
        if (!backup) memory->fail(sqlite3_errcode(memory->handle()), "copying the database into memory");
        const int step = sqlite3_backup_step(backup, -1);
        const int finish = sqlite3_backup_finish(backup);
        if (step != SQLITE_DONE) from.fail(step, "copying the database into memory");
        if (finish != SQLITE_OK) memory->fail(finish, "copying the database into memory");
        schema_version_ = prepare_schema(*memory);
    } else {
        schema_version_ = prepare_schema(*memory);
        copy_tables(*source.conn_, *memory);
    }
    conn_ = std::move(memory);
}

Statement& Store::cached(const char* sql) {
    auto it = statements_.find(sql);
    if (it == statements_.end()) {
        it = statements_.emplace(sql, std::make_unique<Statement>(conn_->prepare(sql))).first;
    }
    it->second->reset();
    return *it->second;
}

// --- Districts
void Store::insert(const District& d) {
    cached("INSERT INTO districts(id, name, x_km, y_km) VALUES(?1, ?2, ?3, ?4)")
        .bind(1, d.id.value).bind(2, d.name).bind(3, d.x_km).bind(4, d.y_km).run();
}
void Store::update(const District& d) {
    cached("UPDATE districts SET name=?2, x_km=?3, y_km=?4 WHERE id=?1")
        .bind(1, d.id.value).bind(2, d.name).bind(3, d.x_km).bind(4, d.y_km).run();
}
void Store::erase(DistrictId id) {
    cached("DELETE FROM district_travel WHERE a=?1 OR b=?1").bind(1, id.value).run();
    cached("DELETE FROM districts WHERE id=?1").bind(1, id.value).run();
}

// --- Zones
void Store::insert(const Zone& z) {
    cached("INSERT INTO zones(id, name, district, type) VALUES(?1, ?2, ?3, ?4)")
        .bind(1, z.id.value).bind(2, z.name).bind(3, z.district.value).bind(4, as_int(z.type)).run();
}
void Store::update(const Zone& z) {
    cached("UPDATE zones SET name=?2, district=?3, type=?4 WHERE id=?1")
        .bind(1, z.id.value).bind(2, z.name).bind(3, z.district.value).bind(4, as_int(z.type)).run();
}
void Store::erase(ZoneId id) {
    cached("DELETE FROM zone_services WHERE zone=?1").bind(1, id.value).run();
    cached("DELETE FROM zones WHERE id=?1").bind(1, id.value).run();
}

// --- Platforms
namespace {
void bind_platform(Statement& st, const Platform& p) {
    st.bind(1, p.id.value).bind(2, p.name).bind(3, as_int(p.tier)).bind(4, as_int(p.field))
        .bind(5, as_int(p.operator_model)).bind(6, static_cast<std::int64_t>(p.services.mask()))
        .bind(7, p.backbone ? 1 : 0).bind(9, p.site.value).bind(10, as_int(p.status));
    if (p.parent) st.bind(8, p.parent.value); else st.bind_null(8);
}
}  // namespace
void Store::insert(const Platform& p) {
    auto& st = cached("INSERT INTO platforms(id, name, tier, field, operator_model, services, backbone, parent, "
                      "site, status) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    bind_platform(st, p);
    st.run();
}
void Store::update(const Platform& p) {
    auto& st = cached("UPDATE platforms SET name=?2, tier=?3, field=?4, operator_model=?5, services=?6, "
                      "backbone=?7, parent=?8, site=?9, status=?10 WHERE id=?1");
    bind_platform(st, p);
    st.run();
}
void Store::erase(PlatformId id) {
    cached("DELETE FROM platform_calendars WHERE platform=?1").bind(1, id.value).run();
    cached("DELETE FROM zone_services WHERE platform=?1").bind(1, id.value).run();
    cached("DELETE FROM platform_links WHERE from_platform=?1 OR to_platform=?1").bind(1, id.value).run();
    cached("DELETE FROM platforms WHERE id=?1").bind(1, id.value).run();
}

// --- Alliances
void Store::write_members(const Alliance& a) {
    cached("DELETE FROM alliance_members WHERE alliance=?1").bind(1, a.id.value).run();
    auto& st = cached("INSERT INTO alliance_members(alliance, platform, role, position) VALUES(?1, ?2, ?3, ?4)");
    int position = 0;
    for (const auto& m : a.members) {
        st.reset();
        st.bind(1, a.id.value).bind(2, m.platform.value).bind(3, as_int(m.role)).bind(4, position++).run();
    }
}
void Store::insert(const Alliance& a) {
    cached("INSERT INTO alliances(id, name, scope, sector, breadth, lead, one_stop) "
           "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)")
        .bind(1, a.id.value).bind(2, a.name).bind(3, as_int(a.scope)).bind(4, as_int(a.sector))
        .bind(5, as_int(a.breadth)).bind(6, a.lead.value).bind(7, a.one_stop ? 1 : 0).run();
    write_members(a);
}
void Store::update(const Alliance& a) {
    cached("UPDATE alliances SET name=?2, scope=?3, sector=?4, breadth=?5, lead=?6, one_stop=?7 WHERE id=?1")
        .bind(1, a.id.value).bind(2, a.name).bind(3, as_int(a.scope)).bind(4, as_int(a.sector))
        .bind(5, as_int(a.breadth)).bind(6, a.lead.value).bind(7, a.one_stop ? 1 : 0).run();
    write_members(a);
}
void Store::erase(AllianceId id) {
    cached("DELETE FROM alliance_members WHERE alliance=?1").bind(1, id.value).run();
    cached("DELETE FROM alliances WHERE id=?1").bind(1, id.value).run();
}

// --- Equipment classes
void Store::insert(const EquipmentClass& c) {
    cached("INSERT INTO equipment_classes(id, name, category) VALUES(?1, ?2, ?3)")
        .bind(1, c.id.value).bind(2, c.name).bind(3, c.category).run();
}
void Store::update(const EquipmentClass& c) {
    cached("UPDATE equipment_classes SET name=?2, category=?3 WHERE id=?1")
        .bind(1, c.id.value).bind(2, c.name).bind(3, c.category).run();
}
void Store::erase(EquipmentClassId id) {
    cached("DELETE FROM training WHERE equipment_class=?1").bind(1, id.value).run();
    cached("DELETE FROM equipment_classes WHERE id=?1").bind(1, id.value).run();
}

// --- Equipment
void Store::insert(const Equipment& e) {
    cached("INSERT INTO equipment(id, name, class, owner, capacity, site, purchase_value) "
           "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)")
        .bind(1, e.id.value).bind(2, e.name).bind(3, e.equipment_class.value).bind(4, e.owner.value)
        .bind(5, e.capacity_units).bind(6, e.site.value).bind(7, e.purchase_value).run();
}
void Store::update(const Equipment& e) {
    cached("UPDATE equipment SET name=?2, class=?3, owner=?4, capacity=?5, site=?6, purchase_value=?7 WHERE id=?1")
        .bind(1, e.id.value).bind(2, e.name).bind(3, e.equipment_class.value).bind(4, e.owner.value)
        .bind(5, e.capacity_units).bind(6, e.site.value).bind(7, e.purchase_value).run();
}
void Store::erase(EquipmentId id) {
    cached("DELETE FROM equipment_booking WHERE equipment=?1").bind(1, id.value).run();
    cached("DELETE FROM equipment WHERE id=?1").bind(1, id.value).run();
}

// --- Enterprises
void Store::insert(const Enterprise& e) {
    cached("INSERT INTO enterprises(id, name, zone, size, sector) VALUES(?1, ?2, ?3, ?4, ?5)")
        .bind(1, e.id.value).bind(2, e.name).bind(3, e.zone.value).bind(4, as_int(e.size)).bind(5, e.sector).run();
}
void Store::update(const Enterprise& e) {
    cached("UPDATE enterprises SET name=?2, zone=?3, size=?4, sector=?5 WHERE id=?1")
        .bind(1, e.id.value).bind(2, e.name).bind(3, e.zone.value).bind(4, as_int(e.size)).bind(5, e.sector).run();
}
void Store::erase(EnterpriseId id) {
    cached("DELETE FROM training WHERE enterprise=?1").bind(1, id.value).run();
    cached("DELETE FROM enterprises WHERE id=?1").bind(1, id.value).run();
}

// --- Relations
void Store::put(const DistrictTravel& t) {
    const auto [a, b] = ordered(t.from, t.to);
    cached("INSERT INTO district_travel(a, b, minutes) VALUES(?1, ?2, ?3) "
           "ON CONFLICT(a, b) DO UPDATE SET minutes=excluded.minutes")
        .bind(1, a).bind(2, b).bind(3, t.minutes).run();
}
void Store::erase_travel(DistrictId x, DistrictId y) {
    const auto [a, b] = ordered(x, y);
    cached("DELETE FROM district_travel WHERE a=?1 AND b=?2").bind(1, a).bind(2, b).run();
}
void Store::put(const ZoneService& s) {
    cached("INSERT INTO zone_services(platform, zone, minutes) VALUES(?1, ?2, ?3) "
           "ON CONFLICT(platform, zone) DO UPDATE SET minutes=excluded.minutes")
        .bind(1, s.platform.value).bind(2, s.zone.value).bind(3, s.minutes).run();
}
void Store::erase_zone_service(PlatformId p, ZoneId z) {
    cached("DELETE FROM zone_services WHERE platform=?1 AND zone=?2").bind(1, p.value).bind(2, z.value).run();
}
void Store::put(const PlatformLink& l) {
    cached("INSERT INTO platform_links(from_platform, to_platform, kind) VALUES(?1, ?2, ?3) "
           "ON CONFLICT(from_platform, to_platform) DO UPDATE SET kind=excluded.kind")
        .bind(1, l.from.value).bind(2, l.to.value).bind(3, as_int(l.kind)).run();
}
void Store::erase_link(PlatformId from, PlatformId to) {
    cached("DELETE FROM platform_links WHERE from_platform=?1 AND to_platform=?2")
        .bind(1, from.value).bind(2, to.value).run();
}

// --- Booking
void Store::put_platform_calendar(PlatformId p, const std::string& calendar) {
    cached("INSERT INTO platform_calendars(platform, calendar) VALUES(?1, ?2) "
           "ON CONFLICT(platform) DO UPDATE SET calendar=excluded.calendar")
        .bind(1, p.value).bind(2, calendar).run();
}
void Store::put_equipment_booking(EquipmentId e, const std::string* rules, const std::string* calendar) {
    auto& st = cached("INSERT INTO equipment_booking(equipment, rules, calendar) VALUES(?1, ?2, ?3) "
                      "ON CONFLICT(equipment) DO UPDATE SET rules=excluded.rules, calendar=excluded.calendar");
    st.bind(1, e.value);
    if (rules) st.bind(2, *rules); else st.bind_null(2);
    if (calendar) st.bind(3, *calendar); else st.bind_null(3);
    st.run();
}
void Store::put_training(EnterpriseId e, EquipmentClassId c, bool trained) {
    if (trained) {
        cached("INSERT INTO training(enterprise, equipment_class) VALUES(?1, ?2) ON CONFLICT DO NOTHING").bind(1, e.value).bind(2, c.value).run();
    } else {
        cached("DELETE FROM training WHERE enterprise=?1 AND equipment_class=?2").bind(1, e.value).bind(2, c.value).run();
    }
}
void Store::insert(const Booking& b) {
    cached("INSERT INTO bookings(id, equipment, enterprise, start, \"end\", units, status, created, fee, note, series) "
           "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")
        .bind(1, b.id.value).bind(2, b.equipment.value).bind(3, b.enterprise.value).bind(4, b.period.start)
        .bind(5, b.period.end).bind(6, b.units).bind(7, as_int(b.status)).bind(8, b.created)
        .bind(9, b.cancellation_fee).bind(10, b.note).bind(11, b.series).run();
}
void Store::update_status(const Booking& b) {
    cached("UPDATE bookings SET status=?2, fee=?3 WHERE id=?1")
        .bind(1, b.id.value).bind(2, as_int(b.status)).bind(3, b.cancellation_fee).run();
}
void Store::put_tariff(EquipmentId e, const std::string& json) {
    cached("INSERT INTO equipment_tariffs(equipment, tariff) VALUES(?1, ?2) "
           "ON CONFLICT(equipment) DO UPDATE SET tariff=excluded.tariff").bind(1, e.value).bind(2, json).run();
}
void Store::put_voucher_scheme(VoucherSchemeId s, const std::string& json) {
    cached("INSERT INTO voucher_schemes(id, scheme) VALUES(?1, ?2) "
           "ON CONFLICT(id) DO UPDATE SET scheme=excluded.scheme").bind(1, s.value).bind(2, json).run();
}
void Store::put_booking_price(BookingId b, const std::string& json) {
    cached("INSERT INTO booking_prices(booking, price) VALUES(?1, ?2) "
           "ON CONFLICT(booking) DO UPDATE SET price=excluded.price").bind(1, b.value).bind(2, json).run();
}
void Store::insert(const VoucherMovement& m) {
    cached("INSERT INTO voucher_movements(scheme, platform, enterprise, booking, year, at, amount) "
           "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)")
        .bind(1, m.scheme.value).bind(2, m.platform.value).bind(3, m.enterprise.value).bind(4, m.booking.value)
        .bind(5, m.year).bind(6, m.at).bind(7, m.amount).run();
}
Store::PricingRows Store::load_pricing() {
    PricingRows r;
    auto t = conn_->prepare("SELECT equipment, tariff FROM equipment_tariffs ORDER BY equipment");
    while (t.step()) r.tariffs.emplace_back(EquipmentId(t.int64(0)), t.text(1));
    auto s = conn_->prepare("SELECT id, scheme FROM voucher_schemes ORDER BY id");
    while (s.step()) r.schemes.emplace_back(VoucherSchemeId(s.int64(0)), s.text(1));
    r.prices = load_booking_prices_from(BookingId(1));
    r.movements = load_voucher_movements_from(0);
    return r;
}

void Store::insert(const WaitlistEntry& w) {
    cached("INSERT INTO waitlist(id, equipment, enterprise, start, \"end\", units, note, created, status, booking, voucher) "
           "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")
        .bind(1, w.id.value).bind(2, w.request.equipment.value).bind(3, w.request.enterprise.value)
        .bind(4, w.request.period.start).bind(5, w.request.period.end).bind(6, w.request.units)
        .bind(7, w.request.note).bind(8, w.created).bind(9, as_int(w.status)).bind(10, w.booking.value)
        .bind(11, w.request.voucher.value).run();
}
void Store::update_status(const WaitlistEntry& w) {
    cached("UPDATE waitlist SET status=?2, booking=?3 WHERE id=?1")
        .bind(1, w.id.value).bind(2, as_int(w.status)).bind(3, w.booking.value).run();
}
std::vector<WaitlistEntry> Store::load_waitlist() {
    std::vector<WaitlistEntry> out;
    auto st = conn_->prepare("SELECT id, equipment, enterprise, start, \"end\", units, note, created, status, booking, voucher "
                            "FROM waitlist ORDER BY id");
    while (st.step()) {
        WaitlistEntry w;
        w.id = WaitlistId(st.int64(0));
        w.request.equipment = EquipmentId(st.int64(1));
        w.request.enterprise = EnterpriseId(st.int64(2));
        w.request.period = {st.int64(3), st.int64(4)};
        w.request.units = st.int32(5);
        w.request.note = st.text(6);
        w.created = st.int64(7);
        w.status = enum_at<WaitStatus>(st, 8);
        w.booking = BookingId(st.int64(9));
        w.request.voucher = VoucherSchemeId(st.int64(10));
        out.push_back(std::move(w));
    }
    return out;
}

Store::BookingSetup Store::load_booking_setup() {
    BookingSetup s;
    auto pc = conn_->prepare("SELECT platform, calendar FROM platform_calendars ORDER BY platform");
    while (pc.step()) s.platform_calendars.emplace_back(PlatformId(pc.int64(0)), pc.text(1));
    auto eb = conn_->prepare("SELECT equipment, rules, calendar FROM equipment_booking ORDER BY equipment");
    while (eb.step()) s.equipment.emplace_back(EquipmentId(eb.int64(0)), eb.text(1), eb.text(2));
    auto tr = conn_->prepare("SELECT enterprise, equipment_class FROM training ORDER BY enterprise, equipment_class");
    while (tr.step()) s.training.emplace_back(EnterpriseId(tr.int64(0)), EquipmentClassId(tr.int64(1)));
    return s;
}
namespace {
Booking read_booking(const Statement& st) {
    Booking b;
    b.id = BookingId(st.int64(0));
    b.equipment = EquipmentId(st.int64(1));
    b.enterprise = EnterpriseId(st.int64(2));
    b.period = {st.int64(3), st.int64(4)};
    b.units = st.int32(5);
    b.status = enum_at<BookingStatus>(st, 6);
    b.created = st.int64(7);
    b.cancellation_fee = st.int64(8);
    b.note = st.text(9);
    b.series = st.int64(10);
    return b;
}
}  // namespace

std::vector<Booking> Store::load_bookings() {
    std::vector<Booking> out;
    auto st = conn_->prepare("SELECT id, equipment, enterprise, start, \"end\", units, status, created, fee, note, series "
                            "FROM bookings ORDER BY id");
    while (st.step()) out.push_back(read_booking(st));
    return out;
}

std::vector<Booking> Store::load_bookings_changed(std::int64_t after_seq, BookingId first_new) {
    std::vector<Booking> out;
    // Two searches of the primary key (an OR of both would scan the table on SQLite).
    auto& st = cached("SELECT id, equipment, enterprise, start, \"end\", units, status, created, fee, note, series "
                      "FROM bookings WHERE id >= ?2 UNION "
                      "SELECT id, equipment, enterprise, start, \"end\", units, status, created, fee, note, series "
                      "FROM bookings WHERE id IN "
                      "(SELECT entity_id FROM journal WHERE seq > ?1 AND entity = ?3 AND entity_id > 0) ORDER BY 1");
    st.bind(1, after_seq).bind(2, first_new.value).bind(3, as_int(EntityKind::booking));
    while (st.step()) out.push_back(read_booking(st));
    st.reset();
    return out;
}

std::vector<std::pair<BookingId, std::string>> Store::load_booking_prices_from(BookingId first) {
    std::vector<std::pair<BookingId, std::string>> out;
    auto& st = cached("SELECT booking, price FROM booking_prices WHERE booking >= ?1 ORDER BY booking");
    st.bind(1, first.value);
    while (st.step()) out.emplace_back(BookingId(st.int64(0)), st.text(1));
    st.reset();
    return out;
}

std::vector<Store::VoucherMovement> Store::load_voucher_movements_from(std::size_t skip) {
    std::vector<VoucherMovement> out;
    auto& st = cached("SELECT scheme, platform, enterprise, booking, year, at, amount FROM voucher_movements "
                      "ORDER BY id LIMIT ?1 OFFSET ?2");
    st.bind(1, std::numeric_limits<std::int64_t>::max()).bind(2, static_cast<std::int64_t>(skip));
    while (st.step()) {
        out.push_back({VoucherSchemeId(st.int64(0)), PlatformId(st.int64(1)), EnterpriseId(st.int64(2)),
                       BookingId(st.int64(3)), st.int32(4), st.int64(5), st.int64(6)});
    }
    st.reset();
    return out;
}

// --- Journal
void Store::append(const JournalEntry& e, std::int64_t seq) {
    cached("INSERT INTO journal(seq, time, actor_role, actor_subject, actor_name, action, entity, entity_id, details) "
           "VALUES(?9, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
        .bind(1, e.time).bind(2, as_int(e.actor_role)).bind(3, e.actor_subject).bind(4, e.actor_name)
        .bind(5, e.action).bind(6, as_int(e.entity)).bind(7, e.entity_id).bind(8, e.details).bind(9, seq).run();
}

std::int64_t Store::last_journal_seq() {
    auto& st = cached("SELECT coalesce(max(seq), 0) FROM journal");
    const std::int64_t seq = st.step() ? st.int64(0) : 0;
    st.reset();
    return seq;
}

std::vector<Store::JournalMark> Store::journal_since(std::int64_t after_seq) {
    std::vector<JournalMark> out;
    auto& st = cached("SELECT seq, entity, entity_id, action FROM journal WHERE seq > ?1 ORDER BY seq");
    st.bind(1, after_seq);
    while (st.step()) out.push_back({st.int64(0), static_cast<EntityKind>(st.int32(1)), st.int64(2), st.text(3)});
    st.reset();
    return out;
}

std::vector<JournalEntry> Store::journal(const JournalQuery& q) {
    // NULL parameters mean "any", so one statement serves every filter combination. The casts
    // tell PostgreSQL the parameters' type where "?N IS NULL" alone does not.
    auto& st = cached("SELECT seq, time, actor_role, actor_subject, actor_name, action, entity, entity_id, details "
                      "FROM journal WHERE (CAST(?1 AS BIGINT) IS NULL OR entity=?1) "
                      "AND (CAST(?2 AS BIGINT) IS NULL OR entity_id=?2) AND (CAST(?3 AS BIGINT) IS NULL OR time>=?3) "
                      "AND (CAST(?4 AS BIGINT) IS NULL OR time<?4) ORDER BY seq LIMIT ?5");
    if (q.entity) st.bind(1, as_int(*q.entity)); else st.bind_null(1);
    if (q.entity_id) st.bind(2, *q.entity_id); else st.bind_null(2);
    if (q.from) st.bind(3, *q.from); else st.bind_null(3);
    if (q.to) st.bind(4, *q.to); else st.bind_null(4);
    // No limit: the largest count both engines take (SQLite's -1 means none, PostgreSQL refuses it).
    st.bind(5, q.limit == 0 ? std::numeric_limits<std::int64_t>::max() : static_cast<std::int64_t>(q.limit));
    std::vector<JournalEntry> out;
    while (st.step()) {
        JournalEntry e;
        e.seq = st.int64(0);
        e.time = st.int64(1);
        e.actor_role = enum_at<Role>(st, 2);
        e.actor_subject = st.int64(3);
        e.actor_name = st.text(4);
        e.action = st.text(5);
        e.entity = enum_at<EntityKind>(st, 6);
        e.entity_id = st.int64(7);
        e.details = st.text(8);
        out.push_back(std::move(e));
    }
    st.reset();
    return out;
}

// --- Loading
bool Store::empty() {
    auto& st = cached("SELECT (SELECT count(*) FROM districts) + (SELECT count(*) FROM equipment_classes)");
    const bool is_empty = st.step() && st.int64(0) == 0;
    st.reset();
    return is_empty;
}

Network Store::load() {
    Network n;
    {
        auto st = conn_->prepare("SELECT id, name, x_km, y_km FROM districts ORDER BY id");
        while (st.step()) n.districts.push_back({DistrictId(st.int64(0)), st.text(1), st.real(2), st.real(3)});
    }
    {
        auto st = conn_->prepare("SELECT a, b, minutes FROM district_travel ORDER BY a, b");
        while (st.step()) n.travel.push_back({DistrictId(st.int64(0)), DistrictId(st.int64(1)), st.int32(2)});
    }
    {
        auto st = conn_->prepare("SELECT id, name, district, type FROM zones ORDER BY id");
        while (st.step()) {
            n.zones.push_back({ZoneId(st.int64(0)), st.text(1), DistrictId(st.int64(2)), enum_at<ZoneType>(st, 3)});
        }
    }
    {
        auto st = conn_->prepare("SELECT id, name, tier, field, operator_model, services, backbone, parent, site, "
                                "status FROM platforms ORDER BY id");
        while (st.step()) {
            Platform p;
            p.id = PlatformId(st.int64(0));
            p.name = st.text(1);
            p.tier = enum_at<PlatformTier>(st, 2);
            p.field = enum_at<PlatformField>(st, 3);
            p.operator_model = enum_at<OperatorModel>(st, 4);
            p.services = ServiceSet(static_cast<std::uint32_t>(st.int64(5)));
            p.backbone = st.int32(6) != 0;
            p.parent = st.is_null(7) ? PlatformId() : PlatformId(st.int64(7));
            p.site = DistrictId(st.int64(8));
            p.status = enum_at<PlatformStatus>(st, 9);
            n.platforms.push_back(std::move(p));
        }
    }
    {
        auto st = conn_->prepare("SELECT platform, zone, minutes FROM zone_services ORDER BY platform, zone");
        while (st.step()) n.zone_services.push_back({PlatformId(st.int64(0)), ZoneId(st.int64(1)), st.int32(2)});
    }
    {
        auto st = conn_->prepare("SELECT from_platform, to_platform, kind FROM platform_links "
                                "ORDER BY from_platform, to_platform");
        while (st.step()) {
            n.links.push_back({PlatformId(st.int64(0)), PlatformId(st.int64(1)), enum_at<LinkKind>(st, 2)});
        }
    }
    {
        auto st = conn_->prepare("SELECT id, name, scope, sector, breadth, lead, one_stop FROM alliances ORDER BY id");
        while (st.step()) {
            Alliance a;
            a.id = AllianceId(st.int64(0));
            a.name = st.text(1);
            a.scope = enum_at<AllianceScope>(st, 2);
            a.sector = enum_at<AllianceSector>(st, 3);
            a.breadth = enum_at<AllianceBreadth>(st, 4);
            a.lead = PlatformId(st.int64(5));
            a.one_stop = st.int32(6) != 0;
            n.alliances.push_back(std::move(a));
        }
        auto ms = conn_->prepare("SELECT alliance, platform, role FROM alliance_members ORDER BY alliance, position");
        std::size_t i = 0;
        while (ms.step()) {
            const AllianceId aid(ms.int64(0));
            while (i < n.alliances.size() && n.alliances[i].id < aid) ++i;
            if (i < n.alliances.size() && n.alliances[i].id == aid) {
                n.alliances[i].members.push_back({PlatformId(ms.int64(1)), enum_at<MemberRole>(ms, 2)});
            }
        }
    }
    {
        auto st = conn_->prepare("SELECT id, name, category FROM equipment_classes ORDER BY id");
        while (st.step()) n.equipment_classes.push_back({EquipmentClassId(st.int64(0)), st.text(1), st.text(2)});
    }
    {
        auto st = conn_->prepare("SELECT id, name, class, owner, capacity, site, purchase_value FROM equipment ORDER BY id");
        while (st.step()) {
            n.equipment.push_back({EquipmentId(st.int64(0)), st.text(1), EquipmentClassId(st.int64(2)),
                                   PlatformId(st.int64(3)), st.int32(4), DistrictId(st.int64(5)), st.int64(6)});
        }
    }
    {
        auto st = conn_->prepare("SELECT id, name, zone, size, sector FROM enterprises ORDER BY id");
        while (st.step()) {
            n.enterprises.push_back({EnterpriseId(st.int64(0)), st.text(1), ZoneId(st.int64(2)),
                                     enum_at<EnterpriseSize>(st, 3), st.text(4)});
        }
    }
    return n;
}

}  // namespace psp::store
