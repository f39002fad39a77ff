// C ABI: the graph queries (tree, alliances, service areas, reach, coverage, duplications) and
// the journal.
#include <array>

#include "capi.hpp"

using namespace psp::capi;

namespace psp::capi {
struct CoverageRow {
    ZoneId zone;
    std::array<int, service_kind_count> counts;
};
}  // namespace psp::capi

namespace {

template <class Id>
std::vector<std::int64_t> raw(const std::vector<Id>& ids) {
    std::vector<std::int64_t> out;
    out.reserve(ids.size());
    for (auto id : ids) out.push_back(id.value);
    return out;
}

}  // namespace

struct psp_id_iter : Iter<std::int64_t> { using Iter::Iter; };
struct psp_member_iter : Iter<psp::AllianceMember> { using Iter::Iter; };
struct psp_reachable_iter : Iter<psp::ReachableEquipment> { using Iter::Iter; };
struct psp_coverage_iter : Iter<CoverageRow> { using Iter::Iter; };
struct psp_coverage_gap_iter : Iter<psp::CoverageGap> { using Iter::Iter; };
struct psp_duplication_iter : Iter<psp::Duplication> { using Iter::Iter; };
struct psp_journal_iter : Iter<psp::JournalEntry> { using Iter::Iter; };

namespace {
psp::JournalQuery journal_query_from_c(const psp_journal_query* query) {
    psp::JournalQuery q;
    if (query == nullptr) return q;
    const auto& c = require_struct(query, PSP_JOURNAL_QUERY_VERSION, "query");
    if (c.entity != PSP_ENTITY_ANY) q.entity = require_enum<psp::EntityKind>(c.entity, psp::entity_kind_count, "query.entity");
    if (c.has_entity_id != 0) q.entity_id = c.entity_id;
    if (c.has_from != 0) q.from = c.from;
    if (c.has_to != 0) q.to = c.to;
    q.limit = c.limit;
    return q;
}
}  // namespace

