// Compact logs of served and unmet requests (request_log.hpp).
#include "database/request_log.hpp"

#include <string>

#include "psp/error.hpp"

namespace psp::detail {

namespace {

// Service kinds and tiers are stored in a byte: a value that does not fit one (a row read from a
// damaged file) must not come back as another kind.
template <typename Enum>
std::uint8_t small_enum(Enum e, const char* what) {
    const int v = static_cast<int>(e);
    if (v < 0 || v > 255) throw Error(ErrorCode::format, std::string("request log: ") + what + " " + std::to_string(v) + " out of range");
    return static_cast<std::uint8_t>(v);
}

void require_next(std::int64_t id, std::size_t size, const char* what) {
    if (id != static_cast<std::int64_t>(size) + 1) throw Error(ErrorCode::format, std::string(what) + " " + std::to_string(id) + " out of order");
}

}  // namespace

RequestFields RequestFields::of(const ServiceRequest& q) {
    RequestFields f;
    f.enterprise = q.enterprise.value;
    f.equipment_class = q.equipment_class.value;
    f.window = q.window;
    f.has_ceiling = q.price_ceiling.has_value();
    f.price_ceiling = q.price_ceiling.value_or(0);
    f.voucher = q.voucher.value;
    f.received_by = q.received_by.value;
    f.front_door = q.front_door.value;
    f.minutes = q.minutes;
    f.units = q.units;
    f.kind = small_enum(q.kind, "service kind");
    return f;
}

ServiceRequest RequestFields::request() const {
    ServiceRequest q;
    q.enterprise = EnterpriseId(enterprise);
    q.kind = static_cast<ServiceKind>(kind);
    q.equipment_class = EquipmentClassId(equipment_class);
    q.window = window;
    q.minutes = minutes;
    q.units = units;
    if (has_ceiling) q.price_ceiling = price_ceiling;
    q.voucher = VoucherSchemeId(voucher);
    q.received_by = PlatformId(received_by);
    q.front_door = AllianceId(front_door);
    return q;
}

std::int64_t ServedLog::chain_front(std::size_t index) const {
    const Row& r = rows_.at(index);
    switch (r.chain_form) {
        case chain_single: return r.platform;
        case chain_pair: return r.via;
        default: {
            const auto& chain = aside_.at(index).chain;
            return chain.empty() ? 0 : chain.front().value;
        }
    }
}

std::size_t ServedLog::chain_size(std::size_t index) const {
    const Row& r = rows_.at(index);
    switch (r.chain_form) {
        case chain_single: return 1;
        case chain_pair: return 2;
        default: return aside_.at(index).chain.size();
    }
}

void ServedLog::push_back(const ServedRequest& s) {
    require_next(s.id.value, rows_.size(), "served request");
    Row r;
    r.request = RequestFields::of(s.request);
    const Offer& o = s.offer;
    r.platform = o.platform.value;
    r.equipment = o.equipment.value;
    r.slot = o.slot;
    r.gross = o.price.gross;
    r.enterprise_pays = o.price.enterprise_pays;
    r.voucher_pays = o.price.voucher_pays;
    r.scheme = o.price.scheme.value;
    r.score = o.score;
    r.alliance = o.alliance.value;
    r.travel_minutes = o.travel_minutes;
    r.referral_hops = o.referral_hops;
    r.booking = s.booking.value;
    r.at = s.at;
    r.tier = small_enum(o.tier, "route tier");
    Aside aside;
    if (o.chain.size() == 1 && o.chain[0] == o.platform) {
        r.chain_form = chain_single;
    } else if (o.chain.size() == 2 && o.chain[1] == o.platform) {
        r.chain_form = chain_pair;
        r.via = o.chain[0].value;
    } else {
        r.chain_form = chain_aside;
        aside.chain = o.chain;
    }
    aside.note = s.request.note;
    r.aside = r.chain_form == chain_aside || !aside.note.empty();
    r.voucher_note = voucher_notes_.intern(o.price.voucher_note);
    rows_.push_back(r);
    if (!r.aside) return;
    try {
        aside_[rows_.size() - 1] = std::move(aside);
    } catch (...) {
        rows_.pop_back();   // no row without its aside
        throw;
    }
}

ServedRequest ServedLog::get(std::size_t index) const {
    const Row& r = rows_.at(index);
    const Aside* aside = r.aside ? &aside_.at(index) : nullptr;
    ServedRequest s;
    s.id = ServedRequestId(static_cast<std::int64_t>(index) + 1);
    s.request = r.request.request();
    Offer& o = s.offer;
    o.platform = PlatformId(r.platform);
    o.equipment = EquipmentId(r.equipment);
    o.slot = r.slot;
    o.price.gross = r.gross;
    o.price.enterprise_pays = r.enterprise_pays;
    o.price.voucher_pays = r.voucher_pays;
    o.price.scheme = VoucherSchemeId(r.scheme);
    o.travel_minutes = r.travel_minutes;
    o.tier = r.route_tier();
    o.alliance = AllianceId(r.alliance);
    o.referral_hops = r.referral_hops;
    o.score = r.score;
    switch (r.chain_form) {
        case chain_single: o.chain = {o.platform}; break;
        case chain_pair: o.chain = {PlatformId(r.via), o.platform}; break;
        default: o.chain = aside->chain; break;
    }
    if (aside) s.request.note = aside->note;
    o.price.voucher_note = voucher_notes_.text(r.voucher_note);
    s.booking = BookingId(r.booking);
    s.at = r.at;
    return s;
}

void UnmetLog::push_back(const UnmetRequest& u) {
    require_next(u.id.value, rows_.size(), "unmet request");
    Row r;
    r.request = RequestFields::of(u.request);
    r.desk = u.desk.value;
    r.at = u.at;
    r.reason_at = reasons_.size();
    r.reason_size = static_cast<std::uint32_t>(u.reason.size());
    if (u.reason.size() != r.reason_size) throw Error(ErrorCode::invalid, "unmet request reason: longer than 4 GiB");
    r.has_note = !u.request.note.empty();
    rows_.push_back(r);
    try {
        reasons_ += u.reason;
        if (r.has_note) notes_[rows_.size() - 1] = u.request.note;
    } catch (...) {
        reasons_.resize(r.reason_at);   // no row without its reason and note
        rows_.pop_back();
        throw;
    }
}

UnmetRequest UnmetLog::get(std::size_t index) const {
    const Row& r = rows_.at(index);
    UnmetRequest u;
    u.id = UnmetRequestId(static_cast<std::int64_t>(index) + 1);
    u.request = r.request.request();
    if (r.has_note) u.request.note = notes_.at(index);
    u.desk = PlatformId(r.desk);
    u.at = r.at;
    u.reason.assign(reasons_, r.reason_at, r.reason_size);
    return u;
}

}  // namespace psp::detail
