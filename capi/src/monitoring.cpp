// C ABI: monitoring on the statistics (§4.2): the office's alert rules, stored and journaled, and the
// alerts they raise on the rows of a query (docs/monitoring-json.md).
#include <nlohmann/json.hpp>

#include "arguments.hpp"
#include "capi.hpp"
#include "json/monitoring_json.hpp"
#include "statistics_arguments.hpp"

using namespace psp::capi;

extern "C" {

PSP_EXTERN(int) psp_alert_rules_set_json(psp_db* db, const psp_actor* actor, const char* rules_json) {
    return guard("psp_alert_rules_set_json", [&] {
        auto& h = handle(db);
        const auto a = actor_from_c(actor);
        const auto j = json_arg(rules_json, "rules_json");
        const auto rules = at_argument("rules_json", [&] { return psp::json::alert_rules_from_json(j, ""); });
        std::lock_guard lock(h.mu);
        h.db.set_alert_rules(a, rules);
        return 0;
    });
}

PSP_EXTERN(int) psp_alert_rules_json(char** out, psp_db* db) {
    return text_out("psp_alert_rules_json", out, db,
                    [](const psp::Database& d) { return psp::json::to_json(d.alert_rules()).dump(); });
}

PSP_EXTERN(int) psp_alerts_json(char** out, psp_db* db, const char* query_json) {
    return text_out("psp_alerts_json", out, db, [&](const psp::Database& d) {
        return psp::json::to_json(d.alerts(query_arg(query_json, "query_json"))).dump();
    });
}

}  // extern "C"
