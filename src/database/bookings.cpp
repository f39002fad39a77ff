// Database's booking surface: permissions, write-through of rules, calendars, training and every
// booking transition (journaled), over the in-memory booking engine.
#include <algorithm>
#include <set>

#include "database/impl.hpp"
#include "json/booking_json.hpp"
#include "json/booking_text.hpp"
#include "json/pricing_json.hpp"

namespace psp {

// --- Loading and keeping the engine in step with the network

void Database::Impl::load_booking_state() {
    auto setup = store.load_booking_setup();
    for (const auto& [p, text] : setup.platform_calendars) {
        platform_calendars[p.value] = json::calendar_from_json(nlohmann::json::parse(text));
    }
    for (const auto& [e, rules, cal] : setup.equipment) {
        if (!rules.empty()) equipment_rules[e.value] = json::booking_rules_from_json(nlohmann::json::parse(rules));
        if (!cal.empty()) equipment_calendars[e.value] = json::calendar_from_json(nlohmann::json::parse(cal));
    }
    for (const auto& [e, c] : setup.training) engine.set_training(e, c, true);
    for (const auto& b : store.load_bookings()) {
        ensure_bookable(b.equipment);
        engine.restore(b);
    }
    for (const auto& w : store.load_waitlist()) {
        ensure_bookable(w.request.equipment);
        engine.restore(w);
    }
    load_pricing();
}

booking::EquipmentSetup Database::Impl::setup_of(EquipmentId id) const {
    const Equipment* e = state.equipment.find(id);
    if (!e) throw Error(ErrorCode::not_found, "no equipment with id " + std::to_string(id.value));
    booking::EquipmentSetup s;
    s.id = id;
    s.equipment_class = e->equipment_class;
    s.capacity_units = e->capacity_units;
    if (auto r = equipment_rules.find(id.value); r != equipment_rules.end()) s.rules = r->second;
    if (auto c = equipment_calendars.find(id.value); c != equipment_calendars.end()) {
        s.calendar = c->second;
    } else if (auto pc = platform_calendars.find(e->owner.value); pc != platform_calendars.end()) {
        s.calendar = pc->second;
    } else {
        s.calendar = Calendar::standard_working_week();
    }
    const Platform* owner = state.platforms.find(e->owner);
    s.operating = owner && owner->status == PlatformStatus::operating;
    return s;
}

void Database::Impl::ensure_bookable(EquipmentId id) const {
    if (!engine.has_equipment(id)) engine.set_equipment(setup_of(id));
}

void Database::Impl::resync(EquipmentId id) {
    if (engine.has_equipment(id) && state.equipment.contains(id)) engine.set_equipment(setup_of(id));
}

void Database::Impl::resync_platform(PlatformId p) {
    for (const auto& [id, e] : state.equipment.rows()) {
        if (e.owner == p) resync(id);
    }
}

namespace {
std::vector<std::string> count_bookings(store::Store& store, const char* sql, std::int64_t id) {
    auto st = store.connection().prepare(sql);
    st.bind(1, id);
    const auto n = st.step() ? st.int64(0) : 0;
    if (n == 0) return {};
    return {std::to_string(n) + " booking(s)"};
}
}  // namespace

std::vector<std::string> Database::Impl::booking_dependents(EquipmentId id) const {
    return count_bookings(const_cast<store::Store&>(store), "SELECT count(*) FROM bookings WHERE equipment=?1", id.value);
}
std::vector<std::string> Database::Impl::booking_dependents(EnterpriseId id) const {
    return count_bookings(const_cast<store::Store&>(store), "SELECT count(*) FROM bookings WHERE enterprise=?1", id.value);
}

// Whether the actor books (or cancels) on its own behalf: the enterprise itself, or the operator
// of the platform owning the equipment.
bool Database::Impl::acts_for(const Actor& actor, EquipmentId equipment, EnterpriseId firm) const {
    const Equipment* e = state.equipment.find(equipment);
    if (!e) throw Error(ErrorCode::not_found, "no equipment with id " + std::to_string(equipment.value));
    return (actor.role == Role::enterprise && actor.enterprise == firm) ||
           (actor.role == Role::platform_operator && actor.platform == e->owner);
}

// --- Rules, calendars, training

namespace {
PlatformId owner_of(const State& s, EquipmentId id) {
    const Equipment* e = s.equipment.find(id);
    if (!e) throw Error(ErrorCode::not_found, "no equipment with id " + std::to_string(id.value));
    return e->owner;
}
}  // namespace

void Database::set_calendar(const Actor& actor, PlatformId p, const Calendar& c) {
    impl_->require_exists(p);
    Impl::require_permission(actor, Action::manage_booking_rules, actor.platform == p, detail::describe(impl_->state, p));
    validate(c);
    const auto text = json::to_json(c);
    impl_->commit_ledger(
        [&] {
            impl_->store.put_platform_calendar(p, text.dump());
            impl_->journal(impl_->store, actor, "set", EntityKind::calendar, p.value, {{"platform", p.value}, {"calendar", text}});
        },
        [&] {
            impl_->platform_calendars[p.value] = c;
            impl_->resync_platform(p);
        });
}

void Database::set_calendar(const Actor& actor, EquipmentId id, const std::optional<Calendar>& c) {
    const PlatformId owner = owner_of(impl_->state, id);
    Impl::require_permission(actor, Action::manage_booking_rules, actor.platform == owner, detail::describe(impl_->state, id));
    if (c) validate(*c);
    const auto rules = impl_->equipment_rules.find(id.value);
    const std::string rules_text = rules == impl_->equipment_rules.end() ? "" : json::to_json(rules->second).dump();
    const std::string cal_text = c ? json::to_json(*c).dump() : "";
    impl_->commit_ledger(
        [&] {
            impl_->store.put_equipment_booking(id, rules_text.empty() ? nullptr : &rules_text, c ? &cal_text : nullptr);
            impl_->journal(impl_->store, actor, "set", EntityKind::calendar, id.value,
                           {{"equipment", id.value}, {"calendar", c ? json::to_json(*c) : nlohmann::json(nullptr)}});
        },
        [&] {
            if (c) impl_->equipment_calendars[id.value] = *c; else impl_->equipment_calendars.erase(id.value);
            impl_->resync(id);
        });
}

Calendar Database::calendar(PlatformId p) const {
    impl_->require_exists(p);
    auto it = impl_->platform_calendars.find(p.value);
    return it == impl_->platform_calendars.end() ? Calendar::standard_working_week() : it->second;
}

Calendar Database::calendar(EquipmentId id) const { return impl_->setup_of(id).calendar; }

void Database::set_booking_rules(const Actor& actor, EquipmentId id, const BookingRules& rules) {
    const PlatformId owner = owner_of(impl_->state, id);
    Impl::require_permission(actor, Action::manage_booking_rules, actor.platform == owner, detail::describe(impl_->state, id));
    // Let the engine's own checks judge the rules, on a scratch copy of the setup.
    auto trial = impl_->setup_of(id);
    trial.rules = rules;
    booking::Engine().set_equipment(trial);
    const std::string rules_text = json::to_json(rules).dump();
    const auto cal = impl_->equipment_calendars.find(id.value);
    const std::string cal_text = cal == impl_->equipment_calendars.end() ? "" : json::to_json(cal->second).dump();
    impl_->commit_ledger(
        [&] {
            impl_->store.put_equipment_booking(id, &rules_text, cal_text.empty() ? nullptr : &cal_text);
            impl_->journal(impl_->store, actor, "set", EntityKind::booking_rules, id.value, json::to_json(rules));
        },
        [&] {
            impl_->equipment_rules[id.value] = rules;
            impl_->resync(id);
        });
}

BookingRules Database::booking_rules(EquipmentId id) const { return impl_->setup_of(id).rules; }

void Database::set_training(const Actor& actor, EnterpriseId e, EquipmentClassId c, bool trained) {
    impl_->require_exists(e);
    impl_->require_exists(c);
    Impl::require_permission(actor, Action::manage_training, actor.role == Role::platform_operator,
                             [&] { return "the training records of " + detail::describe(impl_->state, e); });
    impl_->commit_ledger(
        [&] {
            impl_->store.put_training(e, c, trained);
            impl_->journal(impl_->store, actor, trained ? "add" : "remove", EntityKind::training, e.value,
                           {{"enterprise", e.value}, {"equipment_class", c.value}});
        },
        [&] { impl_->engine.set_training(e, c, trained); });
}

bool Database::trained(EnterpriseId e, EquipmentClassId c) const {
    impl_->require_exists(e);
    impl_->require_exists(c);
    return impl_->engine.trained(e, c);
}

// --- Bookings

void Database::Impl::check_booking_request(const Actor& actor, const BookingRequest& request) const {
    const bool own = acts_for(actor, request.equipment, request.enterprise);
    require_exists(request.enterprise);
    // The description only matters in the refusal: skip building it on the way through.
    check_actor(actor);
    if (!permitted(actor, Action::book, own)) require_permission(actor, Action::book, own, detail::describe(state, request.equipment));
    if (!detail::valid_utf8(request.note)) throw Error(ErrorCode::invalid, "note: is not valid UTF-8");
    if (request.voucher && !schemes.contains(request.voucher.value)) {
        throw Error(ErrorCode::not_found, "voucher: no voucher scheme with id " + std::to_string(request.voucher.value));
    }
    ensure_bookable(request.equipment);
}

// The engine books first (later requests must see earlier ones); the rows and journal follow in
// one transaction, and if that fails the engine forgets everything from `mark` on.
template <class BookAll>
void Database::Impl::write_new_bookings(const Actor& actor, BookAll&& book_all) {
    const BookingId mark = engine.next_id();
    try {
        const std::vector<std::pair<Booking, VoucherSchemeId>> made = book_all();
        if (made.empty()) return;
        // Price in order: each voucher use counts against the caps of the next.
        std::map<VoucherKey, Fen> pending;
        std::vector<PriceBreakdown> prices;
        for (const auto& [b, voucher] : made) prices.push_back(quote(b, voucher, pending));
        commit_ledger(
            [&] {
                for (std::size_t i = 0; i < made.size(); ++i) {
                    const Booking& b = made[i].first;
                    store.insert(b);
                    write_price(b, prices[i], +1);
                    journal(store, actor, "add", EntityKind::booking, b.id.value, json::booking_text(b, &prices[i]));
                }
            },
            [&] {
                for (std::size_t i = 0; i < made.size(); ++i) {
                    remember_price(made[i].first, prices[i], +1);
                    tally(made[i].first, +1);
                }
            });
    } catch (...) {
        engine.rollback_to(mark);
        throw;
    }
}

std::vector<BookingOutcome> Database::book_batch(const Actor& actor, const std::vector<BookingRequest>& requests) {
    for (const auto& r : requests) impl_->check_booking_request(actor, r);
    const Time now = impl_->now();
    std::vector<BookingOutcome> out;
    out.reserve(requests.size());
    impl_->write_new_bookings(actor, [&] {
        std::vector<std::pair<Booking, VoucherSchemeId>> made;
        for (const auto& r : requests) {
            out.push_back(impl_->engine.book(r, now));
            if (out.back()) made.emplace_back(*out.back().booking, r.voucher);
        }
        return made;
    });
    return out;
}

BookingOutcome Database::book(const Actor& actor, const BookingRequest& request) {
    return std::move(book_batch(actor, {request}).front());
}

SeriesOutcome Database::book_series(const Actor& actor, const BookingRequest& first, const Recurrence& rec, SeriesMode mode) {
    impl_->check_booking_request(actor, first);
    if (mode != SeriesMode::all_or_nothing && mode != SeriesMode::skip_conflicts) {
        throw Error(ErrorCode::invalid, "mode: out of range");
    }
    const Time now = impl_->now();
    SeriesOutcome out;
    impl_->write_new_bookings(actor, [&] {
        out = impl_->engine.book_series(first, rec, mode, now);
        std::vector<std::pair<Booking, VoucherSchemeId>> made;
        for (const auto& b : out.booked) made.emplace_back(b, first.voucher);
        return made;
    });
    return out;
}

std::vector<Booking> Database::cancel_series(const Actor& actor, std::int64_t series, Time from) {
    if (series <= 0 || !impl_->engine.contains(BookingId(series)) || impl_->engine.get(BookingId(series)).series != series) {
        throw Error(ErrorCode::not_found, "no booking series " + std::to_string(series));
    }
    const Booking head = impl_->engine.get(BookingId(series));
    Impl::require_permission(actor, Action::book, impl_->acts_for(actor, head.equipment, head.enterprise),
                             "booking series " + std::to_string(series));
    // A series' occurrences all come after its first booking.
    std::vector<BookingId> ids;
    for (std::int64_t i = series; i < impl_->engine.next_id().value; ++i) {
        const Booking b = impl_->engine.get(BookingId(i));
        if (b.series == series && b.period.start >= from &&
            (b.status == BookingStatus::pending || b.status == BookingStatus::confirmed)) {
            ids.push_back(b.id);
        }
    }
    const Time now = impl_->now();
    std::vector<Booking> after;
    for (auto id : ids) after.push_back(impl_->engine.preview(id, booking::Engine::Transition::cancel, now));
    if (after.empty()) return after;
    impl_->commit_ledger(
        [&] {
            for (const auto& b : after) {
                impl_->store.update_status(b);
                impl_->write_price(b, impl_->price_of(b.id), -1);
                impl_->journal(impl_->store, actor, "cancel", EntityKind::booking, b.id.value, json::to_json(b));
            }
        },
        [&] {
            for (auto id : ids) {
                impl_->tally(impl_->engine.get(id), -1);
                impl_->engine.apply(id, booking::Engine::Transition::cancel, now);
            }
            for (const auto& b : after) {
                impl_->remember_price(b, impl_->price_of(b.id), -1);
                impl_->tally(b, +1);
            }
        });
    impl_->promote(actor, head.equipment);
    return after;
}

namespace {
const char* verb(booking::Engine::Transition t) {
    using T = booking::Engine::Transition;
    switch (t) {
        case T::approve: return "approve";
        case T::reject: return "reject";
        case T::check_in: return "check_in";
        case T::complete: return "complete";
        case T::cancel: return "cancel";
    }
    return "?";
}
}  // namespace

Booking Database::Impl::transition(const Actor& actor, BookingId id, booking::Engine::Transition t) {
    auto& impl = *this;
    if (!impl.engine.contains(id)) throw Error(ErrorCode::not_found, "no booking with id " + std::to_string(id.value));
    const Booking current = impl.engine.get(id);
    if (t == booking::Engine::Transition::cancel) {
        require_permission(actor, Action::book, acts_for(actor, current.equipment, current.enterprise),
                           [&] { return "booking " + std::to_string(id.value); });
    } else {
        const bool by_operator = actor.role == Role::platform_operator && actor.platform == owner_of(impl.state, current.equipment);
        require_permission(actor, Action::handle_booking, by_operator, [&] { return "booking " + std::to_string(id.value); });
    }
    const Time now = impl.now();
    const Booking after = impl.engine.preview(id, t, now);
    const bool refund = after.status == BookingStatus::cancelled || after.status == BookingStatus::rejected;
    impl.commit_ledger(
        [&] {
            impl.store.update_status(after);
            if (refund) impl.write_price(after, impl.price_of(id), -1);
            impl.journal(impl.store, actor, verb(t), EntityKind::booking, id.value, json::to_json(after));
        },
        [&] {
            impl.tally(current, -1);
            impl.engine.apply(id, t, now);
            if (refund) impl.remember_price(after, impl.price_of(id), -1);
            impl.tally(after, +1);
        });
    if (after.status == BookingStatus::cancelled || after.status == BookingStatus::rejected) promote(actor, after.equipment);
    return after;
}

std::vector<WaitlistEntry> Database::Impl::promote(const Actor& actor, EquipmentId equipment) {
    const BookingId booking_mark = engine.next_id();
    const auto earlier = engine.waitlist(equipment);
    const Time t = now();
    std::vector<WaitlistEntry> changed;
    try {
        changed = engine.promote(equipment, t);
        if (changed.empty()) return changed;
        std::map<VoucherKey, Fen> pending;
        std::unordered_map<std::int64_t, PriceBreakdown> prices;
        for (const auto& w : changed) {
            if (w.status == WaitStatus::promoted) prices[w.booking.value] = quote(engine.get(w.booking), w.request.voucher, pending);
        }
        commit_ledger(
            [&] {
                for (const auto& w : changed) {
                    if (w.status == WaitStatus::promoted) {
                        const Booking b = engine.get(w.booking);
                        store.insert(b);
                        write_price(b, prices[b.id.value], +1);
                        journal(store, actor, "add", EntityKind::booking, b.id.value, json::to_json(b));
                    }
                    store.update_status(w);
                    journal(store, actor, to_string(w.status), EntityKind::booking, w.booking.value,
                            {{"waitlist", w.id.value}, {"equipment", equipment.value}});
                }
            },
            [&] {
                for (const auto& [id, p] : prices) remember_price(engine.get(BookingId(id)), p, +1);
                for (const auto& w : changed) {
                    if (w.status == WaitStatus::promoted) tally(engine.get(w.booking), +1);
                }
            });
    } catch (const Error&) {
        // The change that freed the time stands; the entries stay waiting for the next pass.
        engine.rollback_to(booking_mark);
        engine.rollback_waitlist(engine.next_waitlist_id(), earlier);
        return {};
    }
    for (const auto& w : changed) {
        if (w.status == WaitStatus::promoted) promotions.push_back(w);
    }
    return changed;
}

WaitlistEntry Database::join_waitlist(const Actor& actor, const BookingRequest& request) {
    impl_->check_booking_request(actor, request);
    const WaitlistEntry w = impl_->engine.join_waitlist(request, impl_->now());
    try {
        impl_->commit_ledger(
            [&] {
                impl_->store.insert(w);
                impl_->journal(impl_->store, actor, "wait", EntityKind::booking, 0,
                               {{"waitlist", w.id.value}, {"equipment", request.equipment.value},
                                {"enterprise", request.enterprise.value}, {"start", request.period.start},
                                {"end", request.period.end}});
            },
            [] {});
    } catch (...) {
        impl_->engine.rollback_waitlist(w.id, {});
        throw;
    }
    return w;
}

WaitlistEntry Database::leave_waitlist(const Actor& actor, WaitlistId id) {
    const WaitlistEntry w = impl_->engine.waitlist_entry(id);
    Impl::require_permission(actor, Action::book, impl_->acts_for(actor, w.request.equipment, w.request.enterprise),
                             "waitlist entry " + std::to_string(id.value));
    if (w.status != WaitStatus::waiting) {
        throw Error(ErrorCode::refused, "waitlist entry " + std::to_string(id.value) + " is " + to_string(w.status) + ", not waiting");
    }
    WaitlistEntry after = w;
    after.status = WaitStatus::withdrawn;
    impl_->commit_ledger(
        [&] {
            impl_->store.update_status(after);
            impl_->journal(impl_->store, actor, "withdraw", EntityKind::booking, 0, {{"waitlist", id.value}});
        },
        [&] { impl_->engine.withdraw(id); });
    return after;
}

std::vector<WaitlistEntry> Database::waitlist(EquipmentId id) const {
    impl_->require_exists(id);
    impl_->ensure_bookable(id);
    return impl_->engine.waitlist(id);
}

std::vector<WaitlistEntry> Database::promote_waitlist(const Actor& actor, EquipmentId id) {
    const PlatformId owner = owner_of(impl_->state, id);
    Impl::require_permission(actor, Action::handle_booking, actor.platform == owner, detail::describe(impl_->state, id));
    impl_->ensure_bookable(id);
    return impl_->promote(actor, id);
}

std::vector<WaitlistEntry> Database::take_promotions() {
    std::vector<WaitlistEntry> out;
    out.swap(impl_->promotions);
    return out;
}

Booking Database::approve(const Actor& a, BookingId id) { return impl_->transition(a, id, booking::Engine::Transition::approve); }
Booking Database::reject(const Actor& a, BookingId id) { return impl_->transition(a, id, booking::Engine::Transition::reject); }
Booking Database::check_in(const Actor& a, BookingId id) { return impl_->transition(a, id, booking::Engine::Transition::check_in); }
Booking Database::complete(const Actor& a, BookingId id) { return impl_->transition(a, id, booking::Engine::Transition::complete); }
Booking Database::cancel(const Actor& a, BookingId id) { return impl_->transition(a, id, booking::Engine::Transition::cancel); }

std::vector<Booking> Database::mark_no_shows(const Actor& actor) {
    Impl::require_permission(actor, Action::mark_no_shows, false, "the bookings");
    const Time now = impl_->now();
    auto due = impl_->engine.due_no_shows(now);
    if (due.empty()) return due;
    impl_->commit_ledger(
        [&] {
            for (const auto& b : due) {
                impl_->store.update_status(b);
                impl_->journal(impl_->store, actor, "no_show", EntityKind::booking, b.id.value, json::to_json(b));
            }
        },
        [&] {
            for (const auto& b : due) impl_->tally(impl_->engine.get(b.id), -1);
            impl_->engine.mark_no_shows(now);
            for (const auto& b : due) impl_->tally(b, +1);
        });
    std::set<std::int64_t> freed;
    for (const auto& b : due) freed.insert(b.equipment.value);
    for (auto e : freed) impl_->promote(actor, EquipmentId(e));
    return due;
}

Booking Database::get(BookingId id) const { return impl_->engine.get(id); }

std::vector<Booking> Database::bookings_of(EquipmentId id, Period window) const {
    impl_->require_exists(id);
    impl_->ensure_bookable(id);
    return impl_->engine.bookings_of(id, window);
}

std::vector<Booking> Database::bookings_of(EnterpriseId id, Period window) const {
    impl_->require_exists(id);
    return impl_->engine.bookings_of(id, window);
}

std::vector<Booking> Database::bookings_of(PlatformId id, Period window) const {
    impl_->require_exists(id);
    std::vector<EquipmentId> owned;
    for (const auto& [eid, e] : impl_->state.equipment.rows()) {
        if (e.owner == id) owned.push_back(eid);
    }
    return impl_->engine.bookings_of(owned, window);
}

std::vector<Period> Database::free_slots(EquipmentId id, Period window, int min_minutes, int units) const {
    impl_->require_exists(id);
    impl_->ensure_bookable(id);
    return impl_->engine.free_slots(id, window, min_minutes, units);
}

std::optional<std::pair<EquipmentId, Period>> Database::earliest_slot(const std::vector<EquipmentId>& ids, Period window,
                                                                      int minutes, int units) const {
    std::optional<std::pair<EquipmentId, Period>> best;
    for (auto id : ids) {
        for (const auto& p : free_slots(id, window, minutes, units)) {
            const Period slot{p.start, p.start + static_cast<Time>(minutes) * 60};
            if (!best || slot.start < best->second.start || (slot.start == best->second.start && id < best->first)) {
                best = std::make_pair(id, slot);
            }
            break;   // slots come in time order: the first is this equipment's earliest
        }
    }
    return best;
}

Database::Utilisation Database::utilisation(EquipmentId id, Period window) const {
    if (window.empty()) throw Error(ErrorCode::invalid, "window: empty or reversed");
    Utilisation u;
    // Unit-seconds: a 2-unit instrument open for an hour offers two, so that a full booking of
    // every unit reads 100 % and platforms add up.
    impl_->require_exists(id);
    const int units = impl_->state.equipment.find(id)->capacity_units;
    u.open_seconds = open_seconds(calendar(id), window) * units;
    impl_->ensure_bookable(id);
    const auto usage = impl_->engine.usage(id, window);
    u.booked_seconds = usage.booked_seconds;
    u.used_seconds = usage.used_seconds;
    return u;
}

Database::Utilisation Database::utilisation(PlatformId id, Period window) const {
    impl_->require_exists(id);
    if (window.empty()) throw Error(ErrorCode::invalid, "window: empty or reversed");
    Utilisation total;
    for (const auto& [eid, e] : impl_->state.equipment.rows()) {
        if (e.owner != id) continue;
        const auto u = utilisation(eid, window);
        total.open_seconds += u.open_seconds;
        total.booked_seconds += u.booked_seconds;
        total.used_seconds += u.used_seconds;
    }
    return total;
}

}  // namespace psp
