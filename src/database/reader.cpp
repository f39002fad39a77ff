// Database's reads on behalf of a reader: the trusted reads, filtered through the read table
// (may_read, src/core/permissions.cpp) with the parties each record concerns. The filters run over
// the trusted answer, so they can only take records away, never add or change one.
#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "database/impl.hpp"

namespace psp {
namespace {

[[noreturn]] void refuse(const Actor& reader, const std::string& what) {
    throw Error(ErrorCode::permission, "reader " + describe_actor(reader) + " may not read " + what);
}

template <class T, class PartiesOf>
std::vector<T> only_readable(const Actor& reader, std::vector<T> rows, PartiesOf parties_of) {
    if (reader.role == Role::promotion_office) return rows;
    std::erase_if(rows, [&](const T& row) { return !may_read(reader, parties_of(row)); });
    return rows;
}

// Whether the journal entry was written by this reader: same role and subject (the platform or
// enterprise it acts for), and for the roles without a subject the same name.
bool made_by(const Actor& reader, const JournalEntry& e) {
    if (e.actor_role != reader.role) return false;
    switch (reader.role) {
        case Role::platform_operator: return e.actor_subject == reader.platform.value;
        case Role::enterprise: return e.actor_subject == reader.enterprise.value;
        default: return e.actor_name == reader.name;
    }
}

// The id a journal row's details give under `key` (waiting-list and unmet-request rows carry their
// record's id there, their entity id being 0), or 0.
std::int64_t detail_id(const JournalEntry& e, const char* key) {
    const auto details = nlohmann::json::parse(e.details, nullptr, false);
    if (!details.is_object()) return 0;
    const auto it = details.find(key);
    return it != details.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

}  // namespace

Parties Database::Impl::parties_of(const Booking& b) const {
    Parties p{b.enterprise, {}};
    if (const Equipment* e = state.equipment.find(b.equipment)) p.platforms.push_back(e->owner);
    return p;
}

Parties Database::Impl::parties_of(const ServedRequest& s) const {
    Parties p{s.request.enterprise, s.offer.chain};
    p.platforms.push_back(s.offer.platform);
    if (s.request.received_by) p.platforms.push_back(s.request.received_by);
    return p;
}

Parties Database::Impl::parties_of(const UnmetRequest& u) const {
    Parties p{u.request.enterprise, {}};
    if (u.desk) p.platforms.push_back(u.desk);
    if (u.request.received_by) p.platforms.push_back(u.request.received_by);
    return p;
}

// A journal entry's parties, when it is about one enterprise's business; nullopt for the network
// and the other public records. A row whose record cannot be found concerns nobody but its maker
// (and the office): empty parties.
std::optional<Parties> Database::Impl::journal_parties(const JournalEntry& e) const {
    switch (e.entity) {
        case EntityKind::booking:
            if (e.entity_id > 0) {
                if (engine.contains(BookingId{e.entity_id})) return parties_of(engine.get(BookingId{e.entity_id}));
                return Parties{};
            }
            if (const std::int64_t w = detail_id(e, "waitlist"); w > 0 && w < engine.next_waitlist_id().value) {
                const BookingRequest& r = engine.waitlist_entry(WaitlistId{w}).request;
                const Equipment* eq = state.equipment.find(r.equipment);
                return Parties{r.enterprise, eq ? std::vector<PlatformId>{eq->owner} : std::vector<PlatformId>{}};
            }
            return Parties{};
        case EntityKind::served_request:
            if (e.entity_id > 0 && std::cmp_less_equal(e.entity_id, served.size())) {
                return parties_of(served.get(static_cast<std::size_t>(e.entity_id - 1)));
            }
            if (const std::int64_t u = detail_id(e, "unmet"); u > 0 && std::cmp_less_equal(u, unmet.size())) {
                return parties_of(unmet.get(static_cast<std::size_t>(u - 1)));
            }
            return Parties{};
        case EntityKind::training: return Parties{EnterpriseId{e.entity_id}, {}};
        default: return std::nullopt;
    }
}

Booking Database::get(const Actor& reader, BookingId id) const {
    Impl::check_actor(reader);
    Booking b = get(id);
    if (!may_read(reader, impl_->parties_of(b))) refuse(reader, "booking " + std::to_string(id.value));
    return b;
}

std::vector<Booking> Database::bookings_of(const Actor& reader, EquipmentId id, Period window) const {
    Impl::check_actor(reader);
    return only_readable(reader, bookings_of(id, window), [&](const Booking& b) { return impl_->parties_of(b); });
}

std::vector<Booking> Database::bookings_of(const Actor& reader, EnterpriseId id, Period window) const {
    Impl::check_actor(reader);
    return only_readable(reader, bookings_of(id, window), [&](const Booking& b) { return impl_->parties_of(b); });
}

std::vector<Booking> Database::bookings_of(const Actor& reader, PlatformId id, Period window) const {
    Impl::check_actor(reader);
    return only_readable(reader, bookings_of(id, window), [&](const Booking& b) { return impl_->parties_of(b); });
}

std::vector<WaitlistEntry> Database::waitlist(const Actor& reader, EquipmentId id) const {
    Impl::check_actor(reader);
    const PlatformId owner = get(id).owner;
    return only_readable(reader, waitlist(id),
                         [&](const WaitlistEntry& w) { return Parties{w.request.enterprise, {owner}}; });
}

PriceBreakdown Database::price_of(const Actor& reader, BookingId id) const {
    (void)get(reader, id);
    return price_of(id);
}

VoucherAccount Database::voucher_account(const Actor& reader, EnterpriseId e, VoucherSchemeId s, int year) const {
    Impl::check_actor(reader);
    VoucherAccount account = voucher_account(e, s, year);
    // An account is the enterprise's alone: no platform is a party to it.
    if (!may_read(reader, Parties{e, {}})) refuse(reader, "the voucher account of enterprise " + std::to_string(e.value));
    return account;
}

std::vector<ServedRequest> Database::served_requests(const Actor& reader, Period p) const {
    Impl::check_actor(reader);
    return only_readable(reader, served_requests(p), [&](const ServedRequest& s) { return impl_->parties_of(s); });
}

std::vector<UnmetRequest> Database::unmet_requests(const Actor& reader, Period p) const {
    Impl::check_actor(reader);
    return only_readable(reader, unmet_requests(p), [&](const UnmetRequest& u) { return impl_->parties_of(u); });
}

std::vector<SettlementEntry> Database::settlement_ledger(const Actor& reader, Period p) const {
    Impl::check_actor(reader);
    // An entry is a served request's money: its parties are the request's.
    return only_readable(reader, settlement_ledger(p), [&](const SettlementEntry& e) {
        return impl_->parties_of(impl_->served.get(static_cast<std::size_t>(e.request - 1)));
    });
}

std::vector<JournalEntry> Database::journal(const Actor& reader, const JournalQuery& q) const {
    Impl::check_actor(reader);
    if (reader.role == Role::promotion_office) return journal(q);
    // The limit counts what the reader gets, so the filter runs before it.
    JournalQuery all = q;
    all.limit = 0;
    std::vector<JournalEntry> out;
    for (auto& e : journal(all)) {
        if (q.limit && out.size() == q.limit) break;
        if (made_by(reader, e)) {
            out.push_back(std::move(e));
            continue;
        }
        const auto parties = impl_->journal_parties(e);
        if (!parties || may_read(reader, *parties)) out.push_back(std::move(e));
    }
    return out;
}

}  // namespace psp
