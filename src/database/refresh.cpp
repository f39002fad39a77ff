// Catching up on other connections' commits (Database::refresh): the journal rows this model has
// not seen say what changed. Changes to the ledger (bookings and their status, prices, voucher
// movements, served and unmet requests), which are nearly all that district systems write all
// day, are read row by row and applied to memory as the loader would; anything else reloads the
// model. Either way the model ends as a fresh load would leave it.
#include <algorithm>

#include "database/impl.hpp"
#include "store/connection.hpp"

namespace psp {

namespace {
// Journal rows whose change catch_up_ledger() reads back: a booking made or moved on by id, and
// served or unmet requests. Waitlist actions (a promotion, a wait, a withdrawal) change entries
// the catch-up does not read: they are left to a reload.
bool ledger_row(const store::Store::JournalMark& m) {
    if (m.entity == EntityKind::served_request) return m.action == "serve" || m.action == "unmet";
    if (m.entity != EntityKind::booking || m.entity_id <= 0) return false;
    static constexpr std::string_view moves[] = {"add", "approve", "reject", "check_in", "complete", "cancel", "no_show"};
    return std::find(std::begin(moves), std::end(moves), m.action) != std::end(moves);
}

// Reads in one snapshot of the database (a read-only transaction), so that the journal rows,
// the version and the ledger rows agree: a commit landing meanwhile is left whole to the next
// refresh (and, until then, makes this model's next change refused as stale).
class ReadSnapshot {
public:
    explicit ReadSnapshot(store::Connection& c) : conn_(c) { conn_.begin_snapshot(); }
    ReadSnapshot(const ReadSnapshot&) = delete;
    ReadSnapshot& operator=(const ReadSnapshot&) = delete;
    ~ReadSnapshot() { conn_.rollback(); }   // it only read

private:
    store::Connection& conn_;
};
}  // namespace

Database::Refreshed Database::Impl::catch_up(std::unique_ptr<Impl>& self) {
    Impl& m = *self;
    std::vector<store::Store::JournalMark> marks;
    std::int64_t version = 0;
    LedgerRows rows;
    bool ledger_only = false;
    {
        // Reads only: a failure here (a lost connection) leaves the model as it was.
        ReadSnapshot snapshot(m.store.connection());
        marks = m.store.journal_since(m.journal_seen);   // first: the snapshot is taken here
        version = m.store.connection().data_version();
        if (version == m.file_version && marks.empty()) return {};
        ledger_only = !marks.empty() && std::all_of(marks.begin(), marks.end(), [](const auto& mark) { return ledger_row(mark); });
        if (ledger_only) rows = m.read_ledger();
    }
    if (ledger_only) {
        try {
            m.apply_ledger(std::move(rows));
            m.file_version = version;
            m.journal_seen = marks.back().seq;
            return {marks.size(), false};
        } catch (...) {   // a row memory cannot take: memory may be half caught up, so read it all
        }
    }
    // The network or a setting changed, a commit wrote no journal row, or applying failed part
    // way: read everything (a reload that fails leaves the model as roll_back does).
    reload(self);
    return {marks.size(), true};
}

Database::Impl::LedgerRows Database::Impl::read_ledger() {
    LedgerRows r;
    const BookingId first_new = engine.next_id();
    r.prices = store.load_booking_prices_from(first_new);
    r.bookings = store.load_bookings_changed(journal_seen, first_new);
    r.movements = store.load_voucher_movements_from(movements.size());
    r.served = store.load_served_requests(ServedRequestId(static_cast<std::int64_t>(served.size()) + 1));
    r.unmet = store.load_unmet_requests(UnmetRequestId(static_cast<std::int64_t>(unmet.size()) + 1));
    return r;
}

void Database::Impl::apply_ledger(LedgerRows&& r) {
    const BookingId first_new = engine.next_id();
    // Prices first: tallying a booking reads its price.
    take_stored_prices(r.prices);
    for (const auto& b : r.bookings) {
        ensure_bookable(b.equipment);
        const bool known = b.id < first_new;
        if (known) tally(engine.get(b.id), -1);
        engine.catch_up(b);
        tally(engine.get(b.id), +1);
    }
    for (const auto& mv : r.movements) take_movement(mv);
    for (const auto& s : r.served) {
        take_served(s);
        tally_served(served.size() - 1, +1);
    }
    for (const auto& u : r.unmet) {
        unmet.push_back(u);
        tally_unmet(unmet.size() - 1, +1);
    }
}

Database::Refreshed Database::refresh() {
    if (impl_->transaction_depth > 0) throw Error(ErrorCode::refused, "refresh: a transaction is open; commit or roll it back first");
    if (impl_->scratch) return {};   // a scratch copy's database is its own: nobody else changes it
    return Impl::catch_up(impl_);
}

bool Database::changed_elsewhere() const {
    if (impl_->scratch) return false;
    return impl_->store.connection().changed_since(impl_->file_version);
}

}  // namespace psp
