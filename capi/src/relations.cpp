// C ABI: the relations between entities (travel times, zone service areas, platform links).
#include "capi.hpp"

using namespace psp::capi;

struct psp_travel_iter : Iter<psp::DistrictTravel> { using Iter::Iter; };
struct psp_zone_service_iter : Iter<psp::ZoneService> { using Iter::Iter; };
struct psp_link_iter : Iter<psp::PlatformLink> { using Iter::Iter; };

namespace {

// Writes a relation under the handle's lock after checking the actor and the struct.
template <class F>
int change(const char* fn, psp_db* db, const psp_actor* actor, F&& f) {
    return guard(fn, [&] {
        auto& h = handle(db);
        auto a = actor_from_c(actor);
        auto apply = f(a);  // checks the struct before the lock is taken
        std::lock_guard lock(h.mu);
        apply(h.db);
        return 0;
    });
}

}  // namespace

extern "C" {

PSP_EXTERN(int) psp_travel_init(psp_travel* travel, unsigned version) {
    return init_struct("psp_travel_init", travel, version, PSP_TRAVEL_VERSION, "travel", psp_travel PSP_TRAVEL_INIT);
}

PSP_EXTERN(int) psp_zone_service_init(psp_zone_service* zone_service, unsigned version) {
    return init_struct("psp_zone_service_init", zone_service, version, PSP_ZONE_SERVICE_VERSION, "zone_service",
                       psp_zone_service PSP_ZONE_SERVICE_INIT);
}

PSP_EXTERN(int) psp_link_init(psp_link* link, unsigned version) {
    return init_struct("psp_link_init", link, version, PSP_LINK_VERSION, "link", psp_link PSP_LINK_INIT);
}

PSP_EXTERN(int) psp_travel_set(psp_db* db, const psp_actor* actor, const psp_travel* travel) {
    return change("psp_travel_set", db, actor, [&](const psp::Actor& a) {
        const auto& t = require_struct(travel, PSP_TRAVEL_VERSION, "travel");
        psp::DistrictTravel v{psp::DistrictId(t.from), psp::DistrictId(t.to), t.minutes};
        return [a, v](psp::Database& d) { d.set_travel(a, v); };
    });
}

PSP_EXTERN(int) psp_travel_remove(psp_db* db, const psp_actor* actor, int64_t a, int64_t b) {
    return change("psp_travel_remove", db, actor, [&](const psp::Actor& who) {
        return [&who, a, b](psp::Database& d) { d.remove_travel(who, psp::DistrictId(a), psp::DistrictId(b)); };
    });
}

PSP_EXTERN(int) psp_travel_iter_new(psp_travel_iter** out, psp_db* db) {
    return iter_new("psp_travel_iter_new", out, db, [](const psp::Database& d) { return d.travel(); });
}

PSP_EXTERN(int) psp_travel_iter_next(psp_travel* out, psp_travel_iter* it) {
    return iter_next("psp_travel_iter_next", out, it, PSP_TRAVEL_VERSION,
                     [](const psp::DistrictTravel& r, psp_travel& c, Scratch&) {
                         c.from = r.from.value;
                         c.to = r.to.value;
                         c.minutes = r.minutes;
                     });
}

PSP_EXTERN(void) psp_travel_iter_free(psp_travel_iter* it) { delete it; }

PSP_EXTERN(int) psp_zone_service_set(psp_db* db, const psp_actor* actor, const psp_zone_service* zone_service) {
    return change("psp_zone_service_set", db, actor, [&](const psp::Actor& a) {
        const auto& s = require_struct(zone_service, PSP_ZONE_SERVICE_VERSION, "zone_service");
        psp::ZoneService v{psp::PlatformId(s.platform), psp::ZoneId(s.zone), s.minutes};
        return [a, v](psp::Database& d) { d.set_zone_service(a, v); };
    });
}

PSP_EXTERN(int) psp_zone_service_remove(psp_db* db, const psp_actor* actor, int64_t platform, int64_t zone) {
    return change("psp_zone_service_remove", db, actor, [&](const psp::Actor& who) {
        return [&who, platform, zone](psp::Database& d) {
            d.remove_zone_service(who, psp::PlatformId(platform), psp::ZoneId(zone));
        };
    });
}

PSP_EXTERN(int) psp_zone_service_iter_new(psp_zone_service_iter** out, psp_db* db) {
    return iter_new("psp_zone_service_iter_new", out, db, [](const psp::Database& d) { return d.zone_services(); });
}

PSP_EXTERN(int) psp_zone_service_iter_next(psp_zone_service* out, psp_zone_service_iter* it) {
    return iter_next("psp_zone_service_iter_next", out, it, PSP_ZONE_SERVICE_VERSION,
                     [](const psp::ZoneService& r, psp_zone_service& c, Scratch&) {
                         c.platform = r.platform.value;
                         c.zone = r.zone.value;
                         c.minutes = r.minutes;
                     });
}

PSP_EXTERN(void) psp_zone_service_iter_free(psp_zone_service_iter* it) { delete it; }

PSP_EXTERN(int) psp_link_add(psp_db* db, const psp_actor* actor, const psp_link* link) {
    return change("psp_link_add", db, actor, [&](const psp::Actor& a) {
        const auto& l = require_struct(link, PSP_LINK_VERSION, "link");
        psp::PlatformLink v{psp::PlatformId(l.from), psp::PlatformId(l.to),
                            require_enum<psp::LinkKind>(l.kind, psp::link_kind_count, "link.kind")};
        return [a, v](psp::Database& d) { d.add_link(a, v); };
    });
}

PSP_EXTERN(int) psp_link_remove(psp_db* db, const psp_actor* actor, int64_t from, int64_t to) {
    return change("psp_link_remove", db, actor, [&](const psp::Actor& who) {
        return [&who, from, to](psp::Database& d) { d.remove_link(who, psp::PlatformId(from), psp::PlatformId(to)); };
    });
}

PSP_EXTERN(int) psp_link_iter_new(psp_link_iter** out, psp_db* db) {
    return iter_new("psp_link_iter_new", out, db, [](const psp::Database& d) { return d.links(); });
}

PSP_EXTERN(int) psp_link_iter_next(psp_link* out, psp_link_iter* it) {
    return iter_next("psp_link_iter_next", out, it, PSP_LINK_VERSION,
                     [](const psp::PlatformLink& r, psp_link& c, Scratch&) {
                         c.from = r.from.value;
                         c.to = r.to.value;
                         c.kind = static_cast<int>(r.kind);
                     });
}

PSP_EXTERN(void) psp_link_iter_free(psp_link_iter* it) { delete it; }

}  // extern "C"
