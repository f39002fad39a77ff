// psp::Database: permission check, invariants, write-through to SQLite + journal, then memory.
#include "psp/database.hpp"

#include "database/impl.hpp"

namespace psp {

// --- Opening
Database Database::open(const std::string& path, const OpenOptions& options) {
    if (path.empty()) throw Error(ErrorCode::invalid, "path: must not be empty (use \":memory:\" for memory)");
    if (options.busy_timeout_ms < 0) throw Error(ErrorCode::invalid, "busy_timeout_ms: must be >= 0");
    auto s = std::make_unique<store::Store>(path, options.busy_timeout_ms);
    auto impl = std::make_unique<Impl>(s, options.clock);
    impl->keep_statistics = options.statistics;
    if (impl->keep_statistics) impl->rebuild_counters();
    return Database(std::move(impl));
}

// --- Transactions
void Database::Impl::roll_back(std::unique_ptr<Impl>& self) {
    self->outer_transaction.reset();   // ROLLBACK
    self->transaction_depth = 0;
    // The memory took every change that succeeded inside; reload it from the file rather than
    // undo each change by hand.
    reload(self);
}

void Database::Impl::reload(std::unique_ptr<Impl>& self) {
    std::unique_ptr<store::Store> s = std::move(self->owned_store);
    try {
        auto fresh = std::make_unique<Impl>(s, self->clock);
        fresh->keep_statistics = self->keep_statistics;
        fresh->scratch = self->scratch;
        if (fresh->keep_statistics) fresh->rebuild_counters();
        self = std::move(fresh);
    } catch (...) {
        self->owned_store = std::move(s);
        throw;
    }
}

void Database::begin_transaction() {
    if (impl_->transaction_depth == 0) {
        impl_->outer_transaction.emplace(impl_->store.connection());
        try {
            impl_->require_current();   // the lock is held from here: no other writer until commit
        } catch (...) {
            impl_->outer_transaction.reset();
            throw;
        }
    }
    ++impl_->transaction_depth;
}

void Database::reload() {
    if (impl_->transaction_depth > 0) throw Error(ErrorCode::refused, "reload: a transaction is open; commit or roll it back first");
    if (impl_->scratch) return;   // a scratch copy's file is its own: nobody else changes it
    Impl::reload(impl_);
}

void Database::commit_transaction() {
    if (impl_->transaction_depth == 0) {
        throw Error(ErrorCode::refused, "commit_transaction: no transaction is open (begin_transaction() was not "
                                        "called, or the transaction was already committed or rolled back)");
    }
    if (impl_->transaction_depth > 1) {   // a nested level: the outermost commit commits
        --impl_->transaction_depth;
        return;
    }
    try {
        impl_->outer_transaction->commit();
    } catch (...) {
        Impl::roll_back(impl_);
        throw;
    }
    impl_->committed_outermost();
    impl_->outer_transaction.reset();
    impl_->transaction_depth = 0;
}

void Database::rollback_transaction() {
    if (impl_->transaction_depth == 0) {
        throw Error(ErrorCode::refused, "rollback_transaction: no transaction is open (begin_transaction() was not "
                                        "called, or the transaction was already committed or rolled back)");
    }
    Impl::roll_back(impl_);
}

bool Database::in_transaction() const { return impl_->transaction_depth > 0; }

void Database::transaction(const std::function<void()>& changes) {
    if (!changes) throw Error(ErrorCode::invalid, "changes: must be callable");
    begin_transaction();
    const int level = impl_->transaction_depth;
    try {
        changes();
    } catch (...) {
        if (level == 1) {
            if (in_transaction()) rollback_transaction();   // unless `changes` rolled back already
        } else if (impl_->transaction_depth >= level) {
            impl_->transaction_depth = level - 1;           // leave this level (and any left open in it)
        }
        throw;
    }
    commit_transaction();
}

Database::Database(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Database::Database(Database&&) noexcept = default;
Database& Database::operator=(Database&&) noexcept = default;
Database::~Database() = default;

const std::string& Database::path() const { return impl_->store.connection().path(); }
int Database::schema_version() const { return impl_->store.schema_version(); }

// --- Entities
#define PSP_ENTITY_OPS(E, IdT, plural)                                                            \
    IdT Database::add(const Actor& a, E e) { return impl_->add(a, std::move(e)); }               \
    void Database::update(const Actor& a, const E& e) { impl_->update(a, e); }                    \
    void Database::remove(const Actor& a, IdT id) { impl_->remove(a, id); }                       \
    E Database::get(IdT id) const { return impl_->get(id); }                                      \
    bool Database::contains(IdT id) const { return impl_->state.table<E>().contains(id); }        \
    std::vector<E> Database::plural() const { return impl_->list<E>(); }

PSP_ENTITY_OPS(District, DistrictId, districts)
PSP_ENTITY_OPS(Zone, ZoneId, zones)
PSP_ENTITY_OPS(Platform, PlatformId, platforms)
PSP_ENTITY_OPS(Alliance, AllianceId, alliances)
PSP_ENTITY_OPS(EquipmentClass, EquipmentClassId, equipment_classes)
PSP_ENTITY_OPS(Equipment, EquipmentId, equipment)
PSP_ENTITY_OPS(Enterprise, EnterpriseId, enterprises)
#undef PSP_ENTITY_OPS

// --- Relations
void Database::set_travel(const Actor& actor, DistrictTravel t) {
    Impl::require_permission(actor, Action::manage_districts, false, "district travel times");
    impl_->check_relation(t, "travel");
    if (t.to < t.from) std::swap(t.from, t.to);
    impl_->commit([&] {
                      impl_->store.put(t);
                      impl_->journal(impl_->store, actor, "set", EntityKind::travel, 0, json::to_json(t));
                  },
                  [&] { impl_->state.travel[detail::travel_key(t.from, t.to)] = t.minutes; });
}

void Database::remove_travel(const Actor& actor, DistrictId a, DistrictId b) {
    Impl::require_permission(actor, Action::manage_districts, false, "district travel times");
    const auto key = detail::travel_key(a, b);
    if (!impl_->state.travel.contains(key)) {
        throw Error(ErrorCode::not_found, "no travel time between districts " + std::to_string(a.value) + " and " +
                                              std::to_string(b.value));
    }
    impl_->commit([&] {
                      impl_->store.erase_travel(a, b);
                      impl_->journal(impl_->store, actor, "remove", EntityKind::travel, 0,
                                     {{"from", key.first}, {"to", key.second}});
                  },
                  [&] { impl_->state.travel.erase(key); });
}

std::vector<DistrictTravel> Database::travel() const { return impl_->state.travel_rows(); }

void Database::set_zone_service(const Actor& actor, ZoneService z) {
    Impl::require_permission(actor, Action::manage_links, actor.platform == z.platform, "the service area of platform " + std::to_string(z.platform.value));
    impl_->check_relation(z, "zone service");
    impl_->commit([&] {
                      impl_->store.put(z);
                      impl_->journal(impl_->store, actor, "set", EntityKind::zone_service, z.platform.value, json::to_json(z));
                  },
                  [&] { impl_->state.zone_services[{z.platform.value, z.zone.value}] = z.minutes; });
}

void Database::remove_zone_service(const Actor& actor, PlatformId p, ZoneId z) {
    Impl::require_permission(actor, Action::manage_links, actor.platform == p, "the service area of platform " + std::to_string(p.value));
    const detail::Key key{p.value, z.value};
    if (!impl_->state.zone_services.contains(key)) {
        throw Error(ErrorCode::not_found, "platform " + std::to_string(p.value) + " does not serve zone " + std::to_string(z.value));
    }
    impl_->commit([&] {
                      impl_->store.erase_zone_service(p, z);
                      impl_->journal(impl_->store, actor, "remove", EntityKind::zone_service, p.value,
                                     {{"platform", p.value}, {"zone", z.value}});
                  },
                  [&] { impl_->state.zone_services.erase(key); });
}

std::vector<ZoneService> Database::zone_services() const { return impl_->state.zone_service_rows(); }

void Database::add_link(const Actor& actor, PlatformLink l) {
    Impl::require_permission(actor, Action::manage_links, actor.platform == l.from, "the links of platform " + std::to_string(l.from.value));
    impl_->check_relation(l, "link");
    impl_->commit([&] {
                      impl_->store.put(l);
                      impl_->journal(impl_->store, actor, "set", EntityKind::link, l.from.value, json::to_json(l));
                  },
                  [&] { impl_->state.links[{l.from.value, l.to.value}] = l.kind; });
}

void Database::remove_link(const Actor& actor, PlatformId from, PlatformId to) {
    Impl::require_permission(actor, Action::manage_links, actor.platform == from, "the links of platform " + std::to_string(from.value));
    const detail::Key key{from.value, to.value};
    if (!impl_->state.links.contains(key)) {
        throw Error(ErrorCode::not_found, "no link from platform " + std::to_string(from.value) + " to platform " + std::to_string(to.value));
    }
    impl_->commit([&] {
                      impl_->store.erase_link(from, to);
                      impl_->journal(impl_->store, actor, "remove", EntityKind::link, from.value,
                                     {{"from", from.value}, {"to", to.value}});
                  },
                  [&] { impl_->state.links.erase(key); });
}

std::vector<PlatformLink> Database::links() const { return impl_->state.link_rows(); }

// --- Graph queries
std::vector<PlatformId> Database::sub_platforms(PlatformId backbone) const {
    impl_->require_exists(backbone);
    return impl_->network_graph().sub_platforms(backbone);
}
std::vector<AllianceMember> Database::members(AllianceId a) const { return impl_->get(a).members; }
std::vector<AllianceId> Database::alliances_of(PlatformId p) const {
    impl_->require_exists(p);
    return impl_->network_graph().alliances_of(p);
}
std::vector<PlatformId> Database::platforms_serving(ZoneId z) const {
    impl_->require_exists(z);
    return impl_->network_graph().platforms_serving(z);
}
std::vector<ReachableEquipment> Database::equipment_within(ZoneId z, EquipmentClassId c, int max_minutes) const {
    impl_->require_exists(z);
    impl_->require_exists(c);
    if (max_minutes < 0) throw Error(ErrorCode::invalid, "max_minutes: must be >= 0, got " + std::to_string(max_minutes));
    return impl_->network_graph().equipment_within(z, c, max_minutes);
}
CoverageMatrix Database::coverage() const { return impl_->network_graph().coverage(); }
std::vector<CoverageGap> Database::coverage_gaps() const {
    std::vector<CoverageGap> gaps;
    const auto m = coverage();
    for (std::size_t r = 0; r < m.zones.size(); ++r) {
        for (int k = 0; k < service_kind_count; ++k) {
            if (m.counts[r][static_cast<std::size_t>(k)] == 0) gaps.push_back({m.zones[r], static_cast<ServiceKind>(k)});
        }
    }
    return gaps;
}
std::vector<Duplication> Database::duplications() const { return impl_->network_graph().duplications(); }

NetworkCounts Database::counts() const {
    const auto& s = impl_->state;
    NetworkCounts c;
    c.districts = s.districts.size();
    c.zones = s.zones.size();
    c.platforms = s.platforms.size();
    for (const auto& [id, p] : s.platforms.rows()) {
        if (p.backbone) ++c.backbones;
        if (p.parent) ++c.sub_platforms;
    }
    c.alliances = s.alliances.size();
    c.equipment_classes = s.equipment_classes.size();
    c.equipment = s.equipment.size();
    c.enterprises = s.enterprises.size();
    c.zone_services = s.zone_services.size();
    c.links = s.links.size();
    c.travel = s.travel.size();
    return c;
}

std::string Database::to_graphviz() const { return impl_->network_graph().graphviz(); }

std::vector<JournalEntry> Database::journal(const JournalQuery& q) const {
    if (q.from && q.to && *q.to < *q.from) {
        throw Error(ErrorCode::invalid, "journal query: period is reversed (to " + std::to_string(*q.to) +
                                            " is before from " + std::to_string(*q.from) + ")");
    }
    return impl_->store.journal(q);
}

// --- Whole networks
Network Database::snapshot() const { return impl_->state.to_network(); }
void Database::import_network(const Actor& actor, const Network& n) { impl_->import_network(actor, n); }
void Database::import_json(const Actor& actor, std::string_view text) {
    Impl::require_permission(actor, Action::import_network, false, "the network");
    impl_->import_network(actor, json::parse_network(text));
}
std::string Database::export_json() const { return network_to_json(snapshot()); }

}  // namespace psp
