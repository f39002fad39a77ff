// Database's prices and innovation vouchers: tariffs and schemes written through, every booking
// priced when it is made, voucher money redeemed and refunded as movements in the same
// transaction as the booking change.
#include "calendar/days.hpp"
#include "database/impl.hpp"
#include "json/booking_json.hpp"
#include "json/booking_text.hpp"
#include "json/pricing_json.hpp"

namespace psp {

void Database::Impl::load_pricing() {
    auto rows = store.load_pricing();
    for (const auto& [e, text] : rows.tariffs) tariffs.put(e.value, json::tariff_from_json(nlohmann::json::parse(text)));
    for (const auto& [s, text] : rows.schemes) {
        auto scheme = json::voucher_scheme_from_json(nlohmann::json::parse(text));
        scheme.id = s;
        schemes[s.value] = std::move(scheme);
    }
    take_stored_prices(rows.prices);
    for (const auto& m : rows.movements) take_movement(m);
}

void Database::Impl::take_stored_prices(const std::vector<std::pair<BookingId, std::string>>& rows) {
    for (const auto& [b, text] : rows) prices.put(b, json::price_breakdown_from_json(nlohmann::json::parse(text)));
}

void Database::Impl::take_movement(const store::Store::VoucherMovement& m) {
    voucher_used.add(m.enterprise.value, m.scheme.value, m.year, m.amount);
    movements.push_back(m);
}

int Database::Impl::local_year(const Booking& b) const {
    ensure_bookable(b.equipment);
    const Time local = b.period.start + static_cast<Time>(engine.utc_offset(b.equipment, b.period.start)) * 60;
    // Without Boost's date: routing prices every instrument it evaluates (the same day count as
    // the epoch plus `local / 86400` days, truncated as before).
    return calendar_detail::year_of_days(local / 86400);
}

bool Database::Impl::member_rate(PlatformId owner, ZoneId zone) const {
    // The owning platform, or a fellow member of one of its alliances, serves the enterprise's zone.
    const auto serves = [&](PlatformId p) { return state.zone_services.contains({p.value, zone.value}); };
    if (serves(owner)) return true;
    for (const auto aid : alliances_of(owner)) {
        for (const auto& m : state.alliances.find(aid)->members) {
            if (serves(m.platform)) return true;
        }
    }
    return false;
}

PriceBreakdown Database::Impl::quote(const Booking& b, VoucherSchemeId voucher, std::map<VoucherKey, Fen>& pending) const {
    const Equipment* e = state.equipment.find(b.equipment);
    const Enterprise* firm = state.enterprises.find(b.enterprise);
    if (!e || !firm) return {};
    return quote(b, voucher, &pending, *e, firm->size, member_rate(e->owner, firm->zone));
}

PriceBreakdown Database::Impl::quote(const Booking& b, VoucherSchemeId voucher, std::map<VoucherKey, Fen>* pending,
                                     const Equipment& e, EnterpriseSize size, bool member) const {
    const Tariff* t = tariffs.find(b.equipment.value);
    if (!t) return {};   // no tariff: free of charge
    const VoucherScheme* scheme = nullptr;
    VoucherUse use;
    use.size = size;
    use.kind = ServiceKind::equipment_sharing;
    use.year = local_year(b);
    if (voucher) {
        scheme = &schemes.at(voucher.value);
        const VoucherKey key{b.enterprise.value, voucher.value, use.year};
        use.used_this_year = voucher_used.used(b.enterprise.value, voucher.value, use.year);
        if (pending) {
            if (const auto waiting = pending->find(key); waiting != pending->end()) use.used_this_year += waiting->second;
        }
        use.platform_accepts = scheme_accepts(voucher, e.owner);
    }
    PriceBreakdown p = price(*t, b.period, b.units, member, scheme, use);
    if (scheme && pending) (*pending)[{b.enterprise.value, voucher.value, use.year}] += p.voucher_pays;
    return p;
}

bool Database::Impl::scheme_accepts(VoucherSchemeId voucher, PlatformId owner) const {
    // Memoised per network version and number of schemes: routing quotes every candidate
    // instrument, and building the platform's place (its alliances) each time cost more than the
    // price itself. A scheme is only ever added (add_voucher_scheme), never changed.
    if (acceptance_version != network_version || acceptance_schemes != schemes.size()) {
        acceptance.clear();
        acceptance_version = network_version;
        acceptance_schemes = schemes.size();
    }
    Acceptance& known = acceptance[voucher.value];
    constexpr std::int64_t dense_platforms = 1 << 20;
    const bool dense = owner.value >= 0 && owner.value < dense_platforms;
    if (dense) {
        const auto i = static_cast<std::size_t>(owner.value);
        if (i < known.dense.size() && known.dense[i] >= 0) return known.dense[i] != 0;
    } else if (const auto it = known.wide.find(owner.value); it != known.wide.end()) {
        return it->second;
    }
    const bool ok = accepts(schemes.at(voucher.value), PlatformPlace{owner, alliances_of(owner), {}});
    if (dense) {
        const auto i = static_cast<std::size_t>(owner.value);
        if (i >= known.dense.size()) known.dense.resize(i + 1, -1);
        known.dense[i] = ok ? 1 : 0;
    } else {
        known.wide.emplace(owner.value, ok);
    }
    return ok;
}

PriceBreakdown Database::Impl::price_of(BookingId id) const {
    const auto* p = prices.find(id);
    return p ? prices.breakdown(*p) : PriceBreakdown{};
}

void Database::Impl::write_price(const Booking& b, const PriceBreakdown& p, int sign) {
    // A free booking (no tariff) has no price row: price_of() answers zeros for it either way.
    if (sign > 0 && p != PriceBreakdown{}) store.put_booking_price(b.id, json::price_text(p));
    if (p.voucher_pays == 0 || !p.scheme) return;
    store.insert(store::Store::VoucherMovement{p.scheme, state.equipment.find(b.equipment)->owner, b.enterprise, b.id,
                                               local_year(b), now(), sign * p.voucher_pays});
}

void Database::Impl::remember_price(const Booking& b, const PriceBreakdown& p, int sign) {
    if (sign > 0 && p != PriceBreakdown{}) prices.put(b.id, p);
    if (p.voucher_pays == 0 || !p.scheme) return;
    take_movement({p.scheme, state.equipment.find(b.equipment)->owner, b.enterprise, b.id, local_year(b), now(),
                   sign * p.voucher_pays});
}

void Database::set_tariff(const Actor& actor, EquipmentId id, const Tariff& t) {
    const Equipment* e = impl_->state.equipment.find(id);
    if (!e) throw Error(ErrorCode::not_found, "no equipment with id " + std::to_string(id.value));
    Impl::require_permission(actor, Action::manage_booking_rules, actor.platform == e->owner, detail::describe(impl_->state, id));
    validate(t);
    BookingRules rules = booking_rules(id);
    rules.late_cancel_fee = t.late_cancel_fee;
    const std::string tariff_text = json::to_json(t).dump();
    const std::string rules_text = json::to_json(rules).dump();
    const auto cal = impl_->equipment_calendars.find(id.value);
    const std::string cal_text = cal == impl_->equipment_calendars.end() ? "" : json::to_json(cal->second).dump();
    impl_->commit_ledger(
        [&] {
            impl_->store.put_tariff(id, tariff_text);
            impl_->store.put_equipment_booking(id, &rules_text, cal_text.empty() ? nullptr : &cal_text);
            impl_->journal(impl_->store, actor, "set", EntityKind::tariff, id.value, json::to_json(t));
        },
        [&] {
            impl_->tariffs.put(id.value, t);
            impl_->equipment_rules[id.value] = rules;
            impl_->resync(id);
        });
}

std::optional<Tariff> Database::tariff(EquipmentId id) const {
    impl_->require_exists(id);
    const Tariff* t = impl_->tariffs.find(id.value);
    if (!t) return std::nullopt;
    return *t;
}

VoucherSchemeId Database::add_voucher_scheme(const Actor& actor, VoucherScheme s) {
    Impl::require_permission(actor, Action::import_network, false, "voucher schemes");
    s.id = VoucherSchemeId(impl_->schemes.empty() ? 1 : impl_->schemes.rbegin()->first + 1);
    validate(s);
    for (auto a : s.accepted_by.alliances) impl_->require_exists(a);
    for (auto p : s.accepted_by.platforms) impl_->require_exists(p);
    const auto text = json::to_json(s);
    impl_->commit_ledger(
        [&] {
            impl_->store.put_voucher_scheme(s.id, text.dump());
            impl_->journal(impl_->store, actor, "add", EntityKind::voucher_scheme, s.id.value, text);
        },
        [&] { impl_->schemes[s.id.value] = s; });
    return s.id;
}

std::vector<VoucherScheme> Database::voucher_schemes() const {
    std::vector<VoucherScheme> out;
    for (const auto& [id, s] : impl_->schemes) out.push_back(s);
    return out;
}

VoucherAccount Database::voucher_account(EnterpriseId e, VoucherSchemeId s, int year) const {
    impl_->require_exists(e);
    if (!impl_->schemes.contains(s.value)) throw Error(ErrorCode::not_found, "no voucher scheme with id " + std::to_string(s.value));
    return {e, s, year, impl_->voucher_used.used(e.value, s.value, year)};
}

PriceBreakdown Database::price_of(BookingId id) const {
    (void)get(id);
    return impl_->price_of(id);
}

std::vector<PlatformVoucherTotal> Database::voucher_redemptions(VoucherSchemeId s, Period period) const {
    if (!impl_->schemes.contains(s.value)) throw Error(ErrorCode::not_found, "no voucher scheme with id " + std::to_string(s.value));
    std::vector<VoucherRedemption> moves;
    for (const auto& m : impl_->movements) {
        if (m.scheme == s) moves.push_back({m.platform, m.at, m.amount});
    }
    return voucher_totals(moves, period);
}

}  // namespace psp