extern "C" {

PSP_EXTERN(int) psp_id_iter_next(int64_t* out, psp_id_iter* it) {
    return guard("psp_id_iter_next", [&] {
        auto& o = require(out, "out");
        auto& i = require(it, "it");
        if (i.pos >= i.rows.size()) return PSP_ITEROVER;
        o = i.rows[i.pos++];
        return 0;
    });
}

PSP_EXTERN(void) psp_id_iter_free(psp_id_iter* it) { delete it; }

PSP_EXTERN(int) psp_sub_platform_iter_new(psp_id_iter** out, psp_db* db, int64_t backbone) {
    return iter_new("psp_sub_platform_iter_new", out, db,
                    [&](const psp::Database& d) { return raw(d.sub_platforms(psp::PlatformId(backbone))); });
}

PSP_EXTERN(int) psp_alliances_of_iter_new(psp_id_iter** out, psp_db* db, int64_t platform) {
    return iter_new("psp_alliances_of_iter_new", out, db,
                    [&](const psp::Database& d) { return raw(d.alliances_of(psp::PlatformId(platform))); });
}

PSP_EXTERN(int) psp_platforms_serving_iter_new(psp_id_iter** out, psp_db* db, int64_t zone) {
    return iter_new("psp_platforms_serving_iter_new", out, db,
                    [&](const psp::Database& d) { return raw(d.platforms_serving(psp::ZoneId(zone))); });
}

PSP_EXTERN(int) psp_member_iter_new(psp_member_iter** out, psp_db* db, int64_t alliance) {
    return iter_new("psp_member_iter_new", out, db,
                    [&](const psp::Database& d) { return d.members(psp::AllianceId(alliance)); });
}

PSP_EXTERN(int) psp_member_iter_next(psp_alliance_member* out, psp_member_iter* it) {
    return guard("psp_member_iter_next", [&] {
        auto& o = require(out, "out");
        auto& i = require(it, "it");
        if (i.pos >= i.rows.size()) return PSP_ITEROVER;
        const auto& m = i.rows[i.pos++];
        o.platform = m.platform.value;
        o.role = static_cast<int>(m.role);
        return 0;
    });
}

PSP_EXTERN(void) psp_member_iter_free(psp_member_iter* it) { delete it; }

PSP_EXTERN(int) psp_reachable_init(psp_reachable* reachable, unsigned version) {
    return init_struct("psp_reachable_init", reachable, version, PSP_REACHABLE_VERSION, "reachable",
                       psp_reachable PSP_REACHABLE_INIT);
}

PSP_EXTERN(int) psp_reachable_iter_new(psp_reachable_iter** out, psp_db* db, int64_t zone,
                                       int64_t equipment_class, int max_minutes) {
    return iter_new("psp_reachable_iter_new", out, db, [&](const psp::Database& d) {
        if (max_minutes < 0) invalid("max_minutes is negative");
        return d.equipment_within(psp::ZoneId(zone), psp::EquipmentClassId(equipment_class), max_minutes);
    });
}

PSP_EXTERN(int) psp_reachable_iter_next(psp_reachable* out, psp_reachable_iter* it) {
    return iter_next("psp_reachable_iter_next", out, it, PSP_REACHABLE_VERSION,
                     [](const psp::ReachableEquipment& r, psp_reachable& c, Scratch&) {
                         c.equipment = r.equipment.value;
                         c.owner = r.owner.value;
                         c.minutes = r.minutes;
                     });
}

PSP_EXTERN(void) psp_reachable_iter_free(psp_reachable_iter* it) { delete it; }

PSP_EXTERN(int) psp_coverage_row_init(psp_coverage_row* row, unsigned version) {
    return init_struct("psp_coverage_row_init", row, version, PSP_COVERAGE_ROW_VERSION, "row",
                       psp_coverage_row PSP_COVERAGE_ROW_INIT);
}

PSP_EXTERN(int) psp_coverage_iter_new(psp_coverage_iter** out, psp_db* db) {
    return iter_new("psp_coverage_iter_new", out, db, [](const psp::Database& d) {
        auto m = d.coverage();
        std::vector<CoverageRow> rows;
        rows.reserve(m.zones.size());
        for (std::size_t r = 0; r < m.zones.size(); ++r) rows.push_back({m.zones[r], m.counts.at(r)});
        return rows;
    });
}

PSP_EXTERN(int) psp_coverage_iter_next(psp_coverage_row* out, psp_coverage_iter* it) {
    return iter_next("psp_coverage_iter_next", out, it, PSP_COVERAGE_ROW_VERSION,
                     [](const CoverageRow& r, psp_coverage_row& c, Scratch&) {
                         c.zone = r.zone.value;
                         c.counts = r.counts.data();
                         c.kind_count = r.counts.size();
                     });
}

PSP_EXTERN(void) psp_coverage_iter_free(psp_coverage_iter* it) { delete it; }

PSP_EXTERN(int) psp_coverage_gap_init(psp_coverage_gap* gap, unsigned version) {
    return init_struct("psp_coverage_gap_init", gap, version, PSP_COVERAGE_GAP_VERSION, "gap",
                       psp_coverage_gap PSP_COVERAGE_GAP_INIT);
}

PSP_EXTERN(int) psp_coverage_gap_iter_new(psp_coverage_gap_iter** out, psp_db* db) {
    return iter_new("psp_coverage_gap_iter_new", out, db, [](const psp::Database& d) { return d.coverage_gaps(); });
}

PSP_EXTERN(int) psp_coverage_gap_iter_next(psp_coverage_gap* out, psp_coverage_gap_iter* it) {
    return iter_next("psp_coverage_gap_iter_next", out, it, PSP_COVERAGE_GAP_VERSION,
                     [](const psp::CoverageGap& r, psp_coverage_gap& c, Scratch&) {
                         c.zone = r.zone.value;
                         c.kind = static_cast<int>(r.kind);
                     });
}

PSP_EXTERN(void) psp_coverage_gap_iter_free(psp_coverage_gap_iter* it) { delete it; }

PSP_EXTERN(int) psp_duplication_init(psp_duplication* duplication, unsigned version) {
    return init_struct("psp_duplication_init", duplication, version, PSP_DUPLICATION_VERSION, "duplication",
                       psp_duplication PSP_DUPLICATION_INIT);
}

PSP_EXTERN(int) psp_duplication_iter_new(psp_duplication_iter** out, psp_db* db) {
    return iter_new("psp_duplication_iter_new", out, db, [](const psp::Database& d) { return d.duplications(); });
}

PSP_EXTERN(int) psp_duplication_iter_next(psp_duplication* out, psp_duplication_iter* it) {
    return iter_next("psp_duplication_iter_next", out, it, PSP_DUPLICATION_VERSION,
                     [](const psp::Duplication& r, psp_duplication& c, Scratch& s) {
                         c.zone = r.zone.value;
                         c.field = static_cast<int>(r.field);
                         c.kind = static_cast<int>(r.kind);
                         s.ids = raw(r.platforms);
                         c.platforms = s.ids.data();
                         c.platform_count = s.ids.size();
                     });
}

PSP_EXTERN(void) psp_duplication_iter_free(psp_duplication_iter* it) { delete it; }

PSP_EXTERN(int) psp_journal_query_init(psp_journal_query* query, unsigned version) {
    return init_struct("psp_journal_query_init", query, version, PSP_JOURNAL_QUERY_VERSION, "query",
                       psp_journal_query PSP_JOURNAL_QUERY_INIT);
}

PSP_EXTERN(int) psp_journal_entry_init(psp_journal_entry* entry, unsigned version) {
    return init_struct("psp_journal_entry_init", entry, version, PSP_JOURNAL_ENTRY_VERSION, "entry",
                       psp_journal_entry PSP_JOURNAL_ENTRY_INIT);
}

PSP_EXTERN(int) psp_journal_iter_new(psp_journal_iter** out, psp_db* db, const psp_journal_query* query) {
    return iter_new("psp_journal_iter_new", out, db,
                    [&](const psp::Database& d) { return d.journal(journal_query_from_c(query)); });
}

PSP_EXTERN(int) psp_journal_iter_new_as(psp_journal_iter** out, psp_db* db, const psp_actor* reader,
                                        const psp_journal_query* query) {
    return iter_new("psp_journal_iter_new_as", out, db, [&](const psp::Database& d) {
        const auto r = reader_from_c(reader);
        return d.journal(r, journal_query_from_c(query));
    });
}

PSP_EXTERN(int) psp_journal_iter_next(psp_journal_entry* out, psp_journal_iter* it) {
    return iter_next("psp_journal_iter_next", out, it, PSP_JOURNAL_ENTRY_VERSION,
                     [](const psp::JournalEntry& r, psp_journal_entry& c, Scratch&) {
                         c.seq = r.seq;
                         c.time = r.time;
                         c.actor_role = static_cast<int>(r.actor_role);
                         c.actor_subject = r.actor_subject;
                         c.actor_name = r.actor_name.c_str();
                         c.action = r.action.c_str();
                         c.entity = static_cast<int>(r.entity);
                         c.entity_id = r.entity_id;
                         c.details = r.details.c_str();
                     });
}

PSP_EXTERN(void) psp_journal_iter_free(psp_journal_iter* it) { delete it; }

}  // extern "C"
