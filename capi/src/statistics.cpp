// C ABI: monitoring statistics (issue 7, §4.2): rows per subject and period for a query given as
// JSON, the rebuild from the ledger, and the unmet requests (docs/statistics-json.md).
#include <string>

#include <nlohmann/json.hpp>

#include "arguments.hpp"
#include "capi.hpp"
#include "json/statistics_json.hpp"

using namespace psp::capi;
using nlohmann::json;

extern "C" {

PSP_EXTERN(int) psp_statistics_json(char** out, psp_db* db, const char* query_json) {
    return text_out("psp_statistics_json", out, db, [&](const psp::Database& d) {
        const auto j = json_arg(query_json, "query_json");
        const auto q = at_argument("query_json", [&] { return psp::json::statistics_query_from_json(j, ""); });
        return psp::json::to_json(d.statistics(q)).dump();
    });
}

PSP_EXTERN(int) psp_statistics_rebuild(psp_db* db) {
    return guard("psp_statistics_rebuild", [&] {
        auto& h = handle(db);
        std::lock_guard lock(h.mu);
        h.db.rebuild_statistics();
        return 0;
    });
}

PSP_EXTERN(int) psp_unmet_requests_json(char** out, psp_db* db, const psp_period* period) {
    return text_out("psp_unmet_requests_json", out, db, [&](const psp::Database& d) {
        const auto p = period_from_c(period);
        json rows = json::array();
        for (const auto& u : d.unmet_requests(p)) rows.push_back(psp::json::to_json(u));
        return rows.dump();
    });
}

}  // extern "C"
