// Rows of coordination and settlement: service capacities, one-stop policies, settlement rules
// and served requests (schema migration 3).
#include <charconv>
#include <string>

#include "psp/error.hpp"
#include "store/store.hpp"

namespace psp::store {
namespace {

std::string chain_text(const std::vector<PlatformId>& chain) {
    std::string out;
    for (const auto& p : chain) {
        if (!out.empty()) out += ',';
        out += std::to_string(p.value);
    }
    return out;
}

std::vector<PlatformId> chain_from(const std::string& text, std::int64_t row) {
    std::vector<PlatformId> out;
    const char* p = text.data();
    const char* end = p + text.size();
    while (p < end) {
        std::int64_t v = 0;
        auto [next, ec] = std::from_chars(p, end, v);
        if (ec != std::errc() || v <= 0 || (next < end && *next != ',')) {
            throw Error(ErrorCode::format, "served request " + std::to_string(row) + ": bad referral chain '" + text + "'");
        }
        out.emplace_back(v);
        p = next < end ? next + 1 : next;
    }
    return out;
}

}  // namespace

void Store::put(const ServiceCapacity& c) {
    cached("INSERT INTO service_capacity(platform, kind, cases_per_week) VALUES(?1, ?2, ?3) "
           "ON CONFLICT(platform, kind) DO UPDATE SET cases_per_week=excluded.cases_per_week")
        .bind(1, c.platform.value).bind(2, static_cast<int>(c.kind)).bind(3, c.cases_per_week).run();
}

std::vector<ServiceCapacity> Store::load_service_capacity() {
    std::vector<ServiceCapacity> out;
    auto st = conn_->prepare("SELECT platform, kind, cases_per_week FROM service_capacity ORDER BY platform, kind");
    while (st.step()) out.push_back({PlatformId(st.int64(0)), static_cast<ServiceKind>(st.int32(1)), st.int32(2)});
    return out;
}

void Store::put_alliance_policy(AllianceId a, const std::string& json) {
    cached("INSERT INTO alliance_policies(alliance, policy) VALUES(?1, ?2) "
           "ON CONFLICT(alliance) DO UPDATE SET policy=excluded.policy").bind(1, a.value).bind(2, json).run();
}

std::vector<std::pair<AllianceId, std::string>> Store::load_alliance_policies() {
    std::vector<std::pair<AllianceId, std::string>> out;
    auto st = conn_->prepare("SELECT alliance, policy FROM alliance_policies ORDER BY alliance");
    while (st.step()) out.emplace_back(AllianceId(st.int64(0)), st.text(1));
    return out;
}

void Store::put(const AllianceSettlementRule& r) {
    cached("INSERT INTO settlement_rules(alliance, serving_bp, referring_bp, pool_bp) VALUES(?1, ?2, ?3, ?4) "
           "ON CONFLICT(alliance) DO UPDATE SET serving_bp=excluded.serving_bp, referring_bp=excluded.referring_bp, "
           "pool_bp=excluded.pool_bp")
        .bind(1, r.alliance.value).bind(2, r.rule.serving_bp).bind(3, r.rule.referring_bp).bind(4, r.rule.pool_bp).run();
}

std::vector<AllianceSettlementRule> Store::load_settlement_rules() {
    std::vector<AllianceSettlementRule> out;
    auto st = conn_->prepare("SELECT alliance, serving_bp, referring_bp, pool_bp FROM settlement_rules ORDER BY alliance");
    while (st.step()) out.push_back({AllianceId(st.int64(0)), {st.int32(1), st.int32(2), st.int32(3)}});
    return out;
}

namespace {

// The request's columns, shared by served and unmet requests: bound at ?3 … ?14, read at 2 … 13.
void bind_request(Statement& st, const ServiceRequest& q) {
    st.bind(3, q.enterprise.value).bind(4, static_cast<int>(q.kind)).bind(5, q.equipment_class.value)
        .bind(6, q.window.start).bind(7, q.window.end).bind(8, q.minutes).bind(9, q.units);
    if (q.price_ceiling) st.bind(10, *q.price_ceiling); else st.bind_null(10);
    st.bind(11, q.voucher.value).bind(12, q.received_by.value).bind(13, q.front_door.value).bind(14, q.note);
}

ServiceRequest read_request(Statement& st) {
    ServiceRequest q;
    q.enterprise = EnterpriseId(st.int64(2));
    q.kind = static_cast<ServiceKind>(st.int32(3));
    q.equipment_class = EquipmentClassId(st.int64(4));
    q.window = {st.int64(5), st.int64(6)};
    q.minutes = st.int32(7);
    q.units = st.int32(8);
    if (!st.is_null(9)) q.price_ceiling = st.int64(9);
    q.voucher = VoucherSchemeId(st.int64(10));
    q.received_by = PlatformId(st.int64(11));
    q.front_door = AllianceId(st.int64(12));
    q.note = st.text(13);
    return q;
}

}  // namespace

void Store::insert(const ServedRequest& s) {
    const ServiceRequest& q = s.request;
    const Offer& o = s.offer;
    auto& st = cached(
        "INSERT INTO served_requests(id, at, enterprise, kind, equipment_class, window_start, window_end, minutes, "
        "units, price_ceiling, voucher, received_by, front_door, note, platform, equipment, start, \"end\", gross, "
        "enterprise_pays, voucher_pays, scheme, voucher_note, travel_minutes, tier, alliance, chain, referral_hops, "
        "score, booking) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, "
        "?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30)");
    st.bind(1, s.id.value).bind(2, s.at);
    bind_request(st, q);
    st.bind(15, o.platform.value).bind(16, o.equipment.value).bind(17, o.slot.start).bind(18, o.slot.end)
        .bind(19, o.price.gross).bind(20, o.price.enterprise_pays).bind(21, o.price.voucher_pays)
        .bind(22, o.price.scheme.value).bind(23, o.price.voucher_note).bind(24, o.travel_minutes)
        .bind(25, static_cast<int>(o.tier)).bind(26, o.alliance.value).bind(27, chain_text(o.chain))
        .bind(28, o.referral_hops).bind(29, o.score).bind(30, s.booking.value).run();
}

std::vector<ServedRequest> Store::load_served_requests(ServedRequestId from) {
    std::vector<ServedRequest> out;
    auto st = conn_->prepare(
        "SELECT id, at, enterprise, kind, equipment_class, window_start, window_end, minutes, units, price_ceiling, "
        "voucher, received_by, front_door, note, platform, equipment, start, \"end\", gross, enterprise_pays, "
        "voucher_pays, scheme, voucher_note, travel_minutes, tier, alliance, chain, referral_hops, score, booking "
        "FROM served_requests WHERE id >= ?1 ORDER BY id");
    st.bind(1, from.value);
    while (st.step()) {
        ServedRequest s;
        s.id = ServedRequestId(st.int64(0));
        s.at = st.int64(1);
        s.request = read_request(st);
        Offer& o = s.offer;
        o.platform = PlatformId(st.int64(14));
        o.equipment = EquipmentId(st.int64(15));
        o.slot = {st.int64(16), st.int64(17)};
        o.price.gross = st.int64(18);
        o.price.enterprise_pays = st.int64(19);
        o.price.voucher_pays = st.int64(20);
        o.price.scheme = VoucherSchemeId(st.int64(21));
        o.price.voucher_note = st.text(22);
        o.travel_minutes = st.int32(23);
        const int tier = st.int32(24);
        if (tier < 0 || tier >= route_tier_count) {
            throw Error(ErrorCode::format, "served request " + std::to_string(s.id.value) + ": tier out of range");
        }
        o.tier = static_cast<RouteTier>(tier);
        o.alliance = AllianceId(st.int64(25));
        o.chain = chain_from(st.text(26), s.id.value);
        o.referral_hops = st.int32(27);
        o.score = st.real(28);
        s.booking = BookingId(st.int64(29));
        out.push_back(std::move(s));
    }
    return out;
}

void Store::insert(const UnmetRequest& u) {
    const ServiceRequest& q = u.request;
    auto& st = cached(
        "INSERT INTO unmet_requests(id, at, enterprise, kind, equipment_class, window_start, window_end, minutes, "
        "units, price_ceiling, voucher, received_by, front_door, note, desk, reason) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)");
    st.bind(1, u.id.value).bind(2, u.at);
    bind_request(st, q);
    st.bind(15, u.desk.value).bind(16, u.reason).run();
}

std::vector<UnmetRequest> Store::load_unmet_requests(UnmetRequestId from) {
    std::vector<UnmetRequest> out;
    auto st = conn_->prepare(
        "SELECT id, at, enterprise, kind, equipment_class, window_start, window_end, minutes, units, price_ceiling, "
        "voucher, received_by, front_door, note, desk, reason FROM unmet_requests WHERE id >= ?1 ORDER BY id");
    st.bind(1, from.value);
    while (st.step()) {
        UnmetRequest u;
        u.id = UnmetRequestId(st.int64(0));
        u.at = st.int64(1);
        u.request = read_request(st);
        u.desk = PlatformId(st.int64(14));
        u.reason = st.text(15);
        out.push_back(std::move(u));
    }
    return out;
}

}  // namespace psp::store
