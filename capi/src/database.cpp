// C ABI: opening and closing databases, counts, JSON import/export, Graphviz, synthetic cities.
#include "capi.hpp"
#include "psp/synth.hpp"

using namespace psp::capi;

namespace {

psp_city_params to_c(const psp::synth::CityParams& p, unsigned version) {
    psp_city_params c PSP_CITY_PARAMS_INIT;
    c.version = version;
    c.seed = p.seed;
    c.districts = p.districts;
    c.zones_per_district = p.zones_per_district;
    c.platforms = p.platforms;
    c.backbone_share = p.backbone_share;
    c.sub_platform_share = p.sub_platform_share;
    c.alliances = p.alliances;
    c.equipment_classes = p.equipment_classes;
    c.equipment = p.equipment;
    c.enterprises = p.enterprises;
    return c;
}

psp::synth::CityParams from_c(const psp_city_params* params) {
    const auto& c = require_struct(params, PSP_CITY_PARAMS_VERSION, "params");
    psp::synth::CityParams p;
    p.seed = c.seed;
    p.districts = c.districts;
    p.zones_per_district = c.zones_per_district;
    p.platforms = c.platforms;
    p.backbone_share = c.backbone_share;
    p.sub_platform_share = c.sub_platform_share;
    p.alliances = c.alliances;
    p.equipment_classes = c.equipment_classes;
    p.equipment = c.equipment;
    p.enterprises = c.enterprises;
    return p;
}

}  // namespace

extern "C" {

PSP_EXTERN(int) psp_open_options_init(psp_open_options* options, unsigned version) {
    return init_struct("psp_open_options_init", options, version, PSP_OPEN_OPTIONS_VERSION, "options",
                       psp_open_options PSP_OPEN_OPTIONS_INIT);
}

PSP_EXTERN(int) psp_db_open(psp_db** out, const char* path, const psp_open_options* options) {
    if (out != nullptr) *out = nullptr;
    return guard("psp_db_open", [&] {
        require(out, "out");
        std::string p(require_str(path, "path"));
        psp::OpenOptions opts;
        if (options != nullptr) {
            const auto& o = require_struct(options, PSP_OPEN_OPTIONS_VERSION, "options");
            if (o.busy_timeout_ms < 0) invalid("options.busy_timeout_ms is negative");
            opts.busy_timeout_ms = o.busy_timeout_ms;
            if (o.clock != nullptr) {
                opts.clock = [clock = o.clock, context = o.clock_context] { return clock(context); };
            }
        }
        *out = new psp_db(psp::Database::open(p, opts));
        return 0;
    });
}

PSP_EXTERN(void) psp_db_close(psp_db* db) {
    // A transaction left open is rolled back now, not when the last iterator lets go of the
    // handle (the last release destroys the Database, which rolls back too).
    if (db != nullptr && db->refs.load(std::memory_order_acquire) > 1) {
        (void)guard("psp_db_close", [&] {
            std::lock_guard lock(db->mu);
            if (db->db.in_transaction()) db->db.rollback_transaction();
            return 0;
        });
    }
    release(db);
}

PSP_EXTERN(int) psp_db_path(const char** out, psp_db* db) {
    return guard("psp_db_path", [&] {
        auto& o = require(out, "out");
        auto& h = handle(db);
        std::lock_guard lock(h.mu);
        o = h.db.path().c_str();
        return 0;
    });
}

PSP_EXTERN(int) psp_db_schema_version(int* out, psp_db* db) {
    return guard("psp_db_schema_version", [&] {
        auto& o = require(out, "out");
        auto& h = handle(db);
        std::lock_guard lock(h.mu);
        o = h.db.schema_version();
        return 0;
    });
}

PSP_EXTERN(int) psp_counts_init(psp_counts* counts, unsigned version) {
    return init_struct("psp_counts_init", counts, version, PSP_COUNTS_VERSION, "counts", psp_counts PSP_COUNTS_INIT);
}

PSP_EXTERN(int) psp_db_counts(psp_counts* out, psp_db* db) {
    return guard("psp_db_counts", [&] {
        auto& o = require_struct(out, PSP_COUNTS_VERSION, "out");
        auto& h = handle(db);
        psp::NetworkCounts n;
        {
            std::lock_guard lock(h.mu);
            n = h.db.counts();
        }
        auto i64 = [](std::size_t v) { return static_cast<int64_t>(v); };
        o.districts = i64(n.districts);
        o.zones = i64(n.zones);
        o.platforms = i64(n.platforms);
        o.backbones = i64(n.backbones);
        o.sub_platforms = i64(n.sub_platforms);
        o.alliances = i64(n.alliances);
        o.equipment_classes = i64(n.equipment_classes);
        o.equipment = i64(n.equipment);
        o.enterprises = i64(n.enterprises);
        o.zone_services = i64(n.zone_services);
        o.links = i64(n.links);
        o.travel = i64(n.travel);
        return 0;
    });
}

PSP_EXTERN(int) psp_db_import_json(psp_db* db, const psp_actor* actor, const char* json) {
    return guard("psp_db_import_json", [&] {
        auto& h = handle(db);
        auto a = actor_from_c(actor);
        auto text = require_str(json, "json");
        std::lock_guard lock(h.mu);
        h.db.import_json(a, text);
        return 0;
    });
}

PSP_EXTERN(int) psp_db_export_json(char** out, psp_db* db) {
    return text_out("psp_db_export_json", out, db, [](const psp::Database& d) { return d.export_json(); });
}

PSP_EXTERN(int) psp_json_normalize(char** out, const char* json) {
    if (out != nullptr) *out = nullptr;
    return guard("psp_json_normalize", [&] {
        require(out, "out");
        auto text = require_str(json, "json");
        *out = dup_string(psp::network_to_json(psp::network_from_json(text)));
        return 0;
    });
}

PSP_EXTERN(int) psp_db_to_graphviz(char** out, psp_db* db) {
    return text_out("psp_db_to_graphviz", out, db, [](const psp::Database& d) { return d.to_graphviz(); });
}

PSP_EXTERN(int) psp_city_params_init(psp_city_params* params, unsigned version) {
    return init_struct("psp_city_params_init", params, version, PSP_CITY_PARAMS_VERSION, "params",
                       to_c(psp::synth::CityParams{}, PSP_CITY_PARAMS_VERSION));
}

PSP_EXTERN(int) psp_city_params_for_scale(psp_city_params* out, int scale, uint64_t seed) {
    return guard("psp_city_params_for_scale", [&] {
        auto& o = require_struct(out, PSP_CITY_PARAMS_VERSION, "out");
        auto s = require_enum<psp::synth::Scale>(scale, PSP_SCALE_COUNT, "scale");
        o = to_c(psp::synth::CityParams::for_scale(s, seed), o.version);
        return 0;
    });
}

PSP_EXTERN(int) psp_synth_generate(psp_db* db, const psp_actor* actor, const psp_city_params* params) {
    return guard("psp_synth_generate", [&] {
        auto& h = handle(db);
        auto a = actor_from_c(actor);
        auto network = psp::synth::generate_city(from_c(params));
        std::lock_guard lock(h.mu);
        h.db.import_network(a, network);
        return 0;
    });
}

PSP_EXTERN(int) psp_synth_generate_json(char** out, const psp_city_params* params) {
    if (out != nullptr) *out = nullptr;
    return guard("psp_synth_generate_json", [&] {
        require(out, "out");
        *out = dup_string(psp::network_to_json(psp::synth::generate_city(from_c(params))));
        return 0;
    });
}

}  // extern "C"
